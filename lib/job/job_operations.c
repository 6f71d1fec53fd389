/*
 * job_operations.c: checking the job's keys for unattended operation, which
 * only nyckel-run acts on but every stage checks with the rest of the job:
 * "alerts" (commands told of a run's outcome) and "metrics" (where the
 * Prometheus textfile goes).  See docs/jobs.md and docs/operations.md.
 */
#include "lib/job/job_check.h"

static const char *const alerts_keys[] = { "on_failure", "on_success", NULL };
static const char *const metrics_keys[] = { "textfile_dir", NULL };
static const char *const metrics_required[] = { "textfile_dir", NULL };

static int check_alerts(const nk_job *job, const json_t *alerts, nk_error *err)
{
    if (alerts == NULL)
        return 0;
    if (nk_check_object(job, alerts, "alerts", alerts_keys, NULL, err) < 0 ||
        nk_check_string(job, alerts, "alerts", "on_failure", err) < 0 ||
        nk_check_string(job, alerts, "alerts", "on_success", err) < 0)
        return -1;
    return 0;
}

static int check_metrics(const nk_job *job, const json_t *metrics, nk_error *err)
{
    if (metrics == NULL)
        return 0;
    if (nk_check_object(job, metrics, "metrics", metrics_keys, metrics_required, err) < 0 ||
        nk_check_string(job, metrics, "metrics", "textfile_dir", err) < 0)
        return -1;
    return 0;
}

int nk_job_check_operations(const nk_job *job, nk_error *err)
{
    if (check_alerts(job, nk_job_section(job, "alerts"), err) < 0 ||
        check_metrics(job, nk_job_section(job, "metrics"), err) < 0)
        return -1;
    return 0;
}
