/* multiscale_impl.h — what the files of Scheme 2 share (multiscale.c: the solver object, the macro
 * phase's switching and the scheme type; micro.c: the micro phase): the solver object itself and the
 * CPU accounting of its parts. Private to solvers/multiscale/: the public interface is multiscale.h. */
#ifndef NLIF_MULTISCALE_IMPL_H
#define NLIF_MULTISCALE_IMPL_H

#include "multiscale.h"

#include "../../reference/particles.h"

#include <stdint.h>
#include <time.h>

enum { PHASE_MACRO = 0, PHASE_MICRO = 1 };
enum { CPU_MACRO = 0, CPU_MICRO = 1, CPU_SWITCH = 2 };

typedef struct ms_state {
    nlif_case cs;
    nlif_trajectory *tr;
    nlif_ms_macro mac;
    double *p, *trial, *work, *prof; /* n + 1 each */
    nlif_particles *ps;
    double *x;                       /* N_p voltages */
    long np;
    int phase;
    double t, dt, dt_micro, rate, fired; /* dt: macro step (run.dt); dt_micro: particle step */
    uint64_t kstep;                  /* kernel step counter: part of the random counter, never reused */
    uint32_t n_partial, n_samplings;
    uint64_t n_macro;                /* macro step attempts: the counter of the macro noise */
    int macro_noise;
    double noise_z;                  /* the standard normal of the current macro step */
    /* options */
    double rate_up, theta_up, tol, rate_down, window, calm_cascade, hysteresis, bandwidth;
    int layer, jitter, bridge, mass_guard, rate_iterations;
    double renorm_max; /* largest correction of the mass guard (reported: it may only remove round-off) */
    /* micro phase: windowed rate over the last wsteps steps */
    double *ring_spikes, *ring_dt;
    int wsteps, wpos, wfill;
    double wspikes, wtime;
    double micro_start, last_big, retry_at;
    double bis_rate;                 /* rate of the last trial step */
    /* statistics */
    double time_in[2], cpu[3], cpu_mark;
    long n_to_micro, n_to_macro, bisections, partial_steps;
    double bandwidth_used;
} ms_state;

static inline double nlif_ms_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Charge the CPU time since the last mark to part `part`. */
static inline void nlif_ms_cpu_charge(ms_state *s, int part)
{
    double now = nlif_ms_cpu_now();
    s->cpu[part] += now - s->cpu_mark;
    s->cpu_mark = now;
}

/* One step of the micro phase towards t_end (micro.c): the kernel's step on the grid kΔt, or a
 * shorter one to land on t_end; then the switch back to macro when the phase has calmed down. */
int nlif_ms_micro_step(ms_state *s, double t_end, nlif_error *err) __attribute__((visibility("hidden")));

#endif
