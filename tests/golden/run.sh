#!/usr/bin/env bash
# run.sh ECMS CASE.t: run one golden CLI case and compare its transcript.
#
# A case file is a transcript. Lines starting with "$ " are shell commands,
# run in order in a fresh temp dir (cwd) with `ecms` on PATH, ECMS_DB=test.db,
# ECMS_NOW fixed, and a copy of tests/data as ./data ($DATA=data). After each command come
# its expected output lines (stdout and stderr, merged) and, if the exit code
# is not 0, a line "[N]". Lines starting with "#" and blank lines are kept as
# they are. With UPDATE_GOLDEN=1 the case file is rewritten from the actual
# run (review the diff before committing).
set -u
ecms=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cp -r "$top/tests/data" "$work/data"
ln -s "$ecms" "$work/bin/ecms"
actual=$work/actual.t

# Collect commands: each "$ " line; continuation lines start with "> ".
{
	cd "$work"
	export PATH="$work/bin:$PATH" ECMS_DB=test.db ECMS_NOW=2026-01-15T08:00:00.000Z
	export DATA=data SHARED="$top/../shared/data"
	unset ECMS_USER ECMS_STATION
	cmd=""
	blanks=0
	flush() {
		[ -n "$cmd" ] || return 0
		out=$(bash -c "$cmd" 2>&1 </dev/null; echo "[$?]")
		rc=${out##*\[}; rc=${rc%\]}
		out=${out%\[*}
		# Trailing blank output lines are not kept: a transcript's blank
		# lines after the output separate it from what follows.
		while [ "${out%$'\n'}" != "$out" ]; do out=${out%$'\n'}; done
		[ -n "$out" ] && printf '%s\n' "$out"
		[ "$rc" = 0 ] || echo "[$rc]"
		cmd=""
	}
	# Blank lines after a command are its output when more output follows,
	# and separators when a comment, a command or the end follows.
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'')
			if [ -n "$cmd" ]; then blanks=$((blanks + 1)); else echo; fi ;;
		'$ '*|'#'*)
			flush
			while [ "$blanks" -gt 0 ]; do echo; blanks=$((blanks - 1)); done
			case $line in
			'$ '*) echo "$line"; cmd=${line#\$ } ;;
			*) echo "$line" ;;
			esac ;;
		'> '*) echo "$line"; cmd="$cmd"$'\n'"${line#> }" ;;
		*) blanks=0 ;; # expected output: regenerated
		esac
	done < "$case"
	flush
	while [ "$blanks" -gt 0 ]; do echo; blanks=$((blanks - 1)); done
} > "$actual"

if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$actual" "$case"
	exit 0
fi
diff -u "$case" "$actual"
