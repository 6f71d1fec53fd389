/*
 * job.h: reading and checking job files.
 *
 * A job file is JSON (see docs/jobs.md).  nk_job_load() parses it with
 * jansson and checks every key of every section before any stage does any
 * work, so that a typo fails in the first second of a nightly run rather than
 * after an hour of downloading.  Each error names the file, line, column and
 * the key's path, e.g.
 *   jobs/x.json:12:7: extract[0].years: expected a year or a range like
 *   "2015..2024", found true
 *
 * Every key is declared once, in its section's key table
 * (lib/job/job_key_tables.c): the checks come from it, and the stages read
 * a section's values and defaults from it into typed settings with
 * nk_read_keys (lib/job/job_keys.h, lib/job/job_settings.h).  What a table
 * cannot say (lists of objects, patterns) they read from the checked json_t
 * tree, whose shapes the checks guarantee.
 */
#ifndef NYCKEL_JOB_H
#define NYCKEL_JOB_H

#include <jansson.h>

#include "lib/base/error.h"

typedef struct nk_job {
    char *path; /* as given on the command line */
    char *dir;  /* its directory: relative paths in the job start here */
    char *text; /* the raw text, kept to locate errors */
    size_t text_length;
    json_t *root; /* the parsed and checked document */
    const char *name;
} nk_job;

/*
 * SIGINT or SIGTERM during the check fails it with NK_EXIT_INTERRUPTED,
 * "interrupted by SIGTERM during the job check; nothing was started"
 * (lib/interrupt.h).
 */
int nk_job_load(nk_job *job, const char *path, nk_error *err);

/* What the job check is called in messages. */
#define NK_JOB_CHECK "the job check"

void nk_job_free(nk_job *job);

/* Record an error about the value at path ("extract[0].years"); returns -1. */
int nk_job_fail(const nk_job *job, nk_error *err, const char *path, const char *fmt, ...)
    NK_PRINTF(4, 5);

/* A path from the job made absolute against the job file's directory (malloc'd). */
char *nk_job_resolve_path(const nk_job *job, const char *path);

/*
 * Where the incremental state of an extract source lives (malloc'd):
 * STATE_DIR/<job>.<source>.json, STATE_DIR being the source's "state_dir"
 * or else RUN_ROOT/state.  Extract keeps it; nyckel-run --state shows it.
 */
char *nk_job_state_path(const nk_job *job, const json_t *source, const char *run_root);

/* The job's section, or NULL when absent. */
json_t *nk_job_section(const nk_job *job, const char *name);

/* "true", "a number (12)", "a string \"abc\"", ...: what an error says was found. */
void nk_json_describe(const json_t *value, char *out, size_t size);

#endif
