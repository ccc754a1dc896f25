/*
 * cmd_receive.c: `ecms receive`: scan a supplier label at goods-in and get
 * the verdict: accepted (with its UID label) or quarantined with reasons.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ecms/labelprint.h"
#include "ecms/receiving.h"

static int receive_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_receive_entry = {
	"receive",
	"--po PO --scan LABEL|- [--coc ID] [--location LOC] [--gs C] [--rs C] "
	"[--label-dir DIR] [--json]",
	"receive a package: parse its label, inspect it, accept or quarantine",
	"--scan LABEL  the scanned supplier label; '-' reads it from standard input\n"
	"              byte for byte (one trailing newline is dropped)\n"
	"--coc ID      link this CoC (else one on file for the MPN and lot is linked)\n"
	"--location L  where an accepted package goes (default: the receiving area)\n"
	"--gs C --rs C scanner separator substitutes (default: the --station's)\n"
	"--label-dir D where the UID label (ZPL) is written (default ./labels)\n"
	"Exit 0 when received (accepted or quarantined: see the status), 1 when\n"
	"refused (over-receipt), 3 for an unreadable label or unknown PO/CoC.\n",
	0,
	receive_fn,
};

static int
write_label(const json_t *r, const char *dir, char *path, size_t n)
{
	struct ecms_package_label pl = { 0 };
	unsigned char *data;
	size_t len;
	ecms_error err;
	FILE *f;
	int rc;

	pl.uid = json_string_value(json_object_get(r, "uid"));
	pl.ipn = json_string_value(json_object_get(r, "ipn"));
	pl.mpn = json_string_value(json_object_get(r, "mpn"));
	pl.manufacturer = json_string_value(json_object_get(r, "manufacturer"));
	pl.lot = json_string_value(json_object_get(r, "lot"));
	pl.date_code = json_string_value(json_object_get(r, "date_code"));
	pl.quantity = json_integer_value(json_object_get(r, "quantity"));
	pl.msl = json_string_value(json_object_get(r, "msl"));
	pl.received_ms = json_integer_value(json_object_get(r, "received_ms"));
	if ((rc = ecms_label_render_package(&pl, ECMS_LABEL_ZPL, &data, &len, &err)))
		return cli_fail(rc, "label: %s", err.message);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		ecms_free(data);
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	}
	snprintf(path, n, "%s/%s.zpl", dir, pl.uid);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		ecms_free(data);
		return cli_fail(ECMS_EIO, "%s: cannot write", path);
	}
	ecms_free(data);
	return ECMS_OK;
}

static int
receive_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *po = NULL, *scan = NULL, *coc = NULL, *loc = NULL, *gs = NULL, *rs = NULL;
	const char *dir = "labels", *pos[1];
	bool json = false;
	const struct cli_opt opts[] = {
		{ "po", true, &po, NULL },
		{ "scan", true, &scan, NULL },
		{ "coc", true, &coc, NULL },
		{ "location", true, &loc, NULL },
		{ "gs", true, &gs, NULL },
		{ "rs", true, &rs, NULL },
		{ "label-dir", true, &dir, NULL },
		{ "json", false, NULL, &json },
		{ NULL },
	};
	ecms_receive_req req = { 0 };
	char *buf = NULL, path[1024] = "";
	json_t *r;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (!po || !scan)
		return cli_usage(e, "--po and --scan are required");
	if ((gs && strlen(gs) != 1) || (rs && strlen(rs) != 1))
		return cli_usage(e, "--gs and --rs take one character");
	if (strcmp(scan, "-") == 0) {
		size_t cap = 65536, len = fread(buf = malloc(cap), 1, cap - 1, stdin);
		if (len && buf[len - 1] == '\n')
			len--;
		if (len && buf[len - 1] == '\r')
			len--;
		req.scan = buf;
		req.scan_len = len;
	} else {
		req.scan = scan;
		req.scan_len = strlen(scan);
	}
	req.po = po;
	req.coc = coc;
	req.location = loc;
	req.gs_sub = gs ? gs[0] : 0;
	req.rs_sub = rs ? rs[0] : 0;
	if ((rc = cli_open(c))) {
		free(buf);
		return rc;
	}
	rc = ecms_receive(c->h, &req, &r);
	free(buf);
	if (rc)
		return cli_error(c, rc);
	if ((rc = write_label(r, dir, path, sizeof(path)))) {
		json_decref(r);
		return rc;
	}
	json_object_set_new(r, "label_file", json_string(path));
	if (json)
		return cli_print_json(r);
	printf("%s %s  %s %s lot %s qty %lld -> %s\n", json_string_value(json_object_get(r, "uid")),
	       strcmp(json_string_value(json_object_get(r, "status")), "accepted") == 0
		       ? "ACCEPTED"
		       : "QUARANTINED",
	       cli_scalar(json_object_get(r, "ipn")), cli_scalar(json_object_get(r, "mpn")),
	       cli_scalar(json_object_get(r, "lot")),
	       (long long)json_integer_value(json_object_get(r, "quantity")),
	       cli_scalar(json_object_get(r, "location")));
	cli_print_reasons(json_object_get(r, "reasons"), "  ");
	printf("  label: %s\n", path);
	json_decref(r);
	return ECMS_OK;
}
