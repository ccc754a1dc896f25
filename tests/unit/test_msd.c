/*
 * test_msd.c: the J-STD-033 floor-life engine (lib/msd.c): levels,
 * durations, rule text, each clock rule both ways, the bake table, the
 * state machine, and a property test of random event sequences for every
 * MSL against an independent reference model written here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms/msd.h"

#define HR(x) ((int64_t)(x) * INT64_C(3600000))
#define DAY(x) (HR(x) * 24)
#define T0 TU_NOW_MS

static struct ecms_msd_rules R;

static int
setup(void **state)
{
	ecms_msd_rules_default(&R);
	return 0;
}

/* ------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

static struct ecms_msd_state
mk(enum ecms_msl msl, int32_t um)
{
	struct ecms_msd_state st;
	struct ecms_msd_part part = {.msl = msl, .thickness_um = um};

	assert_int_equal(ecms_msd_state_init(&st, &part, T0 - HR(1), NULL), ECMS_OK);
	return st;
}

static int
ev(struct ecms_msd_state *st, enum ecms_msd_event_type t, int64_t at, ecms_error *e)
{
	struct ecms_msd_event x;

	ecms_msd_event_init(&x, t, at);
	return ecms_msd_apply(&R, st, &x, e);
}

static int
ev_open(struct ecms_msd_state *st, int64_t at, int hic, ecms_error *e)
{
	struct ecms_msd_event x;

	ecms_msd_event_init(&x, ECMS_MSD_EV_OPEN, at);
	x.hic_pct = hic;
	return ecms_msd_apply(&R, st, &x, e);
}

static int
ev_cab(struct ecms_msd_state *st, int64_t at, int rh, ecms_error *e)
{
	struct ecms_msd_event x;

	ecms_msd_event_init(&x, ECMS_MSD_EV_CABINET_IN, at);
	x.rh_pct = rh;
	return ecms_msd_apply(&R, st, &x, e);
}

static int
ev_bake(struct ecms_msd_state *st, int64_t end, int temp, int64_t dur, int rh, ecms_error *e)
{
	struct ecms_msd_event x;

	ecms_msd_event_init(&x, ECMS_MSD_EV_BAKE, end);
	x.temp_c = temp;
	x.duration_ms = dur;
	x.rh_pct = rh;
	return ecms_msd_apply(&R, st, &x, e);
}

static struct ecms_msd_status
stat_at(const struct ecms_msd_state *st, int64_t now)
{
	struct ecms_msd_status s;
	ecms_error e;

	ecms_error_clear(&e);
	assert_int_equal(ecms_msd_eval(&R, st, now, &s, &e), ECMS_OK);
	return s;
}

static void
set_rule(const char *k, const char *v)
{
	ecms_error e;

	ecms_error_clear(&e);
	if (ecms_msd_rules_set(&R, k, v, &e) != ECMS_OK)
		fail_msg("rule %s = %s: %s", k, v, e.message);
}

/* Field-by-field equality (struct padding makes memcmp unreliable). */
static bool
state_eq(const struct ecms_msd_state *a, const struct ecms_msd_state *b)
{
	return a->msl == b->msl && a->thickness_um == b->thickness_um &&
	       a->large_body == b->large_body && a->tol_ms == b->tol_ms &&
	       a->where == b->where && a->since_ms == b->since_ms &&
	       a->exposure_ms == b->exposure_ms && a->cab10_ms == b->cab10_ms &&
	       a->expired_ms == b->expired_ms && a->bake_flags == b->bake_flags &&
	       a->hic_pct == b->hic_pct && a->oven_start_ms == b->oven_start_ms &&
	       a->oven_temp_c == b->oven_temp_c && a->oven_rh_pct == b->oven_rh_pct &&
	       a->first_open_ms == b->first_open_ms && a->opens == b->opens &&
	       a->bakes == b->bakes && a->last_bake_ms == b->last_bake_ms &&
	       a->last_bake_temp_c == b->last_bake_temp_c &&
	       a->last_bake_duration_ms == b->last_bake_duration_ms &&
	       a->short_resets == b->short_resets;
}

#define assert_contains(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' does not contain '%s'", (hay), (needle)); \
} while (0)

/* ------------------------------------------------------------------
 * Levels, durations, names
 * ------------------------------------------------------------------ */

static void
test_msl_parse(void **state)
{
	static const struct {
		const char *s;
		enum ecms_msl m;
	} good[] = {
		{"1", ECMS_MSL_1}, {"2", ECMS_MSL_2}, {"2a", ECMS_MSL_2A}, {"2A", ECMS_MSL_2A},
		{"3", ECMS_MSL_3}, {"4", ECMS_MSL_4}, {"5", ECMS_MSL_5}, {"5a", ECMS_MSL_5A},
		{"6", ECMS_MSL_6}, {" 3 ", ECMS_MSL_3}, {"MSL3", ECMS_MSL_3},
		{"msl 2a", ECMS_MSL_2A}, {"MSL-5A", ECMS_MSL_5A}, {"MSL2A", ECMS_MSL_2A},
		{"Level-3-260C-168 HR", ECMS_MSL_3}, {"Level-1-260C-UNLIM", ECMS_MSL_1},
		{"LEVEL 2A", ECMS_MSL_2A}, {"level-5a-245C-24 HRS", ECMS_MSL_5A},
		{"MSL 6 (TOL)", ECMS_MSL_6},
	};
	static const char *const bad[] = {
		"", "0", "7", "6a", "3a", "2b", "10", "3x", "3-260C", "MSL", "MSL7",
		"Level-7-260C", "Levelx3", "msl3a", "a", "Level-35",
	};
	enum ecms_msl m;
	ecms_error e;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		m = ECMS_MSL_NONE;
		if (ecms_msl_parse(good[i].s, &m, &e) != ECMS_OK || m != good[i].m)
			fail_msg("'%s' should parse as %d", good[i].s, (int)good[i].m);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ecms_msl_parse(bad[i], &m, &e) != ECMS_EINVAL)
			fail_msg("'%s' should not parse", bad[i]);
		assert_contains(e.message, "is not an MSL level");
		assert_string_equal(e.field, "msl");
	}
	assert_int_equal(ecms_msl_parse(NULL, &m, &e), ECMS_EINVAL);
	assert_string_equal(ecms_msl_str(ECMS_MSL_2A), "2a");
	assert_string_equal(ecms_msl_str(ECMS_MSL_6), "6");
	assert_string_equal(ecms_msl_str((enum ecms_msl)99), "?");
	assert_string_equal(ecms_msl_cfx(ECMS_MSL_5A), "MSL5A");
	assert_string_equal(ecms_msl_cfx(ECMS_MSL_1), "MSL1");
	/* The CFX names parse back. */
	for (int i = ECMS_MSL_1; i < ECMS_MSL_COUNT; i++) {
		assert_int_equal(ecms_msl_parse(ecms_msl_cfx((enum ecms_msl)i), &m, NULL), 0);
		assert_int_equal(m, i);
		assert_int_equal(ecms_msl_parse(ecms_msl_str((enum ecms_msl)i), &m, NULL), 0);
		assert_int_equal(m, i);
	}
}

static void
test_duration(void **state)
{
	static const struct {
		const char *s;
		int64_t ms;
	} good[] = {
		{"168h", HR(168)}, {"7 d", DAY(7)}, {"1.5h", HR(1) + HR(1) / 2},
		{"30min", 30 * 60000}, {"90 s", 90000}, {"250ms", 250}, {"4w", DAY(28)},
		{"1y", DAY(365)}, {"2 Hours", HR(2)}, {"0h", 0}, {" 3 days ", DAY(3)},
		{"1000y", DAY(365) * 1000},
	};
	static const char *const bad[] = {
		"", "h", "168", "168x", "-1h", "1.2.3h", "1h2", "5 parsecs", "1001y",
		"1e3h", "nan h", "12 h x",
	};
	static const struct {
		int64_t ms;
		const char *exact, *human;
	} fmt[] = {
		{HR(168), "168h", "168 h"}, {DAY(8), "8d", "8 d"}, {DAY(365), "365d", "365 d"},
		{HR(7) + 30 * 60000, "450min", "7 h 30 min"}, {HR(72), "72h", "72 h"},
		{1500, "1500ms", "1 s"}, {90000, "90s", "1 min"}, {0, "0h", "0 s"},
		{DAY(9) + HR(5), "221h", "221 h"}, {DAY(41) + HR(3), "987h", "41 d 3 h"},
		{DAY(9), "9d", "9 d"}, {HR(170) + 5 * 60000, "10205min",
						       "170 h 5 min"},
	};
	char buf[40];
	int64_t ms;
	ecms_error e;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (ecms_msd_duration_parse(good[i].s, &ms, &e) != ECMS_OK || ms != good[i].ms)
			fail_msg("'%s' should parse as %" PRId64, good[i].s, good[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ecms_msd_duration_parse(bad[i], &ms, &e) != ECMS_EINVAL)
			fail_msg("'%s' should not parse", bad[i]);
		assert_contains(e.message, "is not a duration");
	}
	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		assert_string_equal(ecms_msd_duration_format(fmt[i].ms, ECMS_MSD_DUR_EXACT, buf,
							     sizeof(buf)), fmt[i].exact);
		assert_int_equal(ecms_msd_duration_parse(buf, &ms, NULL), ECMS_OK);
		assert_true(ms == fmt[i].ms);
		assert_string_equal(ecms_msd_duration_format(fmt[i].ms, ECMS_MSD_DUR_HUMAN, buf,
							     sizeof(buf)), fmt[i].human);
	}
}

static void
test_names(void **state)
{
	enum ecms_msd_event_type t;
	enum ecms_msd_where w;
	ecms_error e;

	for (int i = 1; i < ECMS_MSD_EV_COUNT; i++) {
		assert_int_equal(ecms_msd_event_parse(ecms_msd_event_str((enum ecms_msd_event_type)i),
						      &t, NULL), ECMS_OK);
		assert_int_equal(t, i);
	}
	assert_int_equal(ecms_msd_event_parse("unbake", &t, &e), ECMS_EINVAL);
	assert_contains(e.message, "'unbake' is not an MSD event");
	for (int i = 0; i < ECMS_MSD_WHERE_COUNT; i++) {
		assert_int_equal(ecms_msd_where_parse(ecms_msd_where_str((enum ecms_msd_where)i),
						      &w, NULL), ECMS_OK);
		assert_int_equal(w, i);
	}
	assert_int_equal(ecms_msd_where_parse("drawer", &w, &e), ECMS_EINVAL);
	assert_string_equal(ecms_msd_phase_str(ECMS_MSD_DRY), "in dry storage");
	assert_string_equal(ecms_msd_phase_cfx(ECMS_MSD_NEVER_OPENED), "NeverOpened");
	assert_string_equal(ecms_msd_phase_cfx(ECMS_MSD_EXPIRED), "Expired");
	assert_string_equal(ecms_msd_phase_cfx(ECMS_MSD_DRY), "InDryStorage");

	/* CFX MSD messages map onto the same events the CLI uses. */
	static const struct {
		const char *name;
		int rc;
		enum ecms_msd_event_type t;
	} cfx[] = {
		{"CFX.Materials.Management.MSDManagement.MaterialsOpened", 0, ECMS_MSD_EV_OPEN},
		{"MaterialsOpened", 0, ECMS_MSD_EV_OPEN},
		{"CFX.Materials.Management.MSDManagement.MaterialsPlacedInDryStorage", 0,
		 ECMS_MSD_EV_CABINET_IN},
		{"CFX.Materials.Management.MSDManagement.MaterialsRemovedFromDryStorage", 0,
		 ECMS_MSD_EV_CABINET_OUT},
		{"CFX.Materials.Management.MSDManagement.MaterialsExpired", 0,
		 ECMS_MSD_EV_EXPIRED},
		{"CFX.Materials.Management.MSDManagement.MaterialsRestored", 0,
		 ECMS_MSD_EV_RESTORED},
		{"CFX.Materials.Storage.MaterialsLoaded", ECMS_ENOTFOUND, 0},
		{"Other.MaterialsOpened", ECMS_ENOTFOUND, 0},
		{"MaterialsOpenedX", ECMS_ENOTFOUND, 0},
	};
	for (size_t i = 0; i < sizeof(cfx) / sizeof(cfx[0]); i++) {
		t = ECMS_MSD_EV_NONE;
		assert_int_equal(ecms_msd_event_from_cfx(cfx[i].name, &t), cfx[i].rc);
		if (cfx[i].rc == 0)
			assert_int_equal(t, cfx[i].t);
	}
	assert_int_equal(ecms_msd_event_from_cfx(NULL, &t), ECMS_ENOTFOUND);
}

/* ------------------------------------------------------------------
 * Floor life
 * ------------------------------------------------------------------ */

static void
test_floor_life_per_msl(void **state)
{
	static const struct {
		enum ecms_msl msl;
		int64_t fl;
	} rows[] = {
		{ECMS_MSL_2, DAY(365)}, {ECMS_MSL_2A, HR(672)}, {ECMS_MSL_3, HR(168)},
		{ECMS_MSL_4, HR(72)}, {ECMS_MSL_5, HR(48)}, {ECMS_MSL_5A, HR(24)},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ecms_msd_state st = mk(rows[i].msl, 1400);
		struct ecms_msd_status s;

		s = stat_at(&st, T0);
		assert_int_equal(s.phase, ECMS_MSD_NEVER_OPENED);
		assert_true(s.usable);
		assert_true(s.exposure_ms == 0);
		assert_true(s.ends_ms == -1);
		assert_true(s.ends_if_out_ms == T0 + rows[i].fl);
		assert_int_equal(ev_open(&st, T0, 5, NULL), ECMS_OK);
		s = stat_at(&st, T0);
		assert_true(s.ends_ms == T0 + rows[i].fl);
		assert_int_equal(s.rate_permille, 1000);
		/* One millisecond before the end: still usable. */
		s = stat_at(&st, T0 + rows[i].fl - 1);
		assert_int_equal(s.phase, ECMS_MSD_EXPOSED);
		assert_true(s.usable);
		assert_true(s.remaining_ms == 1);
		assert_true(s.floor_life_ms == rows[i].fl);
		/* At the end: expired, blocked, with the reason. */
		s = stat_at(&st, T0 + rows[i].fl);
		assert_int_equal(s.phase, ECMS_MSD_EXPIRED);
		assert_false(s.usable);
		assert_true(s.bake_required);
		assert_true(s.remaining_ms == 0);
		assert_true(s.expired_ms == T0 + rows[i].fl);
		assert_contains(s.reason, "floor life expired");
		s = stat_at(&st, T0 + rows[i].fl + HR(5));
		assert_true(s.remaining_ms == -HR(5));
		assert_true(s.expired_ms == T0 + rows[i].fl);
		/* The crossing time survives a transition. */
		assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0 + rows[i].fl + HR(5), NULL), 0);
		assert_true(st.expired_ms == T0 + rows[i].fl);
		s = stat_at(&st, T0 + rows[i].fl + HR(500));
		assert_int_equal(s.phase, ECMS_MSD_EXPIRED);
	}
	{
		struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
		struct ecms_msd_status s;

		assert_int_equal(ev_open(&st, T0, 5, NULL), ECMS_OK);
		s = stat_at(&st, T0 + HR(100));
		assert_string_equal(s.reason, "");
		char t[ECMS_TIME_LEN];
		assert_string_equal(ecms_time_format(s.ends_ms, t), "2026-01-22T08:00:00.000Z");
		s = stat_at(&st, T0 + HR(170));
		assert_string_equal(s.reason, "floor life expired: exposed 170 h of 168 h (MSL 3): "
					      "bake required (J-STD-033)");
	}
}

static void
test_msl1_unlimited(void **state)
{
	struct ecms_msd_state st = mk(ECMS_MSL_1, 1400);
	struct ecms_msd_status s;
	int64_t need;

	/* A wet HIC does not matter for level 1. */
	assert_int_equal(ev_open(&st, T0, 60, NULL), ECMS_OK);
	assert_int_equal(st.bake_flags, 0);
	s = stat_at(&st, T0 + DAY(3650));
	assert_int_equal(s.phase, ECMS_MSD_EXPOSED);
	assert_true(s.usable);
	assert_true(s.floor_life_ms == ECMS_MSD_UNLIMITED);
	assert_true(s.remaining_ms == ECMS_MSD_UNLIMITED);
	assert_true(s.ends_ms == -1 && s.ends_if_out_ms == -1 && s.expired_ms == -1);
	assert_true(s.exposure_ms == DAY(3650));
	/* No bake is ever needed; any recorded bake is accepted. */
	assert_int_equal(ecms_msd_bake_need(&R, &st, T0 + HR(1), 40, -1, &need, NULL), 0);
	assert_true(need == 0);
	assert_int_equal(ev_bake(&st, T0 + HR(2), 40, HR(1), -1, NULL), ECMS_OK);
	assert_true(st.exposure_ms == 0 && st.bakes == 1);
}

static void
test_dry_storage_pauses(void **state)
{
	struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
	struct ecms_msd_status s;
	ecms_error e;

	assert_int_equal(ev_open(&st, T0, 5, NULL), ECMS_OK);
	assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0 + HR(100), NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(1000));
	assert_int_equal(s.phase, ECMS_MSD_DRY);
	assert_int_equal(s.where, ECMS_MSD_BAG);
	assert_true(s.exposure_ms == HR(100));
	assert_int_equal(s.rate_permille, 0);
	assert_true(s.ends_ms == -1);
	assert_true(s.ends_if_out_ms == T0 + HR(1000) + HR(68));
	assert_true(s.reset_ms == -1); /* 100 h is no short exposure */
	/* Re-opening the re-sealed bag restarts the clock where it stopped. */
	assert_int_equal(ev_open(&st, T0 + HR(1000), -1, NULL), ECMS_OK);
	assert_int_equal(st.opens, 2);
	assert_true(st.first_open_ms == T0);
	s = stat_at(&st, T0 + HR(1050));
	assert_true(s.exposure_ms == HR(150));
	/* A <=5 % RH cabinet pauses too. */
	assert_int_equal(ev_cab(&st, T0 + HR(1050), 5, NULL), ECMS_OK);
	assert_int_equal(st.where, ECMS_MSD_CABINET5);
	s = stat_at(&st, T0 + HR(5000));
	assert_true(s.exposure_ms == HR(150));
	assert_int_equal(s.phase, ECMS_MSD_DRY);
	assert_int_equal(ev(&st, ECMS_MSD_EV_CABINET_OUT, T0 + HR(5000), NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(5018));
	assert_int_equal(s.phase, ECMS_MSD_EXPIRED);
	assert_true(s.expired_ms == T0 + HR(5018));
	/* A wet cabinet is not dry storage. */
	assert_int_equal(ev_cab(&st, T0 + HR(5018), 20, &e), ECMS_EREFUSED);
	assert_contains(e.message, "a cabinet at 20 % RH is not dry storage");
}

static void
test_cabinet10(void **state)
{
	struct ecms_msd_state st;
	struct ecms_msd_status s;

	/* Default: the clock keeps running at full rate. */
	st = mk(ECMS_MSL_3, 1400);
	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev_cab(&st, T0 + HR(10), 10, NULL), ECMS_OK);
	assert_int_equal(st.where, ECMS_MSD_CABINET10);
	s = stat_at(&st, T0 + HR(100));
	assert_true(s.exposure_ms == HR(100));
	assert_int_equal(s.rate_permille, 1000);
	assert_int_equal(s.phase, ECMS_MSD_DRY);
	assert_true(s.ends_ms == T0 + HR(168));
	/* An unknown cabinet RH is taken as the <=10 % class. */
	st = mk(ECMS_MSL_3, 1400);
	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev_cab(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(st.where, ECMS_MSD_CABINET10);

	/* Paused for up to 2 days of cabinet time, then full rate. */
	set_rule("cabinet10.3.rate", "0");
	set_rule("cabinet10.3.limit", "2d");
	st = mk(ECMS_MSL_3, 1400);
	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev_cab(&st, T0 + HR(10), 8, NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(10));
	assert_int_equal(s.rate_permille, 0);
	assert_true(s.ends_ms == T0 + HR(10) + HR(48) + HR(158));
	s = stat_at(&st, T0 + HR(10) + DAY(3));
	assert_true(s.exposure_ms == HR(10) + HR(24));
	assert_int_equal(s.rate_permille, 1000);
	/* The allowance is per package until a bake: leaving and coming back
	 * does not renew it. */
	assert_int_equal(ev(&st, ECMS_MSD_EV_CABINET_OUT, T0 + HR(10) + DAY(3), NULL), 0);
	assert_true(st.cab10_ms == HR(48));
	assert_int_equal(ev_cab(&st, T0 + HR(100), 8, NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(110));
	assert_true(s.exposure_ms == HR(10) + HR(24) + HR(18) + HR(10));

	/* Half speed with no limit. */
	set_rule("cabinet10.3.rate", "50%");
	set_rule("cabinet10.3.limit", "unlimited");
	st = mk(ECMS_MSL_3, 1400);
	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev_cab(&st, T0 + HR(10), 10, NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(10));
	assert_int_equal(s.rate_permille, 500);
	/* Reduced-rate exposure rounds up to the ms (the safe side), so half
	 * speed reaches 158 h one ms before 316 h. */
	assert_true(s.ends_ms == T0 + HR(10) + HR(316) - 1);
	s = stat_at(&st, T0 + HR(110));
	assert_true(s.exposure_ms == HR(60));
	s = stat_at(&st, T0 + HR(326) - 2);
	assert_int_equal(s.phase, ECMS_MSD_DRY);
	s = stat_at(&st, T0 + HR(326));
	assert_int_equal(s.phase, ECMS_MSD_EXPIRED);
	assert_true(s.expired_ms == T0 + HR(326) - 1);
	/* Other levels keep the default. */
	st = mk(ECMS_MSL_4, 1400);
	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev_cab(&st, T0, 10, NULL), ECMS_OK);
	assert_true(stat_at(&st, T0 + HR(10)).exposure_ms == HR(10));
}

static void
test_hic(void **state)
{
	static const struct {
		enum ecms_msl msl;
		int hic;
		bool bake;
	} rows[] = {
		{ECMS_MSL_3, -1, false}, {ECMS_MSL_3, 0, false}, {ECMS_MSL_3, 5, false},
		{ECMS_MSL_3, 10, true}, {ECMS_MSL_3, 60, true}, {ECMS_MSL_2, 10, false},
		{ECMS_MSL_2, 60, true}, {ECMS_MSL_2A, 10, true}, {ECMS_MSL_5A, 10, true},
		{ECMS_MSL_5A, 5, false}, {ECMS_MSL_1, 60, false}, {ECMS_MSL_4, 15, true},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ecms_msd_state st = mk(rows[i].msl, 1400);
		struct ecms_msd_status s;

		/* The opening is recorded either way: the bag is open. */
		assert_int_equal(ev_open(&st, T0, rows[i].hic, NULL), ECMS_OK);
		assert_int_equal(st.where, ECMS_MSD_OUT);
		assert_int_equal(st.hic_pct, rows[i].hic);
		s = stat_at(&st, T0 + 60000);
		if (s.usable == rows[i].bake)
			fail_msg("row %zu: MSL %s HIC %d: bake expected %d", i,
				 ecms_msl_str(rows[i].msl), rows[i].hic, rows[i].bake);
		assert_int_equal(s.bake_required, rows[i].bake);
		assert_int_equal(s.phase, ECMS_MSD_EXPOSED);
		if (rows[i].bake)
			assert_contains(s.reason, "bake required before use: HIC shows >=");
	}
	{
		struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
		struct ecms_msd_status s;
		ecms_error e;

		assert_int_equal(ev_open(&st, T0, 60, NULL), ECMS_OK);
		s = stat_at(&st, T0);
		assert_string_equal(s.reason, "bake required before use: HIC shows >=10 % RH "
					      "(reading 60 %, limit for MSL 3)");
		/* A wet bag bakes by the saturated column, whatever the exposure. */
		assert_int_equal(ev_bake(&st, T0 + HR(9), 125, HR(8), -1, &e), ECMS_EREFUSED);
		assert_string_equal(e.message, "bake of 8 h at 125 °C is too short for MSL 3, "
					       "1.4 mm: needs 9 h (J-STD-033 Table 4-1, saturated "
					       "column: the HIC showed 60 % RH)");
		assert_int_equal(ev_bake(&st, T0 + HR(9), 125, HR(9), -1, NULL), ECMS_OK);
		s = stat_at(&st, T0 + HR(9));
		assert_true(s.usable);
		assert_int_equal(st.bake_flags, 0);
	}
	/* The limit is a rule. */
	set_rule("hic.bake_at.3", "60%");
	{
		struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
		assert_int_equal(ev_open(&st, T0, 10, NULL), ECMS_OK);
		assert_true(stat_at(&st, T0).usable);
	}
	set_rule("hic.bake_at.3", "never");
	{
		struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
		assert_int_equal(ev_open(&st, T0, 60, NULL), ECMS_OK);
		assert_true(stat_at(&st, T0).usable);
	}
	/* A re-sealed bag is judged by its HIC again at re-opening. */
	ecms_msd_rules_default(&R);
	{
		struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
		assert_int_equal(ev_open(&st, T0, 5, NULL), ECMS_OK);
		assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0 + HR(1), NULL), ECMS_OK);
		assert_int_equal(ev_open(&st, T0 + HR(100), 10, NULL), ECMS_OK);
		assert_false(stat_at(&st, T0 + HR(100)).usable);
	}
}

/* ------------------------------------------------------------------
 * Bakes
 * ------------------------------------------------------------------ */

static void
test_bake_table(void **state)
{
	static const struct {
		enum ecms_msl msl;
		int32_t um;
		bool large;
		int exposure_h; /* hours out of bag before the bake */
		int temp, rh;
		int64_t dur;
		int rc;
		const char *msg; /* exact message, or a part of it after '~' */
	} rows[] = {
		/* MSL 3, 1.4 mm, exposure within floor life + 72 h: the fl72 column */
		{ECMS_MSL_3, 1400, false, 200, 125, -1, HR(4), ECMS_EREFUSED,
		 "bake of 4 h at 125 °C is too short for MSL 3, 1.4 mm: needs 7 h "
		 "(J-STD-033 Table 4-1, exposure within floor life + 72 h)"},
		{ECMS_MSL_3, 1400, false, 200, 125, -1, HR(7), ECMS_OK, NULL},
		{ECMS_MSL_3, 1400, false, 240, 125, -1, HR(7), ECMS_OK, NULL},
		/* beyond floor life + 72 h: the saturated column */
		{ECMS_MSL_3, 1400, false, 241, 125, -1, HR(8), ECMS_EREFUSED,
		 "bake of 8 h at 125 °C is too short for MSL 3, 1.4 mm: needs 9 h "
		 "(J-STD-033 Table 4-1, saturated column: exposure 241 h > floor life "
		 "168 h + 72 h)"},
		{ECMS_MSL_3, 1400, false, 300, 125, -1, HR(9), ECMS_OK, NULL},
		/* a hotter oven may use the 125 C row */
		{ECMS_MSL_3, 1400, false, 10, 150, -1, HR(7), ECMS_OK, NULL},
		/* 90 C needs a dry oven */
		{ECMS_MSL_3, 1400, false, 10, 90, -1, HR(30), ECMS_EREFUSED,
		 "a bake at 90 °C counts only by the 90 °C row for MSL 3, <=1.4 mm, which "
		 "needs an oven at <=5 % RH; the oven's RH was not recorded "
		 "(J-STD-033 Table 4-1)"},
		{ECMS_MSL_3, 1400, false, 10, 90, 20, HR(30), ECMS_EREFUSED,
		 "~the oven's RH was 20 %"},
		{ECMS_MSL_3, 1400, false, 10, 90, 5, HR(22), ECMS_EREFUSED, "~needs 23 h"},
		{ECMS_MSL_3, 1400, false, 10, 90, 5, HR(23), ECMS_OK, NULL},
		{ECMS_MSL_3, 1400, false, 10, 100, 3, HR(23), ECMS_OK, NULL},
		{ECMS_MSL_3, 1400, false, 10, 40, 5, DAY(9) - 1, ECMS_EREFUSED, "~needs 9 d"},
		{ECMS_MSL_3, 1400, false, 10, 40, 5, DAY(9), ECMS_OK, NULL},
		{ECMS_MSL_3, 1400, false, 10, 30, 5, DAY(90), ECMS_EREFUSED,
		 "the bake table has no row for MSL 3, <=1.4 mm at or below 30 °C (the "
		 "coolest is 40 °C)"},
		/* thickness classes */
		{ECMS_MSL_3, 1800, false, 10, 125, -1, HR(16), ECMS_EREFUSED, "~needs 17 h"},
		{ECMS_MSL_3, 1800, false, 10, 125, -1, HR(17), ECMS_OK, NULL},
		{ECMS_MSL_4, 2000, false, 10, 125, -1, HR(20), ECMS_OK, NULL},
		{ECMS_MSL_4, 2001, false, 10, 125, -1, HR(47), ECMS_EREFUSED, "~needs 48 h"},
		{ECMS_MSL_3, 0, false, 10, 125, -1, HR(47), ECMS_EREFUSED,
		 "bake of 47 h at 125 °C is too short for MSL 3, unknown thickness (taken "
		 "as <=4.5 mm): needs 48 h (J-STD-033 Table 4-1, exposure within floor "
		 "life + 72 h)"},
		{ECMS_MSL_3, 0, false, 10, 125, -1, HR(48), ECMS_OK, NULL},
		{ECMS_MSL_3, 5000, false, 10, 125, -1, HR(100), ECMS_EREFUSED,
		 "the bake table has no row for MSL 3 bodies of 5.0 mm (thicker than every "
		 "class)"},
		{ECMS_MSL_5A, 1000, false, 10, 40, 5, DAY(10), ECMS_OK, NULL},
		{ECMS_MSL_5A, 1000, false, 30, 40, 5, DAY(10), ECMS_OK, NULL},
		{ECMS_MSL_5A, 1000, false, 97, 40, 5, DAY(10), ECMS_EREFUSED, "~needs 22 d"},
		{ECMS_MSL_2A, 1400, false, 10, 125, -1, HR(3), ECMS_OK, NULL},
		{ECMS_MSL_2, 1400, false, 10, 125, -1, HR(3), ECMS_OK, NULL},
		{ECMS_MSL_2, 1400, false, 10, 125, -1, HR(2), ECMS_EREFUSED, "~needs 3 h"},
		/* large bodies: 96 h at 125 C, per thickness at 90 C */
		{ECMS_MSL_3, 1400, true, 10, 125, -1, HR(95), ECMS_EREFUSED, "~needs 96 h"},
		{ECMS_MSL_3, 1400, true, 10, 125, -1, HR(96), ECMS_OK, NULL},
		{ECMS_MSL_3, 1400, true, 10, 90, 5, HR(23), ECMS_OK, NULL},
		{ECMS_MSL_3, 5000, true, 10, 125, -1, HR(96), ECMS_OK, NULL},
		{ECMS_MSL_3, 5000, true, 10, 90, 5, HR(500), ECMS_EREFUSED,
		 "~thicker than every class"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ecms_msd_state st = mk(rows[i].msl, rows[i].um), before;
		ecms_error e;
		int64_t open = T0, start = T0 + HR(rows[i].exposure_h), need;
		int rc;

		st.large_body = rows[i].large;
		assert_int_equal(ev_open(&st, open, 5, NULL), ECMS_OK);
		before = st;
		ecms_error_clear(&e);
		rc = ev_bake(&st, start + rows[i].dur, rows[i].temp, rows[i].dur, rows[i].rh, &e);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, expected %d (%s)", i, rc, rows[i].rc, e.message);
		if (rc) {
			assert_true(state_eq(&st, &before));
			if (rows[i].msg[0] == '~')
				assert_contains(e.message, rows[i].msg + 1);
			else
				assert_string_equal(e.message, rows[i].msg);
			continue;
		}
		assert_true(st.exposure_ms == 0);
		assert_int_equal(st.bakes, 1);
		assert_true(st.last_bake_ms == start + rows[i].dur);
		assert_int_equal(st.last_bake_temp_c, rows[i].temp);
		assert_true(st.last_bake_duration_ms == rows[i].dur);
		assert_int_equal(st.where, ECMS_MSD_OUT);
		/* the floor life restarts from zero after the bake */
		assert_true(stat_at(&st, start + rows[i].dur + HR(1)).exposure_ms == HR(1));
		/* bake_need agrees with the boundary */
		{
			struct ecms_msd_state again = mk(rows[i].msl, rows[i].um);
			again.large_body = rows[i].large;
			assert_int_equal(ev_open(&again, open, 5, NULL), ECMS_OK);
			assert_int_equal(ecms_msd_bake_need(&R, &again, start, rows[i].temp,
							    rows[i].rh, &need, NULL), ECMS_OK);
			assert_true(need <= rows[i].dur);
		}
	}
}

static void
test_bake_start_end(void **state)
{
	struct ecms_msd_state st = mk(ECMS_MSL_3, 1400), before;
	struct ecms_msd_event x;
	struct ecms_msd_status s;
	ecms_error e;

	assert_int_equal(ev_open(&st, T0, 5, NULL), ECMS_OK);
	/* A bake that no duration can make valid is refused at the start. */
	ecms_msd_event_init(&x, ECMS_MSD_EV_BAKE_START, T0 + HR(300));
	x.temp_c = 30;
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EREFUSED);
	assert_contains(e.message, "no row for MSL 3, <=1.4 mm at or below 30 °C");
	x.temp_c = 125;
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_OK);
	assert_int_equal(st.where, ECMS_MSD_OVEN);
	assert_true(st.exposure_ms == HR(300));
	s = stat_at(&st, T0 + HR(305));
	assert_int_equal(s.phase, ECMS_MSD_BAKING);
	assert_false(s.usable);
	assert_true(s.exposure_ms == HR(300)); /* the oven does not count */
	assert_string_equal(s.reason, "being baked at 125 °C since 2026-01-27T20:00:00.000Z");
	/* Too early: refused, still baking. */
	before = st;
	assert_int_equal(ev(&st, ECMS_MSD_EV_BAKE_END, T0 + HR(308), &e), ECMS_EREFUSED);
	assert_string_equal(e.message, "bake not ended (continue it, or record bake-abort): "
				       "bake of 8 h at 125 °C is too short for MSL 3, 1.4 mm: "
				       "needs 9 h (J-STD-033 Table 4-1, saturated column: "
				       "exposure 300 h > floor life 168 h + 72 h)");
	assert_true(state_eq(&st, &before));
	/* Other events wait for the bake to end. */
	assert_int_equal(ev_open(&st, T0 + HR(308), -1, &e), ECMS_EREFUSED);
	assert_contains(e.message, "cannot open: the package is being baked");
	assert_int_equal(ev(&st, ECMS_MSD_EV_BAKE_END, T0 + HR(309), &e), ECMS_OK);
	assert_int_equal(st.where, ECMS_MSD_OUT);
	assert_true(st.exposure_ms == 0 && st.expired_ms == -1);
	assert_true(st.last_bake_duration_ms == HR(9));
	assert_true(stat_at(&st, T0 + HR(310)).usable);
	/* An aborted bake counts for nothing. */
	x.at_ms = T0 + HR(320);
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_OK);
	assert_int_equal(ev(&st, ECMS_MSD_EV_BAKE_ABORT, T0 + HR(321), &e), ECMS_OK);
	assert_true(st.exposure_ms == HR(11));
	assert_int_equal(st.bakes, 1);
	assert_int_equal(ev(&st, ECMS_MSD_EV_BAKE_END, T0 + HR(322), &e), ECMS_EREFUSED);
	assert_contains(e.message, "cannot bake-end: no bake is running");
	/* A finished bake must not start before the last recorded change. */
	assert_int_equal(ev_bake(&st, T0 + HR(325), 125, HR(10), -1, &e), ECMS_EREFUSED);
	assert_string_equal(e.message, "the bake would have started at "
				       "2026-01-28T11:00:00.000Z, before the package's last "
				       "recorded change at 2026-01-28T17:00:00.000Z");
	/* A bake of an unopened package opens its bag. */
	st = mk(ECMS_MSL_4, 1400);
	assert_int_equal(ev_bake(&st, T0 + HR(10), 125, HR(7), -1, &e), ECMS_OK);
	assert_int_equal(st.opens, 1);
	assert_true(st.first_open_ms == T0 + HR(3));
	assert_int_equal(st.where, ECMS_MSD_OUT);
}

static void
test_msl6(void **state)
{
	struct ecms_msd_state st = mk(ECMS_MSL_6, 1400);
	struct ecms_msd_status s;
	struct ecms_msd_part part = {.msl = ECMS_MSL_6, .thickness_um = 1400, .tol_ms = HR(6)};
	ecms_error e;

	assert_int_equal(st.bake_flags, ECMS_MSD_NEED_MSL6);
	s = stat_at(&st, T0);
	assert_int_equal(s.phase, ECMS_MSD_NEVER_OPENED);
	assert_false(s.usable);
	assert_true(s.bake_required);
	assert_contains(s.reason, "MSL 6: bake required before use");
	assert_int_equal(ev_open(&st, T0, 5, NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(1));
	assert_int_equal(s.phase, ECMS_MSD_EXPOSED);
	assert_false(s.usable);
	/* Bake before use: the saturated column (5a values by default). */
	assert_int_equal(ev_bake(&st, T0 + HR(20), 125, HR(15), -1, &e), ECMS_EREFUSED);
	assert_contains(e.message, "needs 16 h");
	assert_contains(e.message, "MSL 6 before use");
	assert_int_equal(ev_bake(&st, T0 + HR(20), 125, HR(16), -1, &e), ECMS_OK);
	/* No time on label and no default: still blocked, saying why. */
	s = stat_at(&st, T0 + HR(20));
	assert_false(s.usable);
	assert_false(s.bake_required);
	assert_true(s.floor_life_ms == ECMS_MSD_NO_TOL);
	assert_true(s.remaining_ms == ECMS_MSD_NO_TOL);
	assert_contains(s.reason, "no time on label");
	/* With the label's time: usable for exactly that long. */
	assert_int_equal(ecms_msd_state_init(&st, &part, T0, NULL), ECMS_OK);
	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev_bake(&st, T0 + HR(20), 125, HR(16), -1, NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(20));
	assert_true(s.usable);
	assert_true(s.floor_life_ms == HR(6));
	assert_true(s.ends_ms == T0 + HR(26));
	s = stat_at(&st, T0 + HR(26));
	assert_int_equal(s.phase, ECMS_MSD_EXPIRED);
	/* A second bake after exceeding the TOL: fl72 column again. */
	assert_int_equal(ev_bake(&st, T0 + HR(40), 125, HR(10), -1, NULL), ECMS_OK);
	/* The rule default is used when the label gives none. */
	set_rule("floor_life.6", "8h");
	st = mk(ECMS_MSL_6, 1400);
	assert_int_equal(ev_bake(&st, T0 + HR(16), 125, HR(16), -1, NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(16));
	assert_true(s.usable && s.floor_life_ms == HR(8));
	/* A bad TOL is refused at init. */
	part.tol_ms = -5;
	assert_int_equal(ecms_msd_state_init(&st, &part, T0, &e), ECMS_EINVAL);
}

/* ------------------------------------------------------------------
 * Short-exposure reset
 * ------------------------------------------------------------------ */

static void
test_short_reset(void **state)
{
	static const struct {
		enum ecms_msl msl;
		int exposure_h;
		enum ecms_msd_where dry; /* BAG, CABINET5 or CABINET10 */
		int stay_h;
		const char *key, *value; /* a rule change, or NULL */
		bool reset;
	} rows[] = {
		{ECMS_MSL_3, 10, ECMS_MSD_BAG, 50, NULL, NULL, true},
		{ECMS_MSL_3, 10, ECMS_MSD_BAG, 49, NULL, NULL, false},
		{ECMS_MSL_3, 12, ECMS_MSD_CABINET5, 60, NULL, NULL, true},
		{ECMS_MSL_3, 13, ECMS_MSD_BAG, 500, NULL, NULL, false},
		{ECMS_MSL_2A, 12, ECMS_MSD_BAG, 60, NULL, NULL, true},
		{ECMS_MSL_2, 5, ECMS_MSD_BAG, 25, NULL, NULL, true},
		{ECMS_MSL_4, 8, ECMS_MSD_CABINET5, 80, NULL, NULL, true},
		{ECMS_MSL_4, 8, ECMS_MSD_CABINET5, 79, NULL, NULL, false},
		{ECMS_MSL_4, 9, ECMS_MSD_BAG, 900, NULL, NULL, false},
		{ECMS_MSL_5A, 8, ECMS_MSD_BAG, 80, NULL, NULL, true},
		{ECMS_MSL_5, 6, ECMS_MSD_BAG, 59, NULL, NULL, false},
		/* a <=10 % cabinet is not enough */
		{ECMS_MSL_3, 10, ECMS_MSD_CABINET10, 500, NULL, NULL, false},
		/* the rule is configurable and can be disabled */
		{ECMS_MSL_3, 10, ECMS_MSD_BAG, 500, "short_reset.3.max_exposure", "off", false},
		{ECMS_MSL_3, 10, ECMS_MSD_BAG, 30, "short_reset.3.factor", "3", true},
		{ECMS_MSL_3, 20, ECMS_MSD_BAG, 100, "short_reset.3.max_exposure", "24h", true},
		/* MSL 6 has none by default */
		{ECMS_MSL_6, 1, ECMS_MSD_BAG, 100, NULL, NULL, false},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ecms_msd_part part = {.msl = rows[i].msl, .thickness_um = 1400,
					     .tol_ms = HR(100)};
		struct ecms_msd_state st;
		struct ecms_msd_status s;
		int64_t t_dry = T0 + HR(rows[i].exposure_h);
		int64_t t_out = t_dry + HR(rows[i].stay_h);
		int64_t expect = rows[i].reset ? 0 : HR(rows[i].exposure_h);

		ecms_msd_rules_default(&R);
		if (rows[i].key)
			set_rule(rows[i].key, rows[i].value);
		assert_int_equal(ecms_msd_state_init(&st, &part, T0, NULL), ECMS_OK);
		assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
		if (rows[i].dry == ECMS_MSD_BAG)
			assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, t_dry, NULL), ECMS_OK);
		else
			assert_int_equal(ev_cab(&st, t_dry, rows[i].dry == ECMS_MSD_CABINET5 ? 5 : 10,
						NULL), ECMS_OK);
		/* While still in storage the status shows the reset (or not). */
		s = stat_at(&st, t_out);
		if (rows[i].dry != ECMS_MSD_CABINET10 && s.exposure_ms != expect)
			fail_msg("row %zu: exposure in storage %" PRId64 ", expected %" PRId64,
				 i, s.exposure_ms, expect);
		if (rows[i].reset)
			assert_true(s.reset_ms <= t_out && s.reset_ms > t_dry);
		if (rows[i].dry == ECMS_MSD_BAG)
			assert_int_equal(ev_open(&st, t_out, -1, NULL), ECMS_OK);
		else
			assert_int_equal(ev(&st, ECMS_MSD_EV_CABINET_OUT, t_out, NULL), ECMS_OK);
		if (rows[i].dry == ECMS_MSD_CABINET10)
			expect = HR(rows[i].exposure_h + rows[i].stay_h);
		if (st.exposure_ms != expect)
			fail_msg("row %zu: exposure %" PRId64 ", expected %" PRId64, i,
				 st.exposure_ms, expect);
		assert_int_equal(st.short_resets, rows[i].reset ? 1 : 0);
	}
	/* An expired package is never reset by dry storage. */
	ecms_msd_rules_default(&R);
	set_rule("short_reset.5a.max_exposure", "1000h");
	{
		struct ecms_msd_state st = mk(ECMS_MSL_5A, 1400);
		assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
		assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0 + HR(24), NULL), ECMS_OK);
		assert_int_equal(ev_open(&st, T0 + DAY(400), -1, NULL), ECMS_OK);
		assert_true(st.exposure_ms == HR(24));
		assert_int_equal(stat_at(&st, T0 + DAY(400)).phase, ECMS_MSD_EXPIRED);
	}
}

/* ------------------------------------------------------------------
 * The state machine
 * ------------------------------------------------------------------ */

/* A package of MSL 3 / 1.4 mm in each place, its last event at T0. */
static struct ecms_msd_state
in_place(enum ecms_msd_where w)
{
	struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
	struct ecms_msd_event x;

	if (w == ECMS_MSD_UNOPENED) {
		st.since_ms = T0;
		return st;
	}
	assert_int_equal(ev_open(&st, T0 - HR(1), -1, NULL), ECMS_OK);
	switch (w) {
	case ECMS_MSD_OUT:
		assert_int_equal(ev(&st, ECMS_MSD_EV_EXPIRED, T0, NULL), 0);
		st.bake_flags = 0; /* only the time matters here */
		break;
	case ECMS_MSD_BAG:
		assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0, NULL), 0);
		break;
	case ECMS_MSD_CABINET5:
		assert_int_equal(ev_cab(&st, T0, 5, NULL), 0);
		break;
	case ECMS_MSD_CABINET10:
		assert_int_equal(ev_cab(&st, T0, 10, NULL), 0);
		break;
	default:
		ecms_msd_event_init(&x, ECMS_MSD_EV_BAKE_START, T0);
		x.temp_c = 125;
		assert_int_equal(ecms_msd_apply(&R, &st, &x, NULL), 0);
		break;
	}
	return st;
}

static void
test_transitions(void **state)
{
	/* rows: where; columns: event types 1..10 (restored with the rule off) */
	static const char *const table[ECMS_MSD_WHERE_COUNT] = {
		/*          O S I X B E A K D R */
		[ECMS_MSD_UNOPENED] = "y n n n y n n y y n",
		[ECMS_MSD_OUT] = "n y y n y n n y y n",
		[ECMS_MSD_BAG] = "y n n n y n n y y n",
		[ECMS_MSD_CABINET5] = "n y y y y n n y y n",
		[ECMS_MSD_CABINET10] = "n y y y y n n y y n",
		[ECMS_MSD_OVEN] = "n n n n n y y n y n",
	};

	for (int w = 0; w < ECMS_MSD_WHERE_COUNT; w++) {
		for (int t = ECMS_MSD_EV_OPEN; t < ECMS_MSD_EV_COUNT; t++) {
			struct ecms_msd_state st = in_place((enum ecms_msd_where)w), before = st;
			struct ecms_msd_event x;
			ecms_error e;
			bool ok = table[w][2 * (t - 1)] == 'y';
			int rc;

			ecms_msd_event_init(&x, (enum ecms_msd_event_type)t, T0 + HR(20));
			x.temp_c = 125;
			x.rh_pct = 5;
			x.duration_ms = HR(10);
			ecms_error_clear(&e);
			rc = ecms_msd_apply(&R, &st, &x, &e);
			if ((rc == ECMS_OK) != ok)
				fail_msg("%s + %s: rc %d (%s), expected %s",
					 ecms_msd_where_str((enum ecms_msd_where)w),
					 ecms_msd_event_str((enum ecms_msd_event_type)t), rc, e.message,
					 ok ? "ok" : "refused");
			if (rc) {
				assert_int_equal(rc, ECMS_EREFUSED);
				assert_true(state_eq(&st, &before));
				assert_true(strlen(e.message) > 20);
			} else {
				assert_true(st.since_ms == T0 + HR(20));
				assert_int_equal(ecms_msd_state_check(&st, NULL), ECMS_OK);
			}
			/* Out of order is refused everywhere. */
			st = before;
			x.at_ms = T0 - 1;
			assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EREFUSED);
			assert_contains(e.message, "is out of order: the package's last recorded "
						   "change was at 2026-01-15T08:00:00.000Z");
			assert_true(state_eq(&st, &before));
		}
	}
	{
		struct ecms_msd_state st = in_place(ECMS_MSD_UNOPENED);
		ecms_error e;

		assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0, &e), ECMS_EREFUSED);
		assert_string_equal(e.message, "cannot seal: the package was never opened (its "
					       "dry bag is still sealed; the floor-life clock "
					       "has not started)");
		assert_string_equal(e.field, "state");
		st = in_place(ECMS_MSD_BAG);
		assert_int_equal(ev_cab(&st, T0, 5, &e), ECMS_EREFUSED);
		assert_contains(e.message, "sealed in a dry bag (since "
					   "2026-01-15T08:00:00.000Z); record the bag opening");
		st = in_place(ECMS_MSD_OUT);
		assert_int_equal(ev_open(&st, T0, -1, &e), ECMS_EREFUSED);
		assert_contains(e.message, "cannot open: the package is out of dry storage");
		st = in_place(ECMS_MSD_CABINET5);
		assert_int_equal(ev_open(&st, T0, -1, &e), ECMS_EREFUSED);
		assert_contains(e.message, "record cabinet-out first");
	}
}

static void
test_bad_events(void **state)
{
	struct ecms_msd_state st = mk(ECMS_MSL_3, 1400), before = st;
	struct ecms_msd_event x;
	ecms_error e;

	ecms_msd_event_init(&x, ECMS_MSD_EV_OPEN, T0);
	x.hic_pct = 101;
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "hic");
	ecms_msd_event_init(&x, ECMS_MSD_EV_BAKE, T0 + HR(10));
	x.temp_c = 0;
	x.duration_ms = HR(1);
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "temp");
	x.temp_c = 125;
	x.duration_ms = 0;
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "hours");
	ecms_msd_event_init(&x, (enum ecms_msd_event_type)42, T0);
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EINVAL);
	ecms_msd_event_init(&x, ECMS_MSD_EV_SEAL, -5);
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EINVAL);
	assert_true(state_eq(&st, &before));
	/* eval refuses a "now" before the last event */
	struct ecms_msd_status s;
	assert_int_equal(ecms_msd_eval(&R, &st, st.since_ms - 1, &s, &e), ECMS_EINVAL);
	assert_contains(e.message, "before the package's last recorded change");
	/* init refuses an unknown MSL or thickness */
	struct ecms_msd_part part = {.msl = ECMS_MSL_NONE};
	assert_int_equal(ecms_msd_state_init(&st, &part, T0, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "msl");
	part.msl = ECMS_MSL_3;
	part.thickness_um = 200000;
	assert_int_equal(ecms_msd_state_init(&st, &part, T0, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "thickness");
}

static void
test_state_check(void **state)
{
	struct ecms_msd_state good = in_place(ECMS_MSD_OVEN), st;
	ecms_error e;
	struct ecms_msd_event x;

	assert_int_equal(ecms_msd_state_check(&good, &e), ECMS_OK);
#define CORRUPT(stmt, fld) do { \
	st = good; stmt; \
	assert_int_equal(ecms_msd_state_check(&st, &e), ECMS_EINVAL); \
	assert_string_equal(e.field, fld); \
	ecms_msd_event_init(&x, ECMS_MSD_EV_EXPIRED, T0 + HR(1)); \
	assert_int_equal(ecms_msd_apply(&R, &st, &x, &e), ECMS_EINVAL); \
} while (0)
	CORRUPT(st.msl = ECMS_MSL_NONE, "msl");
	CORRUPT(st.msl = (enum ecms_msl)77, "msl");
	CORRUPT(st.thickness_um = -1, "thickness_um");
	CORRUPT(st.where = (enum ecms_msd_where)9, "where");
	CORRUPT(st.exposure_ms = -1, "exposure_ms");
	CORRUPT(st.cab10_ms = -3, "cab10_ms");
	CORRUPT(st.expired_ms = st.since_ms + 1, "expired_ms");
	CORRUPT(st.bake_flags = 64, "bake_flags");
	CORRUPT(st.hic_pct = 300, "hic_pct");
	CORRUPT(st.oven_temp_c = 0, "oven");
	CORRUPT(st.oven_start_ms = -1, "oven");
	CORRUPT(st.first_open_ms = -1, "first_open_ms");
	CORRUPT(st.opens = 0, "opens");
	CORRUPT(st.bakes = 2, "bakes");
	CORRUPT(st.short_resets = -1, "short_resets");
	CORRUPT(st.since_ms = -7, "since_ms");
#undef CORRUPT
	st = mk(ECMS_MSL_3, 1400);
	st.exposure_ms = 5; /* exposure without ever opening */
	assert_int_equal(ecms_msd_state_check(&st, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "exposure_ms");
	st = mk(ECMS_MSL_3, 1400);
	st.oven_start_ms = T0; /* oven data outside the oven */
	assert_int_equal(ecms_msd_state_check(&st, &e), ECMS_EINVAL);
}

static void
test_rules_check(void **state)
{
	struct ecms_msd_rules good = R;
	struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
	struct ecms_msd_status s;
	ecms_error e;
	int64_t need;

	assert_int_equal(ecms_msd_rules_check(&R, &e), ECMS_OK);
#define CORRUPT(stmt, what) do { \
	R = good; stmt; \
	assert_int_equal(ecms_msd_rules_check(&R, &e), ECMS_EINVAL); \
	assert_contains(e.message, what); \
	assert_int_equal(ev_open(&st, T0, -1, &e), ECMS_EINVAL); \
	assert_int_equal(ecms_msd_eval(&R, &st, T0, &s, &e), ECMS_EINVAL); \
	assert_int_equal(ecms_msd_bake_need(&R, &st, T0, 125, -1, &need, &e), ECMS_EINVAL); \
} while (0)
	CORRUPT(R.floor_life_ms[ECMS_MSL_3] = 0, "floor_life.3 is out of range");
	CORRUPT(R.floor_life_ms[ECMS_MSL_3] = ECMS_MSD_NO_TOL, "floor_life.3");
	CORRUPT(R.hic_bake_at_pct[ECMS_MSL_2A] = 101, "hic.bake_at.2a");
	CORRUPT(R.short_max_ms[ECMS_MSL_4] = 0, "short_reset.4.max_exposure");
	CORRUPT(R.short_factor[ECMS_MSL_5] = 0, "short_reset.5.factor");
	CORRUPT(R.cab10_rate_permille[ECMS_MSL_5A] = -1, "cabinet10.5a.rate");
	CORRUPT(R.cab10_rate_permille[ECMS_MSL_5A] = 1001, "cabinet10.5a.rate");
	CORRUPT(R.cab10_limit_ms[ECMS_MSL_6] = -3, "cabinet10.6.limit");
	CORRUPT(R.dry_max_rh_pct = -1, "storage.dry_max_rh");
	CORRUPT(R.cab10_max_rh_pct = 101, "storage.cabinet10_max_rh");
	CORRUPT(R.fl72_margin_ms = -1, "bake.fl72_margin");
	CORRUPT(R.n_bake = ECMS_MSD_BAKE_ROWS_MAX + 1, "the bake table size");
	CORRUPT(R.bake[3].min_ms[1] = 0, "bake table row 4");
	CORRUPT(R.bake[0].temp_c = 0, "bake table row 1");
	CORRUPT(R.bake[0].max_thickness_um = 0, "bake table row 1");
	CORRUPT(R.bake[R.n_bake - 1].max_thickness_um = 1400, "bake table row");
#undef CORRUPT
	R = good;
}

static void
test_expired_and_restored(void **state)
{
	struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
	struct ecms_msd_status s;
	ecms_error e;

	assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
	assert_int_equal(ev(&st, ECMS_MSD_EV_EXPIRED, T0 + HR(5), NULL), ECMS_OK);
	s = stat_at(&st, T0 + HR(5));
	assert_int_equal(s.phase, ECMS_MSD_EXPIRED);
	assert_false(s.usable);
	assert_true(s.bake_required);
	assert_true(s.remaining_ms == HR(163)); /* the exposure itself is not faked */
	assert_contains(s.reason, "CFX MaterialsExpired");
	/* Dry storage does not clear a reported expiry. */
	assert_int_equal(ev(&st, ECMS_MSD_EV_SEAL, T0 + HR(6), NULL), ECMS_OK);
	assert_int_equal(ev_open(&st, T0 + HR(200), -1, NULL), ECMS_OK);
	assert_int_equal(stat_at(&st, T0 + HR(200)).phase, ECMS_MSD_EXPIRED);
	/* Restored is refused unless configured. */
	assert_int_equal(ev(&st, ECMS_MSD_EV_RESTORED, T0 + HR(201), &e), ECMS_EREFUSED);
	assert_string_equal(e.message, "a CFX MaterialsRestored does not reset the floor "
				       "life here (rule cfx.restored_resets = no): record the "
				       "bake with its temperature and duration");
	/* A reported expiry bakes by the saturated column. */
	assert_int_equal(ev_bake(&st, T0 + HR(210), 125, HR(8), -1, &e), ECMS_EREFUSED);
	assert_contains(e.message, "needs 9 h");
	set_rule("cfx.restored_resets", "yes");
	assert_int_equal(ev(&st, ECMS_MSD_EV_RESTORED, T0 + HR(201), &e), ECMS_OK);
	s = stat_at(&st, T0 + HR(201));
	assert_true(s.usable);
	assert_true(s.exposure_ms == 0);
	assert_int_equal(st.bakes, 1);
	assert_int_equal(st.last_bake_temp_c, 0);
	/* An unopened package can be reported expired (e.g. shelf life). */
	st = mk(ECMS_MSL_3, 1400);
	assert_int_equal(ev(&st, ECMS_MSD_EV_EXPIRED, T0, NULL), ECMS_OK);
	assert_int_equal(stat_at(&st, T0).phase, ECMS_MSD_EXPIRED);
}

/* ------------------------------------------------------------------
 * Rules as text
 * ------------------------------------------------------------------ */

struct kv {
	char key[96], value[64];
};
struct kvlist {
	struct kv *v;
	size_t n, cap;
};

static int
collect(void *arg, const char *key, const char *value, const char *note)
{
	struct kvlist *l = arg;

	assert_non_null(note);
	assert_true(strlen(note) > 5);
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	snprintf(l->v[l->n].key, sizeof(l->v[l->n].key), "%s", key);
	snprintf(l->v[l->n].value, sizeof(l->v[l->n].value), "%s", value);
	l->n++;
	return 0;
}

static int
stop_at_third(void *arg, const char *key, const char *value, const char *note)
{
	int *n = arg;
	return ++*n == 3 ? 42 : 0;
}

static void
test_rules_set(void **state)
{
	static const struct {
		const char *key, *value, *field, *msg;
	} bad[] = {
		{"floor_life.7", "168h", "floor_life.7",
		 "rule key 'floor_life.7': expected floor_life.<msl> with msl one of 1, 2, 2a, "
		 "3, 4, 5, 5a, 6"},
		{"floor_life.3", "168x", "floor_life.3",
		 "rule floor_life.3: '168x' is not valid (expected a floor life such as 168h, "
		 "or unlimited)"},
		{"floor_life.3", "0h", "floor_life.3", NULL},
		{"floor_life.3", "none", "floor_life.3", NULL},
		{"floor_life.6", "unlimited", "floor_life.6", NULL},
		{"hic.bake_at.3", "110%", "hic.bake_at.3", NULL},
		{"hic.bake_at.2b", "10%", "hic.bake_at.2b", NULL},
		{"short_reset.3.factor", "0", "short_reset.3.factor",
		 "rule short_reset.3.factor: '0' is not valid (expected a whole factor from 1 "
		 "to 1000)"},
		{"short_reset.3.max", "1h", "short_reset.3.max", NULL},
		{"short_reset.3.max_exposure", "sometimes", "short_reset.3.max_exposure", NULL},
		{"cabinet10.3.rate", "1.5", "cabinet10.3.rate", NULL},
		{"cabinet10.3.rate", "120%", "cabinet10.3.rate", NULL},
		{"cabinet10.3.limit", "forever", "cabinet10.3.limit", NULL},
		{"storage.dry_max_rh", "5 percent", "storage.dry_max_rh", NULL},
		{"cfx.restored_resets", "maybe", "cfx.restored_resets",
		 "rule cfx.restored_resets: 'maybe' is not valid (expected yes or no)"},
		{"bake.3.1.4mm.125c.saturated", "-9h", "bake.3.1.4mm.125c.saturated", NULL},
		{"bake.3.1.4mm.125c.saturated", "0h", "bake.3.1.4mm.125c.saturated", NULL},
		{"bake.3.1.4mm.125c.colour", "9h", "bake.3.1.4mm.125c.colour",
		 "rule key 'bake.3.1.4mm.125c.colour': 'colour' is not a bake row field "
		 "(expected saturated, fl72 or rh, or none for both columns)"},
		{"bake.3.1.4.125c", "9h", "bake.3.1.4.125c",
		 "rule key 'bake.3.1.4.125c': expected a body thickness such as 1.4mm after "
		 "the MSL (0.001 to 100 mm)"},
		{"bake.7.1.4mm.125c", "9h/7h", "bake.7.1.4mm.125c", NULL},
		{"bake.3.1.4mm.125", "9h/7h", "bake.3.1.4mm.125",
		 "rule key 'bake.3.1.4mm.125': expected an oven temperature such as 125c (1 to "
		 "400 C)"},
		{"bake.3.1.4mm.999c", "9h/7h", "bake.3.1.4mm.999c", NULL},
		{"bake.3.1.4mm.125c", "9h", "bake.3.1.4mm.125c", NULL},
		{"bake.3.1.4mm.125c", "9h/", "bake.3.1.4mm.125c", NULL},
		{"bake.3.1.4mm.125c.rh", "wet", "bake.3.1.4mm.125c.rh", NULL},
		{"bake.3.1.4mm.60c.rh", "5%", "bake.3.1.4mm.60c.rh",
		 "rule bake.3.1.4mm.60c.rh: there is no such bake row; create it first with "
		 "its times (e.g. bake.3.1.4mm.60c = 20h/15h)"},
		{"bake.3.0mm.125c", "9h/7h", "bake.3.0mm.125c", NULL},
		{"bake.3.1.4567mm.125c", "9h/7h", "bake.3.1.4567mm.125c", NULL},
		{"bake.large.c", "9h/7h", "bake.large.c", NULL},
		{"colour", "red", "colour",
		 "unknown MSD rule key 'colour' (expected floor_life.<msl>, hic.bake_at.<msl>, "
		 "short_reset.<msl>.max_exposure|factor, cabinet10.<msl>.rate|limit, "
		 "storage.dry_max_rh, storage.cabinet10_max_rh, bake.fl72_margin, "
		 "cfx.restored_resets, bake.<msl>.<mm>mm.<C>c[.saturated|.fl72|.rh], "
		 "bake.large.<C>c[...])"},
		{"", "1", "key", NULL},
		{"floor_life.3", "   ", "floor_life.3", NULL},
	};
	struct ecms_msd_rules before;
	ecms_error e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		before = R;
		ecms_error_clear(&e);
		if (ecms_msd_rules_set(&R, bad[i].key, bad[i].value, &e) != ECMS_EINVAL)
			fail_msg("%s = %s should be refused", bad[i].key, bad[i].value);
		assert_string_equal(e.field, bad[i].field);
		if (bad[i].msg)
			assert_string_equal(e.message, bad[i].msg);
		assert_true(memcmp(&before, &R, sizeof(R)) == 0);
	}
	assert_int_equal(ecms_msd_rules_set(&R, NULL, "1", &e), ECMS_EINVAL);

	/* Good values land where they should; keys are case-insensitive. */
	set_rule("FLOOR_LIFE.3", " 100h ");
	assert_true(R.floor_life_ms[ECMS_MSL_3] == HR(100));
	set_rule("floor_life.1", "30d");
	assert_true(R.floor_life_ms[ECMS_MSL_1] == DAY(30));
	set_rule("floor_life.1", "unlimited");
	assert_true(R.floor_life_ms[ECMS_MSL_1] == ECMS_MSD_UNLIMITED);
	set_rule("floor_life.6", "none");
	assert_true(R.floor_life_ms[ECMS_MSL_6] == ECMS_MSD_NO_TOL);
	set_rule("hic.bake_at.2A", "5");
	assert_int_equal(R.hic_bake_at_pct[ECMS_MSL_2A], 5);
	set_rule("cabinet10.5a.rate", "0.125");
	assert_int_equal(R.cab10_rate_permille[ECMS_MSL_5A], 125);
	set_rule("storage.cabinet10_max_rh", "12%");
	assert_int_equal(R.cab10_max_rh_pct, 12);
	set_rule("bake.fl72_margin", "48h");
	assert_true(R.fl72_margin_ms == HR(48));
	set_rule("cfx.restored_resets", "on");
	assert_true(R.restored_resets);

	/* Bake rows: change a column, both, the RH; create; delete. */
	size_t n = R.n_bake;
	set_rule("bake.3.1.4mm.125c.fl72", "8h");
	set_rule("bake.3.1.40mm.90c", "34h/24h");
	set_rule("bake.3.1.4mm.90c.rh", "any");
	assert_int_equal(R.n_bake, n);
	{
		struct ecms_msd_state st = mk(ECMS_MSL_3, 1400);
		int64_t need;
		assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
		assert_int_equal(ecms_msd_bake_need(&R, &st, T0 + HR(1), 125, -1, &need, NULL), 0);
		assert_true(need == HR(8));
		assert_int_equal(ecms_msd_bake_need(&R, &st, T0 + HR(1), 90, -1, &need, NULL), 0);
		assert_true(need == HR(24));
		/* a new 60 C row, at 5 % RH by default */
		set_rule("bake.3.1.4mm.60c.saturated", "5d");
		assert_int_equal(R.n_bake, n + 1);
		assert_int_equal(ecms_msd_bake_need(&R, &st, T0 + HR(1), 70, 5, &need, NULL), 0);
		assert_true(need == DAY(5));
		/* a new 150 C row, any RH */
		set_rule("bake.3.1.4mm.150c.fl72", "3h");
		assert_int_equal(ecms_msd_bake_need(&R, &st, T0 + HR(1), 150, -1, &need, NULL), 0);
		assert_true(need == HR(3));
		set_rule("bake.3.1.4mm.150c", "none");
		set_rule("bake.3.1.4mm.60c", "none");
		set_rule("bake.3.1.4mm.60c", "none"); /* deleting twice is fine */
		assert_int_equal(R.n_bake, n);
		/* without a 125 C row the next cooler one applies */
		set_rule("bake.3.1.4mm.125c", "none");
		assert_int_equal(ecms_msd_bake_need(&R, &st, T0 + HR(1), 125, -1, &need, NULL), 0);
		assert_true(need == HR(24));
	}
	/* Level 1 with rows of its own is checked like the others. */
	set_rule("bake.1.2mm.125c", "2h/1h");
	{
		struct ecms_msd_state st = mk(ECMS_MSL_1, 1400);
		int64_t need;
		assert_int_equal(ev_open(&st, T0, -1, NULL), ECMS_OK);
		assert_int_equal(ecms_msd_bake_need(&R, &st, T0, 125, -1, &need, NULL), 0);
		assert_true(need == HR(1));
	}
	/* The table has a hard size. */
	ecms_msd_rules_default(&R);
	{
		char key[64];
		int rc = ECMS_OK;
		for (int t = 41; t < 400 && rc == ECMS_OK; t++) {
			snprintf(key, sizeof(key), "bake.4.1.4mm.%dc", t);
			rc = ecms_msd_rules_set(&R, key, "1h/1h", &e);
		}
		assert_int_equal(rc, ECMS_EINVAL);
		assert_contains(e.message, "the bake table is full (128 rows)");
		assert_int_equal(R.n_bake, ECMS_MSD_BAKE_ROWS_MAX);
	}
}

static bool
dumps_equal(const struct kvlist *a, const struct kvlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, b->v[i].key) || strcmp(a->v[i].value, b->v[i].value))
			return false;
	return true;
}

static void
test_rules_dump(void **state)
{
	struct kvlist a = {0}, b = {0};
	struct ecms_msd_rules fresh;
	int n = 0;

	assert_int_equal(ecms_msd_rules_dump(&R, collect, &a), 0);
	/* 8 floor lives, 8 HIC limits, 16 short-reset, 16 cabinet10, 4 single
	 * rules, and 3 keys for each of 7 levels x 3 thicknesses x 3 temps + 1. */
	assert_int_equal(a.n, 8 + 8 + 16 + 16 + 4 + 3 * (7 * 9 + 1));
	assert_string_equal(a.v[0].key, "floor_life.1");
	assert_string_equal(a.v[0].value, "unlimited");
	assert_string_equal(a.v[3].key, "floor_life.3");
	assert_string_equal(a.v[3].value, "168h");
	assert_string_equal(a.v[1].value, "365d");
	assert_string_equal(a.v[2].value, "28d");
	assert_string_equal(a.v[7].key, "floor_life.6");
	assert_string_equal(a.v[7].value, "none");
	for (size_t i = 0; i < a.n; i++) {
		if (strcmp(a.v[i].key, "bake.3.1.4mm.125c.saturated") == 0)
			assert_string_equal(a.v[i].value, "9h");
		if (strcmp(a.v[i].key, "bake.3.1.4mm.40c.fl72") == 0)
			assert_string_equal(a.v[i].value, "9d");
		if (strcmp(a.v[i].key, "bake.3.2.0mm.90c.saturated") == 0)
			assert_string_equal(a.v[i].value, "96h");
		if (strcmp(a.v[i].key, "bake.3.1.4mm.125c.rh") == 0)
			assert_string_equal(a.v[i].value, "any");
		if (strcmp(a.v[i].key, "bake.3.1.4mm.90c.rh") == 0)
			assert_string_equal(a.v[i].value, "5%");
		if (strcmp(a.v[i].key, "hic.bake_at.2") == 0)
			assert_string_equal(a.v[i].value, "60%");
		if (strcmp(a.v[i].key, "cabinet10.3.rate") == 0)
			assert_string_equal(a.v[i].value, "1");
		if (strcmp(a.v[i].key, "short_reset.4.factor") == 0)
			assert_string_equal(a.v[i].value, "10");
	}
	assert_string_equal(a.v[a.n - 3].key, "bake.large.125c.saturated");
	/* Every dumped value sets back to the same rules. */
	ecms_msd_rules_default(&fresh);
	for (size_t i = 0; i < a.n; i++) {
		ecms_error e;
		if (ecms_msd_rules_set(&fresh, a.v[i].key, a.v[i].value, &e))
			fail_msg("%s = %s: %s", a.v[i].key, a.v[i].value, e.message);
	}
	assert_true(memcmp(&fresh, &R, sizeof(R)) == 0);
	/* Changed rules round-trip too (a site's overrides, applied at load). */
	set_rule("floor_life.3", "100h");
	set_rule("cabinet10.4.rate", "0.333");
	set_rule("cabinet10.4.limit", "36h");
	set_rule("short_reset.5.max_exposure", "off");
	set_rule("bake.4.3.0mm.60c", "30d/20d");
	set_rule("bake.large.90c", "12d/10d");
	set_rule("bake.large.90c.rh", "3%");
	set_rule("floor_life.6", "6h");
	a.n = 0;
	assert_int_equal(ecms_msd_rules_dump(&R, collect, &a), 0);
	ecms_msd_rules_default(&fresh);
	for (size_t i = 0; i < a.n; i++)
		assert_int_equal(ecms_msd_rules_set(&fresh, a.v[i].key, a.v[i].value, NULL), 0);
	assert_int_equal(ecms_msd_rules_dump(&fresh, collect, &b), 0);
	assert_true(dumps_equal(&a, &b));
	/* The walk stops when the callback says so. */
	assert_int_equal(ecms_msd_rules_dump(&R, stop_at_third, &n), 42);
	assert_int_equal(n, 3);
	free(a.v);
	free(b.v);
}

/* ------------------------------------------------------------------
 * Property test: random event sequences against a reference model
 * ------------------------------------------------------------------ */

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

static int
pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* The model's own copy of the default bake table at 125 C and 90 C, in
 * hours, {saturated, fl72}; class 0: <=1.4, 1: <=2.0, 2: <=4.5 mm. */
static int
model_table(int msl, int cls, int temp90, int col)
{
	static const int t[6][2][2][2] = {
		/* 2a */ {{{5, 3}, {17, 11}}, {{21, 16}, {72, 48}}},
		/* 3 */ {{{9, 7}, {33, 23}}, {{27, 17}, {96, 48}}},
		/* 4 */ {{{11, 7}, {37, 23}}, {{34, 20}, {120, 72}}},
		/* 5 */ {{{12, 7}, {41, 24}}, {{40, 25}, {144, 96}}},
		/* 5a */ {{{16, 10}, {54, 24}}, {{48, 40}, {192, 144}}},
	};
	int k;

	if (cls == 2)
		return temp90 ? 240 : 48;
	switch (msl) {
	case ECMS_MSL_2: case ECMS_MSL_2A: k = 0; break;
	case ECMS_MSL_3: k = 1; break;
	case ECMS_MSL_4: k = 2; break;
	case ECMS_MSL_5: k = 3; break;
	default: k = 4; break; /* 5a and 6 */
	}
	return t[k][cls][temp90][col];
}

struct model {
	int msl;
	int32_t um;
	bool large;
	int64_t tol;
	int where; /* enum ecms_msd_where */
	int64_t since, exp, cab10;
	unsigned flags;
	int64_t oven_start;
	int oven_temp, oven_rh;
	int hic;
};

struct mrules {
	int rate;          /* cabinet10 per mille */
	int64_t limit;     /* cabinet10 limit, -1 unlimited */
	bool short_on;
	int64_t short_max[ECMS_MSL_COUNT];
	int short_factor[ECMS_MSL_COUNT];
	bool restored;
	const char *name;
};

static int64_t
m_fl(const struct model *m)
{
	static const int64_t fl[ECMS_MSL_COUNT] = {
		0, -1, DAY(365), HR(672), HR(168), HR(72), HR(48), HR(24), -2
	};
	if (m->msl == ECMS_MSL_6)
		return m->tol > 0 ? m->tol : -2;
	return fl[m->msl];
}

/* Advance the model to t, one hour at a time. */
static bool
m_advance(struct model *m, const struct mrules *mr, int64_t t)
{
	int64_t fl = m_fl(m);
	bool reset = false;

	if (m->where == ECMS_MSD_OUT || m->where == ECMS_MSD_CABINET10) {
		for (int64_t h = m->since; h < t; h += HR(1)) {
			if (m->where == ECMS_MSD_CABINET10 &&
			    (mr->limit < 0 || m->cab10 < mr->limit)) {
				m->exp += HR(1) / 1000 * mr->rate;
				m->cab10 += HR(1);
			} else {
				m->exp += HR(1);
			}
		}
	} else if (m->where == ECMS_MSD_BAG || m->where == ECMS_MSD_CABINET5) {
		int64_t max = mr->short_on ? mr->short_max[m->msl] : -1;
		if (max > 0 && m->exp > 0 && m->exp <= max && (fl < 0 || m->exp < fl) &&
		    t - m->since >= mr->short_factor[m->msl] * m->exp) {
			m->exp = 0;
			reset = true;
		}
	}
	m->since = t;
	return reset;
}

/* The model's shortest bake, or -1 when the table has no row. */
static int64_t
m_need(const struct model *m, int temp, int rh)
{
	int64_t fl = m_fl(m), thick = -1, big = -1;
	int col, cls;

	if (m->msl == ECMS_MSL_1)
		return 0;
	col = (m->flags || fl == -2 || (fl >= 0 && m->exp > fl + HR(72))) ? 0 : 1;
	cls = m->um == 0 ? 2 : m->um <= 1400 ? 0 : m->um <= 2000 ? 1 : m->um <= 4500 ? 2 : -1;
	bool t90 = temp < 125;
	if (temp < 90 || (t90 && rh != 5))
		thick = -1;
	else if (cls >= 0)
		thick = HR(model_table(m->msl, cls, t90, col));
	if (m->large && temp >= 125)
		big = HR(96);
	if (thick < 0 && big < 0)
		return -1;
	return thick > big ? thick : big;
}

static void
m_bake_done(struct model *m, int64_t t)
{
	m->where = ECMS_MSD_OUT;
	m->since = t;
	m->exp = 0;
	m->cab10 = 0;
	m->flags = 0;
}

/* Apply one event to the model: true if it should be accepted. *reset says
 * whether a decrease of exposure is legitimate. */
static bool
m_apply(struct model *m, const struct mrules *mr, const struct ecms_msd_event *x,
	bool *reset)
{
	int w = m->where;
	bool dry = w == ECMS_MSD_CABINET5 || w == ECMS_MSD_CABINET10;

	*reset = false;
	if (x->at_ms < m->since)
		return false;
	switch (x->type) {
	case ECMS_MSD_EV_OPEN:
		if (w != ECMS_MSD_UNOPENED && w != ECMS_MSD_BAG)
			return false;
		*reset = m_advance(m, mr, x->at_ms);
		m->where = ECMS_MSD_OUT;
		if (x->hic_pct >= 0) {
			m->hic = x->hic_pct;
			int lim = m->msl == ECMS_MSL_1 ? 1000 : m->msl == ECMS_MSL_2 ? 60 : 10;
			if (x->hic_pct >= lim)
				m->flags |= ECMS_MSD_NEED_HIC;
		}
		return true;
	case ECMS_MSD_EV_SEAL:
		if (w != ECMS_MSD_OUT && !dry)
			return false;
		*reset = m_advance(m, mr, x->at_ms);
		m->where = ECMS_MSD_BAG;
		return true;
	case ECMS_MSD_EV_CABINET_IN:
		if (w != ECMS_MSD_OUT && !dry)
			return false;
		if (x->rh_pct > 10)
			return false;
		*reset = m_advance(m, mr, x->at_ms);
		m->where = x->rh_pct >= 0 && x->rh_pct <= 5 ? ECMS_MSD_CABINET5
							     : ECMS_MSD_CABINET10;
		return true;
	case ECMS_MSD_EV_CABINET_OUT:
		if (!dry)
			return false;
		*reset = m_advance(m, mr, x->at_ms);
		m->where = ECMS_MSD_OUT;
		return true;
	case ECMS_MSD_EV_BAKE_START: {
		struct model c = *m;
		bool r2 = m_advance(&c, mr, x->at_ms);
		if (w == ECMS_MSD_OVEN || m_need(&c, x->temp_c, x->rh_pct) < 0)
			return false;
		*m = c;
		*reset = r2;
		m->where = ECMS_MSD_OVEN;
		m->oven_start = x->at_ms;
		m->oven_temp = x->temp_c;
		m->oven_rh = x->rh_pct;
		return true;
	}
	case ECMS_MSD_EV_BAKE_END: {
		int64_t need;
		if (w != ECMS_MSD_OVEN)
			return false;
		need = m_need(m, m->oven_temp, m->oven_rh);
		if (need < 0 || x->at_ms - m->oven_start < need)
			return false;
		m_bake_done(m, x->at_ms);
		*reset = true;
		return true;
	}
	case ECMS_MSD_EV_BAKE_ABORT:
		if (w != ECMS_MSD_OVEN)
			return false;
		m->where = ECMS_MSD_OUT;
		m->since = x->at_ms;
		return true;
	case ECMS_MSD_EV_BAKE: {
		struct model c = *m;
		int64_t need;
		if (w == ECMS_MSD_OVEN || x->at_ms - x->duration_ms < m->since)
			return false;
		m_advance(&c, mr, x->at_ms - x->duration_ms);
		need = m_need(&c, x->temp_c, x->rh_pct);
		if (need < 0 || x->duration_ms < need)
			return false;
		*m = c;
		m_bake_done(m, x->at_ms);
		*reset = true;
		return true;
	}
	case ECMS_MSD_EV_EXPIRED:
		*reset = m_advance(m, mr, x->at_ms);
		m->flags |= ECMS_MSD_NEED_REPORTED;
		return true;
	case ECMS_MSD_EV_RESTORED:
		if (!mr->restored || w == ECMS_MSD_OVEN)
			return false;
		m_bake_done(m, x->at_ms);
		*reset = true;
		return true;
	default:
		return false;
	}
}

static void
m_expect(const struct model *m0, const struct mrules *mr, int64_t now, int *phase,
	 int64_t *exp, bool *usable)
{
	struct model m = *m0;
	int64_t fl;

	m_advance(&m, mr, now);
	fl = m_fl(&m);
	*exp = m.exp;
	if (m.where == ECMS_MSD_OVEN)
		*phase = ECMS_MSD_BAKING;
	else if ((m.flags & ECMS_MSD_NEED_REPORTED) || (fl >= 0 && m.exp >= fl))
		*phase = ECMS_MSD_EXPIRED;
	else if (m.where == ECMS_MSD_UNOPENED)
		*phase = ECMS_MSD_NEVER_OPENED;
	else if (m.where == ECMS_MSD_OUT)
		*phase = ECMS_MSD_EXPOSED;
	else
		*phase = ECMS_MSD_DRY;
	*usable = !(m.where == ECMS_MSD_OVEN || m.flags || (fl >= 0 && m.exp >= fl) ||
		    fl == -2);
}

static void
random_event(struct ecms_msd_event *x, int64_t t)
{
	static const int hics[] = {-1, -1, 0, 5, 5, 10, 60};
	static const int rhs[] = {-1, 3, 5, 5, 8, 10, 20};
	static const int types[] = {
		ECMS_MSD_EV_OPEN, ECMS_MSD_EV_OPEN, ECMS_MSD_EV_SEAL, ECMS_MSD_EV_SEAL,
		ECMS_MSD_EV_CABINET_IN, ECMS_MSD_EV_CABINET_IN, ECMS_MSD_EV_CABINET_OUT,
		ECMS_MSD_EV_CABINET_OUT, ECMS_MSD_EV_BAKE_START, ECMS_MSD_EV_BAKE_END,
		ECMS_MSD_EV_BAKE_END, ECMS_MSD_EV_BAKE_ABORT, ECMS_MSD_EV_BAKE,
		ECMS_MSD_EV_BAKE, ECMS_MSD_EV_EXPIRED, ECMS_MSD_EV_RESTORED,
	};
	int gap;

	switch (pick(5)) {
	case 0: gap = 0; break;
	case 1: gap = pick(13); break;
	case 2: gap = pick(60); break;
	case 3: gap = pick(200); break;
	default: gap = pick(700); break;
	}
	ecms_msd_event_init(x, (enum ecms_msd_event_type)types[pick(16)], t + HR(gap));
	x->hic_pct = hics[pick(7)];
	x->rh_pct = x->type == ECMS_MSD_EV_CABINET_IN ? rhs[pick(7)] : pick(3) ? -1 : 5;
	x->temp_c = pick(4) ? 125 : 90;
	x->duration_ms = HR(1 + pick(pick(2) ? 60 : 300));
	if (x->type == ECMS_MSD_EV_BAKE && pick(3) == 0)
		x->at_ms = t + x->duration_ms + HR(pick(3)); /* mostly valid placement */
}

struct pstats {
	long seqs, events, accepted, refused, resets, bakes, expired, evals;
};

static void
run_sequence(const struct mrules *mr, int msl, struct pstats *ps)
{
	static const int32_t ums[] = {0, 900, 1400, 1800, 2000, 3000, 6000};
	struct ecms_msd_part part = {.msl = (enum ecms_msl)msl};
	struct ecms_msd_state st;
	struct model m = {0};
	int n = 5 + pick(40);

	part.thickness_um = ums[pick(7)];
	part.large_body = pick(4) == 0;
	part.tol_ms = msl == ECMS_MSL_6 ? HR(pick(3) * 6) : 0;
	assert_int_equal(ecms_msd_state_init(&st, &part, T0, NULL), ECMS_OK);
	m.msl = msl;
	m.um = part.thickness_um;
	m.large = part.large_body;
	m.tol = part.tol_ms;
	m.since = T0;
	m.flags = msl == ECMS_MSL_6 ? ECMS_MSD_NEED_MSL6 : 0;
	m.hic = -1;
	ps->seqs++;
	for (int i = 0; i < n; i++) {
		struct ecms_msd_event x;
		struct ecms_msd_state before = st;
		struct ecms_msd_status s;
		ecms_error e;
		bool reset, ok;
		int rc, phase;
		int64_t exp, now;
		bool usable;

		random_event(&x, st.since_ms);
		if (pick(40) == 0)
			x.at_ms = st.since_ms - HR(1); /* out of order */
		ok = m_apply(&m, mr, &x, &reset);
		ecms_error_clear(&e);
		rc = ecms_msd_apply(&R, &st, &x, &e);
		ps->events++;
		if ((rc == ECMS_OK) != ok)
			fail_msg("[%s] MSL %s, %d um%s, event %d %s at +%" PRId64 "h (temp %d rh "
				 "%d dur %" PRId64 "h hic %d) from %s: library rc %d (%s), model %s",
				 mr->name, ecms_msl_str((enum ecms_msl)msl), part.thickness_um,
				 part.large_body ? " large" : "", i, ecms_msd_event_str(x.type),
				 (x.at_ms - T0) / HR(1), x.temp_c, x.rh_pct, x.duration_ms / HR(1),
				 x.hic_pct, ecms_msd_where_str(before.where), rc, e.message,
				 ok ? "accepts" : "refuses");
		if (rc) {
			assert_int_equal(rc, ECMS_EREFUSED);
			assert_true(e.message[0] != '\0');
			assert_true(state_eq(&st, &before));
			ps->refused++;
			continue;
		}
		ps->accepted++;
		/* Invariants of the stored state. */
		assert_int_equal(ecms_msd_state_check(&st, NULL), ECMS_OK);
		assert_true(st.exposure_ms >= 0);
		if (st.exposure_ms < before.exposure_ms) {
			if (!reset)
				fail_msg("[%s] exposure fell from %" PRId64 " to %" PRId64 " on %s "
					 "without a bake or a configured reset", mr->name,
					 before.exposure_ms, st.exposure_ms,
					 ecms_msd_event_str(x.type));
			if (x.type != ECMS_MSD_EV_BAKE && x.type != ECMS_MSD_EV_BAKE_END &&
			    x.type != ECMS_MSD_EV_RESTORED) {
				assert_true(st.short_resets == before.short_resets + 1);
				ps->resets++;
			} else {
				assert_true(st.bakes == before.bakes + 1);
				ps->bakes++;
			}
		}
		if (st.exposure_ms != m.exp || st.where != (enum ecms_msd_where)m.where ||
		    st.bake_flags != m.flags || st.since_ms != m.since)
			fail_msg("[%s] MSL %s after %s: library where %s exp %" PRId64 " flags %u, "
				 "model where %s exp %" PRId64 " flags %u", mr->name,
				 ecms_msl_str((enum ecms_msl)msl), ecms_msd_event_str(x.type),
				 ecms_msd_where_str(st.where), st.exposure_ms, st.bake_flags,
				 ecms_msd_where_str((enum ecms_msd_where)m.where), m.exp, m.flags);
		/* The status at a random later time. */
		now = st.since_ms + HR(pick(pick(2) ? 30 : 400));
		assert_int_equal(ecms_msd_eval(&R, &st, now, &s, &e), ECMS_OK);
		ps->evals++;
		m_expect(&m, mr, now, &phase, &exp, &usable);
		if (s.exposure_ms != exp || (int)s.phase != phase || s.usable != usable)
			fail_msg("[%s] MSL %s eval at +%" PRId64 "h: library exp %" PRId64
				 " phase %s usable %d (%s); model exp %" PRId64 " phase %s "
				 "usable %d", mr->name, ecms_msl_str((enum ecms_msl)msl),
				 (now - T0) / HR(1), s.exposure_ms, ecms_msd_phase_str(s.phase),
				 s.usable, s.reason, exp,
				 ecms_msd_phase_str((enum ecms_msd_phase)phase), usable);
		assert_true(s.exposure_ms >= 0);
		if (s.floor_life_ms >= 0)
			assert_true(s.remaining_ms == s.floor_life_ms - s.exposure_ms);
		else
			assert_true(s.remaining_ms == s.floor_life_ms);
		assert_true(s.usable == (s.reason[0] == '\0'));
		if (s.phase == ECMS_MSD_EXPIRED) {
			assert_false(s.usable);
			ps->expired++;
		}
		if (s.ends_ms >= 0)
			assert_true(s.ends_ms > now && (s.where == ECMS_MSD_OUT ||
							s.where == ECMS_MSD_CABINET10));
		else if (s.floor_life_ms >= 0 && s.remaining_ms > 0 && s.rate_permille > 0)
			fail_msg("[%s] clock runs but no end time", mr->name);
		/* The status is consistent with the clock running on to its end. */
		if (s.ends_ms >= 0 && s.ends_ms - now < DAY(100)) {
			struct ecms_msd_status at_end, before_end;
			assert_int_equal(ecms_msd_eval(&R, &st, s.ends_ms, &at_end, NULL), 0);
			assert_int_equal(ecms_msd_eval(&R, &st, s.ends_ms - 1, &before_end, NULL), 0);
			assert_true(at_end.remaining_ms <= 0);
			assert_true(before_end.remaining_ms > 0);
			assert_true(at_end.expired_ms == s.ends_ms);
		}
	}
}

static void
test_property(void **state)
{
	struct mrules configs[4];
	struct pstats total = {0};

	for (int c = 0; c < 4; c++) {
		struct mrules *mr = &configs[c];

		ecms_msd_rules_default(&R);
		memset(mr, 0, sizeof(*mr));
		mr->rate = 1000;
		mr->limit = -1;
		mr->short_on = true;
		for (int m = 0; m < ECMS_MSL_COUNT; m++) {
			bool low = m == ECMS_MSL_2 || m == ECMS_MSL_2A || m == ECMS_MSL_3;
			bool high = m == ECMS_MSL_4 || m == ECMS_MSL_5 || m == ECMS_MSL_5A;
			mr->short_max[m] = low ? HR(12) : high ? HR(8) : -1;
			mr->short_factor[m] = low ? 5 : 10;
		}
		switch (c) {
		case 0:
			mr->name = "defaults";
			break;
		case 1:
			mr->name = "cabinet10 paused for 48 h";
			mr->rate = 0;
			mr->limit = HR(48);
			for (int m = 1; m < ECMS_MSL_COUNT; m++) {
				char k[64];
				snprintf(k, sizeof(k), "cabinet10.%s.rate", ecms_msl_str(m));
				set_rule(k, "0");
				snprintf(k, sizeof(k), "cabinet10.%s.limit", ecms_msl_str(m));
				set_rule(k, "48h");
			}
			break;
		case 2:
			mr->name = "cabinet10 half speed, no short reset, restore resets";
			mr->rate = 500;
			mr->short_on = false;
			mr->restored = true;
			set_rule("cfx.restored_resets", "yes");
			for (int m = 1; m < ECMS_MSL_COUNT; m++) {
				char k[64];
				snprintf(k, sizeof(k), "cabinet10.%s.rate", ecms_msl_str(m));
				set_rule(k, "0.5");
				snprintf(k, sizeof(k), "short_reset.%s.max_exposure", ecms_msl_str(m));
				set_rule(k, "off");
			}
			break;
		default:
			mr->name = "cabinet10 quarter speed 100 h, generous short reset";
			mr->rate = 250;
			mr->limit = HR(100);
			for (int m = 1; m < ECMS_MSL_COUNT; m++) {
				char k[64];
				snprintf(k, sizeof(k), "cabinet10.%s.rate", ecms_msl_str(m));
				set_rule(k, "25%");
				snprintf(k, sizeof(k), "cabinet10.%s.limit", ecms_msl_str(m));
				set_rule(k, "100h");
				snprintf(k, sizeof(k), "short_reset.%s.max_exposure", ecms_msl_str(m));
				set_rule(k, "24h");
				snprintf(k, sizeof(k), "short_reset.%s.factor", ecms_msl_str(m));
				set_rule(k, "2");
				mr->short_max[m] = HR(24);
				mr->short_factor[m] = 2;
			}
			break;
		}
		for (int msl = ECMS_MSL_1; msl < ECMS_MSL_COUNT; msl++) {
			struct pstats ps = {0};

			rng = UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)(c * 1000 + msl);
			for (int i = 0; i < 500; i++)
				run_sequence(mr, msl, &ps);
			/* Each level must have seen both outcomes and real work. */
			assert_true(ps.accepted > 1000 && ps.refused > 1000);
			if (msl != ECMS_MSL_1)
				assert_true(ps.bakes > 50);
			if (msl != ECMS_MSL_1 && msl != ECMS_MSL_2)
				assert_true(ps.expired > 50);
			total.seqs += ps.seqs;
			total.events += ps.events;
			total.accepted += ps.accepted;
			total.refused += ps.refused;
			total.resets += ps.resets;
			total.bakes += ps.bakes;
			total.expired += ps.expired;
			total.evals += ps.evals;
		}
	}
	assert_true(total.resets > 100);
	print_message("property: %ld sequences, %ld events (%ld accepted, %ld refused), "
		      "%ld evals, %ld bakes, %ld short resets, %ld expired statuses\n",
		      total.seqs, total.events, total.accepted, total.refused, total.evals,
		      total.bakes, total.resets, total.expired);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_msl_parse, setup),
		cmocka_unit_test_setup(test_duration, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_floor_life_per_msl, setup),
		cmocka_unit_test_setup(test_msl1_unlimited, setup),
		cmocka_unit_test_setup(test_dry_storage_pauses, setup),
		cmocka_unit_test_setup(test_cabinet10, setup),
		cmocka_unit_test_setup(test_hic, setup),
		cmocka_unit_test_setup(test_bake_table, setup),
		cmocka_unit_test_setup(test_bake_start_end, setup),
		cmocka_unit_test_setup(test_msl6, setup),
		cmocka_unit_test_setup(test_short_reset, setup),
		cmocka_unit_test_setup(test_transitions, setup),
		cmocka_unit_test_setup(test_bad_events, setup),
		cmocka_unit_test_setup(test_state_check, setup),
		cmocka_unit_test_setup(test_rules_check, setup),
		cmocka_unit_test_setup(test_expired_and_restored, setup),
		cmocka_unit_test_setup(test_rules_set, setup),
		cmocka_unit_test_setup(test_rules_dump, setup),
		cmocka_unit_test_setup(test_property, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
