/*
 * raw_archive.c: packing the raw zone and its manifest into one tar archive
 * and pruning old ones (see raw_archive.h).
 */
#include "raw_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit_codes.h"
#include "files.h"
#include "log.h"
#include "manifest.h"

static char *archive_dir(const extract_context *context, const json_t *settings)
{
    const char *given = json_string_value(json_object_get(settings, "dir"));
    char *copy, *dir, relative[300];

    if (given)
        return nk_job_resolve_path(context->job, given);
    copy = strdup(context->run->dir);
    snprintf(relative, sizeof relative, "archive/%s", context->job->name);
    dir = nk_path_join(dirname(copy), relative);
    free(copy);
    return dir;
}

static int add_file(struct archive *a, const char *path, const char *member, nk_error *err)
{
    char buffer[1 << 16];
    struct stat st;
    FILE *input = fopen(path, "rb");
    struct archive_entry *entry;
    size_t n;
    int rc = 0;

    if (input == NULL || fstat(fileno(input), &st) < 0) {
        if (input)
            fclose(input);
        return nk_fail(err, NK_EXIT_IOERR, "%s: cannot read for the raw archive: %s", path,
                       strerror(errno));
    }
    entry = archive_entry_new();
    archive_entry_set_pathname(entry, member);
    archive_entry_set_size(entry, st.st_size);
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, st.st_mtime, 0);
    if (archive_write_header(a, entry) != ARCHIVE_OK)
        rc = -1;
    while (rc == 0 && (n = fread(buffer, 1, sizeof buffer, input)) > 0)
        if (archive_write_data(a, buffer, n) != (la_ssize_t)n)
            rc = -1;
    if (rc < 0)
        nk_fail(err, NK_EXIT_IOERR, "%s: cannot add to the raw archive: %s", path,
                archive_error_string(a));
    else if (ferror(input))
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: read failed", path);
    archive_entry_free(entry);
    fclose(input);
    return rc;
}

typedef struct packing {
    struct archive *archive;
    const extract_context *context;
} packing;

static int add_listed(const json_t *file, size_t index, void *data, nk_error *err)
{
    const packing *p = data;
    const char *relative = json_string_value(json_object_get(file, "path"));
    char member[1100];
    char *path;
    int rc;

    if (relative == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s/manifest.json: files[%zu]: no path",
                       p->context->stage_dir, index);
    path = nk_path_join(p->context->stage_dir, relative);
    snprintf(member, sizeof member, "extract/%s", relative);
    rc = add_file(p->archive, path, member, err);
    free(path);
    return rc;
}

/* The files in manifest order, read back from the manifest just written. */
static int add_all(struct archive *a, const extract_context *context, nk_error *err)
{
    packing p = { a, context };
    char *manifest = nk_path_join(context->stage_dir, "manifest.json");
    json_t *header =
        nk_manifest_read(manifest, "files", add_listed, &p, NK_EXIT_SOFTWARE, NULL, err);
    int rc = header ? add_file(a, manifest, "extract/manifest.json", err) : -1;

    json_decref(header);
    free(manifest);
    return rc;
}

static int write_archive(const extract_context *context, const char *format, const char *path,
                         nk_error *err)
{
    struct archive *a = archive_write_new();
    int rc;

    archive_write_set_format_pax_restricted(a);
    if (strcmp(format, "tar.gz") == 0)
        archive_write_add_filter_gzip(a);
    else
        archive_write_add_filter_zstd(a);
    if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create the raw archive: %s", path,
                archive_error_string(a));
        archive_write_free(a);
        return -1;
    }
    rc = add_all(a, context, err);
    if (archive_write_close(a) != ARCHIVE_OK && rc == 0)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot finish the raw archive: %s", path,
                     archive_error_string(a));
    archive_write_free(a);
    return rc;
}

typedef struct old_archive {
    char *name;
    time_t mtime;
} old_archive;

static int newest_first(const void *a, const void *b)
{
    const old_archive *x = a, *y = b;

    if (x->mtime != y->mtime)
        return x->mtime > y->mtime ? -1 : 1;
    return strcmp(y->name, x->name);
}

static int is_raw_archive(const char *name)
{
    size_t n = strlen(name);

    return (n > 8 && strcmp(name + n - 8, ".tar.zst") == 0) ||
           (n > 7 && strcmp(name + n - 7, ".tar.gz") == 0);
}

/* Remove all but the newest keep archives of dir. */
static void prune(const char *dir, long keep)
{
    old_archive *list = NULL;
    size_t count = 0;
    struct dirent *entry;
    DIR *d = opendir(dir);
    int complete = 1;

    while (d && (entry = readdir(d)) != NULL) {
        struct stat st;
        char *path = nk_path_join(dir, entry->d_name);
        if (is_raw_archive(entry->d_name) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            old_archive *longer = realloc(list, (count + 1) * sizeof *list);
            if (longer == NULL) {
                /* A partial list could name a newer archive as old: prune nothing. */
                free(path);
                complete = 0;
                break;
            }
            list = longer;
            list[count].name = path;
            list[count++].mtime = st.st_mtime;
        } else {
            free(path);
        }
    }
    if (d)
        closedir(d);
    qsort(list, count, sizeof *list, newest_first);
    for (size_t i = 0; i < count; i++) {
        if (complete && i >= (size_t)keep) {
            if (unlink(list[i].name) == 0)
                nk_info("removed old raw archive %s", list[i].name);
        }
        free(list[i].name);
    }
    free(list);
}

int extract_raw_archive_pack(extract_context *context, nk_error *err)
{
    const json_t *settings = json_object_get(context->job->root, "raw_archive");
    const char *format = json_string_value(json_object_get(settings, "format"));
    const json_t *keep = json_object_get(settings, "keep");
    char name[200], temporary[220];
    char *dir, *path, *partial;
    int rc;

    if (format == NULL)
        format = "tar.zst";
    if (strcmp(format, "none") == 0)
        return 0;
    dir = archive_dir(context, settings);
    if (nk_mkdirs(dir, err) < 0) {
        free(dir);
        return -1;
    }
    snprintf(name, sizeof name, "%s.%s", context->run->run_id, format);
    snprintf(temporary, sizeof temporary, ".%s.partial", name);
    path = nk_path_join(dir, name);
    partial = nk_path_join(dir, temporary);
    rc = write_archive(context, format, partial, err);
    if (rc == 0 && rename(partial, path) < 0)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot rename to %s: %s", partial, path,
                     strerror(errno));
    if (rc < 0)
        unlink(partial);
    else {
        nk_info("raw zone packed into %s", path);
        prune(dir, keep ? (long)json_integer_value(keep) : EXTRACT_ARCHIVE_KEEP);
    }
    free(partial);
    free(path);
    free(dir);
    return rc;
}
