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
               "  DIR/orders.tex, DIR/verdicts.tex, DIR/workprec.tex   booktabs tables with caption and label (orders,\n"
               "  verdicts, error and cost per scheme), DIR/fig/   every figure as PNG and PDF with\n"
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

int nlif_cmd_report(int argc, char **argv)
{
    nlif_report_options o;
    nlif_report_options_default(&o);
    int allow_changed = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (nlif_cli_is_help(a)) {
            usage(stdout);
            return NLIF_EXIT_OK;
        } else if (!strcmp(a, "--no-pdf")) {
            o.pdf = 0;
        } else if (!strcmp(a, "--quiet")) {
            o.quiet = 1;
        } else if (!strcmp(a, "--verify")) {
            static char record[4200];
            if (!next || !*next) {
                fprintf(stderr, "nlif report: --verify needs a folder\n");
                return NLIF_EXIT_USAGE;
            }
            snprintf(record, sizeof record, "%s/verdicts.json", next);
            o.verdicts = record;
            i++;
        } else if (!strcmp(a, "--allow-changed")) {
            allow_changed = 1;
        } else if (!strcmp(a, "--verdicts") || !strcmp(a, "--out") || !strcmp(a, "--mc")) {
            if (!next || !*next) {
                fprintf(stderr, "nlif report: %s needs a value\n", a);
                return NLIF_EXIT_USAGE;
            }
            if (!strcmp(a, "--verdicts"))
                o.verdicts = next;
            else if (!strcmp(a, "--out"))
                o.out_dir = next;
            else if (o.n_mc_dirs < NLIF_REPORT_MAX_MC_DIRS)
                o.mc_dirs[o.n_mc_dirs++] = next;
            else {
                fprintf(stderr, "nlif report: at most %d --mc directories\n", NLIF_REPORT_MAX_MC_DIRS);
                return NLIF_EXIT_USAGE;
            }
            i++;
        } else {
            fprintf(stderr, "nlif report: unknown argument %s (see nlif report --help)\n", a);
            return NLIF_EXIT_USAGE;
        }
    }
    nlif_error err = {0};
    nlif_report_summary s;
    if (nlif_report_generate(&o, &s, &err))
        return nlif_cli_report("report", &err);
    if (!o.quiet)
        printf("report: %d checks (%d pass, %d FAIL, %d n.a.) over %d cases x %d schemes; %d figures drawn "
               "(gnuplot %s)%s%d failed; %d notes on missing inputs -> %s/index.html\n",
               s.cells, s.pass, s.fail, s.na, s.cases, s.schemes, s.figures, s.png_terminal[0] ? s.png_terminal : "none",
               s.figures_failed ? ", " : ", ", s.figures_failed, s.notes, o.out_dir);
    if (s.refused)
        fprintf(stderr, "nlif report: %d verdict(s) refused: a file they were judged from changed since verify (the "
                        "report names each file and what differs)%s\n", s.refused,
                allow_changed ? "; --allow-changed: exit 0" : "; exit 2 (--allow-changed: exit 0)");
    return s.refused && !allow_changed ? NLIF_EXIT_USAGE : NLIF_EXIT_OK;
}
