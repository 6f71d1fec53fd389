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

int transform_name_equal(const char *a, const char *b)
{
    char *ka = transform_name_key(a, strlen(a)), *kb = transform_name_key(b, strlen(b));
    int equal = ka && kb && strcmp(ka, kb) == 0;

    free(ka);
    free(kb);
    return equal;
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
