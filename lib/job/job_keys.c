/*
 * job_keys.c: checking a section's keys against its table, and reading
 * them into its settings struct (see job_keys.h).
 *
 * The checks word their errors as job_check.c does, so that a key moved
 * into a table fails as it failed before.
 */
#include "lib/job/job_keys.h"

#include <stdio.h>
#include <string.h>

#include "lib/job/job_check.h"

const nk_key *nk_key_find(const nk_key_table *table, const char *name)
{
    for (; table; table = table->base)
        for (size_t i = 0; i < table->count; i++)
            if (strcmp(table->keys[i].name, name) == 0)
                return &table->keys[i];
    return NULL;
}

/* The required keys of table, its base's first, since those are the more basic. */
static int check_required(const nk_job *job, const json_t *object, const char *path,
                          const nk_key_table *table, nk_error *err)
{
    char member[512];

    if (table->base && check_required(job, object, path, table->base, err) < 0)
        return -1;
    for (size_t i = 0; i < table->count; i++) {
        if (table->keys[i].required && json_object_get(object, table->keys[i].name) == NULL) {
            nk_path_key(member, sizeof member, path, table->keys[i].name);
            return nk_job_fail(job, err, member, "required key is missing");
        }
    }
    return 0;
}

static int in_table(const void *table, const char *key)
{
    return nk_key_find(table, key) != NULL;
}

int nk_check_keys_known(const nk_job *job, const json_t *object, const char *path,
                        const nk_key_table *table, nk_error *err)
{
    if (nk_check_known_keys(job, object, path, in_table, table, err) < 0)
        return -1;
    return check_required(job, object, path, table, err);
}

/* A number (whole or not) from min to max, for rates and seconds. */
static int check_number(const nk_job *job, const json_t *object, const char *path,
                        const nk_key *key, nk_error *err)
{
    char member[512], what[128];
    const json_t *value = json_object_get(object, key->name);

    if (value == NULL || (json_is_number(value) && json_number_value(value) >= key->min &&
                          json_number_value(value) <= key->max))
        return 0;
    nk_path_key(member, sizeof member, path, key->name);
    snprintf(what, sizeof what, "a number from %g to %g", key->min, key->max);
    return nk_check_expected(job, value, member, what, err);
}

static int check_value(const nk_job *job, const json_t *object, const char *path, const nk_key *key,
                       nk_error *err)
{
    switch (key->type) {
    case NK_KEY_INTEGER:
        return nk_check_integer(job, object, path, key->name, (long long)key->min,
                                (long long)key->max, err);
    case NK_KEY_NUMBER:
        return check_number(job, object, path, key, err);
    case NK_KEY_BOOLEAN:
        return nk_check_boolean(job, object, path, key->name, err);
    case NK_KEY_STRING:
        return nk_check_string(job, object, path, key->name, err);
    case NK_KEY_CHOICE:
        return nk_check_choice(job, object, path, key->name, key->choices, err);
    case NK_KEY_STRING_LIST:
        return nk_check_string_list(job, object, path, key->name, err);
    case NK_KEY_OTHER:
        break;
    }
    return 0;
}

int nk_check_keys_values(const nk_job *job, const json_t *object, const char *path,
                         const nk_key_table *table, nk_error *err)
{
    if (table->base && nk_check_keys_values(job, object, path, table->base, err) < 0)
        return -1;
    for (size_t i = 0; i < table->count; i++)
        if (check_value(job, object, path, &table->keys[i], err) < 0)
            return -1;
    return 0;
}

int nk_check_keys(const nk_job *job, const json_t *object, const char *path,
                  const nk_key_table *table, nk_error *err)
{
    if (nk_check_keys_known(job, object, path, table, err) < 0)
        return -1;
    return nk_check_keys_values(job, object, path, table, err);
}

static void read_key(const json_t *value, const nk_key *key, char *at)
{
    switch (key->type) {
    case NK_KEY_INTEGER: {
        long long n = value ? (long long)json_integer_value(value) : (long long)key->number_default;
        memcpy(at, &n, sizeof n);
        break;
    }
    case NK_KEY_NUMBER: {
        double n = value ? json_number_value(value) : key->number_default;
        memcpy(at, &n, sizeof n);
        break;
    }
    case NK_KEY_BOOLEAN: {
        int b = value ? json_is_true(value) : key->number_default != 0;
        memcpy(at, &b, sizeof b);
        break;
    }
    case NK_KEY_STRING:
    case NK_KEY_CHOICE: {
        const char *s = value ? json_string_value(value) : key->text_default;
        memcpy(at, &s, sizeof s);
        break;
    }
    case NK_KEY_STRING_LIST:
    case NK_KEY_OTHER:
        memcpy(at, &value, sizeof value);
        break;
    }
}

void nk_read_keys(const json_t *object, const nk_key_table *table, void *settings)
{
    for (size_t i = 0; i < table->count; i++) {
        const nk_key *key = &table->keys[i];
        if (key->offset != NK_KEY_NOT_STORED)
            read_key(json_object_get(object, key->name), key, (char *)settings + key->offset);
    }
}
