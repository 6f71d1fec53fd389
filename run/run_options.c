/*
 * run_options.c: parsing the nyckel-run command line (see run_options.h).  The
 * runner has its own parser rather than lib/base/cli.c because it takes a job as
 * an argument, not --job and --run-dir.
 */
#include "run/run_options.h"

#include <getopt.h>
#include <string.h>

#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "lib/base/log.h"

const char run_usage[] =
    "usage: nyckel-run [options] JOB\n"
    "       nyckel-run [options] --resume RUN_DIR [JOB]\n"
    "       nyckel-run --state|--reset-state [--source NAME] JOB\n"
    "       nyckel-run --alert JOB\n"
    "\n"
    "Run a job: extract, transform and load in a new run directory, stopping at\n"
    "the first stage that fails.  Prints the run directory on stdout at the end.\n"
    "\n"
    "  --run-root DIR        make run directories under DIR (default: the job's\n"
    "                        run_root, else var/runs)\n"
    "  --resume RUN_DIR      continue RUN_DIR from the first stage that did not\n"
    "                        complete (JOB defaults to the one the run was made for)\n"
    "  --full                extract everything, ignoring incremental state\n"
    "  --dry-run             load in a transaction that is rolled back, and report\n"
    "                        what would change\n"
    "  --check               run nothing: check the job file (every key), that\n"
    "                        every path matches a file, that the exports' headers\n"
    "                        and names are what the mappings expect, that the\n"
    "                        warehouse answers and is not locked, and that Kolada\n"
    "                        answers; list every problem and exit non-zero if any\n"
    "  --offline             with --check: do not ask the Kolada API\n"
    "  --alert               run no job: tell the job's alerts.on_failure command of\n"
    "                        a failure its run could not report (for systemd's\n"
    "                        OnFailure=; see docs/operations.md)\n"
    "  --state               run no job: show the date each incremental query was\n"
    "                        last fetched, per source (\"source  date  run  query\")\n"
    "  --reset-state         run no job: remove the incremental state, so that the\n"
    "                        next run fetches everything\n"
    "  --source NAME         with --state or --reset-state: only that source\n"
    "  --log-format FORMAT   text, json or auto (text on a terminal, else json)\n"
    "  --quiet               warnings and errors only\n"
    "  --verbose             debug messages too\n"
    "  --help                show this help\n"
    "  --version             show the version\n"
    "\n"
    "Exit status: 0 done; 79 another run of the job holds its lock; otherwise the\n"
    "exit status of the stage that failed (see nyckel-run(1)).\n";

enum {
    OPT_LOG_FORMAT = 1000,
    OPT_RUN_ROOT,
    OPT_RESUME,
    OPT_FULL,
    OPT_DRY_RUN,
    OPT_CHECK,
    OPT_OFFLINE,
    OPT_ALERT,
    OPT_STATE,
    OPT_RESET_STATE,
    OPT_SOURCE
};

static const struct option long_options[] = {
    { "run-root", required_argument, NULL, OPT_RUN_ROOT },
    { "resume", required_argument, NULL, OPT_RESUME },
    { "full", no_argument, NULL, OPT_FULL },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "check", no_argument, NULL, OPT_CHECK },
    { "offline", no_argument, NULL, OPT_OFFLINE },
    { "alert", no_argument, NULL, OPT_ALERT },
    { "state", no_argument, NULL, OPT_STATE },
    { "reset-state", no_argument, NULL, OPT_RESET_STATE },
    { "source", required_argument, NULL, OPT_SOURCE },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

static int parse_one(int c, void *data, nk_error *err)
{
    run_options *options = data;

    switch (c) {
    case OPT_RUN_ROOT:
        options->run_root = optarg;
        return 0;
    case OPT_RESUME:
        options->resume_dir = optarg;
        return 0;
    case OPT_FULL:
        options->full = 1;
        return 0;
    case OPT_DRY_RUN:
        options->dry_run = 1;
        return 0;
    case OPT_CHECK:
        options->check = 1;
        return 0;
    case OPT_OFFLINE:
        options->offline = 1;
        return 0;
    case OPT_ALERT:
        options->alert = 1;
        return 0;
    case OPT_STATE:
        options->state = 1;
        return 0;
    case OPT_RESET_STATE:
        options->reset_state = 1;
        return 0;
    case OPT_SOURCE:
        options->state_source = optarg;
        return 0;
    case OPT_LOG_FORMAT:
        return nk_cli_set_log_format(optarg, err);
    case 'q':
        options->quiet = 1;
        nk_log_set_level(NK_LOG_WARN);
        return 0;
    case 'v':
        options->verbose = 1;
        nk_log_set_level(NK_LOG_DEBUG);
        return 0;
    case 'h':
        options->help = 1;
        return 0;
    case 'V':
        options->version = 1;
        return 0;
    default:
        return nk_fail(err, NK_EXIT_USAGE, "unknown option (see --help)");
    }
}

static int check_arguments(int argc, char **argv, run_options *options, nk_error *err)
{
    if (options->help || options->version)
        return 0;
    if (optind < argc)
        options->job_path = argv[optind++];
    if (optind < argc)
        return nk_fail(err, NK_EXIT_USAGE, "%s: unexpected argument (see --help)", argv[optind]);
    if (options->job_path == NULL && options->resume_dir == NULL)
        return nk_fail(err, NK_EXIT_USAGE, "a job file is required (see --help)");
    if (options->check + options->alert + options->state + options->reset_state > 1)
        return nk_fail(err, NK_EXIT_USAGE,
                       "--check, --alert, --state and --reset-state cannot be used together");
    if ((options->check || options->alert || options->state || options->reset_state) &&
        (options->resume_dir || options->job_path == NULL))
        return nk_fail(err, NK_EXIT_USAGE, "--%s takes a job file and nothing to resume",
                       options->check   ? "check"
                       : options->alert ? "alert"
                       : options->state ? "state"
                                        : "reset-state");
    if (options->state_source && !options->state && !options->reset_state)
        return nk_fail(err, NK_EXIT_USAGE, "--source goes with --state or --reset-state");
    if (options->offline && !options->check)
        return nk_fail(err, NK_EXIT_USAGE, "--offline goes with --check");
    if (options->resume_dir && options->run_root)
        return nk_fail(err, NK_EXIT_USAGE,
                       "--run-root cannot be used with --resume: a resumed run stays where it is");
    if (options->quiet && options->verbose)
        return nk_fail(err, NK_EXIT_USAGE, "--quiet and --verbose cannot be used together");
    return 0;
}

int run_options_parse(int argc, char **argv, run_options *options, nk_error *err)
{
    memset(options, 0, sizeof *options);
    if (nk_cli_each_option(argc, argv, "qvh", long_options, parse_one, options, err) < 0)
        return -1;
    return check_arguments(argc, argv, options, err);
}
