/*
 * kolada_paging.c: following a Kolada query from page to page (see
 * kolada_paging.h).
 */
#include "kolada_paging.h"

#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"

typedef struct paging {
    extract_http *http;
    extract_kolada_query query;
    char *source;
    char *endpoint;
    json_t *details; /* the manifest fields every page shares */
    json_t *fetched; /* URLs of this query already asked for, as keys */
    json_t *page;    /* the page checked and waiting for done */
    char *next;      /* its link to the next page, or NULL */
    size_t origin_length;
    char *first_url;
} paging;

const char *extract_kolada_next_key(int api_version)
{
    return api_version == 2 ? "next_page" : "next_url";
}

static void paging_free(void *user)
{
    paging *p = user;

    json_decref(p->details);
    json_decref(p->fetched);
    json_decref(p->page);
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

/* The next link of a page: 0 with *next NULL on the last page, 1 when malformed. */
static int next_link(const paging *p, const json_t *page, char **next, char *why, size_t size)
{
    const char *key = extract_kolada_next_key(p->query.api_version);
    const json_t *link = json_object_get(page, key);

    *next = NULL;
    if (link == NULL || json_is_null(link) || (json_is_string(link) && json_string_length(link) == 0))
        return 0;
    if (!json_is_string(link)) {
        snprintf(why, size, "\"%s\" is not a string", key);
        return 1;
    }
    *next = strdup(json_string_value(link));
    return 0;
}

static int check_link(paging *p, const char *next, nk_error *err)
{
    const char *key = extract_kolada_next_key(p->query.api_version);

    if (strncmp(next, p->first_url, p->origin_length) != 0 ||
        (next[p->origin_length] != '/' && next[p->origin_length] != '?'))
        return nk_fail(err, NK_EXIT_DATA, "%s: %s \"%s\" leaves the API at %.*s", p->first_url,
                       key, next, (int)p->origin_length, p->first_url);
    if (json_object_get(p->fetched, next))
        return nk_fail(err, NK_EXIT_DATA, "%s: %s \"%s\" returns to a page already fetched",
                       p->first_url, key, next);
    return 0;
}

static int check_page(void *user, const char *path, char *why, size_t size, nk_error *err)
{
    paging *p = user;
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
    if (next_link(p, page, &p->next, why, size) != 0) {
        json_decref(page);
        return 1;
    }
    if (p->next && check_link(p, p->next, err) < 0) {
        json_decref(page);
        return -1;
    }
    json_decref(p->page);
    p->page = page;
    return 0;
}

static int queue_page(paging *p, const char *url, nk_error *err);

static int page_done(void *user, nk_error *err)
{
    paging *p = user;
    int rc = p->query.on_page ? p->query.on_page(p->query.user, p->page, err) : 0;

    json_decref(p->page);
    p->page = NULL;
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
    extract_http_handler handler = { check_page, page_done, paging_free, p };

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
    p->first_url = strdup(url);
    p->origin_length = origin_length(url);
    p->fetched = json_object();
    p->details = json_pack("{s:s, s:i, s:b}", "endpoint", query->endpoint, "api_version",
                           query->api_version, "incremental", query->incremental);
    return queue_page(p, url, err);
}
