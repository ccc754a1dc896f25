/*
 * cmd_msd_bake.c: `ecms msd bake`: record a finished bake (ending now):
 * checked against the bake table; resets the clock.
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

const struct cmd_entry cmd_msd_bake_entry = {
	"msd bake",
	"UID --temp C --hours H [--rh PCT] [--json]",
	"record a finished bake (ending now): checked against the bake table; resets the clock",
	UID_HELP "--temp C    oven temperature, degrees C\n"
		 "--hours H   bake duration: hours (7, 7.5) or a duration (450min, 2d)\n"
		 "--rh PCT    the oven's RH (the 90 and 40 C rows need <= 5 %); unknown if\n"
		 "            omitted\n"
		 "A bake shorter than the table's minimum for the part's MSL and body\n"
		 "thickness is refused (exit 1) and nothing is recorded.\n",
	0,
	msd_event_fn,
};
