#!/usr/bin/env bash
# demo.sh BUILD_DIR: `make demo`'s script (tools/demo.sh) run with this
# build's binary into a temp dir, then read as a user would: every step
# ran, the receiving story (a clean receipt, a quarantined one with its
# reasons, a signed release), stock, alerts, an MSD near the end of its
# floor life, a kit and reorder list; `ecms audit verify` passes on the
# demo database and fails on copies edited with the sqlite3 shell (an
# altered event, a deleted one). Prints "ok - ..." / "not ok - ...".
set -u
B=${1:?usage: tests/integration/demo.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
ecms=$(cd "$B" && pwd)/ecms
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset ECMS_NOW ECMS_NOW_STEP_MS ECMS_USER ECMS_STATION
export DEMO_DB=$work/demo.db DEMO_OUT=$work/out ECMS_DB=$work/demo.db

failed=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; failed=1; }
has() { # NAME EXTENDED-REGEX: ok when the demo's output has a matching line
	if grep -Eq -- "$2" "$work/demo.txt"; then ok "$1"; else bad "$1"; fi
}

before=$(stat -c %Y "$top/demo.db" 2>/dev/null || echo none)
if "$top/tools/demo.sh" "$ecms" >"$work/demo.txt" 2>&1; then ok "demo runs (exit 0)"; else
	bad "demo runs (exit 0)"; tail -20 "$work/demo.txt"; fi
if grep -Eqi 'runtime error|AddressSanitizer|LeakSanitizer|internal error' "$work/demo.txt"; then
	bad "no sanitizer or internal error"; else ok "no sanitizer or internal error"; fi
if [ "$(stat -c %Y "$top/demo.db" 2>/dev/null || echo none)" = "$before" ]; then
	ok "the tree's demo.db left alone (DEMO_DB)"; else bad "the tree's demo.db left alone (DEMO_DB)"; fi
for n in 1 2 3 4 5 6 7 8 9 10 11; do has "step $n shown" "== $n\. "; done
has "320 parts, 12 suppliers" "parts: 3[0-9][0-9] +suppliers: 12 "
has "bad import: file, line, column" "bad-parts.csv:2: column 'msl': '7' is not an MSL level"
has "scan shown with control pictures" "--scan \[\)>␞06␝"
has "clean receipt accepted" "^XU[0-9A-Z]+ ACCEPTED .* lot L7781 qty 1000 -> RCV"
has "second receipt quarantined" "^XU[0-9A-Z]+ QUARANTINED .* lot L7790"
has "with its reasons" "^  lot\.po: lot L7790 differs from lot L7781"
has "signed release" "released from quarantine by Quinn Quality \(quinn\)"
has "simulated deliveries, all refusals zero" "^60 deliveries: [0-9]+ accepted, [0-9]+ quarantined, 0 refused"
for k in wrong_lot expired_coc broker duplicate_label over_full_reel old_date_code; do
	has "simulated finding $k caught" "^  $k +([0-9]+)  caught +\1 "
done
has "quarantine queue" "^UID +RECEIVED +AGE_DAYS"
has "stock by status" "^IPN +available +quarantined +on_hold +in_production +expired +rejected +consumed"
has "alerts" "^quarantine\.aged "
has "MSD near the end of its floor life" "^msd\.floor_life .* has 6 h of floor life left"
has "kit list" "^kit for WO-HM-500: 500 x HM-100 rev B"
has "reorder arithmetic" "on hand [0-9]+ \+ on order [0-9]+ - demand [0-9]+ = -?[0-9]+"
has "audit verifies" "^event log verified: [0-9]+ events, chain intact"
# Production (issue 6): 500 boards, the lot notice, 20 of 500, the recall.
for n in 12 13 14 15 16 17 18 19 20; do has "step $n shown" "== $n\. "; done
has "sim production: 500 boards on 2 lines" "^500 boards on 2 lines"
has "programs of line 2 imported" "programs-L2.csv: 2 programs: 2 created"
has "cfx ingest: nothing rejected or flagged" "^[0-9]+ messages: [0-9]+ applied, 0 duplicates, 0 rejected, 0 unknown; .* 0 flagged$"
has "every board through both machines of its line" "; 1000 board passes, [0-9]+ exact placements"
has "testers calibrated (FCT-2 lapsed)" "^FCT-2: calibrated until "
has "boards tested on lapsed FCT-2 found" "^   test.calibration_lapsed board HM100B-[0-9]+ .* on FCT-2"
has "birth certificate PDF" "birth-HM100B-[0-9]+\.pdf: [0-9]+ bytes"
has "birth certificate HTML" "birth-HM100B-[0-9]+\.html: [0-9]+ bytes"
has "recall notice PDF" "recall-RC-000001\.pdf: [0-9]+ bytes"
has "replay changes nothing" "^([0-9]+) messages: 0 applied, \1 duplicates, 0 rejected"
has "boards completed by their functional test" "Boards by status: 499 completed, 1 scrapped"
has "shipments recorded" "^SH-000001: [0-9]+ boards shipped to MEDICO at .*reference SHP-1"
has "trace lot = the ground truth, 20 of 500" "ecms finds 20 of 500 boards: exactly the simulator's ground truth"
has "recall applied by quinn" "^recall RC-000001 of lot [A-Z0-9]+: applied by quinn"
has "recall: the customer to notify" "^  shipped: notify the customer \([0-9]+\)"
has "recall holds the lot's reels" "^packages of the lot: 4, 4 put on hold"
has "held reel refused at the feeder" "^NO-GO .* is on hold: recall RC-000001 of lot"
has "backward trace of a held board" "^board HM100B-[0-9]+ .* completed  ON HOLD \(RC-000001\)"

# The demo database verifies; copies edited by hand do not.
if "$ecms" --db "$DEMO_DB" audit verify >/dev/null; then ok "demo.db verifies"; else
	bad "demo.db verifies"; fi
cp "$DEMO_DB" "$work/t1.db"
sqlite3 "$work/t1.db" "UPDATE events SET payload = replace(payload, 'Digi-Key', 'Digi-Kay') WHERE seq = 1"
out=$("$ecms" --db "$work/t1.db" audit verify 2>&1)
if [ $? -eq 1 ] && [[ $out == *"event 1 was altered"* ]]; then ok "altered event found"; else
	bad "altered event found: $out"; fi
cp "$DEMO_DB" "$work/t2.db"
sqlite3 "$work/t2.db" "DELETE FROM events WHERE seq = 500"
out=$("$ecms" --db "$work/t2.db" audit verify 2>&1)
if [ $? -eq 1 ] && [[ $out == *"event 500 is missing"* ]]; then ok "deleted event found"; else
	bad "deleted event found: $out"; fi
exit $failed
