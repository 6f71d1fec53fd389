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

/* A copy of the text, which is emptied: the buffer keeps its memory for the next text. */
char *xlsx_text_take(nk_buffer *t)
{
    char *s = strdup(nk_buffer_text(t));
    nk_buffer_reset(t);
    return s;
}

void xlsx_cell_text(void *self, const char *data, int length)
{
    transform_xlsx *x = self;

    if (!x->in_text && !x->in_value)
        return;
    int status = nk_buffer_add(&x->cell, data, (size_t)length);
    if (status == NK_BUFFER_TOO_LONG)
        xlsx_set_error(x, "a cell longer than the limit");
    else if (status < 0)
        xlsx_set_error(x, "out of memory");
}
