/* delay_rules.c — the cross-key rules of a synaptic delay (MATHEMATICS.md §1.4; nlif_limits.h): the
 * delay lies within the run, is defined for the 1D model only (the structured model's drift is a sum
 * over weight classes, for which no delayed form is defined here) and not with a refractory period
 * (MATHEMATICS.md §1.5: each term is implemented and tested alone), and a history is given only with a delay. The
 * range of each key alone (d >= 0, history >= 0, finite) is the key table's (case_keys.c). */
#include "nlif_limits.h"

#include <stdio.h>

int nlif_case_check_delay(const nlif_case *cs, const char **key, char *why, size_t len)
{
    double d = cs->model.delay;
    *key = "model.delay";
    if (d > cs->run.t_final)
        return snprintf(why, len, "model.delay = %g exceeds run.t_final = %g (allowed: 0 <= delay <= t_final)", d,
                        cs->run.t_final), 1;
    if (d > 0 && cs->structure.enabled)
        return snprintf(why, len, "model.delay = %g in a structured case (allowed: delay = 0 with [structure]; the "
                        "delay is defined for the 1D model)", d), 1;
    if (d > 0 && cs->model.tau_ref > 0) {
        *key = "model.delay model.tau_ref";
        return snprintf(why, len, "model.delay = %g with model.tau_ref = %g (allowed: one of the two; a delay with a "
                        "refractory period is not implemented)", d, cs->model.tau_ref), 1;
    }
    if (d == 0 && cs->model.delay_history != 0) {
        *key = "model.delay_history model.delay";
        return snprintf(why, len, "model.delay_history = %g without a delay (allowed: delay_history only with "
                        "model.delay > 0)", cs->model.delay_history), 1;
    }
    return 0;
}
