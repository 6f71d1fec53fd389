/*
 * transform_xlsx_test.c: the XLSX reader (transform/exports/xlsx.c) on workbooks
 * built here with libarchive: shared, inline and rich strings, numbers,
 * booleans, gaps, sheets chosen by name, members in any order, and broken
 * workbooks.
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

#include "transform/exports/xlsx.h"
#include "transform/exports/xlsx_merges.h"
#include "transform/exports/xlsx_styles.h"

#define ZIP_MAX (1024 * 1024)

/* A zip of (name, content) pairs, ending in NULL. */
static char *make_zip(const char *const *members, size_t *length)
{
    char *buffer = malloc(ZIP_MAX);
    struct archive *a = archive_write_new();

    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, buffer, ZIP_MAX, length), ARCHIVE_OK);
    for (size_t i = 0; members[i]; i += 2) {
        struct archive_entry *entry = archive_entry_new();
        size_t size = strlen(members[i + 1]);
        archive_entry_set_pathname(entry, members[i]);
        archive_entry_set_size(entry, (la_int64_t)size);
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        assert_int_equal(archive_write_header(a, entry), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, members[i + 1], size), (la_ssize_t)size);
        archive_entry_free(entry);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return buffer;
}

#define WORKBOOK                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                                       \
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "   \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" \
    "<sheets><sheet name=\"Info\" sheetId=\"1\" r:id=\"rId1\"/>"                       \
    "<sheet name=\"Utfall 2023\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"

#define RELS                                                                      \
    "<?xml version=\"1.0\"?><Relationships "                                      \
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"     \
    "<Relationship Id=\"rId1\" Type=\"t\" Target=\"worksheets/sheet1.xml\"/>"     \
    "<Relationship Id=\"rId2\" Type=\"t\" Target=\"/xl/worksheets/sheet2.xml\"/>" \
    "</Relationships>"

#define SHARED                                                                         \
    "<?xml version=\"1.0\"?><sst "                                                     \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"             \
    "<si><t>Enhet</t></si>"                                                            \
    "<si><t>Hemtj\xC3\xA4nst</t></si>"                                                 \
    "<si><r><t>Bistånd </t></r><r><t>och stöd</t></r><rPh><t>ignored</t></rPh></si>" \
    "<si><t xml:space=\"preserve\"> Belopp (tkr) </t></si>"                            \
    "</sst>"

#define SHEET1                                                                                \
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Om filen</t></is>" \
    "</c></row></sheetData></worksheet>"

#define SHEET2                                                                               \
    "<?xml version=\"1.0\"?><worksheet "                                                     \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"                   \
    "<sheetData>"                                                                            \
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>3</v></c></row>"    \
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>1234.5</v></c>"             \
    "<c r=\"D2\" t=\"b\"><v>1</v></c></row>"                                                 \
    "<row r=\"3\"/>"                                                                         \
    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>2</v></c><c r=\"B5\"><v>-2.5E-3</v></c>"            \
    "<c r=\"C5\" t=\"str\"><f>A1</f><v>formel</v></c><c r=\"E5\" t=\"e\"><v>#DIV/0!</v></c>" \
    "</row>"                                                                                 \
    "<row><c t=\"inlineStr\"><is><t>utan ref</t></is></c><c><v>7</v></c></row>"              \
    "</sheetData></worksheet>"

/* Rows as "line:field|field(n)" where (n) marks numeric cells, joined by " / ". */
static void read_all(transform_xlsx *x, char *out, size_t size, int expect_rc)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    const transform_row *row;
    int rc;

    out[0] = '\0';
    while ((rc = transform_xlsx_next(x, &row, reason)) == 1) {
        size_t used = strlen(out);
        used += (size_t)snprintf(out + used, size - used, "%s%ld:", used ? " / " : "", row->line);
        for (size_t i = 0; i < row->count; i++)
            used += (size_t)snprintf(out + used, size - used, "%s%s%s", i ? "|" : "",
                                     row->fields[i], row->numeric[i] ? "(n)" : "");
    }
    assert_int_equal(rc, expect_rc);
    if (rc < 0)
        snprintf(out, size, "%s", reason);
}

static void test_xlsx_sheet_by_name(void **state)
{
    /* The sheet comes before the shared strings: the order must not matter. */
    const char *const members[] = { "[Content_Types].xml",
                                    "<Types/>",
                                    "xl/worksheets/sheet2.xml",
                                    SHEET2,
                                    "xl/workbook.xml",
                                    WORKBOOK,
                                    "xl/_rels/workbook.xml.rels",
                                    RELS,
                                    "xl/sharedStrings.xml",
                                    SHARED,
                                    "xl/worksheets/sheet1.xml",
                                    SHEET1,
                                    NULL };
    size_t length;
    char *zip = make_zip(members, &length), reason[TRANSFORM_ROW_REASON_MAX], rows[1024];
    transform_xlsx *x = transform_xlsx_open_memory(zip, length, "Utfall 2023", 0, reason);
    (void)state;

    assert_non_null(x);
    read_all(x, rows, sizeof rows, 0);
    assert_string_equal(rows, "1:Enhet| Belopp (tkr)  / 2:Hemtj\xC3\xA4nst|1234.5(n)||TRUE / "
                              "5:Bistånd och stöd|-2.5E-3(n)|formel||#DIV/0! / 6:utan ref|7(n)");
    transform_xlsx_close(x);

    x = transform_xlsx_open_memory(zip, length, NULL, 0, reason);
    assert_non_null(x);
    read_all(x, rows, sizeof rows, 0);
    assert_string_equal(rows, "1:Om filen");
    transform_xlsx_close(x);
    free(zip);
}

static void test_xlsx_from_file(void **state)
{
    const char *const members[] = { "xl/workbook.xml",
                                    WORKBOOK,
                                    "xl/_rels/workbook.xml.rels",
                                    RELS,
                                    "xl/worksheets/sheet1.xml",
                                    SHEET1,
                                    NULL };
    char path[] = "/tmp/nyckel-xlsx-XXXXXX", reason[TRANSFORM_ROW_REASON_MAX], rows[256];
    size_t length;
    char *zip = make_zip(members, &length);
    int fd = mkstemp(path);
    FILE *file = fdopen(fd, "wb");
    (void)state;

    assert_int_equal(fwrite(zip, 1, length, file), length);
    fclose(file);
    transform_xlsx *x = transform_xlsx_open(path, "Info", 0, reason);
    assert_non_null(x);
    read_all(x, rows, sizeof rows, 0);
    assert_string_equal(rows, "1:Om filen");
    transform_xlsx_close(x);
    remove(path);
    free(zip);
}

typedef struct broken_case {
    const char *sheet_xml;
    const char *wanted;
    int open_fails;
    const char *error;
} broken_case;

static const broken_case broken[] = {
    { SHEET1, "Saknas", 1, "no sheet \"Saknas\"; the workbook has: Info, Utfall 2023" },
    { "<worksheet><sheetData><row><c t=\"s\"><v>9</v></c></row></sheetData></worksheet>", NULL, 0,
      "shared string that does not exist" },
    { "<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>", NULL, 0,
      "line 1: mismatched tag" },
    { "<worksheet><sheetData><row><c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>", NULL,
      0, "outside the sheet" },
};

static void test_xlsx_broken(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        const char *const members[] = { "xl/workbook.xml",
                                        WORKBOOK,
                                        "xl/_rels/workbook.xml.rels",
                                        RELS,
                                        "xl/worksheets/sheet1.xml",
                                        broken[i].sheet_xml,
                                        NULL };
        size_t length;
        char *zip = make_zip(members, &length), reason[TRANSFORM_ROW_REASON_MAX] = "", out[512];
        transform_xlsx *x = transform_xlsx_open_memory(zip, length, broken[i].wanted, 0, reason);
        print_message("case %zu\n", i);
        if (broken[i].open_fails) {
            assert_null(x);
            assert_non_null(strstr(reason, broken[i].error));
        } else {
            assert_non_null(x);
            read_all(x, out, sizeof out, -1);
            assert_non_null(strstr(out, broken[i].error));
            transform_xlsx_close(x);
        }
        free(zip);
    }
}

static void test_xlsx_not_a_zip(void **state)
{
    char reason[TRANSFORM_ROW_REASON_MAX] = "";
    const char text[] = "Enhet;Belopp\nA;1\n";
    (void)state;
    assert_null(transform_xlsx_open_memory(text, sizeof text - 1, NULL, 0, reason));
    assert_non_null(strstr(reason, "not an XLSX workbook"));
}

static void test_xlsx_cell_limit(void **state)
{
    const char *const members[] = { "xl/workbook.xml",
                                    WORKBOOK,
                                    "xl/_rels/workbook.xml.rels",
                                    RELS,
                                    "xl/worksheets/sheet1.xml",
                                    "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>"
                                    "0123456789abcdef0123456789</t></is></c></row></sheetData>"
                                    "</worksheet>",
                                    NULL };
    size_t length;
    char *zip = make_zip(members, &length), reason[TRANSFORM_ROW_REASON_MAX], out[512];
    transform_xlsx *x = transform_xlsx_open_memory(zip, length, NULL, 16, reason);
    (void)state;
    assert_non_null(x);
    read_all(x, out, sizeof out, -1);
    assert_non_null(strstr(out, "a cell longer than the limit"));
    transform_xlsx_close(x);
    free(zip);
}

/* Many rows are read a piece at a time. */
static void test_xlsx_many_rows(void **state)
{
    size_t rows = 5000, at = 0, size = rows * 64 + 256;
    char *sheet = malloc(size), reason[TRANSFORM_ROW_REASON_MAX];
    const transform_row *row;
    long count = 0;
    (void)state;

    at += (size_t)snprintf(sheet + at, size - at, "<worksheet><sheetData>");
    for (size_t r = 1; r <= rows; r++)
        at += (size_t)snprintf(sheet + at, size - at,
                               "<row r=\"%zu\"><c r=\"A%zu\"><v>%zu</v></c></row>", r, r, r);
    snprintf(sheet + at, size - at, "</sheetData></worksheet>");
    const char *const members[] = { "xl/workbook.xml",
                                    WORKBOOK,
                                    "xl/_rels/workbook.xml.rels",
                                    RELS,
                                    "xl/worksheets/sheet1.xml",
                                    sheet,
                                    NULL };
    size_t length;
    char *zip = make_zip(members, &length);
    transform_xlsx *x = transform_xlsx_open_memory(zip, length, NULL, 0, reason);
    assert_non_null(x);
    while (transform_xlsx_next(x, &row, reason) == 1) {
        count++;
        assert_int_equal(row->line, count);
        assert_int_equal(atol(row->fields[0]), count);
    }
    assert_int_equal(count, (long)rows);
    transform_xlsx_close(x);
    free(zip);
    free(sheet);
}

/* Day counts as the dates a spreadsheet shows, in both of its date systems. */
static void test_xlsx_dates(void **state)
{
    transform_xlsx_styles styles = { 0 };
    static const struct {
        int date1904;
        const char *serial, *date;
    } cases[] = {
        { 0, "45352", "2024-03-01" },
        { 0, "1", "1900-01-01" },
        { 0, "59", "1900-02-28" },
        { 0, "61", "1900-03-01" },
        { 0, "45352.5", "2024-03-01 12:00:00" },
        { 1, "0", "1904-01-01" },
        { 1, "43890", "2024-03-01" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        styles.date1904 = cases[i].date1904;
        char date[TRANSFORM_XLSX_DATE_MAX];
        assert_int_equal(transform_xlsx_date_text(&styles, cases[i].serial, date), 0);
        assert_string_equal(date, cases[i].date);
    }
    char date[TRANSFORM_XLSX_DATE_MAX];
    assert_int_equal(transform_xlsx_date_text(&styles, "-1", date), -1);
    assert_int_equal(transform_xlsx_date_text(&styles, "1e300", date), -1);
    transform_xlsx_styles_start(&styles, "numFmt", "164", "\"Dag\" 0");
    transform_xlsx_styles_start(&styles, "numFmt", "165", "yyyy\\-mm\\-dd");
    transform_xlsx_styles_start(&styles, "cellXfs", NULL, NULL);
    transform_xlsx_styles_start(&styles, "xf", "0", NULL);
    transform_xlsx_styles_start(&styles, "xf", "164", NULL);
    transform_xlsx_styles_start(&styles, "xf", "165", NULL);
    transform_xlsx_styles_start(&styles, "xf", "14", NULL);
    transform_xlsx_styles_end(&styles, "cellXfs");
    assert_false(transform_xlsx_styles_is_date(&styles, 0));
    assert_false(transform_xlsx_styles_is_date(&styles, 1));
    assert_true(transform_xlsx_styles_is_date(&styles, 2));
    assert_true(transform_xlsx_styles_is_date(&styles, 3));
    assert_false(transform_xlsx_styles_is_date(&styles, 4));
    transform_xlsx_styles_free(&styles);
}

static int put(void *data, long column, const char *value, int numeric)
{
    char *out = data;
    (void)numeric;
    sprintf(out + strlen(out), "%ld=%s ", column, value);
    return 0;
}

/* A range gives its top-left value to each of its other cells; odd ranges are refused. */
static void test_xlsx_merges(void **state)
{
    transform_xlsx_merges merges = { 0 };
    char out[256] = "";
    (void)state;

    assert_int_equal(transform_xlsx_merges_add(&merges, "B1:D1"), 0);
    assert_int_equal(transform_xlsx_merges_add(&merges, "A1:A2"), 0);
    assert_int_equal(transform_xlsx_merges_add(&merges, "A1"), -1);
    assert_int_equal(transform_xlsx_merges_add(&merges, "D1:B1"), -1);
    assert_int_equal(transform_xlsx_merges_add(&merges, "A1:AZZ1"), -1);
    transform_xlsx_merges_seen(&merges, 1, 1, "2023", 1);
    transform_xlsx_merges_seen(&merges, 1, 0, "Enhet", 0);
    assert_int_equal(transform_xlsx_merges_fill(&merges, 1, put, out), 0);
    assert_string_equal(out, "2=2023 3=2023 ");
    out[0] = '\0';
    assert_int_equal(transform_xlsx_merges_fill(&merges, 2, put, out), 0);
    assert_string_equal(out, "0=Enhet ");
    transform_xlsx_merges_free(&merges);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_sheet_by_name), cmocka_unit_test(test_xlsx_from_file),
        cmocka_unit_test(test_xlsx_broken),        cmocka_unit_test(test_xlsx_not_a_zip),
        cmocka_unit_test(test_xlsx_cell_limit),    cmocka_unit_test(test_xlsx_many_rows),
        cmocka_unit_test(test_xlsx_dates),         cmocka_unit_test(test_xlsx_merges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
