/* exact_pending.c — placeholders until reference/stationary.c etc. land (removed by then). */
#include "nlif_exact.h"

#include <math.h>

double nlif_inverse_rate(double a, double v_f, double v_r, double mu) { (void)a; (void)v_f; (void)v_r; (void)mu; return NAN; }
double nlif_uncoupled_rate(double a, double v_f, double v_r, double mu) { (void)a; (void)v_f; (void)v_r; (void)mu; return NAN; }
int nlif_stationary_rates(const nlif_model *m, double input, double *roots, int max_roots, int *n_roots, nlif_error *err)
{ (void)m; (void)input; (void)roots; (void)max_roots; *n_roots = 0; return nlif_fail(err, NLIF_ENUMERIC, "not implemented"); }
double nlif_stationary_profile(const nlif_model *m, double input, double rate, double v) { (void)m; (void)input; (void)rate; (void)v; return NAN; }
