/*
 * tables.c: writing staged tables as PostgreSQL COPY text (see tables.h).
 *
 * Rows are escaped straight into the table's block, which is hashed and
 * written when the next field might not fit.  Hashing and writing each row
 * by itself cost a tenth of transform's time in calls alone.
 */
#include "transform/staged/tables.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "transform/staged/table_definitions.h"

typedef struct staged_table {
    const transform_table_definition *definition;
    size_t width;
    char *path;
    FILE *stream;
    nk_sha256 *sha;
    uint64_t rows;
    char *block; /* rows not yet hashed and written, the last perhaps in part */
    size_t block_used, block_size;
} staged_table;

#define BLOCK_SIZE (1 << 20)

struct transform_tables {
    char *dir;
    staged_table *tables; /* indexed like table_definitions.c */
    staged_table *recent; /* the table written last: most rows go where the last one went */
};

transform_tables *transform_tables_open(const char *dir)
{
    transform_tables *tables = calloc(1, sizeof *tables);

    if (tables == NULL)
        return NULL;
    tables->dir = strdup(dir);
    tables->tables = calloc(transform_table_count(), sizeof *tables->tables);
    if (tables->dir == NULL || tables->tables == NULL) {
        transform_tables_abandon(tables);
        return NULL;
    }
    return tables;
}

/* Start writing the i-th table, named name: 0, or -1 with the table left unopened. */
static int open_table(transform_tables *tables, staged_table *table, size_t i, const char *name,
                      nk_error *err)
{
    char file[128];

    if (table->block == NULL && (table->block = malloc(BLOCK_SIZE)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory staging %s", name);
    table->block_size = BLOCK_SIZE;
    table->definition = transform_table_at(i);
    table->width = transform_table_width(name);
    snprintf(file, sizeof file, "%s.copy", name);
    if ((table->path = nk_path_join(tables->dir, file)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory staging %s", name);
    if ((table->sha = nk_sha256_new()) == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", table->path);
    } else if ((table->stream = fopen(table->path, "wb")) == NULL) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", table->path, strerror(errno));
        char hex[65];
        nk_sha256_finish(table->sha, hex); /* frees it */
    } else {
        return 0;
    }
    /* Closing and abandoning look only at opened tables: nothing else may be left. */
    free(table->path);
    table->path = NULL;
    table->sha = NULL;
    return -1;
}

static staged_table *table_for(transform_tables *tables, const char *name, nk_error *err)
{
    if (tables->recent && strcmp(tables->recent->definition->name, name) == 0)
        return tables->recent;
    for (size_t i = 0; i < transform_table_count(); i++) {
        staged_table *table = &tables->tables[i];
        if (strcmp(transform_table_at(i)->name, name) != 0)
            continue;
        if (table->stream == NULL && open_table(tables, table, i, name, err) < 0)
            return NULL;
        return tables->recent = table;
    }
    nk_fail(err, NK_EXIT_SOFTWARE, "no staged table named \"%s\"", name);
    return NULL;
}

static size_t escape_field(char *out, const char *text)
{
    size_t n = 0;

    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '\\':
            out[n++] = '\\';
            out[n++] = '\\';
            break;
        case '\t':
            out[n++] = '\\';
            out[n++] = 't';
            break;
        case '\n':
            out[n++] = '\\';
            out[n++] = 'n';
            break;
        case '\r':
            out[n++] = '\\';
            out[n++] = 'r';
            break;
        default:
            out[n++] = *p;
            break;
        }
    }
    return n;
}

static int write_block(staged_table *table, nk_error *err)
{
    nk_sha256_update(table->sha, table->block, table->block_used);
    if (fwrite(table->block, 1, table->block_used, table->stream) != table->block_used)
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", table->path, strerror(errno));
    table->block_used = 0;
    return 0;
}

/* Room for need more bytes: the block is written out first, and grown for a huge field. */
static int make_room(staged_table *table, size_t need, nk_error *err)
{
    if (table->block_used + need <= table->block_size)
        return 0;
    if (write_block(table, err) < 0)
        return -1;
    if (nk_grow_array(&table->block, 1, need, &table->block_size, BLOCK_SIZE) < 0)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", table->path);
    return 0;
}

int transform_table_row(transform_tables *tables, const char *name, const char *const *fields,
                        nk_error *err)
{
    staged_table *table = table_for(tables, name, err);

    if (table == NULL)
        return -1;
    for (size_t i = 0; i < table->width; i++) {
        const char *field = fields[i];
        /* A separator before it, the field escaped, and the row's newline. */
        if (make_room(table, 1 + (field ? 2 * strlen(field) : 2) + 1, err) < 0)
            return -1;
        char *out = table->block + table->block_used;
        if (i > 0)
            *out++ = '\t';
        if (field == NULL) {
            memcpy(out, "\\N", 2);
            out += 2;
        } else {
            out += escape_field(out, field);
        }
        table->block_used = (size_t)(out - table->block);
    }
    /* make_room counted the newline with the last field. */
    assert(table->block_used < table->block_size);
    table->block[table->block_used++] = '\n';
    table->rows++;
    return 0;
}

static json_t *column_list(const transform_table_definition *definition)
{
    json_t *columns = json_array();

    for (const char *const *c = definition->columns; *c; c++)
        json_array_append_new(columns, json_string(*c));
    return columns;
}

json_t *transform_tables_close(transform_tables *tables, nk_error *err)
{
    json_t *list = json_array();
    char hex[65], file[128];
    int failed = 0;

    for (size_t i = 0; i < transform_table_count(); i++) {
        staged_table *table = &tables->tables[i];
        if (table->stream == NULL) {
            free(table->block);
            continue;
        }
        if (!failed && write_block(table, err) < 0)
            failed = 1;
        nk_sha256_finish(table->sha, hex);
        free(table->block);
        if (!failed && nk_fclose_checked(table->stream, table->path, err) < 0)
            failed = 1;
        else if (failed)
            fclose(table->stream);
        snprintf(file, sizeof file, "%s.copy", table->definition->name);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:I, s:s}", "table",
                                              table->definition->name, "file", file, "columns",
                                              column_list(table->definition), "rows",
                                              (json_int_t)table->rows, "sha256", hex));
        free(table->path);
    }
    free(tables->tables);
    free(tables->dir);
    free(tables);
    if (failed) {
        json_decref(list);
        return NULL;
    }
    return list;
}

void transform_tables_abandon(transform_tables *tables)
{
    char hex[65];

    if (tables == NULL)
        return;
    for (size_t i = 0; tables->tables && i < transform_table_count(); i++) {
        staged_table *table = &tables->tables[i];
        free(table->block);
        if (table->stream == NULL)
            continue;
        fclose(table->stream);
        unlink(table->path);
        nk_sha256_finish(table->sha, hex);
        free(table->path);
    }
    free(tables->tables);
    free(tables->dir);
    free(tables);
}
