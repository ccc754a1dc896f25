#!/bin/sh
# bench_table.sh: the figures of a plant benchmark run (bench/results.json
# by default) as the Markdown table docs/performance.md shows.
# Usage: tools/bench_table.sh [results.json]
set -eu
f=${1:-bench/results.json}
jq -r '
def num: if . == null then "–"
	elif . >= 1000000 then "\(. / 10000 | round / 100) M"
	elif . >= 1000 then "\(. | round)"
	elif . >= 100 then "\(. * 10 | round / 10)"
	elif . >= 1 then "\(. * 100 | round / 100)"
	else "\(. * 1000 | round / 1000)" end;
"| figure | unit | ecms | baseline | ratio |",
"|---|---|---|---|---|",
(.figures[] | "| \(.name) | \(.unit) | \(.ecms | num) | \(.baseline | num) | \(if .ratio == null then "–" else "\(.ratio * 10 | round / 10)×" end) |"),
"",
"Machine: \(.machine.cpu), \(.machine.cores) cores, \(.machine.memory) RAM, Linux \(.machine.kernel), \(.machine.compiler), SQLite \(.machine.sqlite); \(.scale.boards) boards, \(.scale.placements) placements."
' "$f"
