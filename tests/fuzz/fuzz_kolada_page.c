/*
 * fuzz_kolada_page.c: libFuzzer harness for transform's Kolada page reader
 * (transform/kolada/kolada_page.c, kolada_metadata.c, kolada_values.c, and the
 * data page stream, lib/kolada/kolada_stream.c).
 *
 * Each input is one raw file, read the way nyckel-transform reads it: sniff
 * the kind, then read metadata or values into staged tables and rejects in
 * a private folder.  The run already knows a few areas, KPIs and units, so
 * values get past the unknown-id checks.  The input's length picks the
 * endpoint the extract manifest would have named (or none), so pages whose
 * shape disagrees with their endpoint are tried too.  A failure must be an
 * exit-65 error; a success must reconcile: rows read = written + rejected.
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/staged/dimensions.h"
#include "lib/base/exit_codes.h"
#include "transform/kolada/kolada_page.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"

static const char *const endpoints[] = { "kpi", "kpi_groups", "municipality", "municipality_groups",
                                         "ou",  "data",       "oudata",       NULL,
                                         NULL };

static const char known_areas[] =
    "{\"count\": 3, \"values\": [{\"id\": \"0580\", \"title\": \"Linköping\", \"type\": \"K\"},"
    "{\"id\": \"0005\", \"title\": \"Region Östergötland\", \"type\": \"L\"},"
    "{\"id\": \"0000\", \"title\": \"Riket\", \"type\": \"L\"}]}";
static const char known_kpis[] =
    "{\"count\": 2, \"values\": [{\"id\": \"N00945\", \"title\": \"Kostnad\", "
    "\"operating_area\": \"Äldreomsorg\", \"is_divided_by_gender\": 0},"
    "{\"id\": \"U21468\", \"title\": \"Andel\", \"operating_area\": \"Skola\", "
    "\"is_divided_by_gender\": 1}]}";
static const char known_units[] =
    "{\"count\": 1, \"values\": [{\"id\": \"V15E058000101\", \"municipality\": \"0580\", "
    "\"title\": \"Enhet\"}]}";

static json_t *known[3];
static const transform_kolada_kind known_kinds[3] = { KOLADA_MUNICIPALITY, KOLADA_KPI, KOLADA_OU };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *texts[3] = { known_areas, known_kpis, known_units };
    nk_error err = { 0 };

    (void)argc, (void)argv;
    for (int i = 0; i < 3; i++) {
        const char *path = fuzz_write_file("known.json", (const uint8_t *)texts[i],
                                           strlen(texts[i]));
        known[i] = transform_kolada_parse(path, &err);
        fuzz_check(known[i] != NULL);
    }
    return 0;
}

static int read_file(transform_context *context, transform_source *source, nk_error *err)
{
    transform_kolada_kind kind;
    json_t *page;
    int rc;

    if (transform_kolada_sniff(source->path, source->endpoint, &kind, err) < 0)
        return -1;
    if (transform_kolada_is_metadata(kind)) {
        page = transform_kolada_parse(source->path, err);
        rc = page ? transform_kolada_read_metadata(context, source, page, kind, err) : -1;
        json_decref(page);
        return rc;
    }
    if (kind == KOLADA_EMPTY)
        return 0;
    return transform_kolada_read_values(context, source, kind, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char rejects_path[128];
    transform_context context = { 0 };
    transform_source known_source = { .uri = "file:///known.json", .source_ref = 1 };
    transform_source source = { .uri = "file:///fuzz/page.json",
                                .source = "fuzz",
                                .source_ref = 2 };
    nk_error err = { 0 };
    int rc = 0;

    source.path = fuzz_write_file("page.json", data, size);
    source.endpoint = endpoints[size % (sizeof endpoints / sizeof endpoints[0])];
    snprintf(rejects_path, sizeof rejects_path, "%s/rejects.jsonl", fuzz_temp_dir());
    context.rejects = transform_rejects_open(rejects_path, &err);
    context.tables = transform_tables_open(fuzz_temp_dir());
    context.dimensions = json_object();
    context.unknown_keys = json_object();
    fuzz_check(context.rejects != NULL && context.tables != NULL);
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = transform_kolada_read_metadata(&context, &known_source, known[i], known_kinds[i],
                                            &err);
    fuzz_check(rc == 0);

    if (read_file(&context, &source, &err) == 0) {
        fuzz_check(source.counts.rows_read ==
                   source.counts.rows_written + source.counts.rows_rejected);
        fuzz_check(transform_dimensions_write(&context, &err) == 0);
        json_t *tables = transform_tables_close(context.tables, &err);
        fuzz_check(tables != NULL);
        json_decref(tables);
    } else {
        fuzz_check(err.exit_code == NK_EXIT_DATA);
        fuzz_check(err.message[0] != '\0' && strchr(err.message, '\n') == NULL);
        transform_tables_abandon(context.tables);
    }
    fuzz_check(transform_rejects_close(context.rejects, &err) == 0);
    json_decref(context.dimensions);
    json_decref(context.unknown_keys);
    return 0;
}
