/*
 * period.c: period texts to warehouse period ids (see period.h).
 *
 * The text is cut into tokens (words, numbers, dashes).  A four-digit year
 * may stand first or last; what remains says which part of the year is
 * meant.  Splitting it this way keeps "2021-H1", "H1 2021" and "H1" (with a
 * year from context) one rule instead of three.
 */
#include "transform/cells/period.h"
#include "transform/cells/spaces.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 8
#define TOKEN_MAX 24

enum token_kind { TOKEN_WORD, TOKEN_NUMBER, TOKEN_DASH };

typedef struct token {
    enum token_kind kind;
    char text[TOKEN_MAX];
    size_t length;
} token;

typedef struct tokens {
    token list[MAX_TOKENS];
    size_t count;
} tokens;

static int fail(char reason[TRANSFORM_PERIOD_REASON_MAX], const char *fmt, const char *arg)
{
    snprintf(reason, TRANSFORM_PERIOD_REASON_MAX, fmt, arg);
    return -1;
}

/* Bytes of a dash at p: '-', en dash, em dash or minus sign. */
static size_t dash_at(const unsigned char *p, const unsigned char *end)
{
    if (p < end && *p == '-')
        return 1;
    if (end - p >= 3 && p[0] == 0xE2 &&
        ((p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) || (p[1] == 0x88 && p[2] == 0x92)))
        return 3;
    return 0;
}

/* One letter, lower-cased: ASCII, or the two-byte Å Ä Ö É of UTF-8. */
static size_t letter_at(const unsigned char *p, const unsigned char *end, char out[2])
{
    if (p < end && isalpha(*p)) {
        out[0] = (char)tolower(*p);
        return 1;
    }
    if (end - p >= 2 && p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
        out[0] = (char)p[0];
        out[1] = (char)(p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97 ? p[1] + 0x20 : p[1]);
        return 2;
    }
    return 0;
}

static token *new_token(tokens *t, enum token_kind kind)
{
    if (t->count == MAX_TOKENS)
        return NULL;
    token *k = &t->list[t->count++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    return k;
}

static int append(token *k, const char *bytes, size_t n)
{
    if (k->length + n >= TOKEN_MAX)
        return -1;
    memcpy(k->text + k->length, bytes, n);
    k->length += n;
    k->text[k->length] = '\0';
    return 0;
}

static int tokenize(const char *text, size_t length, tokens *t,
                    char reason[TRANSFORM_PERIOD_REASON_MAX])
{
    const unsigned char *p = (const unsigned char *)text, *end = p + length;
    token *current = NULL;

    t->count = 0;
    while (p < end) {
        char letter[2];
        size_t w;
        if ((w = transform_space_at((const char *)p, (const char *)end)) > 0 || *p == '.' ||
            *p == ':') {
            /* "okt." and "2:a" are the words without their marks. */
            p += w ? w : 1;
            current = NULL;
        } else if ((w = dash_at(p, end)) > 0 || *p == '/') {
            if (new_token(t, TOKEN_DASH) == NULL)
                return fail(reason, "%s", "too many parts for a period");
            p += w ? w : 1;
            current = NULL;
        } else if (isdigit(*p) || (w = letter_at(p, end, letter)) > 0) {
            enum token_kind kind = isdigit(*p) ? TOKEN_NUMBER : TOKEN_WORD;
            if (current == NULL || current->kind != kind)
                current = new_token(t, kind);
            if (current == NULL || append(current, kind == TOKEN_NUMBER ? (const char *)p : letter,
                                          kind == TOKEN_NUMBER ? 1 : w) < 0)
                return fail(reason, "%s", "too many parts for a period");
            p += kind == TOKEN_NUMBER ? 1 : w;
        } else {
            char found[8];
            snprintf(found, sizeof found, isprint(*p) ? "'%c'" : "byte", *p);
            return fail(reason, "unexpected %s in a period", found);
        }
    }
    return 0;
}

static int word_in(const token *k, const char *const *words)
{
    for (; *words; words++)
        if (k->kind == TOKEN_WORD && strcmp(k->text, *words) == 0)
            return 1;
    return 0;
}

/* 1..12 for a Swedish month name or abbreviation, else 0. */
static int month_of(const token *k)
{
    static const char *const months[12][4] = {
        { "januari", "jan", NULL },
        { "februari", "feb", NULL },
        { "mars", "mar", NULL },
        { "april", "apr", NULL },
        { "maj", NULL },
        { "juni", "jun", NULL },
        { "juli", "jul", NULL },
        { "augusti", "aug", NULL },
        { "september", "sept", "sep", NULL },
        { "oktober", "okt", NULL },
        { "november", "nov", NULL },
        { "december", "dec", NULL },
    };

    for (int m = 0; m < 12; m++)
        if (word_in(k, months[m]))
            return m + 1;
    return 0;
}

static int small_number(const token *k, size_t max_digits)
{
    int value = 0;

    if (k->kind != TOKEN_NUMBER || k->length > max_digits)
        return -1;
    for (size_t i = 0; i < k->length; i++)
        value = value * 10 + (k->text[i] - '0');
    return value;
}

const char *transform_granularity_name(transform_granularity granularity)
{
    static const char *const names[] = { "year", "half_year", "quarter", "month", "range" };
    return names[granularity];
}

int transform_period_make(transform_granularity granularity, int year, int index,
                          transform_period *out, char reason[TRANSFORM_PERIOD_REASON_MAX])
{
    static const int counts[] = { 1, 2, 4, 12 };
    char number[16];

    if (year < 1900 || year > 2199) {
        snprintf(number, sizeof number, "%d", year);
        return fail(reason, "year %s: expected a year from 1900 to 2199", number);
    }
    if (granularity == TRANSFORM_PERIOD_RANGE)
        return fail(reason, "%s", "a range is made from its months");
    if (index < (granularity == TRANSFORM_PERIOD_YEAR ? 0 : 1) || index > counts[granularity]) {
        static const char *const what[] = { "", "half-year %s: expected 1 or 2",
                                            "quarter %s: expected 1 to 4",
                                            "month %s: expected 1 to 12" };
        snprintf(number, sizeof number, "%d", index);
        return fail(reason, what[granularity], number);
    }
    memset(out, 0, sizeof *out);
    out->granularity = granularity;
    out->year = year;
    if (granularity == TRANSFORM_PERIOD_YEAR) {
        out->first_month = 1;
        out->last_month = 12;
        snprintf(out->id, sizeof out->id, "%04d", year);
        return 0;
    }
    int months = 12 / counts[granularity];
    out->first_month = (index - 1) * months + 1;
    out->last_month = index * months;
    if (granularity == TRANSFORM_PERIOD_MONTH)
        snprintf(out->id, sizeof out->id, "%04d-%02d", year, index);
    else
        snprintf(out->id, sizeof out->id, "%04d-%c%d", year,
                 granularity == TRANSFORM_PERIOD_HALF ? 'H' : 'Q', index);
    return 0;
}

/* Months first..last of year: a named period when they form one. */
static int make_range(int year, int first, int last, transform_period *out,
                      char reason[TRANSFORM_PERIOD_REASON_MAX])
{
    if (first > last)
        return fail(reason, "%s", "the range of months runs backwards");
    if (first == 1 && last == 12)
        return transform_period_make(TRANSFORM_PERIOD_YEAR, year, 0, out, reason);
    if ((first == 1 || first == 7) && last == first + 5)
        return transform_period_make(TRANSFORM_PERIOD_HALF, year, first / 6 + 1, out, reason);
    if (first % 3 == 1 && last == first + 2)
        return transform_period_make(TRANSFORM_PERIOD_QUARTER, year, first / 3 + 1, out, reason);
    if (first == last)
        return transform_period_make(TRANSFORM_PERIOD_MONTH, year, first, out, reason);
    if (transform_period_make(TRANSFORM_PERIOD_YEAR, year, 0, out, reason) < 0)
        return -1;
    out->granularity = TRANSFORM_PERIOD_RANGE;
    out->first_month = first;
    out->last_month = last;
    snprintf(out->id, sizeof out->id, "%04d-%02d..%04d-%02d", year, first, year, last);
    return 0;
}

/* The part of the year that the tokens other than the year name. */
static int read_part(const token *k, size_t n, int year, int year_first, transform_period *out,
                     char reason[TRANSFORM_PERIOD_REASON_MAX])
{
    static const char *const quarter[] = { "q", "kv", "kvartal", NULL };
    static const char *const half[] = { "h", "halvår", "halvar", NULL };
    static const char *const halves[] = { "halvår", "halvåret", "halvar", "halvaret", NULL };
    static const char *const first_words[] = { "första", "forsta", NULL };
    static const char *const second_words[] = { "andra", NULL };
    static const char *const spring[] = { "vår", "våren", "vårterminen", "vt", "var", NULL };
    static const char *const autumn[] = { "höst", "hösten", "höstterminen", "ht", "host", NULL };
    static const char *const whole[] = { "helår", "helåret", "helar", "helaret", NULL };

    if (n == 0 || (n == 1 && word_in(&k[0], whole)))
        return transform_period_make(TRANSFORM_PERIOD_YEAR, year, 0, out, reason);
    if (n == 1 && year_first && small_number(&k[0], 2) >= 0)
        return transform_period_make(TRANSFORM_PERIOD_MONTH, year, small_number(&k[0], 2), out,
                                     reason);
    if (n == 2 && word_in(&k[0], quarter) && small_number(&k[1], 1) >= 0)
        return transform_period_make(TRANSFORM_PERIOD_QUARTER, year, small_number(&k[1], 1), out,
                                     reason);
    if (n == 2 && word_in(&k[0], half) && small_number(&k[1], 1) >= 0)
        return transform_period_make(TRANSFORM_PERIOD_HALF, year, small_number(&k[1], 1), out,
                                     reason);
    if (n == 2 && word_in(&k[1], halves) && word_in(&k[0], first_words))
        return transform_period_make(TRANSFORM_PERIOD_HALF, year, 1, out, reason);
    if (n == 2 && word_in(&k[1], halves) && word_in(&k[0], second_words))
        return transform_period_make(TRANSFORM_PERIOD_HALF, year, 2, out, reason);
    if (n == 1 && (word_in(&k[0], spring) || word_in(&k[0], autumn)))
        return transform_period_make(TRANSFORM_PERIOD_HALF, year, word_in(&k[0], spring) ? 1 : 2,
                                     out, reason);
    if (n == 1 && month_of(&k[0]))
        return transform_period_make(TRANSFORM_PERIOD_MONTH, year, month_of(&k[0]), out, reason);
    if (n == 3 && month_of(&k[0]) && k[1].kind == TOKEN_DASH && month_of(&k[2]))
        return make_range(year, month_of(&k[0]), month_of(&k[2]), out, reason);
    return fail(reason, "%s",
                "not a period: expected forms like 2023, 2023-03, mars 2023, "
                "jan-okt 2023, Q2 2023, 2023-H1, Vår 2023");
}

static int is_year(const token *k)
{
    return k->kind == TOKEN_NUMBER && k->length == 4;
}

int transform_period_parse(const char *text, size_t length, int context_year, transform_period *out,
                           char reason[TRANSFORM_PERIOD_REASON_MAX])
{
    tokens t;
    const token *k;
    size_t n;
    int year = 0, year_first = 0;

    if (tokenize(text, length, &t, reason) < 0)
        return -1;
    k = t.list;
    n = t.count;
    if (n == 0)
        return fail(reason, "%s", "expected a period, found nothing");
    if (n == 1 && k[0].kind == TOKEN_NUMBER && k[0].length == 6) {
        int yyyymm = small_number(&k[0], 6);
        return transform_period_make(TRANSFORM_PERIOD_MONTH, yyyymm / 100, yyyymm % 100, out,
                                     reason);
    }
    if (n >= 2 && is_year(&k[0]) && is_year(&k[n - 1]))
        return fail(reason, "%s", "two years in one period: expected one year");
    if (is_year(&k[0])) {
        year = small_number(&k[0], 4);
        year_first = 1;
        k++, n--;
        if (n > 0 && k[0].kind == TOKEN_DASH)
            k++, n--;
        if (n == 0 && t.count > 1)
            return fail(reason, "%s", "expected something after the year and the dash");
    } else if (is_year(&k[n - 1])) {
        year = small_number(&k[n - 1], 4);
        n--;
    } else if (context_year > 0) {
        year = context_year;
    } else {
        return fail(reason, "%s", "no year in the period and none from the file or the mapping");
    }
    return read_part(k, n, year, year_first, out, reason);
}

static int leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

void transform_period_dates(const transform_period *period, char start[11], char end[11])
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int last = period->last_month;
    int day = days[last - 1] + (last == 2 && leap(period->year));

    unsigned year = (unsigned)period->year % 10000u;

    snprintf(start, 11, "%04u-%02u-01", year, (unsigned)period->first_month % 100u);
    snprintf(end, 11, "%04u-%02u-%02u", year, (unsigned)last % 100u, (unsigned)day % 100u);
}
