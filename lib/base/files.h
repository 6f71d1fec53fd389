/*
 * files.h: file-system chores every stage needs: paths, directories, atomic
 * writes, whole-file JSON, checksums, time stamps.
 *
 * Writes that another stage will read go through a temporary file and
 * rename(2), so a reader never sees half a file, even after a crash or a full
 * disk.
 */
#ifndef NYCKEL_FILES_H
#define NYCKEL_FILES_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/base/error.h"

/* "a" + "/" + "b", malloc'd. */
char *nk_path_join(const char *a, const char *b);

/* path + suffix ("x.json" + ".tmp"), malloc'd. */
char *nk_path_with_suffix(const char *path, const char *suffix);

/* mkdir -p, new directories readable by their owner only; existing ones are fine. */
int nk_mkdirs(const char *path, nk_error *err);

int nk_file_exists(const char *path);

/*
 * Read a file, or its first limit bytes (limit 0: all of it), into a
 * malloc'd buffer with a NUL after the last byte.  A missing file is an
 * error with exit code missing_code; what ("job file") names the file in it.
 */
char *nk_read_file(const char *path, const char *what, size_t limit, size_t *length,
                   int missing_code, nk_error *err);

/*
 * Write path through path.tmp: fill() writes the file, which is then
 * flushed, synced and renamed into place, so a crash leaves the old file
 * or the new one, never half of one.  fill returns -1 (errno set) on
 * failure; the temporary file is then removed.
 */
typedef int (*nk_write_fn)(FILE *file, void *data);
int nk_write_atomic(const char *path, nk_write_fn fill, void *data, nk_error *err);

/* Write a JSON document to path through a temporary file and rename. */
int nk_json_write_atomic(const char *path, const json_t *doc, nk_error *err);

/*
 * Read a JSON document.  A missing file is an error with exit code
 * missing_code and the hint appended, e.g. "run nyckel-extract first".
 */
json_t *nk_json_read_file(const char *path, int missing_code, const char *hint, nk_error *err);

/* A sha256 that is fed piece by piece. */
typedef struct nk_sha256 nk_sha256;
nk_sha256 *nk_sha256_new(void);
void nk_sha256_update(nk_sha256 *sha, const void *data, size_t length);
/* Writes 64 hex digits and a NUL into hex, and frees sha. */
void nk_sha256_finish(nk_sha256 *sha, char hex[65]);

/* sha256 and size of a whole file. */
int nk_sha256_file(const char *path, char hex[65], uint64_t *size, nk_error *err);

/* Now as "2026-11-23T12:04:05Z". */
void nk_now_utc(char out[32]);

/* Seconds on a monotonic clock, for durations. */
double nk_seconds(void);

/* fclose that reports a failed flush (disk full) with the file's name. */
int nk_fclose_checked(FILE *file, const char *path, nk_error *err);

#endif
