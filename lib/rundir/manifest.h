/*
 * manifest.h: stage manifests written and read one entry at a time.
 *
 * A manifest is a JSON object of a few header members and one long array
 * ("files" in extract's, "sources" in transform's) with an entry per raw
 * file.  National runs have a thousand entries and more, so neither side
 * keeps the array in memory: the writer appends each entry to a file beside
 * the manifest as it comes and streams them into the manifest at the end
 * (temporary file and rename, like nk_json_write_atomic); the reader parses
 * with yajl and hands each entry over as a small jansson object, freed when
 * the callback returns.  The files are the ones docs/architecture.md
 * describes: same members, sorted keys, two-space indentation.
 */
#ifndef NYCKEL_MANIFEST_H
#define NYCKEL_MANIFEST_H

#include <jansson.h>
#include <stddef.h>

#include "lib/base/error.h"

typedef struct nk_manifest_writer nk_manifest_writer;

/*
 * Start the manifest at path, whose array member is array_name.  Entries go
 * to path + ".entries" until nk_manifest_writer_finish; path itself is not
 * touched before then.
 */
nk_manifest_writer *nk_manifest_writer_open(const char *path, const char *array_name,
                                            nk_error *err);
/* Append one entry (an object) to the array; it is written out at once. */
int nk_manifest_writer_add(nk_manifest_writer *writer, const json_t *entry, nk_error *err);
size_t nk_manifest_writer_count(const nk_manifest_writer *writer);
/*
 * Write the manifest: header's members (which must not include array_name)
 * and the array, through path + ".tmp", fsync and rename.
 */
int nk_manifest_writer_finish(nk_manifest_writer *writer, const json_t *header, nk_error *err);
/* Remove the entries file and free; for a finished or an abandoned writer. */
void nk_manifest_writer_free(nk_manifest_writer *writer);

/* Called once per entry of the array, in order; index counts from 0. */
typedef int (*nk_manifest_entry_fn)(const json_t *entry, size_t index, void *data, nk_error *err);

/*
 * Read the manifest at path: returns its members other than array_name (the
 * caller json_decref()s them) after calling on_entry for every entry of
 * array_name.  A missing array is an empty one; a missing file is an error
 * with exit code missing_code and hint appended; invalid JSON, a top level
 * that is not an object, a duplicate member or an array_name that is not an
 * array is NK_EXIT_DATA naming the file, line and byte.  An error from
 * on_entry stops the reading and is passed on as it is.
 */
json_t *nk_manifest_read(const char *path, const char *array_name, nk_manifest_entry_fn on_entry,
                         void *data, int missing_code, const char *hint, nk_error *err);

#endif
