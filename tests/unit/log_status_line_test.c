/*
 * log_status_line_test.c: unit tests of lib/base/log.c with lib/base/progress_bar.c on
 * a terminal (a pseudo-terminal as stderr): a log line written while a bar
 * is drawn clears the bar first and draws it again after itself, so the
 * line stands alone and the bar stays last; and in JSON a line's fields
 * are members of its record.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/base/log.h"
#include "lib/base/progress_bar.h"

/* stderr becomes a pseudo-terminal's far end; returns the near end, to read. */
static int stderr_to_terminal(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    int slave;

    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    assert_true(dup2(slave, STDERR_FILENO) >= 0);
    close(slave);
    return master;
}

static void read_all(int fd, char *out, size_t size)
{
    size_t used = 0;
    ssize_t n;

    fcntl(fd, F_SETFL, O_NONBLOCK);
    while (used + 1 < size && (n = read(fd, out + used, size - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
}

static void a_log_line_does_not_break_the_bar(void **state)
{
    int saved = dup(STDERR_FILENO), terminal = stderr_to_terminal();
    char seen[4096];
    nk_progress *bar;
    const char *line;

    (void)state;
    nk_log_init("nyckel-transform");
    nk_log_set_format(NK_LOG_TEXT);
    bar = nk_progress_start("transform", "pages", 10, "rows");
    assert_non_null(bar);
    nk_progress_set(bar, 5, 100);
    nk_info("a line in the middle");
    nk_progress_finish(bar);
    nk_info("a line after");
    dup2(saved, STDERR_FILENO);
    close(saved);
    read_all(terminal, seen, sizeof seen);
    close(terminal);

    line = strstr(seen, " nyckel-transform info  a line in the middle");
    assert_non_null(line);
    /* The bar was cleared right before the line's time stamp (hh:mm:ss) ... */
    assert_true(line - seen >= 12);
    assert_memory_equal(line - 12, "\r\033[K", 4);
    /* ... and drawn again after it, before the bar was finished. */
    assert_non_null(strstr(line, "\ntransform [############............] 5/10 pages"));
    /* Once finished, nothing clears or redraws around a line. */
    line = strstr(seen, "a line after");
    assert_non_null(line);
    assert_null(strstr(line, "transform ["));
}

static void json_fields_join_the_record(void **state)
{
    char path[] = "/tmp/nyckel-log-test.XXXXXX";
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    char seen[1024];
    ssize_t n;

    (void)state;
    assert_true(fd >= 0);
    dup2(fd, STDERR_FILENO);
    nk_log_set_format(NK_LOG_JSON);
    nk_log_fields(NK_LOG_INFO, json_pack("{s:s, s:i}", "table", "dim_kpi", "rows_inserted", 3),
                  "dim_kpi: %d inserted", 3);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    n = pread(fd, seen, sizeof seen - 1, 0);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    seen[n] = '\0';
    assert_non_null(strstr(seen, "\"message\":\"dim_kpi: 3 inserted\""));
    assert_non_null(strstr(seen, "\"table\":\"dim_kpi\""));
    assert_non_null(strstr(seen, "\"rows_inserted\":3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_log_line_does_not_break_the_bar),
        cmocka_unit_test(json_fields_join_the_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
