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

-- A route step of a CFX work transaction names the transaction (tx)
-- instead of copying its program, revision, surface and batch into detail
-- (lib/board.c shows the same detail either way).
ALTER TABLE board_route ADD COLUMN tx TEXT;
-- From here on cfx_transactions.start_text and end_text are '' when the
-- TimeStamp was sent in ecms's own UTC format (the _ms column says it all).

-- Transactions and their units are looked up by key only: kept in their
-- primary key's b-tree (no rowid table beside it).
CREATE TABLE cfx_transactions_014 (
	transaction_id TEXT NOT NULL,
	machine TEXT NOT NULL,
	program TEXT,
	revision TEXT,
	surface TEXT,
	work_order TEXT,
	batch TEXT,
	lane {BIGINT},
	hermes_id TEXT,
	start_ms {BIGINT} NOT NULL,
	start_text TEXT NOT NULL,
	end_ms {BIGINT},
	end_text TEXT,
	result TEXT,
	pass TEXT NOT NULL,
	seq {BIGINT} NOT NULL,
	PRIMARY KEY (transaction_id)
) {WITHOUT_ROWID};
INSERT INTO cfx_transactions_014 SELECT transaction_id, machine, program, revision, surface,
	work_order, batch, lane, hermes_id, start_ms, start_text, end_ms, end_text, result, pass,
	seq FROM cfx_transactions;
DROP TABLE cfx_transactions;
ALTER TABLE cfx_transactions_014 RENAME TO cfx_transactions;

CREATE TABLE cfx_tx_units_014 (
	transaction_id TEXT NOT NULL,
	serial TEXT NOT NULL,
	unit_id TEXT NOT NULL,
	position {BIGINT} NOT NULL,
	PRIMARY KEY (transaction_id, serial)
) {WITHOUT_ROWID};
INSERT INTO cfx_tx_units_014 SELECT transaction_id, serial, unit_id, position FROM cfx_tx_units;
DROP TABLE cfx_tx_units;
ALTER TABLE cfx_tx_units_014 RENAME TO cfx_tx_units;
