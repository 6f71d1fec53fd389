/*
 * figure.h: figures as a reader writes them: "194 771" and "10,3" in
 * Swedish, "194,771" and "10.3" in English, a real minus sign, and counts
 * of 1-4 people never shown.
 */
#ifndef NYCKEL_REPORT_FIGURE_H
#define NYCKEL_REPORT_FIGURE_H

#include <stddef.h>

#include "report/report.h"

enum number_flags {
    NUMBER_SIGNED = 1 << 0, /* a difference: "+1,4" */
    NUMBER_COUNT = 1 << 1   /* a count of people: 1-4 suppressed */
};

/* Big enough for any numeric PostgreSQL sends for these marts, formatted. */
#define NUMBER_MAX 96

/*
 * Format text (a numeric as PostgreSQL writes it: -12345.678) into out;
 * its digits are kept as they are, only grouped and marked.  Text that is
 * no plain number (NaN, Infinity) is copied.  Returns 1 when the figure is
 * a suppressed count (out then holds "<5"), else 0.
 */
int report_number(char *out, size_t size, const char *text, report_lang lang, unsigned flags);

/* A count between 1 and 4 people (fractions between too), which is never shown. */
int report_is_small_count(const char *text);

/* A unit that counts people or cases ("antal", "st", "personer"). */
int report_is_count_unit(const char *unit);

/* value with decimals places, formatted as above. */
void report_number_from(char *out, size_t size, double value, int decimals, report_lang lang);

#endif
