/*
 * kolada_page.h: reading Kolada API responses (v3, and the v2 shape that old
 * mirrors still serve) into staged rows.
 *
 * A response is {"count": N, "values": [...], "next_url" | "next_page": ...}.
 * What the values are (KPIs, areas, groups, units, or data) comes from the
 * extract manifest's "endpoint" when extract knew it, and otherwise from the
 * shape of the first value.
 */
#ifndef NYCKEL_KOLADA_PAGE_H
#define NYCKEL_KOLADA_PAGE_H

#include <jansson.h>

#include "transform/transform.h"

typedef enum transform_kolada_kind {
    KOLADA_EMPTY,               /* no values: nothing to do */
    KOLADA_KPI,                 /* /kpi */
    KOLADA_KPI_GROUPS,          /* /kpi_groups */
    KOLADA_MUNICIPALITY,        /* /municipality */
    KOLADA_MUNICIPALITY_GROUPS, /* /municipality_groups */
    KOLADA_OU,                  /* /ou */
    KOLADA_DATA,                /* /data */
    KOLADA_OUDATA               /* /oudata */
} transform_kolada_kind;

/*
 * Parse a raw file (metadata pages: small); a file that is not a Kolada
 * response is an NK_EXIT_DATA error.
 */
json_t *transform_kolada_parse(const char *path, nk_error *err);

/*
 * What a file holds, from the manifest's endpoint (without reading the file)
 * or else from its first value alone, so that a data page is parsed once,
 * not twice.  A page of no values then simply gives no rows.
 */
int transform_kolada_sniff(const char *path, const char *endpoint, transform_kolada_kind *kind,
                           nk_error *err);

/* What one value is, by the keys only its endpoint uses; -1 when they say nothing. */
int transform_kolada_shape(const json_t *value, transform_kolada_kind *kind);

/* "a KPI", "an area", "a municipality group", ... for messages. */
const char *transform_kolada_kind_name(transform_kolada_kind kind);

/* What the page holds; -1 (with err) when neither endpoint nor shape says. */
int transform_kolada_kind_of(const json_t *page, const char *endpoint, const char *path,
                             transform_kolada_kind *kind, nk_error *err);

int transform_kolada_is_metadata(transform_kolada_kind kind);

/* A page of values (count given) that gave not one row read or rejected is an error. */
int transform_kolada_check_yield(const transform_source *source, size_t values, nk_error *err);

/* Metadata pages become dimension rows (dimensions.h). */
int transform_kolada_read_metadata(transform_context *context, transform_source *source,
                                   const json_t *page, transform_kolada_kind kind, nk_error *err);

/*
 * Warn about each key of object (a Kolada "page", "KPI", "area", "group",
 * "group member" or "unit") that nyckel does not know, once per run.
 */
void transform_kolada_check_keys(transform_context *context, const transform_source *source,
                                 const char *what, const json_t *object);

/* The same for one key; what may also be a "data row" or "data value". */
void transform_kolada_check_key(transform_context *context, const transform_source *source,
                                const char *what, const char *key);

/* The attributes of a KPI besides its id and title (kolada_kpi.c). */
#define TRANSFORM_KOLADA_KPI_ATTRIBUTES 8

/*
 * A KPI whose id and title have been checked becomes a dim_kpi row; each
 * attribute it lacks under every name Kolada has used is counted in
 * lacking[TRANSFORM_KOLADA_KPI_ATTRIBUTES] and kept by load.
 */
void transform_kolada_read_kpi(transform_context *context, const char *id, const char *title,
                               const json_t *kpi, unsigned *lacking);

/* Warn once per attribute that KPIs of source lacked, saying the warehouse keeps it. */
void transform_kolada_report_lacking(const transform_source *source, const unsigned *lacking);

/*
 * Data pages become fact rows; values for unknown ids are rejected.  The
 * page is read from source->path as a stream, never whole (kolada_values.c).
 */
int transform_kolada_read_values(transform_context *context, transform_source *source,
                                 transform_kolada_kind kind, nk_error *err);

#endif
