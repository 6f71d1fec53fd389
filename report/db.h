/*
 * db.h: connecting the report to the warehouse (the queries are in report.h).
 */
#ifndef NYCKEL_REPORT_DB_H
#define NYCKEL_REPORT_DB_H

#include <libpq-fe.h>

#include "report/report.h"

/* conninfo NULL or "": the PG* environment, service file and .pgpass. */
PGconn *report_connect(const char *conninfo, nk_error *err);

#endif
