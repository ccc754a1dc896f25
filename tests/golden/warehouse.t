# Storage and kitting: moves, splits, counts, stock, alerts, BOM, work order, kit, reorder.
$ ecms init >/dev/null
$ for k in parts suppliers locations users po; do ecms import $k $DATA/recv/$k.csv >/dev/null; done
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PGRM155R71C104KA88D\x1dQ10000\x1d1T2231A\x1d9D2548\x1e\x04' >/dev/null
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ1000\x1d1TL9999\x1d9D2601\x1e\x04' >/dev/null

# The two scans of a move; a quarantined reel stays out of production.
$ ecms --user wes move XU00000012 R01-S01
XU00000012: RCV -> R01-S01
$ ecms --user wes move XU00000024 R01-S01
ecms: XU00000024 is quarantined: it stays in a quarantine or receiving area (R01-S01 is a shelf); only a QA user may move it elsewhere
[1]
$ ecms --user quinn move XU00000024 R01-S01
XU00000024: QA-HOLD -> R01-S01
$ ecms --user wes move xu0000002a R01-S01
ecms: 'xu0000002a': check character mismatch: mistyped or misread
[3]
$ ecms --user wes move R01-S01 XU00000012
ecms: the first scan must be a package, not location R01-S01
[2]
$ ecms --user wes split XU00000012 --qty 2500
parent      XU00000012
child       XU00000036
qty         2500
parent_qty  7500
location    R01-S01
$ ecms --user wes count XU00000036 2000
uid         XU00000036
before      2500
remaining   2000
difference  500
kind        consumed
$ ecms stock
IPN                        available   quarantined       on_hold in_production       expired      rejected      consumed      scrapped
C-0402-104                    9500/2             -             -             -             -             -             -             -
U-AFE-1292                         -        1000/1             -             -             -             -             -             -
(quantity/packages)
$ ecms alerts --quarantine-days 1
no alerts
$ ecms --now 2026-01-20T08:00:00Z alerts --quarantine-days 1 | grep quarantine
quarantine.aged        XU00000024 (U-AFE-1292) has waited in quarantine for 5 days

# Production master data: a KiCad BOM, a work order, its kit and what to order.
$ ecms import bom --product HM-100 --rev B $DATA/recv/hm-bom.csv
data/recv/hm-bom.csv: HM-100 rev B: 2 lines, 6 reference designators
$ ecms bom show HM-100 --rev B
HM-100 rev B: 6 reference designators
  C-0402-104                5  ["C1","C2","C5","C6","C7"]
  U-AFE-1292                1  ["U1"]
$ ecms wo create WO-7 --product HM-100 --rev B --qty 400 --customer MEDICO --due 2026-02-15
work order WO-7: 400 x HM-100 rev B
$ ecms kit WO-7
kit for WO-7: 400 x HM-100 rev B (attrition 1 %)
C-0402-104             need 2020, picked 0
    pick XU00000012  R01-S01      7500  lot 2231A dc 2548
U-AFE-1292             need 404, picked 0  SHORT 404
$ ecms --user wes kit pick WO-7 XU00000012 --to R01-S01
XU00000012 picked for WO-7 -> R01-S01
$ ecms reorder
nothing to reorder
$ ecms audit verify | head -1
event log verified: 24 events, chain intact
