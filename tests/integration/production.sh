#!/usr/bin/env bash
# production.sh BUILD_DIR: the production story end to end on a temp
# database, checked against the simulator's independent ground truth
# (truth.json): sim master + product as the demo does, sim production,
# import program, cfx ingest; then, for every board, `ecms trace board
# --json` against the truth (every refdes: the exact package, or ambiguous
# with exactly the truth's candidates); the forward trace of the notice lot
# is exactly the truth's boards; replaying cfx.ndjson twice changes nothing
# (event count, audit verify); the shipments of shipments.csv, then shipped
# serials per customer as the truth has them; recall --apply holds the
# lot's remaining packages (setup load NO-GO on_hold) and the boards still
# in the house. BOARDS (default 100) sets the size (the demo test runs 500).
# Prints "ok - ..." / "not ok - ...".
set -u
B=${1:?usage: tests/integration/production.sh BUILD_DIR}
ecms=$(cd "$B" && pwd)/ecms
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset ECMS_NOW ECMS_NOW_STEP_MS ECMS_USER ECMS_STATION
export ECMS_DB=$work/t.db
boards=${BOARDS:-100}
wo=WO-TRUTH
cd "$work" || exit 1

failed=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; failed=1; }
check() { # NAME COMMAND...: ok when the command succeeds (its output in out.txt)
	local n=$1
	shift
	if "$@" >out.txt 2>&1; then ok "$n"; else bad "$n"; sed 's/^/    /' out.txt | head -5; fi
}
# $(q FILTER): a jq query of the truth.
q() { jq -r "$1" prod/truth.json; }

"$ecms" init >/dev/null || { bad "init"; exit 1; }
"$ecms" --user ada sim master --seed 1 --dir sim >/dev/null || bad "sim master"
"$ecms" --user wes sim product --boards "$boards" --wo "$wo" --dir sim >/dev/null || bad "sim product"
check "sim production" "$ecms" --user wes sim production --seed 1 --wo "$wo" --dir prod
[ -s prod/truth.json ] || { bad "truth.json written"; exit 1; }
check "truth has $boards boards" [ "$(q '.boards | length')" = "$boards" ]
for f in prod/programs*.csv; do
	check "import program ${f#prod/}" "$ecms" import program "$f"
done

# The testers' calibration (issue 7): FCT-2's lapsed before production.
tail -n +2 prod/equipment.csv | while IFS=, read -r id kind desc until cert; do
	"$ecms" equipment add "$id" --name "$desc" --kind "$kind" >/dev/null &&
		"$ecms" equipment calibrate "$id" --from "$(date -u -d "$until -1 year" +%F)" \
			--until "$until" --certificate "prod/$cert" >/dev/null || echo "not ok - calibrate $id"
done

# --- ingest, then replay twice --------------------------------------------
"$ecms" cfx ingest prod/cfx.ndjson >ingest.txt 2>ingest.err
check "cfx ingest exit 0" [ $? -eq 0 ]
check "nothing rejected or unknown" grep -Eq ' 0 rejected, 0 unknown' ingest.txt
check "nothing flagged" grep -Eq ' 0 flagged$' ingest.txt
check "every board through both machines of its line ($((2 * boards)) passes)" \
	grep -Eq "; $((2 * boards)) board passes, " ingest.txt
ev=$("$ecms" log --limit 1 --json | jq '.[0].seq')
for n in 1 2; do
	"$ecms" cfx ingest prod/cfx.ndjson >replay.txt 2>&1
	check "replay $n: every message a duplicate" \
		grep -Eq '^([0-9]+) messages: 0 applied, \1 duplicates, 0 rejected' replay.txt
done
check "replays append no event" [ "$("$ecms" log --limit 1 --json | jq '.[0].seq')" = "$ev" ]
check "audit verify after the replays" "$ecms" audit verify

# Every board the truth tested on lapsed equipment is found (by the tester's
# handle NI.PXIe8881.FCT-2 named as equipment FCT-2).
"$ecms" alerts >alerts.txt
q '.equipment[] | select(.boards | length > 0) | .boards[]' | sort -u >want-cal.txt
grep calibration_lapsed alerts.txt | grep -Eo 'board [^ ]+' | cut -d' ' -f2 | sort -u >got-cal.txt
check "calibration lapsed: every board the truth tested on FCT-2 ($(wc -l <want-cal.txt))" \
	[ -s want-cal.txt -a -z "$(comm -23 want-cal.txt got-cal.txt)" ]

# --- backward trace of every board against the truth ----------------------
q '.boards[].serial' >serials.txt
while read -r s; do "$ecms" trace board "$s" --json | jq -c . || echo "{\"serial\":\"$s\"}"; done \
	<serials.txt >traces.ndjson
jq -n -r --slurpfile t prod/truth.json --slurpfile tr traces.ndjson '
  ($tr | map({key: .serial, value: .}) | from_entries) as $got
  | $t[0].boards[] as $b | ($got[$b.serial]) as $g
  | if ($g.components // null) == null then "\($b.serial): no trace"
    else
      ($g.components | map({key: .refdes, value:
         (if .ambiguous then ([.candidates[].uid] | sort) else [.uid] end)}) | from_entries) as $gc
      | ($b.components | keys) as $keys
      | (($keys[] as $r | ($b.components[$r] | sort) as $want | select($gc[$r] != $want)
          | "\($b.serial) \($r): truth \($want | join(" or ")), ecms \($gc[$r] // [] | join(" or "))"),
         ((($gc | keys) - $keys)[] | "\($b.serial) \(.): traced, not in the truth"),
         (select(($g.components | map(select(.ambiguous) | .refdes) | sort) != ($b.ambiguous | sort))
          | "\($b.serial): ambiguous refdes differ"),
         (select($g.work_order != $b.work_order) | "\($b.serial): work order \($g.work_order)"),
         (select(($g.status == "scrapped") != ($b.status == "scrapped"))
          | "\($b.serial): status \($g.status), truth \($b.status)"))
    end' >trace-diff.txt
if [ -s trace-diff.txt ]; then
	bad "every board's trace matches the truth ($(wc -l <trace-diff.txt) differences)"
	head -10 trace-diff.txt | sed 's/^/    /'
else
	ok "every board's trace matches the truth ($boards boards, $(q '[.boards[].components | length] | add') refdes)"
fi
namb=$(q '.ambiguous_boards | length')
gamb=$(jq -s '[.[] | select(any(.components[]; .ambiguous))] | length' traces.ndjson)
check "ambiguous boards: $gamb, as in the truth ($namb)" [ "$namb" -gt 0 -a "$gamb" = "$namb" ]
check "the rework is in the trace" \
	[ "$(jq -s '[.[] | select(.rework | length > 0)] | length' traces.ndjson)" = "$(q '.reworks | length')" ]

# --- forward trace of the notice lot --------------------------------------
lot=$(q .notice.lot)
q '.notice.boards[]' | sort >want-lot.txt
"$ecms" trace lot --lot "$lot" --json | jq -r '.boards[].serial' | sort >got-lot.txt
check "trace lot $lot: exactly the truth's $(wc -l <want-lot.txt) boards" cmp -s want-lot.txt got-lot.txt
check "... the notice count is 20" [ "$(wc -l <got-lot.txt)" = 20 ]
check "... all for certain" [ "$("$ecms" trace lot --lot "$lot" --json | jq '[.boards[] | select(.ambiguous | length > 0)] | length')" = 0 ]

# --- shipments ---------------------------------------------------------------
for shp in $(tail -n +2 prod/shipments.csv | cut -d, -f1 | sort -u); do
	grep "^$shp," prod/shipments.csv >"$shp.csv"
	IFS=, read -r _ date cust _ <"$shp.csv"
	cut -d, -f4 "$shp.csv" >"$shp.serials"
	check "ship $shp" "$ecms" --now "${date}T16:00:00Z" ship --customer "$cust" --reference "$shp" - \
		<"$shp.serials"
done
tail -n +2 prod/shipments.csv | awk -F, '{print $3, $4}' | sort >want-ship.txt
while read -r s; do "$ecms" trace board "$s" --json; done <serials.txt |
	jq -r 'select(.status == "shipped") | "\(.customer) \(.serial)"' | sort >got-ship.txt
check "shipped serials per customer = shipments.csv ($(wc -l <want-ship.txt))" \
	cmp -s want-ship.txt got-ship.txt
check "... = the truth's shipped boards" [ "$(q '[.boards[] | select(.shipped)] | length')" = "$(wc -l <got-ship.txt)" ]

# --- recall with containment ----------------------------------------------
echo 'quality first!' | "$ecms" --user ada user passwd quinn >/dev/null
"$ecms" recall --lot "$lot" --json >preview.json
check "preview: 20 boards" [ "$(jq .count preview.json)" = 20 ]
echo 'quality first!' | "$ecms" recall --lot "$lot" --apply --user quinn \
	--reason "Supplier notice (test)" --json >recall.json
check "recall --apply (signed by quinn)" [ $? -eq 0 ]
rc_id=$(jq -r .id recall.json)
# Shipped notice boards per customer with their ship dates, as in the truth.
jq -r --argjson t "$(q '.notice.boards')" \
	'.boards[] | select(.serial as $s | $t | index($s)) | select(.shipped) | "\(.customer) \(.serial)"' \
	prod/truth.json | sort >want-notify.txt
jq -r '.customers[] | .customer as $c | .shipped[] | "\($c) \(.serial)"' recall.json | sort >got-notify.txt
check "customers to notify: the truth's shipped notice boards ($(wc -l <want-notify.txt))" \
	cmp -s want-notify.txt got-notify.txt
# Every package of the lot with parts left is held, and refused at the feeder.
machine=$(q .notice.machine) slot=$(q .notice.slot)
for uid in $(q '.notice.reels[] | select(.left > 0) | .uid'); do
	st=$("$ecms" package show "$uid" --json | jq -r .status)
	check "package $uid of the lot on hold" [ "$st" = on_hold ]
done
held=$(q '[.notice.reels[] | select(.status == "in_stock")][0].uid')
code=$("$ecms" --user olga setup load --machine "$machine" --slot "$slot" --reel "$held" --json | jq -r .code)
check "setup load of held $held: NO-GO on_hold" [ "$code" = on_hold ]
"$ecms" --user olga setup load --machine "$machine" --slot "$slot" --reel "$held" >/dev/null 2>&1
check "... exit 1" [ $? -eq 1 ]
# The notice boards still in the house are held with the recall; shipped ones not.
for s in $(cat want-lot.txt); do
	j=$("$ecms" trace board "$s" --json)
	stat=$(jq -r .status <<<"$j") hold=$(jq -r '.hold // ""' <<<"$j")
	case $stat in
	shipped | scrapped) [ -z "$hold" ] || bad "$s ($stat) not held" ;;
	*) [[ $hold == *"$rc_id"* ]] || bad "$s ($stat) held by $rc_id (hold: $hold)" ;;
	esac
done
inhouse=$(jq -r --argjson t "$(q '.notice.boards')" \
	'[.boards[] | select(.serial as $s | $t | index($s)) | select(.shipped | not)] | length' prod/truth.json)
check "boards held = the notice boards in the house ($inhouse)" [ "$(jq .boards_held recall.json)" = "$inhouse" ]
check "ecms ship refuses a held board" bash -c "! \"$ecms\" ship --customer $(q .customer) \
	$(jq -r --argjson t "$(q '.notice.boards')" '[.boards[] | select(.serial as $s | $t | index($s)) | select(.shipped | not)][0].serial' prod/truth.json) >/dev/null 2>&1"
check "audit verify at the end" "$ecms" audit verify
exit $failed
