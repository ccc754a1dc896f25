-- 012_quality: what soldering, inspection, test and repair recorded per
-- board, test equipment with its equipment_calibrations, and the reflow profile
-- windows. Boards are named by serial (TEXT, no foreign key: the line's
-- record of a board it built is kept even before ecms knows the board).
-- Every record has a ref (the CFX UniqueID, or the SHA-256 of an imported
-- file, plus what tells records of one message apart): a replay of the
-- same data changes nothing.

-- Reflow window overrides, key/value as in reflow.h. scope: 'default'
-- (the site), 'paste:NAME' (a solder paste), 'product:NAME'. The
-- effective window is the built-in defaults, then default, the paste,
-- then the product.
CREATE TABLE reflow_windows (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	updated_seq {BIGINT} NOT NULL,
	PRIMARY KEY (scope, key)
);
INSERT INTO reflow_windows (scope, key, value, updated_seq) VALUES ('paste:SAC305', 'liquidus_c', '217', 0);
INSERT INTO reflow_windows (scope, key, value, updated_seq) VALUES ('paste:SAC387', 'liquidus_c', '217', 0);
INSERT INTO reflow_windows (scope, key, value, updated_seq) VALUES ('paste:SN100C', 'liquidus_c', '227', 0);
INSERT INTO reflow_windows (scope, key, value, updated_seq) VALUES ('paste:SN63PB37', 'liquidus_c', '183', 0);

-- One reflow record of a board. source: curve (a profile file),
-- cfx_oven (ReflowProcessData), cfx_profiler (ReflowProfilingProcessData).
-- txn: the CFX TransactionId (NULL for a file): oven and profiler records
-- of one transaction are one pass. pass_no counts the board's reflow
-- passes (1 = first). min_peak_c: the
-- lowest peak rating of a component on the board when recorded (NULL:
-- none known), at min_peak_refdes. metrics: JSON; win: the effective
-- window ("key=value" lines); profile_sha: the profile CSV document.
-- result: pass, warn or fail (the worst finding).
CREATE TABLE reflow_records (
	id {ID},
	serial TEXT NOT NULL,
	ref TEXT NOT NULL,
	source TEXT NOT NULL,
	txn TEXT,
	station TEXT,
	at_ms {BIGINT} NOT NULL,
	pass_no {BIGINT} NOT NULL,
	paste TEXT,
	product TEXT,
	min_peak_c {REAL},
	min_peak_refdes TEXT,
	metrics TEXT NOT NULL,
	win TEXT NOT NULL,
	profile_sha TEXT REFERENCES documents (sha256),
	result TEXT NOT NULL,
	seq {BIGINT} NOT NULL,
	UNIQUE (serial, ref)
);
CREATE INDEX reflow_records_serial ON reflow_records (serial, at_ms);

-- An inspection of a board (AOI, SPI, AXI, Human).
CREATE TABLE board_inspections (
	id {ID},
	serial TEXT NOT NULL,
	ref TEXT NOT NULL,
	method TEXT NOT NULL,
	station TEXT,
	recipe TEXT,
	recipe_rev TEXT,
	inspector TEXT,
	result TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL,
	UNIQUE (serial, ref)
);
CREATE INDEX board_inspections_serial ON board_inspections (serial, at_ms);

-- Defects by refdes and pin ("R22.1": refdes R22, pin 1); images are
-- documents, named by SHA-256 in board_defect_images.
CREATE TABLE board_defects (
	inspection_id {BIGINT} NOT NULL REFERENCES board_inspections (id),
	n {BIGINT} NOT NULL,
	check_name TEXT,
	designator TEXT,
	refdes TEXT,
	pin TEXT,
	code TEXT,
	category TEXT,
	description TEXT,
	PRIMARY KEY (inspection_id, n)
);
CREATE INDEX board_defects_refdes ON board_defects (refdes);

CREATE TABLE board_defect_images (
	inspection_id {BIGINT} NOT NULL REFERENCES board_inspections (id),
	n {BIGINT} NOT NULL,
	k {BIGINT} NOT NULL,
	mime TEXT,
	sha256 TEXT NOT NULL REFERENCES documents (sha256),
	PRIMARY KEY (inspection_id, n, k)
);

-- Test equipment and its equipment_calibrations (the certificate is a document).
-- A calibration is valid from valid_from_ms to the end of the day
-- valid_until (UTC).
CREATE TABLE test_equipment (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT,
	serial_no TEXT,
	created_seq {BIGINT} NOT NULL
);

CREATE TABLE equipment_calibrations (
	id {ID},
	equipment TEXT NOT NULL REFERENCES test_equipment (id),
	valid_from_ms {BIGINT} NOT NULL,
	valid_until TEXT NOT NULL,
	until_ms {BIGINT} NOT NULL,
	certificate_sha TEXT NOT NULL REFERENCES documents (sha256),
	certificate_name TEXT NOT NULL,
	actor TEXT NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE INDEX equipment_calibrations_eq ON equipment_calibrations (equipment, until_ms);

-- A test of a board (ICT, FCT, ...). equipment: the test equipment ID
-- (NULL: none named). cal_status: valid, lapsed, unregistered, none.
CREATE TABLE board_tests (
	id {ID},
	serial TEXT NOT NULL,
	ref TEXT NOT NULL,
	source TEXT NOT NULL,
	method TEXT NOT NULL,
	station TEXT,
	recipe TEXT,
	recipe_rev TEXT,
	technician TEXT,
	equipment TEXT,
	cal_status TEXT NOT NULL,
	result TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL,
	UNIQUE (serial, ref)
);
CREATE INDEX board_tests_serial ON board_tests (serial, at_ms);
CREATE INDEX board_tests_equipment ON board_tests (equipment, at_ms);

CREATE TABLE board_test_measurements (
	test_id {BIGINT} NOT NULL REFERENCES board_tests (id),
	n {BIGINT} NOT NULL,
	test_name TEXT,
	name TEXT NOT NULL,
	value {REAL},
	unit TEXT,
	lo {REAL},
	hi {REAL},
	expected {REAL},
	result TEXT,
	refdes TEXT,
	PRIMARY KEY (test_id, n)
);

-- A repair action on a board; a replaced component also goes through
-- genealogy rework (gen_rework keeps the history).
CREATE TABLE board_repairs (
	id {ID},
	serial TEXT NOT NULL,
	ref TEXT NOT NULL,
	action TEXT NOT NULL,
	designator TEXT,
	refdes TEXT,
	new_uid TEXT,
	result TEXT,
	operator TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL,
	UNIQUE (serial, ref)
);
CREATE INDEX board_repairs_serial ON board_repairs (serial, at_ms);

-- Findings kept with the board. kind: reflow, inspection, test, repair;
-- record_id: the row of that kind's table. code: stable ("reflow.peak_high",
-- "test.calibration_lapsed", ...). severity: fail, warn, info.
CREATE TABLE quality_findings (
	id {ID},
	serial TEXT NOT NULL,
	kind TEXT NOT NULL,
	record_id {BIGINT} NOT NULL,
	code TEXT NOT NULL,
	severity TEXT NOT NULL,
	subject TEXT,
	value {REAL},
	lim {REAL},
	unit TEXT,
	text TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL,
	seq {BIGINT} NOT NULL
);
CREATE INDEX quality_findings_serial ON quality_findings (serial, kind, record_id);
CREATE INDEX quality_findings_code ON quality_findings (code, at_ms);
