/* test_resultfmt.c — the result format (RESULTS.md, io/nlif_resultfmt.h): a well-formed set
 * is read; every kind of malformed input is refused with its FILE:LINE and what is wrong (never a
 * crash); a set whose files carry two run ids is refused; the writer leaves no temporary file after a
 * commit, an abort, exit(), SIGINT or SIGTERM, and removes the leftovers of a killed writer.
 */
#include "nlif_test.h"

#include "../io/nlif_mc_store.h"
#include "../io/nlif_resultfmt.h"

#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIR "build/tests/resultfmt"

/* The parts of a set, each replaceable by a test. */
typedef struct parts {
    const char *json_head;  /* format, version, run id members */
    const char *status;     /* the status member and what goes with it */
    const char *grid;
    const char *series;     /* the whole series file */
    const char *snapshots;  /* the whole snapshots file */
} parts;

static const char *good_head = "\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"R1\"";
static const char *good_status = "\"status\": \"ok\", \"stop_time\": null";
static const char *good_grid = "{\"nv\": 3, \"nw\": 0}";
static const char *good_series = "# format: nlif-results 1\n"
                                 "# run_id: R1\n"
                                 "# case: x\n"
                                 "t,rate,fired,mass,min_density\n"
                                 "0,0.1,0,1,0\n"
                                 "0.5,0.1,0.05,1,0\n"
                                 "1,0.1,0.1,1,0\n";
static const char *good_snaps = "# format: nlif-results 1\n"
                                "# run_id: R1\n"
                                "kind,t,x,density\n"
                                "v,0,-4,0\n"
                                "v,0,-1,0.3\n"
                                "v,0,2,0\n"
                                "# atom 1 1 0.01\n"
                                "v,1,-4,0\n"
                                "v,1,-1,0.3\n"
                                "v,1,2,0\n";

/* Write the set DIR/NAME.{json,series.csv,snapshots.csv} from P (NULL members: the good ones). */
static void write_set(const char *name, parts p)
{
    mkdir("build", 0777);
    mkdir("build/tests", 0777);
    mkdir(DIR, 0777);
    char path[512], json[2048];
    snprintf(json, sizeof json,
             "{\n  %s,\n  \"case\": \"x\", \"scheme\": \"ext\",\n  %s,\n  \"t_final\": 1, \"t_end\": 1,\n"
             "  \"grid\": %s,\n  \"mass_drift\": 0, \"min_density\": 0, \"final_rate\": 0.1,\n  \"mfe\": []\n}\n",
             p.json_head ? p.json_head : good_head, p.status ? p.status : good_status, p.grid ? p.grid : good_grid);
    snprintf(path, sizeof path, DIR "/%s.json", name);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(path, json), 0);
    snprintf(path, sizeof path, DIR "/%s.series.csv", name);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(path, p.series ? p.series : good_series), 0);
    snprintf(path, sizeof path, DIR "/%s.snapshots.csv", name);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(path, p.snapshots ? p.snapshots : good_snaps), 0);
}

/* Read the set NAME and expect a refusal whose message holds WHERE (a FILE:LINE) and WHAT. */
static void refused(const char *name, const char *where, const char *what)
{
    char path[512];
    snprintf(path, sizeof path, DIR "/%s.json", name);
    nlif_rf_run r;
    nlif_error e = {0};
    int rc = nlif_rf_run_read(path, &r, &e);
    CU_ASSERT_NOT_EQUAL(rc, NLIF_OK);
    if (rc == NLIF_OK) {
        fprintf(stderr, "\n  %s: accepted, expected a refusal with '%s'\n", name, what);
        nlif_rf_run_free(&r);
        return;
    }
    int ok = strstr(e.msg, where) && strstr(e.msg, what);
    if (!ok)
        fprintf(stderr, "\n  %s: message '%s' lacks '%s' or '%s'\n", name, e.msg, where, what);
    CU_ASSERT(ok);
}

static void test_good(void)
{
    write_set("good", (parts){0});
    nlif_rf_run r;
    nlif_error e = {0};
    int rc = nlif_rf_run_read(DIR "/good.json", &r, &e);
    if (rc)
        fprintf(stderr, "\n  good set refused: %s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
    CU_ASSERT_EQUAL(r.series.nrow, 3);
    CU_ASSERT_EQUAL(r.snapshots.nrow, 6);
    CU_ASSERT_EQUAL(r.snapshots.n_atoms, 1);
    CU_ASSERT_EQUAL(r.nv, 3);
    CU_ASSERT_STRING_EQUAL(r.series.run_id, "R1");
    CU_ASSERT_EQUAL(r.snapshots.x[1 * 4 + 0], 'v');
    CU_ASSERT_EQUAL(r.snapshots.x[1 * 4 + 3], 0.3);
    nlif_rf_run_free(&r);
}

static void test_version(void)
{
    write_set("v_csv_missing", (parts){.series = "t,rate,fired,mass,min_density\n0,0,0,1,0\n"});
    refused("v_csv_missing", "v_csv_missing.series.csv:1:", "the first line must be '# format: nlif-results 1'");
    write_set("v_csv_2", (parts){.series = "# format: nlif-results 2\n# run_id: R1\nt,rate,fired,mass,min_density\n"});
    refused("v_csv_2", "v_csv_2.series.csv:1:", "format version 2, this nlif reads version 1");
    write_set("v_json_2", (parts){.json_head = "\"format\": \"nlif-results\", \"format_version\": 2, \"run_id\": \"R1\""});
    refused("v_json_2", "v_json_2.json:1:", "format version 2");
    write_set("v_json_none", (parts){.json_head = "\"format\": \"nlif-results\", \"run_id\": \"R1\""});
    refused("v_json_none", "v_json_none.json:1:", "\"format_version\" missing");
    write_set("v_json_fmt", (parts){.json_head = "\"format\": \"other\", \"format_version\": 1, \"run_id\": \"R1\""});
    refused("v_json_fmt", "v_json_fmt.json:1:", "\"format\" is \"other\"");
}

static void test_run_ids(void)
{
    /* the series of another run beside this summary: a mixed set */
    write_set("two_runs", (parts){.series = "# format: nlif-results 1\n# run_id: R2\nt,rate,fired,mass,min_density\n"
                                            "0,0.1,0,1,0\n1,0.1,0.1,1,0\n"});
    refused("two_runs", "two_runs.series.csv", "run id R2 differs from run id R1");
    refused("two_runs", "two_runs.series.csv", "two different runs");
    write_set("two_runs_snap", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R0\nkind,t,x,density\n"
                                                    "v,1,-4,0\nv,1,-1,0.3\nv,1,2,0\n"});
    refused("two_runs_snap", "two_runs_snap.snapshots.csv", "two different runs");
    write_set("no_run_id", (parts){.series = "# format: nlif-results 1\nt,rate,fired,mass,min_density\n0,0,0,1,0\n"});
    refused("no_run_id", "no_run_id.series.csv:2:", "no '# run_id: ID' line before the header");
    write_set("bad_run_id", (parts){.json_head = "\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"a b\""});
    refused("bad_run_id", "bad_run_id.json:1:", "\"run_id\" missing or not");
}

static void test_fields(void)
{
    write_set("no_status", (parts){.status = "\"stop_time\": null"});
    refused("no_status", "no_status.json:1:", "\"status\" missing");
    write_set("bad_status", (parts){.status = "\"status\": \"fine\""});
    refused("bad_status", "bad_status.json:1:", "status \"fine\" (allowed: ok, blowup, runaway, failed)");
    write_set("no_grid", (parts){.grid = "null"});
    refused("no_grid", "no_grid.json:1:", "\"grid\" must be");
    write_set("huge_grid", (parts){.grid = "{\"nv\": 2000000000, \"nw\": 0}"});
    refused("huge_grid", "huge_grid.json:1:", "grid nv = 2000000000");
    write_set("bad_json", (parts){.status = "\"status\": ok"});
    refused("bad_json", "bad_json.json:4:", "not JSON");
    write_set("bad_header", (parts){.series = "# format: nlif-results 1\n# run_id: R1\nt,N,fired,mass,min_density\n"});
    refused("bad_header", "bad_header.series.csv:3:", "the header must be 't,rate,fired,mass,min_density[,R]'");
    write_set("few_fields", (parts){.series = "# format: nlif-results 1\n# run_id: R1\nt,rate,fired,mass,min_density\n"
                                              "0,0.1,0,1\n"});
    refused("few_fields", "few_fields.series.csv:4:", "4 fields, the header has 5");
    write_set("bad_kind", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\nq,1,0,0\n"});
    refused("bad_kind", "bad_kind.snapshots.csv:4:", "kind 'q' (allowed: v, w)");
    write_set("bad_atom", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\n# atom 1 x\n"});
    refused("bad_atom", "bad_atom.snapshots.csv:4:", "an atom line must be");
}

static void test_numbers_and_times(void)
{
    write_set("nan", (parts){.series = "# format: nlif-results 1\n# run_id: R1\nt,rate,fired,mass,min_density\n"
                                       "0,0.1,0,1,0\n0.5,nan,0,1,0\n1,0.1,0.1,1,0\n"});
    refused("nan", "nan.series.csv:5:", "rate = 'nan' is not a finite number");
    write_set("inf", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\nv,1,-4,inf\n"});
    refused("inf", "inf.snapshots.csv:4:", "density = 'inf' is not a finite number");
    write_set("back", (parts){.series = "# format: nlif-results 1\n# run_id: R1\nt,rate,fired,mass,min_density\n"
                                        "0,0.1,0,1,0\n0.5,0.1,0,1,0\n0.25,0.1,0,1,0\n1,0.1,0.1,1,0\n"});
    refused("back", "back.series.csv:6:", "t = 0.25 after 0.5: t must never decrease");
    write_set("snap_back", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\n"
                                                "v,1,-4,0\nv,1,-1,0.3\nv,1,2,0\nv,0.5,-4,0\n"});
    refused("snap_back", "snap_back.snapshots.csv:7:", "t must never decrease");
    write_set("grid_short", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\n"
                                                 "v,0,-4,0\nv,0,-1,0.3\nv,0,2,0\nv,1,-4,0\nv,1,2,0\n"});
    refused("grid_short", "grid_short.snapshots.csv:7:", "has 2 v rows and 0 w rows; the summary's grid says nv = 3");
    write_set("x_order", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\n"
                                              "v,1,-4,0\nv,1,2,0.3\nv,1,-1,0\n"});
    refused("x_order", "x_order.snapshots.csv:6:", "does not increase within the snapshot");
    write_set("no_snap", (parts){.snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\n"});
    refused("no_snap", "no_snap.snapshots.csv", "no snapshot");
}

static void test_t_final(void)
{
    const char *short_series = "# format: nlif-results 1\n# run_id: R1\nt,rate,fired,mass,min_density\n"
                               "0,0.1,0,1,0\n0.5,0.1,0.05,1,0\n";
    write_set("short_ok", (parts){.series = short_series});
    refused("short_ok", "short_ok.series.csv:5:", "ends at t = 0.5 before t_final = 1 and the status is ok");
    write_set("t_end_ok", (parts){.status = "\"status\": \"ok\", \"stop_time\": null, \"t_end_x\": 0"});
    {
        /* t_end below t_final with status ok in the summary itself */
        char json[1024];
        snprintf(json, sizeof json,
                 "{%s, \"case\": \"x\", \"scheme\": \"ext\", \"status\": \"ok\", \"t_final\": 1, \"t_end\": 0.5, "
                 "\"grid\": %s, \"mass_drift\": 0, \"min_density\": 0, \"final_rate\": 0.1}\n",
                 good_head, good_grid);
        CU_ASSERT_EQUAL(nlif_test_put(DIR "/t_end_ok.json", json), 0);
        refused("t_end_ok", "t_end_ok.json:1:", "status ok but t_end = 0.5 < t_final = 1");
    }
    /* a run that stops early and says why is accepted; a failed one must give its cause */
    char json[1024];
    snprintf(json, sizeof json,
             "{%s, \"case\": \"x\", \"scheme\": \"ext\", \"status\": \"blowup\", \"stop_time\": 0.5, "
             "\"blowup_time\": 0.5, \"t_final\": 1, \"t_end\": 0.5, \"grid\": %s, \"mass_drift\": 0, "
             "\"min_density\": 0, \"final_rate\": null}\n",
             good_head, good_grid);
    write_set("blowup", (parts){.series = short_series,
                                .snapshots = "# format: nlif-results 1\n# run_id: R1\nkind,t,x,density\n"
                                             "v,0.5,-4,0\nv,0.5,-1,0.3\nv,0.5,2,0\n"});
    CU_ASSERT_EQUAL(nlif_test_put(DIR "/blowup.json", json), 0);
    nlif_rf_run r;
    nlif_error e = {0};
    int rc = nlif_rf_run_read(DIR "/blowup.json", &r, &e);
    if (rc)
        fprintf(stderr, "\n  blowup set refused: %s\n", e.msg);
    CU_ASSERT_EQUAL(rc, NLIF_OK);
    if (!rc)
        nlif_rf_run_free(&r);
    snprintf(json, sizeof json,
             "{%s, \"case\": \"x\", \"scheme\": \"ext\", \"status\": \"failed\", \"stop_time\": 0.5, "
             "\"t_final\": 1, \"t_end\": 0.5, \"grid\": %s, \"mass_drift\": 0, \"min_density\": 0, "
             "\"final_rate\": null}\n",
             good_head, good_grid);
    CU_ASSERT_EQUAL(nlif_test_put(DIR "/blowup.json", json), 0);
    refused("blowup", "blowup.json:1:", "status failed without a \"cause\"");
}

static void test_sizes(void)
{
    /* a line longer than the limit */
    size_t n = NLIF_RF_MAX_LINE + 100;
    char *big = malloc(n + 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    snprintf(big, 200, "# format: nlif-results 1\n# run_id: R1\nt,rate,fired,mass,min_density\n0,0.1,0,1,");
    size_t k = strlen(big);
    memset(big + k, '0', n);
    big[k + n] = '\n';
    big[k + n + 1] = '\0';
    write_set("long_line", (parts){.series = big});
    free(big);
    refused("long_line", "long_line.series.csv:4:", "a line of");
    /* a file beyond the size limit (sparse: no disk used) */
    write_set("huge", (parts){0});
    FILE *f = fopen(DIR "/huge.snapshots.csv", "r+");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(ftruncate(fileno(f), NLIF_RF_MAX_BYTES + 1), 0);
    fclose(f);
    refused("huge", "huge.snapshots.csv", "more than the");
    unlink(DIR "/huge.snapshots.csv");
    /* a missing file of the set */
    write_set("missing", (parts){0});
    unlink(DIR "/missing.snapshots.csv");
    refused("missing", "missing.snapshots.csv", "cannot be read");
}

static size_t count_tmp(const char *stem)
{
    char pat[256];
    snprintf(pat, sizeof pat, DIR "/%s*.tmp-*", stem);
    glob_t g;
    if (glob(pat, 0, NULL, &g))
        return 0;
    size_t c = g.gl_pathc;
    globfree(&g);
    return c;
}

/* A writer that writes a CSV, then dies by HOW: 0 exit(), 1 SIGINT, 2 SIGTERM. */
static void dying_writer(int how)
{
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        nlif_rf_set s;
        if (nlif_rf_set_begin(&s, DIR, "dying", NULL))
            _exit(90);
        FILE *f = nlif_rf_set_csv(&s, ".series.csv", NULL);
        if (!f)
            _exit(91);
        fprintf(f, "t,rate,fired,mass,min_density\n");
        fflush(f);
        if (count_tmp("dying") != 1)
            _exit(92);
        if (how == 0)
            exit(0);
        raise(how == 1 ? SIGINT : SIGTERM);
        _exit(93);
    }
    int st;
    CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
    int as_expected = how == 0 ? WIFEXITED(st) && WEXITSTATUS(st) == 0
                               : WIFSIGNALED(st) && WTERMSIG(st) == (how == 1 ? SIGINT : SIGTERM);
    CU_ASSERT(as_expected);
    CU_ASSERT_EQUAL(count_tmp("dying"), 0);
}

static void test_writer(void)
{
    mkdir("build/tests", 0777);
    mkdir(DIR, 0777);
    /* commit: every file in place, each with the one run id, no temporary file */
    nlif_rf_set s;
    CU_ASSERT_EQUAL_FATAL(nlif_rf_set_begin(&s, DIR, "w", NULL), NLIF_OK);
    FILE *f = nlif_rf_set_csv(&s, ".series.csv", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "t,rate,fired,mass,min_density\n0,0.1,0,1,0\n1,0.1,0.1,1,0\n");
    f = nlif_rf_set_csv(&s, ".snapshots.csv", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "kind,t,x,density\nv,1,-4,0\nv,1,-1,0.3\nv,1,2,0\n");
    json_t *j = json_pack("{s:s, s:s, s:s, s:f, s:f, s:{s:i, s:i}, s:f, s:f, s:f}", "case", "x", "scheme", "ext",
                          "status", "ok", "t_final", 1.0, "t_end", 1.0, "grid", "nv", 3, "nw", 0, "mass_drift", 0.0,
                          "min_density", 0.0, "final_rate", 0.1);
    CU_ASSERT_EQUAL(count_tmp("w"), 2);
    CU_ASSERT_EQUAL(nlif_rf_set_json(&s, ".json", j, NULL), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_rf_set_commit(&s, NULL), NLIF_OK);
    json_decref(j);
    CU_ASSERT_EQUAL(count_tmp("w"), 0);
    nlif_rf_run r;
    nlif_error e = {0};
    int rc = nlif_rf_run_read(DIR "/w.json", &r, &e);
    if (rc)
        fprintf(stderr, "\n  written set refused: %s\n", e.msg);
    CU_ASSERT_EQUAL(rc, NLIF_OK);
    if (!rc) {
        CU_ASSERT_STRING_EQUAL(r.series.run_id, json_string_value(json_object_get(r.summary, "run_id")));
        nlif_rf_run_free(&r);
    }
    /* abort: nothing renamed, nothing left */
    CU_ASSERT_EQUAL_FATAL(nlif_rf_set_begin(&s, DIR, "aborted", NULL), NLIF_OK);
    CU_ASSERT_PTR_NOT_NULL(nlif_rf_set_csv(&s, ".series.csv", NULL));
    nlif_rf_set_abort(&s);
    CU_ASSERT_EQUAL(count_tmp("aborted"), 0);
    CU_ASSERT(access(DIR "/aborted.series.csv", F_OK) != 0);
    /* exit(), SIGINT, SIGTERM: the temporary file is removed */
    for (int how = 0; how < 3; how++)
        dying_writer(how);
    /* a leftover of a killed writer (a pid that runs no more) is removed by the next writer */
    CU_ASSERT_EQUAL(nlif_test_put(DIR "/w.snapshots.csv.tmp-999999999-1", "x"), 0);
    CU_ASSERT_EQUAL(count_tmp("w"), 1);
    CU_ASSERT_EQUAL_FATAL(nlif_rf_set_begin(&s, DIR, "w", NULL), NLIF_OK);
    nlif_rf_set_abort(&s);
    CU_ASSERT_EQUAL(count_tmp("w"), 0);
}

#define MC_STORE_DIR "build/tests/mc_store"

/* The one lookup finds a case's folder in the first root that has it: anywhere (the report),
 * ROOT/NAME.json, ROOT/NAME/NAME.json, else the first variant ROOT/NAME/VARIANT/NAME.json in name order;
 * in the case's folder (the checks), ROOT/NAME/NAME.json alone, never a variant; none: the first root's
 * NAME, 0. */
static void test_mc_store_find(void)
{
    mkdir("build/tests", 0755);
    mkdir(MC_STORE_DIR, 0755);
    mkdir(MC_STORE_DIR "/store", 0755);
    mkdir(MC_STORE_DIR "/store/zeta", 0755);
    mkdir(MC_STORE_DIR "/store/zeta/v2", 0755);
    mkdir(MC_STORE_DIR "/store/zeta/v1", 0755);
    remove(MC_STORE_DIR "/store/zeta/zeta.json"); /* from an earlier run of this test */
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(MC_STORE_DIR "/store/zeta/v2/zeta.json", "{}"), 0);
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(MC_STORE_DIR "/store/zeta/v1/zeta.json", "{}"), 0);
    const char *roots[] = {MC_STORE_DIR "/nostore", MC_STORE_DIR "/store"};
    char dir[512];
    CU_ASSERT_EQUAL(nlif_mc_store_find(roots, 2, "zeta", NLIF_MC_STORE_ANYWHERE, dir, sizeof dir), 1);
    CU_ASSERT_STRING_EQUAL(dir, MC_STORE_DIR "/store/zeta/v1");
    /* the checks judge against a case's own folder only, never a study's variant */
    CU_ASSERT_EQUAL(nlif_mc_store_find(roots, 2, "zeta", NLIF_MC_STORE_CASE_FOLDER, dir, sizeof dir), 0);
    CU_ASSERT_STRING_EQUAL(dir, MC_STORE_DIR "/nostore/zeta");
    CU_ASSERT_EQUAL_FATAL(nlif_test_put(MC_STORE_DIR "/store/zeta/zeta.json", "{}"), 0);
    CU_ASSERT_EQUAL(nlif_mc_store_find(roots, 2, "zeta", NLIF_MC_STORE_ANYWHERE, dir, sizeof dir), 1);
    CU_ASSERT_STRING_EQUAL(dir, MC_STORE_DIR "/store/zeta");
    CU_ASSERT_EQUAL(nlif_mc_store_find(roots, 2, "zeta", NLIF_MC_STORE_CASE_FOLDER, dir, sizeof dir), 1);
    CU_ASSERT_STRING_EQUAL(dir, MC_STORE_DIR "/store/zeta");
    CU_ASSERT_EQUAL(nlif_mc_store_find(roots, 2, "omega", NLIF_MC_STORE_ANYWHERE, dir, sizeof dir), 0);
    CU_ASSERT_STRING_EQUAL(dir, MC_STORE_DIR "/nostore/omega");
}

static const nlif_test_case tests[] = {{"good_set", test_good},
                                       {"version", test_version},
                                       {"run_ids", test_run_ids},
                                       {"fields", test_fields},
                                       {"numbers_and_times", test_numbers_and_times},
                                       {"t_final", test_t_final},
                                       {"sizes", test_sizes},
                                       {"writer_all_or_nothing", test_writer},
                                       {"mc_store_find", test_mc_store_find},
                                       {NULL, NULL}};

int main(void)
{
    /* The writer's cleanup on SIGINT and SIGTERM is tested with the default dispositions, whatever this
     * program inherited: a shell's background job (`make check &`, nohup) starts with SIGINT ignored,
     * and the writer rightly leaves an ignored signal ignored. Before the first write, which installs
     * the writer's handlers. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return nlif_test_main("resultfmt", tests);
}
