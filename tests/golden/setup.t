# Setup verification: placement programs checked against the BOM, the changeover,
# the interlock's GO / NO-GO with its reason, splices, unloads and the setup check.
$ ecms init >/dev/null
$ for k in parts suppliers locations users po; do ecms import $k $DATA/setup/$k.csv >/dev/null; done
$ ecms import bom --product HM-100 --rev B $DATA/setup/hm-bom.csv
data/setup/hm-bom.csv: HM-100 rev B: 3 lines, 7 reference designators
$ ecms wo create WO-1 --product HM-100 --rev B --qty 500 --line L1 --customer MEDICO
work order WO-1: 500 x HM-100 rev B
$ r() { ecms --user wes receive --po $1 --scan "$(printf '[)>\x1e06\x1d1P%s\x1dQ%s\x1d1T%s\x1d9D%s\x1e\x04' $2 $3 $4 $5)" | head -1; }
> r PO-1 GRM155R71C104KA88D 10000 LC1 2548
> r PO-1 GRM155R71C104KA88D 10000 LC2 2549
> r PO-1 CL05B104KO5NNNC 10000 LB1 2550
> r PO-1 RC0402FR-0710KL 10000 LR1 2550
> r PO-1 ADS1292RIPBSR 1000 LU1 2601
> r PO-2 ADS1292RIPBSR 500 L7781 2601
> r PO-2 ADS1292RIPBSR 500 L7781 2601
> r PO-1 GRM155R71C104KA88D 10000 LC3 2548
> r PO-1 GRM155R71C104KA88D 10000 LC4 2548
XU00000012 ACCEPTED  C-0402-104 GRM155R71C104KA88D lot LC1 qty 10000 -> RCV
XU00000024 ACCEPTED  C-0402-104 GRM155R71C104KA88D lot LC2 qty 10000 -> RCV
XU00000036 ACCEPTED  C-0402-104B CL05B104KO5NNNC lot LB1 qty 10000 -> RCV
XU00000048 ACCEPTED  R-0402-10K RC0402FR-0710KL lot LR1 qty 10000 -> RCV
XU0000005A ACCEPTED  U-AFE-1292 ADS1292RIPBSR lot LU1 qty 1000 -> RCV
XU0000006C QUARANTINED  U-AFE-1292 ADS1292RIPBSR lot L7781 qty 500 -> QA-HOLD
XU0000007E QUARANTINED  U-AFE-1292 ADS1292RIPBSR lot L7781 qty 500 -> QA-HOLD
XU0000008G ACCEPTED  C-0402-104 GRM155R71C104KA88D lot LC3 qty 10000 -> RCV
XU0000009J ACCEPTED  C-0402-104 GRM155R71C104KA88D lot LC4 qty 10000 -> RCV

# Placement programs: one row per slot. Checked against the BOM; all or nothing.
$ cat $DATA/setup/hm-bad.csv
product,rev,side,machine,program,slot,ipn,refdes
HM-100,B,top,L1-M1,HM100B-TOP,1,C-0402-104,"C1,C2"
HM-100,B,top,L1-M1,HM100B-TOP,1,C-0402-104,C3
HM-100,B,middle,L1-M1,HM100B-TOP,2,C-0402-104,C4
HM-100,B,top,L1-M1,HM100B-TOP,3,R-0402-10K,R1 R2 R9
HM-100,B,top,L1-M1,HM100B-TOP,4,R-0402-10K,C2
HM-100,B,top,L1-M1,HM100B-TOP,5,C-0402-104B,U1
HM-100,B,top,L1-M1,HM100B-TOP,6,C-0402-104,C9-C7
HM-200,A,top,L1-M1,HM200A-TOP,1,C-0402-104,C1
$ ecms import program $DATA/setup/hm-bad.csv
data/setup/hm-bad.csv:3: column 'slot': slot 1 of program HM100B-TOP on machine L1-M1 is listed again (first on line 2)
data/setup/hm-bad.csv:4: column 'side': 'middle' is not a side (top, bottom)
data/setup/hm-bad.csv:5: column 'refdes': R9 is not in the BOM of HM-100 rev B
data/setup/hm-bad.csv:6: column 'refdes': C2 is placed again (first on line 2)
data/setup/hm-bad.csv:7: column 'ipn': 'C-0402-104B' is neither the BOM's part for U1 (U-AFE-1292) nor an approved alternate
data/setup/hm-bad.csv:8: column 'refdes': 'C9-C7' is not a range like C1-C4
data/setup/hm-bad.csv:9: column 'product': no BOM for HM-200 rev A: import it first (ecms import bom)
ecms: data/setup/hm-bad.csv: 7 errors, nothing imported
[3]
$ ecms program list
no programs (ecms import program FILE)
$ ecms import program $DATA/setup/hm-top.csv
data/setup/hm-top.csv: 2 programs: 2 created, 0 updated, 0 unchanged
  HM100B-TOP on L1-M1: HM-100 rev B top, v1, 3 slots, 6 refdes (created)
  HM100B-TOP-IC on L1-M2: HM-100 rev B top, v1, 1 slot, 1 refdes (created)
$ ecms import program $DATA/setup/hm-top.csv --complete
data/setup/hm-top.csv: 2 programs: 0 created, 0 updated, 2 unchanged
  HM100B-TOP on L1-M1: HM-100 rev B top, v1, 3 slots, 6 refdes (unchanged)
  HM100B-TOP-IC on L1-M2: HM-100 rev B top, v1, 1 slot, 1 refdes (unchanged)
$ ecms program list
MACHINE  PROGRAM        PRODUCT  REV  SIDE  VERSION  SLOTS  REFDES  ACTIVE
L1-M1    HM100B-TOP     HM-100   B    top   1        3      6       no
L1-M2    HM100B-TOP-IC  HM-100   B    top   1        1      1       no
$ ecms program show HM100B-TOP
program HM100B-TOP v1 on L1-M1: HM-100 rev B top
  1        C-0402-104             ["C1","C2"]
  2        C-0402-104             ["C3","C4"]
  3        R-0402-10K             ["R1","R2"]

# Before the changeover the machine runs nothing: every load is NO-GO.
$ ecms --user ola setup load --machine L1-M1 --slot 1 --reel XU00000012
NO-GO  L1-M1 1: machine L1-M1 has no active program: do the changeover first (ecms setup program)
[1]
$ ecms --user ola setup program --machine L1-M1 --program HM100B-TOP --wo WO-1
L1-M1 now runs program HM100B-TOP for work order WO-1
$ ecms --user ola setup program --machine L1-M2 --program HM100B-TOP-IC --wo WO-1
L1-M2 now runs program HM100B-TOP-IC for work order WO-1

# GO: the part the program wants; an approved BOM alternate (typed in lower case).
$ ecms --user ola setup load --machine L1-M1 --slot 1 --reel XU00000012
GO     L1-M1 1: XU00000012 is C-0402-104, as program HM100B-TOP wants on slot 1
$ ecms --user ola setup load --machine L1-M1 --slot 2 --reel xu00000036 --json
{
  "decision": "GO",
  "code": "alternate",
  "message": "XU00000036 is C-0402-104B, an approved alternate for C-0402-104 on slot 2",
  "machine": "L1-M1",
  "slot": "2",
  "uid": "XU00000036",
  "program": "HM100B-TOP",
  "program_version": 1,
  "work_order": "WO-1",
  "expected_ipn": "C-0402-104",
  "package_ipn": "C-0402-104B",
  "status": "available",
  "expiry": "2035-12-06T00:00:00.000Z",
  "loaded_on": null,
  "running_uid": null,
  "recorded": true
}

# NO-GO, each reason in words (exit 1; nothing changes in the setup).
$ ecms --user ola setup load --machine L1-M1 --slot 3 --reel XU00000024
NO-GO  L1-M1 3: wrong part: XU00000024 is C-0402-104, slot 3 of program HM100B-TOP wants R-0402-10K
[1]
$ ecms --user ola setup load --machine L1-M9 --slot 1 --reel XU00000024
NO-GO  L1-M9 1: there is no machine 'L1-M9': check the machine ID
[1]
$ ecms --user ola setup load --machine L1-M1 --slot 9 --reel XU00000024
NO-GO  L1-M1 9: slot 9 is not used by program HM100B-TOP: check the slot (program slots: 1, 2, 3)
[1]
$ ecms --user ola setup load --machine L1-M1 --slot 3 --reel XU0000004A
NO-GO  L1-M1 3: 'XU0000004A': check character mismatch: mistyped or misread
[1]
$ ecms --user ola setup load --machine L1-M1 --slot 3 --reel XU000000AM
NO-GO  L1-M1 3: no package 'XU000000AM': ecms does not know this reel
[1]
$ ecms --user ola setup load --machine L1-M1 --slot 3 --reel R01-S01
NO-GO  L1-M1 3: 'R01-S01' is a location, not a reel: scan the reel's label
[1]
$ ecms --user ola setup load --machine L1-M1 --slot 2 --reel XU00000012
NO-GO  L1-M1 2: XU00000012 is loaded on slot 1 of L1-M1 already: unload it there first
[1]
$ ecms --user ola setup load --machine L1-M2 --slot 1 --reel XU0000006C
NO-GO  L1-M2 1: XU0000006C is in quarantine: it has not been released
[1]
$ printf '2468\n' | ecms user passwd quinn --pin >/dev/null
$ printf 'B-2001\n2468\n' | ecms reject XU0000007E --reason 'CoC never came' --disposition return --badge
XU0000007E rejected by Quinn Quality (quinn) at 2026-01-15T08:00:00.000Z
  reason: CoC never came
$ ecms --user ola setup load --machine L1-M2 --slot 1 --reel XU0000007E
NO-GO  L1-M2 1: XU0000007E was rejected by incoming inspection
[1]
$ ecms --user wes scrap XU0000008G --reason 'reel dropped'
XU0000008G scrapped
$ ecms --user ola setup load --machine L1-M1 --slot 2 --reel XU0000008G
NO-GO  L1-M1 2: XU0000008G was scrapped
[1]
$ ecms --user wes count XU0000009J 0 >/dev/null
$ ecms --user ola setup load --machine L1-M1 --slot 2 --reel XU0000009J
NO-GO  L1-M1 2: XU0000009J is used up (consumed)
[1]
$ ecms --now 2036-01-15T08:00:00Z --user ola setup load --machine L1-M1 --slot 2 --reel XU00000024
NO-GO  L1-M1 2: XU00000024 is past its shelf life (ended 2035-11-29T00:00:00.000Z)
[1]
$ ecms --user wes msd open XU0000005A
XU0000005A opened: exposed, exposure 0 s, remaining 168 h, ends 2026-01-22T08:00:00.000Z
$ ecms --now 2026-01-23T08:00:00Z --user ola setup load --machine L1-M2 --slot 1 --reel XU0000005A
NO-GO  L1-M2 1: XU0000005A (MSL 3): floor life expired: exposed 8 d of 168 h (MSL 3): bake required (J-STD-033)
[1]
# (On hold and recalled packages are refused the same way: "XU... is on hold (hold or
# recall): do not use it"; the unit tests cover it, the recall command sets it.)
$ ecms --user ola setup load --machine L1-M2 --slot 1 --reel XU0000005A
GO     L1-M2 1: XU0000005A is U-AFE-1292, as program HM100B-TOP-IC wants on slot 1

# Splices: onto a running reel of the same part only.
$ ecms --user ola setup splice --machine L1-M1 --slot 3 --new XU00000048
NO-GO  L1-M1 3: nothing runs on slot 3 of L1-M1: load the reel instead of splicing
[1]
$ ecms --user ola setup load --machine L1-M1 --slot 3 --reel XU00000048
GO     L1-M1 3: XU00000048 is R-0402-10K, as program HM100B-TOP wants on slot 3
$ ecms --user ola setup splice --machine L1-M1 --slot 2 --new XU00000024
NO-GO  L1-M1 2: XU00000024 is C-0402-104 but the running reel XU00000036 is C-0402-104B: a splice must continue the same part (unload, then load)
[1]
$ ecms --user ola setup splice --machine L1-M1 --slot 1 --new XU00000024 --grey 10
GO     L1-M1 1: XU00000024 is C-0402-104, as program HM100B-TOP wants on slot 1
$ ecms setup show --machine L1-M1
machine  L1-M1
line     L1
program  HM100B-TOP v1 (HM-100 rev B top)
wo       WO-1
since    2026-01-15T08:00:00.000Z by ola
  1        grey zone, 10 parts left: XU00000012 ... XU00000024
  2        XU00000036   C-0402-104B
  3        XU00000048   R-0402-10K

# The whole setup against the program; an unload leaves a slot missing.
$ ecms setup check --machine L1-M1
L1-M1: program HM100B-TOP v1, work order WO-1
  1        OK         XU00000024   XU00000024 is C-0402-104, as program HM100B-TOP wants on slot 1
  2        ALTERNATE  XU00000036   XU00000036 is C-0402-104B, an approved alternate for C-0402-104 on slot 2
  3        OK         XU00000048   XU00000048 is R-0402-10K, as program HM100B-TOP wants on slot 3
setup OK: 3 ok, 0 missing, 0 wrong part, 0 unusable
$ ecms --user ola setup unload --machine L1-M1 --slot 3
XU00000048 unloaded from L1-M1 3
$ ecms --user ola setup unload --machine L1-M1 --slot 3
ecms: slot 3 of L1-M1 holds no reel: nothing to unload
[1]
$ ecms setup check --machine L1-M1
L1-M1: program HM100B-TOP v1, work order WO-1
  1        OK         XU00000024   XU00000024 is C-0402-104, as program HM100B-TOP wants on slot 1
  2        ALTERNATE  XU00000036   XU00000036 is C-0402-104B, an approved alternate for C-0402-104 on slot 2
  3        MISSING                 no reel on slot 3: load R-0402-10K
setup NOT OK: 2 ok, 1 missing, 0 wrong part, 0 unusable
[1]
$ ecms setup check --machine L1-M2 --json | head -8
{
  "machine": "L1-M2",
  "program": "HM100B-TOP-IC",
  "version": 1,
  "work_order": "WO-1",
  "ok": true,
  "counts": {
    "ok": 1,

# Refused loads are kept for quality; loads and unloads are events with who and when.
$ ecms setup refused --machine L1-M2
2026-01-23T08:00:00.000Z  load   L1-M2 1  msd_expired          XU0000005A (MSL 3): floor life expired: exposed 8 d of 168 h (MSL 3): bake required (J-STD-033) (by ola)
2026-01-15T08:00:00.000Z  load   L1-M2 1  rejected             XU0000007E was rejected by incoming inspection (by ola)
2026-01-15T08:00:00.000Z  load   L1-M2 1  quarantined          XU0000006C is in quarantine: it has not been released (by ola)
$ ecms setup refused --json | grep -c '"code"'
16
$ ecms log --type genealogy.setup
    42  2026-01-15T08:00:00.000Z  ola        -          genealogy.setup          {"epoch":1,"machine":"L1-M1","op":"load","slot":"1","t":1768464000000,"uid":"XU00000012"}
    43  2026-01-15T08:00:00.000Z  ola        -          genealogy.setup          {"epoch":2,"machine":"L1-M1","op":"load","slot":"2","t":1768464000000,"uid":"XU00000036"}
    62  2026-01-15T08:00:00.000Z  ola        -          genealogy.setup          {"epoch":1,"machine":"L1-M2","op":"load","slot":"1","t":1768464000000,"uid":"XU0000005A"}
    64  2026-01-15T08:00:00.000Z  ola        -          genealogy.setup          {"epoch":3,"machine":"L1-M1","op":"load","slot":"3","t":1768464000000,"uid":"XU00000048"}
    66  2026-01-15T08:00:00.000Z  ola        -          genealogy.setup          {"epoch":4,"grey":10,"machine":"L1-M1","op":"splice","replaced":"XU00000012","slot":"1","t":1768464000000,"uid":"XU00000024"}
    67  2026-01-15T08:00:00.000Z  ola        -          genealogy.setup          {"epoch":5,"machine":"L1-M1","op":"unload","replaced":"XU00000048","slot":"3","t":1768464000000}
$ ecms log --type setup.program
    40  2026-01-15T08:00:00.000Z  ola        -          setup.program            {"machine":"L1-M1","previous":null,"program":"HM100B-TOP","version":1,"work_order":"WO-1"}
    41  2026-01-15T08:00:00.000Z  ola        -          setup.program            {"machine":"L1-M2","previous":null,"program":"HM100B-TOP-IC","version":1,"work_order":"WO-1"}
$ ecms audit verify | head -1
event log verified: 67 events, chain intact
