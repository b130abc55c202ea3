/* cmd_report.c — `nlif report [--verdicts FILE | --verify DIR] [--out DIR] [--mc DIR]... [--no-pdf]`: the report of
 * a verification; the generator is reports/ (nlif_report.h). */
#include "../reports/nlif_report.h"
#include "nlif_cli.h"

#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif report [--verdicts FILE | --verify DIR] [--out DIR] [--mc DIR]... [--no-pdf] [--quiet]\n"
               "                   [--allow-changed]\n\n"
               "Turn the verdict record of `nlif verify` and the result files it names into a report:\n"
               "  DIR/index.html   one self-contained page (figures embedded), DIR/report.md (the same in Markdown),\n"
               "  DIR/headline.tex (table*, one page: the cases that compare the most schemes, at most 20 rows),\n"
               "  DIR/headline_full.tex (longtable: every case), DIR/orders.tex, DIR/verdicts.tex, DIR/workprec.tex\n"
               "  (longtable)   booktabs tables with caption and label (the headline: per case and scheme the error at\n"
               "  the default resolution and the CPU seconds to the case's bound, the best marked; orders; verdicts;\n"
               "  error and cost per scheme), DIR/fig/   every figure as PNG and PDF with\n"
               "  its data and gnuplot script (cd DIR/fig && gnuplot NAME.gp redraws it).\n\n"
               "  --verdicts FILE  the verdict record (default results/verify/verdicts.json)\n"
               "  --verify DIR     the verdict record of `nlif verify --out DIR`: DIR/verdicts.json\n"
               "  --out DIR        output directory (default reports/out)\n"
               "  --mc DIR         also look for Monte Carlo data CASE.json, CASE_rate.csv, CASE_snap<k>.csv in DIR\n"
               "                   (searched before reference/data/ and results/mc/; may be repeated)\n"
               "  --no-pdf         PNG figures only\n"
               "  --quiet          no summary line\n"
               "  --allow-changed  exit 0 even when verdicts are refused (below); they are still shown refused\n\n"
               "Missing inputs (no Monte Carlo data for a case, a scheme without run files) leave that layer out\n"
               "and are listed in the report. Before it shows a verdict, the report checks every file verify\n"
               "judged it from (verdicts.json \"inputs\": path, run id, FNV-1a 64 hash of the content): a verdict\n"
               "judged from a file that is now missing, carries another run id or changed is shown as 'refused'\n"
               "(counted as FAIL), with the file and what differs, in the report and on stderr.\n"
               "Exit 0 when written; 2 on bad input, or when a verdict was refused (the report is written all the\n"
               "same) unless --allow-changed.\n");
}

enum { REPORT_NO_PDF = 256, REPORT_QUIET, REPORT_VERIFY, REPORT_ALLOW_CHANGED, REPORT_VERDICTS, REPORT_OUT, REPORT_MC };

static const struct option report_flags[] = {
    {"help", no_argument, NULL, NLIF_CLI_HELP},
    {"no-pdf", no_argument, NULL, REPORT_NO_PDF},
    {"quiet", no_argument, NULL, REPORT_QUIET},
    {"verify", required_argument, NULL, REPORT_VERIFY},
    {"allow-changed", no_argument, NULL, REPORT_ALLOW_CHANGED},
    {"verdicts", required_argument, NULL, REPORT_VERDICTS},
    {"out", required_argument, NULL, REPORT_OUT},
    {"mc", required_argument, NULL, REPORT_MC},
    {0, 0, 0, 0}};

/* One flag C with its value V into the options: 0, or the exit code after the refusal (a missing or
 * empty value, more --mc than the report takes, an argument that is no flag). */
static int report_flag(nlif_report_options *o, int *allow_changed, int c, const char *f, const char *v)
{
    static char record[4200];
    switch (c) {
    case REPORT_NO_PDF: o->pdf = 0; return 0;
    case REPORT_QUIET: o->quiet = 1; return 0;
    case REPORT_ALLOW_CHANGED: *allow_changed = 1; return 0;
    case REPORT_VERIFY:
        if (!v || !*v) {
            fprintf(stderr, "nlif report: --verify needs a folder\n");
            return NLIF_EXIT_USAGE;
        }
        snprintf(record, sizeof record, "%s/verdicts.json", v);
        o->verdicts = record;
        return 0;
    case REPORT_VERDICTS:
    case REPORT_OUT:
    case REPORT_MC:
        if (!v || !*v) {
            fprintf(stderr, "nlif report: %s needs a value\n", f);
            return NLIF_EXIT_USAGE;
        }
        if (c == REPORT_VERDICTS)
            o->verdicts = v;
        else if (c == REPORT_OUT)
            o->out_dir = v;
        else if (o->n_mc_dirs < NLIF_REPORT_MAX_MC_DIRS)
            o->mc_dirs[o->n_mc_dirs++] = v;
        else {
            fprintf(stderr, "nlif report: at most %d --mc directories\n", NLIF_REPORT_MAX_MC_DIRS);
            return NLIF_EXIT_USAGE;
        }
        return 0;
    }
    fprintf(stderr, "nlif report: unknown argument %s (see nlif report --help)\n", f);
    return NLIF_EXIT_USAGE;
}

/* How many of the FAILs are news: "all known", "none", or "K known, U not known". */
static const char *known_text(const nlif_report_summary *s)
{
    static char t[96];
    if (!s->fail)
        return "none";
    if (s->known == s->fail)
        snprintf(t, sizeof t, "all known: ci/known_failures");
    else
        snprintf(t, sizeof t, "%d NOT known, %d known: ci/known_failures", s->fail - s->known, s->known);
    return t;
}

int nlif_cmd_report(int argc, char **argv)
{
    nlif_report_options o;
    nlif_report_options_default(&o);
    int allow_changed = 0;
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, report_flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return NLIF_EXIT_OK;
        }
        int rc = report_flag(&o, &allow_changed, c, p.flag, p.value);
        if (rc)
            return rc;
    }
    nlif_error err = {0};
    nlif_report_summary s;
    if (nlif_report_generate(&o, &s, &err))
        return nlif_cli_report("report", &err);
    if (!o.quiet)
        printf("report: %d checks (%d pass, %d FAIL (%s), %d n.a.) over %d cases x %d schemes; %d figures drawn "
               "(gnuplot %s)%s%d failed; %d notes on missing inputs -> %s/index.html\n",
               s.cells, s.pass, s.fail, known_text(&s), s.na, s.cases, s.schemes, s.figures, s.png_terminal[0] ? s.png_terminal : "none",
               s.figures_failed ? ", " : ", ", s.figures_failed, s.notes, o.out_dir);
    if (s.refused)
        fprintf(stderr, "nlif report: %d verdict(s) refused: a file they were judged from changed since verify (the "
                        "report names each file and what differs)%s\n", s.refused,
                allow_changed ? "; --allow-changed: exit 0" : "; exit 2 (--allow-changed: exit 0)");
    return s.refused && !allow_changed ? NLIF_EXIT_USAGE : NLIF_EXIT_OK;
}
