/* bench_multiscale.c — Scheme 2 against pure Monte Carlo on sine_mfe (issue 5): N_p = 1e5, Δt = run.dt,
 * t_final = 3 (two bursts, eight multiple firing events), CPU seconds of the multiscale solver vs the
 * particle kernel alone with the same N_p, Δt and seed (what one Monte Carlo realisation costs),
 * measured in this run (thread CPU time). Target: ratio ≥ 10 at equal agreement. "Agreement" is
 * printed next to the ratio: the MFE times and sizes of both runs, and the L1-in-time distance
 * between their N(t) binned on W = run.rate_window.
 */
#include "../harness/nlif_case.h"
#include "../reference/nlif_density.h"
#include "../reference/particles.h"
#include "../solvers/multiscale/multiscale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

#define NBIN 60
#define MAXM 64

int main(void)
{
    const double t_final = 3.0;
    const char *sets[] = {"run.t_final=3", "run.snapshots=1", "run.particles=100000"};
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_case_load(&cs, "sine_mfe", sets, 3, &err)) {
        fprintf(stderr, "bench_multiscale: %s\n", err.msg);
        return 1;
    }
    const double W = cs.run.rate_window, np = (double)cs.run.particles;
    double bins_ms[NBIN] = {0}, bins_mc[NBIN] = {0};
    double mfe_ms[MAXM][2], mfe_mc[MAXM][2];
    int n_ms = 0, n_mc = 0;

    /* multiscale */
    nlif_optset o;
    nlif_optset_init(&o, nlif_scheme_multiscale.options, &err);
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    void *st = NULL;
    double c0 = cpu();
    if (nlif_scheme_multiscale.alloc(&st, &cs, &o, &tr, &err) || nlif_scheme_multiscale.advance(st, t_final, &err)) {
        fprintf(stderr, "bench_multiscale: %s\n", err.msg);
        return 1;
    }
    double cpu_ms = cpu() - c0;
    for (size_t i = 1; i < tr.n; i++) {
        int b = (int)(0.5 * (tr.s[i].t + tr.s[i - 1].t) / W);
        if (b >= 0 && b < NBIN)
            bins_ms[b] += tr.s[i].fired - tr.s[i - 1].fired;
    }
    for (size_t i = 0; i < tr.n_ev && n_ms < MAXM; i++)
        if (!strcmp(tr.ev[i].kind, "mfe")) {
            mfe_ms[n_ms][0] = tr.ev[i].t;
            mfe_ms[n_ms++][1] = tr.ev[i].value;
        }
    double t_micro = nlif_traj_get_stat(&tr, "time_micro");
    double cpu_micro = nlif_traj_get_stat(&tr, "cpu_micro_seconds");
    double cpu_macro = nlif_traj_get_stat(&tr, "cpu_macro_seconds");
    double cpu_switch = nlif_traj_get_stat(&tr, "cpu_switch_seconds");
    double nsw = nlif_traj_get_stat(&tr, "switches");
    nlif_scheme_multiscale.free(st);
    nlif_traj_free(&tr);

    /* pure Monte Carlo: the kernel alone, same N_p, Δt, seed; sampling of the initial law included */
    nlif_particles_params pp;
    nlif_particles_params_defaults(&pp);
    pp.model = cs.model;
    pp.input = cs.input;
    pp.n = cs.run.particles;
    pp.dt = cs.run.dt;
    pp.rate_window = cs.run.rate_window;
    pp.seed = cs.run.seed;
    nlif_particles *ps;
    nlif_density d;
    c0 = cpu();
    if (nlif_particles_alloc(&ps, &pp, &err) || nlif_density_init(&d, &cs, &err)) {
        fprintf(stderr, "bench_multiscale: %s\n", err.msg);
        return 1;
    }
    nlif_particles_sample_voltages(ps, &d, 1);
    nlif_particles_set_time(ps, 0, 0);
    long steps = lround(t_final / cs.run.dt);
    nlif_particles_step_info info;
    for (long k = 0; k < steps; k++) {
        nlif_particles_step(ps, &info);
        double t1 = (k + 1) * cs.run.dt;
        int b = (int)((t1 - 0.5 * cs.run.dt) / W);
        if (b >= 0 && b < NBIN)
            bins_mc[b] += info.spikes / np;
        if (info.cascade / np >= cs.run.mfe_level && n_mc < MAXM) {
            mfe_mc[n_mc][0] = t1;
            mfe_mc[n_mc++][1] = info.cascade / np;
        }
    }
    double cpu_mc = cpu() - c0;
    nlif_particles_free(ps);
    nlif_density_free(&d);

    double l1 = 0, total = 0;
    for (int b = 0; b < NBIN; b++) {
        l1 += fabs(bins_ms[b] - bins_mc[b]); /* ∫|N_ms − N_mc| dt over bin b = |ΔE| */
        total += bins_mc[b];
    }
    printf("bench_multiscale: sine_mfe, N_p = %.0f, dt = %g, t in [0, %g]\n", np, cs.run.dt, t_final);
    printf("  multiscale: %.3f s CPU (micro %.3f, macro %.3f, switches %.3f), %.0f switches, %.3f of %.0f time units in micro\n",
           cpu_ms, cpu_micro, cpu_macro, cpu_switch, nsw, t_micro, t_final);
    printf("  Monte Carlo (kernel alone, same N_p, dt, seed): %.3f s CPU\n", cpu_mc);
    printf("  speed-up (MC / multiscale) = %.2f   (target >= 10)\n", cpu_mc / cpu_ms);
    printf("  agreement: %d MFEs (multiscale) vs %d (MC); L1 of N(t) on W = %g bins: %.4f (total firing %.3f)\n", n_ms,
           n_mc, W, l1, total);
    printf("  MFE  t_ms      t_mc      size_ms  size_mc\n");
    for (int k = 0; k < n_ms || k < n_mc; k++)
        printf("  %2d   %-8.4f  %-8.4f  %-7.4f  %-7.4f\n", k + 1, k < n_ms ? mfe_ms[k][0] : NAN,
               k < n_mc ? mfe_mc[k][0] : NAN, k < n_ms ? mfe_ms[k][1] : NAN, k < n_mc ? mfe_mc[k][1] : NAN);
    return 0;
}
