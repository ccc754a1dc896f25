# The production simulator on a small run (64 boards on two lines): the files it
# writes, the notice lot on exactly 20 boards with three reels of it left in stock,
# byte-identical files for the same seed and clock, and refused settings.
$ ecms init >/dev/null
$ ecms --user ada sim master --seed 1 --dir sim >/dev/null
$ ecms sim product --boards 64 --wo WO-T --dir sim
HM-100 rev B imported from sim/heart-monitor-HM-100-B.csv; work order WO-T for 64 boards
$ ecms --user wes sim production --wo WO-T --dir prod
64 boards on 2 lines (24 panels), 51 reels received, 497 CFX messages
notice lot PAZ9840 (CL21A106KP5NNNC, C-0805-106-10V-X5R): 20 boards carry it, 3 reels of it in stock
grey-zone boards 8, boards with an ambiguous refdes 10, scrapped 1, shipped 53
written to prod/: programs*.csv cfx.ndjson truth.json shipments.csv equipment.csv
$ ls prod | grep -v '^coc-'
cal-FCT-1.txt
cal-FCT-2.txt
cfx.ndjson
equipment.csv
po-production-WO-T.csv
programs-L2.csv
programs.csv
shipments.csv
truth.json
$ cat prod/programs.csv
product,rev,side,machine,program,slot,ipn,refdes
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S001,C-0402-100-50V-C0G,C27-C28
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S002,C-0402-103-16V-X7R,C13-C20
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S003,C-0402-104-16V-X7R,C1-C12
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S004,C-0603-105-25V-X7R,C21-C24
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S005,C-0805-106-10V-X5R,C25-C26
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S006,D-ESD-PESD3V3L2BT,D3
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S007,D-LED-SGC,D1-D2
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S008,L-LQH-2R2,L1
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S009,Q-FET-2301CDS,Q1-Q2
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S010,R-0402-10K,R1-R8 R13-R18
HM-100,B,top,L1-M1,HM100-B-TOP-L1-M1,L1-M1-S011,R-0402-1K2,R9-R12
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S001,J-PH-3,J2
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S003,J-PICO-04,J1
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S005,U-AFE-AD8232ACPZR7,U6
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S007,U-AFE-ADS1292RIPBS,U1
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S009,U-BLE-NRF52832QFAA,U2
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S011,U-CHG-BQ24075RGTR,U3
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S013,U-FLASH-W25Q128JVSIQ,U5
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S015,U-LDO-33,U4
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S017,Y-ABM8-12.000MHZ,Y1
HM-100,B,top,L1-M2,HM100-B-TOP-L1-M2,L1-M2-S019,Y-ABM8-16.000MHZ,Y2
$ diff <(cut -d, -f1-3,7- prod/programs.csv) <(cut -d, -f1-3,7- prod/programs-L2.csv) && echo same parts and refdes on L2
same parts and refdes on L2
$ sed 's/.*"MessageName": *"\([^"]*\)".*/\1/' prod/cfx.ndjson | sort | uniq -c
     12 CFX.Materials.Management.MSDManagement.MaterialsOpened
     12 CFX.Materials.Management.MSDManagement.MaterialsPlacedInDryStorage
     21 CFX.Materials.Management.MaterialsInitialized
      1 CFX.Materials.Storage.MaterialsEmpty
     43 CFX.Materials.Storage.MaterialsLoaded
      5 CFX.Materials.Storage.MaterialsUnloaded
      4 CFX.Materials.Storage.SplicePointDetected
     25 CFX.Production.Assembly.MaterialsInstalled
      1 CFX.Production.Assembly.MaterialsUninstalled
     88 CFX.Production.Processing.UnitsProcessed
      2 CFX.Production.ReworkAndRepair.UnitsRepaired
     24 CFX.Production.TestAndInspection.UnitsInspected
     64 CFX.Production.TestAndInspection.UnitsTested
     48 CFX.Production.UnitsArrived
     48 CFX.Production.UnitsDeparted
      1 CFX.Production.UnitsDisqualified
     48 CFX.Production.WorkCompleted
     48 CFX.Production.WorkStarted
      2 CFX.ResourcePerformance.FaultOccurred
# The notice lot, its reels, and the boards that carry it.
$ lot=$(sed -n 's/^"notice": {"lot":"\([^"]*\)".*/\1/p' prod/truth.json); echo $lot
PAZ9840
$ sqlite3 test.db "SELECT uid, ipn, supplier, lot, quantity, status, coc IS NOT NULL FROM packages WHERE lot = '$(sed -n 's/^"notice": {"lot":"\([^"]*\)".*/\1/p' prod/truth.json)' ORDER BY uid"
XU000000ZV|C-0805-106-10V-X5R|MOUSER|PAZ9840|4000|available|1
XU00000104|C-0805-106-10V-X5R|MOUSER|PAZ9840|4000|available|1
XU00000116|C-0805-106-10V-X5R|MOUSER|PAZ9840|4000|available|1
XU00000120|C-0805-106-10V-X5R|MOUSER|PAZ9840|4000|available|1
$ sed -n 's/^"notice": .*"boards":\(\[.*\]\)},*$/\1/p' prod/truth.json | tr ',' '\n' | wc -l
20
$ grep -c '^{"serial"' prod/truth.json
64
$ head -3 prod/shipments.csv; cut -d, -f1 prod/shipments.csv | sort | uniq -c
shipment,date,customer,serial
SHP-1,2025-10-19,MEDICO,HM100B-00001
SHP-1,2025-10-19,MEDICO,HM100B-00002
     31 SHP-1
     22 SHP-2
      1 shipment
$ cat prod/equipment.csv
id,kind,description,calibrated_until,certificate
FCT-1,tester,HM-100 functional tester 1 (NI PXIe-8881),2026-05-05,cal-FCT-1.txt
FCT-2,tester,HM-100 functional tester 2 (NI PXIe-8881),2025-10-14,cal-FCT-2.txt
# Same seed, same clock, another database: the same files, byte for byte.
$ ecms --db b.db init >/dev/null && ecms --db b.db --user ada sim master --seed 1 --dir simb >/dev/null && ecms --db b.db sim product --boards 64 --wo WO-T --dir simb >/dev/null && ecms --db b.db --user wes sim production --wo WO-T --dir prodb >/dev/null
$ for f in programs.csv programs-L2.csv cfx.ndjson truth.json shipments.csv; do cmp prod/$f prodb/$f && echo "$f identical"; done
programs.csv identical
programs-L2.csv identical
cfx.ndjson identical
truth.json identical
shipments.csv identical
# Refused: before anything is bought.
$ ecms --user wes sim production --wo WO-NONE --dir bad
ecms: work order WO-NONE not found: run 'ecms sim product --wo WO-NONE' first
[3]
$ ecms --user wes sim production --wo WO-T --lines 5 --dir bad
ecms: --lines: '5' is not a number from 1 to 4
usage: ecms sim production [--seed N] [--wo ID] [--boards N] [--lines N] [--notice-boards N] [--dir DIR] [--json]
[2]
$ ecms --user wes sim production --wo WO-T --boards 30 --dir bad
ecms: the notice lot needs a multiple of 4 boards fewer than the last line's 14 (with one line: full panels, and more than twice as many boards)
[2]
$ ecms --user wes sim production --wo WO-T --boards 65 --dir bad
ecms: boards: 65 is more than work order WO-T's 64
[2]
$ ecms --user wes sim production --wo WO-T --notice-boards 6 --dir bad
ecms: the notice lot needs a multiple of 4 boards fewer than the last line's 32 (with one line: full panels, and more than twice as many boards)
[2]
$ sqlite3 test.db "SELECT COUNT(*) FROM purchase_orders"
2
