/*
 * kolada_stream_errors.c: failing a Kolada page with a one-line message:
 * the page's name, line and column, the byte, and for invalid JSON what was
 * expected and what was found there.
 *
 * The first failure is the one the page keeps: a callback that stops yajl
 * makes yajl report an error of its own after it.  yajl's messages do not
 * say where, and but for lexical errors not what it wanted either, so the
 * reader words its own from the open level and the last token.
 */
#include "lib/kolada/kolada_stream_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/base/exit_codes.h"

static int fail_with(nk_kolada_stream *s, int exit_code, const char *fmt, ...) NK_PRINTF(3, 4);

static int fail_with(nk_kolada_stream *s, int exit_code, const char *fmt, ...)
{
    char detail[NK_ERROR_MAX];
    va_list ap;

    if (s->failed)
        return 0;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    nk_fail(&s->failure, exit_code, "%s", detail);
    s->failed = 1;
    return 0;
}

int nk_kolada_fail_shape(nk_kolada_stream *s)
{
    return fail_with(s, NK_EXIT_DATA,
                     "%s: not a Kolada response: expected an object with a \"values\" list",
                     s->name);
}

int nk_kolada_fail_memory(nk_kolada_stream *s)
{
    return fail_with(s, NK_EXIT_SOFTWARE, "%s: out of memory reading a Kolada page", s->name);
}

/* The text at position, quoted and cut short, for "found ...". */
static void found_at(const nk_kolada_stream *s, uint64_t position, char *found, size_t size)
{
    const char *text = NULL;
    size_t length = 0, n = 0;

    if (position < s->base && position == s->carry_start) {
        text = s->carry_text;
        length = strlen(text);
    } else if (position >= s->base && position < s->base + s->chunk_length) {
        text = (const char *)s->chunk + (position - s->base);
        length = s->base + s->chunk_length - position;
    }
    if (text == NULL || length == 0) {
        snprintf(found, size, "end of input");
        return;
    }
    n += (size_t)snprintf(found, size, "'");
    for (size_t i = 0; i < length && i < FOUND_MAX && n + 6 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7f)
            found[n++] = (char)c;
        else
            n += (size_t)snprintf(found + n, size - n, "\\x%02X", c);
    }
    snprintf(found + n, size - n, "'");
}

int nk_kolada_fail_at(nk_kolada_stream *s, uint64_t position, const char *fmt, ...)
{
    char detail[512];
    uint64_t line, column;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    nk_kolada_line_of(s, position, &line, &column);
    return fail_with(s, NK_EXIT_DATA,
                     "%s:%llu:%llu: not a Kolada response: invalid JSON at byte %llu: %s", s->name,
                     (unsigned long long)line, (unsigned long long)column,
                     (unsigned long long)position, detail);
}

/* A problem with the token being reported, named by where it starts. */
int nk_kolada_fail_token(nk_kolada_stream *s, const char *what)
{
    int separated;

    return nk_kolada_fail_at(s, nk_kolada_token_start(s, &separated), "%s", what);
}

int nk_kolada_fail_key(nk_kolada_stream *s, const char *key, size_t length)
{
    int separated;
    int shown = length > 64 ? 64 : (int)length;

    return nk_kolada_fail_at(s, nk_kolada_token_start(s, &separated), "duplicate key \"%.*s%s\"",
                             shown, key, length > 64 ? "..." : "");
}

/* What the parser wanted next, from the open level, the last token and its separator. */
static const char *expected(const nk_kolada_stream *s, int separated)
{
    const level *top = s->depth ? &s->levels[s->depth - 1] : NULL;

    if (top == NULL)
        return s->after == AFTER_NOTHING ? "a JSON object" : "end of input";
    if (top->is_object) {
        if (s->after == AFTER_OPEN)
            return "a key or '}'";
        if (s->after == AFTER_KEY)
            return separated ? "a value" : "':'";
        return separated ? "a key" : "',' or '}'";
    }
    if (s->after == AFTER_OPEN)
        return "a value or ']'";
    return separated ? "a value" : "',' or ']'";
}

/* yajl refused the text: say where, what it wanted and what it found. */
void nk_kolada_fail_parser(nk_kolada_stream *s, int at_end)
{
    static const char lexical[] = "lexical error: ";
    unsigned char *message;
    const char *text;
    char found[8 * FOUND_MAX];
    int separated;
    uint64_t start;

    if (s->failed)
        return;
    message = yajl_get_error(s->parser, 0, NULL, 0);
    text = (const char *)message;
    start = nk_kolada_token_start(s, &separated);
    if (at_end && strstr(text, "premature EOF"))
        start = s->base;
    found_at(s, start, found, sizeof found);
    if (strncmp(text, lexical, sizeof lexical - 1) == 0) {
        size_t length = strcspn(text + sizeof lexical - 1, "\n");
        while (length && text[sizeof lexical - 1 + length - 1] == '.')
            length--;
        nk_kolada_fail_at(s, start, "%.*s, found %s", (int)length, text + sizeof lexical - 1,
                          found);
    } else {
        nk_kolada_fail_at(s, start, "expected %s, found %s", expected(s, separated), found);
    }
    yajl_free_error(s->parser, message);
}
