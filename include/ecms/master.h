/*
 * master.h: master data: parts (with their approved manufacturer list),
 * manufacturers, suppliers, locations and users; and `ecms import`.
 *
 * Objects are exchanged as JSON (jansson): a record's fields are those of
 * its import file (documented in docs/import-formats.md). Returned json_t
 * references belong to the caller (json_decref).
 */
#ifndef ECMS_MASTER_H
#define ECMS_MASTER_H

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The result of an import. */
typedef struct ecms_import_report {
	int records;   /* records in the file */
	int created;   /* new objects */
	int updated;   /* changed objects */
	int unchanged; /* identical to what was stored: no event */
	int nerrors;   /* errors found (all are reported, up to 100 lines) */
	char *errors;  /* "FILE:LINE: ..." lines, '\n'-terminated, or NULL */
} ecms_import_report;

void ecms_import_report_cleanup(ecms_import_report *rep);

/*
 * Import a CSV or JSON file of the given kind ("parts", "suppliers",
 * "locations", "users", and the kinds later modules add). All or
 * nothing: if any record is bad, every problem is listed in rep->errors,
 * nothing is written, and ECMS_EINVAL is returned. Otherwise every new or
 * changed record is written with its event in one transaction.
 */
int ecms_import(ecms *h, const char *kind, const char *path,
		ecms_import_report *rep /* OUT */) ECMS_WUR;

/*
 * The same, from text in memory (the body of an HTTP request): len bytes
 * of CSV or JSON; name stands for the file in messages ("body:3: ...").
 */
int ecms_import_text(ecms *h, const char *kind, const char *name, const char *text, size_t len,
		     ecms_import_report *rep /* OUT */) ECMS_WUR;

/* The kinds ecms_import accepts, NULL-terminated. */
const char *const *ecms_import_kinds(void);

/*
 * Master-data objects by kind: "part", "supplier", "location", "user",
 * "manufacturer". get: ECMS_ENOTFOUND when there is no such object.
 * list: a JSON array, ordered by ID. filter (may be NULL) narrows a list:
 * for parts a category, for locations a parent ID, for users a role.
 */
int ecms_md_get(ecms *h, const char *kind, const char *id, json_t **out) ECMS_WUR;
int ecms_md_list(ecms *h, const char *kind, const char *filter, json_t **out) ECMS_WUR;

/* Roles, in the order of increasing trust is not implied. */
#define ECMS_ROLES "admin, qa, warehouse, operator, viewer, customer"

#ifdef __cplusplus
}
#endif
#endif
