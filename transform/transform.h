/*
 * transform.h: what every transform reader is given.
 *
 * A reader (transform/kolada/kolada_page.c for Kolada responses, transform/export_*.c
 * for internal exports) turns one raw file into rows of the staged tables.
 * Every row read ends up either written or rejected, and the reader counts
 * both in the source's transform_counts, so the manifest can show
 * rows_read = rows_written + rows_rejected for every file.
 */
#ifndef NYCKEL_TRANSFORM_H
#define NYCKEL_TRANSFORM_H

#include <jansson.h>
#include <stdint.h>

#include "lib/base/error.h"
#include "lib/job/job.h"
#include "lib/rundir/run_dir.h"

typedef struct transform_tables transform_tables;
typedef struct transform_rejects transform_rejects;

typedef struct transform_counts {
    uint64_t rows_read;
    uint64_t rows_written;
    uint64_t rows_rejected;
} transform_counts;

/* One raw file from the extract manifest, as a reader sees it. */
typedef struct transform_source {
    const char *path;       /* absolute path of the raw file */
    const char *uri;        /* where extract got it (for rejects and lineage) */
    const char *source;     /* the job's source name */
    const char *endpoint;   /* Kolada endpoint when extract knew it, else NULL */
    const json_t *entry;    /* the whole manifest entry */
    const json_t *settings; /* the job's extract entry for this source, or NULL */
    long source_ref;        /* row of the staged "source" table */
    transform_counts counts;
    json_t *warnings; /* what the reader warned of (strings), or NULL */
} transform_source;

typedef struct transform_context {
    const nk_job *job;
    const nk_run *run;
    char *stage_dir; /* RUN_DIR/transform */
    transform_tables *tables;
    transform_rejects *rejects;
    json_t *dimensions;   /* dimension rows collected so far: see dimensions.h */
    json_t *unknown_keys; /* Kolada keys already warned about: see kolada_page.h */
    size_t refused_files; /* files rejected whole for holding personal identity numbers */
    char *first_refusal;  /* the first one's file and reason (malloc'd), or NULL */
} transform_context;

#endif
