/*
 * genealogy.c: the setup side of genealogy: names, machines, slots,
 * placement programs, and the setup timeline (load, unload, splice, the
 * end of a grey zone), each change one epoch of its machine.
 *
 * An epoch row stores only the slots that changed, except every GEN_K-th,
 * which stores all loaded slots (a checkpoint), so replaying an epoch
 * reads at most GEN_K rows. Alongside, gen_mounts keeps per package the
 * epoch ranges it was on a slot: the entry point of the forward trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genealogy_int.h"

/* A slot state: up to ECMS_GEN_MAX_CAND UIDs, space-separated. */
#define STATE_MAX (ECMS_GEN_MAX_CAND * (ECMS_GEN_NAME_MAX + 1) + 1)

/* ------------------------------------------------------------------
 * Arena and UID sets
 * ------------------------------------------------------------------ */

struct gen_chunk {
	struct gen_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define CHUNK_MIN ((size_t)16 << 10)

void *
ecms__gen_alloc(struct gen_arena *a, size_t n)
{
	struct gen_chunk *c = a->head;
	size_t al = sizeof(max_align_t);

	n = (n + al - 1) / al * al;
	if (n == 0)
		n = al;
	if (a->first && a->first_cap - a->first_used >= n) {
		a->first_used += n;
		return a->first + a->first_used - n;
	}
	if (c == NULL || c->cap - c->used < n) {
		size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
		c = ecms__malloc(sizeof(*c) + cap);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

char *
ecms__gen_strndup(struct gen_arena *a, const char *s, size_t n)
{
	char *d = ecms__gen_alloc(a, n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

void
ecms__gen_arena_free(struct gen_arena *a)
{
	while (a->head) {
		struct gen_chunk *c = a->head;
		a->head = c->next;
		ecms__free(c);
	}
}

bool
ecms__gen_uids_has(const struct gen_uids *s, const char *uid)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], uid) == 0)
			return true;
	return false;
}

int
ecms__gen_uids_add(struct gen_arena *a, struct gen_uids *s, const char *uid)
{
	if (ecms__gen_uids_has(s, uid))
		return ECMS_OK;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 2;
		const char **v = ecms__gen_alloc(a, cap * sizeof(*v));
		if (v == NULL)
			return ECMS_ENOMEM;
		if (s->n)
			memcpy(v, s->v, s->n * sizeof(*v));
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = uid;
	return ECMS_OK;
}

char *
ecms__gen_uids_text(struct gen_arena *a, const struct gen_uids *s)
{
	size_t len = 1;
	char *t, *p;

	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + 1;
	t = p = ecms__gen_alloc(a, len);
	if (t == NULL)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < s->n; i++) {
		size_t l = strlen(s->v[i]);
		if (i)
			*p++ = ' ';
		memcpy(p, s->v[i], l);
		p += l;
	}
	*p = '\0';
	return t;
}

/* ------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------ */

int
ecms__gen_check(ecms *h, const char *field, long rec, const char *s, size_t max, bool nospace)
{
	char where[48] = "";
	size_t n = s ? strlen(s) : 0;
	bool ok = n > 0 && n <= max;

	for (size_t i = 0; ok && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		ok = !(c < 0x20 || c == 0x7f || (nospace && c == ' '));
	}
	if (ok) /* the common case: no message to build */
		return ECMS_OK;
	if (rec >= 0)
		snprintf(where, sizeof(where), "record %ld: ", rec + 1);
	if (s == NULL || *s == '\0')
		return ecms__ctxfail(h, ECMS_EINVAL, field, "%s%s is missing", where, field);
	if (n > max)
		return ecms__ctxfail(h, ECMS_EINVAL, field,
				     "%s%s '%.40s...' has %zu bytes; at most %zu are allowed",
				     where, field, s, n, max);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (nospace && c == ' '))
			return ecms__ctxfail(h, ECMS_EINVAL, field,
					     "%s%s '%s': %s at position %zu is not allowed (%s)",
					     where, field, s,
					     c == ' ' ? "a space" : "a control character", i + 1,
					     nospace ? "no spaces or control characters"
						     : "no control characters");
	}
	return ECMS_OK;
}

static int
check_time(ecms *h, const char *field, int64_t t)
{
	/* Years 1970..9999: anything else is a unit mix-up (s vs ms). */
	if (t < 0 || t > INT64_C(253402300799999))
		return ecms__ctxfail(h, ECMS_EINVAL, field,
				     "%s %lld is not a time in UTC milliseconds since 1970", field,
				     (long long)t);
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Rows: machines, slots, boards
 * ------------------------------------------------------------------ */

static void
machine_row(ecms__stmt *st, struct gen_machine *m)
{
	m->id = ecms__col_int(st, 0);
	m->nslots = ecms__col_int(st, 1);
	m->cur_epoch = ecms__col_int(st, 2);
	m->cur_ms = ecms__col_int(st, 3);
	m->n_grey = ecms__col_int(st, 4);
}

int
ecms__gen_machine(ecms *h, const char *name, bool create, bool report, struct gen_machine *m)
{
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT id, nslots, cur_epoch, cur_ms, n_grey FROM gen_machines "
		     "WHERE name = ?",
		     "t", name);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW)
		machine_row(st, m);
	ecms__done(h, st);
	if (rc == ECMS__ROW)
		return ECMS_OK;
	if (rc != ECMS__DONE)
		return rc;
	if (!create)
		return report ? ecms__ctxfail(h, ECMS_ENOTFOUND, "machine",
					      "unknown machine '%s': no program or setup "
					      "was recorded for it",
					      name)
			      : ECMS_ENOTFOUND;
	memset(m, 0, sizeof(*m));
	m->cur_ms = INT64_MIN;
	rc = ecms__q(h, &st,
		     "INSERT INTO gen_machines (name, nslots, cur_epoch, cur_ms, n_grey) "
		     "VALUES (?, 0, 0, ?, 0) RETURNING id",
		     "ti", name, m->cur_ms);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		m->id = ecms__col_int(st, 0);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "machine insert returned no id");
	}
	ecms__done(h, st);
	return rc;
}

static int
machine_by_id(ecms *h, int64_t id, struct gen_machine *m)
{
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT id, nslots, cur_epoch, cur_ms, n_grey FROM gen_machines "
		     "WHERE id = ?",
		     "i", id);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		machine_row(st, m);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "machine %lld vanished", (long long)id);
	}
	ecms__done(h, st);
	return rc;
}

/* A slot of machine m by name: its number, state (STATE_MAX bytes) and
 * grey_left. Created (empty) when create; else ECMS_ENOTFOUND. */
static int
slot_get(ecms *h, struct gen_machine *m, const char *name, bool create, int64_t *slot_no,
	 char *state, int64_t *grey_left)
{
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT slot_no, state, grey_left FROM gen_slots "
		     "WHERE machine_id = ? AND name = ?",
		     "it", m->id, name);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*slot_no = ecms__col_int(st, 0);
		if (state)
			ecms__strlcpy(state, ecms__col_text(st, 1), STATE_MAX);
		if (grey_left)
			*grey_left = ecms__col_int(st, 2);
	}
	ecms__done(h, st);
	if (rc == ECMS__ROW)
		return ECMS_OK;
	if (rc != ECMS__DONE)
		return rc;
	if (!create)
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "slot", "no slot '%s'", name);
	*slot_no = m->nslots;
	rc = ecms__exec(h,
			"INSERT INTO gen_slots (machine_id, slot_no, name, state, grey_left, "
			"grey_epoch) VALUES (?, ?, ?, '', 0, 0)",
			"iit", m->id, *slot_no, name);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "UPDATE gen_machines SET nslots = nslots + 1 WHERE id = ?", "i",
				m->id);
	if (rc)
		return rc;
	m->nslots++;
	if (state)
		state[0] = '\0';
	if (grey_left)
		*grey_left = 0;
	return ECMS_OK;
}

int
ecms__gen_board(ecms *h, const char *serial, bool create, int64_t *id, bool *has_exc)
{
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st, "SELECT id, has_exc FROM gen_boards WHERE serial = ?", "t", serial);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*id = ecms__col_int(st, 0);
		if (has_exc)
			*has_exc = ecms__col_int(st, 1) != 0;
	}
	ecms__done(h, st);
	if (rc == ECMS__ROW)
		return ECMS_OK;
	if (rc != ECMS__DONE)
		return rc;
	if (!create)
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "board",
				     "unknown board '%s': no pass or record names it", serial);
	if (has_exc)
		*has_exc = false;
	rc = ecms__q(h, &st,
		     "INSERT INTO gen_boards (serial, work_order, has_exc) VALUES (?, NULL, 0) "
		     "RETURNING id",
		     "t", serial);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*id = ecms__col_int(st, 0);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "board insert returned no id");
	}
	ecms__done(h, st);
	return rc;
}

/* ------------------------------------------------------------------
 * Slot states: space-separated UIDs, the feeding one last.
 * ------------------------------------------------------------------ */

static size_t
state_count(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		n++;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

static bool
state_has(const char *s, const char *uid)
{
	size_t n = strlen(uid);

	for (const char *p = s; *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && memcmp(p, uid, n) == 0)
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

/* The feeding (last) UID of a state, or "" for an empty one. */
static const char *
state_newest(const char *s)
{
	const char *sp = strrchr(s, ' ');

	return sp ? sp + 1 : s;
}

/* ------------------------------------------------------------------
 * Epochs
 * ------------------------------------------------------------------ */

/* One slot's change within an epoch. state/old point to STATE_MAX buffers. */
struct gen_change {
	int64_t slot_no;
	char old[STATE_MAX];
	int64_t old_grey;
	char state[STATE_MAX];
	int64_t grey_left;
};

static int
mounts_close(ecms *h, int64_t machine_id, int64_t slot_no, const char *state, int64_t epoch)
{
	char uid[ECMS_GEN_NAME_MAX + 1];
	int rc = ECMS_OK;

	for (const char *p = state; *p && rc == ECMS_OK;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l > ECMS_GEN_NAME_MAX)
			l = ECMS_GEN_NAME_MAX;
		memcpy(uid, p, l);
		uid[l] = '\0';
		rc = ecms__exec(
			h,
			"UPDATE gen_mounts SET to_epoch = ? WHERE uid = ? AND machine_id = ? "
			"AND slot_no = ? AND to_epoch IS NULL",
			"itii", epoch, uid, machine_id, slot_no);
		if (e == NULL)
			break;
		p = e + 1;
	}
	return rc;
}

static int
mounts_open(ecms *h, int64_t machine_id, int64_t slot_no, const char *state, int64_t epoch)
{
	char uid[ECMS_GEN_NAME_MAX + 1];
	int shared = state_count(state) > 1;
	int rc = ECMS_OK;

	for (const char *p = state; *p && rc == ECMS_OK;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l > ECMS_GEN_NAME_MAX)
			l = ECMS_GEN_NAME_MAX;
		memcpy(uid, p, l);
		uid[l] = '\0';
		rc = ecms__exec(h,
				"INSERT INTO gen_mounts (uid, machine_id, slot_no, from_epoch, "
				"to_epoch, shared) VALUES (?, ?, ?, ?, NULL, ?)",
				"tiiii", uid, machine_id, slot_no, epoch, (int64_t)shared);
		if (e == NULL)
			break;
		p = e + 1;
	}
	return rc;
}

static int
add_state_line(ecms_buf *b, int64_t slot_no, const char *state)
{
	int rc = ecms__buf_printf(b, "%lld", (long long)slot_no);

	if (rc == ECMS_OK && *state)
		rc = ecms__buf_printf(b, " %s", state);
	if (rc == ECMS_OK)
		rc = ecms__buf_addc(b, '\n');
	return rc;
}

/*
 * Open epoch m->cur_epoch + 1 at t with the n changes (slots distinct):
 * the slots' live state, the mounts, the epoch row (a checkpoint every
 * GEN_K), passes whose window reaches past t, and the machine row.
 */
static int
apply_changes(ecms *h, struct gen_machine *m, const struct gen_change *ch, size_t n, int64_t t,
	      const char *kind, int64_t seq)
{
	int64_t e = m->cur_epoch + 1, grey = m->n_grey;
	bool full = e % GEN_K == 0;
	ecms_buf b;
	int rc = ECMS_OK;

	for (size_t i = 0; i < n && rc == ECMS_OK; i++) {
		rc = ecms__exec(h,
				"UPDATE gen_slots SET state = ?, grey_left = ?, grey_epoch = ? "
				"WHERE machine_id = ? AND slot_no = ?",
				"tiiii", ch[i].state, ch[i].grey_left, ch[i].grey_left > 0 ? e : 0,
				m->id, ch[i].slot_no);
		if (rc == ECMS_OK)
			rc = mounts_close(h, m->id, ch[i].slot_no, ch[i].old, e);
		if (rc == ECMS_OK)
			rc = mounts_open(h, m->id, ch[i].slot_no, ch[i].state, e);
		grey += (ch[i].grey_left > 0) - (ch[i].old_grey > 0);
	}
	if (rc)
		return rc;
	ecms__buf_init(&b, ECMS_BUF_MAX_DEFAULT);
	if (full) {
		ecms__stmt *st;
		rc = ecms__q(h, &st,
			     "SELECT slot_no, state FROM gen_slots WHERE machine_id = ? "
			     "AND state <> '' ORDER BY slot_no",
			     "i", m->id);
		if (rc == ECMS_OK) {
			while ((rc = ecms__step(h, st)) == ECMS__ROW) {
				if (add_state_line(&b, ecms__col_int(st, 0),
						   ecms__col_text(st, 1))) {
					rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
					break;
				}
			}
			if (rc == ECMS__DONE)
				rc = ECMS_OK;
			ecms__done(h, st);
		}
	} else {
		for (size_t i = 0; i < n && rc == ECMS_OK; i++)
			if (add_state_line(&b, ch[i].slot_no, ch[i].state))
				rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO gen_epochs (machine_id, epoch, t_ms, kind, is_full, "
				"state, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"iiititi", m->id, e, t, kind, (int64_t)full, b.data ? b.data : "",
				seq);
	ecms__buf_cleanup(&b);
	/* Passes recorded before this change whose window reaches past t. */
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"UPDATE gen_passes SET last_epoch = ?, tier = CASE "
			"WHEN ? - first_epoch <= 8 THEN 0 WHEN ? - first_epoch <= 64 THEN 1 "
			"ELSE 2 END WHERE machine_id = ? AND tier IN (0, 1, 2) "
			"AND last_epoch = ? AND t_end >= ?",
			"iiiiii", e, e, e, m->id, m->cur_epoch, t);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"UPDATE gen_passes SET first_epoch = ?, tier = 0 WHERE machine_id = ? "
			"AND tier IN (0, 1, 2) AND last_epoch = ? AND first_epoch = ? "
			"AND t_start >= ?",
			"iiiii", e, m->id, e, m->cur_epoch, t);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE gen_machines SET cur_epoch = ?, cur_ms = ?, n_grey = ? "
				"WHERE id = ?",
				"iiii", e, t, grey, m->id);
	if (rc == ECMS_OK) {
		m->cur_epoch = e;
		m->cur_ms = t;
		m->n_grey = grey;
	}
	return rc;
}

int
ecms__gen_grey_end(ecms *h, int64_t machine_id, const int64_t *slot_nos, size_t n, int64_t t,
		   int64_t seq)
{
	struct gen_machine m;
	struct gen_change *ch;
	size_t k = 0;
	int rc;

	if (n == 0)
		return ECMS_OK;
	if ((rc = machine_by_id(h, machine_id, &m)))
		return rc;
	ch = ecms__calloc(n, sizeof(*ch));
	if (ch == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n && rc == ECMS_OK; i++) {
		ecms__stmt *st;
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= ch[j].slot_no == slot_nos[i];
		if (dup)
			continue;
		rc = ecms__q(h, &st,
			     "SELECT state, grey_left FROM gen_slots WHERE machine_id = ? "
			     "AND slot_no = ?",
			     "ii", machine_id, slot_nos[i]);
		if (rc)
			break;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			const char *s = ecms__col_text(st, 0);
			if (state_count(s) > 1) {
				ch[k].slot_no = slot_nos[i];
				ecms__strlcpy(ch[k].old, s, STATE_MAX);
				ecms__strlcpy(ch[k].state, state_newest(s), STATE_MAX);
				ch[k].old_grey = ecms__col_int(st, 1);
				ch[k].grey_left = 0;
				k++;
			}
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ECMS_OK;
		}
		ecms__done(h, st);
	}
	if (rc == ECMS_OK && k > 0)
		rc = apply_changes(h, &m, ch, k, t > m.cur_ms ? t : m.cur_ms, "grey_end", seq);
	ecms__free(ch);
	return rc;
}

/* ------------------------------------------------------------------
 * Setup changes
 * ------------------------------------------------------------------ */

enum setup_op { OP_LOAD, OP_UNLOAD, OP_SPLICE };
static const char *const op_names[] = { "load", "unload", "splice" };

/* Where uid is the feeding package now: (machine_id, slot_no) pairs. */
struct feeding {
	int64_t machine_id, slot_no;
};

static int
find_feeding(ecms *h, const char *uid, struct feeding *out, size_t max, size_t *n)
{
	ecms__stmt *st;
	struct feeding cand[16];
	size_t nc = 0;
	int rc;

	*n = 0;
	rc = ecms__q(h, &st,
		     "SELECT machine_id, slot_no FROM gen_mounts WHERE uid = ? "
		     "AND to_epoch IS NULL",
		     "t", uid);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW && nc < ECMS_ARRAY_LEN(cand)) {
		cand[nc].machine_id = ecms__col_int(st, 0);
		cand[nc].slot_no = ecms__col_int(st, 1);
		nc++;
	}
	ecms__done(h, st);
	if (rc != ECMS__ROW && rc != ECMS__DONE)
		return rc;
	for (size_t i = 0; i < nc; i++) {
		rc = ecms__q(h, &st,
			     "SELECT state FROM gen_slots WHERE machine_id = ? AND slot_no = ?",
			     "ii", cand[i].machine_id, cand[i].slot_no);
		if (rc)
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW && strcmp(state_newest(ecms__col_text(st, 0)), uid) == 0 &&
		    *n < max)
			out[(*n)++] = cand[i];
		ecms__done(h, st);
		if (rc != ECMS__ROW && rc != ECMS__DONE)
			return rc;
	}
	return ECMS_OK;
}

/* Read a slot's state by number into a change's old fields; the new state
 * empty (the package moved away). */
static int
change_clear(ecms *h, int64_t machine_id, int64_t slot_no, struct gen_change *c)
{
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT state, grey_left FROM gen_slots WHERE machine_id = ? AND slot_no = ?",
		     "ii", machine_id, slot_no);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		c->slot_no = slot_no;
		ecms__strlcpy(c->old, ecms__col_text(st, 0), STATE_MAX);
		c->old_grey = ecms__col_int(st, 1);
		c->state[0] = '\0';
		c->grey_left = 0;
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "slot %lld vanished",
				   (long long)slot_no);
	}
	ecms__done(h, st);
	return rc;
}

/* The name of a machine by id into buf. */
static int
machine_name(ecms *h, int64_t id, char *buf, size_t n)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st, "SELECT name FROM gen_machines WHERE id = ?", "i", id);

	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(buf, ecms__col_text(st, 0), n);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "machine %lld vanished", (long long)id);
	}
	ecms__done(h, st);
	return rc;
}

/* Take uid off the slots it feeds elsewhere (a move), other than
 * (m, except_slot). Changes on m itself are appended to ch[*nch] (same
 * epoch); other machines get their own epoch now. moved: JSON array. */
static int
move_away(ecms *h, struct gen_machine *m, int64_t except_slot, const char *uid, int64_t t,
	  struct gen_change *ch, size_t *nch, size_t max, json_t *moved, int64_t seq,
	  bool apply_other)
{
	struct feeding f[4];
	size_t nf;
	int rc;

	if ((rc = find_feeding(h, uid, f, ECMS_ARRAY_LEN(f), &nf)))
		return rc;
	for (size_t i = 0; i < nf; i++) {
		if (f[i].machine_id == m->id && f[i].slot_no == except_slot)
			continue;
		if (f[i].machine_id == m->id) {
			if (*nch >= max)
				continue;
			if ((rc = change_clear(h, m->id, f[i].slot_no, &ch[*nch])))
				return rc;
			(*nch)++;
		} else if (apply_other) {
			struct gen_machine o;
			struct gen_change c;
			if ((rc = machine_by_id(h, f[i].machine_id, &o)) ||
			    (rc = change_clear(h, o.id, f[i].slot_no, &c)) ||
			    (rc = apply_changes(h, &o, &c, 1, t > o.cur_ms ? t : o.cur_ms, "move",
						seq)))
				return rc;
		}
		if (moved && !apply_other) {
			char name[ECMS_GEN_NAME_MAX + 1];
			if ((rc = machine_name(h, f[i].machine_id, name, sizeof(name))))
				return rc;
			if (json_array_append_new(
				    moved, json_pack("[s,I]", name, (json_int_t)f[i].slot_no)))
				return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		}
	}
	return ECMS_OK;
}

static int
setup_change(ecms *h, enum setup_op op, const char *machine, const char *slot, const char *uid,
	     int64_t t, int64_t grey)
{
	struct gen_machine m;
	struct gen_change ch[4];
	size_t nch = 1;
	json_t *ev, *moved;
	int64_t seq;
	int rc;

	memset(ch, 0, sizeof(ch));
	rc = ecms__gen_machine(h, machine, op != OP_UNLOAD, true, &m);
	if (rc)
		return rc;
	if (t < m.cur_ms) {
		char a[ECMS_TIME_LEN], b[ECMS_TIME_LEN];
		return ecms__ctxfail(h, ECMS_EINVAL, "t_ms",
				     "%s at %s on machine '%s' is earlier than its latest setup "
				     "change (%s): deliver a machine's setup changes in time order",
				     op_names[op], ecms_time_format(t, a), machine,
				     ecms_time_format(m.cur_ms, b));
	}
	rc = slot_get(h, &m, slot, op != OP_UNLOAD, &ch[0].slot_no, ch[0].old, &ch[0].old_grey);
	if (rc == ECMS_ENOTFOUND)
		ecms__error_prefix(&h->err, "machine '%s'", machine);
	if (rc)
		return rc;
	switch (op) {
	case OP_LOAD:
		if (strcmp(ch[0].old, uid) == 0)
			return ECMS_OK;
		ecms__strlcpy(ch[0].state, uid, STATE_MAX);
		break;
	case OP_UNLOAD:
		if (ch[0].old[0] == '\0')
			return ECMS_OK;
		break;
	case OP_SPLICE:
		if (state_has(ch[0].old, uid))
			return ECMS_OK;
		if (ch[0].old[0] == '\0' || grey <= 0) {
			ecms__strlcpy(ch[0].state, uid, STATE_MAX);
			grey = 0;
		} else {
			if (state_count(ch[0].old) + 1 > ECMS_GEN_MAX_CAND)
				return ecms__ctxfail(h, ECMS_EREFUSED, "uid",
						     "splice of '%s' onto slot '%s' of '%s': the "
						     "slot would hold %d candidate packages (at "
						     "most %d); its grey zone must end first",
						     uid, slot, machine, ECMS_GEN_MAX_CAND + 1,
						     ECMS_GEN_MAX_CAND);
			size_t lo = strlen(ch[0].old), lu = strlen(uid);
			if (lo + lu + 2 > STATE_MAX)
				return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
						     "slot state too long");
			memcpy(ch[0].state, ch[0].old, lo);
			ch[0].state[lo] = ' ';
			memcpy(ch[0].state + lo + 1, uid, lu + 1);
			ch[0].grey_left = grey;
		}
		break;
	}
	ev = json_pack("{s:s,s:s,s:s,s:I,s:I}", "op", op_names[op], "machine", machine, "slot",
		       slot, "t", (json_int_t)t, "epoch", (json_int_t)(m.cur_epoch + 1));
	moved = json_array();
	if (ev == NULL || moved == NULL) {
		json_decref(ev);
		json_decref(moved);
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	if (uid && json_object_set_new(ev, "uid", json_string(uid)))
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (rc == ECMS_OK && ch[0].old[0] &&
	    json_object_set_new(ev, "replaced", json_string(ch[0].old)))
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (rc == ECMS_OK && grey > 0 && json_object_set_new(ev, "grey", json_integer(grey)))
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	/* A package loaded while it feeds another slot moved from there. */
	if (rc == ECMS_OK && op != OP_UNLOAD)
		rc = move_away(h, &m, ch[0].slot_no, uid, t, ch, &nch, ECMS_ARRAY_LEN(ch), moved, 0,
			       false);
	if (rc == ECMS_OK && json_array_size(moved) && json_object_set(ev, "moved_from", moved))
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	json_decref(moved);
	if (rc) {
		json_decref(ev);
		return rc;
	}
	if ((rc = ecms__event(h, "genealogy.setup", ev, &seq)))
		return rc;
	nch = 1;
	if (op != OP_UNLOAD && (rc = move_away(h, &m, ch[0].slot_no, uid, t, ch, &nch,
					       ECMS_ARRAY_LEN(ch), NULL, seq, true)))
		return rc;
	return apply_changes(h, &m, ch, nch, t, op_names[op], seq);
}

static int
setup_args(ecms *h, const char *machine, const char *slot, const char *uid, int64_t t)
{
	int rc;

	if ((rc = ecms__gen_check(h, "machine", -1, machine, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "slot", -1, slot, ECMS_GEN_NAME_MAX, false)) ||
	    (uid && (rc = ecms__gen_check(h, "uid", -1, uid, ECMS_GEN_NAME_MAX, true))))
		return rc;
	return check_time(h, "t_ms", t);
}

int
ecms_gen_load(ecms *h, const char *machine, const char *slot, const char *uid, int64_t t_ms)
{
	int rc;

	if (uid == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "uid", "uid is missing");
	if ((rc = setup_args(h, machine, slot, uid, t_ms)) || (rc = ecms__begin(h)))
		return rc;
	return ecms__end(h, setup_change(h, OP_LOAD, machine, slot, uid, t_ms, 0));
}

int
ecms_gen_unload(ecms *h, const char *machine, const char *slot, int64_t t_ms)
{
	int rc;

	if ((rc = setup_args(h, machine, slot, NULL, t_ms)) || (rc = ecms__begin(h)))
		return rc;
	return ecms__end(h, setup_change(h, OP_UNLOAD, machine, slot, NULL, t_ms, 0));
}

int
ecms_gen_splice(ecms *h, const char *machine, const char *slot, const char *new_uid, int64_t t_ms,
		int64_t grey_zone_parts)
{
	int rc;

	if (new_uid == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "uid", "uid is missing");
	if (grey_zone_parts < 0 || grey_zone_parts > 1000000)
		return ecms__ctxfail(h, ECMS_EINVAL, "grey_zone_parts",
				     "grey zone of %lld parts: expected 0 to 1000000",
				     (long long)grey_zone_parts);
	if ((rc = setup_args(h, machine, slot, new_uid, t_ms)) || (rc = ecms__begin(h)))
		return rc;
	return ecms__end(h,
			 setup_change(h, OP_SPLICE, machine, slot, new_uid, t_ms, grey_zone_parts));
}

int
ecms_gen_unload_uid(ecms *h, const char *uid, int64_t t_ms)
{
	struct feeding f[4];
	size_t nf;
	int rc;

	if ((rc = ecms__gen_check(h, "uid", -1, uid, ECMS_GEN_NAME_MAX, true)) ||
	    (rc = check_time(h, "t_ms", t_ms)) || (rc = ecms__begin(h)))
		return rc;
	rc = find_feeding(h, uid, f, ECMS_ARRAY_LEN(f), &nf);
	if (rc == ECMS_OK && nf == 0)
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "uid", "package '%s' feeds no slot", uid);
	for (size_t i = 0; i < nf && rc == ECMS_OK; i++) {
		char machine[ECMS_GEN_NAME_MAX + 1], slot[ECMS_GEN_NAME_MAX + 1];
		ecms__stmt *st;
		rc = machine_name(h, f[i].machine_id, machine, sizeof(machine));
		if (rc == ECMS_OK)
			rc = ecms__q(h, &st,
				     "SELECT name FROM gen_slots WHERE machine_id = ? "
				     "AND slot_no = ?",
				     "ii", f[i].machine_id, f[i].slot_no);
		if (rc)
			break;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			ecms__strlcpy(slot, ecms__col_text(st, 0), sizeof(slot));
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "slot vanished");
		}
		ecms__done(h, st);
		if (rc == ECMS_OK)
			rc = setup_change(h, OP_UNLOAD, machine, slot, NULL, t_ms, 0);
	}
	return ecms__end(h, rc);
}

int
ecms_gen_setup(ecms *h, const char *machine, json_t **out)
{
	struct gen_machine m;
	ecms__stmt *st;
	json_t *o, *slots;
	char since[ECMS_TIME_LEN];
	int rc;

	*out = NULL;
	if ((rc = ecms__gen_check(h, "machine", -1, machine, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_machine(h, machine, false, true, &m)))
		return rc;
	slots = json_array();
	o = json_pack("{s:s,s:I,s:o}", "machine", machine, "epoch", (json_int_t)m.cur_epoch,
		      "slots", slots);
	if (o == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (json_object_set_new(o, "since",
				m.cur_epoch ? json_string(ecms_time_format(m.cur_ms, since))
					    : json_null()))
		goto oom;
	rc = ecms__q(h, &st,
		     "SELECT name, state, grey_left FROM gen_slots WHERE machine_id = ? "
		     "ORDER BY slot_no",
		     "i", m.id);
	if (rc) {
		json_decref(o);
		return rc;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *state = ecms__col_text(st, 1);
		json_t *cands = json_array(), *s;
		size_t nc = state_count(state);
		for (const char *p = state; cands && *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (json_array_append_new(cands, json_stringn(p, l))) {
				json_decref(cands);
				cands = NULL;
			}
			if (e == NULL)
				break;
			p = e + 1;
		}
		s = json_pack("{s:s,s:o?,s:o,s:I}", "slot", ecms__col_text(st, 0), "uid",
			      nc == 1 ? json_string(state) : json_null(), "candidates", cands,
			      "grey_left", (json_int_t)ecms__col_int(st, 2));
		if (s == NULL || json_array_append_new(slots, s)) {
			ecms__done(h, st);
			goto oom;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return ECMS_OK;
oom:
	json_decref(o);
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

/* ------------------------------------------------------------------
 * Programs
 * ------------------------------------------------------------------ */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Validate a program map: names, at least one refdes per slot, no slot or
 * refdes twice. */
static int
program_check(ecms *h, const struct ecms_gen_slotmap *slots, size_t n)
{
	const char **names;
	size_t total = 0, k = 0;
	int rc = ECMS_OK;

	if (slots == NULL || n == 0)
		return ecms__ctxfail(h, ECMS_EINVAL, "slots", "a program needs at least one slot");
	for (size_t i = 0; i < n; i++) {
		if ((rc = ecms__gen_check(h, "slot", (long)i, slots[i].slot, ECMS_GEN_NAME_MAX,
					  false)) ||
		    (rc = ecms__gen_check(h, "ipn", (long)i, slots[i].ipn, ECMS_GEN_NAME_MAX,
					  false)))
			return rc;
		if (strchr(slots[i].slot, '\t') || strchr(slots[i].ipn, '\t'))
			return ecms__ctxfail(h, ECMS_EINVAL, "slot", "slot %zu: tabs not allowed",
					     i + 1);
		if (slots[i].nrefdes == 0 || slots[i].refdes == NULL)
			return ecms__ctxfail(h, ECMS_EINVAL, "refdes",
					     "slot '%s' places no refdes: list at least one",
					     slots[i].slot);
		for (size_t j = 0; j < slots[i].nrefdes; j++)
			if ((rc = ecms__gen_check(h, "refdes", (long)i, slots[i].refdes[j],
						  ECMS_GEN_REFDES_MAX, true)))
				return rc;
		total += slots[i].nrefdes;
	}
	names = ecms__malloc((total > n ? total : n) * sizeof(*names));
	if (names == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		names[i] = slots[i].slot;
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 1; i < n && rc == ECMS_OK; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			rc = ecms__ctxfail(h, ECMS_EINVAL, "slot",
					   "slot '%s' appears twice in the program", names[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < slots[i].nrefdes; j++)
			names[k++] = slots[i].refdes[j];
	qsort(names, total, sizeof(*names), cmp_str);
	for (size_t i = 1; i < total && rc == ECMS_OK; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			rc = ecms__ctxfail(h, ECMS_EINVAL, "refdes",
					   "refdes '%s' appears twice in the program", names[i]);
	ecms__free(names);
	return rc;
}

int
ecms_gen_program_set(ecms *h, const char *program, const char *machine,
		     const struct ecms_gen_slotmap *slots, size_t n, int64_t *version)
{
	struct gen_machine m;
	ecms_buf map;
	ecms__stmt *st;
	json_t *ev = NULL, *jslots = NULL;
	int64_t ver = 0, seq;
	bool same = false;
	int rc;

	if ((rc = ecms__gen_check(h, "program", -1, program, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "machine", -1, machine, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = program_check(h, slots, n)))
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	ecms__buf_init(&map, ECMS_BUF_MAX_DEFAULT);
	rc = ecms__gen_machine(h, machine, true, true, &m);
	jslots = json_array();
	if (rc == ECMS_OK && jslots == NULL)
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n && rc == ECMS_OK; i++) {
		int64_t slot_no;
		json_t *refs = json_array(), *js;
		rc = slot_get(h, &m, slots[i].slot, true, &slot_no, NULL, NULL);
		if (rc == ECMS_OK && ecms__buf_printf(&map, "%lld\t%s\t%s\t", (long long)slot_no,
						      slots[i].slot, slots[i].ipn))
			rc = ECMS_ENOMEM;
		for (size_t j = 0; j < slots[i].nrefdes && rc == ECMS_OK; j++) {
			if ((j && ecms__buf_addc(&map, ' ')) ||
			    ecms__buf_adds(&map, slots[i].refdes[j]) ||
			    json_array_append_new(refs, json_string(slots[i].refdes[j])))
				rc = ECMS_ENOMEM;
		}
		if (rc == ECMS_OK && ecms__buf_addc(&map, '\n'))
			rc = ECMS_ENOMEM;
		js = json_pack("{s:s,s:s,s:O}", "slot", slots[i].slot, "ipn", slots[i].ipn,
			       "refdes", refs);
		json_decref(refs);
		if (rc == ECMS_OK && (js == NULL || json_array_append_new(jslots, js)))
			rc = ECMS_ENOMEM;
		else if (rc)
			json_decref(js);
		if (rc == ECMS_ENOMEM)
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	if (rc == ECMS_OK)
		rc = ecms__q(h, &st,
			     "SELECT version, map FROM gen_programs WHERE machine_id = ? "
			     "AND name = ? ORDER BY version DESC LIMIT 1",
			     "it", m.id, program);
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			ver = ecms__col_int(st, 0);
			same = strcmp(ecms__col_text(st, 1), map.data) == 0;
		}
		rc = rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
		ecms__done(h, st);
	}
	if (rc == ECMS_OK && !same) {
		ver++;
		ev = json_pack("{s:s,s:s,s:I,s:O}", "program", program, "machine", machine,
			       "version", (json_int_t)ver, "slots", jslots);
		rc = ecms__event(h, "genealogy.program", ev, &seq);
		if (rc == ECMS_OK)
			rc = ecms__exec(h,
					"INSERT INTO gen_programs (machine_id, name, version, map, "
					"seq) VALUES (?, ?, ?, ?, ?)",
					"ititi", m.id, program, ver, map.data, seq);
	}
	json_decref(jslots);
	ecms__buf_cleanup(&map);
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && version)
		*version = ver;
	return rc;
}

int
ecms_gen_program_get(ecms *h, const char *program, const char *machine, json_t **out)
{
	struct gen_machine m;
	GEN_ARENA(a);
	struct gen_prog p;
	ecms__stmt *st;
	json_t *o = NULL, *slots;
	int rc;

	*out = NULL;
	if ((rc = ecms__gen_check(h, "program", -1, program, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_check(h, "machine", -1, machine, ECMS_GEN_NAME_MAX, false)) ||
	    (rc = ecms__gen_machine(h, machine, false, true, &m)))
		return rc;
	rc = ecms__q(h, &st,
		     "SELECT version, map FROM gen_programs WHERE machine_id = ? AND name = ? "
		     "ORDER BY version DESC LIMIT 1",
		     "it", m.id, program);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		size_t len = 0;
		const char *map = ecms__col_blob(st, 1, &len);
		rc = map ? ecms__gen_prog_parse(&a, map, len, &p) : ECMS_ENOMEM;
		p.version = ecms__col_int(st, 0);
		if (rc)
			rc = ecms__ctxfail(h, rc, NULL, "program '%s': cannot read its map",
					   program);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "program", "machine '%s' has no program '%s'",
				   machine, program);
	}
	ecms__done(h, st);
	if (rc)
		goto out;
	slots = json_array();
	o = json_pack("{s:s,s:s,s:I,s:o}", "program", program, "machine", machine, "version",
		      (json_int_t)p.version, "slots", slots);
	for (size_t i = 0; o && i < p.nslots; i++) {
		json_t *refs = json_array();
		for (size_t j = 0; refs && j < p.slots[i].nrefdes; j++)
			if (json_array_append_new(refs, json_string(p.slots[i].refdes[j]))) {
				json_decref(refs);
				refs = NULL;
			}
		if (json_array_append_new(slots,
					  json_pack("{s:s,s:s,s:o}", "slot", p.slots[i].slot, "ipn",
						    p.slots[i].ipn, "refdes", refs))) {
			json_decref(o);
			o = NULL;
		}
	}
	if (o == NULL)
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	*out = o;
out:
	ecms__gen_arena_free(&a);
	return rc;
}
