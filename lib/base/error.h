/*
 * error.h: errors that carry their context up to main.
 *
 * Library code never prints and never exits.  It fills an nk_error with one
 * line a person can act on (file, line or byte, what was expected, what was
 * found) and the exit status that line deserves, then returns -1.  Callers
 * higher up may prefix more context; only main() prints it and exits.
 */
#ifndef NYCKEL_ERROR_H
#define NYCKEL_ERROR_H

#include <stddef.h>

#define NK_ERROR_MAX 2048

typedef struct nk_error {
    int exit_code;              /* an enum nk_exit value; 0 while no error */
    char message[NK_ERROR_MAX]; /* one line, no trailing newline */
} nk_error;

#define NK_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Record an error; always returns -1 so that callers can `return nk_fail(...)`. */
int nk_fail(nk_error *err, int exit_code, const char *fmt, ...) NK_PRINTF(3, 4);

/* Put "context: " in front of the message already recorded. */
void nk_error_prefix(nk_error *err, const char *fmt, ...) NK_PRINTF(2, 3);

void nk_error_clear(nk_error *err);

#endif
