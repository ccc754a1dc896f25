/*
 * test_trace.c: backward trace with package data (lot, date code,
 * supplier, PO, CoC; ambiguous candidates; a package ecms never
 * received), forward traces by lot, reel (split children followed), date
 * code range, supplier window and CoC with board status and customer,
 * shipping rules and rework against the BOM. The factory is
 * trace_fixture.h; `test_trace --fixture DB` builds it into a store for
 * the golden CLI test (tests/golden/trace.t).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms/ship.h"
#include "ecms/trace.h"
#include "trace_fixture.h"

#define OK(h, expr)                                                                                \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ != ECMS_OK)                                                                \
			fail_msg("%s:%d: %s: rc %d: %s", __FILE__, __LINE__, #expr, rc_,           \
				 ecms_errmsg(h));                                                  \
	} while (0)

static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);

	if (fixture(h, tu_tmpdir()) != 0)
		fail_msg("fixture failed");
	return h;
}

static int64_t
events(ecms *h)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM events", ""), 0);
	return n;
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *
comp(json_t *t, const char *refdes)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(t, "components"), i, c)
		if (strcmp(str(c, "refdes"), refdes) == 0)
			return c;
	fail_msg("no component %s", refdes);
	return NULL;
}

/* The board entry of serial in a forward trace, or NULL. */
static json_t *
fboard(json_t *t, const char *serial)
{
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(t, "boards"), i, b)
		if (strcmp(str(b, "serial"), serial) == 0)
			return b;
	return NULL;
}

/* A JSON array of strings as "a b c". */
static const char *
words(const json_t *a)
{
	static char buf[512];
	const json_t *v;
	size_t i;

	buf[0] = '\0';
	json_array_foreach((json_t *)a, i, v) {
		if (i)
			strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, json_string_value(v), sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

static void
test_backward(void **state)
{
	ecms *h = factory("back.db");
	json_t *t, *c, *cand;

	(void)state;
	OK(h, ecms_trace_board(h, "WO1-00001", &t));
	assert_string_equal(str(t, "work_order"), "WO1");
	assert_string_equal(str(t, "product"), "HM");
	assert_string_equal(str(t, "revision"), "A");
	assert_string_equal(str(t, "customer"), "ACME");
	assert_string_equal(str(t, "status"), "completed");
	assert_int_equal(json_array_size(json_object_get(t, "components")), 4);
	c = comp(t, "C1");
	assert_string_equal(str(c, "uid"), fx_uid[FX_A]);
	assert_true(json_is_true(json_object_get(c, "known")));
	assert_string_equal(str(c, "ipn"), "C-100N");
	assert_string_equal(str(c, "mpn"), "GRM1");
	assert_string_equal(str(c, "manufacturer"), "Murata");
	assert_string_equal(str(c, "lot"), "LOT-A");
	assert_string_equal(str(c, "date_code"), "2548");
	assert_string_equal(str(c, "supplier"), "DK");
	assert_string_equal(str(c, "po"), "P1");
	assert_true(json_is_null(json_object_get(c, "coc")));
	assert_string_equal(str(c, "machine"), "M1");
	assert_string_equal(str(c, "slot"), "S1");
	assert_string_equal(str(c, "time"), "2026-01-14T08:11:00.000Z");
	assert_string_equal(str(c, "source"), "timeline");
	assert_true(json_is_false(json_object_get(c, "ambiguous")));
	assert_int_equal(json_array_size(json_object_get(c, "candidates")), 0);
	/* C3 came from the reel split off A: same lot. */
	c = comp(t, "C3");
	assert_string_equal(str(c, "uid"), fx_uid[FX_A2]);
	assert_string_equal(str(c, "lot"), "LOT-A");
	assert_int_equal(json_array_size(json_object_get(t, "route")), 1);
	assert_string_equal(str(json_array_get(json_object_get(t, "route"), 0), "kind"), "placed");
	assert_int_equal(json_array_size(json_object_get(t, "rework")), 0);
	json_decref(t);

	/* Inside the splice's grey zone: both reels are candidates, none picked. */
	OK(h, ecms_trace_board(h, "WO1-00003", &t));
	c = comp(t, "C2");
	assert_true(json_is_true(json_object_get(c, "ambiguous")));
	assert_true(json_is_null(json_object_get(c, "uid")));
	assert_true(json_is_null(json_object_get(c, "lot")));
	assert_int_equal(json_array_size(json_object_get(c, "candidates")), 2);
	{
		const char *u0 = str(json_array_get(json_object_get(c, "candidates"), 0), "uid");
		const char *u1 = str(json_array_get(json_object_get(c, "candidates"), 1), "uid");
		bool a0 = strcmp(u0, fx_uid[FX_A]) == 0;

		assert_string_equal(a0 ? u1 : u0, fx_uid[FX_B]);
		assert_string_equal(a0 ? u0 : u1, fx_uid[FX_A]);
		cand = json_array_get(json_object_get(c, "candidates"), a0 ? 0 : 1);
		assert_string_equal(str(cand, "lot"), "LOT-A");
		assert_string_equal(str(cand, "date_code"), "2548");
		assert_true(json_is_true(json_object_get(cand, "known")));
		cand = json_array_get(json_object_get(c, "candidates"), a0 ? 1 : 0);
		assert_string_equal(str(cand, "lot"), "LOT-B");
		assert_string_equal(str(cand, "coc"), "COC-000001");
	}
	json_decref(t);

	/* After the grey zone: B, with its CoC. */
	OK(h, ecms_trace_board(h, "WO1-00004", &t));
	c = comp(t, "C1");
	assert_string_equal(str(c, "uid"), fx_uid[FX_B]);
	assert_string_equal(str(c, "coc"), "COC-000001");
	assert_string_equal(str(c, "date_code"), "2602");
	assert_string_equal(str(t, "status"), "scrapped");
	json_decref(t);

	/* A package the line named but ecms never received: shown, flagged. */
	OK(h, ecms_trace_board(h, "WO2-00001", &t));
	c = comp(t, "U1");
	assert_string_equal(str(c, "uid"), "XU-NOTRECEIVED");
	assert_true(json_is_false(json_object_get(c, "known")));
	assert_true(json_is_null(json_object_get(c, "lot")));
	assert_true(json_is_null(json_object_get(c, "ipn")));
	assert_string_equal(str(t, "customer"), "BETA");
	json_decref(t);

	/* A board the line announced but no machine reported yet: no parts. */
	{
		int64_t seq;

		OK(h, ecms__begin(h));
		OK(h, ecms__event(h, "test.line", json_object(), &seq));
		OK(h, ecms__board_touch(h, "WO9-1", "WO9", NULL, -1, TU_NOW_MS, seq, NULL));
		OK(h, ecms__end(h, ECMS_OK));
	}
	OK(h, ecms_trace_board(h, "WO9-1", &t));
	assert_int_equal(json_array_size(json_object_get(t, "components")), 0);
	assert_string_equal(str(t, "work_order"), "WO9");
	assert_true(json_is_null(json_object_get(t, "customer")));
	assert_string_equal(str(t, "status"), "wip");
	json_decref(t);
	assert_int_equal(ecms_trace_board(h, "NOPE-1", &t), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "no board 'NOPE-1'"));
	ecms_close(h);
}

static void
test_forward_lot_reel(void **state)
{
	ecms *h = factory("fwd.db");
	ecms_trace_scope sc = { .kind = ECMS_TRACE_LOT, .lot = "LOT-A" };
	json_t *t, *b;
	char want[128];

	(void)state;
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 6);
	/* A, its split child A2, and the broker's reel Q of the same lot. */
	assert_int_equal(json_array_size(json_object_get(t, "packages")), 3);
	b = fboard(t, "WO1-00001");
	assert_string_equal(words(json_object_get(b, "refdes")), "C1 C2 C3");
	assert_string_equal(words(json_object_get(b, "ambiguous")), "");
	assert_string_equal(str(b, "status"), "completed");
	assert_string_equal(str(b, "customer"), "ACME");
	assert_string_equal(str(b, "work_order"), "WO1");
	assert_true(json_is_null(json_object_get(b, "shipped")));
	b = fboard(t, "WO1-00003");
	assert_string_equal(words(json_object_get(b, "refdes")), "C3");
	assert_string_equal(words(json_object_get(b, "ambiguous")), "C1 C2");
	assert_string_equal(str(b, "status"), "wip");
	b = fboard(t, "WO1-00004");
	assert_string_equal(words(json_object_get(b, "refdes")), "C3");
	assert_string_equal(str(b, "status"), "scrapped");
	b = fboard(t, "WO2-00002");
	assert_string_equal(str(b, "customer"), "BETA");
	assert_string_equal(str(json_object_get(t, "scope"), "kind"), "lot");
	json_decref(t);

	/* --mpn narrows; an unknown lot is an error, not an empty answer. */
	sc.mpn = "STM1";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_ENOTFOUND);
	sc = (ecms_trace_scope){ .kind = ECMS_TRACE_LOT, .lot = "LOT-ZZ" };
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "LOT-ZZ"));

	/* A reel reaches the boards of its split child too. */
	sc = (ecms_trace_scope){ .kind = ECMS_TRACE_REEL, .uid = fx_uid[FX_A] };
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 6);
	snprintf(want, sizeof(want), "%s %s", fx_uid[FX_A], fx_uid[FX_A2]);
	assert_string_equal(words(json_object_get(t, "packages")), want);
	assert_string_equal(words(json_object_get(fboard(t, "WO2-00001"), "refdes")), "C3");
	json_decref(t);
	/* The child alone: C3 only. */
	sc.uid = fx_uid[FX_A2];
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 6);
	assert_string_equal(words(json_object_get(fboard(t, "WO1-00001"), "refdes")), "C3");
	json_decref(t);
	/* What the line named without ecms knowing it is traced as well. */
	sc.uid = "XU-NOTRECEIVED";
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 2);
	assert_string_equal(words(json_object_get(fboard(t, "WO2-00002"), "refdes")), "U1");
	json_decref(t);
	sc.uid = "XU-NEVERSEEN";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_ENOTFOUND);
	/* A received reel on no board: no boards, not an error. */
	sc.uid = fx_uid[FX_ALT];
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 0);
	json_decref(t);
	ecms_close(h);
}

static void
test_forward_datecode_supplier_coc(void **state)
{
	ecms *h = factory("fwd2.db");
	ecms_trace_scope sc = {
		.kind = ECMS_TRACE_DATECODE, .mpn = "GRM1", .from = "2601", .to = "2605"
	};
	json_t *t;

	(void)state;
	/* Date codes 2601..2605 of GRM1: B only. */
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 4);
	assert_string_equal(words(json_object_get(t, "packages")), fx_uid[FX_B]);
	assert_string_equal(words(json_object_get(fboard(t, "WO1-00003"), "ambiguous")), "C1 C2");
	assert_null(fboard(t, "WO1-00001"));
	json_decref(t);
	/* One week, inclusive: 2548 is A (and its child) and Q. */
	sc.from = sc.to = "2548";
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_array_size(json_object_get(t, "packages")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 6);
	json_decref(t);
	sc.from = "2605";
	sc.to = "2601";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_EINVAL);
	sc.from = "26-1";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "YYWW"));
	sc.from = "2601";
	sc.to = "2654";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_EINVAL);

	/* DK's deliveries of 2026-01-14 (a date is the whole day). */
	sc = (ecms_trace_scope){ .kind = ECMS_TRACE_SUPPLIER,
				 .supplier = "DK",
				 .from = "2026-01-14",
				 .to = "2026-01-14" };
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 6);
	assert_string_equal(words(json_object_get(fboard(t, "WO2-00001"), "refdes")), "C1 C2 C3");
	json_decref(t);
	sc.from = "2026-01-15";
	sc.to = "2026-01-20";
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 0);
	json_decref(t);
	sc.supplier = "MOU";
	sc.from = "2026-01-12";
	sc.to = "2026-01-12T23:59:59Z";
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_string_equal(words(json_object_get(t, "packages")), fx_uid[FX_ALT]);
	json_decref(t);
	sc.supplier = "NOBODY";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_ENOTFOUND);
	sc.supplier = "DK";
	sc.from = "yesterday";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_EINVAL);

	/* The CoC covers lot LOT-B: B's boards. */
	sc = (ecms_trace_scope){ .kind = ECMS_TRACE_COC, .coc = "COC-000001" };
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_string_equal(words(json_object_get(t, "packages")), fx_uid[FX_B]);
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 4);
	json_decref(t);
	sc.coc = "COC-999999";
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_ENOTFOUND);
	sc = (ecms_trace_scope){ .kind = ECMS_TRACE_DATECODE, .mpn = "GRM1" };
	assert_int_equal(ecms_trace_forward(h, &sc, &t), ECMS_EUSAGE);
	ecms_close(h);
}

static void
test_ship(void **state)
{
	ecms *h = factory("ship.db");
	const char *one[] = { "WO1-00001" }, *mixed[] = { "WO1-00002", "WO1-00003" };
	const char *other[] = { "WO2-00001" }, *ghost[] = { "NOPE-1" };
	ecms_trace_scope sc = { .kind = ECMS_TRACE_LOT, .lot = "LOT-A" };
	json_t *o, *t, *b;
	int64_t before;
	int64_t seq;

	(void)state;
	OK(h, ecms_ship(h,
			&(ecms_ship_req){ .customer = "ACME",
					  .serials = one,
					  .nserials = 1,
					  .reference = "DN-1" },
			&o));
	assert_string_equal(str(o, "shipment"), "SH-000001");
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 1);
	json_decref(o);
	OK(h, ecms_board_get(h, "WO1-00001", &b));
	assert_string_equal(str(b, "status"), "shipped");
	assert_string_equal(str(b, "shipment"), "SH-000001");
	assert_string_equal(str(b, "customer_shipped"), "ACME");
	json_decref(b);
	OK(h, ecms_shipment_get(h, "SH-000001", &o));
	assert_string_equal(words(json_object_get(o, "serials")), "WO1-00001");
	assert_string_equal(str(o, "reference"), "DN-1");
	json_decref(o);
	OK(h, ecms_trace_forward(h, &sc, &t));
	b = fboard(t, "WO1-00001");
	assert_string_equal(str(b, "status"), "shipped");
	assert_string_equal(str(b, "shipped"), "2026-01-15T08:00:00.000Z");
	assert_string_equal(str(b, "shipment"), "SH-000001");
	json_decref(t);

	/* Refusals change nothing: shipped again, WIP in the mix, another
	 * customer's board, an unknown serial, a board on hold. */
	before = events(h);
	assert_int_equal(
		ecms_ship(h, &(ecms_ship_req){ .customer = "ACME", .serials = one, .nserials = 1 },
			  &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "WO1-00001 was shipped already (SH-000001)"));
	assert_int_equal(
		ecms_ship(h,
			  &(ecms_ship_req){ .customer = "ACME", .serials = mixed, .nserials = 2 },
			  &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "WO1-00003 is wip, not completed"));
	assert_non_null(strstr(ecms_errmsg(h), "nothing shipped: 1 of 2"));
	OK(h, ecms_board_get(h, "WO1-00002", &b));
	assert_string_equal(str(b, "status"), "completed");
	json_decref(b);
	assert_int_equal(
		ecms_ship(h,
			  &(ecms_ship_req){ .customer = "ACME", .serials = other, .nserials = 1 },
			  &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "built for BETA"));
	assert_int_equal(
		ecms_ship(h,
			  &(ecms_ship_req){ .customer = "ACME", .serials = ghost, .nserials = 1 },
			  &o),
		ECMS_EREFUSED);
	assert_int_equal(ecms_ship(h, &(ecms_ship_req){ .customer = "ACME" }, &o), ECMS_EUSAGE);
	assert_int_equal(
		ecms_ship(h, &(ecms_ship_req){ .customer = "ACME", .work_order = "WO2" }, &o),
		ECMS_EREFUSED);
	assert_int_equal(events(h), before);
	OK(h, ecms__begin(h));
	OK(h, ecms__event(h, "test.hold", json_object(), &seq));
	OK(h, ecms__board_hold(h, "WO1-00002", "QA-7", seq));
	OK(h, ecms__end(h, ECMS_OK));
	assert_int_equal(
		ecms_ship(h,
			  &(ecms_ship_req){ .customer = "ACME", .serials = mixed, .nserials = 1 },
			  &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "on hold (QA-7)"));
	/* A work order: its completed boards not on hold ship; the rest stay. */
	OK(h, ecms_ship(h, &(ecms_ship_req){ .customer = "BETA", .work_order = "WO2" }, &o));
	assert_string_equal(str(o, "shipment"), "SH-000002");
	assert_string_equal(words(json_object_get(o, "serials")), "WO2-00001");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "left"), "wip")), 1);
	json_decref(o);
	/* WO1 has no completed board left that is not on hold. */
	assert_int_equal(
		ecms_ship(h, &(ecms_ship_req){ .customer = "ACME", .work_order = "WO1" }, &o),
		ECMS_EREFUSED);
	assert_int_equal(ecms_shipment_get(h, "SH-000009", &o), ECMS_ENOTFOUND);
	ecms_close(h);
}

static void
test_rework(void **state)
{
	ecms *h = factory("rework.db");
	ecms_trace_scope sc = { .kind = ECMS_TRACE_REEL, .uid = fx_uid[FX_ALT] };
	json_t *o, *t, *c, *r;
	int64_t before;

	(void)state;
	before = events(h);
	/* The wrong part, a quarantined reel, a refdes not in the BOM, a
	 * scrapped board, an unknown user or reel: refused, nothing written. */
	assert_int_equal(
		ecms_trace_rework(h, "WO1-00003", "C1", fx_uid[FX_U], "olga", "tombstoned", &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "takes C-100N"));
	assert_int_equal(
		ecms_trace_rework(h, "WO1-00003", "C1", fx_uid[FX_Q], "olga", "tombstoned", &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "quarantined"));
	assert_int_equal(
		ecms_trace_rework(h, "WO1-00003", "R99", fx_uid[FX_ALT], "olga", "tombstoned", &o),
		ECMS_EREFUSED);
	assert_int_equal(
		ecms_trace_rework(h, "WO1-00004", "C1", fx_uid[FX_ALT], "olga", "tombstoned", &o),
		ECMS_EREFUSED);
	assert_int_equal(
		ecms_trace_rework(h, "WO1-00003", "C1", fx_uid[FX_ALT], "nobody", "tombstoned", &o),
		ECMS_ENOTFOUND);
	assert_int_equal(
		ecms_trace_rework(h, "WO1-00003", "C1", "XU-NOTRECEIVED", "olga", "tombstoned", &o),
		ECMS_ENOTFOUND);
	assert_int_equal(ecms_trace_rework(h, "WO1-00003", "C1", fx_uid[FX_ALT], "olga", "x", &o),
			 ECMS_EUSAGE);
	assert_int_equal(events(h), before);

	/* The BOM's approved alternate replaces the ambiguous C1. */
	OK(h, ecms_trace_rework(h, "WO1-00003", "C1", fx_uid[FX_ALT], "olga", "tombstoned", &o));
	assert_int_equal(json_array_size(json_object_get(o, "old")), 2);
	assert_string_equal(str(o, "ipn"), "C-100N-ALT");
	json_decref(o);
	assert_int_equal(events(h), before + 1);
	OK(h, ecms_trace_board(h, "WO1-00003", &t));
	c = comp(t, "C1");
	assert_string_equal(str(c, "uid"), fx_uid[FX_ALT]);
	assert_string_equal(str(c, "lot"), "LOT-C");
	assert_string_equal(str(c, "source"), "rework");
	assert_true(json_is_false(json_object_get(c, "ambiguous")));
	/* C2 is still ambiguous. */
	assert_true(json_is_true(json_object_get(comp(t, "C2"), "ambiguous")));
	assert_int_equal(json_array_size(json_object_get(t, "rework")), 1);
	r = json_array_get(json_object_get(t, "rework"), 0);
	assert_string_equal(str(r, "user"), "olga");
	assert_string_equal(str(r, "reason"), "tombstoned");
	assert_int_equal(json_array_size(json_object_get(r, "old")), 2);
	r = json_array_get(json_object_get(t, "route"), 1);
	assert_non_null(r);
	assert_string_equal(str(r, "kind"), "reworked");
	assert_string_equal(str(r, "operator"), "olga");
	assert_string_equal(str(json_object_get(r, "detail"), "new"), fx_uid[FX_ALT]);
	json_decref(t);
	/* The forward trace of the new reel finds it; the old lot lost C1. */
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_int_equal(json_integer_value(json_object_get(t, "count")), 1);
	assert_string_equal(words(json_object_get(fboard(t, "WO1-00003"), "refdes")), "C1");
	json_decref(t);
	sc = (ecms_trace_scope){ .kind = ECMS_TRACE_LOT, .lot = "LOT-A" };
	OK(h, ecms_trace_forward(h, &sc, &t));
	assert_string_equal(words(json_object_get(fboard(t, "WO1-00003"), "ambiguous")), "C2");
	json_decref(t);
	ecms_close(h);
}

/* Build the fixture into a store file for the golden CLI test. */
static int
make_fixture(const char *db)
{
	char *copy = strdup(db), dir[512];
	ecms *h = NULL;
	int rc;

	snprintf(dir, sizeof(dir), "%s", dirname(copy));
	free(copy);
	rc = ecms_open(db, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h);
	if (rc == ECMS_OK)
		rc = ecms_init(h, NULL, NULL);
	if (rc) {
		fprintf(stderr, "fixture: %s: %s\n", db, h ? ecms_errmsg(h) : "?");
		ecms_close(h);
		return 1;
	}
	rc = fixture(h, dir);
	ecms_close(h);
	return rc ? 1 : 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backward),
		cmocka_unit_test(test_forward_lot_reel),
		cmocka_unit_test(test_forward_datecode_supplier_coc),
		cmocka_unit_test(test_ship),
		cmocka_unit_test(test_rework),
	};

	if (argc == 3 && strcmp(argv[1], "--fixture") == 0)
		return make_fixture(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
