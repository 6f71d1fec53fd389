/*
 * archive_guard.c: guarded reading of zip and tar archives (see
 * archive_guard.h).
 */
#include "lib/base/archive_guard.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/base/exit_codes.h"

#define BLOCK_SIZE 65536

int nk_archive_guard_open(nk_archive_guard *guard, const char *path,
                          const nk_archive_limits *limits, nk_error *err)
{
    struct stat st;

    memset(guard, 0, sizeof *guard);
    guard->path = path;
    guard->limits = *limits;
    if (stat(path, &st) < 0)
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: cannot open archive: %s", path, strerror(errno));
    guard->archive_size = (uint64_t)st.st_size;
    guard->archive = archive_read_new();
    archive_read_support_filter_all(guard->archive);
    archive_read_support_format_zip(guard->archive);
    archive_read_support_format_tar(guard->archive);
    archive_read_support_format_gnutar(guard->archive);
    if (archive_read_open_filename(guard->archive, path, BLOCK_SIZE) != ARCHIVE_OK) {
        nk_fail(err, NK_EXIT_DATA, "%s: not a readable zip or tar archive: %s", path,
                archive_error_string(guard->archive));
        nk_archive_guard_close(guard);
        return -1;
    }
    return 0;
}

void nk_archive_guard_close(nk_archive_guard *guard)
{
    if (guard->archive)
        archive_read_free(guard->archive);
    guard->archive = NULL;
}

int nk_archive_guard_path(const char *archive, const char *member, nk_error *err)
{
    const char *part = member;

    if (*member == '\0')
        return nk_fail(err, NK_EXIT_DATA, "%s: a member has an empty name: refused", archive);
    if (member[0] == '/' || member[0] == '\\' || (member[0] && member[1] == ':'))
        return nk_fail(err, NK_EXIT_DATA,
                       "%s: member \"%s\": refused: an absolute path could write anywhere", archive,
                       member);
    while (*part) {
        size_t length = strcspn(part, "/\\");
        if (length == 2 && strncmp(part, "..", 2) == 0)
            return nk_fail(err, NK_EXIT_DATA,
                           "%s: member \"%s\": refused: a \"..\" in its path could write "
                           "outside the destination",
                           archive, member);
        part += length;
        if (*part)
            part++;
    }
    return 0;
}

static int check_type(const nk_archive_guard *guard, struct archive_entry *entry,
                      const char *member, nk_error *err)
{
    mode_t type = archive_entry_filetype(entry);

    if (archive_entry_hardlink(entry) != NULL || type == AE_IFLNK)
        return nk_fail(err, NK_EXIT_DATA, "%s: member \"%s\": refused: a link", guard->path,
                       member);
    if (type != AE_IFREG && type != AE_IFDIR)
        return nk_fail(err, NK_EXIT_DATA, "%s: member \"%s\": refused: not a regular file",
                       guard->path, member);
    return 0;
}

int nk_archive_guard_next(nk_archive_guard *guard, struct archive_entry **entry,
                          const char **member, nk_error *err)
{
    for (;;) {
        int rc = archive_read_next_header(guard->archive, entry);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            return nk_fail(err, NK_EXIT_DATA, "%s: damaged archive after %llu member(s): %s",
                           guard->path, (unsigned long long)guard->members,
                           archive_error_string(guard->archive));
        *member = archive_entry_pathname(*entry);
        if (*member == NULL)
            return nk_fail(err, NK_EXIT_DATA, "%s: a member's name cannot be read", guard->path);
        if (nk_archive_guard_path(guard->path, *member, err) < 0 ||
            check_type(guard, *entry, *member, err) < 0)
            return -1;
        if (archive_entry_filetype(*entry) == AE_IFDIR)
            continue;
        if (++guard->members > guard->limits.max_members)
            return nk_fail(err, NK_EXIT_DATA,
                           "%s: member \"%s\": refused: more than %llu members (max_members)",
                           guard->path, *member, (unsigned long long)guard->limits.max_members);
        if (archive_entry_size_is_set(*entry) &&
            (uint64_t)archive_entry_size(*entry) > guard->limits.max_member_size)
            return nk_fail(err, NK_EXIT_DATA,
                           "%s: member \"%s\": refused: %lld bytes, more than the limit of %llu "
                           "(max_member_mb)",
                           guard->path, *member, (long long)archive_entry_size(*entry),
                           (unsigned long long)guard->limits.max_member_size);
        return 1;
    }
}

static int check_growth(const nk_archive_guard *guard, const char *member, uint64_t size,
                        nk_error *err)
{
    if (size > guard->limits.max_member_size)
        return nk_fail(err, NK_EXIT_DATA,
                       "%s: member \"%s\": refused: unpacks to more than %llu bytes "
                       "(max_member_mb)",
                       guard->path, member, (unsigned long long)guard->limits.max_member_size);
    if (guard->unpacked > NK_ARCHIVE_RATIO_FLOOR &&
        (double)guard->unpacked > guard->limits.max_ratio * (double)guard->archive_size)
        return nk_fail(err, NK_EXIT_DATA,
                       "%s: member \"%s\": refused: the archive unpacks to more than %g times "
                       "its %llu bytes (max_ratio; a zip bomb?)",
                       guard->path, member, guard->limits.max_ratio,
                       (unsigned long long)guard->archive_size);
    return 0;
}

int nk_archive_guard_copy(nk_archive_guard *guard, const char *member, nk_archive_sink sink,
                          void *user, nk_error *err)
{
    char buffer[BLOCK_SIZE];
    uint64_t size = 0;
    la_ssize_t n;

    while ((n = archive_read_data(guard->archive, buffer, sizeof buffer)) > 0) {
        size += (uint64_t)n;
        guard->unpacked += (uint64_t)n;
        if (check_growth(guard, member, size, err) < 0 || sink(user, buffer, (size_t)n, err) < 0)
            return -1;
    }
    if (n < 0)
        return nk_fail(err, NK_EXIT_DATA, "%s: member \"%s\": cannot be read: %s", guard->path,
                       member, archive_error_string(guard->archive));
    return 0;
}
