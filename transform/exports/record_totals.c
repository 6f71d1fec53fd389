/*
 * record_totals.c: figures added up from records, per group and measure
 * (see record_totals.h).
 *
 * Two open-addressing hash tables: group keys to group numbers, and
 * (figure, person) pairs already counted.  A million records touch each a
 * few times (the month, the quarter, the year, each by kind and for all
 * kinds), so both stay flat arrays with linear probing.  The pairs are
 * most of the memory: 16 bytes each, grown to twice the size at three
 * quarters full (at half full, with 128-bit hashes, a million placements
 * took 590 MB; now about 200 MB).
 */
#include "transform/exports/record_totals.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"

#define EMPTY UINT32_MAX

typedef struct figure {
    double value;
    unsigned char state; /* transform_figure_state */
} figure;

typedef struct counted {
    uint64_t hash;
    uint32_t figure; /* group * measures + measure, or EMPTY */
} counted;

struct transform_totals {
    size_t measures;
    char **keys;     /* by group */
    figure *figures; /* group * measures + measure */
    size_t groups, group_room;
    uint32_t *slots; /* group numbers by key hash, EMPTY when free */
    size_t slot_count;
    counted *people;
    size_t people_used, people_count;
};

static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

transform_totals *transform_totals_new(size_t measures)
{
    transform_totals *t = calloc(1, sizeof *t);

    if (t == NULL)
        return NULL;
    t->measures = measures ? measures : 1;
    t->slot_count = 64;
    t->slots = malloc(t->slot_count * sizeof *t->slots);
    if (t->slots == NULL) {
        free(t);
        return NULL;
    }
    memset(t->slots, 0xFF, t->slot_count * sizeof *t->slots);
    return t;
}

void transform_totals_free(transform_totals *t)
{
    if (t == NULL)
        return;
    for (size_t g = 0; g < t->groups; g++)
        free(t->keys[g]);
    free(t->keys);
    free(t->figures);
    free(t->slots);
    /* The hashes are of people: they leave no trace in freed memory. */
    if (t->people)
        memset(t->people, 0, t->people_count * sizeof *t->people);
    free(t->people);
    free(t);
}

static int grow_slots(transform_totals *t)
{
    size_t count = t->slot_count * 2;
    uint32_t *slots = malloc(count * sizeof *slots);

    if (slots == NULL)
        return -1;
    memset(slots, 0xFF, count * sizeof *slots);
    for (size_t g = 0; g < t->groups; g++) {
        size_t i = key_hash(t->keys[g]) & (count - 1);
        while (slots[i] != EMPTY)
            i = (i + 1) & (count - 1);
        slots[i] = (uint32_t)g;
    }
    free(t->slots);
    t->slots = slots;
    t->slot_count = count;
    return 0;
}

static long add_group(transform_totals *t, const char *key, size_t slot)
{
    /* a group's figures are one item of the pair: measures of them */
    if (nk_grow_pair(&t->keys, sizeof *t->keys, &t->figures, t->measures * sizeof *t->figures,
                     t->groups + 1, &t->group_room, 64) < 0)
        return -1;
    if ((t->keys[t->groups] = strdup(key)) == NULL)
        return -1;
    memset(&t->figures[t->groups * t->measures], 0, t->measures * sizeof *t->figures);
    t->slots[slot] = (uint32_t)t->groups;
    return (long)t->groups++;
}

long transform_totals_group(transform_totals *t, const char *key, int *is_new)
{
    size_t i;

    *is_new = 0;
    if ((t->groups + 1) * 2 > t->slot_count && grow_slots(t) < 0)
        return -1;
    for (i = key_hash(key) & (t->slot_count - 1); t->slots[i] != EMPTY;
         i = (i + 1) & (t->slot_count - 1))
        if (strcmp(t->keys[t->slots[i]], key) == 0)
            return (long)t->slots[i];
    *is_new = 1;
    return add_group(t, key, i);
}

void transform_totals_add(transform_totals *t, long group, size_t measure, double value,
                          int is_missing)
{
    figure *f = &t->figures[(size_t)group * t->measures + measure];

    if (is_missing) {
        if (f->state == TRANSFORM_FIGURE_NONE)
            f->state = TRANSFORM_FIGURE_MISSING;
        return;
    }
    f->value = f->state == TRANSFORM_FIGURE_VALUE ? f->value + value : value;
    f->state = TRANSFORM_FIGURE_VALUE;
}

static size_t person_slot(const counted *table, size_t count, uint32_t figure,
                          const transform_person *person)
{
    size_t i = (size_t)(person->hash ^ (figure * 0x9E3779B97F4A7C15ULL)) & (count - 1);

    while (table[i].figure != EMPTY && (table[i].figure != figure || table[i].hash != person->hash))
        i = (i + 1) & (count - 1);
    return i;
}

static int grow_people(transform_totals *t)
{
    size_t count = t->people_count ? t->people_count * 2 : 1024;
    counted *table = malloc(count * sizeof *table);

    if (table == NULL)
        return -1;
    for (size_t i = 0; i < count; i++)
        table[i].figure = EMPTY;
    for (size_t i = 0; i < t->people_count; i++) {
        if (t->people[i].figure == EMPTY)
            continue;
        transform_person p = { t->people[i].hash };
        table[person_slot(table, count, t->people[i].figure, &p)] = t->people[i];
    }
    if (t->people)
        memset(t->people, 0, t->people_count * sizeof *t->people);
    free(t->people);
    t->people = table;
    t->people_count = count;
    return 0;
}

int transform_totals_person(transform_totals *t, long group, size_t measure,
                            const transform_person *person)
{
    uint32_t figure = (uint32_t)((size_t)group * t->measures + measure);
    size_t i;

    if ((t->people_used + 1) * 4 > t->people_count * 3 && grow_people(t) < 0)
        return -1;
    i = person_slot(t->people, t->people_count, figure, person);
    if (t->people[i].figure == EMPTY) {
        t->people[i].figure = figure;
        t->people[i].hash = person->hash;
        t->people_used++;
        transform_totals_add(t, group, measure, 1, 0);
    }
    return 0;
}

size_t transform_totals_groups(const transform_totals *t)
{
    return t->groups;
}

const char *transform_totals_key(const transform_totals *t, long group)
{
    return t->keys[group];
}

transform_figure_state transform_totals_figure(const transform_totals *t, long group,
                                               size_t measure, double *value)
{
    const figure *f = &t->figures[(size_t)group * t->measures + measure];

    *value = f->value;
    return (transform_figure_state)f->state;
}
