/*
 * merge.c: the set-based merge of the staging tables into the star schema.
 *
 * It runs inside the load's one transaction.  Each step is one statement
 * over whole tables (no row-by-row work): dimensions are upserted and their
 * names and titles keep type-2 history, ids that facts use but no dimension
 * file delivered become "inferred" dimension rows, and facts are merged by
 * natural key: deletions first (Kolada's, and internal figures a corrected
 * delivery no longer holds, see delivery.c), then changed rows updated (IS
 * DISTINCT FROM, so NULLs compare as values), then new rows inserted.  Rows that did not
 * change are not touched, which keeps a repeated load at zero changes.
 * Many new fact rows go in by the bulk path of bulk.c; the Kolada values
 * of a first load are not staged at all but copied straight into the
 * empty fact table between the source and dimension steps (first_load.c),
 * and their own steps skipped.  The staging tables are analysed once they
 * are filled (stage_copy.c), so every step gets a hash join or aggregate
 * instead of a plan made for an empty table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"
#include "load_sql.h"

/* The keys a staged table must have, non-NULL and unique. */
typedef struct merge_key {
    const char *staged;
    const char *columns;
    int is_fact;     /* the warehouse table of the same name has this key as its primary key */
    int is_streamed; /* fact_stream.c found every row's key whole */
} merge_key;

static const merge_key keys[] = {
    { "source", "source_ref", 0, 0 },
    { "dim_period", "period_id", 0, 0 },
    { "dim_kpi", "kpi_id", 0, 0 },
    { "dim_area", "area_id", 0, 0 },
    { "area_group_member", "group_id, member_id", 0, 0 },
    { "dim_kpi_group", "kpi_group_id", 0, 0 },
    { "kpi_group_member", "kpi_group_id, kpi_id", 0, 0 },
    { "dim_ou", "ou_id", 0, 0 },
    { "dim_measure", "measure_id", 0, 0 },
    { "dim_breakdown", "breakdown_id", 0, 0 },
    { "fact_kpi_value", "kpi_id, area_id, period_id, gender", 1, 1 },
    { "fact_kpi_value_deleted", "kpi_id, area_id, period_id, gender", 0, 0 },
    { "fact_ou_value", "kpi_id, ou_id, period_id, gender", 1, 0 },
    { "fact_ou_value_deleted", "kpi_id, ou_id, period_id, gender", 0, 0 },
    { "fact_internal_value", "measure_id, ou_id, period_id, scenario, breakdown_id", 1, 0 },
};

#define KEY_COUNT (sizeof keys / sizeof keys[0])

/*
 * Fact tables whose source_ref must name a row of the source table, and
 * where their source_refs are: the Kolada values' were noted as they
 * streamed (fact_stream.c).
 */
typedef struct merge_sourced {
    const char *staged;
    const char *refs;
} merge_sourced;

static const merge_sourced sourced[] = {
    { "fact_kpi_value", "(SELECT id AS source_ref FROM pg_temp.nyckel_fact_id"
                        " WHERE column_name = 'source_ref')" },
    { "fact_kpi_value_deleted", "staging.fact_kpi_value_deleted" },
    { "fact_ou_value", "staging.fact_ou_value" },
    { "fact_ou_value_deleted", "staging.fact_ou_value_deleted" },
    { "fact_internal_value", "staging.fact_internal_value" },
};

/*
 * A warehouse table and how to count the rows delivered for it; NULL: the
 * rows of its staged file, which the staging COPY checked against the
 * manifest (the values of a first load are never staged).
 */
typedef struct merge_delivery {
    const char *target;
    const char *count_sql;
} merge_delivery;

static const merge_delivery deliveries[] = {
    { "dim_source", "SELECT count(DISTINCT (uri, sha256)) FROM staging.source" },
    { "dim_period", "SELECT count(*) FROM staging.dim_period" },
    { "dim_kpi", "SELECT count(*) FROM staging.dim_kpi" },
    { "dim_kpi_history", "SELECT 0" },
    { "dim_area", "SELECT count(*) FROM staging.dim_area" },
    { "dim_area_history", "SELECT 0" },
    { "area_group_member", "SELECT count(*) FROM staging.area_group_member" },
    { "dim_kpi_group", "SELECT count(*) FROM staging.dim_kpi_group" },
    { "dim_kpi_group_history", "SELECT 0" },
    { "kpi_group_member", "SELECT count(*) FROM staging.kpi_group_member" },
    { "dim_ou", "SELECT count(*) FROM staging.dim_ou" },
    { "dim_ou_history", "SELECT 0" },
    { "dim_measure", "SELECT count(*) FROM staging.dim_measure" },
    { "dim_breakdown", "SELECT count(*) FROM staging.dim_breakdown" },
    { "fact_kpi_value", NULL },
    { "fact_ou_value", NULL },
    { "fact_internal_value", NULL },
};

enum step_kind {
    STEP_INSERTED, /* new rows delivered in staging */
    STEP_INFERRED, /* new rows nobody delivered: ids that facts or bridges use */
    STEP_UPDATED,
    STEP_DELETED,
    STEP_NEW_FACTS /* INSERT INTO nyckel.fact_… (columns) SELECT the new rows */
};

typedef struct merge_step {
    const char *target;
    enum step_kind kind;
    const char *sql; /* $1 is the run key */
} merge_step;

/*
 * The steps, in the order they run; each statement is a file in load/sql
 * (merge_NN_target_kind.sql), compiled in by scripts/embed-sql.sh.
 */
static const merge_step steps[] = {
    { "dim_source", STEP_INSERTED, load_sql_merge_01_dim_source_inserted },
    { "dim_period", STEP_UPDATED, load_sql_merge_02_dim_period_updated },
    { "dim_period", STEP_INSERTED, load_sql_merge_03_dim_period_inserted },
    { "dim_period", STEP_INFERRED, load_sql_merge_04_dim_period_inferred },
    { "dim_kpi", STEP_UPDATED, load_sql_merge_05_dim_kpi_updated },
    { "dim_kpi", STEP_INSERTED, load_sql_merge_06_dim_kpi_inserted },
    { "dim_kpi", STEP_INFERRED, load_sql_merge_07_dim_kpi_inferred },
    { "dim_kpi_history", STEP_UPDATED, load_sql_merge_08_dim_kpi_history_updated },
    { "dim_kpi_history", STEP_INSERTED, load_sql_merge_09_dim_kpi_history_inserted },
    { "dim_area", STEP_UPDATED, load_sql_merge_10_dim_area_updated },
    { "dim_area", STEP_INSERTED, load_sql_merge_11_dim_area_inserted },
    { "dim_area", STEP_INFERRED, load_sql_merge_12_dim_area_inferred },
    { "dim_area_history", STEP_UPDATED, load_sql_merge_13_dim_area_history_updated },
    { "dim_area_history", STEP_INSERTED, load_sql_merge_14_dim_area_history_inserted },
    { "area_group_member", STEP_DELETED, load_sql_merge_15_area_group_member_deleted },
    { "area_group_member", STEP_INSERTED, load_sql_merge_16_area_group_member_inserted },
    { "dim_kpi_group", STEP_UPDATED, load_sql_merge_17_dim_kpi_group_updated },
    { "dim_kpi_group", STEP_INSERTED, load_sql_merge_18_dim_kpi_group_inserted },
    { "dim_kpi_group_history", STEP_UPDATED, load_sql_merge_19_dim_kpi_group_history_updated },
    { "dim_kpi_group_history", STEP_INSERTED, load_sql_merge_20_dim_kpi_group_history_inserted },
    { "kpi_group_member", STEP_DELETED, load_sql_merge_21_kpi_group_member_deleted },
    { "kpi_group_member", STEP_UPDATED, load_sql_merge_22_kpi_group_member_updated },
    { "kpi_group_member", STEP_INSERTED, load_sql_merge_23_kpi_group_member_inserted },
    { "dim_ou", STEP_UPDATED, load_sql_merge_24_dim_ou_updated },
    { "dim_ou", STEP_INSERTED, load_sql_merge_25_dim_ou_inserted },
    { "dim_ou", STEP_INFERRED, load_sql_merge_26_dim_ou_inferred },
    { "dim_ou_history", STEP_UPDATED, load_sql_merge_27_dim_ou_history_updated },
    { "dim_ou_history", STEP_INSERTED, load_sql_merge_28_dim_ou_history_inserted },
    { "dim_measure", STEP_UPDATED, load_sql_merge_29_dim_measure_updated },
    { "dim_measure", STEP_INSERTED, load_sql_merge_30_dim_measure_inserted },
    { "dim_measure", STEP_INFERRED, load_sql_merge_31_dim_measure_inferred },
    { "fact_kpi_value", STEP_DELETED, load_sql_merge_32_fact_kpi_value_deleted },
    { "fact_kpi_value", STEP_UPDATED, load_sql_merge_33_fact_kpi_value_updated },
    { "fact_kpi_value", STEP_NEW_FACTS, load_sql_merge_34_fact_kpi_value_new_facts },
    { "fact_ou_value", STEP_DELETED, load_sql_merge_35_fact_ou_value_deleted },
    { "fact_ou_value", STEP_UPDATED, load_sql_merge_36_fact_ou_value_updated },
    { "fact_ou_value", STEP_NEW_FACTS, load_sql_merge_37_fact_ou_value_new_facts },
    { "dim_breakdown", STEP_UPDATED, load_sql_merge_38_dim_breakdown_updated },
    { "dim_breakdown", STEP_INSERTED, load_sql_merge_39_dim_breakdown_inserted },
    { "dim_breakdown", STEP_INFERRED, load_sql_merge_40_dim_breakdown_inferred },
    { "fact_internal_value", STEP_DELETED, load_sql_merge_41_fact_internal_value_deleted },
    { "fact_internal_value", STEP_UPDATED, load_sql_merge_42_fact_internal_value_updated },
    { "fact_internal_value", STEP_NEW_FACTS, load_sql_merge_43_fact_internal_value_new_facts },
};

/*
 * The steps with a form that notes what it changes, for a load whose
 * changed benchmark slices are patched (load_benchmark_note_changes): each
 * form writes the keys it deleted, updated or inserted, with the values
 * before and after, into pg_temp.nyckel_benchmark_changed on its way.
 * Such a load never stages enough values for the bulk path
 * (load_bulk_many), so a noted form is run as it is.
 */
typedef struct merge_noted_form {
    const char *sql;
    const char *noted;
} merge_noted_form;

static const merge_noted_form noted_forms[] = {
    { load_sql_merge_32_fact_kpi_value_deleted, load_sql_merge_32_fact_kpi_value_deleted_noted },
    { load_sql_merge_33_fact_kpi_value_updated, load_sql_merge_33_fact_kpi_value_updated_noted },
    { load_sql_merge_34_fact_kpi_value_new_facts,
      load_sql_merge_34_fact_kpi_value_new_facts_noted },
};

/* The step's noted form, or NULL when it has none. */
static const char *noted_statement(const merge_step *step)
{
    for (size_t i = 0; i < sizeof noted_forms / sizeof noted_forms[0]; i++)
        if (noted_forms[i].sql == step->sql)
            return noted_forms[i].noted;
    return NULL;
}

static int first_value(PGconn *conn, const char *what, const char *sql, char *out, size_t size,
                       nk_error *err)
{
    PGresult *res = load_query(conn, what, sql, 0, NULL, err);

    if (res == NULL)
        return -1;
    snprintf(out, size, "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return 0;
}

/*
 * A unique index on the staged key finds a repeated key with one sort, in
 * about half the time a GROUP BY over millions of rows takes, and the merge
 * can use it; drop_key_indexes removes it before the commit, so that the
 * next COPY into staging again writes to an unindexed table.
 */
static int check_unique(PGconn *conn, const merge_key *key, nk_error *err)
{
    char sql[512], what[128];

    snprintf(what, sizeof what, "checking staging.%s", key->staged);
    snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX %s_key ON staging.%s (%s)", key->staged,
             key->staged, key->columns);
    return load_exec_unique(conn, what, sql, key->staged, err);
}

static int drop_key_indexes(PGconn *conn, nk_error *err)
{
    char sql[256];

    for (size_t i = 0; i < KEY_COUNT; i++) {
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS staging.%s_key", keys[i].staged);
        if (load_exec(conn, "dropping the staging keys", sql, 0, NULL, NULL, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * Into an empty fact table every staged row is inserted, and its primary
 * key (built again by the bulk path, or checked row by row) finds a
 * repeated key on the way; building a unique index on staging first would
 * sort every staged value twice.  insert_new_facts names the key.
 */
static int check_by_warehouse(PGconn *conn, const merge_key *key, int *deferred, nk_error *err)
{
    char sql[256], found[8], what[128];

    *deferred = 0;
    if (!key->is_fact)
        return 0;
    snprintf(what, sizeof what, "checking staging.%s", key->staged);
    snprintf(sql, sizeof sql, "SELECT NOT EXISTS (SELECT 1 FROM nyckel.%s)", key->staged);
    if (first_value(conn, what, sql, found, sizeof found, err) < 0)
        return -1;
    *deferred = found[0] == 't';
    return 0;
}

static int check_whole_keys(PGconn *conn, const merge_key *key, nk_error *err)
{
    char sql[512], found[512], what[128];

    snprintf(what, sizeof what, "checking staging.%s", key->staged);
    snprintf(
        sql, sizeof sql,
        "SELECT row_to_json(t)::text FROM staging.%s t WHERE NOT (ROW(%s) IS NOT NULL) LIMIT 1",
        key->staged, key->columns);
    if (first_value(conn, what, sql, found, sizeof found, err) < 0)
        return -1;
    if (*found)
        return nk_fail(err, NK_EXIT_DATA, "transform/%s.copy: a row has an empty key (%s): %s",
                       key->staged, key->columns, found);
    return 0;
}

static int check_keys(PGconn *conn, const merge_key *key, int *deferred, nk_error *err)
{
    if (!key->is_streamed && check_whole_keys(conn, key, err) < 0)
        return -1;
    if (check_by_warehouse(conn, key, deferred, err) < 0)
        return -1;
    return *deferred ? 0 : check_unique(conn, key, err);
}

static int check_sources(PGconn *conn, const merge_sourced *facts, nk_error *err)
{
    char sql[512], found[512], what[128];

    snprintf(what, sizeof what, "checking staging.%s", facts->staged);
    snprintf(sql, sizeof sql,
             "SELECT coalesce(f.source_ref, '(empty)') FROM %s f"
             " LEFT JOIN staging.source s ON s.source_ref = f.source_ref"
             " WHERE s.source_ref IS NULL LIMIT 1",
             facts->refs);
    if (first_value(conn, what, sql, found, sizeof found, err) < 0)
        return -1;
    if (*found)
        return nk_fail(err, NK_EXIT_DATA,
                       "transform/%s.copy: source_ref \"%s\" is not in transform/source.copy",
                       facts->staged, found);
    return 0;
}

static int check_staging(PGconn *conn, int *deferred, nk_error *err)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (check_keys(conn, &keys[i], &deferred[i], err) < 0)
            return -1;
    for (size_t i = 0; i < sizeof sourced / sizeof sourced[0]; i++)
        if (check_sources(conn, &sourced[i], err) < 0)
            return -1;
    return 0;
}

/*
 * The rows an inserting step would add, counted by its own SELECT.  A plain
 * SELECT may use parallel workers where INSERT ... SELECT may not: over
 * every staged value, counting ids no dimension knows took a third of the
 * time inserting them did, and there usually are none to insert.
 */
static int count_new_rows(PGconn *conn, const merge_step *step, const char *const *params,
                          long long *rows, nk_error *err)
{
    /* The step's own SELECT, after "INSERT INTO nyckel.… (columns)". */
    const char *select = strstr(step->sql, ") SELECT ") + 2;
    size_t size = strlen(select) + 64;
    char *sql = malloc(size), what[128];

    if (sql == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory merging %s", step->target);
    snprintf(what, sizeof what, "counting new rows for %s", step->target);
    snprintf(sql, size, "SELECT count(*) FROM (%s) new", select);
    PGresult *res = load_query(conn, what, sql, strstr(select, "$1") != NULL, params, err);
    free(sql);
    if (res == NULL)
        return -1;
    *rows = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

static int run_step(PGconn *conn, const merge_step *step, const char *const *params,
                    long long *rows, nk_error *err)
{
    char what[128];

    snprintf(what, sizeof what, "merging %s", step->target);
    return load_exec(conn, what, step->sql, strstr(step->sql, "$1") != NULL, params, rows, err);
}

/* An inserting step, skipped when it has nothing to insert. */
static int insert_rows(PGconn *conn, const merge_step *step, const char *const *params,
                       long long *rows, nk_error *err)
{
    if (count_new_rows(conn, step, params, rows, err) < 0)
        return -1;
    return *rows == 0 ? 0 : run_step(conn, step, params, rows, err);
}

static int insert_facts(PGconn *conn, const merge_step *step, const char *const *params, int bulk,
                        long long *rows, nk_error *err)
{
    return bulk ? load_bulk_insert(conn, step->target, step->sql, 1, params, rows, err)
                : run_step(conn, step, params, rows, err);
}

/*
 * The insert into an empty fact table, whose primary key stands in for the
 * staging check: when it fails, the insert is undone and the staging check
 * run after all, so that a repeated key is named as always.
 */
static int insert_checking_key(PGconn *conn, const merge_step *step, const merge_key *key,
                               const char *const *params, int bulk, long long *rows, nk_error *err)
{
    const char *what = "merging facts into an empty table";
    nk_error failure;

    if (load_exec(conn, what, "SAVEPOINT nyckel_new_facts", 0, NULL, NULL, err) < 0)
        return -1;
    if (insert_facts(conn, step, params, bulk, rows, err) == 0)
        return load_exec(conn, what, "RELEASE SAVEPOINT nyckel_new_facts", 0, NULL, NULL, err);
    failure = *err;
    if (load_exec(conn, what, "ROLLBACK TO SAVEPOINT nyckel_new_facts", 0, NULL, NULL, err) < 0 ||
        check_unique(conn, key, err) == 0)
        *err = failure;
    return -1;
}

/* New fact rows: many of them take the bulk path (bulk.c). */
static int insert_new_facts(PGconn *conn, const merge_step *step, const int *deferred,
                            const char *const *params, long long *rows, nk_error *err)
{
    int bulk = 0;

    if (count_new_rows(conn, step, params, rows, err) < 0)
        return -1;
    if (*rows == 0)
        return 0;
    if (load_bulk_wanted(conn, step->target, *rows, &bulk, err) < 0)
        return -1;
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (deferred[i] && strcmp(keys[i].staged, step->target) == 0)
            return insert_checking_key(conn, step, &keys[i], params, bulk, rows, err);
    return insert_facts(conn, step, params, bulk, rows, err);
}

/* What one merge needs besides the connection. */
typedef struct merge_run {
    const load_plan *plan;
    const char *run_key;
    load_first_load *first;
    int changes_noted;
    int deferred[KEY_COUNT];             /* keys[i] is left to the warehouse table's primary key */
    long long inferred[LOAD_MAX_TABLES]; /* by result table: rows nobody delivered */
    load_result *result;
} merge_run;

static void count_step(merge_run *run, const merge_step *step, long long rows)
{
    load_count *count = load_result_table(run->result, step->target);

    if (step->kind == STEP_INSERTED || step->kind == STEP_NEW_FACTS)
        count->inserted += rows;
    else if (step->kind == STEP_INFERRED) {
        count->inserted += rows;
        run->inferred[count - run->result->tables] += rows;
    } else if (step->kind == STEP_UPDATED)
        count->updated += rows;
    else
        count->deleted += rows;
}

/* A first load's values, once their sources are in dim_source. */
static int copy_first_values(PGconn *conn, merge_run *run, nk_error *err)
{
    long long rows = 0;

    if (load_first_load_copy(conn, run->plan, run->run_key, run->first, &rows, err) < 0)
        return -1;
    load_result_table(run->result, "fact_kpi_value")->inserted += rows;
    return 0;
}

static int run_steps(PGconn *conn, merge_run *run, nk_error *err)
{
    const char *params[] = { run->run_key };

    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        merge_step chosen = steps[i];
        const merge_step *step = &chosen;
        const char *noted = run->changes_noted ? noted_statement(step) : NULL;
        long long rows;
        /* Into the empty table there is nothing to delete, update or compare. */
        if (run->first->wanted && strcmp(step->target, "fact_kpi_value") == 0)
            continue;
        if (noted)
            chosen.sql = noted;
        int rc = noted ? run_step(conn, step, params, &rows, err)
                 : step->kind == STEP_NEW_FACTS
                     ? insert_new_facts(conn, step, run->deferred, params, &rows, err)
                 : step->kind == STEP_INFERRED ? insert_rows(conn, step, params, &rows, err)
                                               : run_step(conn, step, params, &rows, err);
        if (rc < 0)
            return -1;
        count_step(run, step, rows);
        if (run->first->wanted && strcmp(step->target, "dim_source") == 0 &&
            copy_first_values(conn, run, err) < 0)
            return -1;
    }
    return 0;
}

/* Unchanged: delivered rows that were neither new nor changed. */
static int count_unchanged(PGconn *conn, merge_run *run, nk_error *err)
{
    load_result *result = run->result;

    for (size_t i = 0; i < sizeof deliveries / sizeof deliveries[0]; i++) {
        const merge_delivery *delivery = &deliveries[i];
        const load_staged *staged = load_plan_find(run->plan, delivery->target);
        load_count *count = load_result_table(result, delivery->target);
        long long delivered = staged ? staged->rows : 0;
        char found[32], what[128];
        snprintf(what, sizeof what, "counting staged rows for %s", delivery->target);
        if (delivery->count_sql) {
            if (first_value(conn, what, delivery->count_sql, found, sizeof found, err) < 0)
                return -1;
            delivered = atoll(found);
        }
        long long from_staging = count->inserted - run->inferred[count - result->tables];
        count->unchanged = delivered - from_staging - count->updated;
        if (count->unchanged < 0)
            count->unchanged = 0;
    }
    return 0;
}

/* Tables nothing was delivered for and nothing changed in are not reported. */
static void drop_idle(load_result *result, const load_plan *plan)
{
    size_t kept = 0;

    for (size_t i = 0; i < result->count; i++) {
        const load_count *c = &result->tables[i];
        int delivered = load_plan_find(plan, c->table) != NULL ||
                        (strcmp(c->table, "dim_source") == 0 && load_plan_find(plan, "source"));
        if (delivered || c->inserted || c->updated || c->deleted || c->unchanged)
            result->tables[kept++] = *c;
    }
    result->count = kept;
}

/* What the merge is about to do, listed before it does it. */
static int list_changes(PGconn *conn, const load_merge_input *input, nk_error *err)
{
    if (input->changes == NULL)
        return 0;
    return load_changes_list(conn, input->changes, input->first->wanted, err);
}

int load_merge(PGconn *conn, const load_merge_input *input, load_result *result, nk_error *err)
{
    merge_run run = { .plan = input->plan,
                      .run_key = input->run_key,
                      .first = input->first,
                      .changes_noted = input->changes_noted,
                      .result = result };

    if (check_staging(conn, run.deferred, err) < 0 ||
        load_delivery_prepare(conn, input->delivery, err) < 0 ||
        list_changes(conn, input, err) < 0 || run_steps(conn, &run, err) < 0 ||
        load_delivery_tag(conn, input->delivery, err) < 0 || count_unchanged(conn, &run, err) < 0 ||
        drop_key_indexes(conn, err) < 0 || load_analyze_changed(conn, result, err) < 0)
        return -1;
    drop_idle(result, input->plan);
    return 0;
}
