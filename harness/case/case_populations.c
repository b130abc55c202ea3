/* case_populations.c — the cross-key rules of two populations E and I (a [population_i] section;
 * MATHEMATICS.md §1.6), checked by the parser (case.c) after every key is in place, with the keys at fault
 * so that the message starts at the first of them the file or --set gives; and the switch between one
 * and two populations.
 *
 * What the two-population model is defined for here: the 1D model under convention A without a synaptic
 * delay or a refractory period (each would need its own pair of histories or refractory states), no
 * manufactured solution (its family is of one population), an input of E without an instantaneous kick
 * (I's input is the constant i0), I's reset a node of the grid strictly inside (V_min, V_F), and I's
 * initial law a Gaussian (its own mean and sd) unless the case starts from a stationary state of both
 * (initial.type = stationary: I's mean and sd are then not read, as a --set of the type leaves E's out). */
#include "case_keys.h"

#include <stdio.h>
#include <string.h>

void nlif_case_set_populations(nlif_case *cs, int populations)
{
    nlif_model *m = &cs->model;
    m->populations = populations;
    if (populations == 2)
        return;
    m->b_ei = m->b_ie = m->b_ii = m->a0_i = m->a1_i = m->v_r_i = m->i0_i = 0;
    cs->initial.mean_i = cs->initial.sd_i = 0;
}

int nlif_case_population_rules(const nlif_case *cs, const char **key, char *why, size_t len)
{
    const nlif_model *m = &cs->model;
    if (m->populations != 2)
        return 0;
    if (cs->structure.enabled)
        return case_refuse(key, "population_i.b_ei", why, len,
                      "two populations with a [structure] section (allowed: [population_i] on the 1D model)");
    if (cs->manufactured.enabled)
        return case_refuse(key, "population_i.b_ei", why, len,
                      "two populations with a [manufactured] section (allowed: no manufactured solution; its family has one population)");
    if (m->delay > 0)
        return case_refuse(key, "model.delay population_i.b_ei", why, len,
                      "model.delay = %g with two populations (allowed: delay = 0 with a [population_i] section)", m->delay);
    if (m->tau_ref > 0)
        return case_refuse(key, "model.tau_ref population_i.b_ei", why, len,
                      "model.tau_ref = %g with two populations (allowed: tau_ref = 0 with a [population_i] section)", m->tau_ref);
    if (m->convention != NLIF_CONVENTION_A)
        return case_refuse(key, "model.convention population_i.b_ei", why, len,
                      "convention B with two populations (allowed: convention A)");
    if (cs->input.type == NLIF_INPUT_KICK)
        return case_refuse(key, "input.type population_i.b_ei", why, len,
                      "input.type = kick with two populations (allowed: none, constant, sine, pulse)");
    if (!(m->b >= 0))
        return case_refuse(key, "model.b", why, len, "model.b = %g is b_EE of two populations (allowed: b >= 0)", m->b);
    if (!(m->v_min < m->v_r_i && m->v_r_i < m->v_f))
        return case_refuse(key, "population_i.v_r", why, len,
                      "population_i.v_r = %g is outside (V_min, V_F) = (%g, %g) (allowed: v_min < v_r < v_f)", m->v_r_i,
                      m->v_min, m->v_f);
    if (nlif_grid_reset_i(m, cs->run.dv, NULL))
        return case_refuse(key, "population_i.v_r run.dv", why, len,
                      "population_i.v_r = %g is not a node of the grid run.dv = %g from V_min = %g (allowed: dv dividing "
                      "V_R,I - V_min)", m->v_r_i, cs->run.dv, m->v_min);
    const nlif_initial *in = &cs->initial;
    if (in->type == NLIF_INIT_MANUFACTURED)
        return case_refuse(key, "initial.type", why, len, "initial.type = manufactured with two populations (allowed: gaussian, "
                      "uniform, table, stationary)");
    return 0;
}
