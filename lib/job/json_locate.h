/*
 * json_locate.h: find where a value sits in JSON text, for error messages.
 *
 * jansson parses the job file but does not remember where each value came
 * from.  To say "jobs/x.json:12:7: extract[0].years: ..." we scan the text
 * once more, following a path of keys and indexes, and report the line and
 * column where that value starts.
 */
#ifndef NYCKEL_JSON_LOCATE_H
#define NYCKEL_JSON_LOCATE_H

#include <stddef.h>

/*
 * path is "" for the whole document, or keys and indexes such as
 * "extract[0].years".  When the last step is missing (a required key not
 * given), the position of the enclosing object is reported instead.
 * Returns 0 and sets *line and *column (both 1-based, columns in
 * characters) or -1 when not even the enclosing value exists.
 */
int nk_json_locate(const char *text, size_t length, const char *path, int *line, int *column);

/*
 * The byte range [*start, *end) of the value at path, for reading one value
 * of a large document without parsing the rest.  The text may stop after
 * the value; -1 when the value is not there or not complete.
 */
int nk_json_span(const char *text, size_t length, const char *path, size_t *start, size_t *end);

#endif
