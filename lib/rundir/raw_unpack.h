/*
 * raw_unpack.h: unpacking a raw archive written by nyckel-extract (see
 * extract/raw_zone/raw_archive.h and docs/architecture.md) into a run directory, so
 * that transform can replay an old run with no network.
 *
 * Only "extract/manifest.json" and members under "extract/raw/" are
 * accepted, through the guards of archive_guard.h.  The manifest is written
 * last, and only after every file it lists is present with its recorded size
 * and sha256, so a damaged archive never leaves a complete-looking stage.
 */
#ifndef NYCKEL_RAW_ARCHIVE_H
#define NYCKEL_RAW_ARCHIVE_H

#include "lib/base/error.h"

int nk_raw_archive_unpack(const char *archive_path, const char *run_dir, nk_error *err);

#endif
