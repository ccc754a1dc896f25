/*
 * rules.c: the receiving rule set. Each rule has a stable ID, a default
 * (enabled, severity, parameters) here, and optional site overrides in
 * the rules table, changed only through ecms_rules_set (an event).
 */
#include <string.h>

#include "ecms/receiving.h"
#include "event.h"
#include "master.h"
#include "rules.h"

struct rule_def {
	const char *id;
	const char *title;
	enum ecms__severity severity;
	bool signal;
	const char *params; /* default parameters, JSON */
};

static const struct rule_def defs[] = {
	{ "po.line", "the label's MPN or supplier part number is on an open line of the PO",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "part.aml", "the MPN and manufacturer are on the part's approved manufacturer list",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "part.msl", "the MSL is known for moisture-sensitive part categories",
	  ECMS_SEV_QUARANTINE, false,
	  "{\"categories\": [\"ic\", \"led\", \"transistor\", \"diode\", \"crystal\", "
	  "\"module\", \"optoelectronic\"]}" },
	{ "supplier.status", "the supplier is not blocked (conditional: a warning)",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "supplier.iso9001", "the supplier's ISO 9001 certificate is valid on the receipt date",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "supplier.authorised",
	  "the supplier is an authorised distributor for the manufacturer (broker source: "
	  "CoC and inspection required)",
	  ECMS_SEV_QUARANTINE, true, "{}" },
	{ "coc.required", "a CoC covering the MPN and lot, not expired, is on file when required",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "lot.po", "the lot matches the lot the PO line names", ECMS_SEV_QUARANTINE, false, "{}" },
	{ "lot.missing", "the label carries a lot code (N/T counts as missing)",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "datecode.missing", "the label carries a date code (N/T counts as missing)",
	  ECMS_SEV_QUARANTINE, false, "{}" },
	{ "datecode.invalid", "the date code can be decoded", ECMS_SEV_QUARANTINE, false, "{}" },
	{ "datecode.future", "the date code is not in the future", ECMS_SEV_QUARANTINE, true,
	  "{}" },
	{ "datecode.age",
	  "the date code is not older than the limit (PO line, else part, else default_months)",
	  ECMS_SEV_QUARANTINE, false, "{\"default_months\": 24}" },
	{ "qty.positive", "the label carries a positive quantity", ECMS_SEV_QUARANTINE, false,
	  "{}" },
	{ "qty.po", "the quantity fits the PO line's open quantity plus its tolerance",
	  ECMS_SEV_REFUSE, false, "{}" },
	{ "qty.std_pack", "the quantity is not above the part's standard pack (a full reel)",
	  ECMS_SEV_QUARANTINE, true, "{}" },
	{ "mpn.manufacturer", "the manufacturer on the label is the MPN's manufacturer",
	  ECMS_SEV_QUARANTINE, true, "{}" },
	{ "dup.serial", "the supplier's package serial has not been received before",
	  ECMS_SEV_QUARANTINE, true, "{}" },
	{ "dup.label", "no byte-identical label has been received on another package",
	  ECMS_SEV_QUARANTINE, true, "{}" },
};

static const char *const sev_names[] = { "warning", "quarantine", "refuse" };

const char *
ecms__severity_name(enum ecms__severity s)
{
	return sev_names[s];
}

static int
sev_parse(const char *s, enum ecms__severity *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (enum ecms__severity)i;
			return 0;
		}
	return -1;
}

void
ecms__rules_free(struct ecms__ruleset *rs)
{
	ecms__free(rs->rules);
	json_decref(rs->holder);
	memset(rs, 0, sizeof(*rs));
}

const struct ecms__rule *
ecms__rule(const struct ecms__ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

int
ecms__rules_load(ecms *h, struct ecms__ruleset *rs)
{
	ecms__stmt *st;
	int rc;

	memset(rs, 0, sizeof(*rs));
	rs->n = ECMS_ARRAY_LEN(defs);
	rs->rules = ecms__calloc(rs->n, sizeof(*rs->rules));
	rs->holder = json_array();
	if (rs->rules == NULL || rs->holder == NULL) {
		ecms__rules_free(rs);
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; i < rs->n; i++) {
		json_t *p = json_loads(defs[i].params, 0, NULL);
		rs->rules[i] = (struct ecms__rule){ defs[i].id, true, defs[i].severity,
						    defs[i].signal, p };
		json_array_append_new(rs->holder, p);
	}
	if ((rc = ecms__q(h, &st, "SELECT rule, enabled, severity, params FROM rules", ""))) {
		ecms__rules_free(rs);
		return rc;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		struct ecms__rule *r = (struct ecms__rule *)ecms__rule(rs, ecms__col_text(st, 0));
		json_t *p;
		if (r == NULL)
			continue; /* a rule this version no longer has */
		r->enabled = ecms__col_int(st, 1) != 0;
		(void)sev_parse(ecms__col_text(st, 2), &r->severity);
		p = json_loads(ecms__col_text(st, 3), 0, NULL);
		if (p) {
			json_object_update(r->params, p);
			json_decref(p);
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		ecms__rules_free(rs);
		return rc;
	}
	return ECMS_OK;
}

int
ecms_rules_list(ecms *h, json_t **out)
{
	struct ecms__ruleset rs;
	int rc;

	*out = NULL;
	if ((rc = ecms__rules_load(h, &rs)))
		return rc;
	*out = json_array();
	for (size_t i = 0; i < rs.n; i++)
		json_array_append_new(
			*out, json_pack("{s:s,s:s,s:b,s:s,s:b,s:O}", "rule", defs[i].id, "title",
					defs[i].title, "enabled", rs.rules[i].enabled, "severity",
					sev_names[rs.rules[i].severity], "signal",
					rs.rules[i].signal, "params", rs.rules[i].params));
	ecms__rules_free(&rs);
	return ECMS_OK;
}

/* Who may change the rule set: a quality decision. */
static const char *const rule_roles[] = { "qa", "admin", NULL };

int
ecms_rules_set(ecms *h, const char *rule, int enabled, const char *severity,
	       const char *params_json)
{
	struct ecms__ruleset rs;
	struct ecms__rule *r;
	enum ecms__severity sev = ECMS_SEV_QUARANTINE;
	json_t *p = NULL, *payload;
	json_error_t je;
	char *ptext;
	int64_t seq;
	int rc;

	if ((rc = ecms__require_role(h, ecms_actor(h), rule_roles, "change receiving rules")))
		return rc;
	if ((rc = ecms__rules_load(h, &rs)))
		return rc;
	r = (struct ecms__rule *)ecms__rule(&rs, rule);
	if (r == NULL) {
		ecms__rules_free(&rs);
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "rule",
				     "no rule '%s' (see 'ecms rules list')", rule);
	}
	if (severity && sev_parse(severity, &sev) != 0) {
		ecms__rules_free(&rs);
		return ecms__ctxfail(h, ECMS_EINVAL, "severity",
				     "severity '%s' is not one of: refuse, quarantine, warning",
				     severity);
	}
	if (params_json) {
		p = json_loads(params_json, 0, &je);
		if (!json_is_object(p)) {
			json_decref(p);
			ecms__rules_free(&rs);
			return ecms__ctxfail(h, ECMS_EINVAL, "params",
					     "parameters must be a JSON object: %s",
					     p ? "not an object" : je.text);
		}
		/* Only known parameters, of the same JSON type. */
		{
			const char *k;
			json_t *v;
			json_object_foreach(p, k, v) {
				json_t *d = json_object_get(r->params, k);
				if (d == NULL || json_typeof(d) != json_typeof(v)) {
					rc = ecms__ctxfail(h, ECMS_EINVAL, "params",
							   "rule %s has no parameter '%s' of "
							   "that type",
							   rule, k);
					json_decref(p);
					ecms__rules_free(&rs);
					return rc;
				}
			}
		}
		json_object_update(r->params, p);
		json_decref(p);
	}
	if (enabled >= 0)
		r->enabled = enabled != 0;
	if (severity)
		r->severity = sev;
	ptext = ecms__json_canonical(r->params);
	payload = json_pack("{s:s,s:b,s:s,s:O}", "rule", rule, "enabled", r->enabled, "severity",
			    sev_names[r->severity], "params", r->params);
	rc = ecms__begin(h);
	if (rc == ECMS_OK)
		rc = ecms__event(h, "rule.changed", payload, &seq);
	else
		json_decref(payload);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO rules (rule, enabled, severity, params, updated_seq) "
				"VALUES (?, ?, ?, ?, ?) ON CONFLICT (rule) DO UPDATE SET "
				"enabled = excluded.enabled, severity = excluded.severity, "
				"params = excluded.params, updated_seq = excluded.updated_seq",
				"tBtti", rule, (int)r->enabled, sev_names[r->severity], ptext, seq);
	rc = ecms__end(h, rc);
	free(ptext); /* checksrc:ok jansson's allocator */
	ecms__rules_free(&rs);
	return rc;
}
