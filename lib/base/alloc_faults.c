/*
 * alloc_faults.c: the wrapped allocators of the allocation-failure test
 * mode (see alloc_faults.h).  The linker's --wrap sends the project's calls
 * to __wrap_malloc and so on, and __real_malloc names the C library's.  The
 * programs never reference these, so no program carries this object.
 */
#include "lib/base/alloc_faults.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
int __wrap_asprintf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static unsigned long fail_at, made;
static int hit;

void nk_alloc_faults_arm(unsigned long n)
{
    fail_at = n;
    made = 0;
    hit = 0;
}

unsigned long nk_alloc_faults_count(void)
{
    return made;
}

int nk_alloc_faults_hit(void)
{
    return hit;
}

/* Count one allocation: 1 when it is the one to fail (errno then ENOMEM, as malloc sets it). */
static int failing(void)
{
    made++;
    if (fail_at == 0 || made != fail_at)
        return 0;
    hit = 1;
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return failing() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return failing() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return failing() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return failing() ? NULL : __real_strdup(s);
}

/* asprintf's own malloc is inside the C library, out of --wrap's reach: counted here. */
int __wrap_asprintf(char **out, const char *fmt, ...)
{
    va_list args;

    if (failing())
        return -1;
    va_start(args, fmt);
    int rc = vasprintf(out, fmt, args);
    va_end(args);
    return rc;
}
