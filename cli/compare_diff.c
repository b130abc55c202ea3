/* compare_diff.c — the comparison of `nlif compare` (cli/cmd_compare.h): two records of one kind,
 * cell by cell (case × scheme × check) and pair by pair (CPU), each difference classified as worse,
 * a case edit, better or changed; printed as text, and as Markdown and JUnit XML on request. */
#include "cmd_compare.h"

#include "../harness/verify/nlif_verify.h"
#include "../io/nlif_results.h"
#include "nlif_cli.h"

#include "../harness/judge/verify_data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[NLIF_CMP_KINDS] = {"same", "REGRESSION", "case edit", "improved", "changed"};

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static nlif_compare_item *add(nlif_compare_result *r, int kind, const char *cs, const char *scheme, const char *check)
{
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 256;
        nlif_compare_item *p = realloc(r->items, (size_t)cap * sizeof *p);
        if (!p)
            return NULL;
        r->items = p, r->cap = cap;
    }
    nlif_compare_item *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->cs, sizeof it->cs, "%s", cs);
    snprintf(it->scheme, sizeof it->scheme, "%s", scheme);
    snprintf(it->check, sizeof it->check, "%s", check);
    it->old_m = it->new_m = it->delta = it->rel = it->in_bound = NAN;
    r->count[kind]++;
    return it;
}

static void say(nlif_compare_item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(nlif_compare_item *it, const char *fmt, ...)
{
    size_t l = strlen(it->text);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->text + l, sizeof it->text - l, fmt, ap);
    va_end(ap);
}

/* How bad a verdict is for the flip rules: FAIL worst; pass and a run's status "ok" best. */
static int is_fail(const char *v) { return !strcmp(v, "FAIL"); }

/* Classify a verdict change OLD → NEW (both present): worse, better, or changed. */
static int flip_kind(const char *o, const char *n)
{
    if (is_fail(n))
        return NLIF_CMP_WORSE; /* anything to FAIL */
    if (is_fail(o))
        return !strcmp(n, "pass") ? NLIF_CMP_BETTER : NLIF_CMP_WORSE; /* FAIL -> n.a.: a failure hidden */
    if (!strcmp(o, "pass") && !strcmp(n, "n.a."))
        return NLIF_CMP_WORSE; /* coverage lost */
    if (!strcmp(o, "n.a.") && !strcmp(n, "pass"))
        return NLIF_CMP_BETTER;
    if (!strcmp(o, "ok") || !strcmp(n, "ok")) /* a run's status (result files) */
        return !strcmp(o, "ok") ? NLIF_CMP_WORSE : NLIF_CMP_BETTER;
    return NLIF_CMP_WORSE; /* another status: a run that stops differently */
}

static void figures_text(nlif_compare_item *it, const json_t *oc, const json_t *nc)
{
    it->old_m = nlif_vd_num(oc, "measured"), it->new_m = nlif_vd_num(nc, "measured");
    snprintf(it->bound, sizeof it->bound, "%s", str(nc, "bound")[0] ? str(nc, "bound") : str(oc, "bound"));
    if (isfinite(it->old_m) && isfinite(it->new_m)) {
        double b;
        it->delta = it->new_m - it->old_m;
        it->rel = it->old_m != 0 ? it->delta / fabs(it->old_m) : NAN;
        if (nlif_bound_parse(it->bound, &b) && b != 0)
            it->in_bound = it->delta / fabs(b);
        say(it, "measured %.10g -> %.10g (change %+.3g", it->old_m, it->new_m, it->delta);
        if (isfinite(it->rel))
            say(it, ", relative %+.3g", it->rel);
        if (isfinite(it->in_bound))
            say(it, ", %+.3g x the bound", it->in_bound);
        say(it, ")");
    } else if (isfinite(it->old_m) != isfinite(it->new_m))
        say(it, "measured %.10g -> %.10g", it->old_m, it->new_m);
}

/* A matched cell: its kind (SAME when nothing moved). */
static int judge_cell(const nlif_compare_opts *o, nlif_compare_item *it, const json_t *oc, const json_t *nc)
{
    const char *ov = str(oc, "verdict"), *nv = str(nc, "verdict");
    snprintf(it->old_v, sizeof it->old_v, "%s", ov);
    snprintf(it->new_v, sizeof it->new_v, "%s", nv);
    figures_text(it, oc, nc);
    if (strcmp(ov, nv)) {
        char head[512];
        snprintf(head, sizeof head, "%s -> %s%s%s", ov[0] ? ov : "none", nv[0] ? nv : "none", it->text[0] ? "; " : "", it->text);
        snprintf(it->text, sizeof it->text, "%s", head);
        return flip_kind(ov, nv);
    }
    double a = it->old_m, b = it->new_m;
    if (isnan(a) && isnan(b))
        return NLIF_CMP_SAME;
    if (isfinite(a) != isfinite(b)) /* a figure lost hides what it measured; one gained is news */
        return isfinite(a) ? NLIF_CMP_WORSE : NLIF_CMP_CHANGED;
    if (!(fabs(b - a) > o->rtol * fmax(fabs(a), fabs(b))))
        return NLIF_CMP_SAME;
    double bound;
    int dir = nlif_bound_parse(it->bound, &bound);
    if (dir && fabs(b - a) <= o->bound_frac * fabs(bound)) {
        say(it, "; within %g of the bound", o->bound_frac);
        return NLIF_CMP_CHANGED;
    }
    if (!dir) {
        say(it, "; moved (the bound states no direction: counted worse)");
        return NLIF_CMP_WORSE;
    }
    int towards = dir > 0 ? b > a : b < a;
    say(it, towards ? "; moved towards the bound" : "; moved away from the bound");
    return towards ? NLIF_CMP_WORSE : NLIF_CMP_BETTER;
}

static void key_of(const json_t *c, char *key, size_t len)
{
    snprintf(key, len, "%s\x1f%s\x1f%s", str(c, "case"), str(c, "scheme"), str(c, "check"));
}

/* The case's hashes on the two sides: 1 edited, 0 the same, -1 unknown (a record without them). */
static int edited(const json_t *old, const json_t *new_, const char *cs)
{
    const char *a = str(json_object_get(old, "case_hashes"), cs), *b = str(json_object_get(new_, "case_hashes"), cs);
    return a[0] && b[0] ? strcmp(a, b) != 0 : -1;
}

static void note_edit(nlif_compare_result *r, const char *cs)
{
    char *save = NULL, buf[2048];
    snprintf(buf, sizeof buf, "%s", r->edited);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!strcmp(t, cs))
            return;
    size_t l = strlen(r->edited);
    snprintf(r->edited + l, sizeof r->edited - l, "%s%s", l ? "," : "", cs);
    r->edited_cases++;
}

static void compare_cells(const nlif_compare_opts *o, const json_t *old, const json_t *new_, nlif_compare_result *r)
{
    json_t *index = json_object(), *seen = json_object();
    size_t i;
    json_t *c;
    char key[400];
    json_array_foreach(json_object_get(new_, "cells"), i, c)
    {
        key_of(c, key, sizeof key);
        json_object_set(index, key, c);
    }
    json_array_foreach(json_object_get(old, "cells"), i, c)
    {
        key_of(c, key, sizeof key);
        if (json_object_get(seen, key))
            continue; /* a cell named twice (a check with several cells of one name): the first */
        json_object_set_new(seen, key, json_true());
        const json_t *nc = json_object_get(index, key);
        const char *cs = str(c, "case");
        int ed = edited(old, new_, cs) == 1;
        nlif_compare_item tmp = {0};
        if (!nc) {
            r->vanished++;
            if (ed)
                note_edit(r, cs);
            int k = ed ? NLIF_CMP_EDIT : o->allow_vanished || !strcmp(str(c, "verdict"), "n.a.") ? NLIF_CMP_CHANGED : NLIF_CMP_WORSE;
            nlif_compare_item *it = add(r, k, cs, str(c, "scheme"), str(c, "check"));
            if (it) {
                snprintf(it->old_v, sizeof it->old_v, "%s", str(c, "verdict"));
                snprintf(it->new_v, sizeof it->new_v, "-");
                say(it, "vanished (was %s)", str(c, "verdict")[0] ? str(c, "verdict") : "a figure");
            }
            continue;
        }
        r->matched++;
        snprintf(tmp.cs, sizeof tmp.cs, "%s", cs);
        tmp.old_m = tmp.new_m = tmp.delta = tmp.rel = tmp.in_bound = NAN;
        int k = judge_cell(o, &tmp, c, nc);
        if (k == NLIF_CMP_SAME)
            continue;
        if (ed) {
            k = NLIF_CMP_EDIT;
            note_edit(r, cs);
        }
        nlif_compare_item *it = add(r, k, cs, str(c, "scheme"), str(c, "check"));
        if (it) {
            snprintf(it->text, sizeof it->text, "%s", tmp.text);
            memcpy(it->old_v, tmp.old_v, sizeof it->old_v), memcpy(it->new_v, tmp.new_v, sizeof it->new_v);
            it->old_m = tmp.old_m, it->new_m = tmp.new_m, it->delta = tmp.delta, it->rel = tmp.rel, it->in_bound = tmp.in_bound;
            memcpy(it->bound, tmp.bound, sizeof it->bound);
        }
    }
    json_array_foreach(json_object_get(new_, "cells"), i, c)
    {
        key_of(c, key, sizeof key);
        if (json_object_get(seen, key))
            continue;
        json_object_set_new(seen, key, json_true());
        r->appeared++;
        const char *v = str(c, "verdict");
        int ed = edited(old, new_, str(c, "case")) == 1;
        if (ed)
            note_edit(r, str(c, "case"));
        int k = ed ? NLIF_CMP_EDIT : is_fail(v) ? NLIF_CMP_WORSE : NLIF_CMP_CHANGED;
        nlif_compare_item *it = add(r, k, str(c, "case"), str(c, "scheme"), str(c, "check"));
        if (it) {
            snprintf(it->old_v, sizeof it->old_v, "-");
            snprintf(it->new_v, sizeof it->new_v, "%s", v);
            it->new_m = nlif_vd_num(c, "measured");
            say(it, "appeared (%s)", v[0] ? v : "a figure");
        }
    }
    json_decref(index);
    json_decref(seen);
}

static void compare_cpu(const nlif_compare_opts *o, const json_t *old, const json_t *new_, nlif_compare_result *r)
{
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(json_object_get(old, "runs"), i, a)
    {
        json_array_foreach(json_object_get(new_, "runs"), j, b)
        {
            if (strcmp(str(a, "case"), str(b, "case")) || strcmp(str(a, "scheme"), str(b, "scheme")))
                continue;
            double co = nlif_vd_num(a, "cpu_seconds"), cn = nlif_vd_num(b, "cpu_seconds"), ko = nlif_vd_num(a, "calibration_seconds"),
                   kn = nlif_vd_num(b, "calibration_seconds");
            if (!(co > 0 && cn > 0))
                break;
            int cal = ko > 0 && kn > 0;
            double ratio = cal ? (cn / kn) / (co / ko) : cn / co;
            r->cpu_pairs++;
            int judged = o->slowdown > 0 && co >= o->min_cpu, ed = edited(old, new_, str(a, "case")) == 1;
            int slow = judged && ratio > o->slowdown;
            r->cpu_judged += judged;
            if (judged)
                r->cpu_worst = fmax(r->cpu_worst, ratio);
            int k = !slow ? NLIF_CMP_SAME : ed ? NLIF_CMP_EDIT : NLIF_CMP_WORSE;
            nlif_compare_item *it = add(r, k, str(a, "case"), str(a, "scheme"), "cpu");
            if (!it)
                break;
            it->cpu = 1, it->old_m = co, it->new_m = cn, it->rel = ratio, it->delta = cn - co;
            say(it, "CPU %.3g s -> %.3g s: %.3g x%s", co, cn, ratio, cal ? " in calibration units" : " (no calibration: raw seconds)");
            if (slow)
                say(it, ", beyond --fail-on-slowdown %g", o->slowdown);
            else if (o->slowdown > 0 && !judged)
                say(it, " (not judged: under --min-cpu %g s)", o->min_cpu);
            break;
        }
    }
}

int nlif_compare_records(const nlif_compare_opts *o, const json_t *old, const json_t *new_, nlif_compare_result *r)
{
    memset(r, 0, sizeof *r);
    const char *cs;
    json_t *h;
    json_object_foreach((json_t *)json_object_get(old, "case_hashes"), cs, h) /* every edited case, moved or not */
        if (edited(old, new_, cs) == 1)
            note_edit(r, cs);
    compare_cells(o, old, new_, r);
    compare_cpu(o, old, new_, r);
    return 0;
}

void nlif_compare_result_free(nlif_compare_result *r)
{
    free(r->items);
    memset(r, 0, sizeof *r);
}

/* ---- output ---- */

static int write_markdown(const nlif_compare_opts *o, const nlif_compare_result *r, nlif_error *err)
{
    char tmp[4200];
    FILE *f = nlif_atomic_open(o->markdown, tmp, sizeof tmp, err);
    if (!f)
        return err->code;
    fprintf(f, "# nlif compare\n\nOLD `%s`, NEW `%s`: %d cells matched, %d appeared, %d vanished.\n\n", o->old_name, o->new_name,
            r->matched, r->appeared, r->vanished);
    fprintf(f, "| | count |\n|---|---|\n| regressions | %d |\n| case edits | %d (%s) |\n| improved | %d |\n| changed | %d |\n\n",
            r->count[NLIF_CMP_WORSE], r->count[NLIF_CMP_EDIT], r->edited[0] ? r->edited : "none", r->count[NLIF_CMP_BETTER],
            r->count[NLIF_CMP_CHANGED]);
    static const int order[] = {NLIF_CMP_WORSE, NLIF_CMP_EDIT, NLIF_CMP_BETTER, NLIF_CMP_CHANGED};
    for (int s = 0; s < 4; s++) {
        int k = order[s], any = 0;
        for (int i = 0; i < r->n; i++) {
            const nlif_compare_item *it = &r->items[i];
            if (it->kind != k || it->cpu)
                continue;
            if (!any++)
                fprintf(f, "## %s\n\n| case | scheme | check | OLD | NEW | measured OLD | measured NEW | change | relative | in bounds | bound | what |\n"
                           "|---|---|---|---|---|---|---|---|---|---|---|---|\n", kind_names[k]);
            fprintf(f, "| %s | %s | %s | %s | %s | %.6g | %.6g | %+.3g | %+.3g | %+.3g | %s | %s |\n", it->cs, it->scheme, it->check,
                    it->old_v, it->new_v, it->old_m, it->new_m, it->delta, it->rel, it->in_bound, it->bound, it->text);
        }
        if (any)
            fputc('\n', f);
    }
    fprintf(f, "## CPU\n\n%s\n\n| case | scheme | OLD s | NEW s | ratio | what |\n|---|---|---|---|---|---|\n",
            o->slowdown > 0 ? "Ratios NEW/OLD in calibration units where both runs record them; judged against --fail-on-slowdown."
                            : "Ratios NEW/OLD in calibration units where both runs record them (not judged: no --fail-on-slowdown).");
    for (int i = 0; i < r->n; i++)
        if (r->items[i].cpu)
            fprintf(f, "| %s | %s | %.4g | %.4g | %.3g | %s: %s |\n", r->items[i].cs, r->items[i].scheme, r->items[i].old_m,
                    r->items[i].new_m, r->items[i].rel, r->items[i].kind == NLIF_CMP_SAME ? "ok" : kind_names[r->items[i].kind],
                    r->items[i].text);
    return nlif_atomic_close(f, tmp, o->markdown, err);
}

static int write_junit(const nlif_compare_opts *o, const nlif_compare_result *r, nlif_error *err)
{
    char tmp[4200];
    FILE *f = nlif_atomic_open(o->junit, tmp, sizeof tmp, err);
    if (!f)
        return err->code;
    int n = r->n, fails = r->count[NLIF_CMP_WORSE], skipped = r->count[NLIF_CMP_EDIT];
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nlif compare\" tests=\"%d\" failures=\"%d\" "
               "errors=\"0\" skipped=\"%d\">\n  <testsuite name=\"nlif compare\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
               "skipped=\"%d\">\n", n, fails, skipped, n, fails, skipped);
    for (int i = 0; i < r->n; i++) {
        const nlif_compare_item *it = &r->items[i];
        char cls[300];
        snprintf(cls, sizeof cls, "%s.%s", it->cs, it->scheme);
        fputs("    <testcase classname=\"", f);
        nlif_xml_text(f, cls);
        fputs("\" name=\"", f);
        nlif_xml_text(f, it->check);
        fprintf(f, "\" time=\"%.6f\"", it->cpu && isfinite(it->new_m) ? it->new_m : 0.0);
        if (it->kind == NLIF_CMP_WORSE || it->kind == NLIF_CMP_EDIT) {
            char msg[900];
            snprintf(msg, sizeof msg, "%s%s: %s", it->kind == NLIF_CMP_EDIT ? "case edited (its hash differs), not a solver regression: " : "",
                     it->check, it->text);
            fputs(it->kind == NLIF_CMP_WORSE ? ">\n      <failure type=\"regression\" message=\"" : ">\n      <skipped message=\"", f);
            nlif_xml_text(f, msg);
            fputs(it->kind == NLIF_CMP_WORSE ? "\"/>\n    </testcase>\n" : "\"/>\n    </testcase>\n", f);
        } else if (it->kind != NLIF_CMP_SAME) {
            fputs(">\n      <system-out>", f);
            nlif_xml_text(f, it->text);
            fputs("</system-out>\n    </testcase>\n", f);
        } else
            fputs("/>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return nlif_atomic_close(f, tmp, o->junit, err);
}

int nlif_compare_print(const nlif_compare_opts *o, const nlif_compare_result *r)
{
    static const int order[] = {NLIF_CMP_WORSE, NLIF_CMP_EDIT, NLIF_CMP_BETTER, NLIF_CMP_CHANGED};
    for (int s = 0; s < 4; s++)
        for (int i = 0; i < r->n; i++) {
            const nlif_compare_item *it = &r->items[i];
            if (it->kind == order[s])
                printf("%-10s  %-22s %-12s %-22s %s%s%s\n", kind_names[it->kind], it->cs, it->scheme, it->check, it->text,
                       it->bound[0] && !it->cpu ? "; bound " : "", it->cpu ? "" : it->bound);
        }
    if (r->edited_cases)
        printf("case edits: %s (content hash differs: their differences are the edit's, not a solver's)\n", r->edited);
    printf("compare: %d cells matched, %d appeared, %d vanished; %d regression%s, %d case edit%s, %d improved, %d changed; "
           "CPU of %d pairs compared%s",
           r->matched, r->appeared, r->vanished, r->count[NLIF_CMP_WORSE], r->count[NLIF_CMP_WORSE] == 1 ? "" : "s",
           r->count[NLIF_CMP_EDIT], r->count[NLIF_CMP_EDIT] == 1 ? "" : "s", r->count[NLIF_CMP_BETTER], r->count[NLIF_CMP_CHANGED],
           r->cpu_pairs, o->slowdown > 0 ? "" : " (not judged: no --fail-on-slowdown)");
    if (o->slowdown > 0 && r->cpu_judged)
        printf(", %d judged (largest ratio %.3g, threshold %g)", r->cpu_judged, r->cpu_worst, o->slowdown);
    else if (o->slowdown > 0)
        printf(", none judged (each under --min-cpu %g s in OLD)", o->min_cpu);
    printf("\n");
    nlif_error err = {0};
    if ((o->markdown && write_markdown(o, r, &err)) || (o->junit && write_junit(o, r, &err))) {
        fprintf(stderr, "nlif compare: %s\n", err.msg);
        return NLIF_EXIT_USAGE;
    }
    return r->count[NLIF_CMP_WORSE] ? NLIF_EXIT_VERIFY : NLIF_EXIT_OK;
}
