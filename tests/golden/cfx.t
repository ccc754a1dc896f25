# IPC-CFX ingestion: what the line reports, applied once, with rejections kept.
$ ecms init >/dev/null
$ for k in parts suppliers locations users po; do ecms import $k $DATA/recv/$k.csv >/dev/null; done
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1d1VTI\x1dQ1000\x1d1TL7781\x1d9D2548\x1e\x04' >/dev/null
$ ecms import bom --product HM-100 --rev B $DATA/recv/hm-bom.csv >/dev/null
$ ecms wo create WO-7 --product HM-100 --rev B --qty 4 --customer MEDICO >/dev/null

# Serials for the work order, two per panel.
$ ecms wo serials WO-7 --count 4 --per-panel 2
SERIAL      PANEL       POSITION
WO-7-00001  WO-7-P0001  1
WO-7-00002  WO-7-P0001  2
WO-7-00003  WO-7-P0002  1
WO-7-00004  WO-7-P0002  2

# One machine (its CFX handle is the envelope Source) reports a shift: the reel
# ecms received (XU00000012) and one it never saw, a panel of two, an exact
# placement record, an MSD bag opened, a fault, an AOI result, a vendor message,
# and line 5, which is not JSON.
$ E='"Version":"2.1","Source":"Fuji.NXT3.SN1","Target":null,"RequestID":null'
> {
> echo '{"MessageName":"CFX.Materials.Management.MaterialsInitialized",'$E',"TimeStamp":"2026-01-15T09:00:00+01:00","UniqueID":"u-01","MessageBody":{"Materials":[{"UniqueIdentifier":"XU00000012","InternalPartNumber":"U-AFE-1292","ManufacturerPartNumber":"ADS1292RIPBSR","ManufacturerLotCode":"TL7781","Quantity":1000},{"UniqueIdentifier":"MAT-77","InternalPartNumber":"C-0402-104","ManufacturerLotCode":"L9","Quantity":4000}]}}'
> echo '{"MessageName":"CFX.Materials.Storage.MaterialsLoaded",'$E',"TimeStamp":"2026-01-15T09:01:00+01:00","UniqueID":"u-02","MessageBody":{"Materials":[{"LocationName":"S1","MaterialPackage":{"UniqueIdentifier":"XU00000012"}},{"LocationName":"S2","MaterialPackage":{"UniqueIdentifier":"MAT-77"}}]}}'
> echo '{"MessageName":"CFX.Production.WorkStarted",'$E',"TimeStamp":"2026-01-15T09:10:00+01:00","UniqueID":"u-03","MessageBody":{"TransactionID":"tx-1","Units":[{"UnitIdentifier":"WO-7-P0001","PositionNumber":1},{"UnitIdentifier":"WO-7-P0001","PositionNumber":2}],"RecipeName":"HM-100-TOP","WorkOrderIdentifier":{"WorkOrderId":"WO-7"}}}'
> echo '{"MessageName":"CFX.Production.WorkCompleted",'$E',"TimeStamp":"2026-01-15T09:11:00+01:00","UniqueID":"u-04","MessageBody":{"TransactionID":"tx-1","Result":"Completed"}}'
> echo '{"MessageName": "CFX.Production.UnitsArrived", oops'
> echo '{"MessageName":"CFX.Production.Assembly.MaterialsInstalled",'$E',"TimeStamp":"2026-01-15T09:11:01+01:00","UniqueID":"u-05","MessageBody":{"TransactionId":"tx-1","InstalledMaterials":[{"UnitIdentifier":"WO-7-P0001","UnitPositionNumber":2,"Material":{"UniqueIdentifier":"XU00000012"},"InstalledComponents":[{"ReferenceDesignator":"U1"}]}]}}'
> echo '{"MessageName":"CFX.Materials.Management.MSDManagement.MaterialsOpened",'$E',"TimeStamp":"2026-01-15T09:00:30+01:00","UniqueID":"u-06","MessageBody":{"Materials":[{"UniqueIdentifier":"XU00000012"}]}}'
> echo '{"MessageName":"CFX.ResourcePerformance.FaultOccurred",'$E',"TimeStamp":"2026-01-15T09:10:30+01:00","UniqueID":"u-07","MessageBody":{"Fault":{"$type":"CFX.Structures.SMTPlacement.SMTPlacementFault, CFX","PlacementFaultType":"PickupError","Designator":{"ReferenceDesignator":"C3"},"MaterialLocation":{"LocationName":"S2","MaterialPackage":{"UniqueIdentifier":"MAT-77"}},"FaultCode":"E42","Severity":"Error","OccurredAt":"2026-01-15T09:10:30+01:00"}}}'
> echo '{"MessageName":"CFX.Production.TestAndInspection.UnitsInspected",'$E',"TimeStamp":"2026-01-15T09:20:00+01:00","UniqueID":"u-08","MessageBody":{"TransactionId":"tx-9","InspectionMethod":"AOI","InspectedUnits":[]}}'
> echo '{"MessageName":"Acme.Vendor.Heartbeat",'$E',"TimeStamp":"2026-01-15T09:21:00+01:00","UniqueID":"u-09","MessageBody":{}}'
> echo '{"MessageName":"CFX.Production.WorkCompleted",'$E',"TimeStamp":"2026-01-15T09:22:00+01:00","UniqueID":"u-10","MessageBody":{"TransactionID":"tx-nobody","Result":"Completed"}}'
> } > shift.ndjson
$ ecms cfx ingest shift.ndjson
shift.ndjson:5: rejected: invalid JSON: string or '}' expected near 'oops'
shift.ndjson:11: rejected: WorkCompleted: WorkCompleted for transaction tx-nobody, which no WorkStarted began
11 messages: 8 applied, 0 duplicates, 2 rejected, 1 unknown; 0 board passes, 1 exact placements, 3 flagged
  (unknown names)                                            1
  CFX.Materials.Management.MaterialsInitialized              1
  CFX.Materials.Storage.MaterialsLoaded                      1
  CFX.Production.WorkStarted                                 1
  CFX.Production.WorkCompleted                               1
  CFX.Production.Assembly.MaterialsInstalled                 1
  CFX.ResourcePerformance.FaultOccurred                      1
  CFX.Materials.Management.MSDManagement.MaterialsOpened     1
  CFX.Production.TestAndInspection.UnitsInspected            1
[3]
$ ecms log | wc -l
30

# Replayed: nothing changes, no event (the rejections are reported again, kept once).
$ ecms cfx ingest shift.ndjson --json | jq -c '{items,applied,duplicates,rejected,unknown,deferred}'
shift.ndjson:5: rejected: invalid JSON: string or '}' expected near 'oops'
shift.ndjson:11: rejected: WorkCompleted: WorkCompleted for transaction tx-nobody, which no WorkStarted began
{"items":11,"applied":0,"duplicates":9,"rejected":2,"unknown":0,"deferred":0}
$ ecms log | wc -l
30

# gzip on standard input is read the same way.
$ gzip -c shift.ndjson | ecms cfx ingest - 2>/dev/null; echo "exit $?"
11 messages: 0 applied, 9 duplicates, 2 rejected, 0 unknown; 0 board passes, 0 exact placements, 0 flagged
exit 3

$ ecms cfx rejected
2026-01-15T08:00:00.000Z shift.ndjson:5 -
  invalid JSON: string or '}' expected near 'oops'
2026-01-15T08:00:00.000Z shift.ndjson:11 u-10
  WorkCompleted: WorkCompleted for transaction tx-nobody, which no WorkStarted began

# The line's packages: the one ecms never received is flagged.
$ ecms cfx packages
UID         IPN         MPN            LOT     QUANTITY  MSD_LEVEL  KNOWN  FLAGS
MAT-77      C-0402-104                 L9      4000                 no     unknown_package
XU00000012  U-AFE-1292  ADS1292RIPBSR  TL7781  1000                 yes    
$ ecms cfx faults
TIME                      MACHINE        TYPE         CODE  SEVERITY  DESIGNATOR  SLOT  UID
2026-01-15T08:10:30.000Z  Fuji.NXT3.SN1  PickupError  E42   Error     C3          S2    MAT-77

# The panel's second circuit is the serial ecms allocated; the machine has no
# program HM-100-TOP in ecms yet, so the board is flagged (times kept).
$ ecms board show WO-7-00002
serial            WO-7-00002
work_order        WO-7
customer          MEDICO
product           HM-100
rev               B
panel             WO-7-P0001
position          2
status            wip
hold              -
flags             unknown_program
created           2026-01-15T08:00:00.000Z
started           2026-01-15T08:10:00.000Z
completed         -
shipment          -
shipped           -
customer_shipped  -

route
TIME                      STATION        KIND       RESULT
2026-01-15T08:10:00.000Z  Fuji.NXT3.SN1  started    
2026-01-15T08:11:00.000Z  Fuji.NXT3.SN1  completed  Completed
$ ecms board list --wo WO-7
SERIAL      WORK_ORDER  PANEL       POSITION  STATUS   HOLD
WO-7-00001  WO-7        WO-7-P0001  1         wip      
WO-7-00002  WO-7        WO-7-P0001  2         wip      
WO-7-00003  WO-7        WO-7-P0002  1         planned  
WO-7-00004  WO-7        WO-7-P0002  2         planned  

# Nothing to retry until the machine has the program in ecms.
$ ecms cfx retry
0 transactions: board passes recorded

# The bag opening reached the floor-life clock (the same code as 'ecms msd open').
$ ecms --now 2026-01-15T10:00:30Z msd status XU00000012 | grep -E '^(state|exposure|first_opened)'
state         exposed
exposure      2 h
first_opened  2026-01-15T08:00:30.000Z

$ ecms board show NOPE
ecms: no board 'NOPE'
[3]
$ ecms board list --status lost
ecms: 'lost' is not a board status (planned, wip, completed, scrapped, shipped)
[3]
$ ecms wo serials WO-7 --count 1
ecms: work order WO-7 is for 4 boards and has 4 serials; 1 more would exceed it
[1]
