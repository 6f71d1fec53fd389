/*
 * fuzz_pnr.c: libFuzzer harness for the personal identity number detector
 * (lib/pnr.h).
 *
 * A miss lets personal data into the warehouse, so beyond not crashing the
 * two entry points must agree: what nk_pnr_find reports inside a
 * text, nk_pnr_check must recognise taken alone, and it must lie
 * within the text.
 */
#include "tests/fuzz/fuzz_support.h"

#include "lib/base/pnr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t offset = 0, length = 0;
    nk_pnr_kind whole = nk_pnr_check(text, size);
    nk_pnr_kind found = nk_pnr_find(text, size, &offset, &length);

    if (found != NK_PNR_NONE) {
        fuzz_check(offset < size && length > 0 && offset + length <= size);
        fuzz_check(nk_pnr_check(text + offset, length) == found);
    }
    if (whole != NK_PNR_NONE)
        fuzz_check(found != NK_PNR_NONE);
    return 0;
}
