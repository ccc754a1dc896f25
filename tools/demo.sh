#!/usr/bin/env bash
# demo.sh ECMS: build the demo factory in demo.db with the simulator and
# print a short tour. Run by `make demo`.
set -euo pipefail
ecms=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export ECMS_DB=$top/demo.db
out=$top/demo-out
rm -f demo.db demo.db-wal demo.db-shm
rm -rf "$out"; mkdir -p "$out"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

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

say "6. Every change is an event in a hash-chained log"
run "$ecms" log --limit 3
run "$ecms" audit verify

cat <<EOT

== Try next (ECMS_DB=$ECMS_DB):
   $(basename "$ecms") part list --category ic        $(basename "$ecms") location list --parent DC1
   $(basename "$ecms") supplier show RUTRONIK         $(basename "$ecms") log --type part. --limit 5
   $(basename "$ecms") help                           $(basename "$ecms") audit verify --json
   The binary is $ecms
EOT
