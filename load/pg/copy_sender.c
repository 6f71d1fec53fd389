/*
 * copy_sender.c: the data of a COPY FROM STDIN sent from a thread of its
 * own, while the caller reads and prepares what comes next (see load.h).
 *
 * libpq sends in blocking mode: PQputCopyData returns once the server has
 * taken what does not fit in the socket's buffer, a few hundred kilobytes.
 * A load that hashes, checks and rewrites its rows between two sends left
 * the server waiting while it worked, and itself waiting while the server
 * stored them: at ten million values the two took turns (the server about
 * 70 % busy, nyckel-load 30 %), and the first load's COPY took as long as
 * both together.  With the sending on a thread the caller works ahead, up
 * to SLOTS pieces, while the server stores what came before.
 *
 * The connection belongs to the thread until load_copy_sender_finish
 * returns; the caller must not use it meanwhile.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/buffer.h"
#include "lib/base/exit_codes.h"
#include "load/load.h"

#define PIECE (64 * 1024)
#define SLOTS 8

struct load_copy_sender {
    PGconn *conn;
    const char *what;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    nk_buffer slots[SLOTS]; /* a ring: slots[head] and the queued - 1 after it wait */
    size_t head, queued;
    nk_buffer filling; /* the piece the caller is adding to */
    int closing;       /* the caller will add nothing more */
    int failed;        /* sending failed; the rest is dropped */
    nk_error failure;
};

/* Sends one piece; on failure notes why and drops the rest. */
static void send_piece(load_copy_sender *sender, const nk_buffer *piece)
{
    nk_error failure;

    if (sender->failed || piece->length == 0 ||
        PQputCopyData(sender->conn, piece->data, (int)piece->length) == 1)
        return;
    load_fail_result(sender->conn, NULL, sender->what, &failure);
    pthread_mutex_lock(&sender->lock);
    sender->failed = 1;
    sender->failure = failure;
    pthread_mutex_unlock(&sender->lock);
}

static void *send_queued(void *data)
{
    load_copy_sender *sender = data;

    pthread_mutex_lock(&sender->lock);
    for (;;) {
        while (sender->queued == 0 && !sender->closing)
            pthread_cond_wait(&sender->changed, &sender->lock);
        if (sender->queued == 0)
            break;
        nk_buffer *piece = &sender->slots[sender->head];
        pthread_mutex_unlock(&sender->lock);
        send_piece(sender, piece);
        pthread_mutex_lock(&sender->lock);
        nk_buffer_reset(piece);
        sender->head = (sender->head + 1) % SLOTS;
        sender->queued--;
        pthread_cond_broadcast(&sender->changed);
    }
    pthread_mutex_unlock(&sender->lock);
    return NULL;
}

static void sender_free(load_copy_sender *sender)
{
    for (size_t i = 0; i < SLOTS; i++)
        nk_buffer_free(&sender->slots[i]);
    nk_buffer_free(&sender->filling);
    pthread_cond_destroy(&sender->changed);
    pthread_mutex_destroy(&sender->lock);
    free(sender);
}

load_copy_sender *load_copy_sender_start(PGconn *conn, const char *what, nk_error *err)
{
    load_copy_sender *sender = calloc(1, sizeof *sender);
    int failed;

    if (sender == NULL) {
        nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", what);
        return NULL;
    }
    sender->conn = conn;
    sender->what = what;
    for (size_t i = 0; i < SLOTS; i++)
        nk_buffer_init(&sender->slots[i], 0, PIECE + 1);
    nk_buffer_init(&sender->filling, 0, PIECE + 1);
    pthread_mutex_init(&sender->lock, NULL);
    pthread_cond_init(&sender->changed, NULL);
    if ((failed = pthread_create(&sender->thread, NULL, send_queued, sender)) != 0) {
        nk_fail(err, NK_EXIT_TEMPFAIL, "%s: cannot start a thread to send the rows: %s", what,
                strerror(failed));
        sender_free(sender);
        return NULL;
    }
    return sender;
}

/* The filled piece into the queue, when there is room; 0, or -1 when sending failed. */
static int queue_filling(load_copy_sender *sender, nk_error *err)
{
    int failed;

    pthread_mutex_lock(&sender->lock);
    while (sender->queued == SLOTS && !sender->failed)
        pthread_cond_wait(&sender->changed, &sender->lock);
    if (!(failed = sender->failed)) {
        nk_buffer *slot = &sender->slots[(sender->head + sender->queued) % SLOTS];
        nk_buffer swap = *slot;
        *slot = sender->filling;
        sender->filling = swap;
        sender->queued++;
        pthread_cond_broadcast(&sender->changed);
    } else
        *err = sender->failure;
    pthread_mutex_unlock(&sender->lock);
    return failed ? -1 : 0;
}

/*
 * Pieces are cut at PIECE bytes exactly, so that the buffers, allocated
 * once, never grow: reallocating them as they passed between the threads
 * made the load's memory grow with the number of values.
 */
int load_copy_sender_put(load_copy_sender *sender, const char *data, size_t size, nk_error *err)
{
    while (size > 0) {
        size_t room = PIECE - sender->filling.length, n = size < room ? size : room;
        if (nk_buffer_add(&sender->filling, data, n) < 0)
            return nk_fail(err, NK_EXIT_SOFTWARE, "%s: out of memory", sender->what);
        data += n;
        size -= n;
        if (sender->filling.length == PIECE && queue_filling(sender, err) < 0)
            return -1;
    }
    return 0;
}

int load_copy_sender_finish(load_copy_sender *sender, nk_error *err)
{
    int rc = sender->filling.length > 0 ? queue_filling(sender, err) : 0;

    pthread_mutex_lock(&sender->lock);
    sender->closing = 1;
    pthread_cond_broadcast(&sender->changed);
    pthread_mutex_unlock(&sender->lock);
    pthread_join(sender->thread, NULL);
    if (rc == 0 && sender->failed) {
        *err = sender->failure;
        rc = -1;
    }
    sender_free(sender);
    return rc;
}
