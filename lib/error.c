/*
 * error.c: filling and prefixing nk_error values (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int nk_fail(nk_error *err, int exit_code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    err->exit_code = exit_code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

void nk_error_prefix(nk_error *err, const char *fmt, ...)
{
    char prefix[NK_ERROR_MAX];
    char joined[NK_ERROR_MAX];
    va_list ap;

    if (err == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    /* A message too long for the buffer loses its end, never its context. */
    if (snprintf(joined, sizeof joined, "%s: %s", prefix, err->message) < 0)
        return;
    memcpy(err->message, joined, sizeof err->message);
}

void nk_error_clear(nk_error *err)
{
    err->exit_code = 0;
    err->message[0] = '\0';
}
