/*
 * fuzz_archive.c: libFuzzer harness for archive member handling: the guards
 * every zip and tar input goes through (lib/base/archive_guard.h) and the replay
 * of a raw archive into a run directory (lib/rundir/raw_unpack.h).
 *
 * Whatever the bytes, a member that is handed out must have a safe path
 * and no more bytes than the limit, a refusal must be an exit-65 error, and
 * an unpacked replay must write nothing beside its run directory.
 */
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz_support.h"

#include "lib/base/archive_guard.h"
#include "lib/base/exit_codes.h"
#include "lib/rundir/raw_unpack.h"

static const nk_archive_limits limits = {
    .max_member_size = 1 << 20,
    .max_members = 64,
    .max_ratio = 50,
};

/* The promise of nk_archive_guard_path, checked a second way. */
static int safe_member(const char *member)
{
    if (member[0] == '/' || member[0] == '\\')
        return 0;
    for (const char *part = member; *part; part++) {
        size_t length = strcspn(part, "/\\");
        if (length == 2 && part[0] == '.' && part[1] == '.')
            return 0;
        part += length;
        if (*part == '\0')
            break;
    }
    return 1;
}

static int count_bytes(void *user, const void *data, size_t length, nk_error *err)
{
    (void)data, (void)err;
    *(uint64_t *)user += length;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void read_members(const char *path)
{
    nk_archive_guard guard;
    struct archive_entry *entry;
    const char *member;
    nk_error err = { 0 };
    nk_error path_err = { 0 };
    int rc;

    if (nk_archive_guard_open(&guard, path, &limits, &err) < 0) {
        fuzz_check(err.exit_code == NK_EXIT_DATA);
        return;
    }
    while ((rc = nk_archive_guard_next(&guard, &entry, &member, &err)) == 1) {
        uint64_t bytes = 0;
        fuzz_check(nk_archive_guard_path(path, member, &path_err) == 0);
        if (nk_archive_guard_copy(&guard, member, count_bytes, &bytes, &err) < 0)
            break;
        fuzz_check(bytes <= limits.max_member_size);
    }
    if (rc != 0)
        fuzz_check(err.exit_code == NK_EXIT_DATA && err.message[0] != '\0');
    fuzz_check(guard.members <= limits.max_members);
    nk_archive_guard_close(&guard);
}

/* Nothing but the input and the run directory may appear beside the run directory. */
static int stayed_inside(void)
{
    DIR *dir = opendir(fuzz_temp_dir());
    struct dirent *entry;
    int inside = 1;

    fuzz_check(dir != NULL);
    while ((entry = readdir(dir)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0 &&
            strcmp(entry->d_name, "input.archive") != 0 && strcmp(entry->d_name, "run") != 0)
            inside = 0;
    closedir(dir);
    return inside;
}

static void replay(const char *path)
{
    char run_dir[128];
    nk_error err = { 0 };

    snprintf(run_dir, sizeof run_dir, "%s/run", fuzz_temp_dir());
    mkdir(run_dir, 0700);
    if (nk_raw_archive_unpack(path, run_dir, &err) < 0)
        fuzz_check(err.exit_code != 0 && err.message[0] != '\0');
    fuzz_check(stayed_inside());
    nftw(run_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("input.archive", data, size);
    char *member = fuzz_string(data, size);
    nk_error err = { 0 };

    read_members(path);
    replay(path);
    if (nk_archive_guard_path("fuzz.zip", member, &err) == 0)
        fuzz_check(safe_member(member));
    free(member);
    return 0;
}
