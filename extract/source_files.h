/*
 * source_files.h: expanding a source's "paths" (globs and folders) into the
 * sorted list of files to read.
 */
#ifndef NYCKEL_SOURCE_FILES_H
#define NYCKEL_SOURCE_FILES_H

#include <jansson.h>

#include "error.h"
#include "job.h"

typedef struct extract_path_list {
    char **paths; /* absolute, sorted within each pattern */
    size_t count;
    size_t capacity;
} extract_path_list;

/* job_path is the source's place in the job ("extract[0]"), for errors. */
int extract_find_files(const nk_job *job, const json_t *patterns, const char *job_path,
                       extract_path_list *list, nk_error *err);
void extract_path_list_free(extract_path_list *list);

#endif
