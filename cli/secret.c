/*
 * secret.c: reading a password or PIN: from the terminal without echo,
 * or one line from standard input when it is not a terminal (scripts,
 * tests, a badge reader).
 */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

int
cli_read_secret(const char *prompt, char *buf, size_t n)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t len;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)n, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (len == 0)
		return cli_fail(ECMS_EAUTH, "no secret given on %s",
				tty ? "the terminal" : "standard input");
	return ECMS_OK;
}
