/*
 * manifest_writer.c: writing a manifest whose array is streamed from a file
 * of entries, one compact JSON object a line (see manifest.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/rundir/manifest.h"

struct nk_manifest_writer {
    char *path;         /* the manifest */
    char *entries_path; /* path + ".entries" */
    char *array_name;
    FILE *entries;
    size_t count;
};

nk_manifest_writer *nk_manifest_writer_open(const char *path, const char *array_name, nk_error *err)
{
    nk_manifest_writer *writer = calloc(1, sizeof *writer);

    if (writer == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
        return NULL;
    }
    writer->path = strdup(path);
    writer->entries_path = nk_path_with_suffix(path, ".entries");
    writer->array_name = strdup(array_name);
    if (writer->path == NULL || writer->entries_path == NULL || writer->array_name == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
        nk_manifest_writer_free(writer);
        return NULL;
    }
    writer->entries = fopen(writer->entries_path, "w+");
    if (writer->entries == NULL) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s.entries: cannot create: %s", path, strerror(errno));
        nk_manifest_writer_free(writer);
        return NULL;
    }
    return writer;
}

int nk_manifest_writer_add(nk_manifest_writer *writer, const json_t *entry, nk_error *err)
{
    if (!json_is_object(entry))
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: manifest entry %zu is not an object",
                       writer->path, writer->count);
    /* Compact output escapes every newline inside strings: one entry, one line. */
    errno = 0;
    if (json_dumpf(entry, writer->entries, JSON_COMPACT | JSON_SORT_KEYS) < 0 ||
        fputc('\n', writer->entries) == EOF)
        return errno == ENOMEM
                   ? nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", writer->entries_path)
                   : nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", writer->entries_path,
                             strerror(errno));
    writer->count++;
    return 0;
}

size_t nk_manifest_writer_count(const nk_manifest_writer *writer)
{
    return writer->count;
}

void nk_manifest_writer_free(nk_manifest_writer *writer)
{
    if (writer == NULL)
        return;
    if (writer->entries)
        fclose(writer->entries);
    if (writer->entries_path)
        unlink(writer->entries_path);
    free(writer->entries_path);
    free(writer->array_name);
    free(writer->path);
    free(writer);
}

/* ---- the manifest ------------------------------------------------------ */

/* Nested values are indented one level more than json_dump's own output. */
static int indented(const char *buffer, size_t size, void *data)
{
    FILE *out = data;

    for (size_t i = 0; i < size; i++) {
        if (fputc(buffer[i], out) == EOF)
            return -1;
        if (buffer[i] == '\n' && fputs("  ", out) == EOF)
            return -1;
    }
    return 0;
}

static int write_key(FILE *out, const char *key, int first)
{
    json_t *name = json_string(key);
    int rc = fputs(first ? "\n  " : ",\n  ", out) == EOF ? -1 : 0;

    if (rc == 0)
        rc = json_dumpf(name, out, JSON_ENCODE_ANY);
    json_decref(name);
    return rc == 0 && fputs(": ", out) != EOF ? 0 : -1;
}

static int write_member(FILE *out, const char *key, const json_t *value, int first)
{
    if (write_key(out, key, first) < 0)
        return -1;
    return json_dump_callback(value, indented, out,
                              JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

/* The entries file, line by line, as the array's elements. */
static int write_array(nk_manifest_writer *writer, FILE *out, int first)
{
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    int rc = 0;

    if (write_key(out, writer->array_name, first) < 0 || fflush(writer->entries) != 0 ||
        fseek(writer->entries, 0, SEEK_SET) != 0)
        return -1;
    if (writer->count == 0)
        return fputs("[]", out) == EOF ? -1 : 0;
    fputc('[', out);
    for (size_t i = 0; rc == 0 && (length = getline(&line, &size, writer->entries)) > 0; i++) {
        if (line[length - 1] == '\n')
            line[--length] = '\0';
        rc = fprintf(out, "%s\n    %s", i ? "," : "", line) < 0 ? -1 : 0;
    }
    free(line);
    if (rc == 0 && ferror(writer->entries))
        rc = -1;
    return rc == 0 && fputs("\n  ]", out) != EOF ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Header members and the array, all in key order, as JSON_SORT_KEYS would. */
static int write_members(nk_manifest_writer *writer, const json_t *header, FILE *out)
{
    size_t count = json_object_size(header), n = 0;
    const char **keys = calloc(count + 1, sizeof *keys);
    const char *key;
    json_t *value;
    int rc = keys ? 0 : -1, written = 0, array_done = 0;

    json_object_foreach ((json_t *)header, key, value)
        if (keys)
            keys[n++] = key;
    nk_sort_items(keys, n, sizeof *keys, by_name);
    for (size_t i = 0; rc == 0 && i <= n; i++) {
        if (!array_done && (i == n || strcmp(writer->array_name, keys[i]) < 0)) {
            rc = write_array(writer, out, written++ == 0);
            array_done = 1;
        }
        if (rc == 0 && i < n)
            rc = write_member(out, keys[i], json_object_get(header, keys[i]), written++ == 0);
    }
    free(keys);
    return rc == 0 && fputs("\n}\n", out) != EOF ? 0 : -1;
}

typedef struct finishing {
    nk_manifest_writer *writer;
    const json_t *header;
} finishing;

static int write_manifest(FILE *out, void *data)
{
    const finishing *f = data;

    return fputc('{', out) == EOF ? -1 : write_members(f->writer, f->header, out);
}

int nk_manifest_writer_finish(nk_manifest_writer *writer, const json_t *header, nk_error *err)
{
    finishing f = { writer, header };

    if (json_object_get(header, writer->array_name))
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: the header repeats the member \"%s\"",
                       writer->path, writer->array_name);
    return nk_write_atomic(writer->path, write_manifest, &f, err);
}
