/*
 * delivery.c: corrections.  A delivery of a "files" source replaces what it
 * covers (extract[].covers, docs/jobs.md): the internal figures an earlier
 * delivery of the same job and source gave, within the periods, units,
 * measures and scenarios this one covers, that this one no longer holds.
 * They are set aside in pg_temp.nyckel_gone before the merge, which deletes
 * them (and the change list shows them with their old values).  dim_source
 * rows are tagged with the job and source that delivered them, so that the
 * next delivery finds them; a file loaded before, byte for byte, is noted
 * as unchanged rather than passed off as a fresh delivery.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/job/job_keys.h"
#include "load/load.h"
#include "lib/base/log.h"

/*
 * What covers may name and the fact column it limits; what it covers
 * without saying is the key's default (lib/job/job_key_tables.c).
 */
typedef struct cover_dimension {
    const char *key;
    const char *column;
} cover_dimension;

static const cover_dimension dimensions[] = {
    { "periods", "period_id" },
    { "units", "ou_id" },
    { "measures", "measure_id" },
    { "scenarios", "scenario" },
};

#define DIMENSION_COUNT (sizeof dimensions / sizeof dimensions[0])

/*
 * Each staged file with the name of the job's source that delivered it
 * (the folder of its raw path, raw/<source>/...) and the rows transform
 * rejected from it.
 */
static const char delivery_sql[] =
    "CREATE TEMPORARY TABLE nyckel_delivery ON COMMIT DROP AS"
    " SELECT DISTINCT ON (s.source_ref) s.source_ref, s.uri, s.sha256,"
    " split_part(r.entry->>'path', '/', 2) AS source_name,"
    " coalesce((r.entry->>'rows_rejected')::bigint, 0) AS rejected"
    " FROM staging.source s JOIN pg_temp.nyckel_run_sources r"
    " ON r.entry->>'uri' = s.uri AND r.entry->>'sha256' = s.sha256"
    " ORDER BY s.source_ref";

static const char gone_sql[] =
    "CREATE TEMPORARY TABLE nyckel_gone (measure_id text, ou_id text, period_id text,"
    " scenario text, value double precision, breakdown_id text, is_small_count boolean)"
    " ON COMMIT DROP";

/* A JSON list of ids as a PostgreSQL text[] literal. */
static char *array_literal(const json_t *list, nk_error *err)
{
    size_t size = 3, index;
    json_t *item;
    char *out, *p;

    json_array_foreach (list, index, item)
        size += 2 * json_string_length(item) + 3;
    if ((out = p = malloc(size)) == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory reading extract[].covers");
        return NULL;
    }
    *p++ = '{';
    json_array_foreach (list, index, item) {
        if (index)
            *p++ = ',';
        *p++ = '"';
        for (const char *c = json_string_value(item); *c; c++) {
            if (*c == '"' || *c == '\\')
                *p++ = '\\';
            *p++ = *c;
        }
        *p++ = '"';
    }
    strcpy(p, "}");
    return out;
}

/* One dimension's condition on f, appended to sql; a list becomes parameter $n. */
static int add_condition(char *sql, size_t size, const cover_dimension *dim, const json_t *value,
                         const char **params, int *nparams, nk_error *err)
{
    const char *word = value ? json_string_value(value)
                             : nk_key_find(&nk_keys_covers, dim->key)->text_default;
    size_t used = strlen(sql);
    int n = *nparams + 1;

    if (word && strcmp(word, "all") == 0)
        return 0;
    if (word) /* "file": what this delivery of the source holds */
        snprintf(sql + used, size - used,
                 " AND f.%s IN (SELECT s.%s FROM staging.fact_internal_value s"
                 " JOIN pg_temp.nyckel_delivery n ON n.source_ref = s.source_ref"
                 " WHERE n.source_name = $2)",
                 dim->column, dim->column);
    else if (strcmp(dim->key, "periods") == 0) /* a year stands for every period in it */
        snprintf(sql + used, size - used,
                 " AND (f.period_id = ANY($%d::text[]) OR EXISTS (SELECT 1 FROM"
                 " nyckel.dim_period p WHERE p.period_id = f.period_id"
                 " AND p.year::text = ANY($%d::text[])))",
                 n, n);
    else
        snprintf(sql + used, size - used, " AND f.%s = ANY($%d::text[])", dim->column, n);
    if (word == NULL && (params[*nparams] = array_literal(value, err)) == NULL)
        return -1;
    *nparams += word == NULL;
    return 0;
}

static const char *scalar(PGresult *res)
{
    return res && PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "";
}

/*
 * The rows a delivery replaces waits for a delivery without rejects: a
 * file or row left out by transform must not take its earlier figures
 * with it.  Returns 1 to go on, 0 to skip the source, -1 on error.
 */
static int delivered_whole(PGconn *conn, const char *job, const char *name, nk_error *err)
{
    const char *params[] = { name };
    PGresult *res = load_query(conn, "reading what a delivery covers",
                               "SELECT count(*) || ' ' || coalesce(sum(rejected), 0)"
                               " FROM pg_temp.nyckel_delivery WHERE source_name = $1",
                               1, params, err);
    long long files, rejected;

    if (res == NULL)
        return -1;
    sscanf(scalar(res), "%lld %lld", &files, &rejected);
    PQclear(res);
    if (files > 0 && rejected > 0)
        nk_warn("job %s, source %s: %lld row(s) of this delivery were rejected, so it replaces "
                "nothing: figures it no longer holds stay until it loads without rejects",
                job, name, rejected);
    return files > 0 && rejected == 0;
}

/* The figures one source's earlier deliveries gave that this one covers and lacks. */
static int set_aside(PGconn *conn, const char *job, const json_t *source, nk_error *err)
{
    const json_t *covers = json_object_get(source, "covers");
    const char *params[2 + DIMENSION_COUNT] = { job, json_string_value(json_object_get(source,
                                                                                       "name")) };
    char sql[4096] =
        "INSERT INTO pg_temp.nyckel_gone"
        " SELECT f.measure_id, f.ou_id, f.period_id, f.scenario, f.value, f.breakdown_id,"
        " f.is_small_count"
        " FROM nyckel.fact_internal_value f JOIN nyckel.dim_source d"
        " ON d.source_key = f.source_key WHERE d.job = $1 AND d.source_name = $2"
        " AND NOT EXISTS (SELECT 1 FROM staging.fact_internal_value s"
        " WHERE s.measure_id = f.measure_id AND s.ou_id = f.ou_id"
        " AND s.period_id = f.period_id AND s.scenario = f.scenario"
        " AND s.breakdown_id = f.breakdown_id)";
    int nparams = 2, rc = 0, whole = delivered_whole(conn, job, params[1], err);
    long long gone = 0;

    if (whole <= 0)
        return whole;
    for (size_t i = 0; i < DIMENSION_COUNT && rc == 0; i++)
        rc = add_condition(sql, sizeof sql, &dimensions[i],
                           json_object_get(covers, dimensions[i].key), params, &nparams, err);
    if (rc == 0)
        rc = load_exec(conn, "finding what a delivery no longer holds", sql, nparams, params, &gone,
                       err);
    if (rc == 0 && gone > 0)
        nk_info("source %s: %lld figure(s) of earlier deliveries are not in this one and are "
                "deleted",
                params[1], gone);
    for (int i = 2; i < nparams; i++)
        free((char *)params[i]);
    return rc;
}

/* Files of this delivery loaded before, byte for byte, with the run that first loaded them. */
static int note_unchanged(PGconn *conn, load_delivery *delivery, nk_error *err)
{
    PGresult *res = load_query(conn, "finding files loaded before",
                               "SELECT n.source_name, n.uri, r.run_id"
                               " FROM pg_temp.nyckel_delivery n JOIN nyckel.dim_source d"
                               " ON d.uri = n.uri AND d.sha256 = n.sha256"
                               " JOIN nyckel.run r ON r.run_key = d.run_key"
                               " WHERE n.uri LIKE 'file:%' ORDER BY n.source_ref",
                               0, NULL, err);

    if (res == NULL)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        nk_info("%s: unchanged since run %s, loads nothing new", PQgetvalue(res, i, 1),
                PQgetvalue(res, i, 2));
        json_array_append_new(delivery->unchanged_files,
                              json_pack("{s:s, s:s, s:s}", "source", PQgetvalue(res, i, 0), "uri",
                                        PQgetvalue(res, i, 1), "since_run", PQgetvalue(res, i, 2)));
    }
    PQclear(res);
    return 0;
}

int load_delivery_prepare(PGconn *conn, load_delivery *delivery, nk_error *err)
{
    size_t index;
    json_t *source;

    if (load_exec(conn, "reading the delivery", delivery_sql, 0, NULL, NULL, err) < 0 ||
        load_exec(conn, "reading the delivery", gone_sql, 0, NULL, NULL, err) < 0 ||
        note_unchanged(conn, delivery, err) < 0)
        return -1;
    json_array_foreach (delivery->sources, index, source) {
        const json_t *covers = json_object_get(source, "covers");
        if (strcmp(json_string_value(json_object_get(source, "type")), "files") != 0 ||
            (json_is_string(covers) && strcmp(json_string_value(covers), "nothing") == 0))
            continue;
        if (set_aside(conn, delivery->job, source, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * The temporary table is read in a subquery, which Citus computes first:
 * it refuses to join a table of its own with a temporary one in an UPDATE.
 */
int load_delivery_tag(PGconn *conn, const load_delivery *delivery, nk_error *err)
{
    const char *params[] = { delivery->job };

    return load_exec(conn, "recording who delivered each file",
                     "UPDATE nyckel.dim_source d SET job = $1, source_name = n.source_name"
                     " FROM (SELECT uri, sha256, source_name FROM pg_temp.nyckel_delivery) n"
                     " WHERE d.uri = n.uri AND d.sha256 = n.sha256 AND d.source_name IS NULL",
                     1, params, NULL, err);
}
