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
 * replay reads one file at a time into memory, orders its runs of a KPI
 * and hands the values to the benchmark a KPI at a time, so memory follows
 * one file, not the run.  By KPI only: the benchmark orders each KPI's
 * values itself (sorting by the whole key, field by field, was a third of
 * the replay's time), and a row of pointers per value, sorted, held more
 * than the file's text: with it, the load's peak grew with the largest
 * file, which more files make larger.  The files share one write buffer,
 * cut into as many parts as there are files: stdio's own, 4 KiB a file,
 * made the load's memory grow with the values (at ten million, 201 files
 * and 0.8 MB of buffers against 80 KB at one million).
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
#define WRITE_BUFFER (1024 * 1024) /* for all files: 2 KiB each at MAX_BUCKETS */

struct load_value_buckets {
    FILE **files;
    size_t count;
    char *write_buffer; /* WRITE_BUFFER bytes, a part for each file */
    id_index kpis;      /* the file of the KPI at index i is files[i % count] */
    int last;           /* the KPI of the value before: values come in runs */
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
    if (buckets == NULL || (buckets->files = calloc(count, sizeof *buckets->files)) == NULL ||
        (buckets->write_buffer = malloc(WRITE_BUFFER)) == NULL) {
        load_value_buckets_free(buckets);
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    buckets->last = -1;
    for (; buckets->count < count; buckets->count++) {
        size_t part = WRITE_BUFFER / count;
        FILE *file = load_scratch_file("values", err);
        if (file == NULL) {
            load_value_buckets_free(buckets);
            return NULL;
        }
        buckets->files[buckets->count] = file;
        setvbuf(file, buckets->write_buffer + buckets->count * part, _IOFBF, part);
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
    free(buckets->write_buffer);
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

/* Lines of one KPI in a row: [start, end) of the bucket's text. */
typedef struct kpi_run {
    size_t start, end;
    int kpi;
} kpi_run;

/* By KPI, and each KPI's runs in the file's order. */
static int compare_runs(const void *pa, const void *pb)
{
    const kpi_run *a = pa, *b = pb;

    if (a->kpi != b->kpi)
        return a->kpi < b->kpi ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

static int damaged(size_t at, nk_error *err)
{
    return nk_fail(err, NK_EXIT_SOFTWARE,
                   "the values set aside for the benchmark are damaged at byte %zu: expected %d "
                   "fields of a known KPI to a line",
                   at, LOAD_BUCKET_FIELDS);
}

/* The whole file, NUL-terminated. */
static int read_bucket(FILE *file, char **text, size_t *size, nk_error *err)
{
    long end;

    if (fflush(file) != 0 || fseek(file, 0, SEEK_END) != 0 || (end = ftell(file)) < 0 ||
        fseek(file, 0, SEEK_SET) != 0)
        return no_room(err);
    *size = (size_t)end;
    if ((*text = malloc(*size + 1)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
    if (fread(*text, 1, *size, file) != *size)
        return no_room(err);
    (*text)[*size] = '\0';
    return 0;
}

/* Split each line's fields in place (NUL-terminated) and note its KPI's runs. */
static int find_runs(const load_value_buckets *buckets, char *text, size_t size, kpi_run **runs,
                     size_t *count, nk_error *err)
{
    size_t capacity = 0;
    char *line = text, *end = text + size;

    *count = 0;
    while (line < end) {
        char *kpi = line;
        for (int i = 0; i < LOAD_BUCKET_FIELDS; i++) {
            char *stop = memchr(line, i + 1 < LOAD_BUCKET_FIELDS ? '\t' : '\n',
                                (size_t)(end - line));
            if (stop == NULL)
                return damaged((size_t)(line - text), err);
            *stop = '\0';
            line = stop + 1;
        }
        if (*count > 0 && strcmp(text + (*runs)[*count - 1].start, kpi) == 0) {
            (*runs)[*count - 1].end = (size_t)(line - text);
            continue;
        }
        int index = id_index_find(&buckets->kpis, kpi, strlen(kpi));
        if (index < 0)
            return damaged((size_t)(kpi - text), err);
        if (nk_grow_array(runs, sizeof **runs, *count + 1, &capacity, 64) < 0)
            return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
        (*runs)[(*count)++] = (kpi_run){ (size_t)(kpi - text), (size_t)(line - text), index };
    }
    return 0;
}

/* The benchmark has every value of kpi: it writes the KPI's slices, done hears of it. */
static int finish_kpi(benchmark *bench, const char *kpi, load_kpi_done done, void *context,
                      nk_error *err)
{
    benchmark_finish(bench);
    return done(context, kpi, err);
}

/* Hand the benchmark a run's values, fields as find_runs split them. */
static int replay_run(char *text, const kpi_run *run, benchmark *bench, nk_error *err)
{
    char *f[LOAD_BUCKET_FIELDS];

    for (char *line = text + run->start; line < text + run->end;) {
        for (int i = 0; i < LOAD_BUCKET_FIELDS; i++) {
            f[i] = line;
            line += strlen(line) + 1;
        }
        if (benchmark_add_value(bench, f[0], f[1], f[2], f[3], strcmp(f[4], "\\N") ? f[4] : NULL,
                                err) < 0)
            return -1;
    }
    return 0;
}

/* One file's values, a KPI at a time, read where they lie in its text. */
static int replay_bucket(const load_value_buckets *buckets, FILE *file, benchmark *bench,
                         load_kpi_done done, void *context, nk_error *err)
{
    char *text = NULL;
    kpi_run *runs = NULL;
    size_t size = 0, count = 0;
    int rc = read_bucket(file, &text, &size, err);

    if (rc == 0 && (rc = find_runs(buckets, text, size, &runs, &count, err)) == 0)
        nk_sort_items(runs, count, sizeof *runs, compare_runs);
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (i > 0 && runs[i].kpi != runs[i - 1].kpi)
            rc = finish_kpi(bench, text + runs[i - 1].start, done, context, err);
        if (rc == 0)
            rc = replay_run(text, &runs[i], bench, err);
    }
    if (rc == 0 && count > 0)
        rc = finish_kpi(bench, text + runs[count - 1].start, done, context, err);
    free(runs);
    free(text);
    return rc;
}

int load_value_buckets_replay(load_value_buckets *buckets, benchmark *bench, load_kpi_done done,
                              void *context, const atomic_int *stop, nk_error *err)
{
    for (size_t i = 0; i < buckets->count; i++) {
        if (atomic_load(stop))
            return nk_fail(err, NK_EXIT_INTERRUPTED, "the benchmark was stopped");
        if (replay_bucket(buckets, buckets->files[i], bench, done, context, err) < 0)
            return -1;
    }
    return 0;
}
