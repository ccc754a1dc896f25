-- 002_receiving: purchase orders, certificates of conformance, material
-- packages with their inspection findings, quarantine decisions, the
-- receiving rule set, scanning stations, user secrets.

-- Named sequences (UIDs, CoC IDs): UPDATE ... RETURNING in both dialects.
CREATE TABLE counters (
	name TEXT PRIMARY KEY,
	value {BIGINT} NOT NULL
);
INSERT INTO counters (name, value) VALUES ('package', 0);
INSERT INTO counters (name, value) VALUES ('coc', 0);

-- Documents, content-addressed: a file is stored once; its hash proves it unchanged.
CREATE TABLE documents (
	sha256 TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	size {BIGINT} NOT NULL,
	content {BLOB} NOT NULL,
	created_seq {BIGINT} NOT NULL
);

ALTER TABLE parts ADD COLUMN max_dc_age_months {BIGINT};
ALTER TABLE users ADD COLUMN pin_hash TEXT;

CREATE TABLE purchase_orders (
	po TEXT PRIMARY KEY,
	supplier TEXT NOT NULL REFERENCES suppliers (id),
	order_date TEXT NOT NULL,
	status TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL
);

CREATE TABLE po_lines (
	po TEXT NOT NULL REFERENCES purchase_orders (po),
	line {BIGINT} NOT NULL,
	ipn TEXT REFERENCES parts (ipn),
	mpn TEXT,
	supplier_pn TEXT,
	manufacturer TEXT,
	qty_ordered {BIGINT} NOT NULL,
	qty_received {BIGINT} NOT NULL,
	lot TEXT,
	max_dc_age_months {BIGINT},
	coc_required INTEGER NOT NULL,
	tolerance_pct {REAL} NOT NULL,
	status TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL,
	PRIMARY KEY (po, line)
);
CREATE INDEX po_lines_mpn ON po_lines (mpn);

CREATE TABLE cocs (
	id TEXT PRIMARY KEY,
	supplier TEXT NOT NULL REFERENCES suppliers (id),
	mpn TEXT NOT NULL,
	issued TEXT NOT NULL,
	expires TEXT,
	sha256 TEXT NOT NULL REFERENCES documents (sha256),
	created_seq {BIGINT} NOT NULL
);
CREATE INDEX cocs_mpn ON cocs (mpn);

CREATE TABLE coc_lots (
	coc TEXT NOT NULL REFERENCES cocs (id),
	lot TEXT NOT NULL,
	PRIMARY KEY (coc, lot)
);
CREATE INDEX coc_lots_lot ON coc_lots (lot);

-- Material packages (reels, trays, tubes, bags): the current state.
CREATE TABLE packages (
	uid TEXT PRIMARY KEY,
	ipn TEXT REFERENCES parts (ipn),
	mpn TEXT,
	manufacturer TEXT,
	supplier TEXT REFERENCES suppliers (id),
	po TEXT,
	po_line {BIGINT},
	lot TEXT,
	date_code TEXT,
	dc_ms {BIGINT},
	quantity {BIGINT} NOT NULL,
	initial_qty {BIGINT} NOT NULL,
	status TEXT NOT NULL,
	location TEXT REFERENCES locations (id),
	coc TEXT REFERENCES cocs (id),
	received_ms {BIGINT} NOT NULL,
	supplier_pn TEXT,
	serial TEXT,
	country TEXT,
	expiry TEXT,
	label_format TEXT,
	label_raw TEXT,
	label_sha TEXT,
	parent TEXT REFERENCES packages (uid),
	created_seq {BIGINT} NOT NULL,
	updated_seq {BIGINT} NOT NULL
);
CREATE INDEX packages_ipn_status ON packages (ipn, status);
CREATE INDEX packages_lot ON packages (lot);
CREATE INDEX packages_label ON packages (label_sha);
CREATE INDEX packages_serial ON packages (serial);
CREATE INDEX packages_po ON packages (po, po_line);
CREATE INDEX packages_status ON packages (status, received_ms);
CREATE INDEX packages_supplier ON packages (supplier);

-- What incoming inspection found, per package; signal = counterfeit signal.
CREATE TABLE package_findings (
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	rule TEXT NOT NULL,
	severity TEXT NOT NULL,
	signal INTEGER NOT NULL,
	message TEXT NOT NULL
);
CREATE INDEX package_findings_uid ON package_findings (uid);
CREATE INDEX package_findings_rule ON package_findings (rule);

-- Incoming inspection records (required for broker-sourced packages).
CREATE TABLE inspections (
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	inspector TEXT NOT NULL,
	result TEXT NOT NULL,
	notes TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL
);
CREATE INDEX inspections_uid ON inspections (uid);

-- Signed quarantine decisions (release / reject).
CREATE TABLE decisions (
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	decision TEXT NOT NULL,
	signer TEXT NOT NULL,
	reason TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL
);
CREATE INDEX decisions_uid ON decisions (uid);

-- Site overrides of the receiving rules (defaults live in receive.c).
CREATE TABLE rules (
	rule TEXT PRIMARY KEY,
	enabled INTEGER NOT NULL,
	severity TEXT NOT NULL,
	params TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL
);

-- Scanning stations and how their scanners deliver separators.
CREATE TABLE stations (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	gs_sub TEXT,
	rs_sub TEXT,
	updated_seq {BIGINT} NOT NULL
);
