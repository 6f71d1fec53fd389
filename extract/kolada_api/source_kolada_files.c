/*
 * source_kolada_files.c: the "kolada-files" source: Kolada API responses
 * saved as files (a bundled sample, a mirror, an earlier download).
 *
 * The files, or the members of zip and tar archives, are copied byte-exact
 * into the raw zone; transform recognises each file's endpoint and API
 * version from its content.
 */
#include "extract/extract.h"
#include "extract/source_archive.h"

int extract_kolada_files(extract_context *context, const json_t *source, const char *job_path,
                         nk_error *err)
{
    return extract_copy_inputs(context, source, job_path, err);
}
