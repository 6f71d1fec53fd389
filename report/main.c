/*
 * main.c: nyckel-report: the report page for one municipality, written from
 * the mart schema (see report_usage in report_options.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/cli.h"
#include "report/db.h"
#include "lib/base/exit_codes.h"
#include "report/html.h"
#include "lib/job/job.h"
#include "report/job_selection.h"
#include "lib/base/log.h"
#include "report/report_options.h"
#include "lib/base/version.h"

/* Through a temporary file and rename: a failed write leaves no half page. */
static int write_page(const report *rep, const char *path, nk_error *err)
{
    size_t size = strlen(path) + 5;
    char temporary[size];
    FILE *out;

    snprintf(temporary, size, "%s.tmp", path);
    if ((out = fopen(temporary, "w")) == NULL)
        return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", temporary,
                       strerror(errno));
    html_page(out, rep);
    if (ferror(out) | (fclose(out) != 0)) {
        remove(temporary);
        return nk_fail(err, NK_EXIT_IOERR, "%s: writing failed: %s", temporary, strerror(errno));
    }
    if (rename(temporary, path) != 0) {
        remove(temporary);
        return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot rename to %s: %s", temporary, path,
                       strerror(errno));
    }
    return 0;
}

static int make_report(report_options *options, const char *conninfo, nk_error *err)
{
    report_selection selection = { options->area, options->kpis, options->operating_areas,
                                   options->kpi_groups };
    report rep = { .lang = options->lang };
    PGconn *conn = report_connect(conninfo, err);
    char default_path[64];
    int rc = -1;

    if (conn && report_gather(conn, &selection, &rep, err) == 0) {
        snprintf(default_path, sizeof default_path, "nyckel-report-%.40s.html", rep.area_id);
        const char *path = options->output ? options->output : default_path;
        if ((rc = write_page(&rep, path, err)) == 0) {
            nk_info("wrote the report for %s (%zu KPIs) to %s", rep.area_title, rep.kpi_count,
                    path);
            printf("%s\n", path);
        }
    }
    report_free(&rep);
    PQfinish(conn);
    return rc;
}

static int run(report_options *options, nk_error *err)
{
    nk_job job = { 0 };
    const char *conninfo = NULL;
    int rc;

    if (options->job_path && (nk_job_load(&job, options->job_path, err) < 0 ||
                              report_job_selection(&job, options, &conninfo, err) < 0)) {
        nk_job_free(&job);
        return -1;
    }
    rc = make_report(options, conninfo, err);
    nk_job_free(&job);
    return rc;
}

int main(int argc, char **argv)
{
    report_options options;
    nk_error err;
    int rc;

    nk_error_clear(&err);
    nk_log_init("nyckel-report");
    if (report_options_parse(argc, argv, &options, &err) < 0) {
        report_options_free(&options);
        return nk_cli_report(&err);
    }
    if (options.help || options.version) {
        fputs(options.help ? report_usage : "nyckel-report (nyckel) " NYCKEL_VERSION "\n", stdout);
        report_options_free(&options);
        return NK_EXIT_OK;
    }
    rc = run(&options, &err) < 0 ? nk_cli_report(&err) : NK_EXIT_OK;
    report_options_free(&options);
    return rc;
}
