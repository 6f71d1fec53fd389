/*
 * reject_reasons.h: the reasons transform rejected rows for, as a person
 * reads them.  Transform's manifest lists the most common ones
 * (rejects.reasons: {reason, rows, source, line, column}, the place being
 * the first reject with that reason); transform names them when it fails
 * on too many rejects and the runner when it warns of rejects allowed.
 */
#ifndef NYCKEL_REJECT_REASONS_H
#define NYCKEL_REJECT_REASONS_H

#include <jansson.h>
#include <stddef.h>

/* One reason: "12 x reason (first: SOURCE line 3, column 2)". */
void nk_reject_reason_text(const json_t *reason, char *out, size_t size);

/* "12 x reason (first: SOURCE line 3, column 2); 4 x ..." into out. */
void nk_reject_reasons_describe(const json_t *reasons, char *out, size_t size);

#endif
