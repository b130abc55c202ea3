/* test_particles_delay.c — the particle kernel with a synaptic delay (MATHEMATICS.md §1.4): the spikes
 * of step k act on the drift of step k + d/Δt and on no earlier step (bit-level comparison with the
 * uncoupled network driven by the same random numbers), a delay that is no whole number of steps is
 * refused with the reason, and `nlif mc` of a delayed case gives the same bits on 1 and 2 threads. */
#include "../harness/case/nlif_case.h"
#include "../reference/montecarlo.h"
#include "../reference/particles.h"
#include "nlif_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NP 4000L
#define DSTEPS 5

/* A network of NP particles spread up to V_F (so that step 0 fires), coupling b, delay d, same seed. */
static nlif_particles *network(double b, double d, double history)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = NP;
    p.dt = 1e-3;
    p.model.b = b;
    p.model.delay = d;
    p.model.delay_history = history;
    p.seed = 7;
    nlif_particles *ps = NULL;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    double *v0 = malloc(NP * sizeof *v0);
    for (long i = 0; i < NP; i++)
        v0[i] = 2.0 - 2.5 * (double)((i * 7919) % NP) / (double)NP;
    CU_ASSERT_EQUAL(nlif_particles_set_voltages(ps, v0, NULL, NP, NULL), NLIF_OK);
    free(v0);
    return ps;
}

/* Delayed b = −2 against b = 0: the same bits for the first DSTEPS steps (no coupling yet: history 0),
 * then at step DSTEPS every particle that fires in neither run is lower by b K_0 / N_p (K_0 the spikes
 * of step 0) up to rounding. An instantaneous coupling, or one a step early or late, fails. */
static void test_spikes_act_d_later(void)
{
    const double b = -2.0, dt = 1e-3;
    nlif_particles *del = network(b, DSTEPS * dt, 0.0), *unc = network(0.0, 0.0, 0.0);
    nlif_particles_step_info a, u;
    long k0 = -1;
    for (int k = 0; k < DSTEPS; k++) {
        nlif_particles_step(del, &a);
        nlif_particles_step(unc, &u);
        CU_ASSERT_EQUAL(a.spikes, u.spikes);
        if (k == 0)
            k0 = a.spikes;
    }
    CU_ASSERT(k0 > 10); /* the spread reaches V_F: step 0 fires */
    CU_ASSERT(memcmp(nlif_particles_voltages(del), nlif_particles_voltages(unc), NP * sizeof(double)) == 0);
    double before_d[NP], before_u[NP];
    memcpy(before_d, nlif_particles_voltages(del), sizeof before_d);
    memcpy(before_u, nlif_particles_voltages(unc), sizeof before_u);
    nlif_particles_step(del, &a);
    nlif_particles_step(unc, &u);
    const double *vd = nlif_particles_voltages(del), *vu = nlif_particles_voltages(unc);
    double want = b * (double)k0 / (double)NP; /* the kick, whole: Δs·(b K/(N_p Δs)) */
    long compared = 0, off = 0;
    for (long i = 0; i < NP; i++) {
        if (vd[i] == 1.0 || vu[i] == 1.0 || before_d[i] != before_u[i]) /* fired in step DSTEPS: at V_R */
            continue;
        compared++;
        if (fabs((vd[i] - vu[i]) - want) > 1e-12)
            off++;
    }
    CU_ASSERT(compared > NP / 2);
    CU_ASSERT_EQUAL(off, 0);
    nlif_particles_free(del);
    nlif_particles_free(unc);
}

/* Before the history runs out the drift is b N_h: with history N_h the first step differs from the
 * uncoupled one by b N_h Δt exactly (up to rounding). */
static void test_history_drift(void)
{
    const double b = -1.5, hist = 0.8, dt = 1e-3;
    nlif_particles *del = network(b, DSTEPS * dt, hist), *unc = network(0.0, 0.0, 0.0);
    nlif_particles_step_info a, u;
    double v0[NP];
    memcpy(v0, nlif_particles_voltages(unc), sizeof v0);
    nlif_particles_step(del, &a);
    nlif_particles_step(unc, &u);
    const double *vd = nlif_particles_voltages(del), *vu = nlif_particles_voltages(unc);
    long off = 0, compared = 0;
    for (long i = 0; i < NP; i++) {
        if (vd[i] == 1.0 || vu[i] == 1.0)
            continue;
        compared++;
        off += fabs((vd[i] - vu[i]) - b * hist * dt) > 1e-12;
    }
    CU_ASSERT(compared > NP / 2);
    CU_ASSERT_EQUAL(off, 0);
    nlif_particles_free(del);
    nlif_particles_free(unc);
}

static void test_refused_off_grid(void)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.model.b = -1;
    p.model.delay = 2.5e-3; /* 2.5 steps of 1e-3 */
    nlif_particles *ps = NULL;
    nlif_error err = {0};
    CU_ASSERT_EQUAL(nlif_particles_alloc(&ps, &p, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a whole number of steps"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "allowed: delay = k mc_dt"));
    p.model.delay = 3e-3;
    CU_ASSERT_EQUAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    nlif_particles_free(ps);
}

/* A delayed inhibitory case under nlif_mc_run on 1 and 2 threads: the same bits. */
static void test_threads_identical_delay(void)
{
    const char *sets[] = {"model.b=-4", "model.delay=0.2", "model.delay_history=0.3", "input.type=constant",
                          "input.i0=3", "run.t_final=0.6", "run.snapshots=0.6"};
    nlif_case cs;
    nlif_error err;
    if (nlif_case_load(&cs, "relax_inhibitory", sets, 7, &err)) {
        fprintf(stderr, "\n  %s\n", err.msg);
        CU_FAIL_FATAL("delayed case");
    }
    nlif_mc_config cfg;
    nlif_mc_config_from_case(&cfg, &cs);
    cfg.particles = 3000;
    cfg.realisations = 3;
    nlif_mc_result r1, r2;
    cfg.threads = 1;
    CU_ASSERT_EQUAL_FATAL(nlif_mc_run(&cs, &cfg, &r1, &err), NLIF_OK);
    cfg.threads = 2;
    CU_ASSERT_EQUAL_FATAL(nlif_mc_run(&cs, &cfg, &r2, &err), NLIF_OK);
    CU_ASSERT(memcmp(r1.rate_mean, r2.rate_mean, (size_t)r1.nbins * sizeof(double)) == 0);
    CU_ASSERT(memcmp(r1.cum_se, r2.cum_se, (size_t)r1.nbins * sizeof(double)) == 0);
    CU_ASSERT(memcmp(r1.v_cdf, r2.v_cdf, (size_t)r1.n_snap * (r1.v_bins + 1) * sizeof(double)) == 0);
    CU_ASSERT(r1.rate_final_mean == r2.rate_final_mean);
    nlif_mc_result_free(&r1);
    nlif_mc_result_free(&r2);
    /* a delay off the Monte Carlo grid: refused with the reason */
    cs.model.delay = 0.2005;
    cfg.dt = 1e-3;
    CU_ASSERT_EQUAL(nlif_mc_run(&cs, &cfg, &r1, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a whole number of steps"));
}

static const nlif_test_case tests[] = {{"spikes act d/dt steps later", test_spikes_act_d_later},
                                       {"history drift b N_h", test_history_drift},
                                       {"delay off the step grid refused", test_refused_off_grid},
                                       {"nlif mc with delay: 1 and 2 threads the same bits", test_threads_identical_delay},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("particles_delay", tests); }
