/*
 * alloc_faults_test.c: every reader of outside input, and the manifest
 * writer and reader, run again and again with the n-th allocation failing,
 * by tests/unit/alloc_drive.h: each failing run must say "out of memory"
 * and leak nothing, and a run that gets past its failure must give exactly
 * the output of a run without one.  The arrays these readers grow have
 * their own, wider cases in alloc_faults_growth_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <jansson.h>

#include "transform/exports/csv.h"
#include "transform/cells/encoding.h"
#include "transform/exports/export_reader.h"
#include "lib/base/exit_codes.h"
#include "transform/kolada/kolada_page.h"
#include "lib/kolada/kolada_stream.h"
#include "lib/rundir/manifest.h"
#include "transform/cells/number.h"
#include "transform/exports/org_units.h"
#include "transform/cells/period.h"
#include "tests/unit/alloc_drive.h"
#include "tests/unit/temp_dir.h"
#include "transform/exports/xlsx.h"

/* ---- CSV: a field over the first 1024 bytes and a row over the first 32 fields ---- */

static char *csv_text;

static void print_row(const transform_row *row)
{
    print("%ld:", row->line);
    for (size_t i = 0; i < row->count; i++)
        print("%s%zu=%.20s", i ? "|" : "", row->lengths[i], row->fields[i]);
    print("\n");
}

static int run_csv(void)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    transform_csv *csv = transform_csv_open_memory(csv_text, strlen(csv_text), 0, 0);
    const transform_row *row;
    int rc;

    /* NULL only when out of memory (csv.h) */
    if (csv == NULL)
        return fail_with("out of memory opening the reader");
    while ((rc = transform_csv_next(csv, &row, reason)) == 1)
        print_row(row);
    transform_csv_close(csv);
    return rc < 0 ? fail_with(reason) : 0;
}

static void csv_reader(void **state)
{
    (void)state;
    csv_text = malloc(8192);
    assert_non_null(csv_text);
    strcpy(csv_text, "kpi;area;\"period\";value\nN00945;0580;2023;\"74,1\"\n");
    for (int i = 0; i < 40; i++)
        strcat(csv_text, i ? ";f" : "wide");
    strcat(csv_text, "\nlong;\"");
    for (int i = 0; i < 300; i++)
        strcat(csv_text, "text");
    strcat(csv_text, "\";x;y\n");
    drive("csv", run_csv);
    free(csv_text);
}

/* ---- decoding: Windows-1252 in small pieces, with bad bytes on many lines ---- */

static char *decoder_input;

static int run_decoder(void)
{
    char reason[TRANSFORM_ENCODING_REASON_MAX] = "";
    transform_decoder *decoder = transform_decoder_new(TRANSFORM_ENCODING_UTF8, reason);
    nk_buffer text = NK_BUFFER_INIT(0, 0);
    size_t length = strlen(decoder_input);
    int rc = 0;

    if (decoder == NULL)
        return fail_with(reason);
    for (size_t at = 0; at < length && rc == 0; at += 7)
        rc = transform_decoder_feed(decoder, decoder_input + at, length - at < 7 ? length - at : 7,
                                    at + 7 >= length, &text, reason);
    if (rc == 0)
        print("%s|%lu", nk_buffer_text(&text), transform_decoder_bad_count(decoder));
    nk_buffer_free(&text);
    transform_decoder_free(decoder);
    return rc < 0 ? fail_with(reason) : 0;
}

static void decoder(void **state)
{
    (void)state;
    decoder_input = malloc(4096);
    assert_non_null(decoder_input);
    strcpy(decoder_input, "\xEF\xBB\xBFkommun;v\xC3\xA4rde\n");
    for (int i = 0; i < 40; i++)
        strcat(decoder_input, "G\xF6teborg;\xFF\n");
    drive("decoder", run_decoder);
    free(decoder_input);
}

/* ---- XLSX: shared strings, styles with a date format, merges, a wide and long sheet ---- */

static char *zip;
static size_t zip_length;

static void add_member(struct archive *a, const char *name, const char *text)
{
    struct archive_entry *entry = archive_entry_new();
    size_t size = strlen(text);

    archive_entry_set_pathname(entry, name);
    archive_entry_set_size(entry, (la_int64_t)size);
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    assert_int_equal(archive_write_header(a, entry), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, text, size), (la_ssize_t)size);
    archive_entry_free(entry);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""

static void make_workbook(void)
{
    size_t size = 1 << 20, used;
    char *shared = malloc(size), *sheet = malloc(size);
    struct archive *a = archive_write_new();

    assert_non_null(shared);
    assert_non_null(sheet);
    zip = malloc(size);
    assert_non_null(zip);
    used = (size_t)snprintf(shared, size, "<sst " NS ">");
    for (int i = 0; i < 300; i++)
        used += (size_t)snprintf(shared + used, size - used,
                                 "<si><r><t>namn %d</t></r><rPh><t>x</t></rPh></si>", i);
    snprintf(shared + used, size - used, "</sst>");
    used = (size_t)snprintf(sheet, size, "<worksheet " NS "><sheetData>");
    for (int r = 1; r <= 150; r++) {
        used += (size_t)snprintf(sheet + used, size - used, "<row r=\"%d\">", r);
        for (int c = 0; c < (r == 1 ? 40 : 3); c++)
            used += (size_t)snprintf(sheet + used, size - used, "<c t=\"s\"><v>%d</v></c>",
                                     (r + c) % 300);
        used += (size_t)snprintf(sheet + used, size - used,
                                 "<c s=\"1\"><v>45000</v></c><c t=\"inlineStr\"><is><t>rad %d"
                                 "</t></is></c></row>",
                                 r);
    }
    /* a gap (empty cells made), a boolean, and a merged range over empty cells */
    snprintf(sheet + used, size - used,
             "<row r=\"151\"><c r=\"A151\"><v>1</v></c><c r=\"E151\" t=\"b\"><v>1</v></c></row>"
             "</sheetData><mergeCells count=\"2\"><mergeCell ref=\"A2:A3\"/>"
             "<mergeCell ref=\"A151:C151\"/></mergeCells></worksheet>");
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, zip, size, &zip_length), ARCHIVE_OK);
    add_member(a, "xl/workbook.xml",
               "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
               "2006/relationships\"><sheets><sheet name=\"Info\" sheetId=\"1\" r:id=\"rId1\"/>"
               "<sheet name=\"Utfall\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>");
    add_member(a, "xl/_rels/workbook.xml.rels",
               "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
               "relationships\"><Relationship Id=\"rId1\" Type=\"t\" Target=\"worksheets/"
               "sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"t\" Target=\"worksheets/"
               "sheet2.xml\"/></Relationships>");
    add_member(a, "xl/styles.xml",
               "<styleSheet " NS "><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
               "formatCode=\"yyyy-mm-dd\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/>"
               "<xf numFmtId=\"164\"/></cellXfs></styleSheet>");
    add_member(a, "xl/sharedStrings.xml", shared);
    add_member(a, "xl/worksheets/sheet1.xml", "<worksheet " NS "><sheetData/></worksheet>");
    add_member(a, "xl/worksheets/sheet2.xml", sheet);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    free(shared);
    free(sheet);
}

static int run_xlsx(void)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    transform_xlsx *x = transform_xlsx_open_memory(zip, zip_length, "Utfall", 0, reason);
    const transform_row *row;
    int rc;

    if (x == NULL)
        return fail_with(reason);
    while ((rc = transform_xlsx_next(x, &row, reason)) == 1)
        print_row(row);
    transform_xlsx_close(x);
    return rc < 0 ? fail_with(reason) : 0;
}

static void xlsx_reader(void **state)
{
    (void)state;
    make_workbook();
    drive("xlsx", run_xlsx);
    free(zip);
}

/* ---- Kolada pages: rows with many values, keys nyckel does not keep, deep nesting ---- */

static char *page;

static int on_row(void *user, const nk_kolada_row *row, nk_error *err)
{
    (void)user;
    (void)err;
    print("%zu %s %s %s %zu %s\n", row->index, row->kpi.text ? row->kpi.text : "-",
          row->place.text ? row->place.text : "-", row->period.text ? row->period.text : "-",
          row->value_count, row->problem ? row->problem : "");
    for (size_t i = 0; i < row->value_count; i++)
        print(" %s=%s", row->values[i].gender.text ? row->values[i].gender.text : "-",
              row->values[i].value.text ? row->values[i].value.text : "-");
    return 0;
}

static void on_key(void *user, const char *object, const char *key, size_t length)
{
    (void)user;
    print("[%s.%.*s]", object, (int)length, key);
}

static int run_kolada(void)
{
    nk_error err = { 0 };
    nk_kolada_stream *stream = nk_kolada_stream_new("page.json", 0, on_row, NULL);
    size_t length = strlen(page);
    int rc = 0;

    if (stream == NULL)
        return fail_with("out of memory: no stream");
    nk_kolada_stream_on_other_key(stream, on_key);
    for (size_t at = 0; at < length && rc == 0; at += 100)
        rc = nk_kolada_stream_feed(stream, page + at, length - at < 100 ? length - at : 100, &err);
    if (rc == 0)
        rc = nk_kolada_stream_end(stream, &err);
    if (rc == 0)
        print("count %s\n", nk_kolada_stream_page(stream)->count.text);
    nk_kolada_stream_free(stream);
    return rc < 0 ? fail_with(err.message) : 0;
}

static void kolada_stream(void **state)
{
    size_t size = 1 << 16, used;

    (void)state;
    page = malloc(size);
    assert_non_null(page);
    used = (size_t)snprintf(page, size, "{\"count\": 3, \"meta\": {");
    /* more keys in one object than are looked up in a list: they get an index */
    for (int k = 0; k < 40; k++)
        used += (size_t)snprintf(page + used, size - used, "%s\"m%d\": %d", k ? ", " : "", k, k);
    used += (size_t)snprintf(page + used, size - used, "}, \"extra\": ");
    for (int i = 0; i < 40; i++)
        used += (size_t)snprintf(page + used, size - used, "{\"k%d\": [", i);
    for (int i = 39; i >= 0; i--)
        used += (size_t)snprintf(page + used, size - used, "]}");
    used += (size_t)snprintf(page + used, size - used, ", \"values\": [");
    for (int r = 0; r < 3; r++) {
        used += (size_t)snprintf(page + used, size - used,
                                 "%s{\"kpi\": \"N0094%d\", \"municipality\": \"0580\", "
                                 "\"period\": 2023, \"note%d\": \"%0300d\", \"values\": [",
                                 r ? ", " : "", r, r, r);
        for (int k = 0; k < 40; k++)
            used += (size_t)snprintf(page + used, size - used, "{\"x%d\": %d}, ", k, k);
        used += (size_t)snprintf(page + used, size - used,
                                 "{\"gender\": \"K\", \"value\": "
                                 "1.%0100d}, ",
                                 1);
        for (int v = 0; v < 40; v++)
            used += (size_t)snprintf(page + used, size - used,
                                     "%s{\"gender\": \"T\", \"value\": %d.5, \"count\": 1, "
                                     "\"status\": null, \"isdeleted\": false, \"new%d\": 1}",
                                     v ? ", " : "", v, v);
        used += (size_t)snprintf(page + used, size - used, "]}");
    }
    snprintf(page + used, size - used, "], \"next_url\": null}");
    drive("kolada stream", run_kolada);
    free(page);
}

/* ---- org units ---- */

static const char org_text[] =
    "unit_id;title;parent_id;level;valid_from;valid_to;successor_id;names\n"
    "V15E058000101;Hemtjänst norr;V15E058000100;2;2020-01-01;;;norr|HT norr|hemtjänsten norr\n"
    "V15E058000102;Hemtjänst söder;V15E058000100;2;2020-01-01;2023-12-31;V15E058000101;"
    "söder|a|b|c|d|e|f|g\n"
    "V15E058000100;Omsorg;;1;;;;\n";

static int run_org_units(void)
{
    char reason[TRANSFORM_ORG_REASON_MAX] = "";
    transform_org_units org = { 0 };

    if (transform_org_units_parse(&org, org_text, strlen(org_text), reason) < 0) {
        transform_org_units_free(&org);
        return fail_with(reason);
    }
    for (size_t i = 0; i < org.count; i++) {
        print("%s %s %zu:", org.units[i].unit_id, org.units[i].title, org.units[i].name_count);
        for (size_t k = 0; k < org.units[i].name_count; k++)
            print(" %s", org.units[i].names[k]);
        print("\n");
    }
    transform_org_units_free(&org);
    return 0;
}

static void org_units(void **state)
{
    (void)state;
    drive("org units", run_org_units);
}

/* ---- number and period cells: they allocate nothing, which this keeps true ---- */

static int run_cells(void)
{
    static const char *const numbers[] = { "74,1", "1 234,5", "-2.5E-3", "12 %", "x" };
    static const char *const periods[] = { "2023", "2023-03", "2023 Q2", "VT 2022", "" };
    transform_period period;

    char reason[TRANSFORM_PERIOD_REASON_MAX];

    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        transform_number number;
        transform_number_parse(numbers[i], strlen(numbers[i]), ',', NULL, &number);
        print("%d %g %s\n", (int)number.status, number.value, number.reason);
    }
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        reason[0] = '\0';
        int rc = transform_period_parse(periods[i], strlen(periods[i]), 2023, &period, reason);
        print("%d %s %s\n", rc, rc == 0 ? period.id : "", reason);
    }
    return 0;
}

static void number_and_period_cells(void **state)
{
    (void)state;
    assert_int_equal(drive("number and period cells", run_cells), 0);
}

/* ---- export files: CSV in an encoding to decide, XLSX by path ---- */

static char export_dir[64], csv_path[128], xlsx_path[128];

static int run_export(const char *path)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    transform_mapping mapping = { .format = TRANSFORM_FORMAT_BY_NAME,
                                  .encoding = TRANSFORM_ENCODING_AUTO,
                                  .sheet = "Utfall" };
    transform_export_reader reader;
    const transform_row *row;
    int rc = transform_export_reader_open(&reader, &mapping, path, reason);

    while (rc == 0 && (rc = transform_export_reader_next(&reader, &row, reason)) == 1) {
        print_row(row);
        rc = 0;
    }
    transform_export_reader_close(&reader);
    return rc < 0 ? fail_with(reason) : 0;
}

static int run_export_csv(void)
{
    return run_export(csv_path);
}

static int run_export_xlsx(void)
{
    return run_export(xlsx_path);
}

static void write_file(const char *path, const char *data, size_t length)
{
    FILE *file = fopen(path, "wb");

    assert_non_null(file);
    assert_int_equal(fwrite(data, 1, length, file), length);
    assert_int_equal(fclose(file), 0);
}

static void export_files(void **state)
{
    char csv[4096] = "kommun;v\xE4rde\n";

    (void)state;
    for (int i = 0; i < 40; i++)
        strcat(csv, "G\xF6teborg;\"12,5\"\n");
    assert_int_equal(temp_dir_make(export_dir, sizeof export_dir, "alloc-faults"), 0);
    snprintf(csv_path, sizeof csv_path, "%s/export.csv", export_dir);
    snprintf(xlsx_path, sizeof xlsx_path, "%s/export.xlsx", export_dir);
    write_file(csv_path, csv, strlen(csv));
    make_workbook();
    write_file(xlsx_path, zip, zip_length);
    free(zip);
    drive("export csv", run_export_csv);
    drive("export xlsx", run_export_xlsx);
    assert_int_equal(temp_dir_remove(export_dir), 0);
}

/* ---- a Kolada metadata page, read whole with jansson ---- */

static char metadata_path[128];

static int run_metadata(void)
{
    nk_error err = { 0 };
    json_t *page = transform_kolada_parse(metadata_path, &err);

    if (page == NULL)
        return fail_with(err.message);
    print("%zu values\n", json_array_size(json_object_get(page, "values")));
    json_decref(page);
    return 0;
}

static void kolada_metadata_page(void **state)
{
    static const char text[] = "{\"count\": 2, \"values\": [{\"id\": \"N00945\", \"title\": "
                               "\"Invånare\"}, {\"id\": \"N00946\", \"title\": \"Elever\"}]}";

    (void)state;
    assert_int_equal(temp_dir_make(export_dir, sizeof export_dir, "alloc-faults"), 0);
    snprintf(metadata_path, sizeof metadata_path, "%s/kpi.json", export_dir);
    write_file(metadata_path, text, strlen(text));
    drive("kolada metadata page", run_metadata);
    assert_int_equal(temp_dir_remove(export_dir), 0);
}

/* ---- manifests ---- */

static char dir[64], manifest_path[128];
static json_t *header, *entries;

static int print_entry(const json_t *entry, size_t index, void *data, nk_error *err)
{
    (void)data;
    (void)err;
    print("%zu %s\n", index, json_string_value(json_object_get(entry, "path")));
    return 0;
}

static int run_manifest(void)
{
    nk_error err = { 0 };
    nk_manifest_writer *writer = nk_manifest_writer_open(manifest_path, "files", &err);
    size_t i;
    json_t *entry, *read;
    int rc = writer ? 0 : -1;

    json_array_foreach (entries, i, entry)
        if (rc == 0)
            rc = nk_manifest_writer_add(writer, entry, &err);
    if (rc == 0)
        rc = nk_manifest_writer_finish(writer, header, &err);
    nk_manifest_writer_free(writer);
    if (rc < 0)
        return fail_with(err.message);
    read = nk_manifest_read(manifest_path, "files", print_entry, NULL, NK_EXIT_NOINPUT, NULL, &err);
    if (read == NULL)
        return fail_with(err.message);
    print("run %s\n", json_string_value(json_object_get(read, "run_id")));
    json_decref(read);
    return 0;
}

void *__wrap_malloc(size_t size);
void *__real_malloc(size_t size);

static void manifest_writer_and_reader(void **state)
{
    (void)state;
    /*
     * The manifest code builds and writes jansson values: their allocations
     * fail in turn too.  Only here: jansson's own parser calls some failures
     * a syntax error, which is jansson's to fix.
     */
    json_set_alloc_funcs(__wrap_malloc, free);
    assert_int_equal(temp_dir_make(dir, sizeof dir, "alloc-faults"), 0);
    snprintf(manifest_path, sizeof manifest_path, "%s/manifest.json", dir);
    header = json_pack("{s:s, s:i}", "run_id", "20231201T000000Z", "version", 1);
    entries = json_array();
    for (int i = 0; i < 20; i++)
        json_array_append_new(entries, json_pack("{s:s++, s:i, s:[s,s]}", "path", "raw/page-",
                                                 i % 2 ? "a" : "b", ".json", "bytes", i * 100,
                                                 "kpis", "N00945", "N00946"));
    drive("manifest", run_manifest);
    json_set_alloc_funcs(__real_malloc, free);
    json_decref(header);
    json_decref(entries);
    assert_int_equal(temp_dir_remove(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reader),
        cmocka_unit_test(decoder),
        cmocka_unit_test(xlsx_reader),
        cmocka_unit_test(kolada_stream),
        cmocka_unit_test(kolada_metadata_page),
        cmocka_unit_test(export_files),
        cmocka_unit_test(org_units),
        cmocka_unit_test(number_and_period_cells),
        cmocka_unit_test(manifest_writer_and_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
