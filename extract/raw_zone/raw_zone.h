/*
 * raw_zone.h: storing received bytes exactly, with their manifest entry.
 *
 * Every body a source receives is streamed to RUN_DIR/extract/raw/<source>/
 * while its sha256 and size are computed, so memory stays flat whatever the
 * size.  Only a body that arrived completely is committed to the manifest; an
 * abandoned one is deleted.
 *
 * libcurl hands a body over in pieces of 16 KiB.  With stdio's own 4 KiB
 * buffer each piece cost two write(2) calls, 94 000 for a national pull;
 * each file gets a buffer of EXTRACT_RAW_BUFFER instead, a tenth as many.
 */
#ifndef NYCKEL_RAW_ZONE_H
#define NYCKEL_RAW_ZONE_H

#include <stdint.h>
#include <stdio.h>

#include "extract/extract.h"
#include "lib/base/files.h"

/*
 * A raw file is open per transfer and per finished transfer whose body is
 * still being read (at most 16, see http.c): with 4 transfers, 1.25 MiB.
 */
#define EXTRACT_RAW_BUFFER (64u << 10)

typedef struct extract_raw_file {
    char *path;     /* absolute path of the file being written */
    char *relative; /* the same, relative to RUN_DIR/extract */
    FILE *stream;
    char *buffer; /* stream's, EXTRACT_RAW_BUFFER bytes */
    nk_sha256 *sha;
    uint64_t size;
    char fetched_at[32];
} extract_raw_file;

/* Start a new raw file for source, with extension ext ("json", "csv", ...). */
int extract_raw_open(extract_context *context, const char *source, const char *ext,
                     extract_raw_file *raw, nk_error *err);
int extract_raw_write(extract_raw_file *raw, const void *data, size_t length, nk_error *err);

/*
 * Close the file and append its manifest entry: the common fields plus every
 * member of details (endpoint, http_status, ...), which is consumed.
 */
int extract_raw_commit(extract_context *context, extract_raw_file *raw, const char *source,
                       const char *uri, json_t *details, nk_error *err);

/* Close and delete a file that will not be committed. */
void extract_raw_abandon(extract_raw_file *raw);

/* Copy a whole local file into the raw zone and commit it. */
int extract_raw_copy_file(extract_context *context, const char *source, const char *path,
                          json_t *details, nk_error *err);

#endif
