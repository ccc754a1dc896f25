/*
 * genealogy_trace.c: reading genealogy back. Programs are parsed from
 * their one-row map; a pass's window is resolved by replaying its
 * machine's epochs from the checkpoint at or before its first epoch; the
 * backward trace joins that with the board's exceptions and rework, and
 * the forward trace walks a package's mounts to the passes whose epoch
 * range overlaps them.
 */
#include <stdlib.h>
#include <string.h>

#include "genealogy_int.h"

static int
oom(ecms *h)
{
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

/* ------------------------------------------------------------------
 * Programs
 * ------------------------------------------------------------------ */

int
ecms__gen_prog_parse(struct gen_arena *a, const char *map, struct gen_prog *p)
{
	size_t len = strlen(map), nl = 0, nref = 0, k = 0;
	char *t = ecms__gen_strndup(a, map, len), *line;
	const char **refs;

	if (t == NULL)
		return ECMS_ENOMEM;
	for (size_t i = 0; i < len; i++) {
		nl += t[i] == '\n';
		nref += t[i] == ' ' || t[i] == '\n';
	}
	p->slots = ecms__gen_alloc(a, (nl ? nl : 1) * sizeof(*p->slots));
	refs = ecms__gen_alloc(a, (nref ? nref : 1) * sizeof(*refs));
	if (p->slots == NULL || refs == NULL)
		return ECMS_ENOMEM;
	p->nslots = 0;
	for (line = t; *line;) {
		char *end = strchr(line, '\n'), *f[4], *q = line;
		struct gen_pslot *s = &p->slots[p->nslots];
		int64_t no = 0;
		if (end == NULL)
			return ECMS_EINVAL;
		*end = '\0';
		for (int i = 0; i < 4; i++) {
			f[i] = q;
			if (i < 3) {
				q = strchr(q, '\t');
				if (q == NULL)
					return ECMS_EINVAL;
				*q++ = '\0';
			}
		}
		for (const char *d = f[0]; *d; d++) {
			if (*d < '0' || *d > '9')
				return ECMS_EINVAL;
			no = no * 10 + (*d - '0');
		}
		s->slot_no = no;
		s->slot = f[1];
		s->ipn = f[2];
		s->refdes = &refs[k];
		s->nrefdes = 0;
		for (char *r = f[3]; *r;) {
			char *sp = strchr(r, ' ');
			if (sp)
				*sp = '\0';
			if (k < nref)
				refs[k++] = r;
			s->nrefdes++;
			if (sp == NULL)
				break;
			r = sp + 1;
		}
		p->nslots++;
		line = end + 1;
	}
	return ECMS_OK;
}

int
ecms__gen_prog_load(ecms *h, struct gen_arena *a, struct gen_progs *cache, int64_t id,
		    struct gen_prog **out)
{
	struct gen_prog *p;
	ecms__stmt *st;
	int rc;

	for (size_t i = 0; i < cache->n; i++) {
		if (cache->v[i]->id == id) {
			*out = cache->v[i];
			return ECMS_OK;
		}
	}
	if (cache->n == cache->cap) {
		size_t cap = cache->cap ? cache->cap * 2 : 8;
		struct gen_prog **v = ecms__gen_alloc(a, cap * sizeof(*v));
		if (v == NULL)
			return oom(h);
		if (cache->n)
			memcpy(v, cache->v, cache->n * sizeof(*v));
		cache->v = v;
		cache->cap = cap;
	}
	p = ecms__gen_alloc(a, sizeof(*p));
	if (p == NULL)
		return oom(h);
	rc = ecms__q(h, &st, "SELECT machine_id, name, version, map FROM gen_programs WHERE id = ?",
		     "i", id);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		p->id = id;
		p->machine_id = ecms__col_int(st, 0);
		p->version = ecms__col_int(st, 2);
		p->name =
			ecms__gen_strndup(a, ecms__col_text(st, 1), strlen(ecms__col_text(st, 1)));
		rc = p->name ? ecms__gen_prog_parse(a, ecms__col_text(st, 3), p) : ECMS_ENOMEM;
		if (rc == ECMS_ENOMEM)
			rc = oom(h);
		else if (rc)
			rc = ecms__ctxfail(h, ECMS_ESTORE, NULL, "program %lld: its map is damaged",
					   (long long)id);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "program %lld vanished", (long long)id);
	}
	ecms__done(h, st);
	if (rc)
		return rc;
	cache->v[cache->n++] = p;
	*out = p;
	return ECMS_OK;
}

const struct gen_pslot *
ecms__gen_prog_find(const struct gen_prog *p, const char *refdes, size_t *slot_index)
{
	for (size_t i = 0; i < p->nslots; i++) {
		for (size_t j = 0; j < p->slots[i].nrefdes; j++) {
			if (strcmp(p->slots[i].refdes[j], refdes) == 0) {
				if (slot_index)
					*slot_index = i;
				return &p->slots[i];
			}
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------
 * The epoch replay
 * ------------------------------------------------------------------ */

/* Parse one state line's slot number; *p moves past it. -1 if malformed. */
static int64_t
line_slot(const char **p)
{
	int64_t v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	*p = s;
	return v;
}

int
ecms__gen_window(ecms *h, struct gen_arena *a, int64_t machine_id, int64_t first, int64_t last,
		 const int64_t *want, size_t n, struct gen_uids *out)
{
	struct gen_uids *cur;
	int32_t *idx;
	int64_t maxs = -1, start;
	bool snap = first <= 0;
	ecms__stmt *st;
	int rc;

	memset(out, 0, n * sizeof(*out));
	if (n == 0 || last <= 0)
		return ECMS_OK;
	for (size_t i = 0; i < n; i++)
		if (want[i] > maxs)
			maxs = want[i];
	idx = ecms__gen_alloc(a, (size_t)(maxs + 1) * sizeof(*idx));
	cur = ecms__gen_alloc(a, n * sizeof(*cur));
	if (idx == NULL || cur == NULL)
		return oom(h);
	memset(cur, 0, n * sizeof(*cur));
	for (int64_t s = 0; s <= maxs; s++)
		idx[s] = -1;
	for (size_t i = 0; i < n; i++)
		if (want[i] >= 0)
			idx[want[i]] = (int32_t)i;
	start = first - first % GEN_K;
	if (start < 1)
		start = 1;
	rc = ecms__q(h, &st,
		     "SELECT epoch, is_full, state FROM gen_epochs WHERE machine_id = ? "
		     "AND epoch >= ? AND epoch <= ? ORDER BY epoch",
		     "iii", machine_id, start, last);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		int64_t e = ecms__col_int(st, 0);
		const char *p = ecms__col_text(st, 2);
		if (!snap && e > first) {
			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < cur[i].n && rc == ECMS__ROW; j++)
					if (ecms__gen_uids_add(a, &out[i], cur[i].v[j]))
						rc = ECMS_ENOMEM;
			snap = true;
		}
		if (ecms__col_int(st, 1))
			for (size_t i = 0; i < n; i++)
				cur[i].n = 0;
		while (rc == ECMS__ROW && p && *p) {
			int64_t s = line_slot(&p);
			int32_t i;
			if (s < 0) {
				rc = ECMS_EINVAL;
				break;
			}
			i = s <= maxs ? idx[s] : -1;
			if (i >= 0)
				cur[i] = (struct gen_uids){ 0 };
			while (*p == ' ') {
				const char *u = ++p;
				while (*p && *p != ' ' && *p != '\n')
					p++;
				if (i >= 0 && p > u) {
					const char *c = ecms__gen_strndup(a, u, (size_t)(p - u));
					if (c == NULL || ecms__gen_uids_add(a, &cur[i], c) ||
					    (snap && ecms__gen_uids_add(a, &out[i], c))) {
						rc = ECMS_ENOMEM;
						break;
					}
				}
			}
			if (*p == '\n')
				p++;
		}
		if (rc != ECMS__ROW)
			break;
	}
	ecms__done(h, st);
	if (rc == ECMS_ENOMEM)
		return oom(h);
	if (rc == ECMS_EINVAL)
		return ecms__ctxfail(h, ECMS_ESTORE, NULL, "machine %lld: an epoch row is damaged",
				     (long long)machine_id);
	if (rc != ECMS__DONE)
		return rc;
	if (!snap)
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < cur[i].n; j++)
				if (ecms__gen_uids_add(a, &out[i], cur[i].v[j]))
					return oom(h);
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Passes
 * ------------------------------------------------------------------ */

int
ecms__gen_board_passes(ecms *h, struct gen_arena *a, struct gen_progs *cache, int64_t board_id,
		       int64_t machine_id, struct gen_passes *out)
{
	ecms__stmt *st;
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (machine_id > 0)
		rc = ecms__q(h, &st,
			     "SELECT p.id, p.machine_id, m.name, p.program_id, p.first_epoch, "
			     "p.last_epoch, p.t_start, p.t_end FROM gen_passes p "
			     "JOIN gen_machines m ON m.id = p.machine_id "
			     "WHERE p.board_id = ? AND p.machine_id = ? ORDER BY p.t_start, p.id",
			     "ii", board_id, machine_id);
	else
		rc = ecms__q(h, &st,
			     "SELECT p.id, p.machine_id, m.name, p.program_id, p.first_epoch, "
			     "p.last_epoch, p.t_start, p.t_end FROM gen_passes p "
			     "JOIN gen_machines m ON m.id = p.machine_id "
			     "WHERE p.board_id = ? ORDER BY p.t_start, p.id",
			     "i", board_id);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		struct gen_pass *p;
		const char *name = ecms__col_text(st, 2);
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct gen_pass *v = ecms__gen_alloc(a, nc * sizeof(*v));
			if (v == NULL) {
				rc = ECMS_ENOMEM;
				break;
			}
			if (out->n)
				memcpy(v, out->v, out->n * sizeof(*v));
			out->v = v;
			cap = nc;
		}
		p = &out->v[out->n];
		memset(p, 0, sizeof(*p));
		p->id = ecms__col_int(st, 0);
		p->machine_id = ecms__col_int(st, 1);
		p->machine = ecms__gen_strndup(a, name, strlen(name));
		p->program_id = ecms__col_int(st, 3);
		p->first = ecms__col_int(st, 4);
		p->last = ecms__col_int(st, 5);
		p->t_start = ecms__col_int(st, 6);
		p->t_end = ecms__col_int(st, 7);
		if (p->machine == NULL) {
			rc = ECMS_ENOMEM;
			break;
		}
		out->n++;
	}
	ecms__done(h, st);
	if (rc == ECMS_ENOMEM)
		return oom(h);
	if (rc != ECMS__DONE)
		return rc;
	for (size_t i = 0; i < out->n; i++)
		if ((rc = ecms__gen_prog_load(h, a, cache, out->v[i].program_id, &out->v[i].prog)))
			return rc;
	return ECMS_OK;
}

int
ecms__gen_pass_resolve(ecms *h, struct gen_arena *a, struct gen_pass *p)
{
	int64_t *want;
	size_t n = p->prog->nslots;

	if (p->cands)
		return ECMS_OK;
	want = ecms__gen_alloc(a, (n ? n : 1) * sizeof(*want));
	p->cands = ecms__gen_alloc(a, (n ? n : 1) * sizeof(*p->cands));
	if (want == NULL || p->cands == NULL) {
		p->cands = NULL;
		return oom(h);
	}
	for (size_t i = 0; i < n; i++)
		want[i] = p->prog->slots[i].slot_no;
	return ecms__gen_window(h, a, p->machine_id, p->first, p->last, want, n, p->cands);
}

/* ------------------------------------------------------------------
 * Backward trace
 * ------------------------------------------------------------------ */

struct exc {
	const char *refdes, *uid, *source, *timeline, *machine;
	int64_t t_ms;
	bool used;
};

static int
cmp_exc(const void *a, const void *b)
{
	return strcmp(((const struct exc *)a)->refdes, ((const struct exc *)b)->refdes);
}

static char *
col_dup(struct gen_arena *a, ecms__stmt *st, int col, bool *fail)
{
	const char *s = ecms__col_text(st, col);
	char *d;

	if (s == NULL)
		return NULL;
	d = ecms__gen_strndup(a, s, strlen(s));
	if (d == NULL)
		*fail = true;
	return d;
}

/* A board's exceptions, sorted by refdes. */
static int
load_exceptions(ecms *h, struct gen_arena *a, int64_t board_id, struct exc **out, size_t *n)
{
	ecms__stmt *st;
	size_t cap = 0;
	bool fail = false;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ecms__q(h, &st,
		     "SELECT e.refdes, e.uid, e.source, e.timeline, m.name, e.t_ms "
		     "FROM gen_exceptions e LEFT JOIN gen_machines m ON m.id = e.machine_id "
		     "WHERE e.board_id = ?",
		     "i", board_id);
	if (rc)
		return rc;
	while (!fail && (rc = ecms__step(h, st)) == ECMS__ROW) {
		struct exc *e;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct exc *v = ecms__gen_alloc(a, nc * sizeof(*v));
			if (v == NULL) {
				fail = true;
				break;
			}
			if (*n)
				memcpy(v, *out, *n * sizeof(*v));
			*out = v;
			cap = nc;
		}
		e = &(*out)[(*n)++];
		e->refdes = col_dup(a, st, 0, &fail);
		e->uid = col_dup(a, st, 1, &fail);
		e->source = col_dup(a, st, 2, &fail);
		e->timeline = col_dup(a, st, 3, &fail);
		e->machine = col_dup(a, st, 4, &fail);
		e->t_ms = ecms__col_int(st, 5);
		e->used = false;
	}
	ecms__done(h, st);
	if (fail)
		return oom(h);
	if (rc != ECMS__DONE)
		return rc;
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_exc);
	return ECMS_OK;
}

static struct exc *
find_exc(struct exc *v, size_t n, const char *refdes)
{
	struct exc key = { .refdes = refdes };

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_exc) : NULL;
}

static json_t *
time_json(int64_t ms)
{
	char buf[ECMS_TIME_LEN];

	return json_string(ecms_time_format(ms, buf));
}

/* A JSON array of the space-separated UIDs in s ("" gives []). */
static json_t *
uids_json_text(const char *s)
{
	json_t *arr = json_array();

	for (const char *p = s; arr && p && *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (json_array_append_new(arr, json_stringn(p, l))) {
			json_decref(arr);
			return NULL;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return arr;
}

static json_t *
uids_json(const struct gen_uids *s)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < s->n; i++) {
		if (json_array_append_new(arr, json_string(s->v[i]))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* Set key to v (stolen) in o; false on failure. */
static bool
put(json_t *o, const char *key, json_t *v)
{
	return v && json_object_set_new_nocheck(o, key, v) == 0;
}

/* Set key to a shared value (a new reference). */
static bool
put_shared(json_t *o, const char *key, json_t *v)
{
	return v && json_object_set_nocheck(o, key, v) == 0;
}

/* One part entry. exc may be NULL; cands: the timeline's answer (NULL
 * when there is no pass for it). */
static json_t *
part_json(const char *refdes, const struct gen_uids *cands, const struct exc *exc, json_t *machine,
	  json_t *slot, json_t *program, json_t *time, json_t *src_timeline)
{
	json_t *o = json_object();
	bool ok = o != NULL;

	ok = ok && put(o, "refdes", json_string(refdes));
	if (exc) {
		ok = ok && put(o, "uid", exc->uid ? json_string(exc->uid) : json_null()) &&
		     put(o, "ambiguous", json_false()) &&
		     put(o, "candidates", exc->uid ? json_pack("[s]", exc->uid) : json_array()) &&
		     put(o, "source", json_string(exc->source)) &&
		     put(o, "time", time_json(exc->t_ms));
		if (cands)
			ok = ok && put(o, "timeline", uids_json(cands));
		else if (exc->timeline)
			ok = ok && put(o, "timeline", uids_json_text(exc->timeline));
	} else {
		bool one = cands->n == 1;
		ok = ok && put(o, "uid", one ? json_string(cands->v[0]) : json_null()) &&
		     put(o, "ambiguous", json_boolean(!one)) &&
		     put(o, "candidates", uids_json(cands)) &&
		     put_shared(o, "source", src_timeline) && put_shared(o, "time", time);
	}
	ok = ok && put_shared(o, "machine", machine) && put_shared(o, "slot", slot) &&
	     put_shared(o, "program", program);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
rework_history(ecms *h, int64_t board_id, json_t *arr)
{
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT refdes, old_uids, old_source, new_uid, user_id, reason, t_ms "
		     "FROM gen_rework WHERE board_id = ? ORDER BY id",
		     "i", board_id);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *nu = ecms__col_text(st, 3);
		json_t *o = json_pack(
			"{s:s,s:o,s:s,s:o,s:s,s:s,s:o}", "refdes", ecms__col_text(st, 0), "old",
			uids_json_text(ecms__col_text(st, 1)), "old_source", ecms__col_text(st, 2),
			"new", nu ? json_string(nu) : json_null(), "user", ecms__col_text(st, 4),
			"reason", ecms__col_text(st, 5), "time", time_json(ecms__col_int(st, 6)));
		if (o == NULL || json_array_append_new(arr, o)) {
			rc = oom(h);
			break;
		}
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

static int
trace_board(ecms *h, struct gen_arena *a, const char *board, json_t *o)
{
	struct gen_progs cache = { 0 };
	struct gen_passes passes;
	struct exc *ex = NULL;
	size_t nex = 0;
	json_t *jpasses = json_array(), *parts = json_array(), *rework = json_array();
	json_t *src = json_string("timeline");
	int64_t board_id = 0;
	bool has_exc = false;
	ecms__stmt *st;
	int rc;

	if (!put(o, "passes", jpasses) || !put(o, "parts", parts) || !put(o, "rework", rework) ||
	    src == NULL) {
		json_decref(src);
		return oom(h);
	}
	rc = ecms__q(h, &st, "SELECT id, work_order, has_exc FROM gen_boards WHERE serial = ?", "t",
		     board);
	if (rc)
		goto out;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *wo = ecms__col_text(st, 1);
		board_id = ecms__col_int(st, 0);
		has_exc = ecms__col_int(st, 2) != 0;
		rc = put(o, "work_order", wo ? json_string(wo) : json_null()) ? ECMS_OK : oom(h);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "board",
				   "unknown board '%s': no pass or record names it", board);
	}
	ecms__done(h, st);
	if (rc)
		goto out;
	if ((rc = ecms__gen_board_passes(h, a, &cache, board_id, 0, &passes)))
		goto out;
	if (has_exc && (rc = load_exceptions(h, a, board_id, &ex, &nex)))
		goto out;
	for (size_t i = 0; i < passes.n && rc == ECMS_OK; i++) {
		struct gen_pass *p = &passes.v[i];
		json_t *machine = json_string(p->machine), *program = json_string(p->prog->name);
		json_t *time = time_json(p->t_start), *jp;

		rc = ecms__gen_pass_resolve(h, a, p);
		if (rc == ECMS_OK && (machine == NULL || program == NULL || time == NULL))
			rc = oom(h);
		if (rc == ECMS_OK) {
			jp = json_pack("{s:O,s:O,s:I,s:O,s:o,s:I,s:I}", "machine", machine,
				       "program", program, "version", (json_int_t)p->prog->version,
				       "start", time, "end", time_json(p->t_end), "first_epoch",
				       (json_int_t)p->first, "last_epoch", (json_int_t)p->last);
			if (jp == NULL || json_array_append_new(jpasses, jp))
				rc = oom(h);
		}
		for (size_t s = 0; s < p->prog->nslots && rc == ECMS_OK; s++) {
			const struct gen_pslot *ps = &p->prog->slots[s];
			json_t *slot = json_string(ps->slot);
			for (size_t r = 0; r < ps->nrefdes && rc == ECMS_OK; r++) {
				struct exc *e = find_exc(ex, nex, ps->refdes[r]);
				json_t *part;
				if (e)
					e->used = true;
				part = part_json(ps->refdes[r], &p->cands[s], e, machine, slot,
						 program, time, src);
				if (part == NULL || json_array_append_new(parts, part))
					rc = oom(h);
			}
			json_decref(slot);
		}
		json_decref(machine);
		json_decref(program);
		json_decref(time);
	}
	for (size_t i = 0; i < nex && rc == ECMS_OK; i++) {
		json_t *part, *machine;
		if (ex[i].used)
			continue;
		machine = ex[i].machine ? json_string(ex[i].machine) : json_null();
		part = part_json(ex[i].refdes, NULL, &ex[i], machine, json_null(), json_null(),
				 NULL, src);
		json_decref(machine);
		if (part == NULL || json_array_append_new(parts, part))
			rc = oom(h);
	}
	if (rc == ECMS_OK && has_exc)
		rc = rework_history(h, board_id, rework);
out:
	json_decref(src);
	return rc;
}

int
ecms_gen_trace_board(ecms *h, const char *board, json_t **out)
{
	struct gen_arena a = { 0 };
	json_t *o;
	int rc;

	*out = NULL;
	if ((rc = ecms__gen_check(h, "board", -1, board, ECMS_GEN_NAME_MAX, false)))
		return rc;
	o = json_pack("{s:s}", "board", board);
	if (o == NULL)
		return oom(h);
	rc = trace_board(h, &a, board, o);
	ecms__gen_arena_free(&a);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Forward trace
 * ------------------------------------------------------------------ */

/* One (board, refdes) the packages fed or may have fed. */
struct hit {
	int64_t board_id;
	const char *serial, *work_order, *refdes;
	bool certain, from_exc, has_exc;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

static int
hit_add(struct hits *hs, const struct hit *x)
{
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 256;
		struct hit *v = ecms__realloc(hs->v, cap * sizeof(*v));
		if (v == NULL)
			return ECMS_ENOMEM;
		hs->v = v;
		hs->cap = cap;
	}
	hs->v[hs->n++] = *x;
	return ECMS_OK;
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c;

	if (x->board_id != y->board_id)
		return x->board_id < y->board_id ? -1 : 1;
	c = strcmp(x->refdes, y->refdes);
	if (c)
		return c;
	if (x->from_exc != y->from_exc)
		return x->from_exc ? -1 : 1;
	return (int)y->certain - (int)x->certain;
}

struct segment {
	int64_t machine_id, slot_no, from, to; /* to: exclusive, INT64_MAX while open */
	bool shared;
};

/* What a scan of one mount segment needs. */
struct scan_ctx {
	ecms *h;
	struct gen_arena *a;
	struct gen_progs *cache;
	struct hits *hits;
	const struct segment *seg;
	const char *uid;
};

static int
scan_row(struct scan_ctx *c, ecms__stmt *st)
{
	ecms *h = c->h;
	const struct segment *sg = c->seg;
	struct gen_prog *prog;
	const struct gen_pslot *ps = NULL;
	size_t si = 0;
	struct hit x;
	bool fail = false;
	int64_t first = ecms__col_int(st, 3), last = ecms__col_int(st, 4);
	int rc;

	if ((rc = ecms__gen_prog_load(h, c->a, c->cache, ecms__col_int(st, 2), &prog)))
		return rc;
	for (si = 0; si < prog->nslots; si++) {
		if (prog->slots[si].slot_no == sg->slot_no) {
			ps = &prog->slots[si];
			break;
		}
	}
	if (ps == NULL)
		return ECMS_OK;
	x.certain = !sg->shared && first >= sg->from && last < sg->to;
	if (!sg->shared && !x.certain) {
		/* A window reaching outside the mount: replay it. */
		struct gen_uids set;
		rc = ecms__gen_window(h, c->a, sg->machine_id, first, last, &sg->slot_no, 1, &set);
		if (rc)
			return rc;
		if (!ecms__gen_uids_has(&set, c->uid))
			return ECMS_OK;
		x.certain = set.n == 1;
	}
	x.board_id = ecms__col_int(st, 0);
	x.serial = col_dup(c->a, st, 5, &fail);
	x.work_order = col_dup(c->a, st, 6, &fail);
	x.has_exc = ecms__col_int(st, 7) != 0;
	x.from_exc = false;
	if (fail)
		return oom(h);
	for (size_t r = 0; r < ps->nrefdes; r++) {
		x.refdes = ps->refdes[r];
		if (hit_add(c->hits, &x))
			return oom(h);
	}
	return ECMS_OK;
}

/* The passes of the segment's machine whose window overlaps the segment's
 * epochs, with their board: the normal ones through gen_passes_epoch, the
 * long ones through gen_passes_long. */
static int
scan_segment(struct scan_ctx *c)
{
	const struct segment *sg = c->seg;
	int64_t hi = sg->to == INT64_MAX ? INT64_MAX : sg->to - 1;
	int64_t hi_last = hi > INT64_MAX - GEN_LONG_SPAN ? INT64_MAX : hi + GEN_LONG_SPAN;
	ecms__stmt *st;
	int rc;

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			rc = ecms__q(c->h, &st,
				     "SELECT p.board_id, p.id, p.program_id, p.first_epoch, "
				     "p.last_epoch, b.serial, b.work_order, b.has_exc "
				     "FROM gen_passes p JOIN gen_boards b ON b.id = p.board_id "
				     "WHERE p.machine_id = ? AND p.last_epoch >= ? "
				     "AND p.last_epoch <= ? AND p.first_epoch <= ? "
				     "AND p.last_epoch - p.first_epoch <= 64",
				     "iiii", sg->machine_id, sg->from, hi_last, hi);
		else
			rc = ecms__q(c->h, &st,
				     "SELECT p.board_id, p.id, p.program_id, p.first_epoch, "
				     "p.last_epoch, b.serial, b.work_order, b.has_exc "
				     "FROM gen_passes p JOIN gen_boards b ON b.id = p.board_id "
				     "WHERE p.machine_id = ? AND p.last_epoch - p.first_epoch > 64 "
				     "AND p.last_epoch >= ? AND p.first_epoch <= ?",
				     "iii", sg->machine_id, sg->from, hi);
		if (rc)
			return rc;
		while ((rc = ecms__step(c->h, st)) == ECMS__ROW)
			if ((rc = scan_row(c, st)))
				break;
		ecms__done(c->h, st);
		if (rc != ECMS__DONE)
			return rc;
	}
	return ECMS_OK;
}

/* Hits for one package: its mounts, then exceptions naming it. */
static int
trace_uid(ecms *h, struct gen_arena *a, struct gen_progs *cache, const char *uid, struct hits *hits)
{
	struct segment *segs = NULL;
	size_t nseg = 0, cap = 0;
	struct scan_ctx c = { h, a, cache, hits, NULL, uid };
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT machine_id, slot_no, from_epoch, to_epoch, shared FROM gen_mounts "
		     "WHERE uid = ?",
		     "t", uid);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		if (nseg == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct segment *v = ecms__gen_alloc(a, nc * sizeof(*v));
			if (v == NULL) {
				rc = ECMS_ENOMEM;
				break;
			}
			if (nseg)
				memcpy(v, segs, nseg * sizeof(*v));
			segs = v;
			cap = nc;
		}
		segs[nseg].machine_id = ecms__col_int(st, 0);
		segs[nseg].slot_no = ecms__col_int(st, 1);
		segs[nseg].from = ecms__col_int(st, 2);
		segs[nseg].to = ecms__col_null(st, 3) ? INT64_MAX : ecms__col_int(st, 3);
		segs[nseg].shared = ecms__col_int(st, 4) != 0;
		nseg++;
	}
	ecms__done(h, st);
	if (rc == ECMS_ENOMEM)
		return oom(h);
	if (rc != ECMS__DONE)
		return rc;
	for (size_t i = 0; i < nseg; i++) {
		c.seg = &segs[i];
		if ((rc = scan_segment(&c)))
			return rc;
	}
	rc = ecms__q(h, &st,
		     "SELECT e.board_id, e.refdes, b.serial, b.work_order FROM gen_exceptions e "
		     "JOIN gen_boards b ON b.id = e.board_id WHERE e.uid = ?",
		     "t", uid);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		bool fail = false;
		struct hit x = { .board_id = ecms__col_int(st, 0),
				 .certain = true,
				 .from_exc = true,
				 .has_exc = true };
		x.refdes = col_dup(a, st, 1, &fail);
		x.serial = col_dup(a, st, 2, &fail);
		x.work_order = col_dup(a, st, 3, &fail);
		if (fail || hit_add(hits, &x)) {
			rc = ECMS_ENOMEM;
			break;
		}
	}
	ecms__done(h, st);
	if (rc == ECMS_ENOMEM)
		return oom(h);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/* Drop timeline hits of boards with exceptions where an exception
 * overrides the refdes. hits are sorted. */
static int
apply_exceptions(ecms *h, struct gen_arena *a, struct hits *hs)
{
	size_t i = 0, w = 0;
	int rc = ECMS_OK;

	while (i < hs->n) {
		size_t j = i;
		struct exc *ex = NULL;
		size_t nex = 0;
		bool need = false;
		while (j < hs->n && hs->v[j].board_id == hs->v[i].board_id) {
			need |= hs->v[j].has_exc;
			j++;
		}
		if (need && (rc = load_exceptions(h, a, hs->v[i].board_id, &ex, &nex)))
			return rc;
		for (size_t k = i; k < j; k++) {
			if (!hs->v[k].from_exc && find_exc(ex, nex, hs->v[k].refdes))
				continue;
			hs->v[w++] = hs->v[k];
		}
		i = j;
	}
	hs->n = w;
	return ECMS_OK;
}

static int
hits_json(ecms *h, const struct hits *hs, json_t *arr)
{
	size_t i = 0;

	while (i < hs->n) {
		const struct hit *b = &hs->v[i];
		json_t *refs = json_array(), *amb = json_array(), *o;
		const char *prev = NULL;
		o = json_pack("{s:s,s:s?,s:o,s:o}", "board", b->serial, "work_order", b->work_order,
			      "refdes", refs, "ambiguous", amb);
		if (o == NULL || json_array_append_new(arr, o))
			return oom(h);
		for (; i < hs->n && hs->v[i].board_id == b->board_id; i++) {
			const struct hit *x = &hs->v[i];
			if (prev && strcmp(prev, x->refdes) == 0)
				continue; /* sorted: the certain one came first */
			prev = x->refdes;
			if (json_array_append_new(x->certain ? refs : amb, json_string(x->refdes)))
				return oom(h);
		}
	}
	return ECMS_OK;
}

int
ecms_gen_trace_packages(ecms *h, const char *const *uids, size_t n, json_t **out)
{
	struct gen_arena a = { 0 };
	struct gen_progs cache = { 0 };
	struct hits hits = { 0 };
	json_t *arr;
	int rc = ECMS_OK;

	*out = NULL;
	if (n > 0 && uids == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "uids", "no UID list given");
	for (size_t i = 0; i < n; i++)
		if ((rc = ecms__gen_check(h, "uid", (long)i, uids[i], ECMS_GEN_NAME_MAX, true)))
			return rc;
	for (size_t i = 0; i < n && rc == ECMS_OK; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(uids[i], uids[j]) == 0;
		if (!seen)
			rc = trace_uid(h, &a, &cache, uids[i], &hits);
	}
	if (rc == ECMS_OK && hits.n > 1)
		qsort(hits.v, hits.n, sizeof(*hits.v), cmp_hit);
	if (rc == ECMS_OK)
		rc = apply_exceptions(h, &a, &hits);
	arr = json_array();
	if (rc == ECMS_OK && arr == NULL)
		rc = oom(h);
	if (rc == ECMS_OK)
		rc = hits_json(h, &hits, arr);
	ecms__free(hits.v);
	ecms__gen_arena_free(&a);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ECMS_OK;
}
