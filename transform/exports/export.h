/*
 * export.h: reading one internal export (a raw file of a "files" source)
 * into the staged tables, as the source's mapping says.
 *
 * Staged tables written (columns as docs/architecture.md lists them):
 *   fact_internal_value  measure_id, ou_id, period_id, scenario, value,
 *                        source_ref; values in the measure's unit
 *   dim_measure          measure_id, title, unit
 *   dim_ou               ou_id, municipality_id, title, parent_ou_id, ou_kind
 *                        ("internal"), as far as dim_ou has those columns
 *   dim_period           months, quarters and half-years besides years
 * A figure for no unit in particular is kept on a unit whose id is the
 * municipality's code.
 *
 * A "row" in the source's counts is one value cell: each is written (a
 * missing value, "-", ".." or "x", as NULL) or rejected.  Header rows, blank
 * rows, total rows and blank value cells are not data and are not counted.
 * A row that cannot be used is rejected with its line, its column and the
 * offending mapped cell (never the whole row, whose unmapped cells may be
 * personal).  The file is read twice, first by the personal-data guard, so
 * that a file in which a mapped column holds a personal identity number is
 * rejected whole (every row, raw = NULL, the reason naming the column,
 * never the number) before anything of it is written.
 */
#ifndef NYCKEL_EXPORT_H
#define NYCKEL_EXPORT_H

#include "lib/base/error.h"
#include "transform/transform.h"

/*
 * Read source (its settings name the mapping).  Bad rows become rejects;
 * -1 only for what stops the run: a job without the mapping, an org-unit
 * file that cannot be read, a failed write.
 */
int transform_export_read(transform_context *context, transform_source *source, nk_error *err);

#endif
