/*
 * kolada_stream_test.c: unit tests of the streaming reader of Kolada data
 * pages (lib/kolada_stream.c): v3 and v2 rows, null values and counts,
 * deletion markers, keys in any order, the reasons given for unusable rows
 * and values, the page's count and next link, the same rows whatever the
 * pieces the page comes in, byte spans that quote each row and value, and
 * the failures of a page: truncation, invalid JSON (by byte, line and
 * column), duplicate keys, nesting, wrong shape; numbers no double holds
 * rejecting their value, not the page; and
 * the same rows, without values, and the same failures when read for rows
 * only, as extract reads them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "lib/base/exit_codes.h"
#include "lib/kolada/kolada_stream.h"

/* Whether read_pieces asks its streams for rows only (nk_kolada_stream_rows_only). */
static int rows_only;

/* Digits of an integer no double holds: 1 and 320 zeros. */
#define ZEROS_10 "0000000000"
#define ZEROS_80 ZEROS_10 ZEROS_10 ZEROS_10 ZEROS_10 ZEROS_10 ZEROS_10 ZEROS_10 ZEROS_10
#define ZEROS_320 ZEROS_80 ZEROS_80 ZEROS_80 ZEROS_80

/* What the rows of a page looked like to the caller: a line per row and per value. */
typedef struct reading {
    const char *page; /* the whole input, to check spans against */
    FILE *out;
    int fail_at_row; /* the row whose callback fails, or -1 */
} reading;

static void show_member(FILE *out, const char *name, nk_kolada_member m)
{
    static const char *const types[] = { "-", "null", "false", "true", "", "", "", "{}", "[]" };

    fprintf(out, " %s=", name);
    if (m.type == NK_KOLADA_STRING)
        fprintf(out, "\"%s\"", m.text);
    else if (m.type == NK_KOLADA_INTEGER || m.type == NK_KOLADA_REAL ||
             m.type == NK_KOLADA_OUT_OF_RANGE)
        fprintf(out, "%s%s", m.text,
                m.type == NK_KOLADA_REAL           ? "r"
                : m.type == NK_KOLADA_OUT_OF_RANGE ? "!"
                                                   : "");
    else
        fputs(types[m.type], out);
}

static void show_span(FILE *out, const char *page, nk_kolada_span span)
{
    fprintf(out, " raw=%.*s", (int)(span.end - span.start), page + span.start);
}

/*
 * The span of a row object must quote exactly that row: parse it back,
 * compare its KPI.  jansson refuses a number no double holds: such a row
 * must still quote one whole object.
 */
static void check_row_span(const char *page, const nk_kolada_row *row)
{
    size_t length = (size_t)(row->span.end - row->span.start);
    json_error_t error;
    json_t *parsed = json_loadb(page + row->span.start, length, 0, &error);

    if (parsed == NULL &&
        (strstr(error.text, "number overflow") || strstr(error.text, "too big integer"))) {
        assert_true(page[row->span.start] == '{' && page[row->span.end - 1] == '}');
        return;
    }
    assert_non_null(parsed);
    assert_true(json_is_object(parsed));
    if (row->kpi.type == NK_KOLADA_STRING)
        assert_string_equal(json_string_value(json_object_get(parsed, "kpi")), row->kpi.text);
    json_decref(parsed);
}

static void show_value(reading *r, const nk_kolada_value *v)
{
    fputs(" ", r->out);
    show_member(r->out, "g", v->gender);
    show_member(r->out, "v", v->value);
    show_member(r->out, "c", v->count);
    show_member(r->out, "s", v->status);
    fprintf(r->out, " del=%d", v->deleted);
    if (v->problem)
        fprintf(r->out, " ! %s", v->problem);
    if (v->found)
        fprintf(r->out, " (found %s)", v->found);
    show_span(r->out, r->page, v->span);
    fputc('\n', r->out);
}

static int on_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    reading *r = user;

    if ((int)row->index == r->fail_at_row)
        return nk_fail(err, NK_EXIT_IOERR, "row %zu: disk full", row->index);
    fprintf(r->out, "#%zu", row->index);
    show_member(r->out, "kpi", row->kpi);
    show_member(r->out, "place", row->place);
    show_member(r->out, "period", row->period);
    fprintf(r->out, " year=%d", row->year);
    if (row->id_problem || row->problem)
        fprintf(r->out, " ! %s", row->id_problem ? row->id_problem : row->problem);
    if (row->type == NK_KOLADA_OBJECT)
        check_row_span(r->page, row);
    else
        show_span(r->out, r->page, row->span);
    fputc('\n', r->out);
    for (size_t i = 0; i < row->value_count; i++)
        show_value(r, &row->values[i]);
    return 0;
}

/* Feed length bytes of page in two pieces cut at split, or else in pieces of piece bytes. */
static int feed(nk_kolada_stream *stream, const char *page, size_t length, size_t piece,
                size_t split, nk_error *err)
{
    if (split)
        return nk_kolada_stream_feed(stream, page, split, err) < 0
                   ? -1
                   : nk_kolada_stream_feed(stream, page + split, length - split, err);
    if (piece == 0)
        return nk_kolada_stream_feed(stream, page, length, err);
    for (size_t at = 0; at < length; at += piece)
        if (nk_kolada_stream_feed(stream, page + at, length - at < piece ? length - at : piece,
                                  err) < 0)
            return -1;
    return 0;
}

/*
 * Read length bytes of page, fed as feed() says, then end it.  Returns the
 * log (malloc'd); *rc is -1 after a failure, else 0.
 */
static char *read_pieces(const char *page, size_t length, int unit_level, size_t piece,
                         size_t split, int fail_at_row, int *rc, nk_error *err)
{
    reading r = { page, NULL, fail_at_row };
    char *log = NULL;
    size_t log_size = 0;
    nk_kolada_stream *stream = nk_kolada_stream_new("p", unit_level, on_row, &r);

    assert_non_null(stream);
    if (rows_only)
        nk_kolada_stream_rows_only(stream);
    r.out = open_memstream(&log, &log_size);
    *rc = feed(stream, page, length, piece, split, err);
    if (*rc == 0)
        *rc = nk_kolada_stream_end(stream, err);
    if (*rc == 0) {
        const nk_kolada_page *p = nk_kolada_stream_page(stream);
        fputs("page", r.out);
        show_member(r.out, "count", p->count);
        show_member(r.out, "next_url", p->next_url);
        show_member(r.out, "next_page", p->next_page);
        fputc('\n', r.out);
    }
    fclose(r.out);
    nk_kolada_stream_free(stream);
    return log;
}

static char *read_whole(const char *page, int unit_level, int *rc, nk_error *err)
{
    return read_pieces(page, strlen(page), unit_level, 0, 0, -1, rc, err);
}

/* ---- rows ------------------------------------------------------------- */

static const struct {
    const char *name;
    int unit_level;
    const char *page;
    const char *log;
} row_cases[] = {
    { "v3 row, keys in any order, null value and count", 0,
      "{\"count\": 1, \"values\": [{\"values\": [{\"value\": 74.1, \"gender\": \"T\", \"count\": "
      "1, "
      "\"status\": \"\"}, {\"gender\": \"K\", \"count\": null, \"status\": \"B\", \"value\": "
      "null}, "
      "{\"status\": null, \"gender\": \"M\", \"value\": 3, \"count\": 12}], \"period\": 2023, "
      "\"municipality\": \"0580\", \"kpi\": \"N15428\"}], \"next_url\": \"\"}",
      "#0 kpi=\"N15428\" place=\"0580\" period=2023 year=2023\n"
      "  g=\"T\" v=74.1r c=1 s=\"\" del=0 raw={\"value\": 74.1, \"gender\": \"T\", \"count\": 1, "
      "\"status\": \"\"}\n"
      "  g=\"K\" v=null c=null s=\"B\" del=0 raw={\"gender\": \"K\", \"count\": null, \"status\": "
      "\"B\", \"value\": null}\n"
      "  g=\"M\" v=3 c=12 s=null del=0 raw={\"status\": null, \"gender\": \"M\", \"value\": 3, "
      "\"count\": 12}\n"
      "page count=1 next_url=\"\" next_page=-\n" },
    { "v2 row: string period, is_deleted, numbers as written", 0,
      "{\"count\": 1, \"next_page\": \"http://x/v2/data?page=2\", \"values\": [{\"kpi\": \"N1\", "
      "\"municipality\": \"1814\", \"period\": \"2019\", \"values\": [{\"gender\": \"T\", "
      "\"value\": "
      "5.50, \"is_deleted\": false}, {\"gender\": \"K\", \"value\": 6, \"is_deleted\": true}, "
      "{\"gender\": \"M\", \"value\": -1.5E-3, \"count\": -0}]}]}",
      "#0 kpi=\"N1\" place=\"1814\" period=\"2019\" year=2019\n"
      "  g=\"T\" v=5.50r c=- s=- del=0 raw={\"gender\": \"T\", \"value\": 5.50, \"is_deleted\": "
      "false}\n"
      "  g=\"K\" v=6 c=- s=- del=1 raw={\"gender\": \"K\", \"value\": 6, \"is_deleted\": true}\n"
      "  g=\"M\" v=-1.5E-3r c=-0 s=- del=0 raw={\"gender\": \"M\", \"value\": -1.5E-3, \"count\": "
      "-0}\n"
      "page count=1 next_url=- next_page=\"http://x/v2/data?page=2\"\n" },
    { "deletion markers: true, false, null, 0 or 1 (v2), or neither", 0,
      "{\"values\": [{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2023, \"values\": ["
      "{\"gender\": \"T\", \"isdeleted\": true}, {\"gender\": \"K\", \"isdeleted\": false}, "
      "{\"gender\": \"M\", \"isdeleted\": null}, {\"gender\": \"T\", \"is_deleted\": 1}, "
      "{\"gender\": \"K\", \"is_deleted\": 0}, {\"gender\": \"T\", \"isdeleted\": \"true\"}, "
      "{\"gender\": \"T\", \"is_deleted\": 2}, {\"gender\": \"T\", \"is_deleted\": 1.0}]}]}",
      "#0 kpi=\"N1\" place=\"0580\" period=2023 year=2023\n"
      "  g=\"T\" v=- c=- s=- del=1 raw={\"gender\": \"T\", \"isdeleted\": true}\n"
      "  g=\"K\" v=- c=- s=- del=0 raw={\"gender\": \"K\", \"isdeleted\": false}\n"
      "  g=\"M\" v=- c=- s=- del=0 raw={\"gender\": \"M\", \"isdeleted\": null}\n"
      "  g=\"T\" v=- c=- s=- del=1 raw={\"gender\": \"T\", \"is_deleted\": 1}\n"
      "  g=\"K\" v=- c=- s=- del=0 raw={\"gender\": \"K\", \"is_deleted\": 0}\n"
      "  g=\"T\" v=- c=- s=- del=0 ! expected true, false, 0 or 1 as \"isdeleted\" "
      "raw={\"gender\": "
      "\"T\", \"isdeleted\": \"true\"}\n"
      "  g=\"T\" v=- c=- s=- del=0 ! expected true, false, 0 or 1 as \"is_deleted\" "
      "raw={\"gender\": "
      "\"T\", \"is_deleted\": 2}\n"
      "  g=\"T\" v=- c=- s=- del=0 ! expected true, false, 0 or 1 as \"is_deleted\" "
      "raw={\"gender\": "
      "\"T\", \"is_deleted\": 1.0}\n"
      "page count=- next_url=- next_page=-\n" },
    { "values that cannot be used, each with its first problem", 0,
      "{\"values\": [{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2023, \"values\": ["
      "1, [2, {}], \"T\", {\"value\": 1}, {\"gender\": \"TK\"}, {\"gender\": \"X\"}, "
      "{\"gender\": \"T\", \"value\": \"1\"}, {\"gender\": \"T\", \"value\": true}, "
      "{\"gender\": \"T\", \"count\": -1}, {\"gender\": \"T\", \"count\": 1.0}, "
      "{\"gender\": \"T\", \"status\": 5}, {\"gender\": \"T\", \"value\": \"x\", \"count\": "
      "-1}]}]}",
      "#0 kpi=\"N1\" place=\"0580\" period=2023 year=2023\n"
      "  g=- v=- c=- s=- del=0 ! expected a value object raw=1\n"
      "  g=- v=- c=- s=- del=0 ! expected a value object raw=[2, {}]\n"
      "  g=- v=- c=- s=- del=0 ! expected a value object raw=\"T\"\n"
      "  g=- v=1 c=- s=- del=0 ! expected a \"gender\" of \"T\", \"K\" or \"M\" raw={\"value\": "
      "1}\n"
      "  g=\"TK\" v=- c=- s=- del=0 ! expected a \"gender\" of \"T\", \"K\" or \"M\" "
      "raw={\"gender\": \"TK\"}\n"
      "  g=\"X\" v=- c=- s=- del=0 ! expected a \"gender\" of \"T\", \"K\" or \"M\" "
      "raw={\"gender\": \"X\"}\n"
      "  g=\"T\" v=\"1\" c=- s=- del=0 ! expected a number or null as \"value\" raw={\"gender\": "
      "\"T\", \"value\": \"1\"}\n"
      "  g=\"T\" v=true c=- s=- del=0 ! expected a number or null as \"value\" raw={\"gender\": "
      "\"T\", \"value\": true}\n"
      "  g=\"T\" v=- c=-1 s=- del=0 ! expected a whole number of 0 or more, or null, as \"count\" "
      "(found -1) raw={\"gender\": \"T\", \"count\": -1}\n"
      "  g=\"T\" v=- c=1.0r s=- del=0 ! expected a whole number of 0 or more, or null, as "
      "\"count\" (found 1.0) raw={\"gender\": \"T\", \"count\": 1.0}\n"
      "  g=\"T\" v=- c=- s=5 del=0 ! expected a string or null as \"status\" raw={\"gender\": "
      "\"T\", \"status\": 5}\n"
      "  g=\"T\" v=\"x\" c=-1 s=- del=0 ! expected a number or null as \"value\" raw={\"gender\": "
      "\"T\", \"value\": \"x\", \"count\": -1}\n"
      "page count=- next_url=- next_page=-\n" },
    { "rows that cannot be used: not objects, ids, periods, values list", 0,
      "{\"values\": [5, \"x\\\"y\", [1, {\"kpi\": \"N1\"}], "
      "{\"kpi\": 1, \"municipality\": \"0580\", \"period\": 2023, \"values\": []}, "
      "{\"kpi\": \"N1\", \"period\": 2023, \"values\": []}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 1899, \"values\": []}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2101, \"values\": []}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": \"20x3\", \"values\": []}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2023.0, \"values\": []}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": \"02023\", \"values\": []}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2023, \"values\": {}}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2023}, "
      "{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 1850, \"values\": [{\"gender\": "
      "\"T\"}]}]}",
      "#0 kpi=- place=- period=- year=-1 ! expected \"kpi\" and \"municipality\" strings raw=5\n"
      "#1 kpi=- place=- period=- year=-1 ! expected \"kpi\" and \"municipality\" strings "
      "raw=\"x\\\"y\"\n"
      "#2 kpi=- place=- period=- year=-1 ! expected \"kpi\" and \"municipality\" strings "
      "raw=[1, {\"kpi\": \"N1\"}]\n"
      "#3 kpi=1 place=\"0580\" period=2023 year=2023 ! expected \"kpi\" and \"municipality\" "
      "strings\n"
      "#4 kpi=\"N1\" place=- period=2023 year=2023 ! expected \"kpi\" and \"municipality\" "
      "strings\n"
      "#5 kpi=\"N1\" place=\"0580\" period=1899 year=-1 ! expected a \"period\" year from 1900 "
      "to 2100\n"
      "#6 kpi=\"N1\" place=\"0580\" period=2101 year=-1 ! expected a \"period\" year from 1900 "
      "to 2100\n"
      "#7 kpi=\"N1\" place=\"0580\" period=\"20x3\" year=-1 ! expected a \"period\" year from "
      "1900 to 2100\n"
      "#8 kpi=\"N1\" place=\"0580\" period=2023.0r year=-1 ! expected a \"period\" year from "
      "1900 to 2100\n"
      "#9 kpi=\"N1\" place=\"0580\" period=\"02023\" year=-1 ! expected a \"period\" year from "
      "1900 to 2100\n"
      "#10 kpi=\"N1\" place=\"0580\" period=2023 year=2023 ! expected a \"values\" list\n"
      "#11 kpi=\"N1\" place=\"0580\" period=2023 year=2023 ! expected a \"values\" list\n"
      "#12 kpi=\"N1\" place=\"0580\" period=1850 year=-1 ! expected a \"period\" year from 1900 "
      "to 2100\n"
      "  g=\"T\" v=- c=- s=- del=0 raw={\"gender\": \"T\"}\n"
      "page count=- next_url=- next_page=-\n" },
    { "unit data: the place is \"ou\"", 1,
      "{\"values\": [{\"kpi\": \"U1\", \"ou\": \"V15E1\", \"municipality\": \"0580\", \"period\": "
      "2020, \"values\": [{\"gender\": \"T\", \"value\": 1}]}, {\"kpi\": \"U1\", \"municipality\": "
      "\"0580\", \"period\": 2020, \"values\": []}]}",
      "#0 kpi=\"U1\" place=\"V15E1\" period=2020 year=2020\n"
      "  g=\"T\" v=1 c=- s=- del=0 raw={\"gender\": \"T\", \"value\": 1}\n"
      "#1 kpi=\"U1\" place=- period=2020 year=2020 ! expected \"kpi\" and \"ou\" strings\n"
      "page count=- next_url=- next_page=-\n" },
    { "other members, nested, are read past; escapes decoded", 0,
      "{\"extra\": {\"a\": [1, {\"b\": null}]}, \"values\": [{\"kpi\": \"N1\", \"note\": {\"x\": "
      "[{}]}, \"municipality\": \"0580\", \"period\": 2023, \"values\": [{\"gender\": \"T\", "
      "\"extra\": [1, 2], \"value\": 1e3, \"status\": \"Link\\u00f6ping \\\"\\/\"}]}], \"count\": "
      "9223372036854775807, \"next_url\": null}",
      "#0 kpi=\"N1\" place=\"0580\" period=2023 year=2023\n"
      "  g=\"T\" v=1e3r c=- s=\"Linköping \"/\" del=0 raw={\"gender\": \"T\", \"extra\": [1, 2], "
      "\"value\": 1e3, \"status\": \"Link\\u00f6ping \\\"\\/\"}\n"
      "page count=9223372036854775807 next_url=null next_page=-\n" },
    /* 1e-400 would be 0 (PostgreSQL refuses it too); 1e-310, a subnormal, is held. */
    { "numbers no double holds: kept as written, their value rejected, the page read on", 0,
      "{\"count\": 1e400, \"values\": [{\"kpi\": \"N1\", \"municipality\": \"0580\", "
      "\"period\": 2023, \"values\": [{\"gender\": \"T\", \"value\": 1e400}, {\"gender\": \"K\", "
      "\"count\": -1" ZEROS_320 "}, {\"gender\": \"M\", \"value\": 1" ZEROS_320 ", \"count\": "
      "1e30}, {\"gender\": \"T\", \"count\": 1e30}, {\"gender\": \"T\", \"value\": -1e-400, "
      "\"x\": 1e999}, {\"gender\": \"K\", \"value\": 1e-310}]}, {\"kpi\": \"N1\", "
      "\"municipality\": \"0580\", \"period\": 1e400, "
      "\"values\": []}]}",
      "#0 kpi=\"N1\" place=\"0580\" period=2023 year=2023\n"
      "  g=\"T\" v=1e400! c=- s=- del=0 ! expected a number a double holds (up to about 1.8e308, "
      "down to about 4.9e-324) as \"value\" (found 1e400) raw={\"gender\": \"T\", \"value\": "
      "1e400}\n"
      "  g=\"K\" v=- c=-1" ZEROS_320 "! s=- del=0 ! expected a whole number of 0 or more, or null, "
      "as \"count\" (found -1" ZEROS_320 ") raw={\"gender\": \"K\", \"count\": -1" ZEROS_320 "}\n"
      "  g=\"M\" v=1" ZEROS_320 "! c=1e30r s=- del=0 ! expected a number a double holds (up to "
      "about 1.8e308, down to about 4.9e-324) as \"value\" (found 1" ZEROS_320 ") "
      "raw={\"gender\": \"M\", \"value\": 1" ZEROS_320 ", \"count\": 1e30}\n"
      "  g=\"T\" v=- c=1e30r s=- del=0 ! expected a whole number of 0 or more, or null, as "
      "\"count\" (found 1e30) raw={\"gender\": \"T\", \"count\": 1e30}\n"
      "  g=\"T\" v=-1e-400! c=- s=- del=0 ! expected a number a double holds (up to about "
      "1.8e308, down to about 4.9e-324) as \"value\" (found -1e-400) raw={\"gender\": \"T\", "
      "\"value\": -1e-400, \"x\": 1e999}\n"
      "  g=\"K\" v=1e-310r c=- s=- del=0 raw={\"gender\": \"K\", \"value\": 1e-310}\n"
      "#1 kpi=\"N1\" place=\"0580\" period=1e400! year=-1 ! expected a \"period\" year from 1900 "
      "to 2100\n"
      "page count=1e400! next_url=- next_page=-\n" },
    { "next links: absent, a string, not a string", 0,
      "{\"values\": [], \"next_url\": \"https://api.kolada.se/v3/data?page=2\", \"count\": 7, "
      "\"next_page\": {\"a\": 1}}",
      "page count=7 next_url=\"https://api.kolada.se/v3/data?page=2\" next_page={}\n" },
};

static void rows_come_as_written(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof row_cases / sizeof row_cases[0]; i++) {
        nk_error err = { 0 };
        int rc;
        char *log = read_whole(row_cases[i].page, row_cases[i].unit_level, &rc, &err);
        if (rc != 0 || strcmp(log, row_cases[i].log) != 0)
            fail_msg("%s: rc %d (%s), log:\n%s", row_cases[i].name, rc, err.message, log);
        free(log);
    }
}

/* Every way of cutting a page into pieces gives the same rows, spans included. */
static void pieces_of_any_size_give_the_same_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof row_cases / sizeof row_cases[0]; i++) {
        const char *page = row_cases[i].page;
        size_t length = strlen(page);
        nk_error err = { 0 };
        int rc;
        for (size_t split = 1; split < length; split++) {
            char *log = read_pieces(page, length, row_cases[i].unit_level, 0, split, -1, &rc, &err);
            if (rc != 0 || strcmp(log, row_cases[i].log) != 0)
                fail_msg("%s, split at %zu: rc %d (%s), log:\n%s", row_cases[i].name, split, rc,
                         err.message, log);
            free(log);
        }
        for (size_t piece = 1; piece <= 7; piece++) {
            char *log = read_pieces(page, length, row_cases[i].unit_level, piece, 0, -1, &rc, &err);
            if (rc != 0 || strcmp(log, row_cases[i].log) != 0)
                fail_msg("%s, pieces of %zu: rc %d (%s), log:\n%s", row_cases[i].name, piece, rc,
                         err.message, log);
            free(log);
        }
    }
}

/* A page cut anywhere fails, names a byte no later than the cut, and gave only whole rows. */
static void a_truncated_page_fails(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof row_cases / sizeof row_cases[0]; i++) {
        const char *page = row_cases[i].page;
        for (size_t cut = 0; cut < strlen(page); cut++) {
            nk_error err = { 0 };
            unsigned long long byte = ~0ull;
            int rc;
            char *log = read_pieces(page, cut, row_cases[i].unit_level, 0, cut / 2, -1, &rc, &err);
            const char *at = strstr(err.message, "invalid JSON at byte ");
            if (rc != -1 || err.exit_code != NK_EXIT_DATA || at == NULL)
                fail_msg("%s, cut at %zu: rc %d: %s", row_cases[i].name, cut, rc, err.message);
            assert_int_equal(sscanf(at, "invalid JSON at byte %llu", &byte), 1);
            assert_true(byte <= cut);
            if (strncmp(log, row_cases[i].log, strlen(log)) != 0)
                fail_msg("%s, cut at %zu: rows not whole:\n%s", row_cases[i].name, cut, log);
            free(log);
        }
    }
}

/* ---- failures --------------------------------------------------------- */

static const struct {
    const char *page;
    const char *message; /* up to ", found", which depends on the pieces */
} failures[] = {
    { "", "p:1:1: not a Kolada response: invalid JSON at byte 0: expected a JSON object, found "
          "end of input" },
    { "{\"values\": [1, 2", "p:1:17: not a Kolada response: invalid JSON at byte 16: expected "
                            "',' or ']', found end of input" },
    { "{\"values\": [1 2]}", "p:1:15: not a Kolada response: invalid JSON at byte 14: expected "
                             "',' or ']', found '2" },
    { "{\"values\": [],}", "p:1:15: not a Kolada response: invalid JSON at byte 14: expected a "
                           "key, found '}" },
    { "{\"values\" []}", "p:1:11: not a Kolada response: invalid JSON at byte 10: expected "
                         "':', found '[" },
    { "{\"values\": [], \"count\", 1}", "p:1:23: not a Kolada response: invalid JSON at byte "
                                        "22: expected ':', found ', 1}'" },
    { "{\"values\": []} {}", "p:1:16: not a Kolada response: invalid JSON at byte 15: expected "
                             "end of input, found '{" },
    { "{\n  \"values\": [\n    tru\n  ]\n}",
      "p:3:5: not a Kolada response: invalid JSON at byte 20: invalid string in json text, found "
      "'t" },
    { "{\"values\": [\"\xf6\"]}", "p:1:13: not a Kolada response: invalid JSON at byte 12: "
                                  "invalid bytes in UTF8 string, found '\"" },
    { "{\"values\": [\"a\\u0000b\"]}", "p:1:13: not a Kolada response: invalid JSON at byte 12: "
                                       "\\u0000 is not allowed in a string" },
    { "{\"values\": [], \"a\\u0000b\": 1}",
      "p:1:16: not a Kolada response: invalid JSON at byte 15: \\u0000 is not allowed in a key" },
    { "{\"values\": [{\"kp\\u0000\": \"N1\"}]}",
      "p:1:14: not a Kolada response: invalid JSON at byte 13: \\u0000 is not allowed in a key" },
    { "{\"values\": [], \"values\": []}",
      "p:1:16: not a Kolada response: invalid JSON at byte 15: duplicate key \"values\"" },
    { "{\"values\": [{\"kpi\": \"N1\", \"kpi\": \"N2\"}]}",
      "p:1:27: not a Kolada response: invalid JSON at byte 26: duplicate key \"kpi\"" },
    { "{\"values\": [{\"values\": [{\"gender\": \"T\",\n\"gender\": \"K\"}]}]}",
      "p:2:1: not a Kolada response: invalid JSON at byte 40: duplicate key \"gender\"" },
    { "{\"values\": [{\"ou\": 1, \"ou\": 2}]}",
      "p:1:23: not a Kolada response: invalid JSON at byte 22: duplicate key \"ou\"" },
    { "{\"values\": [], \"x\": {\"a\": 1, \"b\": {\"a\": 2}, \"a\": 3}}",
      "p:1:45: not a Kolada response: invalid JSON at byte 44: duplicate key \"a\"" },
    { "[1, 2]", "p: not a Kolada response: expected an object with a \"values\" list" },
    { "5", "p: not a Kolada response: expected an object with a \"values\" list" },
    { "{\"values\": {}}", "p: not a Kolada response: expected an object with a \"values\" list" },
    { "{\"values\": \"x\"}",
      "p: not a Kolada response: expected an object with a \"values\" list" },
    { "{\"count\": 0}", "p: not a Kolada response: expected an object with a \"values\" list" },
};

/* The part of a message that does not depend on how the page was cut into pieces. */
static size_t stable_length(const char *message)
{
    const char *found = strstr(message, ", found");

    return found ? (size_t)(found - message) : strlen(message);
}

static void check_failure(const char *page, size_t length, size_t piece, const char *message)
{
    nk_error err = { 0 };
    int rc;
    char *log = read_pieces(page, length, 0, piece, 0, -1, &rc, &err);

    if (rc != -1 || err.exit_code != NK_EXIT_DATA ||
        strncmp(err.message, message, stable_length(message)) != 0 ||
        (piece == 0 && strncmp(err.message, message, strlen(message)) != 0))
        fail_msg("pieces of %zu: expected \"%s\", got rc %d: \"%s\"", piece, message, rc,
                 err.message);
    free(log);
}

static void bad_pages_fail_by_byte_line_and_column(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        size_t length = strlen(failures[i].page);
        check_failure(failures[i].page, length, 0, failures[i].message);
        check_failure(failures[i].page, length, 1, failures[i].message);
        check_failure(failures[i].page, length, 3, failures[i].message);
    }
}

/* The log of a page read whole, without its value lines (those begin with a space). */
static char *without_values(const char *log)
{
    char *kept = calloc(1, strlen(log) + 1), *to = kept;

    assert_non_null(kept);
    for (const char *line = log; *line;) {
        size_t length = strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n');
        if (line[0] != ' ') {
            memcpy(to, line, length);
            to += length;
        }
        line += length;
    }
    return kept;
}

/* Read for rows only, a page gives the same rows without values, and fails as it would whole. */
static void rows_only_keeps_rows_and_failures(void **state)
{
    (void)state;
    rows_only = 1;
    for (size_t i = 0; i < sizeof row_cases / sizeof row_cases[0]; i++) {
        nk_error err = { 0 };
        int rc;
        char *log = read_whole(row_cases[i].page, row_cases[i].unit_level, &rc, &err);
        char *expected = without_values(row_cases[i].log);
        if (rc != 0 || strcmp(log, expected) != 0)
            fail_msg("%s: rc %d (%s), log:\n%s\nexpected:\n%s", row_cases[i].name, rc, err.message,
                     log, expected);
        free(expected);
        free(log);
    }
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        check_failure(failures[i].page, strlen(failures[i].page), 0, failures[i].message);
        check_failure(failures[i].page, strlen(failures[i].page), 3, failures[i].message);
    }
}

/* Whether that test passed or failed, the tests after it read pages whole. */
static int read_whole_again(void **state)
{
    (void)state;
    rows_only = 0;
    return 0;
}

/* An object of many keys: hashed, and a key repeated after many others is still found. */
static void duplicates_among_many_keys_are_found(void **state)
{
    char page[2048], message[256];
    size_t n = (size_t)snprintf(page, sizeof page, "{\"values\": [{");

    (void)state;
    for (int k = 0; k < 40; k++)
        n += (size_t)snprintf(page + n, sizeof page - n, "\"k%d\": %d, ", k, k);
    n += (size_t)snprintf(page + n, sizeof page - n, "\"kpi\": \"N1\"}]}");
    nk_error err = { 0 };
    int rc;
    free(read_whole(page, 0, &rc, &err));
    assert_int_equal(rc, 0);

    n -= strlen("\"kpi\": \"N1\"}]}");
    size_t at = n;
    snprintf(page + n, sizeof page - n, "\"k17\": 0}]}");
    snprintf(message, sizeof message,
             "p:1:%zu: not a Kolada response: invalid JSON at byte %zu: duplicate key \"k17\"",
             at + 1, at);
    check_failure(page, strlen(page), 0, message);
    check_failure(page, strlen(page), 5, message);
}

static char *nested_page(int depth)
{
    char *page = malloc(2 * (size_t)depth + 64);
    size_t n = (size_t)sprintf(page, "{\"values\": [], \"x\": ");

    for (int i = 0; i < depth; i++)
        page[n++] = '[';
    for (int i = 0; i < depth; i++)
        page[n++] = ']';
    strcpy(page + n, "}");
    return page;
}

/* As deep as jansson goes (2048 levels, the page itself included), and no deeper. */
static void nesting_stops_where_jansson_stops(void **state)
{
    char *deepest = nested_page(2047), *deeper = nested_page(2048);
    nk_error err = { 0 };
    int rc;

    (void)state;
    free(read_whole(deepest, 0, &rc, &err));
    assert_int_equal(rc, 0);
    free(read_whole(deeper, 0, &rc, &err));
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.message, "at byte 2067: more than 2048 levels of nesting"));
    free(deepest);
    free(deeper);
}

/* A caller's failure stops the page with that failure, and it stays stopped. */
static void a_failing_row_callback_stops_the_page(void **state)
{
    static const char page[] =
        "{\"values\": [{\"kpi\": \"N1\", \"municipality\": \"0580\", \"period\": 2023, \"values\": "
        "[]},"
        "{\"kpi\": \"N2\", \"municipality\": \"0580\", \"period\": 2023, \"values\": []},"
        "{\"kpi\": \"N3\", \"municipality\": \"0580\", \"period\": 2023, \"values\": []}]}";
    nk_error err = { 0 };
    int rc;

    (void)state;
    char *log = read_pieces(page, strlen(page), 0, 0, 0, 1, &rc, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.exit_code, NK_EXIT_IOERR);
    assert_string_equal(err.message, "row 1: disk full");
    assert_string_equal(log, "#0 kpi=\"N1\" place=\"0580\" period=2023 year=2023\n");
    free(log);

    reading r = { page, NULL, 0 };
    char *text = NULL;
    size_t size = 0;
    r.out = open_memstream(&text, &size);
    nk_kolada_stream *stream = nk_kolada_stream_new("p", 0, on_row, &r);
    assert_int_equal(nk_kolada_stream_feed(stream, page, 80, NULL), -1);
    assert_int_equal(nk_kolada_stream_feed(stream, page + 80, strlen(page) - 80, &err), -1);
    assert_string_equal(err.message, "row 0: disk full");
    nk_error_clear(&err);
    assert_int_equal(nk_kolada_stream_end(stream, &err), -1);
    assert_string_equal(err.message, "row 0: disk full");
    nk_kolada_stream_free(stream);
    fclose(r.out);
    free(text);
}

static int ignore_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    (void)user, (void)row, (void)err;
    return 0;
}

static void note_key(void *user, const char *object, const char *key, size_t length)
{
    char *seen = user;
    size_t used = strlen(seen);

    snprintf(seen + used, 256 - used, "%s:%.*s ", object, (int)length, key);
}

/* Keys the reader does not keep are told, with the object they are in; nested ones are not. */
static void keys_not_kept_are_told(void **state)
{
    static const char page[] =
        "{\"count\": 1, \"previous_page\": null, \"values\": [{\"kpi\": \"N1\", \"new_row_key\": 1,"
        " \"municipality\": \"0580\", \"period\": 2023, \"values\": [{\"gender\": \"T\","
        " \"value\": 1, \"flag\": {\"deep\": 1}}, {\"gender\": \"K\", \"flag\": 2}]}]}";
    char seen[256] = "";
    nk_error err = { 0 };

    (void)state;
    nk_kolada_stream *stream = nk_kolada_stream_new("p", 0, ignore_row, seen);
    nk_kolada_stream_on_other_key(stream, note_key);
    assert_int_equal(nk_kolada_stream_feed(stream, page, strlen(page), &err), 0);
    assert_int_equal(nk_kolada_stream_end(stream, &err), 0);
    assert_string_equal(seen, "page:previous_page row:new_row_key value:flag value:flag ");
    nk_kolada_stream_free(stream);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_come_as_written),
        cmocka_unit_test(pieces_of_any_size_give_the_same_rows),
        cmocka_unit_test(a_truncated_page_fails),
        cmocka_unit_test(bad_pages_fail_by_byte_line_and_column),
        cmocka_unit_test(duplicates_among_many_keys_are_found),
        cmocka_unit_test_teardown(rows_only_keeps_rows_and_failures, read_whole_again),
        cmocka_unit_test(nesting_stops_where_jansson_stops),
        cmocka_unit_test(a_failing_row_callback_stops_the_page),
        cmocka_unit_test(keys_not_kept_are_told),
    };
    return cmocka_run_group_tests_name("Kolada data page stream", tests, NULL, NULL);
}
