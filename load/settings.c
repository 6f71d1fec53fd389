/*
 * settings.c: the job's warehouse and load settings, and the ones that live
 * in the warehouse: benchmark direction per KPI, peer groups defined in the
 * job, and internal-measure-to-KPI pairings.
 *
 * Peer groups go into the staging tables beside Kolada's groups, so that
 * they are merged (and counted) like any delivered group.  Every value
 * travels as a query parameter.
 */
#include <stdio.h>
#include <string.h>

#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"
#include "load/load.h"
#include "load_sql.h"

void load_settings_read(load_settings *settings, const nk_job *job)
{
    nk_warehouse_settings warehouse;
    nk_load_settings load;

    nk_read_keys(nk_job_section(job, "warehouse"), &nk_keys_warehouse, &warehouse);
    nk_read_keys(nk_job_section(job, "load"), &nk_keys_load, &load);
    memset(settings, 0, sizeof *settings);
    settings->conninfo = warehouse.conninfo;
    settings->lock_wait = strcmp(warehouse.lock, "wait") == 0;
    settings->lock_timeout = (int)warehouse.lock_timeout;
    settings->citus = load.citus;
    settings->kpi_direction = load.kpi_direction;
    settings->peer_groups = load.peer_groups;
    settings->pairings = load.pairings;
    settings->sources = json_object_get(job->root, "extract");
    settings->changes_file = load.changes_file;
}

/* Update when different, else insert: counted like the merge's steps. */
static int upsert(PGconn *conn, const char *table, const char *update_sql, const char *insert_sql,
                  int nparams, const char *const *params, load_result *result, nk_error *err)
{
    char what[96];
    long long rows;
    load_count *count = load_result_table(result, table);

    snprintf(what, sizeof what, "storing the job's %s", table);
    if (load_exec(conn, what, update_sql, nparams, params, &rows, err) < 0)
        return -1;
    count->updated += rows;
    if (load_exec(conn, what, insert_sql, nparams, params, &rows, err) < 0)
        return -1;
    count->inserted += rows;
    return 0;
}

static int apply_directions(PGconn *conn, const json_t *directions, const char *run_key,
                            load_result *result, nk_error *err)
{
    const char *kpi;
    json_t *direction;

    json_object_foreach ((json_t *)directions, kpi, direction) {
        const char *higher = strcmp(json_string_value(direction), "higher") == 0 ? "t" : "f";
        const char *params[] = { kpi, higher, run_key };
        long long before = load_result_table(result, "kpi_setting")->updated +
                           load_result_table(result, "kpi_setting")->inserted;
        if (upsert(conn, "kpi_setting", load_sql_settings_kpi_direction_update,
                   load_sql_settings_kpi_direction_insert, 3, params, result, err) < 0)
            return -1;
        load_count *count = load_result_table(result, "kpi_setting");
        if (count->updated + count->inserted == before)
            count->unchanged++;
    }
    return 0;
}

static int apply_pairings(PGconn *conn, const json_t *pairings, const char *run_key,
                          load_result *result, nk_error *err)
{
    size_t index;
    json_t *pairing;

    json_array_foreach (pairings, index, pairing) {
        nk_pairing_settings keys;
        nk_read_keys(pairing, &nk_keys_pairing, &keys);
        const char *params[] = { keys.measure, keys.kpi, keys.rollup, run_key };
        load_count *count = load_result_table(result, "measure_kpi_pairing");
        long long before = count->updated + count->inserted;
        if (upsert(conn, "measure_kpi_pairing", load_sql_settings_pairing_update,
                   load_sql_settings_pairing_insert, 4, params, result, err) < 0)
            return -1;
        count = load_result_table(result, "measure_kpi_pairing");
        if (count->updated + count->inserted == before)
            count->unchanged++;
    }
    return 0;
}

static int stage_peer_group(PGconn *conn, const json_t *group, nk_error *err)
{
    nk_peer_group_settings keys;
    const char *id;
    char area_id[160];
    size_t index;
    json_t *member;

    nk_read_keys(group, &nk_keys_peer_group, &keys);
    id = json_string_value(keys.id);
    snprintf(area_id, sizeof area_id, "job:%s", id);
    const char *params[] = { area_id, keys.title ? keys.title : id };
    if (load_exec(conn, "staging the job's peer groups", load_sql_settings_peer_group_stage, 2,
                  params, NULL, err) < 0)
        return -1;
    json_array_foreach (keys.members, index, member) {
        const char *member_params[] = { area_id, json_string_value(member) };
        if (load_exec(conn, "staging the job's peer groups",
                      load_sql_settings_peer_group_member_stage, 2, member_params, NULL, err) < 0)
            return -1;
    }
    return 0;
}

int load_apply_settings(PGconn *conn, const load_settings *settings, const char *run_key,
                        load_result *result, nk_error *err)
{
    size_t index;
    json_t *group;

    json_array_foreach (settings->peer_groups, index, group)
        if (stage_peer_group(conn, group, err) < 0)
            return -1;
    if (settings->kpi_direction &&
        apply_directions(conn, settings->kpi_direction, run_key, result, err) < 0)
        return -1;
    if (settings->pairings && apply_pairings(conn, settings->pairings, run_key, result, err) < 0)
        return -1;
    return 0;
}
