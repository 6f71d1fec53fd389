/*
 * export_mapping.c: a job's export mapping made ready to use (see
 * export_mapping.h).
 */
#include "transform/exports/export_mapping.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"
#include "transform/cells/names.h"
#include "transform/cells/period.h"

static const char *const role_names[TRANSFORM_ROLE_COUNT] = {
    "area",   "administration", "service_area", "unit",      "measure",
    "period", "scenario",       "gender",       "breakdown", "value"
};

const char *transform_role_name(transform_role role)
{
    return role_names[role];
}

static int role_of(const char *name)
{
    for (int r = 0; r < TRANSFORM_ROLE_COUNT; r++)
        if (strcmp(role_names[r], name) == 0)
            return r;
    return -1;
}

static char *read_whole(const char *path, size_t *length, nk_error *err)
{
    FILE *file = fopen(path, "rb");
    char *data = NULL;
    long size;

    if (file == NULL) {
        nk_fail(err, errno == ENOENT ? NK_EXIT_NOINPUT : NK_EXIT_IOERR, "%s: cannot open: %s", path,
                strerror(errno));
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0) {
        rewind(file);
        data = malloc((size_t)size + 1);
        if (data && fread(data, 1, (size_t)size, file) == (size_t)size) {
            *length = (size_t)size;
            fclose(file);
            return data;
        }
    }
    nk_fail(err, NK_EXIT_IOERR, "%s: cannot read: %s", path, strerror(errno));
    free(data);
    fclose(file);
    return NULL;
}

/* The job's transform.municipalities, else the list built into nyckel-transform. */
static int load_areas(const nk_job *job, transform_mapping *m, nk_error *err)
{
    const json_t *section = nk_job_section(job, "transform");
    const char *given = json_string_value(json_object_get(section, "municipalities"));
    char *path = given ? nk_job_resolve_path(job, given) : NULL;
    char reason[TRANSFORM_AREA_REASON_MAX];
    size_t length = transform_builtin_municipalities_length;
    const char *data = transform_builtin_municipalities;
    char *read = NULL;
    int rc = 0;

    m->areas = transform_areas_new(path ? path : "the built-in list");
    if (path)
        data = read = read_whole(path, &length, err);
    if (data == NULL ||
        (transform_areas_load_csv(m->areas, data, length, reason) < 0 &&
         nk_fail(err, NK_EXIT_DATA, "%s: %s", path ? path : "built-in list", reason) < 0))
        rc = -1;
    if (rc == 0 && transform_areas_add_aliases(m->areas, json_object_get(section, "aliases")) < 0)
        rc = nk_fail(err, NK_EXIT_CONFIG, "transform.aliases: expected names of four-digit codes");
    free(read);
    free(path);
    return rc;
}

static int load_org_units(const nk_job *job, transform_mapping *m, nk_error *err)
{
    const char *given = json_string_value(json_object_get(m->json, "org_units"));
    char reason[TRANSFORM_ORG_REASON_MAX];
    char *path;
    int rc = 0;

    if (given == NULL)
        return 0;
    path = nk_job_resolve_path(job, given);
    if (!nk_file_exists(path))
        rc = nk_fail(err, NK_EXIT_NOINPUT, "%s: org-unit file of mapping \"%s\" not found", path,
                     m->name);
    else if (transform_org_units_load(&m->org, path, reason) < 0)
        rc = nk_fail(err, NK_EXIT_DATA, "%s: %s", path, reason);
    else
        m->has_org = 1;
    free(path);
    return rc;
}

static void read_roles(transform_mapping *m)
{
    const json_t *columns = json_object_get(m->json, "columns");
    const json_t *constants = json_object_get(m->json, "constants");
    const json_t *header_roles = json_object_get(m->json, "header_roles");
    const char *key;
    json_t *value;

    json_object_foreach ((json_t *)columns, key, value)
        if (role_of(key) >= 0)
            m->columns[role_of(key)] = json_string_value(value);
    json_object_foreach ((json_t *)constants, key, value)
        if (role_of(key) >= 0)
            m->constants[role_of(key)] = json_string_value(value);
    m->header_roles[0] = m->header_roles[1] = -1;
    for (size_t i = 0; i < json_array_size(header_roles) && i < 2; i++)
        m->header_roles[i] = role_of(json_string_value(json_array_get(header_roles, i)));
}

/* The mapping's keys, or the defaults of their table (lib/job/job_key_tables.c). */
static void read_settings(transform_mapping *m)
{
    nk_mapping_settings keys;

    nk_read_keys(m->json, &nk_keys_mapping, &keys);
    m->format = keys.format == NULL                ? TRANSFORM_FORMAT_BY_NAME
                : strcmp(keys.format, "xlsx") == 0 ? TRANSFORM_FORMAT_XLSX
                                                   : TRANSFORM_FORMAT_CSV;
    transform_encoding_from_name(keys.encoding, &m->encoding);
    m->separator = strcmp(keys.separator, "auto") != 0 ? keys.separator[0] : 0;
    m->decimal_mark = keys.decimal_mark[0];
    m->sheet = keys.sheet;
    m->skip_lines = (int)keys.skip_lines;
    m->header_rows = (int)keys.header_rows;
    m->records = strcmp(keys.layout, "rows") == 0;
    m->wide = m->records || strcmp(keys.layout, "wide") == 0;
    m->files = keys.files;
    m->fill_all = json_is_true(keys.fill_down);
    m->fill_down = json_is_array(keys.fill_down) ? keys.fill_down : NULL;
    m->total_rows = keys.total_rows;
    m->personal_numbers = keys.personal_numbers;
    m->amount_all = json_is_true(keys.amount_columns);
    m->amount_columns = json_is_array(keys.amount_columns) ? keys.amount_columns : NULL;
    m->measures = keys.measures;
    m->ignore_columns = keys.ignore_columns;
    m->unmapped_error = strcmp(keys.unmapped_columns, "error") == 0;
    m->year = (int)keys.year;
    m->max_field = (size_t)keys.max_field_kb * 1024;
    m->small_counts_below = (double)keys.small_counts_below;
}

/*
 * A row-level mapping reads its header as one row of measures, and sums
 * months up to the periods "totals" names (default: the year) from the
 * records themselves, never from the months' figures.
 */
static unsigned total_bit(const char *period)
{
    static const char *const names[] = { [TRANSFORM_PERIOD_YEAR] = "year",
                                         [TRANSFORM_PERIOD_HALF] = "half_year",
                                         [TRANSFORM_PERIOD_QUARTER] = "quarter" };

    for (int g = 0; g < 3; g++)
        if (strcmp(period, names[g]) == 0)
            return 1u << g;
    return 0;
}

static void read_records_settings(transform_mapping *m)
{
    const json_t *totals = json_object_get(m->json, "totals");
    size_t i;
    json_t *item;

    if (!m->records)
        return;
    m->header_roles[0] = TRANSFORM_ROLE_MEASURE;
    m->totals = totals ? 0 : total_bit(nk_key_find(&nk_keys_mapping, "totals")->text_default);
    json_array_foreach (totals, i, item)
        m->totals |= total_bit(json_string_value(item));
}

int transform_mapping_load(const nk_job *job, const char *name, transform_mapping *m, nk_error *err)
{
    const json_t *mappings = json_object_get(nk_job_section(job, "transform"), "mappings");

    memset(m, 0, sizeof *m);
    m->name = name;
    m->json = json_object_get(mappings, name);
    if (m->json == NULL)
        return nk_fail(err, NK_EXIT_CONFIG, "%s: no mapping \"%s\" in transform.mappings",
                       job->path, name);
    read_settings(m);
    read_roles(m);
    read_records_settings(m);
    if (load_org_units(job, m, err) < 0 || load_areas(job, m, err) < 0) {
        transform_mapping_free(m);
        return -1;
    }
    return 0;
}

void transform_mapping_free(transform_mapping *m)
{
    if (m->has_org)
        transform_org_units_free(&m->org);
    transform_areas_free(m->areas);
    m->areas = NULL;
    m->has_org = 0;
}

int transform_mapping_wants(const transform_mapping *m, const char *file_name)
{
    size_t i;
    json_t *pattern;

    if (m->files == NULL)
        return 1;
    if (json_is_string(m->files))
        return fnmatch(json_string_value(m->files), file_name, FNM_CASEFOLD) == 0;
    json_array_foreach (m->files, i, pattern)
        if (fnmatch(json_string_value(pattern), file_name, FNM_CASEFOLD) == 0)
            return 1;
    return 0;
}

int transform_mapping_is_total(const transform_mapping *m, const char *cell)
{
    static const char *const defaults[] = { "totalt*", "total", "summa*", "s:a*", NULL };
    char *key = transform_name_key(cell, strlen(cell));
    int total = 0;
    size_t i;
    json_t *pattern;

    if (key == NULL || key[0] == '\0') {
        free(key);
        return 0;
    }
    if (m->total_rows == NULL)
        for (const char *const *d = defaults; *d && !total; d++)
            total = fnmatch(*d, key, FNM_CASEFOLD) == 0;
    json_array_foreach (m->total_rows, i, pattern) {
        char *p = transform_name_key(json_string_value(pattern), json_string_length(pattern));
        total |= p && fnmatch(p, key, FNM_CASEFOLD) == 0;
        free(p);
    }
    free(key);
    return total;
}

/* The words of text (names.h keys), each checked against a table. */
static const char *word_lookup(const char *text, const char *const table[][2], const char *what,
                               char reason[TRANSFORM_REASON_MAX])
{
    char *key = transform_name_key(text, strlen(text)), *word, *save = NULL;
    const char *found = NULL;

    for (word = key ? strtok_r(key, " /-,.()", &save) : NULL; word;
         word = strtok_r(NULL, " /-,.()", &save)) {
        for (size_t i = 0; table[i][0]; i++) {
            if (strcmp(word, table[i][0]) != 0)
                continue;
            if (found && strcmp(found, table[i][1]) != 0) {
                snprintf(reason, TRANSFORM_REASON_MAX, "\"%.60s\" names two %ss", text, what);
                free(key);
                return NULL;
            }
            found = table[i][1];
        }
    }
    free(key);
    if (found == NULL)
        snprintf(reason, TRANSFORM_REASON_MAX, "\"%.60s\" names no %s", text, what);
    return found;
}

const char *transform_scenario_of(const char *text, char reason[TRANSFORM_REASON_MAX])
{
    static const char *const words[][2] = {
        { "utfall", "outcome" },    { "bokfört", "outcome" },
        { "bokfort", "outcome" },   { "bokföring", "outcome" },
        { "outcome", "outcome" },   { "actual", "outcome" },
        { "budget", "budget" },     { "prognos", "forecast" },
        { "forecast", "forecast" }, { NULL, NULL },
    };
    return word_lookup(text, words, "scenario (utfall, budget, prognos)", reason);
}

const char *transform_gender_of(const char *text, char reason[TRANSFORM_REASON_MAX])
{
    static const char *const words[][2] = {
        { "t", "T" },        { "totalt", "T" }, { "total", "T" },   { "alla", "T" },
        { "samtliga", "T" }, { "k", "K" },      { "kvinnor", "K" }, { "kvinna", "K" },
        { "flickor", "K" },  { "m", "M" },      { "män", "M" },     { "man", "M" },
        { "pojkar", "M" },   { NULL, NULL },
    };
    return word_lookup(text, words, "gender (T, K, M)", reason);
}

/* A title cut to the room it has, never inside a UTF-8 character. */
static void copy_title(char *title, size_t size, const char *text)
{
    size_t length = strlen(text);

    if (length >= size) {
        length = size - 1;
        while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80)
            length--;
    }
    memcpy(title, text, length);
    title[length] = '\0';
}

static int measure_from(const char *id, const json_t *def, transform_measure *measure,
                        char reason[TRANSFORM_REASON_MAX])
{
    nk_measure_settings keys;
    const char *title, *unit;
    char why[TRANSFORM_ID_REASON_MAX];

    nk_read_keys(def, &nk_keys_measure, &keys);
    title = keys.title;
    unit = keys.unit;
    memset(measure, 0, sizeof *measure);
    if (transform_id_check(TRANSFORM_ID_INTERNAL, "measure", id, why) < 0) {
        snprintf(reason, TRANSFORM_REASON_MAX, "%.150s", why);
        return -1;
    }
    memcpy(measure->id, id, strlen(id) + 1);
    copy_title(measure->title, sizeof measure->title, title ? title : id);
    snprintf(measure->unit_name, sizeof measure->unit_name, "%s", unit ? unit : "");
    if (unit == NULL || transform_unit_parse(unit, &measure->unit) < 0)
        memset(&measure->unit, 0, sizeof measure->unit);
    measure->aggregate = strcmp(keys.aggregate, "count_rows") == 0 ? TRANSFORM_AGGREGATE_COUNT_ROWS
                         : strcmp(keys.aggregate, "count_people") == 0
                             ? TRANSFORM_AGGREGATE_COUNT_PEOPLE
                             : TRANSFORM_AGGREGATE_SUM;
    measure->person_column = keys.column;
    return 0;
}

static int names_measure(const char *id, const json_t *def, const char *text)
{
    size_t i;
    json_t *name;

    if (transform_name_equal(id, text) ||
        (json_object_get(def, "title") &&
         transform_name_equal(json_string_value(json_object_get(def, "title")), text)))
        return 1;
    json_array_foreach (json_object_get(def, "names"), i, name)
        if (transform_name_equal(json_string_value(name), text))
            return 1;
    return 0;
}

static const json_t *find_measure(const transform_mapping *m, const char *text, const char **id)
{
    json_t *def;

    json_object_foreach ((json_t *)m->measures, *id, def)
        if (names_measure(*id, def, text))
            return def;
    return NULL;
}

/*
 * Split "Kostnad (kr)" or "Belopp tkr" into its title and the unit after
 * it; 0 when the header ends in no bracket and no unit word.
 */
static int split_unit(const char *text, char title[256], char unit[64])
{
    static const char *const counts[] = { "antal", "st", "dygn", "timmar", "personer", NULL };
    const char *open = strrchr(text, '('), *space = strrchr(text, ' ');
    size_t length = strlen(text);
    transform_unit parsed;

    while (length > 0 && text[length - 1] == ' ')
        length--;
    if (open && length > 0 && text[length - 1] == ')') {
        snprintf(title, 256, "%.*s", (int)(open - text), text);
        snprintf(unit, 64, "%.*s", (int)(text + length - 1 - open - 1), open + 1);
        return 1;
    }
    if (space == NULL || space[1] == '\0')
        return 0;
    snprintf(title, 256, "%.*s", (int)(space - text), text);
    snprintf(unit, 64, "%s", space + 1);
    for (const char *const *c = counts; *c; c++)
        if (transform_name_equal(*c, unit))
            return 1;
    return transform_unit_parse(unit, &parsed) == 0;
}

/*
 * Does the header's unit fit the measure's?  Money and percent must be of
 * the same kind (tkr into kr is converted); a word must be the measure's own
 * unit, except "antal" and "st", which fit any measure that is no money or
 * percent.
 */
static int unit_fits(const char *unit, const transform_measure *measure)
{
    transform_unit parsed;

    if (transform_unit_parse(unit, &parsed) == 0)
        return parsed.kind == measure->unit.kind && strcmp(parsed.per, measure->unit.per) == 0;
    if (measure->unit_name[0] == '\0' || transform_name_equal(unit, measure->unit_name))
        return 1;
    return measure->unit.kind == TRANSFORM_UNIT_NONE &&
           (transform_name_equal(unit, "antal") || transform_name_equal(unit, "st"));
}

static int measure_with_unit(const transform_mapping *m, const char *text,
                             transform_measure *measure, char reason[TRANSFORM_REASON_MAX])
{
    char title[256], unit[64];
    const char *id;
    const json_t *def;

    if (!split_unit(text, title, unit) || (def = find_measure(m, title, &id)) == NULL) {
        snprintf(reason, TRANSFORM_REASON_MAX, "measure \"%.60s\" is not in the mapping's measures",
                 text);
        return -1;
    }
    if (measure_from(id, def, measure, reason) < 0)
        return -1;
    if (unit_fits(unit, measure))
        return 0;
    snprintf(reason, TRANSFORM_REASON_MAX,
             "header \"%.50s\" is in %.20s but measure %.30s is in %.20s", text, unit, measure->id,
             measure->unit_name[0] ? measure->unit_name : "no unit");
    return -2;
}

int transform_measure_of(const transform_mapping *m, const char *text, transform_measure *measure,
                         char reason[TRANSFORM_REASON_MAX])
{
    const char *id;
    const json_t *def;

    if (m->measures == NULL) {
        char *key = transform_name_key(text, strlen(text));
        int rc = measure_from(key ? key : "", NULL, measure, reason);
        free(key);
        if (rc == 0)
            copy_title(measure->title, sizeof measure->title, text);
        return rc;
    }
    if ((def = find_measure(m, text, &id)) != NULL)
        return measure_from(id, def, measure, reason);
    return measure_with_unit(m, text, measure, reason);
}

int transform_mapping_ignores(const transform_mapping *m, const char *column_name)
{
    size_t i;
    json_t *name;

    json_array_foreach (m->ignore_columns, i, name)
        if (transform_name_equal(json_string_value(name), column_name))
            return 1;
    return 0;
}
