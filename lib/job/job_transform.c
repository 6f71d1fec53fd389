/*
 * job_transform.c: checking the "transform" section of a job file.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/job/job_check.h"
#include "lib/job/job_keys.h"

/* "max_rejects" is a count (12) or a share of rows read ("0.5%"). */
static int check_max_rejects(const nk_job *job, const json_t *section, nk_error *err)
{
    const json_t *value = json_object_get(section, "max_rejects");
    const char *text = json_string_value(value);
    char *end;

    if (value == NULL || (json_is_integer(value) && json_integer_value(value) >= 0))
        return 0;
    if (text) {
        double share = strtod(text, &end);
        if (end != text && strcmp(end, "%") == 0 && share >= 0 && share <= 100)
            return 0;
    }
    return nk_check_expected(job, value, "transform.max_rejects",
                             "a count like 10 or a percentage like \"0.5%\"", err);
}

int nk_job_check_transform(const nk_job *job, nk_error *err)
{
    const json_t *section = nk_job_section(job, "transform");

    if (section == NULL)
        return 0;
    if (nk_check_keys(job, section, "transform", &nk_keys_transform, err) < 0)
        return -1;
    if (check_max_rejects(job, section, err) < 0)
        return -1;
    return nk_job_check_mappings(job, section, err);
}
