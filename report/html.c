/*
 * html.c: the page: its head with every style inline (no font, script or
 * image is fetched), the title, and the sections in order.  Print styles
 * give each KPI a page of A4 of its own and never split one.
 */
#include <string.h>

#include "report/html.h"
#include "report/figure.h"
#include "report/text.h"

static const char style[] =
    "*{box-sizing:border-box}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1a1a1a;margin:0 auto;padding:1rem;max-width:60rem;line-height:1.4}\n"
    "h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.4rem 0 .4rem}\n"
    "p.meta,p.note,footer{color:#555;font-size:.85em}\n"
    ".table-wrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:.9rem;width:100%}\n"
    "th,td{padding:.3rem .45rem;border-bottom:1px solid #ddd;text-align:left;"
    "vertical-align:top}\n"
    "td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "table.standing td:first-child{min-width:12rem}\n"
    "tr.gender td:first-child{padding-left:1.4rem;color:#555}\n"
    "td.good{background:#c8e6c9}td.fair{background:#e8f5e9}td.weak{background:#fff3e0}"
    "td.bad{background:#ffcdd2}td.nodir{color:#555;white-space:nowrap}td.nodir "
    "small{font-size:.8em}\n"
    "figure{margin:.5rem 0}figure svg{display:block;width:100%;height:auto}\n"
    "svg text{font-family:inherit;font-size:12px;fill:#333}svg text.latest{font-weight:600}\n"
    "svg text.unit{font-weight:600}\n"
    "ul.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;"
    "gap:.2rem 1rem;font-size:.85rem}\n"
    "ul.legend span{display:inline-block;width:1.6rem;margin-right:.35rem;"
    "vertical-align:middle;border-top-width:3px}\n"
    "section.kpi,section.budget{border-top:2px solid #1a4f9c;margin-top:1.5rem}\n"
    "@media (max-width:40rem){body{padding:.6rem}table{font-size:.8rem}"
    "table.standing td:first-child{min-width:8rem}svg.kpi-chart text{font-size:16px}}\n"
    "@media print{@page{size:A4;margin:14mm}\n"
    "body{max-width:none;padding:0;font-size:10pt}\n"
    "section.kpi,section.budget{break-before:page;break-inside:avoid;border-top:none}\n"
    ".table-wrap{overflow:visible}tr{break-inside:avoid}\n"
    "table{font-size:8.5pt}th,td{padding:.12rem .3rem}p.note{break-inside:avoid}}\n";

/* A text with one %s, the %s escaped in its place. */
static void html_format(FILE *out, const char *format, const char *value)
{
    const char *slot = strstr(format, "%s");

    fprintf(out, "%.*s", (int)(slot - format), format);
    html_text(out, value);
    fputs(slot + 2, out);
}

static void write_head(FILE *out, const report *rep)
{
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>",
            rep->lang == REPORT_EN ? "en" : "sv");
    html_format(out, report_text(rep->lang, TEXT_TITLE), rep->area_title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

void html_page(FILE *out, const report *rep)
{
    write_head(out, rep);
    fputs("<header>\n<h1>", out);
    html_format(out, report_text(rep->lang, TEXT_TITLE), rep->area_title);
    fputs("</h1>\n<p class=\"meta\">", out);
    html_format(out, report_text(rep->lang, TEXT_INTRO),
                rep->region_title ? rep->region_title : report_text(rep->lang, TEXT_REGION));
    fputs("</p>\n</header>\n", out);
    html_standing(out, rep);
    for (size_t i = 0; i < rep->kpi_count; i++)
        if (rep->kpis[i].has_values)
            html_kpi(out, rep, &rep->kpis[i]);
    html_budget(out, rep);
    html_footer(out, rep);
    fputs("</body>\n</html>\n", out);
}
