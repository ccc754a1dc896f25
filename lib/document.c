/*
 * document.c: content-addressed documents (CoCs, certificates, images).
 */
#include <string.h>

#include <sodium.h>

#include "document.h"

void
ecms__sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, data, len);
	ecms__hex(md, sizeof(md), out);
}

int
ecms__doc_put(ecms *h, const char *name, const void *data, size_t len, int64_t seq, char sha[65])
{
	ecms__sha256_hex(data, len, sha);
	return ecms__exec(h,
			  "INSERT INTO documents (sha256, name, size, content, created_seq) "
			  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
			  "ttibi", sha, name, (int64_t)len, data, len, seq);
}

int
ecms__doc_get(ecms *h, const char *sha, void **data, size_t *len)
{
	ecms__stmt *st;
	int rc;

	*data = NULL;
	*len = 0;
	if ((rc = ecms__q(h, &st, "SELECT content FROM documents WHERE sha256 = ?", "t", sha)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		size_t n;
		const void *p = ecms__col_blob(st, 0, &n);
		*data = ecms__malloc(n);
		if (*data == NULL) {
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		} else {
			if (n)
				memcpy(*data, p, n);
			*len = n;
			rc = ECMS_OK;
		}
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, NULL, "no document %s", sha);
	}
	ecms__done(h, st);
	return rc;
}
