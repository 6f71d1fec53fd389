/*
 * source_kolada_files.c: the "kolada-files" source: Kolada API responses
 * saved as files (a bundled sample, a mirror, an earlier download).
 *
 * The files are copied byte-exact into the raw zone; transform recognises
 * each file's endpoint and API version from its content.
 */
#include "extract.h"
#include "log.h"
#include "raw_zone.h"
#include "source_files.h"

int extract_kolada_files(extract_context *context, const json_t *source, const char *job_path,
                         nk_error *err)
{
    const char *name = json_string_value(json_object_get(source, "name"));
    extract_path_list files;
    int rc = 0;

    if (extract_find_files(context->job, json_object_get(source, "paths"), job_path, &files,
                           err) < 0)
        return -1;
    for (size_t i = 0; i < files.count && rc == 0; i++)
        rc = extract_raw_copy_file(context, name, files.paths[i], NULL, err);
    if (rc == 0)
        nk_info("%s: copied %zu Kolada file(s) into the raw zone", name, files.count);
    extract_path_list_free(&files);
    return rc;
}
