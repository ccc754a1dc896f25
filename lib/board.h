/*
 * board.h (internal): what the modules that hear from the line (CFX
 * ingestion, setup, quality records, recall, shipping) do to boards.
 * Every call joins the caller's transaction and writes projections only:
 * the caller appends the event (its seq is stamped on the rows).
 */
#ifndef ECMS_LIB_BOARD_H
#define ECMS_LIB_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "ecms/board.h"
#include "store/store.h"

/*
 * Make sure board serial exists; a new one is created with status wip at
 * t_ms. wo, panel (NULL: none) and position (< 0: none) fill in what is
 * not known yet; a work order ecms does not know is recorded and the
 * board flagged unknown_work_order. A work order other than the one the
 * board has is ECMS_EINVAL. *created (may be NULL) says whether it is new.
 */
int ecms__board_touch(ecms *h, const char *serial, const char *wo, const char *panel,
		      int64_t position, int64_t t_ms, int64_t seq, bool *created) ECMS_WUR;

/*
 * Append a step to the board's route (the board is touched first):
 * station and kind required; result, operator, detail (JSON text) may be
 * NULL. A planned board becomes wip with started = t_ms.
 */
int ecms__board_step(ecms *h, const char *serial, const char *station, const char *kind,
		     const char *result, const char *oper, const char *detail, int64_t t_ms,
		     int64_t seq) ECMS_WUR;

/*
 * A board worked on by a CFX work transaction at t_ms: touched, and wip
 * if it was planned. No route row: the route shows the transaction
 * (cfx_tx_serials, 014_cfx_seen.sql) as its "started" and "completed"
 * steps.
 */
int ecms__board_work(ecms *h, const char *serial, int64_t t_ms, int64_t seq) ECMS_WUR;

/*
 * Move a board to status: planned -> wip -> completed -> shipped, and to
 * scrapped from anything but shipped; the same status again changes
 * nothing. Anything else is ECMS_EREFUSED naming both states.
 * ECMS_ENOTFOUND for an unknown serial.
 */
int ecms__board_set_status(ecms *h, const char *serial, const char *status, int64_t t_ms,
			   int64_t seq) ECMS_WUR;

/* Put a board on hold (hold = why, e.g. a recall ID) or release it
 * (NULL). ECMS_ENOTFOUND for an unknown serial. */
int ecms__board_hold(ecms *h, const char *serial, const char *hold, int64_t seq) ECMS_WUR;

/* Add a flag word to a board's flags (kept once). */
int ecms__board_flag(ecms *h, const char *serial, const char *flag, int64_t seq) ECMS_WUR;

/* Remove a flag word from a board's flags (no-op when it has none). */
int ecms__board_unflag(ecms *h, const char *serial, const char *flag, int64_t seq) ECMS_WUR;

#endif
