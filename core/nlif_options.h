/* nlif_options.h — named, validated options of a scheme or reference (the CVodeSet* idea).
 *
 * Each scheme declares a table of option specs (name, kind, default, range or allowed values, whether
 * it is one of the named Choices of MATHEMATICS.md, and a one-line doc). An nlif_optset holds one
 * value per spec; nlif_optset_set validates and names the bad argument. Every option in force is
 * printed in result files and reports, so a reconstruction is never mistaken for the paper.
 */
#ifndef NLIF_OPTIONS_H
#define NLIF_OPTIONS_H

#include "nlif_error.h"

#include <stdio.h>

typedef enum { NLIF_OPT_DOUBLE = 0, NLIF_OPT_INT, NLIF_OPT_BOOL, NLIF_OPT_ENUM } nlif_opt_kind;

typedef struct nlif_option_spec {
    const char *name;     /* NULL terminates a table */
    nlif_opt_kind kind;
    const char *def;      /* default, as text */
    double min, max;      /* DOUBLE/INT: inclusive range */
    const char *choices;  /* ENUM: allowed values separated by '|' */
    int is_choice;        /* 1 if this is a named Choice of the specification (reconstruction) */
    const char *doc;
} nlif_option_spec;

#define NLIF_OPTSET_MAX 48

typedef struct nlif_optset {
    const nlif_option_spec *spec;
    int n;
    double num[NLIF_OPTSET_MAX];  /* DOUBLE, INT, BOOL (0/1), ENUM (index into choices) */
    int set[NLIF_OPTSET_MAX];     /* 1 if given by the user, 0 if default */
} nlif_optset;

/* Fill with defaults (fails only on a malformed spec table: a programming error reported as EINVAL). */
int nlif_optset_init(nlif_optset *o, const nlif_option_spec *spec, nlif_error *err);
/* Set NAME to VALUE (text), validating kind and range. */
int nlif_optset_set(nlif_optset *o, const char *name, const char *value, nlif_error *err);
/* Parse "name=value". */
int nlif_optset_assign(nlif_optset *o, const char *assignment, nlif_error *err);

/* Accessors: the name must exist in the spec (a programming error otherwise: returns NAN / -1). */
double nlif_opt_double(const nlif_optset *o, const char *name);
long nlif_opt_int(const nlif_optset *o, const char *name);
int nlif_opt_bool(const nlif_optset *o, const char *name);
int nlif_opt_enum(const nlif_optset *o, const char *name); /* index into choices */
/* Text of option i's value (into buf), for printing. */
const char *nlif_opt_text(const nlif_optset *o, int i, char *buf, size_t len);
/* x in the fewest significant digits (of 15, 16, 17) that read back as x: "0.99", "1e-06", "0.1". */
const char *nlif_format_double(char *buf, size_t len, double x);
int nlif_opt_index(const nlif_optset *o, const char *name);

/* Print "name = value  # doc [Choice] (allowed)" lines, for --help and reports. */
void nlif_option_spec_print(FILE *f, const nlif_option_spec *spec, const char *indent);

#endif
