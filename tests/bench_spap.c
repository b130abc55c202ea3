/* bench_spap.c — cost of one SP-AP step (solvers/spap) per grid point, against a bare pre-factored
 * tridiagonal solve of the same size measured in the same run (target: ratio ≤ 3).
 *
 * The SP-AP step includes everything a time step does: face coefficients from ratios (exp), the GTH
 * bordered factor-and-solve, the slice-mass guard, the firing rate, and the trajectory sample. The
 * bare solve is forward + back substitution with stored multipliers and reciprocal pivots.
 */
#include "../harness/case/nlif_case.h"
#include "../solvers/spap/spap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Bare pre-factored tridiagonal solve, repeated `reps` times on x; returns seconds. */
static double bare(int n, int reps, double *sink)
{
    double *m = malloc(n * sizeof *m), *invd = malloc(n * sizeof *invd), *u = malloc(n * sizeof *u),
           *x = malloc(n * sizeof *x);
    /* I + λ·(1D Laplacian with unit column sums), Thomas-factored once */
    double lam = 2.5, off = -0.5 * lam, d = 0;
    for (int i = 0; i < n; i++) {
        double diag = (i == 0 || i == n - 1) ? 1 + 0.5 * lam : 1 + lam;
        d = i ? diag - m[i - 1] * off : diag;
        invd[i] = 1.0 / d;
        m[i] = off * invd[i];
        u[i] = off;
        x[i] = 1.0 + (i % 7);
    }
    double t0 = now();
    for (int k = 0; k < reps; k++) {
        for (int i = 1; i < n; i++)
            x[i] -= m[i - 1] * x[i - 1];
        x[n - 1] *= invd[n - 1];
        for (int i = n - 2; i >= 0; i--)
            x[i] = (x[i] - u[i] * x[i + 1]) * invd[i];
    }
    double t = now() - t0;
    *sink += x[n / 2];
    free(m), free(invd), free(u), free(x);
    return t;
}

static int one(const char *dv, int steps)
{
    nlif_case cs;
    nlif_error err;
    const char *sets[] = {dv, "run.dt=1e-3", "run.t_final=1000", "run.snapshots=1000"};
    if (nlif_case_load(&cs, "relax_excitatory", sets, 4, &err)) {
        fprintf(stderr, "bench_spap: %s\n", err.msg);
        return 1;
    }
    nlif_optset o;
    nlif_optset_init(&o, nlif_scheme_spap.options, &err);
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    void *st;
    if (nlif_scheme_spap.alloc(&st, &cs, &o, &tr, &err)) {
        fprintf(stderr, "bench_spap: %s\n", err.msg);
        return 1;
    }
    spap *s = st;
    int n = s->n;
    /* warm up, then measure; repeat and keep the best of 5 for both (noise on a shared machine) */
    nlif_scheme_spap.advance(st, 0.01 * steps * 1e-3, &err);
    double best_s = 1e30, best_b = 1e30, sink = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        double t_end = s->t + steps * 1e-3;
        nlif_scheme_spap.advance(st, t_end, &err);
        double ts = now() - t0;
        double tb = bare(n, steps, &sink);
        if (ts < best_s)
            best_s = ts;
        if (tb < best_b)
            best_b = tb;
    }
    double ns_s = 1e9 * best_s / ((double)steps * n), ns_b = 1e9 * best_b / ((double)steps * n);
    printf("spap step, n = %5d: %6.2f ns/point/step; bare pre-factored tridiagonal solve: %5.2f ns/point; "
           "ratio %.2f (target <= 3)%s\n",
           n, ns_s, ns_b, ns_s / ns_b, sink == 12345.0 ? " " : "");
    nlif_scheme_spap.free(st);
    nlif_traj_free(&tr);
    return 0;
}

int main(void)
{
    if (one("run.dv=0.02", 4000) || one("run.dv=0.002", 400))
        return 1;
    return 0;
}
