/*
 * cli.h: the command line the three stage executables share.
 *
 *   nyckel-STAGE --job FILE --run-dir DIR [--log-format text|json|auto]
 *                [--quiet] [--verbose] [stage options]
 *
 * Each stage says which of the stage options it accepts; the rest are usage
 * errors, reported like every other error and never by exit() in here.
 */
#ifndef NYCKEL_CLI_H
#define NYCKEL_CLI_H

#include "lib/base/error.h"

enum nk_cli_option {
    NK_CLI_FULL = 1 << 0,    /* extract: ignore incremental state */
    NK_CLI_DRY_RUN = 1 << 1, /* load: roll back instead of committing */
    NK_CLI_ARCHIVE = 1 << 2, /* transform: replay from a raw archive */
    NK_CLI_CHECK = 1 << 3,   /* every stage: check what a run would need, run nothing */
    NK_CLI_OFFLINE = 1 << 4  /* extract, with --check: do not ask the Kolada API */
};

typedef struct nk_cli {
    const char *job_path;
    const char *run_dir;
    const char *archive; /* --archive FILE */
    unsigned options;    /* enum nk_cli_option bits given */
    int help;
    int version;
} nk_cli;

#include <getopt.h>

/*
 * Call handle(option, data, err) for each option getopt_long finds, with
 * optarg set, stopping at the first that fails; an unknown option or a
 * missing value is a usage error.  Leaves optind at the first operand.
 */
typedef int (*nk_cli_option_handler)(int option, void *data, nk_error *err);
int nk_cli_each_option(int argc, char **argv, const char *short_options,
                       const struct option *long_options, nk_cli_option_handler handle, void *data,
                       nk_error *err);

/* --log-format NAME (text, json or auto): set the log's format, or a usage error. */
int nk_cli_set_log_format(const char *name, nk_error *err);

/* Parse argv; allowed is the set of enum nk_cli_option this stage takes. */
int nk_cli_parse(int argc, char **argv, unsigned allowed, nk_cli *cli, nk_error *err);

/*
 * The common start of every stage's main(): parse, print --help or --version
 * (returns 1: exit 0), or check that --job and --run-dir were given (with
 * --check, --job only: a check makes no run directory).
 * Returns 0 to go on, 1 to exit successfully, -1 on a usage error.
 */
int nk_cli_start(int argc, char **argv, unsigned allowed, const char *usage, nk_cli *cli,
                 nk_error *err);

/*
 * The whole main() of a stage: nk_cli_start, then run(cli, err), then the
 * exit code, reporting the error of a failed run on the way out.
 */
typedef int (*nk_stage_run)(const nk_cli *cli, nk_error *err);
int nk_stage_main(int argc, char **argv, unsigned allowed, const char *usage, nk_stage_run run);

/*
 * --check: one problem found, as an error line "check: ..."; returns -1.
 * The first problem's exit code is kept in err (a check lists every
 * problem, then fails with the first one's code).
 */
int nk_check_problem(nk_error *err, int exit_code, const char *fmt, ...) NK_PRINTF(3, 4);

/* --check done: 0 when nothing was found, else -1 with err saying how many problems. */
int nk_check_finish(const char *stage, int problems, nk_error *err);

/* Print "nyckel-x: message" for a failed run and return its exit code. */
int nk_cli_report(const nk_error *err);

#endif
