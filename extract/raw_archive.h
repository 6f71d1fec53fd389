/*
 * raw_archive.h: packing a finished raw zone into one archive for replays.
 *
 * After the manifest is written, RUN_DIR/extract/raw/... and the manifest are
 * packed with libarchive into ARCHIVE_DIR/<run_id>.tar.zst (or .tar.gz),
 * members "extract/raw/<source>/<n>.<ext>" first and
 * "extract/manifest.json" last, so that unpacking it into any run directory
 * (nk_raw_archive_unpack, transform --archive) rebuilds RUN_DIR/extract.
 * ARCHIVE_DIR is the job's raw_archive.dir, or "archive/<job>" beside the
 * run directory.  Only the newest raw_archive.keep archives (default 30) of
 * the folder are kept.
 */
#ifndef NYCKEL_RAW_ARCHIVE_PACK_H
#define NYCKEL_RAW_ARCHIVE_PACK_H

#include "extract.h"

#define EXTRACT_ARCHIVE_KEEP 30

int extract_raw_archive_pack(extract_context *context, nk_error *err);

#endif
