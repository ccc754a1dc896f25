# Goods receiving: a clean reel, a quarantined one, a refusal, and a signed release.
$ ecms init >/dev/null
$ for k in parts suppliers locations users po; do ecms import $k $DATA/recv/$k.csv; done
data/recv/parts.csv: 2 records: 2 created, 0 updated, 0 unchanged
data/recv/suppliers.csv: 2 records: 2 created, 0 updated, 0 unchanged
data/recv/locations.csv: 4 records: 4 created, 0 updated, 0 unchanged
data/recv/users.csv: 2 records: 2 created, 0 updated, 0 unchanged
data/recv/po.csv: 3 records: 3 created, 0 updated, 0 unchanged
$ ecms po show PO-1001
po          PO-1001
supplier    DIGIKEY
order_date  2026-01-05
status      open

LINE  IPN         MPN  QTY_ORDERED  QTY_RECEIVED  LOT    COC_REQUIRED  STATUS
1     C-0402-104       20000        0                    no            open
2     U-AFE-1292       2000         0             L7781  yes           open


# A clean Digi-Key reel: accepted, its UID label written.
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1dP490-1318-1-ND\x1d1PGRM155R71C104KA88D\x1dKPO-1001\x1d4K1\x1dQ10000\x1d1T2231A\x1d9D2548\x1d4LJP\x1d11ZPICK\x1e\x04'
XU00000012 ACCEPTED  C-0402-104 GRM155R71C104KA88D lot 2231A qty 10000 -> RCV
  label: labels/XU00000012.zpl
$ head -3 labels/XU00000012.zpl
^XA
^CI28
^PW812

# The IC comes with another lot than the PO names, and no CoC although the line asks for one.
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1d1VTI\x1dQ1000\x1d1TL9999\x1d9D2601\x1e\x04'
XU00000024 QUARANTINED  U-AFE-1292 ADS1292RIPBSR lot L9999 qty 1000 -> QA-HOLD
  coc.required: a CoC is required (the PO line asks for one) but none on file covers ADS1292RIPBSR lot L9999
  lot.po: lot L9999 differs from lot L7781 named on PO line 2
  label: labels/XU00000024.zpl

# A broker's reel with a date code in the future and more than the PO: refused, nothing written.
$ ecms --user wes receive --po PO-2001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ600\x1d1TLX1\x1d9D3050\x1e\x04'
ecms: refused: qty.po: over-receipt: PO PO-2001 line 1 has 500 of 500 open, this package holds 600 (tolerance 0 %)
[1]
$ ecms --user wes receive --po PO-2001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1dQ500\x1d1TLX1\x1d9D3050\x1e\x04'
XU00000036 QUARANTINED  U-AFE-1292 ADS1292RIPBSR lot LX1 qty 500 -> QA-HOLD
  warning supplier.status: supplier is only conditionally approved
  supplier.authorised: BROKERX is not an authorised distributor for Texas Instruments (broker source): a CoC and an incoming inspection are required  [counterfeit signal]
  coc.required: a CoC is required (broker source) but none on file covers ADS1292RIPBSR lot LX1
  datecode.future: date code 3050 lies in the future  [counterfeit signal]
  label: labels/XU00000036.zpl
$ ecms --user wes receive --po PO-2001 --scan 'not a label'
ecms: label: unknown label format: 'not a label' is not ISO/IEC 15434 ('[)>'), GS1, LCSC ('{...}') or TME
[3]
$ ecms quarantine
UID         RECEIVED                  AGE_DAYS  SUPPLIER  IPN         LOT    QUANTITY
XU00000024  2026-01-15T08:00:00.000Z  0         DIGIKEY   U-AFE-1292  L9999  1000
  coc.required: a CoC is required (the PO line asks for one) but none on file covers ADS1292RIPBSR lot L9999
  lot.po: lot L9999 differs from lot L7781 named on PO line 2

UID         RECEIVED                  AGE_DAYS  SUPPLIER  IPN         LOT  QUANTITY
XU00000036  2026-01-15T08:00:00.000Z  0         BROKERX   U-AFE-1292  LX1  500
  coc.required: a CoC is required (broker source) but none on file covers ADS1292RIPBSR lot LX1
  datecode.future: date code 3050 lies in the future
  supplier.authorised: BROKERX is not an authorised distributor for Texas Instruments (broker source): a CoC and an incoming inspection are required


# QA decides: a wrong password is refused and logged; the right one signs.
$ echo 'quality first!' | ecms user passwd quinn
password of quinn set
$ echo 'wrong' | ecms release XU00000024 --reason 'lot change accepted' --user quinn
ecms: authentication failed for 'quinn': wrong password, or no such active user
[1]
$ ecms coc add --supplier DIGIKEY --mpn ADS1292RIPBSR --lot L9999 --issued 2026-01-02 $DATA/recv/coc-l7781.pdf
COC-000001
$ echo 'quality first!' | ecms release XU00000024 --reason 'lot change accepted by ECN-77' --user quinn --coc COC-000001 --location R01-S01
XU00000024 released from quarantine by Quinn Quality (quinn) at 2026-01-15T08:00:00.000Z
  reason: lot change accepted by ECN-77
  now available in R01-S01
$ echo 'quality first!' | ecms release XU00000036 --reason 'fine' --user quinn
ecms: XU00000036 comes from a broker: record a passed incoming inspection first ('ecms inspect XU00000036 --result pass')
[1]
$ ecms --user wes inspect XU00000036 --result fail --notes 'remarked top surface'
XU00000036: inspection recorded: fail
$ printf '2468\n' | ecms user passwd quinn --pin
PIN of quinn set
$ printf 'B-9999\n2468\n' | ecms reject XU00000012 --reason 'wrong badge' --disposition scrap --badge
ecms: no active user holds badge 'B-9999'
[1]
$ printf 'B-2001\n2468\n' | ecms reject XU00000036 --reason 'remarked parts: counterfeit' --disposition return --badge
XU00000036 rejected by Quinn Quality (quinn) at 2026-01-15T08:00:00.000Z
  reason: remarked parts: counterfeit
$ ecms package show XU00000036 --json | grep -c '"signal": true'
4
$ ecms supplier show BROKERX | tail -9
quarantined_now         0
rejected                1
released                0
signals                 2
quarantined_at_receipt  1
first_pass_accepted     0

UID         RECEIVED                  MPN            LOT  QUANTITY  STATUS
XU00000036  2026-01-15T08:00:00.000Z  ADS1292RIPBSR  LX1  500       rejected

$ ecms log --type package. | cut -c1-84
    16  2026-01-15T08:00:00.000Z  wes        -          package.received         {"c
    17  2026-01-15T08:00:00.000Z  wes        -          package.received         {"c
    18  2026-01-15T08:00:00.000Z  wes        -          package.received         {"c
    22  2026-01-15T08:00:00.000Z  quinn      -          package.decided          {"c
    23  2026-01-15T08:00:00.000Z  wes        -          package.inspected        {"i
    25  2026-01-15T08:00:00.000Z  quinn      -          package.decided          {"c
$ ecms audit verify | head -1
event log verified: 25 events, chain intact
$ ecms label print XU00000024 --format png -o reel.png && dmtxread reel.png
reel.png written
XU00000024
