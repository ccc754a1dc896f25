/*
 * event.c: the append-only, hash-chained event log and its audit.
 *
 * Hash of event n: SHA-256 over "ecms-event-v1\n" followed by each field
 * as "<decimal length>:<bytes>\n", in the order seq, at_ms, actor,
 * station, type, payload, prev_hash. The length prefix makes the encoding
 * unambiguous whatever the fields contain. The first event's prev_hash is
 * 64 zeros. The head (last seq and hash) is also kept in meta, so cutting
 * events off the end of the log is detected too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "event.h"

static const char zero_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";

char *
ecms__json_canonical(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY |
				     JSON_REAL_PRECISION(15));
}

static void
hash_field(crypto_hash_sha256_state *st, const char *s, size_t n)
{
	char len[24];
	int l = snprintf(len, sizeof(len), "%zu:", n);

	crypto_hash_sha256_update(st, (const unsigned char *)len, (size_t)l);
	crypto_hash_sha256_update(st, (const unsigned char *)s, n);
	crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

static void
event_hash(const ecms_event *ev, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char md[crypto_hash_sha256_BYTES];
	char num[24];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"ecms-event-v1\n", 14);
	snprintf(num, sizeof(num), "%lld", (long long)ev->seq);
	hash_field(&st, num, strlen(num));
	snprintf(num, sizeof(num), "%lld", (long long)ev->at_ms);
	hash_field(&st, num, strlen(num));
	hash_field(&st, ev->actor, strlen(ev->actor));
	hash_field(&st, ev->station, strlen(ev->station));
	hash_field(&st, ev->type, strlen(ev->type));
	hash_field(&st, ev->payload, strlen(ev->payload));
	hash_field(&st, ev->prev_hash, strlen(ev->prev_hash));
	crypto_hash_sha256_final(&st, md);
	ecms__hex(md, sizeof(md), out);
}

static int
load_head(ecms *h)
{
	ecms__stmt *st;
	int rc;

	if (h->head_loaded)
		return ECMS_OK;
	rc = ecms__q(h, &st, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", "");
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		h->last_seq = ecms__col_int(st, 0);
		ecms__strlcpy(h->last_hash, ecms__col_text(st, 1), sizeof(h->last_hash));
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		h->last_seq = 0;
		ecms__strlcpy(h->last_hash, zero_hash, sizeof(h->last_hash));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc == ECMS_OK)
		h->head_loaded = true;
	return rc;
}

/* ------------------------------------------------------------------
 * Event groups (event.h)
 * ------------------------------------------------------------------ */

struct ecms__group {
	ecms__fold_fn fold;
	int64_t seq;    /* the seq the group's event will take */
	size_t n;       /* events handed to the group */
	json_t *kept;   /* [{"type", "payload"}] */
	json_t *folded; /* {type: count} */
	crypto_hash_sha256_state digest;
};

int
ecms__group_begin(ecms *h, ecms__fold_fn fold)
{
	struct ecms__group *g;
	int rc;

	if (h->group || h->tx_depth <= 0)
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
				     h->group ? "event groups do not nest"
					      : "event group opened outside a transaction");
	if ((rc = load_head(h)))
		return rc;
	if (!(g = ecms__calloc(1, sizeof(*g))))
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	g->kept = json_array();
	g->folded = json_object();
	if (!g->kept || !g->folded) {
		json_decref(g->kept);
		json_decref(g->folded);
		ecms__free(g);
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	g->fold = fold;
	g->seq = h->last_seq + 1;
	crypto_hash_sha256_init(&g->digest);
	h->group = g;
	return ECMS_OK;
}

void
ecms__group_discard(ecms *h)
{
	struct ecms__group *g = h->group;

	if (!g)
		return;
	json_decref(g->kept);
	json_decref(g->folded);
	ecms__free(g);
	h->group = NULL;
}

/* ecms__event() inside a group: payload is consumed. */
static int
group_add(ecms *h, struct ecms__group *g, const char *type, json_t *payload)
{
	int rc = ECMS_OK;

	if (g->fold && g->fold(type, payload)) {
		char *text = ecms__json_canonical(payload);
		json_t *n = json_object_get(g->folded, type);

		if (!text || json_object_set_new(g->folded, type,
						 json_integer(n ? json_integer_value(n) + 1 : 1)))
			rc = ECMS_ENOMEM;
		if (text) {
			crypto_hash_sha256_update(&g->digest, (const unsigned char *)type,
						  strlen(type));
			crypto_hash_sha256_update(&g->digest, (const unsigned char *)"\n", 1);
			crypto_hash_sha256_update(&g->digest, (const unsigned char *)text,
						  strlen(text));
			crypto_hash_sha256_update(&g->digest, (const unsigned char *)"\n", 1);
		}
		free(text); /* checksrc:ok jansson's allocator */
		json_decref(payload);
	} else if (json_array_append_new(
			   g->kept, json_pack("{s:s,s:o}", "type", type, "payload", payload))) {
		rc = ECMS_ENOMEM;
	}
	if (rc)
		return ecms__ctxfail(h, rc, NULL, "out of memory");
	g->n++;
	return ECMS_OK;
}

int
ecms__group_end(ecms *h, const char *type, json_t *summary, int64_t *seq)
{
	struct ecms__group *g = h->group;
	unsigned char md[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	int64_t want, got;
	int rc;

	if (seq)
		*seq = 0;
	if (!g) {
		json_decref(summary);
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "no event group is open");
	}
	want = g->seq;
	if (g->n == 0 || summary == NULL) {
		ecms__group_discard(h);
		if (summary == NULL)
			return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		json_decref(summary);
		return ECMS_OK;
	}
	crypto_hash_sha256_final(&g->digest, md);
	ecms__hex(md, sizeof(md), hex);
	rc = json_array_size(g->kept) ? json_object_set(summary, "events", g->kept) : 0;
	if (rc == 0 && json_object_size(g->folded))
		rc = json_object_set(summary, "folded", g->folded) ||
		     json_object_set_new(summary, "folded_sha256", json_string(hex));
	ecms__group_discard(h);
	if (rc) {
		json_decref(summary);
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	if ((rc = ecms__event(h, type, summary, &got)))
		return rc;
	if (seq)
		*seq = got;
	if (got != want)
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
				     "event group '%s' took seq %lld, its rows name %lld", type,
				     (long long)got, (long long)want);
	return ECMS_OK;
}

int
ecms__event(ecms *h, const char *type, json_t *payload, int64_t *seq)
{
	ecms_event ev;
	char hash[65], head[100];
	char *text;
	int rc;

	if (payload == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (h->tx_depth <= 0) {
		json_decref(payload);
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
				     "event '%s' appended outside a transaction", type);
	}
	if (h->group) {
		if (seq)
			*seq = h->group->seq;
		return group_add(h, h->group, type, payload);
	}
	text = ecms__json_canonical(payload);
	json_decref(payload);
	if (text == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	rc = load_head(h);
	if (rc) {
		free(text); /* checksrc:ok jansson's allocator */
		return rc;
	}
	ev.seq = h->last_seq + 1;
	ev.at_ms = ecms_now(h);
	ev.actor = h->actor;
	ev.station = h->station;
	ev.type = type;
	ev.payload = text;
	ev.prev_hash = h->last_hash;
	event_hash(&ev, hash);
	rc = ecms__exec(h,
			"INSERT INTO events (seq, at_ms, actor, station, type, payload, "
			"prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			"iitttttt", ev.seq, ev.at_ms, ev.actor, ev.station, type, text,
			ev.prev_hash, hash);
	free(text); /* checksrc:ok jansson's allocator */
	if (rc)
		return rc;
	snprintf(head, sizeof(head), "%lld:%s", (long long)ev.seq, hash);
	rc = ecms__exec(h,
			"INSERT INTO meta (key, value) VALUES ('chain_head', ?) "
			"ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			"t", head);
	if (rc)
		return rc;
	h->last_seq = ev.seq;
	ecms__strlcpy(h->last_hash, hash, sizeof(h->last_hash));
	if (seq)
		*seq = ev.seq;
	return ECMS_OK;
}

static void
row_event(ecms__stmt *st, ecms_event *ev)
{
	ev->seq = ecms__col_int(st, 0);
	ev->at_ms = ecms__col_int(st, 1);
	ev->actor = ecms__col_text(st, 2);
	ev->station = ecms__col_text(st, 3);
	ev->type = ecms__col_text(st, 4);
	ev->payload = ecms__col_text(st, 5);
	ev->prev_hash = ecms__col_text(st, 6);
	ev->hash = ecms__col_text(st, 7);
	if (!ev->actor)
		ev->actor = "";
	if (!ev->station)
		ev->station = "";
	if (!ev->type)
		ev->type = "";
	if (!ev->payload)
		ev->payload = "";
	if (!ev->prev_hash)
		ev->prev_hash = "";
	if (!ev->hash)
		ev->hash = "";
}

#define EVENT_COLS "seq, at_ms, actor, station, type, payload, prev_hash, hash"

int
ecms_log_each(ecms *h, int64_t since, const char *type, int64_t limit,
	      int (*cb)(const ecms_event *ev, void *arg), void *arg)
{
	ecms__stmt *st;
	ecms_event ev;
	char like[80];
	int rc;

	if (limit <= 0)
		limit = INT64_MAX;
	if (type && *type) {
		size_t n = strlen(type);
		if (n + 2 > sizeof(like))
			return ecms__ctxfail(h, ECMS_EINVAL, "type", "event type too long");
		if (type[n - 1] == '.') {
			snprintf(like, sizeof(like), "%s%%", type);
			rc = ecms__q(h, &st,
				     "SELECT " EVENT_COLS " FROM events "
				     "WHERE seq > ? AND type LIKE ? ORDER BY seq LIMIT ?",
				     "iti", since, like, limit);
		} else {
			rc = ecms__q(h, &st,
				     "SELECT " EVENT_COLS " FROM events "
				     "WHERE seq > ? AND type = ? ORDER BY seq LIMIT ?",
				     "iti", since, type, limit);
		}
	} else {
		rc = ecms__q(h, &st,
			     "SELECT " EVENT_COLS " FROM events "
			     "WHERE seq > ? ORDER BY seq LIMIT ?",
			     "ii", since, limit);
	}
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		row_event(st, &ev);
		rc = cb(&ev, arg);
		if (rc)
			break;
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

int
ecms_log_head(ecms *h, int64_t *seq, char hash[65])
{
	int rc;

	h->head_loaded = h->tx_depth > 0 && h->head_loaded;
	rc = load_head(h);
	if (rc)
		return rc;
	*seq = h->last_seq;
	ecms__strlcpy(hash, h->last_hash, 65);
	if (h->tx_depth == 0)
		h->head_loaded = false;
	return ECMS_OK;
}

static int tamper(ecms *h, ecms_audit *out, int64_t seq, const char *fmt, ...) ECMS_PRINTF(4, 5);

static int
tamper(ecms *h, ecms_audit *out, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	out->first_bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
	return ecms__ctxfail(h, ECMS_ETAMPER, NULL, "event log does not verify: %s", out->reason);
}

int
ecms_audit_verify(ecms *h, ecms_audit *out)
{
	ecms__stmt *st;
	ecms_event ev;
	char prev[65], calc[65];
	int64_t expect = 1;
	int rc;

	memset(out, 0, sizeof(*out));
	ecms__strlcpy(prev, zero_hash, sizeof(prev));
	rc = ecms__q(h, &st, "SELECT " EVENT_COLS " FROM events ORDER BY seq", "");
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		row_event(st, &ev);
		if (ev.seq != expect) {
			ecms__done(h, st);
			if (ev.seq > expect)
				return tamper(h, out, expect,
					      "event %lld is missing (next is %lld)",
					      (long long)expect, (long long)ev.seq);
			return tamper(h, out, ev.seq, "event %lld is out of sequence",
				      (long long)ev.seq);
		}
		if (strcmp(ev.prev_hash, prev) != 0) {
			ecms__done(h, st);
			return tamper(h, out, ev.seq,
				      "event %lld does not link to event %lld "
				      "(prev_hash differs)",
				      (long long)ev.seq, (long long)(ev.seq - 1));
		}
		event_hash(&ev, calc);
		if (strcmp(calc, ev.hash) != 0) {
			ecms__done(h, st);
			return tamper(h, out, ev.seq,
				      "event %lld was altered (its content does not "
				      "match its hash)",
				      (long long)ev.seq);
		}
		ecms__strlcpy(prev, ev.hash, sizeof(prev));
		out->events++;
		expect++;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		return rc;
	out->head_seq = expect - 1;
	ecms__strlcpy(out->head_hash, prev, sizeof(out->head_hash));
	/* The recorded head must be the last event: catches a cut tail. */
	rc = ecms__q(h, &st, "SELECT value FROM meta WHERE key = 'chain_head'", "");
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		char want[100];
		const char *head = ecms__col_text(st, 0);
		snprintf(want, sizeof(want), "%lld:%s", (long long)out->head_seq, prev);
		if (head == NULL || strcmp(head, want) != 0) {
			long long hs = head ? strtoll(head, NULL, 10) : 0;
			ecms__done(h, st);
			if (hs == out->head_seq + 1)
				return tamper(h, out, hs,
					      "event %lld is missing from the end of the log", hs);
			if (hs > out->head_seq)
				return tamper(h, out, out->head_seq + 1,
					      "events %lld to %lld are missing from the end "
					      "of the log",
					      (long long)out->head_seq + 1, hs);
			return tamper(h, out, out->head_seq,
				      "the recorded chain head (%s) does not match "
				      "the last event",
				      head ? head : "none");
		}
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = out->head_seq == 0 ? ECMS_OK
					: tamper(h, out, 1, "the recorded chain head is missing");
	}
	ecms__done(h, st);
	return rc;
}
