#!/usr/bin/env bash
# checksrc.sh: the house rules a compiler does not check.
#  - lib/ uses the allocator layer and safe string calls only: no raw
#    malloc/calloc/realloc/free/strdup, sprintf, strcpy, strcat, strtok, atoi;
#  - every .c and .h under lib/, cli/, server/, include/ opens with a comment;
#  - no line longer than 100 columns (tabs count 8) in lib/, cli/, server/,
#    include/.
set -u
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
	case $f in lib/alloc.c) continue ;; esac
	if grep -nE '(^|[^_a-z])(malloc|calloc|realloc|free|strdup|strndup|sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)\(' "$f" \
		| grep -vE '^\s*[0-9]+:\s*(\*|/\*)' | grep -v 'checksrc:ok'; then
		echo "$f: banned call in lib/ (use ecms__ wrappers)"; bad=1
	fi
done < <(git ls-files 'lib/*.c' 'lib/**/*.c' 2>/dev/null; git ls-files -o --exclude-standard 'lib/*.c' 'lib/**/*.c')
while IFS= read -r f; do
	[ -f "$f" ] || continue
	head -c 2 "$f" | grep -q '/\*' || { echo "$f:1: file does not open with a comment"; bad=1; }
	awk -v f="$f" '{ gsub(/\t/, "        "); if (length($0) > 100) { printf "%s:%d: line longer than 100 columns\n", f, NR; b=1 } } END { exit b }' "$f" || bad=1
done < <(git ls-files 'lib/*.[ch]' 'lib/**/*.[ch]' 'cli/*.[ch]' 'server/*.[ch]' 'include/**/*.h' 2>/dev/null; git ls-files -o --exclude-standard 'lib/*.[ch]' 'lib/**/*.[ch]' 'cli/*.[ch]' 'server/*.[ch]' 'include/**/*.h')
exit $bad
