/*
 * sections.c: "where we stand": the latest year of every KPI beside Riket,
 * its rank and quartile and its change since the year before.  Every
 * figure cell names what it holds (data-col), so that it can be checked
 * against the marts.
 */
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/figure.h"
#include "report/text.h"

int html_direction_known(const report_kpi *kpi)
{
    return kpi->direction && strcmp(kpi->direction, "unknown") != 0;
}

static void cell(FILE *out, const report *rep, const char *column, const char *text, unsigned flags)
{
    fprintf(out, "<td class=\"num\" data-col=\"%s\">", column);
    html_number(out, text, rep->lang, flags);
    fputs("</td>", out);
}

/* Coloured good to bad only where the direction is known. */
static void quartile_cell(FILE *out, const report *rep, const report_kpi *kpi, const char *q)
{
    static const char *const judged[] = { "good", "fair", "weak", "bad" };
    int quartile = q ? atoi(q) : 0;

    if (!html_direction_known(kpi) || quartile < 1 || quartile > 4) {
        fprintf(out, "<td class=\"nodir\" data-col=\"quartile\">%s <small>%s</small></td>",
                q ? q : "", report_text(rep->lang, TEXT_UNKNOWN));
        return;
    }
    fprintf(out, "<td class=\"%s\" data-col=\"quartile\">%d</td>", judged[quartile - 1], quartile);
}

static void standing_row(FILE *out, const report *rep, const report_kpi *kpi,
                         const report_standing *st)
{
    unsigned count = kpi->is_count ? NUMBER_COUNT : 0;

    fprintf(out, "<tr data-kpi=\"%s\" data-gender=\"%s\" data-direction=\"%s\"%s><td>", kpi->id,
            st->gender, kpi->direction, st->gender[0] == 'T' ? "" : " class=\"gender\"");
    if (st->gender[0] == 'T') {
        html_text(out, kpi->title);
    } else {
        html_text(out, html_gender(rep, st->gender));
    }
    fputs("</td>", out);
    fprintf(out, "<td class=\"num\" data-col=\"year\">%s</td>", st->year);
    cell(out, rep, "value", st->value, count);
    cell(out, rep, "riket", st->riket, count);
    cell(out, rep, "difference", st->difference, NUMBER_SIGNED | count);
    fprintf(out, "<td class=\"num\" data-col=\"rank\">%s %s %s</td>", st->rank ? st->rank : "",
            report_text(rep->lang, TEXT_OF), st->ranked_count);
    quartile_cell(out, rep, kpi, st->quartile);
    cell(out, rep, "change", st->change, NUMBER_SIGNED | count);
    fputs("</tr>\n", out);
}

static void standing_notes(FILE *out, const report *rep)
{
    int unknown = 0, without = 0;

    for (size_t i = 0; i < rep->kpi_count; i++) {
        unknown |= rep->kpis[i].has_values && !html_direction_known(&rep->kpis[i]);
        without |= !rep->kpis[i].has_values;
    }
    fprintf(out, "<p class=\"note\">%s", report_text(rep->lang, TEXT_QUARTILE_NOTE));
    if (unknown)
        fprintf(out, " %s", report_text(rep->lang, TEXT_UNKNOWN_NOTE));
    fputs("</p>\n", out);
    if (!without)
        return;
    const char *format = report_text(rep->lang, TEXT_NO_VALUES);
    fprintf(out, "<p class=\"note\">%.*s", (int)(strstr(format, "%s") - format), format);
    for (size_t i = 0, n = 0; i < rep->kpi_count; i++)
        if (!rep->kpis[i].has_values) {
            fputs(n++ ? ", " : "", out);
            html_text(out, rep->kpis[i].id);
        }
    fprintf(out, "%s</p>\n", strstr(format, "%s") + 2);
}

void html_standing(FILE *out, const report *rep)
{
    static const text_id heads[] = { TEXT_YEAR, TEXT_VALUE,    TEXT_RIKET, TEXT_DIFFERENCE,
                                     TEXT_RANK, TEXT_QUARTILE, TEXT_CHANGE };

    fprintf(out,
            "<section class=\"standing\">\n<h2>%s</h2>\n<div class=\"table-wrap\">\n"
            "<table class=\"standing\">\n<thead><tr><th>%s</th>",
            report_text(rep->lang, TEXT_STANDING), report_text(rep->lang, TEXT_KPI));
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        fprintf(out, "<th%s>%s</th>", heads[i] == TEXT_QUARTILE ? "" : " class=\"num\"",
                report_text(rep->lang, heads[i]));
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < rep->kpi_count; i++)
        for (size_t g = 0; g < rep->kpis[i].standing_count; g++)
            standing_row(out, rep, &rep->kpis[i], &rep->kpis[i].standing[g]);
    fputs("</tbody>\n</table>\n</div>\n", out);
    standing_notes(out, rep);
    fputs("</section>\n", out);
}
