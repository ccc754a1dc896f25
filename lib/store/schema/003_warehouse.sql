-- 003_warehouse: package movements, counts and losses, restricted-part
-- access, stocktakes.

CREATE TABLE package_moves (
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	from_loc TEXT,
	to_loc TEXT NOT NULL,
	actor TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL
);
CREATE INDEX package_moves_uid ON package_moves (uid, seq);
CREATE INDEX packages_location ON packages (location, status);

-- Quantity changes other than receipts: line returns (consumed or lost),
-- splits, scrap.
CREATE TABLE package_counts (
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	before_qty {BIGINT} NOT NULL,
	after_qty {BIGINT} NOT NULL,
	kind TEXT NOT NULL,
	actor TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL
);
CREATE INDEX package_counts_uid ON package_counts (uid, seq);

-- Every touch of a restricted part: who, what, when.
CREATE TABLE package_access (
	uid TEXT NOT NULL REFERENCES packages (uid),
	seq {BIGINT} NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	allowed INTEGER NOT NULL,
	at_ms {BIGINT} NOT NULL
);
CREATE INDEX package_access_uid ON package_access (uid, seq);

CREATE TABLE stocktakes (
	id TEXT PRIMARY KEY,
	location TEXT NOT NULL REFERENCES locations (id),
	seq {BIGINT} NOT NULL,
	actor TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	expected {BIGINT} NOT NULL,
	found {BIGINT} NOT NULL,
	missing {BIGINT} NOT NULL,
	unexpected {BIGINT} NOT NULL,
	misplaced {BIGINT} NOT NULL
);
INSERT INTO counters (name, value) VALUES ('stocktake', 0);
