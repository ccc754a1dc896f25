/*
 * cfxingest.c: applying IPC-CFX messages to the store (cfxingest.h).
 *
 * Reading and validating the bytes is cfx.c's; this file decides what a
 * message means for ecms and calls the modules that keep it: the
 * genealogy (setup changes, board passes, exact records, rework), the
 * boards (route, status, flags), the MSD floor-life clock, and its own
 * tables (010_cfx.sql). Each message is one unit of work: its event
 * "cfx.message", its effects and its cfx_messages row commit together or
 * not at all.
 *
 * THE DISPATCH TABLE (cfx_dispatch below) maps each message kind to its
 * handler. The quality records (UnitsProcessed, UnitsInspected,
 * UnitsTested, UnitsRepaired) go to the quality module
 * (ecms_quality_apply_cfx); records for units no board is known for are
 * counted there and their envelope is kept in cfx_raw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "board.h"
#include "ecms/cfxingest.h"
#include "ecms/setup.h"
#include "ecms/genealogy.h"
#include "ecms/msdstore.h"
#include "ecms/quality.h"
#include "ecms/uid.h"
#include "event.h"
#include "master.h"

#define BATCH_DEFAULT 256
#define NOTE_MAX      2048

struct ingest {
	ecms *h;
	const char *origin;
	size_t batch;
	struct ecms_cfx_ingest_report cur; /* counts of the open batch */
	ecms_buf note;                     /* the current message's note */
	int64_t seq;                       /* the current message's event */
	int64_t received_ms;
	char machine[ECMS_GEN_NAME_MAX + 1]; /* machine_of()'s answer */
	bool keep_raw;                       /* keep the envelope in cfx_raw even though applied */
	int64_t first_ms, last_ms;           /* TimeStamps of the open batch */
	struct seen_pkg *pk;                 /* packages named in the open batch */
	size_t npk;
};

/* A package the open batch named: its cfx_packages row exists, and
 * last_ms is written once at the end of the batch (pkg_flush), not at
 * every MaterialsInstalled that names it (a reel feeds thousands). */
struct seen_pkg {
	char uid[ECMS_GEN_NAME_MAX + 1];
	int64_t last_ms; /* 0: slot free */
};
#define PK_SLOTS 1024 /* flushed when half full */

typedef int (*cfx_fn)(struct ingest *ig, const ecms_cfx_msg *m);

/* ------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------ */

static void add_note(struct ingest *ig, const char *fmt, ...) ECMS_PRINTF(2, 3);

static void
add_note(struct ingest *ig, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (ig->note.len >= NOTE_MAX)
		return;
	if (ig->note.len && ecms__buf_adds(&ig->note, "; "))
		return;
	va_start(ap, fmt);
	rc = ecms__buf_vprintf(&ig->note, fmt, ap);
	va_end(ap);
	(void)rc; /* notes are advisory: one that does not fit is left out */
}

static const char *
short_name(const char *name)
{
	const char *d = name ? strrchr(name, '.') : NULL;

	return d ? d + 1 : name ? name : "";
}

/* The machine of a message: its envelope Source. */
static int
machine_of(struct ingest *ig, const ecms_cfx_msg *m, const char **out)
{
	const char *last;
	int64_t one;
	int rc;

	if (!m->source || !*m->source)
		return ecms__ctxfail(ig->h, ECMS_EINVAL, "Source",
				     "envelope Source (the machine's CFX handle) is required for "
				     "%s",
				     short_name(m->name));
	*out = m->source;
	/* A handle Vendor.Model.Serial whose last part is a machine ecms
	 * knows (a location of kind machine, or a machine with a placement
	 * program) names that machine: sites set the handle's serial to the
	 * machine's ID. Any other handle is the machine's name as it is. */
	last = strrchr(m->source, '.');
	if (!last || !last[1] || strlen(last + 1) >= sizeof(ig->machine))
		return ECMS_OK;
	rc = ecms__query_int(ig->h, &one,
			     "SELECT 1 FROM locations WHERE id = ? AND kind = 'machine' UNION ALL "
			     "SELECT 1 FROM gen_machines g WHERE g.name = ? AND EXISTS (SELECT 1 "
			     "FROM gen_programs p WHERE p.machine_id = g.id)",
			     "tt", last + 1, last + 1);
	if (rc == ECMS_ENOTFOUND)
		return ECMS_OK;
	if (rc)
		return rc;
	ecms__strlcpy(ig->machine, last + 1, sizeof(ig->machine));
	*out = ig->machine;
	return ECMS_OK;
}

/* A package ID as ecms keeps it: an ecms UID in canonical form, anything
 * else as sent. */
static void
pkg_uid(const char *in, char *out, size_t n)
{
	uint64_t seq;
	ecms_error e;
	char canon[ECMS_UID_MAX];

	ecms_error_clear(&e);
	if (ecms_uid_looks_like(in) && ecms_uid_parse(in, &seq, &e) == ECMS_OK) {
		ecms_uid_format(seq, canon);
		ecms__strlcpy(out, canon, n);
	} else {
		ecms__strlcpy(out, in, n);
	}
}

/* Whether machine has a slot called name in ecms: a feeder-slot location,
 * or a slot of its placement programs or setup (gen_slots). */
static int
slot_known(struct ingest *ig, const char *machine, const char *name, bool *known)
{
	int64_t one;
	int rc;

	*known = false;
	if (!name || !*name)
		return ECMS_OK;
	rc = ecms__query_int(ig->h, &one,
			     "SELECT 1 FROM locations WHERE id = ? AND kind = 'feeder_slot' UNION "
			     "ALL SELECT 1 FROM gen_slots s JOIN gen_machines g ON g.id = "
			     "s.machine_id WHERE g.name = ? AND s.name = ?",
			     "ttt", name, machine, name);
	if (rc == ECMS_ENOTFOUND)
		return ECMS_OK;
	*known = rc == ECMS_OK;
	return rc;
}

/* The slot a MaterialLocation names on machine (see cfxingest.h): the
 * LocationName or LocationIdentifier that is a slot ecms knows (in that
 * order), else the LocationName, else the LocationIdentifier. */
static int
slot_of(struct ingest *ig, const char *machine, const ecms_cfx_location *loc, const char *field,
	char *out, size_t n)
{
	const char *s = loc->location_name ? loc->location_name : loc->location_id;
	bool by_name = false, by_id = false;
	int rc;

	if (loc->location_name && *loc->location_name && loc->location_id &&
	    strcmp(loc->location_name, loc->location_id) != 0) {
		if ((rc = slot_known(ig, machine, loc->location_name, &by_name)))
			return rc;
		if (!by_name && (rc = slot_known(ig, machine, loc->location_id, &by_id)))
			return rc;
		if (by_id)
			s = loc->location_id;
	}

	if (!s || !*s)
		return ecms__ctxfail(ig->h, ECMS_EINVAL, field,
				     "%s: neither LocationName nor LocationIdentifier names the "
				     "slot",
				     field);
	if (loc->carrier.json && loc->carrier.lane >= 2)
		snprintf(out, n, "%s:%d", s, loc->carrier.lane);
	else
		ecms__strlcpy(out, s, n);
	return ECMS_OK;
}

/* Refuse a setup change older than the machine's latest one. */
static int
setup_in_order(struct ingest *ig, const char *machine, const ecms_cfx_msg *m)
{
	int64_t cur;
	char b[ECMS_TIME_LEN];
	int rc = ecms__query_int(ig->h, &cur, "SELECT cur_ms FROM gen_machines WHERE name = ?", "t",
				 machine);

	if (rc == ECMS_ENOTFOUND)
		return ECMS_OK;
	if (rc)
		return rc;
	if (m->timestamp.ms < cur)
		return ecms__ctxfail(ig->h, ECMS_EINVAL, "TimeStamp",
				     "setup change at %s is older than the latest setup change "
				     "of %s (%s): a machine's setup changes must arrive in time "
				     "order",
				     m->timestamp.text, machine, ecms_time_format(cur, b));
	return ECMS_OK;
}

/* Whether ecms knows package uid; *ipn (may be NULL) gets its IPN. */
static int
package_known(ecms *h, const char *uid, bool *known, char *ipn, size_t n)
{
	ecms__stmt *st;
	int rc;

	*known = false;
	if (ipn)
		ipn[0] = '\0';
	if ((rc = ecms__q(h, &st, "SELECT ipn FROM packages WHERE uid = ?", "t", uid)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*known = true;
		if (ipn && ecms__col_text(st, 0))
			ecms__strlcpy(ipn, ecms__col_text(st, 0), n);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc;
}

static uint32_t
pk_hash(const char *s)
{
	uint32_t x = 2166136261u;

	while (*s)
		x = (x ^ (unsigned char)*s++) * 16777619u;
	return x;
}

/* The slot of uid in ig->pk: its own, or the free one it would take. */
static struct seen_pkg *
pk_slot(struct ingest *ig, const char *uid)
{
	size_t i = pk_hash(uid) & (PK_SLOTS - 1);

	while (ig->pk[i].last_ms && strcmp(ig->pk[i].uid, uid) != 0)
		i = (i + 1) & (PK_SLOTS - 1);
	return &ig->pk[i];
}

/* Write the open batch's last_ms of every package it named. */
static int
pkg_flush(struct ingest *ig)
{
	int rc = ECMS_OK;

	for (size_t i = 0; ig->npk && i < PK_SLOTS; i++) {
		if (ig->pk[i].last_ms && rc == ECMS_OK)
			rc = ecms__exec(ig->h,
					"UPDATE cfx_packages SET last_ms = ? WHERE uid = ? AND "
					"last_ms < ?",
					"iti", ig->pk[i].last_ms, ig->pk[i].uid, ig->pk[i].last_ms);
		ig->pk[i].last_ms = 0;
	}
	ig->npk = 0;
	return rc;
}

static void
pkg_forget(struct ingest *ig)
{
	if (ig->pk)
		memset(ig->pk, 0, PK_SLOTS * sizeof(*ig->pk));
	ig->npk = 0;
}

/* Remember that the batch named uid (whose row exists) at t_ms. */
static int
pkg_seen(struct ingest *ig, const char *uid, int64_t t_ms)
{
	struct seen_pkg *p;
	int rc;

	if (!ig->pk && !(ig->pk = ecms__calloc(PK_SLOTS, sizeof(*ig->pk))))
		return ECMS_ENOMEM;
	if (ig->npk >= PK_SLOTS / 2 && (rc = pkg_flush(ig)))
		return rc;
	p = pk_slot(ig, uid);
	if (!p->last_ms) {
		ecms__strlcpy(p->uid, uid, sizeof(p->uid));
		ig->npk++;
	}
	if (t_ms > p->last_ms || !p->last_ms)
		p->last_ms = t_ms > 0 ? t_ms : 1;
	return ECMS_OK;
}

/*
 * Make sure the line-known package uid has its cfx_packages row, flagged
 * when ecms does not know it (or its part, or knows another part). With
 * d (MaterialsInitialized, MSD messages) its CFX data is stored too.
 */
static int
note_package(struct ingest *ig, const char *uid, const char *ipn, double qty,
	     const ecms_cfx_package_detail *d, const ecms_cfx_msg *m)
{
	ecms *h = ig->h;
	int64_t one;
	bool known;
	char have_ipn[ECMS_GEN_NAME_MAX + 1], flags[128] = "";
	char *data = NULL;
	int rc;

	if (!d && ig->pk && pk_slot(ig, uid)->last_ms)
		return pkg_seen(ig, uid, m->timestamp.ms); /* the batch named it before */
	rc = ecms__query_int(h, &one, "SELECT 1 FROM cfx_packages WHERE uid = ?", "t", uid);
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	if (d && d->material_data && !(data = json_dumps(d->material_data, JSON_COMPACT)))
		return ECMS_ENOMEM;
	if (rc == ECMS_OK) {
		if (!d)
			return pkg_seen(ig, uid, m->timestamp.ms);
		rc = ecms__exec(
			h,
			"UPDATE cfx_packages SET ipn = COALESCE(?, ipn), mpn = COALESCE(?, mpn), "
			"manufacturer = COALESCE(?, manufacturer), vendor = COALESCE(?, vendor), "
			"lot = COALESCE(?, lot), quantity = COALESCE(?, quantity), "
			"status = COALESCE(?, status), "
			"msd_level = COALESCE(?, msd_level), msd_state = COALESCE(?, msd_state), "
			"data = COALESCE(?, data), last_ms = ?, seq = ? WHERE uid = ?",
			"tttttdttttiit", ipn, d->mpn, d->manufacturer, d->vendor, d->lot, qty,
			d->status, d->has_msd ? d->msd.level : NULL,
			d->has_msd ? d->msd.state : NULL, data, m->timestamp.ms, ig->seq, uid);
		ecms_free(data);
		return rc;
	}
	if ((rc = package_known(h, uid, &known, have_ipn, sizeof(have_ipn)))) {
		ecms_free(data);
		return rc;
	}
	if (!known) {
		ecms__strlcpy(flags, "unknown_package", sizeof(flags));
		ig->cur.flagged++;
		add_note(ig, "package %s unknown to ecms (recorded, flagged)", uid);
	} else if (ipn && have_ipn[0] && strcmp(ipn, have_ipn) != 0) {
		ecms__strlcpy(flags, "ipn_mismatch", sizeof(flags));
		ig->cur.flagged++;
		add_note(ig, "package %s: the line says IPN %s, ecms has %s", uid, ipn, have_ipn);
	}
	if (ipn && !known) {
		rc = ecms__query_int(h, &one, "SELECT 1 FROM parts WHERE ipn = ?", "t", ipn);
		if (rc == ECMS_ENOTFOUND) {
			size_t fl = strlen(flags);

			snprintf(flags + fl, sizeof(flags) - fl, "%sunknown_part", fl ? " " : "");
			rc = ECMS_OK;
		}
		if (rc) {
			ecms_free(data);
			return rc;
		}
	}
	rc = ecms__exec(h,
			"INSERT INTO cfx_packages (uid, ipn, mpn, manufacturer, vendor, lot, "
			"quantity, status, msd_level, msd_state, known, flags, first_source, "
			"first_ms, last_ms, data, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?, ?, ?, ?, ?)",
			"ttttttdtttittiiti", uid, ipn, d ? d->mpn : NULL,
			d ? d->manufacturer : NULL, d ? d->vendor : NULL, d ? d->lot : NULL, qty,
			d ? d->status : NULL, d && d->has_msd ? d->msd.level : NULL,
			d && d->has_msd ? d->msd.state : NULL, (int64_t)known, flags, m->source,
			m->timestamp.ms, m->timestamp.ms, data, ig->seq);
	ecms_free(data);
	return rc;
}

/* ------------------------------------------------------------------
 * Boards: CFX units to serials
 * ------------------------------------------------------------------ */

/*
 * The serial of CFX unit (unit_id, pos) (pos < 0: none). alone: the unit
 * is the only one of its UnitIdentifier in a message's list of units
 * (false for MaterialsInstalled items, which come one per refdes group).
 * own: besides, the UnitIdentifier is the board's own barcode: it differs
 * from the message's PrimaryIdentifier (the panel's), or the message names
 * several units each by its own identifier. The first answer is stored in
 * cfx_units and kept. *panel: the panel the board sits on, when the
 * message says (unit_id for a panel position, the PrimaryIdentifier for a
 * board with its own barcode), else NULL.
 */
static int
unit_serial(struct ingest *ig, const char *unit_id, int pos, bool alone, bool own,
	    const char *primary, char *out, size_t n, const char **panel)
{
	ecms *h = ig->h;
	ecms__stmt *st;
	int64_t p = pos < 0 ? -1 : pos, one;
	int rc;
	bool *is_panel, pnl = false;

	*panel = NULL;
	is_panel = &pnl;
	if (!unit_id || !*unit_id)
		return ecms__ctxfail(h, ECMS_EINVAL, "UnitIdentifier",
				     "a unit without "
				     "UnitIdentifier");
	if (primary && (!*primary || !strcmp(primary, unit_id)))
		primary = NULL;
	if ((rc = ecms__q(h, &st, "SELECT serial FROM cfx_units WHERE unit_id = ? AND position = ?",
			  "ti", unit_id, p)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(out, ecms__col_text(st, 0), n);
		if (p >= 0 && strcmp(out, unit_id) != 0)
			*panel = unit_id;
		else if (p >= 0)
			*panel = primary;
		ecms__done(h, st);
		return ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		return rc;
	out[0] = '\0';
	if (p >= 0 && (own || primary) && alone) {
		/* A board with its own barcode at position p of panel primary
		 * (unless ecms allocated a serial for unit_id's position p). */
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM boards WHERE panel = ? AND position = ?", "ti",
				     unit_id, p);
		if (rc == ECMS_ENOTFOUND) {
			ecms__strlcpy(out, unit_id, n);
			*panel = primary;
			rc = ECMS_OK;
		}
		if (rc)
			return rc;
	}
	if (p >= 0 && !out[0]) {
		if ((rc = ecms__q(h, &st,
				  "SELECT serial FROM boards WHERE panel = ? AND position = ?",
				  "ti", unit_id, p)))
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW)
			ecms__strlcpy(out, ecms__col_text(st, 0), n);
		ecms__done(h, st);
		if (rc != ECMS__ROW && rc != ECMS__DONE)
			return rc;
		if (out[0]) {
			*is_panel = true;
		} else if (p <= 1) {
			/* A single board: one ecms knows by this serial, or the
			 * only unit of its message that names no known panel. */
			bool single = false;

			rc = ecms__query_int(h, &one,
					     "SELECT 1 FROM boards WHERE serial = ? AND panel IS "
					     "NULL",
					     "t", unit_id);
			if (rc == ECMS_OK)
				single = true;
			else if (rc != ECMS_ENOTFOUND)
				return rc;
			if (!single && alone) {
				rc = ecms__query_int(h, &one,
						     "SELECT 1 FROM boards WHERE panel = ? LIMIT 1",
						     "t", unit_id);
				if (rc == ECMS_ENOTFOUND)
					single = true;
				else if (rc)
					return rc;
			}
			if (!single) {
				*is_panel = true;
				snprintf(out, n, "%s.%lld", unit_id, (long long)p);
			}
		} else {
			*is_panel = true;
			snprintf(out, n, "%s.%lld", unit_id, (long long)p);
		}
	}
	if (!out[0])
		ecms__strlcpy(out, unit_id, n);
	if (pnl)
		*panel = unit_id;
	if (strlen(out) > ECMS_BOARD_SERIAL_MAX)
		return ecms__ctxfail(h, ECMS_EINVAL, "UnitIdentifier",
				     "unit %s (position %lld) makes a serial longer than %d "
				     "characters",
				     unit_id, (long long)p, ECMS_BOARD_SERIAL_MAX);
	return ecms__exec(h, "INSERT INTO cfx_units (unit_id, position, serial) VALUES (?, ?, ?)",
			  "tit", unit_id, p, out);
}

/* Whether units[i] is the only unit of its UnitIdentifier in units. */
static bool
unit_alone(const ecms_cfx_unit *units, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i && units[j].unit_id && units[i].unit_id &&
		    strcmp(units[j].unit_id, units[i].unit_id) == 0)
			return false;
	return true;
}

/* Touch the board of a unit (creating it if new) with its panel/position
 * and work order (may be NULL). */
static int
touch_unit(struct ingest *ig, const char *serial, const char *panel, int pos, const char *wo,
	   int64_t t_ms)
{
	bool created = false;
	int64_t one;
	int rc = ecms__board_touch(ig->h, serial, wo, panel, panel && pos >= 0 ? pos : -1, t_ms,
				   ig->seq, &created);

	if (rc == ECMS_OK && created && wo) {
		rc = ecms__query_int(ig->h, &one, "SELECT 1 FROM work_orders WHERE id = ?", "t",
				     wo);
		if (rc == ECMS_ENOTFOUND) {
			ig->cur.flagged++;
			add_note(ig, "work order %s unknown to ecms (board %s flagged)", wo,
				 serial);
			rc = ECMS_OK;
		}
	}
	return rc;
}

/* A JSON detail text for a route step (NULL on OOM; caller frees). */
static char *
detail_text(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(j);
	return s;
}

/* A TimeStamp's text for cfx_transactions (start_text, end_text): as
 * sent, or "" when it says no more than the UTC ms beside it (our own
 * format, ecms_time_format), which is what most lines send. */
static const char *
time_as_sent(const ecms_cfx_time *t)
{
	char buf[ECMS_TIME_LEN];

	if (!t->text)
		return "";
	return strcmp(t->text, ecms_time_format(t->ms, buf)) == 0 ? "" : t->text;
}

/* A unit of a message, resolved to its board. */
struct unitref {
	char serial[ECMS_BOARD_SERIAL_MAX + 1];
	const char *unit_id; /* as the line named it (the serial for Hermes) */
	int pos;             /* -1: none */
	const char *status;  /* UnitPosition.Status, or NULL */
};

/*
 * The boards a message names, each touched (created if new) with work
 * order wo (may be NULL): its Units; else its PrimaryIdentifier; else
 * the boards an earlier message named with the same HermesIdentifier
 * (Hermes BoardId). Units seen with a HermesIdentifier are remembered
 * for that. *out (free with ecms__free) may be empty.
 */
static int
collect_units(struct ingest *ig, const ecms_cfx_msg *m, const ecms_cfx_units *u, const char *wo,
	      struct unitref **out, size_t *n)
{
	ecms *h = ig->h;
	struct unitref *r;
	size_t cap = u->n_units ? u->n_units : 1;
	int rc = ECMS_OK;

	*out = NULL;
	*n = 0;
	if (!(r = ecms__calloc(cap, sizeof(*r))))
		return ECMS_ENOMEM;
	for (size_t i = 0; rc == ECMS_OK && i < u->n_units; i++) {
		const ecms_cfx_unit *x = &u->units[i];
		const char *panel;

		r[i].unit_id = x->unit_id;
		r[i].pos = x->position < 0 ? -1 : x->position;
		r[i].status = x->status;
		rc = unit_serial(ig, x->unit_id, x->position, unit_alone(u->units, u->n_units, i),
				 u->n_units > 1, u->primary_id, r[i].serial, sizeof(r[i].serial),
				 &panel);
		if (rc == ECMS_OK)
			rc = touch_unit(ig, r[i].serial, panel, x->position, wo, m->timestamp.ms);
		if (rc == ECMS_OK && u->hermes_id && *u->hermes_id)
			rc = ecms__exec(h,
					"INSERT INTO cfx_hermes (hermes_id, serial) VALUES (?, ?) "
					"ON CONFLICT (hermes_id, serial) DO NOTHING",
					"tt", u->hermes_id, r[i].serial);
		*n = i + 1;
	}
	if (rc == ECMS_OK && u->n_units == 0 && u->primary_id) {
		const char *panel;

		r[0].unit_id = u->primary_id;
		r[0].pos = -1;
		rc = unit_serial(ig, u->primary_id, -1, true, false, NULL, r[0].serial,
				 sizeof(r[0].serial), &panel);
		if (rc == ECMS_OK)
			rc = touch_unit(ig, r[0].serial, NULL, -1, wo, m->timestamp.ms);
		if (rc == ECMS_OK && u->hermes_id && *u->hermes_id)
			rc = ecms__exec(h,
					"INSERT INTO cfx_hermes (hermes_id, serial) VALUES (?, ?) "
					"ON CONFLICT (hermes_id, serial) DO NOTHING",
					"tt", u->hermes_id, r[0].serial);
		*n = 1;
	} else if (rc == ECMS_OK && u->n_units == 0 && u->hermes_id && *u->hermes_id) {
		ecms__stmt *st;

		bool held;

		rc = ecms__q(h, &st,
			     "SELECT serial FROM cfx_hermes WHERE hermes_id = ? ORDER BY serial",
			     "t", u->hermes_id);
		held = rc == ECMS_OK;
		while (held && (rc = ecms__step(h, st)) == ECMS__ROW) {
			if (*n == cap) {
				struct unitref *nr = ecms__realloc(r, cap * 2 * sizeof(*nr));

				if (!nr) {
					rc = ECMS_ENOMEM;
					break;
				}
				r = nr;
				cap *= 2;
			}
			memset(&r[*n], 0, sizeof(r[*n]));
			ecms__strlcpy(r[*n].serial, ecms__col_text(st, 0), sizeof(r[*n].serial));
			r[*n].pos = -1;
			(*n)++;
		}
		if (held)
			ecms__done(h, st);
		if (rc == ECMS__DONE)
			rc = ECMS_OK;
		for (size_t i = 0; rc == ECMS_OK && i < *n; i++) {
			r[i].unit_id = r[i].serial;
			rc = ecms__board_touch(h, r[i].serial, wo, NULL, -1, m->timestamp.ms,
					       ig->seq, NULL);
		}
		if (rc == ECMS_OK && *n == 0)
			add_note(ig, "Hermes BoardId %s names no board seen before", u->hermes_id);
	}
	if (rc) {
		ecms__free(r);
		*n = 0;
		return rc;
	}
	*out = r;
	return ECMS_OK;
}

/* A route step for every board of a message; units and nunits (may be NULL)
 * get the boards (free with ecms__free). */
static int
units_step(struct ingest *ig, const ecms_cfx_msg *m, const char *station, const ecms_cfx_units *u,
	   const char *kind, const char *result, json_t *detail, struct unitref **units,
	   size_t *nunits)
{
	char *d = detail_text(detail);
	struct unitref *r = NULL;
	size_t n = 0;
	int rc;

	if (units)
		*units = NULL;
	if (detail && !d)
		return ECMS_ENOMEM;
	rc = collect_units(ig, m, u, NULL, &r, &n);
	for (size_t i = 0; rc == ECMS_OK && i < n; i++)
		rc = ecms__board_step(ig->h, r[i].serial, station, kind, result, NULL, d,
				      m->timestamp.ms, ig->seq);
	if (rc == ECMS_OK && n == 0)
		add_note(ig, "no unit named");
	ecms_free(d);
	if (rc == ECMS_OK && units) {
		*units = r;
		*nunits = n;
	} else {
		ecms__free(r);
	}
	return rc;
}

/* ------------------------------------------------------------------
 * Handlers: materials
 * ------------------------------------------------------------------ */

static int
on_initialized(struct ingest *ig, const ecms_cfx_msg *m)
{
	char uid[ECMS_GEN_NAME_MAX + 1];
	int rc = ECMS_OK;

	for (size_t i = 0; rc == ECMS_OK && i < m->u.materials.n_materials; i++) {
		const ecms_cfx_package_detail *d = &m->u.materials.materials[i];

		pkg_uid(d->pkg.uid, uid, sizeof(uid));
		rc = note_package(ig, uid, d->pkg.ipn, d->pkg.quantity, d, m);
	}
	return rc;
}

static int
on_loaded(struct ingest *ig, const ecms_cfx_msg *m)
{
	const char *machine = NULL;
	char slot[ECMS_GEN_NAME_MAX + 16], uid[ECMS_GEN_NAME_MAX + 1], field[64];
	int rc;

	if ((rc = machine_of(ig, m, &machine)) || (rc = setup_in_order(ig, machine, m)))
		return rc;
	for (size_t i = 0; rc == ECMS_OK && i < m->u.loaded.n_locations; i++) {
		const ecms_cfx_location *l = &m->u.loaded.locations[i];

		snprintf(field, sizeof(field), "MessageBody.Materials[%zu]", i);
		if (!l->has_package)
			continue; /* a carrier loaded without a package: no setup change */
		pkg_uid(l->package.uid, uid, sizeof(uid));
		if ((rc = slot_of(ig, machine, l, field, slot, sizeof(slot))) ||
		    (rc = note_package(ig, uid, l->package.ipn, l->package.quantity, NULL, m)))
			break;
		rc = ecms_gen_load(ig->h, machine, slot, uid, m->timestamp.ms);
	}
	return rc;
}

/*
 * Whether package uid feeds a slot now (it is the newest package of the
 * slot's state, as genealogy.c's find_feeding() reads gen_mounts and
 * gen_slots), and whether it is mounted at all (e.g. only the depleted
 * side of a splice in its grey zone). Asked before unloading because a
 * failed nested call would undo the whole message.
 */
static int
feeding(ecms *h, const char *uid, bool *feeds, bool *mounted)
{
	ecms__stmt *st;
	int rc;

	*feeds = *mounted = false;
	if ((rc = ecms__q(h, &st,
			  "SELECT s.state FROM gen_mounts m JOIN gen_slots s ON s.machine_id = "
			  "m.machine_id AND s.slot_no = m.slot_no WHERE m.uid = ? AND "
			  "m.to_epoch IS NULL",
			  "t", uid)))
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *state = ecms__col_text(st, 0), *last = strrchr(state, ' ');

		*mounted = true;
		if (strcmp(last ? last + 1 : state, uid) == 0)
			*feeds = true;
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/* Unload (or empty) package uid: it no longer feeds its slot. A package
 * ecms does not see mounted is noted, not refused: the end state is the
 * one the line reports. */
static int
unload_one(struct ingest *ig, const ecms_cfx_msg *m, const char *uid)
{
	bool feeds, mounted;
	int rc = feeding(ig->h, uid, &feeds, &mounted);

	if (rc)
		return rc;
	if (feeds)
		return ecms_gen_unload_uid(ig->h, uid, m->timestamp.ms);
	if (mounted)
		add_note(ig, "%s stays a candidate until its splice's grey zone is used", uid);
	else
		add_note(ig, "%s was not mounted", uid);
	return ECMS_OK;
}

static int
on_unloaded(struct ingest *ig, const ecms_cfx_msg *m)
{
	const char *machine = NULL;
	char uid[ECMS_GEN_NAME_MAX + 1];
	int rc;

	if ((rc = machine_of(ig, m, &machine)) || (rc = setup_in_order(ig, machine, m)))
		return rc;
	for (size_t i = 0; rc == ECMS_OK && i < m->u.unloaded.n_uids; i++) {
		pkg_uid(m->u.unloaded.uids[i], uid, sizeof(uid));
		rc = unload_one(ig, m, uid);
	}
	return rc;
}

static int
on_empty(struct ingest *ig, const ecms_cfx_msg *m)
{
	const char *machine = NULL;
	char uid[ECMS_GEN_NAME_MAX + 1];
	int rc;

	if ((rc = machine_of(ig, m, &machine)) || (rc = setup_in_order(ig, machine, m)))
		return rc;
	for (size_t i = 0; rc == ECMS_OK && i < m->u.empty.n_locations; i++) {
		const ecms_cfx_location *l = &m->u.empty.locations[i];

		pkg_uid(l->package.uid, uid, sizeof(uid));
		if ((rc = note_package(ig, uid, l->package.ipn, 0, NULL, m)))
			break;
		rc = ecms__exec(ig->h,
				"UPDATE cfx_packages SET status = 'Depleted', quantity = 0 WHERE "
				"uid = ?",
				"t", uid);
		if (rc == ECMS_OK)
			rc = unload_one(ig, m, uid);
	}
	return rc;
}

static int
on_splice(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_splice *s = &m->u.splice;
	const char *machine = NULL;
	char slot[ECMS_GEN_NAME_MAX + 16], olduid[ECMS_GEN_NAME_MAX + 1],
		newuid[ECMS_GEN_NAME_MAX + 1];
	int64_t grey = 0;
	int rc;

	if ((rc = machine_of(ig, m, &machine)) || (rc = setup_in_order(ig, machine, m)))
		return rc;
	if (s->depleted.package.grey_zone > grey)
		grey = s->depleted.package.grey_zone;
	if (s->newly_active.package.grey_zone > grey)
		grey = s->newly_active.package.grey_zone;
	pkg_uid(s->depleted.package.uid, olduid, sizeof(olduid));
	pkg_uid(s->newly_active.package.uid, newuid, sizeof(newuid));
	/* The splice joins the new tape to the running one: the slot is the
	 * depleted package's (the SDK example names another for the new one). */
	if ((rc = slot_of(ig, machine, &s->depleted, "MessageBody.DepletedMaterial", slot,
			  sizeof(slot))) ||
	    (rc = note_package(ig, olduid, s->depleted.package.ipn, s->depleted.package.quantity,
			       NULL, m)) ||
	    (rc = note_package(ig, newuid, s->newly_active.package.ipn,
			       s->newly_active.package.quantity, NULL, m)))
		return rc;
	return ecms_gen_splice(ig->h, machine, slot, newuid, m->timestamp.ms, grey);
}

/* The MSD messages: the floor-life clock, through the same entry point
 * as `ecms msd`. A package ecms does not know has no clock: recorded and
 * flagged. */
static int
on_msd(struct ingest *ig, const ecms_cfx_msg *m)
{
	char uid[ECMS_GEN_NAME_MAX + 1];
	int rc = ECMS_OK;

	for (size_t i = 0; rc == ECMS_OK && i < m->u.materials.n_materials; i++) {
		const ecms_cfx_package_detail *d = &m->u.materials.materials[i];
		bool known;

		pkg_uid(d->pkg.uid, uid, sizeof(uid));
		if ((rc = note_package(ig, uid, d->pkg.ipn, d->pkg.quantity, d, m)) ||
		    (rc = package_known(ig->h, uid, &known, NULL, 0)))
			break;
		if (!known) {
			add_note(ig, "%s: no floor-life clock (package unknown to ecms)", uid);
			continue;
		}
		rc = ecms_msd_from_cfx(ig->h, uid, m->name, m->timestamp.ms, -1);
	}
	return rc;
}

/* ------------------------------------------------------------------
 * Handlers: production
 * ------------------------------------------------------------------ */

static int
on_arrived(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_units *u = &m->u.arrived;
	const char *machine = NULL;
	int rc;

	if ((rc = machine_of(ig, m, &machine)))
		return rc;
	return units_step(
		ig, m, machine, u, m->kind == ECMS_CFX_UNITS_ARRIVED ? "arrived" : "departed", NULL,
		json_pack("{s:o,s:s?}", "lane", u->lane >= 0 ? json_integer(u->lane) : json_null(),
			  "hermes", u->hermes_id),
		NULL, NULL);
}

/*
 * Setup activation: the program (RecipeName) a machine starts running
 * for a work order becomes the machine's active program, so the setup
 * interlock checks the next loads against it. The line's record wins:
 * a work order ecms does not know activates the program without it, and
 * a program ecms has not imported (or one that builds another product
 * than the work order) is noted, not rejected; the pass is still kept.
 */
static int
cfx_setup_activate(struct ingest *ig, const char *machine, const char *program, const char *wo)
{
	int rc = ecms_setup_activate(ig->h, machine, program, wo);

	if (rc == ECMS_ENOTFOUND && wo && strcmp(ecms_errfield(ig->h), "wo") == 0) {
		rc = ecms_setup_activate(ig->h, machine, program, NULL);
		if (rc == ECMS_OK)
			add_note(ig, "work order %s unknown: program %s active on %s without it",
				 wo, program, machine);
	}
	if (rc == ECMS_ENOTFOUND || rc == ECMS_EREFUSED) {
		add_note(ig, "program %s not made active on %s: %s", program, machine,
			 ecms_errmsg(ig->h));
		rc = ECMS_OK;
	}
	return rc;
}

static int
on_work_started(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_units *u = &m->u.work_started;
	const char *machine = NULL;
	struct unitref *r = NULL;
	size_t nr = 0;
	int64_t one;
	bool one_unit;
	int rc;

	if ((rc = machine_of(ig, m, &machine)))
		return rc;
	rc = ecms__query_int(ig->h, &one, "SELECT 1 FROM cfx_transactions WHERE transaction_id = ?",
			     "t", u->transaction_id);
	if (rc == ECMS_OK)
		return ecms__ctxfail(ig->h, ECMS_EEXIST, "TransactionID",
				     "transaction %s was started already (by another message)",
				     u->transaction_id);
	if (rc != ECMS_ENOTFOUND)
		return rc;
	rc = collect_units(ig, m, u, u->work_order_id, &r, &nr);
	/* The usual case, one board named by its own serial, stays on the
	 * transaction's row (014_cfx_seen.sql); panels go to cfx_tx_units. */
	one_unit = rc == ECMS_OK && nr == 1 && strcmp(r[0].unit_id, r[0].serial) == 0;
	if (rc == ECMS_OK)
		rc = ecms__exec(
			ig->h,
			"INSERT INTO cfx_transactions (transaction_id, machine, program, revision, "
			"surface, work_order, batch, lane, hermes_id, start_ms, start_text, pass, "
			"seq, serial, unit_pos, unit_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?, 'open', ?, ?, ?, ?)",
			"tttttttitititit", u->transaction_id, machine, u->recipe, u->revision,
			u->surface, u->work_order_id, u->batch, (int64_t)u->lane, u->hermes_id,
			m->timestamp.ms, time_as_sent(&m->timestamp), ig->seq,
			one_unit ? r[0].serial : NULL, one_unit ? (int64_t)r[0].pos : (int64_t)-1,
			one_unit ? r[0].status : NULL);
	for (size_t i = 0; rc == ECMS_OK && i < nr; i++) {
		if (!one_unit)
			rc = ecms__exec(ig->h,
					"INSERT INTO cfx_tx_units (transaction_id, serial, "
					"unit_id, position, status, started) VALUES (?, ?, ?, ?, "
					"?, 1) ON CONFLICT (transaction_id, serial) DO NOTHING",
					"tttit", u->transaction_id, r[i].serial, r[i].unit_id,
					(int64_t)r[i].pos, r[i].status);
		if (rc == ECMS_OK)
			rc = ecms__board_work(ig->h, r[i].serial, m->timestamp.ms, ig->seq);
	}
	if (rc == ECMS_OK && nr == 0)
		add_note(ig, "no unit named: the boards come with WorkCompleted");
	ecms__free(r);
	if (rc == ECMS_OK && u->recipe)
		rc = cfx_setup_activate(ig, machine, u->recipe, u->work_order_id);
	if (rc == ECMS_OK && !u->recipe)
		add_note(ig, "no RecipeName: the program is unknown");
	return rc;
}

struct txrow {
	char machine[ECMS_GEN_NAME_MAX + 1];
	char program[ECMS_GEN_NAME_MAX + 1]; /* "" when none */
	char wo[ECMS_GEN_NAME_MAX + 1];      /* "" when none */
	int64_t start_ms;
	bool ended;
};

static int
tx_get(ecms *h, const char *tid, struct txrow *t)
{
	ecms__stmt *st;
	int rc;

	if ((rc = ecms__q(h, &st,
			  "SELECT machine, program, work_order, start_ms, end_ms FROM "
			  "cfx_transactions WHERE transaction_id = ?",
			  "t", tid)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *p = ecms__col_text(st, 1), *w = ecms__col_text(st, 2);

		ecms__strlcpy(t->machine, ecms__col_text(st, 0), sizeof(t->machine));
		ecms__strlcpy(t->program, p ? p : "", sizeof(t->program));
		ecms__strlcpy(t->wo, w ? w : "", sizeof(t->wo));
		t->start_ms = ecms__col_int(st, 3);
		t->ended = !ecms__col_null(st, 4);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	return rc;
}

static int
on_work_completed(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_units *u = &m->u.work_completed;
	struct txrow t;
	const char *result = u->result ? u->result : "Completed";
	const char *pass = "recorded";
	ecms__stmt *st;
	char **serials = NULL;
	size_t n = 0, cap = 0;
	int rc;

	rc = tx_get(ig->h, u->transaction_id, &t);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(ig->h, ECMS_ENOTFOUND, "TransactionID",
				     "WorkCompleted for transaction %s, which no WorkStarted "
				     "began",
				     u->transaction_id);
	if (rc)
		return rc;
	if (t.ended)
		return ecms__ctxfail(ig->h, ECMS_EEXIST, "TransactionID",
				     "transaction %s was completed already (by another message)",
				     u->transaction_id);
	if (m->timestamp.ms < t.start_ms)
		return ecms__ctxfail(ig->h, ECMS_EINVAL, "TimeStamp",
				     "WorkCompleted at %s is before its WorkStarted",
				     m->timestamp.text);
	/* Units unknown at the start come with the completion. */
	if (u->n_units || u->primary_id || u->hermes_id) {
		struct unitref *r = NULL;
		size_t nr = 0;

		rc = collect_units(ig, m, u, t.wo[0] ? t.wo : NULL, &r, &nr);
		for (size_t i = 0; rc == ECMS_OK && i < nr; i++)
			rc = ecms__exec(
				ig->h,
				"INSERT INTO cfx_tx_units (transaction_id, serial, unit_id, "
				"position, started) SELECT ?, ?, ?, ?, 0 WHERE NOT EXISTS "
				"(SELECT 1 FROM cfx_transactions WHERE transaction_id = ? AND "
				"serial = ?) ON CONFLICT (transaction_id, serial) DO NOTHING",
				"tttitt", u->transaction_id, r[i].serial, r[i].unit_id,
				(int64_t)r[i].pos, u->transaction_id, r[i].serial);
		ecms__free(r);
		if (rc)
			return rc;
	}
	if ((rc = ecms__q(ig->h, &st, "SELECT serial FROM cfx_tx_serials WHERE transaction_id = ?",
			  "t", u->transaction_id)))
		return rc;
	while ((rc = ecms__step(ig->h, st)) == ECMS__ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			char **ns = ecms__realloc(serials, nc * sizeof(*ns));

			if (!ns) {
				rc = ECMS_ENOMEM;
				break;
			}
			serials = ns;
			cap = nc;
		}
		if (!(serials[n] = ecms__strdup(ecms__col_text(st, 0)))) {
			rc = ECMS_ENOMEM;
			break;
		}
		n++;
	}
	ecms__done(ig->h, st);
	if (rc == ECMS__DONE)
		rc = ECMS_OK;
	if (rc == ECMS_OK && n == 0)
		add_note(ig, "transaction %s names no unit", u->transaction_id);
	if (rc == ECMS_OK && strcmp(result, "Skipped") == 0)
		pass = "skipped";
	else if (rc == ECMS_OK && !t.program[0])
		pass = "no_program";
	if (rc == ECMS_OK && strcmp(pass, "recorded") == 0) {
		/* The machine has no such program in ecms: keep the times
		 * (cfx_transactions), flag the boards. */
		int64_t one;

		rc = ecms__query_int(ig->h, &one,
				     "SELECT 1 FROM gen_programs p JOIN gen_machines g ON g.id = "
				     "p.machine_id WHERE g.name = ? AND p.name = ? LIMIT 1",
				     "tt", t.machine, t.program);
		if (rc == ECMS_ENOTFOUND) {
			pass = "no_program";
			rc = ECMS_OK;
		}
	}
	for (size_t i = 0; rc == ECMS_OK && i < n; i++) {
		if (strcmp(pass, "recorded") == 0)
			rc = ecms_gen_board_pass(ig->h, serials[i], t.wo[0] ? t.wo : NULL,
						 t.machine, t.program, t.start_ms, m->timestamp.ms);
		if (rc == ECMS_OK && strcmp(pass, "recorded") == 0)
			ig->cur.board_passes++;
		if (rc == ECMS_OK && strcmp(pass, "no_program") == 0) {
			rc = ecms__board_flag(ig->h, serials[i], "unknown_program", ig->seq);
			ig->cur.flagged++;
		}
		if (rc == ECMS_OK)
			rc = ecms__board_work(ig->h, serials[i], m->timestamp.ms, ig->seq);
	}
	if (rc == ECMS_OK && strcmp(pass, "no_program") == 0)
		add_note(ig,
			 "%s has no program '%s' in ecms: board passes not recorded "
			 "(boards flagged unknown_program)",
			 t.machine, t.program[0] ? t.program : "(none)");
	if (rc == ECMS_OK)
		rc = ecms__exec(ig->h,
				"UPDATE cfx_transactions SET end_ms = ?, end_text = ?, result = ?, "
				"pass = ? WHERE transaction_id = ?",
				"ittt"
				"t",
				m->timestamp.ms, time_as_sent(&m->timestamp), result, pass,
				u->transaction_id);
	for (size_t i = 0; i < n; i++)
		ecms__free(serials[i]);
	ecms__free(serials);
	return rc;
}

/* The serial of an InstalledMaterial's unit: through its transaction's
 * units first, then the unit map. */
static int
install_serial(struct ingest *ig, const char *tid, const ecms_cfx_install *it, int64_t t_ms,
	       char *out, size_t n)
{
	ecms__stmt *st;
	const char *panel;
	int rc;

	if (tid) {
		if ((rc = ecms__q(ig->h, &st,
				  "SELECT serial FROM cfx_tx_serials WHERE transaction_id = ? AND "
				  "unit_id = ? AND (position = ? OR ? < 0)",
				  "ttii", tid, it->unit_id, (int64_t)it->position,
				  (int64_t)it->position)))
			return rc;
		rc = ecms__step(ig->h, st);
		if (rc == ECMS__ROW)
			ecms__strlcpy(out, ecms__col_text(st, 0), n);
		ecms__done(ig->h, st);
		if (rc == ECMS__ROW)
			return ECMS_OK;
		if (rc != ECMS__DONE)
			return rc;
	}
	rc = unit_serial(ig, it->unit_id, it->position, false, false, NULL, out, n, &panel);
	if (rc == ECMS_OK)
		rc = touch_unit(ig, out, panel, it->position, NULL, t_ms);
	return rc;
}

/* A refdes taken off this board by MaterialsUninstalled and not yet
 * fitted again? Its reason into reason[n]. */
static int
pending_uninstall(ecms *h, const char *serial, const char *refdes, bool *pending, char *reason,
		  size_t n)
{
	ecms__stmt *st;
	int rc;

	*pending = false;
	if ((rc = ecms__q(h, &st,
			  "SELECT reason FROM cfx_uninstalled WHERE serial = ? AND refdes = ?",
			  "tt", serial, refdes)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*pending = true;
		ecms__strlcpy(reason, ecms__col_text(st, 0), n);
	}
	ecms__done(h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

static int
on_installed(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_installs *x = &m->u.installed;
	struct ecms_gen_install *recs = NULL;
	struct ecms_gen_install_report grep;
	const char **refs = NULL;
	char(*serials)[ECMS_BOARD_SERIAL_MAX + 1] = NULL;
	char(*uids)[ECMS_GEN_NAME_MAX + 1] = NULL;
	char machine[ECMS_GEN_NAME_MAX + 1];
	size_t nref = 0, nrec = 0, placed = 0;
	struct txrow t;
	bool any_off = false;
	int rc;

	rc = x->transaction_id ? tx_get(ig->h, x->transaction_id, &t) : ECMS_ENOTFOUND;
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	if (rc == ECMS_OK) {
		ecms__strlcpy(machine, t.machine, sizeof(machine));
	} else {
		const char *mm = NULL;

		if ((rc = machine_of(ig, m, &mm)))
			return rc;
		ecms__strlcpy(machine, mm, sizeof(machine));
		if (x->transaction_id)
			add_note(ig, "transaction %s unknown: machine from Source",
				 x->transaction_id);
	}
	for (size_t i = 0; i < x->n_items; i++)
		nref += x->items[i].n_components;
	recs = ecms__calloc(x->n_items ? x->n_items : 1, sizeof(*recs));
	refs = ecms__calloc(nref ? nref : 1, sizeof(*refs));
	serials = ecms__calloc(x->n_items ? x->n_items : 1, sizeof(*serials));
	uids = ecms__calloc(x->n_items ? x->n_items : 1, sizeof(*uids));
	if (!recs || !refs || !serials || !uids) {
		rc = ECMS_ENOMEM;
		goto out;
	}
	nref = 0;
	rc = ECMS_OK;
	for (size_t i = 0; rc == ECMS_OK && i < x->n_items; i++) {
		const ecms_cfx_install *it = &x->items[i];
		size_t first = nref;

		pkg_uid(it->material.uid, uids[i], sizeof(uids[i]));
		/* Items of one board come one per reel: resolve its unit once. */
		if (i > 0 && it->position == it[-1].position && it->unit_id && it[-1].unit_id &&
		    strcmp(it->unit_id, it[-1].unit_id) == 0)
			memcpy(serials[i], serials[i - 1], sizeof(serials[i]));
		else if ((rc = install_serial(ig, x->transaction_id, it, m->timestamp.ms,
					      serials[i], sizeof(serials[i]))))
			break;
		if ((rc = note_package(ig, uids[i], it->material.ipn, it->material.quantity, NULL,
				       m)))
			break;
		/* Refdes taken off this board wait in cfx_uninstalled; most
		 * boards have none, so ask once per board before per refdes. */
		if (rc == ECMS_OK && (i == 0 || strcmp(serials[i], serials[i - 1]) != 0)) {
			int64_t one;

			rc = ecms__query_int(
				ig->h, &one,
				"SELECT 1 FROM cfx_uninstalled WHERE serial = ? LIMIT 1", "t",
				serials[i]);
			any_off = rc == ECMS_OK;
			if (rc == ECMS_ENOTFOUND)
				rc = ECMS_OK;
		}
		for (size_t k = 0; rc == ECMS_OK && k < it->n_components; k++) {
			const char *r = it->components[k].refdes;
			char reason[256];
			bool pend = false;

			if (any_off)
				rc = pending_uninstall(ig->h, serials[i], r, &pend, reason,
						       sizeof(reason));
			if (rc == ECMS_OK && pend) {
				char why[320];

				snprintf(why, sizeof(why),
					 "CFX MaterialsUninstalled (%s), refitted", reason);
				rc = ecms_gen_rework(ig->h, serials[i], r, uids[i], m->source, why,
						     m->timestamp.ms);
				if (rc == ECMS_OK)
					rc = ecms__exec(
						ig->h,
						"DELETE FROM cfx_uninstalled WHERE serial = "
						"? AND refdes = ?",
						"tt", serials[i], r);
				placed++;
				continue;
			}
			refs[nref++] = r;
		}
		if (rc == ECMS_OK && nref > first) {
			recs[nrec].board = serials[i];
			recs[nrec].machine = machine;
			recs[nrec].uid = uids[i];
			recs[nrec].refdes = refs + first;
			recs[nrec].nrefdes = nref - first;
			nrec++;
		}
	}
	if (rc == ECMS_OK && nrec)
		rc = ecms_gen_installed(ig->h, recs, nrec, m->timestamp.ms, &grep);
	if (rc == ECMS_OK) {
		ig->cur.placements += nref + placed;
		if (nrec && grep.contradicted)
			add_note(ig, "%zu refdes contradict the setup timeline", grep.contradicted);
		if (nrec && grep.unplanned)
			add_note(ig, "%zu refdes not in the program", grep.unplanned);
	}
out:
	ecms__free(recs);
	ecms__free(refs);
	ecms__free(serials);
	ecms__free(uids);
	return rc;
}

static int
on_uninstalled(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_installs *x = &m->u.uninstalled;
	int rc = ECMS_OK;

	for (size_t i = 0; rc == ECMS_OK && i < x->n_items; i++) {
		const ecms_cfx_install *it = &x->items[i];
		char serial[ECMS_BOARD_SERIAL_MAX + 1], why[320];
		const char *reason = it->reason ? it->reason : "unspecified";

		if ((rc = install_serial(ig, x->transaction_id, it, m->timestamp.ms, serial,
					 sizeof(serial))))
			break;
		snprintf(why, sizeof(why), "CFX MaterialsUninstalled (%s)", reason);
		for (size_t k = 0; rc == ECMS_OK && k < it->n_components; k++) {
			const char *r = it->components[k].refdes;

			rc = ecms_gen_rework(ig->h, serial, r, NULL, m->source, why,
					     m->timestamp.ms);
			if (rc == ECMS_OK)
				rc = ecms__exec(
					ig->h,
					"INSERT INTO cfx_uninstalled (serial, refdes, reason, "
					"t_ms) VALUES (?, ?, ?, ?) ON CONFLICT (serial, "
					"refdes) DO UPDATE SET reason = excluded.reason, "
					"t_ms = excluded.t_ms",
					"ttti", serial, r, reason, m->timestamp.ms);
		}
	}
	return rc;
}

static int
on_disqualified(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_units *u = &m->u.disqualified;
	const char *machine = NULL, *reason = u->reason ? u->reason : "unspecified";
	struct unitref *r = NULL;
	size_t nr = 0;
	int rc;

	if ((rc = machine_of(ig, m, &machine)))
		return rc;
	rc = units_step(ig, m, machine, u, "disqualified", reason,
			json_pack("{s:s,s:s?}", "reason", reason, "comments", u->comments), &r,
			&nr);
	for (size_t i = 0; rc == ECMS_OK && i < nr; i++)
		rc = ecms__board_set_status(ig->h, r[i].serial, "scrapped", m->timestamp.ms,
					    ig->seq);
	ecms__free(r);
	return rc;
}

static int
on_fault(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_fault *f = &m->u.fault;
	const ecms_cfx_time *at = f->occurred_at.text ? &f->occurred_at : &m->timestamp;
	char slot[ECMS_GEN_NAME_MAX + 16] = "", uid[ECMS_GEN_NAME_MAX + 1] = "";
	const char *machine = m->source;
	int rc;

	/* The machine as every other message names it (a fault may come
	 * without a Source: then none). */
	if (m->source && *m->source && (rc = machine_of(ig, m, &machine)))
		return rc;
	if (f->has_location) {
		const char *s = f->location.location_name ? f->location.location_name
							  : f->location.location_id;
		if (s && (rc = slot_of(ig, machine ? machine : "", &f->location,
				       "MessageBody.Fault.MaterialLocation", slot, sizeof(slot))))
			return rc;
		if (f->location.has_package && f->location.package.uid)
			pkg_uid(f->location.package.uid, uid, sizeof(uid));
	}
	return ecms__exec(ig->h,
			  "INSERT INTO cfx_faults (unique_id, machine, code, cause, severity, "
			  "fault_type, designator, slot, uid, lane, occurred_ms, occurred_text, "
			  "description, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  "tttttttttiitti", m->unique_id, machine, f->code, f->cause, f->severity,
			  f->fault_type ? f->fault_type : f->type, f->designator,
			  slot[0] ? slot : NULL, uid[0] ? uid : NULL, (int64_t)f->lane, at->ms,
			  at->text, f->description, ig->seq);
}

/*
 * Quality records: UnitsProcessed, UnitsInspected, UnitsTested,
 * UnitsRepaired go to the quality module, in the message's transaction.
 */
static int
on_quality(struct ingest *ig, const ecms_cfx_msg *m)
{
	struct ecms_quality_cfx_report qr = { 0 };
	int rc = ecms_quality_apply_cfx(ig->h, m, NULL, 0, &qr);

	if (rc)
		return rc;
	/* Records for units no board is known for yet stay on file as sent,
	 * so nothing the line reported is lost. */
	if (qr.unassigned || qr.skipped) {
		ig->keep_raw = true;
		add_note(ig, "%zu record(s) for units ecms does not know: envelope kept",
			 qr.unassigned + qr.skipped);
	}
	return ECMS_OK;
}

/*
 * A board that passes functional test (UnitsTested, TestMethod FCT,
 * OverallResult Passed) has finished production: wip becomes completed,
 * so it can ship. This runs whatever handler keeps the test record (the
 * quality module's, on_quality). A failed test leaves the board in
 * WIP (it goes to repair and is tested again); boards not in WIP (planned,
 * scrapped, shipped, or unknown to ecms) are left as they are.
 */
static int
tested_completes(struct ingest *ig, const ecms_cfx_msg *m)
{
	const ecms_cfx_checks *t = &m->u.tested;
	int rc = ECMS_OK;

	if (!t->method || strcmp(t->method, "FCT") != 0)
		return ECMS_OK;
	for (size_t i = 0; rc == ECMS_OK && i < t->n_units; i++) {
		const ecms_cfx_checked_unit *x = &t->units[i];
		char serial[ECMS_BOARD_SERIAL_MAX + 1];
		const char *panel;

		if (!x->unit_id || !x->result || strcmp(x->result, "Passed") != 0)
			continue;
		rc = unit_serial(ig, x->unit_id, x->position, true, t->n_units > 1, NULL, serial,
				 sizeof(serial), &panel);
		if (rc == ECMS_OK)
			rc = ecms__exec(ig->h,
					"UPDATE boards SET status = 'completed', completed_ms = ?, "
					"updated_seq = ? WHERE serial = ? AND status = 'wip'",
					"iit", m->timestamp.ms, ig->seq, serial);
	}
	return rc;
}

/* ------------------------------------------------------------------
 * THE DISPATCH TABLE: message kind -> handler
 * ------------------------------------------------------------------ */

static const struct cfx_handler {
	ecms_cfx_kind kind;
	const char *status; /* cfx_messages.status: applied, deferred */
	cfx_fn fn;
} cfx_dispatch[] = {
	{ ECMS_CFX_MATERIALS_INITIALIZED, "applied", on_initialized },
	{ ECMS_CFX_MATERIALS_LOADED, "applied", on_loaded },
	{ ECMS_CFX_MATERIALS_UNLOADED, "applied", on_unloaded },
	{ ECMS_CFX_MATERIALS_EMPTY, "applied", on_empty },
	{ ECMS_CFX_SPLICE_POINT_DETECTED, "applied", on_splice },
	{ ECMS_CFX_UNITS_ARRIVED, "applied", on_arrived },
	{ ECMS_CFX_UNITS_DEPARTED, "applied", on_arrived },
	{ ECMS_CFX_WORK_STARTED, "applied", on_work_started },
	{ ECMS_CFX_WORK_COMPLETED, "applied", on_work_completed },
	{ ECMS_CFX_MATERIALS_INSTALLED, "applied", on_installed },
	{ ECMS_CFX_MATERIALS_UNINSTALLED, "applied", on_uninstalled },
	{ ECMS_CFX_UNITS_DISQUALIFIED, "applied", on_disqualified },
	{ ECMS_CFX_FAULT_OCCURRED, "applied", on_fault },
	{ ECMS_CFX_MATERIALS_OPENED, "applied", on_msd },
	{ ECMS_CFX_MATERIALS_PLACED_IN_DRY_STORAGE, "applied", on_msd },
	{ ECMS_CFX_MATERIALS_REMOVED_FROM_DRY_STORAGE, "applied", on_msd },
	{ ECMS_CFX_MATERIALS_EXPIRED, "applied", on_msd },
	{ ECMS_CFX_MATERIALS_RESTORED, "applied", on_msd },
	/* Quality records: reflow, inspection, test, repair (quality.h). */
	{ ECMS_CFX_UNITS_PROCESSED, "applied", on_quality },
	{ ECMS_CFX_UNITS_INSPECTED, "applied", on_quality },
	{ ECMS_CFX_UNITS_TESTED, "applied", on_quality },
	{ ECMS_CFX_UNITS_REPAIRED, "applied", on_quality },
};

static const struct cfx_handler *
handler_of(ecms_cfx_kind k)
{
	for (size_t i = 0; i < ECMS_ARRAY_LEN(cfx_dispatch); i++)
		if (cfx_dispatch[i].kind == k)
			return &cfx_dispatch[i];
	return NULL;
}

/* ------------------------------------------------------------------
 * One message
 * ------------------------------------------------------------------ */

/* The 128-bit hash cfx_seen keeps of a UniqueID (014_cfx_seen.sql). */
static void
uid_hash(const char *unique_id, int64_t *hi, int64_t *lo)
{
	unsigned char md[16];
	uint64_t a = 0, b = 0;

	crypto_generichash(md, sizeof(md), (const unsigned char *)unique_id, strlen(unique_id),
			   NULL, 0);
	for (int i = 0; i < 8; i++) {
		a = a << 8 | md[i];
		b = b << 8 | md[8 + i];
	}
	memcpy(hi, &a, sizeof(*hi));
	memcpy(lo, &b, sizeof(*lo));
}

/* Taken in before: a hash in cfx_seen, or a full row in cfx_messages. */
static int
seen(ecms *h, const char *unique_id, int64_t hi, int64_t lo, bool *dup)
{
	int64_t one;
	int rc = ecms__query_int(h, &one,
				 "SELECT 1 FROM cfx_seen WHERE id_hi = ? AND id_lo = ? UNION ALL "
				 "SELECT 1 FROM cfx_messages WHERE unique_id = ? LIMIT 1",
				 "iit", hi, lo, unique_id);

	*dup = rc == ECMS_OK;
	return rc == ECMS_ENOTFOUND ? ECMS_OK : rc;
}

/* Which events of a batch fold into its "cfx.batch" event (event.h): the
 * routine ones, whose content is all in the rows written with them. An
 * applied message's own event (its effects are the rows); a board pass
 * with nothing reconciled and no grey zone (its gen_passes row); exact
 * records that all agreed with the timeline (nothing stored). Anything
 * else (setup changes, stored records, unknown messages, quality
 * records...) is kept whole in the batch event. */
static bool
fold_cfx(const char *type, const json_t *payload)
{
	if (strcmp(type, "cfx.message") == 0) {
		const char *st = json_string_value(json_object_get(payload, "status"));
		return st && strcmp(st, "applied") == 0;
	}
	if (strcmp(type, "genealogy.pass") == 0)
		return !json_object_get(payload, "pending") &&
		       !json_object_get(payload, "grey_end");
	if (strcmp(type, "genealogy.installed") == 0)
		return json_array_size(json_object_get(payload, "stored")) == 0 &&
		       !json_object_get(payload, "grey_end");
	return false;
}

/* Apply m inside the open transaction and event group. *dup: it was
 * taken in before. */
static int
apply_one(struct ingest *ig, const ecms_cfx_msg *m, bool *dup)
{
	ecms *h = ig->h;
	const struct cfx_handler *hd = handler_of(m->kind);
	const char *status = hd ? hd->status : "unknown";
	int64_t hi, lo;
	bool routine;
	int rc;

	uid_hash(m->unique_id, &hi, &lo);
	if ((rc = seen(h, m->unique_id, hi, lo, dup)))
		return rc;
	if (*dup) {
		ig->cur.duplicates++;
		return ECMS_OK;
	}
	ecms__buf_reset(&ig->note);
	ig->keep_raw = false;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(h, "cfx.message",
			 json_pack("{s:s,s:s,s:s?,s:s,s:s?,s:s,s:I}", "unique_id", m->unique_id,
				   "name", m->name, "source", m->source, "time", m->timestamp.text,
				   "origin", ig->origin, "status", status, "line",
				   (json_int_t)m->line),
			 &ig->seq);
	if (rc == ECMS_OK && hd)
		rc = hd->fn(ig, m);
	if (rc == ECMS_OK && m->kind == ECMS_CFX_UNITS_TESTED)
		rc = tested_completes(ig, m);
	routine = strcmp(status, "applied") == 0 && !ig->note.len && !ig->keep_raw;
	if (rc == ECMS_OK && routine)
		rc = ecms__exec(h, "INSERT INTO cfx_seen (id_hi, id_lo, seq) VALUES (?, ?, ?)",
				"iii", hi, lo, ig->seq);
	else if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO cfx_messages (unique_id, name, status, source, ts_ms, "
			"ts_text, origin, line, received_ms, note, seq) VALUES (?, ?, ?, ?, "
			"?, ?, ?, ?, ?, ?, ?)",
			"ttttittiiti", m->unique_id, m->name, status, m->source, m->timestamp.ms,
			m->timestamp.text, ig->origin, (int64_t)m->line, ig->received_ms,
			ig->note.len ? ig->note.data : NULL, ig->seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO cfx_counts (name, status, n) VALUES (?, ?, 1) "
				"ON CONFLICT (name, status) DO UPDATE SET n = cfx_counts.n + 1",
				"tt", m->name, status);
	if (rc == ECMS_OK && (strcmp(status, "applied") != 0 || ig->keep_raw)) {
		char *env = json_dumps(m->envelope, JSON_COMPACT);

		rc = env ? ecms__exec(h, "INSERT INTO cfx_raw (unique_id, envelope) VALUES (?, ?)",
				      "tt", m->unique_id, env)
			 : ECMS_ENOMEM;
		ecms_free(env);
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK) {
		if (!hd)
			ig->cur.unknown++;
		else if (strcmp(status, "deferred") == 0)
			ig->cur.deferred++;
		else
			ig->cur.applied++;
		ig->cur.by_kind[m->kind]++;
		if (ig->note.len)
			ig->cur.notes++;
		if (m->timestamp.ms < ig->first_ms || !ig->first_ms)
			ig->first_ms = m->timestamp.ms;
		if (m->timestamp.ms > ig->last_ms)
			ig->last_ms = m->timestamp.ms;
	}
	return rc;
}

/* A report's messages by kind: {MessageName: count} ("unknown" for the
 * names ecms does not handle); NULL on OOM. */
static json_t *
by_kind_json(const struct ecms_cfx_ingest_report *rep)
{
	json_t *by = json_object();

	for (int k = 0; by && k < ECMS_CFX_KIND_COUNT; k++)
		if (rep->by_kind[k] &&
		    json_object_set_new(by, k ? ecms_cfx_kind_name(k) : "unknown",
					json_integer((json_int_t)rep->by_kind[k]))) {
			json_decref(by);
			return NULL;
		}
	return by;
}

/* The event that covers a batch: what it took in; the routine events of
 * its messages folded in (fold_cfx). */
static json_t *
batch_summary(const struct ingest *ig)
{
	char from[ECMS_TIME_LEN], to[ECMS_TIME_LEN];
	json_t *by = by_kind_json(&ig->cur);

	if (!by)
		return NULL;
	return json_pack("{s:s?,s:I,s:I,s:I,s:I,s:s,s:s,s:o}", "origin", ig->origin, "messages",
			 (json_int_t)(ig->cur.applied + ig->cur.unknown + ig->cur.deferred),
			 "duplicates", (json_int_t)ig->cur.duplicates, "placements",
			 (json_int_t)ig->cur.placements, "board_passes",
			 (json_int_t)ig->cur.board_passes, "from",
			 ecms_time_format(ig->first_ms, from), "to",
			 ecms_time_format(ig->last_ms, to), "by_type", by);
}

/* ------------------------------------------------------------------
 * Rejections
 * ------------------------------------------------------------------ */

static int
store_reject(struct ingest *ig, struct ecms_cfx_ingest_report *rep, long line,
	     const char *unique_id, const char *name, const char *reason, const char *text)
{
	ecms *h = ig->h;
	crypto_hash_sha256_state hs;
	unsigned char md[crypto_hash_sha256_BYTES];
	char digest[2 * crypto_hash_sha256_BYTES + 1];
	int64_t one, seq;
	int rc;

	rep->rejected++;
	if (rep->rejects && json_array_size(rep->rejects) < ECMS_CFX_REPORT_REJECTS_MAX) {
		json_t *r = json_pack("{s:I,s:s?,s:s?,s:s}", "line", (json_int_t)line, "unique_id",
				      unique_id, "name", name, "reason", reason);

		if (!r || json_array_append_new(rep->rejects, r))
			return ECMS_ENOMEM;
	}
	crypto_hash_sha256_init(&hs);
	crypto_hash_sha256_update(&hs, (const unsigned char *)text, strlen(text));
	crypto_hash_sha256_update(&hs, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&hs, (const unsigned char *)reason, strlen(reason));
	crypto_hash_sha256_final(&hs, md);
	ecms__hex(md, sizeof(md), digest);
	rc = ecms__query_int(h, &one, "SELECT 1 FROM cfx_rejects WHERE digest = ?", "t", digest);
	if (rc == ECMS_OK)
		return ECMS_OK; /* the same rejection is kept already */
	if (rc != ECMS_ENOTFOUND)
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(h, "cfx.rejected",
			 json_pack("{s:s?,s:s?,s:s?,s:I,s:s}", "unique_id", unique_id, "name", name,
				   "origin", ig->origin, "line", (json_int_t)line, "reason",
				   reason),
			 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO cfx_rejects (digest, unique_id, name, origin, line, "
			"reason, text, received_ms, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"ttttittii", digest, unique_id, name, ig->origin, (int64_t)line, reason,
			text, ig->received_ms, seq);
	return ecms__end(h, rc);
}

static int
reject_msg(struct ingest *ig, struct ecms_cfx_ingest_report *rep, const ecms_cfx_msg *m, int why)
{
	char *text = json_dumps(m->envelope, JSON_COMPACT);
	char reason[ECMS_ERRMSG_MAX + 64];
	int rc;

	if (!text)
		return ECMS_ENOMEM;
	snprintf(reason, sizeof(reason), "%s: %s", short_name(m->name),
		 *ecms_errmsg(ig->h) ? ecms_errmsg(ig->h) : ecms_strerror(why));
	rc = store_reject(ig, rep, m->line, m->unique_id, m->name, reason, text);
	ecms_free(text);
	return rc;
}

/* ------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------ */

void
ecms_cfx_report_init(struct ecms_cfx_ingest_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->rejects = json_array();
}

void
ecms_cfx_report_cleanup(struct ecms_cfx_ingest_report *rep)
{
	if (!rep)
		return;
	json_decref(rep->rejects);
	rep->rejects = NULL;
}

static void
report_add(struct ecms_cfx_ingest_report *to, const struct ecms_cfx_ingest_report *c)
{
	to->applied += c->applied;
	to->duplicates += c->duplicates;
	to->unknown += c->unknown;
	to->deferred += c->deferred;
	to->placements += c->placements;
	to->board_passes += c->board_passes;
	to->flagged += c->flagged;
	to->notes += c->notes;
	for (int k = 0; k < ECMS_CFX_KIND_COUNT; k++)
		to->by_kind[k] += c->by_kind[k];
}

json_t *
ecms_cfx_report_json(const struct ecms_cfx_ingest_report *rep)
{
	json_t *by = by_kind_json(rep), *j;

	j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:o,s:o}", "items",
		      (json_int_t)rep->items, "applied", (json_int_t)rep->applied, "duplicates",
		      (json_int_t)rep->duplicates, "rejected", (json_int_t)rep->rejected, "unknown",
		      (json_int_t)rep->unknown, "deferred", (json_int_t)rep->deferred, "placements",
		      (json_int_t)rep->placements, "board_passes", (json_int_t)rep->board_passes,
		      "flagged", (json_int_t)rep->flagged, "notes", (json_int_t)rep->notes, "gzip",
		      rep->gzipped, "by_type", by, "rejects",
		      rep->rejects ? json_incref(rep->rejects) : json_array());
	return j;
}

static bool
fatal(int rc)
{
	return rc == ECMS_ENOMEM || rc == ECMS_ESTORE || rc == ECMS_EBUSY || rc == ECMS_EIO ||
	       rc == ECMS_EINTERNAL || rc == ECMS_ENOTBUILT || rc == ECMS_ESCHEMA;
}

/* Messages sorted by TimeStamp, equal times in input order. */
struct slot_msg {
	ecms_cfx_msg *m;
	size_t order;
};

static int
cmp_msg(const void *a, const void *b)
{
	const struct slot_msg *x = a, *y = b;

	if (x->m->timestamp.ms != y->m->timestamp.ms)
		return x->m->timestamp.ms < y->m->timestamp.ms ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Apply msgs[0..n) in one transaction under one "cfx.batch" event. */
static int
apply_group(struct ingest *ig, struct slot_msg *msgs, size_t n, bool *dup)
{
	ecms *h = ig->h;
	int rc;

	memset(&ig->cur, 0, sizeof(ig->cur));
	ig->first_ms = ig->last_ms = 0;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__group_begin(h, fold_cfx);
	pkg_forget(ig);
	for (size_t i = 0; rc == ECMS_OK && i < n; i++)
		rc = apply_one(ig, msgs[i].m, dup);
	if (rc == ECMS_OK)
		rc = pkg_flush(ig);
	if (rc == ECMS_OK)
		rc = ecms__group_end(h, "cfx.batch", batch_summary(ig), NULL);
	else
		ecms__group_discard(h);
	pkg_forget(ig);
	return ecms__end(h, rc);
}

/* Apply msgs[0..n) in one transaction; on a data error undo it and
 * apply them one by one, rejecting the ones that fail. */
static int
apply_batch(struct ingest *ig, struct ecms_cfx_ingest_report *rep, struct slot_msg *msgs, size_t n)
{
	bool dup;
	int rc;

	rc = apply_group(ig, msgs, n, &dup);
	if (rc == ECMS_OK) {
		report_add(rep, &ig->cur);
		rep->batches++;
		return ECMS_OK;
	}
	if (fatal(rc))
		return rc;
	for (size_t i = 0; i < n; i++) {
		rc = apply_group(ig, msgs + i, 1, &dup);
		if (rc == ECMS_OK) {
			report_add(rep, &ig->cur);
			rep->batches += !dup;
			continue;
		}
		if (fatal(rc))
			return rc;
		if ((rc = reject_msg(ig, rep, msgs[i].m, rc)))
			return rc;
	}
	return ECMS_OK;
}

int
ecms_cfx_ingest_buf(ecms *h, const void *buf, size_t len, const char *origin,
		    struct ecms_cfx_ingest_report *rep)
{
	struct ingest ig = { .h = h, .origin = origin };
	ecms_cfx_reader *r = NULL;
	struct slot_msg *msgs = NULL;
	size_t n = 0, cap = 0;
	ecms_error err;
	int rc;

	ecms_error_clear(&err);
	ig.batch = rep->batch_size ? rep->batch_size : BATCH_DEFAULT;
	ecms__buf_init(&ig.note, NOTE_MAX * 2);
	ig.received_ms = ecms_now(h);
	if ((rc = ecms_cfx_reader_new(buf, len, 0, &r, &err)))
		return ecms__ctxfail(h, rc, err.field[0] ? err.field : NULL, "%s", err.message);
	rep->gzipped = ecms_cfx_reader_gzipped(r);
	for (;;) {
		ecms_cfx_msg *m = NULL;

		rc = ecms_cfx_reader_next(r, &m, &err);
		if (rc == ECMS_EINVAL) {
			const ecms_cfx_reject *rj = ecms_cfx_reader_reject(r);

			rep->items++;
			rc = store_reject(&ig, rep, rj->line, rj->unique_id, rj->message_name,
					  rj->reason, rj->text);
			if (rc)
				break;
			continue;
		}
		if (rc || !m)
			break;
		rep->items++;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct slot_msg *nm = ecms__realloc(msgs, nc * sizeof(*nm));

			if (!nm) {
				ecms_cfx_msg_free(m);
				rc = ECMS_ENOMEM;
				break;
			}
			msgs = nm;
			cap = nc;
		}
		msgs[n].m = m;
		msgs[n].order = n;
		n++;
	}
	if (rc == ECMS_ENOMEM)
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory reading CFX input");
	if (rc == ECMS_OK && n > 1)
		qsort(msgs, n, sizeof(*msgs), cmp_msg);
	for (size_t i = 0; i < n; i += ig.batch) {
		size_t k = n - i < ig.batch ? n - i : ig.batch;

		if (rc == ECMS_OK)
			rc = apply_batch(&ig, rep, msgs + i, k);
		for (size_t j = i; j < i + k; j++) /* done with: free early */
			ecms_cfx_msg_free(msgs[j].m);
	}
	ecms__free(msgs);
	ecms_cfx_reader_free(r);
	ecms__buf_cleanup(&ig.note);
	ecms__free(ig.pk);
	return rc;
}

/* ------------------------------------------------------------------
 * Passes waiting for their program
 * ------------------------------------------------------------------ */

struct waiting {
	char *tid, *machine, *program, *wo;
	int64_t start, end;
};

static int
retry_one(ecms *h, const struct waiting *w, int64_t seq)
{
	ecms__stmt *st;
	char serial[ECMS_BOARD_SERIAL_MAX + 1];
	int rc = ECMS_OK, i = 0;

	/* One serial at a time: the statement is not held across the
	 * genealogy call (which uses the statement cache itself). */
	for (;; i++) {
		if ((rc = ecms__q(h, &st,
				  "SELECT serial FROM cfx_tx_serials WHERE transaction_id = ? "
				  "ORDER BY serial LIMIT 1 OFFSET ?",
				  "ti", w->tid, (int64_t)i)))
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW)
			ecms__strlcpy(serial, ecms__col_text(st, 0), sizeof(serial));
		ecms__done(h, st);
		if (rc == ECMS__DONE)
			break;
		if (rc != ECMS__ROW)
			return rc;
		rc = ecms_gen_board_pass(h, serial, w->wo, w->machine, w->program, w->start,
					 w->end);
		if (rc == ECMS_OK)
			rc = ecms__board_unflag(h, serial, "unknown_program", seq);
		if (rc) {
			ecms__error_prefix(&h->err, "transaction %s, board %s", w->tid, serial);
			return rc;
		}
	}
	return ecms__exec(h,
			  "UPDATE cfx_transactions SET pass = 'recorded' WHERE transaction_id = ?",
			  "t", w->tid);
}

int
ecms_cfx_retry_passes(ecms *h, size_t *n)
{
	ecms__stmt *st;
	struct waiting *w = NULL;
	size_t nw = 0, cap = 0;
	json_t *ids = NULL;
	int64_t seq;
	int rc;

	*n = 0;
	rc = ecms__q(h, &st,
		     "SELECT t.transaction_id, t.machine, t.program, t.work_order, t.start_ms, "
		     "t.end_ms FROM cfx_transactions t WHERE t.pass = 'no_program' AND "
		     "t.program IS NOT NULL AND t.end_ms IS NOT NULL AND EXISTS (SELECT 1 FROM "
		     "gen_programs p JOIN gen_machines g ON g.id = p.machine_id WHERE g.name = "
		     "t.machine AND p.name = t.program) ORDER BY t.start_ms, t.transaction_id",
		     "");
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *wo = ecms__col_text(st, 3);

		if (nw == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct waiting *nwp = ecms__realloc(w, nc * sizeof(*nwp));

			if (!nwp) {
				rc = ECMS_ENOMEM;
				break;
			}
			w = nwp;
			cap = nc;
		}
		w[nw].tid = ecms__strdup(ecms__col_text(st, 0));
		w[nw].machine = ecms__strdup(ecms__col_text(st, 1));
		w[nw].program = ecms__strdup(ecms__col_text(st, 2));
		w[nw].wo = wo ? ecms__strdup(wo) : NULL;
		w[nw].start = ecms__col_int(st, 4);
		w[nw].end = ecms__col_int(st, 5);
		nw++;
		if (!w[nw - 1].tid || !w[nw - 1].machine || !w[nw - 1].program ||
		    (wo && !w[nw - 1].wo)) {
			rc = ECMS_ENOMEM;
			break;
		}
	}
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		rc = ECMS_OK;
	if (rc == ECMS_OK && nw) {
		if (!(ids = json_array()))
			rc = ECMS_ENOMEM;
		for (size_t i = 0; rc == ECMS_OK && i < nw; i++)
			if (json_array_append_new(ids, json_string(w[i].tid)))
				rc = ECMS_ENOMEM;
		if (rc == ECMS_OK && (rc = ecms__begin(h)) == ECMS_OK) {
			rc = ecms__event(h, "cfx.passes_recorded",
					 json_pack("{s:O}", "transactions", ids), &seq);
			for (size_t i = 0; rc == ECMS_OK && i < nw; i++)
				rc = retry_one(h, &w[i], seq);
			rc = ecms__end(h, rc);
		}
		json_decref(ids);
	}
	if (rc == ECMS_OK)
		*n = nw;
	for (size_t i = 0; i < nw; i++) {
		ecms__free(w[i].tid);
		ecms__free(w[i].machine);
		ecms__free(w[i].program);
		ecms__free(w[i].wo);
	}
	ecms__free(w);
	return rc;
}

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

static json_t *
time_json(ecms__stmt *st, int col)
{
	char b[ECMS_TIME_LEN];

	return ecms__col_null(st, col) ? json_null()
				       : json_string(ecms_time_format(ecms__col_int(st, col), b));
}

static json_t *
text_json(ecms__stmt *st, int col)
{
	const char *s = ecms__col_text(st, col);

	return s ? json_string(s) : json_null();
}

static json_t *
int_json(ecms__stmt *st, int col)
{
	return ecms__col_null(st, col) ? json_null() : json_integer(ecms__col_int(st, col));
}

/* Collect the rows of st into a new array, each built by row(). */
static int
collect(ecms *h, ecms__stmt *st, json_t *(*row)(ecms__stmt *st), json_t **out)
{
	json_t *a = json_array();
	int rc;

	*out = NULL;
	if (!a) {
		ecms__done(h, st);
		return ECMS_ENOMEM;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *o = row(st);

		if (!o || json_array_append_new(a, o)) {
			rc = ECMS_ENOMEM;
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return ECMS_OK;
}

static json_t *
reject_row(ecms__stmt *st)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", int_json(st, 0), "received",
			 time_json(st, 1), "origin", text_json(st, 2), "line", int_json(st, 3),
			 "unique_id", text_json(st, 4), "name", text_json(st, 5), "reason",
			 text_json(st, 6), "text", text_json(st, 7));
}

int
ecms_cfx_rejected(ecms *h, json_t **out)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT id, received_ms, origin, line, unique_id, name, reason, text "
			 "FROM cfx_rejects ORDER BY id",
			 "");

	*out = NULL;
	return rc ? rc : collect(h, st, reject_row, out);
}

static json_t *
fault_row(ecms__stmt *st)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "time", time_json(st, 0),
			 "machine", text_json(st, 1), "code", text_json(st, 2), "cause",
			 text_json(st, 3), "severity", text_json(st, 4), "type", text_json(st, 5),
			 "designator", text_json(st, 6), "slot", text_json(st, 7), "uid",
			 text_json(st, 8), "lane", int_json(st, 9), "description",
			 text_json(st, 10));
}

int
ecms_cfx_faults(ecms *h, const char *machine, json_t **out)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT occurred_ms, machine, code, cause, severity, fault_type, "
			 "designator, slot, uid, CASE WHEN lane < 0 THEN NULL ELSE lane END, "
			 "description FROM cfx_faults WHERE (? IS NULL OR machine = ?) "
			 "ORDER BY occurred_ms, id",
			 "tt", machine, machine);

	*out = NULL;
	return rc ? rc : collect(h, st, fault_row, out);
}

static json_t *
flag_list(const char *s)
{
	json_t *a = json_array();

	while (a && s && *s) {
		size_t n = strcspn(s, " ");

		if (n && json_array_append_new(a, json_stringn(s, n))) {
			json_decref(a);
			return NULL;
		}
		s += n;
		s += strspn(s, " ");
	}
	return a;
}

static json_t *
package_row(ecms__stmt *st)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o}", "uid",
			 text_json(st, 0), "ipn", text_json(st, 1), "mpn", text_json(st, 2),
			 "manufacturer", text_json(st, 3), "lot", text_json(st, 4), "quantity",
			 ecms__col_null(st, 5) ? json_null() : json_real(ecms__col_double(st, 5)),
			 "status", text_json(st, 6), "msd_level", text_json(st, 7), "msd_state",
			 text_json(st, 8), "known", ecms__col_int(st, 9) != 0, "flags",
			 flag_list(ecms__col_text(st, 10)), "first_source", text_json(st, 11),
			 "first_seen", time_json(st, 12));
}

int
ecms_cfx_packages(ecms *h, bool flagged_only, json_t **out)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT uid, ipn, mpn, manufacturer, lot, quantity, status, msd_level, "
			 "msd_state, known, flags, first_source, first_ms FROM cfx_packages "
			 "WHERE (? = 0 OR flags <> '') ORDER BY uid",
			 "i", (int64_t)flagged_only);

	*out = NULL;
	return rc ? rc : collect(h, st, package_row, out);
}

static json_t *
count_row(ecms__stmt *st)
{
	return json_pack("{s:o,s:o,s:o,s:o}", "name", text_json(st, 0), "applied", int_json(st, 1),
			 "deferred", int_json(st, 2), "unknown", int_json(st, 3));
}

int
ecms_cfx_counts(ecms *h, json_t **out)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT name, SUM(CASE WHEN status = 'applied' THEN n ELSE 0 END), "
			 "SUM(CASE WHEN status = 'deferred' THEN n ELSE 0 END), "
			 "SUM(CASE WHEN status = 'unknown' THEN n ELSE 0 END) FROM cfx_counts "
			 "GROUP BY name ORDER BY name",
			 "");

	*out = NULL;
	return rc ? rc : collect(h, st, count_row, out);
}
