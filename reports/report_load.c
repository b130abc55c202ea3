/* report_load.c — read the inputs of a report: the verdict record (validated here, at the edge: a
 * malformed cell is refused with its index and key), the run files it names, and the Monte Carlo
 * reference data of each case (by the one lookup, io/nlif_mc_store.h: refused, with a sentence, when
 * they were not made for the case its runs record). Paths in the verdict record are relative to the
 * source-tree root; they are tried as given, then under the root the verdict file sits in, then under
 * nlif_root().
 */
#include "report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../io/nlif_identity.h"
#include "../io/nlif_mc_store.h"
#include "../io/nlif_results.h"
#include "../io/nlif_verdicts.h"
#include "report_doc.h"

void rp_note_add(rp_report *r, const char *case_name, const char *fmt, ...)
{
    if (r->n_notes == r->cap_notes) {
        int cap = r->cap_notes ? 2 * r->cap_notes : 16;
        rp_note *p = realloc(r->notes, (size_t)cap * sizeof *p);
        if (!p)
            return;
        r->notes = p;
        r->cap_notes = cap;
    }
    rp_note *n = &r->notes[r->n_notes++];
    snprintf(n->case_name, sizeof n->case_name, "%s", case_name ? case_name : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->text, sizeof n->text, fmt, ap);
    va_end(ap);
}

/* Find REL: as given, under r->base, under nlif_root(). */
static int resolve(const rp_report *r, const char *rel, char *out, size_t len)
{
    if (!rel || !*rel)
        return 0;
    if (rp_exists(rel)) {
        snprintf(out, len, "%s", rel);
        return 1;
    }
    if (rel[0] == '/')
        return 0;
    const char *bases[] = {r->base, nlif_root()};
    for (int i = 0; i < 2; i++) {
        if (!bases[i][0])
            continue;
        char p[2 * RP_PATH];
        snprintf(p, sizeof p, "%s/%s", bases[i], rel);
        if (rp_exists(p)) {
            snprintf(out, len, "%s", p);
            return 1;
        }
    }
    return 0;
}

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

static double num_or_nan(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int rp_case_index(const rp_report *r, const char *case_name)
{
    for (int i = 0; i < r->n_cases; i++)
        if (!strcmp(r->cases[i], case_name))
            return i;
    return -1;
}

static int scheme_index(const rp_report *r, const char *s)
{
    for (int i = 0; i < r->n_schemes; i++)
        if (!strcmp(r->schemes[i], s))
            return i;
    return -1;
}

static int add_name(char (**list)[128], int *n, const char *s)
{
    char(*p)[128] = realloc(*list, (size_t)(*n + 1) * sizeof **list);
    if (!p)
        return -1;
    *list = p;
    snprintf(p[*n], 128, "%s", s);
    (*n)++;
    return 0;
}

static int add_scheme(rp_report *r, const char *s)
{
    char(*p)[64] = realloc(r->schemes, (size_t)(r->n_schemes + 1) * sizeof *r->schemes);
    if (!p)
        return -1;
    r->schemes = p;
    snprintf(p[r->n_schemes++], 64, "%s", s);
    return 0;
}

static int parse_cells(rp_report *r, nlif_error *err)
{
    json_t *cells = json_object_get(r->root, "cells");
    if (!json_is_array(cells))
        return nlif_fail(err, NLIF_EINVAL, "%s: no \"cells\" array", r->opt->verdicts);
    size_t n = json_array_size(cells);
    r->cells = calloc(n ? n : 1, sizeof *r->cells);
    if (!r->cells)
        return nlif_fail(err, NLIF_ENOMEM, "cells");
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(cells, i);
        rp_cell *x = &r->cells[r->n_cells];
        static const char *const need[] = {"case", "scheme", "check", "verdict"};
        const char *val[4];
        for (int k = 0; k < 4; k++) {
            val[k] = json_string_value(json_object_get(c, need[k]));
            if (!val[k] || !*val[k])
                return nlif_fail(err, NLIF_EINVAL, "%s: cells[%zu]: \"%s\" missing or not a string",
                                 r->opt->verdicts, i, need[k]);
        }
        x->case_name = val[0];
        x->scheme = val[1];
        x->check = val[2];
        x->verdict_text = val[3];
        if (!strcmp(val[3], "pass"))
            x->verdict = RP_PASS;
        else if (!strcmp(val[3], "FAIL") || !strcmp(val[3], "fail"))
            x->verdict = RP_FAIL;
        else if (!strcmp(val[3], "n.a.") || !strcmp(val[3], "na"))
            x->verdict = RP_NA;
        else
            return nlif_fail(err, NLIF_EINVAL, "%s: cells[%zu]: verdict '%s' (allowed: pass, FAIL, n.a.)",
                             r->opt->verdicts, i, val[3]);
        x->measured = num_or_nan(c, "measured");
        x->reference = NAN;
        static const char *const refkeys[] = {"reference", "exact", "expected"};
        for (int k = 0; k < 3 && isnan(x->reference); k++)
            x->reference = num_or_nan(c, refkeys[k]);
        x->bound = str_or(c, "bound", "");
        x->source = str_or(c, "source", "");
        x->reason = str_or(c, "reason", "");
        x->run = json_string_value(json_object_get(c, "run"));
        x->known_failure = json_is_true(json_object_get(c, "known_failure"));
        x->capability = json_string_value(json_object_get(c, "capability"));
        x->json = c;
        r->n_cells++;
        if (rp_case_index(r, x->case_name) < 0 && add_name(&r->cases, &r->n_cases, x->case_name))
            return nlif_fail(err, NLIF_ENOMEM, "cases");
        if (scheme_index(r, x->scheme) < 0 && r->n_schemes == RP_MAX_COLS - 1)
            return nlif_fail(err, NLIF_EINVAL, "%s: cell %zu: more than %d schemes (a table of the report has a "
                             "column per scheme and one for the case; allowed: at most %d)", r->opt->verdicts, i + 1,
                             RP_MAX_COLS - 1, RP_MAX_COLS - 1);
        if (scheme_index(r, x->scheme) < 0 && add_scheme(r, x->scheme))
            return nlif_fail(err, NLIF_ENOMEM, "schemes");
    }
    /* stable insertion sort of schemes by rank (scheme_style.c), so that the columns of every table and
     * the curves of every figure come in one order */
    for (int i = 1; i < r->n_schemes; i++)
        for (int j = i; j > 0 && rp_style_of(r->schemes[j]).rank < rp_style_of(r->schemes[j - 1]).rank; j--) {
            char t[64];
            memcpy(t, r->schemes[j], 64);
            memcpy(r->schemes[j], r->schemes[j - 1], 64);
            memcpy(r->schemes[j - 1], t, 64);
        }
    return NLIF_OK;
}

/* Check every file the record says a verdict was judged from (verdicts.json "inputs": path, run id,
 * hash; io/nlif_identity.h) against the file now, each once; refuse every cell judged from one that
 * differs, with a note naming the file and what differs. */
static int check_identities(rp_report *r, nlif_error *err)
{
    json_t *cells = json_object_get(r->root, "cells"), *inputs = json_object_get(r->root, "inputs"), *e;
    json_t *known = json_object();
    r->refusals = json_object();
    if (!known || !r->refusals) {
        json_decref(known);
        return nlif_fail(err, NLIF_ENOMEM, "identities");
    }
    size_t i;
    json_array_foreach(inputs, i, e)
    {
        const char *path = json_string_value(json_object_get(e, "path"));
        if (!path)
            continue;
        json_object_set(known, path, e);
        char on_disk[RP_PATH], why[2 * RP_PATH];
        if (!resolve(r, path, on_disk, sizeof on_disk))
            snprintf(on_disk, sizeof on_disk, "%s", path);
        if (nlif_identity_check(on_disk, path, json_string_value(json_object_get(e, "run_id")),
                                json_string_value(json_object_get(e, "hash")), why, sizeof why))
            json_object_set_new(r->refusals, path, json_string(why));
    }
    for (int k = 0; k < r->n_cells; k++) {
        rp_cell *x = &r->cells[k];
        json_t *c = json_array_get(cells, (size_t)k), *list = json_object_get(c, "inputs"), *p;
        if (!json_is_array(list)) {
            x->unchecked = 1;
            r->n_unchecked++;
            continue;
        }
        const char *why = NULL;
        if (json_is_false(json_object_get(c, "inputs_complete"))) {
            json_object_set_new(r->refusals, "(incomplete)",
                                json_string("verify could not record every file the verdict was judged from"));
            why = json_string_value(json_object_get(r->refusals, "(incomplete)"));
        }
        size_t j;
        json_array_foreach(list, j, p)
        {
            const char *path = json_string_value(p);
            if (why)
                break;
            if (!path)
                path = "?";
            if (!json_object_get(known, path) && !json_object_get(r->refusals, path)) {
                char text[RP_PATH + 100];
                snprintf(text, sizeof text, "%s: judged from, but no identity of it is recorded", path);
                json_object_set_new(r->refusals, path, json_string(text));
            }
            why = json_string_value(json_object_get(r->refusals, path));
        }
        if (!why)
            continue;
        x->refused = 1;
        x->refusal = why;
        x->verdict = RP_FAIL;
        x->known_failure = 0;
        x->measured = NAN;
        r->n_refused++;
    }
    json_decref(known);
    const char *path;
    json_object_foreach(r->refusals, path, e)
    {
        int n = 0;
        for (int k = 0; k < r->n_cells; k++)
            n += r->cells[k].refused && r->cells[k].refusal == json_string_value(e);
        if (n)
            rp_note_add(r, NULL, "%d verdict(s) refused: %s. They were judged from that file as it was then, not "
                                 "from the data beside them now (run nlif verify again).",
                        n, json_string_value(e));
    }
    if (r->n_unchecked)
        rp_note_add(r, NULL, "%d verdict(s) name no files they were judged from (a verdict record of an older nlif): "
                             "they are shown unchecked.", r->n_unchecked);
    return NLIF_OK;
}

const rp_run *rp_find_run(const rp_report *r, const char *case_name, const char *scheme)
{
    for (int i = 0; i < r->n_runs; i++)
        if (!strcmp(r->runs[i].case_name, case_name) && !strcmp(r->runs[i].scheme, scheme))
            return &r->runs[i];
    return NULL;
}

static int add_run(rp_report *r, const char *cs, const char *scheme, const char *summary, const char *series,
                   const char *snaps)
{
    /* the Monte Carlo column's cells name a live Monte Carlo set (verify's mc/ folder): data of the
     * case's reference layer (load_mc finds it), not a scheme's run */
    if (!cs || !scheme || !strcmp(scheme, "mc") || rp_find_run(r, cs, scheme))
        return 0;
    rp_run *p = realloc(r->runs, (size_t)(r->n_runs + 1) * sizeof *p);
    if (!p)
        return -1;
    r->runs = p;
    rp_run *x = &p[r->n_runs++];
    memset(x, 0, sizeof *x);
    snprintf(x->case_name, sizeof x->case_name, "%s", cs);
    snprintf(x->scheme, sizeof x->scheme, "%s", scheme);
    (void)series;
    (void)snaps; /* the set's files are those beside its summary (RESULTS.md) */
    if (!resolve(r, summary, x->summary, sizeof x->summary)) {
        x->summary[0] = '\0';
        return 0;
    }
    nlif_rf_run set;
    nlif_error e = {0};
    if (nlif_rf_run_read(x->summary, &set, &e)) {
        rp_note_add(r, cs, "The result set of %s on %s was refused by the reader (RESULTS.md): %s. Its curves and "
                           "densities are absent.", scheme, cs, e.msg);
        x->refused = 1;
        return 0;
    }
    x->sum = json_incref(set.summary);
    snprintf(x->series, sizeof x->series, "%s", set.series.path);
    snprintf(x->snapshots, sizeof x->snapshots, "%s", set.snapshots.path);
    nlif_rf_run_free(&set);
    return 0;
}

static int load_runs(rp_report *r, nlif_error *err)
{
    json_t *runs = json_object_get(r->root, "runs"), *e;
    size_t i;
    json_array_foreach(runs, i, e)
    {
        if (add_run(r, json_string_value(json_object_get(e, "case")), json_string_value(json_object_get(e, "scheme")),
                    json_string_value(json_object_get(e, "summary")), json_string_value(json_object_get(e, "series")),
                    json_string_value(json_object_get(e, "snapshots"))))
            return nlif_fail(err, NLIF_ENOMEM, "runs");
    }
    for (int k = 0; k < r->n_cells; k++)
        if (r->cells[k].run && add_run(r, r->cells[k].case_name, r->cells[k].scheme, r->cells[k].run, NULL, NULL))
            return nlif_fail(err, NLIF_ENOMEM, "runs");
    for (int k = 0; k < r->n_runs; k++) {
        rp_run *x = &r->runs[k];
        if (x->refused)
            continue; /* said in its own note */
        if (!x->series[0])
            rp_note_add(r, x->case_name, "The run file of %s on %s (N(t) series) was not found: its curves are absent.",
                        x->scheme, x->case_name);
        else if (!x->snapshots[0])
            rp_note_add(r, x->case_name, "The snapshot file of %s on %s was not found: its densities are absent.",
                        x->scheme, x->case_name);
    }
    return NLIF_OK;
}

/* ---- Monte Carlo ---- */

/* The case's definition as the runs verify judged recorded it ("case_spec", as nlif_case_json writes
 * it): what its stored Monte Carlo data must have been made for. NULL if no run of the case records one. */
static const json_t *case_spec(const rp_report *r, const char *cs)
{
    for (int i = 0; i < r->n_runs; i++)
        if (r->runs[i].sum && !strcmp(r->runs[i].case_name, cs) &&
            json_is_object(json_object_get(r->runs[i].sum, "case_spec")))
            return json_object_get(r->runs[i].sum, "case_spec");
    return NULL;
}

/* The folder of the live Monte Carlo set the record's Monte Carlo column judged for case CS (its
 * cells' "run": verify's OUT/mc/CS.json), resolved like every input; 0 if there is none. */
static int live_mc_dir(const rp_report *r, const char *cs, char *out, size_t len)
{
    for (int k = 0; k < r->n_cells; k++) {
        const rp_cell *c = &r->cells[k];
        if (strcmp(c->case_name, cs) || strcmp(c->scheme, "mc") || !c->run || !resolve(r, c->run, out, len))
            continue;
        char *slash = strrchr(out, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(out, len, ".");
        return 1;
    }
    return 0;
}

/* The case's Monte Carlo data by the one lookup (io/nlif_mc_store.h), searched in the --mc folders,
 * then the live set verify made for this record (its mc/ folder), then reference/data/ (here, beside
 * the verdict record, at the source root), then results/mc/; refused, with a sentence, when they are
 * not the case's. */
static void load_mc(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    rp_mc *m = &r->mc[ci];
    memset(m, 0, sizeof *m);
    char dirs[NLIF_REPORT_MAX_MC_DIRS + 7][RP_PATH];
    const char *roots[NLIF_REPORT_MAX_MC_DIRS + 7];
    int nd = 0;
    for (int i = 0; i < r->opt->n_mc_dirs; i++)
        snprintf(dirs[nd++], RP_PATH, "%s", r->opt->mc_dirs[i]);
    if (live_mc_dir(r, cs, dirs[nd], RP_PATH))
        nd++;
    const char *bases[] = {".", r->base, nlif_root()};
    for (int b = 0; b < 3; b++) {
        if (!bases[b][0])
            continue;
        snprintf(dirs[nd++], RP_PATH, "%.4000s/reference/data", bases[b]);
    }
    snprintf(dirs[nd++], RP_PATH, "results/mc");
    if (r->base[0])
        snprintf(dirs[nd++], RP_PATH, "%.4000s/results/mc", r->base);
    for (int i = 0; i < nd; i++)
        roots[i] = dirs[i];
    m->have = nlif_mc_store_find(roots, nd, cs, NLIF_MC_STORE_ANYWHERE, m->dir, sizeof m->dir);
    if (!m->have)
        return;
    const json_t *def = case_spec(r, cs);
    if (!def) {
        rp_note_add(r, cs, "The Monte Carlo data in %s were not used: no run of %s records the case definition "
                           "(case_spec) they must have been made for. The Monte Carlo layers are absent.", m->dir, cs);
        m->have = 0;
        return;
    }
    char p[2 * RP_PATH], why[1200];
    nlif_error e = {0};
    nlif_rf_table rate;
    int how = nlif_mc_store_read_def(def, m->dir, cs, &m->sum, &rate, why, sizeof why);
    if (how) {
        if (how == NLIF_MC_STORE_UNREADABLE)
            rp_note_add(r, cs, "The Monte Carlo result set in %s was refused by the reader (RESULTS.md): %s. The Monte "
                               "Carlo layers are absent.", m->dir, why);
        else
            rp_note_add(r, cs, "The Monte Carlo data of %s were refused: %s. The Monte Carlo layers are absent.", cs, why);
        m->have = 0;
        return;
    }
    snprintf(m->rate_csv, sizeof m->rate_csv, "%s", rate.path);
    nlif_rf_table_free(&rate);
    const char *id = json_string_value(json_object_get(m->sum, "run_id"));
    for (int k = 1; k <= 16; k++) {
        snprintf(p, sizeof p, "%s/%s_snap%d.csv", m->dir, cs, k);
        if (!rp_exists(p))
            break;
        nlif_rf_table t;
        if (nlif_rf_table_read(p, nlif_rf_mc_snap_cols, &t, &e) || nlif_rf_same_run(m->dir, id, p, t.run_id, &e)) {
            if (t.names)
                nlif_rf_table_free(&t);
            rp_note_add(r, cs, "A Monte Carlo snapshot was refused by the reader (RESULTS.md): %s.", e.msg);
            nlif_error_clear(&e);
            continue;
        }
        double ts = nlif_rf_comment_num(&t, "snapshot_t");
        nlif_rf_table_free(&t);
        if (isnan(ts))
            continue;
        snprintf(m->snap_csv[m->n_snap], RP_PATH, "%s", p);
        m->snap_t[m->n_snap++] = ts;
    }
}

/* ---- choices ---- */

static json_t *choices_from_runs(const rp_report *r)
{
    json_t *all = json_object();
    for (int i = 0; i < r->n_runs; i++)
        if (r->runs[i].sum)
            nlif_choices_merge(all, r->runs[i].scheme, json_object_get(r->runs[i].sum, "choices"));
    return all;
}

int rp_load(rp_report *r, nlif_error *err)
{
    r->root = nlif_verdicts_read(r->opt->verdicts, err);
    if (!r->root)
        return err->code;
    /* base: the tree the record belongs to (…/results/verify/verdicts.json → …), else its directory */
    const char *v = r->opt->verdicts, *tail = "results/verify/verdicts.json";
    size_t n = strlen(v), nt = strlen(tail);
    if (n >= nt && !strcmp(v + n - nt, tail))
        snprintf(r->base, sizeof r->base, "%.*s", (int)(n - nt), v);
    else {
        const char *slash = strrchr(v, '/');
        snprintf(r->base, sizeof r->base, "%.*s", slash ? (int)(slash - v) : 1, slash ? v : ".");
    }
    size_t bl = strlen(r->base);
    if (bl > 1 && r->base[bl - 1] == '/')
        r->base[bl - 1] = '\0';
    if (!r->base[0])
        snprintf(r->base, sizeof r->base, ".");
    json_t *prov = json_object_get(r->root, "provenance");
    r->commit = str_or(prov, "commit", "unknown");
    r->date = str_or(prov, "date", "unknown");
    r->mode = str_or(r->root, "mode", "unknown");
    r->wall_seconds = num_or_nan(r->root, "wall_seconds");
    int rc = parse_cells(r, err);
    if (rc)
        return rc;
    if (!r->n_cells)
        rp_note_add(r, NULL, "The verdict record holds no cells: nothing was judged.");
    if ((rc = check_identities(r, err)))
        return rc;
    if ((rc = load_runs(r, err)))
        return rc;
    r->mc = calloc((size_t)(r->n_cases ? r->n_cases : 1), sizeof *r->mc);
    if (!r->mc)
        return nlif_fail(err, NLIF_ENOMEM, "mc");
    for (int i = 0; i < r->n_cases; i++)
        load_mc(r, i);
    r->conv = json_object_get(r->root, "convergence");
    if (!json_is_array(r->conv) || !json_array_size(r->conv)) {
        r->conv = NULL;
        rp_note_add(r, NULL, "The verdict record holds no convergence studies: no convergence tables, convergence "
                             "plots or work–precision diagrams.");
    }
    json_t *ch = json_object_get(r->root, "choices");
    if (json_is_object(ch) && json_object_size(ch)) {
        r->choices = json_incref(ch);
    } else {
        r->choices = choices_from_runs(r);
        rp_note_add(r, NULL, "The verdict record lists no Choices: the table of Choices is gathered from the run "
                             "summaries.");
    }
    return NLIF_OK;
}

void rp_free(rp_report *r)
{
    for (int i = 0; i < r->n_runs; i++)
        json_decref(r->runs[i].sum);
    for (int i = 0; r->mc && i < r->n_cases; i++)
        json_decref(r->mc[i].sum);
    free(r->mc);
    free(r->runs);
    free(r->cells);
    free(r->cases);
    free(r->schemes);
    free(r->figs);
    free(r->notes);
    json_decref(r->choices);
    json_decref(r->refusals);
    json_decref(r->root);
    memset(r, 0, sizeof *r);
}

int rp_cell_counts(const rp_report *r, const char *case_name, const char *scheme, int counts[3])
{
    counts[0] = counts[1] = counts[2] = 0;
    for (int i = 0; i < r->n_cells; i++)
        if (!strcmp(r->cells[i].case_name, case_name) && !strcmp(r->cells[i].scheme, scheme))
            counts[r->cells[i].verdict]++;
    if (counts[RP_FAIL])
        return RP_FAIL;
    if (counts[RP_PASS])
        return RP_PASS;
    return RP_NA;
}

double rp_exact_rate(const rp_report *r, const char *case_name)
{
    for (int i = 0; i < r->n_cells; i++)
        if (!strcmp(r->cells[i].case_name, case_name) && !strcmp(r->cells[i].check, "stationary_rate") &&
            isfinite(r->cells[i].reference))
            return r->cells[i].reference;
    return NAN;
}

const char *rp_conv_str(const json_t *c, const char *const *keys)
{
    for (int i = 0; keys[i]; i++) {
        const char *s = json_string_value(json_object_get(c, keys[i]));
        if (s)
            return s;
    }
    return NULL;
}

double rp_conv_num(const json_t *c, const char *const *keys)
{
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(c, keys[i]);
        if (json_is_number(v))
            return json_number_value(v);
    }
    return NAN;
}

/* The step that is refined: "h" if given, else dv/dt/dw by direction. */
double rp_level_h(const json_t *level, const char *dir)
{
    double h = num_or_nan(level, "h");
    if (isfinite(h))
        return h;
    if (dir && !strcmp(dir, "t"))
        return num_or_nan(level, "dt");
    if (dir && !strcmp(dir, "w"))
        return num_or_nan(level, "dw");
    return num_or_nan(level, "dv");
}
