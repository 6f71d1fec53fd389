/*
 * kolada_fields.c: Kolada JSON members as COPY fields (see kolada_fields.h).
 */
#include "transform/kolada/kolada_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest "%g" form that reads back as the same double: 74.1, not 74.099999999999994. */
static void format_real(double value, char *buffer, size_t size)
{
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buffer, size, "%.*g", precision, value);
        if (strtod(buffer, NULL) == value)
            return;
    }
}

const char *transform_kolada_text(const json_t *value, char *buffer, size_t size)
{
    if (value == NULL)
        return NULL;
    switch (json_typeof(value)) {
    case JSON_STRING:
        return json_string_value(value);
    case JSON_INTEGER:
        snprintf(buffer, size, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return buffer;
    case JSON_REAL:
        format_real(json_real_value(value), buffer, size);
        return buffer;
    case JSON_TRUE:
        return "t";
    case JSON_FALSE:
        return "f";
    default:
        return NULL;
    }
}

char *transform_kolada_raw(const json_t *value)
{
    return json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
}
