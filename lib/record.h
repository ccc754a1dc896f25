/*
 * record.h (internal): typed records read from CSV or JSON files, checked
 * against a field spec, for every `ecms import` kind.
 *
 * A file becomes an array of records, each a JSON object of canonical,
 * typed values (integers, reals, booleans, strings, null) plus the line
 * it came from. The same object is the payload of the event that records
 * it, so the event log holds exactly what was imported.
 */
#ifndef ECMS_RECORD_H
#define ECMS_RECORD_H

#include <jansson.h>

#include "ecms_int.h"

enum ecms__ftype {
	ECMS_F_TEXT,  /* any text, at most 500 characters */
	ECMS_F_ID,    /* 1-64 printable characters, no spaces, commas, quotes */
	ECMS_F_INT,   /* whole number in [min, max] */
	ECMS_F_REAL,  /* number in [min, max] */
	ECMS_F_BOOL,  /* yes/no, true/false, y/n, 1/0 */
	ECMS_F_ENUM,  /* one of choices (case-insensitive; stored as listed) */
	ECMS_F_DATE,  /* YYYY-MM-DD */
	ECMS_F_CUSTOM /* conv() decides */
};

struct ecms__field {
	const char *name;
	enum ecms__ftype type;
	bool required;
	const char *def;            /* default text when empty, or NULL */
	const char *const *choices; /* ECMS_F_ENUM, NULL-terminated */
	double min, max;            /* ECMS_F_INT / ECMS_F_REAL */
	/* ECMS_F_CUSTOM: convert text to a JSON value (new reference), or
	 * return NULL and write "is not ..." into why. */
	json_t *(*conv)(const char *text, char *why, size_t n);
	/* For ECMS_F_CUSTOM: a JSON array/object given directly in a JSON
	 * file is converted by this (may be NULL: then it is an error). */
	json_t *(*conv_json)(const json_t *v, char *why, size_t n);
};

struct ecms__rspec {
	const char *kind; /* "parts": for messages */
	const char *key;  /* the key field, unique within a file */
	const struct ecms__field *fields;
	/* Cross-field check of one converted record; on failure write the
	 * message into why, the field into *field, and return false. */
	bool (*check)(const json_t *rec, char *why, size_t n, const char **field);
};

struct ecms__rec {
	int line;
	json_t *obj;
};

/* Errors of a whole file, one "FILE:LINE: ..." line each, reported in
 * line order whatever order they were found in. */
struct ecms__errlist {
	struct {
		int line;
		char *text;
	} * v;
	int n;    /* errors found */
	int kept; /* errors kept (at most ECMS_ERRLIST_MAX) */
};
#define ECMS_ERRLIST_MAX 100

void ecms__errlist_init(struct ecms__errlist *e);
void ecms__errlist_cleanup(struct ecms__errlist *e);
/* Add one error found at line (0: none); fmt gives the whole text. */
void ecms__errlist_add(struct ecms__errlist *e, int line, const char *fmt, ...) ECMS_PRINTF(3, 4);
/* The errors as '\n'-terminated lines sorted by line; caller frees.
 * NULL when there are none (or on OOM). */
char *ecms__errlist_take(struct ecms__errlist *e);

/*
 * Read records from a file: JSON when the text starts with '[' (an array
 * of objects), CSV otherwise (a header line of field names). Unknown or
 * missing columns, bad values, failed checks and repeated keys are all
 * reported into errs, every one of them; the return is then ECMS_EINVAL.
 * On success *recs (n of them) is owned by the caller: ecms__recs_free.
 */
int ecms__records_read(const char *path, const struct ecms__rspec *spec, struct ecms__rec **recs,
		       int *n, struct ecms__errlist *errs, ecms_error *err) ECMS_WUR;

/* The same, from text already in memory (fname is for messages). */
int ecms__records_parse(const char *text, size_t len, const char *fname,
			const struct ecms__rspec *spec, struct ecms__rec **recs, int *n,
			struct ecms__errlist *errs, ecms_error *err) ECMS_WUR;

void ecms__recs_free(struct ecms__rec *recs, int n);

/*
 * Sort a JSON array (consumed) with cmp (qsort-style over json_t *const *)
 * and drop repeated elements. *dup (may be NULL) gets the first repeated
 * element (borrowed from the result), or NULL. Returns a new array, or
 * NULL on OOM.
 */
json_t *ecms__json_sorted(json_t *arr, int (*cmp)(const void *, const void *), json_t **dup);

/* Accessors for converted records (NULL / 0 / false when null). */
const char *ecms__rs(const json_t *rec, const char *key);
int64_t ecms__ri(const json_t *rec, const char *key);
bool ecms__rnull(const json_t *rec, const char *key);

#endif
