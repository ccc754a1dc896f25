-- 011_recall: recalls (a lot found bad after the fact: which boards carry
-- it, where they went, what was contained), the counters of recall and
-- shipment IDs, and the index that follows split children.

INSERT INTO counters (name, value) VALUES ('recall', 0);

-- Forward traces and recalls follow split children (packages.parent) to
-- any depth: one index lookup per level instead of a scan of packages.
CREATE INDEX packages_parent ON packages (parent);
INSERT INTO counters (name, value) VALUES ('shipment', 0);

-- One applied recall. Scope: a lot, optionally of one MPN. The counts are
-- what the forward trace found when it was applied: boards by status, and
-- the packages of the lot put on hold.
CREATE TABLE recalls (
	id TEXT PRIMARY KEY,
	lot TEXT NOT NULL,
	mpn TEXT,
	reason TEXT NOT NULL,
	user_id TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	boards {BIGINT} NOT NULL,
	shipped {BIGINT} NOT NULL,
	completed {BIGINT} NOT NULL,
	wip {BIGINT} NOT NULL,
	scrapped {BIGINT} NOT NULL,
	boards_held {BIGINT} NOT NULL,
	packages {BIGINT} NOT NULL,
	packages_held {BIGINT} NOT NULL,
	customers {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE INDEX recalls_lot ON recalls (lot, mpn);

-- The boards a recall found, as they were then: status, customer and
-- shipment (for the customer notice), the refdes that carry the lot for
-- certain and those that may (ambiguous; space-separated), and whether
-- the recall put the board on hold.
CREATE TABLE recall_boards (
	recall TEXT NOT NULL REFERENCES recalls (id),
	serial TEXT NOT NULL,
	work_order TEXT,
	customer TEXT,
	status TEXT NOT NULL,
	shipment TEXT,
	shipped_ms {BIGINT},
	refdes TEXT NOT NULL,
	ambiguous TEXT NOT NULL,
	held INTEGER NOT NULL,
	PRIMARY KEY (recall, serial)
);
CREATE INDEX recall_boards_serial ON recall_boards (serial);

-- The packages of the lot (split children included) when the recall was
-- applied: their status before, where they were loaded on the line then
-- ("machine/slot", space-separated), and whether the recall put them on
-- hold (consumed, scrapped and rejected ones are listed, not held).
CREATE TABLE recall_packages (
	recall TEXT NOT NULL REFERENCES recalls (id),
	uid TEXT NOT NULL,
	ipn TEXT,
	mpn TEXT,
	lot TEXT,
	prev_status TEXT NOT NULL,
	location TEXT,
	loaded TEXT NOT NULL,
	held INTEGER NOT NULL,
	PRIMARY KEY (recall, uid)
);
CREATE INDEX recall_packages_uid ON recall_packages (uid);
