/*
 * uid.h: unique package IDs (UIDs), the IDs ecms prints on its own label
 * for every material package (reel, tray, tube, bag) it accepts.
 *
 * Format: ECMS_UID_PREFIX ("XU"), the package's sequence number in
 * Crockford base 32 (digits 0-9 and letters A-Z without I L O U), at
 * least ECMS_UID_DIGITS digits wide (zero-padded), then one check
 * character from the same alphabet. Sequence number 1 is "XU00000012",
 * 1000000 is "XU000YGJ00", 32^7 is "XU10000000D". UIDs have 10
 * characters for the first 32^7 (34 billion) numbers, never more than 16.
 *
 * Why this form:
 *  - Prefix "XU": U is not a Crockford digit, so the prefix can never be
 *    read as part of the number; X and U sit on the same key in the US,
 *    UK, German and French keyboard layouts (keyboard-wedge scanners set
 *    to the wrong layout swap Y/Z, A/Q, W/Z and M); no data identifier
 *    seen on component labels is X or U, and GS1 element strings start
 *    with digits. "EC" was rejected: Panasonic part numbers start with it
 *    (ECQ-E2104KB has the very shape of a UID once its hyphen is lost).
 *    No all-alphanumeric prefix is unused by every MPN; the fixed length
 *    and the check character carry the rest.
 *  - Crockford base 32: no letters that look like digits, upper case
 *    and digits only, so it scans and types the same everywhere and
 *    packs well into a Data Matrix (C40 mode).
 *  - Check character: read the n digits after the prefix, check last,
 *    as elements of GF(32) = GF(2)[x]/(x^5 + x^2 + 1); the sum of
 *    digit_i * x^(n-1-i) must be 0. The weights are distinct and
 *    non-zero, so every single-character substitution is detected, and
 *    so is every transposition of two different characters less than 31
 *    places apart (adjacent and jump transpositions alike). The check
 *    character is from the same 32 letters: Crockford's own mod-37
 *    check needs the extra symbols * ~ $ = U (~ starts a ZPL command,
 *    the others move between keyboard layouts), and ISO 7064 MOD 37,36
 *    needs I, L, O and U, which Crockford reads as digits.
 */
#ifndef ECMS_UID_H
#define ECMS_UID_H

#include <stdbool.h>
#include <stdint.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ECMS_UID_PREFIX "XU"
#define ECMS_UID_DIGITS 7 /* minimum width of the number, in base-32 digits */
#define ECMS_UID_LEN 10   /* length of every UID below 32^7 */
#define ECMS_UID_MAX 17   /* buffer size for any UID, NUL included */

/*
 * Write the UID of sequence number seq into out (NUL-terminated,
 * upper case, the canonical form). Every uint64_t has a UID; the
 * mapping is one-to-one. Returns out.
 */
char *ecms_uid_format(uint64_t seq, char out[ECMS_UID_MAX]);

/*
 * Read a UID as a person types it or a scanner delivers it, and store
 * its sequence number in *seq. Accepted, besides the canonical form:
 * lower case; the Crockford readings O/o as 0 and I/i/L/l as 1; spaces,
 * tabs, CR and LF around it; a leading AIM symbology identifier such as
 * "]d1" (scanners can be set to send one). Nothing else is accepted;
 * in particular no hyphens inside, and no extra leading zeros (each
 * number has exactly one UID).
 * Returns ECMS_OK, or ECMS_EINVAL with err (field "uid") saying which:
 *   "... is not an ecms package ID (they start with XU)",
 *   "... character '*' at position 5 is not allowed ...",
 *   "... has 9 characters; an ecms package ID has 10 ...",
 *   "... check character mismatch: mistyped or misread".
 * The expected check character is never revealed, so a misread cannot
 * be "corrected" by typing what the message suggests.
 */
int ecms_uid_parse(const char *text, uint64_t *seq /* OUT */, ecms_error *err) ECMS_WUR;

/*
 * A quick sorting test for a scan: true when text has the shape of a
 * UID (prefix, length, alphabet, after the same trimming as
 * ecms_uid_parse), whether or not its check character is right; false
 * for location IDs, supplier labels and anything else. A scan that
 * looks like a UID should go to ecms_uid_parse, so that a misread one
 * gets "check character mismatch" rather than "unknown label".
 * NULL gives false.
 */
bool ecms_uid_looks_like(const char *text);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_UID_H */
