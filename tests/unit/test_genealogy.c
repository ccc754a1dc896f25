/*
 * test_genealogy.c: the genealogy engine against ground truth.
 *
 * Small cases pin the rules (programs, setup, late passes, exact records,
 * rework, errors, all-or-nothing, allocation failures). Then a seeded
 * simulator runs a line of two machines with 20 slots each through
 * thousands of boards, with reel changes, splices (some with grey
 * zones), exact records (agreeing, resolving, contradicting, some before
 * their pass) and rework. It tracks the physical truth (which reel fed
 * which refdes) and, independently of the engine, which reels were on
 * each slot during each board's window. Every board's backward trace and
 * the forward trace of many reels must match it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "ecms/event.h"
#include "ecms/genealogy.h"
#include "store/store.h"

#define OK(h, expr)                                                                                \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ != ECMS_OK)                                                                \
			fail_msg("%s:%d: %s: rc %d: %s", __FILE__, __LINE__, #expr, rc_,           \
				 ecms_errmsg(h));                                                  \
	} while (0)

#define T(min, sec) (TU_NOW_MS + (int64_t)(min)*60000 + (int64_t)(sec)*1000)

/* ------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t
rnd(uint64_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return n ? (rng_state * UINT64_C(2685821657736338717)) % n : 0;
}

static int64_t
head(ecms *h)
{
	int64_t seq;
	char hash[65];

	assert_int_equal(ecms_log_head(h, &seq, hash), ECMS_OK);
	return seq;
}

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), ECMS_OK);
	return n;
}

/* Set a program from "slot:ipn:ref,ref;slot:ipn:ref". */
static int
program(ecms *h, const char *name, const char *machine, const char *spec, int64_t *version)
{
	struct ecms_gen_slotmap sm[64];
	const char *refs[64][16];
	char buf[2048], *save = NULL, *tok;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *c1 = strchr(tok, ':'), *c2, *r, *s2 = NULL;
		size_t k = 0;
		assert_non_null(c1);
		*c1++ = '\0';
		c2 = strchr(c1, ':');
		assert_non_null(c2);
		*c2++ = '\0';
		for (r = strtok_r(c2, ",", &s2); r; r = strtok_r(NULL, ",", &s2))
			refs[n][k++] = r;
		sm[n] = (struct ecms_gen_slotmap){ tok, c1, refs[n], k };
		n++;
	}
	return ecms_gen_program_set(h, name, machine, sm, n, version);
}

/* The part entry of refdes in a backward trace (borrowed), or NULL. */
static json_t *
part(json_t *trace, const char *refdes)
{
	json_t *parts = json_object_get(trace, "parts"), *p;
	size_t i;

	json_array_foreach(parts, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "refdes")), refdes) == 0)
			return p;
	}
	return NULL;
}

/* Check one part: uid (NULL: expect ambiguous with candidates cands,
 * space-separated, in any order) and source. */
static void
expect_part(ecms *h, const char *board, const char *refdes, const char *uid, const char *cands,
	    const char *source)
{
	json_t *t = NULL, *p, *c;

	OK(h, ecms_gen_trace_board(h, board, &t));
	p = part(t, refdes);
	if (p == NULL)
		fail_msg("board %s: no part %s", board, refdes);
	if (strcmp(json_string_value(json_object_get(p, "source")), source) != 0)
		fail_msg("board %s %s: source %s, expected %s", board, refdes,
			 json_string_value(json_object_get(p, "source")), source);
	c = json_object_get(p, "candidates");
	if (uid) {
		const char *got = json_string_value(json_object_get(p, "uid"));
		if (got == NULL || strcmp(got, uid) != 0)
			fail_msg("board %s %s: uid %s, expected %s", board, refdes,
				 got ? got : "null", uid);
		assert_true(json_is_false(json_object_get(p, "ambiguous")));
	} else {
		char want[512], *save = NULL, *tok;
		size_t n = 0;
		assert_true(json_is_null(json_object_get(p, "uid")));
		if (!json_is_true(json_object_get(p, "ambiguous")))
			fail_msg("board %s %s: not ambiguous", board, refdes);
		snprintf(want, sizeof(want), "%s", cands);
		for (tok = strtok_r(want, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			bool found = false;
			size_t i;
			json_t *v;
			json_array_foreach(c, i, v)
				found |= strcmp(json_string_value(v), tok) == 0;
			if (!found)
				fail_msg("board %s %s: candidate %s missing", board, refdes, tok);
			n++;
		}
		assert_int_equal(json_array_size(c), n);
	}
	json_decref(t);
}

/* The forward trace of one uid as "board:refdes,...|amb,..." per board, joined by ' '. */
static char *
forward(ecms *h, const char *const *uids, size_t n)
{
	json_t *arr = NULL, *b;
	size_t i;
	char *out = calloc(1, 1 << 20);
	size_t len = 0;

	OK(h, ecms_gen_trace_packages(h, uids, n, &arr));
	json_array_foreach(arr, i, b) {
		json_t *v;
		size_t j;
		len += (size_t)snprintf(out + len, (1 << 20) - len, "%s%s:", i ? " " : "",
					json_string_value(json_object_get(b, "board")));
		json_array_foreach(json_object_get(b, "refdes"), j, v)
			len += (size_t)snprintf(out + len, (1 << 20) - len, "%s%s", j ? "," : "",
						json_string_value(v));
		if (json_array_size(json_object_get(b, "ambiguous"))) {
			len += (size_t)snprintf(out + len, (1 << 20) - len, "|");
			json_array_foreach(json_object_get(b, "ambiguous"), j, v)
				len += (size_t)snprintf(out + len, (1 << 20) - len, "%s%s",
							j ? "," : "", json_string_value(v));
		}
	}
	json_decref(arr);
	return out;
}

static void
expect_forward(ecms *h, const char *uid, const char *want)
{
	const char *uids[] = { uid };
	char *got = forward(h, uids, 1);

	if (strcmp(got, want) != 0)
		fail_msg("forward %s: got \"%s\", expected \"%s\"", uid, got, want);
	free(got);
}

/* ------------------------------------------------------------------
 * Small cases
 * ------------------------------------------------------------------ */

static void
test_program(void **state)
{
	ecms *h = tu_open_store("gen_program.db");
	int64_t v = 0, before;
	json_t *p = NULL;

	OK(h, program(h, "P1", "M1", "S1:IPN-A:C1,C2;S2:IPN-B:R1", &v));
	assert_int_equal(v, 1);
	before = head(h);
	OK(h, program(h, "P1", "M1", "S1:IPN-A:C1,C2;S2:IPN-B:R1", &v));
	assert_int_equal(v, 1);
	assert_int_equal(head(h), before); /* unchanged: no event */
	OK(h, program(h, "P1", "M1", "S1:IPN-A:C1;S2:IPN-B:R1,C2", &v));
	assert_int_equal(v, 2);
	OK(h, ecms_gen_program_get(h, "P1", "M1", &p));
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 2);
	assert_string_equal(
		json_string_value(json_array_get(
			json_object_get(json_array_get(json_object_get(p, "slots"), 1), "refdes"),
			1)),
		"C2");
	json_decref(p);
	/* The same name on another machine is another program. */
	OK(h, program(h, "P1", "M2", "S1:IPN-C:U1", &v));
	assert_int_equal(v, 1);

	assert_int_equal(program(h, "P1", "M1", "S1:IPN-A:C1;S1:IPN-B:R1", NULL), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "slot 'S1' appears twice"));
	assert_int_equal(program(h, "P1", "M1", "S1:IPN-A:C1;S2:IPN-B:C1", NULL), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "refdes 'C1' appears twice"));
	assert_int_equal(program(h, "P1", "M1", "S1:IPN-A:C 1", NULL), ECMS_EINVAL);
	assert_string_equal(ecms_errfield(h), "refdes");
	assert_int_equal(ecms_gen_program_set(h, "P1", "M1", NULL, 0, NULL), ECMS_EINVAL);
	assert_int_equal(ecms_gen_program_get(h, "P9", "M1", &p), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "machine 'M1' has no program 'P9'"));
	ecms_close(h);
}

static void
test_setup(void **state)
{
	ecms *h = tu_open_store("gen_setup.db");
	json_t *s = NULL;
	int64_t before;

	OK(h, ecms_gen_load(h, "M1", "S1", "REEL-A", T(0, 0)));
	OK(h, ecms_gen_load(h, "M1", "S2", "REEL-B", T(0, 1)));
	before = head(h);
	OK(h, ecms_gen_load(h, "M1", "S1", "REEL-A", T(0, 2))); /* no change */
	assert_int_equal(head(h), before);
	OK(h, ecms_gen_splice(h, "M1", "S1", "REEL-C", T(1, 0), 5));
	OK(h, ecms_gen_setup(h, "M1", &s));
	assert_int_equal(json_integer_value(json_object_get(s, "epoch")), 3);
	{
		json_t *s1 = json_array_get(json_object_get(s, "slots"), 0);
		assert_true(json_is_null(json_object_get(s1, "uid")));
		assert_int_equal(json_array_size(json_object_get(s1, "candidates")), 2);
		assert_int_equal(json_integer_value(json_object_get(s1, "grey_left")), 5);
	}
	json_decref(s);
	/* Older than the latest change: refused, nothing written. */
	before = head(h);
	assert_int_equal(ecms_gen_load(h, "M1", "S3", "REEL-D", T(0, 30)), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "earlier than its latest setup change"));
	assert_int_equal(head(h), before);
	/* Unload by UID: the feeding package; the depleted one of a splice
	 * cannot be unloaded by UID (it is not feeding). */
	assert_int_equal(ecms_gen_unload_uid(h, "REEL-A", T(2, 0)), ECMS_ENOTFOUND);
	OK(h, ecms_gen_unload_uid(h, "REEL-B", T(2, 0)));
	OK(h, ecms_gen_unload(h, "M1", "S2", T(2, 1))); /* empty already */
	assert_int_equal(ecms_gen_unload(h, "M1", "S9", T(2, 1)), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "no slot 'S9'"));
	assert_int_equal(ecms_gen_unload(h, "M9", "S1", T(2, 1)), ECMS_ENOTFOUND);
	assert_int_equal(ecms_gen_setup(h, "M9", &s), ECMS_ENOTFOUND);
	assert_int_equal(ecms_gen_load(h, "M1", "S1", "has space", T(3, 0)), ECMS_EINVAL);
	assert_string_equal(ecms_errfield(h), "uid");
	/* Seconds instead of milliseconds: a time in 1970, earlier than the
	 * latest change. */
	assert_int_equal(ecms_gen_load(h, "M1", "S1", "R", 1768464000), ECMS_EINVAL);
	ecms_close(h);
}

static void
test_move(void **state)
{
	ecms *h = tu_open_store("gen_move.db");

	OK(h, program(h, "P1", "M1", "S1:I1:C1;S2:I1:C2", NULL));
	OK(h, program(h, "P2", "M2", "S1:I1:C3", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "REEL-A", T(0, 0)));
	OK(h, ecms_gen_load(h, "M1", "S2", "REEL-A", T(0, 10))); /* moved to S2 */
	OK(h, ecms_gen_board_pass(h, "B1", "WO1", "M1", "P1", T(1, 0), T(1, 30)));
	expect_part(h, "B1", "C2", "REEL-A", NULL, "timeline");
	expect_part(h, "B1", "C1", NULL, "", "timeline");       /* S1 empty: unknown */
	OK(h, ecms_gen_load(h, "M2", "S1", "REEL-A", T(2, 0))); /* to another machine */
	OK(h, ecms_gen_board_pass(h, "B2", "WO1", "M1", "P1", T(3, 0), T(3, 30)));
	OK(h, ecms_gen_board_pass(h, "B2", "WO1", "M2", "P2", T(4, 0), T(4, 30)));
	expect_part(h, "B2", "C2", NULL, "", "timeline");
	expect_part(h, "B2", "C3", "REEL-A", NULL, "timeline");
	expect_forward(h, "REEL-A", "B1:C2 B2:C3");
	ecms_close(h);
}

/* A pass that arrives after a later setup change still gets the setup it
 * ran with; a setup change that arrives after a pass whose window reaches
 * past it makes that pass span both epochs. */
static void
test_late_pass(void **state)
{
	ecms *h = tu_open_store("gen_late.db");

	OK(h, program(h, "P1", "M1", "S1:I1:C1,C2;S2:I2:R1", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "REEL-A", T(0, 0)));
	OK(h, ecms_gen_load(h, "M1", "S2", "REEL-R", T(0, 0)));
	OK(h, ecms_gen_load(h, "M1", "S1", "REEL-B", T(10, 0)));
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "M1", "P1", T(5, 0), T(5, 40)));
	OK(h, ecms_gen_board_pass(h, "B2", NULL, "M1", "P1", T(9, 30), T(10, 20)));
	OK(h, ecms_gen_board_pass(h, "B3", NULL, "M1", "P1", T(10, 0), T(10, 40)));
	expect_part(h, "B1", "C1", "REEL-A", NULL, "timeline");
	expect_part(h, "B2", "C2", NULL, "REEL-A REEL-B", "timeline");
	expect_part(h, "B2", "R1", "REEL-R", NULL, "timeline");
	/* A change exactly at t_start counts as before the board. */
	expect_part(h, "B3", "C1", "REEL-B", NULL, "timeline");
	/* B4's pass is recorded; then a splice inside its window arrives. */
	OK(h, ecms_gen_board_pass(h, "B4", NULL, "M1", "P1", T(11, 0), T(11, 40)));
	expect_part(h, "B4", "C1", "REEL-B", NULL, "timeline");
	OK(h, ecms_gen_splice(h, "M1", "S1", "REEL-C", T(11, 20), 0));
	expect_part(h, "B4", "C1", NULL, "REEL-B REEL-C", "timeline");
	expect_part(h, "B4", "R1", "REEL-R", NULL, "timeline");
	expect_forward(h, "REEL-B", "B2:|C1,C2 B3:C1,C2 B4:|C1,C2");
	expect_forward(h, "REEL-R", "B1:R1 B2:R1 B3:R1 B4:R1");
	ecms_close(h);
}

/* Passes whose window spans many setup changes (the span tiers of the
 * forward scan), including spans that grow when late changes arrive. */
static void
test_long_pass(void **state)
{
	ecms *h = tu_open_store("gen_long.db");
	char uid[16], want[64];
	json_t *t = NULL;

	OK(h, program(h, "P1", "M1", "S1:I1:C1;S2:I2:C2", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "A", T(0, 0)));
	for (int i = 0; i < 70; i++) {
		snprintf(uid, sizeof(uid), "R%02d", i);
		OK(h, ecms_gen_load(h, "M1", "S2", uid, T(1, i)));
	}
	OK(h, ecms_gen_board_pass(h, "B70", NULL, "M1", "P1", T(0, 30), T(2, 30))); /* 70 */
	OK(h, ecms_gen_board_pass(h, "B20", NULL, "M1", "P1", T(1, 30), T(1, 50))); /* 20 */
	OK(h, ecms_gen_board_pass(h, "B0", NULL, "M1", "P1", T(0, 30), T(0, 40)));
	/* Recorded first; ten changes inside its window arrive afterwards. */
	OK(h, ecms_gen_board_pass(h, "BL", NULL, "M1", "P1", T(3, 0), T(4, 0)));
	for (int i = 0; i < 10; i++) {
		snprintf(uid, sizeof(uid), "L%02d", i);
		OK(h, ecms_gen_load(h, "M1", "S2", uid, T(3, 10 + i)));
	}
	assert_int_equal(count(h, "SELECT tier FROM gen_passes WHERE last_epoch - first_epoch "
				  "= 70"),
			 2);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes WHERE tier = 1"), 2);
	/* Boards in the order they were first seen. */
	expect_forward(h, "A", "B70:C1 B20:C1 B0:C1 BL:C1");
	expect_forward(h, "R05", "B70:|C2");
	expect_forward(h, "R69", "B70:|C2 BL:|C2");
	expect_forward(h, "L09", "BL:|C2");
	expect_forward(h, "R40", "B70:|C2 B20:|C2");
	expect_forward(h, "R55", "B70:|C2");
	OK(h, ecms_gen_trace_board(h, "B70", &t));
	assert_int_equal(json_array_size(json_object_get(part(t, "C2"), "candidates")), 70);
	json_decref(t);
	snprintf(want, sizeof(want), "%s", "R69 L00 L01 L02 L03 L04 L05 L06 L07 L08 L09");
	expect_part(h, "BL", "C2", NULL, want, "timeline");
	ecms_close(h);
}

static void
test_unknown(void **state)
{
	ecms *h = tu_open_store("gen_unknown.db");
	json_t *t = NULL;

	assert_int_equal(ecms_gen_board_pass(h, "B1", NULL, "M9", "P1", T(0, 0), T(0, 1)),
			 ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "unknown machine 'M9'"));
	/* A machine the line names without telling ecms first: recorded. */
	OK(h, ecms_gen_load(h, "LINE3-NXT-07", "1-12-L", "REEL-A", T(0, 0)));
	assert_int_equal(ecms_gen_board_pass(h, "B1", NULL, "LINE3-NXT-07", "P1", T(1, 0), T(1, 1)),
			 ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "has no program 'P1'"));
	OK(h, program(h, "P1", "LINE3-NXT-07", "1-12-L:I1:C1", NULL));
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "LINE3-NXT-07", "P1", T(1, 0), T(1, 1)));
	expect_part(h, "B1", "C1", "REEL-A", NULL, "timeline");
	/* A program on a machine without setup: nothing known, never a pick. */
	OK(h, program(h, "P2", "M2", "S1:I1:C9", NULL));
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "M2", "P2", T(2, 0), T(2, 1)));
	expect_part(h, "B1", "C9", NULL, "", "timeline");
	assert_int_equal(ecms_gen_trace_board(h, "B404", &t), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "unknown board 'B404'"));
	assert_int_equal(ecms_gen_board_pass(h, "B2", NULL, "M2", "P2", T(3, 1), T(3, 0)),
			 ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "ends"));
	assert_int_equal(ecms_gen_board_pass(h, "B1", "WO7", "M2", "P2", T(4, 0), T(4, 1)),
			 ECMS_OK);
	assert_int_equal(ecms_gen_board_pass(h, "B1", "WO8", "M2", "P2", T(5, 0), T(5, 1)),
			 ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "belongs to work order 'WO7'"));
	/* The same pass twice: nothing new; a different one at the same start: refused. */
	{
		int64_t before = head(h);
		OK(h, ecms_gen_board_pass(h, "B1", NULL, "M2", "P2", T(4, 0), T(4, 1)));
		assert_int_equal(head(h), before);
		assert_int_equal(ecms_gen_board_pass(h, "B1", NULL, "M2", "P2", T(4, 0), T(4, 9)),
				 ECMS_EEXIST);
	}
	ecms_close(h);
}

static void
test_grey_zone(void **state)
{
	ecms *h = tu_open_store("gen_grey.db");
	struct ecms_gen_install_report rep;
	const char *c12[] = { "C1", "C2" };

	/* S1 places 2 parts per board: a grey zone of 3 parts lasts 2 boards. */
	OK(h, program(h, "P1", "M1", "S1:I1:C1,C2;S2:I2:R1", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "OLD", T(0, 0)));
	OK(h, ecms_gen_load(h, "M1", "S2", "RR", T(0, 0)));
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "M1", "P1", T(1, 0), T(1, 30)));
	OK(h, ecms_gen_splice(h, "M1", "S1", "NEW", T(1, 45), 3));
	OK(h, ecms_gen_board_pass(h, "B2", NULL, "M1", "P1", T(2, 0), T(2, 30)));
	OK(h, ecms_gen_board_pass(h, "B3", NULL, "M1", "P1", T(3, 0), T(3, 30)));
	OK(h, ecms_gen_board_pass(h, "B4", NULL, "M1", "P1", T(4, 0), T(4, 30)));
	expect_part(h, "B1", "C1", "OLD", NULL, "timeline");
	expect_part(h, "B2", "C1", NULL, "OLD NEW", "timeline");
	expect_part(h, "B3", "C2", NULL, "OLD NEW", "timeline");
	expect_part(h, "B4", "C1", "NEW", NULL, "timeline");
	expect_part(h, "B3", "R1", "RR", NULL, "timeline");
	/* A second splice, ended early by an exact record showing the new reel. */
	OK(h, ecms_gen_splice(h, "M1", "S1", "NEW2", T(4, 45), 50));
	OK(h, ecms_gen_board_pass(h, "B5", NULL, "M1", "P1", T(5, 0), T(5, 30)));
	{
		struct ecms_gen_install r = { "B5", "M1", "NEW2", c12, 2 };
		OK(h, ecms_gen_installed(h, &r, 1, T(5, 31), &rep));
		assert_int_equal(rep.resolved, 2);
	}
	OK(h, ecms_gen_board_pass(h, "B6", NULL, "M1", "P1", T(6, 0), T(6, 30)));
	expect_part(h, "B5", "C1", "NEW2", NULL, "exact");
	expect_part(h, "B6", "C1", "NEW2", NULL, "timeline");
	expect_forward(h, "NEW", "B2:|C1,C2 B3:|C1,C2 B4:C1,C2");
	expect_forward(h, "NEW2", "B5:C1,C2 B6:C1,C2");
	/* Splice chain inside a grey zone: three candidates. */
	OK(h, ecms_gen_splice(h, "M1", "S1", "N3", T(7, 0), 10));
	OK(h, ecms_gen_splice(h, "M1", "S1", "N4", T(7, 1), 10));
	OK(h, ecms_gen_board_pass(h, "B7", NULL, "M1", "P1", T(8, 0), T(8, 30)));
	expect_part(h, "B7", "C1", NULL, "NEW2 N3 N4", "timeline");
	ecms_close(h);
}

static void
test_exact_and_rework(void **state)
{
	ecms *h = tu_open_store("gen_exact.db");
	struct ecms_gen_install_report rep;
	const char *c1[] = { "C1" }, *c2[] = { "C2" }, *c12[] = { "C1", "C2" }, *r1[] = { "R1" };
	const char *x9[] = { "X9" };
	json_t *t = NULL, *rw;

	OK(h, program(h, "P1", "M1", "S1:I1:C1,C2;S2:I2:R1", NULL));
	OK(h, program(h, "P2", "M2", "S1:I3:U1", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "A", T(0, 0)));
	OK(h, ecms_gen_load(h, "M1", "S2", "R", T(0, 0)));
	OK(h, ecms_gen_load(h, "M2", "S1", "U", T(0, 0)));
	OK(h, ecms_gen_board_pass(h, "B1", "WO1", "M1", "P1", T(1, 0), T(1, 30)));
	/* Agreeing: nothing stored. */
	{
		struct ecms_gen_install r[] = { { "B1", "M1", "A", c12, 2 },
						{ "B1", "M1", "R", r1, 1 } };
		OK(h, ecms_gen_installed(h, r, 2, T(1, 31), &rep));
		assert_int_equal(rep.agreed, 3);
		assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_exceptions"), 0);
	}
	/* A swap inside B2's window: ambiguous, then resolved by exact data;
	 * the exact record also contradicts R1, and names a refdes the
	 * program does not know. */
	OK(h, ecms_gen_unload(h, "M1", "S1", T(2, 10)));
	OK(h, ecms_gen_load(h, "M1", "S1", "B", T(2, 20)));
	OK(h, ecms_gen_board_pass(h, "B2", "WO1", "M1", "P1", T(2, 0), T(2, 30)));
	expect_part(h, "B2", "C1", NULL, "A B", "timeline");
	{
		struct ecms_gen_install r[] = { { "B2", "M1", "A", c1, 1 },
						{ "B2", "M1", "B", c2, 1 },
						{ "B2", "M1", "FOREIGN", r1, 1 },
						{ "B2", "M1", "Z", x9, 1 } };
		OK(h, ecms_gen_installed(h, r, 4, T(2, 31), &rep));
		assert_int_equal(rep.resolved, 2);
		assert_int_equal(rep.contradicted, 1);
		assert_int_equal(rep.unplanned, 1);
	}
	expect_part(h, "B2", "C1", "A", NULL, "exact");
	expect_part(h, "B2", "C2", "B", NULL, "exact");
	expect_part(h, "B2", "R1", "FOREIGN", NULL, "exact");
	expect_part(h, "B2", "X9", "Z", NULL, "exact");
	OK(h, ecms_gen_trace_board(h, "B2", &t));
	assert_string_equal(
		json_string_value(json_array_get(json_object_get(part(t, "R1"), "timeline"), 0)),
		"R");
	json_decref(t);
	expect_forward(h, "R", "B1:R1");
	expect_forward(h, "FOREIGN", "B2:R1");
	expect_forward(h, "A", "B1:C1,C2 B2:C1");
	/* Exact data before the pass (pending), then the pass: the agreeing
	 * refdes is dropped, the differing one kept. */
	{
		struct ecms_gen_install r[] = { { "B3", "M2", "U", (const char *[]){ "U1" }, 1 } };
		OK(h, ecms_gen_installed(h, r, 1, T(3, 0), &rep));
		assert_int_equal(rep.pending, 1);
		assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_exceptions WHERE pending = 1"),
				 1);
		OK(h, ecms_gen_board_pass(h, "B3", "WO1", "M2", "P2", T(3, 0), T(3, 30)));
		assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_exceptions WHERE pending = 1"),
				 0);
		expect_part(h, "B3", "U1", "U", NULL, "timeline");
		r[0].uid = "V";
		r[0].board = "B4";
		OK(h, ecms_gen_installed(h, r, 1, T(4, 0), &rep));
		OK(h, ecms_gen_board_pass(h, "B4", "WO1", "M2", "P2", T(4, 0), T(4, 30)));
		expect_part(h, "B4", "U1", "V", NULL, "exact");
	}
	/* Rework: history kept, forward trace follows. */
	OK(h, ecms_gen_rework(h, "B1", "C2", "NEWREEL", "tech1", "tombstoned", T(9, 0)));
	OK(h, ecms_gen_rework(h, "B1", "C2", NULL, "tech2", "removed for analysis", T(9, 5)));
	OK(h, ecms_gen_rework(h, "B2", "C1", "K", NULL, "cracked", T(9, 10)));
	expect_part(h, "B2", "C1", "K", NULL, "rework");
	OK(h, ecms_gen_trace_board(h, "B1", &t));
	/* Removed: no package, and not ambiguous either. */
	assert_true(json_is_null(json_object_get(part(t, "C2"), "uid")));
	assert_true(json_is_false(json_object_get(part(t, "C2"), "ambiguous")));
	assert_int_equal(json_array_size(json_object_get(part(t, "C2"), "candidates")), 0);
	assert_string_equal(json_string_value(json_object_get(part(t, "C2"), "source")), "rework");
	rw = json_object_get(t, "rework");
	assert_int_equal(json_array_size(rw), 2);
	assert_string_equal(
		json_string_value(json_array_get(json_object_get(json_array_get(rw, 0), "old"), 0)),
		"A");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rw, 0), "old_source")),
			    "timeline");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rw, 1), "user")),
			    "tech2");
	assert_true(json_is_null(json_object_get(json_array_get(rw, 1), "new")));
	assert_string_equal(
		json_string_value(json_array_get(json_object_get(json_array_get(rw, 1), "old"), 0)),
		"NEWREEL");
	json_decref(t);
	OK(h, ecms_gen_trace_board(h, "B2", &t));
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(t, "rework"), 0), "user")),
			    "tester");
	json_decref(t);
	expect_forward(h, "A", "B1:C1");
	expect_forward(h, "NEWREEL", "");
	expect_forward(h, "K", "B2:C1");
	/* Exact data after rework does not undo it. */
	{
		struct ecms_gen_install r[] = { { "B2", "M1", "A", c1, 1 } };
		OK(h, ecms_gen_installed(h, r, 1, T(9, 20), &rep));
		assert_int_equal(rep.superseded, 1);
		expect_part(h, "B2", "C1", "K", NULL, "rework");
	}
	assert_int_equal(ecms_gen_rework(h, "B1", "C77", "K", "t", "x", T(9, 30)), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "has no refdes 'C77'"));
	assert_int_equal(ecms_gen_rework(h, "B99", "C1", "K", "t", "x", T(9, 30)), ECMS_ENOTFOUND);
	assert_int_equal(ecms_gen_rework(h, "B1", "C1", "K", "t", "", T(9, 30)), ECMS_EINVAL);
	assert_string_equal(ecms_errfield(h), "reason");
	{
		/* A refdes named twice in one batch: the last wins. */
		struct ecms_gen_install r[] = { { "B1", "M1", "Q1", r1, 1 },
						{ "B1", "M1", "Q2", r1, 1 } };
		OK(h, ecms_gen_installed(h, r, 2, T(9, 40), &rep));
		expect_part(h, "B1", "R1", "Q2", NULL, "exact");
	}
	ecms_close(h);
}

/* A bad record makes the whole batch fail, and a failing call inside a
 * caller's transaction takes the whole transaction back. */
static void
test_all_or_nothing(void **state)
{
	ecms *h = tu_open_store("gen_aon.db");
	const char *c1[] = { "C1" }, *bad[] = { "C 2" };
	struct ecms_gen_install r[] = { { "B1", "M1", "X", c1, 1 },
					{ "B1", "M1", "Y", c1, 1 },
					{ "B1", "M1", "Z", bad, 1 } };
	int64_t before, passes;
	int rc;

	OK(h, program(h, "P1", "M1", "S1:I1:C1,C2", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "A", T(0, 0)));
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "M1", "P1", T(1, 0), T(1, 30)));
	before = head(h);
	assert_int_equal(ecms_gen_installed(h, r, 3, T(1, 31), NULL), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "record 3: refdes 'C 2'"));
	assert_int_equal(head(h), before);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_exceptions"), 0);

	passes = count(h, "SELECT COUNT(*) FROM gen_passes");
	OK(h, ecms__begin(h));
	rc = ecms_gen_board_pass(h, "B2", NULL, "M1", "P1", T(2, 0), T(2, 30));
	if (rc == ECMS_OK)
		rc = ecms_gen_splice(h, "M1", "S1", "B", T(2, 40), 4);
	if (rc == ECMS_OK)
		rc = ecms_gen_rework(h, "B2", "C9", "K", "t", "x", T(3, 0));
	assert_int_equal(rc, ECMS_ENOTFOUND);
	assert_int_equal(ecms__end(h, rc), ECMS_ENOTFOUND);
	assert_int_equal(head(h), before);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes"), passes);
	assert_int_equal(count(h, "SELECT cur_epoch FROM gen_machines WHERE name = 'M1'"), 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_boards WHERE serial = 'B2'"), 0);
	ecms_close(h);
}

/* Every allocation of each call fails in turn: each failure returns
 * ECMS_ENOMEM and leaves the store as it was; then the call succeeds. */
typedef int (*op_fn)(ecms *h, json_t **out);

static int
op_program(ecms *h, json_t **out)
{
	return program(h, "P1", "M1", "S1:I1:C1,C2;S2:I2:R1;S3:I3:U1", NULL);
}
static int
op_load(ecms *h, json_t **out)
{
	return ecms_gen_load(h, "M1", "S2", "R", T(0, 1));
}
static int
op_load_move(ecms *h, json_t **out)
{
	return ecms_gen_load(h, "M1", "S3", "R", T(0, 2));
}
static int
op_splice(ecms *h, json_t **out)
{
	return ecms_gen_splice(h, "M1", "S1", "B", T(1, 10), 3);
}
static int
op_pass(ecms *h, json_t **out)
{
	return ecms_gen_board_pass(h, "B1", "WO", "M1", "P1", T(1, 0), T(1, 30));
}
static int
op_pass2(ecms *h, json_t **out)
{
	return ecms_gen_board_pass(h, "B2", "WO", "M1", "P1", T(2, 0), T(2, 30));
}
static int
op_installed(ecms *h, json_t **out)
{
	const char *c[] = { "C1", "C2" }, *u[] = { "U1" };
	struct ecms_gen_install r[] = { { "B2", "M1", "B", c, 2 }, { "B2", "M1", "Q", u, 1 } };
	return ecms_gen_installed(h, r, 2, T(2, 31), NULL);
}
static int
op_pending(ecms *h, json_t **out)
{
	const char *c[] = { "C1", "C2" };
	struct ecms_gen_install r[] = { { "B3", "M1", "B", c, 2 } };
	return ecms_gen_installed(h, r, 1, T(3, 0), NULL);
}
static int
op_pass3(ecms *h, json_t **out)
{
	return ecms_gen_board_pass(h, "B3", "WO", "M1", "P1", T(3, 0), T(3, 30));
}
static int
op_rework(ecms *h, json_t **out)
{
	return ecms_gen_rework(h, "B1", "C1", "K", "t", "why", T(4, 0));
}
static int
op_trace(ecms *h, json_t **out)
{
	return ecms_gen_trace_board(h, "B1", out);
}
static int
op_forward(ecms *h, json_t **out)
{
	const char *u[] = { "A", "B", "K" };
	return ecms_gen_trace_packages(h, u, 3, out);
}
static int
op_board_get(ecms *h, json_t **out)
{
	struct ecms_gen_board b;
	int rc = ecms_gen_board_get(h, "B2", &b);

	if (rc == ECMS_OK) {
		assert_int_equal(b.nparts, 4);
		ecms_gen_board_cleanup(&b);
	} else {
		assert_null(b.parts);
	}
	return rc;
}
static int
op_carriers_get(ecms *h, json_t **out)
{
	const char *u[] = { "A", "B", "K", "Q" };
	struct ecms_gen_carriers c;
	int rc = ecms_gen_carriers_get(h, u, 4, &c);

	if (rc == ECMS_OK) {
		assert_int_equal(c.n, 3);
		ecms_gen_carriers_cleanup(&c);
	} else {
		assert_null(c.boards);
	}
	return rc;
}
static int
op_setup(ecms *h, json_t **out)
{
	return ecms_gen_setup(h, "M1", out);
}
static int
op_get(ecms *h, json_t **out)
{
	return ecms_gen_program_get(h, "P1", "M1", out);
}

static void
test_alloc_failures(void **state)
{
	static const op_fn ops[] = { op_program, op_load,   op_load_move, op_splice,
				     op_pass,    op_pass2,  op_installed, op_pending,
				     op_pass3,   op_rework, op_trace,     op_forward,
				     op_setup,   op_get,    op_board_get, op_carriers_get };
	ecms *h = tu_open_store("gen_alloc.db");

	OK(h, ecms_gen_load(h, "M1", "S1", "A", T(0, 0)));
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int rc = ECMS_ENOMEM;
		for (long n = 1; rc == ECMS_ENOMEM && n < 100000; n++) {
			int64_t before = head(h);
			json_t *out = NULL;
			ecms__alloc_fail_after(n);
			rc = ops[i](h, &out);
			ecms__alloc_fail_after(0);
			if (rc == ECMS_ENOMEM) {
				assert_null(out);
				assert_int_equal(head(h), before);
			} else if (rc != ECMS_OK) {
				fail_msg("op %zu, failing allocation %ld: rc %d: %s", i, n, rc,
					 ecms_errmsg(h));
			}
			json_decref(out);
		}
		assert_int_equal(rc, ECMS_OK);
	}
	expect_part(h, "B1", "C1", "K", NULL, "rework");
	expect_part(h, "B2", "U1", "Q", NULL, "exact");
	expect_part(h, "B3", "C1", "B", NULL, "timeline");
	ecms_close(h);
}

/* ------------------------------------------------------------------
 * The line simulator
 * ------------------------------------------------------------------ */

#define NM      2    /* machines */
#define NS      20   /* slots per machine used by the programs */
#define NB      2500 /* boards */
#define MAXK    4    /* refdes per slot */
#define MAXW    8    /* packages a slot can see in one window */
#define BSWITCH 1200 /* from this board on, M1 runs program version 2 */
#define CYCLE   60000
#define DUR     40000
#define OFFSET  45000

enum { K_TIMELINE, K_EXACT, K_REWORK };

static char (*reel_names)[24];
static int nreels, capreels;

static int
new_reel(const char *prefix, int a, int b)
{
	if (nreels == capreels) {
		capreels = capreels ? capreels * 2 : 1024;
		reel_names = realloc(reel_names, (size_t)capreels * sizeof(*reel_names));
	}
	snprintf(reel_names[nreels], sizeof(reel_names[0]), "%s%d-%d-%d", prefix, a, b, nreels);
	return nreels++;
}

/* The physical truth of one slot: a queue of (reel, parts) in feed order;
 * and what the engine is told: the slot's candidates (feeding one last)
 * and the grey zone still to consume. */
struct sim_slot {
	int q_reel[4], q_n[4], nq;
	int st[MAXW], nst;
	int grey_left;
};

struct bslot {
	int w[MAXW], nw; /* packages on the slot during the board's window */
	int truth[MAXK]; /* the reel that physically fed each refdes */
	int fin[MAXK];   /* expected answer for K_EXACT/K_REWORK (-1: none) */
	unsigned char kind[MAXK];
};

struct bsim {
	int ver[NM];
	struct bslot s[NM][NS];
	int nrework;
};

struct prog {
	int k[NS];
	char ref[NS][MAXK][24];
};

enum { E_LOAD, E_UNLOAD, E_SPLICE, E_PASS, E_EXACT, E_PROG };

struct ev {
	int64_t t;
	long seq;
	int type, m, s, reel, grey, b;
};

static struct ev *evs;
static long nev, capev;
static struct bsim *B;
static struct prog progs[NM][3]; /* [m][version] */
static struct sim_slot sims[NM][NS + 1];

static void
emit(int64_t t, int type, int m, int s, int reel, int grey, int b)
{
	if (nev == capev) {
		capev = capev ? capev * 2 : 8192;
		evs = realloc(evs, (size_t)capev * sizeof(*evs));
	}
	evs[nev] = (struct ev){ t, nev, type, m, s, reel, grey, b };
	nev++;
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
qtotal(const struct sim_slot *s)
{
	int t = 0;

	for (int i = 0; i < s->nq; i++)
		t += s->q_n[i];
	return t;
}

static int
pop(struct sim_slot *s)
{
	int r;

	assert_true(s->nq > 0);
	r = s->q_reel[0];
	if (--s->q_n[0] == 0) {
		memmove(s->q_reel, s->q_reel + 1, (size_t)(s->nq - 1) * sizeof(int));
		memmove(s->q_n, s->q_n + 1, (size_t)(s->nq - 1) * sizeof(int));
		s->nq--;
	}
	return r;
}

static void
wadd(struct bslot *bs, int reel)
{
	for (int i = 0; i < bs->nw; i++)
		if (bs->w[i] == reel)
			return;
	assert_true(bs->nw < MAXW);
	bs->w[bs->nw++] = reel;
}

static void
wset_state(struct bslot *bs, const struct sim_slot *s)
{
	bs->nw = 0;
	for (int i = 0; i < s->nst; i++)
		wadd(bs, s->st[i]);
}

static void
state_add(struct bslot *bs, const struct sim_slot *s)
{
	for (int i = 0; i < s->nst; i++)
		wadd(bs, s->st[i]);
}

static int
reel_size(void)
{
	return 20 + (int)rnd(101);
}

static void
make_programs(void)
{
	for (int m = 0; m < NM; m++) {
		for (int s = 0; s < NS; s++) {
			int k = 1 + (int)rnd(MAXK);
			progs[m][1].k[s] = k;
			for (int j = 0; j < k; j++)
				snprintf(progs[m][1].ref[s][j], 24, "%c%u%02u%u", "CRUL"[s % 4],
					 (unsigned)(m + 1) % 10, (unsigned)(s + 1) % 100,
					 (unsigned)(j + 1) % 10);
		}
		progs[m][2] = progs[m][1];
	}
	/* Version 2 of M1's program: slots 2 and 5 swap their refdes. */
	progs[0][2].k[2] = progs[0][1].k[5];
	progs[0][2].k[5] = progs[0][1].k[2];
	memcpy(progs[0][2].ref[2], progs[0][1].ref[5], sizeof(progs[0][1].ref[5]));
	memcpy(progs[0][2].ref[5], progs[0][1].ref[2], sizeof(progs[0][1].ref[2]));
}

static void
set_program(ecms *h, int m, int ver)
{
	struct ecms_gen_slotmap sm[NS];
	const char *refs[NS][MAXK];
	char slots[NS][16], name[16], machine[16];

	snprintf(name, sizeof(name), "P%d", m + 1);
	snprintf(machine, sizeof(machine), "M%d", m + 1);
	for (int s = 0; s < NS; s++) {
		snprintf(slots[s], sizeof(slots[s]), "S%02d", s + 1);
		for (int j = 0; j < progs[m][ver].k[s]; j++)
			refs[s][j] = progs[m][ver].ref[s][j];
		sm[s] = (struct ecms_gen_slotmap){ slots[s], "IPN", refs[s],
						   (size_t)progs[m][ver].k[s] };
	}
	OK(h, ecms_gen_program_set(h, name, machine, sm, NS, NULL));
}

/* A time strictly inside (lo, hi). */
static int64_t
t_in(int64_t lo, int64_t hi)
{
	return lo + 1 + (int64_t)rnd((uint64_t)(hi - lo - 1));
}

/* Simulate board b on machine m: setup changes, placement, the pass, and
 * the engine-visible state afterwards. */
static void
sim_board(int m, int b)
{
	int ver = m == 0 && b >= BSWITCH ? 2 : 1;
	const struct prog *P = &progs[m][ver];
	int64_t start = TU_NOW_MS + (int64_t)b * CYCLE + m * OFFSET, end = start + DUR;
	int64_t gap_lo = start - (CYCLE - DUR) + 2, gap_hi = start;
	bool exact = (m == 0 && (b % 10 == 3 || b % 50 == 7)) || (m == 1 && b % 10 == 5);

	B[b].ver[m] = ver;
	if (m == 0 && b == BSWITCH)
		emit(gap_lo, E_PROG, m, 0, 0, 2, b);
	/* An unused slot (S21) changes now and then: epochs that do not matter. */
	if (m == 0 && b % 37 == 0)
		emit(t_in(gap_lo, gap_hi), E_LOAD, m, NS, new_reel("R", m + 1, 21), 0, b);
	for (int s = 0; s < NS; s++) {
		struct sim_slot *ss = &sims[m][s];
		struct bslot *bs = &B[b].s[m][s];
		int k = P->k[s], d = 0;
		uint64_t dice = rnd(1000);
		bool changed = qtotal(ss) == 0 || dice < 10;

		/* Between boards. */
		if (qtotal(ss) == 0) {
			int r = new_reel("R", m + 1, s + 1);
			if (ss->nst == 0) {
				emit(t_in(gap_lo, gap_hi), E_LOAD, m, s, r, 0, b);
				ss->st[0] = r;
				ss->nst = 1;
			} else {
				/* The reel ran out exactly at the end of the last board: a
				 * splice between boards, maybe with a grey zone. */
				int g = (int)rnd(5);
				emit(t_in(gap_lo, gap_hi), E_SPLICE, m, s, r, g, b);
				if (g > 0 && ss->nst < MAXW) {
					ss->st[ss->nst++] = r;
					ss->grey_left = g;
				} else {
					if (g > 0)
						fail_msg("simulator: too many candidates");
					ss->st[0] = r;
					ss->nst = 1;
					ss->grey_left = 0;
				}
			}
			ss->q_reel[0] = r;
			ss->q_n[0] = reel_size();
			ss->nq = 1;
		} else if (dice < 10) {
			/* An early reel change: unload + load, or a load that replaces. */
			int r = new_reel("R", m + 1, s + 1);
			int64_t t1 = t_in(gap_lo, gap_hi - 10);
			if (dice < 5)
				emit(t1, E_UNLOAD, m, s, 0, 0, b);
			emit(t_in(t1, gap_hi), E_LOAD, m, s, r, 0, b);
			ss->st[0] = r;
			ss->nst = 1;
			ss->grey_left = 0;
			ss->q_reel[0] = r;
			ss->q_n[0] = reel_size();
			ss->nq = 1;
		}
		wset_state(bs, ss);
		if (!changed && dice >= 10 && dice < 15 && qtotal(ss) >= k) {
			/* Unloaded between boards, loaded while the board is in the
			 * machine: the empty slot is no candidate. */
			int r = new_reel("R", m + 1, s + 1);
			emit(t_in(gap_lo, gap_hi), E_UNLOAD, m, s, 0, 0, b);
			emit(t_in(start, end - 3), E_LOAD, m, s, r, 0, b);
			ss->st[0] = r;
			ss->nst = 1;
			ss->grey_left = 0;
			ss->q_reel[0] = r;
			ss->q_n[0] = reel_size();
			ss->nq = 1;
			bs->nw = 0;
			wadd(bs, r);
		}
		/* The reel runs out while the board is in the machine. */
		if (qtotal(ss) < k) {
			int old = ss->q_reel[0], rem = qtotal(ss);
			int r = new_reel("R", m + 1, s + 1);
			assert_int_equal(ss->nq, 1);
			d = (int)rnd((uint64_t)rem + 1);
			for (int j = 0; j < d; j++)
				bs->truth[j] = pop(ss);
			if (rnd(100) < 70) {
				int sw = rem - d, g = sw + (int)rnd(4);
				emit(t_in(start, end - 3), E_SPLICE, m, s, r, g, b);
				ss->nq = 0;
				if (sw > 0) {
					ss->q_reel[0] = old;
					ss->q_n[0] = sw;
					ss->nq = 1;
				}
				ss->q_reel[ss->nq] = r;
				ss->q_n[ss->nq] = reel_size();
				ss->nq++;
				if (g > 0) {
					assert_true(ss->nst < MAXW);
					ss->st[ss->nst++] = r;
					ss->grey_left = g;
				} else {
					ss->st[0] = r;
					ss->nst = 1;
					ss->grey_left = 0;
				}
			} else {
				int64_t tu = t_in(start, end - 10);
				emit(tu, E_UNLOAD, m, s, 0, 0, b);
				emit(t_in(tu, end - 3), E_LOAD, m, s, r, 0, b);
				ss->q_reel[0] = r;
				ss->q_n[0] = reel_size();
				ss->nq = 1;
				ss->st[0] = r;
				ss->nst = 1;
				ss->grey_left = 0;
			}
			state_add(bs, ss);
		}
		for (int j = d; j < k; j++)
			bs->truth[j] = pop(ss);
		for (int j = 0; j < k; j++) {
			bs->kind[j] = K_TIMELINE;
			bs->fin[j] = bs->truth[j];
		}
	}
	/* A foreign reel the timeline does not know (a mis-scan at setup):
	 * only the exact record tells. */
	if (m == 0 && b % 50 == 7) {
		int s = (int)rnd(NS), j = (int)rnd((uint64_t)P->k[s]);
		B[b].s[m][s].truth[j] = B[b].s[m][s].fin[j] = new_reel("X", b, 0);
	}
	if (exact && m == 1)
		emit(end - 1, E_EXACT, m, 0, 0, 0, b); /* before its pass: pending */
	emit(end, E_PASS, m, 0, 0, 0, b);
	if (exact && m == 0)
		emit(end + 1, E_EXACT, m, 0, 0, 0, b);
	/* What the engine does after the pass (and the exact record). */
	for (int s = 0; s < NS; s++) {
		struct sim_slot *ss = &sims[m][s];
		struct bslot *bs = &B[b].s[m][s];
		int k = P->k[s];
		bool ends = false;
		if (exact) {
			for (int j = 0; j < k; j++) {
				if (bs->nw == 1 && bs->w[0] == bs->truth[j])
					continue; /* agrees: nothing stored */
				bs->kind[j] = K_EXACT;
			}
			if (ss->nst > 1)
				for (int j = 0; j < k; j++)
					ends |= bs->truth[j] == ss->st[ss->nst - 1];
		}
		if (ss->nst > 1) {
			ss->grey_left -= k;
			if (ss->grey_left <= 0)
				ends = true;
		}
		if (ends && ss->nst > 1) {
			ss->st[0] = ss->st[ss->nst - 1];
			ss->nst = 1;
			ss->grey_left = 0;
		}
	}
}

static void
deliver(ecms *h, const struct ev *e)
{
	char machine[16], slot[16], board[24], wo[24];

	snprintf(machine, sizeof(machine), "M%d", e->m + 1);
	snprintf(slot, sizeof(slot), "S%02d", e->s + 1);
	snprintf(board, sizeof(board), "B%05d", e->b);
	snprintf(wo, sizeof(wo), "WO-%d", e->b / 500);
	switch (e->type) {
	case E_LOAD:
		OK(h, ecms_gen_load(h, machine, slot, reel_names[e->reel], e->t));
		break;
	case E_UNLOAD:
		OK(h, ecms_gen_unload(h, machine, slot, e->t));
		break;
	case E_SPLICE:
		OK(h, ecms_gen_splice(h, machine, slot, reel_names[e->reel], e->t, e->grey));
		break;
	case E_PROG:
		set_program(h, e->m, e->grey);
		break;
	case E_PASS: {
		char prog[16];
		snprintf(prog, sizeof(prog), "P%d", e->m + 1);
		OK(h, ecms_gen_board_pass(h, board, wo, machine, prog, e->t - DUR, e->t));
		break;
	}
	case E_EXACT: {
		/* One record per reel, with its refdes: a MaterialsInstalled. */
		struct ecms_gen_install recs[NS * MAXK];
		const char *refs[NS * MAXK][NS * MAXK];
		int reel_of[NS * MAXK];
		size_t n = 0;
		const struct prog *P = &progs[e->m][B[e->b].ver[e->m]];
		for (int s = 0; s < NS; s++) {
			for (int j = 0; j < P->k[s]; j++) {
				int r = B[e->b].s[e->m][s].truth[j];
				size_t i;
				for (i = 0; i < n && reel_of[i] != r; i++)
					;
				if (i == n) {
					reel_of[n] = r;
					recs[n] = (struct ecms_gen_install){ NULL, NULL, NULL,
									     refs[n], 0 };
					n++;
				}
				refs[i][recs[i].nrefdes++] = P->ref[s][j];
			}
		}
		for (size_t i = 0; i < n; i++) {
			recs[i].board = board;
			recs[i].machine = machine;
			recs[i].uid = reel_names[reel_of[i]];
		}
		OK(h, ecms_gen_installed(h, recs, n, e->t, NULL));
		break;
	}
	}
}

/* Expected forward entries per reel: "board:refdes" with a flag. */
struct fwd {
	int b;
	const char *ref;
	bool certain;
};
struct fwds {
	struct fwd *v;
	int n, cap;
};

static void
fwd_add(struct fwds *f, int b, const char *ref, bool certain)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->v = realloc(f->v, (size_t)f->cap * sizeof(*f->v));
	}
	f->v[f->n++] = (struct fwd){ b, ref, certain };
}

static int
cmp_fwd(const void *a, const void *b)
{
	const struct fwd *x = a, *y = b;

	if (x->b != y->b)
		return x->b - y->b;
	return strcmp(x->ref, y->ref);
}

/* The expected forward string for a set of reels (merged by board). */
static char *
expected_forward(struct fwds *idx, const int *reels, int n)
{
	struct fwds all = { 0 };
	char *out = calloc(1, 1 << 20);
	size_t len = 0;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < idx[reels[i]].n; j++)
			fwd_add(&all, idx[reels[i]].v[j].b, idx[reels[i]].v[j].ref,
				idx[reels[i]].v[j].certain);
	if (all.n > 1)
		qsort(all.v, (size_t)all.n, sizeof(*all.v), cmp_fwd);
	for (int i = 0; i < all.n;) {
		int j, b = all.v[i].b, pk = -1;
		bool first = true, any_amb = false;
		const char *prev = NULL;
		len += (size_t)snprintf(out + len, (1 << 20) - len, "%sB%05d:", len ? " " : "", b);
		/* merge duplicates: certain wins */
		for (j = i; j < all.n && all.v[j].b == b; j++) {
			if (prev && strcmp(all.v[j].ref, prev) == 0) {
				all.v[j].certain |= all.v[pk].certain;
				all.v[pk].ref = NULL;
			}
			prev = all.v[j].ref;
			pk = j;
		}
		for (int k = i; k < j; k++) {
			if (all.v[k].ref && all.v[k].certain) {
				len += (size_t)snprintf(out + len, (1 << 20) - len, "%s%s",
							first ? "" : ",", all.v[k].ref);
				first = false;
			}
			any_amb |= all.v[k].ref && !all.v[k].certain;
		}
		if (any_amb) {
			first = true;
			len += (size_t)snprintf(out + len, (1 << 20) - len, "|");
			for (int k = i; k < j; k++) {
				if (all.v[k].ref && !all.v[k].certain) {
					len += (size_t)snprintf(out + len, (1 << 20) - len, "%s%s",
								first ? "" : ",", all.v[k].ref);
					first = false;
				}
			}
		}
		i = j;
	}
	free(all.v);
	return out;
}

struct pr {
	const char *ref;
	json_t *p;
};

static int
cmp_part(const void *a, const void *b)
{
	return strcmp(((const struct pr *)a)->ref, ((const struct pr *)b)->ref);
}

static void
check_board(ecms *h, int b)
{
	char board[16];
	json_t *t = NULL, *parts;
	struct pr v[NM * NS * MAXK];
	size_t np, i, want = 0;

	snprintf(board, sizeof(board), "B%05d", b);
	OK(h, ecms_gen_trace_board(h, board, &t));
	parts = json_object_get(t, "parts");
	np = json_array_size(parts);
	for (int m = 0; m < NM; m++)
		for (int s = 0; s < NS; s++)
			want += (size_t)progs[m][B[b].ver[m]].k[s];
	if (np != want)
		fail_msg("%s: %zu parts, expected %zu", board, np, want);
	for (i = 0; i < np; i++) {
		v[i].p = json_array_get(parts, i);
		v[i].ref = json_string_value(json_object_get(v[i].p, "refdes"));
	}
	qsort(v, np, sizeof(v[0]), cmp_part);
	for (int m = 0; m < NM; m++) {
		const struct prog *P = &progs[m][B[b].ver[m]];
		for (int s = 0; s < NS; s++) {
			const struct bslot *bs = &B[b].s[m][s];
			for (int j = 0; j < P->k[s]; j++) {
				struct pr key = { P->ref[s][j], NULL }, *found;
				json_t *p, *c;
				const char *src, *uid;
				found = bsearch(&key, v, np, sizeof(v[0]), cmp_part);
				if (found == NULL)
					fail_msg("%s: no part %s", board, P->ref[s][j]);
				p = found->p;
				src = json_string_value(json_object_get(p, "source"));
				uid = json_string_value(json_object_get(p, "uid"));
				c = json_object_get(p, "candidates");
				if (bs->kind[j] != K_TIMELINE) {
					const char *ws =
						bs->kind[j] == K_EXACT ? "exact" : "rework";
					if (strcmp(src, ws) != 0)
						fail_msg("%s %s: source %s, expected %s", board,
							 P->ref[s][j], src, ws);
					if (bs->fin[j] < 0
						    ? uid != NULL
						    : uid == NULL ||
							      strcmp(uid, reel_names[bs->fin[j]]))
						fail_msg("%s %s: uid %s, expected %s", board,
							 P->ref[s][j], uid ? uid : "null",
							 bs->fin[j] < 0 ? "null"
									: reel_names[bs->fin[j]]);
					continue;
				}
				if (strcmp(src, "timeline") != 0)
					fail_msg("%s %s: source %s, expected timeline", board,
						 P->ref[s][j], src);
				if (bs->nw == 1) {
					/* certain: must be the truth */
					assert_int_equal(bs->w[0], bs->truth[j]);
					if (uid == NULL ||
					    strcmp(uid, reel_names[bs->truth[j]]) != 0)
						fail_msg("%s %s: uid %s, expected %s", board,
							 P->ref[s][j], uid ? uid : "null",
							 reel_names[bs->truth[j]]);
					assert_true(json_is_false(json_object_get(p, "ambiguous")));
				} else {
					bool has_truth = false;
					if (!json_is_true(json_object_get(p, "ambiguous")))
						fail_msg("%s %s: certain (%s), expected ambiguous",
							 board, P->ref[s][j], uid ? uid : "null");
					assert_null(uid);
					if (json_array_size(c) != (size_t)bs->nw)
						fail_msg("%s %s: %zu candidates, expected %d",
							 board, P->ref[s][j], json_array_size(c),
							 bs->nw);
					for (int w = 0; w < bs->nw; w++) {
						bool in = false;
						size_t q;
						json_t *x;
						json_array_foreach(c, q, x)
							in |= strcmp(json_string_value(x),
								     reel_names[bs->w[w]]) == 0;
						if (!in)
							fail_msg("%s %s: candidate %s missing",
								 board, P->ref[s][j],
								 reel_names[bs->w[w]]);
						has_truth |= bs->w[w] == bs->truth[j];
					}
					assert_true(has_truth);
				}
			}
		}
	}
	if (json_array_size(json_object_get(t, "rework")) != (size_t)B[b].nrework)
		fail_msg("%s: %zu rework entries, expected %d", board,
			 json_array_size(json_object_get(t, "rework")), B[b].nrework);
	json_decref(t);
}

/* ecms_gen_board_get gives the parts of ecms_gen_trace_board. */
static void
check_board_struct(ecms *h, int b)
{
	char board[16];
	struct ecms_gen_board s;
	json_t *t = NULL, *parts;

	snprintf(board, sizeof(board), "B%05d", b);
	OK(h, ecms_gen_trace_board(h, board, &t));
	OK(h, ecms_gen_board_get(h, board, &s));
	parts = json_object_get(t, "parts");
	assert_string_equal(s.board, board);
	assert_string_equal(s.work_order, json_string_value(json_object_get(t, "work_order")));
	assert_int_equal(s.nparts, json_array_size(parts));
	for (size_t i = 0; i < s.nparts; i++) {
		const struct ecms_gen_part *x = &s.parts[i];
		json_t *p = json_array_get(parts, i);
		const char *uid = json_string_value(json_object_get(p, "uid"));
		assert_string_equal(x->refdes, json_string_value(json_object_get(p, "refdes")));
		assert_string_equal(x->source, json_string_value(json_object_get(p, "source")));
		assert_string_equal(x->slot, json_string_value(json_object_get(p, "slot")));
		assert_true((x->uid == NULL) == (uid == NULL));
		if (uid)
			assert_string_equal(x->uid, uid);
		assert_int_equal(x->ambiguous, json_is_true(json_object_get(p, "ambiguous")));
		assert_int_equal(x->ncandidates, json_array_size(json_object_get(p, "candidates")));
	}
	ecms_gen_board_cleanup(&s);
	ecms_gen_board_cleanup(&s); /* a cleared struct: no-op */
	json_decref(t);
}

/* ecms_gen_carriers_get gives what ecms_gen_trace_packages printed (got). */
static void
check_carriers(ecms *h, const char *const *uids, size_t n, const char *got)
{
	struct ecms_gen_carriers c;
	char *buf = calloc(1, 1 << 20);
	size_t len = 0;

	OK(h, ecms_gen_carriers_get(h, uids, n, &c));
	for (size_t i = 0; i < c.n; i++) {
		const struct ecms_gen_carrier *x = &c.boards[i];
		len += (size_t)snprintf(buf + len, (1 << 20) - len, "%s%s:", i ? " " : "",
					x->board);
		for (size_t j = 0; j < x->nrefdes; j++)
			len += (size_t)snprintf(buf + len, (1 << 20) - len, "%s%s", j ? "," : "",
						x->refdes[j]);
		if (x->nambiguous)
			len += (size_t)snprintf(buf + len, (1 << 20) - len, "|");
		for (size_t j = 0; j < x->nambiguous; j++)
			len += (size_t)snprintf(buf + len, (1 << 20) - len, "%s%s", j ? "," : "",
						x->ambiguous[j]);
	}
	assert_string_equal(buf, got);
	ecms_gen_carriers_cleanup(&c);
	free(buf);
}

/* The board columns each pass keeps for the forward scan (015) follow the
 * board: its work order when a later pass names it, has_exc on the first
 * exception, a pass that comes after exceptions starts with it. */
static void
test_pass_copies(void **state)
{
	ecms *h = tu_open_store("gen_copies.db");
	struct ecms_gen_install_report rep;
	const char *c1[] = { "C1" };

	(void)state;
	OK(h, program(h, "P1", "M1", "S1:I1:C1,C2", NULL));
	OK(h, program(h, "P2", "M2", "S1:I2:U1", NULL));
	OK(h, ecms_gen_load(h, "M1", "S1", "A", T(0, 0)));
	OK(h, ecms_gen_load(h, "M2", "S1", "U", T(0, 0)));
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "M1", "P1", T(1, 0), T(1, 30)));
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes WHERE serial = 'B1' "
				  "AND work_order IS NULL AND has_exc = 0"),
			 1);
	OK(h, ecms_gen_board_pass(h, "B1", "WO7", "M2", "P2", T(2, 0), T(2, 30)));
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes WHERE serial = 'B1' "
				  "AND work_order = 'WO7'"),
			 2);
	/* A pass without a work order keeps the board's. */
	OK(h, ecms_gen_board_pass(h, "B1", NULL, "M1", "P1", T(3, 0), T(3, 30)));
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes WHERE serial = 'B1' "
				  "AND work_order = 'WO7'"),
			 3);
	assert_int_equal(ecms_gen_board_pass(h, "B1", "WO8", "M2", "P2", T(4, 0), T(4, 30)),
			 ECMS_EINVAL);
	{
		struct ecms_gen_install r[] = { { "B1", "M1", "Z", c1, 1 } };
		OK(h, ecms_gen_installed(h, r, 1, T(5, 0), &rep));
	}
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes WHERE has_exc = 1"), 3);
	expect_forward(h, "Z", "B1:C1");
	expect_forward(h, "A", "B1:C2");
	/* Exact data before the board's first pass. */
	{
		struct ecms_gen_install r[] = { { "B2", "M2", "V", (const char *[]){ "U1" }, 1 } };
		OK(h, ecms_gen_installed(h, r, 1, T(6, 0), &rep));
	}
	OK(h, ecms_gen_board_pass(h, "B2", "WO7", "M2", "P2", T(6, 0), T(6, 30)));
	assert_int_equal(count(h, "SELECT has_exc FROM gen_passes WHERE serial = 'B2'"), 1);
	expect_forward(h, "V", "B2:U1");
	expect_forward(h, "U", "B1:U1");
	/* The copies always equal the board's own columns. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes p JOIN gen_boards b ON "
				  "b.id = p.board_id WHERE p.serial <> b.serial OR p.has_exc <> "
				  "b.has_exc OR COALESCE(p.work_order, '') <> "
				  "COALESCE(b.work_order, '')"),
			 0);
	OK(h, ecms_audit_verify(h, &(ecms_audit){ 0 }));
	ecms_close(h);
}

/* 015_pass_board rebuilds gen_passes with its board's columns: a schema-14
 * store's passes read the same after it. */
static void
test_migration_015(void **state)
{
	char *path = tu_path("m015.db");
	ecms *h = NULL;
	int from, to;

	(void)state;
	unlink(path);
	OK(h, ecms_open(path, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h));
	OK(h, ecms__exec(h,
			 "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
			 "name TEXT NOT NULL, applied_ms INTEGER NOT NULL)",
			 ""));
	for (int i = 0; i < ecms__migration_count; i++) {
		const struct ecms__migration *m = &ecms__migrations[i];
		char *sql;
		if (m->version > 14)
			continue;
		sql = h->ops->schema_sql(m->sql);
		OK(h, h->ops->exec(h->store, sql, &h->err));
		ecms__free(sql);
		OK(h, ecms__exec(h,
				 "INSERT INTO schema_version (version, name, applied_ms) "
				 "VALUES (?, ?, 0)",
				 "it", (int64_t)m->version, m->name));
	}
	OK(h, ecms__exec(h,
			 "INSERT INTO gen_boards (id, serial, work_order, has_exc) VALUES "
			 "(1, 'SN-1', 'WO-1', 0), (2, 'SN-2', NULL, 1)",
			 ""));
	OK(h,
	   ecms__exec(
		   h,
		   "INSERT INTO gen_passes (id, board_id, machine_id, program_id, "
		   "first_epoch, last_epoch, tier, t_start, t_end, seq) VALUES "
		   "(1, 1, 1, 1, 3, 4, 0, 1000, 2000, 7), (2, 2, 1, 1, 4, 80, 2, 2000, 3000, 8), "
		   "(3, 1, 2, 2, 1, 1, 0, 2500, 2600, 9)",
		   ""));
	OK(h, ecms_init(h, &from, &to));
	assert_int_equal(from, 14);
	assert_int_equal(to, ecms_schema_version());
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes"), 3);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes WHERE serial = 'SN-1' AND "
				  "work_order = 'WO-1' AND has_exc = 0"),
			 2);
	assert_int_equal(count(h,
			       "SELECT COUNT(*) FROM gen_passes WHERE board_id = 2 AND "
			       "serial = 'SN-2' AND work_order IS NULL AND has_exc = 1 AND "
			       "machine_id = 1 AND program_id = 1 AND first_epoch = 4 AND "
			       "last_epoch = 80 AND tier = 2 AND t_start = 2000 AND t_end = 3000 "
			       "AND seq = 8"),
			 1);
	/* The board's passes are found through the board index. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM sqlite_master WHERE name = "
				  "'gen_passes_board'"),
			 1);
	assert_int_equal(count(h, "SELECT SUM(t_end) FROM gen_passes WHERE board_id = 1"), 4600);
	ecms_close(h);
	free(path);
}

static void
test_simulation(void **state)
{
	ecms *h = tu_open_store("gen_sim.db");
	struct fwds *idx;
	int64_t ev0, evn, nexc = 0;
	long nsetup = 0, npass = 0, nexact = 0, nprog = 0, nrw = 0, ambiguous = 0;

	rng_state = UINT64_C(0x9E3779B97F4A7C15);
	nreels = 0;
	nev = 0;
	B = calloc(NB, sizeof(*B));
	memset(sims, 0, sizeof(sims));
	make_programs();
	set_program(h, 0, 1);
	set_program(h, 1, 1);
	ev0 = head(h);
	for (int b = 0; b < NB; b++)
		for (int m = 0; m < NM; m++)
			sim_board(m, b);
	qsort(evs, (size_t)nev, sizeof(*evs), cmp_ev);
	OK(h, ecms__begin(h));
	for (long i = 0; i < nev; i++) {
		deliver(h, &evs[i]);
		nsetup += evs[i].type <= E_SPLICE;
		npass += evs[i].type == E_PASS;
		nexact += evs[i].type == E_EXACT;
		nprog += evs[i].type == E_PROG;
		if (i % 500 == 499) {
			OK(h, ecms__end(h, ECMS_OK));
			OK(h, ecms__begin(h));
		}
	}
	OK(h, ecms__end(h, ECMS_OK));
	/* Rework on random boards, some on ambiguous refdes, one removal. */
	for (int i = 0; i < 40; i++) {
		int b = (int)rnd(NB), m = (int)rnd(NM), s = (int)rnd(NS);
		const struct prog *P = &progs[m][B[b].ver[m]];
		int j = (int)rnd((uint64_t)P->k[s]);
		int r = i % 10 == 9 ? -1 : new_reel("RW", i, 0);
		char board[16];
		snprintf(board, sizeof(board), "B%05d", b);
		OK(h, ecms_gen_rework(h, board, P->ref[s][j], r < 0 ? NULL : reel_names[r], "tech",
				      "failed at ICT", TU_NOW_MS + (int64_t)NB * CYCLE + i * 1000));
		B[b].s[m][s].kind[j] = K_REWORK;
		B[b].s[m][s].fin[j] = r;
		B[b].nrework++;
		nrw++;
	}
	/* Events: one per program version, setup change, pass, exact
	 * message and rework; none per placement. */
	evn = head(h);
	assert_int_equal(evn - ev0, nsetup + npass + nexact + nprog + nrw);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_passes"), NB * NM);

	/* Backward: every board; the C structs say what the JSON says. */
	for (int b = 0; b < NB; b++) {
		check_board(h, b);
		if (b % 7 == 0)
			check_board_struct(h, b);
	}

	/* Exceptions stored = the refdes where exact data differed + rework. */
	for (int b = 0; b < NB; b++)
		for (int m = 0; m < NM; m++)
			for (int s = 0; s < NS; s++)
				for (int j = 0; j < progs[m][B[b].ver[m]].k[s]; j++) {
					nexc += B[b].s[m][s].kind[j] != K_TIMELINE;
					ambiguous += B[b].s[m][s].kind[j] == K_TIMELINE &&
						     B[b].s[m][s].nw != 1;
				}
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_exceptions"), nexc);
	assert_true(ambiguous > 100); /* the simulation did exercise ambiguity */
	print_message("simulation: %d boards, %d reels, %ld events, %ld ambiguous refdes, "
		      "%lld exceptions\n",
		      NB, nreels, (long)(evn - ev0), ambiguous, (long long)nexc);

	/* Forward: index the expected answer per reel. */
	idx = calloc((size_t)nreels, sizeof(*idx));
	for (int b = 0; b < NB; b++)
		for (int m = 0; m < NM; m++) {
			const struct prog *P = &progs[m][B[b].ver[m]];
			for (int s = 0; s < NS; s++) {
				const struct bslot *bs = &B[b].s[m][s];
				for (int j = 0; j < P->k[s]; j++) {
					if (bs->kind[j] != K_TIMELINE) {
						if (bs->fin[j] >= 0)
							fwd_add(&idx[bs->fin[j]], b, P->ref[s][j],
								true);
					} else if (bs->nw == 1) {
						fwd_add(&idx[bs->w[0]], b, P->ref[s][j], true);
					} else {
						for (int w = 0; w < bs->nw; w++)
							fwd_add(&idx[bs->w[w]], b, P->ref[s][j],
								false);
					}
				}
			}
		}
	for (int r = 0; r < nreels; r++) {
		char *want, *got;
		const char *u[1];
		if (r % 5 != 0 && reel_names[r][0] == 'R' && reel_names[r][1] != 'W')
			continue; /* a sample of ordinary reels; all foreign and rework ones */
		u[0] = reel_names[r];
		want = expected_forward(idx, &r, 1);
		got = forward(h, u, 1);
		check_carriers(h, u, 1, got);
		if (strcmp(want, got) != 0)
			fail_msg("forward %s:\n got  %.400s\n want %.400s", u[0], got, want);
		free(want);
		free(got);
	}
	/* A lot: several reels at once, merged per board. */
	for (int i = 0; i < 20; i++) {
		int rs[3];
		const char *u[3];
		char *want, *got;
		for (int k = 0; k < 3; k++) {
			rs[k] = (int)rnd((uint64_t)nreels);
			u[k] = reel_names[rs[k]];
		}
		want = expected_forward(idx, rs, 3);
		got = forward(h, u, 3);
		if (strcmp(want, got) != 0)
			fail_msg("forward lot:\n got  %.400s\n want %.400s", got, want);
		free(want);
		free(got);
	}
	for (int r = 0; r < nreels; r++)
		free(idx[r].v);
	free(idx);
	free(B);
	free(evs);
	evs = NULL;
	capev = 0;
	free(reel_names);
	reel_names = NULL;
	capreels = 0;
	OK(h, ecms_audit_verify(h, &(ecms_audit){ 0 }));
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program),        cmocka_unit_test(test_setup),
		cmocka_unit_test(test_move),           cmocka_unit_test(test_late_pass),
		cmocka_unit_test(test_long_pass),      cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_grey_zone),      cmocka_unit_test(test_exact_and_rework),
		cmocka_unit_test(test_all_or_nothing), cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_pass_copies),    cmocka_unit_test(test_migration_015),
		cmocka_unit_test(test_simulation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
