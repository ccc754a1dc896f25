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
#include "ecms/cfx.h"
#include "ecms/event.h"
#include "ecms/genealogy.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/sim.h"
#include "master.h"
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

/* ------------------------------------------------------------------
 * Production run
 * ------------------------------------------------------------------ */

/* A factory (seed), the heart monitor with a work order of `boards`, and a
 * production run of it written to dir. */
static ecms *
run_production(const char *db, const char *dir, uint64_t seed, int boards, json_t **sum)
{
	ecms_sim_config cfg = { .seed = seed * 104729 + 31 };
	ecms_sim_prod_config pc = { .wo = "WO-T", .boards = boards };
	ecms_sim *s;
	ecms *h;
	char *d = tu_path(dir);

	run_sim(db, dir, seed, &h);
	assert_int_equal(ecms_set_actor(h, "wes", "dock"), 0);
	assert_int_equal(ecms_sim_new(NULL, &s), 0);
	if (ecms_sim_product(s, h, d, boards, "WO-T") != 0)
		fail_msg("sim product: %s", ecms_errmsg(h));
	ecms_sim_free(s);
	assert_int_equal(ecms_sim_new(&cfg, &s), 0);
	if (ecms_sim_production(s, h, d, &pc, sum) != 0)
		fail_msg("sim production: %s", ecms_errmsg(h));
	ecms_sim_free(s);
	free(d);
	return h;
}

static char *
slurp_in(const char *dir, const char *name)
{
	char rel[256], *p, *text;

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	p = tu_path(rel);
	text = slurp(p);
	free(p);
	return text;
}

static void
test_production_deterministic(void **state)
{
	static const char *const files[] = { "programs.csv", "programs-L2.csv", "cfx.ndjson",
					     "truth.json",   "shipments.csv",   "equipment.csv" };
	json_t *s1, *s2, *s3;
	ecms *h1 = run_production("p1.db", "p1", 9, 64, &s1);
	ecms *h2 = run_production("p2.db", "p2", 9, 64, &s2);
	ecms *h3 = run_production("p3.db", "p3", 10, 64, &s3);

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *a = slurp_in("p1", files[i]), *b = slurp_in("p2", files[i]);
		if (strcmp(a, b) != 0)
			fail_msg("%s differs between two runs of the same seed", files[i]);
		free(a);
		free(b);
	}
	{
		char *a = slurp_in("p1", "cfx.ndjson"), *c = slurp_in("p3", "cfx.ndjson");
		assert_true(strcmp(a, c) != 0);
		free(a);
		free(c);
	}
	json_object_del(s1, "dir"); /* p1/ and p2/ */
	json_object_del(s2, "dir");
	assert_true(json_equal(s1, s2));
	assert_int_equal(json_integer_value(json_object_get(s1, "boards")), 64);
	json_decref(s1);
	json_decref(s2);
	json_decref(s3);
	ecms_close(h1);
	ecms_close(h2);
	ecms_close(h3);
}

/* Every envelope parses with the CFX reader, none is rejected or unknown,
 * they come in time order, and every package the line names is a real
 * received package of the part the slot wants. */
static void
test_production_cfx_parses(void **state)
{
	json_t *sum;
	ecms *h = run_production("pc.db", "pc", 4, 120, &sum);
	char *text = slurp_in("pc", "cfx.ndjson");
	ecms_cfx_reader *r;
	ecms_cfx_msg *m;
	ecms_error err;
	const ecms_cfx_stats *st;
	int64_t last = 0;
	size_t n = 0, loads = 0;
	static const ecms_cfx_kind want[] = {
		ECMS_CFX_MATERIALS_INITIALIZED,
		ECMS_CFX_MATERIALS_LOADED,
		ECMS_CFX_MATERIALS_UNLOADED,
		ECMS_CFX_MATERIALS_EMPTY,
		ECMS_CFX_SPLICE_POINT_DETECTED,
		ECMS_CFX_UNITS_ARRIVED,
		ECMS_CFX_WORK_STARTED,
		ECMS_CFX_WORK_COMPLETED,
		ECMS_CFX_UNITS_DEPARTED,
		ECMS_CFX_MATERIALS_INSTALLED,
		ECMS_CFX_MATERIALS_UNINSTALLED,
		ECMS_CFX_UNITS_DISQUALIFIED,
		ECMS_CFX_FAULT_OCCURRED,
		ECMS_CFX_MATERIALS_OPENED,
		ECMS_CFX_MATERIALS_PLACED_IN_DRY_STORAGE,
		ECMS_CFX_UNITS_PROCESSED,
		ECMS_CFX_UNITS_INSPECTED,
		ECMS_CFX_UNITS_TESTED,
		ECMS_CFX_UNITS_REPAIRED,
	};
	bool grey = false, reflow = false, profiling = false;

	assert_int_equal(ecms_cfx_reader_new(text, strlen(text), 0, &r, &err), 0);
	for (;;) {
		int rc = ecms_cfx_reader_next(r, &m, &err);
		if (rc != 0)
			fail_msg("rejected: %s", err.message);
		if (m == NULL)
			break;
		n++;
		assert_string_equal(m->version, "2.1");
		assert_true(m->timestamp.has_offset);
		assert_true(m->timestamp.ms >= last);
		last = m->timestamp.ms;
		assert_non_null(m->source);
		if (m->kind == ECMS_CFX_MATERIALS_LOADED) {
			for (size_t i = 0; i < m->u.loaded.n_locations; i++) {
				const ecms_cfx_location *l = &m->u.loaded.locations[i];
				json_t *pkg = NULL;
				/* A real package of the part, received with its lot. */
				assert_int_equal(ecms__select_one(h,
								  "SELECT ipn, lot, po FROM "
								  "packages WHERE uid = ?",
								  l->package.uid,
								  (const struct ecms__col[]){
									  { "ipn", 't' },
									  { "lot", 't' },
									  { "po", 't' } },
								  3, &pkg),
						 0);
				assert_string_equal(json_string_value(json_object_get(pkg, "ipn")),
						    l->package.ipn);
				assert_non_null(json_string_value(json_object_get(pkg, "lot")));
				json_decref(pkg);
				assert_non_null(strstr(l->location_id, "-S"));
				loads++;
			}
		}
		if (m->kind == ECMS_CFX_SPLICE_POINT_DETECTED &&
		    m->u.splice.newly_active.package.grey_zone > 0)
			grey = true;
		if (m->kind == ECMS_CFX_UNITS_PROCESSED && m->u.processed.common.reflow) {
			reflow |= !m->u.processed.common.reflow->profiling;
			profiling |= m->u.processed.common.reflow->profiling;
		}
		if (m->kind == ECMS_CFX_WORK_STARTED) {
			assert_string_equal(m->u.work_started.work_order_id, "WO-T");
			assert_true(m->u.work_started.n_units >= 1);
			assert_true(m->u.work_started.units[0].position >= 1);
		}
		ecms_cfx_msg_free(m);
	}
	st = ecms_cfx_reader_stats(r);
	assert_int_equal(st->rejected, 0);
	assert_int_equal(st->unknown, 0);
	assert_int_equal(st->messages, n);
	assert_int_equal((json_int_t)n, json_integer_value(json_object_get(sum, "messages")));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (st->by_kind[want[i]] == 0)
			fail_msg("no %s message", ecms_cfx_kind_name(want[i]));
	assert_true(grey && reflow && profiling);
	assert_true(loads > 20);
	ecms_cfx_reader_free(r);
	free(text);
	json_decref(sum);
	ecms_close(h);
}

/* Expand "C1-C4 C7" into refdes, appended to out. */
static void
expand(const char *spec, json_t *out)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *dash = strchr(tok, '-');
		if (dash == NULL) {
			json_array_append_new(out, json_string(tok));
			continue;
		}
		*dash = '\0';
		size_t p = strcspn(tok, "0123456789");
		long a = strtol(tok + p, NULL, 10), b = strtol(dash + 1 + p, NULL, 10);
		assert_true(strncmp(tok, dash + 1, p) == 0 && b > a);
		for (long v = a; v <= b; v++) {
			char r[64];
			snprintf(r, sizeof(r), "%.*s%ld", (int)p, tok, v);
			json_array_append_new(out, json_string(r));
		}
	}
}

/* Each line's program file places every BOM refdes exactly once, from a
 * slot that holds the IPN of its BOM line. */
static void
test_production_programs_cover_bom(void **state)
{
	json_t *sum, *bom, *l;
	ecms *h = run_production("pp.db", "pp", 6, 64, &sum);
	size_t i;

	assert_int_equal(ecms_bom_get(h, "HM-100", "B", &bom), 0);
	for (int f = 0; f < 2; f++) {
		char *text = slurp_in("pp", f ? "programs-L2.csv" : "programs.csv");
		json_t *placed = json_object(); /* refdes -> ipn */
		char *save = NULL, *line = strtok_r(text, "\n", &save);
		int rows = 0;
		assert_string_equal(line, "product,rev,side,machine,program,slot,ipn,refdes");
		while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
			char *col[8], *s2 = NULL, *c;
			int k = 0;
			json_t *refs = json_array(), *r;
			size_t j;
			for (c = strtok_r(line, ",", &s2); c && k < 8; c = strtok_r(NULL, ",", &s2))
				col[k++] = c;
			assert_int_equal(k, 8);
			assert_string_equal(col[0], "HM-100");
			assert_string_equal(col[1], "B");
			assert_string_equal(col[2], "top");
			assert_true(strncmp(col[5], col[3], strlen(col[3])) == 0);
			expand(col[7], refs);
			json_array_foreach(refs, j, r) {
				if (json_object_get(placed, json_string_value(r)))
					fail_msg("%s placed twice", json_string_value(r));
				json_object_set_new(placed, json_string_value(r),
						    json_string(col[6]));
			}
			json_decref(refs);
			rows++;
		}
		assert_int_equal(json_object_size(placed),
				 json_integer_value(json_object_get(bom, "refdes_count")));
		json_array_foreach(json_object_get(bom, "lines"), i, l) {
			json_t *r;
			size_t j;
			json_array_foreach(json_object_get(l, "refdes"), j, r) {
				json_t *ipn = json_object_get(placed, json_string_value(r));
				if (ipn == NULL)
					fail_msg("%s not placed", json_string_value(r));
				assert_string_equal(json_string_value(ipn),
						    json_string_value(json_object_get(l, "ipn")));
			}
		}
		assert_int_equal(rows, json_array_size(json_object_get(bom, "lines")));
		json_decref(placed);
		free(text);
	}
	json_decref(bom);
	json_decref(sum);
	/* The same run again in the same store: refused, nothing bought. */
	{
		ecms_sim_config cfg = { .seed = 6 * 104729 + 31 };
		ecms_sim_prod_config pc = { .wo = "WO-T", .boards = 64 };
		ecms_sim *s;
		int64_t pos = count(h, "SELECT COUNT(*) FROM purchase_orders"),
			pk = count(h, "SELECT COUNT(*) FROM packages");
		char *d = tu_path("pp2");
		mkdir(d, 0777);
		assert_int_equal(ecms_sim_new(&cfg, &s), 0);
		assert_int_equal(ecms_sim_production(s, h, d, &pc, &sum), ECMS_EEXIST);
		assert_null(sum);
		assert_non_null(strstr(ecms_errmsg(h), "simulated in this database before"));
		assert_int_equal(count(h, "SELECT COUNT(*) FROM purchase_orders"), pos);
		assert_int_equal(count(h, "SELECT COUNT(*) FROM packages"), pk);
		ecms_sim_free(s);
		free(d);
	}
	ecms_close(h);
}

static bool
has_uid(json_t *arr, json_t *set)
{
	json_t *u;
	size_t i;

	json_array_foreach(arr, i, u)
		if (json_object_get(set, json_string_value(u)))
			return true;
	return false;
}

/* The demo's numbers: 500 boards, exactly 20 carry the notice lot, three
 * reels of it wait in stock; every board has every refdes; grey-zone
 * boards have two candidates; shipments agree with the truth. */
static void
test_production_truth(void **state)
{
	json_t *sum, *t, *boards, *b, *bom, *l, *lotpk = json_object(), *pk, *notice, *v;
	ecms *h = run_production("pt.db", "pt", 1, 500, &sum);
	char *p = tu_path("pt/truth.json"), *ship = slurp_in("pt", "shipments.csv");
	json_error_t je;
	const char *uid, *lot;
	size_t i, with_lot = 0, shipped = 0, scrapped = 0;

	t = json_load_file(p, 0, &je);
	if (t == NULL)
		fail_msg("truth.json: %s (line %d)", je.text, je.line);
	free(p);
	assert_int_equal(ecms_bom_get(h, "HM-100", "B", &bom), 0);
	notice = json_object_get(t, "notice");
	lot = json_string_value(json_object_get(notice, "lot"));
	json_object_foreach(json_object_get(t, "packages"), uid, pk)
		if (strcmp(json_string_value(json_object_get(pk, "lot")), lot) == 0)
			json_object_set_new(lotpk, uid, json_true());
	assert_int_equal(json_object_size(lotpk), 4);
	boards = json_object_get(t, "boards");
	assert_int_equal(json_array_size(boards), 500);
	json_array_foreach(boards, i, b) {
		json_t *c = json_object_get(b, "components"), *r;
		size_t j, k;
		bool carries = false;
		json_array_foreach(json_object_get(bom, "lines"), j, l)
			json_array_foreach(json_object_get(l, "refdes"), k, r) {
				json_t *cand = json_object_get(c, json_string_value(r));
				if (cand == NULL || json_array_size(cand) == 0)
					fail_msg("%s has no package for %s",
						 json_string_value(json_object_get(b, "serial")),
						 json_string_value(r));
				assert_true(json_array_size(cand) <= 2);
				carries |= has_uid(cand, lotpk);
			}
		assert_int_equal(json_object_size(c),
				 json_integer_value(json_object_get(bom, "refdes_count")));
		with_lot += carries;
		assert_string_equal(json_string_value(json_object_get(b, "work_order")), "WO-T");
		assert_string_equal(json_string_value(json_object_get(b, "customer")), "MEDICO");
		shipped += json_is_string(json_object_get(b, "shipment"));
		scrapped +=
			strcmp(json_string_value(json_object_get(b, "status")), "scrapped") == 0;
		if (json_is_string(json_object_get(b, "shipment"))) {
			char row[96];
			snprintf(row, sizeof(row), "%s,%s,MEDICO,%s\n",
				 json_string_value(json_object_get(b, "shipment")),
				 json_string_value(json_object_get(b, "shipped")),
				 json_string_value(json_object_get(b, "serial")));
			assert_non_null(strstr(ship, row));
		}
	}
	/* 20 of 500, the serials the truth names, the last 20 of line 2. */
	assert_int_equal(with_lot, 20);
	assert_int_equal(json_integer_value(json_object_get(notice, "count")), 20);
	assert_int_equal(json_array_size(json_object_get(notice, "boards")), 20);
	assert_string_equal(json_string_value(json_array_get(json_object_get(notice, "boards"), 0)),
			    "HM100B-00481");
	assert_int_equal(scrapped, 1);
	assert_true(shipped > 400 && shipped < 499);
	/* The reels of the lot that were never loaded sit in stock, usable. */
	json_array_foreach(json_object_get(notice, "reels"), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "status")), "in_stock") != 0)
			continue;
		{
			json_t *row = NULL;
			assert_int_equal(
				ecms__select_one(h,
						 "SELECT status, lot, coc, po, date_code FROM "
						 "packages WHERE uid = ?",
						 json_string_value(json_object_get(v, "uid")),
						 (const struct ecms__col[]){ { "status", 't' },
									     { "lot", 't' },
									     { "coc", 't' },
									     { "po", 't' },
									     { "date_code", 't' } },
						 5, &row),
				0);
			assert_non_null(json_string_value(json_object_get(row, "coc")));
			assert_non_null(json_string_value(json_object_get(row, "po")));
			assert_non_null(json_string_value(json_object_get(row, "date_code")));
			assert_string_equal(json_string_value(json_object_get(row, "status")),
					    "available");
			assert_string_equal(json_string_value(json_object_get(row, "lot")), lot);
			json_decref(row);
		}
		scrapped++;
	}
	assert_int_equal(scrapped, 1 + 3);
	/* The grey-zone splice: its boards have both packages for its refdes. */
	json_array_foreach(json_object_get(t, "grey_zone"), i, v) {
		json_t *s, *r;
		size_t j, k;
		assert_true(json_integer_value(json_object_get(v, "grey_zone")) > 0);
		assert_true(json_array_size(json_object_get(v, "boards")) >= 2);
		json_array_foreach(json_object_get(v, "boards"), j, s) {
			json_t *bd = NULL, *x;
			size_t q;
			json_array_foreach(boards, q, x)
				if (json_equal(json_object_get(x, "serial"), s))
					bd = x;
			assert_non_null(bd);
			json_array_foreach(json_object_get(v, "refdes"), k, r)
				assert_int_equal(json_array_size(json_object_get(
							 json_object_get(bd, "components"),
							 json_string_value(r))),
						 2);
		}
	}
	assert_int_equal(json_array_size(json_object_get(t, "grey_zone")), 1);
	assert_int_equal(json_integer_value(json_object_get(sum, "grey_zone_boards")), 8);
	/* The rework replaced the part with the bench reel. */
	v = json_array_get(json_object_get(t, "reworks"), 0);
	assert_non_null(v);
	json_array_foreach(boards, i, b)
		if (json_equal(json_object_get(b, "serial"), json_object_get(v, "serial")))
			assert_string_equal(
				json_string_value(json_array_get(
					json_object_get(
						json_object_get(b, "components"),
						json_string_value(json_object_get(v, "refdes"))),
					0)),
				json_string_value(json_object_get(v, "after")));
	json_decref(lotpk);
	json_decref(bom);
	json_decref(t);
	json_decref(sum);
	free(ship);
	ecms_close(h);
}

/* The machine a CFX handle names: its last dot-separated part. */
static const char *
handle_name(const char *src)
{
	const char *dot = strrchr(src, '.');

	return dot ? dot + 1 : src;
}

/* Load one program file into the genealogy store (one program per machine). */
static void
load_programs(ecms *h, const char *dir, const char *name)
{
	char *text = slurp_in(dir, name), *save = NULL, *line = strtok_r(text, "\n", &save);
	struct ecms_gen_slotmap sm[64];
	json_t *refs[64];
	char prog[64] = "", mach[64] = "";
	size_t n = 0;

	for (;;) {
		char *col[8] = { 0 }, *s2 = NULL, *c;
		int k = 0;
		line = strtok_r(NULL, "\n", &save);
		if (line)
			for (c = strtok_r(line, ",", &s2); c && k < 8; c = strtok_r(NULL, ",", &s2))
				col[k++] = c;
		if (n && (line == NULL || strcmp(col[4], prog) != 0)) {
			assert_int_equal(ecms_gen_program_set(h, prog, mach, sm, n, NULL), 0);
			for (size_t i = 0; i < n; i++) {
				free((void *)sm[i].refdes);
				json_decref(refs[i]);
			}
			n = 0;
		}
		if (line == NULL)
			break;
		snprintf(prog, sizeof(prog), "%s", col[4]);
		snprintf(mach, sizeof(mach), "%s", col[3]);
		refs[n] = json_array();
		expand(col[7], refs[n]);
		{
			size_t m = json_array_size(refs[n]);
			const char **r = calloc(m, sizeof(*r));
			for (size_t i = 0; i < m; i++)
				r[i] = json_string_value(json_array_get(refs[n], i));
			sm[n] = (struct ecms_gen_slotmap){ col[5], col[6], r, m };
		}
		n++;
	}
	free(text);
}

struct wstart {
	char tid[40], machine[32], program[64], wo[32];
	int64_t t;
	char units[4][24];
	int n;
};

/*
 * Replay cfx.ndjson into the genealogy store the simplest way a line
 * integration would (this is a cross-check of the simulator's truth, not
 * the product's `cfx ingest`), then compare every board and refdes with
 * truth.json: the candidates must be the same sets.
 */
static void
test_production_truth_matches_genealogy(void **state)
{
	json_t *sum, *t, *b, *notice, *v;
	ecms *h = run_production("pg.db", "pg", 1, 500, &sum);
	char *text = slurp_in("pg", "cfx.ndjson"), *p = tu_path("pg/truth.json");
	struct wstart *ws = calloc(2000, sizeof(*ws));
	ecms_cfx_reader *r;
	ecms_cfx_msg *m;
	ecms_error err;
	json_error_t je;
	size_t nws = 0, i, checked = 0, amb = 0, mismatches = 0;

	load_programs(h, "pg", "programs.csv");
	load_programs(h, "pg", "programs-L2.csv");
	assert_int_equal(ecms_cfx_reader_new(text, strlen(text), 0, &r, &err), 0);
	assert_int_equal(ecms__begin(h), 0); /* one transaction: bulk ingest */
	while (ecms_cfx_reader_next(r, &m, &err) == 0 && m) {
		const char *mach = handle_name(m->source);
		int64_t ts = m->timestamp.ms;
		bool placer = strstr(mach, "-M") != NULL;
		switch (m->kind) {
		case ECMS_CFX_MATERIALS_LOADED:
			for (size_t k = 0; k < m->u.loaded.n_locations; k++)
				assert_int_equal(
					ecms_gen_load(h, mach, m->u.loaded.locations[k].location_id,
						      m->u.loaded.locations[k].package.uid, ts),
					0);
			break;
		case ECMS_CFX_SPLICE_POINT_DETECTED:
			assert_int_equal(
				ecms_gen_splice(h, mach, m->u.splice.newly_active.location_id,
						m->u.splice.newly_active.package.uid, ts,
						m->u.splice.newly_active.package.grey_zone),
				0);
			break;
		case ECMS_CFX_MATERIALS_UNLOADED:
			for (size_t k = 0; k < m->u.unloaded.n_uids; k++) {
				int rc = ecms_gen_unload_uid(h, m->u.unloaded.uids[k], ts);
				assert_true(rc == 0 || rc == ECMS_ENOTFOUND);
			}
			break;
		case ECMS_CFX_WORK_STARTED: {
			struct wstart *w = &ws[nws++ % 2000];
			snprintf(w->tid, sizeof(w->tid), "%s", m->u.work_started.transaction_id);
			snprintf(w->machine, sizeof(w->machine), "%s", mach);
			snprintf(w->program, sizeof(w->program), "%s", m->u.work_started.recipe);
			snprintf(w->wo, sizeof(w->wo), "%s", m->u.work_started.work_order_id);
			w->t = ts;
			w->n = (int)m->u.work_started.n_units;
			for (int k = 0; k < w->n && k < 4; k++)
				snprintf(w->units[k], sizeof(w->units[k]), "%s",
					 m->u.work_started.units[k].unit_id);
			break;
		}
		case ECMS_CFX_WORK_COMPLETED:
			for (size_t k = 0; k < 2000 && k < nws; k++) {
				struct wstart *w = &ws[k];
				if (strcmp(w->tid, m->u.work_completed.transaction_id) != 0)
					continue;
				for (int u = 0; u < w->n; u++)
					assert_int_equal(ecms_gen_board_pass(h, w->units[u], w->wo,
									     w->machine, w->program,
									     w->t, ts),
							 0);
				break;
			}
			break;
		case ECMS_CFX_MATERIALS_INSTALLED:
			for (size_t k = 0; k < m->u.installed.n_items; k++) {
				const ecms_cfx_install *in = &m->u.installed.items[k];
				const char *refs[16];
				size_t nr = in->n_components < 16 ? in->n_components : 16;
				for (size_t j = 0; j < nr; j++)
					refs[j] = in->components[j].refdes;
				if (placer) {
					struct ecms_gen_install rec = { in->unit_id, mach,
									in->material.uid, refs,
									nr };
					assert_int_equal(ecms_gen_installed(h, &rec, 1, ts, NULL),
							 0);
				} else {
					for (size_t j = 0; j < nr; j++)
						assert_int_equal(
							ecms_gen_rework(h, in->unit_id, refs[j],
									in->material.uid, "oya",
									"FCT failed", ts),
							0);
				}
			}
			break;
		default:
			break;
		}
		ecms_cfx_msg_free(m);
	}
	assert_int_equal(ecms__end(h, ECMS_OK), 0);
	ecms_cfx_reader_free(r);
	t = json_load_file(p, 0, &je);
	assert_non_null(t);
	json_array_foreach(json_object_get(t, "boards"), i, b) {
		struct ecms_gen_board gb;
		json_t *comp = json_object_get(b, "components");
		const char *serial = json_string_value(json_object_get(b, "serial"));
		assert_int_equal(ecms_gen_board_get(h, serial, &gb), 0);
		assert_int_equal(gb.nparts, json_object_size(comp));
		for (size_t k = 0; k < gb.nparts; k++) {
			const struct ecms_gen_part *pt = &gb.parts[k];
			json_t *want = json_object_get(comp, pt->refdes), *got = json_array();
			if (pt->uid)
				json_array_append_new(got, json_string(pt->uid));
			else
				for (size_t j = 0; j < pt->ncandidates; j++)
					json_array_append_new(got, json_string(pt->candidates[j]));
			/* Same set, in any order. */
			bool same = json_array_size(got) == json_array_size(want);
			for (size_t j = 0; same && j < json_array_size(got); j++) {
				bool found = false;
				for (size_t q = 0; q < json_array_size(want); q++)
					found |= json_equal(json_array_get(got, j),
							    json_array_get(want, q));
				same = found;
			}
			if (!same && mismatches++ < 5) {
				char *g = json_dumps(got, JSON_COMPACT),
				     *w = json_dumps(want, JSON_COMPACT);
				print_message("%s %s: genealogy %s, truth %s\n", serial, pt->refdes,
					      g, w);
				free(g);
				free(w);
			}
			amb += json_array_size(want) > 1;
			checked++;
			json_decref(got);
		}
		ecms_gen_board_cleanup(&gb);
	}
	assert_int_equal(mismatches, 0);
	assert_true(checked ==
		    500 * json_object_size(json_object_get(
				  json_array_get(json_object_get(t, "boards"), 0), "components")));
	assert_true(amb > 0);
	/* Forward: the notice lot's reels reach exactly the 20 boards, none
	 * of them ambiguously. */
	notice = json_object_get(t, "notice");
	{
		const char *uids[8];
		size_t nu = 0;
		struct ecms_gen_carriers c;
		json_array_foreach(json_object_get(notice, "reels"), i, v)
			uids[nu++] = json_string_value(json_object_get(v, "uid"));
		assert_int_equal(ecms_gen_carriers_get(h, uids, nu, &c), 0);
		assert_int_equal(c.n, 20);
		for (size_t k = 0; k < c.n; k++) {
			assert_int_equal(c.boards[k].nambiguous, 0);
			assert_string_equal(c.boards[k].board,
					    json_string_value(json_array_get(
						    json_object_get(notice, "boards"), k)));
		}
		ecms_gen_carriers_cleanup(&c);
	}
	json_decref(t);
	json_decref(sum);
	free(ws);
	free(p);
	free(text);
	ecms_close(h);
}

static void
test_production_refuses_bad_config(void **state)
{
	ecms *h;
	json_t *sum = NULL;
	ecms_sim *s;
	ecms_sim_prod_config pc = { .wo = "WO-NONE" };
	char *d = tu_path("pbad");

	run_sim("pbad.db", "pbad", 2, &h);
	assert_int_equal(ecms_sim_new(NULL, &s), 0);
	assert_int_equal(ecms_sim_production(s, h, d, &pc, &sum), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "sim product"));
	assert_int_equal(ecms_sim_product(s, h, d, 30, "WO-S"), 0);
	pc.wo = "WO-S";
	pc.lines = 5;
	assert_int_equal(ecms_sim_production(s, h, d, &pc, &sum), ECMS_EUSAGE);
	pc.lines = 2; /* 15 boards on line 2: too few for 20 notice boards */
	assert_int_equal(ecms_sim_production(s, h, d, &pc, &sum), ECMS_EUSAGE);
	assert_null(sum);
	/* Refused before anything was bought. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM purchase_orders"), 0);
	/* A file that cannot be written after the reels were received: the
	 * receipts are rolled back too. */
	{
		char *d2 = tu_path("pbad2"), *blk = tu_path("pbad2/cfx.ndjson");
		int64_t ev = count(h, "SELECT COUNT(*) FROM events");
		mkdir(d2, 0777);
		mkdir(blk, 0777); /* a directory where the file should go */
		ecms_wo_new w = { "WO-S2", "HM-100", "B", 64, "L1", "MEDICO", NULL };
		assert_int_equal(ecms_wo_create(h, &w), 0);
		ev = count(h, "SELECT COUNT(*) FROM events");
		pc.wo = "WO-S2";
		assert_int_equal(ecms_sim_production(s, h, d2, &pc, &sum), ECMS_EIO);
		assert_null(sum);
		assert_int_equal(count(h, "SELECT COUNT(*) FROM purchase_orders"), 0);
		assert_int_equal(count(h, "SELECT COUNT(*) FROM packages"), 0);
		assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), ev);
		free(blk);
		free(d2);
	}
	ecms_sim_free(s);
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
		cmocka_unit_test(test_production_deterministic),
		cmocka_unit_test(test_production_cfx_parses),
		cmocka_unit_test(test_production_programs_cover_bom),
		cmocka_unit_test(test_production_truth),
		cmocka_unit_test(test_production_truth_matches_genealogy),
		cmocka_unit_test(test_production_refuses_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
