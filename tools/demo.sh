#!/usr/bin/env bash
# demo.sh ECMS: build the demo factory in demo.db with the simulator and
# print a short tour: master data, goods-in and quarantine, stock, then the
# heart monitor's production (CFX), the lot notice, trace and recall. Run by `make demo`. At the end it starts `ecms serve`
# on demo.db (the web UI, with the demo users' passwords printed) when
# DEMO_SERVE=1, or when DEMO_SERVE is unset, standard input is a terminal
# and CI is not set; DEMO_SERVE=0 never serves (scripted runs, CI).
# DEMO_LISTEN sets the address (default 127.0.0.1:8080).
set -euo pipefail
ecms=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# DEMO_DB and DEMO_OUT move the database and the files elsewhere (tests do).
export ECMS_DB=${DEMO_DB:-$top/demo.db}
out=${DEMO_OUT:-$top/demo-out}
rm -f "$ECMS_DB" "$ECMS_DB-wal" "$ECMS_DB-shm"
rm -rf "$out"; mkdir -p "$out"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Commands are shown with GS, RS and EOT as the control pictures ␝ ␞ ␄.
run() {
	local s="$*"
	s=${s//$'\x1d'/␝}; s=${s//$'\x1e'/␞}; s=${s//$'\x04'/␄}
	s=${s//"$ecms"/ecms}; s=${s//"$top/"/}
	printf '$ %s\n' "$s"; "$@"
}
# Dates relative to today (or $ECMS_NOW), so the story reads the same in any year.
today=${ECMS_NOW:-$(date -u +%F)}; today=${today%%T*}
day() { date -u -d "$today $1 days" +%F; }
week() { date -u -d "$today $1 days" +%g%V; }

say "1. A new database (SQLite, WAL) with the schema"
run "$ecms" init

say "2. The simulator generates a factory's master data and imports it"
echo "   (CSV files in demo-out/sim-data/: the same files a site would import)"
run "$ecms" --user ada sim master --seed 1 --dir "$out/sim-data"
printf '   parts: %s   suppliers: %s   locations: %s   users: %s\n' \
	"$(("$("$ecms" part list | wc -l)" - 1))" \
	"$(("$("$ecms" supplier list | wc -l)" - 1))" \
	"$(("$("$ecms" location list | wc -l)" - 1))" \
	"$(("$("$ecms" user list | wc -l)" - 1))"

say "3. A moisture-sensitive IC with its approved manufacturer list"
run "$ecms" part show U-AFE-ADS1292RIPBS

say "4. Suppliers: authorised distributors, a broker, a blocked one, a lapsed ISO 9001"
run "$ecms" supplier list

say "5. Bad input changes nothing: every error with file, line and column"
cat > "$out/bad-parts.csv" <<'CSV'
ipn,description,category,msl,thickness_mm
C-NEW-1,New capacitor,capacitor,7,
U-NEW-2,New IC,ic,3,
CSV
run "$ecms" import parts "$out/bad-parts.csv" || echo "   (exit $?: nothing imported)"

say "6. Goods-in: a purchase order for the heart monitor's ECG front end"
cat > "$out/po-demo.csv" <<CSV
po,supplier,order_date,line,ipn,qty,lot,coc_required
PO-DEMO-1,DIGIKEY,$(day -30),1,U-AFE-ADS1292RIPBS,3000,L7781,yes
CSV
run "$ecms" import po "$out/po-demo.csv"
printf '%%PDF-1.4 CoC ADS1292RIPBSR lot L7781\n' > "$out/coc-L7781.pdf"
run "$ecms" coc add --supplier DIGIKEY --mpn ADS1292RIPBSR --lot L7781 --issued "$(day -40)" \
	"$out/coc-L7781.pdf"
gs=$'\x1d' rs=$'\x1e' eot=$'\x04'
dk="[)>${rs}06${gs}P296-ADS1292RIPBSRCT-ND${gs}1PADS1292RIPBSR${gs}KPO-DEMO-1${gs}4K1"
echo "   The clerk scans a Digi-Key reel (ISO 15434 / EIGP 114 Data Matrix):"
run "$ecms" --user wes --station DOCK-1 receive --po PO-DEMO-1 --label-dir "$out/labels" \
	--scan "${dk}${gs}Q1000${gs}1TL7781${gs}9D$(week -60)${gs}4LPH${gs}11ZPICK${rs}${eot}"
echo "   A second reel carries another lot than the PO names, and no CoC covers it:"
run "$ecms" --user wes --station DOCK-1 receive --po PO-DEMO-1 --label-dir "$out/labels" \
	--scan "${dk}${gs}Q1000${gs}1TL7790${gs}9D$(week -50)${gs}4LPH${gs}11ZPICK${rs}${eot}"

say "7. QA releases it with a signed decision (password re-entered; 21 CFR Part 11 style)"
echo 'quality first!' | "$ecms" user passwd quinn
uid=$("$ecms" quarantine --json | sed -n 's/.*"uid": "\(XU[0-9A-Z]*\)".*/\1/p' | head -1)
echo "\$ echo '********' | ecms release $uid --user quinn --reason ..."
echo 'quality first!' | "$ecms" release "$uid" --user quinn --location R01-S01 \
	--reason "Lot L7790 accepted: supplier lot split, CoC requested (CAPA-311)"
run "$ecms" label print "$uid" --format png -o "$out/$uid.png"

say "8. A month of deliveries from the simulator (some with planted flaws), then put-away"
run "$ecms" --user wes sim receive --seed 1 --deliveries 60 --dir "$out/sim-data"
echo "   The quarantine queue, oldest first (first three):"
"$ecms" quarantine > "$out/quarantine.txt"; awk '/^UID/{n++} n<=3' "$out/quarantine.txt"

say "9. Stock by status, and what needs attention"
"$ecms" stock > "$out/stock.txt"; head -8 "$out/stock.txt"
echo "   ..."
"$ecms" alerts --days 60 > "$out/alerts.txt"; grep -v below_reorder "$out/alerts.txt" | head -6 || true
echo "   ($(wc -l < "$out/alerts.txt") alerts in all: $(awk '{print $1}' "$out/alerts.txt" | sort | uniq -c | awk '{print $1, $2}' | paste -sd, - | sed 's/,/, /g'))"

msd=$(sqlite3 "$ECMS_DB" "SELECT p.uid FROM packages p JOIN parts t ON t.ipn = p.ipn WHERE t.msl = '3' AND p.status = 'available' AND NOT EXISTS (SELECT 1 FROM msd_state m WHERE m.uid = p.uid) ORDER BY p.uid LIMIT 1")
if [ -n "$msd" ]; then
	echo "   An MSL 3 reel's dry bag is opened on the line-side bench (168 h floor life):"
	run "$ecms" --user olga msd open "$msd" --hic 5
	# 162 h after the opening ecms recorded (its millisecond time, not the wall clock).
	opened=$(sqlite3 "$ECMS_DB" "SELECT at_ms FROM events WHERE type LIKE 'msd.%' AND payload LIKE '%$msd%' ORDER BY seq DESC LIMIT 1")
	later=$(date -u -d "@$(((opened + 162 * 3600 * 1000) / 1000))" +%Y-%m-%dT%H:%M:%SZ)
	echo "   162 hours later (injected clock), alerts warn before it runs out:"
	"$ecms" --now "$later" alerts > "$out/alerts-later.txt"; grep msd "$out/alerts-later.txt" || true
	run "$ecms" --now "$later" msd status "$msd"
fi

say "10. The heart monitor: a KiCad BOM, 500 boards for MEDICO, the kit and what to order"
run "$ecms" sim product --boards 500 --wo WO-HM-500 --dir "$out/sim-data"
run "$ecms" kit WO-HM-500
echo "   (SHORT: the month's deliveries were other parts; what to order follows)"
echo "   Reorder suggestions for the heart monitor's parts (first five; all in ${out#"$top"/}/reorder.txt):"
"$ecms" reorder > "$out/reorder.txt"; grep 'first due' "$out/reorder.txt" | head -5

say "11. Every change is an event in a hash-chained log"
run "$ecms" log --limit 3
run "$ecms" audit verify

# ---- Production (issue 6): the heart monitor is built, traced and recalled.
# The story (docs/simulator.md): 500 boards on two lines; months later the
# supplier warns about one lot of 10 uF capacitors; exactly 20 boards carry
# it; the recall names them and the customer, holds the lot's reels, and the
# feeder interlock refuses one of them. truth.json is the simulator's own
# record of what happened: the demo checks ecms's answer against it.
prod=$out/prod
truth=$prod/truth.json
notice() { grep '^"notice"' "$truth"; }
tfield() { notice | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

say "12. Production: WO-HM-500 on two SMT lines, as the machines report it (IPC-CFX 2.1)"
echo "   The reels it needs are bought and received first (real labels, a CoC per lot)."
run "$ecms" --user wes sim production --seed 1 --wo WO-HM-500 --dir "$prod"
echo "   Line 1's placement programs (slot -> part -> refdes), first rows:"
head -4 "$prod/programs.csv" | sed 's/^/   /'

say "13. The placement programs are imported and checked against the BOM (one set per line)"
for f in "$prod"/programs.csv "$prod"/programs-L*.csv; do
	run "$ecms" import program "$f"
done

echo "   The functional testers' calibration records (FCT-2's lapsed before production):"
tail -n +2 "$prod/equipment.csv" | while IFS=, read -r id kind desc until cert; do
	"$ecms" equipment add "$id" --name "$desc" --kind "$kind" > /dev/null
	run "$ecms" equipment calibrate "$id" --from "$(date -u -d "$until -1 year" +%F)" \
		--until "$until" --certificate "$prod/$cert"
done

say "14. The lines' messages are ingested: genealogy for every board and refdes"
echo "   ($(wc -l < "$prod/cfx.ndjson") envelopes: loads, splices, a grey zone, an empty feeder, work"
echo "    started/completed, exact MaterialsInstalled from the IC placers, reflow, AOI, test,"
echo "    a scrapped board, a rework)"
echo "\$ ecms cfx ingest ${prod#"$top"/}/cfx.ndjson   (counts per message in ${out#"$top"/}/ingest.txt)"
"$ecms" cfx ingest "$prod/cfx.ndjson" > "$out/ingest.txt"; head -1 "$out/ingest.txt"
echo "   Replaying the same file changes nothing:"
echo "\$ ecms cfx ingest ${prod#"$top"/}/cfx.ndjson"
"$ecms" cfx ingest "$prod/cfx.ndjson" > "$out/replay.txt"; head -1 "$out/replay.txt"
echo "   Quality findings: boards tested on FCT-2 after its calibration lapsed (ecms alerts):"
"$ecms" alerts > "$out/alerts-production.txt" || true
grep -c calibration_lapsed "$out/alerts-production.txt" | sed "s/^/   /; s/$/ test records/" || true
grep -m1 calibration_lapsed "$out/alerts-production.txt" | sed 's/^/   /' || true
echo "   Boards by status: $("$ecms" board list --wo WO-HM-500 | awk 'NR > 1 {print $5}' | sort |
	uniq -c | awk '{print $1, $2}' | paste -sd, - | sed 's/,/, /g')"

say "15. Shipments to the customer (replayed on the days they left: --now)"
# shipments.csv: shipment,date,customer,serial; the shipment's name is the
# delivery reference, its date the (injected) time it left.
for shp in $(tail -n +2 "$prod/shipments.csv" | cut -d, -f1 | sort -u); do
	grep "^$shp," "$prod/shipments.csv" > "$out/$shp.csv"
	IFS=, read -r _ date cust _ < "$out/$shp.csv"
	cut -d, -f4 "$out/$shp.csv" > "$out/$shp.serials"
	echo "\$ ecms --now ${date}T16:00:00Z ship --customer $cust --reference $shp - < $shp.serials" \
		"  ($(wc -l < "$out/$shp.serials") serials)"
	"$ecms" --now "${date}T16:00:00Z" ship --customer "$cust" --reference "$shp" - \
		< "$out/$shp.serials"
done

lot=$(tfield lot)
mpn=$(tfield mpn)
say "16. Months later: the supplier warns that capacitor lot $lot ($mpn) may fail early"
run "$ecms" trace lot --lot "$lot"
found=$("$ecms" trace lot --lot "$lot" --json | grep -o '"serial": *"[^"]*"' | cut -d'"' -f4 | sort)
expected=$(notice | sed 's/.*"boards":\[\([^]]*\)\].*/\1/' | tr -d '"' | tr ',' '\n' | sort)
if [ "$found" = "$expected" ]; then
	echo "   ecms finds $(echo "$found" | wc -l) of $("$ecms" board list --wo WO-HM-500 | tail -n +2 | wc -l)" \
		"boards: exactly the simulator's ground truth (${prod#"$top"/}/truth.json)"
else
	echo "   MISMATCH with the simulator's ground truth ($truth):" >&2
	diff <(echo "$expected") <(echo "$found") >&2 || true
	exit 1
fi

say "17. The recall: a preview changes nothing; applied, it contains (signed by QA)"
echo "\$ ecms recall --lot $lot"
"$ecms" recall --lot "$lot" > "$out/recall-preview.txt"; head -2 "$out/recall-preview.txt"
echo "\$ echo '********' | ecms recall --lot $lot --apply --user quinn --reason ..."
echo 'quality first!' | "$ecms" recall --lot "$lot" --apply --user quinn \
	--reason "Supplier notice: $mpn lot $lot may fail early (SCAR-2026-014)"
"$ecms" recall --lot "$lot" --csv > "$out/recall-$lot.csv"
echo "   The customer notice (CSV, one row per board): ${out#"$top"/}/recall-$lot.csv"

say "18. Containment holds: a reel of the lot from stock is refused at the feeder"
held=$(notice | grep -o '{"uid":"[^"]*","status":"in_stock"' | head -1 | cut -d'"' -f4)
run "$ecms" --user olga setup load --machine "$(tfield machine)" --slot "$(tfield slot)" \
	--reel "$held" || echo "   (exit $?: NO-GO, nothing loaded)"

# One of the boards still in the house (now on hold), else the first.
"$ecms" trace lot --lot "$lot" > "$out/trace-lot-$lot.txt"
board=$(awk '$2 ~ /^completed/ {print $1}' "$out/trace-lot-$lot.txt" | head -1)
board=${board:-$(echo "$found" | head -1)}
say "19. Backward trace of one of them: every refdes to its reel, lot, date code, supplier, PO, CoC"
"$ecms" trace board "$board" > "$out/trace-$board.txt"
echo "\$ ecms trace board $board   (all $(grep -c '^[A-Z][A-Z]*[0-9]' "$out/trace-$board.txt") refdes in ${out#"$top"/}/trace-$board.txt)"
head -2 "$out/trace-$board.txt"
grep -E '^(C25|C26|U1|U4) ' "$out/trace-$board.txt"
echo "   ..."
sed -n '/^route:/,/^rework:/p' "$out/trace-$board.txt" | head -5
echo "   ..."
echo "   Its birth certificate (PDF, and one self-contained HTML page), and the recall's notice:"
run "$ecms" report board "$board" --format pdf -o "$out/birth-$board.pdf"
run "$ecms" report board "$board" --format html -o "$out/birth-$board.html"
run "$ecms" report recall RC-000001 --format pdf -o "$out/recall-RC-000001.pdf"
echo "   written: ${out#"$top"/}/birth-$board.pdf, ${out#"$top"/}/birth-$board.html," \
	"${out#"$top"/}/recall-RC-000001.pdf"

say "20. The web UI: demo users and their passwords (stored as Argon2id hashes)"
printf 'id,name,role,customer\ncora,Cora at Medico,customer,MEDICO\n' > "$out/portal-users.csv"
run "$ecms" --user ada import users "$out/portal-users.csv"
setpw() { printf '%s\n' "$2" | "$ecms" --user ada user passwd "$1" >/dev/null; }
setpw ada 'admin-demo'
setpw quinn 'quality first!'
setpw wes 'receive-demo'
setpw olga 'operator-demo'
setpw vic 'viewer-demo'
setpw cora 'medico-demo'

cat <<EOT

== Try next (ECMS_DB=$ECMS_DB):
   $(basename "$ecms") part list --category ic        $(basename "$ecms") location list --parent DC1
   $(basename "$ecms") supplier show BROKERX          $(basename "$ecms") quarantine
   $(basename "$ecms") package show $uid        $(basename "$ecms") rules list
   $(basename "$ecms") log --type package. --limit 5  $(basename "$ecms") po list --status partial
   $(basename "$ecms") trace board HM100B-00001       $(basename "$ecms") recall list
   $(basename "$ecms") setup show --machine L1-M1     $(basename "$ecms") cfx faults
   $(basename "$ecms") help                           $(basename "$ecms") audit verify --json
   The binary is $ecms
EOT
listen=${DEMO_LISTEN:-127.0.0.1:8080}
cat <<EOT
   user   role       password          sees
   ada    admin      admin-demo        everything, tokens, imports
   quinn  qa         quality first!    quarantine decisions (signed with the password)
   wes    warehouse  receive-demo      receiving, moves, kitting
   olga   operator   operator-demo     moves, kitting, MSD
   vic    viewer     viewer-demo       read only
   cora   customer   medico-demo       MEDICO's work orders only (the customer portal)
EOT
serve=${DEMO_SERVE:-}
if [ -z "$serve" ]; then
	if [ -t 0 ] && [ -z "${CI:-}" ]; then serve=1; else serve=0; fi
fi
if [ "$serve" = 1 ]; then
	echo
	echo "   Web UI: http://$listen/  (Ctrl-C stops the server)"
	exec "$ecms" serve --listen "$listen"
fi
echo "   Start it with: ECMS_DB=$ECMS_DB $ecms serve --listen $listen"
echo "   and open http://$listen/ (make demo starts it itself on a terminal, or with DEMO_SERVE=1)"
