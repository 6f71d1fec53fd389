/*
 * budget.c: budget, forecast and outcome per unit, as bars, for the latest
 * year the warehouse has a budget for; one chart per internal measure.
 * Net costs come with their sign (a cost is negative in most finance
 * systems): the bars show the size, the figures the sign.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/figure.h"
#include "report/text.h"

enum { WIDTH = 640, NAME_WIDTH = 190, VALUE_WIDTH = 90, LEGEND = 26, BAR = 10, UNIT_GAP = 12 };

static const char *const scenario_colours[] = { "#9e9e9e", "#f2a93b", "#1a4f9c" };
static const text_id scenario_names[] = { TEXT_BUDGET, TEXT_FORECAST, TEXT_OUTCOME };

static const char *scenario(const report_budget *b, int s)
{
    return s == 0 ? b->budget : s == 1 ? b->forecast : b->outcome;
}

static double largest(const report_budget *rows, size_t count)
{
    double most = 0;

    for (size_t i = 0; i < count; i++)
        for (int s = 0; s < 3; s++)
            if (scenario(&rows[i], s))
                most = fmax(most, fabs(strtod(scenario(&rows[i], s), NULL)));
    return most > 0 ? most : 1;
}

static void write_legend(FILE *out, const report *rep)
{
    for (int s = 0; s < 3; s++)
        fprintf(out,
                "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"16\">%s</text>\n",
                NAME_WIDTH + s * 110, scenario_colours[s], NAME_WIDTH + s * 110 + 16,
                report_text(rep->lang, scenario_names[s]));
}

/* A unit's name, shortened to what fits beside its bars. */
static void write_unit_name(FILE *out, const char *name, double y)
{
    fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", NAME_WIDTH - 8, y);
    if (strlen(name) > 28) {
        fprintf(out, "%.26s", name);
        fputs("\xe2\x80\xa6", out);
    } else {
        html_text(out, name);
    }
    fputs("</text>\n", out);
}

static void write_unit(FILE *out, const report *rep, const report_budget *b, double y, double most)
{
    double room = WIDTH - NAME_WIDTH - VALUE_WIDTH;
    char text[NUMBER_MAX];

    write_unit_name(out, b->unit_title ? b->unit_title : "", y + BAR + 10);
    for (int s = 0; s < 3; s++, y += BAR + 2) {
        const char *value = scenario(b, s);
        double length = value ? fabs(strtod(value, NULL)) * room / most : 0;
        report_number(text, sizeof text, value ? value : "\xe2\x80\x93", rep->lang,
                      report_is_count_unit(b->unit) ? NUMBER_COUNT : 0);
        fprintf(out,
                "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"bar\">%s</text>\n",
                NAME_WIDTH, y, length, BAR, scenario_colours[s], NAME_WIDTH + length + 4,
                y + BAR - 1, text);
    }
}

/* The rows from first that share its measure: one chart. */
static size_t write_measure(FILE *out, const report *rep, size_t first)
{
    size_t end = first;

    while (end < rep->budget_count &&
           strcmp(rep->budget[end].measure ? rep->budget[end].measure : "",
                  rep->budget[first].measure ? rep->budget[first].measure : "") == 0)
        end++;
    double most = largest(rep->budget + first, end - first);
    int height = LEGEND + (int)(end - first) * (3 * (BAR + 2) + UNIT_GAP) + 4;
    fputs("<h3>", out);
    html_text(out, rep->budget[first].measure);
    fputs(" (", out);
    html_text(out, rep->budget[first].unit);
    fprintf(out,
            ")</h3>\n<figure>\n<svg class=\"budget-chart\" viewBox=\"0 0 %d %d\" "
            "role=\"img\" aria-label=\"",
            WIDTH, height);
    html_text(out, rep->budget[first].measure);
    fputs("\">\n", out);
    write_legend(out, rep);
    for (size_t i = first; i < end; i++)
        write_unit(out, rep, &rep->budget[i],
                   LEGEND + (double)(i - first) * (3 * (BAR + 2) + UNIT_GAP), most);
    fputs("</svg>\n</figure>\n", out);
    return end;
}

void html_budget(FILE *out, const report *rep)
{
    if (rep->budget_count == 0)
        return;
    fputs("<section class=\"budget\">\n<h2>", out);
    const char *format = report_text(rep->lang, TEXT_BUDGET_TITLE);
    fprintf(out, "%.*s%s</h2>\n", (int)(strstr(format, "%s") - format), format, rep->budget_year);
    for (size_t i = 0; i < rep->budget_count;)
        i = write_measure(out, rep, i);
    fprintf(out, "<p class=\"note\">%s</p>\n</section>\n",
            report_text(rep->lang, TEXT_BUDGET_NOTE));
}
