/*
 * testutil.c: temp dirs and stores for the unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "ecms/master.h"

static char tmpdir[256];

static void
rm_tmpdir(void)
{
	char cmd[300];

	if (tmpdir[0] && !getenv("TU_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
}

const char *
tu_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/ecms-unit-XXXXXX", base ? base : "/tmp");
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			exit(1);
		}
		atexit(rm_tmpdir);
	}
	return tmpdir;
}

char *
tu_path(const char *name)
{
	char *p = malloc(strlen(tu_tmpdir()) + strlen(name) + 2);

	sprintf(p, "%s/%s", tu_tmpdir(), name);
	return p;
}

char *
tu_write_file(const char *name, const char *text)
{
	char *p = tu_path(name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

ecms *
tu_open_store(const char *name)
{
	char *p = tu_path(name);
	ecms *h = NULL;
	int rc;

	unlink(p);
	rc = ecms_open(p, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h);
	if (rc)
		fail_msg("open %s: %s", p, h ? ecms_errmsg(h) : "?");
	rc = ecms_init(h, NULL, NULL);
	if (rc)
		fail_msg("init %s: %s", p, ecms_errmsg(h));
	ecms_set_now(h, TU_NOW_MS);
	assert_int_equal(ecms_set_actor(h, "tester", "unit"), ECMS_OK);
	free(p);
	return h;
}

const char *
tu_shared_data(void)
{
	const char *d = getenv("ECMS_SHARED_DATA");

	return d ? d : "../shared/data";
}

void
tu_import(ecms *h, const char *kind, const char *text)
{
	char *p = tu_write_file("import.csv", text);
	ecms_import_report rep;

	if (ecms_import(h, kind, p, &rep) != ECMS_OK)
		fail_msg("import %s: %s\n%s", kind, ecms_errmsg(h), rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	free(p);
}
