/*
 * job_document.c: what a loaded job offers its section checkers and the
 * stages alike (see job.h): a section, a path resolved against the job
 * file's folder, and an error located at its line and column in the file.
 *
 * It is apart from job.c so that the checkers, which job.c calls, never call
 * back into job.c.
 */
#include "lib/job/job.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/job/json_locate.h"

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
