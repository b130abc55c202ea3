/* extfv_source.c — the manufactured source of extfv: the family kink_quadratic as MATHEMATICS.md §6b
 * publishes it, written from the formulas there (none of nlif's code), and its cell integrals on
 * extfv's control volumes.
 *
 * With L1 = V_R − V_min, L2 = V_F − V_R, x = (v − V_min)/L1, y = (V_F − v)/L2:
 *     p_m = c0 + c1 x + c2 x²  on [V_min, V_R],    p_m = d1 y + d2 y² + d3 y³  on [V_R, V_F],
 * g(t) = g0 (1 + A sin ωt), N_m = a0 g / (1 − a1 g), a = a0 + a1 N_m, μ = b N_m + I(t),
 * d1 = L2 g, d2 = L2² (V_F − μ) g / (2a), κ = (−V_min + μ)/a, c1 = L1 κ c0, and (c0, c2, d3) from
 * continuity at V_R, the flux jump N_m there and mass 1 (a 3×3 system, Cramer's rule).
 *
 * The source S = ∂_t p_m + ∂_v F_m − N_m δ(v − V_R), F = (−v + μ) p − a ∂_v p, enters a control volume
 * as its integral: [∂_t P + F] between the volume's faces, minus N_m in the volume of V_R, with
 * P(v) = ∫_{V_min}^v p_m. ∂_t P is a fourth-order central difference in t (this author's shortcut:
 * P is smooth in t). The ends use the identities F(V_min) = 0, F(V_F) = N_m, ∂_t P(V_F) = 0, so the
 * integrals sum to zero and extfv's mass stays exact. Node n−1's volume is closed at V_F: the scheme
 * takes its outflow, the flux at V_F, out of it.
 *
 * With a synaptic delay d the drift reads D(t) = N_h for t < d and N_m(t − d) after (μ = b D + I); with a
 * refractory period τ_R (and a1 = 0) the density holds 1 − R_m, R_m(t) the closed form of §6b from
 * R(0), the flux jumps by R_m/τ_R at V_R, and the identities at the ends become F(V_F) = N_m,
 * ∂_t P(V_F) = −Ṙ_m: G(V_F) = N_m − Ṙ_m = R_m/τ_R, the rate that re-enters at V_R. */
#include "extfv.h"

#include <math.h>
#include <string.h>

typedef struct {
    double c0, c1, c2, d1, d2, d3, rate, a, mu, l1, l2;
    double back; /* the rate re-entering at V_R: N_m, or R_m/τ_R */
} xf_mms;

static double family_rate(const xf_problem *pb, double t)
{
    double g = pb->mms_slope * (1.0 + pb->mms_amplitude * sin(pb->mms_omega * t + pb->mms_phase));
    return pb->a0 * g / (1.0 - pb->a1 * g);
}

/* R_m(t): dR/dt = N_m − R/τ from R(0), N_m = a0 g0 (1 + A sin(ωt + φ)) (MATHEMATICS.md §6b). */
static double refractory_mass(const xf_problem *pb, double t)
{
    double tau = pb->tau_ref, e = exp(-t / tau), wt = pb->mms_omega * tau, ph = pb->mms_phase;
    double osc = sin(pb->mms_omega * t + ph) - wt * cos(pb->mms_omega * t + ph) - e * (sin(ph) - wt * cos(ph));
    return pb->refractory0 * e +
           pb->a0 * pb->mms_slope * (tau * (1 - e) + pb->mms_amplitude * tau * osc / (1 + wt * wt));
}

static double input_at(const xf_problem *pb, double t)
{
    switch (pb->input) {
    case XF_IN_CONSTANT: return pb->i0;
    case XF_IN_SINE: return pb->i0 + pb->amplitude * sin(pb->omega * t + pb->phase);
    default: return 0.0;
    }
}

static double det3(const double m[3][3])
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

static xf_mms coefficients(const xf_problem *pb, double t)
{
    xf_mms m;
    m.l1 = pb->v_r - pb->v_min;
    m.l2 = pb->v_f - pb->v_r;
    double g = pb->mms_slope * (1.0 + pb->mms_amplitude * sin(pb->mms_omega * t + pb->mms_phase));
    m.rate = pb->a0 * g / (1.0 - pb->a1 * g);
    m.a = pb->a0 + pb->a1 * m.rate;
    double drift = pb->delay > 0 ? (t < pb->delay ? pb->delay_history : family_rate(pb, t - pb->delay)) : m.rate;
    m.mu = pb->b * drift + input_at(pb, t);
    double jump = 0.0, mass = 1.0; /* the jump row's and the mass row's change with a refractory period */
    m.back = m.rate;
    if (pb->tau_ref > 0) {
        double R = refractory_mass(pb, t);
        m.back = R / pb->tau_ref;
        jump = R / (pb->tau_ref * m.a) - g;
        mass = 1.0 - R;
    }
    m.d1 = m.l2 * g;
    m.d2 = m.l2 * m.l2 * (pb->v_f - m.mu) * g / (2.0 * m.a);
    double k = (-pb->v_min + m.mu) / m.a, l1 = m.l1, l2 = m.l2;
    double A[3][3] = {{1 + l1 * k, 1, -1}, {k, 2 / l1, 3 / l2}, {l1 * (1 + l1 * k / 2), l1 / 3, l2 / 4}};
    double r[3] = {m.d1 + m.d2, -2 * m.d2 / l2 + jump, mass - l2 * (m.d1 / 2 + m.d2 / 3)};
    double d = det3(A), x[3];
    for (int j = 0; j < 3; j++) {
        double B[3][3];
        memcpy(B, A, sizeof B);
        for (int i = 0; i < 3; i++)
            B[i][j] = r[i];
        x[j] = det3(B) / d;
    }
    m.c0 = x[0];
    m.c2 = x[1];
    m.d3 = x[2];
    m.c1 = l1 * k * m.c0;
    return m;
}

/* p_m, ∂_v p_m and P = ∫_{V_min}^v p_m at v. */
static void profile(const xf_problem *pb, const xf_mms *m, double v, double *p, double *dp, double *P)
{
    double xr = 1.0, pl = m->l1 * (m->c0 * xr + m->c1 * xr * xr / 2 + m->c2 * xr * xr * xr / 3);
    if (v <= pb->v_r) {
        double x = (v - pb->v_min) / m->l1;
        *p = m->c0 + m->c1 * x + m->c2 * x * x;
        *dp = (m->c1 + 2 * m->c2 * x) / m->l1;
        *P = m->l1 * (m->c0 * x + m->c1 * x * x / 2 + m->c2 * x * x * x / 3);
    } else {
        double y = (pb->v_f - v) / m->l2;
        *p = m->d1 * y + m->d2 * y * y + m->d3 * y * y * y;
        *dp = -(m->d1 + 2 * m->d2 * y + 3 * m->d3 * y * y) / m->l2;
        double q1 = m->d1 / 2 + m->d2 / 3 + m->d3 / 4, qy = y * y * (m->d1 / 2 + m->d2 * y / 3 + m->d3 * y * y / 4);
        *P = pl + m->l2 * (q1 - qy);
    }
}

double xf_mms_rate(const xf_problem *pb, double t) { return coefficients(pb, t).rate; }

/* G(v) = ∂_t P(v, t) + F(v, t) at an interior face v (not V_R), from the coefficients at t (m[4]) and
 * at t − 2h, t − h, t + h, t + 2h (m[0..3]). */
#define DT_H 1e-4
static double face_value(const xf_problem *pb, const xf_mms m[5], double v)
{
    static const double w[4] = {1.0, -8.0, 8.0, -1.0};
    double dP = 0.0, p, dp, P;
    for (int k = 0; k < 4; k++) {
        profile(pb, &m[k], v, &p, &dp, &P);
        dP += w[k] * P;
    }
    dP /= 12.0 * DT_H;
    profile(pb, &m[4], v, &p, &dp, &P);
    return dP + (-v + m[4].mu) * p - m[4].a * dp;
}

void xf_mms_cell_sources(const xf_problem *pb, int n, int r, double t, double *out)
{
    xf_mms m[5];
    static const double s[4] = {-2.0, -1.0, 1.0, 2.0};
    for (int k = 0; k < 4; k++)
        m[k] = coefficients(pb, t + s[k] * DT_H);
    m[4] = coefficients(pb, t);
    double back = m[4].back, left = 0.0; /* G(V_min) = 0: no flux, and P(V_min) = 0 at every t */
    for (int i = 0; i < n; i++) {
        /* G(V_F) = N_m (mass 1), or N_m − Ṙ_m = R_m/τ_R: in both cases the rate re-entering at V_R */
        double right = i < n - 1 ? face_value(pb, m, pb->nodes[i] + 0.5 * pb->dv) : back;
        out[i] = right - left - (i == r ? back : 0.0);
        left = right;
    }
}
