/*
 * fuzz_label.c: libFuzzer target for the supplier-label parser. Every
 * input is parsed without options and with keyboard-wedge substitutes
 * (the first byte picks them); what parses is turned into JSON and text,
 * and its date code decoded, so all of the label's strings are read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecms_int.h"
#include "label_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
exercise(const ecms_label *l)
{
	char buf[ECMS_LABEL_NUMBUF], *js = NULL;
	size_t total = 0;
	int y, w;
	int64_t ms;

	for (size_t i = 0; ecms_label_names[i]; i++) {
		const char *v = ecms_label_get(l, ecms_label_names[i], buf);
		total += v ? strlen(v) : 0;
	}
	for (size_t i = 0; i < l->nfields; i++)
		total += strlen(l->fields[i].id) + strlen(l->fields[i].value);
	for (size_t i = 0; i < l->nwarnings; i++)
		total += strlen(l->warnings[i]);
	if (l->date_code)
		(void)ecms_datecode_decode(l->date_code, &y, &w, &ms);
	/* The parser keeps strings valid UTF-8, so JSON must always work. */
	if (ecms_label_to_json(l, false, &js) != ECMS_OK)
		abort();
	ecms_free(js);
	(void)total;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char subs[][2] = {{']', '^'}, {'@', '^'}, {'|', '~'}, {']', 0}};
	const char *s = (const char *)data;
	ecms_label *l = NULL;
	ecms_label_opts o = {0, 0};
	ecms_error err;
	char *z;
	int rc;

	rc = ecms_label_parse(s, size, NULL, &l, &err);
	if (rc == ECMS_OK)
		exercise(l);
	else if (rc != ECMS_EINVAL || err.message[0] == '\0')
		abort();
	ecms_label_free(l);
	l = NULL;
	if (size > 0) {
		o.gs_sub = subs[data[0] % 4][0];
		o.rs_sub = subs[data[0] % 4][1];
		rc = ecms_label_parse(s + 1, size - 1, &o, &l, &err);
		if (rc == ECMS_OK)
			exercise(l);
		else if (rc != ECMS_EINVAL)
			abort();
		ecms_label_free(l);
	}
	/* The date-code decoder on its own, as a C string. */
	z = malloc(size + 1);
	if (z == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	(void)ecms_datecode_decode(z, NULL, NULL, NULL);
	free(z);
	return 0;
}
