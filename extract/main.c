/*
 * main.c: nyckel-extract, the first stage.
 *
 * Reads the job's "extract" sources one by one into RUN_DIR/extract/raw and
 * writes RUN_DIR/extract/manifest.json last, so the stage counts as done only
 * when every source succeeded.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract_check.h"
#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "extract/extract.h"
#include "lib/base/files.h"
#include "extract/kolada_api/incremental_state.h"
#include "lib/base/log.h"
#include "extract/raw_zone/raw_archive.h"

static const char usage[] =
    "usage: nyckel-extract --job FILE --run-dir DIR [options]\n"
    "       nyckel-extract --job FILE --check [--offline]\n"
    "\n"
    "Fetch every source the job lists (Kolada API, Kolada files, internal\n"
    "exports) into RUN_DIR/extract, byte-exact, with a manifest.\n"
    "\n"
    "  --job FILE            the job file (see docs/jobs.md)\n"
    "  --run-dir DIR         the run directory; created when missing\n"
    "  --full                ignore incremental state: fetch everything\n"
    "  --check               fetch nothing: check that every path matches a file\n"
    "                        and every Kolada base_url answers, listing each problem\n"
    "  --offline             with --check: do not ask the Kolada API\n"
    "  --log-format FORMAT   text, json or auto (text on a terminal)\n"
    "  --quiet, --verbose    fewer or more log lines\n"
    "  --help, --version\n"
    "\n"
    "Exit codes: see docs/operations.md.\n";

static const struct {
    const char *type;
    extract_source_reader read;
} readers[] = {
    { "kolada-files", extract_kolada_files },
    { "kolada-api", extract_kolada_api },
    { "files", extract_files },
};

extract_source_reader extract_reader_for(const char *type)
{
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
        if (strcmp(readers[i].type, type) == 0)
            return readers[i].read;
    return NULL;
}

static int read_sources(extract_context *context, nk_error *err)
{
    char job_path[64];
    size_t i;
    json_t *source;

    json_array_foreach (nk_job_section(context->job, "extract"), i, source) {
        const char *type = json_string_value(json_object_get(source, "type"));
        extract_source_reader read = extract_reader_for(type);

        snprintf(job_path, sizeof job_path, "extract[%zu]", i);
        if (read == NULL)
            return nk_fail(err, NK_EXIT_SOFTWARE, "%s: no reader for source type \"%s\"", job_path,
                           type);
        if (read(context, source, job_path, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * Once the manifest is written: finish the raw archive, then advance
 * incremental state.  Either failing undoes the manifest, so the run counts
 * as failed and the state never gets ahead of a complete run.
 */
static int after_manifest(extract_context *context, nk_error *err)
{
    nk_error ignored = { 0 };

    if (extract_raw_archive_finish(context, err) == 0 && extract_state_commit(context, err) == 0)
        return 0;
    nk_run_reset_stage(context->run, NK_STAGE_EXTRACT, &ignored);
    return -1;
}

static int open_manifest(extract_context *context, nk_error *err)
{
    char *path = nk_run_manifest_path(context->run, NK_STAGE_EXTRACT);

    context->manifest = nk_manifest_writer_open(path, "files", err);
    free(path);
    return context->manifest ? 0 : -1;
}

/* The entries are on disk already: only the header is built here. */
static int write_manifest(extract_context *context, const char *started, nk_error *err)
{
    char finished[32];
    json_t *header;
    int rc;

    nk_now_utc(finished);
    header = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "stage", NK_STAGE_EXTRACT, "run_id",
                       context->run->run_id, "job", context->job->name, "started_at", started,
                       "finished_at", finished, "mode", context->full ? "full" : "auto");
    rc = nk_manifest_writer_finish(context->manifest, header, err);
    json_decref(header);
    return rc;
}

static int check_sources(const nk_cli *cli, nk_error *err)
{
    nk_job job;
    int rc = nk_job_load(&job, cli->job_path, err);

    if (rc == 0)
        rc = extract_check(&job, (cli->options & NK_CLI_OFFLINE) != 0, err);
    nk_job_free(&job);
    return rc;
}

static int run_extract(const nk_cli *cli, nk_error *err)
{
    extract_context context = { 0 };
    char started[32];
    nk_job job;
    nk_run run;
    int rc = -1;

    if (cli->options & NK_CLI_CHECK)
        return check_sources(cli, err);
    if (nk_job_load(&job, cli->job_path, err) < 0) {
        nk_job_free(&job);
        return -1;
    }
    if (nk_run_open(&run, cli->run_dir, &job, 1, err) < 0)
        goto out_job;
    nk_log_set_run_id(run.run_id);
    if (nk_run_reset_stage(&run, NK_STAGE_EXTRACT, err) < 0)
        goto out_run;
    context.job = &job;
    context.run = &run;
    context.full = (cli->options & NK_CLI_FULL) != 0;
    context.stage_dir = nk_run_stage_dir(&run, NK_STAGE_EXTRACT, err);
    if (context.stage_dir == NULL || open_manifest(&context, err) < 0 ||
        extract_raw_archive_start(&context, err) < 0)
        goto out_context;
    nk_now_utc(started);
    if (read_sources(&context, err) < 0)
        goto out_context;
    rc = write_manifest(&context, started, err);
    if (rc == 0)
        rc = after_manifest(&context, err);
    if (rc == 0)
        nk_info("extract done: %zu file(s) in %s/extract",
                nk_manifest_writer_count(context.manifest), run.dir);
out_context:
    extract_raw_archive_abandon(&context);
    nk_manifest_writer_free(context.manifest);
    json_decref(context.pending_state);
    free(context.stage_dir);
out_run:
    nk_run_close(&run);
out_job:
    nk_job_free(&job);
    return rc;
}

int main(int argc, char **argv)
{
    /* Page bodies pass through buffers of half a megabyte (curl's receive
     * buffer, the page reader's copies), allocated and freed thousands of
     * times a run.  glibc would map and unmap fresh pages for them again and
     * again: about 60 000 page faults at national scale, a fifth of extract's
     * system time.  Kept in the heap, they are faulted in once. */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    return nk_stage_main(argc, argv, NK_CLI_FULL | NK_CLI_CHECK | NK_CLI_OFFLINE, usage,
                         run_extract);
}
