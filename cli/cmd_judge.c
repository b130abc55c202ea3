/* cmd_judge.c — `nlif judge DIR`: judge result files already on disk with the checks and the verdict
 * table of `nlif verify` (MATHEMATICS.md 6), running nothing. The judging is verify's own
 * (harness/verify/, the checks of harness/checks/; the table: cmd_verify.c); this file only finds
 * what DIR holds.
 *
 * Two kinds of folder:
 * - a verify folder (DIR/jobs.json, written by `nlif verify --out DIR`): its cases, schemes, Monte
 *   Carlo column and the exit code of every job; judged again, it gives the verdicts verify gave.
 * - result files written by any code (RESULTS.md): run summaries named CASE.SCHEME.json, in DIR/runs/
 *   when there is one, else in DIR; further runs beside them under verify's names (seeds
 *   CASE.SCHEME.seedK.*, the epsilon sweep CASE.SCHEME.ap_*.*, ladders CASE.SCHEME.{v,t,w}.json
 *   in DIR/converge/ or DIR, a live Monte Carlo run mc/CASE.*).
 * The case a summary names is judged by the catalogue's case file of that name (or the one --case
 * gives), never by the case_spec member the file carries: the bounds must not come from the code
 * under test. The scheme must be registered: its capabilities decide what is n.a.
 */
#include "../harness/case/nlif_case.h"
#include "../harness/case/nlif_fresh.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../harness/runs/nlif_jobs.h"
#include "../harness/verify/nlif_verify.h"

#include "../io/nlif_jobrec.h"
#include "../io/nlif_resultfmt.h"

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PAIRS 512

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif judge DIR [--case FILE.ini] [--cases LIST] [--schemes LIST] [--json] [--junit FILE]\n"
               "                     [--verdicts FILE] [--strict]\n\n"
               "Judge the result files in DIR with the checks and the verdict table of `nlif verify`, running\n"
               "nothing; exit 1 if a check failed (ci/known_failures as for verify), 2 on bad input.\n"
               "DIR is either a verify folder (verify --out DIR; it holds jobs.json: the cases, schemes and how\n"
               "every job ended), judged again to the same verdicts, or a folder of result files written by any\n"
               "code (RESULTS.md): every run summary CASE.SCHEME.json in DIR/runs/ (or DIR) is one (case, scheme)\n"
               "pair. Its case is the catalogue's case of the name the summary's `case` member gives, or the case\n"
               "file --case gives (its case_spec member is not used: bounds never come from the code under test);\n"
               "its scheme must be registered (nlif list): the scheme's capabilities decide what is n.a.\n\n"
               "What judge can judge from one run: status, mass, positivity, stationary_rate, jump, blowup_time,\n"
               "mfe_mc and snapshot_mc of a deterministic scheme, rate_mc (of a random scheme: over the seeds on\n"
               "disk), the baseline;\n"
               "a summary the result reader refuses is a FAIL of cell 'run' with the reader's FILE:LINE. Checks that\n"
               "need more runs judge the files that exist under verify's names and are n.a. otherwise, saying so:\n"
               "  order_v/t/w   the study CASE.SCHEME.{v,t,w}.json (`nlif converge`; in DIR/converge/ or DIR):\n"
               "                'no ladder on disk'\n"
               "  mfe_mc, snapshot_mc  of a random scheme: seeds CASE.SCHEME.seedK.json, K = 2..8: 'no seeds on disk'\n"
               "  ap            CASE.SCHEME.ap_limit.* and ap_epsK.*: 'no epsilon sweep on disk'\n"
               "  mc_stationary the Monte Carlo column (--schemes ...,mc): mc/CASE.json: 'no live Monte Carlo run'\n\n"
               "  --case FILE.ini   judge the summaries naming this case by this case file\n"
               "  --cases LIST      only these cases (names, globs, tag:TAG, comma-separated)\n"
               "  --schemes LIST    only these schemes; 'mc' adds the Monte Carlo column\n"
               "  --json            print the verdict record instead of the table\n"
               "  --junit FILE      JUnit XML, as verify --junit\n"
               "  --verdicts FILE   write the verdict record (nlif report --verdicts FILE reads it)\n"
               "  --strict          count the n.a. of a lacking capability as failures, as verify --strict\n\n"
               "The checks:\n");
    nlif_cli_print_checks(f);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether the comma-separated LIST (NULL: everything) names NAME. */
static int listed(const char *list, const char *name)
{
    if (!list)
        return 1;
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!strcmp(t, name))
            return 1;
    return 0;
}

/* Load case NAME: the --case file when it has that name, a fresh instance rebuilt from the verify
 * folder DIR's record (harness/verify/verify_fresh.c), else the catalogue's. 0 or exit code. */
static int load_case(nlif_verify *v, const char *dir, nlif_case *cs, const char *name, const nlif_case *given,
                     const char *where)
{
    if (given && !strcmp(given->name, name)) {
        *cs = *given;
        return 0;
    }
    if (dir && nlif_fresh_name(name, NULL, 0)) {
        nlif_error err = {0};
        return nlif_verify_fresh_load(v, dir, name, cs, &err) ? nlif_cli_report("judge", &err) : 0;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/cases/%s.ini", nlif_root(), name);
    if (!is_file(path)) {
        fprintf(stderr, "nlif judge: %s: case '%s' is not in the catalogue (cases/); give its case file with --case FILE.ini\n",
                where, name);
        return NLIF_EXIT_USAGE;
    }
    nlif_error err = {0};
    if (nlif_checks_load_case(cs, name, NULL, 0, &err))
        return nlif_cli_report("judge", &err);
    return 0;
}

typedef struct pair {
    char cs[NLIF_NAME_MAX], scheme[NLIF_NAME_MAX];
} pair;

/* Every run summary CASE.SCHEME.json in RUNS (a stem with one dot): the pairs. 0 or exit code. */
static int find_pairs(const char *runs, pair *p, int *n)
{
    DIR *d = opendir(runs);
    if (!d) {
        fprintf(stderr, "nlif judge: cannot read the folder %s\n", runs);
        return NLIF_EXIT_USAGE;
    }
    struct dirent *e;
    int rc = 0;
    *n = 0;
    while (!rc && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 5, ".json"))
            continue;
        char stem[512];
        snprintf(stem, sizeof stem, "%.*s", (int)(l - 5), e->d_name);
        char *dot = strchr(stem, '.');
        if (!dot || strchr(dot + 1, '.') || dot == stem || !dot[1])
            continue; /* seeds, sweeps, studies: CASE.SCHEME.MORE.json */
        *dot = '\0';
        if (strlen(stem) >= NLIF_NAME_MAX || strlen(dot + 1) >= NLIF_NAME_MAX)
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", runs, e->d_name);
        /* a summary that names another pair is bad input; a refused one is judged (run: FAIL) */
        nlif_error err = {0};
        json_t *s = nlif_rf_json_read(path, &err);
        const char *c = s ? json_string_value(json_object_get(s, "case")) : NULL,
                   *sc = s ? json_string_value(json_object_get(s, "scheme")) : NULL;
        if (s && (!c || !sc || strcmp(c, stem) || strcmp(sc, dot + 1))) {
            fprintf(stderr, "nlif judge: %s:1: the summary names case '%s', scheme '%s': a run's summary is CASE.SCHEME.json "
                            "(RESULTS.md)\n", path, c ? c : "?", sc ? sc : "?");
            rc = NLIF_EXIT_USAGE;
        } else if (!nlif_scheme_find(dot + 1)) {
            fprintf(stderr, "nlif judge: %s: scheme '%s' is not registered (nlif list): judge takes a scheme's capabilities "
                            "from the registry\n", path, dot + 1);
            rc = NLIF_EXIT_USAGE;
        } else if (*n == MAX_PAIRS) {
            fprintf(stderr, "nlif judge: %s: more than %d run summaries\n", runs, MAX_PAIRS);
            rc = NLIF_EXIT_USAGE;
        } else {
            snprintf(p[*n].cs, sizeof p[*n].cs, "%s", stem);
            snprintf(p[*n].scheme, sizeof p[*n].scheme, "%s", dot + 1);
            (*n)++;
        }
        json_decref(s);
    }
    closedir(d);
    return rc;
}

/* The schemes of DIR: those on disk (or in the plan), FOUND (comma-separated), narrowed by --schemes
 * (SCHEMES, NULL: all); and the Monte Carlo column. 0 or the exit code. */
static int select_schemes(nlif_verify *v, const char *dir, int from_plan, const char *found, const char *schemes)
{
    int rc = 0;
    if (schemes) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", schemes);
        for (char *t = strtok_r(buf, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save))
            if (strcmp(t, "mc") && !listed(found, t)) {
                fprintf(stderr, "nlif judge: --schemes: %s has no result in %s (there: %s)\n", t, dir, found[0] ? found : "none");
                rc = NLIF_EXIT_USAGE;
            }
    }
    if (!rc) {
        char use[2048] = "", buf[2048], *save = NULL;
        snprintf(buf, sizeof buf, "%s", found);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (listed(schemes, t))
                snprintf(use + strlen(use), sizeof use - strlen(use), "%s%s", use[0] ? "," : "", t);
        /* the Monte Carlo column: the plan's (unless --schemes leaves it out), else only when asked */
        int mc = from_plan ? nlif_verify_want_mc(v) && listed(schemes, "mc") : schemes && listed(schemes, "mc");
        if (from_plan && schemes && !listed(schemes, "mc"))
            mc = 0;
        else if (from_plan && !schemes)
            mc = nlif_verify_want_mc(v);
        rc = nlif_verify_select_schemes(v, use[0] ? use : "mc");
        nlif_verify_set_mc(v, mc);
    }
    return rc;
}

/* The command line of judge. */
typedef struct judge_args {
    const char *dir, *case_file, *cases, *schemes, *junit, *record;
    int json, strict;
} judge_args;

enum { OPT_JSON = 256, OPT_STRICT, OPT_CASE, OPT_CASES, OPT_SCHEMES, OPT_JUNIT, OPT_VERDICTS };

static const struct option judge_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"json", no_argument, NULL, OPT_JSON},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"case", required_argument, NULL, OPT_CASE},
    {"cases", required_argument, NULL, OPT_CASES},
    {"schemes", required_argument, NULL, OPT_SCHEMES},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"verdicts", required_argument, NULL, OPT_VERDICTS},
    {NULL, 0, NULL, 0},
};

/* Parse argv into a. 0 to go on, -1 after --help (exit 0), else the exit code. */
static int parse_args(int argc, char **argv, judge_args *a)
{
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, judge_options, 0);
    for (int opt; (opt = nlif_cli_flags_next(&p)) != -1;) {
        const char **to = NULL;
        switch (opt) {
        case 'h': usage(stdout); return -1;
        case OPT_JSON: a->json = 1; break;
        case OPT_STRICT: a->strict = 1; break;
        case OPT_CASE: to = &a->case_file; break;
        case OPT_CASES: to = &a->cases; break;
        case OPT_SCHEMES: to = &a->schemes; break;
        case OPT_JUNIT: to = &a->junit; break;
        case OPT_VERDICTS: to = &a->record; break;
        case NLIF_CLI_POSITIONAL:
            if (p.value[0] != '-' && !a->dir) {
                a->dir = p.value;
                break;
            }
            fprintf(stderr, "nlif judge: unexpected argument '%s'\n", p.value);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        default:
            fprintf(stderr, "nlif judge: unexpected argument '%s'\n", p.flag);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
        if (to && (!p.value || !p.value[0])) { /* an option without its value */
            fprintf(stderr, "nlif judge: %s needs a value\n", p.flag);
            return NLIF_EXIT_USAGE;
        }
        if (to)
            *to = p.value;
    }
    return 0;
}

/* A verify folder's job record PLAN into v (its mode, Monte Carlo column, jobs), its cases into names
 * and its schemes, comma-separated, into schemes. 0 or an nlif error code. */
static int take_jobrec(nlif_verify *v, const char *plan, char names[][NLIF_NAME_MAX], int *n_names, char *schemes,
                       size_t len, nlif_error *err)
{
    nlif_jobrec r;
    int rc = nlif_jobrec_read(plan, NLIF_NAME_MAX, NLIF_MAX_CASES, &r, err);
    if (!rc && nlif_verify_take_jobrec(v, plan, &r, err))
        rc = err->code;
    *n_names = 0;
    schemes[0] = '\0';
    for (int i = 0; !rc && i < r.n_cases; i++)
        snprintf(names[(*n_names)++], NLIF_NAME_MAX, "%s", r.cases[i]);
    for (int i = 0; !rc && i < r.n_schemes; i++)
        snprintf(schemes + strlen(schemes), len - strlen(schemes), "%s%s", schemes[0] ? "," : "", r.schemes[i]);
    nlif_jobrec_free(&r);
    return rc;
}

int nlif_cmd_judge(int argc, char **argv)
{
    judge_args a = {0};
    int prc = parse_args(argc, argv, &a);
    if (prc)
        return prc < 0 ? 0 : prc;
    const char *dir = a.dir, *case_file = a.case_file, *cases = a.cases, *schemes = a.schemes, *junit = a.junit,
               *record = a.record;
    int json = a.json, strict = a.strict;
    if (!dir) {
        fprintf(stderr, "nlif judge: which folder? (nlif judge DIR; see nlif judge --help)\n");
        return NLIF_EXIT_USAGE;
    }
    if (!is_dir(dir) || strlen(dir) > 900) {
        fprintf(stderr, "nlif judge: %s: not a folder%s\n", dir, strlen(dir) > 900 ? " (name over 900 characters)" : "");
        return NLIF_EXIT_USAGE;
    }
    nlif_error err = {0};
    static nlif_case given;
    if (case_file && nlif_checks_load_case(&given, case_file, NULL, 0, &err))
        return nlif_cli_report("judge", &err);
    char plan[1200], sub[1200];
    snprintf(plan, sizeof plan, "%s/jobs.json", dir);
    snprintf(sub, sizeof sub, "%s/runs", dir);
    int from_plan = is_file(plan), flat = !from_plan && !is_dir(sub);
    nlif_verify *v = nlif_verify_new("judge", dir, flat);
    nlif_case *cand = calloc(NLIF_MAX_CASES, sizeof *cand);
    static pair pairs[MAX_PAIRS];
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    char found[2048] = "";
    int n_names = 0, n_pairs = 0, rc = 0;
    if (!v || !cand) {
        free(cand);
        nlif_verify_free(v);
        return nlif_cli_report("judge", &(nlif_error){NLIF_ENOMEM, "judge state"});
    }
    if (from_plan) {
        /* a verify folder: judged as verify judged it (its job record); no verify may be writing it */
        nlif_verify_set_flags(v, 0, strict, 0);
        if (nlif_dir_lock(dir, "nlif verify or judge", &err) ||
            take_jobrec(v, plan, names, &n_names, found, sizeof found, &err))
            rc = nlif_cli_report("judge", &err);
    } else {
        nlif_verify_set_flags(v, 0, strict, 1);
        snprintf(sub, sizeof sub, "%s%s", dir, flat ? "" : "/runs");
        rc = find_pairs(sub, pairs, &n_pairs);
        for (int i = 0; !rc && i < n_pairs; i++) {
            int seen = 0;
            for (int k = 0; k < n_names; k++)
                seen |= !strcmp(names[k], pairs[i].cs);
            if (!seen && n_names < NLIF_MAX_CASES)
                snprintf(names[n_names++], NLIF_NAME_MAX, "%s", pairs[i].cs);
            if (!listed(found[0] ? found : "", pairs[i].scheme))
                snprintf(found + strlen(found), sizeof found - strlen(found), "%s%s", found[0] ? "," : "", pairs[i].scheme);
        }
        if (!rc && !n_pairs) {
            fprintf(stderr, "nlif judge: no run summary CASE.SCHEME.json in %s (RESULTS.md)\n", sub);
            rc = NLIF_EXIT_USAGE;
        }
    }
    /* the --case file replaces the catalogue's case of its name; summaries of other cases wait */
    int n_cand = 0;
    for (int k = 0; !rc && k < n_names; k++) {
        if (case_file && strcmp(names[k], given.name)) {
            fprintf(stderr, "nlif judge: skipping case %s: --case gives %s\n", names[k], given.name);
            continue;
        }
        char where[1400];
        snprintf(where, sizeof where, "%s", from_plan ? plan : dir);
        for (int i = 0; !from_plan && i < n_pairs; i++)
            if (!strcmp(pairs[i].cs, names[k])) {
                snprintf(where, sizeof where, "%s/%s.%s.json", sub, pairs[i].cs, pairs[i].scheme);
                break;
            }
        rc = load_case(v, from_plan ? dir : NULL, &cand[n_cand], names[k], case_file ? &given : NULL, where);
        n_cand += !rc;
    }
    if (!rc && case_file && !n_cand) {
        fprintf(stderr, "nlif judge: no result in %s names case %s (--case %s)\n", dir, given.name, case_file);
        rc = NLIF_EXIT_USAGE;
    }
    if (!rc)
        rc = nlif_verify_select_cases(v, cand, n_cand, cases);
    if (!rc)
        rc = select_schemes(v, dir, from_plan, found, schemes);
    free(cand);
    if (rc) {
        nlif_verify_free(v);
        return rc;
    }
    if (from_plan)
        nlif_verify_mark_pair(v, NULL, NULL);
    else
        for (int i = 0; i < n_pairs; i++)
            nlif_verify_mark_pair(v, pairs[i].cs, pairs[i].scheme);
    rc = nlif_cli_verdicts("judge", v, record, json, junit);
    nlif_verify_free(v);
    return rc;
}
