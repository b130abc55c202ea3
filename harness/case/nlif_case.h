/* nlif_case.h — case files: parse (inih), validate at the edge, fill defaults, override (--set).
 *
 * A case is an INI file in cases/ (documented key by key in cases/README.md). Every problem is
 * refused with "FILE:LINE: what is wrong (what is allowed)" and NLIF_EINVAL (exit 2); nothing runs
 * on an invalid case. Overrides "section.key=value" go through the same validation, reported as
 * "--set section.key=value: ...". The [expect] keys of the checks (bounds) are kept as text and
 * validated by the checks, above this layer (harness/checks/nlif_check.h: nlif_checks_load_case).
 */
#ifndef NLIF_CASE_H
#define NLIF_CASE_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_model.h"
#include "../../core/nlif_options.h"

#include <stdio.h>

#define NLIF_MAX_CASES 128

/* Every field at its documented default (V_F = 2, V_R = 1, a0 = 1, V_min = −4, Gaussian N(0, 0.5²),
 * no input, 1D, run defaults). Useful for tests that build a case by hand. */
void nlif_case_defaults(nlif_case *cs);
/* Load a catalogue name ("relax_linear", looked up in <root>/cases/NAME.ini) or a path to a case
 * file, apply the overrides, validate. */
int nlif_case_load(nlif_case *cs, const char *name_or_path, const char *const *sets, int n_sets, nlif_error *err);
/* Parse case text (for tests): FILENAME is only used in messages. */
int nlif_case_parse_string(nlif_case *cs, const char *text, const char *filename, const char *const *sets,
                           int n_sets, nlif_error *err);
/* Names of the catalogue cases, sorted. */
int nlif_catalogue(char names[][NLIF_NAME_MAX], int max, int *n, nlif_error *err);
/* Write the validated case as INI with every key (defaults filled in). */
void nlif_case_write_ini(FILE *f, const nlif_case *cs);
/* The keys the case format has in SECTION, comma-separated (for messages; "none yet" if none). */
void nlif_case_section_keys(const char *section, char *buf, size_t len);
/* The sections of a case file in file order, NULL-terminated ([options] comes last, not listed). */
extern const char *const nlif_case_sections[];
/* Print the documentation of one section ("options" included) and the keys the case format has in
 * it. The [expect] keys of the checks are theirs to document (nlif_checks_print_case_keys prints
 * the whole format, for `nlif show --keys` and cases/README.md). */
void nlif_case_print_section_keys(FILE *f, const char *section);
/* A finite number with nothing but white space after it: the conversion of every number of a case
 * file, [expect] bounds included (strtod). */
int nlif_case_parse_double(const char *s, double *x);
/* Set in o the [options] the case states for scheme `scheme` (before command-line --opt). */
int nlif_case_apply_options(const nlif_case *cs, const char *scheme, nlif_optset *o, nlif_error *err);

/* Whether the case states CHECK in expect.checks (the one reading of that list). */
int nlif_case_states(const nlif_case *cs, const char *check);

#endif
