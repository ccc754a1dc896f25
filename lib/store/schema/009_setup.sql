-- 009_setup: placement programs as master data (which product, revision
-- and side a machine's program builds), the active program per machine,
-- and the loads the setup interlock refused. The slot -> IPN/refdes maps
-- themselves live in gen_programs (007_genealogy); the live setup in
-- gen_slots.

-- A placement program imported with `ecms import program`: machine and
-- program name (as in gen_programs), what it builds, and the genealogy
-- version the last import produced. One program per product, rev, side
-- and machine.
CREATE TABLE setup_programs (
	machine TEXT NOT NULL,
	program TEXT NOT NULL,
	product TEXT NOT NULL,
	rev TEXT NOT NULL,
	side TEXT NOT NULL,
	version {BIGINT} NOT NULL,
	nslots {BIGINT} NOT NULL,
	nrefdes {BIGINT} NOT NULL,
	source TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL,
	PRIMARY KEY (machine, program),
	UNIQUE (product, rev, side, machine),
	FOREIGN KEY (product, rev) REFERENCES products (product, rev)
);

-- The program a machine runs now (the last changeover), and for which
-- work order (NULL: none named).
CREATE TABLE setup_active (
	machine TEXT PRIMARY KEY,
	program TEXT NOT NULL,
	work_order TEXT,
	since_ms {BIGINT} NOT NULL,
	actor TEXT NOT NULL,
	seq {BIGINT} NOT NULL
);

-- Every NO-GO of the interlock: what was scanned where, why it was
-- refused, who, when. code: the stable reason code (docs/setup.md).
CREATE TABLE setup_refusals (
	id {ID},
	op TEXT NOT NULL,
	machine TEXT NOT NULL,
	slot TEXT NOT NULL,
	scan TEXT NOT NULL,
	uid TEXT,
	code TEXT NOT NULL,
	message TEXT NOT NULL,
	program TEXT,
	expected_ipn TEXT,
	package_ipn TEXT,
	actor TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE INDEX setup_refusals_machine ON setup_refusals (machine, at_ms);
CREATE INDEX setup_refusals_uid ON setup_refusals (uid);
