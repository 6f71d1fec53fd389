/*
 * load.h: what the parts of nyckel-load share: the staged tables it knows,
 * the load plan read from the transform manifest, the counts it reports, and
 * small helpers around libpq that turn server errors into nk_errors.
 */
#ifndef NYCKEL_LOAD_H
#define NYCKEL_LOAD_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "lib/base/error.h"
#include "lib/job/job.h"

#define LOAD_MAX_COLUMNS 16
#define LOAD_MAX_TABLES 24

/* A staged table: a transform/<name>.copy file and its staging.<name> table. */
typedef struct load_table_spec {
    const char *name;
    const char *const *required; /* NULL-terminated; the manifest must list all */
    const char *const *optional; /* NULL-terminated; missing ones take the staging default */
} load_table_spec;

size_t load_table_spec_count(void);
const load_table_spec *load_table_spec_at(size_t index);
const load_table_spec *load_table_spec_find(const char *name);

/* One staged table of this run, as the transform manifest lists it. */
typedef struct load_staged {
    const load_table_spec *spec;
    char *path;                            /* RUN_DIR/transform/<file> */
    const char *columns[LOAD_MAX_COLUMNS]; /* the spec's own strings, in file order */
    size_t column_count;
    long long rows;  /* as the manifest says */
    char sha256[65]; /* as the manifest says */
} load_staged;

typedef struct load_plan {
    load_staged tables[LOAD_MAX_TABLES]; /* in the spec order: dependencies first */
    size_t count;
    char manifest_sha256[65];
    char extract_manifest_sha256[65];
    char *manifest_path; /* its "sources" are read from there for the audit row */
} load_plan;

/*
 * Check the transform manifest against the tables load knows and build the
 * plan.  manifest holds its members but "sources", which stay in the file at
 * manifest_path (it also names the file in error messages) until the audit
 * row streams them.  Unknown tables or columns, missing files and bad fields
 * are NK_EXIT_DATA errors.
 */
int load_plan_build(load_plan *plan, const json_t *manifest, const char *transform_dir,
                    const char *manifest_path, nk_error *err);
void load_plan_free(load_plan *plan);
const load_staged *load_plan_find(const load_plan *plan, const char *table);

/* Rows a load changed in one warehouse table. */
typedef struct load_count {
    const char *table;
    long long inserted, updated, deleted, unchanged;
} load_count;

typedef struct load_result {
    load_count tables[LOAD_MAX_TABLES];
    size_t count;
} load_result;

/* The entry for table, added (zeroed) when new. */
load_count *load_result_table(load_result *result, const char *table);
/* Rows inserted, updated and deleted. */
long long load_count_changes(const load_count *count);
long long load_result_changes(const load_result *result);
/* Rows inserted, updated and deleted in one table (0 when it was not touched). */
long long load_result_table_changes(const load_result *result, const char *table);

/* The settings from the job's load and warehouse sections (defaults: lib/job/job_key_tables.c). */
typedef struct load_settings {
    const char *conninfo; /* NULL: PG* variables, service file, .pgpass */
    int lock_wait;        /* 1: wait for the lock, 0: fail at once */
    int lock_timeout;     /* seconds a statement waits for a table lock (readers) */
    int citus;
    const json_t *kpi_direction; /* object kpi id → "higher" | "lower", or NULL */
    const json_t *peer_groups;   /* array of {id, title, members}, or NULL */
    const json_t *pairings;      /* array of {measure, kpi, rollup}, or NULL */
    const json_t *sources;       /* the job's extract list: what deliveries cover */
    int changes_file;            /* load.changes_file: write load/changes.jsonl */
} load_settings;

void load_settings_read(load_settings *settings, const nk_job *job);

/* libpq helpers (db.c). */
PGconn *load_connect(const char *conninfo, nk_error *err);
/*
 * Run one statement; params are text values ($1 ...), never pasted into sql.
 * affected, when given, receives the row count the command reports.  what
 * names the step in an error message.
 */
int load_exec(PGconn *conn, const char *what, const char *sql, int nparams,
              const char *const *params, long long *affected, nk_error *err);
/*
 * Like load_exec for a statement that builds a unique key or index over
 * rows from transform/<staged>.copy: a repeated key is named as a row of
 * that file ("key (a, b) = (x, y) appears twice", NK_EXIT_DATA).
 */
int load_exec_unique(PGconn *conn, const char *what, const char *sql, const char *staged,
                     nk_error *err);
/* Like load_exec for a query; the caller PQclear()s the result. */
PGresult *load_query(PGconn *conn, const char *what, const char *sql, int nparams,
                     const char *const *params, nk_error *err);
/* Turn a failed result into an nk_error with an exit code from its SQLSTATE. */
int load_fail_result(PGconn *conn, const PGresult *res, const char *what, nk_error *err);
/* The exit code a SQLSTATE deserves. */
int load_exit_for_sqlstate(const char *sqlstate);
/* The line of the COPY data the server refused in the last failure, or 0. */
long long load_failed_copy_line(void);
/*
 * Put the source of that line of staged's file in front of err
 * (copy_source.c), when the file has a source_ref column.
 */
void load_copy_name_source(const load_plan *plan, const load_staged *staged, long long line,
                           nk_error *err);
/* What the load was doing: the step of the statement last started. */
void load_step_set(const char *what);
const char *load_step(void);

/*
 * SIGINT and SIGTERM (interrupt.c).  Once watching a connection, a signal
 * cancels its running statement and load_query refuses further ones;
 * unwatch before rolling back and recording the failure.
 */
void load_interrupt_install(void);
void load_interrupt_watch(PGconn *conn);
void load_interrupt_unwatch(void);
int load_interrupt_requested(void); /* a signal came while watching */
int load_interrupt_signal(void);    /* the signal that came, or 0 */

/*
 * The warehouse-wide lock (lock.c): load_lock_prepare makes its table in a
 * new warehouse (its own short transaction); load_lock takes it inside the
 * open transaction, waiting or failing as settings->lock_wait says.
 */
int load_lock_prepare(PGconn *conn, nk_error *err);
int load_lock(PGconn *conn, const load_settings *settings, nk_error *err);
/* --check: is the lock free?  Taken and given back at once; exit 79 when held. */
int load_lock_free(PGconn *conn, nk_error *err);
/*
 * The session's settings (session.c): refuses a read-only session, sets
 * lock_timeout and how soon the server notices a dead client.
 */
int load_session_prepare(PGconn *conn, const load_settings *settings, nk_error *err);
/* The session can write: 69 for a hot standby, 78 for a read-only database or role. */
int load_session_writable(PGconn *conn, nk_error *err);
/*
 * Whether the server has said that the session cannot write (PostgreSQL 14
 * and later report in_hot_standby and default_transaction_read_only).
 */
int load_session_read_only(const PGconn *conn);

/*
 * nyckel-load --check (load_check.c): the warehouse answers with the job's
 * credentials, can be written, and is unlocked.
 */
int load_check(const nk_job *job, nk_error *err);

/* Migrations (migrate.c), inside the caller's transaction, all or none. */
typedef struct load_migration {
    const char *name;
    const char *sql;
} load_migration;
extern const load_migration load_migrations[];
extern const size_t load_migration_count;
int load_migrate(PGconn *conn, json_t *applied, nk_error *err);

/* Unlinked temporary files in $TMPDIR for rows on their way (scratch_file.c). */
FILE *load_scratch_file(const char *name, nk_error *err);

/*
 * A first load's values set aside by KPI for the benchmark
 * (value_buckets.c): each row's kpi, area, period, gender and value as
 * COPY text, replayed into a benchmark one KPI at a time; after each KPI
 * the benchmark has written its slices and done is called.  stop, once set
 * (by another thread), ends the replay with an error.
 */
typedef int (*load_kpi_done)(void *context, const char *kpi_id, nk_error *err);
#define LOAD_BUCKET_FIELDS 5
typedef struct load_value_buckets load_value_buckets;
struct benchmark;
load_value_buckets *load_value_buckets_new(long long values, nk_error *err);
int load_value_buckets_add(load_value_buckets *buckets, const char *const *fields,
                           const size_t *lengths, nk_error *err);
int load_value_buckets_replay(load_value_buckets *buckets, struct benchmark *bench,
                              load_kpi_done done, void *context, const atomic_int *stop,
                              nk_error *err);
void load_value_buckets_free(load_value_buckets *buckets);

/*
 * Streaming the .copy files into staging (stage_copy.c); in a first load
 * all but the Kolada values, which load_stage_first_values copies into
 * nyckel.fact_kpi_value once the run's sources are merged, frozen: the
 * table must have been emptied in the load's transaction.
 */
int load_stage_all(PGconn *conn, const load_plan *plan, int first_load, nk_error *err);
int load_stage_first_values(PGconn *conn, const load_plan *plan, const char *run_key,
                            load_value_buckets *values, nk_error *err);

/*
 * A first load (first_load.c): into an empty nyckel.fact_kpi_value the
 * values are copied straight in, its keys dropped before and rebuilt after
 * the dimensions are merged, and set aside for the benchmark on the way.
 * load_first_load_wanted decides (never on Citus); load_first_load_copy
 * drops the keys, empties the table and copies; load_first_load_finish
 * rebuilds the keys and indexes (foreign 0), then the foreign keys
 * (foreign 1).
 */
typedef struct load_first_load {
    int wanted;
    PGresult *keys;             /* the fact table's, dropped until finished */
    load_value_buckets *values; /* the values, for load_benchmark_start */
} load_first_load;
int load_first_load_wanted(PGconn *conn, const load_plan *plan, load_first_load *first,
                           nk_error *err);
int load_first_load_copy(PGconn *conn, const load_plan *plan, const char *run_key,
                         load_first_load *first, long long *rows, nk_error *err);
int load_first_load_finish(PGconn *conn, load_first_load *first, int foreign, nk_error *err);
void load_first_load_free(load_first_load *first);

/*
 * Corrections (delivery.c).  load_delivery_prepare, once staging is filled
 * and before the merge, sets aside in pg_temp.nyckel_gone the internal
 * figures that earlier deliveries of the job's "files" sources gave and
 * this delivery, within what it covers, no longer holds (the merge deletes
 * them), and notes in unchanged_files the files loaded before byte for
 * byte.  load_delivery_tag, after the merge, records in dim_source which
 * job and source delivered each new file.
 */
typedef struct load_delivery {
    const char *job;
    const json_t *sources;   /* the job's extract list */
    json_t *unchanged_files; /* [{source, uri, since_run}], filled by prepare */
} load_delivery;
int load_delivery_prepare(PGconn *conn, load_delivery *delivery, nk_error *err);
int load_delivery_tag(PGconn *conn, const load_delivery *delivery, nk_error *err);

/*
 * The keys a load inserts, updates and deletes in the fact tables, with
 * old and new values (changes.c): one JSON object a line into file, and a
 * line a person reads on stdout when print is set.  Listed before the
 * merge, from staging and pg_temp.nyckel_gone.
 */
typedef struct load_changes {
    FILE *file; /* or NULL */
    int print;
} load_changes;
int load_changes_list(PGconn *conn, load_changes *out, int first_load, nk_error *err);

/* The merge (merge.c, settings.c); run_key is the audit row's key as text. */
int load_apply_settings(PGconn *conn, const load_settings *settings, const char *run_key,
                        load_result *result, nk_error *err);
/*
 * first (a first load when first->wanted, staging then holding no Kolada
 * values) is left with the fact table's keys to rebuild.
 */
typedef struct load_merge_input {
    const load_plan *plan;
    const char *run_key;
    load_first_load *first;
    load_delivery *delivery;
    load_changes *changes; /* NULL: no list wanted */
    int changes_noted;     /* the merge notes what it changes (load_benchmark_note_changes) */
} load_merge_input;
int load_merge(PGconn *conn, const load_merge_input *input, load_result *result, nk_error *err);

/*
 * Bulk inserts of new facts (bulk.c).  load_bulk_many says whether
 * new_rows new rows are many enough, against the table_rows a table holds,
 * to drop the table's keys, indexes and foreign keys, insert, and rebuild
 * them; that locks the table against readers until commit.
 * load_bulk_wanted asks it of a table in the warehouse (never on Citus),
 * load_bulk_insert does it.
 */
int load_bulk_many(long long new_rows, double table_rows);
int load_bulk_wanted(PGconn *conn, const char *table, long long new_rows, int *wanted,
                     nk_error *err);
/*
 * SQL that is true when the warehouse is not Citus: neither the bulk path,
 * a first load nor the ANALYZE of staged or changed tables goes there.
 */
#define LOAD_NOT_CITUS_SQL "NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')"
int load_bulk_insert(PGconn *conn, const char *table, const char *insert_sql, int nparams,
                     const char *const *params, long long *rows, nk_error *err);
/*
 * A table's keys, indexes and foreign keys (table_keys.c): read from the
 * catalog (table is schema-qualified; PQclear the result), dropped, and
 * rebuilt as they were.
 */
PGresult *load_keys_read(PGconn *conn, const char *table, nk_error *err);
int load_keys_drop(PGconn *conn, const PGresult *keys, nk_error *err);
int load_keys_rebuild(PGconn *conn, const PGresult *keys, nk_error *err);
/*
 * Half of it: the keys and indexes (foreign 0), or the foreign keys
 * (foreign 1).  staged, when not NULL: the rows came from
 * transform/<staged>.copy, and a repeated key is named so (load_exec_unique).
 */
int load_keys_rebuild_part(PGconn *conn, const PGresult *keys, int foreign, const char *staged,
                           nk_error *err);
/* ANALYZE the warehouse tables the load changed by a tenth or more. */
int load_analyze_changed(PGconn *conn, const load_result *result, nk_error *err);

/*
 * COPY streams (copy_stream.c).  load_copy_out runs "COPY (query) TO
 * STDOUT" and hands each row's columns fields, still escaped and NULL for
 * "\N", to row; load_copy_in sends a whole file of COPY text to a
 * "COPY ... FROM STDIN" and reports the rows the server took.
 */
typedef int (*load_copy_row)(void *context, char **fields, nk_error *err);
/*
 * The two ends of any COPY, for stage_copy.c too: load_copy_start sends the
 * statement and checks that the server waits for rows in the direction
 * wanted (what names the COPY in errors; the caller sets the step);
 * load_copy_end ends a COPY FROM STDIN, or aborts it with a reason, and
 * collects its results (rows may be NULL).
 */
int load_copy_start(PGconn *conn, const char *what, const char *sql, ExecStatusType wanted,
                    nk_error *err);
int load_copy_end(PGconn *conn, const char *what, const char *abort_reason, long long *rows,
                  nk_error *err);
int load_copy_out(PGconn *conn, const char *what, const char *sql, int columns, load_copy_row row,
                  void *context, nk_error *err);
int load_copy_in(PGconn *conn, const char *what, const char *sql, FILE *file, long long *rows,
                 nk_error *err);
/*
 * The data of a COPY FROM STDIN sent from a thread of its own
 * (copy_sender.c), so that the caller prepares the next rows while the
 * server stores the last: started after load_copy_start, given the data in
 * any pieces by load_copy_sender_put, and finished (everything sent, the
 * thread gone, the sender freed) before the connection is used again, by
 * load_copy_end too.  A failed send is the error of the next put or of
 * the finish.
 */
typedef struct load_copy_sender load_copy_sender;
load_copy_sender *load_copy_sender_start(PGconn *conn, const char *what, nk_error *err);
int load_copy_sender_put(load_copy_sender *sender, const char *data, size_t size, nk_error *err);
int load_copy_sender_finish(load_copy_sender *sender, nk_error *err);

/*
 * The staged Kolada values on their way to the server (fact_stream.c).
 * Every row of transform/fact_kpi_value.copy is read as it streams: the
 * distinct KPI, area, period and source ids it uses are noted (sent to the
 * temporary table nyckel_fact_id, which the merge and the marts read
 * instead of scanning every value), and a row without a whole key fails the
 * load with its line number.  For a first load the stream also rewrites
 * each row into a row of nyckel.fact_kpi_value (first_load.c).
 */
typedef struct load_fact_stream load_fact_stream;
load_fact_stream *load_fact_stream_new(const load_staged *staged, nk_error *err);
/*
 * From now on rows go out as nyckel.fact_kpi_value's (see
 * load_fact_stream_columns): source_ref becomes the warehouse's source_key
 * (merged from staging.source by then) and run_key is added.  Each row is
 * also set aside in values.
 */
int load_fact_stream_rewrite(load_fact_stream *stream, PGconn *conn, const char *run_key,
                             load_value_buckets *values, nk_error *err);
/* The column list of the COPY the rewritten rows fit, "(kpi_id, ..., run_key)". */
void load_fact_stream_columns(const load_fact_stream *stream, char *out, size_t size);
/* The next bytes of the file, in any pieces. */
int load_fact_stream_feed(load_fact_stream *stream, load_copy_sender *sender, const char *bytes,
                          size_t size, nk_error *err);
/* The end of the file: a last row without a newline. */
int load_fact_stream_end(load_fact_stream *stream, load_copy_sender *sender, nk_error *err);
/*
 * The distinct values of column ("kpi_id", "area_id", "period_id" or
 * "source_ref") noted so far, in the order first seen; NULL for another.
 */
const struct id_index *load_fact_stream_noted(const load_fact_stream *stream, const char *column);
/* The ids noted, into nyckel_fact_id. */
int load_fact_stream_send_ids(load_fact_stream *stream, PGconn *conn, nk_error *err);
void load_fact_stream_free(load_fact_stream *stream);
/* The temporary table the ids go to, made for every load (empty without values). */
int load_fact_ids_create(PGconn *conn, nk_error *err);

/*
 * Marts (marts.c).  load_benchmark_start reads the dimensions and starts
 * computing the whole benchmark from a first load's values on a thread of
 * its own; load_refresh_marts stores it (job given), or brings the stored
 * benchmark up to date where the load's changes reach it: it patches the
 * changed slices when load_benchmark_note_changes, called before the
 * merge, had it note what it changes (*noted), else recomputes KPIs.  With
 * load.citus (citus) no value is noted and every change recomputes the
 * whole benchmark: Citus modifies its reference table mart.benchmark_slice
 * only from other Citus tables, not from the session's temporary ones.  The
 * job is freed (its thread stopped) by load_benchmark_job_free.
 */
typedef struct load_benchmark_job load_benchmark_job;
load_benchmark_job *load_benchmark_start(PGconn *conn, load_value_buckets *values, nk_error *err);
int load_benchmark_note_changes(PGconn *conn, const load_plan *plan, int first_load, int citus,
                                int *noted, nk_error *err);
int load_refresh_marts(PGconn *conn, const load_result *result, int changes_noted, int citus,
                       load_benchmark_job *job, nk_error *err);
void load_benchmark_job_free(load_benchmark_job *job);

/* Citus (citus.c): distribute facts, make dimensions reference tables. */
int load_citus_distribute(PGconn *conn, nk_error *err);

/* Audit (audit.c). */
typedef struct load_audit {
    const char *run_id;
    const char *job;
    const load_plan *plan;
    char started_at[32];
    double started;
    char run_key[32];
} load_audit;
int load_audit_begin(PGconn *conn, load_audit *audit, nk_error *err);
/*
 * The manifest's "sources" into the temporary table nyckel_run_sources
 * (position, entry), dropped at commit (audit_sources.c).
 */
int load_audit_send_sources(PGconn *conn, const char *manifest_path, nk_error *err);
int load_audit_finish(PGconn *conn, const load_audit *audit, const load_result *result,
                      nk_error *err);
/*
 * One row in nyckel.run_failure for a load that did not commit, in its own
 * short transaction; the caller has rolled back.  Fails when the warehouse
 * has no such table yet (migration 006 not applied).
 */
int load_audit_failure(PGconn *conn, const load_audit *audit, int dry_run, const char *step,
                       const nk_error *failure, nk_error *err);
json_t *load_summary_json(const load_audit *audit, const load_result *result, int dry_run,
                          const json_t *migrations, const json_t *unchanged_files);
void load_summary_log(const load_result *result, int dry_run);

#endif
