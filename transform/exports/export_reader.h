/*
 * export_reader.h: the rows of one export file, CSV or XLSX alike.
 *
 * CSV goes file → encoding.h (to UTF-8, bad bytes noted) → csv.h; XLSX goes
 * through xlsx.h.  The format is the mapping's, or else the file's
 * extension (.xlsx, anything else is CSV); "auto" encoding reads the file
 * once more first to decide.
 */
#ifndef NYCKEL_EXPORT_READER_H
#define NYCKEL_EXPORT_READER_H

#include <stdio.h>

#include "transform/exports/csv.h"
#include "transform/cells/encoding.h"
#include "transform/exports/export_mapping.h"
#include "transform/exports/xlsx.h"

typedef struct transform_export_reader {
    transform_csv *csv;
    transform_xlsx *xlsx;
    FILE *file;
    transform_decoder *decoder;
    nk_buffer decoded;
    size_t decoded_at;
    transform_encoding encoding;
    int eof;
    long done_line; /* bad bytes before this line are no longer needed */
} transform_export_reader;

int transform_export_reader_open(transform_export_reader *reader, const transform_mapping *mapping,
                                 const char *path, char reason[TRANSFORM_ROW_REASON_MAX]);

/* As transform_csv_next. */
int transform_export_reader_next(transform_export_reader *reader, const transform_row **row,
                                 char reason[TRANSFORM_ROW_REASON_MAX]);

/* The line an error was found on (0 when not known). */
long transform_export_reader_line(const transform_export_reader *reader);

/* The first invalid byte of lines first..last (CSV only), or NULL. */
const transform_bad_byte *transform_export_reader_bad(const transform_export_reader *reader,
                                                      long first, long last);

void transform_export_reader_close(transform_export_reader *reader);

#endif
