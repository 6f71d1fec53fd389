/*
 * source_archive.c: file sources (see source_archive.h) and the "files"
 * source type for internal exports, e.g.
 *   {"name": "finance", "type": "files", "paths": ["exports"],
 *    "members": "*.csv"}
 */
#include "extract/source_archive.h"

#include <stdlib.h>
#include <string.h>

#include "lib/base/archive_guard.h"
#include "lib/base/exit_codes.h"
#include "lib/base/log.h"
#include "extract/raw_zone/raw_zone.h"
#include "lib/job/job_files.h"

static const char *extension_of(const char *member)
{
    const char *slash = strrchr(member, '/');
    const char *dot = strrchr(slash ? slash : member, '.');

    return (dot && dot[1] && strlen(dot + 1) <= 16) ? dot + 1 : "bin";
}

static int write_raw(void *user, const void *data, size_t length, nk_error *err)
{
    return extract_raw_write(user, data, length, err);
}

static int copy_member(extract_context *context, nk_archive_guard *guard, const char *name,
                       const char *member, nk_error *err)
{
    extract_raw_file raw;
    size_t size = strlen(guard->path) + strlen(member) + 16;
    char *uri;
    int rc;

    if (extract_raw_open(context, name, extension_of(member), &raw, err) < 0)
        return -1;
    if (nk_archive_guard_copy(guard, member, write_raw, &raw, err) < 0) {
        extract_raw_abandon(&raw);
        return -1;
    }
    uri = malloc(size);
    snprintf(uri, size, "file://%s#%s", guard->path, member);
    rc = extract_raw_commit(context, &raw, name, uri, NULL, err);
    free(uri);
    return rc;
}

static int copy_archive(extract_context *context, const json_t *source, const char *path,
                        nk_error *err)
{
    const char *name = json_string_value(json_object_get(source, "name"));
    nk_archive_limits limits;
    nk_archive_guard guard;
    struct archive_entry *entry;
    const char *member;
    size_t copied = 0;
    int rc;

    nk_job_archive_limits(source, &limits);
    if (nk_archive_guard_open(&guard, path, &limits, err) < 0)
        return -1;
    while ((rc = nk_archive_guard_next(&guard, &entry, &member, err)) == 1) {
        if (!nk_job_wants_member(source, member))
            continue;
        if (copy_member(context, &guard, name, member, err) < 0) {
            rc = -1;
            break;
        }
        copied++;
    }
    nk_archive_guard_close(&guard);
    if (rc == 0 && copied == 0)
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: no member matches the source's \"members\"",
                       path);
    if (rc == 0)
        nk_info("%s: copied %zu member(s) of %s", name, copied, path);
    return rc;
}

int extract_copy_inputs(extract_context *context, const json_t *source, const char *job_path,
                        nk_error *err)
{
    const char *name = json_string_value(json_object_get(source, "name"));
    nk_path_list files;
    int rc = 0;

    if (nk_job_find_files(context->job, json_object_get(source, "paths"), job_path, &files, err) <
        0)
        return -1;
    for (size_t i = 0; i < files.count && rc == 0; i++) {
        if (nk_is_archive(files.paths[i]))
            rc = copy_archive(context, source, files.paths[i], err);
        else
            rc = extract_raw_copy_file(context, name, files.paths[i], NULL, err);
    }
    if (rc == 0)
        nk_info("%s: %zu input(s) copied into the raw zone", name, files.count);
    nk_path_list_free(&files);
    return rc;
}

int extract_files(extract_context *context, const json_t *source, const char *job_path,
                  nk_error *err)
{
    return extract_copy_inputs(context, source, job_path, err);
}
