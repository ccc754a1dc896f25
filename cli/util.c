/*
 * util.c: helpers shared by the cli/cmd_*.c files: opening the store,
 * reporting errors, printing JSON, parsing options.
 */
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
cli_parse(const struct cmd_entry *e, int argc, char **argv,
	  const struct cli_opt *opts, const char **pos, int npos_min, int npos_max,
	  int *npos)
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
