/*
 * run_dir.h: the run directory, the only thing the stages share.
 *
 * Data flows one way: extract writes extract/, transform reads extract/ and
 * writes transform/, load reads transform/ and writes load/.  A stage is
 * complete when its manifest exists; manifests are written last and
 * atomically, so a crashed stage leaves no manifest and is simply run again.
 * The full contract is in docs/architecture.md.
 *
 *   RUN_DIR/run.json                 run id, job name, job checksum, created
 *   RUN_DIR/extract/raw/...          bytes exactly as received
 *   RUN_DIR/extract/manifest.json    one entry per raw file
 *   RUN_DIR/transform/TABLE.copy      COPY text, one file per target table
 *   RUN_DIR/transform/rejects.jsonl  every row that could not be used, and why
 *   RUN_DIR/transform/manifest.json  tables, row counts, per-source reconciliation
 *   RUN_DIR/load/summary.json        what load changed in the warehouse
 */
#ifndef NYCKEL_RUN_DIR_H
#define NYCKEL_RUN_DIR_H

#include <jansson.h>

#include "lib/base/error.h"
#include "lib/job/job.h"
#include "lib/rundir/manifest.h"

#define NK_STAGE_EXTRACT "extract"
#define NK_STAGE_TRANSFORM "transform"
#define NK_STAGE_LOAD "load"
#define NK_MANIFEST_FILE "manifest.json"
#define NK_RUN_FILE "run.json"

typedef struct nk_run {
    char *dir;
    char run_id[128];
} nk_run;

/*
 * Open a run directory.  With create, the directory and run.json are made
 * when missing (a stage run alone on a fresh directory); without it a missing
 * directory is an NK_EXIT_NOINPUT error.
 */
int nk_run_open(nk_run *run, const char *dir, const nk_job *job, int create, nk_error *err);
void nk_run_close(nk_run *run);

/* RUN_DIR/relative, malloc'd. */
char *nk_run_path(const nk_run *run, const char *relative);

/* Make RUN_DIR/stage (and below) exist; returns the malloc'd path. */
char *nk_run_stage_dir(const nk_run *run, const char *stage, nk_error *err);

int nk_run_stage_done(const nk_run *run, const char *stage);

/* RUN_DIR/stage/manifest.json, malloc'd. */
char *nk_run_manifest_path(const nk_run *run, const char *stage);

/*
 * A stage's manifest read one entry of array_name at a time (manifest.h):
 * returns the other members; NULL, with a hint naming the stage to run when
 * the manifest is missing.
 */
json_t *nk_run_read_manifest_entries(const nk_run *run, const char *stage, const char *array_name,
                                     nk_manifest_entry_fn on_entry, void *data, nk_error *err);

/* Remove a stage's manifest, so that a re-run stage is not mistaken for done. */
int nk_run_reset_stage(const nk_run *run, const char *stage, nk_error *err);

#endif
