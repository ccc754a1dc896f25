/*
 * fuzz_uid.c: libFuzzer target for ecms_uid_parse and ecms_uid_looks_like.
 * Invariants: no crash; an accepted ID looks like a UID and formats back
 * to a canonical UID that parses to the same number; a refusal says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/uid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char canon[ECMS_UID_MAX];
	ecms_error err;
	uint64_t seq, again;
	bool looks;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	looks = ecms_uid_looks_like(text);
	if (ecms_uid_parse(text, &seq, &err) == ECMS_OK) {
		if (!looks)
			abort();
		ecms_uid_format(seq, canon);
		if (ecms_uid_parse(canon, &again, NULL) != ECMS_OK || again != seq)
			abort();
		if (strlen(canon) > strlen(text))
			abort();
	} else if (err.rc != ECMS_EINVAL || err.message[0] == '\0' ||
		   strlen(err.message) >= sizeof(err.message)) {
		abort();
	}
	free(text);
	return 0;
}
