/*
 * rules.h (internal): the receiving inspection rules: their defaults and
 * the site's overrides, as the rule engine sees them.
 */
#ifndef ECMS_RULES_H
#define ECMS_RULES_H

#include <jansson.h>

#include "store/store.h"

enum ecms__severity { ECMS_SEV_WARNING, ECMS_SEV_QUARANTINE, ECMS_SEV_REFUSE };

struct ecms__rule {
	const char *id;
	bool enabled;
	enum ecms__severity severity;
	bool signal;    /* a counterfeit signal */
	json_t *params; /* effective parameters (borrowed from the set) */
};

/* The effective rule set (defaults merged with overrides). */
struct ecms__ruleset {
	struct ecms__rule *rules;
	size_t n;
	json_t *holder; /* owns the params objects */
};

int ecms__rules_load(ecms *h, struct ecms__ruleset *rs) ECMS_WUR;
void ecms__rules_free(struct ecms__ruleset *rs);
const struct ecms__rule *ecms__rule(const struct ecms__ruleset *rs, const char *id);
const char *ecms__severity_name(enum ecms__severity s);

#endif
