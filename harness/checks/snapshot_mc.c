/* snapshot_mc.c — check `snapshot_mc`: every snapshot of a run on an MFE case against the Monte Carlo
 * snapshot at the same time (reference/data/CASE/CASE_snapK.csv), by the Kolmogorov–Smirnov distance
 * of the voltage CDFs, with a bound made of parts each derived from the problem and the Monte Carlo
 * data, never from the scheme (MATHEMATICS.md 6, "Snapshots against Monte Carlo"):
 *   KS = max over the Monte Carlo bin edges u of |F_scheme(u) − F_MC(u)|, F_scheme the trapezoid
 *        cumulative of the snapshot's v rows plus its point masses below u;
 *   statistical: sqrt(ln(2 m / alpha) / (2 N_p R)) — Hoeffding at each of the m judged edges (all
 *        snapshots of the cell), union bound: it holds for independent particles of different laws,
 *        which is what R realisations with different MFE times are;
 *   grid: (Δv/2) max p_MC (a first-order half-cell shift of the density);
 *   timing: L (D + Δt + |taken_at − t|), L = max_u |∂_t F(u, t)| estimated from the Monte Carlo
 *        snapshot and rate (∂_t F = N H(u − V_R) − J(u), J = (−u + bN + I) p − a ∂_v p, p smoothed over
 *        expect.snapshot_smooth), D = the largest mean over realisations of |t_r − τ| for τ at the two
 *        ends of the band mfe_mc accepts for the last MFE before t (its 2.5–97.5% spread ± mfe_t_allow);
 *   size: the same for that MFE's size (mass moved between V_F and V_R) with mfe_size_allow.
 * A random scheme is judged by the mean CDF of its seeds (a mixture over its MFE times, as the pooled
 * Monte Carlo is over its realisations'): D = mfe_t_allow + the Welch-t 95% quantile times the standard
 * error of the difference of the mean MFE times, and the statistical part adds its N_p × seeds.
 * A snapshot whose time lies within an MFE's range over the realisations (min to max, ± mfe_t_allow)
 * is n.a. for that snapshot, with the reason in the cell: the Monte Carlo CDF there mixes
 * realisations before and after the event. Needs capability mfe. The cell's figure is the largest
 * KS / bound over the judged snapshots.
 */
#include "nlif_check.h"

#include "../case/nlif_case.h"
#include "../../io/nlif_identity.h"
#include "../../io/nlif_resultfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_R 1024   /* realisations read */
#define MAX_K 512    /* MFE indices read */
#define MAX_ATOMS 64 /* point masses of one snapshot (more: refused, never dropped) */

/* ---- The statistics (public for tests/test_snapshot_mc.c). ---- */

void nlif_snap_cdf(const double *x, const double *p, int n, const double *atom_v, const double *atom_m, int na,
                   const double *u, int m, double *F)
{
    int i = 0;
    double c = 0; /* trapezoid cumulative at node i */
    for (int j = 0; j < m; j++) {
        while (i + 1 < n && x[i + 1] <= u[j]) {
            c += 0.5 * (p[i] + p[i + 1]) * (x[i + 1] - x[i]);
            i++;
        }
        double f = 0;
        if (n >= 2 && u[j] > x[0]) {
            f = c;
            if (i + 1 < n && u[j] > x[i]) { /* inside cell i: the trapezoid of the linear profile */
                double h = u[j] - x[i], slope = (p[i + 1] - p[i]) / (x[i + 1] - x[i]);
                f += h * (p[i] + 0.5 * slope * h);
            }
        }
        for (int a = 0; a < na; a++)
            if (atom_v[a] < u[j]) /* the Monte Carlo counts particles strictly below an edge */
                f += atom_m[a];
        F[j] = f;
    }
}

double nlif_snap_ks(const double *F, const double *G, int m, int *where)
{
    double d = 0;
    int w = 0;
    for (int j = 0; j < m; j++)
        if (fabs(F[j] - G[j]) > d)
            d = fabs(F[j] - G[j]), w = j;
    if (where)
        *where = w;
    return d;
}

double nlif_snap_stat_bound(double samples, int m, double alpha)
{
    return sqrt(log(2.0 * m / alpha) / (2.0 * samples));
}

double nlif_snap_shift(const double *x, int r, double lo, double hi)
{
    double a = 0, b = 0;
    for (int i = 0; i < r; i++)
        a += fabs(x[i] - lo), b += fabs(x[i] - hi);
    return r ? fmax(a, b) / r : 0.0;
}

double nlif_snap_dfdt(const double *dens, int nb, double v_lo, double h, int k, double rate, double mu, double a,
                      double v_r, double *pmax)
{
    double L = 0, pm = 0;
    for (int e = 1; e < nb; e++) { /* edge e between bins e−1 and e */
        int lo = e - k < 0 ? 0 : e - k, hi = e + k > nb ? nb : e + k, kl = e - lo, kh = hi - e;
        double sl = 0, sh = 0;
        for (int j = lo; j < e; j++)
            sl += dens[j];
        for (int j = e; j < hi; j++)
            sh += dens[j];
        double pl = sl / kl, ph = sh / kh, pe = (sl + sh) / (kl + kh);
        double dp = (ph - pl) / (0.5 * (kl + kh) * h);
        double u = v_lo + e * h, J = (-u + mu) * pe - a * dp;
        /* the re-injection's step at V_R seen through the same window as dp/dv (the difference of two
         * window means weighs p' by a triangle of half-width k h): the triangle's integral, so that
         * a stationary state (J = N H(u − V_R), kink at V_R) gives dF/dt = 0 up to noise */
        double z = (u - v_r) / (0.5 * (kl + kh) * h);
        double H = z >= 1 ? 1 : z <= -1 ? 0 : z >= 0 ? 1 - 0.5 * (1 - z) * (1 - z) : 0.5 * (1 + z) * (1 + z);
        L = fmax(L, fabs(rate * H - J));
        pm = fmax(pm, pe);
    }
    if (pmax)
        *pmax = pm;
    return L;
}

/* ---- What the check reads. ---- */

typedef struct mc_mfes {
    int r, k;               /* realisations, largest index */
    int count[MAX_K];       /* realisations with index k+1 */
    double *t, *s;          /* r × MAX_K, NAN where a realisation lacks the index */
} mc_mfes;

static int load_mfes(const char *dir, const char *name, const char *run_id, int r, mc_mfes *M, char *why, size_t wl)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s_mfe.csv", dir, name);
    nlif_rf_table t;
    nlif_error e = {0};
    memset(M, 0, sizeof *M);
    if (r < 1 || r > MAX_R) {
        snprintf(why, wl, "%d realisations (1 to %d read)", r, MAX_R);
        return -1;
    }
    nlif_judged_note(p);
    if (nlif_rf_mc_mfe_read(p, run_id, &t, &e)) {
        snprintf(why, wl, "%s", e.msg);
        return -1;
    }
    M->r = r;
    M->t = malloc(sizeof *M->t * (size_t)r * MAX_K), M->s = malloc(sizeof *M->s * (size_t)r * MAX_K);
    if (!M->t || !M->s) {
        nlif_rf_table_free(&t);
        snprintf(why, wl, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < (size_t)r * MAX_K; i++)
        M->t[i] = M->s[i] = NAN;
    for (size_t i = 0; i < t.nrow; i++) {
        int q = (int)t.x[i * 4], k = (int)t.x[i * 4 + 1] - 1;
        if (q < 0 || q >= r || k < 0 || k >= MAX_K) { /* an MFE left out could hide a snapshot's window */
            snprintf(why, wl, "%s:%d: realisation %d, MFE %d: outside the %d realisations and %d MFEs read", p,
                     t.line[i], q, k + 1, r, MAX_K);
            nlif_rf_table_free(&t);
            free(M->t), free(M->s);
            M->t = M->s = NULL;
            return -1;
        }
        M->t[(size_t)q * MAX_K + k] = t.x[i * 4 + 2], M->s[(size_t)q * MAX_K + k] = t.x[i * 4 + 3];
        M->count[k]++;
        M->k = k + 1 > M->k ? k + 1 : M->k;
    }
    nlif_rf_table_free(&t);
    return 0;
}

/* The v rows and atoms of a run's snapshot at time t (within 1e-9 relative); −1 if it has none, or more
 * than MAX_ATOMS point masses (a mass the CDF would miss). */
static int run_profile(const nlif_rf_run *run, double t, double **x, double **p, int *n, double *av, double *am, int *na)
{
    const nlif_rf_table *s = &run->snapshots;
    size_t first = s->nrow, m = 0;
    for (size_t i = 0; i < s->nrow; i++)
        if (s->x[i * 4] == 'v' && fabs(s->x[i * 4 + 1] - t) <= 1e-9 * (1 + t))
            first = m ? first : i, m++;
    *na = 0;
    for (int a = 0; a < s->n_atoms; a++)
        if (fabs(s->atoms[a].t - t) <= 1e-9 * (1 + t)) {
            if (*na == MAX_ATOMS)
                return -1;
            av[*na] = s->atoms[a].v, am[(*na)++] = s->atoms[a].mass;
        }
    if (m < 2)
        return -1;
    *x = malloc(m * sizeof **x), *p = malloc(m * sizeof **p);
    if (!*x || !*p)
        return -1;
    for (size_t i = 0; i < m; i++)
        (*x)[i] = s->x[(first + i) * 4 + 2], (*p)[i] = s->x[(first + i) * 4 + 3];
    *n = (int)m;
    return 0;
}

/* The Monte Carlo mean rate at t from the bins whose interval holds t and no realisation's MFE
 * (a bin that holds one averages its spike); NAN if none. */
static double rate_at(const mc_data *mc, const mc_mfes *M, double t, double ta)
{
    double sum = 0;
    int n = 0;
    for (int b = 0; b < mc->nbins; b++) {
        double a = mc->t_mid[b] - 0.5 * mc->bin, e = mc->t_mid[b] + 0.5 * mc->bin;
        if (t < a - 1e-12 || t > e + 1e-12)
            continue;
        int clean = 1;
        for (size_t i = 0; i < (size_t)M->r * MAX_K && clean; i++)
            clean = !(M->t[i] >= a - ta && M->t[i] <= e + ta);
        if (clean)
            sum += mc->mean[b], n++;
    }
    return n ? sum / n : NAN;
}

/* ---- One snapshot. ---- */

typedef struct snap_fig {
    double t, ks, at, bound, stat, grid, timing, size, L, D;
    int judged, k_mc;
    char why[300];
} snap_fig;

/* Where t lies among the Monte Carlo MFEs: the count K of MFE indices whose every time (± ta) is
 * before t; −1 with why when t lies within an MFE's range, or the realisations differ before t. */
static int mfe_before(const mc_mfes *M, double t, double ta, char *why, size_t wl)
{
    int K = 0;
    for (int k = 0; k < M->k; k++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int q = 0; q < M->r; q++) {
            double x = M->t[(size_t)q * MAX_K + k];
            if (!isnan(x))
                lo = fmin(lo, x), hi = fmax(hi, x);
        }
        if (!(lo <= hi))
            continue;
        if (t >= lo - ta && t <= hi + ta) {
            snprintf(why, wl, "within MFE %d's range over the %d realisations that have it, [%.4g, %.4g] +- %g", k + 1,
                     M->count[k], lo, hi, ta);
            return -1;
        }
        if (hi + ta < t) {
            if (M->count[k] < M->r) {
                snprintf(why, wl, "%d of %d realisations had MFE %d before t: they are not one law", M->count[k], M->r,
                         k + 1);
                return -1;
            }
            K = k + 1;
        }
    }
    return K;
}

/* The mean over the runs of their CDFs at u[0..m) into F (one run: its CDF). −1 with why if a run
 * has no snapshot at t. */
static int runs_cdf(const nlif_rf_run *runs, int nrun, double t, const double *u, int m, double *F, double *tmp,
                    char *why, size_t wl)
{
    for (int j = 0; j < m; j++)
        F[j] = 0;
    for (int r = 0; r < nrun; r++) {
        double *x = NULL, *p = NULL, av[MAX_ATOMS], am[MAX_ATOMS];
        int n = 0, na = 0;
        if (run_profile(&runs[r], t, &x, &p, &n, av, am, &na)) {
            snprintf(why, wl, "FAIL: %s has no snapshot at t = %g (or more than %d point masses there)",
                     r ? "a seed's run" : "the run", t, MAX_ATOMS);
            free(x), free(p);
            return -1;
        }
        nlif_snap_cdf(x, p, n, av, am, na, u, m, tmp);
        for (int j = 0; j < m; j++)
            F[j] += tmp[j] / nrun;
        free(x), free(p);
    }
    return 0;
}

/* The timing shift D of the last MFE K before t. A deterministic scheme: the larger mean distance of
 * the realisations' times to the two ends of the band mfe_mc accepts (2.5-97.5% spread ± ta). A random
 * scheme, judged by the mean of its seeds' CDFs (a mixture over its MFE times, as the Monte Carlo's
 * over its realisations'): to first order the two mixtures differ by dF/dt times the difference of
 * the mean MFE times, allowed up to ta + t_95(Welch df) SE of that difference. −1 with why when a
 * seed had another number of MFEs before t. */
static double shift_of(const nlif_check_ctx *c, const nlif_rf_run *runs, int nrun, const mc_mfes *M, int K, double t,
                       char *why, size_t wl)
{
    double ta = nlif_check_bound(c->cs, "mfe_t_allow"), tt[MAX_R], ts[NLIF_RANDOM_SEEDS];
    for (int q = 0; q < M->r; q++)
        tt[q] = M->t[(size_t)q * MAX_K + K - 1];
    if (!(c->st->flags & NLIF_IS_RANDOM)) {
        const json_t *tq = json_object_get(json_array_get(json_object_get(c->mc->summary, "mfe"), K - 1), "t_q95");
        return nlif_snap_shift(tt, M->r, json_number_value(json_array_get(tq, 0)) - ta,
                               json_number_value(json_array_get(tq, 1)) + ta);
    }
    for (int r = 0; r < nrun; r++) {
        const json_t *mfe = json_object_get(runs[r].summary, "mfe");
        int before = 0;
        for (size_t i = 0; i < json_array_size(mfe); i++)
            before += nlif_vd_num(json_array_get(mfe, i), "t") < t;
        if (before != K) {
            snprintf(why, wl, "seed %d had %d MFEs before t, every realisation %d (its phase: mfe_mc)", r + 1, before, K);
            return -1;
        }
        ts[r] = nlif_vd_num(json_array_get(mfe, K - 1), "t");
    }
    double ms, ses, mm, sem;
    nlif_vd_mean_se(ts, nrun, &ms, &ses);
    nlif_vd_mean_se(tt, M->r, &mm, &sem);
    double se = sqrt(ses * ses + sem * sem);
    return ta + nlif_vd_bound(0.05, 1, nlif_vd_welch_df(ses, nrun, sem, M->r)) * se;
}

static void judge_one(const nlif_check_ctx *c, const nlif_rf_run *runs, int nrun, const nlif_rf_table *snap,
                      const mc_mfes *M, double n_stat_edges, snap_fig *f)
{
    const nlif_case *cs = c->cs;
    const json_t *sm = c->mc->summary;
    double ta = nlif_check_bound(cs, "mfe_t_allow"), sa = nlif_check_bound(cs, "mfe_size_allow");
    double alpha = nlif_check_bound(cs, "snapshot_alpha"), width = nlif_check_bound(cs, "snapshot_smooth");
    double taken = nlif_rf_comment_num(snap, "taken_at"), t = f->t;
    int K = mfe_before(M, t, ta, f->why, sizeof f->why), nb = (int)snap->nrow;
    if (K < 0)
        return;
    double *u = malloc(sizeof *u * nb), *G = malloc(sizeof *G * nb), *F = malloc(sizeof *F * nb);
    double *dens = malloc(sizeof *dens * nb), *tmp = malloc(sizeof *tmp * nb);
    if (!u || !G || !F || !dens || !tmp) {
        snprintf(f->why, sizeof f->why, "out of memory");
        goto done;
    }
    for (int j = 0; j < nb; j++)
        u[j] = snap->x[j * 4 + 1], dens[j] = snap->x[j * 4 + 2], G[j] = snap->x[j * 4 + 3];
    if (runs_cdf(runs, nrun, t, u, nb, F, tmp, f->why, sizeof f->why))
        goto done;
    int w;
    f->ks = nlif_snap_ks(F, G, nb, &w);
    f->at = u[w];
    double h = u[0] - snap->x[0], N = rate_at(c->mc, M, t, ta), pmax;
    double a = nlif_noise(&cs->model, N), mu = cs->model.b * N + nlif_input_current(&cs->input, t);
    int k = (int)fmax(1.0, floor(width / h + 0.5));
    f->L = nlif_snap_dfdt(dens, nb, snap->x[0], h, k, N, mu, a, cs->model.v_r, &pmax);
    f->D = 0, f->size = 0;
    if (K > 0) {
        if ((f->D = shift_of(c, runs, nrun, M, K, t, f->why, sizeof f->why)) < 0)
            goto done;
        const json_t *sq = json_object_get(json_array_get(json_object_get(sm, "mfe"), K - 1), "size_q95");
        double ss[MAX_R];
        for (int q = 0; q < M->r; q++)
            ss[q] = M->s[(size_t)q * MAX_K + K - 1];
        f->size = nlif_snap_shift(ss, M->r, json_number_value(json_array_get(sq, 0)) - sa,
                                  json_number_value(json_array_get(sq, 1)) + sa);
    }
    double np = nlif_vd_num(sm, "particles"), R = nlif_vd_num(sm, "realisations");
    f->stat = nlif_snap_stat_bound(np * R, (int)n_stat_edges, alpha);
    if (c->st->flags & NLIF_IS_RANDOM) /* its seeds are networks of N_p particles too */
        f->stat += nlif_snap_stat_bound(cs->run.particles * nrun, (int)n_stat_edges, alpha);
    f->grid = 0.5 * cs->run.dv * pmax;
    f->timing = f->L * (f->D + cs->run.dt + (isnan(taken) ? 0 : fabs(taken - t)));
    f->bound = f->stat + f->grid + f->timing + f->size;
    if (isnan(N))
        snprintf(f->why, sizeof f->why, "no Monte Carlo rate bin at t free of an MFE (for dF/dt)");
    else if (!(f->bound < 1))
        snprintf(f->why, sizeof f->why, "bound %.3g >= 1: no KS distance could fail it", f->bound);
    else
        f->judged = 1;
done:
    free(u), free(G), free(F), free(dens), free(tmp);
}

/* ---- The cell. ---- */

/* The Monte Carlo snapshots of the case (K = 1, 2, ... while they exist), each read and checked to be
 * of the summary's run; their count, or −1 with why. */
static int load_snaps(const mc_data *mc, nlif_rf_table *snaps, int max, char *why, size_t wl)
{
    char dir[600], p[1300];
    snprintf(dir, sizeof dir, "%s", mc->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    const char *name = json_string_value(json_object_get(mc->summary, "case"));
    const char *id = json_string_value(json_object_get(mc->summary, "run_id"));
    int n = 0;
    for (int k = 1; k <= max && name; k++) {
        snprintf(p, sizeof p, "%s/%s_snap%d.csv", dir, name, k);
        FILE *f = fopen(p, "r");
        if (!f)
            break;
        fclose(f);
        nlif_error e = {0};
        nlif_judged_note(p);
        if (nlif_rf_table_read(p, nlif_rf_mc_snap_cols, &snaps[n], &e) ||
            nlif_rf_same_run(mc->path, id, p, snaps[n].run_id, &e)) {
            if (snaps[n].names)
                nlif_rf_table_free(&snaps[n]);
            for (int i = 0; i < n; i++)
                nlif_rf_table_free(&snaps[i]);
            snprintf(why, wl, "%s", e.msg);
            return -1;
        }
        n++;
    }
    if (!n)
        snprintf(why, wl, "no Monte Carlo snapshot (%s/%s_snap1.csv)", dir, name ? name : "?");
    return n ? n : -1;
}

/* The stored snapshots' times are the case's (the store's match, io/mc_store.c, does not compare
 * them, and a time the run was not asked for would blame the scheme): 1, or 0 with why. */
static int times_match(const nlif_case *cs, const nlif_rf_table *snaps, int ns, char *why, size_t wl)
{
    int same = ns == cs->run.n_snapshots;
    char have[400] = "", want[400] = "";
    for (int i = 0; i < ns || i < cs->run.n_snapshots; i++) {
        double a = i < ns ? nlif_rf_comment_num(&snaps[i], "snapshot_t") : NAN;
        double b = i < cs->run.n_snapshots ? cs->run.snapshots[i] : NAN;
        if (i < ns)
            snprintf(have + strlen(have), sizeof have - strlen(have), "%s%g", i ? ", " : "", a);
        if (i < cs->run.n_snapshots)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%g", i ? ", " : "", b);
        same = same && fabs(a - b) <= 1e-9 * (1 + fabs(b));
    }
    if (!same)
        snprintf(why, wl, "the stored Monte Carlo snapshots are at t = %s, the case states run.snapshots = %s: "
                 "regenerate them (sh reference/data/make_reference.sh %s) or state the stored times", have, want, cs->name);
    return same;
}

/* The run, and for a random scheme its seeds 2.. on disk (verify plans them: nlif_plan_seeds). */
static int load_runs(const nlif_check_ctx *c, nlif_rf_run *runs, char *why, size_t wl)
{
    nlif_error e = {0};
    if (nlif_rf_run_read(c->runpath, &runs[0], &e)) {
        snprintf(why, wl, "the run was refused: %s", e.msg);
        return 0;
    }
    int n = 1;
    for (int s = 2; s <= NLIF_RANDOM_SEEDS && (c->st->flags & NLIF_IS_RANDOM); s++) {
        char p[1400];
        snprintf(p, sizeof p, "%s/%s.%s.seed%d.json", nlif_verify_dir(c->v, "runs"), c->cs->name, c->st->name, s);
        nlif_error_clear(&e);
        if (nlif_rf_run_read(p, &runs[n], &e) == 0) {
            nlif_judged_note(p); /* the verdict lists what it was judged from */
            snprintf(p + strlen(p) - 5, sizeof p - strlen(p) + 5, ".snapshots.csv");
            nlif_judged_note(p);
            n++;
        }
    }
    return n;
}

/* Every snapshot judged, the cell written. */
static void judge_all(const nlif_check_ctx *c, const nlif_rf_run *runs, int nrun, const nlif_rf_table *snaps, int ns,
                      const mc_mfes *M, const char *src)
{
    snap_fig f[NLIF_RF_MAX_SNAPSHOTS];
    double edges = 0;
    for (int i = 0; i < ns; i++)
        edges += (double)snaps[i].nrow; /* every edge of every snapshot: the family of the union bound */
    int judged = 0, fails = 0, worst = -1;
    char detail[2400] = "", bound[200];
    for (int i = 0; i < ns; i++) {
        memset(&f[i], 0, sizeof f[i]);
        f[i].t = nlif_rf_comment_num(&snaps[i], "snapshot_t");
        f[i].k_mc = i + 1;
        judge_one(c, runs, nrun, &snaps[i], M, edges, &f[i]);
        size_t l = strlen(detail);
        if (f[i].judged) {
            judged++;
            fails += !(f[i].ks <= f[i].bound);
            if (worst < 0 || f[i].ks / f[i].bound > f[worst].ks / f[worst].bound)
                worst = i;
            snprintf(detail + l, sizeof detail - l,
                     "%st = %g: KS %.4g at v = %.3g vs bound %.4g (stat %.2g, grid %.2g, timing %.3g = dF/dt %.3g x "
                     "(shift %.3g + dt), size %.2g)%s",
                     l ? "; " : "", f[i].t, f[i].ks, f[i].at, f[i].bound, f[i].stat, f[i].grid, f[i].timing, f[i].L,
                     f[i].D, f[i].size, f[i].ks <= f[i].bound ? "" : " FAIL");
        } else {
            fails += !strncmp(f[i].why, "FAIL", 4);
            snprintf(detail + l, sizeof detail - l, "%st = %g: n.a. (%s)", l ? "; " : "", f[i].t, f[i].why);
        }
    }
    snprintf(bound, sizeof bound, "KS <= stat + grid + timing + size at every judged snapshot (family %g)",
             nlif_check_bound(c->cs, "snapshot_alpha"));
    if (!judged && !fails)
        nlif_check_cell(c, "snapshot_mc", NLIF_FAIL, NAN, bound, src,
                        "no snapshot could be judged (a case that states snapshot_mc needs one): %s", detail);
    else
        nlif_check_cell(c, "snapshot_mc", fails ? NLIF_FAIL : NLIF_PASS, worst >= 0 ? f[worst].ks / f[worst].bound : NAN,
                        bound, src, "%d of %d snapshots judged (figure: the largest KS / bound)%s; %s", judged, ns,
                        nrun > 1 ? "; the mean CDF of the seeds" : "", detail);
    if (worst >= 0) { /* what a report needs to draw the comparison: the Monte Carlo snapshot K and the worst */
        nlif_check_note(c, "t", f[worst].t);
        nlif_check_note(c, "mc_snap", f[worst].k_mc);
        nlif_check_note(c, "ks", f[worst].ks);
        nlif_check_note(c, "ks_bound", f[worst].bound);
        nlif_check_note(c, "seeds", nrun);
    }
}

static void judge(const nlif_check_ctx *c)
{
    const char *src = "MATHEMATICS.md 6 (snapshots against Monte Carlo); reference/data CASE_snapK.csv; allowances: case expect";
    char why[1200] = "", dir[600];
    if (!c->mc) {
        nlif_check_cell(c, "snapshot_mc", NLIF_FAIL, NAN, "", "",
                        "no usable stored Monte Carlo data for %s (%s): the case states a check without its reference",
                        c->cs->name, c->mc_why);
        return;
    }
    nlif_rf_table snaps[NLIF_RF_MAX_SNAPSHOTS];
    int ns = load_snaps(c->mc, snaps, NLIF_RF_MAX_SNAPSHOTS, why, sizeof why);
    if (ns < 0 || !times_match(c->cs, snaps, ns, why, sizeof why)) {
        nlif_check_cell(c, "snapshot_mc", NLIF_FAIL, NAN, "", src, "%s", why);
        for (int i = 0; i < ns; i++)
            nlif_rf_table_free(&snaps[i]);
        return;
    }
    nlif_rf_run runs[NLIF_RANDOM_SEEDS];
    mc_mfes M = {0};
    snprintf(dir, sizeof dir, "%s", c->mc->path);
    if (strrchr(dir, '/'))
        *strrchr(dir, '/') = 0;
    int nrun = load_runs(c, runs, why, sizeof why), random = !!(c->st->flags & NLIF_IS_RANDOM);
    if (!nrun)
        nlif_check_cell(c, "snapshot_mc", NLIF_FAIL, NAN, "", src, "%s", why);
    else if (load_mfes(dir, c->cs->name, json_string_value(json_object_get(c->mc->summary, "run_id")),
                       (int)nlif_vd_num(c->mc->summary, "realisations"), &M, why, sizeof why))
        nlif_check_cell(c, "snapshot_mc", NLIF_FAIL, NAN, "", src, "the Monte Carlo MFE times: %s", why);
    else if (random && nrun < 2 && nlif_verify_on_disk(c->v))
        nlif_check_cell(c, "snapshot_mc", NLIF_NA, NAN, "", src,
                        "no seeds on disk: a random scheme is judged by the mean CDF of its seeds (%s.%s.seed2.json ...)",
                        c->cs->name, c->st->name);
    else if (random && nrun < 2)
        nlif_check_cell(c, "snapshot_mc", NLIF_FAIL, NAN, "", src, "fewer than 2 seeds to average (the seed runs failed)");
    else
        judge_all(c, runs, nrun, snaps, ns, &M, src);
    free(M.t), free(M.s);
    for (int i = 0; i < nrun; i++)
        nlif_rf_run_free(&runs[i]);
    for (int i = 0; i < ns; i++)
        nlif_rf_table_free(&snaps[i]);
}

static const nlif_expect_spec keys[] = {
    {"snapshot_alpha", 0, "0.05", 0, 0.5, 1,
     "snapshot_mc: family level of the statistical part (Hoeffding at every edge of every snapshot, union bound)"},
    {"snapshot_smooth", 0, "0.05", 0, 1, 1,
     "snapshot_mc: width (voltage) of the Monte Carlo density average for dF/dt, the timing part's slope"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_snapshot_mc = {
    .name = "snapshot_mc",
    .title = "every snapshot's voltage CDF against the Monte Carlo snapshot at its time (KS, calibrated bound)",
    .needs = NLIF_SUPPORTS_MFE,
    .uses_mc = 1,
    .plan = nlif_plan_seeds, /* a random scheme: the mean CDF of its seeds */
    .judge = judge,
    .expect = keys,
};
