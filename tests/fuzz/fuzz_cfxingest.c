/*
 * fuzz_cfxingest.c: libFuzzer target for CFX ingestion
 * (ecms_cfx_ingest_buf) on an in-memory store: whatever the bytes, no
 * crash, no leak, a result of ECMS_OK or ECMS_EINVAL, and every item
 * counted exactly once (applied, duplicate, rejected, unknown or
 * deferred). Each input runs inside one outer transaction that is rolled
 * back, so inputs do not see each other's effects. The store has a
 * placement program on machine "M1" (slots S1, S2) so board passes and
 * exact records reach the genealogy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/cfxingest.h"
#include "ecms/genealogy.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ecms *
store(void)
{
	static ecms *h;
	static const char *const r1[] = { "R1", "R2" }, *const r2[] = { "C1" };
	struct ecms_gen_slotmap sm[] = { { "S1", "RES", r1, 2 }, { "S2", "CAP", r2, 1 } };

	if (h)
		return h;
	if (ecms_open(":memory:", ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h) != ECMS_OK ||
	    ecms_init(h, NULL, NULL) != ECMS_OK ||
	    ecms_gen_program_set(h, "P1", "M1", sm, 2, NULL) != ECMS_OK)
		abort();
	ecms_set_now(h, INT64_C(1768464000000));
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ecms *h = store();
	struct ecms_cfx_ingest_report rep;
	size_t sum;
	int rc;

	if (size > 65536)
		return 0;
	ecms_cfx_report_init(&rep);
	rep.batch_size = size ? (size_t)(data[0] % 4) + 1 : 1;
	if (ecms__begin(h) != ECMS_OK)
		abort();
	rc = ecms_cfx_ingest_buf(h, data, size, "fuzz", &rep);
	if (rc != ECMS_OK && rc != ECMS_EINVAL)
		abort();
	(void)ecms__end(h, ECMS_EINVAL); /* roll back */
	sum = rep.applied + rep.duplicates + rep.rejected + rep.unknown + rep.deferred;
	if (rc == ECMS_OK && sum != rep.items)
		abort();
	ecms_cfx_report_cleanup(&rep);
	return 0;
}
