/*
 * fuzz_import.c: the import file reader (CSV dialects and JSON arrays,
 * typed field conversion, cross-field checks, duplicate keys) against the
 * parts and suppliers specs, plus the ISO 8601 time parser. No store.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "master.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ecms__importer *imp[] = { &ecms__import_parts, &ecms__import_suppliers,
					       &ecms__import_locations, &ecms__import_po };
	struct ecms__errlist errs;
	struct ecms__rec *recs;
	ecms_error err;
	char *text, *all;
	int n;

	if (size == 0 || size > 65536)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	ecms__errlist_init(&errs);
	if (ecms__records_parse(text, size - 1, "fuzz.csv", imp[data[0] % 4]->spec, &recs, &n,
				&errs, &err) == ECMS_OK)
		ecms__recs_free(recs, n);
	all = ecms__errlist_take(&errs);
	ecms__free(all);
	ecms__errlist_cleanup(&errs);
	{
		int64_t ms;
		(void)ecms_time_parse(text, &ms, NULL);
	}
	free(text);
	return 0;
}
