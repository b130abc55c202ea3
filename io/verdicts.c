/* verdicts.c — the verdict record (nlif_verdicts.h): its cells, the record, its one writer and its
 * one reader; and the UTF-8 the record (JSON) and the JUnit XML beside it need. */
#include "nlif_verdicts.h"

#include "nlif_resultfmt.h"
#include "nlif_results.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const nlif_verdict_names[3] = {"pass", "FAIL", "n.a."};

json_t *nlif_verdict_cell_json(const char *cs, const char *scheme, const char *check, int verdict, double measured,
                               const char *bound, const char *source, const char *reason, const char *run, int known)
{
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:b}", "case", cs, "scheme", scheme, "check",
                          check, "verdict", nlif_verdict_names[verdict], "measured", nlif_json_number(measured), "bound",
                          bound ? bound : "", "source", source ? source : "", "reason", reason, "run",
                          run ? json_string(run) : json_null(), "known_failure", known);
    /* what the cell was judged from: set by the caller; none for a cell judged from no file */
    json_object_set_new(c, "inputs", json_array());
    return c;
}

json_t *nlif_verdicts_json(const nlif_verdicts_summary *s, json_t *cells, json_t *convergence, json_t *runs,
                           json_t *choices, json_t *inputs)
{
    json_t *out = json_pack("{s:o, s:s, s:f, s:{s:i, s:i, s:i, s:i, s:i}, s:O, s:O, s:O, s:O, s:i}", "provenance",
                            nlif_provenance_json(), "mode", s->mode, "wall_seconds", s->wall_seconds, "summary", "pass",
                            s->count[NLIF_PASS], "fail", s->count[NLIF_FAIL], "na", s->count[NLIF_NA], "known_failures",
                            s->known_failures, "stale_known_failures", s->stale_known_failures, "cells", cells,
                            "convergence", convergence, "runs", runs, "choices", choices, "jobs", s->jobs);
    json_object_set_new(out, "jobs_reused", json_integer(s->jobs_reused));
    json_object_set(out, "inputs", inputs);
    return out;
}

int nlif_verdicts_write(const char *path, const json_t *record, nlif_error *err)
{
    return nlif_write_json(path, record, err);
}

json_t *nlif_verdicts_read(const char *path, nlif_error *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    struct stat st;
    int exists = path && *path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (!root) {
        nlif_fail(err, exists ? NLIF_EINVAL : NLIF_EIO, "%s: %s (line %d)", path, exists ? je.text : "cannot be read",
                  je.line);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        nlif_fail(err, NLIF_EINVAL, "%s: not a JSON object", path);
        return NULL;
    }
    return root;
}

int nlif_case_spec_hash(const json_t *spec, const json_t *expect, char out[NLIF_HASH_TEXT], nlif_error *err)
{
    out[0] = '\0';
    if (!json_is_object(spec))
        return nlif_fail(err, NLIF_EINVAL, "the case spec is not a JSON object");
    json_t *c = json_deep_copy(spec);
    json_object_del(c, "path");
    json_object_del(c, "description");
    if (expect)
        json_object_set(c, "expect", (json_t *)expect);
    char *text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_ENSURE_ASCII);
    json_decref(c);
    if (!text)
        return nlif_fail(err, NLIF_ENOMEM, "out of memory hashing a case");
    nlif_hash_text(nlif_fnv1a64(NLIF_FNV1A64_OFFSET, text, strlen(text)), out);
    free(text);
    return NLIF_OK;
}

void nlif_case_hash(const nlif_case *cs, char out[NLIF_HASH_TEXT])
{
    const nlif_expect *e = &cs->expect;
    json_t *bounds = json_object();
    for (int i = 0; i < e->n_bounds; i++)
        json_object_set_new(bounds, e->bounds[i].key, json_string(e->bounds[i].value));
    json_t *spec = nlif_case_json(cs), *expect = json_pack("{s:s, s:I, s:i, s:o}", "checks", e->checks, "needs",
                                                            (json_int_t)e->needs, "blowup", e->blowup, "bounds", bounds);
    nlif_error err = {0};
    if (!spec || !expect || nlif_case_spec_hash(spec, expect, out, &err))
        out[0] = '\0';
    json_decref(spec);
    json_decref(expect);
}

const double nlif_transient_at[NLIF_TRANSIENT_N] = {0.05, 0.1, 0.2, 0.4, 0.8};

void nlif_run_transient(const nlif_rf_run *r, double t[NLIF_TRANSIENT_N], double n[NLIF_TRANSIENT_N],
                        double v[NLIF_TRANSIENT_N], double p[NLIF_TRANSIENT_N])
{
    const nlif_rf_table *s = &r->series, *sn = &r->snapshots;
    int ct = nlif_rf_col(s, "t"), cr = nlif_rf_col(s, "rate");
    for (int k = 0; k < NLIF_TRANSIENT_N; k++) {
        t[k] = nlif_transient_at[k] * r->t_final, n[k] = v[k] = p[k] = NAN;
        for (size_t i = 0; ct >= 0 && cr >= 0 && i < s->nrow; i++) {
            double ti = s->x[i * s->ncol + ct];
            if (ti < t[k])
                continue;
            if (ti == t[k] || i == 0)
                n[k] = ti == t[k] ? s->x[i * s->ncol + cr] : NAN;
            else {
                double t0 = s->x[(i - 1) * s->ncol + ct], n0 = s->x[(i - 1) * s->ncol + cr], n1 = s->x[i * s->ncol + cr];
                n[k] = ti > t0 ? n0 + (n1 - n0) * (t[k] - t0) / (ti - t0) : n0;
            }
            break;
        }
    }
    /* the last v snapshot: its rows are the last nv rows of kind v */
    int kc = nlif_rf_col(sn, "kind"), tc = nlif_rf_col(sn, "t"), xc = nlif_rf_col(sn, "x"), dc = nlif_rf_col(sn, "density");
    if (kc < 0 || tc < 0 || xc < 0 || dc < 0 || r->nv < 2)
        return;
    size_t last = sn->nrow, count = 0;
    double tl = NAN;
    for (size_t i = sn->nrow; i-- > 0;) {
        if (sn->x[i * sn->ncol + kc] != 'v')
            continue;
        if (isnan(tl))
            tl = sn->x[i * sn->ncol + tc];
        if (sn->x[i * sn->ncol + tc] != tl)
            break;
        last = i, count++;
    }
    if (count != (size_t)r->nv)
        return;
    for (int k = 0; k < NLIF_TRANSIENT_N; k++) {
        size_t i = last + (size_t)lround((double)(k + 1) * (r->nv - 1) / (NLIF_TRANSIENT_N + 1)), m = last;
        /* the v rows of the last snapshot are consecutive unless w rows are interleaved: count v rows */
        for (size_t seen = 0, want = i - last; m < sn->nrow; m++)
            if (sn->x[m * sn->ncol + kc] == 'v' && seen++ == want)
                break;
        if (m < sn->nrow)
            v[k] = sn->x[m * sn->ncol + xc], p[k] = sn->x[m * sn->ncol + dc];
    }
}

int nlif_utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 && s[0] >= 0xC2 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
            : (s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (int k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong, or a surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0; /* overlong, or beyond U+10FFFF */
    return n;
}

void nlif_utf8_sanitize(char *text)
{
    unsigned char *s = (unsigned char *)text;
    while (s && *s) {
        int n = nlif_utf8_len(s);
        if (!n)
            *s++ = '?';
        else
            s += n;
    }
}
