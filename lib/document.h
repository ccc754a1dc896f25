/*
 * document.h (internal): content-addressed document storage. A file is
 * stored once under its SHA-256; storing it again is a no-op.
 */
#ifndef ECMS_DOCUMENT_H
#define ECMS_DOCUMENT_H

#include "store/store.h"

/* Store bytes (inside the caller's transaction); hex hash into sha. The
 * event that refers to the document carries the hash. */
int ecms__doc_put(ecms *h, const char *name, const void *data, size_t len, int64_t seq,
		  char sha[65]) ECMS_WUR;

/* SHA-256 of bytes, as lower-case hex. */
void ecms__sha256_hex(const void *data, size_t len, char out[65]);

/* Fetch a document (caller frees *data); ECMS_ENOTFOUND. */
int ecms__doc_get(ecms *h, const char *sha, void **data, size_t *len) ECMS_WUR;

#endif
