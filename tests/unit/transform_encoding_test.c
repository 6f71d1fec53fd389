/*
 * transform_encoding_test.c: detecting and converting export encodings
 * (transform/cells/encoding.c): UTF-8 with and without a byte order mark,
 * Windows-1252, invalid bytes reported by line and offset, and input fed in
 * pieces as small as one byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "transform/cells/encoding.h"

typedef struct detect_case {
    const char *bytes;
    transform_encoding expected;
} detect_case;

static const detect_case detects[] = {
    { "Enhet;Belopp\r\n", TRANSFORM_ENCODING_UTF8 },
    { "Hemtj\xC3\xA4nst;12\n", TRANSFORM_ENCODING_UTF8 },
    { "\xEF\xBB\xBFHemtj\xC3\xA4nst;12\n", TRANSFORM_ENCODING_UTF8 },
    { "Hemtj\xE4nst;12\n", TRANSFORM_ENCODING_CP1252 }, /* ä in Windows-1252 */
    { "Link\xF6ping;\x96"
      "30\n",
      TRANSFORM_ENCODING_CP1252 },                 /* ö and an en dash */
    { "V\xC3", TRANSFORM_ENCODING_CP1252 },        /* cut-off UTF-8 at the end */
    { "\xC0\x80", TRANSFORM_ENCODING_CP1252 },     /* an overlong NUL */
    { "\xED\xA0\x80", TRANSFORM_ENCODING_CP1252 }, /* a UTF-16 surrogate */
    { "", TRANSFORM_ENCODING_UTF8 },
};

static void test_detect(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof detects / sizeof detects[0]; i++)
        assert_int_equal(transform_encoding_detect(detects[i].bytes, strlen(detects[i].bytes)),
                         detects[i].expected);
}

/* A character split across pieces is still valid UTF-8. */
static void test_sniffer_in_pieces(void **state)
{
    const char *text = "Hemtj\xC3\xA4nst \xE2\x88\x92"
                       "30\n";
    transform_sniffer *sniffer = transform_sniffer_new();
    (void)state;
    for (size_t i = 0; text[i]; i++)
        transform_sniffer_feed(sniffer, text + i, 1);
    assert_int_equal(transform_sniffer_finish(sniffer), TRANSFORM_ENCODING_UTF8);
}

/* Decode bytes in pieces of size piece; returns the output, NUL-terminated. */
static char *decode(transform_encoding encoding, const char *bytes, size_t length, size_t piece,
                    transform_decoder **keep)
{
    char reason[TRANSFORM_ENCODING_REASON_MAX];
    transform_decoder *decoder = transform_decoder_new(encoding, reason);
    nk_buffer out = { 0 };
    char *text;

    assert_non_null(decoder);
    for (size_t at = 0; at < length; at += piece) {
        size_t n = length - at < piece ? length - at : piece;
        assert_int_equal(transform_decoder_feed(decoder, bytes + at, n, 0, &out, reason), 0);
    }
    assert_int_equal(transform_decoder_feed(decoder, NULL, 0, 1, &out, reason), 0);
    text = calloc(1, out.length + 1);
    if (out.length)
        memcpy(text, out.data, out.length);
    nk_buffer_free(&out);
    if (keep)
        *keep = decoder;
    else
        transform_decoder_free(decoder);
    return text;
}

typedef struct decode_case {
    transform_encoding encoding;
    const char *bytes;
    const char *expected;
} decode_case;

static const decode_case decodes[] = {
    { TRANSFORM_ENCODING_UTF8, "Enhet;\xC3\x85r\n", "Enhet;\xC3\x85r\n" },
    { TRANSFORM_ENCODING_UTF8,
      "\xEF\xBB\xBF"
      "Enhet\n",
      "Enhet\n" },
    { TRANSFORM_ENCODING_UTF8, "\xEF\xBB", "\xEF\xBF\xBD\xEF\xBF\xBD" },
    { TRANSFORM_ENCODING_CP1252,
      "Hemtj\xE4nst;\x96"
      "30\r\n",
      "Hemtj\xC3\xA4nst;\xE2\x80\x93"
      "30\r\n" },
    { TRANSFORM_ENCODING_CP1252,
      "94\xA0"
      "129;\x80",
      "94\xC2\xA0"
      "129;\xE2\x82\xAC" },
    { TRANSFORM_ENCODING_CP1252, "Link\xF6ping \xC5\xC4\xD6",
      "Link\xC3\xB6ping \xC3\x85\xC3\x84\xC3\x96" },
};

static void test_decode_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof decodes / sizeof decodes[0]; i++) {
        for (size_t piece = 1; piece <= 7; piece += 3) {
            const decode_case *c = &decodes[i];
            char *text = decode(c->encoding, c->bytes, strlen(c->bytes), piece, NULL);
            assert_string_equal(text, c->expected);
            free(text);
        }
    }
}

/* Invalid UTF-8 becomes U+FFFD, and its line and offset are kept. */
static void test_invalid_utf8_reported(void **state)
{
    const char bytes[] = "Enhet;V\xC3\xA4rde\nA;1\nLink\xF6ping;2\nB;\xFF\xFE\n";
    transform_decoder *decoder;
    const transform_bad_byte *bad;
    (void)state;

    for (size_t piece = 1; piece <= 64; piece *= 4) {
        char *text = decode(TRANSFORM_ENCODING_UTF8, bytes, sizeof bytes - 1, piece, &decoder);
        assert_string_equal(text, "Enhet;V\xC3\xA4rde\nA;1\nLink\xEF\xBF\xBDping;2\n"
                                  "B;\xEF\xBF\xBD\xEF\xBF\xBD\n");
        assert_int_equal(transform_decoder_bad_count(decoder), 3);
        assert_null(transform_decoder_bad_byte(decoder, 1, 2));
        bad = transform_decoder_bad_byte(decoder, 3, 3);
        assert_non_null(bad);
        assert_int_equal(bad->line, 3);
        assert_int_equal(bad->offset, 21);
        assert_int_equal(bad->byte, 0xF6);
        bad = transform_decoder_bad_byte(decoder, 4, 9);
        assert_non_null(bad);
        assert_int_equal(bad->offset, 31);
        transform_decoder_forget_before(decoder, 4);
        assert_null(transform_decoder_bad_byte(decoder, 1, 3));
        assert_non_null(transform_decoder_bad_byte(decoder, 4, 4));
        transform_decoder_free(decoder);
        free(text);
    }
}

/* Offsets count the byte order mark: they are offsets in the file. */
/*
 * Sequences beyond U+10FFFF (F4 90.., lead bytes F5-FF) are invalid too:
 * glibc's UTF-8 to UTF-8 iconv lets them through, PostgreSQL would not.
 * Found by fuzzing (tests/fuzz/corpus/encoding/beyond-unicode).
 */
static void test_beyond_unicode_is_invalid(void **state)
{
    const char bytes[] = "a\xF4\x90\x80\x80"
                         "b\xF8\x88\x80\x80\x80"
                         "c\xF4\x8F\xBF\xBF\n";
    transform_decoder *decoder;
    (void)state;

    for (size_t piece = 1; piece <= 16; piece *= 2) {
        char *text = decode(TRANSFORM_ENCODING_UTF8, bytes, sizeof bytes - 1, piece, &decoder);
        /* Each bad byte becomes U+FFFD; U+10FFFF itself (F4 8F BF BF) is fine. */
        assert_string_equal(text, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                  "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                  "c\xF4\x8F\xBF\xBF\n");
        assert_int_equal(transform_decoder_bad_count(decoder), 9);
        free(text);
        transform_decoder_free(decoder);
    }
}

static void test_offset_counts_bom(void **state)
{
    const char bytes[] = "\xEF\xBB\xBFX\x80";
    transform_decoder *decoder;
    char *text = decode(TRANSFORM_ENCODING_UTF8, bytes, sizeof bytes - 1, 2, &decoder);
    (void)state;
    assert_string_equal(text, "X\xEF\xBF\xBD");
    assert_int_equal(transform_decoder_bad_byte(decoder, 1, 1)->offset, 4);
    transform_decoder_free(decoder);
    free(text);
}

/* Bytes Windows-1252 leaves undefined are invalid there too. */
static void test_cp1252_undefined_bytes(void **state)
{
    const char bytes[] = "a\x81"
                         "b";
    transform_decoder *decoder;
    char *text = decode(TRANSFORM_ENCODING_CP1252, bytes, sizeof bytes - 1, 3, &decoder);
    (void)state;
    assert_string_equal(text, "a\xEF\xBF\xBD"
                              "b");
    assert_int_equal(transform_decoder_bad_byte(decoder, 1, 1)->byte, 0x81);
    transform_decoder_free(decoder);
    free(text);
}

static void test_cp1252_with_bom_is_an_error(void **state)
{
    char reason[TRANSFORM_ENCODING_REASON_MAX] = "";
    transform_decoder *decoder = transform_decoder_new(TRANSFORM_ENCODING_CP1252, reason);
    nk_buffer out = { 0 };
    (void)state;
    assert_int_equal(transform_decoder_feed(decoder, "\xEF\xBB\xBFx", 4, 1, &out, reason), -1);
    assert_non_null(strstr(reason, "byte order mark"));
    transform_decoder_free(decoder);
    nk_buffer_free(&out);
    assert_null(transform_decoder_new(TRANSFORM_ENCODING_AUTO, reason));
}

static void test_names(void **state)
{
    transform_encoding e;
    (void)state;
    assert_int_equal(transform_encoding_from_name("UTF-8", &e), 0);
    assert_int_equal(e, TRANSFORM_ENCODING_UTF8);
    assert_int_equal(transform_encoding_from_name("windows-1252", &e), 0);
    assert_int_equal(e, TRANSFORM_ENCODING_CP1252);
    assert_int_equal(transform_encoding_from_name("auto", &e), 0);
    assert_int_equal(e, TRANSFORM_ENCODING_AUTO);
    assert_int_equal(transform_encoding_from_name("latin1", &e), -1);
    assert_string_equal(transform_encoding_name(TRANSFORM_ENCODING_CP1252), "windows-1252");
}

/* A big file in pieces keeps memory to about one piece. */
static void test_streaming_bounded(void **state)
{
    char reason[TRANSFORM_ENCODING_REASON_MAX];
    transform_decoder *decoder = transform_decoder_new(TRANSFORM_ENCODING_CP1252, reason);
    nk_buffer out = { 0 };
    char piece[4096];
    (void)state;
    memset(piece, '\xE4', sizeof piece);
    for (int i = 0; i < 256; i++) {
        out.length = 0; /* the reader takes what was decoded */
        assert_int_equal(transform_decoder_feed(decoder, piece, sizeof piece, 0, &out, reason), 0);
        assert_int_equal(out.length, 2 * sizeof piece);
    }
    assert_true(out.capacity <= 4 * 3 * sizeof piece);
    transform_decoder_free(decoder);
    nk_buffer_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_sniffer_in_pieces),
        cmocka_unit_test(test_decode_cases),
        cmocka_unit_test(test_invalid_utf8_reported),
        cmocka_unit_test(test_beyond_unicode_is_invalid),
        cmocka_unit_test(test_offset_counts_bom),
        cmocka_unit_test(test_cp1252_undefined_bytes),
        cmocka_unit_test(test_cp1252_with_bom_is_an_error),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_streaming_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
