/*
 * test_cfxingest.c: applying CFX messages (ecms_cfx_ingest_buf).
 *
 * The SDK's example messages ingest cleanly; a realistic line sequence
 * (load, work started/completed, installed, splice with grey zone,
 * unload) gives the genealogy it should (ecms_gen_trace_board); a
 * replayed stream changes nothing; a malformed line and an inapplicable
 * message are rejected with their line while the rest applies; unknown
 * packages and work orders are flagged; the out-of-order policy; gzip
 * input; panels joined through the transaction; rework from
 * MaterialsUninstalled + MaterialsInstalled; allocated serials found by
 * panel and position.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "testutil.h"
#include "ecms/board.h"
#include "ecms/cfxingest.h"
#include "ecms/event.h"
#include "ecms/genealogy.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "store/store.h"

#define M1 "Fuji.NXT3.SN1"

#define OK(h, expr)                                                                                \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ != ECMS_OK)                                                                \
			fail_msg("%s:%d: %s: rc %d: %s", __FILE__, __LINE__, #expr, rc_,           \
				 ecms_errmsg(h));                                                  \
	} while (0)

/* ------------------------------------------------------------------
 * Building streams
 * ------------------------------------------------------------------ */

struct stream {
	char *data;
	size_t len;
	int n; /* envelopes so far (UniqueID counter) */
};

static void
add_line(struct stream *s, const char *line)
{
	size_t n = strlen(line);

	s->data = realloc(s->data, s->len + n + 2);
	memcpy(s->data + s->len, line, n);
	s->len += n;
	s->data[s->len++] = '\n';
	s->data[s->len] = '\0';
}

/* Append an envelope: name (after "CFX."), minute offset from 09:00
 * (+01:00), source, body JSON text. */
static void
add(struct stream *s, const char *name, double minute, const char *source, const char *body)
{
	char head[512], *line;
	int sec = (int)(minute * 60);

	snprintf(head, sizeof(head),
		 "{\"MessageName\":\"CFX.%s\",\"Version\":\"2.1\",\"TimeStamp\":"
		 "\"2026-01-15T%02d:%02d:%02d.000+01:00\",\"UniqueID\":"
		 "\"00000000-0000-4000-8000-%012d\",\"Source\":%s%s%s,\"Target\":null,"
		 "\"RequestID\":null,\"MessageBody\":",
		 name, 9 + sec / 3600, sec / 60 % 60, sec % 60, ++s->n, source ? "\"" : "",
		 source ? source : "null", source ? "\"" : "");
	line = malloc(strlen(head) + strlen(body) + 2);
	sprintf(line, "%s%s}", head, body);
	add_line(s, line);
	free(line);
}

/* UTC ms of minute m of the stream (09:00+01:00 = 08:00Z = TU_NOW_MS). */
#define T(m) (TU_NOW_MS + (int64_t)((m)*60) * 1000)

static void
ingest(ecms *h, const struct stream *s, struct ecms_cfx_ingest_report *rep)
{
	ecms_cfx_report_init(rep);
	OK(h, ecms_cfx_ingest_buf(h, s->data, s->len, "test", rep));
}

static int64_t
events(ecms *h)
{
	int64_t n;

	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM events", ""), 0);
	return n;
}

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

static void
program(ecms *h)
{
	static const char *const s1[] = { "R1", "R2" }, *const s2[] = { "C1" };
	struct ecms_gen_slotmap sm[] = { { "S1", "RES-10K", s1, 2 }, { "S2", "CAP-100N", s2, 1 } };

	OK(h, ecms_gen_program_set(h, "P1", M1, sm, 2, NULL));
}

static const char *
load_body(char *buf, size_t n, const char *slot, const char *uid)
{
	snprintf(buf, n,
		 "{\"Materials\":[{\"LocationIdentifier\":\"L-%s\",\"LocationName\":\"%s\","
		 "\"MaterialPackage\":{\"UniqueIdentifier\":\"%s\",\"InternalPartNumber\":"
		 "\"RES-10K\",\"Quantity\":5000.0}}]}",
		 slot, slot, uid);
	return buf;
}

static const char *
started_body(char *buf, size_t n, const char *tid, const char *unit, int pos, const char *wo)
{
	snprintf(buf, n,
		 "{\"TransactionID\":\"%s\",\"Lane\":1,\"UnitCount\":1,\"Units\":[{"
		 "\"UnitIdentifier\":\"%s\",\"PositionNumber\":%d,\"Status\":\"Pass\"}],"
		 "\"RecipeName\":\"P1\",\"Revision\":\"A\",\"WorkOrderIdentifier\":{"
		 "\"WorkOrderId\":\"%s\",\"Batch\":null}}",
		 tid, unit, pos, wo);
	return buf;
}

static const char *
completed_body(char *buf, size_t n, const char *tid, const char *result)
{
	snprintf(buf, n,
		 "{\"TransactionID\":\"%s\",\"Result\":\"%s\",\"UnitCount\":0,\"Units\":[]}", tid,
		 result);
	return buf;
}

/* MaterialsInstalled: an item of uid a feeding refs_a ("R1,R2") and, if b
 * is not NULL, one of b feeding refs_b. */
static const char *
installed_body(char *buf, size_t n, const char *tid, const char *unit, int pos, const char *a,
	       const char *refs_a, const char *b, const char *refs_b)
{
	const char *uids[2] = { a, b }, *refs[2] = { refs_a, refs_b };
	json_t *items = json_array(), *body;
	char *text;

	for (int i = 0; i < 2 && uids[i]; i++) {
		json_t *comp = json_array();
		char list[256], *save = NULL, *tok;

		snprintf(list, sizeof(list), "%s", refs[i]);
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			json_array_append_new(comp, json_pack("{s:s}", "ReferenceDesignator", tok));
		json_array_append_new(
			items, json_pack("{s:s,s:i,s:f,s:{s:s},s:o}", "UnitIdentifier", unit,
					 "UnitPositionNumber", pos, "QuantityInstalled",
					 (double)json_array_size(comp), "Material",
					 "UniqueIdentifier", uids[i], "InstalledComponents", comp));
	}
	body = json_pack("{s:s,s:o}", "TransactionId", tid, "InstalledMaterials", items);
	text = json_dumps(body, JSON_COMPACT);
	snprintf(buf, n, "%s", text);
	free(text);
	json_decref(body);
	return buf;
}

/* The parts entry of refdes in a board's trace. */
static json_t *
part_of(json_t *trace, const char *refdes)
{
	size_t i;
	json_t *p;

	json_array_foreach(json_object_get(trace, "parts"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "refdes")), refdes) == 0)
			return p;
	fail_msg("no part %s in the trace", refdes);
	return NULL;
}

static const char *
uid_of(json_t *trace, const char *refdes)
{
	json_t *u = json_object_get(part_of(trace, refdes), "uid");

	return json_is_string(u) ? json_string_value(u) : "(null)";
}

/* ------------------------------------------------------------------
 * The SDK examples
 * ------------------------------------------------------------------ */

static const struct {
	const char *file, *name;
} sdk[] = {
	/* In the order a line would send them. */
	{ "MaterialsInitialized.body.json", "Materials.Management.MaterialsInitialized" },
	{ "MaterialsOpened.body.json", "Materials.Management.MSDManagement.MaterialsOpened" },
	{ "MaterialsPlacedInDryStorage.body.json",
	  "Materials.Management.MSDManagement.MaterialsPlacedInDryStorage" },
	{ "MaterialsRemovedFromDryStorage.body.json",
	  "Materials.Management.MSDManagement.MaterialsRemovedFromDryStorage" },
	{ "MaterialsLoaded.body.json", "Materials.Storage.MaterialsLoaded" },
	{ "SplicePointDetected.body.json", "Materials.Storage.SplicePointDetected" },
	{ "UnitsArrived.body.json", "Production.UnitsArrived" },
	{ "WorkStarted.body.json", "Production.WorkStarted" },
	{ "MaterialsInstalled.body.json", "Production.Assembly.MaterialsInstalled" },
	{ "WorkCompleted.body.json", "Production.WorkCompleted" },
	{ "UnitsDeparted.body.json", "Production.UnitsDeparted" },
	{ "FaultOccurred.1.body.json", "ResourcePerformance.FaultOccurred" },
	{ "FaultOccurred.2.body.json", "ResourcePerformance.FaultOccurred" },
	{ "FaultOccurred.3.body.json", "ResourcePerformance.FaultOccurred" },
	{ "FaultOccurred.4.body.json", "ResourcePerformance.FaultOccurred" },
	{ "ComponentsPlaced.body.json", "ResourcePerformance.SMTPlacement.ComponentsPlaced" },
	{ "UnitsProcessed.1.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsProcessed.2.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsProcessed.3.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsProcessed.4.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsProcessed.5.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsProcessed.6.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsProcessed.8.body.json", "Production.Processing.UnitsProcessed" },
	{ "UnitsInspected.1.body.json", "Production.TestAndInspection.UnitsInspected" },
	{ "UnitsInspected.2.body.json", "Production.TestAndInspection.UnitsInspected" },
	{ "UnitsInspected.3.body.json", "Production.TestAndInspection.UnitsInspected" },
	{ "UnitsInspected.4.body.json", "Production.TestAndInspection.UnitsInspected" },
	{ "UnitsInspected.5.body.json", "Production.TestAndInspection.UnitsInspected" },
	{ "UnitsTested.1.body.json", "Production.TestAndInspection.UnitsTested" },
	{ "UnitsTested.2.body.json", "Production.TestAndInspection.UnitsTested" },
	{ "UnitsRepaired.body.json", "Production.ReworkAndRepair.UnitsRepaired" },
	{ "MaterialsUninstalled.body.json", "Production.Assembly.MaterialsUninstalled" },
	{ "UnitsDisqualified.body.json", "Production.UnitsDisqualified" },
	{ "MaterialsEmpty.body.json", "Materials.Storage.MaterialsEmpty" },
	{ "MaterialsUnloaded.body.json", "Materials.Storage.MaterialsUnloaded" },
	{ "MaterialsExpired.body.json", "Materials.Management.MSDManagement.MaterialsExpired" },
	{ "MaterialsRestored.body.json", "Materials.Management.MSDManagement.MaterialsRestored" },
	{ "MaterialsConsumed.body.json", "Materials.Management.MaterialsConsumed" },
	{ "BlockMaterialsRequest.body.json", "Materials.Management.BlockMaterialsRequest" },
	{ "ValidateStationSetupRequest.body.json",
	  "Materials.Storage.ValidateStationSetupRequest" },
	{ "ValidateStationSetupResponse.body.json",
	  "Materials.Storage.ValidateStationSetupResponse" },
};

static char *
slurp(const char *file)
{
	char path[1024];
	FILE *f;
	long n;
	char *s;

	snprintf(path, sizeof(path), "%s/cfx/%s", tu_shared_data(), file);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	/* One line: NDJSON. */
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return s;
}

static void
test_sdk_examples(void **state)
{
	ecms *h = tu_open_store("sdk.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	char *env;
	json_t *l, *b;
	int64_t ev;

	(void)state;
	for (size_t i = 0; i < sizeof(sdk) / sizeof(sdk[0]); i++) {
		char *body = slurp(sdk[i].file);

		add(&s, sdk[i].name, (double)i, "SMTPlus.Model_21232.SN23123", body);
		free(body);
		/* The Uninstalled example names positions 1 and 2 of the panel
		 * the Installed example (position 1) names: install 2 too. */
		if (strcmp(sdk[i].file, "MaterialsInstalled.body.json") == 0) {
			char buf[2048];

			add(&s, "Production.Assembly.MaterialsInstalled", (double)i + 0.5,
			    "SMTPlus.Model_21232.SN23123",
			    installed_body(buf, sizeof(buf), "ce1cf002-50fe-4cd4-af27-5e46fdae5608",
					   "PANEL23423432", 2, "MAT4566556456", "R1,R2,R3", NULL,
					   NULL));
		}
	}
	/* The envelope example as it is (an unknown message name). */
	env = slurp("EndpointConnected.envelope.json");
	add_line(&s, env);
	free(env);
	ingest(h, &s, &rep);
	if (rep.rejected)
		fail_msg("rejected: %s", json_dumps(rep.rejects, 0));
	assert_int_equal(rep.items, sizeof(sdk) / sizeof(sdk[0]) + 2);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.unknown, 6); /* ComponentsPlaced, Consumed, Block, Validate x2, EP */
	/* The 15 quality records (reflow, AOI, test, repair) go to the quality
	 * module; none is deferred. */
	assert_int_equal(rep.deferred, 0);
	assert_int_equal(rep.applied, sizeof(sdk) / sizeof(sdk[0]) + 2 - 6);
	assert_int_equal(rep.placements, 6);
	assert_int_equal(rep.by_kind[ECMS_CFX_FAULT_OCCURRED], 4);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_faults"), 4);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_faults WHERE designator = 'R31' AND "
				  "fault_type = 'PickupError'"),
			 1);
	/* Kept as sent: the 6 unknown names, and the oven record whose
	 * transaction names no board ecms knows. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_raw"), 7);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM board_tests"), 3);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM board_inspections"), 8);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM reflow_records"), 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM board_repairs"), 2);
	/* Every package named is recorded; none is known to ecms. */
	OK(h, ecms_cfx_packages(h, true, &l));
	assert_true(json_array_size(l) >= 8);
	json_decref(l);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_packages WHERE uid = 'MAT4566556456' "
				  "AND lot = 'LOT2016110588' AND msd_level = 'MSL3' AND "
				  "flags LIKE '%unknown_package%'"),
			 1);
	/* The carrier's two circuits: started, then scrapped with the reason. */
	OK(h, ecms_board_get(h, "CARRIER5566.2", &b));
	assert_string_equal(json_string_value(json_object_get(b, "status")), "scrapped");
	assert_string_equal(json_string_value(json_object_get(b, "work_order")), "WO-1000-1000");
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(b, "route"),
				       json_array_size(json_object_get(b, "route")) - 1),
			"result")),
		"DefectiveRepairNotPossible");
	json_decref(b);
	/* The panel's R1..R3 were taken off by MaterialsUninstalled. */
	OK(h, ecms_gen_trace_board(h, "PANEL23423432.2", &b));
	assert_int_equal(json_array_size(json_object_get(b, "rework")), 3);
	assert_string_equal(uid_of(b, "R2"), "(null)");
	json_decref(b);
	/* Replayed: nothing changes. */
	ev = events(h);
	ecms_cfx_report_cleanup(&rep);
	ingest(h, &s, &rep);
	assert_int_equal(rep.duplicates, rep.items);
	assert_int_equal(rep.applied + rep.rejected + rep.unknown + rep.deferred, 0);
	assert_int_equal(events(h), ev);
	ecms_cfx_report_cleanup(&rep);
	free(s.data);
	ecms_close(h);
}

/* ------------------------------------------------------------------
 * A realistic sequence
 * ------------------------------------------------------------------ */

/* load S1=REEL-A S2=REEL-B; boards B1 (exact record), B2 (in the splice's
 * grey zone), B3 (after it); unload. */
static void
line_stream(struct stream *s)
{
	char b[4096];

	add(s, "Materials.Storage.MaterialsLoaded", 0, M1, load_body(b, sizeof(b), "S1", "REEL-A"));
	add(s, "Materials.Storage.MaterialsLoaded", 0.5, M1,
	    load_body(b, sizeof(b), "S2", "REEL-B"));
	add(s, "Production.WorkStarted", 1, M1, started_body(b, sizeof(b), "t-1", "B1", 1, "WO-X"));
	add(s, "Production.WorkCompleted", 2, M1, completed_body(b, sizeof(b), "t-1", "Completed"));
	add(s, "Production.Assembly.MaterialsInstalled", 2.1, M1,
	    installed_body(b, sizeof(b), "t-1", "B1", 1, "REEL-A", "R1,R2", "REEL-B", "C1"));
	add(s, "Materials.Storage.SplicePointDetected", 3, M1,
	    "{\"DepletedMaterial\":{\"LocationName\":\"S1\",\"MaterialPackage\":{"
	    "\"UniqueIdentifier\":\"REEL-A\",\"Quantity\":0}},\"NewlyActiveMaterial\":{"
	    "\"LocationName\":\"S1\",\"MaterialPackage\":{\"UniqueIdentifier\":\"REEL-C\","
	    "\"Quantity\":5000,\"GreyZone\":2}}}");
	add(s, "Production.WorkStarted", 4, M1, started_body(b, sizeof(b), "t-2", "B2", 1, "WO-X"));
	add(s, "Production.WorkCompleted", 5, M1, completed_body(b, sizeof(b), "t-2", "Completed"));
	add(s, "Production.WorkStarted", 6, M1, started_body(b, sizeof(b), "t-3", "B3", 1, "WO-X"));
	add(s, "Production.WorkCompleted", 7, M1, completed_body(b, sizeof(b), "t-3", "Failed"));
	add(s, "Materials.Storage.MaterialsUnloaded", 8, M1,
	    "{\"MaterialPackageIdentifiers\":[\"REEL-C\"]}");
}

static void
test_line_sequence(void **state)
{
	ecms *h = tu_open_store("line.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	json_t *t, *c, *b, *setup;

	(void)state;
	program(h);
	line_stream(&s);
	ingest(h, &s, &rep);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.applied, 11);
	assert_int_equal(rep.placements, 3);
	assert_int_equal(rep.board_passes, 3); /* B1, B2, B3 through P1's map */
	ecms_cfx_report_cleanup(&rep);

	OK(h, ecms_gen_trace_board(h, "B1", &t));
	assert_string_equal(json_string_value(json_object_get(t, "work_order")), "WO-X");
	assert_string_equal(uid_of(t, "R1"), "REEL-A");
	assert_string_equal(uid_of(t, "R2"), "REEL-A");
	assert_string_equal(uid_of(t, "C1"), "REEL-B");
	assert_int_equal(json_array_size(json_object_get(t, "passes")), 1);
	json_decref(t);
	/* B2 took the 2 grey-zone parts of S1: both reels are candidates. */
	OK(h, ecms_gen_trace_board(h, "B2", &t));
	assert_true(json_is_true(json_object_get(part_of(t, "R1"), "ambiguous")));
	c = json_object_get(part_of(t, "R1"), "candidates");
	assert_int_equal(json_array_size(c), 2);
	assert_string_equal(uid_of(t, "C1"), "REEL-B");
	json_decref(t);
	OK(h, ecms_gen_trace_board(h, "B3", &t));
	assert_string_equal(uid_of(t, "R1"), "REEL-C");
	json_decref(t);
	/* REEL-C is off the machine. */
	OK(h, ecms_gen_setup(h, M1, &setup));
	assert_true(json_is_null(
		json_object_get(json_array_get(json_object_get(setup, "slots"), 0), "uid")));
	json_decref(setup);
	/* Boards: route with results; the unknown work order flagged. */
	OK(h, ecms_board_get(h, "B3", &b));
	assert_string_equal(json_string_value(json_object_get(b, "work_order")), "WO-X");
	assert_string_equal(json_string_value(json_array_get(json_object_get(b, "flags"), 0)),
			    "unknown_work_order");
	assert_int_equal(json_array_size(json_object_get(b, "route")), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(b, "route"), 1), "result")),
			    "Failed");
	json_decref(b);
	/* Unknown packages recorded and flagged. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_packages WHERE flags LIKE "
				  "'unknown_package%'"),
			 3);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_transactions WHERE pass = 'recorded'"),
			 3);
	/* Time fields keep their offsets. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_transactions WHERE start_text = "
				  "'2026-01-15T09:01:00.000+01:00'"),
			 1);
	/* WorkStarted's RecipeName made P1 the machine's active program (the
	 * unknown work order WO-X left out), so the interlock checks loads
	 * against it. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM setup_active WHERE program = 'P1' AND "
				  "work_order IS NULL"),
			 1);
	assert_int_equal(count(h, "SELECT start_ms FROM cfx_transactions WHERE transaction_id = "
				  "'t-1'"),
			 T(1));
	free(s.data);
	ecms_close(h);
}

static void
test_replay(void **state)
{
	ecms *h = tu_open_store("replay.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	int64_t ev, msgs;
	json_t *t1, *t2;

	(void)state;
	program(h);
	line_stream(&s);
	add_line(&s, "{not json");
	ingest(h, &s, &rep);
	assert_int_equal(rep.rejected, 1);
	ecms_cfx_report_cleanup(&rep);
	ev = events(h);
	msgs = count(h, "SELECT COUNT(*) FROM cfx_messages");
	OK(h, ecms_gen_trace_board(h, "B2", &t1));
	for (int k = 0; k < 2; k++) {
		ingest(h, &s, &rep);
		assert_int_equal(rep.duplicates, 11);
		assert_int_equal(rep.applied, 0);
		assert_int_equal(rep.rejected, 1); /* reported again, stored once */
		ecms_cfx_report_cleanup(&rep);
		assert_int_equal(events(h), ev);
	}
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_messages"), msgs);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_rejects"), 1);
	OK(h, ecms_gen_trace_board(h, "B2", &t2));
	assert_true(json_equal(t1, t2));
	json_decref(t1);
	json_decref(t2);
	free(s.data);
	ecms_close(h);
}

static void
test_rejections(void **state)
{
	ecms *h = tu_open_store("reject.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	char b[4096];
	json_t *l, *r;

	(void)state;
	program(h);
	add(&s, "Materials.Storage.MaterialsLoaded", 0, M1, load_body(b, sizeof(b), "S1", "R-A"));
	add_line(&s, "{\"MessageName\": \"CFX.Production.WorkStarted\", oops");
	/* Line 3: valid JSON, but the body misses the package ID. */
	add(&s, "Materials.Storage.MaterialsLoaded", 1, M1,
	    "{\"Materials\":[{\"LocationName\":\"S2\",\"MaterialPackage\":{}}]}");
	/* Line 4: inapplicable: completes a transaction nobody started. */
	add(&s, "Production.WorkCompleted", 2, M1,
	    completed_body(b, sizeof(b), "nope", "Completed"));
	/* Line 5: a setup message without Source (no machine). */
	add(&s, "Materials.Storage.MaterialsLoaded", 3, NULL, load_body(b, sizeof(b), "S2", "R-B"));
	add(&s, "Materials.Storage.MaterialsLoaded", 4, M1, load_body(b, sizeof(b), "S2", "R-C"));
	add(&s, "Some.Vendor.Extension", 5, M1, "{\"X\":1}");
	ingest(h, &s, &rep);
	assert_int_equal(rep.items, 7);
	assert_int_equal(rep.rejected, 4);
	assert_int_equal(rep.applied, 2);
	assert_int_equal(rep.unknown, 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_array_get(rep.rejects, 0), "line")), 2);
	assert_int_equal(
		json_integer_value(json_object_get(json_array_get(rep.rejects, 1), "line")), 3);
	assert_non_null(
		strstr(json_string_value(json_object_get(json_array_get(rep.rejects, 1), "reason")),
		       "UniqueIdentifier"));
	/* The batch that held lines 4 and 5 was undone and redone one by one. */
	r = json_array_get(rep.rejects, 2);
	assert_int_equal(json_integer_value(json_object_get(r, "line")), 4);
	assert_non_null(strstr(json_string_value(json_object_get(r, "reason")), "no WorkStarted"));
	r = json_array_get(rep.rejects, 3);
	assert_int_equal(json_integer_value(json_object_get(r, "line")), 5);
	assert_non_null(strstr(json_string_value(json_object_get(r, "reason")), "Source"));
	ecms_cfx_report_cleanup(&rep);
	/* The others applied. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_mounts WHERE uid IN ('R-A', 'R-C')"),
			 2);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_mounts WHERE uid = 'R-B'"), 0);
	/* Stored and listed. */
	OK(h, ecms_cfx_rejected(h, &l));
	assert_int_equal(json_array_size(l), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "origin")),
			    "test");
	assert_non_null(json_string_value(json_object_get(json_array_get(l, 0), "text")));
	json_decref(l);
	free(s.data);
	ecms_close(h);
}

static void
test_out_of_order(void **state)
{
	ecms *h = tu_open_store("order.db");
	struct stream s = { 0 }, s2 = { .n = 100 };
	struct ecms_cfx_ingest_report rep;
	char b[4096];
	json_t *setup, *t;

	(void)state;
	program(h);
	/* In one stream, out of order: sorted by TimeStamp before applying. */
	add(&s, "Production.WorkCompleted", 3, M1,
	    completed_body(b, sizeof(b), "t-1", "Completed"));
	add(&s, "Materials.Storage.MaterialsLoaded", 1.5, M1,
	    load_body(b, sizeof(b), "S1", "LATE"));
	add(&s, "Production.WorkStarted", 2, M1, started_body(b, sizeof(b), "t-1", "B1", 1, "WO"));
	add(&s, "Materials.Storage.MaterialsLoaded", 1, M1, load_body(b, sizeof(b), "S1", "EARLY"));
	ingest(h, &s, &rep);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.applied, 4);
	ecms_cfx_report_cleanup(&rep);
	OK(h, ecms_gen_setup(h, M1, &setup));
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(setup, "slots"), 0), "uid")),
			    "LATE");
	json_decref(setup);
	OK(h, ecms_gen_trace_board(h, "B1", &t));
	assert_string_equal(uid_of(t, "R1"), "LATE");
	json_decref(t);
	/* Later, a setup change older than the machine's latest: rejected. */
	add(&s2, "Materials.Storage.MaterialsLoaded", 1.2, M1,
	    load_body(b, sizeof(b), "S2", "STALE"));
	/* A board pass older than the latest setup change still gets the
	 * setup it ran with. */
	add(&s2, "Production.WorkStarted", 0.5, M1,
	    started_body(b, sizeof(b), "t-0", "B0", 1, "WO"));
	add(&s2, "Production.WorkCompleted", 0.8, M1,
	    completed_body(b, sizeof(b), "t-0", "Completed"));
	ingest(h, &s2, &rep);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(rep.applied, 2);
	assert_non_null(
		strstr(json_string_value(json_object_get(json_array_get(rep.rejects, 0), "reason")),
		       "older than the latest setup change"));
	ecms_cfx_report_cleanup(&rep);
	OK(h, ecms_gen_trace_board(h, "B0", &t));
	assert_true(json_is_true(json_object_get(part_of(t, "R1"), "ambiguous")) ||
		    strcmp(uid_of(t, "R1"), "(null)") == 0);
	json_decref(t);
	free(s.data);
	free(s2.data);
	ecms_close(h);
}

static void
test_gzip(void **state)
{
	ecms *h = tu_open_store("gzip.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	z_stream z = { 0 };
	unsigned char *out;
	size_t cap;

	(void)state;
	program(h);
	line_stream(&s);
	cap = s.len + 1024;
	out = malloc(cap);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)s.data;
	z.avail_in = (uInt)s.len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	ecms_cfx_report_init(&rep);
	OK(h, ecms_cfx_ingest_buf(h, out, z.total_out, "gz", &rep));
	deflateEnd(&z);
	assert_true(rep.gzipped);
	assert_int_equal(rep.applied, 11);
	assert_int_equal(rep.rejected, 0);
	ecms_cfx_report_cleanup(&rep);
	free(out);
	free(s.data);
	ecms_close(h);
}

/* A JSON array of envelopes; a panel of 2 with serials ecms allocated;
 * MaterialsInstalled joined through the transaction; then rework by
 * MaterialsUninstalled + MaterialsInstalled. */
static void
test_panel_and_rework(void **state)
{
	ecms *h = tu_open_store("panel.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	ecms_import_report irep;
	char b[4096], *p, *arr;
	json_t *o, *t, *bd;
	size_t at = 0;

	(void)state;
	program(h);
	p = tu_write_file("parts.csv", "ipn,description,category,aml,msl\n"
				       "C1,cap,capacitor,GRM1@Murata,1\n");
	OK(h, ecms_import(h, "parts", p, &irep));
	ecms_import_report_cleanup(&irep);
	free(p);
	p = tu_write_file("bom.csv", "Reference,Qty,MPN\n\"C1,C2\",2,GRM1\n");
	OK(h, ecms_bom_import(h, "HM", "A", p, &irep));
	ecms_import_report_cleanup(&irep);
	free(p);
	OK(h,
	   ecms_wo_create(h, &(ecms_wo_new){ .id = "WO1", .product = "HM", .rev = "A", .qty = 4 }));
	OK(h, ecms_board_allocate(h, "WO1", 4, 2, &o));
	json_decref(o);

	add(&s, "Materials.Storage.MaterialsLoaded", 0, M1, load_body(b, sizeof(b), "S1", "RA"));
	add(&s, "Materials.Storage.MaterialsLoaded", 0.1, M1, load_body(b, sizeof(b), "S2", "RB"));
	add(&s, "Production.WorkStarted", 1, M1,
	    "{\"TransactionID\":\"tp\",\"Units\":[{\"UnitIdentifier\":\"WO1-P0002\","
	    "\"PositionNumber\":1},{\"UnitIdentifier\":\"WO1-P0002\",\"PositionNumber\":2}],"
	    "\"RecipeName\":\"P1\",\"WorkOrderIdentifier\":{\"WorkOrderId\":\"WO1\"}}");
	add(&s, "Production.WorkCompleted", 2, M1, completed_body(b, sizeof(b), "tp", "Completed"));
	add(&s, "Production.Assembly.MaterialsInstalled", 2.5, M1,
	    installed_body(b, sizeof(b), "tp", "WO1-P0002", 2, "RA", "R1,R2", "RB", "C1"));
	add(&s, "Production.Assembly.MaterialsUninstalled", 10, "Rework.Station.1",
	    "{\"TransactionId\":\"rw\",\"UninstalledMaterials\":[{\"UnitIdentifier\":"
	    "\"WO1-P0002\",\"UnitPositionNumber\":2,\"Reason\":\"DefectiveMaterial\","
	    "\"Material\":{\"UniqueIdentifier\":\"RB\"},\"UninstalledComponents\":[{"
	    "\"ReferenceDesignator\":\"C1\"}]}]}");
	add(&s, "Production.Assembly.MaterialsInstalled", 11, "Rework.Station.1",
	    installed_body(b, sizeof(b), "rw", "WO1-P0002", 2, "RZ", "C1", NULL, NULL));
	/* As one JSON array. */
	arr = malloc(s.len + 8);
	arr[at++] = '[';
	for (char *q = s.data; *q; q++)
		arr[at++] = *q == '\n' ? (q[1] ? ',' : ']') : *q;
	ecms_cfx_report_init(&rep);
	OK(h, ecms_cfx_ingest_buf(h, arr, at, "array", &rep));
	if (rep.rejected)
		fail_msg("rejected: %s", json_dumps(rep.rejects, 0));
	assert_int_equal(rep.applied, 7);
	ecms_cfx_report_cleanup(&rep);
	free(arr);

	/* The allocated serials are the boards (WO1-00003 is P0002 pos 1). */
	OK(h, ecms_board_get(h, "WO1-00004", &bd));
	assert_string_equal(json_string_value(json_object_get(bd, "status")), "wip");
	assert_int_equal(json_array_size(json_object_get(bd, "flags")), 0);
	assert_int_equal(json_array_size(json_object_get(bd, "route")), 2);
	json_decref(bd);
	OK(h, ecms_gen_trace_board(h, "WO1-00003", &t));
	assert_string_equal(uid_of(t, "R1"), "RA");
	json_decref(t);
	OK(h, ecms_gen_trace_board(h, "WO1-00004", &t));
	assert_string_equal(uid_of(t, "C1"), "RZ");
	assert_string_equal(json_string_value(json_object_get(part_of(t, "C1"), "source")),
			    "rework");
	assert_int_equal(json_array_size(json_object_get(t, "rework")), 2);
	json_decref(t);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_uninstalled"), 0);
	free(s.data);
	ecms_close(h);
}

/* A program the machine does not have: the times are kept, boards flagged. */
static void
test_unknown_program(void **state)
{
	ecms *h = tu_open_store("noprog.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	char b[4096];
	json_t *bd;
	size_t n;

	(void)state;
	add(&s, "Materials.Storage.MaterialsLoaded", 0, M1, load_body(b, sizeof(b), "S1", "RA"));
	add(&s, "Production.WorkStarted", 1, M1, started_body(b, sizeof(b), "t", "B9", 1, "WO"));
	add(&s, "Production.WorkCompleted", 2, M1, completed_body(b, sizeof(b), "t", "Completed"));
	add(&s, "Production.Assembly.MaterialsInstalled", 2.5, M1,
	    installed_body(b, sizeof(b), "t", "B9", 1, "RA", "R1", NULL, NULL));
	ingest(h, &s, &rep);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.applied, 4);
	ecms_cfx_report_cleanup(&rep);
	OK(h, ecms_board_get(h, "B9", &bd));
	assert_string_equal(json_string_value(json_array_get(json_object_get(bd, "flags"), 1)),
			    "unknown_program");
	json_decref(bd);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_transactions WHERE pass = "
				  "'no_program' AND end_ms IS NOT NULL"),
			 1);
	/* The exact record is kept all the same. */
	OK(h, ecms_gen_trace_board(h, "B9", &bd));
	assert_string_equal(uid_of(bd, "R1"), "RA");
	assert_int_equal(json_array_size(json_object_get(bd, "passes")), 0);
	json_decref(bd);
	/* Nothing to retry while the machine lacks the program. */
	OK(h, ecms_cfx_retry_passes(h, &n));
	assert_int_equal(n, 0);
	/* The program arrives: the pass is recorded, the flag goes. */
	program(h);
	OK(h, ecms_cfx_retry_passes(h, &n));
	assert_int_equal(n, 1);
	OK(h, ecms_gen_trace_board(h, "B9", &bd));
	assert_int_equal(json_array_size(json_object_get(bd, "passes")), 1);
	assert_string_equal(uid_of(bd, "R1"), "RA");
	assert_string_equal(uid_of(bd, "R2"), "RA"); /* from the timeline */
	json_decref(bd);
	OK(h, ecms_board_get(h, "B9", &bd));
	assert_int_equal(json_array_size(json_object_get(bd, "flags")), 1);
	json_decref(bd);
	OK(h, ecms_cfx_retry_passes(h, &n));
	assert_int_equal(n, 0);
	free(s.data);
	ecms_close(h);
}

/* Only the first machine reads the barcode; the next knows the board by
 * its Hermes BoardId. */
static void
test_hermes(void **state)
{
	ecms *h = tu_open_store("hermes.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	static const char *const r3[] = { "U1" };
	struct ecms_gen_slotmap sm[] = { { "T1", "IC", r3, 1 } };
	char b[4096];
	json_t *t;

	(void)state;
	program(h);
	OK(h, ecms_gen_program_set(h, "P2", "Fuji.NXT3.SN2", sm, 1, NULL));
	add(&s, "Materials.Storage.MaterialsLoaded", 0, "Fuji.NXT3.SN2",
	    load_body(b, sizeof(b), "T1", "TRAY-1"));
	add(&s, "Production.WorkStarted", 1, M1,
	    "{\"TransactionID\":\"h1\",\"HermesIdentifier\":\"6f1c0d2e-hermes\",\"Units\":"
	    "[{\"UnitIdentifier\":\"SN-77\",\"PositionNumber\":1}],\"RecipeName\":\"P1\"}");
	add(&s, "Production.WorkCompleted", 2, M1, completed_body(b, sizeof(b), "h1", "Completed"));
	add(&s, "Production.UnitsArrived", 2.5, "Fuji.NXT3.SN2",
	    "{\"HermesIdentifier\":\"6f1c0d2e-hermes\",\"UnitCount\":0,\"Units\":[]}");
	add(&s, "Production.WorkStarted", 3, "Fuji.NXT3.SN2",
	    "{\"TransactionID\":\"h2\",\"HermesIdentifier\":\"6f1c0d2e-hermes\",\"Units\":[],"
	    "\"RecipeName\":\"P2\"}");
	add(&s, "Production.WorkCompleted", 4, "Fuji.NXT3.SN2",
	    completed_body(b, sizeof(b), "h2", "Completed"));
	ingest(h, &s, &rep);
	if (rep.rejected)
		fail_msg("rejected: %s", json_dumps(rep.rejects, 0));
	/* Only the tray ecms does not know is noted (no "names no board"). */

	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_messages WHERE note IS NOT NULL"), 1);
	ecms_cfx_report_cleanup(&rep);
	OK(h, ecms_gen_trace_board(h, "SN-77", &t));
	assert_int_equal(json_array_size(json_object_get(t, "passes")), 2);
	assert_string_equal(uid_of(t, "U1"), "TRAY-1");
	json_decref(t);
	OK(h, ecms_board_get(h, "SN-77", &t));
	assert_int_equal(json_array_size(json_object_get(t, "route")), 5);
	json_decref(t);
	free(s.data);
	ecms_close(h);
}

/* A line as the simulator (and many sites) names things: the handle's last
 * part is the machine, LocationIdentifier is the slot ecms knows (the
 * LocationName a friendly "SLOT1"), every board of a panel has its own
 * barcode (PrimaryIdentifier = the panel), and a passed functional test
 * completes a board. */
static void
test_site_naming(void **state)
{
	ecms *h = tu_open_store("naming.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	static const char *const s1[] = { "R1", "R2" };
	struct ecms_gen_slotmap sm[] = { { "L9-M1-S001", "RES-10K", s1, 2 } };
	char b[4096];
	json_t *t, *bd;

	(void)state;
	OK(h, ecms_gen_program_set(h, "P1", "L9-M1", sm, 1, NULL));
	add(&s, "Materials.Storage.MaterialsLoaded", 0, "ASMPT.SX2.L9-M1",
	    "{\"Materials\":[{\"LocationIdentifier\":\"L9-M1-S001\",\"LocationName\":\"SLOT1\","
	    "\"MaterialPackage\":{\"UniqueIdentifier\":\"REEL-A\",\"Quantity\":5000.0}}]}");
	add(&s, "Production.WorkStarted", 1, "ASMPT.SX2.L9-M1",
	    "{\"PrimaryIdentifier\":\"PNL-1\",\"TransactionID\":\"t-1\",\"Units\":[{"
	    "\"UnitIdentifier\":\"SN-1\",\"PositionNumber\":1},{\"UnitIdentifier\":\"SN-2\","
	    "\"PositionNumber\":2}],\"RecipeName\":\"P1\"}");
	add(&s, "Production.WorkCompleted", 2, "ASMPT.SX2.L9-M1",
	    completed_body(b, sizeof(b), "t-1", "Completed"));
	add(&s, "Production.UnitsDeparted", 2.1, "ASMPT.SX2.L9-M1",
	    "{\"PrimaryIdentifier\":\"PNL-1\",\"Units\":[{\"UnitIdentifier\":\"SN-1\","
	    "\"PositionNumber\":1},{\"UnitIdentifier\":\"SN-2\",\"PositionNumber\":2}]}");
	add(&s, "Production.TestAndInspection.UnitsTested", 5, "NI.PXI.FCT-1",
	    "{\"TransactionId\":\"ft-1\",\"TestMethod\":\"FCT\",\"TestedUnits\":[{"
	    "\"UnitIdentifier\":\"SN-1\",\"UnitPositionNumber\":1,\"OverallResult\":"
	    "\"Passed\",\"Tests\":[]},{\"UnitIdentifier\":\"SN-2\",\"UnitPositionNumber\":2,"
	    "\"OverallResult\":\"Failed\",\"Tests\":[]}]}");
	ingest(h, &s, &rep);
	if (rep.rejected)
		fail_msg("rejected: %s", json_dumps(rep.rejects, 0));
	assert_int_equal(rep.board_passes, 2);
	assert_int_equal(rep.placements, 0);
	ecms_cfx_report_cleanup(&rep);
	/* The slot is L9-M1-S001 (not SLOT1): the timeline gives the reel. */
	OK(h, ecms_gen_trace_board(h, "SN-2", &t));
	assert_string_equal(uid_of(t, "R1"), "REEL-A");
	json_decref(t);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_slots WHERE name = 'SLOT1'"), 0);
	/* The boards are SN-1 and SN-2 (not SN-2.2) on panel PNL-1. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM boards"), 2);
	OK(h, ecms_board_get(h, "SN-2", &bd));
	assert_string_equal(json_string_value(json_object_get(bd, "panel")), "PNL-1");
	assert_int_equal(json_integer_value(json_object_get(bd, "position")), 2);
	assert_string_equal(json_string_value(json_object_get(bd, "status")), "wip");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(bd, "route"), 0), "station")),
			    "L9-M1");
	json_decref(bd);
	OK(h, ecms_board_get(h, "SN-1", &bd));
	assert_string_equal(json_string_value(json_object_get(bd, "status")), "completed");
	json_decref(bd);
	free(s.data);
	ecms_close(h);
}

/* A handle whose last part is a machine ecms knows (here: one with a
 * program) names that machine; an unknown handle is the machine itself. */
static void
test_machine_from_handle(void **state)
{
	ecms *h = tu_open_store("handle.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	static const char *const r3[] = { "U1" };
	struct ecms_gen_slotmap sm[] = { { "T1", "IC", r3, 1 } };
	char b[4096];
	json_t *setup;

	(void)state;
	OK(h, ecms_gen_program_set(h, "P9", "L9-M1", sm, 1, NULL));
	add(&s, "Materials.Storage.MaterialsLoaded", 0, "ASMPT.SIPLACE_SX2.L9-M1",
	    load_body(b, sizeof(b), "T1", "TRAY-9"));
	add(&s, "Materials.Storage.MaterialsLoaded", 1, "ASMPT.SIPLACE_SX2.L9-M2",
	    load_body(b, sizeof(b), "T1", "TRAY-8"));
	ingest(h, &s, &rep);
	assert_int_equal(rep.rejected, 0);
	ecms_cfx_report_cleanup(&rep);
	OK(h, ecms_gen_setup(h, "L9-M1", &setup));
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(setup, "slots"), 0), "uid")),
			    "TRAY-9");
	json_decref(setup);
	OK(h, ecms_gen_setup(h, "ASMPT.SIPLACE_SX2.L9-M2", &setup));
	json_decref(setup);
	assert_int_equal(ecms_gen_setup(h, "L9-M2", &setup), ECMS_ENOTFOUND);
	free(s.data);
	ecms_close(h);
}

/* A batch is one hash-chained event: the routine events of its messages
 * folded into a count and a digest, the rest (setup changes) kept whole;
 * routine UniqueIDs kept as hashes, counted by name. */
static void
test_batch_event(void **state)
{
	ecms *h = tu_open_store("batch.db");
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	ecms_audit au;
	json_t *ev = NULL, *counts = NULL;
	char *text, b[4096];
	int64_t before, seq;

	(void)state;
	program(h);
	before = count(h, "SELECT COUNT(*) FROM events");
	add(&s, "Materials.Storage.MaterialsLoaded", 0, M1, load_body(b, sizeof(b), "S1", "R-1"));
	add(&s, "Production.WorkStarted", 1, M1,
	    started_body(b, sizeof(b), "tb-1", "SN-B1", 1, "WO-X"));
	add(&s, "Production.WorkCompleted", 2, M1,
	    completed_body(b, sizeof(b), "tb-1", "Completed"));
	ecms_cfx_report_init(&rep);
	OK(h, ecms_cfx_ingest_buf(h, s.data, s.len, "batch-test", &rep));
	assert_int_equal(rep.applied, 3);
	ecms_cfx_report_cleanup(&rep);
	/* One event for the three messages. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), before + 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'cfx.batch'"), 1);
	seq = count(h, "SELECT MAX(seq) FROM events");
	{
		ecms__stmt *st;
		assert_int_equal(
			ecms__q(h, &st, "SELECT payload FROM events WHERE seq = ?", "i", seq), 0);
		assert_int_equal(ecms__step(h, st), ECMS__ROW);
		ev = json_loads(ecms__col_text(st, 0), 0, NULL);
		ecms__done(h, st);
	}
	assert_non_null(ev);
	assert_int_equal(json_integer_value(json_object_get(ev, "messages")), 3);
	assert_int_equal(json_integer_value(json_object_get(ev, "board_passes")), 1);
	assert_string_equal(json_string_value(json_object_get(ev, "origin")), "batch-test");
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(ev, "folded"), "cfx.message")),
		3);
	assert_int_equal(json_integer_value(
				 json_object_get(json_object_get(ev, "folded"), "genealogy.pass")),
			 1);
	assert_int_equal(strlen(json_string_value(json_object_get(ev, "folded_sha256"))), 64);
	/* The reel load is a setup change: kept whole. */
	text = json_dumps(json_object_get(ev, "events"), JSON_COMPACT);
	assert_non_null(strstr(text, "\"type\":\"genealogy.setup\""));
	assert_non_null(strstr(text, "\"R-1\""));
	free(text);
	json_decref(ev);
	/* Rows point at the batch event; the chain verifies. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_seen"), 1); /* WorkCompleted */
	assert_int_equal(count(h, "SELECT MIN(seq) FROM cfx_seen"), seq);
	assert_int_equal(count(h, "SELECT seq FROM gen_passes"), seq);
	/* One board named by its serial: kept on the transaction's row. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_transactions WHERE serial = 'SN-B1'"),
			 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_tx_units"), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_tx_serials WHERE serial = 'SN-B1'"), 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM board_route"), 0);
	/* The load named a package, WorkStarted a work order, ecms does not
	 * know: noted, so their full rows are kept. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_messages WHERE note IS NOT NULL"), 2);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM cfx_messages WHERE note LIKE "
				  "'%WO-X%' AND name = 'CFX.Production.WorkStarted'"),
			 1);
	OK(h, ecms_audit_verify(h, &au));
	OK(h, ecms_cfx_counts(h, &counts));
	text = json_dumps(counts, JSON_COMPACT);
	assert_non_null(strstr(text, "{\"name\":\"CFX.Production.WorkStarted\",\"applied\":1,"
				     "\"deferred\":0,\"unknown\":0}"));
	free(text);
	json_decref(counts);
	/* Replayed: duplicates by hash, no event. */
	ecms_cfx_report_init(&rep);
	OK(h, ecms_cfx_ingest_buf(h, s.data, s.len, "batch-test", &rep));
	assert_int_equal(rep.duplicates, 3);
	assert_int_equal(rep.applied, 0);
	ecms_cfx_report_cleanup(&rep);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), before + 1);
	free(s.data);
	ecms_close(h);
}

/* A database written before 014 (a route row copied per work step, a
 * UniqueID row per message) reads the same after it: the copies move to
 * cfx_tx_units, other steps stay, the messages stay duplicates. */
static void
test_migration_014(void **state)
{
	char *path = tu_path("m014.db");
	ecms *h = NULL;
	json_t *b = NULL;
	char *route;
	struct stream s = { 0 };
	struct ecms_cfx_ingest_report rep;
	int from, to;

	(void)state;
	unlink(path);
	OK(h, ecms_open(path, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h));
	OK(h, ecms__exec(h,
			 "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
			 "name TEXT NOT NULL, applied_ms INTEGER NOT NULL)",
			 ""));
	for (int i = 0; i < ecms__migration_count; i++) {
		const struct ecms__migration *m = &ecms__migrations[i];
		char *sql;
		if (m->version > 13)
			continue;
		sql = h->ops->schema_sql(m->sql);
		OK(h, h->ops->exec(h->store, sql, &h->err));
		ecms__free(sql);
		OK(h, ecms__exec(h,
				 "INSERT INTO schema_version (version, name, applied_ms) "
				 "VALUES (?, ?, 0)",
				 "it", (int64_t)m->version, m->name));
	}
	OK(h, ecms__exec(h,
			 "INSERT INTO boards (serial, status, flags, created_ms, started_ms, "
			 "updated_seq) VALUES ('SN-M1', 'wip', '', 1000, 1000, 1)",
			 ""));
	OK(h, ecms__exec(h,
			 "INSERT INTO cfx_transactions (transaction_id, machine, program, "
			 "revision, start_ms, start_text, end_ms, end_text, result, pass, seq) "
			 "VALUES ('tx-old', 'M1', 'P1', '1', 1000, 'a', 2000, 'b', 'Completed', "
			 "'recorded', 1)",
			 ""));
	OK(h,
	   ecms__exec(h, "INSERT INTO cfx_tx_units VALUES ('tx-old', 'SN-M1', 'SN-M1', -1)", ""));
	OK(h,
	   ecms__exec(h,
		      "INSERT INTO board_route (serial, station, kind, result, operator, at_ms, "
		      "detail, seq) VALUES ('SN-M1', 'M1', 'started', 'Pass', NULL, 1000, "
		      "'{\"batch\":null,\"program\":\"P1\",\"revision\":\"1\",\"surface\":null,"
		      "\"transaction\":\"tx-old\"}', 1), ('SN-M1', 'AOI-1', 'inspected', 'Pass', "
		      "'ann', 2000, NULL, 1), ('SN-M1', 'M1', 'completed', 'Completed', NULL, "
		      "2000, '{\"program\":\"P1\",\"transaction\":\"tx-old\"}', 1)",
		      ""));
	OK(h, ecms__exec(h,
			 "INSERT INTO cfx_messages (unique_id, name, status, ts_ms, ts_text, "
			 "received_ms, seq) VALUES ('00000000-0000-4000-8000-000000000001', "
			 "'CFX.Production.WorkStarted', 'applied', 1000, 'a', 1000, 1)",
			 ""));
	OK(h, ecms_init(h, &from, &to));
	assert_int_equal(from, 13);
	assert_int_equal(to, ecms_schema_version());
	assert_int_equal(count(h, "SELECT COUNT(*) FROM board_route"), 1);
	assert_int_equal(count(h, "SELECT started FROM cfx_tx_units"), 1);
	assert_int_equal(count(h, "SELECT n FROM cfx_counts WHERE name = "
				  "'CFX.Production.WorkStarted'"),
			 1);
	OK(h, ecms_board_get(h, "SN-M1", &b));
	route = json_dumps(json_object_get(b, "route"), JSON_COMPACT);
	/* Same steps, same details; at 2000 the completion first. */
	assert_string_equal(
		route,
		"[{\"station\":\"M1\",\"kind\":\"started\",\"result\":\"Pass\",\"operator\":null,"
		"\"time\":\"1970-01-01T00:00:01.000Z\",\"detail\":{\"batch\":null,\"program\":"
		"\"P1\",\"revision\":\"1\",\"surface\":null,\"transaction\":\"tx-old\"}},"
		"{\"station\":\"M1\",\"kind\":\"completed\",\"result\":\"Completed\","
		"\"operator\":null,\"time\":\"1970-01-01T00:00:02.000Z\",\"detail\":"
		"{\"program\":\"P1\",\"transaction\":\"tx-old\"}},{\"station\":\"AOI-1\","
		"\"kind\":\"inspected\",\"result\":\"Pass\",\"operator\":\"ann\",\"time\":"
		"\"1970-01-01T00:00:02.000Z\",\"detail\":null}]");
	free(route);
	json_decref(b);
	/* The message taken in before 014 is still a duplicate. */
	add(&s, "Production.WorkStarted", 1, M1,
	    "{\"TransactionID\":\"tx-old\",\"Units\":[{\"UnitIdentifier\":\"SN-M1\"}]}");
	ecms_cfx_report_init(&rep);
	OK(h, ecms_cfx_ingest_buf(h, s.data, s.len, "replay", &rep));
	assert_int_equal(rep.duplicates, 1);
	assert_int_equal(rep.rejected, 0);
	ecms_cfx_report_cleanup(&rep);
	free(s.data);
	ecms_close(h);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdk_examples),
		cmocka_unit_test(test_line_sequence),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_panel_and_rework),
		cmocka_unit_test(test_unknown_program),
		cmocka_unit_test(test_hermes),
		cmocka_unit_test(test_site_naming),
		cmocka_unit_test(test_machine_from_handle),
		cmocka_unit_test(test_batch_event),
		cmocka_unit_test(test_migration_014),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
