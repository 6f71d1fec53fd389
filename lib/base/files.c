/*
 * files.c: paths, directories, atomic writes and checksums (see files.h).
 * Checksums use OpenSSL's libcrypto, which libcurl already pulls in.
 */
#include "lib/base/files.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"

static char *concat(const char *a, const char *between, const char *b)
{
    size_t size = strlen(a) + strlen(between) + strlen(b) + 1;
    char *joined = malloc(size);

    if (joined)
        snprintf(joined, size, "%s%s%s", a, between, b);
    return joined;
}

char *nk_path_join(const char *a, const char *b)
{
    return concat(a, "/", b);
}

char *nk_path_with_suffix(const char *path, const char *suffix)
{
    return concat(path, "", suffix);
}

int nk_mkdirs(const char *path, nk_error *err)
{
    char partial[4096];
    size_t length = strlen(path);

    if (length >= sizeof partial)
        return nk_fail(err, NK_EXIT_CANTCREATE, "%s: path too long", path);
    for (size_t i = 1; i <= length; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        memcpy(partial, path, i);
        partial[i] = '\0';
        /* Owner only: run directories hold raw exports, personal data included. */
        if (mkdir(partial, 0700) < 0 && errno != EEXIST)
            return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create directory: %s", partial,
                           strerror(errno));
    }
    return 0;
}

int nk_file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

int nk_fclose_checked(FILE *file, const char *path, nk_error *err)
{
    int failed = ferror(file);

    if (fflush(file) != 0)
        failed = 1;
    if (fclose(file) != 0)
        failed = 1;
    if (failed)
        return nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", path,
                       errno ? strerror(errno) : "unknown error");
    return 0;
}

char *nk_read_file(const char *path, const char *what, size_t limit, size_t *length,
                   int missing_code, nk_error *err)
{
    FILE *file = fopen(path, "rb");
    nk_buffer text = NK_BUFFER_INIT(0, limit ? limit + 1 : 1 << 16);
    size_t n;

    if (file == NULL) {
        nk_fail(err, errno == ENOENT ? missing_code : NK_EXIT_IOERR, "%s: cannot open %s: %s", path,
                what, strerror(errno));
        return NULL;
    }
    do {
        /* full: the buffer doubles (the first time, to the limit and its NUL) */
        if (text.length + 1 >= text.capacity && nk_buffer_reserve(&text, 1) < 0) {
            nk_buffer_free(&text);
            fclose(file);
            nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
            return NULL;
        }
        size_t want = text.capacity - 1 - text.length;
        if (limit && want > limit - text.length)
            want = limit - text.length;
        n = fread(text.data + text.length, 1, want, file);
        text.length += n;
    } while (n > 0 && (limit == 0 || text.length < limit));
    if (ferror(file)) {
        nk_fail(err, NK_EXIT_IOERR, "%s: read failed: %s", path, strerror(errno));
        nk_buffer_free(&text);
        fclose(file);
        return NULL;
    }
    fclose(file);
    text.data[text.length] = '\0';
    return nk_buffer_take(&text, length);
}

int nk_write_atomic(const char *path, nk_write_fn fill, void *data, nk_error *err)
{
    char *temporary = nk_path_with_suffix(path, ".tmp");
    FILE *file = temporary ? fopen(temporary, "w") : NULL;
    int rc = 0;

    if (temporary == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", path);
    if (file == NULL) {
        rc = nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create: %s", temporary, strerror(errno));
        free(temporary);
        return rc;
    }
    errno = 0;
    if (fill(file, data) < 0 || fflush(file) != 0 || fsync(fileno(file)) != 0) {
        int saved = errno;
        fclose(file);
        if (saved == ENOMEM) /* fill ran out of memory: nothing wrong with the disk */
            rc = nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", temporary);
        else
            rc = nk_fail(err, NK_EXIT_IOERR, "%s: write failed: %s", temporary,
                         saved ? strerror(saved) : "unknown error");
    } else
        rc = nk_fclose_checked(file, temporary, err);
    if (rc == 0 && rename(temporary, path) < 0)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot rename into place: %s", path, strerror(errno));
    if (rc < 0)
        unlink(temporary);
    free(temporary);
    return rc;
}

static int dump_json(FILE *file, void *doc)
{
    return json_dumpf(doc, file, JSON_INDENT(2) | JSON_SORT_KEYS) < 0 || fputc('\n', file) == EOF
               ? -1
               : 0;
}

int nk_json_write_atomic(const char *path, const json_t *doc, nk_error *err)
{
    return nk_write_atomic(path, dump_json, (void *)doc, err);
}

json_t *nk_json_read_file(const char *path, int missing_code, const char *hint, nk_error *err)
{
    json_error_t parse_error;
    json_t *doc;

    if (!nk_file_exists(path)) {
        nk_fail(err, missing_code, "%s: not found%s%s", path, hint ? ": " : "", hint ? hint : "");
        return NULL;
    }
    doc = json_load_file(path, JSON_REJECT_DUPLICATES, &parse_error);
    if (doc == NULL)
        nk_fail(err, NK_EXIT_DATA, "%s:%d:%d: invalid JSON: %s", path, parse_error.line,
                parse_error.column > 0 ? parse_error.column : 1, parse_error.text);
    return doc;
}

struct nk_sha256 {
    EVP_MD_CTX *context;
};

nk_sha256 *nk_sha256_new(void)
{
    nk_sha256 *sha = malloc(sizeof *sha);

    if (sha == NULL)
        return NULL;
    sha->context = EVP_MD_CTX_new();
    EVP_DigestInit_ex(sha->context, EVP_sha256(), NULL);
    return sha;
}

void nk_sha256_update(nk_sha256 *sha, const void *data, size_t length)
{
    EVP_DigestUpdate(sha->context, data, length);
}

void nk_sha256_finish(nk_sha256 *sha, char hex[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;

    EVP_DigestFinal_ex(sha->context, digest, &length);
    for (unsigned int i = 0; i < length && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    hex[64] = '\0';
    EVP_MD_CTX_free(sha->context);
    free(sha);
}

int nk_sha256_file(const char *path, char hex[65], uint64_t *size, nk_error *err)
{
    unsigned char buffer[1 << 16];
    FILE *file = fopen(path, "rb");
    nk_sha256 *sha;
    size_t n;

    if (file == NULL)
        return nk_fail(err, NK_EXIT_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    sha = nk_sha256_new();
    *size = 0;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) {
        nk_sha256_update(sha, buffer, n);
        *size += n;
    }
    if (ferror(file)) {
        fclose(file);
        nk_sha256_finish(sha, hex);
        return nk_fail(err, NK_EXIT_IOERR, "%s: read failed: %s", path, strerror(errno));
    }
    fclose(file);
    nk_sha256_finish(sha, hex);
    return 0;
}

void nk_now_utc(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double nk_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
