/*
 * xlsx.h: reading one sheet of an Excel workbook as rows of cell strings,
 * the same rows the CSV reader gives (rows.h).
 *
 * An XLSX file is a zip archive (read with libarchive) of XML parts (parsed
 * with expat): xl/workbook.xml names the sheets, xl/_rels/workbook.xml.rels
 * says which part holds each, xl/sharedStrings.xml holds the text that cells
 * point to, and xl/worksheets/sheetN.xml the cells.  Cells come out as:
 *   - shared and inline strings, and formula strings: their text;
 *   - numbers: the text Excel stored ("1234.5", "1E-3"), flagged numeric,
 *     so the caller reads them in C notation, whatever the file's
 *     decimal comma;
 *   - numbers in a date style (xl/styles.xml): the date as text,
 *     "2024-03-01" (xlsx_styles.h), never the day count;
 *   - booleans "TRUE"/"FALSE", errors as written ("#DIV/0!").
 * Every cell of a merged range holds the range's value (xlsx_merges.h).
 * Missing cells in a row are empty strings; rows without cells are skipped.
 * row->line is the sheet's row number.  The sheet part is read in pieces,
 * so memory is bounded by the shared strings and one piece of rows.
 */
#ifndef NYCKEL_XLSX_H
#define NYCKEL_XLSX_H

#include <stddef.h>

#include "transform/exports/rows.h"

#define TRANSFORM_XLSX_MAX_SHARED (256u * 1024 * 1024)

typedef struct transform_xlsx transform_xlsx;

/*
 * Open a workbook.  sheet is the sheet's name, or NULL for the first
 * sheet.  max_cell bounds one cell's text (0: 1 MiB).  NULL with reason on
 * an error (not a zip, no such sheet, broken XML).
 */
transform_xlsx *transform_xlsx_open(const char *path, const char *sheet, size_t max_cell,
                                    char reason[TRANSFORM_ROW_REASON_MAX]);

/* The same over a workbook in memory (for tests and fuzzing); data must outlive it. */
transform_xlsx *transform_xlsx_open_memory(const void *data, size_t length, const char *sheet,
                                           size_t max_cell, char reason[TRANSFORM_ROW_REASON_MAX]);

/* As transform_csv_next: 1 with *row, 0 at the end, -1 with reason. */
int transform_xlsx_next(transform_xlsx *xlsx, const transform_row **row,
                        char reason[TRANSFORM_ROW_REASON_MAX]);

void transform_xlsx_close(transform_xlsx *xlsx);

#endif
