/*
 * summary.c: building, reading and writing RUN_DIR/summary.json (see
 * summary.h).  Every number is taken from a stage's manifest or measured by
 * the runner; a manifest that is missing leaves its stage without numbers
 * rather than with zeros that look real.
 */
#include "run/summary.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/base/files.h"

static const char *const load_counts[] = { "inserted", "updated", "deleted", "unchanged", NULL };

static json_int_t count_of(const json_t *object, const char *key)
{
    const json_t *value = json_object_get(object, key);

    return json_is_integer(value) ? json_integer_value(value) : 0;
}

/* Add the members of more to entry, and drop more. */
static void merge(json_t *entry, json_t *more)
{
    json_object_update(entry, more);
    json_decref(more);
}

static json_t *read_json(const char *run_dir, const char *relative)
{
    char *path = nk_path_join(run_dir, relative);
    json_t *doc = json_load_file(path, 0, NULL);

    free(path);
    return doc;
}

static json_int_t file_size(const char *run_dir, const char *stage, const char *file)
{
    char relative[1024];
    struct stat st;
    char *path;
    int found;

    snprintf(relative, sizeof relative, "%s/%s", stage, file);
    path = nk_path_join(run_dir, relative);
    found = stat(path, &st) == 0;
    free(path);
    return found ? (json_int_t)st.st_size : 0;
}

/* Seconds the stage took: measured now, or carried over from an earlier attempt. */
static json_t *stage_seconds(const char *run_dir, const run_report *report, enum run_stage stage)
{
    const json_t *earlier;

    if (report->chain->ran[stage])
        return json_real(report->chain->seconds[stage]);
    if (!run_stage_complete(run_dir, stage))
        return json_null();
    earlier = json_object_get(json_array_get(json_object_get(report->previous, "stages"), stage),
                              "seconds");
    return json_is_number(earlier) ? json_real(json_number_value(earlier)) : json_null();
}

static const char *stage_state(const char *run_dir, const run_report *report, enum run_stage stage)
{
    if (report->chain->ran[stage])
        return report->chain->failed == (int)stage ? "failed" : "done";
    return run_stage_complete(run_dir, stage) ? "reused" : "not run";
}

/* Stage name, state, time and throughput of amount (bytes or rows) per second. */
static json_t *stage_entry(const char *run_dir, const run_report *report, enum run_stage stage,
                           double amount, const char *rate_key)
{
    json_t *seconds = stage_seconds(run_dir, report, stage);
    json_t *entry = json_pack("{s:s, s:s, s:o}", "stage", run_stage_names[stage], "state",
                              stage_state(run_dir, report, stage), "seconds", seconds);
    double s = json_number_value(seconds);

    json_object_set_new(entry, rate_key,
                        json_is_number(seconds) && s > 0 ? json_real(amount / s) : json_null());
    return entry;
}

static json_t *source_totals(json_t *sources, const char *name)
{
    size_t i;
    json_t *source;

    json_array_foreach (sources, i, source)
        if (strcmp(json_string_value(json_object_get(source, "source")), name) == 0)
            return source;
    source = json_pack("{s:s, s:I, s:I}", "source", name, "files", (json_int_t)0, "bytes",
                       (json_int_t)0);
    json_array_append_new(sources, source);
    return source;
}

static json_t *extract_entry(const char *run_dir, const run_report *report)
{
    json_t *manifest = read_json(run_dir, run_stage_done_file(RUN_EXTRACT));
    json_t *sources = json_array(), *file, *entry;
    json_int_t files = 0, bytes = 0;
    size_t i;

    json_array_foreach (json_object_get(manifest, "files"), i, file) {
        const char *name = json_string_value(json_object_get(file, "source"));
        json_t *totals = source_totals(sources, name ? name : "?");
        json_int_t size = count_of(file, "size");
        files++;
        bytes += size;
        json_object_set_new(totals, "files", json_integer(count_of(totals, "files") + 1));
        json_object_set_new(totals, "bytes", json_integer(count_of(totals, "bytes") + size));
    }
    entry = stage_entry(run_dir, report, RUN_EXTRACT, (double)bytes, "bytes_per_second");
    if (manifest)
        merge(entry,
              json_pack("{s:I, s:I, s:O}", "files", files, "bytes", bytes, "sources", sources));
    json_decref(sources);
    json_decref(manifest);
    return entry;
}

static json_t *transform_sources(const json_t *manifest, json_int_t totals[3])
{
    static const char *const keys[] = { "rows_read", "rows_written", "rows_rejected" };
    json_t *sources = json_array(), *source;
    size_t i;

    json_array_foreach (json_object_get(manifest, "sources"), i, source) {
        json_t *row = json_pack("{s:O?, s:O?}", "path", json_object_get(source, "path"), "uri",
                                json_object_get(source, "uri"));
        /* What the reader warned of, such as a column mapped to nothing. */
        if (json_object_get(source, "warnings"))
            json_object_set(row, "warnings", json_object_get(source, "warnings"));
        for (int k = 0; k < 3; k++) {
            json_int_t n = count_of(source, keys[k]);
            totals[k] += n;
            json_object_set_new(row, keys[k], json_integer(n));
        }
        json_array_append_new(sources, row);
    }
    return sources;
}

static json_t *transform_tables(const char *run_dir, const json_t *manifest, json_int_t *bytes)
{
    json_t *tables = json_array(), *table;
    size_t i;

    json_array_foreach (json_object_get(manifest, "tables"), i, table) {
        const char *file = json_string_value(json_object_get(table, "file"));
        json_int_t size = file ? file_size(run_dir, "transform", file) : 0;
        *bytes += size;
        json_array_append_new(tables, json_pack("{s:O?, s:I, s:I}", "table",
                                                json_object_get(table, "table"), "rows",
                                                count_of(table, "rows"), "bytes", size));
    }
    return tables;
}

static json_t *transform_entry(const char *run_dir, const run_report *report,
                               const json_t *manifest)
{
    json_int_t totals[3] = { 0, 0, 0 }, bytes = 0;
    json_t *sources = transform_sources(manifest, totals);
    json_t *tables = transform_tables(run_dir, manifest, &bytes);
    json_t *entry = stage_entry(run_dir, report, RUN_TRANSFORM, (double)totals[0],
                                "rows_per_second");

    const json_t *rejects = json_object_get(manifest, "rejects");
    json_t *reasons = json_object_get(rejects, "reasons");

    if (manifest)
        merge(entry, json_pack("{s:I, s:I, s:I, s:I, s:o, s:I, s:o, s:o}", "rows_read", totals[0],
                               "rows_written", totals[1], "rows_rejected", totals[2], "rejects",
                               count_of(rejects, "rows"), "reject_reasons",
                               reasons ? json_incref(reasons) : json_array(), "bytes", bytes,
                               "sources", sources, "tables", tables));
    else {
        json_decref(sources);
        json_decref(tables);
    }
    return entry;
}

/* Rows transform wrote for table: what load was given. */
static json_int_t rows_given(const json_t *transform_manifest, const char *table)
{
    json_t *entry;
    size_t i;

    json_array_foreach (json_object_get(transform_manifest, "tables"), i, entry) {
        const char *name = json_string_value(json_object_get(entry, "table"));
        if (name && table && strcmp(name, table) == 0)
            return count_of(entry, "rows");
    }
    return 0;
}

static json_t *load_table(const char *name, const json_t *counts, const json_t *transform_manifest,
                          json_int_t totals[5])
{
    json_t *row = json_pack("{s:s, s:I}", "table", name, "rows_in",
                            rows_given(transform_manifest, name));

    totals[4] += rows_given(transform_manifest, name);
    for (int k = 0; load_counts[k]; k++) {
        totals[k] += count_of(counts, load_counts[k]);
        json_object_set_new(row, load_counts[k], json_integer(count_of(counts, load_counts[k])));
    }
    return row;
}

/* load/summary.json's "tables" is an object: table name -> counts. */
static json_t *load_tables(const json_t *load_summary, const json_t *transform_manifest,
                           json_int_t totals[5])
{
    json_t *tables = json_array(), *counts;
    const char *table;

    json_object_foreach (json_object_get(load_summary, "tables"), table, counts)
        json_array_append_new(tables, load_table(table, counts, transform_manifest, totals));
    return tables;
}

static json_t *load_entry(const char *run_dir, const run_report *report,
                          const json_t *transform_manifest)
{
    json_t *load_summary = read_json(run_dir, run_stage_done_file(RUN_LOAD));
    json_int_t totals[5] = { 0, 0, 0, 0, 0 };
    json_t *tables = load_tables(load_summary, transform_manifest, totals);
    json_t *entry = stage_entry(run_dir, report, RUN_LOAD, (double)totals[4], "rows_per_second");

    if (load_summary)
        merge(entry,
              json_pack("{s:I, s:I, s:I, s:I, s:I, s:O?, s:o, s:O*}", "rows_in", totals[4],
                        "inserted", totals[0], "updated", totals[1], "deleted", totals[2],
                        "unchanged", totals[3], "warehouse_status",
                        json_object_get(load_summary, "status"), "tables", tables,
                        /* files loaded before, byte for byte (load/delivery.c) */
                        "unchanged_files", json_object_get(load_summary, "unchanged_files")));
    else
        json_decref(tables);
    json_decref(load_summary);
    return entry;
}

json_t *run_summary_build(const char *run_dir, const run_report *report)
{
    json_t *transform_manifest = read_json(run_dir, run_stage_done_file(RUN_TRANSFORM));
    json_t *stages = json_pack("[o, o, o]", extract_entry(run_dir, report),
                               transform_entry(run_dir, report, transform_manifest),
                               load_entry(run_dir, report, transform_manifest));
    json_t *summary = json_pack("{s:s, s:s, s:s, s:b, s:b, s:i, s:s, s:o}", "run_id",
                                report->run_id, "job", report->job, "status", report->status,
                                "dry_run", report->dry_run, "resumed", report->resumed, "exit_code",
                                report->exit_code, "started_at", report->started_at, "stages",
                                stages);

    if (report->finished_at[0])
        json_object_set_new(summary, "finished_at", json_string(report->finished_at));
    if (report->error)
        json_object_set_new(summary, "error", json_string(report->error));
    if (report->alerted)
        json_object_set_new(summary, "alerted", json_true());
    if (report->chain->failed >= 0 && strcmp(report->status, "failed") == 0)
        json_object_set_new(summary, "failed_stage",
                            json_string(run_stage_names[report->chain->failed]));
    json_decref(transform_manifest);
    return summary;
}

int run_summary_write(const char *run_dir, const json_t *summary, nk_error *err)
{
    char *path = nk_path_join(run_dir, RUN_SUMMARY_FILE);
    int rc = nk_json_write_atomic(path, summary, err);

    free(path);
    return rc;
}

json_t *run_summary_read(const char *run_dir)
{
    json_t *summary = read_json(run_dir, RUN_SUMMARY_FILE);

    if (summary && !json_is_object(summary)) {
        json_decref(summary);
        return NULL;
    }
    return summary;
}
