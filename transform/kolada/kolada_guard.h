/*
 * kolada_guard.h: what no Kolada metadata value may hold, checked before
 * any of it becomes a dimension row: a personal identity number in any of
 * its texts (a unit title, a description), or an id that is no Kolada id
 * (see ids.h).
 */
#ifndef NYCKEL_KOLADA_GUARD_H
#define NYCKEL_KOLADA_GUARD_H

#include <jansson.h>

#include "transform/cells/ids.h"

/*
 * NULL when value may be read on; else why not, in reason.  *keep_raw is
 * 0 when the value's text must not be quoted in a reject.
 */
const char *transform_kolada_guard(const json_t *value, int *keep_raw,
                                   char reason[TRANSFORM_ID_REASON_MAX]);

#endif
