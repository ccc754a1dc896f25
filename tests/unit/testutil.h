/*
 * testutil.h: helpers shared by the cmocka unit tests.
 */
#ifndef ECMS_TESTUTIL_H
#define ECMS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ecms/ecms.h"

/* A fresh temporary directory (created once per process) and a path in it. */
const char *tu_tmpdir(void);
char *tu_path(const char *name); /* caller frees with free() */

/* Open a new, initialised SQLite store in the temp dir, with "now" fixed
 * at 2026-01-15T08:00:00.000Z and the actor "tester". */
ecms *tu_open_store(const char *name);

/* Write text to a file in the temp dir; returns its path (free()). */
char *tu_write_file(const char *name, const char *text);

/* Import CSV text as `kind` (parts, suppliers, ...); fails the test on any
 * error, printing the importer's report. */
void tu_import(ecms *h, const char *kind, const char *text);

/* The shared domain data folder (../shared/data from the project root). */
const char *tu_shared_data(void);

#define TU_NOW_MS INT64_C(1768464000000) /* 2026-01-15T08:00:00.000Z */

#endif
