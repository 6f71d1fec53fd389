/*
 * fuzz_xlsx.c: libFuzzer harness for the XLSX reader (transform/exports/xlsx.h):
 * the zip container, the workbook and relationship parts, shared strings
 * and the sheet's cells.
 *
 * The first byte picks the cell limit and whether a sheet is asked for by
 * name; the rest is the workbook.  Rows handed out must keep the reader's
 * promises: fields NUL-terminated at their length and no longer than the
 * limit; an error must say why.  (Row numbers are the sheet's own "r"
 * attributes, which a damaged sheet may repeat, so their order is not
 * checked.)
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/exports/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    const transform_row *row;
    int rc;

    if (size == 0)
        return 0;
    size_t max_cell = (data[0] & 1) ? 32 : 0;
    const char *sheet = (data[0] & 2) ? "Blad1" : NULL;
    transform_xlsx *xlsx = transform_xlsx_open_memory(data + 1, size - 1, sheet, max_cell, reason);

    if (xlsx == NULL) {
        fuzz_check(reason[0] != '\0');
        return 0;
    }
    while ((rc = transform_xlsx_next(xlsx, &row, reason)) == 1) {
        for (size_t i = 0; i < row->count; i++) {
            fuzz_check(row->fields[i][row->lengths[i]] == '\0');
            fuzz_check(max_cell == 0 || row->lengths[i] <= max_cell);
        }
    }
    if (rc < 0)
        fuzz_check(reason[0] != '\0');
    transform_xlsx_close(xlsx);
    return 0;
}
