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

-- TimeStamps: from here on cfx_transactions.start_text and end_text are ''
-- when the TimeStamp was sent in ecms's own UTC format (the _ms column
-- then says it all).

-- Transactions and their units are looked up by key: kept in their
-- primary key's b-tree (no rowid table beside it). serial, unit_pos,
-- unit_status: the one unit WorkStarted named, when it is the board itself
-- (UnitIdentifier = serial), as most lines report: kept on the
-- transaction's row instead of a cfx_tx_units row (and its index) per
-- board. Panels and units named by WorkCompleted go to cfx_tx_units.
-- Read both through cfx_tx_serials.
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
	serial TEXT,
	unit_pos {BIGINT} NOT NULL,
	unit_status TEXT,
	PRIMARY KEY (transaction_id)
) {WITHOUT_ROWID};
INSERT INTO cfx_transactions_014 SELECT transaction_id, machine, program, revision, surface,
	work_order, batch, lane, hermes_id, start_ms, start_text, end_ms, end_text, result, pass,
	seq, NULL, -1, NULL FROM cfx_transactions;
DROP TABLE cfx_transactions;
ALTER TABLE cfx_transactions_014 RENAME TO cfx_transactions;

CREATE TABLE cfx_tx_units_014 (
	transaction_id TEXT NOT NULL,
	serial TEXT NOT NULL,
	unit_id TEXT NOT NULL,
	position {BIGINT} NOT NULL,
	status TEXT,
	started INTEGER NOT NULL,
	PRIMARY KEY (transaction_id, serial)
) {WITHOUT_ROWID};

-- A board's route: the steps stations report (board_route), and the work
-- transactions it went through, which are no longer copied into
-- board_route as "started" and "completed" steps: lib/board.c shows them
-- from cfx_tx_units and cfx_transactions (a row of board_route per step
-- was a third of what ecms kept per board). status: the unit's
-- UnitPosition.Status at WorkStarted (the started step's result);
-- started = 1 when WorkStarted named the unit (else WorkCompleted did, and
-- the route shows only the completion). The copies made before are moved
-- here and removed.
INSERT INTO cfx_tx_units_014 SELECT u.transaction_id, u.serial, u.unit_id, u.position,
	(SELECT r.result FROM board_route r WHERE r.serial = u.serial AND r.kind = 'started'
		AND r.detail LIKE '%"transaction":"' || u.transaction_id || '"%' LIMIT 1),
	CASE WHEN EXISTS (SELECT 1 FROM board_route r WHERE r.serial = u.serial
		AND r.kind = 'started'
		AND r.detail LIKE '%"transaction":"' || u.transaction_id || '"%') THEN 1 ELSE 0 END
	FROM cfx_tx_units u;
DELETE FROM board_route WHERE kind IN ('started', 'completed') AND EXISTS (
	SELECT 1 FROM cfx_tx_units_014 u WHERE u.serial = board_route.serial
	AND board_route.detail LIKE '%"transaction":"' || u.transaction_id || '"%');
DROP TABLE cfx_tx_units;
ALTER TABLE cfx_tx_units_014 RENAME TO cfx_tx_units;
CREATE INDEX cfx_tx_units_serial ON cfx_tx_units (serial);
CREATE INDEX cfx_transactions_serial ON cfx_transactions (serial) WHERE serial IS NOT NULL;

-- Every (transaction, board) pair, wherever it is kept.
CREATE VIEW cfx_tx_serials AS
	SELECT transaction_id, serial, unit_id, position, status, started FROM cfx_tx_units
	UNION ALL
	SELECT transaction_id, serial, serial, unit_pos, unit_status, 1 FROM cfx_transactions
	WHERE serial IS NOT NULL;
