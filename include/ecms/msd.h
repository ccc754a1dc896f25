/*
 * msd.h: the J-STD-033 floor-life engine for moisture-sensitive devices.
 *
 * A pure library module: no store, no clock, no allocation. The caller
 * keeps one struct ecms_msd_state per package (plain data: persist it as
 * columns or JSON), feeds it events with ecms_msd_apply() and asks for
 * the status at any "now" with ecms_msd_eval(). The CLI (`ecms msd
 * open|seal|bake|status`) and CFX ingestion (MaterialsOpened,
 * MaterialsPlacedInDryStorage, MaterialsRemovedFromDryStorage,
 * MaterialsExpired, MaterialsRestored) drive the same function.
 *
 * Every number J-STD-033 gives (floor life per MSL, HIC limits, the
 * short-exposure reset, the <=10 % RH cabinet rule, the Table 4-1 bake
 * times) lives in struct ecms_msd_rules: defaults from
 * ecms_msd_rules_default(), overrides as key/value text through
 * ecms_msd_rules_set(), the full list through ecms_msd_rules_dump().
 *
 * The clock, in one paragraph. A package's exposure starts at 0 when its
 * dry bag is first opened. It grows at full rate while the package is out
 * of dry storage, not at all in a re-sealed bag or a <=5 % RH cabinet,
 * and per the cabinet10.* rule in a <=10 % RH cabinet (default: full
 * rate). It goes back to 0 only through an accepted bake (checked against
 * the bake table), a CFX MaterialsRestored when cfx.restored_resets=yes,
 * or the short-exposure rule (a short exposure followed by a long enough
 * continuous stay in a bag or <=5 % RH cabinet). The package is expired
 * when exposure >= floor life; then, or when the HIC read at opening was
 * too high, or a machine reported it expired, or it is MSL 6 and not yet
 * baked, it is blocked until a bake.
 *
 * Decisions where J-STD-033 (or its public copies) leaves room:
 *  - A too-wet HIC does not refuse the opening: the bag is open whatever
 *    we record, so the event applies and the package is blocked ("bake
 *    required before use: HIC shows ...") until an accepted bake.
 *  - Table 4-1 column: "saturated" when a HIC, a reported expiry or MSL 6
 *    forced the bake, or exposure > floor life + bake.fl72_margin (72 h);
 *    otherwise "floor life + 72 h". A bake is checked against the hottest
 *    row of the package's level and thickness class (the smallest class
 *    >= its thickness; the thickest class when unknown) whose temperature
 *    is <= the bake's and whose oven RH limit the bake met (an unknown RH
 *    meets only "any"). Large bodies need max(large row, thickness row).
 *    Interrupted bakes are not modelled: a bake is one interval.
 *  - Short-exposure reset: needs exposure <= max_exposure and < floor
 *    life, then one continuous stay in a bag or <=5 % cabinet of at least
 *    factor x exposure; it zeroes exposure only (bake flags stay).
 *  - CFX MaterialsRestored resets like a bake only if cfx.restored_resets.
 *  - A cabinet of unknown RH counts as the <=10 % class; a wetter one is
 *    not dry storage (refused). Reduced-rate cabinet exposure rounds up to
 *    the millisecond.
 *  - MSL 6: bake before use (by default with the 5a rows), then the
 *    package's time on label, else rule floor_life.6 (default none:
 *    blocked until a time on label is known).
 */
#ifndef ECMS_MSD_H
#define ECMS_MSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------
 * Moisture sensitivity levels
 * ------------------------------------------------------------------ */

enum ecms_msl {
	ECMS_MSL_NONE = 0, /* not a level: "unknown", or the large-body bake rows */
	ECMS_MSL_1,
	ECMS_MSL_2,
	ECMS_MSL_2A,
	ECMS_MSL_3,
	ECMS_MSL_4,
	ECMS_MSL_5,
	ECMS_MSL_5A,
	ECMS_MSL_6,
	ECMS_MSL_COUNT
};

/*
 * Parse a level: "1" "2" "2a" "3" "4" "5" "5a" "6" (any case), with an
 * optional "MSL" or "Level" prefix ("MSL3", "msl 2A", "MSL-5a"); after a
 * prefix, text following a separator is ignored, so label strings such as
 * "Level-3-260C-168 HR" and "Level-1-260C-UNLIM" parse too.
 * Returns ECMS_OK or ECMS_EINVAL (err says what was expected).
 */
int ecms_msl_parse(const char *s, enum ecms_msl *out /* OUT */, ecms_error *err);

/* "1", "2a", ... for a level; "?" for anything else. Static text. */
const char *ecms_msl_str(enum ecms_msl msl);

/* The CFX MSDLevel name: "MSL1" ... "MSL2A" ... "MSL6"; "?" otherwise. */
const char *ecms_msl_cfx(enum ecms_msl msl);

/* ------------------------------------------------------------------
 * Durations (rule values, bake times, display)
 * ------------------------------------------------------------------ */

/*
 * Parse a duration: a non-negative decimal number and a unit, e.g.
 * "168h", "7 d", "1.5h", "30min", "90 s", "250ms", "4w", "1y" (365 d).
 * Units: ms, s, sec, m, min, h, hr, hrs, hour(s), d, day(s), w, week(s),
 * y, year(s); any case. At most 1000 years; rounded to the millisecond.
 * Returns ECMS_OK or ECMS_EINVAL.
 */
int ecms_msd_duration_parse(const char *s, int64_t *ms /* OUT */, ecms_error *err);

enum {
	ECMS_MSD_DUR_EXACT = 0, /* one exact token that parses back: "168h", "8d", "450min" */
	ECMS_MSD_DUR_HUMAN = 1  /* for people, to the minute: "7 h", "170 h 5 min", "9 d",
				 * "41 d 3 h" (days from 30 d, or whole days from 8 d) */
};

/* Format ms (>= 0) into buf of size n (40 is always enough). Returns buf. */
char *ecms_msd_duration_format(int64_t ms, int style, char *buf, size_t n);

/* ------------------------------------------------------------------
 * Rules
 * ------------------------------------------------------------------ */

#define ECMS_MSD_UNLIMITED (-1) /* a duration with no limit */
#define ECMS_MSD_NO_TOL (-2)    /* MSL 6 without a time on label */
#define ECMS_MSD_BAKE_ROWS_MAX 128

/* The two columns of J-STD-033 Table 4-1. */
enum ecms_msd_bake_col {
	ECMS_MSD_BAKE_SATURATED = 0, /* parts exposed past floor life + 72 h (or state unknown) */
	ECMS_MSD_BAKE_FL72 = 1       /* exposure <= floor life + bake.fl72_margin */
};

/* One row of the user bake table. */
struct ecms_msd_bake_row {
	enum ecms_msl msl;        /* ECMS_MSL_NONE: a large-body row (BGA > 17x17, stacked die) */
	int32_t max_thickness_um; /* bodies up to this thickness; 0 in large-body rows */
	int32_t temp_c;           /* the row's oven temperature (a hotter bake may use it) */
	int32_t max_rh_pct;       /* the oven must be at <= this RH; 100 = any */
	int64_t min_ms[2];        /* minimum bake time per enum ecms_msd_bake_col */
};

/*
 * The rule data. Build it with ecms_msd_rules_default() and change it
 * only through ecms_msd_rules_set(); arrays are indexed by enum ecms_msl.
 */
struct ecms_msd_rules {
	/* floor_life.<msl>: ms, ECMS_MSD_UNLIMITED; for MSL 6 the default time
	 * on label after its mandatory bake, or ECMS_MSD_NO_TOL. */
	int64_t floor_life_ms[ECMS_MSL_COUNT];
	/* hic.bake_at.<msl>: a HIC reading >= this % demands a bake; -1 never. */
	int32_t hic_bake_at_pct[ECMS_MSL_COUNT];
	/* short_reset.<msl>.max_exposure (-1: rule off) and .factor. */
	int64_t short_max_ms[ECMS_MSL_COUNT];
	int32_t short_factor[ECMS_MSL_COUNT];
	/* cabinet10.<msl>.rate (clock speed in a <=10 % RH cabinet, per mille)
	 * and .limit (cumulative cabinet time at that rate per package since
	 * its last bake, -1 unlimited). */
	int32_t cab10_rate_permille[ECMS_MSL_COUNT];
	int64_t cab10_limit_ms[ECMS_MSL_COUNT];
	int32_t dry_max_rh_pct;   /* storage.dry_max_rh: cabinets this dry pause the clock */
	int32_t cab10_max_rh_pct; /* storage.cabinet10_max_rh: up to this, the cabinet10 rule */
	int64_t fl72_margin_ms;   /* bake.fl72_margin */
	bool restored_resets;     /* cfx.restored_resets */
	size_t n_bake;
	struct ecms_msd_bake_row bake[ECMS_MSD_BAKE_ROWS_MAX];
};

/* Fill r with the defaults of /work/shared/domain/msd-reflow.md section 1. */
void ecms_msd_rules_default(struct ecms_msd_rules *r);

/*
 * Set one rule from text; key scheme (msl is 1 2 2a 3 4 5 5a 6; any case):
 *   floor_life.<msl>                 168h | unlimited | none (MSL 6 only: no TOL default)
 *   hic.bake_at.<msl>                10% | never
 *   short_reset.<msl>.max_exposure   12h | off
 *   short_reset.<msl>.factor         5   (1..1000)
 *   cabinet10.<msl>.rate             1 | 0.5 | 50% | 0   (clock speed)
 *   cabinet10.<msl>.limit            5d | unlimited
 *   storage.dry_max_rh               5%
 *   storage.cabinet10_max_rh         10%
 *   bake.fl72_margin                 72h
 *   cfx.restored_resets              yes | no
 *   bake.<msl>.<mm>mm.<C>c.saturated 9h     (a row: MSL, max body thickness, oven temp)
 *   bake.<msl>.<mm>mm.<C>c.fl72      7h
 *   bake.<msl>.<mm>mm.<C>c.rh        5% | any
 *   bake.<msl>.<mm>mm.<C>c           9h/7h (both columns) | none (delete the row)
 *   bake.large.<C>c[.saturated|.fl72|.rh]   the large-body rows, same values
 * e.g. "bake.3.1.4mm.125c.fl72" = "7h". Setting a column of a row that
 * does not exist creates it with both columns at that value and RH "any"
 * at >= 125 C, else 5 %. On error r is unchanged. Store overrides as
 * these pairs and replay them over the defaults at load (in the order
 * they were made); a deleted row is the pair "<row key> = none", since a
 * dump lists only the rows that exist.
 * Returns ECMS_OK or ECMS_EINVAL (field = key; the message names the key,
 * the value and what was expected).
 */
int ecms_msd_rules_set(struct ecms_msd_rules *r, const char *key, const char *value,
		       ecms_error *err) ECMS_WUR;

/*
 * Check rules that did not come from ecms_msd_rules_default/_set (the
 * struct is public): every value in the range _set accepts. apply, eval
 * and bake_need call it. Returns ECMS_OK or ECMS_EINVAL naming the rule.
 */
int ecms_msd_rules_check(const struct ecms_msd_rules *r, ecms_error *err);

/*
 * Call fn once per rule, in a fixed order, with its key, its value in the
 * exact text form ecms_msd_rules_set() takes back, and a short note (what
 * it is, and the source mark [src], [unconfirmed], [uncertain] or
 * [assumption]). The strings live only during the call. A non-zero return
 * from fn stops the walk and is returned; otherwise ECMS_OK.
 */
typedef int (*ecms_msd_rule_fn)(void *arg, const char *key, const char *value,
				const char *note);
int ecms_msd_rules_dump(const struct ecms_msd_rules *r, ecms_msd_rule_fn fn, void *arg);

/* ------------------------------------------------------------------
 * Package state
 * ------------------------------------------------------------------ */

/* Where the package is. Tokens (ecms_msd_where_str) are for storage. */
enum ecms_msd_where {
	ECMS_MSD_UNOPENED = 0, /* "unopened": factory dry bag still sealed */
	ECMS_MSD_OUT,          /* "out": out of dry storage, the clock runs */
	ECMS_MSD_BAG,          /* "bag": re-sealed in a dry bag: paused */
	ECMS_MSD_CABINET5,     /* "cabinet5": <=5 % RH cabinet: paused */
	ECMS_MSD_CABINET10,    /* "cabinet10": <=10 % RH cabinet: cabinet10.* rule */
	ECMS_MSD_OVEN,         /* "oven": a bake is running: paused */
	ECMS_MSD_WHERE_COUNT
};

const char *ecms_msd_where_str(enum ecms_msd_where w); /* token, "?" if invalid */
int ecms_msd_where_parse(const char *s, enum ecms_msd_where *out /* OUT */, ecms_error *err);

/* Why a bake is needed whatever the exposure (bits of bake_flags). */
enum {
	ECMS_MSD_NEED_MSL6 = 1 << 0,     /* MSL 6: bake before use */
	ECMS_MSD_NEED_HIC = 1 << 1,      /* the HIC read at an opening was at the limit */
	ECMS_MSD_NEED_REPORTED = 1 << 2  /* a machine reported it expired (CFX) */
};

/*
 * One package. Plain data: every field is to be persisted; none points
 * anywhere. Make it with ecms_msd_state_init(); change it only through
 * ecms_msd_apply(). Times are UTC ms; -1 means "none".
 */
struct ecms_msd_state {
	/* The part (master data), set by ecms_msd_state_init. */
	enum ecms_msl msl;
	int32_t thickness_um;   /* body thickness; 0 = unknown (bakes use the thickest class) */
	bool large_body;        /* BGA body > 17x17 mm or stacked die (bake.large rows) */
	int64_t tol_ms;         /* MSL 6 time on label; 0 = rule floor_life.6 */
	/* The clock. */
	enum ecms_msd_where where;
	int64_t since_ms;       /* last applied event (creation time before the first) */
	int64_t exposure_ms;    /* exposure accrued up to since_ms */
	int64_t cab10_ms;       /* <=10 % cabinet time at the reduced rate since the last bake */
	int64_t expired_ms;     /* when exposure reached the floor life, -1 not (as of since_ms) */
	unsigned bake_flags;    /* ECMS_MSD_NEED_* */
	int32_t hic_pct;        /* HIC reading at the last opening, -1 none */
	/* The bake in progress (where == ECMS_MSD_OVEN). */
	int64_t oven_start_ms;  /* -1 when no bake runs */
	int32_t oven_temp_c;
	int32_t oven_rh_pct;    /* -1 unknown */
	/* History. */
	int64_t first_open_ms;  /* -1 never opened */
	int32_t opens;          /* bag openings, the first included */
	int32_t bakes;          /* accepted bakes and restores */
	int64_t last_bake_ms;   /* end of the last accepted bake, -1 none */
	int32_t last_bake_temp_c;      /* 0 for a CFX restore */
	int64_t last_bake_duration_ms; /* 0 for a CFX restore */
	int32_t short_resets;   /* short-exposure resets applied */
};

/* The part data ecms_msd_state_init takes. */
struct ecms_msd_part {
	enum ecms_msl msl;      /* required */
	int32_t thickness_um;   /* 0 = unknown; at most 100 mm */
	bool large_body;
	int64_t tol_ms;         /* MSL 6 time on label, 0 = none on the label */
};

/*
 * Initialise st for a package in its unopened factory bag, as of
 * created_ms (e.g. receipt). MSL 6 starts with ECMS_MSD_NEED_MSL6.
 * Returns ECMS_OK or ECMS_EINVAL (no MSL, thickness or TOL out of range).
 */
int ecms_msd_state_init(struct ecms_msd_state *st, const struct ecms_msd_part *part,
			int64_t created_ms, ecms_error *err) ECMS_WUR;

/*
 * Check that a state read back from storage is self-consistent (enum
 * ranges, counters, times). ecms_msd_apply and ecms_msd_eval call it.
 * Returns ECMS_OK or ECMS_EINVAL naming the field.
 */
int ecms_msd_state_check(const struct ecms_msd_state *st, ecms_error *err);

/* ------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------ */

enum ecms_msd_event_type {
	ECMS_MSD_EV_NONE = 0,
	ECMS_MSD_EV_OPEN,        /* "open": dry bag opened (first, or a re-sealed one); hic_pct */
	ECMS_MSD_EV_SEAL,        /* "seal": sealed in a dry bag with fresh desiccant */
	ECMS_MSD_EV_CABINET_IN,  /* "cabinet-in": into a dry cabinet rated rh_pct */
	ECMS_MSD_EV_CABINET_OUT, /* "cabinet-out": out of a dry cabinet */
	ECMS_MSD_EV_BAKE_START,  /* "bake-start": into the oven at temp_c, rh_pct */
	ECMS_MSD_EV_BAKE_END,    /* "bake-end": out of the oven; checked against the table */
	ECMS_MSD_EV_BAKE_ABORT,  /* "bake-abort": out of the oven, the bake does not count */
	ECMS_MSD_EV_BAKE,        /* "bake": a finished bake: temp_c, duration_ms, rh_pct */
	ECMS_MSD_EV_EXPIRED,     /* "expired": a machine or cabinet says it expired */
	ECMS_MSD_EV_RESTORED,    /* "restored": CFX MaterialsRestored ("reconditioned") */
	ECMS_MSD_EV_COUNT
};

struct ecms_msd_event {
	enum ecms_msd_event_type type;
	int64_t at_ms;        /* when it happened (for "bake": when the bake ended) */
	int32_t hic_pct;      /* open: highest HIC spot not blue (0, 5, 10, 60...), -1 not read */
	int32_t rh_pct;       /* cabinet-in: the cabinet's RH class (-1 unknown: taken as the
			       * <=10 % class); bake*: the oven's RH, -1 unknown/uncontrolled */
	int32_t temp_c;       /* bake-start, bake */
	int64_t duration_ms;  /* bake */
};

/* Set ev to type at at_ms with every optional field "not given" (-1, 0). */
void ecms_msd_event_init(struct ecms_msd_event *ev, enum ecms_msd_event_type type,
			 int64_t at_ms);

const char *ecms_msd_event_str(enum ecms_msd_event_type t); /* token, "?" if invalid */
int ecms_msd_event_parse(const char *s, enum ecms_msd_event_type *out /* OUT */,
			 ecms_error *err);

/*
 * The event a CFX message stands for: "MaterialsOpened" -> OPEN,
 * "MaterialsPlacedInDryStorage" -> CABINET_IN, "MaterialsRemovedFromDryStorage"
 * -> CABINET_OUT, "MaterialsExpired" -> EXPIRED, "MaterialsRestored" ->
 * RESTORED. name may be the full MessageName
 * ("CFX.Materials.Management.MSDManagement.MaterialsOpened") or its last
 * part. Returns ECMS_OK or ECMS_ENOTFOUND for any other message.
 */
int ecms_msd_event_from_cfx(const char *name, enum ecms_msd_event_type *out /* OUT */);

/*
 * Apply one event to st. All or nothing: on any error st is unchanged.
 * Returns:
 *  ECMS_OK       applied; persist st and record the event.
 *  ECMS_EREFUSED the event does not fit the package's state or a rule
 *                (out of order, sealing an unopened bag, a bake too short
 *                for Table 4-1, ...): err has an operator-readable message.
 *  ECMS_EINVAL   the event or the stored state is malformed.
 * An opening whose HIC reading is at the limit is applied (the bag is
 * open) and sets ECMS_MSD_NEED_HIC, so the package is blocked until a
 * bake; ecms_msd_eval then says "bake required before use: HIC shows ...".
 */
int ecms_msd_apply(const struct ecms_msd_rules *r, struct ecms_msd_state *st,
		   const struct ecms_msd_event *ev, ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * Status
 * ------------------------------------------------------------------ */

enum ecms_msd_phase {
	ECMS_MSD_NEVER_OPENED = 0,
	ECMS_MSD_EXPOSED,
	ECMS_MSD_DRY,       /* bag, <=5 % or <=10 % RH cabinet (see where) */
	ECMS_MSD_BAKING,
	ECMS_MSD_EXPIRED,   /* exposure >= floor life, or reported expired */
	ECMS_MSD_PHASE_COUNT
};

/* "never opened", "exposed", "in dry storage", "baking", "expired". */
const char *ecms_msd_phase_str(enum ecms_msd_phase p);

/* The CFX MSDState: NeverOpened, Exposed, InDryStorage (also baking), Expired. */
const char *ecms_msd_phase_cfx(enum ecms_msd_phase p);

struct ecms_msd_status {
	enum ecms_msd_phase phase;
	enum ecms_msd_where where;
	int64_t exposure_ms;    /* exposure as of now */
	int64_t floor_life_ms;  /* >= 0, or ECMS_MSD_UNLIMITED / ECMS_MSD_NO_TOL */
	int64_t remaining_ms;   /* floor_life_ms - exposure_ms (negative once past), or the
				 * same sentinel as floor_life_ms */
	int32_t rate_permille;  /* how fast the clock runs now: 1000 out, 0 paused */
	int64_t ends_ms;        /* when the floor life ends if nothing changes (a <=10 % cabinet
				 * included); -1 when paused in a bag/<=5 % cabinet/oven, never
				 * ends, or has ended (see expired_ms) */
	int64_t ends_if_out_ms; /* when it would end if taken out now; -1 if no limit */
	int64_t expired_ms;     /* when exposure reached the floor life, -1 not/unknown */
	int64_t reset_ms;       /* in a bag or <=5 % cabinet: when the short-exposure rule
				 * resets (or reset) the clock during this stay; -1 n/a */
	bool usable;            /* may be kitted/placed */
	bool bake_required;
	char reason[256];       /* why not usable; "" when usable */
};

/*
 * The status of st at now_ms (>= st->since_ms), computed on the spot.
 * Returns ECMS_OK, or ECMS_EINVAL (bad state, or now before the last event).
 */
int ecms_msd_eval(const struct ecms_msd_rules *r, const struct ecms_msd_state *st,
		  int64_t now_ms, struct ecms_msd_status *out /* OUT */, ecms_error *err)
	ECMS_WUR;

/*
 * The shortest bake at temp_c and rh_pct (-1 unknown) starting at at_ms
 * (>= st->since_ms) that Table 4-1 accepts for this package, into
 * *min_ms (0 for MSL 1: no bake ever needed). Returns ECMS_OK,
 * ECMS_EREFUSED when no row fits (message says why), or ECMS_EINVAL.
 */
int ecms_msd_bake_need(const struct ecms_msd_rules *r, const struct ecms_msd_state *st,
		       int64_t at_ms, int32_t temp_c, int32_t rh_pct, int64_t *min_ms /* OUT */,
		       ecms_error *err) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_MSD_H */
