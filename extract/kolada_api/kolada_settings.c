/*
 * kolada_settings.c: reading a "kolada-api" source's keys from the checked
 * job into the reader's state: the values, or the defaults of the key table
 * (lib/job/job_key_tables.c; docs/jobs.md lists them).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/base/exit_codes.h"
#include "extract/kolada_api/kolada_query.h"
#include "extract/kolada_api/kolada_source.h"
#include "lib/job/job_keys.h"
#include "lib/kolada/kolada_years.h"

void extract_kolada_http_options(const json_t *job, extract_http_options *o)
{
    nk_kolada_api_settings settings;

    nk_read_keys(job, &nk_keys_kolada_api, &settings);
    extract_http_settings(&settings, o);
}

static void add_ids(json_t *set, const json_t *list)
{
    size_t i;
    json_t *id;

    json_array_foreach (list, i, id)
        extract_id_add(set, json_string_value(id));
}

/* A set whose values say whether each wanted id was found yet (all false). */
static json_t *wanted(const json_t *list)
{
    json_t *set = json_object(), *id;
    size_t i;

    json_array_foreach (list, i, id)
        json_object_set_new(set, json_string_value(id), json_false());
    return set;
}

static int read_years(kolada_source *s, const json_t *given, nk_error *err)
{
    const json_t *bad;
    json_t *years = json_array(), *year;
    time_t now = time(NULL);
    struct tm tm;
    size_t i;

    gmtime_r(&now, &tm);
    if (nk_kolada_years(given, tm.tm_year + 1900, years, &bad) < 0) {
        json_decref(years);
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s.years: not checked", s->path);
    }
    s->years = json_array();
    json_array_foreach (years, i, year) {
        char text[16];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(year));
        json_array_append_new(s->years, json_string(text));
    }
    json_decref(years);
    return 0;
}

/* Kolada's own URL is the default, for the api_version asked for. */
static char *base_url(const nk_kolada_api_settings *settings)
{
    const char *base = json_string_value(settings->base_url);

    if (base)
        return strdup(base);
    return strdup(settings->api_version == 2 ? "https://api.kolada.se/v2"
                                             : "https://api.kolada.se/v3");
}

char *extract_kolada_base_url(const json_t *job)
{
    nk_kolada_api_settings settings;

    nk_read_keys(job, &nk_keys_kolada_api, &settings);
    return base_url(&settings);
}

int extract_kolada_settings(kolada_source *s, nk_error *err)
{
    const json_t *job = s->job;
    nk_kolada_api_settings settings;

    nk_read_keys(job, &nk_keys_kolada_api, &settings);
    s->name = json_string_value(json_object_get(job, "name"));
    s->api_version = (int)settings.api_version;
    s->base = base_url(&settings);
    s->url_max = (size_t)settings.url_max_length;
    s->incremental = settings.incremental;
    s->all_municipalities = settings.all_municipalities;
    s->all_regions = settings.all_regions;
    s->county_regions = settings.county_regions;
    extract_http_settings(&settings, &s->http_options);
    s->kpis = json_object();
    s->areas = json_object();
    s->ou_areas = json_object();
    add_ids(s->kpis, settings.kpis);
    add_ids(s->areas, settings.areas);
    if (settings.riket)
        extract_id_add(s->areas, "0000");
    s->ou_data_all = json_is_true(settings.ou_data);
    add_ids(s->ou_areas, json_is_array(settings.ou_data) ? settings.ou_data : NULL);
    s->kpi_groups = wanted(settings.kpi_groups);
    s->area_groups = wanted(settings.municipality_groups);
    s->operating_areas = wanted(settings.operating_areas);
    s->kpi_has_ou = json_object();
    s->ous = json_object();
    s->known_kpis = json_object();
    s->known_areas = json_object();
    s->mentioned_kpis = json_object();
    s->mentioned_areas = json_object();
    s->mentioned_ous = json_object();
    return read_years(s, settings.years, err);
}

void extract_kolada_source_free(kolada_source *s)
{
    json_t **sets[] = {
        &s->kpis,        &s->areas,           &s->years,           &s->ou_areas,     &s->kpi_groups,
        &s->area_groups, &s->operating_areas, &s->kpi_has_ou,      &s->ous,          &s->known_kpis,
        &s->known_areas, &s->mentioned_kpis,  &s->mentioned_areas, &s->mentioned_ous
    };

    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        json_decref(*sets[i]);
        *sets[i] = NULL;
    }
    for (size_t i = 0; i < s->batch_count; i++)
        json_decref(s->batches[i].urls);
    s->batch_count = s->batch_next = 0;
    free(s->base);
    s->base = NULL;
}
