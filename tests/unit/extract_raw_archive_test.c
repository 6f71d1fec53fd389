/*
 * extract_raw_archive_test.c: unit tests of replaying a raw archive
 * (lib/rundir/raw_unpack.c): a good archive rebuilds RUN_DIR/extract; a member
 * outside extract/raw, a ".." path or a body that does not match the
 * manifest's sha256 is refused and leaves no manifest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/rundir/raw_unpack.h"
#include "tests/unit/temp_dir.h"

#define BODY "{\"values\": []}"

static char dir[64];

static void add(struct archive *a, const char *name, const char *text)
{
    struct archive_entry *entry = archive_entry_new();

    archive_entry_set_pathname(entry, name);
    archive_entry_set_size(entry, (la_int64_t)strlen(text));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    assert_int_equal(archive_write_header(a, entry), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, text, strlen(text)), (la_ssize_t)strlen(text));
    archive_entry_free(entry);
}

/* An archive at DIR/a.tar.zst with one raw member (named raw_member, holding body). */
static char *make_archive(const char *raw_member, const char *body, const char *sha)
{
    char manifest[512], *path = nk_path_join(dir, "a.tar.zst");
    struct archive *a = archive_write_new();

    snprintf(manifest, sizeof manifest,
             "{\"files\": [{\"path\": \"raw/k/000001.json\", \"sha256\": \"%s\", \"size\": %zu}]}",
             sha, strlen(BODY));
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_zstd(a);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    add(a, raw_member, body);
    add(a, "extract/manifest.json", manifest);
    archive_write_close(a);
    archive_write_free(a);
    return path;
}

static char *sha_of_body(void)
{
    static char hex[65];
    nk_sha256 *sha = nk_sha256_new();

    nk_sha256_update(sha, BODY, strlen(BODY));
    nk_sha256_finish(sha, hex);
    return hex;
}

static int set_up(void **state)
{
    (void)state;
    return temp_dir_make(dir, sizeof dir, "raw-archive");
}

static int tear_down(void **state)
{
    (void)state;
    return temp_dir_remove(dir);
}

static char *run_file(const char *relative)
{
    return nk_path_join(dir, relative);
}

static void test_replay_rebuilds_extract(void **state)
{
    (void)state;
    char *archive = make_archive("extract/raw/k/000001.json", BODY, sha_of_body());
    char *run = run_file("run"), *manifest = run_file("run/extract/manifest.json");
    char *raw = run_file("run/extract/raw/k/000001.json"), hex[65];
    uint64_t size;
    nk_error err = { 0 };

    assert_int_equal(nk_raw_archive_unpack(archive, run, &err), 0);
    assert_true(nk_file_exists(manifest));
    assert_int_equal(nk_sha256_file(raw, hex, &size, &err), 0);
    assert_string_equal(hex, sha_of_body());
    free(archive);
    free(run);
    free(manifest);
    free(raw);
}

static void expect_refusal(const char *member, const char *body, const char *sha,
                           const char *message)
{
    char *archive = make_archive(member, body, sha);
    char *run = run_file("run"), *manifest = run_file("run/extract/manifest.json");
    nk_error err = { 0 };

    assert_int_equal(nk_raw_archive_unpack(archive, run, &err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_DATA);
    if (strstr(err.message, message) == NULL)
        fail_msg("expected \"%s\" in \"%s\"", message, err.message);
    assert_false(nk_file_exists(manifest));
    free(archive);
    free(run);
    free(manifest);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_refusal("extract/raw/../../x.json", BODY, sha_of_body(),
                   "member \"extract/raw/../../x.json\": refused: a \"..\"");
    expect_refusal("transform/x.copy", BODY, sha_of_body(),
                   "member \"transform/x.copy\": refused: a raw archive holds only");
    expect_refusal("extract/raw/k/000001.json", "{\"values\": [1]}", sha_of_body(),
                   "member \"extract/raw/k/000001.json\" is missing or does not match");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replay_rebuilds_extract, set_up, tear_down),
        cmocka_unit_test_setup_teardown(test_refusals, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
