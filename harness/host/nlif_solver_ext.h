/* nlif_solver_ext.h — external solvers: a program outside nlif, described by a manifest (INI), run as a
 * scheme (SOLVERS.md is the guide for solver authors).
 *
 *   --solver MANIFEST.ini     after any command: the solver becomes a scheme of that name
 *
 * The scheme's alloc writes the problem JSON (nlif_problem_json) into a fresh private folder, runs the
 * manifest's command there (fork/execvp, no shell, its own process group, killed with the group at the
 * manifest's timeout or when it writes more than max_output_mb; under its CPU, memory and process limits;
 * in the best sandbox the machine gives unless its manifest says sandbox = off), reads the result set it wrote with
 * THE result reader (io/nlif_resultfmt.h), checks it against the problem (case, grid,
 * snapshot times, t_final reached or a status saying why), and the scheme then replays it: advance and
 * profile hand the harness the solver's series and snapshots, so that `nlif run`, `converge` and
 * `verify` treat it as a built-in scheme. Every failure of the solver (exit code, signal, timeout,
 * output cap, malformed output with FILE:LINE) is an NLIF_ENUMERIC error with a one-line message:
 * `nlif run` exits 3, verify's cell FAILs with the message. A malformed manifest is NLIF_EINVAL with
 * MANIFEST:LINE (exit 2). The private folder is removed on every exit path of alloc (kept, and its
 * path printed on stderr, when the environment variable NLIF_SOLVER_KEEP is set to 1).
 */
#ifndef NLIF_SOLVER_EXT_H
#define NLIF_SOLVER_EXT_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_model.h"
#include "../../core/nlif_options.h"
#include "../../core/nlif_scheme.h"

#include <jansson.h>
#include <stdio.h>

#define NLIF_PROBLEM_FORMAT "nlif-problem"
#define NLIF_PROBLEM_VERSION 1
#define NLIF_SOLVER_MAX 16

/* --solver: read the manifest PATH, register its scheme type. Bad manifest: NLIF_EINVAL, "PATH:LINE: ...". */
int nlif_solver_load(const char *path, nlif_error *err);
/* The name of the solver when exactly one was loaded (the default --scheme), else NULL. */
const char *nlif_solver_default_scheme(void);
/* If st (or a variant of it: same option table) is an external solver: its provenance (manifest path,
 * FNV-1a hash and mtime of the manifest, command template, limits; caller owns it); else NULL. */
json_t *nlif_solver_provenance(const nlif_scheme_type *st);
/* The problem JSON of a run of CS (SOLVERS.md, "The problem"): OPT the scheme's options (NULL: none),
 * OUT_DIR and STEM where the solver is to write its result set, and the run's limits. The one writer of
 * the problem format, used by the scheme and by `nlif problem`. NULL with err on failure. */
json_t *nlif_problem_json(const nlif_case *cs, const nlif_optset *opt, const char *out_dir, const char *stem,
                          double timeout_seconds, double max_output_bytes, nlif_error *err);
/* Dump a problem JSON (indented, numbers with 17 significant digits). */
int nlif_problem_dump(FILE *f, const json_t *problem, nlif_error *err);
/* If st is an external solver: 0 and its isolation line in TEXT (the sandbox its runs get on this
 * machine, what that guarantees, its limits: SOLVERS.md, "The limits"); else −1. */
int nlif_solver_isolation(const nlif_scheme_type *st, char *text, size_t len);
/* The limits of solver st (for nlif problem): 0 if st is an external solver, else −1. */
int nlif_solver_limits(const nlif_scheme_type *st, double *timeout_seconds, double *max_output_bytes);

#endif
