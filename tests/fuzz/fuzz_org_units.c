/*
 * fuzz_org_units.c: libFuzzer harness for the org-unit file
 * (transform/exports/org_units.h).
 *
 * The input is the file's text.  A file that parses has units whose ids are
 * good internal ids (transform/cells/ids.h) and whose ids, titles and names hold
 * no personal identity number; every unit's id and title resolve for some
 * period or say why not.  A file that does not parse says why in a reason
 * that quotes no personal identity number either.
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/cells/ids.h"
#include "transform/exports/org_units.h"
#include "lib/base/pnr.h"

static void check_unit(const transform_org_units *org, const transform_org_unit *unit)
{
    const char *const texts[] = { unit->unit_id,    unit->title,    unit->parent_id,   unit->level,
                                  unit->valid_from, unit->valid_to, unit->successor_id };
    char why[TRANSFORM_ID_REASON_MAX], reason[TRANSFORM_ORG_REASON_MAX];

    fuzz_check(transform_id_check(TRANSFORM_ID_INTERNAL, "unit", unit->unit_id, why) == 0);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        fuzz_check(!nk_pnr_holds(texts[i]));
    for (size_t k = 0; k < unit->name_count; k++)
        fuzz_check(!nk_pnr_holds(unit->names[k]));
    for (int by_title = 0; by_title < 2; by_title++) {
        reason[0] = '\0';
        const char *name = by_title ? unit->title : unit->unit_id;
        if (transform_org_unit_resolve(org, name, "2019-01-01", "2019-12-31", reason) == NULL)
            fuzz_check(reason[0] != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char reason[TRANSFORM_ORG_REASON_MAX] = "";
    transform_org_units org;

    if (transform_org_units_parse(&org, (const char *)data, size, reason) == 0) {
        for (size_t i = 0; i < org.count; i++)
            check_unit(&org, &org.units[i]);
    } else {
        fuzz_check(reason[0] != '\0');
        fuzz_check(!nk_pnr_holds(reason));
    }
    transform_org_units_free(&org);
    return 0;
}
