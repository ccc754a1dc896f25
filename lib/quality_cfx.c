/*
 * quality_cfx.c: the CFX entry point of the quality records:
 * UnitsProcessed (reflow), UnitsInspected, UnitsTested, UnitsRepaired.
 * Transport-free: it takes a message the cfx reader parsed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "ecms/genealogy.h"
#include "event.h"
#include "master.h"
#include "quality_int.h"

bool
ecms_quality_cfx_handles(ecms_cfx_kind kind)
{
	return kind == ECMS_CFX_UNITS_PROCESSED || kind == ECMS_CFX_UNITS_INSPECTED ||
	       kind == ECMS_CFX_UNITS_TESTED || kind == ECMS_CFX_UNITS_REPAIRED;
}

/* The record's ref: the message's UniqueID, with the position when the
 * unit has one, and an index when one unit has several records. */
static void
make_ref(char *buf, size_t n, const ecms_cfx_msg *msg, int position, long k)
{
	int l = snprintf(buf, n, "%s", msg->unique_id);

	if (position >= 0 && l >= 0 && (size_t)l < n)
		l += snprintf(buf + l, n - (size_t)l, "#%d", position);
	if (k >= 0 && l >= 0 && (size_t)l < n)
		snprintf(buf + l, n - (size_t)l, "/%ld", k);
}

static const char *
operator_id(const ecms_cfx_operator *op)
{
	return op->id ? op->id : op->login;
}

/* The serial of a unit: the one CFX ingest mapped the unit to (cfx_units,
 * 010_cfx), else the board ecms knows at (panel unit_id, position), else
 * unit_id itself. *out points to unit_id or into buf. */
static int
unit_serial(ecms *h, const char *unit_id, int position, char *buf, size_t n, const char **out)
{
	ecms__stmt *st;
	int rc;

	*out = unit_id;
	rc = ecms__q(h, &st, "SELECT serial FROM cfx_units WHERE unit_id = ? AND position = ?",
		     "ti", unit_id, (int64_t)(position < 0 ? -1 : position));
	if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		ecms__strlcpy(buf, ecms__col_text(st, 0), n);
		*out = buf;
	}
	ecms__done(h, st);
	if (rc == ECMS__ROW || position < 0)
		return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
	if (rc != ECMS__DONE)
		return rc;
	rc = ecms__q(h, &st, "SELECT serial FROM boards WHERE panel = ? AND position = ?", "ti",
		     unit_id, (int64_t)position);
	if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		ecms__strlcpy(buf, ecms__col_text(st, 0), n);
		*out = buf;
	}
	ecms__done(h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

/* The test equipment a CFX handle names: its last part when that is
 * equipment ecms has registered (NI.PXIe8881.FCT-1 is FCT-1, as machines
 * are named in cfxingest.c), else the handle itself. */
static int
equipment_of(ecms *h, const char *source, char *buf, size_t n, const char **out)
{
	const char *last = source ? strrchr(source, '.') : NULL;
	int64_t one;
	int rc;

	*out = source;
	if (!last || !last[1] || strlen(last + 1) >= n)
		return ECMS_OK;
	rc = ecms__query_int(h, &one, "SELECT 1 FROM test_equipment WHERE id = ?", "t", last + 1);
	if (rc == ECMS_ENOTFOUND)
		return ECMS_OK;
	if (rc == ECMS_OK) {
		ecms__strlcpy(buf, last + 1, n);
		*out = buf;
	}
	return rc;
}

/* Add a board's record to recs unless it is stored already. */
static int
keep(ecms *h, const char *table, json_t *recs, json_t *rec, struct ecms_quality_cfx_report *rep)
{
	bool exists = false;
	int rc = ecms__q_exists(h, table, ecms__rs(rec, "serial"), ecms__rs(rec, "ref"), &exists);

	if (rc == ECMS_OK && exists)
		rep->skipped++;
	else if (rc == ECMS_OK)
		json_array_append(recs, rec);
	json_decref(rec);
	return rc;
}

/* ------------------------------------------------------------------
 * UnitsProcessed
 * ------------------------------------------------------------------ */

static int
reflow_one(ecms *h, const ecms_cfx_msg *msg, const char *serial, int position,
	   const ecms_cfx_process_data *d, json_t *recs, struct ecms_quality_cfx_report *rep)
{
	char ref[ECMS_CFX_ID_MAX + 48], sbuf[128];
	bool exists;
	json_t *rec = NULL;
	int64_t at = msg->timestamp.ms;
	int rc;

	if ((rc = unit_serial(h, serial, position, sbuf, sizeof(sbuf), &serial)))
		return rc;
	make_ref(ref, sizeof(ref), msg, position, -1);
	if ((rc = ecms__q_exists(h, "reflow_records", serial, ref, &exists)))
		return rc;
	if (exists) {
		rep->skipped++;
		return ECMS_OK;
	}
	if (d->reflow->profiling && d->reflow->unit_out.text)
		at = d->reflow->unit_out.ms;
	rc = ecms__q_reflow_build(
		h, serial, ref, d->reflow->profiling ? "cfx_profiler" : "cfx_oven",
		msg->u.processed.transaction_id, msg->source, at, NULL, NULL, d->json, NULL, &rec);
	if (rc) {
		ecms__error_prefix(&h->err, "%s %s, board %s", ecms_cfx_kind_name(msg->kind),
				   msg->unique_id, serial);
		return rc;
	}
	json_array_append_new(recs, rec);
	return ECMS_OK;
}

static int
processed(ecms *h, const ecms_cfx_msg *msg, const char *const *txn, size_t ntxn, json_t *recs,
	  struct ecms_quality_cfx_report *rep)
{
	const ecms_cfx_processed *p = &msg->u.processed;
	int rc = ECMS_OK;

	/* Per board: profiler data (or oven data given per unit). */
	for (size_t i = 0; rc == ECMS_OK && i < p->n_units; i++) {
		const ecms_cfx_unit_process *u = &p->units[i];
		if (u->data.reflow == NULL) {
			if (u->data.json)
				rep->ignored++;
			continue;
		}
		if (u->unit_id == NULL)
			return ecms__ctxfail(h, ECMS_EINVAL, "UnitIdentifier",
					     "%s %s: MessageBody.UnitProcessData[%zu]: reflow data "
					     "without a UnitIdentifier",
					     ecms_cfx_kind_name(msg->kind), msg->unique_id, i);
		rc = reflow_one(h, msg, u->unit_id, u->position, &u->data, recs, rep);
	}
	if (rc || p->common.json == NULL)
		return rc;
	if (p->common.reflow == NULL) {
		rep->ignored++;
		return ECMS_OK;
	}
	/* A profiler's data names its board by Barcode. */
	if (p->common.reflow->profiling && p->common.reflow->barcode)
		return reflow_one(h, msg, p->common.reflow->barcode, -1, &p->common, recs, rep);
	/* Oven data per transaction: every board of it. */
	if (p->n_units) {
		for (size_t i = 0; rc == ECMS_OK && i < p->n_units; i++)
			if (p->units[i].unit_id && p->units[i].data.reflow == NULL)
				rc = reflow_one(h, msg, p->units[i].unit_id, p->units[i].position,
						&p->common, recs, rep);
		return rc;
	}
	if (ntxn == 0 && p->transaction_id) {
		/* The transaction's boards as CFX ingest recorded them from
		 * WorkStarted/WorkCompleted (cfx_tx_serials, 014_cfx_seen). */
		ecms__stmt *st;
		json_t *sl = json_array(), *v;
		size_t k;
		rc = ecms__q(h, &st,
			     "SELECT serial FROM cfx_tx_serials WHERE transaction_id = ? "
			     "ORDER BY position, serial",
			     "t", p->transaction_id);
		while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
			json_array_append_new(sl, json_string(ecms__col_text(st, 0)));
			rc = ECMS_OK;
		}
		ecms__done(h, st);
		rc = rc == ECMS__DONE ? ECMS_OK : rc;
		json_array_foreach(rc ? NULL : sl, k, v) {
			if ((rc = reflow_one(h, msg, json_string_value(v), -1, &p->common, recs,
					     rep)))
				break;
		}
		if (rc || json_array_size(sl)) {
			json_decref(sl);
			return rc;
		}
		json_decref(sl);
	}
	if (ntxn == 0) {
		/* No board to give it to: counted, stored nowhere (CFX ingest
		 * keeps the envelope). */
		rep->unassigned++;
		return ECMS_OK;
	}
	for (size_t i = 0; rc == ECMS_OK && i < ntxn; i++)
		rc = reflow_one(h, msg, txn[i], -1, &p->common, recs, rep);
	return rc;
}

/* ------------------------------------------------------------------
 * UnitsInspected
 * ------------------------------------------------------------------ */

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The images of defect (ui, ci, di) in the body: [{mime, sha256}], each
 * decoded once to check it and hash it; blobs[sha] = the base64 text. */
static int
board_defect_images(ecms *h, const ecms_cfx_msg *msg, const char *units_key, size_t ui,
		    const char *checks_key, size_t ci, size_t di, json_t *blobs, json_t **out)
{
	json_t *u = units_key ? json_array_get(json_object_get(msg->body, units_key), ui)
			      : json_object_get(msg->body, "InspectedPanel");
	json_t *c = json_array_get(json_object_get(u, checks_key), ci);
	json_t *d = json_array_get(json_object_get(c, "DefectsFound"), di);
	json_t *imgs = json_object_get(d, "DefectImages"), *img, *arr = json_array();
	size_t k;

	*out = NULL;
	json_array_foreach(imgs, k, img) {
		const char *b64 = jstr(img, "ImageData");
		unsigned char *bytes;
		char sha[65];
		size_t len;
		if (b64 == NULL || *b64 == '\0')
			continue;
		if (ecms__q_base64(b64, &bytes, &len)) {
			json_decref(arr);
			return ecms__ctxfail(h, ECMS_EINVAL, "ImageData",
					     "%s %s: MessageBody.%s[%zu].%s[%zu].DefectsFound[%zu]."
					     "DefectImages[%zu].ImageData: not base64",
					     ecms_cfx_kind_name(msg->kind), msg->unique_id,
					     units_key ? units_key : "InspectedPanel", ui,
					     checks_key, ci, di, k);
		}
		ecms__sha256_hex(bytes, len, sha);
		ecms__free(bytes);
		json_object_set_new(blobs, sha, json_string(b64));
		json_array_append_new(arr,
				      json_pack("{s:o,s:s}", "mime",
						ecms__qstr(jstr(img, "MimeType")), "sha256", sha));
	}
	*out = arr;
	return ECMS_OK;
}

static int
inspected_unit(ecms *h, const ecms_cfx_msg *msg, const ecms_cfx_checked_unit *u,
	       const char *units_key, size_t ui, json_t *recs, json_t *blobs,
	       struct ecms_quality_cfx_report *rep)
{
	const ecms_cfx_checks *c = &msg->u.inspected;
	char ref[ECMS_CFX_ID_MAX + 48], list[300] = "", sbuf[128];
	const char *serial;
	json_t *defs = json_array(), *f = json_array(), *rec;
	int64_t at = msg->timestamp.ms;
	size_t ndef = 0;
	int rc = ECMS_OK;

	if (u->unit_id == NULL) {
		json_decref(defs);
		json_decref(f);
		return ecms__ctxfail(h, ECMS_EINVAL, "UnitIdentifier",
				     "%s %s: MessageBody.%s[%zu]: no UnitIdentifier",
				     ecms_cfx_kind_name(msg->kind), msg->unique_id,
				     units_key ? units_key : "InspectedPanel", ui);
	}
	if ((rc = unit_serial(h, u->unit_id, u->position, sbuf, sizeof(sbuf), &serial))) {
		json_decref(defs);
		json_decref(f);
		return rc;
	}
	for (size_t ci = 0; rc == ECMS_OK && ci < u->n_checks; ci++) {
		const ecms_cfx_check *k = &u->checks[ci];
		if (k->start.text && (ci == 0 || k->start.ms < at))
			at = k->start.ms;
		for (size_t di = 0; rc == ECMS_OK && di < k->n_defects; di++) {
			const ecms_cfx_defect *d = &k->defects[di];
			char refdes[ECMS_GEN_REFDES_MAX + 1];
			const char *pin;
			json_t *imgs = NULL;
			ecms__q_split_designator(d->component, refdes, sizeof(refdes), &pin);
			rc = board_defect_images(h, msg, units_key, ui, "Inspections", ci, di,
						 blobs, &imgs);
			if (rc)
				break;
			json_array_append_new(
				defs, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "check",
						ecms__qstr(k->name), "designator",
						ecms__qstr(d->component), "refdes",
						ecms__qstr(d->component ? refdes : NULL), "pin",
						ecms__qstr(pin), "code", ecms__qstr(d->code),
						"category", ecms__qstr(d->category), "description",
						ecms__qstr(d->description), "images", imgs));
			ndef++;
			if (strlen(list) < sizeof(list) - 60) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof(list) - l, "%s%s %s", l ? ", " : "",
					 d->component ? d->component : "board",
					 d->code ? d->code : "");
			}
		}
	}
	if (rc) {
		json_decref(defs);
		json_decref(f);
		return rc;
	}
	if (u->result && !ecms__streq_nocase(u->result, "Passed"))
		ecms__qfinding(f, "inspection.failed", "fail", c->method, (double)ndef, NAN, NULL,
			       "%s inspection %s with %zu defect%s%s%s", c->method ? c->method : "",
			       u->result, ndef, ndef == 1 ? "" : "s", ndef ? ": " : "", list);
	make_ref(ref, sizeof(ref), msg, u->position, -1);
	rec = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:I,s:o,s:o}", "serial", serial, "ref",
			ref, "method", c->method ? c->method : "unknown", "station",
			ecms__qstr(msg->source), "recipe", ecms__qstr(c->recipe), "recipe_rev",
			ecms__qstr(c->recipe_revision), "inspector",
			ecms__qstr(operator_id(&c->op)), "result",
			u->result ? u->result : "unknown", "time", (json_int_t)at, "defects", defs,
			"findings", f);
	if (rec == NULL)
		return ECMS_ENOMEM;
	return keep(h, "board_inspections", recs, rec, rep);
}

/* ------------------------------------------------------------------
 * UnitsTested
 * ------------------------------------------------------------------ */

static int
tested_unit(ecms *h, const ecms_cfx_msg *msg, const ecms_cfx_checked_unit *u, size_t ui,
	    json_t *recs, struct ecms_quality_cfx_report *rep)
{
	const ecms_cfx_checks *c = &msg->u.tested;
	char ref[ECMS_CFX_ID_MAX + 48], sbuf[128], ebuf[128];
	const char *serial, *equip;
	json_t *ms = json_array(), *rec;
	int64_t at = msg->timestamp.ms;
	bool exists;
	int rc;

	if (u->unit_id == NULL) {
		json_decref(ms);
		return ecms__ctxfail(h, ECMS_EINVAL, "UnitIdentifier",
				     "%s %s: MessageBody.TestedUnits[%zu]: no UnitIdentifier",
				     ecms_cfx_kind_name(msg->kind), msg->unique_id, ui);
	}
	if ((rc = unit_serial(h, u->unit_id, u->position, sbuf, sizeof(sbuf), &serial))) {
		json_decref(ms);
		return rc;
	}
	for (size_t ci = 0; ci < u->n_checks; ci++) {
		const ecms_cfx_check *k = &u->checks[ci];
		if (k->start.text && (ci == 0 || k->start.ms < at))
			at = k->start.ms;
		for (size_t m = 0; m < k->n_measurements; m++)
			json_array_append_new(
				ms, ecms__q_cfx_measurement(&k->measurements[m], k->name));
		for (size_t s = 0; s < k->n_symptoms; s++)
			for (size_t m = 0; m < k->symptoms[s].n_measurements; m++)
				json_array_append_new(
					ms, ecms__q_cfx_measurement(&k->symptoms[s].measurements[m],
								    k->name));
	}
	if ((rc = equipment_of(h, msg->source, ebuf, sizeof(ebuf), &equip))) {
		json_decref(ms);
		return rc;
	}
	make_ref(ref, sizeof(ref), msg, u->position, -1);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:[]}", "serial", serial,
			"ref", ref, "source", "cfx", "method", c->method ? c->method : "unknown",
			"station", ecms__qstr(equip), "recipe", ecms__qstr(c->recipe), "recipe_rev",
			ecms__qstr(c->recipe_revision), "technician",
			ecms__qstr(operator_id(&c->op)), "equipment", ecms__qstr(equip), "result",
			ecms__qstr(u->result), "time", (json_int_t)at, "measurements", ms,
			"findings");
	if (rec == NULL)
		return ECMS_ENOMEM;
	if (json_is_null(json_object_get(rec, "result")))
		json_object_del(rec, "result");
	if ((rc = ecms__q_exists(h, "board_tests", serial, ref, &exists)) || exists) {
		if (exists)
			rep->skipped++;
		json_decref(rec);
		return rc;
	}
	if ((rc = ecms__q_test_check(h, rec)) == ECMS_OK)
		json_array_append(recs, rec);
	json_decref(rec);
	return rc;
}

/* ------------------------------------------------------------------
 * UnitsRepaired
 * ------------------------------------------------------------------ */

static int
repaired_unit(ecms *h, const ecms_cfx_msg *msg, const ecms_cfx_repaired_unit *u, size_t ui,
	      json_t *recs, struct ecms_quality_cfx_report *rep)
{
	char sbuf[128];
	const char *serial;
	int rc = ECMS_OK;

	if (u->unit_id == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "UnitIdentifier",
				     "%s %s: MessageBody.RepairedUnits[%zu]: no UnitIdentifier",
				     ecms_cfx_kind_name(msg->kind), msg->unique_id, ui);
	if ((rc = unit_serial(h, u->unit_id, u->position, sbuf, sizeof(sbuf), &serial)))
		return rc;
	for (size_t k = 0; rc == ECMS_OK && k < u->n_repairs; k++) {
		const ecms_cfx_repair *r = &u->repairs[k];
		char ref[ECMS_CFX_ID_MAX + 48], refdes[ECMS_GEN_REFDES_MAX + 1], action[600];
		const char *pin;
		int64_t at = r->end.text     ? r->end.ms
			     : r->start.text ? r->start.ms
					     : msg->timestamp.ms;
		json_t *rec;
		make_ref(ref, sizeof(ref), msg, u->position, (long)k);
		ecms__q_split_designator(r->component, refdes, sizeof(refdes), &pin);
		snprintf(action, sizeof(action), "%s%s%s", r->name ? r->name : "repair",
			 r->comments ? ": " : "", r->comments ? r->comments : "");
		rec = json_pack(
			"{s:s,s:s,s:s,s:o,s:o,s:o,s:n,s:o,s:s,s:I,s:[]}", "serial", serial, "ref",
			ref, "action", action, "designator", ecms__qstr(r->component), "refdes",
			ecms__qstr(r->component ? refdes : NULL), "pin", ecms__qstr(pin), "new_uid",
			"result", ecms__qstr(r->result ? r->result : u->result), "operator",
			operator_id(&msg->u.repaired.op) ? operator_id(&msg->u.repaired.op)
							 : "unknown",
			"time", (json_int_t)at, "findings");
		if (rec == NULL)
			return ECMS_ENOMEM;
		if ((rc = ecms__q_repair_check(h, rec))) {
			json_decref(rec);
			break;
		}
		rc = keep(h, "board_repairs", recs, rec, rep);
	}
	return rc;
}

/* ------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------ */

int
ecms_quality_apply_cfx(ecms *h, const ecms_cfx_msg *msg, const char *const *txn_units,
		       size_t n_txn_units, struct ecms_quality_cfx_report *rep)
{
	struct ecms_quality_cfx_report r0 = { 0 };
	json_t *recs = json_array(), *blobs = json_object(), *e;
	const char *kind, *table, *etype;
	int64_t seq;
	size_t i;
	int rc;

	if (rep == NULL)
		rep = &r0;
	*rep = (struct ecms_quality_cfx_report){ 0 };
	if (msg == NULL || !ecms_quality_cfx_handles(msg->kind)) {
		json_decref(recs);
		json_decref(blobs);
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "%s is not a quality message",
				     msg ? ecms_cfx_kind_name(msg->kind) : "(none)");
	}
	switch (msg->kind) {
	case ECMS_CFX_UNITS_PROCESSED:
		kind = "reflow", table = "reflow_records", etype = "quality.reflow";
		break;
	case ECMS_CFX_UNITS_INSPECTED:
		kind = "inspection", table = "board_inspections", etype = "quality.inspection";
		break;
	case ECMS_CFX_UNITS_TESTED:
		kind = "test", table = "board_tests", etype = "quality.test";
		break;
	default:
		kind = "repair", table = "board_repairs", etype = "quality.repair";
		break;
	}
	(void)table;
	if ((rc = ecms__begin(h))) {
		json_decref(recs);
		json_decref(blobs);
		return rc;
	}
	switch (msg->kind) {
	case ECMS_CFX_UNITS_PROCESSED:
		rc = processed(h, msg, txn_units, n_txn_units, recs, rep);
		break;
	case ECMS_CFX_UNITS_INSPECTED:
		for (i = 0; rc == ECMS_OK && i < msg->u.inspected.n_units; i++)
			rc = inspected_unit(h, msg, &msg->u.inspected.units[i], "InspectedUnits", i,
					    recs, blobs, rep);
		if (rc == ECMS_OK && msg->u.inspected.has_panel)
			rc = inspected_unit(h, msg, &msg->u.inspected.panel, NULL, 0, recs, blobs,
					    rep);
		break;
	case ECMS_CFX_UNITS_TESTED:
		for (i = 0; rc == ECMS_OK && i < msg->u.tested.n_units; i++)
			rc = tested_unit(h, msg, &msg->u.tested.units[i], i, recs, rep);
		break;
	default:
		for (i = 0; rc == ECMS_OK && i < msg->u.repaired.n_units; i++)
			rc = repaired_unit(h, msg, &msg->u.repaired.units[i], i, recs, rep);
		break;
	}
	if (rc == ECMS_OK && json_array_size(recs)) {
		rc = ecms__event(h, etype,
				 json_pack("{s:s,s:s,s:s?,s:O}", "cfx", msg->unique_id, "message",
					   msg->name, "source", msg->source, "records", recs),
				 &seq);
		/* The images, once each, as documents. */
		{
			const char *sha;
			json_t *b64;
			json_object_foreach(rc ? NULL : blobs, sha, b64) {
				unsigned char *bytes;
				char got[65], name[96];
				size_t len;
				if ((rc = ecms__q_base64(json_string_value(b64), &bytes, &len)))
					break;
				snprintf(name, sizeof(name), "defect-%.16s.img", sha);
				rc = ecms__doc_put(h, name, bytes, len, seq, got);
				ecms__free(bytes);
				if (rc)
					break;
			}
		}
		json_array_foreach(rc ? NULL : recs, i, e) {
			if ((rc = ecms__q_store(h, kind, e, seq)))
				break;
			rep->records++;
			rep->findings += json_array_size(json_object_get(e, "findings"));
		}
	}
	rc = ecms__end(h, rc);
	if (rc)
		*rep = (struct ecms_quality_cfx_report){ 0 };
	json_decref(recs);
	json_decref(blobs);
	return rc;
}
