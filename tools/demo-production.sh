#!/usr/bin/env bash
# demo-production.sh ECMS: the demo continued: the heart monitor is built,
# traced and recalled. It needs the factory tools/demo.sh leaves in demo.db
# (master data, deliveries, HM-100 rev B and work order WO-HM-500), and the
# commands of the setup, cfx ingest and trace/recall/ship work (issue 6); it
# is to be appended to tools/demo.sh once those are merged (then `ecms`,
# `out`, `say` and `run` are already set, and this header is dropped).
#
# The story (docs/simulator.md): 500 boards on two lines; months later the
# supplier warns about one lot of 10 uF capacitors; exactly 20 boards carry
# it; the recall names them and the customer, holds the three reels of the
# lot still in stock, and the feeder interlock refuses one of them.
set -euo pipefail
if [ -z "${out:-}" ]; then
	ecms=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	top=$(cd "$(dirname "$0")/.." && pwd)
	cd "$top"
	export ECMS_DB=${ECMS_DB:-$top/demo.db}
	out=$top/demo-out
	[ -f "$ECMS_DB" ] || { echo "run tools/demo.sh first (make demo)" >&2; exit 2; }
	say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
	run() { printf '$ %s\n' "$*"; "$@"; }
fi
prod=$out/prod
truth=$prod/truth.json
# Fields of the ground truth (one JSON object per line at the top level).
notice() { grep '^"notice"' "$truth"; }
tfield() { notice | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

say "12. Production: WO-HM-500 on two SMT lines, as the machines report it (IPC-CFX 2.1)"
echo "   The reels it needs are bought and received first (real labels, a CoC per lot)."
run "$ecms" --user wes sim production --seed 1 --wo WO-HM-500 --dir "$prod"
echo "   Line 1's placement programs (slot -> part -> refdes), first rows:"
head -4 "$prod/programs.csv"

say "13. The placement programs are imported and checked against the BOM"
for f in "$prod"/programs.csv "$prod"/programs-L*.csv; do
	run "$ecms" import program "$f"
done

say "14. The lines' messages are ingested: genealogy for every board and refdes"
echo "   ($(wc -l < "$prod/cfx.ndjson") envelopes: loads, splices, a grey zone, an empty feeder,"
echo "    work started/completed, exact MaterialsInstalled from the IC placers, reflow, AOI,"
echo "    functional test, a scrapped board, a rework)"
run "$ecms" cfx ingest "$prod/cfx.ndjson"
echo "   Replaying the same file changes nothing:"
run "$ecms" cfx ingest "$prod/cfx.ndjson"

say "15. Shipments to the customer (replayed on the days they left: --now)"
# shipments.csv: shipment,date,customer,serial; the shipment's name is the
# delivery reference, its date the (injected) time it left.
for shp in $(tail -n +2 "$prod/shipments.csv" | cut -d, -f1 | sort -u); do
	date=$(grep "^$shp," "$prod/shipments.csv" | head -1 | cut -d, -f2)
	cust=$(grep "^$shp," "$prod/shipments.csv" | head -1 | cut -d, -f3)
	grep "^$shp," "$prod/shipments.csv" | cut -d, -f4 > "$out/$shp.serials"
	echo "\$ ecms --now ${date}T16:00:00Z ship --customer $cust --reference $shp -" \
		"< $shp.serials   ($(wc -l < "$out/$shp.serials") serials)"
	"$ecms" --now "${date}T16:00:00Z" ship --customer "$cust" --reference "$shp" - \
		< "$out/$shp.serials"
done

say "16. Backward trace: a board's components with lot, date code, supplier, PO, CoC"
echo "\$ ecms trace board HM100B-00001"
"$ecms" trace board HM100B-00001 > "$out/trace-HM100B-00001.txt"
head -24 "$out/trace-HM100B-00001.txt"

lot=$(tfield lot)
mpn=$(tfield mpn)
say "17. Months later: the supplier warns that capacitor lot $lot ($mpn) may fail early"
run "$ecms" trace lot --lot "$lot"
found=$("$ecms" trace lot --lot "$lot" --json | grep -o '"serial": *"[^"]*"' | cut -d'"' -f4 |
	sort)
expected=$(notice | sed 's/.*"boards":\[\([^]]*\)\].*/\1/' | tr -d '"' | tr ',' '\n' | sort)
if [ "$found" = "$expected" ]; then
	echo "   ecms finds $(echo "$found" | wc -l) of 500 boards: exactly the simulator's ground truth"
else
	echo "   MISMATCH with the simulator's ground truth (demo-out/prod/truth.json):" >&2
	diff <(echo "$expected") <(echo "$found") >&2 || true
	exit 1
fi

say "18. The recall: preview by customer and status, then applied with containment"
run "$ecms" recall --lot "$lot"
echo "\$ echo '********' | ecms recall --lot $lot --apply --user quinn --reason ..."
echo 'quality first!' | "$ecms" recall --lot "$lot" --apply --user quinn \
	--reason "Supplier notice: $mpn lot $lot may fail early (SCAR-2026-014)"
"$ecms" recall --lot "$lot" --format csv > "$out/recall-$lot.csv" 2>/dev/null ||
	"$ecms" recall --lot "$lot" --csv > "$out/recall-$lot.csv" 2>/dev/null || true
[ -s "$out/recall-$lot.csv" ] && echo "   customer notice CSV: $out/recall-$lot.csv"

say "19. Containment holds: a reel of the lot from stock is refused at the feeder"
held=$(notice | grep -o '{"uid":"[^"]*","status":"in_stock"' | head -1 | cut -d'"' -f4)
machine=$(tfield machine)
slot=$(tfield slot)
run "$ecms" --user olga setup load --machine "$machine" --slot "$slot" --reel "$held" ||
	echo "   (exit $?: NO-GO, the reel is on hold)"
