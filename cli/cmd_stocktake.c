/*
 * cmd_stocktake.c: `ecms stocktake`: count a location: the scanned packages
 * (arguments, or one per line on stdin).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/warehouse.h"

static int stocktake_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_stocktake_entry = {
	"stocktake",
	"LOCATION [SCAN ...] [--json]",
	"count a location: the scanned packages (arguments, or one per line on stdin)",
	"Reports found, missing (recorded here, not scanned), misplaced (scanned here,\n"
	"recorded elsewhere) and unexpected (unknown) scans, and records the result.\n",
	0,
	stocktake_fn,
};

static int
stocktake_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1024];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	char line[4096], **lines = NULL;
	size_t nl = 0;
	json_t *o, *v;
	const char *k;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1024, &n)))
		return rc;
	if (n == 1) {
		while (fgets(line, sizeof(line), stdin)) {
			size_t l = strcspn(line, "\r\n");
			line[l] = '\0';
			if (!l)
				continue;
			lines = realloc(lines, (nl + 1) * sizeof(*lines));
			lines[nl++] = strdup(line);
		}
	}
	if ((rc = cli_open(c)) == ECMS_OK)
		rc = ecms_stocktake(c->h, pos[0], n > 1 ? pos + 1 : (const char *const *)lines,
				    n > 1 ? (size_t)(n - 1) : nl, &o);
	for (size_t i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	if (rc)
		return c->h ? cli_error(c, rc) : rc;
	if (json)
		return cli_print_json(o);
	printf("stocktake %s of %s: %lld expected\n", json_string_value(json_object_get(o, "id")),
	       pos[0], (long long)json_integer_value(json_object_get(o, "expected")));
	json_object_foreach(o, k, v) {
		size_t i;
		json_t *x;
		if (!json_is_array(v))
			continue;
		printf("  %-10s %zu", k, json_array_size(v));
		json_array_foreach(v, i, x)
			printf("%s%s", i ? ", " : "  ",
			       json_is_object(x) ? cli_scalar(json_object_get(x, "uid"))
						 : cli_scalar(x));
		printf("\n");
	}
	json_decref(o);
	return ECMS_OK;
}
