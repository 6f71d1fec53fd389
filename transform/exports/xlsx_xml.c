/*
 * xlsx_xml.c: the small helpers the workbook's XML is read with (see
 * xlsx_internal.h): names without namespace prefixes, attributes, the text
 * of a cell gathered piece by piece, and the first error kept.
 */
#include "transform/exports/xlsx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *xlsx_local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

const char *xlsx_attribute(const char **attributes, const char *name)
{
    for (size_t i = 0; attributes[i]; i += 2)
        if (strcmp(xlsx_local_name(attributes[i]), name) == 0)
            return attributes[i + 1];
    return NULL;
}

void xlsx_set_error(transform_xlsx *x, const char *message)
{
    if (x->error[0] == '\0')
        snprintf(x->error, sizeof x->error, "%s", message);
    XML_StopParser(x->parser, XML_FALSE);
}

int xlsx_text_append(text *t, const char *data, size_t length, size_t max)
{
    if (t->length + length > max)
        return -1;
    if (t->length + length + 1 > t->capacity) {
        size_t capacity = t->capacity ? t->capacity : 256;
        while (capacity < t->length + length + 1)
            capacity *= 2;
        char *bigger = realloc(t->data, capacity);
        if (bigger == NULL)
            return -1;
        t->data = bigger;
        t->capacity = capacity;
    }
    memcpy(t->data + t->length, data, length);
    t->length += length;
    t->data[t->length] = '\0';
    return 0;
}

char *xlsx_text_take(text *t)
{
    char *s = t->data ? strdup(t->data) : strdup("");
    t->length = 0;
    if (t->data)
        t->data[0] = '\0';
    return s;
}

void xlsx_cell_text(void *self, const char *data, int length)
{
    transform_xlsx *x = self;

    if ((x->in_text || x->in_value) &&
        xlsx_text_append(&x->cell, data, (size_t)length, x->max_cell) < 0)
        xlsx_set_error(x, "a cell longer than the limit");
}
