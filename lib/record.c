/*
 * record.c: reading typed records from CSV and JSON import files.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "record.h"

#define IMPORT_MAX_BYTES ((size_t)256 << 20)

void
ecms__errlist_init(struct ecms__errlist *e)
{
	e->v = NULL;
	e->n = e->kept = 0;
}

void
ecms__errlist_cleanup(struct ecms__errlist *e)
{
	for (int i = 0; i < e->kept; i++)
		ecms__free(e->v[i].text);
	ecms__free(e->v);
	ecms__errlist_init(e);
}

void
ecms__errlist_add(struct ecms__errlist *e, int line, const char *fmt, ...)
{
	ecms_buf b;
	va_list ap;
	int rc;

	if (e->n++ >= ECMS_ERRLIST_MAX)
		return;
	if (e->v == NULL) {
		e->v = ecms__calloc(ECMS_ERRLIST_MAX, sizeof(*e->v));
		if (e->v == NULL)
			return;
	}
	ecms__buf_init(&b, 4096);
	va_start(ap, fmt);
	rc = ecms__buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc) {
		ecms__buf_cleanup(&b);
		return;
	}
	e->v[e->kept].line = line;
	e->v[e->kept].text = ecms__buf_take(&b);
	if (e->v[e->kept].text)
		e->kept++;
}

char *
ecms__errlist_take(struct ecms__errlist *e)
{
	ecms_buf b;

	if (e->kept == 0)
		return NULL;
	/* Stable insertion sort by line: at most ECMS_ERRLIST_MAX entries. */
	for (int i = 1; i < e->kept; i++) {
		for (int j = i; j > 0 && e->v[j - 1].line > e->v[j].line; j--) {
			int l = e->v[j].line;
			char *t = e->v[j].text;
			e->v[j] = e->v[j - 1];
			e->v[j - 1].line = l;
			e->v[j - 1].text = t;
		}
	}
	ecms__buf_init(&b, 0);
	for (int i = 0; i < e->kept; i++)
		if (ecms__buf_adds(&b, e->v[i].text) || ecms__buf_addc(&b, '\n')) {
			ecms__buf_cleanup(&b);
			return NULL;
		}
	return ecms__buf_take(&b);
}

void
ecms__recs_free(struct ecms__rec *recs, int n)
{
	if (recs == NULL)
		return;
	for (int i = 0; i < n; i++)
		json_decref(recs[i].obj);
	ecms__free(recs);
}

json_t *
ecms__json_sorted(json_t *arr, int (*cmp)(const void *, const void *), json_t **dup)
{
	size_t cnt = json_array_size(arr);
	json_t **v = ecms__calloc(cnt + 1, sizeof(*v)), *out = NULL;

	if (dup)
		*dup = NULL;
	if (v != NULL) {
		for (size_t i = 0; i < cnt; i++)
			v[i] = json_array_get(arr, i);
		qsort(v, cnt, sizeof(*v), cmp);
		out = json_array();
		for (size_t i = 0; out && i < cnt; i++) {
			if (i && cmp(&v[i - 1], &v[i]) == 0) {
				if (dup && !*dup)
					*dup = v[i - 1];
				continue;
			}
			json_array_append(out, v[i]);
		}
		ecms__free(v);
	}
	json_decref(arr);
	return out;
}

const char *
ecms__rs(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

int64_t
ecms__ri(const json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(rec, key));
}

bool
ecms__rnull(const json_t *rec, const char *key)
{
	const json_t *v = json_object_get(rec, key);

	return v == NULL || json_is_null(v);
}

/* Trim ASCII white space at both ends, in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static void
list_choices(const char *const *c, char *out, size_t n)
{
	size_t l = 0;

	out[0] = '\0';
	for (int i = 0; c[i] && l + 2 < n; i++)
		l += (size_t)snprintf(out + l, n - l, "%s%s", i ? ", " : "", c[i]);
}

/*
 * Convert one text value for field f. Returns a new JSON value, or NULL
 * with the reason ("is not a whole number") in why.
 */
static json_t *
conv_value(const struct ecms__field *f, const char *v, char *why, size_t n)
{
	int64_t i;
	double d;

	switch (f->type) {
	case ECMS_F_TEXT:
		if (strlen(v) > 500) {
			snprintf(why, n, "is longer than 500 characters");
			return NULL;
		}
		return json_string(v);
	case ECMS_F_ID: {
		size_t l = strlen(v);
		if (l > 64) {
			snprintf(why, n, "is longer than 64 characters");
			return NULL;
		}
		for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
			if (*p <= ' ' || *p == ',' || *p == ';' || *p == '"' || *p == '\'' ||
			    *p >= 0x7f) {
				snprintf(why, n,
					 "is not an ID (letters, digits and "
					 "-._:/+# only, no spaces)");
				return NULL;
			}
		}
		return json_string(v);
	}
	case ECMS_F_INT:
		if (!ecms__parse_i64(v, (int64_t)f->min, (int64_t)f->max, &i)) {
			snprintf(why, n, "is not a whole number from %.0f to %.0f", f->min, f->max);
			return NULL;
		}
		return json_integer(i);
	case ECMS_F_REAL:
		if (!ecms__parse_double(v, &d) || d < f->min || d > f->max) {
			snprintf(why, n, "is not a number from %g to %g", f->min, f->max);
			return NULL;
		}
		return json_real(d);
	case ECMS_F_BOOL:
		if (ecms__streq_nocase(v, "yes") || ecms__streq_nocase(v, "true") ||
		    ecms__streq_nocase(v, "y") || !strcmp(v, "1"))
			return json_true();
		if (ecms__streq_nocase(v, "no") || ecms__streq_nocase(v, "false") ||
		    ecms__streq_nocase(v, "n") || !strcmp(v, "0"))
			return json_false();
		snprintf(why, n, "is not yes or no");
		return NULL;
	case ECMS_F_ENUM:
		for (int k = 0; f->choices[k]; k++)
			if (ecms__streq_nocase(v, f->choices[k]))
				return json_string(f->choices[k]);
		{
			char c[300];
			list_choices(f->choices, c, sizeof(c));
			snprintf(why, n, "is not one of: %s", c);
		}
		return NULL;
	case ECMS_F_DATE: {
		int64_t ms;
		if (strlen(v) != 10 || ecms_time_parse(v, &ms, NULL) != ECMS_OK) {
			snprintf(why, n, "is not a date (YYYY-MM-DD)");
			return NULL;
		}
		return json_string(v);
	}
	case ECMS_F_CUSTOM:
		return f->conv(v, why, n);
	}
	snprintf(why, n, "has an unknown type");
	return NULL;
}

struct reader {
	const char *fname;
	const struct ecms__rspec *spec;
	struct ecms__errlist *errs;
	struct ecms__rec *recs;
	int n, cap;
};

static const struct ecms__field *
find_field(const struct ecms__rspec *spec, const char *name)
{
	for (const struct ecms__field *f = spec->fields; f->name; f++)
		if (ecms__streq_nocase(f->name, name))
			return f;
	return NULL;
}

static int
add_rec(struct reader *r, int line, json_t *obj)
{
	if (r->n == r->cap) {
		int ncap = r->cap ? r->cap * 2 : 64;
		struct ecms__rec *p = ecms__realloc(r->recs, sizeof(*p) * (size_t)ncap);
		if (p == NULL) {
			json_decref(obj);
			return ECMS_ENOMEM;
		}
		r->recs = p;
		r->cap = ncap;
	}
	r->recs[r->n].line = line;
	r->recs[r->n].obj = obj;
	r->n++;
	return ECMS_OK;
}

/* Fill defaults, enforce required fields, run the cross-field check. */
static bool
finish_rec(struct reader *r, int line, json_t *obj)
{
	bool ok = true;
	char why[300];

	for (const struct ecms__field *f = r->spec->fields; f->name; f++) {
		json_t *v = json_object_get(obj, f->name);
		if (v && !json_is_null(v))
			continue;
		if (f->def) {
			json_t *d = conv_value(f, f->def, why, sizeof(why));
			json_object_set_new(obj, f->name, d ? d : json_null());
		} else if (f->required) {
			ecms__errlist_add(r->errs, line, "%s:%d: column '%s' is required", r->fname,
					  line, f->name);
			ok = false;
		} else {
			json_object_set_new(obj, f->name, json_null());
		}
	}
	if (ok && r->spec->check) {
		const char *field = NULL;
		if (!r->spec->check(obj, why, sizeof(why), &field)) {
			if (field)
				ecms__errlist_add(r->errs, line, "%s:%d: column '%s' %s", r->fname,
						  line, field, why);
			else
				ecms__errlist_add(r->errs, line, "%s:%d: %s", r->fname, line, why);
			ok = false;
		}
	}
	return ok;
}

static int
read_csv(struct reader *r, const char *text, size_t len, ecms_error *err)
{
	struct ecms__csv *c;
	const struct ecms__field **map;
	char sep = ',';
	int rc;

	/* A header with semicolons and no commas is a semicolon CSV. */
	{
		const char *nl = memchr(text, '\n', len);
		size_t hl = nl ? (size_t)(nl - text) : len;
		if (memchr(text, ';', hl) && !memchr(text, ',', hl))
			sep = ';';
	}
	rc = ecms__csv_parse(text, len, r->fname, sep, &c, err);
	if (rc)
		return rc;
	map = ecms__calloc((size_t)c->rows[0].ncols, sizeof(*map));
	if (map == NULL) {
		ecms__csv_free(c);
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	}
	for (int j = 0; j < c->rows[0].ncols; j++) {
		char *h = trim(c->rows[0].cols[j]);
		map[j] = find_field(r->spec, h);
		if (map[j] == NULL) {
			ecms__errlist_add(r->errs, c->rows[0].line, "%s:%d: unknown column '%s'",
					  r->fname, c->rows[0].line, h);
			continue;
		}
		for (int k = 0; k < j; k++)
			if (map[k] == map[j])
				ecms__errlist_add(r->errs, c->rows[0].line,
						  "%s:%d: column '%s' appears twice", r->fname,
						  c->rows[0].line, h);
	}
	for (const struct ecms__field *f = r->spec->fields; f->name; f++) {
		bool have = false;
		for (int j = 0; j < c->rows[0].ncols; j++)
			have |= map[j] == f;
		if (!have && f->required)
			ecms__errlist_add(r->errs, c->rows[0].line, "%s:%d: missing column '%s'",
					  r->fname, c->rows[0].line, f->name);
	}
	if (r->errs->n) {
		ecms__free(map);
		ecms__csv_free(c);
		return ECMS_EINVAL;
	}
	for (int i = 1; i < c->nrows; i++) {
		struct ecms__csv_row *row = &c->rows[i];
		json_t *obj = json_object();
		bool ok = true;
		if (obj == NULL)
			goto oom;
		for (int j = 0; j < row->ncols; j++) {
			char why[300];
			char *v = trim(row->cols[j]);
			json_t *jv;
			if (*v == '\0')
				continue;
			jv = conv_value(map[j], v, why, sizeof(why));
			if (jv == NULL) {
				ecms__errlist_add(r->errs, row->line, "%s:%d: column '%s': '%s' %s",
						  r->fname, row->line, map[j]->name, v, why);
				ok = false;
				continue;
			}
			json_object_set_new(obj, map[j]->name, jv);
		}
		if (ok && finish_rec(r, row->line, obj)) {
			if (add_rec(r, row->line, obj))
				goto oom;
		} else {
			json_decref(obj);
		}
	}
	ecms__free(map);
	ecms__csv_free(c);
	return ECMS_OK;
oom:
	ecms__free(map);
	ecms__csv_free(c);
	return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
}

/*
 * The line on which each element of a top-level JSON array starts
 * (jansson does not report positions of values). lines[i] for element i.
 */
static int *
json_element_lines(const char *text, size_t len, int *count)
{
	int *lines = NULL, n = 0, cap = 0, depth = 0, line = 1;
	bool in_str = false, esc = false, want = true;

	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == '\n')
			line++;
		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (depth == 1 && want && !isspace((unsigned char)ch) && ch != ',' && ch != ']') {
			if (n == cap) {
				int *p;
				cap = cap ? cap * 2 : 64;
				p = ecms__realloc(lines, sizeof(int) * (size_t)cap);
				if (p == NULL) {
					ecms__free(lines);
					return NULL;
				}
				lines = p;
			}
			lines[n++] = line;
			want = false;
		}
		if (ch == '"')
			in_str = true;
		else if (ch == '[' || ch == '{')
			depth++;
		else if (ch == ']' || ch == '}')
			depth--;
		else if (ch == ',' && depth == 1)
			want = true;
	}
	*count = n;
	return lines;
}

static int
read_json(struct reader *r, const char *text, size_t len, ecms_error *err)
{
	json_error_t je;
	json_t *root;
	int *lines, nlines = 0;
	size_t i;
	json_t *el;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return ecms__fail(err, ECMS_EINVAL, NULL, "%s:%d:%d: %s", r->fname, je.line,
				  je.column, je.text);
	if (!json_is_array(root)) {
		json_decref(root);
		return ecms__fail(err, ECMS_EINVAL, NULL, "%s: expected a JSON array of %s records",
				  r->fname, r->spec->kind);
	}
	lines = json_element_lines(text, len, &nlines);
	json_array_foreach(root, i, el) {
		int line = lines && (int)i < nlines ? lines[i] : 0;
		json_t *obj;
		const char *key;
		json_t *v;
		bool ok = true;

		if (!json_is_object(el)) {
			ecms__errlist_add(r->errs, line, "%s:%d: record %zu is not an object",
					  r->fname, line, i + 1);
			continue;
		}
		obj = json_object();
		if (obj == NULL)
			goto oom;
		json_object_foreach(el, key, v) {
			const struct ecms__field *f = find_field(r->spec, key);
			char why[300], txt[64];
			const char *s = NULL;
			json_t *jv = NULL;

			if (f == NULL) {
				ecms__errlist_add(r->errs, line, "%s:%d: unknown field '%s'",
						  r->fname, line, key);
				ok = false;
				continue;
			}
			if (json_is_null(v))
				continue;
			if (json_is_string(v)) {
				s = json_string_value(v);
			} else if (json_is_integer(v)) {
				snprintf(txt, sizeof(txt), "%lld",
					 (long long)json_integer_value(v));
				s = txt;
			} else if (json_is_real(v)) {
				snprintf(txt, sizeof(txt), "%.17g", json_real_value(v));
				s = txt;
			} else if (json_is_boolean(v)) {
				s = json_is_true(v) ? "yes" : "no";
			} else if (f->type == ECMS_F_CUSTOM && f->conv_json) {
				jv = f->conv_json(v, why, sizeof(why));
				if (jv == NULL) {
					ecms__errlist_add(r->errs, line, "%s:%d: field '%s' %s",
							  r->fname, line, f->name, why);
					ok = false;
				}
			} else {
				ecms__errlist_add(r->errs, line,
						  "%s:%d: field '%s' must be a "
						  "string or number",
						  r->fname, line, f->name);
				ok = false;
				continue;
			}
			if (s) {
				char *copy = ecms__strdup(s);
				if (copy == NULL) {
					json_decref(obj);
					goto oom;
				}
				if (*trim(copy))
					jv = conv_value(f, trim(copy), why, sizeof(why));
				else
					jv = json_null();
				if (jv == NULL) {
					ecms__errlist_add(r->errs, line,
							  "%s:%d: field '%s': '%s' %s", r->fname,
							  line, f->name, trim(copy), why);
					ok = false;
				}
				ecms__free(copy);
			}
			if (jv)
				json_object_set_new(obj, f->name, jv);
		}
		if (ok && finish_rec(r, line, obj)) {
			if (add_rec(r, line, obj))
				goto oom;
		} else {
			json_decref(obj);
		}
	}
	ecms__free(lines);
	json_decref(root);
	return ECMS_OK;
oom:
	ecms__free(lines);
	json_decref(root);
	return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
}

struct keyref {
	const char *key;
	int idx;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->idx - y->idx;
}

/* A key repeated within the file is an error on each later line. */
static int
check_dup_keys(struct reader *r, ecms_error *err)
{
	struct keyref *k;
	int m = 0;

	k = ecms__calloc((size_t)r->n + 1, sizeof(*k));
	if (k == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	for (int i = 0; i < r->n; i++) {
		const char *key = ecms__rs(r->recs[i].obj, r->spec->key);
		if (key) {
			k[m].key = key;
			k[m++].idx = i;
		}
	}
	qsort(k, (size_t)m, sizeof(*k), keyref_cmp);
	for (int i = 1, first = 0; i < m; i++) {
		if (strcmp(k[i].key, k[first].key) != 0) {
			first = i;
			continue;
		}
		ecms__errlist_add(r->errs, r->recs[k[i].idx].line,
				  "%s:%d: %s '%s' appears again (first on line %d)", r->fname,
				  r->recs[k[i].idx].line, r->spec->key, k[i].key,
				  r->recs[k[first].idx].line);
	}
	ecms__free(k);
	return ECMS_OK;
}

int
ecms__records_parse(const char *text, size_t len, const char *fname, const struct ecms__rspec *spec,
		    struct ecms__rec **recs, int *n, struct ecms__errlist *errs, ecms_error *err)
{
	struct reader r = { fname, spec, errs, NULL, 0, 0 };
	size_t i = 0;
	int rc;

	*recs = NULL;
	*n = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '[')
		rc = read_json(&r, text, len, err);
	else
		rc = read_csv(&r, text, len, err);
	if (rc == ECMS_OK && spec->key)
		rc = check_dup_keys(&r, err);
	if (rc == ECMS_OK && errs->n)
		rc = ECMS_EINVAL;
	if (rc == ECMS_EINVAL && errs->n)
		ecms__fail(err, rc, NULL, "%s: %d error%s", fname, errs->n,
			   errs->n == 1 ? "" : "s");
	if (rc) {
		ecms__recs_free(r.recs, r.n);
		return rc;
	}
	*recs = r.recs;
	*n = r.n;
	return ECMS_OK;
}

int
ecms__records_read(const char *path, const struct ecms__rspec *spec, struct ecms__rec **recs,
		   int *n, struct ecms__errlist *errs, ecms_error *err)
{
	char *text;
	size_t len;
	int rc;

	*recs = NULL;
	*n = 0;
	rc = ecms__read_file(path, IMPORT_MAX_BYTES, &text, &len, err);
	if (rc)
		return rc;
	rc = ecms__records_parse(text, len, path, spec, recs, n, errs, err);
	ecms__free(text);
	return rc;
}
