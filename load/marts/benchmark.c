/*
 * benchmark.c: the slices of one KPI at a time (see benchmark.h for what
 * and why).
 *
 * Ids are interned to small numbers once; a KPI's municipal values of a
 * year are gathered, sorted by year, gender and ranking order in one sort,
 * and each (year, gender) run written as one slice.  The order is the one
 * PostgreSQL's rank() window gave when the marts were computed in SQL, and
 * that mart.benchmark's width_bucket relies on: NULL values are not ranked
 * but counted as rows, NaN sorts above every number (so it ranks last and
 * is left out of the array: mart.benchmark gives it the rank after every
 * number).  The array holds the values' "goodness", the value where higher
 * is better and its negation where lower is, ascending.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/marts/benchmark.h"
#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "load/marts/id_index.h"

/*
 * A municipal value of a year, in the KPI being gathered.  Its place in
 * ranking order is packed into two integers, so that the sort compares
 * numbers and nothing else: it was a third of a first load's benchmark
 * thread while it compared field by field.
 */
typedef struct slice_value {
    uint64_t slice;  /* year, gender and class: see slice_of */
    uint64_t order;  /* within a slice and class: best first */
    double goodness; /* the value, negated where lower is better */
    uint32_t area;
    uint32_t text; /* the value as sent, at this offset in the arena */
} slice_value;

/* A value's class, after its slice: numbers, then NaN, then NULL. */
enum { CLASS_NUMBER, CLASS_NAN, CLASS_NULL };
#define CLASS_BITS 2
#define GENDER_BITS 21 /* id_index keeps indexes below 1 << 21 */

static uint64_t slice_of(int year, int gender, int class)
{
    return (uint64_t)year << (GENDER_BITS + CLASS_BITS) | (uint64_t)gender << CLASS_BITS |
           (uint64_t) class;
}

static int year_of(const slice_value *v)
{
    return (int)(v->slice >> (GENDER_BITS + CLASS_BITS));
}

static int gender_of(const slice_value *v)
{
    return (int)(v->slice >> CLASS_BITS & ((1u << GENDER_BITS) - 1));
}

static int class_of(const slice_value *v)
{
    return (int)(v->slice & ((1u << CLASS_BITS) - 1));
}

/*
 * Best first: the goodness's bits, made to order like the number (the sign
 * bit flipped for positives, every bit for negatives) and then reversed.
 * -0 is 0 first, as PostgreSQL's float8 holds them equal.
 */
static uint64_t order_of(double goodness)
{
    uint64_t bits;

    if (goodness == 0)
        goodness = 0;
    memcpy(&bits, &goodness, sizeof bits);
    bits = bits >> 63 ? ~bits : bits | (uint64_t)1 << 63;
    return ~bits;
}

struct benchmark {
    FILE *out;
    id_index areas, periods, genders, kpis;
    signed char *is_municipality; /* by area index */
    int *year;                    /* by period index: 0 when not a year */
    signed char *higher;          /* by kpi index */
    size_t municipality_capacity, year_capacity, higher_capacity;

    char *kpi; /* the KPI being gathered, or NULL */
    int kpi_higher;
    slice_value *values;
    size_t value_count, value_capacity;
    char *arena;
    size_t arena_used, arena_capacity;
    long long slice_rows;
};

static int out_of_memory(nk_error *err)
{
    return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
}

static int grow(void *array, size_t *capacity, size_t need, size_t item)
{
    return nk_grow_array(array, item, need, capacity, 64);
}

benchmark *benchmark_new(FILE *slices)
{
    benchmark *bench = calloc(1, sizeof *bench);

    if (bench != NULL)
        bench->out = slices;
    return bench;
}

void benchmark_free(benchmark *bench)
{
    if (bench == NULL)
        return;
    id_index_free(&bench->areas);
    id_index_free(&bench->periods);
    id_index_free(&bench->genders);
    id_index_free(&bench->kpis);
    free(bench->is_municipality);
    free(bench->year);
    free(bench->higher);
    free(bench->kpi);
    free(bench->values);
    free(bench->arena);
    free(bench);
}

/* The area's index, not a municipality until said so. */
static int area_index(benchmark *bench, const char *area_id)
{
    size_t known = bench->areas.count;
    int a = id_index_intern(&bench->areas, area_id, strlen(area_id));

    if (a < 0)
        return -1;
    if ((size_t)a == known) {
        if (grow(&bench->is_municipality, &bench->municipality_capacity, known + 1,
                 sizeof *bench->is_municipality) < 0)
            return -1;
        bench->is_municipality[a] = 0;
    }
    return a;
}

static int period_index(benchmark *bench, const char *period_id)
{
    size_t known = bench->periods.count;
    int p = id_index_intern(&bench->periods, period_id, strlen(period_id));

    if (p < 0)
        return -1;
    if ((size_t)p == known) {
        if (grow(&bench->year, &bench->year_capacity, known + 1, sizeof *bench->year) < 0)
            return -1;
        bench->year[p] = 0;
    }
    return p;
}

int benchmark_add_area(benchmark *bench, const char *area_id, const char *area_type, nk_error *err)
{
    int a = area_index(bench, area_id);

    if (a < 0)
        return out_of_memory(err);
    bench->is_municipality[a] = area_type && strcmp(area_type, "municipality") == 0;
    return 0;
}

int benchmark_add_year(benchmark *bench, const char *period_id, const char *year, nk_error *err)
{
    char *end;
    long y = year ? strtol(year, &end, 10) : 0;
    int p;

    if (year == NULL || *end != '\0' || y <= 0 || y > 99999)
        return nk_fail(err, NK_EXIT_DATA, "nyckel.dim_period: period %s has year \"%s\"", period_id,
                       year ? year : "NULL");
    if ((p = period_index(bench, period_id)) < 0)
        return out_of_memory(err);
    bench->year[p] = (int)y;
    return 0;
}

int benchmark_add_direction(benchmark *bench, const char *kpi_id, const char *higher_is_better,
                            nk_error *err)
{
    size_t known = bench->kpis.count;
    int k = id_index_intern(&bench->kpis, kpi_id, strlen(kpi_id));

    if (k < 0)
        return out_of_memory(err);
    if ((size_t)k == known &&
        grow(&bench->higher, &bench->higher_capacity, known + 1, sizeof *bench->higher) < 0)
        return out_of_memory(err);
    bench->higher[k] = higher_is_better == NULL || strcmp(higher_is_better, "f") != 0;
    return 0;
}

/*
 * Year, gender, NULLs last, then best first (NaN, worst whatever the
 * direction, after every number): the slices in ranking order.  Ties go by
 * area, so that equal values written differently ("10", "1e1") come out in
 * the same order every time.
 */
static int compare_values(const void *pa, const void *pb)
{
    const slice_value *a = pa, *b = pb;

    if (a->slice != b->slice)
        return a->slice < b->slice ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return (a->area > b->area) - (a->area < b->area);
}

static void put_int(FILE *out, long long n)
{
    char digits[24], *p = digits + sizeof digits;
    unsigned long long u = n < 0 ? -(unsigned long long)n : (unsigned long long)n;

    *--p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (n < 0)
        *--p = '-';
    fputs_unlocked(p, out);
}

/*
 * A goodness as text: the value's own text where higher is better, else
 * its negation, by its sign where the text is a plain number, else printed
 * with every digit a double needs to come back the same.
 */
static void put_goodness(FILE *out, const benchmark *bench, const slice_value *v)
{
    const char *text = bench->arena + v->text;

    if (bench->kpi_higher)
        fputs_unlocked(text, out);
    else if (text[0] == '-')
        fputs_unlocked(text + 1, out);
    else if ((text[0] >= '0' && text[0] <= '9') || text[0] == '.') {
        putc_unlocked('-', out);
        fputs_unlocked(text, out);
    } else if (isinf(v->goodness))
        fputs_unlocked(v->goodness > 0 ? "Infinity" : "-Infinity", out);
    else
        fprintf(out, "%.17g", v->goodness);
}

/* One slice: values[start..end) of one year and gender, in ranking order. */
static void write_slice(benchmark *bench, size_t start, size_t end)
{
    FILE *out = bench->out;
    const slice_value *first = &bench->values[start];
    size_t ranked = start, numbers;
    int comma = 0;

    while (ranked < end && class_of(&bench->values[ranked]) != CLASS_NULL)
        ranked++;
    numbers = ranked;
    while (numbers > start && class_of(&bench->values[numbers - 1]) == CLASS_NAN)
        numbers--;
    fputs_unlocked(bench->kpi, out), putc_unlocked('\t', out);
    put_int(out, year_of(first)), putc_unlocked('\t', out);
    fputs_unlocked(bench->genders.text[gender_of(first)], out), putc_unlocked('\t', out);
    fputs_unlocked(bench->kpi_higher ? "t\t" : "f\t", out);
    put_int(out, (long long)(end - start)), putc_unlocked('\t', out);
    put_int(out, (long long)(ranked - start)), putc_unlocked('\t', out);
    putc_unlocked('{', out);
    /* Best first in memory; the array ascends. */
    for (size_t i = numbers; i > start; i--) {
        if (comma)
            putc_unlocked(',', out);
        put_goodness(out, bench, &bench->values[i - 1]);
        comma = 1;
    }
    fputs_unlocked("}\n", out);
    bench->slice_rows++;
}

/* Write the gathered KPI's slices and forget it. */
static void finish_kpi(benchmark *bench)
{
    size_t start = 0;

    if (bench->kpi == NULL)
        return;
    nk_sort_items(bench->values, bench->value_count, sizeof *bench->values, compare_values);
    while (start < bench->value_count) {
        size_t end = start + 1;
        while (end < bench->value_count &&
               bench->values[end].slice >> CLASS_BITS == bench->values[start].slice >> CLASS_BITS)
            end++;
        write_slice(bench, start, end);
        start = end;
    }
    free(bench->kpi);
    bench->kpi = NULL;
    bench->value_count = 0;
    bench->arena_used = 0;
}

static int start_kpi(benchmark *bench, const char *kpi_id, nk_error *err)
{
    finish_kpi(bench);
    if ((bench->kpi = strdup(kpi_id)) == NULL)
        return out_of_memory(err);
    int k = id_index_find(&bench->kpis, kpi_id, strlen(kpi_id));
    bench->kpi_higher = k < 0 || bench->higher[k];
    return 0;
}

/* Keep the value's text for this KPI at *offset; the arena is reused KPI after KPI. */
static int keep_text(benchmark *bench, const char *text, uint32_t *offset)
{
    size_t length = strlen(text) + 1;

    if (bench->arena_used + length > UINT32_MAX)
        return -1;
    if (grow(&bench->arena, &bench->arena_capacity, bench->arena_used + length, 1))
        return -1;
    memcpy(bench->arena + bench->arena_used, text, length);
    *offset = (uint32_t)bench->arena_used;
    bench->arena_used += length;
    return 0;
}

static int parse_value(const benchmark *bench, const char *text, double *value, nk_error *err)
{
    char *end;

    *value = strtod(text, &end);
    if (end == text || *end != '\0')
        return nk_fail(err, NK_EXIT_DATA,
                       "nyckel.fact_kpi_value: KPI %s has value \"%s\", "
                       "expected a number",
                       bench->kpi, text);
    return 0;
}

int benchmark_add_value(benchmark *bench, const char *kpi_id, const char *area_id,
                        const char *period_id, const char *gender, const char *value, nk_error *err)
{
    slice_value v = { 0 };
    int area, period, g, class = CLASS_NULL;

    if ((bench->kpi == NULL || strcmp(bench->kpi, kpi_id) != 0) &&
        start_kpi(bench, kpi_id, err) < 0)
        return -1;
    area = area_index(bench, area_id);
    period = period_index(bench, period_id);
    g = id_index_intern(&bench->genders, gender, strlen(gender));
    if (area < 0 || period < 0 || g < 0)
        return out_of_memory(err);
    if (!bench->is_municipality[area] || bench->year[period] == 0)
        return 0;
    v.area = (uint32_t)area;
    if (value) {
        double number;
        if (parse_value(bench, value, &number, err) < 0)
            return -1;
        if (keep_text(bench, value, &v.text) < 0)
            return out_of_memory(err);
        v.goodness = bench->kpi_higher ? number : -number;
        class = isnan(number) ? CLASS_NAN : CLASS_NUMBER;
        v.order = class == CLASS_NUMBER ? order_of(v.goodness) : 0;
    }
    v.slice = slice_of(bench->year[period], g, class);
    if (grow(&bench->values, &bench->value_capacity, bench->value_count + 1, sizeof *bench->values))
        return out_of_memory(err);
    bench->values[bench->value_count++] = v;
    return 0;
}

void benchmark_finish(benchmark *bench)
{
    finish_kpi(bench);
}

long long benchmark_slice_rows(const benchmark *bench)
{
    return bench->slice_rows;
}
