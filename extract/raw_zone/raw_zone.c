/*
 * raw_zone.c: streaming received bytes into the raw zone (see raw_zone.h).
 */
#include "extract/raw_zone/raw_zone.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "extract/raw_zone/raw_archive.h"

int extract_raw_open(extract_context *context, const char *source, const char *ext,
                     extract_raw_file *raw, nk_error *err)
{
    char relative[512];

    memset(raw, 0, sizeof *raw);
    snprintf(relative, sizeof relative, "raw/%s", source);
    char *dir = nk_path_join(context->stage_dir, relative);
    int made = nk_mkdirs(dir, err);
    free(dir);
    if (made < 0)
        return -1;
    context->file_count++;
    snprintf(relative, sizeof relative, "raw/%s/%06u.%s", source, context->file_count, ext);
    raw->relative = strdup(relative);
    raw->path = nk_path_join(context->stage_dir, relative);
    raw->stream = fopen(raw->path, "wb");
    if (raw->stream == NULL) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", raw->path, strerror(errno));
        free(raw->relative);
        free(raw->path);
        return -1;
    }
    if ((raw->buffer = malloc(EXTRACT_RAW_BUFFER)) != NULL)
        setvbuf(raw->stream, raw->buffer, _IOFBF, EXTRACT_RAW_BUFFER);
    raw->sha = nk_sha256_new();
    nk_now_utc(raw->fetched_at);
    return 0;
}

int extract_raw_write(extract_raw_file *raw, const void *data, size_t length, nk_error *err)
{
    if (length && fwrite(data, 1, length, raw->stream) != length)
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", raw->path, strerror(errno));
    nk_sha256_update(raw->sha, data, length);
    raw->size += length;
    return 0;
}

static void release(extract_raw_file *raw)
{
    free(raw->buffer);
    free(raw->path);
    free(raw->relative);
    memset(raw, 0, sizeof *raw);
}

void extract_raw_abandon(extract_raw_file *raw)
{
    char hex[65];

    if (raw->stream)
        fclose(raw->stream);
    if (raw->sha)
        nk_sha256_finish(raw->sha, hex);
    if (raw->path)
        unlink(raw->path);
    release(raw);
}

int extract_raw_commit(extract_context *context, extract_raw_file *raw, const char *source,
                       const char *uri, json_t *details, nk_error *err)
{
    char hex[65];
    json_t *entry;

    nk_sha256_finish(raw->sha, hex);
    raw->sha = NULL;
    if (nk_fclose_checked(raw->stream, raw->path, err) < 0) {
        raw->stream = NULL;
        extract_raw_abandon(raw);
        json_decref(details);
        return -1;
    }
    raw->stream = NULL;
    entry = details ? details : json_object();
    json_object_set_new(entry, "path", json_string(raw->relative));
    json_object_set_new(entry, "source", json_string(source));
    json_object_set_new(entry, "uri", json_string(uri));
    json_object_set_new(entry, "sha256", json_string(hex));
    json_object_set_new(entry, "size", json_integer((json_int_t)raw->size));
    json_object_set_new(entry, "fetched_at", json_string(raw->fetched_at));
    int rc = nk_manifest_writer_add(context->manifest, entry, err);
    if (rc == 0)
        rc = extract_raw_archive_add(context, raw->relative, err);
    json_decref(entry);
    release(raw);
    return rc;
}

static const char *extension_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');

    return (dot && dot[1]) ? dot + 1 : "bin";
}

int extract_raw_copy_file(extract_context *context, const char *source, const char *path,
                          json_t *details, nk_error *err)
{
    char buffer[1 << 16], uri[4200];
    extract_raw_file raw;
    FILE *input = fopen(path, "rb");
    size_t n;

    if (input == NULL) {
        json_decref(details);
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    }
    if (extract_raw_open(context, source, extension_of(path), &raw, err) < 0) {
        fclose(input);
        json_decref(details);
        return -1;
    }
    while ((n = fread(buffer, 1, sizeof buffer, input)) > 0) {
        if (extract_raw_write(&raw, buffer, n, err) < 0)
            break;
    }
    if (err->exit_code == 0 && ferror(input))
        nk_fail(err, NK_EXIT_IOERR, "%s: read failed: %s", path, strerror(errno));
    fclose(input);
    if (err->exit_code != 0) {
        extract_raw_abandon(&raw);
        json_decref(details);
        return -1;
    }
    snprintf(uri, sizeof uri, "file://%s", path);
    return extract_raw_commit(context, &raw, source, uri, details, err);
}
