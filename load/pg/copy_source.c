/*
 * copy_source.c: naming the source of a row the server refused in a COPY.
 *
 * The server says which line of the COPY failed; the staged file has that
 * row at that line, and its source_ref column says which raw file of the
 * run it came from (transform/source.copy maps source_ref to the file's
 * address).  A person then knows which Kolada page or export to look at,
 * not only which staged file.  Both files are read only when a COPY failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"

/* The column index of name in staged, or -1. */
static int column_of(const load_staged *staged, const char *name)
{
    for (size_t i = 0; i < staged->column_count; i++)
        if (strcmp(staged->columns[i], name) == 0)
            return (int)i;
    return -1;
}

/* Field index of a COPY text line, still escaped, into out; 0 when it has no such field. */
static int field_of(const char *line, int index, char *out, size_t size)
{
    for (int i = 0; i < index; i++) {
        line = strchr(line, '\t');
        if (line == NULL)
            return 0;
        line++;
    }
    snprintf(out, size, "%.*s", (int)strcspn(line, "\t\n"), line);
    return 1;
}

/*
 * Line number (from 1) of path, or the first line whose field key_index
 * is key when number is 0; its field want_index into out.
 */
static int find_field(const char *path, long long number, int key_index, const char *key,
                      int want_index, char *out, size_t size)
{
    FILE *file = fopen(path, "rb");
    char *line = NULL, field[1024];
    size_t capacity = 0;
    long long at = 0;
    int found = 0;

    if (file == NULL)
        return 0;
    while (!found && getline(&line, &capacity, file) >= 0) {
        at++;
        if (number > 0 ? at == number
                       : field_of(line, key_index, field, sizeof field) && strcmp(field, key) == 0)
            found = field_of(line, want_index, out, size);
        else if (number > 0 && at > number)
            break;
    }
    free(line);
    fclose(file);
    return found;
}

void load_copy_name_source(const load_plan *plan, const load_staged *staged, long long line,
                           nk_error *err)
{
    const load_staged *sources = load_plan_find(plan, "source");
    int ref_column = column_of(staged, "source_ref");
    char ref[256], uri[1024];

    if (line <= 0 || sources == NULL || ref_column < 0 ||
        !find_field(staged->path, line, 0, NULL, ref_column, ref, sizeof ref))
        return;
    if (!find_field(sources->path, 0, column_of(sources, "source_ref"), ref,
                    column_of(sources, "uri"), uri, sizeof uri))
        snprintf(uri, sizeof uri, "not in transform/source.copy");
    nk_error_prefix(err, "a row from source %s (source_ref %s)", uri, ref);
}
