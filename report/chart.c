/*
 * chart.c: the line chart of one KPI (see chart.h).
 *
 * The value axis runs over nice steps (1, 2, 2.5 or 5 times a power of
 * ten) and starts at zero when the values are all well above it, so that
 * a change of a tenth does not look like a fall off a cliff.  A count of
 * 1-4 people is not drawn: its line breaks there.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "lib/base/buffer.h"
#include "report/html.h"
#include "report/figure.h"

enum { WIDTH = 640, HEIGHT = 320, LEFT = 72, RIGHT = 92, TOP = 30, BOTTOM = 30 };

typedef struct scale {
    double low, high, step;
    int decimals;
    int first_year, last_year;
} scale;

static const char *const group_colours[] = { "#2e7d32", "#8d6e00", "#ad1457" };

const char *chart_colour(const report_kpi *kpi, size_t series)
{
    size_t groups_before = 0;

    switch (kpi->series[series].kind) {
    case SERIES_AREA:
        return "#1a4f9c";
    case SERIES_WOMEN:
        return "#7b3fa0";
    case SERIES_MEN:
        return "#00796b";
    case SERIES_RIKET:
        return "#4d4d4d";
    case SERIES_REGION:
        return "#d0561b";
    case SERIES_GROUP:
        break;
    }
    for (size_t i = 0; i < series; i++)
        groups_before += kpi->series[i].kind == SERIES_GROUP;
    return group_colours[groups_before % 3];
}

const char *chart_dash(const report_kpi *kpi, size_t series)
{
    switch (kpi->series[series].kind) {
    case SERIES_RIKET:
        return "7 4";
    case SERIES_REGION:
        return "3 3";
    case SERIES_GROUP:
        return "10 3 2 3";
    default:
        return NULL;
    }
}

static int drawn(const report_kpi *kpi, const report_point *p)
{
    return !(kpi->is_count && report_is_small_count(p->value));
}

static double nice_step(double range)
{
    double power = pow(10, floor(log10(range)));
    double fraction = range / power;

    return power * (fraction <= 1     ? 1
                    : fraction <= 2   ? 2
                    : fraction <= 2.5 ? 2.5
                    : fraction <= 5   ? 5
                                      : 10);
}

static int find_scale(const report_kpi *kpi, scale *sc)
{
    double low = INFINITY, high = -INFINITY;

    sc->first_year = 99999, sc->last_year = 0;
    for (size_t s = 0; s < kpi->series_count; s++)
        for (size_t i = 0; i < kpi->series[s].count; i++) {
            const report_point *p = &kpi->series[s].points[i];
            double v = strtod(p->value, NULL);
            if (!drawn(kpi, p) || !isfinite(v))
                continue;
            low = fmin(low, v), high = fmax(high, v);
            sc->first_year = p->year < sc->first_year ? p->year : sc->first_year;
            sc->last_year = p->year > sc->last_year ? p->year : sc->last_year;
        }
    if (sc->last_year == 0)
        return -1;
    if (low >= 0 && low < high * 0.6)
        low = 0;
    if (high - low < 1e-9)
        high += fabs(high) > 1 ? fabs(high) * 0.1 : 1, low -= low > 0 ? fmin(low, high - low) : 0;
    sc->step = nice_step((high - low) / 5);
    sc->low = floor(low / sc->step) * sc->step;
    sc->high = ceil(high / sc->step) * sc->step;
    sc->decimals = sc->step >= 1 && fmod(sc->step, 1) == 0 ? 0 : (int)ceil(-log10(sc->step) + 0.3);
    return 0;
}

static double x_of(const scale *sc, int year)
{
    if (sc->first_year == sc->last_year)
        return LEFT + (WIDTH - LEFT - RIGHT) / 2.0;
    return LEFT + (double)(year - sc->first_year) * (WIDTH - LEFT - RIGHT) /
                      (sc->last_year - sc->first_year);
}

static double y_of(const scale *sc, double value)
{
    return TOP + (sc->high - value) * (HEIGHT - TOP - BOTTOM) / (sc->high - sc->low);
}

static void write_axes(FILE *out, const report *rep, const report_kpi *kpi, const scale *sc)
{
    char label[NUMBER_MAX];
    int years = sc->last_year - sc->first_year + 1;

    for (double v = sc->low; v <= sc->high + sc->step / 2; v += sc->step) {
        report_number_from(label, sizeof label, v, sc->decimals, rep->lang);
        fprintf(out,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d9d9d9\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>\n",
                LEFT, WIDTH - RIGHT, y_of(sc, v), y_of(sc, v), LEFT - 6, y_of(sc, v) + 4, label);
    }
    for (int year = sc->first_year; year <= sc->last_year; year++)
        if (years <= 10 || (sc->last_year - year) % 2 == 0)
            fprintf(out,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%d"
                    "</text>\n",
                    x_of(sc, year), HEIGHT - 8, year);
    fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"unit\">", 8, TOP - 12);
    html_text(out, kpi->unit);
    fputs("</text>\n", out);
}

static void write_line(FILE *out, const report_kpi *kpi, size_t s, const scale *sc)
{
    const report_series *series = &kpi->series[s];
    const char *dash = chart_dash(kpi, s);
    int previous = 0;

    fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s%s%s d=\"",
            chart_colour(kpi, s), series->kind == SERIES_AREA ? "3" : "2",
            dash ? " stroke-dasharray=\"" : "", dash ? dash : "", dash ? "\"" : "");
    for (size_t i = 0; i < series->count; i++) {
        const report_point *p = &series->points[i];
        if (!drawn(kpi, p)) {
            previous = 0;
            continue;
        }
        fprintf(out, "%s%.1f %.1f", previous && p->year == previous + 1 ? " L" : " M",
                x_of(sc, p->year), y_of(sc, strtod(p->value, NULL)));
        previous = p->year;
    }
    fputs("\"/>\n", out);
}

typedef struct label {
    double y;
    size_t series;
    const char *value;
} label;

static int compare_labels(const void *a, const void *b)
{
    double ya = ((const label *)a)->y, yb = ((const label *)b)->y;

    return ya < yb ? -1 : ya > yb;
}

/* Labels closer than this are pushed apart, then all moved back inside the plot. */
#define LABEL_GAP 17.0

static void spread_labels(label *labels, size_t count)
{
    for (size_t i = 1; i < count; i++)
        if (labels[i].y < labels[i - 1].y + LABEL_GAP)
            labels[i].y = labels[i - 1].y + LABEL_GAP;
    if (count && labels[count - 1].y > HEIGHT - BOTTOM + 4)
        labels[count - 1].y = HEIGHT - BOTTOM + 4;
    for (size_t i = count; i-- > 1;)
        if (labels[i - 1].y > labels[i].y - LABEL_GAP)
            labels[i - 1].y = labels[i].y - LABEL_GAP;
}

/* Each series' latest value, in its colour, to the right of the plot. */
static void write_labels(FILE *out, const report *rep, const report_kpi *kpi, const scale *sc)
{
    label labels[kpi->series_count + 1];
    size_t count = 0;
    char text[NUMBER_MAX];

    for (size_t s = 0; s < kpi->series_count; s++) {
        const report_series *series = &kpi->series[s];
        for (size_t i = series->count; i-- > 0;)
            if (drawn(kpi, &series->points[i])) {
                labels[count++] = (label){ y_of(sc, strtod(series->points[i].value, NULL)) + 4, s,
                                           series->points[i].value };
                break;
            }
    }
    nk_sort_items(labels, count, sizeof *labels, compare_labels);
    spread_labels(labels, count);
    for (size_t i = 0; i < count; i++) {
        report_number(text, sizeof text, labels[i].value, rep->lang,
                      kpi->is_count ? NUMBER_COUNT : 0);
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" fill=\"%s\" class=\"latest\">%s</text>\n",
                WIDTH - RIGHT + 6, labels[i].y, chart_colour(kpi, labels[i].series), text);
    }
}

void chart_write(FILE *out, const report *rep, const report_kpi *kpi)
{
    scale sc;

    if (find_scale(kpi, &sc) < 0)
        return;
    fprintf(out,
            "<svg class=\"kpi-chart\" viewBox=\"0 0 %d "
            "%d\" role=\"img\" aria-label=\"",
            WIDTH, HEIGHT);
    html_text(out, kpi->title);
    fputs("\">\n", out);
    write_axes(out, rep, kpi, &sc);
    for (size_t s = kpi->series_count; s-- > 0;)
        if (kpi->series[s].count)
            write_line(out, kpi, s, &sc);
    write_labels(out, rep, kpi, &sc);
    fputs("</svg>\n", out);
}
