/* results.c — provenance and atomic result files; see nlif_results.h. */
#include "nlif_results.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nlif_resultfmt.h"
#include "../core/nlif_mms.h"

#ifndef NLIF_VERSION
#define NLIF_VERSION "0.1"
#endif

static void git_line(const char *args, char *out, size_t len)
{
    char cmd[4096];
    out[0] = '\0';
    snprintf(cmd, sizeof cmd, "git -C '%s' %s 2>/dev/null", nlif_root(), args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (!fgets(out, (int)len, p))
        out[0] = '\0';
    while (fgetc(p) != EOF) {
    }
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
}

const char *nlif_commit(void)
{
    static char commit[96];
    if (commit[0])
        return commit;
    const char *env = getenv("NLIF_COMMIT");
    if (env && *env) {
        snprintf(commit, sizeof commit, "%s", env);
        return commit;
    }
    char sha[64], dirty[256];
    git_line("rev-parse --short=12 HEAD", sha, sizeof sha);
    if (!sha[0]) {
        snprintf(commit, sizeof commit, "unknown");
        return commit;
    }
    /* Dirty if tracked sources differ from HEAD (untracked result files do not count). */
    git_line("status --porcelain --untracked-files=no", dirty, sizeof dirty);
    snprintf(commit, sizeof commit, "%s%s", sha, dirty[0] ? "-dirty" : "");
    return commit;
}

void nlif_now_iso(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *nlif_json_number(double x) { return isfinite(x) ? json_real(x) : json_null(); }

json_t *nlif_provenance_json(void)
{
    char date[64];
    nlif_now_iso(date, sizeof date);
    return json_pack("{s:s, s:s, s:s, s:s}", "program", "nlif", "version", NLIF_VERSION, "commit", nlif_commit(),
                     "date", date);
}

json_t *nlif_case_json(const nlif_case *cs)
{
    const nlif_model *m = &cs->model;
    const nlif_initial *in = &cs->initial;
    const nlif_input *u = &cs->input;
    const nlif_structure *st = &cs->structure;
    const nlif_run *r = &cs->run;
    json_t *tags = json_array();
    for (int i = 0; i < cs->n_tags; i++)
        json_array_append_new(tags, json_string(cs->tags[i]));
    json_t *initial = json_pack("{s:s}", "type", nlif_initial_type_name(in->type));
    switch (in->type) {
    case NLIF_INIT_GAUSSIAN:
        json_object_set_new(initial, "mean", json_real(in->mean));
        json_object_set_new(initial, "sd", json_real(in->sd));
        break;
    case NLIF_INIT_UNIFORM: {
        json_t *b = json_array();
        for (int i = 0; i < in->n_blocks; i++)
            json_array_append_new(b, json_pack("[f,f,f]", in->lo[i], in->hi[i], in->dens[i]));
        json_object_set_new(initial, "blocks", b);
        json_object_set_new(initial, "normalise", json_boolean(in->normalise));
        break;
    }
    case NLIF_INIT_TABLE: {
        json_t *b = json_array();
        for (int i = 0; i < in->n_points; i++)
            json_array_append_new(b, json_pack("[f,f]", in->tv[i], in->tp[i]));
        json_object_set_new(initial, "points", b);
        json_object_set_new(initial, "normalise", json_boolean(in->normalise));
        break;
    }
    case NLIF_INIT_STATIONARY: json_object_set_new(initial, "root", json_integer(in->root)); break;
    case NLIF_INIT_MANUFACTURED: {
        const nlif_manufactured *f = &cs->manufactured;
        json_object_set_new(initial, "manufactured",
                            json_pack("{s:s, s:f, s:f, s:f}", "family", nlif_mms_family_name(f->family), "slope",
                                      f->slope, "amplitude", f->amplitude, "omega", f->omega));
        if (f->phase != 0) /* only then: a case without it keeps its bytes and its hash */
            json_object_set_new(json_object_get(initial, "manufactured"), "phase", json_real(f->phase));
        break;
    }
    }
    json_t *snaps = json_array();
    for (int i = 0; i < r->n_snapshots; i++)
        json_array_append_new(snaps, json_real(r->snapshots[i]));
    json_t *j = json_pack("{s:s, s:s, s:s, s:o}", "name", cs->name, "path", cs->path, "description",
                          cs->description, "tags", tags);
    json_object_set_new(j, "model",
                        json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:s}", "a0", m->a0, "a1", m->a1, "b", m->b, "v_f",
                                  m->v_f, "v_r", m->v_r, "v_min", m->v_min, "convention",
                                  nlif_convention_name(m->convention)));
    if (m->delay > 0) { /* only then: a case without a delay keeps its bytes, its hash and its stored data */
        json_object_set_new(json_object_get(j, "model"), "delay", json_real(m->delay));
        json_object_set_new(json_object_get(j, "model"), "delay_history", json_real(m->delay_history));
    }
    /* a refractory period (MATHEMATICS.md §1.5) only when there is one: a case without it keeps the
     * bytes (and the content hash) it had before the key existed */
    if (m->tau_ref > 0) {
        json_object_set_new(json_object_get(j, "model"), "tau_ref", json_real(m->tau_ref));
        if (in->type != NLIF_INIT_STATIONARY)
            json_object_set_new(initial, "refractory", json_real(in->refractory));
    }
    if (m->populations == 2) { /* two populations (MATHEMATICS.md §1.6): only then, as the delay */
        json_object_set_new(j, "population_i",
                            json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "a0", m->a0_i, "a1", m->a1_i, "v_r", m->v_r_i,
                                      "i0", m->i0_i, "b_ei", m->b_ei, "b_ie", m->b_ie, "b_ii", m->b_ii));
        if (in->type != NLIF_INIT_STATIONARY)
            json_object_set_new(initial, "population_i", json_pack("{s:f, s:f}", "mean", in->mean_i, "sd", in->sd_i));
    }
    json_object_set_new(j, "initial", initial);
    json_object_set_new(j, "input",
                        json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "type", nlif_input_type_name(u->type),
                                  "i0", u->i0, "amplitude", u->amplitude, "omega", u->omega, "phase", u->phase,
                                  "t0", u->t0, "t1", u->t1, "kick", u->kick));
    if (st->enabled)
        json_object_set_new(
            j, "structure",
            json_pack("{s:f, s:f, s:f, s:s, s:f, s:f, s:f, s:f, s:f, s:s, s:f, s:f}", "w_min", st->w_min, "w_max",
                      st->w_max, "epsilon", st->epsilon, "rule", nlif_rule_name(st->rule), "rate", st->rate,
                      "w_star", st->w_star, "alpha", st->alpha, "beta", st->beta, "rho_floor", st->rho_floor,
                      "w_law", nlif_weight_law_name(st->w_law), "w_mean", st->w_mean, "w_sd", st->w_sd));
    json_object_set_new(j, "run",
                        json_pack("{s:f, s:f, s:f, s:f, s:o, s:I, s:i, s:f, s:I, s:f, s:f}", "t_final", r->t_final,
                                  "dv", r->dv, "dt", r->dt, "dw", r->dw, "snapshots", snaps, "particles",
                                  (json_int_t)r->particles, "realisations", r->realisations, "mc_dt", r->mc_dt,
                                  "seed", (json_int_t)r->seed, "mfe_level", r->mfe_level, "rate_window",
                                  r->rate_window));
    if (cs->n_options) { /* the scheme options the case states ([options]) */
        json_t *o = json_object();
        for (int i = 0; i < cs->n_options; i++) {
            char key[2 * NLIF_NAME_MAX + 2];
            snprintf(key, sizeof key, "%s.%s", cs->options[i].scheme, cs->options[i].name);
            json_object_set_new(o, key, json_string(cs->options[i].value));
        }
        json_object_set_new(j, "options", o);
    }
    return j;
}

json_t *nlif_optset_json(const nlif_optset *o)
{
    json_t *j = json_object();
    for (int i = 0; o && i < o->n; i++) {
        const nlif_option_spec *s = &o->spec[i];
        char buf[64];
        json_t *v;
        switch (s->kind) {
        case NLIF_OPT_DOUBLE: v = json_real(o->num[i]); break;
        case NLIF_OPT_INT: v = json_integer((json_int_t)o->num[i]); break;
        case NLIF_OPT_BOOL: v = json_boolean(o->num[i] != 0); break;
        default: v = json_string(nlif_opt_text(o, i, buf, sizeof buf)); break;
        }
        json_object_set_new(j, s->name, v);
    }
    return j;
}

json_t *nlif_choices_json(const nlif_case *cs, const nlif_optset *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "cascade_convention", json_string(nlif_convention_name(cs->model.convention)));
    for (int i = 0; o && i < o->n; i++) {
        if (!o->spec[i].is_choice)
            continue;
        char buf[64];
        json_object_set_new(j, o->spec[i].name, json_string(nlif_opt_text(o, i, buf, sizeof buf)));
    }
    return j;
}

int nlif_mkdir_p(const char *dir, nlif_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST)
            return nlif_fail(err, NLIF_EIO, "cannot create directory %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST)
        return nlif_fail(err, NLIF_EIO, "cannot create directory %s: %s", buf, strerror(errno));
    return NLIF_OK;
}

FILE *nlif_atomic_open(const char *path, char *tmp, size_t tmplen, nlif_error *err)
{
    /* FINAL.tmp-PID-XXXXXX: the name of a result set's temporaries (RESULTS.md), so that a leftover of a
     * killed writer is known stale by its PID (nlif_rf_remove_stale) */
    snprintf(tmp, tmplen, "%s.tmp-%ld-XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        nlif_fail(err, NLIF_EIO, "cannot create %s: %s", tmp, strerror(errno));
        return NULL;
    }
    fchmod(fd, 0644);
    nlif_rf_temp_track(tmp); /* removed at exit and on SIGINT/SIGTERM until renamed */
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        nlif_rf_temp_untrack(tmp);
        nlif_fail(err, NLIF_EIO, "cannot open %s: %s", tmp, strerror(errno));
    }
    return f;
}

void nlif_atomic_abort(FILE *f, const char *tmp)
{
    fclose(f);
    unlink(tmp);
    nlif_rf_temp_untrack(tmp);
}

int nlif_atomic_close(FILE *f, const char *tmp, const char *path, nlif_error *err)
{
    int bad = ferror(f);
    if (fclose(f) || bad) {
        unlink(tmp);
        nlif_rf_temp_untrack(tmp);
        return nlif_fail(err, NLIF_EIO, "cannot write %s", path);
    }
    if (rename(tmp, path)) {
        unlink(tmp);
        nlif_rf_temp_untrack(tmp);
        return nlif_fail(err, NLIF_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    }
    nlif_rf_temp_untrack(tmp);
    return NLIF_OK;
}

int nlif_write_json(const char *path, const json_t *j, nlif_error *err)
{
    char tmp[4200];
    FILE *f = nlif_atomic_open(path, tmp, sizeof tmp, err);
    if (!f)
        return err ? err->code : NLIF_EIO;
    if (json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0) {
        nlif_atomic_abort(f, tmp);
        return nlif_fail(err, NLIF_EIO, "cannot encode JSON for %s", path);
    }
    fputc('\n', f);
    return nlif_atomic_close(f, tmp, path, err);
}

void nlif_csv_provenance(FILE *f, const json_t *meta)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)meta, key, v)
    {
        if (json_is_string(v))
            fprintf(f, "# %s: %s\n", key, json_string_value(v));
        else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
            fprintf(f, "# %s: %s\n", key, s ? s : "?");
            free(s);
        }
    }
}

/* 1 if `text` is one of the " / "-separated values of `list`. */
static int listed(const char *list, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = list; p;) {
        const char *end = strstr(p, " / ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, text, n))
            return 1;
        p = end ? end + 3 : NULL;
    }
    return 0;
}

void nlif_choices_merge(json_t *all, const char *scheme, const json_t *choices)
{
    if (!json_is_object(choices))
        return;
    json_t *mine = json_object_get(all, scheme);
    if (!mine) {
        mine = json_object();
        json_object_set_new(all, scheme, mine);
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)choices, k, v)
    {
        char text[256];
        if (json_is_string(v))
            snprintf(text, sizeof text, "%s", json_string_value(v));
        else {
            char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            snprintf(text, sizeof text, "%s", d ? d : "?");
            free(d);
        }
        const char *old = json_string_value(json_object_get(mine, k));
        if (!old)
            json_object_set_new(mine, k, json_string(text));
        else if (!listed(old, text)) { /* differs between cases: list every value */
            char both[600];
            snprintf(both, sizeof both, "%s / %s", old, text);
            json_object_set_new(mine, k, json_string(both));
        }
    }
}

const char *nlif_root(void)
{
    static char root[PATH_MAX];
    if (root[0])
        return root;
    const char *env = getenv("NLIF_ROOT");
    if (env && *env) {
        snprintf(root, sizeof root, "%s", env);
        return root;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* <root>/bin/nlif or <root>/build-san/nlif or <root>/build/tests/x: climb to the dir with cases/ */
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            char probe[PATH_MAX + 16];
            snprintf(probe, sizeof probe, "%s/cases", exe);
            if (access(probe, F_OK) == 0) {
                snprintf(root, sizeof root, "%s", exe);
                return root;
            }
        }
    }
    snprintf(root, sizeof root, ".");
    return root;
}
