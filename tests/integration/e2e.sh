#!/usr/bin/env bash
# e2e.sh BUILD_DIR: the web UI in a real browser: Playwright (playwright-core
# from npm, tests/e2e/) driving Debian's chromium, against `ecms serve` on a
# temp store and a free loopback port. Scenarios: log in, receive a reel,
# see it quarantined, release it with re-authentication, feeder setup (GO
# and NO-GO), trace a board and a lot, a recall (preview, signed apply),
# and a customer that cannot see another customer's work order or board. Screenshots of every
# screen go to build/test-artifacts/e2e/. Installs what it needs (nodejs,
# npm, chromium from apt via tools/deps.sh; playwright-core by npm ci).
# Prints "ok - ..." / "not ok - ..." per check; exits 1 on any failure.
set -u
B=${1:?usage: tests/integration/e2e.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
ecms=$(cd "$B" && pwd)/ecms
art=$top/build/test-artifacts/e2e
work=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# --- what the browser test needs ------------------------------------------
"$top/tools/deps.sh" e2e || { echo "not ok - installing nodejs, npm, chromium"; exit 1; }
e2e=$top/tests/e2e
if [ ! -f "$e2e/node_modules/playwright-core/package.json" ] ||
	[ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
	(cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
		{ echo "not ok - npm ci in tests/e2e"; exit 1; }
fi

# --- a store: the simulator's factory, a PO, customers, work orders --------
cd "$work" || exit 1
export ECMS_DB=$work/t.db
unset ECMS_NOW ECMS_NOW_STEP_MS ECMS_USER ECMS_STATION
{
	"$ecms" init &&
		"$ecms" --user ada sim master --seed 1 --dir sim &&
		"$ecms" --user ada sim product --boards 50 --wo WO-HM-50 --dir sim &&
		printf 'id,name,role,customer\ncora,Cora at Medico,customer,MEDICO\nalex,Alex at Acme,customer,ACME\n' >cust.csv &&
		"$ecms" --user ada import users cust.csv &&
		"$ecms" --user ada wo create WO-ACME-7 --product HM-100 --rev B --qty 20 --customer ACME &&
		printf 'po,supplier,order_date,line,ipn,qty,lot,coc_required\nPO-E2E-1,DIGIKEY,2026-11-02,1,U-AFE-ADS1292RIPBS,3000,L7781,yes\n' >po.csv &&
		"$ecms" --user ada import po po.csv &&
		printf '%%PDF-1.4 CoC ADS1292RIPBSR lot L7781\n' >coc.pdf &&
		"$ecms" --user ada coc add --supplier DIGIKEY --mpn ADS1292RIPBSR --lot L7781 \
			--issued 2026-10-20 coc.pdf &&
		# Production on line 1 (issue 6): the simulator buys and receives the
		# reels, writes the placement programs and the CFX stream; they are
		# imported and ingested as the line would report them.
		"$ecms" --user wes sim production --seed 1 --wo WO-HM-50 --boards 16 --lines 1 \
			--notice-boards 4 --dir prod &&
		"$ecms" --user ada import program prod/programs.csv &&
		"$ecms" --user ada cfx ingest prod/cfx.ndjson &&
		"$ecms" --user ada wo serials WO-ACME-7 --count 2 &&
		for u in ada:admin-pass-1 quinn:quality-first wes:receive-pass cora:medico-pass alex:acme-pass-1; do
			echo "${u#*:}" | "$ecms" --user ada user passwd "${u%%:*}" || exit 1
		done
} >setup.log 2>&1 || { echo "not ok - setting up the store"; cat setup.log; exit 1; }

# What the browser test works with: the notice lot of the run, its slot,
# a reel of it still in stock, a board that carries it.
fx=$(node -e '
const t = {};
for (const l of require("fs").readFileSync("prod/truth.json", "utf8").split("\n"))
	if (l.startsWith("\"notice\"")) Object.assign(t, JSON.parse("{" + l.replace(/,$/, "") + "}").notice);
const reel = t.reels.find((r) => r.status === "in_stock");
console.log([t.lot, t.machine, t.slot, reel.uid].join(" "));') ||
	{ echo "not ok - reading the simulator's truth.json"; exit 1; }
read -r NOTICE_LOT NOTICE_MACHINE NOTICE_SLOT NOTICE_REEL <<<"$fx"
NOTICE_BOARD=$("$ecms" recall --lot "$NOTICE_LOT" --json |
	node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); const c = r.customers[0]; console.log((c.wip[0] || c.completed[0]).serial)')
export NOTICE_LOT NOTICE_MACHINE NOTICE_SLOT NOTICE_REEL NOTICE_BOARD
# The board's reflow pass, from a profiler's CSV: its certificate plots it.
"$ecms" --user ada reflow import "$NOTICE_BOARD" "$top/tests/data/quality/profile-good.csv" \
	>>setup.log 2>&1 || { echo "not ok - reflow import"; tail -5 setup.log; exit 1; }
echo "ok - production data: lot $NOTICE_LOT on $NOTICE_MACHINE $NOTICE_SLOT, reel $NOTICE_REEL, board $NOTICE_BOARD"

# --- the server ------------------------------------------------------------
"$ecms" serve --listen 127.0.0.1:0 --threads 4 >serve.out 2>serve.err &
pid=$!
for _ in $(seq 1 100); do
	grep -q 'listening on' serve.out 2>/dev/null && break
	sleep 0.1
done
port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' serve.out)
if [ -z "$port" ]; then
	echo "not ok - ecms serve did not start"
	cat serve.err
	exit 1
fi
echo "ok - ecms serve listens on port $port"

# --- the browser -----------------------------------------------------------
rm -rf "$art" && mkdir -p "$art"
ECMS_URL=http://127.0.0.1:$port ECMS_ARTIFACTS=$art CHROMIUM=${CHROMIUM:-/usr/bin/chromium} \
	PROFILE_DIR=$work/profile NODE_PATH=$e2e/node_modules \
	timeout 300 node "$e2e/run.mjs"
rc=$?

# --- a clean stop ----------------------------------------------------------
kill -TERM "$pid"
wait "$pid"
src=$?
pid=
if [ "$src" = 0 ]; then echo "ok - ecms serve stopped cleanly"; else
	echo "not ok - ecms serve exited $src"
	tail -20 serve.err
	rc=1
fi
cp serve.err "$art/serve.log" 2>/dev/null
exit $rc
