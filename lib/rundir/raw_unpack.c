/*
 * raw_unpack.c: rebuilding RUN_DIR/extract from a raw archive (see
 * raw_unpack.h).
 */
#include "lib/rundir/raw_unpack.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/archive_guard.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/rundir/manifest.h"

#define MANIFEST_MEMBER "extract/manifest.json"
#define RAW_PREFIX "extract/raw/"

static const nk_archive_limits replay_limits = {
    .max_member_size = (uint64_t)64 << 30,
    .max_members = 10000000,
    .max_ratio = 1000,
};

typedef struct sink {
    FILE *file;
    const char *path;
} sink;

static int write_sink(void *user, const void *data, size_t length, nk_error *err)
{
    sink *s = user;

    if (fwrite(data, 1, length, s->file) != length)
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", s->path, strerror(errno));
    return 0;
}

static int unpack_member(nk_archive_guard *guard, const char *member, const char *path,
                         nk_error *err)
{
    char *copy = strdup(path);
    int made = nk_mkdirs(dirname(copy), err);
    sink s = { NULL, path };
    int rc;

    free(copy);
    if (made < 0)
        return -1;
    s.file = fopen(path, "wb");
    if (s.file == NULL)
        return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", path, strerror(errno));
    rc = nk_archive_guard_copy(guard, member, write_sink, &s, err);
    if (nk_fclose_checked(s.file, path, err) < 0)
        rc = -1;
    return rc;
}

typedef struct checking {
    const char *archive;
    char *stage; /* RUN_DIR/extract */
} checking;

/* One file the manifest lists: it must be there, with its size and sha256. */
static int verify_file(const json_t *file, size_t index, void *data, nk_error *err)
{
    const checking *c = data;
    const char *relative = json_string_value(json_object_get(file, "path"));
    const char *want = json_string_value(json_object_get(file, "sha256"));
    char hex[65];
    uint64_t size;
    int rc = 0;

    (void)index;
    if (relative == NULL || strncmp(relative, "raw/", 4) != 0 ||
        nk_archive_guard_path(c->archive, relative, err) < 0)
        return nk_fail(err, NK_EXIT_DATA, "%s: the manifest lists a file outside raw/: \"%s\"",
                       c->archive, relative ? relative : "?");
    char *path = nk_path_join(c->stage, relative);
    if (nk_sha256_file(path, hex, &size, err) < 0 || want == NULL || strcmp(hex, want) != 0 ||
        (json_int_t)size != json_integer_value(json_object_get(file, "size")))
        rc = nk_fail(err, NK_EXIT_DATA,
                     "%s: member \"extract/%s\" is missing or does not match the "
                     "manifest's size and sha256",
                     c->archive, relative);
    free(path);
    return rc;
}

/* Every file the manifest lists, read one entry at a time. */
static int verify(const char *archive, const char *run_dir, const char *manifest_path,
                  nk_error *err)
{
    checking c = { archive, nk_path_join(run_dir, "extract") };
    json_t *header = nk_manifest_read(manifest_path, "files", verify_file, &c, NK_EXIT_DATA, NULL,
                                      err);

    json_decref(header);
    free(c.stage);
    return header ? 0 : -1;
}

static int unpack_all(nk_archive_guard *guard, const char *run_dir, const char *manifest_tmp,
                      int *has_manifest, nk_error *err)
{
    struct archive_entry *entry;
    const char *member;
    int rc;

    while ((rc = nk_archive_guard_next(guard, &entry, &member, err)) == 1) {
        char *path;
        if (strcmp(member, MANIFEST_MEMBER) == 0) {
            *has_manifest = 1;
            path = strdup(manifest_tmp);
        } else if (strncmp(member, RAW_PREFIX, strlen(RAW_PREFIX)) == 0 &&
                   member[strlen(RAW_PREFIX)] != '\0') {
            path = nk_path_join(run_dir, member);
        } else {
            return nk_fail(err, NK_EXIT_DATA,
                           "%s: member \"%s\": refused: a raw archive holds only %s and %s...",
                           guard->path, member, MANIFEST_MEMBER, RAW_PREFIX);
        }
        rc = unpack_member(guard, member, path, err);
        free(path);
        if (rc < 0)
            return -1;
    }
    return rc;
}

int nk_raw_archive_unpack(const char *archive_path, const char *run_dir, nk_error *err)
{
    char *manifest = nk_path_join(run_dir, MANIFEST_MEMBER);
    char *manifest_tmp = nk_path_join(run_dir, "extract/.manifest.json.unpacking");
    nk_archive_guard guard;
    int has_manifest = 0, rc = -1;

    if (unlink(manifest) < 0 && errno != ENOENT) {
        nk_fail(err, NK_EXIT_IOERR, "%s: cannot remove: %s", manifest, strerror(errno));
        goto out;
    }
    if (nk_archive_guard_open(&guard, archive_path, &replay_limits, err) < 0)
        goto out;
    rc = unpack_all(&guard, run_dir, manifest_tmp, &has_manifest, err);
    nk_archive_guard_close(&guard);
    if (rc == 0 && !has_manifest)
        rc = nk_fail(err, NK_EXIT_DATA, "%s: no member \"%s\": not a raw archive of nyckel-extract",
                     archive_path, MANIFEST_MEMBER);
    if (rc == 0)
        rc = verify(archive_path, run_dir, manifest_tmp, err);
    if (rc == 0 && rename(manifest_tmp, manifest) < 0)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot rename to %s: %s", manifest_tmp, manifest,
                     strerror(errno));
out:
    if (rc < 0)
        unlink(manifest_tmp);
    free(manifest);
    free(manifest_tmp);
    return rc;
}
