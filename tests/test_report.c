/* test_report.c — `nlif report` on a synthetic verdict record, run files and Monte Carlo data (in
 * build/tests/report/): a self-contained page whose figures decode to non-empty PNGs; every cell
 * appears; the headline; booktabs LaTeX; a missing input said in a sentence; bad input refused. The
 * Chromium check is reports/check_html.sh (make run; CI downloads no browser). */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../io/nlif_results.h"
#include "../harness/judge/verify_data.h"
#include "../core/nlif_options.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DIR "build/tests/report"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    if (len)
        *len = (size_t)n;
    fclose(f);
    return s;
}

/* The case definition the fixture's runs record ("case_spec") and its Monte Carlo data were made for
 * ("case_definition"): the report draws stored Monte Carlo data only for the case they belong to. */
#define FIXTURE_DEF(B)                                                                                                   \
    "{\"model\": {\"b\": " B "}, \"initial\": {\"type\": \"gaussian\"}, \"input\": {\"type\": \"none\"},"               \
    " \"run\": {\"t_final\": 1, \"particles\": 1000, \"realisations\": 4, \"mc_dt\": 0.001}}"

/* A run of SCHEME on CASE: N(t) relaxing to 0.12, Gaussian snapshots at t = 0.5 and 1, MFEs if asked. */
static void write_run(const char *cs, const char *scheme, int mfe)
{
    char p[512];
    snprintf(p, sizeof p, DIR "/run/%s.%s.json", cs, scheme);
    FILE *f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"T-%s\","
               " \"case\": \"%s\", \"scheme\": \"%s\", \"status\": \"ok\", \"stop_time\": null, \"mfe\": [%s],"
               " \"t_final\": 1, \"t_end\": 1, \"grid\": {\"nv\": 301, \"nw\": 0}, \"mass_drift\": 0,"
               " \"min_density\": 0, \"final_rate\": 0.12,"
               " \"choices\": {\"cascade_convention\": \"A\", \"flux\": \"%s-flux\"},"
               " \"case_spec\": " FIXTURE_DEF("0.5") "}\n",
            scheme, cs, scheme, mfe ? "{\"t\": 0.05, \"size\": 0.8}, {\"t\": 0.61, \"size\": 0.55}" : "", scheme);
    fclose(f);
    snprintf(p, sizeof p, DIR "/run/%s.%s.series.csv", cs, scheme);
    f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: T-%s\n# case: %s\n# scheme: %s\nt,rate,fired,mass,min_density\n",
            scheme, cs, scheme);
    double shift = scheme[0] == 's' ? 0 : 0.005;
    for (int i = 0; i <= 1000; i++) {
        double t = i * 1e-3;
        fprintf(f, "%.17g,%.17g,0,1,0\n", t, 0.12 + shift - 0.1 * exp(-3 * t) + (mfe && i == 50 ? 500 : 0));
    }
    fclose(f);
    snprintf(p, sizeof p, DIR "/run/%s.%s.snapshots.csv", cs, scheme);
    f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: T-%s\n# case: %s\n# atom 1 1 0.05\nkind,t,x,density\n", scheme, cs);
    for (int k = 1; k <= 2; k++)
        for (int i = 0; i <= 300; i++) {
            double v = -4 + 0.02 * i, m = 0.5 * k - 0.5;
            fprintf(f, "v,%g,%.17g,%.17g\n", 0.5 * k, v, exp(-(v - m) * (v - m) / 0.5) / sqrt(0.5 * M_PI));
        }
    fclose(f);
}

/* Monte Carlo data of CASE in the layout of `nlif mc`, in folder MC, made for the model b = B. */
static void write_mc_in(const char *mc, const char *cs, const char *def)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s.json", mc, cs);
    FILE *f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"MC1\", \"dt\": 0.001,"
               " \"case\": \"%s\", \"particles\": 1000, \"realisations\": 4, \"rate_final_mean\": 0.12,"
               " \"mfe\": [{\"index\": 1, \"count\": 4, \"t_mean\": 0.052, \"t_ci95\": [0.048, 0.056],"
               " \"t_q95\": [0.045, 0.06], \"size_mean\": 0.79, \"size_ci95\": [0.77, 0.81]}],"
               " \"case_definition\": %s}\n", cs, def);
    fclose(f);
    snprintf(p, sizeof p, "%s/%s_rate.csv", mc, cs);
    f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: MC1\n# case: %s\nt,rate_mean,rate_se,cum_t,cum_mean,cum_se\n", cs);
    for (int b = 0; b < 20; b++) {
        double t = 0.025 + 0.05 * b;
        fprintf(f, "%g,%g,0.004,%g,0,0\n", t, 0.12 - 0.1 * exp(-3 * t), t + 0.025);
    }
    fclose(f);
    snprintf(p, sizeof p, "%s/%s_snap1.csv", mc, cs);
    f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: MC1\n# case: %s\n# snapshot_t: 0.5\n# taken_at: 0.5\n"
               "v_lo,v_hi,density,cdf_at_v_hi\n", cs);
    for (int j = 0; j < 60; j++) {
        double lo = -4 + 0.1 * j, mid = lo + 0.05;
        fprintf(f, "%g,%g,%g,0\n", lo, lo + 0.1, exp(-mid * mid / 0.5) / sqrt(0.5 * M_PI));
    }
    fclose(f);
}

static void write_mc(const char *cs) { write_mc_in(DIR "/mc", cs, FIXTURE_DEF("0.5")); }

/* The synthetic record: case "alpha" with Monte Carlo data and MFEs, case "beta x's" (a quote and a
 * space: it must not break the gnuplot scripts) without; a FAIL, n.a. cells, a convergence study. */
static const char *const cells[][4] = {
    {"alpha", "spap", "mass", "pass"},           {"alpha", "dilated", "mass", "pass"},
    {"alpha", "dilated", "mfe_mc", "FAIL"},      {"alpha", "multiscale", "mass", "n.a."},
    {"beta x's", "spap", "stationary_rate", "pass"}, {"beta x's", "dilated", "order_v", "n.a."},
    {"gamma", "spap", "stationary_rate", "pass"},    {"gamma", "mc", "stationary_rate", "pass"},
};
#define N_CELLS (sizeof cells / sizeof cells[0])

static void make_fixture(void)
{
    mkdir("build", 0755);
    mkdir("build/tests", 0755);
    mkdir(DIR, 0755);
    mkdir(DIR "/run", 0755);
    mkdir(DIR "/mc", 0755);
    write_run("alpha", "spap", 1);
    write_run("alpha", "dilated", 1);
    write_run("beta x's", "spap", 0);
    write_run("beta x's", "dilated", 0);
    write_mc("alpha");
    /* gamma: the live Monte Carlo set verify's Monte Carlo column made (its mc/ folder), named by the
     * "mc" cell's run, not a scheme's run */
    write_run("gamma", "spap", 0);
    mkdir(DIR "/live", 0755);
    write_mc_in(DIR "/live", "gamma", FIXTURE_DEF("0.5"));
    FILE *f = fopen(DIR "/verdicts.json", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"provenance\": {\"commit\": \"fixture123\", \"date\": \"2026-01-01T00:00:00Z\"}, \"mode\": \"quick\","
               " \"wall_seconds\": 1.5, \"cells\": [\n");
    for (size_t i = 0; i < N_CELLS; i++) {
        int has_run = strcmp(cells[i][2], "order_v") && strcmp(cells[i][1], "multiscale");
        char run[256] = "null";
        if (!strcmp(cells[i][1], "mc"))
            snprintf(run, sizeof run, "\"" DIR "/live/%s.json\"", cells[i][0]);
        else if (has_run)
            snprintf(run, sizeof run, "\"" DIR "/run/%s.%s.json\"", cells[i][0], cells[i][1]);
        fprintf(f, "%s{\"case\": \"%s\", \"scheme\": \"%s\", \"check\": \"%s\", \"verdict\": \"%s\", \"measured\": %s,"
                   " \"bound\": \"<= 1e-12\", \"source\": \"MATHEMATICS.md §6\", \"reason\": \"%s\", \"run\": %s%s}\n",
                i ? "," : "", cells[i][0], cells[i][1], cells[i][2], cells[i][3], i % 2 ? "null" : "1.25e-3",
                !strcmp(cells[i][3], "FAIL") ? "t* outside <the MC interval> & more" : "",
                run, !strcmp(cells[i][2], "stationary_rate") ? ", \"reference\": 0.12" : "");
    }
    fprintf(f, "], \"convergence\": [{\"case\": \"alpha\", \"scheme\": \"spap\", \"refine\": \"v\", \"reference\":"
               " \"finest\", \"order_p\": 1.97, \"order_rate\": 1.91, \"expected_p\": 2, \"expected_rate\": 2,"
               " \"levels\": [{\"dv\": 0.04, \"err_p\": 4e-3, \"err_rate\": 2e-3, \"ratio_p\": null, \"cpu_seconds\": 0.01},"
               " {\"dv\": 0.02, \"err_p\": 1.02e-3, \"err_rate\": 5.3e-4, \"ratio_p\": 3.92, \"cpu_seconds\": 0.02},"
               " {\"dv\": 0.01, \"err_p\": 2.6e-4, \"err_rate\": 1.4e-4, \"ratio_p\": 3.95, \"cpu_seconds\": 0.045}]},\n"
               /* work–precision records (harness/checks/work_precision.c): spap reaches the MFE time target
                * between levels 1 and 2 (log–log interpolation: 0.8 s), its size error is at round-off from
                * the coarsest level on; dilated stops at a blow-up on every level */
               " {\"case\": \"alpha\", \"scheme\": \"spap\", \"refine\": \"vt\", \"purpose\": \"work_precision\","
               " \"reference\": \"Monte Carlo means\", \"default_level\": 1, \"measures\": [\"err_mfe_t\", \"err_mfe_size\"],"
               " \"targets\": {\"err_mfe_t\": 5e-4, \"err_mfe_size\": 2e-4}, \"reference_se\": {\"err_mfe_t\": 1e-5},"
               " \"levels\": [{\"h\": 0.04, \"cpu_seconds\": 0.1, \"status\": \"ok\", \"err_mfe_t\": 4e-3, \"err_mfe_size\": 5e-14},"
               " {\"h\": 0.02, \"cpu_seconds\": 0.4, \"status\": \"ok\", \"err_mfe_t\": 1e-3, \"err_mfe_size\": 1e-14},"
               " {\"h\": 0.01, \"cpu_seconds\": 1.6, \"status\": \"ok\", \"err_mfe_t\": 2.5e-4, \"err_mfe_size\": 0}]},\n"
               " {\"case\": \"alpha\", \"scheme\": \"dilated\", \"refine\": \"vt\", \"purpose\": \"work_precision\","
               " \"reference\": \"Monte Carlo means\", \"default_level\": 1, \"measures\": [\"err_mfe_t\", \"err_mfe_size\"],"
               " \"targets\": {\"err_mfe_t\": 5e-4, \"err_mfe_size\": 2e-4},"
               " \"levels\": [{\"h\": 0.04, \"cpu_seconds\": 0.01, \"status\": \"blowup\", \"stop_time\": 0.05,"
               " \"err_mfe_t\": null, \"err_mfe_size\": null},"
               " {\"h\": 0.02, \"cpu_seconds\": 0.02, \"status\": \"blowup\", \"stop_time\": 0.05, \"err_mfe_t\": null,"
               " \"err_mfe_size\": null}]}],"
               " \"runs\": [], \"choices\": {\"spap\": {\"outflow\": \"maxwellian\", \"noise_indicator\": 0.99},"
               " \"dilated\": {\"clock\": \"dilated\"}}}\n");
    fclose(f);
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decode base64 text up to the closing quote; returns the byte count (−1 on a bad character). */
static long b64decode(const char *s, unsigned char *out, size_t cap)
{
    long n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; *s && *s != '"'; s++) {
        if (*s == '=')
            continue;
        int v = b64val(*s);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if ((size_t)n < cap)
                out[n] = (unsigned char)(acc >> bits);
            n++;
        }
    }
    return n;
}

static char out_buf[8192];
static int generated = -1;

static int generate(void)
{
    if (generated >= 0)
        return generated;
    make_fixture();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf " DIR "/out && %s report --verdicts " DIR "/verdicts.json --out " DIR "/out --mc "
             DIR "/mc", nlif_test_bin());
    generated = nlif_test_sh(cmd, out_buf, sizeof out_buf);
    if (generated)
        fprintf(stderr, "\n  nlif report said: %s\n", out_buf);
    return generated;
}

static void test_generates(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    struct stat st;
    static const char *const files[] = {DIR "/out/index.html", DIR "/out/report.md", DIR "/out/orders.tex",
                                        DIR "/out/verdicts.tex", DIR "/out/workprec.tex", NULL};
    for (int i = 0; files[i]; i++)
        CU_ASSERT(stat(files[i], &st) == 0 && st.st_size > 0);
}

/* Every <img has a data:image/png;base64 source decoding to a PNG with non-zero width and height;
 * nothing is loaded from elsewhere. */
static void test_images_embedded(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *h = slurp(DIR "/out/index.html", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    int n = 0, good = 0;
    static unsigned char png[64];
    for (const char *p = h; (p = strstr(p, "<img")); p++) {
        n++;
        const char *end = strchr(p, '>');
        const char *src = strstr(p, "src=\"");
        if (!end || !src || src > end)
            continue;
        src += 5;
        if (strncmp(src, "data:image/png;base64,", 22))
            continue;
        long k = b64decode(src + 22, png, sizeof png);
        static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        if (k < 24 || memcmp(png, sig, 8) || memcmp(png + 12, "IHDR", 4))
            continue;
        unsigned w = (unsigned)png[16] << 24 | (unsigned)png[17] << 16 | (unsigned)png[18] << 8 | png[19];
        unsigned hh = (unsigned)png[20] << 24 | (unsigned)png[21] << 16 | (unsigned)png[22] << 8 | png[23];
        good += w > 0 && hh > 0;
    }
    /* The fixture has: verdict matrix; per case N(t) and densities; alpha's MFE raster, convergence plot and
     * work–precision diagram; gamma's N(t), densities and MFE raster (its live Monte Carlo set has an MFE):
     * 11 figures. */
    CU_ASSERT_EQUAL(n, 11);
    CU_ASSERT_EQUAL(good, n);
    CU_ASSERT_PTR_NULL(strstr(h, "<link"));
    CU_ASSERT_PTR_NULL(strstr(h, "src=\"http"));
    CU_ASSERT_PTR_NULL(strstr(h, "url("));
    free(h);
}

static void test_every_cell_appears(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *h = slurp(DIR "/out/index.html", NULL), *m = slurp(DIR "/out/report.md", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    for (size_t i = 0; i < N_CELLS; i++) {
        const char *cls = !strcmp(cells[i][3], "pass") ? "pass" : !strcmp(cells[i][3], "FAIL") ? "fail" : "na";
        char row[512];
        snprintf(row, sizeof row, "<tr><td>%s</td><td>%s</td><td class=\"%s\">%s</td>", cells[i][1], cells[i][2], cls,
                 cells[i][3]);
        /* each cell sits under its case's heading: the row must follow it */
        char head[256];
        snprintf(head, sizeof head, "\">%s</h3>", !strcmp(cells[i][0], "alpha") ? "alpha" : "beta x&#39;s");
        const char *ph = strstr(h, head);
        CU_ASSERT_PTR_NOT_NULL(ph);
        if (ph && !strstr(ph, row))
            fprintf(stderr, "\n  missing row: %s\n", row);
        CU_ASSERT(ph && strstr(ph, row));
        char mrow[512], check_md[128];
        size_t k = 0; /* Markdown escapes '_' */
        for (const char *c = cells[i][2]; *c && k + 2 < sizeof check_md; c++) {
            if (*c == '_')
                check_md[k++] = '\\';
            check_md[k++] = *c;
        }
        check_md[k] = '\0';
        snprintf(mrow, sizeof mrow, "| %s | %s | %s%s%s |", cells[i][1], check_md,
                 !strcmp(cells[i][3], "FAIL") ? "**" : "", cells[i][3], !strcmp(cells[i][3], "FAIL") ? "**" : "");
        CU_ASSERT_PTR_NOT_NULL(strstr(m, mrow));
    }
    /* measured, bound, source and reason (escaped) */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "t* outside &lt;the MC interval&gt; &amp; more"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "&lt;= 1e-12"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "0.00125"));
    /* the matrix: alpha × dilated has 1 pass and 1 FAIL */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"fail\">FAIL — 1 pass, 1 FAIL, 0 n.a.</td>"));
    /* provenance, Choices, convergence */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "fixture123"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<code>outflow</code></td><td>maxwellian"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "observed <b>1.97</b>"));
    free(h);
    free(m);
}

static void test_latex_booktabs(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *o = slurp(DIR "/out/orders.tex", NULL), *v = slurp(DIR "/out/verdicts.tex", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "\\toprule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "\\bottomrule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "alpha & spap & v & finest & 1.97 & 2 & 1.91 & 2 & 3.92, 3.95 \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "\\toprule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "\\midrule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "case & spap & multiscale & dilated & mc \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "alpha & pass 1/0/0 & n.a. 0/0/1 & \\textbf{FAIL} 1/1/0 & -- \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "beta x's & pass 1/0/0 & -- & n.a. 0/0/1 & -- \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "gamma & pass 1/0/0 & -- & -- & pass 1/0/0 \\\\"));
    /* a table a paper prints: a float with a caption and a label */
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "\\caption{"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "\\label{tab:nlif-orders}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "\\caption{"));
    CU_ASSERT_PTR_NOT_NULL(strstr(v, "\\label{tab:nlif-verdicts}"));
    /* the work–precision records are not convergence orders */
    CU_ASSERT_PTR_NULL(strstr(o, "& vt &"));
    free(o);
    free(v);
}

/* The table of error and cost per scheme: the error at the default level, its CPU seconds, the target,
 * the CPU seconds to reach it (0.4 s at 1e-3 and 1.6 s at 2.5e-4: the target 5e-4 lies halfway in
 * log error, so halfway in log CPU, 0.8 s), "≤ 0.1" when the coarsest level meets it, "not reached"
 * and the blow-up status; in HTML, Markdown and booktabs LaTeX with a caption and a label. */
static void test_wp_table(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *h = slurp(DIR "/out/index.html", NULL), *m = slurp(DIR "/out/report.md", NULL),
         *t = slurp(DIR "/out/workprec.tex", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<h2 id=\"workprec\">Error and cost per scheme</h2>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"num\">0.001</td><td class=\"num\">0.4</td><td class=\"num\">0.0005"
                                     "</td><td class=\"num\">0.8</td><td class=\"pass\">pass 1/0/0</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"num\">0.0002</td><td class=\"num\">≤ 0.1</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"num\">blowup at t = 0.05</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"num\">not reached</td><td class=\"fail\">FAIL 1/1/0</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "| alpha | spap | MFE times: max over k of \\|t\\*ₖ − t\\*ₖ(ref)\\| | 0.001 | 0.4 | 0.0005 "
                                     "| 0.8 | pass 1/0/0 |"));
    /* a row per case, scheme and measure: a longtable that breaks across pages, not one float */
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\begin{longtable}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\endhead"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\caption{Error and cost per scheme."));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\label{tab:nlif-workprec}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\toprule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\midrule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\\bottomrule"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "alpha & spap & $\\max_k |t^*_k - t^*_{k,\\mathrm{ref}}|$ & 0.001 & 0.4 & "
                                     "0.0005 & 0.8 & pass 1/0/0 \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "& $\\le$ 0.1 &"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "& not reached & \\textbf{FAIL 1/1/0} \\\\"));
    /* round-off errors (1e-14) are not printed as 1.0000000000000001e-14: shortest, 2 digits */
    CU_ASSERT_PTR_NULL(strstr(t, "00000000"));
    CU_ASSERT_PTR_NULL(strstr(h, "00000000"));
    free(h);
    free(m);
    free(t);
}

/* Numbers are printed in the fewest digits that read back as the same double: a Choice of 0.99 as
 * 0.99 (%.17g gives 0.98999999999999999), 1/3 with all its 16 digits. */
static void test_shortest_numbers(void)
{
    char b[64];
    CU_ASSERT_STRING_EQUAL(nlif_format_double(b, sizeof b, 0.99), "0.99");
    CU_ASSERT_STRING_EQUAL(nlif_format_double(b, sizeof b, 0.1), "0.1");
    CU_ASSERT_STRING_EQUAL(nlif_format_double(b, sizeof b, 1e-6), "1e-06");
    CU_ASSERT_STRING_EQUAL(nlif_format_double(b, sizeof b, 2.5e-4), "0.00025");
    const double xs[] = {1.0 / 3, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, -2.0 / 7};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        nlif_format_double(b, sizeof b, xs[i]);
        CU_ASSERT_EQUAL(strtod(b, NULL), xs[i]); /* reads back exactly */
    }
    CU_ASSERT_STRING_EQUAL(nlif_format_double(b, sizeof b, 0.1 + 0.2), "0.30000000000000004");
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *h = slurp(DIR "/out/index.html", NULL), *m = slurp(DIR "/out/report.md", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<code>noise_indicator</code></td><td>0.99</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "`noise_indicator` | 0.99 |"));
    free(h);
    free(m);
}

/* A case without Monte Carlo data gets its figure without that layer and a sentence saying so; the figure
 * keeps its data and script for redrawing (with the quote in the case name doubled for gnuplot). */
static void test_missing_input_sentence_and_scripts(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *h = slurp(DIR "/out/index.html", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "No Monte Carlo N(t) data for beta x&#39;s: N(t) is drawn over the exact "
                                     "stationary rate alone."));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "No Monte Carlo data for beta x&#39;s: density snapshots are drawn without "
                                     "histograms."));
    free(h);
    char *gp = slurp(DIR "/out/fig/rate_beta_x_s.gp", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
    CU_ASSERT_PTR_NULL(strstr(gp, "set title")); /* named by content; no title inside a figure */
    CU_ASSERT_PTR_NOT_NULL(strstr(gp, "title 'spap'")); /* a name enters a script as a quoted string */
    free(gp);
    struct stat st;
    CU_ASSERT(stat(DIR "/out/fig/rate_beta_x_s.pdf", &st) == 0 && st.st_size > 0);
    CU_ASSERT(stat(DIR "/out/fig/rate_beta_x_s.spap.dat", &st) == 0 && st.st_size > 0);
}

static void test_bad_input_refused(void)
{
    char out[4096], cmd[1024];
    snprintf(cmd, sizeof cmd, "%s report --verdicts " DIR "/no-such.json --out " DIR "/out-bad", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no-such.json"));
    mkdir("build", 0755);
    mkdir("build/tests", 0755);
    mkdir(DIR, 0755);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(DIR "/bad.json", "{\"cells\": [{\"case\": \"a\", \"scheme\": \"s\", \"check\": \"mass\","
                                               " \"verdict\": \"pass\"}, {\"case\": \"a\", \"scheme\": \"s\", \"check\":"
                                               " \"mass\", \"verdict\": \"maybe\"}]}"), 0);
    snprintf(cmd, sizeof cmd, "%s report --verdicts " DIR "/bad.json --out " DIR "/out-bad", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "cells[1]: verdict 'maybe' (allowed: pass, FAIL, n.a.)"));
    snprintf(cmd, sizeof cmd, "%s report --bogus", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
}

/* The table of Choices lists a value that differs between cases (a case's [options]) once per
 * distinct value, whole values only ("on" is not taken for a part of "none"). */
static void test_choices_merge(void)
{
    json_t *all = json_object();
    const char *runs[] = {"{\"macro_noise\": \"none\", \"bridge\": true}", "{\"macro_noise\": \"finite_size\"}",
                          "{\"macro_noise\": \"none\"}", "{\"macro_noise\": \"on\"}"};
    for (int i = 0; i < 4; i++) {
        json_t *c = json_loads(runs[i], 0, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        nlif_choices_merge(all, "multiscale", c);
        json_decref(c);
    }
    const json_t *ms = json_object_get(all, "multiscale");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ms, "macro_noise")), "none / finite_size / on");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ms, "bridge")), "true");
    json_decref(all);
}

/* A run set whose files carry two run ids (a series of another run beside the summary) is refused by
 * the one reader: the report says so in a sentence and draws nothing of it. */
static void test_mixed_run_refused(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    const char *series = DIR "/run/beta x's.spap.series.csv";
    FILE *f = fopen(series, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: OTHER\nt,rate,fired,mass,min_density\n0,0.1,0,1,0\n1,0.1,0,1,0\n");
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf " DIR "/out2 && %s report --verdicts " DIR "/verdicts.json --out " DIR "/out2 --mc "
             DIR "/mc", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out_buf, sizeof out_buf), 0);
    write_run("beta x's", "spap", 0); /* the fixture as it was */
    char *h = slurp(DIR "/out2/report.md", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    const char *p = strstr(h, "The result set of spap on beta x's was refused by the reader");
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "run id OTHER differs from run id T-spap"));
    free(h);
}

/* The live Monte Carlo set of the record's Monte Carlo column is the case's reference layer (band and
 * histograms), not a scheme's run refused by the reader; the exact stationary rate the verdicts were
 * judged against is drawn beside it. */
static void test_live_mc_and_exact_rate(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *h = slurp(DIR "/out/report.md", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NULL(strstr(h, "The result set of mc on gamma was refused"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "Grey: Monte Carlo mean ± 3 SE (1000 particles, 4 realisations; " DIR "/live)"));
    free(h);
    char *gp = slurp(DIR "/out/fig/rate_gamma.gp", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
    CU_ASSERT_PTR_NOT_NULL(strstr(gp, "title 'exact stationary rate 0.12'"));
    free(gp);
}

/* The headline first: error and CPU to the bound per pair, the best marked (spap, 0.8 s; dilated stops
 * and has an unknown FAIL); the FAILs said known or not; LaTeX that compiles without an overfull box. */
static void test_headline(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    char *m = slurp(DIR "/out/report.md", NULL), *w = slurp(DIR "/out/headline.tex", NULL),
         *f = slurp(DIR "/out/headline_full.tex", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    const char *head = strstr(m, "## Headline"), *matrix = strstr(m, "## Verdict matrix");
    CU_ASSERT(head && matrix && head < matrix);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "| alpha | MFE times: max over k of \\|t\\*ₖ − t\\*ₖ(ref)\\| | 0.0005 | "
                                     "**0.001 / 0.8 s** | n.a. | blowup at t = 0.05 FAIL | – |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "1 of the 1 FAILs are not known failures"));
    CU_ASSERT_PTR_NOT_NULL(strstr(w, "\\begin{table*}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(w, "\\textbf{\\begin{tabular}[t]{@{}r@{}}0.001\\\\ 0.8 s\\end{tabular}}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(f, "\\begin{longtable}"));
    CU_ASSERT_PTR_NULL(strstr(w, "‖")); /* no UTF-8 sign a pdflatex document refuses */
    char out[4096];
    if (nlif_test_sh("command -v pdflatex >/dev/null", out, sizeof out) == 0) {
        FILE *d = fopen(DIR "/out/hl.tex", "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        fprintf(d, "\\documentclass[twocolumn]{article}\n\\usepackage[margin=1in]{geometry}\n\\usepackage{booktabs,"
                   "longtable}\n\\begin{document}\n\\input{headline.tex}\n\\onecolumn\n\\input{headline_full.tex}\n"
                   "\\input{workprec.tex}\n\\end{document}\n");
        fclose(d);
        CU_ASSERT_EQUAL(nlif_test_sh("cd " DIR "/out && pdflatex -interaction=nonstopmode hl.tex >/dev/null 2>&1 && "
                                     "! grep -q 'Overfull' hl.log", out, sizeof out), 0);
    } else
        fprintf(stderr, "\n  (pdflatex not installed: headline.tex not compiled) ");
    free(m), free(w), free(f);
}

/* Stored Monte Carlo data made for another case (here another [model]) are not drawn: the report finds
 * them by the one lookup (io/nlif_mc_store.h), refuses them with what differs and says so. */
static void test_mc_of_another_case_refused(void)
{
    CU_ASSERT_EQUAL_FATAL(generate(), 0);
    mkdir(DIR "/mc_other", 0755);
    write_mc_in(DIR "/mc_other", "alpha", FIXTURE_DEF("0.7"));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf " DIR "/out3 && %s report --verdicts " DIR "/verdicts.json --out " DIR "/out3 --mc "
             DIR "/mc_other", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out_buf, sizeof out_buf), 0);
    char *h = slurp(DIR "/out3/index.html", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "The Monte Carlo data of alpha were refused: " DIR "/mc_other/alpha.json: made for "
                                     "another [model] than the case file states"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "No Monte Carlo data for alpha: density snapshots are drawn without histograms"));
    free(h);
}

static const nlif_test_case tests[] = {
    {"a Choice that differs between cases is listed with every value", test_choices_merge},
    {"report files are written", test_generates},
    {"every figure is an embedded PNG of non-zero size", test_images_embedded},
    {"every verdict cell appears (HTML and Markdown)", test_every_cell_appears},
    {"LaTeX tables are booktabs with the orders and the matrix, each with a caption and a label", test_latex_booktabs},
    {"the table of error and cost per scheme (HTML, Markdown, LaTeX)", test_wp_table},
    {"numbers printed shortest (Choices: 0.99, not 0.98999999999999999)", test_shortest_numbers},
    {"a missing input gives a sentence; scripts quote names", test_missing_input_sentence_and_scripts},
    {"bad input is refused with exit 2", test_bad_input_refused},
    {"a run set of two runs is refused by the reader, with a sentence", test_mixed_run_refused},
    {"stored Monte Carlo data made for another case are not drawn, with a sentence", test_mc_of_another_case_refused},
    {"the live Monte Carlo set and the exact stationary rate are drawn", test_live_mc_and_exact_rate},
    {"the headline: error and CPU to the bound, the best marked, one page in LaTeX", test_headline},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("report", tests); }
