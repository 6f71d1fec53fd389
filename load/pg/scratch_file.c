/*
 * scratch_file.c: unlinked temporary files in $TMPDIR (or /tmp) for rows
 * on their way through the client: the recomputed benchmark before it is
 * copied back, a first load's values set aside for it.  Unlinked at once,
 * so that nothing is left behind however the load ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/base/exit_codes.h"
#include "load/load.h"

FILE *load_scratch_file(const char *name, nk_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd;
    FILE *file;

    snprintf(path, sizeof path, "%s/nyckel-%s.XXXXXX", dir && *dir ? dir : "/tmp", name);
    if ((fd = mkstemp(path)) < 0) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create a file for the %s: %s", path, name,
                strerror(errno));
        return NULL;
    }
    unlink(path);
    if ((file = fdopen(fd, "w+")) == NULL) {
        nk_fail(err, NK_EXIT_CANTCREATE, "%s: %s", path, strerror(errno));
        close(fd);
    }
    return file;
}
