# Reflow, test and repair records, equipment calibration, reports (issue 7).
$ ecms init >/dev/null

# A reflow profile in the paste window; the same file again changes nothing.
$ ecms reflow import SN-0001 $DATA/quality/profile-good.csv
SN-0001: reflow pass 1: pass
  info reflow.skipped                   Component peak rating not checked: the lowest peak rating of the components placed on the board is not known.
$ ecms reflow import SN-0001 $DATA/quality/profile-good.csv
SN-0001: this profile is already recorded
$ ecms reflow import SN-0002 $DATA/quality/profile-hot.csv --paste SAC305
SN-0002: reflow pass 1: fail
  warn reflow.ramp_high                 Ramp-up rate 2.53 °C/s on TC3 is above the warning maximum of 2.5 °C/s (3 of 3 channels).
  fail reflow.peak_high                 Peak temperature 255.6 °C on TC1 is above the maximum of 250 °C (3 of 3 channels).
  info reflow.skipped                   Component peak rating not checked: the lowest peak rating of the components placed on the board is not known.

# A bad profile: where and what, nothing stored.
$ printf 'time,TC1\n0,25\n1,warm\n' > bad.csv && ecms reflow import SN-0001 bad.csv
ecms: bad.csv:3: column 'TC1': 'warm' is not a temperature
[3]
$ ecms reflow import SN-0001 $DATA/quality/profile-good.csv --paste SnBi
ecms: no reflow window for paste 'SnBi' (set one with 'ecms reflow window paste:SnBi liquidus_c N')
[3]

# Windows per scope; a product may widen the peak window.
$ ecms reflow window product:HM-100 peak.max_c 255
SCOPE           KEY         VALUE
product:HM-100  peak.max_c  255
$ ecms reflow window product:HM-100 peak.max_c 200
ecms: product:HM-100 peak.max_c=200: window: peak.min_c 235 is above peak.max_c 200
[3]
$ ecms reflow window
SCOPE           KEY         VALUE
paste:SAC305    liquidus_c  217
paste:SAC387    liquidus_c  217
paste:SN100C    liquidus_c  227
paste:SN63PB37  liquidus_c  183
product:HM-100  peak.max_c  255

# Test equipment, a calibration that lapsed before the test.
$ ecms equipment add ICT-1 --name 'Teradyne TestStation' --kind ICT --serial TS-991
ICT-1
$ echo '%PDF calibration certificate' > cal.pdf
$ ecms equipment calibrate ICT-1 --from 2025-01-10 --until 2026-01-10 --certificate cal.pdf
ICT-1: calibrated until 2026-01-10
$ ecms equipment calibrate ICT-9 --until 2026-01-10 --certificate cal.pdf
ecms: no equipment 'ICT-9' (register it with 'ecms equipment add')
[3]
$ ecms equipment list
ID     NAME                  KIND  CALIBRATED_UNTIL  STATUS
ICT-1  Teradyne TestStation  ICT   2026-01-10        expired
$ printf 'serial,time,method,station,equipment,technician,test,measurement,value,unit,min,max\nSN-0001,2026-01-15T10:00:00Z,ICT,ICT-ST1,ICT-1,T-17,passives,C1,101.2,nF,90,110\nSN-0001,2026-01-15T10:00:00Z,ICT,ICT-ST1,ICT-1,T-17,passives,R1,10.4,kOhm,9.9,10.1\n' > ict.csv
$ ecms test import ict.csv
1 tests, 1 stored
  SN-0001 fail test.failed                  ICT test Failed: R1 failed
  SN-0001 fail test.calibration_lapsed      Tested at 2026-01-15T10:00:00.000Z on ICT-1, whose calibration was not valid then (last valid until: 2026-01-10).
$ ecms test import ict.csv
1 tests, 0 stored
$ ecms alerts
test.calibration_lapsed board SN-0001 was tested (ICT) at 2026-01-15T10:00:00.000Z on ICT-1, whose calibration had lapsed: retest on calibrated equipment
calibration.expired    ICT-1 (Teradyne TestStation): calibration expired on 2026-01-10: do not test on it

# A repair; the board's record.
$ ecms repair SN-0001 --action 'reworked R1 solder joint' --refdes R1.2 --user quinn
SN-0001: repair recorded
$ ecms repair SN-0001 --action 'replaced R1' --reel XU00000012
ecms: --reel needs --refdes
usage: ecms repair SERIAL --action TEXT [--refdes R [--reel UID]] [--result R] [--user U] [--json]
[2]
$ ecms quality show SN-0001
board SN-0001: fail
  reflow  2026-01-15T08:00:00.000Z pass 1 (curve): peak 242.8 °C, pass
  test    2026-01-15T10:00:00.000Z ICT on ICT-1 (calibration lapsed): Failed, 2 measurements
  repair  2026-01-15T08:00:00.000Z reworked R1 solder joint by quinn
findings:
  info reflow.skipped                   Component peak rating not checked: the lowest peak rating of the components placed on the board is not known.
  fail test.failed                      ICT test Failed: R1 failed
  fail test.calibration_lapsed          Tested at 2026-01-15T10:00:00.000Z on ICT-1, whose calibration was not valid then (last valid until: 2026-01-10).

# Reports: a board no one knows; formats; what a board without genealogy gives.
$ ecms report board NOPE
ecms: no board 'NOPE': neither its genealogy nor any process record is known
[3]
$ ecms report board SN-0001 --format doc
ecms: --format 'doc': expected json, html, pdf or zip
usage: ecms report board SERIAL [--format json|html|pdf] [-o FILE]
[2]
$ ecms report board SN-0001 -o sn1.pdf | sed 's/[0-9]* bytes/N bytes/'
sn1.pdf: N bytes
$ pdftotext sn1.pdf - | grep -E '^(Board birth certificate|Page 1 of [0-9]+)$'
Board birth certificate
Page 1 of 2
$ ecms report board SN-0001 --format html -o sn1.html >/dev/null && grep -c '<svg' sn1.html
1
$ ecms report board SN-0001 --format json | grep -E '"(serial|result|step)"'
    "serial": "SN-0001",
      "step": "reflow",
      "result": "pass",
      "step": "repair",
      "result": "RepairSuccessful",
      "step": "test",
      "result": "Failed",
      "result": "pass",
      "result": "Failed",
          "result": "Passed",
          "result": "Failed",
      "result": "RepairSuccessful",
  "result": "fail",
$ ecms report order WO-404 -o wo.zip
ecms: work order 'WO-404' has no boards
[3]
$ ecms report compliance --serial SN-0001
ecms: no board 'SN-0001'
[3]
$ ecms report recall RC-000404
ecms: no recall 'RC-000404'
[3]
