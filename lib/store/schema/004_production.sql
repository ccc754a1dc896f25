-- 004_production: products and their BOMs, work orders, kitting picks.

CREATE TABLE products (
	product TEXT NOT NULL,
	rev TEXT NOT NULL,
	source TEXT NOT NULL,
	refdes_count {BIGINT} NOT NULL,
	updated_seq {BIGINT} NOT NULL,
	PRIMARY KEY (product, rev)
);

-- One row per reference designator: the part it takes.
CREATE TABLE bom_refdes (
	product TEXT NOT NULL,
	rev TEXT NOT NULL,
	refdes TEXT NOT NULL,
	ipn TEXT NOT NULL REFERENCES parts (ipn),
	line {BIGINT} NOT NULL,
	value TEXT,
	footprint TEXT,
	PRIMARY KEY (product, rev, refdes),
	FOREIGN KEY (product, rev) REFERENCES products (product, rev)
);
CREATE INDEX bom_refdes_ipn ON bom_refdes (ipn);

-- Alternate parts a BOM line allows besides its own.
CREATE TABLE bom_alternates (
	product TEXT NOT NULL,
	rev TEXT NOT NULL,
	ipn TEXT NOT NULL,
	alt_ipn TEXT NOT NULL REFERENCES parts (ipn),
	PRIMARY KEY (product, rev, ipn, alt_ipn)
);

CREATE TABLE work_orders (
	id TEXT PRIMARY KEY,
	product TEXT NOT NULL,
	rev TEXT NOT NULL,
	qty {BIGINT} NOT NULL,
	line TEXT,
	customer TEXT,
	due TEXT,
	status TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL,
	FOREIGN KEY (product, rev) REFERENCES products (product, rev)
);
CREATE INDEX work_orders_status ON work_orders (status);

CREATE TABLE kit_picks (
	work_order TEXT NOT NULL REFERENCES work_orders (id),
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	actor TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	PRIMARY KEY (work_order, uid)
);
