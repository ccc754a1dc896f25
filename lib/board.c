/*
 * board.c: serialised boards: serial allocation per work order (with
 * panels), the route stations report, status transitions and holds.
 * The projections are `boards` and `board_route` (008_boards.sql).
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "event.h"
#include "master.h"

static const char *const statuses[] = {
	"planned", "wip", "completed", "scrapped", "shipped", NULL
};

int
ecms_board_status_valid(const char *s)
{
	for (int i = 0; s && statuses[i]; i++)
		if (strcmp(statuses[i], s) == 0)
			return 1;
	return 0;
}

static int
valid_serial(ecms *h, const char *serial)
{
	size_t n = serial ? strlen(serial) : 0;

	if (n == 0 || n > ECMS_BOARD_SERIAL_MAX)
		return ecms__ctxfail(h, ECMS_EINVAL, "serial",
				     "a board serial is 1 to %d characters", ECMS_BOARD_SERIAL_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)serial[i] <= ' ' || serial[i] == 0x7f)
			return ecms__ctxfail(h, ECMS_EINVAL, "serial",
					     "board serial '%s' has a space or control character",
					     serial);
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Allocation
 * ------------------------------------------------------------------ */

int
ecms_board_allocate(ecms *h, const char *wo, int64_t n, int64_t per_panel, json_t **out)
{
	int64_t qty, have, next = 0, seq;
	json_t *list = NULL;
	char serial[ECMS_BOARD_SERIAL_MAX + 32], panel[ECMS_BOARD_SERIAL_MAX + 32];
	int rc;

	*out = NULL;
	if (!wo || !*wo)
		return ecms__ctxfail(h, ECMS_EUSAGE, "work_order", "a work order is required");
	if (n <= 0 || n > ECMS_BOARD_ALLOC_MAX)
		return ecms__ctxfail(h, ECMS_EINVAL, "count", "count %lld is not 1 to %d",
				     (long long)n, ECMS_BOARD_ALLOC_MAX);
	if (per_panel < 0 || per_panel > 1000)
		return ecms__ctxfail(h, ECMS_EINVAL, "per_panel",
				     "positions per panel %lld is not 0 to 1000",
				     (long long)per_panel);
	if (strlen(wo) > ECMS_BOARD_SERIAL_MAX - 8)
		return ecms__ctxfail(h, ECMS_EINVAL, "work_order",
				     "work order ID '%s' is too long for serials", wo);
	rc = ecms__query_int(h, &qty, "SELECT qty FROM work_orders WHERE id = ?", "t", wo);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "work_order", "no work order '%s'", wo);
	if (rc)
		return rc;
	if ((rc = ecms__query_int(h, &have, "SELECT COUNT(*) FROM boards WHERE work_order = ?", "t",
				  wo)))
		return rc;
	if (have + n > qty)
		return ecms__ctxfail(h, ECMS_EREFUSED, "count",
				     "work order %s is for %lld boards and has %lld serials; "
				     "%lld more would exceed it",
				     wo, (long long)qty, (long long)have, (long long)n);
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__query_int(h, &next, "SELECT next_no FROM board_counters WHERE work_order = ?",
			     "t", wo);
	if (rc == ECMS_ENOTFOUND) {
		next = 0;
		rc = ECMS_OK;
	}
	if (rc == ECMS_OK)
		rc = ecms__event(h, "board.allocated",
				 json_pack("{s:s,s:I,s:I,s:I}", "work_order", wo, "first",
					   (json_int_t)next + 1, "count", (json_int_t)n,
					   "per_panel", (json_int_t)per_panel),
				 &seq);
	if (rc == ECMS_OK && !(list = json_array()))
		rc = ECMS_ENOMEM;
	for (int64_t i = 0; rc == ECMS_OK && i < n; i++) {
		int64_t no = next + 1 + i, pos = -1;
		json_t *b;

		snprintf(serial, sizeof(serial), "%s-%05lld", wo, (long long)no);
		panel[0] = '\0';
		if (per_panel > 1) {
			pos = (no - 1) % per_panel + 1;
			snprintf(panel, sizeof(panel), "%s-P%04lld", wo,
				 (long long)((no - 1) / per_panel + 1));
		}
		rc = ecms__exec(
			h,
			"INSERT INTO boards (serial, work_order, panel, position, status, "
			"flags, created_ms, updated_seq) VALUES (?, ?, ?, ?, 'planned', '', "
			"?, ?)",
			"tttiii", serial, wo, panel[0] ? panel : NULL, pos < 0 ? 0 : pos,
			ecms_now(h), seq);
		if (rc == ECMS_OK && pos < 0)
			rc = ecms__exec(h, "UPDATE boards SET position = NULL WHERE serial = ?",
					"t", serial);
		if (rc)
			break;
		b = json_pack("{s:s,s:s?,s:o}", "serial", serial, "panel", panel[0] ? panel : NULL,
			      "position", pos < 0 ? json_null() : json_integer(pos));
		if (!b || json_array_append_new(list, b))
			rc = ECMS_ENOMEM;
	}
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO board_counters (work_order, next_no) VALUES (?, ?) "
				"ON CONFLICT (work_order) DO UPDATE SET next_no = excluded.next_no",
				"ti", wo, next + n);
	if (rc == ECMS_EEXIST)
		rc = ecms__ctxfail(h, ECMS_EEXIST, "serial",
				   "serial %s exists already (announced by the line?)", serial);
	rc = ecms__end(h, rc);
	if (rc)
		json_decref(list);
	else
		*out = list;
	return rc;
}

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

static json_t *
time_or_null(ecms__stmt *st, int col)
{
	char buf[ECMS_TIME_LEN];

	if (ecms__col_null(st, col))
		return json_null();
	return json_string(ecms_time_format(ecms__col_int(st, col), buf));
}

static json_t *
text_or_null(ecms__stmt *st, int col)
{
	const char *s = ecms__col_text(st, col);

	return s ? json_string(s) : json_null();
}

static json_t *
flags_array(const char *flags)
{
	json_t *a = json_array();
	const char *p = flags ? flags : "";

	while (a && *p) {
		size_t n = strcspn(p, " ");

		if (n && json_array_append_new(a, json_stringn(p, n))) {
			json_decref(a);
			return NULL;
		}
		p += n;
		p += strspn(p, " ");
	}
	return a;
}

/* A step of the route being put together: where it sorts. */
struct rstep {
	int64_t at_ms;
	int rank; /* on equal times: completed (-1), stored steps (0), started (1) */
	size_t order;
	json_t *j;
};

static int
cmp_rstep(const void *a, const void *b)
{
	const struct rstep *x = a, *y = b;

	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
rstep_add(struct rstep **v, size_t *n, size_t *cap, int64_t at_ms, int rank, json_t *j)
{
	if (!j)
		return ECMS_ENOMEM;
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct rstep *nv = ecms__realloc(*v, nc * sizeof(*nv));

		if (!nv) {
			json_decref(j);
			return ECMS_ENOMEM;
		}
		*v = nv;
		*cap = nc;
	}
	(*v)[*n] = (struct rstep){ at_ms, rank, *n, j };
	(*n)++;
	return ECMS_OK;
}

/*
 * The route of a board: the steps stations reported (board_route) and the
 * CFX work transactions it went through (cfx_tx_serials, cfx_transactions:
 * 014_cfx_seen.sql), each a "started" step (for the units WorkStarted
 * named) and a "completed" one, by time. At the same millisecond a
 * completion comes before, and a start after, the other steps.
 */
static int
board_route(ecms *h, const char *serial, json_t *route)
{
	struct rstep *v = NULL;
	size_t n = 0, cap = 0;
	ecms__stmt *st;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT station, kind, result, operator, at_ms, detail FROM board_route "
		     "WHERE serial = ? ORDER BY at_ms, id",
		     "t", serial);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *detail = json_null();
		const char *d = ecms__col_text(st, 5);

		if (d && !(detail = json_loads(d, 0, NULL)))
			detail = json_string(d);
		rc = rstep_add(&v, &n, &cap, ecms__col_int(st, 4), 0,
			       json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "station",
					 text_or_null(st, 0), "kind", text_or_null(st, 1), "result",
					 text_or_null(st, 2), "operator", text_or_null(st, 3),
					 "time", time_or_null(st, 4), "detail", detail));
		if (rc)
			break;
	}
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		rc = ecms__q(h, &st,
			     "SELECT t.machine, u.status, t.start_ms, t.end_ms, t.result, t.batch, "
			     "t.program, t.revision, t.surface, t.transaction_id, u.started "
			     "FROM cfx_tx_serials u JOIN cfx_transactions t ON t.transaction_id = "
			     "u.transaction_id WHERE u.serial = ? ORDER BY t.start_ms, "
			     "t.transaction_id",
			     "t", serial);
	else if (rc == ECMS__ROW)
		rc = ECMS_ENOMEM;
	if (rc)
		goto out;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		rc = ECMS_OK;
		if (ecms__col_int(st, 10))
			rc = rstep_add(
				&v, &n, &cap, ecms__col_int(st, 2), 1,
				json_pack("{s:o,s:s,s:o,s:n,s:o,s:{s:o,s:o,s:o,s:o,s:o}}",
					  "station", text_or_null(st, 0), "kind", "started",
					  "result", text_or_null(st, 1), "operator", "time",
					  time_or_null(st, 2), "detail", "batch",
					  text_or_null(st, 5), "program", text_or_null(st, 6),
					  "revision", text_or_null(st, 7), "surface",
					  text_or_null(st, 8), "transaction", text_or_null(st, 9)));
		if (rc == ECMS_OK && !ecms__col_null(st, 3))
			rc = rstep_add(&v, &n, &cap, ecms__col_int(st, 3), -1,
				       json_pack("{s:o,s:s,s:o,s:n,s:o,s:{s:o,s:o}}", "station",
						 text_or_null(st, 0), "kind", "completed", "result",
						 text_or_null(st, 4), "operator", "time",
						 time_or_null(st, 3), "detail", "program",
						 text_or_null(st, 6), "transaction",
						 text_or_null(st, 9)));
		if (rc)
			break;
	}
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		rc = ECMS_OK;
	else if (rc == ECMS__ROW)
		rc = ECMS_ENOMEM;
	if (rc == ECMS_OK && n > 1)
		qsort(v, n, sizeof(*v), cmp_rstep);
	for (size_t i = 0; i < n; i++) {
		if (rc == ECMS_OK && json_array_append(route, v[i].j))
			rc = ECMS_ENOMEM;
	}
out:
	for (size_t i = 0; i < n; i++)
		json_decref(v[i].j);
	ecms__free(v);
	return rc;
}

int
ecms_board_get(ecms *h, const char *serial, json_t **out)
{
	ecms__stmt *st;
	json_t *b = NULL, *route = NULL;
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st,
		     "SELECT b.serial, b.work_order, w.customer, w.product, w.rev, b.panel, "
		     "b.position, b.status, b.hold, b.flags, b.created_ms, b.started_ms, "
		     "b.completed_ms, b.shipment, s.shipped_ms, s.customer FROM boards b "
		     "LEFT JOIN work_orders w ON w.id = b.work_order "
		     "LEFT JOIN shipments s ON s.id = b.shipment WHERE b.serial = ?",
		     "t", serial);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		b = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			      "serial", text_or_null(st, 0), "work_order", text_or_null(st, 1),
			      "customer", text_or_null(st, 2), "product", text_or_null(st, 3),
			      "rev", text_or_null(st, 4), "panel", text_or_null(st, 5), "position",
			      ecms__col_null(st, 6) ? json_null()
						    : json_integer(ecms__col_int(st, 6)),
			      "status", text_or_null(st, 7), "hold", text_or_null(st, 8), "flags",
			      flags_array(ecms__col_text(st, 9)), "created", time_or_null(st, 10),
			      "started", time_or_null(st, 11), "completed", time_or_null(st, 12),
			      "shipment", text_or_null(st, 13), "shipped", time_or_null(st, 14),
			      "customer_shipped", text_or_null(st, 15));
		rc = b ? ECMS_OK : ECMS_ENOMEM;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "serial", "no board '%s'", serial);
	}
	ecms__done(h, st);
	if (rc == ECMS_OK && (!(route = json_array()) || json_object_set_new(b, "route", route)))
		rc = ECMS_ENOMEM;
	if (rc == ECMS_OK)
		rc = board_route(h, serial, route);
	if (rc)
		json_decref(b);
	else
		*out = b;
	return rc;
}

static const struct ecms__col list_cols[] = {
	{ "serial", 't' },   { "work_order", 't' }, { "panel", 't' },
	{ "position", 'i' }, { "status", 't' },     { "hold", 't' },
};

int
ecms_board_list(ecms *h, const char *wo, const char *status, json_t **out)
{
	ecms__stmt *st;
	json_t *list;
	int rc;

	*out = NULL;
	if (status && !ecms_board_status_valid(status))
		return ecms__ctxfail(h, ECMS_EINVAL, "status",
				     "'%s' is not a board status (planned, wip, completed, "
				     "scrapped, shipped)",
				     status);
	if (!(list = json_array()))
		return ECMS_ENOMEM;
	rc = ecms__q(h, &st,
		     "SELECT serial, work_order, panel, position, status, hold FROM boards "
		     "WHERE (? IS NULL OR work_order = ?) AND (? IS NULL OR status = ?) "
		     "ORDER BY serial",
		     "tttt", wo, wo, status, status);
	if (rc) {
		json_decref(list);
		return rc;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *r = ecms__row_object(st, list_cols, (int)ECMS_ARRAY_LEN(list_cols));

		if (!r || json_array_append_new(list, r)) {
			rc = ECMS_ENOMEM;
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * What the line tells (internal)
 * ------------------------------------------------------------------ */

int
ecms__board_touch(ecms *h, const char *serial, const char *wo, const char *panel, int64_t position,
		  int64_t t_ms, int64_t seq, bool *created)
{
	ecms__stmt *st;
	char *have_wo = NULL;
	bool found = false;
	int64_t one;
	int rc;

	if (created)
		*created = false;
	if ((rc = valid_serial(h, serial)))
		return rc;
	if ((rc = ecms__q(h, &st, "SELECT work_order FROM boards WHERE serial = ?", "t", serial)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *w = ecms__col_text(st, 0);

		found = true;
		if (w && !(have_wo = ecms__strdup(w)))
			rc = ECMS_ENOMEM;
		else
			rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc)
		goto out;
	if (found) {
		if (wo && have_wo && strcmp(wo, have_wo) != 0) {
			rc = ecms__ctxfail(h, ECMS_EINVAL, "work_order",
					   "board %s belongs to work order %s, not %s", serial,
					   have_wo, wo);
			goto out;
		}
		rc = ecms__exec(h,
				"UPDATE boards SET work_order = COALESCE(work_order, ?), "
				"panel = COALESCE(panel, ?), position = COALESCE(position, ?), "
				"updated_seq = ? WHERE serial = ?",
				"ttiit", wo, panel, position, seq, serial);
		if (rc == ECMS_OK && position < 0)
			rc = ecms__exec(h,
					"UPDATE boards SET position = NULL WHERE serial = ? AND "
					"position < 0",
					"t", serial);
		if (rc == ECMS_OK && wo && !have_wo) {
			/* The work order is known now: no longer "no_work_order". */
			rc = ecms__board_unflag(h, serial, "no_work_order", seq);
			if (rc == ECMS_OK)
				rc = ecms__query_int(
					h, &one, "SELECT 1 FROM work_orders WHERE id = ?", "t", wo);
			if (rc == ECMS_ENOTFOUND)
				rc = ecms__board_flag(h, serial, "unknown_work_order", seq);
		}
		goto out;
	}
	rc = ecms__exec(h,
			"INSERT INTO boards (serial, work_order, panel, position, status, flags, "
			"created_ms, started_ms, updated_seq) VALUES (?, ?, ?, ?, 'wip', '', ?, ?, "
			"?)",
			"tttiiii", serial, wo, panel, position, t_ms, t_ms, seq);
	if (rc == ECMS_OK && position < 0)
		rc = ecms__exec(h, "UPDATE boards SET position = NULL WHERE serial = ?", "t",
				serial);
	if (rc == ECMS_OK && created)
		*created = true;
	if (rc == ECMS_OK && wo) {
		rc = ecms__query_int(h, &one, "SELECT 1 FROM work_orders WHERE id = ?", "t", wo);
		if (rc == ECMS_ENOTFOUND)
			rc = ecms__board_flag(h, serial, "unknown_work_order", seq);
	}
	if (rc == ECMS_OK && !wo)
		rc = ecms__board_flag(h, serial, "no_work_order", seq);
out:
	ecms__free(have_wo);
	return rc;
}

int
ecms__board_work(ecms *h, const char *serial, int64_t t_ms, int64_t seq)
{
	int rc;

	if ((rc = ecms__board_touch(h, serial, NULL, NULL, -1, t_ms, seq, NULL)))
		return rc;
	return ecms__exec(h,
			  "UPDATE boards SET status = 'wip', started_ms = COALESCE(started_ms, ?), "
			  "updated_seq = ? WHERE serial = ? AND status = 'planned'",
			  "iit", t_ms, seq, serial);
}

int
ecms__board_step(ecms *h, const char *serial, const char *station, const char *kind,
		 const char *result, const char *oper, const char *detail, int64_t t_ms,
		 int64_t seq)
{
	int rc;

	if (!station || !*station || !kind || !*kind)
		return ecms__ctxfail(h, ECMS_EINVAL, "station",
				     "a route step needs a station "
				     "and a kind");
	if ((rc = ecms__board_work(h, serial, t_ms, seq)))
		return rc;
	return ecms__exec(h,
			  "INSERT INTO board_route (serial, station, kind, result, operator, "
			  "at_ms, detail, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			  "tttttiti", serial, station, kind, result, oper, t_ms, detail, seq);
}

/* The place of a status in the forward order; scrapped is apart (-1). */
static int
status_rank(const char *s)
{
	static const char *const order[] = { "planned", "wip", "completed", "shipped" };

	for (int i = 0; i < 4; i++)
		if (strcmp(order[i], s) == 0)
			return i;
	return -1;
}

int
ecms__board_set_status(ecms *h, const char *serial, const char *status, int64_t t_ms, int64_t seq)
{
	ecms__stmt *st;
	char have[16];
	int rc, from, to;

	if (!ecms_board_status_valid(status))
		return ecms__ctxfail(h, ECMS_EINVAL, "status", "'%s' is not a board status",
				     status ? status : "");
	if ((rc = ecms__q(h, &st, "SELECT status FROM boards WHERE serial = ?", "t", serial)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(have, ecms__col_text(st, 0), sizeof(have));
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "serial", "no board '%s'", serial);
	}
	ecms__done(h, st);
	if (rc)
		return rc;
	if (strcmp(have, status) == 0)
		return ECMS_OK;
	from = status_rank(have);
	to = status_rank(status);
	if (!(to < 0 ? from >= 0 && strcmp(have, "shipped") != 0 : from >= 0 && to > from))
		return ecms__ctxfail(h, ECMS_EREFUSED, "status",
				     "board %s is %s; it cannot become %s", serial, have, status);
	return ecms__exec(h,
			  "UPDATE boards SET status = ?, started_ms = CASE WHEN ? = 'wip' THEN "
			  "COALESCE(started_ms, ?) ELSE started_ms END, completed_ms = CASE WHEN "
			  "? = 'completed' THEN ? ELSE completed_ms END, updated_seq = ? "
			  "WHERE serial = ?",
			  "ttitiit", status, status, t_ms, status, t_ms, seq, serial);
}

int
ecms__board_hold(ecms *h, const char *serial, const char *hold, int64_t seq)
{
	int rc = ecms__exec(h, "UPDATE boards SET hold = ?, updated_seq = ? WHERE serial = ?",
			    "tit", hold, seq, serial);

	if (rc == ECMS_OK && ecms__changes(h) == 0)
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "serial", "no board '%s'", serial);
	return rc;
}

int
ecms__board_flag(ecms *h, const char *serial, const char *flag, int64_t seq)
{
	return ecms__exec(h,
			  "UPDATE boards SET flags = CASE WHEN flags = '' THEN ? WHEN "
			  "(' ' || flags || ' ') LIKE ('% ' || ? || ' %') THEN flags ELSE "
			  "flags || ' ' || ? END, updated_seq = ? WHERE serial = ?",
			  "tttit", flag, flag, flag, seq, serial);
}

int
ecms__board_unflag(ecms *h, const char *serial, const char *flag, int64_t seq)
{
	return ecms__exec(h,
			  "UPDATE boards SET flags = TRIM(REPLACE(' ' || flags || ' ', ' ' || ? || "
			  "' ', ' ')), updated_seq = ? WHERE serial = ? AND (' ' || flags || ' ') "
			  "LIKE ('% ' || ? || ' %')",
			  "titt", flag, seq, serial, flag);
}
