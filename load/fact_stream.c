/*
 * fact_stream.c: the rows of transform/fact_kpi_value.copy, read on their
 * way to the server (see load.h).
 *
 * A national pull stages ten million values that use a few hundred KPIs,
 * areas and periods.  The merge needs only those few ids (to add the
 * dimension rows nobody delivered) and the marts only the KPIs; finding
 * them in SQL meant a scan of every staged value per question.  Noting
 * them here costs a hash lookup per field, on the client, while the server
 * is busy storing the rows anyway.
 *
 * Rows are split at the newline, whatever pieces the file is read in; a
 * row cut by the end of a piece waits in `carry`.  Ids are kept as the
 * COPY text they are in the file, so they go back to the server unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "load/marts/id_index.h"
#include "load/load.h"

/* The columns whose distinct values are noted, in nyckel_fact_id's words. */
static const char *const noted[] = { "kpi_id", "area_id", "period_id", "source_ref" };
#define NOTED_COUNT (sizeof noted / sizeof noted[0])
/* The columns a value's key is made of. */
static const char *const key_columns[] = { "kpi_id", "area_id", "period_id", "gender" };
#define KEY_COUNT (sizeof key_columns / sizeof key_columns[0])

struct load_fact_stream {
    const load_staged *staged;
    int noted_at[NOTED_COUNT]; /* the file's column of each noted id */
    int key_at[KEY_COUNT];
    int value_at;
    id_index ids[NOTED_COUNT];
    int last[NOTED_COUNT]; /* the id the row before had: rows come in runs */
    nk_buffer carry;
    long long line;

    /* Rewriting for a first load: */
    int rewriting;
    load_value_buckets *values; /* where each row is set aside */
    id_index sources;           /* source_ref as in the file */
    char **source_keys;         /* by the index of its source_ref */
    size_t source_key_capacity;
    char run_key[32];
};

static int out_of_memory(const load_fact_stream *stream, nk_error *err)
{
    return nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory reading the values",
                   stream->staged->path);
}

static int column_of(const load_staged *staged, const char *name)
{
    for (size_t i = 0; i < staged->column_count; i++)
        if (strcmp(staged->columns[i], name) == 0)
            return (int)i;
    return -1;
}

load_fact_stream *load_fact_stream_new(const load_staged *staged, nk_error *err)
{
    load_fact_stream *stream = calloc(1, sizeof *stream);

    if (stream == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    stream->staged = staged;
    nk_buffer_init(&stream->carry, 0, 4096);
    /* The plan checked that every one of these columns is listed. */
    for (size_t i = 0; i < NOTED_COUNT; i++) {
        stream->noted_at[i] = column_of(staged, noted[i]);
        stream->last[i] = -1;
    }
    for (size_t i = 0; i < KEY_COUNT; i++)
        stream->key_at[i] = column_of(staged, key_columns[i]);
    stream->value_at = column_of(staged, "value");
    return stream;
}

void load_fact_stream_free(load_fact_stream *stream)
{
    if (stream == NULL)
        return;
    for (size_t i = 0; i < NOTED_COUNT; i++)
        id_index_free(&stream->ids[i]);
    for (size_t i = 0; i < stream->sources.count; i++)
        free(stream->source_keys[i]);
    free(stream->source_keys);
    id_index_free(&stream->sources);
    nk_buffer_free(&stream->carry);
    free(stream);
}

static int add_source(void *context, char **fields, nk_error *err)
{
    load_fact_stream *stream = context;
    size_t known = stream->sources.count;

    /* Room first: the stream's free reads a key for every source interned. */
    if (nk_grow_array(&stream->source_keys, sizeof *stream->source_keys, known + 1,
                      &stream->source_key_capacity, 16) < 0)
        return out_of_memory(stream, err);
    int ref = id_index_intern(&stream->sources, fields[0], strlen(fields[0]));
    if (ref < 0)
        return out_of_memory(stream, err);
    if ((size_t)ref == known && (stream->source_keys[ref] = strdup(fields[1])) == NULL)
        return out_of_memory(stream, err);
    return 0;
}

static const char source_keys_sql[] =
    "COPY (SELECT s.source_ref, ds.source_key FROM staging.source s"
    " JOIN nyckel.dim_source ds ON ds.uri = s.uri AND ds.sha256 = s.sha256"
    " WHERE s.source_ref IS NOT NULL) TO STDOUT";

int load_fact_stream_rewrite(load_fact_stream *stream, PGconn *conn, const char *run_key,
                             load_value_buckets *values, nk_error *err)
{
    stream->rewriting = 1;
    stream->values = values;
    snprintf(stream->run_key, sizeof stream->run_key, "%s", run_key);
    return load_copy_out(conn, "reading the sources' keys", source_keys_sql, 2, add_source, stream,
                         err);
}

void load_fact_stream_columns(const load_fact_stream *stream, char *out, size_t size)
{
    const load_staged *staged = stream->staged;
    size_t used = (size_t)snprintf(out, size, "(");

    for (size_t i = 0; i < staged->column_count && used < size; i++) {
        const char *name = staged->columns[i];
        used += (size_t)snprintf(out + used, size - used, "%s, ",
                                 strcmp(name, "source_ref") == 0 ? "source_key" : name);
    }
    if (used < size)
        snprintf(out + used, size - used, "run_key)");
}

/* A row's fields where they lie: offsets into the row and lengths. */
typedef struct row_fields {
    size_t start[LOAD_MAX_COLUMNS], length[LOAD_MAX_COLUMNS];
    int count; /* -1: more than LOAD_MAX_COLUMNS */
} row_fields;

static void split(const char *row, size_t length, row_fields *f)
{
    const char *p = row, *end = row + length;

    for (f->count = 0; f->count < LOAD_MAX_COLUMNS; f->count++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        f->start[f->count] = (size_t)(p - row);
        f->length[f->count] = (size_t)((tab ? tab : end) - p);
        if (tab == NULL) {
            f->count++;
            return;
        }
        p = tab + 1;
    }
    f->count = -1;
}

static int is_null(const char *row, const row_fields *f, int i)
{
    return f->length[i] == 2 && row[f->start[i]] == '\\' && row[f->start[i] + 1] == 'N';
}

/* The row's key and value, for the benchmark. */
static int set_aside(load_fact_stream *stream, const char *row, const row_fields *f, nk_error *err)
{
    const char *fields[LOAD_BUCKET_FIELDS];
    size_t lengths[LOAD_BUCKET_FIELDS];
    int at[LOAD_BUCKET_FIELDS] = { stream->key_at[0], stream->key_at[1], stream->key_at[2],
                                   stream->key_at[3], stream->value_at };

    for (size_t i = 0; i < LOAD_BUCKET_FIELDS; i++) {
        fields[i] = row + f->start[at[i]];
        lengths[i] = f->length[at[i]];
    }
    return load_value_buckets_add(stream->values, fields, lengths, err);
}

/*
 * The row as a row of nyckel.fact_kpi_value: the source's key, the run's
 * key.  Its pieces go straight to the sender, which gathers them into the
 * pieces it sends.
 */
static int rewrite_row(load_fact_stream *stream, load_copy_sender *sender, const char *row,
                       size_t length, const row_fields *f, nk_error *err)
{
    int at = stream->noted_at[NOTED_COUNT - 1];
    size_t before = f->start[at], after = f->start[at] + f->length[at];
    int ref = id_index_find(&stream->sources, row + before, f->length[at]);
    const char *key = ref >= 0 ? stream->source_keys[ref] : NULL;

    if (key == NULL)
        return nk_fail(err, NK_EXIT_DATA,
                       "%s line %lld: source_ref \"%.*s\" is not in transform/source.copy",
                       stream->staged->path, stream->line, (int)f->length[at], row + before);
    if (load_copy_sender_put(sender, row, before, err) < 0 ||
        load_copy_sender_put(sender, key, strlen(key), err) < 0 ||
        load_copy_sender_put(sender, row + after, length - after, err) < 0 ||
        load_copy_sender_put(sender, "\t", 1, err) < 0 ||
        load_copy_sender_put(sender, stream->run_key, strlen(stream->run_key), err) < 0 ||
        load_copy_sender_put(sender, "\n", 1, err) < 0)
        return -1;
    return stream->values ? set_aside(stream, row, f, err) : 0;
}

static int note(load_fact_stream *stream, size_t which, const char *id, size_t length,
                nk_error *err)
{
    id_index *ids = &stream->ids[which];
    int last = stream->last[which];

    if (last >= 0 && id_index_is(ids, last, id, length))
        return 0;
    if ((stream->last[which] = id_index_intern(ids, id, length)) < 0)
        return nk_fail(err, NK_EXIT_SOFTWARE,
                       "%s line %lld: out of memory, or more than %d distinct %s values",
                       stream->staged->path, stream->line, ID_INDEX_MAX - 1, noted[which]);
    return 0;
}

/* One row, without its newline. */
static int take_row(load_fact_stream *stream, load_copy_sender *sender, const char *row,
                    size_t length, nk_error *err)
{
    size_t wanted = stream->staged->column_count;
    row_fields f;

    stream->line++;
    split(row, length, &f);
    if (f.count != (int)wanted)
        return nk_fail(err, NK_EXIT_DATA,
                       "%s line %lld: expected %zu tab-separated fields, found %s%d",
                       stream->staged->path, stream->line, wanted, f.count < 0 ? "more than " : "",
                       f.count < 0 ? LOAD_MAX_COLUMNS : f.count);
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (is_null(row, &f, stream->key_at[i]))
            return nk_fail(err, NK_EXIT_DATA,
                           "%s line %lld: %s is empty (\\N); a value's key (kpi_id, area_id, "
                           "period_id, gender) must be whole",
                           stream->staged->path, stream->line, key_columns[i]);
    for (size_t i = 0; i < NOTED_COUNT; i++) {
        int at = stream->noted_at[i];
        if (is_null(row, &f, at))
            return nk_fail(err, NK_EXIT_DATA, "%s line %lld: %s is empty (\\N)",
                           stream->staged->path, stream->line, noted[i]);
        if (note(stream, i, row + f.start[at], f.length[at], err) < 0)
            return -1;
    }
    return stream->rewriting ? rewrite_row(stream, sender, row, length, &f, err) : 0;
}

int load_fact_stream_feed(load_fact_stream *stream, load_copy_sender *sender, const char *bytes,
                          size_t size, nk_error *err)
{
    while (size > 0) {
        const char *newline = memchr(bytes, '\n', size);
        if (newline == NULL)
            return nk_buffer_add(&stream->carry, bytes, size) < 0 ? out_of_memory(stream, err) : 0;
        size_t length = (size_t)(newline - bytes);
        if (stream->carry.length > 0) {
            if (nk_buffer_add(&stream->carry, bytes, length) < 0)
                return out_of_memory(stream, err);
            if (take_row(stream, sender, stream->carry.data, stream->carry.length, err) < 0)
                return -1;
            nk_buffer_reset(&stream->carry);
        } else if (take_row(stream, sender, bytes, length, err) < 0)
            return -1;
        bytes += length + 1;
        size -= length + 1;
    }
    return 0;
}

int load_fact_stream_end(load_fact_stream *stream, load_copy_sender *sender, nk_error *err)
{
    if (stream->carry.length > 0) {
        if (take_row(stream, sender, stream->carry.data, stream->carry.length, err) < 0)
            return -1;
        nk_buffer_reset(&stream->carry);
    }
    return 0;
}

const id_index *load_fact_stream_noted(const load_fact_stream *stream, const char *column)
{
    for (size_t i = 0; i < NOTED_COUNT; i++)
        if (strcmp(noted[i], column) == 0)
            return &stream->ids[i];
    return NULL;
}

int load_fact_ids_create(PGconn *conn, nk_error *err)
{
    return load_exec(conn, "noting the values' ids",
                     "CREATE TEMPORARY TABLE nyckel_fact_id (column_name text NOT NULL,"
                     " id text NOT NULL) ON COMMIT DROP",
                     0, NULL, NULL, err);
}

int load_fact_stream_send_ids(load_fact_stream *stream, PGconn *conn, nk_error *err)
{
    const char *what = "noting the values' ids";
    nk_buffer rows = NK_BUFFER_INIT(0, 4096);
    int rc = 0;

    for (size_t i = 0; i < NOTED_COUNT && rc == 0; i++)
        for (size_t k = 0; k < stream->ids[i].count && rc == 0; k++) {
            const char *id = stream->ids[i].text[k];
            if (nk_buffer_printf(&rows, "%s\t%s\n", noted[i], id) < 0)
                rc = out_of_memory(stream, err);
        }
    if (rc == 0)
        rc = load_copy_start(conn, what, "COPY pg_temp.nyckel_fact_id FROM STDIN", PGRES_COPY_IN,
                             err);
    if (rc == 0 && rows.length > 0 && PQputCopyData(conn, rows.data, (int)rows.length) != 1)
        rc = load_fail_result(conn, NULL, what, err);
    if (rc == 0)
        rc = load_copy_end(conn, what, NULL, NULL, err);
    nk_buffer_free(&rows);
    return rc;
}
