/*
 * job_check.h: the small vocabulary used to check a job file's sections.
 *
 * Each section of a job file (extract sources, transform, load, warehouse)
 * has its own checker in lib/job/job_*.c written with these calls and the
 * key tables built on them (lib/job/job_keys.h), so that every error has
 * the same shape: file:line:column: path: expected ..., found ...
 */
#ifndef NYCKEL_JOB_CHECK_H
#define NYCKEL_JOB_CHECK_H

#include <jansson.h>

#include "lib/job/job.h"

/* The key path of a member or element, e.g. "extract[0]" + "years". */
void nk_path_key(char *out, size_t size, const char *parent, const char *key);
void nk_path_index(char *out, size_t size, const char *parent, size_t index);

/*
 * value must be an object whose keys are all in allowed (a NULL-terminated
 * list): for objects whose keys are data (a mapping's columns), not job
 * keys, which the key tables declare (job_keys.h).
 */
int nk_check_object(const nk_job *job, const json_t *value, const char *path,
                    const char *const *allowed, nk_error *err);

/*
 * value must be an object whose keys known(set, key) all accept: the
 * unknown-key check of nk_check_object and of the key tables (job_keys.h).
 */
int nk_check_known_keys(const nk_job *job, const json_t *value, const char *path,
                        int (*known)(const void *set, const char *key), const void *set,
                        nk_error *err);

/* Checks of one member of object; absent members pass unless required. */
int nk_check_string(const nk_job *job, const json_t *object, const char *path, const char *key,
                    nk_error *err);
int nk_check_integer(const nk_job *job, const json_t *object, const char *path, const char *key,
                     long long min, long long max, nk_error *err);
int nk_check_boolean(const nk_job *job, const json_t *object, const char *path, const char *key,
                     nk_error *err);
/* one of choices (NULL-terminated) */
int nk_check_choice(const nk_job *job, const json_t *object, const char *path, const char *key,
                    const char *const *choices, nk_error *err);
/* a non-empty array of non-empty strings */
int nk_check_string_list(const nk_job *job, const json_t *object, const char *path, const char *key,
                         nk_error *err);

/* Fail with "expected <what>, found <description of value>". */
int nk_check_expected(const nk_job *job, const json_t *value, const char *path, const char *what,
                      nk_error *err);

/* Section checkers, one file each. */
int nk_job_check_extract(const nk_job *job, nk_error *err);
int nk_job_check_transform(const nk_job *job, nk_error *err);
/* transform.mappings, .aliases and .municipalities (lib/job/job_mapping.c). */
int nk_job_check_mappings(const nk_job *job, const json_t *section, nk_error *err);
int nk_job_check_load(const nk_job *job, nk_error *err);
/* extract[].covers of a "files" source (lib/job/job_covers.c). */
int nk_job_check_covers(const nk_job *job, const json_t *source, const char *path, nk_error *err);
/* ${NAME} in every string replaced from the environment (lib/job/job_env.c). */
int nk_job_expand_environment(nk_job *job, nk_error *err);
/* "alerts" and "metrics" (lib/job/job_operations.c). */
int nk_job_check_operations(const nk_job *job, nk_error *err);
/* No personal identity number in the description, transform or load (lib/job_guard.c). */
int nk_job_check_personal_numbers(const nk_job *job, nk_error *err);

#endif
