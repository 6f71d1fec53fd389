/*
 * extract_check.c: nyckel-extract --check (see extract_check.h).  Each problem is listed,
 * not only the first: a check is read by a person fixing a job before the
 * night, who wants the whole list at once.
 */
#include "extract/extract_check.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/archive_guard.h"
#include "lib/base/cli.h"
#include "lib/base/exit_codes.h"
#include "extract/http.h"
#include "lib/job/job_files.h"
#include "extract/kolada_api/kolada_source.h"
#include "lib/base/log.h"

/* An archive the source reads must hold a member it wants. */
static int check_archive(const json_t *source, const char *path, nk_error *err)
{
    nk_error found = { 0, "" };
    nk_archive_limits limits;
    nk_archive_guard guard;
    struct archive_entry *entry;
    const char *member;
    int rc, wanted = 0;

    nk_job_archive_limits(source, &limits);
    if (nk_archive_guard_open(&guard, path, &limits, &found) < 0)
        return nk_check_problem(err, found.exit_code, "%s", found.message);
    while (!wanted && (rc = nk_archive_guard_next(&guard, &entry, &member, &found)) == 1)
        wanted = nk_job_wants_member(source, member);
    nk_archive_guard_close(&guard);
    if (rc < 0)
        return nk_check_problem(err, found.exit_code, "%s", found.message);
    if (!wanted)
        return nk_check_problem(err, NK_EXIT_NOINPUT,
                                "%s: no member matches the source's \"members\"", path);
    return 0;
}

/* Each pattern on its own, so that every one that matches nothing is named. */
static int check_paths(const nk_job *job, const json_t *source, const char *where, nk_error *err)
{
    const json_t *patterns = json_object_get(source, "paths");
    int problems = 0;
    size_t i;
    json_t *pattern;

    json_array_foreach (patterns, i, pattern) {
        nk_error found = { 0, "" };
        nk_path_list files = { 0 };
        char place[96];

        snprintf(place, sizeof place, "%s.paths[%zu]", where, i);
        if (nk_job_add_pattern(job, json_string_value(pattern), place, &files, &found) < 0)
            problems -= nk_check_problem(err, found.exit_code, "%s", found.message);
        for (size_t f = 0; f < files.count; f++) {
            if (access(files.paths[f], R_OK) < 0)
                problems -= nk_check_problem(err, NK_EXIT_NOINPUT, "%s: cannot be read",
                                             files.paths[f]);
            else if (nk_is_archive(files.paths[f]))
                problems -= check_archive(source, files.paths[f], err);
        }
        nk_path_list_free(&files);
    }
    return problems;
}

static size_t discard(char *data, size_t size, size_t count, void *user)
{
    (void)data;
    (void)user;
    return size * count;
}

/* GET base_url/municipality/0000 (Riket: one small row); any 2xx is an answer. */
static int check_api(const json_t *source, const char *where, nk_error *err)
{
    char *base = extract_kolada_base_url(source), url[2100], failure[CURL_ERROR_SIZE] = "";
    extract_http_options options;
    CURL *curl = curl_easy_init();
    long status = 0;
    CURLcode rc;

    extract_kolada_http_options(source, &options);
    snprintf(url, sizeof url, "%.2000s/municipality/0000", base);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, failure);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options.connect_timeout);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, options.connect_timeout * 2);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (options.ca_bundle)
        curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle);
    rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    free(base);
    if (rc != CURLE_OK)
        return nk_check_problem(err, NK_EXIT_UNAVAILABLE, "%s.base_url: %s: %s", where, url,
                                failure[0] ? failure : curl_easy_strerror(rc));
    if (status < 200 || status > 299)
        return nk_check_problem(err, status == 404 ? NK_EXIT_DATA : NK_EXIT_UNAVAILABLE,
                                "%s.base_url: %s answered HTTP %ld", where, url, status);
    nk_info("check: %s.base_url answers (%s)", where, url);
    return 0;
}

int extract_check(const nk_job *job, int offline, nk_error *err)
{
    int problems = 0;
    char where[64];
    size_t i;
    json_t *source;

    json_array_foreach (nk_job_section(job, "extract"), i, source) {
        const char *type = json_string_value(json_object_get(source, "type"));
        snprintf(where, sizeof where, "extract[%zu]", i);
        if (strcmp(type, "kolada-api") != 0)
            problems += check_paths(job, source, where, err);
        else if (!offline)
            problems -= check_api(source, where, err);
    }
    return nk_check_finish("extract", problems, err);
}
