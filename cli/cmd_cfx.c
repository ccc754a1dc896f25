/*
 * cmd_cfx.c: `ecms cfx ingest|rejected|faults|packages`: what the line
 * reports over IPC-CFX, from a file or standard input. The work is
 * ecms_cfx_ingest_buf() (the same entry point the AMQP consumer and the
 * HTTP API use); this file reads the bytes and prints the report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/cfxingest.h"

static int ingest_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int rejected_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int faults_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int packages_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int retry_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_cfx_ingest_entry = {
	"cfx ingest",
	"[FILE|-] [--batch N] [--json]",
	"apply CFX messages (NDJSON, a JSON array, gzip of either) from FILE or stdin",
	"Each message is applied all-or-nothing; a message whose UniqueID was taken\n"
	"in before is a duplicate and changes nothing, so a file can be replayed.\n"
	"Messages are applied in TimeStamp order. A malformed or inapplicable\n"
	"message is rejected (FILE:LINE: reason on stderr, kept for 'ecms cfx\n"
	"rejected') and the rest goes on. Unknown message names are counted and\n"
	"kept; UnitsProcessed/Inspected/Tested/Repaired are kept for the quality\n"
	"records (deferred). Packages, boards and work orders ecms does not know are\n"
	"recorded and flagged.\n"
	"The machine is the envelope Source (the CFX handle).\n"
	"--batch N   messages per transaction (default 256; 1: one each)\n"
	"Exit 0 when nothing was rejected, 3 when something was.\n",
	0,
	ingest_fn,
};
const struct cmd_entry cmd_cfx_rejected_entry = {
	"cfx rejected",
	"[--json]",
	"list the CFX messages that were rejected, with where they came from and why",
	NULL,
	0,
	rejected_fn,
};
const struct cmd_entry cmd_cfx_faults_entry = {
	"cfx faults",
	"[--machine HANDLE] [--json]",
	"list the faults machines reported (FaultOccurred)",
	NULL,
	0,
	faults_fn,
};
const struct cmd_entry cmd_cfx_packages_entry = {
	"cfx packages",
	"[--flagged] [--json]",
	"list the packages the line named, with their CFX data and flags",
	"--flagged   only those ecms does not know (or whose part disagrees)\n",
	0,
	packages_fn,
};

const struct cmd_entry cmd_cfx_retry_entry = {
	"cfx retry",
	"[--json]",
	"record the board passes that waited for their program (after importing it)",
	"A WorkCompleted whose machine had no such program in ecms keeps its times\n"
	"and flags the boards unknown_program. Once the program is there, this records\n"
	"those passes in the genealogy (all or nothing) and clears the flag.\n",
	0,
	retry_fn,
};

/* Largest input read; the library refuses more than ECMS_CFX_INPUT_MAX. */
#define INPUT_MAX (ECMS_CFX_INPUT_MAX + 1)

static int
read_all(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 65536, n = 0, r;
	char *buf, *nb;

	if (!f)
		return cli_fail(ECMS_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (!(buf = malloc(cap))) {
		if (f != stdin)
			fclose(f);
		return cli_fail(ECMS_ENOMEM, "out of memory");
	}
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n >= INPUT_MAX)
			break;
		if (n == cap) {
			cap *= 2;
			if (!(nb = realloc(buf, cap))) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return cli_fail(ECMS_ENOMEM, "out of memory");
			}
			buf = nb;
		}
	}
	if (ferror(f)) {
		free(buf);
		if (f != stdin)
			fclose(f);
		return cli_fail(ECMS_EIO, "%s: read error", path);
	}
	if (f != stdin)
		fclose(f);
	*out = buf;
	*len = n;
	return ECMS_OK;
}

static int
ingest_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *batch = NULL, *path;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "batch", true, &batch, NULL },
					{ NULL } };
	struct ecms_cfx_ingest_report rep;
	size_t len = 0, i;
	char *buf = NULL, *end;
	json_t *r;
	long bn = 0;
	int n, rc, rc2;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 1, &n)))
		return rc;
	if (batch) {
		bn = strtol(batch, &end, 10);
		if (*end || bn < 1 || bn > 100000)
			return cli_usage(e, "--batch '%s' is not 1 to 100000", batch);
	}
	path = n ? pos[0] : "-";
	if ((rc = cli_open(c)) || (rc = read_all(path, &buf, &len)))
		return rc;
	ecms_cfx_report_init(&rep);
	rep.batch_size = (size_t)bn;
	rc = ecms_cfx_ingest_buf(c->h, buf, len, strcmp(path, "-") ? path : "stdin", &rep);
	free(buf);
	if (rc) {
		cli_error(c, rc);
		ecms_cfx_report_cleanup(&rep);
		return rc;
	}
	json_array_foreach(rep.rejects, i, r)
		fprintf(stderr, "%s:%lld: rejected: %s\n", strcmp(path, "-") ? path : "stdin",
			(long long)json_integer_value(json_object_get(r, "line")),
			json_string_value(json_object_get(r, "reason")));
	if (rep.rejected > json_array_size(rep.rejects))
		fprintf(stderr, "... and %zu more (ecms cfx rejected)\n",
			rep.rejected - json_array_size(rep.rejects));
	rc2 = rep.rejected ? ECMS_EINVAL : ECMS_OK;
	if (json) {
		rc = cli_print_json(ecms_cfx_report_json(&rep));
	} else {
		printf("%zu messages: %zu applied, %zu duplicates, %zu rejected, %zu unknown; "
		       "%zu board passes, %zu exact placements, %zu flagged\n",
		       rep.items, rep.applied, rep.duplicates, rep.rejected, rep.unknown,
		       rep.board_passes, rep.placements, rep.flagged);
		for (int k = 0; k < ECMS_CFX_KIND_COUNT; k++)
			if (rep.by_kind[k])
				printf("  %-58s %zu\n",
				       k ? ecms_cfx_kind_name(k) : "(unknown names)",
				       rep.by_kind[k]);
	}
	ecms_cfx_report_cleanup(&rep);
	return rc ? rc : rc2;
}

static int
rejected_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l, *r;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_cfx_rejected(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no rejected CFX messages\n");
	json_array_foreach(l, i, r) {
		printf("%s %s:%s %s\n  %s\n", cli_scalar(json_object_get(r, "received")),
		       cli_scalar(json_object_get(r, "origin")),
		       cli_scalar(json_object_get(r, "line")),
		       json_is_null(json_object_get(r, "unique_id"))
			       ? "-"
			       : cli_scalar(json_object_get(r, "unique_id")),
		       cli_scalar(json_object_get(r, "reason")));
	}
	json_decref(l);
	return ECMS_OK;
}

static int
faults_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "time",       "machine", "type", "code", "severity",
					    "designator", "slot",    "uid",  NULL };
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "machine", true, &machine, NULL },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_cfx_faults(c->h, machine, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no faults\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
packages_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "uid",       "ipn",   "mpn",   "lot", "quantity",
					    "msd_level", "known", "flags", NULL };
	const char *pos[1];
	bool json = false, flagged = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "flagged", false, NULL, &flagged },
					{ NULL } };
	json_t *l, *p;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_cfx_packages(c->h, flagged, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	json_array_foreach(l, i, p) {
		json_t *f = json_object_get(p, "flags"), *v;
		char text[256] = "";
		size_t k, at = 0;

		json_array_foreach(f, k, v)
			at += (size_t)snprintf(text + at, at < sizeof(text) ? sizeof(text) - at : 0,
					       "%s%s", k ? " " : "", json_string_value(v));
		json_object_set_new(p, "flags", json_string(text));
	}
	if (json_array_size(l) == 0)
		printf("no packages\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
retry_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	size_t done;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_cfx_retry_passes(c->h, &done)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(json_pack("{s:I}", "transactions", (json_int_t)done));
	printf("%zu transactions: board passes recorded\n", done);
	return ECMS_OK;
}
