/*
 * cfx_bench.c: throughput of CFX ingestion (ecms_cfx_ingest_buf) on a
 * realistic stream.
 *
 *   cfx_bench [--boards N] [--batch B] [--dir DIR] [--keep]
 *
 * A line of 2 machines x 50 slots places 500 parts per board (250 per
 * machine, 5 refdes per slot). Per board and machine the stream has
 * UnitsArrived, WorkStarted, WorkCompleted, MaterialsInstalled (50 items,
 * 250 refdes, the reels the timeline says) and UnitsDeparted; every 40
 * boards 5 slots of each machine are spliced (grey zone 0) or reloaded.
 * The whole stream (NDJSON in memory) goes through one call, as `ecms cfx
 * ingest FILE` does. Printed: messages, placements, seconds, messages/s,
 * placements/s, events, database size; then a replay of the same stream
 * (all duplicates).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ecms/cfxingest.h"
#include "ecms/ecms.h"
#include "ecms/genealogy.h"
#include "store/store.h"

#define NM     2
#define NS     50
#define PER    5
#define CYCLE  20000 /* ms between boards */
#define DUR    15000 /* ms a board is in a machine */
#define OFFSET 17000 /* ms from machine 1 to machine 2 */
#define T0     INT64_C(1768464000000)

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct out {
	char *p;
	size_t len, cap;
	long n;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		if (!(o->p = realloc(o->p, o->cap))) {
			fprintf(stderr, "out of memory\n");
			exit(4);
		}
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void
envelope(struct out *o, const char *name, int64_t t, int machine, const char *body)
{
	char head[400], ts[ECMS_TIME_LEN];
	int n;

	ecms_time_format(t, ts);
	n = snprintf(head, sizeof(head),
		     "{\"MessageName\":\"CFX.%s\",\"Version\":\"2.1\",\"TimeStamp\":\"%s\","
		     "\"UniqueID\":\"b0000000-0000-4000-8000-%012ld\",\"Source\":\"Bench.M%d.SN\","
		     "\"MessageBody\":",
		     name, ts, ++o->n, machine + 1);
	put(o, head, (size_t)n);
	put(o, body, strlen(body));
	put(o, "}\n", 2);
}

int
main(int argc, char **argv)
{
	long boards = 1000, batch = 0;
	const char *dir = "/tmp";
	int keep = 0;
	char path[1024], body[65536], uid[NM][NS][32];
	struct out o = { 0 };
	struct ecms_cfx_ingest_report rep;
	struct stat stt;
	ecms *h;
	double t, c;
	int64_t nev;
	int gen[NM][NS];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--boards") && i + 1 < argc)
			boards = atol(argv[++i]);
		else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
			batch = atol(argv[++i]);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--keep"))
			keep = 1;
		else {
			fprintf(stderr, "usage: cfx_bench [--boards N] [--batch B] [--dir DIR] "
					"[--keep]\n");
			return 2;
		}
	}
	snprintf(path, sizeof(path), "%s/cfx_bench.%ld.db", dir, (long)getpid());
	unlink(path);
	if (ecms_open(path, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) != ECMS_OK ||
	    ecms_init(h, NULL, NULL) != ECMS_OK) {
		fprintf(stderr, "%s: %s\n", path, h ? ecms_errmsg(h) : "open failed");
		return 4;
	}
	ecms_set_now(h, T0);
	/* Programs: slot s of machine m places refdes m*250 + s*5 + k. */
	for (int m = 0; m < NM; m++) {
		struct ecms_gen_slotmap sm[NS];
		static char names[NM][NS][16], refs[NM][NS][PER][16];
		static const char *rp[NM][NS][PER];
		char machine[32];

		for (int s = 0; s < NS; s++) {
			snprintf(names[m][s], 16, "S%02d", s);
			for (int k = 0; k < PER; k++) {
				snprintf(refs[m][s][k], 16, "R%d", m * NS * PER + s * PER + k + 1);
				rp[m][s][k] = refs[m][s][k];
			}
			sm[s] = (struct ecms_gen_slotmap){ names[m][s], "IPN", rp[m][s], PER };
		}
		snprintf(machine, sizeof(machine), "Bench.M%d.SN", m + 1);
		if (ecms_gen_program_set(h, "P", machine, sm, NS, NULL) != ECMS_OK) {
			fprintf(stderr, "program: %s\n", ecms_errmsg(h));
			return 4;
		}
	}
	/* The stream. */
	for (int m = 0; m < NM; m++)
		for (int s = 0; s < NS; s++) {
			gen[m][s] = 0;
			snprintf(uid[m][s], 32, "REEL-%d-%02d-%d", m, s, 0);
			snprintf(body, sizeof(body),
				 "{\"Materials\":[{\"LocationName\":\"S%02d\",\"MaterialPackage\":{"
				 "\"UniqueIdentifier\":\"%s\",\"InternalPartNumber\":\"IPN\","
				 "\"Quantity\":10000}}]}",
				 s, uid[m][s]);
			envelope(&o, "Materials.Storage.MaterialsLoaded", T0 - 60000, m, body);
		}
	for (long b = 0; b < boards; b++) {
		for (int m = 0; m < NM; m++) {
			int64_t tb = T0 + b * CYCLE + m * OFFSET;
			char tid[64];
			size_t at;

			if (b && b % 40 == 0)
				for (int s = (int)(b / 40 % 10) * 5, e = s + 5; s < e; s++) {
					char old[32];

					snprintf(old, sizeof(old), "%s", uid[m][s]);
					snprintf(uid[m][s], 32, "REEL-%d-%02d-%d", m, s,
						 ++gen[m][s]);
					snprintf(
						body, sizeof(body),
						"{\"DepletedMaterial\":{\"LocationName\":\"S%02d\","
						"\"MaterialPackage\":{\"UniqueIdentifier\":\"%s\"}},"
						"\"NewlyActiveMaterial\":{\"LocationName\":\"S%02d\","
						"\"MaterialPackage\":{\"UniqueIdentifier\":\"%s\","
						"\"GreyZone\":0}}}",
						s, old, s, uid[m][s]);
					envelope(&o, "Materials.Storage.SplicePointDetected",
						 tb - 1000, m, body);
				}
			snprintf(tid, sizeof(tid), "tx-%ld-%d", b, m);
			snprintf(body, sizeof(body),
				 "{\"UnitCount\":1,\"Units\":[{\"UnitIdentifier\":\"BRD%06ld\","
				 "\"PositionNumber\":1}]}",
				 b);
			envelope(&o, "Production.UnitsArrived", tb - 500, m, body);
			snprintf(body, sizeof(body),
				 "{\"TransactionID\":\"%s\",\"Lane\":1,\"UnitCount\":1,\"Units\":[{"
				 "\"UnitIdentifier\":\"BRD%06ld\",\"PositionNumber\":1}],"
				 "\"RecipeName\":\"P\",\"WorkOrderIdentifier\":{\"WorkOrderId\":"
				 "\"WO-BENCH\"}}",
				 tid, b);
			envelope(&o, "Production.WorkStarted", tb, m, body);
			snprintf(body, sizeof(body),
				 "{\"TransactionID\":\"%s\",\"Result\":\"Completed\"}", tid);
			envelope(&o, "Production.WorkCompleted", tb + DUR, m, body);
			at = (size_t)snprintf(body, sizeof(body),
					      "{\"TransactionId\":\"%s\",\"InstalledMaterials\":[",
					      tid);
			for (int s = 0; s < NS; s++) {
				at += (size_t)snprintf(body + at, sizeof(body) - at,
						       "%s{\"UnitIdentifier\":\"BRD%06ld\","
						       "\"UnitPositionNumber\":1,\"Material\":{"
						       "\"UniqueIdentifier\":\"%s\"},"
						       "\"InstalledComponents\":[",
						       s ? "," : "", b, uid[m][s]);
				for (int k = 0; k < PER; k++)
					at += (size_t)snprintf(
						body + at, sizeof(body) - at,
						"%s{\"ReferenceDesignator\":\"R%d\"}", k ? "," : "",
						m * NS * PER + s * PER + k + 1);
				at += (size_t)snprintf(body + at, sizeof(body) - at, "]}");
			}
			snprintf(body + at, sizeof(body) - at, "]}");
			envelope(&o, "Production.Assembly.MaterialsInstalled", tb + DUR + 100, m,
				 body);
			snprintf(body, sizeof(body),
				 "{\"UnitCount\":1,\"Units\":[{\"UnitIdentifier\":\"BRD%06ld\","
				 "\"PositionNumber\":1}]}",
				 b);
			envelope(&o, "Production.UnitsDeparted", tb + DUR + 200, m, body);
		}
	}
	printf("stream: %ld messages, %.1f MB, %ld boards x %d placements, batch %ld\n", o.n,
	       (double)o.len / 1e6, boards, NM * NS * PER, batch ? batch : 256);
	ecms_cfx_report_init(&rep);
	rep.batch_size = (size_t)batch;
	t = now_s();
	c = cpu_s();
	if (ecms_cfx_ingest_buf(h, o.p, o.len, "bench", &rep) != ECMS_OK) {
		fprintf(stderr, "ingest: %s\n", ecms_errmsg(h));
		return 4;
	}
	t = now_s() - t;
	c = cpu_s() - c;
	if (ecms__query_int(h, &nev, "SELECT COUNT(*) FROM events", "") != ECMS_OK)
		nev = -1;
	{
		char wal[1100];
		struct stat sw;

		if (stat(path, &stt) != 0)
			stt.st_size = 0;
		snprintf(wal, sizeof(wal), "%s-wal", path);
		if (stat(wal, &sw) == 0)
			stt.st_size += sw.st_size;
	}
	printf("ingest: %zu applied, %zu rejected, %zu placements in %.2f s: %.0f messages/s, "
	       "%.0f placements/s; %lld events, %zu transactions, db+wal %.1f MB\n",
	       rep.applied, rep.rejected, rep.placements, t, (double)rep.applied / t,
	       (double)rep.placements / t, (long long)nev, rep.batches, (double)stt.st_size / 1e6);
	printf("ingest CPU: %.2f s: %.0f messages per CPU second, %.0f placements per CPU "
	       "second\n",
	       c, (double)rep.applied / c, (double)rep.placements / c);
	if (rep.rejected)
		printf("first rejection: %s\n", json_string_value(json_object_get(
							json_array_get(rep.rejects, 0), "reason")));
	ecms_cfx_report_cleanup(&rep);
	ecms_cfx_report_init(&rep);
	rep.batch_size = (size_t)batch;
	t = now_s();
	if (ecms_cfx_ingest_buf(h, o.p, o.len, "bench", &rep) != ECMS_OK) {
		fprintf(stderr, "replay: %s\n", ecms_errmsg(h));
		return 4;
	}
	t = now_s() - t;
	printf("replay: %zu duplicates in %.2f s: %.0f messages/s\n", rep.duplicates, t,
	       (double)rep.duplicates / t);
	ecms_cfx_report_cleanup(&rep);
	ecms_close(h);
	if (!keep) {
		char wal[1100];

		unlink(path);
		snprintf(wal, sizeof(wal), "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", path);
		unlink(wal);
	}
	free(o.p);
	return 0;
}
