/*
 * cmd_label.c: `ecms label parse`: read a supplier-label scan (argument or
 * standard input) with libecms and print what it holds, as a table or JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/station.h"
#include "ecms/label.h"

static int label_parse_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_label_parse_entry = {
	"label parse",
	"[--json] [--gs C] [--rs C] [SCAN | -]",
	"read a supplier label scan (EIGP 114, GS1, LCSC, TME)",
	"Reads the scan given as argument or, with '-' or no argument, from\n"
	"standard input byte for byte (one trailing newline is dropped).\n"
	"Recognises ISO/IEC 15434 format 06 (ECIA EIGP 114: Digi-Key, Mouser,\n"
	"Farnell...), GS1 (raw or '(01)...(17)...'), LCSC '{k:v,...}' and TME QR\n"
	"and DataMatrix codes. Scanner quirks are repaired and listed as warnings;\n"
	"an unreadable scan exits with 3 and says why.\n"
	"\n"
	"  --json   print JSON: the named fields (null when absent), 'fields'\n"
	"           (every identifier as read) and 'warnings'\n"
	"  --gs C   the character a keyboard-wedge scanner types for GS (e.g. ']')\n"
	"  --rs C   the character it types for RS (e.g. '^'); C followed by 'd' or\n"
	"           'D' at the end is the RS EOT trailer\n"
	"\n"
	"A scanning station can set its defaults with 'ecms station set' (used with\n"
	"--station) or in $ECMS_SCAN_GS and $ECMS_SCAN_RS.\n",
	CMD_NODB,
	label_parse_fn,
};

/* Largest input read from stdin; the library refuses more than its maximum. */
#define STDIN_MAX ((size_t)ECMS_LABEL_MAX_SCAN + 16)

/* Read all of stdin (at most STDIN_MAX + 1 bytes) into a malloc'd buffer. */
static int
read_stdin(char **out, size_t *len)
{
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap), *nb;

	if (buf == NULL)
		return cli_fail(ECMS_ENOMEM, "out of memory");
	while ((r = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += r;
		if (n > STDIN_MAX)
			break;
		if (n == cap) {
			cap *= 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				return cli_fail(ECMS_ENOMEM, "out of memory");
			}
			buf = nb;
		}
	}
	if (ferror(stdin)) {
		free(buf);
		return cli_fail(ECMS_EIO, "reading standard input failed");
	}
	*out = buf;
	*len = n;
	return ECMS_OK;
}

/* One separator substitute from an option or the environment. */
static int
sub_char(const char *what, const char *v, char *out)
{
	if (v == NULL || *v == '\0')
		return ECMS_OK;
	if (strlen(v) != 1)
		return cli_usage(cli_find("label parse"), "%s: '%s' is not a single character",
				 what, v);
	*out = v[0];
	return ECMS_OK;
}

/* Print a value with control characters made visible. */
static void
print_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == 0x1d)
			fputs("<GS>", stdout);
		else if (c == 0x1e)
			fputs("<RS>", stdout);
		else if (c == 0x04)
			fputs("<EOT>", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("<0x%02X>", c);
		else
			putchar(c);
	}
}

static void
print_table(const ecms_label *l)
{
	char buf[ECMS_LABEL_NUMBUF];

	for (size_t i = 0; ecms_label_names[i]; i++) {
		const char *v = ecms_label_get(l, ecms_label_names[i], buf);
		if (v == NULL)
			continue;
		printf("%-16s", ecms_label_names[i]);
		print_value(v);
		putchar('\n');
	}
	for (size_t i = 0; i < l->nwarnings; i++) {
		fputs("warning: ", stdout);
		print_value(l->warnings[i]);
		putchar('\n');
	}
}

static int
label_parse_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *gs = NULL, *rs = NULL, *pos[1];
	bool json = false;
	struct cli_opt opts[] = {
		{ "json", false, NULL, &json },
		{ "gs", true, &gs, NULL },
		{ "rs", true, &rs, NULL },
		{ NULL, false, NULL, NULL },
	};
	ecms_label_opts lo = { 0, 0 };
	ecms_label *l = NULL;
	ecms_error err;
	char *input = NULL, *text = NULL;
	const char *scan;
	size_t len = 0;
	int n, rc;

	rc = cli_parse(e, argc, argv, opts, pos, 0, 1, &n);
	/* A named station's stored settings come first; the environment and
	 * the options override them. */
	if (rc == ECMS_OK && c->station && *c->station) {
		if ((rc = cli_open(c)) == ECMS_OK &&
		    (rc = ecms_station_opts(c->h, c->station, &lo)))
			cli_error(c, rc);
	}
	if (rc == ECMS_OK)
		rc = sub_char("ECMS_SCAN_GS", getenv("ECMS_SCAN_GS"), &lo.gs_sub);
	if (rc == ECMS_OK)
		rc = sub_char("ECMS_SCAN_RS", getenv("ECMS_SCAN_RS"), &lo.rs_sub);
	if (rc == ECMS_OK)
		rc = sub_char("--gs", gs, &lo.gs_sub);
	if (rc == ECMS_OK)
		rc = sub_char("--rs", rs, &lo.rs_sub);
	if (rc)
		return rc;
	if (n == 0 || !strcmp(pos[0], "-")) {
		rc = read_stdin(&input, &len);
		if (rc)
			return rc;
		/* One trailing newline (LF or CR LF) is how the scan was delivered. */
		if (len > 0 && input[len - 1] == '\n') {
			len--;
			if (len > 0 && input[len - 1] == '\r')
				len--;
		}
		scan = input;
	} else {
		scan = pos[0];
		len = strlen(scan);
	}
	ecms_error_clear(&err);
	rc = ecms_label_parse(scan, len, &lo, &l, &err);
	free(input);
	if (rc)
		return rc == ECMS_EUSAGE
			       ? cli_usage(e, "%s", err.message)
			       : cli_fail(rc, "%s",
					  err.message[0] ? err.message : ecms_strerror(rc));
	if (json) {
		rc = ecms_label_to_json(l, true, &text);
		if (rc == ECMS_OK)
			printf("%s\n", text);
		else
			cli_fail(rc, "out of memory");
		ecms_free(text);
	} else {
		print_table(l);
	}
	ecms_label_free(l);
	(void)c;
	return rc;
}
