/*
 * report_html.c: the board birth certificate and the compliance report as
 * one self-contained HTML file each (CSS inline; reflow plots as inline
 * SVG from reflowplot.c, their element ids prefixed per plot so several
 * plots on a page do not share glyph or clip definitions).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecms/reflowplot.h"
#include "master.h"
#include "report_int.h"

static const char css[] =
	"body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#22262e;"
	"margin:0;background:#f4f6f9}"
	"main{max-width:1080px;margin:0 auto;padding:28px 36px 48px;background:#fff}"
	"h1{color:#174a85;font-size:26px;margin:0 0 4px}"
	".sub{color:#6b7280;margin:0 0 18px;border-bottom:2px solid #174a85;padding-bottom:10px}"
	"h2{font-size:17px;color:#174a85;border-left:4px solid #174a85;padding-left:8px;"
	"margin:28px 0 10px}"
	"h3{font-size:14px;margin:18px 0 6px}"
	"table{border-collapse:collapse;width:100%;font-size:12px;margin:4px 0 12px}"
	"th{background:#e8ecf4;text-align:left;padding:5px 6px;border-bottom:1px solid #ccd1d9}"
	"td{padding:4px 6px;border-bottom:1px solid #e6e8ec;vertical-align:top}"
	"tr:nth-child(even) td{background:#f8f9fb}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	".kv{display:grid;grid-template-columns:repeat(2,140px 1fr);gap:4px 12px;font-size:13px}"
	".kv .k{color:#6b7280}"
	".fail{color:#bf1a1a;font-weight:600}.warn{color:#b36b00;font-weight:600}"
	".pass{color:#0d7333;font-weight:600}.note{color:#6b7280}"
	".mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;"
	"word-break:break-all}"
	".plot{margin:8px 0;border:1px solid #e6e8ec}.plot svg{width:100%;height:auto}"
	"footer{margin-top:32px;padding-top:10px;border-top:1px solid #ccd1d9;color:#6b7280;"
	"font-size:11px}";

static int
esc(ecms_buf *b, const char *s)
{
	int rc = ECMS_OK;

	for (; s && *s && rc == ECMS_OK; s++) {
		switch (*s) {
		case '&':
			rc = ecms__buf_adds(b, "&amp;");
			break;
		case '<':
			rc = ecms__buf_adds(b, "&lt;");
			break;
		case '>':
			rc = ecms__buf_adds(b, "&gt;");
			break;
		case '"':
			rc = ecms__buf_adds(b, "&quot;");
			break;
		default:
			rc = ecms__buf_addc(b, *s);
			break;
		}
	}
	return rc;
}

/* Accumulate the first error: a failed append sticks. */
struct out {
	ecms_buf b;
	int rc;
	int plots;
};

static void
raw(struct out *o, const char *s)
{
	if (o->rc == ECMS_OK)
		o->rc = ecms__buf_adds(&o->b, s);
}

static void
text(struct out *o, const char *s)
{
	if (o->rc == ECMS_OK)
		o->rc = esc(&o->b, s && *s ? s : "-");
}

static const char *
js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : NULL;
}

static const char *
cls(const char *s)
{
	if (s == NULL)
		return "";
	if (!strncmp(s, "FAIL", 4) || !strcmp(s, "fail") || !strcmp(s, "Failed") ||
	    !strcmp(s, "lapsed") || !strcmp(s, "missing") || !strcmp(s, "non-compliant"))
		return "fail";
	if (!strncmp(s, "WARN", 4) || !strcmp(s, "warn") || !strcmp(s, "svhc") ||
	    !strcmp(s, "exempt") || !strcmp(s, "unregistered"))
		return "warn";
	if (!strncmp(s, "PASS", 4) || !strcmp(s, "pass") || !strcmp(s, "Passed") ||
	    !strcmp(s, "valid") || !strcmp(s, "ok") || !strcmp(s, "RepairSuccessful") ||
	    !strcmp(s, "verified"))
		return "pass";
	return "";
}

static void
td(struct out *o, const char *s, bool num, bool result)
{
	raw(o, num ? "<td class=\"n\">" : "<td>");
	if (result && *cls(s)) {
		raw(o, "<span class=\"");
		raw(o, cls(s));
		raw(o, "\">");
		text(o, s);
		raw(o, "</span>");
	} else {
		text(o, s);
	}
	raw(o, "</td>");
}

static void
tdv(struct out *o, const json_t *v, bool num, bool result)
{
	char b[512];

	ecms__report_scalar(v, "-", b, sizeof(b));
	td(o, b, num, result);
}

static void
thead(struct out *o, const char *const *cols)
{
	raw(o, "<table><thead><tr>");
	for (; *cols; cols++) {
		raw(o, "<th>");
		text(o, *cols);
		raw(o, "</th>");
	}
	raw(o, "</tr></thead><tbody>\n");
}

/* One row of the keys of e; bit k of num / res marks column k as a number /
 * a result. */
static void
tr_keys(struct out *o, const json_t *e, const char *const *keys, size_t n, unsigned num,
	unsigned res)
{
	raw(o, "<tr>");
	for (size_t k = 0; k < n; k++)
		tdv(o, json_object_get(e, keys[k]), num >> k & 1u, res >> k & 1u);
	raw(o, "</tr>\n");
}

static void
kvrow(struct out *o, const char *k, const char *v)
{
	raw(o, "<div class=\"k\">");
	text(o, k);
	raw(o, "</div><div>");
	if (*cls(v)) {
		raw(o, "<span class=\"");
		raw(o, cls(v));
		raw(o, "\">");
		text(o, v);
		raw(o, "</span>");
	} else {
		text(o, v);
	}
	raw(o, "</div>");
}

static void
head(struct out *o, const char *title)
{
	raw(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	text(o, title);
	raw(o, "</title><style>");
	raw(o, css);
	raw(o, "</style></head><body><main>\n");
}

static void
foot(struct out *o, const json_t *j, const json_t *log, const char *seqk, const char *hashk)
{
	char b[600];

	snprintf(b, sizeof(b),
		 "Built from event log position %lld, head hash %s. Generated %s by ecms; "
		 "check with 'ecms audit verify'.",
		 (long long)ecms__ri(log, seqk), js(log, hashk) ? js(log, hashk) : "-",
		 js(j, "generated") ? js(j, "generated") : "-");
	raw(o, "<footer>");
	text(o, b);
	raw(o, "</footer></main></body></html>\n");
}

/* The SVG plot, its ids prefixed ("p<N>-"), without the XML prolog. */
static void
plot(struct out *o, ecms *h, const struct ecms_reflow_profile *p,
     const struct ecms_reflow_window *w)
{
	unsigned char *svg = NULL;
	size_t len, i;
	char pre[16];
	ecms_error e;
	const char *s;

	if (o->rc)
		return;
	if (ecms_reflow_plot(p, w, NULL, ECMS_REFLOW_PLOT_SVG, 720, 330, &svg, &len, &e)) {
		o->rc = ecms__ctxfail(h, e.rc ? e.rc : ECMS_EINTERNAL, NULL, "%s", e.message);
		return;
	}
	snprintf(pre, sizeof(pre), "p%d-", ++o->plots);
	s = strstr((const char *)svg, "<svg");
	raw(o, "<div class=\"plot\">");
	for (i = s ? (size_t)(s - (const char *)svg) : 0; i < len && o->rc == ECMS_OK; i++) {
		static const char *const pats[] = { "id=\"", "href=\"#", "url(#" };
		size_t k, n = 0;
		for (k = 0; k < ECMS_ARRAY_LEN(pats); k++) {
			n = strlen(pats[k]);
			if (len - i >= n && memcmp(svg + i, pats[k], n) == 0)
				break;
		}
		if (k < ECMS_ARRAY_LEN(pats)) {
			o->rc = ecms__buf_add(&o->b, svg + i, n);
			raw(o, pre);
			i += n - 1;
		} else {
			o->rc = ecms__buf_addc(&o->b, (char)svg[i]);
		}
	}
	raw(o, "</div>\n");
	ecms_free(svg);
}

static int
finish(ecms *h, struct out *o, unsigned char **out, size_t *len)
{
	if (o->rc) {
		ecms__buf_cleanup(&o->b);
		return o->rc == ECMS_ENOMEM || o->rc == ECMS_EINVAL
			       ? ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory for the report")
			       : o->rc;
	}
	*len = o->b.len;
	*out = (unsigned char *)ecms__buf_take(&o->b);
	return *out ? ECMS_OK : ECMS_ENOMEM;
}

int
ecms__report_board_html(ecms *h, const json_t *j, unsigned char **out, size_t *len)
{
	const json_t *b = json_object_get(j, "board"), *e;
	struct out o = { .rc = ECMS_OK };
	char t[600];
	size_t i, k;
	json_t *x;

	*out = NULL;
	*len = 0;
	ecms__buf_init(&o.b, ECMS_REPORT_MAX_BYTES);
	snprintf(t, sizeof(t), "Board birth certificate %s", js(b, "serial"));
	head(&o, t);
	raw(&o, "<h1>Board birth certificate</h1><p class=\"sub\">");
	snprintf(t, sizeof(t), "Serial %s · %s rev %s · work order %s", js(b, "serial"),
		 js(b, "product") ? js(b, "product") : "-",
		 js(b, "revision") ? js(b, "revision") : "-",
		 js(b, "work_order") ? js(b, "work_order") : "-");
	text(&o, t);
	raw(&o, "</p><div class=\"kv\">");
	kvrow(&o, "Serial", js(b, "serial"));
	kvrow(&o, "Result", ecms__report_upper_result(js(j, "result")));
	kvrow(&o, "Product", js(b, "product"));
	kvrow(&o, "Revision", js(b, "revision"));
	kvrow(&o, "Work order", js(b, "work_order"));
	kvrow(&o, "Customer", js(b, "customer"));
	if (js(b, "shipped"))
		snprintf(t, sizeof(t), "shipped %.10s to %s (%s)", js(b, "shipped"),
			 js(b, "shipped_to") ? js(b, "shipped_to") : "?",
			 js(b, "shipment") ? js(b, "shipment") : "-");
	else
		snprintf(t, sizeof(t), "%s", js(b, "status") ? js(b, "status") : "-");
	kvrow(&o, "Status", t);
	kvrow(&o, "Hold", js(b, "hold") ? js(b, "hold") : "none");
	snprintf(t, sizeof(t), "%zu", json_array_size(json_object_get(j, "components")));
	kvrow(&o, "Components", t);
	kvrow(&o, "Generated", js(j, "generated"));
	raw(&o, "</div>\n<h2>Components and their origin</h2>\n");
	{
		static const char *const cols[] = { "Refdes",    "Package",      "IPN",
						    "MPN",       "Manufacturer", "Lot",
						    "Date code", "Supplier",     "PO",
						    "CoC",       "CoC SHA-256",  NULL };
		static const char *const keys[] = { "refdes",       "uid", "ipn",       "mpn",
						    "manufacturer", "lot", "date_code", "supplier",
						    "po",           "coc" };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "components"), i, e) {
			raw(&o, "<tr>");
			for (k = 0; k < ECMS_ARRAY_LEN(keys); k++) {
				if (k == 1 && json_is_true(json_object_get(e, "ambiguous"))) {
					char c[400] = "ambiguous:";
					size_t q;
					json_array_foreach(json_object_get(e, "candidates"), q, x) {
						size_t l = strlen(c);
						snprintf(c + l, sizeof(c) - l, " %s (lot %s)",
							 js(x, "uid"),
							 js(x, "lot") ? js(x, "lot") : "?");
					}
					raw(&o, "<td class=\"warn\">");
					text(&o, c);
					raw(&o, "</td>");
					continue;
				}
				tdv(&o, json_object_get(e, keys[k]), false, false);
			}
			raw(&o, "<td class=\"mono\">");
			text(&o, js(e, "coc_sha256"));
			raw(&o, "</td></tr>\n");
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Route</h2>\n");
	{
		static const char *const cols[] = { "Time (UTC)", "Step",   "Station", "Operator",
						    "Result",     "Detail", NULL };
		static const char *const keys[] = { "time",     "step",   "station",
						    "operator", "result", "detail" };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "route"), i, e) {
			tr_keys(&o, e, keys, ECMS_ARRAY_LEN(keys), 0, 1u << 4);
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Reflow soldering</h2>\n");
	if (json_array_size(json_object_get(j, "reflow")) == 0)
		raw(&o, "<p class=\"note\">No reflow record.</p>\n");
	json_array_foreach(json_object_get(j, "reflow"), i, e) {
		static const char *const cols[] = { "Metric", "Unit",   "Measured",
						    "Limits", "Status", NULL };
		struct ecms_reflow_profile *p = NULL;
		struct ecms_reflow_window w;
		size_t f;
		json_t *fe;
		int rc = ecms__report_profile(h, e, &p, &w);
		if (rc) {
			ecms__buf_cleanup(&o.b);
			return rc;
		}
		snprintf(t, sizeof(t), "Reflow pass %lld (%s, %s) - %s",
			 (long long)ecms__ri(e, "pass"), js(e, "source"), js(e, "time"),
			 ecms__report_upper_result(js(e, "result")));
		raw(&o, "<h3>");
		text(&o, t);
		raw(&o, "</h3><div class=\"kv\">");
		kvrow(&o, "Oven / station", js(e, "station"));
		kvrow(&o, "Paste", js(e, "paste"));
		snprintf(t, sizeof(t), "%.1f °C", w.liquidus_c);
		kvrow(&o, "Liquidus", t);
		if (json_is_number(json_object_get(e, "min_peak_c")))
			snprintf(t, sizeof(t), "%.1f °C (%s)",
				 json_number_value(json_object_get(e, "min_peak_c")),
				 js(e, "min_peak_refdes"));
		else
			snprintf(t, sizeof(t), "not known");
		kvrow(&o, "Lowest component rating", t);
		raw(&o, "</div>\n");
		if (p)
			plot(&o, h, p, &w);
		ecms_reflow_profile_free(p);
		if (json_array_size(json_object_get(json_object_get(e, "metrics"), "zones"))) {
			static const char *const zcols[] = { "Oven zone", "Type", "Setpoint (°C)",
							     "Reading (°C)", NULL };
			json_t *z;
			raw(&o, "<p class=\"note\">The oven reports zone temperatures, not a board "
				"curve: the peak is bounded by the hottest zone reading.</p>\n");
			thead(&o, zcols);
			json_array_foreach(json_object_get(json_object_get(e, "metrics"), "zones"),
					   f, z) {
				raw(&o, "<tr>");
				tdv(&o, json_object_get(z, "name"), false, false);
				tdv(&o, json_object_get(z, "type"), false, false);
				tdv(&o, json_object_get(z, "setpoint_c"), true, false);
				tdv(&o, json_object_get(z, "reading_c"), true, false);
				raw(&o, "</tr>\n");
			}
			raw(&o, "</tbody></table>\n");
		}
		thead(&o, cols);
		for (int m = 0; m < ECMS_REFLOW_NMETRICS; m++) {
			char me[64], li[96];
			const char *st;
			ecms__report_metric(e, &w, (enum ecms_reflow_metric)m, me, sizeof(me), li,
					    sizeof(li), &st);
			raw(&o, "<tr>");
			td(&o, ecms__report_metric_label((enum ecms_reflow_metric)m), false, false);
			td(&o, ecms_reflow_metric_unit((enum ecms_reflow_metric)m), false, false);
			td(&o, me, true, false);
			td(&o, li, true, false);
			td(&o, st, false, true);
			raw(&o, "</tr>\n");
		}
		raw(&o, "</tbody></table>\n<ul>");
		json_array_foreach(json_object_get(e, "findings"), f, fe) {
			const char *sev = js(fe, "severity");
			raw(&o, "<li class=\"");
			raw(&o, !strcmp(sev, "fail")   ? "fail"
				: !strcmp(sev, "warn") ? "warn"
						       : "note");
			raw(&o, "\">");
			text(&o, js(fe, "code"));
			raw(&o, ": ");
			text(&o, js(fe, "text"));
			raw(&o, "</li>");
		}
		raw(&o, "</ul>\n");
	}
	raw(&o, "<h2>Inspection</h2>\n");
	if (json_array_size(json_object_get(j, "inspections")) == 0)
		raw(&o, "<p class=\"note\">No inspection record.</p>\n");
	json_array_foreach(json_object_get(j, "inspections"), i, e) {
		static const char *const cols[] = { "Check",       "Designator", "Refdes",
						    "Pin",         "Code",       "Category",
						    "Description", "Images",     NULL };
		static const char *const keys[] = { "check", "designator", "refdes",     "pin",
						    "code",  "category",   "description" };
		size_t d;
		json_t *de;
		snprintf(t, sizeof(t), "%s %s - %s (station %s, inspector %s)", js(e, "method"),
			 js(e, "time"), js(e, "result"), js(e, "station") ? js(e, "station") : "-",
			 js(e, "inspector") ? js(e, "inspector") : "-");
		raw(&o, "<h3>");
		text(&o, t);
		raw(&o, "</h3>\n");
		if (json_array_size(json_object_get(e, "defects")) == 0) {
			raw(&o, "<p class=\"note\">No defects.</p>\n");
			continue;
		}
		thead(&o, cols);
		json_array_foreach(json_object_get(e, "defects"), d, de) {
			raw(&o, "<tr>");
			for (k = 0; k < ECMS_ARRAY_LEN(keys); k++)
				tdv(&o, json_object_get(de, keys[k]), false, false);
			raw(&o, "<td class=\"mono\">");
			json_array_foreach(json_object_get(de, "images"), k, x) {
				text(&o, js(x, "mime"));
				raw(&o, " sha256:");
				text(&o, js(x, "sha256"));
				raw(&o, "<br>");
			}
			raw(&o, "</td></tr>\n");
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Test</h2>\n");
	if (json_array_size(json_object_get(j, "tests")) == 0)
		raw(&o, "<p class=\"note\">No test record.</p>\n");
	json_array_foreach(json_object_get(j, "tests"), i, e) {
		static const char *const cols[] = { "Test", "Measurement", "Value",  "Unit", "Min",
						    "Max",  "Refdes",      "Result", NULL };
		static const char *const keys[] = { "test", "name", "value",  "unit",
						    "min",  "max",  "refdes", "result" };
		size_t m;
		json_t *me;
		snprintf(t, sizeof(t), "%s %s - %s", js(e, "method"), js(e, "time"),
			 js(e, "result"));
		raw(&o, "<h3>");
		text(&o, t);
		raw(&o, "</h3><div class=\"kv\">");
		kvrow(&o, "Station", js(e, "station"));
		kvrow(&o, "Recipe", js(e, "recipe"));
		kvrow(&o, "Technician", js(e, "technician"));
		kvrow(&o, "Equipment", js(e, "equipment"));
		kvrow(&o, "Calibration", js(e, "calibration"));
		kvrow(&o, "Source", js(e, "source"));
		raw(&o, "</div>\n");
		thead(&o, cols);
		json_array_foreach(json_object_get(e, "measurements"), m, me) {
			tr_keys(&o, me, keys, ECMS_ARRAY_LEN(keys), 1u << 2 | 1u << 4 | 1u << 5,
				1u << 7);
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Rework and repair</h2>\n");
	{
		static const char *const cols[] = { "Time (UTC)", "Refdes", "Removed", "Fitted",
						    "By",         "Reason", NULL };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "rework"), i, e) {
			char old[300] = "";

			ecms__report_join(json_object_get(e, "old"), ", ", old, sizeof(old));
			raw(&o, "<tr>");
			tdv(&o, json_object_get(e, "time"), false, false);
			tdv(&o, json_object_get(e, "refdes"), false, false);
			td(&o, old, false, false);
			tdv(&o, json_object_get(e, "new"), false, false);
			tdv(&o, json_object_get(e, "user"), false, false);
			tdv(&o, json_object_get(e, "reason"), false, false);
			raw(&o, "</tr>\n");
		}
		raw(&o, "</tbody></table>\n");
	}
	{
		static const char *const cols[] = { "Time (UTC)",  "Designator", "Action",
						    "New package", "Operator",   "Result",
						    NULL };
		static const char *const keys[] = { "time",    "designator", "action",
						    "new_uid", "operator",   "result" };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "repairs"), i, e) {
			tr_keys(&o, e, keys, ECMS_ARRAY_LEN(keys), 0, 1u << 5);
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Findings</h2>\n");
	{
		static const char *const cols[] = { "Severity", "Code", "Record", "Finding", NULL };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "findings"), i, e) {
			const char *sev = js(e, "severity");
			raw(&o, "<tr>");
			td(&o,
			   !strcmp(sev, "fail")   ? "FAIL"
			   : !strcmp(sev, "warn") ? "WARN"
						  : "note",
			   false, true);
			tdv(&o, json_object_get(e, "code"), false, false);
			tdv(&o, json_object_get(e, "kind"), false, false);
			tdv(&o, json_object_get(e, "text"), false, false);
			raw(&o, "</tr>\n");
		}
		raw(&o, "</tbody></table>\n");
	}
	foot(&o, j, json_object_get(j, "log"), "seq", "hash");
	return finish(h, &o, out, len);
}

int
ecms__report_compliance_html(ecms *h, const json_t *j, unsigned char **out, size_t *len)
{
	const json_t *sc = json_object_get(j, "scope"), *au = json_object_get(j, "audit"), *e;
	struct out o = { .rc = ECMS_OK };
	bool order = js(sc, "work_order") && !js(sc, "serial");
	char t[600];
	size_t i;

	*out = NULL;
	*len = 0;
	ecms__buf_init(&o.b, ECMS_REPORT_MAX_BYTES);
	snprintf(t, sizeof(t), "Compliance report %s",
		 order ? js(sc, "work_order") : js(sc, "serial"));
	head(&o, t);
	raw(&o, "<h1>Compliance report</h1><p class=\"sub\">");
	snprintf(t, sizeof(t), "%s %s · %s rev %s · RoHS, REACH, CoC, test, audit",
		 order ? "Work order" : "Board", order ? js(sc, "work_order") : js(sc, "serial"),
		 js(sc, "product") ? js(sc, "product") : "-",
		 js(sc, "revision") ? js(sc, "revision") : "-");
	text(&o, t);
	raw(&o, "</p><div class=\"kv\">");
	kvrow(&o, order ? "Work order" : "Board", order ? js(sc, "work_order") : js(sc, "serial"));
	kvrow(&o, "Customer", js(sc, "customer"));
	snprintf(t, sizeof(t), "%zu", json_array_size(json_object_get(j, "boards")));
	kvrow(&o, "Boards", t);
	snprintf(t, sizeof(t), "%lld of %zu", (long long)ecms__ri(j, "flagged"),
		 json_array_size(json_object_get(j, "parts")));
	kvrow(&o, "Parts flagged", t);
	kvrow(&o, "Event log", json_is_true(json_object_get(au, "verified")) ? "verified" : "FAIL");
	kvrow(&o, "Generated", js(j, "generated"));
	raw(&o, "</div>\n<h2>Event log verification</h2><p>");
	if (json_is_true(json_object_get(au, "verified")))
		snprintf(t, sizeof(t),
			 "Verified: all %lld events recompute to their hashes and link in order; "
			 "head event %lld, hash %s.",
			 (long long)ecms__ri(au, "events"), (long long)ecms__ri(au, "head_seq"),
			 js(au, "head_hash"));
	else
		snprintf(t, sizeof(t), "NOT VERIFIED: first bad event %lld: %s",
			 (long long)ecms__ri(au, "first_bad_seq"), js(au, "reason"));
	text(&o, t);
	raw(&o, "</p>\n<h2>Materials: RoHS and REACH</h2>\n");
	{
		static const char *const cols[] = { "IPN",          "Description", "MPN",
						    "Manufacturer", "RoHS",        "REACH",
						    "Refdes",       "Boards",      "Status",
						    "Note",         NULL };
		static const char *const keys[] = { "ipn",          "description", "mpn",
						    "manufacturer", "rohs",        "reach",
						    "refdes",       "boards",      "status",
						    "note" };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "parts"), i, e) {
			tr_keys(&o, e, keys, ECMS_ARRAY_LEN(keys), 1u << 6 | 1u << 7,
				1u << 4 | 1u << 5 | 1u << 8);
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Certificates of conformance</h2>\n");
	{
		static const char *const cols[] = { "CoC",     "Supplier",    "MPN",
						    "Lots",    "Issued",      "File",
						    "SHA-256", "Stored copy", NULL };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "cocs"), i, e) {
			char lots[300] = "";

			ecms__report_join(json_object_get(e, "lots"), ", ", lots, sizeof(lots));
			raw(&o, "<tr>");
			tdv(&o, json_object_get(e, "id"), false, false);
			tdv(&o, json_object_get(e, "supplier"), false, false);
			tdv(&o, json_object_get(e, "mpn"), false, false);
			td(&o, lots, false, false);
			tdv(&o, json_object_get(e, "issued"), false, false);
			tdv(&o, json_object_get(e, "file"), false, false);
			raw(&o, "<td class=\"mono\">");
			text(&o, js(e, "sha256"));
			raw(&o, "</td>");
			td(&o,
			   json_is_true(json_object_get(e, "verified")) ? "verified"
									: "FAIL altered",
			   false, true);
			raw(&o, "</tr>\n");
		}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Test records</h2>\n");
	{
		static const char *const cols[] = { "Serial",    "Time (UTC)",  "Method", "Station",
						    "Equipment", "Calibration", "Result", NULL };
		static const char *const keys[] = { "serial",    "time",        "method", "station",
						    "equipment", "calibration", "result" };
		thead(&o, cols);
		json_array_foreach(json_object_get(j, "tests"), i, e) {
			tr_keys(&o, e, keys, ECMS_ARRAY_LEN(keys), 0, ~0u << 5);
		}
		raw(&o, "</tbody></table>\n");
	}
	foot(&o, j, au, "head_seq", "head_hash");
	return finish(h, &o, out, len);
}

int
ecms__report_recall_html(ecms *h, const json_t *j, unsigned char **out, size_t *len)
{
	static const char *const groups[] = { "shipped", "completed", "wip", "scrapped", "other" };
	const json_t *r = json_object_get(j, "recall"), *sc = json_object_get(r, "scope"),
		     *cn = json_object_get(r, "counts"), *e;
	struct out o = { .rc = ECMS_OK };
	char t[600];
	size_t i, k;
	json_t *x;

	*out = NULL;
	*len = 0;
	ecms__buf_init(&o.b, ECMS_REPORT_MAX_BYTES);
	snprintf(t, sizeof(t), "Recall notice %s", js(r, "id") ? js(r, "id") : "");
	head(&o, t);
	raw(&o, "<h1>Recall notice</h1><p class=\"sub\">");
	snprintf(t, sizeof(t), "%s · lot %s%s%s", js(r, "id") ? js(r, "id") : "-",
		 js(sc, "lot") ? js(sc, "lot") : "-", js(sc, "mpn") ? " · MPN " : "",
		 js(sc, "mpn") ? js(sc, "mpn") : "");
	text(&o, t);
	raw(&o, "</p><div class=\"kv\">");
	kvrow(&o, "Recall", js(r, "id"));
	kvrow(&o, "Lot", js(sc, "lot"));
	kvrow(&o, "MPN", js(sc, "mpn") ? js(sc, "mpn") : "any");
	kvrow(&o, "Decided by", js(r, "user"));
	kvrow(&o, "Decided", js(r, "time"));
	kvrow(&o, "Reason", js(r, "reason"));
	snprintf(t, sizeof(t), "%lld", (long long)ecms__ri(r, "count"));
	kvrow(&o, "Boards affected", t);
	snprintf(t, sizeof(t), "%lld", (long long)ecms__ri(cn, "shipped"));
	kvrow(&o, "Shipped", t);
	snprintf(t, sizeof(t), "%lld", (long long)ecms__ri(r, "boards_held"));
	kvrow(&o, "Boards put on hold", t);
	snprintf(t, sizeof(t), "%lld", (long long)ecms__ri(r, "packages_held"));
	kvrow(&o, "Packages put on hold", t);
	raw(&o, "</div>\n<h2>How the boards were found</h2><p>");
	text(&o, js(j, "method"));
	raw(&o, "</p>\n");
	json_array_foreach(json_object_get(r, "customers"), i, e) {
		static const char *const cols[] = { "Serial",    "Work order", "Status",
						    "Shipped",   "Shipment",   "Refdes",
						    "Ambiguous", "Held",       NULL };
		snprintf(t, sizeof(t), "Customer: %s - %lld boards",
			 js(e, "customer") ? js(e, "customer") : "unknown work order",
			 (long long)ecms__ri(e, "count"));
		raw(&o, "<h2>");
		text(&o, t);
		raw(&o, "</h2>\n");
		thead(&o, cols);
		for (size_t g = 0; g < ECMS_ARRAY_LEN(groups); g++)
			json_array_foreach(json_object_get(e, groups[g]), k, x) {
				char rd[300], am[300];
				ecms__report_join(json_object_get(x, "refdes"), " ", rd,
						  sizeof(rd));
				ecms__report_join(json_object_get(x, "ambiguous"), " ", am,
						  sizeof(am));
				raw(&o, "<tr>");
				tdv(&o, json_object_get(x, "serial"), false, false);
				tdv(&o, json_object_get(x, "work_order"), false, false);
				tdv(&o, json_object_get(x, "status"), false, false);
				tdv(&o, json_object_get(x, "shipped"), false, false);
				tdv(&o, json_object_get(x, "shipment"), false, false);
				td(&o, rd, false, false);
				td(&o, am, false, false);
				tdv(&o, json_object_get(x, "held"), false, false);
				raw(&o, "</tr>\n");
			}
		raw(&o, "</tbody></table>\n");
	}
	raw(&o, "<h2>Packages of the lot</h2>\n");
	{
		static const char *const cols[] = { "Package", "IPN",           "MPN",
						    "Lot",     "Status before", "Location",
						    "Held",    "Loaded on",     NULL };
		thead(&o, cols);
		json_array_foreach(json_object_get(r, "packages"), i, e) {
			char ld[200];
			ecms__report_join(json_object_get(e, "loaded"), " ", ld, sizeof(ld));
			raw(&o, "<tr>");
			tdv(&o, json_object_get(e, "uid"), false, false);
			tdv(&o, json_object_get(e, "ipn"), false, false);
			tdv(&o, json_object_get(e, "mpn"), false, false);
			tdv(&o, json_object_get(e, "lot"), false, false);
			tdv(&o, json_object_get(e, "status"), false, false);
			tdv(&o, json_object_get(e, "location"), false, false);
			tdv(&o, json_object_get(e, "held"), false, false);
			td(&o, ld, false, false);
			raw(&o, "</tr>\n");
		}
		raw(&o, "</tbody></table>\n");
	}
	foot(&o, j, json_object_get(j, "log"), "seq", "hash");
	return finish(h, &o, out, len);
}
