/*
 * kolada_query.c: Kolada URLs within the API's limits (see kolada_query.h).
 */
#include "extract/kolada_api/kolada_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"

#define MAX_SEGMENTS 4

json_t *extract_kolada_chunks(const json_t *ids, size_t size)
{
    json_t *chunks = json_array();
    size_t total = json_array_size(ids);

    for (size_t first = 0; first < total; first += size) {
        size_t length = 0, end = first + size < total ? first + size : total;
        for (size_t i = first; i < end; i++)
            length += strlen(json_string_value(json_array_get(ids, i))) + 1;
        char *chunk = malloc(length + 1), *p = chunk;
        for (size_t i = first; i < end; i++) {
            const char *id = json_string_value(json_array_get(ids, i));
            p += sprintf(p, "%s%s", i > first ? "," : "", id);
        }
        *p = '\0';
        json_array_append_new(chunks, json_string(chunk));
        free(chunk);
    }
    return chunks;
}

static size_t longest(const json_t *chunks)
{
    size_t max = 0, i;
    json_t *chunk;

    json_array_foreach (chunks, i, chunk)
        if (json_string_length(chunk) > max)
            max = json_string_length(chunk);
    return max;
}

static char *page_query(void)
{
    char *query = malloc(32);

    snprintf(query, 32, "per_page=%d", EXTRACT_KOLADA_PER_PAGE);
    return query;
}

/* Chunk every segment so that the longest URL fits max_length; -1 when none can. */
static int fit_chunks(size_t fixed, const extract_kolada_segment *segments, size_t count,
                      size_t max_length, json_t **chunks)
{
    size_t sizes[MAX_SEGMENTS];

    for (size_t i = 0; i < count; i++)
        sizes[i] = EXTRACT_KOLADA_MAX_IDS;
    for (;;) {
        size_t length = fixed, widest = count;
        for (size_t i = 0; i < count; i++) {
            json_decref(chunks[i]);
            chunks[i] = extract_kolada_chunks(segments[i].ids, sizes[i]);
            length += (segments[i].name ? strlen(segments[i].name) + 2 : 1) + longest(chunks[i]);
            if (sizes[i] > 1 && (widest == count || longest(chunks[i]) > longest(chunks[widest])))
                widest = i;
        }
        if (length <= max_length)
            return 0;
        if (widest == count)
            return -1;
        sizes[widest]--;
    }
}

static void append_product(const char *prefix, const extract_kolada_segment *segments,
                           json_t **chunks, size_t index, size_t count, const char *query,
                           json_t *urls)
{
    size_t i;
    json_t *chunk;

    if (index == count) {
        char *url = malloc(strlen(prefix) + strlen(query) + 2);
        sprintf(url, "%s?%s", prefix, query);
        json_array_append_new(urls, json_string(url));
        free(url);
        return;
    }
    json_array_foreach (chunks[index], i, chunk) {
        const char *name = segments[index].name;
        size_t size = strlen(prefix) + (name ? strlen(name) : 0) + json_string_length(chunk) + 3;
        char *longer = malloc(size);
        if (name)
            snprintf(longer, size, "%s/%s/%s", prefix, name, json_string_value(chunk));
        else
            snprintf(longer, size, "%s/%s", prefix, json_string_value(chunk));
        append_product(longer, segments, chunks, index + 1, count, query, urls);
        free(longer);
    }
}

int extract_kolada_path_urls(const char *base, const char *endpoint,
                             const extract_kolada_segment *segments, size_t count,
                             size_t max_length, json_t *urls, nk_error *err)
{
    json_t *chunks[MAX_SEGMENTS] = { 0 };
    char *query = page_query();
    size_t fixed = strlen(base) + 1 + strlen(endpoint) + 1 + strlen(query);
    int rc = 0;

    if (count > MAX_SEGMENTS)
        rc = nk_fail(err, NK_EXIT_SOFTWARE, "%zu path segments for /%s", count, endpoint);
    else if (fit_chunks(fixed, segments, count, max_length, chunks) < 0)
        rc = nk_fail(err, NK_EXIT_CONFIG,
                     "%s/%s: a URL with one id per segment is still longer than the "
                     "limit of %zu characters (url_max_length)",
                     base, endpoint, max_length);
    if (rc == 0) {
        size_t size = strlen(base) + strlen(endpoint) + 2;
        char *prefix = malloc(size);
        snprintf(prefix, size, "%s/%s", base, endpoint);
        append_product(prefix, segments, chunks, 0, count, query, urls);
        free(prefix);
    }
    for (size_t i = 0; i < count && i < MAX_SEGMENTS; i++)
        json_decref(chunks[i]);
    free(query);
    return rc;
}

int extract_kolada_param_urls(const char *base, const char *endpoint, const char *param,
                              const json_t *ids, size_t max_length, json_t *urls, nk_error *err)
{
    extract_kolada_segment segment = { param, ids };
    json_t *chunks = NULL;
    char *query = page_query();
    size_t fixed = strlen(base) + strlen(endpoint) + strlen(query) + 3;
    size_t i;
    json_t *chunk;

    if (fit_chunks(fixed, &segment, 1, max_length, &chunks) < 0) {
        json_decref(chunks);
        free(query);
        return nk_fail(err, NK_EXIT_CONFIG,
                       "%s/%s: a URL with one %s is still longer than the limit of %zu "
                       "characters (url_max_length)",
                       base, endpoint, param, max_length);
    }
    json_array_foreach (chunks, i, chunk) {
        size_t size = strlen(base) + strlen(endpoint) + strlen(param) + json_string_length(chunk) +
                      strlen(query) + 5;
        char *url = malloc(size);
        snprintf(url, size, "%s/%s?%s=%s&%s", base, endpoint, param, json_string_value(chunk),
                 query);
        json_array_append_new(urls, json_string(url));
        free(url);
    }
    json_decref(chunks);
    free(query);
    return 0;
}

char *extract_kolada_list_url(const char *base, const char *endpoint)
{
    size_t size = strlen(base) + strlen(endpoint) + 32;
    char *url = malloc(size);

    snprintf(url, size, "%s/%s?per_page=%d", base, endpoint, EXTRACT_KOLADA_PER_PAGE);
    return url;
}

char *extract_kolada_with_from_date(const char *url, const char *date)
{
    size_t size = strlen(url) + strlen(date) + 16;
    char *longer = malloc(size);

    snprintf(longer, size, "%s%sfrom_date=%s", url, strchr(url, '?') ? "&" : "?", date);
    return longer;
}
