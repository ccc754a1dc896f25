-- 008_boards: serialised boards (one row per circuit: a single board or a
-- panel position), what happened to them on the line, and shipments.
-- Genealogy (007) keeps which package fed which refdes; this keeps the
-- board's life: where it is, whether it is on hold, where it went.

-- status: planned (serial allocated, not yet seen on the line), wip (seen
-- on the line), completed (finished production), scrapped, shipped.
-- hold: NULL, or why the board may not move on (a recall ID, a reason).
-- flags: space-separated findings about what the line reported, e.g.
-- "unknown_work_order" when the line names a work order ecms does not know
-- (recorded anyway: the line's record of what it built is the truth).
-- work_order is deliberately not a foreign key, for the same reason.
CREATE TABLE boards (
	serial TEXT PRIMARY KEY,
	work_order TEXT,
	panel TEXT,
	position {BIGINT},
	status TEXT NOT NULL,
	hold TEXT,
	flags TEXT NOT NULL,
	created_ms {BIGINT} NOT NULL,
	started_ms {BIGINT},
	completed_ms {BIGINT},
	shipment TEXT,
	updated_seq {BIGINT} NOT NULL
);
CREATE INDEX boards_wo ON boards (work_order, status);
CREATE INDEX boards_panel ON boards (panel, position);
CREATE INDEX boards_shipment ON boards (shipment);

-- The board's route: one row per step a station reported (arrived,
-- started, completed, departed, disqualified, processed, inspected,
-- tested, repaired, held, released, ...). result: the station's verdict
-- where it has one; detail: JSON text with whatever else matters.
CREATE TABLE board_route (
	id {ID},
	serial TEXT NOT NULL REFERENCES boards (serial),
	station TEXT NOT NULL,
	kind TEXT NOT NULL,
	result TEXT,
	operator TEXT,
	at_ms {BIGINT} NOT NULL,
	detail TEXT,
	seq {BIGINT} NOT NULL
);
CREATE INDEX board_route_serial ON board_route (serial, at_ms);

-- Per work order, the last serial number ecms allocated.
CREATE TABLE board_counters (
	work_order TEXT PRIMARY KEY,
	next_no {BIGINT} NOT NULL
);

-- A shipment: boards that left for a customer together.
CREATE TABLE shipments (
	id TEXT PRIMARY KEY,
	customer TEXT NOT NULL,
	shipped_ms {BIGINT} NOT NULL,
	reference TEXT,
	actor TEXT NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE INDEX shipments_customer ON shipments (customer, shipped_ms);
