/*
 * resume.c: finding where an unfinished run stopped (see resume.h).
 */
#include "run/resume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/log.h"
#include "lib/rundir/manifest.h"
#include "lib/rundir/run_dir.h"

json_t *run_resume_read(const char *run_dir, nk_error *err)
{
    char *path = nk_path_join(run_dir, NK_RUN_FILE);
    json_t *run_file = nk_json_read_file(path, NK_EXIT_NOINPUT,
                                         "not a run directory made by nyckel-run", err);

    free(path);
    if (run_file && !json_is_object(run_file)) {
        json_decref(run_file);
        nk_fail(err, NK_EXIT_DATA, "%s/%s: expected a JSON object", run_dir, NK_RUN_FILE);
        return NULL;
    }
    return run_file;
}

int run_resume_is_replay(const char *run_dir, const char *job_path)
{
    char *path = nk_path_join(run_dir, NK_RUN_FILE);
    struct stat st;
    int replay = job_path && stat(run_dir, &st) == 0 && S_ISDIR(st.st_mode) &&
                 !nk_file_exists(path);

    free(path);
    return replay;
}

const char *run_resume_job_file(const json_t *run_file)
{
    const char *path = json_string_value(json_object_get(run_file, "job_file"));

    return path && *path ? path : NULL;
}

int run_resume_check_job(const char *run_dir, const json_t *run_file, const nk_job *job,
                         nk_error *err)
{
    const char *name = json_string_value(json_object_get(run_file, "job"));
    const char *recorded = json_string_value(json_object_get(run_file, "job_sha256"));
    char sha[65];
    uint64_t size;
    nk_error ignored = { 0, "" };

    if (name == NULL || strcmp(name, job->name) != 0)
        return nk_fail(err, NK_EXIT_USAGE, "%s: the run belongs to job \"%s\", not \"%s\"", run_dir,
                       name ? name : "?", job->name);
    if (recorded && nk_sha256_file(job->path, sha, &size, &ignored) == 0 &&
        strcmp(sha, recorded) != 0)
        nk_warn("%s changed since this run started (sha256 was %.12s..., now %.12s...); "
                "resuming with the job file as it is now",
                job->path, recorded, sha);
    return 0;
}

/* load/summary.json says whether that load was rolled back as a dry run. */
static int load_was_dry_run(const char *run_dir)
{
    char *path = nk_path_join(run_dir, run_stage_done_file(RUN_LOAD));
    json_t *summary = json_load_file(path, 0, NULL);
    int dry = json_is_true(json_object_get(summary, "dry_run"));

    json_decref(summary);
    free(path);
    return dry;
}

enum run_stage run_resume_first_stage(const char *run_dir, int dry_run)
{
    for (int stage = 0; stage < RUN_STAGE_COUNT; stage++) {
        if (!run_stage_complete(run_dir, stage))
            return stage;
        if (stage == RUN_LOAD && !dry_run && load_was_dry_run(run_dir))
            return stage;
    }
    return RUN_STAGE_COUNT;
}

/* What run_resume_sources_changed looks for, and what it found. */
typedef struct source_check {
    time_t extract_started;
    char *what;
    size_t size;
} source_check;

/* An archive member: the archive changed when it is newer than the extract. */
static int archive_changed(const char *archive, const source_check *check, char *what, size_t size)
{
    struct stat st;

    if (stat(archive, &st) < 0)
        snprintf(what, size, "%s is gone", archive);
    else if (st.st_mtime >= check->extract_started)
        snprintf(what, size, "%s was modified after extract read it", archive);
    else
        return 0;
    return 1;
}

static int file_changed(const json_t *entry, const char *path, char *what, size_t size)
{
    const char *recorded = json_string_value(json_object_get(entry, "sha256"));
    nk_error ignored = { 0, "" };
    uint64_t bytes;
    struct stat st;
    char sha[65];

    if (stat(path, &st) < 0) {
        snprintf(what, size, "%s is gone", path);
        return 1;
    }
    if ((json_int_t)st.st_size != json_integer_value(json_object_get(entry, "size")))
        snprintf(what, size,
                 "%s changed size since extract (%" JSON_INTEGER_FORMAT " bytes, now %lld)", path,
                 json_integer_value(json_object_get(entry, "size")), (long long)st.st_size);
    else if (recorded && nk_sha256_file(path, sha, &bytes, &ignored) == 0 &&
             strcmp(sha, recorded) != 0)
        snprintf(what, size, "%s changed since extract (sha256 was %.12s..., now %.12s...)", path,
                 recorded, sha);
    else
        return 0;
    return 1;
}

/* Stops the reading (returns -1) at the first file that changed. */
static int check_entry(const json_t *entry, size_t index, void *data, nk_error *err)
{
    source_check *check = data;
    const char *uri = json_string_value(json_object_get(entry, "uri"));
    char path[4096];
    char *member;

    (void)index;
    if (uri == NULL || strncmp(uri, "file://", 7) != 0)
        return 0;
    snprintf(path, sizeof path, "%s", uri + 7);
    member = strchr(path, '#');
    if (member)
        *member = '\0';
    if (member ? archive_changed(path, check, check->what, check->size)
               : file_changed(entry, path, check->what, check->size))
        return nk_fail(err, NK_EXIT_DATA, "changed");
    return 0;
}

static time_t utc_time(const char *iso)
{
    struct tm tm;

    memset(&tm, 0, sizeof tm);
    if (iso == NULL || strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
        return 0;
    return timegm(&tm);
}

int run_resume_sources_changed(const char *run_dir, char *what, size_t size)
{
    char *path = nk_path_join(run_dir, run_stage_done_file(RUN_EXTRACT));
    source_check check = { 0, what, size };
    nk_error err = { 0, "" };
    json_t *header;

    /* The header comes after the entries: read it first for the start time. */
    header = nk_manifest_read(path, "files", NULL, NULL, NK_EXIT_NOINPUT, "", &err);
    *what = '\0';
    if (header) {
        check.extract_started = utc_time(json_string_value(json_object_get(header, "started_at")));
        json_decref(header);
        json_decref(nk_manifest_read(path, "files", check_entry, &check, NK_EXIT_NOINPUT, "",
                                     &err));
    }
    free(path);
    return *what != '\0';
}
