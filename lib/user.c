/*
 * user.c: users: ID, name, role, badge code.
 *
 * Import fields: id, name, role (admin, qa, warehouse, operator, viewer,
 * customer), badge (the code on the badge, unique), active (yes/no),
 * customer (the customer a 'customer' user is bound to: required for that
 * role, refused for the others).
 * Secrets (password or PIN hashes) are never imported.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ecms/auth.h"
#include "event.h"
#include "master.h"

static const char *const role_choices[] = { "admin",  "qa",       "warehouse", "operator",
					    "viewer", "customer", NULL };

/* A customer-portal user sees one customer's objects: it must name it;
 * staff are not bound to a customer. */
static bool
user_check(const json_t *rec, char *why, size_t n, const char **field)
{
	bool portal = strcmp(ecms__rs(rec, "role"), "customer") == 0;

	if (portal && ecms__rnull(rec, "customer")) {
		*field = "customer";
		snprintf(why, n, "is required for role 'customer' (the customer it may see)");
		return false;
	}
	if (!portal && !ecms__rnull(rec, "customer")) {
		*field = "customer";
		snprintf(why, n, "is only for role 'customer', not '%s'", ecms__rs(rec, "role"));
		return false;
	}
	return true;
}

static const struct ecms__field user_fields[] = {
	{ "id", ECMS_F_ID, true },
	{ "name", ECMS_F_TEXT, true },
	{ "role", ECMS_F_ENUM, true, NULL, role_choices },
	{ "badge", ECMS_F_ID, false },
	{ "active", ECMS_F_BOOL, false, "yes" },
	{ "customer", ECMS_F_TEXT, false },
	{ NULL },
};

static const struct ecms__rspec user_spec = { "users", "id", user_fields, user_check };

#define USER_COLS "id, name, role, badge, active, customer"
static const struct ecms__col user_cols[] = {
	{ "id", 't' },    { "name", 't' },   { "role", 't' },
	{ "badge", 't' }, { "active", 'B' }, { "customer", 't' },
};
#define NUSER_COLS ((int)ECMS_ARRAY_LEN(user_cols))

static int
user_get(ecms *h, const char *id, json_t **out)
{
	return ecms__select_one(h, "SELECT " USER_COLS " FROM users WHERE id = ?", id, user_cols,
				NUSER_COLS, out);
}

static int
user_list(ecms *h, const char *role, json_t **out)
{
	if (role)
		return ecms__select_all(h,
					"SELECT " USER_COLS " FROM users WHERE role = ? "
					"ORDER BY id",
					role, user_cols, NUSER_COLS, out);
	return ecms__select_all(h, "SELECT " USER_COLS " FROM users ORDER BY id", NULL, user_cols,
				NUSER_COLS, out);
}

static int
user_write(ecms *h, const json_t *rec, int64_t seq)
{
	ecms__stmt *st;
	json_t *s;
	int rc;

	rc = ecms__q(h, &st,
		     "INSERT INTO users (" USER_COLS ", updated_seq) VALUES "
		     "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
		     "name = excluded.name, role = excluded.role, badge = excluded.badge, "
		     "active = excluded.active, customer = excluded.customer, "
		     "updated_seq = excluded.updated_seq",
		     "");
	if (rc)
		return rc;
	rc = ecms__bind_record(h, st, rec, user_cols, NUSER_COLS);
	s = json_integer(seq);
	if (rc == ECMS_OK)
		rc = ecms__bind_json(h, st, NUSER_COLS + 1, s);
	json_decref(s);
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		rc = rc == ECMS__DONE ? ECMS_OK : rc;
	}
	ecms__done(h, st);
	if (rc == ECMS_EEXIST)
		rc = ecms__ctxfail(h, rc, "badge", "badge '%s' belongs to another user",
				   ecms__rs(rec, "badge"));
	return rc;
}

static int
users_apply(ecms *h, const struct ecms__rec *recs, int n, const char *fname,
	    struct ecms__errlist *errs, ecms_import_report *rep)
{
	for (int i = 0; i < n; i++) {
		int rc = ecms__upsert_record(h, "user", ecms__rs(recs[i].obj, "id"), recs[i].obj,
					     user_get, user_write, rep);
		if (rc) {
			ecms__errlist_add(errs, recs[i].line, "%s:%d: %s", fname, recs[i].line,
					  ecms_errmsg(h));
			return rc;
		}
	}
	return ECMS_OK;
}

bool
ecms__role_valid(const char *role)
{
	for (int i = 0; role_choices[i]; i++)
		if (strcmp(role_choices[i], role) == 0)
			return true;
	return false;
}

const struct ecms__importer ecms__import_users = { "users", &user_spec, users_apply };
const struct ecms__mdkind ecms__md_user = { "user", user_get, user_list };

int
ecms__require_role(ecms *h, const char *user, const char *const *roles, const char *what)
{
	char *role = NULL;
	int rc = ecms_auth_role(h, user, &role);
	bool ok = false;

	if (rc)
		return rc;
	for (int i = 0; roles[i]; i++)
		ok |= strcmp(role, roles[i]) == 0;
	if (!ok)
		rc = ecms__ctxfail(h, ECMS_EDENIED, "user", "%s (role %s) may not %s", user, role,
				   what);
	ecms__free(role);
	return rc;
}
