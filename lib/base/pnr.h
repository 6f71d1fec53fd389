/*
 * pnr.h: recognising Swedish personal identity numbers (personnummer) and
 * coordination numbers (samordningsnummer), so that they never reach the
 * warehouse, the rejects file or a log line.  In lib/ because every stage
 * refuses a job file holding one (job_guard.c); transform also looks in
 * every text it reads.
 *
 * Forms: YYMMDD-NNNN, YYMMDD+NNNN (the '+' for people over 100),
 * YYMMDD NNNN, YYMMDDNNNN, YYYYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDD+NNNN and
 * YYYYMMDD NNNN.  The last digit is a Luhn check
 * digit over the nine digits YYMMDDNNN; a coordination number adds 60 to the
 * day.  The date must exist (for YYMMDD, in some century: 29 February is
 * allowed in any year divisible by four).
 *
 * Everything here is a pure function of its arguments.
 */
#ifndef NYCKEL_PNR_H
#define NYCKEL_PNR_H

#include <stddef.h>

typedef enum nk_pnr_kind {
    NK_PNR_NONE,
    NK_PNR_PERSONAL,    /* personnummer */
    NK_PNR_COORDINATION /* samordningsnummer: day + 60 */
} nk_pnr_kind;

/* What the length bytes at text are, taken whole (surrounding spaces allowed). */
nk_pnr_kind nk_pnr_check(const char *text, size_t length);

/*
 * Look for a number anywhere in text ("Beslut för 121212-1212 om ..."):
 * digits that run on into more digits do not count.  Returns the kind of the
 * first one found and sets *offset and *found_length to where it is, or
 * NK_PNR_NONE.
 */
nk_pnr_kind nk_pnr_find(const char *text, size_t length, size_t *offset, size_t *found_length);

/*
 * As nk_pnr_find, for a cell the mapping declares an amount: digits
 * with no separator between date and number ("8112189876" kronor) are an
 * amount there, so only the forms with '-', '+' or a space count.
 */
nk_pnr_kind nk_pnr_find_in_amount(const char *text, size_t length, size_t *offset,
                                  size_t *found_length);

/* Whether the NUL-terminated text (NULL: no) holds a number anywhere. */
int nk_pnr_holds(const char *text);

/*
 * A copy of text (malloc'd) with every number in it replaced by
 * "[personnummer]", for text that travels on but is not data: a file name
 * in a source uri, say.
 */
char *nk_pnr_mask(const char *text);

#endif
