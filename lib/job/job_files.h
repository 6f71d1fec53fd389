/*
 * job_files.h: the input files a job's file source names: its "paths"
 * (globs and folders, resolved against the job file's folder) expanded
 * into a sorted list, which of them are archives, and which archive
 * members the source wants.  Extract copies them; transform's --check
 * reads them where they lie.
 */
#ifndef NYCKEL_JOB_FILES_H
#define NYCKEL_JOB_FILES_H

#include <jansson.h>

#include "lib/base/archive_guard.h"
#include "lib/base/error.h"
#include "lib/job/job.h"

typedef struct nk_path_list {
    char **paths; /* absolute, sorted within each pattern */
    size_t count;
    size_t capacity;
} nk_path_list;

/*
 * Every file the patterns match; a pattern that matches nothing is an
 * error (exit 66).  job_path is the source's place in the job
 * ("extract[0]"), for errors.
 */
int nk_job_find_files(const nk_job *job, const json_t *patterns, const char *job_path,
                      nk_path_list *list, nk_error *err);

/* One pattern's files added to list (zeroed before the first); where is its place in the job. */
int nk_job_add_pattern(const nk_job *job, const char *pattern, const char *where,
                       nk_path_list *list, nk_error *err);

void nk_path_list_free(nk_path_list *list);

/* Is path a zip or tar(.gz/.zst/...) archive, judged by its name? */
int nk_is_archive(const char *path);

/* The source's archive limits: max_member_mb, max_members, max_ratio or their defaults. */
void nk_job_archive_limits(const json_t *source, nk_archive_limits *limits);

/* Does member match the source's "members" (a pattern or a list; absent matches all)? */
int nk_job_wants_member(const json_t *source, const char *member);

#endif
