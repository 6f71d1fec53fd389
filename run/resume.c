/*
 * resume.c: finding where an unfinished run stopped (see resume.h).
 */
#include "resume.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exit_codes.h"
#include "files.h"
#include "log.h"
#include "run_dir.h"

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
        return nk_fail(err, NK_EXIT_USAGE, "%s: the run belongs to job \"%s\", not \"%s\"",
                       run_dir, name ? name : "?", job->name);
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
