/*
 * incremental_state.c: reading, marking and committing the per-query state
 * of incremental Kolada refreshes (see incremental_state.h).
 */
#include "extract/kolada_api/incremental_state.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/log.h"

struct extract_state {
    char *path;
    json_t *doc; /* {"job", "source", "queries": {url: {"from_date", "run_id"}}} */
    int full;
    char today[11];
    const char *run_id;
};

extract_state *extract_state_open(extract_context *context, const json_t *source_json,
                                  const char *source, nk_error *err)
{
    extract_state *state = calloc(1, sizeof *state);
    char *run_root = strdup(context->run->dir), now[32];

    state->path = nk_job_state_path(context->job, source_json, dirname(run_root));
    free(run_root);
    state->full = context->full;
    state->run_id = context->run->run_id;
    nk_now_utc(now);
    memcpy(state->today, now, 10);
    if (nk_file_exists(state->path)) {
        state->doc = nk_json_read_file(state->path, NK_EXIT_NOINPUT, "", err);
        if (state->doc == NULL || !json_is_object(json_object_get(state->doc, "queries"))) {
            if (state->doc)
                nk_fail(err, NK_EXIT_DATA,
                        "%s: expected an object with \"queries\"; "
                        "delete the file to fetch everything again",
                        state->path);
            json_decref(state->doc);
            free(state->path);
            free(state);
            return NULL;
        }
    } else {
        state->doc = json_pack("{s:s, s:s, s:{}}", "job", context->job->name, "source", source,
                               "queries");
    }
    return state;
}

const char *extract_state_from_date(const extract_state *state, const char *query)
{
    const json_t *entry = json_object_get(json_object_get(state->doc, "queries"), query);

    if (state->full || entry == NULL)
        return NULL;
    return json_string_value(json_object_get(entry, "from_date"));
}

void extract_state_mark(extract_state *state, const char *query)
{
    json_object_set_new(json_object_get(state->doc, "queries"), query,
                        json_pack("{s:s, s:s}", "from_date", state->today, "run_id",
                                  state->run_id));
}

void extract_state_stage(extract_context *context, extract_state *state)
{
    if (context->pending_state == NULL)
        context->pending_state = json_object();
    json_object_set_new(context->pending_state, state->path, state->doc);
    free(state->path);
    free(state);
}

void extract_state_free(extract_state *state)
{
    if (state == NULL)
        return;
    json_decref(state->doc);
    free(state->path);
    free(state);
}

int extract_state_commit(extract_context *context, nk_error *err)
{
    const char *path;
    json_t *doc;

    json_object_foreach (context->pending_state, path, doc) {
        char *copy = strdup(path);
        int rc = nk_mkdirs(dirname(copy), err);
        free(copy);
        if (rc < 0 || nk_json_write_atomic(path, doc, err) < 0)
            return -1;
        nk_info("incremental state saved in %s", path);
    }
    return 0;
}
