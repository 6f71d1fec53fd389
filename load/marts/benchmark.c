/*
 * benchmark.c: ranks, comparison values and group means of one KPI at a
 * time (see benchmark.h for what and why).
 *
 * Ids are interned to small numbers once; a KPI's values are then found by
 * (area, period, gender) in one array indexed by them, so Riket's, the
 * region's and the previous year's value are lookups, and the ranks one
 * sort of the KPI's municipal values.  The rules are those PostgreSQL's
 * rank() window and avg() gave when the marts were computed in SQL: NULL
 * values are not ranked but keep their row, equal values share a rank and
 * the next rank skips, NaN sorts above every number, a group mean ignores
 * NULLs.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/marts/benchmark.h"
#include "lib/base/exit_codes.h"
#include "load/marts/id_index.h"

typedef struct area_info {
    int is_municipality;
    int region;  /* the county region's area index, or -1 */
    int *groups; /* the groups this area is a member of */
    size_t group_count, group_capacity;
} area_info;

/* A (area, period, gender) or (group, period, gender) key and what it holds. */
typedef struct cell {
    uint64_t key;
    int used;
    int row;         /* values: the KPI's row there */
    long long count; /* means: the members with a value, and their sum */
    long double sum; /* wider than the values: the mean then hardly depends on their order */
} cell;

typedef struct cells {
    cell *slots;
    size_t size, used; /* size: a power of two */
} cells;

typedef struct kpi_value {
    int area, period, gender;
    int has_value; /* 0 when Kolada has none */
    size_t text;   /* the value as sent, at this offset in the arena */
    double value;
    int is_ranked;    /* a municipality's value of a year */
    int rank;         /* 0 when it has no value */
    int ranked_count; /* values ranked beside it */
} kpi_value;

/* A municipal value in ranking order. */
typedef struct ranked {
    int year, gender, is_null;
    double key; /* the value, negated where higher is better */
    int row;
} ranked;

struct benchmark {
    FILE *values_out, *means_out;
    id_index areas, periods, genders, kpis;
    area_info *area;      /* by area index */
    int *year, *previous; /* by period index: 0 when not a year; period of the year before */
    signed char *higher;  /* by kpi index */
    size_t area_capacity, year_capacity, previous_capacity, higher_capacity;
    int riket;
    int dims_done;

    char *kpi; /* the KPI being gathered, or NULL */
    int kpi_higher;
    kpi_value *rows;
    size_t row_count, row_capacity;
    char *arena;
    size_t arena_used, arena_capacity;
    int *row_at; /* by cell_index: the gathered KPI's row there, or -1 */
    size_t row_at_size, row_at_capacity;
    cells means;
    ranked *order;
    size_t order_capacity;
    long long value_rows, mean_rows;
};

static int out_of_memory(nk_error *err)
{
    return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory computing the benchmark");
}

static int grow(void *array, size_t *capacity, size_t need, size_t item)
{
    void **p = array;
    size_t cap = *capacity ? *capacity : 64;

    if (need <= *capacity)
        return 0;
    while (cap < need)
        cap *= 2;
    void *bigger = realloc(*p, cap * item);
    if (bigger == NULL)
        return -1;
    *p = bigger;
    *capacity = cap;
    return 0;
}

static uint64_t hash_key(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    return key ^ (key >> 33);
}

/* The cell for key, claimed when new; NULL when out of memory. */
static cell *cells_claim(cells *c, uint64_t key, int *is_new);

static int cells_resize(cells *c, size_t size)
{
    cell *old = c->slots;
    size_t old_size = c->size;

    if ((c->slots = calloc(size, sizeof *c->slots)) == NULL) {
        c->slots = old;
        return -1;
    }
    c->size = size;
    c->used = 0;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].used) {
            int is_new;
            *cells_claim(c, old[i].key, &is_new) = old[i];
        }
    free(old);
    return 0;
}

static cell *cells_claim(cells *c, uint64_t key, int *is_new)
{
    if ((c->used + 1) * 2 > c->size && cells_resize(c, c->size ? c->size * 2 : 1024) < 0)
        return NULL;
    for (size_t i = hash_key(key) & (c->size - 1);; i = (i + 1) & (c->size - 1)) {
        cell *slot = &c->slots[i];
        if (slot->used && slot->key == key) {
            *is_new = 0;
            return slot;
        }
        if (!slot->used) {
            memset(slot, 0, sizeof *slot);
            slot->key = key;
            slot->used = 1;
            c->used++;
            *is_new = 1;
            return slot;
        }
    }
}

static void cells_clear(cells *c)
{
    if (c->used)
        memset(c->slots, 0, c->size * sizeof *c->slots);
    c->used = 0;
}

static uint64_t cell_key(int a, int period, int gender)
{
    return ((uint64_t)a << 42) | ((uint64_t)period << 21) | (uint64_t)gender;
}

/* At most this many (area, period, gender) combinations: 64 MB of row numbers. */
#define ROW_AT_MAX (1 << 24)

static size_t cell_index(const benchmark *bench, int a, int period, int gender)
{
    return ((size_t)a * bench->periods.count + (size_t)period) * bench->genders.count +
           (size_t)gender;
}

benchmark *benchmark_new(FILE *values, FILE *means)
{
    benchmark *bench = calloc(1, sizeof *bench);

    if (bench == NULL)
        return NULL;
    bench->values_out = values;
    bench->means_out = means;
    bench->riket = -1;
    return bench;
}

void benchmark_free(benchmark *bench)
{
    if (bench == NULL)
        return;
    for (size_t i = 0; i < bench->areas.count; i++)
        free(bench->area[i].groups);
    id_index_free(&bench->areas);
    id_index_free(&bench->periods);
    id_index_free(&bench->genders);
    id_index_free(&bench->kpis);
    free(bench->area);
    free(bench->year);
    free(bench->previous);
    free(bench->higher);
    free(bench->kpi);
    free(bench->rows);
    free(bench->arena);
    free(bench->row_at);
    free(bench->means.slots);
    free(bench->order);
    free(bench);
}

/* The area's index, its record made when new. */
static int area_index(benchmark *bench, const char *area_id)
{
    size_t known = bench->areas.count;
    int a = id_index_intern(&bench->areas, area_id, strlen(area_id));

    if (a < 0)
        return -1;
    if ((size_t)a == known) {
        if (grow(&bench->area, &bench->area_capacity, known + 1, sizeof *bench->area) < 0)
            return -1;
        bench->area[a] = (area_info){ 0, -1, NULL, 0, 0 };
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
        if (grow(&bench->year, &bench->year_capacity, known + 1, sizeof *bench->year) < 0 ||
            grow(&bench->previous, &bench->previous_capacity, known + 1, sizeof *bench->previous) <
                0)
            return -1;
        bench->year[p] = 0;
        bench->previous[p] = -1;
    }
    return p;
}

int benchmark_add_area(benchmark *bench, const char *area_id, const char *area_type,
                       const char *county_region_id, nk_error *err)
{
    int a = area_index(bench, area_id);
    int region = county_region_id ? area_index(bench, county_region_id) : -1;

    if (a < 0 || (county_region_id && region < 0))
        return out_of_memory(err);
    bench->area[a].is_municipality = area_type && strcmp(area_type, "municipality") == 0;
    bench->area[a].region = region;
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

int benchmark_add_member(benchmark *bench, const char *group_id, const char *member_id,
                         nk_error *err)
{
    int g = area_index(bench, group_id);
    int m = area_index(bench, member_id);

    if (g < 0 || m < 0)
        return out_of_memory(err);
    area_info *member = &bench->area[m];
    if (grow(&member->groups, &member->group_capacity, member->group_count + 1,
             sizeof *member->groups) < 0)
        return out_of_memory(err);
    member->groups[member->group_count++] = g;
    return 0;
}

/* Once the dimensions are in: Riket, and each year's previous year. */
static void close_dimensions(benchmark *bench)
{
    bench->riket = id_index_find(&bench->areas, "0000", 4);
    for (size_t p = 0; p < bench->periods.count; p++)
        for (size_t q = 0; q < bench->periods.count && bench->year[p]; q++)
            if (bench->year[q] == bench->year[p] - 1)
                bench->previous[p] = (int)q;
    bench->dims_done = 1;
}

/* PostgreSQL's float8 order: NaN above every number and equal to itself. */
static int compare_float(double a, double b)
{
    if (isnan(a))
        return isnan(b) ? 0 : 1;
    if (isnan(b))
        return -1;
    return a < b ? -1 : a > b;
}

static int compare_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;

    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->gender != b->gender)
        return a->gender < b->gender ? -1 : 1;
    if (a->is_null != b->is_null)
        return a->is_null - b->is_null;
    return a->is_null ? 0 : compare_float(a->key, b->key);
}

static void put_text(FILE *out, const char *text)
{
    fputs_unlocked(text ? text : "\\N", out);
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

static void put_tab(FILE *out)
{
    putc_unlocked('\t', out);
}

static const char *value_text(const benchmark *bench, const kpi_value *v)
{
    return v->has_value ? bench->arena + v->text : NULL;
}

/* The value text at (area, period, gender) of this KPI, or NULL. */
static const char *value_at(const benchmark *bench, int a, int period, int gender)
{
    if (a < 0 || period < 0)
        return NULL;
    int row = bench->row_at[cell_index(bench, a, period, gender)];
    return row >= 0 ? value_text(bench, &bench->rows[row]) : NULL;
}

static void write_value_row(benchmark *bench, const kpi_value *v)
{
    FILE *out = bench->values_out;
    int region = bench->area[v->area].region;

    put_text(out, bench->kpi), put_tab(out);
    put_text(out, bench->areas.text[v->area]), put_tab(out);
    put_text(out, bench->periods.text[v->period]), put_tab(out);
    put_int(out, bench->year[v->period]), put_tab(out);
    put_text(out, bench->genders.text[v->gender]), put_tab(out);
    put_text(out, value_text(bench, v)), put_tab(out);
    put_text(out, value_at(bench, bench->riket, v->period, v->gender)), put_tab(out);
    put_text(out, region >= 0 ? bench->areas.text[region] : NULL), put_tab(out);
    put_text(out, value_at(bench, region, v->period, v->gender)), put_tab(out);
    put_text(out, bench->kpi_higher ? "t" : "f"), put_tab(out);
    if (v->rank > 0)
        put_int(out, v->rank);
    else
        put_text(out, NULL);
    put_tab(out);
    put_int(out, v->ranked_count), put_tab(out);
    put_text(out, value_at(bench, v->area, bench->previous[v->period], v->gender));
    putc_unlocked('\n', out);
    bench->value_rows++;
}

/* The KPI's municipal values of a year, in ranking order. */
static int order_values(benchmark *bench, size_t *count)
{
    size_t n = 0;

    if (grow(&bench->order, &bench->order_capacity, bench->row_count, sizeof *bench->order))
        return -1;
    for (size_t i = 0; i < bench->row_count; i++) {
        const kpi_value *v = &bench->rows[i];
        if (!bench->area[v->area].is_municipality || bench->year[v->period] == 0)
            continue;
        bench->order[n++] = (ranked){ bench->year[v->period], v->gender, !v->has_value,
                                      bench->kpi_higher ? -v->value : v->value, (int)i };
    }
    qsort(bench->order, n, sizeof *bench->order, compare_ranked);
    *count = n;
    return 0;
}

static int rank_values(benchmark *bench, nk_error *err)
{
    size_t n, start = 0;

    if (order_values(bench, &n) < 0)
        return out_of_memory(err);
    while (start < n) {
        const ranked *first = &bench->order[start];
        size_t end = start, with_value = 0;
        while (end < n && bench->order[end].year == first->year &&
               bench->order[end].gender == first->gender)
            with_value += !bench->order[end++].is_null;
        int rank = 0;
        for (size_t i = start; i < end; i++) {
            const ranked *r = &bench->order[i];
            kpi_value *v = &bench->rows[r->row];
            if (r->is_null)
                rank = 0;
            else if (i == start || compare_float(r->key, bench->order[i - 1].key) != 0)
                rank = (int)(i - start) + 1;
            v->is_ranked = 1;
            v->rank = rank;
            v->ranked_count = (int)with_value;
        }
        start = end;
    }
    return 0;
}

/*
 * In the order the values came, which is the primary key's: the key is
 * then rebuilt from sorted rows, a fifth faster than from ranking order.
 */
static void write_values(benchmark *bench)
{
    for (size_t i = 0; i < bench->row_count; i++)
        if (bench->rows[i].is_ranked)
            write_value_row(bench, &bench->rows[i]);
}

static int write_means(benchmark *bench, nk_error *err)
{
    FILE *out = bench->means_out;

    cells_clear(&bench->means);
    for (size_t i = 0; i < bench->row_count; i++) {
        const kpi_value *v = &bench->rows[i];
        const area_info *member = &bench->area[v->area];
        for (size_t g = 0; g < member->group_count; g++) {
            int is_new;
            cell *c = cells_claim(&bench->means, cell_key(member->groups[g], v->period, v->gender),
                                  &is_new);
            if (c == NULL)
                return out_of_memory(err);
            if (v->has_value) {
                c->sum += v->value;
                c->count++;
            }
        }
    }
    for (size_t i = 0; i < bench->means.size; i++) {
        const cell *c = &bench->means.slots[i];
        if (!c->used)
            continue;
        put_text(out, bench->areas.text[c->key >> 42]), put_tab(out);
        put_text(out, bench->kpi), put_tab(out);
        put_text(out, bench->periods.text[(c->key >> 21) & (ID_INDEX_MAX - 1)]), put_tab(out);
        put_text(out, bench->genders.text[c->key & (ID_INDEX_MAX - 1)]), put_tab(out);
        if (c->count > 0)
            fprintf(out, "%.17g", (double)(c->sum / (long double)c->count));
        else
            put_text(out, NULL);
        put_tab(out);
        put_int(out, c->count);
        putc_unlocked('\n', out);
        bench->mean_rows++;
    }
    return 0;
}

/*
 * Room for a row number at every (area, period, gender) the warehouse
 * knows, all -1: a few hundred areas, a few dozen periods and three genders
 * make an array that stays in the cache, where the hash table a lookup
 * took before did not.
 */
static int size_row_at(benchmark *bench, nk_error *err)
{
    size_t size = bench->areas.count * bench->periods.count * bench->genders.count;

    /* finish_kpi leaves every entry -1 again; ids are only ever added. */
    if (size <= bench->row_at_size)
        return 0;
    if (size > ROW_AT_MAX)
        return nk_fail(err, NK_EXIT_SOFTWARE,
                       "the benchmark cannot index %zu areas x %zu periods x %zu genders "
                       "(at most %d combinations)",
                       bench->areas.count, bench->periods.count, bench->genders.count, ROW_AT_MAX);
    if (grow(&bench->row_at, &bench->row_at_capacity, size, sizeof *bench->row_at) < 0)
        return out_of_memory(err);
    memset(bench->row_at, 0xff, size * sizeof *bench->row_at);
    bench->row_at_size = size;
    return 0;
}

/* Every row of the gathered KPI where value_at finds it. */
static int index_rows(benchmark *bench, nk_error *err)
{
    if (size_row_at(bench, err) < 0)
        return -1;
    for (size_t i = 0; i < bench->row_count; i++) {
        const kpi_value *v = &bench->rows[i];
        int *row = &bench->row_at[cell_index(bench, v->area, v->period, v->gender)];
        if (*row >= 0)
            return nk_fail(err, NK_EXIT_DATA,
                           "nyckel.fact_kpi_value: KPI %s has two values for area %s, period %s, "
                           "gender %s",
                           bench->kpi, bench->areas.text[v->area], bench->periods.text[v->period],
                           bench->genders.text[v->gender]);
        *row = (int)i;
    }
    return 0;
}

/* Index the gathered KPI, write its rows and forget it. */
static int finish_kpi(benchmark *bench, nk_error *err)
{
    if (bench->kpi == NULL)
        return 0;
    if (index_rows(bench, err) < 0 || rank_values(bench, err) < 0 || write_means(bench, err) < 0)
        return -1;
    write_values(bench);
    for (size_t i = 0; i < bench->row_count; i++) {
        const kpi_value *v = &bench->rows[i];
        bench->row_at[cell_index(bench, v->area, v->period, v->gender)] = -1;
    }
    free(bench->kpi);
    bench->kpi = NULL;
    bench->row_count = 0;
    bench->arena_used = 0;
    return 0;
}

static int start_kpi(benchmark *bench, const char *kpi_id, nk_error *err)
{
    if (finish_kpi(bench, err) < 0)
        return -1;
    if ((bench->kpi = strdup(kpi_id)) == NULL)
        return out_of_memory(err);
    int k = id_index_find(&bench->kpis, kpi_id, strlen(kpi_id));
    bench->kpi_higher = k < 0 || bench->higher[k];
    return 0;
}

/* Keep the value's text for this KPI at *offset; the arena is reused KPI after KPI. */
static int keep_text(benchmark *bench, const char *text, size_t *offset)
{
    size_t length = strlen(text) + 1;

    if (grow(&bench->arena, &bench->arena_capacity, bench->arena_used + length, 1))
        return -1;
    memcpy(bench->arena + bench->arena_used, text, length);
    *offset = bench->arena_used;
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
    kpi_value v = { 0 };

    if (!bench->dims_done)
        close_dimensions(bench);
    if ((bench->kpi == NULL || strcmp(bench->kpi, kpi_id) != 0) &&
        start_kpi(bench, kpi_id, err) < 0)
        return -1;
    v.area = area_index(bench, area_id);
    v.period = period_index(bench, period_id);
    v.gender = id_index_intern(&bench->genders, gender, strlen(gender));
    if (v.area < 0 || v.period < 0 || v.gender < 0)
        return out_of_memory(err);
    if (value) {
        if (parse_value(bench, value, &v.value, err) < 0)
            return -1;
        if (keep_text(bench, value, &v.text) < 0)
            return out_of_memory(err);
        v.has_value = 1;
    }
    if (grow(&bench->rows, &bench->row_capacity, bench->row_count + 1, sizeof *bench->rows))
        return out_of_memory(err);
    bench->rows[bench->row_count++] = v;
    return 0;
}

int benchmark_finish(benchmark *bench, nk_error *err)
{
    return finish_kpi(bench, err);
}

long long benchmark_value_rows(const benchmark *bench)
{
    return bench->value_rows;
}

long long benchmark_mean_rows(const benchmark *bench)
{
    return bench->mean_rows;
}
