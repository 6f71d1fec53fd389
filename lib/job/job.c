/*
 * job.c: loading a job file and checking its top level (see job.h).
 *
 * The sections below the top level are checked by lib/job/job_extract.c,
 * job_transform.c, job_load.c and job_operations.c, called through a table.
 * The keys of each section, this one's too, are declared in
 * lib/job/job_key_tables.c.
 */
#include "lib/job/job.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/interrupt.h"
#include "lib/base/log.h"
#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"

/*
 * The sections below the top level, checked in this order.  The checkers know
 * nothing of this file: they use job_check.h and job_document.c only.
 */
static int (*const section_checkers[])(const nk_job *job, nk_error *err) = {
    nk_job_check_extract,    nk_job_check_transform,        nk_job_check_load,
    nk_job_check_operations, nk_job_check_personal_numbers,
};

static int check_name(const nk_job *job, nk_error *err)
{
    const json_t *name = json_object_get(job->root, "name");
    const char *s = json_string_value(name);

    if (s == NULL || *s == '\0' || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(s))
        return nk_check_expected(job, name, "name",
                                 "a job name of lower-case letters, digits, '-' and '_'", err);
    return 0;
}

static int check_top_level(nk_job *job, nk_error *err)
{
    if (nk_check_keys_known(job, job->root, "", &nk_keys_top, err) < 0 ||
        check_name(job, err) < 0 || nk_check_keys_values(job, job->root, "", &nk_keys_top, err) < 0)
        return -1;
    job->name = json_string_value(json_object_get(job->root, "name"));
    /* A signal is looked for between sections: a large job's check takes seconds. */
    for (size_t i = 0; i < sizeof section_checkers / sizeof *section_checkers; i++)
        if (nk_interrupt_check(NK_JOB_CHECK, err) < 0 || section_checkers[i](job, err) < 0)
            return -1;
    return 0;
}

static int read_and_check(nk_job *job, const char *path, nk_error *err)
{
    json_error_t parse_error;
    char *copy;

    memset(job, 0, sizeof *job);
    job->path = strdup(path);
    copy = strdup(path);
    job->dir = strdup(dirname(copy));
    free(copy);
    job->text = nk_read_file(path, "job file", 0, &job->text_length, NK_EXIT_NOINPUT, err);
    if (job->text == NULL)
        return -1;
    job->root = json_loadb(job->text, job->text_length, JSON_REJECT_DUPLICATES, &parse_error);
    /* jansson says column 0 at the end of a line or file; columns here start at 1. */
    if (job->root == NULL)
        return nk_fail(err, NK_EXIT_CONFIG, "%s:%d:%d: invalid JSON: %s", path, parse_error.line,
                       parse_error.column > 0 ? parse_error.column : 1, parse_error.text);
    if (nk_interrupt_check(NK_JOB_CHECK, err) < 0 || nk_job_expand_environment(job, err) < 0)
        return -1;
    return check_top_level(job, err);
}

int nk_job_load(nk_job *job, const char *path, nk_error *err)
{
    nk_interrupt_saved saved;
    int rc;

    nk_interrupt_hold(&saved);
    nk_debug("checking the job file %s", path);
    rc = read_and_check(job, path, err);
    nk_interrupt_release(&saved);
    /* A signal after the last look, before the release, ends the check all the same. */
    if (nk_interrupt_check(NK_JOB_CHECK, err) < 0)
        rc = -1;
    return rc;
}

void nk_job_free(nk_job *job)
{
    json_decref(job->root);
    free(job->path);
    free(job->dir);
    free(job->text);
    memset(job, 0, sizeof *job);
}

char *nk_job_state_path(const nk_job *job, const json_t *source, const char *run_root)
{
    const char *given = json_string_value(json_object_get(source, "state_dir"));
    const char *name = json_string_value(json_object_get(source, "name"));
    char *dir = given ? nk_job_resolve_path(job, given) : nk_path_join(run_root, "state");
    char file[300], *path;

    snprintf(file, sizeof file, "%s.%s.json", job->name, name ? name : "");
    path = nk_path_join(dir, file);
    free(dir);
    return path;
}
