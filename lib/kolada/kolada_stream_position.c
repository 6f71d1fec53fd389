/*
 * kolada_stream_position.c: where in the input the Kolada page reader is:
 * the byte a token starts at, and its line and column.
 *
 * yajl reports tokens, not where they are, but while a callback runs it
 * knows how far into the current piece it has read: that is where the token
 * ends.  Where a token starts is found by skipping the blanks, commas and
 * colons after the previous one; the end of each piece remembers what it
 * leaves pending (a token begun, a comma met, its line), since that part of
 * the input is gone when the next piece comes.
 */
#include "lib/kolada/kolada_stream_internal.h"

#include <string.h>

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The one separator the previous token allows before the next: ',' after a value, ':' after a key.
 */
static char separator_after(const nk_kolada_stream *s)
{
    if (s->depth == 0)
        return 0;
    if (s->after == AFTER_KEY)
        return ':';
    return s->after == AFTER_VALUE ? ',' : 0;
}

/*
 * Where the token being reported starts: past the blanks after the previous
 * token and the separator it allows (*separated says whether that was met).
 */
uint64_t nk_kolada_token_start(const nk_kolada_stream *s, int *separated)
{
    uint64_t from = s->last_end;
    char separator = separator_after(s);
    size_t i;

    *separated = 0;
    if (from < s->base) {
        *separated = s->carry_separated;
        if (s->carry_start != NONE)
            return s->carry_start;
        from = s->base;
    }
    for (i = (size_t)(from - s->base); i < s->chunk_length; i++) {
        unsigned char c = s->chunk[i];
        if (separator && c == separator && !*separated)
            *separated = 1;
        else if (!is_blank(c))
            break;
    }
    return s->base + i;
}

/* Line and column, from 1, of a position in this piece or of the token an earlier piece left. */
void nk_kolada_line_of(const nk_kolada_stream *s, uint64_t position, uint64_t *line,
                       uint64_t *column)
{
    uint64_t start = s->line_start;

    *line = s->line;
    if (position < s->base && position == s->carry_start) {
        *line = s->carry_line;
        *column = s->carry_column;
        return;
    }
    for (size_t i = 0; position >= s->base && i < position - s->base && i < s->chunk_length; i++) {
        if (s->chunk[i] == '\n') {
            (*line)++;
            start = s->base + i + 1;
        }
    }
    *column = position >= start ? position - start + 1 : 1;
}

/* Count the piece's lines, noting the line of a token it leaves pending. */
static void count_lines(nk_kolada_stream *s)
{
    const unsigned char *p = s->chunk, *end = s->chunk + s->chunk_length, *newline;
    int pending = s->carry_start != NONE && s->carry_start >= s->base;
    const unsigned char *carry = pending ? s->chunk + (s->carry_start - s->base) : NULL;

    while ((newline = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        if (carry && carry <= newline) {
            s->carry_line = s->line;
            s->carry_column = s->carry_start - s->line_start + 1;
            carry = NULL;
        }
        s->line++;
        s->line_start = s->base + (uint64_t)(newline - s->chunk) + 1;
        p = newline + 1;
    }
    if (carry) {
        s->carry_line = s->line;
        s->carry_column = s->carry_start - s->line_start + 1;
    }
}

/* Remember what the piece leaves pending for the next one. */
void nk_kolada_finish_chunk(nk_kolada_stream *s)
{
    uint64_t end = s->base + s->chunk_length;
    int separated;

    if (s->last_end >= s->base || s->carry_start == NONE) {
        uint64_t start = nk_kolada_token_start(s, &separated);
        s->carry_separated = separated;
        s->carry_start = start < end ? start : NONE;
        if (s->carry_start != NONE) {
            size_t length = (size_t)(end - start) < FOUND_MAX ? (size_t)(end - start) : FOUND_MAX;
            memcpy(s->carry_text, s->chunk + (start - s->base), length);
            s->carry_text[length] = '\0';
        }
    }
    count_lines(s);
}
