/*
 * cmd_ship.c: `ecms ship`: record which board serials went to which
 * customer and when.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/ship.h"

static int ship_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_ship_entry = {
	"ship",
	"--customer C (--serial S [--serial S...] | SERIAL... | --wo WO | - ) [--reference REF] "
	"[--json]",
	"ship boards to a customer: completed, not on hold, built for that customer",
	"Serials come from --serial (repeatable), as arguments, or one per line on\n"
	"standard input ('-', or nothing else given; blank lines and # comments are\n"
	"skipped). With --wo, every completed board of the work order that is not on\n"
	"hold ships; the others stay and are counted. A board that is not completed\n"
	"(WIP, scrapped, shipped already), is on hold (a recall) or belongs to another\n"
	"customer's work order refuses the whole shipment: nothing is shipped.\n",
	0,
	ship_fn,
};

#define MAX_SERIALS 100000

static int
ship_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *customer = NULL, *wo = NULL, *ref = NULL, *pos[1];
	bool json = false;
	const struct cli_opt opts[] = {
		{ "customer", true, &customer, NULL },
		{ "wo", true, &wo, NULL },
		{ "reference", true, &ref, NULL },
		{ "json", false, NULL, &json },
		{ NULL },
	};
	const char **serials = calloc((size_t)argc + 1, sizeof(*serials));
	char **rest = calloc((size_t)argc + 1, sizeof(*rest)), **lines = NULL;
	size_t ns = 0, nl = 0, cap = 0;
	int nrest = 0, n, rc = ECMS_OK;
	bool from_stdin = false;
	json_t *out;

	if (!serials || !rest) {
		free(serials);
		free(rest);
		return cli_fail(ECMS_ENOMEM, "out of memory");
	}
	/* --serial may repeat, and serials may be positional: gather them. */
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !strcmp(argv[i], "--serial")) {
			if (i + 1 >= argc) {
				rc = cli_usage(e, "option --serial needs a value");
				break;
			}
			serials[ns++] = argv[++i];
		} else if (i > 0 && !strncmp(argv[i], "--serial=", 9)) {
			serials[ns++] = argv[i] + 9;
		} else if (i > 0 && argv[i][0] != '-' && argv[i - 1][0] == '-' &&
			   argv[i - 1][1] == '-' && strcmp(argv[i - 1], "--json") != 0 &&
			   !strchr(argv[i - 1], '=')) {
			rest[nrest++] = argv[i]; /* an option's value */
		} else if (i > 0 && argv[i][0] != '-') {
			serials[ns++] = argv[i];
		} else if (i > 0 && !strcmp(argv[i], "-")) {
			from_stdin = true;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	if (rc == ECMS_OK)
		rc = cli_parse(e, nrest, rest, opts, pos, 0, 0, &n);
	if (rc == ECMS_OK && !customer)
		rc = cli_usage(e, "--customer is required");
	if (rc == ECMS_OK && wo && (ns || from_stdin))
		rc = cli_usage(e, "ship a work order or serials, not both");
	if (rc == ECMS_OK && !wo && ns == 0)
		from_stdin = true;
	if (rc == ECMS_OK && from_stdin) {
		char line[512];

		while (rc == ECMS_OK && fgets(line, sizeof(line), stdin)) {
			size_t l = strcspn(line, "\r\n");
			char *s = line + strspn(line, " \t");

			line[l] = '\0';
			while (l && (line[l - 1] == ' ' || line[l - 1] == '\t'))
				line[--l] = '\0';
			if (!*s || *s == '#')
				continue;
			if (nl == cap) {
				size_t nc = cap ? cap * 2 : 64;
				char **nlines = nl < MAX_SERIALS
							? realloc(lines, nc * sizeof(*lines))
							: NULL;
				if (!nlines) {
					rc = cli_fail(ECMS_EUSAGE,
						      "too many serials on standard input");
					break;
				}
				lines = nlines;
				cap = nc;
			}
			if (!(lines[nl] = strdup(s)))
				rc = cli_fail(ECMS_ENOMEM, "out of memory");
			else
				nl++;
		}
		if (rc == ECMS_OK && nl == 0)
			rc = cli_usage(e, "no serials given (none on standard input either)");
	}
	if (rc == ECMS_OK)
		rc = cli_open(c);
	if (rc == ECMS_OK) {
		ecms_ship_req r = { .customer = customer,
				    .serials = nl ? (const char *const *)lines : serials,
				    .nserials = nl ? nl : ns,
				    .work_order = wo,
				    .reference = ref };
		if ((rc = ecms_ship(c->h, &r, &out)))
			cli_error(c, rc);
	}
	if (rc == ECMS_OK && json) {
		rc = cli_print_json(out);
	} else if (rc == ECMS_OK) {
		json_t *left = json_object_get(out, "left"), *v;
		const char *k;

		printf("%s: %lld board%s shipped to %s at %s%s%s\n",
		       cli_scalar(json_object_get(out, "shipment")),
		       (long long)json_integer_value(json_object_get(out, "count")),
		       json_integer_value(json_object_get(out, "count")) == 1 ? "" : "s", customer,
		       cli_scalar(json_object_get(out, "shipped")), ref ? ", reference " : "",
		       ref ? ref : "");
		if (json_object_size(left)) {
			printf("  not shipped:");
			json_object_foreach(left, k, v)
				printf(" %lld %s", (long long)json_integer_value(v), k);
			printf("\n");
		}
		json_decref(out);
	}
	for (size_t i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	free(serials);
	free(rest);
	return rc;
}
