/* test_report_figs.c — the report's figures of a structured case: the weight marginals ρ(w, t) of the
 * snapshot files' w rows, and the epsilon sweep of the ap check (a record "purpose": "ap") drawn
 * against ε with the slope-1 line; neither is counted as a convergence study. A synthetic record and
 * run in build/tests/report_figs/. */
#include "nlif_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DIR "build/tests/report_figs"

static char out[8192];

static void write_fixture(void)
{
    mkdir("build", 0755), mkdir("build/tests", 0755), mkdir(DIR, 0755), mkdir(DIR "/run", 0755);
    FILE *f = fopen(DIR "/run/delta.spap.json", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"D1\", \"case\": \"delta\", \"scheme\": "
               "\"spap\", \"status\": \"ok\", \"stop_time\": null, \"mfe\": [], \"t_final\": 1, \"t_end\": 1, \"grid\": "
               "{\"nv\": 301, \"nw\": 21}, \"mass_drift\": 0, \"min_density\": 0, \"final_rate\": 0.12, \"choices\": {}}\n");
    fclose(f);
    f = fopen(DIR "/run/delta.spap.series.csv", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: D1\n# case: delta\n# scheme: spap\nt,rate,fired,mass,min_density\n");
    for (int i = 0; i <= 100; i++)
        fprintf(f, "%g,%g,0,1,0\n", i * 0.01, 0.12 - 0.1 * exp(-3 * i * 0.01));
    fclose(f);
    f = fopen(DIR "/run/delta.spap.snapshots.csv", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: D1\n# case: delta\nkind,t,x,density\n");
    for (int i = 0; i <= 300; i++) {
        double v = -4 + 0.02 * i;
        fprintf(f, "v,1,%.17g,%.17g\n", v, exp(-v * v / 0.5) / sqrt(0.5 * M_PI));
    }
    for (int i = 0; i <= 20; i++) {
        double w = -1 + 0.1 * i;
        fprintf(f, "w,1,%.17g,%.17g\n", w, exp(-w * w / 0.08) / sqrt(0.08 * M_PI));
    }
    fclose(f);
    f = fopen(DIR "/verdicts.json", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"provenance\": {\"commit\": \"fixture\", \"date\": \"2026-01-01T00:00:00Z\"}, \"mode\": \"quick\", "
               "\"wall_seconds\": 1, \"cells\": [{\"case\": \"delta\", \"scheme\": \"spap\", \"check\": \"ap\", \"verdict\": "
               "\"pass\", \"measured\": 1.01, \"bound\": \"slope 1 +- 0.05\", \"source\": \"\", \"reason\": \"\", \"run\": \"" DIR
               "/run/delta.spap.json\"}], \"convergence\": [{\"case\": \"delta\", \"scheme\": \"spap\", \"purpose\": \"ap\", "
               "\"refine\": \"epsilon\", \"limit\": \"limit=on\", \"expected\": 1, \"tolerance\": 0.05, \"slope\": 1.01, "
               "\"levels\": [{\"epsilon\": 1e-2, \"distance\": 2e-2}, {\"epsilon\": 1e-4, \"distance\": 2e-4}, "
               "{\"epsilon\": 1e-6, \"distance\": 2.1e-6}]}], \"runs\": [], \"choices\": {}}\n");
    fclose(f);
}

static void test_weights_and_ap_figures(void)
{
    write_fixture();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf " DIR "/out && %s report --verdicts " DIR "/verdicts.json --out " DIR "/out --no-pdf",
             nlif_test_bin());
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    struct stat st;
    CU_ASSERT(stat(DIR "/out/fig/weights_delta.png", &st) == 0 && st.st_size > 0);
    CU_ASSERT(stat(DIR "/out/fig/ap_delta.png", &st) == 0 && st.st_size > 0);
    FILE *f = fopen(DIR "/out/report.md", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char md[1 << 20];
    size_t n = fread(md, 1, sizeof md - 1, f);
    md[n] = '\0';
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "The weight marginal ρ(w, t)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "the ap check requires the fitted log–log slope to be 1 ± 0.05"));
    CU_ASSERT_PTR_NULL(strstr(md, "conv_epsilon")); /* the sweep is not a convergence study */
    f = fopen(DIR "/out/fig/ap_delta.gp", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    n = fread(md, 1, sizeof md - 1, f);
    md[n] = '\0';
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "title 'spap (slope 1.010)'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "0.0000021*(x/1e-06)") || strstr(md, "2.1e-06*(x/1e-06)"));
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"a structured case: weight marginals and the epsilon sweep are drawn", test_weights_and_ap_figures},
        {NULL, NULL},
    };
    return nlif_test_main("report_figs", tests);
}
