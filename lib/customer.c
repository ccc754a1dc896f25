/*
 * customer.c: the owner of an object, for the customer portal (customer.h).
 * One query per kind of customer-owned object; a new kind (boards, birth
 * certificates, recalls) is one more row in owners[].
 */
#include <string.h>

#include "ecms/customer.h"
#include "ecms_int.h"
#include "store/store.h"

static const struct {
	const char *kind;
	const char *sql; /* one parameter (the ID); one text column (the customer) */
} owners[] = {
	{ "work_order", "SELECT customer FROM work_orders WHERE id = ?" },
	/* A board is its work order's customer's (none when the line named a
	 * work order ecms does not know). */
	{ "board", "SELECT w.customer FROM boards b LEFT JOIN work_orders w ON w.id = b.work_order "
		   "WHERE b.serial = ?" },
};

int
ecms_owner_of(ecms *h, const char *kind, const char *id, char **customer)
{
	ecms__stmt *st;
	int rc;

	*customer = NULL;
	for (size_t i = 0; i < ECMS_ARRAY_LEN(owners); i++) {
		if (strcmp(owners[i].kind, kind) != 0)
			continue;
		if ((rc = ecms__q(h, &st, owners[i].sql, "t", id)))
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			const char *c = ecms__col_text(st, 0);
			rc = ECMS_OK;
			if (c && (*customer = ecms__strdup(c)) == NULL)
				rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		} else if (rc == ECMS__DONE) {
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, kind, "no %s '%s'", kind, id);
		}
		ecms__done(h, st);
		return rc;
	}
	return ecms__ctxfail(h, ECMS_EINVAL, "kind", "no owner lookup for objects of kind '%s'",
			     kind);
}
