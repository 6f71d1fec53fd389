/*
 * spaces.c: recognising the spaces of Swedish exports (see spaces.h).
 */
#include "transform/cells/spaces.h"

size_t transform_group_space_at(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t left = (size_t)(end - p);

    if (left >= 1 && u[0] == ' ')
        return 1;
    if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89))
        return 3;
    return 0;
}

size_t transform_space_at(const char *p, const char *end)
{
    if (p < end && (*p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' || *p == '\f'))
        return 1;
    return transform_group_space_at(p, end);
}
