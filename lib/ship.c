/*
 * ship.c: shipments: which board serials went to which customer, when.
 * A board ships only when it is completed, not on hold, and built for
 * that customer; one bad board refuses the whole shipment.
 */
#include <string.h>

#include "board.h"
#include "ecms/ship.h"
#include "event.h"
#include "store/store.h"

#define MAX_PROBLEMS 20

static int
oom(ecms *h)
{
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

/* Why serial may not ship to customer, appended to why; *bad set. */
static int
check_board(ecms *h, const char *serial, const char *customer, ecms_buf *why, int *bad)
{
	ecms__stmt *st;
	int rc =
		ecms__q(h, &st,
			"SELECT b.status, b.hold, b.work_order, w.customer, b.shipment FROM boards "
			"b LEFT JOIN work_orders w ON w.id = b.work_order WHERE b.serial = ?",
			"t", serial);
	char problem[400] = "";

	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *status = ecms__col_text(st, 0), *hold = ecms__col_text(st, 1);
		const char *wo = ecms__col_text(st, 2), *cust = ecms__col_text(st, 3);

		if (strcmp(status, "shipped") == 0)
			snprintf(problem, sizeof(problem), "%s was shipped already (%s)", serial,
				 ecms__col_null(st, 4) ? "no shipment" : ecms__col_text(st, 4));
		else if (strcmp(status, "completed") != 0)
			snprintf(problem, sizeof(problem), "%s is %s, not completed", serial,
				 status);
		else if (hold)
			snprintf(problem, sizeof(problem), "%s is on hold (%s)", serial, hold);
		else if (!cust)
			snprintf(problem, sizeof(problem),
				 "%s: work order %s has no customer ecms knows", serial,
				 wo ? wo : "(none)");
		else if (strcmp(cust, customer) != 0)
			snprintf(problem, sizeof(problem), "%s was built for %s (work order %s)",
				 serial, cust, wo);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		snprintf(problem, sizeof(problem), "no board '%s'", serial);
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc == ECMS_OK && problem[0]) {
		if (++*bad <= MAX_PROBLEMS)
			rc = ecms__buf_printf(why, "%s%s", *bad > 1 ? "; " : "", problem);
		if (rc)
			rc = oom(h);
	}
	return rc;
}

/* The completed boards of wo not on hold (into list), and what stays
 * (counts by status, on hold apart, into left). */
static int
wo_boards(ecms *h, const char *wo, json_t *list, json_t *left)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT serial, status, hold FROM boards WHERE work_order = ? ORDER BY "
			 "serial",
			 "t", wo);

	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *status = ecms__col_text(st, 1);
		const char *k = !ecms__col_null(st, 2) && strcmp(status, "shipped") != 0 ? "on_hold"
											 : status;

		if (!strcmp(k, "completed")) {
			if (json_array_append_new(list, json_string(ecms__col_text(st, 0))))
				rc = oom(h);
		} else if (json_object_set_new(
				   left, k,
				   json_integer(json_integer_value(json_object_get(left, k)) +
						1))) {
			rc = oom(h);
		}
		if (rc == ECMS_ENOMEM)
			break;
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

int
ecms_ship(ecms *h, const ecms_ship_req *r, json_t **out)
{
	json_t *serials = NULL, *left = NULL, *o = NULL, *v;
	ecms_buf why;
	char id[32], t[ECMS_TIME_LEN], cust[128];
	int64_t seq = 0, n = 0, now = ecms_now(h);
	size_t i;
	int bad = 0, rc = ECMS_OK;

	*out = NULL;
	if (!r->customer || !*r->customer)
		return ecms__ctxfail(h, ECMS_EUSAGE, "customer", "a shipment needs a customer");
	if (!r->work_order == !r->nserials)
		return ecms__ctxfail(h, ECMS_EUSAGE, "serial",
				     "ship either board serials or a work order");
	ecms__buf_init(&why, 16384);
	if (!(serials = json_array()))
		return oom(h);
	if (r->work_order) {
		ecms__stmt *st;

		if ((rc = ecms__q(h, &st, "SELECT customer FROM work_orders WHERE id = ?", "t",
				  r->work_order)))
			goto out;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			ecms__strlcpy(cust, ecms__col_null(st, 0) ? "" : ecms__col_text(st, 0),
				      sizeof(cust));
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "work_order", "no work order '%s'",
					   r->work_order);
		}
		ecms__done(h, st);
		if (rc == ECMS_OK && strcmp(cust, r->customer) != 0)
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "customer",
					   "work order %s is for %s, not %s", r->work_order,
					   *cust ? cust : "no customer", r->customer);
		if (rc == ECMS_OK && !(left = json_object()))
			rc = oom(h);
		if (rc == ECMS_OK)
			rc = wo_boards(h, r->work_order, serials, left);
		if (rc == ECMS_OK && json_array_size(serials) == 0)
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "work_order",
					   "work order %s has no completed board to ship that is "
					   "not on hold",
					   r->work_order);
		if (rc)
			goto out;
	} else {
		json_t *seen = json_object();

		/* Each serial once, in the order given. */
		for (size_t k = 0; seen && k < r->nserials; k++) {
			const char *s = r->serials[k];

			if (!s || !*s) {
				rc = ecms__ctxfail(h, ECMS_EUSAGE, "serial", "an empty serial");
				break;
			}
			if (json_object_get(seen, s))
				continue;
			if (json_object_set_new(seen, s, json_true()) ||
			    json_array_append_new(serials, json_string(s))) {
				rc = oom(h);
				break;
			}
		}
		if (!seen)
			rc = oom(h);
		json_decref(seen);
		if (rc)
			goto out;
	}
	json_array_foreach(serials, i, v)
		if ((rc = check_board(h, json_string_value(v), r->customer, &why, &bad)))
			goto out;
	if (bad) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "serial",
				   "nothing shipped: %d of %zu boards may not ship to %s: %s%s",
				   bad, json_array_size(serials), r->customer,
				   why.data ? why.data : "", bad > MAX_PROBLEMS ? "; ..." : "");
		goto out;
	}
	if ((rc = ecms__begin(h)))
		goto out;
	rc = ecms__query_int(h, &n,
			     "UPDATE counters SET value = value + 1 WHERE name = 'shipment' "
			     "RETURNING value",
			     "");
	snprintf(id, sizeof(id), "SH-%06lld", (long long)n);
	if (rc == ECMS_OK)
		rc = ecms__event(h, "board.shipped",
				 json_pack("{s:s,s:s,s:s?,s:s?,s:O}", "shipment", id, "customer",
					   r->customer, "reference", r->reference, "work_order",
					   r->work_order, "serials", serials),
				 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO shipments (id, customer, shipped_ms, reference, actor, "
			"seq) VALUES (?, ?, ?, ?, ?, ?)",
			"ttitti", id, r->customer, now, r->reference, ecms_actor(h), seq);
	json_array_foreach(serials, i, v) {
		const char *s = json_string_value(v);

		if (rc)
			break;
		rc = ecms__board_set_status(h, s, "shipped", now, seq);
		if (rc == ECMS_OK)
			rc = ecms__exec(h, "UPDATE boards SET shipment = ? WHERE serial = ?", "tt",
					id, s);
	}
	rc = ecms__end(h, rc);
	if (rc)
		goto out;
	o = json_pack("{s:s,s:s,s:s?,s:s,s:I,s:O}", "shipment", id, "customer", r->customer,
		      "reference", r->reference, "shipped", ecms_time_format(now, t), "count",
		      (json_int_t)json_array_size(serials), "serials", serials);
	if (o && left && json_object_set(o, "left", left)) {
		json_decref(o);
		o = NULL;
	}
	if (!o)
		rc = oom(h);
out:
	ecms__buf_cleanup(&why);
	json_decref(serials);
	json_decref(left);
	if (rc == ECMS_OK)
		*out = o;
	return rc;
}

int
ecms_shipment_get(ecms *h, const char *id, json_t **out)
{
	ecms__stmt *st;
	json_t *o = NULL, *serials;
	char t[ECMS_TIME_LEN];
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st,
		     "SELECT customer, shipped_ms, reference, actor FROM shipments WHERE id = ?",
		     "t", id);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		o = json_pack("{s:s,s:s,s:s,s:s?,s:s}", "shipment", id, "customer",
			      ecms__col_text(st, 0), "shipped",
			      ecms_time_format(ecms__col_int(st, 1), t), "reference",
			      ecms__col_text(st, 2), "actor", ecms__col_text(st, 3));
		rc = o ? ECMS_OK : oom(h);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "shipment", "no shipment '%s'", id);
	}
	ecms__done(h, st);
	if (rc)
		return rc;
	if (!(serials = json_array()) || json_object_set_new(o, "serials", serials)) {
		json_decref(o);
		return oom(h);
	}
	rc = ecms__q(h, &st, "SELECT serial FROM boards WHERE shipment = ? ORDER BY serial", "t",
		     id);
	if (rc == ECMS_OK) {
		while ((rc = ecms__step(h, st)) == ECMS__ROW)
			if (json_array_append_new(serials, json_string(ecms__col_text(st, 0)))) {
				rc = oom(h);
				break;
			}
		ecms__done(h, st);
		if (rc == ECMS__DONE)
			rc = ECMS_OK;
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return ECMS_OK;
}
