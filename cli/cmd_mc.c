/* cmd_mc.c — `nlif mc CASE ...`: the Monte Carlo particle reference (MATHEMATICS.md §1.1, §6).
 * Writes under --out (default results/mc/): CASE.json (summary), CASE_rate.csv (N(t), E(t)),
 * CASE_mfe.csv (every MFE of every realisation), CASE_mfe_summary.csv, CASE_snap<k>.csv (voltage
 * density and empirical CDF), CASE_weights<k>.csv (structured cases). Each CSV opens with '#'
 * provenance lines. The data rows do not depend on --threads (tested), nor on the number of MPI
 * processes of bin/nlif-mpi (nlif_mc_world; rank 0 writes, MATHEMATICS.md §1.1, "Monte Carlo over
 * processes"; tested in tests/test_mpi.c).
 */
#include "../reference/montecarlo.h"
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../harness/case/nlif_limits.h"
#include "../io/nlif_results.h"
#include "../io/nlif_resultfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const nlif_option_spec mc_options[] = {
    {"bridge", NLIF_OPT_BOOL, "true", 0, 1, NULL, 1,
     "Brownian-bridge correction of threshold crossings between steps (MATHEMATICS.md §1.1)"},
    {"init_sampling", NLIF_OPT_ENUM, "jittered", 0, 0, "jittered|midpoint", 1,
     "initial particles: randomised stratified quantiles or midpoint quantiles"},
    {"gaussian", NLIF_OPT_ENUM, "philox-ziggurat", 0, 0, "philox-ziggurat", 0,
     "normal numbers: Philox4x32-10 keyed by (seed, particle, step, realisation) + 128-layer ziggurat"},
    {"runaway_factor", NLIF_OPT_DOUBLE, "2", 1, 1e6, NULL, 0,
     "convention B: a step with more than factor*N_p spikes is a runaway cascade"},
    {"bin_width", NLIF_OPT_DOUBLE, "0", 0, 1e9, NULL, 0, "output bins of N(t) (0: the case's rate_window)"},
    {"v_bins", NLIF_OPT_INT, "600", 1, 1e7, NULL, 0, "voltage histogram bins on [V_min, V_F]"},
    {"rate_from", NLIF_OPT_DOUBLE, "-1", -1, 1e12, NULL, 0,
     "start of the rate_final window (-1: the last tenth of the run)"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL}};

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif mc CASE [--particles N] [--realisations R] [--dt K] [--seed S] [--threads T]\n"
               "                   [--simd auto|off|avx2|avx512] [--no-bridge] [--set section.key=value]\n"
               "                   [--particles-per-rank N | --rank-memory MIB]\n"
               "                   [--opt name=value] [--json] [--out DIR]\n"
               "Monte Carlo particle reference of a case (MATHEMATICS.md §1.1): R realisations of N_p particles,\n"
               "Euler-Maruyama with exact in-step cascades. Defaults come from the case's [run] section.\n"
               "Results: DIR/CASE.json, CASE_rate.csv, CASE_mfe.csv, CASE_mfe_summary.csv, CASE_snap<k>.csv,\n"
               "in the result format of RESULTS.md (written as a whole, one run id in every file).\n"
               "--threads T: realisations in parallel; with fewer realisations than threads, each\n"
               "realisation's particle pass is split too. --simd: the particle kernel's instruction set\n"
               "(default auto: the best this CPU has; the path is recorded in the provenance). Results are\n"
               "the same bits for every T and path (MATHEMATICS.md §1.1, \"The particle kernel\").\n"
               "Under MPI (mpirun -np K bin/nlif-mpi mc ...), the realisations are spread over the K\n"
               "processes (realisation r on process r mod K, each with T threads) and rank 0 writes the\n"
               "files: their data rows are the same bits as bin/nlif's for every K and T (MATHEMATICS.md\n"
               "§1.1, \"Monte Carlo over processes\"); the JSON records \"ranks\" and the MPI library.\n"
               "--particles-per-rank N (1D cases): a realisation of more than N particles is split over\n"
               "ceil(N_p / N) processes, each stepping a contiguous range, the cascade resolved over all\n"
               "(same bits again); the realisations go over the groups of processes. Needs that many.\n"
               "--rank-memory MIB (default 4096; 1D cases, more than one process): without\n"
               "--particles-per-rank, a realisation whose particles need more than MIB by the estimate\n"
               "of run.max_memory (64 bytes a particle) is split so that each process holds at most MIB,\n"
               "over g = ceil(N_p / floor(MIB * 2^20 / 64)) processes, as if --particles-per-rank\n"
               "ceil(N_p / g) were given (said on stderr; same bits).\n"
               "Options (--opt):\n");
    nlif_option_spec_print(f, mc_options, "  ");
}

static json_t *pair(const double x[2]) { return json_pack("[o, o]", nlif_json_number(x[0]), nlif_json_number(x[1])); }

static json_t *summary_json(const nlif_case *cs, const nlif_mc_config *cfg, const nlif_optset *o,
                            const nlif_mc_result *r, int threads)
{
    json_t *j = json_object();
    json_object_set_new(j, "case", json_string(cs->name));
    json_object_set_new(j, "particles", json_integer((json_int_t)cfg->particles));
    json_object_set_new(j, "realisations", json_integer(cfg->realisations));
    json_object_set_new(j, "dt", json_real(cfg->dt));
    json_object_set_new(j, "seed", json_integer((json_int_t)cfg->seed));
    json_object_set_new(j, "bridge", json_boolean(cfg->bridge));
    json_object_set_new(j, "convention", json_string(nlif_convention_name(cs->model.convention)));
    json_object_set_new(j, "rate_final_mean", nlif_json_number(r->rate_final_mean));
    json_object_set_new(j, "rate_final_se", nlif_json_number(r->rate_final_se));
    if (r->two) { /* two populations (MATHEMATICS.md §1.6): the rate above is E's, these I's */
        json_object_set_new(j, "rate_final_mean_i", nlif_json_number(r->rate_final_mean_i));
        json_object_set_new(j, "rate_final_se_i", nlif_json_number(r->rate_final_se_i));
    }
    json_object_set_new(j, "rate_final_window", json_pack("[f, f]", r->rate_from, r->t_final));
    if (cfg->realisations >= 2) {
        /* the spread between realisations, the yardstick of a scheme's L1 distance to the mean N(t) */
        json_t *l1 = json_array();
        for (int k = 0; k < cfg->realisations; k++)
            json_array_append_new(l1, nlif_json_number(r->l1_loo[k]));
        json_object_set_new(j, "l1_loo", l1);
        json_object_set_new(j, "l1_loo_mean", nlif_json_number(r->l1_loo_mean));
    }
    json_t *mfe = json_array();
    for (int k = 0; k < r->n_mfe_index; k++) {
        const nlif_mc_mfe_stats *m = &r->mfe[k];
        json_array_append_new(mfe, json_pack("{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "index", k + 1,
                                             "count", m->count, "t_mean", nlif_json_number(m->t_mean), "t_se",
                                             nlif_json_number(m->t_se), "t_ci95", pair(m->t_ci95), "t_q95",
                                             pair(m->t_q95), "size_mean", nlif_json_number(m->size_mean),
                                             "size_se", nlif_json_number(m->size_se), "size_ci95",
                                             pair(m->size_ci95), "size_q95", pair(m->size_q95)));
    }
    json_object_set_new(j, "mfe", mfe);
    json_object_set_new(j, "mfe_level", json_real(cs->run.mfe_level));
    json_object_set_new(j, "max_cascade_fraction", json_real(r->max_spikes_step_fraction));
    json_object_set_new(j, "runaways", json_integer(r->runaways));
    json_object_set_new(j, "runaway_t_first", nlif_json_number(r->runaway_t_first));
    json_object_set_new(j, "full_cascade_passes", json_integer(r->full_passes));
    json_object_set_new(j, "steps", json_integer(r->steps));
    json_object_set_new(j, "cpu_seconds", json_real(r->cpu_seconds));
    json_object_set_new(j, "wall_seconds", json_real(r->wall_seconds));
    json_object_set_new(j, "threads", json_integer(threads));
    json_object_set_new(j, "ranks", json_integer(cfg->comm ? cfg->comm->size : 1));
    json_object_set_new(j, "choices", nlif_choices_json(cs, o));
    json_object_set_new(j, "options", nlif_optset_json(o));
    json_t *prov = nlif_provenance_json();
    json_object_set_new(prov, "simd", json_string(nlif_simd_name(r->simd)));
    if (cfg->comm)
        json_object_set_new(prov, "mpi", json_string(cfg->comm->name));
    json_object_set_new(j, "provenance", prov);
    json_object_set_new(j, "case_definition", nlif_case_json(cs));
    return j;
}

/* Provenance for CSVs: the summary without the run-dependent timing and thread count, so that the
 * files are identical for any --threads; date and commit do appear. */
static json_t *csv_meta(const json_t *summary)
{
    json_t *m = json_object();
    static const char *keys[] = {"case", "particles", "realisations", "dt", "seed", "bridge", "convention",
                                 "choices", "options", "provenance", "case_definition", NULL};
    for (int i = 0; keys[i]; i++)
        json_object_set(m, keys[i], json_object_get(summary, keys[i]));
    return m;
}

/* One CSV of the set: format line and run id (written by the set), then the provenance lines. */
static FILE *open_csv(nlif_rf_set *set, const char *suffix, const json_t *meta, nlif_error *err)
{
    FILE *f = nlif_rf_set_csv(set, suffix, err);
    if (f)
        nlif_csv_provenance(f, meta);
    return f;
}

/* The result set of a Monte Carlo run (RESULTS.md), written as a whole: temporary names renamed into
 * place by nlif_rf_set_commit, the summary last, one run id in every file. */
static int write_outputs(const char *dir, const nlif_case *cs, const nlif_mc_result *r, json_t *summary,
                         nlif_error *err)
{
    int rc = nlif_mkdir_p(dir, err);
    if (rc)
        return rc;
    nlif_rf_set set;
    if ((rc = nlif_rf_set_begin(&set, dir, cs->name, err)))
        return rc;
    char sfx[64];
    json_t *meta = csv_meta(summary);
    FILE *f = open_csv(&set, "_rate.csv", meta, err);
    if (!f)
        goto fail;
    fprintf(f, "t,rate_mean,rate_se,cum_t,cum_mean,cum_se\n");
    for (int b = 0; b < r->nbins; b++)
        fprintf(f, "%.10g,%.10g,%.6g,%.10g,%.10g,%.6g\n", r->t_mid[b], r->rate_mean[b], r->rate_se[b],
                fmin((b + 1) * r->bin_width, r->t_final), r->cum_mean[b], r->cum_se[b]);
    if (!(f = open_csv(&set, "_mfe.csv", meta, err)))
        goto fail;
    fprintf(f, "realisation,index,t,size\n");
    for (int q = 0; q < r->realisations; q++) {
        int c = r->mfe_count[q] < r->mfe_capacity ? r->mfe_count[q] : r->mfe_capacity;
        for (int k = 0; k < c; k++)
            fprintf(f, "%d,%d,%.10g,%.10g\n", q, k + 1, r->mfe_t[(size_t)q * r->mfe_capacity + k],
                    r->mfe_size[(size_t)q * r->mfe_capacity + k]);
    }
    if (!(f = open_csv(&set, "_mfe_summary.csv", meta, err)))
        goto fail;
    fprintf(f, "index,count,t_mean,t_se,t_ci95_lo,t_ci95_hi,t_q95_lo,t_q95_hi,size_mean,size_se,size_ci95_lo,"
               "size_ci95_hi,size_q95_lo,size_q95_hi\n");
    for (int k = 0; k < r->n_mfe_index; k++) {
        const nlif_mc_mfe_stats *m = &r->mfe[k];
        fprintf(f, "%d,%d,%.10g,%.6g,%.10g,%.10g,%.10g,%.10g,%.10g,%.6g,%.10g,%.10g,%.10g,%.10g\n", k + 1, m->count,
                m->t_mean, m->t_se, m->t_ci95[0], m->t_ci95[1], m->t_q95[0], m->t_q95[1], m->size_mean, m->size_se,
                m->size_ci95[0], m->size_ci95[1], m->size_q95[0], m->size_q95[1]);
    }
    double dvb = (r->v_hi - r->v_lo) / r->v_bins;
    for (int s = 0; s < r->n_snap; s++) {
        snprintf(sfx, sizeof sfx, "_snap%d.csv", s + 1);
        if (!(f = open_csv(&set, sfx, meta, err)))
            goto fail;
        fprintf(f, "# snapshot_t: %.10g\n# taken_at: %.10g\n# fraction_below_v_min: %.10g\n", r->snap_t[s],
                r->snap_taken[s], r->v_below[s]);
        fprintf(f, "v_lo,v_hi,density,cdf_at_v_hi\n");
        for (int j = 0; j < r->v_bins; j++)
            fprintf(f, "%.10g,%.10g,%.10g,%.10g\n", r->v_lo + j * dvb, r->v_lo + (j + 1) * dvb,
                    r->v_density[(size_t)s * r->v_bins + j], r->v_cdf[(size_t)s * (r->v_bins + 1) + j + 1]);
        if (r->w_bins) {
            snprintf(sfx, sizeof sfx, "_weights%d.csv", s + 1);
            if (!(f = open_csv(&set, sfx, meta, err)))
                goto fail;
            fprintf(f, "# snapshot_t: %.10g\nw_lo,w_hi,density\n", r->snap_t[s]);
            double dwb = (r->w_hi - r->w_lo) / r->w_bins;
            for (int j = 0; j < r->w_bins; j++)
                fprintf(f, "%.10g,%.10g,%.10g\n", r->w_lo + j * dwb, r->w_lo + (j + 1) * dwb,
                        r->w_density[(size_t)s * r->w_bins + j]);
        }
    }
    json_decref(meta);
    if ((rc = nlif_rf_set_json(&set, ".json", summary, err))) {
        nlif_rf_set_abort(&set);
        return rc;
    }
    return nlif_rf_set_commit(&set, err);
fail:
    json_decref(meta);
    nlif_rf_set_abort(&set);
    return err && err->code ? err->code : NLIF_EIO;
}

/* The command line of nlif mc as typed, before the case is read. */
typedef struct mc_args {
    const char *case_name, *out;
    const char *sets[64], *opts[32];
    int n_sets, n_opts, json, no_bridge, helped;
    long particles, realisations, threads, per_rank; /* -1: the case's [run] value */
    double rank_mib;                                 /* --rank-memory: the automatic split's threshold */
    double dt;                                       /* NAN: not given (any given value is checked) */
    nlif_simd simd;
    uint64_t seed;
    int have_seed;
} mc_args;

enum { MC_PARTICLES = 256, MC_REALISATIONS, MC_DT, MC_SEED, MC_PER_RANK, MC_RANK_MEMORY, MC_THREADS, MC_SIMD,
       MC_NO_BRIDGE, MC_JSON, MC_SET, MC_OPT, MC_OUT };

static const struct option mc_flags[] = {
    {"help", no_argument, NULL, NLIF_CLI_HELP},
    {"particles", required_argument, NULL, MC_PARTICLES},
    {"realisations", required_argument, NULL, MC_REALISATIONS},
    {"dt", required_argument, NULL, MC_DT},
    {"seed", required_argument, NULL, MC_SEED},
    {"particles-per-rank", required_argument, NULL, MC_PER_RANK},
    {"rank-memory", required_argument, NULL, MC_RANK_MEMORY},
    {"threads", required_argument, NULL, MC_THREADS},
    {"simd", required_argument, NULL, MC_SIMD},
    {"no-bridge", no_argument, NULL, MC_NO_BRIDGE},
    {"json", no_argument, NULL, MC_JSON},
    {"set", required_argument, NULL, MC_SET},
    {"opt", required_argument, NULL, MC_OPT},
    {"out", required_argument, NULL, MC_OUT},
    {0, 0, 0, 0}};

/* --simd NAME: refused when unknown or when this CPU or build lacks it. */
static int mc_simd(const char *name, nlif_simd *simd)
{
    if (!name || nlif_simd_parse(name, simd)) {
        fprintf(stderr, "nlif mc: --simd needs auto, off, avx2 or avx512 (got %s)\n", name ? name : "nothing");
        return NLIF_EXIT_USAGE;
    }
    if (!nlif_simd_supported(*simd)) {
        fprintf(stderr,
                "nlif mc: --simd %s: not available here (this CPU or this build lacks it; "
                "available: off%s%s)\n",
                name, nlif_simd_supported(NLIF_SIMD_AVX2) ? ", avx2" : "",
                nlif_simd_supported(NLIF_SIMD_AVX512) ? ", avx512" : "");
        return NLIF_EXIT_USAGE;
    }
    return 0;
}

/* One flag C of the table with its value V (NULL when missing), or a positional argument: 0, or the
 * exit code after the refusal. */
static int mc_flag(mc_args *a, int c, const nlif_cli_flags *p)
{
    const char *f = p->flag, *v = p->value;
    int rc = 0;
    switch (c) {
    case MC_PARTICLES: return nlif_cli_long("mc", f, v, &a->particles);
    case MC_REALISATIONS: return nlif_cli_long("mc", f, v, &a->realisations);
    case MC_DT: return nlif_cli_double("mc", f, v, &a->dt);
    case MC_SEED: a->have_seed = 1; return nlif_cli_u64("mc", f, v, &a->seed);
    case MC_THREADS: return nlif_cli_long("mc", f, v, &a->threads);
    case MC_SIMD: return mc_simd(v, &a->simd);
    case MC_NO_BRIDGE: a->no_bridge = 1; return 0;
    case MC_JSON: a->json = 1; return 0;
    case MC_PER_RANK:
        rc = nlif_cli_long("mc", f, v, &a->per_rank);
        if (!rc && a->per_rank < 1) {
            fprintf(stderr, "nlif mc: --particles-per-rank needs a count >= 1 (got %ld)\n", a->per_rank);
            return NLIF_EXIT_USAGE;
        }
        return rc;
    case MC_RANK_MEMORY:
        rc = nlif_cli_double("mc", f, v, &a->rank_mib);
        if (!rc && !(a->rank_mib >= 0.001 && a->rank_mib <= 1e9)) {
            fprintf(stderr, "nlif mc: --rank-memory needs MiB in [0.001, 1e9] (got %g)\n", a->rank_mib);
            return NLIF_EXIT_USAGE;
        }
        return rc;
    case MC_SET:
    case MC_OPT:
    case MC_OUT:
        if (!v) {
            fprintf(stderr, "nlif mc: %s needs a value\n", f);
            return NLIF_EXIT_USAGE;
        }
        if (c == MC_OUT)
            a->out = v;
        else if (c == MC_SET && a->n_sets < 64)
            a->sets[a->n_sets++] = v;
        else if (c == MC_OPT && a->n_opts < 32)
            a->opts[a->n_opts++] = v;
        return 0;
    case NLIF_CLI_POSITIONAL:
        if (v[0] == '-')
            break; /* "-" alone */
        if (a->case_name) {
            fprintf(stderr, "nlif mc: one case only (got %s and %s)\n", a->case_name, v);
            return NLIF_EXIT_USAGE;
        }
        a->case_name = v;
        return 0;
    }
    fprintf(stderr, "nlif mc: unknown option %s (see nlif mc --help)\n", f);
    return NLIF_EXIT_USAGE;
}

/* The command line into A: 0 (A->helped when --help answered it), or the exit code after a refusal. */
static int mc_parse(int argc, char **argv, mc_args *a)
{
    *a = (mc_args){.out = "results/mc", .particles = -1, .realisations = -1, .threads = 1, .rank_mib = 4096,
                   .dt = NAN, .simd = NLIF_SIMD_AUTO};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, mc_flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            a->helped = 1;
            return 0;
        }
        int rc = mc_flag(a, c, &p);
        if (rc)
            return rc;
    }
    if (!a->case_name) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    if ((a->particles != -1 && a->particles < 1) ||
        (a->realisations != -1 && (a->realisations < 1 || a->realisations > 1000000)) || a->threads < 1 ||
        a->threads > 64 || (!isnan(a->dt) && !(a->dt > 0))) {
        fprintf(stderr, "nlif mc: need --particles >= 1, 1 <= --realisations <= 1e6, 1 <= --threads <= 64, --dt > 0\n");
        return NLIF_EXIT_USAGE;
    }
    return 0;
}

/* The run's configuration: the case's [run], the command line's counts over it, the options (--opt);
 * over several processes, a 1D realisation too large for one of them is split (the automatic split). */
static void mc_configure(nlif_mc_config *cfg, const nlif_case *cs, const mc_args *a, const nlif_optset *o)
{
    nlif_mc_config_from_case(cfg, cs);
    if (a->particles > 0)
        cfg->particles = a->particles;
    if (a->realisations > 0)
        cfg->realisations = (int)a->realisations;
    if (!isnan(a->dt))
        cfg->dt = a->dt;
    if (a->have_seed)
        cfg->seed = a->seed;
    cfg->threads = (int)a->threads;
    cfg->particles_per_rank = a->per_rank;
    cfg->simd = a->simd;
    cfg->bridge = nlif_opt_bool(o, "bridge");
    cfg->jitter = nlif_opt_enum(o, "init_sampling") == 0;
    cfg->runaway_factor = nlif_opt_double(o, "runaway_factor");
    cfg->bin_width = nlif_opt_double(o, "bin_width");
    cfg->v_bins = (int)nlif_opt_int(o, "v_bins");
    cfg->rate_from = nlif_opt_double(o, "rate_from");
    cfg->comm = nlif_mc_world;
    long fit = nlif_limits_mc_particles_within(a->rank_mib);
    if (!a->per_rank && cfg->comm && cfg->comm->size > 1 && !cs->structure.enabled && cfg->particles > fit) {
        long g = (cfg->particles + fit - 1) / fit;
        cfg->particles_per_rank = (cfg->particles + g - 1) / g; /* the same g, balanced shares */
        if (cfg->comm->rank == 0)
            fprintf(stderr, "nlif mc: a realisation of %ld particles needs an estimated %.4g MiB, above --rank-memory "
                            "%g MiB: its particles are split over %ld processes (as --particles-per-rank %ld)\n",
                    cfg->particles, cfg->particles * NLIF_MC_BYTES_PER_PARTICLE / 1048576.0, a->rank_mib, g,
                    cfg->particles_per_rank);
    }
    cfg->progress = isatty(STDERR_FILENO) && !(cfg->comm && cfg->comm->rank != 0);
}

int nlif_cmd_mc(int argc, char **argv)
{
    mc_args a;
    int prc = mc_parse(argc, argv, &a);
    if (prc || a.helped)
        return prc;
    nlif_error err = {0};
    nlif_case cs;
    if (nlif_checks_load_case(&cs, a.case_name, a.sets, a.n_sets, &err))
        return nlif_cli_report("mc", &err);
    if (cs.manufactured.enabled) { /* particles have no right-hand side to add S to (MATHEMATICS.md 6b) */
        fprintf(stderr, "nlif mc: %s: a manufactured case: its solution needs the source S, a signed density "
                        "that a particle system cannot realise (allowed: a case without [manufactured])\n", cs.path);
        return NLIF_EXIT_USAGE;
    }
    nlif_optset o;
    if (nlif_optset_init(&o, mc_options, &err))
        return nlif_cli_report("mc", &err);
    if (a.no_bridge && nlif_optset_set(&o, "bridge", "false", &err))
        return nlif_cli_report("mc", &err);
    for (int k = 0; k < a.n_opts; k++)
        if (nlif_optset_assign(&o, a.opts[k], &err))
            return nlif_cli_report("mc", &err);
    nlif_mc_config cfg;
    mc_configure(&cfg, &cs, &a, &o);
    const char *lim_key;
    char lim_why[512];
    if (nlif_limits_check_mc(&cs, &cfg, &lim_key, lim_why, sizeof lim_why)) {
        fprintf(stderr, "nlif mc: %s (%s, with the command-line options): %s\n", cs.path, lim_key, lim_why);
        return NLIF_EXIT_USAGE;
    }
    nlif_mc_result r;
    if (nlif_mc_run(&cs, &cfg, &r, &err))
        return nlif_cli_report("mc", &err);
    if (cfg.comm && cfg.comm->rank != 0) { /* rank 0 has the result and writes it */
        nlif_mc_result_free(&r);
        return 0;
    }
    json_t *summary = summary_json(&cs, &cfg, &o, &r, cfg.threads);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", a.out);
    int rc = write_outputs(dir, &cs, &r, summary, &err);
    if (a.json && !rc) {
        json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        fputc('\n', stdout);
    } else if (!rc) {
        printf("%s: N_p = %ld, R = %d, dt = %g, bridge %s, convention %s: rate_final = %.6g +- %.2g, %d MFE "
               "index(es), %.1f s CPU (simd %s) -> %s/%s.json\n",
               cs.name, cfg.particles, cfg.realisations, cfg.dt, cfg.bridge ? "on" : "off",
               nlif_convention_name(cs.model.convention), r.rate_final_mean, r.rate_final_se, r.n_mfe_index,
               r.cpu_seconds, nlif_simd_name(r.simd), dir, cs.name);
    }
    int runaways = r.runaways;
    double t_run = r.runaway_t_first;
    json_decref(summary);
    nlif_mc_result_free(&r);
    if (rc)
        return nlif_cli_report("mc", &err);
    if (runaways) {
        fprintf(stderr, "nlif mc: %d realisation(s) stopped by a runaway convention-B cascade (first at t = %g); "
                        "results up to then are written\n", runaways, t_run);
        return NLIF_EXIT_NUMERIC;
    }
    return 0;
}
