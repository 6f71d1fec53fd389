/*
 * job_test.c: unit tests of the job-file reader (lib/job.c and the section
 * checkers): a good job loads, and each kind of mistake is reported with
 * file, line, column and key path; a personal identity number in the job's
 * texts is refused without being quoted; a signal during the check stops it.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/exit_codes.h"
#include "lib/base/interrupt.h"
#include "lib/job/job.h"
#include "lib/job/json_locate.h"

static char job_path[64];

/* Write text to a fresh temporary job file and load it. */
static int load_text(const char *text, nk_job *job, nk_error *err)
{
    snprintf(job_path, sizeof job_path, "/tmp/nyckel-job-test-XXXXXX");
    int fd = mkstemp(job_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    memset(err, 0, sizeof *err);
    int rc = nk_job_load(job, job_path, err);
    unlink(job_path);
    return rc;
}

/* The error message with the temporary file name replaced by "JOB". */
static const char *message_of(const nk_error *err)
{
    static char message[NK_ERROR_MAX];
    const char *at = strstr(err->message, job_path);

    if (at == NULL)
        return err->message;
    snprintf(message, sizeof message, "JOB%s", at + strlen(job_path));
    return message;
}

static void expect_error(const char *text, int exit_code, const char *message)
{
    nk_job job;
    nk_error err;

    assert_int_equal(load_text(text, &job, &err), -1);
    assert_int_equal(err.exit_code, exit_code);
    assert_string_equal(message_of(&err), message);
    nk_job_free(&job);
}

static void good_job_loads(void **state)
{
    (void)state;
    nk_job job;
    nk_error err;

    assert_int_equal(load_text("{\"name\": \"demo\", \"extract\": [{\"name\": \"k\", \"type\": "
                               "\"kolada-files\", \"paths\": [\"*.json\"]}],\n"
                               " \"transform\": {\"max_rejects\": \"0.5%\"},\n"
                               " \"warehouse\": {\"conninfo\": \"dbname=dw\", \"lock\": \"wait\"}}",
                               &job, &err),
                     0);
    assert_string_equal(job.name, "demo");
    assert_non_null(nk_job_section(&job, "extract"));
    nk_job_free(&job);
}

static void malformed_json_names_line_and_column(void **state)
{
    (void)state;
    expect_error("{\n  \"name\": \"demo\",\n  \"extract\": [\n}\n", NK_EXIT_CONFIG,
                 "JOB:4:1: invalid JSON: unexpected token near '}'");
}

static void unknown_key_is_located(void **state)
{
    (void)state;
    expect_error(
        "{\"name\": \"demo\",\n \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\",\n"
        "   \"paths\": [\"x\"], \"colour\": 1}]}",
        NK_EXIT_CONFIG, "JOB:3:30: extract[0].colour: unknown key");
}

static void missing_required_key_points_at_its_object(void **state)
{
    (void)state;
    expect_error(
        "{\"name\": \"demo\",\n \"extract\": [\n   {\"name\": \"k\", \"type\": \"kolada-files\"}]}",
        NK_EXIT_CONFIG, "JOB:3:4: extract[0].paths: required key is missing");
    expect_error("{\"extract\": []}", NK_EXIT_CONFIG, "JOB:1:1: name: required key is missing");
}

static void wrong_type_says_what_was_found(void **state)
{
    (void)state;
    expect_error(
        "{\"name\": \"demo\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\",\n"
        "  \"paths\": true}]}",
        NK_EXIT_CONFIG,
        "JOB:2:12: extract[0].paths: expected a non-empty list of strings, found true");
    expect_error(
        "{\"name\": \"demo\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\",\n"
        "  \"paths\": [\"a\", 7]}]}",
        NK_EXIT_CONFIG,
        "JOB:2:18: extract[0].paths[1]: expected a non-empty string, found the number 7");
    expect_error("{\"name\": \"Demo Job\", \"extract\": []}", NK_EXIT_CONFIG,
                 "JOB:1:10: name: expected a job name of lower-case letters, digits, '-' and "
                 "'_', found a string \"Demo Job\"");
}

static void unknown_source_type_lists_known_types(void **state)
{
    (void)state;
    nk_job job;
    nk_error err;

    assert_int_equal(
        load_text("{\"name\": \"demo\", \"extract\": [{\"name\": \"k\", \"type\": \"ftp\"}]}", &job,
                  &err),
        -1);
    assert_int_equal(err.exit_code, NK_EXIT_CONFIG);
    assert_non_null(strstr(err.message, ":1:52: extract[0].type: expected a source type: one of"));
    assert_non_null(strstr(err.message, "\"kolada-files\""));
    assert_non_null(strstr(err.message, "found a string \"ftp\""));
    nk_job_free(&job);
}

static void duplicate_keys_and_source_names_are_errors(void **state)
{
    (void)state;
    expect_error("{\"name\": \"a\", \"name\": \"b\", \"extract\": []}", NK_EXIT_CONFIG,
                 "JOB:1:20: invalid JSON: duplicate object key near '\"name\"'");
    expect_error("{\"name\": \"d\", \"extract\": [\n"
                 " {\"name\": \"k\", \"type\": \"kolada-files\", \"paths\": [\"x\"]},\n"
                 " {\"name\": \"k\", \"type\": \"kolada-files\", \"paths\": [\"y\"]}]}",
                 NK_EXIT_CONFIG, "JOB:3:11: extract[1].name: source name \"k\" is used twice");
}

static void password_in_conninfo_is_refused(void **state)
{
    (void)state;
    expect_error(
        "{\"name\": \"d\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\", "
        "\"paths\": [\"x\"]}],\n \"warehouse\": {\"conninfo\": \"dbname=dw password=secret\"}}",
        NK_EXIT_CONFIG,
        "JOB:2:28: warehouse.conninfo: must not contain a password: put it in ~/.pgpass or a "
        "service file");
}

static void lock_timeout_is_whole_seconds(void **state)
{
    (void)state;
    expect_error("{\"name\": \"d\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\", "
                 "\"paths\": [\"x\"]}],\n \"warehouse\": {\"lock_timeout\": 0}}",
                 NK_EXIT_CONFIG,
                 "JOB:2:32: warehouse.lock_timeout: expected a whole number from 1 to 86400, "
                 "found the number 0");
    expect_error("{\"name\": \"d\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\", "
                 "\"paths\": [\"x\"]}],\n \"warehouse\": {\"lock_timeout\": \"5min\"}}",
                 NK_EXIT_CONFIG,
                 "JOB:2:32: warehouse.lock_timeout: expected a whole number from 1 to 86400, "
                 "found a string \"5min\"");
}

static void bad_reject_threshold(void **state)
{
    (void)state;
    expect_error("{\"name\": \"d\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\", "
                 "\"paths\": [\"x\"]}], \"transform\": {\"max_rejects\": \"lots\"}}",
                 NK_EXIT_CONFIG,
                 "JOB:1:112: transform.max_rejects: expected a count like 10 or a percentage like "
                 "\"0.5%\", found a string \"lots\"");
}

/* A "files" source with covers (docs/jobs.md) and the mapping it names. */
static int load_covers(const char *covers, nk_job *job, nk_error *err)
{
    char text[1024];

    snprintf(text, sizeof text,
             "{\"name\": \"d\", \"extract\": [{\"name\": \"f\", \"type\": \"files\", "
             "\"paths\": [\"x\"], \"mapping\": \"m\", \"covers\": %s}]}",
             covers);
    return load_text(text, job, err);
}

static void covers_accepts_words_and_lists(void **state)
{
    static const char *const good[] = {
        "\"nothing\"",
        "{}",
        "{\"periods\": \"file\"}",
        "{\"periods\": [\"2024\", \"2023-12\"], \"units\": \"all\"}",
        "{\"measures\": [\"nettokostnad\"], \"scenarios\": \"file\"}",
    };
    nk_job job;
    nk_error err;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(load_covers(good[i], &job, &err), 0);
        nk_job_free(&job);
    }
}

static void covers_refuses_what_it_cannot_read(void **state)
{
    static const char *const bad[][2] = {
        { "\"everything\"", "extract[0].covers: expected \"nothing\" or an object" },
        { "{\"period\": \"file\"}", "extract[0].covers.period: unknown key" },
        { "{\"periods\": \"some\"}", "extract[0].covers.periods: expected \"file\"" },
        { "{\"units\": []}", "extract[0].covers.units" },
    };
    nk_job job;
    nk_error err;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(load_covers(bad[i][0], &job, &err), -1);
        assert_int_equal(err.exit_code, NK_EXIT_CONFIG);
        if (strstr(err.message, bad[i][1]) == NULL)
            fail_msg("covers %s: \"%s\" lacks \"%s\"", bad[i][0], err.message, bad[i][1]);
        nk_job_free(&job);
    }
}

static void missing_file_is_noinput(void **state)
{
    (void)state;
    nk_job job;
    nk_error err = { 0 };

    assert_int_equal(nk_job_load(&job, "/nonexistent/job.json", &err), -1);
    assert_int_equal(err.exit_code, NK_EXIT_NOINPUT);
    assert_string_equal(err.message,
                        "/nonexistent/job.json: cannot open job file: No such file or directory");
    nk_job_free(&job);
}

static void locator_counts_characters_not_bytes(void **state)
{
    (void)state;
    const char *text = "{\"titel\": \"Linköping\", \"år\": [1, {\"x\": 2}]}";
    int line, column;

    assert_int_equal(nk_json_locate(text, strlen(text), "år[1].x", &line, &column), 0);
    assert_int_equal(line, 1);
    assert_int_equal(column, 40);
    assert_int_equal(nk_json_locate(text, strlen(text), "nope.deeper", &line, &column), -1);
}

/* ${NAME} in strings comes from the environment; "$${" is a literal "${". */
static void environment_variables_expand(void **state)
{
    nk_job job;
    nk_error err;
    const json_t *source;

    (void)state;
    setenv("NYCKEL_TEST_EXPORTS", "/srv/exports", 1);
    assert_int_equal(load_text("{\"name\": \"x\", \"description\": \"cost in $${SEK} $5\",\n"
                               " \"extract\": [{\"name\": \"a\", \"type\": \"files\",\n"
                               "  \"paths\": [\"${NYCKEL_TEST_EXPORTS}/*.csv\"]}]}",
                               &job, &err),
                     0);
    source = json_array_get(json_object_get(job.root, "extract"), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(source, "paths"), 0)),
                        "/srv/exports/*.csv");
    assert_string_equal(json_string_value(json_object_get(job.root, "description")),
                        "cost in ${SEK} $5");
    nk_job_free(&job);
}

static void unset_environment_variable_is_located(void **state)
{
    (void)state;
    unsetenv("NYCKEL_TEST_UNSET");
    expect_error(
        "{\"name\": \"x\",\n \"extract\": [{\"name\": \"a\", \"type\": \"files\",\n"
        "  \"paths\": [\"in\", \"${NYCKEL_TEST_UNSET}/x\"]}]}",
        NK_EXIT_CONFIG,
        "JOB:3:19: extract[0].paths[1]: environment variable NYCKEL_TEST_UNSET is not set");
    expect_error("{\"name\": \"x\", \"run_root\": \"${not closed\", \"extract\": []}",
                 NK_EXIT_CONFIG,
                 "JOB:1:27: run_root: expected ${NAME} with NAME of letters, digits and '_' "
                 "(\"$${\" for a literal \"${\"), found \"${not closed\"");
}

static void personal_numbers_in_texts_are_refused(void **state)
{
    (void)state;
    expect_error("{\"name\": \"x\", \"description\": \"För 121212-1212\",\n"
                 " \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\","
                 " \"paths\": [\"a\"]}]}",
                 NK_EXIT_CONFIG,
                 "JOB:1:30: description: holds a personal identity number: no text in a job may");
    expect_error(
        "{\"name\": \"x\", \"extract\": [{\"name\": \"k\", \"type\": \"kolada-files\",\n"
        " \"paths\": [\"a\"]}], \"transform\": {\"aliases\": {\"121212 1212\":"
        " \"0580\"}}}",
        NK_EXIT_CONFIG,
        "JOB:2:45: transform.aliases: a key holds a personal identity number: no text in a "
        "job may");
}

static void (*signal_action(int signo))(int)
{
    struct sigaction action;

    sigaction(signo, NULL, &action);
    return action.sa_handler;
}

/* Last: a noted signal stays noted, as it does in a program. */
static void a_signal_during_the_check_stops_it(void **state)
{
    (void)state;
    nk_job job;
    nk_error err;
    /* Not SIG_DFL for sure: a shell starts a background job with SIGINT ignored. */
    void (*term_before)(int) = signal_action(SIGTERM);
    void (*int_before)(int) = signal_action(SIGINT);

    nk_interrupt_record(SIGTERM);
    assert_int_equal(load_text("{\"name\": \"x\", \"extract\": [{\"name\": \"k\", \"type\": "
                               "\"kolada-files\", \"paths\": [\"a\"]}]}",
                               &job, &err),
                     -1);
    assert_int_equal(err.exit_code, NK_EXIT_INTERRUPTED);
    assert_string_equal(err.message,
                        "interrupted by SIGTERM during the job check; nothing was started");
    /* The check noted signals only while it ran: after it they act as before. */
    assert_true(signal_action(SIGTERM) == term_before);
    assert_true(signal_action(SIGINT) == int_before);
    nk_job_free(&job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_job_loads),
        cmocka_unit_test(malformed_json_names_line_and_column),
        cmocka_unit_test(unknown_key_is_located),
        cmocka_unit_test(missing_required_key_points_at_its_object),
        cmocka_unit_test(wrong_type_says_what_was_found),
        cmocka_unit_test(unknown_source_type_lists_known_types),
        cmocka_unit_test(duplicate_keys_and_source_names_are_errors),
        cmocka_unit_test(password_in_conninfo_is_refused),
        cmocka_unit_test(lock_timeout_is_whole_seconds),
        cmocka_unit_test(bad_reject_threshold),
        cmocka_unit_test(covers_accepts_words_and_lists),
        cmocka_unit_test(covers_refuses_what_it_cannot_read),
        cmocka_unit_test(missing_file_is_noinput),
        cmocka_unit_test(locator_counts_characters_not_bytes),
        cmocka_unit_test(environment_variables_expand),
        cmocka_unit_test(unset_environment_variable_is_located),
        cmocka_unit_test(personal_numbers_in_texts_are_refused),
        cmocka_unit_test(a_signal_during_the_check_stops_it),
    };
    return cmocka_run_group_tests_name("job file reader", tests, NULL, NULL);
}
