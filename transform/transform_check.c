/*
 * transform_check.c: nyckel-transform --check (see transform_check.h).  The exports are read
 * by the same code as in a run (export.c), into a scratch folder of mode
 * 700 (the rejects may quote cells) that is removed at the end.
 */
#include "transform/transform_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/archive_guard.h"
#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "transform/exports/export.h"
#include "transform/exports/export_mapping.h"
#include "lib/base/files.h"
#include "lib/job/job_files.h"
#include "lib/base/log.h"
#include "transform/staged/rejects.h"
#include "transform/staged/tables.h"

#define REASONS_LISTED 10

typedef struct check_state {
    transform_context context;
    char scratch[4096];
    uint64_t read;
    int problems;
} check_state;

/* One export file read as a run would; a failure (not a reject) is a problem. */
static void check_file(check_state *c, const json_t *source, const char *path, const char *uri,
                       nk_error *err)
{
    transform_source file = { 0 };
    nk_error failed = { 0, "" };

    file.path = path;
    file.uri = uri;
    file.source = json_string_value(json_object_get(source, "name"));
    file.settings = source;
    if (transform_export_read(&c->context, &file, &failed) < 0)
        c->problems -= nk_check_problem(err, failed.exit_code, "%s: %s", uri, failed.message);
    c->read += file.counts.rows_read;
    /* The log has them already; a check writes no manifest to keep them in. */
    json_decref(file.warnings);
}

static int write_member(void *user, const void *data, size_t length, nk_error *err)
{
    if (fwrite(data, 1, length, user) == length)
        return 0;
    return nk_fail(err, NK_EXIT_IOERR, "scratch copy: write failed: %s", strerror(errno));
}

/* Each wanted member, copied out through the archive guards, then read. */
static void check_archive(check_state *c, const json_t *source, const char *path, nk_error *err)
{
    nk_error failed = { 0, "" };
    nk_archive_limits limits;
    nk_archive_guard guard;
    struct archive_entry *entry;
    const char *member;
    char *copy = nk_path_join(c->scratch, "member"), *uri;
    int rc;

    nk_job_archive_limits(source, &limits);
    if (copy == NULL) {
        c->problems -= nk_check_problem(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
        return;
    }
    if (nk_archive_guard_open(&guard, path, &limits, &failed) < 0) {
        c->problems -= nk_check_problem(err, failed.exit_code, "%s", failed.message);
        free(copy);
        return;
    }
    while ((rc = nk_archive_guard_next(&guard, &entry, &member, &failed)) == 1) {
        FILE *out;
        if (!nk_job_wants_member(source, member))
            continue;
        if ((out = fopen(copy, "wb")) == NULL) {
            nk_fail(&failed, NK_EXIT_CANTCREATE, "%s: cannot create: %s", copy, strerror(errno));
            break;
        }
        rc = nk_archive_guard_copy(&guard, member, write_member, out, &failed);
        if (nk_fclose_checked(out, copy, &failed) < 0 || rc < 0)
            break;
        if (asprintf(&uri, "file://%s#%s", path, member) < 0) {
            nk_fail(&failed, NK_EXIT_SOFTWARE, "%s: %s: out of memory", path, member);
            break;
        }
        check_file(c, source, copy, uri, err);
        free(uri);
    }
    if (failed.message[0])
        c->problems -= nk_check_problem(err, failed.exit_code, "%s", failed.message);
    nk_archive_guard_close(&guard);
    unlink(copy);
    free(copy);
}

/*
 * A source with no file to read (extract names the path): its mapping's
 * files and constant municipality are still checked, as reading would.
 */
static void check_mapping(check_state *c, const json_t *source, const char *where, nk_error *err)
{
    const char *name = json_string_value(json_object_get(source, "mapping"));
    nk_error failed = { 0, "" };
    char code[5], why[TRANSFORM_AREA_REASON_MAX];
    transform_mapping mapping;
    const char *area;

    if (name == NULL || transform_mapping_load(c->context.job, name, &mapping, &failed) < 0) {
        if (name)
            c->problems -= nk_check_problem(err, failed.exit_code, "%s", failed.message);
        return;
    }
    area = mapping.constants[TRANSFORM_ROLE_AREA];
    if (area && transform_area_resolve(mapping.areas, area, code, why) != 1)
        c->problems -= nk_check_problem(err, NK_EXIT_DATA, "%s: mapping \"%s\": constants.area: %s",
                                        where, name, why);
    transform_mapping_free(&mapping);
}

static void check_source(check_state *c, const json_t *source, const char *where, nk_error *err)
{
    nk_error missing = { 0, "" };
    nk_path_list files;

    if (nk_job_find_files(c->context.job, json_object_get(source, "paths"), where, &files,
                          &missing) < 0) {
        nk_debug("check: %s: not read: %s", where, missing.message);
        check_mapping(c, source, where, err);
        return;
    }
    for (size_t i = 0; i < files.count; i++) {
        char *uri;
        if (nk_is_archive(files.paths[i])) {
            check_archive(c, source, files.paths[i], err);
        } else if (asprintf(&uri, "file://%s", files.paths[i]) < 0) {
            c->problems -= nk_check_problem(err, NK_EXIT_SOFTWARE, "%s: out of memory",
                                            files.paths[i]);
        } else {
            check_file(c, source, files.paths[i], uri, err);
            free(uri);
        }
    }
    nk_path_list_free(&files);
}

/* What a run would reject: problems past max_rejects, warnings within it. */
static void judge_rejects(check_state *c, nk_error *err)
{
    uint64_t rejected = transform_rejects_count(c->context.rejects);
    json_t *reasons = transform_rejects_reasons(c->context.rejects, REASONS_LISTED), *reason;
    nk_error over = { 0, "" };
    int fails = transform_rejects_over_limit(c->context.job, rejected, c->read, reasons, &over);
    char text[1000];
    size_t i;

    json_array_foreach (reasons, i, reason) {
        nk_reject_reason_text(reason, text, sizeof text);
        if (fails)
            c->problems -= nk_check_problem(err, NK_EXIT_DATA, "a run would reject %s", text);
        else
            nk_warn("check: a run would reject %s (within transform.max_rejects)", text);
    }
    if (rejected)
        nk_log(fails ? NK_LOG_ERROR : NK_LOG_WARN, "check: %lu of %lu row(s) would be rejected",
               (unsigned long)rejected, (unsigned long)c->read);
    json_decref(reasons);
}

static int open_scratch(check_state *c, nk_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char *rejects;

    snprintf(c->scratch, sizeof c->scratch, "%s/nyckel-check.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(c->scratch) == NULL)
        return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", c->scratch,
                       strerror(errno));
    if ((c->context.tables = transform_tables_open(c->scratch)) == NULL) {
        rmdir(c->scratch);
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory opening the staged tables",
                       c->scratch);
    }
    rejects = nk_path_join(c->scratch, "rejects.jsonl");
    c->context.rejects = transform_rejects_open(rejects, err);
    free(rejects);
    if (c->context.rejects == NULL) {
        transform_tables_abandon(c->context.tables);
        rmdir(c->scratch);
        return -1;
    }
    c->context.dimensions = json_object();
    return 0;
}

static void close_scratch(check_state *c)
{
    nk_error ignored = { 0, "" };
    char *rejects = nk_path_join(c->scratch, "rejects.jsonl");

    transform_tables_abandon(c->context.tables);
    transform_rejects_close(c->context.rejects, &ignored);
    json_decref(c->context.dimensions);
    unlink(rejects);
    free(rejects);
    rmdir(c->scratch);
}

int transform_check(const nk_job *job, nk_error *err)
{
    check_state c;
    char where[64];
    size_t i;
    json_t *source;

    memset(&c, 0, sizeof c);
    c.context.job = job;
    if (open_scratch(&c, err) < 0)
        return -1;
    json_array_foreach (nk_job_section(job, "extract"), i, source) {
        snprintf(where, sizeof where, "extract[%zu]", i);
        if (strcmp(json_string_value(json_object_get(source, "type")), "files") == 0)
            check_source(&c, source, where, err);
    }
    judge_rejects(&c, err);
    close_scratch(&c);
    return nk_check_finish("transform", c.problems, err);
}
