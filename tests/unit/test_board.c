/*
 * test_board.c: serial allocation (single boards and panels, the work
 * order's quantity), what the line tells (touch, route steps, unknown
 * work orders flagged), status transitions and holds.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "board.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "event.h"

static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);
	ecms_import_report rep;
	char *p;

	tu_import(h, "parts", "ipn,description,category,aml,msl\nC1,cap,capacitor,GRM1@Murata,1\n");
	p = tu_write_file("bom.csv", "Reference,Qty,MPN\n\"C1,C2\",2,GRM1\n");
	assert_int_equal(ecms_bom_import(h, "HM", "A", p, &rep), 0);
	ecms_import_report_cleanup(&rep);
	free(p);
	assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ .id = "WO1",
							   .product = "HM",
							   .rev = "A",
							   .qty = 5,
							   .customer = "ACME" }),
			 0);
	return h;
}

static int64_t
events(ecms *h)
{
	int64_t n;

	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM events", ""), 0);
	return n;
}

static void
test_allocate(void **state)
{
	ecms *h = factory("alloc.db");
	json_t *o, *b;
	int64_t before;

	assert_int_equal(ecms_board_allocate(h, "WO1", 2, 0, &o), 0);
	assert_int_equal(json_array_size(o), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 1), "serial")),
			    "WO1-00002");
	assert_true(json_is_null(json_object_get(json_array_get(o, 0), "panel")));
	json_decref(o);
	/* Panels of 2 continue the numbering. */
	assert_int_equal(ecms_board_allocate(h, "WO1", 3, 2, &o), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "serial")),
			    "WO1-00003");
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "panel")),
			    "WO1-P0002");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "position")), 1);
	json_decref(o);
	/* A sixth serial exceeds the order's 5: refused, nothing written. */
	before = events(h);
	assert_int_equal(ecms_board_allocate(h, "WO1", 1, 0, &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "is for 5 boards"));
	assert_int_equal(events(h), before);
	assert_int_equal(ecms_board_allocate(h, "NOPE", 1, 0, &o), ECMS_ENOTFOUND);
	assert_int_equal(ecms_board_allocate(h, "WO1", 0, 0, &o), ECMS_EINVAL);
	assert_int_equal(ecms_board_get(h, "WO1-00001", &b), 0);
	assert_string_equal(json_string_value(json_object_get(b, "status")), "planned");
	assert_string_equal(json_string_value(json_object_get(b, "customer")), "ACME");
	json_decref(b);
	assert_int_equal(ecms_board_list(h, "WO1", "planned", &o), 0);
	assert_int_equal(json_array_size(o), 5);
	json_decref(o);
	assert_int_equal(ecms_board_list(h, NULL, "bogus", &o), ECMS_EINVAL);
	ecms_close(h);
}

static void
test_line_and_status(void **state)
{
	ecms *h = factory("line.db");
	json_t *o, *b;
	int64_t seq;
	bool created;

	assert_int_equal(ecms_board_allocate(h, "WO1", 1, 0, &o), 0);
	json_decref(o);
	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(ecms__event(h, "test.line", json_object(), &seq), 0);
	/* A planned board seen at a station becomes wip. */
	assert_int_equal(ecms__board_step(h, "WO1-00001", "SPI-1", "started", NULL, "op1", NULL,
					  TU_NOW_MS + 1000, seq),
			 0);
	/* The line announces a board of a work order ecms does not know. */
	assert_int_equal(
		ecms__board_touch(h, "X-1", "WO-UNKNOWN", "PAN-9", 2, TU_NOW_MS, seq, &created), 0);
	assert_true(created);
	assert_int_equal(
		ecms__board_touch(h, "X-1", "WO-OTHER", NULL, -1, TU_NOW_MS, seq, &created),
		ECMS_EINVAL);
	assert_int_equal(ecms__board_touch(h, "bad serial", NULL, NULL, -1, TU_NOW_MS, seq, NULL),
			 ECMS_EINVAL);
	assert_int_equal(ecms__board_set_status(h, "WO1-00001", "completed", TU_NOW_MS + 5000, seq),
			 0);
	assert_int_equal(ecms__board_set_status(h, "WO1-00001", "wip", TU_NOW_MS, seq),
			 ECMS_EREFUSED);
	assert_int_equal(ecms__board_set_status(h, "X-1", "scrapped", TU_NOW_MS, seq), 0);
	assert_int_equal(ecms__board_set_status(h, "X-1", "shipped", TU_NOW_MS, seq),
			 ECMS_EREFUSED);
	assert_int_equal(ecms__board_hold(h, "WO1-00001", "RC-1", seq), 0);
	assert_int_equal(ecms__board_hold(h, "NOPE", "RC-1", seq), ECMS_ENOTFOUND);
	assert_int_equal(ecms__board_flag(h, "X-1", "unknown_work_order", seq), 0);
	assert_int_equal(ecms__end(h, ECMS_OK), 0);

	assert_int_equal(ecms_board_get(h, "WO1-00001", &b), 0);
	assert_string_equal(json_string_value(json_object_get(b, "status")), "completed");
	assert_string_equal(json_string_value(json_object_get(b, "hold")), "RC-1");
	assert_string_equal(json_string_value(json_object_get(b, "started")),
			    "2026-01-15T08:00:01.000Z");
	assert_int_equal(json_array_size(json_object_get(b, "route")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(b, "route"), 0), "operator")),
			    "op1");
	json_decref(b);
	assert_int_equal(ecms_board_get(h, "X-1", &b), 0);
	assert_int_equal(json_array_size(json_object_get(b, "flags")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(b, "flags"), 0)),
			    "unknown_work_order");
	assert_int_equal(json_integer_value(json_object_get(b, "position")), 2);
	assert_true(json_is_null(json_object_get(b, "customer")));
	json_decref(b);
	assert_int_equal(ecms_board_get(h, "NOPE", &b), ECMS_ENOTFOUND);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocate),
		cmocka_unit_test(test_line_and_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
