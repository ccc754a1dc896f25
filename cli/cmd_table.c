/*
 * cmd_table.c: the one list of ecms commands. `ecms help` and
 * `ecms COMMAND --help` are generated from these entries. To add a
 * command: write cli/cmd_<name>.c (two words: cmd_<word>_<word>.c)
 * exporting its one struct cmd_entry, add it to CMD_LIST below (in the
 * order `ecms help` shows). One command per file; code several commands
 * share goes into util.c or the family's <family>_common.c.
 */
#include "cli.h"

/* clang-format off */
#define CMD_LIST(X)               \
	X(cmd_init_entry)         \
	X(cmd_import_entry)       \
	X(cmd_label_parse_entry)  \
	X(cmd_label_print_entry)  \
	X(cmd_station_set_entry)  \
	X(cmd_station_list_entry) \
	X(cmd_part_list_entry)    \
	X(cmd_part_show_entry)    \
	X(cmd_manufacturer_list_entry) \
	X(cmd_manufacturer_show_entry) \
	X(cmd_supplier_list_entry) \
	X(cmd_supplier_show_entry) \
	X(cmd_po_list_entry)      \
	X(cmd_po_show_entry)      \
	X(cmd_coc_add_entry)      \
	X(cmd_coc_list_entry)     \
	X(cmd_coc_show_entry)     \
	X(cmd_coc_export_entry)   \
	X(cmd_receive_entry)      \
	X(cmd_quarantine_entry)   \
	X(cmd_inspect_entry)      \
	X(cmd_release_entry)      \
	X(cmd_reject_entry)       \
	X(cmd_package_show_entry) \
	X(cmd_move_entry)         \
	X(cmd_split_entry)        \
	X(cmd_count_entry)        \
	X(cmd_scrap_entry)        \
	X(cmd_access_entry)       \
	X(cmd_stocktake_entry)    \
	X(cmd_stock_entry)        \
	X(cmd_alerts_entry)       \
	X(cmd_bom_show_entry)     \
	X(cmd_wo_create_entry)    \
	X(cmd_wo_list_entry)      \
	X(cmd_wo_show_entry)      \
	X(cmd_wo_serials_entry)   \
	X(cmd_board_show_entry)   \
	X(cmd_board_list_entry)   \
	X(cmd_kit_entry)          \
	X(cmd_kit_pick_entry)     \
	X(cmd_reorder_entry)      \
	X(cmd_program_list_entry) \
	X(cmd_program_show_entry) \
	X(cmd_setup_program_entry) \
	X(cmd_setup_load_entry)   \
	X(cmd_setup_splice_entry) \
	X(cmd_setup_unload_entry) \
	X(cmd_setup_check_entry)  \
	X(cmd_setup_show_entry)   \
	X(cmd_setup_refused_entry) \
	X(cmd_rules_list_entry)   \
	X(cmd_rules_set_entry)    \
	X(cmd_msd_open_entry)     \
	X(cmd_msd_seal_entry)     \
	X(cmd_msd_bake_entry)     \
	X(cmd_msd_bake_start_entry) \
	X(cmd_msd_bake_end_entry) \
	X(cmd_msd_bake_abort_entry) \
	X(cmd_msd_status_entry)   \
	X(cmd_msd_expiring_entry) \
	X(cmd_msd_rules_entry)    \
	X(cmd_msd_rule_set_entry) \
	X(cmd_cfx_ingest_entry)   \
	X(cmd_cfx_rejected_entry) \
	X(cmd_cfx_faults_entry)   \
	X(cmd_cfx_packages_entry) \
	X(cmd_cfx_retry_entry)    \
	X(cmd_location_list_entry) \
	X(cmd_location_show_entry) \
	X(cmd_user_list_entry)    \
	X(cmd_user_show_entry)    \
	X(cmd_user_passwd_entry)  \
	X(cmd_log_entry)          \
	X(cmd_audit_verify_entry) \
	X(cmd_ship_entry)         \
	X(cmd_rework_entry)       \
	X(cmd_trace_board_entry)  \
	X(cmd_trace_lot_entry)    \
	X(cmd_trace_reel_entry)   \
	X(cmd_trace_datecode_entry) \
	X(cmd_trace_supplier_entry) \
	X(cmd_trace_coc_entry)    \
	X(cmd_recall_entry)       \
	X(cmd_recall_list_entry)  \
	X(cmd_recall_show_entry)  \
	X(cmd_reflow_import_entry) \
	X(cmd_reflow_window_entry) \
	X(cmd_test_import_entry)  \
	X(cmd_equipment_add_entry) \
	X(cmd_equipment_list_entry) \
	X(cmd_equipment_show_entry) \
	X(cmd_equipment_calibrate_entry) \
	X(cmd_repair_entry)       \
	X(cmd_quality_show_entry) \
	X(cmd_report_board_entry) \
	X(cmd_report_order_entry) \
	X(cmd_report_compliance_entry) \
	X(cmd_report_recall_entry) \
	X(cmd_sim_master_entry)   \
	X(cmd_sim_receive_entry)  \
	X(cmd_sim_product_entry)  \
	X(cmd_sim_production_entry) \
	X(cmd_serve_entry)
/* clang-format on */

#define DECLARE(e) extern const struct cmd_entry e;
#define POINTER(e) &e,
CMD_LIST(DECLARE)

const struct cmd_entry *const cmd_table[] = { CMD_LIST(POINTER) NULL };
