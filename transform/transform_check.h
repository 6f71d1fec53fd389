/*
 * transform_check.h: nyckel-transform --check: the job's internal exports read where
 * they lie, as a run would read them, with nothing written.
 */
#ifndef NYCKEL_TRANSFORM_CHECK_H
#define NYCKEL_TRANSFORM_CHECK_H

#include "lib/base/error.h"
#include "lib/job/job.h"

/*
 * Every file (and archive member) of every "files" source is read with its
 * mapping into a scratch folder that is removed afterwards: a mapping whose
 * org-unit or municipality file is missing, a header without the columns
 * the mapping names, names that resolve to no municipality, any row a run
 * would reject.  Rejects beyond transform.max_rejects are problems (each
 * reason listed with its count and first place), those within it warnings.
 * Paths that match nothing are extract's to report.  0, or -1 with err
 * carrying the first problem's exit code.
 */
int transform_check(const nk_job *job, nk_error *err);

#endif
