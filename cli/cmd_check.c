/* cmd_check.c — `nlif check FILE.json...`: read result sets through the one reader (RESULTS.md) and
 * say, for each, that it is accepted or why it is refused (FILE:LINE). For authors of solvers outside
 * nlif: what this command accepts, `nlif verify` and `nlif report` accept. */
#include "nlif_cli.h"

#include "../io/nlif_resultfmt.h"

#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif check FILE.json...\n\n"
               "Check result sets against the result format (RESULTS.md, format version %d). FILE.json is the\n"
               "summary of a set: a run (STEM.json with STEM.series.csv and STEM.snapshots.csv beside it), a\n"
               "Monte Carlo run (NAME.json with NAME_rate.csv, NAME_mfe.csv beside it) or a convergence\n"
               "study; the kind is told by its members (\"grid\": a run; \"levels\": a study; else Monte Carlo).\n"
               "Prints 'ok' or the reader's refusal (FILE:LINE: what is wrong) for each. A run's set the\n"
               "reader accepts is also compared with itself: a summary member or column that disagrees with\n"
               "the data it summarises (a mass column against the snapshots' own sums, a final_rate outside\n"
               "the N it averages, a minimum that hides a negative value, an MFE the fired column does not\n"
               "show) makes it 'inconsistent', with each disagreement (RESULTS.md, what is judged).\n"
               "Exit code: 0 every set accepted and consistent, 1 one inconsistent, 2 one refused.\n",
               NLIF_RF_VERSION);
}

/* Print each disagreement of a run's set with its own data; the number of them. */
static int inconsistencies(const char *path, const nlif_rf_run *r)
{
    nlif_rf_figures f;
    if (nlif_rf_run_figures(r, &f))
        return 0;
    for (int k = 0; k < f.n_findings; k++)
        printf("%s: inconsistent: %s\n", path, f.findings[k]);
    if (f.n_more)
        printf("%s: inconsistent: ... and %d more\n", path, f.n_more);
    return f.n_findings;
}

static int check_one(const char *path, int *inconsistent, nlif_error *err)
{
    json_t *j = nlif_rf_json_read(path, err);
    if (!j)
        return err->code;
    int is_run = json_object_get(j, "grid") != NULL, is_study = json_object_get(j, "levels") != NULL;
    json_decref(j);
    if (is_run) {
        nlif_rf_run r;
        int rc = nlif_rf_run_read(path, &r, err);
        if (!rc) {
            *inconsistent = inconsistencies(path, &r);
            nlif_rf_run_free(&r);
        }
        return rc;
    }
    if (is_study) {
        json_t *s = nlif_rf_study_read(path, err);
        json_decref(s);
        return s ? NLIF_OK : err->code;
    }
    /* Monte Carlo: DIR/NAME.json */
    char dir[4096], name[1024];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    snprintf(name, sizeof name, "%.*s", (int)(n > 5 ? n - 5 : n), base);
    nlif_rf_table rate, mfe;
    json_t *m = nlif_rf_mc_read(dir, name, &rate, err);
    if (!m)
        return err->code;
    nlif_rf_table_free(&rate);
    char mp[5200];
    snprintf(mp, sizeof mp, "%s/%s_mfe.csv", dir, name);
    int rc = nlif_rf_mc_mfe_read(mp, json_string_value(json_object_get(m, "run_id")), &mfe, err);
    if (!rc)
        nlif_rf_table_free(&mfe);
    json_decref(m);
    return rc;
}

int nlif_cmd_check(int argc, char **argv)
{
    int n = 0, bad = 0, odd = 0;
    static const struct option flags[] = {{"help", no_argument, NULL, NLIF_CLI_HELP}, {0, 0, 0, 0}};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) { /* each file checked as it comes */
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        }
        if (c != NLIF_CLI_POSITIONAL || p.flag[0] == '-') {
            fprintf(stderr, "nlif check: unknown option %s (see nlif check --help)\n", p.flag);
            return NLIF_EXIT_USAGE;
        }
        nlif_error err = {0};
        int inconsistent = 0;
        if (check_one(p.value, &inconsistent, &err)) {
            printf("%s: refused: %s\n", p.value, err.msg);
            bad++;
        } else if (inconsistent) {
            printf("%s: inconsistent (result format %d; %d disagreement%s with its own data)\n", p.value,
                   NLIF_RF_VERSION, inconsistent, inconsistent > 1 ? "s" : "");
            odd++;
        } else
            printf("%s: ok (result format %d)\n", p.value, NLIF_RF_VERSION);
        n++;
    }
    if (!n) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    return bad ? NLIF_EXIT_USAGE : odd ? 1 : 0;
}
