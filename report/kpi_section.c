/*
 * kpi_section.c: one KPI's section: its title, direction and reason, the
 * chart with its legend, the latest year beside Riket, the region and each
 * peer group (mean, difference, rank in the group), and the internal
 * figures paired with it.
 */
#include <string.h>

#include "report/chart.h"
#include "report/html.h"
#include "report/figure.h"
#include "report/text.h"

static void series_label(FILE *out, const report *rep, const report_series *series)
{
    if (series->kind == SERIES_AREA || series->kind == SERIES_WOMEN || series->kind == SERIES_MEN) {
        html_text(out, rep->area_title);
        fputs(", ", out);
        html_text(out, html_gender(rep, series->kind == SERIES_WOMEN ? "K"
                                        : series->kind == SERIES_MEN ? "M"
                                                                     : "T"));
    } else {
        html_text(out, series->label);
    }
}

static void legend(FILE *out, const report *rep, const report_kpi *kpi)
{
    fputs("<figcaption><ul class=\"legend\">\n", out);
    for (size_t s = 0; s < kpi->series_count; s++) {
        if (kpi->series[s].count == 0)
            continue;
        fprintf(out, "<li><span style=\"border-top-style:%s;border-top-color:%s\"></span>",
                chart_dash(kpi, s) ? "dashed" : "solid", chart_colour(kpi, s));
        series_label(out, rep, &kpi->series[s]);
        fputs("</li>\n", out);
    }
    fputs("</ul></figcaption>\n", out);
}

static void meta(FILE *out, const report *rep, const report_kpi *kpi)
{
    int known = html_direction_known(kpi);

    fputs("<p class=\"meta\">", out);
    html_text(out, kpi->id);
    if (kpi->operating_area) {
        fputs(" \xc2\xb7 ", out);
        html_text(out, kpi->operating_area);
    }
    fprintf(out, " \xc2\xb7 %s",
            report_text(rep->lang, !known                                  ? TEXT_UNKNOWN
                                   : strcmp(kpi->direction, "higher") == 0 ? TEXT_HIGHER
                                                                           : TEXT_LOWER));
    if (kpi->reason) {
        /* The warehouse's reasons read "svenska / English". */
        const char *english = strstr(kpi->reason, " / ");
        fputs(": ", out);
        if (english == NULL)
            html_text(out, kpi->reason);
        else if (rep->lang == REPORT_EN)
            html_text(out, english + 3);
        else
            html_text_length(out, kpi->reason, (size_t)(english - kpi->reason));
    }
    fputs("</p>\n", out);
}

static void peer_row(FILE *out, const report *rep, const report_kpi *kpi, const report_peer *p)
{
    unsigned count = kpi->is_count ? NUMBER_COUNT : 0;

    fputs("<tr><td>", out);
    html_text(out, p->title);
    fputs("</td><td class=\"num\">", out);
    html_number(out, p->mean, rep->lang, count);
    fputs("</td><td class=\"num\">", out);
    html_number(out, p->difference, rep->lang, NUMBER_SIGNED | count);
    fprintf(out, "</td><td class=\"num\">%s %s %s</td></tr>\n", p->rank ? p->rank : "",
            report_text(rep->lang, TEXT_OF), p->ranked_count ? p->ranked_count : "");
}

static void peers(FILE *out, const report *rep, const report_kpi *kpi)
{
    if (kpi->peer_count == 0)
        return;
    fprintf(out,
            "<div class=\"table-wrap\"><table class=\"peers\">\n<thead><tr><th>%s %s</th>"
            "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
            "</tr></thead>\n<tbody>\n",
            report_text(rep->lang, TEXT_PEER_GROUP), kpi->latest_year,
            report_text(rep->lang, TEXT_GROUP_MEAN), report_text(rep->lang, TEXT_GROUP_DIFFERENCE),
            report_text(rep->lang, TEXT_GROUP_RANK));
    for (size_t i = 0; i < kpi->peer_count; i++)
        peer_row(out, rep, kpi, &kpi->peers[i]);
    fputs("</tbody></table></div>\n", out);
}

static void internal_row(FILE *out, const report *rep, const report_kpi *kpi,
                         const report_internal *in)
{
    fputs("<tr><td>", out);
    html_text(out, in->measure);
    fputs(" (", out);
    html_text(out, in->unit);
    fputs(")</td><td>", out);
    html_text(out, in->unit_title);
    int counts = report_is_count_unit(in->unit);

    fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num%s\">", in->year,
            counts ? " count" : "");
    html_number(out, in->value, rep->lang, counts ? NUMBER_COUNT : 0);
    fputs("</td><td class=\"num\">", out);
    html_number(out, in->kolada, rep->lang, kpi->is_count ? NUMBER_COUNT : 0);
    fputs("</td><td class=\"num\">", out);
    html_number(out, in->kolada_unit, rep->lang, kpi->is_count ? NUMBER_COUNT : 0);
    fputs("</td></tr>\n", out);
}

static void internal(FILE *out, const report *rep, const report_kpi *kpi)
{
    if (kpi->internal_count == 0)
        return;
    fprintf(out,
            "<h3>%s</h3>\n<div class=\"table-wrap\"><table class=\"internal\">\n"
            "<thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th>"
            "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
            "</tr></thead>\n<tbody>\n",
            report_text(rep->lang, TEXT_INTERNAL), report_text(rep->lang, TEXT_MEASURE),
            report_text(rep->lang, TEXT_INTERNAL_UNIT), report_text(rep->lang, TEXT_YEAR),
            report_text(rep->lang, TEXT_VALUE), report_text(rep->lang, TEXT_KOLADA_AREA),
            report_text(rep->lang, TEXT_KOLADA_UNIT));
    for (size_t i = 0; i < kpi->internal_count; i++)
        internal_row(out, rep, kpi, &kpi->internal[i]);
    fputs("</tbody></table></div>\n", out);
}

void html_kpi(FILE *out, const report *rep, const report_kpi *kpi)
{
    fprintf(out, "<section class=\"kpi\" id=\"kpi-%s\" data-kpi=\"%s\">\n<h2>", kpi->id, kpi->id);
    html_text(out, kpi->title);
    fputs("</h2>\n", out);
    meta(out, rep, kpi);
    fputs("<figure>\n", out);
    chart_write(out, rep, kpi);
    legend(out, rep, kpi);
    fputs("</figure>\n", out);
    peers(out, rep, kpi);
    internal(out, rep, kpi);
    fputs("</section>\n", out);
}
