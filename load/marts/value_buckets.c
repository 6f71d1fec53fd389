/*
 * value_buckets.c: a first load's Kolada values set aside by KPI as they
 * stream to the warehouse, so that the benchmark is computed from them
 * instead of reading them all back out (see load.h).
 *
 * The benchmark takes one KPI at a time, but the values file comes in the
 * order of Kolada's pages, each KPI's values spread over it.  So each
 * value goes to one of several unlinked temporary files, every value of a
 * KPI to the same one, as COPY text (kpi, area, period, gender, value).
 * There are more files the more values the run has, about BUCKET_VALUES
 * values each, and KPIs are dealt to them in turn as they first appear, so
 * that each file gets as many KPIs as the next (a hash gave some files
 * three times the average, and memory grew with the number of files).  The
 * replay reads one file at a time into memory, sorts it by KPI and hands
 * the values to the benchmark, so memory follows one file, not the run.
 * By KPI only: the benchmark orders each KPI's values itself, and sorting
 * by the whole key, field by field, was a third of the replay's time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/marts/benchmark.h"
#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "load/marts/id_index.h"
#include "load/load.h"

#define BUCKET_VALUES 50000
#define MAX_BUCKETS 512

struct load_value_buckets {
    FILE **files;
    size_t count;
    id_index kpis; /* the file of the KPI at index i is files[i % count] */
    int last;      /* the KPI of the value before: values come in runs */
};

static int no_room(nk_error *err)
{
    const char *dir = getenv("TMPDIR");

    return nk_fail(err, NK_EXIT_IOERR,
                   "setting the values aside for the benchmark in %s failed: %s (set TMPDIR "
                   "to a folder with room for about 30 bytes a value)",
                   dir && *dir ? dir : "/tmp", strerror(errno));
}

load_value_buckets *load_value_buckets_new(long long values, nk_error *err)
{
    load_value_buckets *buckets = calloc(1, sizeof *buckets);
    size_t count = (size_t)(values / BUCKET_VALUES) + 1;

    if (count > MAX_BUCKETS)
        count = MAX_BUCKETS;
    if (buckets == NULL || (buckets->files = calloc(count, sizeof *buckets->files)) == NULL) {
        free(buckets);
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    buckets->last = -1;
    for (; buckets->count < count; buckets->count++)
        if ((buckets->files[buckets->count] = load_scratch_file("values", err)) == NULL) {
            load_value_buckets_free(buckets);
            return NULL;
        }
    return buckets;
}

void load_value_buckets_free(load_value_buckets *buckets)
{
    if (buckets == NULL)
        return;
    for (size_t i = 0; i < buckets->count; i++)
        fclose(buckets->files[i]);
    free(buckets->files);
    id_index_free(&buckets->kpis);
    free(buckets);
}

int load_value_buckets_add(load_value_buckets *buckets, const char *const *fields,
                           const size_t *lengths, nk_error *err)
{
    int kpi = buckets->last;

    if (kpi < 0 || !id_index_is(&buckets->kpis, kpi, fields[0], lengths[0])) {
        if ((kpi = id_index_intern(&buckets->kpis, fields[0], lengths[0])) < 0)
            return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory setting the values aside");
        buckets->last = kpi;
    }
    FILE *file = buckets->files[(size_t)kpi % buckets->count];

    for (size_t i = 0; i < LOAD_BUCKET_FIELDS; i++) {
        fwrite_unlocked(fields[i], 1, lengths[i], file);
        putc_unlocked(i + 1 < LOAD_BUCKET_FIELDS ? '\t' : '\n', file);
    }
    return ferror_unlocked(file) ? no_room(err) : 0;
}

/* A bucket's row, split: kpi, area, period, gender, value. */
typedef struct bucket_row {
    char *field[LOAD_BUCKET_FIELDS];
} bucket_row;

static int compare_kpis(const void *pa, const void *pb)
{
    const bucket_row *a = pa, *b = pb;

    return strcmp(a->field[0], b->field[0]);
}

/* The whole file, NUL-terminated; its rows split in place. */
static int read_bucket(FILE *file, char **text, bucket_row **rows, size_t *count, nk_error *err)
{
    long size;
    size_t n = 0, lines = 0;

    if (fflush(file) != 0 || fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 ||
        fseek(file, 0, SEEK_SET) != 0)
        return no_room(err);
    if ((*text = malloc((size_t)size + 1)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
    if (fread(*text, 1, (size_t)size, file) != (size_t)size)
        return no_room(err);
    (*text)[size] = '\0';
    for (const char *p = *text; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    if ((*rows = malloc((lines + 1) * sizeof **rows)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
    for (char *line = *text; *line && n < lines; n++) {
        for (size_t i = 0; i < LOAD_BUCKET_FIELDS; i++) {
            char *end = strchrnul(line, i + 1 < LOAD_BUCKET_FIELDS ? '\t' : '\n');
            (*rows)[n].field[i] = line;
            line = *end ? end + 1 : end;
            *end = '\0';
        }
    }
    *count = n;
    return 0;
}

/* The benchmark has every value of kpi: it writes the KPI's slices, done hears of it. */
static int finish_kpi(benchmark *bench, const char *kpi, load_kpi_done done, void *context,
                      nk_error *err)
{
    benchmark_finish(bench);
    return done(context, kpi, err);
}

static int replay_bucket(FILE *file, benchmark *bench, load_kpi_done done, void *context,
                         nk_error *err)
{
    char *text = NULL;
    bucket_row *rows = NULL;
    size_t count = 0;
    int rc = read_bucket(file, &text, &rows, &count, err);

    if (rc == 0)
        nk_sort_items(rows, count, sizeof *rows, compare_kpis);
    for (size_t i = 0; i < count && rc == 0; i++) {
        char **f = rows[i].field;
        if (i > 0 && strcmp(f[0], rows[i - 1].field[0]) != 0)
            rc = finish_kpi(bench, rows[i - 1].field[0], done, context, err);
        if (rc == 0)
            rc = benchmark_add_value(bench, f[0], f[1], f[2], f[3],
                                     strcmp(f[4], "\\N") ? f[4] : NULL, err);
    }
    if (rc == 0 && count > 0)
        rc = finish_kpi(bench, rows[count - 1].field[0], done, context, err);
    free(rows);
    free(text);
    return rc;
}

int load_value_buckets_replay(load_value_buckets *buckets, benchmark *bench, load_kpi_done done,
                              void *context, const atomic_int *stop, nk_error *err)
{
    for (size_t i = 0; i < buckets->count; i++) {
        if (atomic_load(stop))
            return nk_fail(err, NK_EXIT_INTERRUPTED, "the benchmark was stopped");
        if (replay_bucket(buckets->files[i], bench, done, context, err) < 0)
            return -1;
    }
    return 0;
}
