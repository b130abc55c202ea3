/* test_mpi.c — the Monte Carlo reference over MPI processes (MATHEMATICS.md §1.1, "Monte Carlo over
 * processes"): bin/nlif-mpi on 1, 2 and 3 processes (oversubscribed) and 1-2 threads writes the same
 * data rows as bin/nlif, on a cascade case and a calm case; a process killed mid-run ends the whole
 * job within seconds, non-zero, with no result file. Needs the MPI program ($NLIF_MPI_BIN, set by
 * make when mpicc exists); without it the MPI tests are skipped with a message, and only the serial
 * program's --version is checked.
 */
#include "nlif_test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *mpi_bin(void)
{
    const char *b = getenv("NLIF_MPI_BIN");
    return b && *b ? b : NULL;
}

#define OUT "build/tests/mpi_out"

/* The small runs: a cascade case (every realisation has an MFE) and a calm one with fewer
 * realisations than processes (a process without work). */
static const char *const runs[][2] = {
    {"single_mfe", "--particles 2000 --realisations 5 --set run.t_final=0.5 --set run.snapshots=0.1,0.5"},
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

static int run_mpi(int np, int threads, const char *cs, const char *args, const char *dir)
{
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mpirun -np %d --oversubscribe --bind-to none %s mc %s %s --threads %d --out %s",
             dir, np, mpi_bin(), cs, args, threads, dir);
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

/* The JSON summaries equal but for what honestly differs: timing, threads, ranks, provenance. */
static int same_json(const char *a, const char *b, const char *cs)
{
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s.json", a, cs);
    snprintf(pb, sizeof pb, "%s/%s.json", b, cs);
    json_t *ja = json_load_file(pa, 0, NULL), *jb = json_load_file(pb, 0, NULL);
    int ok = ja && jb;
    if (ok) {
        static const char *drop[] = {"cpu_seconds", "wall_seconds", "threads", "ranks", "provenance", NULL};
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
    static const int np_threads[][2] = {{1, 1}, {2, 2}, {3, 1}, {3, 2}};
    for (size_t c = 0; c < sizeof runs / sizeof runs[0]; c++) {
        char ser[256];
        snprintf(ser, sizeof ser, OUT "/%s_serial", runs[c][0]);
        CU_ASSERT_EQUAL_FATAL(run_serial(runs[c][0], runs[c][1], ser), 0);
        for (size_t k = 0; k < sizeof np_threads / sizeof np_threads[0]; k++) {
            char dir[256];
            snprintf(dir, sizeof dir, OUT "/%s_np%d_t%d", runs[c][0], np_threads[k][0], np_threads[k][1]);
            CU_ASSERT_EQUAL(run_mpi(np_threads[k][0], np_threads[k][1], runs[c][0], runs[c][1], dir), 0);
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
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "only 'mc' runs on several processes"));
}

/* SIGKILL of rank 1 mid-run: mpirun exits non-zero, every process is gone within 5 s, the others
 * say why, and no result file exists. */
static void test_kill(void)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "sh tests/mpi_kill.sh %s " OUT "/kill", mpi_bin());
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    int started = -1, rc = -1, survivors = -1, files = -1;
    double seconds = -1;
    CU_ASSERT_EQUAL_FATAL(sscanf(out, "started=%d mpirun_rc=%d seconds=%lf survivors=%d files=%d", &started, &rc,
                                 &seconds, &survivors, &files), 5);
    fprintf(stderr, "\n  kill: %s", out);
    CU_ASSERT_EQUAL(started, 1);
    CU_ASSERT_NOT_EQUAL(rc, 0);
    CU_ASSERT(seconds >= 0 && seconds < 5);
    CU_ASSERT_EQUAL(survivors, 0);
    CU_ASSERT_EQUAL(files, 0);
    CU_ASSERT_EQUAL(nlif_test_sh("grep -c 'terminated (the job failed' " OUT "/kill.log", out, sizeof out), 0);
    CU_ASSERT_EQUAL(atoi(out), 2);
}

int main(void)
{
    /* CI runs as root; Open MPI refuses that without these. */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
    static const nlif_test_case with_mpi[] = {{"version", test_version},
                                              {"same bits for 1-3 processes x 1-2 threads", test_same_bits},
                                              {"refusals on every process", test_refusals},
                                              {"a killed process ends the job", test_kill},
                                              {NULL, NULL}};
    static const nlif_test_case without[] = {{"version", test_version}, {NULL, NULL}};
    if (system("mkdir -p " OUT) != 0)
        return 2;
    if (!mpi_bin())
        fprintf(stderr, "test_mpi: no MPI program (NLIF_MPI_BIN unset: mpicc absent at build): MPI tests skipped\n");
    return nlif_test_main("mpi", mpi_bin() ? with_mpi : without);
}
