/* plugin_bad.c — plugins that nlif must refuse (tests/test_plugin.c builds one per -D), each a
 * scheme type that would otherwise load, with one thing wrong. */
#include <nlif/nlif_plugin.h>

#include <math.h>

static const nlif_option_spec options[] = {
#ifdef BAD_OPTION
    {"x", NLIF_OPT_DOUBLE, "2", 0, 1, NULL, 0, "a default outside its own range"},
#endif
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

#ifdef UNDEFINED_FUNCTION
void nlif_no_such_function(void);
#endif

static int bad_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj, nlif_error *err)
{
    (void)cs, (void)opt, (void)traj, (void)err;
#ifdef UNDEFINED_FUNCTION
    nlif_no_such_function();
#endif
    *state = NULL;
    return NLIF_EINVAL; /* never runs; and calls nothing of nlif (the test program exports nothing) */
}
__attribute__((unused)) static int bad_advance(void *state, double t_end, nlif_error *err) { (void)state, (void)t_end, (void)err; return 0; }
static int bad_profile(void *state, nlif_profile *out) { (void)state, (void)out; return 0; }
static void bad_free(void *state) { (void)state; }

#ifndef NAME
#define NAME "bad_scheme"
#endif

static const nlif_scheme_type bad = {
    .name = NAME,
    .title = "a plugin nlif must refuse",
    .source = "tests/plugin_bad.c",
    .flags = NLIF_SUPPORTS_1D,
    .order_t = NAN, .order_v_density = NAN, .order_v_rate = NAN, .order_w = NAN,
    .options = options,
    .alloc = bad_alloc,
#ifdef NULL_ADVANCE
    .advance = NULL,
#else
    .advance = bad_advance,
#endif
    .profile = bad_profile,
    .free = bad_free,
};

#if defined(ABI)
static const nlif_scheme_type *const list[] = {&bad, NULL};
NLIF_PLUGIN_EXPORT extern const nlif_plugin_info nlif_plugin_entry;
const nlif_plugin_info nlif_plugin_entry = {ABI, NLIF_PLUGIN_SIZES, list};
#elif defined(CASE_SIZE)
static const nlif_scheme_type *const list[] = {&bad, NULL};
NLIF_PLUGIN_EXPORT extern const nlif_plugin_info nlif_plugin_entry;
const nlif_plugin_info nlif_plugin_entry = {
    NLIF_PLUGIN_ABI,
    {sizeof(nlif_scheme_type), CASE_SIZE, sizeof(nlif_optset), sizeof(nlif_trajectory), sizeof(nlif_profile),
     sizeof(nlif_error)},
    list};
#elif defined(NO_ENTRY)
const nlif_scheme_type *bad_scheme_only = &bad;
#else
NLIF_PLUGIN(&bad);
#endif
