/*
 * changes.c: the list of what a load changes in the fact tables, key by
 * key with the old and the new values, made inside the transaction before
 * the merge runs: load/changes.jsonl (every dry run, and every load when
 * load.changes_file is true) and, for a dry run, the same on stdout.  The
 * rows come from a cursor, a few thousand at a time, so a large list is
 * never held whole.  A first load's Kolada values are copied straight
 * into the empty table without staging and are not listed (all are new).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "load/load.h"

#define NAMES(...)        \
    (const char *const[]) \
    {                     \
        __VA_ARGS__, NULL \
    }

/* A fact table: its key, its values, and where the rows it loses are found. */
typedef struct change_table {
    const char *table;
    const char *const *keys;
    const char *const *values;
    const char *gone; /* FROM clause with alias g holding the lost rows' keys and values */
} change_table;

static const change_table tables[] = {
    { "fact_internal_value", NAMES("measure_id", "ou_id", "period_id", "scenario", "breakdown_id"),
      NAMES("value", "is_small_count"), "pg_temp.nyckel_gone g" },
    { "fact_kpi_value", NAMES("kpi_id", "area_id", "period_id", "gender"),
      NAMES("value", "value_count", "status"),
      "nyckel.fact_kpi_value g JOIN staging.fact_kpi_value_deleted x USING (kpi_id, area_id,"
      " period_id, gender)" },
    { "fact_ou_value", NAMES("kpi_id", "ou_id", "period_id", "gender"),
      NAMES("value", "value_count", "status"),
      "nyckel.fact_ou_value g JOIN staging.fact_ou_value_deleted x USING (kpi_id, ou_id,"
      " period_id, gender)" },
};

#define SQL_SIZE 4096

/* The query being built; failed once a piece found no memory, so that none goes missing. */
typedef struct query_text {
    nk_buffer text;
    int failed;
} query_text;

static void append(query_text *sql, const char *fmt, const char *a, const char *b)
{
    if (nk_buffer_printf(&sql->text, fmt, a, b) < 0)
        sql->failed = 1;
}

/* json_build_object('k', alias.k, ...) over names. */
static void object_of(query_text *sql, const char *const *names, const char *alias)
{
    append(sql, "%sjson_build_object(", "", "");
    for (int i = 0; names[i]; i++) {
        append(sql, i ? ", '%s', " : "'%s', ", names[i], "");
        append(sql, "%s.%s", alias, names[i]);
    }
    append(sql, ")", "", "");
}

/* alias.a = s.a AND ... over the key. */
static void key_match(query_text *sql, const change_table *t, const char *alias)
{
    for (int i = 0; t->keys[i]; i++) {
        append(sql, i ? " AND %s." : "%s.", alias, "");
        append(sql, "%s = s.%s", t->keys[i], t->keys[i]);
    }
}

/* (f.v, ...) IS DISTINCT FROM (s.v, ...) */
static void values_differ(query_text *sql, const change_table *t)
{
    for (int pass = 0; pass < 2; pass++) {
        append(sql, pass ? ") IS DISTINCT FROM (" : " (", "", "");
        for (int i = 0; t->values[i]; i++)
            append(sql, i ? ", %s.%s" : "%s.%s", pass ? "s" : "f", t->values[i]);
    }
    append(sql, ")", "", "");
}

/* Inserted and updated keys (staged against the warehouse), then the lost ones. */
static void change_query(query_text *sql, const change_table *t)
{
    append(sql,
           "SELECT change, key::text, old::text, new::text FROM ("
           " SELECT CASE WHEN f.%s IS NULL THEN 'insert' ELSE 'update' END"
           " AS change, ",
           t->keys[0], "");
    object_of(sql, t->keys, "s");
    append(sql, " AS key, CASE WHEN f.%s IS NULL THEN NULL ELSE ", t->keys[0], "");
    object_of(sql, t->values, "f");
    append(sql, " END AS old, ", "", "");
    object_of(sql, t->values, "s");
    append(sql, " AS new FROM staging.%s s LEFT JOIN nyckel.%s f ON ", t->table, t->table);
    key_match(sql, t, "f");
    append(sql, " WHERE f.%s IS NULL OR", t->keys[0], "");
    values_differ(sql, t);
    append(sql, " UNION ALL SELECT 'delete', ", "", "");
    object_of(sql, t->keys, "g");
    append(sql, ", ", "", "");
    object_of(sql, t->values, "g");
    append(sql, ", NULL FROM %s) c ORDER BY change, key::text", t->gone, "");
}

static void emit(const char *table, PGresult *res, int row, load_changes *out)
{
    const char *change = PQgetvalue(res, row, 0), *key = PQgetvalue(res, row, 1);
    const char *old = PQgetisnull(res, row, 2) ? "null" : PQgetvalue(res, row, 2);
    const char *new = PQgetisnull(res, row, 3) ? "null" : PQgetvalue(res, row, 3);

    if (out->file)
        fprintf(out->file,
                "{\"table\": \"%s\", \"change\": \"%s\", \"key\": %s, "
                "\"old\": %s, \"new\": %s}\n",
                table, change, key, old, new);
    if (out->print)
        printf("%s %s %s: %s -> %s\n", change, table, key, old, new);
}

static int list_table(PGconn *conn, const change_table *t, load_changes *out, nk_error *err)
{
    query_text sql = { NK_BUFFER_INIT(0, SQL_SIZE), 0 };
    char what[96];
    PGresult *res;
    int rows;

    snprintf(what, sizeof what, "listing the changes to %s", t->table);
    append(&sql, "DECLARE nyckel_changes NO SCROLL CURSOR FOR ", "", "");
    change_query(&sql, t);
    if (sql.failed) {
        nk_buffer_free(&sql.text);
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory %s", what);
    }
    int rc = load_exec(conn, what, nk_buffer_text(&sql.text), 0, NULL, NULL, err);
    nk_buffer_free(&sql.text);
    if (rc < 0)
        return -1;
    do {
        res = load_query(conn, what, "FETCH 5000 FROM nyckel_changes", 0, NULL, err);
        if (res == NULL)
            return -1;
        rows = PQntuples(res);
        for (int i = 0; i < rows; i++)
            emit(t->table, res, i, out);
        PQclear(res);
    } while (rows > 0);
    if (out->file && ferror(out->file))
        return nk_fail(err, NK_EXIT_IOERR, "load/changes.jsonl: cannot write");
    return load_exec(conn, what, "CLOSE nyckel_changes", 0, NULL, NULL, err);
}

int load_changes_list(PGconn *conn, load_changes *out, int first_load, nk_error *err)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (first_load && strcmp(tables[i].table, "fact_kpi_value") == 0)
            continue;
        if (list_table(conn, &tables[i], out, err) < 0)
            return -1;
    }
    return 0;
}
