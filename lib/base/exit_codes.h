/*
 * exit_codes.h: the exit status every nyckel executable returns.
 *
 * The values follow sysexits(3) so that cron and systemd users can tell a bad
 * job file from a source that was down without reading the log.  The table is
 * repeated for operators in docs/operations.md; keep the two in step.
 */
#ifndef NYCKEL_EXIT_CODES_H
#define NYCKEL_EXIT_CODES_H

enum nk_exit {
    NK_EXIT_OK = 0,
    NK_EXIT_USAGE = 64,       /* bad command line */
    NK_EXIT_DATA = 65,        /* input data unusable, or rejects over the threshold */
    NK_EXIT_NOINPUT = 66,     /* job file, run directory or manifest missing */
    NK_EXIT_UNAVAILABLE = 69, /* a source or the warehouse cannot be reached */
    NK_EXIT_SOFTWARE = 70,    /* internal error: a bug in nyckel */
    NK_EXIT_CANTCREATE = 73,  /* cannot create an output file or directory */
    NK_EXIT_IOERR = 74,       /* read or write failed (disk full, ...) */
    NK_EXIT_TEMPFAIL = 75,    /* temporary failure: retrying later may work */
    NK_EXIT_CONFIG = 78,      /* job file invalid */
    NK_EXIT_LOCKED = 79,      /* another run of the same job holds the lock */
    NK_EXIT_INTERRUPTED = 130 /* stopped by SIGINT or SIGTERM */
};

#endif
