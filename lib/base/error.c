/*
 * error.c: filling and prefixing nk_error values (see error.h).
 */
#include "lib/base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * An error is one line, but its arguments may come from the bad input
 * itself (a file name, an archive member, the text jansson quotes around a
 * syntax error), and a line break or other control byte there would split
 * it or garble the terminal: those become spaces.
 */
static void keep_one_line(char *message)
{
    for (unsigned char *p = (unsigned char *)message; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = ' ';
}

int nk_fail(nk_error *err, int exit_code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    err->exit_code = exit_code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    keep_one_line(err->message);
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
    keep_one_line(err->message);
}

void nk_error_clear(nk_error *err)
{
    err->exit_code = 0;
    err->message[0] = '\0';
}
