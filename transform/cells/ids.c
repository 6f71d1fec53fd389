/*
 * ids.c: checking ids before they become keys (see ids.h).
 */
#include "transform/cells/ids.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/base/pnr.h"

#define SHOWN_BYTES 32

void transform_id_shown(const char *text, char *shown, size_t size)
{
    size_t length = strlen(text), cut = length < SHOWN_BYTES ? length : SHOWN_BYTES, used = 0;

    /* Cut on a character boundary: the reason must stay UTF-8. */
    while (cut < length && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    for (size_t i = 0; i < cut && used + 5 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\')
            shown[used++] = (char)c;
        else
            used += (size_t)snprintf(shown + used, size - used, "\\x%02X", c);
    }
    shown[used] = '\0';
    if (cut < length)
        snprintf(shown + used, size - used, "... (%zu bytes)", length);
    /* Cutting "121212-12123" short makes a personal number of it. */
    if (nk_pnr_holds(shown)) {
        char *masked = nk_pnr_mask(shown);
        snprintf(shown, size, "%s", masked ? masked : "");
        free(masked);
    }
}

static int kolada_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static int bad_byte(transform_id_kind kind, unsigned char c)
{
    if (kind == TRANSFORM_ID_KOLADA)
        return !kolada_char(c);
    return c < 0x20 || c == 0x7F;
}

int transform_id_check(transform_id_kind kind, const char *what, const char *id,
                       char reason[TRANSFORM_ID_REASON_MAX])
{
    size_t length = strlen(id),
           max = kind == TRANSFORM_ID_KOLADA ? TRANSFORM_KOLADA_ID_MAX : TRANSFORM_INTERNAL_ID_MAX;
    char shown[96];

    if (length == 0) {
        snprintf(reason, TRANSFORM_ID_REASON_MAX, "an empty %s id", what);
        return -1;
    }
    transform_id_shown(id, shown, sizeof shown);
    if (length > max) {
        snprintf(reason, TRANSFORM_ID_REASON_MAX, "%s id \"%s\" is longer than %zu bytes", what,
                 shown, max);
        return -1;
    }
    for (size_t i = 0; i < length; i++)
        if (bad_byte(kind, (unsigned char)id[i])) {
            snprintf(reason, TRANSFORM_ID_REASON_MAX, "%s id \"%s\": %s", what, shown,
                     kind == TRANSFORM_ID_KOLADA ? "expected only letters, digits, '-' and '_'"
                                                 : "a control character");
            return -1;
        }
    return 0;
}

int transform_fits_integer(const char *text)
{
    char *end;
    long long value;

    errno = 0;
    value = strtoll(text, &end, 10);
    return errno == 0 && *end == '\0' && value >= -2147483648LL && value <= 2147483647LL;
}
