# The floor-life clock of a moisture-sensitive reel (MSL 3, 1.0 mm): opened, exposed, sealed, baked.
$ ecms init >/dev/null
$ for k in parts suppliers locations users po; do ecms import $k $DATA/recv/$k.csv >/dev/null; done
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1d1VTI\x1dQ1000\x1d1TL7781\x1d9D2548\x1e\x04' >/dev/null

# Dry-packed from the supplier: never opened, usable. A scanned UID may be lower case.
$ ecms msd status xu00000012
uid           XU00000012
ipn           U-AFE-1292
msl           3
state         never opened
where         unopened
usable        yes
exposure      0 s
floor_life    168 h
remaining     168 h
ends_at       -
expired_at    -
opens         0
first_opened  -
hic_pct       -
bakes         0
last_bake     -
since         2026-01-15T08:00:00.000Z

# The bag is opened with a dry HIC; a day later the clock has run 24 h.
$ ecms --user wes msd open XU00000012 --hic 5
XU00000012 opened: exposed, exposure 0 s, remaining 168 h, ends 2026-01-22T08:00:00.000Z
$ ecms --now 2026-01-16T08:00:00Z msd status XU00000012
uid           XU00000012
ipn           U-AFE-1292
msl           3
state         exposed
where         out
usable        yes
exposure      24 h
floor_life    168 h
remaining     144 h
ends_at       2026-01-22T08:00:00.000Z
expired_at    -
opens         1
first_opened  2026-01-15T08:00:00.000Z
hic_pct       5
bakes         0
last_bake     -
since         2026-01-15T08:00:00.000Z

# Re-sealed at 26 h: the clock pauses.
$ ecms --now 2026-01-16T10:00:00Z msd seal XU00000012
XU00000012 sealed: in dry storage, exposure 26 h, remaining 142 h
$ ecms --now 2026-01-20T10:00:00Z msd status XU00000012
uid           XU00000012
ipn           U-AFE-1292
msl           3
state         in dry storage
where         bag
usable        yes
exposure      26 h
floor_life    168 h
remaining     142 h
ends_at       -
expired_at    -
opens         1
first_opened  2026-01-15T08:00:00.000Z
hic_pct       5
bakes         0
last_bake     -
since         2026-01-16T10:00:00.000Z

# Opened again, left out past its floor life: expired, not usable.
$ ecms --now 2026-01-20T10:00:00Z msd open XU00000012
XU00000012 opened: exposed, exposure 26 h, remaining 142 h, ends 2026-01-26T08:00:00.000Z
$ ecms --now 2026-01-26T12:00:00Z msd status XU00000012
uid           XU00000012
ipn           U-AFE-1292
msl           3
state         expired
where         out
usable        no
reason        floor life expired: exposed 172 h of 168 h (MSL 3): bake required (J-STD-033)
exposure      172 h
floor_life    168 h
remaining     0 (over by 4 h)
ends_at       -
expired_at    2026-01-26T08:00:00.000Z
opens         2
first_opened  2026-01-15T08:00:00.000Z
hic_pct       5
bakes         0
last_bake     -
since         2026-01-20T10:00:00.000Z
$ ecms --now 2026-01-26T12:00:00Z msd expiring
UID         IPN         MSL  STATE    WHERE  ENDS_AT  REMAINING
XU00000012  U-AFE-1292  3    expired  out             0 (over by 4 h)

# A bake too short for Table 4-1 is refused and nothing is recorded; a long enough one resets the clock.
$ ecms --now 2026-01-27T12:00:00Z msd bake XU00000012 --temp 125 --hours 5
ecms: bake of 5 h at 125 °C is too short for MSL 3, 1.0 mm: needs 7 h (J-STD-033 Table 4-1, exposure within floor life + 72 h)
[1]
$ ecms --now 2026-01-27T12:00:00Z msd bake XU00000012 --temp 125 --hours 7
XU00000012 baked: exposed, exposure 0 s, remaining 168 h, ends 2026-02-03T12:00:00.000Z
$ ecms --now 2026-01-27T14:00:00Z msd status XU00000012 --json
{
  "uid": "XU00000012",
  "ipn": "U-AFE-1292",
  "msl": "3",
  "state": "exposed",
  "where": "out",
  "exposure": "2 h",
  "floor_life": "168 h",
  "remaining": "166 h",
  "ends_at": "2026-02-03T12:00:00.000Z",
  "expired_at": null,
  "usable": true,
  "reason": "",
  "bake_required": false,
  "ends_if_out_at": "2026-02-03T12:00:00.000Z",
  "reset_at": null,
  "hic_pct": 5,
  "opens": 2,
  "first_opened": "2026-01-15T08:00:00.000Z",
  "bakes": 1,
  "last_bake": "2026-01-27T12:00:00.000Z",
  "last_bake_temp_c": 125,
  "last_bake_duration": "7 h",
  "short_resets": 0,
  "since": "2026-01-27T12:00:00.000Z",
  "cfx_state": "Exposed",
  "clock_rate_permille": 1000,
  "exposure_ms": 7200000,
  "floor_life_ms": 604800000,
  "remaining_ms": 597600000
}

# A wet HIC: the opening is recorded, but the reel needs a bake before use (exit 1).
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1d1PADS1292RIPBSR\x1d1VTI\x1dQ500\x1d1TL7781\x1d9D2548\x1e\x04' >/dev/null
$ ecms msd open XU00000024 --hic 10
XU00000024 opened
ecms: refused: XU00000024: bake required before use: HIC shows >=10 % RH (reading 10 %, limit for MSL 3)
[1]
$ ecms msd bake-start XU00000024 --temp 90 --rh 5
XU00000024 in the oven: baking, exposure 0 s, remaining 168 h
  not usable: being baked at 90 °C since 2026-01-15T08:00:00.000Z
$ ecms --now 2026-01-16T08:00:00Z msd bake-end XU00000024
ecms: bake not ended (continue it, or record bake-abort): bake of 24 h at 90 °C is too short for MSL 3, 1.0 mm: needs 33 h (J-STD-033 Table 4-1, saturated column: the HIC showed 10 % RH)
[1]
$ ecms --now 2026-01-16T17:00:00Z msd bake-end XU00000024
XU00000024 baked: exposed, exposure 0 s, remaining 168 h, ends 2026-01-23T17:00:00.000Z

# The MSL 1 capacitor's floor life is unlimited; a part without MSL cannot be tracked.
$ ecms --user wes receive --po PO-1001 --scan $'[)>\x1e06\x1dP490-1318-1-ND\x1d1PGRM155R71C104KA88D\x1dKPO-1001\x1d4K1\x1dQ10000\x1d1T2231A\x1d9D2548\x1d4LJP\x1d11ZPICK\x1e\x04' >/dev/null
$ ecms msd open XU00000036
XU00000036 opened: exposed, exposure 0 s, remaining unlimited
$ ecms msd seal XU00000012X
ecms: 'XU00000012X' has 11 characters but a leading zero; an ecms package ID has 10 unless its number needs more digits
[3]
$ ecms msd seal XU00000048
ecms: no package 'XU00000048'
[3]

# Site rules: the defaults with their sources; a change is an event, a bad key is refused.
$ ecms msd rules | grep -E '^(KEY|floor_life|bake\.3\.1\.4mm)'
KEY                           VALUE      SOURCE   NOTE
floor_life.1                  unlimited  default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.2                  365d       default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.2a                 28d        default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.3                  168h       default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.4                  72h        default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.5                  48h        default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.5a                 24h        default  floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
floor_life.6                  none       default  MSL 6: default time on label after the mandatory bake; none = each package's label must give it [assumption: no public default]
bake.3.1.4mm.125c.saturated   9h         default  bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]
bake.3.1.4mm.125c.fl72        7h         default  bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]
bake.3.1.4mm.125c.rh          any        default  the oven RH this row needs (J-STD-033 Table 4-1) [src]
bake.3.1.4mm.90c.saturated    33h        default  bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]
bake.3.1.4mm.90c.fl72         23h        default  bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]
bake.3.1.4mm.90c.rh           5%         default  the oven RH this row needs (J-STD-033 Table 4-1) [src]
bake.3.1.4mm.40c.saturated    13d        default  bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]
bake.3.1.4mm.40c.fl72         9d         default  bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]
bake.3.1.4mm.40c.rh           5%         default  the oven RH this row needs (J-STD-033 Table 4-1) [src]
# The tables are rule data a QA user may change (a warehouse user may not).
$ ecms --user wes msd rule set floor_life.3 96h
ecms: wes (role warehouse) may not change the MSD rules
[1]
$ ecms --user quinn msd rule set floor_life.3 96h
msd rule floor_life.3 = 96h
$ ecms --user quinn msd rule set floor_life.3a 96h
ecms: rule key 'floor_life.3a': expected floor_life.<msl> with msl one of 1, 2, 2a, 3, 4, 5, 5a, 6
[3]
$ ecms msd rules | grep ' site '
floor_life.3                  96h        site     floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]
$ ecms log | grep -c ' msd\.'
9
