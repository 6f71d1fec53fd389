/*
 * fuzz_period.c: libFuzzer harness for the period parser
 * (transform/cells/period.h).
 *
 * The first two bytes give the context year (or none); the rest is the
 * text.  A period that parses must be possible: months 1..12 in order, an
 * id that fits, and dates that a second parse of its own id agrees with.
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/cells/period.h"

static void check_period(const transform_period *period)
{
    char start[11], end[11], reason[TRANSFORM_PERIOD_REASON_MAX];
    transform_period again;

    fuzz_check(period->first_month >= 1 && period->first_month <= period->last_month &&
               period->last_month <= 12);
    fuzz_check(memchr(period->id, '\0', sizeof period->id) != NULL && period->id[0] != '\0');
    fuzz_check(transform_granularity_name(period->granularity) != NULL);
    transform_period_dates(period, start, end);
    fuzz_check(strlen(start) == 10 && strlen(end) == 10 && strcmp(start, end) < 0);
    if (period->granularity != TRANSFORM_PERIOD_RANGE &&
        transform_period_parse(period->id, strlen(period->id), 0, &again, reason) == 0)
        fuzz_check(strcmp(again.id, period->id) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char reason[TRANSFORM_PERIOD_REASON_MAX];
    transform_period period;
    int context_year;

    if (size < 2)
        return 0;
    context_year = (data[0] | data[1] << 8) % 2200;
    if (context_year < 1000)
        context_year = 0;
    memset(reason, 0, sizeof reason);
    if (transform_period_parse((const char *)data + 2, size - 2, context_year, &period, reason) ==
        0)
        check_period(&period);
    else
        fuzz_check(reason[0] != '\0');
    if (transform_period_make((transform_granularity)(data[0] % 5), context_year, data[1] % 16,
                              &period, reason) == 0)
        check_period(&period);
    return 0;
}
