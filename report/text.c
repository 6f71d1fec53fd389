/*
 * text.c: the report's words.  Swedish is the report's own language (its
 * readers write nämndplaner); English is for everyone else.
 */
#include "report/text.h"

static const char *const texts[TEXT_COUNT][2] = {
    [TEXT_TITLE] = { "Nyckeltal för %s", "Key figures for %s" },
    [TEXT_INTRO] = { "Kommunen bredvid riket, %s och jämförelsegrupperna, år för år.",
                     "The municipality beside Riket, %s and its peer groups, year by year." },
    [TEXT_STANDING] = { "Var vi står", "Where we stand" },
    [TEXT_KPI] = { "Nyckeltal", "KPI" },
    [TEXT_YEAR] = { "År", "Year" },
    [TEXT_VALUE] = { "Värde", "Value" },
    [TEXT_RIKET] = { "Riket", "Riket" },
    [TEXT_DIFFERENCE] = { "Skillnad", "Difference" },
    [TEXT_GROUP_DIFFERENCE] = { "Skillnad mot gruppen", "Difference to the group" },
    [TEXT_RANK] = { "Rang", "Rank" },
    [TEXT_QUARTILE] = { "Kvartil", "Quartile" },
    [TEXT_CHANGE] = { "Förändring", "Change" },
    [TEXT_OF] = { "av", "of" },
    [TEXT_HIGHER] = { "högre är bättre", "higher is better" },
    [TEXT_LOWER] = { "lägre är bättre", "lower is better" },
    [TEXT_UNKNOWN] = { "riktning okänd", "direction unknown" },
    [TEXT_UNKNOWN_NOTE] = { "Riktning okänd: rangen räknas efter värde, högst först, och säger "
                            "inget om bra eller "
                            "dåligt.",
                            "Direction unknown: the rank counts by value, highest first, and says "
                            "nothing about good "
                            "or bad." },
    [TEXT_QUARTILE_NOTE] = { "Senaste året med värde. Skillnad: kommunen minus riket. Rang bland "
                             "kommunerna med värde, "
                             "1 är bäst. Kvartil 1 är den bästa fjärdedelen, 4 den sämsta; färgen "
                             "visas bara där "
                             "riktningen är känd. Förändring: sedan året före.",
                             "Latest year with a value. Difference: the municipality minus Riket. "
                             "Rank among the "
                             "municipalities with a value, 1 is best. Quartile 1 is the best "
                             "quarter, 4 the worst; "
                             "the colour shows only where the direction is known. Change: since "
                             "the year before." },
    [TEXT_TOTAL] = { "totalt", "total" },
    [TEXT_WOMEN] = { "kvinnor", "women" },
    [TEXT_MEN] = { "män", "men" },
    [TEXT_PEER_GROUP] = { "Jämförelsegrupp", "Peer group" },
    [TEXT_GROUP_MEAN] = { "Gruppens medelvärde", "Group mean" },
    [TEXT_GROUP_RANK] = { "Rang i gruppen", "Rank in the group" },
    [TEXT_REGION] = { "regionen", "the region" },
    [TEXT_INTERNAL] = { "Egna uppgifter bredvid nyckeltalet", "Internal figures beside the KPI" },
    [TEXT_INTERNAL_UNIT] = { "Enhet", "Unit" },
    [TEXT_MEASURE] = { "Eget mått", "Internal measure" },
    [TEXT_KOLADA_AREA] = { "Kolada, kommunen", "Kolada, municipality" },
    [TEXT_KOLADA_UNIT] = { "Kolada, enheten", "Kolada, unit" },
    [TEXT_BUDGET_TITLE] = { "Budget, prognos och utfall %s", "Budget, forecast and outcome %s" },
    [TEXT_BUDGET] = { "Budget", "Budget" },
    [TEXT_FORECAST] = { "Prognos", "Forecast" },
    [TEXT_OUTCOME] = { "Utfall", "Outcome" },
    [TEXT_BUDGET_NOTE] = { "Staplarna visar beloppens storlek; talen står med sitt tecken som i "
                           "ekonomisystemet.",
                           "The bars show the amounts' size; the figures keep their sign as in the "
                           "finance system." },
    [TEXT_NO_VALUES] = { "Inga värden för kommunen: %s", "No values for the municipality: %s" },
    [TEXT_SOURCES] = { "Källor och laddning", "Sources and loads" },
    [TEXT_SOURCE_MORE] = { "De %s senast laddade källorna av %s visas.",
                           "The %s sources loaded last of %s are shown." },
    [TEXT_VALUES] = { "värden", "values" },
    [TEXT_LOADED] = { "laddad", "loaded" },
    [TEXT_ATTRIBUTION] = { "Källa: Kolada (CC BY 4.0), www.kolada.se.",
                           "Källa: Kolada (source: Kolada, CC BY 4.0), www.kolada.se." },
    [TEXT_SUPPRESSED_NOTE] = { "Antal personer mellan 1 och 4 visas som &lt;5 och ritas inte, så "
                               "att ingen kan pekas ut.",
                               "Counts of 1 to 4 people show as &lt;5 and are not drawn, so that "
                               "no one can be singled "
                               "out." },
    [TEXT_GENERATED] = { "Skapad %s av nyckel-report ur lagrets mart-vyer.",
                         "Made %s by nyckel-report from the warehouse's mart views." },
};

const char *report_text(report_lang lang, text_id id)
{
    return texts[id][lang == REPORT_EN];
}
