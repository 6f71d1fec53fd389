/*
 * incremental_state.h: what each Kolada query last fetched successfully, so
 * that the next run asks only for changes (from_date).
 *
 * The state of source S of job J lives in STATE_DIR/J.S.json, where
 * STATE_DIR is the source's "state_dir" or else "state" beside the run
 * directory (RUN_ROOT/state for runs made by nyckel-run).  It maps each query
 * URL, without from_date, to the UTC date on which the last successful run
 * that fetched it started.  Changes made that day or later are asked for
 * again; the overlap is harmless because load merges by natural key.
 *
 * Marks are only staged during the run; extract_state_commit() writes them
 * after the manifest, so a failed run never advances the state.
 */
#ifndef NYCKEL_INCREMENTAL_STATE_H
#define NYCKEL_INCREMENTAL_STATE_H

#include "extract/extract.h"

typedef struct extract_state extract_state;

/* Read (or start) the state of source; source_json may give "state_dir". */
extract_state *extract_state_open(extract_context *context, const json_t *source_json,
                                  const char *source, nk_error *err);

/* The from_date for query, or NULL when it must be pulled in full (--full, or never fetched). */
const char *extract_state_from_date(const extract_state *state, const char *query);

/* Record query as fetched by this run. */
void extract_state_mark(extract_state *state, const char *query);

/* Hand the marks to the context, to be written once the run has succeeded; frees state. */
void extract_state_stage(extract_context *context, extract_state *state);

/* Forget state without writing it (the source failed). */
void extract_state_free(extract_state *state);

/* Write every staged state file (after the manifest). */
int extract_state_commit(extract_context *context, nk_error *err);

#endif
