/*
 * fuzz_csv.c: libFuzzer harness for the CSV reader (transform/exports/csv.h).
 *
 * The first byte picks the dialect (separator given or detected, a small or
 * the default field limit) and how the streaming reader is fed: the same
 * bytes are read once from memory and once through a callback that hands
 * out a few bytes at a time, and both must give the same rows, the same
 * error, and rows that keep the reader's promises (line numbers in order,
 * each field NUL-terminated at its length, no more fields than the limit).
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/exports/csv.h"
#include "tests/fuzz/fuzz_rows.h"

typedef struct trickle {
    const uint8_t *data;
    size_t length, at, piece;
} trickle;

static ssize_t read_trickle(void *context, char *buffer, size_t size,
                            char reason[TRANSFORM_ROW_REASON_MAX])
{
    trickle *t = context;
    size_t n = t->length - t->at;

    (void)reason;
    if (n > t->piece)
        n = t->piece;
    if (n > size)
        n = size;
    memcpy(buffer, t->data + t->at, n);
    t->at += n;
    return (ssize_t)n;
}

static void check_row(const transform_row *row, long previous_line)
{
    fuzz_check(row->count >= 1 && row->count <= TRANSFORM_CSV_MAX_FIELDS);
    fuzz_check(row->line > previous_line && row->last_line >= row->line);
    for (size_t i = 0; i < row->count; i++)
        fuzz_check(row->fields[i][row->lengths[i]] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char separators[] = { 0, ';', ',', '\t' };
    char reason_a[TRANSFORM_ROW_REASON_MAX], reason_b[TRANSFORM_ROW_REASON_MAX];
    const transform_row *a, *b;
    long previous_line = 0;
    int rc_a, rc_b;

    if (size == 0)
        return 0;
    char separator = separators[data[0] & 3];
    size_t max_field = (data[0] & 4) ? 16 : 0;
    trickle t = { data + 1, size - 1, 0, 1 + (data[0] >> 3) };
    transform_csv *memory = transform_csv_open_memory((const char *)data + 1, size - 1, separator,
                                                      max_field);
    transform_csv *stream = transform_csv_open(separator, max_field, read_trickle, &t);

    fuzz_check(memory != NULL && stream != NULL);
    do {
        rc_a = transform_csv_next(memory, &a, reason_a);
        rc_b = transform_csv_next(stream, &b, reason_b);
        fuzz_check(rc_a == rc_b);
        if (rc_a == 1) {
            check_row(a, previous_line);
            fuzz_check(fuzz_same_row(a, b) && !a->problem == !b->problem);
            previous_line = a->last_line;
        }
    } while (rc_a == 1);
    if (rc_a < 0)
        fuzz_check(strcmp(reason_a, reason_b) == 0);
    fuzz_check(transform_csv_separator(memory) == transform_csv_separator(stream));
    transform_csv_close(memory);
    transform_csv_close(stream);
    return 0;
}
