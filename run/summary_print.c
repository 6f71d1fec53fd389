/*
 * summary_print.c: the end-of-run table a person reads, in the spirit of
 * pgloader's: one line per stage, then its sources and tables, then what
 * load changed per table.  It reads only the summary document, so what is
 * printed is exactly what RUN_DIR/summary.json says.
 */
#include "run/summary.h"

#include <string.h>

#include "lib/base/log.h"
#include "lib/rundir/reject_reasons.h"

#define NAME_WIDTH 34

static json_int_t number(const json_t *object, const char *key, int *present)
{
    const json_t *value = json_object_get(object, key);

    *present = json_is_integer(value);
    return *present ? json_integer_value(value) : 0;
}

static void cell_count(FILE *out, const json_t *object, const char *key)
{
    int present;
    json_int_t n = number(object, key, &present);

    if (present)
        fprintf(out, " %10" JSON_INTEGER_FORMAT, n);
    else
        fprintf(out, " %10s", "-");
}

static void human_bytes(char *out, size_t size, double bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    int unit = 0;

    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        unit++;
    }
    snprintf(out, size, unit ? "%.1f %s" : "%.0f %s", bytes, units[unit]);
}

static void cell_bytes(FILE *out, const json_t *object)
{
    const json_t *value = json_object_get(object, "bytes");
    char text[32] = "-";

    if (json_is_integer(value))
        human_bytes(text, sizeof text, (double)json_integer_value(value));
    fprintf(out, " %10s", text);
}

static void cell_time_and_rate(FILE *out, const json_t *stage)
{
    const json_t *seconds = json_object_get(stage, "seconds");
    const json_t *bytes_rate = json_object_get(stage, "bytes_per_second");
    const json_t *rows_rate = json_object_get(stage, "rows_per_second");
    char rate[48] = "-";

    if (json_is_number(bytes_rate)) {
        human_bytes(rate, sizeof rate - 2, json_number_value(bytes_rate));
        strcat(rate, "/s");
    } else if (json_is_number(rows_rate)) {
        snprintf(rate, sizeof rate, "%.0f rows/s", json_number_value(rows_rate));
    }
    if (json_is_number(seconds))
        fprintf(out, " %8.1f s %14s", json_number_value(seconds), rate);
    else
        fprintf(out, " %10s %14s", "-", rate);
}

static void stage_line(FILE *out, const json_t *stage, const char *in, const char *written,
                       const char *rejected)
{
    const json_t *files = json_object_get(stage, "files");
    char label[96];

    snprintf(label, sizeof label, "%s (%s)", json_string_value(json_object_get(stage, "stage")),
             json_string_value(json_object_get(stage, "state")));
    if (json_is_integer(files))
        snprintf(label + strlen(label), sizeof label - strlen(label),
                 " %" JSON_INTEGER_FORMAT " files", json_integer_value(files));
    fprintf(out, "%-*s", NAME_WIDTH, label);
    cell_count(out, stage, in);
    cell_count(out, stage, written);
    cell_count(out, stage, rejected);
    cell_bytes(out, stage);
    cell_time_and_rate(out, stage);
    fputc('\n', out);
}

static void item_line(FILE *out, const char *prefix, const char *name, const json_t *item,
                      const char *in, const char *written, const char *rejected)
{
    char label[256];
    size_t length;

    snprintf(label, sizeof label, "  %s%s", prefix, name ? name : "?");
    length = strlen(label);
    /* Keep the end of long paths: that is the part that tells files apart. */
    if (length > NAME_WIDTH - 1)
        memmove(label + 2, label + length - (NAME_WIDTH - 3), NAME_WIDTH - 2);
    fprintf(out, "%-*s", NAME_WIDTH, label);
    cell_count(out, item, in);
    cell_count(out, item, written);
    cell_count(out, item, rejected);
    cell_bytes(out, item);
    fputc('\n', out);
}

static void print_extract(FILE *out, const json_t *stage)
{
    json_t *source;
    size_t i;

    stage_line(out, stage, "", "", "");
    json_array_foreach (json_object_get(stage, "sources"), i, source) {
        char name[160];
        snprintf(name, sizeof name, "%s (%" JSON_INTEGER_FORMAT " files)",
                 json_string_value(json_object_get(source, "source")),
                 json_integer_value(json_object_get(source, "files")));
        item_line(out, "source ", name, source, "", "", "");
    }
}

static void print_transform(FILE *out, const json_t *stage)
{
    json_t *item;
    size_t i;

    stage_line(out, stage, "rows_read", "rows_written", "rows_rejected");
    json_array_foreach (json_object_get(stage, "sources"), i, item) {
        json_t *warning;
        size_t w;
        item_line(out, "", json_string_value(json_object_get(item, "path")), item, "rows_read",
                  "rows_written", "rows_rejected");
        json_array_foreach (json_object_get(item, "warnings"), w, warning)
            fprintf(out, "    warning: %s\n", json_string_value(warning));
    }
    json_array_foreach (json_object_get(stage, "tables"), i, item)
        item_line(out, "-> ", json_string_value(json_object_get(item, "table")), item, "", "rows",
                  "");
}

/* Files loaded before byte for byte: the first few, then how many more. */
static void print_unchanged(FILE *out, const json_t *files)
{
    enum { SHOWN = 10 };
    const json_t *file;
    size_t i;

    json_array_foreach (files, i, file) {
        if (i == SHOWN) {
            fprintf(out, "  and %zu more unchanged file(s), see summary.json\n",
                    json_array_size(files) - SHOWN);
            break;
        }
        fprintf(out, "  %s: unchanged since run %s, nothing new\n",
                json_string_value(json_object_get(file, "uri")),
                json_string_value(json_object_get(file, "since_run")));
    }
}

static void print_load(FILE *out, const json_t *stage, int dry_run)
{
    static const char *const counts[] = { "rows_in", "inserted",  "updated",
                                          "deleted", "unchanged", NULL };
    json_t *table;
    size_t i;

    fprintf(out, "\n%-*s %10s %10s %10s %10s %10s\n", NAME_WIDTH,
            dry_run ? "load (dry run: would change)" : "load table", "rows in", "inserted",
            "updated", "deleted", "unchanged");
    json_array_foreach (json_object_get(stage, "tables"), i, table) {
        fprintf(out, "  %-*s", NAME_WIDTH - 2, json_string_value(json_object_get(table, "table")));
        for (int k = 0; counts[k]; k++)
            cell_count(out, table, counts[k]);
        fputc('\n', out);
    }
    fprintf(out, "%-*s", NAME_WIDTH, "  total");
    for (int k = 0; counts[k]; k++)
        cell_count(out, stage, counts[k]);
    fputc('\n', out);
    print_unchanged(out, json_object_get(stage, "unchanged_files"));
}

void run_summary_print(const json_t *summary, FILE *out)
{
    const json_t *stages = json_object_get(summary, "stages");
    const json_t *load = json_array_get(stages, 2);
    int dry_run = json_is_true(json_object_get(summary, "dry_run"));

    fprintf(out, "\nrun %s: %s%s\n", json_string_value(json_object_get(summary, "run_id")),
            json_string_value(json_object_get(summary, "status")),
            dry_run ? " (dry run: nothing committed)" : "");
    fprintf(out, "%-*s %10s %10s %10s %10s %10s %14s\n", NAME_WIDTH, "stage / item", "rows in",
            "rows out", "rejected", "bytes", "time", "rate");
    print_extract(out, json_array_get(stages, 0));
    print_transform(out, json_array_get(stages, 1));
    stage_line(out, load, "rows_in", "", "");
    if (json_object_get(load, "tables"))
        print_load(out, load, dry_run);
    fputc('\n', out);
}

static json_int_t total(const json_t *summary, int stage, const char *key)
{
    const json_t *value = json_object_get(json_array_get(json_object_get(summary, "stages"), stage),
                                          key);

    return json_is_integer(value) ? json_integer_value(value) : 0;
}

/* The totals as numbers, so that a log collector need not parse the message. */
static json_t *totals(const json_t *summary)
{
    return json_pack("{s:O?, s:O?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "status",
                     json_object_get(summary, "status"), "exit_code",
                     json_object_get(summary, "exit_code"), "files", total(summary, 0, "files"),
                     "bytes", total(summary, 0, "bytes"), "rows_read",
                     total(summary, 1, "rows_read"), "rows_written",
                     total(summary, 1, "rows_written"), "rows_rejected",
                     total(summary, 1, "rows_rejected"), "rows_inserted",
                     total(summary, 2, "inserted"), "rows_updated", total(summary, 2, "updated"),
                     "rows_deleted", total(summary, 2, "deleted"), "rows_unchanged",
                     total(summary, 2, "unchanged"));
}

void run_summary_log(const json_t *summary)
{
    nk_log_fields(NK_LOG_INFO, totals(summary),
                  "run %s: extract %" JSON_INTEGER_FORMAT " files, %" JSON_INTEGER_FORMAT
                  " bytes; transform %" JSON_INTEGER_FORMAT " rows read, %" JSON_INTEGER_FORMAT
                  " written, %" JSON_INTEGER_FORMAT " rejected; load%s %" JSON_INTEGER_FORMAT
                  " inserted, %" JSON_INTEGER_FORMAT " updated, %" JSON_INTEGER_FORMAT
                  " deleted, %" JSON_INTEGER_FORMAT " unchanged (details in summary.json)",
                  json_string_value(json_object_get(summary, "status")), total(summary, 0, "files"),
                  total(summary, 0, "bytes"), total(summary, 1, "rows_read"),
                  total(summary, 1, "rows_written"), total(summary, 1, "rows_rejected"),
                  json_is_true(json_object_get(summary, "dry_run")) ? " (dry run)" : "",
                  total(summary, 2, "inserted"), total(summary, 2, "updated"),
                  total(summary, 2, "deleted"), total(summary, 2, "unchanged"));
}

void run_summary_warn_rejects(const json_t *summary)
{
    const json_t *transform = json_array_get(json_object_get(summary, "stages"), 1);
    char why[1400];

    if (total(summary, 1, "rows_rejected") == 0)
        return;
    nk_reject_reasons_describe(json_object_get(transform, "reject_reasons"), why, sizeof why);
    nk_warn("%" JSON_INTEGER_FORMAT " of %" JSON_INTEGER_FORMAT
            " row(s) rejected (see transform/rejects.jsonl): %s",
            total(summary, 1, "rows_rejected"), total(summary, 1, "rows_read"), why);
}
