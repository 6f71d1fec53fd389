/*
 * number.c: Swedish number cells to doubles, with units (see number.h).
 *
 * Written as a small scanner rather than on top of strtod because strtod
 * follows the process locale, knows nothing of digit grouping and would
 * quietly read "1.234" as one point two, where a Swedish file most likely
 * meant one thousand two hundred and thirty-four.
 */
#include "transform/cells/number.h"
#include "transform/cells/spaces.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_SIGNIFICANT 15
#define MAX_DECIMALS 22

/* Bytes of a minus sign at p: '-' or U+2212. */
static size_t minus_sign(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;

    if (p < end && *p == '-')
        return 1;
    if (end - p >= 3 && u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92)
        return 3;
    return 0;
}

static void trim(const char **start, const char **end)
{
    size_t w;

    while (*start < *end && (w = transform_space_at(*start, *end)) > 0)
        *start += w;
    for (;;) {
        const char *p = *end;
        if (p > *start && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r' || p[-1] == '\n'))
            *end = p - 1;
        else if (p - *start >= 2 && transform_space_at(p - 2, p) == 2)
            *end = p - 2;
        else if (p - *start >= 3 && transform_space_at(p - 3, p) == 3)
            *end = p - 3;
        else
            return;
    }
}

static int is_missing(const char *p, size_t length)
{
    static const char *const words[] = {
        "", "-", "\xE2\x88\x92", "\xE2\x80\x93", "\xE2\x80\x94", "..", "x", "X"
    };

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == length && memcmp(words[i], p, length) == 0)
            return 1;
    return 0;
}

static int is_letter(unsigned char c)
{
    return isalpha(c) || c >= 0x80;
}

static int token_at(const char *p, const char *end, const char *token)
{
    size_t n = strlen(token);

    if ((size_t)(end - p) < n || strncasecmp(p, token, n) != 0)
        return 0;
    /* "kr" in "krona" or "procent" in "procentenheter" is not a unit. */
    if (isalpha((unsigned char)token[0]) && p + n < end && is_letter((unsigned char)p[n]))
        return 0;
    return 1;
}

/*
 * The unit starting at p, with an optional "/per"; returns the bytes it
 * takes, 0 when none starts there, or -1 when "/per" is too long or empty.
 */
static long match_unit(const char *p, const char *end, transform_unit *unit)
{
    static const struct {
        const char *token;
        transform_unit_kind kind;
        double scale;
    } units[] = {
        { "procent", TRANSFORM_UNIT_PERCENT, 1 }, { "mnkr", TRANSFORM_UNIT_KRONOR, 1e6 },
        { "mkr", TRANSFORM_UNIT_KRONOR, 1e6 },    { "tkr", TRANSFORM_UNIT_KRONOR, 1e3 },
        { "kr", TRANSFORM_UNIT_KRONOR, 1 },       { "%", TRANSFORM_UNIT_PERCENT, 1 },
    };
    const char *q;
    size_t i, n = 0;

    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (token_at(p, end, units[i].token))
            break;
    if (i == sizeof units / sizeof units[0])
        return 0;
    memset(unit, 0, sizeof *unit);
    unit->kind = units[i].kind;
    unit->scale = units[i].scale;
    q = p + strlen(units[i].token);
    if (q < end && *q == '/') {
        for (q++; q < end && is_letter((unsigned char)*q); q++) {
            if (n + 1 >= sizeof unit->per)
                return -1;
            unit->per[n++] = (char)tolower((unsigned char)*q);
        }
        if (n == 0)
            return -1;
        unit->per[n] = '\0';
    }
    return q - p;
}

static int same_unit(const transform_unit *a, const transform_unit *b)
{
    return a->kind == b->kind && a->scale == b->scale && strcmp(a->per, b->per) == 0;
}

void transform_unit_name(const transform_unit *unit, char *out, size_t size)
{
    const char *base = "";

    if (unit->kind == TRANSFORM_UNIT_PERCENT)
        base = "%";
    else if (unit->kind == TRANSFORM_UNIT_KRONOR)
        base = unit->scale == 1e6 ? "mnkr" : unit->scale == 1e3 ? "tkr" : "kr";
    snprintf(out, size, "%s%s%s", base, unit->per[0] ? "/" : "", unit->per);
}

static transform_number_status fail(transform_number *out, const char *fmt, const char *arg)
{
    out->status = TRANSFORM_NUMBER_ERROR;
    snprintf(out->reason, sizeof out->reason, fmt, arg);
    return out->status;
}

/* What the scanner found in the digits of a cell. */
typedef struct scan {
    uint64_t mantissa;
    int significant; /* digits after leading zeros */
    int integer_digits;
    int decimals;
    int groups;       /* space-separated groups before the mark */
    int group_length; /* digits in the current group */
    int first_group;  /* digits in the first group */
    int bad_group;    /* a later group was not three digits */
    char mark;        /* ',' or '.' once seen, else 0 */
    char first_digit;
} scan;

static void add_digit(scan *s, char digit)
{
    if (s->integer_digits + s->decimals == 0)
        s->first_digit = digit;
    if (s->significant > 0 || digit != '0') {
        s->significant++;
        if (s->significant <= MAX_SIGNIFICANT)
            s->mantissa = s->mantissa * 10 + (uint64_t)(digit - '0');
    }
    if (s->mark) {
        s->decimals++;
    } else {
        s->integer_digits++;
        s->group_length++;
    }
}

static void end_group(scan *s)
{
    if (s->groups == 0)
        s->first_group = s->group_length;
    else if (s->group_length != 3)
        s->bad_group = 1;
    s->groups++;
    s->group_length = 0;
}

/* Scan sign-less digits, spaces and marks; returns where the number ends. */
static const char *scan_digits(const char *p, const char *end, scan *s, transform_number *out)
{
    for (;;) {
        size_t w;
        if (p < end && isdigit((unsigned char)*p)) {
            add_digit(s, *p++);
        } else if (p < end && (*p == ',' || *p == '.')) {
            if (s->mark) {
                out->status = TRANSFORM_NUMBER_ERROR;
                snprintf(out->reason, sizeof out->reason,
                         s->mark == *p ? "'%c' occurs twice: cannot tell a decimal mark from a "
                                         "thousands separator"
                                       : "both ',' and '.' in one number (second '%c'): cannot "
                                         "tell which is the decimal mark",
                         *p);
                return NULL;
            }
            end_group(s);
            s->mark = *p++;
        } else if ((w = transform_group_space_at(p, end)) > 0 && p + w < end &&
                   isdigit((unsigned char)p[w]) && s->integer_digits > 0) {
            if (s->mark) {
                fail(out, "%s",
                     "a space among the decimals: expected digits after the decimal mark");
                return NULL;
            }
            end_group(s);
            p += w;
        } else {
            break;
        }
    }
    if (!s->mark)
        end_group(s);
    return p;
}

/* Checks that need the whole number: grouping, marks, size. */
static int check_scan(const scan *s, char decimal_mark, transform_number *out)
{
    if (s->integer_digits + s->decimals == 0)
        return fail(out, "%s", "expected a number"), -1;
    if (s->groups > 1 && (s->first_group < 1 || s->first_group > 3 || s->bad_group))
        return fail(out, "%s", "digits grouped wrongly: expected groups of three after the first"),
               -1;
    if (s->mark && s->decimals == 0)
        return fail(out, "%s", "expected digits after the decimal mark"), -1;
    if (s->mark && s->mark != decimal_mark && s->decimals == 3 && s->groups == 1 &&
        s->integer_digits >= 1 && s->integer_digits <= 3 &&
        !(s->integer_digits == 1 && s->first_digit == '0')) {
        char what[2] = { s->mark, '\0' };
        fail(out,
             "'%s' followed by three digits in a file whose decimal mark is not it: a decimal "
             "mark or a thousands separator?",
             what);
        return -1;
    }
    if (s->significant > MAX_SIGNIFICANT)
        return fail(out, "%s", "more than 15 significant digits: cannot be held exactly"), -1;
    if (s->decimals > MAX_DECIMALS)
        return fail(out, "%s", "more than 22 decimals"), -1;
    return 0;
}

static double scan_value(const scan *s)
{
    static const double powers[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    /* Both exact below 2^53, so one division rounds correctly, as strtod would. */
    return (double)s->mantissa / powers[s->decimals];
}

/* The unit text after the number, combined with the header's unit. */
static int read_unit(const char *p, const char *end, const transform_unit *header_unit,
                     transform_number *out)
{
    transform_unit second;
    long used = match_unit(p, end, &out->unit);
    size_t w;

    if (used < 0)
        return fail(out, "%s", "expected a unit like \"kr/dygn\" after '/'"), -1;
    if (used == 0 && p < end)
        return fail(out, "%s", "unexpected text after the number"), -1;
    p += used;
    while ((w = transform_space_at(p, end)) > 0)
        p += w;
    if (p < end)
        return fail(out, "%s",
                    match_unit(p, end, &second) > 0 ? "two units in one cell"
                                                    : "unexpected text after the unit"),
               -1;
    if (header_unit == NULL || header_unit->kind == TRANSFORM_UNIT_NONE)
        return 0;
    if (used == 0) {
        out->unit = *header_unit;
        return 0;
    }
    if (!same_unit(&out->unit, header_unit)) {
        char cell[32], header[32];
        transform_unit_name(&out->unit, cell, sizeof cell);
        transform_unit_name(header_unit, header, sizeof header);
        out->status = TRANSFORM_NUMBER_ERROR;
        snprintf(out->reason, sizeof out->reason, "two units: cell says %s, header says %s", cell,
                 header);
        return -1;
    }
    return 0;
}

transform_number_status transform_number_parse(const char *text, size_t length, char decimal_mark,
                                               const transform_unit *header_unit,
                                               transform_number *out)
{
    const char *p = text, *end = text + length;
    scan s;
    int negative = 0;
    size_t w;

    memset(out, 0, sizeof *out);
    memset(&s, 0, sizeof s);
    trim(&p, &end);
    if (is_missing(p, (size_t)(end - p))) {
        out->status = TRANSFORM_NUMBER_MISSING;
        return out->status;
    }
    if ((w = minus_sign(p, end)) > 0 || (p < end && *p == '+')) {
        negative = w > 0;
        p += w ? w : 1;
        while ((w = transform_group_space_at(p, end)) > 0)
            p += w;
    }
    p = scan_digits(p, end, &s, out);
    if (p == NULL || check_scan(&s, decimal_mark, out) < 0)
        return TRANSFORM_NUMBER_ERROR;
    while ((w = transform_space_at(p, end)) > 0)
        p += w;
    if (read_unit(p, end, header_unit, out) < 0)
        return TRANSFORM_NUMBER_ERROR;
    out->value = scan_value(&s);
    if (negative && out->value != 0)
        out->value = -out->value;
    out->status = TRANSFORM_NUMBER_OK;
    return out->status;
}

int transform_unit_parse(const char *text, transform_unit *unit)
{
    const char *p = text, *end = text + strlen(text);
    long used;

    trim(&p, &end);
    used = match_unit(p, end, unit);
    return used > 0 && p + used == end ? 0 : -1;
}

int transform_unit_in_header(const char *header, transform_unit *unit,
                             char reason[TRANSFORM_REASON_MAX])
{
    const char *p, *end = header + strlen(header);
    int found = 0;

    memset(unit, 0, sizeof *unit);
    for (p = header; p < end; p++) {
        transform_unit candidate;
        long used;
        if (p > header && is_letter((unsigned char)p[-1]) && *p != '%')
            continue;
        used = match_unit(p, end, &candidate);
        if (used <= 0)
            continue;
        if (found && !same_unit(unit, &candidate)) {
            char a[32], b[32];
            transform_unit_name(unit, a, sizeof a);
            transform_unit_name(&candidate, b, sizeof b);
            snprintf(reason, TRANSFORM_REASON_MAX, "header \"%.60s\" names two units: %s and %s",
                     header, a, b);
            return -1;
        }
        *unit = candidate;
        found = 1;
        p += used - 1;
    }
    return found;
}

int transform_unit_convert(double value, const transform_unit *from, const transform_unit *to,
                           double *out, char reason[TRANSFORM_REASON_MAX])
{
    char a[32], b[32];

    if (from->kind == TRANSFORM_UNIT_NONE || to->kind == TRANSFORM_UNIT_NONE) {
        *out = value;
        return 0;
    }
    if (from->kind == to->kind && strcmp(from->per, to->per) == 0) {
        /* Whole ratios (1000) are exact; dividing keeps 0.001 out of it. */
        *out = from->scale >= to->scale ? value * (from->scale / to->scale)
                                        : value / (to->scale / from->scale);
        return 0;
    }
    transform_unit_name(from, a, sizeof a);
    transform_unit_name(to, b, sizeof b);
    snprintf(reason, TRANSFORM_REASON_MAX, "cannot convert %s into %s", a, b);
    return -1;
}
