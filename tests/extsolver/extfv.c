/* extfv.c — the program extfv: reads the problem JSON nlif writes (SOLVERS.md, "The problem"),
 * validates it at the edge, runs the scheme (extfv_scheme.c), applies the output-side defects when the
 * option `defect` asks for one (extfv_defects.c) and writes the result set of RESULTS.md
 * (extfv_write.c). Independent of nlif: libc, libm and jansson only.
 *
 * Usage: extfv PROBLEM.json — exit 0 when a result set was written (whatever its status), 2 when the
 * problem file itself is unusable (FILE: what is wrong), 3 when the result set cannot be written. */
#include "extfv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const xf_defect_names[XF_N_DEFECTS] = {
    "none",          "mass_leak",     "clip_negative", "summary_lie",    "alias_snapshots",
    "a0_as_sigma",   "reset_at_one",  "rate_bias_1pct", "rate_lag",      "snapshot_shift",
    "rate_noise",    "drop_coupling", "copy_reference", "no_time_step", "lie_hides_bias", "stale_blowup",
    "source_dropped",
};

static const char TITLE[] = "vertex-centred finite volumes, central fluxes, BDF2 (extfv, an outside author's solver)";
static const char RECONSTRUCTS[] =
    "no paper: a textbook scheme written from nlif's published protocol only (tests/extsolver)";

static char problem_error[512];

/* Record the first thing wrong with the problem; returns -1 for the caller to pass on. */
static int bad(const char *fmt, const char *what, const char *detail)
{
    if (!problem_error[0])
        snprintf(problem_error, sizeof problem_error, fmt, what, detail ? detail : "");
    return -1;
}

static int num(json_t *obj, const char *key, double *out)
{
    json_t *x = json_object_get(obj, key);
    if (!json_is_number(x))
        return bad("member %s must be a number%s", key, NULL);
    *out = json_number_value(x);
    if (!isfinite(*out))
        return bad("member %s is not finite%s", key, NULL);
    return 0;
}

static const char *str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (!s)
        bad("member %s must be a string%s", key, NULL);
    return s;
}

static int read_model_input(xf_problem *pb, json_t *doc)
{
    json_t *m = json_object_get(doc, "model"), *in = json_object_get(doc, "input");
    if (!json_is_object(m) || !json_is_object(in))
        return bad("members %s must be objects%s", "model and input", NULL);
    if (num(m, "a0", &pb->a0) || num(m, "a1", &pb->a1) || num(m, "b", &pb->b) || num(m, "v_f", &pb->v_f) ||
        num(m, "v_r", &pb->v_r) || num(m, "v_min", &pb->v_min))
        return -1;
    const char *conv = str(m, "convention"), *type = str(in, "type");
    if (!conv || !type)
        return -1;
    pb->convention_b = !strcmp(conv, "B");
    static const char *const inputs[] = {"none", "constant", "sine", "pulse", "kick"};
    int k = 0;
    while (k < 5 && strcmp(type, inputs[k]))
        k++;
    if (k == 5)
        return bad("input.type '%s'%s: allowed none, constant, sine, pulse, kick", type, NULL);
    pb->input = (enum xf_input)k;
    if (num(in, "i0", &pb->i0) || num(in, "amplitude", &pb->amplitude) || num(in, "omega", &pb->omega) ||
        num(in, "phase", &pb->phase) || num(in, "t0", &pb->t0) || num(in, "t1", &pb->t1) ||
        num(in, "kick", &pb->kick))
        return -1;
    /* the delay and the refractory period: always present in the problem (0: none) */
    if (num(m, "delay", &pb->delay) || num(m, "delay_history", &pb->delay_history) || num(m, "tau_ref", &pb->tau_ref))
        return -1;
    if (!(pb->delay >= 0 && pb->delay_history >= 0 && pb->tau_ref >= 0))
        return bad("model: need delay, delay_history, tau_ref >= 0%s%s", "", NULL);
    if (!(pb->a0 > 0 && pb->a1 >= 0 && pb->v_min < pb->v_r && pb->v_r < pb->v_f))
        return bad("model: need a0 > 0, a1 >= 0, v_min < v_r < v_f%s%s", "", NULL);
    return 0;
}

static int read_grid(xf_problem *pb, json_t *doc)
{
    json_t *g = json_object_get(doc, "grid"), *nodes = json_object_get(g, "nodes");
    json_t *ini = json_object_get(doc, "initial"), *dens = json_object_get(ini, "density");
    json_t *nv = json_object_get(g, "nv"), *ir = json_object_get(g, "i_r");
    if (!json_is_integer(nv) || !json_is_integer(ir) || num(g, "dv", &pb->dv))
        return bad("grid: %s must be integers and dv a number%s", "nv and i_r", NULL);
    pb->nv = (int)json_integer_value(nv);
    pb->i_r = (int)json_integer_value(ir);
    if (pb->nv < 4 || pb->nv > 10000000 || pb->i_r < 1 || pb->i_r >= pb->nv - 2 || !(pb->dv > 0))
        return bad("grid: need 4 <= nv <= 1e7, 1 <= i_r < nv - 2 and dv > 0%s%s", "", NULL);
    if (json_array_size(nodes) != (size_t)pb->nv || json_array_size(dens) != (size_t)pb->nv)
        return bad("grid.nodes and initial.density must hold nv numbers%s%s", "", NULL);
    pb->node_store = malloc(2 * (size_t)pb->nv * sizeof(double));
    if (!pb->node_store)
        return bad("out of memory for %s nodes%s", "the", NULL);
    pb->nodes = pb->node_store;
    pb->initial = pb->node_store + pb->nv;
    for (int i = 0; i < pb->nv; i++) {
        json_t *x = json_array_get(nodes, i), *p = json_array_get(dens, i);
        if (!json_is_number(x) || !json_is_number(p))
            return bad("grid.nodes and initial.density must be numbers%s%s", "", NULL);
        pb->node_store[i] = json_number_value(x);
        pb->initial[i] = json_number_value(p);
        if (!isfinite(pb->node_store[i]) || !isfinite(pb->initial[i]))
            return bad("grid.nodes and initial.density must be finite%s%s", "", NULL);
    }
    if (num(ini, "refractory", &pb->refractory0) || !(pb->refractory0 >= 0 && pb->refractory0 < 1))
        return bad("initial.refractory must be a number in [0, 1)%s%s", "", NULL);
    json_t *atoms = json_object_get(ini, "atoms");
    pb->n_atoms = (int)json_array_size(atoms);
    const char *type = json_string_value(json_object_get(ini, "type"));
    pb->manufactured = type && !strcmp(type, "manufactured");
    if (pb->manufactured) { /* MATHEMATICS.md §6b: the family and its three numbers */
        json_t *mf = json_object_get(ini, "manufactured");
        const char *family = json_string_value(json_object_get(mf, "family"));
        if (!family || strcmp(family, "kink_quadratic"))
            return bad("initial.manufactured.family '%s'%s: this solver knows kink_quadratic", family ? family : "", NULL);
        if (num(mf, "slope", &pb->mms_slope) || num(mf, "amplitude", &pb->mms_amplitude) ||
            num(mf, "omega", &pb->mms_omega))
            return -1;
        if (json_object_get(mf, "phase") && num(mf, "phase", &pb->mms_phase)) /* present when not 0 */
            return -1;
        if (!(pb->mms_slope > 0 && fabs(pb->mms_amplitude) < 1))
            return bad("initial.manufactured: need slope > 0 and |amplitude| < 1%s%s", "", NULL);
        if (pb->input == XF_IN_PULSE || pb->input == XF_IN_KICK)
            return bad("a manufactured problem with input %s%s: allowed none, constant, sine", "pulse or kick", NULL);
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int read_run(xf_problem *pb, json_t *doc)
{
    if (num(doc, "dt", &pb->dt) || num(doc, "t_final", &pb->t_final))
        return -1;
    if (!(pb->dt > 0 && pb->t_final > 0))
        return bad("dt and t_final must be > 0%s%s", "", NULL);
    json_t *s = json_object_get(doc, "snapshots"), *x;
    size_t k;
    if (!json_is_array(s) || json_array_size(s) > XF_MAX_SNAPS)
        return bad("snapshots must be an array of at most %s numbers%s", "64", NULL);
    pb->n_snaps = 0;
    json_array_foreach(s, k, x)
    {
        double t = json_number_value(x);
        if (!json_is_number(x) || !isfinite(t) || t < 0)
            return bad("snapshots must hold finite numbers >= 0%s%s", "", NULL);
        if (t <= pb->t_final * (1 + 1e-12))
            pb->snaps[pb->n_snaps++] = t;
    }
    qsort(pb->snaps, (size_t)pb->n_snaps, sizeof(double), cmp_double);
    int m = 0;
    for (int i = 0; i < pb->n_snaps; i++)
        if (m == 0 || pb->snaps[i] > pb->snaps[m - 1])
            pb->snaps[m++] = pb->snaps[i];
    pb->n_snaps = m;
    json_t *seed = json_object_get(doc, "seed");
    pb->seed = json_is_integer(seed) ? (long long)json_integer_value(seed) : 1;
    return 0;
}

static int read_options(xf_problem *pb, json_t *doc)
{
    json_t *opt = json_object_get(doc, "options");
    const char *d = json_string_value(json_object_get(opt, "defect"));
    pb->defect = XF_NONE;
    if (!d)
        return 0;
    for (int k = 0; k < XF_N_DEFECTS; k++)
        if (!strcmp(d, xf_defect_names[k])) {
            pb->defect = (enum xf_defect)k;
            return 0;
        }
    return bad("options.defect '%s'%s is not a defect of this program (README.md)", d, NULL);
}

static int read_problem(xf_problem *pb)
{
    json_error_t je;
    json_t *doc = json_load_file(pb->path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        char line[320];
        snprintf(line, sizeof line, "line %d: %s", je.line, je.text);
        return bad("%s%s", line, NULL);
    }
    pb->doc = doc;
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    if (!fmt || strcmp(fmt, "nlif-problem") || json_integer_value(json_object_get(doc, "format_version")) != 1)
        return bad("not an nlif problem of format version 1%s%s", "", NULL);
    json_t *out = json_object_get(doc, "output");
    pb->case_name = str(doc, "case");
    pb->out_dir = str(out, "dir");
    pb->stem = str(out, "stem");
    pb->description = json_string_value(json_object_get(doc, "description"));
    if (!pb->case_name || !pb->out_dir || !pb->stem)
        return -1;
    if (!*pb->stem || strchr(pb->stem, '/'))
        return bad("output.stem '%s'%s must be a plain file name", pb->stem, NULL);
    pb->structured = !json_is_null(json_object_get(doc, "structure"));
    /* nlif names the files CASE.SOLVER: the solver's name is what follows the case's. */
    size_t lc = strlen(pb->case_name);
    pb->scheme = !strncmp(pb->stem, pb->case_name, lc) && pb->stem[lc] == '.' ? pb->stem + lc + 1 : "extfv";
    return read_model_input(pb, doc) || read_grid(pb, doc) || read_run(pb, doc) || read_options(pb, doc) ? -1
                                                                                                        : 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fprintf(stderr, "usage: extfv PROBLEM.json  (nlif external-solver protocol v1; tests/extsolver/README.md)\n");
        return argc == 2 ? 0 : 2;
    }
    xf_problem pb = {.path = argv[1]};
    if (read_problem(&pb)) {
        fprintf(stderr, "%s: %s\n", argv[1], problem_error);
        free(pb.node_store);
        json_decref(pb.doc);
        return 2;
    }
    xf_record rec = {0};
    int rc = xf_solve(&pb, &rec);
    if (!rc) /* on stderr, which nlif keeps in the run's log: the solution's own figures, before any defect */
        fprintf(stderr, "extfv: %s, status %s at t = %.17g, %ld steps, min p %.6g, mass drift %.3g, defect %s\n",
                pb.case_name, rec.status, rec.t_end, rec.steps, rec.min_density, rec.mass_drift,
                xf_defect_names[pb.defect]);
    if (!rc)
        rc = xf_defect_output(&pb, &rec);
    if (!rc)
        rc = xf_write(&pb, &rec, TITLE, RECONSTRUCTS);
    else
        fprintf(stderr, "extfv: out of memory\n");
    xf_record_free(&rec);
    free(pb.node_store);
    json_decref(pb.doc);
    return rc ? 3 : 0;
}
