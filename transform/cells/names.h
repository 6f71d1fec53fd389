/*
 * names.h: comparing names the way people type them: "Hemtjänst  Norr",
 * "HEMTJÄNST NORR" and " hemtjänst norr " are one name.
 */
#ifndef NYCKEL_NAMES_H
#define NYCKEL_NAMES_H

#include <stddef.h>

/*
 * The comparison key of length bytes of UTF-8 text (malloc'd): trimmed, any
 * run of spaces (also U+00A0 and U+202F) as one ' ', ASCII letters and the
 * Latin-1 capitals (Å Ä Ö É ...) in lower case.
 */
char *transform_name_key(const char *text, size_t length);

/* transform_name_key(a) equals transform_name_key(b). */
int transform_name_equal(const char *a, const char *b);

/*
 * How many one-byte edits (insert, delete, replace) turn the key of a into
 * the key of b; capped at cap + 1, the most worth telling apart.  For
 * "did you mean" hints: "Enhett" is 1 from "Enhet".
 */
size_t transform_name_distance(const char *a, const char *b, size_t cap);

#endif
