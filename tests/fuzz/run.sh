#!/usr/bin/env bash
# run.sh FUZZER CORPUS_DIR SECONDS: replay the committed corpus, then fuzz for
# SECONDS with new inputs kept in a scratch dir (the committed corpus is not
# changed). Exits non-zero on any crash, leak or sanitizer report.
set -eu
fz=$1 corpus=$2 secs=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$corpus"
dict=${corpus%/*}/../${fz##*/fuzz_}.dict
dictopt=()
[ -f "$dict" ] && dictopt=(-dict="$dict")
# Replay: every committed input once.
"$fz" "${dictopt[@]}" -runs=0 "$corpus" >/dev/null 2>"$scratch/replay.log" || {
	cat "$scratch/replay.log"; exit 1; }
"$fz" "${dictopt[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$scratch/" "$scratch" "$corpus" >"$scratch/run.log" 2>&1 || {
	tail -40 "$scratch/run.log"; ls "$scratch"; exit 1; }
grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch/run.log" | tail -1 || tail -1 "$scratch/run.log"
