/*
 * recall_common.c: printing a recall (preview, applied, or shown again),
 * as text or CSV: shared by `ecms recall` and `ecms recall show`.
 */
#include <stdlib.h>
#include <string.h>

#include "recall_common.h"

static void
print_board_line(const json_t *b, const char *gname)
{
	char *rd = NULL, *am = NULL;

	printf("    %-16s", cli_scalar(json_object_get(b, "serial")));
	if (!strcmp(gname, "shipped"))
		printf(" shipped %s %s", cli_scalar(json_object_get(b, "shipped")),
		       cli_scalar(json_object_get(b, "shipment")));
	else if (!strcmp(gname, "other"))
		printf(" %s", cli_scalar(json_object_get(b, "status")));
	rd = cli_join(json_object_get(b, "refdes"), ",");
	am = cli_join(json_object_get(b, "ambiguous"), ",");
	if (json_array_size(json_object_get(b, "refdes")))
		printf(" refdes %s", rd ? rd : "");
	if (json_array_size(json_object_get(b, "ambiguous")))
		printf(" possibly %s", am ? am : "");
	if (json_is_true(json_object_get(b, "held")))
		printf(" [hold]");
	printf("\n");
	free(rd);
	free(am);
}

int
recall_print(json_t *r)
{
	static const char *const groups[] = { "shipped",  "completed", "wip",
					      "scrapped", "other",     NULL };
	static const char *const what[] = { "shipped: notify the customer",
					    "completed, not shipped", "in production (WIP)",
					    "scrapped", "other" };
	const json_t *scope = json_object_get(r, "scope"), *counts = json_object_get(r, "counts");
	bool applied = json_is_true(json_object_get(r, "applied"));
	json_t *cu, *b, *p;
	size_t i, j;

	printf("%s%s of lot %s", applied ? "recall " : "recall preview",
	       applied ? cli_scalar(json_object_get(r, "id")) : "",
	       cli_scalar(json_object_get(scope, "lot")));
	if (!json_is_null(json_object_get(scope, "mpn")))
		printf(" (MPN %s)", cli_scalar(json_object_get(scope, "mpn")));
	if (applied)
		printf(": applied by %s at %s\n  reason: %s\n",
		       cli_scalar(json_object_get(r, "user")),
		       cli_scalar(json_object_get(r, "time")),
		       cli_scalar(json_object_get(r, "reason")));
	else
		printf(": nothing changed (--apply contains it)\n");
	printf("%lld boards: %lld shipped, %lld completed, %lld wip, %lld scrapped",
	       (long long)json_integer_value(json_object_get(r, "count")),
	       (long long)json_integer_value(json_object_get(counts, "shipped")),
	       (long long)json_integer_value(json_object_get(counts, "completed")),
	       (long long)json_integer_value(json_object_get(counts, "wip")),
	       (long long)json_integer_value(json_object_get(counts, "scrapped")));
	if (json_integer_value(json_object_get(counts, "other")))
		printf(", %lld other",
		       (long long)json_integer_value(json_object_get(counts, "other")));
	printf("; %lld %s on hold\n",
	       (long long)json_integer_value(json_object_get(r, "boards_held")),
	       applied ? "put" : "to put");
	json_array_foreach(json_object_get(r, "customers"), i, cu) {
		printf("customer %s: %lld board%s\n",
		       json_is_null(json_object_get(cu, "customer"))
			       ? "(unknown work order)"
			       : cli_scalar(json_object_get(cu, "customer")),
		       (long long)json_integer_value(json_object_get(cu, "count")),
		       json_integer_value(json_object_get(cu, "count")) == 1 ? "" : "s");
		for (int g = 0; groups[g]; g++) {
			const json_t *arr = json_object_get(cu, groups[g]);

			if (json_array_size(arr) == 0)
				continue;
			printf("  %s (%zu)\n", what[g], json_array_size(arr));
			json_array_foreach((json_t *)arr, j, b)
				print_board_line(b, groups[g]);
		}
	}
	printf("packages of the lot: %zu, %lld %s on hold\n",
	       json_array_size(json_object_get(r, "packages")),
	       (long long)json_integer_value(json_object_get(r, "packages_held")),
	       applied ? "put" : "to put");
	json_array_foreach(json_object_get(r, "packages"), i, p) {
		json_t *v;

		printf("  %-12s %-14s %-12s %-10s%s", cli_scalar(json_object_get(p, "uid")),
		       cli_scalar(json_object_get(p, "ipn")),
		       cli_scalar(json_object_get(p, "status")),
		       cli_scalar(json_object_get(p, "location")),
		       json_is_true(json_object_get(p, "held")) ? " -> on hold" : "");
		json_array_foreach(json_object_get(p, "loaded"), j, v)
			printf("%s %s", j ? "," : "  LOADED ON", json_string_value(v));
		if (json_array_size(json_object_get(p, "loaded")))
			printf(": take it off the line");
		printf("\n");
	}
	json_decref(r);
	return ECMS_OK;
}

int
recall_print_csv(json_t *r)
{
	char *text = NULL;
	int rc = ecms_recall_csv(r, &text);

	json_decref(r);
	if (rc)
		return cli_fail(rc, "%s", ecms_strerror(rc));
	fputs(text, stdout);
	ecms_free(text);
	return ECMS_OK;
}
