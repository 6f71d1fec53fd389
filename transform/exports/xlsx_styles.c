/*
 * xlsx_styles.c: date cells of a workbook (see xlsx_styles.h).
 */
#include "transform/exports/xlsx_styles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/base/buffer.h"

/* The built-in number formats that show a date or a time (ECMA-376, 18.8.30). */
static int builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom code shows a date when it has a day or year outside quotes and [colour]s. */
static int date_code(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"' && (p = strchr(p + 1, '"')) == NULL)
            return 0;
        if (*p == '[' && (p = strchr(p + 1, ']')) == NULL)
            return 0;
        if (*p == '\\' && p[1])
            p++;
        else if (strchr("dDyY", *p))
            return 1;
    }
    return 0;
}

static int custom_date(const transform_xlsx_styles *s, long id)
{
    for (size_t i = 0; i < s->format_count; i++)
        if (s->date_formats[i] == id)
            return 1;
    return 0;
}

int transform_xlsx_styles_start(transform_xlsx_styles *s, const char *local, const char *num_fmt_id,
                                const char *format_code)
{
    long id = num_fmt_id ? atol(num_fmt_id) : 0;

    if (strcmp(local, "cellXfs") == 0) {
        s->in_cell_xfs = 1;
    } else if (strcmp(local, "numFmt") == 0 && format_code && date_code(format_code)) {
        if (nk_grow_array(&s->date_formats, sizeof *s->date_formats, s->format_count + 1,
                          &s->format_capacity, 16) < 0)
            return -1;
        s->date_formats[s->format_count++] = id;
    } else if (strcmp(local, "xf") == 0 && s->in_cell_xfs) {
        if (nk_grow_array(&s->date_xf, 1, s->xf_count + 1, &s->xf_capacity, 16) < 0)
            return -1;
        s->date_xf[s->xf_count++] = (unsigned char)(builtin_date(id) || custom_date(s, id));
    }
    return 0;
}

void transform_xlsx_styles_end(transform_xlsx_styles *s, const char *local)
{
    if (strcmp(local, "cellXfs") == 0)
        s->in_cell_xfs = 0;
}

int transform_xlsx_styles_is_date(const transform_xlsx_styles *s, long style)
{
    return style >= 0 && (size_t)style < s->xf_count && s->date_xf[style];
}

int transform_xlsx_date_text(const transform_xlsx_styles *s, const char *serial,
                             char text[TRANSFORM_XLSX_DATE_MAX])
{
    char *end;
    double value = strtod(serial, &end);
    struct tm tm = { 0 };
    time_t when;
    long days, seconds;

    /* Beyond year 9999 a spreadsheet shows no date either. */
    if (*end != '\0' || !isfinite(value) || value < 0 || value > 2958466)
        return -1;
    days = (long)floor(value);
    seconds = lround((value - (double)days) * 86400);
    /* 1900 system: day 1 is 1900-01-01, and day 60 the 1900-02-29 that never was. */
    if (!s->date1904 && days < 60)
        days++;
    tm.tm_year = s->date1904 ? 4 : -1;
    tm.tm_mon = s->date1904 ? 0 : 11;
    tm.tm_mday = (s->date1904 ? 1 : 30) + (int)days;
    tm.tm_sec = (int)seconds;
    when = timegm(&tm);
    gmtime_r(&when, &tm);
    if (seconds == 0)
        strftime(text, TRANSFORM_XLSX_DATE_MAX, "%Y-%m-%d", &tm);
    else
        strftime(text, TRANSFORM_XLSX_DATE_MAX, "%Y-%m-%d %H:%M:%S", &tm);
    return 0;
}

void transform_xlsx_styles_free(transform_xlsx_styles *s)
{
    free(s->date_xf);
    free(s->date_formats);
    memset(s, 0, sizeof *s);
}
