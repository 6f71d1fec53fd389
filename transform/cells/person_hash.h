/*
 * person_hash.h: a person as a keyed hash of their personal identity
 * number, so that distinct people can be counted without keeping who they
 * are.
 *
 * The hash is HMAC-SHA256 (libcrypto) under a key drawn at random the
 * first time it is needed and held only in this process's memory: it is
 * never written, so a hash cannot be recomputed from a number outside the
 * run, nor compared between runs.  YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDDNNNN
 * and YYYYMMDD-NNNN of one person give one hash (the ten digits
 * YYMMDDNNNC are hashed).
 */
#ifndef NYCKEL_PERSON_HASH_H
#define NYCKEL_PERSON_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The first 64 bits of the HMAC.  Two people of one figure share them with
 * a chance of about n² / 2⁶⁵ for n people in it: below one in a billion at
 * 100 000 people, where a whole municipality's placements are a few
 * thousand.  Half the bits of a full hash halve the memory distinct people
 * take, which is most of what a large export needs.
 */
typedef struct transform_person {
    uint64_t hash;
} transform_person;

/*
 * The person whose personal identity or coordination number the length
 * bytes at text are.  Returns 0, or -1 when text is no valid number (or
 * no random key could be drawn).
 */
int transform_person_of(const char *text, size_t length, transform_person *person);

#endif
