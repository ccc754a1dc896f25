-- 005_msd: the J-STD-033 floor-life state of each moisture-sensitive
-- package (one row per package once an MSD event touched it; columns are
-- the fields of struct ecms_msd_state, see include/ecms/msd.h), and the
-- site overrides of the engine's rule keys (include/ecms/msdstore.h).

CREATE TABLE msd_state (
	uid TEXT PRIMARY KEY REFERENCES packages (uid),
	msl TEXT NOT NULL,
	thickness_um {BIGINT} NOT NULL,
	large_body INTEGER NOT NULL,
	tol_ms {BIGINT} NOT NULL,
	msd_where TEXT NOT NULL, -- ecms_msd_where_str: unopened, out, bag, cabinet5, ...; "where" is SQL
	since_ms {BIGINT} NOT NULL,
	exposure_ms {BIGINT} NOT NULL,
	cab10_ms {BIGINT} NOT NULL,
	expired_ms {BIGINT} NOT NULL,
	bake_flags {BIGINT} NOT NULL,
	hic_pct {BIGINT} NOT NULL,
	oven_start_ms {BIGINT} NOT NULL,
	oven_temp_c {BIGINT} NOT NULL,
	oven_rh_pct {BIGINT} NOT NULL,
	first_open_ms {BIGINT} NOT NULL,
	opens {BIGINT} NOT NULL,
	bakes {BIGINT} NOT NULL,
	last_bake_ms {BIGINT} NOT NULL,
	last_bake_temp_c {BIGINT} NOT NULL,
	last_bake_duration_ms {BIGINT} NOT NULL,
	short_resets {BIGINT} NOT NULL,
	updated_seq {BIGINT} NOT NULL
);
CREATE INDEX msd_state_where ON msd_state (msd_where);

-- Site overrides of the MSD rules: the keys whose value differs from the
-- engine's defaults (a deleted default bake row is "<row key> = none").
CREATE TABLE msd_rules (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL
);
