/*
 * label_int.h: what other files of libecms (the server, receiving) use of
 * the label parser beyond the public include/ecms/label.h.
 */
#ifndef ECMS_LABEL_INT_H
#define ECMS_LABEL_INT_H

#include <jansson.h>

#include "ecms/label.h"

/*
 * The label as a new JSON object (see ecms_label_to_json for its keys),
 * or NULL when out of memory. The caller owns the reference.
 */
json_t *ecms__label_json(const ecms_label *label);

#endif /* ECMS_LABEL_INT_H */
