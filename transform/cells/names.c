/*
 * names.c: comparison keys for names (see names.h).
 */
#include "transform/cells/names.h"
#include "transform/cells/spaces.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *transform_name_key(const char *text, size_t length)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + length;
    char *key = malloc(length + 1);
    size_t n = 0, w;
    int pending_space = 0;

    if (key == NULL)
        return NULL;
    while (p < end) {
        if ((w = transform_space_at((const char *)p, (const char *)end)) > 0) {
            pending_space = n > 0;
            p += w;
            continue;
        }
        if (pending_space)
            key[n++] = ' ';
        pending_space = 0;
        if (end - p >= 2 && p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            key[n++] = (char)p[0];
            key[n++] = (char)(p[1] + 0x20);
            p += 2;
        } else {
            key[n++] = (char)tolower(*p++);
        }
    }
    key[n] = '\0';
    return key;
}

/* A name's comparison key read a byte at a time, as transform_name_key writes it. */
typedef struct key_reader {
    const unsigned char *p, *end;
    int started, pending_space, second; /* second: the byte after 0xC3, or -1 */
} key_reader;

static int next_key_byte(key_reader *r)
{
    const char *end = (const char *)r->end;
    size_t w;
    int c = r->second;

    if (c >= 0) {
        r->second = -1;
        return c;
    }
    while (r->p < r->end && (w = transform_space_at((const char *)r->p, end)) > 0) {
        r->pending_space = r->started;
        r->p += w;
    }
    if (r->p == r->end)
        return -1;
    if (r->pending_space) {
        r->pending_space = 0;
        return ' ';
    }
    r->started = 1;
    if (r->end - r->p >= 2 && r->p[0] == 0xC3 && r->p[1] >= 0x80 && r->p[1] <= 0x9E &&
        r->p[1] != 0x97) {
        r->second = r->p[1] + 0x20;
        r->p += 2;
        return 0xC3;
    }
    return tolower(*r->p++);
}

/* Compared a byte at a time, so that no allocation can fail and make two names differ. */
int transform_name_equal(const char *a, const char *b)
{
    key_reader ra = { (const unsigned char *)a, (const unsigned char *)a + strlen(a), 0, 0, -1 };
    key_reader rb = { (const unsigned char *)b, (const unsigned char *)b + strlen(b), 0, 0, -1 };
    int ca, cb;

    do {
        ca = next_key_byte(&ra);
        cb = next_key_byte(&rb);
    } while (ca == cb && ca >= 0);
    return ca == cb;
}

/* Longer keys are no typing slip of one another: give up on them. */
#define DISTANCE_MAX_KEY 128

size_t transform_name_distance(const char *a, const char *b, size_t cap)
{
    char *x = transform_name_key(a, strlen(a)), *y = transform_name_key(b, strlen(b));
    size_t n = x ? strlen(x) : 0, m = y ? strlen(y) : 0, row[DISTANCE_MAX_KEY + 1];
    size_t result = cap + 1;

    if (x && y && n <= DISTANCE_MAX_KEY && m <= DISTANCE_MAX_KEY) {
        for (size_t j = 0; j <= m; j++)
            row[j] = j;
        for (size_t i = 1; i <= n; i++) {
            size_t diagonal = row[0];
            row[0] = i;
            for (size_t j = 1; j <= m; j++) {
                size_t above = row[j], best = diagonal + (x[i - 1] != y[j - 1]);
                if (above + 1 < best)
                    best = above + 1;
                if (row[j - 1] + 1 < best)
                    best = row[j - 1] + 1;
                diagonal = above;
                row[j] = best;
            }
        }
        result = row[m] < cap + 1 ? row[m] : cap + 1;
    }
    free(x);
    free(y);
    return result;
}
