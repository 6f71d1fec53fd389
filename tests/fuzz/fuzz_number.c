/*
 * fuzz_number.c: libFuzzer harness for the number and unit parsers
 * (transform/cells/number.h).
 *
 * The first byte picks the file's decimal mark and the column header's unit;
 * the rest is the cell.  Besides not crashing, a parsed number must be
 * finite, an error must say why, and the unit functions must agree with
 * each other on the same text.
 */
#include <math.h>

#include "tests/fuzz/fuzz_support.h"

#include "transform/cells/number.h"

static const char *const header_units[] = { NULL, "tkr",     "mnkr",    "kr",
                                            "%",  "kr/dygn", "procent", "mkr" };

static void check_units(const char *text)
{
    transform_unit unit, header, scaled;
    char reason[TRANSFORM_REASON_MAX], name[64];
    double out;

    if (transform_unit_parse(text, &unit) == 0) {
        transform_unit_name(&unit, name, sizeof name);
        fuzz_check(transform_unit_parse(name, &scaled) == 0 || unit.kind == TRANSFORM_UNIT_NONE);
        fuzz_check(transform_unit_convert(1.5, &unit, &unit, &out, reason) == 0);
    }
    if (transform_unit_in_header(text, &header, reason) < 0)
        fuzz_check(reason[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    transform_unit header = { 0 }, target;
    transform_number number;
    char reason[TRANSFORM_REASON_MAX];
    const char *unit_name;
    char decimal_mark;
    double converted;

    if (size == 0)
        return 0;
    decimal_mark = (data[0] & 1) ? '.' : ',';
    unit_name = header_units[(data[0] >> 1) % (sizeof header_units / sizeof header_units[0])];
    if (unit_name && transform_unit_parse(unit_name, &header) != 0)
        abort();
    transform_number_parse((const char *)data + 1, size - 1, decimal_mark,
                           unit_name ? &header : NULL, &number);
    if (number.status == TRANSFORM_NUMBER_OK) {
        fuzz_check(isfinite(number.value));
        if (transform_unit_parse("tkr", &target) == 0 &&
            transform_unit_convert(number.value, &number.unit, &target, &converted, reason) == 0)
            fuzz_check(!isnan(converted));
    } else if (number.status == TRANSFORM_NUMBER_ERROR) {
        fuzz_check(number.reason[0] != '\0');
    }
    char *text = fuzz_string(data + 1, size - 1);
    check_units(text);
    free(text);
    return 0;
}
