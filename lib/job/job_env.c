/*
 * job_env.c: ${NAME} in the strings of a job file, replaced by the
 * environment variable NAME before any key is checked, so that one job file
 * serves test and production (paths, conninfo) and secrets stay out of it.
 * "$${" stands for a literal "${".  An unset variable, or a "${" that does
 * not close over a name, is a job error at the string's file, line and
 * column: a run must not go ahead with a path or a connection made empty.
 */
#include "lib/job/job_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

/* The variable at s ("${NAME}..."), appended to out; returns its length in s, or -1. */
static long expand_one(const nk_job *job, const char *s, const char *path, FILE *out, nk_error *err)
{
    size_t name_length = strspn(s + 2, NAME_CHARS);
    char name[256];
    const char *value;

    if (name_length == 0 || s[2 + name_length] != '}' || name_length >= sizeof name ||
        (s[2] >= '0' && s[2] <= '9')) {
        nk_job_fail(job, err, path,
                    "expected ${NAME} with NAME of letters, digits and '_' "
                    "(\"$${\" for a literal \"${\"), found \"%.40s\"",
                    s);
        return -1;
    }
    memcpy(name, s + 2, name_length);
    name[name_length] = '\0';
    value = getenv(name);
    if (value == NULL) {
        nk_job_fail(job, err, path, "environment variable %s is not set", name);
        return -1;
    }
    fputs(value, out);
    return (long)name_length + 3;
}

/* string with its variables expanded, malloc'd; NULL on error. */
static char *expand_string(const nk_job *job, const char *string, const char *path, nk_error *err)
{
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    const char *s = string;
    long used = 0;

    if (out == NULL) {
        nk_job_fail(job, err, path, "out of memory");
        return NULL;
    }
    while (*s && used >= 0) {
        size_t plain = strcspn(s, "$");
        fwrite(s, 1, plain, out);
        s += plain;
        if (strncmp(s, "$${", 3) == 0)
            used = fputs("${", out) < 0 ? -1 : 3;
        else if (strncmp(s, "${", 2) == 0)
            used = expand_one(job, s, path, out, err);
        else if (*s)
            used = fputc('$', out) < 0 ? -1 : 1;
        else
            used = 0;
        s += used > 0 ? used : 0;
    }
    if (fclose(out) != 0 && used >= 0)
        used = nk_job_fail(job, err, path, "out of memory");
    if (used < 0) {
        free(text);
        return NULL;
    }
    return text;
}

static int expand_value(const nk_job *job, json_t *value, const char *path, nk_error *err);

static int expand_member(const nk_job *job, json_t *container, const char *path, const char *key,
                         size_t index, nk_error *err)
{
    char child_path[512];
    json_t *child = key ? json_object_get(container, key) : json_array_get(container, index);
    char *expanded;

    if (key)
        nk_path_key(child_path, sizeof child_path, path, key);
    else
        nk_path_index(child_path, sizeof child_path, path, index);
    if (!json_is_string(child) || strchr(json_string_value(child), '$') == NULL)
        return expand_value(job, child, child_path, err);
    expanded = expand_string(job, json_string_value(child), child_path, err);
    if (expanded == NULL)
        return -1;
    /* jansson takes UTF-8 only; a variable holding other bytes must not pass unexpanded. */
    if (json_string_set(child, expanded) < 0) {
        free(expanded);
        return nk_job_fail(job, err, child_path, "an environment variable in it is not UTF-8");
    }
    free(expanded);
    return 0;
}

static int expand_value(const nk_job *job, json_t *value, const char *path, nk_error *err)
{
    const char *key;
    json_t *child;
    size_t i;

    if (json_is_object(value)) {
        json_object_foreach (value, key, child)
            if (expand_member(job, value, path, key, 0, err) < 0)
                return -1;
    } else if (json_is_array(value)) {
        json_array_foreach (value, i, child)
            if (expand_member(job, value, path, NULL, i, err) < 0)
                return -1;
    }
    return 0;
}

int nk_job_expand_environment(nk_job *job, nk_error *err)
{
    return expand_value(job, job->root, "", err);
}
