/*
 * json_locate.c: a position-only JSON scanner (see json_locate.h).
 *
 * The job file has already been parsed successfully by jansson, so this
 * scanner only needs to skip values and compare keys; it never builds
 * values.  But transform also sniffs the first value of raw pages that no
 * one has parsed yet (nk_json_span), so no text, however broken, may move
 * it past the end: an unfinished string or value is "not there".
 */
#include "lib/job/json_locate.h"

#include <stdlib.h>
#include <string.h>

struct scanner {
    const char *text;
    size_t length;
    size_t at;
};

static void skip_space(struct scanner *s)
{
    while (s->at < s->length && strchr(" \t\r\n", s->text[s->at]) && s->text[s->at])
        s->at++;
}

/* Past the closing quote; s->at > s->length when the string never closes. */
static void skip_string(struct scanner *s)
{
    s->at++; /* opening quote */
    while (s->at < s->length && s->text[s->at] != '"')
        s->at += (s->text[s->at] == '\\' && s->at + 1 < s->length) ? 2 : 1;
    s->at++; /* closing quote */
}

/* Skip one value; 0 when it ended inside the text, -1 when the text ran out. */
static int skip_value(struct scanner *s)
{
    int depth = 0;

    skip_space(s);
    do {
        if (s->at >= s->length)
            return -1;
        char c = s->text[s->at];
        if (c == '"') {
            skip_string(s);
            if (s->at > s->length)
                return -1;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        else if (depth == 0 && (c == ',' || strchr(" \t\r\n", c)))
            return 0;
        s->at++;
    } while (depth > 0 || (s->at < s->length && !strchr(",}] \t\r\n", s->text[s->at])));
    return 0;
}

/* After a member of an object or array: past its value and the ',' that follows; -1 at the end. */
static int to_next_member(struct scanner *s)
{
    skip_value(s);
    skip_space(s);
    if (s->at >= s->length || s->text[s->at] != ',')
        return -1;
    s->at++;
    return 0;
}

/* Move to the value of key in the object starting at s->at; 0 when found. */
static int enter_key(struct scanner *s, const char *key, size_t key_length)
{
    s->at++; /* '{' */
    for (;;) {
        skip_space(s);
        if (s->at >= s->length || s->text[s->at] != '"')
            return -1;
        size_t start = s->at + 1;
        skip_string(s);
        if (s->at > s->length)
            return -1;
        size_t end = s->at - 1;
        skip_space(s);
        s->at++; /* ':' */
        skip_space(s);
        if (end - start == key_length && memcmp(s->text + start, key, key_length) == 0)
            return 0;
        if (to_next_member(s) < 0)
            return -1;
    }
}

static int enter_index(struct scanner *s, long index)
{
    s->at++; /* '[' */
    for (long i = 0;; i++) {
        skip_space(s);
        if (s->at >= s->length || s->text[s->at] == ']')
            return -1;
        if (i == index)
            return 0;
        if (to_next_member(s) < 0)
            return -1;
    }
}

static void position_of(const struct scanner *s, size_t offset, int *line, int *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < s->length; i++) {
        unsigned char c = (unsigned char)s->text[i];
        if (c == '\n') {
            (*line)++;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

/* Follow path from the start of the text; 0 with s->at on the value, 1 when
 * only the enclosing value exists (s->at on it), -1 when not even that. */
static int follow(struct scanner *s, const char *path)
{
    const char *p = path;

    skip_space(s);
    while (*p) {
        size_t parent = s->at;
        int found;

        if (*p == '[') {
            char *after;
            long index = strtol(p + 1, &after, 10);
            found = s->at < s->length && s->text[s->at] == '[' && enter_index(s, index) == 0;
            p = (*after == ']') ? after + 1 : after;
        } else {
            if (*p == '.')
                p++;
            size_t n = strcspn(p, ".[");
            found = s->at < s->length && s->text[s->at] == '{' && enter_key(s, p, n) == 0;
            p += n;
        }
        if (!found) {
            if (*p != '\0')
                return -1;
            s->at = parent;
            return 1;
        }
        skip_space(s);
    }
    return 0;
}

int nk_json_locate(const char *text, size_t length, const char *path, int *line, int *column)
{
    struct scanner s = { text, length, 0 };

    if (follow(&s, path) < 0)
        return -1;
    position_of(&s, s.at, line, column);
    return 0;
}

int nk_json_span(const char *text, size_t length, const char *path, size_t *start, size_t *end)
{
    struct scanner s = { text, length, 0 };

    if (follow(&s, path) != 0 || s.at >= length)
        return -1;
    *start = s.at;
    if (skip_value(&s) < 0 || s.at >= length)
        return -1;
    *end = s.at;
    return 0;
}
