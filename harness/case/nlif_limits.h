/* nlif_limits.h — what nlif agrees to run: every accepted input must end in bounded time and memory.
 *
 * One place for every ceiling (documented in cases/README.md, "Limits"). Validation calls these
 * before anything is allocated; a refusal names the key at fault and the limit, and the caller
 * prints it as FILE:LINE (exit 2). The ceilings that depend on the machine are [run] keys with a
 * generous default, raised explicitly in the case or with --set:
 *   run.max_steps           steps of one run: t_final/dt (grid schemes), t_final/mc_dt (particles);
 *                           also the run-time budget of recorded steps of the adaptive schemes
 *   run.max_particle_steps  particles x realisations x Monte Carlo steps of one Monte Carlo run
 *   run.max_memory          estimated memory of one run, in MiB (before any allocation)
 * The fixed ceilings (case file size, value length, cells, bins) protect the parser and the int
 * indices of the solvers; they are not meant to be raised.
 */
#ifndef NLIF_LIMITS_H
#define NLIF_LIMITS_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_model.h"

#include <stddef.h>

#define NLIF_MAX_CASE_BYTES (1L << 20)  /* a case file: 1 MiB */
#define NLIF_MAX_VALUE_CHARS 4095       /* one value (file or --set) */
#define NLIF_MAX_CELLS 1e7              /* voltage cells x weight cells of a grid */
#define NLIF_MAX_BINS 1e7               /* output bins of N(t): t_final / rate_window (or bin_width) */

#define NLIF_DEFAULT_MAX_STEPS "1e8"
#define NLIF_DEFAULT_MAX_PARTICLE_STEPS "1e12"
#define NLIF_DEFAULT_MAX_MEMORY "4096"

struct nlif_mc_config;

/* Estimated bytes per Monte Carlo particle: voltage, weight, fired flag, the near-threshold and reset
 * lists of the kernel (an upper bound: a calm step touches the 8 bytes of the voltage only). */
#define NLIF_MC_BYTES_PER_PARTICLE 64.0

/* Grid schemes: voltage cells (V_F − V_min)/Δv, weight cells, steps t_final/Δt, the estimated bytes.
 * Returns 0 if the case can be served; else 1 with *key (the keys at fault, "section.key" separated
 * by spaces, most specific first) and why ("run.dv = 1e-12 gives 6e12 cells (allowed: at most 1e7 cells ...)"). */
int nlif_limits_check_case(const nlif_case *cs, const char **key, char *why, size_t len);
/* The synaptic delay's rules (MATHEMATICS.md §1.4; harness/case/delay_rules.c), same convention:
 * 0 <= delay <= t_final, the 1D model, delay_history only with a delay. */
int nlif_case_check_delay(const nlif_case *cs, const char **key, char *why, size_t len);

/* A Monte Carlo run as configured (command-line overrides applied): steps, particle steps, bins,
 * estimated bytes. Same return convention; *key is the case key or the command-line option. */
int nlif_limits_check_mc(const nlif_case *cs, const struct nlif_mc_config *cfg, const char **key, char *why,
                         size_t len);

/* Estimated bytes of one grid run / one Monte Carlo run (what the checks compare with max_memory); for a
 * realisation split over processes (particles_per_rank), those of one process. */
double nlif_limits_mc_bytes(const nlif_case *cs, const struct nlif_mc_config *cfg);
/* The particles of one realisation that fit in `mib` MiB by the same estimate (bytes per particle),
 * at least 1: the automatic split of `mc` over MPI processes (--rank-memory). */
long nlif_limits_mc_particles_within(double mib);

/* The run-time step budget of one run: min(max_steps, what max_memory holds), ≥ 1; 0 (none) for a
 * case without ceilings (built by hand without nlif_case_defaults). */
size_t nlif_limits_step_budget(const nlif_case *cs);

/* Read a text file of at most max_bytes into a new NUL-terminated buffer (free it). Refused (EINVAL,
 * "PATH: ..."): a directory or anything but a regular file or a device that ends, more than max_bytes
 * (read stops there: /dev/zero ends too), a NUL byte (with its line). */
int nlif_read_text_bounded(const char *path, long max_bytes, char **text, nlif_error *err);

#endif
