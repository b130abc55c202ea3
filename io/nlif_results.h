/* nlif_results.h — result files: provenance, atomic writes, JSON of cases and options.
 *
 * Every result records where its numbers came from: case (in full), scheme, every option and named
 * Choice, resolution, seed, commit, date, CPU seconds. JSON goes through jansson; CSV files open with
 * '#' provenance lines. Writes are atomic: a temporary file in the same directory, then rename(2); the
 * temporary file is removed at exit and on SIGINT/SIGTERM (nlif_rf_temp_track). Result sets themselves
 * are written by io/nlif_resultfmt.h (RESULTS.md).
 */
#ifndef NLIF_RESULTS_H
#define NLIF_RESULTS_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"
#include "../core/nlif_options.h"

#include <jansson.h>
#include <stdio.h>

/* The commit of the source tree ("<sha>[-dirty]", or "unknown"), computed once. */
const char *nlif_commit(void);
/* UTC date and time now, ISO 8601. */
void nlif_now_iso(char *buf, size_t len);
/* {"commit", "date", "program": "nlif", "version"} */
json_t *nlif_provenance_json(void);
json_t *nlif_case_json(const nlif_case *cs);
/* {name: value} with numbers as numbers, booleans as booleans, enums as strings. */
json_t *nlif_optset_json(const nlif_optset *o);
/* The named Choices in force: case-level (cascade convention) and the options marked is_choice. */
json_t *nlif_choices_json(const nlif_case *cs, const nlif_optset *o);
/* Add one run's Choices to all[scheme] (an object of strings): a value that differs between runs
 * (a case's [options]) is listed, every distinct value once, "a / b". */
void nlif_choices_merge(json_t *all, const char *scheme, const json_t *choices);

int nlif_mkdir_p(const char *dir, nlif_error *err);
/* Atomic file: write to the returned FILE, then nlif_atomic_close renames it into place. */
FILE *nlif_atomic_open(const char *path, char *tmp, size_t tmplen, nlif_error *err);
int nlif_atomic_close(FILE *f, const char *tmp, const char *path, nlif_error *err);
/* Give up an atomic file: closed and its temporary removed. */
void nlif_atomic_abort(FILE *f, const char *tmp);
int nlif_write_json(const char *path, const json_t *j, nlif_error *err);
/* "# key: value" lines for every member of a JSON object (nested objects compacted). */
void nlif_csv_provenance(FILE *f, const json_t *meta);
/* A number for JSON: NaN and ±inf become null. */
json_t *nlif_json_number(double x);

/* Root of the source tree (where cases/ and reference/data/ are): $NLIF_ROOT, else the parent of
 * the directory holding the executable, else ".". */
const char *nlif_root(void);

#endif
