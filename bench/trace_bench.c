/*
 * trace_bench.c: what the trace module adds to the genealogy's forward
 * trace: the package set of a lot (split children followed) and the
 * board status, customer and shipment of every board found.
 *
 *   make MODE=release build/release/bench/trace_bench
 *   build/release/bench/trace_bench [--boards N] [--dir DIR]
 *
 * One machine with 50 slots, 2 refdes per slot (100 placements per
 * board); every reel lasts 2 % of the boards, then the next one is
 * loaded. Lot L-0 is one reel on slot 0 plus a split child of it on slot
 * 1 at the same time: a lot on 2 % of the boards. Packages, work orders
 * and boards (completed, a third shipped) are written directly as rows.
 * Printed: CPU ms per call, p50 and p99 of 21 runs, of the genealogy
 * alone on the lot's UIDs (ecms_gen_carriers_get, C structs, and
 * ecms_gen_trace_packages, JSON), of the lot's package set
 * (ecms_trace_scope_packages) and of the whole ecms_trace_forward (scope
 * query + genealogy + board join, JSON), and the boards found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/genealogy.h"
#include "ecms/trace.h"
#include "store/store.h"

#define NS   50
#define RUNS 21

#define DIE(h, expr)                                                                               \
	do {                                                                                       \
		if ((expr) != ECMS_OK) {                                                           \
			fprintf(stderr, "%s: %s\n", #expr, ecms_errmsg(h));                        \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_d);
	printf("  %-52s p50 %7.2f ms  p99 %7.2f ms\n", what, v[RUNS / 2], v[RUNS - 1]);
}

static void
pkg(ecms *h, const char *uid, const char *lot, const char *parent, int64_t seq)
{
	DIE(h,
	    ecms__exec(h,
		       "INSERT INTO packages (uid, ipn, mpn, lot, quantity, initial_qty, status, "
		       "received_ms, parent, created_seq, updated_seq) VALUES (?, 'IPN', 'MPN', ?, "
		       "1000, 1000, 'available', 0, ?, ?, ?)",
		       "tttii", uid, lot, parent, seq, seq));
}

int
main(int argc, char **argv)
{
	const char *dir = "/tmp";
	int boards = 20000, life;
	char path[512], uid[32], lot[32], serial[32];
	const char *refs[NS][2];
	char refbuf[NS][2][8], slots[NS][8];
	struct ecms_gen_slotmap sm[NS];
	double t_gen[RUNS], t_genj[RUNS], t_fwd[RUNS], t_scope[RUNS];
	ecms *h = NULL;
	int64_t seq = 1;
	size_t found = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--boards"))
			boards = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--dir"))
			dir = argv[i + 1];
	}
	life = boards / 50 > 0 ? boards / 50 : 1;
	snprintf(path, sizeof(path), "%s/trace_bench_%d.db", dir, (int)getpid());
	DIE(h, ecms_open(path, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h));
	DIE(h, ecms_init(h, NULL, NULL));
	DIE(h, ecms__begin(h));
	DIE(h,
	    ecms__exec(
		    h,
		    "INSERT INTO parts (ipn, description, category, rohs, reach, "
		    "reorder_point, restricted, updated_seq) VALUES ('IPN', 'part', 'capacitor', "
		    "'yes', 'yes', 0, 0, 1)",
		    ""));
	DIE(h, ecms__exec(h,
			  "INSERT INTO products (product, rev, source, refdes_count, updated_seq) "
			  "VALUES ('P', 'A', 'bench', 100, 1)",
			  ""));
	DIE(h, ecms__exec(h,
			  "INSERT INTO work_orders (id, product, rev, qty, customer, status, "
			  "updated_seq) VALUES ('WO', 'P', 'A', ?, 'CUST', 'open', 1)",
			  "i", (int64_t)boards));
	DIE(h, ecms__exec(h,
			  "INSERT INTO shipments (id, customer, shipped_ms, actor, seq) VALUES "
			  "('SH-1', 'CUST', 0, 'bench', 1)",
			  ""));
	/* Reels: slot s, change c -> R-s-c; lot L-c for slot 0 and 1 (child). */
	for (int c = 0; c * life < boards; c++)
		for (int s = 0; s < NS; s++) {
			snprintf(uid, sizeof(uid), "R-%d-%d", s, c);
			snprintf(lot, sizeof(lot), "L-%d-%d", s, c);
			if (s == 1) {
				char parent[32];
				snprintf(parent, sizeof(parent), "R-0-%d", c);
				snprintf(lot, sizeof(lot), "L-0-%d", c);
				pkg(h, uid, lot, parent, seq);
			} else {
				pkg(h, uid, lot, NULL, seq);
			}
		}
	DIE(h, ecms__end(h, ECMS_OK));
	for (int s = 0; s < NS; s++) {
		snprintf(slots[s], sizeof(slots[s]), "S%d", s);
		for (int j = 0; j < 2; j++) {
			snprintf(refbuf[s][j], sizeof(refbuf[s][j]), "C%d", s * 2 + j + 1);
			refs[s][j] = refbuf[s][j];
		}
		sm[s] = (struct ecms_gen_slotmap){ slots[s], "IPN", refs[s], 2 };
	}
	DIE(h, ecms_gen_program_set(h, "PRG", "M1", sm, NS, NULL));
	for (int b = 0; b < boards; b++) {
		int64_t t = (int64_t)b * 20000;

		if (b % 100 == 0)
			DIE(h, ecms__begin(h));
		if (b % life == 0)
			for (int s = 0; s < NS; s++) {
				snprintf(uid, sizeof(uid), "R-%d-%d", s, b / life);
				DIE(h, ecms_gen_load(h, "M1", slots[s], uid, t));
			}
		snprintf(serial, sizeof(serial), "WO-%06d", b);
		DIE(h, ecms_gen_board_pass(h, serial, "WO", "M1", "PRG", t + 1000, t + 16000));
		DIE(h,
		    ecms__exec(h,
			       "INSERT INTO boards (serial, work_order, status, flags, created_ms, "
			       "shipment, updated_seq) VALUES (?, 'WO', ?, '', 0, ?, 1)",
			       "ttt", serial, b % 3 == 0 ? "shipped" : "completed",
			       b % 3 == 0 ? "SH-1" : NULL));
		if (b % 100 == 99 || b == boards - 1)
			DIE(h, ecms__end(h, ECMS_OK));
	}
	printf("trace_bench: %d boards x 100 placements, a lot on %d boards (%.1f %%)\n", boards,
	       life, 100.0 * life / boards);
	for (int r = 0; r < RUNS; r++) {
		int c = (r % (boards / life > 2 ? boards / life - 1 : 1)) + 0;
		char u0[32], u1[32];
		const char *uids[2] = { u0, u1 };
		struct ecms_gen_carriers car;
		ecms_trace_scope sc = { .kind = ECMS_TRACE_LOT, .lot = lot };
		json_t *out;
		double t0;

		snprintf(u0, sizeof(u0), "R-0-%d", c);
		snprintf(u1, sizeof(u1), "R-1-%d", c);
		snprintf(lot, sizeof(lot), "L-0-%d", c);
		t0 = cpu_ms();
		DIE(h, ecms_gen_carriers_get(h, uids, 2, &car));
		t_gen[r] = cpu_ms() - t0;
		ecms_gen_carriers_cleanup(&car);
		t0 = cpu_ms();
		DIE(h, ecms_gen_trace_packages(h, uids, 2, &out));
		t_genj[r] = cpu_ms() - t0;
		json_decref(out);
		t0 = cpu_ms();
		DIE(h, ecms_trace_scope_packages(h, &sc, &out));
		t_scope[r] = cpu_ms() - t0;
		json_decref(out);
		t0 = cpu_ms();
		DIE(h, ecms_trace_forward(h, &sc, &out));
		t_fwd[r] = cpu_ms() - t0;
		found = (size_t)json_integer_value(json_object_get(out, "count"));
		json_decref(out);
	}
	report("genealogy alone: ecms_gen_carriers_get (2 UIDs)", t_gen);
	report("genealogy alone, JSON: ecms_gen_trace_packages", t_genj);
	report("the lot's packages: ecms_trace_scope_packages", t_scope);
	report("ecms_trace_forward (lot -> packages -> boards, JSON)", t_fwd);
	printf("  boards found per trace: %zu\n", found);
	ecms_close(h);
	unlink(path);
	return 0;
}
