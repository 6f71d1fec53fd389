/*
 * temp_dir.h: a fresh folder under /tmp for the unit tests that write
 * files, and its removal afterwards.
 */
#ifndef NYCKEL_TESTS_TEMP_DIR_H
#define NYCKEL_TESTS_TEMP_DIR_H

#include <stdio.h>
#include <stdlib.h>

/* /tmp/nyckel-<name>-XXXXXX, made; 0, or -1 when it cannot be. */
static inline int temp_dir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/nyckel-%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

static inline int temp_dir_remove(const char *dir)
{
    char command[300];

    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command) == 0 ? 0 : -1;
}

#endif
