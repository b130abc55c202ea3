/* nlif_frozen.c — bin/nlif plus an out-of-tree scheme "frozen" that does nothing: its density never
 * moves from the initial cell averages and its firing rate is identically 0. It declares every 1D
 * capability (so that every 1D case runs it) and the orders of a second-order scheme, as a solver
 * that claims everything would. tests/test_judge.c runs `nlif verify` on it: a judge that cannot be
 * fooled FAILs it on every 1D case (MATHEMATICS.md 6), through the common interface only
 * (nlif_scheme_register, nlif_main), as any user's solver linked from outside the tree.
 * "frozen_unordered" is the same without expected orders: an order check has no bound for it.
 */
#include "../cli/nlif_cli.h"
#include "../exact/nlif_density.h"
#include "../core/nlif_scheme.h"

#include <math.h>
#include <stdlib.h>

typedef struct frozen {
    int n;
    double *v, *p;
    nlif_trajectory *traj;
    double t, mass, minp;
} frozen;

static void frozen_free(void *state)
{
    frozen *s = state;
    if (!s)
        return;
    free(s->v);
    free(s->p);
    free(s);
}

static int frozen_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj, nlif_error *err)
{
    (void)opt;
    frozen *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "frozen: state");
    double dv = cs->run.dv, v0 = cs->model.v_min;
    s->n = (int)((cs->model.v_f - v0) / dv + 0.5);
    s->v = malloc(sizeof *s->v * (size_t)s->n);
    s->p = malloc(sizeof *s->p * (size_t)s->n);
    nlif_density d;
    if (!s->v || !s->p) {
        frozen_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "frozen: grid");
    }
    if (nlif_density_init(&d, cs, err)) {
        frozen_free(s);
        return err->code ? err->code : NLIF_EINVAL;
    }
    nlif_density_cell_means(&d, v0, dv, s->n, s->p);
    nlif_density_free(&d);
    s->minp = 0;
    for (int i = 0; i < s->n; i++) {
        s->v[i] = v0 + (i + 0.5) * dv;
        s->mass += s->p[i] * dv;
        s->minp = i ? fmin(s->minp, s->p[i]) : s->p[i];
    }
    s->traj = traj;
    *state = s;
    return nlif_traj_record(traj, 0, 0, 0, s->mass, s->minp);
}

static int frozen_advance(void *state, double t_end, nlif_error *err)
{
    frozen *s = state;
    double dt = 1e-3;
    while (s->t < t_end) {
        s->t = fmin(s->t + dt, t_end);
        if (nlif_traj_record(s->traj, s->t, 0, 0, s->mass, s->minp))
            return nlif_fail(err, NLIF_ENOMEM, "frozen: trajectory");
    }
    return NLIF_OK;
}

static int frozen_profile(void *state, nlif_profile *out)
{
    frozen *s = state;
    *out = (nlif_profile){.t = s->t, .n = s->n, .v = s->v, .p = s->p};
    return 0;
}

static const nlif_option_spec frozen_options[] = {{.name = NULL}};

static const nlif_scheme_type frozen_type = {
    .name = "frozen",
    .title = "does nothing: density frozen at the initial data, rate 0 (a defect for tests/test_judge.c)",
    .source = "none",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_NOISE_RATE | NLIF_SUPPORTS_MFE | NLIF_SUPPORTS_CONVENTION_B |
             NLIF_SUPPORTS_KICK | NLIF_HAS_TIME_STEP | NLIF_SUPPORTS_REFRACTORY,
    .order_t = 1.0,
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = NAN,
    .options = frozen_options,
    .alloc = frozen_alloc,
    .advance = frozen_advance,
    .profile = frozen_profile,
    .free = frozen_free,
};

int main(int argc, char **argv)
{
    /* the same, declaring no expected orders: a stated order check then has no bound for it */
    static nlif_scheme_type unordered;
    unordered = frozen_type;
    unordered.name = "frozen_unordered";
    unordered.order_t = unordered.order_v_density = unordered.order_v_rate = NAN;
    nlif_scheme_register(&frozen_type);
    nlif_scheme_register(&unordered);
    return nlif_main(argc, argv);
}
