/* rebuild.c — the two changes of description of Scheme 2 (MATHEMATICS.md §4, Choices):
 *
 * macro → micro: particles from p by inverting the piecewise-linear CDF at stratified quantiles
 *   (i + u_i)/N_p, so the empirical law is within 1/N_p of p in Kolmogorov distance (not 1/√N_p);
 * micro → macro: histogram on the macro cells, Gaussian-kernel smoothing (bandwidth an option of
 *   the scheme: default one cell; h ≤ 0 here means Silverman's rule, which biases the next MFE —
 *   MATHEMATICS.md §7, item 11), then the boundary layer p ≈ (N̂/a)(V_F − v) over the last cells so
 *   that the macro outflow a p_{n−1}/Δv starts from the particle rate N̂, not from histogram noise;
 *   mass exactly 1 (to round-off).
 * Both run on workspace allocated by the solver object: no allocation here.
 */
#include "multiscale.h"

#include <Random123/philox.h>
#include <math.h>
#include <string.h>

void nlif_ms_sample(const double *v, const double *p, int npts, double *cum, long np, int jitter, uint64_t seed,
                    uint32_t counter, double *out)
{
    cum[0] = 0;
    for (int k = 1; k < npts; k++)
        cum[k] = cum[k - 1] + 0.5 * (p[k - 1] + p[k]) * (v[k] - v[k - 1]);
    const double total = cum[npts - 1];
    philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    int k = 0; /* segment [v_k, v_{k+1}]: targets increase with i, so k only moves right */
    for (long i = 0; i < np; i++) {
        double u = 0.5;
        if (jitter) {
            philox4x32_ctr_t c = {{(uint32_t)i, counter, 0x4d53u /* "MS" */, 0}};
            u = ((double)philox4x32(c, key).v[0] + 0.5) * 0x1p-32;
        }
        double y = ((double)i + u) / (double)np * total;
        while (k < npts - 2 && cum[k + 1] <= y)
            k++;
        double q = y - cum[k], w = v[k + 1] - v[k], p0 = p[k], s = w > 0 ? (p[k + 1] - p0) / w : 0;
        /* p0 τ + s τ²/2 = q on [0, w], in the form without cancellation */
        double disc = p0 * p0 + 2 * s * q, tau;
        if (disc < 0)
            disc = 0;
        double den = p0 + sqrt(disc);
        tau = den > 0 ? 2 * q / den : 0;
        if (tau > w)
            tau = w;
        if (tau < 0)
            tau = 0;
        out[i] = v[k] + tau;
    }
}

/* Quantile of the histogram (cells of width Δv centred at v_i, counts hist), linear within a cell. */
static double hist_quantile(const nlif_ms_macro *m, const double *hist, double total, double u)
{
    double target = u * total, acc = 0;
    for (int i = 0; i < m->n; i++) {
        if (acc + hist[i] >= target && hist[i] > 0)
            return m->v[i] - 0.5 * m->dv + (target - acc) / hist[i] * m->dv;
        acc += hist[i];
    }
    return m->v[m->n - 1];
}

int nlif_ms_rebuild(const double *x, long np, const nlif_ms_macro *m, double bandwidth, double rate, double a,
                    int layer, double *hist, double *p, double *h_used)
{
    const int n = m->n;
    const double v0 = m->v[0], dv = m->dv;
    memset(hist, 0, (size_t)n * sizeof *hist);
    double mean = 0, m2 = 0; /* Welford */
    for (long j = 0; j < np; j++) {
        double xj = x[j];
        int i = (int)floor((xj - v0) / dv + 0.5);
        hist[i < 0 ? 0 : (i >= n ? n - 1 : i)] += 1;
        double d = xj - mean;
        mean += d / (double)(j + 1);
        m2 += d * (xj - mean);
    }
    double h = bandwidth;
    if (!(h > 0)) {
        double sd = np > 1 ? sqrt(m2 / (double)(np - 1)) : 0;
        double iqr = hist_quantile(m, hist, (double)np, 0.75) - hist_quantile(m, hist, (double)np, 0.25);
        double spread = iqr > 0 ? fmin(sd, iqr / 1.34) : sd;
        h = 0.9 * spread * pow((double)np, -0.2);
    }
    *h_used = h;
    /* Discrete Gaussian weights exp(−(kΔv)²/(2h²)), |k| ≤ K = ⌈4h/Δv⌉ (the normalisation is left to the
     * final mass rescale); h ≪ Δv gives the identity. */
    int K = h > 0 ? (int)ceil(4 * h / dv) : 0;
    if (K > n)
        K = n;
    /* The node on the wall V_min holds the half cell [V_min, V_min + Δv/2] (MATHEMATICS.md §1.3): its
     * count over Δv is u_0, its density 2u_0. The kernel smooths densities: hist[0] doubled here, the
     * result at node 0 halved back below. Cell j's mirror images: about the wall V_min (even, zero
     * flux) → index −j, j ≥ 1 (node 0 is its own image); about V_F = v_n (odd, p(V_F) = 0) → index
     * 2n − j, subtracted. Since the kernel decreases with distance and every cell is nearer to itself
     * than to its V_F mirror, the result is ≥ 0. */
    if (n > 1)
        hist[0] *= 2;
    for (int i = 0; i < n; i++) {
        double acc = 0;
        int lo = i - K < 0 ? 0 : i - K, hi = i + K > n - 1 ? n - 1 : i + K;
        for (int j = lo; j <= hi; j++) {
            double d = (i - j) * dv / (K ? h : 1);
            acc += hist[j] * (K ? exp(-0.5 * d * d) : 1.0);
        }
        for (int j = 1; j <= K - i && j < n; j++) { /* even mirror at V_min: distance i + j */
            double d = (i + j) * dv / h;
            acc += hist[j] * exp(-0.5 * d * d);
        }
        for (int j = 2 * n - i - K; j < n; j++) { /* odd mirror at V_F: distance 2n − j − i */
            if (j < 0)
                continue;
            double d = (2 * n - j - i) * dv / h;
            acc -= hist[j] * exp(-0.5 * d * d);
        }
        p[i] = acc > 0 ? acc : 0;
    }
    if (n > 1)
        p[0] *= 0.5;
    p[n] = 0;
    double mass = 0;
    for (int i = 0; i < n; i++)
        mass += p[i];
    mass *= dv;
    for (int i = 0; i < n; i++)
        p[i] /= mass;
    /* boundary layer */
    int status = 0;
    if (layer > 0 && layer < n) {
        double lmass = 0, imass = 0;
        for (int i = n - layer; i < n; i++)
            lmass += (rate / a) * (m->v[n] - m->v[i]) * dv;
        for (int i = 0; i < n - layer; i++)
            imass += p[i] * dv;
        if (lmass < 1 && imass > 0) {
            double scale = (1 - lmass) / imass;
            for (int i = 0; i < n - layer; i++)
                p[i] *= scale;
            for (int i = n - layer; i < n; i++)
                p[i] = (rate / a) * (m->v[n] - m->v[i]);
        } else {
            status = -1;
        }
    }
    /* mass exactly 1 to round-off: one last rescale of the whole */
    mass = 0;
    for (int i = 0; i < n; i++)
        mass += p[i];
    mass *= dv;
    for (int i = 0; i < n; i++)
        p[i] /= mass;
    return status;
}
