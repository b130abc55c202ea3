/* main_mpi.c — bin/nlif-mpi: the nlif program with the Monte Carlo reference spread over MPI
 * processes (MATHEMATICS.md §1.1, "Monte Carlo over processes"). The only file of nlif that calls MPI;
 * built with mpicc -DNLIF_MPI when an MPI compiler is present (Makefile), never part of libnlif.a, so
 * bin/nlif has no MPI symbol and both programs run the same compiled particle code.
 *
 * It installs an nlif_mc_comm over MPI_COMM_WORLD (element-wise sums into rank 0, agreed status)
 * and an nlif_jobs_comm (the same sums, and a barrier that sleeps instead of spinning), then runs the
 * usual command line. `mc` and `verify` are distributed (verify: each process runs a share of the
 * jobs as child processes, which run this program without MPI; rank 0 judges, harness/runs/nlif_jobs.h);
 * with more than one process any other command is refused (every process would write the same
 * files). Every process exits with the largest exit code of all (rank 0 writes; a write failure
 * there fails every process).
 *
 * A process that dies (signal, crash) is not survivable: Open MPI's runtime (mpirun) notices the
 * abnormal exit and ends the other processes of the job with SIGTERM, on which they print a message
 * and exit 3 (on_term below); mpirun exits non-zero (137 when a process was SIGKILLed). Rank 0 writes
 * its files only after the last reduction, each to a temporary name renamed into place, so a run
 * killed earlier leaves no result file. MPI errors themselves abort the job (MPI_ERRORS_ARE_FATAL).
 */
#ifndef NLIF_MPI
#error "cli/main_mpi.c is the MPI program: build it with mpicc -DNLIF_MPI (make does when mpicc exists)"
#endif

#include "nlif_cli.h"
#include "../harness/runs/nlif_jobs.h"
#include "../reference/montecarlo.h"

#include <limits.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* MPI counts are int: large buffers go in pieces. */
#define CHUNK (1 << 26)

static int reduce_sum(void *buf, size_t n, MPI_Datatype type, size_t elem)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    char *p = buf;
    while (n > 0) {
        int c = n > CHUNK ? CHUNK : (int)n;
        int rc = MPI_Reduce(rank == 0 ? MPI_IN_PLACE : p, p, c, type, MPI_SUM, 0, MPI_COMM_WORLD);
        if (rc != MPI_SUCCESS)
            return NLIF_EIO;
        p += (size_t)c * elem;
        n -= (size_t)c;
    }
    return 0;
}

static int sum_long(void *ctx, long *buf, size_t n)
{
    (void)ctx;
    return reduce_sum(buf, n, MPI_LONG, sizeof *buf);
}

static int sum_double(void *ctx, double *buf, size_t n)
{
    (void)ctx;
    return reduce_sum(buf, n, MPI_DOUBLE, sizeof *buf);
}

static int max_int(void *ctx, int *value)
{
    (void)ctx;
    return MPI_Allreduce(MPI_IN_PLACE, value, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : NLIF_EIO;
}

/* ---- the processes sharing one realisation's particles */
typedef struct group_ctx {
    MPI_Comm comm;
    int size;
    int *counts, *displs;
    /* what the exchanges cost this process (printed at the end: MATHEMATICS.md §1.1's cost model) */
    long exchanges;   /* list exchanges: one allgather of the sizes and one of the entries each */
    double bytes;     /* entries this process sent */
    double seconds;   /* wall time inside the two allgathers, waiting for the group included */
} group_ctx;

static group_ctx gc;

static void fatal(const char *msg)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    fprintf(stderr, "nlif-mpi: rank %d: %s; ending the job\n", rank, msg);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, NLIF_EXIT_NUMERIC);
}

/* The cascade lists of every process of the group, in rank order: the sizes, then the bytes. */
static void group_allgather(void *ctx, const void *mine, size_t bytes, void *all, size_t cap, size_t *total)
{
    group_ctx *g = ctx;
    int size;
    MPI_Comm_size(g->comm, &size);
    if (bytes > INT_MAX)
        fatal("a cascade list over 2 GB cannot be exchanged");
    int b = (int)bytes;
    double t0 = MPI_Wtime();
    MPI_Allgather(&b, 1, MPI_INT, g->counts, 1, MPI_INT, g->comm);
    size_t sum = 0;
    for (int r = 0; r < size; r++) {
        if (sum > INT_MAX)
            fatal("the cascade lists exceed 2 GB");
        g->displs[r] = (int)sum;
        sum += (size_t)g->counts[r];
    }
    if (sum > cap || sum > INT_MAX)
        fatal("the cascade lists exceed their buffer");
    MPI_Allgatherv(mine, b, MPI_BYTE, all, g->counts, g->displs, MPI_BYTE, g->comm);
    g->seconds += MPI_Wtime() - t0;
    g->exchanges++;
    g->bytes += b;
    *total = sum;
}

static const nlif_particles_group *make_group(void *ctx, int g)
{
    (void)ctx;
    static nlif_particles_group grp;
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int color = rank / g < size / g ? rank / g : MPI_UNDEFINED;
    MPI_Comm_split(MPI_COMM_WORLD, color, rank, &gc.comm);
    if (color == MPI_UNDEFINED)
        return NULL;
    gc.size = g;
    gc.counts = malloc((size_t)g * sizeof *gc.counts);
    gc.displs = malloc((size_t)g * sizeof *gc.displs);
    if (!gc.counts || !gc.displs)
        fatal("out of memory");
    grp = (nlif_particles_group){.rank = rank % g, .size = g, .ctx = &gc, .allgather = group_allgather};
    return &grp;
}

/* Wait for every process, sleeping between tests: a process done with its share of verify's jobs
 * must not spin on a processor that the others' jobs need (Open MPI's blocking calls poll). */
static int wait_all(void *ctx)
{
    (void)ctx;
    MPI_Request rq;
    if (MPI_Ibarrier(MPI_COMM_WORLD, &rq) != MPI_SUCCESS)
        return NLIF_EIO;
    int done = 0;
    while (!done) {
        if (MPI_Test(&rq, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS)
            return NLIF_EIO;
        if (!done)
            nanosleep(&(struct timespec){0, 20000000}, NULL); /* 20 ms */
    }
    return 0;
}

static void abort_job(void *ctx, const char *msg)
{
    (void)ctx;
    fatal(msg);
}

/* mpirun ends the surviving processes of a failed job with SIGTERM (then SIGKILL): say so, exit 3. */
static char term_msg[160];
static size_t term_len;

static void on_term(int sig)
{
    (void)sig;
    ssize_t w = write(STDERR_FILENO, term_msg, term_len);
    (void)w;
    _exit(NLIF_EXIT_NUMERIC);
}

/* The processes that `verify` starts for its jobs run this program too: they are not part of the
 * MPI job (they would join it as unexpected processes), so the variable below, set after MPI_Init for
 * the children to inherit, makes them plain bin/nlif. */
#define CHILD_ENV "NLIF_MPI_JOB_CHILD"

int main(int argc, char **argv)
{
    if (getenv(CHILD_ENV))
        return nlif_main(argc, argv);
    int provided;
    /* The pthreads of the particle pass never call MPI: FUNNELED is enough. */
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "nlif-mpi: MPI_Init_thread failed\n");
        return NLIF_EXIT_NUMERIC;
    }
    static char name[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(name, &len);
    name[strcspn(name, ",\n")] = '\0'; /* "Open MPI v4.1.4" */
    static nlif_mc_comm comm = {.sum_long = sum_long, .sum_double = sum_double, .max_int = max_int,
                                .group = make_group, .abort = abort_job};
    MPI_Comm_rank(MPI_COMM_WORLD, &comm.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &comm.size);
    comm.name = name;
    nlif_mc_world = &comm;
    static nlif_jobs_comm jobs = {.max_int = max_int, .sum_long = sum_long, .sum_double = sum_double,
                                  .wait_all = wait_all};
    jobs.rank = comm.rank;
    jobs.size = comm.size;
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, comm.rank, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &jobs.local_size);
    MPI_Comm_free(&node);
    nlif_jobs_world = &jobs;
    setenv(CHILD_ENV, "1", 1);
    snprintf(term_msg, sizeof term_msg, "nlif-mpi: rank %d of %d: terminated (the job failed: a process died or "
             "aborted); no result written\n", comm.rank, comm.size);
    term_len = strlen(term_msg);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    int rc;
    const char *cmd = argc > 1 ? argv[1] : "";
    if (comm.size > 1 && strcmp(cmd, "mc") != 0 && strcmp(cmd, "verify") != 0 && strcmp(cmd, "--version") != 0) {
        if (comm.rank == 0)
            fprintf(stderr, "nlif-mpi: only 'mc' and 'verify' run on several processes (got '%s' on %d); run the "
                            "other commands with bin/nlif or one process\n", cmd, comm.size);
        rc = NLIF_EXIT_USAGE;
    } else if (comm.size > 1 && comm.rank != 0 && strcmp(cmd, "--version") == 0) {
        rc = NLIF_EXIT_OK; /* one answer is enough */
    } else {
        rc = nlif_main(argc, argv);
    }
    if (gc.exchanges > 0 && comm.rank == 0)
        fprintf(stderr, "nlif-mpi: rank 0, its realisations split over %d processes: %ld exchanges of the cascade "
                        "lists (2 allgathers each), %.0f bytes of entries sent, %.3f s in them\n",
                gc.size, gc.exchanges, gc.bytes, gc.seconds);
    fflush(stdout);
    fflush(stderr);
    wait_all(NULL); /* (rank 0 may still be judging verify's jobs) */
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    /* The run is over (results written or refused): a non-zero exit makes mpirun end the others,
     * which must not claim that nothing was written. */
    signal(SIGTERM, SIG_DFL);
    MPI_Finalize();
    return rc;
}
