/*
 * state.c: showing and resetting a job's incremental state (see state.h).
 */
#include "run/state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "run/lock.h"
#include "lib/base/log.h"

typedef int (*state_fn)(const char *source, const char *path, void *data, nk_error *err);

/* Only Kolada API sources keep state, and not when "incremental" is false. */
static int keeps_state(const json_t *source)
{
    const char *type = json_string_value(json_object_get(source, "type"));

    return type && strcmp(type, "kolada-api") == 0 &&
           !json_is_false(json_object_get(source, "incremental"));
}

/* Call fn for each source with state (only the one named, when one is). */
static int each_source(const nk_job *job, const char *run_root, const char *only, state_fn fn,
                       void *data, nk_error *err)
{
    const json_t *source;
    size_t i;
    int found = 0;

    json_array_foreach (nk_job_section(job, "extract"), i, source) {
        const char *name = json_string_value(json_object_get(source, "name"));
        if (!keeps_state(source) || (only && strcmp(only, name) != 0))
            continue;
        char *path = nk_job_state_path(job, source, run_root);
        int rc = fn(name, path, data, err);
        free(path);
        if (rc < 0)
            return -1;
        found++;
    }
    if (found == 0 && only)
        return nk_fail(err, NK_EXIT_USAGE,
                       "--source %s: job %s has no incremental source of that name", only,
                       job->name);
    if (found == 0)
        nk_info("job %s has no incremental source: every run fetches everything", job->name);
    return 0;
}

static const char *text_of(const json_t *entry, const char *key)
{
    const char *text = json_string_value(json_object_get(entry, key));

    return text ? text : "?";
}

static int show_one(const char *source, const char *path, void *data, nk_error *err)
{
    FILE *out = data;
    const char *query;
    json_t *doc, *entry;

    if (!nk_file_exists(path)) {
        fprintf(out, "%s  -  no state: the next run fetches everything (%s)\n", source, path);
        return 0;
    }
    doc = nk_json_read_file(path, NK_EXIT_NOINPUT, NULL, err);
    if (doc == NULL)
        return -1;
    if (json_object_size(json_object_get(doc, "queries")) == 0)
        fprintf(out, "%s  -  no query fetched yet (%s)\n", source, path);
    json_object_foreach (json_object_get(doc, "queries"), query, entry)
        fprintf(out, "%s  %s  %s  %s\n", source, text_of(entry, "from_date"),
                text_of(entry, "run_id"), query);
    json_decref(doc);
    return 0;
}

int run_state_show(const nk_job *job, const char *run_root, const char *source, FILE *out,
                   nk_error *err)
{
    return each_source(job, run_root, source, show_one, out, err);
}

static int reset_one(const char *source, const char *path, void *data, nk_error *err)
{
    (void)data;
    if (unlink(path) == 0) {
        nk_info("%s: incremental state removed (%s); the next run fetches everything", source,
                path);
        return 0;
    }
    if (errno == ENOENT) {
        nk_info("%s: no incremental state to remove (%s)", source, path);
        return 0;
    }
    return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot remove: %s", path, strerror(errno));
}

int run_state_reset(const nk_job *job, const char *run_root, const char *source, nk_error *err)
{
    run_lock lock;
    int rc;

    if (run_lock_acquire(&lock, run_root, job->name, err) < 0)
        return -1;
    rc = each_source(job, run_root, source, reset_one, NULL, err);
    run_lock_release(&lock);
    return rc;
}
