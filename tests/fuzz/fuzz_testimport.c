/*
 * fuzz_testimport.c: the test-result import reader (JSON objects or
 * arrays, and CSV grouped into tests) of the quality module, the base64
 * decoder of defect images and the refdes.pin splitter. No store.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quality_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ecms_error err;
	json_t *recs = NULL;
	char *text, refdes[65];
	unsigned char *bin;
	const char *pin;
	size_t n;

	if (size > 65536)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (ecms__q_test_parse(text, size, "fuzz.csv",
			       "0000000000000000000000000000000000000000000000000000000000000000",
			       &recs, &err) == ECMS_OK)
		json_decref(recs);
	if (ecms__q_base64(text, &bin, &n) == ECMS_OK)
		ecms__free(bin);
	ecms__q_split_designator(text, refdes, sizeof(refdes), &pin);
	free(text);
	return 0;
}
