/*
 * export_mapping.h: a job's mapping for internal exports, made ready to use
 * (transform.mappings.NAME; every key is described in docs/jobs.md).
 *
 * lib/job/job_mapping.c has already checked the keys and their types; what is
 * left to fail here is what needs more than the job file: the org-unit file,
 * the municipality list and the units of measures.
 */
#ifndef NYCKEL_EXPORT_MAPPING_H
#define NYCKEL_EXPORT_MAPPING_H

#include <jansson.h>

#include "transform/cells/area_names.h"
#include "transform/cells/encoding.h"
#include "lib/base/error.h"
#include "transform/cells/ids.h"
#include "lib/job/job.h"
#include "transform/cells/number.h"
#include "transform/exports/org_units.h"

typedef enum transform_role {
    TRANSFORM_ROLE_AREA,
    TRANSFORM_ROLE_ADMINISTRATION,
    TRANSFORM_ROLE_SERVICE_AREA,
    TRANSFORM_ROLE_UNIT,
    TRANSFORM_ROLE_MEASURE,
    TRANSFORM_ROLE_PERIOD,
    TRANSFORM_ROLE_SCENARIO,
    TRANSFORM_ROLE_GENDER,
    TRANSFORM_ROLE_BREAKDOWN,
    TRANSFORM_ROLE_VALUE,
    TRANSFORM_ROLE_COUNT
} transform_role;

typedef enum transform_format {
    TRANSFORM_FORMAT_BY_NAME,
    TRANSFORM_FORMAT_CSV,
    TRANSFORM_FORMAT_XLSX
} transform_format;

typedef struct transform_mapping {
    const char *name;
    const json_t *json;
    const json_t *files; /* patterns on the file name, or NULL for every file */
    transform_format format;
    transform_encoding encoding;
    char separator;    /* 0: detect */
    char decimal_mark; /* ',' or '.' */
    const char *sheet; /* NULL: the first */
    int skip_lines;
    int header_rows; /* 1 or 2 */
    int wide;
    int records; /* layout "rows": each row is one record, summed and counted (record_totals.h) */
    int header_roles[2]; /* a transform_role per header row, or -1 to ignore it */
    const char *columns[TRANSFORM_ROLE_COUNT];   /* header names, or NULL */
    const char *constants[TRANSFORM_ROLE_COUNT]; /* values, or NULL */
    const json_t *fill_down;                     /* list of header names, or NULL */
    int fill_all;                                /* fill_down: true */
    const json_t *total_rows;                    /* patterns, or NULL for the defaults */
    const json_t *personal_numbers;              /* header names, or NULL */
    const json_t *amount_columns;                /* header names, or NULL */
    int amount_all;                              /* amount_columns: true */
    const json_t *measures;                      /* id → {title, unit, names}, or NULL */
    const json_t *ignore_columns;                /* header names, or NULL */
    int unmapped_error;                          /* unmapped_columns: "error" */
    double small_counts_below;                   /* counts of people under this are flagged */
    unsigned totals;                             /* bit per transform_granularity summed up to */
    int year;                                    /* context year, 0 when none */
    size_t max_field;
    transform_org_units org;
    int has_org;
    transform_areas *areas;
} transform_mapping;

/* The mapping the source's "mapping" names, with its files loaded. */
int transform_mapping_load(const nk_job *job, const char *name, transform_mapping *mapping,
                           nk_error *err);
void transform_mapping_free(transform_mapping *mapping);

const char *transform_role_name(transform_role role);

/* Does the file name match the mapping's "files" (or is there none)? */
int transform_mapping_wants(const transform_mapping *mapping, const char *file_name);

/* Is the cell a total row's label ("Totalt", "Summa ...")? */
int transform_mapping_is_total(const transform_mapping *mapping, const char *cell);

/* "outcome", "budget" or "forecast" from Swedish or English words; NULL with reason. */
const char *transform_scenario_of(const char *text, char reason[TRANSFORM_REASON_MAX]);

/* "T", "K" or "M"; NULL with reason. */
const char *transform_gender_of(const char *text, char reason[TRANSFORM_REASON_MAX]);

/* How a row-level mapping makes a measure's figure from its records. */
typedef enum transform_aggregate {
    TRANSFORM_AGGREGATE_SUM,         /* the sum of the measure's column */
    TRANSFORM_AGGREGATE_COUNT_ROWS,  /* the number of records */
    TRANSFORM_AGGREGATE_COUNT_PEOPLE /* distinct personal identity numbers in "column" */
} transform_aggregate;

/*
 * The measure a cell or header names: by id, title or one of its names
 * when the mapping lists measures (NULL with reason when it is none of
 * them), else the text itself is the id.  A header may carry the unit after
 * the title ("Kostnad (kr)", "Belopp tkr", "Vårddygn (antal)"): it then
 * names the measure of that title when the unit fits the measure's, and is
 * an error (-2, with reason) when it does not.
 */
typedef struct transform_measure {
    char id[TRANSFORM_INTERNAL_ID_MAX + 1];
    char title[256];
    char unit_name[32];  /* "" when the measure has no unit */
    transform_unit unit; /* kind NONE when unit_name is no money or percent unit */
    transform_aggregate aggregate;
    const char *person_column; /* COUNT_PEOPLE: the declared personal-number column */
} transform_measure;

int transform_measure_of(const transform_mapping *mapping, const char *text,
                         transform_measure *measure, char reason[TRANSFORM_REASON_MAX]);

/* Is the column declared in ignore_columns? */
int transform_mapping_ignores(const transform_mapping *mapping, const char *column_name);

#endif
