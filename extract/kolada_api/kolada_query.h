/*
 * kolada_query.h: building Kolada API URLs within the API's limits: at most
 * 25 ids in one path segment, every URL under a length limit, and the
 * largest page size (per_page=5000) so that a selection takes few requests.
 */
#ifndef NYCKEL_KOLADA_QUERY_H
#define NYCKEL_KOLADA_QUERY_H

#include <jansson.h>

#include "lib/base/error.h"

#define EXTRACT_KOLADA_MAX_IDS 25
#define EXTRACT_KOLADA_PER_PAGE 5000
/* What "&from_date=YYYY-MM-DD" adds to a URL built without it. */
#define EXTRACT_KOLADA_FROM_DATE_LENGTH 21

/*
 * One path segment: "kpi", "municipality", "ou" or "year", and its ids
 * (strings).  A NULL name puts the ids straight after the endpoint: /kpi/{ids}.
 */
typedef struct extract_kolada_segment {
    const char *name;
    const json_t *ids;
} extract_kolada_segment;

/* ids (an array of strings) as comma-joined chunks of at most size ids each; NULL when out of
 * memory. */
json_t *extract_kolada_chunks(const json_t *ids, size_t size);

/*
 * Append to urls every URL base/endpoint/name/chunk/name/chunk/...?per_page=5000
 * that together cover all combinations of the segments' ids.  Segments with
 * more than 25 ids are split; when a URL would still be longer than
 * max_length, segments are split further.  A URL that cannot fit even with
 * one id per segment is an NK_EXIT_CONFIG error.
 */
int extract_kolada_path_urls(const char *base, const char *endpoint,
                             const extract_kolada_segment *segments, size_t count,
                             size_t max_length, json_t *urls, nk_error *err);

/* base/endpoint?param=chunk&per_page=5000 for chunks of ids, for /ou?municipality=. */
int extract_kolada_param_urls(const char *base, const char *endpoint, const char *param,
                              const json_t *ids, size_t max_length, json_t *urls, nk_error *err);

/* base/endpoint?per_page=5000: a whole listing (/kpi_groups, /municipality); malloc'd, NULL
 * when out of memory. */
char *extract_kolada_list_url(const char *base, const char *endpoint);

/* url with "&from_date=date" added (malloc'd; NULL when out of memory). */
char *extract_kolada_with_from_date(const char *url, const char *date);

#endif
