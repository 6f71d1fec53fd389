/*
 * job_keys_docs_test.c: the key tables (lib/job/job_key_tables.c) and
 * docs/jobs.md say the same: every key a table declares is documented in a
 * key table of docs/jobs.md under its section's heading, and every key the
 * docs document there is declared by a table of that section.  A key added
 * on one side only fails here, naming it, rather than in a user's job.
 *
 * A key table of the docs is a Markdown table whose header starts
 * "| key |"; its keys are the `quoted` words of each row's first cell
 * ("`backoff_seconds`, `backoff_max_seconds`" documents two).  A section
 * runs from its heading to the next heading of the same or a higher level.
 * A key's row also gives its default, as a word of the row (300, "auto",
 * false), so that a default changed in the table alone fails too.
 * The keys of the objects inside a key (load.peer_groups' groups, a
 * mapping's measures) are listed in that key's row, and are looked for
 * there.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"

#define DOCS "docs/jobs.md"
#define MAX_HEADINGS 200
#define MAX_KEYS 600

typedef struct heading {
    char text[160]; /* with its hashes: "### type \"kolada-api\"" */
    int level, first, last;
} heading;

typedef struct documented {
    char name[80];
    char *row; /* the whole row: where the keys of the objects inside it are listed */
    int line;
    int claimed; /* declared by a table of its section */
} documented;

typedef struct docs {
    heading headings[MAX_HEADINGS];
    size_t heading_count;
    documented keys[MAX_KEYS];
    size_t key_count;
} docs;

/* The `quoted` words of a key-table row's first cell. */
static void add_row_keys(docs *d, const char *row, int line)
{
    const char *end = strchr(row + 1, '|'), *p = row;

    while ((p = strchr(p, '`')) != NULL && p < end) {
        const char *close = strchr(p + 1, '`');
        assert_non_null(close);
        assert_true(d->key_count < MAX_KEYS);
        documented *k = &d->keys[d->key_count++];
        snprintf(k->name, sizeof k->name, "%.*s", (int)(close - p - 1), p + 1);
        k->row = strdup(row);
        k->line = line;
        k->claimed = 0;
        p = close + 1;
    }
}

static void add_heading(docs *d, const char *text, int line)
{
    int level = (int)strspn(text, "#");

    /* The open sections this heading closes end on the line before it. */
    for (size_t i = 0; i < d->heading_count; i++)
        if (d->headings[i].last == 0 && d->headings[i].level >= level)
            d->headings[i].last = line - 1;
    assert_true(d->heading_count < MAX_HEADINGS);
    heading *h = &d->headings[d->heading_count++];
    snprintf(h->text, sizeof h->text, "%.*s", (int)strcspn(text, "\n"), text);
    h->level = level;
    h->first = line;
    h->last = 0;
}

static void read_docs(docs *d)
{
    FILE *f = fopen(DOCS, "r");
    char text[4096];
    int line = 0, fenced = 0, in_key_table = 0;

    assert_non_null(f);
    memset(d, 0, sizeof *d);
    while (fgets(text, sizeof text, f)) {
        line++;
        if (strncmp(text, "```", 3) == 0)
            fenced = !fenced;
        else if (!fenced && text[0] == '#')
            add_heading(d, text, line);
        else if (strncmp(text, "| key |", 7) == 0)
            in_key_table = 1;
        else if (text[0] != '|')
            in_key_table = 0;
        else if (in_key_table && strncmp(text, "| ---", 5) != 0)
            add_row_keys(d, text, line);
    }
    for (size_t i = 0; i < d->heading_count; i++)
        if (d->headings[i].last == 0)
            d->headings[i].last = line;
    fclose(f);
}

static const heading *find_heading(const docs *d, const char *text)
{
    for (size_t i = 0; i < d->heading_count; i++)
        if (strcmp(d->headings[i].text, text) == 0)
            return &d->headings[i];
    return NULL;
}

/* Does row name key as a word ("id" in {"id", "title"}, not in "ids")? */
static int names_word(const char *row, const char *key)
{
    size_t length = strlen(key);

    for (const char *p = strstr(row, key); p; p = strstr(p + 1, key)) {
        int before = p > row && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int after = isalnum((unsigned char)p[length]) || p[length] == '_';
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* Does a row within h that documents prefix+name also name word? */
static int row_names(const docs *d, const heading *h, const char *prefix, const char *name,
                     const char *word)
{
    char full[120];

    snprintf(full, sizeof full, "%s%s", prefix, name);
    for (size_t i = 0; i < d->key_count; i++)
        if (strcmp(d->keys[i].name, full) == 0 && d->keys[i].line >= h->first &&
            d->keys[i].line <= h->last && names_word(d->keys[i].row, word))
            return 1;
    return 0;
}

/* Is key, of a table of the objects inside a key, listed in that key's row within h? */
static int listed_in_parent(const docs *d, const heading *h, const nk_key_table *t, const char *key)
{
    return row_names(d, h, t->doc_prefix, t->doc_parent, key);
}

/* The default of key as the docs would write it, or NULL when it has none to check. */
static const char *default_word(const nk_key *key, char *out, size_t size)
{
    switch (key->type) {
    case NK_KEY_INTEGER:
    case NK_KEY_NUMBER:
        if (key->number_default == 0) /* 0 is "none" as often as it is a value */
            return NULL;
        snprintf(out, size, "%g", key->number_default);
        return out;
    case NK_KEY_BOOLEAN:
        return key->number_default ? "true" : "false";
    case NK_KEY_STRING:
    case NK_KEY_CHOICE:
        return key->text_default;
    default:
        return NULL;
    }
}

/* Does the row that documents key within h name its default? */
static int gives_default(const docs *d, const heading *h, const nk_key_table *t, const nk_key *key)
{
    char number[32];
    const char *word = default_word(key, number, sizeof number);

    return word == NULL || row_names(d, h, t->doc_prefix, key->name, word);
}

/* Is key (with the table's prefix) documented within h?  Marks it claimed. */
static int documented_in(docs *d, const heading *h, const char *prefix, const char *key)
{
    char name[120];
    int found = 0;

    snprintf(name, sizeof name, "%s%s", prefix, key);
    for (size_t i = 0; i < d->key_count; i++) {
        if (strcmp(d->keys[i].name, name) == 0 && d->keys[i].line >= h->first &&
            d->keys[i].line <= h->last) {
            d->keys[i].claimed = 1;
            found = 1;
        }
    }
    return found;
}

static void every_key_is_documented_and_declared(void **state)
{
    static docs d;
    int failures = 0;

    (void)state;
    read_docs(&d);
    assert_true(d.key_count > 50);
    for (const nk_key_table *const *t = nk_key_tables; *t; t++) {
        const heading *h = find_heading(&d, (*t)->doc_heading);
        if (h == NULL) {
            printf("%s: no heading %s\n", DOCS, (*t)->doc_heading);
            failures++;
            continue;
        }
        for (size_t i = 0; i < (*t)->count; i++) {
            const char *key = (*t)->keys[i].name;
            if ((*t)->doc_parent ? !listed_in_parent(&d, h, *t, key)
                                 : !documented_in(&d, h, (*t)->doc_prefix, key)) {
                printf("%s:%d: key %s%s%s%s is declared but not documented under %s\n", DOCS,
                       h->first, (*t)->doc_prefix, (*t)->doc_parent ? (*t)->doc_parent : "",
                       (*t)->doc_parent ? "[]." : "", key, h->text);
                failures++;
            }
        }
    }
    for (size_t i = 0; i < d.key_count; i++) {
        if (!d.keys[i].claimed) {
            printf("%s:%d: key %s is documented but no key table of its section declares it\n",
                   DOCS, d.keys[i].line, d.keys[i].name);
            failures++;
        }
    }
    for (size_t i = 0; i < d.key_count; i++)
        free(d.keys[i].row);
    assert_int_equal(failures, 0);
}

/* The defaults of a section's keys (not of the objects inside a key, told in prose). */
static void every_default_is_the_documented_one(void **state)
{
    static docs d;
    int failures = 0;

    (void)state;
    read_docs(&d);
    for (const nk_key_table *const *t = nk_key_tables; *t; t++) {
        const heading *h = find_heading(&d, (*t)->doc_heading);
        for (size_t i = 0; h && !(*t)->doc_parent && i < (*t)->count; i++) {
            if (!gives_default(&d, h, *t, &(*t)->keys[i])) {
                printf("%s: the row of %s%s under %s does not give its default\n", DOCS,
                       (*t)->doc_prefix, (*t)->keys[i].name, h->text);
                failures++;
            }
        }
    }
    for (size_t i = 0; i < d.key_count; i++)
        free(d.keys[i].row);
    assert_int_equal(failures, 0);
}

/* A key declared twice in one section would be checked by one row and read by the other. */
static void no_key_is_declared_twice(void **state)
{
    (void)state;
    for (const nk_key_table *const *t = nk_key_tables; *t; t++)
        for (size_t i = 0; i < (*t)->count; i++)
            assert_ptr_equal(nk_key_find(*t, (*t)->keys[i].name), &(*t)->keys[i]);
}

/* What a stage reads when the job says nothing, and when it says something. */
static void settings_are_the_value_or_the_default(void **state)
{
    nk_warehouse_settings warehouse;
    nk_kolada_api_settings api;
    json_t *given = json_pack("{s:i, s:b, s:f}", "url_max_length", 4000, "incremental", 0,
                              "rate_limit", 0.5);

    (void)state;
    nk_read_keys(NULL, &nk_keys_warehouse, &warehouse);
    assert_null(warehouse.conninfo);
    assert_string_equal(warehouse.lock, "wait");
    assert_int_equal(warehouse.lock_timeout, 300);
    nk_read_keys(given, &nk_keys_kolada_api, &api);
    assert_int_equal(api.url_max_length, 4000);
    assert_int_equal(api.incremental, 0);
    assert_true(api.rate_limit == 0.5);
    assert_int_equal(api.api_version, 3);
    assert_int_equal(api.max_body_mb, 1024);
    json_decref(given);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_is_documented_and_declared),
        cmocka_unit_test(every_default_is_the_documented_one),
        cmocka_unit_test(no_key_is_declared_twice),
        cmocka_unit_test(settings_are_the_value_or_the_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
