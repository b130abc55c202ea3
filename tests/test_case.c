/* test_case.c — the case format: parsing, defaults, --set, and refusal of bad input with
 * FILE:LINE, the key and what is allowed. */
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "../io/nlif_results.h"
#include "../core/nlif_scheme.h"
#include "nlif_test.h"

#include <math.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *good =
    "; a comment\n"
    "[case]\n"
    "description = test case\n"
    "tags = a, b\n"
    "[model]\n"
    "b = 0.5\n"
    "[initial]\n"
    "type = gaussian\n"
    "mean = 0\n"
    "sd = 0.5\n"
    "[run]\n"
    "t_final = 2\n";

static void test_good_case_and_defaults(void)
{
    nlif_case cs;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, good, "good.ini", NULL, 0, &err), NLIF_OK);
    CU_ASSERT_STRING_EQUAL(cs.name, "good");
    CU_ASSERT_EQUAL(cs.n_tags, 2);
    CU_ASSERT_STRING_EQUAL(cs.tags[1], "b");
    /* Defaults are exact decimal constants of the key table: compare exactly. */
    CU_ASSERT_EQUAL(cs.model.a0, 1.0);
    CU_ASSERT_EQUAL(cs.model.v_f, 2.0);
    CU_ASSERT_EQUAL(cs.model.v_r, 1.0);
    CU_ASSERT_EQUAL(cs.model.v_min, -4.0);
    CU_ASSERT_EQUAL(cs.model.b, 0.5);
    CU_ASSERT_EQUAL(cs.model.convention, NLIF_CONVENTION_A);
    CU_ASSERT_EQUAL(cs.run.t_final, 2.0);
    CU_ASSERT_EQUAL(cs.run.seed, 1u);
    CU_ASSERT_EQUAL(cs.structure.enabled, 0);
    CU_ASSERT_EQUAL(cs.input.type, NLIF_INPUT_NONE);
}

static void test_set_override(void)
{
    nlif_case cs;
    nlif_error err = {0};
    const char *sets[] = {"model.b=3", "run.seed=18446744073709551615", "model.convention=B"};
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, good, "good.ini", sets, 3, &err), NLIF_OK);
    CU_ASSERT_EQUAL(cs.model.b, 3.0);
    CU_ASSERT_EQUAL(cs.run.seed, UINT64_C(18446744073709551615));
    CU_ASSERT_EQUAL(cs.model.convention, NLIF_CONVENTION_B);
    /* a --set selector replaces the file's law: the file's keys of the old law are dropped */
    const char *law[] = {"initial.type=stationary", "initial.root=0"};
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, good, "good.ini", law, 2, &err), NLIF_OK);
    CU_ASSERT_EQUAL(cs.initial.type, NLIF_INIT_STATIONARY);
    /* ... but a --set of a key its law does not use is still refused */
    const char *stray[] = {"initial.type=stationary", "initial.mean=0.3"};
    CU_ASSERT_EQUAL(nlif_case_parse_string(&cs, good, "good.ini", stray, 2, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--set initial.mean=0.3: initial.mean is used only with type=gaussian"));
}

/* Each bad input: the text (or a --set), and fragments the message must contain. */
typedef struct bad_case {
    const char *what, *text, *set;
    const char *must[3];
} bad_case;

#define HEAD "[case]\ndescription = x\n[model]\nb = 1\n[initial]\ntype = gaussian\nmean = 0\nsd = 0.5\n[run]\nt_final = 1\n"

static const bad_case bad[] = {
    {"misspelt key", "[case]\ndescription = x\n[model]\nbb = 1\n", NULL, {"bad.ini:4", "'bb'", "allowed: a0, a1, b, v_f"}},
    {"unknown section", HEAD "[modle]\nb = 1\n", NULL, {"bad.ini:12", "unknown section [modle]", "allowed"}},
    {"missing required key", "[case]\ndescription = x\n[model]\nb = 1\n[initial]\ntype = gaussian\nmean = 0\nsd = 1\n", NULL, {"bad.ini", "missing required key run.t_final", NULL}},
    {"V_R above V_F", HEAD "[model]\n", NULL, {NULL}}, /* placeholder replaced below */
    {"a0 not positive", "[case]\ndescription = x\n[model]\nb = 1\na0 = 0\n[initial]\ntype = gaussian\nmean = 0\nsd = 1\n[run]\nt_final = 1\n", NULL, {"bad.ini:5", "model.a0 = 0 is out of range", "> 0"}},
    {"dv off the grid", HEAD, "run.dv=0.03", {"--set run.dv=0.03", "does not put V_R", "allowed"}},
    {"not a number", "[case]\ndescription = x\n[model]\nb = one\n", NULL, {"bad.ini:4", "model.b = 'one' is not a finite number", NULL}},
    {"bad enum", HEAD, "model.convention=C", {"--set model.convention=C", "allowed: A|B", NULL}},
    {"duplicate key", "[case]\ndescription = x\ndescription = y\n", NULL, {"bad.ini:3", "given twice", "line 2"}},
    {"key of another type", HEAD "[input]\ntype = constant\nomega = 2\n", NULL, {"bad.ini:13", "input.omega is used only with type=sine", NULL}},
    {"required by type", HEAD "[input]\ntype = sine\namplitude = 1\n", NULL, {"bad.ini", "missing required key input.omega", "type=sine"}},
    {"syntax error", "[case]\ndescription = x\nthis line has no equals sign\n", NULL, {"bad.ini:3", "not a 'key = value' line", NULL}},
    {"pulse with t1 <= t0", HEAD "[input]\ntype = pulse\ni0 = 1\nt0 = 2\nt1 = 1\n", NULL, {"bad.ini:15", "input.t1 = 1 must exceed input.t0 = 2", NULL}},
    {"snapshots decreasing", HEAD, "run.snapshots=0.5, 0.2", {"--set run.snapshots", "times must increase", NULL}},
    {"snapshot after t_final", HEAD, "run.snapshots=0.5, 2", {"--set run.snapshots", "after run.t_final", NULL}},
    {"structure dw", HEAD "[structure]\nw_min = 0\nw_max = 1\n", "run.dw=0.3", {"--set run.dw=0.3", "does not divide", NULL}},
    {"uniform block outside domain", "[case]\ndescription = x\n[model]\nb = 1\n[initial]\ntype = uniform\nblocks = 1.9 2.5 5\n[run]\nt_final = 1\n", NULL, {"bad.ini:7", "leaves [V_min, V_F]", NULL}},
    {"table row of one number", "[case]\ndescription = x\n[model]\nb = 1\n[initial]\ntype = table\npoints = 0 1, 1\n[run]\nt_final = 1\n", NULL, {"bad.ini:7", "item 2", "expected 2 numbers"}},
    {"set without section", HEAD, "b=1", {"--set b=1", "section.key=value", NULL}},
    {"negative seed", HEAD, "run.seed=-1", {"--set run.seed=-1", "non-negative integer", NULL}},
    {"key outside a section", "b = 1\n", NULL, {"bad.ini:1", "outside any section", NULL}},
    {"long line", NULL, NULL, {"bad.ini:3", "line too long", NULL}},
    {"option of an unknown scheme", HEAD "[options]\nmultiscal.calm_window = 0.1\n", NULL, {"bad.ini:12", "unknown scheme 'multiscal'", NULL}},
    {"unknown scheme option", HEAD "[options]\nmultiscale.calm_windw = 0.1\n", NULL, {"bad.ini:12", "calm_windw", "calm_window"}},
    {"bad option value", HEAD "[options]\nmultiscale.macro_noise = loud\n", NULL, {"bad.ini:12", "macro_noise", "none|finite_size"}},
    {"option without scheme", HEAD "[options]\ncalm_window = 0.1\n", NULL, {"bad.ini:12", "not of the form scheme.option", NULL}},
    {"option given twice", HEAD "[options]\nspap.mode = limit\nspap.mode = full\n", NULL, {"bad.ini:13", "given twice", "line 12"}},
    /* the synaptic delay (MATHEMATICS.md 1.4) */
    {"negative delay", HEAD, "model.delay=-0.1", {"--set model.delay=-0.1", "out of range", ">= 0"}},
    {"delay beyond t_final", HEAD "[model]\n", NULL, {NULL}}, /* placeholder replaced below */
    {"infinite delay", HEAD, "model.delay=inf", {"--set model.delay=inf", "not a finite number", NULL}},
    {"negative delay history", HEAD, "model.delay_history=-1", {"--set model.delay_history=-1", "out of range", ">= 0"}},
    {"history without delay", HEAD, "model.delay_history=2", {"--set model.delay_history=2", "without a delay", "delay > 0"}},
    {"delay in a structured case", HEAD "[structure]\nw_min = 0\nw_max = 1\n", "model.delay=0.5", {"--set model.delay=0.5", "structured", "allowed: delay = 0"}},
    {NULL, NULL, NULL, {NULL}},
};

static void check_bad(const bad_case *b, const char *text)
{
    nlif_case cs;
    nlif_error err = {0};
    const char *sets[1] = {b->set};
    int rc = nlif_case_parse_string(&cs, text, "bad.ini", sets, b->set ? 1 : 0, &err);
    CU_ASSERT_EQUAL(rc, NLIF_EINVAL);
    for (int k = 0; k < 3 && b->must[k]; k++) {
        int found = strstr(err.msg, b->must[k]) != NULL;
        if (!found)
            fprintf(stderr, "\n  [%s] message '%s' lacks '%s'\n", b->what, err.msg, b->must[k]);
        CU_ASSERT(found);
    }
}

static void test_bad_inputs(void)
{
    int kinds = 0;
    for (const bad_case *b = bad; b->what; b++) {
        if (!strcmp(b->what, "V_R above V_F")) {
            bad_case c = {b->what, NULL, NULL, {"bad.ini:14", "V_R = 3 must be below V_F = 2", "v_r < v_f"}};
            check_bad(&c, "[case]\ndescription = x\n[initial]\ntype = gaussian\nmean = 0\nsd = 0.5\n[run]\nt_final = 1\n"
                          "[model]\nb = 1\nv_f = 2\n\n\nv_r = 3\n");
        } else if (!strcmp(b->what, "delay beyond t_final")) {
            bad_case c = {b->what, NULL, NULL, {"bad.ini:6", "model.delay = 1.5 exceeds run.t_final = 1", "0 <= delay <= t_final"}};
            check_bad(&c, "[case]\ndescription = x\n[model]\nb = -1\n\ndelay = 1.5\n[initial]\ntype = gaussian\nmean = 0\n"
                          "sd = 0.5\n[run]\nt_final = 1\n");
        } else if (!strcmp(b->what, "long line")) {
            char text[600];
            snprintf(text, sizeof text, "[case]\ndescription = x\ntags = %0300d\n", 0);
            check_bad(b, text);
        } else
            check_bad(b, b->text);
        kinds++;
    }
    CU_ASSERT(kinds >= 10); /* at least ten distinct kinds of bad input */
}

/* A delay d > 0 needs capability delay: n.a. for a scheme without it, with the capability named; d = 0
 * needs nothing new (and writes no delay keys into the case's definition). */
static void test_delay_capability(void)
{
    nlif_case cs;
    nlif_error err = {0};
    const char *sets[] = {"model.delay=0.25", "model.delay_history=0.5"};
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, good, "good.ini", sets, 2, &err), NLIF_OK);
    CU_ASSERT_DOUBLE_EQUAL(cs.model.delay, 0.25, 0);
    CU_ASSERT_DOUBLE_EQUAL(cs.model.delay_history, 0.5, 0);
    nlif_scheme_type bare = {.name = "bare", .flags = NLIF_SUPPORTS_1D};
    const char *why = nlif_scheme_not_applicable(&bare, &cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "lacks capability delay"));
    bare.flags |= NLIF_SUPPORTS_DELAY;
    CU_ASSERT_PTR_NULL(nlif_scheme_not_applicable(&bare, &cs));
    CU_ASSERT_EQUAL(nlif_capability_flag("delay"), NLIF_SUPPORTS_DELAY);
    json_t *j = nlif_case_json(&cs);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(json_object_get(j, "model"), "delay")), 0.25, 0);
    json_decref(j);
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, good, "good.ini", NULL, 0, &err), NLIF_OK);
    bare.flags = NLIF_SUPPORTS_1D;
    CU_ASSERT_PTR_NULL(nlif_scheme_not_applicable(&bare, &cs));
    j = nlif_case_json(&cs);
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(j, "model"), "delay"));
    json_decref(j);
}

static void test_continuation_lines(void)
{
    nlif_case cs;
    nlif_error err = {0};
    const char *text = "[case]\ndescription = x\n[model]\nb = 1\n[initial]\ntype = table\n"
                       "points = 0 0, 1 1,\n  1.5 1, 2 0\n[run]\nt_final = 1\n";
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, text, "t.ini", NULL, 0, &err), NLIF_OK);
    CU_ASSERT_EQUAL(cs.initial.n_points, 4);
    CU_ASSERT_EQUAL(cs.initial.tv[2], 1.5);
}

/* The number of case files of the catalogue (the .ini files of cases/). */
static int catalogue_files(void)
{
    glob_t g;
    int n = glob("cases/*.ini", 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
    globfree(&g);
    return n;
}

static void test_catalogue_all_valid(void)
{
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    int n = 0;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_catalogue(names, NLIF_MAX_CASES, &n, &err), NLIF_OK);
    CU_ASSERT_EQUAL(n, catalogue_files()); /* every .ini file of cases/ is a named case */
    static const char *required[] = {"relax_inhibitory", "relax_linear", "relax_excitatory", "bistable_low",
                                     "noisy_rate", "smooth_short", "sine_calm", "single_mfe", "periodic_mfe_b2",
                                     "periodic_mfe_b25", "periodic_mfe_b3", "kick_input", "sine_mfe",
                                     "cascade_example", "learning_linear", "learning_hebbian", "ap_sweep",
                                     "structured_excitatory", NULL};
    for (int r = 0; required[r]; r++) {
        nlif_case cs;
        int rc = nlif_checks_load_case(&cs, required[r], NULL, 0, &err);
        if (rc)
            fprintf(stderr, "\n  %s: %s\n", required[r], err.msg);
        CU_ASSERT_EQUAL(rc, NLIF_OK);
    }
}

static void test_cli_exit_code(void)
{
    static char out[1 << 16];
    char cmd[512];
    FILE *f = fopen("build/tests/misspelt.ini", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("[case]\ndescription = misspelt\n[model]\nconectivity = 1\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s show build/tests/misspelt.ini", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "build/tests/misspelt.ini:4"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "conectivity"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "allowed: a0, a1, b, v_f, v_r, v_min, convention"));
    snprintf(cmd, sizeof cmd, "%s list", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    char want[32];
    snprintf(want, sizeof want, "%d cases", catalogue_files());
    CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
}

/* Write case a as `nlif show` does and load it back into b; the load's message goes to stderr. */
static int write_and_load(const nlif_case *a, nlif_case *b, const char *path)
{
    nlif_error err = {0};
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    nlif_case_write_ini(f, a);
    fclose(f);
    int rc = nlif_case_load(b, path, NULL, 0, &err);
    if (rc)
        fprintf(stderr, "\n  %s\n", err.msg);
    return rc;
}

static void test_show_roundtrip(void)
{
    /* `nlif show` output is itself a valid case that loads to the same values. */
    nlif_case a, b;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_case_load(&a, "cascade_example", NULL, 0, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(write_and_load(&a, &b, "build/tests/roundtrip.ini"), NLIF_OK);
    CU_ASSERT_EQUAL(a.model.b, b.model.b);
    CU_ASSERT_EQUAL(a.initial.n_blocks, b.initial.n_blocks);
    CU_ASSERT_EQUAL(a.initial.lo[0], b.initial.lo[0]);
    CU_ASSERT_EQUAL(a.run.particles, b.run.particles);
    CU_ASSERT_EQUAL(a.run.dt, b.run.dt);
    /* A value longer than a line (single_mfe's expect.source) is wrapped and read back whole. */
    CU_ASSERT_EQUAL_FATAL(nlif_case_load(&a, "single_mfe", NULL, 0, &err), NLIF_OK);
    CU_ASSERT(strlen(a.expect.source) > 199);
    CU_ASSERT_EQUAL_FATAL(write_and_load(&a, &b, "build/tests/roundtrip.ini"), NLIF_OK);
    CU_ASSERT_STRING_EQUAL(a.expect.source, b.expect.source);
}

/* [options]: a case states scheme options; they reach that scheme's option set (and no other), --set
 * can change them, `nlif show` writes them back, the result JSON records them. */
static void test_case_options(void)
{
    nlif_case cs, back;
    nlif_error err = {0};
    const char *text = HEAD "[options]\nmultiscale.calm_window = 0.02\nmultiscale.macro_noise = finite_size\n";
    const char *sets[] = {"options.multiscale.calm_window=0.03"};
    CU_ASSERT_EQUAL_FATAL(nlif_case_parse_string(&cs, text, "o.ini", sets, 1, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(cs.n_options, 2);
    const nlif_scheme_type *ms = nlif_scheme_find("multiscale"), *sp = nlif_scheme_find("spap");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
    nlif_optset o, p;
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, ms->options, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_case_apply_options(&cs, "multiscale", &o, &err), NLIF_OK);
    CU_ASSERT_DOUBLE_EQUAL(nlif_opt_double(&o, "calm_window"), 0.03, 0);
    CU_ASSERT_EQUAL(nlif_opt_enum(&o, "macro_noise"), 1);
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&p, sp->options, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_case_apply_options(&cs, "spap", &p, &err), NLIF_OK); /* nothing for spap */
    CU_ASSERT_EQUAL_FATAL(write_and_load(&cs, &back, "build/tests/options.ini"), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(back.n_options, 2);
    CU_ASSERT_STRING_EQUAL(back.options[0].value, "0.03");
    CU_ASSERT_STRING_EQUAL(back.options[1].name, "macro_noise");
    json_t *j = nlif_case_json(&cs);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(j, "options"), "multiscale.macro_noise")),
                           "finite_size");
    json_decref(j);
}

static void test_readme_documents_every_key(void)
{
    /* cases/README.md must name every key the parser accepts (as `key`). */
    FILE *f = fopen("cases/README.md", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = '\0';
    fclose(f);
    char keys[8192];
    FILE *m = fmemopen(keys, sizeof keys, "w");
    nlif_checks_print_case_keys(m);
    fclose(m);
    char *save = NULL;
    int count = 0;
    for (char *line = strtok_r(keys, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64], quoted[80];
        if (line[0] != ' ' || sscanf(line, " %63s", name) != 1)
            continue;
        snprintf(quoted, sizeof quoted, "`%s`", name);
        int found = strstr(doc, quoted) != NULL;
        if (!found)
            fprintf(stderr, "\n  cases/README.md does not document %s\n", quoted);
        CU_ASSERT(found);
        count++;
    }
    CU_ASSERT(count >= 40);
}

/* ---- [expect]: the checks' own keys (harness/checks/expect.c) ---- */

/* Parse HEAD + EXTRA with SET (or none) as bad.ini and validate its [expect]: the return code, the
 * message in err. */
static int load_expect(nlif_case *cs, const char *extra, const char *set, const nlif_check_type *const *reg, nlif_error *err)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", HEAD, extra);
    const char *sets[1] = {set};
    int rc = nlif_case_parse_string(cs, text, "bad.ini", sets, set ? 1 : 0, err);
    return rc ? rc : nlif_checks_validate_expect_in(reg, cs, err);
}

static void expect_refused(const char *extra, const char *set, const char *must1, const char *must2)
{
    nlif_case cs;
    nlif_error err = {0};
    CU_ASSERT_EQUAL(load_expect(&cs, extra, set, NULL, &err), NLIF_EINVAL);
    const char *must[2] = {must1, must2};
    for (int k = 0; k < 2 && must[k]; k++) {
        int found = strstr(err.msg, must[k]) != NULL;
        if (!found)
            fprintf(stderr, "\n  message '%s' lacks '%s'\n", err.msg, must[k]);
        CU_ASSERT(found);
    }
}

static void test_expect_refusals(void)
{
    /* HEAD has 10 lines: [expect] is line 11, its first key line 12 */
    expect_refused("[expect]\nrate_toll = 1e-3\n", NULL, "bad.ini:12: [expect] rate_toll: no check declares this key",
                   "allowed: checks, needs, blowup, source, mass_drift, rate_tol");
    expect_refused("[expect]\nmass_drift = 0\n", NULL, "bad.ini:12: [expect] mass_drift: 0 is out of range", "(allowed: > 0 and <= 1)");
    expect_refused("[expect]\nrate_tol = -1e-3\n", NULL, "bad.ini:12: [expect] rate_tol: -1e-3 is out of range", "(allowed: >= 0)");
    expect_refused("[expect]\nlevels = 4.5\n", NULL, "bad.ini:12: [expect] levels: '4.5' is not a whole number", "3 to 8");
    expect_refused("[expect]\njump_tol = small\n", NULL, "bad.ini:12: [expect] jump_tol: 'small' is not a finite number", NULL);
    expect_refused("", "expect.levels=9", "--set expect.levels=9: [expect] levels: 9 is out of range", "(allowed: a whole number, 3 to 8)");
    expect_refused("[expect]\nlevels = 4\n", "expect.levels=2", "--set expect.levels=2: [expect] levels", "out of range");
    expect_refused("", "expect.bogus=1", "--set expect.bogus=1: [expect] bogus: no check declares this key", NULL);
    expect_refused("[expect]\nsource = x\nchecks = stationary_rate, bogus\n", NULL, "bad.ini:13: [expect] checks: unknown check 'bogus'",
                   "allowed: stationary_rate, jump");
    expect_refused("[expect]\nchecks = mass\n", NULL, "[expect] checks: unknown check 'mass'", NULL); /* always judged */
    expect_refused("[expect]\nmass_drift = 1e-12\nmass_drift = 1e-11\n", NULL, "bad.ini:13", "given twice");
    /* the case keeps at most NLIF_MAX_EXPECT_BOUNDS entries, and says so */
    char many[4096] = "[expect]\n";
    for (int i = 0; i <= NLIF_MAX_EXPECT_BOUNDS; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "key%d = 1\n", i);
    expect_refused(many, NULL, "bad.ini:44: [expect] key32: more than 32 keys of the checks", NULL);
}

static void test_expect_bounds_read(void)
{
    nlif_case cs;
    nlif_error err = {0};
    /* given in the file, overridden by --set, or the declaring check's default: the same doubles as
     * strtod makes of the text */
    CU_ASSERT_EQUAL_FATAL(load_expect(&cs, "[expect]\nchecks = stationary_rate\nrate_tol = 1e-3\nlevels = 5\n", "expect.rate_tol=2.4e-3",
                                      NULL, &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_check_bound(&cs, "rate_tol"), strtod("2.4e-3", NULL));
    CU_ASSERT_EQUAL(nlif_check_bound(&cs, "levels"), 5.0);
    CU_ASSERT_EQUAL(nlif_check_bound(&cs, "mass_drift"), 1e-12);
    CU_ASSERT_EQUAL(nlif_check_bound(&cs, "mc_inside"), 0.95);
    CU_ASSERT(isnan(nlif_check_bound(&cs, "no_such_key")));
    CU_ASSERT_EQUAL_FATAL(load_expect(&cs, "", "expect.mfe_t_allow=0.01", NULL, &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_check_bound(&cs, "mfe_t_allow"), 0.01);
    /* the registry agrees with itself; every key of every check reads back its default on a case
     * that gives none, and a valid value given by --set */
    CU_ASSERT_EQUAL(nlif_checks_registry_valid(NULL, &err), NLIF_OK);
    int keys = 0;
    for (int i = 0; nlif_checks[i]; i++)
        for (const nlif_expect_spec *sp = nlif_checks[i]->expect; sp && sp->name; sp++, keys++) {
            nlif_case d;
            nlif_case_defaults(&d);
            CU_ASSERT_EQUAL(nlif_check_bound(&d, sp->name), strtod(sp->def, NULL));
            char set[128];
            double v = sp->max < 1e300 ? sp->max : sp->min + 1;
            snprintf(set, sizeof set, "expect.%s=%.17g", sp->name, v);
            CU_ASSERT_EQUAL_FATAL(load_expect(&d, "", set, NULL, &err), NLIF_OK);
            CU_ASSERT_EQUAL(nlif_check_bound(&d, sp->name), v);
        }
    CU_ASSERT(keys >= 10);
    /* `nlif show` lists every key with its value, defaults included, and loads back the same */
    nlif_case back;
    CU_ASSERT_EQUAL_FATAL(load_expect(&cs, "[expect]\nrate_tol = 2.4e-3\n", NULL, NULL, &err), NLIF_OK);
    nlif_checks_complete_expect(&cs);
    CU_ASSERT(cs.expect.n_bounds >= 10);
    CU_ASSERT_EQUAL_FATAL(write_and_load(&cs, &back, "build/tests/expect.ini"), NLIF_OK);
    CU_ASSERT_EQUAL(back.expect.n_bounds, cs.expect.n_bounds);
    CU_ASSERT_EQUAL(nlif_check_bound(&back, "rate_tol"), 2.4e-3);
    CU_ASSERT_EQUAL(nlif_check_bound(&back, "order_tol"), 0.15);
}

/* A check with a key of its own is one table: the case holds its value with no change to nlif_case
 * (whose layout is the plugin ABI), the validation and the accessor consult the table; two
 * declarations of one key must agree. */
static void test_expect_new_check(void)
{
    static const nlif_expect_spec dummy_keys[] = {{"dummy_tol", 0, "0.5", 0, 1, 1, "dummy: a bound"}, {NULL, 0, NULL, 0, 0, 0, NULL}};
    static const nlif_expect_spec same_keys[] = {{"dummy_tol", 0, "0.5", 0, 1, 1, "dummy: a bound"}, {NULL, 0, NULL, 0, 0, 0, NULL}};
    static const nlif_expect_spec other_keys[] = {{"dummy_tol", 0, "0.6", 0, 1, 1, "dummy: a bound"}, {NULL, 0, NULL, 0, 0, 0, NULL}};
    static const nlif_expect_spec clash_keys[] = {{"source", 0, "0", 0, 1, 0, "a key of the case format"}, {NULL, 0, NULL, 0, 0, 0, NULL}};
    static const nlif_check_type dummy = {.name = "dummy", .title = "a dummy", .expect = dummy_keys};
    static const nlif_check_type same = {.name = "same", .title = "the same key", .expect = same_keys};
    static const nlif_check_type other = {.name = "other", .title = "another default", .expect = other_keys};
    static const nlif_check_type clash = {.name = "clash", .title = "a case key", .expect = clash_keys};
    const nlif_check_type *const reg[] = {&dummy, NULL}, *const twice[] = {&dummy, &same, NULL},
                             *const unlike[] = {&dummy, &other, NULL}, *const ownkey[] = {&clash, NULL};
    nlif_case cs;
    nlif_error err = {0};
    size_t before = sizeof(nlif_case);
    CU_ASSERT_EQUAL_FATAL(load_expect(&cs, "[expect]\nchecks = dummy\ndummy_tol = 0.25\n", NULL, reg, &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_check_bound_in(reg, &cs, "dummy_tol"), 0.25);
    CU_ASSERT_EQUAL(sizeof cs, before);
    CU_ASSERT_EQUAL(nlif_checks_validate_expect_in(twice, &cs, &err), NLIF_OK);
    CU_ASSERT_EQUAL(load_expect(&cs, "[expect]\ndummy_tol = 1.5\n", NULL, reg, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad.ini:12: [expect] dummy_tol: 1.5 is out of range (allowed: > 0 and <= 1)"));
    CU_ASSERT_EQUAL(load_expect(&cs, "", NULL, reg, &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_check_bound_in(reg, &cs, "dummy_tol"), 0.5);
    /* the real registry has no such key */
    CU_ASSERT_EQUAL(load_expect(&cs, "[expect]\ndummy_tol = 0.25\n", NULL, NULL, &err), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_checks_registry_valid(unlike, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "check other declares [expect] dummy_tol unlike an earlier check"));
    CU_ASSERT_EQUAL(nlif_checks_registry_valid(ownkey, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "a key of the case format itself"));
    static const nlif_expect_spec bad_name[] = {{"Bad tol", 0, "0", 0, 1, 0, "not a name"}, {NULL, 0, NULL, 0, 0, 0, NULL}};
    static const nlif_check_type badly = {.name = "badly", .title = "a bad key name", .expect = bad_name};
    const nlif_check_type *const named[] = {&badly, NULL};
    CU_ASSERT_EQUAL(nlif_checks_registry_valid(named, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "check badly declares [expect] 'Bad tol'"));
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"cases/README.md documents every key", test_readme_documents_every_key},
        {"good case and defaults", test_good_case_and_defaults},
        {"[options]: scheme options a case states", test_case_options},
        {"--set overrides", test_set_override},
        {"bad inputs refused with location", test_bad_inputs},
        {"a delay needs capability delay; d = 0 writes no delay keys", test_delay_capability},
        {"continuation lines", test_continuation_lines},
        {"catalogue valid", test_catalogue_all_valid},
        {"bin/nlif exit code 2 on a misspelt key", test_cli_exit_code},
        {"show round trip", test_show_roundtrip},
        {"[expect]: unknown keys and bad bounds refused with FILE:LINE", test_expect_refusals},
        {"[expect]: bounds read through the checks' tables, --set applied", test_expect_bounds_read},
        {"[expect]: a new check's key needs no change to nlif_case", test_expect_new_check},
        {NULL, NULL},
    };
    return nlif_test_main("case", tests);
}
