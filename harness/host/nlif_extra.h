/* nlif_extra.h — schemes from outside the built-in registry, named on any command line.
 *
 *   --variant NAME:SCHEME:opt=value[,opt=value]...   a scheme with some options fixed: its own column
 *                                                    in verify and report (an ablation study)
 *
 * (and the further kinds in the table of harness/host/extra.c). nlif_main takes these arguments out of
 * the command line wherever they stand after the command, in their order (a variant of a scheme that
 * another of them defines comes after it), registers each scheme type (nlif_scheme_register), and
 * keeps the arguments for the child processes that verify starts (nlif_extra_forwarded, which
 * harness/runs/jobs.c asks when it starts a child), so that every child knows the same schemes.
 */
#ifndef NLIF_EXTRA_H
#define NLIF_EXTRA_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_scheme.h"

/* Take the extra-scheme arguments out of argv[first..argc) (argc is updated; argv stays
 * NULL-terminated if it was), register every scheme they name, and keep them for child jobs.
 * Bad arguments: NLIF_EINVAL with what is wrong and what is allowed. */
int nlif_extra_take(int *argc, char **argv, int first, nlif_error *err);
/* The arguments every child job gets right after its subcommand: the extra-scheme arguments taken so
 * far, as "--flag value" pairs (*args points into a table that lives as long as the program).
 * Returns how many. */
int nlif_extra_forwarded(const char *const **args);

/* --variant: define and register the variant SPEC ("NAME:SCHEME:opt=value[,opt=value]..."). */
int nlif_variant_define(const char *spec, nlif_error *err);
/* If st is a variant: its base scheme, and its assignments ("opt=value", *n of them); else NULL. */
const nlif_scheme_type *nlif_variant_base(const nlif_scheme_type *st, const char *const **assign, int *n);

#endif
