/* fuzz_result.c — libFuzzer target for the reader of result files, the contract external solvers
 * write to (RESULTS.md): verify's loaders (nlif_vd_load_json, nlif_vd_load_series,
 * nlif_vd_profile_distance, nlif_vd_load_mc_mfe_times in harness/judge/verify_data.c), which read every
 * file through the one result-format module (io/nlif_resultfmt.h).
 *
 * Input: up to four files separated by lines "%%": the run summary (.json), the series
 * (.series.csv), the snapshots (.snapshots.csv) and a Monte Carlo MFE list (NAME_mfe.csv). Each is
 * written to a memory file and read by path, as verify reads them; every reader must refuse or read
 * without a crash or undefined behaviour. */
#define _GNU_SOURCE
#include "../../harness/judge/verify_data.h"
#include "nlif_fuzz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A memory file holding [p, p + n): its /proc/self/fd path in path. */
static int mem_file(const uint8_t *p, size_t n, char *path, size_t len)
{
    int fd = memfd_create("nlif_fuzz", 0);
    if (fd < 0)
        return -1;
    if (n && write(fd, p, n) != (ssize_t)n) {
        close(fd);
        return -1;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

int nlif_fuzz_result(const uint8_t *data, size_t size)
{
    const uint8_t *part[4] = {data, NULL, NULL, NULL};
    size_t plen[4] = {size, 0, 0, 0};
    int np = 1;
    for (size_t i = 0; i + 4 <= size && np < 4; i++)
        if (!memcmp(data + i, "\n%%\n", 4)) {
            plen[np - 1] = data + i + 1 - part[np - 1];
            part[np] = data + i + 4;
            plen[np] = size - (i + 4);
            np++;
            i += 3;
        }
    char path[4][64];
    int fd[4];
    for (int k = 0; k < np; k++)
        fd[k] = mem_file(part[k], plen[k], path[k], sizeof path[k]);
    for (int k = 0; k < np; k++)
        if (fd[k] < 0)
            goto done;
    json_t *j = nlif_vd_load_json(path[0]);
    if (j) {
        volatile double x = nlif_vd_num(j, "final_rate") + nlif_vd_num(j, "mass_drift") + nlif_vd_num(j, "t_end");
        (void)x;
        json_decref(j);
    }
    if (np > 1) {
        series s;
        if (nlif_vd_load_series(path[1], &s) == 0) {
            volatile double f = nlif_vd_fired_at(&s, 0.5 * (s.t[0] + s.t[s.n - 1])) + nlif_vd_fired_at(&s, -1);
            (void)f;
        }
        nlif_vd_free_series(&s);
    }
    if (np > 2) {
        volatile double d = nlif_vd_profile_distance(path[2], path[2]);
        (void)d;
    }
    if (np > 3) {
        double *t = NULL;
        int r = 0;
        if (nlif_vd_load_mc_mfe_times(path[3], 3, &t, &r) == 0)
            free(t);
    }
done:
    for (int k = 0; k < np; k++)
        if (fd[k] >= 0)
            close(fd[k]);
    return 0;
}

#ifdef NLIF_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return nlif_fuzz_result(data, size); }
#endif
