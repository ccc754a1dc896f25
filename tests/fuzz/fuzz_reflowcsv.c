/*
 * fuzz_reflowcsv.c: libFuzzer target for the reflow profile CSV parser.
 * Any input either fails with ECMS_EINVAL and a message naming the
 * input, or parses into a valid profile that analyses, checks, and comes
 * back unchanged through ecms_reflow_csv_format and a second parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/reflow.h"

static void
expect(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecms_reflow_profile *p = NULL, *q = NULL;
	struct ecms_reflow_metrics *m = NULL;
	struct ecms_reflow_finding *f = NULL;
	ecms_error e;
	char *text = NULL;
	size_t len, n, c;
	int rc;

	ecms_error_clear(&e);
	rc = ecms_reflow_csv_parse((const char *)data, size, "fuzz.csv", &p, &e);
	if (rc) {
		expect(rc == ECMS_EINVAL && p == NULL);
		expect(strncmp(e.message, "fuzz.csv:", 9) == 0);
		return 0;
	}
	expect(ecms_reflow_profile_validate(p, &e) == ECMS_OK);
	expect(ecms_reflow_analyze(p, NULL, &m, &e) == ECMS_OK);
	expect(ecms_reflow_check(NULL, m, 250, 1, &f, &n, &e) == ECMS_OK);
	expect(ecms_reflow_csv_format(p, &text, &len, &e) == ECMS_OK);
	expect(ecms_reflow_csv_parse(text, len, "again.csv", &q, &e) == ECMS_OK);
	expect(q->nsamples == p->nsamples && q->nchannels == p->nchannels);
	expect(memcmp(q->time_s, p->time_s, p->nsamples * sizeof(double)) == 0);
	for (c = 0; c < p->nchannels; c++) {
		expect(strcmp(q->ch[c].name, p->ch[c].name) == 0);
		expect(memcmp(q->ch[c].temp_c, p->ch[c].temp_c,
			      p->nsamples * sizeof(double)) == 0);
	}
	ecms_free(text);
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(q);
	ecms_reflow_profile_free(p);
	return 0;
}
