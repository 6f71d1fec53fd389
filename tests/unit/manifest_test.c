/*
 * manifest_test.c: unit tests of lib/rundir/manifest_writer.c and
 * lib/rundir/manifest_reader.c: a manifest written one entry at a time reads back
 * as the same JSON (with jansson as the judge), entries of every JSON type
 * survive the round trip, an empty array stays an array, and a manifest that
 * is cut short or malformed is refused with its file, line and byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/rundir/manifest.h"
#include "tests/unit/temp_dir.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    if (temp_dir_make(dir, sizeof dir, "manifest") < 0)
        return -1;
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return temp_dir_remove(dir);
}

static void write_text(const char *text)
{
    FILE *file = fopen(path, "w");

    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* Writes header + entries through the writer; returns the manifest as jansson reads it. */
static json_t *written(const json_t *header, const char *array_name, json_t *entries)
{
    nk_error err = { 0 };
    char entries_path[160];
    nk_manifest_writer *writer = nk_manifest_writer_open(path, array_name, &err);
    size_t i;
    json_t *entry;

    assert_non_null(writer);
    json_array_foreach (entries, i, entry)
        assert_int_equal(nk_manifest_writer_add(writer, entry, &err), 0);
    assert_int_equal(nk_manifest_writer_count(writer), json_array_size(entries));
    assert_int_equal(nk_manifest_writer_finish(writer, header, &err), 0);
    nk_manifest_writer_free(writer);
    snprintf(entries_path, sizeof entries_path, "%s.entries", path);
    assert_false(nk_file_exists(entries_path));
    return nk_json_read_file(path, NK_EXIT_NOINPUT, NULL, &err);
}

static int collect(const json_t *entry, size_t index, void *data, nk_error *err)
{
    json_t *list = data;

    (void)err;
    assert_int_equal(index, json_array_size(list));
    json_array_append(list, (json_t *)entry);
    return 0;
}

/* Reads path back with the streaming reader: the header with the array put back. */
static json_t *read_back(const char *array_name)
{
    nk_error err = { 0 };
    json_t *entries = json_array();
    json_t *header = nk_manifest_read(path, array_name, collect, entries, NK_EXIT_NOINPUT, NULL,
                                      &err);

    assert_non_null(header);
    assert_null(json_object_get(header, array_name));
    json_object_set_new(header, array_name, entries);
    return header;
}

static json_t *every_type(void)
{
    return json_pack("[{s:s, s:i, s:f, s:b, s:b, s:n, s:[i, s, [], {}], s:{s:{s:s}}, s:s},"
                     " {}, {s:s}]",
                     "path", "raw/k/000001.json", "size", 48211, "ratio", 0.25, "incremental", 1,
                     "other", 0, "nothing", "list", 1, "two", "nested", "deeper", "x",
                     "quoted\t\"\\/\n", "åäö € \xf0\x9f\x98\x80", "with\nnewline", "tricky",
                     "ends with backslash \\");
}

static void a_round_trip_keeps_every_member(void **state)
{
    json_t *entries = every_type();
    json_t *header = json_pack("{s:s, s:s, s:{s:s, s:i}, s:[{s:s}]}", "stage", "transform",
                               "run_id", "r1", "rejects", "file", "rejects.jsonl", "rows", 3,
                               "tables", "table", "source");
    json_t *expected = json_deep_copy(header), *back, *streamed;

    (void)state;
    json_object_set(expected, "sources", entries);
    back = written(header, "sources", entries);
    assert_non_null(back);
    assert_true(json_equal(back, expected));
    streamed = read_back("sources");
    assert_true(json_equal(streamed, expected));
    json_decref(streamed);
    json_decref(back);
    json_decref(expected);
    json_decref(header);
    json_decref(entries);
}

static void an_empty_array_stays_an_array(void **state)
{
    json_t *entries = json_array(), *header = json_pack("{s:s}", "stage", "extract"), *back;

    (void)state;
    back = written(header, "files", entries);
    assert_true(json_is_array(json_object_get(back, "files")));
    assert_int_equal(json_array_size(json_object_get(back, "files")), 0);
    json_decref(back);
    back = read_back("files");
    assert_int_equal(json_array_size(json_object_get(back, "files")), 0);
    json_decref(back);
    json_decref(header);
    json_decref(entries);
}

static void the_array_may_sort_first_or_last(void **state)
{
    json_t *entries = json_pack("[{s:i}]", "n", 1), *header, *back;

    (void)state;
    header = json_pack("{s:s}", "zzz", "last");
    back = written(header, "aaa", entries);
    assert_true(json_equal(json_object_get(back, "aaa"), entries));
    json_decref(back);
    json_decref(header);
    header = json_pack("{s:s}", "aaa", "first");
    back = written(header, "zzz", entries);
    assert_string_equal(json_string_value(json_object_get(back, "aaa")), "first");
    assert_int_equal(json_array_size(json_object_get(back, "zzz")), 1);
    json_decref(back);
    json_decref(header);
    json_decref(entries);
}

static void many_entries_come_in_order(void **state)
{
    json_t *entries = json_array(), *header = json_object(), *back;

    (void)state;
    for (int i = 0; i < 5000; i++)
        json_array_append_new(entries, json_pack("{s:i, s:s}", "n", i, "path", "raw/k/x.json"));
    json_decref(written(header, "files", entries));
    back = read_back("files");
    assert_true(json_equal(json_object_get(back, "files"), entries));
    json_decref(back);
    json_decref(header);
    json_decref(entries);
}

/* The error for text, which must name the file, line and byte given. */
static void refused(const char *text, const char *where, const char *what)
{
    nk_error err = { 0 };
    char expected[200];

    write_text(text);
    assert_null(nk_manifest_read(path, "files", NULL, NULL, NK_EXIT_NOINPUT, NULL, &err));
    assert_int_equal(err.exit_code, NK_EXIT_DATA);
    snprintf(expected, sizeof expected, "%s:%s", path, where);
    if (strstr(err.message, expected) == NULL || strstr(err.message, what) == NULL)
        fail_msg("\"%s\" lacks \"%s\" or \"%s\"", err.message, expected, what);
}

static void a_bad_manifest_is_refused_with_its_position(void **state)
{
    (void)state;
    /* Cut short after 47 bytes: the end is byte 48, on line 3. */
    refused("{\"stage\": \"extract\",\n \"files\": [{\"path\": \"a\"},\n", "3: byte 48",
            "invalid manifest");
    refused("{\"stage\": \"extract\",\n \"files\": [{\"path\": \"a\" \"b\"}]}", "2: byte",
            "invalid manifest");
    refused("[1, 2]", "1: byte", "expected an object");
    refused("{\"files\": {\"path\": \"a\"}}", "1: byte", "expected an array");
    refused("{\"files\": 3}", "1: byte", "expected an array");
    refused("{\"stage\": 1, \"stage\": 2}", "1: byte", "duplicate");
    refused("{\"files\": [], \"files\": []}", "1: byte", "duplicate");
    refused("", "1: byte 1", "invalid manifest");
    refused("{} {}", "1: byte", "invalid manifest");
}

static int stop_at_second(const json_t *entry, size_t index, void *data, nk_error *err)
{
    (void)entry;
    (void)data;
    return index == 1 ? nk_fail(err, NK_EXIT_SOFTWARE, "stopped at %zu", index) : 0;
}

static void an_entry_error_is_passed_on(void **state)
{
    nk_error err = { 0 };

    (void)state;
    write_text("{\"files\": [{}, {}, {}]}");
    assert_null(nk_manifest_read(path, "files", stop_at_second, NULL, NK_EXIT_NOINPUT, NULL, &err));
    assert_int_equal(err.exit_code, NK_EXIT_SOFTWARE);
    assert_string_equal(err.message, "stopped at 1");
}

static void a_missing_manifest_gets_the_hint(void **state)
{
    nk_error err = { 0 };
    char missing[160];

    (void)state;
    snprintf(missing, sizeof missing, "%s/none.json", dir);
    assert_null(nk_manifest_read(missing, "files", NULL, NULL, NK_EXIT_NOINPUT,
                                 "run nyckel-extract first", &err));
    assert_int_equal(err.exit_code, NK_EXIT_NOINPUT);
    assert_non_null(strstr(err.message, "run nyckel-extract first"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_round_trip_keeps_every_member),
        cmocka_unit_test(an_empty_array_stays_an_array),
        cmocka_unit_test(the_array_may_sort_first_or_last),
        cmocka_unit_test(many_entries_come_in_order),
        cmocka_unit_test(a_bad_manifest_is_refused_with_its_position),
        cmocka_unit_test(an_entry_error_is_passed_on),
        cmocka_unit_test(a_missing_manifest_gets_the_hint),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
