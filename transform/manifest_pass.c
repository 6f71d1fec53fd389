/*
 * manifest_pass.c: one pass over the extract manifest's files (see
 * manifest_pass.h).
 */
#include "transform/manifest_pass.h"

#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/pnr.h"

typedef struct pass {
    transform_context *context;
    transform_file_list *list;
    int first;
    char *extract_dir;
    char *manifest_path;
    transform_file_visit visit;
    void *data;
    json_t *sources; /* the job's extract entries by name: one look-up per file */
} pass;

static json_t *sources_by_name(const nk_job *job)
{
    json_t *by_name = json_object(), *source;
    size_t i;

    json_array_foreach (nk_job_section(job, "extract"), i, source) {
        const char *name = json_string_value(json_object_get(source, "name"));
        if (name)
            json_object_set(by_name, name, source);
    }
    return by_name;
}

static int is_export(const transform_source *source)
{
    const char *type = json_string_value(json_object_get(source->settings, "type"));

    return type && strcmp(type, "files") == 0;
}

static transform_file *file_at(pass *p, size_t index, const transform_source *source, nk_error *err)
{
    transform_file *file;

    if (!p->first) {
        if (index < p->list->count)
            return &p->list->files[index];
        nk_fail(err, NK_EXIT_DATA, "%s: files[%zu]: the manifest changed while transform read it",
                p->manifest_path, index);
        return NULL;
    }
    if (nk_grow_array(&p->list->files, sizeof *p->list->files, index + 1, &p->list->capacity, 16) <
        0) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", p->manifest_path);
        return NULL;
    }
    p->list->count = index + 1;
    file = &p->list->files[index];
    memset(file, 0, sizeof *file);
    file->is_export = is_export(source);
    return file;
}

static int visit_entry(const json_t *entry, size_t index, void *data, nk_error *err)
{
    pass *p = data;
    const char *relative = json_string_value(json_object_get(entry, "path"));
    transform_source source = { 0 };
    transform_file *file;
    int rc = -1;

    if (relative == NULL)
        return nk_fail(err, NK_EXIT_DATA, "%s: files[%zu].path: expected a string",
                       p->manifest_path, index);
    source.path = nk_path_join(p->extract_dir, relative);
    /* A file may be named after a person; the name must not reach the warehouse. */
    source.uri = nk_pnr_mask(json_string_value(json_object_get(entry, "uri")));
    source.source = json_string_value(json_object_get(entry, "source"));
    source.endpoint = json_string_value(json_object_get(entry, "endpoint"));
    source.entry = entry;
    source.settings = source.source ? json_object_get(p->sources, source.source) : NULL;
    source.source_ref = (long)index + 1;
    file = file_at(p, index, &source, err);
    if (file) {
        source.counts = file->counts;
        source.warnings = file->warnings;
        rc = p->visit(p->context, &source, file, p->data, err);
        file->counts = source.counts;
        file->warnings = source.warnings;
    }
    /* The raw copy is nyckel's; the person fixing it needs the input it came from. */
    if (rc < 0 && err && strstr(err->message, source.path) && source.uri)
        nk_error_prefix(err, "%s (source \"%s\")", source.uri, source.source ? source.source : "?");
    free((char *)source.path);
    free((char *)source.uri);
    return rc;
}

int transform_manifest_pass(transform_context *context, transform_file_list *list,
                            transform_file_visit visit, void *data, nk_error *err)
{
    pass p = { .context = context,
               .list = list,
               .first = list->count == 0,
               .visit = visit,
               .data = data };
    json_t *header;

    p.extract_dir = nk_run_path(context->run, NK_STAGE_EXTRACT);
    p.manifest_path = nk_run_manifest_path(context->run, NK_STAGE_EXTRACT);
    p.sources = sources_by_name(context->job);
    header = nk_run_read_manifest_entries(context->run, NK_STAGE_EXTRACT, "files", visit_entry, &p,
                                          err);
    json_decref(p.sources);
    free(p.extract_dir);
    free(p.manifest_path);
    json_decref(header);
    return header ? 0 : -1;
}
