/*
 * page_reader.c: the threads that feed arriving data pages to their streams
 * (see page_reader.h).
 *
 * Each lane is a thread with its own queue.  A stream's pieces go to one
 * lane while any of them waits there, so they are fed in order and never
 * two at once; a stream with nothing waiting goes to the lane with the
 * fewest bytes waiting.  One lock guards everything: it is taken twice a
 * piece, and pieces are tens of kilobytes.
 */
#include "extract/kolada_api/page_reader.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"

typedef struct piece {
    nk_kolada_stream *stream;
    uint64_t ticket;
    size_t length;
    struct piece *next;
    char data[];
} piece;

typedef struct lane {
    struct extract_page_reader *reader;
    pthread_t thread;
    pthread_cond_t queued; /* a piece was queued, or the reader stops */
    piece *first, *last;
    size_t bytes_waiting;
    uint64_t last_ticket; /* the ticket of the lane's newest piece */
    uint64_t fed_ticket;  /* every piece of the lane up to this one has been fed */
    uint64_t asked;       /* the smallest of its tickets has_fed() found unfed, or 0 */
} lane;

/* A stream with pieces waiting, and the lane they wait in. */
typedef struct busy_stream {
    const nk_kolada_stream *stream;
    int lane;
    size_t pieces;
} busy_stream;

struct extract_page_reader {
    pthread_mutex_t lock;
    pthread_cond_t fed; /* a piece was fed */
    lane lanes[EXTRACT_PAGE_READER_LANES];
    int started; /* lanes whose thread runs */
    busy_stream *busy;
    size_t busy_count, busy_capacity;
    size_t bytes_waiting;
    uint64_t pieces; /* queued so far: tickets are made from it */
    int stopping;
    void (*notify)(void *user); /* told when an asked-for piece is fed, if set */
    void *notify_user;
};

/* Tickets grow with every piece, and say which lane their piece went to. */
static int lane_of_ticket(uint64_t ticket)
{
    return (int)(ticket % EXTRACT_PAGE_READER_LANES);
}

static busy_stream *busy_find(extract_page_reader *reader, const nk_kolada_stream *stream)
{
    for (size_t i = 0; i < reader->busy_count; i++)
        if (reader->busy[i].stream == stream)
            return &reader->busy[i];
    return NULL;
}

/* The stream's busy record, made in the quietest lane when it has none; NULL without memory. */
static busy_stream *busy_claim(extract_page_reader *reader, const nk_kolada_stream *stream)
{
    busy_stream *b = busy_find(reader, stream);
    int quietest = 0;

    if (b)
        return b;
    if (nk_grow_array(&reader->busy, sizeof *reader->busy, reader->busy_count + 1,
                      &reader->busy_capacity, 16) < 0)
        return NULL;
    for (int i = 1; i < EXTRACT_PAGE_READER_LANES; i++)
        if (reader->lanes[i].bytes_waiting < reader->lanes[quietest].bytes_waiting)
            quietest = i;
    b = &reader->busy[reader->busy_count++];
    *b = (busy_stream){ stream, quietest, 0 };
    return b;
}

static void busy_release(extract_page_reader *reader, const nk_kolada_stream *stream)
{
    busy_stream *b = busy_find(reader, stream);

    if (b && --b->pieces == 0)
        *b = reader->busy[--reader->busy_count];
}

static piece *next_piece(lane *l)
{
    extract_page_reader *reader = l->reader;
    piece *p;

    pthread_mutex_lock(&reader->lock);
    while (l->first == NULL && !reader->stopping)
        pthread_cond_wait(&l->queued, &reader->lock);
    p = l->first;
    if (p) {
        l->first = p->next;
        if (l->first == NULL)
            l->last = NULL;
    }
    pthread_mutex_unlock(&reader->lock);
    return p;
}

static void mark_fed(lane *l, const piece *p)
{
    extract_page_reader *reader = l->reader;

    pthread_mutex_lock(&reader->lock);
    l->fed_ticket = p->ticket;
    l->bytes_waiting -= p->length;
    reader->bytes_waiting -= p->length;
    busy_release(reader, p->stream);
    pthread_cond_broadcast(&reader->fed);
    /* Only an answer someone waits for: a wake-up per piece cost a system call each. */
    if (l->asked && p->ticket >= l->asked) {
        l->asked = 0;
        if (reader->notify)
            reader->notify(reader->notify_user);
    }
    pthread_mutex_unlock(&reader->lock);
}

static void *read_pieces(void *data)
{
    lane *l = data;
    piece *p;

    while ((p = next_piece(l)) != NULL) {
        nk_kolada_stream_feed(p->stream, p->data, p->length, NULL);
        mark_fed(l, p);
        free(p);
    }
    return NULL;
}

/* Under lock: whether ticket is one given out so far. */
static int is_issued(const extract_page_reader *reader, uint64_t ticket)
{
    return ticket <= reader->pieces * EXTRACT_PAGE_READER_LANES + EXTRACT_PAGE_READER_LANES - 1;
}

/* Under lock: whether the piece with ticket has been fed; past the newest, every piece. */
static int is_fed(const extract_page_reader *reader, uint64_t ticket)
{
    if (is_issued(reader, ticket))
        return reader->lanes[lane_of_ticket(ticket)].fed_ticket >= ticket;
    for (int i = 0; i < EXTRACT_PAGE_READER_LANES; i++)
        if (reader->lanes[i].fed_ticket < reader->lanes[i].last_ticket)
            return 0;
    return 1;
}

/* End the lanes' threads, after what waits in their queues, and free the reader. */
static void reader_free(extract_page_reader *reader)
{
    pthread_mutex_lock(&reader->lock);
    reader->stopping = 1;
    for (int i = 0; i < reader->started; i++)
        pthread_cond_signal(&reader->lanes[i].queued);
    pthread_mutex_unlock(&reader->lock);
    for (int i = 0; i < reader->started; i++)
        pthread_join(reader->lanes[i].thread, NULL);
    for (int i = 0; i < EXTRACT_PAGE_READER_LANES; i++)
        pthread_cond_destroy(&reader->lanes[i].queued);
    pthread_cond_destroy(&reader->fed);
    pthread_mutex_destroy(&reader->lock);
    free(reader->busy);
    free(reader);
}

extract_page_reader *extract_page_reader_start(nk_error *err)
{
    extract_page_reader *reader = calloc(1, sizeof *reader);

    if (reader == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "out of memory starting the page reader");
        return NULL;
    }
    pthread_mutex_init(&reader->lock, NULL);
    pthread_cond_init(&reader->fed, NULL);
    for (int i = 0; i < EXTRACT_PAGE_READER_LANES; i++) {
        reader->lanes[i].reader = reader;
        pthread_cond_init(&reader->lanes[i].queued, NULL);
    }
    for (int i = 0; i < EXTRACT_PAGE_READER_LANES; i++) {
        int failure = pthread_create(&reader->lanes[i].thread, NULL, read_pieces,
                                     &reader->lanes[i]);
        if (failure != 0) {
            nk_fail(err, NK_EXIT_TEMPFAIL, "cannot start a thread that reads pages: %s",
                    strerror(failure));
            reader_free(reader);
            return NULL;
        }
        reader->started++;
    }
    return reader;
}

void extract_page_reader_stop(extract_page_reader *reader)
{
    if (reader == NULL)
        return;
    extract_page_reader_wait(reader, UINT64_MAX);
    reader_free(reader);
}

void extract_page_reader_wait(extract_page_reader *reader, uint64_t ticket)
{
    pthread_mutex_lock(&reader->lock);
    while (!is_fed(reader, ticket))
        pthread_cond_wait(&reader->fed, &reader->lock);
    pthread_mutex_unlock(&reader->lock);
}

int extract_page_reader_has_fed(extract_page_reader *reader, uint64_t ticket)
{
    int fed;

    pthread_mutex_lock(&reader->lock);
    fed = is_fed(reader, ticket);
    if (!fed && is_issued(reader, ticket)) {
        lane *l = &reader->lanes[lane_of_ticket(ticket)];
        if (l->asked == 0 || ticket < l->asked)
            l->asked = ticket;
    }
    pthread_mutex_unlock(&reader->lock);
    return fed;
}

void extract_page_reader_notify(extract_page_reader *reader, void (*fed)(void *user), void *user)
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
    busy_stream *b;
    uint64_t ticket;
    lane *l;

    if (p) {
        p->stream = stream;
        p->length = length;
        p->next = NULL;
        memcpy(p->data, data, length);
    }
    pthread_mutex_lock(&reader->lock);
    while (reader->bytes_waiting > 0 && reader->bytes_waiting + length > EXTRACT_PAGE_READER_BYTES)
        pthread_cond_wait(&reader->fed, &reader->lock);
    if (p == NULL || (b = busy_claim(reader, stream)) == NULL) {
        pthread_mutex_unlock(&reader->lock);
        free(p);
        /* With nothing queued no thread touches a stream: feeding here is safe. */
        extract_page_reader_wait(reader, UINT64_MAX);
        nk_kolada_stream_feed(stream, data, length, NULL);
        return 0;
    }
    b->pieces++;
    l = &reader->lanes[b->lane];
    ticket = p->ticket = ++reader->pieces * EXTRACT_PAGE_READER_LANES + (uint64_t)b->lane;
    l->last_ticket = ticket;
    l->bytes_waiting += length;
    reader->bytes_waiting += length;
    if (l->last)
        l->last->next = p;
    else
        l->first = p;
    l->last = p;
    pthread_cond_signal(&l->queued);
    pthread_mutex_unlock(&reader->lock);
    return ticket; /* p may be fed and freed by now */
}
