/*
 * fuzz_support.h: what the libFuzzer harnesses in tests/fuzz share.
 *
 * Some readers take a path rather than bytes (the job file, raw Kolada
 * pages, archives), so a harness writes each input to a file in a private
 * folder made once per process.  fuzz_check() stops the process on a broken
 * invariant, which libFuzzer reports as a crash with the input saved.
 */
#ifndef NYCKEL_FUZZ_SUPPORT_H
#define NYCKEL_FUZZ_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define fuzz_check(condition)                                                                 \
    do {                                                                                      \
        if (!(condition)) {                                                                   \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

static inline const char *fuzz_temp_dir(void);

static inline void fuzz_remove_dir(void)
{
    char command[96];

    snprintf(command, sizeof command, "rm -rf '%s'", fuzz_temp_dir());
    if (system(command) != 0)
        fprintf(stderr, "cannot remove %s\n", fuzz_temp_dir());
}

/* The private folder, made on first use and removed at exit. */
static inline const char *fuzz_temp_dir(void)
{
    static char dir[64];

    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/nyckel-fuzz-XXXXXX");
        if (mkdtemp(dir) == NULL) {
            perror("mkdtemp");
            abort();
        }
        atexit(fuzz_remove_dir);
    }
    return dir;
}

/* Write data to name in the private folder and return its path (static storage). */
static inline const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[128];
    FILE *file;

    snprintf(path, sizeof path, "%s/%s", fuzz_temp_dir(), name);
    file = fopen(path, "wb");
    if (file == NULL || (size && fwrite(data, 1, size, file) != size) || fclose(file) != 0) {
        perror(path);
        abort();
    }
    return path;
}

/* A NUL-terminated copy of the input, for the functions that take C strings. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (text == NULL)
        abort();
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

#endif
