# The stockroom end to end: a wedge-scanner station, CoCs kept by content, refusals that
# write nothing, rules as data, the quarantine queue oldest first, moves and their rules,
# restricted parts, stocktake, split/count/scrap, stock by status, alerts, reorder.
$ ecms init >/dev/null
$ for k in parts suppliers locations users po; do ecms import $k $DATA/recv/$k.csv >/dev/null; done
$ for k in locations users parts po; do ecms import $k $DATA/recv/${k}2.csv; done
data/recv/locations2.csv: 4 records: 4 created, 0 updated, 0 unchanged
data/recv/users2.csv: 1 record: 1 created, 0 updated, 0 unchanged
data/recv/parts2.csv: 2 records: 2 created, 0 updated, 0 unchanged
data/recv/po2.csv: 2 records: 2 created, 0 updated, 0 unchanged

# A keyboard-wedge scanner at DOCK-2 types ] for GS and ^ for RS (and ^d for RS EOT).
$ ecms station set DOCK-2 --name 'Dock 2 wedge scanner' --gs ']' --rs '^'
station DOCK-2 set
$ ecms station list
ID      GS  RS  NAME
DOCK-2  ]   ^   Dock 2 wedge scanner
$ ecms --user wes --station DOCK-2 receive --po PO-1001 --scan '[)>^06]1PGRM155R71C104KA88D]Q4000]1TA1]9D2601^d'
XU00000012 ACCEPTED  C-0402-104 GRM155R71C104KA88D lot A1 qty 4000 -> RCV
  label: labels/XU00000012.zpl

# A CoC is stored by its SHA-256: the same bytes twice are one document. One CoC, two lots.
$ ecms coc add --supplier DIGIKEY --mpn ADS1292RIPBSR --lot L7781 --lot L7790 --issued 2026-01-02 --expires 2026-06-30 $DATA/recv/coc-l7781.pdf
COC-000001
$ cp $DATA/recv/coc-l7781.pdf copy.pdf && ecms coc add --supplier DIGIKEY --mpn ADS1292RIPBSR --lot L8000 --issued 2026-01-03 copy.pdf
COC-000002
$ sqlite3 test.db "SELECT COUNT(*) FROM documents"
1
$ ecms coc show COC-000001
id                 COC-000001
supplier           DIGIKEY
mpn                ADS1292RIPBSR
issued             2026-01-02
expires            2026-06-30
sha256             4b7ff133786593c5e62236bacb0a98fc5f140666aff7114cdffcf4d70ecc11da
file               coc-l7781.pdf
size               60
lots               L7781, L7790
document_verified  yes
$ ecms coc add --supplier DIGIKEY --mpn X --lot L --issued 2026-01-05 --expires 2026-01-01 copy.pdf
ecms: --expires 2026-01-01 is before --issued 2026-01-05
[3]
$ ecms coc add --supplier DIGIKEY --mpn X --lot L --issued 2026-01-05 nope.pdf
ecms: nope.pdf: cannot open: No such file or directory
[3]

# Refused commands leave no package and no event.
$ ecms log --json | grep -c '"seq"'
30
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ2500\x1d1TL7781\x1d9D2601\x1e\x04'
ecms: refused: qty.po: over-receipt: PO PO-1001 line 2 has 2000 of 2000 open, this package holds 2500 (tolerance 0 %)
[1]
$ ecms --user wes receive --po PO-9999 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ100\x1d1TL7781\x1d9D2601\x1e\x04'
ecms: no purchase order 'PO-9999'
[3]
$ ecms --user wes receive --po PO-1001 --coc COC-000099 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ100\x1d1TL7781\x1d9D2601\x1e\x04'
ecms: no CoC 'COC-000099'
[3]
$ ecms --user wes receive --po PO-1001 --scan '[)>06P296-LM358BIDDFRCT-ND1PLM358BIDDFRK1K72991337Q10'
ecms: label: the label ('[)>06P296-LM358BIDDFRCT-ND1PLM358BIDDFRK...') has lost its field separators: there is no GS between the fields, so they cannot be split without guessing; configure the scanner to send GS/RS control characters (or printable substitutes, then use --gs/--rs)
[3]
$ ecms log --json | grep -c '"seq"'
30
$ sqlite3 test.db "SELECT COUNT(*) FROM packages"
1

# The rule set is data: a site change is an event and applies to the next receipt.
$ ecms rules list | grep -E '^(RULE|lot\.po|qty\.po) '
lot.po               on  quarantine the lot matches the lot the PO line names
qty.po               on  refuse     the quantity fits the PO line's open quantity plus its tolerance
$ ecms --user quinn rules set lot.po --severity warning
rule lot.po changed
$ ecms log --type rule. | cut -c1-120
    31  2026-01-15T08:00:00.000Z  quinn      -          rule.changed             {"enabled":true,"params":{},"rule":"lot
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ500\x1d1TL7790\x1d9D2601\x1e\x04'
XU00000024 ACCEPTED  U-AFE-1292 ADS1292RIPBSR lot L7790 qty 500 -> RCV
  warning lot.po: lot L7790 differs from lot L7781 named on PO line 2
  label: labels/XU00000024.zpl
$ ecms --user quinn rules set lot.po --severity quarantine >/dev/null

# The quarantine queue, oldest first, whatever the order of receipt.
$ ecms --user wes --now 2026-01-12T09:00:00Z receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ100\x1d1TL9001\x1d9D2601\x1e\x04' | head -1
XU00000036 QUARANTINED  U-AFE-1292 ADS1292RIPBSR lot L9001 qty 100 -> QA-HOLD
$ ecms --user wes --now 2026-01-10T09:00:00Z receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ100\x1d1TL9002\x1d9D2601\x1e\x04' | head -1
XU00000048 QUARANTINED  U-AFE-1292 ADS1292RIPBSR lot L9002 qty 100 -> QA-HOLD
$ ecms quarantine | grep '^XU'
XU00000048  2026-01-10T09:00:00.000Z  4         DIGIKEY   U-AFE-1292  L9002  100
XU00000036  2026-01-12T09:00:00.000Z  2         DIGIKEY   U-AFE-1292  L9001  100
$ ecms alerts --quarantine-days 3
quarantine.aged        XU00000048 (U-AFE-1292) has waited in quarantine for 4 days
stock.below_reorder    R-0603-1K: 0 usable, below its reorder point of 20000
stock.below_reorder    U-SEC-508: 0 usable, below its reorder point of 500

# Moves: a dry cabinet's RH class is recorded; quarantined stock stays out of the line;
# a feeder slot holds one reel; a warehouse is a building, not a place for a reel.
# Both scans may carry the scanner's AIM prefix and line end.
$ ecms --user wes move XU00000024 DC1
XU00000024: RCV -> DC1 (dry cabinet, <= 5 % RH)
$ ecms log --type package.moved --json | grep -c '"rh_class": 5'
1
$ ecms --user wes move XU00000048 L1-S01
ecms: XU00000048 may not go to L1-S01 (a production area): it is in quarantine
[1]
$ ecms --user wes move ']d1XU00000012' $']d1L1-S01\r\n'
XU00000012: RCV -> L1-S01
$ ecms --user wes move XU00000012 L1-S01
ecms: XU00000012 is already in L1-S01
[1]
$ ecms --user wes move XU00000024 L1-S01
ecms: L1-S01 is full: it holds 1 of 1 packages
[1]
$ ecms --user wes move XU00000024 WH
ecms: WH is a warehouse: scan the rack, shelf or cabinet the package goes to
[1]

# A restricted part: an operator is refused (and logged); the warehouse may move it.
$ ecms --user wes receive --po PO-3001 --scan $'[)>\x1e06\x1d1PATECC508A-MAHDA-T\x1dQ3000\x1d1TS1\x1d9D2601\x1e\x04' | head -1
XU0000005A ACCEPTED  U-SEC-508 ATECC508A-MAHDA-T lot S1 qty 3000 -> RCV
$ ecms --user olga move XU0000005A R01-S01
ecms: U-SEC-508 is a restricted part: 'olga' may not move it (allowed roles: admin, qa, warehouse); the attempt is logged
[1]
$ ecms --user olga count XU0000005A 2500
ecms: U-SEC-508 is a restricted part: 'olga' may not count it (allowed roles: admin, qa, warehouse); the attempt is logged
[1]
$ ecms --user wes move XU0000005A R01-S01
XU0000005A: RCV -> R01-S01
$ ecms --user wes count XU0000005A 2900
uid         XU0000005A
before      3000
remaining   2900
difference  100
kind        consumed
$ ecms access XU0000005A
SEQ  TIME                      ACTOR  ACTION  ALLOWED
39   2026-01-15T08:00:00.000Z  olga   move    no
40   2026-01-15T08:00:00.000Z  olga   count   no
41   2026-01-15T08:00:00.000Z  wes    move    yes
42   2026-01-15T08:00:00.000Z  wes    count   yes

# Stocktake of R01-S01 from the scanner (one UID a line on stdin).
$ ecms --user wes move XU00000024 R01-S01 >/dev/null
$ printf 'XU00000024\nXU00000012\nXU00000062\n' | ecms --user wes stocktake R01-S01
stocktake ST-000001 of R01-S01: 2 expected
  found      1  XU00000024
  missing    1  XU0000005A
  misplaced  1  XU00000012
  unexpected 1  XU00000062
$ ecms --user wes stocktake R01-S01 --json XU00000024 XU0000005A
{
  "id": "ST-000002",
  "location": "R01-S01",
  "expected": 2,
  "found": [
    "XU00000024",
    "XU0000005A"
  ],
  "missing": [],
  "misplaced": [],
  "unexpected": []
}

# Split, a line return's count, scrap; then stock by status.
$ ecms --user wes split XU00000024 --qty 100
parent      XU00000024
child       XU0000006C
qty         100
parent_qty  400
location    R01-S01
$ ecms --user wes count XU0000006C 0
uid         XU0000006C
before      100
remaining   0
difference  100
kind        consumed
$ ecms package show XU0000006C | grep -E '^(parent|status|quantity|initial_qty) '
status        consumed
quantity      0
initial_qty   100
parent        XU00000024
$ ecms package show XU00000024 | grep -E '^(children|quantity|initial_qty) |split'
quantity      400
initial_qty   500
children      XU0000006C
      46  2026-01-15T08:00:00.000Z  wes      package.split
$ ecms --user wes scrap XU0000005A --reason 'ESD bag torn, parts exposed'
XU0000005A scrapped
$ ecms --user wes scrap XU0000005A --reason 'again'
ecms: XU0000005A is scrapped already
[1]
$ ecms stock
IPN                        available   quarantined       on_hold in_production       expired      rejected      consumed      scrapped
C-0402-104                         -             -             -        4000/1             -             -             -             -
U-AFE-1292                     400/1         200/2             -             -             -             -           0/1             -
U-SEC-508                          -             -             -             -             -             -             -           0/1
(quantity/packages)
$ ecms stock --location R01-S01
IPN                        available   quarantined       on_hold in_production       expired      rejected      consumed      scrapped
U-AFE-1292                     400/1             -             -             -             -             -           0/1             -
U-SEC-508                          -             -             -             -             -             -             -           0/1
(quantity/packages)

# Shelf life counts from the date code against now: the 1 kΩ reel expires in a year.
$ ecms --user wes receive --po PO-3001 --scan $'[)>\x1e06\x1d1PRC0603FR-071KL\x1dQ5000\x1d1TR1\x1d9D2601\x1e\x04' | head -1
XU0000007E ACCEPTED  R-0603-1K RC0603FR-071KL lot R1 qty 5000 -> RCV
$ ecms --now 2026-12-20T08:00:00Z alerts --days 30 | grep shelf_life
shelf_life.expiring    XU0000007E (R-0603-1K, 5000 pcs in RCV) reaches the end of its shelf life on 2026-12-29
$ ecms --now 2027-01-20T08:00:00Z alerts | grep shelf_life
shelf_life.expired     XU0000007E (R-0603-1K, 5000 pcs in RCV) passed its shelf life on 2026-12-29: blocked
$ ecms --now 2027-01-20T08:00:00Z stock R-0603-1K
IPN                        available   quarantined       on_hold in_production       expired      rejected      consumed      scrapped
R-0603-1K                          -             -             -             -        5000/1             -             -             -
(quantity/packages)
$ ecms --now 2027-01-20T08:00:00Z --user wes move XU0000007E L1
ecms: XU0000007E may not go to L1 (a production area): its shelf life has ended on 2026-12-29T00:00:00.000Z
[1]

# An MSD's floor life is in the alerts before it runs out (MSL 3: 168 h).
$ ecms --user wes msd open XU00000024 --hic 5 | cut -c1-60
XU00000024 opened: exposed, exposure 0 s, remaining 168 h, e
$ ecms --now 2026-01-21T08:00:00Z alerts | grep msd || echo 'no MSD alert yet (24 h left, threshold 8 h)'
no MSD alert yet (24 h left, threshold 8 h)
$ ecms --now 2026-01-21T08:00:00Z alerts --msd-hours 24 | grep msd
msd.floor_life         XU00000024 (U-AFE-1292) has 24 h of floor life left, until 2026-01-22T08:00:00.000Z
$ ecms --now 2026-01-22T02:00:00Z alerts | grep msd
msd.floor_life         XU00000024 (U-AFE-1292) has 6 h of floor life left, until 2026-01-22T08:00:00.000Z
$ ecms --now 2026-01-22T02:00:00Z alerts --days 400 --quarantine-days 3 --json | grep '"kind"' | sort | uniq -c
      1     "kind": "msd.floor_life",
      2     "kind": "quarantine.aged",
      1     "kind": "shelf_life.expiring",
      2     "kind": "stock.below_reorder",

# What to order: usable stock + open PO lines - demand, against the reorder point.
$ ecms reorder
R-0603-1K                 10000  on hand 5000 + on order 5000 - demand 0 = 10000, below the reorder point 20000: order 10000 (2 x std pack 5000); lead time 14 days, arrives about 2026-01-29
U-SEC-508                  3000  on hand 0 + on order 0 - demand 0 = 0, below the reorder point 500: order 3000 (1 x std pack 3000); lead time 56 days, arrives about 2026-03-12
$ ecms po show PO-3001
po          PO-3001
supplier    DIGIKEY
order_date  2026-01-08
status      partial

LINE  IPN        MPN  QTY_ORDERED  QTY_RECEIVED  LOT  COC_REQUIRED  STATUS
1     U-SEC-508       3000         3000               no            closed
2     R-0603-1K       10000        5000               no            partial

$ ecms --user wes receive --po PO-3001 --json --scan $'[)>\x1e06\x1d1PRC0603FR-071KL\x1dQ5000\x1d1TR2\x1d9D2601\x1e\x04' | grep -E '^  "(status|reasons|uid|ipn|po|po_line|location|label_file)"'
  "status": "accepted",
  "reasons": [],
  "uid": "XU0000008G",
  "ipn": "R-0603-1K",
  "po": "PO-3001",
  "po_line": 2,
  "location": "RCV",
  "label_file": "labels/XU0000008G.zpl"
$ ecms po list --status closed
PO       SUPPLIER  ORDER_DATE  STATUS  LINES  QTY_ORDERED  QTY_RECEIVED
PO-3001  DIGIKEY   2026-01-08  closed  2      13000        13000
$ ecms audit verify | head -1
event log verified: 51 events, chain intact

# A stored CoC document edited in the database is found, and never exported.
$ ecms coc export COC-000002 out.pdf && cmp out.pdf $DATA/recv/coc-l7781.pdf && echo same
same
$ sqlite3 test.db "UPDATE documents SET content = CAST('%PDF forged' AS BLOB)"
$ ecms coc show COC-000002 | tail -1
ecms: COC-000002: the stored document does NOT match its SHA-256: it was altered after it was stored
document_verified  no
$ ecms coc show COC-000002 >/dev/null
ecms: COC-000002: the stored document does NOT match its SHA-256: it was altered after it was stored
[1]
$ ecms coc export COC-000002 forged.pdf; ls forged.pdf
ecms: COC-000002: the stored document does not match its SHA-256 4b7ff133786593c5e62236bacb0a98fc5f140666aff7114cdffcf4d70ecc11da: it was altered after it was stored; nothing written
ls: cannot access 'forged.pdf': No such file or directory
[2]

# Purchase orders from JSON, all or nothing like every import.
$ ecms import po $DATA/recv/po3_bad.json
data/recv/po3_bad.json:4: field 'qty': '-5' is not a whole number from 1 to 1000000000
data/recv/po3_bad.json:6: field 'order_date': '2026-02-30' is not a date (YYYY-MM-DD)
ecms: data/recv/po3_bad.json: 2 errors, nothing imported
[3]
$ ecms po list
PO       SUPPLIER  ORDER_DATE  STATUS   LINES  QTY_ORDERED  QTY_RECEIVED
PO-3001  DIGIKEY   2026-01-08  closed   2      13000        13000
PO-2001  BROKERX   2026-01-06  open     1      500          0
PO-1001  DIGIKEY   2026-01-05  partial  2      22000        4700
$ ecms import po $DATA/recv/po3.json
data/recv/po3.json: 2 records: 2 created, 0 updated, 0 unchanged
$ ecms po show PO-4001
po          PO-4001
supplier    DIGIKEY
order_date  2026-01-12
status      open

LINE  IPN         MPN            QTY_ORDERED  QTY_RECEIVED  LOT    COC_REQUIRED  STATUS
1     C-0402-104                 20000        0                    yes           open
2     U-AFE-1292  ADS1292RIPBSR  100          0             L7781  no            open

# Labels ecms prints: a package's (ZPL for a Zebra, SVG, PNG) and a location's; the Data
# Matrix decodes back to the UID or location ID.
$ ecms label print XU00000024 --format zpl | grep -E '\^FD'
^FO24,24^BXN,10,200^FH_^FDXU00000024^FS
^FO24,180^A0N,32,32^FH_^FDXU00000024^FS
^FO308,24^A0N,48,48^FH_^FDU-AFE-1292^FS
^FO308,86^A0N,30,30^FH_^FDMPN: ADS1292RIPBSR^FS
^FO308,120^A0N,30,30^FH_^FDMFR: Texas Instruments^FS
^FO308,154^A0N,30,30^FH_^FDLOT: L7790^FS
^FO308,188^A0N,30,30^FH_^FDDC: 2601^FS
^FO308,222^A0N,30,30^FH_^FDQTY: 400^FS
^FO308,256^A0N,30,30^FH_^FDMSL: 3^FS
^FO308,290^A0N,30,30^FH_^FDRCVD: 2026-01-15^FS
$ ecms label print XU00000024 --format svg -o reel.svg && head -c 38 reel.svg && echo
reel.svg written
<?xml version="1.0" encoding="UTF-8"?>
$ ecms label print --location DC1 --format png -o dc1.png && dmtxread dc1.png
dc1.png written
DC1
$ ecms label print --location NOWHERE --format png -o x.png
ecms: no location 'NOWHERE'
[3]
$ ecms label print XU00000025 --format png
ecms: 'XU00000025': check character mismatch: mistyped or misread
[3]
$ ecms label print XU00000024 --format pdf
ecms: unknown label format 'pdf': expected zpl, svg or png
[2]
