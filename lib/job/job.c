/*
 * job.c: loading a job file and checking its top level (see job.h).
 *
 * The sections below the top level are checked by lib/job_extract.c,
 * lib/job_transform.c and lib/job_load.c.
 */
#include "lib/job/job.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job_check.h"
#include "lib/job/json_locate.h"

static const char *const top_keys[] = { "name", "description", "run_root", "keep_runs",
                                        "warehouse", "extract", "raw_archive", "transform",
                                        "load", "alerts", "metrics", NULL };
static const char *const top_required[] = { "name", "extract", NULL };

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
    if (nk_check_object(job, job->root, "", top_keys, top_required, err) < 0)
        return -1;
    if (check_name(job, err) < 0 || nk_check_string(job, job->root, "", "description", err) < 0 ||
        nk_check_string(job, job->root, "", "run_root", err) < 0 ||
        nk_check_integer(job, job->root, "", "keep_runs", 1, 100000, err) < 0)
        return -1;
    job->name = json_string_value(json_object_get(job->root, "name"));
    if (nk_job_check_extract(job, err) < 0 || nk_job_check_transform(job, err) < 0 ||
        nk_job_check_load(job, err) < 0 || nk_job_check_operations(job, err) < 0)
        return -1;
    return 0;
}

int nk_job_load(nk_job *job, const char *path, nk_error *err)
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
        return nk_fail(err, NK_EXIT_CONFIG, "%s:%d:%d: invalid JSON: %s", path,
                       parse_error.line, parse_error.column > 0 ? parse_error.column : 1,
                       parse_error.text);
    if (nk_job_expand_environment(job, err) < 0)
        return -1;
    return check_top_level(job, err);
}

void nk_job_free(nk_job *job)
{
    json_decref(job->root);
    free(job->path);
    free(job->dir);
    free(job->text);
    memset(job, 0, sizeof *job);
}

int nk_job_fail(const nk_job *job, nk_error *err, const char *path, const char *fmt, ...)
{
    char message[NK_ERROR_MAX];
    int line = 0, column = 0;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (nk_json_locate(job->text, job->text_length, path, &line, &column) < 0)
        line = column = 1;
    return nk_fail(err, NK_EXIT_CONFIG, "%s:%d:%d: %s%s%s", job->path, line, column, path,
                   *path ? ": " : "", message);
}

char *nk_job_resolve_path(const nk_job *job, const char *path)
{
    char *resolved;
    size_t size;

    if (path[0] == '/')
        return strdup(path);
    size = strlen(job->dir) + strlen(path) + 2;
    resolved = malloc(size);
    if (resolved)
        snprintf(resolved, size, "%s/%s", job->dir, path);
    return resolved;
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

json_t *nk_job_section(const nk_job *job, const char *name)
{
    return json_object_get(job->root, name);
}

void nk_json_describe(const json_t *value, char *out, size_t size)
{
    if (value == NULL) {
        snprintf(out, size, "nothing");
        return;
    }
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        snprintf(out, size, "an object");
        break;
    case JSON_ARRAY:
        snprintf(out, size, "an array");
        break;
    case JSON_STRING:
        snprintf(out, size, "a string \"%.60s\"", json_string_value(value));
        break;
    case JSON_INTEGER:
        snprintf(out, size, "the number %" JSON_INTEGER_FORMAT, json_integer_value(value));
        break;
    case JSON_REAL:
        snprintf(out, size, "the number %g", json_real_value(value));
        break;
    case JSON_TRUE:
        snprintf(out, size, "true");
        break;
    case JSON_FALSE:
        snprintf(out, size, "false");
        break;
    default:
        snprintf(out, size, "null");
        break;
    }
}
