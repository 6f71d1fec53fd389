/*
 * source_archive.h: reading file sources whose inputs may be zip or tar
 * archives: each member is copied byte-exact into the raw zone under the uri
 * file:///absolute/archive.zip#member/path, read through the guards of
 * lib/base/archive_guard.h.
 */
#ifndef NYCKEL_SOURCE_ARCHIVE_H
#define NYCKEL_SOURCE_ARCHIVE_H

#include "extract/extract.h"

/*
 * Copy every input of a file source ("paths", "members", limits) into the
 * raw zone: plain files whole, archives member by member.
 */
int extract_copy_inputs(extract_context *context, const json_t *source, const char *job_path,
                        nk_error *err);

#endif
