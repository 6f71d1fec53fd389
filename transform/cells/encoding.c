/*
 * encoding.c: UTF-8 and Windows-1252 into UTF-8 with iconv (see encoding.h).
 *
 * Both encodings go through iconv, UTF-8 included (as UTF-8 to UTF-8), so
 * that one loop finds invalid bytes the same way for both: iconv stops at
 * each one with EILSEQ, we note where it was, write U+FFFD and go on.
 */
#include "transform/cells/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REPLACEMENT "\xEF\xBF\xBD"
#define BOM "\xEF\xBB\xBF"

int transform_encoding_from_name(const char *name, transform_encoding *encoding)
{
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        *encoding = TRANSFORM_ENCODING_UTF8;
    else if (strcasecmp(name, "windows-1252") == 0 || strcasecmp(name, "cp1252") == 0)
        *encoding = TRANSFORM_ENCODING_CP1252;
    else if (strcasecmp(name, "auto") == 0)
        *encoding = TRANSFORM_ENCODING_AUTO;
    else
        return -1;
    return 0;
}

const char *transform_encoding_name(transform_encoding encoding)
{
    static const char *const names[] = { "auto", "utf-8", "windows-1252" };
    return names[encoding];
}

/*
 * One iconv conversion over a stream of pieces.  input holds the
 * unfinished character left from the last piece followed by the new piece;
 * it never holds more than one piece and a few bytes.
 */
typedef struct converter {
    iconv_t cd;
    nk_buffer input;
    long long offset; /* file offset of input.data[0] */
    long line;        /* line of input.data[0] */
    int started;      /* the start of the file (a byte order mark) was seen */
    int from_utf8;    /* the source is UTF-8 (see beyond_unicode) */
} converter;

/* Called for each invalid byte; returns -1 to stop converting. */
typedef int (*bad_byte_fn)(void *self, const transform_bad_byte *bad);

static int converter_open(converter *c, const char *from)
{
    memset(c, 0, sizeof *c);
    c->line = 1;
    c->from_utf8 = strcmp(from, "UTF-8") == 0;
    c->cd = iconv_open("UTF-8", from);
    return c->cd == (iconv_t)-1 ? -1 : 0;
}

static void converter_close(converter *c)
{
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    nk_buffer_free(&c->input);
}

static void count_lines(converter *c, const char *from, const char *to)
{
    for (const char *p = from; p < to; p++)
        if (*p == '\n')
            c->line++;
}

/*
 * Where the first byte of p that starts a sequence beyond U+10FFFF stands
 * (lead bytes F5-FF, or F4 followed by 90 or more), or n.  glibc's UTF-8 to
 * UTF-8 conversion lets those through, and PostgreSQL would refuse them at
 * load, so they are found here and treated as invalid bytes.
 */
static size_t beyond_unicode(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)p[i];
        if (b >= 0xF5 || (b == 0xF4 && i + 1 < n && (unsigned char)p[i + 1] >= 0x90))
            return i;
    }
    return n;
}

/* Convert what input holds into out (NULL: check only); keep an unfinished tail. */
static int convert_input(converter *c, int final, nk_buffer *out, bad_byte_fn on_bad, void *self)
{
    char scratch[4096];
    char *in = c->input.data, *counted = in;
    size_t left = c->input.length;

    while (left > 0) {
        char *o = scratch;
        size_t room = sizeof scratch;
        if (out) {
            if (nk_buffer_reserve(out, left * 3 + 16) < 0)
                return -1;
            o = out->data + out->length;
            room = out->capacity - out->length - 1; /* the last byte stays for the NUL */
        }
        size_t usable = c->from_utf8 ? beyond_unicode(in, left) : left;
        if (usable > 0) {
            size_t unused = usable;
            size_t rc = iconv(c->cd, &in, &unused, &o, &room);
            int reason = errno;
            if (out) {
                out->length = out->capacity - 1 - room;
                out->data[out->length] = '\0';
            }
            left -= usable - unused;
            if (rc != (size_t)-1 || reason == E2BIG)
                continue;
            /* Incomplete at the very end of what arrived: wait for the next piece. */
            if (reason == EINVAL && !final && unused == left)
                break;
        }
        count_lines(c, counted, in);
        counted = in;
        transform_bad_byte bad = { c->line, c->offset + (in - c->input.data), (unsigned char)*in };
        if (on_bad(self, &bad) < 0)
            return -1;
        if (out) {
            if (nk_buffer_add(out, REPLACEMENT, 3) < 0)
                return -1;
        }
        in++;
        left--;
    }
    count_lines(c, counted, in);
    c->offset += in - c->input.data;
    if (left > 0)
        memmove(c->input.data, in, left);
    c->input.length = left;
    return 0;
}

static int converter_feed(converter *c, const char *data, size_t length, int final, nk_buffer *out,
                          bad_byte_fn on_bad, void *self)
{
    if (length > 0) {
        if (nk_buffer_add(&c->input, data, length) < 0)
            return -1;
    }
    return convert_input(c, final, out, on_bad, self);
}

struct transform_sniffer {
    converter converter;
    int invalid;
    int out_of_memory; /* nothing can be decided: not a sign of Windows-1252 */
};

static int sniffed_bad(void *self, const transform_bad_byte *bad)
{
    (void)bad;
    ((transform_sniffer *)self)->invalid = 1;
    return -1;
}

transform_sniffer *transform_sniffer_new(void)
{
    transform_sniffer *sniffer = calloc(1, sizeof *sniffer);

    if (sniffer && converter_open(&sniffer->converter, "UTF-8") < 0) {
        free(sniffer);
        return NULL;
    }
    return sniffer;
}

void transform_sniffer_feed(transform_sniffer *sniffer, const char *data, size_t length)
{
    /* a failure that sniffed_bad did not note is memory running out */
    if (sniffer && !sniffer->invalid && !sniffer->out_of_memory &&
        converter_feed(&sniffer->converter, data, length, 0, NULL, sniffed_bad, sniffer) < 0 &&
        !sniffer->invalid)
        sniffer->out_of_memory = 1;
}

transform_encoding transform_sniffer_finish(transform_sniffer *sniffer)
{
    int valid;

    if (sniffer == NULL)
        return TRANSFORM_ENCODING_AUTO;
    if (!sniffer->invalid && !sniffer->out_of_memory &&
        converter_feed(&sniffer->converter, NULL, 0, 1, NULL, sniffed_bad, sniffer) < 0 &&
        !sniffer->invalid)
        sniffer->out_of_memory = 1;
    valid = !sniffer->invalid;
    int decided = !sniffer->out_of_memory;
    converter_close(&sniffer->converter);
    free(sniffer);
    if (!decided)
        return TRANSFORM_ENCODING_AUTO;
    return valid ? TRANSFORM_ENCODING_UTF8 : TRANSFORM_ENCODING_CP1252;
}

transform_encoding transform_encoding_detect(const char *data, size_t length)
{
    transform_sniffer *sniffer = transform_sniffer_new();

    transform_sniffer_feed(sniffer, data, length);
    return transform_sniffer_finish(sniffer);
}

struct transform_decoder {
    converter converter;
    transform_encoding encoding;
    transform_bad_byte *bad; /* the first invalid byte of each line not yet forgotten */
    size_t bad_used, bad_capacity;
    unsigned long bad_count;
};

static int decoded_bad(void *self, const transform_bad_byte *bad)
{
    transform_decoder *decoder = self;

    decoder->bad_count++;
    if (decoder->bad_used > 0 && decoder->bad[decoder->bad_used - 1].line == bad->line)
        return 0;
    if (nk_grow_array(&decoder->bad, sizeof *decoder->bad, decoder->bad_used + 1,
                      &decoder->bad_capacity, 16) < 0)
        return -1;
    decoder->bad[decoder->bad_used++] = *bad;
    return 0;
}

transform_decoder *transform_decoder_new(transform_encoding encoding,
                                         char reason[TRANSFORM_ENCODING_REASON_MAX])
{
    transform_decoder *decoder = calloc(1, sizeof *decoder);

    if (encoding == TRANSFORM_ENCODING_AUTO) {
        snprintf(reason, TRANSFORM_ENCODING_REASON_MAX, "%s",
                 "the encoding must be decided before decoding");
        free(decoder);
        return NULL;
    }
    if (decoder == NULL) {
        snprintf(reason, TRANSFORM_ENCODING_REASON_MAX, "out of memory");
        return NULL;
    }
    if (converter_open(&decoder->converter,
                       encoding == TRANSFORM_ENCODING_UTF8 ? "UTF-8" : "WINDOWS-1252") < 0) {
        snprintf(reason, TRANSFORM_ENCODING_REASON_MAX, "cannot convert from %s: %s",
                 transform_encoding_name(encoding), strerror(errno));
        free(decoder);
        return NULL;
    }
    decoder->encoding = encoding;
    return decoder;
}

/* Deal with a byte order mark once the first three bytes are in; 1 = wait for more. */
static int check_start(transform_decoder *decoder, int final,
                       char reason[TRANSFORM_ENCODING_REASON_MAX])
{
    converter *c = &decoder->converter;
    size_t have = c->input.length < 3 ? c->input.length : 3;

    if (c->started)
        return 0;
    if (!final && have < 3 && memcmp(c->input.data, BOM, have) == 0)
        return 1;
    c->started = 1;
    if (have < 3 || memcmp(c->input.data, BOM, 3) != 0)
        return 0;
    if (decoder->encoding == TRANSFORM_ENCODING_CP1252) {
        snprintf(reason, TRANSFORM_ENCODING_REASON_MAX, "%s",
                 "declared windows-1252 but starts with a UTF-8 byte order mark");
        return -1;
    }
    memmove(c->input.data, c->input.data + 3, c->input.length - 3);
    c->input.length -= 3;
    c->offset = 3;
    return 0;
}

int transform_decoder_feed(transform_decoder *decoder, const char *data, size_t length, int final,
                           nk_buffer *out, char reason[TRANSFORM_ENCODING_REASON_MAX])
{
    converter *c = &decoder->converter;
    int start;

    if (length > 0) {
        if (nk_buffer_add(&c->input, data, length) < 0)
            goto out_of_memory;
    }
    start = check_start(decoder, final, reason);
    if (start != 0)
        return start < 0 ? -1 : 0;
    if (convert_input(c, final, out, decoded_bad, decoder) == 0)
        return 0;
out_of_memory:
    snprintf(reason, TRANSFORM_ENCODING_REASON_MAX, "%s", "out of memory while decoding");
    return -1;
}

const transform_bad_byte *transform_decoder_bad_byte(const transform_decoder *decoder,
                                                     long first_line, long last_line)
{
    for (size_t i = 0; i < decoder->bad_used; i++)
        if (decoder->bad[i].line >= first_line && decoder->bad[i].line <= last_line)
            return &decoder->bad[i];
    return NULL;
}

void transform_decoder_forget_before(transform_decoder *decoder, long line)
{
    size_t keep = 0;

    while (keep < decoder->bad_used && decoder->bad[keep].line < line)
        keep++;
    if (keep == 0)
        return;
    memmove(decoder->bad, decoder->bad + keep, (decoder->bad_used - keep) * sizeof *decoder->bad);
    decoder->bad_used -= keep;
}

unsigned long transform_decoder_bad_count(const transform_decoder *decoder)
{
    return decoder->bad_count;
}

void transform_decoder_free(transform_decoder *decoder)
{
    if (decoder == NULL)
        return;
    converter_close(&decoder->converter);
    free(decoder->bad);
    free(decoder);
}
