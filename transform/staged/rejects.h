/*
 * rejects.h: the rejects file, RUN_DIR/transform/rejects.jsonl.
 *
 * One JSON object a line: source (uri), line, column (0 when not known),
 * raw (the text of the row or cell as found) and reason.  Callers that hold
 * text that may be personal data pass raw = NULL; the reason then names the
 * column, never the value.  Any personal identity number left in raw or
 * reason is written as "[personnummer]" all the same.
 */
#ifndef NYCKEL_REJECTS_H
#define NYCKEL_REJECTS_H

#include <stdint.h>

#include "lib/base/error.h"
#include "lib/job/job.h"
#include "lib/rundir/reject_reasons.h"
#include "transform/transform.h"

transform_rejects *transform_rejects_open(const char *path, nk_error *err);

/* Record one rejected row and count it in source->counts. */
int transform_reject(transform_rejects *rejects, transform_source *source, long line, long column,
                     const char *raw, const char *reason, nk_error *err);

uint64_t transform_rejects_count(const transform_rejects *rejects);

/*
 * The most common reasons, most rejects first: at most top objects of
 * {reason, rows, source, line, column}, where the place is the first
 * reject given for the reason.  Reasons that differ only in a Kolada
 * "values[N]: " prefix count as one.
 */
json_t *transform_rejects_reasons(const transform_rejects *rejects, size_t top);

int transform_rejects_close(transform_rejects *rejects, nk_error *err);

/*
 * transform.max_rejects: a count (10) or a share of the rows read ("0.5%");
 * none means 0, so that no row is lost unless the job says it may be.
 * 1 with err (exit 65, naming the reasons) when rejected is over it.
 */
int transform_rejects_over_limit(const nk_job *job, uint64_t rejected, uint64_t read,
                                 const json_t *reasons, nk_error *err);

#endif
