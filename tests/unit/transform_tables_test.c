/*
 * transform_tables_test.c: unit tests of the staged COPY files
 * (transform/staged/tables.c): rows written to several tables in turn, across many
 * blocks and with a field longer than a block, come back byte for byte in
 * COPY text, escaped, with NULL as \N; the manifest's row counts and sha256
 * match the files; an abandoned set leaves no file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/buffer.h"
#include "lib/base/files.h"
#include "transform/staged/tables.h"
#include "tests/unit/temp_dir.h"

static char dir[64];

static int set_up(void **state)
{
    (void)state;
    return temp_dir_make(dir, sizeof dir, "tables");
}

static int tear_down(void **state)
{
    (void)state;
    return temp_dir_remove(dir);
}

/* More of the text the test expects a file to hold. */
static void expect(nk_buffer *e, const char *line)
{
    assert_int_equal(nk_buffer_add_text(e, line), 0);
}

static void assert_file_holds(const char *name, const nk_buffer *e, const json_t *entry)
{
    char *path = nk_path_join(dir, name), hex[65];
    size_t size = 0;
    nk_error err = { 0 };
    char *text = nk_read_file(path, "COPY file", 0, &size, 1, &err);
    nk_sha256 *sha = nk_sha256_new();

    assert_non_null(text);
    assert_int_equal(size, e->length);
    assert_memory_equal(text, e->data, size);
    nk_sha256_update(sha, text, size);
    nk_sha256_finish(sha, hex);
    assert_string_equal(json_string_value(json_object_get(entry, "sha256")), hex);
    free(text);
    free(path);
}

static const json_t *entry_of(const json_t *list, const char *table)
{
    size_t i;
    json_t *entry;

    json_array_foreach (list, i, entry)
        if (strcmp(json_string_value(json_object_get(entry, "table")), table) == 0)
            return entry;
    fail_msg("no manifest entry for %s", table);
    return NULL;
}

static void rows_in_turn_come_back_exactly(void **state)
{
    transform_tables *tables = transform_tables_open(dir);
    nk_buffer members = NK_BUFFER_INIT(0, 0), periods = NK_BUFFER_INIT(0, 0);
    char group[32], member[32], year[8], line[128];
    size_t long_length = 3u << 20;
    char *long_title = malloc(long_length + 1);
    nk_error err = { 0 };
    json_t *list;

    (void)state;
    memset(long_title, 'x', long_length);
    long_title[long_length] = '\0';
    for (int i = 0; i < 60000; i++) {
        snprintf(group, sizeof group, "G%05d\t", i);
        snprintf(member, sizeof member, "%04d\\", i % 10000);
        assert_int_equal(transform_table_row(tables, "area_group_member",
                                             (const char *const[]){ group, member }, &err),
                         0);
        snprintf(line, sizeof line, "G%05d\\t\t%04d\\\\\n", i, i % 10000);
        expect(&members, line);
        if (i % 20000 == 0) {
            snprintf(year, sizeof year, "%d", 2000 + i / 20000);
            assert_int_equal(transform_table_row(tables, "dim_period",
                                                 (const char *const[]){ year, "year", NULL,
                                                                        long_title, "a\nb" },
                                                 &err),
                             0);
            expect(&periods, year);
            expect(&periods, "\tyear\t\\N\t");
            expect(&periods, long_title);
            expect(&periods, "\ta\\nb\n");
        }
    }
    list = transform_tables_close(tables, &err);
    assert_non_null(list);
    assert_int_equal(json_integer_value(json_object_get(entry_of(list, "area_group_member"),
                                                        "rows")),
                     60000);
    assert_int_equal(json_integer_value(json_object_get(entry_of(list, "dim_period"), "rows")), 3);
    assert_file_holds("area_group_member.copy", &members, entry_of(list, "area_group_member"));
    assert_file_holds("dim_period.copy", &periods, entry_of(list, "dim_period"));
    json_decref(list);
    nk_buffer_free(&members);
    nk_buffer_free(&periods);
    free(long_title);
}

static void an_abandoned_set_leaves_no_file(void **state)
{
    transform_tables *tables = transform_tables_open(dir);
    nk_error err = { 0 };
    char *path = nk_path_join(dir, "area_group_member.copy");

    (void)state;
    assert_int_equal(transform_table_row(tables, "area_group_member",
                                         (const char *const[]){ "G1", "0580" }, &err),
                     0);
    assert_int_equal(access(path, F_OK), 0);
    transform_tables_abandon(tables);
    assert_int_not_equal(access(path, F_OK), 0);
    free(path);
}

static void an_unknown_table_is_an_error(void **state)
{
    transform_tables *tables = transform_tables_open(dir);
    nk_error err = { 0 };

    (void)state;
    assert_int_equal(transform_table_row(tables, "fact_nothing", (const char *const[]){ "a" },
                                         &err),
                     -1);
    assert_non_null(strstr(err.message, "no staged table named \"fact_nothing\""));
    transform_tables_abandon(tables);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rows_in_turn_come_back_exactly, set_up, tear_down),
        cmocka_unit_test_setup_teardown(an_abandoned_set_leaves_no_file, set_up, tear_down),
        cmocka_unit_test_setup_teardown(an_unknown_table_is_an_error, set_up, tear_down),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
