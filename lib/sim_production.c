/*
 * sim_production.c: the simulator's production run. It buys and receives
 * the reels a work order needs (through ecms_receive(), so every package
 * has its lot, date code, supplier, PO and CoC), then plays the lines: two
 * placement machines per line, a reflow oven with a profiler, AOI,
 * functional test on two testers, a rework bench. What the line says is
 * written as CFX envelopes; what really happened (which package fed which
 * refdes of which board) is written next to it as ground truth.
 *
 * The demo story is built in: one capacitor lot (the "notice" lot) is a
 * reel spliced onto the last line exactly when its last notice_boards
 * boards start, so exactly that many boards carry it; three more reels of
 * the lot stay in stock for containment to hold.
 *
 * Model, per line: M1 places passives and small parts from 8 mm tape and
 * reports no MaterialsInstalled (genealogy comes from the slot timeline);
 * M2 places ICs, crystals and connectors and reports MaterialsInstalled
 * for every panel (exact records). A reel that runs out is spliced (M1)
 * or runs empty and is changed (M2). On line 1 one splice carries a grey
 * zone of two panels' parts, so those boards have two candidate packages.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/sim.h"
#include "ecms/warehouse.h"
#include "ecms_int.h"
#include "record.h"
#include "sim_int.h"
#include "store/store.h"

#define MAX_LINES      4
#define MAX_SLOT_REELS 8
#define TZ_MS          (3600000LL) /* the plant runs on CET, +01:00 */
#define MIN_MS         60000LL
#define HOUR_MS        3600000LL
#define DAY_MS         86400000LL

/* One BOM line: one program slot on every line. */
struct bl {
	const char *ipn; /* borrowed from the BOM json */
	char mpn[64], mfr[64], category[24], msl[8];
	double peak;
	int64_t std_pack;
	const char **ref; /* refdes, natural order (borrowed strings) */
	int k;            /* refdes per board */
	int ref0;         /* first index in the run's refdes list */
	int mach;         /* 0: M1, 1: M2 */
	int slotno;
};

struct reel {
	char uid[24];
	char lot[16];
	char dc[8];
	char po[24];
	const char *supplier;
	int b;         /* BOM line */
	int64_t qty;   /* received */
	int64_t count; /* counted down to this after an earlier job (0: full) */
	int64_t left;  /* on the machine */
	int line;      /* -1: stays in stock (or the rework bench) */
	bool notice, rework;
};

struct slot {
	int line, b;
	char id[40], name[16], feeder[32];
	int reels[MAX_SLOT_REELS], nreels, cur;
	int64_t grey;      /* GreyZone of the first change (0: none) */
	int64_t grey_left; /* parts still in the grey zone */
	int gz_old, gz_new;
	bool empty_style; /* runs empty and is changed, rather than spliced */
};

struct board {
	char serial[24], panel[40];
	int line, pos, panel_idx;
	int (*cand)[2]; /* per refdes: candidate reels (-1: none) */
	double peak;
	bool scrapped, aoi_fail, grey;
	const char *aoi_ref; /* the refdes AOI flagged */
	int shipment;        /* 0: not shipped */
	int tester;          /* 0, 1 */
	int64_t ready_ms;    /* after AOI and depaneling */
	int64_t tested_ms;
};

struct msg {
	int64_t t;
	size_t seq;
	char *text; /* jansson's allocator */
};

struct run {
	ecms_sim *s;
	ecms *h;
	const char *dir;
	char wo[64], product[64], rev[32], customer[64];
	int nboards, nlines, notice_n;
	int64_t start;
	json_t *bom;
	struct bl *bl;
	int nbl;
	const char **refs; /* every refdes, BOM line by BOM line */
	int nrefs;
	struct reel *reels;
	int nreels;
	struct slot *slots; /* nlines * nbl, line-major */
	struct board *boards;
	int nline[MAX_LINES], possz[MAX_LINES], first[MAX_LINES], npanels[MAX_LINES];
	int notice_b, grey_b, empty_b;
	int notice_reel, rework_reel;
	int grey_slot, rework_board, scrap_board, rework_old;
	struct msg *msgs;
	size_t nmsgs, cap;
	int rc;
};

/* ------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------ */

static int
pick(struct run *R, int n)
{
	return (int)ecms_sim_rand(R->s, (uint64_t)n);
}

static void
guid(struct run *R, char out[40])
{
	uint64_t a = ecms_sim_rand(R->s, UINT64_MAX), b = ecms_sim_rand(R->s, UINT64_MAX);

	snprintf(out, 40, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xfff),
		 (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
		 (unsigned long long)(b & 0xffffffffffffULL));
}

/* ISO 8601 in plant time: "2026-01-16T07:00:01.500+01:00". */
static void
ts(int64_t ms, char out[40])
{
	int64_t l = ms + TZ_MS, days = l / DAY_MS, rem = l % DAY_MS, y;
	unsigned mo, d;

	if (rem < 0) {
		rem += DAY_MS;
		days--;
	}
	ecms__civil_from_days(days, &y, &mo, &d);
	snprintf(out, 40, "%04lld-%02u-%02uT%02d:%02d:%02d.%03d+01:00", (long long)y, mo, d,
		 (int)(rem / HOUR_MS), (int)(rem / MIN_MS % 60), (int)(rem / 1000 % 60),
		 (int)(rem % 1000));
}

static json_t *
tsj(int64_t ms)
{
	char b[40];

	ts(ms, b);
	return json_string(b);
}

/* Natural order of refdes: prefix, then number. */
static int
refcmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t px = strcspn(x, "0123456789"), py = strcspn(y, "0123456789");
	int c;

	if (px != py || (c = strncmp(x, y, px)) != 0)
		return px != py ? (px < py ? -1 : 1) : c;
	c = (int)(strtol(x + px, NULL, 10) - strtol(y + py, NULL, 10));
	return c ? c : strcmp(x, y);
}

/* "C1 C2 C3 C5" -> "C1-C3 C5" into b. */
static int
refdes_text(ecms_buf *b, const char **ref, int n)
{
	int rc = ECMS_OK;

	for (int i = 0; i < n && rc == ECMS_OK;) {
		size_t p = strcspn(ref[i], "0123456789");
		long v = strtol(ref[i] + p, NULL, 10);
		int j = i;
		while (j + 1 < n && strcspn(ref[j + 1], "0123456789") == p &&
		       strncmp(ref[j + 1], ref[i], p) == 0 &&
		       strtol(ref[j + 1] + p, NULL, 10) == v + (j + 1 - i) && ref[i][p])
			j++;
		if (i)
			rc = ecms__buf_addc(b, ' ');
		if (rc == ECMS_OK)
			rc = j > i ? ecms__buf_printf(b, "%s-%s", ref[i], ref[j])
				   : ecms__buf_adds(b, ref[i]);
		i = j + 1;
	}
	return rc;
}

static const char *
mach_handle(int line, int m)
{
	static const char *const h[MAX_LINES][2] = {
		{ "ASMPT.SIPLACE_SX2.L1-M1", "ASMPT.SIPLACE_TX2i.L1-M2" },
		{ "ASMPT.SIPLACE_SX2.L2-M1", "ASMPT.SIPLACE_TX2i.L2-M2" },
		{ "Fuji.NXTIII.L3-M1", "Fuji.AIMEXIII.L3-M2" },
		{ "Fuji.NXTIII.L4-M1", "Fuji.AIMEXIII.L4-M2" },
	};
	return h[line][m];
}

static void
handle(char *out, size_t n, const char *vendor_model, int line, const char *what)
{
	snprintf(out, n, "%s.L%d-%s", vendor_model, line + 1, what);
}

/* Append an envelope (body is stolen). Errors stick in R->rc. */
static void
emit(struct run *R, int64_t t, const char *name, const char *source, json_t *body)
{
	char id[40], when[40];
	json_t *env;
	char *text;

	if (R->rc || body == NULL) {
		json_decref(body);
		if (R->rc == ECMS_OK)
			R->rc = ECMS_ENOMEM;
		return;
	}
	guid(R, id);
	ts(t, when);
	env = json_pack("{s:s,s:s,s:s,s:s,s:s,s:n,s:n,s:o}", "MessageName", name, "Version", "2.1",
			"TimeStamp", when, "UniqueID", id, "Source", source, "Target", "RequestID",
			"MessageBody", body);
	text = env ? json_dumps(env, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
		   : NULL;
	json_decref(env);
	if (text == NULL) {
		R->rc = ECMS_ENOMEM;
		return;
	}
	if (R->nmsgs == R->cap) {
		size_t cap = R->cap ? R->cap * 2 : 4096;
		struct msg *m = ecms__realloc(R->msgs, cap * sizeof(*m));
		if (m == NULL) {
			free(text); /* checksrc:ok jansson's allocator */
			R->rc = ECMS_ENOMEM;
			return;
		}
		R->msgs = m;
		R->cap = cap;
	}
	R->msgs[R->nmsgs] = (struct msg){ t, R->nmsgs, text };
	R->nmsgs++;
}

static int
msgcmp(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct slot *
slot_of(struct run *R, int line, int b)
{
	return &R->slots[line * R->nbl + b];
}

static json_t *
carrier(const struct slot *sl, const struct bl *b)
{
	bool wide = b->mach == 1;

	return json_pack("{s:s,s:n,s:n,s:i,s:f,s:f,s:s,s:s}", "$type",
			 "CFX.Structures.SMTPlacement.SMDTapeFeeder, CFX", "BaseUniqueIdentifier",
			 "BaseName", "LaneNumber", 1, "TapeWidth", wide ? 12.0 : 8.0, "TapePitch",
			 wide ? 8.0 : (b->k > 4 ? 2.0 : 4.0), "UniqueIdentifier", sl->feeder,
			 "Name", sl->feeder);
}

/* MaterialPackage of a reel with the quantity left (grey >= 0 adds GreyZone). */
static json_t *
package(struct run *R, int r, int64_t qty, int64_t grey)
{
	json_t *p =
		json_pack("{s:s,s:s,s:f}", "UniqueIdentifier", R->reels[r].uid,
			  "InternalPartNumber", R->bl[R->reels[r].b].ipn, "Quantity", (double)qty);
	if (p && grey >= 0)
		json_object_set_new(p, "GreyZone", json_integer(grey));
	return p;
}

static json_t *
location(struct run *R, const struct slot *sl, int r, int64_t qty, int64_t grey)
{
	return json_pack("{s:s,s:s,s:o,s:o}", "LocationIdentifier", sl->id, "LocationName",
			 sl->name, "MaterialPackage", package(R, r, qty, grey),
			 "CarrierInformation", carrier(sl, &R->bl[sl->b]));
}

/* MaterialPackageDetail of a reel, as the line-side storage knows it. */
static json_t *
package_detail(struct run *R, int r, int64_t left, int64_t opened_ms, const char *msd_state)
{
	const struct reel *x = &R->reels[r];
	const struct bl *b = &R->bl[x->b];
	json_t *md = json_null();

	if (msd_state) {
		long msl = strtol(b->msl, NULL, 10);
		int64_t floor_h = msl <= 2 ? 8760 : msl == 3 ? 168 : msl == 4 ? 72 : 48;
		char lvl[16];
		snprintf(lvl, sizeof(lvl), "MSL%s", b->msl);
		for (char *c = lvl; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		md = json_pack("{s:s,s:o,s:o,s:o,s:s,s:s,s:s}", "$type",
			       "CFX.Structures.MaterialPackageMSDData, CFX", "ExpirationDateTime",
			       tsj(opened_ms + floor_h * HOUR_MS), "OriginalExposureDateTime",
			       tsj(opened_ms), "LastExposureDateTime", tsj(opened_ms),
			       "RemainingExposureTime", "", "MSDLevel", lvl, "MSDState", msd_state);
		if (md) {
			char rem[32];
			snprintf(rem, sizeof(rem), "%lld.%02lld:00:00", (long long)(floor_h / 24),
				 (long long)(floor_h % 24));
			json_object_set_new(md, "RemainingExposureTime", json_string(rem));
		}
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:n,s:s,s:n,s:n,s:n,s:f,s:f,s:s,s:s,s:o}",
			 "UniqueIdentifier", x->uid, "InternalPartNumber", b->ipn, "Manufacturer",
			 b->mfr, "ManufacturerPartNumber", b->mpn, "Vendor", x->supplier,
			 "VendorPartNumber", "ManufacturerLotCode", x->lot, "Created",
			 "ManufactureDate", "ReceivedDate", "InitialQuantity", (double)x->qty,
			 "Quantity", (double)left, "Status", "Active", "HazardousMaterialType",
			 "RoHS", "MaterialData", md);
}

static json_t *
units_json(struct run *R, const int *bi, int n, bool status)
{
	json_t *a = json_array();

	for (int i = 0; i < n && a; i++) {
		const struct board *b = &R->boards[bi[i]];
		char pn[16];
		json_t *u;
		snprintf(pn, sizeof(pn), "CIRCUIT%d", b->pos);
		u = json_pack("{s:s,s:i,s:s,s:f,s:f,s:n,s:f,s:b,s:b}", "UnitIdentifier", b->serial,
			      "PositionNumber", b->pos, "PositionName", pn, "X",
			      12.5 + 45.0 * ((b->pos - 1) % 2), "Y",
			      10.0 + 38.0 * ((b->pos - 1) / 2), "Z", "Rotation", 0.0, "FlipX", 0,
			      "FlipY", 0);
		if (u && status)
			json_object_set_new(u, "Status", json_string("Pass"));
		json_array_append_new(a, u);
	}
	return a;
}

static json_t *
oper(const char *badge, const char *first, const char *last, const char *login)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "OperatorIdentifier", badge, "ActorType", "Human",
			 "LastName", last, "FirstName", first, "LoginName", login);
}

/* ------------------------------------------------------------------
 * Planning: the BOM, the lines, the reels
 * ------------------------------------------------------------------ */

static bool
has_ref(const struct bl *b, const char *r)
{
	for (int i = 0; i < b->k; i++)
		if (strcmp(b->ref[i], r) == 0)
			return true;
	return false;
}

static int
load_bom(struct run *R)
{
	json_t *lines = json_object_get(R->bom, "lines"), *l;
	size_t i;
	int rc = ECMS_OK, n1 = 0, n2 = 0;

	R->nbl = (int)json_array_size(lines);
	R->bl = ecms__calloc((size_t)R->nbl + 1, sizeof(*R->bl));
	R->refs = ecms__calloc((size_t)ecms__ri(R->bom, "refdes_count") + 1, sizeof(char *));
	if (R->bl == NULL || R->refs == NULL)
		return ecms__ctxfail(R->h, ECMS_ENOMEM, NULL, "out of memory");
	json_array_foreach(lines, i, l) {
		struct bl *b = &R->bl[i];
		json_t *refs = json_object_get(l, "refdes"), *p = NULL, *aml;
		size_t j;
		b->ipn = ecms__rs(l, "ipn");
		b->k = (int)json_array_size(refs);
		b->ref = R->refs + R->nrefs;
		b->ref0 = R->nrefs;
		if (R->nrefs + b->k > ecms__ri(R->bom, "refdes_count"))
			return ecms__ctxfail(R->h, ECMS_EINTERNAL, NULL, "BOM refdes count");
		for (j = 0; j < (size_t)b->k; j++)
			R->refs[R->nrefs++] = json_string_value(json_array_get(refs, j));
		qsort(b->ref, (size_t)b->k, sizeof(char *), refcmp);
		if ((rc = ecms_md_get(R->h, "part", b->ipn, &p)))
			return rc;
		aml = json_array_get(json_object_get(p, "aml"), 0);
		ecms__strlcpy(b->mpn, aml ? ecms__rs(aml, "mpn") : b->ipn, sizeof(b->mpn));
		ecms__strlcpy(b->mfr, aml ? ecms__rs(aml, "manufacturer") : "", sizeof(b->mfr));
		ecms__strlcpy(b->category, ecms__rs(p, "category"), sizeof(b->category));
		ecms__strlcpy(b->msl, ecms__rnull(p, "msl") ? "1" : ecms__rs(p, "msl"),
			      sizeof(b->msl));
		b->peak = ecms__rnull(p, "peak_c")
				  ? 260
				  : json_number_value(json_object_get(p, "peak_c"));
		b->std_pack = ecms__rnull(p, "std_pack") ? 3000 : ecms__ri(p, "std_pack");
		json_decref(p);
		b->mach = strcmp(b->category, "ic") == 0 || strcmp(b->category, "crystal") == 0 ||
			  strcmp(b->category, "connector") == 0;
		b->slotno = b->mach ? 1 + 2 * n2++ : 1 + n1++;
	}
	/* The notice capacitor: the 10 uF MLCCs (C25, C26), else a capacitor. */
	R->notice_b = R->grey_b = R->empty_b = -1;
	for (int b = 0; b < R->nbl; b++)
		if (has_ref(&R->bl[b], "C25") && strcmp(R->bl[b].category, "capacitor") == 0)
			R->notice_b = b;
	for (int b = 0; b < R->nbl && R->notice_b < 0; b++)
		if (strcmp(R->bl[b].category, "capacitor") == 0 && R->bl[b].mach == 0)
			R->notice_b = b;
	/* The grey-zone splice: the M1 part with the most refdes per board. */
	for (int b = 0; b < R->nbl; b++)
		if (b != R->notice_b && R->bl[b].mach == 0 &&
		    (R->grey_b < 0 || R->bl[b].k > R->bl[R->grey_b].k))
			R->grey_b = b;
	/* The reel that runs empty, and the part replaced in rework: U4 (the
	 * 3.3 V LDO), else an M2 part placed once per board. */
	for (int b = 0; b < R->nbl; b++)
		if (R->bl[b].mach == 1 && R->bl[b].k == 1 &&
		    (R->empty_b < 0 || has_ref(&R->bl[b], "U4")))
			R->empty_b = b;
	if (R->notice_b < 0 || R->grey_b < 0 || R->empty_b < 0)
		return ecms__ctxfail(R->h, ECMS_EINVAL, "product",
				     "%s rev %s lacks what the run needs: a capacitor, a passive "
				     "and an IC placed once per board",
				     R->product, R->rev);
	return ECMS_OK;
}

static bool
lot_used(struct run *R, const char *lot)
{
	for (int i = 0; i < R->nreels; i++)
		if (strcmp(R->reels[i].lot, lot) == 0)
			return true;
	return false;
}

/* A new reel of BOM line b; same_lot >= 0 copies that reel's lot. */
static int
add_reel(struct run *R, int b, int line, int same_lot)
{
	struct reel *x = &R->reels[R->nreels];
	const struct bl *bl = &R->bl[b];

	memset(x, 0, sizeof(*x));
	x->b = b;
	x->line = line;
	x->qty = bl->std_pack < 1000 ? 1000 : bl->std_pack > 10000 ? 10000 : bl->std_pack;
	if (bl->std_pack < x->qty)
		x->qty = bl->std_pack;
	x->supplier = bl->mach ? "DIGIKEY" : "MOUSER";
	if (same_lot >= 0) {
		ecms__strlcpy(x->lot, R->reels[same_lot].lot, sizeof(x->lot));
		ecms__strlcpy(x->dc, R->reels[same_lot].dc, sizeof(x->dc));
	} else {
		do {
			int a = pick(R, 26), b2 = pick(R, 26), n = pick(R, 10000);
			snprintf(x->lot, sizeof(x->lot), "P%c%c%04d", 'A' + a, 'A' + b2, n);
		} while (lot_used(R, x->lot));
		ecms__sim_yyww(R->start - (int64_t)(45 + pick(R, 250)) * DAY_MS, x->dc);
	}
	return R->nreels++;
}

static int
plan_reels(struct run *R)
{
	int last = R->nlines - 1;

	R->reels =
		ecms__calloc((size_t)(R->nlines * R->nbl * MAX_SLOT_REELS + 8), sizeof(*R->reels));
	R->slots = ecms__calloc((size_t)(R->nlines * R->nbl), sizeof(*R->slots));
	if (R->reels == NULL || R->slots == NULL)
		return ecms__ctxfail(R->h, ECMS_ENOMEM, NULL, "out of memory");
	R->notice_reel = R->rework_reel = R->grey_slot = -1;
	for (int l = 0; l < R->nlines; l++) {
		for (int b = 0; b < R->nbl; b++) {
			struct slot *sl = slot_of(R, l, b);
			const struct bl *bl = &R->bl[b];
			int64_t demand = (int64_t)bl->k * R->nline[l], have = 0;
			int r;
			sl->line = l;
			sl->b = b;
			snprintf(sl->id, sizeof(sl->id), "L%d-M%d-S%03d", l + 1, bl->mach + 1,
				 bl->slotno);
			snprintf(sl->name, sizeof(sl->name), "SLOT%d", bl->slotno);
			snprintf(sl->feeder, sizeof(sl->feeder), "%s-%04d",
				 bl->mach ? "FDR12" : "FDR8", 1000 * (l + 1) + 10 * bl->mach + b);
			sl->empty_style = bl->mach == 1;
			sl->gz_old = sl->gz_new = -1;
			r = add_reel(R, b, l, -1);
			sl->reels[sl->nreels++] = r;
			if (l == last && b == R->notice_b &&
			    (int64_t)bl->k * (R->nline[l] - R->notice_n) >= R->reels[r].qty)
				return ecms__ctxfail(R->h, ECMS_EUSAGE, "boards",
						     "%d boards on L%d are more than the notice "
						     "design allows",
						     R->nline[l], l + 1);
			if (l == last && b == R->notice_b) {
				/* A reel back from an earlier job with exactly enough for
				 * all but the last notice_n boards, then the notice lot. */
				R->reels[r].count = (int64_t)bl->k * (R->nline[l] - R->notice_n);
			} else if (l == 0 && b == R->grey_b && R->npanels[0] >= 6) {
				/* Runs out at a panel boundary a third into the run; the
				 * splice has a grey zone of two panels' parts. */
				R->reels[r].count =
					(int64_t)bl->k * R->possz[0] * (R->npanels[0] / 3);
				sl->grey = (int64_t)bl->k * R->possz[0] * 2;
				R->grey_slot = (int)(sl - R->slots);
			} else if (l == 0 && b == R->empty_b && R->nline[0] >= 16) {
				/* Runs empty in the middle of a panel. */
				R->reels[r].count = 4 * (R->npanels[0] / 2) + 2;
			} else if (bl->mach == 0 && demand >= 200 && pick(R, 3) == 0) {
				/* Some other reels come back from earlier jobs too. */
				R->reels[r].count = demand / 4 + pick(R, (int)(demand / 2));
				if (R->reels[r].count < 2L * R->possz[l] * bl->k)
					R->reels[r].count = 2L * R->possz[l] * bl->k;
			}
			if (R->reels[r].count >= R->reels[r].qty) {
				R->reels[r].count = 0;
				if (sl->grey) {
					sl->grey = 0;
					R->grey_slot = -1;
				}
			}
			have = R->reels[r].count ? R->reels[r].count : R->reels[r].qty;
			if (l == last && b == R->notice_b) {
				r = add_reel(R, b, l, -1);
				R->reels[r].notice = true;
				R->notice_reel = r;
				sl->reels[sl->nreels++] = r;
				have += R->reels[r].qty;
				for (int i = 0; i < 3; i++) {
					int st = add_reel(R, b, -1, R->notice_reel);
					R->reels[st].notice = true;
				}
			}
			while (have < demand && sl->nreels < MAX_SLOT_REELS) {
				r = add_reel(R, b, l, -1);
				sl->reels[sl->nreels++] = r;
				have += R->reels[r].qty;
			}
			if (have < demand)
				return ecms__ctxfail(R->h, ECMS_EUSAGE, "boards",
						     "%d boards need more than %d reels of %s",
						     R->nline[l], MAX_SLOT_REELS, bl->ipn);
		}
	}
	/* The rework bench keeps a reel of the part it replaces. */
	R->rework_reel = add_reel(R, R->empty_b, -1, -1);
	R->reels[R->rework_reel].rework = true;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Buying and receiving
 * ------------------------------------------------------------------ */

static int
receive_reels(struct run *R)
{
	ecms *h = R->h;
	int64_t now = ecms_now(h), base = 0;
	char path[1200], date[11], po[2][24];
	FILE *f;
	int rc;

	if ((rc = ecms__query_int(h, &base, "SELECT COUNT(*) FROM purchase_orders", "")))
		return rc;
	/* The lots are the seed's: a second run in the same store would put
	 * a second set of reels on the same lots and break the truth. */
	for (int i = 0; i < R->nreels; i++) {
		int64_t n = 0;
		if ((rc = ecms__query_int(h, &n, "SELECT COUNT(*) FROM packages WHERE lot = ?", "t",
					  R->reels[i].lot)))
			return rc;
		if (n)
			return ecms__ctxfail(h, ECMS_EEXIST, "seed",
					     "lot %s of this run is in the store already: the run "
					     "was simulated in this database before (use another "
					     "--seed or a new database)",
					     R->reels[i].lot);
	}
	snprintf(po[0], sizeof(po[0]), "PO-%06lld", (long long)(470000 + base));
	snprintf(po[1], sizeof(po[1]), "PO-%06lld", (long long)(470001 + base));
	snprintf(path, sizeof(path), "%s/po-production-%s.csv", R->dir, R->wo);
	if ((f = fopen(path, "w")) == NULL)
		return ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
	ecms_date_format(R->start - 35 * DAY_MS, date);
	fprintf(f, "po,supplier,order_date,line,ipn,qty,lot,coc_required,tolerance_pct\n");
	for (int p = 0; p < 2; p++) {
		int line = 0;
		for (int b = 0; b < R->nbl; b++) {
			int64_t q = 0;
			if (R->bl[b].mach != (p == 0))
				continue;
			for (int i = 0; i < R->nreels; i++)
				if (R->reels[i].b == b)
					q += R->reels[i].qty;
			fprintf(f, "%s,%s,%s,%d,%s,%lld,,yes,0\n", po[p],
				p == 0 ? "DIGIKEY" : "MOUSER", date, ++line, R->bl[b].ipn,
				(long long)q);
		}
	}
	for (int i = 0; i < R->nreels; i++)
		ecms__strlcpy(R->reels[i].po, po[R->bl[R->reels[i].b].mach ? 0 : 1],
			      sizeof(R->reels[i].po));
	if (fclose(f) != 0)
		return ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
	{
		ecms_import_report rep;
		rc = ecms_import(h, "po", path, &rep);
		if (rc && rep.errors)
			ecms__ctxfail(h, rc, NULL, "the production POs do not import: %.300s",
				      rep.errors);
		ecms_import_report_cleanup(&rep);
		if (rc)
			return rc;
	}
	/* A CoC for every lot, from the supplier. */
	ecms_set_now(h, R->start - 22 * DAY_MS);
	for (int i = 0; i < R->nreels && rc == ECMS_OK; i++) {
		struct reel *x = &R->reels[i];
		const struct bl *b = &R->bl[x->b];
		const char *lots[1] = { x->lot };
		char issued[11], *id = NULL;
		ecms_coc_new c = { x->supplier, b->mpn, lots, 1, issued, NULL, path };
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen |= strcmp(R->reels[j].lot, x->lot) == 0;
		if (seen)
			continue;
		snprintf(path, sizeof(path), "%s/coc-%s.txt", R->dir, x->lot);
		if ((f = fopen(path, "w")) == NULL)
			return ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
		fprintf(f,
			"CERTIFICATE OF CONFORMANCE\nSupplier: %s\nManufacturer: %s\nMPN: %s\n"
			"Lot: %s\nDate code: %s\nWe certify that the goods conform to the "
			"manufacturer's specification.\n",
			x->supplier, b->mfr, b->mpn, x->lot, x->dc);
		fclose(f);
		ecms_date_format(R->start - 30 * DAY_MS, issued);
		rc = ecms_coc_add(h, &c, &id);
		ecms__free(id);
	}
	/* Receive over the three weeks before production; reels that come
	 * back from an earlier job are counted two days before it. */
	for (int i = 0; i < R->nreels && rc == ECMS_OK; i++) {
		struct reel *x = &R->reels[i];
		const struct bl *b = &R->bl[x->b];
		char loc[16];
		struct ecms__sim_reel rq = { x->supplier, x->po, b->ipn, b->mpn, b->mfr,
					     x->lot,      x->dc, loc,    x->qty };
		json_t *res = NULL;
		if (strcmp(b->msl, "1") != 0)
			snprintf(loc, sizeof(loc), "DC1");
		else
			snprintf(loc, sizeof(loc), "R%02d-S%02d", 1 + i % 4, 1 + (i / 4) % 6);
		ecms_set_now(h, R->start - 21 * DAY_MS + (20 * DAY_MS * i) / R->nreels);
		rc = ecms__sim_receive_reel(R->s, h, &rq, &res);
		if (rc)
			break;
		if (strcmp(ecms__rs(res, "status"), "accepted") != 0) {
			char *why = json_dumps(json_object_get(res, "reasons"), JSON_COMPACT);
			rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
					   "simulated reel of %s lot %s was quarantined: %.300s",
					   b->ipn, x->lot, why ? why : "?");
			free(why); /* checksrc:ok jansson's allocator */
		} else {
			ecms__strlcpy(x->uid, ecms__rs(res, "uid"), sizeof(x->uid));
		}
		json_decref(res);
	}
	for (int i = 0; i < R->nreels && rc == ECMS_OK; i++) {
		json_t *o = NULL;
		if (R->reels[i].count == 0)
			continue;
		ecms_set_now(h, R->start - 2 * DAY_MS + i * MIN_MS);
		rc = ecms_count(h, R->reels[i].uid, R->reels[i].count, "consumed", &o);
		json_decref(o);
	}
	ecms_set_now(h, now);
	return rc;
}

/* ------------------------------------------------------------------
 * The line
 * ------------------------------------------------------------------ */

static void
setup_line(struct run *R, int l, int64_t t0)
{
	char tower[64];

	handle(tower, sizeof(tower), "Essemtec.TOWER", l, "TOWER");
	for (int b = 0; b < R->nbl && R->rc == ECMS_OK; b++) {
		struct slot *sl = slot_of(R, l, b);
		int r = sl->reels[0];
		struct reel *x = &R->reels[r];
		int64_t t = t0 - 45 * MIN_MS + b * 40000LL;
		x->left = x->count ? x->count : x->qty;
		if (strcmp(R->bl[b].msl, "1") != 0)
			emit(R, t - 5 * MIN_MS,
			     "CFX.Materials.Management.MSDManagement.MaterialsOpened", tower,
			     json_pack("{s:[o]}", "Materials",
				       package_detail(R, r, x->left, t - 5 * MIN_MS, "Exposed")));
		if (l % 2 == 1)
			emit(R, t - 2 * MIN_MS, "CFX.Materials.Management.MaterialsInitialized",
			     tower,
			     json_pack("{s:[o]}", "Materials",
				       package_detail(R, r, x->left, 0, NULL)));
		emit(R, t, "CFX.Materials.Storage.MaterialsLoaded", mach_handle(l, R->bl[b].mach),
		     json_pack("{s:[o]}", "Materials", location(R, sl, r, x->left, -1)));
	}
}

/* The next reel of a slot becomes active at t (a splice, or an empty
 * reel changed). Returns the new reel. */
static int
change_reel(struct run *R, struct slot *sl, int64_t t, bool at_boundary, int64_t *stop)
{
	const char *src = mach_handle(sl->line, R->bl[sl->b].mach);
	int old = sl->reels[sl->cur], nr;

	if (sl->cur + 1 >= sl->nreels) {
		R->rc = ecms__ctxfail(R->h, ECMS_EINTERNAL, NULL, "slot %s ran out of reels",
				      sl->id);
		return old;
	}
	nr = sl->reels[++sl->cur];
	R->reels[nr].left = R->reels[nr].count ? R->reels[nr].count : R->reels[nr].qty;
	if (strcmp(R->bl[sl->b].msl, "1") != 0) {
		char tower[64];
		handle(tower, sizeof(tower), "Essemtec.TOWER", sl->line, "TOWER");
		emit(R, t - 10 * MIN_MS, "CFX.Materials.Management.MSDManagement.MaterialsOpened",
		     tower,
		     json_pack(
			     "{s:[o]}", "Materials",
			     package_detail(R, nr, R->reels[nr].left, t - 10 * MIN_MS, "Exposed")));
	}
	if (sl->empty_style) {
		/* The feeder runs empty, the machine stops, the operator swaps the reel. */
		char fid[40];
		json_t *f;
		const struct bl *b = &R->bl[sl->b];
		emit(R, t, "CFX.Materials.Storage.MaterialsEmpty", src,
		     json_pack("{s:[o]}", "EmptyMaterials", location(R, sl, old, 0, -1)));
		guid(R, fid);
		f = json_pack("{s:s,s:s,s:i,s:{s:s,s:n,s:s},s:o,s:{s:s,s:i,s:s,s:s,s:s},s:s,s:s,"
			      "s:s,s:s,s:i,s:{s:i,s:s,s:s},s:s,s:s,s:s,s:{},s:o,s:n}",
			      "$type", "CFX.Structures.SMTPlacement.SMTPlacementFault, CFX",
			      "PlacementFaultType", "PickupError", "ProgramStep", 10 + sl->b,
			      "Designator", "ReferenceDesignator", b->ref[0], "UnitPosition",
			      "PartNumber", b->ipn, "MaterialLocation", location(R, sl, old, 0, -1),
			      "HeadAndNozzle", "HeadId", "HEAD1", "HeadNozzleNumber", 2,
			      "NozzleType", "TYPE914", "UniqueIdentifier", "NZ-1042", "Name",
			      "NOZZLE2", "Cause", "LoadError", "Severity", "Error", "FaultCode",
			      "E-FEED-0042", "FaultOccurrenceId", fid, "Lane", 1, "Stage",
			      "StageSequence", 1, "StageName", "STAGE1", "StageType", "Work",
			      "SideLocation", "Unknown", "AccessType", "Unknown", "Description",
			      "Feeder empty", "DescriptionTranslations", "OccurredAt", tsj(t + 500),
			      "DueDateTime");
		emit(R, t + 500, "CFX.ResourcePerformance.FaultOccurred", src,
		     json_pack("{s:o}", "Fault", f));
		emit(R, t + 40000, "CFX.Materials.Storage.MaterialsUnloaded", src,
		     json_pack("{s:[s]}", "MaterialPackageIdentifiers", R->reels[old].uid));
		emit(R, t + 80000, "CFX.Materials.Storage.MaterialsLoaded", src,
		     json_pack("{s:[o]}", "Materials", location(R, sl, nr, R->reels[nr].left, -1)));
		*stop += 90000;
		return nr;
	}
	emit(R, t, "CFX.Materials.Storage.SplicePointDetected", src,
	     json_pack("{s:o,s:o}", "DepletedMaterial", location(R, sl, old, 0, -1),
		       "NewlyActiveMaterial",
		       location(R, sl, nr, R->reels[nr].left,
				at_boundary && sl->grey && sl->gz_new < 0 ? sl->grey : 0)));
	if (at_boundary && sl->grey && sl->gz_new < 0) {
		sl->grey_left = sl->grey;
		sl->gz_old = old;
		sl->gz_new = nr;
	}
	return nr;
}

/* Place one panel on machine m of line l. */
static void
place_panel(struct run *R, int l, int m, const int *bi, int np, int64_t ws, int64_t *dur_io,
	    const char *tid)
{
	int64_t dur = *dur_io, stop = 0;
	json_t *inst = m == 1 ? json_array() : NULL;

	for (int b = 0; b < R->nbl && R->rc == ECMS_OK; b++) {
		struct slot *sl;
		const struct bl *bp = &R->bl[b];
		int parts = np * bp->k, j = 0;
		bool changed = false;
		int first = -1;
		if (bp->mach != m)
			continue;
		sl = slot_of(R, l, b);
		first = sl->reels[sl->cur];
		for (int p = 0; p < np; p++) {
			struct board *bd = &R->boards[bi[p]];
			int run_reel = -1;
			json_t *comps = NULL;
			bool grey;
			if (j == 0 && R->reels[sl->reels[sl->cur]].left == 0) {
				/* Ran out on the last part of the previous panel: the
				 * new reel is active before this one starts. */
				change_reel(R, sl, ws - 400, true, &stop);
				if (R->rc)
					break;
				first = sl->reels[sl->cur];
			}
			grey = sl->grey_left > 0 && m == 0;
			if (grey) {
				sl->grey_left -= bp->k;
				bd->grey = true;
			}
			for (int k = 0; k < bp->k; k++, j++) {
				int ri = bp->ref0 + k;
				struct reel *x = &R->reels[sl->reels[sl->cur]];
				if (x->left == 0) {
					int64_t t = j == 0 ? ws - 400 : ws + (dur * j) / parts;
					change_reel(R, sl, t, j == 0, &stop);
					if (R->rc)
						break;
					changed |= j > 0;
					x = &R->reels[sl->reels[sl->cur]];
				}
				x->left--;
				bd->cand[ri][0] = sl->reels[sl->cur];
				bd->cand[ri][1] = -1;
				if (grey) {
					bd->cand[ri][0] = sl->gz_old;
					bd->cand[ri][1] = sl->gz_new;
				}
				if (inst && run_reel != sl->reels[sl->cur]) {
					/* An InstalledMaterial per (board, reel) run. */
					run_reel = sl->reels[sl->cur];
					comps = json_array();
					json_array_append_new(
						inst,
						json_pack(
							"{s:s,s:i,s:f,s:f,s:o,s:{s:s,s:s,s:o},s:o}",
							"UnitIdentifier", bd->serial,
							"UnitPositionNumber", bd->pos,
							"QuantityInstalled", 0.0,
							"QuantityNonInstalled", 0.0, "Material",
							package(R, run_reel, 0, -1),
							"CarrierLocation", "LocationIdentifier",
							sl->id, "LocationName", sl->name,
							"CarrierInformation", carrier(sl, bp),
							"InstalledComponents", comps));
				}
				if (inst) {
					json_t *it =
						json_array_get(inst, json_array_size(inst) - 1);
					json_t *q = json_object_get(it, "QuantityInstalled");
					json_real_set(q, json_real_value(q) + 1);
					json_object_set_new(json_object_get(it, "Material"),
							    "Quantity", json_real((double)x->left));
					json_array_append_new(
						comps, json_pack("{s:s,s:o}", "ReferenceDesignator",
								 bp->ref[k], "InstallationTime",
								 tsj(ws + (dur * (j + 1)) / parts +
								     stop)));
				}
			}
		}
		if (changed && m == 0) {
			/* The reel changed while the panel was placed and the machine
			 * says nothing per refdes: both reels are candidates. */
			int nw = sl->reels[sl->cur];
			for (int p = 0; p < np; p++)
				for (int k = 0; k < bp->k; k++) {
					int *c = R->boards[bi[p]].cand[bp->ref0 + k];
					c[0] = first;
					c[1] = nw;
				}
		}
	}
	*dur_io = dur + stop;
	if (inst) {
		emit(R, ws + dur + stop + 200, "CFX.Production.Assembly.MaterialsInstalled",
		     mach_handle(l, m),
		     json_pack("{s:s,s:o}", "TransactionId", tid, "InstalledMaterials", inst));
	}
}

/* Reflow zones as the oven (board false) or the profiler on a board sees
 * them; peak is the board's peak temperature. */
static json_t *
zones(double peak, bool board, double drift)
{
	static const struct {
		const char *type;
		double top, bottom;
	} z[] = { { "PreHeat", 180, 175 },
		  { "Soak", 200, 195 },
		  { "Reflow", 255, 250 },
		  { "Cool", 120, 115 } };
	json_t *a = json_array();

	for (size_t i = 0; i < ECMS_ARRAY_LEN(z) && a; i++) {
		char name[8];
		double rt = board ? (i == 2 ? peak : z[i].top - 12.0 + drift)
				  : z[i].top + (i == 2 ? drift : 0.5);
		snprintf(name, sizeof(name), "Zone%d", (int)i + 1);
		json_array_append_new(
			a, json_pack("{s:{s:s,s:i,s:s,s:s},s:[{s:s,s:s,s:f},{s:s,s:s,s:f}],"
				     "s:[{s:s,s:s,s:f},{s:s,s:s,s:f}]}",
				     "Zone", "ReflowZoneType", z[i].type, "StageSequence",
				     (int)i + 1, "StageName", name, "StageType", "Work",
				     "Setpoints", "SubZone", "Top", "SetpointType", "Temperature",
				     "Setpoint", z[i].top, "SubZone", "Bottom", "SetpointType",
				     "Temperature", "Setpoint", z[i].bottom, "Readings", "SubZone",
				     "Top", "ReadingType", "Temperature", "ReadingValue", rt,
				     "SubZone", "Bottom", "ReadingType", "Temperature",
				     "ReadingValue", rt - (board ? 1.5 : 5.0)));
	}
	return a;
}

static void
reflow(struct run *R, int l, const int *bi, int np, int64_t in, int64_t out, bool hot)
{
	char oven[64], prof[64], tid[40], oname[24];
	json_t *units = json_array();

	handle(oven, sizeof(oven), "Heller.1913MK5", l, "OVEN");
	handle(prof, sizeof(prof), "KIC.RPI", l, "PROFILER");
	snprintf(oname, sizeof(oname), "L%d-OVEN", l + 1);
	for (int i = 0; i < np; i++) {
		struct board *b = &R->boards[bi[i]];
		b->peak = hot ? 251.0 + pick(R, 25) / 10.0 : 240.5 + pick(R, 60) / 10.0;
		json_array_append_new(units,
				      json_pack("{s:s,s:i,s:s,s:n}", "UnitIdentifier", b->serial,
						"UnitPositionNumber", b->pos, "UnitResult",
						"Succeeded", "UnitProcessData"));
	}
	guid(R, tid);
	emit(R, out, "CFX.Production.Processing.UnitsProcessed", oven,
	     json_pack("{s:s,s:s,s:{s:s,s:f,s:f,s:o},s:o}", "TransactionId", tid, "OverallResult",
		       "Succeeded", "CommonProcessData", "$type",
		       "CFX.Structures.SolderReflow.ReflowProcessData, CFX", "ConveyorSpeed", 80.0,
		       "ConveyorSpeedSetpoint", 80.0, "ZoneData", zones(0, false, hot ? 4.0 : 0.0),
		       "UnitProcessData", units));
	/* The profiler rides on every board and reports each (PWI: 0 at the
	 * window's centre, 100 at its edge; window peak 235-250 C). */
	for (int i = 0; i < np; i++) {
		const struct board *b = &R->boards[bi[i]];
		double pwi = fabs(b->peak - 242.5) / 7.5 * 100.0, speed = 79.8 + pick(R, 5) / 10.0;
		guid(R, tid);
		emit(R, out + 1000 + i * 200LL, "CFX.Production.Processing.UnitsProcessed", prof,
		     json_pack("{s:s,s:s,s:{s:s,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:f,s:f,s:s,"
			       "s:f,s:o},s:[{s:s,s:i,s:s,s:n}]}",
			       "TransactionId", tid, "OverallResult", "Succeeded",
			       "CommonProcessData", "$type",
			       "CFX.Structures.ReflowProfiling.ReflowProfilingProcessData, CFX",
			       "TimeDateUnitIn", tsj(in), "TimeDateUnitOut", tsj(out),
			       "ProductName", R->product, "Barcode", b->serial, "RecipeName",
			       "HM100-B-SAC305", "ProcessWindowName", "SAC305-235-250", "LotID",
			       R->wo, "OvenName", oname, "Lane", 1, "ConveyorSpeedSetpoint", 80.0,
			       "MeasuredConveyorSpeed", speed, "Result",
			       pwi <= 100 ? "Passed" : "Failed", "ProductionUnitPWI",
			       round(pwi * 10) / 10, "ZoneData", zones(b->peak, true, 0),
			       "UnitProcessData", "UnitIdentifier", b->serial, "UnitPositionNumber",
			       b->pos, "UnitResult", pwi <= 100 ? "Succeeded" : "Failed",
			       "UnitProcessData"));
	}
}

static json_t *
defect(struct run *R, const char *code, const char *cat, const char *desc, const char *refdes,
       const char *pn, char uid_out[40])
{
	guid(R, uid_out);
	return json_pack("{s:s,s:s,s:s,s:s,s:n,s:{s:s,s:n,s:s},s:n,s:[{s:s,s:s}],s:i,s:f,s:[],"
			 "s:[]}",
			 "UniqueIdentifier", uid_out, "DefectCode", code, "DefectCategory", cat,
			 "Description", desc, "Comments", "ComponentOfInterest",
			 "ReferenceDesignator", refdes, "UnitPosition", "PartNumber", pn,
			 "RegionOfInterest", "DefectImages", "MimeType", "image/jpg", "ImageData",
			 "/9j/4AAQSkZJRgABAQ==", "Priority", 1, "ConfidenceLevel", 97.5,
			 "RelatedMeasurements", "RelatedSymptoms");
}

static json_t *
repair(struct run *R, const struct board *b, const char *name, const char *comment,
       const char *refdes, const char *pn, const char *defect_id, int64_t t0, int64_t t1)
{
	char uid[40], tid[40];

	guid(R, tid);
	guid(R, uid);
	return json_pack("{s:s,s:o,s:[{s:s,s:i,s:s,s:[{s:s,s:s,s:o,s:o,s:s,s:{s:s,s:n,s:s},s:n,"
			 "s:[s*],s:[],s:[],s:[],s:s,s:n}]}]}",
			 "TransactionId", tid, "RepairOperator",
			 oper("B-4004", "Oya", "Operator", "oya"), "RepairedUnits",
			 "UnitIdentifier", b->serial, "UnitPositionNumber", b->pos, "OverallResult",
			 "RepairSuccessful", "Repairs", "UniqueIdentifier", uid, "RepairName", name,
			 "RepairStartTime", tsj(t0), "RepairEndTime", tsj(t1), "Comments", comment,
			 "ComponentOfInterest", "ReferenceDesignator", refdes, "UnitPosition",
			 "PartNumber", pn, "RegionOfInterest", "RelatedDefectIdentifiers",
			 defect_id, "ReclassifiedDefects", "RelatedSymptomIdentifiers",
			 "ReclassifiedSymptoms", "Result", "RepairSuccessful", "Error");
}

static void
inspect(struct run *R, int l, const int *bi, int np, int64_t t0, int64_t t1)
{
	char aoi[64], tid[40];
	json_t *units = json_array();

	handle(aoi, sizeof(aoi), "KohYoung.Zenith2", l, "AOI");
	for (int i = 0; i < np && units; i++) {
		struct board *b = &R->boards[bi[i]];
		char uid[40], did[40], desc[64];
		json_t *defects = json_array();
		if (b->aoi_fail) {
			/* A tombstoned passive on M1, repaired at the bench. */
			const struct bl *bp = NULL;
			const char *ref;
			for (int k = 0; k < R->nbl && !bp; k++)
				if (R->bl[(k + bi[i]) % R->nbl].mach == 0)
					bp = &R->bl[(k + bi[i]) % R->nbl];
			ref = bp->ref[bi[i] % bp->k];
			b->aoi_ref = ref;
			snprintf(desc, sizeof(desc), "Tombstone on %s", ref);
			json_array_append_new(defects, defect(R, "TMBSTN211", "Solder Problems",
							      desc, ref, bp->ipn, did));
			snprintf(desc, sizeof(desc), "Re-soldered tombstoned %s", ref);
			emit(R, t1 + 25 * MIN_MS, "CFX.Production.ReworkAndRepair.UnitsRepaired",
			     "JBC.RMSE.RW-1",
			     repair(R, b, "Joint Repair", desc, ref, bp->ipn, did, t1 + 20 * MIN_MS,
				    t1 + 25 * MIN_MS));
		}
		guid(R, uid);
		json_array_append_new(
			units,
			json_pack("{s:s,s:i,s:s,s:[{s:s,s:s,s:o,s:o,s:n,s:n,s:s,s:n,s:o,s:[],"
				  "s:[]}]}",
				  "UnitIdentifier", b->serial, "UnitPositionNumber", b->pos,
				  "OverallResult", b->aoi_fail ? "Failed" : "Passed", "Inspections",
				  "UniqueIdentifier", uid, "InspectionName", "AOI_TOP",
				  "InspectionStartTime", tsj(t0), "InspectionEndTime", tsj(t1),
				  "TestProcedure", "Comments", "Result",
				  b->aoi_fail ? "Failed" : "Passed", "Error", "DefectsFound",
				  defects, "Symptoms", "Measurements"));
	}
	guid(R, tid);
	emit(R, t1, "CFX.Production.TestAndInspection.UnitsInspected", aoi,
	     json_pack("{s:s,s:s,s:{s:s,s:n,s:n},s:o,s:s,s:s,s:o}", "TransactionId", tid,
		       "InspectionMethod", "AOI", "SamplingInformation", "SamplingMethod",
		       "NoSampling", "LotSize", "SampleSize", "Inspector",
		       oper("B-4003", "Otto", "Operator", "otto"), "RecipeName", "HM100-B-AOI",
		       "RecipeRevision", "2", "InspectedUnits", units));
}

static json_t *
units_hdr(struct run *R, const char *panel, const char *hermes, const int *bi, int np)
{
	return json_pack("{s:s,s:s,s:i,s:o}", "PrimaryIdentifier", panel, "HermesIdentifier",
			 hermes, "UnitCount", np, "Units", units_json(R, bi, np, false));
}

static void
run_line(struct run *R, int l)
{
	int psz = R->possz[l], n = R->nline[l], nparts[2] = { 0, 0 };
	int64_t t0 = R->start + l * 7 * MIN_MS, next = t0, free_m[2] = { 0, 0 }, free_aoi = 0;
	int64_t rate[2] = { 150, 450 }, takt, last_depart = t0;
	int hot_panel = R->npanels[l] / 2;
	char batch[96], prog[2][64];

	for (int b = 0; b < R->nbl; b++)
		nparts[R->bl[b].mach] += R->bl[b].k;
	takt = psz * (nparts[0] * rate[0] > nparts[1] * rate[1] ? nparts[0] * rate[0]
								: nparts[1] * rate[1]) +
	       8000;
	snprintf(batch, sizeof(batch), "%s-L%d", R->wo, l + 1);
	for (int m = 0; m < 2; m++)
		snprintf(prog[m], sizeof(prog[m]), "HM100-B-TOP-L%d-M%d", l + 1, m + 1);
	setup_line(R, l, t0);
	for (int p = 0, done = 0; done < n && R->rc == ECMS_OK; p++) {
		int np = n - done < psz ? n - done : psz, bi[4];
		int64_t arrive = next > free_m[0] ? next : free_m[0], m1_arrive = arrive,
			depart = 0;
		char panel[40], hermes[40];
		snprintf(panel, sizeof(panel), "PNL-L%d-%04d", l + 1, p + 1);
		guid(R, hermes);
		for (int i = 0; i < np; i++) {
			struct board *b = &R->boards[R->first[l] + done + i];
			bi[i] = R->first[l] + done + i;
			ecms__strlcpy(b->panel, panel, sizeof(b->panel));
			b->panel_idx = p;
		}
		for (int m = 0; m < 2 && R->rc == ECMS_OK; m++) {
			const char *src = mach_handle(l, m);
			int64_t ws, dur = np * nparts[m] * rate[m];
			char tid[40];
			if (m == 1)
				arrive = depart + 3000 > free_m[1] ? depart + 3000 : free_m[1];
			emit(R, arrive, "CFX.Production.UnitsArrived", src,
			     units_hdr(R, panel, hermes, bi, np));
			ws = arrive + 1500;
			guid(R, tid);
			emit(R, ws, "CFX.Production.WorkStarted", src,
			     json_pack("{s:s,s:s,s:s,s:i,s:i,s:o,s:s,s:s,s:s,s:{s:s,s:s}}",
				       "PrimaryIdentifier", panel, "HermesIdentifier", hermes,
				       "TransactionID", tid, "Lane", 1, "UnitCount", np, "Units",
				       units_json(R, bi, np, true), "RecipeName", prog[m],
				       "Revision", "1", "RelevantSurface", "PrimarySurface",
				       "WorkOrderIdentifier", "WorkOrderId", R->wo, "Batch",
				       batch));
			place_panel(R, l, m, bi, np, ws, &dur, tid);
			if (m == 1 && l == R->nlines - 1 && p == R->npanels[l] / 3) {
				/* A nozzle loses vacuum; the machine retries and goes on
				 * after a minute (a warning, nothing placed wrong). */
				char fid[40];
				guid(R, fid);
				emit(R, ws + dur / 2, "CFX.ResourcePerformance.FaultOccurred", src,
				     json_pack("{s:{s:s,s:s,s:s,s:s,s:i,s:n,s:s,s:s,s:s,s:{},"
					       "s:o,s:n}}",
					       "Fault", "Cause", "MechanicalFailure", "Severity",
					       "Warning", "FaultCode", "W-NZL-0317",
					       "FaultOccurrenceId", fid, "Lane", 1, "Stage",
					       "SideLocation", "Unknown", "AccessType", "Unknown",
					       "Description",
					       "Head 1 nozzle 3: vacuum below threshold",
					       "DescriptionTranslations", "OccurredAt",
					       tsj(ws + dur / 2), "DueDateTime"));
				dur += 60000;
			}
			emit(R, ws + dur, "CFX.Production.WorkCompleted", src,
			     json_pack("{s:s,s:s,s:n,s:n,s:i,s:[]}", "TransactionID", tid, "Result",
				       "Completed", "PrimaryIdentifier", "HermesIdentifier",
				       "UnitCount", 0, "Units"));
			depart = ws + dur + 1000;
			emit(R, depart, "CFX.Production.UnitsDeparted", src,
			     units_hdr(R, panel, hermes, bi, np));
			free_m[m] = depart + 500;
		}
		{
			int64_t in = depart + 15000, out = in + 330000, a0, a1;
			reflow(R, l, bi, np, in, out,
			       l == (R->nlines > 1 ? 1 : 0) &&
				       (p == hot_panel || p == hot_panel + 1));
			a0 = out + 30000 > free_aoi ? out + 30000 : free_aoi;
			a1 = a0 + np * 6000LL;
			for (int i = 0; i < np; i++) {
				struct board *b = &R->boards[bi[i]];
				b->aoi_fail = !b->scrapped && bi[i] != R->rework_board &&
					      pick(R, 60) == 0;
				b->ready_ms = a1 + 20 * MIN_MS + (b->aoi_fail ? 30 * MIN_MS : 0);
			}
			inspect(R, l, bi, np, a0, a1);
			free_aoi = a1 + 1000;
			for (int i = 0; i < np; i++)
				if (R->boards[bi[i]].scrapped) {
					/* Dropped at depaneling: the PCB cracked. */
					emit(R, a1 + 12 * MIN_MS,
					     "CFX.Production.UnitsDisqualified",
					     "Cencorp.DR3000.L1-DEPANEL",
					     json_pack("{s:s,s:s,s:i,s:o}", "Reason",
						       "DefectiveRepairNotPossible", "Comments",
						       "Dropped at depaneling; the PCB cracked",
						       "UnitCount", 1, "Units",
						       units_json(R, &bi[i], 1, false)));
				}
		}
		last_depart = depart;
		next = m1_arrive + takt;
		done += np;
	}
	/* End of the order on this line: every reel comes off; moisture-
	 * sensitive ones go back to the dry cabinet. */
	for (int m = 0; m < 2 && R->rc == ECMS_OK; m++) {
		json_t *ids = json_array();
		for (int b = 0; b < R->nbl; b++) {
			struct slot *sl = slot_of(R, l, b);
			if (R->bl[b].mach == m)
				json_array_append_new(
					ids, json_string(R->reels[sl->reels[sl->cur]].uid));
		}
		emit(R, last_depart + (10 + m) * MIN_MS, "CFX.Materials.Storage.MaterialsUnloaded",
		     mach_handle(l, m), json_pack("{s:o}", "MaterialPackageIdentifiers", ids));
	}
	for (int b = 0; b < R->nbl && R->rc == ECMS_OK; b++) {
		struct slot *sl = slot_of(R, l, b);
		int r = sl->reels[sl->cur];
		char tower[64];
		if (strcmp(R->bl[b].msl, "1") == 0)
			continue;
		handle(tower, sizeof(tower), "Essemtec.TOWER", l, "TOWER");
		emit(R, last_depart + 25 * MIN_MS + b * 1000LL,
		     "CFX.Materials.Management.MSDManagement.MaterialsPlacedInDryStorage", tower,
		     json_pack("{s:[o]}", "Materials",
			       package_detail(R, r, R->reels[r].left,
					      t0 - 45 * MIN_MS + b * 40000LL - 5 * MIN_MS,
					      "InDryStorage")));
	}
}

/* One functional test of a board; returns the end time. */
static int64_t
test_board(struct run *R, struct board *b, int st, int64_t t, bool fail)
{
	static const char *const eq[2] = { "NI.PXIe8881.FCT-1", "NI.PXIe8881.FCT-2" };
	const struct bl *u = &R->bl[R->empty_b];
	double v = fail ? 2.91 : 3.28 + pick(R, 5) / 100.0;
	double gain = 6.0 + (pick(R, 9) - 4) / 100.0, txp = -0.5 + pick(R, 10) / 10.0;
	char tid[40], t1[40], t2[40], t3[40], m1[40], m2[40], m3[40], name[40];
	int64_t end = t + 80000;

	guid(R, tid);
	guid(R, t1);
	guid(R, t2);
	guid(R, t3);
	guid(R, m1);
	guid(R, m2);
	guid(R, m3);
	snprintf(name, sizeof(name), "VOUT_%s", u->ref[0]);
#define MEAS(uid, mname, val, unit, exp, lo, hi, res, crd)                                         \
	"$type", "CFX.Structures.NumericMeasurement, CFX", "MeasuredValue", "Value", val,          \
		"ValueUnits", unit, "ExpectedValue", exp, "ExpectedValueUnits", unit,              \
		"MinimumAcceptableValue", lo, "MaximumAcceptableValue", hi, "UniqueIdentifier",    \
		uid, "MeasurementName", mname, "TimeRecorded", tsj(t + 20000), "Sequence", 0,      \
		"Result", res, "CRDs", crd
#define MFMT "{s:s,s:{s:f,s:s,s:f,s:s,s:f,s:f},s:s,s:s,s:o,s:i,s:s,s:s}"
#define TFMT "{s:s,s:s,s:o,s:o,s:[],s:n,s:n,s:s,s:n,s:[],s:[],s:[" MFMT "]}"
	emit(R, end, "CFX.Production.TestAndInspection.UnitsTested", eq[st],
	     json_pack(
		     "{s:s,s:s,s:o,s:s,s:s,s:{s:s,s:n,s:n},s:[{s:s,s:i,s:s,s:[" TFMT "," TFMT
		     "," TFMT "]}]}",
		     "TransactionId", tid, "TestMethod", "FCT", "Tester",
		     st ? oper("B-4002", "Omar", "Operator", "omar")
			: oper("B-4001", "Olga", "Operator", "olga"),
		     "RecipeName", "HM100-B-FCT", "RecipeRevision", "3", "SamplingInformation",
		     "SamplingMethod", "NoSampling", "LotSize", "SampleSize", "TestedUnits",
		     "UnitIdentifier", b->serial, "UnitPositionNumber", b->pos, "OverallResult",
		     fail ? "Failed" : "Passed", "Tests",
		     /* 1: the 3.3 V rail */
		     "UniqueIdentifier", t1, "TestName", "SUPPLY_3V3", "TestStartTime", tsj(t),
		     "TestEndTime", tsj(t + 25000), "TestConditions", "TestProcedure", "Comments",
		     "Result", fail ? "Failed" : "Passed", "Error", "SymptomsFound", "DefectsFound",
		     "Measurements",
		     MEAS(m1, name, v, "V", 3.3, 3.23, 3.37, fail ? "Failed" : "Passed", u->ref[0]),
		     /* 2: ECG channel gain */
		     "UniqueIdentifier", t2, "TestName", "ECG_GAIN", "TestStartTime",
		     tsj(t + 25000), "TestEndTime", tsj(t + 55000), "TestConditions",
		     "TestProcedure", "Comments", "Result", "Passed", "Error", "SymptomsFound",
		     "DefectsFound", "Measurements",
		     MEAS(m2, "ECG_CH1_GAIN", gain, "V/V", 6.0, 5.9, 6.1, "Passed", "U1"),
		     /* 3: radio */
		     "UniqueIdentifier", t3, "TestName", "BLE_TX_POWER", "TestStartTime",
		     tsj(t + 55000), "TestEndTime", tsj(end), "TestConditions", "TestProcedure",
		     "Comments", "Result", "Passed", "Error", "SymptomsFound", "DefectsFound",
		     "Measurements",
		     MEAS(m3, "TX_POWER_2440MHZ", txp, "dBm", 0.0, -3.0, 3.0, "Passed", "U2")));
#undef MEAS
#undef MFMT
#undef TFMT
	b->tester = st;
	b->tested_ms = end;
	return end;
}

static int
readycmp(const void *a, const void *b)
{
	const struct board *x = *(struct board *const *)a, *y = *(struct board *const *)b;

	if (x->ready_ms != y->ready_ms)
		return x->ready_ms < y->ready_ms ? -1 : 1;
	return strcmp(x->serial, y->serial);
}

static int
testedcmp(const void *a, const void *b)
{
	const struct board *x = *(struct board *const *)a, *y = *(struct board *const *)b;

	if (x->tested_ms != y->tested_ms)
		return x->tested_ms < y->tested_ms ? -1 : 1;
	return strcmp(x->serial, y->serial);
}

/* Functional test of every good board on two testers, the failed one
 * repaired (its U4 replaced from the bench reel) and retested. */
static int
run_tests(struct run *R, struct board ***order_out, int *n_out)
{
	struct board **ord = ecms__calloc((size_t)R->nboards, sizeof(*ord));
	int64_t free_st[2] = { 0, 0 };
	int n = 0;

	*order_out = ord;
	if (ord == NULL)
		return ECMS_ENOMEM;
	for (int i = 0; i < R->nboards; i++)
		if (!R->boards[i].scrapped)
			ord[n++] = &R->boards[i];
	qsort(ord, (size_t)n, sizeof(*ord), readycmp);
	for (int i = 0; i < n && R->rc == ECMS_OK; i++) {
		struct board *b = ord[i];
		int st = free_st[0] <= free_st[1] ? 0 : 1;
		int64_t t = b->ready_ms > free_st[st] ? b->ready_ms : free_st[st];
		bool fail = b == &R->boards[R->rework_board];
		int64_t end = test_board(R, b, st, t, fail);
		free_st[st] = end + 10000;
		if (fail) {
			const struct bl *u = &R->bl[R->empty_b];
			int ri = u->ref0, old = b->cand[ri][0], nr = R->rework_reel;
			R->rework_old = old;
			char tid[40], desc[96];
			int64_t r0 = end + 30 * MIN_MS, r1 = r0 + 12 * MIN_MS;
			guid(R, tid);
			emit(R, r1 - 60000, "CFX.Production.Assembly.MaterialsUninstalled",
			     "JBC.RMSE.RW-1",
			     json_pack("{s:s,s:[{s:s,s:i,s:f,s:s,s:o,s:[{s:s}]}]}", "TransactionId",
				       tid, "UninstalledMaterials", "UnitIdentifier", b->serial,
				       "UnitPositionNumber", b->pos, "QuantityUninstalled", 1.0,
				       "Reason", "DefectiveMaterial", "Material",
				       package(R, old, R->reels[old].left, -1),
				       "UninstalledComponents", "ReferenceDesignator", u->ref[0]));
			R->reels[nr].left = R->reels[nr].qty - 1;
			emit(R, r1 - 30000, "CFX.Production.Assembly.MaterialsInstalled",
			     "JBC.RMSE.RW-1",
			     json_pack("{s:s,s:[{s:s,s:i,s:f,s:f,s:o,s:[{s:s,s:o}]}]}",
				       "TransactionId", tid, "InstalledMaterials", "UnitIdentifier",
				       b->serial, "UnitPositionNumber", b->pos, "QuantityInstalled",
				       1.0, "QuantityNonInstalled", 0.0, "Material",
				       package(R, nr, R->reels[nr].left, -1), "InstalledComponents",
				       "ReferenceDesignator", u->ref[0], "InstallationTime",
				       tsj(r1 - 30000)));
			snprintf(desc, sizeof(desc), "%s output low (2.91 V): replaced %s",
				 u->ref[0], u->ref[0]);
			emit(R, r1, "CFX.Production.ReworkAndRepair.UnitsRepaired", "JBC.RMSE.RW-1",
			     repair(R, b, "Component Replacement", desc, u->ref[0], u->ipn, NULL,
				    r0, r1));
			b->cand[ri][0] = nr;
			b->cand[ri][1] = -1;
			test_board(R, b, 0, r1 + 20 * MIN_MS, false);
		}
	}
	*n_out = n;
	return R->rc;
}

/* ------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------ */

static FILE *
open_out(struct run *R, const char *name, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", R->dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		ecms__ctxfail(R->h, ECMS_EIO, NULL, "%s: cannot write", path);
	return f;
}

static int
close_out(struct run *R, FILE *f, const char *path)
{
	if (ferror(f) | (fclose(f) != 0))
		return ecms__ctxfail(R->h, ECMS_EIO, NULL, "%s: write failed", path);
	return ECMS_OK;
}

static int
write_programs(struct run *R)
{
	char path[1200], name[32];
	ecms_buf rb;
	int rc = ECMS_OK;

	ecms__buf_init(&rb, 1 << 16);
	for (int l = 0; l < R->nlines && rc == ECMS_OK; l++) {
		FILE *f;
		if (l == 0)
			snprintf(name, sizeof(name), "programs.csv");
		else
			snprintf(name, sizeof(name), "programs-L%d.csv", l + 1);
		if ((f = open_out(R, name, path, sizeof(path))) == NULL) {
			rc = ECMS_EIO;
			break;
		}
		fprintf(f, "product,rev,side,machine,program,slot,ipn,refdes\n");
		for (int m = 0; m < 2; m++)
			for (int b = 0; b < R->nbl && rc == ECMS_OK; b++) {
				const struct bl *bp = &R->bl[b];
				if (bp->mach != m)
					continue;
				ecms__buf_reset(&rb);
				if ((rc = refdes_text(&rb, bp->ref, bp->k)) == ECMS_OK)
					rc = ecms__buf_addc(&rb, '\0');
				if (rc == ECMS_OK)
					fprintf(f,
						"%s,%s,top,L%d-M%d,HM100-B-TOP-L%d-M%d,%s,%s,%s\n",
						R->product, R->rev, l + 1, m + 1, l + 1, m + 1,
						slot_of(R, l, b)->id, bp->ipn, rb.data);
			}
		if (rc == ECMS_OK)
			rc = close_out(R, f, path);
		else
			fclose(f);
	}
	ecms__buf_cleanup(&rb);
	return rc == ECMS_ENOMEM ? ecms__ctxfail(R->h, rc, NULL, "out of memory") : rc;
}

static int
write_cfx(struct run *R)
{
	char path[1200];
	FILE *f;

	qsort(R->msgs, R->nmsgs, sizeof(*R->msgs), msgcmp);
	if ((f = open_out(R, "cfx.ndjson", path, sizeof(path))) == NULL)
		return ECMS_EIO;
	for (size_t i = 0; i < R->nmsgs; i++)
		fprintf(f, "%s\n", R->msgs[i].text);
	return close_out(R, f, path);
}

static void
dump(FILE *f, const char *key, json_t *v, bool comma)
{
	fprintf(f, "\"%s\": ", key);
	json_dumpf(v, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fprintf(f, "%s\n", comma ? "," : "");
	json_decref(v);
}

static json_t *
serials(struct run *R, bool (*want)(struct run *, const struct board *))
{
	json_t *a = json_array();

	for (int i = 0; i < R->nboards; i++)
		if (want(R, &R->boards[i]))
			json_array_append_new(a, json_string(R->boards[i].serial));
	return a;
}

static bool
is_notice(struct run *R, const struct board *b)
{
	for (int k = 0; k < R->bl[R->notice_b].k; k++) {
		const int *c = b->cand[R->bl[R->notice_b].ref0 + k];
		if ((c[0] >= 0 && R->reels[c[0]].notice) || (c[1] >= 0 && R->reels[c[1]].notice))
			return true;
	}
	return false;
}

static bool
is_grey(struct run *R, const struct board *b)
{
	(void)R;
	return b->grey;
}

static bool
is_scrapped(struct run *R, const struct board *b)
{
	(void)R;
	return b->scrapped;
}

static bool
is_ambiguous(struct run *R, const struct board *b)
{
	for (int i = 0; i < R->nrefs; i++)
		if (b->cand[i][1] >= 0)
			return true;
	return false;
}

static bool
is_lapsed(struct run *R, const struct board *b)
{
	(void)R;
	return !b->scrapped && b->tester == 1;
}

static json_t *
uids(struct run *R, const int *c)
{
	return c[1] >= 0 ? json_pack("[s,s]", R->reels[c[0]].uid, R->reels[c[1]].uid)
			 : json_pack("[s]", R->reels[c[0]].uid);
}

static int
write_truth(struct run *R, int64_t ship_ms[2], uint64_t seed)
{
	const struct bl *nb = &R->bl[R->notice_b];
	char path[1200], day[11], nmach[16];
	json_t *reels = json_array(), *pk = json_object(), *gz = json_array(), *over = json_array(),
	       *lines = json_array(), *refs = json_array();
	FILE *f;

	if ((f = open_out(R, "truth.json", path, sizeof(path))) == NULL)
		return ECMS_EIO;
	for (int i = 0; i < R->nreels; i++) {
		const struct reel *x = &R->reels[i];
		json_object_set_new(pk, x->uid,
				    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s?}", "ipn",
					      R->bl[x->b].ipn, "mpn", R->bl[x->b].mpn,
					      "manufacturer", R->bl[x->b].mfr, "lot", x->lot,
					      "date_code", x->dc, "supplier", x->supplier,
					      "received_qty", (json_int_t)x->qty, "counted_qty",
					      (json_int_t)x->count, "use",
					      x->line >= 0 ? "line"
					      : x->rework  ? "rework bench"
							   : "stock"));
		if (x->notice)
			json_array_append_new(
				reels, json_pack("{s:s,s:s,s:I}", "uid", x->uid, "status",
						 x->line >= 0 ? "used" : "in_stock", "left",
						 (json_int_t)(x->line >= 0 ? x->left : x->qty)));
	}
	for (int k = 0; k < nb->k; k++)
		json_array_append_new(refs, json_string(nb->ref[k]));
	for (int l = 0; l < R->nlines; l++) {
		char prog[32];
		if (l == 0)
			snprintf(prog, sizeof(prog), "programs.csv");
		else
			snprintf(prog, sizeof(prog), "programs-L%d.csv", l + 1);
		char ln[16];
		snprintf(ln, sizeof(ln), "L%d", l + 1);
		json_array_append_new(lines,
				      json_pack("{s:s,s:i,s:i,s:i,s:s,s:s}", "line", ln, "boards",
						R->nline[l], "panel_size", R->possz[l], "panels",
						R->npanels[l], "programs", prog, "first_serial",
						R->boards[R->first[l]].serial));
	}
	if (R->grey_slot >= 0) {
		const struct slot *sl = &R->slots[R->grey_slot];
		json_t *refs2 = json_array();
		for (int k = 0; k < R->bl[sl->b].k; k++)
			json_array_append_new(refs2, json_string(R->bl[sl->b].ref[k]));
		json_array_append_new(
			gz, json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:o}", "machine",
				      R->bl[sl->b].mach ? "L1-M2" : "L1-M1", "slot", sl->id, "old",
				      sl->gz_old >= 0 ? R->reels[sl->gz_old].uid : "", "new",
				      sl->gz_new >= 0 ? R->reels[sl->gz_new].uid : "", "grey_zone",
				      (json_int_t)sl->grey, "refdes", refs2, "boards",
				      serials(R, is_grey)));
	}
	for (int i = 0; i < R->nboards; i++) {
		const struct board *b = &R->boards[i];
		json_t *r;
		if (b->peak <= 250)
			continue;
		r = json_array();
		for (int x = 0; x < R->nbl; x++)
			if (R->bl[x].peak < b->peak)
				for (int k = 0; k < R->bl[x].k; k++)
					json_array_append_new(r, json_string(R->bl[x].ref[k]));
		json_array_append_new(over, json_pack("{s:s,s:f,s:o}", "serial", b->serial, "peak",
						      b->peak, "refdes", r));
	}
	snprintf(nmach, sizeof(nmach), "L%d-M1", R->nlines);
	ecms_date_format(R->start, day);
	fprintf(f,
		"{\n\"seed\": %llu,\n\"product\": \"%s\",\n\"rev\": \"%s\",\n"
		"\"work_order\": \"%s\",\n\"customer\": \"%s\",\n\"production_day\": \"%s\",\n"
		"\"boards_total\": %d,\n",
		(unsigned long long)seed, R->product, R->rev, R->wo, R->customer, day, R->nboards);
	dump(f, "lines", lines, true);
	dump(f, "notice",
	     json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:i,s:o}", "lot",
		       R->reels[R->notice_reel].lot, "ipn", nb->ipn, "mpn", nb->mpn, "manufacturer",
		       nb->mfr, "supplier", R->reels[R->notice_reel].supplier, "refdes", refs,
		       "machine", nmach, "slot", slot_of(R, R->nlines - 1, R->notice_b)->id,
		       "reels", reels, "count", R->notice_n, "boards", serials(R, is_notice)),
	     true);
	dump(f, "grey_zone", gz, true);
	dump(f, "ambiguous_boards", serials(R, is_ambiguous), true);
	dump(f, "scrapped", serials(R, is_scrapped), true);
	{
		const struct board *b = &R->boards[R->rework_board];
		const struct bl *u = &R->bl[R->empty_b];
		json_t *rw =
			json_pack("[{s:s,s:s,s:s,s:s,s:s,s:s,s:s}]", "serial", b->serial, "refdes",
				  u->ref[0], "before", R->reels[R->rework_old].uid, "after",
				  R->reels[R->rework_reel].uid, "user", "oya", "station", "RW-1",
				  "reason", "FCT SUPPLY_3V3 failed (2.91 V)");
		dump(f, "reworks", rw, true);
	}
	dump(f, "reflow_over_limit", over, true);
	{
		json_t *aoi = json_array();
		for (int i = 0; i < R->nboards; i++)
			if (R->boards[i].aoi_fail)
				json_array_append_new(aoi, json_pack("{s:s,s:s,s:s,s:s}", "serial",
								     R->boards[i].serial, "refdes",
								     R->boards[i].aoi_ref, "defect",
								     "TMBSTN211", "repair",
								     "Joint Repair"));
		dump(f, "aoi_defects", aoi, true);
		dump(f, "test_failures",
		     json_pack("[{s:s,s:s,s:s,s:f,s:s}]", "serial",
			       R->boards[R->rework_board].serial, "test", "SUPPLY_3V3", "refdes",
			       R->bl[R->empty_b].ref[0], "value", 2.91, "retest", "Passed"),
		     true);
	}
	{
		char d1[11], d2[11], c1[11], c2[11];
		ecms_date_format(ship_ms[0], d1);
		ecms_date_format(ship_ms[1], d2);
		ecms_date_format(R->start + 200 * DAY_MS, c1);
		ecms_date_format(R->start - 3 * DAY_MS, c2);
		dump(f, "shipments",
		     json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "shipment", "SHP-1", "date", d1,
			       "customer", R->customer, "shipment", "SHP-2", "date", d2, "customer",
			       R->customer),
		     true);
		dump(f, "equipment",
		     json_pack("[{s:s,s:s},{s:s,s:s,s:o}]", "id", "FCT-1", "calibrated_until", c1,
			       "id", "FCT-2", "calibrated_until", c2, "boards",
			       serials(R, is_lapsed)),
		     true);
	}
	dump(f, "packages", pk, true);
	fprintf(f, "\"boards\": [\n");
	for (int i = 0; i < R->nboards; i++) {
		const struct board *b = &R->boards[i];
		json_t *c = json_object(), *amb = json_array(), *o;
		char sd[11], ln[16];
		for (int x = 0; x < R->nrefs; x++) {
			json_object_set_new(c, R->refs[x], uids(R, b->cand[x]));
			if (b->cand[x][1] >= 0)
				json_array_append_new(amb, json_string(R->refs[x]));
		}
		if (b->shipment)
			ecms_date_format(ship_ms[b->shipment - 1], sd);
		snprintf(ln, sizeof(ln), "L%d", b->line + 1);
		o = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:f,s:o,s:o}", "serial",
			      b->serial, "panel", b->panel, "position", b->pos, "line", ln,
			      "work_order", R->wo, "customer", R->customer, "status",
			      b->scrapped ? "scrapped" : "completed", "shipment",
			      b->shipment == 1   ? "SHP-1"
			      : b->shipment == 2 ? "SHP-2"
						 : NULL,
			      "shipped", b->shipment ? sd : NULL, "tested_on",
			      b->scrapped ? NULL
			      : b->tester ? "FCT-2"
					  : "FCT-1",
			      "peak", b->peak, "ambiguous", amb, "components", c);
		json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
		fprintf(f, "%s\n", i + 1 < R->nboards ? "," : "");
		json_decref(o);
	}
	fprintf(f, "]\n}\n");
	return close_out(R, f, path);
}

static int
write_shipments(struct run *R, int64_t ship_ms[2])
{
	char path[1200], d[2][11];
	FILE *f;

	ecms_date_format(ship_ms[0], d[0]);
	ecms_date_format(ship_ms[1], d[1]);
	if ((f = open_out(R, "shipments.csv", path, sizeof(path))) == NULL)
		return ECMS_EIO;
	fprintf(f, "shipment,date,customer,serial\n");
	for (int s = 1; s <= 2; s++)
		for (int i = 0; i < R->nboards; i++)
			if (R->boards[i].shipment == s)
				fprintf(f, "SHP-%d,%s,%s,%s\n", s, d[s - 1], R->customer,
					R->boards[i].serial);
	if (close_out(R, f, path))
		return ECMS_EIO;
	if ((f = open_out(R, "equipment.csv", path, sizeof(path))) == NULL)
		return ECMS_EIO;
	{
		char c1[11], c2[11];
		ecms_date_format(R->start + 200 * DAY_MS, c1);
		ecms_date_format(R->start - 3 * DAY_MS, c2);
		fprintf(f,
			"id,kind,description,calibrated_until,certificate\n"
			"FCT-1,tester,HM-100 functional tester 1 (NI PXIe-8881),%s,"
			"cal-FCT-1.txt\n"
			"FCT-2,tester,HM-100 functional tester 2 (NI PXIe-8881),%s,"
			"cal-FCT-2.txt\n",
			c1, c2);
	}
	if (close_out(R, f, path))
		return ECMS_EIO;
	for (int i = 0; i < 2; i++) {
		char name[24], until[11];
		snprintf(name, sizeof(name), "cal-FCT-%d.txt", i + 1);
		ecms_date_format(R->start + (i ? -3 : 200) * DAY_MS, until);
		if ((f = open_out(R, name, path, sizeof(path))) == NULL)
			return ECMS_EIO;
		fprintf(f,
			"CALIBRATION CERTIFICATE\nInstrument: FCT-%d (NI PXIe-8881 + DMM 4081)\n"
			"Result: in tolerance\nValid until: %s\n",
			i + 1, until);
		if (close_out(R, f, path))
			return ECMS_EIO;
	}
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * The run
 * ------------------------------------------------------------------ */

static int
plan_lines(struct run *R)
{
	int rest = R->nboards, n = 0;

	for (int l = R->nlines - 1; l >= 0; l--) {
		R->possz[l] = l % 2 ? 2 : 4;
		if (l > 0) {
			R->nline[l] = R->nboards / R->nlines / R->possz[l] * R->possz[l];
			rest -= R->nline[l];
		} else {
			R->nline[0] = rest;
		}
	}
	for (int l = 0; l < R->nlines; l++) {
		R->first[l] = n;
		n += R->nline[l];
		R->npanels[l] = (R->nline[l] + R->possz[l] - 1) / R->possz[l];
		if (R->nline[l] < 8)
			return ecms__ctxfail(
				R->h, ECMS_EUSAGE, "boards",
				"%d boards are too few for %d lines (at least 8 a line)",
				R->nboards, R->nlines);
	}
	if (R->notice_n <= 0 || R->notice_n % 4 || R->notice_n >= R->nline[R->nlines - 1] ||
	    (R->nlines == 1 && (R->nline[0] % 4 || R->nline[0] < 2 * R->notice_n + 8)))
		return ecms__ctxfail(R->h, ECMS_EUSAGE, "boards",
				     "the notice lot needs a multiple of 4 boards fewer than the "
				     "last line's %d (with one line: full panels, and more than "
				     "twice as many boards)",
				     R->nline[R->nlines - 1]);
	return ECMS_OK;
}

static void
run_free(struct run *R)
{
	for (size_t i = 0; i < R->nmsgs; i++)
		free(R->msgs[i].text); /* checksrc:ok jansson's allocator */
	ecms__free(R->msgs);
	if (R->boards)
		for (int i = 0; i < R->nboards; i++)
			ecms__free(R->boards[i].cand);
	ecms__free(R->boards);
	ecms__free(R->slots);
	ecms__free(R->reels);
	ecms__free(R->refs);
	ecms__free(R->bl);
	json_decref(R->bom);
}

int
ecms_sim_production(ecms_sim *s, ecms *h, const char *dir, const ecms_sim_prod_config *cfg,
		    json_t **summary)
{
	struct run R = { 0 };
	ecms_sim_prod_config c = { 0 };
	json_t *wo = NULL;
	struct board **ord = NULL;
	int64_t ship_ms[2];
	int ntested = 0, rc, shipped = 0;
	bool in_tx = false;
	uint64_t seed = ecms__sim_seed(s);

	*summary = NULL;
	if (cfg)
		c = *cfg;
	R.s = s;
	R.h = h;
	R.dir = dir;
	R.nlines = c.lines ? c.lines : 2;
	R.notice_n = c.notice_boards ? c.notice_boards : 20;
	if (R.nlines < 1 || R.nlines > MAX_LINES)
		return ecms__ctxfail(h, ECMS_EUSAGE, "lines", "lines: %d is not 1 to %d", R.nlines,
				     MAX_LINES);
	if ((rc = ecms_wo_get(h, c.wo ? c.wo : "WO-HM-500", &wo)))
		return rc == ECMS_ENOTFOUND
			       ? ecms__ctxfail(h, rc, "wo",
					       "work order %s not found: run 'ecms sim product "
					       "--wo %s' first",
					       c.wo ? c.wo : "WO-HM-500", c.wo ? c.wo : "WO-HM-500")
			       : rc;
	ecms__strlcpy(R.wo, ecms__rs(wo, "id"), sizeof(R.wo));
	ecms__strlcpy(R.product, ecms__rs(wo, "product"), sizeof(R.product));
	ecms__strlcpy(R.rev, ecms__rs(wo, "rev"), sizeof(R.rev));
	ecms__strlcpy(R.customer, ecms__rnull(wo, "customer") ? "" : ecms__rs(wo, "customer"),
		      sizeof(R.customer));
	R.nboards = c.boards ? c.boards : (int)ecms__ri(wo, "qty");
	if (R.nboards > ecms__ri(wo, "qty")) {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "boards",
				   "boards: %d is more than work order %s's %lld", R.nboards, R.wo,
				   (long long)ecms__ri(wo, "qty"));
		json_decref(wo);
		return rc;
	}
	json_decref(wo);
	if (R.nboards <= 0 || R.nboards > 100000)
		return ecms__ctxfail(h, ECMS_EUSAGE, "boards", "boards: %d is not 1 to 100000",
				     R.nboards);
	R.start = c.start_ms ? c.start_ms : (ecms_now(h) / DAY_MS - 90) * DAY_MS + 6 * HOUR_MS;
	if ((rc = ecms_bom_get(h, R.product, R.rev, &R.bom)))
		goto out;
	if ((rc = load_bom(&R)) || (rc = plan_lines(&R)))
		goto out;
	R.boards = ecms__calloc((size_t)R.nboards, sizeof(*R.boards));
	if (R.boards == NULL) {
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (int l = 0, i = 0; l < R.nlines; l++)
		for (int j = 0; j < R.nline[l]; j++, i++) {
			struct board *b = &R.boards[i];
			snprintf(b->serial, sizeof(b->serial), "HM100B-%05d", i + 1);
			b->line = l;
			b->pos = 1 + j % R.possz[l];
			b->cand = ecms__calloc((size_t)R.nrefs + 1, sizeof(*b->cand));
			if (b->cand == NULL) {
				rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
				goto out;
			}
		}
	R.scrap_board = R.first[0] + R.nline[0] * 2 / 5 / 4 * 4 + 2;
	R.rework_board = R.first[0] + R.nline[0] / 2 + 1;
	R.boards[R.scrap_board].scrapped = true;
	if ((rc = plan_reels(&R)))
		goto out;
	/* One transaction from the first purchase order to the last file:
	 * all or nothing. */
	if ((rc = ecms__begin(h)))
		goto out;
	in_tx = true;
	if ((rc = receive_reels(&R)))
		goto out;
	for (int l = 0; l < R.nlines && R.rc == ECMS_OK; l++)
		run_line(&R, l);
	if (R.rc == ECMS_OK)
		run_tests(&R, &ord, &ntested);
	if ((rc = R.rc))
		goto out;
	/* Ship the first half of the tested boards two days later, the rest
	 * a week after that, except the last ten tested, which stay in the
	 * finished-goods store (so a recall finds boards shipped and boards
	 * still in the house). */
	qsort(ord, (size_t)ntested, sizeof(*ord), testedcmp);
	ship_ms[0] = R.start + 2 * DAY_MS + 10 * HOUR_MS;
	ship_ms[1] = R.start + 9 * DAY_MS + 10 * HOUR_MS;
	for (int i = 0, keep = ntested / 5 < 10 ? ntested / 5 : 10; i < ntested; i++) {
		ord[i]->shipment = i < ntested / 2 ? 1 : i < ntested - keep ? 2 : 0;
		shipped += ord[i]->shipment != 0;
	}
	if ((rc = write_programs(&R)) || (rc = write_cfx(&R)) ||
	    (rc = write_truth(&R, ship_ms, seed)) || (rc = write_shipments(&R, ship_ms)))
		goto out;
	{
		int amb = 0, grey = 0, in_stock = 0, notice = 0;
		for (int i = 0; i < R.nboards; i++) {
			amb += is_ambiguous(&R, &R.boards[i]);
			grey += R.boards[i].grey;
			notice += is_notice(&R, &R.boards[i]);
		}
		for (int i = 0; i < R.nreels; i++)
			in_stock += R.reels[i].notice && R.reels[i].line < 0;
		*summary = json_pack(
			"{s:i,s:i,s:i,s:I,s:i,s:{s:s,s:s,s:s,s:i,s:i},s:i,s:i,s:i,s:i,s:s}",
			"boards", R.nboards, "lines", R.nlines, "panels",
			R.npanels[0] + (R.nlines > 1 ? R.npanels[1] : 0) +
				(R.nlines > 2 ? R.npanels[2] : 0) +
				(R.nlines > 3 ? R.npanels[3] : 0),
			"messages", (json_int_t)R.nmsgs, "reels", R.nreels, "notice", "lot",
			R.reels[R.notice_reel].lot, "mpn", R.bl[R.notice_b].mpn, "ipn",
			R.bl[R.notice_b].ipn, "boards", notice, "reels_in_stock", in_stock,
			"grey_zone_boards", grey, "ambiguous_boards", amb, "scrapped", 1, "shipped",
			shipped, "dir", dir);
		if (*summary == NULL)
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
out:
	if (in_tx)
		rc = ecms__end(h, rc);
	if (rc) {
		json_decref(*summary);
		*summary = NULL;
	}
	ecms__free(ord);
	run_free(&R);
	return rc;
}
