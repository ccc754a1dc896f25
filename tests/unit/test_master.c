/*
 * test_master.c: master-data imports (parts, suppliers, locations, users)
 * from CSV and JSON: validation messages with FILE:LINE, all or nothing,
 * unchanged re-imports, parent ordering, events.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/event.h"
#include "ecms/master.h"
#include "store/store.h"

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

static int
import_text(ecms *h, const char *kind, const char *name, const char *text, ecms_import_report *rep)
{
	char *p = tu_write_file(name, text);
	int rc = ecms_import(h, kind, p, rep);

	free(p);
	return rc;
}

static void
assert_has_error(const ecms_import_report *rep, const char *needle)
{
	if (rep->errors == NULL || strstr(rep->errors, needle) == NULL)
		fail_msg("expected error containing \"%s\" in:\n%s", needle,
			 rep->errors ? rep->errors : "(none)");
}

static const char parts_ok[] =
	"ipn,description,category,package,aml,msl,thickness_mm,std_pack\n"
	"C1,\"Cap 100 nF, 16 V\",capacitor,0402,GRM155@Murata;CL05@Samsung,1,,10000\n"
	"U1,MCU,ic,QFN-32,STM32G0@ST,3,0.9,490\n";

static void
test_parts_import_and_reimport(void **state)
{
	ecms *h = tu_open_store("parts.db");
	ecms_import_report rep;
	json_t *p;

	assert_int_equal(import_text(h, "parts", "p.csv", parts_ok, &rep), 0);
	assert_int_equal(rep.records, 2);
	assert_int_equal(rep.created, 2);
	ecms_import_report_cleanup(&rep);
	assert_true(count(h, "SELECT COUNT(*) FROM part_aml") == 3);
	assert_true(count(h, "SELECT COUNT(*) FROM manufacturers") == 3);
	assert_true(count(h, "SELECT COUNT(*) FROM events WHERE type = 'part.created'") == 2);

	/* The same file again: nothing changes, no events. */
	assert_int_equal(import_text(h, "parts", "p.csv", parts_ok, &rep), 0);
	assert_int_equal(rep.unchanged, 2);
	ecms_import_report_cleanup(&rep);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == 5);

	/* One changed field: one update event with the new record. */
	assert_int_equal(import_text(h, "parts", "p2.csv",
				     "ipn,description,category,msl,thickness_mm\n"
				     "U1,MCU STM32G0,ic,3,0.9\n",
				     &rep),
			 0);
	assert_int_equal(rep.updated, 1);
	ecms_import_report_cleanup(&rep);
	assert_true(count(h, "SELECT COUNT(*) FROM events WHERE type = 'part.updated'") == 1);

	assert_int_equal(ecms_md_get(h, "part", "C1", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "description")),
			    "Cap 100 nF, 16 V");
	assert_int_equal(json_array_size(json_object_get(p, "aml")), 2);
	assert_string_equal(json_string_value(json_object_get(p, "rohs")), "unknown");
	assert_true(json_is_false(json_object_get(p, "restricted")));
	json_decref(p);
	assert_int_equal(ecms_md_get(h, "part", "NOPE", &p), ECMS_ENOTFOUND);
	assert_string_equal(ecms_errmsg(h), "no part 'NOPE'");
	ecms_close(h);
}

static void
test_parts_all_errors_nothing_written(void **state)
{
	ecms *h = tu_open_store("bad.db");
	ecms_import_report rep;

	assert_int_equal(import_text(h, "parts", "bad.csv",
				     "ipn,description,category,msl,thickness_mm,std_pack,aml\n"
				     "OK1,fine,ic,1,,100,A@B\n"
				     "X1,bad msl,ic,7,,100,\n"
				     "X2,bad pack,ic,1,,-5,\n"
				     "X3,no thickness,ic,3,,100,\n"
				     "X4 X,space id,ic,1,,100,\n"
				     "X5,bad aml,ic,1,,100,JUSTMPN\n"
				     "OK1,again,ic,1,,100,\n"
				     ",no id,ic,1,,100,\n",
				     &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "bad.csv:3: column 'msl': '7' is not an MSL level "
			       "(1, 2, 2a, 3, 4, 5, 5a, 6)");
	assert_has_error(&rep, "bad.csv:4: column 'std_pack': '-5' is not a whole number");
	assert_has_error(&rep, "bad.csv:5: column 'thickness_mm' is required for "
			       "moisture-sensitive parts (MSL 3)");
	assert_has_error(&rep, "bad.csv:6: column 'ipn': 'X4 X' is not an ID");
	assert_has_error(&rep, "bad.csv:7: column 'aml': 'JUSTMPN' is not an AML entry");
	assert_has_error(&rep, "bad.csv:8: ipn 'OK1' appears again (first on line 2)");
	assert_has_error(&rep, "bad.csv:9: column 'ipn' is required");
	assert_int_equal(rep.nerrors, 7);
	assert_non_null(strstr(ecms_errmsg(h), "7 errors, nothing imported"));
	ecms_import_report_cleanup(&rep);
	assert_true(count(h, "SELECT COUNT(*) FROM parts") == 0);
	assert_true(count(h, "SELECT COUNT(*) FROM events") == 0);
	ecms_close(h);
}

static void
test_columns_checked(void **state)
{
	ecms *h = tu_open_store("cols.db");
	ecms_import_report rep;

	assert_int_equal(import_text(h, "parts", "c.csv", "ipn,descr,category\nA,b,c\n", &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "c.csv:1: unknown column 'descr'");
	assert_has_error(&rep, "c.csv:1: missing column 'description'");
	ecms_import_report_cleanup(&rep);
	assert_int_equal(import_text(h, "parts", "q.csv",
				     "ipn,description,category\nA,\"unclosed,c\n", &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "q.csv:2: a quoted field is not closed"));
	ecms_import_report_cleanup(&rep);
	assert_int_equal(import_text(h, "parts", "n.csv", "ipn,description,category\nA,b\n", &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "n.csv:2: 2 columns, but the header has 3"));
	ecms_import_report_cleanup(&rep);
	assert_int_equal(import_text(h, "parts", "aml.csv",
				     "ipn,description,category,aml\nA,b,ic,M1@T;M1@T\n", &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "aml.csv:2: column 'aml': 'M1@T;M1@T' lists M1@T twice");
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_import(h, "widgets", "x", &rep), ECMS_EUSAGE);
	assert_non_null(strstr(ecms_errmsg(h), "expected one of parts, suppliers"));
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

static void
test_csv_dialects(void **state)
{
	ecms *h = tu_open_store("dialect.db");
	ecms_import_report rep;
	json_t *p;

	/* BOM, CRLF, semicolons, a quoted newline, padding spaces. */
	assert_int_equal(import_text(h, "parts", "d.csv",
				     "\xEF\xBB\xBFipn;description;category\r\n"
				     " A1 ;\"two\nlines\";ic\r\n\r\n"
				     "A2;\"say \"\"hi\"\"\";ic\r\n",
				     &rep),
			 0);
	assert_int_equal(rep.created, 2);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_md_get(h, "part", "A1", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "description")), "two\nlines");
	json_decref(p);
	assert_int_equal(ecms_md_get(h, "part", "A2", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "description")), "say \"hi\"");
	json_decref(p);
	ecms_close(h);
}

static void
test_json_import(void **state)
{
	ecms *h = tu_open_store("json.db");
	ecms_import_report rep;
	json_t *p;

	assert_int_equal(
		import_text(h, "parts", "p.json",
			    "[\n"
			    "  {\"ipn\": \"J1\", \"description\": \"a\", \"category\": \"ic\",\n"
			    "   \"aml\": [{\"mpn\": \"M1\", \"manufacturer\": \"TI\"}],\n"
			    "   \"msl\": \"MSL3\", \"thickness_mm\": 1.4, \"std_pack\": 2500,\n"
			    "   \"restricted\": true},\n"
			    "  {\"ipn\": \"J2\", \"description\": \"b\", \"category\": \"ic\",\n"
			    "   \"msl\": \"Level-2A-260C-4 weeks\", \"thickness_mm\": 1}\n"
			    "]\n",
			    &rep),
		0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_md_get(h, "part", "J1", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "msl")), "3");
	assert_true(json_is_true(json_object_get(p, "restricted")));
	json_decref(p);
	assert_int_equal(ecms_md_get(h, "part", "J2", &p), 0);
	assert_string_equal(json_string_value(json_object_get(p, "msl")), "2a");
	json_decref(p);
	/* Errors name the line where the record starts. */
	assert_int_equal(
		import_text(
			h, "parts", "bad.json",
			"[\n  {\"ipn\": \"J3\", \"description\": \"a\", \"category\": \"ic\"},\n"
			"  {\"ipn\": \"J4\",\n   \"description\": \"a\",\n"
			"   \"category\": \"ic\", \"colour\": \"red\"}\n]\n",
			&rep),
		ECMS_EINVAL);
	assert_has_error(&rep, "bad.json:3: unknown field 'colour'");
	ecms_import_report_cleanup(&rep);
	assert_int_equal(import_text(h, "parts", "syntax.json", "[\n{\"ipn\": }\n]", &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "syntax.json:2:"));
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

static void
test_suppliers(void **state)
{
	ecms *h = tu_open_store("sup.db");
	ecms_import_report rep;
	json_t *s;

	assert_int_equal(import_text(h, "suppliers", "s.csv",
				     "id,name,status,authorised,franchises,iso9001_cert,"
				     "iso9001_expiry\n"
				     "DK,Digi-Key,approved,yes,Murata;TDK,CERT-1,2027-05-01\n"
				     "BRK,Broker Ltd,conditional,no,,,\n",
				     &rep),
			 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_md_get(h, "supplier", "DK", &s), 0);
	assert_int_equal(json_array_size(json_object_get(s, "franchises")), 2);
	assert_string_equal(json_string_value(json_object_get(s, "iso9001_expiry")), "2027-05-01");
	json_decref(s);
	assert_int_equal(import_text(h, "suppliers", "s2.csv",
				     "id,name,status,authorised,franchises,iso9001_expiry\n"
				     "X,X,approved,no,Murata,\n"
				     "Y,Y,gone,yes,,\n"
				     "Z,Z,approved,yes,,2027-02-30\n",
				     &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "s2.csv:2: column 'franchises' lists franchises, but "
			       "authorised is 'no'");
	assert_has_error(&rep, "s2.csv:3: column 'status': 'gone' is not one of: "
			       "approved, conditional, blocked");
	assert_has_error(&rep, "s2.csv:4: column 'iso9001_expiry': '2027-02-30' is not a date");
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

static void
test_locations_tree(void **state)
{
	ecms *h = tu_open_store("loc.db");
	ecms_import_report rep;
	json_t *l;

	/* Children before their parents in the file. */
	assert_int_equal(import_text(h, "locations", "l.csv",
				     "id,name,kind,parent,rh_class,capacity\n"
				     "S1,Shelf 1,shelf,R1,,40\n"
				     "R1,Rack 1,rack,WH,,\n"
				     "WH,Warehouse,warehouse,,,\n"
				     "DC1,Dry cabinet 1,dry_cabinet,WH,5,200\n",
				     &rep),
			 0);
	assert_int_equal(rep.created, 4);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_md_list(h, "location", "WH", &l), 0);
	assert_int_equal(json_array_size(l), 2);
	json_decref(l);
	assert_int_equal(import_text(h, "locations", "l2.csv",
				     "id,name,kind,parent,rh_class\n"
				     "D,d,dry_cabinet,WH,\n"
				     "E,e,shelf,WH,5\n",
				     &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "l2.csv:2: column 'rh_class' is required for a dry cabinet");
	assert_has_error(&rep, "l2.csv:3: column 'rh_class' applies only to dry cabinets");
	ecms_import_report_cleanup(&rep);
	/* References are checked once every record reads well. */
	assert_int_equal(import_text(h, "locations", "l4.csv",
				     "id,name,kind,parent\nK,k,shelf,WH\nC,c,shelf,NOWHERE\n",
				     &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "l4.csv:3: column 'parent': no location 'NOWHERE'");
	ecms_import_report_cleanup(&rep);
	assert_int_equal(import_text(h, "locations", "l3.csv",
				     "id,name,kind,parent\nA,a,shelf,B\nB,b,shelf,A\n", &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "l3.csv:2: column 'parent': 'B' is part of a cycle");
	ecms_import_report_cleanup(&rep);
	/* A location ID must never be mistaken for a package UID when scanned. */
	assert_int_equal(
		import_text(h, "locations", "l5.csv",
			    "id,name,kind,parent\nXU00000012,x,shelf,WH\nxu0000002a,y,shelf,"
			    "WH\nXU-SHELF,z,shelf,WH\n",
			    &rep),
		ECMS_EINVAL);
	assert_has_error(&rep, "l5.csv:2: column 'id': 'XU00000012' has the form of an ecms "
			       "package ID");
	assert_has_error(&rep, "l5.csv:3: column 'id': 'xu0000002a' has the form");
	assert_int_equal(rep.nerrors, 2);
	ecms_import_report_cleanup(&rep);
	assert_true(count(h, "SELECT COUNT(*) FROM locations") == 4);
	ecms_close(h);
}

static void
test_users_badges_unique(void **state)
{
	ecms *h = tu_open_store("users.db");
	ecms_import_report rep;

	assert_int_equal(import_text(h, "users", "u.csv",
				     "id,name,role,badge\nqa1,Quinn,qa,B-001\nop1,Olga,operator,"
				     "B-002\n",
				     &rep),
			 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(import_text(h, "users", "u2.csv",
				     "id,name,role,badge\nop2,Otto,operator,B-009\n"
				     "op3,Oz,operator,B-001\n",
				     &rep),
			 ECMS_EEXIST);
	assert_has_error(&rep, "u2.csv:3: badge 'B-001' belongs to another user");
	ecms_import_report_cleanup(&rep);
	/* All or nothing: op2 was not kept either. */
	assert_true(count(h, "SELECT COUNT(*) FROM users") == 2);
	assert_int_equal(import_text(h, "users", "u3.csv", "id,name,role\nx,X,boss\n", &rep),
			 ECMS_EINVAL);
	assert_has_error(&rep, "u3.csv:2: column 'role': 'boss' is not one of: admin, qa, "
			       "warehouse, operator, viewer");
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_import_and_reimport),
		cmocka_unit_test(test_parts_all_errors_nothing_written),
		cmocka_unit_test(test_columns_checked),
		cmocka_unit_test(test_csv_dialects),
		cmocka_unit_test(test_json_import),
		cmocka_unit_test(test_suppliers),
		cmocka_unit_test(test_locations_tree),
		cmocka_unit_test(test_users_badges_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
