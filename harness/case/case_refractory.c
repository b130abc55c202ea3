/* case_refractory.c — the cross-key rules of a refractory period (model.tau_ref, initial.refractory;
 * MATHEMATICS.md §1.5), checked by the parser (case.c) after every key is in place, with the keys at
 * fault so that the message starts at the first of them the file or --set gives.
 *
 * What the model with a refractory state is defined for here: the 1D model under convention A (a
 * cascade's fired mass enters R, there is no second kick to give it), an input without an instantaneous
 * kick (a refractory neuron has no voltage to shift), and an initial refractory mass below 1 (the density must keep some mass) only when τ_R > 0. */
#include "case_keys.h"

#include <stdio.h>

int nlif_case_refractory_rules(const nlif_case *cs, const char **key, char *why, size_t len)
{
    double tau = cs->model.tau_ref, r0 = cs->initial.refractory;
    if (r0 > 0 && !(tau > 0))
        return case_refuse(key, "initial.refractory model.tau_ref", why, len,
                      "initial.refractory = %g needs a refractory period (allowed: 0 when model.tau_ref = 0)", r0);
    if (!(r0 < 1))
        return case_refuse(key, "initial.refractory", why, len,
                      "initial.refractory = %g leaves the density no mass (allowed: 0 <= refractory < 1)", r0);
    if (!(tau > 0))
        return 0;
    if (cs->structure.enabled)
        return case_refuse(key, "model.tau_ref", why, len,
                      "model.tau_ref = %g with a [structure] section (allowed: a refractory period on the 1D model)", tau);
    if (cs->input.type == NLIF_INPUT_KICK)
        return case_refuse(key, "model.tau_ref input.type", why, len,
                      "model.tau_ref = %g with input.type = kick (allowed: none, constant, sine, pulse)", tau);
    if (cs->model.convention != NLIF_CONVENTION_A)
        return case_refuse(key, "model.tau_ref model.convention", why, len,
                      "model.tau_ref = %g with convention B (allowed: convention A: fired mass enters R)", tau);
    return 0;
}
