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
ecms__gen_prog_parse(struct gen_arena *a, const char *map, size_t len, struct gen_prog *p)
{
	size_t nl = 0, nref = 0, k = 0;
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
		size_t len = 0;
		const char *map = ecms__col_blob(st, 3, &len);
		rc = p->name && map ? ecms__gen_prog_parse(a, map, len, p) : ECMS_ENOMEM;
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

/* Parse one state line's slot number (before end); *p moves past it. -1
 * if malformed. */
static int64_t
line_slot(const char **p, const char *end)
{
	int64_t v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9' && v < INT32_MAX)
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
		size_t len = 0;
		/* As a blob: no copy to add a terminator (the text may be long). */
		const char *p = ecms__col_blob(st, 2, &len), *pe = p ? p + len : p;
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
		while (rc == ECMS__ROW && p < pe) {
			int64_t s = line_slot(&p, pe);
			int32_t i;
			if (s < 0) {
				rc = ECMS_EINVAL;
				break;
			}
			i = s <= maxs ? idx[s] : -1;
			if (i >= 0)
				cur[i] = (struct gen_uids){ 0 };
			while (p < pe && *p == ' ') {
				const char *u = ++p;
				while (p < pe && *p != ' ' && *p != '\n')
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
			if (p < pe && *p == '\n')
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

static int
cmp_pass(const void *a, const void *b)
{
	const struct gen_pass *x = a, *y = b;

	if (x->t_start != y->t_start)
		return x->t_start < y->t_start ? -1 : 1;
	return x->machine_id < y->machine_id ? -1 : x->machine_id > y->machine_id;
}

int
ecms__gen_board_passes(ecms *h, struct gen_arena *a, struct gen_progs *cache, int64_t board_id,
		       int64_t machine_id, struct gen_passes *out)
{
	ecms__stmt *st;
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	/* By board alone, the machine checked here: with both, the planner
	 * would take gen_passes' key (machine first) over the board index. */
	rc = ecms__q(h, &st,
		     "SELECT p.machine_id, m.name, p.program_id, p.first_epoch, "
		     "p.last_epoch, p.t_start, p.t_end FROM gen_passes p "
		     "JOIN gen_machines m ON m.id = p.machine_id "
		     "WHERE p.board_id = ?",
		     "i", board_id);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		struct gen_pass *p;
		const char *name = ecms__col_text(st, 1);
		if (machine_id > 0 && ecms__col_int(st, 0) != machine_id)
			continue;
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
		p->machine_id = ecms__col_int(st, 0);
		p->machine = ecms__gen_strndup(a, name, strlen(name));
		p->program_id = ecms__col_int(st, 2);
		p->first = ecms__col_int(st, 3);
		p->last = ecms__col_int(st, 4);
		p->t_start = ecms__col_int(st, 5);
		p->t_end = ecms__col_int(st, 6);
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
	/* In time order (sorted here: an ORDER BY would cost a sorter). */
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_pass);
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

/* An array of the space-separated UIDs in text (arena); *n gets the count. */
static const char **
uids_split(struct gen_arena *a, const char *text, size_t *n)
{
	size_t k = 0, cap = 1;
	const char **v;
	char *t;

	*n = 0;
	if (text == NULL || *text == '\0')
		return NULL;
	for (const char *p = text; *p; p++)
		cap += *p == ' ';
	t = ecms__gen_strndup(a, text, strlen(text));
	v = ecms__gen_alloc(a, cap * sizeof(*v));
	if (t == NULL || v == NULL)
		return NULL;
	for (char *p = t; p && *p;) {
		char *sp = strchr(p, ' ');
		if (sp)
			*sp++ = '\0';
		if (*p && k < cap)
			v[k++] = p;
		p = sp;
	}
	*n = k;
	return v;
}

static const char src_timeline[] = "timeline";

/* A board's resolved parts, in arena memory. */
struct core {
	int64_t board_id;
	const char *work_order;
	bool has_exc;
	struct gen_passes passes;
	struct ecms_gen_part *parts;
	size_t nparts;
};

/*
 * Resolve every refdes of a board: each pass's window against its
 * program, then the board's exceptions over it. ECMS_ENOTFOUND for an
 * unknown board.
 */
static int
board_core(ecms *h, struct gen_arena *a, const char *board, struct core *c)
{
	struct gen_progs cache = { 0 };
	struct exc *ex = NULL;
	size_t nex = 0, total = 0, k = 0;
	ecms__stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = ecms__q(h, &st, "SELECT id, work_order, has_exc FROM gen_boards WHERE serial = ?", "t",
		     board);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		bool fail = false;
		c->board_id = ecms__col_int(st, 0);
		c->work_order = col_dup(a, st, 1, &fail);
		c->has_exc = ecms__col_int(st, 2) != 0;
		rc = fail ? oom(h) : ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "board",
				   "unknown board '%s': no pass or record names it", board);
	}
	ecms__done(h, st);
	if (rc)
		return rc;
	if ((rc = ecms__gen_board_passes(h, a, &cache, c->board_id, 0, &c->passes)))
		return rc;
	if (c->has_exc && (rc = load_exceptions(h, a, c->board_id, &ex, &nex)))
		return rc;
	for (size_t i = 0; i < c->passes.n; i++)
		for (size_t s = 0; s < c->passes.v[i].prog->nslots; s++)
			total += c->passes.v[i].prog->slots[s].nrefdes;
	c->parts = ecms__gen_alloc(a, (total + nex + 1) * sizeof(*c->parts));
	if (c->parts == NULL)
		return oom(h);
	for (size_t i = 0; i < c->passes.n; i++) {
		struct gen_pass *p = &c->passes.v[i];
		if ((rc = ecms__gen_pass_resolve(h, a, p)))
			return rc;
		for (size_t s = 0; s < p->prog->nslots; s++) {
			const struct gen_pslot *ps = &p->prog->slots[s];
			const struct gen_uids *cu = &p->cands[s];
			for (size_t r = 0; r < ps->nrefdes; r++) {
				struct ecms_gen_part *x = &c->parts[k++];
				struct exc *e = find_exc(ex, nex, ps->refdes[r]);
				x->refdes = ps->refdes[r];
				x->machine = p->machine;
				x->slot = ps->slot;
				x->program = p->prog->name;
				if (e) {
					e->used = true;
					x->uid = e->uid;
					x->candidates = e->uid ? &e->uid : NULL;
					x->ncandidates = e->uid != NULL;
					x->ambiguous = false;
					x->source = e->source;
					x->timeline = cu->v;
					x->ntimeline = cu->n;
					x->t_ms = e->t_ms;
				} else {
					x->uid = cu->n == 1 ? cu->v[0] : NULL;
					x->candidates = cu->v;
					x->ncandidates = cu->n;
					x->ambiguous = cu->n != 1;
					x->source = src_timeline;
					x->timeline = NULL;
					x->ntimeline = 0;
					x->t_ms = p->t_start;
				}
			}
		}
	}
	for (size_t i = 0; i < nex; i++) {
		struct ecms_gen_part *x;
		if (ex[i].used)
			continue;
		x = &c->parts[k++];
		memset(x, 0, sizeof(*x));
		x->refdes = ex[i].refdes;
		x->uid = ex[i].uid;
		x->candidates = ex[i].uid ? &ex[i].uid : NULL;
		x->ncandidates = ex[i].uid != NULL;
		x->source = ex[i].source;
		x->machine = ex[i].machine;
		x->t_ms = ex[i].t_ms;
		x->timeline = uids_split(a, ex[i].timeline, &x->ntimeline);
		if (x->ntimeline == 0 && ex[i].timeline && *ex[i].timeline)
			return oom(h);
	}
	c->nparts = k;
	return ECMS_OK;
}

int
ecms_gen_board_get(ecms *h, const char *board, struct ecms_gen_board *out)
{
	struct gen_arena *a;
	struct core c;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ecms__gen_check(h, "board", -1, board, ECMS_GEN_NAME_MAX, false)))
		return rc;
	a = ecms__calloc(1, sizeof(*a));
	if (a == NULL)
		return oom(h);
	rc = board_core(h, a, board, &c);
	if (rc == ECMS_OK && (out->board = ecms__gen_strndup(a, board, strlen(board))) == NULL)
		rc = oom(h);
	if (rc) {
		ecms__gen_arena_free(a);
		ecms__free(a);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	out->work_order = c.work_order;
	out->parts = c.parts;
	out->nparts = c.nparts;
	out->priv_ = a;
	return ECMS_OK;
}

void
ecms_gen_board_cleanup(struct ecms_gen_board *b)
{
	if (b == NULL)
		return;
	if (b->priv_) {
		ecms__gen_arena_free(b->priv_);
		ecms__free(b->priv_);
	}
	memset(b, 0, sizeof(*b));
}

/* A JSON array of n UIDs. */
static json_t *
uids_jsonv(const char *const *v, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < n; i++) {
		if (json_array_append_new(arr, json_string(v[i]))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* JSON values shared by consecutive parts (same pass, same slot): one
 * reference each, keyed by the pointer they were made from. */
struct shared {
	const void *key[5];
	json_t *val[5];
};
enum { SH_MACHINE, SH_SLOT, SH_PROGRAM, SH_UID, SH_CANDS };

/* The shared value i for key (made from arg when the key changes). */
static json_t *
shared_get(struct shared *sh, int i, const void *key, json_t *(*make)(const void *arg),
	   const void *arg)
{
	if (sh->val[i] == NULL || sh->key[i] != key) {
		json_decref(sh->val[i]);
		sh->val[i] = make(arg);
		sh->key[i] = key;
	}
	return sh->val[i];
}

static json_t *
make_str(const void *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
make_uid(const void *part)
{
	const struct ecms_gen_part *x = part;

	return x->uid ? json_string(x->uid) : json_null();
}

static json_t *
make_cands(const void *part)
{
	const struct ecms_gen_part *x = part;

	return uids_jsonv(x->candidates, x->ncandidates);
}

/* The parts as JSON objects (see ecms_gen_trace_board). Values equal
 * between consecutive parts are shared, not copied. */
static int
parts_json(ecms *h, const struct core *c, json_t *arr)
{
	struct shared sh = { { 0 }, { 0 } };
	json_t *src = json_string(src_timeline), *jt = NULL;
	int64_t t = 0;
	int rc = src ? ECMS_OK : oom(h);

	for (size_t i = 0; i < c->nparts && rc == ECMS_OK; i++) {
		const struct ecms_gen_part *x = &c->parts[i];
		json_t *o = json_object();
		bool ok = o != NULL && put(o, "refdes", json_string(x->refdes));
		if (x->source == src_timeline) {
			/* The parts of one slot share one candidates array. */
			if (jt == NULL || t != x->t_ms) {
				json_decref(jt);
				jt = time_json(x->t_ms);
				t = x->t_ms;
			}
			ok = ok &&
			     put_shared(o, "uid",
					shared_get(&sh, SH_UID, x->candidates, make_uid, x)) &&
			     put(o, "ambiguous", json_boolean(x->ambiguous)) &&
			     put_shared(o, "candidates",
					shared_get(&sh, SH_CANDS, x->candidates, make_cands, x)) &&
			     put_shared(o, "source", src) && put_shared(o, "time", jt);
		} else {
			ok = ok && put(o, "uid", x->uid ? json_string(x->uid) : json_null()) &&
			     put(o, "ambiguous", json_false()) &&
			     put(o, "candidates", uids_jsonv(x->candidates, x->ncandidates)) &&
			     put(o, "source", json_string(x->source)) &&
			     put(o, "time", time_json(x->t_ms)) &&
			     put(o, "timeline", uids_jsonv(x->timeline, x->ntimeline));
		}
		ok = ok &&
		     put_shared(o, "machine",
				shared_get(&sh, SH_MACHINE, x->machine, make_str, x->machine)) &&
		     put_shared(o, "slot", shared_get(&sh, SH_SLOT, x->slot, make_str, x->slot)) &&
		     put_shared(o, "program",
				shared_get(&sh, SH_PROGRAM, x->program, make_str, x->program));
		if (!ok || json_array_append_new(arr, o)) {
			if (!ok)
				json_decref(o);
			rc = oom(h);
		}
	}
	for (int i = 0; i < 5; i++)
		json_decref(sh.val[i]);
	json_decref(jt);
	json_decref(src);
	return rc;
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
	struct core c;
	json_t *jpasses = json_array(), *parts = json_array(), *rework = json_array();
	int rc;

	if (!put(o, "passes", jpasses) || !put(o, "parts", parts) || !put(o, "rework", rework))
		return oom(h);
	if ((rc = board_core(h, a, board, &c)))
		return rc;
	if (!put(o, "work_order", c.work_order ? json_string(c.work_order) : json_null()))
		return oom(h);
	for (size_t i = 0; i < c.passes.n; i++) {
		const struct gen_pass *p = &c.passes.v[i];
		json_t *jp =
			json_pack("{s:s,s:s,s:I,s:o,s:o,s:I,s:I}", "machine", p->machine, "program",
				  p->prog->name, "version", (json_int_t)p->prog->version, "start",
				  time_json(p->t_start), "end", time_json(p->t_end), "first_epoch",
				  (json_int_t)p->first, "last_epoch", (json_int_t)p->last);
		if (jp == NULL || json_array_append_new(jpasses, jp))
			return oom(h);
	}
	if ((rc = parts_json(h, &c, parts)))
		return rc;
	if (c.has_exc)
		rc = rework_history(h, c.board_id, rework);
	return rc;
}

int
ecms_gen_trace_board(ecms *h, const char *board, json_t **out)
{
	GEN_ARENA(a);
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

/* The refdes a package fed (or may have fed) on one board: a program
 * slot's refdes through a mount, or one refdes through an exception. The
 * board's serial, work order and exception flag come with the row that
 * found the hit (joined), not from a second pass over the boards. */
struct hit {
	int64_t board_id;
	const char *serial, *work_order;
	const char *const *refdes;
	size_t nrefdes;
	/* The refdes the board's exceptions name, sorted: on the first hit
	 * of a board with has_exc, filled in by exc_fill(). */
	const char **exc;
	size_t nexc;
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

	if (x->board_id != y->board_id)
		return x->board_id < y->board_id ? -1 : 1;
	return 0;
}

/* A hit's sort key: its board and where it is. */
struct hkey {
	int64_t board_id;
	size_t i;
};

/*
 * Sort hits by board, stably. They come in runs already in board order (a
 * segment's passes by epoch are in production order, mostly), so the runs
 * of their keys are merged pairwise (a natural merge sort, O(n log runs),
 * moving 16-byte keys), then the hits are moved once into their order.
 */
static int
hits_sort(ecms *h, struct hits *hs)
{
	size_t *run, nrun = 0, cap = 64;
	struct hkey *k1, *k2, *src, *dst, *swap;
	struct hit *v, *swap_hits;

	for (size_t i = 1; i < hs->n && nrun == 0; i++)
		nrun = hs->v[i - 1].board_id > hs->v[i].board_id;
	if (nrun == 0)
		return ECMS_OK;
	run = ecms__malloc((cap + 1) * sizeof(*run));
	k1 = ecms__malloc(hs->n * sizeof(*k1));
	k2 = ecms__malloc(hs->n * sizeof(*k2));
	v = ecms__malloc(hs->n * sizeof(*v));
	if (run == NULL || k1 == NULL || k2 == NULL || v == NULL) {
		ecms__free(run);
		ecms__free(k1);
		ecms__free(k2);
		ecms__free(v);
		return oom(h);
	}
	nrun = 0;
	run[nrun++] = 0;
	for (size_t i = 0; i < hs->n; i++) {
		k1[i] = (struct hkey){ hs->v[i].board_id, i };
		if (i > 0 && hs->v[i - 1].board_id > hs->v[i].board_id && nrun <= cap)
			run[nrun++] = i;
	}
	if (nrun > cap) {
		/* Many runs: no order to use. */
		nrun = 1;
		qsort(hs->v, hs->n, sizeof(*hs->v), cmp_hit);
	}
	run[nrun] = hs->n;
	/* Each pass merges pairs of runs from src into dst, then they swap. */
	src = k1;
	dst = k2;
	while (nrun > 1) {
		size_t k = 0;
		for (size_t r = 0; r < nrun; r += 2, k++) {
			size_t a = run[r], am = run[r + 1], b = am,
			       bm = r + 2 <= nrun ? run[r + 2] : am;
			size_t o = a;
			run[k] = a;
			if (r + 1 == nrun) {
				/* An odd run out: copied as it is. */
				memcpy(dst + a, src + a, (am - a) * sizeof(*dst));
				continue;
			}
			while (a < am && b < bm)
				dst[o++] = src[b].board_id < src[a].board_id ? src[b++] : src[a++];
			memcpy(dst + o, src + a, (am - a) * sizeof(*dst));
			o += am - a;
			memcpy(dst + o, src + b, (bm - b) * sizeof(*dst));
		}
		run[k] = hs->n;
		nrun = k;
		swap = src;
		src = dst;
		dst = swap;
		if (nrun == 1) {
			/* The hits in their order, into v, which replaces them. */
			for (size_t i = 0; i < hs->n; i++)
				v[i] = hs->v[src[i].i];
			swap_hits = hs->v;
			hs->v = v;
			hs->cap = hs->n;
			v = swap_hits;
		}
	}
	ecms__free(run);
	ecms__free(k1);
	ecms__free(k2);
	ecms__free(v);
	return ECMS_OK;
}

struct segment {
	int64_t machine_id, slot_no, from, to; /* to: exclusive, INT64_MAX while open */
	bool shared;
};

/* Replays of one slot over one window, for the passes at a mount's edge
 * that share their window (several boards often pass within the same
 * epochs). Most recent last; the oldest is replaced when full. */
#define WIN_CACHE 16
struct win_cache {
	struct {
		int64_t machine_id, slot_no, first, last;
		struct gen_uids set;
	} v[WIN_CACHE];
	size_t n, next;
};

/* A forward trace in progress (one ecms_gen_carriers_get call). */
struct fwd {
	ecms *h;
	struct gen_arena *a;
	struct gen_progs progs;
	struct hits hits;
	struct win_cache wins;
	const char *last_wo; /* the work order text of the last board read */
	/* Per machine, whether it has passes of span tiers 1 and 2 (most
	 * have none: no scans of those tiers then, for any segment). */
	struct {
		int64_t machine_id;
		bool has[2];
	} tiers[8];
	size_t ntiers;
	/* The segment being scanned, its package, and the program of the
	 * last row with the slot it has for the segment's slot number. */
	const struct segment *seg;
	const char *uid;
	int64_t last_prog;
	const struct gen_pslot *last_ps;
};

/* The board columns of a row from col on (serial, work_order, has_exc, as
 * gen_passes keeps them) into x. Boards of one work order share one
 * copy of its text. */
static int
hit_board(struct fwd *f, ecms__stmt *st, int col, struct hit *x)
{
	const char *serial = ecms__col_text(st, col), *wo = ecms__col_text(st, col + 1);

	if (serial == NULL)
		return ecms__ctxfail(f->h, ECMS_EINTERNAL, NULL, "board %lld vanished",
				     (long long)x->board_id);
	x->serial = ecms__gen_strndup(f->a, serial, strlen(serial));
	if (wo && (f->last_wo == NULL || strcmp(f->last_wo, wo) != 0))
		f->last_wo = ecms__gen_strndup(f->a, wo, strlen(wo));
	x->work_order = wo ? f->last_wo : NULL;
	x->has_exc = ecms__col_int(st, col + 2) != 0;
	x->exc = NULL;
	x->nexc = 0;
	if (x->serial == NULL || (wo && x->work_order == NULL))
		return oom(f->h);
	return ECMS_OK;
}

/* The packages the segment's slot held in epochs [first, last] (arena
 * memory, or the cache's: valid until the next call). */
static int
slot_window(struct fwd *f, int64_t first, int64_t last, const struct gen_uids **out)
{
	struct win_cache *w = &f->wins;
	const struct segment *sg = f->seg;
	size_t i;
	int rc;

	for (i = 0; i < w->n; i++) {
		if (w->v[i].machine_id == sg->machine_id && w->v[i].slot_no == sg->slot_no &&
		    w->v[i].first == first && w->v[i].last == last) {
			*out = &w->v[i].set;
			return ECMS_OK;
		}
	}
	i = w->n < WIN_CACHE ? w->n++ : w->next++ % WIN_CACHE;
	w->v[i].machine_id = 0; /* no machine has id 0: unusable until filled */
	rc = ecms__gen_window(f->h, f->a, sg->machine_id, first, last, &sg->slot_no, 1,
			      &w->v[i].set);
	if (rc)
		return rc;
	w->v[i].machine_id = sg->machine_id;
	w->v[i].slot_no = sg->slot_no;
	w->v[i].first = first;
	w->v[i].last = last;
	*out = &w->v[i].set;
	return ECMS_OK;
}

static int
scan_row(struct fwd *f, ecms__stmt *st)
{
	ecms *h = f->h;
	const struct segment *sg = f->seg;
	struct gen_prog *prog;
	const struct gen_pslot *ps = NULL;
	struct hit x;
	int64_t first = ecms__col_int(st, 2), last = ecms__col_int(st, 3);
	int64_t prog_id = ecms__col_int(st, 1);
	int rc;

	/* Consecutive passes mostly ran the same program. */
	if (prog_id == f->last_prog) {
		ps = f->last_ps;
	} else {
		if ((rc = ecms__gen_prog_load(h, f->a, &f->progs, prog_id, &prog)))
			return rc;
		for (size_t si = 0; si < prog->nslots; si++) {
			if (prog->slots[si].slot_no == sg->slot_no) {
				ps = &prog->slots[si];
				break;
			}
		}
		f->last_prog = prog_id;
		f->last_ps = ps;
	}
	if (ps == NULL)
		return ECMS_OK;
	x.certain = !sg->shared && first >= sg->from && last < sg->to;
	if (!sg->shared && !x.certain) {
		/* A window reaching outside the mount: replay it. */
		const struct gen_uids *set;
		if ((rc = slot_window(f, first, last, &set)))
			return rc;
		if (!ecms__gen_uids_has(set, f->uid))
			return ECMS_OK;
		x.certain = set->n == 1;
	}
	x.board_id = ecms__col_int(st, 0);
	x.from_exc = false;
	x.refdes = ps->refdes;
	x.nrefdes = ps->nrefdes;
	if ((rc = hit_board(f, st, 4, &x)))
		return rc;
	if (hit_add(&f->hits, &x))
		return oom(h);
	return ECMS_OK;
}

/* Saturating a + b for epoch bounds. */
static int64_t
add_sat(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* Whether machine_id has passes of span tier 1 or 2 (asked once per call
 * and machine; *has true when the answer cannot be kept). */
static int
tier_used(struct fwd *f, int64_t machine_id, int tier, bool *has)
{
	size_t i;
	int64_t one;
	int rc;

	for (i = 0; i < f->ntiers && f->tiers[i].machine_id != machine_id; i++)
		;
	if (i < f->ntiers) {
		*has = f->tiers[i].has[tier - 1];
		return ECMS_OK;
	}
	*has = true;
	if (f->ntiers == ECMS_ARRAY_LEN(f->tiers))
		return ECMS_OK;
	f->tiers[i].machine_id = machine_id;
	for (int t = 1; t <= 2; t++) {
		rc = ecms__query_int(f->h, &one,
				     "SELECT 1 FROM gen_passes WHERE machine_id = ? AND tier = ? "
				     "LIMIT 1",
				     "ii", machine_id, (int64_t)t);
		if (rc && rc != ECMS_ENOTFOUND)
			return rc;
		f->tiers[i].has[t - 1] = rc == ECMS_OK;
	}
	f->ntiers++;
	*has = f->tiers[i].has[tier - 1];
	return ECMS_OK;
}

/*
 * The passes of the segment's machine whose window overlaps the segment's
 * epochs, with their board. A pass overlaps [from, hi] when its last epoch
 * is >= from and its first <= hi; the scan runs on last_epoch within each
 * span tier, bounded by hi plus the tier's largest span. It is a range of
 * gen_passes' key, and the rows carry their board's serial, work order
 * and has_exc (015_pass_board.sql): one b-tree, nothing probed per pass.
 */
static int
scan_segment(struct fwd *f)
{
	static const int64_t span[3] = { GEN_SPAN_SHORT, GEN_SPAN_MID, INT64_MAX };
	const struct segment *sg = f->seg;
	int64_t hi = sg->to == INT64_MAX ? INT64_MAX : sg->to - 1;
	ecms__stmt *st;
	int rc;

	for (int tier = 0; tier < 3; tier++) {
		bool has = true;
		if (tier > 0 && (rc = tier_used(f, sg->machine_id, tier, &has)))
			return rc;
		if (!has)
			continue;
		rc = ecms__q(f->h, &st,
			     "SELECT board_id, program_id, first_epoch, last_epoch, serial, "
			     "work_order, has_exc FROM gen_passes "
			     "WHERE machine_id = ? AND tier = ? AND last_epoch >= ? "
			     "AND last_epoch <= ? AND first_epoch <= ?",
			     "iiiii", sg->machine_id, (int64_t)tier, sg->from,
			     add_sat(hi, span[tier]), hi);
		if (rc)
			return rc;
		while ((rc = ecms__step(f->h, st)) == ECMS__ROW)
			if ((rc = scan_row(f, st)))
				break;
		ecms__done(f->h, st);
		if (rc != ECMS__DONE)
			return rc;
	}
	return ECMS_OK;
}

/* Hits for one package: its mounts, then exceptions naming it. */
static int
trace_uid(struct fwd *f, const char *uid)
{
	ecms *h = f->h;
	struct gen_arena *a = f->a;
	struct segment *segs = NULL;
	size_t nseg = 0, cap = 0;
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
	f->uid = uid;
	for (size_t i = 0; i < nseg; i++) {
		f->seg = &segs[i];
		f->last_prog = 0;
		f->last_ps = NULL;
		if ((rc = scan_segment(f)))
			return rc;
	}
	rc = ecms__q(h, &st,
		     "SELECT e.board_id, e.refdes, b.serial, b.work_order, b.has_exc "
		     "FROM gen_exceptions e LEFT JOIN gen_boards b ON b.id = e.board_id "
		     "WHERE e.uid = ?",
		     "t", uid);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		bool fail = false;
		struct hit x = { .board_id = ecms__col_int(st, 0),
				 .certain = true,
				 .from_exc = true,
				 .nrefdes = 1 };
		const char **one = ecms__gen_alloc(a, sizeof(*one));
		if (one)
			*one = col_dup(a, st, 1, &fail);
		x.refdes = one;
		if (one == NULL || fail) {
			rc = oom(h);
			break;
		}
		if ((rc = hit_board(f, st, 2, &x)))
			break;
		if (hit_add(&f->hits, &x)) {
			rc = oom(h);
			break;
		}
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_board(const void *key, const void *elt)
{
	int64_t id = *(const int64_t *)key, b = (*(struct hit *const *)elt)->board_id;

	return id < b ? -1 : id > b;
}

#define Q8        "?,?,?,?,?,?,?,?"
#define Q64       Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8
#define EXC_CHUNK 64

/* The exceptions' refdes between lo and hi of the boards b[0, n) (n <=
 * EXC_CHUNK, sorted by id), appended to each board's list. */
static int
exc_chunk(ecms *h, struct gen_arena *a, struct hit **b, size_t n, const char *lo, const char *hi)
{
	struct hit *cur = NULL;
	size_t cap = 0;
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT board_id, refdes FROM gen_exceptions WHERE board_id IN (" Q64 ") "
			 "AND refdes >= ? AND refdes <= ?",
			 "");

	if (rc)
		return rc;
	for (int i = 0; i < EXC_CHUNK && rc == ECMS_OK; i++)
		rc = (size_t)i < n ? h->ops->bind_int(st, i + 1, b[i]->board_id)
				   : h->ops->bind_null(st, i + 1);
	if (rc == ECMS_OK)
		rc = h->ops->bind_text(st, EXC_CHUNK + 1, lo, strlen(lo));
	if (rc == ECMS_OK)
		rc = h->ops->bind_text(st, EXC_CHUNK + 2, hi, strlen(hi));
	if (rc) {
		ecms__done(h, st);
		return ecms__ctxfail(h, rc, NULL, "binding the exceptions' query failed");
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		int64_t id = ecms__col_int(st, 0);
		const char *r = ecms__col_text(st, 1);

		/* Rows in no promised order. */
		if (cur == NULL || cur->board_id != id) {
			struct hit **x = bsearch(&id, b, n, sizeof(*b), cmp_board);
			cur = x ? *x : NULL;
			cap = cur ? cur->nexc : 0;
		}
		if (cur == NULL || r == NULL)
			continue;
		if (cur->nexc == cap) {
			size_t nc = cap ? cap * 2 : 8;
			const char **v = ecms__gen_alloc(a, nc * sizeof(*v));
			if (v == NULL) {
				rc = ECMS_ENOMEM;
				break;
			}
			if (cur->nexc)
				memcpy(v, cur->exc, cur->nexc * sizeof(*v));
			cur->exc = v;
			cap = nc;
		}
		if ((cur->exc[cur->nexc] = ecms__gen_strndup(a, r, strlen(r))) == NULL) {
			rc = ECMS_ENOMEM;
			break;
		}
		cur->nexc++;
	}
	ecms__done(h, st);
	if (rc == ECMS_ENOMEM)
		return oom(h);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/*
 * The refdes named by the exceptions of every board with has_exc among the
 * hits (sorted by board), onto the board's first hit. What a forward trace
 * needs of them is only whether they override one of the board's timeline
 * refdes, so the scan of gen_exceptions' (board_id, refdes) key is bounded
 * by the smallest and largest of those refdes (the store compares text
 * bytewise, as strcmp does): it reads the key alone, and only the rows
 * that can matter, not every column of every exception. Boards go
 * EXC_CHUNK to a query (IN on board_id; the bounds of the chunk).
 */
static int
exc_fill(ecms *h, struct gen_arena *a, struct hits *hs)
{
	struct hit *b[EXC_CHUNK];
	const char *lo = NULL, *hi = NULL;
	size_t nb = 0;
	int rc;

	for (size_t i = 0; i < hs->n;) {
		struct hit *first = &hs->v[i];
		const char *blo = NULL, *bhi = NULL;
		size_t j = i;

		for (; j < hs->n && hs->v[j].board_id == first->board_id; j++) {
			const struct hit *x = &hs->v[j];
			for (size_t r = 0; first->has_exc && !x->from_exc && r < x->nrefdes; r++) {
				if (blo == NULL || strcmp(x->refdes[r], blo) < 0)
					blo = x->refdes[r];
				if (bhi == NULL || strcmp(x->refdes[r], bhi) > 0)
					bhi = x->refdes[r];
			}
		}
		i = j;
		/* No exception, or nothing from the timeline to override. */
		if (blo == NULL)
			continue;
		if (nb == EXC_CHUNK) {
			if ((rc = exc_chunk(h, a, b, nb, lo, hi)))
				return rc;
			nb = 0;
		}
		if (nb == 0 || strcmp(blo, lo) < 0)
			lo = blo;
		if (nb == 0 || strcmp(bhi, hi) > 0)
			hi = bhi;
		b[nb++] = first;
	}
	if (nb && (rc = exc_chunk(h, a, b, nb, lo, hi)))
		return rc;
	/* For bsearch: in strcmp order (rows come in no promised order). */
	for (size_t i = 0; i < hs->n; i++) {
		struct hit *x = &hs->v[i];
		for (size_t k = 1; k < x->nexc; k++) {
			if (strcmp(x->exc[k - 1], x->exc[k]) > 0) {
				qsort(x->exc, x->nexc, sizeof(*x->exc), cmp_str);
				break;
			}
		}
	}
	return ECMS_OK;
}

/* One refdes of a board in the merge of several hits. */
struct ref1 {
	const char *refdes;
	bool certain, from_exc;
};

static int
cmp_ref1(const void *a, const void *b)
{
	const struct ref1 *x = a, *y = b;
	int c = strcmp(x->refdes, y->refdes);

	if (c)
		return c;
	if (x->from_exc != y->from_exc)
		return x->from_exc ? -1 : 1;
	return (int)y->certain - (int)x->certain;
}

/* Sorted copies of program slots' refdes lists, shared by the boards with
 * the same list (keyed by the list's address). */
struct sorted_cache {
	const void *key[16];
	const char **val[16];
	size_t n, next;
};

static const char **
sorted_refs(struct gen_arena *a, struct sorted_cache *sc, const char *const *refdes, size_t n)
{
	const char **v;

	for (size_t i = 0; i < sc->n; i++)
		if (sc->key[i] == refdes)
			return sc->val[i];
	v = ecms__gen_alloc(a, (n ? n : 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	memcpy(v, refdes, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_str);
	if (sc->n < ECMS_ARRAY_LEN(sc->key)) {
		sc->key[sc->n] = refdes;
		sc->val[sc->n++] = v;
	} else {
		size_t i = sc->next++ % ECMS_ARRAY_LEN(sc->key);
		sc->key[i] = refdes;
		sc->val[i] = v;
	}
	return v;
}

/* The refdes of a board with several hits or with exceptions: merged,
 * exceptions applied (they override the timeline), sorted, into c. v[0]
 * is the board's first hit (with its exceptions' refdes). */
static int
board_merge(ecms *h, struct gen_arena *a, const struct hit *v, size_t n, struct ecms_gen_carrier *c)
{
	struct ref1 *r;
	const char **cert, **amb;
	size_t k = 0, total = 0;
	const char *prev = NULL;

	for (size_t i = 0; i < n; i++)
		total += v[i].nrefdes;
	r = ecms__gen_alloc(a, (total ? total : 1) * sizeof(*r));
	cert = ecms__gen_alloc(a, (total ? total : 1) * sizeof(*cert));
	amb = ecms__gen_alloc(a, (total ? total : 1) * sizeof(*amb));
	if (r == NULL || cert == NULL || amb == NULL)
		return oom(h);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < v[i].nrefdes; j++) {
			if (!v[i].from_exc && v[0].nexc &&
			    bsearch(&v[i].refdes[j], v[0].exc, v[0].nexc, sizeof(*v[0].exc),
				    cmp_str))
				continue; /* an exception says otherwise */
			r[k++] = (struct ref1){ v[i].refdes[j], v[i].certain, v[i].from_exc };
		}
	}
	if (k > 1)
		qsort(r, k, sizeof(*r), cmp_ref1);
	c->nrefdes = c->nambiguous = 0;
	for (size_t i = 0; i < k; i++) {
		if (prev && strcmp(prev, r[i].refdes) == 0)
			continue; /* sorted: the exception or the certain one came first */
		prev = r[i].refdes;
		if (r[i].certain)
			cert[c->nrefdes++] = r[i].refdes;
		else
			amb[c->nambiguous++] = r[i].refdes;
	}
	c->refdes = cert;
	c->ambiguous = amb;
	return ECMS_OK;
}

/* The boards of the (sorted, filled) hits as carriers. */
static int
carriers_build(ecms *h, struct gen_arena *a, const struct hits *hs, struct ecms_gen_carriers *out)
{
	struct sorted_cache sc = { { 0 }, { 0 }, 0, 0 };
	struct ecms_gen_carrier *v;
	size_t n = 0;
	int rc;

	v = ecms__gen_alloc(a, (hs->n ? hs->n : 1) * sizeof(*v));
	if (v == NULL)
		return oom(h);
	for (size_t i = 0; i < hs->n;) {
		const struct hit *b = &hs->v[i];
		struct ecms_gen_carrier *c = &v[n];
		size_t j = i + 1;

		while (j < hs->n && hs->v[j].board_id == b->board_id)
			j++;
		c->board = b->serial;
		c->work_order = b->work_order;
		if (j == i + 1 && (b->nexc == 0 || b->from_exc)) {
			/* The common case: one slot's refdes, shared with other boards
			 * (the board may have exceptions, but none on these refdes;
			 * a program names a refdes once, so there is nothing to merge). */
			const char **list = sorted_refs(a, &sc, b->refdes, b->nrefdes);
			if (list == NULL)
				return oom(h);
			c->refdes = b->certain ? list : NULL;
			c->nrefdes = b->certain ? b->nrefdes : 0;
			c->ambiguous = b->certain ? NULL : list;
			c->nambiguous = b->certain ? 0 : b->nrefdes;
		} else if ((rc = board_merge(h, a, b, j - i, c))) {
			return rc;
		}
		/* Every refdes overridden by exceptions: not a carrier. */
		if (c->nrefdes + c->nambiguous > 0)
			n++;
		i = j;
	}
	out->boards = v;
	out->n = n;
	return ECMS_OK;
}

/* All hits of the packages, sorted by board, with their boards and the
 * boards' exceptions. */
static int
carriers_core(ecms *h, struct gen_arena *a, const char *const *uids, size_t n,
	      struct ecms_gen_carriers *out)
{
	struct fwd f;
	bool own = false;
	int rc = ECMS_OK;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.h = h;
	f.a = a;
	if (n > 0 && uids == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "uids", "no UID list given");
	for (size_t i = 0; i < n; i++)
		if ((rc = ecms__gen_check(h, "uid", (long)i, uids[i], ECMS_GEN_NAME_MAX, true)))
			return rc;
	/* Its few dozen statements read one snapshot. */
	if ((rc = ecms__read_begin(h, &own)))
		return rc;
	for (size_t i = 0; i < n && rc == ECMS_OK; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(uids[i], uids[j]) == 0;
		if (!seen)
			rc = trace_uid(&f, uids[i]);
	}
	/* By board; the hits of one board are merged. */
	if (rc == ECMS_OK)
		rc = hits_sort(h, &f.hits);
	if (rc == ECMS_OK)
		rc = exc_fill(h, a, &f.hits);
	if (rc == ECMS_OK)
		rc = carriers_build(h, a, &f.hits, out);
	ecms__free(f.hits.v);
	return ecms__read_end(h, own, rc);
}

int
ecms_gen_carriers_get(ecms *h, const char *const *uids, size_t n, struct ecms_gen_carriers *out)
{
	struct gen_arena *a = ecms__calloc(1, sizeof(*a));
	int rc;

	memset(out, 0, sizeof(*out));
	if (a == NULL)
		return oom(h);
	rc = carriers_core(h, a, uids, n, out);
	if (rc) {
		ecms__gen_arena_free(a);
		ecms__free(a);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	out->priv_ = a;
	return ECMS_OK;
}

void
ecms_gen_carriers_cleanup(struct ecms_gen_carriers *c)
{
	if (c == NULL)
		return;
	if (c->priv_) {
		ecms__gen_arena_free(c->priv_);
		ecms__free(c->priv_);
	}
	memset(c, 0, sizeof(*c));
}

json_t *
ecms__refcache_get(struct ecms__refcache *c, const char *const *v, size_t n)
{
	json_t *arr;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->key[i] == v && c->len[i] == n)
			return c->val[i];
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_string(v[i]))) {
			json_decref(arr);
			arr = NULL;
		}
	if (arr == NULL)
		return NULL;
	if (c->n < ECMS_ARRAY_LEN(c->key)) {
		i = c->n++;
	} else {
		i = c->next++ % ECMS_ARRAY_LEN(c->key);
		json_decref(c->val[i]);
	}
	c->key[i] = v;
	c->len[i] = n;
	c->val[i] = arr;
	return arr;
}

void
ecms__refcache_free(struct ecms__refcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		json_decref(c->val[i]);
	c->n = c->next = 0;
}

int
ecms_gen_trace_packages(ecms *h, const char *const *uids, size_t n, json_t **out)
{
	GEN_ARENA(a);
	struct ecms_gen_carriers cs;
	struct ecms__refcache cache = { 0 };
	json_t *arr = NULL, *empty = NULL, *wo = NULL;
	const char *wo_text = NULL;
	int rc;

	*out = NULL;
	rc = carriers_core(h, &a, uids, n, &cs);
	if (rc == ECMS_OK && ((arr = json_array()) == NULL || (empty = json_array()) == NULL))
		rc = oom(h);
	for (size_t i = 0; i < cs.n && rc == ECMS_OK; i++) {
		const struct ecms_gen_carrier *c = &cs.boards[i];
		json_t *o = json_object(), *refs, *amb;
		bool ok;
		if (wo == NULL || (wo_text == NULL) != (c->work_order == NULL) ||
		    (wo_text && strcmp(wo_text, c->work_order) != 0)) {
			json_decref(wo);
			wo = c->work_order ? json_string(c->work_order) : json_null();
			wo_text = c->work_order;
		}
		refs = c->nrefdes ? ecms__refcache_get(&cache, c->refdes, c->nrefdes) : empty;
		amb = c->nambiguous ? ecms__refcache_get(&cache, c->ambiguous, c->nambiguous)
				    : empty;
		ok = o && put(o, "board", json_string(c->board)) &&
		     put_shared(o, "work_order", wo) && put_shared(o, "refdes", refs) &&
		     put_shared(o, "ambiguous", amb);
		if (!ok || json_array_append_new(arr, o)) {
			if (!ok)
				json_decref(o);
			rc = oom(h);
		}
	}
	ecms__refcache_free(&cache);
	json_decref(wo);
	json_decref(empty);
	ecms__gen_arena_free(&a);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ECMS_OK;
}
