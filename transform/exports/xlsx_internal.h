/*
 * xlsx_internal.h: what the files reading a workbook share (see xlsx.h):
 * the reader's state, and the functions one file lends the next.  xlsx.c
 * opens the archive and reads the workbook's parts; xlsx_sheet.c turns the
 * sheet's XML into rows; xlsx_xml.c holds the small XML and text helpers
 * both use.  Calls go xlsx.c -> xlsx_sheet.c -> xlsx_xml.c, never back.
 */
#ifndef NYCKEL_XLSX_INTERNAL_H
#define NYCKEL_XLSX_INTERNAL_H

#include <archive.h>
#include <expat.h>
#include <stddef.h>

#include "lib/base/buffer.h"
#include "transform/exports/xlsx.h"
#include "transform/exports/xlsx_merges.h"
#include "transform/exports/xlsx_styles.h"

#define MAX_COLUMNS 16384 /* Excel's own limit, XFD */

typedef struct relation {
    char *id, *target;
} relation;

struct transform_xlsx {
    const char *path;
    const void *memory;
    size_t memory_length;
    struct archive *archive;
    XML_Parser parser;
    size_t max_cell;
    char error[100]; /* set by handlers, which cannot return one */

    /* The workbook: the chosen sheet, and the names seen (for errors). */
    const char *wanted;
    char *sheet_id, *sheet_name;
    nk_buffer sheet_names;
    relation *relations;
    size_t relation_count, relation_capacity;

    /* Shared strings. */
    char **shared;
    size_t shared_count, shared_capacity, shared_bytes;
    int in_phonetic, in_text;
    nk_buffer cell;

    /* Which cells are dates, and the sheet's merged ranges. */
    transform_xlsx_styles styles;
    transform_xlsx_merges merges;

    /* The sheet. */
    int in_value;
    char cell_type[12];
    long cell_style;
    long column, next_column, row_number;
    char **fields;
    unsigned char *numeric;
    size_t field_count, field_capacity;
    transform_row *queue;
    size_t queue_head, queue_count, queue_capacity;
    transform_row current;
    int finished;
};

/* ---- xlsx_xml.c ---- */

/* An element or attribute name without its namespace prefix. */
const char *xlsx_local_name(const char *name);
/* The value of the attribute named name (without prefix), or NULL. */
const char *xlsx_attribute(const char **attributes, const char *name);
/* Stop the parser with message, keeping the first error. */
void xlsx_set_error(transform_xlsx *x, const char *message);
/* A copy of the text (malloc'd, NULL when out of memory), and the buffer emptied. */
char *xlsx_text_take(nk_buffer *t);
/* expat's character data handler: the text of a shared string or cell value. */
void xlsx_cell_text(void *self, const char *data, int length);

/* ---- xlsx_sheet.c ---- */

/* expat's element handlers of the sheet's XML: cells into rows, rows into the queue. */
void xlsx_sheet_start(void *self, const char *name, const char **attributes);
void xlsx_sheet_end(void *self, const char *name);

#endif
