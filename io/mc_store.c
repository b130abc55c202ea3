/* mc_store.c — the one lookup of stored Monte Carlo data: find a case's folder, read it through the
 * one reader, refuse it when it was made for another case (see nlif_mc_store.h). A reference made for
 * another model, initial law, input, horizon or resolution is refused with what differs, so that no
 * check judges, and no figure draws, against data the case does not describe.
 */
#include "nlif_mc_store.h"

#include "nlif_results.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* ROOT/NAME/NAME.json; with every place also ROOT/NAME.json (before it) and ROOT/NAME/VARIANT/NAME.json
 * (after it, the first VARIANT in name order). */
static int find_in(const char *root, const char *name, int where, char *out, size_t len)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s.json", root, name);
    if (where == NLIF_MC_STORE_ANYWHERE && exists(p))
        return snprintf(out, len, "%s", root), 1;
    snprintf(p, sizeof p, "%s/%s/%s.json", root, name, name);
    if (exists(p))
        return snprintf(out, len, "%s/%s", root, name), 1;
    if (where != NLIF_MC_STORE_ANYWHERE)
        return 0;
    snprintf(p, sizeof p, "%s/%s", root, name);
    struct dirent **list = NULL;
    int n = scandir(p, &list, NULL, alphasort), found = 0;
    for (int i = 0; i < n; i++) {
        if (!found && list[i]->d_name[0] != '.') {
            char q[8800];
            snprintf(q, sizeof q, "%s/%s/%s.json", p, list[i]->d_name, name);
            if (exists(q)) {
                snprintf(out, len, "%s/%s", p, list[i]->d_name);
                found = 1;
            }
        }
        free(list[i]);
    }
    free(list);
    return found;
}

int nlif_mc_store_find(const char *const *roots, int n, const char *name, int where, char *dir, size_t len)
{
    for (int i = 0; i < n; i++)
        if (roots[i] && roots[i][0] && find_in(roots[i], name, where, dir, len))
            return 1;
    snprintf(dir, len, "%s/%s", n > 0 && roots[0] ? roots[0] : ".", name);
    return 0;
}

static double num(const json_t *o, const char *key)
{
    const json_t *x = json_object_get(o, key);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

int nlif_mc_store_matches(const json_t *def, const json_t *js, const char *name, char *why, size_t len)
{
    const json_t *stored = json_object_get(js, "case_definition");
    if (!json_is_object(stored)) {
        snprintf(why, len, "no case_definition in the summary");
        return 0;
    }
    static const char *const parts[] = {"model", "initial", "input", NULL};
    for (int i = 0; parts[i]; i++)
        if (!json_equal(json_object_get(stored, parts[i]), json_object_get(def, parts[i]))) {
            snprintf(why, len, "made for another [%s] than the case file states: regenerate it (sh "
                               "reference/data/make_reference.sh %s)", parts[i], name);
            return 0;
        }
    const json_t *run = json_object_get(stored, "run"), *now = json_object_get(def, "run");
    struct {
        const char *what;
        double stored, stated;
    } f[] = {{"particles", num(js, "particles"), num(now, "particles")},
             {"realisations", num(js, "realisations"), num(now, "realisations")},
             {"dt (run.mc_dt)", num(js, "dt"), num(now, "mc_dt")},
             {"t_final", num(run, "t_final"), num(now, "t_final")}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!(fabs(f[i].stored - f[i].stated) <= 1e-12 * fabs(f[i].stated))) {
            snprintf(why, len, "made with %s = %g, the case states %g: regenerate it (sh reference/data/make_reference.sh %s)",
                     f[i].what, f[i].stored, f[i].stated, name);
            return 0;
        }
    return 1;
}

int nlif_mc_store_read_def(const json_t *def, const char *dir, const char *name, json_t **summary, nlif_rf_table *rate,
                           char *why, size_t len)
{
    nlif_error e = {0};
    *summary = nlif_rf_mc_read(dir, name, rate, &e);
    if (!*summary) {
        snprintf(why, len, "%s", e.msg);
        return NLIF_MC_STORE_UNREADABLE;
    }
    char mism[1000];
    if (!nlif_mc_store_matches(def, *summary, name, mism, sizeof mism)) {
        snprintf(why, len, "%s/%s.json: %s", dir, name, mism);
        nlif_rf_table_free(rate);
        json_decref(*summary);
        *summary = NULL;
        return NLIF_MC_STORE_NOT_THE_CASE;
    }
    return NLIF_MC_STORE_OK;
}

int nlif_mc_store_read(const nlif_case *cs, const char *dir, json_t **summary, nlif_rf_table *rate, char *why,
                       size_t len)
{
    json_t *def = nlif_case_json(cs);
    int rc = nlif_mc_store_read_def(def, dir, cs->name, summary, rate, why, len);
    json_decref(def);
    return rc;
}
