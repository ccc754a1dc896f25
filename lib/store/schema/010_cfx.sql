-- 010_cfx: what ecms heard from the line over IPC-CFX (lib/cfxingest.c).
-- The genealogy (007) and boards (008) tables hold the effects; these keep
-- the messages themselves: which were applied (idempotency by UniqueID),
-- which were rejected and why, the packages and transactions the line
-- named, and its faults. Nothing here references packages, work orders or
-- parts: the line may name ones ecms does not know, and they are recorded
-- anyway (and flagged).

-- Every message taken in, once per UniqueID. status: applied (its effect
-- is in the projections), unknown (a MessageName ecms does not handle:
-- kept), deferred (kept for the quality records, see cfx_raw).
-- ts_text keeps the TimeStamp as sent (with its offset); ts_ms is UTC.
-- note: what ecms noticed while applying it (e.g. "MAT1 was not mounted").
CREATE TABLE cfx_messages (
	unique_id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	source TEXT,
	ts_ms {BIGINT} NOT NULL,
	ts_text TEXT NOT NULL,
	origin TEXT,
	line {BIGINT},
	received_ms {BIGINT} NOT NULL,
	note TEXT,
	seq {BIGINT} NOT NULL
);
CREATE INDEX cfx_messages_name ON cfx_messages (name, ts_ms);

-- The whole envelope of messages kept for later (unknown, deferred).
CREATE TABLE cfx_raw (
	unique_id TEXT PRIMARY KEY,
	envelope TEXT NOT NULL
);

-- Rejected items: not JSON, not a valid envelope/body, or not applicable
-- (e.g. a setup change older than the machine's latest). digest: SHA-256
-- of the text and the reason, so the same rejection is kept once however
-- often a file is replayed. line: where the item starts in its input.
CREATE TABLE cfx_rejects (
	id {ID},
	digest TEXT NOT NULL UNIQUE,
	unique_id TEXT,
	name TEXT,
	origin TEXT,
	line {BIGINT},
	reason TEXT NOT NULL,
	text TEXT NOT NULL,
	received_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL
);

-- Packages the line named, with the CFX data it gave (MaterialsInitialized
-- in full; the other messages the IPN and quantity). known = 1 when ecms
-- has the package (packages table). flags: space-separated findings:
-- unknown_package, unknown_part, ipn_mismatch. data: the last
-- MaterialPackageDetail as JSON.
CREATE TABLE cfx_packages (
	uid TEXT PRIMARY KEY,
	ipn TEXT,
	mpn TEXT,
	manufacturer TEXT,
	vendor TEXT,
	lot TEXT,
	quantity {REAL},
	status TEXT,
	msd_level TEXT,
	msd_state TEXT,
	known INTEGER NOT NULL,
	flags TEXT NOT NULL,
	first_source TEXT,
	first_ms {BIGINT} NOT NULL,
	last_ms {BIGINT} NOT NULL,
	data TEXT,
	seq {BIGINT} NOT NULL
);

-- A WorkStarted..WorkCompleted transaction at a machine (the envelope
-- Source). program: RecipeName. pass: open (not completed yet), recorded
-- (board passes in the genealogy), no_program (the machine has no such
-- program in ecms: times kept, boards flagged), skipped (Result Skipped:
-- nothing placed).
CREATE TABLE cfx_transactions (
	transaction_id TEXT PRIMARY KEY,
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
	seq {BIGINT} NOT NULL
);

-- Which boards a transaction worked on, as the line named them.
CREATE TABLE cfx_tx_units (
	transaction_id TEXT NOT NULL,
	serial TEXT NOT NULL,
	unit_id TEXT NOT NULL,
	position {BIGINT} NOT NULL,
	PRIMARY KEY (transaction_id, serial)
);

-- How a CFX unit (UnitIdentifier, PositionNumber; -1 when none) maps to
-- a board serial, fixed the first time it is seen.
CREATE TABLE cfx_units (
	unit_id TEXT NOT NULL,
	position {BIGINT} NOT NULL,
	serial TEXT NOT NULL,
	PRIMARY KEY (unit_id, position)
);

-- Hermes BoardIds (IPC-HERMES-9852, CFX HermesIdentifier) seen with units,
-- so a machine that reports only the BoardId (no barcode reader) still
-- names the boards.
CREATE TABLE cfx_hermes (
	hermes_id TEXT NOT NULL,
	serial TEXT NOT NULL,
	PRIMARY KEY (hermes_id, serial)
);

-- Refdes taken off a board by MaterialsUninstalled: the next
-- MaterialsInstalled for the same board and refdes is a rework fit.
CREATE TABLE cfx_uninstalled (
	serial TEXT NOT NULL,
	refdes TEXT NOT NULL,
	reason TEXT NOT NULL,
	t_ms {BIGINT} NOT NULL,
	PRIMARY KEY (serial, refdes)
);

-- FaultOccurred, one row each.
CREATE TABLE cfx_faults (
	id {ID},
	unique_id TEXT NOT NULL,
	machine TEXT,
	code TEXT,
	cause TEXT,
	severity TEXT,
	fault_type TEXT,
	designator TEXT,
	slot TEXT,
	uid TEXT,
	lane {BIGINT},
	occurred_ms {BIGINT} NOT NULL,
	occurred_text TEXT NOT NULL,
	description TEXT,
	seq {BIGINT} NOT NULL
);
CREATE INDEX cfx_faults_machine ON cfx_faults (machine, occurred_ms);
