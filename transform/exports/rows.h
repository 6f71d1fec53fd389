/*
 * rows.h: one row of cells as the CSV and XLSX readers hand it out, so that
 * the export reader treats both formats alike.
 */
#ifndef NYCKEL_ROWS_H
#define NYCKEL_ROWS_H

#include <stddef.h>

#define TRANSFORM_ROW_REASON_MAX 200

typedef struct transform_row {
    char **fields;          /* UTF-8, each NUL-terminated */
    size_t *lengths;        /* bytes of each field */
    unsigned char *numeric; /* 1 where the cell is a number in C notation ("1234.5",
                               "1E-3": XLSX number cells); NULL when none is */
    size_t count;
    long line;           /* line the row starts on (CSV), or the sheet's row number (XLSX) */
    long last_line;      /* line it ends on (a quoted field may hold line breaks) */
    const char *problem; /* why the row cannot be read (a NUL or other control byte), or NULL:
                            its cells are then not to be trusted, but the next row may be */
} transform_row;

#endif
