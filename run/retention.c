/*
 * retention.c: the keep_runs policy (see retention.h).  The caller holds the
 * job's lock, so no other run of the job can be writing to what is removed.
 */
#include "run/retention.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/base/buffer.h"
#include "lib/base/files.h"
#include "run/layout.h"
#include "lib/base/log.h"
#include "lib/rundir/run_dir.h"
#include "run/summary.h"

#define OPEN_FDS 16

typedef struct past_run {
    char *id;
    int succeeded;
} past_run;

typedef struct past_runs {
    past_run *runs;
    size_t count, capacity;
    const char *job;
} past_runs;

static int compare_runs(const void *a, const void *b, void *job)
{
    return run_layout_compare_ids(job, ((const past_run *)a)->id, ((const past_run *)b)->id);
}

static json_t *read_member(const char *run_dir, const char *name)
{
    char *path = nk_path_join(run_dir, name);
    json_t *doc = json_load_file(path, 0, NULL);

    free(path);
    return doc;
}

static int belongs_to(const char *run_dir, const char *job)
{
    json_t *run = read_member(run_dir, NK_RUN_FILE);
    const char *name = json_string_value(json_object_get(run, "job"));
    int mine = name && strcmp(name, job) == 0;

    json_decref(run);
    return mine;
}

static int succeeded(const char *run_dir)
{
    json_t *summary = read_member(run_dir, RUN_SUMMARY_FILE);
    const char *status = json_string_value(json_object_get(summary, "status"));
    int ok = status && strcmp(status, "succeeded") == 0 &&
             !json_is_true(json_object_get(summary, "dry_run"));

    json_decref(summary);
    return ok;
}

static void remember(past_runs *list, const char *id, int ok)
{
    if (nk_grow_array(&list->runs, sizeof *list->runs, list->count + 1, &list->capacity, 32) < 0)
        return;
    list->runs[list->count].id = strdup(id);
    list->runs[list->count].succeeded = ok;
    list->count++;
}

static int is_real_directory(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int list_runs(const char *run_root, past_runs *list)
{
    DIR *dir = opendir(run_root);
    struct dirent *entry;

    if (dir == NULL) {
        nk_warn("%s: cannot list run directories for retention: %s", run_root, strerror(errno));
        return -1;
    }
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char *path = nk_path_join(run_root, entry->d_name);
        if (is_real_directory(path) && belongs_to(path, list->job))
            remember(list, entry->d_name, succeeded(path));
        free(path);
    }
    closedir(dir);
    qsort_r(list->runs, list->count, sizeof *list->runs, compare_runs, (void *)list->job);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if ((type == FTW_DP ? rmdir(path) : unlink(path)) < 0) {
        nk_warn("%s: cannot remove: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int remove_run(const char *run_root, const char *id)
{
    char *path = nk_path_join(run_root, id);
    int rc = nftw(path, remove_entry, OPEN_FDS, FTW_DEPTH | FTW_PHYS);

    if (rc == 0)
        nk_info("retention: removed run %s", id);
    free(path);
    return rc == 0;
}

/* Newest first: keep the first keep_runs successes, drop what a success has superseded. */
static int prune_listed(const char *run_root, const past_runs *list, int keep_runs,
                        const char *current)
{
    int successes = 0, removed = 0;

    for (size_t i = list->count; i-- > 0;) {
        const past_run *run = &list->runs[i];
        int superseded = run->succeeded ? successes >= keep_runs : successes > 0;

        if (run->succeeded)
            successes++;
        if (superseded && strcmp(run->id, current) != 0)
            removed += remove_run(run_root, run->id);
    }
    return removed;
}

int run_retention_prune(const char *run_root, const char *job, int keep_runs,
                        const char *current_run_id)
{
    past_runs list = { NULL, 0, 0, job };
    int removed = 0;

    if (list_runs(run_root, &list) == 0)
        removed = prune_listed(run_root, &list, keep_runs, current_run_id);
    for (size_t i = 0; i < list.count; i++)
        free(list.runs[i].id);
    free(list.runs);
    return removed;
}
