/*
 * genealogy_pass.c: what happens to boards: a pass through a machine (one
 * row naming the epochs its window covers), exact records compared with
 * the timeline (only differences are stored), and rework (an exception
 * plus a history row).
 *
 * Each call computes first (reads only, plus creating unseen boards and
 * machines), then appends its one event, then writes the rows that carry
 * the event's sequence number.
 */
#include <stdio.h>
#include <string.h>

#include "genealogy_int.h"

static int
oom(ecms *h)
{
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

/* The epoch of machine m in force at t (0 before the first). */
static int
epoch_at(ecms *h, const struct gen_machine *m, int64_t t, int64_t *e)
{
	int rc;

	if (t >= m->cur_ms) {
		*e = m->cur_epoch;
		return ECMS_OK;
	}
	rc = ecms__query_int(h, e,
			     "SELECT MAX(epoch) FROM gen_epochs WHERE machine_id = ? AND t_ms <= ?",
			     "ii", m->id, t);
	if (rc == ECMS_ENOTFOUND) {
		*e = 0;
		rc = ECMS_OK;
	}
	return rc;
}

/* A slot's live grey state: whether it holds several candidates, since
 * which epoch, and its feeding package (into newest, n bytes). */
static int
slot_grey(ecms *h, int64_t machine_id, int64_t slot_no, bool *grey, int64_t *grey_epoch,
	  char *newest, size_t n)
{
	ecms__stmt *st;
	int rc;

	*grey = false;
	rc = ecms__q(h, &st,
		     "SELECT state, grey_epoch FROM gen_slots WHERE machine_id = ? AND slot_no = ?",
		     "ii", machine_id, slot_no);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *s = ecms__col_text(st, 0), *sp = strrchr(s, ' ');
		*grey = sp != NULL;
		*grey_epoch = ecms__col_int(st, 1);
		ecms__strlcpy(newest, sp ? sp + 1 : s, n);
	}
	ecms__done(h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

/* Grey-zone ends collected by a call (machine, slot, time). Beyond
 * GREY_MAX in one call the rest are not ended: they stay ambiguous, which
 * is safe (never a silent pick). */
#define GREY_MAX 64
struct grey_ends {
	int64_t machine_id[GREY_MAX], slot_no[GREY_MAX], t[GREY_MAX];
	size_t n;
};

static void
grey_add(struct grey_ends *g, int64_t machine_id, int64_t slot_no, int64_t t)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->machine_id[i] == machine_id && g->slot_no[i] == slot_no) {
			if (t > g->t[i])
				g->t[i] = t;
			return;
		}
	}
	if (g->n < ECMS_ARRAY_LEN(g->machine_id)) {
		g->machine_id[g->n] = machine_id;
		g->slot_no[g->n] = slot_no;
		g->t[g->n] = t;
		g->n++;
	}
}

/* Apply the collected grey-zone ends, one epoch per machine. */
static int
grey_apply(ecms *h, const struct grey_ends *g, int64_t seq)
{
	bool done[GREY_MAX] = { false };
	int rc = ECMS_OK;

	for (size_t i = 0; i < g->n && rc == ECMS_OK; i++) {
		int64_t slots[GREY_MAX], t = g->t[i];
		size_t k = 0;
		if (done[i])
			continue;
		for (size_t j = i; j < g->n; j++) {
			if (g->machine_id[j] == g->machine_id[i]) {
				slots[k++] = g->slot_no[j];
				if (g->t[j] > t)
					t = g->t[j];
				done[j] = true;
			}
		}
		rc = ecms__gen_grey_end(h, g->machine_id[i], slots, k, t, seq);
	}
	return rc;
}

static json_t *
grey_json(ecms *h, const struct grey_ends *g)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < g->n; i++) {
		if (json_array_append_new(arr, json_pack("[I,I]", (json_int_t)g->machine_id[i],
							 (json_int_t)g->slot_no[i]))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

/* Write an exception row for an exact record. */
static int
exception_put(ecms *h, int64_t board_id, const char *refdes, const char *uid, const char *source,
	      int64_t machine_id, const char *timeline, bool pending, int64_t t, int64_t seq)
{
	int rc;

	rc = ecms__exec(h,
			"INSERT INTO gen_exceptions (board_id, refdes, uid, source, machine_id, "
			"timeline, pending, t_ms, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
			"ON CONFLICT (board_id, refdes) DO UPDATE SET uid = excluded.uid, "
			"source = excluded.source, machine_id = excluded.machine_id, "
			"timeline = excluded.timeline, pending = excluded.pending, "
			"t_ms = excluded.t_ms, seq = excluded.seq",
			"itttitiii", board_id, refdes, uid, source, machine_id, timeline,
			(int64_t)pending, t, seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "UPDATE gen_boards SET has_exc = 1 WHERE id = ? AND has_exc = 0",
				"i", board_id);
	/* The board's first exception: its passes carry the flag too (015). */
	if (rc == ECMS_OK && ecms__changes(h) > 0)
		rc = ecms__exec(h, "UPDATE gen_passes SET has_exc = 1 WHERE board_id = ?", "i",
				board_id);
	return rc;
}

/* ------------------------------------------------------------------
 * Board passes
 * ------------------------------------------------------------------ */

/* An exact record that came before its pass, as compared at the pass. */
struct pending {
	const char *refdes, *uid, *timeline;
	bool agrees, planned;
};

/* Compare the board's pending exact records at this machine with the
 * pass's window. */
static int
reconcile(ecms *h, struct gen_arena *a, int64_t board_id, struct gen_pass *p, struct pending **out,
	  size_t *n, struct grey_ends *g)
{
	ecms__stmt *st;
	size_t cap = 0;
	bool fail = false;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ecms__q(h, &st,
		     "SELECT refdes, uid FROM gen_exceptions WHERE board_id = ? AND machine_id = ? "
		     "AND pending = 1",
		     "ii", board_id, p->machine_id);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *r = ecms__col_text(st, 0), *u = ecms__col_text(st, 1);
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct pending *v = ecms__gen_alloc(a, nc * sizeof(*v));
			if (v == NULL) {
				fail = true;
				break;
			}
			if (*n)
				memcpy(v, *out, *n * sizeof(*v));
			*out = v;
			cap = nc;
		}
		(*out)[*n].refdes = ecms__gen_strndup(a, r, strlen(r));
		(*out)[*n].uid = u ? ecms__gen_strndup(a, u, strlen(u)) : NULL;
		if ((*out)[*n].refdes == NULL || (u && (*out)[*n].uid == NULL)) {
			fail = true;
			break;
		}
		(*n)++;
	}
	ecms__done(h, st);
	if (fail)
		return oom(h);
	if (rc != ECMS__DONE)
		return rc;
	if (*n == 0)
		return ECMS_OK;
	if ((rc = ecms__gen_pass_resolve(h, a, p)))
		return rc;
	for (size_t i = 0; i < *n; i++) {
		struct pending *x = &(*out)[i];
		size_t si;
		const struct gen_pslot *ps = ecms__gen_prog_find(p->prog, x->refdes, &si);
		const struct gen_uids *c;
		x->planned = ps != NULL;
		x->agrees = false;
		x->timeline = NULL;
		if (ps == NULL || x->uid == NULL)
			continue;
		c = &p->cands[si];
		x->agrees = c->n == 1 && strcmp(c->v[0], x->uid) == 0;
		if (!x->agrees && (x->timeline = ecms__gen_uids_text(a, c)) == NULL)
			return oom(h);
		if (g) {
			char newest[ECMS_GEN_NAME_MAX + 1];
			bool grey;
			int64_t ge;
			if ((rc = slot_grey(h, p->machine_id, ps->slot_no, &grey, &ge, newest,
					    sizeof(newest))))
				return rc;
			if (grey && p->last >= ge && strcmp(newest, x->uid) == 0)
				grey_add(g, p->machine_id, ps->slot_no, p->t_end);
		}
	}
	return ECMS_OK;
}

/* Grey zones this pass consumes: grey_left of each grey slot the program
 * places from goes down by the refdes it places there (beyond GREY_MAX
 * slots in one pass, a zone is left as it is: it lasts longer, which is
 * safe). */
struct consume {
	int64_t slot_no[GREY_MAX], left[GREY_MAX];
	size_t n;
};

static int
grey_consume(ecms *h, const struct gen_machine *m, const struct gen_prog *prog, int64_t last,
	     int64_t t_end, struct consume *c, struct grey_ends *g)
{
	ecms__stmt *st;
	int rc;

	c->n = 0;
	rc = ecms__q(h, &st,
		     "SELECT slot_no, grey_left, grey_epoch FROM gen_slots WHERE machine_id = ? "
		     "AND grey_left > 0",
		     "i", m->id);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		int64_t no = ecms__col_int(st, 0), left = ecms__col_int(st, 1);
		if (last < ecms__col_int(st, 2))
			continue; /* a pass from before the splice */
		for (size_t i = 0; i < prog->nslots; i++) {
			if (prog->slots[i].slot_no != no)
				continue;
			left -= (int64_t)prog->slots[i].nrefdes;
			if (left <= 0)
				grey_add(g, m->id, no, t_end);
			else if (c->n < ECMS_ARRAY_LEN(c->slot_no)) {
				c->slot_no[c->n] = no;
				c->left[c->n++] = left;
			}
			break;
		}
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/*
 * The board a pass is for, made if new: its id, has_exc and work order
 * (had: wo, or the one it already has; "" for none). A work order is set
 * once: on a board that has none, wo is written to the board and to the
 * copies its passes keep (015_pass_board.sql); a different one is refused.
 */
static int
board_for_pass(ecms *h, const char *board, const char *wo, int64_t *id, bool *has_exc,
	       char had[ECMS_GEN_NAME_MAX + 1])
{
	ecms__stmt *st;
	bool found = false, null_wo = true;
	int rc;

	had[0] = '\0';

	rc = ecms__q(h, &st, "SELECT id, work_order, has_exc FROM gen_boards WHERE serial = ?", "t",
		     board);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		found = true;
		*id = ecms__col_int(st, 0);
		null_wo = ecms__col_null(st, 1);
		if (!null_wo)
			ecms__strlcpy(had, ecms__col_text(st, 1), ECMS_GEN_NAME_MAX + 1);
		*has_exc = ecms__col_int(st, 2) != 0;
	}
	ecms__done(h, st);
	if (rc != ECMS__ROW && rc != ECMS__DONE)
		return rc;
	if (!found) {
		*has_exc = false;
		if (wo)
			ecms__strlcpy(had, wo, ECMS_GEN_NAME_MAX + 1);
		rc = ecms__q(
			h, &st,
			"INSERT INTO gen_boards (serial, work_order, has_exc) VALUES (?, ?, 0) "
			"RETURNING id",
			"tt", board, wo);
		if (rc)
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW)
			*id = ecms__col_int(st, 0);
		ecms__done(h, st);
		return rc == ECMS__ROW    ? ECMS_OK
		       : rc == ECMS__DONE ? ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
							  "board insert returned no id")
					  : rc;
	}
	if (wo == NULL)
		return ECMS_OK;
	if (null_wo) {
		ecms__strlcpy(had, wo, ECMS_GEN_NAME_MAX + 1);
		rc = ecms__exec(h, "UPDATE gen_boards SET work_order = ? WHERE id = ?", "ti", wo,
				*id);
		if (rc == ECMS_OK)
			rc = ecms__exec(h,
					"UPDATE gen_passes SET work_order = ? WHERE board_id = ?",
					"ti", wo, *id);
		return rc;
	}
	if (strcmp(had, wo) != 0)
		return ecms__ctxfail(h, ECMS_EINVAL, "work_order",
				     "board '%s' belongs to work order '%s', not '%s'", board, had,
				     wo);
	return ECMS_OK;
}

static int
board_pass(ecms *h, struct gen_arena *a, const char *board, const char *wo, const char *machine,
	   const char *program, int64_t t_start, int64_t t_end)
{
	struct gen_machine m;
	struct gen_progs cache = { 0 };
	struct gen_pass p = { 0 };
	struct pending *pend = NULL;
	struct consume cons = { .n = 0 };
	struct grey_ends g = { .n = 0 };
	size_t npend = 0, reconciled = 0;
	int64_t board_id = 0, seq, version = 0, prev_prog = 0, prev_end = 0;
	char board_wo[ECMS_GEN_NAME_MAX + 1];
	bool has_exc = false, dup = false;
	ecms__stmt *st;
	json_t *ev;
	int rc;

	if ((rc = ecms__gen_machine(h, machine, false, true, &m)))
		return rc;
	rc = ecms__q(h, &st,
		     "SELECT id, version FROM gen_programs WHERE machine_id = ? AND name = ? "
		     "ORDER BY version DESC LIMIT 1",
		     "it", m.id, program);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		p.program_id = ecms__col_int(st, 0);
		version = ecms__col_int(st, 1);
	}
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "program",
				     "machine '%s' has no program '%s'", machine, program);
	if (rc != ECMS__ROW)
		return rc;
	if ((rc = board_for_pass(h, board, wo, &board_id, &has_exc, board_wo)))
		return rc;
	rc = ecms__q(h, &st,
		     "SELECT program_id, t_end FROM gen_passes WHERE board_id = ? "
		     "AND machine_id = ? AND t_start = ?",
		     "iii", board_id, m.id, t_start);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		dup = true;
		prev_prog = ecms__col_int(st, 0);
		prev_end = ecms__col_int(st, 1);
	}
	ecms__done(h, st);
	if (rc != ECMS__ROW && rc != ECMS__DONE)
		return rc;
	if (dup) {
		char t[ECMS_TIME_LEN];
		if (prev_prog == p.program_id && prev_end == t_end)
			return ECMS_OK;
		return ecms__ctxfail(h, ECMS_EEXIST, "t_start",
				     "board '%s' already has a different pass at machine '%s' "
				     "starting %s",
				     board, machine, ecms_time_format(t_start, t));
	}
	p.machine_id = m.id;
	p.machine = machine;
	p.t_start = t_start;
	p.t_end = t_end;
	if ((rc = epoch_at(h, &m, t_start, &p.first)) || (rc = epoch_at(h, &m, t_end, &p.last)))
		return rc;
	if ((m.n_grey > 0 || has_exc) &&
	    (rc = ecms__gen_prog_load(h, a, &cache, p.program_id, &p.prog)))
		return rc;
	if (m.n_grey > 0 && (rc = grey_consume(h, &m, p.prog, p.last, t_end, &cons, &g)))
		return rc;
	if (has_exc && (rc = reconcile(h, a, board_id, &p, &pend, &npend, &g)))
		return rc;
	for (size_t i = 0; i < npend; i++)
		reconciled += pend[i].agrees;
	ev = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:[I,I]}", "board", board, "machine", machine,
		       "program", program, "version", (json_int_t)version, "start",
		       (json_int_t)t_start, "end", (json_int_t)t_end, "epochs", (json_int_t)p.first,
		       (json_int_t)p.last);
	if (ev && wo && json_object_set_new(ev, "work_order", json_string(wo)))
		goto oom;
	if (ev && npend &&
	    json_object_set_new(ev, "pending",
				json_pack("{s:I,s:I}", "compared", (json_int_t)npend, "agreed",
					  (json_int_t)reconciled)))
		goto oom;
	if (ev && g.n && json_object_set_new(ev, "grey_end", grey_json(h, &g)))
		goto oom;
	if ((rc = ecms__event(h, "genealogy.pass", ev, &seq)))
		return rc;
	rc = ecms__exec(h,
			"INSERT INTO gen_passes (board_id, machine_id, program_id, first_epoch, "
			"last_epoch, tier, t_start, t_end, seq, serial, work_order, has_exc) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iiiiiiiiitti", board_id, m.id, p.program_id, p.first, p.last,
			(int64_t)GEN_TIER(p.first, p.last), t_start, t_end, seq, board,
			board_wo[0] ? board_wo : NULL, (int64_t)has_exc);
	for (size_t i = 0; i < cons.n && rc == ECMS_OK; i++)
		rc = ecms__exec(h,
				"UPDATE gen_slots SET grey_left = ? WHERE machine_id = ? "
				"AND slot_no = ?",
				"iii", cons.left[i], m.id, cons.slot_no[i]);
	for (size_t i = 0; i < npend && rc == ECMS_OK; i++) {
		if (pend[i].agrees)
			rc = ecms__exec(h,
					"DELETE FROM gen_exceptions WHERE board_id = ? "
					"AND refdes = ?",
					"it", board_id, pend[i].refdes);
		else
			rc = ecms__exec(h,
					"UPDATE gen_exceptions SET pending = 0, timeline = ? "
					"WHERE board_id = ? AND refdes = ?",
					"tit", pend[i].timeline, board_id, pend[i].refdes);
	}
	if (rc == ECMS_OK)
		rc = grey_apply(h, &g, seq);
	return rc;
oom:
	json_decref(ev);
	return oom(h);
}

int
ecms_gen_board_pass(ecms *h, const char *board, const char *work_order, const char *machine,
		    const char *program, int64_t t_start, int64_t t_end)
{
	GEN_ARENA(a);
	int rc;

	if ((rc = ecms__gen_check(h, "board", -1, board, ECMS_GEN_NAME_MAX, false)) ||
	    (work_order &&
	     (rc = ecms__gen_check(h, "work_order", -1, work_order, ECMS_GEN_NAME_MAX, false))) ||
	    (rc = ecms__gen_check(h, "machine", -1, machine, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "program", -1, program, ECMS_GEN_NAME_MAX, false)))
		return rc;
	if (t_start < 0 || t_end < t_start || t_end > INT64_C(253402300799999)) {
		char s[ECMS_TIME_LEN], e[ECMS_TIME_LEN];
		if (t_start < 0 || t_end > INT64_C(253402300799999))
			return ecms__ctxfail(h, ECMS_EINVAL, "t_start",
					     "pass times %lld..%lld are not UTC milliseconds "
					     "since 1970",
					     (long long)t_start, (long long)t_end);
		return ecms__ctxfail(h, ECMS_EINVAL, "t_end",
				     "pass of board '%s' ends (%s) before it starts (%s)", board,
				     ecms_time_format(t_end, e), ecms_time_format(t_start, s));
	}
	if ((rc = ecms__begin(h)))
		return rc;
	rc = board_pass(h, &a, board, work_order, machine, program, t_start, t_end);
	ecms__gen_arena_free(&a);
	return ecms__end(h, rc);
}

/* ------------------------------------------------------------------
 * Exact records
 * ------------------------------------------------------------------ */

/* What one refdes of a batch does to the store. */
struct action {
	int64_t board_id, machine_id;
	const char *board, *refdes, *uid, *timeline;
	bool drop; /* delete an earlier exact exception (it agrees now) */
	bool pending;
};

/* The passes of one (board, machine), cached for the batch. */
/* The board's exceptions as they were before the batch (one query per
 * board and machine instead of one per refdes: most boards have none). */
struct bm_exc {
	const char *refdes;
	char source[16];
};

struct bm {
	int64_t board_id, machine_id;
	struct gen_passes passes;
	struct bm_exc *exc;
	size_t nexc;
};

static int
bm_exceptions(ecms *h, struct gen_arena *a, struct bm *bm)
{
	ecms__stmt *st;
	size_t cap = 0;
	int rc;

	bm->exc = NULL;
	bm->nexc = 0;
	rc = ecms__q(h, &st, "SELECT refdes, source FROM gen_exceptions WHERE board_id = ?", "i",
		     bm->board_id);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *ref = ecms__col_text(st, 0);
		size_t len = strlen(ref) + 1;
		char *copy;
		if (bm->nexc == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct bm_exc *nv = ecms__gen_alloc(a, nc * sizeof(*nv));
			if (nv == NULL) {
				ecms__done(h, st);
				return oom(h);
			}
			if (bm->nexc)
				memcpy(nv, bm->exc, bm->nexc * sizeof(*nv));
			bm->exc = nv;
			cap = nc;
		}
		if ((copy = ecms__gen_alloc(a, len)) == NULL) {
			ecms__done(h, st);
			return oom(h);
		}
		memcpy(copy, ref, len);
		bm->exc[bm->nexc].refdes = copy;
		ecms__strlcpy(bm->exc[bm->nexc].source, ecms__col_text(st, 1),
			      sizeof(bm->exc[0].source));
		bm->nexc++;
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

static int
board_machine(ecms *h, struct gen_arena *a, struct gen_progs *cache, struct bm **v, size_t *n,
	      size_t *cap, int64_t board_id, int64_t machine_id, struct bm **out)
{
	int rc;

	for (size_t i = 0; i < *n; i++) {
		if ((*v)[i].board_id == board_id && (*v)[i].machine_id == machine_id) {
			*out = &(*v)[i];
			return ECMS_OK;
		}
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct bm *nv = ecms__gen_alloc(a, nc * sizeof(*nv));
		if (nv == NULL)
			return oom(h);
		if (*n)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
		*cap = nc;
	}
	*out = &(*v)[*n];
	(*out)->board_id = board_id;
	(*out)->machine_id = machine_id;
	rc = ecms__gen_board_passes(h, a, cache, board_id, machine_id, &(*out)->passes);
	if (rc == ECMS_OK)
		rc = bm_exceptions(h, a, *out);
	if (rc == ECMS_OK)
		(*n)++;
	return rc;
}

/* The existing exception's source for (board, refdes) ("" if none). */
static const char *
exception_source(const struct bm *bm, const char *refdes)
{
	for (size_t i = 0; i < bm->nexc; i++)
		if (strcmp(bm->exc[i].refdes, refdes) == 0)
			return bm->exc[i].source;
	return "";
}

/* The program slot placing refdes, trying slot `hint` and the one after
 * it first: a record lists the refdes of one slot, and records tend to
 * come in slot order. */
static const struct gen_pslot *
prog_find_near(const struct gen_prog *p, const char *refdes, size_t *si, size_t hint)
{
	for (size_t k = hint; k < p->nslots && k <= hint + 1; k++)
		for (size_t j = 0; j < p->slots[k].nrefdes; j++)
			if (strcmp(p->slots[k].refdes[j], refdes) == 0) {
				*si = k;
				return &p->slots[k];
			}
	return ecms__gen_prog_find(p, refdes, si);
}

struct actions {
	struct action *v;
	size_t n, cap;
};

static int
action_add(ecms *h, struct gen_arena *a, struct actions *as, const struct action *x)
{
	/* A refdes named twice in one batch: the last wins. */
	for (size_t i = 0; i < as->n; i++) {
		if (as->v[i].board_id == x->board_id && strcmp(as->v[i].refdes, x->refdes) == 0) {
			as->v[i] = *x;
			return ECMS_OK;
		}
	}
	if (as->n == as->cap) {
		size_t nc = as->cap ? as->cap * 2 : 32;
		struct action *v = ecms__gen_alloc(a, nc * sizeof(*v));
		if (v == NULL)
			return oom(h);
		if (as->n)
			memcpy(v, as->v, as->n * sizeof(*v));
		as->v = v;
		as->cap = nc;
	}
	as->v[as->n++] = *x;
	return ECMS_OK;
}

/* Compare one record with the timeline; collect actions and grey ends. */
static int
install_record(ecms *h, struct gen_arena *a, struct gen_progs *cache, struct bm **bms, size_t *nbm,
	       size_t *capbm, const struct ecms_gen_install *r, long ri, struct actions *as,
	       struct grey_ends *g, struct ecms_gen_install_report *rep, size_t *hint)
{
	struct gen_machine m;
	struct bm *bm = NULL;
	int64_t board_id = 0;
	int rc;

	if ((rc = ecms__gen_check(h, "board", ri, r->board, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "machine", ri, r->machine, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "uid", ri, r->uid, ECMS_GEN_NAME_MAX, true)))
		return rc;
	if (r->nrefdes == 0 || r->refdes == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "refdes", "record %ld: no refdes listed",
				     ri + 1);
	for (size_t j = 0; j < r->nrefdes; j++)
		if ((rc = ecms__gen_check(h, "refdes", ri, r->refdes[j], ECMS_GEN_REFDES_MAX,
					  true)))
			return rc;
	if ((rc = ecms__gen_board(h, r->board, true, &board_id, NULL)) ||
	    (rc = ecms__gen_machine(h, r->machine, true, true, &m)) ||
	    (rc = board_machine(h, a, cache, bms, nbm, capbm, board_id, m.id, &bm)))
		return rc;
	for (size_t j = 0; j < r->nrefdes; j++) {
		struct action x = { .board_id = board_id,
				    .machine_id = m.id,
				    .board = r->board,
				    .refdes = r->refdes[j],
				    .uid = r->uid };
		struct gen_pass *p = NULL;
		const struct gen_pslot *ps = NULL;
		const char *src = exception_source(bm, r->refdes[j]);
		size_t si = 0;

		if (strcmp(src, "rework") == 0) {
			rep->superseded++;
			continue;
		}
		for (size_t k = bm->passes.n; k-- > 0 && ps == NULL;) {
			p = &bm->passes.v[k];
			ps = prog_find_near(p->prog, r->refdes[j], &si, *hint);
		}
		if (ps)
			*hint = si;
		if (bm->passes.n == 0) {
			rep->pending++;
			x.pending = true;
		} else if (ps == NULL) {
			rep->unplanned++;
		} else {
			const struct gen_uids *c;
			char newest[ECMS_GEN_NAME_MAX + 1];
			bool grey;
			int64_t ge;
			if ((rc = ecms__gen_pass_resolve(h, a, p)))
				return rc;
			c = &p->cands[si];
			if (c->n == 1 && strcmp(c->v[0], r->uid) == 0) {
				rep->agreed++;
				if (src[0] == '\0')
					continue;
				x.drop = true;
			} else {
				if (ecms__gen_uids_has(c, r->uid))
					rep->resolved++;
				else
					rep->contradicted++;
				if ((x.timeline = ecms__gen_uids_text(a, c)) == NULL)
					return oom(h);
			}
			if ((rc = slot_grey(h, m.id, ps->slot_no, &grey, &ge, newest,
					    sizeof(newest))))
				return rc;
			if (grey && p->last >= ge && strcmp(newest, r->uid) == 0)
				grey_add(g, m.id, ps->slot_no, p->t_end);
		}
		if ((rc = action_add(h, a, as, &x)))
			return rc;
	}
	return ECMS_OK;
}

static int
installed(ecms *h, struct gen_arena *a, const struct ecms_gen_install *recs, size_t n, int64_t t,
	  struct ecms_gen_install_report *rep)
{
	struct gen_progs cache = { 0 };
	struct bm *bms = NULL;
	size_t nbm = 0, capbm = 0, total = 0, stored = 0;
	struct actions as = { 0 };
	struct grey_ends g = { .n = 0 };
	json_t *ev, *jstored;
	int64_t seq;
	size_t hint = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if ((rc = install_record(h, a, &cache, &bms, &nbm, &capbm, &recs[i], (long)i, &as,
					 &g, rep, &hint)))
			return rc;
		total += recs[i].nrefdes;
	}
	jstored = json_array();
	for (size_t i = 0; jstored && i < as.n; i++) {
		if (as.v[i].drop)
			continue;
		stored++;
		if (json_array_append_new(jstored, json_pack("[s,s,s]", as.v[i].board,
							     as.v[i].refdes, as.v[i].uid))) {
			json_decref(jstored);
			jstored = NULL;
		}
	}
	ev = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "t", (json_int_t)t, "records",
		       (json_int_t)n, "refdes", (json_int_t)total, "agreed",
		       (json_int_t)rep->agreed, "resolved", (json_int_t)rep->resolved,
		       "contradicted", (json_int_t)rep->contradicted, "unplanned",
		       (json_int_t)rep->unplanned, "pending", (json_int_t)rep->pending,
		       "superseded", (json_int_t)rep->superseded, "stored", jstored);
	if (ev && g.n && json_object_set_new(ev, "grey_end", grey_json(h, &g))) {
		json_decref(ev);
		return oom(h);
	}
	if ((rc = ecms__event(h, "genealogy.installed", ev, &seq)))
		return rc;
	for (size_t i = 0; i < as.n && rc == ECMS_OK; i++) {
		const struct action *x = &as.v[i];
		if (x->drop)
			rc = ecms__exec(
				h, "DELETE FROM gen_exceptions WHERE board_id = ? AND refdes = ?",
				"it", x->board_id, x->refdes);
		else
			rc = exception_put(h, x->board_id, x->refdes, x->uid, "exact",
					   x->machine_id, x->timeline, x->pending, t, seq);
	}
	if (rc == ECMS_OK)
		rc = grey_apply(h, &g, seq);
	return rc;
}

int
ecms_gen_installed(ecms *h, const struct ecms_gen_install *recs, size_t n, int64_t t_ms,
		   struct ecms_gen_install_report *rep)
{
	struct ecms_gen_install_report r = { 0 };
	GEN_ARENA(a);
	int rc;

	if (n == 0)
		return ecms__ctxfail(h, ECMS_EINVAL, "records", "no exact records given");
	if (recs == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "records", "no record list given");
	if (t_ms < 0 || t_ms > INT64_C(253402300799999))
		return ecms__ctxfail(h, ECMS_EINVAL, "t_ms",
				     "t_ms %lld is not a time in UTC milliseconds since 1970",
				     (long long)t_ms);
	if ((rc = ecms__begin(h)))
		return rc;
	rc = installed(h, &a, recs, n, t_ms, &r);
	ecms__gen_arena_free(&a);
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && rep)
		*rep = r;
	return rc;
}

/* ------------------------------------------------------------------
 * Rework
 * ------------------------------------------------------------------ */

static int
rework(ecms *h, struct gen_arena *a, const char *board, const char *refdes, const char *new_uid,
       const char *user, const char *reason, int64_t t)
{
	struct gen_progs cache = { 0 };
	struct gen_passes passes;
	struct gen_pass *p = NULL;
	const struct gen_pslot *ps = NULL;
	char old_src[16] = "", *old_uid = NULL, *timeline = NULL;
	const char *old;
	bool had_exc = false, old_null = false;
	int64_t board_id, seq, machine_id = 0;
	size_t si = 0;
	ecms__stmt *st;
	json_t *ev;
	int rc;

	if ((rc = ecms__gen_board(h, board, false, &board_id, NULL)))
		return rc;
	rc = ecms__q(h, &st,
		     "SELECT uid, source, machine_id FROM gen_exceptions WHERE board_id = ? "
		     "AND refdes = ?",
		     "it", board_id, refdes);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *u = ecms__col_text(st, 0);
		had_exc = true;
		old_null = u == NULL;
		old_uid = u ? ecms__gen_strndup(a, u, strlen(u)) : NULL;
		ecms__strlcpy(old_src, ecms__col_text(st, 1), sizeof(old_src));
		machine_id = ecms__col_int(st, 2);
	}
	ecms__done(h, st);
	if (rc != ECMS__ROW && rc != ECMS__DONE)
		return rc;
	if (had_exc && !old_null && old_uid == NULL)
		return oom(h);
	if ((rc = ecms__gen_board_passes(h, a, &cache, board_id, 0, &passes)))
		return rc;
	for (size_t k = passes.n; k-- > 0 && ps == NULL;) {
		p = &passes.v[k];
		ps = ecms__gen_prog_find(p->prog, refdes, &si);
	}
	if (ps) {
		if ((rc = ecms__gen_pass_resolve(h, a, p)))
			return rc;
		if ((timeline = ecms__gen_uids_text(a, &p->cands[si])) == NULL)
			return oom(h);
		if (!had_exc)
			machine_id = p->machine_id;
	} else if (!had_exc) {
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "refdes",
				     "board '%s' has no refdes '%s': neither the programs of its "
				     "passes nor its exact records name it",
				     board, refdes);
	}
	old = had_exc ? (old_uid ? old_uid : "") : timeline;
	if (!had_exc)
		ecms__strlcpy(old_src, "timeline", sizeof(old_src));
	ev = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "board", board, "refdes", refdes, "old",
		       old, "old_source", old_src, "user", user, "reason", reason, "t",
		       (json_int_t)t);
	if (ev && json_object_set_new(ev, "new", new_uid ? json_string(new_uid) : json_null())) {
		json_decref(ev);
		return oom(h);
	}
	if ((rc = ecms__event(h, "genealogy.rework", ev, &seq)))
		return rc;
	rc = ecms__exec(h,
			"INSERT INTO gen_rework (board_id, refdes, old_uids, old_source, new_uid, "
			"user_id, reason, t_ms, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"ittttttii", board_id, refdes, old, old_src, new_uid, user, reason, t, seq);
	if (rc == ECMS_OK)
		rc = exception_put(h, board_id, refdes, new_uid, "rework", machine_id, timeline,
				   false, t, seq);
	return rc;
}

int
ecms_gen_rework(ecms *h, const char *board, const char *refdes, const char *new_uid,
		const char *user, const char *reason, int64_t t_ms)
{
	GEN_ARENA(a);
	int rc;

	if (user == NULL)
		user = ecms_actor(h);
	if ((rc = ecms__gen_check(h, "board", -1, board, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "refdes", -1, refdes, ECMS_GEN_REFDES_MAX, true)) ||
	    (new_uid && (rc = ecms__gen_check(h, "uid", -1, new_uid, ECMS_GEN_NAME_MAX, true))) ||
	    (rc = ecms__gen_check(h, "user", -1, user, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "reason", -1, reason, 1000, false)))
		return rc;
	if (t_ms < 0 || t_ms > INT64_C(253402300799999))
		return ecms__ctxfail(h, ECMS_EINVAL, "t_ms",
				     "t_ms %lld is not a time in UTC milliseconds since 1970",
				     (long long)t_ms);
	if ((rc = ecms__begin(h)))
		return rc;
	rc = rework(h, &a, board, refdes, new_uid, user, reason, t_ms);
	ecms__gen_arena_free(&a);
	return ecms__end(h, rc);
}
