/*
 * ids.h: what an id may be.  Ids are the keys of the warehouse's
 * dimensions; an id that is empty, too long or made of unexpected bytes is
 * rejected where it is read, never cut short (two long ids cut to one length
 * would become one key) and never passed on for PostgreSQL to refuse.
 *
 * Kolada ids (KPI, area, group, unit): 1 to 64 ASCII letters, digits, '-'
 * and '_'.  Internal ids (org-unit file ids, unit paths built from names,
 * measures, breakdowns): 1 to 400 bytes of text with no control characters.
 * docs/jobs.md lists the same limits.
 */
#ifndef NYCKEL_IDS_H
#define NYCKEL_IDS_H

#include <stddef.h>

#define TRANSFORM_KOLADA_ID_MAX 64
#define TRANSFORM_INTERNAL_ID_MAX 400
#define TRANSFORM_ID_REASON_MAX 160

typedef enum transform_id_kind {
    TRANSFORM_ID_KOLADA,  /* kpi, municipality, group, ou from Kolada */
    TRANSFORM_ID_INTERNAL /* unit and measure ids of internal exports */
} transform_id_kind;

/*
 * 0 when id (what names the id: "KPI", "unit"...) is a good id of its kind,
 * else -1 with reason naming what and the id, shortened and escaped.
 */
int transform_id_check(transform_id_kind kind, const char *what, const char *id,
                       char reason[TRANSFORM_ID_REASON_MAX]);

/* The first bytes of text (whole characters), control bytes, '"' and '\\' as \xNN, and its
 * length if cut. */
void transform_id_shown(const char *text, char *shown, size_t size);

/* Whether the 32-bit integer column of PostgreSQL holds the integer written as text. */
int transform_fits_integer(const char *text);

#endif
