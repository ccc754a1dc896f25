/*
 * routes.c: the route table of `ecms serve` (what is served, by which
 * handler, to which roles) and the matcher. docs/openapi.json documents
 * exactly these routes; tests/unit/test_routes.c checks that, and walks
 * every route with every role against the roles column below.
 */
#include <string.h>

#include "server.h"

const char *const srv_role_names[] = { "admin",  "qa",       "warehouse", "operator",
				       "viewer", "customer", NULL };

/* Who may do what. STAFF: the factory's own people (not the customer
 * portal). QA decides quarantine (and signs); the stores (warehouse)
 * receive, move and kit; operators move, kit and handle MSDs at the line. */
#define ADMIN    SRV_ADMIN
#define ADMIN_QA (SRV_ADMIN | SRV_QA)
#define QA       SRV_QA
#define STAFF    SRV_STAFF
#define ANYONE   SRV_ANYONE
#define CUSTOMER SRV_CUSTOMER
#define RECEIVE  (SRV_ADMIN | SRV_QA | SRV_WAREHOUSE)
#define INSPECT  (SRV_ADMIN | SRV_QA | SRV_WAREHOUSE)
#define STORES   (SRV_ADMIN | SRV_WAREHOUSE | SRV_OPERATOR)
#define MSD      (SRV_ADMIN | SRV_QA | SRV_WAREHOUSE | SRV_OPERATOR)
#define PUBLIC   SRV_PUBLIC
#define RAW      SRV_RAW
#define SCOPED   SRV_SCOPED
#define SELF     SRV_SELF
#define P        "/api/v1"
#define PKG      P "/packages/{uid}"
#define MACH     P "/machines/{machine}"
#define SHIP     (SRV_ADMIN | SRV_WAREHOUSE)
#define LINE     (SRV_ADMIN | SRV_OPERATOR) /* the line's integrations (tokens) */
#define REWORK   (SRV_ADMIN | SRV_QA | SRV_OPERATOR)

/* clang-format off */
const struct srv_route srv_routes[] = {
	/* method  path                handler          roles     flags   arg   summary, owner */
	{ "GET",    "/healthz",            h_healthz,       0,        PUBLIC, NULL,
	  "liveness: the store opens and answers" },
	{ "GET",    "/metrics",            h_metrics,       0,        PUBLIC, NULL,
	  "Prometheus metrics" },
	{ "GET",    "/",                   h_web,           0,        PUBLIC, "index.html",
	  "the web UI" },
	{ "GET",    "/web/{file}",         h_web,           0,        PUBLIC, NULL,
	  "a file of the web UI (HTML, CSS, JavaScript modules)" },
	{ "POST",   P "/login",            h_login,         0,        PUBLIC, NULL,
	  "log in with user ID and password: session cookie and CSRF token" },
	{ "POST",   P "/logout",           h_logout,        ANYONE,   SELF,   NULL,
	  "end the cookie session" },
	{ "GET",    P "/me",               h_me,            ANYONE,   SELF,   NULL,
	  "who the caller is" },
	{ "GET",    P "/tokens",           h_tokens_list,   ADMIN,    0,      NULL,
	  "list API tokens (no secrets)" },
	{ "POST",   P "/tokens",           h_tokens_create, ADMIN,    0,      NULL,
	  "create an API token (its secret is shown once)" },
	{ "DELETE", P "/tokens/{id}",      h_tokens_revoke, ADMIN,    0,      NULL,
	  "revoke an API token" },
	{ "POST",   P "/labels/parse",     h_label_parse,   STAFF,    0,      NULL,
	  "read a supplier label scan (EIGP 114, GS1, LCSC, TME)" },
	{ "GET",    P "/parts",            h_md_list,       STAFF,    0,      "part",
	  "list parts (?category=)" },
	{ "GET",    P "/parts/{ipn}",      h_md_get,        STAFF,    0,      "part",
	  "one part with its approved manufacturer list" },
	{ "GET",    P "/manufacturers",    h_md_list,       STAFF,    0,      "manufacturer",
	  "list manufacturers" },
	{ "GET",    P "/manufacturers/{name}", h_md_get,    STAFF,    0,      "manufacturer",
	  "one manufacturer" },
	{ "GET",    P "/suppliers",        h_md_list,       STAFF,    0,      "supplier",
	  "list suppliers (?status=)" },
	{ "GET",    P "/suppliers/{id}",   h_md_get,        STAFF,    0,      "supplier",
	  "one supplier" },
	{ "GET",    P "/locations",        h_md_list,       STAFF,    0,      "location",
	  "list locations (?parent=)" },
	{ "GET",    P "/locations/{id}",   h_md_get,        STAFF,    0,      "location",
	  "one location" },
	{ "GET",    P "/users",            h_md_list,       ADMIN,    0,      "user",
	  "list users (?role=)" },
	{ "GET",    P "/users/{id}",       h_md_get,        ADMIN,    0,      "user",
	  "one user" },
	{ "POST",   P "/import/{kind}",    h_import,        ADMIN,    RAW,    NULL,
	  "import master data from CSV or JSON text (all or nothing)" },
	{ "GET",    P "/log",              h_log,           ADMIN_QA, 0,      NULL,
	  "read the event log (?since=&type=&limit=)" },
	{ "GET",    P "/audit/verify",     h_audit_verify,  ADMIN_QA, 0,      NULL,
	  "recompute the event log's hash chain" },

	/* Receiving and quarantine (h_receiving.c) */
	{ "GET",    P "/pos",              h_po_list,       STAFF,    0,      NULL,
	  "list purchase orders (?status=open|partial|closed)" },
	{ "GET",    P "/pos/{po}",         h_po_get,        STAFF,    0,      NULL,
	  "one purchase order with its lines and quantities received" },
	{ "POST",   P "/receipts",         h_receive,       RECEIVE,  0,      NULL,
	  "receive a package from its supplier-label scan: accepted or quarantined" },
	{ "GET",    P "/quarantine",       h_quarantine,    STAFF,    0,      NULL,
	  "packages waiting in quarantine, oldest first, with reasons" },
	{ "GET",    PKG,                   h_package_get,   STAFF,    0,      NULL,
	  "a package: data, findings, inspections, decisions, history" },
	{ "GET",    PKG "/label",          h_package_label, STAFF,    0,      NULL,
	  "the package's UID label (?format=png|svg|zpl)" },
	{ "POST",   PKG "/inspect",        h_inspect,       INSPECT,  0,      NULL,
	  "record an incoming inspection: pass or fail" },
	{ "POST",   PKG "/release",        h_decide,        QA,       0,      "release",
	  "release a package from quarantine (signed: password or badge and PIN)" },
	{ "POST",   PKG "/reject",         h_decide,        QA,       0,      "reject",
	  "reject a quarantined package: return or scrap (signed)" },

	/* Storage (h_warehouse.c) */
	{ "POST",   P "/moves",            h_move,          STORES,   0,      NULL,
	  "move a package (scan) to a location (scan)" },
	{ "POST",   PKG "/split",          h_split,         STORES,   0,      NULL,
	  "split parts off a package into a new child package" },
	{ "POST",   PKG "/count",          h_count,         STORES,   0,      NULL,
	  "record the remaining count of a package back from the line" },
	{ "POST",   PKG "/scrap",          h_scrap,         SRV_ADMIN | SRV_QA | SRV_WAREHOUSE, 0,
	  NULL, "scrap a package" },
	{ "GET",    P "/stock",            h_stock,         STAFF,    0,      NULL,
	  "stock per part by status (?ipn=&location=)" },
	{ "GET",    P "/alerts",           h_alerts,        STAFF,    0,      NULL,
	  "what needs attention (?days=&quarantine_days=&msd_hours=)" },

	/* Production: work orders, kitting, reorder (h_production.c) */
	{ "GET",    P "/work-orders",      h_wo_list,       STAFF | CUSTOMER, SCOPED, NULL,
	  "list work orders (?status=); a customer sees its own" },
	{ "GET",    P "/work-orders/{id}", h_wo_get,        STAFF | CUSTOMER, 0, NULL,
	  "one work order; a customer only its own", "work_order:id" },
	{ "GET",    P "/work-orders/{id}/boards", h_board_list, STAFF | CUSTOMER, 0, NULL,
	  "the boards of a work order (?status=); a customer only its own", "work_order:id" },
	{ "GET",    P "/boards/{serial}",  h_board_get,     STAFF | CUSTOMER, 0, NULL,
	  "one board: work order, panel, status, hold, route; a customer only its own",
	  "board:serial" },
	{ "GET",    P "/work-orders/{id}/kit", h_kit_list,  STAFF,    0,      NULL,
	  "the kit list of a work order: needed, picked, packages to pick" },
	{ "POST",   P "/work-orders/{id}/picks", h_kit_pick, STORES,  0,      NULL,
	  "pick a package (scan) for a work order" },
	{ "GET",    P "/reorder",          h_reorder,       STAFF,    0,      NULL,
	  "reorder suggestions with their arithmetic" },

	/* Moisture-sensitive devices (h_msd.c) */
	{ "GET",    PKG "/msd",            h_msd_status,    STAFF,    0,      NULL,
	  "a package's floor life: state, exposure, remaining, usable" },
	{ "POST",   PKG "/msd/open",       h_msd_event,     MSD,      0,      "open",
	  "record the opening of the dry bag (?hic in the body)" },
	{ "POST",   PKG "/msd/seal",       h_msd_event,     MSD,      0,      "seal",
	  "record the package re-sealed in a dry bag" },
	{ "POST",   PKG "/msd/bake",       h_msd_event,     MSD,      0,      "bake",
	  "record a finished bake (temp_c, hours, rh_pct)" },
	{ "POST",   PKG "/msd/bake-start", h_msd_event,     MSD,      0,      "bake-start",
	  "record a package going into the oven" },
	{ "POST",   PKG "/msd/bake-end",   h_msd_event,     MSD,      0,      "bake-end",
	  "record the end of a running bake" },
	{ "POST",   PKG "/msd/bake-abort", h_msd_event,     MSD,      0,      "bake-abort",
	  "take a package out of the oven without a valid bake" },
	{ "GET",    P "/msd/expiring",     h_msd_expiring,  STAFF,    0,      NULL,
	  "packages whose floor life has ended or ends soon (?within=8h)" },

	/* Placement programs and the feeder setup interlock (h_setup.c) */
	{ "POST",   P "/programs",         h_program_import, ADMIN,   RAW,    NULL,
	  "import placement programs from CSV text (all or nothing; ?complete=yes)" },
	{ "GET",    P "/programs",         h_program_list,  STAFF,    0,      NULL,
	  "list placement programs (?machine=)" },
	{ "GET",    P "/programs/{program}", h_program_get, STAFF,    0,      NULL,
	  "one placement program: slot, part, refdes (?machine=)" },
	{ "POST",   MACH "/program",       h_setup_activate, STORES,  0,      NULL,
	  "changeover: the program a machine runs from now on (for a work order)" },
	{ "GET",    MACH "/setup",         h_setup_show,    STAFF,    0,      NULL,
	  "a machine's setup: active program, what is on every slot" },
	{ "GET",    MACH "/setup/check",   h_setup_check,   STAFF,    0,      NULL,
	  "check the whole live setup of a machine against its program" },
	{ "POST",   MACH "/setup/verify",  h_setup_verify,  STAFF,    0,      NULL,
	  "would a reel (scan) be GO on a slot now? The verdict; records nothing" },
	{ "POST",   MACH "/setup/load",    h_setup_load,    STORES,   0,      "load",
	  "load a reel (scan) on a slot: GO, or NO-GO with the reason (409)" },
	{ "POST",   MACH "/setup/splice",  h_setup_load,    STORES,   0,      "splice",
	  "splice a reel (scan) onto the one running on a slot: GO or NO-GO (409)" },
	{ "POST",   MACH "/setup/unload",  h_setup_unload,  STORES,   0,      NULL,
	  "take the reel off a slot" },
	{ "GET",    P "/setup/refusals",   h_setup_refusals, STAFF,   0,      NULL,
	  "refused loads and splices, newest first (?machine=)" },

	/* CFX from the line (h_cfx.c) */
	{ "POST",   P "/cfx",              h_cfx_ingest,    LINE,     RAW,    NULL,
	  "ingest CFX messages: one envelope, an array, NDJSON, or gzip of them" },
	{ "GET",    P "/cfx/rejected",     h_cfx_rejected,  STAFF,    0,      NULL,
	  "CFX messages rejected at ingestion, oldest first" },
	{ "GET",    P "/cfx/faults",       h_cfx_faults,    STAFF,    0,      NULL,
	  "faults the machines reported (?machine=)" },

	/* Traceability, recall, shipping, rework (h_trace.c) */
	{ "GET",    P "/boards/{serial}/trace", h_trace_board, STAFF | CUSTOMER, 0, NULL,
	  "backward trace of a board: lot, date code, supplier, PO, CoC of every refdes; a "
	  "customer only its own", "board:serial" },
	{ "GET",    P "/trace/lot",        h_trace_forward, STAFF,    0,      "lot",
	  "forward trace of a lot to every board (?lot=&mpn=)" },
	{ "GET",    P "/trace/reel/{uid}", h_trace_forward, STAFF,    0,      "reel",
	  "forward trace of a package (reel) to every board" },
	{ "GET",    P "/trace/datecode",   h_trace_forward, STAFF,    0,      "datecode",
	  "forward trace of an MPN's date codes (?mpn=&from=YYWW&to=YYWW)" },
	{ "GET",    P "/trace/supplier/{supplier}", h_trace_forward, STAFF, 0, "supplier",
	  "forward trace of a supplier's deliveries in a window (?from=&to=)" },
	{ "GET",    P "/trace/coc/{coc}",  h_trace_forward, STAFF,    0,      "coc",
	  "forward trace of the packages a certificate of conformance covers" },
	{ "GET",    P "/recalls/preview",  h_recall_preview, ADMIN_QA, 0,     NULL,
	  "what a recall of a lot would find and contain; changes nothing (?lot=&mpn=)" },
	{ "POST",   P "/recalls",          h_recall_apply,  QA,       0,      NULL,
	  "apply a recall of a lot: packages and boards on hold (signed)" },
	{ "GET",    P "/recalls",          h_recall_list,   ADMIN_QA, 0,      NULL,
	  "the recalls applied, newest first" },
	{ "GET",    P "/recalls/{id}",     h_recall_get,    ADMIN_QA, 0,      NULL,
	  "one recall as it was found when applied" },
	{ "GET",    P "/recalls/{id}/notice", h_recall_notice_csv, ADMIN_QA, 0, NULL,
	  "the customer notice of a recall as CSV, one row per board" },
	{ "GET",    P "/recall-notices",   h_recall_notices, STAFF | CUSTOMER, SCOPED, NULL,
	  "every recall as it concerns each customer; a customer sees its own" },
	{ "POST",   P "/shipments",        h_ship,          SHIP,     0,      NULL,
	  "ship boards (serials or a work order's completed ones) to a customer" },
	{ "GET",    P "/shipments/{id}",   h_shipment_get,  STAFF,    0,      NULL,
	  "one shipment: customer, reference, boards" },
	{ "POST",   P "/boards/{serial}/rework", h_rework,  REWORK,   0,      NULL,
	  "replace the component at a refdes of a board with one from a reel" },

	/* Reports (h_report.c) */
	{ "GET",    P "/boards/{serial}/certificate", h_report, STAFF | CUSTOMER, 0, "certificate",
	  "the birth certificate of a board (?format=html|pdf|json); a customer only its own",
	  "board:serial" },
	{ "GET",    P "/work-orders/{id}/package", h_report, STAFF | CUSTOMER, 0, "package",
	  "the traceability package of a work order (?format=zip|pdf); a customer only its own",
	  "work_order:id" },
	{ "GET",    P "/work-orders/{id}/compliance", h_report, STAFF, 0, "compliance-wo",
	  "the compliance report of a work order (?format=html|pdf|json)" },
	{ "GET",    P "/boards/{serial}/compliance", h_report, STAFF, 0, "compliance-board",
	  "the compliance report of a board (?format=html|pdf|json)" },
	{ "GET",    P "/recalls/{id}/report", h_report, ADMIN_QA, 0,  "recall",
	  "the customer notice of a recall as a document (?format=html|pdf|json)" },
};
/* clang-format on */

const int srv_nroutes = (int)(sizeof(srv_routes) / sizeof(srv_routes[0]));

unsigned
srv_role_bit(const char *role)
{
	for (int i = 0; role && srv_role_names[i]; i++)
		if (strcmp(srv_role_names[i], role) == 0)
			return 1u << i;
	return 0;
}

bool
srv_route_allows(const struct srv_route *r, const char *role)
{
	if (r->flags & SRV_PUBLIC)
		return true;
	return (r->roles & srv_role_bit(role)) != 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
srv_pct_decode(const char *in, size_t n, bool plus, char *out, size_t outn)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= n)
				return false;
			hi = hexval(in[i + 1]);
			lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return false;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		} else if (c == '\0') {
			return false;
		}
		if (o + 1 >= outn)
			return false;
		out[o++] = c;
	}
	if (outn == 0)
		return false;
	out[o] = '\0';
	return true;
}

/* Match a path against a pattern, collecting {name} segments into p. */
static bool
match_path(const char *pat, const char *path, struct srv_params *p)
{
	p->n = 0;
	if (*path != '/')
		return false;
	while (*pat && *path) {
		size_t pl, sl;

		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		pl = strcspn(pat, "/");
		sl = strcspn(path, "/");
		if (pl > 2 && pat[0] == '{' && pat[pl - 1] == '}') {
			size_t nl = pl - 2;
			if (sl == 0 || p->n == SRV_MAX_PARAMS || nl >= sizeof(p->name[0]))
				return false;
			memcpy(p->name[p->n], pat + 1, nl);
			p->name[p->n][nl] = '\0';
			if (!srv_pct_decode(path, sl, false, p->value[p->n], SRV_PARAM_MAX))
				return false;
			p->n++;
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return false;
		}
		pat += pl;
		path += sl;
	}
	return *pat == '\0' && *path == '\0';
}

static void
allow_add(char *allow, size_t n, const char *method)
{
	size_t l = strlen(allow), ml = strlen(method);
	const char *p = allow;

	/* Already listed? */
	while ((p = strstr(p, method)) != NULL) {
		if ((p == allow || p[-1] == ' ') && (p[ml] == ',' || p[ml] == '\0'))
			return;
		p += ml;
	}
	if (l + ml + 3 > n)
		return;
	if (l) {
		memcpy(allow + l, ", ", 2);
		l += 2;
	}
	memcpy(allow + l, method, ml + 1);
}

int
srv_route_match(const char *method, const char *path, struct srv_params *p, char *allow,
		size_t allow_size)
{
	bool head = strcmp(method, "HEAD") == 0, path_seen = false;
	struct srv_params tmp;

	if (allow_size)
		allow[0] = '\0';
	for (int i = 0; i < srv_nroutes; i++) {
		const struct srv_route *r = &srv_routes[i];
		if (!match_path(r->path, path, &tmp))
			continue;
		if (strcmp(r->method, method) == 0 || (head && strcmp(r->method, "GET") == 0)) {
			*p = tmp;
			return i;
		}
		path_seen = true;
		if (allow_size) {
			allow_add(allow, allow_size, r->method);
			if (strcmp(r->method, "GET") == 0)
				allow_add(allow, allow_size, "HEAD");
		}
	}
	p->n = 0;
	return path_seen ? SRV_NO_METHOD : SRV_NO_ROUTE;
}
