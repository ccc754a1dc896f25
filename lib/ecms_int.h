/*
 * ecms_int.h: definitions shared by the files of libecms, not public.
 *
 * Memory policy: library code allocates only through ecms__malloc and
 * friends (alloc.c), checks every result and returns ECMS_ENOMEM; it
 * never aborts. Tests can make the Nth allocation fail. Raw malloc,
 * sprintf, strcpy, strtok and atoi are not used in lib/ (tools/checksrc).
 */
#ifndef ECMS_INT_H
#define ECMS_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ecms/ecms.h"

#define ECMS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------
 * alloc.c
 * ------------------------------------------------------------------ */
void *ecms__malloc(size_t n);
void *ecms__calloc(size_t n, size_t size);
void *ecms__realloc(void *p, size_t n);
char *ecms__strdup(const char *s);
char *ecms__strndup(const char *s, size_t n);
void ecms__free(void *p);

/* Make allocation number n (counting from 1) and every later one on the
 * calling thread fail (the counters are per thread);
 * 0 turns failure injection off. Returns the number of allocations
 * made since the last call. For tests only. */
long ecms__alloc_fail_after(long n);

/* ------------------------------------------------------------------
 * buf.c: a growable byte buffer with a hard size cap.
 * A failed append leaves the buffer as it was and returns ECMS_ENOMEM
 * (or ECMS_EINVAL when the cap would be passed). The data is always
 * NUL-terminated. _take hands the memory to the caller.
 * ------------------------------------------------------------------ */
typedef struct ecms_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len */
} ecms_buf;

#define ECMS_BUF_MAX_DEFAULT ((size_t)64 << 20)

void ecms__buf_init(ecms_buf *b, size_t max);
void ecms__buf_cleanup(ecms_buf *b);
void ecms__buf_reset(ecms_buf *b);
int ecms__buf_add(ecms_buf *b, const void *p, size_t n) ECMS_WUR;
int ecms__buf_adds(ecms_buf *b, const char *s) ECMS_WUR;
int ecms__buf_addc(ecms_buf *b, char c) ECMS_WUR;
int ecms__buf_printf(ecms_buf *b, const char *fmt, ...) ECMS_PRINTF(2, 3) ECMS_WUR;
int ecms__buf_vprintf(ecms_buf *b, const char *fmt, va_list ap) ECMS_WUR;
char *ecms__buf_take(ecms_buf *b); /* caller frees; NULL on OOM */

/* ------------------------------------------------------------------
 * error.c
 * ------------------------------------------------------------------ */

/* Record rc with a formatted message (and the field, may be NULL) on
 * err (may be NULL). Returns rc, so callers can `return ecms__fail(...)`. */
int ecms__fail(ecms_error *err, int rc, const char *field, const char *fmt, ...) ECMS_PRINTF(4, 5);
int ecms__vfail(ecms_error *err, int rc, const char *field, const char *fmt, va_list ap);

/* Prefix the message already in err with "prefix: ". */
void ecms__error_prefix(ecms_error *err, const char *fmt, ...) ECMS_PRINTF(2, 3);

/* ------------------------------------------------------------------
 * str.c: small string helpers.
 * ------------------------------------------------------------------ */

/* Copy src into dst of size n, always NUL-terminated. Returns strlen(src). */
size_t ecms__strlcpy(char *dst, const char *src, size_t n);

/* Parse a whole decimal integer in [min, max]; false if anything else. */
bool ecms__parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Parse a whole finite decimal number; false if anything else. */
bool ecms__parse_double(const char *s, double *out);

/* ASCII case-insensitive equality. */
bool ecms__streq_nocase(const char *a, const char *b);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void ecms__hex(const unsigned char *p, size_t n, char *out);

/* Read a whole file (at most max bytes) into *out (caller frees), its
 * length into *len. ECMS_EIO with the OS reason on failure. */
int ecms__read_file(const char *path, size_t max, char **out, size_t *len,
		    ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * time.c
 * ------------------------------------------------------------------ */

/* Days since 1970-01-01 for a civil date (proleptic Gregorian). */
int64_t ecms__days_from_civil(int64_t y, unsigned m, unsigned d);
void ecms__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
bool ecms__valid_date(int64_t y, unsigned m, unsigned d);
unsigned ecms__days_in_month(int64_t y, unsigned m);

#endif /* ECMS_INT_H */
