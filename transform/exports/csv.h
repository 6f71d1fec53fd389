/*
 * csv.h: a streaming CSV reader.
 *
 * Reads UTF-8 text (see encoding.h for getting there) from a callback in
 * pieces and hands out one row at a time, so memory is bounded by the
 * largest row, never by the file.  It follows RFC 4180 where exports do:
 *   - the separator is ';', ',' or a tab; when not given it is the one of
 *     the three that occurs most often (outside quotes) on the first line,
 *     ';' on a tie or when none occurs;
 *   - a field in double quotes may hold separators, line breaks and "" for
 *     one quote; a quote inside an unquoted field is just a character;
 *   - lines end in LF, CRLF or a lone CR; empty lines are skipped;
 *   - each row says the line it starts and ends on; rows may have different
 *     numbers of fields (the caller decides what a ragged row means).
 * Errors stop the reader and say where: a field longer than max_field
 * bytes (so a 100 MB field is an error, not an exhausted machine), more
 * than TRANSFORM_CSV_MAX_FIELDS fields, a quote that never closes, text
 * after a closing quote, a NUL byte.
 */
#ifndef NYCKEL_CSV_H
#define NYCKEL_CSV_H

#include <stddef.h>
#include <sys/types.h>

#include "transform/exports/rows.h"

#define TRANSFORM_CSV_MAX_FIELDS 10000
#define TRANSFORM_CSV_DEFAULT_MAX_FIELD (1024 * 1024)

/* Fill buffer with up to size bytes; 0 at the end, -1 on an error (reason set). */
typedef ssize_t (*transform_csv_read_fn)(void *context, char *buffer, size_t size,
                                         char reason[TRANSFORM_ROW_REASON_MAX]);

typedef struct transform_csv transform_csv;

/* separator 0 means detect; max_field 0 means TRANSFORM_CSV_DEFAULT_MAX_FIELD. */
transform_csv *transform_csv_open(char separator, size_t max_field, transform_csv_read_fn read,
                                  void *context);

/* A reader over bytes in memory (for tests and fuzzing); data must outlive it. */
transform_csv *transform_csv_open_memory(const char *data, size_t length, char separator,
                                         size_t max_field);

/*
 * The next row: 1 and *row set (valid until the next call), 0 at the end,
 * -1 with reason (which names the line) on an error.
 */
int transform_csv_next(transform_csv *csv, const transform_row **row,
                       char reason[TRANSFORM_ROW_REASON_MAX]);

/* The line the reader has come to (where an error was found). */
long transform_csv_line(const transform_csv *csv);

/* The separator in use (known after the first call to next). */
char transform_csv_separator(const transform_csv *csv);

void transform_csv_close(transform_csv *csv);

#endif
