/*
 * test_cfx.c: the CFX reader: every SDK example (../shared/data/cfx)
 * wrapped in an envelope parses, key fields of the traceability messages,
 * the stream forms (NDJSON with broken lines, arrays, concatenated
 * objects, gzip), rejections with their lines and reasons, time offsets,
 * unknown messages, and allocation failure at every step.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "testutil.h"
#include "cfx_int.h"

/* ------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* The README mapping from example file to MessageName. */
static const struct {
	const char *file; /* prefix before the first '.' */
	const char *name;
} names[] = {
	{"MaterialsInitialized", "CFX.Materials.Management.MaterialsInitialized"},
	{"MaterialsConsumed", "CFX.Materials.Management.MaterialsConsumed"},
	{"BlockMaterialsRequest", "CFX.Materials.Management.BlockMaterialsRequest"},
	{"MaterialsOpened", "CFX.Materials.Management.MSDManagement.MaterialsOpened"},
	{"MaterialsPlacedInDryStorage",
	 "CFX.Materials.Management.MSDManagement.MaterialsPlacedInDryStorage"},
	{"MaterialsRemovedFromDryStorage",
	 "CFX.Materials.Management.MSDManagement.MaterialsRemovedFromDryStorage"},
	{"MaterialsExpired", "CFX.Materials.Management.MSDManagement.MaterialsExpired"},
	{"MaterialsRestored", "CFX.Materials.Management.MSDManagement.MaterialsRestored"},
	{"MaterialsLoaded", "CFX.Materials.Storage.MaterialsLoaded"},
	{"MaterialsUnloaded", "CFX.Materials.Storage.MaterialsUnloaded"},
	{"MaterialsEmpty", "CFX.Materials.Storage.MaterialsEmpty"},
	{"SplicePointDetected", "CFX.Materials.Storage.SplicePointDetected"},
	{"ValidateStationSetupRequest", "CFX.Materials.Storage.ValidateStationSetupRequest"},
	{"ValidateStationSetupResponse", "CFX.Materials.Storage.ValidateStationSetupResponse"},
	{"UnitsArrived", "CFX.Production.UnitsArrived"},
	{"UnitsDeparted", "CFX.Production.UnitsDeparted"},
	{"UnitsDisqualified", "CFX.Production.UnitsDisqualified"},
	{"WorkStarted", "CFX.Production.WorkStarted"},
	{"WorkCompleted", "CFX.Production.WorkCompleted"},
	{"MaterialsInstalled", "CFX.Production.Assembly.MaterialsInstalled"},
	{"MaterialsUninstalled", "CFX.Production.Assembly.MaterialsUninstalled"},
	{"UnitsProcessed", "CFX.Production.Processing.UnitsProcessed"},
	{"UnitsInspected", "CFX.Production.TestAndInspection.UnitsInspected"},
	{"UnitsTested", "CFX.Production.TestAndInspection.UnitsTested"},
	{"UnitsRepaired", "CFX.Production.ReworkAndRepair.UnitsRepaired"},
	{"FaultOccurred", "CFX.ResourcePerformance.FaultOccurred"},
	{"ComponentsPlaced", "CFX.ResourcePerformance.SMTPlacement.ComponentsPlaced"},
};

#define TS "2018-10-03T16:03:05.1091909-04:00"

static const char *
name_of(const char *file)
{
	size_t n = strcspn(file, ".");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].file) == n && strncmp(names[i].file, file, n) == 0)
			return names[i].name;
	fail_msg("%s: no MessageName in the README mapping", file);
	return NULL;
}

static char *
data_path(const char *file)
{
	const char *d = tu_shared_data();
	char *p = malloc(strlen(d) + strlen(file) + 6);

	sprintf(p, "%s/cfx/%s", d, file);
	return p;
}

/* An envelope around the example body in file (a new reference). */
static json_t *
envelope(const char *file, const char *uid)
{
	char *p = data_path(file);
	json_error_t e;
	json_t *body = json_load_file(p, 0, &e), *env;

	if (body == NULL)
		fail_msg("%s: %s", p, e.text);
	free(p);
	env = json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:o}", "MessageName",
			name_of(file), "Version", "2.1", "TimeStamp", TS, "UniqueID", uid,
			"Source", "SMTPlus.Model_21232.SN23123", "Target", "RequestID",
			"MessageBody", body);
	assert_non_null(env);
	return env;
}

/* Compact JSON text of env (free()). Takes the reference. */
static char *
dump(json_t *env, size_t flags)
{
	char *s = json_dumps(env, flags ? flags : JSON_COMPACT);

	assert_non_null(s);
	json_decref(env);
	return s;
}

/* Parse the example in file; fails the test on error. */
static ecms_cfx_msg *
example(const char *file)
{
	json_t *env = envelope(file, "0d3e0b1e-0000-4000-8000-000000000001");
	ecms_cfx_msg *m = NULL;
	ecms_error e;
	int rc = ecms_cfx_msg_from_json(env, 7, &m, &e);

	if (rc)
		fail_msg("%s: %s", file, e.message);
	json_decref(env);
	assert_int_equal(m->line, 7);
	return m;
}

static char *
cat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	strcpy(s, a);
	strcat(s, b);
	return s;
}

static ecms_cfx_reader *
reader(const void *data, size_t len)
{
	ecms_cfx_reader *r = NULL;
	ecms_error e;

	if (ecms_cfx_reader_new(data, len, 0, &r, &e))
		fail_msg("reader: %s", e.message);
	return r;
}

/* The next item must be a message starting at line; returns it. */
static ecms_cfx_msg *
next_msg(ecms_cfx_reader *r, long line)
{
	ecms_cfx_msg *m = NULL;
	ecms_error e;
	int rc = ecms_cfx_reader_next(r, &m, &e);

	if (rc)
		fail_msg("expected a message at line %ld, got rc %d: %s", line, rc, e.message);
	assert_non_null(m);
	assert_int_equal(m->line, line);
	return m;
}

/* The next item must be a rejection at line whose message contains text. */
static const ecms_cfx_reject *
next_reject(ecms_cfx_reader *r, long line, const char *text)
{
	ecms_cfx_msg *m = NULL;
	ecms_error e;
	int rc = ecms_cfx_reader_next(r, &m, &e);
	const ecms_cfx_reject *j;

	if (rc != ECMS_EINVAL)
		fail_msg("expected a rejection at line %ld, got rc %d (%s)", line, rc,
			 m ? m->name : e.message);
	assert_null(m);
	j = ecms_cfx_reader_reject(r);
	assert_non_null(j);
	assert_int_equal(j->line, line);
	if (strstr(e.message, text) == NULL)
		fail_msg("'%s' does not contain '%s'", e.message, text);
	return j;
}

static void
expect_end(ecms_cfx_reader *r)
{
	ecms_cfx_msg *m = NULL;
	ecms_error e;
	int rc = ecms_cfx_reader_next(r, &m, &e);

	if (rc)
		fail_msg("expected the end, got rc %d: %s", rc, e.message);
	assert_null(m);
	assert_null(ecms_cfx_reader_reject(r));
}

static unsigned char *
gzip_bytes(const void *data, size_t n, size_t *outlen)
{
	z_stream zs;
	unsigned char *out;
	size_t cap;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&zs, n);
	out = malloc(cap);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* A small envelope with the given name, uid and body (JSON text). */
static char *
mini(const char *name, const char *uid, const char *body)
{
	char *s = malloc(strlen(name) + strlen(uid) + strlen(body) + 200);

	sprintf(s, "{\"MessageName\":\"%s\",\"Version\":\"2.1\",\"TimeStamp\":\"%s\","
		"\"UniqueID\":\"%s\",\"Source\":null,\"MessageBody\":%s}", name, TS, uid, body);
	return s;
}

#define UNLOADED "CFX.Materials.Storage.MaterialsUnloaded"
#define BODY_UNLOADED "{\"MaterialPackageIdentifiers\":[\"REEL1\"]}"

/* ------------------------------------------------------------------
 * Kinds, times, durations
 * ------------------------------------------------------------------ */

static void
test_kind_names(void **state)
{
	for (int k = 1; k < ECMS_CFX_KIND_COUNT; k++)
		assert_int_equal(ecms_cfx_kind_from_name(ecms_cfx_kind_name(k)), k);
	assert_int_equal(ecms_cfx_kind_from_name("CFX.Production.Nope"), ECMS_CFX_UNKNOWN);
	assert_int_equal(ecms_cfx_kind_from_name("WorkStarted"), ECMS_CFX_UNKNOWN);
	assert_int_equal(ecms_cfx_kind_from_name(NULL), ECMS_CFX_UNKNOWN);
	assert_string_equal(ecms_cfx_kind_name(ECMS_CFX_UNKNOWN), "unknown");
	assert_string_equal(ecms_cfx_kind_name(ECMS_CFX_KIND_COUNT), "unknown");
	assert_string_equal(ecms_cfx_kind_name(ECMS_CFX_MATERIALS_INSTALLED),
			    "CFX.Production.Assembly.MaterialsInstalled");
}

static void
test_times_and_durations(void **state)
{
	ecms_cfx_time t;
	char buf[ECMS_TIME_LEN];
	int64_t ms;

	assert_int_equal(ecms__cfx_parse_time("2018-03-26T16:52:25.3769532-04:00", &t), 0);
	assert_int_equal(t.offset_min, -240);
	assert_true(t.has_offset);
	assert_string_equal(ecms_time_format(t.ms, buf), "2018-03-26T20:52:25.376Z");
	assert_int_equal(ecms__cfx_parse_time("2018-03-26T16:52:25+05:30", &t), 0);
	assert_int_equal(t.offset_min, 330);
	assert_string_equal(ecms_time_format(t.ms, buf), "2018-03-26T11:22:25.000Z");
	assert_int_equal(ecms__cfx_parse_time("2018-03-26T16:52:25-0930", &t), 0);
	assert_int_equal(t.offset_min, -570);
	assert_int_equal(ecms__cfx_parse_time("2018-03-26T16:52:25Z", &t), 0);
	assert_true(t.has_offset);
	assert_int_equal(t.offset_min, 0);
	assert_int_equal(ecms__cfx_parse_time("2017-05-01T08:22:12", &t), 0);
	assert_false(t.has_offset);
	assert_int_equal(ecms__cfx_parse_time("2017-05-01", &t), 0);
	assert_false(t.has_offset);
	assert_int_equal(ecms__cfx_parse_time("01/05/2017", &t), ECMS_EINVAL);

	assert_true(ecms__cfx_parse_duration("6.00:00:00", &ms) && ms == INT64_C(518400000));
	assert_true(ecms__cfx_parse_duration("00:01:44.2000000", &ms) && ms == 104200);
	assert_true(ecms__cfx_parse_duration("-1.02:03:04.5", &ms) &&
		    ms == -((INT64_C(26) * 3600 + 3 * 60 + 4) * 1000 + 500));
	assert_true(ecms__cfx_parse_duration("00:00:37", &ms) && ms == 37000);
	assert_false(ecms__cfx_parse_duration("6:00", &ms));
	assert_false(ecms__cfx_parse_duration("00:60:00", &ms));
	assert_false(ecms__cfx_parse_duration("1.24:00:00", &ms));
	assert_false(ecms__cfx_parse_duration("00:00:00.", &ms));
	assert_false(ecms__cfx_parse_duration("00:00:00x", &ms));
	assert_false(ecms__cfx_parse_duration("", &ms));
}

/* ------------------------------------------------------------------
 * Every example
 * ------------------------------------------------------------------ */

static void
test_all_examples(void **state)
{
	char *dir = data_path(""), *stream = strdup(""), *s;
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t files = 0, unknown = 0;
	ecms_cfx_reader *r;
	const ecms_cfx_stats *st;
	char uid[64];
	long line = 0;

	if (d == NULL)
		fail_msg("%s: cannot open (set ECMS_SHARED_DATA)", dir);
	/* One NDJSON stream with every example, the envelope example first. */
	{
		char *p = data_path("EndpointConnected.envelope.json");
		json_t *env = json_load_file(p, 0, NULL);

		assert_non_null(env);
		s = dump(env, 0);
		free(stream);
		stream = s;
		free(p);
		files++;
	}
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		char *line_text, *old;

		if (strlen(n) < 10 || strcmp(n + strlen(n) - 10, ".body.json") != 0)
			continue;
		snprintf(uid, sizeof(uid), "uid-%zu", files);
		s = dump(envelope(n, uid), 0);
		line_text = cat("\n", s);
		old = stream;
		stream = cat(stream, line_text);
		free(old);
		free(line_text);
		free(s);
		if (ecms_cfx_kind_from_name(name_of(n)) == ECMS_CFX_UNKNOWN)
			unknown++;
		files++;
	}
	closedir(d);
	free(dir);
	assert_true(files >= 40);

	r = reader(stream, strlen(stream));
	for (;;) {
		ecms_cfx_msg *m = NULL;
		ecms_error e;
		int rc = ecms_cfx_reader_next(r, &m, &e);

		if (rc)
			fail_msg("%s", e.message);
		if (m == NULL)
			break;
		line++;
		assert_int_equal(m->line, line);
		assert_int_equal(m->kind, ecms_cfx_kind_from_name(m->name));
		assert_non_null(m->body);
		ecms_cfx_msg_free(m);
	}
	st = ecms_cfx_reader_stats(r);
	assert_int_equal(st->messages, files);
	assert_int_equal(st->rejected, 0);
	/* EndpointConnected, ComponentsPlaced, MaterialsConsumed, the requests. */
	assert_int_equal(st->unknown, unknown + 1);
	assert_int_equal(st->by_kind[ECMS_CFX_UNITS_PROCESSED], 7);
	assert_int_equal(st->by_kind[ECMS_CFX_UNITS_INSPECTED], 5);
	assert_int_equal(st->by_kind[ECMS_CFX_FAULT_OCCURRED], 4);
	for (int k = 1; k < ECMS_CFX_KIND_COUNT; k++)
		if (st->by_kind[k] == 0)
			fail_msg("no example of %s", ecms_cfx_kind_name(k));
	ecms_cfx_reader_free(r);
	free(stream);
}

/* ------------------------------------------------------------------
 * Key fields
 * ------------------------------------------------------------------ */

static void
test_materials_installed(void **state)
{
	ecms_cfx_msg *m = example("MaterialsInstalled.body.json");
	const ecms_cfx_installs *in = &m->u.installed;
	const ecms_cfx_install *it;
	char buf[ECMS_TIME_LEN];

	assert_int_equal(m->kind, ECMS_CFX_MATERIALS_INSTALLED);
	assert_string_equal(in->transaction_id, "ce1cf002-50fe-4cd4-af27-5e46fdae5608");
	assert_int_equal(in->n_items, 1);
	it = &in->items[0];
	assert_string_equal(it->unit_id, "PANEL23423432");
	assert_int_equal(it->position, 1);
	assert_true(it->quantity == 3.0 && it->quantity_not == 0.0);
	assert_string_equal(it->material.uid, "MAT4566556456");
	assert_string_equal(it->material.ipn, "IPN47788");
	assert_true(it->material.quantity == 887.0);
	assert_int_equal(it->material.grey_zone, -1);
	assert_null(it->material.leading_uid);
	assert_string_equal(it->location_id, "UID384234893");
	assert_string_equal(it->location_name, "SLOT45");
	assert_non_null(it->carrier.json);
	assert_string_equal(it->carrier.type, "SMDTapeFeeder");
	assert_string_equal(it->carrier.unique_id, "1233334");
	assert_string_equal(it->carrier.name, "TAPEFEEDER8mm1233334");
	assert_string_equal(it->carrier.base_id, "123334");
	assert_null(it->carrier.base_name);
	assert_int_equal(it->carrier.lane, 1);
	assert_true(it->carrier.tape_width == 8.0 && it->carrier.tape_pitch == 8.0);
	assert_int_equal(it->n_components, 3);
	assert_string_equal(it->components[0].refdes, "R1");
	assert_string_equal(it->components[2].refdes, "R3");
	assert_string_equal(it->components[1].installed_at.text, TS);
	assert_int_equal(it->components[1].installed_at.offset_min, -240);
	assert_string_equal(ecms_time_format(it->components[1].installed_at.ms, buf),
			    "2018-10-03T20:03:05.109Z");
	assert_null(it->components[0].head_id);
	assert_int_equal(it->components[0].head_nozzle_number, -1);
	assert_int_equal(it->n_not_installed, 0);
	assert_null(it->reference_pn);
	/* The envelope. */
	assert_string_equal(m->name, "CFX.Production.Assembly.MaterialsInstalled");
	assert_string_equal(m->version, "2.1");
	assert_string_equal(m->unique_id, "0d3e0b1e-0000-4000-8000-000000000001");
	assert_string_equal(m->source, "SMTPlus.Model_21232.SN23123");
	assert_null(m->target);
	assert_null(m->request_id);
	assert_string_equal(m->timestamp.text, TS);
	assert_int_equal(m->timestamp.offset_min, -240);
	ecms_cfx_msg_free(m);

	m = example("MaterialsUninstalled.body.json");
	assert_int_equal(m->u.uninstalled.n_items, 2);
	it = &m->u.uninstalled.items[1];
	assert_int_equal(it->position, 2);
	assert_true(it->quantity == 3.0);
	assert_string_equal(it->reason, "DefectiveMaterial");
	assert_string_equal(it->material.uid, "MAT4566556456");
	assert_null(it->carrier.json);
	assert_int_equal(it->carrier.lane, -1);
	assert_int_equal(it->n_components, 3);
	assert_string_equal(it->components[2].refdes, "R3");
	ecms_cfx_msg_free(m);
}

static void
test_materials_storage(void **state)
{
	ecms_cfx_msg *m = example("SplicePointDetected.body.json");
	const ecms_cfx_splice *sp = &m->u.splice;
	const ecms_cfx_location *l;

	assert_int_equal(m->kind, ECMS_CFX_SPLICE_POINT_DETECTED);
	assert_string_equal(sp->depleted.location_id, "3245434554");
	assert_string_equal(sp->depleted.location_name, "SLOT22");
	assert_true(sp->depleted.has_package);
	assert_string_equal(sp->depleted.package.uid, "MAT238908348903");
	assert_string_equal(sp->depleted.package.ipn, "IPN-1222-55555");
	assert_true(sp->depleted.package.quantity == 0.0);
	assert_string_equal(sp->newly_active.package.uid, "MAT238908348904");
	assert_string_equal(sp->newly_active.location_name, "SLOT28");
	assert_true(sp->newly_active.package.quantity == 1000.0);
	assert_string_equal(sp->newly_active.carrier.unique_id, "234232432424");
	assert_string_equal(sp->newly_active.carrier.name, "FEEDER2245465");
	assert_null(sp->newly_active.carrier.base_id);
	ecms_cfx_msg_free(m);

	m = example("MaterialsLoaded.body.json");
	assert_int_equal(m->kind, ECMS_CFX_MATERIALS_LOADED);
	assert_int_equal(m->u.loaded.n_locations, 6);
	l = m->u.loaded.locations;
	assert_string_equal(l[0].location_name, "SLOT45");
	assert_string_equal(l[0].package.uid, "MAT4566556456");
	assert_null(l[0].carrier.type); /* untyped MaterialCarrier */
	assert_string_equal(l[0].carrier.unique_id, "1233333");
	assert_int_equal(l[0].carrier.lane, -1);
	assert_true(isnan(l[0].carrier.tape_width));
	assert_string_equal(l[2].carrier.base_id, "123335");
	assert_string_equal(l[2].carrier.base_name, "MULTILANEFEEDER123335");
	assert_int_equal(l[2].carrier.lane, 1);
	assert_int_equal(l[3].carrier.lane, 2);
	assert_string_equal(l[3].carrier.unique_id, "1233335B");
	assert_true(l[3].carrier.tape_pitch == 4.0);
	assert_string_equal(l[4].carrier.type, "SMDTubeFeeder");
	assert_int_equal(l[4].carrier.lane, 0);
	assert_string_equal(l[5].carrier.type, "SMDTrayFeeder");
	assert_string_equal(l[5].location_name, "92.1");
	assert_string_equal(l[5].package.uid, "MAT4566589856");
	ecms_cfx_msg_free(m);

	m = example("MaterialsEmpty.body.json");
	assert_int_equal(m->u.empty.n_locations, 2);
	assert_string_equal(m->u.empty.locations[1].package.uid, "MAT238908323434");
	assert_string_equal(m->u.empty.locations[1].location_id, "3245435784");
	ecms_cfx_msg_free(m);

	m = example("MaterialsUnloaded.body.json");
	assert_int_equal(m->u.unloaded.n_uids, 4);
	assert_string_equal(m->u.unloaded.uids[0], "MAT4566556456");
	assert_string_equal(m->u.unloaded.uids[3], "MAT4566555547");
	ecms_cfx_msg_free(m);
}

static void
test_materials_msd(void **state)
{
	ecms_cfx_msg *m = example("MaterialsInitialized.body.json");
	const ecms_cfx_package_detail *d;
	char buf[ECMS_TIME_LEN];

	assert_int_equal(m->kind, ECMS_CFX_MATERIALS_INITIALIZED);
	assert_int_equal(m->u.materials.n_materials, 2);
	d = &m->u.materials.materials[0];
	assert_string_equal(d->pkg.uid, "MAT4566556456");
	assert_string_equal(d->pkg.ipn, "IPN47788");
	assert_string_equal(d->manufacturer, "MOTOROLA");
	assert_string_equal(d->mpn, "MOT231234");
	assert_string_equal(d->vendor, "Digikey");
	assert_string_equal(d->vendor_pn, "DIG23452442");
	assert_string_equal(d->lot, "LOT2016110588");
	assert_string_equal(d->status, "Active");
	assert_string_equal(d->hazardous, "RoHS");
	assert_null(d->units);
	assert_true(d->pkg.quantity == 887.0 && d->initial_quantity == 1000.0);
	assert_string_equal(d->created.text, "2018-09-28T12:47:59.1991055-04:00");
	assert_int_equal(d->created.offset_min, -240);
	assert_string_equal(ecms_time_format(d->manufactured.ms, buf),
			    "2016-11-05T00:00:00.000Z");
	assert_false(d->manufactured.has_offset);
	assert_string_equal(d->received.text, "2017-05-06T00:00:00");
	assert_null(d->expiry.text);
	assert_string_equal(d->material_data_type, "MaterialPackageMSDData");
	assert_true(d->has_msd);
	assert_string_equal(d->msd.level, "MSL3");
	assert_string_equal(d->msd.state, "InDryStorage");
	assert_null(d->msd.expiration.text);
	assert_string_equal(d->msd.original_exposure.text, "2017-05-01T08:22:12");
	assert_string_equal(d->msd.last_exposure.text, "2017-05-06T13:55:33");
	assert_string_equal(d->msd.remaining_text, "6.00:00:00");
	assert_true(d->msd.remaining_ms == INT64_C(6) * 86400000);
	d = &m->u.materials.materials[1];
	assert_string_equal(d->pkg.uid, "MAT4566554543");
	assert_false(d->has_msd);
	assert_null(d->material_data);
	assert_null(d->msd.level);
	assert_int_equal(d->msd.remaining_ms, -1);
	ecms_cfx_msg_free(m);

	m = example("MaterialsExpired.body.json");
	assert_int_equal(m->kind, ECMS_CFX_MATERIALS_EXPIRED);
	d = &m->u.materials.materials[1];
	assert_string_equal(d->msd.level, "MSL2A");
	assert_string_equal(d->msd.state, "Expired");
	assert_string_equal(d->msd.expiration.text, "2018-09-28T12:48:00.2251223-04:00");
	ecms_cfx_msg_free(m);

	m = example("MaterialsOpened.body.json");
	assert_int_equal(m->kind, ECMS_CFX_MATERIALS_OPENED);
	assert_string_equal(m->u.materials.materials[0].msd.state, "Exposed");
	ecms_cfx_msg_free(m);
	m = example("MaterialsRestored.body.json");
	assert_int_equal(m->kind, ECMS_CFX_MATERIALS_RESTORED);
	assert_true(m->u.materials.materials[0].has_msd);
	ecms_cfx_msg_free(m);
}

static void
test_production(void **state)
{
	ecms_cfx_msg *m = example("WorkStarted.body.json");
	const ecms_cfx_units *w = &m->u.work_started;

	assert_int_equal(m->kind, ECMS_CFX_WORK_STARTED);
	assert_string_equal(w->transaction_id, "2c24590d-39c5-4039-96a5-91900cecedfa");
	assert_null(w->primary_id);
	assert_null(w->hermes_id);
	assert_int_equal(w->lane, 1);
	assert_int_equal(w->unit_count, 2);
	assert_int_equal(w->n_units, 2);
	assert_string_equal(w->units[1].unit_id, "CARRIER5566");
	assert_int_equal(w->units[1].position, 2);
	assert_string_equal(w->units[1].position_name, "CIRCUIT2");
	assert_string_equal(w->units[1].status, "Pass");
	assert_string_equal(w->recipe, "Recipe1");
	assert_string_equal(w->revision, "2.0");
	assert_string_equal(w->surface, "PrimarySurface");
	assert_string_equal(w->work_order_id, "WO-1000-1000");
	assert_string_equal(w->batch, "WO-1000-1000-B1");
	assert_null(w->result);
	ecms_cfx_msg_free(m);

	m = example("WorkCompleted.body.json");
	w = &m->u.work_completed;
	assert_string_equal(w->transaction_id, "2c24590d-39c5-4039-96a5-91900cecedfa");
	assert_string_equal(w->result, "Completed");
	assert_int_equal(w->unit_count, 0);
	assert_int_equal(w->n_units, 0);
	assert_null(w->units);
	ecms_cfx_msg_free(m);

	m = example("UnitsArrived.body.json");
	w = &m->u.arrived;
	assert_null(w->transaction_id);
	assert_int_equal(w->lane, -1);
	assert_int_equal(w->n_units, 2);
	assert_null(w->units[0].status);
	ecms_cfx_msg_free(m);

	m = example("UnitsDisqualified.body.json");
	w = &m->u.disqualified;
	assert_string_equal(w->reason, "DefectiveRepairNotPossible");
	assert_non_null(strstr(w->comments, "dropped"));
	assert_int_equal(w->n_units, 2);
	ecms_cfx_msg_free(m);
}

static void
test_fault(void **state)
{
	ecms_cfx_msg *m = example("FaultOccurred.2.body.json");
	const ecms_cfx_fault *f = &m->u.fault;

	assert_int_equal(m->kind, ECMS_CFX_FAULT_OCCURRED);
	assert_string_equal(f->type, "SMTPlacementFault");
	assert_string_equal(f->fault_type, "PickupError");
	assert_string_equal(f->code, "ERROR 3943480");
	assert_string_equal(f->cause, "MechanicalFailure");
	assert_string_equal(f->severity, "Error");
	assert_int_equal(f->program_step, 56);
	assert_string_equal(f->designator, "R31");
	assert_string_equal(f->designator_pn, "PN123456");
	assert_true(f->has_location);
	assert_string_equal(f->location.location_name, "SLOT47");
	assert_string_equal(f->location.package.uid, "UID34280923084932849");
	assert_string_equal(f->location.carrier.type, "SMDTapeFeeder");
	assert_string_equal(f->location.carrier.unique_id, "FDR2348934-32890");
	assert_string_equal(f->head_id, "HEAD1");
	assert_string_equal(f->nozzle_id, "UID2389432849");
	assert_int_equal(f->head_nozzle_number, 3);
	assert_int_equal(f->lane, 1);
	assert_int_equal(f->stage_sequence, 2);
	assert_string_equal(f->stage_name, "STAGE2");
	assert_string_equal(f->occurred_at.text, "2018-10-31T15:13:31.0552292-04:00");
	assert_int_equal(f->occurred_at.offset_min, -240);
	assert_null(f->due.text);
	ecms_cfx_msg_free(m);

	m = example("FaultOccurred.1.body.json");
	f = &m->u.fault;
	assert_null(f->type);
	assert_null(f->fault_type);
	assert_null(f->designator);
	assert_false(f->has_location);
	assert_int_equal(f->lane, -1);
	assert_int_equal(f->stage_sequence, -1);
	assert_string_equal(f->code, "ERROR 3943480");
	ecms_cfx_msg_free(m);

	m = example("FaultOccurred.3.body.json");
	assert_string_equal(m->u.fault.type, "THTInsertionFault");
	assert_string_equal(m->u.fault.fault_type, "ClinchError");
	assert_string_equal(m->u.fault.designator, "R31");
	ecms_cfx_msg_free(m);
	m = example("FaultOccurred.4.body.json");
	assert_string_equal(m->u.fault.fault_type, "SqueegeeError");
	ecms_cfx_msg_free(m);
}

static void
test_units_processed(void **state)
{
	ecms_cfx_msg *m = example("UnitsProcessed.1.body.json");
	const ecms_cfx_processed *p = &m->u.processed;
	const ecms_cfx_reflow *rf;
	const ecms_cfx_reflow_zone *z;

	assert_int_equal(m->kind, ECMS_CFX_UNITS_PROCESSED);
	assert_string_equal(p->overall_result, "Succeeded");
	assert_non_null(p->transaction_id);
	assert_string_equal(p->common.type, "ReflowProcessData");
	rf = p->common.reflow;
	assert_non_null(rf);
	assert_false(rf->profiling);
	assert_true(rf->conveyor_speed == 60.0 && rf->conveyor_speed_setpoint == 0.0);
	assert_int_equal(rf->n_zones, 4);
	z = &rf->zones[2];
	assert_string_equal(z->zone_type, "Reflow");
	assert_int_equal(z->stage_sequence, 3);
	assert_string_equal(z->stage_name, "Zone3");
	assert_int_equal(z->n_setpoints, 5);
	assert_string_equal(z->setpoints[0].sub_zone, "Top");
	assert_string_equal(z->setpoints[0].type, "Temperature");
	assert_true(z->setpoints[0].value == 250.0);
	assert_string_equal(z->setpoints[2].type, "O2");
	assert_int_equal(z->n_readings, 10);
	assert_true(z->readings[0].value == 251.0);
	assert_string_equal(z->readings[9].type, "ConvectionRate");
	assert_null(rf->barcode);
	assert_true(isnan(rf->pwi));
	assert_int_equal(p->n_units, 0);
	ecms_cfx_msg_free(m);

	m = example("UnitsProcessed.3.body.json");
	p = &m->u.processed;
	rf = p->common.reflow;
	assert_string_equal(p->common.type, "ReflowProfilingProcessData");
	assert_non_null(rf);
	assert_true(rf->profiling);
	assert_string_equal(rf->barcode, "CARRIER55678");
	assert_string_equal(rf->oven_name, "Oven1");
	assert_string_equal(rf->product_name, "Product1");
	assert_string_equal(rf->recipe, "Recipe1");
	assert_string_equal(rf->process_window, "ProcessWindow001");
	assert_string_equal(rf->lot_id, "Lot5564");
	assert_string_equal(rf->result, "Passed");
	assert_int_equal(rf->lane, 1);
	assert_true(rf->pwi == 89.6);
	assert_true(rf->conveyor_speed == 102.3 && rf->conveyor_speed_setpoint == 100.0);
	assert_string_equal(rf->unit_in.text, "2018-10-31T09:30:27.05191-04:00");
	assert_int_equal(rf->unit_out.offset_min, -240);
	assert_int_equal(rf->n_zones, 4);
	assert_string_equal(rf->zones[0].zone_type, "PreHeat");
	ecms_cfx_msg_free(m);

	m = example("UnitsProcessed.2.body.json");
	p = &m->u.processed;
	assert_null(p->common.json);
	assert_null(p->common.reflow);
	assert_int_equal(p->n_units, 2);
	assert_string_equal(p->units[1].unit_id, "CARRIER55678");
	assert_int_equal(p->units[1].position, 2);
	assert_string_equal(p->units[1].result, "Succeeded");
	assert_string_equal(p->units[1].data.type, "CoatingProcessData");
	assert_non_null(p->units[1].data.json);
	assert_null(p->units[1].data.reflow);
	ecms_cfx_msg_free(m);
}

static void
test_units_inspected(void **state)
{
	ecms_cfx_msg *m = example("UnitsInspected.1.body.json");
	const ecms_cfx_checks *c = &m->u.inspected;
	const ecms_cfx_check *k;
	const ecms_cfx_defect *d;

	assert_int_equal(m->kind, ECMS_CFX_UNITS_INSPECTED);
	assert_string_equal(c->method, "AOI");
	assert_string_equal(c->op.id, "BADGE489499");
	assert_string_equal(c->op.login, "joseph.smith@abcdrepairs.com");
	assert_string_equal(c->op.last_name, "Smith");
	assert_null(c->recipe);
	assert_false(c->has_panel);
	assert_int_equal(c->n_units, 2);
	assert_string_equal(c->units[0].result, "Passed");
	assert_string_equal(c->units[1].unit_id, "PANEL34543535");
	assert_int_equal(c->units[1].position, 2);
	assert_string_equal(c->units[1].result, "Failed");
	assert_int_equal(c->units[1].n_checks, 3);
	k = &c->units[1].checks[1];
	assert_string_equal(k->name, "INSPECT_R22");
	assert_string_equal(k->result, "Failed");
	assert_null(k->start.text);
	assert_int_equal(k->n_defects, 2);
	d = &k->defects[0];
	assert_string_equal(d->code, "ISFSLD112");
	assert_string_equal(d->category, "Solder Problems");
	assert_string_equal(d->component, "R22.1");
	assert_string_equal(d->part_number, "11123-8897");
	assert_int_equal(d->n_images, 1);
	assert_int_equal(d->priority, 1);
	assert_true(d->confidence == 100.0);
	assert_string_equal(k->defects[1].component, "R22");
	assert_string_equal(k->defects[1].code, "TMBSTN211");
	assert_null(c->units[1].checks[2].defects[0].component);
	ecms_cfx_msg_free(m);

	m = example("UnitsInspected.2.body.json");
	k = &m->u.inspected.units[0].checks[0];
	assert_string_equal(m->u.inspected.method, "SPI");
	assert_int_equal(k->n_measurements, 2);
	assert_string_equal(k->measurements[0].type, "SolderPasteMeasurement");
	assert_string_equal(k->measurements[0].name, "R1.1");
	assert_string_equal(k->measurements[0].crds, "R1.1");
	assert_string_equal(k->measurements[0].result, "Passed");
	assert_true(isnan(k->measurements[0].value));
	assert_non_null(json_object_get(k->measurements[0].json, "Vol"));
	ecms_cfx_msg_free(m);

	m = example("UnitsInspected.4.body.json");
	c = &m->u.inspected;
	assert_string_equal(c->recipe, "SolderRecipeXYZ_TextBoard1");
	assert_string_equal(c->recipe_revision, "1.3.3.33");
	assert_null(c->op.id);
	assert_string_equal(c->op.actor_type, "Human");
	ecms_cfx_msg_free(m);

	m = example("UnitsInspected.5.body.json");
	c = &m->u.inspected;
	assert_int_equal(c->n_units, 0);
	assert_true(c->has_panel);
	assert_string_equal(c->panel.unit_id, "PN123456789");
	assert_int_equal(c->panel.position, -1);
	assert_string_equal(c->panel.result, "Passed");
	assert_int_equal(c->panel.n_checks, 2);
	assert_string_equal(c->panel.checks[1].name, "INSPECT_F2");
	ecms_cfx_msg_free(m);
}

static void
test_units_tested_repaired(void **state)
{
	ecms_cfx_msg *m = example("UnitsTested.1.body.json");
	const ecms_cfx_checks *c = &m->u.tested;
	const ecms_cfx_check *k;
	const ecms_cfx_measurement *me;
	const ecms_cfx_symptom *sy;
	const ecms_cfx_repair *rp;

	assert_int_equal(m->kind, ECMS_CFX_UNITS_TESTED);
	assert_string_equal(c->transaction_id, "c16bb3f4-8088-4697-b789-80faec48ac5a");
	assert_string_equal(c->method, "Automated");
	assert_string_equal(c->op.id, "BADGE489499");
	assert_int_equal(c->n_units, 2);
	assert_int_equal(c->units[0].position, 1);
	assert_int_equal(c->units[0].n_checks, 2);
	k = &c->units[0].checks[0];
	assert_string_equal(k->name, "RESISTANCE_CHECK_R21");
	assert_string_equal(k->result, "Passed");
	assert_int_equal(k->n_measurements, 1);
	me = &k->measurements[0];
	assert_string_equal(me->type, "NumericMeasurement");
	assert_string_equal(me->name, "RESISTANCE_MEASUREMENT_R21");
	assert_true(me->value == 28300.0);
	assert_string_equal(me->value_units, "Ohm");
	assert_true(me->expected == 28.2);
	assert_string_equal(me->expected_units, "kOhm");
	assert_true(me->min == 28.0 && me->max == 28.4);
	assert_string_equal(me->crds, "R21");
	assert_string_equal(me->result, "Passed");
	assert_null(me->recorded.text);
	k = &c->units[0].checks[1];
	assert_string_equal(k->result, "Failed");
	assert_int_equal(k->n_symptoms, 1);
	sy = &k->symptoms[0];
	assert_string_equal(sy->code, "RESFAIL2");
	assert_string_equal(sy->category, "Electrical Tests");
	assert_int_equal(sy->n_components, 2);
	assert_string_equal(sy->components[0], "R22.1");
	assert_string_equal(sy->components[1], "R22.2");
	assert_int_equal(sy->n_measurements, 1);
	assert_true(sy->measurements[0].value == 28.52);
	assert_string_equal(sy->measurements[0].crds, "R22");
	ecms_cfx_msg_free(m);

	m = example("UnitsTested.2.body.json");
	k = &m->u.tested.units[0].checks[0];
	assert_string_equal(k->name, "HOT_TEST");
	assert_string_equal(k->start.text, "2018-10-03T16:02:33.2831984-04:00");
	assert_int_equal(k->end.offset_min, -240);
	assert_true(k->end.ms > k->start.ms);
	ecms_cfx_msg_free(m);

	m = example("UnitsRepaired.body.json");
	assert_int_equal(m->kind, ECMS_CFX_UNITS_REPAIRED);
	assert_string_equal(m->u.repaired.transaction_id,
			    "080ff333-2577-45e4-8440-3ef38bb79945");
	assert_string_equal(m->u.repaired.op.id, "BADGE489499");
	assert_int_equal(m->u.repaired.n_units, 1);
	assert_string_equal(m->u.repaired.units[0].result, "RepairSuccessful");
	assert_int_equal(m->u.repaired.units[0].n_repairs, 2);
	rp = &m->u.repaired.units[0].repairs[1];
	assert_string_equal(rp->name, "Joint Repair");
	assert_string_equal(rp->component, "U24.4-5");
	assert_string_equal(rp->part_number, "SN74HCS50DR");
	assert_int_equal(rp->n_defect_ids, 1);
	assert_string_equal(rp->defect_ids[0], "e9c72d08-a0f0-450b-b5f4-49145edfca6b");
	assert_int_equal(rp->start.offset_min, -240);
	ecms_cfx_msg_free(m);
}

/* ------------------------------------------------------------------
 * Envelope and body errors
 * ------------------------------------------------------------------ */

/* Parse one line of text; expect a rejection whose message is exactly want. */
static void
expect_rejected(const char *text, const char *want)
{
	ecms_cfx_reader *r = reader(text, strlen(text));
	ecms_cfx_msg *m = NULL;
	ecms_error e;

	assert_int_equal(ecms_cfx_reader_next(r, &m, &e), ECMS_EINVAL);
	assert_null(m);
	if (strcmp(e.message, want) != 0)
		fail_msg("got '%s', want '%s'", e.message, want);
	expect_end(r);
	assert_int_equal(ecms_cfx_reader_stats(r)->rejected, 1);
	ecms_cfx_reader_free(r);
}

static void
test_envelope_errors(void **state)
{
	const char *inst = "CFX.Production.Assembly.MaterialsInstalled";
	char *s;
	ecms_cfx_reader *r;
	const ecms_cfx_reject *j;

	/* Missing UniqueID: rejected with a reason; name kept for the log. */
	s = strdup("{\"MessageName\":\"" UNLOADED "\",\"TimeStamp\":\"" TS "\","
		   "\"MessageBody\":" BODY_UNLOADED "}");
	r = reader(s, strlen(s));
	j = next_reject(r, 1, "line 1: missing UniqueID");
	assert_false(j->syntax);
	assert_string_equal(j->message_name, UNLOADED);
	assert_null(j->unique_id);
	assert_string_equal(j->reason, "missing UniqueID");
	assert_string_equal(j->text, s);
	assert_int_equal(j->text_len, strlen(s));
	expect_end(r);
	ecms_cfx_reader_free(r);
	free(s);

	expect_rejected("{\"UniqueID\":\"u1\",\"TimeStamp\":\"" TS "\",\"MessageBody\":{}}",
			"line 1: missing MessageName");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":\"\",\"TimeStamp\":\"" TS "\","
			"\"MessageBody\":{}}", "line 1: UniqueID is empty");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":7,\"TimeStamp\":\"" TS "\","
			"\"MessageBody\":{}}",
			"line 1: UniqueID: expected a string, got an integer");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":\"u\",\"MessageBody\":{}}",
			"line 1: missing TimeStamp");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":\"u\",\"TimeStamp\":\"yesterday\","
			"\"MessageBody\":{}}",
			"line 1: TimeStamp: 'yesterday' is not an ISO 8601 time "
			"(expected YYYY-MM-DDTHH:MM:SS[.fffffff][Z|+HH:MM])");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":\"u\",\"TimeStamp\":\"" TS "\"}",
			"line 1: missing MessageBody");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":\"u\",\"TimeStamp\":\"" TS "\","
			"\"MessageBody\":null}", "line 1: missing MessageBody");
	expect_rejected("{\"MessageName\":\"X\",\"UniqueID\":\"u\",\"TimeStamp\":\"" TS "\","
			"\"MessageBody\":[]}",
			"line 1: MessageBody: expected an object, got an array");
	expect_rejected("\"hello\"", "line 1: expected an envelope object or an array of "
			"envelopes, got a string");

	/* Body errors name the field path. */
	s = mini(inst, "u1", "{\"TransactionId\":\"t\",\"InstalledMaterials\":[{"
		 "\"UnitIdentifier\":\"P1\",\"Material\":{\"InternalPartNumber\":\"I\"}}]}");
	expect_rejected(s, "line 1: MessageBody.InstalledMaterials[0].Material: "
			"missing UniqueIdentifier");
	free(s);
	s = mini(inst, "u1", "{\"InstalledMaterials\":[{\"UnitIdentifier\":\"P1\","
		 "\"UnitPositionNumber\":\"1\",\"Material\":{\"UniqueIdentifier\":\"R\"}}]}");
	expect_rejected(s, "line 1: MessageBody.InstalledMaterials[0].UnitPositionNumber: "
			"expected an integer, got a string");
	free(s);
	s = mini(inst, "u1", "{\"InstalledMaterials\":[{\"UnitIdentifier\":\"P1\","
		 "\"Material\":{\"UniqueIdentifier\":\"R\"},\"InstalledComponents\":"
		 "[{\"ReferenceDesignator\":\"R1\",\"InstallationTime\":\"soon\"}]}]}");
	expect_rejected(s, "line 1: MessageBody.InstalledMaterials[0].InstalledComponents[0]."
			"InstallationTime: 'soon' is not an ISO 8601 time "
			"(expected YYYY-MM-DDTHH:MM:SS[.fffffff][Z|+HH:MM])");
	free(s);
	s = mini(inst, "u1", "{\"InstalledMaterials\":[7]}");
	expect_rejected(s, "line 1: MessageBody.InstalledMaterials[0]: expected an object, "
			"got an integer");
	free(s);
	s = mini(inst, "u1", "{}");
	expect_rejected(s, "line 1: MessageBody: missing InstalledMaterials");
	free(s);
	s = mini("CFX.Production.WorkStarted", "u1", "{\"Lane\":1.5}");
	expect_rejected(s, "line 1: MessageBody: missing TransactionID");
	free(s);
	s = mini("CFX.Production.WorkStarted", "u1", "{\"TransactionID\":\"t\",\"Lane\":1.5}");
	expect_rejected(s, "line 1: MessageBody.Lane: expected an integer, got a number");
	free(s);
	s = mini(UNLOADED, "u1", "{\"MaterialPackageIdentifiers\":[\"A\",\"\"]}");
	expect_rejected(s, "line 1: MessageBody.MaterialPackageIdentifiers[1]: "
			"empty identifier");
	free(s);
	s = mini("CFX.Materials.Management.MaterialsInitialized", "u1",
		 "{\"Materials\":[{\"UniqueIdentifier\":\"R\",\"MaterialData\":{\"$type\":"
		 "\"CFX.Structures.MaterialPackageMSDData, CFX\",\"RemainingExposureTime\":"
		 "\"six days\"}}]}");
	expect_rejected(s, "line 1: MessageBody.Materials[0].MaterialData."
			"RemainingExposureTime: 'six days' is not a duration "
			"(expected [d.]hh:mm:ss[.fffffff])");
	free(s);
	s = mini("CFX.ResourcePerformance.FaultOccurred", "u1",
		 "{\"Fault\":{\"$type\":\", CFX\"}}");
	expect_rejected(s, "line 1: MessageBody.Fault.$type: ', CFX' names no class");
	free(s);
	s = mini("CFX.ResourcePerformance.FaultOccurred", "u1",
		 "{\"Fault\":{\"PlacementFaultType\":3}}");
	expect_rejected(s, "line 1: MessageBody.Fault.PlacementFaultType: expected a string, "
			"got an integer");
	free(s);
	s = mini("CFX.Production.TestAndInspection.UnitsTested", "u1",
		 "{\"TestedUnits\":[{\"Tests\":[{\"Measurements\":[{\"MeasuredValue\":"
		 "{\"Value\":\"high\"}}]}]}]}");
	expect_rejected(s, "line 1: MessageBody.TestedUnits[0].Tests[0].Measurements[0]."
			"MeasuredValue.Value: expected a number, got a string");
	free(s);
	/* A MessageName over the limit. */
	{
		char name[ECMS_CFX_ID_MAX + 2];

		memset(name, 'N', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		s = mini(name, "u1", "{}");
		expect_rejected(s, "line 1: MessageName is longer than 256 characters");
		free(s);
	}
	/* ecms_cfx_msg_from_json on a non-object. */
	{
		json_t *a = json_array();
		ecms_cfx_msg *m = (ecms_cfx_msg *)1;
		ecms_error e;

		assert_int_equal(ecms_cfx_msg_from_json(a, 1, &m, &e), ECMS_EINVAL);
		assert_null(m);
		assert_string_equal(e.message, "expected an envelope object, got an array");
		json_decref(a);
	}
}

static void
test_unknown_kept(void **state)
{
	char *s = mini("CFX.Production.SomethingNew", "u9", "{\"Anything\":[1,2,{\"x\":true}]}");
	ecms_cfx_reader *r = reader(s, strlen(s));
	ecms_cfx_msg *m = next_msg(r, 1);

	assert_int_equal(m->kind, ECMS_CFX_UNKNOWN);
	assert_string_equal(m->name, "CFX.Production.SomethingNew");
	assert_string_equal(m->unique_id, "u9");
	assert_int_equal(json_array_size(json_object_get(m->body, "Anything")), 3);
	assert_true(json_object_get(m->envelope, "MessageBody") == m->body);
	expect_end(r);
	assert_int_equal(ecms_cfx_reader_stats(r)->unknown, 1);
	assert_int_equal(ecms_cfx_reader_stats(r)->by_kind[ECMS_CFX_UNKNOWN], 1);
	assert_int_equal(ecms_cfx_reader_stats(r)->messages, 1);
	/* The message outlives the reader and its input. */
	ecms_cfx_reader_free(r);
	free(s);
	assert_string_equal(m->name, "CFX.Production.SomethingNew");
	ecms_cfx_msg_free(m);
	ecms_cfx_msg_free(NULL);
	ecms_cfx_reader_free(NULL);
}

static void
test_time_offsets_kept(void **state)
{
	const char *s = "{\"MessageName\":\"" UNLOADED "\",\"UniqueID\":\"a\","
			"\"TimeStamp\":\"2018-03-26T16:52:25.3769532+05:30\",\"MessageBody\":"
			BODY_UNLOADED "}\n"
			"{\"MessageName\":\"" UNLOADED "\",\"UniqueID\":\"b\","
			"\"TimeStamp\":\"2018-03-26T16:52:25Z\",\"MessageBody\":" BODY_UNLOADED "}\n"
			"{\"MessageName\":\"" UNLOADED "\",\"UniqueID\":\"c\","
			"\"TimeStamp\":\"2018-03-26T16:52:25\",\"MessageBody\":" BODY_UNLOADED "}\n";
	ecms_cfx_reader *r = reader(s, strlen(s));
	char buf[ECMS_TIME_LEN];
	ecms_cfx_msg *m;

	m = next_msg(r, 1);
	assert_string_equal(m->timestamp.text, "2018-03-26T16:52:25.3769532+05:30");
	assert_int_equal(m->timestamp.offset_min, 330);
	assert_true(m->timestamp.has_offset);
	assert_string_equal(ecms_time_format(m->timestamp.ms, buf), "2018-03-26T11:22:25.376Z");
	ecms_cfx_msg_free(m);
	m = next_msg(r, 2);
	assert_int_equal(m->timestamp.offset_min, 0);
	assert_true(m->timestamp.has_offset);
	ecms_cfx_msg_free(m);
	m = next_msg(r, 3);
	assert_false(m->timestamp.has_offset);
	assert_string_equal(ecms_time_format(m->timestamp.ms, buf), "2018-03-26T16:52:25.000Z");
	ecms_cfx_msg_free(m);
	expect_end(r);
	ecms_cfx_reader_free(r);
}

/* ------------------------------------------------------------------
 * Stream forms and recovery
 * ------------------------------------------------------------------ */

static void
test_ndjson_broken_lines(void **state)
{
	char *a = mini(UNLOADED, "a", BODY_UNLOADED), *b = mini(UNLOADED, "b", BODY_UNLOADED);
	char *s = malloc(strlen(a) * 6 + 400);
	ecms_cfx_reader *r;
	const ecms_cfx_reject *j;
	ecms_cfx_msg *m;

	/* 1 ok; 2 cut short; 3 ok; 4 junk; 5 missing '}'; 6 ok; 7 empty;
	 * 8 duplicate key; 9 bad UTF-8 in a string; 10 ok, CRLF ends. */
	sprintf(s, "%s\n{\"MessageName\":\"X\",\"Uniq\n%s\nhello world\n"
		"{\"MessageName\":\"X\"\n%s\n\n{\"a\":1,\"a\":2}\n{\"a\":\"\xff\"}\n%s\r\n",
		a, b, a, b);
	r = reader(s, strlen(s));
	m = next_msg(r, 1);
	assert_string_equal(m->unique_id, "a");
	ecms_cfx_msg_free(m);
	j = next_reject(r, 2, "line 2, column ");
	assert_true(j->syntax);
	assert_int_equal(j->error_line, 2);
	assert_true(j->column > 20);
	assert_non_null(strstr(j->reason, "invalid JSON"));
	assert_string_equal(j->text, "{\"MessageName\":\"X\",\"Uniq");
	assert_null(j->message_name);
	m = next_msg(r, 3);
	assert_string_equal(m->unique_id, "b");
	ecms_cfx_msg_free(m);
	j = next_reject(r, 4, "line 4, column ");
	assert_string_equal(j->text, "hello world");
	/* The error shows at line 6, where '}' was expected: reported as
	 * line 5 (where the value starts) and line 6 is still read. */
	j = next_reject(r, 5, "line 5: invalid JSON: '}' expected");
	assert_non_null(strstr(ecms_cfx_reader_reject(r)->reason, "'}' expected"));
	assert_int_equal(j->error_line, 6);
	assert_int_equal(j->column, 1);
	m = next_msg(r, 6);
	ecms_cfx_msg_free(m);
	j = next_reject(r, 8, "duplicate object key");
	assert_int_equal(j->column, 10);
	j = next_reject(r, 9, "line 9, column");
	/* The raw text is made valid UTF-8. */
	assert_string_equal(j->text, "{\"a\":\"?\"}");
	m = next_msg(r, 10);
	ecms_cfx_msg_free(m);
	expect_end(r);
	assert_int_equal(ecms_cfx_reader_stats(r)->messages, 4);
	assert_int_equal(ecms_cfx_reader_stats(r)->rejected, 5);
	ecms_cfx_reader_free(r);
	free(a);
	free(b);
	free(s);
}

/* Lines (1-based) of the first four lines of s indented by one space. */
static void
element_lines(const char *s, long el[4])
{
	long line = 1;
	int k = 0;

	for (const char *p = s; *p && k < 4; p++) {
		if ((p == s || p[-1] == '\n') && p[0] == ' ' && p[1] != ' ' && p[1] != '}')
			el[k++] = line;
		line += *p == '\n';
	}
	assert_int_equal(k, 4);
}

static void
test_arrays(void **state)
{
	char want[64];
	long el[4];
	json_t *arr = json_array();
	ecms_cfx_reader *r;
	ecms_cfx_msg *m;
	char *s, *t;
	const ecms_cfx_reject *j;

	json_array_append_new(arr, envelope("WorkStarted.body.json", "w1"));
	json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "MessageName", UNLOADED,
					     "TimeStamp", TS, "MessageBody",
					     json_loads(BODY_UNLOADED, 0, NULL)));
	json_array_append_new(arr, envelope("MaterialsUnloaded.body.json", "w3"));
	json_array_append_new(arr, json_integer(5));

	/* Compact, on one line (an AMQP body with MaxMessagesPerTransmit > 1). */
	s = json_dumps(arr, JSON_COMPACT);
	r = reader(s, strlen(s));
	m = next_msg(r, 1);
	assert_int_equal(m->kind, ECMS_CFX_WORK_STARTED);
	ecms_cfx_msg_free(m);
	next_reject(r, 1, "line 1: missing UniqueID");
	m = next_msg(r, 1);
	assert_string_equal(m->unique_id, "w3");
	ecms_cfx_msg_free(m);
	next_reject(r, 1, "expected an envelope object in the array, got a number");
	expect_end(r);
	ecms_cfx_reader_free(r);
	free(s);

	/* Pretty-printed: each envelope has its own line. */
	s = json_dumps(arr, JSON_INDENT(1));
	element_lines(s, el);
	assert_int_equal(el[0], 2);
	r = reader(s, strlen(s));
	m = next_msg(r, 2);
	ecms_cfx_msg_free(m);
	snprintf(want, sizeof(want), "line %ld: missing UniqueID", el[1]);
	next_reject(r, el[1], want);
	m = next_msg(r, el[2]);
	assert_string_equal(m->unique_id, "w3");
	ecms_cfx_msg_free(m);
	next_reject(r, el[3], "got a number");
	expect_end(r);
	ecms_cfx_reader_free(r);

	/* A syntax error inside an element: the next element is still read. */
	t = strdup(s);
	*strstr(t, "\"Lane\": 1") = '@';
	r = reader(t, strlen(t));
	j = next_reject(r, 2, "invalid JSON");
	assert_true(j->error_line > 2);
	next_reject(r, el[1], "missing UniqueID");
	m = next_msg(r, el[2]);
	ecms_cfx_msg_free(m);
	next_reject(r, el[3], "got a number");
	expect_end(r);
	ecms_cfx_reader_free(r);
	free(t);
	free(s);
	json_decref(arr);

	/* Empty array, a missing ',', a trailing ',', arrays on NDJSON lines. */
	s = mini(UNLOADED, "x", BODY_UNLOADED);
	t = malloc(strlen(s) * 8 + 100);
	sprintf(t, "[]\n[%s %s]\n[%s,]\n[%s,{\"a\":}]\n[%s]\n", s, s, s, s, s);
	r = reader(t, strlen(t));
	ecms_cfx_msg_free(next_msg(r, 2));
	next_reject(r, 2, "expected ',' or ']' after the array element, got '{'");
	ecms_cfx_msg_free(next_msg(r, 2));
	ecms_cfx_msg_free(next_msg(r, 3));
	next_reject(r, 3, "expected an envelope after ','");
	ecms_cfx_msg_free(next_msg(r, 4));
	next_reject(r, 4, "invalid JSON");
	ecms_cfx_msg_free(next_msg(r, 5));
	expect_end(r);
	ecms_cfx_reader_free(r);

	/* An array left open; garbage after an element. */
	sprintf(t, "[%s x\n%s\n[%s,\n", s, s, s);
	r = reader(t, strlen(t));
	ecms_cfx_msg_free(next_msg(r, 1));
	next_reject(r, 1, "got 'x'");
	ecms_cfx_msg_free(next_msg(r, 2));
	ecms_cfx_msg_free(next_msg(r, 3));
	next_reject(r, 3, "the input ends inside the array that starts at line 3");
	expect_end(r);
	ecms_cfx_reader_free(r);
	free(t);
	free(s);
}

static void
test_concatenated_objects(void **state)
{
	char *a = dump(envelope("SplicePointDetected.body.json", "s1"), JSON_INDENT(2));
	char *b = dump(envelope("WorkCompleted.body.json", "s2"), JSON_INDENT(2));
	char *s = malloc(strlen(a) + strlen(b) + 10), *t;
	ecms_cfx_reader *r;
	long lines_a = 1;
	ecms_cfx_msg *m;

	for (const char *p = a; *p; p++)
		lines_a += *p == '\n';
	/* A BOM, then two pretty-printed envelopes back to back. */
	sprintf(s, "\xef\xbb\xbf%s%s\n", a, b);
	r = reader(s, strlen(s));
	m = next_msg(r, 1);
	assert_int_equal(m->kind, ECMS_CFX_SPLICE_POINT_DETECTED);
	ecms_cfx_msg_free(m);
	m = next_msg(r, lines_a);
	assert_int_equal(m->kind, ECMS_CFX_WORK_COMPLETED);
	ecms_cfx_msg_free(m);
	expect_end(r);
	ecms_cfx_reader_free(r);

	/* A syntax error in the first: inner lines are skipped, the second read. */
	t = malloc(strlen(a) + strlen(b) + 10);
	sprintf(t, "%s\n%s\n", a, b);
	*strstr(t, "\"SLOT28\"") = '#';
	r = reader(t, strlen(t));
	next_reject(r, 1, "invalid JSON");
	m = next_msg(r, lines_a + 1);
	assert_int_equal(m->kind, ECMS_CFX_WORK_COMPLETED);
	ecms_cfx_msg_free(m);
	expect_end(r);
	ecms_cfx_reader_free(r);
	free(t);
	free(s);
	free(a);
	free(b);
}

static void
test_gzip(void **state)
{
	char *a = mini(UNLOADED, "g1", BODY_UNLOADED), *b = mini(UNLOADED, "g2", BODY_UNLOADED);
	char *s = malloc(strlen(a) * 3 + 10), *big;
	unsigned char *z1, *z2, *both;
	size_t n1, n2, bign;
	ecms_cfx_reader *r;
	ecms_error e;
	const ecms_cfx_reject *j;

	sprintf(s, "%s\n%s\n", a, b);
	z1 = gzip_bytes(s, strlen(s), &n1);
	r = reader(z1, n1);
	assert_true(ecms_cfx_reader_gzipped(r));
	ecms_cfx_msg_free(next_msg(r, 1));
	ecms_cfx_msg_free(next_msg(r, 2));
	expect_end(r);
	ecms_cfx_reader_free(r);

	/* Two members (cat a.gz b.gz), the second a JSON array. */
	z2 = gzip_bytes("[{\"x\":1}]", 9, &n2);
	both = malloc(n1 + n2);
	memcpy(both, z1, n1);
	memcpy(both + n1, z2, n2);
	r = reader(both, n1 + n2);
	ecms_cfx_msg_free(next_msg(r, 1));
	ecms_cfx_msg_free(next_msg(r, 2));
	next_reject(r, 3, "line 3: missing MessageName");
	expect_end(r);
	ecms_cfx_reader_free(r);

	/* Trailing garbage after the member. */
	memcpy(both + n1, "JUNK", 4);
	r = reader(both, n1 + 4);
	ecms_cfx_msg_free(next_msg(r, 1));
	ecms_cfx_msg_free(next_msg(r, 2));
	j = next_reject(r, 3, "gzip: 4 bytes of trailing data");
	assert_true(j->syntax);
	expect_end(r);
	ecms_cfx_reader_free(r);

	/* Truncated: what inflated is read, then the gzip error. */
	r = reader(z1, n1 - 8);
	ecms_cfx_msg_free(next_msg(r, 1));
	ecms_cfx_msg_free(next_msg(r, 2));
	next_reject(r, 3, "gzip: the input ends inside the compressed stream");
	expect_end(r);
	ecms_cfx_reader_free(r);
	r = reader(z1, n1 / 2);
	for (;;) {
		ecms_cfx_msg *m = NULL;
		int rc = ecms_cfx_reader_next(r, &m, &e);

		if (rc == ECMS_OK && m == NULL)
			break;
		ecms_cfx_msg_free(m);
		if (rc == ECMS_EINVAL)
			j = ecms_cfx_reader_reject(r);
	}
	assert_true(ecms_cfx_reader_stats(r)->rejected >= 1);
	assert_non_null(strstr(j->reason, "gzip: the input ends inside"));
	ecms_cfx_reader_free(r);

	/* Corrupt data. */
	memcpy(both, z1, n1);
	both[12] ^= 0xff;
	both[13] ^= 0xff;
	r = reader(both, n1);
	while (1) {
		ecms_cfx_msg *m = NULL;
		int rc = ecms_cfx_reader_next(r, &m, &e);

		ecms_cfx_msg_free(m);
		if (rc == ECMS_OK && m == NULL)
			break;
	}
	assert_true(ecms_cfx_reader_stats(r)->rejected >= 1);
	ecms_cfx_reader_free(r);

	/* Zip bomb: 4 MiB of spaces inflate past a 1 MiB limit. */
	bign = (size_t)4 << 20;
	big = malloc(bign);
	memset(big, ' ', bign);
	free(z2);
	z2 = gzip_bytes(big, bign, &n2);
	assert_true(n2 < 20000);
	r = (ecms_cfx_reader *)1;
	assert_int_equal(ecms_cfx_reader_new(z2, n2, (size_t)1 << 20, &r, &e), ECMS_EINVAL);
	assert_null(r);
	assert_string_equal(e.message, "gzip input inflates to more than 1048576 bytes "
			    "(the limit)");
	/* Exactly at the limit is fine (and all blank: no items). */
	assert_int_equal(ecms_cfx_reader_new(z2, n2, bign, &r, &e), ECMS_OK);
	expect_end(r);
	ecms_cfx_reader_free(r);
	/* Raw input over the limit. */
	assert_int_equal(ecms_cfx_reader_new(big, bign, bign - 1, &r, &e), ECMS_EINVAL);
	assert_string_equal(e.message, "input of 4194304 bytes is over the limit of 4194303");
	/* Empty input, and no buffer. */
	assert_int_equal(ecms_cfx_reader_new(NULL, 0, 0, &r, &e), ECMS_OK);
	expect_end(r);
	ecms_cfx_reader_free(r);
	assert_int_equal(ecms_cfx_reader_new(NULL, 3, 0, &r, &e), ECMS_EUSAGE);

	free(big);
	free(both);
	free(z1);
	free(z2);
	free(s);
	free(a);
	free(b);
}

static void
test_reject_text_cap(void **state)
{
	/* A huge unknown-type value is rejected with its text cut. */
	size_t n = ECMS_CFX_REJECT_TEXT_MAX + 1000;
	char *s = malloc(n + 64);
	ecms_cfx_reader *r;
	const ecms_cfx_reject *j;

	/* ["ééé...é"]: a string (not an envelope) in an array; 2-byte chars so
	 * the cut must land between characters. */
	strcpy(s, "[\"x");
	for (size_t i = 3; i < n; i += 2)
		memcpy(s + i, "\xc3\xa9", 2);
	strcpy(s + n + (n % 2 == 0), "\"]");
	r = reader(s, strlen(s));
	j = next_reject(r, 1, "got a string");
	assert_true(j->text_truncated);
	assert_true(j->text_len <= ECMS_CFX_REJECT_TEXT_MAX);
	assert_true(j->text_len > ECMS_CFX_REJECT_TEXT_MAX - 4);
	assert_int_equal(strlen(j->text), j->text_len);
	assert_true(((unsigned char)j->text[j->text_len - 1] & 0xc0) != 0xc0);
	expect_end(r);
	ecms_cfx_reader_free(r);
	free(s);
}

/* ------------------------------------------------------------------
 * Allocation failure at every step
 * ------------------------------------------------------------------ */

/* Read all of data; on ENOMEM turn injection off and retry the same call.
 * Counts messages and rejections, sums the kinds. Returns true if an
 * allocation failed somewhere. */
static bool
read_all(const void *data, size_t len, long fail_at, size_t *msgs, size_t *rejs,
	 long *kinds)
{
	ecms_cfx_reader *r = NULL;
	bool failed = false;
	ecms_error e;
	int rc;

	*msgs = *rejs = 0;
	*kinds = 0;
	ecms__alloc_fail_after(fail_at);
	rc = ecms_cfx_reader_new(data, len, 0, &r, &e);
	if (rc == ECMS_ENOMEM) {
		assert_null(r);
		ecms__alloc_fail_after(0);
		failed = true;
		rc = ecms_cfx_reader_new(data, len, 0, &r, &e);
	}
	assert_int_equal(rc, ECMS_OK);
	for (;;) {
		ecms_cfx_msg *m = NULL;

		rc = ecms_cfx_reader_next(r, &m, &e);
		if (rc == ECMS_ENOMEM) {
			assert_null(m);
			ecms__alloc_fail_after(0);
			failed = true;
			continue;
		}
		if (rc == ECMS_EINVAL) {
			(*rejs)++;
			continue;
		}
		assert_int_equal(rc, ECMS_OK);
		if (m == NULL)
			break;
		(*msgs)++;
		*kinds += m->kind;
		ecms_cfx_msg_free(m);
	}
	ecms_cfx_reader_free(r);
	if (ecms__alloc_fail_after(0) >= fail_at && fail_at > 0)
		failed = true;
	return failed;
}

static void
test_alloc_failures(void **state)
{
	const char *files[] = {"MaterialsInstalled.body.json", "UnitsTested.1.body.json",
			       "UnitsProcessed.3.body.json", "MaterialsInitialized.body.json",
			       "FaultOccurred.2.body.json", "UnitsRepaired.body.json"};
	char *s = strdup(""), *t, *u;
	unsigned char *z;
	size_t zn, msgs, rejs, m0, r0;
	long kinds, k0, n;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		u = dump(envelope(files[i], "u"), 0);
		t = malloc(strlen(s) + strlen(u) + 2);
		sprintf(t, "%s%s\n", s, u);
		free(s);
		free(u);
		s = t;
	}
	u = mini("CFX.Nope", "n", "{}");
	t = malloc(strlen(s) + strlen(u) * 2 + 64);
	sprintf(t, "%s{\"broken\n[%s,%s,7]\n", s, u, u);
	free(s);
	free(u);
	s = t;
	z = gzip_bytes(s, strlen(s), &zn);

	assert_false(read_all(z, zn - 8, 0, &m0, &r0, &k0));
	assert_int_equal(m0, 8);
	assert_int_equal(r0, 3);
	for (n = 1;; n++) {
		bool failed = read_all(z, zn - 8, n, &msgs, &rejs, &kinds);

		/* Every failure was reported as ENOMEM and retrying the same
		 * call gave the same result as a clean run. */
		assert_int_equal(msgs, m0);
		assert_int_equal(rejs, r0);
		assert_int_equal(kinds, k0);
		if (!failed)
			break;
	}
	assert_true(n > 500);
	free(z);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_times_and_durations),
		cmocka_unit_test(test_all_examples),
		cmocka_unit_test(test_materials_installed),
		cmocka_unit_test(test_materials_storage),
		cmocka_unit_test(test_materials_msd),
		cmocka_unit_test(test_production),
		cmocka_unit_test(test_fault),
		cmocka_unit_test(test_units_processed),
		cmocka_unit_test(test_units_inspected),
		cmocka_unit_test(test_units_tested_repaired),
		cmocka_unit_test(test_envelope_errors),
		cmocka_unit_test(test_unknown_kept),
		cmocka_unit_test(test_time_offsets_kept),
		cmocka_unit_test(test_ndjson_broken_lines),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_concatenated_objects),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_reject_text_cap),
		cmocka_unit_test(test_alloc_failures),
	};

	/* jansson allocates through the library's allocator, so the
	 * failure injection covers JSON parsing too. */
	json_set_alloc_funcs(ecms__malloc, ecms__free);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
