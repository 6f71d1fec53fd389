/*
 * audit.c: the load's audit row in nyckel.run (with per-table counts in
 * nyckel.run_table), RUN_DIR/load/summary.json, and the summary table in
 * the log.  All three carry the same numbers.  A load that did not commit
 * leaves a row in nyckel.run_failure instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "load/load.h"
#include "lib/base/log.h"
#include "lib/base/version.h"
#include "load_sql.h"

static json_t *tables_json(const load_result *result)
{
    json_t *tables = json_object();

    for (size_t i = 0; i < result->count; i++) {
        const load_count *c = &result->tables[i];
        json_object_set_new(tables, c->table,
                            json_pack("{s:I, s:I, s:I, s:I}", "inserted", (json_int_t)c->inserted,
                                      "updated", (json_int_t)c->updated, "deleted",
                                      (json_int_t)c->deleted, "unchanged",
                                      (json_int_t)c->unchanged));
    }
    return tables;
}

int load_audit_begin(PGconn *conn, load_audit *audit, nk_error *err)
{
    const char *params[] = { audit->run_id,
                             audit->job,
                             audit->started_at,
                             audit->plan->manifest_sha256,
                             audit->plan->extract_manifest_sha256,
                             NYCKEL_VERSION };
    PGresult *res;

    if (load_audit_send_sources(conn, audit->plan->manifest_path, err) < 0)
        return -1;
    res = load_query(conn, "writing the audit row", load_sql_audit_run_started, 6, params, err);
    if (res == NULL)
        return -1;
    snprintf(audit->run_key, sizeof audit->run_key, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

int load_audit_finish(PGconn *conn, const load_audit *audit, const load_result *result,
                      nk_error *err)
{
    json_t *tables = tables_json(result);
    char *text = json_dumps(tables, JSON_COMPACT | JSON_SORT_KEYS);
    char duration[32];
    const char *params[] = { audit->run_key, duration, text };
    const char *count_params[] = { audit->run_key, text };
    int rc;

    snprintf(duration, sizeof duration, "%.3f", nk_seconds() - audit->started);
    rc = load_exec(conn, "writing the audit row", load_sql_audit_run_committed, 3, params, NULL,
                   err);
    if (rc == 0)
        rc = load_exec(conn, "writing the audit row", load_sql_audit_run_tables, 2, count_params,
                       NULL, err);
    free(text);
    json_decref(tables);
    return rc;
}

/* Migration 006 may not be applied yet: the failure may come from the migrations. */
static int failure_table_exists(PGconn *conn, nk_error *err)
{
    PGresult *res = load_query(conn, "recording the failure",
                               "SELECT to_regclass('nyckel.run_failure') IS NOT NULL", 0, NULL,
                               err);
    int exists;

    if (res == NULL)
        return -1;
    exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!exists)
        return nk_fail(err, NK_EXIT_SOFTWARE,
                       "the warehouse has no nyckel.run_failure table "
                       "yet (migration 006_failed_runs.sql not applied)");
    return 0;
}

int load_audit_failure(PGconn *conn, const load_audit *audit, int dry_run, const char *step,
                       const nk_error *failure, nk_error *err)
{
    char exit_code[16];
    const char *params[] = {
        audit->run_id, audit->job,       audit->started_at,          exit_code,
        step,          failure->message, dry_run ? "true" : "false", audit->plan->manifest_sha256,
        NYCKEL_VERSION
    };

    snprintf(exit_code, sizeof exit_code, "%d", failure->exit_code);
    if (failure_table_exists(conn, err) < 0)
        return -1;
    return load_exec(conn, "recording the failure", load_sql_audit_run_failed, 9, params, NULL,
                     err);
}

json_t *load_summary_json(const load_audit *audit, const load_result *result, int dry_run,
                          const json_t *migrations, const json_t *unchanged_files)
{
    char finished[32];
    json_t *summary;

    nk_now_utc(finished);
    summary = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:f, s:s, s:O, s:o, s:I}", "stage",
                        "load", "run_id", audit->run_id, "job", audit->job, "status",
                        dry_run ? "dry-run" : "committed", "dry_run", dry_run, "started_at",
                        audit->started_at, "finished_at", finished, "duration_seconds",
                        nk_seconds() - audit->started, "transform_manifest_sha256",
                        audit->plan->manifest_sha256, "migrations_applied", migrations, "tables",
                        tables_json(result), "changes", (json_int_t)load_result_changes(result));
    if (summary && !dry_run)
        json_object_set_new(summary, "run_key", json_integer(atoll(audit->run_key)));
    if (summary && json_array_size(unchanged_files))
        json_object_set(summary, "unchanged_files", (json_t *)unchanged_files);
    return summary;
}

void load_summary_log(const load_result *result, int dry_run)
{
    const char *rolled_back = dry_run ? " (dry run: rolled back)" : "";

    if (nk_log_is_text())
        nk_info("%-22s %10s %10s %10s %10s%s", "table", "inserted", "updated", "deleted",
                "unchanged", dry_run ? "   (dry run: rolled back)" : "");
    for (size_t i = 0; i < result->count; i++) {
        const load_count *c = &result->tables[i];
        if (nk_log_is_text()) {
            nk_info("%-22s %10lld %10lld %10lld %10lld", c->table, c->inserted, c->updated,
                    c->deleted, c->unchanged);
            continue;
        }
        /* For log collectors: one record per table, its counts as numbers. */
        nk_log_fields(NK_LOG_INFO,
                      json_pack("{s:s, s:I, s:I, s:I, s:I, s:b}", "table", c->table,
                                "rows_inserted", (json_int_t)c->inserted, "rows_updated",
                                (json_int_t)c->updated, "rows_deleted", (json_int_t)c->deleted,
                                "rows_unchanged", (json_int_t)c->unchanged, "dry_run", dry_run),
                      "%s: %lld inserted, %lld updated, %lld deleted, %lld unchanged%s", c->table,
                      c->inserted, c->updated, c->deleted, c->unchanged, rolled_back);
    }
}
