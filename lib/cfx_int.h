/*
 * cfx_int.h: shared by cfx.c (stream reader, envelope) and cfx_msg.c
 * (typed bodies): the per-message arena and the decoding context with
 * its sticky error and field path.
 */
#ifndef ECMS_CFX_INT_H
#define ECMS_CFX_INT_H

#include "ecms_int.h"
#include "ecms/cfx.h"

/* ------------------------------------------------------------------
 * Arena: bump allocation in blocks, all freed together. Memory is
 * zeroed. One arena per message.
 * ------------------------------------------------------------------ */
struct cfx_block;

typedef struct cfx_arena {
	struct cfx_block *head;
} cfx_arena;

/* n zeroed bytes aligned for any type, or NULL (out of memory). */
void *ecms__cfx_arena_alloc(cfx_arena *a, size_t n);
void ecms__cfx_arena_free(cfx_arena *a);

/* ------------------------------------------------------------------
 * Decoding context. The first failure is kept (rc, err) and every later
 * call is a no-op, so decoders read straight through and check cx->rc
 * where they must stop (loops, before dereferencing results).
 * ------------------------------------------------------------------ */
#define CFX_PATH_MAX 256

typedef struct cfx_ctx {
	cfx_arena *arena;
	ecms_error *err;
	int rc;
	size_t plen;
	char path[CFX_PATH_MAX]; /* "MessageBody.InstalledMaterials[0]" */
} cfx_ctx;

enum { CFX_OPT = 0, CFX_REQ = 1 };

/* Record a failure at the current path: "<path>: <message>". Returns rc. */
int ecms__cfx_fail(cfx_ctx *cx, int rc, const char *fmt, ...) ECMS_PRINTF(3, 4);

/* Append ".key" or "[i]" to the path; return the mark for _pop. */
size_t ecms__cfx_push(cfx_ctx *cx, const char *key);
size_t ecms__cfx_push_index(cfx_ctx *cx, size_t i);
void ecms__cfx_pop(cfx_ctx *cx, size_t mark);

/* Zeroed arena memory for n items of size sz; NULL (and ENOMEM) on failure.
 * n == 0 gives NULL without failing. */
void *ecms__cfx_alloc(cfx_ctx *cx, size_t n, size_t sz);

/* Field getters on object o (which may be NULL: everything absent). */
const char *ecms__cfx_str(cfx_ctx *cx, const json_t *o, const char *key, int req);
double ecms__cfx_num(cfx_ctx *cx, const json_t *o, const char *key);
int ecms__cfx_int(cfx_ctx *cx, const json_t *o, const char *key);
int64_t ecms__cfx_i64(cfx_ctx *cx, const json_t *o, const char *key);
void ecms__cfx_time(cfx_ctx *cx, const json_t *o, const char *key, ecms_cfx_time *t);
int64_t ecms__cfx_duration(cfx_ctx *cx, const json_t *o, const char *key,
			   const char **text);
const json_t *ecms__cfx_obj(cfx_ctx *cx, const json_t *o, const char *key, int req);
const json_t *ecms__cfx_arr(cfx_ctx *cx, const json_t *o, const char *key, int req);

/* The class of a "$type" member ("CFX.Structures.X.Y, CFX" -> "Y"),
 * copied into the arena; NULL when o has no $type. */
const char *ecms__cfx_type(cfx_ctx *cx, const json_t *o);

/* Fill time t from text s (already known to be a string). */
int ecms__cfx_parse_time(const char *s, ecms_cfx_time *t);

/* Parse a .NET TimeSpan "[-][d.]hh:mm:ss[.fffffff]" into ms. */
bool ecms__cfx_parse_duration(const char *s, int64_t *ms);

/* cfx_msg.c: decode the body of a known kind into msg->u. */
int ecms__cfx_decode_body(cfx_ctx *cx, ecms_cfx_msg *msg);

#endif /* ECMS_CFX_INT_H */
