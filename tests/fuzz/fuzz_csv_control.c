/*
 * fuzz_csv_control.c: libFuzzer harness for CSV lines holding NUL and other
 * control bytes (transform/exports/csv.h).
 *
 * The first byte picks the separator (';', ',' or tab) and a control byte
 * (NUL, 0x01, 0x08, 0x0B, 0x0C, 0x1A, 0x1F or DEL) that stands for every '~'
 * of the rest.  An unreadable byte must spoil only its own row and be read
 * as if absent: the input is read once as it is and once with every such
 * byte taken out, and both must give the same rows (rows of one empty field
 * aside: a line of nothing but control bytes is such a row in the one and
 * no row in the other) and the same end.  Rows never hold a control byte
 * but tab; a row whose problem is set names a line of its own.
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/exports/csv.h"
#include "tests/fuzz/fuzz_rows.h"

static int unreadable(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

static int lone_empty(const transform_row *row)
{
    return row->count == 1 && row->lengths[0] == 0;
}

/* The next row that is not a lone empty field; rc as transform_csv_next. */
static int next_kept(transform_csv *csv, const transform_row **row, char *reason)
{
    int rc;

    while ((rc = transform_csv_next(csv, row, reason)) == 1 && lone_empty(*row))
        continue;
    return rc;
}

static void check_row(const transform_row *row)
{
    for (size_t i = 0; i < row->count; i++)
        for (size_t k = 0; k < row->lengths[i]; k++)
            fuzz_check(!unreadable((unsigned char)row->fields[i][k]));
    if (row->problem) {
        long line = strtol(row->problem + strlen("line "), NULL, 10);
        fuzz_check(strncmp(row->problem, "line ", 5) == 0);
        fuzz_check(line >= row->line && line <= row->last_line);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char separators[] = { ';', ',', '\t', ';' };
    static const char controls[] = { 0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1A, 0x1F, 0x7F };
    char reason_a[TRANSFORM_ROW_REASON_MAX], reason_b[TRANSFORM_ROW_REASON_MAX];
    const transform_row *a, *b;
    size_t clean_size = 0;
    int rc_a, rc_b;

    if (size == 0)
        return 0;
    char *input = fuzz_string(data + 1, size - 1), *clean = fuzz_string(data + 1, size - 1);
    for (size_t i = 0; i < size - 1; i++) {
        if (input[i] == '~')
            input[i] = controls[(data[0] >> 2) & 7];
        if (!unreadable((unsigned char)input[i]))
            clean[clean_size++] = input[i];
    }
    char separator = separators[data[0] & 3];
    transform_csv *with = transform_csv_open_memory(input, size - 1, separator, 0);
    transform_csv *without = transform_csv_open_memory(clean, clean_size, separator, 0);
    do {
        rc_a = next_kept(with, &a, reason_a);
        rc_b = next_kept(without, &b, reason_b);
        fuzz_check(rc_a == rc_b);
        if (rc_a == 1) {
            check_row(a);
            fuzz_check(fuzz_same_row(a, b) && b->problem == NULL);
        }
    } while (rc_a == 1);
    if (rc_a < 0)
        fuzz_check(strcmp(reason_a, reason_b) == 0);
    transform_csv_close(with);
    transform_csv_close(without);
    free(input);
    free(clean);
    return 0;
}
