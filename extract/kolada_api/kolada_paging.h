/*
 * kolada_paging.h: fetching every page of one Kolada query.
 *
 * Each page body is checked as it lands in the raw zone: a body that is not
 * complete JSON with a "values" list is damaged and fetched again (see
 * http.h), so a page is never skipped silently.  Data pages (/data,
 * /oudata) are read as a stream while they arrive (lib/kolada/kolada_stream.h), on
 * the page reader's thread (page_reader.h), and never held whole; metadata
 * pages, which are small, are parsed with jansson.  The link to the next
 * page (v3 "next_url", v2 "next_page") is followed until it is absent or
 * empty; a link that leaves the API's host or returns to a page already
 * fetched fails the run rather than loop.
 */
#ifndef NYCKEL_KOLADA_PAGING_H
#define NYCKEL_KOLADA_PAGING_H

#include "extract/http.h"
#include "extract/kolada_api/page_reader.h"

/* Called with each parsed metadata page, in order, e.g. to collect what it lists. */
typedef int (*extract_kolada_page_fn)(void *user, const json_t *page, nk_error *err);

/* The ids one data page mentions: JSON objects used for their keys. */
typedef struct extract_kolada_mentions {
    json_t *kpis;
    json_t *places; /* municipalities (/data) or units (/oudata) */
} extract_kolada_mentions;

/* Called, in order, with what each data page mentions once the page is kept. */
typedef int (*extract_kolada_data_fn)(void *user, const extract_kolada_mentions *mentions,
                                      nk_error *err);

typedef struct extract_kolada_query {
    const char *source;             /* the job's source name: raw/<source>/ */
    const char *endpoint;           /* "data", "kpi", ...: for the manifest */
    int api_version;                /* 2 or 3 */
    int incremental;                /* the URL carries from_date */
    extract_kolada_page_fn on_page; /* metadata endpoints */
    extract_kolada_data_fn on_data; /* "data" and "oudata" */
    void *user;
    extract_page_reader *reader; /* reads the data pages */
} extract_kolada_query;

/* Queue the first page of url; the rest follow as each page is done. */
int extract_kolada_fetch(extract_http *http, const char *url, const extract_kolada_query *query,
                         nk_error *err);

/* The key of the next-page link in an API version's responses. */
const char *extract_kolada_next_key(int api_version);

#endif
