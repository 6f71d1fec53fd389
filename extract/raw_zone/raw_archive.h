/*
 * raw_archive.h: packing the raw zone into one archive for replays.
 *
 * RUN_DIR/extract/raw/... and the manifest are packed with libarchive into
 * ARCHIVE_DIR/<run_id>.tar.zst (or .tar.gz), members
 * "extract/raw/<source>/<n>.<ext>" first, in manifest order, and
 * "extract/manifest.json" last, so that unpacking it into any run directory
 * (nk_raw_archive_unpack, transform --archive) rebuilds RUN_DIR/extract.
 * ARCHIVE_DIR is the job's raw_archive.dir, or "archive/<job>" beside the
 * run directory.  Only the newest raw_archive.keep archives (default 30) of
 * the folder are kept.
 *
 * Packing runs on a thread of its own while the sources are read: start()
 * before the first file, add() as each raw file is committed, finish() once
 * the manifest is written, or abandon() when the run fails.  Until finish()
 * the archive is ARCHIVE_DIR/.<run_id>.<format>.partial; a failed run
 * removes it, and finish() removes any other left untouched for a day by a
 * killed run.  With raw_archive.format "none" all four do nothing.
 */
#ifndef NYCKEL_RAW_ARCHIVE_PACK_H
#define NYCKEL_RAW_ARCHIVE_PACK_H

#include "extract/extract.h"

/* On Kolada pages level 1 is both faster and smaller than zstd's default 3. */
#define EXTRACT_ARCHIVE_ZSTD_LEVEL 1

int extract_raw_archive_start(extract_context *context, nk_error *err);
/* Queue a committed raw file; fails when packing has failed already. */
int extract_raw_archive_add(extract_context *context, const char *relative, nk_error *err);
int extract_raw_archive_finish(extract_context *context, nk_error *err);
void extract_raw_archive_abandon(extract_context *context);

#endif
