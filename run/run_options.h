/*
 * run_options.h: the command line of nyckel-run.
 *
 *   nyckel-run [options] JOB
 *   nyckel-run [options] --resume RUN_DIR [JOB]
 *   nyckel-run --state|--reset-state [--source NAME] JOB
 *   nyckel-run --alert JOB
 */
#ifndef NYCKEL_RUN_OPTIONS_H
#define NYCKEL_RUN_OPTIONS_H

#include "lib/base/error.h"

typedef struct run_options {
    const char *job_path;   /* JOB; with --resume it may be left out */
    const char *run_root;   /* --run-root DIR */
    const char *resume_dir; /* --resume RUN_DIR */
    int quiet, verbose;
    int full;                 /* passed to extract */
    int dry_run;              /* passed to load */
    int check;                /* --check: check the job, its sources and warehouse, and stop */
    int offline;              /* --offline: with --check, do not ask the Kolada API */
    int alert;                /* --alert: tell alerts.on_failure that the job's unit failed */
    int state, reset_state;   /* --state, --reset-state: show or clear incremental state */
    const char *state_source; /* --source NAME: only that source's state */
    int help, version;
} run_options;

extern const char run_usage[];

/* Parse argv; --log-format, --quiet and --verbose also set up this process's log. */
int run_options_parse(int argc, char **argv, run_options *options, nk_error *err);

#endif
