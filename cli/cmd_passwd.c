/*
 * cmd_passwd.c: `ecms user passwd USER [--pin]`: set a user's password
 * (or badge PIN), read from standard input, never from the command line.
 */
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "ecms/auth.h"

static int passwd_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_user_passwd_entry = {
	"user passwd",
	"USER [--pin]",
	"set a user's password (or badge PIN), read from standard input",
	"The secret is the first line of standard input (on a terminal it is asked\n"
	"for without echo). A password has 8 to 256 characters; with --pin, a PIN has\n"
	"4 to 8 digits. It is stored as an Argon2id hash, recorded as an event without\n"
	"the secret.\n",
	0,
	passwd_fn,
};

/* Read one line from stdin without its newline (caller frees). */
static char *
read_secret(bool pin)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		fprintf(stderr, "%s: ", pin ? "PIN" : "password");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static int
passwd_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool pin = false;
	const struct cli_opt opts[] = { { "pin", false, NULL, &pin }, { NULL } };
	char *secret;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if ((rc = cli_open(c)))
		return rc;
	if ((secret = read_secret(pin)) == NULL)
		return cli_fail(ECMS_EUSAGE, "no %s on standard input", pin ? "PIN" : "password");
	rc = ecms_auth_set(c->h, pos[0], pin ? ECMS_SECRET_PIN : ECMS_SECRET_PASSWORD, secret);
	explicit_bzero(secret, strlen(secret));
	free(secret);
	if (rc)
		return cli_error(c, rc);
	printf("%s: %s set\n", pos[0], pin ? "PIN" : "password");
	return ECMS_OK;
}
