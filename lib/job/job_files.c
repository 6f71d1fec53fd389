/*
 * job_files.c: the input files of a file source (see job_files.h): globs
 * and folders listed under "paths" in the job, resolved against the job
 * file's folder, and the archive settings that pick members.
 *
 * A pattern that matches nothing is an error: a nightly job whose export
 * share was not mounted must fail, not load an empty warehouse.
 */
#include "lib/job/job_files.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(nk_path_list *list, const char *path)
{
    char *absolute = realpath(path, NULL);

    if (absolute == NULL)
        return -1;
    if (nk_grow_array(&list->paths, sizeof *list->paths, list->count + 1, &list->capacity, 16) <
        0) {
        free(absolute);
        return -1;
    }
    list->paths[list->count++] = absolute;
    return 0;
}

static int add_folder(nk_path_list *list, const char *folder, nk_error *err)
{
    size_t first = list->count;
    struct dirent *entry;
    DIR *dir = opendir(folder);

    if (dir == NULL)
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: cannot open folder: %s", folder, strerror(errno));
    while ((entry = readdir(dir)) != NULL) {
        struct stat st;
        char *path;

        if (entry->d_name[0] == '.')
            continue;
        path = nk_path_join(folder, entry->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            add_path(list, path);
        free(path);
    }
    closedir(dir);
    if (list->count > first)
        nk_sort_items(list->paths + first, list->count - first, sizeof *list->paths, compare_names);
    return 0;
}

int nk_job_add_pattern(const nk_job *job, const char *pattern, const char *where,
                       nk_path_list *list, nk_error *err)
{
    char *resolved = nk_job_resolve_path(job, pattern);
    glob_t matches;
    int rc = 0;

    if (glob(resolved, GLOB_NOSORT, NULL, &matches) != 0) {
        nk_fail(err, NK_EXIT_NOINPUT, "%s: %s: \"%s\" matched no file", job->path, where, resolved);
        free(resolved);
        return -1;
    }
    nk_sort_items(matches.gl_pathv, matches.gl_pathc, sizeof *matches.gl_pathv, compare_names);
    for (size_t i = 0; i < matches.gl_pathc && rc == 0; i++) {
        struct stat st;
        if (stat(matches.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = add_folder(list, matches.gl_pathv[i], err);
        else if (add_path(list, matches.gl_pathv[i]) < 0)
            rc = nk_fail(err, NK_EXIT_NOINPUT, "%s: cannot resolve: %s", matches.gl_pathv[i],
                         strerror(errno));
    }
    globfree(&matches);
    free(resolved);
    return rc;
}

int nk_job_find_files(const nk_job *job, const json_t *patterns, const char *job_path,
                      nk_path_list *list, nk_error *err)
{
    char where[512];
    size_t i;
    json_t *pattern;

    memset(list, 0, sizeof *list);
    json_array_foreach ((json_t *)patterns, i, pattern) {
        snprintf(where, sizeof where, "%s.paths[%zu]", job_path, i);
        if (nk_job_add_pattern(job, json_string_value(pattern), where, list, err) < 0) {
            nk_path_list_free(list);
            return -1;
        }
    }
    return 0;
}

void nk_path_list_free(nk_path_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    memset(list, 0, sizeof *list);
}

int nk_is_archive(const char *path)
{
    static const char *const suffixes[] = { ".zip",  ".tar",     ".tar.gz", ".tgz", ".tar.zst",
                                            ".tzst", ".tar.bz2", ".tar.xz", NULL };
    size_t length = strlen(path);

    for (const char *const *s = suffixes; *s; s++) {
        size_t n = strlen(*s);
        if (length > n && strcasecmp(path + length - n, *s) == 0)
            return 1;
    }
    return 0;
}

void nk_job_archive_limits(const json_t *source, nk_archive_limits *limits)
{
    nk_files_settings settings;

    nk_read_keys(source, &nk_keys_kolada_files, &settings);
    limits->max_member_size = (uint64_t)settings.max_member_mb << 20;
    limits->max_members = (uint64_t)settings.max_members;
    limits->max_ratio = (double)settings.max_ratio;
}

int nk_job_wants_member(const json_t *source, const char *member)
{
    const json_t *patterns = json_object_get(source, "members");
    size_t i;
    json_t *pattern;

    if (patterns == NULL)
        return 1;
    if (json_is_string(patterns))
        return fnmatch(json_string_value(patterns), member, 0) == 0;
    json_array_foreach (patterns, i, pattern)
        if (fnmatch(json_string_value(pattern), member, 0) == 0)
            return 1;
    return 0;
}
