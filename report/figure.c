/*
 * figure.c: formatting figures for the page (see figure.h).  Nothing here
 * rounds: the marts send each figure with the precision of its inputs, and
 * the page shows that text, grouped and marked for its language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/figure.h"

/* U+2212 MINUS SIGN; U+00A0 NO-BREAK SPACE between thousands in Swedish. */
static const char minus[] = "\xe2\x88\x92";
static const char swedish_group[] = "\xc2\xa0";

int report_is_small_count(const char *text)
{
    char *end;
    double value = text ? strtod(text, &end) : 0;

    return text && end != text && *end == '\0' && value > 0 && value < 5;
}

int report_is_count_unit(const char *unit)
{
    static const char *const counts[] = { "antal", "st", "personer", "number", NULL };

    for (size_t i = 0; unit && counts[i]; i++)
        if (strcasecmp(unit, counts[i]) == 0)
            return 1;
    return 0;
}

static int is_plain_number(const char *text)
{
    const char *p = text + (*text == '-');
    size_t digits = strspn(p, "0123456789");

    if (digits == 0)
        return 0;
    p += digits;
    if (*p == '.')
        p += 1 + strspn(p + 1, "0123456789");
    return *p == '\0';
}

static void append(char *out, size_t size, size_t *used, const char *piece, size_t length)
{
    if (*used + length + 1 > size)
        length = *used + 1 < size ? size - *used - 1 : 0;
    memcpy(out + *used, piece, length);
    *used += length;
    out[*used] = '\0';
}

int report_number(char *out, size_t size, const char *text, report_lang lang, unsigned flags)
{
    const char *group = lang == REPORT_SV ? swedish_group : ",";
    size_t used = 0, whole;

    out[0] = '\0';
    if ((flags & NUMBER_COUNT) && report_is_small_count(text)) {
        append(out, size, &used, "&lt;5", 5);
        return 1;
    }
    if (!is_plain_number(text)) {
        append(out, size, &used, text, strlen(text));
        return 0;
    }
    int negative = text[0] == '-';
    const char *digits = text + negative;
    whole = strcspn(digits, ".");
    if (negative && strspn(digits, "0.") != strlen(digits))
        append(out, size, &used, minus, strlen(minus));
    else if ((flags & NUMBER_SIGNED) && strspn(digits, "0.") != strlen(digits))
        append(out, size, &used, "+", 1);
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            append(out, size, &used, group, strlen(group));
        append(out, size, &used, digits + i, 1);
    }
    if (digits[whole] == '.') {
        append(out, size, &used, lang == REPORT_SV ? "," : ".", 1);
        append(out, size, &used, digits + whole + 1, strlen(digits + whole + 1));
    }
    return 0;
}

void report_number_from(char *out, size_t size, double value, int decimals, report_lang lang)
{
    char text[64];

    snprintf(text, sizeof text, "%.*f", decimals, value);
    if (strspn(text, "-0.") == strlen(text))
        snprintf(text, sizeof text, "0%s%.*s", decimals ? "." : "", decimals, "0000000000");
    report_number(out, size, text, lang, 0);
}
