/*
 * raw_archive.c: packing the raw zone and its manifest into one tar archive
 * while the run fetches, and pruning old archives (see raw_archive.h).
 *
 * Compressing the raw zone costs about a tenth of extract's time.  Done
 * after the last page it added that much to every run; done on a thread of
 * its own, each file as it is committed, it overlaps the fetching, which
 * waits on the network and leaves a core free.
 */
#include "extract/raw_zone/raw_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "lib/base/files.h"
#include "lib/base/log.h"
#include "lib/job/job_keys.h"
#include "lib/job/job_settings.h"

/* A committed raw file waiting to be packed, by its path relative to RUN_DIR/extract. */
typedef struct waiting_file {
    char *relative;
    struct waiting_file *next;
} waiting_file;

struct extract_raw_packer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    waiting_file *first, *last; /* under lock */
    int closing;                /* under lock: no more files will come */
    int stopping;               /* under lock: the run failed, pack nothing more */
    int failed;                 /* under lock: failure below is set */
    nk_error failure;           /* the thread's first error, written before failed */
    struct archive *archive;
    char *stage_dir;
    char *dir;     /* ARCHIVE_DIR */
    char *path;    /* ARCHIVE_DIR/<run_id>.<format> */
    char *partial; /* where it is written until finished */
    long keep;
};

static char *archive_dir(const extract_context *context, const json_t *settings)
{
    const char *given = json_string_value(json_object_get(settings, "dir"));
    char *copy, *dir, relative[300];

    if (given)
        return nk_job_resolve_path(context->job, given);
    copy = strdup(context->run->dir);
    snprintf(relative, sizeof relative, "archive/%s", context->job->name);
    dir = nk_path_join(dirname(copy), relative);
    free(copy);
    return dir;
}

static int add_file(struct archive *a, const char *path, const char *member, nk_error *err)
{
    char buffer[1 << 16];
    struct stat st;
    FILE *input = fopen(path, "rb");
    struct archive_entry *entry;
    size_t n;
    int rc = 0;

    if (input == NULL || fstat(fileno(input), &st) < 0) {
        if (input)
            fclose(input);
        return nk_fail(err, NK_EXIT_IOERR, "%s: cannot read for the raw archive: %s", path,
                       strerror(errno));
    }
    entry = archive_entry_new();
    archive_entry_set_pathname(entry, member);
    archive_entry_set_size(entry, st.st_size);
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, st.st_mtime, 0);
    if (archive_write_header(a, entry) != ARCHIVE_OK)
        rc = -1;
    while (rc == 0 && (n = fread(buffer, 1, sizeof buffer, input)) > 0)
        if (archive_write_data(a, buffer, n) != (la_ssize_t)n)
            rc = -1;
    if (rc < 0)
        nk_fail(err, NK_EXIT_IOERR, "%s: cannot add to the raw archive: %s", path,
                archive_error_string(a));
    else if (ferror(input))
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: read failed", path);
    archive_entry_free(entry);
    fclose(input);
    return rc;
}

typedef struct old_archive {
    char *name;
    time_t mtime;
} old_archive;

static int newest_first(const void *a, const void *b)
{
    const old_archive *x = a, *y = b;

    if (x->mtime != y->mtime)
        return x->mtime > y->mtime ? -1 : 1;
    return strcmp(y->name, x->name);
}

static int is_raw_archive(const char *name)
{
    size_t n = strlen(name);

    return (n > 8 && strcmp(name + n - 8, ".tar.zst") == 0) ||
           (n > 7 && strcmp(name + n - 7, ".tar.gz") == 0);
}

/*
 * A run killed while packing leaves its .partial file.  A running extract
 * writes to its own with every page, so one untouched for a day is left
 * over, not in use.
 */
#define STALE_PARTIAL_SECONDS (24 * 3600)

static int is_stale_partial(const char *name, const struct stat *st)
{
    size_t n = strlen(name);

    return name[0] == '.' && n > 8 && strcmp(name + n - 8, ".partial") == 0 &&
           S_ISREG(st->st_mode) && st->st_mtime < time(NULL) - STALE_PARTIAL_SECONDS;
}

/* Remove all but the newest keep archives of dir, and stale partial ones. */
static void prune(const char *dir, long keep)
{
    old_archive *list = NULL;
    size_t count = 0, capacity = 0;
    struct dirent *entry;
    DIR *d = opendir(dir);
    int complete = 1;

    while (d && (entry = readdir(d)) != NULL) {
        struct stat st;
        char *path = nk_path_join(dir, entry->d_name);
        if (stat(path, &st) == 0 && is_stale_partial(entry->d_name, &st)) {
            if (unlink(path) == 0)
                nk_info("removed a raw archive left unfinished: %s", path);
            free(path);
        } else if (is_raw_archive(entry->d_name) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (nk_grow_array(&list, sizeof *list, count + 1, &capacity, 16) < 0) {
                /* A partial list could name a newer archive as old: prune nothing. */
                free(path);
                complete = 0;
                break;
            }
            list[count].name = path;
            list[count++].mtime = st.st_mtime;
        } else {
            free(path);
        }
    }
    if (d)
        closedir(d);
    nk_sort_items(list, count, sizeof *list, newest_first);
    for (size_t i = 0; i < count; i++) {
        if (complete && i >= (size_t)keep) {
            if (unlink(list[i].name) == 0)
                nk_info("removed old raw archive %s", list[i].name);
        }
        free(list[i].name);
    }
    free(list);
}

/* The next file to pack, or NULL once there is none and none will come. */
static char *next_file(extract_raw_packer *p)
{
    char *relative = NULL;

    pthread_mutex_lock(&p->lock);
    while (p->first == NULL && !p->closing && !p->stopping)
        pthread_cond_wait(&p->changed, &p->lock);
    if (p->first && !p->stopping) {
        waiting_file *w = p->first;
        p->first = w->next;
        if (p->first == NULL)
            p->last = NULL;
        relative = w->relative;
        free(w);
    }
    pthread_mutex_unlock(&p->lock);
    return relative;
}

static void *pack_files(void *data)
{
    extract_raw_packer *p = data;
    char *relative, member[1100];

    while ((relative = next_file(p)) != NULL) {
        if (p->failure.exit_code == 0) {
            char *path = nk_path_join(p->stage_dir, relative);
            snprintf(member, sizeof member, "extract/%s", relative);
            if (add_file(p->archive, path, member, &p->failure) < 0) {
                pthread_mutex_lock(&p->lock);
                p->failed = 1;
                pthread_mutex_unlock(&p->lock);
            }
            free(path);
        }
        free(relative);
    }
    return NULL;
}

static void packer_free(extract_raw_packer *p)
{
    while (p->first) {
        waiting_file *w = p->first;
        p->first = w->next;
        free(w->relative);
        free(w);
    }
    if (p->archive)
        archive_write_free(p->archive);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    free(p->stage_dir);
    free(p->dir);
    free(p->path);
    free(p->partial);
    free(p);
}

/* The job's compression level, or ours for zstd; gzip keeps libarchive's default. */
static int set_level(extract_raw_packer *p, const char *filter, const json_t *level, nk_error *err)
{
    char text[24];

    if (level == NULL && strcmp(filter, "gzip") == 0)
        return 0;
    snprintf(text, sizeof text, "%lld",
             level ? (long long)json_integer_value(level) : (long long)EXTRACT_ARCHIVE_ZSTD_LEVEL);
    if (archive_write_set_filter_option(p->archive, filter, "compression-level", text) ==
        ARCHIVE_OK)
        return 0;
    return nk_fail(err, NK_EXIT_CONFIG, "%s: %s cannot compress at level %s: %s", p->partial,
                   filter, text, archive_error_string(p->archive));
}

static int open_archive(extract_raw_packer *p, const char *format, const json_t *level,
                        nk_error *err)
{
    const char *filter = strcmp(format, "tar.gz") == 0 ? "gzip" : "zstd";

    p->archive = archive_write_new();
    archive_write_set_format_pax_restricted(p->archive);
    if (strcmp(filter, "gzip") == 0)
        archive_write_add_filter_gzip(p->archive);
    else
        archive_write_add_filter_zstd(p->archive);
    if (set_level(p, filter, level, err) < 0)
        return -1;
    if (archive_write_open_filename(p->archive, p->partial) != ARCHIVE_OK)
        return nk_fail(err, NK_EXIT_CANTCREATE, "%s: cannot create the raw archive: %s", p->partial,
                       archive_error_string(p->archive));
    return 0;
}

int extract_raw_archive_start(extract_context *context, nk_error *err)
{
    const json_t *settings = json_object_get(context->job->root, "raw_archive");
    nk_raw_archive_settings keys;
    const char *format;
    char name[200], temporary[220];
    extract_raw_packer *p;

    nk_read_keys(settings, &nk_keys_raw_archive, &keys);
    format = keys.format;
    if (strcmp(format, "none") == 0)
        return 0;
    if ((p = calloc(1, sizeof *p)) == NULL)
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory starting the raw archive");
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->keep = (long)keys.keep;
    p->stage_dir = strdup(context->stage_dir);
    p->dir = archive_dir(context, settings);
    snprintf(name, sizeof name, "%s.%s", context->run->run_id, format);
    snprintf(temporary, sizeof temporary, ".%s.partial", name);
    p->path = nk_path_join(p->dir, name);
    p->partial = nk_path_join(p->dir, temporary);
    if (nk_mkdirs(p->dir, err) < 0 ||
        open_archive(p, format, json_object_get(settings, "level"), err) < 0) {
        unlink(p->partial);
        packer_free(p);
        return -1;
    }
    int failure = pthread_create(&p->thread, NULL, pack_files, p);
    if (failure != 0) {
        unlink(p->partial);
        packer_free(p);
        return nk_fail(err, NK_EXIT_TEMPFAIL,
                       "cannot start the thread that packs the raw archive: %s", strerror(failure));
    }
    context->packer = p;
    return 0;
}

int extract_raw_archive_add(extract_context *context, const char *relative, nk_error *err)
{
    extract_raw_packer *p = context->packer;
    waiting_file *w;
    int failed;

    if (p == NULL)
        return 0;
    pthread_mutex_lock(&p->lock);
    failed = p->failed;
    pthread_mutex_unlock(&p->lock);
    if (failed) {
        *err = p->failure;
        return -1;
    }
    if ((w = calloc(1, sizeof *w)) == NULL || (w->relative = strdup(relative)) == NULL) {
        free(w);
        return nk_fail(err, NK_EXIT_SOFTWARE, "out of memory queueing %s for the raw archive",
                       relative);
    }
    pthread_mutex_lock(&p->lock);
    if (p->last)
        p->last->next = w;
    else
        p->first = w;
    p->last = w;
    pthread_cond_signal(&p->changed);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

/* Let the thread end, after the files still waiting or at once, and wait for it. */
static void stop_thread(extract_raw_packer *p, int abandon)
{
    pthread_mutex_lock(&p->lock);
    p->closing = 1;
    p->stopping = abandon;
    pthread_cond_signal(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
}

static int close_archive(extract_raw_packer *p, nk_error *err)
{
    char *manifest = nk_path_join(p->stage_dir, "manifest.json");
    int rc = add_file(p->archive, manifest, "extract/manifest.json", err);

    free(manifest);
    if (archive_write_close(p->archive) != ARCHIVE_OK && rc == 0)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot finish the raw archive: %s", p->partial,
                     archive_error_string(p->archive));
    if (rc == 0 && rename(p->partial, p->path) < 0)
        rc = nk_fail(err, NK_EXIT_IOERR, "%s: cannot rename to %s: %s", p->partial, p->path,
                     strerror(errno));
    return rc;
}

int extract_raw_archive_finish(extract_context *context, nk_error *err)
{
    extract_raw_packer *p = context->packer;
    int rc;

    if (p == NULL)
        return 0;
    context->packer = NULL;
    stop_thread(p, 0);
    if (p->failure.exit_code) {
        *err = p->failure;
        rc = -1;
    } else {
        rc = close_archive(p, err);
    }
    if (rc < 0) {
        unlink(p->partial);
    } else {
        nk_info("raw zone packed into %s", p->path);
        prune(p->dir, p->keep);
    }
    packer_free(p);
    return rc;
}

void extract_raw_archive_abandon(extract_context *context)
{
    extract_raw_packer *p = context->packer;

    if (p == NULL)
        return;
    context->packer = NULL;
    stop_thread(p, 1);
    unlink(p->partial);
    packer_free(p);
}
