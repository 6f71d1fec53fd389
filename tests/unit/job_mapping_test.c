/*
 * job_mapping_test.c: checking transform.mappings, .aliases and a files
 * source's "mapping" (lib/job/job_mapping.c, lib/job/job_extract.c): a good job
 * loads, and each mistake gives exit 78 and the key's path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "lib/job/job.h"

/* %s is replaced by the mapping's body, the source's mapping name and the aliases. */
static const char job_template[] =
    "{\"name\": \"m\", \"extract\": [{\"name\": \"e\", \"type\": \"files\", \"paths\": [\"x\"],"
    " \"mapping\": \"%s\"}],\n"
    " \"transform\": {\"aliases\": {%s}, \"mappings\": {\"finance\": {%s}}}}\n";

#define GOOD                                                                                   \
    "\"layout\": \"wide\", \"header_rows\": 2, \"header_roles\": [\"period\", \"scenario\"], " \
    "\"columns\": {\"unit\": \"Enhet\"}, \"constants\": {\"area\": \"0580\", "                 \
    "\"measure\": \"nettokostnad\"}, \"measures\": {\"nettokostnad\": {\"unit\": \"tkr\"}}"

#define LONG                                               \
    "\"columns\": {\"value\": \"V\", \"period\": \"P\"}, " \
    "\"constants\": {\"area\": \"0580\", \"measure\": \"m\"}"

#define ROWS                                                                                \
    "\"layout\": \"rows\", \"columns\": {\"period\": \"P\", \"breakdown\": \"Form\"}, "     \
    "\"constants\": {\"area\": \"0580\"}, \"personal_numbers\": [\"Pnr\"], "                \
    "\"measures\": {\"d\": {\"unit\": \"dygn\"}, \"n\": {\"aggregate\": \"count_people\", " \
    "\"column\": \"Pnr\"}}"

typedef struct job_case {
    const char *source_mapping;
    const char *aliases;
    const char *mapping;
    const char *error; /* NULL: the job is good */
} job_case;

static const job_case cases[] = {
    { "finance", "", GOOD, NULL },
    { "finance", "\"Linkpg\": \"0580\"",
      "\"columns\": {\"area\": \"Kommun\", \"period\": \"År\", \"value\": \"Andel\"}, "
      "\"constants\": {\"measure\": \"n\"}, \"encoding\": \"windows-1252\", \"separator\": \";\"",
      NULL },
    { "budget", "", GOOD, "extract[0].mapping: no mapping \"budget\" in transform.mappings" },
    { "finance", "\"Linkpg\": \"580\"", GOOD, "transform.aliases.Linkpg: expected a four-digit" },
    { "finance", "", GOOD ", \"colour\": 1", "transform.mappings.finance.colour: unknown key" },
    { "finance", "",
      "\"layout\": \"wide\", \"constants\": {\"area\": \"0580\", \"measure\": \"m\","
      " \"period\": \"2023\"}",
      "header_roles: required key is missing for a wide layout" },
    { "finance", "",
      "\"layout\": \"wide\", \"header_rows\": 2, \"header_roles\": [\"period\"],"
      " \"constants\": {\"area\": \"0580\", \"measure\": \"m\"}",
      "header_roles: expected a list of 2 role(s)" },
    { "finance", "",
      "\"layout\": \"wide\", \"header_roles\": [\"year\"],"
      " \"constants\": {\"area\": \"0580\", \"measure\": \"m\"}",
      "header_roles[0]: expected one of" },
    { "finance", "",
      "\"columns\": {\"value\": \"V\", \"period\": \"P\"}, "
      "\"constants\": {\"area\": \"0580\"}",
      "nothing gives the measure" },
    { "finance", "",
      "\"columns\": {\"period\": \"P\"}, "
      "\"constants\": {\"area\": \"0580\", \"measure\": \"m\"}",
      "a long layout needs columns.value" },
    { "finance", "", "\"columns\": {\"kommun\": \"K\"}",
      "transform.mappings.finance.columns.kommun: unknown key" },
    { "finance", "", GOOD ", \"encoding\": \"latin1\"", "encoding: expected one of" },
    { "finance", "", LONG ", \"header_rows\": 3", "header_rows: expected a whole number from 1" },
    { "finance", "",
      "\"columns\": {\"value\": \"V\", \"period\": \"P\"}, \"constants\": {\"area\": \"0580\","
      " \"measure\": \"m\", \"scenario\": \"actual\"}",
      "constants.scenario: expected one of" },
    { "finance", "", GOOD ", \"fill_down\": \"Enhet\"", "fill_down: expected true or a list" },
    { "finance", "", LONG ", \"measures\": {\"m\": {\"unit\": 5}}", "measures.m.unit" },
    { "finance", "", ROWS, NULL },
    { "finance", "",
      ROWS ", \"totals\": [\"year\", \"quarter\"], \"small_counts_below\": 3,"
           " \"ignore_columns\": [\"Kommentar\"], \"unmapped_columns\": \"error\"",
      NULL },
    { "finance", "", ROWS ", \"header_roles\": [\"measure\"]", "leave header_roles out" },
    { "finance", "", ROWS ", \"totals\": [\"week\"]", "totals[0]: expected one of" },
    { "finance", "", ROWS ", \"small_counts_below\": 0", "small_counts_below: expected" },
    { "finance", "", ROWS ", \"unmapped_columns\": \"drop\"", "unmapped_columns: expected one" },
    { "finance", "", LONG ", \"totals\": [\"year\"]", "need \"layout\": \"rows\"" },
    { "finance", "", LONG ", \"measures\": {\"m\": {\"aggregate\": \"count_rows\"}}",
      "measures.m: aggregate \"count_rows\" needs \"layout\": \"rows\"" },
    { "finance", "",
      "\"layout\": \"rows\", \"columns\": {\"period\": \"P\"}, \"constants\": {\"area\": \"0580\"},"
      " \"measures\": {\"n\": {\"aggregate\": \"count_people\", \"column\": \"Pnr\"}}",
      "measures.n: count_people needs \"column\": one of the mapping's personal_numbers" },
    { "finance", "",
      "\"layout\": \"rows\", \"columns\": {\"period\": \"P\"},"
      " \"constants\": {\"area\": \"0580\"}",
      "a row-level layout needs \"measures\"" },
};

static void test_job_mappings(void **state)
{
    char path[] = "/tmp/nyckel-job-XXXXXX";
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int fd = mkstemp(path);
        FILE *file = fdopen(fd, "w");
        nk_error err = { 0 };
        nk_job job;
        int rc;

        fprintf(file, job_template, cases[i].source_mapping, cases[i].aliases, cases[i].mapping);
        fclose(file);
        rc = nk_job_load(&job, path, &err);
        print_message("case %zu: %s\n", i, err.message);
        if (cases[i].error == NULL) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, -1);
            assert_int_equal(err.exit_code, NK_EXIT_CONFIG);
            assert_non_null(strstr(err.message, cases[i].error));
        }
        nk_job_free(&job);
        remove(path);
        strcpy(path, "/tmp/nyckel-job-XXXXXX");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_mappings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
