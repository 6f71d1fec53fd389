/*
 * alloc_faults.h: the allocation-failure test mode, as SQLite's test
 * harness has: the n-th allocation made by nyckel's own code fails, so that
 * a test can run a reader with n = 1, 2, 3, ... and see every "out of
 * memory" branch answer cleanly.
 *
 * Only a binary linked with $(ALLOC_FAULTS_LDFLAGS) (see the Makefile:
 * -Wl,--wrap=malloc and the like) has its malloc, calloc, realloc, strdup
 * and asprintf calls routed through lib/base/alloc_faults.c; the programs are
 * not, so the mode costs them nothing.  Allocations inside the libraries
 * (jansson, yajl, expat, libarchive) are not counted.  The tests drive it
 * through tests/unit/alloc_drive.h (docs/hacking.md, "Memory").
 */
#ifndef NYCKEL_ALLOC_FAULTS_H
#define NYCKEL_ALLOC_FAULTS_H

/* From now on, the n-th allocation fails (and only that one); 0 lets every one succeed. */
void nk_alloc_faults_arm(unsigned long n);

/* Allocations made since the last nk_alloc_faults_arm. */
unsigned long nk_alloc_faults_count(void);

/* Whether the armed failure has happened. */
int nk_alloc_faults_hit(void);

#endif
