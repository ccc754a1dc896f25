/*
 * ecms.h: the core public API of libecms: the handle, errors, time.
 *
 * Every capability of ecms lives in libecms; the `ecms` binary and
 * `ecms serve` are thin front ends over the functions declared in
 * include/ecms/. Conventions for every header in that folder:
 *
 *  - Functions that can fail return an int: ECMS_OK (0) or an ecms_rc.
 *    Results go through OUT parameters. The human-readable detail (what
 *    was wrong, where, what was expected) is kept on the handle and read
 *    with ecms_errmsg(); functions that need no handle take an
 *    ecms_error * instead (which may be NULL).
 *  - Ownership: _new/_free pairs allocate and release; _init/_cleanup
 *    work on caller-allocated structs; a char * returned through an OUT
 *    parameter is owned by the caller and freed with ecms_free().
 *    Pointers into a result struct live as long as the struct.
 *  - Times are UTC milliseconds since the Unix epoch (int64_t) and are
 *    printed as ISO 8601 with milliseconds and a 'Z'.
 */
#ifndef ECMS_ECMS_H
#define ECMS_ECMS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ECMS_VERSION "0.1.0"

#if defined(__GNUC__)
#define ECMS_WUR          __attribute__((warn_unused_result))
#define ECMS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ECMS_WUR
#define ECMS_PRINTF(f, a)
#endif

/*
 * One error type for the whole library. The comment gives the exit code
 * the CLI uses for it (0 ok, 1 refused by a rule, 2 usage, 3 bad data,
 * 4 internal); ecms_exit_code() is the one place that mapping lives.
 */
typedef enum ecms_rc {
	ECMS_OK = 0,
	ECMS_EUSAGE,    /* 2: a call or command line that makes no sense */
	ECMS_EINVAL,    /* 3: input data that does not parse or validate */
	ECMS_ENOTFOUND, /* 3: the named object does not exist */
	ECMS_EEXIST,    /* 3: the object exists already */
	ECMS_ESCHEMA,   /* 3: no database, or one older/newer than this binary */
	ECMS_EREFUSED,  /* 1: a business rule says no */
	ECMS_EDENIED,   /* 1: the actor's role may not do this */
	ECMS_EAUTH,     /* 1: authentication failed */
	ECMS_ETAMPER,   /* 1: the event log does not verify */
	ECMS_EBUSY,     /* 4: the store stayed locked past the timeout */
	ECMS_ESTORE,    /* 4: the store failed (native text in the message) */
	ECMS_EIO,       /* 4: reading or writing a file failed */
	ECMS_ENOMEM,    /* 4: out of memory */
	ECMS_ENOTBUILT, /* 4: a feature this build leaves out */
	ECMS_EINTERNAL, /* 4: an invariant broke: a bug */
	ECMS_RC_COUNT
} ecms_rc;

/* Short constant text for an rc ("bad data", "refused", ...). */
const char *ecms_strerror(int rc);

/* The CLI exit code for an rc (see ecms_rc). */
int ecms_exit_code(int rc);

/*
 * An error with its detail, for functions that work without a handle.
 * message: one sentence, e.g. "column 'msl': '7' is not an MSL level".
 * field: the input field at fault, or "" when none applies.
 */
#define ECMS_ERRMSG_MAX 1024
typedef struct ecms_error {
	int rc;
	char field[64];
	char message[ECMS_ERRMSG_MAX];
} ecms_error;

/* Reset an error to ECMS_OK with empty texts. err may be NULL. */
void ecms_error_clear(ecms_error *err);

/* Free memory the library handed to the caller (strings, buffers). */
void ecms_free(void *p);

/* ------------------------------------------------------------------
 * Time
 * ------------------------------------------------------------------ */

/* "2026-11-25T03:54:37.123Z" plus NUL. */
#define ECMS_TIME_LEN 25

/*
 * Parse an ISO 8601 date or date-time into UTC milliseconds.
 * Accepts YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff...]] with 'Z', a
 * +HH:MM/-HH:MM offset, or no zone (taken as UTC); a space may stand
 * for 'T'. Fractions beyond milliseconds are truncated.
 * Returns ECMS_OK or ECMS_EINVAL (err says what was expected).
 */
int ecms_time_parse(const char *s, int64_t *ms /* OUT */, ecms_error *err);

/* Format UTC ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf. Returns buf. */
char *ecms_time_format(int64_t ms, char buf[ECMS_TIME_LEN]);

/* Format UTC ms as "YYYY-MM-DD" into buf (at least 11 bytes). */
char *ecms_date_format(int64_t ms, char buf[11]);

/* The real clock, in UTC ms. */
int64_t ecms_clock_ms(void);

/* ------------------------------------------------------------------
 * The handle
 * ------------------------------------------------------------------ */

/* One connection to a store, with its actor, clock and last error. */
typedef struct ecms ecms;

enum {
	ECMS_OPEN_CREATE = 1 << 0,  /* create the database file if missing */
	ECMS_OPEN_NOSCHEMA = 1 << 1 /* do not check the schema version */
};

/*
 * Open a store. target is a SQLite file path, or a "postgresql://" URI
 * (needs a build with libpq). Unless ECMS_OPEN_NOSCHEMA, the schema must
 * be present and of this binary's version: a database newer than the
 * binary is refused (ECMS_ESCHEMA) with a message naming both versions.
 * On failure *out is still set when allocation succeeded, so the caller
 * can read ecms_errmsg(*out) before ecms_close(*out).
 */
int ecms_open(const char *target, unsigned flags, ecms **out /* OUT */) ECMS_WUR;

/* Close the store and free the handle. NULL is a no-op. */
void ecms_close(ecms *h);

/* The detail of the last error on this handle ("" after success). */
const char *ecms_errmsg(const ecms *h);

/* The field of the last error, or "". */
const char *ecms_errfield(const ecms *h);

/* The last error as a struct (valid until the next call on h). */
const ecms_error *ecms_lasterror(const ecms *h);

/*
 * Create the schema or bring it up to date (the migrations). Reports
 * through *from and *to the versions before and after (may be NULL).
 */
int ecms_init(ecms *h, int *from /* OUT */, int *to /* OUT */) ECMS_WUR;

/* The schema version this binary writes. */
int ecms_schema_version(void);

/*
 * Who acts and where: stamped on every event. user and station are
 * copied; NULL clears. The default actor is "system".
 */
int ecms_set_actor(ecms *h, const char *user, const char *station) ECMS_WUR;
const char *ecms_actor(const ecms *h);
const char *ecms_station(const ecms *h);

/*
 * Injectable "now". ms < 0 returns to the real clock. ecms_open() reads
 * the environment variable ECMS_NOW (ISO 8601) if set. With
 * ECMS_NOW_STEP_MS also set, each read of the clock advances it by that
 * many milliseconds, so replays keep distinct, ordered times.
 */
void ecms_set_now(ecms *h, int64_t ms);
int64_t ecms_now(ecms *h);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_ECMS_H */
