# The simulator's factory imports cleanly, verifies, and a tampered copy fails.
$ ecms init >/dev/null
$ ecms --user ada sim master --seed 1 --dir sim
master data written to sim/ and imported
$ ecms part list | wc -l
321
$ ecms supplier list
ID        STATUS       AUTHORISED  ISO9001_EXPIRY  NAME
ARROW     approved     yes         2027-01-30      Arrow Electronics
AVNET     approved     yes         2027-09-17      Avnet Silica
BROKERX   conditional  no          2026-05-15      Component Brokers Ltd
DIGIKEY   approved     yes         2027-07-09      Digi-Key Electronics
FARNELL   approved     yes         2027-03-11      Farnell element14
FUTURE    approved     yes         2028-04-14      Future Electronics
GREYMKT   blocked      no                          Grey Market Trading
LCSC      conditional  no          2026-08-03      LCSC Electronics
MOUSER    approved     yes         2027-12-16      Mouser Electronics
RUTRONIK  approved     yes         2025-08-18      Rutronik
TME       approved     yes         2027-05-10      Transfer Multisort Elektronik
TTI       approved     yes         2026-11-11      TTI Europe
$ ecms location show DC2
id        DC2
name      Dry cabinet 2 (<=10% RH)
kind      dry_cabinet
parent    WH
rh_class  10
capacity  300
$ ecms user list --role qa
ID     ROLE  ACTIVE  NAME
qiu    qa    yes     Qiu Lan
quinn  qa    yes     Quinn Quality
$ ecms audit verify | head -1
event log verified: 562 events, chain intact
$ cp test.db copy.db && sqlite3 copy.db "DELETE FROM events WHERE seq = 100"
$ ecms --db copy.db audit verify
event log does NOT verify: event 100 is missing (next is 101)
checked 99 events before the break
[1]
$ ecms sim master --seed 0
ecms: --seed: '0' is not a positive number
usage: ecms sim master [--seed N] [--dir DIR]
[2]
