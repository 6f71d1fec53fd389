/*
 * spaces.h: the spaces found in Swedish exports, in UTF-8.
 *
 * Besides ASCII spaces, numbers and names in municipal files are spaced with
 * the no-break space U+00A0, the thin space U+2009 and the narrow no-break
 * space U+202F (Excel and word processors insert them in "94 129").  The
 * number, period and name readers all need to step over them the same way.
 */
#ifndef NYCKEL_SPACES_H
#define NYCKEL_SPACES_H

#include <stddef.h>

/* Bytes of a space that may group digits at p (' ', U+00A0, U+2009, U+202F), or 0. */
size_t transform_group_space_at(const char *p, const char *end);

/* Bytes of any space at p: the grouping ones, tabs and line ends, or 0. */
size_t transform_space_at(const char *p, const char *end);

#endif
