/* mutants_cases.h — the case edits of the mutant catalogue (tests/mutants_cases.c): each changes the
 * case before the real scheme sees it (a parameter read wrong: a constant, its square, another one). */
#ifndef NLIF_MUTANTS_CASES_H
#define NLIF_MUTANTS_CASES_H

#include "../core/nlif_model.h"

void nlif_mcase_reset_one_node_up(nlif_case *cs);
void nlif_mcase_half_diffusion(nlif_case *cs);
void nlif_mcase_coupling_ignored(nlif_case *cs);
void nlif_mcase_learning_reversed(nlif_case *cs);
void nlif_mcase_epsilon_ignored(nlif_case *cs);
void nlif_mcase_a0_squared(nlif_case *cs);
void nlif_mcase_reset_at_one(nlif_case *cs);
void nlif_mcase_threshold_at_two(nlif_case *cs);
void nlif_mcase_wall_at_minus_four(nlif_case *cs);
void nlif_mcase_a1_ignored(nlif_case *cs);
void nlif_mcase_refractory_lost(nlif_case *cs);
void nlif_mcase_refractory_instant(nlif_case *cs);
void nlif_mcase_b_squared(nlif_case *cs);
void nlif_mcase_input_ignored(nlif_case *cs);
void nlif_mcase_input_squared(nlif_case *cs);
void nlif_mcase_delay_ignored(nlif_case *cs);
void nlif_mcase_history_ignored(nlif_case *cs);
void nlif_mcase_pulse_never_on(nlif_case *cs);
void nlif_mcase_kick_halved(nlif_case *cs);
void nlif_mcase_kick_at_one(nlif_case *cs);
void nlif_mcase_epsilon_squared(nlif_case *cs);
void nlif_mcase_learning_rate_ignored(nlif_case *cs);
void nlif_mcase_w_star_zero(nlif_case *cs);
void nlif_mcase_hebbian_beta_ignored(nlif_case *cs);
void nlif_mcase_hebbian_alpha_squared(nlif_case *cs);
void nlif_mcase_w_range_fixed(nlif_case *cs);
void nlif_mcase_sd_for_variance(nlif_case *cs);
void nlif_mcase_mean_ignored(nlif_case *cs);
void nlif_mcase_phase_ignored(nlif_case *cs);
void nlif_mcase_pulse_from_zero(nlif_case *cs);
void nlif_mcase_pulse_end_as_start(nlif_case *cs);
void nlif_mcase_source_dropped(nlif_case *cs);
void nlif_mcase_ei_swapped(nlif_case *cs);
void nlif_mcase_ei_reset_shared(nlif_case *cs);
void nlif_mcase_delay_halved(nlif_case *cs);

#endif
