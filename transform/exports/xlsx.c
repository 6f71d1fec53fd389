/*
 * xlsx.c: one sheet of a workbook as rows (see xlsx.h).
 *
 * Members of a zip can come in any order, so the archive is read three
 * times: first for the workbook, its relationships, the styles and the
 * shared strings, then for the merged ranges of the chosen sheet (listed
 * after its rows), then again straight to the sheet, whose XML is fed to
 * expat a piece at a time.  Rows finished by one piece wait in a small
 * queue.
 */
#include "lib/base/buffer.h"
#include "transform/exports/xlsx.h"
#include "transform/exports/xlsx_internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIECE 16384
#define DEFAULT_MAX_CELL (1024 * 1024)

/* ---- the archive ---- */

static struct archive *open_archive(transform_xlsx *x, char reason[TRANSFORM_ROW_REASON_MAX])
{
    struct archive *a = archive_read_new();
    int rc;

    archive_read_support_format_zip(a);
    if (x->memory)
        rc = archive_read_open_memory(a, x->memory, x->memory_length);
    else
        rc = archive_read_open_filename(a, x->path, PIECE);
    if (rc != ARCHIVE_OK) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "not an XLSX workbook (zip): %s",
                 archive_error_string(a));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* Feed the current member to parser; 0, or -1 with reason. */
static int parse_member(transform_xlsx *x, struct archive *a, const char *member,
                        char reason[TRANSFORM_ROW_REASON_MAX])
{
    char piece[PIECE];
    la_ssize_t n;

    do {
        n = archive_read_data(a, piece, sizeof piece);
        if (n < 0) {
            snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%s: cannot unpack: %s", member,
                     archive_error_string(a));
            return -1;
        }
        if (XML_Parse(x->parser, piece, (int)n, n == 0) == XML_STATUS_ERROR) {
            snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%.60s:%lu: %s", member,
                     (unsigned long)XML_GetCurrentLineNumber(x->parser),
                     x->error[0] ? x->error : XML_ErrorString(XML_GetErrorCode(x->parser)));
            return -1;
        }
    } while (n > 0);
    return 0;
}

static void new_parser(transform_xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
                       XML_CharacterDataHandler data)
{
    if (x->parser)
        XML_ParserFree(x->parser);
    x->parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(x->parser, x);
    XML_SetElementHandler(x->parser, start, end);
    XML_SetCharacterDataHandler(x->parser, data);
}

/* ---- xl/workbook.xml and its relationships ---- */

static void workbook_start(void *self, const char *name, const char **attributes)
{
    transform_xlsx *x = self;
    const char *sheet = xlsx_attribute(attributes, "name"), *id = xlsx_attribute(attributes, "id");

    if (strcmp(xlsx_local_name(name), "workbookPr") == 0) {
        const char *date1904 = xlsx_attribute(attributes, "date1904");
        x->styles.date1904 = date1904 &&
                             (strcmp(date1904, "1") == 0 || strcmp(date1904, "true") == 0);
        return;
    }
    if (strcmp(xlsx_local_name(name), "sheet") != 0 || sheet == NULL || id == NULL)
        return;
    /* the names only serve an error message: one that does not fit is left out */
    if (x->sheet_names.length < 200)
        nk_buffer_add(&x->sheet_names, x->sheet_names.length ? ", " : "",
                      x->sheet_names.length ? 2 : 0);
    if (x->sheet_names.length < 200)
        nk_buffer_add_text(&x->sheet_names, sheet);
    if (x->sheet_id == NULL && (x->wanted == NULL || strcmp(sheet, x->wanted) == 0)) {
        x->sheet_id = strdup(id);
        x->sheet_name = strdup(sheet);
        if (x->sheet_id == NULL || x->sheet_name == NULL)
            xlsx_set_error(x, "out of memory");
    }
}

static void styles_start(void *self, const char *name, const char **attributes)
{
    transform_xlsx *x = self;

    if (transform_xlsx_styles_start(&x->styles, xlsx_local_name(name),
                                    xlsx_attribute(attributes, "numFmtId"),
                                    xlsx_attribute(attributes, "formatCode")) < 0)
        xlsx_set_error(x, "out of memory");
}

static void styles_end(void *self, const char *name)
{
    transform_xlsx *x = self;

    transform_xlsx_styles_end(&x->styles, xlsx_local_name(name));
}

static void merge_start(void *self, const char *name, const char **attributes)
{
    transform_xlsx *x = self;
    const char *ref = xlsx_attribute(attributes, "ref");

    if (strcmp(xlsx_local_name(name), "mergeCell") != 0)
        return;
    int rc = ref ? transform_xlsx_merges_add(&x->merges, ref) : -1;
    if (rc == -2)
        xlsx_set_error(x, "out of memory");
    else if (rc < 0)
        xlsx_set_error(x, "a merged range that is no range of cells, or over 1024 columns");
}

static void relation_start(void *self, const char *name, const char **attributes)
{
    transform_xlsx *x = self;
    const char *id = xlsx_attribute(attributes, "Id"),
               *target = xlsx_attribute(attributes, "Target");

    if (strcmp(xlsx_local_name(name), "Relationship") != 0 || id == NULL || target == NULL)
        return;
    if (nk_grow_array(&x->relations, sizeof *x->relations, x->relation_count + 1,
                      &x->relation_capacity, 4) < 0)
        return xlsx_set_error(x, "out of memory");
    relation *added = &x->relations[x->relation_count++];
    *added = (relation){ strdup(id), strdup(target) };
    if (added->id == NULL || added->target == NULL)
        xlsx_set_error(x, "out of memory");
}

static void ignore_end(void *self, const char *name)
{
    (void)self;
    (void)name;
}

/* ---- xl/sharedStrings.xml ---- */

static void shared_start(void *self, const char *name, const char **attributes)
{
    transform_xlsx *x = self;
    const char *local = xlsx_local_name(name);

    (void)attributes;
    if (strcmp(local, "si") == 0)
        nk_buffer_reset(&x->cell);
    else if (strcmp(local, "rPh") == 0)
        x->in_phonetic = 1;
    else if (strcmp(local, "t") == 0 && !x->in_phonetic)
        x->in_text = 1;
}

static void shared_end(void *self, const char *name)
{
    transform_xlsx *x = self;
    const char *local = xlsx_local_name(name);

    if (strcmp(local, "rPh") == 0)
        x->in_phonetic = 0;
    else if (strcmp(local, "t") == 0)
        x->in_text = 0;
    if (strcmp(local, "si") != 0)
        return;
    x->shared_bytes += x->cell.length + 1;
    if (x->shared_bytes > TRANSFORM_XLSX_MAX_SHARED)
        return xlsx_set_error(x, "shared strings larger than 256 MiB");
    if (nk_grow_array(&x->shared, sizeof *x->shared, x->shared_count + 1, &x->shared_capacity,
                      256) < 0)
        return xlsx_set_error(x, "out of memory");
    if ((x->shared[x->shared_count] = xlsx_text_take(&x->cell)) == NULL)
        return xlsx_set_error(x, "out of memory");
    x->shared_count++;
}

/* ---- opening ---- */

/*
 * "worksheets/sheet1.xml" or "/xl/worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml"
 * in *member: 0, -1 when the sheet has no relation, -2 when out of memory.
 */
static int sheet_member(const transform_xlsx *x, char **member)
{
    char path[512];

    for (size_t i = 0; i < x->relation_count; i++) {
        if (strcmp(x->relations[i].id, x->sheet_id) != 0)
            continue;
        const char *target = x->relations[i].target;
        if (target[0] == '/')
            snprintf(path, sizeof path, "%s", target + 1);
        else
            snprintf(path, sizeof path, "xl/%s", target);
        *member = strdup(path);
        return *member ? 0 : -2;
    }
    return -1;
}

static int read_parts(transform_xlsx *x, char reason[TRANSFORM_ROW_REASON_MAX])
{
    struct archive *a = open_archive(x, reason);
    struct archive_entry *entry;
    int rc = 0, status;

    if (a == NULL)
        return -1;
    while (rc == 0 && (status = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
        const char *member = archive_entry_pathname(entry);
        if (strcmp(member, "xl/workbook.xml") == 0)
            new_parser(x, workbook_start, ignore_end, NULL);
        else if (strcmp(member, "xl/_rels/workbook.xml.rels") == 0)
            new_parser(x, relation_start, ignore_end, NULL);
        else if (strcmp(member, "xl/sharedStrings.xml") == 0)
            new_parser(x, shared_start, shared_end, xlsx_cell_text);
        else if (strcmp(member, "xl/styles.xml") == 0)
            new_parser(x, styles_start, styles_end, NULL);
        else
            continue;
        rc = parse_member(x, a, member, reason);
    }
    if (rc == 0 && status != ARCHIVE_EOF) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "not an XLSX workbook (zip): %s",
                 archive_error_string(a));
        rc = -1;
    }
    archive_read_free(a);
    return rc;
}

static int choose_sheet(transform_xlsx *x, char **member, char reason[TRANSFORM_ROW_REASON_MAX])
{
    if (x->sheet_id == NULL) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "no sheet \"%.40s\"; the workbook has: %.120s",
                 x->wanted ? x->wanted : "", x->sheet_names.data ? x->sheet_names.data : "none");
        return -1;
    }
    int rc = sheet_member(x, member);
    if (rc == -2)
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "out of memory");
    else if (rc < 0)
        snprintf(reason, TRANSFORM_ROW_REASON_MAX,
                 "sheet \"%.40s\" has no part in xl/_rels/workbook.xml.rels", x->sheet_name);
    return rc < 0 ? -1 : 0;
}

/*
 * The sheet's merged ranges: a pass of their own, as they come after the
 * rows.  Broken XML is left for the reading pass, which names the row it
 * broke in; a range that cannot be used fails here.
 */
static int read_merges(transform_xlsx *x, const char *member, char reason[TRANSFORM_ROW_REASON_MAX])
{
    struct archive *a = open_archive(x, reason);
    struct archive_entry *entry;
    int rc = 0;

    if (a == NULL)
        return -1;
    while (archive_read_next_header(a, &entry) == ARCHIVE_OK)
        if (strcmp(archive_entry_pathname(entry), member) == 0) {
            new_parser(x, merge_start, ignore_end, NULL);
            rc = parse_member(x, a, member, reason) < 0 && x->error[0] ? -1 : 0;
            break;
        }
    archive_read_free(a);
    return rc;
}

static int open_sheet(transform_xlsx *x, const char *member, char reason[TRANSFORM_ROW_REASON_MAX])
{
    struct archive_entry *entry;
    int status;

    x->archive = open_archive(x, reason);
    if (x->archive == NULL)
        return -1;
    while ((status = archive_read_next_header(x->archive, &entry)) == ARCHIVE_OK)
        if (strcmp(archive_entry_pathname(entry), member) == 0)
            break;
    if (status != ARCHIVE_OK) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%s: missing from the workbook", member);
        return -1;
    }
    new_parser(x, xlsx_sheet_start, xlsx_sheet_end, xlsx_cell_text);
    x->in_text = x->in_phonetic = 0;
    return 0;
}

static transform_xlsx *open_workbook(transform_xlsx *x, const char *sheet,
                                     char reason[TRANSFORM_ROW_REASON_MAX])
{
    char *member = NULL;

    x->wanted = sheet;
    x->max_cell = x->max_cell ? x->max_cell : DEFAULT_MAX_CELL;
    nk_buffer_init(&x->cell, x->max_cell, 0);
    nk_buffer_init(&x->sheet_names, 4096, 0);
    if (read_parts(x, reason) < 0 || choose_sheet(x, &member, reason) < 0 ||
        read_merges(x, member, reason) < 0 || open_sheet(x, member, reason) < 0) {
        free(member);
        transform_xlsx_close(x);
        return NULL;
    }
    free(member);
    x->wanted = NULL;
    return x;
}

transform_xlsx *transform_xlsx_open(const char *path, const char *sheet, size_t max_cell,
                                    char reason[TRANSFORM_ROW_REASON_MAX])
{
    transform_xlsx *x = calloc(1, sizeof *x);

    if (x == NULL) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "out of memory");
        return NULL;
    }
    x->path = path;
    x->max_cell = max_cell;
    return open_workbook(x, sheet, reason);
}

transform_xlsx *transform_xlsx_open_memory(const void *data, size_t length, const char *sheet,
                                           size_t max_cell, char reason[TRANSFORM_ROW_REASON_MAX])
{
    transform_xlsx *x = calloc(1, sizeof *x);

    if (x == NULL) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "out of memory");
        return NULL;
    }
    x->memory = data;
    x->memory_length = length;
    x->max_cell = max_cell;
    return open_workbook(x, sheet, reason);
}

/* ---- reading ---- */

static void free_row(transform_row *row)
{
    for (size_t i = 0; i < row->count; i++)
        free(row->fields[i]);
    free(row->fields);
    free(row->lengths);
    free(row->numeric);
    memset(row, 0, sizeof *row);
}

/* Parse the next piece of the sheet; 0, or -1 with reason. */
static int parse_piece(transform_xlsx *x, char reason[TRANSFORM_ROW_REASON_MAX])
{
    char piece[PIECE];
    la_ssize_t n = archive_read_data(x->archive, piece, sizeof piece);

    if (n < 0) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "sheet: cannot unpack: %s",
                 archive_error_string(x->archive));
        return -1;
    }
    if (XML_Parse(x->parser, piece, (int)n, n == 0) == XML_STATUS_ERROR) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "sheet \"%.40s\" line %lu: %s", x->sheet_name,
                 (unsigned long)XML_GetCurrentLineNumber(x->parser),
                 x->error[0] ? x->error : XML_ErrorString(XML_GetErrorCode(x->parser)));
        return -1;
    }
    x->finished = n == 0;
    return 0;
}

int transform_xlsx_next(transform_xlsx *x, const transform_row **row,
                        char reason[TRANSFORM_ROW_REASON_MAX])
{
    free_row(&x->current);
    while (x->queue_count == 0) {
        if (x->finished)
            return 0;
        if (parse_piece(x, reason) < 0) {
            x->finished = 1;
            return -1;
        }
    }
    x->current = x->queue[x->queue_head++];
    x->queue_count--;
    if (x->queue_count == 0)
        x->queue_head = 0;
    *row = &x->current;
    return 1;
}

void transform_xlsx_close(transform_xlsx *x)
{
    if (x == NULL)
        return;
    if (x->parser)
        XML_ParserFree(x->parser);
    if (x->archive)
        archive_read_free(x->archive);
    free_row(&x->current);
    for (size_t i = 0; i < x->queue_count; i++)
        free_row(&x->queue[x->queue_head + i]);
    free(x->queue);
    for (size_t i = 0; i < x->field_count; i++)
        free(x->fields[i]);
    free(x->fields);
    free(x->numeric);
    for (size_t i = 0; i < x->shared_count; i++)
        free(x->shared[i]);
    free(x->shared);
    for (size_t i = 0; i < x->relation_count; i++) {
        free(x->relations[i].id);
        free(x->relations[i].target);
    }
    free(x->relations);
    free(x->sheet_id);
    free(x->sheet_name);
    nk_buffer_free(&x->sheet_names);
    nk_buffer_free(&x->cell);
    transform_xlsx_styles_free(&x->styles);
    transform_xlsx_merges_free(&x->merges);
    free(x);
}
