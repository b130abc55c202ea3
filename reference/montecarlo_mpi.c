/* montecarlo_mpi.c — bin/nlif-mpi: the nlif program with the Monte Carlo reference spread over MPI
 * processes (MATHEMATICS.md §1.1, "Monte Carlo over processes"). The only file of nlif that calls MPI;
 * built with mpicc -DNLIF_MPI when an MPI compiler is present (Makefile), never part of libnlif.a, so
 * bin/nlif has no MPI symbol and both programs run the same compiled particle code.
 *
 * It installs an nlif_mc_comm over MPI_COMM_WORLD (element-wise sums into rank 0, agreed status)
 * and runs the usual command line. Only `mc` is distributed; with more than one process any other
 * command is refused (every process would write the same files). Every process exits with the
 * largest exit code of all (rank 0 writes; a write failure there fails every process).
 *
 * A process that dies (signal, crash) is not survivable: Open MPI's runtime (mpirun) notices the
 * abnormal exit and ends the other processes of the job with SIGTERM, on which they print a message
 * and exit 3 (on_term below); mpirun exits non-zero (137 when a process was SIGKILLed). Rank 0 writes
 * its files only after the last reduction, each to a temporary name renamed into place, so a run
 * killed earlier leaves no result file. MPI errors themselves abort the job (MPI_ERRORS_ARE_FATAL).
 */
#ifndef NLIF_MPI
#error "montecarlo_mpi.c is the MPI program: build it with mpicc -DNLIF_MPI (make does when mpicc exists)"
#endif

#include "../harness/nlif_cli.h"
#include "montecarlo.h"

#include <limits.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    int *counts, *displs;
} group_ctx;

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
    *total = sum;
}

static const nlif_particles_group *make_group(void *ctx, int g)
{
    (void)ctx;
    static group_ctx gc;
    static nlif_particles_group grp;
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int color = rank / g < size / g ? rank / g : MPI_UNDEFINED;
    MPI_Comm_split(MPI_COMM_WORLD, color, rank, &gc.comm);
    if (color == MPI_UNDEFINED)
        return NULL;
    gc.counts = malloc((size_t)g * sizeof *gc.counts);
    gc.displs = malloc((size_t)g * sizeof *gc.displs);
    if (!gc.counts || !gc.displs)
        fatal("out of memory");
    grp = (nlif_particles_group){.rank = rank % g, .size = g, .ctx = &gc, .allgather = group_allgather};
    return &grp;
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

int main(int argc, char **argv)
{
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
    if (comm.size > 1 && strcmp(cmd, "mc") != 0 && strcmp(cmd, "--version") != 0) {
        if (comm.rank == 0)
            fprintf(stderr, "nlif-mpi: only 'mc' runs on several processes (got '%s' on %d); run the other "
                            "commands with bin/nlif or one process\n", cmd, comm.size);
        rc = NLIF_EXIT_USAGE;
    } else if (comm.size > 1 && comm.rank != 0 && strcmp(cmd, "--version") == 0) {
        rc = NLIF_EXIT_OK; /* one answer is enough */
    } else {
        rc = nlif_main(argc, argv);
    }
    fflush(stdout);
    fflush(stderr);
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    /* The run is over (results written or refused): a non-zero exit makes mpirun end the others,
     * which must not claim that nothing was written. */
    signal(SIGTERM, SIG_DFL);
    MPI_Finalize();
    return rc;
}
