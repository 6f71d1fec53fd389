/*
 * pnr.c: personal identity and coordination numbers (see pnr.h).
 *
 * The guard errs on the side of finding too much: a ten-digit amount that
 * happens to look like a date and pass the check digit is treated as a
 * personal number.  Missing one would put a person into the warehouse.
 */
#include "lib/base/pnr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct shape {
    int century;    /* four-digit year */
    char separator; /* '\0', or a character that must be there */
} shape;

/*
 * Longest first, so "19121212-1212" is not read as "121212-1212".  A space
 * between the parts ("121212 1212") is no thousands grouping, whose groups
 * hold three digits, so it is taken as a number too.
 */
static const shape shapes[] = {
    { 1, '-' }, /* YYYYMMDD-NNNN */
    { 1, '+' }, /* YYYYMMDD+NNNN */
    { 1, ' ' }, /* YYYYMMDD NNNN */
    { 1, 0 },   /* YYYYMMDDNNNN */
    { 0, '-' }, /* YYMMDD-NNNN */
    { 0, '+' }, /* YYMMDD+NNNN */
    { 0, ' ' }, /* YYMMDD NNNN */
    { 0, 0 },   /* YYMMDDNNNN */
};

static int digits(const char *p, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++)
        value = value * 10 + (p[i] - '0');
    return value;
}

static int all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    return 1;
}

/* Luhn over YYMMDDNNN; ten is the check digit. */
static int luhn_ok(const char ten[10])
{
    int sum = 0;

    for (int i = 0; i < 9; i++) {
        int d = (ten[i] - '0') * (i % 2 == 0 ? 2 : 1);
        sum += d > 9 ? d - 9 : d;
    }
    return (10 - sum % 10) % 10 == ten[9] - '0';
}

static int date_ok(int year, int known_century, int month, int day)
{
    static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = known_century ? (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
                             : year % 4 == 0;

    if (month < 1 || month > 12 || day < 1 || day > days[month - 1])
        return 0;
    return month != 2 || day < 29 || leap;
}

/* The kind of number of exactly this shape at p, given the bytes up to end. */
static nk_pnr_kind match_shape(const char *p, const char *end, const shape *s, size_t *length)
{
    size_t date_digits = s->century ? 8 : 6;
    size_t total = date_digits + (s->separator ? 1 : 0) + 4;
    char ten[10];
    int year, day;

    if ((size_t)(end - p) < total || !all_digits(p, date_digits))
        return NK_PNR_NONE;
    if (s->separator && p[date_digits] != s->separator)
        return NK_PNR_NONE;
    if (!all_digits(p + total - 4, 4))
        return NK_PNR_NONE;
    year = digits(p, s->century ? 4 : 2);
    if (s->century && (year < 1800 || year > 2099))
        return NK_PNR_NONE;
    for (int i = 0; i < 6; i++)
        ten[i] = p[date_digits - 6 + (size_t)i];
    for (int i = 0; i < 4; i++)
        ten[6 + i] = p[total - 4 + (size_t)i];
    day = digits(ten + 4, 2);
    if (!date_ok(year, s->century, digits(ten + 2, 2), day > 60 ? day - 60 : day) || !luhn_ok(ten))
        return NK_PNR_NONE;
    *length = total;
    return day > 60 ? NK_PNR_COORDINATION : NK_PNR_PERSONAL;
}

static nk_pnr_kind match_at(const char *p, const char *end, size_t *length)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        nk_pnr_kind kind = match_shape(p, end, &shapes[i], length);
        if (kind != NK_PNR_NONE)
            return kind;
    }
    return NK_PNR_NONE;
}

nk_pnr_kind nk_pnr_check(const char *text, size_t length)
{
    const char *p = text, *end = text + length;
    size_t found;
    nk_pnr_kind kind;

    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    kind = match_at(p, end, &found);
    return kind != NK_PNR_NONE && p + found == end ? kind : NK_PNR_NONE;
}

/* The first number from p on; with plain_too 0, digits without a separator do not count. */
static nk_pnr_kind find_from(const char *text, size_t length, int plain_too, size_t *offset,
                             size_t *found_length)
{
    const char *end = text + length;

    for (const char *p = text; p < end; p++) {
        nk_pnr_kind kind;
        size_t found;
        if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1])))
            continue;
        kind = match_at(p, end, &found);
        if (kind == NK_PNR_NONE || (p + found < end && isdigit((unsigned char)p[found])))
            continue;
        if (!plain_too && all_digits(p, found))
            continue;
        *offset = (size_t)(p - text);
        *found_length = found;
        return kind;
    }
    return NK_PNR_NONE;
}

nk_pnr_kind nk_pnr_find(const char *text, size_t length, size_t *offset, size_t *found_length)
{
    return find_from(text, length, 1, offset, found_length);
}

nk_pnr_kind nk_pnr_find_in_amount(const char *text, size_t length, size_t *offset,
                                  size_t *found_length)
{
    return find_from(text, length, 0, offset, found_length);
}

int nk_pnr_holds(const char *text)
{
    size_t offset, length;

    return text && find_from(text, strlen(text), 1, &offset, &length) != NK_PNR_NONE;
}

char *nk_pnr_mask(const char *text)
{
    static const char mask[] = "[personnummer]";
    size_t length = strlen(text), offset, found, used = 0;
    /* Each number is at least ten bytes and the mask fourteen: room for the worst case. */
    char *masked = malloc(length + length / 10 * (sizeof mask - 1) + 1);
    const char *rest = text;

    if (masked == NULL)
        return NULL;
    while (nk_pnr_find(rest, strlen(rest), &offset, &found) != NK_PNR_NONE) {
        memcpy(masked + used, rest, offset);
        used += offset;
        memcpy(masked + used, mask, sizeof mask - 1);
        used += sizeof mask - 1;
        rest += offset + found;
    }
    strcpy(masked + used, rest);
    return masked;
}
