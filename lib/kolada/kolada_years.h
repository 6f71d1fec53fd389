/*
 * kolada_years.h: the years a Kolada source asks for, as a job writes them:
 *   2023            one year
 *   "2015..2024"    a range, both ends included
 *   [2019, "2021..2023"]  a list of years and ranges
 *   {"latest": 3}   the last 3 complete years: this year - 3 .. this year - 1
 * The job checker (lib/job/job_extract.c) and extract both read them, so the
 * checked meaning and the fetched years are one and the same.
 */
#ifndef NYCKEL_KOLADA_YEARS_H
#define NYCKEL_KOLADA_YEARS_H

#include <jansson.h>

#define NK_KOLADA_FIRST_YEAR 1990
#define NK_KOLADA_LAST_YEAR 2100
#define NK_KOLADA_MAX_LATEST 100

/*
 * Append the years of spec to years (an array; integers, ascending, each
 * once) with this_year for "latest".  Returns 0, or -1 when spec is not one
 * of the forms above; then *bad points at the offending value (spec itself,
 * a list element, or the "latest" member).
 */
int nk_kolada_years(const json_t *spec, int this_year, json_t *years, const json_t **bad);

#endif
