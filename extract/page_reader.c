/*
 * page_reader.c: the thread that feeds arriving data pages to their streams
 * (see page_reader.h).
 */
#include "page_reader.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"

typedef struct piece {
    nk_kolada_stream *stream;
    uint64_t ticket;
    size_t length;
    struct piece *next;
    char data[];
} piece;

struct extract_page_reader {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t queued; /* a piece was queued, or the reader stops */
    pthread_cond_t fed;    /* a piece was fed */
    piece *first, *last;   /* everything below is under lock */
    size_t bytes_waiting;
    uint64_t last_ticket;  /* the ticket of the newest piece */
    uint64_t fed_ticket;   /* every piece up to this one has been fed */
    int stopping;
    void (*notify)(void *user); /* told when the asked-for piece is fed, if set */
    void *notify_user;
    uint64_t asked; /* the smallest ticket has_fed() found unfed, or 0 */
};

static piece *next_piece(extract_page_reader *reader)
{
    piece *p;

    pthread_mutex_lock(&reader->lock);
    while (reader->first == NULL && !reader->stopping)
        pthread_cond_wait(&reader->queued, &reader->lock);
    p = reader->first;
    if (p) {
        reader->first = p->next;
        if (reader->first == NULL)
            reader->last = NULL;
    }
    pthread_mutex_unlock(&reader->lock);
    return p;
}

static void mark_fed(extract_page_reader *reader, uint64_t ticket, size_t length)
{
    pthread_mutex_lock(&reader->lock);
    reader->fed_ticket = ticket;
    reader->bytes_waiting -= length;
    pthread_cond_broadcast(&reader->fed);
    /* Only an answer someone waits for: a wake-up per piece cost a system call each. */
    if (reader->asked && ticket >= reader->asked) {
        reader->asked = 0;
        if (reader->notify)
            reader->notify(reader->notify_user);
    }
    pthread_mutex_unlock(&reader->lock);
}

static void *read_pieces(void *data)
{
    extract_page_reader *reader = data;
    piece *p;

    while ((p = next_piece(reader)) != NULL) {
        nk_kolada_stream_feed(p->stream, p->data, p->length, NULL);
        mark_fed(reader, p->ticket, p->length);
        free(p);
    }
    return NULL;
}

extract_page_reader *extract_page_reader_start(nk_error *err)
{
    extract_page_reader *reader = calloc(1, sizeof *reader);
    int failure;

    if (reader == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory starting the page reader");
        return NULL;
    }
    pthread_mutex_init(&reader->lock, NULL);
    pthread_cond_init(&reader->queued, NULL);
    pthread_cond_init(&reader->fed, NULL);
    failure = pthread_create(&reader->thread, NULL, read_pieces, reader);
    if (failure != 0) {
        nk_fail(err, NK_EXIT_TEMPFAIL, "cannot start the thread that reads pages: %s",
                strerror(failure));
        pthread_cond_destroy(&reader->fed);
        pthread_cond_destroy(&reader->queued);
        pthread_mutex_destroy(&reader->lock);
        free(reader);
        return NULL;
    }
    return reader;
}

void extract_page_reader_stop(extract_page_reader *reader)
{
    if (reader == NULL)
        return;
    extract_page_reader_wait(reader, UINT64_MAX);
    pthread_mutex_lock(&reader->lock);
    reader->stopping = 1;
    pthread_cond_signal(&reader->queued);
    pthread_mutex_unlock(&reader->lock);
    pthread_join(reader->thread, NULL);
    pthread_cond_destroy(&reader->fed);
    pthread_cond_destroy(&reader->queued);
    pthread_mutex_destroy(&reader->lock);
    free(reader);
}

void extract_page_reader_wait(extract_page_reader *reader, uint64_t ticket)
{
    pthread_mutex_lock(&reader->lock);
    if (ticket > reader->last_ticket)
        ticket = reader->last_ticket;
    while (reader->fed_ticket < ticket)
        pthread_cond_wait(&reader->fed, &reader->lock);
    pthread_mutex_unlock(&reader->lock);
}

int extract_page_reader_has_fed(extract_page_reader *reader, uint64_t ticket)
{
    int fed;

    pthread_mutex_lock(&reader->lock);
    if (ticket > reader->last_ticket)
        ticket = reader->last_ticket;
    fed = reader->fed_ticket >= ticket;
    if (!fed && (reader->asked == 0 || ticket < reader->asked))
        reader->asked = ticket;
    pthread_mutex_unlock(&reader->lock);
    return fed;
}

void extract_page_reader_notify(extract_page_reader *reader, void (*fed)(void *user),
                                void *user)
{
    pthread_mutex_lock(&reader->lock);
    reader->notify = fed;
    reader->notify_user = user;
    pthread_mutex_unlock(&reader->lock);
}

uint64_t extract_page_reader_feed(extract_page_reader *reader, nk_kolada_stream *stream,
                                  const char *data, size_t length)
{
    piece *p = malloc(sizeof *p + length);
    uint64_t ticket;

    if (p == NULL) {
        /* With nothing queued the thread touches no stream: feeding here is safe. */
        extract_page_reader_wait(reader, UINT64_MAX);
        nk_kolada_stream_feed(stream, data, length, NULL);
        return 0;
    }
    p->stream = stream;
    p->length = length;
    p->next = NULL;
    memcpy(p->data, data, length);
    pthread_mutex_lock(&reader->lock);
    while (reader->bytes_waiting > 0 && reader->bytes_waiting + length > EXTRACT_PAGE_READER_BYTES)
        pthread_cond_wait(&reader->fed, &reader->lock);
    ticket = p->ticket = ++reader->last_ticket;
    reader->bytes_waiting += length;
    if (reader->last)
        reader->last->next = p;
    else
        reader->first = p;
    reader->last = p;
    pthread_cond_signal(&reader->queued);
    pthread_mutex_unlock(&reader->lock);
    return ticket;
}
