/*
 * rejects.c: appending to RUN_DIR/transform/rejects.jsonl (see rejects.h),
 * and tallying the reasons, so that a run can say what it lost and why
 * without anyone reading the file.
 */
#include "transform/staged/rejects.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/pnr.h"
#include "lib/job/job_keys.h"

/* Long raw text is cut: the reject must point at the row, not copy a 100 MB field. */
#define RAW_LIMIT 1000

/* Distinct reasons tallied; past this, rejects still count but only under known reasons. */
#define REASONS_LIMIT 10000

struct transform_rejects {
    char *path;
    FILE *stream;
    uint64_t count;
    json_t *reasons; /* reason → {reason, rows, source, line, column} */
};

transform_rejects *transform_rejects_open(const char *path, nk_error *err)
{
    transform_rejects *rejects = calloc(1, sizeof *rejects);

    rejects->path = strdup(path);
    rejects->reasons = json_object();
    rejects->stream = fopen(path, "wb");
    if (rejects->stream == NULL) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", path, strerror(errno));
        free(rejects->path);
        json_decref(rejects->reasons);
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

/* Kolada rejects start "values[12]: ", which would make every reason unique. */
static const char *reason_key(const char *reason)
{
    size_t digits;

    if (strncmp(reason, "values[", 7) != 0)
        return reason;
    digits = strspn(reason + 7, "0123456789");
    return digits && strncmp(reason + 7 + digits, "]: ", 3) == 0 ? reason + 10 + digits : reason;
}

static void tally(transform_rejects *rejects, const transform_source *source, long line,
                  long column, const char *reason)
{
    const char *key = reason_key(reason);
    json_t *entry = json_object_get(rejects->reasons, key);

    if (entry) {
        json_object_set_new(entry, "rows",
                            json_integer(json_integer_value(json_object_get(entry, "rows")) + 1));
        return;
    }
    if (json_object_size(rejects->reasons) >= REASONS_LIMIT)
        return;
    json_object_set_new(rejects->reasons, key,
                        json_pack("{s:s, s:I, s:s, s:I, s:I}", "reason", key, "rows", (json_int_t)1,
                                  "source", source->uri, "line", (json_int_t)line, "column",
                                  (json_int_t)column));
}

/*
 * Readers keep personal numbers out of what they reject, but a reason or a
 * raw text quotes what it found: masking here is the last line, so that no
 * reader's slip puts a number into the rejects file or the reasons the
 * summary and the log repeat.
 */
static json_t *reject_record(const transform_source *source, long line, long column,
                             const char *raw, const char *safe_reason)
{
    char *safe_raw = raw ? nk_pnr_mask(raw) : NULL;
    json_t *record = json_pack("{s:s, s:I, s:I, s:s}", "source", source->uri, "line",
                               (json_int_t)line, "column", (json_int_t)column, "reason",
                               safe_reason);

    json_object_set_new(record, "raw", safe_raw ? raw_text(safe_raw) : json_null());
    free(safe_raw);
    return record;
}

int transform_reject(transform_rejects *rejects, transform_source *source, long line, long column,
                     const char *raw, const char *reason, nk_error *err)
{
    char *safe_reason = nk_pnr_mask(reason);
    json_t *record = safe_reason ? reject_record(source, line, column, raw, safe_reason) : NULL;
    char *encoded;

    encoded = record ? json_dumps(record, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(record);
    if (encoded == NULL || fprintf(rejects->stream, "%s\n", encoded) < 0) {
        free(encoded);
        free(safe_reason);
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", rejects->path, strerror(errno));
    }
    free(encoded);
    tally(rejects, source, line, column, safe_reason);
    free(safe_reason);
    rejects->count++;
    source->counts.rows_read++;
    source->counts.rows_rejected++;
    return 0;
}

uint64_t transform_rejects_count(const transform_rejects *rejects)
{
    return rejects->count;
}

typedef struct ranked {
    json_t *entry;
    size_t order; /* when the reason was first met: equal counts keep that order */
} ranked;

static int by_rows(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    json_int_t rx = json_integer_value(json_object_get(x->entry, "rows"));
    json_int_t ry = json_integer_value(json_object_get(y->entry, "rows"));

    if (rx != ry)
        return rx < ry ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order;
}

json_t *transform_rejects_reasons(const transform_rejects *rejects, size_t top)
{
    size_t count = json_object_size(rejects->reasons), n = 0;
    ranked *entries = calloc(count + 1, sizeof *entries);
    json_t *entry, *list = json_array();
    const char *key;

    json_object_foreach (rejects->reasons, key, entry) {
        entries[n].entry = entry;
        entries[n].order = n;
        n++;
    }
    nk_sort_items(entries, n, sizeof *entries, by_rows);
    for (size_t i = 0; i < n && i < top; i++)
        json_array_append(list, entries[i].entry);
    free(entries);
    return list;
}

/* The limit as text: the job's, or its key's default when the job sets none. */
static void limit_text(const json_t *limit, char out[32])
{
    if (!limit)
        snprintf(out, 32, "%s", nk_key_find(&nk_keys_transform, "max_rejects")->text_default);
    else if (json_is_string(limit))
        snprintf(out, 32, "%s", json_string_value(limit));
    else
        snprintf(out, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(limit));
}

int transform_rejects_over_limit(const nk_job *job, uint64_t rejected, uint64_t read,
                                 const json_t *reasons, nk_error *err)
{
    const json_t *limit = json_object_get(nk_job_section(job, "transform"), "max_rejects");
    char allowed[32], why[1400];
    int over;

    limit_text(limit, allowed);
    if (json_is_string(limit))
        over = read > 0 && 100.0 * (double)rejected / (double)read > strtod(allowed, NULL);
    else
        over = rejected > strtoull(allowed, NULL, 10);
    if (!over)
        return 0;
    nk_reject_reasons_describe(reasons, why, sizeof why);
    nk_fail(err, NK_EXIT_DATA,
            "%lu of %lu row(s) rejected, more than transform.max_rejects (%s%s): %s; "
            "see transform/rejects.jsonl",
            (unsigned long)rejected, (unsigned long)read, allowed, limit ? "" : ", the default",
            why);
    return 1;
}

int transform_rejects_close(transform_rejects *rejects, nk_error *err)
{
    int rc = nk_fclose_checked(rejects->stream, rejects->path, err);

    json_decref(rejects->reasons);
    free(rejects->path);
    free(rejects);
    return rc;
}
