/*
 * record_totals.h: the figures a row-level export adds up, kept in memory
 * while its file is read.
 *
 * A group is what a figure is for (unit, period, scenario, breakdown),
 * named by a key the caller makes; each group holds one figure per
 * measure.  A figure is a sum, or a count of distinct people: the people
 * are the keyed hashes of their personal identity numbers (person_hash.h),
 * remembered per figure so that each is counted once, and forgotten with
 * the totals.  A group's figure is counted from its own records, so a
 * year's count of people is never the sum of its months'.
 */
#ifndef NYCKEL_RECORD_TOTALS_H
#define NYCKEL_RECORD_TOTALS_H

#include <stddef.h>

#include "transform/cells/person_hash.h"

typedef struct transform_totals transform_totals;

typedef enum transform_figure_state {
    TRANSFORM_FIGURE_NONE,    /* no record gave this measure */
    TRANSFORM_FIGURE_MISSING, /* only missing values ("-", "..", "x"): NULL */
    TRANSFORM_FIGURE_VALUE
} transform_figure_state;

/* Totals of measures figures per group; NULL when out of memory. */
transform_totals *transform_totals_new(size_t measures);
void transform_totals_free(transform_totals *totals);

/* The group named key, made when new (*is_new); -1 when out of memory. */
long transform_totals_group(transform_totals *totals, const char *key, int *is_new);

/* Add value to a figure, or note a missing value (is_missing). */
void transform_totals_add(transform_totals *totals, long group, size_t measure, double value,
                          int is_missing);

/* Count the person once in the figure; -1 when out of memory. */
int transform_totals_person(transform_totals *totals, long group, size_t measure,
                            const transform_person *person);

size_t transform_totals_groups(const transform_totals *totals);
const char *transform_totals_key(const transform_totals *totals, long group);
transform_figure_state transform_totals_figure(const transform_totals *totals, long group,
                                               size_t measure, double *value);

#endif
