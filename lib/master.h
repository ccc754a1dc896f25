/*
 * master.h (internal): the table of importable kinds and of master-data
 * kinds, which the modules (part.c, supplier.c, location.c, user.c, and
 * later ones) each contribute one entry to.
 */
#ifndef ECMS_LIB_MASTER_H
#define ECMS_LIB_MASTER_H

#include "ecms/master.h"
#include "record.h"
#include "store/store.h"

struct ecms__importer {
	const char *kind; /* "parts" */
	const struct ecms__rspec *spec;
	/*
	 * Apply all records inside the open transaction. Problems are added
	 * to errs with their line; return ECMS_EINVAL after collecting them
	 * all (the caller rolls back), or another rc for a store failure.
	 * Count created/updated/unchanged into rep.
	 */
	int (*apply)(ecms *h, const struct ecms__rec *recs, int n, const char *fname,
		     struct ecms__errlist *errs, ecms_import_report *rep);
};

struct ecms__mdkind {
	const char *kind; /* "part" */
	int (*get)(ecms *h, const char *id, json_t **out);
	int (*list)(ecms *h, const char *filter, json_t **out);
};

extern const struct ecms__importer ecms__import_parts, ecms__import_suppliers,
	ecms__import_locations, ecms__import_users, ecms__import_po;

/*
 * For a restricted part, check the actor may `action` it (warehouse.c).
 * A refusal is logged in a transaction of its own, so call it before
 * opening the transaction that would do the work: ECMS_EDENIED.
 */
int ecms__restricted_check(ecms *h, const char *uid, const char *action) ECMS_WUR;

/* Split a refdes list "C1, C2 C5-C7;R3" (separators: comma, space, ';',
 * tab) into designators, expanding ranges like C1-C4 (bom.c), appended to
 * out as strings. false with the reason in why[n] on a bad token. */
bool ecms__refdes_expand(const char *text, json_t *out, char *why, size_t n);

/* Recompute a PO's status from its lines (po.c). */
int ecms__po_refresh(ecms *h, const char *po, int64_t seq) ECMS_WUR;
extern const struct ecms__mdkind ecms__md_part, ecms__md_manufacturer, ecms__md_supplier,
	ecms__md_location, ecms__md_user;

/* Whether role is one of the user roles (user.c, ECMS_ROLES). */
bool ecms__role_valid(const char *role);

/* Ensure a manufacturer exists (creating it with its event). */
int ecms__manufacturer_ensure(ecms *h, const char *name) ECMS_WUR;

/* Compare a stored record with an imported one: true if they are the
 * same (so no event is needed). Both are JSON objects. */
bool ecms__record_same(const json_t *stored, const json_t *rec);

/* Build a JSON value from a column of the current row: text, integer,
 * real or null. kind: 't', 'i', 'd', 'B' (0/1 as boolean). */
json_t *ecms__col_json(ecms__stmt *st, int col, char kind);

/* A projection column: its name (= the record field) and JSON kind. */
struct ecms__col {
	const char *name;
	char kind; /* 't' text, 'i' integer, 'd' real, 'B' boolean */
};

/* The current row's columns [0, n) as a JSON object. */
json_t *ecms__row_object(ecms__stmt *st, const struct ecms__col *cols, int n);

/* Bind rec's fields for cols [0, n) to parameters 1..n of st. */
int ecms__bind_record(ecms *h, ecms__stmt *st, const json_t *rec, const struct ecms__col *cols,
		      int n) ECMS_WUR;

/*
 * Run sql (a SELECT of cols, with the given single text parameter, or none
 * when param is NULL) and collect the rows: as one object into *out for
 * a get (ECMS_ENOTFOUND when no row), or as an array for a list.
 */
int ecms__select_one(ecms *h, const char *sql, const char *param, const struct ecms__col *cols,
		     int n, json_t **out) ECMS_WUR;
int ecms__select_all(ecms *h, const char *sql, const char *param, const struct ecms__col *cols,
		     int n, json_t **out) ECMS_WUR;

/* Upsert outcome bookkeeping shared by importers: look up the stored
 * record by get(), compare, and on a difference run write() and append
 * the event "<type>.created" or "<type>.updated" with rec as payload. */
int ecms__upsert_record(ecms *h, const char *type, const char *id, const json_t *rec,
			int (*get)(ecms *h, const char *id, json_t **out),
			int (*write)(ecms *h, const json_t *rec, int64_t seq),
			ecms_import_report *rep) ECMS_WUR;

/* ECMS_OK when user's role is one of roles (NULL-terminated), else
 * ECMS_EDENIED "<user> (role R) may not <what>"; an unknown user is the
 * error ecms_auth_role gives. */
int ecms__require_role(ecms *h, const char *user, const char *const *roles,
		       const char *what) ECMS_WUR;

#endif
