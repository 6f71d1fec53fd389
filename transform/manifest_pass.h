/*
 * manifest_pass.h: walking the extract manifest's files one entry at a time.
 *
 * Transform reads metadata before data and Kolada responses before exports,
 * whatever the manifest's order, and writes its own manifest's "sources" in
 * the manifest's order.  Rather than keep every entry in memory between
 * these steps, each step streams the extract manifest again (nk_manifest_read)
 * and only a few bytes per file are kept: its kind and its row counts.
 */
#ifndef NYCKEL_TRANSFORM_MANIFEST_PASS_H
#define NYCKEL_TRANSFORM_MANIFEST_PASS_H

#include "transform/kolada/kolada_page.h"
#include "transform/transform.h"

/* What transform keeps of one raw file between passes. */
typedef struct transform_file {
    transform_kolada_kind kind; /* KOLADA_EMPTY for exports */
    int is_export;              /* from a "files" source */
    transform_counts counts;
    json_t *warnings; /* the reader's warnings (strings), or NULL */
} transform_file;

typedef struct transform_file_list {
    transform_file *files; /* in manifest order */
    size_t count, capacity;
} transform_file_list;

/* Called for each raw file of a pass; source lives until the call returns. */
typedef int (*transform_file_visit)(transform_context *context, transform_source *source,
                                    transform_file *file, void *data, nk_error *err);

/*
 * One pass over the extract manifest's files.  The first pass (list->count
 * 0) adds a transform_file per entry before visiting it; later passes must
 * see the same entries.
 */
int transform_manifest_pass(transform_context *context, transform_file_list *list,
                            transform_file_visit visit, void *data, nk_error *err);

#endif
