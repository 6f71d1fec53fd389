/*
 * page_reader.h: reading arriving data pages on a thread of their own.
 *
 * Parsing a Kolada data page as it streams in (lib/kolada/kolada_stream.h) is the
 * largest part of extract's own work.  Done in libcurl's write callback it
 * held up receiving and writing every other page; here the callback only
 * queues a copy of each piece, and EXTRACT_PAGE_READER_LANES threads feed
 * the pieces to their streams, each stream's in the order queued, different
 * streams side by side.
 *
 * Every piece gets a ticket, larger than all before it.  A caller that wants
 * to look at a stream (its failure, its page, what its rows mentioned) or to
 * free it first waits for the ticket of the stream's last piece, or asks
 * whether it has been fed and does other work meanwhile.  Until then the
 * stream, and whatever its row callback writes, belong to the threads.
 *
 * At most EXTRACT_PAGE_READER_BYTES wait at once: feeding beyond that waits
 * for the thread, so memory stays flat however fast the network is.  Four
 * MiB keep the thread busy; sixteen made extract no faster, only bigger.
 */
#ifndef NYCKEL_EXTRACT_PAGE_READER_H
#define NYCKEL_EXTRACT_PAGE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/base/error.h"
#include "lib/kolada/kolada_stream.h"

#define EXTRACT_PAGE_READER_BYTES (4u << 20)
/* Parsing is the busiest of extract's threads; two share it out on two cores. */
#define EXTRACT_PAGE_READER_LANES 2

typedef struct extract_page_reader extract_page_reader;

extract_page_reader *extract_page_reader_start(nk_error *err);

/* Read what waits, end the thread and free the reader; NULL is fine. */
void extract_page_reader_stop(extract_page_reader *reader);

/*
 * Queue a copy of a piece of stream's body and return its ticket.  When no
 * copy can be made the piece is fed at once, after everything queued.
 */
uint64_t extract_page_reader_feed(extract_page_reader *reader, nk_kolada_stream *stream,
                                  const char *data, size_t length);

/*
 * Wait until the piece with ticket has been fed, and with it every earlier
 * piece of its stream.  UINT64_MAX waits for every piece queued so far.
 */
void extract_page_reader_wait(extract_page_reader *reader, uint64_t ticket);

/* Whether wait() would return at once. */
int extract_page_reader_has_fed(extract_page_reader *reader, uint64_t ticket);

/*
 * Call fed(user) on the reader's thread once a piece that has_fed() was
 * asked about, and found unfed, has been fed: the caller need not poll.
 * It runs under the reader's lock: it must be quick and must not call the
 * reader.  NULL stops the calls; once this returns, fed is not called again.
 */
void extract_page_reader_notify(extract_page_reader *reader, void (*fed)(void *user), void *user);

#endif
