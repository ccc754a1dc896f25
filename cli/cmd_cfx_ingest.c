/*
 * cmd_cfx_ingest.c: `ecms cfx ingest`: apply CFX messages (NDJSON, a JSON
 * array, gzip of either) from FILE or stdin.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/cfxingest.h"

static int ingest_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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
