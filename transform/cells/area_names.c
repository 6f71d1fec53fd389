/*
 * area_names.c: municipality names to codes (see area_names.h).
 *
 * Names live in a jansson object used as a hash table: normalised name →
 * code.  Damaged names are compared letter by letter with every name, which
 * is 600 comparisons for an unknown name and none for a known one.
 */
#include "transform/cells/area_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/exports/csv.h"
#include "transform/cells/names.h"

struct transform_areas {
    json_t *names; /* key → code */
    json_t *codes; /* code → first name seen, for messages */
    char *origin;  /* which list, for messages */
};

transform_areas *transform_areas_new(const char *origin)
{
    transform_areas *areas = calloc(1, sizeof *areas);

    if (areas) {
        areas->names = json_object();
        areas->codes = json_object();
        areas->origin = strdup(origin);
    }
    return areas;
}

void transform_areas_free(transform_areas *areas)
{
    if (areas == NULL)
        return;
    json_decref(areas->names);
    json_decref(areas->codes);
    free(areas->origin);
    free(areas);
}

static int is_code(const char *text)
{
    return strlen(text) == 4 && strspn(text, "0123456789") == 4;
}

int transform_areas_add(transform_areas *areas, const char *code, const char *name)
{
    char *key = transform_name_key(name, strlen(name));

    if (key == NULL || !is_code(code)) {
        free(key);
        return -1;
    }
    json_object_set_new(areas->names, key, json_string(code));
    if (json_object_get(areas->codes, code) == NULL)
        json_object_set_new(areas->codes, code, json_string(name));
    free(key);
    return 0;
}

int transform_areas_load_csv(transform_areas *areas, const char *data, size_t length,
                             char reason[TRANSFORM_AREA_REASON_MAX])
{
    transform_csv *csv = transform_csv_open_memory(data, length, ',', 0);
    char why[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    int rc;

    while ((rc = transform_csv_next(csv, &row, why)) == 1) {
        if (row->problem) {
            snprintf(reason, TRANSFORM_AREA_REASON_MAX, "%s", row->problem);
            transform_csv_close(csv);
            return -1;
        }
        if (row->line == 1)
            continue;
        if (row->count < 3 || transform_areas_add(areas, row->fields[0], row->fields[1]) < 0 ||
            transform_areas_add(areas, row->fields[0], row->fields[2]) < 0) {
            snprintf(reason, TRANSFORM_AREA_REASON_MAX,
                     "line %ld: expected code,name,short name,county", row->line);
            transform_csv_close(csv);
            return -1;
        }
    }
    if (rc < 0)
        snprintf(reason, TRANSFORM_AREA_REASON_MAX, "%s", why);
    transform_csv_close(csv);
    return rc;
}

int transform_areas_add_aliases(transform_areas *areas, const json_t *aliases)
{
    const char *name;
    json_t *code;

    json_object_foreach ((json_t *)aliases, name, code)
        if (transform_areas_add(areas, json_string_value(code), name) < 0)
            return -1;
    return 0;
}

/* Bytes of the UTF-8 character at p (1 for a stray byte). */
static size_t char_length(const unsigned char *p)
{
    if (*p >= 0xF0)
        return 4;
    if (*p >= 0xE0)
        return 3;
    if (*p >= 0xC0)
        return 2;
    return 1;
}

/*
 * Does damaged text t fit name n?  Where n has a non-ASCII letter, t may
 * have any one character, or "Ã" and one more (UTF-8 read as Windows-1252);
 * everywhere else the bytes must be equal.
 */
static int fits(const unsigned char *n, const unsigned char *t)
{
    while (*n && *t) {
        if (*n < 0x80) {
            if (*n++ != *t++)
                return 0;
            continue;
        }
        n += char_length(n);
        if (t[0] == 0xC3 && (t[1] == 0x83 || t[1] == 0xA3) && t[2] &&
            fits(n, t + 2 + char_length(t + 2)))
            return 1;
        t += char_length(t);
    }
    return *n == '\0' && *t == '\0';
}

int transform_area_resolve(const transform_areas *areas, const char *text, char code[5],
                           char reason[TRANSFORM_AREA_REASON_MAX])
{
    char *key = transform_name_key(text, strlen(text));
    const char *found = NULL, *name;
    json_t *value;
    int rc = 0;

    if (key && is_code(key) && json_object_get(areas->codes, key))
        found = json_object_get(areas->codes, key) ? key : NULL;
    else if (key && json_object_get(areas->names, key))
        found = json_string_value(json_object_get(areas->names, key));
    if (found) {
        snprintf(code, 5, "%s", found);
        free(key);
        return 1;
    }
    json_object_foreach (areas->names, name, value) {
        const char *candidate = json_string_value(value);
        if (key == NULL || !fits((const unsigned char *)name, (const unsigned char *)key))
            continue;
        if (found && strcmp(found, candidate) != 0) {
            snprintf(reason, TRANSFORM_AREA_REASON_MAX,
                     "municipality name \"%.60s\" fits both %s and %s", text, found, candidate);
            free(key);
            return -1;
        }
        found = candidate;
    }
    if (found) {
        snprintf(code, 5, "%s", found);
        rc = 1;
    } else {
        /* Which list: a name missing from a wrong or old file is not fixed by an alias. */
        snprintf(reason, TRANSFORM_AREA_REASON_MAX,
                 "unknown municipality \"%.40s\": not in %.60s, nor in transform.aliases", text,
                 areas->origin);
    }
    free(key);
    return rc;
}
