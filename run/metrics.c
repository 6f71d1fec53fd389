/*
 * metrics.c: writing the job's node-exporter textfile (see metrics.h).
 * Every number comes from the run's summary; a count the run did not get
 * to (a load that failed has no inserted rows) is left out, not written as 0.
 */
#include "run/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/base/files.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"

#define SUCCESS_METRIC "nyckel_last_success_timestamp_seconds"

typedef struct textfile {
    const char *job;
    const json_t *summary;
    double last_success; /* 0: never */
} textfile;

/* The success time stamp of the file as it stands, or 0. */
static double previous_success(const char *path)
{
    FILE *file = fopen(path, "r");
    char line[512];
    double stamp = 0;

    if (file == NULL)
        return 0;
    while (fgets(line, sizeof line, file))
        if (strncmp(line, SUCCESS_METRIC "{", strlen(SUCCESS_METRIC) + 1) == 0) {
            const char *value = strstr(line, "} ");
            stamp = value ? strtod(value + 2, NULL) : 0;
        }
    fclose(file);
    return stamp;
}

static void metric(FILE *out, const char *name, const char *type, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One count of a stage's summary entry, when the stage got that far. */
static void count(FILE *out, const textfile *t, const json_t *stage, const char *key,
                  const char *name, const char *help)
{
    const json_t *value = json_object_get(stage, key);

    if (!json_is_integer(value))
        return;
    metric(out, name, "gauge", help);
    fprintf(out, "%s{nyckel_job=\"%s\"} %" JSON_INTEGER_FORMAT "\n", name, t->job,
            json_integer_value(value));
}

static void stage_durations(FILE *out, const textfile *t, const json_t *stages)
{
    const json_t *stage;
    size_t i;

    metric(out, "nyckel_stage_duration_seconds", "gauge",
           "Seconds each stage of the last run took.");
    json_array_foreach (stages, i, stage) {
        const json_t *seconds = json_object_get(stage, "seconds");
        if (json_is_number(seconds))
            fprintf(out, "nyckel_stage_duration_seconds{nyckel_job=\"%s\",stage=\"%s\"} %.3f\n",
                    t->job, json_string_value(json_object_get(stage, "stage")),
                    json_number_value(seconds));
    }
}

static int fill(FILE *out, void *data)
{
    const textfile *t = data;
    const json_t *stages = json_object_get(t->summary, "stages");
    const json_t *transform = json_array_get(stages, 1), *load = json_array_get(stages, 2);

    /* The exporter runs as its own user; the unit's UMask=0077 would hide the file from it. */
    if (fchmod(fileno(out), 0644) < 0)
        return -1;
    if (t->last_success > 0) {
        metric(out, SUCCESS_METRIC, "gauge", "When the job last succeeded (Unix time).");
        fprintf(out, SUCCESS_METRIC "{nyckel_job=\"%s\"} %.0f\n", t->job, t->last_success);
    }
    metric(out, "nyckel_last_run_timestamp_seconds", "gauge", "When the last run ended.");
    fprintf(out, "nyckel_last_run_timestamp_seconds{nyckel_job=\"%s\"} %lld\n", t->job,
            (long long)time(NULL));
    count(out, t, t->summary, "exit_code", "nyckel_last_exit_code",
          "Exit status of the last run (0: succeeded).");
    stage_durations(out, t, stages);
    count(out, t, load, "inserted", "nyckel_rows_inserted", "Rows the last run inserted.");
    count(out, t, load, "updated", "nyckel_rows_updated", "Rows the last run updated.");
    count(out, t, load, "deleted", "nyckel_rows_deleted", "Rows the last run deleted.");
    count(out, t, transform, "rows_rejected", "nyckel_rows_rejected",
          "Rows the last run rejected.");
    return ferror(out) ? -1 : 0;
}

int run_metrics_write(const nk_job *job, const json_t *summary, nk_error *err)
{
    nk_metrics_settings metrics;
    const char *dir;
    const char *status = json_string_value(json_object_get(summary, "status"));
    textfile t = { job->name, summary, 0 };
    char name[256];
    char *resolved, *path;
    int rc;

    nk_read_keys(nk_job_section(job, "metrics"), &nk_keys_metrics, &metrics);
    if ((dir = metrics.textfile_dir) == NULL)
        return 0;
    snprintf(name, sizeof name, "nyckel_%s.prom", job->name);
    resolved = nk_job_resolve_path(job, dir);
    path = nk_path_join(resolved, name);
    if (status && strcmp(status, "succeeded") == 0 &&
        !json_is_true(json_object_get(summary, "dry_run")))
        t.last_success = (double)time(NULL);
    else
        t.last_success = previous_success(path);
    rc = nk_write_atomic(path, fill, &t, err);
    free(path);
    free(resolved);
    return rc;
}
