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

#include "cli.h"
#include "dimensions.h"
#include "exit_codes.h"
#include "export.h"
#include "files.h"
#include "kolada_page.h"
#include "log.h"
#include "pnr.h"
#include "progress_bar.h"
#include "raw_archive.h"
#include "rejects.h"
#include "tables.h"
#include "transform.h"

static const char usage[] =
    "usage: nyckel-transform --job FILE --run-dir DIR [options]\n"
    "\n"
    "Turn what nyckel-extract stored in RUN_DIR/extract into load-ready COPY\n"
    "files in RUN_DIR/transform, with a rejects file and a manifest.\n"
    "\n"
    "  --job FILE            the job file (see docs/jobs.md)\n"
    "  --run-dir DIR         the run directory (extract must have completed)\n"
    "  --archive FILE        replay: unpack a raw archive kept by nyckel-extract\n"
    "                        into RUN_DIR/extract first (no network needed)\n"
    "  --log-format FORMAT   text, json or auto (text on a terminal)\n"
    "  --quiet, --verbose    fewer or more log lines\n"
    "  --help, --version\n"
    "\n"
    "Exit codes: see docs/operations.md; 65 when rejects exceed\n"
    "transform.max_rejects.\n";

typedef struct pending_file {
    transform_source source;
    transform_kolada_kind kind;
    json_t *page; /* kept between passes for metadata only */
} pending_file;

/* Metadata in the order that lets each kind check against the ones before. */
static const transform_kolada_kind metadata_order[] = {
    KOLADA_MUNICIPALITY, KOLADA_MUNICIPALITY_GROUPS, KOLADA_KPI, KOLADA_KPI_GROUPS, KOLADA_OU,
};

static int write_sources(transform_context *context, pending_file *files, size_t count,
                         nk_error *err)
{
    char ref[24], size[24];

    for (size_t i = 0; i < count; i++) {
        const json_t *entry = files[i].source.entry;
        snprintf(ref, sizeof ref, "%ld", files[i].source.source_ref);
        snprintf(size, sizeof size, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(entry, "size")));
        const char *fields[] = { ref, files[i].source.uri,
                                 json_string_value(json_object_get(entry, "sha256")), size,
                                 json_string_value(json_object_get(entry, "fetched_at")) };
        if (transform_table_row(context->tables, "source", fields, err) < 0)
            return -1;
    }
    return 0;
}

static int classify(pending_file *file, nk_error *err)
{
    if (transform_kolada_sniff(file->source.path, file->source.endpoint, &file->kind, err) < 0)
        return -1;
    if (!transform_kolada_is_metadata(file->kind))
        return 0;
    file->page = transform_kolada_parse(file->source.path, err);
    return file->page ? 0 : -1;
}

static int read_metadata(transform_context *context, pending_file *files, size_t count,
                         nk_error *err)
{
    for (size_t k = 0; k < sizeof metadata_order / sizeof metadata_order[0]; k++) {
        for (size_t i = 0; i < count; i++) {
            if (files[i].kind != metadata_order[k])
                continue;
            if (transform_kolada_read_metadata(context, &files[i].source, files[i].page,
                                               files[i].kind, err) < 0)
                return -1;
            json_decref(files[i].page);
            files[i].page = NULL;
        }
    }
    return 0;
}

static int read_values(transform_context *context, pending_file *files, size_t count,
                       nk_error *err)
{
    uint64_t pages = 0, done = 0, rows = 0;
    nk_progress *progress;
    int rc = 0;

    for (size_t i = 0; i < count; i++)
        pages += files[i].kind == KOLADA_DATA || files[i].kind == KOLADA_OUDATA;
    progress = nk_progress_start("transform", "pages", pages, "rows");
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (files[i].kind != KOLADA_DATA && files[i].kind != KOLADA_OUDATA)
            continue;
        rc = transform_kolada_read_values(context, &files[i].source, files[i].kind, err);
        rows += files[i].source.counts.rows_read;
        nk_progress_set(progress, ++done, (double)rows);
    }
    nk_progress_finish(progress);
    return rc;
}

static json_t *source_counts(const pending_file *files, size_t count)
{
    json_t *list = json_array();

    for (size_t i = 0; i < count; i++) {
        const transform_source *s = &files[i].source;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "path",
                                              json_string_value(json_object_get(s->entry, "path")),
                                              "uri", s->uri, "sha256",
                                              json_string_value(json_object_get(s->entry, "sha256")),
                                              "rows_read", (json_int_t)s->counts.rows_read,
                                              "rows_written", (json_int_t)s->counts.rows_written,
                                              "rows_rejected", (json_int_t)s->counts.rows_rejected));
    }
    return list;
}

/* transform.max_rejects: a count (10) or a share of the rows read ("0.5%"); none means no limit. */
static int check_reject_threshold(const nk_job *job, uint64_t rejected, uint64_t read,
                                  nk_error *err)
{
    const json_t *limit = json_object_get(nk_job_section(job, "transform"), "max_rejects");

    if (json_is_integer(limit) && rejected > (uint64_t)json_integer_value(limit))
        return nk_fail(err, NK_EXIT_DATA,
                       "%lu row(s) rejected, more than transform.max_rejects (%" JSON_INTEGER_FORMAT
                       "): see transform/rejects.jsonl",
                       (unsigned long)rejected, json_integer_value(limit));
    if (json_is_string(limit) && read > 0) {
        double share = strtod(json_string_value(limit), NULL);
        if (100.0 * (double)rejected / (double)read > share)
            return nk_fail(err, NK_EXIT_DATA,
                           "%lu of %lu row(s) rejected, more than transform.max_rejects (%s): "
                           "see transform/rejects.jsonl",
                           (unsigned long)rejected, (unsigned long)read, json_string_value(limit));
    }
    return 0;
}

static json_t *settings_for(const nk_job *job, const char *source_name)
{
    size_t i;
    json_t *source;

    json_array_foreach(nk_job_section(job, "extract"), i, source) {
        const char *name = json_string_value(json_object_get(source, "name"));
        if (name && source_name && strcmp(name, source_name) == 0)
            return source;
    }
    return NULL;
}

static pending_file *list_files(const transform_context *context, const json_t *manifest,
                                char *extract_dir, size_t *count)
{
    const json_t *entries = json_object_get(manifest, "files");
    pending_file *files = calloc(json_array_size(entries) + 1, sizeof *files);
    size_t i;
    json_t *entry;

    json_array_foreach(entries, i, entry) {
        transform_source *s = &files[i].source;
        s->path = nk_path_join(extract_dir, json_string_value(json_object_get(entry, "path")));
        /* A file may be named after a person; the name must not reach the warehouse. */
        s->uri = transform_pnr_mask(json_string_value(json_object_get(entry, "uri")));
        s->source = json_string_value(json_object_get(entry, "source"));
        s->endpoint = json_string_value(json_object_get(entry, "endpoint"));
        s->entry = entry;
        s->settings = settings_for(context->job, s->source);
        s->source_ref = (long)i + 1;
    }
    *count = json_array_size(entries);
    return files;
}

static void free_files(pending_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free((char *)files[i].source.path);
        free((char *)files[i].source.uri);
        json_decref(files[i].page);
    }
    free(files);
}

/* A raw file of an internal export ("files" source) rather than a Kolada response. */
static int is_export(const pending_file *file)
{
    const char *type = json_string_value(json_object_get(file->source.settings, "type"));

    return type && strcmp(type, "files") == 0;
}

static int read_exports(transform_context *context, pending_file *files, size_t count,
                        nk_error *err)
{
    for (size_t i = 0; i < count; i++)
        if (is_export(&files[i]) && transform_export_read(context, &files[i].source, err) < 0)
            return -1;
    return 0;
}

static int transform_files(transform_context *context, pending_file *files, size_t count,
                           nk_error *err)
{
    /* Exports keep kind KOLADA_EMPTY, so the Kolada passes leave them alone. */
    for (size_t i = 0; i < count; i++)
        if (!is_export(&files[i]) && classify(&files[i], err) < 0)
            return -1;
    if (write_sources(context, files, count, err) < 0 || read_metadata(context, files, count, err) < 0 ||
        read_values(context, files, count, err) < 0 || read_exports(context, files, count, err) < 0)
        return -1;
    return transform_dimensions_write(context, err);
}

static int write_manifest(transform_context *context, pending_file *files, size_t count,
                          json_t *tables, uint64_t rejected, nk_error *err)
{
    char finished[32], extract_sha[65];
    uint64_t size, read = 0;
    char *extract_manifest_path = nk_run_path(context->run, "extract/manifest.json");
    int rc = nk_sha256_file(extract_manifest_path, extract_sha, &size, err);

    free(extract_manifest_path);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        read += files[i].source.counts.rows_read;
    if (check_reject_threshold(context->job, rejected, read, err) < 0)
        return -1;
    nk_now_utc(finished);
    json_t *manifest = json_pack("{s:s, s:s, s:s, s:s, s:O, s:o, s:{s:s, s:I}}", "stage",
                                 NK_STAGE_TRANSFORM, "run_id", context->run->run_id, "finished_at",
                                 finished, "extract_manifest_sha256", extract_sha, "tables", tables,
                                 "sources", source_counts(files, count), "rejects", "file",
                                 "rejects.jsonl", "rows", (json_int_t)rejected);
    rc = nk_run_write_manifest(context->run, NK_STAGE_TRANSFORM, manifest, err);
    json_decref(manifest);
    if (rc == 0)
        nk_info("transform done: %lu row(s) read, %lu rejected", (unsigned long)read,
                (unsigned long)rejected);
    return rc;
}

static int transform_run(transform_context *context, const json_t *extract_manifest,
                         nk_error *err)
{
    char *rejects_path = nk_path_join(context->stage_dir, "rejects.jsonl");
    char *extract_dir = nk_run_path(context->run, NK_STAGE_EXTRACT);
    size_t count = 0;
    pending_file *files = list_files(context, extract_manifest, extract_dir, &count);
    json_t *tables;
    int rc = -1;

    context->rejects = transform_rejects_open(rejects_path, err);
    context->tables = transform_tables_open(context->stage_dir);
    context->dimensions = json_object();
    if (context->rejects && transform_files(context, files, count, err) == 0) {
        uint64_t rejected = transform_rejects_count(context->rejects);
        tables = transform_tables_close(context->tables, err);
        context->tables = NULL;
        if (tables && transform_rejects_close(context->rejects, err) == 0) {
            context->rejects = NULL;
            rc = write_manifest(context, files, count, tables, rejected, err);
        }
        json_decref(tables);
    }
    if (context->tables)
        transform_tables_abandon(context->tables);
    if (context->rejects)
        transform_rejects_close(context->rejects, err);
    json_decref(context->dimensions);
    free_files(files, count);
    free(extract_dir);
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

static int run_transform(const nk_cli *cli, nk_error *err)
{
    transform_context context = { 0 };
    json_t *extract_manifest = NULL;
    nk_job job;
    nk_run run;
    int rc = -1;

    if (nk_job_load(&job, cli->job_path, err) < 0) {
        nk_job_free(&job);
        return -1;
    }
    if (nk_run_open(&run, cli->run_dir, &job, cli->archive != NULL, err) < 0)
        goto out_job;
    nk_log_set_run_id(run.run_id);
    if (cli->archive && replay_archive(&run, cli->archive, err) < 0)
        goto out_run;
    extract_manifest = nk_run_read_manifest(&run, NK_STAGE_EXTRACT, err);
    if (extract_manifest == NULL || nk_run_reset_stage(&run, NK_STAGE_TRANSFORM, err) < 0)
        goto out_run;
    context.job = &job;
    context.run = &run;
    context.stage_dir = nk_run_stage_dir(&run, NK_STAGE_TRANSFORM, err);
    if (context.stage_dir)
        rc = transform_run(&context, extract_manifest, err);
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
    return nk_stage_main(argc, argv, NK_CLI_ARCHIVE, usage, run_transform);
}
