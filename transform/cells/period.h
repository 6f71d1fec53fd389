/*
 * period.h: reading the periods Swedish exports write, into the warehouse's
 * period ids.
 *
 *   text                         id                granularity
 *   2019                         2019              year
 *   2022-03, 202203, mars 2022   2022-03           month
 *   Q2 2020, 2020-Q2, Q2         2020-Q2           quarter (Q2 takes the context year)
 *   första halvåret 2021, 2021-H1, H1 2021       2021-H1   half-year
 *   andra halvåret               <year>-H2         half-year
 *   Vår 2021, Höst 2021          2021-H1, 2021-H2  half-year (the spring and
 *                                autumn terms are read as the two halves)
 *   helår 2021, helåret          2021              year
 *   jan–okt 2019, jan-okt 2019   2019-01..2019-10  range (en dash or hyphen)
 *
 * Month names are Swedish, full or abbreviated ("mar", "sept", "okt."), in
 * any case.  A range that covers exactly a quarter, a half-year or the year
 * gets that period's id ("jan–mar 2021" is 2021-Q1).  Every period also has
 * its first and last month.  Impossible periods (month 13, "2022-00", Q5)
 * are errors with a reason.
 *
 * Everything here is a pure function of its arguments.
 */
#ifndef NYCKEL_PERIOD_H
#define NYCKEL_PERIOD_H

#include <stddef.h>

#define TRANSFORM_PERIOD_ID_MAX 20
#define TRANSFORM_PERIOD_REASON_MAX 160

typedef enum transform_granularity {
    TRANSFORM_PERIOD_YEAR,
    TRANSFORM_PERIOD_HALF,
    TRANSFORM_PERIOD_QUARTER,
    TRANSFORM_PERIOD_MONTH,
    TRANSFORM_PERIOD_RANGE /* months within one year that form no named period */
} transform_granularity;

typedef struct transform_period {
    transform_granularity granularity;
    int year;
    int first_month; /* 1..12 */
    int last_month;  /* 1..12, >= first_month */
    char id[TRANSFORM_PERIOD_ID_MAX];
} transform_period;

/*
 * Parse length bytes of UTF-8.  context_year is the year a period without
 * one belongs to ("Q2", "andra halvåret", "mars"), or 0 when there is none.
 * Returns 0, or -1 with a reason.
 */
int transform_period_parse(const char *text, size_t length, int context_year, transform_period *out,
                           char reason[TRANSFORM_PERIOD_REASON_MAX]);

/* "year", "half_year", "quarter", "month" or "range", as dim_period says. */
const char *transform_granularity_name(transform_granularity granularity);

/* The first and last day, as "2023-04-01" and "2023-06-30". */
void transform_period_dates(const transform_period *period, char start[11], char end[11]);

/* Build a period from its parts (used by parse, and by wide layouts). */
int transform_period_make(transform_granularity granularity, int year, int index,
                          transform_period *out, char reason[TRANSFORM_PERIOD_REASON_MAX]);

#endif
