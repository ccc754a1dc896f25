/*
 * msd_common.c: the one implementation of the msd event commands (open,
 * seal, bake, bake-start, bake-end, bake-abort): they differ only in
 * their options and the event they record.
 */
#include <stdlib.h>
#include <string.h>

#include "msd_common.h"

/* A whole integer in [lo, hi] with an optional trailing '%'. */
static bool
int_arg(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return false;
	v = strtol(s, &end, 10);
	if (*end == '%')
		end++;
	if (end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* --hours: a number of hours, or a duration with its unit. */
static bool
hours_arg(const char *s, int64_t *ms)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%sh", s);
	return ecms_msd_duration_parse(buf, ms, NULL) == ECMS_OK ||
	       ecms_msd_duration_parse(s, ms, NULL) == ECMS_OK;
}

static void
print_summary(const json_t *st, const char *what)
{
	const char *ends = json_string_value(json_object_get(st, "ends_at"));
	const char *reason = json_string_value(json_object_get(st, "reason"));

	printf("%s %s: %s, exposure %s, remaining %s", cli_scalar(json_object_get(st, "uid")), what,
	       cli_scalar(json_object_get(st, "state")),
	       cli_scalar(json_object_get(st, "exposure")),
	       cli_scalar(json_object_get(st, "remaining")));
	if (ends)
		printf(", ends %s", ends);
	printf("\n");
	if (reason && *reason)
		printf("  not usable: %s\n", reason);
}

int
msd_event_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *hic = NULL, *temp = NULL, *hours = NULL, *rh = NULL;
	bool json = false;
	struct cli_opt opts[6] = { { "json", false, NULL, &json } };
	struct ecms_msd_event ev;
	enum ecms_msd_event_type t;
	const char *what;
	json_t *st;
	int n, rc, k = 1, v;

	if (!strcmp(e->name, "msd open")) {
		t = ECMS_MSD_EV_OPEN, what = "opened";
		opts[k++] = (struct cli_opt){ "hic", true, &hic, NULL };
	} else if (!strcmp(e->name, "msd seal")) {
		t = ECMS_MSD_EV_SEAL, what = "sealed";
	} else if (!strcmp(e->name, "msd bake")) {
		t = ECMS_MSD_EV_BAKE, what = "baked";
		opts[k++] = (struct cli_opt){ "temp", true, &temp, NULL };
		opts[k++] = (struct cli_opt){ "hours", true, &hours, NULL };
		opts[k++] = (struct cli_opt){ "rh", true, &rh, NULL };
	} else if (!strcmp(e->name, "msd bake-start")) {
		t = ECMS_MSD_EV_BAKE_START, what = "in the oven";
		opts[k++] = (struct cli_opt){ "temp", true, &temp, NULL };
		opts[k++] = (struct cli_opt){ "rh", true, &rh, NULL };
	} else if (!strcmp(e->name, "msd bake-end")) {
		t = ECMS_MSD_EV_BAKE_END, what = "baked";
	} else {
		t = ECMS_MSD_EV_BAKE_ABORT, what = "bake aborted";
	}
	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	ecms_msd_event_init(&ev, t, 0);
	if (hic) {
		if (!int_arg(hic, 0, 100, &v))
			return cli_usage(e, "--hic: '%s' is not a percentage (0 to 100)", hic);
		ev.hic_pct = v;
	}
	if (rh) {
		if (!int_arg(rh, 0, 100, &v))
			return cli_usage(e, "--rh: '%s' is not a percentage (0 to 100)", rh);
		ev.rh_pct = v;
	}
	if (t == ECMS_MSD_EV_BAKE || t == ECMS_MSD_EV_BAKE_START) {
		if (temp == NULL)
			return cli_usage(e, "--temp C is required");
		if (!int_arg(temp, 1, 400, &v))
			return cli_usage(e, "--temp: '%s' is not a temperature in C (1 to 400)",
					 temp);
		ev.temp_c = v;
	}
	if (t == ECMS_MSD_EV_BAKE) {
		if (hours == NULL)
			return cli_usage(e, "--hours H is required");
		if (!hours_arg(hours, &ev.duration_ms) || ev.duration_ms <= 0)
			return cli_usage(e, "--hours: '%s' is not a duration (7, 7.5, 450min)",
					 hours);
	}
	if ((rc = cli_open(c)))
		return rc;
	ev.at_ms = ecms_now(c->h);
	if ((rc = ecms_msd_record(c->h, pos[0], &ev, &st)))
		return cli_error(c, rc);
	/* A wet HIC: the opening is on record, but the package may not be used. */
	rc = t == ECMS_MSD_EV_OPEN && json_is_true(json_object_get(st, "bake_required")) &&
			     !json_is_true(json_object_get(st, "usable"))
		     ? ECMS_EREFUSED
		     : ECMS_OK;
	if (json) {
		int rc2 = cli_print_json(json_incref(st));
		json_decref(st);
		return rc ? rc : rc2;
	}
	if (rc) {
		printf("%s opened\n", cli_scalar(json_object_get(st, "uid")));
		fflush(stdout);
		cli_fail(rc, "refused: %s: %s", cli_scalar(json_object_get(st, "uid")),
			 cli_scalar(json_object_get(st, "reason")));
	} else {
		print_summary(st, what);
	}
	json_decref(st);
	return rc;
}
