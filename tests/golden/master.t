# Master data: import, show, list, all-or-nothing, JSON output.
$ ecms init >/dev/null
$ ecms --user ada import parts $DATA/parts.csv
data/parts.csv: 3 records: 3 created, 0 updated, 0 unchanged

# Re-importing the same file changes nothing.
$ ecms import parts $DATA/parts.csv
data/parts.csv: 3 records: 0 created, 0 updated, 3 unchanged

# A bad file: every error, with file, line and column; nothing written.
$ ecms import parts $DATA/parts_bad.csv
data/parts_bad.csv:2: column 'msl': '7' is not an MSL level (1, 2, 2a, 3, 4, 5, 5a, 6)
data/parts_bad.csv:3: column 'restricted': 'maybe' is not yes or no
data/parts_bad.csv:4: column 'thickness_mm' is required for moisture-sensitive parts (MSL 3)
ecms: data/parts_bad.csv: 3 errors, nothing imported
[3]
$ ecms part list
IPN            CATEGORY   PACKAGE  MSL  DESCRIPTION
C-0402-100N    capacitor  0402     1    Capacitor 100 nF 16 V X7R 0402
R-0603-10K     resistor   0603          Resistor 10 kΩ 1 % 0603
U-MCU-STM32G0  ic         LQFP-48  3    MCU STM32G071 LQFP-48
$ ecms part show U-MCU-STM32G0
ipn                U-MCU-STM32G0
description        MCU STM32G071 LQFP-48
category           ic
package            LQFP-48
aml                mpn=STM32G071CBT6 manufacturer=STMicroelectronics
msl                3
thickness_mm       1.4
peak_c             260
rohs               compliant
reach              compliant
shelf_life_days    -
std_pack           1500
reorder_point      300
lead_time_days     84
max_dc_age_months  -
unit_cost          1.85
restricted         yes
$ ecms part show C-0402-100N --json
{
  "ipn": "C-0402-100N",
  "description": "Capacitor 100 nF 16 V X7R 0402",
  "category": "capacitor",
  "package": "0402",
  "aml": [
    {
      "mpn": "CL05B104KO5NNNC",
      "manufacturer": "Samsung Electro-Mechanics"
    },
    {
      "mpn": "GRM155R71C104KA88D",
      "manufacturer": "Murata"
    }
  ],
  "msl": "1",
  "thickness_mm": null,
  "peak_c": 260.0,
  "rohs": "compliant",
  "reach": "compliant",
  "shelf_life_days": 730,
  "std_pack": 10000,
  "reorder_point": 20000,
  "lead_time_days": 28,
  "max_dc_age_months": null,
  "unit_cost": 0.002,
  "restricted": false
}
$ ecms part show NOPE
ecms: no part 'NOPE'
[3]

$ ecms import suppliers $DATA/suppliers.csv
data/suppliers.csv: 2 records: 2 created, 0 updated, 0 unchanged
$ ecms supplier list --status approved
ID       STATUS    AUTHORISED  ISO9001_EXPIRY  NAME
DIGIKEY  approved  yes         2027-05-01      Digi-Key Electronics

# JSON import: errors name the line where the record starts.
$ ecms import locations $DATA/locations.json
data/locations.json:5: column 'rh_class' is required for a dry cabinet (5 or 10, % RH)
ecms: data/locations.json: 1 error, nothing imported
[3]
$ ecms location list
ID  KIND  PARENT  RH_CLASS  CAPACITY  NAME
$ ecms import widgets x.csv
ecms: cannot import 'widgets': expected one of parts, suppliers, locations, users, po
[2]
$ ecms import parts
ecms: missing argument
usage: ecms import KIND FILE [--json]
[2]

# The event log and its audit; then an edit with the sqlite3 shell.
$ ecms log --type supplier. --json | grep -c '"seq"'
2
$ ecms log --since 5 --limit 2
     6  2026-01-15T08:00:00.000Z  ada        -          part.created             {"aml":[{"manufacturer":"Yageo","mpn":"RC0603FR-0710KL"}],"category":"resistor","description":"Resistor 10 kΩ 1 % 0603","ipn":"R-0603-10K","lead_time_days":21,"max_dc_age_months":null,"msl":null,"package":"0603","peak_c":null,"reach":"unknown","reorder_point":10000,"restricted":false,"rohs":"compliant","shelf_life_days":null,"std_pack":5000,"thickness_mm":null,"unit_cost":0.001}
     7  2026-01-15T08:00:00.000Z  ada        -          manufacturer.created     {"name":"Yageo"}
$ ecms audit verify
event log verified: 9 events, chain intact
head: event 9, sha256 aa024ad06d26a8c7bf13277f0519239ae015e12d215f1153951ea96e62917c0f
$ sqlite3 test.db "UPDATE events SET payload = replace(payload, '1500', '1600') WHERE seq = 4"
$ ecms audit verify
event log does NOT verify: event 4 was altered (its content does not match its hash)
checked 3 events before the break
[1]
$ ecms audit verify --json
{
  "verified": false,
  "events": 3,
  "head_seq": 0,
  "head_hash": "",
  "first_bad_seq": 4,
  "reason": "event 4 was altered (its content does not match its hash)"
}
[1]
