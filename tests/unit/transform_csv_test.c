/*
 * transform_csv_test.c: the streaming CSV reader (transform/exports/csv.c).  Each
 * table row is an input and the rows it must give, written as
 * "first-last:field|field / ..." with line breaks inside fields as \n and
 * \r, or the error it must give.  Every input is read whole and also fed one
 * byte at a time, which must not change the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "transform/exports/csv.h"

typedef struct csv_case {
    const char *input;
    char separator;    /* 0: detect */
    const char *rows;  /* NULL when an error is expected */
    const char *error; /* a piece of the error */
    char detected;
    size_t length; /* 0: the input is a C string */
} csv_case;

static const csv_case cases[] = {
    { "a;b;c\n1;2;3\n", 0, "1-1:a|b|c / 2-2:1|2|3", NULL, ';', 0 },
    { "a;b;c\r\n1;2;3\r\n", 0, "1-1:a|b|c / 2-2:1|2|3", NULL, ';', 0 },
    { "a;b\r1;2\r", 0, "1-1:a|b / 2-2:1|2", NULL, ';', 0 },
    { "a;b\n1;2", 0, "1-1:a|b / 2-2:1|2", NULL, ';', 0 },
    { "a,b,c\n1,2,3\n", 0, "1-1:a|b|c / 2-2:1|2|3", NULL, ',', 0 },
    { "a\tb\n1\t2\n", 0, "1-1:a|b / 2-2:1|2", NULL, '\t', 0 },
    /* Decimal commas do not fool detection: separators are counted on the first line. */
    { "Enhet;Belopp\nA;1,5\n", 0, "1-1:Enhet|Belopp / 2-2:A|1,5", NULL, ';', 0 },
    { "\"a;b\",c,d\n", 0, "1-1:a;b|c|d", NULL, ',', 0 },
    { "one column\nvalue\n", 0, "1-1:one column / 2-2:value", NULL, ';', 0 },
    { "a;b\n", ',', "1-1:a;b", NULL, ',', 0 },
    /* Quotes. */
    { "\"a;b\";\"say \"\"hi\"\"\"\n", ';', "1-1:a;b|say \"hi\"", NULL, ';', 0 },
    { "\"two\nlines\";x\nnext;y\n", ';', "1-2:two\\nlines|x / 3-3:next|y", NULL, ';', 0 },
    { "\"crlf\r\ninside\";x\r\nnext;y\r\n", ';', "1-2:crlf\\r\\ninside|x / 3-3:next|y", NULL, ';',
      0 },
    { "ab\"c;d\n", ';', "1-1:ab\"c|d", NULL, ';', 0 },
    { "\"\";\"\"\n", ';', "1-1:|", NULL, ';', 0 },
    { "\"end\"", ';', "1-1:end", NULL, ';', 0 },
    /* Empty fields, empty lines and ragged rows. */
    { ";;\n", ';', "1-1:||", NULL, ';', 0 },
    { "a;b\n\n\r\n1;2;3\n4\n", ';', "1-1:a|b / 4-4:1|2|3 / 5-5:4", NULL, ';', 0 },
    { "", ';', "", NULL, ';', 0 },
    { "\n\n", ';', "", NULL, ';', 0 },
    /* Errors. */
    { "a;\"never closed\nb;c\n", ';', NULL, "line 1: a quoted field never ends", ';', 0 },
    { "a;b\n\"x\"y;z\n", ';', NULL, "line 2: expected a separator", ';', 0 },
    /* Unreadable bytes spoil their line only ('!'): reading goes on. */
    { "a;b\n1;\0;3\n4;5\n", ';', "1-1:a|b / 2-2!:1||3 / 3-3:4|5", NULL, ';', 14 },
    { "a\n\0\nb\n", ';', "1-1:a / 2-2!: / 3-3:b", NULL, ';', 6 },
    /* Between CR and LF it is skipped: the two still end one line. */
    { "a;b\r\0\nc;d\r\n", ';', "1-1:a|b / 2-2!:c|d", NULL, ';', 11 },
    { "a;b\n\x01x;y\nz;\x7f\n\tw;v\n", ';', "1-1:a|b / 2-2!:x|y / 3-3!:z| / 4-4:\tw|v", NULL, ';',
      0 },
};

static void describe_row(const transform_row *row, char *out, size_t size)
{
    size_t used = strlen(out);

    used += (size_t)snprintf(out + used, size - used, "%s%ld-%ld%s:", used ? " / " : "", row->line,
                             row->last_line, row->problem ? "!" : "");
    for (size_t i = 0; i < row->count && used < size - 8; i++) {
        if (i)
            out[used++] = '|';
        for (const char *p = row->fields[i]; *p && used < size - 8; p++) {
            if (*p == '\n' || *p == '\r') {
                out[used++] = '\\';
                out[used++] = *p == '\n' ? 'n' : 'r';
            } else {
                out[used++] = *p;
            }
        }
        assert_int_equal(row->lengths[i], strlen(row->fields[i]));
    }
    out[used] = '\0';
}

/* Feeds one byte a call, to cross every buffer boundary. */
typedef struct trickle {
    const char *data;
    size_t length, at;
} trickle;

static ssize_t read_trickle(void *context, char *buffer, size_t size,
                            char reason[TRANSFORM_ROW_REASON_MAX])
{
    trickle *t = context;
    (void)size;
    (void)reason;
    if (t->at == t->length)
        return 0;
    buffer[0] = t->data[t->at++];
    return 1;
}

static size_t input_length(const csv_case *c)
{
    return c->length ? c->length : strlen(c->input);
}

static void run_case(const csv_case *c, transform_csv *csv)
{
    char rows[1024] = "", reason[TRANSFORM_ROW_REASON_MAX] = "";
    const transform_row *row;
    int rc;

    while ((rc = transform_csv_next(csv, &row, reason)) == 1)
        describe_row(row, rows, sizeof rows);
    if (c->rows) {
        assert_int_equal(rc, 0);
        assert_string_equal(rows, c->rows);
        assert_int_equal(transform_csv_separator(csv), c->detected);
    } else {
        assert_int_equal(rc, -1);
        assert_non_null(strstr(reason, c->error));
        assert_int_equal(transform_csv_next(csv, &row, reason), -1);
    }
    transform_csv_close(csv);
}

static void test_csv_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const csv_case *c = &cases[i];
        trickle t = { c->input, input_length(c), 0 };
        print_message("case %zu\n", i);
        run_case(c, transform_csv_open_memory(c->input, input_length(c), c->separator, 0));
        run_case(c, transform_csv_open(c->separator, 0, read_trickle, &t));
    }
}

/* A field over the limit is an error naming the line, and memory stays bounded. */
static void test_csv_field_limit(void **state)
{
    size_t size = 4 * 1024 * 1024;
    char *data = malloc(size), reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    transform_csv *csv;
    (void)state;

    memcpy(data, "a;b\nx;", 6);
    memset(data + 6, 'y', size - 6);
    csv = transform_csv_open_memory(data, size, ';', 1024 * 1024);
    assert_int_equal(transform_csv_next(csv, &row, reason), 1);
    assert_int_equal(transform_csv_next(csv, &row, reason), -1);
    assert_non_null(strstr(reason, "line 2: a field longer than 1048576 bytes"));
    transform_csv_close(csv);
    free(data);
}

static void test_csv_too_many_fields(void **state)
{
    size_t size = 2 * TRANSFORM_CSV_MAX_FIELDS + 10;
    char *data = malloc(size), reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    transform_csv *csv;
    (void)state;

    memset(data, ';', size);
    csv = transform_csv_open_memory(data, size, ';', 0);
    assert_int_equal(transform_csv_next(csv, &row, reason), -1);
    assert_non_null(strstr(reason, "more than 10000 fields"));
    transform_csv_close(csv);
    free(data);
}

/* Many rows stream through without the reader growing. */
static void test_csv_many_rows(void **state)
{
    char line[] = "enhet;2023-01;12,5\n";
    size_t count = 20000, size = count * (sizeof line - 1);
    char *data = malloc(size), reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    transform_csv *csv;
    long rows = 0;
    (void)state;

    for (size_t i = 0; i < count; i++)
        memcpy(data + i * (sizeof line - 1), line, sizeof line - 1);
    csv = transform_csv_open_memory(data, size, 0, 0);
    while (transform_csv_next(csv, &row, reason) == 1) {
        rows++;
        assert_int_equal(row->line, rows);
        assert_int_equal(row->count, 3);
    }
    assert_int_equal(rows, (long)count);
    transform_csv_close(csv);
    free(data);
}

static ssize_t read_failing(void *context, char *buffer, size_t size,
                            char reason[TRANSFORM_ROW_REASON_MAX])
{
    (void)context;
    (void)buffer;
    (void)size;
    snprintf(reason, TRANSFORM_ROW_REASON_MAX, "disk on fire");
    return -1;
}

static void test_csv_read_error(void **state)
{
    char reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    transform_csv *csv = transform_csv_open(';', 0, read_failing, NULL);
    (void)state;
    assert_int_equal(transform_csv_next(csv, &row, reason), -1);
    assert_string_equal(reason, "disk on fire");
    transform_csv_close(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_cases),           cmocka_unit_test(test_csv_field_limit),
        cmocka_unit_test(test_csv_too_many_fields), cmocka_unit_test(test_csv_many_rows),
        cmocka_unit_test(test_csv_read_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
