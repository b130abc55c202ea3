/* registry.c — the checks `nlif verify` knows (nlif_check.h), in the order of the verdict table.
 * Adding a check: one file in harness/checks/ and one line here. */
#include "nlif_check.h"

#include <stdio.h>
#include <string.h>

extern const nlif_check_type nlif_check_status, nlif_check_consistent, nlif_check_mass, nlif_check_positivity, nlif_check_stationary_rate,
    nlif_check_jump, nlif_check_blowup_time, nlif_check_mfe_mc, nlif_check_rate_mc, nlif_check_order_v,
    nlif_check_order_t, nlif_check_order_w, nlif_check_ap, nlif_check_baseline, nlif_check_mc_stationary,
    nlif_check_mc_data, nlif_check_work_precision, nlif_check_work_precision_mc, nlif_check_accuracy, nlif_check_mms,
    nlif_check_snapshot_mc, nlif_check_learning_limit, nlif_check_oscillation;

const nlif_check_type *const nlif_checks[] = {
    &nlif_check_status,      &nlif_check_consistent, &nlif_check_mass,     &nlif_check_positivity, &nlif_check_stationary_rate,
    &nlif_check_jump,        &nlif_check_blowup_time, &nlif_check_mfe_mc, &nlif_check_rate_mc, &nlif_check_snapshot_mc, &nlif_check_oscillation,
    &nlif_check_accuracy,    &nlif_check_mms,         &nlif_check_order_v,     &nlif_check_order_t,  &nlif_check_order_w,    &nlif_check_ap,
    &nlif_check_learning_limit,
    &nlif_check_baseline,    &nlif_check_mc_stationary, &nlif_check_mc_data,
    &nlif_check_work_precision, &nlif_check_work_precision_mc, NULL,
};

const nlif_check_type *nlif_check_find(const char *name)
{
    for (int i = 0; nlif_checks[i]; i++)
        if (!strcmp(nlif_checks[i]->name, name))
            return nlif_checks[i];
    return NULL;
}

const char *nlif_check_names(void)
{
    static char names[512];
    if (!names[0])
        for (int i = 0; nlif_checks[i]; i++)
            if (!nlif_checks[i]->always)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "",
                         nlif_checks[i]->name);
    return names;
}
