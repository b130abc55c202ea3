/* sg_implicit.c — an nlif plugin: the 1D NNLIF model (MATHEMATICS.md §1) by an implicit
 * Scharfetter–Gummel finite-volume scheme, written against nlif's installed headers only.
 *
 *   ∂_t p + ∂_v F = N δ(v − V_R),  F = h p − a ∂_v p,  h = −v + bN + I(t),  a = a0 + a1 N,
 *   p(V_F) = 0,  F(V_min) = 0,  N = F(V_F).
 *
 * Nodes v_i = V_min + i Δv (i = 0..n, v_n = V_F, p_n = 0), node i the centre of a control volume of
 * width Δv, started from nlif's projection of the initial law (nlif_initial_project, MATHEMATICS.md
 * §1.3). Node 0 sits on the wall V_min: its volume is the half cell [V_min, V_min + Δv/2] and its
 * unknown p_0 that half cell's mass over Δv, so the density there is 2p_0 (in the face-1/2 flux, and
 * in the profile reported). The flux through the face v_{i+1/2} is Scharfetter–Gummel's, exact for constant h and a
 * on the face:
 *     F_{i+1/2} = (a/Δv) [B(−z_i) p_i − B(z_i) p_{i+1}],  z_i = h(v_{i+1/2}) Δv / a,  B(x) = x/(e^x − 1),
 * central (second order) where z is small and upwind where drift dominates. The rate is the flux
 * through the last face, N = (a/Δv) B(−z_{n−1}) p_{n−1} (the flux is constant near V_F up to
 * O(Δv²), since ∂_t p(V_F) = 0), and exactly that N is re-injected into the volume of V_R.
 *
 * Time: backward Euler with a(N) and bN taken at the start of the step (linearly implicit; first
 * order) and I at its end. The re-injection is implicit too (the N of the new density), so each step
 * solves A p^{k+1} = p^k with A = T − γ e_r e_{n−1}^T, T tridiagonal. Every column of A sums to 1
 * (what leaves through V_F comes back at V_R: mass is conserved to round-off), and A is an M-matrix
 * (positive diagonal, non-positive off-diagonals, columns diagonally dominant), so p^{k+1} ≥ 0 for
 * every Δt. The solve keeps that in floating point: y = T⁻¹p^k and w = T⁻¹e_r are non-negative
 * (Thomas on an M-matrix subtracts nothing but the diagonal's own pivot), and
 * p^{k+1} = y + γ s w with s = y_{n−1}/(1 − γ w_{n−1}) the new p_{n−1}.
 *
 * No blow-up is passed (the scheme lacks the capability mfe): a rate above rate_max stops the run
 * with status blowup.
 */
#include <nlif/nlif_density.h>
#include <nlif/nlif_plugin.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sg_state {
    nlif_case cs;
    nlif_trajectory *traj;
    int n, r;                     /* unknowns p_0..p_{n-1}; V_R = v_r */
    double dv, dt, t, rate, fired, rate_max;
    long steps;
    double *v, *p;                /* n + 1 nodes (p_n = 0 for the profile) */
    double *prof;                 /* the profile reported: p with the density 2p_0 at V_min */
    double *lower, *diag, *upper; /* T */
    double *cprime, *y, *w;       /* Thomas workspace and the two solutions */
} sg_state;

static const nlif_option_spec sg_options[] = {
    {"rate_max", NLIF_OPT_DOUBLE, "1e3", 1e-3, 1e300, NULL, 0, "blow-up: stop with status blowup when N exceeds this"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

/* B(x) = x / (e^x − 1), B(0) = 1 */
static double bernoulli(double x)
{
    if (fabs(x) < 1e-8)
        return 1.0 - 0.5 * x;
    return x / expm1(x);
}

static void sg_free(void *state)
{
    sg_state *s = state;
    if (!s)
        return;
    free(s->v);
    free(s->p);
    free(s->prof);
    free(s->lower);
    free(s->diag);
    free(s->upper);
    free(s->cprime);
    free(s->y);
    free(s->w);
    free(s);
}

/* α_i = (a/Δv²) B(−z_i), the coefficient of p_i in F_{i+1/2}/Δv; β_i = (a/Δv²) B(z_i), of p_{i+1}. */
static void face_coefficients(const sg_state *s, int i, double mu, double a, double *alpha, double *beta)
{
    double z = (-(s->cs.model.v_min + (i + 0.5) * s->dv) + mu) * s->dv / a;
    double d = a / (s->dv * s->dv);
    *alpha = d * bernoulli(-z);
    *beta = d * bernoulli(z);
}

/* The rate of the density p with the coefficients of rate `lag` at time t. */
static double outflow(const sg_state *s, const double *p, double lag, double t)
{
    const nlif_model *m = &s->cs.model;
    double a = nlif_noise(m, lag), mu = m->b * lag + nlif_input_current(&s->cs.input, t), alpha, beta;
    face_coefficients(s, s->n - 1, mu, a, &alpha, &beta);
    return alpha * s->dv * p[s->n - 1];
}

/* Solve T x = rhs (Thomas; T is an M-matrix, so no pivoting and x ≥ 0 for rhs ≥ 0). */
static void thomas(sg_state *s, const double *rhs, double *x)
{
    const int n = s->n;
    double *c = s->cprime;
    double den = s->diag[0];
    c[0] = s->upper[0] / den;
    x[0] = rhs[0] / den;
    for (int i = 1; i < n; i++) {
        den = s->diag[i] - s->lower[i] * c[i - 1];
        c[i] = i < n - 1 ? s->upper[i] / den : 0.0;
        x[i] = (rhs[i] - s->lower[i] * x[i - 1]) / den;
    }
    for (int i = n - 2; i >= 0; i--)
        x[i] -= c[i] * x[i + 1];
}

/* One backward-Euler step of length h from s->t. */
static void step(sg_state *s, double h)
{
    const nlif_model *m = &s->cs.model;
    const int n = s->n;
    const double t1 = s->t + h;
    const double a = nlif_noise(m, s->rate), mu = m->b * s->rate + nlif_input_current(&s->cs.input, t1);
    double alpha_prev = 0.0, beta_prev = 0.0, alpha = 0.0, beta = 0.0;
    for (int i = 0; i < n; i++) {
        face_coefficients(s, i, mu, a, &alpha, &beta);
        if (i == 0 && n > 1)
            alpha *= 2.0; /* the density at V_min is 2p_0 */
        /* row i: p_i + h (F_{i+1/2} − F_{i−1/2})/Δv, with F_{−1/2} = 0 and p_n = 0 */
        s->diag[i] = 1.0 + h * (alpha + beta_prev);
        s->lower[i] = i > 0 ? -h * alpha_prev : 0.0;
        s->upper[i] = i < n - 1 ? -h * beta : 0.0;
        alpha_prev = alpha;
        beta_prev = beta;
    }
    const double gamma = h * alpha; /* alpha of the last face: the re-injection at V_R of the outflow */
    thomas(s, s->p, s->y);
    memset(s->p, 0, (size_t)n * sizeof *s->p); /* p as e_r, then the new density */
    s->p[s->r] = 1.0;
    thomas(s, s->p, s->w);
    const double last = s->y[n - 1] / (1.0 - gamma * s->w[n - 1]);
    for (int i = 0; i < n; i++)
        s->p[i] = s->y[i] + gamma * last * s->w[i];
    s->p[n - 1] = last;
    s->rate = alpha * s->dv * last;
    s->fired += h * s->rate;
    s->t = t1;
}

static int record(sg_state *s, nlif_error *err)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < s->n; i++) {
        lo = fmin(lo, s->p[i]);
        hi = fmax(hi, s->p[i]);
    }
    nlif_traj_note_max(s->traj, hi);
    if (nlif_traj_record(s->traj, s->t, s->rate, s->fired, nlif_sum(s->p, s->n) * s->dv, lo))
        return nlif_fail(err, NLIF_ENOMEM, "sg_implicit: trajectory sample at t = %g", s->t);
    return NLIF_OK;
}

static int sg_advance(void *state, double t_end, nlif_error *err)
{
    sg_state *s = state;
    if (!(t_end >= s->t))
        return nlif_fail(err, NLIF_EINVAL, "sg_implicit: advance to t = %g before the current time %g", t_end, s->t);
    nlif_trajectory *tr = s->traj;
    while (tr->status == NLIF_STATUS_OK && s->t < t_end) {
        double h;
        /* land on t_end; a remainder of rounding (of a sum of steps) joins this step */
        int land = nlif_step_to(s->t, t_end, s->dt, &h);
        step(s, h);
        if (land)
            s->t = t_end;
        s->steps++;
        if (!isfinite(s->rate)) {
            nlif_traj_set_status(tr, NLIF_STATUS_FAILED, s->t, "non-finite rate");
            break;
        }
        int rc = record(s, err);
        if (rc)
            return tr->budget_exhausted ? NLIF_OK : rc;
        if (s->rate > s->rate_max)
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t,
                                 "N = %.6g exceeds rate_max = %g: a blow-up, which this scheme cannot pass", s->rate,
                                 s->rate_max);
    }
    nlif_traj_stat(tr, "steps", (double)s->steps);
    return NLIF_OK;
}

static int sg_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj, nlif_error *err)
{
    *state = NULL;
    const nlif_model *m = &cs->model;
    if (opt->spec != sg_options)
        return nlif_fail(err, NLIF_EINVAL, "sg_implicit: option set is not this scheme's");
    if (cs->structure.enabled || cs->input.type == NLIF_INPUT_KICK)
        return nlif_fail(err, NLIF_EINVAL, "sg_implicit: the 1D model without kicks only");
    if (!(m->a0 > 0) || !(cs->run.dt > 0))
        return nlif_fail(err, NLIF_EINVAL, "sg_implicit: model.a0 and run.dt must be > 0");
    int n, r;
    if (nlif_grid_nodes(m, cs->run.dv, &n, &r) || n < 4 || r < 1 || r >= n - 1)
        return nlif_fail(err, NLIF_EINVAL, "sg_implicit: run.dv = %g does not put V_min, V_R, V_F on nodes of >= 4 cells",
                         cs->run.dv);
    sg_state *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "sg_implicit: solver");
    s->cs = *cs;
    s->traj = traj;
    s->n = n;
    s->r = r;
    s->dv = (m->v_f - m->v_min) / n;
    s->dt = cs->run.dt;
    s->rate_max = nlif_opt_double(opt, "rate_max");
    size_t sz = (size_t)(n + 1) * sizeof(double);
    s->v = malloc(sz);
    s->p = malloc(sz);
    s->prof = malloc(sz);
    s->lower = malloc(sz);
    s->diag = malloc(sz);
    s->upper = malloc(sz);
    s->cprime = malloc(sz);
    s->y = malloc(sz);
    s->w = malloc(sz);
    if (!s->v || !s->p || !s->prof || !s->lower || !s->diag || !s->upper || !s->cprime || !s->y || !s->w) {
        sg_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "sg_implicit: grid of %d cells", n);
    }
    nlif_grid_fill(m, s->dv, n, r, s->v);
    int rc = nlif_initial_project(cs, s->dv, n, s->p, err);
    if (rc) {
        sg_free(s);
        nlif_error_prefix(err, "sg_implicit: initial law");
        return rc;
    }
    s->p[n] = 0.0;
    /* the initial rate solves N = outflow(p0) with the coefficients of N itself: a fixed point */
    double rate = 0.0;
    for (int k = 0; k < 200; k++) {
        double next = outflow(s, s->p, rate, 0.0);
        if (!isfinite(next) || fabs(next - rate) <= 1e-14 * fmax(1.0, next)) {
            rate = next;
            break;
        }
        rate = next;
    }
    if (!isfinite(rate)) {
        sg_free(s);
        return nlif_fail(err, NLIF_EINVAL, "sg_implicit: no finite initial rate");
    }
    s->rate = rate;
    if ((rc = record(s, err))) {
        sg_free(s);
        return rc;
    }
    *state = s;
    return NLIF_OK;
}

static int sg_profile(void *state, nlif_profile *out)
{
    sg_state *s = state;
    memset(out, 0, sizeof *out);
    out->t = s->t;
    out->n = s->n + 1;
    out->v = s->v;
    memcpy(s->prof, s->p, (size_t)(s->n + 1) * sizeof *s->prof);
    if (s->n > 1)
        s->prof[0] *= 2.0;
    out->p = s->prof;
    return NLIF_OK;
}

static const nlif_scheme_type sg_implicit = {
    .name = "sg_implicit",
    .title = "implicit Scharfetter-Gummel finite volumes, backward Euler with the rate lagged (example plugin)",
    .source = "nlif's examples/plugin (Scharfetter, Gummel, IEEE Trans. Electron Devices 16, 1969)",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_NOISE_RATE | NLIF_HAS_TIME_STEP,
    .order_t = 1.0,
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = NAN,
    .options = sg_options,
    .alloc = sg_alloc,
    .advance = sg_advance,
    .profile = sg_profile,
    .free = sg_free,
};

NLIF_PLUGIN(&sg_implicit);
