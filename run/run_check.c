/*
 * run_check.c: nyckel-run --check (see run_check.h).  What each stage needs is
 * checked by that stage (nyckel-STAGE --check), so the runner knows no
 * stage's internals; it only runs them all and adds up what they found.
 */
#include "run/run_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/chain.h"
#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "lib/job/job.h"
#include "lib/base/log.h"

static int check_stages(const run_options *options, const nk_job *job, nk_error *err)
{
    char *bin_dir = run_chain_bin_dir(err);
    run_chain chain;
    int rc;

    if (bin_dir == NULL || run_chain_check_programs(bin_dir, err) < 0) {
        free(bin_dir);
        return -1;
    }
    memset(&chain, 0, sizeof chain);
    chain.bin_dir = bin_dir;
    chain.job_path = job->path;
    chain.log_format = nk_log_is_text() ? "text" : "json";
    chain.quiet = options->quiet;
    chain.verbose = options->verbose;
    chain.check = 1;
    chain.offline = options->offline;
    run_progress_init(&chain.progress, 0);
    rc = run_chain_check(&chain, err);
    free(bin_dir);
    return rc;
}

int run_check(const run_options *options)
{
    nk_error err = { 0, "" };
    nk_job job;
    int rc = nk_job_load(&job, options->job_path, &err);

    if (rc == 0)
        rc = check_stages(options, &job, &err);
    nk_job_free(&job);
    if (rc < 0) {
        if (err.exit_code != NK_EXIT_CONFIG)
            nk_fail(&err, err.exit_code, "%s: the check found problems, listed above",
                    options->job_path);
        return nk_cli_report(&err);
    }
    printf("%s: ok\n", options->job_path);
    return NK_EXIT_OK;
}
