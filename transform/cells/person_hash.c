/*
 * person_hash.c: personal identity numbers to keyed hashes (see
 * person_hash.h).
 */
#include "transform/cells/person_hash.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "lib/base/pnr.h"

static unsigned char run_key[32];
static int have_key;

static void forget_key(void)
{
    OPENSSL_cleanse(run_key, sizeof run_key);
}

static int draw_key(void)
{
    if (have_key)
        return 0;
    if (RAND_bytes(run_key, sizeof run_key) != 1)
        return -1;
    have_key = 1;
    atexit(forget_key);
    return 0;
}

/* YYMMDDNNNC: the last ten digits, whatever the form. */
static int ten_digits(const char *text, size_t length, char ten[10])
{
    char all[12];
    size_t n = 0;

    for (size_t i = 0; i < length; i++)
        if (isdigit((unsigned char)text[i])) {
            if (n == sizeof all)
                return -1;
            all[n++] = text[i];
        }
    if (n != 10 && n != 12)
        return -1;
    memcpy(ten, all + n - 10, 10);
    return 0;
}

int transform_person_of(const char *text, size_t length, transform_person *person)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    char ten[10];
    int rc = -1;

    if (nk_pnr_check(text, length) == NK_PNR_NONE || ten_digits(text, length, ten) < 0 ||
        draw_key() < 0)
        return -1;
    if (HMAC(EVP_sha256(), run_key, sizeof run_key, (const unsigned char *)ten, sizeof ten, digest,
             &size) != NULL &&
        size >= sizeof person->hash) {
        memcpy(&person->hash, digest, sizeof person->hash);
        rc = 0;
    }
    OPENSSL_cleanse(ten, sizeof ten);
    OPENSSL_cleanse(digest, sizeof digest);
    return rc;
}
