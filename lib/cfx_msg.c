/*
 * cfx_msg.c: decoding CFX message bodies into the typed structs of
 * ecms/cfx.h, plus the helpers that do it: the per-message arena, the
 * field getters with their error paths, CFX times and .NET TimeSpans.
 *
 * Types are checked strictly (a number where the SDK writes a string is
 * an error naming the field path); fields are optional unless the
 * traceability record is useless without them (the reel id of an
 * installed material, the transaction of WorkStarted...).
 */
#include <limits.h>
#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#include "cfx_int.h"

/* ------------------------------------------------------------------
 * Arena
 * ------------------------------------------------------------------ */

#define ARENA_BLOCK 4096
#define ARENA_ALIGN alignof(max_align_t)

struct cfx_block {
	struct cfx_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void *
ecms__cfx_arena_alloc(cfx_arena *a, size_t n)
{
	struct cfx_block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	void *p;

	if (need < n)
		return NULL;
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		if (size > SIZE_MAX - sizeof(*b))
			return NULL;
		b = ecms__malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->size = size;
		/* A big block goes behind the current one, so the current
		 * one's free space stays in use. */
		if (a->head != NULL && need > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

void
ecms__cfx_arena_free(cfx_arena *a)
{
	struct cfx_block *b = a->head, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		ecms__free(b);
	}
	a->head = NULL;
}

/* ------------------------------------------------------------------
 * Context: sticky error and field path
 * ------------------------------------------------------------------ */

int
ecms__cfx_fail(cfx_ctx *cx, int rc, const char *fmt, ...)
{
	char msg[ECMS_ERRMSG_MAX];
	va_list ap;

	if (cx->rc)
		return cx->rc;
	cx->rc = rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cx->plen)
		ecms__fail(cx->err, rc, cx->path, "%s: %s", cx->path, msg);
	else
		ecms__fail(cx->err, rc, NULL, "%s", msg);
	return rc;
}

/* Append n bytes of text (cut when the path is full). The path grows and
 * shrinks for every member decoded, so no printf here. */
static void
append(cfx_ctx *cx, const char *text, size_t n)
{
	size_t room = sizeof(cx->path) - cx->plen - 1, k = n < room ? n : room;

	memcpy(cx->path + cx->plen, text, k);
	cx->plen += k;
	cx->path[cx->plen] = '\0';
}

size_t
ecms__cfx_push(cfx_ctx *cx, const char *key)
{
	size_t mark = cx->plen;

	if (cx->plen)
		append(cx, ".", 1);
	append(cx, key, strlen(key));
	return mark;
}

size_t
ecms__cfx_push_index(cfx_ctx *cx, size_t i)
{
	char buf[32], *p = buf + sizeof(buf);
	size_t mark = cx->plen;

	*--p = ']';
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10) > 0);
	*--p = '[';
	append(cx, p, (size_t)(buf + sizeof(buf) - p));
	return mark;
}

void
ecms__cfx_pop(cfx_ctx *cx, size_t mark)
{
	cx->plen = mark;
	cx->path[mark] = '\0';
}

void *
ecms__cfx_alloc(cfx_ctx *cx, size_t n, size_t sz)
{
	void *p;

	if (cx->rc || n == 0)
		return NULL;
	if (sz && n > SIZE_MAX / sz) {
		ecms__cfx_fail(cx, ECMS_ENOMEM, "out of memory");
		return NULL;
	}
	p = ecms__cfx_arena_alloc(cx->arena, n * sz);
	if (p == NULL)
		ecms__cfx_fail(cx, ECMS_ENOMEM, "out of memory");
	return p;
}

/* ------------------------------------------------------------------
 * Getters
 * ------------------------------------------------------------------ */

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	default:
		return "null";
	}
}

/* The member, or NULL when o is NULL, the member is missing or null. */
static const json_t *
member(const json_t *o, const char *key)
{
	const json_t *v;

	if (o == NULL)
		return NULL;
	v = json_object_get(o, key);
	return v == NULL || json_is_null(v) ? NULL : v;
}

/* Fail at path.key with "expected <what>, got <type>". */
static void
wrong_type(cfx_ctx *cx, const char *key, const char *what, const json_t *v)
{
	size_t mark = ecms__cfx_push(cx, key);

	ecms__cfx_fail(cx, ECMS_EINVAL, "expected %s, got %s", what, type_name(v));
	ecms__cfx_pop(cx, mark);
}

static void
missing(cfx_ctx *cx, const char *key)
{
	ecms__cfx_fail(cx, ECMS_EINVAL, "missing %s", key);
}

const char *
ecms__cfx_str(cfx_ctx *cx, const json_t *o, const char *key, int req)
{
	const json_t *v;
	const char *s;

	if (cx->rc)
		return NULL;
	v = member(o, key);
	if (v == NULL) {
		if (req)
			missing(cx, key);
		return NULL;
	}
	if (!json_is_string(v)) {
		wrong_type(cx, key, "a string", v);
		return NULL;
	}
	s = json_string_value(v);
	if (req && *s == '\0') {
		ecms__cfx_fail(cx, ECMS_EINVAL, "%s is empty", key);
		return NULL;
	}
	return s;
}

double
ecms__cfx_num(cfx_ctx *cx, const json_t *o, const char *key)
{
	const json_t *v;

	if (cx->rc)
		return NAN;
	v = member(o, key);
	if (v == NULL)
		return NAN;
	if (!json_is_number(v)) {
		wrong_type(cx, key, "a number", v);
		return NAN;
	}
	return json_number_value(v);
}

/* An integral value of member key in [lo, hi]; absent gives -1. */
static int64_t
get_integral(cfx_ctx *cx, const json_t *o, const char *key, int64_t lo, int64_t hi)
{
	const json_t *v;
	int64_t x;

	if (cx->rc)
		return -1;
	v = member(o, key);
	if (v == NULL)
		return -1;
	if (json_is_integer(v)) {
		x = json_integer_value(v);
	} else if (json_is_real(v)) {
		double d = json_real_value(v);

		/* 2^53: every integer up to here is exact in a double. */
		if (d != floor(d) || d < -9007199254740992.0 || d > 9007199254740992.0) {
			wrong_type(cx, key, "an integer", v);
			return -1;
		}
		x = (int64_t)d;
	} else {
		wrong_type(cx, key, "an integer", v);
		return -1;
	}
	if (x < lo || x > hi) {
		size_t mark = ecms__cfx_push(cx, key);

		ecms__cfx_fail(cx, ECMS_EINVAL, "%lld is out of range", (long long)x);
		ecms__cfx_pop(cx, mark);
		return -1;
	}
	return x;
}

int
ecms__cfx_int(cfx_ctx *cx, const json_t *o, const char *key)
{
	return (int)get_integral(cx, o, key, INT_MIN, INT_MAX);
}

int64_t
ecms__cfx_i64(cfx_ctx *cx, const json_t *o, const char *key)
{
	return get_integral(cx, o, key, INT64_MIN, INT64_MAX);
}

int
ecms__cfx_parse_time(const char *s, ecms_cfx_time *t)
{
	int64_t ms;
	const char *p;

	if (ecms_time_parse(s, &ms, NULL))
		return ECMS_EINVAL;
	t->text = s;
	t->ms = ms;
	t->offset_min = 0;
	t->has_offset = false;
	/* ecms_time_parse checked the form: the zone, if any, follows the
	 * time part, which starts after "YYYY-MM-DDT". */
	if (strlen(s) <= 11)
		return ECMS_OK;
	for (p = s + 11; *p; p++) {
		if (*p == 'Z' || *p == 'z') {
			t->has_offset = true;
			break;
		}
		if (*p == '+' || *p == '-') {
			int sign = *p == '+' ? 1 : -1;
			int h = (p[1] - '0') * 10 + (p[2] - '0');
			const char *m = p[3] == ':' ? p + 4 : p + 3;

			t->offset_min = sign * (h * 60 + (m[0] - '0') * 10 + (m[1] - '0'));
			t->has_offset = true;
			break;
		}
	}
	return ECMS_OK;
}

void
ecms__cfx_time(cfx_ctx *cx, const json_t *o, const char *key, ecms_cfx_time *t)
{
	const json_t *v;

	t->text = NULL;
	t->ms = 0;
	t->offset_min = 0;
	t->has_offset = false;
	if (cx->rc)
		return;
	v = member(o, key);
	if (v == NULL)
		return;
	if (!json_is_string(v)) {
		wrong_type(cx, key, "a time string", v);
		return;
	}
	if (ecms__cfx_parse_time(json_string_value(v), t)) {
		size_t mark = ecms__cfx_push(cx, key);

		ecms__cfx_fail(cx, ECMS_EINVAL,
			       "'%.64s' is not an ISO 8601 time "
			       "(expected YYYY-MM-DDTHH:MM:SS[.fffffff][Z|+HH:MM])",
			       json_string_value(v));
		ecms__cfx_pop(cx, mark);
		t->text = NULL;
	}
}

/* Read 1..max digits at *p into *v; advance *p. */
static bool
read_digits(const char **p, int max, int64_t *v, int *count)
{
	int64_t x = 0;
	int n = 0;

	while (n < max && (*p)[0] >= '0' && (*p)[0] <= '9') {
		x = x * 10 + ((*p)[0] - '0');
		(*p)++;
		n++;
	}
	*v = x;
	if (count)
		*count = n;
	return n > 0;
}

bool
ecms__cfx_parse_duration(const char *s, int64_t *ms)
{
	const char *p = s;
	int64_t a, d = 0, h, m, sec, frac = 0;
	int n;
	bool neg = false;

	if (*p == '-') {
		neg = true;
		p++;
	}
	/* Days: at most 8 digits (TimeSpan.MaxValue has 10675199). */
	if (!read_digits(&p, 8, &a, NULL))
		return false;
	if (*p == '.') {
		d = a;
		p++;
		if (!read_digits(&p, 2, &h, NULL))
			return false;
	} else {
		h = a;
	}
	if (*p++ != ':' || !read_digits(&p, 2, &m, &n) || n != 2)
		return false;
	if (*p++ != ':' || !read_digits(&p, 2, &sec, &n) || n != 2)
		return false;
	if (*p == '.') {
		int64_t f;

		p++;
		if (!read_digits(&p, 7, &f, &n))
			return false;
		for (; n > 3; n--)
			f /= 10;
		for (; n < 3; n++)
			f *= 10;
		frac = f;
	}
	if (*p != '\0' || h > 23 || m > 59 || sec > 59)
		return false;
	*ms = (((d * 24 + h) * 60 + m) * 60 + sec) * 1000 + frac;
	if (neg)
		*ms = -*ms;
	return true;
}

int64_t
ecms__cfx_duration(cfx_ctx *cx, const json_t *o, const char *key, const char **text)
{
	const json_t *v;
	int64_t ms;

	*text = NULL;
	if (cx->rc)
		return -1;
	v = member(o, key);
	if (v == NULL)
		return -1;
	if (!json_is_string(v)) {
		wrong_type(cx, key, "a duration string", v);
		return -1;
	}
	if (!ecms__cfx_parse_duration(json_string_value(v), &ms)) {
		size_t mark = ecms__cfx_push(cx, key);

		ecms__cfx_fail(cx, ECMS_EINVAL,
			       "'%.64s' is not a duration (expected [d.]hh:mm:ss[.fffffff])",
			       json_string_value(v));
		ecms__cfx_pop(cx, mark);
		return -1;
	}
	*text = json_string_value(v);
	return ms;
}

const json_t *
ecms__cfx_obj(cfx_ctx *cx, const json_t *o, const char *key, int req)
{
	const json_t *v;

	if (cx->rc)
		return NULL;
	v = member(o, key);
	if (v == NULL) {
		if (req)
			missing(cx, key);
		return NULL;
	}
	if (!json_is_object(v)) {
		wrong_type(cx, key, "an object", v);
		return NULL;
	}
	return v;
}

const json_t *
ecms__cfx_arr(cfx_ctx *cx, const json_t *o, const char *key, int req)
{
	const json_t *v;

	if (cx->rc)
		return NULL;
	v = member(o, key);
	if (v == NULL) {
		if (req)
			missing(cx, key);
		return NULL;
	}
	if (!json_is_array(v)) {
		wrong_type(cx, key, "an array", v);
		return NULL;
	}
	return v;
}

const char *
ecms__cfx_type(cfx_ctx *cx, const json_t *o)
{
	const char *s = ecms__cfx_str(cx, o, "$type", CFX_OPT);
	const char *end, *start;
	char *out;

	if (s == NULL)
		return NULL;
	/* "CFX.Structures.SMTPlacement.SMDTapeFeeder, CFX": the class is the
	 * last dotted part before the assembly name. */
	end = strchr(s, ',');
	if (end == NULL)
		end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	start = end;
	while (start > s && start[-1] != '.')
		start--;
	while (start < end && *start == ' ')
		start++;
	if (start == end) {
		size_t mark = ecms__cfx_push(cx, "$type");

		ecms__cfx_fail(cx, ECMS_EINVAL, "'%.64s' names no class", s);
		ecms__cfx_pop(cx, mark);
		return NULL;
	}
	out = ecms__cfx_alloc(cx, (size_t)(end - start) + 1, 1);
	if (out == NULL)
		return NULL;
	memcpy(out, start, (size_t)(end - start));
	return out;
}

/* ------------------------------------------------------------------
 * Arrays
 * ------------------------------------------------------------------ */

typedef void (*item_fn)(cfx_ctx *cx, const json_t *el, void *item, int flag);

/*
 * Decode array member key of o, each element an object, into n items of
 * sz bytes (arena). fn fills one item; flag is passed through. Returns
 * the items (NULL when none or on error).
 */
static void *
each(cfx_ctx *cx, const json_t *o, const char *key, int req, size_t sz, size_t *n, item_fn fn,
     int flag)
{
	const json_t *a = ecms__cfx_arr(cx, o, key, req);
	unsigned char *items;
	size_t i, count, mark;

	*n = 0;
	if (a == NULL || (count = json_array_size(a)) == 0)
		return NULL;
	items = ecms__cfx_alloc(cx, count, sz);
	if (items == NULL)
		return NULL;
	mark = ecms__cfx_push(cx, key);
	for (i = 0; i < count && !cx->rc; i++) {
		const json_t *el = json_array_get(a, i);
		size_t m = ecms__cfx_push_index(cx, i);

		if (!json_is_object(el))
			ecms__cfx_fail(cx, ECMS_EINVAL, "expected an object, got %s",
				       type_name(el));
		else
			fn(cx, el, items + i * sz, flag);
		ecms__cfx_pop(cx, m);
	}
	ecms__cfx_pop(cx, mark);
	if (cx->rc)
		return NULL;
	*n = count;
	return items;
}

/* An array of strings; with nonempty, null and "" are errors, else
 * null gives a NULL entry. */
static const char **
str_array(cfx_ctx *cx, const json_t *o, const char *key, int req, bool nonempty, size_t *n)
{
	const json_t *a = ecms__cfx_arr(cx, o, key, req);
	const char **out;
	size_t i, count, mark;

	*n = 0;
	if (a == NULL || (count = json_array_size(a)) == 0)
		return NULL;
	out = ecms__cfx_alloc(cx, count, sizeof(*out));
	if (out == NULL)
		return NULL;
	mark = ecms__cfx_push(cx, key);
	for (i = 0; i < count && !cx->rc; i++) {
		const json_t *el = json_array_get(a, i);
		size_t m = ecms__cfx_push_index(cx, i);

		if (json_is_string(el) && (!nonempty || *json_string_value(el)))
			out[i] = json_string_value(el);
		else if (json_is_null(el) && !nonempty)
			out[i] = NULL;
		else if (json_is_string(el))
			ecms__cfx_fail(cx, ECMS_EINVAL, "empty identifier");
		else
			ecms__cfx_fail(cx, ECMS_EINVAL, "expected a string, got %s", type_name(el));
		ecms__cfx_pop(cx, m);
	}
	ecms__cfx_pop(cx, mark);
	if (cx->rc)
		return NULL;
	*n = count;
	return out;
}

/* ------------------------------------------------------------------
 * Structures
 * ------------------------------------------------------------------ */

/* TransactionID (WorkStarted spelling) or TransactionId (the others). */
static const char *
transaction_id(cfx_ctx *cx, const json_t *o, int req)
{
	const char *key = member(o, "TransactionId") ? "TransactionId" : "TransactionID";

	return ecms__cfx_str(cx, o, key, req);
}

static void
decode_package(cfx_ctx *cx, const json_t *o, ecms_cfx_package *p, int req_uid)
{
	const json_t *lead;
	size_t mark;

	p->uid = ecms__cfx_str(cx, o, "UniqueIdentifier", req_uid);
	p->ipn = ecms__cfx_str(cx, o, "InternalPartNumber", CFX_OPT);
	p->package_name = ecms__cfx_str(cx, o, "InternalPackageName", CFX_OPT);
	p->batch_id = ecms__cfx_str(cx, o, "BatchId", CFX_OPT);
	p->quantity = ecms__cfx_num(cx, o, "Quantity");
	p->grey_zone = ecms__cfx_i64(cx, o, "GreyZone");
	lead = ecms__cfx_obj(cx, o, "LeadingMaterialPackage", CFX_OPT);
	mark = ecms__cfx_push(cx, "LeadingMaterialPackage");
	p->leading_uid = ecms__cfx_str(cx, lead, "UniqueIdentifier", CFX_OPT);
	ecms__cfx_pop(cx, mark);
}

/* o is the CarrierInformation object or NULL. */
static void
decode_carrier(cfx_ctx *cx, const json_t *o, ecms_cfx_carrier *c)
{
	c->json = o;
	c->type = ecms__cfx_type(cx, o);
	c->unique_id = ecms__cfx_str(cx, o, "UniqueIdentifier", CFX_OPT);
	c->name = ecms__cfx_str(cx, o, "Name", CFX_OPT);
	c->base_id = ecms__cfx_str(cx, o, "BaseUniqueIdentifier", CFX_OPT);
	c->base_name = ecms__cfx_str(cx, o, "BaseName", CFX_OPT);
	c->lane = ecms__cfx_int(cx, o, "LaneNumber");
	c->tape_width = ecms__cfx_num(cx, o, "TapeWidth");
	c->tape_pitch = ecms__cfx_num(cx, o, "TapePitch");
}

static void
decode_carrier_member(cfx_ctx *cx, const json_t *o, ecms_cfx_carrier *c)
{
	const json_t *ci = ecms__cfx_obj(cx, o, "CarrierInformation", CFX_OPT);
	size_t mark = ecms__cfx_push(cx, "CarrierInformation");

	decode_carrier(cx, ci, c);
	ecms__cfx_pop(cx, mark);
}

static void
decode_location(cfx_ctx *cx, const json_t *o, ecms_cfx_location *l, int req_pkg)
{
	const json_t *pkg;
	size_t mark;

	l->location_id = ecms__cfx_str(cx, o, "LocationIdentifier", CFX_OPT);
	l->location_name = ecms__cfx_str(cx, o, "LocationName", CFX_OPT);
	pkg = ecms__cfx_obj(cx, o, "MaterialPackage", req_pkg);
	l->has_package = pkg != NULL;
	mark = ecms__cfx_push(cx, "MaterialPackage");
	decode_package(cx, pkg, &l->package, pkg && req_pkg);
	ecms__cfx_pop(cx, mark);
	decode_carrier_member(cx, o, &l->carrier);
}

static void
item_location(cfx_ctx *cx, const json_t *el, void *item, int req_pkg)
{
	decode_location(cx, el, item, req_pkg);
}

/* A MaterialLocation member that must be there, package included. */
static void
location_member(cfx_ctx *cx, const json_t *o, const char *key, ecms_cfx_location *l)
{
	const json_t *v = ecms__cfx_obj(cx, o, key, CFX_REQ);
	size_t mark;

	if (v == NULL)
		return;
	mark = ecms__cfx_push(cx, key);
	decode_location(cx, v, l, CFX_REQ);
	ecms__cfx_pop(cx, mark);
}

static void
decode_msd(cfx_ctx *cx, const json_t *o, ecms_cfx_msd *m)
{
	m->level = ecms__cfx_str(cx, o, "MSDLevel", CFX_OPT);
	m->state = ecms__cfx_str(cx, o, "MSDState", CFX_OPT);
	ecms__cfx_time(cx, o, "ExpirationDateTime", &m->expiration);
	ecms__cfx_time(cx, o, "OriginalExposureDateTime", &m->original_exposure);
	ecms__cfx_time(cx, o, "LastExposureDateTime", &m->last_exposure);
	m->remaining_ms = ecms__cfx_duration(cx, o, "RemainingExposureTime", &m->remaining_text);
}

static void
item_detail(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_package_detail *d = item;
	const json_t *md;
	size_t mark;

	decode_package(cx, o, &d->pkg, CFX_REQ);
	d->manufacturer = ecms__cfx_str(cx, o, "Manufacturer", CFX_OPT);
	d->mpn = ecms__cfx_str(cx, o, "ManufacturerPartNumber", CFX_OPT);
	d->vendor = ecms__cfx_str(cx, o, "Vendor", CFX_OPT);
	d->vendor_pn = ecms__cfx_str(cx, o, "VendorPartNumber", CFX_OPT);
	d->lot = ecms__cfx_str(cx, o, "ManufacturerLotCode", CFX_OPT);
	d->units = ecms__cfx_str(cx, o, "Units", CFX_OPT);
	d->status = ecms__cfx_str(cx, o, "Status", CFX_OPT);
	d->hazardous = ecms__cfx_str(cx, o, "HazardousMaterialType", CFX_OPT);
	d->initial_quantity = ecms__cfx_num(cx, o, "InitialQuantity");
	ecms__cfx_time(cx, o, "Created", &d->created);
	ecms__cfx_time(cx, o, "ManufactureDate", &d->manufactured);
	ecms__cfx_time(cx, o, "ReceivedDate", &d->received);
	ecms__cfx_time(cx, o, "ExpiryDate", &d->expiry);
	md = ecms__cfx_obj(cx, o, "MaterialData", CFX_OPT);
	mark = ecms__cfx_push(cx, "MaterialData");
	d->material_data = md;
	d->material_data_type = ecms__cfx_type(cx, md);
	/* Senders other than the SDK may leave $type out: MSDLevel tells. */
	if (d->material_data_type)
		d->has_msd = strcmp(d->material_data_type, "MaterialPackageMSDData") == 0;
	else
		d->has_msd = md != NULL && json_object_get(md, "MSDLevel") != NULL;
	decode_msd(cx, d->has_msd ? md : NULL, &d->msd);
	ecms__cfx_pop(cx, mark);
}

static void
decode_operator(cfx_ctx *cx, const json_t *o, const char *key, ecms_cfx_operator *op)
{
	const json_t *v = ecms__cfx_obj(cx, o, key, CFX_OPT);
	size_t mark = ecms__cfx_push(cx, key);

	op->id = ecms__cfx_str(cx, v, "OperatorIdentifier", CFX_OPT);
	op->actor_type = ecms__cfx_str(cx, v, "ActorType", CFX_OPT);
	op->login = ecms__cfx_str(cx, v, "LoginName", CFX_OPT);
	op->first_name = ecms__cfx_str(cx, v, "FirstName", CFX_OPT);
	op->last_name = ecms__cfx_str(cx, v, "LastName", CFX_OPT);
	ecms__cfx_pop(cx, mark);
}

static void
item_unit(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_unit *u = item;

	u->unit_id = ecms__cfx_str(cx, o, "UnitIdentifier", CFX_OPT);
	u->position = ecms__cfx_int(cx, o, "PositionNumber");
	u->position_name = ecms__cfx_str(cx, o, "PositionName", CFX_OPT);
	u->status = ecms__cfx_str(cx, o, "Status", CFX_OPT);
}

/* HeadAndNozzle of o into the three fields. */
static void
head_and_nozzle(cfx_ctx *cx, const json_t *o, const char **head, const char **nozzle, int *number)
{
	const json_t *hn = ecms__cfx_obj(cx, o, "HeadAndNozzle", CFX_OPT);
	size_t mark = ecms__cfx_push(cx, "HeadAndNozzle");

	*head = ecms__cfx_str(cx, hn, "HeadId", CFX_OPT);
	*nozzle = ecms__cfx_str(cx, hn, "UniqueIdentifier", CFX_OPT);
	*number = ecms__cfx_int(cx, hn, "HeadNozzleNumber");
	ecms__cfx_pop(cx, mark);
}

/* ComponentDesignator member key: its ReferenceDesignator and PartNumber. */
static void
designator(cfx_ctx *cx, const json_t *o, const char *key, const char **refdes, const char **pn)
{
	const json_t *v = ecms__cfx_obj(cx, o, key, CFX_OPT);
	size_t mark = ecms__cfx_push(cx, key);

	*refdes = ecms__cfx_str(cx, v, "ReferenceDesignator", CFX_OPT);
	*pn = ecms__cfx_str(cx, v, "PartNumber", CFX_OPT);
	ecms__cfx_pop(cx, mark);
}

/* ------------------------------------------------------------------
 * Bodies
 * ------------------------------------------------------------------ */

static void
decode_units(cfx_ctx *cx, const json_t *b, ecms_cfx_units *u, ecms_cfx_kind kind)
{
	bool work = kind == ECMS_CFX_WORK_STARTED || kind == ECMS_CFX_WORK_COMPLETED;
	const json_t *wo;
	size_t mark;

	u->transaction_id = transaction_id(cx, b, work ? CFX_REQ : CFX_OPT);
	u->primary_id = ecms__cfx_str(cx, b, "PrimaryIdentifier", CFX_OPT);
	u->hermes_id = ecms__cfx_str(cx, b, "HermesIdentifier", CFX_OPT);
	u->lane = ecms__cfx_int(cx, b, "Lane");
	u->unit_count = ecms__cfx_int(cx, b, "UnitCount");
	u->units = each(cx, b, "Units", CFX_OPT, sizeof(*u->units), &u->n_units, item_unit, 0);
	u->recipe = ecms__cfx_str(cx, b, "RecipeName", CFX_OPT);
	u->revision = ecms__cfx_str(cx, b, "Revision", CFX_OPT);
	u->surface = ecms__cfx_str(cx, b, "RelevantSurface", CFX_OPT);
	wo = ecms__cfx_obj(cx, b, "WorkOrderIdentifier", CFX_OPT);
	mark = ecms__cfx_push(cx, "WorkOrderIdentifier");
	u->work_order_id = ecms__cfx_str(cx, wo, "WorkOrderId", CFX_OPT);
	u->batch = ecms__cfx_str(cx, wo, "Batch", CFX_OPT);
	ecms__cfx_pop(cx, mark);
	u->result = ecms__cfx_str(cx, b, "Result", CFX_OPT);
	u->reason = ecms__cfx_str(cx, b, "Reason", CFX_OPT);
	u->comments = ecms__cfx_str(cx, b, "Comments", CFX_OPT);
}

static void
item_component(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_component *c = item;

	c->refdes = ecms__cfx_str(cx, o, "ReferenceDesignator", CFX_REQ);
	ecms__cfx_time(cx, o, "InstallationTime", &c->installed_at);
	c->installed_unit = ecms__cfx_str(cx, o, "InstalledUnitIdentifier", CFX_OPT);
	c->type = ecms__cfx_type(cx, o);
	head_and_nozzle(cx, o, &c->head_id, &c->nozzle_id, &c->head_nozzle_number);
}

/* flag: 1 installed, 0 uninstalled. */
static void
item_install(cfx_ctx *cx, const json_t *o, void *item, int installed)
{
	ecms_cfx_install *in = item;
	const json_t *mat, *cl;
	size_t mark;

	in->unit_id = ecms__cfx_str(cx, o, "UnitIdentifier", CFX_REQ);
	in->position = ecms__cfx_int(cx, o, "UnitPositionNumber");
	in->quantity =
		ecms__cfx_num(cx, o, installed ? "QuantityInstalled" : "QuantityUninstalled");
	in->quantity_not = ecms__cfx_num(cx, o, "QuantityNonInstalled");
	mat = ecms__cfx_obj(cx, o, "Material", CFX_REQ);
	mark = ecms__cfx_push(cx, "Material");
	decode_package(cx, mat, &in->material, CFX_REQ);
	ecms__cfx_pop(cx, mark);
	cl = ecms__cfx_obj(cx, o, "CarrierLocation", CFX_OPT);
	mark = ecms__cfx_push(cx, "CarrierLocation");
	in->location_id = ecms__cfx_str(cx, cl, "LocationIdentifier", CFX_OPT);
	in->location_name = ecms__cfx_str(cx, cl, "LocationName", CFX_OPT);
	decode_carrier_member(cx, cl, &in->carrier);
	ecms__cfx_pop(cx, mark);
	in->components =
		each(cx, o, installed ? "InstalledComponents" : "UninstalledComponents", CFX_OPT,
		     sizeof(*in->components), &in->n_components, item_component, 0);
	in->not_installed =
		each(cx, o, "NonInstalledComponents", CFX_OPT, sizeof(*in->not_installed),
		     &in->n_not_installed, item_component, 0);
	in->reference_pn = ecms__cfx_str(cx, o, "ReferencePartNumber", CFX_OPT);
	in->reason = ecms__cfx_str(cx, o, "Reason", CFX_OPT);
}

static void
decode_installs(cfx_ctx *cx, const json_t *b, ecms_cfx_installs *in, bool installed)
{
	in->transaction_id = transaction_id(cx, b, CFX_OPT);
	in->items = each(cx, b, installed ? "InstalledMaterials" : "UninstalledMaterials", CFX_REQ,
			 sizeof(*in->items), &in->n_items, item_install, installed);
}

static void
decode_fault(cfx_ctx *cx, const json_t *b, ecms_cfx_fault *f)
{
	const json_t *o = ecms__cfx_obj(cx, b, "Fault", CFX_REQ), *stage, *ml, *v;
	const char *key;
	size_t mark;

	if (o == NULL)
		return;
	mark = ecms__cfx_push(cx, "Fault");
	f->json = o;
	f->type = ecms__cfx_type(cx, o);
	f->cause = ecms__cfx_str(cx, o, "Cause", CFX_OPT);
	f->severity = ecms__cfx_str(cx, o, "Severity", CFX_OPT);
	f->code = ecms__cfx_str(cx, o, "FaultCode", CFX_OPT);
	f->occurrence_id = ecms__cfx_str(cx, o, "FaultOccurrenceId", CFX_OPT);
	f->description = ecms__cfx_str(cx, o, "Description", CFX_OPT);
	/* PlacementFaultType, InsertionFaultType, PrintingFaultType, ... */
	json_object_foreach((json_t *)o, key, v) {
		size_t n = strlen(key);

		if (n > 9 && strcmp(key + n - 9, "FaultType") == 0 && !json_is_null(v)) {
			f->fault_type = ecms__cfx_str(cx, o, key, CFX_OPT);
			break;
		}
	}
	f->lane = ecms__cfx_int(cx, o, "Lane");
	stage = ecms__cfx_obj(cx, o, "Stage", CFX_OPT);
	{
		size_t m = ecms__cfx_push(cx, "Stage");

		f->stage_sequence = ecms__cfx_int(cx, stage, "StageSequence");
		f->stage_name = ecms__cfx_str(cx, stage, "StageName", CFX_OPT);
		ecms__cfx_pop(cx, m);
	}
	ecms__cfx_time(cx, o, "OccurredAt", &f->occurred_at);
	ecms__cfx_time(cx, o, "DueDateTime", &f->due);
	f->program_step = ecms__cfx_int(cx, o, "ProgramStep");
	designator(cx, o, "Designator", &f->designator, &f->designator_pn);
	ml = ecms__cfx_obj(cx, o, "MaterialLocation", CFX_OPT);
	f->has_location = ml != NULL;
	{
		size_t m = ecms__cfx_push(cx, "MaterialLocation");

		decode_location(cx, ml, &f->location, CFX_OPT);
		ecms__cfx_pop(cx, m);
	}
	head_and_nozzle(cx, o, &f->head_id, &f->nozzle_id, &f->head_nozzle_number);
	ecms__cfx_pop(cx, mark);
}

/* Reflow setpoint (flag 0) or reading (flag 1). */
static void
item_reflow_value(cfx_ctx *cx, const json_t *o, void *item, int reading)
{
	ecms_cfx_reflow_value *v = item;

	v->sub_zone = ecms__cfx_str(cx, o, "SubZone", CFX_OPT);
	v->type = ecms__cfx_str(cx, o, reading ? "ReadingType" : "SetpointType", CFX_OPT);
	v->value = ecms__cfx_num(cx, o, reading ? "ReadingValue" : "Setpoint");
}

static void
item_zone(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_reflow_zone *z = item;
	const json_t *zone = ecms__cfx_obj(cx, o, "Zone", CFX_OPT);
	size_t mark = ecms__cfx_push(cx, "Zone");

	z->zone_type = ecms__cfx_str(cx, zone, "ReflowZoneType", CFX_OPT);
	z->stage_sequence = ecms__cfx_int(cx, zone, "StageSequence");
	z->stage_name = ecms__cfx_str(cx, zone, "StageName", CFX_OPT);
	ecms__cfx_pop(cx, mark);
	z->setpoints = each(cx, o, "Setpoints", CFX_OPT, sizeof(*z->setpoints), &z->n_setpoints,
			    item_reflow_value, 0);
	z->readings = each(cx, o, "Readings", CFX_OPT, sizeof(*z->readings), &z->n_readings,
			   item_reflow_value, 1);
}

static void
decode_reflow(cfx_ctx *cx, const json_t *o, ecms_cfx_reflow *r, bool profiling)
{
	double measured;

	r->profiling = profiling;
	r->conveyor_speed = ecms__cfx_num(cx, o, "ConveyorSpeed");
	measured = ecms__cfx_num(cx, o, "MeasuredConveyorSpeed");
	if (!isnan(measured))
		r->conveyor_speed = measured;
	r->conveyor_speed_setpoint = ecms__cfx_num(cx, o, "ConveyorSpeedSetpoint");
	r->zones = each(cx, o, "ZoneData", CFX_OPT, sizeof(*r->zones), &r->n_zones, item_zone, 0);
	r->barcode = ecms__cfx_str(cx, o, "Barcode", CFX_OPT);
	r->oven_name = ecms__cfx_str(cx, o, "OvenName", CFX_OPT);
	r->product_name = ecms__cfx_str(cx, o, "ProductName", CFX_OPT);
	r->recipe = ecms__cfx_str(cx, o, "RecipeName", CFX_OPT);
	r->process_window = ecms__cfx_str(cx, o, "ProcessWindowName", CFX_OPT);
	r->lot_id = ecms__cfx_str(cx, o, "LotID", CFX_OPT);
	r->result = ecms__cfx_str(cx, o, "Result", CFX_OPT);
	r->lane = ecms__cfx_int(cx, o, "Lane");
	r->pwi = ecms__cfx_num(cx, o, "ProductionUnitPWI");
	ecms__cfx_time(cx, o, "TimeDateUnitIn", &r->unit_in);
	ecms__cfx_time(cx, o, "TimeDateUnitOut", &r->unit_out);
}

static void
process_data(cfx_ctx *cx, const json_t *o, const char *key, ecms_cfx_process_data *pd)
{
	const json_t *v = ecms__cfx_obj(cx, o, key, CFX_OPT);
	size_t mark;
	bool profiling;

	if (v == NULL)
		return;
	mark = ecms__cfx_push(cx, key);
	pd->json = v;
	pd->type = ecms__cfx_type(cx, v);
	if (pd->type && (strcmp(pd->type, "ReflowProcessData") == 0 ||
			 strcmp(pd->type, "ReflowProfilingProcessData") == 0)) {
		profiling = strcmp(pd->type, "ReflowProfilingProcessData") == 0;
		pd->reflow = ecms__cfx_alloc(cx, 1, sizeof(*pd->reflow));
		if (pd->reflow)
			decode_reflow(cx, v, pd->reflow, profiling);
	}
	ecms__cfx_pop(cx, mark);
}

static void
item_unit_process(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_unit_process *u = item;

	u->unit_id = ecms__cfx_str(cx, o, "UnitIdentifier", CFX_OPT);
	u->position = ecms__cfx_int(cx, o, "UnitPositionNumber");
	u->result = ecms__cfx_str(cx, o, "UnitResult", CFX_OPT);
	process_data(cx, o, "UnitProcessData", &u->data);
}

static void
decode_processed(cfx_ctx *cx, const json_t *b, ecms_cfx_processed *p)
{
	p->transaction_id = transaction_id(cx, b, CFX_OPT);
	p->overall_result = ecms__cfx_str(cx, b, "OverallResult", CFX_OPT);
	process_data(cx, b, "CommonProcessData", &p->common);
	p->units = each(cx, b, "UnitProcessData", CFX_OPT, sizeof(*p->units), &p->n_units,
			item_unit_process, 0);
}

static void
item_measurement(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_measurement *m = item;
	const json_t *mv;
	size_t mark;

	m->json = o;
	m->type = ecms__cfx_type(cx, o);
	m->uid = ecms__cfx_str(cx, o, "UniqueIdentifier", CFX_OPT);
	m->name = ecms__cfx_str(cx, o, "MeasurementName", CFX_OPT);
	m->result = ecms__cfx_str(cx, o, "Result", CFX_OPT);
	m->crds = ecms__cfx_str(cx, o, "CRDs", CFX_OPT);
	ecms__cfx_time(cx, o, "TimeRecorded", &m->recorded);
	mv = ecms__cfx_obj(cx, o, "MeasuredValue", CFX_OPT);
	mark = ecms__cfx_push(cx, "MeasuredValue");
	m->value = ecms__cfx_num(cx, mv, "Value");
	m->value_units = ecms__cfx_str(cx, mv, "ValueUnits", CFX_OPT);
	m->expected = ecms__cfx_num(cx, mv, "ExpectedValue");
	m->expected_units = ecms__cfx_str(cx, mv, "ExpectedValueUnits", CFX_OPT);
	m->min = ecms__cfx_num(cx, mv, "MinimumAcceptableValue");
	m->max = ecms__cfx_num(cx, mv, "MaximumAcceptableValue");
	ecms__cfx_pop(cx, mark);
}

static void
item_defect(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_defect *d = item;
	const json_t *images;

	d->uid = ecms__cfx_str(cx, o, "UniqueIdentifier", CFX_OPT);
	d->code = ecms__cfx_str(cx, o, "DefectCode", CFX_OPT);
	d->category = ecms__cfx_str(cx, o, "DefectCategory", CFX_OPT);
	d->description = ecms__cfx_str(cx, o, "Description", CFX_OPT);
	d->comments = ecms__cfx_str(cx, o, "Comments", CFX_OPT);
	designator(cx, o, "ComponentOfInterest", &d->component, &d->part_number);
	d->priority = ecms__cfx_int(cx, o, "Priority");
	d->confidence = ecms__cfx_num(cx, o, "ConfidenceLevel");
	images = ecms__cfx_arr(cx, o, "DefectImages", CFX_OPT);
	d->n_images = images ? json_array_size(images) : 0;
}

static void
item_designator(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	const char **refdes = item;

	*refdes = ecms__cfx_str(cx, o, "ReferenceDesignator", CFX_OPT);
}

static void
item_symptom(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_symptom *s = item;

	s->uid = ecms__cfx_str(cx, o, "UniqueIdentifier", CFX_OPT);
	s->code = ecms__cfx_str(cx, o, "SymptomCode", CFX_OPT);
	s->category = ecms__cfx_str(cx, o, "SymptomCategory", CFX_OPT);
	s->description = ecms__cfx_str(cx, o, "Description", CFX_OPT);
	s->components = each(cx, o, "ComponentsOfInterest", CFX_OPT, sizeof(*s->components),
			     &s->n_components, item_designator, 0);
	s->measurements = each(cx, o, "RelatedMeasurements", CFX_OPT, sizeof(*s->measurements),
			       &s->n_measurements, item_measurement, 0);
}

/* One Inspection (flag 1) or Test (flag 0). */
static void
item_check(cfx_ctx *cx, const json_t *o, void *item, int insp)
{
	ecms_cfx_check *c = item;

	c->uid = ecms__cfx_str(cx, o, "UniqueIdentifier", CFX_OPT);
	c->name = ecms__cfx_str(cx, o, insp ? "InspectionName" : "TestName", CFX_OPT);
	c->result = ecms__cfx_str(cx, o, "Result", CFX_OPT);
	ecms__cfx_time(cx, o, insp ? "InspectionStartTime" : "TestStartTime", &c->start);
	ecms__cfx_time(cx, o, insp ? "InspectionEndTime" : "TestEndTime", &c->end);
	c->defects = each(cx, o, "DefectsFound", CFX_OPT, sizeof(*c->defects), &c->n_defects,
			  item_defect, 0);
	c->symptoms = each(cx, o, insp ? "Symptoms" : "SymptomsFound", CFX_OPT,
			   sizeof(*c->symptoms), &c->n_symptoms, item_symptom, 0);
	c->measurements = each(cx, o, "Measurements", CFX_OPT, sizeof(*c->measurements),
			       &c->n_measurements, item_measurement, 0);
}

static void
item_checked_unit(cfx_ctx *cx, const json_t *o, void *item, int insp)
{
	ecms_cfx_checked_unit *u = item;

	u->unit_id = ecms__cfx_str(cx, o, "UnitIdentifier", CFX_OPT);
	u->position = ecms__cfx_int(cx, o, "UnitPositionNumber");
	u->result = ecms__cfx_str(cx, o, "OverallResult", CFX_OPT);
	u->checks = each(cx, o, insp ? "Inspections" : "Tests", CFX_OPT, sizeof(*u->checks),
			 &u->n_checks, item_check, insp);
}

static void
decode_checks(cfx_ctx *cx, const json_t *b, ecms_cfx_checks *c, bool insp)
{
	const json_t *panel;

	c->transaction_id = transaction_id(cx, b, CFX_OPT);
	c->method = ecms__cfx_str(cx, b, insp ? "InspectionMethod" : "TestMethod", CFX_OPT);
	decode_operator(cx, b, insp ? "Inspector" : "Tester", &c->op);
	c->recipe = ecms__cfx_str(cx, b, "RecipeName", CFX_OPT);
	c->recipe_revision = ecms__cfx_str(cx, b, "RecipeRevision", CFX_OPT);
	c->units = each(cx, b, insp ? "InspectedUnits" : "TestedUnits", CFX_OPT, sizeof(*c->units),
			&c->n_units, item_checked_unit, insp);
	panel = insp ? ecms__cfx_obj(cx, b, "InspectedPanel", CFX_OPT) : NULL;
	c->has_panel = panel != NULL;
	c->panel.position = -1;
	if (panel) {
		size_t mark = ecms__cfx_push(cx, "InspectedPanel");

		item_checked_unit(cx, panel, &c->panel, insp);
		ecms__cfx_pop(cx, mark);
	}
}

static void
item_repair(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_repair *r = item;

	r->uid = ecms__cfx_str(cx, o, "UniqueIdentifier", CFX_OPT);
	r->name = ecms__cfx_str(cx, o, "RepairName", CFX_OPT);
	r->result = ecms__cfx_str(cx, o, "Result", CFX_OPT);
	r->comments = ecms__cfx_str(cx, o, "Comments", CFX_OPT);
	designator(cx, o, "ComponentOfInterest", &r->component, &r->part_number);
	ecms__cfx_time(cx, o, "RepairStartTime", &r->start);
	ecms__cfx_time(cx, o, "RepairEndTime", &r->end);
	r->defect_ids =
		str_array(cx, o, "RelatedDefectIdentifiers", CFX_OPT, false, &r->n_defect_ids);
}

static void
item_repaired_unit(cfx_ctx *cx, const json_t *o, void *item, int flag)
{
	ecms_cfx_repaired_unit *u = item;

	u->unit_id = ecms__cfx_str(cx, o, "UnitIdentifier", CFX_OPT);
	u->position = ecms__cfx_int(cx, o, "UnitPositionNumber");
	u->result = ecms__cfx_str(cx, o, "OverallResult", CFX_OPT);
	u->repairs =
		each(cx, o, "Repairs", CFX_OPT, sizeof(*u->repairs), &u->n_repairs, item_repair, 0);
}

static void
decode_repaired(cfx_ctx *cx, const json_t *b, ecms_cfx_repaired *r)
{
	r->transaction_id = transaction_id(cx, b, CFX_OPT);
	decode_operator(cx, b, "RepairOperator", &r->op);
	r->units = each(cx, b, "RepairedUnits", CFX_OPT, sizeof(*r->units), &r->n_units,
			item_repaired_unit, 0);
}

int
ecms__cfx_decode_body(cfx_ctx *cx, ecms_cfx_msg *msg)
{
	const json_t *b = msg->body;

	switch (msg->kind) {
	case ECMS_CFX_MATERIALS_INITIALIZED:
	case ECMS_CFX_MATERIALS_OPENED:
	case ECMS_CFX_MATERIALS_PLACED_IN_DRY_STORAGE:
	case ECMS_CFX_MATERIALS_REMOVED_FROM_DRY_STORAGE:
	case ECMS_CFX_MATERIALS_EXPIRED:
	case ECMS_CFX_MATERIALS_RESTORED:
		msg->u.materials.materials =
			each(cx, b, "Materials", CFX_REQ, sizeof(ecms_cfx_package_detail),
			     &msg->u.materials.n_materials, item_detail, 0);
		break;
	case ECMS_CFX_MATERIALS_LOADED:
		msg->u.loaded.locations =
			each(cx, b, "Materials", CFX_REQ, sizeof(ecms_cfx_location),
			     &msg->u.loaded.n_locations, item_location, CFX_REQ);
		break;
	case ECMS_CFX_MATERIALS_EMPTY:
		msg->u.empty.locations =
			each(cx, b, "EmptyMaterials", CFX_REQ, sizeof(ecms_cfx_location),
			     &msg->u.empty.n_locations, item_location, CFX_REQ);
		break;
	case ECMS_CFX_MATERIALS_UNLOADED:
		msg->u.unloaded.uids = str_array(cx, b, "MaterialPackageIdentifiers", CFX_REQ, true,
						 &msg->u.unloaded.n_uids);
		break;
	case ECMS_CFX_SPLICE_POINT_DETECTED:
		location_member(cx, b, "DepletedMaterial", &msg->u.splice.depleted);
		location_member(cx, b, "NewlyActiveMaterial", &msg->u.splice.newly_active);
		break;
	case ECMS_CFX_UNITS_ARRIVED:
	case ECMS_CFX_UNITS_DEPARTED:
	case ECMS_CFX_UNITS_DISQUALIFIED:
	case ECMS_CFX_WORK_STARTED:
	case ECMS_CFX_WORK_COMPLETED:
		/* The five share ecms_cfx_units; u.arrived names them all. */
		decode_units(cx, b, &msg->u.arrived, msg->kind);
		break;
	case ECMS_CFX_MATERIALS_INSTALLED:
		decode_installs(cx, b, &msg->u.installed, true);
		break;
	case ECMS_CFX_MATERIALS_UNINSTALLED:
		decode_installs(cx, b, &msg->u.uninstalled, false);
		break;
	case ECMS_CFX_FAULT_OCCURRED:
		decode_fault(cx, b, &msg->u.fault);
		break;
	case ECMS_CFX_UNITS_PROCESSED:
		decode_processed(cx, b, &msg->u.processed);
		break;
	case ECMS_CFX_UNITS_INSPECTED:
		decode_checks(cx, b, &msg->u.inspected, true);
		break;
	case ECMS_CFX_UNITS_TESTED:
		decode_checks(cx, b, &msg->u.tested, false);
		break;
	case ECMS_CFX_UNITS_REPAIRED:
		decode_repaired(cx, b, &msg->u.repaired);
		break;
	default:
		break;
	}
	return cx->rc;
}
