/*
 * names.c: comparison keys for names (see names.h).
 */
#include "names.h"
#include "spaces.h"

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
