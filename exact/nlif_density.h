/* nlif_density.h — the initial data of a case as an exact law on [V_min, V_F]: pdf, cdf, quantile,
 * and mass-exact cell averages. Schemes put it on their grids with nlif_density_cell_means (mass 1
 * up to round-off, whatever the grid); particle codes sample its quantile (nlif_density_quantiles_inverse),
 * so that grids and particles start from the same truncated, normalised law (MATHEMATICS.md §1).
 *
 * Two representations cover every initial type: a truncated Gaussian (exact erf formulas), and a
 * piecewise-linear table with possibly repeated abscissae (uniform blocks, tables, and the
 * stationary profile p∞ tabulated on a fine mesh). The same type serves the initial weight law ρ0(w).
 */
#ifndef NLIF_DENSITY_H
#define NLIF_DENSITY_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"

typedef enum { NLIF_DENSITY_GAUSSIAN = 0, NLIF_DENSITY_TABLE, NLIF_DENSITY_POINT } nlif_density_kind;

typedef struct nlif_density {
    nlif_density_kind kind;
    double lo, hi;          /* support */
    double mean, sd, z;     /* gaussian: z = mass of N(mean, sd²) on [lo, hi] before normalising */
    int n;                  /* table: n points; cum[k] = mass on [v_0, v_k] */
    double *v, *p, *cum;
} nlif_density;

/* The initial voltage law of the case (normalised to mass 1 on [V_min, V_F]). */
int nlif_density_init(nlif_density *d, const nlif_case *cs, nlif_error *err);
/* The initial weight law ρ0(w) of a structured case on [w_min, w_max]. */
int nlif_weight_density_init(nlif_density *d, const nlif_structure *st, nlif_error *err);
/* A table law through (v[k], p[k]) (copied), normalised if normalise != 0. */
int nlif_density_table(nlif_density *d, const double *v, const double *p, int n, int normalise,
                       nlif_error *err);
void nlif_density_free(nlif_density *d);

double nlif_density_pdf(const nlif_density *d, double v);
double nlif_density_cdf(const nlif_density *d, double v);
/* Smallest v with cdf(v) ≥ u, u in [0, 1]. */
double nlif_density_quantile(const nlif_density *d, double u);
/* x[i] = nlif_density_quantile(d, u[i]) for i < n, the same bits, at a fraction of the cost (tens of
 * ns for the Gaussian instead of microseconds; a monotone sweep of a table when u increases).
 * x may be u. */
void nlif_density_quantiles(const nlif_density *d, const double *u, double *x, long n);
/* The same law through the inverse of Φ instead of the bisection (exact/nlif_density_inverse.c): the
 * Gaussian's x[i] = mean + sd·Φ⁻¹(Φ(α) + u[i]·Z) (Wichura's AS241, the complementary form above the
 * median), within ~1e-16 (1 + |x|) of the exact quantile but not the bisection's bits, in tens of ns;
 * tables and the point law as nlif_density_quantiles. x may be u. */
void nlif_density_quantiles_inverse(const nlif_density *d, const double *u, double *x, long n);
/* out[i] = (mass of [x_i − h/2, x_i + h/2]) / h with x_i = x0 + i h, i = 0..n−1 (the end cells are
 * half cells when x0 = lo or x_{n−1} = hi: their mass is still divided by h). */
void nlif_density_cell_means(const nlif_density *d, double x0, double h, int n, double *out);

/* THE projection of a case's initial voltage law onto a grid, used by every grid scheme
 * (MATHEMATICS.md §1.3): nodes v_i = V_min + i·dv; p[i] (i = 0..n−1) is the mass of
 * [v_i − dv/2, v_i + dv/2] ∩ [V_min, V_F] divided by dv, and the mass of the half cell at V_F,
 * [v_{n−1} + dv/2, V_F], is added to p[n−1]. Σ p[i]·dv = 1 up to round-off (1 − R(0) with a refractory
 * period: every cell scaled by it, nlif_initial_refractory, MATHEMATICS.md §1.5); every other cell mean is
 * exact. p holds n values (the node at V_F, where p = 0, is not written). A law with no mass on the
 * grid is refused (NLIF_EINVAL). */
int nlif_initial_project(const nlif_case *cs, double dv, int n, double *p, nlif_error *err);

#endif
