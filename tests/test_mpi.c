/* test_mpi.c — the Monte Carlo reference over MPI processes (MATHEMATICS.md §1.1, "Monte Carlo over
 * processes"): bin/nlif-mpi on 1, 2 and 3 processes (oversubscribed) and 1-2 threads writes the same
 * data rows as bin/nlif, on a cascade case and a calm case; a process killed mid-run ends the whole
 * job within seconds, non-zero, with no result file. The automatic split of a realisation
 * (--rank-memory) gives the same rows too; `nlif-mpi verify` on 2 processes writes the verdicts of
 * `nlif verify`, and a killed process ends it leaving none. Needs the MPI program ($NLIF_MPI_BIN, set by
 * make when mpicc exists); without it the MPI tests are skipped with a message.
 * Always run: the distribution logic of montecarlo.c itself, with an in-process communicator (K
 * threads standing for K processes), every array of the result compared bit for bit with one
 * process; and the serial program's --version.
 */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../reference/montecarlo.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *mpi_bin(void)
{
    const char *b = getenv("NLIF_MPI_BIN");
    return b && *b ? b : NULL;
}

#define OUT "build/tests/mpi_out"

/* The small runs: a cascade case (every realisation has an MFE) and a calm one with fewer
 * realisations than processes (a process without work). */
static const char *const runs[][2] = {
    {"single_mfe", "--particles 2000 --realisations 5 --set run.t_final=0.5 --set run.snapshots=0.1,0.5 --set run.mc_dt=1e-4"},
    {"sine_calm", "--particles 3000 --realisations 2 --set run.t_final=0.5 --set run.snapshots=0.25,0.5"},
};

static int run_serial(const char *cs, const char *args, const char *dir)
{
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s mc %s %s --out %s", dir, nlif_test_bin(), cs, args, dir);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc)
        fprintf(stderr, "\n  %s -> %d\n%s\n", cmd, rc, out);
    return rc;
}

static int run_mpi(int np, int threads, long per_rank, const char *cs, const char *args, const char *dir)
{
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd,
             "rm -rf %s && mpirun -np %d --oversubscribe --bind-to none %s mc %s %s --threads %d --particles-per-rank %ld "
             "--out %s",
             dir, np, mpi_bin(), cs, args, threads, per_rank > 0 ? per_rank : 1000000000L, dir);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc)
        fprintf(stderr, "\n  %s -> %d\n%s\n", cmd, rc, out);
    return rc;
}

/* Data rows of every CSV equal (the '#' provenance lines carry the date and the MPI library). */
static int same_csv(const char *a, const char *b)
{
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd,
             "n=0; for f in %s/*.csv; do g=%s/$(basename $f); [ -f \"$g\" ] || { echo missing $g; exit 1; }; "
             "grep -v '^#' $f > %s.x; grep -v '^#' $g > %s.y; cmp -s %s.x %s.y || { echo differs: $g; exit 1; }; "
             "n=$((n+1)); done; [ $n -ge 4 ] || { echo only $n files; exit 1; }; ls %s/*.csv | wc -l | "
             "grep -qx $n || { echo extra files; exit 1; }",
             a, b, b, b, b, b, b);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc)
        fprintf(stderr, "\n  %s vs %s: %s\n", a, b, out);
    return rc == 0;
}

/* The JSON summaries equal but for what honestly differs: timing, threads, ranks, provenance, and the
 * run id (unique per run, RESULTS.md). */
static int same_json(const char *a, const char *b, const char *cs)
{
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s.json", a, cs);
    snprintf(pb, sizeof pb, "%s/%s.json", b, cs);
    json_t *ja = json_load_file(pa, 0, NULL), *jb = json_load_file(pb, 0, NULL);
    int ok = ja && jb;
    if (ok) {
        static const char *drop[] = {"cpu_seconds", "wall_seconds", "threads", "ranks", "provenance", "run_id", NULL};
        for (int i = 0; drop[i]; i++) {
            json_object_del(ja, drop[i]);
            json_object_del(jb, drop[i]);
        }
        ok = json_equal(ja, jb) && json_object_get(ja, "rate_final_mean") && json_object_size(ja) > 10;
        if (!ok)
            fprintf(stderr, "\n  %s and %s differ\n", pa, pb);
    }
    json_decref(ja);
    json_decref(jb);
    return ok;
}

/* ---- an in-process communicator: K threads, sums into rank 0 through a barrier */
#define KMAX 4
typedef struct inproc_group {
    pthread_barrier_t bar;
    const void *mine[KMAX];
    size_t bytes[KMAX];
} inproc_group;
typedef struct inproc {
    pthread_barrier_t bar;
    int k;
    void *buf[KMAX];
    int ival[KMAX];
    inproc_group groups[KMAX];
} inproc;
typedef struct inproc_rank {
    nlif_mc_comm comm;
    nlif_particles_group grp;
    inproc_group *mygroup;
    inproc *g;
    const nlif_case *cs;
    nlif_mc_config cfg;
    nlif_mc_result res;
    int rc;
} inproc_rank;

static int ip_sum(void *ctx, void *buf, size_t n, int is_long)
{
    inproc_rank *me = ctx;
    inproc *g = me->g;
    g->buf[me->comm.rank] = buf;
    pthread_barrier_wait(&g->bar);
    if (me->comm.rank == 0)
        for (int r = 1; r < g->k; r++)
            for (size_t i = 0; i < n; i++) {
                if (is_long)
                    ((long *)buf)[i] += ((long *)g->buf[r])[i];
                else
                    ((double *)buf)[i] += ((double *)g->buf[r])[i];
            }
    pthread_barrier_wait(&g->bar);
    return 0;
}
static int ip_sum_long(void *ctx, long *buf, size_t n) { return ip_sum(ctx, buf, n, 1); }
static int ip_sum_double(void *ctx, double *buf, size_t n) { return ip_sum(ctx, buf, n, 0); }
static int ip_max_int(void *ctx, int *v)
{
    inproc_rank *me = ctx;
    inproc *g = me->g;
    g->ival[me->comm.rank] = *v;
    pthread_barrier_wait(&g->bar);
    int m = g->ival[0];
    for (int r = 1; r < g->k; r++)
        m = g->ival[r] > m ? g->ival[r] : m;
    pthread_barrier_wait(&g->bar);
    *v = m;
    return 0;
}
static void ip_allgather(void *ctx, const void *mine, size_t bytes, void *all, size_t cap, size_t *total)
{
    inproc_rank *me = ctx;
    inproc_group *gr = me->mygroup;
    gr->mine[me->grp.rank] = mine;
    gr->bytes[me->grp.rank] = bytes;
    pthread_barrier_wait(&gr->bar);
    size_t off = 0;
    for (int r = 0; r < me->grp.size; r++) {
        if (off + gr->bytes[r] > cap) {
            fprintf(stderr, "\n  in-process allgather: %zu bytes for a buffer of %zu\n", off + gr->bytes[r], cap);
            abort();
        }
        memcpy((char *)all + off, gr->mine[r], gr->bytes[r]);
        off += gr->bytes[r];
    }
    *total = off;
    pthread_barrier_wait(&gr->bar);
}
static const nlif_particles_group *ip_group(void *ctx, int g)
{
    inproc_rank *me = ctx;
    int r = me->comm.rank, k = me->comm.size;
    if (r / g >= k / g)
        return NULL;
    me->mygroup = &me->g->groups[r / g];
    me->grp = (nlif_particles_group){.rank = r % g, .size = g, .ctx = me, .allgather = ip_allgather};
    return &me->grp;
}
static void ip_abort(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "\n  in-process abort: %s\n", msg);
    abort();
}

static void *ip_run(void *arg)
{
    inproc_rank *me = arg;
    nlif_error err = {0};
    me->rc = nlif_mc_run(me->cs, &me->cfg, &me->res, &err);
    if (me->rc)
        fprintf(stderr, "\n  rank %d: %s\n", me->comm.rank, err.msg);
    return NULL;
}

#define SAME(a, b, n) (memcmp((a), (b), (size_t)(n) * sizeof *(a)) == 0)

static void inproc_case(const char *name, const char *const *sets, int n_sets, long np, int R, int split)
{
    nlif_case cs;
    if (!nlif_test_load(&cs, name, sets, n_sets))
        return;
    nlif_mc_config cfg;
    nlif_mc_config_from_case(&cfg, &cs);
    cfg.particles = np;
    cfg.realisations = R;
    nlif_mc_result one;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_mc_run(&cs, &cfg, &one, &err), NLIF_OK);
    for (int k = 1; k <= KMAX; k++) {
        if (split > k)
            continue;
        inproc g = {.k = k};
        inproc_rank rk[KMAX];
        pthread_t tid[KMAX];
        pthread_barrier_init(&g.bar, NULL, (unsigned)k);
        for (int q = 0; split > 1 && q < k / split; q++)
            pthread_barrier_init(&g.groups[q].bar, NULL, (unsigned)split);
        for (int r = 0; r < k; r++) {
            rk[r] = (inproc_rank){.comm = {.rank = r, .size = k, .sum_long = ip_sum_long, .sum_double = ip_sum_double,
                                           .max_int = ip_max_int, .group = ip_group, .abort = ip_abort,
                                           .name = "in-process"},
                                  .g = &g, .cs = &cs, .cfg = cfg};
            rk[r].comm.ctx = &rk[r];
            rk[r].cfg.comm = &rk[r].comm;
            rk[r].cfg.threads = 1 + (r + k) % 2;
            if (split > 1) /* ⌈np / ppr⌉ = split */
                rk[r].cfg.particles_per_rank = (np + split - 1) / split;
            pthread_create(&tid[r], NULL, ip_run, &rk[r]);
        }
        for (int r = 0; r < k; r++)
            pthread_join(tid[r], NULL);
        pthread_barrier_destroy(&g.bar);
        for (int q = 0; split > 1 && q < k / split; q++)
            pthread_barrier_destroy(&g.groups[q].bar);
        const nlif_mc_result *m = &rk[0].res;
        for (int r = 0; r < k; r++)
            CU_ASSERT_EQUAL(rk[r].rc, NLIF_OK);
        if (rk[0].rc == NLIF_OK) {
            size_t nb = (size_t)one.nbins, ns = (size_t)one.n_snap;
            CU_ASSERT(m->nbins == one.nbins && m->n_snap == one.n_snap && m->n_mfe_index == one.n_mfe_index);
            CU_ASSERT(SAME(m->t_mid, one.t_mid, nb) && SAME(m->rate_mean, one.rate_mean, nb) &&
                      SAME(m->rate_se, one.rate_se, nb) && SAME(m->cum_mean, one.cum_mean, nb) &&
                      SAME(m->cum_se, one.cum_se, nb));
            CU_ASSERT(SAME(m->l1_loo, one.l1_loo, R) && SAME(&m->l1_loo_mean, &one.l1_loo_mean, 1));
            CU_ASSERT(SAME(&m->rate_final_mean, &one.rate_final_mean, 1) &&
                      SAME(&m->rate_final_se, &one.rate_final_se, 1));
            CU_ASSERT(SAME(m->mfe_count, one.mfe_count, R) &&
                      SAME(m->mfe_t, one.mfe_t, (size_t)R * (size_t)one.mfe_capacity) &&
                      SAME(m->mfe_size, one.mfe_size, (size_t)R * (size_t)one.mfe_capacity));
            CU_ASSERT(m->n_mfe_index != one.n_mfe_index || SAME(m->mfe, one.mfe, one.n_mfe_index));
            CU_ASSERT(SAME(m->snap_taken, one.snap_taken, NLIF_MAX_SNAPSHOTS) &&
                      SAME(m->v_density, one.v_density, ns * (size_t)one.v_bins) &&
                      SAME(m->v_cdf, one.v_cdf, ns * (size_t)(one.v_bins + 1)) &&
                      SAME(m->v_below, one.v_below, ns) && SAME(m->v_above, one.v_above, ns));
            CU_ASSERT(m->w_bins == one.w_bins &&
                      (!one.w_bins || SAME(m->w_density, one.w_density, ns * (size_t)one.w_bins)));
            CU_ASSERT(m->runaways == one.runaways && m->full_passes == one.full_passes &&
                      SAME(&m->max_spikes_step_fraction, &one.max_spikes_step_fraction, 1));
        }
        for (int r = 0; r < k; r++)
            nlif_mc_result_free(&rk[r].res);
    }
    nlif_mc_result_free(&one);
}

/* montecarlo.c over 1-4 stand-in processes (threads 1 or 2 each): the same bits as one process, on
 * a cascade case, a kicked case (MFE at the kick time) and a structured network (weight histograms);
 * R = 3 < 4 leaves a process without work. */
static void test_inproc_same_bits(void)
{
    const char *mfe[] = {"run.t_final=0.3", "run.snapshots=0.1,0.3", "run.mc_dt=1e-4"};
    inproc_case("single_mfe", mfe, 3, 1500, 5, 1);
    const char *kick[] = {"run.t_final=1.1", "run.snapshots=0.5,1.1", "run.mfe_level=0.01", "run.mc_dt=1e-4"};
    inproc_case("kick_input", kick, 4, 1500, 3, 1);
    const char *st[] = {"run.t_final=0.05", "run.snapshots=0.05"};
    inproc_case("structured_excitatory", st, 2, 800, 3, 1);
}

/* The particles of each realisation split over 2 or 3 stand-in processes (groups; with 3 of 4 one
 * process idles): the same bits as one process, on the cascade case (a cascade of the whole network:
 * full passes), the kick, a calm case, and convention B (refires, a runaway). */
static void test_inproc_split(void)
{
    const char *mfe[] = {"run.t_final=0.3", "run.snapshots=0.1,0.3", "run.mc_dt=1e-4"};
    inproc_case("single_mfe", mfe, 3, 3000, 3, 2);
    inproc_case("single_mfe", mfe, 3, 3000, 3, 3);
    const char *kick[] = {"run.t_final=1.1", "run.snapshots=0.5,1.1", "run.mfe_level=0.01", "run.mc_dt=1e-4"};
    inproc_case("kick_input", kick, 4, 2000, 2, 2);
    const char *calm[] = {"run.t_final=0.3", "run.snapshots=0.3"};
    inproc_case("sine_calm", calm, 2, 5000, 2, 3);
    const char *b[] = {"run.t_final=0.1", "run.snapshots=0.02,0.1", "model.convention=B"};
    inproc_case("periodic_mfe_b2", b, 3, 3000, 2, 2);
}

static void test_version(void)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s --version", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "MPI: no"));
    if (!mpi_bin())
        return;
    snprintf(cmd, sizeof cmd, "mpirun -np 2 --oversubscribe --bind-to none %s --version", mpi_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "MPI: yes (Open MPI"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "2 processes"));
}

static void test_same_bits(void)
{
    /* processes, threads, particles per process (0: no split; N_p is 2000 and 3000 below) */
    static const int np_threads[][3] = {{1, 1, 0}, {2, 2, 0}, {3, 1, 0}, {2, 1, 1500}, {3, 2, 1000}};
    for (size_t c = 0; c < sizeof runs / sizeof runs[0]; c++) {
        char ser[256];
        snprintf(ser, sizeof ser, OUT "/%s_serial", runs[c][0]);
        CU_ASSERT_EQUAL_FATAL(run_serial(runs[c][0], runs[c][1], ser), 0);
        for (size_t k = 0; k < sizeof np_threads / sizeof np_threads[0]; k++) {
            char dir[256];
            snprintf(dir, sizeof dir, OUT "/%s_np%d_t%d_p%d", runs[c][0], np_threads[k][0], np_threads[k][1],
                     np_threads[k][2]);
            CU_ASSERT_EQUAL(run_mpi(np_threads[k][0], np_threads[k][1], np_threads[k][2], runs[c][0], runs[c][1], dir), 0);
            CU_ASSERT(same_csv(ser, dir));
            CU_ASSERT(same_json(ser, dir, runs[c][0]));
        }
    }
    /* the cascade case really cascades: its MFE file has one row per realisation */
    char out[4096];
    CU_ASSERT_EQUAL(nlif_test_sh("grep -vc '^#' " OUT "/single_mfe_serial/single_mfe_mfe.csv", out, sizeof out), 0);
    CU_ASSERT_EQUAL(atoi(out), 1 + 5);
}

/* Bad input fails on every process with exit 2; a command other than mc is refused on several. */
static void test_refusals(void)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "mpirun -np 2 --oversubscribe --bind-to none %s mc no_such_case", mpi_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    snprintf(cmd, sizeof cmd, "mpirun -np 2 --oversubscribe --bind-to none %s list", mpi_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "only 'mc' and 'verify' run on several processes"));
    /* more processes per realisation than there are */
    snprintf(cmd, sizeof cmd, "mpirun -np 2 --oversubscribe --bind-to none %s mc sine_calm --particles 3000 "
             "--particles-per-rank 1000", mpi_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "need 3 processes per realisation (have 2"));
}

/* bin/nlif cannot split a realisation: a clear refusal */
static void test_serial_refuses_split(void)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s mc sine_calm --particles 3000 --particles-per-rank 1000", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "need 3 processes per realisation (have 1"));
    snprintf(cmd, sizeof cmd, "%s mc sine_calm --particles-per-rank 0", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
}

/* Run tests/mpi_kill.sh in MODE ("" for mc, "verify") and assert how the job ended: every process
 * was seen running, mpirun exits non-zero, every process (ranks and their jobs) is gone within 5 s,
 * and nothing is left where a reader would look. */
static void kill_and_check(const char *what, const char *mode)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "sh tests/mpi_kill.sh %s " OUT "/%s %s", mpi_bin(), what, mode);
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    int started = -1, rc = -1, survivors = -1, files = -1;
    double seconds = -1;
    CU_ASSERT_EQUAL_FATAL(sscanf(out, "started=%d mpirun_rc=%d seconds=%lf survivors=%d files=%d", &started, &rc,
                                 &seconds, &survivors, &files), 5);
    fprintf(stderr, "\n  %s: %s", what, out);
    CU_ASSERT_EQUAL(started, 1);
    CU_ASSERT_NOT_EQUAL(rc, 0);
    CU_ASSERT(seconds >= 0 && seconds < 5);
    CU_ASSERT_EQUAL(survivors, 0);
    CU_ASSERT_EQUAL(files, 0);
}

/* SIGKILL of rank 1 mid-run: mpirun exits non-zero, every process is gone within 5 s, the others
 * say why, and no result file exists. */
static void test_kill(void)
{
    char out[4096];
    kill_and_check("kill", "");
    /* Every surviving process that notices the failure first says so; Open MPI's runtime may end a
     * survivor itself before it does (seen under load: one of the two messages, with the job ended as
     * above), so the test asks for at least one message, not two. */
    CU_ASSERT_EQUAL(nlif_test_sh("grep -c 'terminated (the job failed' " OUT "/kill.log", out, sizeof out), 0);
    CU_ASSERT(atoi(out) >= 1 && atoi(out) <= 2);
}

/* The automatic split (--rank-memory, no --particles-per-rank): 0.1 MiB holds 1638 particles by the
 * estimate of 64 bytes each, so a realisation of 2000 or 3000 is split over 2 processes in halves, saying so,
 * with the data rows of bin/nlif; on 3 processes 0.05 MiB (819 each) would need 4: refused; and the
 * default threshold leaves these small realisations whole. */
static void test_auto_split(void)
{
    char cmd[2048], out[4096];
    for (size_t c = 0; c < sizeof runs / sizeof runs[0]; c++) {
        char ser[256], dir[256];
        snprintf(ser, sizeof ser, OUT "/%s_serial_auto", runs[c][0]);
        snprintf(dir, sizeof dir, OUT "/%s_auto", runs[c][0]);
        CU_ASSERT_EQUAL_FATAL(run_serial(runs[c][0], runs[c][1], ser), 0);
        snprintf(cmd, sizeof cmd, "rm -rf %s && mpirun -np 2 --oversubscribe --bind-to none %s mc %s %s --rank-memory 0.1 "
                 "--out %s", dir, mpi_bin(), runs[c][0], runs[c][1], dir);
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(out, c ? "split over 2 processes (as --particles-per-rank 1500)"
                                             : "split over 2 processes (as --particles-per-rank 1000)"));
        CU_ASSERT(same_csv(ser, dir));
        CU_ASSERT(same_json(ser, dir, runs[c][0]));
    }
    snprintf(cmd, sizeof cmd, "mpirun -np 3 --oversubscribe --bind-to none %s mc %s %s --rank-memory 0.05 --out "
             OUT "/auto_refused", mpi_bin(), runs[1][0], runs[1][1]);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "need 4 processes per realisation (have 3"));
    snprintf(cmd, sizeof cmd, "mpirun -np 2 --oversubscribe --bind-to none %s mc %s %s --out " OUT "/auto_default",
             mpi_bin(), runs[1][0], runs[1][1]);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NULL(strstr(out, "split over"));
}

/* Members that differ between two runs of the same verification, at any depth: when, how long, and
 * the run ids (unique per run, RESULTS.md) with the content hashes of the judged files (which hold
 * them). */
static void strip_run(json_t *j)
{
    static const char *drop[] = {"provenance",   "wall_seconds", "cpu_seconds", "reference_cpu_seconds", "run_id",
                                 "hash",         "cell_seconds", "calibration_seconds", "cpu_repeats", NULL};
    if (json_is_object(j)) {
        for (int i = 0; drop[i]; i++)
            json_object_del(j, drop[i]);
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v)
            strip_run(v);
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
            strip_run(v);
    }
}

static json_t *verdicts(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/results/verify/verdicts.json", dir);
    json_t *j = json_load_file(path, 0, NULL);
    strip_run(j);
    return j;
}

/* `mpirun -np 2 bin/nlif-mpi verify` on three cases (sine_calm, sine_mfe, smooth_short: convergence
 * records too) gives the verdict file of `bin/nlif verify` (pass and n.a. cells among them), both
 * processes ran jobs, rank 0 alone printed the table, and the claims folder is gone. */
#define VERIFY_ARGS "verify --cases 's[im][no][eo]*' --schemes spap --seed 1"
static void test_verify(void)
{
    char cwd[1024], cmd[4096], out[8192];
    CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd, "rm -rf " OUT "/verify_1 && mkdir -p " OUT "/verify_1 && cd " OUT "/verify_1 && NLIF_ROOT=%s "
             "%s/%s " VERIFY_ARGS " -j 2 > log 2>&1; echo rc=$?", cwd, cwd, nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "rc=0"));
    snprintf(cmd, sizeof cmd, "rm -rf " OUT "/verify_2 && mkdir -p " OUT "/verify_2 && cd " OUT "/verify_2 && NLIF_ROOT=%s "
             "mpirun -np 2 --oversubscribe --bind-to none %s/%s " VERIFY_ARGS " > log 2>&1; echo rc=$?; "
             "grep -c '^verify: .* passed' log; grep 'jobs over 2 processes' log; ls -a results/verify | grep -c claims",
             cwd, cwd, mpi_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 1); /* the last grep: no claims folder */
    int rc = -1, tables = -1, a = -1, b = -1;
    const char *jobs = strstr(out, "jobs over 2 processes:");
    CU_ASSERT_EQUAL(sscanf(out, "rc=%d %d", &rc, &tables), 2);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(tables, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(jobs);
    CU_ASSERT_EQUAL(sscanf(jobs, "jobs over 2 processes: %d, %d", &a, &b), 2);
    CU_ASSERT(a > 0 && b > 0);
    json_t *one = verdicts(OUT "/verify_1"), *two = verdicts(OUT "/verify_2");
    CU_ASSERT_PTR_NOT_NULL(one);
    CU_ASSERT_PTR_NOT_NULL(two);
    if (one && two) {
        CU_ASSERT(json_equal(one, two));
        json_t *sum = json_object_get(one, "summary");
        CU_ASSERT(json_integer_value(json_object_get(sum, "pass")) > 10 && json_integer_value(json_object_get(sum, "na")) > 0);
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(one, "jobs")), a + b);
        CU_ASSERT(json_array_size(json_object_get(one, "convergence")) > 0);
    }
    json_decref(one);
    json_decref(two);
}

/* SIGKILL of rank 1 of a verify while its jobs run: mpirun exits non-zero, every process (ranks and
 * their jobs) is gone within 5 s, and no verdict file is written. */
static void test_verify_kill(void) { kill_and_check("verify_kill", "verify"); }

int main(void)
{
    /* CI runs as root; Open MPI refuses that without these. */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
    static const nlif_test_case with_mpi[] = {{"version", test_version},
                                              {"in-process processes: same bits", test_inproc_same_bits},
                                              {"in-process particle split: same bits", test_inproc_split},
                                              {"bin/nlif refuses a split", test_serial_refuses_split},
                                              {"same bits for 1-3 processes x 1-2 threads", test_same_bits},
                                              {"refusals on every process", test_refusals},
                                              {"a killed process ends the job", test_kill},
                                              {"the automatic split", test_auto_split},
                                              {"verify over 2 processes: the same verdicts", test_verify},
                                              {"a killed process ends a verify", test_verify_kill},
                                              {NULL, NULL}};
    static const nlif_test_case without[] = {{"version", test_version},
                                             {"in-process processes: same bits", test_inproc_same_bits},
                                             {"in-process particle split: same bits", test_inproc_split},
                                             {"bin/nlif refuses a split", test_serial_refuses_split},
                                             {NULL, NULL}};
    if (system("mkdir -p " OUT) != 0)
        return 2;
    if (!mpi_bin())
        fprintf(stderr, "test_mpi: no MPI program (NLIF_MPI_BIN unset: mpicc absent at build): MPI tests skipped\n");
    return nlif_test_main("mpi", mpi_bin() ? with_mpi : without);
}
