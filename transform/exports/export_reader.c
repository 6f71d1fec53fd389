/*
 * export_reader.c: CSV or XLSX rows of an export file (see export_reader.h).
 */
#include "transform/exports/export_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RAW_PIECE 65536

static int is_xlsx(const transform_mapping *mapping, const char *path)
{
    size_t length = strlen(path);

    if (mapping->format != TRANSFORM_FORMAT_BY_NAME)
        return mapping->format == TRANSFORM_FORMAT_XLSX;
    return length > 5 && strcasecmp(path + length - 5, ".xlsx") == 0;
}

/* "auto": valid UTF-8 from start to end, else Windows-1252. */
static transform_encoding sniff_file(FILE *file)
{
    transform_sniffer *sniffer = transform_sniffer_new();
    char piece[RAW_PIECE];
    size_t n;

    while ((n = fread(piece, 1, sizeof piece, file)) > 0)
        transform_sniffer_feed(sniffer, piece, n);
    rewind(file);
    return transform_sniffer_finish(sniffer);
}

static ssize_t read_decoded(void *context, char *buffer, size_t size,
                            char reason[TRANSFORM_ROW_REASON_MAX])
{
    transform_export_reader *r = context;
    char piece[RAW_PIECE], why[TRANSFORM_ENCODING_REASON_MAX];
    size_t n;

    while (r->decoded_at == r->decoded.length) {
        if (r->eof)
            return 0;
        nk_buffer_reset(&r->decoded);
        r->decoded_at = 0;
        n = fread(piece, 1, sizeof piece, r->file);
        if (ferror(r->file)) {
            snprintf(reason, TRANSFORM_ROW_REASON_MAX, "cannot read: %s", strerror(errno));
            return -1;
        }
        r->eof = n < sizeof piece;
        if (transform_decoder_feed(r->decoder, piece, n, r->eof, &r->decoded, why) < 0) {
            snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%s", why);
            return -1;
        }
    }
    n = r->decoded.length - r->decoded_at < size ? r->decoded.length - r->decoded_at : size;
    memcpy(buffer, r->decoded.data + r->decoded_at, n);
    r->decoded_at += n;
    return (ssize_t)n;
}

int transform_export_reader_open(transform_export_reader *r, const transform_mapping *mapping,
                                 const char *path, char reason[TRANSFORM_ROW_REASON_MAX])
{
    char why[TRANSFORM_ENCODING_REASON_MAX];

    memset(r, 0, sizeof *r);
    if (is_xlsx(mapping, path)) {
        r->xlsx = transform_xlsx_open(path, mapping->sheet, mapping->max_field, reason);
        return r->xlsx ? 0 : -1;
    }
    r->file = fopen(path, "rb");
    if (r->file == NULL) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "cannot open: %s", strerror(errno));
        return -1;
    }
    r->encoding = mapping->encoding == TRANSFORM_ENCODING_AUTO ? sniff_file(r->file)
                                                               : mapping->encoding;
    if (r->encoding == TRANSFORM_ENCODING_AUTO) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "out of memory deciding the encoding");
        return -1;
    }
    r->decoder = transform_decoder_new(r->encoding, why);
    if (r->decoder == NULL) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "%s", why);
        return -1;
    }
    r->csv = transform_csv_open(mapping->separator, mapping->max_field, read_decoded, r);
    if (r->csv == NULL) {
        snprintf(reason, TRANSFORM_ROW_REASON_MAX, "out of memory");
        return -1;
    }
    return 0;
}

int transform_export_reader_next(transform_export_reader *r, const transform_row **row,
                                 char reason[TRANSFORM_ROW_REASON_MAX])
{
    int rc;

    if (r->xlsx)
        return transform_xlsx_next(r->xlsx, row, reason);
    transform_decoder_forget_before(r->decoder, r->done_line);
    rc = transform_csv_next(r->csv, row, reason);
    if (rc == 1)
        r->done_line = (*row)->line;
    return rc;
}

long transform_export_reader_line(const transform_export_reader *r)
{
    return r->csv ? transform_csv_line(r->csv) : 0;
}

const transform_bad_byte *transform_export_reader_bad(const transform_export_reader *r, long first,
                                                      long last)
{
    return r->decoder ? transform_decoder_bad_byte(r->decoder, first, last) : NULL;
}

void transform_export_reader_close(transform_export_reader *r)
{
    transform_csv_close(r->csv);
    transform_xlsx_close(r->xlsx);
    transform_decoder_free(r->decoder);
    nk_buffer_free(&r->decoded);
    if (r->file)
        fclose(r->file);
    memset(r, 0, sizeof *r);
}
