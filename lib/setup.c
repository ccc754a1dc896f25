/*
 * setup.c: the active program of each machine (changeovers) and the
 * feeder setup interlock: GO / NO-GO for a reel on a slot, the loads,
 * splices and unloads that pass it, the refusals that do not, and the
 * check of a whole live setup against its program.
 *
 * The decision (ecms_setup_verify) only reads, through prepared
 * statements, and keeps its temporaries on the stack: the active program,
 * its latest slot map (gen_programs, parsed in a stack arena), the
 * package and its part, its shelf-life end, its floor life (MSL > 1
 * only), its open mounts, and BOM alternates only when the part differs.
 * The effects go through the genealogy store (ecms_gen_load/splice/unload:
 * one event each, with the actor and time).
 */
#include <stdio.h>
#include <string.h>

#include "ecms/genealogy.h"
#include "ecms/msdstore.h"
#include "ecms/setup.h"
#include "ecms/warehouse.h"
#include "event.h"
#include "genealogy_int.h"
#include "master.h"
#include "warehouse_int.h"

#define NAME_SZ (ECMS_SETUP_NAME_MAX + 1)

/* ------------------------------------------------------------------
 * Reason codes
 * ------------------------------------------------------------------ */

static const struct {
	const char *code;
	bool go;
	const char *meaning;
} codes[] = {
	{ "ok", true, "the package is the part the active program wants on the slot" },
	{ "alternate", true,
	  "the package is an approved BOM alternate for every refdes of the slot" },
	{ "already_loaded", true, "the package is on that slot already: nothing to do" },
	{ "unknown_machine", false, "no such machine (no machine location, no program)" },
	{ "no_program", false, "the machine has no active program: do the changeover first" },
	{ "slot_not_in_program", false, "the active program does not use the slot" },
	{ "slot_empty", false, "splice: nothing runs on the slot (load instead)" },
	{ "bad_scan", false, "the scan is not a valid UID (check character, format)" },
	{ "not_a_package", false, "the scan names a location, not a package" },
	{ "unknown_package", false, "no such package in ecms" },
	{ "ambiguous_label", false, "a supplier label received on several packages" },
	{ "no_part", false, "the package has no part number to verify" },
	{ "wrong_part", false, "the package is not the part the program wants (nor an alternate)" },
	{ "splice_part_differs", false,
	  "splice: the new reel is another part than the running one" },
	{ "quarantined", false, "the package is in quarantine: not released" },
	{ "rejected", false, "the package was rejected by incoming inspection" },
	{ "on_hold", false, "the package is on hold (a hold or a recall)" },
	{ "consumed", false, "the package is used up" },
	{ "scrapped", false, "the package was scrapped" },
	{ "not_released", false, "the package has another status than available" },
	{ "expired", false, "the package is past its shelf life" },
	{ "msd_expired", false, "moisture-sensitive: floor life expired (bake required)" },
	{ "msd_bake_required", false, "moisture-sensitive: a bake is required before use" },
	{ "msd_baking", false, "moisture-sensitive: the package is in the oven" },
	{ "loaded_elsewhere", false, "the package is loaded on another slot or machine" },
};

json_t *
ecms_setup_codes(void)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < ECMS_ARRAY_LEN(codes); i++)
		if (json_array_append_new(a, json_pack("{s:s,s:b,s:s}", "code", codes[i].code, "go",
						       codes[i].go, "meaning", codes[i].meaning))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static void go(struct ecms_setup_verdict *v, const char *code, const char *fmt, ...)
	ECMS_PRINTF(3, 4);
static void
go(struct ecms_setup_verdict *v, const char *code, const char *fmt, ...)
{
	va_list ap;

	v->go = true;
	v->code = code;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
}

static void nogo(struct ecms_setup_verdict *v, const char *code, const char *fmt, ...)
	ECMS_PRINTF(3, 4);
static void
nogo(struct ecms_setup_verdict *v, const char *code, const char *fmt, ...)
{
	va_list ap;

	v->go = false;
	v->code = code;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------
 * Reading: machine, active program, program slot, package
 * ------------------------------------------------------------------ */

/* Whether a machine is known: a location of kind machine, or a machine
 * of the genealogy store (it has a program or a setup). */
static int
machine_known(ecms *h, const char *machine, bool *known)
{
	int64_t one;
	int rc;

	*known = false;
	rc = ecms__query_int(h, &one, "SELECT 1 FROM gen_machines WHERE name = ?", "t", machine);
	if (rc == ECMS_ENOTFOUND)
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM locations WHERE id = ? AND kind = 'machine'",
				     "t", machine);
	if (rc == ECMS_OK)
		*known = true;
	return rc == ECMS_ENOTFOUND ? ECMS_OK : rc;
}

struct active {
	bool has, imported;
	char program[NAME_SZ], wo[NAME_SZ], product[NAME_SZ], rev[NAME_SZ], side[16];
	char actor[64];
	int64_t since_ms;
};

static int
active_get(ecms *h, const char *machine, struct active *a)
{
	ecms__stmt *st;
	int rc;

	memset(a, 0, sizeof(*a));
	rc = ecms__q(h, &st,
		     "SELECT a.program, a.work_order, a.since_ms, a.actor, p.product, p.rev, "
		     "p.side FROM setup_active a LEFT JOIN setup_programs p ON p.machine = "
		     "a.machine AND p.program = a.program WHERE a.machine = ?",
		     "t", machine);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		a->has = true;
		ecms__strlcpy(a->program, ecms__col_text(st, 0), sizeof(a->program));
		ecms__strlcpy(a->wo, ecms__col_null(st, 1) ? "" : ecms__col_text(st, 1),
			      sizeof(a->wo));
		a->since_ms = ecms__col_int(st, 2);
		ecms__strlcpy(a->actor, ecms__col_text(st, 3), sizeof(a->actor));
		a->imported = !ecms__col_null(st, 4);
		if (a->imported) {
			ecms__strlcpy(a->product, ecms__col_text(st, 4), sizeof(a->product));
			ecms__strlcpy(a->rev, ecms__col_text(st, 5), sizeof(a->rev));
			ecms__strlcpy(a->side, ecms__col_text(st, 6), sizeof(a->side));
		}
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc;
}

/* The line of a program map (gen_programs.map: "slot_no\tslot\tipn\trefdes
 * ...\n" per slot) for slot, with its length, or NULL. */
static const char *
map_line(const char *map, const char *slot, size_t *len)
{
	size_t sl = strlen(slot);

	for (const char *l = map; *l;) {
		const char *nl = strchr(l, '\n'), *t = strchr(l, '\t');
		if (nl == NULL)
			return NULL;
		if (t && t < nl && (size_t)(nl - t) > sl + 1 && strncmp(t + 1, slot, sl) == 0 &&
		    t[1 + sl] == '\t') {
			*len = (size_t)(nl - l) + 1;
			return l;
		}
		l = nl + 1;
	}
	return NULL;
}

/* The latest version of a machine's program, parsed into the arena: only
 * the line of only_slot when it is given and found (a decision needs no
 * more), else the whole map. ECMS_ENOTFOUND (not recorded) when there is
 * no such program. */
static int
prog_load(ecms *h, struct gen_arena *ar, const char *machine, const char *program,
	  const char *only_slot, struct gen_prog *p)
{
	ecms__stmt *st;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = ecms__q(h, &st,
		     "SELECT g.version, g.map FROM gen_programs g JOIN gen_machines m ON m.id = "
		     "g.machine_id WHERE m.name = ? AND g.name = ? ORDER BY g.version DESC "
		     "LIMIT 1",
		     "tt", machine, program);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *map = ecms__col_text(st, 1), *line = NULL;
		size_t len = 0;
		p->version = ecms__col_int(st, 0);
		if (map && only_slot)
			line = map_line(map, only_slot, &len);
		if (line)
			rc = ecms__gen_prog_parse(ar, line, len, p);
		else
			rc = map ? ecms__gen_prog_parse(ar, map, strlen(map), p) : ECMS_EINVAL;
		if (rc)
			rc = ecms__ctxfail(h, rc == ECMS_ENOMEM ? rc : ECMS_EINTERNAL, NULL,
					   "program '%s' of '%s': cannot read its map", program,
					   machine);
		p->name = program;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	return rc;
}

static const struct gen_pslot *
prog_slot(const struct gen_prog *p, const char *slot)
{
	for (size_t i = 0; i < p->nslots; i++)
		if (strcmp(p->slots[i].slot, slot) == 0)
			return &p->slots[i];
	return NULL;
}

/* The feeding package of a slot ("" when empty or unknown). */
static int
slot_running(ecms *h, const char *machine, const char *slot, char *uid, size_t n)
{
	ecms__stmt *st;
	int rc;

	uid[0] = '\0';
	rc = ecms__q(h, &st,
		     "SELECT s.state FROM gen_slots s JOIN gen_machines m ON m.id = s.machine_id "
		     "WHERE m.name = ? AND s.name = ?",
		     "tt", machine, slot);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *s = ecms__col_text(st, 0), *sp = strrchr(s, ' ');
		ecms__strlcpy(uid, sp ? sp + 1 : s, n);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc;
}

/* Whether ipn is, for every refdes of the slot, the BOM's part or an
 * approved alternate of it in product/rev. */
static int
alternate_ok(ecms *h, const struct active *a, const struct gen_pslot *ps, const char *ipn, bool *ok)
{
	*ok = false;
	if (!a->imported || ps->nrefdes == 0)
		return ECMS_OK;
	for (size_t i = 0; i < ps->nrefdes; i++) {
		int64_t one;
		int rc = ecms__query_int(
			h, &one,
			"SELECT 1 FROM bom_refdes b WHERE b.product = ? AND b.rev = ? AND "
			"b.refdes = ? AND (b.ipn = ? OR EXISTS (SELECT 1 FROM bom_alternates x "
			"WHERE x.product = b.product AND x.rev = b.rev AND x.ipn = b.ipn AND "
			"x.alt_ipn = ?))",
			"ttttt", a->product, a->rev, ps->refdes[i], ipn, ipn);
		if (rc == ECMS_ENOTFOUND)
			return ECMS_OK;
		if (rc)
			return rc;
	}
	*ok = true;
	return ECMS_OK;
}

static const char *
status_code(const char *status)
{
	static const char *const known[] = { "quarantined", "rejected", "on_hold", "consumed",
					     "scrapped" };

	for (size_t i = 0; i < ECMS_ARRAY_LEN(known); i++)
		if (strcmp(status, known[i]) == 0)
			return known[i];
	return "not_released";
}

/*
 * The checks on the package itself, for slot ps of the active program:
 * its part, status, shelf life, floor life. Leaves v GO ("ok" or
 * "alternate") or sets the NO-GO.
 */
static int
package_check(ecms *h, const struct active *a, const struct gen_pslot *ps, const char *uid,
	      int64_t now, struct ecms_setup_verdict *v)
{
	char msl[8] = "", t[ECMS_TIME_LEN];
	ecms__stmt *st;
	bool alt = false;
	int rc;

	rc = ecms__q(h, &st,
		     "SELECT p.status, p.ipn, t.msl FROM packages p LEFT JOIN parts t ON t.ipn = "
		     "p.ipn WHERE p.uid = ?",
		     "t", uid);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(v->status, ecms__col_text(st, 0), sizeof(v->status));
		ecms__strlcpy(v->package_ipn, ecms__col_null(st, 1) ? "" : ecms__col_text(st, 1),
			      sizeof(v->package_ipn));
		ecms__strlcpy(msl, ecms__col_null(st, 2) ? "" : ecms__col_text(st, 2), sizeof(msl));
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	if (rc == ECMS_ENOTFOUND) {
		nogo(v, "unknown_package", "%s is not a package ecms knows: do not load it", uid);
		return ECMS_OK;
	}
	if (rc)
		return rc;
	if (!v->package_ipn[0]) {
		nogo(v, "no_part", "%s has no part number: it cannot be verified", uid);
		return ECMS_OK;
	}
	if (strcmp(v->package_ipn, ps->ipn) != 0) {
		if ((rc = alternate_ok(h, a, ps, v->package_ipn, &alt)))
			return rc;
		if (!alt) {
			nogo(v, "wrong_part",
			     "wrong part: %s is %s, slot %s of program %s wants %s", uid,
			     v->package_ipn, ps->slot, v->program, ps->ipn);
			return ECMS_OK;
		}
	}
	if (strcmp(v->status, "available") != 0) {
		const char *code = status_code(v->status);
		if (!strcmp(code, "quarantined"))
			nogo(v, code, "%s is in quarantine: it has not been released", uid);
		else if (!strcmp(code, "rejected"))
			nogo(v, code, "%s was rejected by incoming inspection", uid);
		else if (!strcmp(code, "on_hold")) {
			/* Name the recall that holds it, if one does: what the
			 * operator tells quality. */
			if ((rc = ecms__q(
				     h, &st,
				     "SELECT r.id, r.lot FROM recall_packages p JOIN recalls r "
				     "ON r.id = p.recall WHERE p.uid = ? AND p.held = 1 ORDER "
				     "BY r.at_ms DESC, r.id DESC LIMIT 1",
				     "t", uid)))
				return rc;
			rc = ecms__step(h, st);
			if (rc == ECMS__ROW)
				nogo(v, code,
				     "%s is on hold: recall %s of lot %s: do not use it, tell "
				     "quality",
				     uid, ecms__col_text(st, 0), ecms__col_text(st, 1));
			else
				nogo(v, code, "%s is on hold: do not use it", uid);
			ecms__done(h, st);
			if (rc != ECMS__ROW && rc != ECMS__DONE)
				return rc;
		} else if (!strcmp(code, "consumed"))
			nogo(v, code, "%s is used up (consumed)", uid);
		else if (!strcmp(code, "scrapped"))
			nogo(v, code, "%s was scrapped", uid);
		else
			nogo(v, code, "%s is %s: only released packages may be loaded", uid,
			     v->status);
		return ECMS_OK;
	}
	if ((rc = ecms_package_expiry(h, uid, &v->expiry_ms)))
		return rc;
	if (v->expiry_ms <= now) {
		nogo(v, "expired", "%s is past its shelf life (ended %s)", uid,
		     ecms_time_format(v->expiry_ms, t));
		return ECMS_OK;
	}
	if (msl[0] && strcmp(msl, "1") != 0) {
		char why[300];
		bool usable = true;
		if ((rc = ecms_msd_usable(h, uid, now, &usable, why, sizeof(why))))
			return rc;
		if (!usable) {
			const char *code = !strncmp(why, "being baked", 11) ? "msd_baking"
					   : strstr(why, "expired")         ? "msd_expired"
									    : "msd_bake_required";
			nogo(v, code, "%s (MSL %s): %s", uid, msl, why);
			return ECMS_OK;
		}
	}
	if (alt)
		go(v, "alternate", "%s is %s, an approved alternate for %s on slot %s", uid,
		   v->package_ipn, ps->ipn, ps->slot);
	else
		go(v, "ok", "%s is %s, as program %s wants on slot %s", uid, v->package_ipn,
		   v->program, ps->slot);
	return ECMS_OK;
}

/* Where uid is mounted now, other than (machine, slot): into v->loaded_*.
 * *here: it is mounted on (machine, slot). */
static int
mounted(ecms *h, const char *uid, const char *machine, const char *slot,
	struct ecms_setup_verdict *v, bool *here)
{
	ecms__stmt *st;
	int rc;

	*here = false;
	rc = ecms__q(h, &st,
		     "SELECT m.name, s.name FROM gen_mounts g JOIN gen_machines m ON m.id = "
		     "g.machine_id JOIN gen_slots s ON s.machine_id = g.machine_id AND s.slot_no "
		     "= g.slot_no WHERE g.uid = ? AND g.to_epoch IS NULL ORDER BY m.name, s.name",
		     "t", uid);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *m = ecms__col_text(st, 0), *s = ecms__col_text(st, 1);
		if (!strcmp(m, machine) && !strcmp(s, slot))
			*here = true;
		else if (!v->loaded_machine[0]) {
			ecms__strlcpy(v->loaded_machine, m, sizeof(v->loaded_machine));
			ecms__strlcpy(v->loaded_slot, s, sizeof(v->loaded_slot));
		}
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

enum vop { V_LOAD, V_SPLICE };

static int
verify(ecms *h, enum vop op, const char *machine, const char *slot, const char *scan,
       struct ecms_setup_verdict *v)
{
	GEN_ARENA(ar);
	struct active a;
	struct gen_prog p;
	const struct gen_pslot *ps;
	char *uid = NULL, *loc = NULL;
	int64_t now = ecms_now(h);
	bool known, here;
	int rc;

	memset(v, 0, sizeof(*v));
	v->expiry_ms = INT64_MAX;
	if (!machine || !*machine || !slot || !*slot || !scan || !*scan)
		return ecms__ctxfail(h, ECMS_EUSAGE, "machine",
				     "the interlock needs a machine, a slot and a reel");
	ecms__strlcpy(v->machine, machine, sizeof(v->machine));
	ecms__strlcpy(v->slot, slot, sizeof(v->slot));
	if ((rc = active_get(h, machine, &a)))
		return rc;
	if (!a.has) {
		if ((rc = machine_known(h, machine, &known)))
			return rc;
		if (!known)
			nogo(v, "unknown_machine", "there is no machine '%s': check the machine ID",
			     machine);
		else
			nogo(v, "no_program",
			     "machine %s has no active program: do the changeover first (ecms "
			     "setup program)",
			     machine);
		return ECMS_OK;
	}
	ecms__strlcpy(v->program, a.program, sizeof(v->program));
	ecms__strlcpy(v->work_order, a.wo, sizeof(v->work_order));
	rc = prog_load(h, &ar, machine, a.program, slot, &p);
	if (rc == ECMS_ENOTFOUND)
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
				   "machine %s runs program %s, which it does not have", machine,
				   a.program);
	if (rc)
		goto out;
	v->program_version = p.version;
	ps = prog_slot(&p, slot);
	if (ps == NULL) {
		char list[200];
		size_t l = 0;
		list[0] = '\0';
		for (size_t i = 0; i < p.nslots && l < sizeof(list); i++) {
			int w = snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "",
					 i == 12 ? "..." : p.slots[i].slot);
			l += w > 0 ? (size_t)w : 0;
			if (i == 12)
				break;
		}
		nogo(v, "slot_not_in_program",
		     "slot %s is not used by program %s: check the slot (program slots: %s)", slot,
		     a.program, list);
		goto out;
	}
	ecms__strlcpy(v->expected_ipn, ps->ipn, sizeof(v->expected_ipn));
	if (op == V_SPLICE) {
		if ((rc = slot_running(h, machine, slot, v->running_uid, sizeof(v->running_uid))))
			goto out;
		if (!v->running_uid[0]) {
			nogo(v, "slot_empty",
			     "nothing runs on slot %s of %s: load the reel instead of splicing",
			     slot, machine);
			goto out;
		}
	}
	rc = ecms_scan_resolve(h, scan, strlen(scan), &uid, &loc);
	if (rc == ECMS_EINVAL || rc == ECMS_ENOTFOUND || rc == ECMS_EREFUSED) {
		const char *code = rc == ECMS_EINVAL     ? "bad_scan"
				   : rc == ECMS_EREFUSED ? "ambiguous_label"
							 : "unknown_package";
		nogo(v, code, "%s%s", ecms_errmsg(h),
		     rc == ECMS_ENOTFOUND ? ": ecms does not know this reel" : "");
		rc = ECMS_OK;
		goto out;
	}
	if (rc)
		goto out;
	if (uid == NULL) {
		nogo(v, "not_a_package", "'%s' is a location, not a reel: scan the reel's label",
		     loc);
		goto out;
	}
	ecms__strlcpy(v->uid, uid, sizeof(v->uid));
	if ((rc = package_check(h, &a, ps, uid, now, v)) || !v->go)
		goto out;
	if (op == V_SPLICE && strcmp(v->running_uid, uid) != 0) {
		char run_ipn[NAME_SZ] = "";
		ecms__stmt *st;
		if ((rc = ecms__q(h, &st, "SELECT ipn FROM packages WHERE uid = ?", "t",
				  v->running_uid)))
			goto out;
		if (ecms__step(h, st) == ECMS__ROW && !ecms__col_null(st, 0))
			ecms__strlcpy(run_ipn, ecms__col_text(st, 0), sizeof(run_ipn));
		ecms__done(h, st);
		if (run_ipn[0] && strcmp(run_ipn, v->package_ipn) != 0) {
			nogo(v, "splice_part_differs",
			     "%s is %s but the running reel %s is %s: a splice must continue the "
			     "same part (unload, then load)",
			     uid, v->package_ipn, v->running_uid, run_ipn);
			goto out;
		}
	}
	if ((rc = mounted(h, uid, machine, slot, v, &here)))
		goto out;
	if (v->loaded_machine[0]) {
		if (!strcmp(v->loaded_machine, machine))
			nogo(v, "loaded_elsewhere",
			     "%s is loaded on slot %s of %s already: unload it there first", uid,
			     v->loaded_slot, v->loaded_machine);
		else
			nogo(v, "loaded_elsewhere",
			     "%s is loaded on machine %s slot %s already: unload it there first",
			     uid, v->loaded_machine, v->loaded_slot);
		goto out;
	}
	/* On this slot already (for a splice: running, or the depleted side of
	 * a splice still in its grey zone): nothing to record. */
	if (here)
		go(v, "already_loaded", "%s is on slot %s of %s already", uid, slot, machine);
out:
	ecms__free(uid);
	ecms__free(loc);
	ecms__gen_arena_free(&ar);
	return rc;
}

int
ecms_setup_verify(ecms *h, const char *machine, const char *slot, const char *scan,
		  struct ecms_setup_verdict *out)
{
	return verify(h, V_LOAD, machine, slot, scan, out);
}

int
ecms_setup_verify_splice(ecms *h, const char *machine, const char *slot, const char *scan,
			 struct ecms_setup_verdict *out)
{
	return verify(h, V_SPLICE, machine, slot, scan, out);
}

/* ------------------------------------------------------------------
 * Effects
 * ------------------------------------------------------------------ */

static json_t *
str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *
ecms_setup_verdict_json(const struct ecms_setup_verdict *v)
{
	char t[ECMS_TIME_LEN];
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "decision", v->go ? "GO" : "NO-GO", "code",
			      v->code ? v->code : "", "message", v->message, "machine", v->machine,
			      "slot", v->slot);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "uid", str_or_null(v->uid));
	json_object_set_new(o, "program", str_or_null(v->program));
	json_object_set_new(o, "program_version",
			    v->program_version ? json_integer(v->program_version) : json_null());
	json_object_set_new(o, "work_order", str_or_null(v->work_order));
	json_object_set_new(o, "expected_ipn", str_or_null(v->expected_ipn));
	json_object_set_new(o, "package_ipn", str_or_null(v->package_ipn));
	json_object_set_new(o, "status", str_or_null(v->status));
	json_object_set_new(o, "expiry",
			    v->expiry_ms != INT64_MAX && v->expiry_ms != 0
				    ? json_string(ecms_time_format(v->expiry_ms, t))
				    : json_null());
	json_object_set_new(o, "loaded_on",
			    v->loaded_machine[0]
				    ? json_pack("{s:s,s:s}", "machine", v->loaded_machine, "slot",
						v->loaded_slot)
				    : json_null());
	json_object_set_new(o, "running_uid", str_or_null(v->running_uid));
	json_object_set_new(o, "recorded", json_boolean(v->recorded));
	return o;
}

/* Record a NO-GO: event and row, in a transaction of its own (or the
 * caller's), then ECMS_EREFUSED with the message on the handle. */
static int
refuse(ecms *h, const char *op, const char *scan, const struct ecms_setup_verdict *v)
{
	int64_t seq;
	json_t *ev;
	int rc;

	if ((rc = ecms__begin(h)))
		return rc;
	ev = ecms_setup_verdict_json(v);
	if (ev == NULL) {
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	} else {
		json_object_set_new(ev, "op", json_string(op));
		json_object_set_new(ev, "scan", json_string(scan));
		json_object_del(ev, "recorded");
		rc = ecms__event(h, "setup.refused", ev, &seq);
	}
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO setup_refusals (op, machine, slot, scan, uid, code, "
			"message, program, expected_ipn, package_ipn, actor, at_ms, seq) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"tttttttttttii", op, v->machine, v->slot, scan, v->uid[0] ? v->uid : NULL,
			v->code, v->message, v->program[0] ? v->program : NULL,
			v->expected_ipn[0] ? v->expected_ipn : NULL,
			v->package_ipn[0] ? v->package_ipn : NULL, ecms_actor(h), ecms_now(h), seq);
	if ((rc = ecms__end(h, rc)))
		return rc;
	return ecms__ctxfail(h, ECMS_EREFUSED, "uid", "NO-GO: %s", v->message);
}

/*
 * After a GO load or splice, in its transaction: the package moves onto
 * the machine (when the machine is an ecms location, so stock counts it
 * in production) and a restricted part's access log records who loaded
 * it, both stamped with the genealogy's setup event (the latest event).
 */
static int
onto_machine(ecms *h, const char *uid, const char *machine, const char *action)
{
	int64_t seq;
	int rc = ecms__query_int(h, &seq, "SELECT MAX(seq) FROM events", "");

	return rc ? rc : ecms__package_mounted(h, uid, machine, action, seq);
}

int
ecms_setup_load(ecms *h, const char *machine, const char *slot, const char *scan,
		struct ecms_setup_verdict *out)
{
	int rc = verify(h, V_LOAD, machine, slot, scan, out);

	if (rc)
		return rc;
	if (!out->go)
		return refuse(h, "load", scan, out);
	if (strcmp(out->code, "already_loaded") == 0)
		return ECMS_OK;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms_gen_load(h, machine, slot, out->uid, ecms_now(h));
	if (rc == ECMS_OK)
		rc = onto_machine(h, out->uid, machine, "load");
	if ((rc = ecms__end(h, rc)))
		return rc;
	out->recorded = true;
	return ECMS_OK;
}

int
ecms_setup_splice(ecms *h, const char *machine, const char *slot, const char *scan,
		  int64_t grey_zone_parts, struct ecms_setup_verdict *out)
{
	int rc;

	if (grey_zone_parts < 0 || grey_zone_parts > 1000000)
		return ecms__ctxfail(h, ECMS_EUSAGE, "grey",
				     "grey zone of %lld parts: expected 0 to 1000000",
				     (long long)grey_zone_parts);
	if ((rc = verify(h, V_SPLICE, machine, slot, scan, out)))
		return rc;
	if (!out->go)
		return refuse(h, "splice", scan, out);
	if (strcmp(out->code, "already_loaded") == 0)
		return ECMS_OK;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms_gen_splice(h, machine, slot, out->uid, ecms_now(h), grey_zone_parts);
	if (rc == ECMS_OK)
		rc = onto_machine(h, out->uid, machine, "splice");
	if ((rc = ecms__end(h, rc)))
		return rc;
	out->recorded = true;
	return ECMS_OK;
}

int
ecms_setup_unload(ecms *h, const char *machine, const char *slot, char **uid_out)
{
	char uid[NAME_SZ];
	int64_t one;
	int rc;

	if (uid_out)
		*uid_out = NULL;
	if (!machine || !*machine || !slot || !*slot)
		return ecms__ctxfail(h, ECMS_EUSAGE, "machine",
				     "unload needs a machine and a slot");
	rc = ecms__query_int(h, &one,
			     "SELECT 1 FROM gen_slots s JOIN gen_machines m ON m.id = s.machine_id "
			     "WHERE m.name = ? AND s.name = ?",
			     "tt", machine, slot);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "slot", "machine %s has no slot %s", machine, slot);
	if (rc || (rc = slot_running(h, machine, slot, uid, sizeof(uid))))
		return rc;
	if (!uid[0])
		return ecms__ctxfail(h, ECMS_EREFUSED, "slot",
				     "slot %s of %s holds no reel: nothing to unload", slot,
				     machine);
	if ((rc = ecms_gen_unload(h, machine, slot, ecms_now(h))))
		return rc;
	if (uid_out && (*uid_out = ecms__strdup(uid)) == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Changeover
 * ------------------------------------------------------------------ */

int
ecms_setup_activate(ecms *h, const char *machine, const char *program, const char *wo)
{
	GEN_ARENA(ar);
	struct gen_prog p;
	struct active cur;
	ecms__stmt *st;
	char product[NAME_SZ] = "", rev[NAME_SZ] = "";
	int64_t seq, now = ecms_now(h);
	int rc;

	if (!machine || !*machine || !program || !*program)
		return ecms__ctxfail(h, ECMS_EUSAGE, "program",
				     "a changeover needs a machine and a program");
	if (wo && !*wo)
		wo = NULL;
	rc = prog_load(h, &ar, machine, program, NULL, &p);
	ecms__gen_arena_free(&ar);
	if (rc == ECMS_ENOTFOUND) {
		bool known;
		if ((rc = machine_known(h, machine, &known)))
			return rc;
		if (!known)
			return ecms__ctxfail(h, ECMS_ENOTFOUND, "machine",
					     "there is no machine '%s'", machine);
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "program",
				     "machine %s has no program '%s': import it first (ecms "
				     "import program)",
				     machine, program);
	}
	if (rc || (rc = active_get(h, machine, &cur)))
		return rc;
	if (wo) {
		char wp[NAME_SZ] = "", wr[NAME_SZ] = "";
		rc = ecms__q(h, &st, "SELECT product, rev FROM work_orders WHERE id = ?", "t", wo);
		if (rc)
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			ecms__strlcpy(wp, ecms__col_text(st, 0), sizeof(wp));
			ecms__strlcpy(wr, ecms__col_text(st, 1), sizeof(wr));
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "wo", "no work order '%s'", wo);
		}
		ecms__done(h, st);
		if (rc)
			return rc;
		rc = ecms__q(h, &st,
			     "SELECT product, rev FROM setup_programs WHERE machine = ? AND "
			     "program = ?",
			     "tt", machine, program);
		if (rc)
			return rc;
		if (ecms__step(h, st) == ECMS__ROW) {
			ecms__strlcpy(product, ecms__col_text(st, 0), sizeof(product));
			ecms__strlcpy(rev, ecms__col_text(st, 1), sizeof(rev));
		}
		ecms__done(h, st);
		if (product[0] && (strcmp(product, wp) || strcmp(rev, wr)))
			return ecms__ctxfail(
				h, ECMS_EREFUSED, "wo",
				"work order %s builds %s rev %s, but program %s builds "
				"%s rev %s",
				wo, wp, wr, program, product, rev);
	}
	if (cur.has && !strcmp(cur.program, program) && !strcmp(cur.wo, wo ? wo : ""))
		return ECMS_OK;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(h, "setup.program",
			 json_pack("{s:s,s:s,s:I,s:s?,s:s?}", "machine", machine, "program",
				   program, "version", (json_int_t)p.version, "work_order", wo,
				   "previous", cur.has ? cur.program : NULL),
			 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO setup_active (machine, program, work_order, since_ms, "
				"actor, seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (machine) DO "
				"UPDATE SET program = excluded.program, work_order = "
				"excluded.work_order, since_ms = excluded.since_ms, actor = "
				"excluded.actor, seq = excluded.seq",
				"tttiti", machine, program, wo, now, ecms_actor(h), seq);
	return ecms__end(h, rc);
}

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

int
ecms_setup_check(ecms *h, const char *machine, json_t **out)
{
	GEN_ARENA(ar);
	struct active a;
	struct gen_prog p;
	ecms__stmt *st;
	json_t *states = json_object(), *slots = json_array(), *extra = json_array(), *o = NULL;
	int64_t now = ecms_now(h), n_ok = 0, n_missing = 0, n_wrong = 0, n_unusable = 0;
	bool known;
	int rc;

	*out = NULL;
	if (states == NULL || slots == NULL || extra == NULL) {
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (!machine || !*machine) {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "machine", "name a machine");
		goto out;
	}
	if ((rc = active_get(h, machine, &a)))
		goto out;
	if (!a.has) {
		if ((rc = machine_known(h, machine, &known)))
			goto out;
		rc = known ? ecms__ctxfail(h, ECMS_EREFUSED, "machine",
					   "machine %s has no active program: do the changeover "
					   "first (ecms setup program)",
					   machine)
			   : ecms__ctxfail(h, ECMS_ENOTFOUND, "machine", "there is no machine '%s'",
					   machine);
		goto out;
	}
	rc = prog_load(h, &ar, machine, a.program, NULL, &p);
	if (rc == ECMS_ENOTFOUND)
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "program %s vanished", a.program);
	if (rc)
		goto out;
	rc = ecms__q(h, &st,
		     "SELECT s.name, s.state FROM gen_slots s JOIN gen_machines m ON m.id = "
		     "s.machine_id WHERE m.name = ? ORDER BY s.slot_no",
		     "t", machine);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *s = ecms__col_text(st, 1), *sp = strrchr(s, ' ');
		if (*s)
			json_object_set_new(states, ecms__col_text(st, 0),
					    json_string(sp ? sp + 1 : s));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE && rc != ECMS_OK)
		goto out;
	rc = ECMS_OK;
	for (size_t i = 0; i < p.nslots && rc == ECMS_OK; i++) {
		const struct gen_pslot *ps = &p.slots[i];
		const char *uid = json_string_value(json_object_get(states, ps->slot));
		struct ecms_setup_verdict v;
		const char *state;
		memset(&v, 0, sizeof(v));
		ecms__strlcpy(v.program, a.program, sizeof(v.program));
		if (uid == NULL) {
			state = "missing";
			nogo(&v, "missing", "no reel on slot %s: load %s", ps->slot, ps->ipn);
			n_missing++;
		} else {
			if ((rc = package_check(h, &a, ps, uid, now, &v)))
				break;
			if (v.go) {
				state = v.code;
				n_ok++;
			} else if (!strcmp(v.code, "wrong_part") || !strcmp(v.code, "no_part")) {
				state = "wrong_part";
				n_wrong++;
			} else {
				state = "unusable";
				n_unusable++;
			}
		}
		if (json_array_append_new(
			    slots, json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "slot", ps->slot,
					     "expected_ipn", ps->ipn, "uid", str_or_null(uid),
					     "package_ipn", str_or_null(v.package_ipn), "state",
					     state, "code", v.code, "message", v.message)))
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		if (uid)
			json_object_del(states, ps->slot); /* what is left is extra */
	}
	if (rc)
		goto out;
	{
		const char *k;
		json_t *u;
		json_object_foreach(states, k, u)
			json_array_append_new(extra, json_pack("{s:s,s:O}", "slot", k, "uid", u));
	}
	o = json_pack("{s:s,s:s,s:I,s:o,s:b,s:{s:I,s:I,s:I,s:I},s:O,s:O}", "machine", machine,
		      "program", a.program, "version", (json_int_t)p.version, "work_order",
		      str_or_null(a.wo), "ok", n_missing + n_wrong + n_unusable == 0, "counts",
		      "ok", (json_int_t)n_ok, "missing", (json_int_t)n_missing, "wrong_part",
		      (json_int_t)n_wrong, "unusable", (json_int_t)n_unusable, "slots", slots,
		      "extra", extra);
	if (o == NULL)
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	*out = o;
out:
	ecms__gen_arena_free(&ar);
	json_decref(states);
	json_decref(slots);
	json_decref(extra);
	return rc;
}

int
ecms_setup_show(ecms *h, const char *machine, json_t **out)
{
	struct active a;
	json_t *o, *gen = NULL, *slots, *s;
	char line[NAME_SZ] = "", t[ECMS_TIME_LEN];
	ecms__stmt *st;
	bool known;
	size_t i;
	int rc;

	*out = NULL;
	if (!machine || !*machine)
		return ecms__ctxfail(h, ECMS_EUSAGE, "machine", "name a machine");
	if ((rc = machine_known(h, machine, &known)))
		return rc;
	if (!known)
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "machine", "there is no machine '%s'",
				     machine);
	if ((rc = active_get(h, machine, &a)))
		return rc;
	if ((rc = ecms__q(h, &st, "SELECT parent FROM locations WHERE id = ? AND kind = 'machine'",
			  "t", machine)))
		return rc;
	if (ecms__step(h, st) == ECMS__ROW && !ecms__col_null(st, 0))
		ecms__strlcpy(line, ecms__col_text(st, 0), sizeof(line));
	ecms__done(h, st);
	rc = ecms_gen_setup(h, machine, &gen);
	if (rc == ECMS_ENOTFOUND)
		rc = ECMS_OK;
	if (rc)
		return rc;
	slots = gen ? json_incref(json_object_get(gen, "slots")) : json_array();
	json_decref(gen);
	json_array_foreach(slots, i, s) {
		const char *uid = json_string_value(json_object_get(s, "uid"));
		char ipn[NAME_SZ] = "";
		if (uid) {
			if ((rc = ecms__q(h, &st, "SELECT ipn FROM packages WHERE uid = ?", "t",
					  uid)))
				break;
			if (ecms__step(h, st) == ECMS__ROW && !ecms__col_null(st, 0))
				ecms__strlcpy(ipn, ecms__col_text(st, 0), sizeof(ipn));
			ecms__done(h, st);
		}
		json_object_set_new(s, "ipn", str_or_null(ipn));
	}
	if (rc) {
		json_decref(slots);
		return rc;
	}
	o = json_pack("{s:s,s:o,s:o}", "machine", machine, "line", str_or_null(line), "slots",
		      slots);
	if (o == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (a.has) {
		GEN_ARENA(ar);
		struct gen_prog p;
		int64_t ver = 0;
		if (prog_load(h, &ar, machine, a.program, NULL, &p) == ECMS_OK)
			ver = p.version;
		ecms__gen_arena_free(&ar);
		json_object_set_new(o, "active",
				    json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:s,s:s}", "program",
					      a.program, "version", (json_int_t)ver, "product",
					      str_or_null(a.product), "rev", str_or_null(a.rev),
					      "side", str_or_null(a.side), "work_order",
					      str_or_null(a.wo), "since",
					      ecms_time_format(a.since_ms, t), "by", a.actor));
	} else {
		json_object_set_new(o, "active", json_null());
	}
	*out = o;
	return ECMS_OK;
}

int
ecms_setup_refusals(ecms *h, const char *machine, json_t **out)
{
	ecms__stmt *st;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (arr == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
#define REF_SELECT                                                                                 \
	"SELECT at_ms, op, machine, slot, scan, uid, code, message, program, expected_ipn, "       \
	"package_ipn, actor FROM setup_refusals "
	if (machine)
		rc = ecms__q(h, &st, REF_SELECT "WHERE machine = ? ORDER BY at_ms DESC, id DESC",
			     "t", machine);
	else
		rc = ecms__q(h, &st, REF_SELECT "ORDER BY at_ms DESC, id DESC", "");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		char t[ECMS_TIME_LEN];
		json_t *r = json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:s}", "time",
			ecms_time_format(ecms__col_int(st, 0), t), "op", ecms__col_text(st, 1),
			"machine", ecms__col_text(st, 2), "slot", ecms__col_text(st, 3), "scan",
			ecms__col_text(st, 4), "uid", str_or_null(ecms__col_text(st, 5)), "code",
			ecms__col_text(st, 6), "message", ecms__col_text(st, 7), "program",
			str_or_null(ecms__col_text(st, 8)), "expected_ipn",
			str_or_null(ecms__col_text(st, 9)), "package_ipn",
			str_or_null(ecms__col_text(st, 10)), "actor", ecms__col_text(st, 11));
		rc = r && json_array_append_new(arr, r) == 0
			     ? ECMS_OK
			     : ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ECMS_OK;
}
