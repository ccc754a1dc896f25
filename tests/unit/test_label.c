/*
 * test_label.c: the supplier-label parser. One cmocka test per vector in
 * the shared public.tsv and in tests/data/labels.tsv (adding a line adds
 * a test), then date codes, options, limits, JSON, and allocation
 * failures at every allocation of a parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms_int.h"
#include "label_int.h"

struct vec {
	char *name;       /* "<file>:<id>" */
	char *args;       /* '-' or "--gs C --rs C" */
	char *scan;
	size_t scan_len;
	json_t *expect;
};

/* ------------------------------------------------------------------
 * Vectors
 * ------------------------------------------------------------------ */

/* Options from the args column; fails the test on anything unknown. */
static void
vec_opts(const char *args, ecms_label_opts *o)
{
	char buf[256], *save = NULL, *tok;

	o->gs_sub = o->rs_sub = 0;
	if (!strcmp(args, "-"))
		return;
	snprintf(buf, sizeof(buf), "%s", args);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *val = strtok_r(NULL, " ", &save);
		if (val == NULL || strlen(val) != 1)
			fail_msg("args '%s': '%s' needs one character", args, tok);
		if (!strcmp(tok, "--gs"))
			o->gs_sub = val[0];
		else if (!strcmp(tok, "--rs"))
			o->rs_sub = val[0];
		else
			fail_msg("args '%s': unknown option '%s'", args, tok);
	}
}

static void
test_vector(void **state)
{
	struct vec *v = *state;
	ecms_label_opts o;
	ecms_label *l = NULL;
	ecms_error err;
	json_t *got, *want_err = json_object_get(v->expect, "error");
	const char *key;
	json_t *want;
	int rc;

	vec_opts(v->args, &o);
	ecms_error_clear(&err);
	rc = ecms_label_parse(v->scan, v->scan_len, &o, &l, &err);
	if (want_err && json_is_true(want_err)) {
		if (rc == ECMS_OK)
			fail_msg("%s: accepted, expected a refusal", v->name);
		assert_int_equal(rc, ECMS_EINVAL);
		assert_null(l);
		assert_true(strlen(err.message) > 10);
		return;
	}
	if (want_err && json_is_string(want_err)) {
		if (rc == ECMS_OK)
			fail_msg("%s: accepted, expected a refusal", v->name);
		assert_int_equal(rc, ECMS_EINVAL);
		if (strstr(err.message, json_string_value(want_err)) == NULL)
			fail_msg("%s: message '%s' lacks '%s'", v->name, err.message,
				 json_string_value(want_err));
		return;
	}
	if (rc)
		fail_msg("%s: refused (rc %d): %s", v->name, rc, err.message);
	got = ecms__label_json(l);
	assert_non_null(got);
	json_object_foreach(v->expect, key, want) {
		json_t *g = json_object_get(got, key);
		if (g == NULL)
			fail_msg("%s: no key '%s' in the output", v->name, key);
		if (!json_equal(g, want)) {
			char *a = json_dumps(g, JSON_ENCODE_ANY | JSON_COMPACT);
			char *b = json_dumps(want, JSON_ENCODE_ANY | JSON_COMPACT);
			print_error("%s: %s is %s, expected %s\n", v->name, key, a, b);
			free(a);
			free(b);
			json_decref(got);
			ecms_label_free(l);
			fail();
		}
	}
	json_decref(got);
	ecms_label_free(l);
}

/* Append the vectors of one TSV file to *v (count *n). */
static void
load_vectors(const char *path, const char *tag, struct vec **v, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;

	if (f == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		char *col[5], *p = line, *save = NULL;
		json_t *scan;
		json_error_t je;
		int k;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		for (k = 0; k < 5 && (col[k] = strtok_r(p, "\t", &save)) != NULL; k++)
			p = NULL;
		if (k != 5) {
			fprintf(stderr, "%s:%zu: expected 5 tab-separated columns\n", path, lineno);
			exit(1);
		}
		*v = realloc(*v, (*n + 1) * sizeof(**v));
		scan = json_loads(col[3], JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		(*v)[*n].expect = json_loads(col[4], 0, &je);
		if (scan == NULL || !json_is_string(scan) || (*v)[*n].expect == NULL) {
			fprintf(stderr, "%s:%zu: bad JSON: %s\n", path, lineno, je.text);
			exit(1);
		}
		(*v)[*n].scan_len = json_string_length(scan);
		(*v)[*n].scan = malloc((*v)[*n].scan_len + 1);
		memcpy((*v)[*n].scan, json_string_value(scan), (*v)[*n].scan_len + 1);
		json_decref(scan);
		(*v)[*n].args = strdup(col[2]);
		(*v)[*n].name = malloc(strlen(tag) + strlen(col[0]) + 2);
		sprintf((*v)[*n].name, "%s:%s", tag, col[0]);
		(*n)++;
	}
	free(line);
	fclose(f);
}

/* ------------------------------------------------------------------
 * Fixed tests
 * ------------------------------------------------------------------ */

static ecms_label *
parse_ok(const char *s, size_t n, const ecms_label_opts *o)
{
	ecms_label *l = NULL;
	ecms_error err;
	int rc = ecms_label_parse(s, n, o, &l, &err);

	if (rc)
		fail_msg("'%s' refused: %s", s, err.message);
	return l;
}

static void
test_datecode(void **state)
{
	int y, w;
	int64_t ms;
	char buf[11];
	static const char *bad[] = {"", "N/T", "MIXED", "2354", "0000", "19xx", "12345",
				    "20231", "2023-13", "20231301", "1969-05", "231", "2299"};

	assert_int_equal(ecms_datecode_decode("1452", &y, &w, &ms), ECMS_OK);
	assert_int_equal(y, 2014);
	assert_int_equal(w, 52);
	assert_string_equal(ecms_date_format(ms, buf), "2014-12-22");
	/* 2020 has 53 ISO weeks, 2021 has 52. */
	assert_int_equal(ecms_datecode_decode("2053", &y, &w, &ms), ECMS_OK);
	assert_string_equal(ecms_date_format(ms, buf), "2020-12-28");
	assert_int_equal(ecms_datecode_decode("2153", &y, &w, &ms), ECMS_EINVAL);
	/* Week 1 may start in the year before. */
	assert_int_equal(ecms_datecode_decode("2501", &y, &w, &ms), ECMS_OK);
	assert_string_equal(ecms_date_format(ms, buf), "2024-12-30");
	/* YYMMDD when valid, else YYYYWW. */
	assert_int_equal(ecms_datecode_decode("231013", &y, &w, &ms), ECMS_OK);
	assert_true(y == 2023 && w == 41);
	assert_string_equal(ecms_date_format(ms, buf), "2023-10-13");
	assert_int_equal(ecms_datecode_decode("202312", &y, &w, &ms), ECMS_OK);
	assert_true(y == 2023 && w == 12);
	assert_string_equal(ecms_date_format(ms, buf), "2023-03-20");
	assert_int_equal(ecms_datecode_decode("20241230", &y, &w, NULL), ECMS_OK);
	assert_true(y == 2025 && w == 1);
	assert_int_equal(ecms_datecode_decode("2022-05", &y, &w, &ms), ECMS_OK);
	assert_true(y == 2022 && w == 17);
	assert_string_equal(ecms_date_format(ms, buf), "2022-05-01");
	assert_int_equal(ecms_datecode_decode("2021-01", NULL, NULL, NULL), ECMS_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ecms_datecode_decode(bad[i], &y, &w, &ms) != ECMS_EINVAL)
			fail_msg("date code '%s' accepted", bad[i]);
	assert_int_equal(ecms_datecode_decode(NULL, &y, &w, &ms), ECMS_EINVAL);
}

static void
test_opts(void **state)
{
	ecms_label *l = (ecms_label *)1;
	ecms_error err;
	const char *s = "[)>^06]1PX]Q1";
	ecms_label_opts same = {'^', '^'}, alnum = {'x', 0}, ctl = {0, '\x1e'};

	assert_int_equal(ecms_label_parse(s, strlen(s), &same, &l, &err), ECMS_EUSAGE);
	assert_null(l);
	assert_non_null(strstr(err.message, "must differ"));
	assert_int_equal(ecms_label_parse(s, strlen(s), &alnum, &l, &err), ECMS_EUSAGE);
	assert_int_equal(ecms_label_parse(s, strlen(s), &ctl, &l, &err), ECMS_EUSAGE);
	assert_int_equal(ecms_label_parse(NULL, 0, NULL, &l, &err), ECMS_EINVAL);
	assert_non_null(strstr(err.message, "empty"));
	assert_int_equal(ecms_label_parse(NULL, 3, NULL, &l, &err), ECMS_EUSAGE);
	/* err may be NULL. */
	assert_int_equal(ecms_label_parse("x", 1, NULL, &l, NULL), ECMS_EINVAL);
}

static void
test_limits_and_bytes(void **state)
{
	size_t n = ECMS_LABEL_MAX_SCAN + 1;
	char *big = malloc(n);
	ecms_label *l;
	ecms_error err;
	/* "µ" typed in Latin-1 by a wedge: read as U+00B5, warned. */
	const char latin[] = "[)>\x1e" "06\x1d" "1P10\xb5" "F\x1dQ5";
	/* Invalid UTF-8 forms are Latin-1 bytes too, never passed on as they are. */
	const char overlong[] = "[)>\x1e" "06\x1d" "1P\xc0\xaf\xed\xa0\x80\x1dQ5";
	char *js = NULL;

	memset(big, 'A', n);
	assert_int_equal(ecms_label_parse(big, n, NULL, &l, &err), ECMS_EINVAL);
	assert_non_null(strstr(err.message, "at most"));
	free(big);
	l = parse_ok(latin, sizeof(latin) - 1, NULL);
	assert_string_equal(l->mpn, "10\xc2\xb5" "F");
	assert_int_equal(l->nwarnings, 2);
	assert_non_null(strstr(l->warnings[0], "Latin-1"));
	ecms_label_free(l);
	l = parse_ok(overlong, sizeof(overlong) - 1, NULL);
	assert_int_equal(ecms_label_to_json(l, false, &js), ECMS_OK);
	assert_non_null(strstr(js, "\"quantity\":5"));
	ecms_free(js);
	ecms_label_free(l);
}

static void
test_struct_and_json(void **state)
{
	const char *s = "[)>\x1e" "06\x1dP123\x1d" "1PABC\x1dQ0042\x1d" "9D2301\x1e\x04";
	ecms_label *l = parse_ok(s, strlen(s), NULL);
	char buf[ECMS_LABEL_NUMBUF], *js = NULL;
	json_t *j;
	size_t k = 0;

	assert_true(l->compliant_header && l->compliant_trailer);
	assert_null(l->symbology);
	assert_int_equal(l->raw_len, strlen(s));
	assert_memory_equal(l->raw, s, l->raw_len);
	assert_true(l->has_quantity && l->quantity == 42);
	assert_string_equal(ecms_label_get(l, "quantity", buf), "42");
	assert_string_equal(ecms_label_get(l, "customer_pn", buf), "123");
	assert_string_equal(ecms_label_get(l, "date_code_week", buf), "2023-W01");
	assert_null(ecms_label_get(l, "gtin", buf));
	assert_null(ecms_label_get(l, "nonsense", buf));
	assert_int_equal(l->nfields, 4);
	assert_string_equal(l->fields[2].id, "Q");
	assert_string_equal(l->fields[2].value, "0042");
	/* JSON keys: the names in order, then fields and warnings. */
	j = ecms__label_json(l);
	assert_non_null(j);
	for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it), k++) {
		if (k < 18)
			assert_string_equal(json_object_iter_key(it), ecms_label_names[k]);
	}
	assert_int_equal(k, 18 + 2);
	assert_null(ecms_label_names[18]);
	assert_true(json_is_null(json_object_get(j, "gtin")));
	assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
	json_decref(j);
	assert_int_equal(ecms_label_to_json(l, false, &js), ECMS_OK);
	assert_non_null(strstr(js, "{\"id\":\"1P\",\"value\":\"ABC\"}"));
	ecms_free(js);
	ecms_label_free(l);
	ecms_label_free(NULL);
}

static void
test_alloc_failure(void **state)
{
	static const char *const scans[] = {
		"[)>\x1e" "06\x1dP296-LM358BIDDFRCT-ND\x1d" "1PLM358BIDDFR\x1dK\x1d"
		"1K72991337\x1d" "10K85781337\x1d" "11K1\x1d" "4LPH\x1dQ10\x1d" "11ZPICK"
		"\x1d" "9D2022-05\x1d" "12Z15221337\x1d" "13Z361337\x1dq5",
		">[)>06\x1dK21421337\x1d" "14K033\x1d" "1PLDK320ADU33R\x1dQ32\x1d"
		"4LCN\x1d" "1VSTMicro\r\n",
		"]d1[)>^06]1pXAF4444]Q3]1TBF1103^d",
		"[)>\xe2\x90\x9e" "06\xe2\x90\x9d" "1PA\xb5\xe2\x90\x9dQ3",
		"{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1,qty:2,mc:,cc:1}",
		"QTY:1000 PN:SMD0603-5K1-1% PO:32723349/7 MFR:ROYAL OHM MPN:0603SAF5101T5E "
		"CoO:TH RoHS https://www.tme.eu/details/SMD0603-5K1-1%25",
		"PWBP-302 1PMPNWBP-302 Q1 K19361337/1",
		"(01)04012345678901(10)L123(11)181100(21)SN-9(422)276(9999)x",
		"]d2" "0104012345678901" "10ABC\x1d" "17250600" "3712",
		"012345",
	};
	size_t total = 0;

	for (size_t i = 0; i < sizeof(scans) / sizeof(scans[0]); i++) {
		ecms_label_opts o = {0, 0};
		long nth;
		int rc = ECMS_ENOMEM;

		if (i == 2) {
			o.gs_sub = ']';
			o.rs_sub = '^';
		}
		for (nth = 1; nth < 100000 && rc == ECMS_ENOMEM; nth++) {
			ecms_label *l = (ecms_label *)1;
			ecms_error err;
			ecms__alloc_fail_after(nth);
			rc = ecms_label_parse(scans[i], strlen(scans[i]), &o, &l, &err);
			ecms__alloc_fail_after(0);
			if (rc == ECMS_ENOMEM) {
				assert_null(l);
				assert_non_null(strstr(err.message, "out of memory"));
			} else {
				/* The last case is refused: check its rc is stable. */
				assert_int_equal(rc, i == 9 ? ECMS_EINVAL : ECMS_OK);
				ecms_label_free(l);
			}
		}
		assert_true(nth > 2);
		total += (size_t)nth;
	}
	print_message("# %zu failing allocations injected\n", total);
}

/* ------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------ */

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_datecode),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_limits_and_bytes),
		cmocka_unit_test(test_struct_and_json),
		cmocka_unit_test(test_alloc_failure),
	};
	struct vec *v = NULL;
	struct CMUnitTest *tests;
	char path[4096];
	size_t n = 0, nfixed = sizeof(fixed) / sizeof(fixed[0]);
	int rc;

	snprintf(path, sizeof(path), "%s/labels/public.tsv", tu_shared_data());
	load_vectors(path, "public", &v, &n);
	load_vectors("tests/data/labels.tsv", "local", &v, &n);
	tests = calloc(n + nfixed, sizeof(*tests));
	for (size_t i = 0; i < n; i++) {
		tests[i].name = v[i].name;
		tests[i].test_func = test_vector;
		tests[i].initial_state = &v[i];
	}
	memcpy(tests + n, fixed, sizeof(fixed));
	rc = _cmocka_run_group_tests("label", tests, n + nfixed, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].args);
		free(v[i].scan);
		json_decref(v[i].expect);
	}
	free(v);
	free(tests);
	return rc;
}
