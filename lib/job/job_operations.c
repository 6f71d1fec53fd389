/*
 * job_operations.c: checking the job's keys for unattended operation, which
 * only nyckel-run acts on but every stage checks with the rest of the job:
 * "alerts" (commands told of a run's outcome) and "metrics" (where the
 * Prometheus textfile goes).  See docs/jobs.md and docs/operations.md.
 */
#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"

int nk_job_check_operations(const nk_job *job, nk_error *err)
{
    const json_t *alerts = nk_job_section(job, "alerts");
    const json_t *metrics = nk_job_section(job, "metrics");

    if ((alerts && nk_check_keys(job, alerts, "alerts", &nk_keys_alerts, err) < 0) ||
        (metrics && nk_check_keys(job, metrics, "metrics", &nk_keys_metrics, err) < 0))
        return -1;
    return 0;
}
