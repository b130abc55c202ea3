/* test_identity.c — what a verdict was judged from (io/nlif_identity.h) and `verify --resume`
 * (harness/runs/nlif_resume.h): FNV-1a 64 against its published test vectors; an identity tells a changed
 * file, another run's file and a missing file apart; `nlif report` refuses the verdicts of a run that
 * was re-run with a changed case after verify (exit 2, the file and the run ids named) and of a file
 * whose content changed, and nothing else; `verify --resume` reuses the finished jobs of the same plan
 * with the same verdicts, runs again a job whose file changed, survives a torn journal line and
 * refuses another plan. Every verify runs in a private folder (relax_linear, 2 schemes: ~1 s each). */
#include "nlif_test.h"

#include "../io/nlif_identity.h"
#include "../io/nlif_resultfmt.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char out[1 << 16];

static void test_fnv_vectors(void)
{
    /* the published FNV-1a 64 test vectors (Fowler, Noll, Vo: "", "a", "foobar") */
    CU_ASSERT_EQUAL(nlif_fnv1a64(NLIF_FNV1A64_OFFSET, "", 0), 0xcbf29ce484222325ULL);
    CU_ASSERT_EQUAL(nlif_fnv1a64(NLIF_FNV1A64_OFFSET, "a", 1), 0xaf63dc4c8601ec8cULL);
    CU_ASSERT_EQUAL(nlif_fnv1a64(NLIF_FNV1A64_OFFSET, "foobar", 6), 0x85944171f73967e8ULL);
    /* in pieces as in one go */
    CU_ASSERT_EQUAL(nlif_fnv1a64(nlif_fnv1a64(NLIF_FNV1A64_OFFSET, "foo", 3), "bar", 3), 0x85944171f73967e8ULL);
    char h[NLIF_HASH_TEXT];
    nlif_hash_text(0xaf63dc4c8601ec8cULL, h);
    CU_ASSERT_STRING_EQUAL(h, "fnv1a64:af63dc4c8601ec8c");
    CU_ASSERT_EQUAL_FATAL(nlif_test_put("build/tests/id_foobar.txt", "foobar"), 0);
    CU_ASSERT_EQUAL(nlif_file_hash("build/tests/id_foobar.txt", h, NULL), 0);
    CU_ASSERT_STRING_EQUAL(h, "fnv1a64:85944171f73967e8");
    nlif_error e = {0};
    CU_ASSERT_EQUAL(nlif_file_hash("build/tests/id_absent.txt", h, &e), NLIF_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "id_absent.txt"));
}

static void test_identity_check(void)
{
    const char *js = "build/tests/id_set.json", *csv = "build/tests/id_set.series.csv", *log = "build/tests/id.log";
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(js, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"R1\"}\n"), 0);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(csv, "# format: nlif-results 1\n# run_id: R1\nt,rate,fired,mass,min_density\n"), 0);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(log, "not a result file\n"), 0);
    nlif_identity a, b, c;
    nlif_identity_of(js, &a);
    nlif_identity_of(csv, &b);
    nlif_identity_of(log, &c);
    CU_ASSERT_STRING_EQUAL(a.run_id, "R1");
    CU_ASSERT_STRING_EQUAL(b.run_id, "R1");
    CU_ASSERT_STRING_EQUAL(c.run_id, ""); /* no run id, still a hash */
    CU_ASSERT_EQUAL(strncmp(c.hash, "fnv1a64:", 8), 0);
    char why[2048];
    CU_ASSERT_EQUAL(nlif_identity_check(js, js, a.run_id, a.hash, why, sizeof why), 0);
    CU_ASSERT_EQUAL(nlif_identity_check(log, log, NULL, c.hash, why, sizeof why), 0);
    /* another run wrote it */
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(csv, "# format: nlif-results 1\n# run_id: R2\nt,rate,fired,mass,min_density\n"), 0);
    CU_ASSERT_EQUAL(nlif_identity_check(csv, csv, b.run_id, b.hash, why, sizeof why), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "run id R2, judged from run id R1"));
    /* the same run id, other content */
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(js, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"R1\", \"x\": 1}\n"), 0);
    CU_ASSERT_EQUAL(nlif_identity_check(js, js, a.run_id, a.hash, why, sizeof why), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "content changed"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, a.hash));
    /* gone */
    unlink(log);
    CU_ASSERT_EQUAL(nlif_identity_check(log, log, NULL, c.hash, why, sizeof why), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "missing"));
    /* the run id reader refuses what is not a result file */
    char id[64];
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(log, "t,rate\n1,2\n"), 0);
    CU_ASSERT_NOT_EQUAL(nlif_rf_run_id(log, id, sizeof id, NULL), 0);
}

/* A private folder with its own case copy is not needed: verify writes under the working directory. */
static void private_dir(char *dir)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

#define VERIFY "\"$B\" verify --cases relax_linear --schemes dilated,spap -j 2 --fresh 0"

/* The cells of a verdict record without the identities (those name run ids), as compact JSON text. */
static char *cells_of(const char *dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/results/verify/verdicts.json", dir);
    json_error_t e;
    json_t *v = json_load_file(p, 0, &e);
    if (!v)
        return NULL;
    json_t *c = json_deep_copy(json_object_get(v, "cells")), *x;
    size_t i;
    json_array_foreach(c, i, x) json_object_del(x, "inputs");
    char *s = json_dumps(c, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(c);
    json_decref(v);
    return s;
}

static void test_report_refuses_changed_inputs(void)
{
    char dir[] = "/tmp/nlif_identity_XXXXXX", cmd[3000], cwd[1024];
    private_dir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd, "B=\"%s/%s\"; cd %s && " VERIFY " >/dev/null && \"$B\" report --no-pdf --out rep --quiet",
             cwd, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NULL(strstr(out, "refused"));
    /* re-run one run with a changed case (initial sd 0.5 -> 0.4) into the same runs folder */
    snprintf(cmd, sizeof cmd,
             "B=\"%s/%s\"; cd %s && mkdir -p changed && sed 's/^sd = 0.5/sd = 0.4/' %s/cases/relax_linear.ini "
             ">changed/relax_linear.ini && grep -q 'sd = 0.4' changed/relax_linear.ini && \"$B\" run "
             "changed/relax_linear.ini --scheme dilated --out results/verify/runs --stem relax_linear.dilated >/dev/null && "
             "\"$B\" report --no-pdf --out rep --quiet",
             cwd, nlif_test_bin(), dir, cwd);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(rc, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "verdict(s) refused"));
    char p[600];
    snprintf(p, sizeof p, "%s/rep/index.html", dir);
    FILE *f = fopen(p, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char html[1 << 22];
    size_t n = fread(html, 1, sizeof html - 1, f);
    html[n] = '\0';
    fclose(f);
    /* the note names the file and both run ids; every dilated cell is refused, no spap cell */
    const char *note = strstr(html, "verdict(s) refused: results/verify/runs/relax_linear.dilated.json: run id ");
    CU_ASSERT_PTR_NOT_NULL(note);
    CU_ASSERT_PTR_NOT_NULL(note && strstr(note, "judged from run id "));
    int refused = 0;
    for (const char *q = html; (q = strstr(q, "<b>verdict refused:</b> results/verify/runs/relax_linear.dilated")); q++)
        refused++;
    CU_ASSERT_EQUAL(refused, 10); /* status, consistent, mass, mass_guard, positivity, stationary_rate, stationary_rate(dv/4), accuracy(p), accuracy(N), baseline */
    CU_ASSERT_PTR_NULL(strstr(html, "<b>verdict refused:</b> results/verify/runs/relax_linear.spap"));
    snprintf(cmd, sizeof cmd, "grep -c 'verdict refused' %s/rep/report.md", dir);
    nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(atoi(out), 10);
    /* --allow-changed: exit 0, still refused */
    snprintf(cmd, sizeof cmd, "cd %s && \"%s/%s\" report --no-pdf --out rep --quiet --allow-changed", dir, cwd, nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "10 verdict(s) refused"));
    /* a changed byte in a file of the same run: refused too, as changed content */
    snprintf(cmd, sizeof cmd, "cd %s && echo '# touched' >>results/verify/runs/relax_linear.spap.snapshots.csv && "
             "\"%s/%s\" report --no-pdf --out rep --quiet; grep -c 'relax_linear.spap.snapshots.csv: content changed' "
             "rep/index.html", dir, cwd, nlif_test_bin());
    nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "20 verdict(s) refused"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    nlif_test_sh(cmd, out, sizeof out);
}

static void test_resume(void)
{
    char dir[] = "/tmp/nlif_resume_XXXXXX", cmd[3000], cwd[1024];
    private_dir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
    /* nothing to resume: everything runs */
    snprintf(cmd, sizeof cmd, "B=\"%s/%s\"; cd %s && " VERIFY " --resume 2>&1 >/dev/null", cwd, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no plan in results/verify (nothing to resume): every job runs"));
    char *ref = cells_of(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    /* the same plan: every job reused (two runs, their runs at dv/4 and the accuracy reference), the same verdicts */
    snprintf(cmd, sizeof cmd, "B=\"%s/%s\"; cd %s && " VERIFY " --resume 2>&1 >/dev/null", cwd, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--resume: 5 of 5 jobs reused, 0 to run"));
    char *again = cells_of(dir);
    CU_ASSERT(again && !strcmp(ref, again));
    free(again);
    /* a file of one job changed, and a torn last journal line: that job runs again */
    snprintf(cmd, sizeof cmd,
             "B=\"%s/%s\"; cd %s && echo '# touched' >>results/verify/runs/relax_linear.dilated.series.csv && "
             "printf '{\"log\": \"results/ver' >>results/verify/journal.jsonl && " VERIFY " --resume 2>&1 >/dev/null",
             cwd, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--resume: 4 of 5 jobs reused, 1 to run"));
    again = cells_of(dir);
    CU_ASSERT(again && !strcmp(ref, again));
    free(again);
    snprintf(cmd, sizeof cmd, "B=\"%s/%s\"; cd %s && " VERIFY " --resume 2>&1 >/dev/null", cwd, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--resume: 5 of 5 jobs reused, 0 to run"));
    /* another plan is refused: the mode, the schemes */
    snprintf(cmd, sizeof cmd, "B=\"%s/%s\"; cd %s && " VERIFY " --resume --full", cwd, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--resume needs the same plan: the mode differs: --quick then, --full now"));
    snprintf(cmd, sizeof cmd, "cd %s && \"%s/%s\" verify --cases relax_linear --schemes spap --resume", dir, cwd,
             nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "--resume needs the same plan"));
    free(ref);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    nlif_test_sh(cmd, out, sizeof out);
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"FNV-1a 64: the published test vectors, in pieces, of a file", test_fnv_vectors},
        {"an identity tells another run, changed content and a missing file apart", test_identity_check},
        {"report refuses the verdicts of a re-run or changed file (exit 2), only those", test_report_refuses_changed_inputs},
        {"verify --resume: reuse of the same plan, same verdicts; changed file re-run; other plan refused", test_resume},
        {NULL, NULL},
    };
    return nlif_test_main("identity", tests);
}
