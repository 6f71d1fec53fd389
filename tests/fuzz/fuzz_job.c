/*
 * fuzz_job.c: libFuzzer harness for the job-file reader (lib/job/job.c and the
 * section checkers) and for json_locate, which every job error goes through.
 *
 * Whatever the bytes, loading must end in success or in one error line with
 * an exit code of 78 (invalid) -- never a crash, and never a success that
 * leaves the job without a name.
 */
#include "tests/fuzz/fuzz_support.h"

#include "lib/base/exit_codes.h"
#include "lib/job/job.h"
#include "lib/job/json_locate.h"

/* Paths that job errors look up, reaching into each section. */
static const char *const locate_paths[] = {
    "",
    "name",
    "extract",
    "extract[0]",
    "extract[0].years",
    "extract[1].paths[2]",
    "transform.max_rejects",
    "load",
    "warehouse.schema",
    "values[0]",
    "a.b[3].c",
};

static void check_locate(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof locate_paths / sizeof locate_paths[0]; i++) {
        int line = 0, column = 0;
        size_t start = 0, end = 0;

        if (nk_json_locate((const char *)data, size, locate_paths[i], &line, &column) == 0)
            fuzz_check(line >= 1 && column >= 1);
        if (nk_json_span((const char *)data, size, locate_paths[i], &start, &end) == 0)
            fuzz_check(start <= end && end <= size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("job.json", data, size);
    nk_error err = { 0 };
    nk_job job;

    if (nk_job_load(&job, path, &err) == 0) {
        fuzz_check(job.name != NULL && job.name[0] != '\0');
        fuzz_check(nk_job_section(&job, "extract") != NULL);
    } else {
        fuzz_check(err.exit_code == NK_EXIT_CONFIG);
        fuzz_check(err.message[0] != '\0' && strchr(err.message, '\n') == NULL);
    }
    nk_job_free(&job);
    check_locate(data, size);
    return 0;
}
