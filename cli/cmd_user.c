/*
 * cmd_user.c: `ecms user passwd USER [--pin]`: set a user's password or
 * badge PIN (stored as an Argon2id hash).
 */
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ecms/auth.h"

static int passwd_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_user_passwd_entry = {
	"user passwd",
	"USER [--pin]",
	"set a user's password (or with --pin, badge PIN), read without echo",
	"On a terminal the secret is asked twice; from a pipe one line is read.\n",
	0,
	passwd_fn,
};

static int
passwd_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool pin = false;
	const struct cli_opt opts[] = { { "pin", false, NULL, &pin }, { NULL } };
	char a[300], b[300];
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = cli_read_secret(pin ? "new PIN: " : "new password: ", a, sizeof(a))))
		return rc;
	if (isatty(0)) {
		if ((rc = cli_read_secret("again: ", b, sizeof(b))))
			return rc;
		if (strcmp(a, b) != 0)
			return cli_fail(ECMS_EINVAL, "the two entries differ");
	}
	rc = ecms_auth_set(c->h, pos[0], pin ? ECMS_SECRET_PIN : ECMS_SECRET_PASSWORD, a);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	if (rc)
		return cli_error(c, rc);
	printf("%s of %s set\n", pin ? "PIN" : "password", pos[0]);
	return ECMS_OK;
}
