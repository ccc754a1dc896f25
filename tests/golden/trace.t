# Trace, ship, rework and recall on a small factory. The production itself
# (a machine's program, loads, a splice with a grey zone, board passes) is
# built by the unit-test fixture tests/unit/trace_fixture.h through the
# genealogy API: `test_trace --fixture DB` (the CFX ingestion is tested
# elsewhere). Reels: XU00000012 (lot LOT-A), its split child XU0000006C,
# XU00000024 (LOT-B, with a CoC), XU00000036 (the MCU), XU00000048 (the
# BOM's alternate), XU0000005A (LOT-A from a broker, quarantined).
$ "$(dirname "$(readlink bin/ecms)")"/tests/test_trace --fixture test.db

# Backward: every refdes with its package, lot, date code, supplier, PO,
# CoC. The splice's grey zone leaves C1 and C2 of WO1-00003 ambiguous.
$ ecms trace board WO1-00003
board WO1-00003  work order WO1  HM rev A  customer ACME  wip
REFDES  UID          IPN     MPN   LOT    DC    SUPPLIER  PO  COC         MACHINE  SLOT  NOTE          SOURCE
C1      ? ambiguous                                                       M1       S1    2 candidates  timeline
        XU00000012   C-100N  GRM1  LOT-A  2548  DK        P1              M1       S1                  timeline
        XU00000024   C-100N  GRM1  LOT-B  2602  DK        P1  COC-000001  M1       S1                  timeline
C2      ? ambiguous                                                       M1       S1    2 candidates  timeline
        XU00000012   C-100N  GRM1  LOT-A  2548  DK        P1              M1       S1                  timeline
        XU00000024   C-100N  GRM1  LOT-B  2602  DK        P1  COC-000001  M1       S1                  timeline
C3      XU0000006C   C-100N  GRM1  LOT-A  2548  DK        P1              M1       S2                  timeline
U1      XU00000036   U-MCU   STM1  LOT-U  2601  DK        P1              M1       S3                  timeline
route:
  2026-01-14T08:14:30.000Z  M1           placed       pass     olga
rework: none
$ ecms trace board WO2-00001 --json
{
  "serial": "WO2-00001",
  "work_order": "WO2",
  "customer": "BETA",
  "product": "HM",
  "revision": "A",
  "status": "completed",
  "hold": null,
  "components": [
    {
      "refdes": "C1",
      "uid": "XU00000024",
      "known": true,
      "ipn": "C-100N",
      "mpn": "GRM1",
      "manufacturer": "Murata",
      "lot": "LOT-B",
      "date_code": "2602",
      "supplier": "DK",
      "po": "P1",
      "coc": "COC-000001",
      "machine": "M1",
      "slot": "S1",
      "program": "HM-A-TOP",
      "time": "2026-01-14T08:17:00.000Z",
      "source": "timeline",
      "ambiguous": false,
      "candidates": []
    },
    {
      "refdes": "C2",
      "uid": "XU00000024",
      "known": true,
      "ipn": "C-100N",
      "mpn": "GRM1",
      "manufacturer": "Murata",
      "lot": "LOT-B",
      "date_code": "2602",
      "supplier": "DK",
      "po": "P1",
      "coc": "COC-000001",
      "machine": "M1",
      "slot": "S1",
      "program": "HM-A-TOP",
      "time": "2026-01-14T08:17:00.000Z",
      "source": "timeline",
      "ambiguous": false,
      "candidates": []
    },
    {
      "refdes": "C3",
      "uid": "XU0000006C",
      "known": true,
      "ipn": "C-100N",
      "mpn": "GRM1",
      "manufacturer": "Murata",
      "lot": "LOT-A",
      "date_code": "2548",
      "supplier": "DK",
      "po": "P1",
      "coc": null,
      "machine": "M1",
      "slot": "S2",
      "program": "HM-A-TOP",
      "time": "2026-01-14T08:17:00.000Z",
      "source": "timeline",
      "ambiguous": false,
      "candidates": []
    },
    {
      "refdes": "U1",
      "uid": "XU-NOTRECEIVED",
      "known": false,
      "ipn": null,
      "mpn": null,
      "manufacturer": null,
      "lot": null,
      "date_code": null,
      "supplier": null,
      "po": null,
      "coc": null,
      "machine": "M1",
      "slot": "S3",
      "program": "HM-A-TOP",
      "time": "2026-01-14T08:17:00.000Z",
      "source": "timeline",
      "ambiguous": false,
      "candidates": []
    }
  ],
  "route": [
    {
      "station": "M1",
      "kind": "placed",
      "result": "pass",
      "operator": "olga",
      "time": "2026-01-14T08:17:30.000Z",
      "detail": null
    }
  ],
  "rework": []
}
$ ecms trace board NOPE-1
ecms: no board 'NOPE-1'
[3]

# Forward: a lot (its split child followed), a reel, date codes, a supplier's
# deliveries, a CoC.
$ ecms trace lot --lot LOT-A
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES    AMBIGUOUS
WO1-00001  completed           ACME      WO1         C1,C2,C3  
WO1-00002  completed           ACME      WO1         C1,C2,C3  
WO1-00003  wip                 ACME      WO1         C3        C1,C2
WO1-00004  scrapped            ACME      WO1         C3        
WO2-00001  completed           BETA      WO2         C3        
WO2-00002  wip                 BETA      WO2         C3        
6 boards (6 for certain, 0 only possibly) from 3 packages
$ ecms trace lot --lot LOT-B --mpn GRM1 --json
{
  "scope": {
    "kind": "lot",
    "lot": "LOT-B",
    "mpn": "GRM1"
  },
  "packages": [
    "XU00000024"
  ],
  "count": 4,
  "boards": [
    {
      "serial": "WO1-00003",
      "refdes": [],
      "ambiguous": [
        "C1",
        "C2"
      ],
      "work_order": "WO1",
      "customer": "ACME",
      "product": "HM",
      "revision": "A",
      "status": "wip",
      "shipped": null,
      "shipment": null,
      "hold": null
    },
    {
      "serial": "WO1-00004",
      "refdes": [
        "C1",
        "C2"
      ],
      "ambiguous": [],
      "work_order": "WO1",
      "customer": "ACME",
      "product": "HM",
      "revision": "A",
      "status": "scrapped",
      "shipped": null,
      "shipment": null,
      "hold": null
    },
    {
      "serial": "WO2-00001",
      "refdes": [
        "C1",
        "C2"
      ],
      "ambiguous": [],
      "work_order": "WO2",
      "customer": "BETA",
      "product": "HM",
      "revision": "A",
      "status": "completed",
      "shipped": null,
      "shipment": null,
      "hold": null
    },
    {
      "serial": "WO2-00002",
      "refdes": [
        "C1",
        "C2"
      ],
      "ambiguous": [],
      "work_order": "WO2",
      "customer": "BETA",
      "product": "HM",
      "revision": "A",
      "status": "wip",
      "shipped": null,
      "shipment": null,
      "hold": null
    }
  ]
}
$ ecms trace reel XU0000006C
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES  AMBIGUOUS
WO1-00001  completed           ACME      WO1         C3      
WO1-00002  completed           ACME      WO1         C3      
WO1-00003  wip                 ACME      WO1         C3      
WO1-00004  scrapped            ACME      WO1         C3      
WO2-00001  completed           BETA      WO2         C3      
WO2-00002  wip                 BETA      WO2         C3      
6 boards (6 for certain, 0 only possibly) from 1 package
$ ecms trace reel XU-NOTRECEIVED
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES  AMBIGUOUS
WO2-00001  completed           BETA      WO2         U1      
WO2-00002  wip                 BETA      WO2         U1      
2 boards (2 for certain, 0 only possibly) from 1 package
$ ecms trace datecode --mpn GRM1 --from 2601 --to 2605
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES  AMBIGUOUS
WO1-00003  wip                 ACME      WO1                 C1,C2
WO1-00004  scrapped            ACME      WO1         C1,C2   
WO2-00001  completed           BETA      WO2         C1,C2   
WO2-00002  wip                 BETA      WO2         C1,C2   
4 boards (3 for certain, 1 only possibly) from 1 package
$ ecms trace datecode --mpn GRM1 --from 2605 --to 2601
ecms: date code --to 2601 is before --from 2605
[3]
$ ecms trace supplier DK --from 2026-01-14 --to 2026-01-14
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES       AMBIGUOUS
WO1-00001  completed           ACME      WO1         C1,C2,C3,U1  
WO1-00002  completed           ACME      WO1         C1,C2,C3,U1  
WO1-00003  wip                 ACME      WO1         C3,U1        C1,C2
WO1-00004  scrapped            ACME      WO1         C1,C2,C3,U1  
WO2-00001  completed           BETA      WO2         C1,C2,C3     
WO2-00002  wip                 BETA      WO2         C1,C2,C3     
6 boards (6 for certain, 0 only possibly) from 4 packages
$ ecms trace supplier MOU --from 2026-01-12 --to 2026-01-13
0 boards (0 for certain, 0 only possibly) from 1 package
$ ecms trace coc COC-000001
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES  AMBIGUOUS
WO1-00003  wip                 ACME      WO1                 C1,C2
WO1-00004  scrapped            ACME      WO1         C1,C2   
WO2-00001  completed           BETA      WO2         C1,C2   
WO2-00002  wip                 BETA      WO2         C1,C2   
4 boards (3 for certain, 1 only possibly) from 1 package
$ ecms trace lot --lot NOPE
ecms: no package of lot 'NOPE' is known
[3]
$ ecms trace lot
ecms: --lot is required
usage: ecms trace lot --lot L [--mpn M] [--json]
[2]

# Shipping: only completed boards, not on hold, of the customer's orders.
$ ecms --user wes ship --customer ACME --serial WO1-00001 --reference DN-100
SH-000001: 1 board shipped to ACME at 2026-01-15T08:00:00.000Z, reference DN-100
$ ecms --user wes ship --customer ACME --serial WO1-00002 --serial WO1-00003 --serial WO2-00001
ecms: nothing shipped: 2 of 3 boards may not ship to ACME: WO1-00003 is wip, not completed; WO2-00001 was built for BETA (work order WO2)
[1]
$ printf 'WO1-00002\n# the last one\n' | ecms --user wes ship --customer ACME --json
{
  "shipment": "SH-000002",
  "customer": "ACME",
  "reference": null,
  "shipped": "2026-01-15T08:00:00.000Z",
  "count": 1,
  "serials": [
    "WO1-00002"
  ]
}
$ ecms --user wes ship --customer ACME --wo WO2
ecms: work order WO2 is for BETA, not ACME
[1]
$ ecms trace lot --lot LOT-B
SERIAL     STATUS     SHIPPED  CUSTOMER  WORK_ORDER  REFDES  AMBIGUOUS
WO1-00003  wip                 ACME      WO1                 C1,C2
WO1-00004  scrapped            ACME      WO1         C1,C2   
WO2-00001  completed           BETA      WO2         C1,C2   
WO2-00002  wip                 BETA      WO2         C1,C2   
4 boards (3 for certain, 1 only possibly) from 1 package

# Rework: the reel must be usable and of the BOM's part (or an alternate).
$ ecms rework WO1-00003 --refdes C1 --reel XU00000036 --user olga --reason "tombstoned"
ecms: XU00000036 holds U-MCU; C1 of HM rev A takes C-100N (or an approved alternate)
[1]
$ ecms rework WO1-00003 --refdes C1 --reel XU0000005A --user olga --reason "tombstoned"
ecms: XU0000005A is quarantined: it may not be fitted
[1]
$ ecms rework WO1-00003 --refdes C1 --reel XU00000048 --user olga --reason "tombstoned"
WO1-00003 C1: ["XU00000012","XU00000024"] -> XU00000048 (C-100N-ALT) by olga at 2026-01-15T08:00:00.000Z
  reason: tombstoned
$ ecms trace board WO1-00003
board WO1-00003  work order WO1  HM rev A  customer ACME  wip
REFDES  UID          IPN         MPN   LOT    DC    SUPPLIER  PO  COC         MACHINE  SLOT  NOTE          SOURCE
C1      XU00000048   C-100N-ALT  CL05  LOT-C  2601  MOU       P2              M1       S1                  rework
C2      ? ambiguous                                                           M1       S1    2 candidates  timeline
        XU00000012   C-100N      GRM1  LOT-A  2548  DK        P1              M1       S1                  timeline
        XU00000024   C-100N      GRM1  LOT-B  2602  DK        P1  COC-000001  M1       S1                  timeline
C3      XU0000006C   C-100N      GRM1  LOT-A  2548  DK        P1              M1       S2                  timeline
U1      XU00000036   U-MCU       STM1  LOT-U  2601  DK        P1              M1       S3                  timeline
route:
  2026-01-14T08:14:30.000Z  M1           placed       pass     olga
  2026-01-15T08:00:00.000Z  rework       reworked     replaced olga
rework:
  2026-01-15T08:00:00.000Z  C1: ["XU00000012","XU00000024"] -> XU00000048 by olga: tombstoned

# Recall of lot LOT-A: the preview changes nothing.
$ ecms recall --lot LOT-A
recall preview of lot LOT-A: nothing changed (--apply contains it)
6 boards: 2 shipped, 1 completed, 2 wip, 1 scrapped; 3 to put on hold
customer ACME: 4 boards
  shipped: notify the customer (2)
    WO1-00001        shipped 2026-01-15T08:00:00.000Z SH-000001 refdes C1,C2,C3
    WO1-00002        shipped 2026-01-15T08:00:00.000Z SH-000002 refdes C1,C2,C3
  in production (WIP) (1)
    WO1-00003        refdes C3 possibly C2 [hold]
  scrapped (1)
    WO1-00004        refdes C3
customer BETA: 2 boards
  completed, not shipped (1)
    WO2-00001        refdes C3 [hold]
  in production (WIP) (1)
    WO2-00002        refdes C3 [hold]
packages of the lot: 3, 3 to put on hold
  XU00000012   C-100N         available    RCV        -> on hold
  XU0000005A   C-100N         quarantined  QH         -> on hold
  XU0000006C   C-100N         available    RCV        -> on hold  LOADED ON M1/S2: take it off the line
$ ecms recall --lot LOT-A --csv
customer,serial,work_order,status,shipped,shipment,lot,mpn,refdes,ambiguous_refdes
ACME,WO1-00001,WO1,shipped,2026-01-15T08:00:00.000Z,SH-000001,LOT-A,,C1 C2 C3,
ACME,WO1-00002,WO1,shipped,2026-01-15T08:00:00.000Z,SH-000002,LOT-A,,C1 C2 C3,
ACME,WO1-00003,WO1,wip,,,LOT-A,,C3,C2
ACME,WO1-00004,WO1,scrapped,,,LOT-A,,C3,
BETA,WO2-00001,WO2,completed,,,LOT-A,,C3,
BETA,WO2-00002,WO2,wip,,,LOT-A,,C3,
$ echo wes-password | ecms recall --lot LOT-A --apply --user wes --reason "supplier notice 4711"
ecms: wes (role warehouse) may not apply a recall
[1]
$ echo wrong-password | ecms recall --lot LOT-A --apply --user quinn --reason "supplier notice 4711"
ecms: authentication failed for 'quinn': wrong password, or no such active user
[1]
$ echo quinn-secret-1 | ecms recall --lot LOT-A --apply --user quinn --reason "supplier notice 4711: cracked dielectric"
recall RC-000001 of lot LOT-A: applied by quinn at 2026-01-15T08:00:00.000Z
  reason: supplier notice 4711: cracked dielectric
6 boards: 2 shipped, 1 completed, 2 wip, 1 scrapped; 3 put on hold
customer ACME: 4 boards
  shipped: notify the customer (2)
    WO1-00001        shipped 2026-01-15T08:00:00.000Z SH-000001 refdes C1,C2,C3
    WO1-00002        shipped 2026-01-15T08:00:00.000Z SH-000002 refdes C1,C2,C3
  in production (WIP) (1)
    WO1-00003        refdes C3 possibly C2 [hold]
  scrapped (1)
    WO1-00004        refdes C3
customer BETA: 2 boards
  completed, not shipped (1)
    WO2-00001        refdes C3 [hold]
  in production (WIP) (1)
    WO2-00002        refdes C3 [hold]
packages of the lot: 3, 3 put on hold
  XU00000012   C-100N         available    RCV        -> on hold
  XU0000005A   C-100N         quarantined  QH         -> on hold
  XU0000006C   C-100N         available    RCV        -> on hold  LOADED ON M1/S2: take it off the line
$ ecms recall list
ID         TIME                      LOT    MPN  BOARDS  SHIPPED  BOARDS_HELD  PACKAGES_HELD  USER   REASON
RC-000001  2026-01-15T08:00:00.000Z  LOT-A       6       2        3            3              quinn  supplier notice 4711: cracked dielectric
$ ecms recall show RC-000001 --json | head -40
{
  "id": "RC-000001",
  "applied": true,
  "scope": {
    "lot": "LOT-A",
    "mpn": null
  },
  "reason": "supplier notice 4711: cracked dielectric",
  "user": "quinn",
  "time": "2026-01-15T08:00:00.000Z",
  "customers": [
    {
      "customer": "ACME",
      "count": 4,
      "shipped": [
        {
          "serial": "WO1-00001",
          "work_order": "WO1",
          "customer": "ACME",
          "status": "shipped",
          "shipped": "2026-01-15T08:00:00.000Z",
          "shipment": "SH-000001",
          "refdes": [
            "C1",
            "C2",
            "C3"
          ],
          "ambiguous": [],
          "held": false
        },
        {
          "serial": "WO1-00002",
          "work_order": "WO1",
          "customer": "ACME",
          "status": "shipped",
          "shipped": "2026-01-15T08:00:00.000Z",
          "shipment": "SH-000002",
          "refdes": [
            "C1",
            "C2",
$ ecms recall show RC-000001 --csv
customer,serial,work_order,status,shipped,shipment,lot,mpn,refdes,ambiguous_refdes
ACME,WO1-00001,WO1,shipped,2026-01-15T08:00:00.000Z,SH-000001,LOT-A,,C1 C2 C3,
ACME,WO1-00002,WO1,shipped,2026-01-15T08:00:00.000Z,SH-000002,LOT-A,,C1 C2 C3,
ACME,WO1-00003,WO1,wip,,,LOT-A,,C3,C2
ACME,WO1-00004,WO1,scrapped,,,LOT-A,,C3,
BETA,WO2-00001,WO2,completed,,,LOT-A,,C3,
BETA,WO2-00002,WO2,wip,,,LOT-A,,C3,
$ echo quinn-secret-1 | ecms recall --lot LOT-A --apply --user quinn --reason "again"
ecms: lot LOT-A is recalled already (RC-000001)
[1]

# A second recall, signed with badge and PIN: a board held already keeps
# the first recall's ID and gets the second one.
$ printf 'B-1\n4711\n' | ecms recall --lot LOT-B --apply --badge --reason "supplier notice 4712" --json | grep -E '"(id|user|boards_held|packages_held)"'
  "id": "RC-000002",
  "user": "quinn",
  "boards_held": 3,
  "packages_held": 1,
$ ecms trace board WO1-00003 | head -1
board WO1-00003  work order WO1  HM rev A  customer ACME  wip  ON HOLD (RC-000001 RC-000002)

# What the recall holds stays put.
$ ecms package show XU0000006C | grep -E '^(uid|status) '
uid           XU0000006C
status        on_hold
$ ecms --user wes ship --customer BETA --serial WO2-00001
ecms: nothing shipped: 1 of 1 boards may not ship to BETA: WO2-00001 is on hold (RC-000001 RC-000002)
[1]
$ ecms --user wes move XU00000012 L1
ecms: XU00000012 may not go to L1 (a production area): it is on hold
[1]
$ ecms log | tail -4
    55  2026-01-15T08:00:00.000Z  olga       -          genealogy.rework         {"board":"WO1-00003","new":"XU00000048","old":"XU00000012 XU00000024","old_source":"timeline","reason":"tombstoned","refdes":"C1","t":1768464000000,"user":"olga"}
    56  2026-01-15T08:00:00.000Z  quinn      -          signature.failed         {"lot":"LOT-A","meaning":"recall","mpn":null,"signer":"quinn"}
    57  2026-01-15T08:00:00.000Z  quinn      -          recall.applied           {"boards_held":["WO1-00003","WO2-00001","WO2-00002"],"counts":{"completed":1,"other":0,"scrapped":1,"shipped":2,"wip":2},"id":"RC-000001","lot":"LOT-A","method":"password","mpn":null,"packages_held":["XU00000012","XU0000005A","XU0000006C"],"reason":"supplier notice 4711: cracked dielectric","signer":"quinn"}
    58  2026-01-15T08:00:00.000Z  quinn      -          recall.applied           {"boards_held":["WO1-00003","WO2-00001","WO2-00002"],"counts":{"completed":1,"other":0,"scrapped":1,"shipped":0,"wip":2},"id":"RC-000002","lot":"LOT-B","method":"badge+pin","mpn":null,"packages_held":["XU00000024"],"reason":"supplier notice 4712","signer":"quinn"}
$ ecms audit verify | head -1
event log verified: 58 events, chain intact
