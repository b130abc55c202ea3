/* extfv.h — an external solver of the 1D NNLIF equation written against nlif's published protocol
 * only (SOLVERS.md, RESULTS.md, MATHEMATICS.md §1 and §1.3), with none of nlif's code: the problem,
 * the scheme's state and the result it writes, and the deliberate defects ("external mutants") that
 * the option `defect` switches on (README.md here lists them and what should catch each). */
#ifndef EXTFV_H
#define EXTFV_H

#include <jansson.h>

#define XF_MAX_SNAPS 64

/* The defects, in the order of README.md's table; XF_NONE is the correct solver. */
enum xf_defect {
    XF_NONE,
    XF_MASS_LEAK,
    XF_CLIP_NEGATIVE,
    XF_SUMMARY_LIE,
    XF_ALIAS_SNAPSHOTS,
    XF_A0_AS_SIGMA,
    XF_RESET_AT_ONE,
    XF_RATE_BIAS_1PCT,
    XF_RATE_LAG,
    XF_SNAPSHOT_SHIFT,
    XF_RATE_NOISE,
    XF_DROP_COUPLING,
    XF_COPY_REFERENCE,
    XF_NO_TIME_STEP,
    XF_LIE_HIDES_BIAS,
    XF_STALE_BLOWUP,
    XF_SOURCE_DROPPED,
    XF_N_DEFECTS
};
extern const char *const xf_defect_names[XF_N_DEFECTS];

enum xf_input { XF_IN_NONE, XF_IN_CONSTANT, XF_IN_SINE, XF_IN_PULSE, XF_IN_KICK };

/* The problem as read and validated at the edge (extfv.c). */
typedef struct {
    const char *path;                        /* the problem file, for messages */
    json_t *doc;                             /* the whole problem (options copied into the summary) */
    const char *case_name, *stem, *out_dir, *scheme, *description;
    double a0, a1, b, v_f, v_r, v_min;
    int convention_b, structured, n_atoms;
    enum xf_input input;
    double i0, amplitude, omega, phase, t0, t1, kick;
    double dv, dt, t_final;
    int nv, i_r;
    const double *nodes;                     /* nv nodes */
    double *initial;                         /* nv values: the projection's unknowns (u_0 at V_min) */
    double *node_store;
    double snaps[XF_MAX_SNAPS];              /* sorted, distinct, ≤ t_final */
    int n_snaps;
    long long seed;
    enum xf_defect defect;
    int manufactured;                        /* initial.type manufactured: add the source of §6b */
    double mms_slope, mms_amplitude, mms_omega, mms_phase;
    double delay, delay_history;             /* MATHEMATICS.md §1.4: the drift reads b N(t − d), N_h before 0 */
    double tau_ref, refractory0;             /* §1.5: τ_R (0: none) and R(0) */
} xf_problem;

/* One run's record: what the result set holds. */
typedef struct {
    double *t, *rate, *fired, *mass, *minp;  /* the series (mass: ∫p + R) */
    double *refr;                            /* the column R (a problem with tau_ref > 0) */
    long n_rows, cap_rows;
    double *mem_rows;                        /* the one allocation of the five columns */
    double snap_t[XF_MAX_SNAPS + 1];
    double *snap_p[XF_MAX_SNAPS + 1];        /* nv densities each (2u_0 at V_min, 0 at V_F) */
    int n_snap_out;
    const char *status, *cause;              /* "ok", "blowup", "failed"; cause or NULL */
    char cause_buf[256];
    double t_end, stop_time;
    double mass_drift, min_density, max_density, final_rate;
    long steps;
    double cpu_seconds;
} xf_record;

/* The march of the scheme (extfv_scheme.c): fills rec; returns 0, or -1 out of memory. */
int xf_solve(const xf_problem *pb, xf_record *rec);
/* Append one series row (R: the refractory mass, 0 without one); -1 out of memory. */
int xf_record_row(xf_record *rec, double t, double rate, double fired, double mass, double minp, double R);
/* Append one snapshot (copies nv values); -1 out of memory or beyond the limit. */
int xf_record_snapshot(xf_record *rec, int nv, double t, const double *p);
void xf_record_free(xf_record *rec);
/* Mean of N over the last tenth of the series (RESULTS.md, final_rate). */
double xf_final_rate(const xf_record *rec);

/* The manufactured source (extfv_source.c): out[i] = the integral of S(·, t) over node i's control
 * volume (i = 0..n−1; r the node of V_R), and the exact rate N_m(t). */
void xf_mms_cell_sources(const xf_problem *pb, int n, int r, double t, double *out);
double xf_mms_rate(const xf_problem *pb, double t);

/* The defects that act on what is written, not on the scheme (extfv_defects.c). */
int xf_defect_output(const xf_problem *pb, xf_record *rec);

/* Write the result set (extfv_write.c): the two CSV files and the summary last, each under a
 * temporary name then renamed. Returns 0, or -1 with a message on stderr. */
int xf_write(const xf_problem *pb, const xf_record *rec, const char *title, const char *reconstructs);

#endif
