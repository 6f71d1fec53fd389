/*
 * layout.c: choosing the run root and making unique run directories (see
 * layout.h).
 */
#include "run/layout.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"

#define RUN_STAMP_LENGTH 16 /* "20261123T020000Z" */
#define RUN_MAX_SAME_SECOND 1000

char *run_layout_root(const char *option, const nk_job *job)
{
    nk_top_settings top;

    nk_read_keys(job->root, &nk_keys_top, &top);
    if (option)
        return strdup(option);
    if (top.run_root)
        return nk_job_resolve_path(job, top.run_root);
    return strdup(RUN_DEFAULT_ROOT);
}

static void run_id_for(char *out, size_t size, const char *stamp, const char *job, long number)
{
    if (number == 1)
        snprintf(out, size, "%s-%s", stamp, job);
    else
        snprintf(out, size, "%s-%s-%ld", stamp, job, number);
}

/* The N of a same-second run's "-N" suffix after stamp and job name; 1 when none. */
static long same_second_number(const char *job, const char *id)
{
    size_t prefix = RUN_STAMP_LENGTH + 1 + strlen(job);
    char *end;
    long n;

    if (strlen(id) <= prefix + 1 || id[prefix] != '-')
        return 1;
    n = strtol(id + prefix + 1, &end, 10);
    return (*end == '\0' && n >= 2) ? n : 1;
}

/*
 * The next free number for runs of job in this second: one past the highest
 * there, never a gap left by a pruned run, so that run ids are never reused
 * and sort in the order the runs started.
 */
static long next_number(const char *root, const char *stamp, const char *job)
{
    char prefix[160];
    size_t length = (size_t)snprintf(prefix, sizeof prefix, "%s-%s", stamp, job);
    DIR *dir = opendir(root);
    struct dirent *entry;
    long highest = 0;

    if (dir == NULL)
        return 1;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (strncmp(name, prefix, length) != 0 || (name[length] != '\0' && name[length] != '-'))
            continue;
        long n = same_second_number(job, name);
        if (n > highest)
            highest = n;
    }
    closedir(dir);
    return highest + 1;
}

char *run_layout_create(const char *root, const char *job, time_t start, nk_error *err)
{
    char stamp[32], run_id[160];
    struct tm tm;
    long first;

    if (nk_mkdirs(root, err) < 0)
        return NULL;
    gmtime_r(&start, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    first = next_number(root, stamp, job);
    for (long number = first; number < first + RUN_MAX_SAME_SECOND; number++) {
        run_id_for(run_id, sizeof run_id, stamp, job, number);
        char *dir = nk_path_join(root, run_id);
        if (mkdir(dir, 0700) == 0)
            return dir;
        int saved = errno;
        free(dir);
        if (saved != EEXIST) {
            nk_fail(err, NK_EXIT_CANTCREATE, "%s/%s: cannot create run directory: %s", root, run_id,
                    strerror(saved));
            return NULL;
        }
    }
    nk_fail(err, NK_EXIT_CANTCREATE, "%s: %d run directories for job %s in one second already",
            root, RUN_MAX_SAME_SECOND, job);
    return NULL;
}

int run_layout_compare_ids(const char *job, const char *a, const char *b)
{
    int by_time = strncmp(a, b, RUN_STAMP_LENGTH);
    long na, nb;

    if (by_time != 0)
        return by_time;
    na = same_second_number(job, a);
    nb = same_second_number(job, b);
    if (na != nb)
        return na < nb ? -1 : 1;
    return strcmp(a, b);
}

/* A run id of job: "<stamp>-<job>" or "<stamp>-<job>-<n>", not a job whose name goes on. */
static int is_run_of(const char *name, const char *job)
{
    size_t length = strlen(job);
    const char *rest = name + RUN_STAMP_LENGTH + 1;

    if (strlen(name) <= RUN_STAMP_LENGTH + 1 || name[RUN_STAMP_LENGTH] != '-' ||
        strncmp(rest, job, length) != 0)
        return 0;
    rest += length;
    return *rest == '\0' ||
           (*rest == '-' && rest[1] && strspn(rest + 1, "0123456789") == strlen(rest + 1));
}

char *run_layout_newest(const char *root, const char *job)
{
    DIR *dir = opendir(root);
    struct dirent *entry;
    char *newest = NULL;

    if (dir == NULL)
        return NULL;
    while ((entry = readdir(dir)) != NULL) {
        if (!is_run_of(entry->d_name, job) ||
            (newest && run_layout_compare_ids(job, newest, entry->d_name) >= 0))
            continue;
        free(newest);
        newest = strdup(entry->d_name);
    }
    closedir(dir);
    if (newest == NULL)
        return NULL;
    char *path = nk_path_join(root, newest);
    free(newest);
    return path;
}
