/*
 * source_archive.c: file sources (see source_archive.h) and the "files"
 * source type for internal exports, e.g.
 *   {"name": "finance", "type": "files", "paths": ["exports"],
 *    "members": "*.csv"}
 */
#include "source_archive.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "archive_guard.h"
#include "exit_codes.h"
#include "log.h"
#include "raw_zone.h"
#include "source_files.h"

#define DEFAULT_MAX_MEMBER_MB 1024
#define DEFAULT_MAX_MEMBERS 100000
#define DEFAULT_MAX_RATIO 100

int extract_is_archive(const char *path)
{
    static const char *const suffixes[] = { ".zip", ".tar", ".tar.gz", ".tgz", ".tar.zst",
                                            ".tzst", ".tar.bz2", ".tar.xz", NULL };
    size_t length = strlen(path);

    for (const char *const *s = suffixes; *s; s++) {
        size_t n = strlen(*s);
        if (length > n && strcasecmp(path + length - n, *s) == 0)
            return 1;
    }
    return 0;
}

static void read_limits(const json_t *source, nk_archive_limits *limits)
{
    const json_t *mb = json_object_get(source, "max_member_mb");
    const json_t *members = json_object_get(source, "max_members");
    const json_t *ratio = json_object_get(source, "max_ratio");

    limits->max_member_size = (uint64_t)(mb ? json_integer_value(mb) : DEFAULT_MAX_MEMBER_MB)
                              << 20;
    limits->max_members = members ? (uint64_t)json_integer_value(members) : DEFAULT_MAX_MEMBERS;
    limits->max_ratio = ratio ? (double)json_integer_value(ratio) : DEFAULT_MAX_RATIO;
}

/* Does member match "members" (a pattern or a list; absent matches all)? */
static int wanted_member(const json_t *patterns, const char *member)
{
    size_t i;
    json_t *pattern;

    if (patterns == NULL)
        return 1;
    if (json_is_string(patterns))
        return fnmatch(json_string_value(patterns), member, 0) == 0;
    json_array_foreach(patterns, i, pattern)
        if (fnmatch(json_string_value(pattern), member, 0) == 0)
            return 1;
    return 0;
}

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
    const json_t *patterns = json_object_get(source, "members");
    nk_archive_limits limits;
    nk_archive_guard guard;
    struct archive_entry *entry;
    const char *member;
    size_t copied = 0;
    int rc;

    read_limits(source, &limits);
    if (nk_archive_guard_open(&guard, path, &limits, err) < 0)
        return -1;
    while ((rc = nk_archive_guard_next(&guard, &entry, &member, err)) == 1) {
        if (!wanted_member(patterns, member))
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
    extract_path_list files;
    int rc = 0;

    if (extract_find_files(context->job, json_object_get(source, "paths"), job_path, &files,
                           err) < 0)
        return -1;
    for (size_t i = 0; i < files.count && rc == 0; i++) {
        if (extract_is_archive(files.paths[i]))
            rc = copy_archive(context, source, files.paths[i], err);
        else
            rc = extract_raw_copy_file(context, name, files.paths[i], NULL, err);
    }
    if (rc == 0)
        nk_info("%s: %zu input(s) copied into the raw zone", name, files.count);
    extract_path_list_free(&files);
    return rc;
}

int extract_files(extract_context *context, const json_t *source, const char *job_path,
                  nk_error *err)
{
    return extract_copy_inputs(context, source, job_path, err);
}
