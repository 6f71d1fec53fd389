/*
 * cli.c: option parsing shared by nyckel-extract, -transform and -load
 * (see cli.h).
 */
#include "lib/base/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/log.h"
#include "lib/base/version.h"

enum { OPT_LOG_FORMAT = 1000, OPT_ARCHIVE, OPT_CHECK, OPT_OFFLINE };

static const struct option long_options[] = {
    { "job", required_argument, NULL, 'j' },
    { "run-dir", required_argument, NULL, 'r' },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "full", no_argument, NULL, 'F' },
    { "dry-run", no_argument, NULL, 'n' },
    { "archive", required_argument, NULL, OPT_ARCHIVE },
    { "check", no_argument, NULL, OPT_CHECK },
    { "offline", no_argument, NULL, OPT_OFFLINE },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

static int stage_option(int c, const char *name, unsigned flag, unsigned allowed, nk_cli *cli,
                        nk_error *err)
{
    (void)c;
    if (!(allowed & flag))
        return nk_fail(err, NK_EXIT_USAGE, "option --%s is not accepted here (see --help)", name);
    cli->options |= flag;
    return 0;
}

int nk_cli_set_log_format(const char *name, nk_error *err)
{
    enum nk_log_format format;

    if (nk_log_parse_format(name, &format) < 0)
        return nk_fail(err, NK_EXIT_USAGE,
                       "--log-format: expected text, json or auto, found \"%s\"", name);
    nk_log_set_format(format);
    return 0;
}

struct stage_parse {
    unsigned allowed;
    nk_cli *cli;
};

static int parse_one(int c, void *data, nk_error *err)
{
    unsigned allowed = ((struct stage_parse *)data)->allowed;
    nk_cli *cli = ((struct stage_parse *)data)->cli;

    switch (c) {
    case 'j':
        cli->job_path = optarg;
        return 0;
    case 'r':
        cli->run_dir = optarg;
        return 0;
    case OPT_LOG_FORMAT:
        return nk_cli_set_log_format(optarg, err);
    case 'q':
        nk_log_set_level(NK_LOG_WARN);
        return 0;
    case 'v':
        nk_log_set_level(NK_LOG_DEBUG);
        return 0;
    case 'F':
        return stage_option(c, "full", NK_CLI_FULL, allowed, cli, err);
    case 'n':
        return stage_option(c, "dry-run", NK_CLI_DRY_RUN, allowed, cli, err);
    case OPT_ARCHIVE:
        cli->archive = optarg;
        return stage_option(c, "archive", NK_CLI_ARCHIVE, allowed, cli, err);
    case OPT_CHECK:
        return stage_option(c, "check", NK_CLI_CHECK, allowed, cli, err);
    case OPT_OFFLINE:
        return stage_option(c, "offline", NK_CLI_OFFLINE, allowed, cli, err);
    case 'h':
        cli->help = 1;
        return 0;
    case 'V':
        cli->version = 1;
        return 0;
    default:
        return nk_fail(err, NK_EXIT_USAGE, "unknown option (see --help)");
    }
}

int nk_cli_each_option(int argc, char **argv, const char *short_options,
                       const struct option *long_options, nk_cli_option_handler handle, void *data,
                       nk_error *err)
{
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        if (c == '?' || c == ':')
            return nk_fail(err, NK_EXIT_USAGE, "%s: unknown option or missing value (see --help)",
                           argv[optind - 1]);
        if (handle(c, data, err) < 0)
            return -1;
    }
    return 0;
}

int nk_cli_parse(int argc, char **argv, unsigned allowed, nk_cli *cli, nk_error *err)
{
    struct stage_parse parse = { allowed, cli };

    memset(cli, 0, sizeof *cli);
    if (nk_cli_each_option(argc, argv, "j:r:qvh", long_options, parse_one, &parse, err) < 0)
        return -1;
    if (optind < argc)
        return nk_fail(err, NK_EXIT_USAGE, "%s: unexpected argument (see --help)", argv[optind]);
    return 0;
}

int nk_cli_start(int argc, char **argv, unsigned allowed, const char *usage, nk_cli *cli,
                 nk_error *err)
{
    nk_log_init(argv[0]);
    if (nk_cli_parse(argc, argv, allowed, cli, err) < 0)
        return -1;
    if (cli->help) {
        fputs(usage, stdout);
        return 1;
    }
    if (cli->version) {
        const char *slash = strrchr(argv[0], '/');
        printf("%s (nyckel) %s\n", slash ? slash + 1 : argv[0], NYCKEL_VERSION);
        return 1;
    }
    if (cli->job_path == NULL)
        return nk_fail(err, NK_EXIT_USAGE, "--job FILE is required (see --help)");
    if ((cli->options & NK_CLI_CHECK) && cli->run_dir)
        return nk_fail(err, NK_EXIT_USAGE, "--check takes no --run-dir: it runs nothing");
    if ((cli->options & NK_CLI_OFFLINE) && !(cli->options & NK_CLI_CHECK))
        return nk_fail(err, NK_EXIT_USAGE, "--offline goes with --check");
    if (cli->run_dir == NULL && !(cli->options & NK_CLI_CHECK))
        return nk_fail(err, NK_EXIT_USAGE, "--run-dir DIR is required (see --help)");
    return 0;
}

int nk_stage_main(int argc, char **argv, unsigned allowed, const char *usage, nk_stage_run run)
{
    nk_error err = { 0, "" };
    nk_cli cli;
    int started = nk_cli_start(argc, argv, allowed, usage, &cli, &err);

    if (started != 0)
        return started > 0 ? NK_EXIT_OK : nk_cli_report(&err);
    if (run(&cli, &err) < 0)
        return nk_cli_report(&err);
    return NK_EXIT_OK;
}

int nk_check_problem(nk_error *err, int exit_code, const char *fmt, ...)
{
    char message[sizeof err->message];
    va_list args;

    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    nk_log_error("check: %s", message);
    if (err->exit_code == 0)
        err->exit_code = exit_code;
    return -1;
}

int nk_check_finish(const char *stage, int problems, nk_error *err)
{
    int code = err->exit_code ? err->exit_code : NK_EXIT_DATA;

    if (problems == 0) {
        nk_info("check: %s found no problem", stage);
        return 0;
    }
    return nk_fail(err, code, "check: %s found %d problem(s), listed above", stage, problems);
}

int nk_cli_report(const nk_error *err)
{
    nk_log_error("%s", err->message);
    return err->exit_code ? err->exit_code : NK_EXIT_SOFTWARE;
}
