-- 001_core: the event log and the master data of the foundation.
-- Type tokens ({ID}, {BIGINT}, {REAL}, {BLOB}) are mapped by the backend.

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The append-only, hash-chained event log. seq is dense from 1; hash is
-- SHA-256 over the canonical encoding of the row and prev_hash (event.c).
CREATE TABLE events (
	seq {BIGINT} PRIMARY KEY,
	at_ms {BIGINT} NOT NULL,
	actor TEXT NOT NULL,
	station TEXT NOT NULL,
	type TEXT NOT NULL,
	payload TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX events_type ON events (type, seq);

CREATE TABLE manufacturers (
	name TEXT PRIMARY KEY,
	created_seq {BIGINT} NOT NULL
);

CREATE TABLE parts (
	ipn TEXT PRIMARY KEY,
	description TEXT NOT NULL,
	category TEXT NOT NULL,
	package TEXT,
	msl TEXT,
	thickness_mm {REAL},
	peak_c {REAL},
	rohs TEXT NOT NULL,
	reach TEXT NOT NULL,
	shelf_life_days {BIGINT},
	std_pack {BIGINT},
	reorder_point {BIGINT} NOT NULL,
	lead_time_days {BIGINT},
	unit_cost {REAL},
	restricted INTEGER NOT NULL,
	updated_seq {BIGINT} NOT NULL
);
CREATE INDEX parts_category ON parts (category);

-- Approved manufacturer list: the MPNs allowed for an IPN.
CREATE TABLE part_aml (
	ipn TEXT NOT NULL REFERENCES parts (ipn),
	mpn TEXT NOT NULL,
	manufacturer TEXT NOT NULL REFERENCES manufacturers (name),
	PRIMARY KEY (ipn, mpn, manufacturer)
);
CREATE INDEX part_aml_mpn ON part_aml (mpn);

CREATE TABLE suppliers (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	authorised INTEGER NOT NULL,
	iso9001_cert TEXT,
	iso9001_expiry TEXT,
	status TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL
);

-- The manufacturers a supplier is an authorised (franchised) distributor for.
CREATE TABLE supplier_franchises (
	supplier TEXT NOT NULL REFERENCES suppliers (id),
	manufacturer TEXT NOT NULL REFERENCES manufacturers (name),
	PRIMARY KEY (supplier, manufacturer)
);

CREATE TABLE locations (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	parent TEXT REFERENCES locations (id),
	rh_class TEXT,
	capacity {BIGINT},
	updated_seq {BIGINT} NOT NULL
);
CREATE INDEX locations_parent ON locations (parent);

CREATE TABLE users (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	badge TEXT UNIQUE,
	secret_hash TEXT,
	active INTEGER NOT NULL,
	updated_seq {BIGINT} NOT NULL
);
