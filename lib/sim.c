/*
 * sim.c: the deterministic factory simulator: master data.
 *
 * Everything comes from one splitmix64 stream seeded by the config, so a
 * seed names a factory. MPNs follow the manufacturers' real ordering
 * codes (Murata GRM, Samsung CL, Yageo RC, Vishay CRCW, Panasonic ERJ,
 * TI, ST, ADI, Microchip ...), with MSL, body thickness and peak ratings
 * typical of their packages.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ecms/master.h"
#include "ecms/msd.h"
#include "ecms/msdstore.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/warehouse.h"
#include "ecms/sim.h"
#include "ecms_int.h"
#include "master.h"
#include "record.h"
#include "sim_int.h"
#include "store/store.h"

struct ecms_sim {
	ecms_sim_config cfg;
	uint64_t state;
};

static uint64_t
next64(ecms_sim *s)
{
	uint64_t z = (s->state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint64_t
ecms_sim_rand(ecms_sim *s, uint64_t n)
{
	return n ? next64(s) % n : 0;
}

static int
pick(ecms_sim *s, int n)
{
	return (int)ecms_sim_rand(s, (uint64_t)n);
}

int
ecms_sim_new(const ecms_sim_config *cfg, ecms_sim **out)
{
	ecms_sim *s = ecms__calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return ECMS_ENOMEM;
	if (cfg)
		s->cfg = *cfg;
	if (s->cfg.seed == 0)
		s->cfg.seed = 1;
	if (s->cfg.parts < 300)
		s->cfg.parts = s->cfg.parts ? 300 : 320;
	if (s->cfg.lines <= 0)
		s->cfg.lines = 2;
	if (s->cfg.machines <= 0)
		s->cfg.machines = 2;
	if (s->cfg.slots <= 0)
		s->cfg.slots = 40;
	s->state = s->cfg.seed;
	*out = s;
	return ECMS_OK;
}

void
ecms_sim_free(ecms_sim *s)
{
	ecms__free(s);
}

/* ------------------------------------------------------------------
 * Parts
 * ------------------------------------------------------------------ */

struct part {
	char ipn[48];
	char desc[96];
	const char *category;
	char package[24];
	char aml[256];
	const char *msl; /* NULL: unknown */
	double thickness, peak;
	const char *rohs, *reach;
	int shelf_days, std_pack, reorder, lead_days;
	double cost;
	bool restricted;
};

struct size {
	const char *eia;     /* 0402 */
	const char *murata;  /* GRM155 */
	const char *samsung; /* CL05 */
	const char *yageo;   /* RC0402 */
	const char *vishay;  /* CRCW0402 */
	const char *pana;    /* ERJ-2RKF */
	int pack;
	double max_uf; /* largest MLCC value offered */
};

static const struct size sizes[] = {
	{ "0402", "GRM155", "CL05", "RC0402", "CRCW0402", "ERJ-2RKF", 10000, 1.0 },
	{ "0603", "GRM188", "CL10", "RC0603", "CRCW0603", "ERJ-3EKF", 4000, 10.0 },
	{ "0805", "GRM21B", "CL21", "RC0805", "CRCW0805", "ERJ-6ENF", 4000, 22.0 },
	{ "1206", "GRM31C", "CL31", "RC1206", "CRCW1206", "ERJ-8ENF", 4000, 47.0 },
};

/* Capacitance in pF → "104" style code (two digits and a multiplier). */
static void
cap_code(double pf, char out[24])
{
	int exp = 0;

	while (pf >= 100) {
		pf /= 10;
		exp++;
	}
	snprintf(out, 24, "%02d%d", (int)(pf + 0.5) % 100, exp % 10);
}

static void
cap_value_text(double pf, char out[16])
{
	if (pf >= 1e6)
		snprintf(out, 16, "%g uF", pf / 1e6);
	else if (pf >= 1e3)
		snprintf(out, 16, "%g nF", pf / 1e3);
	else
		snprintf(out, 16, "%g pF", pf);
}

static void
gen_capacitor(ecms_sim *s, struct part *p, int k)
{
	static const double values_pf[] = { 10,    22,   47,    100,   220,   470,  1000,
					    2200,  4700, 10000, 22000, 47000, 1e5,  2.2e5,
					    4.7e5, 1e6,  2.2e6, 4.7e6, 1e7,   2.2e7 };
	static const struct {
		const char *v, *murata, *samsung;
	} volts[] = { { "6.3", "0J", "Q" },
		      { "10", "1A", "P" },
		      { "16", "1C", "O" },
		      { "25", "1E", "A" },
		      { "50", "1H", "B" } };
	const struct size *sz;
	double pf;
	char code[24], val[16];
	const char *diel, *mdiel, *sdiel;
	int vi;

	do {
		sz = &sizes[pick(s, 4)];
		pf = values_pf[pick(s, (int)ECMS_ARRAY_LEN(values_pf))];
	} while (pf / 1e6 > sz->max_uf);
	if (pf <= 1000) {
		diel = "C0G", mdiel = "5C", sdiel = "C";
		vi = 4;
	} else if (pf <= 1e6) {
		diel = "X7R", mdiel = "R7", sdiel = "B";
		vi = 2 + pick(s, 3);
	} else {
		diel = "X5R", mdiel = "R6", sdiel = "A";
		vi = pick(s, 3);
	}
	cap_code(pf, code);
	cap_value_text(pf, val);
	snprintf(p->ipn, sizeof(p->ipn), "C-%s-%s-%sV-%s", sz->eia, code, volts[vi].v, diel);
	snprintf(p->desc, sizeof(p->desc), "Capacitor MLCC %s %s V %s %s", val, volts[vi].v, diel,
		 sz->eia);
	p->category = "capacitor";
	snprintf(p->package, sizeof(p->package), "%s", sz->eia);
	snprintf(p->aml, sizeof(p->aml),
		 "%s%s%s%sK%s@Murata;%s%s%sK%s5NNNC@Samsung Electro-Mechanics", sz->murata, mdiel,
		 volts[vi].murata, code, pick(s, 2) ? "A88D" : "A01D", sz->samsung, sdiel, code,
		 volts[vi].samsung);
	p->msl = "1";
	p->peak = 260;
	p->shelf_days = 1095;
	p->std_pack = sz->pack;
	p->reorder = sz->pack * (1 + pick(s, 3));
	p->lead_days = 14 + 7 * pick(s, 6);
	p->cost = 0.001 + 0.0005 * pick(s, 20) * (pf > 1e6 ? 10 : 1);
}

/* Resistance in ohms → Yageo "4K7", Vishay "4K70", Panasonic "4701". */
static void
res_codes(double ohm, char yageo[16], char vishay[16], char pana[16], char text[32])
{
	const char *unit = "R";
	double v = ohm;
	int digits, exp = 0;
	double m;

	if (ohm >= 1e6)
		unit = "M", v = ohm / 1e6;
	else if (ohm >= 1e3)
		unit = "K", v = ohm / 1e3;
	{
		int whole = (int)v, frac = (int)((v - whole) * 100 + 0.5);
		if (frac == 0)
			snprintf(yageo, 16, "%d%s", whole, unit);
		else if (frac % 10 == 0)
			snprintf(yageo, 16, "%d%s%d", whole, unit, frac / 10);
		else
			snprintf(yageo, 16, "%d%s%02d", whole, unit, frac);
		if (whole >= 100)
			snprintf(vishay, 16, "%d%s", whole, unit);
		else if (whole >= 10)
			snprintf(vishay, 16, "%d%s%d", whole, unit, frac / 10);
		else
			snprintf(vishay, 16, "%d%s%02d", whole, unit, frac);
	}
	m = ohm;
	while (m >= 1000) {
		m /= 10;
		exp++;
	}
	digits = (int)(m + 0.5);
	snprintf(pana, 16, "%03d%d", digits, exp);
	snprintf(text, 32, "%g %s", v, *unit == 'R' ? "ohm" : *unit == 'K' ? "kohm" : "Mohm");
}

static void
gen_resistor(ecms_sim *s, struct part *p, int k)
{
	static const double e24[] = { 1.0, 1.2, 1.5, 2.2, 2.7, 3.3, 4.7, 5.1, 6.8, 8.2 };
	const struct size *sz = &sizes[pick(s, 4)];
	double ohm = e24[pick(s, (int)ECMS_ARRAY_LEN(e24))];
	char y[16], v[16], pa[16], t[32];

	for (int d = pick(s, 6) + 1; d > 0; d--)
		ohm *= 10;
	res_codes(ohm, y, v, pa, t);
	snprintf(p->ipn, sizeof(p->ipn), "R-%s-%s", sz->eia, y);
	snprintf(p->desc, sizeof(p->desc), "Resistor %s 1 %% %s thick film", t, sz->eia);
	p->category = "resistor";
	snprintf(p->package, sizeof(p->package), "%s", sz->eia);
	snprintf(p->aml, sizeof(p->aml), "%sFR-07%sL@Yageo;%s%sFKEA@Vishay;%s%sV@Panasonic",
		 sz->yageo, y, sz->vishay, v, sz->pana, pa);
	p->msl = "1";
	p->peak = 260;
	p->shelf_days = 1095;
	p->std_pack = sz->pack == 10000 ? 10000 : 5000;
	p->reorder = p->std_pack * (1 + pick(s, 2));
	p->lead_days = 14 + 7 * pick(s, 4);
	p->cost = 0.0008 + 0.0002 * pick(s, 10);
}

/* ICs and other active or electromechanical parts: a fixed catalogue of
 * families, each expanded into variants. */
struct family {
	const char *category, *prefix; /* IPN prefix */
	const char *mpn_fmt;           /* with one %s for the variant */
	const char *const *variants;
	const char *manufacturer, *desc_fmt, *package;
	const char *msl;
	double thickness, peak;
	int pack, lead_days;
	double cost;
	bool restricted;
};

static const char *const v_logic[] = { "00", "02", "04",  "08",  "14", "17",
				       "32", "86", "125", "126", NULL };
static const char *const v_ldo[] = { "12", "15", "18", "25", "28", "30", "33", NULL };
static const char *const v_g0[] = {
	"G031K8T6", "G041C8T6", "G071CBT6", "G071RBT6", "G0B1CBT6", NULL
};
static const char *const v_l4[] = { "L412KBU6", "L432KCU6", "L433CCU6", "L452RET6", NULL };
static const char *const v_one[] = { "", NULL };
static const char *const v_opamp[] = { "9061IDBVR", "9062IDR", "9064IPWR", "7031DBVR", NULL };
static const char *const v_mcp[] = { "1700T-3302E/TT", "1700T-1802E/TT", "1702T-3302E/CB", NULL };
static const char *const v_pins[] = { "02", "03", "04", "05", "06", "08", "10", NULL };
static const char *const v_jst[] = { "2", "3", "4", "5", "6", NULL };
static const char *const v_xtal[] = { "8.000MHZ", "12.000MHZ", "16.000MHZ", "25.000MHZ", NULL };
static const char *const v_led[] = { "SGC", "SURCK", "SYCK", "QBC/D", NULL };
static const char *const v_fet[] = { "2302CDS", "2301CDS", "2333CDS", NULL };
static const char *const v_ind[] = { "1R0", "2R2", "4R7", "100", "220", NULL };
static const char *const v_esd[] = { "PESD5V0S1BL", "PESD3V3L2BT", "PRTR5V0U2X", NULL };

static const struct family families[] = {
	{ "ic", "U-LVC1G", "SN74LVC1G%sDBVR", v_logic, "Texas Instruments",
	  "Single gate SN74LVC1G%s", "SOT-23-5", "1", 1.45, 260, 3000, 42, 0.09 },
	{ "ic", "U-LDO", "TPS7A02%sPDBVR", v_ldo, "Texas Instruments", "LDO 200 mA TPS7A02 %s",
	  "SOT-23-5", "1", 1.45, 260, 3000, 56, 0.35 },
	{ "ic", "U-STM32", "STM32%s", v_g0, "STMicroelectronics", "MCU STM32%s", "LQFP-48", "3",
	  1.4, 260, 1500, 84, 1.85, true },
	{ "ic", "U-STM32", "STM32%s", v_l4, "STMicroelectronics", "MCU STM32%s", "UFQFPN-32", "3",
	  0.55, 260, 2500, 112, 3.10, true },
	{ "ic", "U-OPA", "TLV%s", v_opamp, "Texas Instruments", "Op-amp TLV%s", "SOIC-8", "1", 1.75,
	  260, 2500, 42, 0.42 },
	{ "ic", "U-MCP", "MCP%s", v_mcp, "Microchip", "LDO MCP%s", "SOT-23", "1", 1.12, 260, 3000,
	  56, 0.28 },
	{ "ic", "U-AFE", "ADS1292RIPBSR%s", v_one, "Texas Instruments",
	  "ECG analog front end ADS1292R%s", "TQFP-32", "3", 1.0, 260, 1000, 98, 9.80, true },
	{ "ic", "U-AFE", "AD8232ACPZ-R7%s", v_one, "Analog Devices",
	  "Heart-rate monitor front end AD8232%s", "LFCSP-20", "3", 0.75, 260, 1500, 84, 3.20,
	  true },
	{ "ic", "U-BLE", "NRF52832-QFAA-R%s", v_one, "Nordic Semiconductor", "BLE SoC nRF52832%s",
	  "QFN-48", "3", 0.85, 260, 3000, 112, 2.90, true },
	{ "ic", "U-CHG", "BQ24075RGTR%s", v_one, "Texas Instruments", "Li-ion charger BQ24075%s",
	  "VQFN-16", "2", 1.0, 260, 3000, 70, 1.40 },
	{ "ic", "U-FLASH", "W25Q128JVSIQ%s", v_one, "Winbond", "Serial flash 128 Mbit%s", "SOIC-8",
	  "3", 1.75, 260, 2000, 56, 1.10 },
	{ "ic", "U-EEP", "AT24C256C-SSHL-T%s", v_one, "Microchip", "EEPROM 256 kbit%s", "SOIC-8",
	  "1", 1.75, 260, 4000, 42, 0.30 },
	{ "ic", "U-BGA", "MIMXRT1062DVL6B%s", v_one, "NXP", "Crossover MCU i.MX RT1062%s",
	  "LFBGA-196", "3", 1.5, 260, 168, 140, 12.50, true },
	{ "ic", "U-DCDC", "TPS62130RGTR%s", v_one, "Texas Instruments", "Buck converter 3 A%s",
	  "VQFN-16", "2", 1.0, 260, 3000, 70, 1.20 },
	{ "ic", "U-QFN5", "MAX30003CTI+%s", v_one, "Analog Devices", "ECG AFE MAX30003%s",
	  "TQFN-28", "5a", 0.75, 245, 2500, 126, 7.40, true },
	{ "connector", "J-PICO", "53398-%s71", v_pins, "Molex", "PicoBlade header %s pos", "SMD",
	  "1", 0, 250, 1000, 56, 0.32 },
	{ "connector", "J-PH", "S%sB-PH-SM4-TB", v_jst, "JST", "PH header %s pos SMD", "SMD", "1",
	  0, 250, 1000, 42, 0.18 },
	{ "crystal", "Y-ABM8", "ABM8-%s-B2-T", v_xtal, "Abracon", "Crystal %s 3.2x2.5", "SMD-3225",
	  "1", 0, 260, 3000, 56, 0.25 },
	{ "led", "D-LED", "APT1608%s", v_led, "Kingbright", "LED 0603 APT1608%s", "0603", "2a",
	  0.75, 260, 4000, 42, 0.05 },
	{ "transistor", "Q-FET", "SI%s-T1-GE3", v_fet, "Vishay", "MOSFET SI%s", "SOT-23", "1", 1.12,
	  260, 3000, 42, 0.12 },
	{ "inductor", "L-LQH", "LQH3NPN%sNG0L", v_ind, "Murata", "Power inductor %s uH class",
	  "1212", "1", 0, 260, 2000, 56, 0.15 },
	{ "diode", "D-ESD", "%s,115", v_esd, "Nexperia", "ESD protection %s", "SOD-323", "1", 0.95,
	  260, 3000, 42, 0.06 },
	{ "diode", "D-SCH", "BAT54S%s,215", v_one, "Nexperia", "Schottky dual BAT54S%s", "SOT-23",
	  "1", 1.12, 260, 3000, 42, 0.04 },
	{ "transistor", "Q-BJT", "MMBT3904LT1G%s", v_one, "onsemi", "NPN transistor 3904%s",
	  "SOT-23", "1", 1.12, 260, 3000, 42, 0.03 },
};

/* Copy fmt into out with its one "%s" replaced by v. */
static void
subst(char *out, size_t n, const char *fmt, const char *v)
{
	const char *at = strstr(fmt, "%s");

	if (at == NULL) {
		ecms__strlcpy(out, fmt, n);
		return;
	}
	snprintf(out, n, "%.*s%s%s", (int)(at - fmt), fmt, v, at + 2);
}

static int
gen_families(ecms_sim *s, struct part *parts, int n, int max)
{
	for (size_t f = 0; f < ECMS_ARRAY_LEN(families) && n < max; f++) {
		const struct family *fm = &families[f];
		for (int v = 0; fm->variants[v] && n < max; v++) {
			struct part *p = &parts[n++];
			char mpn[64], vtag[24];
			size_t j = 0;
			memset(p, 0, sizeof(*p));
			subst(mpn, sizeof(mpn), fm->mpn_fmt, fm->variants[v]);
			/* The variant names the part; a family of one, its MPN. */
			const char *src = *fm->variants[v] ? fm->variants[v] : mpn;
			for (const char *c = src; *c && j + 1 < 13; c++)
				if ((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
				    *c == '.')
					vtag[j++] = *c;
			vtag[j] = '\0';
			snprintf(p->ipn, sizeof(p->ipn), "%s-%s", fm->prefix, vtag);
			subst(p->desc, sizeof(p->desc), fm->desc_fmt, fm->variants[v]);
			p->category = fm->category;
			snprintf(p->package, sizeof(p->package), "%s", fm->package);
			snprintf(p->aml, sizeof(p->aml), "%s@%s", mpn, fm->manufacturer);
			p->msl = fm->msl;
			p->thickness = fm->thickness;
			p->peak = fm->peak;
			p->shelf_days = strcmp(fm->category, "ic") == 0 ? 730 : 1095;
			p->std_pack = fm->pack;
			p->reorder = fm->pack;
			p->lead_days = fm->lead_days + 7 * pick(s, 3);
			p->cost = fm->cost;
			p->restricted = fm->restricted;
		}
	}
	return n;
}

static const char *
csv_quote(const char *v, char *buf, size_t n)
{
	size_t j = 0;

	if (!strpbrk(v, ",\"\n"))
		return v;
	buf[j++] = '"';
	for (; *v && j + 3 < n; v++) {
		if (*v == '"')
			buf[j++] = '"';
		buf[j++] = *v;
	}
	buf[j++] = '"';
	buf[j] = '\0';
	return buf;
}

static int
write_parts(ecms_sim *s, FILE *f)
{
	int max = s->cfg.parts, n = 0, fam;
	struct part *parts = ecms__calloc((size_t)max, sizeof(*parts));

	if (parts == NULL)
		return ECMS_ENOMEM;
	n = gen_families(s, parts, 0, max);
	fam = n;
	/* The rest: passives, capacitors and resistors about equally. */
	for (int k = 0; n < max; k++) {
		struct part *p = &parts[n];
		bool dup = false;
		memset(p, 0, sizeof(*p));
		if (k % 2)
			gen_resistor(s, p, k);
		else
			gen_capacitor(s, p, k);
		/* Keep IPNs unique: a value already drawn is dropped. */
		for (int i = fam; i < n && !dup; i++)
			dup = strcmp(parts[i].ipn, p->ipn) == 0;
		if (!dup)
			n++;
		if (k > 100000)
			break;
	}
	/* A few compliance and data-quality variations a real site has. */
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];
		p->rohs = "compliant";
		p->reach = "compliant";
		switch (pick(s, 40)) {
		case 0:
			p->rohs = "unknown";
			break;
		case 1:
			p->rohs = "exempt";
			break;
		case 2:
			p->reach = "svhc";
			break;
		case 3:
			p->reach = "unknown";
			break;
		}
	}
	fprintf(f, "ipn,description,category,package,aml,msl,thickness_mm,peak_c,rohs,reach,"
		   "shelf_life_days,std_pack,reorder_point,lead_time_days,unit_cost,restricted\n");
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];
		char q1[200], q2[300], th[16] = "";
		if (p->thickness > 0)
			snprintf(th, sizeof(th), "%.2f", p->thickness);
		fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%.0f,%s,%s,%d,%d,%d,%d,%.4f,%s\n", p->ipn,
			csv_quote(p->desc, q1, sizeof(q1)), p->category, p->package,
			csv_quote(p->aml, q2, sizeof(q2)), p->msl ? p->msl : "", th, p->peak,
			p->rohs, p->reach, p->shelf_days, p->std_pack, p->reorder, p->lead_days,
			p->cost, p->restricted ? "yes" : "no");
	}
	ecms__free(parts);
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Suppliers, locations, users
 * ------------------------------------------------------------------ */

static void
write_suppliers(ecms_sim *s, FILE *f, int64_t base)
{
	static const struct {
		const char *id, *name, *status;
		bool auth;
		const char *franchises;
		int expiry_days; /* from base; 0: no certificate */
	} sup[] = {
		{ "DIGIKEY", "Digi-Key Electronics", "approved", true, "", 540 },
		{ "MOUSER", "Mouser Electronics", "approved", true, "", 700 },
		{ "FARNELL", "Farnell element14", "approved", true, "", 420 },
		{ "ARROW", "Arrow Electronics", "approved", true,
		  "Analog Devices;Microchip;NXP;STMicroelectronics;Vishay;onsemi", 380 },
		{ "AVNET", "Avnet Silica", "approved", true,
		  "Analog Devices;Microchip;NXP;STMicroelectronics;Texas Instruments", 610 },
		{ "TTI", "TTI Europe", "approved", true,
		  "JST;Kingbright;Molex;Murata;Panasonic;Samsung Electro-Mechanics;Vishay;Yageo",
		  300 },
		{ "RUTRONIK", "Rutronik", "approved", true,
		  "Murata;Nordic Semiconductor;Samsung Electro-Mechanics;Vishay;Winbond", -150 },
		{ "LCSC", "LCSC Electronics", "conditional", false, "", 200 },
		{ "TME", "Transfer Multisort Elektronik", "approved", true,
		  "Abracon;JST;Kingbright;Nexperia;Yageo", 480 },
		{ "FUTURE", "Future Electronics", "approved", true,
		  "Microchip;NXP;Nexperia;Texas Instruments;onsemi", 820 },
		{ "BROKERX", "Component Brokers Ltd", "conditional", false, "", 120 },
		{ "GREYMKT", "Grey Market Trading", "blocked", false, "", 0 },
	};
	char date[11];

	(void)s;
	fprintf(f, "id,name,status,authorised,franchises,iso9001_cert,iso9001_expiry\n");
	for (size_t i = 0; i < ECMS_ARRAY_LEN(sup); i++) {
		if (sup[i].expiry_days)
			ecms_date_format(base + (int64_t)sup[i].expiry_days * 86400000, date);
		fprintf(f, "%s,%s,%s,%s,%s,%s%s,%s\n", sup[i].id, sup[i].name, sup[i].status,
			sup[i].auth ? "yes" : "no", sup[i].franchises,
			sup[i].expiry_days ? "ISO9001-" : "", sup[i].expiry_days ? sup[i].id : "",
			sup[i].expiry_days ? date : "");
	}
}

static void
write_locations(ecms_sim *s, FILE *f)
{
	fprintf(f, "id,name,kind,parent,rh_class,capacity\n");
	fprintf(f, "WH,Main warehouse,warehouse,,,\n");
	fprintf(f, "RCV,Receiving area,receiving,WH,,\n");
	fprintf(f, "QA-HOLD,Receiving quarantine,quarantine,WH,,\n");
	fprintf(f, "OVEN1,Bake oven 1 (125 C),oven,WH,,60\n");
	fprintf(f, "DC1,Dry cabinet 1 (<=5%% RH),dry_cabinet,WH,5,300\n");
	fprintf(f, "DC2,Dry cabinet 2 (<=10%% RH),dry_cabinet,WH,10,300\n");
	for (int r = 1; r <= 4; r++) {
		fprintf(f, "R%02d,Rack %d,rack,WH,,\n", r, r);
		for (int sh = 1; sh <= 6; sh++)
			fprintf(f, "R%02d-S%02d,Rack %d shelf %d,shelf,R%02d,,%d\n", r, sh, r, sh,
				r, 40 + 10 * (int)ecms_sim_rand(s, 3));
	}
	for (int l = 1; l <= s->cfg.lines; l++) {
		fprintf(f, "L%d,SMT line %d,line_side,,,\n", l, l);
		fprintf(f, "L%d-CART,Line %d kitting cart,line_side,L%d,,120\n", l, l, l);
		for (int m = 1; m <= s->cfg.machines; m++) {
			fprintf(f, "L%d-M%d,Line %d placement machine %d,machine,L%d,,\n", l, m, l,
				m, l);
			for (int sl = 1; sl <= s->cfg.slots; sl++)
				fprintf(f,
					"L%d-M%d-S%03d,Line %d machine %d slot %d,feeder_slot,"
					"L%d-M%d,,1\n",
					l, m, sl, l, m, sl, l, m);
		}
	}
}

static void
write_users(FILE *f)
{
	fprintf(f, "id,name,role,badge\n"
		   "ada,Ada Admin,admin,B-1001\n"
		   "quinn,Quinn Quality,qa,B-2001\n"
		   "qiu,Qiu Lan,qa,B-2002\n"
		   "wanda,Wanda Warehouse,warehouse,B-3001\n"
		   "wes,Wes Receiving,warehouse,B-3002\n"
		   "olga,Olga Operator,operator,B-4001\n"
		   "omar,Omar Operator,operator,B-4002\n"
		   "otto,Otto Operator,operator,B-4003\n"
		   "oya,Oya Operator,operator,B-4004\n"
		   "vic,Vic Viewer,viewer,B-5001\n");
}

static int
import_file(ecms *h, const char *kind, const char *path)
{
	ecms_import_report rep;
	int rc = ecms_import(h, kind, path, &rep);

	if (rc && rep.errors)
		ecms__ctxfail(h, rc, NULL, "simulator data does not import: %.*s", 400, rep.errors);
	ecms_import_report_cleanup(&rep);
	return rc;
}

int
ecms_sim_master(ecms_sim *s, ecms *h, const char *dir)
{
	static const char *const kinds[] = { "suppliers", "parts", "locations", "users" };
	int64_t base = s->cfg.base_ms ? s->cfg.base_ms : ecms_now(h);
	char path[4][1024];
	int rc = ECMS_OK;

	s->state = s->cfg.seed;
	for (int i = 0; i < 4; i++) {
		FILE *f;
		snprintf(path[i], sizeof(path[i]), "%s/%s.csv", dir, kinds[i]);
		f = fopen(path[i], "w");
		if (f == NULL)
			return ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write: %s", path[i],
					     strerror(errno));
		if (i == 0)
			write_suppliers(s, f, base);
		else if (i == 1)
			rc = write_parts(s, f);
		else if (i == 2)
			write_locations(s, f);
		else
			write_users(f);
		if (fclose(f) != 0 && rc == ECMS_OK)
			rc = ecms__ctxfail(h, ECMS_EIO, NULL, "%s: write failed", path[i]);
		if (rc)
			return rc == ECMS_ENOMEM ? ecms__ctxfail(h, rc, NULL, "out of memory") : rc;
	}
	for (int i = 0; i < 4 && rc == ECMS_OK; i++)
		rc = import_file(h, kinds[i], path[i]);
	return rc;
}

/* ------------------------------------------------------------------
 * Deliveries
 * ------------------------------------------------------------------ */

enum scenario {
	SC_CLEAN,
	SC_WRONG_LOT,
	SC_EXPIRED_COC,
	SC_BROKER,
	SC_DUP_LABEL,
	SC_OVER_PACK,
	SC_OLD_DC,
	SC_LAPSED_ISO,
	SC_LCSC,
	SC_COUNT
};

static const struct {
	const char *name, *rule, *supplier;
} scenarios[SC_COUNT] = {
	[SC_CLEAN] = { "clean", NULL, NULL },
	[SC_WRONG_LOT] = { "wrong_lot", "lot.po", NULL },
	[SC_EXPIRED_COC] = { "expired_coc", "coc.required", NULL },
	[SC_BROKER] = { "broker", "supplier.authorised", "BROKERX" },
	[SC_DUP_LABEL] = { "duplicate_label", "dup.label", NULL },
	[SC_OVER_PACK] = { "over_full_reel", "qty.std_pack", NULL },
	[SC_OLD_DC] = { "old_date_code", "datecode.age", NULL },
	[SC_LAPSED_ISO] = { "lapsed_iso9001", "supplier.iso9001", "RUTRONIK" },
	[SC_LCSC] = { "lcsc_no_lot", "lot.missing", "LCSC" },
};

struct delivery {
	enum scenario sc;
	const char *supplier;
	char po[24];
	char ipn[48], mpn[64], mfr[64];
	int64_t std_pack, qty, po_qty;
	char lot[16], po_lot[16];
	char dc[8];
	bool coc_required;
};

/* "YYWW" of the ISO week of a time. */
static void
yyww(int64_t ms, char out[8])
{
	int64_t days = ms / 86400000, y;
	unsigned m, d;
	int64_t wday = ((days % 7) + 7 + 3) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
	int64_t thursday = days - wday + 3, jan1;

	ecms__civil_from_days(thursday, &y, &m, &d);
	jan1 = ecms__days_from_civil(y, 1, 1);
	snprintf(out, 8, "%02d%02d", (int)(y % 100), (int)((thursday - jan1) / 7 + 1));
}

static enum scenario
pick_scenario(ecms_sim *s)
{
	int r = pick(s, 100);

	if (r < 64)
		return SC_CLEAN;
	return (enum scenario)(1 + (r - 64) % (SC_COUNT - 1));
}

static const char *const clean_suppliers[] = { "DIGIKEY", "MOUSER", "FARNELL" };

/* The label a supplier prints, in its own format. */
static void
make_label(ecms_sim *s, const struct delivery *d, char *out, size_t n)
{
	if (strcmp(d->supplier, "LCSC") == 0) {
		snprintf(out, n,
			 "{pbn:PICK%06d,on:SO%08d,pc:C%d,pm:%s,qty:%lld,mc:,cc:1,pdi:%d,hp:null,"
			 "wc:ZH}",
			 pick(s, 999999), pick(s, 99999999), 10000 + pick(s, 900000), d->mpn,
			 (long long)d->qty, pick(s, 99999999));
	} else if (strcmp(d->supplier, "MOUSER") == 0) {
		snprintf(out, n,
			 "[)>\x1e"
			 "06\x1dK%s\x1d"
			 "14K001\x1d"
			 "1P%s\x1dQ%lld\x1d"
			 "11K%08d\x1d"
			 "4LCN\x1d"
			 "1V%s\x1d"
			 "1T%s\x1d"
			 "9D%s\x1e\x04",
			 d->po, d->mpn, (long long)d->qty, pick(s, 99999999), d->mfr, d->lot,
			 d->dc);
	} else if (strcmp(d->supplier, "FARNELL") == 0) {
		snprintf(out, n,
			 "[)>\x1e"
			 "06\x1d"
			 "3P%07d\x1d"
			 "1P%s\x1dK%s\x1d"
			 "4K1\x1dQ%lld\x1d"
			 "1T%s\x1d"
			 "9D%s\x1d"
			 "4LMY\x1e\x04",
			 pick(s, 9999999), d->mpn, d->po, (long long)d->qty, d->lot, d->dc);
	} else {
		/* Digi-Key's layout, used by the other EIGP 114 distributors too. */
		snprintf(out, n,
			 "[)>\x1e"
			 "06\x1dP%d-%s-ND\x1d"
			 "1P%s\x1dK%s\x1d"
			 "1K%08d\x1d"
			 "10K%09d\x1d"
			 "9D%s\x1d"
			 "1T%s\x1d"
			 "11K1\x1d"
			 "4LPH\x1dQ%lld\x1d"
			 "11ZPICK\x1d"
			 "12Z%07d\x1d"
			 "13Z999999\x1d"
			 "20Z0000000000000000\x1e\x04",
			 100 + pick(s, 800), d->mpn, d->mpn, d->po, pick(s, 99999999),
			 pick(s, 999999999), d->dc, d->lot, (long long)d->qty, pick(s, 9999999));
	}
}

uint64_t
ecms__sim_seed(const ecms_sim *s)
{
	return s->cfg.seed;
}

void
ecms__sim_yyww(int64_t ms, char out[8])
{
	yyww(ms, out);
}

int
ecms__sim_receive_reel(ecms_sim *s, ecms *h, const struct ecms__sim_reel *r, json_t **res)
{
	struct delivery d = { 0 };
	ecms_receive_req req = { 0 };
	char label[2048];

	d.sc = SC_CLEAN;
	d.supplier = r->supplier;
	ecms__strlcpy(d.po, r->po, sizeof(d.po));
	ecms__strlcpy(d.ipn, r->ipn, sizeof(d.ipn));
	ecms__strlcpy(d.mpn, r->mpn, sizeof(d.mpn));
	ecms__strlcpy(d.mfr, r->mfr, sizeof(d.mfr));
	ecms__strlcpy(d.lot, r->lot, sizeof(d.lot));
	ecms__strlcpy(d.dc, r->date_code, sizeof(d.dc));
	d.qty = r->qty;
	make_label(s, &d, label, sizeof(label));
	req.po = r->po;
	req.scan = label;
	req.scan_len = strlen(label);
	req.location = r->location;
	return ecms_receive(h, &req, res);
}

static int
load_parts(ecms *h, json_t **parts)
{
	json_t *all, *e, *full;
	size_t i;
	int rc;

	*parts = json_array();
	if ((rc = ecms_md_list(h, "part", NULL, &all)))
		return rc;
	json_array_foreach(all, i, e) {
		if (ecms__rnull(e, "std_pack"))
			continue;
		if ((rc = ecms_md_get(h, "part", ecms__rs(e, "ipn"), &full)))
			break;
		if (json_array_size(json_object_get(full, "aml")) && !ecms__rnull(full, "msl"))
			json_array_append(*parts, full);
		json_decref(full);
	}
	json_decref(all);
	return rc;
}

int
ecms_sim_receive(ecms_sim *s, ecms *h, const char *dir, int n, json_t **summary)
{
	struct delivery *d = NULL;
	json_t *parts = NULL, *sc_stats;
	char path[1024], label[2048], prev[2048] = "";
	int64_t now = ecms_now(h), base;
	int accepted = 0, quarantined = 0, refused = 0, caught[SC_COUNT] = { 0 },
	    count[SC_COUNT] = { 0 };
	FILE *f;
	int rc;

	*summary = NULL;
	if (n <= 0)
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "deliveries must be positive");
	if ((rc = load_parts(h, &parts)))
		goto out;
	if (json_array_size(parts) == 0) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, NULL, "no parts: run the master data first");
		goto out;
	}
	if ((rc = ecms__query_int(h, &base, "SELECT COUNT(*) FROM purchase_orders", "")))
		goto out;
	d = ecms__calloc((size_t)n, sizeof(*d));
	if (d == NULL) {
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* Plan the deliveries and write their purchase orders. */
	snprintf(path, sizeof(path), "%s/po-deliveries-%lld.csv", dir, (long long)base);
	if ((f = fopen(path, "w")) == NULL) {
		rc = ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
		goto out;
	}
	fprintf(f, "po,supplier,order_date,line,ipn,qty,lot,coc_required,tolerance_pct\n");
	for (int i = 0; i < n; i++) {
		struct delivery *x = &d[i];
		json_t *p = json_array_get(parts, (size_t)pick(s, (int)json_array_size(parts)));
		json_t *aml = json_array_get(json_object_get(p, "aml"), 0);
		char date[11];
		x->sc = i > 0 ? pick_scenario(s) : SC_CLEAN;
		if (x->sc == SC_DUP_LABEL && !*prev)
			x->sc = SC_CLEAN;
		x->supplier = scenarios[x->sc].supplier ? scenarios[x->sc].supplier
							: clean_suppliers[pick(s, 3)];
		snprintf(x->po, sizeof(x->po), "PO-%06lld", (long long)(450000 + base + i));
		ecms__strlcpy(x->ipn, ecms__rs(p, "ipn"), sizeof(x->ipn));
		ecms__strlcpy(x->mpn, ecms__rs(aml, "mpn"), sizeof(x->mpn));
		ecms__strlcpy(x->mfr, ecms__rs(aml, "manufacturer"), sizeof(x->mfr));
		x->std_pack = ecms__ri(p, "std_pack");
		x->qty = x->std_pack;
		x->po_qty = x->std_pack * (4 + pick(s, 3));
		if (x->sc == SC_OVER_PACK)
			x->qty = x->std_pack + x->std_pack / 5 + 1;
		snprintf(x->lot, sizeof(x->lot), "L%c%c%04d", 'A' + pick(s, 26), 'A' + pick(s, 26),
			 pick(s, 10000));
		if (x->sc == SC_WRONG_LOT || x->sc == SC_EXPIRED_COC || pick(s, 4) == 0)
			snprintf(x->po_lot, sizeof(x->po_lot), "%s", x->lot);
		if (x->sc == SC_WRONG_LOT)
			x->lot[1] = x->lot[1] == 'Z' ? 'A' : (char)(x->lot[1] + 1);
		x->coc_required = x->sc == SC_EXPIRED_COC;
		yyww(now - (int64_t)(30 + pick(s, 300)) * 86400000, x->dc);
		if (x->sc == SC_OLD_DC)
			yyww(now - (int64_t)(1100 + pick(s, 400)) * 86400000, x->dc);
		ecms_date_format(now - (int64_t)(10 + pick(s, 30)) * 86400000, date);
		fprintf(f, "%s,%s,%s,1,%s,%lld,%s,%s,0\n", x->po, x->supplier, date, x->ipn,
			(long long)x->po_qty, x->po_lot, x->coc_required ? "yes" : "no");
		if (x->sc == SC_CLEAN)
			snprintf(prev, sizeof(prev), "%s", x->po);
	}
	if (fclose(f) != 0) {
		rc = ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
		goto out;
	}
	{
		ecms_import_report rep;
		rc = ecms_import(h, "po", path, &rep);
		if (rc && rep.errors)
			ecms__ctxfail(h, rc, NULL, "simulated POs do not import: %.300s",
				      rep.errors);
		ecms_import_report_cleanup(&rep);
		if (rc)
			goto out;
	}
	/* CoCs: an expired one where the scenario wants it, valid ones for
	 * about a third of the rest. */
	for (int i = 0; i < n; i++) {
		struct delivery *x = &d[i];
		char issued[11], expires[11], *id = NULL;
		const char *lots[1] = { x->lot };
		ecms_coc_new c = { x->supplier, x->mpn, lots, 1, issued, NULL, path };
		if (x->sc != SC_EXPIRED_COC && (x->sc != SC_CLEAN || pick(s, 3) != 0))
			continue;
		snprintf(path, sizeof(path), "%s/coc-%s.txt", dir, x->lot);
		if ((f = fopen(path, "w")) == NULL) {
			rc = ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
			goto out;
		}
		fprintf(f,
			"CERTIFICATE OF CONFORMANCE\nSupplier: %s\nManufacturer: %s\nMPN: %s\n"
			"Lot: %s\nQuantity: %lld\nWe certify that the goods conform to the "
			"manufacturer's specification.\n",
			x->supplier, x->mfr, x->mpn, x->lot, (long long)x->qty);
		fclose(f);
		ecms_date_format(now - 400LL * 86400000, issued);
		ecms_date_format(now - 35LL * 86400000, expires);
		if (x->sc == SC_EXPIRED_COC)
			c.expires = expires;
		if ((rc = ecms_coc_add(h, &c, &id)))
			goto out;
		ecms__free(id);
	}
	/* Receive, spread over the 30 days before "now". A duplicated label
	 * repeats the previous clean one. */
	prev[0] = '\0';
	for (int i = 0; i < n; i++) {
		ecms_set_now(h, now - 30 * 86400000LL + (30 * 86400000LL * i) / n);
		struct delivery *x = &d[i];
		ecms_receive_req req = { 0 };
		json_t *res = NULL, *e;
		size_t k;
		bool hit = false;

		if (x->sc == SC_DUP_LABEL && *prev)
			snprintf(label, sizeof(label), "%s", prev);
		else
			make_label(s, x, label, sizeof(label));
		req.po = x->sc == SC_DUP_LABEL ? d[i - 1].po : x->po;
		for (int j = i - 1; x->sc == SC_DUP_LABEL && j >= 0; j--)
			if (d[j].sc == SC_CLEAN) {
				req.po = d[j].po;
				break;
			}
		req.scan = label;
		req.scan_len = strlen(label);
		count[x->sc]++;
		rc = ecms_receive(h, &req, &res);
		if (rc)
			ecms_set_now(h, now);
		if (rc == ECMS_EREFUSED) {
			refused++;
			continue;
		}
		if (rc)
			goto out;
		if (strcmp(ecms__rs(res, "status"), "accepted") == 0)
			accepted++;
		else
			quarantined++;
		if (x->sc == SC_CLEAN) {
			hit = strcmp(ecms__rs(res, "status"), "accepted") == 0;
			snprintf(prev, sizeof(prev), "%s", label);
		}
		json_array_foreach(json_object_get(res, "reasons"), k, e)
			if (scenarios[x->sc].rule &&
			    strcmp(ecms__rs(e, "rule"), scenarios[x->sc].rule) == 0)
				hit = true;
		caught[x->sc] += hit;
		json_decref(res);
	}
	ecms_set_now(h, now);
	sc_stats = json_object();
	for (int i = 0; i < SC_COUNT; i++)
		json_object_set_new(sc_stats, scenarios[i].name,
				    json_pack("{s:i,s:s?,s:i}", "count", count[i], "rule",
					      scenarios[i].rule, "caught", caught[i]));
	*summary = json_pack("{s:i,s:i,s:i,s:i,s:o}", "deliveries", n, "accepted", accepted,
			     "quarantined", quarantined, "refused", refused, "scenarios", sc_stats);
	rc = ECMS_OK;
out:
	ecms__free(d);
	json_decref(parts);
	return rc;
}

/* ------------------------------------------------------------------
 * Warehouse: put-away, splits, line returns
 * ------------------------------------------------------------------ */

int
ecms_sim_warehouse(ecms_sim *s, ecms *h, json_t **summary)
{
	json_t *pkgs = NULL, *e, *mv;
	int moved = 0, split = 0, counted = 0, refused = 0, msd_opened = 0, baked = 0, rc;
	size_t i;

	*summary = NULL;
	/* Everything accepted and still at receiving goes away: moisture-
	 * sensitive parts into a dry cabinet, the rest onto a shelf with room. */
	rc = ecms__select_all(h,
			      "SELECT p.uid, t.msl FROM packages p JOIN locations l ON l.id = "
			      "p.location LEFT JOIN parts t ON t.ipn = p.ipn WHERE p.status = "
			      "'available' AND l.kind = 'receiving' ORDER BY p.uid",
			      NULL, (const struct ecms__col[]){ { "uid", 't' }, { "msl", 't' } }, 2,
			      &pkgs);
	if (rc)
		return rc;
	json_array_foreach(pkgs, i, e) {
		const char *msl = ecms__rs(e, "msl");
		bool dry = msl && strcmp(msl, "1") != 0;
		char shelf[32];
		int tries = 0;
		int64_t now = ecms_now(h);
		if (dry) {
			/* The bag was opened for incoming inspection some hours ago;
			 * most reels then go to a dry cabinet, a few stay out on a
			 * shelf and run down their floor life, one is baked. */
			struct ecms_msd_event ev;
			int64_t opened = now - (int64_t)(2 + pick(s, 60)) * 3600000;
			ecms_msd_event_init(&ev, ECMS_MSD_EV_OPEN, opened);
			ev.hic_pct = 5;
			rc = ecms_msd_record(h, ecms__rs(e, "uid"), &ev, NULL);
			if (rc && rc != ECMS_EREFUSED)
				goto out;
			msd_opened += rc == ECMS_OK;
			if (rc == ECMS_OK && pick(s, 4) == 0) {
				snprintf(shelf, sizeof(shelf), "R%02d-S%02d", 1 + pick(s, 4),
					 1 + pick(s, 6));
				rc = ecms_move(h, ecms__rs(e, "uid"), shelf, &mv);
				json_decref(mv);
				moved += rc == ECMS_OK;
				if (rc == ECMS_OK && !baked) {
					ecms_msd_event_init(&ev, ECMS_MSD_EV_BAKE, now);
					ev.temp_c = 125;
					ev.duration_ms = 48 * 3600000LL;
					ev.rh_pct = 5;
					baked += ecms_msd_record(h, ecms__rs(e, "uid"), &ev,
								 NULL) == ECMS_OK;
				}
				continue;
			}
		}
		do {
			if (dry)
				snprintf(shelf, sizeof(shelf), "DC%d", 1 + pick(s, 2));
			else
				snprintf(shelf, sizeof(shelf), "R%02d-S%02d", 1 + pick(s, 4),
					 1 + pick(s, 6));
			rc = ecms_move(h, ecms__rs(e, "uid"), shelf, &mv);
			json_decref(mv);
		} while (rc == ECMS_EREFUSED && ++tries < 10);
		if (rc == ECMS_OK)
			moved++;
		else if (rc == ECMS_EREFUSED || rc == ECMS_EDENIED)
			refused++;
		else
			goto out;
	}
	/* Some reels are split for small jobs, some come back from the line. */
	json_array_foreach(pkgs, i, e) {
		json_t *o = NULL;
		int64_t qty = 0;
		if (pick(s, 5) != 0)
			continue;
		rc = ecms__query_int(h, &qty, "SELECT quantity FROM packages WHERE uid = ?", "t",
				     ecms__rs(e, "uid"));
		if (rc)
			goto out;
		if (qty < 10)
			continue;
		if (pick(s, 2)) {
			rc = ecms_split(h, ecms__rs(e, "uid"), qty / 4, &o);
			split += rc == ECMS_OK;
		} else {
			rc = ecms_count(h, ecms__rs(e, "uid"), qty - qty / (3 + pick(s, 5)),
					"consumed", &o);
			counted += rc == ECMS_OK;
		}
		json_decref(o);
		if (rc && rc != ECMS_EREFUSED && rc != ECMS_EDENIED && rc != ECMS_EINVAL)
			goto out;
	}
	rc = ECMS_OK;
	*summary = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "put_away", moved, "split", split,
			     "line_returns", counted, "refused", refused, "msd_opened", msd_opened,
			     "baked", baked);
out:
	json_decref(pkgs);
	return rc;
}

/* ------------------------------------------------------------------
 * The heart-monitor product: a KiCad BOM from the catalogue
 * ------------------------------------------------------------------ */

/* The first part of a category whose description or IPN contains key. */
static int
find_part(ecms *h, const char *category, const char *key, char *ipn, char *mpn, size_t n)
{
	ecms__stmt *st;
	char like[80];
	int rc;

	snprintf(like, sizeof(like), "%%%s%%", key);
	rc = ecms__q(h, &st,
		     "SELECT t.ipn, a.mpn FROM parts t JOIN part_aml a ON a.ipn = t.ipn WHERE "
		     "t.category = ? AND (t.ipn LIKE ? OR t.description LIKE ?) ORDER BY t.ipn, "
		     "a.mpn LIMIT 1",
		     "ttt", category, like, like);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(ipn, ecms__col_text(st, 0), n);
		ecms__strlcpy(mpn, ecms__col_text(st, 1), n);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	return rc;
}

/* How many designators "C1-C12" or "D1,D2" names. */
static int
refdes_count(const char *spec)
{
	const char *dash = strchr(spec, '-');
	int n = 1;

	if (dash) {
		const char *a = spec, *b = dash + 1;
		while (*a && (*a < '0' || *a > '9'))
			a++;
		while (*b && (*b < '0' || *b > '9'))
			b++;
		return (int)(strtol(b, NULL, 10) - strtol(a, NULL, 10) + 1);
	}
	for (; *spec; spec++)
		n += *spec == ',';
	return n;
}

int
ecms_sim_product(ecms_sim *s, ecms *h, const char *dir, int boards, const char *wo)
{
	static const struct {
		const char *refdes, *category, *key, *value, *footprint;
	} lines[] = {
		{ "U1", "ic", "ADS1292R", "ADS1292R", "TQFP-32" },
		{ "U2", "ic", "nRF52832", "nRF52832", "QFN-48" },
		{ "U3", "ic", "BQ24075", "BQ24075", "VQFN-16" },
		{ "U4", "ic", "TPS7A02 33", "3.3V LDO", "SOT-23-5" },
		{ "U5", "ic", "Serial flash", "W25Q128", "SOIC-8" },
		{ "U6", "ic", "AD8232", "AD8232", "LFCSP-20" },
		{ "Y1", "crystal", "32.000", "32 MHz", "3225" },
		{ "Y2", "crystal", "16.000", "16 MHz", "3225" },
		{ "D1,D2", "led", "SGC", "green", "0603" },
		{ "D3", "diode", "ESD", "ESD", "SOD-323" },
		{ "Q1,Q2", "transistor", "MOSFET", "P-FET", "SOT-23" },
		{ "J1", "connector", "PicoBlade header 04", "BATT", "SMD" },
		{ "J2", "connector", "PH header 3", "ECG", "SMD" },
		{ "L1", "inductor", "2R2", "2.2u", "1212" },
		{ "C1-C12", "capacitor", "0402-104", "100n", "0402" },
		{ "C13-C20", "capacitor", "0402-103", "10n", "0402" },
		{ "C21-C24", "capacitor", "0603-105", "1u", "0603" },
		{ "C25,C26", "capacitor", "0805-106", "10u", "0805" },
		{ "C27,C28", "capacitor", "0402-120", "12p", "0402" },
		{ "R1-R8", "resistor", "0402-10K", "10k", "0402" },
		{ "R9-R12", "resistor", "0402-1K", "1k", "0402" },
		{ "R13,R14", "resistor", "0603-4K7", "4k7", "0603" },
		{ "R15-R18", "resistor", "0402-100K", "100k", "0402" },
	};
	char path[1024], ipn[64], mpn[64];
	FILE *f;
	ecms_import_report rep;
	int rc = ECMS_OK;

	(void)s;
	snprintf(path, sizeof(path), "%s/heart-monitor-HM-100-B.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
	fprintf(f, "\"Reference\",\"Value\",\"Datasheet\",\"Footprint\",\"Qty\",\"DNP\","
		   "\"MPN\"\n");
	for (size_t i = 0; i < ECMS_ARRAY_LEN(lines); i++) {
		int qty = refdes_count(lines[i].refdes);
		/* The catalogue is random: a part class it lacks falls back to
		 * any part of the category. */
		rc = find_part(h, lines[i].category, lines[i].key, ipn, mpn, sizeof(ipn));
		if (rc == ECMS_ENOTFOUND)
			rc = find_part(h, lines[i].category, "", ipn, mpn, sizeof(ipn));
		if (rc == ECMS_ENOTFOUND)
			continue;
		if (rc)
			break;
		fprintf(f, "\"%s\",\"%s\",\"~\",\"%s\",\"%d\",\"\",\"%s\"\n", lines[i].refdes,
			lines[i].value, lines[i].footprint, qty, mpn);
	}
	fprintf(f, "\"TP1,TP2\",\"TestPoint\",\"~\",\"TP\",\"2\",\"DNP\",\"\"\n");
	if (fclose(f) != 0 && rc == ECMS_OK)
		rc = ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
	if (rc)
		return rc;
	rc = ecms_bom_import(h, "HM-100", "B", path, &rep);
	if (rc && rep.errors)
		ecms__ctxfail(h, rc, NULL, "the simulated BOM does not import: %.300s", rep.errors);
	ecms_import_report_cleanup(&rep);
	if (rc == ECMS_OK && wo) {
		ecms_wo_new w = { wo, "HM-100", "B", boards, "L1", "MEDICO", NULL };
		char due[11];
		ecms_date_format(ecms_now(h) + 45 * 86400000LL, due);
		w.due = due;
		rc = ecms_wo_create(h, &w);
	}
	return rc;
}
