/*
 * plant_bench.c: a plant's production through ecms and through a
 * one-row-per-placement SQLite baseline, side by side, in one run
 * (issue 9). `make bench` builds it optimised and runs it.
 *
 *   plant_bench [--boards N] [--dir DIR] [--seed S] [--json FILE]
 *               [--ecms PATH] [--reps N] [--no-exact-direct] [--keep]
 *
 * The plant: 2 lines x 2 placement machines x 50 slots, 3 products of
 * 500 placements per board (250 per machine, 1 to 12 refdes per slot),
 * work orders that change the product (a changeover parks every reel and
 * loads the new product's, partly used ones coming back), reels of
 * 1,000-10,000 parts that run out during a board and are spliced (70 %,
 * grey zone 0-10 parts) or swapped; lots of 1-6 reels of one part (a part
 * used by several products spans lines), each with date code and
 * supplier. Boards come every 20 s per line. Everything is generated from
 * the seed, board by board, so nothing grows with the number of boards
 * in memory; every ingest runs in its own child process (its peak RSS is
 * measured with wait4) from the same stream.
 *
 * Stores, each in its own SQLite file, WAL, synchronous=FULL, one
 * transaction per 100 boards, prepared statements:
 *  - ecms, production path: the line's CFX messages (MaterialsLoaded,
 *    MaterialsUnloaded, SplicePointDetected, WorkStarted, WorkCompleted,
 *    MaterialsInstalled with the true reel of every refdes) as NDJSON in
 *    memory, read by the CFX reader (lib/cfx.c) and applied to the
 *    genealogy (cfx_apply() below: bench-side until `ecms cfx ingest`
 *    lands on main);
 *  - ecms, store alone: the same facts as direct ecms_gen_* calls
 *    (timeline only, and timeline plus exact records);
 *  - baseline: what an in-house MES stores: placements(board_id, refdes,
 *    pkg_id, pass_id) with indexes on board and on package, a packages
 *    table with lot, date code and supplier (index on lot), boards and
 *    passes tables. It is fed the same CFX stream through the same reader
 *    (production path) or the rows directly (store alone); its id
 *    dictionaries cost it nothing (derived from the names).
 * Received packages (uid, part, lot, date code, supplier) are in both
 * stores before production starts (master data from the simulator; not
 * timed).
 *
 * Measured: ingest placements/s; bytes per placement after a checkpoint;
 * backward trace (board -> every refdes with reel, lot, date code,
 * supplier) p50/p99 over 10,000 random boards; forward trace of a lot on
 * ~2 % of boards and of a single-reel lot, p50/p99; recall of that lot
 * from a cold process (wall time, peak RSS); the HTTP server under wrk;
 * peak RSS of ingest. Table on stdout, figures as JSON (--json).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "ecms/cfx.h"
#include "ecms/ecms.h"
#include "ecms/genealogy.h"
#include "ecms/production.h"
#include "ecms/session.h"
#include "ecms/sim.h"
#include "ecms/uid.h"
#include "event.h"
#include "store/store.h"

/* Pieces other branches bring: used as soon as they are on main. */
#if __has_include("ecms/cfxingest.h")
#include "ecms/cfxingest.h"
#define HAVE_CFXINGEST 1
#else
#define HAVE_CFXINGEST 0
#endif
#if __has_include("ecms/setup.h")
#include "ecms/setup.h"
#define HAVE_SETUP 1
#else
#define HAVE_SETUP 0
#endif
#if __has_include("ecms/trace.h")
#include "ecms/trace.h"

#define BENCH_NAME "plant_bench"
#include "bench_util.h"
#define HAVE_TRACE 1
#else
#define HAVE_TRACE 0
#endif
#if __has_include("ecms/recall.h")
#define HAVE_RECALL 1
#else
#define HAVE_RECALL 0
#endif

/* Names are bounded by construction (board < 10^8, reel < 10^8, ...). */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#define NL          2  /* lines */
#define NMC         2  /* placement machines per line */
#define NS          50 /* slots per machine */
#define NP          3  /* products */
#define PER_MACHINE 250
#define MAXK        12
#define CYCLE       20000
#define DUR         15000
#define OFFSET      17000
#define TX_BOARDS   100
#define NIPN        220 /* 40 shared passives + 60 per product */

static const int64_t T0 = INT64_C(1767225600000); /* 2026-01-01 */

/* ------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------ */

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die("out of memory", NULL);
	return q;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this thread: traces run with a warm page cache and no I/O;
 * on a shared host CPU time is steadier than wall time. */
static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
xs(uint64_t *s, uint64_t n)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return n ? (*s * UINT64_C(2685821657736338717)) % n : 0;
}

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

struct sbuf {
	char *p;
	size_t n, cap;
};

static void
sb_grow(struct sbuf *b, size_t more)
{
	if (b->n + more + 1 > b->cap) {
		b->cap = (b->n + more + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
}

static void __attribute__((format(printf, 2, 3))) sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	sb_grow(b, 256);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	if ((size_t)n >= b->cap - b->n) {
		sb_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
	}
	b->n += (size_t)n;
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	sb_grow(b, n);
	memcpy(b->p + b->n, s, n + 1);
	b->n += n;
}

/* ------------------------------------------------------------------
 * The plant
 * ------------------------------------------------------------------ */

static int nboards = 20000;
static uint64_t seed = 1;
static int K[NP][NMC][NS];                 /* refdes per slot */
static int IPNX[NP][NMC][NS];              /* part index per slot */
static char refname[NP][NMC][NS][MAXK][8]; /* refdes names */
static char ipn_name[NIPN][32];
static char supplier_name[16][32];
static int nsuppliers;

/* Reel r is the package ecms received as sequence number r + 1: a real
 * ecms UID (with its check character), as setup verification scans it. */
static void
reel_name(int r, char *buf, size_t n)
{
	char uid[ECMS_UID_MAX];

	snprintf(buf, n, "%s", ecms_uid_format((uint64_t)r + 1, uid));
}

static void
board_name(int b, char *buf, size_t n)
{
	snprintf(buf, n, "SN%08d", b);
}

static void
wo_name(int l, int wo, char *buf, size_t n)
{
	snprintf(buf, n, "WO-L%d-%04d", l + 1, wo);
}

static void
machine_name(int l, int m, char *buf, size_t n)
{
	snprintf(buf, n, "L%d-M%d", l + 1, m + 1);
}

static void
slot_name(int s, char *buf, size_t n)
{
	snprintf(buf, n, "%d-%02d", s / 25 + 1, s % 25 + 1);
}

static void
program_name(int p, int m, char *buf, size_t n)
{
	snprintf(buf, n, "PRD%d-M%d", p + 1, m + 1);
}

static void
lot_name(int lot, char *buf, size_t n)
{
	snprintf(buf, n, "LOT%06d", lot);
}

/* Slot maps of the products: the first 20 slots of each machine take
 * passives shared by every product (so their lots span products and
 * lines); the other 30 parts the product's own. */
static void
make_plant(void)
{
	uint64_t r = UINT64_C(0x9E3779B97F4A7C15);

	for (int p = 0; p < NP; p++)
		for (int m = 0; m < NMC; m++) {
			int total = 0;
			for (int s = 0; s < NS; s++) {
				K[p][m][s] = PER_MACHINE / NS;
				IPNX[p][m][s] =
					s < 20 ? m * 20 + s : 40 + p * 60 + m * 30 + (s - 20);
			}
			for (int i = 0; i < 400; i++) {
				int a = (int)xs(&r, NS), b = (int)xs(&r, NS);
				if (K[p][m][a] > 1 && K[p][m][b] < MAXK) {
					K[p][m][a]--;
					K[p][m][b]++;
				}
			}
			for (int s = 0; s < NS; s++) {
				total += K[p][m][s];
				for (int j = 0; j < K[p][m][s]; j++)
					snprintf(refname[p][m][s][j], sizeof(refname[0][0][0][0]),
						 "%c%d", "CRLDQU"[s % 6],
						 (m * NS + s) * MAXK + j + 1);
			}
			if (total != PER_MACHINE)
				die("plant", "placements per machine");
		}
}

/* ------------------------------------------------------------------
 * The generator: board by board, deterministic from the seed
 * ------------------------------------------------------------------ */

enum { E_LOAD, E_UNLOAD, E_SPLICE, E_START, E_PASS };

struct ev {
	int64_t t;
	int type, l, m, s, reel, old, grey, bi;
	size_t seq; /* emission order: ties keep it */
};

struct bboard {
	int b, l, p, wo;
	int64_t start[NMC];
	int truth[NMC][NS][MAXK];
};

struct batch {
	struct ev *ev;
	size_t nev, capev;
	struct bboard bd[TX_BOARDS];
	int nb;
};

struct reel {
	int ipn, lot;
	int64_t boards;
	int lastb;
};

struct lot {
	int ipn, plan, made, supplier, nreels;
	char dc[8];
	int64_t boards;
	int lastb;
};

struct gen {
	uint64_t rng;
	int next_b;
	int cur[NL][NMC][NS], rem[NL][NMC][NS];
	int prod[NL], wo_left[NL], wo_no[NL];
	int park[NL][NP][NMC][NS], park_rem[NL][NP][NMC][NS];
	int lot_of_ipn[NIPN];
	struct reel *reels;
	int nreels, capreels;
	struct lot *lots;
	int nlots, caplots;
	int64_t setup_changes, splices;
	struct wo {
		int l, no, p, qty;
	} * wos; /* every work order, as planned */
	int nwos, capwos;
};

static void
gen_init(struct gen *g)
{
	memset(g, 0, sizeof(*g));
	g->rng = seed * UINT64_C(0x2545F4914F6CDD1D) | 1;
	memset(g->cur, -1, sizeof(g->cur));
	memset(g->park, -1, sizeof(g->park));
	memset(g->lot_of_ipn, -1, sizeof(g->lot_of_ipn));
}

static void
gen_free(struct gen *g)
{
	free(g->reels);
	free(g->lots);
}

static uint64_t
grnd(struct gen *g, uint64_t n)
{
	return xs(&g->rng, n);
}

static int
new_reel(struct gen *g, int ipn, int *cap)
{
	int lot = g->lot_of_ipn[ipn];
	struct lot *L;

	if (lot < 0 || g->lots[lot].made >= g->lots[lot].plan) {
		int week;
		if (g->nlots == g->caplots) {
			g->caplots = g->caplots ? g->caplots * 2 : 1024;
			g->lots = xrealloc(g->lots, (size_t)g->caplots * sizeof(*g->lots));
		}
		lot = g->nlots++;
		L = &g->lots[lot];
		memset(L, 0, sizeof(*L));
		L->ipn = ipn;
		L->plan = grnd(g, 100) < 25 ? 1 : 2 + (int)grnd(g, 5);
		L->supplier = nsuppliers ? (int)grnd(g, (uint64_t)nsuppliers) : 0;
		week = 1 + (int)grnd(g, 52);
		snprintf(L->dc, sizeof(L->dc), "25%02d", week);
		L->lastb = -1;
		g->lot_of_ipn[ipn] = lot;
	}
	L = &g->lots[lot];
	L->made++;
	L->nreels++;
	if (g->nreels == g->capreels) {
		g->capreels = g->capreels ? g->capreels * 2 : 4096;
		g->reels = xrealloc(g->reels, (size_t)g->capreels * sizeof(*g->reels));
	}
	g->reels[g->nreels] = (struct reel){ ipn, lot, 0, -1 };
	*cap = 1000 + (int)grnd(g, 9001);
	return g->nreels++;
}

static void
emit(struct batch *bt, int64_t t, int type, int l, int m, int s, int reel, int old, int grey)
{
	if (bt->nev == bt->capev) {
		bt->capev = bt->capev ? bt->capev * 2 : 4096;
		bt->ev = xrealloc(bt->ev, bt->capev * sizeof(*bt->ev));
	}
	bt->ev[bt->nev] = (struct ev){ t, type, l, m, s, reel, old, grey, bt->nb, bt->nev };
	bt->nev++;
}

static int64_t
t_start(int l, int k, int m)
{
	return (int64_t)k * CYCLE + m * OFFSET + l * 7000;
}

/* Work orders of 500 to 5,000 boards; a new one changes the product. */
static void
changeover(struct gen *g, struct batch *bt, int l, int k)
{
	int p = g->wo_no[l] == 0 ? l % NP : (g->prod[l] + 1 + (int)grnd(g, NP - 1)) % NP;

	g->wo_left[l] = 500 + (int)grnd(g, 4501);
	for (int m = 0; m < NMC; m++) {
		int64_t tc = t_start(l, k, m) - 4000;
		for (int s = 0; s < NS; s++) {
			int cap, r;
			if (g->cur[l][m][s] >= 0) {
				g->park[l][g->prod[l]][m][s] = g->cur[l][m][s];
				g->park_rem[l][g->prod[l]][m][s] = g->rem[l][m][s];
				emit(bt, tc + 2 * s, E_UNLOAD, l, m, s, g->cur[l][m][s], 0, 0);
				g->setup_changes++;
			}
			if (g->park[l][p][m][s] >= 0) {
				r = g->park[l][p][m][s];
				g->rem[l][m][s] = g->park_rem[l][p][m][s];
				g->park[l][p][m][s] = -1;
			} else {
				r = new_reel(g, IPNX[p][m][s], &cap);
				/* The first reels start part-used, so changes spread out. */
				g->rem[l][m][s] =
					g->wo_no[l] == 0 ? 100 + (int)grnd(g, (uint64_t)cap) : cap;
			}
			g->cur[l][m][s] = r;
			emit(bt, tc + 2 * s + 1, E_LOAD, l, m, s, r, 0, 0);
			g->setup_changes++;
		}
	}
	g->prod[l] = p;
	g->wo_no[l]++;
	if (g->nwos == g->capwos) {
		g->capwos = g->capwos ? 2 * g->capwos : 64;
		if (!(g->wos = realloc(g->wos, (size_t)g->capwos * sizeof(*g->wos))))
			die("out of memory", NULL);
	}
	g->wos[g->nwos++] = (struct wo){ l, g->wo_no[l], p, g->wo_left[l] };
}

static void
count_board(struct gen *g, int r, int b)
{
	struct reel *R = &g->reels[r];
	struct lot *L = &g->lots[R->lot];

	if (R->lastb != b) {
		R->lastb = b;
		R->boards++;
	}
	if (L->lastb != b) {
		L->lastb = b;
		L->boards++;
	}
}

/* The next board into bt (which has room). */
static void
gen_board(struct gen *g, struct batch *bt)
{
	int b = g->next_b++, l = b % NL, k = b / NL, p;
	struct bboard *bd = &bt->bd[bt->nb];

	if (g->wo_left[l] == 0)
		changeover(g, bt, l, k);
	g->wo_left[l]--;
	p = g->prod[l];
	bd->b = b;
	bd->l = l;
	bd->p = p;
	bd->wo = g->wo_no[l];
	for (int m = 0; m < NMC; m++) {
		int64_t start = t_start(l, k, m), end = start + DUR;
		bd->start[m] = start;
		emit(bt, start, E_START, l, m, 0, 0, 0, 0);
		for (int s = 0; s < NS; s++) {
			int kk = K[p][m][s], old = g->cur[l][m][s];
			if (g->rem[l][m][s] < kk) {
				/* Runs out during this board: splice or swap. */
				int d = g->rem[l][m][s], cap, r = new_reel(g, IPNX[p][m][s], &cap);
				int64_t t = start + 1 + (int64_t)grnd(g, DUR - 10);
				if (grnd(g, 100) < 70) {
					emit(bt, t, E_SPLICE, l, m, s, r, old, (int)grnd(g, 11));
					g->splices++;
				} else {
					emit(bt, t, E_UNLOAD, l, m, s, old, 0, 0);
					emit(bt, t + 1, E_LOAD, l, m, s, r, 0, 0);
				}
				g->setup_changes++;
				for (int j = 0; j < kk; j++)
					bd->truth[m][s][j] = j < d ? old : r;
				g->cur[l][m][s] = r;
				g->rem[l][m][s] = cap - (kk - d);
			} else {
				for (int j = 0; j < kk; j++)
					bd->truth[m][s][j] = old;
				g->rem[l][m][s] -= kk;
			}
			for (int j = 0; j < kk; j++)
				count_board(g, bd->truth[m][s][j], b);
		}
		emit(bt, end, E_PASS, l, m, 0, 0, 0, 0);
	}
	bt->nb++;
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The next batch of boards, its events in time order (so each machine's
 * setup changes are); false when every board is made. */
static bool
gen_batch(struct gen *g, struct batch *bt)
{
	bt->nev = 0;
	bt->nb = 0;
	while (bt->nb < TX_BOARDS && g->next_b < nboards)
		gen_board(g, bt);
	qsort(bt->ev, bt->nev, sizeof(*bt->ev), cmp_ev);
	return bt->nb > 0;
}

/* ------------------------------------------------------------------
 * CFX envelopes of a batch (NDJSON in memory)
 * ------------------------------------------------------------------ */

static int64_t msg_seq;

static void
envelope(struct sbuf *o, const char *name, int64_t t, const char *source)
{
	char ts[ECMS_TIME_LEN];

	sb_printf(o,
		  "{\"MessageName\":\"CFX.%s\",\"Version\":\"1.7\",\"TimeStamp\":\"%s\","
		  "\"UniqueID\":\"7f3c%04x-0000-4000-8000-%012" PRIx64 "\",\"Source\":\"%s\","
		  "\"Target\":null,\"RequestID\":null,\"MessageBody\":",
		  name, ecms_time_format(T0 + t, ts), (unsigned)(seed & 0xffff), ++msg_seq, source);
}

static void
txid(int b, int m, char *buf, size_t n)
{
	snprintf(buf, n, "%08x-%04x-4000-8000-00000000cf%02x", (unsigned)b, (unsigned)m,
		 (unsigned)(seed & 0xff));
}

static void
cfx_batch(const struct batch *bt, struct sbuf *o)
{
	o->n = 0;
	for (size_t i = 0; i < bt->nev; i++) {
		const struct ev *e = &bt->ev[i];
		const struct bboard *bd = &bt->bd[e->bi];
		char mn[16], sl[16], uid[16], old[16], tx[48], bn[16];
		machine_name(e->l, e->m, mn, sizeof(mn));
		slot_name(e->s, sl, sizeof(sl));
		switch (e->type) {
		case E_LOAD:
			reel_name(e->reel, uid, sizeof(uid));
			envelope(o, "Materials.Storage.MaterialsLoaded", e->t, mn);
			sb_printf(
				o,
				"{\"Materials\":[{\"LocationIdentifier\":\"%s/%s\","
				"\"LocationName\":\"%s\",\"MaterialPackage\":{"
				"\"UniqueIdentifier\":\"%s\",\"InternalPartNumber\":\"%s\"}}]}}\n",
				mn, sl, sl, uid, ipn_name[IPNX[bd->p][e->m][e->s]]);
			break;
		case E_UNLOAD:
			reel_name(e->reel, uid, sizeof(uid));
			envelope(o, "Materials.Storage.MaterialsUnloaded", e->t, mn);
			sb_printf(o, "{\"MaterialPackageIdentifiers\":[\"%s\"]}}\n", uid);
			break;
		case E_SPLICE:
			reel_name(e->reel, uid, sizeof(uid));
			reel_name(e->old, old, sizeof(old));
			envelope(o, "Materials.Storage.SplicePointDetected", e->t, mn);
			sb_printf(o,
				  "{\"DepletedMaterial\":{\"LocationIdentifier\":\"%s/%s\","
				  "\"LocationName\":\"%s\",\"MaterialPackage\":{"
				  "\"UniqueIdentifier\":\"%s\",\"Quantity\":0}},"
				  "\"NewlyActiveMaterial\":{\"LocationIdentifier\":\"%s/%s\","
				  "\"LocationName\":\"%s\",\"MaterialPackage\":{"
				  "\"UniqueIdentifier\":\"%s\",\"InternalPartNumber\":\"%s\","
				  "\"GreyZone\":%d}}}}\n",
				  mn, sl, sl, old, mn, sl, sl, uid,
				  ipn_name[IPNX[bd->p][e->m][e->s]], e->grey);
			break;
		case E_START: {
			char wo[24], prog[16];
			board_name(bd->b, bn, sizeof(bn));
			txid(bd->b, e->m, tx, sizeof(tx));
			wo_name(bd->l, bd->wo, wo, sizeof(wo));
			program_name(bd->p, e->m, prog, sizeof(prog));
			envelope(o, "Production.WorkStarted", e->t, mn);
			sb_printf(
				o,
				"{\"TransactionID\":\"%s\",\"Lane\":1,\"UnitCount\":1,\"Units\":[{"
				"\"UnitIdentifier\":\"%s\",\"PositionNumber\":1,\"Status\":"
				"\"Pass\"}],\"RecipeName\":\"%s\",\"Revision\":\"1\","
				"\"WorkOrderIdentifier\":{\"WorkOrderId\":\"%s\"}}}\n",
				tx, bn, prog, wo);
			break;
		}
		case E_PASS: {
			int m = e->m, p = bd->p;
			bool first = true;
			board_name(bd->b, bn, sizeof(bn));
			txid(bd->b, m, tx, sizeof(tx));
			envelope(o, "Production.WorkCompleted", e->t, mn);
			sb_printf(o, "{\"TransactionID\":\"%s\",\"Result\":\"Completed\"}}\n", tx);
			envelope(o, "Production.Assembly.MaterialsInstalled", e->t + 1, mn);
			sb_printf(o, "{\"TransactionId\":\"%s\",\"InstalledMaterials\":[", tx);
			for (int s = 0; s < NS; s++) {
				/* One InstalledMaterial per reel of the slot (two at a change). */
				for (int j0 = 0; j0 < K[p][m][s];) {
					int r = bd->truth[m][s][j0], j1 = j0;
					while (j1 < K[p][m][s] && bd->truth[m][s][j1] == r)
						j1++;
					slot_name(s, sl, sizeof(sl));
					reel_name(r, uid, sizeof(uid));
					sb_printf(
						o,
						"%s{\"UnitIdentifier\":\"%s\",\"UnitPositionNumber\":1,"
						"\"QuantityInstalled\":%d,\"Material\":{"
						"\"UniqueIdentifier\":\"%s\",\"InternalPartNumber\":"
						"\"%s\"},\"CarrierLocation\":{\"LocationIdentifier\":"
						"\"%s/%s\",\"LocationName\":\"%s\"},"
						"\"InstalledComponents\":[",
						first ? "" : ",", bn, j1 - j0, uid,
						ipn_name[IPNX[p][m][s]], mn, sl, sl);
					for (int j = j0; j < j1; j++)
						sb_printf(o, "%s{\"ReferenceDesignator\":\"%s\"}",
							  j == j0 ? "" : ",", refname[p][m][s][j]);
					sb_puts(o, "]}");
					first = false;
					j0 = j1;
				}
			}
			sb_puts(o, "]}}\n");
			break;
		}
		}
	}
}

/* ------------------------------------------------------------------
 * Applying CFX messages to the genealogy (bench-side dispatch until the
 * cfxingest branch's entry point is on main)
 * ------------------------------------------------------------------ */

struct opentx {
	char tx[64], board[32], wo[32], prog[32];
	int64_t t;
	int64_t pass_id; /* baseline */
	bool used;
};
static struct opentx otx[32];

static struct opentx *
otx_find(const char *tx, bool create)
{
	struct opentx *free_slot = NULL;

	for (size_t i = 0; i < ECMS_ARRAY_LEN(otx); i++) {
		if (otx[i].used && strcmp(otx[i].tx, tx) == 0)
			return &otx[i];
		if (!otx[i].used && free_slot == NULL)
			free_slot = &otx[i];
	}
	if (!create)
		return NULL;
	if (free_slot == NULL)
		die("cfx", "too many open transactions");
	memset(free_slot, 0, sizeof(*free_slot));
	snprintf(free_slot->tx, sizeof(free_slot->tx), "%s", tx);
	free_slot->used = true;
	return free_slot;
}

#if !HAVE_CFXINGEST
static void
cfx_apply_ecms(ecms *h, const ecms_cfx_msg *msg)
{
	const char *src = msg->source;
	int64_t t = msg->timestamp.ms;

	switch (msg->kind) {
	case ECMS_CFX_MATERIALS_LOADED:
		for (size_t i = 0; i < msg->u.loaded.n_locations; i++) {
			const ecms_cfx_location *lo = &msg->u.loaded.locations[i];
			ECMS_OK_OR_DIE(
				h, ecms_gen_load(h, src, lo->location_name, lo->package.uid, t));
		}
		break;
	case ECMS_CFX_MATERIALS_UNLOADED:
		for (size_t i = 0; i < msg->u.unloaded.n_uids; i++)
			ECMS_OK_OR_DIE(h, ecms_gen_unload_uid(h, msg->u.unloaded.uids[i], t));
		break;
	case ECMS_CFX_SPLICE_POINT_DETECTED: {
		const ecms_cfx_location *na = &msg->u.splice.newly_active;
		ECMS_OK_OR_DIE(
			h, ecms_gen_splice(h, src, na->location_name, na->package.uid, t,
					   na->package.grey_zone > 0 ? na->package.grey_zone : 0));
		break;
	}
	case ECMS_CFX_WORK_STARTED: {
		const ecms_cfx_units *u = &msg->u.work_started;
		struct opentx *o = otx_find(u->transaction_id, true);
		snprintf(o->board, sizeof(o->board), "%s", u->units[0].unit_id);
		snprintf(o->wo, sizeof(o->wo), "%s", u->work_order_id ? u->work_order_id : "");
		snprintf(o->prog, sizeof(o->prog), "%s", u->recipe);
		o->t = t;
		break;
	}
	case ECMS_CFX_WORK_COMPLETED: {
		struct opentx *o = otx_find(msg->u.work_completed.transaction_id, false);
		if (o == NULL)
			die("cfx", "WorkCompleted without WorkStarted");
		ECMS_OK_OR_DIE(h, ecms_gen_board_pass(h, o->board, o->wo[0] ? o->wo : NULL, src,
						      o->prog, o->t, t));
		o->used = false;
		break;
	}
	case ECMS_CFX_MATERIALS_INSTALLED: {
		const ecms_cfx_installs *in = &msg->u.installed;
		struct ecms_gen_install recs[NS * 2];
		const char *refs[NS * 2][MAXK];
		size_t n = 0;
		for (size_t i = 0; i < in->n_items && n < ECMS_ARRAY_LEN(recs); i++) {
			const ecms_cfx_install *it = &in->items[i];
			size_t k = 0;
			for (; k < it->n_components && k < MAXK; k++)
				refs[n][k] = it->components[k].refdes;
			recs[n] = (struct ecms_gen_install){ it->unit_id, src, it->material.uid,
							     refs[n], k };
			n++;
		}
		ECMS_OK_OR_DIE(h, ecms_gen_installed(h, recs, n, t, NULL));
		break;
	}
	default:
		break;
	}
}

#endif

/* ------------------------------------------------------------------
 * The baseline
 * ------------------------------------------------------------------ */

/* The same settings ecms's store uses (lib/store/store_sqlite.c). */
static sqlite3 *
base_open(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open", path);
	sq(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
	       "PRAGMA busy_timeout=5000;");
	return db;
}

static const char base_schema[] =
	"CREATE TABLE boards (id INTEGER PRIMARY KEY, serial TEXT NOT NULL UNIQUE, "
	"work_order TEXT NOT NULL);"
	"CREATE TABLE packages (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, "
	"ipn TEXT NOT NULL, lot TEXT NOT NULL, date_code TEXT, supplier TEXT);"
	"CREATE INDEX packages_lot ON packages (lot);"
	"CREATE TABLE passes (id INTEGER PRIMARY KEY, board_id INTEGER NOT NULL, "
	"machine TEXT NOT NULL, program TEXT NOT NULL, t_start INTEGER NOT NULL, "
	"t_end INTEGER NOT NULL);"
	"CREATE TABLE placements (board_id INTEGER NOT NULL, refdes TEXT NOT NULL, "
	"pkg_id INTEGER NOT NULL, pass_id INTEGER NOT NULL);"
	"CREATE INDEX placements_board ON placements (board_id);"
	"CREATE INDEX placements_pkg ON placements (pkg_id);";

struct base {
	sqlite3 *db;
	sqlite3_stmt *ins, *board, *pass;
	int64_t pass_id;
	char *known; /* boards inserted */
};

static void
base_begin(struct base *B, sqlite3 *db)
{
	B->db = db;
	B->ins = prep(db, "INSERT INTO placements VALUES (?, ?, ?, ?)");
	B->board = prep(db, "INSERT INTO boards VALUES (?, ?, ?)");
	B->pass = prep(db, "INSERT INTO passes VALUES (?, ?, ?, ?, ?, ?)");
	B->known = calloc((size_t)nboards, 1);
	if (B->known == NULL)
		die("out of memory", NULL);
}

static void
base_end(struct base *B)
{
	sqlite3_finalize(B->ins);
	sqlite3_finalize(B->board);
	sqlite3_finalize(B->pass);
	free(B->known);
}

/* Ids are derived from names for free: SN00000042 is board 43, the
 * package of UID sequence number n is package n. */
static int64_t
name_id(const char *s)
{
	return strtoll(s + 2, NULL, 10) + 1;
}

static int64_t
uid_id(const char *uid)
{
	uint64_t seq = 0;
	ecms_error err;

	if (ecms_uid_parse(uid, &seq, &err) != ECMS_OK)
		die("uid", uid);
	return (int64_t)seq;
}

static void
base_board(struct base *B, const char *serial, const char *wo)
{
	int64_t id = name_id(serial);

	if (B->known[id - 1])
		return;
	B->known[id - 1] = 1;
	sqlite3_bind_int64(B->board, 1, id);
	sqlite3_bind_text(B->board, 2, serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(B->board, 3, wo, -1, SQLITE_STATIC);
	run(B->db, B->board);
}

static int64_t
base_pass(struct base *B, int64_t board_id, const char *machine, const char *prog, int64_t t0,
	  int64_t t1)
{
	sqlite3_bind_int64(B->pass, 1, ++B->pass_id);
	sqlite3_bind_int64(B->pass, 2, board_id);
	sqlite3_bind_text(B->pass, 3, machine, -1, SQLITE_STATIC);
	sqlite3_bind_text(B->pass, 4, prog, -1, SQLITE_STATIC);
	sqlite3_bind_int64(B->pass, 5, t0);
	sqlite3_bind_int64(B->pass, 6, t1);
	run(B->db, B->pass);
	return B->pass_id;
}

static void
base_place(struct base *B, int64_t board_id, const char *refdes, int64_t pkg_id, int64_t pass_id)
{
	sqlite3_bind_int64(B->ins, 1, board_id);
	sqlite3_bind_text(B->ins, 2, refdes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(B->ins, 3, pkg_id);
	sqlite3_bind_int64(B->ins, 4, pass_id);
	run(B->db, B->ins);
}

static void
cfx_apply_base(struct base *B, const ecms_cfx_msg *msg)
{
	switch (msg->kind) {
	case ECMS_CFX_WORK_STARTED: {
		const ecms_cfx_units *u = &msg->u.work_started;
		struct opentx *o = otx_find(u->transaction_id, true);
		snprintf(o->board, sizeof(o->board), "%s", u->units[0].unit_id);
		snprintf(o->prog, sizeof(o->prog), "%s", u->recipe);
		o->t = msg->timestamp.ms;
		base_board(B, o->board, u->work_order_id);
		break;
	}
	case ECMS_CFX_WORK_COMPLETED: {
		struct opentx *o = otx_find(msg->u.work_completed.transaction_id, false);
		if (o == NULL)
			die("cfx", "WorkCompleted without WorkStarted");
		o->pass_id = base_pass(B, name_id(o->board), msg->source, o->prog, o->t,
				       msg->timestamp.ms);
		break;
	}
	case ECMS_CFX_MATERIALS_INSTALLED: {
		const ecms_cfx_installs *in = &msg->u.installed;
		struct opentx *o = otx_find(in->transaction_id, false);
		if (o == NULL)
			die("cfx", "MaterialsInstalled without WorkStarted");
		for (size_t i = 0; i < in->n_items; i++) {
			const ecms_cfx_install *it = &in->items[i];
			int64_t bid = name_id(it->unit_id), pid = uid_id(it->material.uid);
			for (size_t k = 0; k < it->n_components; k++)
				base_place(B, bid, it->components[k].refdes, pid, o->pass_id);
		}
		o->used = false;
		break;
	}
	default:
		break; /* the baseline keeps no setup timeline */
	}
}

/* ------------------------------------------------------------------
 * Ingest (each in its own child process)
 * ------------------------------------------------------------------ */

enum mode { M_ECMS_CFX, M_ECMS_DIRECT, M_ECMS_EXACT, M_BASE_CFX, M_BASE_DIRECT, NMODES };
static const char *const mode_names[NMODES] = { "ecms-cfx", "ecms-direct", "ecms-exact", "base-cfx",
						"base-direct" };

static void
ecms_exact(ecms *h, const struct bboard *bd, int m, int64_t t)
{
	struct ecms_gen_install recs[NS * 2];
	const char *refs[NS * 2][MAXK];
	char uids[NS * 2][16], board[16], machine[16];
	size_t n = 0;
	int p = bd->p;

	board_name(bd->b, board, sizeof(board));
	machine_name(bd->l, m, machine, sizeof(machine));
	for (int s = 0; s < NS; s++)
		for (int j0 = 0; j0 < K[p][m][s];) {
			int r = bd->truth[m][s][j0], j1 = j0;
			while (j1 < K[p][m][s] && bd->truth[m][s][j1] == r)
				j1++;
			reel_name(r, uids[n], sizeof(uids[n]));
			for (int j = j0; j < j1; j++)
				refs[n][j - j0] = refname[p][m][s][j];
			recs[n] = (struct ecms_gen_install){ board, machine, uids[n], refs[n],
							     (size_t)(j1 - j0) };
			n++;
			j0 = j1;
		}
	ECMS_OK_OR_DIE(h, ecms_gen_installed(h, recs, n, t, NULL));
}

static void
ecms_apply_direct(ecms *h, const struct batch *bt, bool exact)
{
	for (size_t i = 0; i < bt->nev; i++) {
		const struct ev *e = &bt->ev[i];
		const struct bboard *bd = &bt->bd[e->bi];
		char mn[16], sl[16], uid[16];
		machine_name(e->l, e->m, mn, sizeof(mn));
		slot_name(e->s, sl, sizeof(sl));
		switch (e->type) {
		case E_LOAD:
			reel_name(e->reel, uid, sizeof(uid));
			ECMS_OK_OR_DIE(h, ecms_gen_load(h, mn, sl, uid, T0 + e->t));
			break;
		case E_UNLOAD:
			ECMS_OK_OR_DIE(h, ecms_gen_unload(h, mn, sl, T0 + e->t));
			break;
		case E_SPLICE:
			reel_name(e->reel, uid, sizeof(uid));
			ECMS_OK_OR_DIE(h, ecms_gen_splice(h, mn, sl, uid, T0 + e->t, e->grey));
			break;
		case E_START:
			break;
		case E_PASS: {
			char bn[16], wo[24], prog[16];
			board_name(bd->b, bn, sizeof(bn));
			wo_name(bd->l, bd->wo, wo, sizeof(wo));
			program_name(bd->p, e->m, prog, sizeof(prog));
			ECMS_OK_OR_DIE(h, ecms_gen_board_pass(h, bn, wo, mn, prog,
							      T0 + bd->start[e->m], T0 + e->t));
			if (exact)
				ecms_exact(h, bd, e->m, T0 + e->t + 1);
			break;
		}
		}
	}
}

static void
base_apply_direct(struct base *B, const struct batch *bt)
{
	for (int i = 0; i < bt->nb; i++) {
		const struct bboard *bd = &bt->bd[i];
		char bn[16], wo[24];
		board_name(bd->b, bn, sizeof(bn));
		wo_name(bd->l, bd->wo, wo, sizeof(wo));
		base_board(B, bn, wo);
		for (int m = 0; m < NMC; m++) {
			char mn[16], prog[16];
			int64_t pid;
			machine_name(bd->l, m, mn, sizeof(mn));
			program_name(bd->p, m, prog, sizeof(prog));
			pid = base_pass(B, bd->b + 1, mn, prog, T0 + bd->start[m],
					T0 + bd->start[m] + DUR);
			for (int s = 0; s < NS; s++)
				for (int j = 0; j < K[bd->p][m][s]; j++)
					base_place(B, bd->b + 1, refname[bd->p][m][s][j],
						   bd->truth[m][s][j] + 1, pid);
		}
	}
}

static void
read_stream(const struct sbuf *o, void (*fn)(void *, const ecms_cfx_msg *), void *arg)
{
	ecms_cfx_reader *r;
	ecms_cfx_msg *msg;
	ecms_error err;

	if (ecms_cfx_reader_new(o->p, o->n, 0, &r, &err) != ECMS_OK)
		die("cfx reader", err.message);
	for (;;) {
		if (ecms_cfx_reader_next(r, &msg, &err) != ECMS_OK)
			die("cfx message", err.message);
		if (msg == NULL)
			break;
		fn(arg, msg);
		ecms_cfx_msg_free(msg);
	}
	ecms_cfx_reader_free(r);
}

#if !HAVE_CFXINGEST
static void
apply_ecms_cb(void *arg, const ecms_cfx_msg *msg)
{
	cfx_apply_ecms(arg, msg);
}
#endif

static void
apply_base_cb(void *arg, const ecms_cfx_msg *msg)
{
	cfx_apply_base(arg, msg);
}

/* One ingest from the start of the stream; returns the seconds spent
 * applying it (generating the stream, a job of the line, is not
 * counted). Prints "seconds bytes_of_cfx" on stdout. */
static int
child_ingest(enum mode mode, const char *path)
{
	struct gen *g = calloc(1, sizeof(*g));
	struct batch *bt = calloc(1, sizeof(*bt));
	struct sbuf cfx = { 0 };
	double spent = 0;
	long long cfx_bytes = 0;
	ecms *h = NULL;
	sqlite3 *db = NULL;
	struct base B = { 0 };

	if (g == NULL || bt == NULL)
		die("out of memory", NULL);
	gen_init(g);
	if (mode <= M_ECMS_EXACT) {
		if (ecms_open(path, 0, &h) != ECMS_OK)
			die("ecms open", path);
		ecms_set_now(h, T0);
	} else {
		db = base_open(path);
		base_begin(&B, db);
	}
	while (gen_batch(g, bt)) {
		double t0;
		if (mode == M_ECMS_CFX || mode == M_BASE_CFX) {
			cfx_batch(bt, &cfx);
			cfx_bytes += (long long)cfx.n;
		}
		t0 = now_s();
		switch (mode) {
		case M_ECMS_CFX:
#if HAVE_CFXINGEST
		{
			/* The production entry point (`ecms cfx ingest`, AMQP,
			 * POST /api/v1/cfx), one transaction per call (100
			 * boards), as the baseline commits. */
			struct ecms_cfx_ingest_report rep;
			ecms_cfx_report_init(&rep);
			rep.batch_size = (size_t)1 << 30;
			ECMS_OK_OR_DIE(h, ecms_cfx_ingest_buf(h, cfx.p, cfx.n, "bench", &rep));
			if (rep.rejected || rep.applied + rep.unknown + rep.deferred != rep.items) {
				char *j = json_dumps(rep.rejects, JSON_COMPACT);
				fprintf(stderr,
					"plant_bench: cfx ingest: %zu of %zu rejected: %.2000s\n",
					rep.rejected, rep.items, j ? j : "");
				free(j);
				exit(1);
			}
			ecms_cfx_report_cleanup(&rep);
		}
#else
			ECMS_OK_OR_DIE(h, ecms__begin(h));
			read_stream(&cfx, apply_ecms_cb, h);
			ECMS_OK_OR_DIE(h, ecms__end(h, ECMS_OK));
#endif
		break;
		case M_ECMS_DIRECT:
		case M_ECMS_EXACT:
			ECMS_OK_OR_DIE(h, ecms__begin(h));
			ecms_apply_direct(h, bt, mode == M_ECMS_EXACT);
			ECMS_OK_OR_DIE(h, ecms__end(h, ECMS_OK));
			break;
		case M_BASE_CFX:
			sq(db, "BEGIN IMMEDIATE");
			read_stream(&cfx, apply_base_cb, &B);
			sq(db, "COMMIT");
			break;
		case M_BASE_DIRECT:
			sq(db, "BEGIN IMMEDIATE");
			base_apply_direct(&B, bt);
			sq(db, "COMMIT");
			break;
		default:
			break;
		}
		spent += now_s() - t0;
	}
	if (h)
		ecms_close(h);
	if (db) {
		base_end(&B);
		sqlite3_close(db);
	}
	printf("%.6f %lld\n", spent, cfx_bytes);
	free(cfx.p);
	free(bt->ev);
	free(bt);
	gen_free(g);
	free(g);
	return 0;
}

/* Recall from a cold process: open the store, find the lot's packages,
 * trace them forward; print the number of boards. */
static int
child_recall(bool is_ecms, const char *path, const char *lot)
{
	long nb = 0;

	if (is_ecms) {
		ecms *h;
		ecms__stmt *st;
		const char **uids = NULL;
		char **own = NULL;
		size_t n = 0;
		struct ecms_gen_carriers cs;
		if (ecms_open(path, 0, &h) != ECMS_OK)
			die("ecms open", path);
		ECMS_OK_OR_DIE(h,
			       ecms__q(h, &st, "SELECT uid FROM packages WHERE lot = ?", "t", lot));
		while (ecms__step(h, st) == ECMS__ROW) {
			own = xrealloc(own, (n + 1) * sizeof(*own));
			own[n] = strdup(ecms__col_text(st, 0));
			n++;
		}
		ecms__done(h, st);
		uids = (const char **)own;
		ECMS_OK_OR_DIE(h, ecms_gen_carriers_get(h, uids, n, &cs));
		nb = (long)cs.n;
		ecms_gen_carriers_cleanup(&cs);
		for (size_t i = 0; i < n; i++)
			free(own[i]);
		free(own);
		ecms_close(h);
	} else {
		sqlite3 *db;
		sqlite3_stmt *st;
		int64_t last = -1;
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			die("open", path);
		st = prep(db, "SELECT pl.board_id, b.serial, b.work_order, pl.refdes "
			      "FROM packages k JOIN placements pl ON pl.pkg_id = k.id "
			      "JOIN boards b ON b.id = pl.board_id WHERE k.lot = ? "
			      "ORDER BY pl.board_id");
		sqlite3_bind_text(st, 1, lot, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(st, 0);
			nb += id != last;
			last = id;
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	printf("%ld\n", nb);
	return 0;
}

/* Run argv; its stdout into out (NUL-terminated); wall seconds, peak
 * RSS (kB) and exit status. */
static int
spawn(char *const argv[], char *out, size_t outsz, double *wall, long *maxrss_kb)
{
	int pfd[2], status;
	pid_t pid;
	struct rusage ru;
	size_t n = 0;
	double t0;

	if (pipe(pfd) != 0)
		die("pipe", strerror(errno));
	fflush(stdout);
	t0 = now_s();
	pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t k = read(pfd[0], out + n, outsz - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		if (n >= outsz - 1)
			n = 0; /* keep the tail only; callers read one short line */
	}
	out[n] = '\0';
	close(pfd[0]);
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4", strerror(errno));
	*wall = now_s() - t0;
	*maxrss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ------------------------------------------------------------------
 * Figures
 * ------------------------------------------------------------------ */

struct fig {
	char name[96], unit[24], note[160];
	double e, b; /* NAN: not measured */
	bool higher; /* higher is better (rates) */
};
static struct fig figs[64];
static int nfigs;

static void
fig(const char *name, const char *unit, double e, double b, bool higher, const char *note)
{
	struct fig *f = &figs[nfigs++];

	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->unit, sizeof(f->unit), "%s", unit);
	snprintf(f->note, sizeof(f->note), "%s", note ? note : "");
	f->e = e;
	f->b = b;
	f->higher = higher;
}

static double
ratio(const struct fig *f)
{
	if (isnan(f->e) || isnan(f->b) || f->e <= 0 || f->b <= 0)
		return NAN;
	return f->higher ? f->e / f->b : f->b / f->e;
}

static void
fmt_num(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (fabs(v) >= 1e6)
		snprintf(buf, n, "%.2f M", v / 1e6);
	else if (fabs(v) >= 1e4)
		snprintf(buf, n, "%.0f", v);
	else if (fabs(v) >= 100)
		snprintf(buf, n, "%.1f", v);
	else
		snprintf(buf, n, "%.3f", v);
}

static void
print_table(void)
{
	printf("\n%-52s %-12s %12s %12s %8s\n", "figure", "unit", "ecms", "baseline", "ratio");
	for (int i = 0; i < 100; i++)
		putchar('-');
	putchar('\n');
	for (int i = 0; i < nfigs; i++) {
		char e[32], b[32], r[32];
		double q = ratio(&figs[i]);
		fmt_num(figs[i].e, e, sizeof(e));
		fmt_num(figs[i].b, b, sizeof(b));
		if (isnan(q))
			snprintf(r, sizeof(r), "-");
		else
			snprintf(r, sizeof(r), "%.1fx", q);
		printf("%-52s %-12s %12s %12s %8s\n", figs[i].name, figs[i].unit, e, b, r);
		if (figs[i].note[0])
			printf("    %s\n", figs[i].note);
	}
}

static json_t *
jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static void
read_line_of(const char *path, const char *key, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[512];

	snprintf(out, n, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0) {
			char *v = strchr(line, ':');
			if (v) {
				v++;
				while (*v == ' ' || *v == '\t')
					v++;
				v[strcspn(v, "\n")] = '\0';
				snprintf(out, n, "%s", v);
			}
			break;
		}
	fclose(f);
}

static json_t *
machine_json(void)
{
	char cpu[256], mem[64];
	struct utsname u;

	read_line_of("/proc/cpuinfo", "model name", cpu, sizeof(cpu));
	read_line_of("/proc/meminfo", "MemTotal", mem, sizeof(mem));
	uname(&u);
	return json_pack("{s:s,s:I,s:s,s:s,s:s,s:s}", "cpu", cpu, "cores",
			 (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "memory", mem, "kernel",
			 u.release, "compiler", "cc " __VERSION__, "sqlite", sqlite3_libversion());
}

static void
write_json(const char *path, long long placements, json_t *extra)
{
	json_t *root, *arr = json_array();

	for (int i = 0; i < nfigs; i++) {
		json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:o}", "name", figs[i].name, "unit",
				      figs[i].unit, "ecms", jnum(figs[i].e), "baseline",
				      jnum(figs[i].b), "ratio", jnum(ratio(&figs[i])));
		if (figs[i].note[0])
			json_object_set_new(o, "note", json_string(figs[i].note));
		json_array_append_new(arr, o);
	}
	root = json_pack("{s:o,s:{s:i,s:I},s:o,s:o}", "machine", machine_json(), "scale", "boards",
			 nboards, "placements", (json_int_t)placements, "figures", arr, "details",
			 extra);
	if (json_dump_file(root, path, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) != 0)
		die("write", path);
	json_decref(root);
}

/* ------------------------------------------------------------------
 * Fixtures: master data and received packages, in both stores
 * ------------------------------------------------------------------ */

static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static long long
db_size(const char *path)
{
	char x[600];
	long long s = file_size(path);

	snprintf(x, sizeof(x), "%s-wal", path);
	s += file_size(x);
	return s;
}

/* Bytes per placement of the biggest tables and indexes (dbstat). */
static json_t *
breakdown(const char *path, long long placements)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	json_t *o = json_object();

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open", path);
	st = prep(db,
		  "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12");
	while (sqlite3_step(st) == SQLITE_ROW) {
		double b = (double)sqlite3_column_int64(st, 1) / (double)placements;
		printf("    %-36s %8.3f B/placement\n", (const char *)sqlite3_column_text(st, 0),
		       b);
		json_object_set_new(o, (const char *)sqlite3_column_text(st, 0), json_real(b));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return o;
}

static void
checkpoint(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open", path);
	sq(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(db);
}

static void
copy_file(const char *from, const char *to)
{
	char cmd[1400];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	if (system(cmd) != 0)
		die("copy", cmd);
}

static void
ecms_template(const char *path, const char *dir, const struct gen *g)
{
	ecms *h = NULL;
	ecms_sim *sim;
	ecms__stmt *st;
	int n = 0;

	unlink(path);
	if (ecms_open(path, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) != ECMS_OK ||
	    ecms_init(h, NULL, NULL) != ECMS_OK)
		die("ecms init", h ? ecms_errmsg(h) : path);
	ecms_set_now(h, T0 - 86400000);
	ECMS_OK_OR_DIE(h, ecms_sim_new(NULL, &sim));
	ECMS_OK_OR_DIE(h, ecms_sim_master(sim, h, dir));
	ecms_sim_free(sim);
	(void)n;
	/* Programs of every product on every machine. */
	for (int l = 0; l < NL; l++)
		for (int m = 0; m < NMC; m++)
			for (int p = 0; p < NP; p++) {
				struct ecms_gen_slotmap sm[NS];
				const char *refs[NS][MAXK];
				char slots[NS][16], mn[16], prog[16];
				machine_name(l, m, mn, sizeof(mn));
				program_name(p, m, prog, sizeof(prog));
				for (int s = 0; s < NS; s++) {
					slot_name(s, slots[s], sizeof(slots[s]));
					for (int j = 0; j < K[p][m][s]; j++)
						refs[s][j] = refname[p][m][s][j];
					sm[s] = (struct ecms_gen_slotmap){ slots[s],
									   ipn_name[IPNX[p][m][s]],
									   refs[s],
									   (size_t)K[p][m][s] };
				}
				ECMS_OK_OR_DIE(h, ecms_gen_program_set(h, prog, mn, sm, NS, NULL));
			}
	/* The products and the work orders the ERP released (ecms_wo_create). */
	ECMS_OK_OR_DIE(h, ecms__begin(h));
	for (int p = 0; p < NP; p++) {
		char prod[16];
		int64_t seq = 0;
		snprintf(prod, sizeof(prod), "PRD%d", p + 1);
		ECMS_OK_OR_DIE(h, ecms__event(h, "bom.imported",
					      json_pack("{s:s,s:s,s:s,s:i}", "product", prod, "rev",
							"1", "source", "bench", "refdes_count",
							NMC * PER_MACHINE),
					      &seq));
		ECMS_OK_OR_DIE(h, ecms__exec(h,
					     "INSERT INTO products (product, rev, source, "
					     "refdes_count, updated_seq) VALUES (?, '1', 'bench', "
					     "?, ?)",
					     "tii", prod, (int64_t)(NMC * PER_MACHINE), seq));
	}
	ECMS_OK_OR_DIE(h, ecms__end(h, ECMS_OK));
	for (int i = 0; i < g->nwos; i++) {
		char id[24], prod[16];
		wo_name(g->wos[i].l, g->wos[i].no, id, sizeof(id));
		snprintf(prod, sizeof(prod), "PRD%d", g->wos[i].p + 1);
		ECMS_OK_OR_DIE(h, ecms_wo_create(h, &(ecms_wo_new){ .id = id,
								    .product = prod,
								    .rev = "1",
								    .qty = g->wos[i].qty }));
	}
	/* Received packages: a row and an event each, as receiving writes. */
	ECMS_OK_OR_DIE(h, ecms__begin(h));
	for (int r = 0; r < g->nreels; r++) {
		const struct lot *L = &g->lots[g->reels[r].lot];
		char uid[16], lot[16];
		json_t *ev;
		int64_t seq = 0;
		reel_name(r, uid, sizeof(uid));
		lot_name(g->reels[r].lot, lot, sizeof(lot));
		ev = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "uid", uid, "ipn",
			       ipn_name[g->reels[r].ipn], "lot", lot, "date_code", L->dc,
			       "supplier", supplier_name[L->supplier], "quantity", 5000, "status",
			       "available");
		ECMS_OK_OR_DIE(h, ecms__event(h, "package.received", ev, &seq));
		ECMS_OK_OR_DIE(
			h,
			ecms__exec(h,
				   "INSERT INTO packages (uid, ipn, supplier, lot, date_code, "
				   "quantity, initial_qty, status, received_ms, created_seq, "
				   "updated_seq) VALUES (?, ?, ?, ?, ?, 5000, 5000, 'available', "
				   "?, ?, ?)",
				   "tttttiii", uid, ipn_name[g->reels[r].ipn],
				   supplier_name[L->supplier], lot, L->dc, T0 - 86400000, seq,
				   seq));
	}
	ECMS_OK_OR_DIE(h, ecms__end(h, ECMS_OK));
	ecms_close(h);
	(void)st;
	checkpoint(path);
}

static void
base_template(const char *path, const struct gen *g)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	unlink(path);
	db = base_open(path);
	sq(db, base_schema);
	st = prep(db, "INSERT INTO packages VALUES (?, ?, ?, ?, ?, ?)");
	sq(db, "BEGIN IMMEDIATE");
	for (int r = 0; r < g->nreels; r++) {
		const struct lot *L = &g->lots[g->reels[r].lot];
		char uid[16], lot[16];
		reel_name(r, uid, sizeof(uid));
		lot_name(g->reels[r].lot, lot, sizeof(lot));
		sqlite3_bind_int64(st, 1, r + 1);
		sqlite3_bind_text(st, 2, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, ipn_name[g->reels[r].ipn], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, lot, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, L->dc, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, supplier_name[L->supplier], -1, SQLITE_STATIC);
		run(db, st);
	}
	sq(db, "COMMIT");
	sqlite3_finalize(st);
	sqlite3_close(db);
	checkpoint(path);
}

/* Part and supplier names: the simulator's master data (written to a file
 * so child processes use the same). */
static void
load_names(const char *dir, bool from_store)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/names.txt", dir);
	if (from_store) {
		ecms *h = NULL;
		ecms_sim *sim;
		ecms__stmt *st;
		char db[600];
		int n = 0;
		snprintf(db, sizeof(db), "%s/names.db", dir);
		unlink(db);
		if (ecms_open(db, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) != ECMS_OK ||
		    ecms_init(h, NULL, NULL) != ECMS_OK)
			die("ecms init", db);
		ecms_set_now(h, T0 - 86400000);
		ECMS_OK_OR_DIE(h, ecms_sim_new(NULL, &sim));
		ECMS_OK_OR_DIE(h, ecms_sim_master(sim, h, dir));
		ecms_sim_free(sim);
		f = fopen(path, "w");
		if (f == NULL)
			die("write", path);
		ECMS_OK_OR_DIE(h, ecms__q(h, &st, "SELECT ipn FROM parts ORDER BY ipn", ""));
		while (ecms__step(h, st) == ECMS__ROW && n < NIPN) {
			fprintf(f, "I %s\n", ecms__col_text(st, 0));
			n++;
		}
		ecms__done(h, st);
		n = 0;
		ECMS_OK_OR_DIE(h, ecms__q(h, &st,
					  "SELECT id FROM suppliers WHERE status = 'approved' "
					  "ORDER BY id",
					  ""));
		while (ecms__step(h, st) == ECMS__ROW && n < 16) {
			fprintf(f, "S %s\n", ecms__col_text(st, 0));
			n++;
		}
		ecms__done(h, st);
		fclose(f);
		ecms_close(h);
		unlink(db);
		snprintf(db, sizeof(db), "%s/names.db-wal", dir);
		unlink(db);
		snprintf(db, sizeof(db), "%s/names.db-shm", dir);
		unlink(db);
	}
	{
		char line[128];
		int ni = 0;
		f = fopen(path, "r");
		if (f == NULL)
			die("read", path);
		nsuppliers = 0;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0] == 'I' && ni < NIPN)
				snprintf(ipn_name[ni++], sizeof(ipn_name[0]), "%s", line + 2);
			else if (line[0] == 'S' && nsuppliers < 16)
				snprintf(supplier_name[nsuppliers++], sizeof(supplier_name[0]),
					 "%s", line + 2);
		}
		fclose(f);
		if (ni < NIPN || nsuppliers == 0)
			die("master data", "too few parts or suppliers from the simulator");
	}
}

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

/* Results copied into caller memory, as a renderer would (bump arena). */
static char bump[1 << 23];
static size_t bump_used;

static const char *
bump_dup(const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if (bump_used + n > sizeof(bump))
		die("bump", "full");
	d = bump + bump_used;
	memcpy(d, s, n);
	bump_used += n;
	return d;
}

struct pkginfo {
	const char *uid, *lot, *dc, *supplier;
};

/* ecms backward: the board's parts, and for every package named (the
 * reel, or each candidate), its lot, date code and supplier. Returns the
 * number of parts. */
static size_t
ecms_backward(ecms *h, const char *serial, size_t *nambiguous)
{
	struct ecms_gen_board eb;
	struct pkginfo pk[256];
	size_t npk = 0, amb = 0, n;

	bump_used = 0;
	ECMS_OK_OR_DIE(h, ecms_gen_board_get(h, serial, &eb));
	for (size_t i = 0; i < eb.nparts; i++) {
		const struct ecms_gen_part *p = &eb.parts[i];
		amb += p->ambiguous;
		for (size_t c = 0; c < p->ncandidates; c++) {
			const char *u = p->candidates[c];
			size_t k = 0;
			ecms__stmt *st;
			for (; k < npk; k++)
				if (strcmp(pk[k].uid, u) == 0)
					break;
			if (k < npk || npk == ECMS_ARRAY_LEN(pk))
				continue;
			ECMS_OK_OR_DIE(h, ecms__q(h, &st,
						  "SELECT lot, date_code, supplier FROM packages "
						  "WHERE uid = ?",
						  "t", u));
			pk[npk].uid = bump_dup(u);
			if (ecms__step(h, st) == ECMS__ROW) {
				pk[npk].lot = bump_dup(ecms__col_text(st, 0));
				pk[npk].dc = bump_dup(ecms__col_text(st, 1));
				pk[npk].supplier = bump_dup(ecms__col_text(st, 2));
			}
			ecms__done(h, st);
			npk++;
		}
	}
	n = eb.nparts;
	ecms_gen_board_cleanup(&eb);
	*nambiguous = amb;
	return n;
}

struct brow {
	const char *refdes, *uid, *lot, *dc, *supplier, *machine, *program;
	int64_t t;
};
static struct brow brows[NMC * PER_MACHINE + 64];

static size_t
base_backward(sqlite3_stmt *st, const char *serial)
{
	size_t n = 0;

	bump_used = 0;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < ECMS_ARRAY_LEN(brows)) {
		brows[n].refdes = bump_dup((const char *)sqlite3_column_text(st, 0));
		brows[n].uid = bump_dup((const char *)sqlite3_column_text(st, 1));
		brows[n].lot = bump_dup((const char *)sqlite3_column_text(st, 2));
		brows[n].dc = bump_dup((const char *)sqlite3_column_text(st, 3));
		brows[n].supplier = bump_dup((const char *)sqlite3_column_text(st, 4));
		brows[n].machine = bump_dup((const char *)sqlite3_column_text(st, 5));
		brows[n].program = bump_dup((const char *)sqlite3_column_text(st, 6));
		brows[n].t = sqlite3_column_int64(st, 7);
		n++;
	}
	sqlite3_reset(st);
	return n;
}

/* ecms forward of a lot: its packages, then the boards carrying them. */
static size_t
ecms_forward_lot(ecms *h, const char *lot, size_t *refdes)
{
	const char *uids[64];
	size_t n = 0, nb, nr = 0;
	ecms__stmt *st;
	struct ecms_gen_carriers cs;

	bump_used = 0;
	ECMS_OK_OR_DIE(h, ecms__q(h, &st, "SELECT uid FROM packages WHERE lot = ?", "t", lot));
	while (ecms__step(h, st) == ECMS__ROW && n < ECMS_ARRAY_LEN(uids))
		uids[n++] = bump_dup(ecms__col_text(st, 0));
	ecms__done(h, st);
	ECMS_OK_OR_DIE(h, ecms_gen_carriers_get(h, uids, n, &cs));
	nb = cs.n;
	for (size_t i = 0; i < cs.n; i++)
		nr += cs.boards[i].nrefdes + cs.boards[i].nambiguous;
	ecms_gen_carriers_cleanup(&cs);
	*refdes = nr;
	return nb;
}

struct fboard {
	const char *board, *work_order;
	const char *refdes[MAXK * 8];
	size_t nrefdes;
};
static struct fboard *fboards;
static size_t cap_fboards;

static size_t
base_forward_lot(sqlite3_stmt *st, const char *lot, size_t *refdes)
{
	size_t nb = 0, nr = 0;
	int64_t last = -1;

	bump_used = 0;
	sqlite3_bind_text(st, 1, lot, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != last) {
			if (nb == cap_fboards) {
				cap_fboards = cap_fboards ? cap_fboards * 2 : 1024;
				fboards = xrealloc(fboards, cap_fboards * sizeof(*fboards));
			}
			fboards[nb].board = bump_dup((const char *)sqlite3_column_text(st, 1));
			fboards[nb].work_order = bump_dup((const char *)sqlite3_column_text(st, 2));
			fboards[nb].nrefdes = 0;
			nb++;
			last = id;
		}
		if (fboards[nb - 1].nrefdes < ECMS_ARRAY_LEN(fboards[0].refdes))
			fboards[nb - 1].refdes[fboards[nb - 1].nrefdes++] =
				bump_dup((const char *)sqlite3_column_text(st, 3));
		nr++;
	}
	sqlite3_reset(st);
	*refdes = nr;
	return nb;
}

#if HAVE_TRACE
/* The baseline's answers as JSON with the fields ecms_trace_board and
 * ecms_trace_forward give for a component / board that the baseline has
 * (refdes, uid, lot, date code, supplier, machine, program, time; serial,
 * work order, refdes). */
static json_t *
base_backward_json(sqlite3_stmt *st, const char *serial)
{
	json_t *comps = json_array();

	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char ts[ECMS_TIME_LEN];
		json_t *o = json_object();
		for (int c = 0; c < 7; c++) {
			static const char *const k[] = { "refdes",    "uid",      "lot",
							 "date_code", "supplier", "machine",
							 "program" };
			const unsigned char *v = sqlite3_column_text(st, c);
			json_object_set_new_nocheck(o, k[c],
						    v ? json_string((const char *)v) : json_null());
		}
		json_object_set_new_nocheck(
			o, "time", json_string(ecms_time_format(sqlite3_column_int64(st, 7), ts)));
		json_object_set_new_nocheck(o, "ambiguous", json_false());
		json_array_append_new(comps, o);
	}
	sqlite3_reset(st);
	return json_pack("{s:s,s:o}", "serial", serial, "components", comps);
}

static json_t *
base_forward_json(sqlite3_stmt *st, const char *lot)
{
	json_t *boards = json_array(), *cur = NULL;
	int64_t last = -1;

	sqlite3_bind_text(st, 1, lot, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != last) {
			cur = json_pack("{s:s,s:s,s:[]}", "serial", sqlite3_column_text(st, 1),
					"work_order", sqlite3_column_text(st, 2), "refdes");
			json_array_append_new(boards, cur);
			last = id;
		}
		json_array_append_new(json_object_get(cur, "refdes"),
				      json_string((const char *)sqlite3_column_text(st, 3)));
	}
	sqlite3_reset(st);
	return json_pack("{s:I,s:o}", "count", (json_int_t)json_array_size(boards), "boards",
			 boards);
}
#endif

/* ------------------------------------------------------------------
 * Setup verification (the interlock) in process
 * ------------------------------------------------------------------ */

#if HAVE_SETUP
/* The moment the setup questions are asked: after the last board. */
static int64_t
setup_now(void)
{
	return T0 + (int64_t)(nboards / NL + 10) * CYCLE;
}

struct verify_res {
	double p50, p99;
	long n, go;
	char codes[256];
};

/* The product each line runs at the end, its programs made active, then
 * random (machine, slot, reel of the slot's part) questions: the reel may
 * be the one on the slot, one on another slot, or one in stock. */
static struct verify_res
setup_verify_bench(const char *path, const struct gen *g, int n)
{
	struct verify_res res = { 0 };
	double *tm = malloc((size_t)n * sizeof(double));
	int *by_ipn_n = calloc(NIPN, sizeof(int)), **by_ipn = calloc(NIPN, sizeof(int *));
	const char *codes[32];
	long ncode[32] = { 0 };
	int ncodes = 0;
	uint64_t r = seed * 31 + 7;
	ecms *h = NULL;

	if (!tm || !by_ipn_n || !by_ipn)
		die("out of memory", NULL);
	for (int i = 0; i < g->nreels; i++) {
		int ip = g->reels[i].ipn;
		by_ipn[ip] = xrealloc(by_ipn[ip], (size_t)(by_ipn_n[ip] + 1) * sizeof(int));
		by_ipn[ip][by_ipn_n[ip]++] = i;
	}
	if (ecms_open(path, 0, &h) != ECMS_OK)
		die("ecms open", path);
	ecms_set_now(h, setup_now());
	for (int l = 0; l < NL; l++)
		for (int m = 0; m < NMC; m++) {
			char mn[16], prog[16];
			machine_name(l, m, mn, sizeof(mn));
			program_name(g->prod[l], m, prog, sizeof(prog));
			ECMS_OK_OR_DIE(h, ecms_setup_activate(h, mn, prog, NULL));
		}
	for (int i = 0; i < n; i++) {
		int l = (int)xs(&r, NL), m = (int)xs(&r, NMC), sl = (int)xs(&r, NS);
		int ip = IPNX[g->prod[l]][m][sl], k;
		char mn[16], sn[16], uid[16];
		struct ecms_setup_verdict v;
		double t0;
		machine_name(l, m, mn, sizeof(mn));
		slot_name(sl, sn, sizeof(sn));
		reel_name(by_ipn[ip][xs(&r, (uint64_t)by_ipn_n[ip])], uid, sizeof(uid));
		t0 = cpu_s();
		ECMS_OK_OR_DIE(h, ecms_setup_verify(h, mn, sn, uid, &v));
		tm[i] = cpu_s() - t0;
		res.go += v.go;
		for (k = 0; k < ncodes && strcmp(codes[k], v.code) != 0; k++)
			;
		if (k == ncodes && ncodes < 32)
			codes[ncodes++] = v.code;
		if (k < 32)
			ncode[k]++;
	}
	ecms_close(h);
	qsort(tm, (size_t)n, sizeof(double), cmp_d);
	res.p50 = pct(tm, n, .5) * 1e3;
	res.p99 = pct(tm, n, .99) * 1e3;
	res.n = n;
	for (int k = 0; k < ncodes; k++) {
		size_t used = strlen(res.codes);
		snprintf(res.codes + used, sizeof(res.codes) - used, "%s%s %ld", k ? ", " : "",
			 codes[k], ncode[k]);
	}
	for (int i = 0; i < NIPN; i++)
		free(by_ipn[i]);
	free(by_ipn);
	free(by_ipn_n);
	free(tm);
	return res;
}

/*
 * The questions for the HTTP benchmark: n (machine, slot, reel of the
 * slot's part) drawn as setup_verify_bench draws them, kept when the
 * answer is GO at setup_now() (the reel on the slot, or one in stock), as
 * BENCH_PATH and BENCH_BODY lists for wrk (caller frees both). codes gets
 * the count by GO code, e.g. "64 GO questions: ok 40, already_loaded 24".
 */
static void
setup_go_questions(const char *path, const struct gen *g, int n, char **paths, char **bodies,
		   char *codes, size_t ncodes)
{
	size_t cap = (size_t)n * 96;
	char *pl = malloc(cap), *bl = malloc(cap);
	size_t pu = 0, bu = 0;
	long nok = 0, nloaded = 0;
	uint64_t r = seed * 131 + 17;
	ecms *h = NULL;
	int found = 0;

	if (!pl || !bl)
		die("out of memory", NULL);
	if (ecms_open(path, 0, &h) != ECMS_OK)
		die("ecms open", path);
	ecms_set_now(h, setup_now());
	for (int tries = 0; found < n && tries < 100 * n; tries++) {
		int l = (int)xs(&r, NL), m = (int)xs(&r, NMC), sl = (int)xs(&r, NS);
		int ip = IPNX[g->prod[l]][m][sl], k0 = (int)xs(&r, (uint64_t)g->nreels), k;
		char mn[16], sn[16], uid[16];
		struct ecms_setup_verdict v;
		for (k = 0; k < g->nreels && g->reels[(k0 + k) % g->nreels].ipn != ip; k++)
			;
		if (k == g->nreels)
			continue;
		machine_name(l, m, mn, sizeof(mn));
		slot_name(sl, sn, sizeof(sn));
		reel_name((k0 + k) % g->nreels, uid, sizeof(uid));
		ECMS_OK_OR_DIE(h, ecms_setup_verify(h, mn, sn, uid, &v));
		if (!v.go)
			continue;
		nok += strcmp(v.code, "already_loaded") != 0;
		nloaded += strcmp(v.code, "already_loaded") == 0;
		pu += (size_t)snprintf(pl + pu, cap - pu, "/api/v1/machines/%s/setup/verify\n", mn);
		bu += (size_t)snprintf(bl + bu, cap - bu, "{\"slot\": \"%s\", \"reel\": \"%s\"}\n",
				       sn, uid);
		found++;
	}
	ecms_close(h);
	if (found == 0)
		die("no GO question for the HTTP benchmark", path);
	snprintf(codes, ncodes, "%d GO questions: ok %ld, already_loaded %ld", found, nok, nloaded);
	*paths = pl;
	*bodies = bl;
}
#endif

/* ------------------------------------------------------------------
 * HTTP under load: ecms serve + wrk
 * ------------------------------------------------------------------ */

/* BENCH_PATH and BENCH_BODY are lists of the same length, one entry a
 * line: request i of a thread is entry i mod n. BENCH_EXPECT: a text each
 * answer must contain (else a line "unexpected" on stderr, counted as an
 * error like a status other than 200). */
static const char wrk_lua[] =
	"-- plant_bench: a fixed number of requests per connection, then stop.\n"
	"local per_conn = tonumber(os.getenv('BENCH_REQS_PER_CONN') or '1000')\n"
	"local token = os.getenv('BENCH_TOKEN')\n"
	"local method = os.getenv('BENCH_METHOD') or 'GET'\n"
	"local expect = os.getenv('BENCH_EXPECT')\n"
	"local function lines(s)\n"
	"  local t = {}\n"
	"  if s then for l in string.gmatch(s, '[^\\n]+') do t[#t + 1] = l end end\n"
	"  return t\n"
	"end\n"
	"local paths = lines(os.getenv('BENCH_PATH'))\n"
	"local bodies = lines(os.getenv('BENCH_BODY'))\n"
	"local i = 0\n"
	"local done_n = 0\n"
	"local conns = 1\n"
	"function init(args) conns = tonumber(args[1] or '1') end\n"
	"function request()\n"
	"  local h = { ['Authorization'] = 'Bearer ' .. token }\n"
	"  local body = nil\n"
	"  i = i % #paths + 1\n"
	"  if #bodies > 0 then\n"
	"    body = bodies[i]; h['Content-Type'] = 'application/json'\n"
	"  end\n"
	"  return wrk.format(method, paths[i], h, body)\n"
	"end\n"
	"function response(status, headers, b)\n"
	"  if status ~= 200 then io.stderr:write('status ' .. status .. '\\n')\n"
	"  elseif expect and not string.find(b, expect, 1, true) then\n"
	"    io.stderr:write('unexpected\\n')\n"
	"  end\n"
	"  done_n = done_n + 1\n"
	"  if done_n == per_conn * conns then\n"
	"    io.stderr:write('DONE\\n'); io.stderr:flush(); wrk.thread:stop()\n"
	"  end\n"
	"end\n"
	"function done(summary, latency, requests)\n"
	"  io.write(string.format('BENCH %d %d %.3f %.3f %.3f %d\\n', summary.requests,\n"
	"    summary.duration, latency:percentile(50), latency:percentile(99),\n"
	"    latency.max, summary.errors.status + summary.errors.connect +\n"
	"    summary.errors.read + summary.errors.write + summary.errors.timeout))\n"
	"end\n";

struct http_res {
	double rps, p50_ms, p99_ms;
	long requests, errors; /* errors: wrk's, and answers without the expected text */
	bool ok;
	char what[160];
};

/* What wrk asks: method, paths and bodies (lists, see wrk_lua; bodies may
 * be NULL), the text each answer must contain (may be NULL), and the time
 * the server runs at (ECMS_NOW; NULL: the clock). */
struct http_req {
	const char *method, *paths, *bodies, *expect, *now;
};

static bool
have_wrk(void)
{
	return system("command -v wrk >/dev/null 2>&1") == 0;
}

static struct http_res
http_bench(const char *ecms_bin, const char *db, const char *dir, const struct http_req *rq,
	   const char *what, long total)
{
	struct http_res res = { 0 };
	char token[ECMS_API_TOKEN_LEN + 1], lua[600], out[600], cmd[2400];
	int64_t id;
	ecms *h = NULL;
	pid_t pid;
	int port = 0, pfd[2];
	FILE *f;

	snprintf(res.what, sizeof(res.what), "%s", what);
	if (!have_wrk() || access(ecms_bin, X_OK) != 0)
		return res;
	if (ecms_open(db, 0, &h) != ECMS_OK)
		die("ecms open", db);
	{
		char name[64];
		snprintf(name, sizeof(name), "bench-%ld", (long)getpid());
		ECMS_OK_OR_DIE(h, ecms_token_create(h, name, "operator", 0, &id, token));
	}
	ecms_close(h);
	snprintf(lua, sizeof(lua), "%s/wrk.lua", dir);
	f = fopen(lua, "w");
	if (f == NULL)
		die("write", lua);
	fputs(wrk_lua, f);
	fclose(f);
	if (pipe(pfd) != 0)
		die("pipe", strerror(errno));
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(pfd[1], 1);
		dup2(null, 2); /* the request log */
		close(pfd[0]);
		close(pfd[1]);
		setenv("ECMS_DB", db, 1);
		if (rq->now)
			setenv("ECMS_NOW", rq->now, 1);
		execl(ecms_bin, ecms_bin, "--db", db, "serve", "--listen", "127.0.0.1:0",
		      "--threads", "4", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f && fgets(out, sizeof(out), f)) {
		char *p = strstr(out, "http://127.0.0.1:");
		if (p) {
			port = (int)strtol(p + strlen("http://127.0.0.1:"), NULL, 10);
			break;
		}
	}
	if (port > 0) {
		/* wrk runs for its -d duration even when every thread has
		 * stopped: the script says DONE per thread, then it is told to
		 * finish (SIGINT) and prints its latency summary. */
		char url[64], conns[8];
		int wfd[2], ndone = 0;
		long unexpected = 0;
		double t0;
		pid_t wpid;
		FILE *w;
		snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
		snprintf(conns, sizeof(conns), "%d", 4);
		snprintf(cmd, sizeof(cmd), "%ld", total / 8);
		setenv("BENCH_REQS_PER_CONN", cmd, 1);
		setenv("BENCH_TOKEN", token, 1);
		setenv("BENCH_METHOD", rq->method, 1);
		setenv("BENCH_PATH", rq->paths, 1);
		if (rq->bodies)
			setenv("BENCH_BODY", rq->bodies, 1);
		else
			unsetenv("BENCH_BODY");
		if (rq->expect)
			setenv("BENCH_EXPECT", rq->expect, 1);
		else
			unsetenv("BENCH_EXPECT");
		if (pipe(wfd) != 0)
			die("pipe", strerror(errno));
		t0 = now_s();
		wpid = fork();
		if (wpid == 0) {
			dup2(wfd[1], 1);
			dup2(wfd[1], 2);
			close(wfd[0]);
			close(wfd[1]);
			execlp("wrk", "wrk", "-t", "2", "-c", "8", "-d", "600s", "--timeout", "10s",
			       "-s", lua, url, conns, (char *)NULL);
			_exit(127);
		}
		close(wfd[1]);
		w = fdopen(wfd[0], "r");
		while (w && fgets(out, sizeof(out), w)) {
			long dur_us;
			double p50, p99, mx;
			if (strncmp(out, "unexpected", 10) == 0)
				unexpected++;
			if (strncmp(out, "DONE", 4) == 0 && ++ndone == 2) {
				res.rps = now_s() - t0; /* seconds, for now */
				kill(wpid, SIGINT);
			}
			if (sscanf(out, "BENCH %ld %ld %lf %lf %lf %ld", &res.requests, &dur_us,
				   &p50, &p99, &mx, &res.errors) == 6) {
				res.rps = (double)res.requests / res.rps;
				res.p50_ms = p50 / 1e3;
				res.p99_ms = p99 / 1e3;
				res.ok = ndone == 2;
			}
		}
		if (w)
			fclose(w);
		waitpid(wpid, NULL, 0);
		res.errors += unexpected;
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (f)
		fclose(f);
	return res;
}

/* ------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------ */

static const char *self_exe;

static double
run_ingest(enum mode mode, const char *path, long *rss, long long *cfx_bytes)
{
	char nb[32], sd[32], out[256];
	char *argv[] = { (char *)self_exe,         "--boards",   nb,  "--seed", sd, "--child",
			 (char *)mode_names[mode], (char *)path, NULL };
	double wall, spent = 0;
	int rc;

	snprintf(nb, sizeof(nb), "%d", nboards);
	snprintf(sd, sizeof(sd), "%" PRIu64, seed);
	rc = spawn(argv, out, sizeof(out), &wall, rss);
	if (rc != 0 || sscanf(out, "%lf %lld", &spent, cfx_bytes) != 2)
		die("ingest child failed", mode_names[mode]);
	return spent;
}

int
main(int argc, char **argv)
{
	const char *dir_opt = NULL, *json_out = NULL, *ecms_bin = NULL, *child = NULL;
	bool keep = false, exact_direct = true;
	char dir[512], p_tpl_e[600], p_tpl_b[600], p_path[NMODES][600];
	int reps = 100, nsample = 10000;
	long long placements, cfx_bytes = 0;
	double t_ing[NMODES] = { 0 };
	long rss_ing[NMODES] = { 0 };
	struct gen *g;
	int lot2 = -1, lot1 = -1;
	char lot2n[16], lot1n[16];
	json_t *details = json_object();

	self_exe = "/proc/self/exe";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--boards") && i + 1 < argc)
			nboards = (int)strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir_opt = argv[++i];
		else if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json_out = argv[++i];
		else if (!strcmp(argv[i], "--ecms") && i + 1 < argc)
			ecms_bin = argv[++i];
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = (int)strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--no-exact-direct"))
			exact_direct = false;
		else if (!strcmp(argv[i], "--keep"))
			keep = true;
		else if (!strcmp(argv[i], "--child") && i + 2 < argc) {
			child = argv[++i];
			dir_opt = argv[++i];
			if (!strncmp(child, "recall-", 7) && i + 1 < argc)
				json_out = argv[++i]; /* the lot */
		} else {
			fprintf(stderr,
				"usage: %s [--boards N] [--dir DIR] [--seed S] [--json FILE] "
				"[--ecms PATH] [--reps N] [--no-exact-direct] [--keep]\n",
				argv[0]);
			return 2;
		}
	}
	if (nboards < 1000)
		die("--boards", "at least 1000");
	if (ecms_bin == NULL)
		ecms_bin = "build/release/ecms";
	if (seed == 0)
		seed = 1;
	make_plant();
	if (child) {
		char d[600];
		snprintf(d, sizeof(d), "%s", dir_opt);
		*strrchr(d, '/') = '\0';
		load_names(d, false);
		for (int m = 0; m < NMODES; m++)
			if (!strcmp(child, mode_names[m]))
				return child_ingest((enum mode)m, dir_opt);
		if (!strcmp(child, "recall-ecms") || !strcmp(child, "recall-base"))
			return child_recall(child[7] == 'e', dir_opt, json_out);
		die("--child", child);
	}

	if (dir_opt)
		snprintf(dir, sizeof(dir), "%s", dir_opt);
	else {
		snprintf(dir, sizeof(dir), "%s/ecms-plant-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(dir) == NULL)
			die("mkdtemp", strerror(errno));
	}
	mkdir(dir, 0777);
	load_names(dir, true);
	snprintf(p_tpl_e, sizeof(p_tpl_e), "%s/ecms-template.db", dir);
	snprintf(p_tpl_b, sizeof(p_tpl_b), "%s/base-template.db", dir);
	for (int m = 0; m < NMODES; m++)
		snprintf(p_path[m], sizeof(p_path[m]), "%s/%s.db", dir, mode_names[m]);
	placements = (long long)nboards * NMC * PER_MACHINE;

	/* The dry run: every reel and lot, and how many boards each fed. */
	{
		struct batch *bt = calloc(1, sizeof(*bt));
		double t0 = now_s();
		g = calloc(1, sizeof(*g));
		if (g == NULL || bt == NULL)
			die("out of memory", NULL);
		gen_init(g);
		while (gen_batch(g, bt))
			;
		free(bt->ev);
		free(bt);
		printf("plant bench: %d boards x %d placements = %lld placements; %d lines x %d "
		       "machines x %d slots, %d products; %d reels in %d lots; %" PRId64
		       " setup changes (%" PRId64 " splices); generated in %.1f s\n  files in "
		       "%s\n",
		       nboards, NMC * PER_MACHINE, placements, NL, NMC, NS, NP, g->nreels, g->nlots,
		       g->setup_changes, g->splices, now_s() - t0, dir);
	}
	/* The lots to trace: the one of at least 2 reels closest to 2 % of the
	 * boards, and a single-reel lot of typical size. */
	{
		double best = 1e18;
		int64_t target = nboards / 50, med = 0;
		int n1 = 0;
		for (int i = 0; i < g->nlots; i++) {
			const struct lot *L = &g->lots[i];
			if (L->nreels >= 2 && fabs((double)(L->boards - target)) < best) {
				best = fabs((double)(L->boards - target));
				lot2 = i;
			}
			if (L->nreels == 1 && L->boards > 0) {
				n1++;
				med += L->boards;
			}
		}
		if (n1)
			med /= n1;
		best = 1e18;
		for (int i = 0; i < g->nlots; i++) {
			const struct lot *L = &g->lots[i];
			if (L->nreels == 1 && L->boards > 0 &&
			    fabs((double)(L->boards - med)) < best) {
				best = fabs((double)(L->boards - med));
				lot1 = i;
			}
		}
		if (lot2 < 0 || lot1 < 0)
			die("lots", "no lot to trace");
		lot_name(lot2, lot2n, sizeof(lot2n));
		lot_name(lot1, lot1n, sizeof(lot1n));
		printf("  lots traced: %s (%d reels, %" PRId64 " boards = %.2f %%), %s (1 reel, "
		       "%" PRId64 " boards)\n",
		       lot2n, g->lots[lot2].nreels, g->lots[lot2].boards,
		       100.0 * (double)g->lots[lot2].boards / nboards, lot1n, g->lots[lot1].boards);
	}

	/* --- fixtures and ingest -------------------------------------------- */
	{
		double t0 = now_s();
		ecms_template(p_tpl_e, dir, g);
		base_template(p_tpl_b, g);
		printf("  master data, programs and %d received packages in both stores: %.1f s\n\n",
		       g->nreels, now_s() - t0);
	}
	printf("ingest, each in its own process (seconds applying the stream; peak RSS)\n");
	for (int m = 0; m < NMODES; m++) {
		long long cb = 0;
		if (m == M_ECMS_EXACT && !exact_direct)
			continue;
		copy_file(m <= M_ECMS_EXACT ? p_tpl_e : p_tpl_b, p_path[m]);
		t_ing[m] = run_ingest((enum mode)m, p_path[m], &rss_ing[m], &cb);
		if (cb)
			cfx_bytes = cb;
		printf("  %-12s %8.2f s  %12.0f placements/s  peak RSS %6ld MB\n", mode_names[m],
		       t_ing[m], (double)placements / t_ing[m], rss_ing[m] / 1024);
		checkpoint(p_path[m]);
	}
	printf("  CFX stream: %.1f MB of NDJSON (%.0f bytes per placement)\n",
	       (double)cfx_bytes / 1e6, (double)cfx_bytes / (double)placements);
	fig("ingest, CFX production path (MaterialsInstalled)", "placements/s",
	    (double)placements / t_ing[M_ECMS_CFX], (double)placements / t_ing[M_BASE_CFX], true,
	    HAVE_CFXINGEST ? "ecms: ecms_cfx_ingest_buf() (the `ecms cfx ingest` entry point); "
			     "baseline: the same CFX reader, rows from MaterialsInstalled"
			   : "PROXY: CFX NDJSON read by lib/cfx.c, applied by bench-side dispatch "
			     "(cfx_apply_ecms) until `ecms cfx ingest` lands");
	fig("ingest, store alone (ecms: timeline only)", "placements/s",
	    (double)placements / t_ing[M_ECMS_DIRECT], (double)placements / t_ing[M_BASE_DIRECT],
	    true, NULL);
	if (exact_direct)
		fig("ingest, store alone (ecms: timeline + exact records)", "placements/s",
		    (double)placements / t_ing[M_ECMS_EXACT],
		    (double)placements / t_ing[M_BASE_DIRECT], true, NULL);

	/* --- size --------------------------------------------------------- */
	{
		long long se = db_size(p_path[M_ECMS_CFX]), sb = db_size(p_path[M_BASE_CFX]);
		long long sd = db_size(p_path[M_ECMS_DIRECT]), te = db_size(p_tpl_e),
			  tb = db_size(p_tpl_b);
		printf("\nsize after checkpoint: ecms (CFX path) %.1f MB, ecms (timeline only) "
		       "%.1f MB, baseline %.1f MB; before production: ecms %.1f MB, baseline "
		       "%.1f MB\n",
		       (double)se / 1e6, (double)sd / 1e6, (double)sb / 1e6, (double)te / 1e6,
		       (double)tb / 1e6);
		printf("  ecms (CFX path), biggest tables:\n");
		json_object_set_new(details, "ecms_bytes_per_placement",
				    breakdown(p_path[M_ECMS_CFX], placements));
		printf("  baseline, biggest tables:\n");
		json_object_set_new(details, "baseline_bytes_per_placement",
				    breakdown(p_path[M_BASE_CFX], placements));
		fig("bytes per placement after checkpoint (CFX path)", "B",
		    (double)se / (double)placements, (double)sb / (double)placements, false,
		    "whole database files, master data and packages included");
		fig("bytes per placement, production data only", "B",
		    (double)(se - te) / (double)placements, (double)(sb - tb) / (double)placements,
		    false, "minus the size before production (master data, received packages)");
		fig("bytes per placement, store alone (ecms: timeline only)", "B",
		    (double)(sd - te) / (double)placements,
		    (double)(db_size(p_path[M_BASE_DIRECT]) - tb) / (double)placements, false,
		    "production data only; ecms without exact records and CFX message log");
	}

	/* --- traces ------------------------------------------------------- */
	{
		ecms *h = NULL;
		sqlite3 *db;
		sqlite3_stmt *bq, *fq;
		double *te = malloc((size_t)nsample * sizeof(double));
		double *tb = malloc((size_t)nsample * sizeof(double));
		int *sample = malloc((size_t)nsample * sizeof(int));
		uint64_t r = seed * 7919 + 1;
		long amb = 0, mism = 0;

		if (!te || !tb || !sample)
			die("out of memory", NULL);
		if (ecms_open(p_path[M_ECMS_CFX], 0, &h) != ECMS_OK)
			die("ecms open", p_path[M_ECMS_CFX]);
		if (sqlite3_open_v2(p_path[M_BASE_CFX], &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK)
			die("open", p_path[M_BASE_CFX]);
		bq = prep(db,
			  "SELECT pl.refdes, k.uid, k.lot, k.date_code, k.supplier, ps.machine, "
			  "ps.program, ps.t_start FROM placements pl "
			  "JOIN packages k ON k.id = pl.pkg_id "
			  "JOIN passes ps ON ps.id = pl.pass_id "
			  "WHERE pl.board_id = (SELECT id FROM boards WHERE serial = ?)");
		fq = prep(db, "SELECT pl.board_id, b.serial, b.work_order, pl.refdes "
			      "FROM packages k JOIN placements pl ON pl.pkg_id = k.id "
			      "JOIN boards b ON b.id = pl.board_id WHERE k.lot = ? "
			      "ORDER BY pl.board_id");
		for (int i = 0; i < nsample; i++)
			sample[i] = (int)xs(&r, (uint64_t)nboards);
		for (int way = 0; way < 2; way++)
			for (int i = 0; i < nsample; i++) {
				char bn[16];
				size_t a = 0, n;
				double t0;
				board_name(sample[i], bn, sizeof(bn));
				t0 = cpu_s();
				if (way == 0) {
					n = ecms_backward(h, bn, &a);
					te[i] = cpu_s() - t0;
					amb += (long)a;
				} else {
					n = base_backward(bq, bn);
					tb[i] = cpu_s() - t0;
				}
				mism += n != NMC * PER_MACHINE;
			}
		qsort(te, (size_t)nsample, sizeof(double), cmp_d);
		qsort(tb, (size_t)nsample, sizeof(double), cmp_d);
		printf("\nbackward trace, %d random boards (board -> %d refdes with reel, lot, "
		       "date code, supplier), CPU ms p50/p99: ecms %.3f / %.3f, baseline %.3f / "
		       "%.3f; %ld refdes ambiguous in ecms (the exact records resolve the rest), "
		       "%ld answers with a wrong part count\n",
		       nsample, NMC * PER_MACHINE, pct(te, nsample, .5) * 1e3,
		       pct(te, nsample, .99) * 1e3, pct(tb, nsample, .5) * 1e3,
		       pct(tb, nsample, .99) * 1e3, amb, mism);
		fig("backward trace p50 (board -> refdes, reel, lot, date code, supplier)", "ms",
		    pct(te, nsample, .5) * 1e3, pct(tb, nsample, .5) * 1e3, false,
		    "CPU time in process, 10,000 random boards");
		fig("backward trace p99", "ms", pct(te, nsample, .99) * 1e3,
		    pct(tb, nsample, .99) * 1e3, false, NULL);

		for (int q = 0; q < 2; q++) {
			const char *ln = q == 0 ? lot2n : lot1n;
			size_t eb = 0, er = 0, bb = 0, br = 0;
			char nm[96];
			for (int way = 0; way < 2; way++)
				for (int i = 0; i < reps; i++) {
					double t0 = cpu_s();
					if (way == 0) {
						eb = ecms_forward_lot(h, ln, &er);
						te[i] = cpu_s() - t0;
					} else {
						bb = base_forward_lot(fq, ln, &br);
						tb[i] = cpu_s() - t0;
					}
				}
			qsort(te, (size_t)reps, sizeof(double), cmp_d);
			qsort(tb, (size_t)reps, sizeof(double), cmp_d);
			printf("forward trace of %s (%s): ecms %zu boards / %zu refdes, baseline "
			       "%zu boards / %zu refdes%s; CPU ms p50/p99: ecms %.3f / %.3f, "
			       "baseline %.3f / %.3f\n",
			       ln, q == 0 ? "~2 % of boards" : "a single reel", eb, er, bb, br,
			       eb == bb && er == br ? " (same answer)" : " (DIFFERENT ANSWERS)",
			       pct(te, reps, .5) * 1e3, pct(te, reps, .99) * 1e3,
			       pct(tb, reps, .5) * 1e3, pct(tb, reps, .99) * 1e3);
			snprintf(nm, sizeof(nm), "forward trace p50, lot on %.1f %% of boards",
				 100.0 * (double)bb / nboards);
			fig(q == 0 ? nm : "forward trace p50, single-reel lot", "ms",
			    pct(te, reps, .5) * 1e3, pct(tb, reps, .5) * 1e3, false,
			    q == 0 ? "lot -> packages -> every board and refdes; CPU time" : NULL);
			fig(q == 0 ? "forward trace p99, lot on ~2 % of boards"
				   : "forward trace p99, single-reel lot",
			    "ms", pct(te, reps, .99) * 1e3, pct(tb, reps, .99) * 1e3, false, NULL);
			json_object_set_new(details, q == 0 ? "lot_2pct" : "lot_1reel",
					    json_pack("{s:s,s:I,s:I,s:I,s:I}", "lot", ln,
						      "ecms_boards", (json_int_t)eb, "ecms_refdes",
						      (json_int_t)er, "baseline_boards",
						      (json_int_t)bb, "baseline_refdes",
						      (json_int_t)br));
		}
#if HAVE_TRACE
		/* The product's answers (`ecms trace board`, `ecms trace lot`):
		 * JSON with every field, on both sides. */
		{
			int nj = nsample / 10;
			for (int way = 0; way < 2; way++)
				for (int i = 0; i < nj; i++) {
					char bn[16];
					json_t *j = NULL;
					double t0;
					board_name(sample[i], bn, sizeof(bn));
					t0 = cpu_s();
					if (way == 0)
						ECMS_OK_OR_DIE(h, ecms_trace_board(h, bn, &j));
					else
						j = base_backward_json(bq, bn);
					(way == 0 ? te : tb)[i] = cpu_s() - t0;
					json_decref(j);
				}
			qsort(te, (size_t)nj, sizeof(double), cmp_d);
			qsort(tb, (size_t)nj, sizeof(double), cmp_d);
			fig("backward trace p99, JSON (ecms_trace_board)", "ms",
			    pct(te, nj, .99) * 1e3, pct(tb, nj, .99) * 1e3, false,
			    "ecms: the `ecms trace board` answer (part, MPN, PO, CoC, route too); "
			    "baseline: its rows as JSON");
			printf("backward trace as JSON, %d boards, CPU ms p50/p99: ecms_trace_board "
			       "%.3f / %.3f, baseline %.3f / %.3f\n",
			       nj, pct(te, nj, .5) * 1e3, pct(te, nj, .99) * 1e3,
			       pct(tb, nj, .5) * 1e3, pct(tb, nj, .99) * 1e3);
			for (int way = 0; way < 2; way++)
				for (int i = 0; i < reps; i++) {
					ecms_trace_scope sc = { .kind = ECMS_TRACE_LOT,
								.lot = lot2n };
					json_t *j = NULL;
					double t0 = cpu_s();
					if (way == 0)
						ECMS_OK_OR_DIE(h, ecms_trace_forward(h, &sc, &j));
					else
						j = base_forward_json(fq, lot2n);
					(way == 0 ? te : tb)[i] = cpu_s() - t0;
					json_decref(j);
				}
			qsort(te, (size_t)reps, sizeof(double), cmp_d);
			qsort(tb, (size_t)reps, sizeof(double), cmp_d);
			fig("forward trace p50, ~2 % lot, JSON (ecms_trace_forward)", "ms",
			    pct(te, reps, .5) * 1e3, pct(tb, reps, .5) * 1e3, false,
			    "ecms: the `ecms trace lot` answer (status, customer too); baseline: "
			    "its rows as JSON");
			printf("forward trace of %s as JSON, CPU ms p50/p99: ecms_trace_forward %.3f / "
			       "%.3f, baseline %.3f / %.3f\n",
			       lot2n, pct(te, reps, .5) * 1e3, pct(te, reps, .99) * 1e3,
			       pct(tb, reps, .5) * 1e3, pct(tb, reps, .99) * 1e3);
		}
#endif
		sqlite3_finalize(bq);
		sqlite3_finalize(fq);
		sqlite3_close(db);
		ecms_close(h);
		free(te);
		free(tb);
		free(sample);
	}

	/* --- recall from a cold process ----------------------------------- */
	{
		double we[5], wb[5];
		long re = 0, rb = 0, rss;
		char out[256];
		for (int i = 0; i < 5; i++) {
			char *ae[] = { (char *)self_exe,   "--child", "recall-ecms",
				       p_path[M_ECMS_CFX], lot2n,     NULL };
			char *ab[] = { (char *)self_exe,   "--child", "recall-base",
				       p_path[M_BASE_CFX], lot2n,     NULL };
			if (spawn(ae, out, sizeof(out), &we[i], &rss) != 0)
				die("recall child", "ecms");
			re = rss > re ? rss : re;
			if (spawn(ab, out, sizeof(out), &wb[i], &rss) != 0)
				die("recall child", "baseline");
			rb = rss > rb ? rss : rb;
		}
		qsort(we, 5, sizeof(double), cmp_d);
		qsort(wb, 5, sizeof(double), cmp_d);
		printf("\nrecall of %s from a cold process (median of 5, wall): ecms %.1f ms "
		       "(peak RSS %ld MB), baseline %.1f ms (%ld MB)\n",
		       lot2n, we[2] * 1e3, re / 1024, wb[2] * 1e3, rb / 1024);
		fig("recall of the ~2 % lot from a cold process, wall", "ms", we[2] * 1e3,
		    wb[2] * 1e3, false,
		    HAVE_RECALL
			    ? "ecms: `ecms recall --lot L --json` (process start to exit); "
			      "baseline: a process opening the database and running the lot query"
			    : "PROXY: library forward trace (lot -> packages -> boards) in a "
			      "freshly started process, until `ecms recall --lot` lands");
		fig("peak RSS of a recall", "MB", (double)re / 1024, (double)rb / 1024, false,
		    NULL);
	}
	fig("peak RSS of ingest (CFX path)", "MB", (double)rss_ing[M_ECMS_CFX] / 1024,
	    (double)rss_ing[M_BASE_CFX] / 1024, false,
	    "child process, ru_maxrss; the generator of the stream is in the same process");

	/* --- setup verification --------------------------------------------- */
#if HAVE_SETUP
	{
		struct verify_res vr = setup_verify_bench(p_path[M_ECMS_CFX], g, nsample);
		char note[160];
		printf("\nsetup verification (ecms_setup_verify), %ld questions, CPU ms p50/p99: "
		       "%.3f / %.3f; %ld GO; by code: %s\n",
		       vr.n, vr.p50, vr.p99, vr.go, vr.codes);
		snprintf(note, sizeof(note),
			 "ecms_setup_verify(), %ld random reels of the slot's part "
			 "(%ld GO); no baseline",
			 vr.n, vr.go);
		fig("setup verification in process p50", "ms", vr.p50, NAN, false, note);
		fig("setup verification in process p99", "ms", vr.p99, NAN, false, NULL);
	}
#else
	fig("setup verification in process p50", "ms", NAN, NAN, false,
	    "NOT MEASURED: needs ecms_setup_verify() (setup branch)");
	fig("setup verification in process p99", "ms", NAN, NAN, false, NULL);
#endif

	/* --- HTTP under load ------------------------------------------------ */
	/* The same decision over HTTP: POST .../setup/verify (read-only), the
	 * server at the same moment as the in-process questions, 64 GO
	 * questions in turn. */
#if HAVE_SETUP
	{
		struct http_res hr;
		struct http_req rq = { "POST", NULL, NULL, "\"decision\": \"GO\"", NULL };
		char *paths, *bodies, codes[96], now[ECMS_TIME_LEN], note[160];
		setup_go_questions(p_path[M_ECMS_CFX], g, 64, &paths, &bodies, codes,
				   sizeof(codes));
		rq.paths = paths;
		rq.bodies = bodies;
		rq.now = ecms_time_format(setup_now(), now);
		hr = http_bench(ecms_bin, p_path[M_ECMS_CFX], dir, &rq,
				"POST /api/v1/machines/{m}/setup/verify", 40000);
		free(paths);
		free(bodies);
		if (hr.ok) {
			printf("\nHTTP: %s (%s), wrk 8 connections, %ld requests: %.0f req/s, "
			       "p50 %.3f ms, p99 %.3f ms, %ld errors\n",
			       hr.what, codes, hr.requests, hr.rps, hr.p50_ms, hr.p99_ms,
			       hr.errors);
		} else {
			printf("\nHTTP: not measured (wrk or %s missing)\n", ecms_bin);
		}
		snprintf(note, sizeof(note),
			 "POST /api/v1/machines/{m}/setup/verify {slot, reel}, bearer token; "
			 "%s, each answer checked GO",
			 codes);
		fig("HTTP under load p50 (8 connections)", "ms", hr.ok ? hr.p50_ms : NAN, NAN,
		    false, note);
		fig("HTTP under load p99 (8 connections)", "ms", hr.ok ? hr.p99_ms : NAN, NAN,
		    false, NULL);
		fig("HTTP under load, requests/s", "req/s", hr.ok ? hr.rps : NAN, NAN, true, NULL);
	}
#else
	fig("HTTP under load p50 (8 connections)", "ms", NAN, NAN, false,
	    "NOT MEASURED: needs POST .../setup/verify (setup branch)");
	fig("HTTP under load p99 (8 connections)", "ms", NAN, NAN, false, NULL);
	fig("HTTP under load, requests/s", "req/s", NAN, NAN, true, NULL);
#endif

	print_table();
	if (json_out) {
		json_object_set_new(details, "reels", json_integer(g->nreels));
		json_object_set_new(details, "lots", json_integer(g->nlots));
		json_object_set_new(details, "setup_changes", json_integer(g->setup_changes));
		json_object_set_new(details, "splices", json_integer(g->splices));
		write_json(json_out, placements, details);
		details = NULL;
		printf("\nfigures written to %s\n", json_out);
	}
	json_decref(details);
	if (!keep && !dir_opt) {
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "plant_bench: could not remove %s\n", dir);
	}
	gen_free(g);
	free(g);
	free(fboards);
	return 0;
}
