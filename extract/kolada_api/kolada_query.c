/*
 * kolada_query.c: Kolada URLs within the API's limits (see kolada_query.h).
 */
#include "extract/kolada_api/kolada_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"

#define MAX_SEGMENTS 4

json_t *extract_kolada_chunks(const json_t *ids, size_t size)
{
    json_t *chunks = json_array();
    nk_buffer chunk = NK_BUFFER_INIT(0, 0);
    size_t total = json_array_size(ids);
    int failed = chunks == NULL;

    for (size_t first = 0; !failed && first < total; first += size) {
        size_t end = first + size < total ? first + size : total;
        nk_buffer_reset(&chunk);
        for (size_t i = first; !failed && i < end; i++)
            failed = nk_buffer_printf(&chunk, "%s%s", i > first ? "," : "",
                                      json_string_value(json_array_get(ids, i))) < 0;
        if (!failed)
            failed = json_array_append_new(chunks, json_string(nk_buffer_text(&chunk))) < 0;
    }
    nk_buffer_free(&chunk);
    if (failed) {
        json_decref(chunks);
        return NULL;
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

#define QUERY_SIZE 32

static void page_query(char query[QUERY_SIZE])
{
    snprintf(query, QUERY_SIZE, "per_page=%d", EXTRACT_KOLADA_PER_PAGE);
}

/* Chunk every segment so that the longest URL fits max_length; -1 when none can, -2 when out
 * of memory. */
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
            if (chunks[i] == NULL)
                return -2;
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

/* Every URL from prefix on through the segments from index: 0, or -1 when out of memory. */
static int append_product(const char *prefix, const extract_kolada_segment *segments,
                          json_t **chunks, size_t index, size_t count, const char *query,
                          json_t *urls)
{
    nk_buffer longer = NK_BUFFER_INIT(0, 0);
    size_t i;
    json_t *chunk;
    int rc = 0;

    if (index == count) {
        rc = nk_buffer_printf(&longer, "%s?%s", prefix, query);
        if (rc == 0)
            rc = json_array_append_new(urls, json_string(nk_buffer_text(&longer)));
        nk_buffer_free(&longer);
        return rc < 0 ? -1 : 0;
    }
    json_array_foreach (chunks[index], i, chunk) {
        const char *name = segments[index].name;
        nk_buffer_reset(&longer);
        if (name)
            rc = nk_buffer_printf(&longer, "%s/%s/%s", prefix, name, json_string_value(chunk));
        else
            rc = nk_buffer_printf(&longer, "%s/%s", prefix, json_string_value(chunk));
        if (rc < 0 || append_product(nk_buffer_text(&longer), segments, chunks, index + 1, count,
                                     query, urls) < 0)
            break;
    }
    nk_buffer_free(&longer);
    return rc < 0 || i < json_array_size(chunks[index]) ? -1 : 0;
}

/* The error of a URL list that fit_chunks could not make. */
static int no_chunks(int fit, const char *base, const char *endpoint, const char *what,
                     size_t max_length, nk_error *err)
{
    if (fit == -2)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s/%s: out of memory building the URLs", base,
                       endpoint);
    return nk_fail(err, NK_EXIT_CONFIG,
                   "%s/%s: a URL with one %s is still longer than the limit of %zu characters "
                   "(url_max_length)",
                   base, endpoint, what, max_length);
}

int extract_kolada_path_urls(const char *base, const char *endpoint,
                             const extract_kolada_segment *segments, size_t count,
                             size_t max_length, json_t *urls, nk_error *err)
{
    json_t *chunks[MAX_SEGMENTS] = { 0 };
    char query[QUERY_SIZE];
    nk_buffer prefix = NK_BUFFER_INIT(0, 0);
    int rc = 0, fit;

    page_query(query);
    size_t fixed = strlen(base) + 1 + strlen(endpoint) + 1 + strlen(query);
    if (count > MAX_SEGMENTS)
        rc = nk_fail(err, NK_EXIT_SOFTWARE, "%zu path segments for /%s", count, endpoint);
    else if ((fit = fit_chunks(fixed, segments, count, max_length, chunks)) < 0)
        rc = no_chunks(fit, base, endpoint, "id per segment", max_length, err);
    if (rc == 0 &&
        (nk_buffer_printf(&prefix, "%s/%s", base, endpoint) < 0 ||
         append_product(nk_buffer_text(&prefix), segments, chunks, 0, count, query, urls) < 0))
        rc = no_chunks(-2, base, endpoint, NULL, 0, err);
    nk_buffer_free(&prefix);
    for (size_t i = 0; i < count && i < MAX_SEGMENTS; i++)
        json_decref(chunks[i]);
    return rc;
}

int extract_kolada_param_urls(const char *base, const char *endpoint, const char *param,
                              const json_t *ids, size_t max_length, json_t *urls, nk_error *err)
{
    extract_kolada_segment segment = { param, ids };
    json_t *chunks = NULL, *chunk;
    char query[QUERY_SIZE];
    nk_buffer url = NK_BUFFER_INIT(0, 0);
    size_t i;
    int fit;

    page_query(query);
    size_t fixed = strlen(base) + strlen(endpoint) + strlen(query) + 3;
    if ((fit = fit_chunks(fixed, &segment, 1, max_length, &chunks)) < 0) {
        json_decref(chunks);
        return no_chunks(fit, base, endpoint, param, max_length, err);
    }
    json_array_foreach (chunks, i, chunk) {
        nk_buffer_reset(&url);
        if (nk_buffer_printf(&url, "%s/%s?%s=%s&%s", base, endpoint, param,
                             json_string_value(chunk), query) < 0 ||
            json_array_append_new(urls, json_string(nk_buffer_text(&url))) < 0)
            break;
    }
    nk_buffer_free(&url);
    fit = i < json_array_size(chunks) ? -2 : 0;
    json_decref(chunks);
    return fit < 0 ? no_chunks(fit, base, endpoint, param, max_length, err) : 0;
}

char *extract_kolada_list_url(const char *base, const char *endpoint)
{
    nk_buffer url = NK_BUFFER_INIT(0, 0);

    if (nk_buffer_printf(&url, "%s/%s?per_page=%d", base, endpoint, EXTRACT_KOLADA_PER_PAGE) < 0)
        return NULL;
    return nk_buffer_take(&url, NULL);
}

char *extract_kolada_with_from_date(const char *url, const char *date)
{
    nk_buffer longer = NK_BUFFER_INIT(0, 0);

    if (nk_buffer_printf(&longer, "%s%sfrom_date=%s", url, strchr(url, '?') ? "&" : "?", date) < 0)
        return NULL;
    return nk_buffer_take(&longer, NULL);
}
