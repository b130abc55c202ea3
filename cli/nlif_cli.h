/* nlif_cli.h — the subcommands of bin/nlif and the small helpers they share.
 * Each subcommand lives in cli/cmd_<name>.c and returns an exit code (nlif_error.h: 0 ok,
 * 1 verification failed, 2 bad usage or input, 3 numerical failure).
 */
#ifndef NLIF_CLI_H
#define NLIF_CLI_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"
#include "../core/nlif_options.h"
#include "../core/nlif_scheme.h"
#include "../io/nlif_results.h" /* nlif_root */

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

/* The whole command line (bin/nlif's main). */
int nlif_main(int argc, char **argv);

int nlif_cmd_list(int argc, char **argv);
int nlif_cmd_show(int argc, char **argv);
int nlif_cmd_reference(int argc, char **argv);
int nlif_cmd_run(int argc, char **argv);
int nlif_cmd_mc(int argc, char **argv);
int nlif_cmd_verify(int argc, char **argv);
int nlif_cmd_converge(int argc, char **argv);
int nlif_cmd_report(int argc, char **argv);
int nlif_cmd_bench(int argc, char **argv);
int nlif_cmd_check(int argc, char **argv);
int nlif_cmd_problem(int argc, char **argv);
int nlif_cmd_judge(int argc, char **argv);
int nlif_cmd_compare(int argc, char **argv);

/* ---- cmd_verify.c: what `nlif verify` and `nlif judge` (cmd_judge.c) print. ---- */
typedef struct nlif_verify nlif_verify; /* harness/judge/nlif_judge.h, harness/verify/nlif_verify.h */
/* Judge what is on disk (nlif_verify_judge); write RECORD (unless NULL) and JUNIT (unless NULL); print
 * the table (or the record with json). Returns the exit code: 1 if a check failed (not a known
 * failure), 2 on error. */
int nlif_cli_verdicts(const char *command, nlif_verify *v, const char *record, int json, const char *junit);
/* The checks, one line each, for --help texts. */
void nlif_cli_print_checks(FILE *f);

/* A command's flags as a getopt_long table (struct option, val the flag's code), read in the order
 * typed: CASE and the other positional arguments come back where they stand, so that a refusal names
 * the first bad argument. Accepted: a flag's whole name (getopt_long's abbreviations are refused),
 * -h, and --flag=value only where the command says so (eq). Every flag gets its value in the next argument, even one that starts with
 * '-'. Usage: nlif_cli_flags_begin(&p, argc, argv, table, eq), then while ((c = nlif_cli_flags_next(&p))
 * != -1) switch on c: */
enum {
    NLIF_CLI_POSITIONAL = 1, /* p.value: a positional argument ("-" alone is one: the commands refuse it) */
    NLIF_CLI_HELP = 'h',     /* -h or --help: give the table the entry {"help", no_argument, NULL, 'h'} */
    NLIF_CLI_UNKNOWN = '?',  /* p.flag: an argument that is no flag of the table, as typed */
};
typedef struct nlif_cli_flags {
    int argc;
    char **argv;
    const struct option *table; /* ends with {0, 0, 0, 0} */
    int eq;                     /* accept --flag=value for the flags that take a value */
    const char *flag;           /* the argument as typed ("--out", "--set=x", "-h", or the positional one) */
    const char *value;          /* the flag's value, NULL when the command line ends before it */
    const char *shorts;         /* one-letter flags beside -h, getopt style ("j:" for -j N), or NULL; set
                                 * after nlif_cli_flags_begin. Only "-j N" is taken, not "-jN" */
} nlif_cli_flags;
/* Start a parse of argv[1..argc) (resets getopt: optind = 0, and opterr = 0, the messages are the
 * command's own). */
void nlif_cli_flags_begin(nlif_cli_flags *p, int argc, char **argv, const struct option *table, int eq);
/* The next flag's val (its value in p->value, NULL when missing), NLIF_CLI_POSITIONAL, NLIF_CLI_UNKNOWN,
 * or -1 at the end. */
int nlif_cli_flags_next(nlif_cli_flags *p);

/* True if argv[i] is -h/--help. */
int nlif_cli_is_help(const char *arg);
/* Parse a number argument of option OPT; prints "nlif CMD: OPT: ..." and returns 2 on error. */
int nlif_cli_double(const char *cmd, const char *opt, const char *text, double *out);
int nlif_cli_long(const char *cmd, const char *opt, const char *text, long *out);
int nlif_cli_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
/* Print an error (and return its exit code). */
int nlif_cli_report(const char *cmd, const nlif_error *err);
/* The registered scheme NAME, or NULL after printing "nlif CMD: unknown scheme 'NAME' (allowed: ...)". */
const nlif_scheme_type *nlif_cli_scheme(const char *cmd, const char *name);
/* The options of a run of scheme st on case cs: the scheme's defaults, the case's [options], then
 * the command line's --opt NAME=VALUE (which win). 0, or the exit code after printing the error. */
int nlif_cli_scheme_options(const char *cmd, const nlif_scheme_type *st, const nlif_case *cs,
                            const char *const *opts, int n_opts, nlif_optset *o);

#endif
