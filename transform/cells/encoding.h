/*
 * encoding.h: turning export files into UTF-8, piece by piece, with iconv.
 *
 * Exports come as UTF-8 (with or without a byte order mark) or Windows-1252.
 * When the job does not say which ("auto"), a file that is valid UTF-8 from
 * start to end is UTF-8 and anything else is Windows-1252: a Windows-1252
 * file with any letter beyond ASCII is almost never valid UTF-8 by accident.
 *
 * A byte that is not valid in the file's encoding is never passed on as
 * something else (mojibake): it becomes U+FFFD in the output and its line
 * and byte offset are kept, so the reader can reject the row that holds it
 * and say where the bad byte was.
 *
 * Memory is bounded by the pieces fed in: the converter holds at most one
 * incomplete character between calls.  Everything here works on buffers,
 * not files.
 */
#ifndef NYCKEL_ENCODING_H
#define NYCKEL_ENCODING_H

#include <stddef.h>

#include "lib/base/buffer.h"

#define TRANSFORM_ENCODING_REASON_MAX 160

typedef enum transform_encoding {
    TRANSFORM_ENCODING_AUTO,
    TRANSFORM_ENCODING_UTF8,
    TRANSFORM_ENCODING_CP1252
} transform_encoding;

/* "utf-8", "windows-1252" (also "cp1252") or "auto", any case; -1 otherwise. */
int transform_encoding_from_name(const char *name, transform_encoding *encoding);

const char *transform_encoding_name(transform_encoding encoding);

/* Deciding "auto": feed the whole file, then ask. */
typedef struct transform_sniffer transform_sniffer;

transform_sniffer *transform_sniffer_new(void);
void transform_sniffer_feed(transform_sniffer *sniffer, const char *data, size_t length);
/* UTF-8 or Windows-1252, or AUTO when memory ran out (or new did); frees the sniffer. */
transform_encoding transform_sniffer_finish(transform_sniffer *sniffer);

/* The same for a whole buffer. */
transform_encoding transform_encoding_detect(const char *data, size_t length);

/* Where an invalid byte was. */
typedef struct transform_bad_byte {
    long line;        /* 1-based, counting '\n' */
    long long offset; /* 0-based byte offset in the file */
    unsigned char byte;
} transform_bad_byte;

typedef struct transform_decoder transform_decoder;

/* encoding is UTF-8 or Windows-1252 (decide "auto" first). */
transform_decoder *transform_decoder_new(transform_encoding encoding,
                                         char reason[TRANSFORM_ENCODING_REASON_MAX]);

/*
 * Convert length bytes, appending UTF-8 to out.  final says no more bytes
 * follow (an unfinished character at the end is then invalid).  A UTF-8
 * byte order mark at the start is dropped.  Returns 0, or -1 with reason
 * when the file cannot be what it is declared as (a Windows-1252 file that
 * starts with a UTF-8 byte order mark) or memory runs out.
 */
int transform_decoder_feed(transform_decoder *decoder, const char *data, size_t length, int final,
                           nk_buffer *out, char reason[TRANSFORM_ENCODING_REASON_MAX]);

/* The first invalid byte on lines first..last, or NULL. */
const transform_bad_byte *transform_decoder_bad_byte(const transform_decoder *decoder,
                                                     long first_line, long last_line);

/* Forget invalid bytes before line (their rows are done), keeping memory bounded. */
void transform_decoder_forget_before(transform_decoder *decoder, long line);

/* How many invalid bytes were met in all. */
unsigned long transform_decoder_bad_count(const transform_decoder *decoder);

void transform_decoder_free(transform_decoder *decoder);

#endif
