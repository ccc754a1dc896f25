/*
 * test_sim.c: the factory simulator: deterministic for a seed, at least
 * 300 parts across categories, the supplier mix the receiving rules need,
 * dry cabinets, users of every role; re-running changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/event.h"
#include "ecms/master.h"
#include "ecms/receiving.h"
#include "ecms/sim.h"
#include "store/store.h"

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_true(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return buf;
}

static void
run_sim(const char *db, const char *dir, uint64_t seed, ecms **out)
{
	ecms_sim_config cfg = { .seed = seed, .base_ms = TU_NOW_MS };
	ecms_sim *s;
	char *d = tu_path(dir);
	ecms *h = tu_open_store(db);

	mkdir(d, 0777);
	assert_int_equal(ecms_sim_new(&cfg, &s), 0);
	if (ecms_sim_master(s, h, d) != 0)
		fail_msg("sim: %s", ecms_errmsg(h));
	ecms_sim_free(s);
	free(d);
	*out = h;
}

static void
test_master_data(void **state)
{
	ecms *h;
	ecms_audit a;
	json_t *sup;

	run_sim("sim1.db", "sim1", 7, &h);
	assert_true(count(h, "SELECT COUNT(*) FROM parts") >= 300);
	assert_true(count(h, "SELECT COUNT(DISTINCT category) FROM parts") >= 8);
	assert_true(count(h, "SELECT COUNT(DISTINCT manufacturer) FROM part_aml") >= 10);
	assert_true(count(h, "SELECT COUNT(*) FROM parts WHERE msl NOT IN ('1')") >= 10);
	assert_true(count(h, "SELECT COUNT(*) FROM suppliers") == 12);
	assert_true(count(h, "SELECT COUNT(*) FROM suppliers WHERE authorised = 0") >= 2);
	assert_true(count(h, "SELECT COUNT(*) FROM suppliers WHERE status = 'blocked'") == 1);
	/* Exactly one certificate lapsed before "today". */
	assert_true(count(h, "SELECT COUNT(*) FROM suppliers WHERE iso9001_expiry < "
			     "'2026-01-15'") == 1);
	assert_true(count(h, "SELECT COUNT(*) FROM locations WHERE kind = 'dry_cabinet'") == 2);
	assert_true(count(h, "SELECT COUNT(*) FROM locations WHERE kind = 'feeder_slot'") == 160);
	assert_true(count(h, "SELECT COUNT(DISTINCT role) FROM users") == 5);
	assert_int_equal(ecms_md_get(h, "supplier", "GREYMKT", &sup), 0);
	assert_string_equal(json_string_value(json_object_get(sup, "status")), "blocked");
	json_decref(sup);
	assert_int_equal(ecms_audit_verify(h, &a), 0);
	ecms_close(h);
}

static void
test_deterministic(void **state)
{
	ecms *h1, *h2, *h3;
	char *a, *b, *c, *p;

	run_sim("d1.db", "d1", 42, &h1);
	run_sim("d2.db", "d2", 42, &h2);
	run_sim("d3.db", "d3", 43, &h3);
	p = tu_path("d1/parts.csv");
	a = slurp(p);
	free(p);
	p = tu_path("d2/parts.csv");
	b = slurp(p);
	free(p);
	p = tu_path("d3/parts.csv");
	c = slurp(p);
	free(p);
	assert_string_equal(a, b);
	assert_true(strcmp(a, c) != 0);
	free(a);
	free(b);
	free(c);
	ecms_close(h1);
	ecms_close(h2);
	ecms_close(h3);
}

static void
test_rerun_changes_nothing(void **state)
{
	ecms_sim_config cfg = { .seed = 5, .base_ms = TU_NOW_MS };
	ecms_sim *s;
	ecms *h;
	int64_t before;
	char *d = tu_path("rr");

	run_sim("rr.db", "rr", 5, &h);
	before = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(ecms_sim_new(&cfg, &s), 0);
	assert_int_equal(ecms_sim_master(s, h, d), 0);
	ecms_sim_free(s);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == before);
	free(d);
	ecms_close(h);
}

static void
test_deliveries_trip_their_rules(void **state)
{
	ecms *h;
	ecms_sim_config cfg = { .seed = 11 };
	ecms_sim *s;
	json_t *sum, *v;
	const char *k;
	char *d = tu_path("deliv");
	int total = 0;
	ecms_audit a;

	run_sim("deliv.db", "deliv", 3, &h);
	assert_int_equal(ecms_set_actor(h, "wes", "dock"), 0);
	assert_int_equal(ecms_sim_new(&cfg, &s), 0);
	if (ecms_sim_receive(s, h, d, 150, &sum) != 0)
		fail_msg("sim receive: %s", ecms_errmsg(h));
	ecms_sim_free(s);
	/* Every planned flaw was caught by its rule; every clean reel accepted. */
	json_object_foreach(json_object_get(sum, "scenarios"), k, v) {
		int64_t n = json_integer_value(json_object_get(v, "count"));
		int64_t c = json_integer_value(json_object_get(v, "caught"));
		if (n != c)
			fail_msg("scenario %s: %lld of %lld caught", k, (long long)c, (long long)n);
		if (strcmp(k, "clean") != 0)
			assert_true(n > 0);
		total += (int)n;
	}
	assert_int_equal(total, 150);
	/* The findings issue 4 names are all among them, each with its rule. */
	{
		static const char *const need[][2] = {
			{ "wrong_lot", "lot.po" },
			{ "expired_coc", "coc.required" },
			{ "broker", "supplier.authorised" },
			{ "duplicate_label", "dup.label" },
			{ "over_full_reel", "qty.std_pack" },
			{ "old_date_code", "datecode.age" },
		};
		for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
			json_t *sc = json_object_get(json_object_get(sum, "scenarios"), need[i][0]);
			if (sc == NULL || json_integer_value(json_object_get(sc, "count")) < 1)
				fail_msg("no delivery of kind %s", need[i][0]);
			assert_string_equal(json_string_value(json_object_get(sc, "rule")),
					    need[i][1]);
		}
	}
	assert_int_equal(json_integer_value(json_object_get(sum, "refused")), 0);
	assert_true(count(h, "SELECT COUNT(*) FROM packages WHERE status = 'quarantined'") ==
		    json_integer_value(json_object_get(sum, "quarantined")));
	json_decref(sum);
	/* The labels came in the suppliers' own formats, parsed by the label reader. */
	assert_true(count(h, "SELECT COUNT(*) FROM packages WHERE label_format = 'eigp114'") > 0);
	assert_true(count(h, "SELECT COUNT(*) FROM packages WHERE label_format = 'lcsc'") > 0);
	assert_int_equal(ecms_audit_verify(h, &a), 0);
	free(d);
	ecms_close(h);
}

/* A month of receiving, then put-away, splits, line returns, MSD bags
 * opened, dry cabinets and a bake: every step through the library's own
 * calls, and the event log still verifies. */
static void
test_month_of_warehouse(void **state)
{
	ecms *h;
	ecms_sim_config cfg = { .seed = 15855 }; /* a month that includes a bake */
	ecms_sim *s;
	json_t *sum, *wh;
	char *d = tu_path("month");
	ecms_audit a;

	run_sim("month.db", "month", 3, &h);
	assert_int_equal(ecms_set_actor(h, "wes", "dock"), 0);
	assert_int_equal(ecms_sim_new(&cfg, &s), 0);
	if (ecms_sim_receive(s, h, d, 200, &sum) != 0)
		fail_msg("sim receive: %s", ecms_errmsg(h));
	json_decref(sum);
	if (ecms_sim_warehouse(s, h, &wh) != 0)
		fail_msg("sim warehouse: %s", ecms_errmsg(h));
	ecms_sim_free(s);
	assert_true(json_integer_value(json_object_get(wh, "put_away")) > 50);
	assert_true(json_integer_value(json_object_get(wh, "split")) > 0);
	assert_true(json_integer_value(json_object_get(wh, "line_returns")) > 0);
	assert_true(json_integer_value(json_object_get(wh, "msd_opened")) > 0);
	assert_int_equal(json_integer_value(json_object_get(wh, "baked")), 1);
	json_decref(wh);
	/* The receipts span the month before "now". */
	assert_true(count(h, "SELECT (MAX(at_ms) - MIN(at_ms)) / 86400000 FROM events WHERE "
			     "type = 'package.received'") >= 29);
	assert_true(count(h, "SELECT COUNT(*) FROM events WHERE type = 'package.moved' AND "
			     "payload LIKE '%\"to_kind\":\"dry_cabinet\"%'") > 0);
	assert_true(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.bake'") == 1);
	assert_true(count(h, "SELECT COUNT(*) FROM packages WHERE parent IS NOT NULL") > 0);
	assert_int_equal(ecms_audit_verify(h, &a), 0);
	free(d);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_data),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_rerun_changes_nothing),
		cmocka_unit_test(test_deliveries_trip_their_rules),
		cmocka_unit_test(test_month_of_warehouse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
