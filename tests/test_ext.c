/* test_ext.c — external solvers (harness/host/nlif_solver_ext.h, SOLVERS.md): the manifest, the problem JSON,
 * a good solver that is treated as a built-in scheme, and the hostile solvers of tests/ext/, each of
 * which must FAIL with its own message while verify finishes the rest. */
#include "../harness/case/nlif_case.h"
#include "../harness/host/nlif_solver_ext.h"
#include "nlif_test.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A manifest written into a private folder, loaded; returns the code, the message in msg. */
static int load_text(const char *text, char *msg, size_t len)
{
    char dir[] = "/tmp/nlif-test-ext-XXXXXX", path[PATH_MAX];
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/manifest.ini", dir);
    nlif_error err = {0};
    int rc = nlif_test_put(path, text) ? -1 : nlif_solver_load(path, &err);
    snprintf(msg, len, "%s", err.msg);
    unlink(path);
    rmdir(dir);
    return rc;
}

#define HEAD "[solver]\nname = t_ok\ntitle = t\nreconstructs = r\ncapabilities = 1d\n"
#define CMD "command = ./s {problem} {out} {stem}\n"

static void manifest_refusals(void)
{
#define LONG "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" \
             "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
    static const struct {
        const char *text, *want;
    } bad[] = {
        {HEAD CMD "colour = red\n", "manifest.ini:7: unknown key 'colour' in [solver]"},
        {HEAD CMD "[extra]\nx = 1\n", "manifest.ini:8: unknown section [extra]"},
        {"[solver]\nname = Bad-Name\n", "manifest.ini:2: name = 'Bad-Name'"},
        {HEAD, "has no 'command'"},
        {"[solver]\nname = t1\ntitle = t\nreconstructs = r\ncapabilities = 1d, warp\n" CMD, "manifest.ini:5: capabilities: unknown 'warp'"},
        {HEAD "command = ./s {problem} {where}\n", "manifest.ini:6: command: unknown placeholder at '{where}'"},
        {HEAD "command = ./s\n", "manifest.ini:6: command: no {problem} placeholder"},
        {HEAD CMD "timeout = 0\n", "manifest.ini:7: timeout = '0'"},
        {HEAD CMD "max_output_mb = lots\n", "manifest.ini:7: max_output_mb = 'lots'"},
        {HEAD CMD "max_output_files = 2.5\n", "manifest.ini:7: max_output_files = '2.5'"},
        {HEAD CMD "order_t = fast\n", "manifest.ini:7: order_t = 'fast'"},
        {HEAD CMD "[option.mode]\ntype = choice\ndefault = a\n", "manifest.ini:8: [option.mode] is a choice without 'values'"},
        {HEAD CMD "[option.mode]\ntype = choice\nvalues = a, b\ndefault = c\n", "an option's default"},
        {HEAD CMD "[option.k]\ntype = int\nmin = 1\nmax = 4\ndefault = 9\n", "an option's default"},
        {HEAD CMD "[option.k]\ntype = float\n", "manifest.ini:8: type = 'float'"},
        {HEAD CMD "[option.k]\nkind = int\n", "manifest.ini:8: unknown key 'kind' in [option.k]"},
        {"[solver]\nname = spap\ntitle = t\nreconstructs = r\ncapabilities = 1d\n" CMD, "the name 'spap' is taken"},
        {HEAD CMD "name = t2\n", "manifest.ini:7: 'name' given twice"},
        {HEAD CMD "this is not ini\n", "manifest.ini:7: not an INI line"},
        {HEAD CMD "title2 = " LONG "\n", "manifest.ini:7: line too long (allowed: at most 198 characters a line)"},
        {HEAD CMD "max_cpu_seconds = 1.5\n", "manifest.ini:7: max_cpu_seconds = '1.5' (allowed: an integer in [1, 604800])"},
        {HEAD CMD "max_memory_mb = 8\n", "manifest.ini:7: max_memory_mb = '8' (allowed: a number in [16, 1048576], or none)"},
        {HEAD CMD "max_processes = 0\n", "manifest.ini:7: max_processes = '0' (allowed: an integer in [1, 4096])"},
        {HEAD CMD "sandbox = maybe\n", "manifest.ini:7: sandbox = 'maybe' (allowed: auto, required, off)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[1200];
        int rc = load_text(bad[i].text, msg, sizeof msg);
        CU_ASSERT_EQUAL(rc, NLIF_EINVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(msg, bad[i].want));
        if (rc != NLIF_EINVAL || !strstr(msg, bad[i].want))
            fprintf(stderr, "\n  manifest %zu: rc %d, '%s' (wanted '%s')\n", i, rc, msg, bad[i].want);
    }
    CU_ASSERT_PTR_NULL(nlif_scheme_find("t_ok"));
    CU_ASSERT_PTR_NULL(nlif_solver_default_scheme());
}

/* A good manifest: its scheme type, option table, and the problem it would be given. */
static void manifest_and_problem(void)
{
    char msg[1200];
    int rc = load_text(HEAD "order_v_density = 2\norder_t = none\n" CMD "timeout = 5\nmax_output_mb = 3\n"
                            "max_cpu_seconds = 7\nmax_memory_mb = 100\nmax_processes = 9\nsandbox = off\n"
                            "[option.mode]\ntype = choice\nvalues = fast, exact\ndefault = exact\nhelp = how\n"
                            "[option.k]\ntype = int\nmin = 1\nmax = 4\ndefault = 2\n",
                       msg, sizeof msg);
    CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
    const nlif_scheme_type *st = nlif_scheme_find("t_ok");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(nlif_solver_default_scheme(), "t_ok");
    CU_ASSERT_EQUAL(st->flags, NLIF_SUPPORTS_1D);
    CU_ASSERT_EQUAL(st->order_v_density, 2);
    CU_ASSERT(isnan(st->order_t) && isnan(st->order_v_rate));
    CU_ASSERT_PTR_NULL(st->claims);
    CU_ASSERT_PTR_NULL(st->limit_option);
    CU_ASSERT_STRING_EQUAL(st->options[0].name, "mode");
    CU_ASSERT_EQUAL(st->options[0].kind, NLIF_OPT_ENUM);
    CU_ASSERT_STRING_EQUAL(st->options[0].choices, "fast|exact");
    CU_ASSERT_EQUAL(st->options[1].kind, NLIF_OPT_INT);
    CU_ASSERT_PTR_NULL(st->options[2].name);
    double timeout, bytes;
    CU_ASSERT_EQUAL(nlif_solver_limits(st, &timeout, &bytes), 0);
    CU_ASSERT_EQUAL(timeout, 5);
    CU_ASSERT_EQUAL(bytes, 3.0 * 1048576);
    json_t *prov = nlif_solver_provenance(st);
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(prov, "manifest")), "/manifest.ini"));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(prov, "command")), "./s {problem} {out} {stem}");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(prov, "max_cpu_seconds")), 7);
    CU_ASSERT_EQUAL(json_real_value(json_object_get(prov, "max_memory_mb")), 100);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(prov, "max_processes")), 9);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(prov, "sandbox")), "off");
    const char *iso = json_string_value(json_object_get(prov, "isolation"));
    CU_ASSERT_PTR_NOT_NULL(iso && strstr(iso, "none (sandbox = off in the manifest"));
    CU_ASSERT_PTR_NOT_NULL(iso && strstr(iso, "; limits cpu 7 s, memory 100 MB, file 3 MB, processes 9 ("));
    char line[1200];
    CU_ASSERT_EQUAL(nlif_solver_isolation(st, line, sizeof line), 0);
    CU_ASSERT_STRING_EQUAL(line, iso ? iso : "");
    CU_ASSERT_EQUAL(nlif_solver_isolation(nlif_scheme_find("spap"), line, sizeof line), -1);
    json_decref(prov);
    CU_ASSERT_PTR_NULL(nlif_solver_provenance(nlif_scheme_find("spap")));

    nlif_case cs;
    if (!nlif_test_load(&cs, "relax_linear", NULL, 0))
        return;
    nlif_optset o;
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, st->options, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_optset_assign(&o, "mode=fast", NULL), NLIF_OK);
    nlif_error err = {0};
    json_t *p = nlif_problem_json(&cs, &o, "/x", "relax_linear.t_ok", 5, bytes, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p, "format")), "nlif-problem");
    json_t *grid = json_object_get(p, "grid"), *nodes = json_object_get(grid, "nodes");
    json_t *dens = json_object_get(json_object_get(p, "initial"), "density");
    /* relax_linear: v_min = -4, V_F = 2, dv = 0.02: 301 nodes, V_R = 1 the node 250 */
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(grid, "nv")), 301);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(grid, "i_r")), 250);
    CU_ASSERT_EQUAL(json_array_size(nodes), 301);
    CU_ASSERT_EQUAL(json_array_size(dens), 301);
    CU_ASSERT_EQUAL(json_real_value(json_array_get(nodes, 300)), 2.0);
    CU_ASSERT_EQUAL(json_real_value(json_array_get(nodes, 250)), 1.0);
    CU_ASSERT_EQUAL(json_real_value(json_array_get(dens, 300)), 0.0);
    double mass = 0;
    for (size_t i = 0; i < json_array_size(dens); i++)
        mass += json_real_value(json_array_get(dens, i)) * 0.02;
    NLIF_ASSERT_CLOSE(mass, 1.0, 0, 1e-12); /* the projection's mass is 1 up to round-off (nlif_density.h) */
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(p, "options"), "mode")), "fast");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(p, "options"), "k")), 2);
    CU_ASSERT(json_is_null(json_object_get(p, "structure")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(p, "snapshots")), 3);
    json_t *lim = json_object_get(p, "limits");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(lim, "max_output_bytes")), 3 << 20);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(lim, "max_cpu_seconds")), 7);
    CU_ASSERT_EQUAL(json_real_value(json_object_get(lim, "max_memory_mb")), 100);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(lim, "max_processes")), 9);
    json_decref(p);
}

/* The good solver of tests/ext is spap run through bin/nlif: nlif run with it (no --scheme: the one
 * solver) gives spap's numbers exactly, with the manifest in the provenance; its option reaches the
 * program (a variant fixing outflow = one_sided gives spap's one_sided numbers, which differ); a run
 * that stops (spap has no mfe capability: single_mfe stops with status blowup) is replayed as it
 * stopped; nlif problem prints what it was given; converge runs it per level; a crashing solver's
 * run exits 3 and removes the result set an earlier run left under its stem (verify would judge it). */
static void a_good_solver_is_a_scheme(void)
{
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd,
             "b=$(readlink -f %s) m=$(readlink -f tests/ext/good.ini) k=$(readlink -f tests/ext/crash.ini) && d=$(mktemp -d) && cd \"$d\" && "
             "\"$b\" run relax_linear --solver \"$m\" --out o > /dev/null && "
             "\"$b\" run relax_linear --scheme spap --out o > /dev/null && "
             "grep -v '^#' o/relax_linear.ext_good.snapshots.csv > a && grep -v '^#' o/relax_linear.spap.snapshots.csv > b && "
             "cmp a b && grep -v '^#' o/relax_linear.ext_good.series.csv > a && grep -v '^#' o/relax_linear.spap.series.csv > b && "
             "cmp a b && echo same && "
             "\"$b\" run relax_linear --solver \"$m\" --variant g1:ext_good:outflow=one_sided --scheme g1 --out o > /dev/null && "
             "\"$b\" run relax_linear --scheme spap --opt outflow=one_sided --stem one --out o > /dev/null && "
             "grep -v '^#' o/relax_linear.g1.series.csv > a && grep -v '^#' o/one.series.csv > b && cmp a b && "
             "grep -v '^#' o/relax_linear.spap.series.csv > b && ! cmp -s a b && echo variant && "
             "\"$b\" run single_mfe --solver \"$m\" --out o > /dev/null && \"$b\" run single_mfe --scheme spap --out o > /dev/null && "
             "grep -v '^#' o/single_mfe.ext_good.snapshots.csv > a && grep -v '^#' o/single_mfe.spap.snapshots.csv > b && "
             "cmp a b && grep -c '\"status\": \"blowup\"' o/single_mfe.ext_good.json && grep -c '\"manifest\": \"'\"$m\" o/relax_linear.ext_good.json && "
             "\"$b\" problem relax_linear --solver \"$m\" | grep -c '\"stem\": \"relax_linear.ext_good\"' && "
             "\"$b\" converge smooth_short --solver \"$m\" --refine t --levels 2 --out c | grep 'fitted order' && "
             "{ \"$b\" run relax_linear --solver \"$k\" --out o --stem relax_linear.ext_good 2> /dev/null; echo \"crash $?\"; } && "
             "! test -e o/relax_linear.ext_good.json && echo gone; "
             "rc=$?; cd / && rm -rf \"$d\"; exit $rc",
             nlif_test_bin());
    int rc = nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(rc, 0);
    /* each nlif run of the solver said where it runs (stderr): the good solver runs without a sandbox */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "isolation ext_good: none (sandbox = off in the manifest"));
    for (char *at; (at = strstr(out, "isolation "));) { /* then out without those lines */
        char *next = strchr(at, '\n') ? strchr(at, '\n') + 1 : at + strlen(at);
        memmove(at, next, strlen(next) + 1);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "same\nvariant\n1\n1\n1\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "fitted order: p 1.0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "crash 3\ngone\n")); /* a failed run leaves no (older) result set */
    if (rc || !strstr(out, "same\nvariant\n1\n1\n1\n"))
        fprintf(stderr, "\n%s\n", out);
}

/* verify with spap and the hostile solvers on two cases (of the limits, burn_many and forks: verify takes
 * 16 solvers; burn and hog are run in every sandbox below), in a private folder (and a private TMPDIR,
 * which must be empty afterwards): spap passes, each hostile solver's run FAILs with its message. */
static void hostile_solvers_fail_and_verify_finishes(void)
{
    static const struct {
        const char *mode, *want, *want2;
    } hostile[] = {
        {"missing_file", ".snapshots.csv: cannot be read", NULL},
        {"missing_column", ".series.csv:13: the header must be 't,rate,fired,mass,min_density[,R]'", NULL},
        {"nan", ".series.csv:16: rate = 'nan' is not a finite number", NULL},
        {"wrong_length", ".snapshots.csv:15: the snapshot at t = ", NULL},
        {"wrong_version", ".series.csv:1: format version 7, this nlif reads version 1", NULL},
        {"exit3", "exit code 3; last stderr: solver: the matrix is singular at step 17", NULL},
        {"crash", "killed by signal SIGSEGV (Segmentation fault); last stderr: solver: about to crash", NULL},
        {"sleep", "(manifest timeout = 2); killed with its process group", NULL},
        {"flood", "output beyond 8 MB (manifest max_output_mb = 8)", NULL},
        {"many_files", "more than 100 files and folders written (manifest max_output_files = 100)", NULL},
        {"fifo", ".json: not a regular file", NULL},
        {"wrong_grid", ".json:1: grid nv = ", NULL},
        {"short", "before t_final = ", NULL},
        {"burn_many", "CPU time limit: its processes together, killed after ", "(manifest max_cpu_seconds = 1)"},
        {"forks", "process limit: ", "(manifest max_processes = 8)"},
    };
    size_t n = sizeof hostile / sizeof hostile[0];
    char cmd[8192], schemes[1024] = "spap", solvers[4096] = "", out[1 << 16];
    for (size_t i = 0; i < n; i++) {
        snprintf(schemes + strlen(schemes), sizeof schemes - strlen(schemes), ",ext_%s", hostile[i].mode);
        snprintf(solvers + strlen(solvers), sizeof solvers - strlen(solvers), " --solver \"$r\"/tests/ext/%s.ini",
                 hostile[i].mode);
    }
    /* '[rs][em]*_[ls][ih]*' is relax_linear and smooth_short (--cases takes one pattern) */
    snprintf(cmd, sizeof cmd,
             "b=$(readlink -f %s) r=$(pwd) && d=$(mktemp -d) && cd \"$d\" && mkdir tmp && "
             "TMPDIR=\"$d/tmp\" \"$b\" verify --quick --fresh 0 -j 2 --cases '[rs][em]*_[ls][ih]*' --schemes %s %s > table 2> err; "
             "echo \"verify exit $?\"; cat table; echo \"left in TMPDIR: $(ls tmp | wc -l)\"; "
             "echo \"left running: $(pgrep -f 'sleep [3]17' | wc -l)\"; cd / && rm -rf \"$d\"",
             nlif_test_bin(), schemes, solvers);
    nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "verify exit 1\n"));
    int clean = strstr(out, "left in TMPDIR: 0\n") != NULL;
    CU_ASSERT(clean);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "left running: 0\n")); /* ext_forks's processes died with it */
    int bad = 0;
    /* spap: every cell passes (its stated checks on both cases, judged as usual) */
    int spap_cells = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char cs[64], scheme[64], check[64], verdict[16];
        if (sscanf(line, "%63s %63s %63s %15s", cs, scheme, check, verdict) != 4)
            continue;
        if (!strcmp(scheme, "spap")) {
            spap_cells++;
            if (strcmp(verdict, "pass"))
                bad++, fprintf(stderr, "\n  spap does not pass: %s\n", line);
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            char name[64];
            snprintf(name, sizeof name, "ext_%s", hostile[i].mode);
            if (strcmp(scheme, name))
                continue;
            if (strcmp(check, "run") || strcmp(verdict, "FAIL") || !strstr(line, hostile[i].want) ||
                (hostile[i].want2 && !strstr(line, hostile[i].want2))) {
                bad++;
                fprintf(stderr, "\n  %s: wanted a FAIL of run with '%s': %s\n", name, hostile[i].want, line);
            }
        }
    }
    CU_ASSERT(spap_cells >= 10); /* status, mass, positivity, stationary_rate, order_v, order_t, ... */
    CU_ASSERT_EQUAL(bad, 0);
    if (!clean)
        fprintf(stderr, "\n  a private folder was left behind\n");
}

/* The sandbox: tests/ext/peek tries to read the repository beside its manifest (cases/, reference/data,
 * README.md, results/, and through /proc/1/root) and says what it read. Without a sandbox (peek_open,
 * the control: the probe can fail) it reads cases/relax_linear.ini; in each sandbox this machine has
 * (bubblewrap, unshare) it must read nothing, and `nlif run` names the sandbox on its isolation line.
 * A level the machine does not have is skipped, saying so; sandbox = required then FAILs the run. */
static void the_sandbox_hides_the_repository(void)
{
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd,
             "b=$(readlink -f %s) && cd tests/ext && d=$(mktemp -d) && "
             "\"$b\" run relax_linear --solver peek_open.ini --out \"$d\" 2>&1; echo \"open $?\"; "
             "for s in bubblewrap unshare; do NLIF_SANDBOX=$s \"$b\" run relax_linear --solver peek.ini --out \"$d\" 2>&1; "
             "echo \"$s $?\"; done; rm -rf \"$d\"",
             nlif_test_bin());
    nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "isolation ext_peek_open: none (sandbox = off in the manifest"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "exit code 4; last stderr: solver: read the repository: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "/cases/relax_linear.ini"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "open 3\n"));
    static const char *const levels[] = {"bubblewrap", "unshare"};
    int tested = 0;
    for (int i = 0; i < 2; i++) {
        char want[128];
        snprintf(want, sizeof want, "isolation ext_peek: %s (sees only /usr, /etc, its manifest's folder", levels[i]);
        /* NLIF_SANDBOX=unshare on a machine without it, or bubblewrap without bwrap: none, and required FAILs */
        char *at = strstr(out, want);
        if (!at) {
            fprintf(stderr, "\n  SKIPPED: no %s sandbox on this machine (%s)\n", levels[i],
                    strstr(out, "sandbox = required in the manifest") ? "sandbox = required FAILed the run, as it must"
                                                                       : "and no FAIL of sandbox = required: wrong");
            CU_ASSERT_PTR_NOT_NULL(strstr(out, "sandbox = required in the manifest, and this machine gives none"));
            continue;
        }
        tested++;
        char *end = strstr(at, i ? "unshare 3\n" : "bubblewrap 3\n");
        CU_ASSERT_PTR_NOT_NULL_FATAL(end);
        *end = '\0';
        CU_ASSERT_PTR_NOT_NULL(strstr(at, "exit code 5; last stderr: solver: the repository "));
        CU_ASSERT_PTR_NULL(strstr(at, "read the repository"));
        *end = 'x';
    }
    if (!tested)
        fprintf(stderr, "\n  SKIPPED: the sandbox itself (no sandbox on this machine)\n");
}

/* The limits in every sandbox (bubblewrap, unshare, none) and without the pids cgroup: CPU, memory and
 * processes each end in the message naming the limit, nothing is left running. */
static void the_limits_in_every_sandbox(void)
{
    char cmd[2048], out[1 << 14];
    snprintf(cmd, sizeof cmd,
             "b=$(readlink -f %s) && cd tests/ext && d=$(mktemp -d) && "
             "for s in bubblewrap unshare none; do for c in 1 0; do for m in burn hog forks; do "
             "NLIF_SANDBOX=$s NLIF_SOLVER_CGROUP=$c \"$b\" run relax_linear --solver $m.ini --out \"$d\" 2>&1 | "
             "grep -v '^isolation' | sed \"s/^/$s $c: /\"; done; done; done; rm -rf \"$d\"; "
             "echo \"left running: $(pgrep -f 'sleep [3]17' | wc -l)\"",
             nlif_test_bin());
    nlif_test_sh(cmd, out, sizeof out);
    static const char *const want[] = {"CPU time limit: ", "memory limit: ", "process limit: "};
    static const char *const limit[] = {"(manifest max_cpu_seconds = 1)", "(manifest max_memory_mb = 64",
                                        "(manifest max_processes = 8)"};
    int lines = 0, bad = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "left running: ", 14)) {
            CU_ASSERT_STRING_EQUAL(line, "left running: 0");
            continue;
        }
        lines++;
        int m = strstr(line, "ext_burn") ? 0 : strstr(line, "ext_hog") ? 1 : 2;
        if (!strstr(line, want[m]) || !strstr(line, limit[m]))
            bad++, fprintf(stderr, "\n  wanted '%s' ... '%s': %s\n", want[m], limit[m], line);
    }
    CU_ASSERT_EQUAL(lines, 18);
    CU_ASSERT_EQUAL(bad, 0);
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"a malformed manifest is refused with FILE:LINE and registers nothing", manifest_refusals},
        {"a manifest's scheme type, options and problem JSON", manifest_and_problem},
        {"a good external solver is a scheme: run, problem, converge", a_good_solver_is_a_scheme},
        {"every hostile solver FAILs with its message and verify finishes", hostile_solvers_fail_and_verify_finishes},
        {"the sandbox hides the repository from the solver", the_sandbox_hides_the_repository},
        {"CPU, memory and process limits in every sandbox", the_limits_in_every_sandbox},
        {NULL, NULL},
    };
    /* the good solver runs this build's program (tests/ext/solver.sh): the sanitizer build has no
     * bin/nlif of its own */
    char exe[PATH_MAX];
    if (realpath(nlif_test_bin(), exe))
        setenv("NLIF_EXT_NLIF", exe, 1);
    return nlif_test_main("ext", tests);
}
