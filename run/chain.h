/*
 * chain.h: running the stages one after another as child processes.
 *
 * The stage executables are looked for next to nyckel-run itself, so the
 * runner works from the build tree and from an install prefix alike.  Each
 * stage is run as
 *   nyckel-STAGE --job FILE --run-dir DIR --log-format F [--quiet|--verbose]
 *                [--full (extract)] [--dry-run (load)]
 * and the chain stops at the first stage that fails, with its exit status.
 * For nyckel-run --check each stage is run as
 *   nyckel-STAGE --job FILE --check [--offline (extract)] --log-format F ...
 * and every stage runs, whatever the ones before found.
 */
#ifndef NYCKEL_RUN_CHAIN_H
#define NYCKEL_RUN_CHAIN_H

#include "lib/base/error.h"
#include "run/progress.h"

enum run_stage { RUN_EXTRACT, RUN_TRANSFORM, RUN_LOAD, RUN_STAGE_COUNT };

extern const char *const run_stage_names[RUN_STAGE_COUNT];

typedef struct run_chain {
    const char *bin_dir;
    const char *job_path;
    const char *run_dir;
    const char *log_format; /* "text" or "json": the children log like the runner */
    int quiet, verbose, full, dry_run;
    int check, offline; /* --check: no run directory; --offline: extract asks no API */
    run_progress progress;
    int ran[RUN_STAGE_COUNT];        /* run by this invocation */
    double seconds[RUN_STAGE_COUNT]; /* wall time of the stages run */
    int failed;                      /* the stage that failed, or -1 */
} run_chain;

/* The directory holding this executable (and so the stages); malloc'd. */
char *run_chain_bin_dir(nk_error *err);

/* Fail with NK_EXIT_SOFTWARE when a stage executable is missing beside the runner. */
int run_chain_check_programs(const char *bin_dir, nk_error *err);

/* RUN_DIR/<file> whose existence marks the stage complete: a manifest, or load's summary. */
const char *run_stage_done_file(enum run_stage stage);
int run_stage_complete(const char *run_dir, enum run_stage stage);

/*
 * Run the stages from first to the last.  Returns 0, or -1 with err holding
 * the exit status to pass on (the failed stage's own, 130 when interrupted)
 * and saying which stage failed and how.  A signal that arrives while the
 * last stage finishes successfully does not undo the run.
 */
int run_chain_execute(run_chain *chain, enum run_stage first, nk_error *err);

/*
 * --check: every stage with --check, each listing its own problems.
 * Returns 0, or -1 with err holding the first failing stage's exit status.
 */
int run_chain_check(run_chain *chain, nk_error *err);

#endif
