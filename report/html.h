/*
 * html.h: writing the report's HTML: escaped text and the page around it.
 */
#ifndef NYCKEL_REPORT_HTML_H
#define NYCKEL_REPORT_HTML_H

#include <stdio.h>

#include "report/report.h"

/* text with & < > " ' escaped; NULL writes nothing. */
void html_text(FILE *out, const char *text);
void html_text_length(FILE *out, const char *text, size_t length);

/* A figure (numeric text, NULL for none: an en dash) formatted by figure.h. */
void html_number(FILE *out, const char *text, report_lang lang, unsigned flags);

/* The whole page. */
void html_page(FILE *out, const report *rep);

/* Parts of the page (sections.c, kpi_section.c, budget.c, footer.c). */
void html_standing(FILE *out, const report *rep);
void html_kpi(FILE *out, const report *rep, const report_kpi *kpi);
void html_budget(FILE *out, const report *rep);
void html_footer(FILE *out, const report *rep);

/* Whether which way is better is known for the KPI. */
int html_direction_known(const report_kpi *kpi);

/* The gender's word ("totalt", "kvinnor", "män"). */
const char *html_gender(const report *rep, const char *gender);

#endif
