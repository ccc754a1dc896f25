#!/usr/bin/env bash
# run.sh: run every test suite and end with one line "N passed, N failed".
#   tests/run.sh BUILD_DIR [FUZZ_DIR]
# Unit tests: each build/<mode>/tests/test_* (cmocka, TAP output), one
# process per program with a timeout. Golden CLI tests: tests/golden/*.t.
# Integration tests: tests/integration/*.sh BUILD_DIR, one test each.
# Fuzzers: corpus replay plus a bounded run (FUZZ_CHECK_SECONDS, default 30 s each).
# Style: tools/checksrc.sh. Logs of failures are in build/test-logs/.
set -u
B=${1:?usage: tests/run.sh BUILD_DIR [FUZZ_DIR]}
FZ=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=build/test-logs
rm -rf "$logs"; mkdir -p "$logs"
# The shared domain data (../shared/data) when it is beside the project;
# otherwise the copy of what the tests read, kept in tests/data/shared.
if [ -z "${ECMS_SHARED_DATA:-}" ]; then
	if [ -d "$top/../shared/data/cfx" ]; then ECMS_SHARED_DATA=$top/../shared/data
	else ECMS_SHARED_DATA=$top/tests/data/shared; fi
fi
export ECMS_SHARED_DATA
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0 fail=0

note() { printf '%-8s %-40s %s\n' "$1" "$2" "$3"; }

# --- unit tests ----------------------------------------------------------
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=${t##*/}
	out=$logs/$name.log
	CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -gt 0 ]; then note FAIL "unit/$name" "$p ok, $f failed (see $out)"
		grep -E '^not ok|ERROR|runtime error|LeakSanitizer' "$out" | head -5 | sed 's/^/    /'
	else note ok "unit/$name" "$p tests"; fi
done

# --- golden CLI tests ----------------------------------------------------
for g in tests/golden/*.t; do
	[ -f "$g" ] || continue
	name=${g##*/}
	if tests/golden/run.sh "$B/ecms" "$g" >"$logs/golden-$name.log" 2>&1; then
		pass=$((pass + 1)); note ok "golden/$name" ""
	else
		fail=$((fail + 1)); note FAIL "golden/$name" "(see $logs/golden-$name.log)"
		head -20 "$logs/golden-$name.log" | sed 's/^/    /'
	fi
done

# --- integration tests: each tests/integration/*.sh BUILD_DIR is one test --
# (it prints "ok - ..." / "not ok - ..." lines and exits non-zero on failure)
for s in tests/integration/*.sh; do
	[ -f "$s" ] || continue
	name=${s##*/}
	out=$logs/integration-$name.log
	if timeout 600 bash "$s" "$B" >"$out" 2>&1; then
		pass=$((pass + 1)); note ok "integration/$name" "$(grep -c '^ok ' "$out") checks"
	else
		fail=$((fail + 1)); note FAIL "integration/$name" "(see $out)"
		grep '^not ok' "$out" | head -5 | sed 's/^/    /'
	fi
done

# --- fuzzers: replay the corpus, then a bounded run ------------------------
if [ -n "$FZ" ]; then
	for f in "$FZ"/fuzz_*; do
		[ -x "$f" ] || continue
		name=${f##*/fuzz_}
		if tests/fuzz/run.sh "$f" "tests/fuzz/corpus/$name" \
			"${FUZZ_CHECK_SECONDS:-30}" >"$logs/fuzz-$name.log" 2>&1; then
			pass=$((pass + 1)); note ok "fuzz/$name" "$(tail -1 "$logs/fuzz-$name.log")"
		else
			fail=$((fail + 1)); note FAIL "fuzz/$name" "(see $logs/fuzz-$name.log)"
			grep -E 'ERROR|SUMMARY|crash' "$logs/fuzz-$name.log" | head -5 | sed 's/^/    /'
		fi
	done
fi

# --- style -------------------------------------------------------------------
if tools/checksrc.sh >"$logs/style.log" 2>&1; then
	pass=$((pass + 1)); note ok style ""
else
	fail=$((fail + 1)); note FAIL style "(see $logs/style.log)"
	head -10 "$logs/style.log" | sed 's/^/    /'
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
