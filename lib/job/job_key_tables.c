/*
 * job_key_tables.c: the key tables, one per section of a job file (see
 * job_keys.h).  A row is the one place a key's type, bounds and default are
 * written; its section's heading in docs/jobs.md is where people read it,
 * and tests/unit/job_keys_docs_test.c fails when the two part.
 *
 * Keys of type NK_KEY_OTHER are checked by hand in their section's checker
 * (lib/job/job_*.c), since their shape (an object, a list of objects, a
 * pattern or a list) is more than a type and bounds.
 */
#include <stddef.h>

#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"

#define AT(type, field) offsetof(type, field)
#define NOT_STORED NK_KEY_NOT_STORED

/*
 * A row's fields; the table wraps each in braces, and adds ".required = 1"
 * to a key that must be given.
 */
#define INTEGER(key, lo, hi, def, at) \
    .name = key, .type = NK_KEY_INTEGER, .min = lo, .max = hi, .number_default = def, .offset = at
#define NUMBER(key, lo, hi, def, at) \
    .name = key, .type = NK_KEY_NUMBER, .min = lo, .max = hi, .number_default = def, .offset = at
#define BOOLEAN(key, def, at) \
    .name = key, .type = NK_KEY_BOOLEAN, .number_default = def, .offset = at
#define STRING(key, def, at) .name = key, .type = NK_KEY_STRING, .text_default = def, .offset = at
#define CHOICE(key, list, def, at) \
    .name = key, .type = NK_KEY_CHOICE, .choices = list, .text_default = def, .offset = at
#define STRING_LIST(key, at) .name = key, .type = NK_KEY_STRING_LIST, .offset = at
#define OTHER(key, at) .name = key, .type = NK_KEY_OTHER, .offset = at

/* Top level: docs/jobs.md, "## Top level". */
static const nk_key top_keys[] = {
    { OTHER("name", NOT_STORED), .required = 1 },
    { STRING("description", NULL, AT(nk_top_settings, description)) },
    { STRING("run_root", NULL, AT(nk_top_settings, run_root)) },
    { INTEGER("keep_runs", 1, 100000, 0, AT(nk_top_settings, keep_runs)) },
    { OTHER("warehouse", NOT_STORED) },
    { OTHER("extract", NOT_STORED), .required = 1 },
    { OTHER("raw_archive", NOT_STORED) },
    { OTHER("transform", NOT_STORED) },
    { OTHER("load", NOT_STORED) },
    { OTHER("alerts", NOT_STORED) },
    { OTHER("metrics", NOT_STORED) },
};
const nk_key_table nk_keys_top = { "## Top level", "", NK_KEY_ROWS(top_keys), NULL, NULL };

/* What every source has: docs/jobs.md, "## extract". */
static const nk_key source_keys[] = {
    { OTHER("name", NOT_STORED), .required = 1 },
    { OTHER("type", NOT_STORED), .required = 1 },
};
const nk_key_table nk_keys_source = { "## extract", "", NK_KEY_ROWS(source_keys), NULL, NULL };

static const nk_key kolada_files_keys[] = {
    { STRING_LIST("paths", AT(nk_files_settings, paths)), .required = 1 },
    { OTHER("members", AT(nk_files_settings, members)) },
    { INTEGER("max_member_mb", 1, 1 << 20, 1024, AT(nk_files_settings, max_member_mb)) },
    { INTEGER("max_members", 1, 10000000, 100000, AT(nk_files_settings, max_members)) },
    { INTEGER("max_ratio", 1, 100000, 100, AT(nk_files_settings, max_ratio)) },
};
const nk_key_table nk_keys_kolada_files = { "### type \"kolada-files\"", "",
                                            NK_KEY_ROWS(kolada_files_keys), &nk_keys_source, NULL };

/*
 * A "files" source's covers: each dimension "file", "all" or a list of ids,
 * checked by lib/job/job_covers.c.  The default is the word covers means
 * when it leaves the dimension out, which load/delivery.c reads here.
 */
static const nk_key covers_keys[] = {
    { OTHER("periods", NOT_STORED), .text_default = "file" },
    { OTHER("units", NOT_STORED), .text_default = "all" },
    { OTHER("measures", NOT_STORED), .text_default = "all" },
    { OTHER("scenarios", NOT_STORED), .text_default = "all" },
};
const nk_key_table nk_keys_covers = { "### type \"files\"", "", NK_KEY_ROWS(covers_keys), NULL,
                                      "covers" };

/* "files" reads what "kolada-files" does, and says how transform reads it. */
static const nk_key files_keys[] = {
    { STRING("mapping", NULL, NOT_STORED) },
    { OTHER("covers", NOT_STORED) },
};
const nk_key_table nk_keys_files = { "### type \"files\"", "", NK_KEY_ROWS(files_keys),
                                     &nk_keys_kolada_files, NULL };

#define API(field) AT(nk_kolada_api_settings, field)
static const nk_key kolada_api_keys[] = {
    { STRING_LIST("kpis", API(kpis)) },
    { STRING_LIST("kpi_groups", API(kpi_groups)) },
    { STRING_LIST("operating_areas", API(operating_areas)) },
    { STRING_LIST("areas", API(areas)) },
    { STRING_LIST("municipality_groups", API(municipality_groups)) },
    { BOOLEAN("all_municipalities", 0, API(all_municipalities)) },
    { BOOLEAN("all_regions", 0, API(all_regions)) },
    { BOOLEAN("riket", 0, API(riket)) },
    { BOOLEAN("county_regions", 0, API(county_regions)) },
    { OTHER("years", API(years)), .required = 1 },
    { OTHER("ou_data", API(ou_data)) },
    { INTEGER("api_version", 2, 3, 3, API(api_version)) },
    { OTHER("base_url", API(base_url)) },
    { INTEGER("url_max_length", 256, 65536, 2000, API(url_max_length)) },
    { NUMBER("rate_limit", 0, 10000, 5, API(rate_limit)) },
    { INTEGER("concurrency", 1, 64, 4, API(concurrency)) },
    { INTEGER("timeout_seconds", 1, 86400, 300, API(timeout_seconds)) },
    { INTEGER("connect_timeout_seconds", 1, 3600, 30, API(connect_timeout_seconds)) },
    { INTEGER("max_attempts", 1, 100, 6, API(max_attempts)) },
    { NUMBER("backoff_seconds", 0, 3600, 1, API(backoff_seconds)) },
    { NUMBER("backoff_max_seconds", 0, 86400, 60, API(backoff_max_seconds)) },
    { NUMBER("retry_budget_seconds", 0, 86400, 600, API(retry_budget_seconds)) },
    { INTEGER("max_body_mb", 1, 1 << 20, 1024, API(max_body_mb)) },
    { STRING("ca_bundle", NULL, API(ca_bundle)) },
    { BOOLEAN("incremental", 1, API(incremental)) },
    { STRING("state_dir", NULL, API(state_dir)) },
};
const nk_key_table nk_keys_kolada_api = { "### type \"kolada-api\"", "",
                                          NK_KEY_ROWS(kolada_api_keys), &nk_keys_source, NULL };

static const char *const archive_formats[] = { "tar.zst", "tar.gz", "none", NULL };
static const nk_key raw_archive_keys[] = {
    { CHOICE("format", archive_formats, "tar.zst", AT(nk_raw_archive_settings, format)) },
    { STRING("dir", NULL, AT(nk_raw_archive_settings, dir)) },
    { INTEGER("keep", 1, 100000, 30, AT(nk_raw_archive_settings, keep)) },
    /* zstd's negative levels trade size for speed; below -7 the gain is gone. gzip: 1 to 9. */
    { INTEGER("level", -7, 19, 0, NOT_STORED) },
};
const nk_key_table nk_keys_raw_archive = { "### top-level \"raw_archive\"", "",
                                           NK_KEY_ROWS(raw_archive_keys), NULL, NULL };

static const nk_key transform_keys[] = {
    { OTHER("max_rejects", NOT_STORED), .text_default = "0" },
    { OTHER("mappings", NOT_STORED) },
    { OTHER("aliases", NOT_STORED) },
    { STRING("municipalities", NULL, NOT_STORED) },
};
const nk_key_table nk_keys_transform = { "## transform", "", NK_KEY_ROWS(transform_keys), NULL,
                                         NULL };

#define MAP(field) AT(nk_mapping_settings, field)
static const char *const formats[] = { "csv", "xlsx", NULL };
static const char *const encodings[] = { "utf-8", "windows-1252", "auto", NULL };
static const char *const separators[] = { ";", ",", "\t", "auto", NULL };
static const char *const marks[] = { ",", ".", NULL };
static const char *const layouts[] = { "long", "wide", "rows", NULL };
static const char *const unmapped[] = { "warn", "error", NULL };
static const nk_key mapping_keys[] = {
    { OTHER("files", MAP(files)) },
    { CHOICE("format", formats, NULL, MAP(format)) },
    { CHOICE("encoding", encodings, "auto", MAP(encoding)) },
    { CHOICE("separator", separators, "auto", MAP(separator)) },
    { CHOICE("decimal_mark", marks, ",", MAP(decimal_mark)) },
    { CHOICE("layout", layouts, "long", MAP(layout)) },
    { CHOICE("unmapped_columns", unmapped, "warn", MAP(unmapped_columns)) },
    { INTEGER("small_counts_below", 1, 1000000, 5, MAP(small_counts_below)) },
    { STRING("sheet", NULL, MAP(sheet)) },
    { STRING("org_units", NULL, MAP(org_units)) },
    { INTEGER("skip_lines", 0, 1000, 0, MAP(skip_lines)) },
    { INTEGER("header_rows", 1, 2, 1, MAP(header_rows)) },
    { INTEGER("year", 1900, 2199, 0, MAP(year)) },
    { INTEGER("max_field_kb", 1, 1 << 20, 1024, MAP(max_field_kb)) },
    { OTHER("header_roles", NOT_STORED) },
    { OTHER("columns", NOT_STORED) },
    { OTHER("fill_down", MAP(fill_down)) },
    { STRING_LIST("total_rows", MAP(total_rows)) },
    { OTHER("constants", NOT_STORED) },
    { OTHER("measures", MAP(measures)) },
    { STRING_LIST("personal_numbers", MAP(personal_numbers)) },
    { STRING_LIST("ignore_columns", MAP(ignore_columns)) },
    { OTHER("totals", NOT_STORED), .text_default = "year" },
    { OTHER("amount_columns", MAP(amount_columns)) },
};
const nk_key_table nk_keys_mapping = { "### Mappings: reading internal exports", "",
                                       NK_KEY_ROWS(mapping_keys), NULL, NULL };

/* One of a mapping's measures; aggregate and column are checked together by the checker. */
#define MEASURE(field) AT(nk_measure_settings, field)
static const char *const aggregates[] = { "sum", "count_rows", "count_people", NULL };
static const nk_key measure_keys[] = {
    { STRING("title", NULL, MEASURE(title)) },
    { STRING("unit", NULL, MEASURE(unit)) },
    { STRING_LIST("names", MEASURE(names)) },
    { CHOICE("aggregate", aggregates, "sum", MEASURE(aggregate)) },
    { STRING("column", NULL, MEASURE(column)) },
};
const nk_key_table nk_keys_measure = { "### Mappings: reading internal exports", "",
                                       NK_KEY_ROWS(measure_keys), NULL, "measures" };

static const char *const lock_choices[] = { "wait", "fail", NULL };
static const nk_key warehouse_keys[] = {
    { STRING("conninfo", NULL, AT(nk_warehouse_settings, conninfo)) },
    { CHOICE("lock", lock_choices, "wait", AT(nk_warehouse_settings, lock)) },
    { INTEGER("lock_timeout", 1, 86400, 300, AT(nk_warehouse_settings, lock_timeout)) },
};
const nk_key_table nk_keys_warehouse = { "## warehouse", "", NK_KEY_ROWS(warehouse_keys), NULL,
                                         NULL };

static const nk_key load_keys[] = {
    { OTHER("kpi_direction", AT(nk_load_settings, kpi_direction)) },
    { OTHER("peer_groups", AT(nk_load_settings, peer_groups)) },
    { OTHER("pairings", AT(nk_load_settings, pairings)) },
    { BOOLEAN("citus", 0, AT(nk_load_settings, citus)) },
    { BOOLEAN("changes_file", 0, AT(nk_load_settings, changes_file)) },
};
/* One of load.peer_groups; "id" becomes an area's id, so its check is the checker's. */
#define GROUP(field) AT(nk_peer_group_settings, field)
static const nk_key peer_group_keys[] = {
    { OTHER("id", GROUP(id)), .required = 1 },
    { STRING("title", NULL, GROUP(title)) },
    { STRING_LIST("members", GROUP(members)), .required = 1 },
};
const nk_key_table nk_keys_peer_group = { "## load", "", NK_KEY_ROWS(peer_group_keys), NULL,
                                          "peer_groups" };

static const char *const rollups[] = { "sum", "avg", "last", NULL };
static const nk_key pairing_keys[] = {
    { STRING("measure", NULL, AT(nk_pairing_settings, measure)), .required = 1 },
    { STRING("kpi", NULL, AT(nk_pairing_settings, kpi)), .required = 1 },
    { CHOICE("rollup", rollups, "sum", AT(nk_pairing_settings, rollup)) },
};
const nk_key_table nk_keys_pairing = { "## load", "", NK_KEY_ROWS(pairing_keys), NULL, "pairings" };

const nk_key_table nk_keys_load = { "## load", "", NK_KEY_ROWS(load_keys), NULL, NULL };

static const nk_key alerts_keys[] = {
    { STRING("on_failure", NULL, AT(nk_alerts_settings, on_failure)) },
    { STRING("on_success", NULL, AT(nk_alerts_settings, on_success)) },
};
const nk_key_table nk_keys_alerts = { "## alerts and metrics", "alerts.", NK_KEY_ROWS(alerts_keys),
                                      NULL, NULL };

static const nk_key metrics_keys[] = {
    { STRING("textfile_dir", NULL, AT(nk_metrics_settings, textfile_dir)), .required = 1 },
};
const nk_key_table nk_keys_metrics = { "## alerts and metrics", "metrics.",
                                       NK_KEY_ROWS(metrics_keys), NULL, NULL };

const nk_key_table *const nk_key_tables[] = {
    &nk_keys_top,
    &nk_keys_source,
    &nk_keys_kolada_files,
    &nk_keys_files,
    &nk_keys_covers,
    &nk_keys_kolada_api,
    &nk_keys_raw_archive,
    &nk_keys_transform,
    &nk_keys_mapping,
    &nk_keys_measure,
    &nk_keys_warehouse,
    &nk_keys_load,
    &nk_keys_peer_group,
    &nk_keys_pairing,
    &nk_keys_alerts,
    &nk_keys_metrics,
    NULL,
};
