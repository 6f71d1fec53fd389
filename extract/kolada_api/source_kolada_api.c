/*
 * source_kolada_api.c: the "kolada-api" source: the Kolada REST API, v3 or
 * v2, into the raw zone.
 *
 * It works in four phases, each a batch of concurrent requests:
 *   1. resolve the selection: KPI and municipality groups, the KPI list when
 *      operating areas are selected, the municipality list when all
 *      municipalities or regions are;
 *   2. metadata of the selected KPIs and areas, and the units (/ou) of the
 *      municipalities whose unit data is wanted;
 *   3. data and unit data, with from_date for queries fetched before;
 *   4. metadata of every KPI, area and unit the data mentions that phases
 *      1-2 did not bring, so transform never meets an unknown id.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "extract/kolada_api/kolada_query.h"
#include "extract/kolada_api/kolada_source.h"
#include "lib/base/log.h"

/* Data pages are not parsed whole: their handler gets the ids each one mentions. */
static extract_kolada_data_fn data_handler(const char *endpoint)
{
    if (strcmp(endpoint, "data") == 0)
        return extract_kolada_on_data;
    if (strcmp(endpoint, "oudata") == 0)
        return extract_kolada_on_oudata;
    return NULL;
}

static int fetch(kolada_source *s, const char *url, const char *endpoint, int incremental,
                 extract_kolada_page_fn on_page, nk_error *err)
{
    extract_kolada_query query = { .source = s->name,
                                   .endpoint = endpoint,
                                   .api_version = s->api_version,
                                   .incremental = incremental,
                                   .on_page = on_page,
                                   .on_data = data_handler(endpoint),
                                   .user = s,
                                   .reader = s->reader };

    return extract_kolada_fetch(s->http, url, &query, err);
}

static int fetch_list(kolada_source *s, const char *endpoint, extract_kolada_page_fn on_page,
                      nk_error *err)
{
    char *url = extract_kolada_list_url(s->base, endpoint);
    int rc = url ? fetch(s, url, endpoint, 0, on_page, err)
                 : nk_fail(err, NK_EXIT_SOFTWARE, "/%s: out of memory building the URL", endpoint);

    free(url);
    return rc;
}

/* Queue one query; data queries get from_date from the state and are marked in it. */
static int fetch_query(kolada_source *s, const kolada_batch *batch, const char *query,
                       nk_error *err)
{
    const char *from = batch->data && s->state ? extract_state_from_date(s->state, query) : NULL;
    char *full = from ? extract_kolada_with_from_date(query, from) : strdup(query);
    int rc = full ? fetch(s, full, batch->endpoint, from != NULL, batch->on_page, err)
                  : nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory building the URL", query);

    free(full);
    if (rc == 0 && batch->data && s->state)
        extract_state_mark(s->state, query);
    return rc;
}

/* The HTTP client's feed: the next waiting query, batch after batch. */
static int feed_query(void *user, nk_error *err)
{
    kolada_source *s = user;

    while (s->batch_next < s->batch_count) {
        kolada_batch *batch = &s->batches[s->batch_next];
        if (batch->next < json_array_size(batch->urls)) {
            const char *query = json_string_value(json_array_get(batch->urls, batch->next++));
            return fetch_query(s, batch, query, err) < 0 ? -1 : 1;
        }
        json_decref(batch->urls);
        batch->urls = NULL;
        s->batch_next++;
    }
    s->batch_count = s->batch_next = 0;
    return 0;
}

/* Fetch every URL in urls (consumed) in the next extract_http_run(). */
static int fetch_all(kolada_source *s, json_t *urls, const char *endpoint, int data,
                     extract_kolada_page_fn on_page, nk_error *err)
{
    if (s->batch_count == KOLADA_BATCHES) {
        json_decref(urls);
        return nk_fail(err, NK_EXIT_SOFTWARE, "more than %d batches of %s queries", KOLADA_BATCHES,
                       endpoint);
    }
    s->batches[s->batch_count++] =
        (kolada_batch){ .urls = urls, .endpoint = endpoint, .data = data, .on_page = on_page };
    extract_http_set_feed(s->http, feed_query, s);
    return 0;
}

/* GET /endpoint/{ids} for ids (an array, consumed), 25 at a time. */
static int fetch_by_ids(kolada_source *s, const char *endpoint, json_t *ids,
                        extract_kolada_page_fn on_page, nk_error *err)
{
    extract_kolada_segment segment = { NULL, ids };
    json_t *urls = json_array();
    int rc = 0;

    if (json_array_size(ids) > 0)
        rc = extract_kolada_path_urls(s->base, endpoint, &segment, 1, s->url_max, urls, err);
    json_decref(ids);
    if (rc < 0) {
        json_decref(urls);
        return -1;
    }
    return fetch_all(s, urls, endpoint, 0, on_page, err);
}

/* Every wanted group or operating area must exist: a typo must not shrink the selection. */
static int check_found(kolada_source *s, const json_t *wanted, const char *key, const char *what,
                       nk_error *err)
{
    const json_t *list = json_object_get(s->job, key);
    char path[600];
    size_t i;
    json_t *id;

    json_array_foreach (list, i, id) {
        if (json_is_true(json_object_get(wanted, json_string_value(id))))
            continue;
        snprintf(path, sizeof path, "%s.%s[%zu]", s->path, key, i);
        return nk_job_fail(s->context->job, err, path, "%s \"%s\" is not in Kolada at %s", what,
                           json_string_value(id), s->base);
    }
    return 0;
}

static int is_municipality(const char *id)
{
    return strlen(id) == 4 && strspn(id, "0123456789") == 4 && strncmp(id, "00", 2) != 0;
}

/* Add the county region of each selected municipality ("1480" is in county 14: "0014"). */
static void add_county_regions(kolada_source *s)
{
    json_t *municipalities = extract_id_list(s->areas), *id;
    size_t i;

    json_array_foreach (municipalities, i, id) {
        const char *area = json_string_value(id);
        char region[5] = "00";
        if (!is_municipality(area))
            continue;
        memcpy(region + 2, area, 2);
        region[4] = '\0';
        extract_id_add(s->areas, region);
    }
    json_decref(municipalities);
}

static int resolve_selection(kolada_source *s, nk_error *err)
{
    const char *id;
    json_t *value;

    if (fetch_list(s, "kpi_groups", extract_kolada_on_kpi_groups, err) < 0 ||
        fetch_list(s, "municipality_groups", extract_kolada_on_area_groups, err) < 0 ||
        (json_object_size(s->operating_areas) &&
         fetch_list(s, "kpi", extract_kolada_on_kpis, err) < 0) ||
        ((s->all_municipalities || s->all_regions) &&
         fetch_list(s, "municipality", extract_kolada_on_areas, err) < 0) ||
        extract_http_run(s->http, err) < 0)
        return -1;
    if (check_found(s, s->kpi_groups, "kpi_groups", "KPI group", err) < 0 ||
        check_found(s, s->area_groups, "municipality_groups", "municipality group", err) < 0 ||
        check_found(s, s->operating_areas, "operating_areas", "operating area", err) < 0)
        return -1;
    if (s->county_regions)
        add_county_regions(s);
    if (s->ou_data_all)
        json_object_foreach (s->areas, id, value)
            if (is_municipality(id))
                extract_id_add(s->ou_areas, id);
    if (json_object_size(s->kpis) == 0 || json_object_size(s->areas) == 0)
        return nk_job_fail(s->context->job, err, s->path,
                           "the selection has %zu KPI(s) and %zu area(s); nothing to fetch",
                           json_object_size(s->kpis), json_object_size(s->areas));
    nk_info("%s: %zu KPI(s) x %zu area(s) x %zu year(s), unit data for %zu municipality(ies)",
            s->name, json_object_size(s->kpis), json_object_size(s->areas),
            json_array_size(s->years), json_object_size(s->ou_areas));
    return 0;
}

static int fetch_selected_metadata(kolada_source *s, nk_error *err)
{
    json_t *urls = json_array();
    json_t *ou_areas = extract_id_list(s->ou_areas);
    int rc = 0;

    if (json_array_size(ou_areas) > 0)
        rc = extract_kolada_param_urls(s->base, "ou", "municipality", ou_areas, s->url_max, urls,
                                       err);
    json_decref(ou_areas);
    if (rc < 0) {
        json_decref(urls);
        return -1;
    }
    if (fetch_by_ids(s, "kpi", extract_id_missing(s->kpis, s->known_kpis), extract_kolada_on_kpis,
                     err) < 0 ||
        fetch_by_ids(s, "municipality", extract_id_missing(s->areas, s->known_areas),
                     extract_kolada_on_areas, err) < 0 ||
        fetch_all(s, urls, "ou", 0, extract_kolada_on_ous, err) < 0)
        return -1;
    return extract_http_run(s->http, err);
}

/* The URLs of /endpoint/kpi/{kpis}/<what>/{ids}/year/{years}; ids and kpis are consumed. */
static int data_urls(kolada_source *s, const char *endpoint, json_t *kpis, const char *what,
                     json_t *ids, json_t *urls, nk_error *err)
{
    extract_kolada_segment segments[] = { { "kpi", kpis }, { what, ids }, { "year", s->years } };
    int rc = 0;

    if (json_array_size(kpis) && json_array_size(ids))
        rc = extract_kolada_path_urls(s->base, endpoint, segments, 3,
                                      s->url_max - EXTRACT_KOLADA_FROM_DATE_LENGTH, urls, err);
    json_decref(kpis);
    json_decref(ids);
    return rc;
}

/* KPIs that may have unit data: those whose metadata says so, or has not said. */
static json_t *ou_kpis(const kolada_source *s)
{
    json_t *list = json_array(), *value;
    const char *id;

    json_object_foreach (s->kpis, id, value) {
        const json_t *has = json_object_get(s->kpi_has_ou, id);
        if (has == NULL || json_is_true(has))
            json_array_append_new(list, json_string(id));
    }
    return list;
}

static int fetch_data(kolada_source *s, nk_error *err)
{
    json_t *urls = json_array(), *ou_urls = json_array();

    if (data_urls(s, "data", extract_id_list(s->kpis), "municipality", extract_id_list(s->areas),
                  urls, err) < 0 ||
        data_urls(s, "oudata", ou_kpis(s), "ou", extract_id_list(s->ous), ou_urls, err) < 0) {
        json_decref(urls);
        json_decref(ou_urls);
        return -1;
    }
    if (fetch_all(s, urls, "data", 1, NULL, err) < 0) {
        json_decref(ou_urls);
        return -1;
    }
    if (fetch_all(s, ou_urls, "oudata", 1, NULL, err) < 0)
        return -1;
    return extract_http_run(s->http, err);
}

static int fetch_mentioned_metadata(kolada_source *s, nk_error *err)
{
    const char *id;
    json_t *value;

    json_object_foreach (s->areas, id, value)
        extract_id_add(s->mentioned_areas, id);
    if (fetch_by_ids(s, "kpi", extract_id_missing(s->mentioned_kpis, s->known_kpis),
                     extract_kolada_on_kpis, err) < 0 ||
        fetch_by_ids(s, "municipality", extract_id_missing(s->mentioned_areas, s->known_areas),
                     extract_kolada_on_areas, err) < 0 ||
        fetch_by_ids(s, "ou", extract_id_missing(s->mentioned_ous, s->ous), extract_kolada_on_ous,
                     err) < 0)
        return -1;
    return extract_http_run(s->http, err);
}

static int run_phases(kolada_source *s, nk_error *err)
{
    if (resolve_selection(s, err) < 0 || fetch_selected_metadata(s, err) < 0 ||
        fetch_data(s, err) < 0 || fetch_mentioned_metadata(s, err) < 0) {
        nk_error_prefix(err, "%s", s->name);
        return -1;
    }
    return 0;
}

/* A page read to its end may let a waiting transfer finish. */
static void wake_transfers(void *http)
{
    extract_http_wakeup(http);
}

int extract_kolada_api(extract_context *context, const json_t *source, const char *job_path,
                       nk_error *err)
{
    kolada_source s = { .context = context, .job = source, .path = job_path };
    size_t before = nk_manifest_writer_count(context->manifest);
    int rc = -1;

    if (extract_kolada_settings(&s, err) < 0)
        goto out;
    if (s.incremental && (s.state = extract_state_open(context, source, s.name, err)) == NULL)
        goto out;
    s.reader = extract_page_reader_start(err);
    if (s.reader == NULL)
        goto out;
    s.http = extract_http_new(context, &s.http_options, err);
    if (s.http == NULL)
        goto out;
    extract_page_reader_notify(s.reader, wake_transfers, s.http);
    rc = run_phases(&s, err);
    extract_page_reader_notify(s.reader, NULL, NULL);
    if (rc == 0) {
        nk_info("%s: %zu response(s) from %s", s.name,
                nk_manifest_writer_count(context->manifest) - before, s.base);
        if (s.state)
            extract_state_stage(context, s.state);
        s.state = NULL;
    }
out:
    /* After the transfers: a dropped one waits for its stream's pieces. */
    extract_http_free(s.http);
    extract_page_reader_stop(s.reader);
    extract_state_free(s.state);
    extract_kolada_source_free(&s);
    return rc;
}
