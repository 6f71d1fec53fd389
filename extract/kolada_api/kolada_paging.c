/*
 * kolada_paging.c: following a Kolada query from page to page (see
 * kolada_paging.h).
 */
#include "extract/kolada_api/kolada_paging.h"

#include <stdlib.h>
#include <string.h>

#include "lib/base/exit_codes.h"
#include "extract/kolada_api/kolada_source.h"
#include "lib/kolada/kolada_stream.h"

typedef struct paging {
    extract_http *http;
    extract_kolada_query query;
    char *source;
    char *endpoint;
    json_t *details;                  /* the manifest fields every page shares */
    json_t *fetched;                  /* URLs of this query already asked for, as keys */
    int streamed;                     /* a data page: read while it arrives */
    int unit_level;                   /* /oudata: the place is a unit */
    nk_kolada_stream *stream;         /* the data page arriving */
    uint64_t last_piece;              /* its newest piece's page reader ticket */
    extract_kolada_mentions mentions; /* the ids it mentions so far */
    json_t *page;                     /* the metadata page checked and waiting for done */
    char *next;                       /* its link to the next page, or NULL */
    size_t origin_length;
    char *first_url;
} paging;

const char *extract_kolada_next_key(int api_version)
{
    return api_version == 2 ? "next_page" : "next_url";
}

/* The stream and the mentions are the page reader's until it has read every piece. */
static void finish_reading(paging *p)
{
    extract_page_reader_wait(p->query.reader, p->last_piece);
}

static int page_read(void *user)
{
    paging *p = user;

    return extract_page_reader_has_fed(p->query.reader, p->last_piece);
}

static void paging_free(void *user)
{
    paging *p = user;

    finish_reading(p);
    json_decref(p->details);
    json_decref(p->fetched);
    json_decref(p->page);
    nk_kolada_stream_free(p->stream);
    json_decref(p->mentions.kpis);
    json_decref(p->mentions.places);
    free(p->next);
    free(p->source);
    free(p->endpoint);
    free(p->first_url);
    free(p);
}

/* The length of "scheme://host:port" at the start of url. */
static size_t origin_length(const char *url)
{
    const char *host = strstr(url, "://");

    if (host == NULL)
        return 0;
    return (size_t)(host + 3 - url) + strcspn(host + 3, "/?#");
}

/* The next link: 0 with *next NULL on the last page, 1 when malformed. */
static int next_link(const paging *p, nk_kolada_member link, char **next, char *why, size_t size)
{
    const char *key = extract_kolada_next_key(p->query.api_version);

    *next = NULL;
    if (link.type == NK_KOLADA_ABSENT || link.type == NK_KOLADA_NULL ||
        (link.type == NK_KOLADA_STRING && link.text[0] == '\0'))
        return 0;
    if (link.type != NK_KOLADA_STRING) {
        snprintf(why, size, "\"%s\" is not a string", key);
        return 1;
    }
    *next = strdup(link.text);
    return 0;
}

/* The next link of a metadata page, typed as a data page's would be. */
static nk_kolada_member link_of(const paging *p, const json_t *page)
{
    const json_t *link = json_object_get(page, extract_kolada_next_key(p->query.api_version));
    nk_kolada_member member = { NK_KOLADA_OBJECT, NULL };

    if (link == NULL)
        member.type = NK_KOLADA_ABSENT;
    else if (json_is_null(link))
        member.type = NK_KOLADA_NULL;
    else if (json_is_string(link))
        member = (nk_kolada_member){ NK_KOLADA_STRING, json_string_value(link) };
    return member;
}

static int check_link(paging *p, const char *next, nk_error *err)
{
    const char *key = extract_kolada_next_key(p->query.api_version);

    if (strncmp(next, p->first_url, p->origin_length) != 0 ||
        (next[p->origin_length] != '/' && next[p->origin_length] != '?'))
        return nk_fail(err, NK_EXIT_DATA, "%s: %s \"%s\" leaves the API at %.*s", p->first_url, key,
                       next, (int)p->origin_length, p->first_url);
    if (json_object_get(p->fetched, next))
        return nk_fail(err, NK_EXIT_DATA, "%s: %s \"%s\" returns to a page already fetched",
                       p->first_url, key, next);
    return 0;
}

/* A row of a data page: note the ids it mentions (old mirrors write municipalities as numbers). */
static int collect_ids(void *user, const nk_kolada_row *row, nk_error *err)
{
    paging *p = user;

    (void)err;
    if (row->kpi.type == NK_KOLADA_STRING)
        extract_id_add(p->mentions.kpis, row->kpi.text);
    if (row->place.type == NK_KOLADA_STRING ||
        (!p->unit_level && row->place.type == NK_KOLADA_INTEGER))
        extract_id_add(p->mentions.places, row->place.text);
    return 0;
}

/* Each attempt at a data page starts a new stream: what a damaged one said is forgotten. */
static void begin_body(void *user)
{
    paging *p = user;

    finish_reading(p);
    nk_kolada_stream_free(p->stream);
    p->stream = nk_kolada_stream_new("body", p->unit_level, collect_ids, p);
    if (p->stream)
        nk_kolada_stream_rows_only(p->stream);
    json_object_clear(p->mentions.kpis);
    json_object_clear(p->mentions.places);
}

/* A failure is kept in the stream and reported by check_data_page. */
static void receive_body(void *user, const char *data, size_t length)
{
    paging *p = user;

    if (p->stream)
        p->last_piece = extract_page_reader_feed(p->query.reader, p->stream, data, length);
}

static int check_data_page(paging *p, char *why, size_t size, nk_error *err)
{
    nk_error failure = { 0 };

    finish_reading(p);
    if (p->stream == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory reading a page", p->first_url);
    if (nk_kolada_stream_end(p->stream, &failure) < 0) {
        if (failure.exit_code != NK_EXIT_DATA) {
            *err = failure;
            return -1;
        }
        snprintf(why, size, "%s", failure.message);
        return 1;
    }
    free(p->next);
    const nk_kolada_page *page = nk_kolada_stream_page(p->stream);
    return next_link(p, p->query.api_version == 2 ? page->next_page : page->next_url, &p->next, why,
                     size);
}

static int check_metadata_page(paging *p, const char *path, char *why, size_t size)
{
    json_error_t error;
    json_t *page = json_load_file(path, 0, &error);

    if (page == NULL) {
        snprintf(why, size, "not valid JSON at byte %d: %s", error.position, error.text);
        return 1;
    }
    if (!json_is_array(json_object_get(page, "values"))) {
        json_decref(page);
        snprintf(why, size, "expected an object with a \"values\" list");
        return 1;
    }
    free(p->next);
    if (next_link(p, link_of(p, page), &p->next, why, size) != 0) {
        json_decref(page);
        return 1;
    }
    json_decref(p->page);
    p->page = page;
    return 0;
}

static int check_page(void *user, const char *path, char *why, size_t size, nk_error *err)
{
    paging *p = user;
    int rc = p->streamed ? check_data_page(p, why, size, err)
                         : check_metadata_page(p, path, why, size);

    if (rc == 0 && p->next && check_link(p, p->next, err) < 0)
        return -1;
    return rc;
}

static int queue_page(paging *p, const char *url, nk_error *err);

/*
 * The next page waits in the queue behind other queries' pages: between
 * pages a query keeps nothing of the last one (begin_body makes the next
 * stream).
 */
static void forget_page(paging *p)
{
    finish_reading(p);
    nk_kolada_stream_free(p->stream);
    p->stream = NULL;
    json_decref(p->mentions.kpis);
    json_decref(p->mentions.places);
    p->mentions.kpis = json_object();
    p->mentions.places = json_object();
}

static int page_done(void *user, nk_error *err)
{
    paging *p = user;
    int rc = 0;

    if (p->streamed && p->query.on_data)
        rc = p->query.on_data(p->query.user, &p->mentions, err);
    else if (!p->streamed && p->query.on_page)
        rc = p->query.on_page(p->query.user, p->page, err);
    json_decref(p->page);
    p->page = NULL;
    forget_page(p);
    if (rc == 0 && p->next) {
        char *next = p->next;
        p->next = NULL;
        rc = queue_page(p, next, err);
        free(next);
        return rc;
    }
    paging_free(p);
    return rc;
}

static int queue_page(paging *p, const char *url, nk_error *err)
{
    extract_http_handler handler = { check_page, page_done, paging_free, p, NULL, NULL, NULL };

    if (p->streamed) {
        handler.begin = begin_body;
        handler.receive = receive_body;
        handler.ready = page_read;
    }
    json_object_set_new(p->fetched, url, json_true());
    if (extract_http_get(p->http, url, p->source, p->details, &handler, err) < 0) {
        paging_free(p);
        return -1;
    }
    return 0;
}

int extract_kolada_fetch(extract_http *http, const char *url, const extract_kolada_query *query,
                         nk_error *err)
{
    paging *p = calloc(1, sizeof *p);

    if (p == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory queueing %s", url);
    p->http = http;
    p->query = *query;
    p->source = strdup(query->source);
    p->endpoint = strdup(query->endpoint);
    p->query.source = p->source;
    p->query.endpoint = p->endpoint;
    p->streamed = strcmp(query->endpoint, "data") == 0 || strcmp(query->endpoint, "oudata") == 0;
    p->unit_level = strcmp(query->endpoint, "oudata") == 0;
    p->mentions.kpis = json_object();
    p->mentions.places = json_object();
    p->first_url = strdup(url);
    p->origin_length = origin_length(url);
    p->fetched = json_object();
    p->details = json_pack("{s:s, s:i, s:b}", "endpoint", query->endpoint, "api_version",
                           query->api_version, "incremental", query->incremental);
    return queue_page(p, url, err);
}
