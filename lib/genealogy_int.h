/*
 * genealogy_int.h (internal): what the files of the genealogy module
 * share: genealogy.c (names, machines, slots, programs, setup changes),
 * genealogy_pass.c (board passes, exact records, rework) and
 * genealogy_trace.c (the epoch replay and both traces).
 *
 * Temporary results live in an arena (one free at the end of a call).
 * Every function returns ECMS_OK or an ecms_rc recorded on the handle.
 */
#ifndef ECMS_GENEALOGY_INT_H
#define ECMS_GENEALOGY_INT_H

#include "ecms/genealogy.h"
#include "event.h"
#include "store/store.h"

#define GEN_K 16 /* every GEN_K-th epoch is stored in full (a checkpoint) */
/* Span tiers of passes (gen_passes.tier): 0 for last - first epoch up to
 * GEN_SPAN_SHORT, 1 up to GEN_SPAN_MID, 2 beyond. */
#define GEN_SPAN_SHORT 8
#define GEN_SPAN_MID   64
#define GEN_TIER(first, last)                                                                      \
	((last) - (first) <= GEN_SPAN_SHORT ? 0 : (last) - (first) <= GEN_SPAN_MID ? 1 : 2)

/* ------------------------------------------------------------------
 * Arena: chunked bump allocation through ecms__malloc.
 * ------------------------------------------------------------------ */
struct gen_chunk;
struct gen_arena {
	struct gen_chunk *head;
	char *first; /* the caller's buffer, used before any chunk (may be NULL) */
	size_t first_used, first_cap;
};

/* Declare arena `a` whose first GEN_ARENA_FIRST bytes are on the stack: a
 * trace then rarely calls malloc for its temporaries. */
#define GEN_ARENA_FIRST 16384
#define GEN_ARENA(a)                                                                               \
	max_align_t a##_buf_[GEN_ARENA_FIRST / sizeof(max_align_t)];                               \
	struct gen_arena a = { NULL, (char *)a##_buf_, 0, sizeof(a##_buf_) }

void *ecms__gen_alloc(struct gen_arena *a, size_t n); /* NULL on OOM */
char *ecms__gen_strndup(struct gen_arena *a, const char *s, size_t n);
void ecms__gen_arena_free(struct gen_arena *a);

/* A small set of UIDs (pointers the caller keeps alive), in arena memory,
 * in the order first added. */
struct gen_uids {
	const char **v;
	size_t n, cap;
};

/* Add uid unless present. ECMS_ENOMEM (not recorded on a handle). */
int ecms__gen_uids_add(struct gen_arena *a, struct gen_uids *s, const char *uid);
bool ecms__gen_uids_has(const struct gen_uids *s, const char *uid);

/* ------------------------------------------------------------------
 * Names and rows (genealogy.c)
 * ------------------------------------------------------------------ */

/* Check a name: 1..max bytes, no control characters, and no spaces when
 * nospace. ECMS_EINVAL naming field (and the record, when rec >= 0). */
int ecms__gen_check(ecms *h, const char *field, long rec, const char *s, size_t max, bool nospace);

struct gen_machine {
	int64_t id, nslots, cur_epoch, cur_ms, n_grey;
};

/* Read a machine by name; create it when create (else ECMS_ENOTFOUND,
 * recorded on h only when report). */
int ecms__gen_machine(ecms *h, const char *name, bool create, bool report, struct gen_machine *m);

/* A board's id by serial, created when create (work order NULL). Sets
 * *has_exc when not NULL. ECMS_ENOTFOUND (recorded) when absent. */
int ecms__gen_board(ecms *h, const char *serial, bool create, int64_t *id, bool *has_exc);

/* A setup change that ends grey zones (after a pass, or an exact record):
 * for each slot_no, state becomes its feeding package alone, in one epoch
 * at t_ms (raised to the machine's latest setup time). seq: the event. */
int ecms__gen_grey_end(ecms *h, int64_t machine_id, const int64_t *slot_nos, size_t n, int64_t t_ms,
		       int64_t seq);

/* ------------------------------------------------------------------
 * Programs and the epoch replay (genealogy_trace.c)
 * ------------------------------------------------------------------ */

/* One slot of a parsed program. */
struct gen_pslot {
	int64_t slot_no;
	const char *slot, *ipn;
	const char **refdes;
	size_t nrefdes;
};

struct gen_prog {
	int64_t id, machine_id, version;
	const char *name;
	struct gen_pslot *slots;
	size_t nslots;
};

/* Parse a program map text of len bytes (see gen_programs.map), copied
 * into the arena. ECMS_EINVAL if malformed (not recorded on a handle). */
int ecms__gen_prog_parse(struct gen_arena *a, const char *map, size_t len, struct gen_prog *p);

/* Load program id into the arena (from the small cache in *cache, a list
 * of loaded programs, or the store). */
struct gen_progs {
	struct gen_prog **v;
	size_t n, cap;
};
int ecms__gen_prog_load(ecms *h, struct gen_arena *a, struct gen_progs *cache, int64_t id,
			struct gen_prog **out);

/* The program slot that places refdes, or NULL. */
const struct gen_pslot *ecms__gen_prog_find(const struct gen_prog *p, const char *refdes,
					    size_t *slot_index);

/*
 * Replay machine's epochs and give, for each of the n slots in want, the
 * set of packages it held during epochs [first, last] (out: n sets, in
 * arena memory). One set of exactly one package: that package fed the
 * slot for certain; otherwise the refdes it feeds are ambiguous.
 */
int ecms__gen_window(ecms *h, struct gen_arena *a, int64_t machine_id, int64_t first, int64_t last,
		     const int64_t *want, size_t n, struct gen_uids *out);

/* A board's pass, with its program and the window's candidates per
 * program slot once resolved. */
struct gen_pass {
	int64_t machine_id, program_id, first, last, t_start, t_end;
	const char *machine;
	struct gen_prog *prog;
	struct gen_uids *cands; /* prog->nslots sets, NULL until resolved */
};

struct gen_passes {
	struct gen_pass *v;
	size_t n;
};

/* The passes of a board (machine_id > 0: only at that machine), ordered by
 * start, with their programs loaded (not yet resolved). */
int ecms__gen_board_passes(ecms *h, struct gen_arena *a, struct gen_progs *cache, int64_t board_id,
			   int64_t machine_id, struct gen_passes *out);

/* Resolve a pass's candidates (idempotent). */
int ecms__gen_pass_resolve(ecms *h, struct gen_arena *a, struct gen_pass *p);

/* The space-separated text of a set (arena), "" for an empty one. */
char *ecms__gen_uids_text(struct gen_arena *a, const struct gen_uids *s);

/*
 * JSON arrays of refdes lists, shared by the carriers with the same list
 * (the carriers of one program slot point at one list, and boards of two
 * lines often alternate): keyed by the list's address and length, the
 * last 32 kept. ecms__refcache_get's array is borrowed from the cache
 * (NULL on OOM); ecms__refcache_free drops them all.
 */
struct ecms__refcache {
	const void *key[32];
	size_t len[32];
	json_t *val[32];
	size_t n, next;
};

json_t *ecms__refcache_get(struct ecms__refcache *c, const char *const *v, size_t n);
void ecms__refcache_free(struct ecms__refcache *c);

#endif /* ECMS_GENEALOGY_INT_H */
