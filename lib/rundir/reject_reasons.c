/*
 * reject_reasons.c: the most common reasons rows were rejected, as one line
 * of text (see reject_reasons.h).
 */
#include "lib/rundir/reject_reasons.h"

#include <stdio.h>

/* " (first: SOURCE line L, column C)"; a Kolada page has no lines, so only its source. */
static void place_text(const json_t *reason, char *out, size_t size)
{
    json_int_t line = json_integer_value(json_object_get(reason, "line"));
    const char *source = json_string_value(json_object_get(reason, "source"));

    if (line > 0)
        snprintf(out, size,
                 " (first: %s line %" JSON_INTEGER_FORMAT ", column %" JSON_INTEGER_FORMAT ")",
                 source, line, json_integer_value(json_object_get(reason, "column")));
    else
        snprintf(out, size, " (first: %s)", source);
}

void nk_reject_reason_text(const json_t *reason, char *out, size_t size)
{
    char place[600];

    place_text(reason, place, sizeof place);
    snprintf(out, size, "%" JSON_INTEGER_FORMAT " x %s%s",
             json_integer_value(json_object_get(reason, "rows")),
             json_string_value(json_object_get(reason, "reason")), place);
}

void nk_reject_reasons_describe(const json_t *reasons, char *out, size_t size)
{
    size_t used = 0, i;
    const json_t *r;
    char one[1000];

    out[0] = '\0';
    json_array_foreach (reasons, i, r) {
        nk_reject_reason_text(r, one, sizeof one);
        int n = snprintf(out + used, size - used, "%s%s", i ? "; " : "", one);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}
