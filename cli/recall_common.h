/*
 * recall_common.h: what several recall commands share (cmd_recall.c,
 * cmd_recall_show.c).
 */
#ifndef ECMS_CLI_RECALL_COMMON_H
#define ECMS_CLI_RECALL_COMMON_H

#include "cli.h"
#include "ecms/auth.h"
#include "ecms/recall.h"

/* Print a recall result as text. Takes the reference to r. */
int recall_print(json_t *r);

/* Print a recall result as CSV. Takes the reference to r. */
int recall_print_csv(json_t *r);

#endif
