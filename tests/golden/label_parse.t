# ecms label parse: supplier-label scans as argument or on standard input.

# A Digi-Key EIGP 114 label (GS/RS as control characters), as a table.
$ ecms label parse $'[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d9D2231\x1d11ZPICK\x1d12Z15221337\x1d13Z361337\x1d20Z0000000000'
format          eigp114
supplier        digikey
mpn             LM358BIDDFR
supplier_pn     296-LM358BIDDFRCT-ND
quantity        10
date_code       2231
date_code_week  2022-W31
country         PH
supplier_order  72991337
packing_list    1
warning: no RS EOT trailer at the end (many labels omit it)

# The same as JSON: absent fields are null, every identifier is listed.
$ ecms label parse --json $'>[)>06\x1dK21421337\x1d14K033\x1d1PLDK320ADU33R\x1dQ32\x1d11K060931337\x1d4LCN\x1d1VSTMicro'
{
  "format": "eigp114",
  "supplier": "mouser",
  "mpn": "LDK320ADU33R",
  "manufacturer": "STMicro",
  "supplier_pn": null,
  "customer_pn": null,
  "quantity": 32,
  "lot": null,
  "date_code": null,
  "date_code_week": null,
  "country": "CN",
  "po": "21421337",
  "po_line": "033",
  "supplier_order": null,
  "packing_list": "060931337",
  "serial": null,
  "gtin": null,
  "expiry": null,
  "fields": [
    {
      "id": "K",
      "value": "21421337"
    },
    {
      "id": "14K",
      "value": "033"
    },
    {
      "id": "1P",
      "value": "LDK320ADU33R"
    },
    {
      "id": "Q",
      "value": "32"
    },
    {
      "id": "11K",
      "value": "060931337"
    },
    {
      "id": "4L",
      "value": "CN"
    },
    {
      "id": "1V",
      "value": "STMicro"
    }
  ],
  "warnings": [
    "old header '>[)>06' (Mouser) read as '[)>' RS '06' GS",
    "no RS EOT trailer at the end (many labels omit it)"
  ]
}

# Standard input, with '-' or without an argument; one trailing newline is dropped.
$ printf '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1}\n' | ecms label parse -
format          lcsc
supplier        lcsc
mpn             ST-1-102-A01-T000-RS
supplier_pn     C312270
quantity        2
supplier_order  SO2009291337
$ printf '(01)38425876095074(17)181100(37)1\r\n' | ecms label parse --json
{
  "format": "gs1",
  "supplier": null,
  "mpn": null,
  "manufacturer": null,
  "supplier_pn": null,
  "customer_pn": null,
  "quantity": 1,
  "lot": null,
  "date_code": null,
  "date_code_week": null,
  "country": null,
  "po": null,
  "po_line": null,
  "supplier_order": null,
  "packing_list": null,
  "serial": null,
  "gtin": "38425876095074",
  "expiry": "2018-11-30",
  "fields": [
    {
      "id": "01",
      "value": "38425876095074"
    },
    {
      "id": "17",
      "value": "181100"
    },
    {
      "id": "37",
      "value": "1"
    }
  ],
  "warnings": []
}

# A keyboard-wedge scanner typing ']' for GS and '^' for RS, '^d' for the trailer.
$ ecms label parse --gs ] --rs ^ ']d1[)>^06]P596-777A1-ND]1PXAF4444]Q3]10D1452]1TBF1103]4LUS^d'
format          eigp114
mpn             XAF4444
customer_pn     596-777A1-ND
quantity        3
lot             BF1103
date_code       1452
date_code_week  2014-W52
country         US
warning: keyboard-wedge substitutes read as separators: ']' as GS, '^' as RS
$ printf '[)>^06@1PRR0816P-103-D@Q5000@1VSusumu^d' | ECMS_SCAN_GS=@ ECMS_SCAN_RS=^ ecms label parse
format          eigp114
supplier        mouser
mpn             RR0816P-103-D
manufacturer    Susumu
quantity        5000
warning: keyboard-wedge substitutes read as separators: '@' as GS, '^' as RS

# TME QR code: the order number is the part before '/'.
$ ecms label parse 'QTY:1000 PN:SMD0603-5K1-1% PO:32723349/7 MFR:ROYALOHM MPN:0603SAF5101T5E CoO:TH RoHS https://www.tme.eu/details/SMD0603-5K1-1%25'
format          tme
supplier        tme
mpn             0603SAF5101T5E
manufacturer    ROYALOHM
supplier_pn     SMD0603-5K1-1%
quantity        1000
country         TH
supplier_order  32723349

# Refusals: bad data exits with 3 and says what is wrong.
$ ecms label parse '[)>06P296-LM358BIDDFRCT-ND1PLM358BIDDFRK1K72991337Q10'
ecms: the label ('[)>06P296-LM358BIDDFRCT-ND1PLM358BIDDFRK...') has lost its field separators: there is no GS between the fields, so they cannot be split without guessing; configure the scanner to send GS/RS control characters (or printable substitutes, then use --gs/--rs)
[3]
$ ecms label parse '(01)38425876095079(17)181119'
ecms: GS1 AI (01): GTIN 38425876095079 has check digit 9, expected 4: misread or misprinted label
[3]
$ printf '' | ecms label parse
ecms: the scan is empty
[3]
$ ecms label parse 'QTY:5 PN:ABC MPN:XYZ'
ecms: 'QTY:5 PN:ABC MPN:XYZ' looks like a TME QR code (KEY:VALUE tokens) but lacks the tme.eu product URL that identifies one
[3]

# Usage errors exit with 2.
$ ecms label parse --gs '^^' 'x'
ecms: --gs: '^^' is not a single character
usage: ecms label parse [--json] [--gs C] [--rs C] [SCAN | -]
[2]
$ ecms label parse --gs ] --rs ] 'x'
ecms: GS and RS substitutes are both ']'; they must differ
usage: ecms label parse [--json] [--gs C] [--rs C] [SCAN | -]
[2]
$ ecms label parse a b
ecms: unexpected argument 'b'
usage: ecms label parse [--json] [--gs C] [--rs C] [SCAN | -]
[2]
