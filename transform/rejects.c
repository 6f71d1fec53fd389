/*
 * rejects.c: appending to RUN_DIR/transform/rejects.jsonl (see rejects.h).
 */
#include "rejects.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "files.h"

/* Long raw text is cut: the reject must point at the row, not copy a 100 MB field. */
#define RAW_LIMIT 1000

struct transform_rejects {
    char *path;
    FILE *stream;
    uint64_t count;
};

transform_rejects *transform_rejects_open(const char *path, nk_error *err)
{
    transform_rejects *rejects = calloc(1, sizeof *rejects);

    rejects->path = strdup(path);
    rejects->stream = fopen(path, "wb");
    if (rejects->stream == NULL) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", path, strerror(errno));
        free(rejects->path);
        free(rejects);
        return NULL;
    }
    return rejects;
}

/*
 * The raw text as a JSON string: cut at RAW_LIMIT bytes on a character
 * boundary, and with bytes that are not UTF-8 shown as \xNN, so that a
 * reject for a badly encoded row is still readable.
 */
static json_t *raw_text(const char *raw)
{
    size_t length = strlen(raw);
    json_t *text;

    if (length > RAW_LIMIT) {
        length = RAW_LIMIT;
        while (length > 0 && ((unsigned char)raw[length] & 0xC0) == 0x80)
            length--;
    }
    text = json_stringn(raw, length);
    if (text)
        return text;

    char *shown = malloc(4 * length + 1);
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c < 0x80)
            shown[n++] = (char)c;
        else
            n += (size_t)sprintf(shown + n, "\\x%02X", c);
    }
    text = json_stringn(shown, n);
    free(shown);
    return text;
}

int transform_reject(transform_rejects *rejects, transform_source *source, long line,
                     long column, const char *raw, const char *reason, nk_error *err)
{
    json_t *record = json_pack("{s:s, s:I, s:I, s:s}", "source", source->uri, "line",
                               (json_int_t)line, "column", (json_int_t)column, "reason", reason);
    char *encoded;

    json_object_set_new(record, "raw", raw ? raw_text(raw) : json_null());
    encoded = json_dumps(record, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(record);
    if (encoded == NULL || fprintf(rejects->stream, "%s\n", encoded) < 0) {
        free(encoded);
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", rejects->path, strerror(errno));
    }
    free(encoded);
    rejects->count++;
    source->counts.rows_read++;
    source->counts.rows_rejected++;
    return 0;
}

uint64_t transform_rejects_count(const transform_rejects *rejects)
{
    return rejects->count;
}

int transform_rejects_close(transform_rejects *rejects, nk_error *err)
{
    int rc = nk_fclose_checked(rejects->stream, rejects->path, err);

    free(rejects->path);
    free(rejects);
    return rc;
}
