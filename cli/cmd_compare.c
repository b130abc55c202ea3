/* cmd_compare.c — `nlif compare OLD NEW`: what changed between two verifications, cell by cell
 * (case × scheme × check), for CI. OLD and NEW are each a verdict record (verdicts.json of `nlif
 * verify --out DIR`, or DIR itself), or result files (a folder of run summaries CASE.SCHEME.json, or
 * one summary), read by the one reader of each format (io/nlif_verdicts.h, io/nlif_resultfmt.h): the
 * cells of result files are the figures nlif recomputes from them (nlif_rf_run_figures) and the
 * transient points of the baselines (nlif_run_transient), their "verdict" the run's status.
 *
 * For each cell: a verdict that flipped, a cell that appeared or vanished, a figure that moved (beyond
 * --figure-rtol relative) with its change absolute, relative and in units of the cell's bound; for
 * each pair the CPU ratio (in calibration units when both runs record calibration_seconds, RESULTS.md)
 * against --fail-on-slowdown. A case whose content hash differs (verdicts.json "case_hashes"; a run's
 * "case_spec") is a case edit: its differences are reported as such, never as a solver regression.
 * The classification (README, "Comparing two verifications"): worse is a flip to FAIL, a pass or FAIL
 * turned n.a. or vanished, a status no longer ok, a figure moved towards its bound (or moved, bound
 * unknown) by more than --bound-frac of the bound, a slowdown beyond the threshold. */
#include "nlif_cli.h"

#include "../harness/verify/nlif_verify.h"
#include "../io/nlif_identity.h"
#include "../io/nlif_resultfmt.h"
#include "../io/nlif_verdicts.h"
#include "cmd_compare.h"

#include "../harness/judge/verify_data.h"

#include <dirent.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif compare OLD NEW [--fail-on-slowdown R] [--min-cpu S] [--figure-rtol R] [--bound-frac F]\n"
               "                    [--as NEW_SCHEME=OLD_SCHEME]... [--allow-vanished] [--markdown FILE] [--junit FILE]\n\n"
               "Compare two verifications cell by cell (case x scheme x check). OLD and NEW are each a verdict\n"
               "record (DIR/verdicts.json of nlif verify --out DIR, or DIR), or result files (a folder of run\n"
               "summaries CASE.SCHEME.json, or one summary: its figures recomputed from the data, its N(t) and\n"
               "p points, its status). Both of one kind. Reported: verdict flips (pass -> FAIL, FAIL -> pass,\n"
               "cells that appeared or vanished), figures that moved (absolute, relative, in units of the cell's\n"
               "bound), CPU ratios per pair (in calibration units when both runs record them), and case edits:\n"
               "a case whose content hash differs is reported as edited, not as a solver regression.\n\n"
               "  --fail-on-slowdown R  a pair whose CPU ratio NEW/OLD exceeds R is a regression (default: shown only)\n"
               "  --min-cpu S           pairs with less than S CPU seconds in OLD are shown, not judged (default 0.1)\n"
               "  --figure-rtol R       a figure moved when |NEW - OLD| > R max(|OLD|, |NEW|) (default 1e-9)\n"
               "  --bound-frac F        a move towards the bound counts as worse beyond F x |bound| (default 1e-3)\n"
               "  --as NEW=OLD          compare scheme NEW of NEW with scheme OLD of OLD (a renamed or patched solver)\n"
               "  --allow-vanished      a cell of OLD missing from NEW is shown, not a regression\n"
               "  --markdown FILE       the comparison as Markdown\n"
               "  --junit FILE          JUnit XML: one test case per compared cell and per pair's CPU\n\n"
               "Exit code: 0 nothing worse (differences may be listed), 1 a regression, 2 bad input.\n");
}

enum { OPT_SLOW = 256, OPT_MINCPU, OPT_RTOL, OPT_FRAC, OPT_AS, OPT_VANISHED, OPT_MD, OPT_JUNIT };

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {"fail-on-slowdown", required_argument, NULL, OPT_SLOW},
    {"min-cpu", required_argument, NULL, OPT_MINCPU},
    {"figure-rtol", required_argument, NULL, OPT_RTOL},
    {"bound-frac", required_argument, NULL, OPT_FRAC},
    {"as", required_argument, NULL, OPT_AS},
    {"allow-vanished", no_argument, NULL, OPT_VANISHED},
    {"markdown", required_argument, NULL, OPT_MD},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {NULL, 0, NULL, 0},
};

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ---- reading one side into {kind, cells, case_hashes, runs} ---- */

static void add_cell(json_t *cells, const char *cs, const char *scheme, const char *check, const char *verdict, double x)
{
    json_array_append_new(cells, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "case", cs, "scheme", scheme, "check", check,
                                           "verdict", verdict, "measured", nlif_json_number(x), "bound", ""));
}

/* The cells of one run's result set (its summary PATH), through the one reader. */
static int read_run(const char *path, json_t *side, nlif_error *err)
{
    nlif_rf_run r;
    if (nlif_rf_run_read(path, &r, err))
        return err->code;
    nlif_rf_figures f;
    /* the pair is the file's stem CASE.SCHEME (a verify folder holds CASE.accuracy_ref.json, a cvode
     * run, beside CASE.cvode.json); the summary's members for a stem without a dot */
    char stem[1024], *dot;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) > 5 ? strlen(base) - 5 : 0), base);
    const char *cs = str(r.summary, "case"), *sc = str(r.summary, "scheme");
    if ((dot = strchr(stem, '.')) && dot != stem && dot[1])
        *dot = '\0', cs = stem, sc = dot + 1;
    json_t *cells = json_object_get(side, "cells");
    if (nlif_rf_run_figures(&r, &f) == NLIF_OK) {
        add_cell(cells, cs, sc, "status", r.status, NAN);
        add_cell(cells, cs, sc, "final_rate", "", f.final_rate);
        add_cell(cells, cs, sc, "mass_drift", "", f.mass_drift);
        add_cell(cells, cs, sc, "min_density", "", f.min_density);
        add_cell(cells, cs, sc, "blowup_time", "", nlif_vd_num(r.summary, "blowup_time"));
        add_cell(cells, cs, sc, "mfe_count", "", (double)json_array_size(json_object_get(r.summary, "mfe")));
    } else
        add_cell(cells, cs, sc, "status", "empty series", NAN);
    double t[NLIF_TRANSIENT_N], n[NLIF_TRANSIENT_N], v[NLIF_TRANSIENT_N], p[NLIF_TRANSIENT_N];
    nlif_run_transient(&r, t, n, v, p);
    for (int k = 0; k < NLIF_TRANSIENT_N; k++) {
        char name[80];
        snprintf(name, sizeof name, "N(t=%.6g)", t[k]);
        add_cell(cells, cs, sc, name, "", n[k]);
        snprintf(name, sizeof name, "p(v=%.6g,t_end)", v[k]);
        add_cell(cells, cs, sc, name, "", p[k]);
    }
    char h[NLIF_HASH_TEXT];
    nlif_error e2 = {0};
    if (!nlif_case_spec_hash(json_object_get(r.summary, "case_spec"), NULL, h, &e2))
        json_object_set_new(json_object_get(side, "case_hashes"), cs, json_string(h));
    json_array_append_new(json_object_get(side, "runs"),
                          json_pack("{s:s, s:s, s:o, s:o}", "case", cs, "scheme", sc, "cpu_seconds",
                                    nlif_json_number(nlif_vd_num(r.summary, "cpu_seconds")), "calibration_seconds",
                                    nlif_json_number(nlif_vd_num(r.summary, "calibration_seconds"))));
    nlif_rf_run_free(&r);
    return NLIF_OK;
}

/* Every CASE.SCHEME.json of DIR (a stem with one dot: seeds, sweeps and studies have more). */
static int read_folder(const char *dir, json_t *side, nlif_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return nlif_fail(err, NLIF_EIO, "%s: cannot read the folder", dir);
    struct dirent *e;
    int rc = NLIF_OK, found = 0;
    while (!rc && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        const char *dot = strchr(e->d_name, '.');
        if (l < 8 || strcmp(e->d_name + l - 5, ".json") || !dot || dot == e->d_name || strchr(dot + 1, '.') != e->d_name + l - 5)
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        rc = read_run(path, side, err);
        found++;
    }
    closedir(d);
    if (!rc && !found)
        rc = nlif_fail(err, NLIF_EINVAL, "%s: no verdicts.json and no run summary CASE.SCHEME.json (RESULTS.md)", dir);
    return rc;
}

/* One side: a verdict record, a folder of result files or one run summary. NULL with err. */
static json_t *read_side(const char *arg, nlif_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", arg);
    if (is_dir(arg)) {
        snprintf(path, sizeof path, "%s/verdicts.json", arg);
        if (access(path, F_OK) != 0) {
            char runs[4200];
            snprintf(runs, sizeof runs, "%s/runs", arg);
            json_t *side = json_pack("{s:s, s:[], s:{}, s:[]}", "kind", "results", "cells", "case_hashes", "runs");
            if (read_folder(is_dir(runs) ? runs : arg, side, err)) {
                json_decref(side);
                return NULL;
            }
            return side;
        }
    }
    json_t *rec = nlif_verdicts_read(path, err);
    if (!rec)
        return NULL;
    if (json_is_array(json_object_get(rec, "cells"))) {
        json_object_set_new(rec, "kind", json_string("verdicts"));
        if (!json_object_get(rec, "case_hashes"))
            json_object_set_new(rec, "case_hashes", json_object());
        /* the pairs' CPU: "cpu" (a record written before it has none: no ratio) */
        if (json_is_array(json_object_get(rec, "cpu")))
            json_object_set(rec, "runs", json_object_get(rec, "cpu"));
        else
            json_object_set_new(rec, "runs", json_array());
        return rec;
    }
    int is_run = json_is_string(json_object_get(rec, "format")) && json_object_get(rec, "grid");
    json_decref(rec);
    if (!is_run) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: neither a verdict record (no \"cells\") nor a run summary (RESULTS.md)", path);
        return NULL;
    }
    json_t *side = json_pack("{s:s, s:[], s:{}, s:[]}", "kind", "results", "cells", "case_hashes", "runs");
    if (read_run(path, side, err)) {
        json_decref(side);
        return NULL;
    }
    return side;
}

/* ---- the command ---- */

/* --as NEW=OLD: the name a NEW scheme is compared under. */
static const char *renamed(const nlif_compare_opts *o, const char *scheme)
{
    for (int i = 0; i < o->n_as; i++)
        if (!strcmp(o->as_new[i], scheme))
            return o->as_old[i];
    return scheme;
}

static void rename_side(const nlif_compare_opts *o, json_t *side)
{
    const char *lists[] = {"cells", "runs"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(side, lists[l]), i, c)
        {
            const char *to = renamed(o, str(c, "scheme"));
            if (strcmp(to, str(c, "scheme")))
                json_object_set_new(c, "scheme", json_string(to));
        }
    }
}

static int parse(int argc, char **argv, nlif_compare_opts *o, const char **sides)
{
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, options, 0);
    int n = 0;
    for (int opt; (opt = nlif_cli_flags_next(&p)) != -1;) {
        if (opt != 'h' && opt != OPT_VANISHED && opt != NLIF_CLI_POSITIONAL && opt != NLIF_CLI_UNKNOWN && (!p.value || !p.value[0])) {
            fprintf(stderr, "nlif compare: %s needs a value\n", p.flag);
            return NLIF_EXIT_USAGE;
        }
        int rc = 0;
        switch (opt) {
        case 'h': usage(stdout); return -1;
        case OPT_SLOW: rc = nlif_cli_double("compare", "--fail-on-slowdown", p.value, &o->slowdown); break;
        case OPT_MINCPU: rc = nlif_cli_double("compare", "--min-cpu", p.value, &o->min_cpu); break;
        case OPT_RTOL: rc = nlif_cli_double("compare", "--figure-rtol", p.value, &o->rtol); break;
        case OPT_FRAC: rc = nlif_cli_double("compare", "--bound-frac", p.value, &o->bound_frac); break;
        case OPT_VANISHED: o->allow_vanished = 1; break;
        case OPT_MD: o->markdown = p.value; break;
        case OPT_JUNIT: o->junit = p.value; break;
        case OPT_AS: {
            const char *eq = strchr(p.value, '=');
            if (!eq || eq == p.value || !eq[1] || o->n_as == NLIF_COMPARE_MAX_AS || eq - p.value >= NLIF_NAME_MAX ||
                strlen(eq + 1) >= NLIF_NAME_MAX) {
                fprintf(stderr, "nlif compare: --as %s: want NEW_SCHEME=OLD_SCHEME (at most %d)\n", p.value, NLIF_COMPARE_MAX_AS);
                return NLIF_EXIT_USAGE;
            }
            snprintf(o->as_new[o->n_as], NLIF_NAME_MAX, "%.*s", (int)(eq - p.value), p.value);
            snprintf(o->as_old[o->n_as++], NLIF_NAME_MAX, "%s", eq + 1);
            break;
        }
        case NLIF_CLI_POSITIONAL:
            if (n < 2 && p.value[0] != '-') {
                sides[n++] = p.value;
                break;
            }
            /* fall through */
        default:
            fprintf(stderr, "nlif compare: unexpected argument '%s'\n", opt == NLIF_CLI_POSITIONAL ? p.value : p.flag);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    if (n != 2) {
        fprintf(stderr, "nlif compare: want OLD and NEW\n");
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    if (!(o->rtol >= 0) || !(o->bound_frac >= 0) || !(o->min_cpu >= 0) || (o->slowdown != 0 && !(o->slowdown > 1))) {
        fprintf(stderr, "nlif compare: --figure-rtol, --bound-frac, --min-cpu must be >= 0 and --fail-on-slowdown > 1\n");
        return NLIF_EXIT_USAGE;
    }
    return 0;
}

int nlif_cmd_compare(int argc, char **argv)
{
    nlif_compare_opts o = {.min_cpu = 0.1, .rtol = 1e-9, .bound_frac = 1e-3};
    const char *sides[2] = {NULL, NULL};
    int rc = parse(argc, argv, &o, sides);
    if (rc)
        return rc < 0 ? 0 : rc;
    json_t *rec[2] = {NULL, NULL};
    for (int s = 0; s < 2; s++) {
        nlif_error err = {0};
        rec[s] = read_side(sides[s], &err);
        if (!rec[s]) {
            json_decref(rec[0]);
            fprintf(stderr, "nlif compare: %s: %s\n", s ? "NEW" : "OLD", err.msg);
            return NLIF_EXIT_USAGE;
        }
    }
    if (strcmp(str(rec[0], "kind"), str(rec[1], "kind"))) {
        fprintf(stderr, "nlif compare: OLD is %s, NEW is %s: compare two verdict records or two sets of result files\n",
                !strcmp(str(rec[0], "kind"), "verdicts") ? "a verdict record" : "result files",
                !strcmp(str(rec[1], "kind"), "verdicts") ? "a verdict record" : "result files");
        json_decref(rec[0]), json_decref(rec[1]);
        return NLIF_EXIT_USAGE;
    }
    rename_side(&o, rec[1]);
    o.old_name = sides[0], o.new_name = sides[1];
    nlif_compare_result res;
    rc = nlif_compare_records(&o, rec[0], rec[1], &res);
    if (!rc)
        rc = nlif_compare_print(&o, &res);
    nlif_compare_result_free(&res);
    json_decref(rec[0]), json_decref(rec[1]);
    return rc;
}
