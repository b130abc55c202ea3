/* mutants_cases.c — what the mutants of the catalogue (mutants.c) change in the case the real scheme
 * is given: the model, its parameters read wrong (a constant, its square, a neighbouring parameter),
 * the input, the initial law, the structure, the manufactured source, the second population.
 */
#include "mutants_cases.h"

/* the model */
void nlif_mcase_reset_one_node_up(nlif_case *cs) { cs->model.v_r += cs->run.dv; }
void nlif_mcase_half_diffusion(nlif_case *cs) { cs->model.a0 *= 0.5; }
void nlif_mcase_coupling_ignored(nlif_case *cs) { cs->model.b = 0.0; }
void nlif_mcase_learning_reversed(nlif_case *cs)
{
    cs->structure.rate = -cs->structure.rate;   /* linear rule: K = −rate (w* − w) */
    cs->structure.alpha = -cs->structure.alpha; /* Hebbian rule: K = −(alpha N R_w − beta w) */
    cs->structure.beta = -cs->structure.beta;
}
void nlif_mcase_epsilon_ignored(nlif_case *cs) { cs->structure.epsilon = 1.0; }

/* parameter misuse: each reads one parameter of the case wrong (a constant, its square, another one) */
void nlif_mcase_a0_squared(nlif_case *cs) { cs->model.a0 *= cs->model.a0; } /* a0 taken for a standard deviation */
void nlif_mcase_reset_at_one(nlif_case *cs) { cs->model.v_r = 1.0; }
void nlif_mcase_threshold_at_two(nlif_case *cs) { cs->model.v_f = 2.0; }
void nlif_mcase_wall_at_minus_four(nlif_case *cs) { cs->model.v_min = -4.0; }
void nlif_mcase_a1_ignored(nlif_case *cs) { cs->model.a1 = 0.0; }
/* the refractory mass never returns: τ_R read as 1e12 (R/τ_R ~ 1e-12 R, nothing back within any t_final) */
void nlif_mcase_refractory_lost(nlif_case *cs) { cs->model.tau_ref = 1e12; }
/* the refractory mass returns at once: τ_R read as 0, the model without a refractory state */
void nlif_mcase_refractory_instant(nlif_case *cs) { cs->model.tau_ref = 0.0; }
void nlif_mcase_b_squared(nlif_case *cs) { cs->model.b *= cs->model.b; }
void nlif_mcase_input_ignored(nlif_case *cs) { cs->input.i0 = 0.0; }
void nlif_mcase_input_squared(nlif_case *cs) { cs->input.i0 *= cs->input.i0; }
void nlif_mcase_delay_ignored(nlif_case *cs) { cs->model.delay = 0.0; }
void nlif_mcase_history_ignored(nlif_case *cs) { cs->model.delay_history = 0.0; } /* the history read as a silent network */
void nlif_mcase_pulse_never_on(nlif_case *cs) { cs->input.t1 = cs->input.t0; } /* t1 read as t0 */
void nlif_mcase_kick_halved(nlif_case *cs) { cs->input.kick *= 0.5; }
void nlif_mcase_kick_at_one(nlif_case *cs) { cs->input.t0 = 1.0; } /* the kick's time hard-coded at 1 */
void nlif_mcase_epsilon_squared(nlif_case *cs) { cs->structure.epsilon *= cs->structure.epsilon; }
void nlif_mcase_learning_rate_ignored(nlif_case *cs) { cs->structure.rate = 0.0; } /* K = 0: the rate term dropped */
void nlif_mcase_w_star_zero(nlif_case *cs) { cs->structure.w_star = 0.0; }
void nlif_mcase_hebbian_beta_ignored(nlif_case *cs) { cs->structure.beta = 0.0; }                /* K = α N R_w: no decay */
void nlif_mcase_hebbian_alpha_squared(nlif_case *cs) { cs->structure.alpha *= cs->structure.alpha; } /* α read as α² */
void nlif_mcase_w_range_fixed(nlif_case *cs) { cs->structure.w_min = 0.0, cs->structure.w_max = 1.0; } /* [w_min, w_max] = [0, 1] */
void nlif_mcase_sd_for_variance(nlif_case *cs) { cs->initial.sd *= cs->initial.sd; } /* sd read as a variance */
void nlif_mcase_mean_ignored(nlif_case *cs) { cs->initial.mean = 0.0; }
void nlif_mcase_phase_ignored(nlif_case *cs) { cs->input.phase = 0.0; }
void nlif_mcase_pulse_from_zero(nlif_case *cs) { cs->input.t0 = 0.0; }     /* the pulse's start read as 0 */
void nlif_mcase_pulse_end_as_start(nlif_case *cs) { cs->input.t1 = 2.0 * cs->input.t1 - cs->input.t0; } /* its end read one width late */
/* the manufactured source term dropped: the scheme starts from p_m(·, 0) (the initial type stays) but
 * adds no S to its right-hand side */
void nlif_mcase_source_dropped(nlif_case *cs) { cs->manufactured.enabled = 0; }
/* two populations (MATHEMATICS.md §1.6), E and I swapped: noise, reset, input, initial law, couplings */
static void swap2(double *x, double *y) { double t = *x; *x = *y, *y = t; }
void nlif_mcase_ei_swapped(nlif_case *cs)
{
    nlif_model *m = &cs->model;
    swap2(&m->a0, &m->a0_i), swap2(&m->a1, &m->a1_i), swap2(&m->v_r, &m->v_r_i), swap2(&cs->input.i0, &m->i0_i);
    swap2(&m->b, &m->b_ii), swap2(&m->b_ei, &m->b_ie), swap2(&cs->initial.mean, &cs->initial.mean_i), swap2(&cs->initial.sd, &cs->initial.sd_i);
}
/* population I re-injected at E's reset: V_R,I read as V_R (a defect of I alone) */
void nlif_mcase_ei_reset_shared(nlif_case *cs) { cs->model.v_r_i = cs->model.v_r; }
/* the delay read as half its value (a delay counted in half steps, say): 0.4 < d_c = 0.508 on delay_periodic */
void nlif_mcase_delay_halved(nlif_case *cs) { cs->model.delay *= 0.5; }
