/*
 * job_settings.h: the typed settings of a job file's sections, as the
 * stages read them with nk_read_keys (lib/job/job_keys.h): each key's value,
 * or its default from the key table (lib/job/job_key_tables.c).
 *
 * Strings and JSON values point into the checked job and live as long as
 * it.  A field the table gives no default is 0 or NULL when the key is
 * absent.
 */
#ifndef NYCKEL_JOB_SETTINGS_H
#define NYCKEL_JOB_SETTINGS_H

#include <jansson.h>

/* The top level (nk_keys_top). */
typedef struct nk_top_settings {
    const char *description;
    const char *run_root;
    long long keep_runs; /* 0: keep every run */
} nk_top_settings;

/* A "kolada-files" or "files" source's archive limits (nk_keys_kolada_files). */
typedef struct nk_files_settings {
    const json_t *paths;
    const json_t *members;
    long long max_member_mb;
    long long max_members;
    long long max_ratio;
} nk_files_settings;

/* A "kolada-api" source (nk_keys_kolada_api). */
typedef struct nk_kolada_api_settings {
    const json_t *kpis, *kpi_groups, *operating_areas; /* lists, NULL when absent */
    const json_t *areas, *municipality_groups;
    const json_t *years;
    const json_t *ou_data; /* true, false or a list of municipality ids */
    long long api_version;
    const json_t *base_url; /* a string; NULL: Kolada's own for api_version */
    long long url_max_length;
    double rate_limit;
    long long concurrency;
    long long timeout_seconds;
    long long connect_timeout_seconds;
    long long max_attempts;
    double retry_budget_seconds;
    double backoff_seconds;
    double backoff_max_seconds;
    long long max_body_mb;
    const char *ca_bundle;
    int incremental;
    const char *state_dir;
    int all_municipalities;
    int all_regions;
    int riket;
    int county_regions;
} nk_kolada_api_settings;

/* The top-level "raw_archive" (nk_keys_raw_archive). */
typedef struct nk_raw_archive_settings {
    const char *format;
    const char *dir;
    long long keep;
} nk_raw_archive_settings;

/* One of transform.mappings (nk_keys_mapping). */
typedef struct nk_mapping_settings {
    const char *format; /* NULL: by the file's extension */
    const char *encoding;
    const char *separator;
    const char *decimal_mark;
    const char *sheet;
    long long skip_lines;
    long long header_rows;
    const char *layout;
    long long year;
    const char *org_units;
    long long max_field_kb;
    const char *unmapped_columns;
    long long small_counts_below;
    /* Shapes the checker checks by hand (lib/job/job_mapping.c), NULL when absent. */
    const json_t *files;
    const json_t *fill_down;
    const json_t *total_rows;
    const json_t *measures;
    const json_t *personal_numbers;
    const json_t *ignore_columns;
    const json_t *amount_columns;
} nk_mapping_settings;

/* One of a mapping's "measures" (nk_keys_measure). */
typedef struct nk_measure_settings {
    const char *title;
    const char *unit;
    const json_t *names;
    const char *aggregate;
    const char *column;
} nk_measure_settings;

/* "warehouse" (nk_keys_warehouse). */
typedef struct nk_warehouse_settings {
    const char *conninfo;
    const char *lock;
    long long lock_timeout;
} nk_warehouse_settings;

/* "load" (nk_keys_load). */
typedef struct nk_load_settings {
    const json_t *kpi_direction;
    const json_t *peer_groups;
    const json_t *pairings;
    int citus;
    int changes_file;
} nk_load_settings;

/* One of load.peer_groups (nk_keys_peer_group) and of load.pairings (nk_keys_pairing). */
typedef struct nk_peer_group_settings {
    const json_t *id;
    const char *title; /* NULL: the id */
    const json_t *members;
} nk_peer_group_settings;

typedef struct nk_pairing_settings {
    const char *measure;
    const char *kpi;
    const char *rollup;
} nk_pairing_settings;

/* "alerts" and "metrics" (nk_keys_alerts, nk_keys_metrics). */
typedef struct nk_alerts_settings {
    const char *on_failure;
    const char *on_success;
} nk_alerts_settings;

typedef struct nk_metrics_settings {
    const char *textfile_dir;
} nk_metrics_settings;

#endif
