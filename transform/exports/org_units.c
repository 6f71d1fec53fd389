/*
 * org_units.c: the org-unit file and unit names (see org_units.h).
 *
 * Dates are compared as "YYYY-MM-DD" strings, which sort like dates.
 */
#include "transform/exports/org_units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/exports/csv.h"
#include "transform/cells/ids.h"
#include "transform/cells/names.h"
#include "lib/base/buffer.h"
#include "lib/base/pnr.h"

#define MAX_SUCCESSORS 16

enum org_column {
    UNIT_ID,
    TITLE,
    PARENT_ID,
    LEVEL,
    VALID_FROM,
    VALID_TO,
    SUCCESSOR_ID,
    NAMES,
    COLUMN_COUNT
};

static const char *const column_names[COLUMN_COUNT] = { "unit_id",      "title",      "parent_id",
                                                        "level",        "valid_from", "valid_to",
                                                        "successor_id", "names" };

static int out_of_memory(long line, char reason[TRANSFORM_ORG_REASON_MAX])
{
    snprintf(reason, TRANSFORM_ORG_REASON_MAX, "line %ld: out of memory", line);
    return -1;
}

/* *copy: the field of column, or NULL when it is absent or empty; -1 when out of memory. */
static int optional(const transform_row *row, const long *where, enum org_column column,
                    char **copy)
{
    long at = where[column];

    *copy = NULL;
    if (at < 0 || (size_t)at >= row->count || row->lengths[at] == 0)
        return 0;
    *copy = strdup(row->fields[at]);
    return *copy ? 0 : -1;
}

static int add_name(transform_org_unit *unit, const char *name, size_t length)
{
    if (nk_grow_array(&unit->names, sizeof *unit->names, unit->name_count + 1, &unit->name_capacity,
                      4) < 0)
        return -1;
    unit->names[unit->name_count] = transform_name_key(name, length);
    return unit->names[unit->name_count++] ? 0 : -1;
}

static int check_ids(const transform_org_unit *unit, long line,
                     char reason[TRANSFORM_ORG_REASON_MAX])
{
    const char *const ids[][2] = { { "unit_id", unit->unit_id },
                                   { "parent_id", unit->parent_id },
                                   { "successor_id", unit->successor_id } };
    char why[TRANSFORM_ID_REASON_MAX];

    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i][1] && transform_id_check(TRANSFORM_ID_INTERNAL, ids[i][0], ids[i][1], why) < 0) {
            snprintf(reason, TRANSFORM_ORG_REASON_MAX, "line %ld: %.150s", line, why);
            return -1;
        }
    return 0;
}

static int add_unit(transform_org_units *org, const transform_row *row, const long *where,
                    char reason[TRANSFORM_ORG_REASON_MAX])
{
    transform_org_unit *unit;
    const char *names;

    if (nk_grow_array(&org->units, sizeof *org->units, org->count + 1, &org->capacity, 16) < 0)
        return out_of_memory(row->line, reason);
    unit = &org->units[org->count++];
    memset(unit, 0, sizeof *unit);
    if (optional(row, where, UNIT_ID, &unit->unit_id) < 0 ||
        optional(row, where, TITLE, &unit->title) < 0 ||
        optional(row, where, PARENT_ID, &unit->parent_id) < 0 ||
        optional(row, where, LEVEL, &unit->level) < 0 ||
        optional(row, where, VALID_FROM, &unit->valid_from) < 0 ||
        optional(row, where, VALID_TO, &unit->valid_to) < 0 ||
        optional(row, where, SUCCESSOR_ID, &unit->successor_id) < 0)
        return out_of_memory(row->line, reason);
    if (unit->unit_id == NULL || unit->title == NULL) {
        snprintf(reason, TRANSFORM_ORG_REASON_MAX, "line %ld: unit_id and title must not be empty",
                 row->line);
        return -1;
    }
    if (check_ids(unit, row->line, reason) < 0)
        return -1;
    if (add_name(unit, unit->title, strlen(unit->title)) < 0)
        return out_of_memory(row->line, reason);
    names = where[NAMES] >= 0 && (size_t)where[NAMES] < row->count ? row->fields[where[NAMES]] : "";
    while (*names) {
        size_t length = strcspn(names, "|");
        if (length > 0 && add_name(unit, names, length) < 0)
            return out_of_memory(row->line, reason);
        names += length + (names[length] == '|');
    }
    return 0;
}

/*
 * Titles and names reach dim_ou and the BI views: a personal identity
 * number in any cell refuses the whole file, naming where it stands.  So
 * does an unreadable line: the units on it would be missing.
 */
static int guard_row(const transform_row *row, char reason[TRANSFORM_ORG_REASON_MAX])
{
    size_t at, length;

    if (row->problem) {
        snprintf(reason, TRANSFORM_ORG_REASON_MAX, "%s", row->problem);
        return -1;
    }
    for (size_t c = 0; c < row->count; c++)
        if (nk_pnr_find(row->fields[c], row->lengths[c], &at, &length) != NK_PNR_NONE) {
            snprintf(reason, TRANSFORM_ORG_REASON_MAX,
                     "line %ld, column %zu: holds a personal identity number; the org-unit "
                     "file is refused",
                     row->line, c + 1);
            return -1;
        }
    return 0;
}

static int read_header(const transform_row *row, long *where, char reason[TRANSFORM_ORG_REASON_MAX])
{
    for (int c = 0; c < COLUMN_COUNT; c++) {
        where[c] = -1;
        for (size_t i = 0; i < row->count; i++)
            if (transform_name_equal(row->fields[i], column_names[c]))
                where[c] = (long)i;
    }
    if (where[UNIT_ID] < 0 || where[TITLE] < 0) {
        snprintf(reason, TRANSFORM_ORG_REASON_MAX,
                 "line %ld: expected a header with unit_id and title", row->line);
        return -1;
    }
    return 0;
}

int transform_org_units_parse(transform_org_units *org, const char *data, size_t length,
                              char reason[TRANSFORM_ORG_REASON_MAX])
{
    char why[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    long where[COLUMN_COUNT];
    int rc, header = 1;
    transform_csv *csv;

    memset(org, 0, sizeof *org);
    if (length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        length -= 3;
    }
    csv = transform_csv_open_memory(data, length, 0, 0);
    if (csv == NULL)
        return out_of_memory(1, reason);
    while ((rc = transform_csv_next(csv, &row, why)) == 1) {
        if (guard_row(row, reason) < 0 || (header ? read_header(row, where, reason) < 0
                                                  : add_unit(org, row, where, reason) < 0)) {
            rc = -1;
            why[0] = '\0';
            break;
        }
        header = 0;
    }
    if (rc < 0 && why[0])
        snprintf(reason, TRANSFORM_ORG_REASON_MAX, "%s", why);
    transform_csv_close(csv);
    if (rc < 0)
        transform_org_units_free(org);
    return rc;
}

int transform_org_units_load(transform_org_units *org, const char *path,
                             char reason[TRANSFORM_ORG_REASON_MAX])
{
    FILE *file = fopen(path, "rb");
    char *data = NULL;
    size_t length = 0;
    int rc = -1;

    memset(org, 0, sizeof *org);
    if (file == NULL) {
        snprintf(reason, TRANSFORM_ORG_REASON_MAX, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fseek(file, 0, SEEK_END) == 0 && ftell(file) >= 0) {
        length = (size_t)ftell(file);
        rewind(file);
        data = malloc(length + 1);
        if (data && fread(data, 1, length, file) == length)
            rc = transform_org_units_parse(org, data, length, reason);
        else
            snprintf(reason, TRANSFORM_ORG_REASON_MAX, "cannot read: %s", strerror(errno));
    }
    free(data);
    fclose(file);
    return rc;
}

void transform_org_units_free(transform_org_units *org)
{
    for (size_t i = 0; i < org->count; i++) {
        transform_org_unit *u = &org->units[i];
        free(u->unit_id);
        free(u->title);
        free(u->parent_id);
        free(u->level);
        free(u->valid_from);
        free(u->valid_to);
        free(u->successor_id);
        for (size_t k = 0; k < u->name_count; k++)
            free(u->names[k]);
        free(u->names);
    }
    free(org->units);
    memset(org, 0, sizeof *org);
}

static int valid_during(const transform_org_unit *unit, const char *first, const char *last)
{
    return (unit->valid_from == NULL || strcmp(unit->valid_from, last) <= 0) &&
           (unit->valid_to == NULL || strcmp(unit->valid_to, first) >= 0);
}

static const transform_org_unit *by_id(const transform_org_units *org, const char *id)
{
    for (size_t i = 0; i < org->count; i++)
        if (strcmp(org->units[i].unit_id, id) == 0)
            return &org->units[i];
    return NULL;
}

static int named(const transform_org_unit *unit, const char *key)
{
    for (size_t k = 0; k < unit->name_count; k++)
        if (strcmp(unit->names[k], key) == 0)
            return 1;
    return 0;
}

/* A unit that had ended before first, followed to the successor valid then. */
static const transform_org_unit *follow(const transform_org_units *org,
                                        const transform_org_unit *unit, const char *first,
                                        const char *last)
{
    for (int hops = 0; unit && hops < MAX_SUCCESSORS; hops++) {
        if (valid_during(unit, first, last))
            return unit;
        if (unit->valid_to == NULL || strcmp(unit->valid_to, first) >= 0 ||
            unit->successor_id == NULL)
            return NULL;
        unit = by_id(org, unit->successor_id);
    }
    return NULL;
}

const transform_org_unit *transform_org_unit_resolve(const transform_org_units *org,
                                                     const char *name, const char *first,
                                                     const char *last,
                                                     char reason[TRANSFORM_ORG_REASON_MAX])
{
    char *key = transform_name_key(name, strlen(name));
    const transform_org_unit *by_unit_id = by_id(org, name), *found = by_unit_id, *candidate;
    int known = found != NULL;

    for (size_t i = 0; by_unit_id == NULL && key && i < org->count; i++) {
        if (!named(&org->units[i], key))
            continue;
        known = 1;
        candidate = follow(org, &org->units[i], first, last);
        if (candidate && found && candidate != found) {
            snprintf(reason, TRANSFORM_ORG_REASON_MAX, "unit \"%.60s\" means both %.40s and %.40s",
                     name, found->unit_id, candidate->unit_id);
            free(key);
            return NULL;
        }
        found = candidate ? candidate : found;
    }
    free(key);
    if (found && !valid_during(found, first, last))
        found = follow(org, found, first, last);
    if (found == NULL)
        snprintf(reason, TRANSFORM_ORG_REASON_MAX,
                 known ? "unit \"%.60s\" did not exist from %s to %s"
                       : "unit \"%.60s\" is not in the org-unit file (%s to %s)",
                 name, first, last);
    return found;
}
