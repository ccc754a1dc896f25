/*
 * fuzz_program.c: the placement program import (CSV, refdes lists and
 * ranges, grouping into programs, the BOM checks) on a small store with a
 * BOM. Each input runs inside a transaction that is rolled back, so every
 * input sees the same store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/setup.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ecms *h;
static char dir[] = "/tmp/ecms-fuzz-program-XXXXXX";

/* Close the store and remove its files when the fuzzer exits. */
static void
cleanup(void)
{
	static const char *const files[] = { "f.db", "f.db-wal", "f.db-shm" };
	char p[128];

	ecms_close(h);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void
write_text(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

static void
setup_store(void)
{
	char db[128], p[128];
	ecms_import_report rep;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(db, sizeof(db), "%s/f.db", dir);
	snprintf(p, sizeof(p), "%s/in.csv", dir);
	if (ecms_open(db, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) || ecms_init(h, NULL, NULL))
		abort();
	write_text(p, "ipn,description,category\nCAP,cap,capacitor\nCAPB,cap b,capacitor\n"
		      "RES,res,resistor\n");
	if (ecms_import(h, "parts", p, &rep))
		abort();
	ecms_import_report_cleanup(&rep);
	write_text(p, "id,name,kind,parent\nL1,Line,line_side,\nM1,M,machine,L1\nS1,S,shelf,\n");
	if (ecms_import(h, "locations", p, &rep))
		abort();
	ecms_import_report_cleanup(&rep);
	write_text(p, "Reference,IPN,Alternates\n\"C1-C4\",CAP,CAPB\n\"R1,R2\",RES,\n");
	if (ecms_bom_import(h, "HM", "A", p, &rep))
		abort();
	ecms_import_report_cleanup(&rep);
	write_text(p, "product,rev,side,machine,program,slot,ipn,refdes\nHM,A,bottom,M2,BOT,1,RES,"
		      "R2\n");
	if (ecms_program_import(h, p, 0, NULL, &rep))
		abort();
	ecms_import_report_cleanup(&rep);
	unlink(p);
	atexit(cleanup);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ecms_import_report rep;
	json_t *sum = NULL;

	if (size == 0 || size > 65536)
		return 0;
	if (h == NULL)
		setup_store();
	if (ecms__begin(h))
		abort();
	(void)ecms_program_import_text(h, "fuzz.csv", (const char *)data + 1, size - 1,
				       data[0] & 1 ? ECMS_PROGRAM_COMPLETE : 0, &sum, &rep);
	json_decref(sum);
	ecms_import_report_cleanup(&rep);
	(void)ecms__end(h, ECMS_EINVAL); /* roll back */
	return 0;
}
