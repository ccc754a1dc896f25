/*
 * test_msdstore.c: the persisted floor-life clock: packages received
 * through the real receiving path, events over injected time (open,
 * seal, cabinet moves, bakes, CFX), exact status numbers, refusals that
 * write nothing, site rule overrides, all-or-nothing transactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/cfx.h"
#include "ecms/master.h"
#include "ecms/msdstore.h"
#include "ecms/receiving.h"
#include "ecms/uid.h"
#include "msdstore.h"
#include "store/store.h"

#define GS   "\x1d"
#define RS   "\x1e"
#define EOT  "\x04"
#define HOUR INT64_C(3600000)
#define T(h) (TU_NOW_MS + (int64_t)(h)*HOUR)

static void
import(ecms *h, const char *kind, const char *name, const char *text)
{
	char *p = tu_write_file(name, text);
	ecms_import_report rep;

	if (ecms_import(h, kind, p, &rep) != ECMS_OK)
		fail_msg("import %s: %s\n%s", name, ecms_errmsg(h), rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	free(p);
}

/* A small factory at 2026-01-15T08:00Z: an MSL 3 IC of 1.4 mm, an MSL 1
 * capacitor, an IC without MSL; dry cabinets of 5 and 10 % RH. */
static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);

	import(h, "parts", "parts.csv",
	       "ipn,description,category,aml,msl,thickness_mm,std_pack\n"
	       "C1,cap,capacitor,GRM1@Murata,1,,10000\n"
	       "U1,ic,ic,TPS1@Texas Instruments,3,1.4,1000\n"
	       "U2,ic unknown msl,ic,XYZ1@Acme,,,1000\n");
	import(h, "suppliers", "sup.csv",
	       "id,name,status,authorised,franchises,iso9001_cert,iso9001_expiry\n"
	       "DK,Digi-Key,approved,yes,,C1,2027-01-01\n");
	import(h, "locations", "loc.csv",
	       "id,name,kind,rh_class\nRCV,Receiving,receiving,\nQH,Quarantine,quarantine,\n"
	       "S1,Shelf,shelf,\nDC5,Dry cabinet,dry_cabinet,5\n"
	       "DC10,Dry cabinet 10,dry_cabinet,10\n");
	import(h, "users", "users.csv",
	       "id,name,role,badge\nwes,Wes W,warehouse,B-2\nquinn,Quinn Q,qa,B-3\n");
	import(h, "po", "po.csv",
	       "po,supplier,order_date,line,ipn,mpn,qty\n"
	       "P1,DK,2026-01-02,1,C1,,100000\n"
	       "P1,DK,2026-01-02,2,U1,,100000\n"
	       "P1,DK,2026-01-02,3,U2,,100000\n");
	assert_int_equal(ecms_set_actor(h, "wes", "dock1"), 0);
	return h;
}

/* Receive one package of mpn through ecms_receive; its UID into uid. */
static void
recv(ecms *h, const char *mpn, char uid[32])
{
	char scan[256];
	ecms_receive_req r = { .po = "P1", .scan = scan };
	json_t *out = NULL;

	snprintf(scan, sizeof(scan), "[)>" RS "06" GS "1P%s" GS "Q100" GS "1TL1" GS "9D2548" RS EOT,
		 mpn);
	r.scan_len = strlen(scan);
	if (ecms_receive(h, &r, &out) != ECMS_OK)
		fail_msg("receive: %s", ecms_errmsg(h));
	snprintf(uid, 32, "%s", json_string_value(json_object_get(out, "uid")));
	json_decref(out);
}

static int
ev_at(ecms *h, const char *uid, enum ecms_msd_event_type t, int64_t at)
{
	struct ecms_msd_event ev;

	ecms_msd_event_init(&ev, t, at);
	return ecms_msd_record(h, uid, &ev, NULL);
}

static json_t *
status_at(ecms *h, const char *uid, int64_t now)
{
	json_t *s = NULL;

	if (ecms_msd_status(h, uid, now, &s) != ECMS_OK)
		fail_msg("status: %s", ecms_errmsg(h));
	return s;
}

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

#define S(o, k) json_string_value(json_object_get((o), (k)))
#define I(o, k) ((int64_t)json_integer_value(json_object_get((o), (k))))
#define B(o, k) json_is_true(json_object_get((o), (k)))

static void
test_clock_over_time(void **state)
{
	ecms *h = factory("clock.db");
	char u[32], lower[32];
	json_t *s;

	recv(h, "TPS1", u);
	/* Never opened: dry-packed from the supplier, usable, nothing stored. */
	s = status_at(h, u, T(1));
	assert_string_equal(S(s, "state"), "never opened");
	assert_string_equal(S(s, "msl"), "3");
	assert_true(B(s, "usable"));
	assert_true(I(s, "remaining_ms") == 168 * HOUR);
	json_decref(s);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM msd_state"), 0);
	/* A move of a never-opened package is a no-op. */
	assert_int_equal(ecms__msd_on_move(h, u, "receiving", NULL, "dry_cabinet", "5", T(0)), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM msd_state"), 0);

	/* Opened (typed in lower case: read as the canonical UID). */
	for (size_t i = 0; i <= strlen(u); i++)
		lower[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
	assert_int_equal(ev_at(h, lower, ECMS_MSD_EV_OPEN, T(0)), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.open'"), 1);
	s = status_at(h, u, T(10));
	assert_string_equal(S(s, "uid"), u);
	assert_string_equal(S(s, "state"), "exposed");
	assert_string_equal(S(s, "where"), "out");
	assert_true(I(s, "exposure_ms") == 10 * HOUR);
	assert_true(I(s, "remaining_ms") == 158 * HOUR);
	assert_string_equal(S(s, "remaining"), "158 h");
	assert_string_equal(S(s, "exposure"), "10 h");
	assert_string_equal(S(s, "ends_at"), "2026-01-22T08:00:00.000Z");
	assert_true(B(s, "usable"));
	json_decref(s);

	/* Sealed at 10 h: paused through 30 h. */
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_SEAL, T(10)), 0);
	s = status_at(h, u, T(30));
	assert_string_equal(S(s, "state"), "in dry storage");
	assert_string_equal(S(s, "where"), "bag");
	assert_true(I(s, "exposure_ms") == 10 * HOUR);
	assert_true(json_is_null(json_object_get(s, "ends_at")));
	json_decref(s);
	/* A sealed bag moved into a cabinet stays a sealed bag. */
	assert_int_equal(ecms__msd_on_move(h, u, "shelf", NULL, "dry_cabinet", "10", T(30)), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type LIKE 'msd.cab%'"), 0);

	/* Opened again at 30 h, into the 5 % cabinet at 32 h, out at 50 h. */
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_OPEN, T(30)), 0);
	assert_int_equal(ecms__msd_on_move(h, u, "shelf", NULL, "dry_cabinet", "5", T(32)), 0);
	s = status_at(h, u, T(50));
	assert_string_equal(S(s, "where"), "cabinet5");
	assert_true(I(s, "exposure_ms") == 12 * HOUR);
	assert_int_equal(I(s, "opens"), 2);
	json_decref(s);
	assert_int_equal(ecms__msd_on_move(h, u, "dry_cabinet", "5", "line_side", NULL, T(50)), 0);
	/* Leaving a cabinet again (the clock already runs) changes nothing. */
	assert_int_equal(ecms__msd_on_move(h, u, "dry_cabinet", "5", "shelf", NULL, T(50)), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.cabinet-in'"), 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.cabinet-out'"), 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE payload LIKE "
				  "'%\"via\":\"move\"%'"),
			 2);
	s = status_at(h, u, T(51) + 60000);
	assert_true(I(s, "exposure_ms") == 13 * HOUR + 60000);
	assert_true(I(s, "remaining_ms") == 155 * HOUR - 60000);
	assert_string_equal(S(s, "remaining"), "154 h 59 min");
	/* ends_at: out since 50 h with 155 h left. */
	assert_string_equal(S(s, "ends_at"), "2026-01-23T22:00:00.000Z");
	json_decref(s);
	/* A 10 % cabinet: the default rule keeps the clock at full rate. */
	assert_int_equal(ecms__msd_on_move(h, u, "shelf", NULL, "dry_cabinet", "10", T(52)), 0);
	s = status_at(h, u, T(62));
	assert_string_equal(S(s, "where"), "cabinet10");
	assert_true(I(s, "exposure_ms") == 24 * HOUR);
	json_decref(s);
	/* Status before the last change is an error, not a guess. */
	assert_int_equal(ecms_msd_status(h, u, T(1), &s), ECMS_EINVAL);
	assert_null(s);
	ecms_close(h);
}

static void
test_bake(void **state)
{
	ecms *h = factory("bake.db");
	struct ecms_msd_event ev;
	char u[32];
	json_t *s = NULL;
	int64_t n_ev, seq;

	recv(h, "TPS1", u);
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_OPEN, T(0)), 0);
	n_ev = count(h, "SELECT COUNT(*) FROM events");
	seq = count(h, "SELECT updated_seq FROM msd_state");
	/* MSL 3, 1.4 mm, 125 C, within floor life + 72 h: Table 4-1 needs 7 h. */
	ecms_msd_event_init(&ev, ECMS_MSD_EV_BAKE, T(30));
	ev.temp_c = 125;
	ev.duration_ms = 5 * HOUR;
	assert_int_equal(ecms_msd_record(h, u, &ev, &s), ECMS_EREFUSED);
	assert_null(s);
	assert_non_null(strstr(ecms_errmsg(h), "too short for MSL 3, 1.4 mm: needs 7 h"));
	assert_non_null(strstr(ecms_errmsg(h), "Table 4-1"));
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev);
	assert_true(count(h, "SELECT updated_seq FROM msd_state") == seq);
	s = status_at(h, u, T(30));
	assert_true(I(s, "exposure_ms") == 30 * HOUR);
	assert_int_equal(I(s, "bakes"), 0);
	json_decref(s);
	/* 90 C with unknown oven RH: no row fits (the 90 C rows need <= 5 %). */
	ev.temp_c = 90;
	ev.duration_ms = 40 * HOUR;
	ev.at_ms = T(70);
	assert_int_equal(ecms_msd_record(h, u, &ev, NULL), ECMS_EREFUSED);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev);
	/* A 7 h bake ending at 30 h resets the clock. */
	ev.temp_c = 125;
	ev.duration_ms = 7 * HOUR;
	ev.at_ms = T(30);
	assert_int_equal(ecms_msd_record(h, u, &ev, &s), 0);
	assert_true(I(s, "exposure_ms") == 0);
	assert_int_equal(I(s, "bakes"), 1);
	assert_string_equal(S(s, "last_bake"), "2026-01-16T14:00:00.000Z");
	assert_string_equal(S(s, "last_bake_duration"), "7 h");
	json_decref(s);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.bake' AND "
				  "payload LIKE '%\"temp_c\":125%'"),
			 1);
	s = status_at(h, u, T(40));
	assert_true(I(s, "exposure_ms") == 10 * HOUR);
	json_decref(s);
	/* Bake start/end: ending too early is refused, later it counts. */
	ecms_msd_event_init(&ev, ECMS_MSD_EV_BAKE_START, T(40));
	ev.temp_c = 125;
	assert_int_equal(ecms_msd_record(h, u, &ev, &s), 0);
	assert_string_equal(S(s, "state"), "baking");
	assert_false(B(s, "usable"));
	json_decref(s);
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_BAKE_END, T(42)), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "bake not ended"));
	/* Being baked: it cannot go into a cabinet. */
	assert_int_equal(ecms__msd_on_move(h, u, "oven", NULL, "dry_cabinet", "5", T(43)),
			 ECMS_EREFUSED);
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_BAKE_END, T(47)), 0);
	s = status_at(h, u, T(47));
	assert_int_equal(I(s, "bakes"), 2);
	assert_true(B(s, "usable"));
	json_decref(s);
	ecms_close(h);
}

static void
test_expired_and_hic(void **state)
{
	ecms *h = factory("expired.db");
	struct ecms_msd_event ev;
	char u[32], w[32], fresh[32], reason[256], none[ECMS_UID_MAX];
	bool ok;
	json_t *l, *s;

	recv(h, "TPS1", u);
	recv(h, "TPS1", w);
	recv(h, "TPS1", fresh);
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_OPEN, T(0)), 0);
	assert_int_equal(ecms_msd_usable(h, u, T(167), &ok, reason, sizeof(reason)), 0);
	assert_true(ok);
	assert_string_equal(reason, "");
	assert_int_equal(ecms_msd_usable(h, u, T(169), &ok, reason, sizeof(reason)), 0);
	assert_false(ok);
	assert_non_null(strstr(reason, "floor life expired: exposed 169 h of 168 h (MSL 3)"));
	s = status_at(h, u, T(169));
	assert_string_equal(S(s, "state"), "expired");
	assert_string_equal(S(s, "remaining"), "0 (over by 1 h)");
	assert_string_equal(S(s, "expired_at"), "2026-01-22T08:00:00.000Z");
	assert_true(B(s, "bake_required"));
	json_decref(s);
	/* Never opened: usable. An unknown UID is not found; a bad one invalid. */
	assert_int_equal(ecms_msd_usable(h, fresh, T(500), &ok, reason, sizeof(reason)), 0);
	assert_true(ok);
	assert_int_equal(ecms_msd_usable(h, "XU0000ZZZZ", T(1), &ok, NULL, 0), ECMS_EINVAL);
	assert_int_equal(ecms_msd_usable(h, ecms_uid_format(4000, none), T(1), &ok, NULL, 0),
			 ECMS_ENOTFOUND);

	/* A wet HIC: the opening is recorded, the package needs a bake. */
	ecms_msd_event_init(&ev, ECMS_MSD_EV_OPEN, T(100));
	ev.hic_pct = 10;
	assert_int_equal(ecms_msd_record(h, w, &ev, &s), 0);
	assert_false(B(s, "usable"));
	assert_true(B(s, "bake_required"));
	assert_non_null(strstr(S(s, "reason"), "bake required before use: HIC shows"));
	json_decref(s);

	/* Expiring: u has expired, w ends at 268 h; fresh is not tracked. */
	assert_int_equal(ecms_msd_expiring(h, T(170), 24 * HOUR, &l), 0);
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(S(json_array_get(l, 0), "uid"), u);
	assert_string_equal(S(json_array_get(l, 0), "ipn"), "U1");
	assert_string_equal(S(json_array_get(l, 0), "state"), "expired");
	json_decref(l);
	assert_int_equal(ecms_msd_expiring(h, T(170), 100 * HOUR, &l), 0);
	assert_int_equal(json_array_size(l), 2);
	assert_string_equal(S(json_array_get(l, 1), "uid"), w);
	assert_string_equal(S(json_array_get(l, 1), "ends_at"), "2026-01-26T12:00:00.000Z");
	assert_string_equal(S(json_array_get(l, 1), "remaining"), "98 h");
	json_decref(l);
	ecms_close(h);
}

static void
test_msl_unknown_and_msl1(void **state)
{
	ecms *h = factory("msl.db");
	char u2[32], c1[32], none[ECMS_UID_MAX];
	json_t *s;
	int64_t n_ev;

	recv(h, "XYZ1", u2);
	recv(h, "GRM1", c1);
	n_ev = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(ev_at(h, u2, ECMS_MSD_EV_OPEN, T(1)), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "MSL unknown"));
	assert_non_null(strstr(ecms_errmsg(h), "part U2"));
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM msd_state"), 0);
	s = status_at(h, u2, T(1));
	assert_string_equal(S(s, "state"), "never opened");
	assert_true(json_is_null(json_object_get(s, "msl")));
	assert_true(B(s, "usable"));
	json_decref(s);
	/* MSL 1: accepted, unlimited; moves never touch it. */
	assert_int_equal(ev_at(h, c1, ECMS_MSD_EV_OPEN, T(1)), 0);
	assert_int_equal(ecms__msd_on_move(h, c1, "shelf", NULL, "dry_cabinet", "5", T(2)), 0);
	s = status_at(h, c1, T(10000));
	assert_string_equal(S(s, "msl"), "1");
	assert_string_equal(S(s, "where"), "out");
	assert_string_equal(S(s, "remaining"), "unlimited");
	assert_true(json_is_null(json_object_get(s, "remaining_ms")));
	assert_true(B(s, "usable"));
	json_decref(s);
	/* Unknown package. */
	assert_int_equal(ev_at(h, ecms_uid_format(4000, none), ECMS_MSD_EV_OPEN, T(1)),
			 ECMS_ENOTFOUND);
	ecms_close(h);
}

/* The value and source of a key in ecms_msd_rules_json. */
static void
rule_is(ecms *h, const char *key, const char *value, const char *source)
{
	json_t *l, *o;
	size_t i;

	assert_int_equal(ecms_msd_rules_json(h, &l), 0);
	json_array_foreach(l, i, o)
		if (strcmp(S(o, "key"), key) == 0) {
			assert_string_equal(S(o, "value"), value);
			assert_string_equal(S(o, "source"), source);
			json_decref(l);
			return;
		}
	json_decref(l);
	fail_msg("no rule %s", key);
}

/* Change an MSD rule as the QA user, then act as wes at dock1 again. */
static int
rule_set(ecms *h, const char *key, const char *value)
{
	int rc;

	assert_int_equal(ecms_set_actor(h, "quinn", NULL), 0);
	rc = ecms_msd_rule_set(h, key, value);
	assert_int_equal(ecms_set_actor(h, "wes", "dock1"), 0);
	return rc;
}

static void
test_site_rules(void **state)
{
	ecms *h = factory("rules.db");
	struct ecms_msd_rules r;
	struct ecms_msd_event ev;
	char u[32];
	json_t *s;
	int64_t n_ev;

	recv(h, "TPS1", u);
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_OPEN, T(0)), 0);
	rule_is(h, "floor_life.3", "168h", "default");
	assert_int_equal(ecms_msd_rule_set(h, "floor_life.3", "96h"), ECMS_EDENIED);
	assert_int_equal(rule_set(h, "floor_life.3", "96h"), 0);
	rule_is(h, "floor_life.3", "96h", "site");
	assert_int_equal(ecms_msd_site_rules(h, &r), 0);
	assert_true(r.floor_life_ms[ECMS_MSL_3] == 96 * HOUR);
	s = status_at(h, u, T(10));
	assert_true(I(s, "remaining_ms") == 86 * HOUR);
	assert_string_equal(S(s, "floor_life"), "96 h");
	json_decref(s);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.rule_set'"), 1);

	/* Refused, nothing written: a bad key, a bad value. */
	n_ev = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(rule_set(h, "floor_life.9", "96h"), ECMS_EINVAL);
	assert_string_equal(ecms_errfield(h), "floor_life.9");
	assert_int_equal(rule_set(h, "floor_life.3", "soon"), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "soon"));
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev);
	rule_is(h, "floor_life.3", "96h", "site");

	/* Back to the default value: no override stored. */
	assert_int_equal(rule_set(h, "floor_life.3", "7d"), 0);
	rule_is(h, "floor_life.3", "168h", "default");
	assert_int_equal(count(h, "SELECT COUNT(*) FROM msd_rules"), 0);

	/* Bake rows: a new row made by one column, then the other column changed;
	 * a default row deleted. The stored form replays to the same rules. */
	assert_int_equal(rule_set(h, "bake.3.1.4mm.100c.fl72", "3h"), 0);
	assert_int_equal(rule_set(h, "bake.3.1.4mm.100c.fl72", "4h"), 0);
	assert_int_equal(rule_set(h, "bake.3.1.4mm.125c", "none"), 0);
	rule_is(h, "bake.3.1.4mm.100c.saturated", "3h", "site");
	rule_is(h, "bake.3.1.4mm.100c.fl72", "4h", "site");
	rule_is(h, "bake.3.1.4mm.125c", "none", "site");
	/* The package now bakes at 125 C by the 100 C row: 4 h (within FL + 72 h). */
	ecms_msd_event_init(&ev, ECMS_MSD_EV_BAKE, T(20));
	ev.temp_c = 125;
	ev.rh_pct = 5;
	ev.duration_ms = 3 * HOUR;
	assert_int_equal(ecms_msd_record(h, u, &ev, NULL), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "needs 4 h"));
	ev.duration_ms = 4 * HOUR;
	assert_int_equal(ecms_msd_record(h, u, &ev, NULL), 0);

	/* A stored value that no longer parses is an error naming the key. */
	assert_int_equal(ecms__exec(h,
				    "INSERT INTO msd_rules (key, value, updated_seq) "
				    "VALUES ('hic.bake_at.3', 'wet', 1)",
				    ""),
			 0);
	assert_int_equal(ecms_msd_site_rules(h, &r), ECMS_EINVAL);
	assert_string_equal(ecms_errfield(h), "hic.bake_at.3");
	assert_int_equal(ecms_msd_status(h, u, T(30), &s), ECMS_EINVAL);
	ecms_close(h);
}

static void
test_cfx(void **state)
{
	ecms *h = factory("cfx.db");
	char u[32], reason[256];
	bool ok;
	json_t *s;

	recv(h, "TPS1", u);
	assert_int_equal(ecms_msd_from_cfx(h, u,
					   "CFX.Materials.Management.MSDManagement.MaterialsOpened",
					   T(0), -1),
			 0);
	assert_int_equal(ecms_msd_from_cfx(h, u, "MaterialsPlacedInDryStorage", T(2), 5), 0);
	s = status_at(h, u, T(3));
	assert_string_equal(S(s, "where"), "cabinet5");
	assert_string_equal(S(s, "cfx_state"), "InDryStorage");
	json_decref(s);
	assert_int_equal(ecms_msd_from_cfx(h, u, "MaterialsRemovedFromDryStorage", T(4), -1), 0);
	assert_int_equal(ecms_msd_from_cfx(h, u, "MaterialsExpired", T(5), -1), 0);
	assert_int_equal(ecms_msd_usable(h, u, T(5), &ok, reason, sizeof(reason)), 0);
	assert_false(ok);
	assert_non_null(strstr(reason, "reported expired"));
	/* Restored resets only if the site says so. */
	assert_int_equal(ecms_msd_from_cfx(h, u, "MaterialsRestored", T(6), -1), ECMS_EREFUSED);
	assert_int_equal(rule_set(h, "cfx.restored_resets", "yes"), 0);
	assert_int_equal(ecms_msd_from_cfx(h, u, "MaterialsRestored", T(6), -1), 0);
	assert_int_equal(ecms_msd_usable(h, u, T(6), &ok, reason, sizeof(reason)), 0);
	assert_true(ok);
	assert_int_equal(ecms_msd_from_cfx(h, u, "MaterialsLoaded", T(7), -1), ECMS_ENOTFOUND);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type LIKE 'msd.%' AND "
				  "payload LIKE '%\"via\":\"cfx Materials%'"),
			 5);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'msd.restored'"), 1);
	ecms_close(h);
}

/* The shared CFX example of an MSD message, read by the CFX reader (as the
 * production issue's ingestion reads it), with its time set to t. */
static ecms_cfx_msg *
cfx_example(const char *name, int64_t t)
{
	const char *d = tu_shared_data();
	char path[1024], ts[ECMS_TIME_LEN], full[128];
	json_error_t je;
	json_t *body, *env;
	ecms_cfx_msg *m = NULL;
	ecms_error e;

	snprintf(path, sizeof(path), "%s/cfx/%s.body.json", d, name);
	snprintf(full, sizeof(full), "CFX.Materials.Management.MSDManagement.%s", name);
	if ((body = json_load_file(path, 0, &je)) == NULL)
		fail_msg("%s: %s", path, je.text);
	env = json_pack("{s:s, s:s, s:s, s:s, s:o}", "MessageName", full, "Version", "2.1",
			"TimeStamp", ecms_time_format(t, ts), "UniqueID", name, "MessageBody",
			body);
	if (ecms_cfx_msg_from_json(env, 0, &m, &e) != 0)
		fail_msg("%s: %s", path, e.message);
	json_decref(env);
	assert_true(m->u.materials.n_materials >= 1);
	return m;
}

/* Drive one package through the five MSD messages of the shared examples:
 * the engine entry the CFX ingestion calls, at the message's TimeStamp. */
static void
test_cfx_examples(void **state)
{
	static const char *const names[] = { "MaterialsOpened", "MaterialsPlacedInDryStorage",
					     "MaterialsRemovedFromDryStorage", "MaterialsExpired",
					     "MaterialsRestored" };
	static const char *const want[] = { "exposed", "in dry storage", "exposed", "expired",
					    "exposed" };
	ecms *h = factory("cfxex.db");
	char u[32];
	json_t *s;

	recv(h, "TPS1", u);
	assert_int_equal(rule_set(h, "cfx.restored_resets", "yes"), 0);
	for (int i = 0; i < 5; i++) {
		ecms_cfx_msg *m = cfx_example(names[i], T(2 * i));
		/* The examples carry MSL3 packages; the dry cabinet's class is not in
		 * the message: the ingestion passes the cabinet's, here 5 % RH. */
		assert_string_equal(m->u.materials.materials[0].msd.level, "MSL3");
		assert_int_equal(ecms_msd_from_cfx(h, u, m->name, m->timestamp.ms, i == 1 ? 5 : -1),
				 0);
		s = status_at(h, u, T(2 * i + 1));
		if (strcmp(S(s, "state"), want[i]) != 0)
			fail_msg("%s: state %s, expected %s", names[i], S(s, "state"), want[i]);
		json_decref(s);
		ecms_cfx_msg_free(m);
	}
	/* Restored at T(8): the clock started again from zero. */
	s = status_at(h, u, T(10));
	assert_int_equal(json_integer_value(json_object_get(s, "exposure_ms")), 2 * HOUR);
	json_decref(s);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type LIKE 'msd.%' AND "
				  "payload LIKE '%\"via\":\"cfx Materials%'"),
			 5);
	ecms_close(h);
}

static void
test_all_or_nothing(void **state)
{
	ecms *h = factory("tx.db");
	char u[32];
	int64_t n_ev;
	int rc;

	recv(h, "TPS1", u);
	n_ev = count(h, "SELECT COUNT(*) FROM events");
	/* Inside a caller's transaction: a later refusal undoes the opening too. */
	assert_int_equal(ecms__begin(h), 0);
	rc = ev_at(h, u, ECMS_MSD_EV_OPEN, T(5));
	assert_int_equal(rc, 0);
	if (rc == ECMS_OK)
		rc = ev_at(h, u, ECMS_MSD_EV_SEAL, T(4)); /* out of order */
	assert_int_equal(rc, ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "out of order"));
	assert_int_equal(ecms__end(h, rc), ECMS_EREFUSED);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM msd_state"), 0);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev);
	/* And a caller's commit keeps both. */
	assert_int_equal(ecms__begin(h), 0);
	rc = ev_at(h, u, ECMS_MSD_EV_OPEN, T(5));
	if (rc == ECMS_OK)
		rc = ev_at(h, u, ECMS_MSD_EV_SEAL, T(6));
	assert_int_equal(ecms__end(h, rc), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM msd_state WHERE msd_where = 'bag'"), 1);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev + 2);
	/* Refusals on their own write nothing either. */
	assert_int_equal(ev_at(h, u, ECMS_MSD_EV_CABINET_OUT, T(7)), ECMS_EREFUSED);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == n_ev + 2);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_over_time), cmocka_unit_test(test_bake),
		cmocka_unit_test(test_expired_and_hic), cmocka_unit_test(test_msl_unknown_and_msl1),
		cmocka_unit_test(test_site_rules),      cmocka_unit_test(test_cfx),
		cmocka_unit_test(test_cfx_examples),    cmocka_unit_test(test_all_or_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
