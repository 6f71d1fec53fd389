/*
 * run_resume_test.c: run_resume_sources_changed, which tells --resume that
 * an input file was fixed since extract read it: a plain file by its size
 * and sha256 against the extract manifest, an archive by its time against
 * the extract's start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <cmocka.h>

#include "lib/base/files.h"
#include "run/resume.h"
#include "tests/unit/temp_dir.h"

static char dir[64], export_path[128], archive_path[128];

static void write_file(const char *path, const char *text)
{
    FILE *file = fopen(path, "w");

    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* An extract manifest that read export_path (sha) and a member of archive_path. */
static void write_manifest(const char *sha, const char *started_at)
{
    char path[160], text[1024];

    snprintf(path, sizeof path, "%s/extract", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/extract/manifest.json", dir);
    snprintf(text, sizeof text,
             "{\"stage\": \"extract\", \"started_at\": \"%s\", \"files\": ["
             "{\"path\": \"raw/f/000001.csv\", \"source\": \"f\", \"uri\": \"file://%s\","
             " \"sha256\": \"%s\", \"size\": 4},"
             "{\"path\": \"raw/f/000002.csv\", \"source\": \"f\", \"uri\": \"file://%s#x.csv\","
             " \"sha256\": \"00\", \"size\": 9}]}",
             started_at, export_path, sha, archive_path);
    write_file(path, text);
}

static void age(const char *path)
{
    struct utimbuf old = { 1000000000, 1000000000 }; /* 2001 */

    assert_int_equal(utime(path, &old), 0);
}

static int setup(void **state)
{
    char sha[65];
    uint64_t size;
    nk_error err = { 0, "" };

    (void)state;
    assert_int_equal(temp_dir_make(dir, sizeof dir, "resume"), 0);
    snprintf(export_path, sizeof export_path, "%s/ekonomi.csv", dir);
    snprintf(archive_path, sizeof archive_path, "%s/case.zip", dir);
    write_file(export_path, "a;1\n");
    write_file(archive_path, "not read");
    age(archive_path);
    assert_int_equal(nk_sha256_file(export_path, sha, &size, &err), 0);
    write_manifest(sha, "2020-01-01T00:00:00Z");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return temp_dir_remove(dir);
}

static void untouched_files_have_not_changed(void **state)
{
    char what[512];

    (void)state;
    assert_int_equal(run_resume_sources_changed(dir, what, sizeof what), 0);
    assert_string_equal(what, "");
}

static void same_size_other_bytes_is_a_change(void **state)
{
    char what[512];

    (void)state;
    write_file(export_path, "a;2\n");
    assert_int_equal(run_resume_sources_changed(dir, what, sizeof what), 1);
    assert_non_null(strstr(what, "ekonomi.csv changed since extract (sha256 was "));
}

static void other_size_and_removal_are_changes(void **state)
{
    char what[512];

    (void)state;
    write_file(export_path, "a;12\n");
    assert_int_equal(run_resume_sources_changed(dir, what, sizeof what), 1);
    assert_non_null(strstr(what, "changed size since extract (4 bytes, now 5)"));
    unlink(export_path);
    assert_int_equal(run_resume_sources_changed(dir, what, sizeof what), 1);
    assert_non_null(strstr(what, "ekonomi.csv is gone"));
}

static void an_archive_newer_than_the_extract_changed(void **state)
{
    char what[512];

    (void)state;
    utime(archive_path, NULL); /* now: after the extract started */
    assert_int_equal(run_resume_sources_changed(dir, what, sizeof what), 1);
    assert_non_null(strstr(what, "case.zip was modified after extract read it"));
}

static void no_extract_manifest_no_change(void **state)
{
    char what[512], path[160];

    (void)state;
    snprintf(path, sizeof path, "%s/extract/manifest.json", dir);
    unlink(path);
    assert_int_equal(run_resume_sources_changed(dir, what, sizeof what), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(untouched_files_have_not_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(same_size_other_bytes_is_a_change, setup, teardown),
        cmocka_unit_test_setup_teardown(other_size_and_removal_are_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(an_archive_newer_than_the_extract_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(no_extract_manifest_no_change, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
