/* montecarlo_impl.h — private to the Monte Carlo driver (reference/montecarlo*.c; the public interface
 * is montecarlo.h): the raw data of one realisation and the state the worker threads share.
 * montecarlo.c runs the realisations (threads, processes); montecarlo_reduce.c brings their raw data
 * to rank 0 (gather) and aggregates them in realisation order (reduce).
 */
#ifndef NLIF_MONTECARLO_IMPL_H
#define NLIF_MONTECARLO_IMPL_H

#include "montecarlo.h"
#include "../exact/nlif_density.h"

#include <pthread.h>

/* Per-realisation raw data, reduced after all threads have finished. */
typedef struct realisation {
    long *bin_spikes;    /* nbins */
    long final_spikes;
    int n_mfe;
    double *mfe_t, *mfe_size; /* views into the result arrays */
    long *v_hist;        /* n_snap × (v_bins + 2): [0] below V_min, [v_bins+1] at/above V_F */
    long *w_hist;        /* n_snap × w_bins */
    double snap_taken[NLIF_MAX_SNAPSHOTS];
    int runaway;
    double runaway_t;
    double max_cascade;
    long full_passes;
    int status;          /* nlif error code of the realisation */
    nlif_error err;
} realisation;

typedef struct shared {
    const nlif_case *cs;
    const nlif_mc_config *cfg;
    nlif_mc_result *res;
    realisation *rs;
    const nlif_density *vd, *wd;
    long steps;
    double rate_from;
    int particle_threads; /* threads of each realisation's particle pass */
    int rank, size;       /* this process runs realisations rank, rank + size, ... (with groups:
                             rank = the group's index, size = the number of groups) */
    int local;            /* how many that is */
    const nlif_particles_group *group; /* the processes sharing each realisation's particles, or NULL */
    pthread_mutex_t lock;
    int next, done;
} shared;

/* Bring every realisation's raw data to rank 0 (processes only); aggregate them into sh->res (rank 0
 * or one process). NLIF_OK or an error code with err filled. */
__attribute__((visibility("hidden"))) int nlif_mc_gather(shared *sh, nlif_error *err);
__attribute__((visibility("hidden"))) int nlif_mc_reduce(shared *sh, nlif_error *err);

#endif
