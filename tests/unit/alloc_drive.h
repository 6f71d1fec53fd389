/*
 * alloc_drive.h: the driver of the allocation-failure tests (see
 * lib/base/alloc_faults.h), shared by alloc_faults_test.c and
 * alloc_faults_growth_test.c.
 *
 * A scenario runs once without failures for the reference, then again with
 * the n-th allocation failing for n = 1, 2, 3, ... until a run makes fewer
 * than n allocations, as SQLite's test harness does.  Each run that fails
 * must say "out of memory"; a run that gets past its failure must give
 * exactly the reference's output.  Under `make check-sanitize` a crash or a
 * leak on any of those paths fails the test too.  What a run prints is kept
 * in static memory, so that the driver itself allocates nothing while a
 * failure is armed.  Include it after <cmocka.h>; the test is linked with
 * $(ALLOC_FAULTS_LDFLAGS) (see the Makefile's ALLOC_FAULTS_TESTS).
 */
#ifndef NYCKEL_TESTS_ALLOC_DRIVE_H
#define NYCKEL_TESTS_ALLOC_DRIVE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/base/alloc_faults.h"
#include "lib/base/error.h"

#define ALLOC_DRIVE_OUT_MAX (256 * 1024)

/* What one run printed, and the error that ended it ("" when it succeeded). */
static char out[ALLOC_DRIVE_OUT_MAX], reference[ALLOC_DRIVE_OUT_MAX];
static size_t out_used;
static char failure[NK_ERROR_MAX];

static inline void print(const char *fmt, ...) NK_PRINTF(1, 2);
static inline void print(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    int n = vsnprintf(out + out_used, sizeof out - out_used, fmt, args);
    va_end(args);
    if (n > 0)
        out_used += (size_t)n < sizeof out - out_used ? (size_t)n : sizeof out - out_used - 1;
}

/* The run failed for reason: -1, for the scenario to return. */
static inline int fail_with(const char *reason)
{
    snprintf(failure, sizeof failure, "%s", reason[0] ? reason : "(no reason given)");
    return -1;
}

/* One run: 0 when it succeeded, or fail_with's -1. */
typedef int (*scenario)(void);

/*
 * Run once without failures for the reference, then with the n-th
 * allocation failing for every n the run reaches.  Returns the number of
 * allocations of a whole run.
 */
static inline unsigned long drive(const char *name, scenario run)
{
    unsigned long allocations, n;

    out_used = 0;
    out[0] = failure[0] = '\0';
    nk_alloc_faults_arm(0);
    int rc = run();
    allocations = nk_alloc_faults_count();
    if (rc != 0)
        fail_msg("%s: the run without failures failed: %s", name, failure);
    memcpy(reference, out, out_used + 1);
    for (n = 1;; n++) {
        out_used = 0;
        out[0] = failure[0] = '\0';
        nk_alloc_faults_arm(n);
        rc = run();
        int hit = nk_alloc_faults_hit();
        nk_alloc_faults_arm(0);
        if (!hit)
            break;
        if (rc != 0 && strstr(failure, "out of memory") == NULL)
            fail_msg("%s: allocation %lu failing: \"%s\" does not say out of memory", name, n,
                     failure);
        if (rc == 0 && strcmp(out, reference) != 0)
            fail_msg("%s: allocation %lu failing: the run succeeded with other output:\n%.300s\n"
                     "instead of:\n%.300s",
                     name, n, out, reference);
    }
    assert_int_equal(n - 1, allocations);
    print_message("%s: %lu allocations, each failed once\n", name, allocations);
    return allocations;
}

#endif
