/*
 * cfx.c: the CFX stream reader and the envelope: gunzip, finding the
 * top-level JSON values in a byte stream (NDJSON, arrays of envelopes,
 * concatenated objects), recovering after syntax errors, rejections
 * with their source lines, and building messages from envelopes (the
 * bodies are decoded in cfx_msg.c).
 */
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "cfx_int.h"

/* ------------------------------------------------------------------
 * Kinds
 * ------------------------------------------------------------------ */

static const char *const kind_names[ECMS_CFX_KIND_COUNT] = {
	[ECMS_CFX_UNKNOWN] = "unknown",
	[ECMS_CFX_MATERIALS_INITIALIZED] = "CFX.Materials.Management.MaterialsInitialized",
	[ECMS_CFX_MATERIALS_LOADED] = "CFX.Materials.Storage.MaterialsLoaded",
	[ECMS_CFX_MATERIALS_UNLOADED] = "CFX.Materials.Storage.MaterialsUnloaded",
	[ECMS_CFX_MATERIALS_EMPTY] = "CFX.Materials.Storage.MaterialsEmpty",
	[ECMS_CFX_SPLICE_POINT_DETECTED] = "CFX.Materials.Storage.SplicePointDetected",
	[ECMS_CFX_UNITS_ARRIVED] = "CFX.Production.UnitsArrived",
	[ECMS_CFX_WORK_STARTED] = "CFX.Production.WorkStarted",
	[ECMS_CFX_WORK_COMPLETED] = "CFX.Production.WorkCompleted",
	[ECMS_CFX_UNITS_DEPARTED] = "CFX.Production.UnitsDeparted",
	[ECMS_CFX_MATERIALS_INSTALLED] = "CFX.Production.Assembly.MaterialsInstalled",
	[ECMS_CFX_MATERIALS_UNINSTALLED] = "CFX.Production.Assembly.MaterialsUninstalled",
	[ECMS_CFX_UNITS_DISQUALIFIED] = "CFX.Production.UnitsDisqualified",
	[ECMS_CFX_FAULT_OCCURRED] = "CFX.ResourcePerformance.FaultOccurred",
	[ECMS_CFX_MATERIALS_OPENED] = "CFX.Materials.Management.MSDManagement.MaterialsOpened",
	[ECMS_CFX_MATERIALS_PLACED_IN_DRY_STORAGE] =
		"CFX.Materials.Management.MSDManagement.MaterialsPlacedInDryStorage",
	[ECMS_CFX_MATERIALS_REMOVED_FROM_DRY_STORAGE] =
		"CFX.Materials.Management.MSDManagement.MaterialsRemovedFromDryStorage",
	[ECMS_CFX_MATERIALS_EXPIRED] = "CFX.Materials.Management.MSDManagement.MaterialsExpired",
	[ECMS_CFX_MATERIALS_RESTORED] =
		"CFX.Materials.Management.MSDManagement.MaterialsRestored",
	[ECMS_CFX_UNITS_PROCESSED] = "CFX.Production.Processing.UnitsProcessed",
	[ECMS_CFX_UNITS_INSPECTED] = "CFX.Production.TestAndInspection.UnitsInspected",
	[ECMS_CFX_UNITS_TESTED] = "CFX.Production.TestAndInspection.UnitsTested",
	[ECMS_CFX_UNITS_REPAIRED] = "CFX.Production.ReworkAndRepair.UnitsRepaired",
};

const char *
ecms_cfx_kind_name(ecms_cfx_kind kind)
{
	if ((int)kind <= 0 || kind >= ECMS_CFX_KIND_COUNT)
		return kind_names[ECMS_CFX_UNKNOWN];
	return kind_names[kind];
}

ecms_cfx_kind
ecms_cfx_kind_from_name(const char *name)
{
	int k;

	if (name == NULL || strncmp(name, "CFX.", 4) != 0)
		return ECMS_CFX_UNKNOWN;
	for (k = 1; k < ECMS_CFX_KIND_COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return (ecms_cfx_kind)k;
	return ECMS_CFX_UNKNOWN;
}

/* ------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------ */

/* A message and the arena its arrays live in; msg comes first, so a
 * message pointer is a box pointer. */
struct cfx_box {
	ecms_cfx_msg msg;
	cfx_arena arena;
};

void
ecms_cfx_msg_free(ecms_cfx_msg *msg)
{
	struct cfx_box *b = (struct cfx_box *)msg;

	if (msg == NULL)
		return;
	json_decref(msg->envelope);
	ecms__cfx_arena_free(&b->arena);
	ecms__free(b);
}

/* Check the length of an identifier the envelope must carry. */
static void
check_id(cfx_ctx *cx, const char *key, const char *s)
{
	if (s != NULL && strlen(s) > ECMS_CFX_ID_MAX)
		ecms__cfx_fail(cx, ECMS_EINVAL, "%s is longer than %d characters", key,
			       ECMS_CFX_ID_MAX);
}

int
ecms_cfx_msg_from_json(json_t *env, long line, ecms_cfx_msg **out, ecms_error *err)
{
	struct cfx_box *b;
	ecms_cfx_msg *m;
	cfx_ctx cx;

	*out = NULL;
	if (env == NULL || !json_is_object(env))
		return ecms__fail(err, ECMS_EINVAL, NULL,
				  "expected an envelope object, got %s",
				  env == NULL ? "nothing" : json_is_array(env) ? "an array"
							    : "a scalar");
	b = ecms__calloc(1, sizeof(*b));
	if (b == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	m = &b->msg;
	m->envelope = json_incref(env);
	m->line = line;
	memset(&cx, 0, sizeof(cx));
	cx.arena = &b->arena;
	cx.err = err;
	m->name = ecms__cfx_str(&cx, env, "MessageName", CFX_REQ);
	check_id(&cx, "MessageName", m->name);
	m->unique_id = ecms__cfx_str(&cx, env, "UniqueID", CFX_REQ);
	check_id(&cx, "UniqueID", m->unique_id);
	ecms__cfx_time(&cx, env, "TimeStamp", &m->timestamp);
	if (!cx.rc && m->timestamp.text == NULL)
		ecms__cfx_fail(&cx, ECMS_EINVAL, "missing TimeStamp");
	m->version = ecms__cfx_str(&cx, env, "Version", CFX_OPT);
	m->source = ecms__cfx_str(&cx, env, "Source", CFX_OPT);
	m->target = ecms__cfx_str(&cx, env, "Target", CFX_OPT);
	m->request_id = ecms__cfx_str(&cx, env, "RequestID", CFX_OPT);
	m->body = (json_t *)ecms__cfx_obj(&cx, env, "MessageBody", CFX_REQ);
	if (!cx.rc) {
		m->kind = ecms_cfx_kind_from_name(m->name);
		if (m->kind != ECMS_CFX_UNKNOWN) {
			ecms__cfx_push(&cx, "MessageBody");
			ecms__cfx_decode_body(&cx, m);
		}
	}
	if (cx.rc) {
		ecms_cfx_msg_free(m);
		return cx.rc;
	}
	*out = m;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * gunzip
 * ------------------------------------------------------------------ */

static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	if (size && items > SIZE_MAX / size)
		return Z_NULL;
	return ecms__malloc((size_t)items * size);
}

static void
z_free(voidpf opaque, voidpf p)
{
	ecms__free(p);
}

/* At most 1 GiB per inflate() call, so the counts fit zlib's uInt. */
#define Z_CHUNK ((size_t)1 << 30)

/*
 * Inflate all gzip members of in[0..len) into *out (caller frees; a NUL
 * follows the *outlen bytes). Output beyond max is ECMS_EINVAL. A corrupt
 * or truncated stream is not an error here: the output so far is kept
 * and the problem described in emsg (empty when all went well).
 */
static int
gunzip(const unsigned char *in, size_t len, size_t max, char **out, size_t *outlen,
       char *emsg, size_t emsz, ecms_error *err)
{
	z_stream zs;
	unsigned char *buf = NULL, *nb;
	size_t cap = 0, used = 0, in_used = 0, limit = max + 1;
	int zr, rc = ECMS_OK;

	*out = NULL;
	*outlen = 0;
	emsg[0] = '\0';
	memset(&zs, 0, sizeof(zs));
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "gzip: out of memory");
	for (;;) {
		size_t in_chunk, out_chunk, before_in, before_out;

		if (used == cap) {
			size_t ncap;

			if (cap >= limit) {
				rc = ecms__fail(err, ECMS_EINVAL, NULL,
						"gzip input inflates to more than %zu bytes "
						"(the limit)", max);
				break;
			}
			ncap = cap ? cap * 2 : (len < 16384 ? 65536 : len * 4);
			if (ncap > limit || ncap < cap)
				ncap = limit;
			nb = ecms__realloc(buf, ncap + 1);
			if (nb == NULL) {
				rc = ecms__fail(err, ECMS_ENOMEM, NULL, "gzip: out of memory");
				break;
			}
			buf = nb;
			cap = ncap;
		}
		in_chunk = len - in_used < Z_CHUNK ? len - in_used : Z_CHUNK;
		out_chunk = cap - used < Z_CHUNK ? cap - used : Z_CHUNK;
		zs.next_in = (unsigned char *)in + in_used;
		zs.avail_in = (uInt)in_chunk;
		zs.next_out = buf + used;
		zs.avail_out = (uInt)out_chunk;
		before_in = zs.avail_in;
		before_out = zs.avail_out;
		zr = inflate(&zs, Z_NO_FLUSH);
		in_used += before_in - zs.avail_in;
		used += before_out - zs.avail_out;
		if (zr == Z_STREAM_END) {
			if (in_used == len)
				break;
			if (len - in_used >= 2 && in[in_used] == 0x1f && in[in_used + 1] == 0x8b) {
				if (inflateReset(&zs) != Z_OK) {
					rc = ecms__fail(err, ECMS_EINTERNAL, NULL,
							"gzip: inflateReset failed");
					break;
				}
				continue;
			}
			snprintf(emsg, emsz, "gzip: %zu bytes of trailing data after the "
				 "compressed stream", len - in_used);
			break;
		}
		if (zr == Z_MEM_ERROR) {
			rc = ecms__fail(err, ECMS_ENOMEM, NULL, "gzip: out of memory");
			break;
		}
		if (zr == Z_OK)
			continue;
		if (zr == Z_BUF_ERROR && used == cap)
			continue;
		if (zr == Z_BUF_ERROR) {
			snprintf(emsg, emsz, "gzip: the input ends inside the compressed "
				 "stream (truncated after %zu bytes of output)", used);
			break;
		}
		snprintf(emsg, emsz, "gzip: corrupt data after %zu bytes of output: %s", used,
			 zs.msg ? zs.msg : "inflate failed");
		break;
	}
	inflateEnd(&zs);
	if (rc) {
		ecms__free(buf);
		return rc;
	}
	if (buf == NULL) {
		buf = ecms__malloc(1);
		if (buf == NULL)
			return ecms__fail(err, ECMS_ENOMEM, NULL, "gzip: out of memory");
	}
	buf[used] = '\0';
	*out = (char *)buf;
	*outlen = used;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * The reader
 * ------------------------------------------------------------------ */

enum arr_state {
	ARR_START, /* after '[' */
	ARR_ELEM,  /* after ',': an element must follow */
	ARR_AFTER  /* after an element: ',' or ']' must follow */
};

struct ecms_cfx_reader {
	const char *data;
	size_t len, pos;
	char *owned;        /* gunzipped data */
	bool gz;
	bool gz_pending;    /* gz_error still to be reported */
	char gz_error[256];
	/* Line counting: lc_off has been scanned; lc_bol starts line lc_line. */
	size_t lc_off, lc_bol;
	long lc_line;
	/* Inside a top-level array of envelopes. */
	bool in_array;
	enum arr_state arr_state;
	long arr_line;
	size_t arr_col, elem_col;
	/* The last rejection. */
	bool has_rej;
	ecms_cfx_reject rej;
	char reason[ECMS_ERRMSG_MAX];
	char field[64];
	ecms_buf text;
	json_t *rej_json;
	ecms_cfx_stats stats;
};

int
ecms_cfx_reader_new(const void *data, size_t len, size_t max, ecms_cfx_reader **out,
		    ecms_error *err)
{
	const unsigned char *p = data;
	ecms_cfx_reader *r;
	int rc;

	*out = NULL;
	if (max == 0)
		max = ECMS_CFX_INPUT_MAX;
	if (data == NULL && len)
		return ecms__fail(err, ECMS_EUSAGE, NULL, "no input buffer");
	r = ecms__calloc(1, sizeof(*r));
	if (r == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	ecms__buf_init(&r->text, ECMS_CFX_REJECT_TEXT_MAX);
	r->lc_line = 1;
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		r->gz = true;
		rc = gunzip(p, len, max, &r->owned, &r->len, r->gz_error,
			    sizeof(r->gz_error), err);
		if (rc) {
			ecms_cfx_reader_free(r);
			return rc;
		}
		r->data = r->owned;
		r->gz_pending = r->gz_error[0] != '\0';
	} else {
		if (len > max) {
			ecms_cfx_reader_free(r);
			return ecms__fail(err, ECMS_EINVAL, NULL,
					  "input of %zu bytes is over the limit of %zu", len,
					  max);
		}
		r->data = data ? data : "";
		r->len = len;
	}
	/* A UTF-8 byte order mark is not JSON; skip it. */
	if (r->len >= 3 && memcmp(r->data, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	*out = r;
	return ECMS_OK;
}

void
ecms_cfx_reader_free(ecms_cfx_reader *r)
{
	if (r == NULL)
		return;
	ecms__free(r->owned);
	ecms__buf_cleanup(&r->text);
	json_decref(r->rej_json);
	ecms__free(r);
}

const ecms_cfx_reject *
ecms_cfx_reader_reject(const ecms_cfx_reader *r)
{
	return r->has_rej ? &r->rej : NULL;
}

const ecms_cfx_stats *
ecms_cfx_reader_stats(const ecms_cfx_reader *r)
{
	return &r->stats;
}

bool
ecms_cfx_reader_gzipped(const ecms_cfx_reader *r)
{
	return r->gz;
}

/* Line (1-based) and column (0-based, bytes) of offset off. */
static void
locate(ecms_cfx_reader *r, size_t off, long *line, size_t *col)
{
	if (off < r->lc_off) {
		r->lc_off = r->lc_bol = 0;
		r->lc_line = 1;
	}
	while (r->lc_off < off) {
		const char *nl = memchr(r->data + r->lc_off, '\n', off - r->lc_off);

		if (nl == NULL) {
			r->lc_off = off;
			break;
		}
		r->lc_line++;
		r->lc_bol = (size_t)(nl - r->data) + 1;
		r->lc_off = r->lc_bol;
	}
	*line = r->lc_line;
	*col = off - r->lc_bol;
}

static void
skip_ws(ecms_cfx_reader *r)
{
	while (r->pos < r->len) {
		char c = r->data[r->pos];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		r->pos++;
	}
}

static void
reject_clear(ecms_cfx_reader *r)
{
	r->has_rej = false;
	json_decref(r->rej_json);
	r->rej_json = NULL;
	ecms__buf_reset(&r->text);
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid
 * or NUL. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/* Raw input bytes into the reject text, as valid UTF-8 without NULs. */
static int
text_raw(ecms_cfx_reader *r, const char *raw, size_t n)
{
	const unsigned char *p = (const unsigned char *)raw;
	size_t i = 0, run = 0;

	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);

		if (r->text.len + run + (k ? k : 1) > ECMS_CFX_REJECT_TEXT_MAX) {
			r->rej.text_truncated = true;
			break;
		}
		if (k) {
			run += k;
			i += k;
			continue;
		}
		if (ecms__buf_add(&r->text, p + i - run, run) || ecms__buf_addc(&r->text, '?'))
			return ECMS_ENOMEM;
		run = 0;
		i++;
	}
	if (run && ecms__buf_add(&r->text, p + i - run, run))
		return ECMS_ENOMEM;
	return ECMS_OK;
}

struct dump_ctx {
	ecms_cfx_reader *r;
	bool nomem;
};

static int
dump_cb(const char *p, size_t n, void *data)
{
	struct dump_ctx *d = data;
	ecms_buf *b = &d->r->text;
	size_t room = ECMS_CFX_REJECT_TEXT_MAX - b->len;

	if (n > room) {
		/* Cut before a character, never inside one. */
		while (room > 0 && ((unsigned char)p[room] & 0xc0) == 0x80)
			room--;
		d->r->rej.text_truncated = true;
		if (ecms__buf_add(b, p, room))
			d->nomem = true;
		return -1;
	}
	if (ecms__buf_add(b, p, n)) {
		d->nomem = true;
		return -1;
	}
	return 0;
}

/*
 * Fill the rejection: v (a parsed value, may be NULL; the reader takes a
 * reference) or raw bytes for its text. Nothing about the reader's
 * position changes here, so on ECMS_ENOMEM the caller just returns.
 */
static int
reject_set(ecms_cfx_reader *r, long line, long eline, long col, bool syntax, json_t *v,
	   const char *raw, size_t rawlen, const char *reason, const char *field)
{
	reject_clear(r);
	memset(&r->rej, 0, sizeof(r->rej));
	if (v != NULL) {
		struct dump_ctx d = {r, false};

		if (json_dump_callback(v, dump_cb, &d, JSON_COMPACT | JSON_ENCODE_ANY) != 0 &&
		    (d.nomem || !r->rej.text_truncated)) {
			ecms__buf_reset(&r->text);
			return ECMS_ENOMEM;
		}
		r->rej_json = json_incref(v);
		if (json_is_object(v)) {
			r->rej.message_name = json_string_value(json_object_get(v, "MessageName"));
			r->rej.unique_id = json_string_value(json_object_get(v, "UniqueID"));
		}
	} else if (text_raw(r, raw, rawlen)) {
		ecms__buf_reset(&r->text);
		return ECMS_ENOMEM;
	}
	r->rej.line = line;
	r->rej.error_line = eline;
	r->rej.column = col;
	r->rej.syntax = syntax;
	ecms__strlcpy(r->reason, reason, sizeof(r->reason));
	ecms__strlcpy(r->field, field ? field : "", sizeof(r->field));
	r->rej.reason = r->reason;
	r->rej.text = r->text.data ? r->text.data : "";
	r->rej.text_len = r->text.len;
	r->has_rej = true;
	return ECMS_OK;
}

/* Report the rejection just set (the position is committed). */
static int
reject_done(ecms_cfx_reader *r, ecms_error *err)
{
	const ecms_cfx_reject *j = &r->rej;

	r->stats.rejected++;
	if (j->syntax && j->column > 0 && j->error_line == j->line)
		return ecms__fail(err, ECMS_EINVAL, r->field, "line %ld, column %ld: %s",
				  j->line, j->column, j->reason);
	if (j->syntax && j->column > 0)
		return ecms__fail(err, ECMS_EINVAL, r->field, "line %ld: %s (at line %ld, "
				  "column %ld)", j->line, j->reason, j->error_line, j->column);
	return ecms__fail(err, ECMS_EINVAL, r->field, "line %ld: %s", j->line, j->reason);
}

static int
nomem(ecms_error *err)
{
	return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory reading CFX messages");
}

/*
 * Where to resume after a syntax error in the value that starts at
 * offset from, in column ind: the first later line that starts a value
 * ('{' or '[') at the same or a lower indentation. Inside an array, an
 * element at the elements' indentation keeps the array open, a ']' closes
 * it, and a value at or left of the '[' leaves it. Sets *in_array and
 * *state for the resume point; nothing found: the end of input.
 */
static size_t
resync(const ecms_cfx_reader *r, size_t from, size_t ind, bool *in_array,
       enum arr_state *state)
{
	const char *d = r->data;
	const char *nl = memchr(d + from, '\n', r->len - from);
	size_t p;

	*in_array = r->in_array;
	*state = r->arr_state;
	while (nl != NULL) {
		size_t bol = (size_t)(nl - d) + 1, indent;
		char c;

		p = bol;
		while (p < r->len && (d[p] == ' ' || d[p] == '\t'))
			p++;
		if (p >= r->len)
			break;
		c = d[p];
		indent = p - bol;
		if (r->in_array) {
			if (c == '{' && indent > r->arr_col && indent <= ind) {
				*state = ARR_ELEM;
				return p;
			}
			if (c == ']' && indent <= ind) {
				*state = ARR_AFTER;
				return p;
			}
			if ((c == '{' || c == '[') && indent <= r->arr_col) {
				*in_array = false;
				return p;
			}
		} else if ((c == '{' || c == '[') && indent <= ind) {
			return p;
		}
		nl = memchr(d + p, '\n', r->len - p);
	}
	*in_array = false;
	return r->len;
}

/* The raw text from off to the end of its line, without the newline. */
static size_t
line_len(const ecms_cfx_reader *r, size_t off)
{
	const char *nl = memchr(r->data + off, '\n', r->len - off);
	size_t n = nl ? (size_t)(nl - (r->data + off)) : r->len - off;

	if (n && r->data[off + n - 1] == '\r')
		n--;
	return n;
}

/* A printable description of the byte c for messages. */
static const char *
show_byte(char c, char buf[16])
{
	if (c > ' ' && c < 0x7f)
		snprintf(buf, 16, "'%c'", c);
	else
		snprintf(buf, 16, "byte 0x%02x", (unsigned char)c);
	return buf;
}

static int
syntax_error(ecms_cfx_reader *r, size_t start, long line, size_t col,
	     const json_error_t *je, ecms_error *err)
{
	char reason[ECMS_ERRMSG_MAX];
	enum arr_state state;
	long eline, ecol;
	size_t resume, n;
	bool in_array;

	if (je->line >= 1) {
		eline = line + je->line - 1;
		ecol = je->line == 1 ? (long)col + je->column : je->column;
	} else {
		eline = line;
		ecol = (long)col + 1;
	}
	if (ecol < 1)
		ecol = 1;
	resume = resync(r, start, col, &in_array, &state);
	n = resume - start;
	while (n && strchr(" \t\r\n", r->data[start + n - 1]))
		n--;
	snprintf(reason, sizeof(reason), "invalid JSON: %s", je->text);
	if (reject_set(r, line, eline, ecol, true, NULL, r->data + start, n, reason, NULL))
		return nomem(err);
	r->pos = resume;
	r->in_array = in_array;
	r->arr_state = state;
	return reject_done(r, err);
}

/* Something other than ',' or ']' after an array element. */
static int
separator_error(ecms_cfx_reader *r, ecms_error *err)
{
	char reason[ECMS_ERRMSG_MAX], b[16];
	size_t col, resume;
	enum arr_state state;
	bool in_array;
	long line;
	char c = r->data[r->pos];

	locate(r, r->pos, &line, &col);
	snprintf(reason, sizeof(reason),
		 "invalid JSON: expected ',' or ']' after the array element, got %s",
		 show_byte(c, b));
	if (c == '{') {
		/* Most likely a missing ',': read the element that follows. */
		if (reject_set(r, line, line, (long)col + 1, true, NULL, r->data + r->pos,
			       line_len(r, r->pos), reason, NULL))
			return nomem(err);
		r->arr_state = ARR_ELEM;
		return reject_done(r, err);
	}
	resume = resync(r, r->pos, r->elem_col, &in_array, &state);
	if (reject_set(r, line, line, (long)col + 1, true, NULL, r->data + r->pos,
		       line_len(r, r->pos), reason, NULL))
		return nomem(err);
	r->pos = resume;
	r->in_array = in_array;
	r->arr_state = state;
	return reject_done(r, err);
}

/* The end of input: an unclosed array, then a pending gzip error. */
static int
at_end(ecms_cfx_reader *r, ecms_error *err)
{
	char reason[ECMS_ERRMSG_MAX];
	size_t col;
	long line;

	locate(r, r->len, &line, &col);
	if (r->in_array) {
		snprintf(reason, sizeof(reason), "invalid JSON: the input ends inside the "
			 "array that starts at line %ld (expected ']')", r->arr_line);
		if (reject_set(r, r->arr_line, line, (long)col + 1, true, NULL, "", 0, reason,
			       NULL))
			return nomem(err);
		r->in_array = false;
		return reject_done(r, err);
	}
	if (r->gz_pending) {
		if (reject_set(r, line, line, 0, true, NULL, "", 0, r->gz_error, NULL))
			return nomem(err);
		r->gz_pending = false;
		return reject_done(r, err);
	}
	return ECMS_OK;
}

static const char *
value_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_NULL: return "null";
	default: return "a boolean";
	}
}

/* Parse the value at r->pos: a message, or a rejection. */
static int
read_value(ecms_cfx_reader *r, ecms_cfx_msg **msg, ecms_error *err)
{
	size_t start = r->pos, col, end;
	char reason[ECMS_ERRMSG_MAX];
	json_error_t je;
	ecms_error e;
	json_t *v;
	long line;
	int rc;

	locate(r, start, &line, &col);
	v = json_loadb(r->data + start, r->len - start,
		       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		if (json_error_code(&je) == json_error_out_of_memory)
			return nomem(err);
		return syntax_error(r, start, line, col, &je, err);
	}
	end = start + (size_t)je.position;
	if (!json_is_object(v)) {
		snprintf(reason, sizeof(reason), "%s, got %s",
			 r->in_array ? "expected an envelope object in the array"
				     : "expected an envelope object or an array of envelopes",
			 value_kind(v));
		rc = reject_set(r, line, line, 0, false, v, NULL, 0, reason, NULL);
		json_decref(v);
		if (rc)
			return nomem(err);
		goto rejected;
	}
	ecms_error_clear(&e);
	rc = ecms_cfx_msg_from_json(v, line, msg, &e);
	if (rc == ECMS_ENOMEM) {
		json_decref(v);
		return nomem(err);
	}
	if (rc) {
		rc = reject_set(r, line, line, 0, false, v, NULL, 0, e.message, e.field);
		json_decref(v);
		if (rc)
			return nomem(err);
		goto rejected;
	}
	json_decref(v);
	r->pos = end;
	if (r->in_array) {
		r->arr_state = ARR_AFTER;
		r->elem_col = col;
	}
	r->stats.messages++;
	r->stats.by_kind[(*msg)->kind]++;
	if ((*msg)->kind == ECMS_CFX_UNKNOWN)
		r->stats.unknown++;
	return ECMS_OK;
rejected:
	r->pos = end;
	if (r->in_array) {
		r->arr_state = ARR_AFTER;
		r->elem_col = col;
	}
	return reject_done(r, err);
}

int
ecms_cfx_reader_next(ecms_cfx_reader *r, ecms_cfx_msg **msg, ecms_error *err)
{
	char reason[ECMS_ERRMSG_MAX];
	size_t col;
	long line;

	*msg = NULL;
	reject_clear(r);
	for (;;) {
		char c;

		skip_ws(r);
		if (r->pos >= r->len)
			return at_end(r, err);
		c = r->data[r->pos];
		if (r->in_array) {
			if (r->arr_state == ARR_AFTER) {
				if (c == ',') {
					r->pos++;
					r->arr_state = ARR_ELEM;
					continue;
				}
				if (c == ']') {
					r->pos++;
					r->in_array = false;
					continue;
				}
				return separator_error(r, err);
			}
			if (c == ']' && r->arr_state == ARR_START) {
				r->pos++;
				r->in_array = false;
				continue;
			}
			if (c == ']') {
				locate(r, r->pos, &line, &col);
				snprintf(reason, sizeof(reason),
					 "invalid JSON: expected an envelope after ',', got ']'");
				if (reject_set(r, line, line, (long)col + 1, true, NULL,
					       r->data + r->pos, line_len(r, r->pos), reason, NULL))
					return nomem(err);
				r->pos++;
				r->in_array = false;
				return reject_done(r, err);
			}
			locate(r, r->pos, &line, &col);
			r->elem_col = col;
		} else if (c == '[') {
			locate(r, r->pos, &r->arr_line, &r->arr_col);
			r->in_array = true;
			r->arr_state = ARR_START;
			r->pos++;
			continue;
		}
		return read_value(r, msg, err);
	}
}
