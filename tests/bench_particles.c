/* bench_particles.c — cost of a particle-step of the kernel (reference/particles.c) against the
 * common baseline, one standard Gaussian from GSL's taus2 + ziggurat, measured in the same run
 * (issue 3: target ratio ≤ 1.5). Also the two stream choices of issue 3 on their own: one Gaussian
 * from Philox4x32-10 + our ziggurat vs GSL taus2 (a generator per particle block) + GSL ziggurat.
 */
#include "../reference/particles.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double bench_step(long n, int steps, int bridge, double b)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = n;
    p.dt = 1e-3;
    p.bridge = bridge;
    p.model.b = b;
    p.seed = 7;
    nlif_particles *ps;
    nlif_error err;
    if (nlif_particles_alloc(&ps, &p, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    nlif_density d;
    nlif_case cs;
    memset(&cs, 0, sizeof cs);
    cs.model = p.model;
    cs.initial.type = NLIF_INIT_GAUSSIAN;
    cs.initial.mean = 0;
    cs.initial.sd = 0.5;
    if (nlif_density_init(&d, &cs, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    nlif_particles_sample_voltages(ps, &d, 0);
    nlif_particles_step_info info;
    for (int k = 0; k < 20; k++) /* warm up */
        nlif_particles_step(ps, &info);
    double best = 1e99;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (int k = 0; k < steps; k++)
            nlif_particles_step(ps, &info);
        double ns = (now() - t0) * 1e9 / ((double)n * steps);
        if (ns < best)
            best = ns;
    }
    nlif_density_free(&d);
    nlif_particles_free(ps);
    return best;
}

int main(void)
{
    const long n = 100000;
    const int steps = 100;
    volatile double sink = 0;
    /* baseline: taus2 + ziggurat */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(g, 12345);
    double best_gsl = 1e99, best_philox = 1e99;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now(), s = 0;
        for (long i = 0; i < n * steps; i++)
            s += gsl_ran_gaussian_ziggurat(g, 1.0);
        double ns = (now() - t0) * 1e9 / ((double)n * steps);
        sink += s;
        if (ns < best_gsl)
            best_gsl = ns;
        t0 = now();
        s = 0;
        double q[4];
        for (long i = 0; i < n * steps; i += 4) {
            nlif_philox_gaussians(99, (uint32_t)(i >> 2), (uint32_t)(i >> 34), 0, q);
            s += q[0] + q[1] + q[2] + q[3];
        }
        ns = (now() - t0) * 1e9 / ((double)n * steps);
        sink += s;
        if (ns < best_philox)
            best_philox = ns;
    }
    gsl_rng_free(g);
    double step_ns = bench_step(n, steps, 1, 0.0);
    double step_nb = bench_step(n, steps, 0, 0.0);
    double step_exc = bench_step(n, steps, 1, 1.5);
    printf("gaussian draw, GSL taus2 + ziggurat:       %7.2f ns\n", best_gsl);
    printf("gaussian draw, Philox4x32-10 + ziggurat:   %7.2f ns  (ratio to GSL %.2f)\n", best_philox,
           best_philox / best_gsl);
    printf("particle-step (b = 0, bridge on):          %7.2f ns  (ratio to GSL draw %.2f, target <= 1.5)\n",
           step_ns, step_ns / best_gsl);
    printf("particle-step (b = 0, bridge off):         %7.2f ns  (ratio %.2f)\n", step_nb, step_nb / best_gsl);
    printf("particle-step (b = 1.5, bridge on):        %7.2f ns  (ratio %.2f)\n", step_exc, step_exc / best_gsl);
    printf("ratio particle-step / GSL draw: %.2f %s\n", step_ns / best_gsl,
           step_ns / best_gsl <= 1.5 ? "(target met)" : "(target NOT met)");
    (void)sink;
    return 0;
}
