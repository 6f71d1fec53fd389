/*
 * area_names.h: municipality names in free text to Kolada area codes.
 *
 * Names are matched after names.h normalisation against each
 * municipality's full and short name ("Linköpings kommun", "Linköping"),
 * a four-digit code stands for itself, and the job's transform.aliases add
 * names of their own.  Text damaged where a Swedish letter stood
 * ("Linkdping", "Link6ping", "Linkoping", "LinkÃ¶ping") matches when exactly
 * one municipality fits; two that fit is an error, never a guess.
 */
#ifndef NYCKEL_AREA_NAMES_H
#define NYCKEL_AREA_NAMES_H

#include <jansson.h>
#include <stddef.h>

#define TRANSFORM_AREA_REASON_MAX 200

typedef struct transform_areas transform_areas;

/* jobs/reference/municipalities.csv, compiled in (scripts/embed-municipalities.sh). */
extern const char transform_builtin_municipalities[];
extern const size_t transform_builtin_municipalities_length;

/* origin names the list in messages: "the built-in list" or the file's path. */
transform_areas *transform_areas_new(const char *origin);
void transform_areas_free(transform_areas *areas);

/* One more name for a municipality code. */
int transform_areas_add(transform_areas *areas, const char *code, const char *name);

/*
 * Read municipalities.csv text (municipality_code, municipality_name,
 * municipality_name_short, county_code, with a header line).  Returns 0, or
 * -1 with reason.
 */
int transform_areas_load_csv(transform_areas *areas, const char *data, size_t length,
                             char reason[TRANSFORM_AREA_REASON_MAX]);

/* The job's transform.aliases: an object of name → code (NULL: none). */
int transform_areas_add_aliases(transform_areas *areas, const json_t *aliases);

/*
 * Resolve text: 1 with code set, 0 when no municipality fits, -1 when more
 * than one does; reason says which when not 1, and which list was used.
 */
int transform_area_resolve(const transform_areas *areas, const char *text, char code[5],
                           char reason[TRANSFORM_AREA_REASON_MAX]);

#endif
