/*
 * footer.c: the page's footer: where the figures come from and when they
 * were loaded (the lineage mart.kpi_value shows), the attribution Kolada's
 * licence asks for, and the rule on small counts.
 */
#include <stdio.h>
#include <string.h>

#include "report/html.h"
#include "report/figure.h"
#include "report/text.h"

static void sources(FILE *out, const report *rep)
{
    char shown[24];

    fprintf(out, "<h2>%s</h2>\n<ul class=\"sources\">\n", report_text(rep->lang, TEXT_SOURCES));
    for (size_t i = 0; i < rep->source_count; i++) {
        const report_source *s = &rep->sources[i];
        fputs("<li><code>", out);
        html_text(out, s->uri);
        fprintf(out, "</code>: %s %s, ", report_text(rep->lang, TEXT_LOADED), s->loaded_at);
        html_number(out, s->values, rep->lang, 0);
        fprintf(out, " %s</li>\n", report_text(rep->lang, TEXT_VALUES));
    }
    fputs("</ul>\n", out);
    snprintf(shown, sizeof shown, "%zu", rep->source_count);
    if (strcmp(shown, rep->source_total) != 0) {
        const char *format = report_text(rep->lang, TEXT_SOURCE_MORE);
        const char *slot = strstr(format, "%s");
        fprintf(out, "<p>%.*s%s", (int)(slot - format), format, shown);
        const char *second = strstr(slot + 2, "%s");
        fprintf(out, "%.*s%s%s</p>\n", (int)(second - slot - 2), slot + 2, rep->source_total,
                second + 2);
    }
}

void html_footer(FILE *out, const report *rep)
{
    const char *format = report_text(rep->lang, TEXT_GENERATED);
    const char *slot = strstr(format, "%s");

    fputs("<footer>\n", out);
    sources(out, rep);
    fprintf(out, "<p>%s</p>\n<p>%s</p>\n", report_text(rep->lang, TEXT_ATTRIBUTION),
            report_text(rep->lang, TEXT_SUPPRESSED_NOTE));
    fprintf(out, "<p>%.*s%s%s</p>\n</footer>\n", (int)(slot - format), format, rep->generated_at,
            slot + 2);
}
