# CLI conventions: --version, help, --db and $ECMS_DB, exit codes, the schema check,
# the injected clock, the event log's filters, and tamper detection by the sqlite3 shell.
# (schema numbers masked as N: they grow with every migration)
$ ecms --version 2>&1 | sed -E 's/(version|schema|binary.s) [0-9]+/\1 N/g'; exit ${PIPESTATUS[0]}
ecms 0.1.0 (schema N)
$ ecms help | tail -2
exit codes: 0 ok, 1 refused by a rule, 2 usage, 3 bad data, 4 internal
environment: ECMS_DB, ECMS_USER, ECMS_STATION, ECMS_NOW (ISO 8601)

# Before 'ecms init' there is no database: bad data (exit 3), nothing created.
$ ecms part list
ecms: cannot open database test.db: no such file (create it with 'ecms init')
[3]
$ ls *.db 2>/dev/null | wc -l
0
$ ecms --db other.db init 2>&1 | sed -E 's/(version|schema|binary.s) [0-9]+/\1 N/g'; exit ${PIPESTATUS[0]}
other.db: created, schema version N
$ ls *.db
other.db
# Without --db or $ECMS_DB the database is ./ecms.db.
$ env -u ECMS_DB ecms init | sed -E 's/version [0-9]+/version N/' && ls *.db
ecms.db: created, schema version N
ecms.db
other.db

# A database migrated by a newer ecms is refused by every command, and by init.
$ sqlite3 other.db "INSERT INTO schema_version (version, name, applied_ms) VALUES (99, 'future', 0)"
$ ecms --db other.db part list 2>&1 | sed -E 's/(version|schema|binary.s) [0-9]+/\1 N/g'; exit ${PIPESTATUS[0]}
ecms: other.db has schema version N, newer than this binary's N: use a newer ecms
[3]
$ ecms --db other.db init 2>&1 | sed -E 's/(version|schema|binary.s) [0-9]+/\1 N/g'; exit ${PIPESTATUS[0]}
ecms: the database has schema version N, newer than this binary's N: use a newer ecms
[3]

# Exit codes: 2 usage, 3 bad data, 1 refused by a rule.
$ ecms init >/dev/null
$ ecms part list --colour red
ecms: unknown option '--colour'
usage: ecms part list [--category C] [--json]
[2]
$ ecms part show
ecms: missing argument
usage: ecms part show ID [--json]
[2]
$ ecms log --since abc
ecms: --since: 'abc' is not a sequence number
usage: ecms log [--since SEQ] [--type TYPE] [--limit N] [--json]
[2]
$ ecms --now yesterday log
ecms: --now: 'yesterday' is not an ISO 8601 time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.mmm][Z|+HH:MM])
usage: ecms [--db PATH] [--user U] [--station S] [--now TIME] COMMAND [ARGS]
       ecms help [COMMAND]    ecms COMMAND --help    ecms --version
[2]
$ ECMS_NOW=garbage ecms log
ecms: ECMS_NOW: 'garbage' is not an ISO 8601 time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.mmm][Z|+HH:MM])
[3]

# "Now" is injected (--now or $ECMS_NOW): events carry that time.
$ ecms --user ada --now 2026-03-01T12:30:00Z import users $DATA/users.csv
data/users.csv: 2 records: 2 created, 0 updated, 0 unchanged
$ ecms --user ada import suppliers $DATA/suppliers.csv
data/suppliers.csv: 2 records: 2 created, 0 updated, 0 unchanged
$ ecms log
     1  2026-03-01T12:30:00.000Z  ada        -          user.created             {"active":true,"badge":"B-0001","customer":null,"id":"ada","name":"Ada Admin","role":"admin"}
     2  2026-03-01T12:30:00.000Z  ada        -          user.created             {"active":true,"badge":"B-0002","customer":null,"id":"vic","name":"Vic Viewer","role":"viewer"}
     3  2026-01-15T08:00:00.000Z  ada        -          supplier.created         {"authorised":true,"franchises":[],"id":"DIGIKEY","iso9001_cert":"ISO-DK-1","iso9001_expiry":"2027-05-01","name":"Digi-Key Electronics","status":"approved"}
     4  2026-01-15T08:00:00.000Z  ada        -          supplier.created         {"authorised":false,"franchises":[],"id":"BROKERX","iso9001_cert":null,"iso9001_expiry":null,"name":"Component Brokers Ltd","status":"conditional"}
$ ecms log --since 2 --type supplier.
     3  2026-01-15T08:00:00.000Z  ada        -          supplier.created         {"authorised":true,"franchises":[],"id":"DIGIKEY","iso9001_cert":"ISO-DK-1","iso9001_expiry":"2027-05-01","name":"Digi-Key Electronics","status":"approved"}
     4  2026-01-15T08:00:00.000Z  ada        -          supplier.created         {"authorised":false,"franchises":[],"id":"BROKERX","iso9001_cert":null,"iso9001_expiry":null,"name":"Component Brokers Ltd","status":"conditional"}
$ ecms log --since 3 --json
[
  {
    "seq": 4,
    "time": "2026-01-15T08:00:00.000Z",
    "actor": "ada",
    "station": "",
    "type": "supplier.created",
    "payload": {
      "authorised": false,
      "franchises": [],
      "id": "BROKERX",
      "iso9001_cert": null,
      "iso9001_expiry": null,
      "name": "Component Brokers Ltd",
      "status": "conditional"
    },
    "prev_hash": "1558fffd0109e74370ed2c8ef28a76adab00a6cddd5f69cf18fb2b45d782a073",
    "hash": "46085911ebea05e8180257c4e5687be73037f745acba5777652bf2957e810134"
  }
]
$ ecms log --type user. --json | grep -c '"seq"'
2

# CSV and JSON imports, all or nothing, every bad record with FILE:LINE: column.
$ ecms import suppliers $DATA/import/suppliers_bad.csv
data/import/suppliers_bad.csv:3: column 'authorised': 'perhaps' is not yes or no
data/import/suppliers_bad.csv:4: column 'status': 'shady' is not one of: approved, conditional, blocked
data/import/suppliers_bad.csv:5: column 'iso9001_expiry': '2027-13-01' is not a date (YYYY-MM-DD)
ecms: data/import/suppliers_bad.csv: 3 errors, nothing imported
[3]
$ ecms supplier list
ID       STATUS       AUTHORISED  ISO9001_EXPIRY  NAME
BROKERX  conditional  no                          Component Brokers Ltd
DIGIKEY  approved     yes         2027-05-01      Digi-Key Electronics
$ ecms import suppliers $DATA/import/suppliers.json
data/import/suppliers.json: 2 records: 2 created, 0 updated, 0 unchanged
$ ecms supplier show GREYMKT --json
{
  "id": "GREYMKT",
  "name": "Grey Market Trading",
  "status": "blocked",
  "authorised": false,
  "franchises": [],
  "iso9001_cert": null,
  "iso9001_expiry": null,
  "receipts": {
    "received": 0,
    "quarantined_now": 0,
    "rejected": 0,
    "released": 0,
    "signals": 0,
    "quarantined_at_receipt": 0,
    "first_pass_accepted": 0,
    "recent": []
  }
}
$ ecms import users $DATA/import/users.json
data/import/users.json: 3 records: 3 created, 0 updated, 0 unchanged
$ ecms import users $DATA/import/users_bad.json
data/import/users_bad.json:3: field 'role': 'boss' is not one of: admin, qa, warehouse, operator, viewer, customer
ecms: data/import/users_bad.json: 1 error, nothing imported
[3]
$ ecms user list
ID     ROLE       ACTIVE  NAME
ada    admin      yes     Ada Admin
olga   operator   yes     Olga Operator
quinn  qa         yes     Quinn Quality
vic    viewer     yes     Vic Viewer
wes    warehouse  yes     Wes Receiving
$ ecms user show olga
id        olga
name      Olga Operator
role      operator
badge     B-4001
active    yes
customer  -
$ ecms import locations $DATA/import/locations_bad.csv
data/import/locations_bad.csv:3: column 'rh_class': '3' is not one of: 5, 10
data/import/locations_bad.csv:4: column 'capacity': '-4' is not a whole number from 1 to 1000000
data/import/locations_bad.csv:5: column 'kind': 'drawer' is not one of: warehouse, rack, shelf, dry_cabinet, line_side, machine, feeder_slot, receiving, quarantine, oven
ecms: data/import/locations_bad.csv: 3 errors, nothing imported
[3]
$ ecms location list
ID  KIND  PARENT  RH_CLASS  CAPACITY  NAME
$ ecms import parts $DATA/import/parts.json
data/import/parts.json:5: field 'msl': '9' is not an MSL level (1, 2, 2a, 3, 4, 5, 5a, 6)
ecms: data/import/parts.json: 1 error, nothing imported
[3]
$ ecms part list
IPN  CATEGORY  PACKAGE  MSL  DESCRIPTION
$ ecms manufacturer list
NAME

# The audit: intact; then the last event deleted by hand; then one in the middle.
$ ecms audit verify
event log verified: 9 events, chain intact
head: event 9, sha256 1de40ab93dc48afbc763bf3804910a807c817f975e1842d99b1d470cb2f72e6e
$ cp test.db tail.db && sqlite3 tail.db "DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)"
$ ecms --db tail.db audit verify
event log does NOT verify: event 9 is missing from the end of the log
checked 8 events before the break
[1]
$ cp test.db mid.db && sqlite3 mid.db "DELETE FROM events WHERE seq = 3"
$ ecms --db mid.db audit verify --json
{
  "verified": false,
  "events": 2,
  "head_seq": 0,
  "head_hash": "",
  "first_bad_seq": 3,
  "reason": "event 3 is missing (next is 4)"
}
[1]
$ sqlite3 test.db "UPDATE events SET actor = 'mallory' WHERE seq = 1"
$ ecms audit verify
event log does NOT verify: event 1 was altered (its content does not match its hash)
checked 0 events before the break
[1]
