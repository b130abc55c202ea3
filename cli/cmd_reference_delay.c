/* cmd_reference_delay.c — `nlif reference delay CASE`: the onset of oscillation of a delayed inhibitory
 * network (MATHEMATICS.md §2.1; exact/nlif_delay_onset.h): the critical delay d_c, the frequency ω_c and
 * period 2π/ω_c of the oscillation born there, for the case's model and constant input. */
#include "../exact/nlif_delay_onset.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "reference_cli.h"

#include <math.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif reference delay CASE [--set section.key=value]... [--dv H] [--json]\n\n"
               "The onset of oscillation of CASE's model with a synaptic delay (MATHEMATICS.md 2.1): the\n"
               "stationary state of an inhibitory network (b < 0, a1 = 0, constant input: input.type none\n"
               "or constant) loses stability at the critical delay d_c, where 1 = b exp(-i w d) G(i w) has\n"
               "a root on the imaginary axis; G is the transfer function of the linearised operator from\n"
               "the drift's rate to the firing rate, computed on grids dv = H and H/2 (default H = the\n"
               "case's run.dv) and extrapolated. Prints N_inf, b G(0), w_c, d_c, the period 2 pi / w_c,\n"
               "and d_c on the grid H alone (the difference bounds the grid error). The case's own\n"
               "model.delay is not used (d_c is a property of the undelayed stationary state).\n"
               "Exit codes: 0 ok (also when no delay destabilises the state: d_c = inf), 2 bad input.\n");
}

enum { RD_SET = 256, RD_DV, RD_JSON };

static const struct option rd_flags[] = {{"help", no_argument, NULL, NLIF_CLI_HELP},
                                         {"set", required_argument, NULL, RD_SET},
                                         {"dv", required_argument, NULL, RD_DV},
                                         {"json", no_argument, NULL, RD_JSON},
                                         {0, 0, 0, 0}};

int nlif_cmd_reference_delay(int argc, char **argv)
{
    const char *name = NULL, *sets[64];
    int n_sets = 0, json = 0;
    double dv = NAN;
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, rd_flags, 1);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return NLIF_EXIT_OK;
        } else if (c == RD_JSON)
            json = 1;
        else if (c == RD_SET && p.value && n_sets < 64)
            sets[n_sets++] = p.value;
        else if (c == RD_DV && p.value) {
            if (nlif_cli_double("reference delay", "--dv", p.value, &dv))
                return NLIF_EXIT_USAGE;
            if (!(dv > 0)) {
                fprintf(stderr, "nlif reference delay: --dv %s (allowed: > 0)\n", p.value);
                return NLIF_EXIT_USAGE;
            }
        } else if (c == NLIF_CLI_POSITIONAL && p.value[0] != '-' && !name)
            name = p.value;
        else {
            fprintf(stderr, "nlif reference delay: unexpected argument '%s'\n", p.flag);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    if (!name) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, sets, n_sets, &err))
        return nlif_cli_report("reference delay", &err);
    if (cs.structure.enabled || (cs.input.type != NLIF_INPUT_NONE && cs.input.type != NLIF_INPUT_CONSTANT)) {
        fprintf(stderr, "nlif reference delay: %s: a %s case with input %s (allowed: the 1D model with input.type "
                "none or constant)\n", cs.path, cs.structure.enabled ? "structured" : "1D", nlif_input_type_name(cs.input.type));
        return NLIF_EXIT_USAGE;
    }
    if (isnan(dv))
        dv = cs.run.dv;
    double input = cs.input.type == NLIF_INPUT_CONSTANT ? cs.input.i0 : 0.0;
    nlif_delay_onset o;
    if (nlif_delay_onset_compute(&cs.model, input, dv, &o, &err))
        return nlif_cli_report("reference delay", &err);
    if (json) {
        json_t *j = json_pack("{s:s, s:s, s:o, s:f, s:f, s:f, s:i}", "reference", "delay_onset", "case", cs.name,
                              "parameters", nlif_ref_model_json(&cs.model, input), "dv", dv, "rate", o.rate,
                              "gain0", o.gain0, "roots", o.n_roots);
        json_object_set_new(j, "omega_c", o.n_roots ? json_real(o.omega) : json_null());
        json_object_set_new(j, "d_c", o.n_roots ? json_real(o.d_c) : json_null());
        json_object_set_new(j, "period", o.n_roots ? json_real(o.period) : json_null());
        json_object_set_new(j, "d_c_coarse", o.n_roots ? json_real(o.d_c_coarse) : json_null());
        nlif_ref_dump_json(j);
        return NLIF_EXIT_OK;
    }
    char buf[64];
    nlif_ref_print_model(&cs.model, input);
    printf("stationary rate N_inf = %s (the undelayed root, MATHEMATICS.md 2)\n", nlif_ref_fmt_rate(o.rate, buf, sizeof buf));
    printf("static loop gain b G(0) = %.6f\n", o.gain0);
    if (!o.n_roots) {
        printf("|b G(i w)| < 1 for every w: stable for every delay (d_c = inf)\n");
        return NLIF_EXIT_OK;
    }
    printf("omega_c = %.8f, period 2 pi/omega_c = %.8f\n", o.omega, o.period);
    printf("d_c = %.8f (grids dv = %g, %g extrapolated; on dv = %g alone %.8f)\n", o.d_c, dv, dv / 2, dv, o.d_c_coarse);
    return NLIF_EXIT_OK;
}
