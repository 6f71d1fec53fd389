/*
 * fuzz_encoding.c: libFuzzer harness for the encoding sniffer and decoder
 * (transform/cells/encoding.h).
 *
 * The first byte picks the declared encoding and the size of the pieces
 * fed in.  Whatever the bytes, the output must be valid UTF-8 (a bad byte
 * becomes U+FFFD, never mojibake), must not depend on how the input was cut
 * into pieces, and the sniffer fed in pieces must agree with the one-shot
 * detector.
 */
#include "tests/fuzz/fuzz_support.h"

#include "transform/cells/encoding.h"

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        size_t more;
        unsigned long cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            more = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            more = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            more = 3, cp = c & 0x07;
        else
            return 0;
        if (i + more >= n)
            return 0;
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += more + 1;
    }
    return 1;
}

static nk_buffer decode(transform_encoding encoding, const uint8_t *data, size_t size, size_t piece,
                        unsigned long *bad)
{
    char reason[TRANSFORM_ENCODING_REASON_MAX];
    nk_buffer out = { 0 };
    transform_decoder *decoder = transform_decoder_new(encoding, reason);
    size_t at = 0;

    fuzz_check(decoder != NULL);
    do {
        size_t n = size - at < piece ? size - at : piece;
        if (transform_decoder_feed(decoder, (const char *)data + at, n, at + n == size, &out,
                                   reason) < 0) {
            fuzz_check(reason[0] != '\0');
            nk_buffer_free(&out);
            out.length = (size_t)-1;
            break;
        }
        at += n;
    } while (at < size);
    *bad = transform_decoder_bad_count(decoder);
    transform_decoder_free(decoder);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long bad_whole, bad_pieces;

    if (size == 0)
        return 0;
    transform_encoding encoding = (data[0] & 1) ? TRANSFORM_ENCODING_CP1252
                                                : TRANSFORM_ENCODING_UTF8;
    size_t piece = 1 + (data[0] >> 1);
    data++, size--;

    transform_sniffer *sniffer = transform_sniffer_new();
    for (size_t at = 0; at < size; at += piece)
        transform_sniffer_feed(sniffer, (const char *)data + at,
                               size - at < piece ? size - at : piece);
    fuzz_check(transform_sniffer_finish(sniffer) ==
               transform_encoding_detect((const char *)data, size));

    nk_buffer whole = decode(encoding, data, size, size ? size : 1, &bad_whole);
    nk_buffer pieces = decode(encoding, data, size, piece, &bad_pieces);
    fuzz_check(whole.length == pieces.length && bad_whole == bad_pieces);
    if (whole.length != (size_t)-1) {
        fuzz_check(valid_utf8((const unsigned char *)whole.data, whole.length));
        fuzz_check(whole.length == 0 || memcmp(whole.data, pieces.data, whole.length) == 0);
    }
    nk_buffer_free(&whole);
    nk_buffer_free(&pieces);
    return 0;
}
