/*
 * test_recall.c: a lot recall on the trace fixture (trace_fixture.h):
 * the preview grouped by customer and status changes nothing; applying
 * needs a re-authenticated qa user (a wrong role or secret changes
 * nothing but the record of the failed signature); applied, the lot's
 * remaining packages (split child included) go on hold, boards not
 * shipped or scrapped go on hold with the recall ID, the recall is
 * recorded with one event, and shipping, rework and kitting refuse what
 * it holds. The customer notice as CSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms/recall.h"
#include "ecms/setup.h"
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

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
q1(ecms *h, const char *sql, const char *arg)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, "t", arg), 0);
	return n;
}

static int64_t
q0(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

static int64_t
events(ecms *h)
{
	return q0(h, "SELECT COUNT(*) FROM events");
}

static int64_t
events_of(ecms *h, const char *type)
{
	return q1(h, "SELECT COUNT(*) FROM events WHERE type = ?", type);
}

static const char *
pstatus(ecms *h, const char *uid)
{
	static char buf[32];
	ecms__stmt *st;

	assert_int_equal(ecms__q(h, &st, "SELECT status FROM packages WHERE uid = ?", "t", uid), 0);
	assert_int_equal(ecms__step(h, st), ECMS__ROW);
	snprintf(buf, sizeof(buf), "%s", ecms__col_text(st, 0));
	ecms__done(h, st);
	return buf;
}

static json_t *
board(ecms *h, const char *serial)
{
	json_t *b;

	OK(h, ecms_board_get(h, serial, &b));
	return b;
}

static const char *
hold_of(ecms *h, const char *serial)
{
	static char buf[64];
	json_t *b = board(h, serial);

	snprintf(buf, sizeof(buf), "%s",
		 json_is_null(json_object_get(b, "hold")) ? "-" : str(b, "hold"));
	json_decref(b);
	return buf;
}

/* The customer group of a recall, or NULL. */
static json_t *
customer(json_t *r, const char *name)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(r, "customers"), i, c)
		if (str(c, "customer") && strcmp(str(c, "customer"), name) == 0)
			return c;
	return NULL;
}

static const char *
serials(json_t *arr)
{
	static char buf[512];
	json_t *b;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(arr, i, b) {
		if (i)
			strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, str(b, "serial"), sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);
	const char *one[] = { "WO1-00001" };
	json_t *o;
	int64_t seq;

	if (fixture(h, tu_tmpdir()) != 0)
		fail_msg("fixture failed");
	/* WO1-00001 left for ACME; WO2-00002 is held already for another reason. */
	OK(h, ecms_ship(h,
			&(ecms_ship_req){ .customer = "ACME",
					  .serials = one,
					  .nserials = 1,
					  .reference = "DN-1" },
			&o));
	json_decref(o);
	OK(h, ecms__begin(h));
	OK(h, ecms__event(h, "test.hold", json_object(), &seq));
	OK(h, ecms__board_hold(h, "WO2-00002", "QA-7", seq));
	OK(h, ecms__end(h, ECMS_OK));
	ecms_set_now(h, TU_NOW_MS + 3600000);
	return h;
}

static void
check_grouping(json_t *r)
{
	json_t *acme = customer(r, "ACME"), *beta = customer(r, "BETA"), *b;

	assert_int_equal(json_integer_value(json_object_get(r, "count")), 6);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(r, "counts"), "shipped")), 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(r, "counts"), "completed")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "counts"), "wip")),
			 2);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(r, "counts"), "scrapped")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "boards_held")), 4);
	assert_int_equal(json_array_size(json_object_get(r, "customers")), 2);
	assert_non_null(acme);
	assert_non_null(beta);
	assert_int_equal(json_integer_value(json_object_get(acme, "count")), 4);
	assert_string_equal(serials(json_object_get(acme, "shipped")), "WO1-00001");
	assert_string_equal(serials(json_object_get(acme, "completed")), "WO1-00002");
	assert_string_equal(serials(json_object_get(acme, "wip")), "WO1-00003");
	assert_string_equal(serials(json_object_get(acme, "scrapped")), "WO1-00004");
	assert_string_equal(serials(json_object_get(beta, "completed")), "WO2-00001");
	assert_string_equal(serials(json_object_get(beta, "wip")), "WO2-00002");
	b = json_array_get(json_object_get(acme, "shipped"), 0);
	assert_string_equal(str(b, "shipped"), "2026-01-15T08:00:00.000Z");
	assert_string_equal(str(b, "shipment"), "SH-000001");
	assert_true(json_is_false(json_object_get(b, "held")));
	b = json_array_get(json_object_get(acme, "wip"), 0);
	assert_int_equal(json_array_size(json_object_get(b, "ambiguous")), 2);
	assert_true(json_is_true(json_object_get(b, "held")));
	/* A, its split child and the broker's quarantined reel of the lot. */
	assert_int_equal(json_array_size(json_object_get(r, "packages")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "packages_held")), 3);
}

static void
test_preview(void **state)
{
	ecms *h = factory("preview.db");
	int64_t before = events(h);
	json_t *r;

	(void)state;
	OK(h, ecms_recall_preview(h, "LOT-A", NULL, &r));
	assert_true(json_is_null(json_object_get(r, "id")));
	assert_true(json_is_false(json_object_get(r, "applied")));
	check_grouping(r);
	json_decref(r);
	/* Nothing changed. */
	assert_int_equal(events(h), before);
	assert_string_equal(pstatus(h, fx_uid[FX_A]), "available");
	assert_string_equal(hold_of(h, "WO1-00002"), "-");
	/* --mpn narrows the scope; an unknown lot is an error. */
	OK(h, ecms_recall_preview(h, "LOT-B", "GRM1", &r));
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 4);
	json_decref(r);
	assert_int_equal(ecms_recall_preview(h, "LOT-A", "STM1", &r), ECMS_ENOTFOUND);
	assert_int_equal(ecms_recall_preview(h, "NOPE", NULL, &r), ECMS_ENOTFOUND);
	assert_int_equal(ecms_recall_preview(h, NULL, NULL, &r), ECMS_EUSAGE);
	ecms_close(h);
}

static void
test_apply_refused(void **state)
{
	ecms *h = factory("refused.db");
	ecms_sign wes = { "wes", ECMS_SECRET_PASSWORD, "whatever-1" };
	ecms_sign bad = { "quinn", ECMS_SECRET_PASSWORD, "wrong-password" };
	ecms_sign good = { "quinn", ECMS_SECRET_PASSWORD, FX_QA_PASSWORD };
	int64_t before = events(h);
	json_t *r;

	(void)state;
	/* Not qa: denied before any secret is checked; nothing recorded. */
	assert_int_equal(ecms_recall_apply(h, "LOT-A", NULL, "supplier notice 4711", &wes, &r),
			 ECMS_EDENIED);
	assert_non_null(strstr(ecms_errmsg(h), "role warehouse"));
	assert_int_equal(events(h), before);
	/* A wrong secret: only the failed signature is recorded. */
	assert_int_equal(ecms_recall_apply(h, "LOT-A", NULL, "supplier notice 4711", &bad, &r),
			 ECMS_EAUTH);
	assert_int_equal(events(h), before + 1);
	assert_int_equal(events_of(h, "signature.failed"), 1);
	/* No reason, no lot, a lot ecms has no package of. */
	assert_int_equal(ecms_recall_apply(h, "LOT-A", NULL, "", &good, &r), ECMS_EUSAGE);
	assert_int_equal(ecms_recall_apply(h, NULL, NULL, "notice", &good, &r), ECMS_EUSAGE);
	assert_int_equal(ecms_recall_apply(h, "NOPE", NULL, "notice", &good, &r), ECMS_ENOTFOUND);
	assert_int_equal(events(h), before + 1);
	assert_string_equal(pstatus(h, fx_uid[FX_A]), "available");
	assert_string_equal(pstatus(h, fx_uid[FX_A2]), "available");
	assert_string_equal(hold_of(h, "WO1-00003"), "-");
	assert_int_equal(q0(h, "SELECT COUNT(*) FROM recalls"), 0);
	assert_int_equal(q0(h, "SELECT value FROM counters WHERE name = 'recall'"), 0);
	ecms_close(h);
}

static void
test_apply(void **state)
{
	ecms *h = factory("apply.db");
	ecms_sign good = { "quinn", ECMS_SECRET_PASSWORD, FX_QA_PASSWORD };
	const char *two[] = { "WO1-00002" };
	int64_t before = events(h);
	json_t *r, *g, *l, *o;
	char *csv;

	(void)state;
	OK(h, ecms_set_actor(h, "quinn", "qa-desk"));
	OK(h, ecms_recall_apply(h, "LOT-A", NULL, "supplier notice 4711: cracked dielectric", &good,
				&r));
	assert_string_equal(str(r, "id"), "RC-000001");
	assert_true(json_is_true(json_object_get(r, "applied")));
	assert_string_equal(str(r, "user"), "quinn");
	assert_string_equal(str(r, "time"), "2026-01-15T09:00:00.000Z");
	check_grouping(r);
	/* One event. */
	assert_int_equal(events(h), before + 1);
	assert_int_equal(events_of(h, "recall.applied"), 1);
	/* Containment: the lot's remaining packages, split child and the
	 * quarantined reel included, are on hold. */
	assert_string_equal(pstatus(h, fx_uid[FX_A]), "on_hold");
	assert_string_equal(pstatus(h, fx_uid[FX_A2]), "on_hold");
	assert_string_equal(pstatus(h, fx_uid[FX_Q]), "on_hold");
	assert_string_equal(pstatus(h, fx_uid[FX_B]), "available");
	/* Boards: completed and WIP held; shipped and scrapped not; an existing
	 * hold keeps its reason. */
	assert_string_equal(hold_of(h, "WO1-00002"), "RC-000001");
	assert_string_equal(hold_of(h, "WO1-00003"), "RC-000001");
	assert_string_equal(hold_of(h, "WO2-00001"), "RC-000001");
	assert_string_equal(hold_of(h, "WO2-00002"), "QA-7 RC-000001");
	assert_string_equal(hold_of(h, "WO1-00001"), "-");
	assert_string_equal(hold_of(h, "WO1-00004"), "-");
	/* The feeder interlock refuses a held reel and names the recall. */
	{
		struct ecms_setup_verdict v;

		OK(h, ecms_setup_activate(h, "M1", "HM-A-TOP", NULL));
		OK(h, ecms_setup_verify(h, "M1", "S2", fx_uid[FX_A2], &v));
		assert_false(v.go);
		assert_string_equal(v.code, "on_hold");
		assert_non_null(strstr(v.message, "is on hold: recall RC-000001 of lot LOT-A"));
	}

	/* The recorded recall reads back the same. */
	OK(h, ecms_recall_get(h, "RC-000001", &g));
	check_grouping(g);
	assert_string_equal(str(g, "reason"), "supplier notice 4711: cracked dielectric");
	assert_string_equal(str(json_object_get(g, "scope"), "lot"), "LOT-A");
	{
		json_t *pk;
		size_t i;

		json_array_foreach(json_object_get(g, "packages"), i, pk) {
			const json_t *on = json_object_get(pk, "loaded");

			assert_true(json_is_true(json_object_get(pk, "held")));
			/* The split child still feeds slot S2: it must come off. */
			if (strcmp(str(pk, "uid"), fx_uid[FX_A2]) == 0) {
				assert_int_equal(json_array_size(on), 1);
				assert_string_equal(json_string_value(json_array_get(on, 0)),
						    "M1/S2");
			} else {
				assert_int_equal(json_array_size(on), 0);
			}
		}
	}
	OK(h, ecms_recall_csv(g, &csv));
	assert_non_null(strstr(csv, "customer,serial,work_order,status,shipped,shipment,lot,mpn,"
				    "refdes,ambiguous_refdes\n"));
	assert_non_null(strstr(csv, "ACME,WO1-00001,WO1,shipped,2026-01-15T08:00:00.000Z,"
				    "SH-000001,LOT-A,,C1 C2 C3,\n"));
	assert_non_null(strstr(csv, "ACME,WO1-00003,WO1,wip,,,LOT-A,,C3,C1 C2\n"));
	{
		int lines = 0;
		for (const char *p = csv; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 7);
	}
	ecms_free(csv);
	json_decref(g);
	json_decref(r);
	OK(h, ecms_recall_list(h, &l));
	assert_int_equal(json_array_size(l), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(l, 0), "packages_held")),
			 3);
	assert_string_equal(str(json_array_get(l, 0), "time"), "2026-01-15T09:00:00.000Z");
	json_decref(l);
	assert_int_equal(ecms_recall_get(h, "RC-000099", &g), ECMS_ENOTFOUND);

	/* The same scope again is refused; what the recall holds stays put. */
	before = events(h);
	assert_int_equal(ecms_recall_apply(h, "LOT-A", NULL, "again", &good, &r), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "RC-000001"));
	assert_int_equal(events(h), before);
	assert_int_equal(
		ecms_ship(h, &(ecms_ship_req){ .customer = "ACME", .serials = two, .nserials = 1 },
			  &o),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "RC-000001"));
	assert_int_equal(ecms_trace_rework(h, "WO1-00003", "C1", fx_uid[FX_A2], "olga", "swap", &o),
			 ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "on_hold"));
	assert_int_equal(ecms_kit_pick(h, "WO1", fx_uid[FX_A], "L1", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "on hold"));
	ecms_close(h);
}

/* A board only the genealogy knows (the line reported its pass, nothing
 * else): listed apart ("other", no customer), and held all the same. */
static void
test_genealogy_only_board(void **state)
{
	ecms *h = factory("lineonly.db");
	ecms_sign good = { "quinn", ECMS_SECRET_PASSWORD, FX_QA_PASSWORD };
	json_t *r, *last, *b;
	char *csv;

	(void)state;
	OK(h, ecms_gen_board_pass(h, "LINE-9", NULL, "M1", "HM-A-TOP", FX_T(19, 0), FX_T(19, 30)));
	OK(h, ecms_recall_preview(h, "LOT-A", NULL, &r));
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 7);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "counts"), "other")),
			 1);
	last = json_array_get(json_object_get(r, "customers"), 2);
	assert_true(json_is_null(json_object_get(last, "customer")));
	b = json_array_get(json_object_get(last, "other"), 0);
	assert_string_equal(str(b, "serial"), "LINE-9");
	assert_string_equal(str(b, "status"), "unknown");
	assert_true(json_is_true(json_object_get(b, "held")));
	OK(h, ecms_recall_csv(r, &csv));
	assert_non_null(strstr(csv, "\n,LINE-9,,unknown,,,LOT-A,,C3,\n"));
	ecms_free(csv);
	json_decref(r);
	OK(h, ecms_recall_apply(h, "LOT-A", NULL, "notice 12", &good, &r));
	json_decref(r);
	assert_string_equal(hold_of(h, "LINE-9"), "RC-000001");
	b = board(h, "LINE-9");
	assert_string_equal(str(b, "status"), "wip");
	json_decref(b);
	ecms_close(h);
}

/* The notices: one row per recall and customer, each with that customer's
 * boards only and no packages (what the customer portal shows). */
static void
test_notices(void **state)
{
	ecms *h = factory("notices.db");
	ecms_sign good = { "quinn", ECMS_SECRET_PASSWORD, FX_QA_PASSWORD };
	json_t *r, *n, *row;
	size_t i;

	OK(h, ecms_recall_notices(h, &n));
	assert_int_equal(json_array_size(n), 0);
	json_decref(n);
	OK(h, ecms_recall_apply(h, "LOT-B", NULL, "supplier notice 4712", &good, &r));
	OK(h, ecms_recall_notices(h, &n));
	assert_int_equal(json_array_size(n), 2);
	json_array_foreach(n, i, row) {
		const char *cu = str(row, "customer"),
			   *other = !strcmp(cu, "ACME") ? "BETA" : "ACME";
		char *text = json_dumps(row, JSON_COMPACT);
		static const char *const groups[] = { "shipped", "completed", "wip", "scrapped",
						      "other" };
		json_int_t count = 0;

		assert_string_equal(str(row, "recall"), str(r, "id"));
		assert_string_equal(str(row, "lot"), "LOT-B");
		assert_null(json_object_get(row, "packages"));
		if (strstr(text, other))
			fail_msg("the %s row names %s: %s", cu, other, text);
		for (size_t g = 0; g < 5; g++) {
			json_t *b;
			size_t k;
			json_array_foreach(json_object_get(row, groups[g]), k, b) {
				assert_string_equal(str(b, "customer"), cu);
				count++;
			}
		}
		assert_int_equal(count, json_integer_value(json_object_get(row, "count")));
		assert_int_equal(count,
				 json_integer_value(json_object_get(customer(r, cu), "count")));
		free(text);
	}
	assert_string_equal(
		serials(json_object_get(customer(r, "BETA"), "wip")),
		serials(json_object_get(
			json_array_get(
				n, !strcmp(str(json_array_get(n, 0), "customer"), "BETA") ? 0 : 1),
			"wip")));
	json_decref(n);
	json_decref(r);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preview), cmocka_unit_test(test_apply_refused),
		cmocka_unit_test(test_apply),   cmocka_unit_test(test_genealogy_only_board),
		cmocka_unit_test(test_notices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
