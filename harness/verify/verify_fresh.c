/* verify_fresh.c — the fresh instances of a verification (MATHEMATICS.md §6, "Fresh instances";
 * the drawing and the valid region: harness/case/nlif_fresh.h). At selection, K instances are drawn
 * around every selected case that allows them (seeded) and the instances --fresh-at gives are
 * checked against the valid region (outside: refused, exit 2); each is a case of its own, appended
 * to the selection, run and judged like any other. At planning their case files (no [expect]: no
 * reference value) and OUT/fresh.json (the seed and the drawn parameters) are written; `nlif judge`
 * rebuilds every instance from OUT/fresh.json and the catalogue, recomputing its reference and
 * bound, and checks that the seed draws what the file says it drew.
 */
#include "nlif_verify.h"

#include "../case/nlif_fresh.h"
#include "../checks/nlif_check.h"
#include "../judge/judge_state.h"
#include "../../io/nlif_results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* OUT made absolute (the children run elsewhere), for the instances' case files OUT/cases/NAME.ini. */
static void case_path(const nlif_verify *v, const char *name, char *path, size_t len)
{
    char cwd[1024] = "";
    if (v->out[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    snprintf(path, len, "%s%s%s/cases/%s.ini", cwd, cwd[0] ? "/" : "", v->out, name);
}

static json_t *params_json(const nlif_fresh_params *p)
{
    json_t *o = json_object();
    for (int i = 0; i < NLIF_FRESH_NPARAM; i++)
        json_object_set_new(o, nlif_fresh_param_names[i], json_real(p->x[i]));
    return o;
}

/* The record of the verification's instances (created on first use). */
static json_t *record(nlif_verify *v, uint64_t seed, int per_case)
{
    if (!v->fresh)
        v->fresh = json_pack("{s:I, s:i, s:f, s:[]}", "seed", (json_int_t)seed, "per_case", per_case, "spread",
                             NLIF_FRESH_SPREAD, "instances");
    return v->fresh;
}

/* Build instance NAME of BASE with parameters P (inside the region: *x) into CS and add it to the
 * record. 0 or an nlif error code (in err). */
static int build(nlif_verify *v, const nlif_case *base, const char *name, const nlif_fresh_params *p,
                 const nlif_fresh_exact *x, int k, int attempts, nlif_case *cs, nlif_error *err)
{
    char path[NLIF_TEXT_MAX];
    case_path(v, name, path, sizeof path);
    nlif_case *run = calloc(1, sizeof *run);
    if (!run)
        return nlif_fail(err, NLIF_ENOMEM, "fresh instance");
    int rc = nlif_fresh_case(base, p, x, name, path, cs, run, err);
    free(run);
    if (rc || (rc = nlif_checks_validate_expect(cs, err)))
        return rc;
    json_t *inst = json_pack("{s:s, s:s, s:s, s:i, s:o, s:i, s:f, s:f, s:i}", "case", name, "of", base->name, "kind",
                             k > 0 ? "drawn" : "given", "k", k > 0 ? k : -k, "drawn", params_json(p), "attempts", attempts,
                             "exact_rate", x->rate, "rate_tol", x->rate_tol, "root", x->root);
    json_array_append_new(json_object_get(v->fresh, "instances"), inst);
    return NLIF_OK;
}

/* The same, appended to the selection. 0 or an exit code (printed, or in err). */
static int append(nlif_verify *v, const nlif_case *base, const char *name, const nlif_fresh_params *p,
                  const nlif_fresh_exact *x, int k, int attempts, nlif_error *err)
{
    if (v->n_cases == NLIF_MAX_CASES) {
        fprintf(stderr, "nlif %s: fresh instance %s: more than %d cases in one verification (--fresh K: fewer)\n", v->command,
                name, NLIF_MAX_CASES);
        return NLIF_EXIT_USAGE;
    }
    if (build(v, base, name, p, x, k, attempts, &v->cases[v->n_cases], err))
        return nlif_exit_code(err->code);
    v->n_cases++;
    return 0;
}

/* One --fresh-at entry "CASE:NAME=VALUE,...": the case among the selected ones, the parameters it
 * names replacing the case's own. 0 or an exit code (printed). */
static int given_instance(nlif_verify *v, int n_base, const char *entry, int *n_given, nlif_error *err)
{
    char buf[512], why[400];
    snprintf(buf, sizeof buf, "%s", entry);
    char *colon = strchr(buf, ':');
    if (!colon || colon == buf) {
        fprintf(stderr, "nlif verify: --fresh-at '%s': not CASE:NAME=VALUE[,NAME=VALUE...] (names: a0, a1, b, v_r, i0, "
                        "mean, sd)\n", entry);
        return NLIF_EXIT_USAGE;
    }
    *colon = '\0';
    int c = 0;
    while (c < n_base && strcmp(v->cases[c].name, buf))
        c++;
    if (c == n_base) {
        fprintf(stderr, "nlif verify: --fresh-at '%s': case %s is not selected (--cases)\n", entry, buf);
        return NLIF_EXIT_USAGE;
    }
    const nlif_case *base = &v->cases[c];
    if (!nlif_fresh_eligible(base, why, sizeof why)) {
        fprintf(stderr, "nlif verify: --fresh-at '%s': case %s has no fresh instances: %s\n", entry, buf, why);
        return NLIF_EXIT_USAGE;
    }
    nlif_fresh_params p;
    nlif_fresh_params_of(base, &p);
    char *save = NULL;
    for (char *t = strtok_r(colon + 1, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        int i = eq ? (*eq = '\0', nlif_fresh_param_index(t)) : -1;
        if (i < 0 || !nlif_case_parse_double(eq + 1, &p.x[i])) {
            fprintf(stderr, "nlif verify: --fresh-at '%s': '%s' is not NAME=NUMBER (names: a0, a1, b, v_r, i0, mean, sd)\n",
                    entry, t);
            return NLIF_EXIT_USAGE;
        }
    }
    nlif_fresh_exact x;
    if (!nlif_fresh_valid(base, &p, &x, why, sizeof why)) {
        fprintf(stderr, "nlif verify: --fresh-at '%s': outside the valid region (MATHEMATICS.md 6, fresh instances): %s\n",
                entry, why);
        return NLIF_EXIT_USAGE;
    }
    char name[NLIF_NAME_MAX];
    snprintf(name, sizeof name, "%s~x%d", base->name, ++n_given[c]);
    return append(v, base, name, &p, &x, -n_given[c], 1, err);
}

int nlif_verify_add_fresh(nlif_verify *v, const nlif_verify_fresh *f, nlif_error *err)
{
    int n_base = v->n_cases, rc = 0;
    int n_given[NLIF_MAX_CASES] = {0};
    char why[400];
    if (f->per_case <= 0 && f->n_at == 0)
        return 0;
    record(v, f->seed, f->per_case);
    for (int c = 0; !rc && c < n_base; c++) {
        if (!nlif_fresh_eligible(&v->cases[c], why, sizeof why))
            continue;
        for (int k = 1; !rc && k <= f->per_case; k++) {
            nlif_fresh_params p;
            nlif_fresh_exact x;
            int attempts = 0;
            char name[NLIF_NAME_MAX];
            if (nlif_fresh_draw(&v->cases[c], f->seed, k, &p, &x, &attempts, why, sizeof why)) {
                fprintf(stderr, "nlif verify: fresh instance %d of %s: none of %d draws (seed %llu) lies in the valid region "
                                "(the last: %s)\n", k, v->cases[c].name, attempts, (unsigned long long)f->seed, why);
                return NLIF_EXIT_USAGE;
            }
            snprintf(name, sizeof name, "%s~f%d", v->cases[c].name, k);
            rc = append(v, &v->cases[c], name, &p, &x, k, attempts, err);
        }
    }
    for (int i = 0; !rc && i < f->n_at; i++)
        rc = given_instance(v, n_base, f->at[i], n_given, err);
    return rc;
}

int nlif_verify_fresh_count(const nlif_verify *v)
{
    return v->fresh ? (int)json_array_size(json_object_get(v->fresh, "instances")) : 0;
}

int nlif_verify_fresh_write(nlif_verify *v, nlif_error *err)
{
    if (!nlif_verify_fresh_count(v))
        return NLIF_OK;
    char dir[1200], tmp[1400];
    snprintf(dir, sizeof dir, "%s/cases", v->out);
    if (nlif_mkdir_p(dir, err))
        return err->code;
    nlif_case *run = calloc(1, sizeof *run);
    if (!run)
        return nlif_fail(err, NLIF_ENOMEM, "fresh instance");
    int rc = NLIF_OK;
    for (int c = 0; !rc && c < v->n_cases; c++) {
        if (!nlif_fresh_name(v->cases[c].name, NULL, 0))
            continue;
        /* what the run reads: the case without its [expect] (no bound, no source) */
        *run = v->cases[c];
        run->expect.checks[0] = '\0', run->expect.source[0] = '\0', run->expect.n_bounds = 0;
        FILE *f = nlif_atomic_open(run->path, tmp, sizeof tmp, err);
        if (!f) {
            rc = err->code;
            break;
        }
        nlif_case_write_ini(f, run);
        rc = nlif_atomic_close(f, tmp, run->path, err);
    }
    free(run);
    if (rc)
        return rc;
    /* OUT/fresh.json: the seed and the parameters, not the references (written before any run) */
    json_t *out = json_deep_copy(v->fresh);
    size_t i;
    json_t *inst;
    json_array_foreach(json_object_get(out, "instances"), i, inst)
    {
        json_object_del(inst, "exact_rate");
        json_object_del(inst, "rate_tol");
    }
    snprintf(dir, sizeof dir, "%s/fresh.json", v->out);
    rc = nlif_write_json(dir, out, err);
    json_decref(out);
    return rc;
}

void nlif_verify_fresh_into(const nlif_verify *v, json_t *verdicts)
{
    if (!v->fresh)
        return;
    json_object_set(verdicts, "seed", json_object_get(v->fresh, "seed"));
    json_object_set(verdicts, "fresh_instances", json_object_get(v->fresh, "instances"));
}

int nlif_verify_fresh_seed(const char *dir, unsigned long long *seed)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/fresh.json", dir);
    json_t *r = json_load_file(path, 0, NULL);
    json_t *s = r ? json_object_get(r, "seed") : NULL;
    int ok = json_is_integer(s) && json_integer_value(s) >= 0;
    if (ok)
        *seed = (unsigned long long)json_integer_value(s);
    json_decref(r);
    return ok ? 0 : -1;
}

/* The instance NAME in the record R, or NULL. */
static json_t *instance(json_t *r, const char *name)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r, "instances"), i, it)
    {
        const char *c = json_string_value(json_object_get(it, "case"));
        if (c && !strcmp(c, name))
            return it;
    }
    return NULL;
}

int nlif_verify_fresh_load(nlif_verify *v, const char *dir, const char *name, nlif_case *cs, nlif_error *err)
{
    char path[1200], base_name[NLIF_NAME_MAX], why[400];
    snprintf(path, sizeof path, "%s/fresh.json", dir);
    nlif_fresh_name(name, base_name, sizeof base_name);
    json_error_t je;
    json_t *r = json_load_file(path, 0, &je);
    if (!r)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: fresh instance %s: the record of the fresh instances: %s", path, je.line,
                         name, je.text);
    json_t *inst = instance(r, name), *seed = json_object_get(r, "seed"), *drawn = inst ? json_object_get(inst, "drawn") : NULL;
    const char *of = inst ? json_string_value(json_object_get(inst, "of")) : NULL;
    int k = inst ? (int)json_integer_value(json_object_get(inst, "k")) : 0, given = !strstr(name, "~f"), rc = NLIF_OK;
    nlif_fresh_params p;
    for (int q = 0; drawn && q < NLIF_FRESH_NPARAM; q++) {
        json_t *x = json_object_get(drawn, nlif_fresh_param_names[q]);
        p.x[q] = json_is_number(x) ? json_number_value(x) : NAN;
    }
    nlif_case *base = calloc(1, sizeof *base);
    if (!inst || !drawn || !of || strcmp(of, base_name) || !json_is_integer(seed) || !base)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:1: no fresh instance %s of case %s with its drawn parameters and a seed", path,
                       name, base_name);
    if (!rc)
        rc = nlif_checks_load_case(base, base_name, NULL, 0, err);
    nlif_fresh_exact x;
    if (!rc && !nlif_fresh_valid(base, &p, &x, why, sizeof why))
        rc = nlif_fail(err, NLIF_EINVAL, "%s:1: fresh instance %s: outside the valid region: %s", path, name, why);
    if (!rc && !given) { /* a drawn instance: the seed must draw it */
        nlif_fresh_params q;
        nlif_fresh_exact y;
        int attempts;
        if (nlif_fresh_draw(base, (uint64_t)json_integer_value(seed), k, &q, &y, &attempts, why, sizeof why) ||
            memcmp(&p, &q, sizeof p))
            rc = nlif_fail(err, NLIF_EINVAL, "%s:1: fresh instance %s: seed %lld does not draw these parameters", path, name,
                           (long long)json_integer_value(seed));
    }
    if (!rc) {
        record(v, (uint64_t)json_integer_value(seed), (int)json_integer_value(json_object_get(r, "per_case")));
        rc = build(v, base, name, &p, &x, given ? -k : k, (int)json_integer_value(json_object_get(inst, "attempts")), cs, err);
    }
    free(base);
    json_decref(r);
    return rc;
}
