/* nlif_plugin.h — a scheme in a shared library of its own, loaded by `nlif ... --plugin lib.so`.
 *
 * A plugin is a C shared object that defines one symbol, NLIF_PLUGIN_ENTRY_NAME ("nlif_plugin_entry"):
 * a constant nlif_plugin_info naming the ABI its headers speak and its schemes. Write the scheme
 * against nlif_scheme.h (and nlif_density.h for the initial projection, so that it starts from the
 * same numbers as every grid scheme, MATHEMATICS.md §1.3), then end the file with
 *
 *     NLIF_PLUGIN(&my_scheme);            (one or more scheme types, comma-separated)
 *
 * Build it against the installed headers (`make install`, then `pkg-config --cflags nlif`) as
 * position-independent code with -shared -fvisibility=hidden, and do NOT link -lnlif: the functions
 * of nlif it calls (nlif_traj_record, nlif_initial_project, ...) are resolved in the program that
 * loads it (bin/nlif exports them), so that there is one library state in the process. With
 * -fvisibility=hidden the plugin's own functions cannot clash with nlif's; NLIF_PLUGIN exports the
 * entry alone. examples/plugin/ is a complete plugin.
 *
 * nlif loads it with dlopen (RTLD_NOW | RTLD_LOCAL: a function the plugin calls that this nlif lacks
 * is an error at load, not at the first step) and refuses, with the reason:
 *   - an ABI other than its own (NLIF_PLUGIN_ABI): the structures the two sides share differ;
 *   - structure sizes other than its own (the headers were edited without a new ABI number);
 *   - a scheme with no name, a name that is not 1-63 characters of [a-z0-9_] or that a scheme has
 *     already, a NULL title, source or function, or a malformed option table (nlif_optset_init).
 * The library stays loaded until the program ends. The scheme is then one more column of verify and
 * can be named wherever a built-in scheme can; its claims are judged like the built-in ones'.
 */
#ifndef NLIF_PLUGIN_H
#define NLIF_PLUGIN_H

#include "../../core/nlif_scheme.h"

#include <stddef.h>

/* The plugin ABI: the layout of nlif_plugin_info, nlif_scheme_type, nlif_case, nlif_optset,
 * nlif_trajectory, nlif_profile and the signatures of the functions of the installed headers. A
 * change to any of them takes a new number. The first member of nlif_plugin_info never moves.
 * 2: the bounds of the checks left nlif_case (nlif_expect keeps them as text entries, which each
 * check declares and reads itself): adding a check, with or without a bound, no longer changes the
 * ABI.
 * 3: nlif_case holds the manufactured family (MATHEMATICS.md 6b), initial type manufactured.
 * 4: nlif_model ends with the synaptic delay and its history (MATHEMATICS.md §1.4).
 * 5: both, and a refractory period: nlif_model.tau_ref, nlif_initial.refractory, nlif_trajectory's refractory
 * column (nlif_traj_record_refractory), capability refractory (MATHEMATICS.md §1.5).
 * 6: nlif_manufactured ends with the phase of g(t) (MATHEMATICS.md §6b: a delayed family needs it), and two populations (MATHEMATICS.md §1.6):
 * nlif_model's and nlif_initial's last fields, nlif_trajectory's population I samples
 * (nlif_traj_record_populations), nlif_profile.p_i, capability populations. */
#define NLIF_PLUGIN_ABI 6u

#define NLIF_PLUGIN_ENTRY_NAME "nlif_plugin_entry"
#define NLIF_PLUGIN_MAX_SCHEMES 8

/* The sizes of the structures the two sides share, as the plugin's compiler saw them: a second
 * guard behind the ABI number (headers changed, number not bumped). */
typedef struct nlif_plugin_sizes {
    size_t scheme_type, model_case, optset, trajectory, profile, error;
} nlif_plugin_sizes;

#define NLIF_PLUGIN_SIZES                                                                                  \
    {sizeof(nlif_scheme_type), sizeof(nlif_case), sizeof(nlif_optset), sizeof(nlif_trajectory),           \
     sizeof(nlif_profile), sizeof(nlif_error)}

typedef struct nlif_plugin_info {
    unsigned abi;                            /* NLIF_PLUGIN_ABI of the headers it was built with: first */
    nlif_plugin_sizes sizes;                 /* NLIF_PLUGIN_SIZES */
    const nlif_scheme_type *const *schemes;  /* 1..NLIF_PLUGIN_MAX_SCHEMES types, NULL-terminated */
} nlif_plugin_info;

#define NLIF_PLUGIN_EXPORT __attribute__((visibility("default")))

/* Define the entry of a plugin bringing the scheme types given (pointers, comma-separated). */
#define NLIF_PLUGIN(...)                                                                                   \
    static const nlif_scheme_type *const nlif_plugin_schemes_[] = {__VA_ARGS__, NULL};                     \
    NLIF_PLUGIN_EXPORT extern const nlif_plugin_info nlif_plugin_entry;                                    \
    const nlif_plugin_info nlif_plugin_entry = {NLIF_PLUGIN_ABI, NLIF_PLUGIN_SIZES, nlif_plugin_schemes_}

#endif
