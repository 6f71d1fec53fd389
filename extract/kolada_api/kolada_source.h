/*
 * kolada_source.h: the state of one "kolada-api" source while it runs,
 * shared by the files that make up that reader:
 *   source_kolada_api.c  the phases: resolve the selection, fetch data, then
 *                        the metadata of every id the data mentions;
 *   kolada_settings.c    reading the job's keys;
 *   kolada_pages.c       collecting ids from each page.
 *
 * Id sets are JSON objects used for their keys (insertion-ordered), so that
 * requests come out in a stable order.
 */
#ifndef NYCKEL_KOLADA_SOURCE_H
#define NYCKEL_KOLADA_SOURCE_H

#include "extract/http.h"
#include "extract/kolada_api/incremental_state.h"
#include "extract/kolada_api/kolada_paging.h"

/* Queries of one endpoint waiting for the HTTP client to ask for them. */
typedef struct kolada_batch {
    json_t *urls; /* array of URLs */
    size_t next;  /* the first not yet queued */
    const char *endpoint;
    int data; /* /data or /oudata: incremental, read while it arrives */
    extract_kolada_page_fn on_page;
} kolada_batch;

/* A phase fetches at most three lists of queries. */
#define KOLADA_BATCHES 4

typedef struct kolada_source {
    extract_context *context;
    const json_t *job; /* the source's object in the job */
    const char *path;  /* its place in the job: "extract[0]" */
    const char *name;
    char *base; /* "https://api.kolada.se/v3" */
    int api_version;
    size_t url_max;
    int incremental;
    extract_http_options http_options;
    extract_http *http;
    extract_page_reader *reader; /* parses data pages beside the transfers */
    extract_state *state;

    json_t *kpis;     /* selected KPI ids */
    json_t *areas;    /* selected area ids */
    json_t *years;    /* selected years, as strings */
    json_t *ou_areas; /* municipalities whose unit data is wanted */
    int all_municipalities, all_regions, county_regions;
    int ou_data_all; /* "ou_data": true: unit data for every selected municipality */

    json_t *kpi_groups; /* group id -> found (true/false) */
    json_t *area_groups;
    json_t *operating_areas;

    json_t *kpi_has_ou; /* KPI id -> has_ou_data, from metadata */
    json_t *ous;        /* unit ids listed by /ou */
    json_t *known_kpis; /* metadata fetched */
    json_t *known_areas;
    json_t *mentioned_kpis; /* ids the data mentions */
    json_t *mentioned_areas;
    json_t *mentioned_ous;

    kolada_batch batches[KOLADA_BATCHES]; /* queries fed to the HTTP client */
    size_t batch_count, batch_next;
} kolada_source;

/* The source's base_url, or Kolada's own for its api_version; malloc'd. */
char *extract_kolada_base_url(const json_t *job);

/*
 * The defaults with the source's HTTP keys (timeouts, rate, ca_bundle ...)
 * over them; job NULL gives the defaults alone.
 */
void extract_kolada_http_options(const json_t *job, extract_http_options *options);

/* Read the job's keys into source (selection by id, years, HTTP options). */
int extract_kolada_settings(kolada_source *source, nk_error *err);
void extract_kolada_source_free(kolada_source *source);

/* Add id to a set. */
void extract_id_add(json_t *set, const char *id);
/* The set's ids as an array of strings, in insertion order. */
json_t *extract_id_list(const json_t *set);
/* The ids of set not in other, as an array. */
json_t *extract_id_missing(const json_t *set, const json_t *other);

/* Page handlers, one per endpoint; user is the kolada_source. */
int extract_kolada_on_kpi_groups(void *user, const json_t *page, nk_error *err);
int extract_kolada_on_area_groups(void *user, const json_t *page, nk_error *err);
int extract_kolada_on_kpis(void *user, const json_t *page, nk_error *err);
int extract_kolada_on_areas(void *user, const json_t *page, nk_error *err);
int extract_kolada_on_ous(void *user, const json_t *page, nk_error *err);
int extract_kolada_on_data(void *user, const extract_kolada_mentions *mentions, nk_error *err);
int extract_kolada_on_oudata(void *user, const extract_kolada_mentions *mentions, nk_error *err);

#endif
