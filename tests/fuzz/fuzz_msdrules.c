/*
 * fuzz_msdrules.c: libFuzzer target for the MSD rule text
 * (ecms_msd_rules_set). The input is lines "key=value". After applying
 * them it checks that the dump sets back to identical rules, and runs a
 * fixed event sequence for every MSL under the fuzzed rules, checking the
 * engine's invariants (valid state, exposure never negative, remaining =
 * floor life - exposure).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/msd.h"

#define HR(x) ((int64_t)(x) * INT64_C(3600000))
#define T0 INT64_C(1768464000000)

struct text {
	char buf[65536];
	size_t len;
};

static int
append(void *arg, const char *key, const char *value, const char *note)
{
	struct text *t = arg;
	int n = snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s=%s\n", key, value);

	if (n < 0 || (size_t)n >= sizeof(t->buf) - t->len)
		abort();
	t->len += (size_t)n;
	return 0;
}

static void
check_status(const struct ecms_msd_rules *r, const struct ecms_msd_state *st, int64_t now)
{
	struct ecms_msd_status s;

	if (ecms_msd_state_check(st, NULL) != ECMS_OK)
		abort();
	if (ecms_msd_eval(r, st, now, &s, NULL) != ECMS_OK)
		abort();
	if (s.exposure_ms < 0)
		abort();
	if (s.floor_life_ms >= 0 && s.remaining_ms != s.floor_life_ms - s.exposure_ms)
		abort();
	if (s.usable != (s.reason[0] == '\0'))
		abort();
}

static void
run_events(const struct ecms_msd_rules *r)
{
	static const struct {
		enum ecms_msd_event_type t;
		int h, hic, rh, temp, dur_h;
	} seq[] = {
		{ECMS_MSD_EV_OPEN, 0, 5, -1, 0, 0},
		{ECMS_MSD_EV_CABINET_IN, 3, -1, 10, 0, 0},
		{ECMS_MSD_EV_CABINET_OUT, 80, -1, -1, 0, 0},
		{ECMS_MSD_EV_SEAL, 84, -1, -1, 0, 0},
		{ECMS_MSD_EV_OPEN, 300, 10, -1, 0, 0},
		{ECMS_MSD_EV_CABINET_IN, 301, -1, 5, 0, 0},
		{ECMS_MSD_EV_CABINET_OUT, 400, -1, -1, 0, 0},
		{ECMS_MSD_EV_BAKE_START, 401, -1, 5, 90, 0},
		{ECMS_MSD_EV_BAKE_END, 480, -1, -1, 0, 0},
		{ECMS_MSD_EV_BAKE_ABORT, 481, -1, -1, 0, 0},
		{ECMS_MSD_EV_BAKE, 600, -1, -1, 125, 100},
		{ECMS_MSD_EV_EXPIRED, 700, -1, -1, 0, 0},
		{ECMS_MSD_EV_RESTORED, 701, -1, -1, 0, 0},
		{ECMS_MSD_EV_BAKE, 900, -1, 5, 40, 150},
	};

	for (int msl = ECMS_MSL_1; msl < ECMS_MSL_COUNT; msl++) {
		struct ecms_msd_part part = {.msl = (enum ecms_msl)msl, .thickness_um = 1400};
		struct ecms_msd_state st;

		if (ecms_msd_state_init(&st, &part, T0, NULL) != ECMS_OK)
			abort();
		for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
			struct ecms_msd_event ev;
			struct ecms_msd_state before = st;
			int rc;

			ecms_msd_event_init(&ev, seq[i].t, T0 + HR(seq[i].h));
			ev.hic_pct = seq[i].hic;
			ev.rh_pct = seq[i].rh;
			ev.temp_c = seq[i].temp;
			ev.duration_ms = HR(seq[i].dur_h);
			rc = ecms_msd_apply(r, &st, &ev, NULL);
			if (rc != ECMS_OK && rc != ECMS_EREFUSED)
				abort();
			if (rc == ECMS_OK && st.exposure_ms < before.exposure_ms &&
			    st.bakes == before.bakes && st.short_resets == before.short_resets)
				abort();
			check_status(r, &st, st.since_ms);
			check_status(r, &st, st.since_ms + HR(1000));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ecms_msd_rules r, back;
	static struct text a, b;
	char line[256];
	size_t i = 0;

	if (size > 8192)
		return 0;
	ecms_msd_rules_default(&r);
	while (i < size) {
		size_t n = 0;
		char *eq;
		ecms_error e;

		while (i < size && data[i] != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = data[i] ? (char)data[i] : ' ';
			i++;
		}
		i++;
		line[n] = '\0';
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		if (ecms_msd_rules_set(&r, line, eq + 1, &e) != ECMS_OK &&
		    (e.rc != ECMS_EINVAL || e.message[0] == '\0'))
			abort();
	}
	if (ecms_msd_rules_check(&r, NULL) != ECMS_OK)
		abort();
	/* The dump, set onto defaults with an empty bake table, is the same. */
	a.len = b.len = 0;
	if (ecms_msd_rules_dump(&r, append, &a) != ECMS_OK)
		abort();
	ecms_msd_rules_default(&back);
	back.n_bake = 0;
	for (char *p = a.buf, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		char *eq = strchr(p, '=');
		*nl = '\0';
		*eq = '\0';
		if (ecms_msd_rules_set(&back, p, eq + 1, NULL) != ECMS_OK)
			abort();
		*eq = '=';
		*nl = '\n';
	}
	if (ecms_msd_rules_dump(&back, append, &b) != ECMS_OK || a.len != b.len ||
	    memcmp(a.buf, b.buf, a.len) != 0)
		abort();
	run_events(&r);
	return 0;
}
