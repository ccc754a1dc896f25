-- 007_genealogy: for every board, for every refdes, the package that fed it.
-- Stored as a setup timeline per machine ("epochs") plus one row per board
-- pass, so the cost per board is a small constant plus what changed; see
-- docs/architecture.md, "Genealogy: how it stays small".
-- Machines, slots and packages are named as the line names them: no
-- references to locations or packages (the line may name ones ecms does
-- not know, and they are recorded anyway).

-- A placement machine. cur_epoch/cur_ms: its latest epoch (0: nothing
-- loaded yet) and when that began; n_grey: slots inside a splice grey zone.
CREATE TABLE gen_machines (
	id {ID},
	name TEXT NOT NULL UNIQUE,
	nslots {BIGINT} NOT NULL,
	cur_epoch {BIGINT} NOT NULL,
	cur_ms {BIGINT} NOT NULL,
	n_grey {BIGINT} NOT NULL
);

-- A feeder slot, numbered densely per machine, with its live setup:
-- state = the UIDs it holds, space-separated, the feeding one last ('' when
-- empty; several only inside a grey zone); grey_left = parts still to be
-- placed before the grey zone is consumed; grey_epoch = where it began.
CREATE TABLE gen_slots (
	machine_id {BIGINT} NOT NULL REFERENCES gen_machines (id),
	slot_no {BIGINT} NOT NULL,
	name TEXT NOT NULL,
	state TEXT NOT NULL,
	grey_left {BIGINT} NOT NULL,
	grey_epoch {BIGINT} NOT NULL,
	PRIMARY KEY (machine_id, slot_no),
	UNIQUE (machine_id, name)
);

-- The setup timeline: epoch n of a machine is the period from t_ms on in
-- which its slot -> package map is constant. state holds lines
-- "slot_no uid uid..." for the slots that changed (is_full = 0), or for
-- every loaded slot (is_full = 1, every GEN_K-th epoch: a checkpoint).
CREATE TABLE gen_epochs (
	machine_id {BIGINT} NOT NULL REFERENCES gen_machines (id),
	epoch {BIGINT} NOT NULL,
	t_ms {BIGINT} NOT NULL,
	kind TEXT NOT NULL,
	is_full INTEGER NOT NULL,
	state TEXT NOT NULL,
	seq {BIGINT} NOT NULL,
	PRIMARY KEY (machine_id, epoch)
);
CREATE INDEX gen_epochs_time ON gen_epochs (machine_id, t_ms);

-- Where a package was mounted: epochs [from_epoch, to_epoch) on a slot
-- (to_epoch NULL while it still is). shared = 1: inside a grey zone, one
-- of several candidates. The forward trace starts here.
CREATE TABLE gen_mounts (
	uid TEXT NOT NULL,
	machine_id {BIGINT} NOT NULL REFERENCES gen_machines (id),
	slot_no {BIGINT} NOT NULL,
	from_epoch {BIGINT} NOT NULL,
	to_epoch {BIGINT},
	shared INTEGER NOT NULL
);
CREATE INDEX gen_mounts_uid ON gen_mounts (uid);

-- A placement program for one machine; a changed map is a new version
-- (passes keep the version they ran). map: lines
-- "slot_no<TAB>slot<TAB>ipn<TAB>refdes refdes ...".
CREATE TABLE gen_programs (
	id {ID},
	machine_id {BIGINT} NOT NULL REFERENCES gen_machines (id),
	name TEXT NOT NULL,
	version {BIGINT} NOT NULL,
	map TEXT NOT NULL,
	seq {BIGINT} NOT NULL,
	UNIQUE (machine_id, name, version)
);

-- A board (panel position): its serial and work order. has_exc = 1 once
-- it has any exception row (exact data that differs, rework).
CREATE TABLE gen_boards (
	id {ID},
	serial TEXT NOT NULL UNIQUE,
	work_order TEXT,
	has_exc INTEGER NOT NULL
);

-- One row per pass of a board through a machine: the epochs its
-- placement window [t_start, t_end] covers. The hot table: no foreign
-- keys (the ids come from the rows just read in the same transaction).
-- tier: the span (last_epoch - first_epoch) class, 0 up to 8, 1 up to 64,
-- 2 beyond (rare), so a forward scan on last_epoch within a tier is
-- bounded by the segment's end plus the tier's largest span.
CREATE TABLE gen_passes (
	id {ID},
	board_id {BIGINT} NOT NULL,
	machine_id {BIGINT} NOT NULL,
	program_id {BIGINT} NOT NULL,
	first_epoch {BIGINT} NOT NULL,
	last_epoch {BIGINT} NOT NULL,
	tier INTEGER NOT NULL,
	t_start {BIGINT} NOT NULL,
	t_end {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE UNIQUE INDEX gen_passes_board ON gen_passes (board_id, machine_id, t_start);
-- The forward trace's scan; covering, so it never reads the table.
CREATE INDEX gen_passes_epoch ON gen_passes (machine_id, tier, last_epoch, first_epoch,
	program_id, board_id);

-- Where a refdes differs from what the timeline says: exact data
-- (MaterialsInstalled) that resolves or contradicts it, or rework.
-- uid NULL: removed by rework, nothing fitted. timeline: the timeline's
-- candidates when the row was written (NULL: no pass yet, or refdes not in
-- the program). pending = 1: exact data that came before the board's
-- pass; it is compared (and dropped if it agrees) when the pass comes.
CREATE TABLE gen_exceptions (
	board_id {BIGINT} NOT NULL REFERENCES gen_boards (id),
	refdes TEXT NOT NULL,
	uid TEXT,
	source TEXT NOT NULL,
	machine_id {BIGINT},
	timeline TEXT,
	pending INTEGER NOT NULL,
	t_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL,
	PRIMARY KEY (board_id, refdes)
);
CREATE INDEX gen_exceptions_uid ON gen_exceptions (uid);

-- Rework history: what was fitted before (old_uids: its candidates,
-- space-separated, '' if nothing was known), what replaced it, who, why.
CREATE TABLE gen_rework (
	id {ID},
	board_id {BIGINT} NOT NULL REFERENCES gen_boards (id),
	refdes TEXT NOT NULL,
	old_uids TEXT NOT NULL,
	old_source TEXT NOT NULL,
	new_uid TEXT,
	user_id TEXT NOT NULL,
	reason TEXT NOT NULL,
	t_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE INDEX gen_rework_board ON gen_rework (board_id);
