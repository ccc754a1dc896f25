/*
 * util.c: helpers shared by the cli/cmd_*.c files: opening the store,
 * reporting errors, printing JSON, parsing options.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cli_fail(int rc, const char *fmt, ...)
{
	va_list ap;

	fputs("ecms: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return rc;
}

int
cli_error(struct cli *c, int rc)
{
	const char *m = c->h ? ecms_errmsg(c->h) : "";

	return cli_fail(rc, "%s", *m ? m : ecms_strerror(rc));
}

int
cli_open(struct cli *c)
{
	int rc;

	if (c->h)
		return ECMS_OK;
	rc = ecms_open(c->db_path, 0, &c->h);
	if (rc == ECMS_OK)
		rc = ecms_set_actor(c->h, c->user, c->station);
	if (rc)
		return cli_error(c, rc);
	return ECMS_OK;
}

int
cli_usage(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list ap;

	fputs("ecms: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: ecms %s %s\n", e->name, e->usage);
	return ECMS_EUSAGE;
}

int
cli_print_json(json_t *j)
{
	int rc;

	if (j == NULL)
		return cli_fail(ECMS_ENOMEM, "out of memory");
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
	return rc ? ECMS_EIO : ECMS_OK;
}

int
cli_parse(const struct cmd_entry *e, int argc, char **argv, const struct cli_opt *opts,
	  const char **pos, int npos_min, int npos_max, int *npos)
{
	bool only_pos = false;

	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_opt *o = NULL;
		const char *val = NULL;

		if (!only_pos && !strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (*npos >= npos_max)
				return cli_usage(e, "unexpected argument '%s'", a);
			pos[(*npos)++] = a;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t l = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (const struct cli_opt *p = opts; p && p->name; p++)
				if (strlen(p->name) == l && !strncmp(p->name, a + 2, l))
					o = p;
			if (eq)
				val = eq + 1;
		}
		if (o == NULL)
			return cli_usage(e, "unknown option '%s'", a);
		if (o->has_arg) {
			if (val == NULL) {
				if (i + 1 >= argc)
					return cli_usage(e, "option --%s needs a value", o->name);
				val = argv[++i];
			}
			*o->value = val;
		} else {
			if (val)
				return cli_usage(e, "option --%s takes no value", o->name);
			*o->flag = true;
		}
	}
	if (*npos < npos_min)
		return cli_usage(e, "missing argument");
	return ECMS_OK;
}

char *
cli_join(const json_t *arr, const char *sep)
{
	size_t n = 1, i, at = 0;
	json_t *v;
	char *out;

	json_array_foreach(arr, i, v)
		n += strlen(cli_scalar(v)) + strlen(sep);
	if (!(out = malloc(n)))
		return NULL;
	out[0] = '\0';
	json_array_foreach(arr, i, v) {
		const char *s = cli_scalar(v);
		size_t l = strlen(s);

		if (i) {
			memcpy(out + at, sep, strlen(sep));
			at += strlen(sep);
		}
		memcpy(out + at, s, l);
		at += l;
		out[at] = '\0';
	}
	return out;
}

const char *
cli_scalar(const json_t *v)
{
	static char buf[64];

	if (v == NULL || json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, sizeof(buf), "%g", json_real_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	return "";
}

static void
print_compact(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

	fputs(s ? s : "", stdout);
	free(s);
}

void
cli_print_record(const json_t *obj)
{
	const char *k;
	const json_t *v;
	size_t w = 0;

	json_object_foreach((json_t *)obj, k, v)
		if (strlen(k) > w)
			w = strlen(k);
	json_object_foreach((json_t *)obj, k, v) {
		printf("%-*s  ", (int)w, k);
		if (json_is_array(v)) {
			size_t i;
			const json_t *e;
			if (json_array_size(v) == 0)
				fputs("-", stdout);
			json_array_foreach(v, i, e) {
				if (json_is_object(e)) {
					const char *ek;
					const json_t *ev;
					int first = 1;
					if (i)
						printf("\n%-*s  ", (int)w, "");
					json_object_foreach((json_t *)e, ek, ev) {
						printf("%s%s=%s", first ? "" : " ", ek,
						       json_is_object(ev) || json_is_array(ev)
							       ? ""
							       : cli_scalar(ev));
						if (json_is_object(ev) || json_is_array(ev))
							print_compact(ev);
						first = 0;
					}
				} else {
					printf("%s%s", i ? ", " : "", cli_scalar(e));
				}
			}
		} else if (json_is_object(v)) {
			print_compact(v);
		} else {
			fputs(json_is_null(v) ? "-" : cli_scalar(v), stdout);
		}
		fputc('\n', stdout);
	}
}

void
cli_print_table(const json_t *arr, const char *const *cols)
{
	size_t ncols = 0, w[32] = { 0 }, i;
	const json_t *row;

	while (cols[ncols] && ncols < 32)
		ncols++;
	for (size_t c = 0; c < ncols; c++)
		w[c] = strlen(cols[c]);
	json_array_foreach((json_t *)arr, i, row)
		for (size_t c = 0; c < ncols; c++) {
			size_t l = strlen(cli_scalar(json_object_get(row, cols[c])));
			if (l > w[c])
				w[c] = l;
		}
	for (size_t c = 0; c < ncols; c++) {
		for (const char *p = cols[c]; *p; p++)
			fputc(*p >= 'a' && *p <= 'z' ? *p - 32 : *p, stdout);
		if (c + 1 < ncols)
			printf("%*s", (int)(w[c] - strlen(cols[c]) + 2), "");
	}
	fputc('\n', stdout);
	json_array_foreach((json_t *)arr, i, row) {
		for (size_t c = 0; c < ncols; c++) {
			const char *s = cli_scalar(json_object_get(row, cols[c]));
			if (c + 1 < ncols)
				printf("%-*s  ", (int)w[c], s);
			else
				fputs(s, stdout);
		}
		fputc('\n', stdout);
	}
}

void
cli_print_reasons(const json_t *reasons, const char *indent)
{
	const json_t *e;
	size_t i;

	json_array_foreach((json_t *)reasons, i, e) {
		const char *sev = json_string_value(json_object_get(e, "severity"));
		printf("%s%s%s: %s%s\n", indent,
		       sev && strcmp(sev, "warning") == 0 ? "warning " : "",
		       json_string_value(json_object_get(e, "rule")),
		       json_string_value(json_object_get(e, "message")),
		       json_is_true(json_object_get(e, "signal")) ? "  [counterfeit signal]" : "");
	}
}

int
cli_print_or_json(json_t *o, bool json)
{
	if (json)
		return cli_print_json(o);
	cli_print_record(o);
	json_decref(o);
	return ECMS_OK;
}

bool
cli_parse_count(const char *s, int64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s && !*end && !errno && *v >= 0;
}

int
cli_parse_json_open(struct cli *c, const struct cmd_entry *e, int argc, char **argv,
		    const char **pos, int npos, bool *json)
{
	const struct cli_opt opts[] = { { "json", false, NULL, json }, { NULL } };
	int n, rc;

	*json = false;
	if ((rc = cli_parse(e, argc, argv, opts, pos, npos, npos, &n)))
		return rc;
	return cli_open(c);
}

int
cli_print_list(json_t *l, bool json, const char *const *cols)
{
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
