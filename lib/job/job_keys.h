/*
 * job_keys.h: every key of a job file declared once, in a table per section
 * (lib/job/job_key_tables.c), as Redis declares its configuration in one
 * static_configs[].
 *
 * A row says a key's name, its type and bounds, its default and where its
 * value is stored in the section's settings struct (lib/job/job_settings.h).
 * From the same row the job check refuses a wrong value (nk_check_keys) and
 * a stage reads the value or its default (nk_read_keys), so that a bound or a
 * default is never written twice; tests/unit/job_keys_docs_test.c holds the
 * tables and docs/jobs.md to each other.
 */
#ifndef NYCKEL_JOB_KEYS_H
#define NYCKEL_JOB_KEYS_H

#include <stddef.h>

#include <jansson.h>

#include "lib/job/job.h"

typedef enum nk_key_type {
    NK_KEY_INTEGER,     /* a whole number from min to max; stored as long long */
    NK_KEY_NUMBER,      /* any number from min to max; stored as double */
    NK_KEY_BOOLEAN,     /* true or false; stored as int */
    NK_KEY_STRING,      /* a non-empty string; stored as const char * */
    NK_KEY_CHOICE,      /* one of choices; stored as const char * */
    NK_KEY_STRING_LIST, /* a non-empty list of non-empty strings; stored as const json_t * */
    /*
     * Anything else (objects, lists of objects, a string or a list): the
     * section's checker checks it by hand; stored as const json_t *.  Its
     * text_default, if any, is the word that stands for it when absent
     * (extract[].covers, a mapping's totals, transform.max_rejects), read
     * through nk_key_find.
     */
    NK_KEY_OTHER,
} nk_key_type;

/* A key whose value no settings struct holds (the stage reads the JSON, or nothing). */
#define NK_KEY_NOT_STORED ((size_t)-1)

typedef struct nk_key {
    const char *name;
    nk_key_type type;
    int required;
    double min, max;            /* NK_KEY_INTEGER and NK_KEY_NUMBER */
    const char *const *choices; /* NK_KEY_CHOICE, NULL-terminated */
    double number_default;      /* integers, numbers and booleans */
    const char *text_default;   /* strings and choices; NULL: none */
    size_t offset;              /* in the section's settings struct, or NK_KEY_NOT_STORED */
} nk_key;

typedef struct nk_key_table nk_key_table;
struct nk_key_table {
    /* The heading of docs/jobs.md under which the keys are documented. */
    const char *doc_heading;
    /* What docs/jobs.md writes before each key ("alerts." for alerts.on_failure), or "". */
    const char *doc_prefix;
    const nk_key *keys;
    size_t count;
    /* Keys the section also accepts, declared and checked there (a source's name and type). */
    const nk_key_table *base;
    /*
     * For the objects inside a key (load.peer_groups' groups): that key,
     * whose row of docs/jobs.md lists these keys; NULL for a section.
     */
    const char *doc_parent;
};

/* The rows of a table: keys, count. */
#define NK_KEY_ROWS(rows) rows, sizeof rows / sizeof rows[0]

/*
 * object must be an object with no key outside table (and its base) and
 * every required one ("unknown key", "required key is missing").
 */
int nk_check_keys_known(const nk_job *job, const json_t *object, const char *path,
                        const nk_key_table *table, nk_error *err);
/* The value of each key present has its row's type and bounds (base first). */
int nk_check_keys_values(const nk_job *job, const json_t *object, const char *path,
                         const nk_key_table *table, nk_error *err);
/* Both, known keys first. */
int nk_check_keys(const nk_job *job, const json_t *object, const char *path,
                  const nk_key_table *table, nk_error *err);

/*
 * The stored keys of table's own rows (not its base's) written into settings,
 * the section's struct: the value where the key is given, else its default.
 * object may be NULL (every default).  The job check has run, so the types
 * are right.
 */
void nk_read_keys(const json_t *object, const nk_key_table *table, void *settings);

/* The row of name in table or its base, or NULL. */
const nk_key *nk_key_find(const nk_key_table *table, const char *name);

/* The tables, one per section (lib/job/job_key_tables.c). */
extern const nk_key_table nk_keys_top;
extern const nk_key_table nk_keys_source;
extern const nk_key_table nk_keys_kolada_files;
extern const nk_key_table nk_keys_files;
extern const nk_key_table nk_keys_covers;
extern const nk_key_table nk_keys_kolada_api;
extern const nk_key_table nk_keys_raw_archive;
extern const nk_key_table nk_keys_transform;
extern const nk_key_table nk_keys_mapping;
extern const nk_key_table nk_keys_measure;
extern const nk_key_table nk_keys_warehouse;
extern const nk_key_table nk_keys_load;
extern const nk_key_table nk_keys_peer_group;
extern const nk_key_table nk_keys_pairing;
extern const nk_key_table nk_keys_alerts;
extern const nk_key_table nk_keys_metrics;
/* All of them, NULL-terminated: for the test that holds them to docs/jobs.md. */
extern const nk_key_table *const nk_key_tables[];

#endif
