/*
 * archive_guard.h: reading zip and tar(.gz/.zst) archives with libarchive
 * without trusting them.
 *
 * Input archives come from file shares and replays from disk; either may be
 * damaged or hostile.  A member whose path is absolute or contains ".." is
 * refused (it could write outside the destination: "zip slip"), as is a
 * link or device; limits on the number of members, the size of one member
 * and the ratio of unpacked bytes to the archive's size stop zip bombs.
 * Sizes are counted as bytes are read, never taken from headers, which can
 * lie.  Each refusal is one NK_EXIT_DATA error naming the archive and the
 * member.
 */
#ifndef NYCKEL_ARCHIVE_GUARD_H
#define NYCKEL_ARCHIVE_GUARD_H

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>

#include "lib/base/error.h"

/* Ratios are only judged past this many unpacked bytes: tiny archives compress oddly. */
#define NK_ARCHIVE_RATIO_FLOOR ((uint64_t)1 << 20)

typedef struct nk_archive_limits {
    uint64_t max_member_size; /* bytes in one member */
    uint64_t max_members;     /* members in one archive */
    double max_ratio;         /* unpacked bytes per byte of archive */
} nk_archive_limits;

typedef struct nk_archive_guard {
    const char *path; /* the archive, for errors */
    nk_archive_limits limits;
    uint64_t archive_size;
    uint64_t members;
    uint64_t unpacked; /* bytes of every member so far */
    struct archive *archive;
} nk_archive_guard;

/* Open path (zip, tar, tar.gz, tar.zst, ...) for guarded reading. */
int nk_archive_guard_open(nk_archive_guard *guard, const char *path,
                          const nk_archive_limits *limits, nk_error *err);
void nk_archive_guard_close(nk_archive_guard *guard);

/*
 * The next member: 1 with *entry and *member (its path) set, 0 at the end,
 * -1 on a damaged archive or a refused member.  Directories are skipped.
 */
int nk_archive_guard_next(nk_archive_guard *guard, struct archive_entry **entry,
                          const char **member, nk_error *err);

/* Is member's path safe to unpack below a folder?  0, or -1 with the refusal. */
int nk_archive_guard_path(const char *archive, const char *member, nk_error *err);

typedef int (*nk_archive_sink)(void *user, const void *data, size_t length, nk_error *err);

/* Stream the current member's bytes into sink, enforcing the size and ratio limits. */
int nk_archive_guard_copy(nk_archive_guard *guard, const char *member, nk_archive_sink sink,
                          void *user, nk_error *err);

#endif
