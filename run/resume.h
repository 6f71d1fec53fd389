/*
 * resume.h: continuing a run directory that did not finish (--resume).
 *
 * The run directory says which job it belongs to (run.json) and how far it
 * got (which stages left their manifest).  Stages that completed are not run
 * again; the first one that did not, and every one after it, are.
 */
#ifndef NYCKEL_RUN_RESUME_H
#define NYCKEL_RUN_RESUME_H

#include <jansson.h>

#include "run/chain.h"
#include "lib/base/error.h"
#include "lib/job/job.h"

/* RUN_DIR/run.json of a run to resume; NK_EXIT_NOINPUT when it is not a run directory. */
json_t *run_resume_read(const char *run_dir, nk_error *err);

/*
 * A replay: RUN_DIR exists but holds no run.json, only what was copied or
 * unpacked into it (an old run's extract/), and JOB is given.  The runner
 * then writes a new run.json and carries on from the first stage missing.
 */
int run_resume_is_replay(const char *run_dir, const char *job_path);

/* The job file the run was made with, from run.json (NULL when not recorded). */
const char *run_resume_job_file(const json_t *run_file);

/* Refuse a job other than the run's; warn when the job file changed since. */
int run_resume_check_job(const char *run_dir, const json_t *run_file, const nk_job *job,
                         nk_error *err);

/*
 * The first stage still to run, RUN_STAGE_COUNT when none.  A load done as a
 * dry run (load/summary.json "dry_run") does not count as done for a real load.
 */
enum run_stage run_resume_first_stage(const char *run_dir, int dry_run);

/*
 * Whether a file the extract manifest lists was changed, removed or replaced
 * on disk since extract read it (a fixed export): a plain file by its size
 * and sha256, an archive by its time against the extract's start (the
 * manifest holds its members' checksums, not its own).  Returns 1 and
 * describes the first such file in what, 0 when none did (or extract has
 * no manifest).
 */
int run_resume_sources_changed(const char *run_dir, char *what, size_t size);

#endif
