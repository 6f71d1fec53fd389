/*
 * extract.h: what every extract source reader is given and must produce.
 *
 * A source reader (extract/source_*.c) reads one "extract" entry of the job
 * and puts every byte it receives into the raw zone through raw_zone.h, which
 * also records the manifest entry.  Readers never interpret the bytes: that
 * is transform's job.
 */
#ifndef NYCKEL_EXTRACT_H
#define NYCKEL_EXTRACT_H

#include <jansson.h>

#include "lib/base/error.h"
#include "lib/job/job.h"
#include "lib/rundir/manifest.h"
#include "lib/rundir/run_dir.h"

typedef struct extract_raw_packer extract_raw_packer;

typedef struct extract_context {
    const nk_job *job;
    const nk_run *run;
    char *stage_dir;              /* RUN_DIR/extract */
    nk_manifest_writer *manifest; /* the manifest's "files", appended to by the raw zone */
    int full;                     /* --full: ignore incremental state */
    unsigned file_count;
    json_t *pending_state;             /* incremental state files to write once the run succeeded */
    struct extract_raw_packer *packer; /* packs each committed file (raw_zone/raw_archive.h) */
} extract_context;

typedef int (*extract_source_reader)(extract_context *context, const json_t *source,
                                     const char *job_path, nk_error *err);

/* The reader for a source type, or NULL. */
extract_source_reader extract_reader_for(const char *type);

int extract_kolada_files(extract_context *context, const json_t *source, const char *job_path,
                         nk_error *err);
int extract_kolada_api(extract_context *context, const json_t *source, const char *job_path,
                       nk_error *err);
int extract_files(extract_context *context, const json_t *source, const char *job_path,
                  nk_error *err);

#endif
