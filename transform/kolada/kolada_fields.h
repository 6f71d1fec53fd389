/*
 * kolada_fields.h: turning the members of a Kolada value into COPY fields,
 * and describing a bad value in a reject.
 */
#ifndef NYCKEL_KOLADA_FIELDS_H
#define NYCKEL_KOLADA_FIELDS_H

#include <jansson.h>
#include <stddef.h>

/*
 * A member as text: strings as they are, numbers in their shortest exact
 * form, true/false as "t"/"f", null or absent as NULL (SQL NULL).  Numbers
 * and booleans are written into buffer (size bytes).
 */
const char *transform_kolada_text(const json_t *value, char *buffer, size_t size);

/* The value as compact JSON, for a reject's "raw" (malloc'd). */
char *transform_kolada_raw(const json_t *value);

#endif
