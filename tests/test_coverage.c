/* test_coverage.c — the parameter-coverage table of the catalogue (MATHEMATICS.md §6, "Which checks
 * see which parameters"; cases/README.md).
 *
 * Every catalogue case is read through nlif's own reader (nlif_checks_load_case: the case format and
 * the checks' [expect] keys). For each parameter of the model, the input, the initial law and the
 * structured network, and each check a case states, it decides whether the check SEES the parameter
 * there: whether changing the parameter changes the check's judged figure beyond the case's bound.
 * - stationary_rate, mc_stationary: computed. The exact root (MATHEMATICS.md §2) is recomputed with
 *   the parameter 10% larger (+0.1 when it is 0); seen when it moves by more than rate_tol.
 * - jump: computed. The exact jump of the initial data (nlif_vd_initial_jump) is recomputed the same
 *   way; seen when it moves by more than jump_tol. The initial law's type is seen (the law itself).
 *   Its time cell jump(t) holds the first MFE at the kick's t0 (nlif_vd_initial_jump_time): t0 is
 *   seen when 25% of it exceeds the time bound (nlif_check_jump_time_bound).
 * - order_w: declared. Its figure is the order against the exact characteristic solution in w, built
 *   from the rule, its rate and target and the weight law: a solver that reads one of them wrong has
 *   an error that does not fall (m_learning_rate_ignored, m_w_star_zero).
 * - learning_limit: computed for numbers (limit_sees): the exact limit ε → 0 by characteristics
 *   (exact/nlif_learning.h) is recomputed with the parameter 25% larger (+0.25 from 0); seen when ρ(w, t)
 *   moves by more than the check's bound B_ρ at a judged snapshot. Declared for the rule and the weight
 *   law, which are the reference itself.
 * - ap: declared. It sweeps ε itself (1e-2 … 1e-12): it sees how ε enters (m_epsilon_squared), at
 *   the swept values, not the case's.
 * - rate_mc, mfe_mc, blowup_time: declared. N(t) and the MFEs against a Monte Carlo of the same case
 *   see every parameter of the model, the input and the initial law.
 * - accuracy: declared, for the input's time dependence. Every snapshot and N(t) against cvode of the
 *   same problem (always judged on a calm case with a1 = 0, harness/checks/accuracy.c): it sees the
 *   sine's amplitude, ω and phase, and a pulse's edges that lie before t_final (m_phase_ignored,
 *   m_pulse_from_zero, m_pulse_too_long: 30 to 75 times the bound), and a synaptic delay and its history
 *   (m_delay_ignored, m_history_ignored: 7.9 to 50 times the bound in p).
 * - two populations (MATHEMATICS.md §1.6): stationary_rate's figure is both exact rates (N_E and N_I): a
 *   parameter is seen when either moves by more than rate_tol; accuracy sees I's initial law (density_i
 *   at every snapshot against cvode; m_ei_swapped, m_ei_reset_shared).
 * - mass, positivity, order_v, order_t: nothing specific (a conservation law, a sign, an order).
 *
 * The test prints the table "parameter × distinct values seen × the cases and checks that see it",
 * writes it to results/check/coverage/coverage.md, and fails when a parameter is seen at fewer than 2
 * values — except the documented gaps below, each with its reason; a gap that becomes covered fails
 * too, so that the list stays true.
 */
#include "../exact/nlif_exact.h"
#include "../exact/nlif_learning.h"
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "../harness/judge/verify_data.h"
#include "nlif_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_DIR "results/check/coverage"
#define MAXV 32

typedef enum { SEE_NONE = 0, SEE_ROOT, SEE_JUMP, SEE_JUMP_T, SEE_W, SEE_AP, SEE_MC, SEE_ACC, SEE_LIMIT } see_kind;

typedef struct param {
    const char *name;
    double *(*at)(nlif_case *cs); /* the number, NULL for a word */
    const char *(*word)(const nlif_case *cs);
    int (*applies)(const nlif_case *cs);
    unsigned seen_by;             /* the see_kind bits whose figure depends on it */
    const char *gap;              /* a documented gap: why no check of the catalogue sees it at 2 values */
} param;

#define BIT(k) (1u << (k))
#define ALL_MC BIT(SEE_MC)

static int always(const nlif_case *cs) { return (void)cs, 1; }
static int structured(const nlif_case *cs) { return cs->structure.enabled; }
static int linear(const nlif_case *cs) { return cs->structure.enabled && cs->structure.rule == NLIF_RULE_LINEAR; }
static int hebbian(const nlif_case *cs) { return cs->structure.enabled && cs->structure.rule == NLIF_RULE_HEBBIAN; }
static int w_gauss(const nlif_case *cs) { return cs->structure.enabled && cs->structure.w_law == NLIF_WLAW_GAUSSIAN; }
static int gauss(const nlif_case *cs) { return cs->initial.type == NLIF_INIT_GAUSSIAN; }
static int has_input(const nlif_case *cs) { return cs->input.type != NLIF_INPUT_NONE; }
static int sine(const nlif_case *cs) { return cs->input.type == NLIF_INPUT_SINE; }
static int pulse(const nlif_case *cs) { return cs->input.type == NLIF_INPUT_PULSE; }
static int kick(const nlif_case *cs) { return cs->input.type == NLIF_INPUT_KICK; }
static int delayed(const nlif_case *cs) { return cs->model.delay > 0; }
/* a pulse's edge is part of the problem only when it comes before t_final */
static int pulse_edge_t0(const nlif_case *cs) { return pulse(cs) && cs->input.t0 < cs->run.t_final; }
static int pulse_edge_t1(const nlif_case *cs) { return pulse(cs) && cs->input.t1 < cs->run.t_final; }

static double *a0(nlif_case *c) { return &c->model.a0; }
static double *a1(nlif_case *c) { return &c->model.a1; }
static double *b(nlif_case *c) { return &c->model.b; }
static double *vf(nlif_case *c) { return &c->model.v_f; }
static double *vr(nlif_case *c) { return &c->model.v_r; }
static double *vmin(nlif_case *c) { return &c->model.v_min; }
static double *delay(nlif_case *c) { return &c->model.delay; }
static double *history(nlif_case *c) { return &c->model.delay_history; }
static double *i0(nlif_case *c) { return &c->input.i0; }
static double *amp(nlif_case *c) { return &c->input.amplitude; }
static double *omega(nlif_case *c) { return &c->input.omega; }
static double *phase(nlif_case *c) { return &c->input.phase; }
static double *t0(nlif_case *c) { return &c->input.t0; }
static double *t1(nlif_case *c) { return &c->input.t1; }
static double *kick_size(nlif_case *c) { return &c->input.kick; }
static double *mean(nlif_case *c) { return &c->initial.mean; }
static double *sd(nlif_case *c) { return &c->initial.sd; }
static double *eps(nlif_case *c) { return &c->structure.epsilon; }
static double *rate(nlif_case *c) { return &c->structure.rate; }
static double *wstar(nlif_case *c) { return &c->structure.w_star; }
static double *alpha(nlif_case *c) { return &c->structure.alpha; }
static double *beta(nlif_case *c) { return &c->structure.beta; }
static double *wmin(nlif_case *c) { return &c->structure.w_min; }
static double *wmax(nlif_case *c) { return &c->structure.w_max; }
static double *wmean(nlif_case *c) { return &c->structure.w_mean; }
static double *wsd(nlif_case *c) { return &c->structure.w_sd; }
static double *tau_ref(nlif_case *c) { return &c->model.tau_ref; }
static double *refr0(nlif_case *c) { return &c->initial.refractory; }
/* R(0) is a key of a case with a refractory period and an initial law other than the stationary state */
static int refr_init(const nlif_case *c) { return c->model.tau_ref > 0 && c->initial.type != NLIF_INIT_STATIONARY; }
/* two populations (MATHEMATICS.md §1.6): population I's parameters and couplings, and its initial law */
static int two(const nlif_case *c) { return c->model.populations == 2; }
static int two_init(const nlif_case *c) { return two(c) && c->initial.type != NLIF_INIT_STATIONARY; }
static double *a0_i(nlif_case *c) { return &c->model.a0_i; }
static double *a1_i(nlif_case *c) { return &c->model.a1_i; }
static double *vr_i(nlif_case *c) { return &c->model.v_r_i; }
static double *i0_i(nlif_case *c) { return &c->model.i0_i; }
static double *b_ei(nlif_case *c) { return &c->model.b_ei; }
static double *b_ie(nlif_case *c) { return &c->model.b_ie; }
static double *b_ii(nlif_case *c) { return &c->model.b_ii; }
static double *mean_i(nlif_case *c) { return &c->initial.mean_i; }
static double *sd_i(nlif_case *c) { return &c->initial.sd_i; }
static const char *init_type(const nlif_case *c) { return nlif_initial_type_name(c->initial.type); }
static const char *rule(const nlif_case *c) { return nlif_rule_name(c->structure.rule); }
static const char *wlaw(const nlif_case *c) { return nlif_weight_law_name(c->structure.w_law); }

#define MODEL (BIT(SEE_ROOT) | BIT(SEE_JUMP) | ALL_MC)
static const param params[] = {
    {"model.a0", a0, NULL, always, MODEL, NULL},
    {"model.a1", a1, NULL, always, MODEL, NULL},
    {"model.b", b, NULL, always, MODEL, NULL},
    {"model.v_f", vf, NULL, always, MODEL, NULL},
    {"model.v_r", vr, NULL, always, MODEL, NULL},
    {"model.v_min", vmin, NULL, always, BIT(SEE_JUMP) | ALL_MC, NULL},
    {"model.delay", delay, NULL, delayed, BIT(SEE_ACC), NULL},
    {"model.delay_history", history, NULL, delayed, BIT(SEE_ACC), NULL},
    {"model.tau_ref", tau_ref, NULL, always, MODEL, NULL},
    {"initial.refractory", refr0, NULL, refr_init, ALL_MC | BIT(SEE_ACC), NULL},
    {"population_i.a0", a0_i, NULL, two, MODEL, NULL},
    {"population_i.a1", a1_i, NULL, two, MODEL, NULL},
    {"population_i.v_r", vr_i, NULL, two, MODEL, NULL},
    {"population_i.i0", i0_i, NULL, two, MODEL, NULL},
    {"population_i.b_ei", b_ei, NULL, two, MODEL, NULL},
    {"population_i.b_ie", b_ie, NULL, two, MODEL, NULL},
    {"population_i.b_ii", b_ii, NULL, two, MODEL, NULL},
    {"population_i.mean", mean_i, NULL, two_init, ALL_MC | BIT(SEE_ACC), NULL},
    {"population_i.sd", sd_i, NULL, two_init, ALL_MC | BIT(SEE_ACC), NULL},
    {"input.i0", i0, NULL, has_input, MODEL, NULL},
    {"input.amplitude (sine)", amp, NULL, sine, ALL_MC | BIT(SEE_ACC), NULL},
    {"input.omega (sine)", omega, NULL, sine, ALL_MC | BIT(SEE_ACC), NULL},
    {"input.phase (sine)", phase, NULL, sine, ALL_MC | BIT(SEE_ACC), NULL},
    {"input.t0 (pulse)", t0, NULL, pulse_edge_t0, ALL_MC | BIT(SEE_ACC),
     NULL},
    {"input.t1 (pulse)", t1, NULL, pulse_edge_t1, ALL_MC | BIT(SEE_ACC),
     NULL},
    {"input.t0 (kick)", t0, NULL, kick, BIT(SEE_JUMP_T) | ALL_MC, NULL},
    {"input.kick", kick_size, NULL, kick, BIT(SEE_JUMP) | ALL_MC, NULL},
    {"initial.type", NULL, init_type, always, BIT(SEE_JUMP) | ALL_MC, NULL},
    {"initial.mean", mean, NULL, gauss, BIT(SEE_JUMP) | ALL_MC, NULL},
    {"initial.sd", sd, NULL, gauss, BIT(SEE_JUMP) | ALL_MC, NULL},
    {"structure.epsilon", eps, NULL, structured, BIT(SEE_AP), NULL},
    {"structure.rule", NULL, rule, structured, BIT(SEE_W) | BIT(SEE_LIMIT), NULL},
    {"structure.rate", rate, NULL, linear, BIT(SEE_W) | BIT(SEE_LIMIT), NULL},
    {"structure.w_star", wstar, NULL, linear, BIT(SEE_W) | BIT(SEE_LIMIT), NULL},
    {"structure.alpha", alpha, NULL, hebbian, BIT(SEE_LIMIT), NULL},
    {"structure.beta", beta, NULL, hebbian, BIT(SEE_LIMIT), NULL},
    {"structure.w_min", wmin, NULL, structured, BIT(SEE_LIMIT), NULL},
    {"structure.w_max", wmax, NULL, structured, BIT(SEE_LIMIT), NULL},
    {"structure.w_law", NULL, wlaw, structured, BIT(SEE_W) | BIT(SEE_LIMIT), NULL},
    {"structure.w_mean", wmean, NULL, w_gauss, BIT(SEE_W) | BIT(SEE_LIMIT), NULL},
    {"structure.w_sd", wsd, NULL, w_gauss, BIT(SEE_W) | BIT(SEE_LIMIT), NULL},
};
#define NPARAM ((int)(sizeof params / sizeof params[0]))

/* the ε values the ap check sweeps in --quick (harness/checks/ap.c: every other one of 1e-2 … 1e-12) */
static const double ap_eps[] = {1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12};

typedef struct seen {
    int n;
    char values[MAXV][48];
    char where[2048];
} seen;
static seen table[NPARAM];

static void add_value(seen *s, const char *v)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->values[i], v))
            return;
    if (s->n < MAXV)
        snprintf(s->values[s->n++], sizeof s->values[0], "%s", v);
}

static void add_where(seen *s, const char *cs, const char *check, const char *how)
{
    size_t l = strlen(s->where);
    snprintf(s->where + l, sizeof s->where - l, "%s%s/%s%s", l ? ", " : "", cs, check, how);
}


/* The judged figure of a computed check on a (possibly perturbed) copy of the case; NAN if none. */
static double figure(const nlif_case *cs, see_kind k)
{
    nlif_error e = {0};
    if (k == SEE_JUMP)
        return nlif_vd_initial_jump(cs, &e);
    if (k == SEE_JUMP_T)
        return nlif_vd_initial_jump_time(cs);
    double roots[NLIF_MAX_ROOTS], pair[NLIF_MAX_ROOTS][2];
    int nr = 0, root = (int)nlif_check_bound(cs, "stationary_root");
    if (cs->model.populations == 2) /* two populations: N_E here, N_I by figure_i (MATHEMATICS.md §1.6) */
        return nlif_population_rates(&cs->model, cs->input.i0, pair, NLIF_MAX_ROOTS, &nr, &e) || root >= nr ? NAN
                                                                                                          : pair[root][0];
    if (nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) || root >= nr)
        return NAN;
    return roots[root];
}

/* Population I's exact rate of a two-population case (stationary_rate judges both). */
static double figure_i(const nlif_case *cs)
{
    double pair[NLIF_MAX_ROOTS][2];
    int nr = 0, root = (int)nlif_check_bound(cs, "stationary_root");
    return nlif_population_rates(&cs->model, cs->input.i0, pair, NLIF_MAX_ROOTS, &nr, NULL) || root >= nr ? NAN : pair[root][1];
}

/* Does the computed check K see parameter P on case CS? The change of the parameter that moves the
 * figure by the bound, from the derivative (a relative step of 1e-4; an absolute one when it is 0):
 * seen when a change of at most 25% (0.25 when it is 0) is resolved — the size of a misread such as
 * a square or a neighbouring constant. *moved is that resolved change, relative (absolute when 0). */
#define SEE_CHANGE 0.25
static int computed_sees(const nlif_case *cs, const param *p, see_kind k, double *moved)
{
    if (!p->at) /* a word: the initial law's type is the law itself */
        return k == SEE_JUMP;
    if (k == SEE_JUMP_T) { /* the exact time is the kick's t0 itself: seen when 25% of it exceeds the bound */
        *moved = nlif_check_jump_time_bound(cs) / fabs(*p->at((nlif_case *)cs));
        return *moved <= SEE_CHANGE;
    }
    if (k == SEE_ROOT && !strcmp(p->name, "input.i0") && cs->input.type != NLIF_INPUT_CONSTANT &&
        !(cs->input.type == NLIF_INPUT_PULSE && cs->input.t0 < cs->run.t_final && cs->input.t1 >= cs->run.t_final))
        return 0; /* stationary_rate reads i0 as the input at t_final: a constant, or a pulse still on */
    double bound = nlif_check_bound(cs, k == SEE_JUMP ? "jump_tol" : "rate_tol");
    nlif_case c2 = *cs;
    double *x = p->at(&c2), base = figure(cs, k), x0 = *x, h = x0 != 0 ? 1e-4 * fabs(x0) : 1e-4;
    *x = x0 + h;
    double slope = fabs(figure(&c2, k) - base) / h;
    if (k == SEE_ROOT && cs->model.populations == 2) /* either population's rate beyond the bound */
        slope = fmax(slope, fabs(figure_i(&c2) - figure_i(cs)) / h);
    *moved = slope > 0 ? bound / slope / (x0 != 0 ? fabs(x0) : 1) : HUGE_VAL;
    return isfinite(slope) && *moved <= SEE_CHANGE;
}

/* Does learning_limit see parameter P on case CS? The exact limit (exact/nlif_learning.h) is recomputed
 * with the parameter 25% larger (+0.25 from 0; 25% smaller when the larger value leaves the reference's
 * scope); seen when ρ(w, t) moves in L1 — on cells of Δw/4 over both weight ranges — by more than the
 * check's bound B_ρ(t) at some judged snapshot time t. *ratio is the largest move over the bound. A
 * word (the rule, the weight law) is the reference itself: a solver that reads it wrong solves another
 * problem (m_w_range_fixed changes the law's support; the rule changes K). */
static int limit_sees(const nlif_case *cs, const param *p, double *ratio)
{
    *ratio = 0;
    if (!p->at)
        return 1;
    /* the bounds of the case, computed once per case (the parameters are surveyed one after another) */
    static char cached[NLIF_NAME_MAX];
    static double t[NLIF_MAX_SNAPSHOTS + 1], b[NLIF_MAX_SNAPSHOTS + 1];
    static int nt = 0;
    int seen = 0;
    nlif_error e = {0};
    if (strcmp(cached, cs->name)) {
        cached[0] = '\0';
        if (nlif_learning_limit_bounds(cs, t, b, NLIF_MAX_SNAPSHOTS + 1, &nt, &e))
            return 0;
        snprintf(cached, sizeof cached, "%s", cs->name);
    }
    for (int dir = 1; dir >= -1 && !seen; dir -= 2) {
        nlif_case c2 = *cs;
        double *x = p->at(&c2);
        *x = *x != 0 ? *x * (1 + dir * SEE_CHANGE) : dir * SEE_CHANGE;
        nlif_learning *L0 = NULL, *L1 = NULL;
        if (nlif_learning_new(&L0, cs, 48, 1e-12, &e) || nlif_learning_new(&L1, &c2, 48, 1e-12, &e)) {
            nlif_learning_free(L0), nlif_learning_free(L1);
            continue;
        }
        double lo = fmin(cs->structure.w_min, c2.structure.w_min), hi = fmax(cs->structure.w_max, c2.structure.w_max);
        double h = cs->run.dw / 4;
        int ok = 1;
        for (int k = 0; k < nt && ok; k++) {
            if (nlif_learning_advance(L0, t[k], &e) || nlif_learning_advance(L1, t[k], &e)) {
                ok = 0;
                break;
            }
            double d = 0;
            for (double a = lo; a < hi - 1e-12; a += h)
                d += fabs(nlif_learning_mass(L0, a, a + h) - nlif_learning_mass(L1, a, a + h));
            *ratio = fmax(*ratio, d / b[k]);
        }
        seen = ok && *ratio >= 1;
        nlif_learning_free(L0), nlif_learning_free(L1);
    }
    return seen;
}

/* accuracy is judged, against cvode, on a calm case (no blow-up, kick, MFE, jump or epsilon checks,
 * 1D) with a1 = 0 (harness/checks/accuracy.c) */
static int accuracy_runs(const nlif_case *cs)
{
    return !cs->expect.blowup && !cs->structure.enabled && cs->input.type != NLIF_INPUT_KICK && cs->model.a1 == 0.0 &&
           !nlif_case_states(cs, "mfe_mc") && !nlif_case_states(cs, "jump") && !nlif_case_states(cs, "ap") && !nlif_case_states(cs, "blowup_time");
}

static void fmt(char *buf, size_t n, double x) { snprintf(buf, n, "%.6g", x); }

static void survey_case(const char *name)
{
    nlif_case cs;
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_checks_load_case(&cs, name, NULL, 0, &e), 0);
    static const struct {
        const char *check;
        see_kind k;
    } checks[] = {{"stationary_rate", SEE_ROOT}, {"mc_stationary", SEE_ROOT}, {"jump", SEE_JUMP}, {"jump(t)", SEE_JUMP_T},
                  {"order_w", SEE_W},           {"ap", SEE_AP},              {"rate_mc", SEE_MC},
                  {"mfe_mc", SEE_MC},           {"blowup_time", SEE_MC},     {"accuracy", SEE_ACC},
                  {"learning_limit", SEE_LIMIT}};
    for (size_t c = 0; c < sizeof checks / sizeof checks[0]; c++) {
        const char *stated = checks[c].k == SEE_JUMP_T ? "jump" : checks[c].check; /* the cell jump(t) of check jump */
        if (checks[c].k == SEE_ACC ? !accuracy_runs(&cs) : !nlif_case_states(&cs, stated))
            continue;
        see_kind k = checks[c].k;
        for (int i = 0; i < NPARAM; i++) {
            const param *p = &params[i];
            if (!p->applies(&cs) || !(p->seen_by & BIT(k)))
                continue;
            char v[48], how[64] = "";
            double moved = 0;
            if (k == SEE_ROOT || k == SEE_JUMP || k == SEE_JUMP_T) {
                if (!computed_sees(&cs, p, k, &moved))
                    continue;
                if (p->at)
                    snprintf(how, sizeof how, " (%.2g%s)", p->at(&cs)[0] != 0 ? 100 * moved : moved, p->at(&cs)[0] != 0 ? "%" : "");
            }
            if (k == SEE_LIMIT) {
                double ratio = 0;
                if (!limit_sees(&cs, p, &ratio))
                    continue;
                if (p->at)
                    snprintf(how, sizeof how, " (25%%: %.2g x bound)", ratio);
            }
            if (k == SEE_AP) {
                for (size_t j = 0; j < sizeof ap_eps / sizeof ap_eps[0]; j++)
                    fmt(v, sizeof v, ap_eps[j]), add_value(&table[i], v);
                snprintf(how, sizeof how, " (swept)");
            } else if (p->at) {
                fmt(v, sizeof v, *p->at(&cs));
                add_value(&table[i], v);
            } else
                add_value(&table[i], p->word(&cs));
            add_where(&table[i], name, checks[c].check, how);
        }
    }
}

static void coverage(void)
{
    char names[NLIF_MAX_CASES][NLIF_NAME_MAX], out[256];
    int n = 0;
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_catalogue(names, NLIF_MAX_CASES, &n, &e), 0);
    for (int c = 0; c < n; c++)
        survey_case(names[c]);
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh("mkdir -p " OUT_DIR, out, sizeof out), 0);
    FILE *md = fopen(OUT_DIR "/coverage.md", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fprintf(md, "# Parameter coverage of the catalogue (tests/test_coverage.c)\n\n"
                "A check sees a parameter on a case when changing the parameter changes the check's judged "
                "figure beyond the case's bound: computed for stationary_rate, mc_stationary and jump (seen when a "
                "change of at most 25%% is resolved; in brackets the change that moves the figure by the bound) and for "
                "learning_limit (seen when a 25%% change moves the exact limit's rho(w, t) by more than the bound; in "
                "brackets that move over the bound), declared for order_w, ap and the Monte Carlo checks "
                "(MATHEMATICS.md 6).\n\n| parameter | values seen | seen by (case/check) | verdict |\n|---|---|---|---|\n");
    printf("\n");
    int bad = 0;
    for (int i = 0; i < NPARAM; i++) {
        const param *p = &params[i];
        seen *s = &table[i];
        char vals[MAXV * 50] = "";
        for (int j = 0; j < s->n; j++)
            snprintf(vals + strlen(vals), sizeof vals - strlen(vals), "%s%s", j ? ", " : "", s->values[j]);
        const char *verdict = s->n >= 2 ? (p->gap ? "FAIL: covered, but listed as a gap" : "ok")
                                        : (p->gap ? "gap" : "FAIL: fewer than 2 values seen");
        int fail = !strncmp(verdict, "FAIL", 4);
        bad += fail;
        printf("  %-24s %2d values: %-40s %s\n      seen by: %s\n", p->name, s->n, vals, verdict,
               s->where[0] ? s->where : "none");
        if (p->gap && s->n < 2)
            printf("      gap: %s\n", p->gap);
        fprintf(md, "| `%s` | %d: %s | %s | %s%s%s |\n", p->name, s->n, vals, s->where[0] ? s->where : "none", verdict,
                p->gap && s->n < 2 ? " — " : "", p->gap && s->n < 2 ? p->gap : "");
        if (fail)
            fprintf(stderr, "\n  %s: %s\n", p->name, verdict);
    }
    fclose(md);
    printf("\n  %d parameters, %d not covered outside the documented gaps (table: " OUT_DIR "/coverage.md)\n",
           NPARAM, bad);
    CU_ASSERT_EQUAL(bad, 0);
}

/* The computed decision can fail: a parameter that does not move the figure is not seen. */
static void computed_decision(void)
{
    nlif_case cs;
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_checks_load_case(&cs, "relax_linear", NULL, 0, &e), 0);
    double moved = 0;
    const param *pa0 = &params[0], *pvmin = &params[5];
    CU_ASSERT(computed_sees(&cs, pa0, SEE_ROOT, &moved));       /* a0 moves the exact rate */
    CU_ASSERT(!(pvmin->seen_by & BIT(SEE_ROOT)));
    nlif_case c2 = cs;
    c2.model.a1 = 0.0;
    const param *pa1 = &params[1];
    /* a1 from 0: a change of 0.25 moves the b = 0 rate by more than 2.4e-3 */
    CU_ASSERT(computed_sees(&c2, pa1, SEE_ROOT, &moved));
    /* a bound larger than the effect: not seen */
    CU_ASSERT_EQUAL_FATAL(nlif_checks_load_case(&cs, "relax_linear", (const char *const[]){"expect.rate_tol=1"}, 1, &e), 0);
    CU_ASSERT(!computed_sees(&cs, pa0, SEE_ROOT, &moved));
    /* learning_limit: on hebbian_gauss a 25% change of alpha moves rho beyond the bound (2.5 times),
     * one of w_min does not, either way (the Gaussian is cut 3.3 sd below its mean: 2% of the bound wider) */
    const param *palpha = NULL, *pwmin = NULL;
    for (int i = 0; i < NPARAM; i++) {
        if (!strcmp(params[i].name, "structure.alpha"))
            palpha = &params[i];
        if (!strcmp(params[i].name, "structure.w_min"))
            pwmin = &params[i];
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(palpha);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pwmin);
    CU_ASSERT_EQUAL_FATAL(nlif_checks_load_case(&cs, "hebbian_gauss", NULL, 0, &e), 0);
    double ratio = 0;
    CU_ASSERT(limit_sees(&cs, palpha, &ratio));
    CU_ASSERT(!limit_sees(&cs, pwmin, &ratio));
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"a parameter is seen only when it moves the judged figure beyond the bound", computed_decision},
        {"every parameter seen at 2 values or more by a check that sees it (documented gaps apart)", coverage},
        {NULL, NULL},
    };
    return nlif_test_main("coverage", tests);
}
