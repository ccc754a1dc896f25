/*
 * cli.h: the ecms command-line front end: the command table and the
 * helpers every cli/cmd_*.c shares. Commands hold no logic of their own:
 * they parse arguments, call libecms and print.
 */
#ifndef ECMS_CLI_H
#define ECMS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "ecms/ecms.h"

struct cli {
	const char *db_path; /* --db, $ECMS_DB, else ./ecms.db */
	const char *user;    /* --user, $ECMS_USER */
	const char *station; /* --station, $ECMS_STATION */
	ecms *h;             /* opened by cli_open() */
};

enum {
	CMD_NODB = 1 << 0, /* needs no store */
};

struct cmd_entry {
	const char *name;    /* one or two words: "init", "part show" */
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line for `ecms help` */
	const char *help;    /* options and details for --help, may be NULL */
	unsigned flags;
	/* e is this entry; argv[0] is the last word of the name. Returns
	 * an ecms_rc. */
	int (*fn)(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
};

/* cmd_table.c: every command, in the order `ecms help` lists them. */
extern const struct cmd_entry *const cmd_table[];

/* Open the store named by c->db_path (once) with the actor set. */
int cli_open(struct cli *c);

/* Report an error: "ecms: <message>" on stderr. Returns rc. */
int cli_error(struct cli *c, int rc);
int cli_fail(int rc, const char *fmt, ...) ECMS_PRINTF(2, 3);

/* Print a usage error for a command and return ECMS_EUSAGE. */
int cli_usage(const struct cmd_entry *e, const char *fmt, ...) ECMS_PRINTF(2, 3);

/* Print JSON (takes the reference) to stdout, indented, keys in order. */
int cli_print_json(json_t *j);

/*
 * Parse options: a tiny getopt_long wrapper over a table of long names.
 * Each struct cli_opt names a long option ("json"), whether it takes a
 * value, and where to put it. Positional arguments are gathered into
 * pos (at most npos_max); more, or an unknown option, is a usage error.
 */
struct cli_opt {
	const char *name;
	bool has_arg;
	const char **value; /* for options with a value */
	bool *flag;         /* for flags */
};
int cli_parse(const struct cmd_entry *e, int argc, char **argv, const struct cli_opt *opts,
	      const char **pos, int npos_min, int npos_max, int *npos);

/* Find a command's entry by name (for the usage errors of fn). */
const struct cmd_entry *cli_find(const char *name);

/* Text renderers for JSON results (cli/util.c). */

/* "key: value" lines, aligned; nested arrays/objects compactly. */
void cli_print_record(const json_t *obj);

/* An aligned table of the given columns of an array of objects. */
void cli_print_table(const json_t *arr, const char *const *cols);

/* A JSON scalar as text ("" for null). The result is valid until the
 * next call. */
const char *cli_scalar(const json_t *v);
/* The strings of an array joined by sep ("C25,C26"), "" for none; a
 * malloc'ed string the caller frees (NULL when out of memory). */
char *cli_join(const json_t *arr, const char *sep);
/* Read a secret (no echo on a terminal; else one line of stdin). */
int cli_read_secret(const char *prompt, char *buf, size_t n);

/* Print o (takes the reference) as JSON, or as "key: value" lines. */
int cli_print_or_json(json_t *o, bool json);

/* A whole number >= 0 (a count): true and *v set, else false. */
bool cli_parse_count(const char *s, int64_t *v);

/* Parse the arguments of a command whose only option is --json and that
 * takes exactly npos positional arguments (into pos), then open the
 * store. Returns an ecms_rc (a usage error already reported). */
int cli_parse_json_open(struct cli *c, const struct cmd_entry *e, int argc, char **argv,
			const char **pos, int npos, bool *json);

/* Print l (takes the reference) as JSON, or as a table of cols. */
int cli_print_list(json_t *l, bool json, const char *const *cols);

/* Print a list of findings/reasons [{rule, message}] indented. */
void cli_print_reasons(const json_t *reasons, const char *indent);

#endif
