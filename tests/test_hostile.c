/* test_hostile.c — hostile input and bounded resources: every accepted input ends, every refused
 * one is refused at the edge with exit 2, the key's location and the limit (harness/case/nlif_limits.h,
 * cases/README.md "Limits"); verify's children end with it and its output folder is locked.
 *
 * Each command runs under `timeout 20` (a generous bound: these end in well under a second when
 * refused; a timeout shows as exit 124 and fails the test) and, outside the sanitizer build, under
 * `ulimit -v` 4 GiB (ASan reserves far more address space than that, so the sanitizer build runs
 * them without it). */
#include "../harness/case/nlif_case.h"
#include "../harness/case/nlif_limits.h"
#include "../harness/runs/nlif_run.h"
#include "../core/nlif_scheme.h"
#include "../solvers/spap/spap.h"
#include "nlif_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[1 << 16];

static int sanitized(void)
{
    const char *b = getenv("NLIF");
    return b && strstr(b, "build-san");
}

/* Run `nlif ARGS` from build/tests/hostile/ (scratch files there), bounded in time and memory. */
static int nlif(const char *args, int seconds)
{
    char cmd[4000];
    snprintf(cmd, sizeof cmd,
             "B=\"$PWD/%s\"; mkdir -p build/tests/hostile && cd build/tests/hostile && %s timeout %d \"$B\" %s",
             nlif_test_bin(), sanitized() ? "" : "ulimit -v 4194304;", seconds, args);
    return nlif_test_sh(cmd, out, sizeof out);
}

static void expect_within(const char *args, int seconds, int rc, const char *text)
{
    int got = nlif(args, seconds);
    int ok = got == rc && (!text || strstr(out, text));
    if (!ok)
        fprintf(stderr, "\n  nlif %s\n  expected exit %d and '%s', got exit %d:\n%.1500s\n", args, rc, text ? text : "",
                got, out);
    CU_ASSERT_EQUAL(got, rc);
    if (text)
        CU_ASSERT_PTR_NOT_NULL(strstr(out, text));
}

static void expect(const char *args, int rc, const char *text) { expect_within(args, 20, rc, text); }

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(text, 1, len, f), len);
    fclose(f);
}

#define SHORT "--set run.t_final=0.1 --set run.snapshots= "

/* A bin width beyond t_final gave 0 bins and a write to bin_spikes[-1] (SIGSEGV): now one bin. */
static void test_mc_one_bin(void)
{
    expect("mc relax_linear " SHORT "--particles 1000 --realisations 1 --set run.rate_window=1e300 --out mc", 0,
           "relax_linear: N_p = 1000");
    expect("mc relax_linear " SHORT "--particles 1000 --realisations 2 --opt bin_width=1e9 --out mc", 0,
           "relax_linear: N_p = 1000");
}

/* Run length: t_final/dt beyond run.max_steps is refused before anything runs, for every scheme. */
static void test_steps_bounded(void)
{
    expect("run relax_linear --scheme spap --set run.t_final=1 --set run.dt=1e-300 --set run.snapshots= --out r", 2,
           "--set run.dt=1e-300: t_final/dt = 1e+300 steps exceeds run.max_steps = 1e+08");
    static const char *const schemes[] = {"spap", "multiscale", "dilated", "cvode", NULL};
    for (int i = 0; schemes[i]; i++) {
        char a[256];
        snprintf(a, sizeof a, "run relax_linear --scheme %s --set run.t_final=1e300 --set run.snapshots= --out r", schemes[i]);
        expect(a, 2, "exceeds run.max_steps");
    }
    /* the ceiling is a key: raising it is the documented way to allow more */
    expect("show relax_linear --set run.t_final=2e5 --set run.snapshots=", 2, "exceeds run.max_steps = 1e+08");
    expect("show relax_linear --set run.t_final=2e5 --set run.snapshots= --set run.max_steps=1e9", 2,
           "above run.max_memory = 4096 MiB");
    expect("mc relax_linear --set run.t_final=1e5 --set run.snapshots= --out mc", 2, "run.max_");
    expect("mc relax_linear --set run.t_final=1 --set run.snapshots= --particles 1e9 --out mc", 2,
           "exceeds run.max_particle_steps = 1e+12");
    expect("mc relax_linear --set run.t_final=1 --set run.snapshots= --realisations 1000000 --out mc", 2,
           "exceeds run.max_particle_steps");
    expect("show relax_linear --set run.particles=1e9", 2,
           "--set run.particles=1e9: a grid run needs an estimated 61037 MiB, above run.max_memory = 4096 MiB");
}

/* Values that passed validation and overflowed an int later are refused with the limit. */
static void test_overflow_refused(void)
{
    expect("run relax_linear --scheme spap --set run.dv=1e-300 --out r", 2,
           "--set run.dv=1e-300: the grid would have 6e+300 cells (allowed: at most 1e+07");
    expect("run relax_linear --scheme spap --set model.v_f=1e300 --out r", 2, "cells (allowed: at most 1e+07");
    expect("mc relax_linear --set run.rate_window=1e-300 --out mc", 2,
           "--set run.rate_window=1e-300: t_final/rate_window = 2e+301 rate bins (allowed: at most 1e+07)");
    expect("mc relax_linear " SHORT "--opt bin_width=1e-12 --out mc", 2, "bin_width");
    expect("run relax_linear --scheme multiscale " SHORT "--opt calm_window=1e9 --out r", 2,
           "calm_window = 1e+09 holds 1e+12 particle steps");
    /* a kick of any size is a shift of whole cells, clamped to the grid before the cast (the
     * sanitizer build's float-cast-overflow check watches this one) */
    expect("run kick_input --scheme dilated --set run.t_final=1.2 --set run.snapshots= --set input.kick=1e300 --out r", 0,
           "status ok");
    expect("run kick_input --scheme dilated --set run.t_final=1.2 --set run.snapshots= --set input.kick=-1e300 --out r",
           0, "status ok");
    /* b = 1e308: the dilated MFE phase would need ~1e310 steps: a status with its time and cause */
    expect("run relax_linear --scheme dilated " SHORT "--set model.b=1e308 --out r", 3,
           "status failed at t = 0 (dilated: the MFE phase would need up to");
}

static void test_empty_table(void)
{
    const char *text = "[case]\ndescription = x\n[model]\nb = 0.5\n[initial]\ntype = table\npoints =\n[run]\nt_final = 1\n";
    write_file("build/tests/hostile/empty_points.ini", text, strlen(text));
    expect("show empty_points.ini", 2, "empty_points.ini:7: initial.points is empty");
    nlif_case cs;
    nlif_error err = {0};
    CU_ASSERT_EQUAL(nlif_case_parse_string(&cs, text, "t.ini", NULL, 0, &err), NLIF_EINVAL);
    const char *blocks = "[case]\ndescription = x\n[model]\nb = 0.5\n[initial]\ntype = uniform\nblocks = ,\n[run]\nt_final = 1\n";
    CU_ASSERT_EQUAL(nlif_case_parse_string(&cs, blocks, "t.ini", NULL, 0, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "t.ini:7: initial.blocks"));
    /* found by the fuzzer: an indented line continued an [options] value after it was checked */
    const char *opt = "[case]\ndescription = x\n[model]\nb = 0.5\n[initial]\ntype = gaussian\n[run]\nt_final = 1\n"
                      "[options]\nspap.blowup_indicator = 1e+06\n  not a number\n";
    CU_ASSERT_EQUAL(nlif_case_parse_string(&cs, opt, "t.ini", NULL, 0, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "t.ini:11: an indented line continues the [options] value"));
}

/* Reading: size, NUL, directories, over-long values. */
static void test_bounded_reading(void)
{
    expect("show /dev/zero", 2, "/dev/zero is larger than 1048576 bytes");
    static const char nul[] = "[case]\ndescription = x\n[model]\nb = 0.5\n[initial]\ntype = gaussian\n[run]\nt_final = 1\n"
                              "\0[expect]\nchecks = order_v\n";
    write_file("build/tests/hostile/nul.ini", nul, sizeof nul - 1);
    expect("show nul.ini", 2, "nul.ini:9: a NUL byte");
    expect("show ./", 2, "./ is a directory");
    expect("show relax_linear --set \"case.description=$(head -c 5000 /dev/zero | tr '\\0' a)\"", 2,
           "value of 'description' too long (5000 characters; allowed: at most 4095)");
    /* replacing a value given in the file is checked too (it was cut silently) */
    expect("show relax_linear --set \"run.snapshots=$(head -c 4200 /dev/zero | tr '\\0' 1)\"", 2, "too long");
    /* a text value is kept whole (it was cut at 511 silently) and stays writable as a case file: no
     * word longer than a case file line holds (a fuzzed case, tests/fuzz/crashes_case/, did not parse
     * once written) */
    expect("show relax_linear --set \"case.description=$(head -c 4095 /dev/zero | tr '\\0' a)\"", 2,
           "case.description: 4095 characters (allowed: at most 511)");
    expect("show relax_linear --set \"expect.source=$(head -c 181 /dev/zero | tr '\\0' a)\"", 2,
           "expect.source: a word of 181 characters (allowed: at most 180");
    expect("show relax_linear --set \"expect.source=$(head -c 180 /dev/zero | tr '\\0' a) b\" > long.ini && "
           "\"$B\" show long.ini", 0, NULL);
}

static void test_cli_values(void)
{
    expect("mc relax_linear --dt -1 --out mc", 2, "--dt > 0");
    expect("verify -j 0", 2, "-j 0: need 1 to 64");
    /* integer options take the form their help prints (%g: 1e+06) */
    static const nlif_option_spec spec[] = {{"cells", NLIF_OPT_INT, "3", 0, 1e6, NULL, 0, "test"}, {NULL}};
    nlif_optset o;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, spec, &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "cells", "1e+06", &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_opt_int(&o, "cells"), 1000000);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "cells", "2.5", &err), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "cells", "1e+07", &err), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "cells", "1e999", &err), NLIF_EINVAL);
}

/* The run-time step budget: a run that records more steps than its budget stops with status failed
 * and the cause, and the harness reports it as a status (not an error). */
static void test_step_budget(void)
{
    nlif_case cs;
    const char *sets[] = {"run.t_final=0.1", "run.snapshots="};
    if (!nlif_test_load(&cs, "relax_linear", sets, 2))
        return;
    cs.run.max_steps = 10; /* after validation (which would refuse 100 steps): the run-time budget alone */
    CU_ASSERT_EQUAL(nlif_limits_step_budget(&cs), 10);
    nlif_optset o;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, nlif_scheme_spap.options, &err), NLIF_OK);
    nlif_run_result res;
    CU_ASSERT_EQUAL(nlif_run_scheme(&nlif_scheme_spap, &cs, &o, &res, &err), NLIF_OK);
    CU_ASSERT_EQUAL(res.traj.status, NLIF_STATUS_FAILED);
    CU_ASSERT_EQUAL(res.traj.n, 10);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.traj.cause, "step budget exhausted"));
    nlif_run_result_free(&res);
    /* the memory ceiling bounds the budget too: 1 MiB holds 1 MiB / 80 bytes samples */
    cs.run.max_steps = 1e8;
    cs.run.max_memory = 1;
    CU_ASSERT_EQUAL(nlif_limits_step_budget(&cs), (size_t)(1048576.0 / (2 * sizeof(nlif_sample))));
}

/* CVODE's internal steps count against the same budget: BDF order 1 at rtol 1e-10 needs ~5e7 steps
 * per unit time on periodic_mfe_b3 (measured: 12,846 in the first output interval of 2.5e-4) and
 * ran for hours. */
static void test_cvode_budget(void)
{
    expect("run periodic_mfe_b3 --scheme cvode --opt max_order=1 --set run.t_final=0.1 --set run.max_steps=5000 --set run.mc_dt=1e-4 "
           "--set run.snapshots= --out r", 3, "status failed at t = ");
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "step budget exhausted: 5000 CVODE steps"));
    /* with the default options: more than the option max_steps = 1e4 CVODE steps in one output
     * interval is a status (about 1.5 s of CPU; 60 s allows a loaded machine) */
    expect_within("run periodic_mfe_b3 --scheme cvode --opt max_order=1 --set run.t_final=0.1 --set run.snapshots= --out r",
                  60, 3, "status failed at t = ");
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "CV_TOO_MUCH_WORK"));
}

/* Shell: jobs_of PID prints the job processes of verify PID (its children whose argv[0] is nlif);
 * WAIT_JOBS waits up to 20 s for one. verify's other children are transient (git, through popen,
 * for the commit of the provenance): a test that took any child for a job raced with their exit. */
#define WAIT_JOBS                                                                                      \
    "jobs_of() { ps -o pid=,args= --ppid \"$1\" | awk '$2 == \"nlif\" {print $1}'; }; "               \
    "i=0; while [ -z \"$(jobs_of $V)\" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; "

/* kill -9 of verify: its children get SIGTERM from the kernel and are gone (or zombies waiting for
 * a reaper) within 5 s. */
static void test_verify_kill9_leaves_no_orphan(void)
{
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "B=\"$PWD/%s\"; rm -rf build/tests/kill9 && mkdir -p build/tests/kill9 && cd build/tests/kill9 && "
             "{ \"$B\" verify --cases relax_linear -j 2 >log 2>&1 & V=$!; "
             WAIT_JOBS "K=$(jobs_of $V); [ -n \"$K\" ] || { echo no child; cat log; kill -9 $V; exit 5; }; "
             "kill -9 $V; i=0; while [ $i -lt 50 ]; do alive=''; for k in $K; do s=$(ps -o stat= -p $k); "
             "case \"$s\" in ''|Z*) ;; *) alive=\"$alive $k\";; esac; done; [ -z \"$alive\" ] && break; "
             "sleep 0.1; i=$((i+1)); done; "
             "if [ -z \"$alive\" ]; then echo children gone; else echo orphans:$alive; kill $alive; exit 6; fi; }",
             nlif_test_bin());
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc)
        fprintf(stderr, "\n  %s\n", out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "children gone"));
}

/* A second verify in the same folder refuses at once (exit 2, the holder's pid); SIGTERM (and
 * SIGINT) to the first end its children before it dies of the signal; then the lock is free. */
static void test_verify_lock_and_signals(void)
{
    static const char *const sigs[] = {"TERM", "INT", NULL};
    static const int codes[] = {143, 130};
    for (int s = 0; sigs[s]; s++) {
        char cmd[3000];
        snprintf(cmd, sizeof cmd,
                 "B=\"$PWD/%s\"; rm -rf build/tests/lock && mkdir -p build/tests/lock && cd build/tests/lock && "
                 "{ \"$B\" verify --cases relax_linear -j 2 >log 2>&1 & V=$!; "
                 WAIT_JOBS "K=$(jobs_of $V); [ -n \"$K\" ] || { echo no child; cat log; kill -9 $V; exit 5; }; "
                 "timeout 20 \"$B\" verify --cases relax_linear -j 1; echo second=$?; echo first=$V; "
                 "kill -%s $V; wait $V; echo status=$?; "
                 "alive=''; for k in $K; do s=$(ps -o stat= -p $k); case \"$s\" in ''|Z*) ;; *) alive=\"$alive $k\";; "
                 "esac; done; [ -z \"$alive\" ] && echo children gone || { echo orphans:$alive; kill $alive; }; "
                 "flock -n results/verify/.lock true && echo lock free; }",
                 nlif_test_bin(), sigs[s]);
        nlif_test_sh(cmd, out, sizeof out);
        char want[128];
        const char *first = strstr(out, "first=");
        if (!first)
            fprintf(stderr, "\n  SIG%s:\n%s\n", sigs[s], out);
        CU_ASSERT_PTR_NOT_NULL_FATAL(first);
        long pid = atol(first + 6);
        snprintf(want, sizeof want, "results/verify is in use by another nlif verify (pid %ld", pid);
        int ok = strstr(out, "second=2") && strstr(out, want) && strstr(out, "children gone") && strstr(out, "lock free");
        snprintf(want, sizeof want, "status=%d", codes[s]);
        ok = ok && strstr(out, want);
        if (!ok)
            fprintf(stderr, "\n  SIG%s:\n%s\n", sigs[s], out);
        CU_ASSERT(ok);
    }
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"mc: a bin wider than the run is one bin, not bin_spikes[-1]", test_mc_one_bin},
        {"steps beyond run.max_steps refused for every scheme", test_steps_bounded},
        {"values that overflowed later are refused with the limit", test_overflow_refused},
        {"an empty table or block list, an [options] continuation line are refused", test_empty_table},
        {"case reading is bounded: size, NUL, directory, value length", test_bounded_reading},
        {"command-line values: mc --dt -1, verify -j 0, integer options 1e+06", test_cli_values},
        {"run-time step budget ends a run with a status", test_step_budget},
        {"CVODE's internal steps count against the budget", test_cvode_budget},
        {"kill -9 of verify leaves no orphan child", test_verify_kill9_leaves_no_orphan},
        {"verify locks its folder; SIGTERM/SIGINT end its children", test_verify_lock_and_signals},
        {NULL, NULL},
    };
    return nlif_test_main("hostile", tests);
}
