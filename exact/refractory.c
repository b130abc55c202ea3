/* refractory.c — the initial refractory mass R(0) of a case (MATHEMATICS.md §1.5): what the model with a
 * refractory period τ_R > 0 holds outside the density at t = 0. A stationary start is the exact
 * stationary state, whose refractory mass is R∞ = τ_R N∞ (MATHEMATICS.md §2); any other start takes the
 * case's initial.refractory. */
#include "nlif_exact.h"

int nlif_initial_refractory(const nlif_case *cs, double *r0, nlif_error *err)
{
    *r0 = 0.0;
    if (!(cs->model.tau_ref > 0))
        return NLIF_OK;
    if (cs->initial.type != NLIF_INIT_STATIONARY) {
        *r0 = cs->initial.refractory;
        return NLIF_OK;
    }
    double roots[NLIF_MAX_ROOTS];
    int nr = 0, rc = nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, err);
    if (rc)
        return rc;
    if (cs->initial.root >= nr)
        return nlif_fail(err, NLIF_EINVAL, "initial.root = %d but the model (b = %g, I = %g, tau_ref = %g) has %d "
                         "stationary state(s)", cs->initial.root, cs->model.b, cs->input.i0, cs->model.tau_ref, nr);
    *r0 = cs->model.tau_ref * roots[cs->initial.root];
    return NLIF_OK;
}

int nlif_initial_scale_refractory(const nlif_case *cs, int n, double *p, nlif_error *err)
{
    double r0 = 0.0;
    int rc = nlif_initial_refractory(cs, &r0, err);
    if (!rc && r0 > 0)
        for (int i = 0; i < n; i++)
            p[i] *= 1.0 - r0;
    return rc;
}
