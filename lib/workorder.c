/*
 * workorder.c: work orders, and the warehouse's answers for them: the
 * kit list (what to pick, from where, in which order) and reordering
 * (on hand + on order − demand against the reorder point).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecms/production.h"
#include "ecms/warehouse.h"
#include "event.h"
#include "ecms/msdstore.h"
#include "master.h"

#define DAY_MS INT64_C(86400000)

int
ecms_wo_create(ecms *h, const ecms_wo_new *w)
{
	int64_t one, seq, ms;
	int rc;

	if (!w->id || !*w->id || !w->product || !w->rev)
		return ecms__ctxfail(h, ECMS_EUSAGE, "id",
				     "a work order needs an ID, product and rev");
	if (w->qty <= 0 || w->qty > 10000000)
		return ecms__ctxfail(h, ECMS_EINVAL, "qty", "quantity %lld is not 1 to 10000000",
				     (long long)w->qty);
	if (w->due && (strlen(w->due) != 10 || ecms_time_parse(w->due, &ms, NULL)))
		return ecms__ctxfail(h, ECMS_EINVAL, "due", "--due '%s' is not a date (YYYY-MM-DD)",
				     w->due);
	rc = ecms__query_int(h, &one, "SELECT 1 FROM products WHERE product = ? AND rev = ?", "tt",
			     w->product, w->rev);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "product",
				     "no BOM for %s rev %s: import it first (ecms import bom)",
				     w->product, w->rev);
	if (rc)
		return rc;
	if (w->line) {
		rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t", w->line);
		if (rc == ECMS_ENOTFOUND)
			return ecms__ctxfail(h, rc, "line", "no location '%s' for the line",
					     w->line);
		if (rc)
			return rc;
	}
	rc = ecms__query_int(h, &one, "SELECT 1 FROM work_orders WHERE id = ?", "t", w->id);
	if (rc == ECMS_OK)
		return ecms__ctxfail(h, ECMS_EEXIST, "id", "work order %s exists already", w->id);
	if (rc != ECMS_ENOTFOUND)
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(h, "wo.created",
			 json_pack("{s:s,s:s,s:s,s:I,s:s?,s:s?,s:s?}", "id", w->id, "product",
				   w->product, "rev", w->rev, "qty", (json_int_t)w->qty, "line",
				   w->line, "customer", w->customer, "due", w->due),
			 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO work_orders (id, product, rev, qty, line, customer, due, "
			"status, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
			"tttittti", w->id, w->product, w->rev, w->qty, w->line, w->customer, w->due,
			seq);
	return ecms__end(h, rc);
}

static const struct ecms__col wo_cols[] = {
	{ "id", 't' },   { "product", 't' },  { "rev", 't' }, { "qty", 'i' },
	{ "line", 't' }, { "customer", 't' }, { "due", 't' }, { "status", 't' },
};
#define WO_SELECT "SELECT id, product, rev, qty, line, customer, due, status FROM work_orders "

int
ecms_wo_get(ecms *h, const char *id, json_t **out)
{
	int rc = ecms__select_one(h, WO_SELECT "WHERE id = ?", id, wo_cols,
				  (int)ECMS_ARRAY_LEN(wo_cols), out);

	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "work_order", "no work order '%s'", id);
	return rc;
}

int
ecms_wo_list(ecms *h, const char *status, json_t **out)
{
	if (status)
		return ecms__select_all(h, WO_SELECT "WHERE status = ? ORDER BY id", status,
					wo_cols, (int)ECMS_ARRAY_LEN(wo_cols), out);
	return ecms__select_all(h, WO_SELECT "ORDER BY id", NULL, wo_cols,
				(int)ECMS_ARRAY_LEN(wo_cols), out);
}

/* Demand per board of a work order's product, by IPN: [{ipn, per_board}]. */
static int
per_board(ecms *h, const char *wo, json_t **out)
{
	return ecms__select_all(
		h,
		"SELECT b.ipn, COUNT(*) FROM work_orders w JOIN bom_refdes b ON "
		"b.product = w.product AND b.rev = w.rev WHERE w.id = ? "
		"GROUP BY b.ipn ORDER BY b.ipn",
		wo, (const struct ecms__col[]){ { "ipn", 't' }, { "per_board", 'i' } }, 2, out);
}

static int64_t
with_attrition(int64_t n)
{
	return (int64_t)ceil((double)n * (1.0 + ECMS_ATTRITION_PCT / 100.0));
}

static int
rank_cmp(const void *a, const void *b)
{
	int64_t x = json_integer_value(json_object_get(*(json_t *const *)a, "rank"));
	int64_t y = json_integer_value(json_object_get(*(json_t *const *)b, "rank"));

	return x < y ? -1 : x > y;
}

/*
 * Mark each moisture-sensitive candidate usable or not and rank it by the
 * floor life it has left, ahead of the rest; others keep their FIFO place.
 * The sort is stable: equal floor life keeps receipt order.
 */
static int
kit_rank_msd(ecms *h, json_t *cand, int64_t now)
{
	size_t n = json_array_size(cand), i;
	json_t **v, *e;
	int rc = ECMS_OK;

	json_array_foreach(cand, i, e) {
		bool ok = true;
		int64_t rank = (int64_t)i; /* FIFO */
		if (json_is_true(json_object_get(e, "msd"))) {
			json_t *st = NULL;
			if ((rc = ecms_msd_usable(h, ecms__rs(e, "uid"), now, &ok, NULL, 0)) ||
			    (rc = ecms_msd_status(h, ecms__rs(e, "uid"), now, &st)))
				return rc;
			if (json_is_integer(json_object_get(st, "remaining_ms")))
				rank = INT64_MIN / 2 +
				       json_integer_value(json_object_get(st, "remaining_ms"));
			json_decref(st);
		}
		json_object_set_new(e, "usable", json_boolean(ok));
		json_object_set_new(e, "rank", json_integer(rank));
	}
	v = ecms__calloc(n + 1, sizeof(*v));
	if (v == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(cand, i));
	for (i = 1; i < n; i++)
		for (size_t j = i; j > 0 && rank_cmp(&v[j - 1], &v[j]) > 0; j--) {
			json_t *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	json_array_clear(cand);
	for (i = 0; i < n; i++)
		json_array_append_new(cand, v[i]);
	ecms__free(v);
	return ECMS_OK;
}

int
ecms_kit_list(ecms *h, const char *wo, json_t **out)
{
	json_t *w = NULL, *need = NULL, *e, *lines = json_array();
	int64_t now = ecms_now(h);
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = ecms_wo_get(h, wo, &w)) || (rc = per_board(h, wo, &need)))
		goto out;
	json_array_foreach(need, i, e) {
		const char *ipn = ecms__rs(e, "ipn");
		int64_t needed = with_attrition(ecms__ri(e, "per_board") * ecms__ri(w, "qty"));
		int64_t picked = 0, covered;
		json_t *picks = json_array();
		ecms__stmt *st;

		rc = ecms__query_int(
			h, &picked,
			"SELECT COALESCE(SUM(p.quantity), 0) FROM kit_picks k JOIN "
			"packages p ON p.uid = k.uid WHERE k.work_order = ? AND p.ipn = ?",
			"tt", wo, ipn);
		if (rc) {
			json_decref(picks);
			goto out;
		}
		covered = picked;
		/* Usable stock not yet picked for this order: FIFO by receipt and
		 * date code; moisture-sensitive parts by earliest shelf-life end. */
		rc = ecms__q(h, &st,
			     "SELECT p.uid, p.location, p.quantity, p.lot, p.date_code, "
			     "p.received_ms, t.msl, p.dc_ms, p.expiry, t.shelf_life_days "
			     "FROM packages p JOIN parts t ON t.ipn = p.ipn "
			     "LEFT JOIN locations l ON l.id = p.location "
			     "WHERE p.ipn = ? AND p.status = 'available' AND p.quantity > 0 "
			     "AND (l.kind IS NULL OR l.kind NOT IN ('line_side', 'machine', "
			     "'feeder_slot')) AND NOT EXISTS (SELECT 1 FROM kit_picks k "
			     "WHERE k.uid = p.uid) "
			     "ORDER BY CASE WHEN t.msl IS NOT NULL AND t.msl <> '1' THEN "
			     "COALESCE(p.dc_ms, p.received_ms) ELSE 0 END, p.received_ms, "
			     "p.dc_ms, p.uid",
			     "t", ipn);
		/* Gather the usable candidates in FIFO order, then put moisture-
		 * sensitive ones with the least floor life left first. */
		json_t *cand = json_array();
		while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
			int64_t exp = INT64_MAX, ms;
			if (!ecms__col_null(st, 8) &&
			    ecms_time_parse(ecms__col_text(st, 8), &ms, NULL) == ECMS_OK)
				exp = ms;
			else if (!ecms__col_null(st, 9))
				exp = (ecms__col_null(st, 7) ? ecms__col_int(st, 5)
							     : ecms__col_int(st, 7)) +
				      ecms__col_int(st, 9) * DAY_MS;
			rc = ECMS_OK;
			if (exp <= now)
				continue; /* expired: not usable */
			json_array_append_new(
				cand,
				json_pack("{s:s,s:o,s:I,s:o,s:o,s:b}", "uid", ecms__col_text(st, 0),
					  "location", ecms__col_json(st, 1, 't'), "qty",
					  (json_int_t)ecms__col_int(st, 2), "lot",
					  ecms__col_json(st, 3, 't'), "date_code",
					  ecms__col_json(st, 4, 't'), "msd",
					  !ecms__col_null(st, 6) &&
						  strcmp(ecms__col_text(st, 6), "1") != 0));
		}
		ecms__done(h, st);
		if (rc != ECMS_OK && rc != ECMS__DONE) {
			json_decref(cand);
			json_decref(picks);
			goto out;
		}
		rc = kit_rank_msd(h, cand, now);
		for (size_t j = 0; rc == ECMS_OK && j < json_array_size(cand) && covered < needed;
		     j++) {
			json_t *c = json_array_get(cand, j);
			if (json_is_false(json_object_get(c, "usable")))
				continue;
			json_object_del(c, "msd");
			json_object_del(c, "usable");
			json_object_del(c, "rank");
			json_array_append(picks, c);
			covered += ecms__ri(c, "qty");
		}
		json_decref(cand);
		if (rc) {
			json_decref(picks);
			goto out;
		}
		rc = ECMS_OK;
		json_array_append_new(
			lines, json_pack("{s:s,s:I,s:I,s:I,s:I,s:o}", "ipn", ipn, "per_board",
					 (json_int_t)ecms__ri(e, "per_board"), "needed",
					 (json_int_t)needed, "picked", (json_int_t)picked, "short",
					 (json_int_t)(covered < needed ? needed - covered : 0),
					 "pick", picks));
	}
	*out = json_pack("{s:s,s:O,s:O,s:O,s:f,s:O}", "work_order", wo, "product",
			 json_object_get(w, "product"), "rev", json_object_get(w, "rev"), "boards",
			 json_object_get(w, "qty"), "attrition_pct", ECMS_ATTRITION_PCT, "lines",
			 lines);
out:
	json_decref(w);
	json_decref(need);
	json_decref(lines);
	return rc;
}

int
ecms_kit_pick(ecms *h, const char *wo, const char *scan, const char *to, json_t **out)
{
	json_t *w = NULL, *need = NULL, *mv = NULL, *e;
	char *uid = NULL, *loc = NULL, dest[80] = "", ipn[80] = "", here[80] = "";
	bool wanted = false;
	int64_t seq, one;
	ecms__stmt *st;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = ecms_wo_get(h, wo, &w)) || (rc = per_board(h, wo, &need)))
		goto out;
	if ((rc = ecms_scan_resolve(h, scan, strlen(scan), &uid, &loc)))
		goto out;
	if (uid == NULL) {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "scan", "scan a package, not location %s", loc);
		goto out;
	}
	if ((rc = ecms__q(h, &st, "SELECT ipn, location FROM packages WHERE uid = ?", "t", uid)))
		goto out;
	if (ecms__step(h, st) == ECMS__ROW) {
		if (!ecms__col_null(st, 0))
			ecms__strlcpy(ipn, ecms__col_text(st, 0), sizeof(ipn));
		if (!ecms__col_null(st, 1))
			ecms__strlcpy(here, ecms__col_text(st, 1), sizeof(here));
	}
	ecms__done(h, st);
	json_array_foreach(need, i, e)
		wanted |= strcmp(ecms__rs(e, "ipn"), ipn) == 0;
	if (!wanted) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "scan",
				   "%s is %s, which work order %s does not need", uid,
				   *ipn ? ipn : "an unknown part", wo);
		goto out;
	}
	rc = ecms__query_int(h, &one, "SELECT 1 FROM kit_picks WHERE uid = ?", "t", uid);
	if (rc == ECMS_OK) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "scan", "%s is already picked for a kit", uid);
		goto out;
	}
	if (rc != ECMS_ENOTFOUND)
		goto out;
	if (to) {
		ecms__strlcpy(dest, to, sizeof(dest));
	} else if (ecms__rs(w, "line")) {
		char cart[80];
		snprintf(cart, sizeof(cart), "%s-CART", ecms__rs(w, "line"));
		rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t", cart);
		ecms__strlcpy(dest, rc == ECMS_OK ? cart : ecms__rs(w, "line"), sizeof(dest));
	} else {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "to",
				   "work order %s has no line: say where the kit goes (--to)", wo);
		goto out;
	}
	/* A refused restricted part is logged before the pick's transaction
	 * opens, so the refusal is kept. The move and the pick commit together. */
	if ((rc = ecms__restricted_check(h, uid, "pick")))
		goto out;
	if ((rc = ecms__begin(h)))
		goto out;
	/* Already where the kit goes: the pick is recorded without a move. */
	if (strcmp(here, dest) != 0)
		rc = ecms_move(h, uid, dest, &mv);
	if (rc == ECMS_OK)
		rc = ecms__event(h, "kit.picked",
				 json_pack("{s:s,s:s,s:s,s:s}", "work_order", wo, "uid", uid, "ipn",
					   ipn, "to", dest),
				 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO kit_picks (work_order, uid, seq, actor, at_ms) VALUES "
				"(?, ?, ?, ?, ?)",
				"ttiti", wo, uid, seq, ecms_actor(h), ecms_now(h));
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK)
		*out = json_pack("{s:s,s:s,s:s,s:s}", "work_order", wo, "uid", uid, "ipn", ipn,
				 "to", dest);
out:
	json_decref(mv);
	json_decref(w);
	json_decref(need);
	ecms__free(uid);
	ecms__free(loc);
	return rc;
}

int
ecms_reorder(ecms *h, json_t **out)
{
	json_t *stock = NULL, *usable = json_object(), *demand = json_object(),
	       *due = json_object();
	json_t *e, *arr = json_array();
	int64_t now = ecms_now(h);
	ecms__stmt *st;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = ecms_stock(h, NULL, NULL, &stock)))
		goto out;
	json_array_foreach(stock, i, e) {
		json_t *s = json_object_get(e, "status");
		json_object_set_new(
			usable, ecms__rs(e, "ipn"),
			json_integer(ecms__ri(json_object_get(s, "available"), "qty") +
				     ecms__ri(json_object_get(s, "in_production"), "qty")));
	}
	/* Demand of open work orders, with attrition, and the earliest due date. */
	rc = ecms__q(
		h, &st,
		"SELECT b.ipn, w.qty * COUNT(*), MIN(w.due) FROM work_orders w JOIN bom_refdes b "
		"ON b.product = w.product AND b.rev = w.rev WHERE w.status = 'open' "
		"GROUP BY b.ipn, w.id, w.qty",
		"");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *ipn = ecms__col_text(st, 0);
		int64_t d = with_attrition(ecms__col_int(st, 1));
		json_object_set_new(
			demand, ipn,
			json_integer(json_integer_value(json_object_get(demand, ipn)) + d));
		if (!ecms__col_null(st, 2)) {
			const char *cur = json_string_value(json_object_get(due, ipn));
			if (!cur || strcmp(ecms__col_text(st, 2), cur) < 0)
				json_object_set_new(due, ipn, json_string(ecms__col_text(st, 2)));
		}
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS_OK && rc != ECMS__DONE)
		goto out;
	rc = ecms__q(
		h, &st,
		"SELECT t.ipn, t.reorder_point, t.std_pack, t.lead_time_days, "
		"COALESCE((SELECT SUM(l.qty_ordered - l.qty_received) FROM po_lines l WHERE "
		"l.ipn = t.ipn AND l.status <> 'closed' AND l.qty_ordered > l.qty_received), 0) "
		"FROM parts t ORDER BY t.ipn",
		"");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *ipn = ecms__col_text(st, 0);
		int64_t rp = ecms__col_int(st, 1);
		int64_t pack = ecms__col_null(st, 2) ? 1 : ecms__col_int(st, 2);
		int64_t lead = ecms__col_null(st, 3) ? 0 : ecms__col_int(st, 3);
		int64_t on_order = ecms__col_int(st, 4);
		int64_t on_hand = json_integer_value(json_object_get(usable, ipn));
		int64_t need = json_integer_value(json_object_get(demand, ipn));
		int64_t projected = on_hand + on_order - need, suggest, packs;
		const char *d = json_string_value(json_object_get(due, ipn));
		char why[400], arrive[11];
		bool urgent = false;

		rc = ECMS_OK;
		if (projected >= rp && need == 0)
			continue;
		if (projected >= rp)
			continue;
		packs = (rp - projected + pack - 1) / pack;
		suggest = packs * pack;
		ecms_date_format(now + lead * DAY_MS, arrive);
		if (d && strcmp(arrive, d) > 0)
			urgent = true;
		snprintf(why, sizeof(why),
			 "on hand %lld + on order %lld - demand %lld = %lld, below the reorder "
			 "point %lld: order %lld (%lld x std pack %lld); lead time %lld days, "
			 "arrives about %s%s%s",
			 (long long)on_hand, (long long)on_order, (long long)need,
			 (long long)projected, (long long)rp, (long long)suggest, (long long)packs,
			 (long long)pack, (long long)lead, arrive, d ? ", first due " : "",
			 d ? d : "");
		json_array_append_new(arr,
				      json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:s}", "ipn", ipn,
						"on_hand", (json_int_t)on_hand, "on_order",
						(json_int_t)on_order, "demand", (json_int_t)need,
						"projected", (json_int_t)projected, "reorder_point",
						(json_int_t)rp, "suggested", (json_int_t)suggest,
						"urgent", urgent, "why", why));
	}
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		rc = ECMS_OK;
	if (rc == ECMS_OK) {
		*out = arr;
		arr = NULL;
	}
out:
	json_decref(arr);
	json_decref(stock);
	json_decref(usable);
	json_decref(demand);
	json_decref(due);
	return rc;
}
