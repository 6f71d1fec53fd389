/*
 * number.h: reading numbers as Swedish municipal exports write them.
 *
 * A cell may hold "2,6", "8.0", "94 129" (grouped by a space, U+00A0 or
 * U+202F), "1431", "-2 118", "−30,1" (U+2212), "52,5 %" or "3 500kr/dygn".
 * A cell that says nothing ("", "-", "..", "x") is TRANSFORM_NUMBER_MISSING,
 * which is never zero.  A cell that could be read two ways is an error with a
 * reason, never a guess:
 *   - "1.234" in a file with decimal comma: a decimal point or a thousands
 *     point?  (Likewise "1,234" in a file with decimal point.)
 *   - "1,234,5", "1.234,5": more than one mark;
 *   - "5 tkr kr", or "5 mnkr" under a header that says tkr: two units.
 * The file's own decimal mark is always a decimal mark; the other mark is one
 * too when it cannot be a thousands separator ("8.0", "0.123", "1234.567").
 *
 * Units and their scale: money is kept in kronor times a scale, so kr = 1,
 * tkr = 1 000, mnkr and mkr = 1 000 000; "%" and "procent" are the same
 * percent unit.  A unit may be "per" something ("kr/dygn": kronor per care
 * day).  transform_unit_convert() moves a value between two units of the same
 * kind, e.g. 1,5 mnkr into a measure kept in tkr gives 1 500.
 *
 * Everything here is a pure function of its arguments.
 */
#ifndef NYCKEL_NUMBER_H
#define NYCKEL_NUMBER_H

#include <stddef.h>

#define TRANSFORM_REASON_MAX 160
#define TRANSFORM_UNIT_PER_MAX 24

typedef enum transform_unit_kind {
    TRANSFORM_UNIT_NONE = 0, /* no unit said */
    TRANSFORM_UNIT_KRONOR,
    TRANSFORM_UNIT_PERCENT
} transform_unit_kind;

typedef struct transform_unit {
    transform_unit_kind kind;
    double scale;                     /* kronor per unit (kr 1, tkr 1e3, mnkr 1e6); 1 else */
    char per[TRANSFORM_UNIT_PER_MAX]; /* "dygn" in "kr/dygn"; "" when not per anything */
} transform_unit;

typedef enum transform_number_status {
    TRANSFORM_NUMBER_OK,
    TRANSFORM_NUMBER_MISSING,
    TRANSFORM_NUMBER_ERROR
} transform_number_status;

typedef struct transform_number {
    transform_number_status status;
    double value;                      /* as written, in unit (not converted) */
    transform_unit unit;               /* the cell's unit, or the header's when the cell has none */
    char reason[TRANSFORM_REASON_MAX]; /* why, when status is ERROR */
} transform_number;

/*
 * Parse one cell of length bytes (UTF-8).  decimal_mark is the file's
 * decimal mark, ',' or '.'.  header_unit is the unit the column's header
 * gives (NULL or kind NONE when none); a cell with a different unit of its
 * own is an error.  Returns out->status.
 */
transform_number_status transform_number_parse(const char *text, size_t length, char decimal_mark,
                                               const transform_unit *header_unit,
                                               transform_number *out);

/*
 * Parse a unit written alone: "tkr", "mnkr", "mkr", "kr", "%", "procent",
 * optionally "/something" ("kr/dygn").  Case does not matter.  Returns 0, or
 * -1 when text is not a unit.
 */
int transform_unit_parse(const char *text, transform_unit *unit);

/*
 * Find the unit a column header names, as a word or in brackets:
 * "Belopp (tkr)", "Andel %", "Kostnad kr/dygn".  Returns 1 when found, 0 when
 * the header names no unit, -1 (with reason) when it names two different ones.
 */
int transform_unit_in_header(const char *header, transform_unit *unit,
                             char reason[TRANSFORM_REASON_MAX]);

/* The unit's canonical name ("tkr", "%", "kr/dygn", "" for none). */
void transform_unit_name(const transform_unit *unit, char *out, size_t size);

/*
 * value in from, expressed in to.  A value without a unit takes to's unit
 * as it is.  Units of different kinds, or per different things, are an
 * error (-1 with reason).
 */
int transform_unit_convert(double value, const transform_unit *from, const transform_unit *to,
                           double *out, char reason[TRANSFORM_REASON_MAX]);

#endif
