/*
 * main.c: `ecms [GLOBAL OPTIONS] COMMAND [ARGS]`: global options, finding
 * the command in the table, help, exit codes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "cli.h"

static const char global_usage[] =
	"usage: ecms [--db PATH] [--user U] [--station S] [--now TIME] COMMAND [ARGS]\n"
	"       ecms help [COMMAND]    ecms COMMAND --help    ecms --version\n";

static int
words_match(const char *name, int argc, char **argv, int *nwords)
{
	/* name is "a" or "a b": match argv[0] (and argv[1]). */
	const char *sp = strchr(name, ' ');

	if (sp == NULL) {
		*nwords = 1;
		return strcmp(name, argv[0]) == 0;
	}
	*nwords = 2;
	return argc >= 2 && strncmp(name, argv[0], (size_t)(sp - name)) == 0 &&
	       argv[0][sp - name] == '\0' && strcmp(sp + 1, argv[1]) == 0;
}

const struct cmd_entry *
cli_find(const char *name)
{
	for (int i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

static void
print_help(const struct cmd_entry *e, FILE *f)
{
	fprintf(f, "usage: ecms %s%s%s\n", e->name, e->usage[0] ? " " : "", e->usage);
	fprintf(f, "\n%s\n", e->summary);
	if (e->help)
		fprintf(f, "\n%s", e->help);
}

static int
list_commands(const char *prefix)
{
	fputs(global_usage, stdout);
	printf("\ncommands:\n");
	for (int i = 0; cmd_table[i]; i++) {
		const struct cmd_entry *e = cmd_table[i];
		if (prefix && strncmp(e->name, prefix, strlen(prefix)) != 0)
			continue;
		printf("  %-20s %s\n", e->name, e->summary);
	}
	printf("\nexit codes: 0 ok, 1 refused by a rule, 2 usage, 3 bad data, 4 internal\n"
	       "environment: ECMS_DB, ECMS_USER, ECMS_STATION, ECMS_NOW (ISO 8601)\n");
	return 0;
}

static int
help_cmd(int argc, char **argv)
{
	int n;

	if (argc == 0)
		return list_commands(NULL);
	for (int i = 0; cmd_table[i]; i++) {
		if (words_match(cmd_table[i]->name, argc, argv, &n) && n == argc) {
			print_help(cmd_table[i], stdout);
			return 0;
		}
	}
	for (int i = 0; cmd_table[i]; i++)
		if (strncmp(cmd_table[i]->name, argv[0], strlen(argv[0])) == 0 &&
		    cmd_table[i]->name[strlen(argv[0])] == ' ')
			return list_commands(argv[0]);
	fprintf(stderr, "ecms: no command '%s'; see 'ecms help'\n", argv[0]);
	return 2;
}

int
main(int argc, char **argv)
{
	struct cli c = { 0 };
	const char *now = NULL;
	int i = 1, n, rc;

	c.db_path = getenv("ECMS_DB");
	c.user = getenv("ECMS_USER");
	c.station = getenv("ECMS_STATION");
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		if (!strcmp(a, "--version")) {
			printf("ecms %s (schema %d)\n", ECMS_VERSION, ecms_schema_version());
			return 0;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return list_commands(NULL);
		} else if (!strcmp(a, "--db")) {
			dst = &c.db_path;
		} else if (!strcmp(a, "--user")) {
			dst = &c.user;
		} else if (!strcmp(a, "--station")) {
			dst = &c.station;
		} else if (!strcmp(a, "--now")) {
			dst = &now;
		} else {
			fprintf(stderr, "ecms: unknown global option '%s'\n%s", a, global_usage);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "ecms: %s needs a value\n", a);
			return 2;
		}
		*dst = argv[++i];
	}
	if (!c.db_path || !*c.db_path)
		c.db_path = "ecms.db";
	if (now) {
		ecms_error err = { 0 };
		int64_t ms;
		if (ecms_time_parse(now, &ms, &err) != ECMS_OK) {
			fprintf(stderr, "ecms: --now: %s\n%s", err.message, global_usage);
			return 2;
		}
		if (setenv("ECMS_NOW", now, 1) != 0)
			return 4;
	}
	if (i >= argc) {
		fputs(global_usage, stderr);
		return 2;
	}
	if (!strcmp(argv[i], "help"))
		return help_cmd(argc - i - 1, argv + i + 1);
	/* Two-word names first: "kit pick" before "kit". */
	for (int pass = 2; pass >= 1; pass--)
		for (int k = 0; cmd_table[k]; k++) {
			const struct cmd_entry *e = cmd_table[k];
			if (!words_match(e->name, argc - i, argv + i, &n) || n != pass)
				continue;
			for (int j = i + n; j < argc; j++) {
				if (!strcmp(argv[j], "--"))
					break;
				if (!strcmp(argv[j], "--help") || !strcmp(argv[j], "-h")) {
					print_help(e, stdout);
					return 0;
				}
			}
			rc = e->fn(&c, e, argc - i - n + 1, argv + i + n - 1);
			ecms_close(c.h);
			/* Drop cairo's and fontconfig's caches (reports draw text),
			 * so leak checkers see a clean exit. */
			cairo_debug_reset_static_data();
			FcFini();
			return ecms_exit_code(rc);
		}
	/* A family name alone ("ecms part") lists its commands. */
	for (int k = 0; cmd_table[k]; k++) {
		const char *nm = cmd_table[k]->name;
		size_t l = strlen(argv[i]);
		if (!strncmp(nm, argv[i], l) && nm[l] == ' ') {
			fprintf(stderr, "ecms: '%s' needs a subcommand:\n", argv[i]);
			for (int j = k; cmd_table[j]; j++)
				if (!strncmp(cmd_table[j]->name, argv[i], l) &&
				    cmd_table[j]->name[l] == ' ')
					fprintf(stderr, "  ecms %s %s\n", cmd_table[j]->name,
						cmd_table[j]->usage);
			return 2;
		}
	}
	fprintf(stderr, "ecms: unknown command '%s'; see 'ecms help'\n", argv[i]);
	return 2;
}
