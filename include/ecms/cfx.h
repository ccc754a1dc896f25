/*
 * cfx.h: reading IPC-CFX (IPC-2591) messages into typed C structures.
 *
 * Transport-free: the caller hands over bytes (a file, stdin, an AMQP
 * body, an HTTP request); this module finds the envelopes in them,
 * validates them and decodes the bodies the traceability layer needs.
 * It never touches the store.
 *
 * Input forms, mixed freely in one stream: one envelope per line
 * (NDJSON), a JSON array of envelopes (the SDK's MaxMessagesPerTransmit
 * > 1), a single or several concatenated (pretty-printed) envelopes. A
 * stream that starts with the gzip magic (1f 8b) is decompressed first.
 *
 * Errors are per item: a JSON syntax error or an invalid envelope
 * rejects that item only, with its source line and the reason, and the
 * reader goes on with the next one (for a syntax error: at the next line
 * that starts a value at the same or a lower indentation).
 *
 * Ownership: a message (ecms_cfx_msg) is one allocation freed with
 * ecms_cfx_msg_free(). Every pointer inside it (strings, arrays, json_t)
 * lives exactly as long as the message: strings point into the envelope
 * json_t the message holds, arrays into the message's own arena. Do not
 * modify or decref the json_t members. Messages do not refer to the
 * reader's input and outlive the reader.
 *
 * Absent values: strings are NULL when the field is missing or JSON null;
 * doubles are NaN (test with isnan()); counts, positions and lanes are -1;
 * times have text == NULL.
 */
#ifndef ECMS_CFX_H
#define ECMS_CFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest input the reader accepts, raw or after gunzip (zip bombs). */
#define ECMS_CFX_INPUT_MAX ((size_t)256 << 20)

/* Longest rejected text kept in an ecms_cfx_reject (longer is cut). */
#define ECMS_CFX_REJECT_TEXT_MAX ((size_t)1 << 20)

/* Longest MessageName and UniqueID accepted. */
#define ECMS_CFX_ID_MAX 256

/* ------------------------------------------------------------------
 * Message kinds
 * ------------------------------------------------------------------ */

typedef enum ecms_cfx_kind {
	ECMS_CFX_UNKNOWN = 0, /* any other MessageName: envelope checked, body kept */
	ECMS_CFX_MATERIALS_INITIALIZED,   /* u.materials */
	ECMS_CFX_MATERIALS_LOADED,        /* u.loaded */
	ECMS_CFX_MATERIALS_UNLOADED,      /* u.unloaded */
	ECMS_CFX_MATERIALS_EMPTY,         /* u.empty */
	ECMS_CFX_SPLICE_POINT_DETECTED,   /* u.splice */
	ECMS_CFX_UNITS_ARRIVED,           /* u.arrived */
	ECMS_CFX_WORK_STARTED,            /* u.work_started */
	ECMS_CFX_WORK_COMPLETED,          /* u.work_completed */
	ECMS_CFX_UNITS_DEPARTED,          /* u.departed */
	ECMS_CFX_MATERIALS_INSTALLED,     /* u.installed */
	ECMS_CFX_MATERIALS_UNINSTALLED,   /* u.uninstalled */
	ECMS_CFX_UNITS_DISQUALIFIED,      /* u.disqualified */
	ECMS_CFX_FAULT_OCCURRED,          /* u.fault */
	ECMS_CFX_MATERIALS_OPENED,        /* u.materials (MSD) */
	ECMS_CFX_MATERIALS_PLACED_IN_DRY_STORAGE,    /* u.materials (MSD) */
	ECMS_CFX_MATERIALS_REMOVED_FROM_DRY_STORAGE, /* u.materials (MSD) */
	ECMS_CFX_MATERIALS_EXPIRED,       /* u.materials (MSD) */
	ECMS_CFX_MATERIALS_RESTORED,      /* u.materials (MSD) */
	ECMS_CFX_UNITS_PROCESSED,         /* u.processed */
	ECMS_CFX_UNITS_INSPECTED,         /* u.inspected */
	ECMS_CFX_UNITS_TESTED,            /* u.tested */
	ECMS_CFX_UNITS_REPAIRED,          /* u.repaired */
	ECMS_CFX_KIND_COUNT
} ecms_cfx_kind;

/* The full MessageName of a kind ("CFX.Production.WorkStarted"), or
 * "unknown" for ECMS_CFX_UNKNOWN and out-of-range values. Static text. */
const char *ecms_cfx_kind_name(ecms_cfx_kind kind);

/* The kind of a full MessageName (exact, case-sensitive match), or
 * ECMS_CFX_UNKNOWN. name may be NULL. */
ecms_cfx_kind ecms_cfx_kind_from_name(const char *name);

/* ------------------------------------------------------------------
 * Building blocks
 * ------------------------------------------------------------------ */

/* A time as sent: the text keeps the sender's offset; ms is UTC. */
typedef struct ecms_cfx_time {
	const char *text;  /* e.g. "2018-10-03T16:03:05.1091909-04:00"; NULL: absent */
	int64_t ms;        /* UTC ms (fraction truncated to ms); 0 when absent */
	int offset_min;    /* the text's offset from UTC in minutes (-240 above) */
	bool has_offset;   /* false: the text names no zone and was taken as UTC */
} ecms_cfx_time;

/* MaterialCarrier and subtypes (CarrierInformation). */
typedef struct ecms_cfx_carrier {
	const json_t *json;    /* the CarrierInformation object; NULL: none */
	const char *type;      /* $type class: "SMDTapeFeeder", "SMDTubeFeeder",
				* "SMDTrayFeeder", ...; NULL when untyped */
	const char *unique_id; /* UniqueIdentifier (the feeder's id) */
	const char *name;      /* Name */
	const char *base_id;   /* BaseUniqueIdentifier (multi-lane feeder base) */
	const char *base_name; /* BaseName */
	int lane;              /* LaneNumber */
	double tape_width;     /* TapeWidth (tape feeders), mm */
	double tape_pitch;     /* TapePitch (tape feeders), mm */
} ecms_cfx_carrier;

/* MaterialPackage: a reel, tray, tube... */
typedef struct ecms_cfx_package {
	const char *uid;          /* UniqueIdentifier: the reel barcode/RFID */
	const char *ipn;          /* InternalPartNumber */
	const char *package_name; /* InternalPackageName */
	const char *batch_id;     /* BatchId */
	const char *leading_uid;  /* LeadingMaterialPackage.UniqueIdentifier */
	double quantity;          /* Quantity */
	int64_t grey_zone;        /* GreyZone: parts of unknown origin at a splice */
} ecms_cfx_package;

/* MaterialLocation: a package at a slot and/or on a carrier. */
typedef struct ecms_cfx_location {
	const char *location_id;   /* LocationIdentifier (slot) */
	const char *location_name; /* LocationName ("SLOT45") */
	bool has_package;          /* MaterialPackage present (always in
				    * Loaded/Empty/Splice, where its uid is
				    * required) */
	ecms_cfx_package package;
	ecms_cfx_carrier carrier;  /* carrier.json NULL when absent */
} ecms_cfx_location;

/* MaterialPackageMSDData (MaterialData with that $type). */
typedef struct ecms_cfx_msd {
	const char *level;            /* MSDLevel: "MSL1".."MSL6", "MSL2A", "MSL5A" */
	const char *state;            /* MSDState: NeverOpened, Exposed,
				       * InDryStorage, Expired */
	ecms_cfx_time expiration;     /* ExpirationDateTime */
	ecms_cfx_time original_exposure; /* OriginalExposureDateTime */
	ecms_cfx_time last_exposure;  /* LastExposureDateTime */
	const char *remaining_text;   /* RemainingExposureTime ("6.00:00:00") */
	int64_t remaining_ms;         /* the same in ms; -1 when absent */
} ecms_cfx_msd;

/* MaterialPackageDetail (MaterialsInitialized and the MSD messages). */
typedef struct ecms_cfx_package_detail {
	ecms_cfx_package pkg;       /* pkg.uid is required */
	const char *manufacturer;   /* Manufacturer */
	const char *mpn;            /* ManufacturerPartNumber */
	const char *vendor;         /* Vendor */
	const char *vendor_pn;      /* VendorPartNumber */
	const char *lot;            /* ManufacturerLotCode */
	const char *units;          /* Units (of Quantity) */
	const char *status;         /* Status: Active, Blocked, Depleted */
	const char *hazardous;      /* HazardousMaterialType */
	double initial_quantity;    /* InitialQuantity */
	ecms_cfx_time created;      /* Created */
	ecms_cfx_time manufactured; /* ManufactureDate */
	ecms_cfx_time received;     /* ReceivedDate */
	ecms_cfx_time expiry;       /* ExpiryDate */
	const char *material_data_type; /* MaterialData $type class, or NULL */
	const json_t *material_data;    /* MaterialData, or NULL */
	bool has_msd;               /* MaterialData is MaterialPackageMSDData */
	ecms_cfx_msd msd;
} ecms_cfx_package_detail;

/* UnitPosition. */
typedef struct ecms_cfx_unit {
	const char *unit_id;       /* UnitIdentifier (board, panel or carrier) */
	int position;              /* PositionNumber */
	const char *position_name; /* PositionName */
	const char *status;        /* Status: Pass, Fail, Scrap, Skip */
} ecms_cfx_unit;

/* Operator (Inspector, Tester, RepairOperator). */
typedef struct ecms_cfx_operator {
	const char *id;         /* OperatorIdentifier (badge) */
	const char *actor_type; /* ActorType: Human, Robot, RemoteSystem */
	const char *login;      /* LoginName */
	const char *first_name; /* FirstName */
	const char *last_name;  /* LastName */
} ecms_cfx_operator;

/* ------------------------------------------------------------------
 * Bodies
 * ------------------------------------------------------------------ */

/* MaterialsInitialized and the five MSDManagement messages. */
typedef struct ecms_cfx_materials {
	ecms_cfx_package_detail *materials; /* Materials */
	size_t n_materials;
} ecms_cfx_materials;

/* MaterialsLoaded (Materials) and MaterialsEmpty (EmptyMaterials). */
typedef struct ecms_cfx_locations {
	ecms_cfx_location *locations;
	size_t n_locations;
} ecms_cfx_locations;

/* MaterialsUnloaded. */
typedef struct ecms_cfx_unloaded {
	const char **uids; /* MaterialPackageIdentifiers, each non-empty */
	size_t n_uids;
} ecms_cfx_unloaded;

/* SplicePointDetected. */
typedef struct ecms_cfx_splice {
	ecms_cfx_location depleted;     /* DepletedMaterial */
	ecms_cfx_location newly_active; /* NewlyActiveMaterial */
} ecms_cfx_splice;

/*
 * UnitsArrived, UnitsDeparted, UnitsDisqualified, WorkStarted and
 * WorkCompleted share this struct; fields a message lacks stay absent.
 */
typedef struct ecms_cfx_units {
	const char *transaction_id; /* TransactionID: required in Work* */
	const char *primary_id;     /* PrimaryIdentifier */
	const char *hermes_id;      /* HermesIdentifier (Hermes BoardId) */
	int lane;                   /* Lane */
	int unit_count;             /* UnitCount */
	ecms_cfx_unit *units;       /* Units */
	size_t n_units;
	/* WorkStarted */
	const char *recipe;         /* RecipeName */
	const char *revision;       /* Revision */
	const char *surface;        /* RelevantSurface */
	const char *work_order_id;  /* WorkOrderIdentifier.WorkOrderId */
	const char *batch;          /* WorkOrderIdentifier.Batch */
	/* WorkCompleted */
	const char *result;         /* Result: Completed, Failed, Aborted, Skipped */
	/* UnitsDisqualified */
	const char *reason;         /* Reason */
	const char *comments;       /* Comments */
} ecms_cfx_units;

/* InstalledComponent (or an uninstalled one). */
typedef struct ecms_cfx_component {
	const char *refdes;          /* ReferenceDesignator (required) */
	ecms_cfx_time installed_at;  /* InstallationTime */
	const char *installed_unit;  /* InstalledUnitIdentifier (sub-assembly) */
	const char *type;            /* $type class ("SMTInstalledComponent") */
	const char *head_id;         /* HeadAndNozzle.HeadId */
	const char *nozzle_id;       /* HeadAndNozzle.UniqueIdentifier */
	int head_nozzle_number;      /* HeadAndNozzle.HeadNozzleNumber */
} ecms_cfx_component;

/* InstalledMaterial, or UninstalledMaterial. */
typedef struct ecms_cfx_install {
	const char *unit_id;        /* UnitIdentifier (required) */
	int position;               /* UnitPositionNumber */
	double quantity;            /* QuantityInstalled / QuantityUninstalled */
	double quantity_not;        /* QuantityNonInstalled */
	ecms_cfx_package material;  /* Material (uid required): the reel */
	const char *location_id;    /* CarrierLocation.LocationIdentifier (slot) */
	const char *location_name;  /* CarrierLocation.LocationName */
	ecms_cfx_carrier carrier;   /* CarrierLocation.CarrierInformation */
	ecms_cfx_component *components; /* InstalledComponents / UninstalledComponents */
	size_t n_components;
	ecms_cfx_component *not_installed; /* NonInstalledComponents */
	size_t n_not_installed;
	const char *reference_pn;   /* ReferencePartNumber (alternate part used) */
	const char *reason;         /* Reason (uninstalled) */
} ecms_cfx_install;

/* MaterialsInstalled (InstalledMaterials), MaterialsUninstalled
 * (UninstalledMaterials). */
typedef struct ecms_cfx_installs {
	const char *transaction_id; /* TransactionId (joins WorkStarted) */
	ecms_cfx_install *items;
	size_t n_items;
} ecms_cfx_installs;

/* FaultOccurred: Fault, with the SMTPlacementFault/THTInsertionFault
 * extras when present. */
typedef struct ecms_cfx_fault {
	const json_t *json;         /* the Fault object */
	const char *type;           /* $type class ("SMTPlacementFault"), or NULL */
	const char *cause;          /* Cause */
	const char *severity;       /* Severity */
	const char *code;           /* FaultCode */
	const char *occurrence_id;  /* FaultOccurrenceId */
	const char *description;    /* Description */
	const char *fault_type;     /* PlacementFaultType, InsertionFaultType,
				     * PrintingFaultType (any "*FaultType") */
	int lane;                   /* Lane */
	int stage_sequence;         /* Stage.StageSequence */
	const char *stage_name;     /* Stage.StageName */
	ecms_cfx_time occurred_at;  /* OccurredAt */
	ecms_cfx_time due;          /* DueDateTime */
	int program_step;           /* ProgramStep */
	const char *designator;     /* Designator.ReferenceDesignator ("R31") */
	const char *designator_pn;  /* Designator.PartNumber */
	bool has_location;          /* MaterialLocation present */
	ecms_cfx_location location; /* MaterialLocation (package uid optional) */
	const char *head_id;        /* HeadAndNozzle.HeadId */
	const char *nozzle_id;      /* HeadAndNozzle.UniqueIdentifier */
	int head_nozzle_number;     /* HeadAndNozzle.HeadNozzleNumber */
} ecms_cfx_fault;

typedef struct ecms_cfx_reflow_value {
	const char *sub_zone; /* SubZone: WholeZone, Top, Bottom */
	const char *type;     /* SetpointType / ReadingType: Temperature, O2, ... */
	double value;         /* Setpoint / ReadingValue */
} ecms_cfx_reflow_value;

typedef struct ecms_cfx_reflow_zone {
	const char *zone_type;   /* Zone.ReflowZoneType: PreHeat, Soak, Reflow, Cool... */
	int stage_sequence;      /* Zone.StageSequence */
	const char *stage_name;  /* Zone.StageName */
	ecms_cfx_reflow_value *setpoints; /* Setpoints */
	size_t n_setpoints;
	ecms_cfx_reflow_value *readings;  /* Readings */
	size_t n_readings;
} ecms_cfx_reflow_zone;

/* ReflowProcessData, or ReflowProfilingProcessData (profiling true). */
typedef struct ecms_cfx_reflow {
	bool profiling;
	double conveyor_speed;          /* ConveyorSpeed / MeasuredConveyorSpeed */
	double conveyor_speed_setpoint; /* ConveyorSpeedSetpoint */
	ecms_cfx_reflow_zone *zones;    /* ZoneData */
	size_t n_zones;
	/* ReflowProfilingProcessData only: */
	const char *barcode;        /* Barcode */
	const char *oven_name;      /* OvenName */
	const char *product_name;   /* ProductName */
	const char *recipe;         /* RecipeName */
	const char *process_window; /* ProcessWindowName */
	const char *lot_id;         /* LotID */
	const char *result;         /* Result */
	int lane;                   /* Lane */
	double pwi;                 /* ProductionUnitPWI */
	ecms_cfx_time unit_in;      /* TimeDateUnitIn */
	ecms_cfx_time unit_out;     /* TimeDateUnitOut */
} ecms_cfx_reflow;

/* A polymorphic ProcessData member. */
typedef struct ecms_cfx_process_data {
	const json_t *json;      /* the object, or NULL when absent/null */
	const char *type;        /* its $type class ("ReflowProcessData"), or NULL */
	ecms_cfx_reflow *reflow; /* decoded when type is Reflow(Profiling)ProcessData */
} ecms_cfx_process_data;

typedef struct ecms_cfx_unit_process {
	const char *unit_id;  /* UnitIdentifier */
	int position;         /* UnitPositionNumber */
	const char *result;   /* UnitResult */
	ecms_cfx_process_data data; /* UnitProcessData */
} ecms_cfx_unit_process;

/* UnitsProcessed. */
typedef struct ecms_cfx_processed {
	const char *transaction_id;    /* TransactionId */
	const char *overall_result;    /* OverallResult: Succeeded, Failed, ... */
	ecms_cfx_process_data common;  /* CommonProcessData */
	ecms_cfx_unit_process *units;  /* UnitProcessData */
	size_t n_units;
} ecms_cfx_processed;

/* Measurement and subtypes; NumericMeasurement's MeasuredValue decoded. */
typedef struct ecms_cfx_measurement {
	const json_t *json;   /* the Measurement object */
	const char *type;     /* $type class ("NumericMeasurement",
			       * "SolderPasteMeasurement", ...) or NULL */
	const char *uid;      /* UniqueIdentifier */
	const char *name;     /* MeasurementName */
	const char *result;   /* Result */
	const char *crds;     /* CRDs: comma-separated designators ("R21") */
	ecms_cfx_time recorded;    /* TimeRecorded */
	double value;              /* MeasuredValue.Value */
	const char *value_units;   /* MeasuredValue.ValueUnits */
	double expected;           /* MeasuredValue.ExpectedValue */
	const char *expected_units;/* MeasuredValue.ExpectedValueUnits */
	double min;                /* MeasuredValue.MinimumAcceptableValue */
	double max;                /* MeasuredValue.MaximumAcceptableValue */
} ecms_cfx_measurement;

/* Defect. */
typedef struct ecms_cfx_defect {
	const char *uid;          /* UniqueIdentifier */
	const char *code;         /* DefectCode */
	const char *category;     /* DefectCategory */
	const char *description;  /* Description */
	const char *comments;     /* Comments */
	const char *component;    /* ComponentOfInterest.ReferenceDesignator
				   * (pin form "R22.1" kept as sent) */
	const char *part_number;  /* ComponentOfInterest.PartNumber */
	int priority;             /* Priority */
	double confidence;        /* ConfidenceLevel */
	size_t n_images;          /* DefectImages (data left in json) */
} ecms_cfx_defect;

/* Symptom (tests): several components possible. */
typedef struct ecms_cfx_symptom {
	const char *uid;          /* UniqueIdentifier */
	const char *code;         /* SymptomCode */
	const char *category;     /* SymptomCategory */
	const char *description;  /* Description */
	const char **components;  /* ComponentsOfInterest[].ReferenceDesignator
				   * (NULL entries where none was given) */
	size_t n_components;
	ecms_cfx_measurement *measurements; /* RelatedMeasurements */
	size_t n_measurements;
} ecms_cfx_symptom;

/* One Inspection (UnitsInspected) or Test (UnitsTested). */
typedef struct ecms_cfx_check {
	const char *uid;          /* UniqueIdentifier */
	const char *name;         /* InspectionName / TestName */
	const char *result;       /* Result */
	ecms_cfx_time start;      /* InspectionStartTime / TestStartTime */
	ecms_cfx_time end;        /* InspectionEndTime / TestEndTime */
	ecms_cfx_defect *defects; /* DefectsFound */
	size_t n_defects;
	ecms_cfx_symptom *symptoms; /* SymptomsFound (tests) / Symptoms */
	size_t n_symptoms;
	ecms_cfx_measurement *measurements; /* Measurements */
	size_t n_measurements;
} ecms_cfx_check;

/* InspectedUnit / TestedUnit / InspectedPanel. */
typedef struct ecms_cfx_checked_unit {
	const char *unit_id;    /* UnitIdentifier */
	int position;           /* UnitPositionNumber (-1 for a panel) */
	const char *result;     /* OverallResult: Passed, Failed, Error, ... */
	ecms_cfx_check *checks; /* Inspections / Tests */
	size_t n_checks;
} ecms_cfx_checked_unit;

/* UnitsInspected and UnitsTested. */
typedef struct ecms_cfx_checks {
	const char *transaction_id;  /* TransactionId */
	const char *method;          /* InspectionMethod (AOI, SPI, AXI, Human) /
				      * TestMethod (ICT, FPT, FCT, ...) */
	ecms_cfx_operator op;        /* Inspector / Tester */
	const char *recipe;          /* RecipeName */
	const char *recipe_revision; /* RecipeRevision */
	ecms_cfx_checked_unit *units; /* InspectedUnits / TestedUnits */
	size_t n_units;
	bool has_panel;              /* InspectedPanel present */
	ecms_cfx_checked_unit panel;
} ecms_cfx_checks;

typedef struct ecms_cfx_repair {
	const char *uid;          /* UniqueIdentifier */
	const char *name;         /* RepairName */
	const char *result;       /* Result */
	const char *comments;     /* Comments */
	const char *component;    /* ComponentOfInterest.ReferenceDesignator */
	const char *part_number;  /* ComponentOfInterest.PartNumber */
	ecms_cfx_time start;      /* RepairStartTime */
	ecms_cfx_time end;        /* RepairEndTime */
	const char **defect_ids;  /* RelatedDefectIdentifiers */
	size_t n_defect_ids;
} ecms_cfx_repair;

typedef struct ecms_cfx_repaired_unit {
	const char *unit_id;      /* UnitIdentifier */
	int position;             /* UnitPositionNumber */
	const char *result;       /* OverallResult */
	ecms_cfx_repair *repairs; /* Repairs */
	size_t n_repairs;
} ecms_cfx_repaired_unit;

/* UnitsRepaired. */
typedef struct ecms_cfx_repaired {
	const char *transaction_id;    /* TransactionId */
	ecms_cfx_operator op;          /* RepairOperator */
	ecms_cfx_repaired_unit *units; /* RepairedUnits */
	size_t n_units;
} ecms_cfx_repaired;

/* ------------------------------------------------------------------
 * The message
 * ------------------------------------------------------------------ */

typedef struct ecms_cfx_msg {
	ecms_cfx_kind kind;
	long line;              /* source line where the envelope starts (1-based;
				 * 0 when built from a json_t with no line) */
	const char *name;       /* MessageName (non-empty) */
	const char *version;    /* Version, or NULL */
	const char *unique_id;  /* UniqueID (non-empty): the de-duplication key */
	ecms_cfx_time timestamp; /* TimeStamp (required): when the event happened */
	const char *source;     /* Source (CFX handle), or NULL */
	const char *target;     /* Target, or NULL */
	const char *request_id; /* RequestID, or NULL */
	json_t *envelope;       /* the whole envelope (borrowed from the message) */
	json_t *body;           /* MessageBody, an object (inside envelope) */
	union {
		ecms_cfx_materials materials;   /* INITIALIZED and the MSD kinds */
		ecms_cfx_locations loaded;      /* MATERIALS_LOADED */
		ecms_cfx_locations empty;       /* MATERIALS_EMPTY */
		ecms_cfx_unloaded unloaded;     /* MATERIALS_UNLOADED */
		ecms_cfx_splice splice;         /* SPLICE_POINT_DETECTED */
		ecms_cfx_units arrived;         /* UNITS_ARRIVED */
		ecms_cfx_units departed;        /* UNITS_DEPARTED */
		ecms_cfx_units disqualified;    /* UNITS_DISQUALIFIED */
		ecms_cfx_units work_started;    /* WORK_STARTED */
		ecms_cfx_units work_completed;  /* WORK_COMPLETED */
		ecms_cfx_installs installed;    /* MATERIALS_INSTALLED */
		ecms_cfx_installs uninstalled;  /* MATERIALS_UNINSTALLED */
		ecms_cfx_fault fault;           /* FAULT_OCCURRED */
		ecms_cfx_processed processed;   /* UNITS_PROCESSED */
		ecms_cfx_checks inspected;      /* UNITS_INSPECTED */
		ecms_cfx_checks tested;         /* UNITS_TESTED */
		ecms_cfx_repaired repaired;     /* UNITS_REPAIRED */
	} u;
} ecms_cfx_msg;

/* Free a message and everything it points to. NULL is a no-op. */
void ecms_cfx_msg_free(ecms_cfx_msg *msg);

/*
 * Build a message from one parsed envelope. Takes a new reference to
 * envelope (the caller keeps its own). line is stored in msg->line.
 * Returns ECMS_OK with *out set (free with ecms_cfx_msg_free), ECMS_EINVAL
 * when the envelope or the body of a known kind is invalid (err->message
 * names the field path and what was expected, e.g. "MessageBody.
 * InstalledMaterials[0].Material: missing UniqueIdentifier"; err->field
 * holds the path), or ECMS_ENOMEM. *out is NULL on failure.
 */
int ecms_cfx_msg_from_json(json_t *envelope, long line, ecms_cfx_msg **out /* OUT */,
			   ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * The stream reader
 * ------------------------------------------------------------------ */

typedef struct ecms_cfx_reader ecms_cfx_reader;

/* What was rejected, for the rejection log. Valid until the next call
 * on the reader. */
typedef struct ecms_cfx_reject {
	long line;          /* line where the rejected value starts */
	long error_line;    /* syntax errors: line of the error; else = line */
	long column;        /* syntax errors: column of the error (1-based);
			     * else 0 */
	bool syntax;        /* true: not JSON; false: JSON but not a valid
			     * envelope/body */
	const char *message_name; /* MessageName if readable, else NULL */
	const char *unique_id;    /* UniqueID if readable, else NULL */
	const char *reason; /* e.g. "MessageBody.InstalledMaterials[0].Material:
			     * missing UniqueIdentifier" (no line prefix) */
	const char *text;   /* the rejected item: compact JSON for a parsed
			     * value, else the raw lines (invalid UTF-8 and
			     * NUL bytes replaced by '?'); NUL-terminated */
	size_t text_len;
	bool text_truncated; /* text was cut at ECMS_CFX_REJECT_TEXT_MAX */
} ecms_cfx_reject;

/* Running totals of one reader. */
typedef struct ecms_cfx_stats {
	size_t messages;  /* messages returned, UNKNOWN ones included */
	size_t unknown;   /* of those, kind ECMS_CFX_UNKNOWN */
	size_t rejected;  /* items rejected */
	size_t by_kind[ECMS_CFX_KIND_COUNT];
} ecms_cfx_stats;

/*
 * Start reading data[0..len). Data that starts with 1f 8b is gunzipped
 * (concatenated members too) into memory the reader owns; other data is
 * borrowed and must stay valid and unchanged until ecms_cfx_reader_free.
 * max caps the input, raw or decompressed (0: ECMS_CFX_INPUT_MAX).
 * A gzip stream that is corrupt, truncated or followed by junk is not
 * fatal: what decompressed is read, then one last rejection reports the
 * gzip error.
 * Returns ECMS_OK (*out set; free with ecms_cfx_reader_free), ECMS_EINVAL
 * (the input, or what it inflates to, is over max), ECMS_EUSAGE (data
 * NULL with len > 0), ECMS_ENOMEM.
 */
int ecms_cfx_reader_new(const void *data, size_t len, size_t max,
			ecms_cfx_reader **out /* OUT */, ecms_error *err) ECMS_WUR;

/* Free a reader (messages it returned stay valid). NULL is a no-op. */
void ecms_cfx_reader_free(ecms_cfx_reader *r);

/*
 * Read the next item.
 *  ECMS_OK, *msg set:    a message (caller frees with ecms_cfx_msg_free);
 *  ECMS_OK, *msg NULL:   end of input;
 *  ECMS_EINVAL:          one item rejected; err->message is "line N: reason"
 *                        (syntax: "line N, column C: invalid JSON: ..."),
 *                        ecms_cfx_reader_reject() has the details. Call
 *                        again to go on with the rest of the stream;
 *  ECMS_ENOMEM:          out of memory; the reader has not moved, so a
 *                        later call retries the same item.
 */
int ecms_cfx_reader_next(ecms_cfx_reader *r, ecms_cfx_msg **msg /* OUT */,
			 ecms_error *err) ECMS_WUR;

/* The last rejection (after ECMS_EINVAL from ecms_cfx_reader_next), or
 * NULL. Owned by the reader; valid until its next call. */
const ecms_cfx_reject *ecms_cfx_reader_reject(const ecms_cfx_reader *r);

/* Totals so far. Owned by the reader. */
const ecms_cfx_stats *ecms_cfx_reader_stats(const ecms_cfx_reader *r);

/* True when the input was gzip-compressed. */
bool ecms_cfx_reader_gzipped(const ecms_cfx_reader *r);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_CFX_H */
