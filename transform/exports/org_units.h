/*
 * org_units.h: the organisation a mapping's units belong to, read from an
 * org-unit file, and unit names in exports resolved against it.
 *
 * The file is CSV (';' or ',', UTF-8) with a header line naming its
 * columns: unit_id and title are required; parent_id, level
 * (administration, service_area, unit), valid_from, valid_to (dates,
 * empty = open), successor_id and names (other spellings, separated by '|')
 * are optional.  A unit that was renamed or merged keeps its row and its
 * dates, so history stays where it was: in the example below Bistånd and
 * Hälsa och sjukvård end on 2018-12-31 and name their successor, so rows
 * for 2018 stay on the old units and a 2019 export that still says
 * "Bistånd" lands on the merged unit.
 *
 *   unit_id;title;parent_id;level;valid_from;valid_to;successor_id;names
 *   SOC;Socialförvaltningen;;administration;;;;
 *   SOC-BIS;Bistånd;SOC;unit;;2018-12-31;SOC-BHS;Biståndsenheten
 *   SOC-HS;Hälsa och sjukvård;SOC;unit;;2018-12-31;SOC-BHS;HSL
 *   SOC-BHS;Bistånd och hälsa;SOC;unit;2019-01-01;;;
 */
#ifndef NYCKEL_ORG_UNITS_H
#define NYCKEL_ORG_UNITS_H

#include <stddef.h>

#define TRANSFORM_ORG_REASON_MAX 200

typedef struct transform_org_unit {
    char *unit_id, *title, *parent_id, *level, *valid_from, *valid_to, *successor_id;
    char **names; /* comparison keys of the title and every other name */
    size_t name_count, name_capacity;
} transform_org_unit;

typedef struct transform_org_units {
    transform_org_unit *units;
    size_t count, capacity;
} transform_org_units;

/* Parse the file's text; 0, or -1 with reason naming the line. */
int transform_org_units_parse(transform_org_units *org, const char *data, size_t length,
                              char reason[TRANSFORM_ORG_REASON_MAX]);

int transform_org_units_load(transform_org_units *org, const char *path,
                             char reason[TRANSFORM_ORG_REASON_MAX]);

void transform_org_units_free(transform_org_units *org);

/*
 * The unit a name (or unit id) means during first..last ("2019-01-01",
 * "2019-03-31"), following successors of units that had ended; NULL with
 * reason when none or more than one fits.
 */
const transform_org_unit *transform_org_unit_resolve(const transform_org_units *org,
                                                     const char *name, const char *first,
                                                     const char *last,
                                                     char reason[TRANSFORM_ORG_REASON_MAX]);

#endif
