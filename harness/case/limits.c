/* limits.c — the ceilings of nlif_limits.h: counts are computed in double (no float-to-integer
 * conversion happens before the count is known to fit), compared with the limit, and a refusal says
 * which key, the count and the limit. */
#include "nlif_limits.h"

#include "../../reference/montecarlo.h"
#include "../../core/nlif_trajectory.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MIB 1048576.0
/* Estimated bytes per grid cell: the schemes keep about a dozen arrays of one double per cell
 * (density, trial and work copies, coefficients, the tridiagonal system); 32 doubles is generous. */
#define BYTES_PER_CELL (32.0 * sizeof(double))
#define BYTES_PER_PARTICLE NLIF_MC_BYTES_PER_PARTICLE
/* The trajectory stores one sample per step and doubles its storage when full: up to 2 samples'
 * worth per step at the moment of growth. */
#define BYTES_PER_STEP (2.0 * sizeof(nlif_sample))

static double voltage_cells(const nlif_case *cs) { return (cs->model.v_f - cs->model.v_min) / cs->run.dv; }

static double weight_cells(const nlif_case *cs)
{
    return cs->structure.enabled ? (cs->structure.w_max - cs->structure.w_min) / cs->run.dw + 1 : 1;
}

double nlif_limits_grid_bytes(const nlif_case *cs)
{
    double cells = (voltage_cells(cs) + 1) * weight_cells(cs);
    double steps = cs->run.t_final / cs->run.dt;
    /* snapshots: node and density copies (voltage and weight) of every snapshot, plus the final one */
    double snaps = (cs->run.n_snapshots + 2.0) * 2.0 * sizeof(double) * (voltage_cells(cs) + 1 + weight_cells(cs));
    /* the multiscale scheme carries cs->run.particles particles in its micro phase */
    return cells * BYTES_PER_CELL + steps * BYTES_PER_STEP + snaps + cs->run.particles * BYTES_PER_PARTICLE;
}

double nlif_limits_mc_bytes(const nlif_case *cs, const nlif_mc_config *cfg)
{
    double R = cfg->realisations, bw = cfg->bin_width > 0 ? cfg->bin_width : cs->run.rate_window;
    double bins = cs->run.t_final / bw + 1;
    double ns = cs->run.n_snapshots ? cs->run.n_snapshots : 1;
    double v_bins = cfg->v_bins > 0 ? cfg->v_bins : 600, w_bins = cs->structure.enabled ? 100 : 1;
    double mfe_cap = cfg->mfe_capacity > 0 ? cfg->mfe_capacity : 4096;
    /* per realisation: spike bins, voltage and weight histograms, the MFE list; reduced: 6 arrays
     * over the bins, the pooled densities and CDFs */
    double per_r = bins * sizeof(long) + ns * (v_bins + 2 + w_bins) * sizeof(long) + mfe_cap * 2 * sizeof(double);
    double reduced = 6 * bins * sizeof(double) + ns * (2 * v_bins + 1 + w_bins) * sizeof(double);
    /* particle arrays of the realisations running at once, and their rate windows */
    double at_once = fmin(R, cfg->threads > 0 ? cfg->threads : 1);
    double ring = fmin(fmax(cs->run.rate_window / (cfg->dt / (cs->structure.enabled ? cs->structure.epsilon : 1)), 1), 1e7);
    if (cs->structure.enabled && cs->structure.rule == NLIF_RULE_HEBBIAN)
        ring *= 33;
    /* a realisation split over processes (particles_per_rank): one at a time, its range on this one */
    double np = (double)cfg->particles;
    if (cfg->particles_per_rank > 0 && cfg->particles_per_rank < cfg->particles) {
        double g = ceil((double)cfg->particles / (double)cfg->particles_per_rank);
        np = ceil((double)cfg->particles / g); /* the ranges are balanced (MATHEMATICS.md §1.1) */
        at_once = 1;
    }
    double particles = at_once * (np * BYTES_PER_PARTICLE + ring * sizeof(double));
    return R * per_r + reduced + particles;
}

long nlif_limits_mc_particles_within(double mib)
{
    double n = floor(mib * MIB / BYTES_PER_PARTICLE);
    return n < 1 ? 1 : n > 1e15 ? (long)1e15 : (long)n;
}

size_t nlif_limits_step_budget(const nlif_case *cs)
{
    /* a case built by hand without nlif_case_defaults has no ceilings: no budget (0) */
    if (!(cs->run.max_steps >= 1) || !(cs->run.max_memory >= 1))
        return 0;
    /* at most max_steps samples, and no more than max_memory can hold */
    double b = fmin(cs->run.max_steps, cs->run.max_memory * MIB / BYTES_PER_STEP);
    return b < 1 ? 1 : (size_t)b;
}

static int refuse(const char **key, const char *k, char *why, size_t len, const char *fmt, double a, double b)
{
    *key = k;
    snprintf(why, len, fmt, a, b);
    return 1;
}

int nlif_limits_check_case(const nlif_case *cs, const char **key, char *why, size_t len)
{
    const nlif_run *r = &cs->run;
    double nv = voltage_cells(cs), cells = (nv + 1) * weight_cells(cs);
    if (!(cells <= NLIF_MAX_CELLS))
        return refuse(key, cs->structure.enabled && nv + 1 <= NLIF_MAX_CELLS ? "run.dw structure.w_max structure.w_min" : "run.dv model.v_f model.v_min", why, len,
                      "the grid would have %.3g cells (allowed: at most %.3g; (V_F - V_min)/dv + 1 voltage nodes "
                      "times (w_max - w_min)/dw + 1 weight nodes)", cells, NLIF_MAX_CELLS);
    double steps = r->t_final / r->dt;
    if (!(steps <= r->max_steps))
        return refuse(key, "run.dt run.t_final", why, len,
                      "t_final/dt = %.3g steps exceeds run.max_steps = %.3g (raise run.max_steps to allow it)", steps,
                      r->max_steps);
    double bins = r->t_final / r->rate_window;
    if (!(bins <= NLIF_MAX_BINS))
        return refuse(key, "run.rate_window run.t_final", why, len,
                      "t_final/rate_window = %.3g rate bins (allowed: at most %.3g)", bins, NLIF_MAX_BINS);
    double bytes = nlif_limits_grid_bytes(cs);
    /* blame the key behind the largest part: particles, steps or cells */
    double part_p = cs->run.particles * BYTES_PER_PARTICLE, part_s = steps * BYTES_PER_STEP;
    const char *mem_keys = part_p >= part_s && part_p >= cells * BYTES_PER_CELL ? "run.particles run.max_memory"
                           : part_s >= cells * BYTES_PER_CELL                 ? "run.dt run.t_final run.max_memory"
                                                                              : "run.dv run.dw run.max_memory";
    if (!(bytes <= r->max_memory * MIB))
        return refuse(key, mem_keys, why, len,
                      "a grid run needs an estimated %.0f MiB, above run.max_memory = %.0f MiB (raise run.max_memory "
                      "to allow it)", bytes / MIB, r->max_memory);
    nlif_mc_config cfg;
    nlif_mc_config_from_case(&cfg, cs);
    return nlif_limits_check_mc(cs, &cfg, key, why, len);
}

int nlif_limits_check_mc(const nlif_case *cs, const nlif_mc_config *cfg, const char **key, char *why, size_t len)
{
    const nlif_run *r = &cs->run;
    double steps = r->t_final / cfg->dt;
    if (!(steps <= r->max_steps))
        return refuse(key, "run.mc_dt run.t_final", why, len,
                      "t_final/mc_dt = %.3g Monte Carlo steps exceeds run.max_steps = %.3g (raise run.max_steps to "
                      "allow it)", steps, r->max_steps);
    double work = steps * (double)cfg->particles * cfg->realisations;
    if (!(work <= r->max_particle_steps))
        return refuse(key, "run.particles run.realisations run.mc_dt run.t_final", why, len,
                      "particles x realisations x t_final/mc_dt = %.3g particle steps exceeds run.max_particle_steps "
                      "= %.3g (raise run.max_particle_steps to allow it)", work, r->max_particle_steps);
    double bw = cfg->bin_width > 0 ? cfg->bin_width : r->rate_window;
    double bins = r->t_final / bw;
    if (!(bins <= NLIF_MAX_BINS))
        return refuse(key, cfg->bin_width > 0 ? "bin_width" : "run.rate_window run.t_final", why, len,
                      "t_final/bin width = %.3g rate bins (allowed: at most %.3g)", bins, NLIF_MAX_BINS);
    double bytes = nlif_limits_mc_bytes(cs, cfg);
    if (!(bytes <= r->max_memory * MIB))
        return refuse(key, "run.particles run.realisations run.rate_window run.max_memory", why, len,
                      "a Monte Carlo run needs an estimated %.0f MiB, above run.max_memory = %.0f MiB (raise "
                      "run.max_memory to allow it)", bytes / MIB, r->max_memory);
    return 0;
}

int nlif_read_text_bounded(const char *path, long max_bytes, char **text, nlif_error *err)
{
    *text = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return nlif_fail(err, NLIF_EINVAL, "cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return nlif_fail(err, NLIF_EINVAL, "%s is a directory (allowed: a case file)", path);
    }
    char *buf = malloc((size_t)max_bytes + 2);
    if (!buf) {
        fclose(f);
        return nlif_fail(err, NLIF_ENOMEM, "reading %s", path);
    }
    /* at most max_bytes + 1: one byte more tells that the file is too large, whatever it is */
    size_t len = 0, got;
    while (len <= (size_t)max_bytes && (got = fread(buf + len, 1, (size_t)max_bytes + 1 - len, f)) > 0)
        len += got;
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return nlif_fail(err, NLIF_EINVAL, "cannot read %s: %s", path, strerror(errno));
    }
    if (len > (size_t)max_bytes) {
        free(buf);
        return nlif_fail(err, NLIF_EINVAL, "%s is larger than %ld bytes (allowed: a case file of at most %ld bytes)",
                         path, max_bytes, max_bytes);
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *c = buf; c < nul; c++)
            line += *c == '\n';
        free(buf);
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: a NUL byte (allowed: text only)", path, line);
    }
    buf[len] = '\0';
    *text = buf;
    return NLIF_OK;
}
