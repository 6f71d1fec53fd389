/*
 * result.c: the per-table counts a load reports (inserted, updated,
 * deleted, unchanged), shared by the merge, the audit row and summary.json.
 */
#include <string.h>

#include "load/load.h"

/* Where table's entry is, or result->count when it has none. */
static size_t find(const load_result *result, const char *table)
{
    size_t i = 0;

    while (i < result->count && strcmp(result->tables[i].table, table) != 0)
        i++;
    return i;
}

long long load_count_changes(const load_count *count)
{
    return count->inserted + count->updated + count->deleted;
}

load_count *load_result_table(load_result *result, const char *table)
{
    size_t i = find(result, table);
    load_count *count;

    if (i < result->count)
        return &result->tables[i];
    if (result->count == LOAD_MAX_TABLES) /* tables.c and merge.c name fewer */
        return &result->tables[LOAD_MAX_TABLES - 1];
    count = &result->tables[result->count++];
    memset(count, 0, sizeof *count);
    count->table = table;
    return count;
}

long long load_result_changes(const load_result *result)
{
    long long changes = 0;

    for (size_t i = 0; i < result->count; i++)
        changes += load_count_changes(&result->tables[i]);
    return changes;
}

long long load_result_table_changes(const load_result *result, const char *table)
{
    size_t i = find(result, table);

    return i < result->count ? load_count_changes(&result->tables[i]) : 0;
}
