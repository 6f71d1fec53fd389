/*
 * kolada_guard.c: refusing Kolada metadata values that must not reach the
 * warehouse (see kolada_guard.h).
 */
#include "transform/kolada/kolada_guard.h"

#include <stdio.h>
#include <string.h>

#include "lib/base/pnr.h"

/* The member (or list item) of value whose text holds a personal number, or NULL. */
static const char *pnr_member(const json_t *value, const char *name)
{
    const char *key, *found = NULL;
    json_t *member;
    size_t i;

    if (json_is_string(value))
        return nk_pnr_holds(json_string_value(value)) ? name : NULL;
    if (json_is_object(value))
        json_object_foreach ((json_t *)value, key, member)
            if (found == NULL)
                found = pnr_member(member, key);
    if (json_is_array(value))
        json_array_foreach (value, i, member)
            if (found == NULL)
                found = pnr_member(member, name);
    return found;
}

/* The ids a metadata value may carry; members are checked where groups are read. */
static const char *const id_keys[][2] = { { "id", "Kolada" },
                                          { "municipality", "municipality" },
                                          { NULL, NULL } };

const char *transform_kolada_guard(const json_t *value, int *keep_raw,
                                   char reason[TRANSFORM_ID_REASON_MAX])
{
    const char *where = pnr_member(value, "value");

    *keep_raw = where == NULL;
    if (where) {
        snprintf(reason, TRANSFORM_ID_REASON_MAX,
                 "\"%.40s\" holds a personal identity number: the value is not kept", where);
        return reason;
    }
    for (size_t k = 0; id_keys[k][0]; k++) {
        const char *id = json_string_value(json_object_get(value, id_keys[k][0]));
        if (id && transform_id_check(TRANSFORM_ID_KOLADA, id_keys[k][1], id, reason) < 0)
            return reason;
    }
    return NULL;
}
