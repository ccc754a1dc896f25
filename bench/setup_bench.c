/*
 * setup_bench.c: how long the setup interlock's decision takes
 * (ecms_setup_verify), on a machine whose program uses --slots slots
 * (default 120) with 4 refdes each, every 5th part with an approved
 * alternate and every 10th moisture-sensitive (MSL 3, bag opened).
 * Two reels per part are received; one of each is loaded. Then --calls
 * decisions (default 20000), a mix of: a fresh reel of the right part
 * (GO), an approved alternate (GO), the reel already on the slot (GO),
 * the wrong part (NO-GO), a splice of a fresh reel (GO). Prints
 * the median, p99 and maximum per call.
 *
 *   make MODE=release build/release/bench/setup_bench
 *   build/release/bench/setup_bench [--slots N] [--calls N]
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/master.h"
#include "ecms/msdstore.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/setup.h"

static char dir[64] = "/tmp/ecms-setup-bench-XXXXXX";

static void
die(ecms *h, const char *what)
{
	fprintf(stderr, "setup_bench: %s: %s\n", what, h ? ecms_errmsg(h) : "");
	exit(1);
}

static char *
path(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *name, const char *text)
{
	FILE *f = fopen(path(name), "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		die(NULL, name);
}

static void
import(ecms *h, const char *kind, const char *text)
{
	ecms_import_report rep;

	write_file("in.csv", text);
	if (ecms_import(h, kind, path("in.csv"), &rep) != ECMS_OK) {
		fprintf(stderr, "%s", rep.errors ? rep.errors : "");
		die(h, kind);
	}
	ecms_import_report_cleanup(&rep);
}

/* Append to a growing text. */
static void
add(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*s + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < *cap - *len)
			break;
		*cap = *cap * 2 + (size_t)n + 64;
		*s = realloc(*s, *cap);
		if (*s == NULL)
			die(NULL, "out of memory");
	}
	*len += (size_t)n;
}

static void
receive(ecms *h, int part, bool alt, int n, char uid[32])
{
	char scan[256];
	ecms_receive_req r = { .po = "P1", .scan = scan };
	json_t *out;

	snprintf(scan, sizeof(scan),
		 "[)>\x1e"
		 "06\x1d"
		 "1PM%03d%s\x1dQ5000\x1d"
		 "1TL%03d-%d\x1d"
		 "9D2550\x1e\x04",
		 part, alt ? "B" : "", part, n);
	r.scan_len = strlen(scan);
	if (ecms_receive(h, &r, &out) != ECMS_OK)
		die(h, "receive");
	snprintf(uid, 32, "%s", json_string_value(json_object_get(out, "uid")));
	json_decref(out);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int slots = 120, calls = 20000, go = 0;
	char *s = NULL, slot[16];
	size_t len = 0, cap = 0;
	char(*loaded)[32], (*fresh)[32], (*alt)[32];
	struct ecms_setup_verdict v;
	int64_t *ns;
	ecms *h = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--slots"))
			slots = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--calls"))
			calls = atoi(argv[i + 1]);
	}
	if (slots < 2 || slots > 999 || calls < 100) {
		fprintf(stderr, "usage: setup_bench [--slots 2..999] [--calls N>=100]\n");
		return 2;
	}
	if (mkdtemp(dir) == NULL)
		die(NULL, "mkdtemp");
	if (ecms_open(path("bench.db"), ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) ||
	    ecms_init(h, NULL, NULL))
		die(h, "open");
	ecms_set_now(h, INT64_C(1768464000000)); /* 2026-01-15T08:00:00Z */
	if (ecms_set_actor(h, "bench", "bench"))
		die(h, "actor");
	add(&s, &len, &cap, "ipn,description,category,aml,msl,thickness_mm,shelf_life_days\n");
	for (int i = 0; i < slots; i++) {
		add(&s, &len, &cap, "P%03d,part,capacitor,M%03d@Mfr,%s,%s,3650\n", i, i,
		    i % 10 == 0 ? "3" : "1", i % 10 == 0 ? "1.0" : "");
		if (i % 5 == 0)
			add(&s, &len, &cap, "P%03dB,second source,capacitor,M%03dB@Mfr,1,,3650\n",
			    i, i);
	}
	import(h, "parts", s);
	import(h, "suppliers",
	       "id,name,status,authorised,iso9001_cert,iso9001_expiry\nDK,DK,approved,yes,C,"
	       "2030-01-01\n");
	import(h, "locations",
	       "id,name,kind,parent\nWH,W,warehouse,\nRCV,R,receiving,WH\nQH,Q,quarantine,WH\n"
	       "L1,Line,line_side,\nM1,Machine,machine,L1\n");
	len = 0;
	add(&s, &len, &cap, "po,supplier,order_date,line,ipn,qty\n");
	for (int i = 0, l = 1; i < slots; i++) {
		add(&s, &len, &cap, "P1,DK,2026-01-01,%d,P%03d,100000\n", l++, i);
		if (i % 5 == 0)
			add(&s, &len, &cap, "P1,DK,2026-01-01,%d,P%03dB,100000\n", l++, i);
	}
	import(h, "po", s);
	len = 0;
	add(&s, &len, &cap, "Reference,IPN,Alternates\n");
	for (int i = 0; i < slots; i++) {
		if (i % 5 == 0)
			add(&s, &len, &cap, "\"C%d-C%d\",P%03d,P%03dB\n", 4 * i + 1, 4 * i + 4, i,
			    i);
		else
			add(&s, &len, &cap, "\"C%d-C%d\",P%03d,\n", 4 * i + 1, 4 * i + 4, i);
	}
	write_file("bom.csv", s);
	{
		ecms_import_report rep;
		if (ecms_bom_import(h, "B", "A", path("bom.csv"), &rep))
			die(h, "bom");
		ecms_import_report_cleanup(&rep);
	}
	len = 0;
	add(&s, &len, &cap, "product,rev,side,machine,program,slot,ipn,refdes\n");
	for (int i = 0; i < slots; i++)
		add(&s, &len, &cap, "B,A,top,M1,PROG,%d,P%03d,C%d-C%d\n", i + 1, i, 4 * i + 1,
		    4 * i + 4);
	write_file("prog.csv", s);
	{
		ecms_import_report rep;
		if (ecms_program_import(h, path("prog.csv"), ECMS_PROGRAM_COMPLETE, NULL, &rep))
			die(h, "program");
		ecms_import_report_cleanup(&rep);
	}
	free(s);
	if (ecms_setup_activate(h, "M1", "PROG", NULL))
		die(h, "activate");
	loaded = calloc((size_t)slots, sizeof(*loaded));
	fresh = calloc((size_t)slots, sizeof(*fresh));
	alt = calloc((size_t)slots, sizeof(*alt));
	ns = calloc((size_t)calls, sizeof(*ns));
	if (!loaded || !fresh || !alt || !ns)
		die(NULL, "out of memory");
	for (int i = 0; i < slots; i++) {
		receive(h, i, false, 1, loaded[i]);
		receive(h, i, false, 2, fresh[i]);
		if (i % 5 == 0)
			receive(h, i, true, 3, alt[i]);
		if (i % 10 == 0) {
			struct ecms_msd_event e;
			ecms_msd_event_init(&e, ECMS_MSD_EV_OPEN, ecms_now(h));
			if (ecms_msd_record(h, fresh[i], &e, NULL))
				die(h, "msd open");
		}
	}
	for (int i = 0; i < slots; i++) {
		snprintf(slot, sizeof(slot), "%d", i + 1);
		if (ecms_setup_load(h, "M1", slot, loaded[i], &v) != ECMS_OK)
			die(h, "load");
	}
	srand(42);
	for (int k = 0; k < calls; k++) {
		int i = rand() % slots, kind = rand() % 5;
		const char *uid = kind == 0   ? fresh[i]
				  : kind == 1 ? (alt[i][0] ? alt[i] : fresh[i])
				  : kind == 2 ? loaded[i]
				  : kind == 3 ? fresh[(i + 1) % slots]
					      : fresh[i];
		struct timespec a, b;
		snprintf(slot, sizeof(slot), "%d", i + 1);
		clock_gettime(CLOCK_MONOTONIC, &a);
		if ((kind == 4 ? ecms_setup_verify_splice(h, "M1", slot, uid, &v)
			       : ecms_setup_verify(h, "M1", slot, uid, &v)) != ECMS_OK)
			die(h, "verify");
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns[k] = (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
		go += v.go;
		if (getenv("SETUP_BENCH_DEBUG") && k < 40)
			fprintf(stderr, "%d %s %s\n", kind, v.code, v.message);
	}
	qsort(ns, (size_t)calls, sizeof(*ns), cmp_i64);
	printf("setup verify: %d slots, %d calls (%d GO, %d NO-GO): median %.1f us, p99 %.1f us, "
	       "max %.1f us\n",
	       slots, calls, go, calls - go, ns[calls / 2] / 1000.0,
	       ns[(size_t)calls * 99 / 100] / 1000.0, ns[calls - 1] / 1000.0);
	ecms_close(h);
	unlink(path("bench.db"));
	unlink(path("bench.db-wal"));
	unlink(path("bench.db-shm"));
	unlink(path("in.csv"));
	unlink(path("bom.csv"));
	unlink(path("prog.csv"));
	rmdir(dir);
	free(loaded);
	free(fresh);
	free(alt);
	free(ns);
	return 0;
}
