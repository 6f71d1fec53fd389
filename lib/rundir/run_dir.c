/*
 * run_dir.c: opening run directories and reading and writing stage
 * manifests (see run_dir.h).
 */
#include "lib/rundir/run_dir.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"

static int write_run_file(nk_run *run, const nk_job *job, nk_error *err)
{
    char *path = nk_run_path(run, NK_RUN_FILE);
    char created[32], job_sha[65] = "";
    uint64_t size = 0;
    json_t *doc;
    int rc;

    nk_now_utc(created);
    if (job && nk_sha256_file(job->path, job_sha, &size, err) < 0) {
        free(path);
        return -1;
    }
    doc = json_pack("{s:s, s:s, s:s, s:s, s:s}", "run_id", run->run_id, "job", job ? job->name : "",
                    "job_file", job ? job->path : "", "job_sha256", job_sha, "created_at", created);
    rc = nk_json_write_atomic(path, doc, err);
    json_decref(doc);
    free(path);
    return rc;
}

int nk_run_open(nk_run *run, const char *dir, const nk_job *job, int create, nk_error *err)
{
    struct stat st;
    char *copy;

    memset(run, 0, sizeof *run);
    if (stat(dir, &st) < 0) {
        if (!create)
            return nk_fail(err, NK_EXIT_NOINPUT, "%s: run directory not found", dir);
        if (nk_mkdirs(dir, err) < 0)
            return -1;
    } else if (!S_ISDIR(st.st_mode)) {
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: not a directory", dir);
    }
    run->dir = strdup(dir);
    copy = strdup(dir);
    snprintf(run->run_id, sizeof run->run_id, "%s", basename(copy));
    free(copy);

    char *run_file = nk_run_path(run, NK_RUN_FILE);
    int exists = nk_file_exists(run_file);
    free(run_file);
    if (!exists && create)
        return write_run_file(run, job, err);
    return 0;
}

void nk_run_close(nk_run *run)
{
    free(run->dir);
    memset(run, 0, sizeof *run);
}

char *nk_run_path(const nk_run *run, const char *relative)
{
    return nk_path_join(run->dir, relative);
}

char *nk_run_stage_dir(const nk_run *run, const char *stage, nk_error *err)
{
    char *path = nk_run_path(run, stage);

    if (nk_mkdirs(path, err) < 0) {
        free(path);
        return NULL;
    }
    return path;
}

char *nk_run_manifest_path(const nk_run *run, const char *stage)
{
    char relative[128];

    snprintf(relative, sizeof relative, "%s/%s", stage, NK_MANIFEST_FILE);
    return nk_run_path(run, relative);
}

json_t *nk_run_read_manifest_entries(const nk_run *run, const char *stage, const char *array_name,
                                     nk_manifest_entry_fn on_entry, void *data, nk_error *err)
{
    char hint[160];
    char *path = nk_run_manifest_path(run, stage);
    json_t *header;

    snprintf(hint, sizeof hint,
             "the %s stage has not completed in this run directory (run nyckel-%s first)", stage,
             stage);
    header = nk_manifest_read(path, array_name, on_entry, data, NK_EXIT_NOINPUT, hint, err);
    free(path);
    return header;
}

int nk_run_stage_done(const nk_run *run, const char *stage)
{
    char *path = nk_run_manifest_path(run, stage);
    int done = nk_file_exists(path);

    free(path);
    return done;
}

int nk_run_reset_stage(const nk_run *run, const char *stage, nk_error *err)
{
    char *path = nk_run_manifest_path(run, stage);
    int rc = 0;

    if (unlink(path) < 0 && errno != ENOENT)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot remove: %s", path, strerror(errno));
    free(path);
    return rc;
}
