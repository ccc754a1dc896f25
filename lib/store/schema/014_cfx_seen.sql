-- 014_cfx_seen: the CFX message log at plant scale (lib/cfxingest.c).
-- A plant hears 10^9 messages a year; a row of text per message would
-- outweigh the genealogy it feeds. So a routine message (applied, nothing
-- noted, envelope not kept) is remembered only for idempotency, as the
-- 128-bit BLAKE2b hash of its UniqueID (two signed 64-bit halves; a
-- collision among 10^11 messages has odds below 10^-16) and the seq of the
-- "cfx.batch" event that took it in. Messages worth reading later (unknown,
-- deferred, with a note) keep their full row in cfx_messages (010) as
-- before; a message is a duplicate when either table has it.
CREATE TABLE cfx_seen (
	id_hi {BIGINT} NOT NULL,
	id_lo {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL,
	PRIMARY KEY (id_hi, id_lo)
) {WITHOUT_ROWID};

-- Messages taken in, by MessageName and status (applied, deferred,
-- unknown): what `ecms cfx counts` shows, kept as counters.
CREATE TABLE cfx_counts (
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	n {BIGINT} NOT NULL,
	PRIMARY KEY (name, status)
);
INSERT INTO cfx_counts (name, status, n)
	SELECT name, status, COUNT(*) FROM cfx_messages GROUP BY name, status;
