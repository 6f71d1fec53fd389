/*
 * main.c: nyckel-transform, the second stage.
 *
 * Reads only RUN_DIR/extract (its manifest and raw files) and writes
 * RUN_DIR/transform: one COPY file per staged table, the rejects file, and
 * the manifest, last.  Metadata files are read before data files, whatever
 * their order in the manifest, so that every value can be checked against
 * the KPIs and areas this run knows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/transform_check.h"
#include "lib/base/cli.h"
#include "transform/staged/dimensions.h"
#include "lib/base/exit_codes.h"
#include "transform/exports/export.h"
#include "lib/base/files.h"
#include "transform/kolada/kolada_page.h"
#include "lib/base/log.h"
#include "transform/manifest_pass.h"
#include "lib/base/progress_bar.h"
#include "lib/rundir/raw_unpack.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"
#include "transform/transform.h"

static const char usage[] =
    "usage: nyckel-transform --job FILE --run-dir DIR [options]\n"
    "       nyckel-transform --job FILE --check\n"
    "\n"
    "Turn what nyckel-extract stored in RUN_DIR/extract into load-ready COPY\n"
    "files in RUN_DIR/transform, with a rejects file and a manifest.\n"
    "\n"
    "  --job FILE            the job file (see docs/jobs.md)\n"
    "  --run-dir DIR         the run directory (extract must have completed)\n"
    "  --check               write nothing: read the job's internal exports where\n"
    "                        they lie and list every problem a run would meet\n"
    "  --archive FILE        replay: unpack a raw archive kept by nyckel-extract\n"
    "                        into RUN_DIR/extract first (no network needed)\n"
    "  --log-format FORMAT   text, json or auto (text on a terminal)\n"
    "  --quiet, --verbose    fewer or more log lines\n"
    "  --help, --version\n"
    "\n"
    "Exit codes: see docs/operations.md; 65 when rejects exceed\n"
    "transform.max_rejects (default 0: any reject).\n";

/* Reasons named in the manifest, the log and a failure's message. */
#define TOP_REASONS 3

/* Metadata in the order that lets each kind check against the ones before. */
static const transform_kolada_kind metadata_order[] = {
    KOLADA_MUNICIPALITY, KOLADA_MUNICIPALITY_GROUPS, KOLADA_KPI, KOLADA_KPI_GROUPS, KOLADA_OU,
};

static int is_values(const transform_file *file)
{
    return file->kind == KOLADA_DATA || file->kind == KOLADA_OUDATA;
}

/* First pass: every file's kind, and its row of the staged "source" table. */
static int classify(transform_context *context, transform_source *source, transform_file *file,
                    void *data, nk_error *err)
{
    char ref[24], size[24];
    const json_t *entry = source->entry;

    (void)data;
    /* Exports keep kind KOLADA_EMPTY, so the Kolada passes leave them alone. */
    if (!file->is_export &&
        transform_kolada_sniff(source->path, source->endpoint, &file->kind, err) < 0)
        return -1;
    snprintf(ref, sizeof ref, "%ld", source->source_ref);
    snprintf(size, sizeof size, "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(entry, "size")));
    const char *fields[] = { ref, source->uri, json_string_value(json_object_get(entry, "sha256")),
                             size, json_string_value(json_object_get(entry, "fetched_at")) };
    return transform_table_row(context->tables, "source", fields, err);
}

static int read_metadata_file(transform_context *context, transform_source *source,
                              transform_file *file, void *data, nk_error *err)
{
    const transform_kolada_kind *kind = data;
    json_t *page;
    int rc;

    if (file->kind != *kind)
        return 0;
    page = transform_kolada_parse(source->path, err);
    if (page == NULL)
        return -1;
    rc = transform_kolada_read_metadata(context, source, page, file->kind, err);
    json_decref(page);
    return rc;
}

static int has_kind(const transform_file_list *list, transform_kolada_kind kind)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->files[i].kind == kind)
            return 1;
    return 0;
}

static int read_metadata(transform_context *context, transform_file_list *list, nk_error *err)
{
    for (size_t k = 0; k < sizeof metadata_order / sizeof metadata_order[0]; k++) {
        transform_kolada_kind kind = metadata_order[k];
        if (has_kind(list, kind) &&
            transform_manifest_pass(context, list, read_metadata_file, &kind, err) < 0)
            return -1;
    }
    return 0;
}

typedef struct values_progress {
    nk_progress *bar;
    uint64_t done, rows;
} values_progress;

static int read_values_file(transform_context *context, transform_source *source,
                            transform_file *file, void *data, nk_error *err)
{
    values_progress *progress = data;
    int rc;

    if (!is_values(file))
        return 0;
    rc = transform_kolada_read_values(context, source, file->kind, err);
    progress->rows += source->counts.rows_read;
    nk_progress_set(progress->bar, ++progress->done, (double)progress->rows);
    return rc;
}

static int read_values(transform_context *context, transform_file_list *list, nk_error *err)
{
    values_progress progress = { 0 };
    uint64_t pages = 0;
    int rc;

    for (size_t i = 0; i < list->count; i++)
        pages += is_values(&list->files[i]);
    if (pages == 0)
        return 0;
    progress.bar = nk_progress_start("transform", "pages", pages, "rows");
    rc = transform_manifest_pass(context, list, read_values_file, &progress, err);
    nk_progress_finish(progress.bar);
    return rc;
}

static int read_export_file(transform_context *context, transform_source *source,
                            transform_file *file, void *data, nk_error *err)
{
    (void)data;
    return file->is_export ? transform_export_read(context, source, err) : 0;
}

static int read_exports(transform_context *context, transform_file_list *list, nk_error *err)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->files[i].is_export)
            return transform_manifest_pass(context, list, read_export_file, NULL, err);
    return 0;
}

static int transform_files(transform_context *context, transform_file_list *list, nk_error *err)
{
    if (transform_manifest_pass(context, list, classify, NULL, err) < 0 ||
        read_metadata(context, list, err) < 0 || read_values(context, list, err) < 0 ||
        read_exports(context, list, err) < 0)
        return -1;
    return transform_dimensions_write(context, err);
}

/* Last pass: the manifest's "sources", in the extract manifest's order. */
static int add_source(transform_context *context, transform_source *source, transform_file *file,
                      void *data, nk_error *err)
{
    const json_t *entry = source->entry;
    json_t *counts = json_pack("{s:s?, s:s?, s:s?, s:I, s:I, s:I}", "path",
                               json_string_value(json_object_get(entry, "path")), "uri",
                               source->uri, "sha256",
                               json_string_value(json_object_get(entry, "sha256")), "rows_read",
                               (json_int_t)file->counts.rows_read, "rows_written",
                               (json_int_t)file->counts.rows_written, "rows_rejected",
                               (json_int_t)file->counts.rows_rejected);
    int rc;

    if (file->warnings)
        json_object_set(counts, "warnings", file->warnings);
    rc = nk_manifest_writer_add(data, counts, err);
    (void)context;
    json_decref(counts);
    return rc;
}

/*
 * A file refused for a personal identity number fails the run whatever
 * max_rejects allows: its figures are missing, and a person's number was
 * where it should not be, which someone must look at.
 */
static int check_refused_files(const transform_context *context, nk_error *err)
{
    if (context->refused_files == 0)
        return 0;
    return nk_fail(err, NK_EXIT_DATA,
                   "%s; %zu file(s) in all rejected whole for holding a personal identity "
                   "number: see transform/rejects.jsonl",
                   context->first_refusal ? context->first_refusal : "out of memory",
                   context->refused_files);
}

static int finish_manifest(transform_context *context, nk_manifest_writer *writer, json_t *tables,
                           uint64_t rejected, const json_t *reasons, nk_error *err)
{
    char finished[32], extract_sha[65];
    uint64_t size;
    char *extract_manifest_path = nk_run_manifest_path(context->run, NK_STAGE_EXTRACT);
    int rc = nk_sha256_file(extract_manifest_path, extract_sha, &size, err);
    json_t *header;

    free(extract_manifest_path);
    if (rc < 0)
        return -1;
    nk_now_utc(finished);
    header = json_pack("{s:s, s:s, s:s, s:s, s:O, s:{s:s, s:I, s:O}}", "stage", NK_STAGE_TRANSFORM,
                       "run_id", context->run->run_id, "finished_at", finished,
                       "extract_manifest_sha256", extract_sha, "tables", tables, "rejects", "file",
                       "rejects.jsonl", "rows", (json_int_t)rejected, "reasons", reasons);
    rc = nk_manifest_writer_finish(writer, header, err);
    json_decref(header);
    return rc;
}

/* Rejects the job allows still lose rows: say so at warning level, with why. */
static void warn_rejects(uint64_t rejected, uint64_t read, const json_t *reasons)
{
    char why[1400];

    if (rejected == 0)
        return;
    nk_reject_reasons_describe(reasons, why, sizeof why);
    nk_warn("%lu of %lu row(s) rejected (see transform/rejects.jsonl): %s", (unsigned long)rejected,
            (unsigned long)read, why);
}

static int write_manifest(transform_context *context, transform_file_list *list, json_t *tables,
                          uint64_t rejected, const json_t *reasons, nk_error *err)
{
    uint64_t read = 0;
    char *path;
    nk_manifest_writer *writer;
    int rc;

    for (size_t i = 0; i < list->count; i++)
        read += list->files[i].counts.rows_read;
    if (check_refused_files(context, err) < 0 ||
        transform_rejects_over_limit(context->job, rejected, read, reasons, err))
        return -1;
    path = nk_run_manifest_path(context->run, NK_STAGE_TRANSFORM);
    writer = nk_manifest_writer_open(path, "sources", err);
    free(path);
    if (writer == NULL)
        return -1;
    rc = transform_manifest_pass(context, list, add_source, writer, err);
    if (rc == 0)
        rc = finish_manifest(context, writer, tables, rejected, reasons, err);
    nk_manifest_writer_free(writer);
    if (rc == 0) {
        nk_info("transform done: %lu row(s) read, %lu rejected", (unsigned long)read,
                (unsigned long)rejected);
        warn_rejects(rejected, read, reasons);
    }
    return rc;
}

static int transform_run(transform_context *context, nk_error *err)
{
    char *rejects_path = nk_path_join(context->stage_dir, "rejects.jsonl");
    transform_file_list list = { 0 };
    json_t *tables;
    int rc = -1;

    context->rejects = transform_rejects_open(rejects_path, err);
    context->tables = transform_tables_open(context->stage_dir);
    context->dimensions = json_object();
    context->unknown_keys = json_object();
    if (context->rejects && context->tables == NULL)
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory opening the staged tables",
                context->stage_dir);
    else if (context->rejects && transform_files(context, &list, err) == 0) {
        uint64_t rejected = transform_rejects_count(context->rejects);
        json_t *reasons = transform_rejects_reasons(context->rejects, TOP_REASONS);
        tables = transform_tables_close(context->tables, err);
        context->tables = NULL;
        if (tables && transform_rejects_close(context->rejects, err) == 0) {
            context->rejects = NULL;
            rc = write_manifest(context, &list, tables, rejected, reasons, err);
        }
        json_decref(tables);
        json_decref(reasons);
    }
    if (context->tables)
        transform_tables_abandon(context->tables);
    if (context->rejects)
        transform_rejects_close(context->rejects, err);
    json_decref(context->dimensions);
    json_decref(context->unknown_keys);
    for (size_t i = 0; i < list.count; i++)
        json_decref(list.files[i].warnings);
    free(context->first_refusal);
    free(list.files);
    free(rejects_path);
    return rc;
}

/* A replay: the raw zone comes from an archive instead of a fresh extract. */
static int replay_archive(const nk_run *run, const char *archive, nk_error *err)
{
    if (nk_run_stage_done(run, NK_STAGE_EXTRACT))
        return nk_fail(err, NK_EXIT_USAGE,
                       "%s: already holds an extract; replay an archive into a new run directory",
                       run->dir);
    if (nk_raw_archive_unpack(archive, run->dir, err) < 0)
        return -1;
    nk_info("replaying %s", archive);
    return 0;
}

static int check_exports(const nk_cli *cli, nk_error *err)
{
    nk_job job;
    int rc = nk_job_load(&job, cli->job_path, err);

    if (rc == 0)
        rc = transform_check(&job, err);
    nk_job_free(&job);
    return rc;
}

static int run_transform(const nk_cli *cli, nk_error *err)
{
    transform_context context = { 0 };
    json_t *extract_manifest = NULL;
    nk_job job;
    nk_run run;
    int rc = -1;

    if (cli->options & NK_CLI_CHECK)
        return check_exports(cli, err);
    if (nk_job_load(&job, cli->job_path, err) < 0) {
        nk_job_free(&job);
        return -1;
    }
    if (nk_run_open(&run, cli->run_dir, &job, cli->archive != NULL, err) < 0)
        goto out_job;
    nk_log_set_run_id(run.run_id);
    if (cli->archive && replay_archive(&run, cli->archive, err) < 0)
        goto out_run;
    /* The whole manifest is checked before transform/ is touched. */
    extract_manifest = nk_run_read_manifest_entries(&run, NK_STAGE_EXTRACT, "files", NULL, NULL,
                                                    err);
    if (extract_manifest == NULL || nk_run_reset_stage(&run, NK_STAGE_TRANSFORM, err) < 0)
        goto out_run;
    context.job = &job;
    context.run = &run;
    context.stage_dir = nk_run_stage_dir(&run, NK_STAGE_TRANSFORM, err);
    if (context.stage_dir)
        rc = transform_run(&context, err);
    free(context.stage_dir);
out_run:
    json_decref(extract_manifest);
    nk_run_close(&run);
out_job:
    nk_job_free(&job);
    return rc;
}

int main(int argc, char **argv)
{
    return nk_stage_main(argc, argv, NK_CLI_ARCHIVE | NK_CLI_CHECK, usage, run_transform);
}
