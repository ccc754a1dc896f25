-- 015_pass_board: a forward trace reads one b-tree per mount
-- (lib/genealogy_trace.c). It steps the passes of the mount's machine over
-- the mount's epochs, and for each pass it needs the board's serial, work
-- order and has_exc: until now a probe into gen_boards per pass, a third
-- of the trace. gen_passes becomes a WITHOUT ROWID table keyed by that
-- scan and carries copies of the three board columns, kept equal to
-- gen_boards' by lib/genealogy_pass.c (the only writer of either: a
-- board's work order is set once, has_exc only goes from 0 to 1). The
-- rowid table and the covering index that held the scan's columns a
-- second time are gone, so a pass takes about the same room as before.
-- The surrogate id goes too: nothing referred to a pass by it.
CREATE TABLE gen_passes_015 (
	machine_id {BIGINT} NOT NULL,
	tier INTEGER NOT NULL,
	last_epoch {BIGINT} NOT NULL,
	first_epoch {BIGINT} NOT NULL,
	board_id {BIGINT} NOT NULL,
	t_start {BIGINT} NOT NULL,
	program_id {BIGINT} NOT NULL,
	t_end {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL,
	serial TEXT NOT NULL,
	work_order TEXT,
	has_exc INTEGER NOT NULL,
	PRIMARY KEY (machine_id, tier, last_epoch, first_epoch, board_id, t_start)
) {WITHOUT_ROWID};
INSERT INTO gen_passes_015 SELECT p.machine_id, p.tier, p.last_epoch, p.first_epoch,
	p.board_id, p.t_start, p.program_id, p.t_end, p.seq, b.serial, b.work_order, b.has_exc
	FROM gen_passes p JOIN gen_boards b ON b.id = p.board_id;
DROP TABLE gen_passes;
ALTER TABLE gen_passes_015 RENAME TO gen_passes;
CREATE UNIQUE INDEX gen_passes_board ON gen_passes (board_id, machine_id, t_start);
