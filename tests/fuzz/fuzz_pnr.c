/*
 * fuzz_pnr.c: libFuzzer harness for the personal identity number detector
 * (transform/cells/pnr.h).
 *
 * A miss lets personal data into the warehouse, so beyond not crashing the
 * two entry points must agree: what transform_pnr_find reports inside a
 * text, transform_pnr_check must recognise taken alone, and it must lie
 * within the text.
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/cells/pnr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t offset = 0, length = 0;
    transform_pnr_kind whole = transform_pnr_check(text, size);
    transform_pnr_kind found = transform_pnr_find(text, size, &offset, &length);

    if (found != TRANSFORM_PNR_NONE) {
        fuzz_check(offset < size && length > 0 && offset + length <= size);
        fuzz_check(transform_pnr_check(text + offset, length) == found);
    }
    if (whole != TRANSFORM_PNR_NONE)
        fuzz_check(found != TRANSFORM_PNR_NONE);
    return 0;
}
