/*
 * xlsx_styles.h: which cells of a workbook are dates, and their dates.
 *
 * A spreadsheet stores a date as a plain number (days since 1899-12-30,
 * or since 1904-01-01 in a workbook saved with the 1904 system) and says
 * it is a date only through the cell's style: an index into cellXfs of
 * xl/styles.xml, whose numFmtId is a built-in date format or a custom
 * format code with days or years in it.  Read as a number, 2024-03-01
 * would load as 45352; read through its style it is text a person knows.
 */
#ifndef NYCKEL_XLSX_STYLES_H
#define NYCKEL_XLSX_STYLES_H

#include <stddef.h>

typedef struct transform_xlsx_styles {
    unsigned char *date_xf; /* per cellXfs entry: 1 when it formats a date */
    size_t xf_count, xf_capacity;
    long *date_formats; /* custom numFmtIds whose code is a date */
    size_t format_count, format_capacity;
    int in_cell_xfs;
    int date1904; /* xl/workbook.xml's workbookPr date1904 */
} transform_xlsx_styles;

/*
 * An element of xl/styles.xml began or ended (local name, its attributes'
 * values); start returns -1 when out of memory, else 0.
 */
int transform_xlsx_styles_start(transform_xlsx_styles *styles, const char *local,
                                const char *num_fmt_id, const char *format_code);
void transform_xlsx_styles_end(transform_xlsx_styles *styles, const char *local);

/* Does cell style (its "s" attribute, 0 when absent) format a date? */
int transform_xlsx_styles_is_date(const transform_xlsx_styles *styles, long style);

#define TRANSFORM_XLSX_DATE_MAX 32

/*
 * "2024-03-01", or "2024-03-01 12:30:00" with a time of day, in text: 0, or
 * -1 for no date serial.  Into the caller's array, so that it cannot fail for
 * want of memory and let a date pass as its serial number.
 */
int transform_xlsx_date_text(const transform_xlsx_styles *styles, const char *serial,
                             char text[TRANSFORM_XLSX_DATE_MAX]);

void transform_xlsx_styles_free(transform_xlsx_styles *styles);

#endif
