/*
 * genealogy_bench.c: the genealogy engine against one-row-per-placement
 * baselines in SQLite, on the same simulated line, in the same run.
 *
 *   genealogy_bench [--boards N] [--dir DIR] [--exact] [--keep] [--seed S]
 *
 * A line of 2 machines x 50 slots places 500 parts per board (250 per
 * machine, 1 to 12 refdes per slot). Reels hold 2,000 to 10,000 parts;
 * a reel that runs out is spliced (70 %, grey zone 0-10 parts) or swapped
 * while a board is in the machine. Boards come every 20 s.
 *
 * Stores, each in its own file, all with WAL, synchronous=FULL, prepared
 * statements and one transaction per 100 boards:
 *  - ecms: the engine (ecms_gen_*), with its hash-chained event log;
 *  - ecms+exact (--exact): the same, plus an exact record (CFX
 *    MaterialsInstalled) for every board and machine, one call per board
 *    pass, with the true reel of every refdes;
 *  - baseline A: placements(board, refdes, uid, machine, slot, program,
 *    placed_ms), indexes on board and on uid (plus a boards table for the
 *    work order);
 *  - baseline B: the same facts with integer keys: placements(board_id,
 *    refdes, pkg_id, pass_id), indexes on board_id and pkg_id, plus boards,
 *    packages and passes tables (its dictionaries are kept in memory during
 *    ingest, for free).
 * The baselines are given the true reel of every placement (as if every
 * board came with exact data); ecms derives it from the timeline.
 *
 * Printed: ingest placements/s, bytes per placement after a checkpoint,
 * backward trace p50/p99 (JSON of every part, the same fields in all),
 * forward trace of one reel and of a lot on ~2 % of the boards, the
 * process RSS during ingest, and a cross-check of the answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "ecms/ecms.h"
#include "ecms/genealogy.h"
#include "store/store.h"

#define BENCH_NAME "genealogy_bench"
#include "bench_util.h"

#define NM          2
#define NS          50
#define PER_MACHINE 250
#define MAXK        12
#define CYCLE       20000
#define DUR         15000
#define OFFSET      17000
#define TX_BOARDS   100

static uint64_t rng = UINT64_C(0x2545F4914F6CDD1D);

static uint64_t
rnd(uint64_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return n ? (rng * UINT64_C(2685821657736338717)) % n : 0;
}

/* CPU time of this thread (traces: no I/O, page cache warm; the host may
 * be shared, so CPU time is steadier than wall time). */
static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
rss_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

/* ------------------------------------------------------------------
 * The simulated line
 * ------------------------------------------------------------------ */

static int nboards;
static int K[NM][NS];                   /* refdes per slot */
static char refname[NM][NS][MAXK][16];  /* refdes names */
static int *truth;                      /* [board][m][slot][j] -> reel */
static int64_t *firstboard, *lastboard; /* per reel: boards it fed */
static int *reel_slot;                  /* per reel: m * NS + slot */
static int nreels, capreels;
static long ambiguous_refdes;

#define TRUTH(b, m, s, j) truth[(((size_t)(b)*NM + (m)) * NS + (s)) * MAXK + (j)]

enum { E_LOAD, E_UNLOAD, E_SPLICE, E_PASS };
struct ev {
	int64_t t;
	int type, m, s, reel, grey, b;
};
static struct ev *evs;
static size_t nev, capev;

static void
emit(int64_t t, int type, int m, int s, int reel, int grey, int b)
{
	if (nev == capev) {
		capev = capev ? capev * 2 : 65536;
		evs = realloc(evs, capev * sizeof(*evs));
		if (evs == NULL)
			die("out of memory", NULL);
	}
	evs[nev++] = (struct ev){ t, type, m, s, reel, grey, b };
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->type == E_PASS) - (y->type == E_PASS);
}

static int
new_reel(int m, int s)
{
	if (nreels == capreels) {
		capreels = capreels ? capreels * 2 : 4096;
		firstboard = realloc(firstboard, (size_t)capreels * sizeof(*firstboard));
		lastboard = realloc(lastboard, (size_t)capreels * sizeof(*lastboard));
		reel_slot = realloc(reel_slot, (size_t)capreels * sizeof(*reel_slot));
		if (!firstboard || !lastboard || !reel_slot)
			die("out of memory", NULL);
	}
	firstboard[nreels] = -1;
	lastboard[nreels] = -1;
	reel_slot[nreels] = m * NS + s;
	return nreels++;
}

static void
reel_name(int r, char *buf, size_t n)
{
	snprintf(buf, n, "XU%08d", r);
}

static void
board_name(int b, char *buf, size_t n)
{
	snprintf(buf, n, "SN%08d", b);
}

static void
wo_name(int b, char *buf, size_t n)
{
	snprintf(buf, n, "WO-%04d", b / 1000);
}

static void
machine_name(int m, char *buf, size_t n)
{
	snprintf(buf, n, "L1-M%d", m + 1);
}

static void
slot_name(int s, char *buf, size_t n)
{
	snprintf(buf, n, "%d-%02d", s / 25 + 1, s % 25 + 1);
}

static void
make_line(void)
{
	for (int m = 0; m < NM; m++) {
		int total = 0;
		for (int s = 0; s < NS; s++)
			K[m][s] = PER_MACHINE / NS;
		/* Skew: move refdes between slots (passives feed many refdes). */
		for (int i = 0; i < 400; i++) {
			int a = (int)rnd(NS), b = (int)rnd(NS);
			if (K[m][a] > 1 && K[m][b] < MAXK) {
				K[m][a]--;
				K[m][b]++;
			}
		}
		for (int s = 0; s < NS; s++) {
			total += K[m][s];
			for (int j = 0; j < K[m][s]; j++)
				snprintf(refname[m][s][j], sizeof(refname[0][0][0]), "%c%u",
					 "CRULDQ"[s % 6],
					 (unsigned)((m * NS + s) * MAXK + j + 1) % 100000u);
		}
		if (total != PER_MACHINE)
			die("line", "placements per machine");
	}
}

static void
simulate(void)
{
	int cur[NM][NS], rem[NM][NS];

	truth = calloc((size_t)nboards * NM * NS * MAXK, sizeof(*truth));
	if (truth == NULL)
		die("out of memory", NULL);
	for (int m = 0; m < NM; m++)
		for (int s = 0; s < NS; s++) {
			/* Start with reels part-used, so changes spread out. */
			cur[m][s] = new_reel(m, s);
			rem[m][s] = 100 + (int)rnd(8000);
			emit(-1000 + s, E_LOAD, m, s, cur[m][s], 0, 0);
		}
	for (int b = 0; b < nboards; b++) {
		for (int m = 0; m < NM; m++) {
			int64_t start = (int64_t)b * CYCLE + m * OFFSET, end = start + DUR;
			for (int s = 0; s < NS; s++) {
				int k = K[m][s], old = cur[m][s];
				if (rem[m][s] < k) {
					/* Runs out during this board: splice or swap. */
					int d = rem[m][s], r = new_reel(m, s);
					int64_t t = start + 1 + (int64_t)rnd(DUR - 10);
					if (rnd(100) < 70) {
						emit(t, E_SPLICE, m, s, r, (int)rnd(11), b);
					} else {
						emit(t, E_UNLOAD, m, s, 0, 0, b);
						emit(t + 1, E_LOAD, m, s, r, 0, b);
					}
					for (int j = 0; j < k; j++)
						TRUTH(b, m, s, j) = j < d ? old : r;
					cur[m][s] = r;
					rem[m][s] = 2000 + (int)rnd(8001) - (k - d);
					ambiguous_refdes += k;
				} else {
					for (int j = 0; j < k; j++)
						TRUTH(b, m, s, j) = old;
					rem[m][s] -= k;
				}
				for (int j = 0; j < k; j++) {
					int r = TRUTH(b, m, s, j);
					if (firstboard[r] < 0)
						firstboard[r] = b;
					lastboard[r] = b;
				}
			}
			emit(end, E_PASS, m, 0, 0, 0, b);
		}
	}
	qsort(evs, nev, sizeof(*evs), cmp_ev);
}

/* ------------------------------------------------------------------
 * ecms
 * ------------------------------------------------------------------ */

static int64_t T0 = INT64_C(1767225600000); /* 2026-01-01 */

static void
ecms_programs(ecms *h)
{
	for (int m = 0; m < NM; m++) {
		struct ecms_gen_slotmap sm[NS];
		const char *refs[NS][MAXK];
		char slots[NS][16], machine[16], prog[16];
		machine_name(m, machine, sizeof(machine));
		snprintf(prog, sizeof(prog), "PRG-%d", m + 1);
		for (int s = 0; s < NS; s++) {
			slot_name(s, slots[s], sizeof(slots[s]));
			for (int j = 0; j < K[m][s]; j++)
				refs[s][j] = refname[m][s][j];
			sm[s] = (struct ecms_gen_slotmap){ slots[s], "IPN", refs[s],
							   (size_t)K[m][s] };
		}
		ECMS_OK_OR_DIE(h, ecms_gen_program_set(h, prog, machine, sm, NS, NULL));
	}
}

/* The exact record of a board pass: one InstalledMaterial per reel. */
static void
ecms_exact(ecms *h, int b, int m, int64_t t)
{
	struct ecms_gen_install recs[NS + 8];
	const char *refs[NS + 8][PER_MACHINE];
	char uids[NS + 8][16], board[16], machine[16];
	int reel_of[NS + 8];
	size_t n = 0;

	board_name(b, board, sizeof(board));
	machine_name(m, machine, sizeof(machine));
	for (int s = 0; s < NS; s++)
		for (int j = 0; j < K[m][s]; j++) {
			int r = TRUTH(b, m, s, j);
			size_t i;
			for (i = 0; i < n && reel_of[i] != r; i++)
				;
			if (i == n) {
				reel_of[n] = r;
				reel_name(r, uids[n], sizeof(uids[n]));
				recs[n] = (struct ecms_gen_install){ board, machine, uids[n],
								     refs[n], 0 };
				n++;
			}
			refs[i][recs[i].nrefdes++] = refname[m][s][j];
		}
	ECMS_OK_OR_DIE(h, ecms_gen_installed(h, recs, n, t, NULL));
}

static double
ecms_ingest(ecms *h, bool exact, long *rss)
{
	double t0 = now_s();
	int txb = 0;

	ECMS_OK_OR_DIE(h, ecms__begin(h));
	for (size_t i = 0; i < nev; i++) {
		const struct ev *e = &evs[i];
		char machine[16], slot[16], uid[16];
		machine_name(e->m, machine, sizeof(machine));
		slot_name(e->s, slot, sizeof(slot));
		switch (e->type) {
		case E_LOAD:
			reel_name(e->reel, uid, sizeof(uid));
			ECMS_OK_OR_DIE(h, ecms_gen_load(h, machine, slot, uid, T0 + e->t));
			break;
		case E_UNLOAD:
			ECMS_OK_OR_DIE(h, ecms_gen_unload(h, machine, slot, T0 + e->t));
			break;
		case E_SPLICE:
			reel_name(e->reel, uid, sizeof(uid));
			ECMS_OK_OR_DIE(h,
				       ecms_gen_splice(h, machine, slot, uid, T0 + e->t, e->grey));
			break;
		case E_PASS: {
			char board[16], wo[16], prog[16];
			board_name(e->b, board, sizeof(board));
			wo_name(e->b, wo, sizeof(wo));
			snprintf(prog, sizeof(prog), "PRG-%d", e->m + 1);
			ECMS_OK_OR_DIE(h, ecms_gen_board_pass(h, board, wo, machine, prog,
							      T0 + e->t - DUR, T0 + e->t));
			if (exact)
				ecms_exact(h, e->b, e->m, T0 + e->t + 1);
			if (e->m == NM - 1 && e->b / TX_BOARDS != txb) {
				txb = e->b / TX_BOARDS;
				ECMS_OK_OR_DIE(h, ecms__end(h, ECMS_OK));
				ECMS_OK_OR_DIE(h, ecms__begin(h));
			}
			if (e->m == NM - 1 && rss && (e->b + 1) % (nboards / 4) == 0)
				rss[(e->b + 1) / (nboards / 4) - 1] = rss_kb("VmRSS:");
			break;
		}
		}
	}
	ECMS_OK_OR_DIE(h, ecms__end(h, ECMS_OK));
	return now_s() - t0;
}

/* ------------------------------------------------------------------
 * Baselines
 * ------------------------------------------------------------------ */

static sqlite3 *
base_open(const char *path)
{
	sqlite3 *db;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open", path);
	sq(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
	return db;
}

static double
base_a_ingest(sqlite3 *db)
{
	sqlite3_stmt *ins, *board;
	double t0;

	sq(db, "CREATE TABLE boards (serial TEXT PRIMARY KEY, work_order TEXT);"
	       "CREATE TABLE placements (board TEXT NOT NULL, refdes TEXT NOT NULL, "
	       "uid TEXT NOT NULL, machine TEXT NOT NULL, slot TEXT NOT NULL, "
	       "program TEXT NOT NULL, placed_ms INTEGER NOT NULL);"
	       "CREATE INDEX placements_board ON placements (board);"
	       "CREATE INDEX placements_uid ON placements (uid);");
	ins = prep(db, "INSERT INTO placements VALUES (?, ?, ?, ?, ?, ?, ?)");
	board = prep(db, "INSERT INTO boards VALUES (?, ?)");
	t0 = now_s();
	sq(db, "BEGIN IMMEDIATE");
	for (int b = 0; b < nboards; b++) {
		char bn[16], wo[16];
		board_name(b, bn, sizeof(bn));
		wo_name(b, wo, sizeof(wo));
		sqlite3_bind_text(board, 1, bn, -1, SQLITE_STATIC);
		sqlite3_bind_text(board, 2, wo, -1, SQLITE_STATIC);
		run(db, board);
		for (int m = 0; m < NM; m++) {
			char mn[16], prog[16];
			int64_t start = T0 + (int64_t)b * CYCLE + m * OFFSET;
			machine_name(m, mn, sizeof(mn));
			snprintf(prog, sizeof(prog), "PRG-%d", m + 1);
			for (int s = 0; s < NS; s++) {
				char sl[16];
				slot_name(s, sl, sizeof(sl));
				for (int j = 0; j < K[m][s]; j++) {
					char uid[16];
					reel_name(TRUTH(b, m, s, j), uid, sizeof(uid));
					sqlite3_bind_text(ins, 1, bn, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 2, refname[m][s][j], -1,
							  SQLITE_STATIC);
					sqlite3_bind_text(ins, 3, uid, -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(ins, 4, mn, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 5, sl, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 6, prog, -1, SQLITE_STATIC);
					sqlite3_bind_int64(ins, 7, start + j);
					run(db, ins);
				}
			}
		}
		if ((b + 1) % TX_BOARDS == 0) {
			sq(db, "COMMIT");
			sq(db, "BEGIN IMMEDIATE");
		}
	}
	sq(db, "COMMIT");
	sqlite3_finalize(ins);
	sqlite3_finalize(board);
	return now_s() - t0;
}

static double
base_b_ingest(sqlite3 *db)
{
	sqlite3_stmt *ins, *board, *pass, *pkg;
	char *known = calloc((size_t)nreels, 1);
	int64_t pass_id = 0;
	double t0;

	sq(db, "CREATE TABLE boards (id INTEGER PRIMARY KEY, serial TEXT NOT NULL UNIQUE, "
	       "work_order TEXT);"
	       "CREATE TABLE packages (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE);"
	       "CREATE TABLE passes (id INTEGER PRIMARY KEY, board_id INTEGER NOT NULL, "
	       "machine TEXT NOT NULL, program TEXT NOT NULL, t_start INTEGER NOT NULL, "
	       "t_end INTEGER NOT NULL);"
	       "CREATE TABLE placements (board_id INTEGER NOT NULL, refdes TEXT NOT NULL, "
	       "pkg_id INTEGER NOT NULL, pass_id INTEGER NOT NULL);"
	       "CREATE INDEX placements_board ON placements (board_id);"
	       "CREATE INDEX placements_pkg ON placements (pkg_id);");
	ins = prep(db, "INSERT INTO placements VALUES (?, ?, ?, ?)");
	board = prep(db, "INSERT INTO boards VALUES (?, ?, ?)");
	pass = prep(db, "INSERT INTO passes VALUES (?, ?, ?, ?, ?, ?)");
	pkg = prep(db, "INSERT INTO packages VALUES (?, ?)");
	t0 = now_s();
	sq(db, "BEGIN IMMEDIATE");
	for (int b = 0; b < nboards; b++) {
		char bn[16], wo[16];
		board_name(b, bn, sizeof(bn));
		wo_name(b, wo, sizeof(wo));
		sqlite3_bind_int64(board, 1, b + 1);
		sqlite3_bind_text(board, 2, bn, -1, SQLITE_STATIC);
		sqlite3_bind_text(board, 3, wo, -1, SQLITE_STATIC);
		run(db, board);
		for (int m = 0; m < NM; m++) {
			char mn[16], prog[16];
			int64_t start = T0 + (int64_t)b * CYCLE + m * OFFSET;
			machine_name(m, mn, sizeof(mn));
			snprintf(prog, sizeof(prog), "PRG-%d", m + 1);
			sqlite3_bind_int64(pass, 1, ++pass_id);
			sqlite3_bind_int64(pass, 2, b + 1);
			sqlite3_bind_text(pass, 3, mn, -1, SQLITE_STATIC);
			sqlite3_bind_text(pass, 4, prog, -1, SQLITE_STATIC);
			sqlite3_bind_int64(pass, 5, start);
			sqlite3_bind_int64(pass, 6, start + DUR);
			run(db, pass);
			for (int s = 0; s < NS; s++)
				for (int j = 0; j < K[m][s]; j++) {
					int r = TRUTH(b, m, s, j);
					if (!known[r]) {
						char uid[16];
						reel_name(r, uid, sizeof(uid));
						sqlite3_bind_int64(pkg, 1, r + 1);
						sqlite3_bind_text(pkg, 2, uid, -1,
								  SQLITE_TRANSIENT);
						run(db, pkg);
						known[r] = 1;
					}
					sqlite3_bind_int64(ins, 1, b + 1);
					sqlite3_bind_text(ins, 2, refname[m][s][j], -1,
							  SQLITE_STATIC);
					sqlite3_bind_int64(ins, 3, r + 1);
					sqlite3_bind_int64(ins, 4, pass_id);
					run(db, ins);
				}
		}
		if ((b + 1) % TX_BOARDS == 0) {
			sq(db, "COMMIT");
			sq(db, "BEGIN IMMEDIATE");
		}
	}
	sq(db, "COMMIT");
	sqlite3_finalize(ins);
	sqlite3_finalize(board);
	sqlite3_finalize(pass);
	sqlite3_finalize(pkg);
	free(known);
	return now_s() - t0;
}

/* A part entry with the same fields ecms returns. */
static json_t *
base_part(const char *refdes, const char *uid, const char *machine, const char *slot,
	  const char *program, int64_t t)
{
	char ts[ECMS_TIME_LEN];
	json_t *o = json_object();

	json_object_set_new_nocheck(o, "refdes", json_string(refdes));
	json_object_set_new_nocheck(o, "uid", json_string(uid));
	json_object_set_new_nocheck(o, "ambiguous", json_false());
	json_object_set_new_nocheck(o, "candidates", json_pack("[s]", uid));
	json_object_set_new_nocheck(o, "source", json_string("exact"));
	json_object_set_new_nocheck(o, "time", json_string(ecms_time_format(t, ts)));
	json_object_set_new_nocheck(o, "machine", json_string(machine));
	json_object_set_new_nocheck(o, "slot", json_string(slot));
	json_object_set_new_nocheck(o, "program", json_string(program));
	return o;
}

static json_t *
base_a_backward(sqlite3_stmt *st, const char *board)
{
	json_t *parts = json_array();

	sqlite3_bind_text(st, 1, board, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(parts, base_part((const char *)sqlite3_column_text(st, 0),
						       (const char *)sqlite3_column_text(st, 1),
						       (const char *)sqlite3_column_text(st, 2),
						       (const char *)sqlite3_column_text(st, 3),
						       (const char *)sqlite3_column_text(st, 4),
						       sqlite3_column_int64(st, 5)));
	sqlite3_reset(st);
	return json_pack("{s:s,s:o}", "board", board, "parts", parts);
}

static json_t *
base_b_backward(sqlite3_stmt *st, int b)
{
	json_t *parts = json_array();

	sqlite3_bind_int64(st, 1, b + 1);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(parts, base_part((const char *)sqlite3_column_text(st, 0),
						       (const char *)sqlite3_column_text(st, 1),
						       (const char *)sqlite3_column_text(st, 2), "",
						       (const char *)sqlite3_column_text(st, 3),
						       sqlite3_column_int64(st, 4)));
	sqlite3_reset(st);
	return json_pack("{s:o}", "parts", parts);
}

/* Forward: rows (board, work_order, refdes) grouped by board into the
 * same shape ecms returns. */
static json_t *
group_rows(sqlite3_stmt *st, json_t *out)
{
	json_t *cur = NULL, *refs = NULL;
	char last[32] = "";

	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *b = (const char *)sqlite3_column_text(st, 0);
		if (cur == NULL || strcmp(b, last) != 0) {
			refs = json_array();
			cur = json_pack("{s:s,s:s,s:o,s:[]}", "board", b, "work_order",
					(const char *)sqlite3_column_text(st, 1), "refdes", refs,
					"ambiguous");
			json_array_append_new(out, cur);
			snprintf(last, sizeof(last), "%s", b);
		}
		json_array_append_new(refs, json_string((const char *)sqlite3_column_text(st, 2)));
	}
	sqlite3_reset(st);
	return out;
}

static json_t *
base_forward(sqlite3_stmt *st, const int *reels, int n, bool text)
{
	json_t *out = json_array();

	for (int i = 0; i < n; i++) {
		char uid[16];
		reel_name(reels[i], uid, sizeof(uid));
		if (text)
			sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(st, 1, reels[i] + 1);
		group_rows(st, out);
	}
	return out;
}

/* The baselines without JSON: rows copied into C structs, as ecms's
 * ecms_gen_board_get and ecms_gen_carriers_get do (bump allocation). */
static char bump[1 << 22];
static size_t bump_used;

static const char *
bump_dup(const unsigned char *s)
{
	size_t n = strlen((const char *)s) + 1;
	char *d;

	if (bump_used + n > sizeof(bump))
		die("bump", "full");
	d = bump + bump_used;
	memcpy(d, s, n);
	bump_used += n;
	return d;
}

struct brow {
	const char *refdes, *uid, *machine, *slot, *program;
	int64_t t;
};
static struct brow brows[NM * PER_MACHINE + 64];

static size_t
base_backward_rows(sqlite3_stmt *st, const char *board, int b)
{
	size_t n = 0;

	bump_used = 0;
	if (board)
		sqlite3_bind_text(st, 1, board, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, b + 1);
	while (sqlite3_step(st) == SQLITE_ROW && n < ECMS_ARRAY_LEN(brows)) {
		int c = sqlite3_column_count(st);
		brows[n].refdes = bump_dup(sqlite3_column_text(st, 0));
		brows[n].uid = bump_dup(sqlite3_column_text(st, 1));
		brows[n].machine = bump_dup(sqlite3_column_text(st, 2));
		brows[n].slot = c == 6 ? bump_dup(sqlite3_column_text(st, 3)) : NULL;
		brows[n].program = bump_dup(sqlite3_column_text(st, c - 2));
		brows[n].t = sqlite3_column_int64(st, c - 1);
		n++;
	}
	sqlite3_reset(st);
	return n;
}

struct fboard {
	const char *board, *work_order;
	const char *refdes[MAXK * 8];
	size_t nrefdes;
};
static struct fboard *fboards;
static size_t cap_fboards;

static size_t
base_forward_rows(sqlite3_stmt *st, const int *reels, int n, bool text)
{
	size_t nb = 0;

	bump_used = 0;
	for (int i = 0; i < n; i++) {
		char uid[16];
		reel_name(reels[i], uid, sizeof(uid));
		if (text)
			sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(st, 1, reels[i] + 1);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *b = (const char *)sqlite3_column_text(st, 0);
			if (nb == 0 || strcmp(fboards[nb - 1].board, b) != 0) {
				if (nb == cap_fboards) {
					cap_fboards = cap_fboards ? cap_fboards * 2 : 1024;
					fboards = realloc(fboards, cap_fboards * sizeof(*fboards));
				}
				fboards[nb].board = bump_dup((const unsigned char *)b);
				fboards[nb].work_order = bump_dup(sqlite3_column_text(st, 1));
				fboards[nb].nrefdes = 0;
				nb++;
			}
			if (fboards[nb - 1].nrefdes < ECMS_ARRAY_LEN(fboards[0].refdes))
				fboards[nb - 1].refdes[fboards[nb - 1].nrefdes++] =
					bump_dup(sqlite3_column_text(st, 2));
		}
		sqlite3_reset(st);
	}
	return nb;
}

/* ------------------------------------------------------------------
 * Measuring
 * ------------------------------------------------------------------ */

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* Page bytes per group of tables (dbstat), ecms store. */
static void
ecms_breakdown(const char *path, long long placements)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open", path);
	st = prep(db, "SELECT CASE WHEN name LIKE 'event%' OR name = 'meta' THEN 'event log' "
		      "WHEN name LIKE 'gen_pass%' THEN 'gen_passes (+indexes)' "
		      "WHEN name LIKE 'gen_board%' OR name LIKE 'sqlite_autoindex_gen_boards%' "
		      "THEN 'gen_boards (+index)' "
		      "WHEN name LIKE 'gen_exc%' OR name LIKE 'sqlite_autoindex_gen_exc%' "
		      "THEN 'gen_exceptions (+index)' "
		      "WHEN name LIKE 'gen_%' OR name LIKE 'sqlite_autoindex_gen%' "
		      "THEN 'timeline (epochs, mounts, slots, programs)' "
		      "ELSE 'other' END AS g, SUM(pgsize) FROM dbstat GROUP BY g ORDER BY 2 DESC");
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("      %-44s %10.2f MB  %6.3f B/placement\n",
		       (const char *)sqlite3_column_text(st, 0),
		       (double)sqlite3_column_int64(st, 1) / 1e6,
		       (double)sqlite3_column_int64(st, 1) / (double)placements);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Which boards a JSON forward answer names, with their refdes counts. */
static long
forward_count(const json_t *arr, long *refdes, long *amb)
{
	size_t i;
	json_t *b;

	*refdes = *amb = 0;
	json_array_foreach(arr, i, b) {
		*refdes += (long)json_array_size(json_object_get(b, "refdes"));
		*amb += (long)json_array_size(json_object_get(b, "ambiguous"));
	}
	return (long)json_array_size(arr);
}

struct byref {
	const char *ref;
	const struct ecms_gen_part *p;
};

static int
cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct byref *)a)->ref, ((const struct byref *)b)->ref);
}

struct cfg {
	const char *dir;
	bool exact, keep;
};

int
main(int argc, char **argv)
{
	struct cfg c = { NULL, false, false };
	char dir[256], p_ecms[300], p_exact[300], p_a[300], p_b[300];
	long long placements;
	double t_ecms, t_exact = 0, t_a, t_b;
	long rss[4] = { 0 }, rss_exact[4] = { 0 }, rss_before;
	ecms *h = NULL;
	sqlite3 *da, *dbb;
	int nsample = 2000, lot[64], nlot = 0;

	nboards = 20000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--boards") == 0 && i + 1 < argc)
			nboards = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			c.dir = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			rng = strtoull(argv[++i], NULL, 10) | 1;
		else if (strcmp(argv[i], "--exact") == 0)
			c.exact = true;
		else if (strcmp(argv[i], "--keep") == 0)
			c.keep = true;
		else {
			fprintf(stderr,
				"usage: %s [--boards N] [--dir DIR] [--exact] [--keep] "
				"[--seed S]\n",
				argv[0]);
			return 2;
		}
	}
	if (nboards < 400)
		die("--boards", "at least 400");
	if (c.dir)
		snprintf(dir, sizeof(dir), "%s", c.dir);
	else {
		snprintf(dir, sizeof(dir), "%s/ecms-bench-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(dir) == NULL)
			die("mkdtemp", strerror(errno));
	}
	snprintf(p_ecms, sizeof(p_ecms), "%s/ecms.db", dir);
	snprintf(p_exact, sizeof(p_exact), "%s/ecms-exact.db", dir);
	snprintf(p_a, sizeof(p_a), "%s/baseline-a.db", dir);
	snprintf(p_b, sizeof(p_b), "%s/baseline-b.db", dir);

	make_line();
	simulate();
	placements = (long long)nboards * NM * PER_MACHINE;
	printf("genealogy bench: %d boards x %d placements = %lld placements; %d machines x "
	       "%d slots; %d reels; %zu setup changes; %.2f %% of placements ambiguous by "
	       "timing\n  (files in %s)\n\n",
	       nboards, NM * PER_MACHINE, placements, NM, NS, nreels, nev - (size_t)nboards * NM,
	       100.0 * (double)ambiguous_refdes / (double)placements, dir);

	/* --- ingest ------------------------------------------------------ */
	rss_before = rss_kb("VmRSS:");
	unlink(p_ecms);
	if (ecms_open(p_ecms, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) != ECMS_OK ||
	    ecms_init(h, NULL, NULL) != ECMS_OK)
		die("ecms open", h ? ecms_errmsg(h) : "");
	ecms_set_now(h, T0);
	ecms_programs(h);
	t_ecms = ecms_ingest(h, false, rss);
	ecms_close(h);
	if (c.exact) {
		unlink(p_exact);
		if (ecms_open(p_exact, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) != ECMS_OK ||
		    ecms_init(h, NULL, NULL) != ECMS_OK)
			die("ecms open", h ? ecms_errmsg(h) : "");
		ecms_set_now(h, T0);
		ecms_programs(h);
		t_exact = ecms_ingest(h, true, rss_exact);
		ecms_close(h);
	}
	da = base_open(p_a);
	t_a = base_a_ingest(da);
	sqlite3_close(da);
	dbb = base_open(p_b);
	t_b = base_b_ingest(dbb);
	sqlite3_close(dbb);

	printf("ingest (placements/s; wall time; RSS of the whole process, which holds the "
	       "simulated truth: %ld kB before ingest)\n",
	       rss_before);
	printf("  ecms                %12.0f /s  %7.2f s   RSS during ingest: %ld %ld %ld %ld kB\n",
	       (double)placements / t_ecms, t_ecms, rss[0], rss[1], rss[2], rss[3]);
	if (c.exact)
		printf("  ecms + exact feed   %12.0f /s  %7.2f s   RSS: %ld %ld %ld %ld kB\n",
		       (double)placements / t_exact, t_exact, rss_exact[0], rss_exact[1],
		       rss_exact[2], rss_exact[3]);
	printf("  baseline A (text)   %12.0f /s  %7.2f s   (ecms %.1fx faster)\n",
	       (double)placements / t_a, t_a, t_a / t_ecms);
	printf("  baseline B (ids)    %12.0f /s  %7.2f s   (ecms %.1fx faster)\n\n",
	       (double)placements / t_b, t_b, t_b / t_ecms);

	/* --- size ---------------------------------------------------------- */
	{
		long long se = file_size(p_ecms), sa = file_size(p_a), sb = file_size(p_b);
		printf("size after checkpoint (bytes per placement)\n");
		printf("  ecms                %10.1f MB  %7.3f B   (A/ecms %.0fx, B/ecms %.0fx)\n",
		       (double)se / 1e6, (double)se / (double)placements, (double)sa / (double)se,
		       (double)sb / (double)se);
		ecms_breakdown(p_ecms, placements);
		if (c.exact) {
			long long sx = file_size(p_exact);
			printf("  ecms + exact feed   %10.1f MB  %7.3f B   (A/ecms %.0fx)\n",
			       (double)sx / 1e6, (double)sx / (double)placements,
			       (double)sa / (double)sx);
			ecms_breakdown(p_exact, placements);
		}
		printf("  baseline A (text)   %10.1f MB  %7.3f B\n", (double)sa / 1e6,
		       (double)sa / (double)placements);
		printf("  baseline B (ids)    %10.1f MB  %7.3f B\n\n", (double)sb / 1e6,
		       (double)sb / (double)placements);
	}

	/* --- backward ------------------------------------------------------- */
	if (ecms_open(p_ecms, 0, &h) != ECMS_OK)
		die("ecms open", h ? ecms_errmsg(h) : "");
	if (sqlite3_open_v2(p_a, &da, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_open_v2(p_b, &dbb, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open baselines", NULL);
	{
		enum { EJ, ES, AJ, AS, BJ, BS, NT };
		static const char *const names[NT] = { "ecms, JSON (ecms_gen_trace_board)",
						       "ecms, C structs (ecms_gen_board_get)",
						       "baseline A, JSON",
						       "baseline A, C structs",
						       "baseline B, JSON",
						       "baseline B, C structs" };
		double *tm[NT];
		sqlite3_stmt *sa = prep(da, "SELECT refdes, uid, machine, slot, program, placed_ms "
					    "FROM placements WHERE board = ?");
		sqlite3_stmt *sb = prep(dbb, "SELECT pl.refdes, k.uid, ps.machine, ps.program, "
					     "ps.t_start FROM placements pl "
					     "JOIN packages k ON k.id = pl.pkg_id "
					     "JOIN passes ps ON ps.id = pl.pass_id "
					     "WHERE pl.board_id = ?");
		long mism = 0, amb = 0, parts = 0;
		struct byref byref[NM * PER_MACHINE + 64];
		size_t nbyref = 0;

		int *sample = malloc((size_t)nsample * sizeof(int));
		for (int k = 0; k < NT; k++)
			tm[k] = malloc((size_t)nsample * sizeof(double));
		for (int i = 0; i < nsample; i++)
			sample[i] = (int)rnd((uint64_t)nboards);
		/* Each way in its own loop, freeing its result (untimed) before the
		 * next call: every way runs in its own steady state. */
		for (int k = 0; k < NT; k++) {
			for (int i = 0; i < nsample; i++) {
				char bn[16];
				json_t *j = NULL;
				struct ecms_gen_board eb;
				double t0;
				board_name(sample[i], bn, sizeof(bn));
				t0 = cpu_s();
				switch (k) {
				case EJ:
					ECMS_OK_OR_DIE(h, ecms_gen_trace_board(h, bn, &j));
					break;
				case ES:
					ECMS_OK_OR_DIE(h, ecms_gen_board_get(h, bn, &eb));
					break;
				case AJ:
					j = base_a_backward(sa, bn);
					break;
				case AS:
					base_backward_rows(sa, bn, -1);
					break;
				case BJ:
					j = base_b_backward(sb, sample[i]);
					break;
				case BS:
					base_backward_rows(sb, NULL, sample[i]);
					break;
				}
				tm[k][i] = cpu_s() - t0;
				if (k == ES)
					ecms_gen_board_cleanup(&eb);
				json_decref(j);
			}
		}
		/* Cross-check every sampled board against baseline A (the truth). */
		for (int i = 0; i < nsample; i++) {
			char bn[16];
			json_t *ja, *p;
			struct ecms_gen_board eb;
			size_t k;
			board_name(sample[i], bn, sizeof(bn));
			ECMS_OK_OR_DIE(h, ecms_gen_board_get(h, bn, &eb));
			ja = base_a_backward(sa, bn);
			nbyref = 0;
			for (size_t q = 0; q < eb.nparts; q++) {
				byref[nbyref].ref = eb.parts[q].refdes;
				byref[nbyref++].p = &eb.parts[q];
			}
			qsort(byref, nbyref, sizeof(*byref), cmp_ref);
			mism += json_array_size(json_object_get(ja, "parts")) != eb.nparts;
			json_array_foreach(json_object_get(ja, "parts"), k, p) {
				const char *rd = json_string_value(json_object_get(p, "refdes"));
				const char *tu = json_string_value(json_object_get(p, "uid"));
				struct byref key = { rd, NULL }, *f;
				const struct ecms_gen_part *hit;
				f = bsearch(&key, byref, nbyref, sizeof(*byref), cmp_ref);
				hit = f ? f->p : NULL;
				parts++;
				if (hit == NULL) {
					mism++;
				} else if (hit->ambiguous) {
					bool in = false;
					amb++;
					for (size_t q = 0; q < hit->ncandidates; q++)
						in |= strcmp(hit->candidates[q], tu) == 0;
					mism += !in;
				} else {
					mism += strcmp(hit->uid, tu) != 0;
				}
			}
			ecms_gen_board_cleanup(&eb);
			json_decref(ja);
		}
		free(sample);
		printf("backward trace, %d random boards x %d parts, CPU ms (p50 / p99 / max)\n",
		       nsample, NM * PER_MACHINE);
		for (int k = 0; k < NT; k++) {
			qsort(tm[k], (size_t)nsample, sizeof(double), cmp_d);
			printf("  %-38s %6.3f  %6.3f  %6.3f\n", names[k],
			       pct(tm[k], nsample, .5) * 1e3, pct(tm[k], nsample, .99) * 1e3,
			       tm[k][nsample - 1] * 1e3);
			free(tm[k]);
		}
		printf("  check: %ld parts compared with the truth, %ld ambiguous (the true reel "
		       "among the candidates), %ld wrong\n\n",
		       parts, amb, mism);
		sqlite3_finalize(sa);
		sqlite3_finalize(sb);
	}

	/* --- forward ---------------------------------------------------------- */
	{
		/* Reels of a slot with the average refdes count (5) and of the slot
		 * with the most; a lot: consecutive reels of the average slot until
		 * they cover 2 % of the boards. */
		int avg = -1, most = 0, reel_avg = -1, reel_most = -1, covered = 0;
		bool late_avg = false, late_most = false;
		for (int m = 0; m < NM; m++)
			for (int s = 0; s < NS; s++) {
				if (avg < 0 && K[m][s] == PER_MACHINE / NS)
					avg = m * NS + s;
				if (K[m][s] > K[most / NS][most % NS])
					most = m * NS + s;
			}
		/* Small runs: no reel may start after the first third. */
		for (int r = 0; r < nreels; r++) {
			if (reel_slot[r] == avg && firstboard[r] >= 0 &&
			    (reel_avg < 0 || lastboard[r] - firstboard[r] >
						     lastboard[reel_avg] - firstboard[reel_avg]))
				reel_avg = r;
			if (reel_slot[r] == most && firstboard[r] >= 0 &&
			    (reel_most < 0 || lastboard[r] - firstboard[r] >
						      lastboard[reel_most] - firstboard[reel_most]))
				reel_most = r;
		}
		for (int r = 0; r < nreels; r++) {
			if (firstboard[r] < nboards / 3)
				continue;
			if (reel_slot[r] == avg && !late_avg) {
				reel_avg = r;
				late_avg = true;
			}
			if (reel_slot[r] == most && !late_most) {
				reel_most = r;
				late_most = true;
			}
			if (reel_slot[r] == avg && covered < nboards / 50 && nlot < 64) {
				lot[nlot++] = r;
				covered += (int)(lastboard[r] - firstboard[r] + 1);
			}
		}
		if (nlot == 0)
			lot[nlot++] = reel_avg;
		{
			sqlite3_stmt *fa = prep(da, "SELECT p.board, b.work_order, p.refdes "
						    "FROM placements p JOIN boards b "
						    "ON b.serial = p.board WHERE p.uid = ?");
			sqlite3_stmt *fb = prep(dbb, "SELECT b.serial, b.work_order, p.refdes "
						     "FROM placements p JOIN boards b "
						     "ON b.id = p.board_id WHERE p.pkg_id = ?");
			struct {
				const char *name;
				const int *reels;
				int n, k;
			} q[3] = { { "one reel, slot with 5 refdes", &reel_avg, 1,
				     K[avg / NS][avg % NS] },
				   { "a lot (reels of that slot) on 2 % of boards", lot, nlot,
				     K[avg / NS][avg % NS] },
				   { "one reel, slot with the most refdes", &reel_most, 1,
				     K[most / NS][most % NS] } };
			printf("forward trace, CPU ms (median of 15)\n");
			for (int k = 0; k < 3; k++) {
				enum { EJ, ES, AJ, AS, BJ, BS, NT };
				double tm[NT][15];
				long be = 0, re = 0, ae = 0, ba = 0, ra = 0, aa = 0;
				const char *uids[64];
				char names[64][16];
				for (int i = 0; i < q[k].n; i++) {
					reel_name(q[k].reels[i], names[i], sizeof(names[i]));
					uids[i] = names[i];
				}
				for (int t = 0; t < NT; t++) {
					for (int rep = 0; rep < 15; rep++) {
						json_t *j = NULL;
						struct ecms_gen_carriers cs;
						double t0 = cpu_s();
						switch (t) {
						case EJ:
							ECMS_OK_OR_DIE(h,
								       ecms_gen_trace_packages(
									       h, uids,
									       (size_t)q[k].n, &j));
							break;
						case ES:
							ECMS_OK_OR_DIE(h, ecms_gen_carriers_get(
										  h, uids,
										  (size_t)q[k].n,
										  &cs));
							break;
						case AJ:
							j = base_forward(fa, q[k].reels, q[k].n,
									 true);
							break;
						case AS:
							base_forward_rows(fa, q[k].reels, q[k].n,
									  true);
							break;
						case BJ:
							j = base_forward(fb, q[k].reels, q[k].n,
									 false);
							break;
						case BS:
							base_forward_rows(fb, q[k].reels, q[k].n,
									  false);
							break;
						}
						tm[t][rep] = cpu_s() - t0;
						if (t == EJ)
							be = forward_count(j, &re, &ae);
						if (t == AJ)
							ba = forward_count(j, &ra, &aa);
						if (t == ES)
							ecms_gen_carriers_cleanup(&cs);
						json_decref(j);
					}
				}
				for (int t = 0; t < NT; t++)
					qsort(tm[t], 15, sizeof(double), cmp_d);
				printf("  %s (%d reel%s, %d refdes per board): ecms %ld boards "
				       "(%.1f %%), %ld refdes certain + %ld ambiguous; baseline %ld "
				       "board-rows, %ld refdes\n",
				       q[k].name, q[k].n, q[k].n == 1 ? "" : "s", q[k].k, be,
				       100.0 * (double)be / nboards, re, ae, ba, ra);
				printf("    JSON:      ecms %7.3f   A %7.3f (%4.1fx)   B %7.3f (%4.1fx)\n",
				       tm[EJ][7] * 1e3, tm[AJ][7] * 1e3, tm[AJ][7] / tm[EJ][7],
				       tm[BJ][7] * 1e3, tm[BJ][7] / tm[EJ][7]);
				printf("    C structs: ecms %7.3f   A %7.3f (%4.1fx)   B %7.3f (%4.1fx)\n",
				       tm[ES][7] * 1e3, tm[AS][7] * 1e3, tm[AS][7] / tm[ES][7],
				       tm[BS][7] * 1e3, tm[BS][7] / tm[ES][7]);
			}
			sqlite3_finalize(fa);
			sqlite3_finalize(fb);
		}
	}
	printf("\npeak RSS of the process: %ld kB\n", rss_kb("VmHWM:"));
	ecms_close(h);
	sqlite3_close(da);
	sqlite3_close(dbb);
	if (!c.keep) {
		const char *paths[] = { p_ecms, p_exact, p_a, p_b };
		for (size_t i = 0; i < 4; i++) {
			char x[320];
			unlink(paths[i]);
			snprintf(x, sizeof(x), "%s-wal", paths[i]);
			unlink(x);
			snprintf(x, sizeof(x), "%s-shm", paths[i]);
			unlink(x);
		}
		if (!c.dir)
			rmdir(dir);
	}
	free(truth);
	free(evs);
	free(firstboard);
	free(lastboard);
	free(reel_slot);
	return 0;
}
