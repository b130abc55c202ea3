/* nlif_broken.c — bin/nlif plus deliberately broken variants of a scheme, registered at start-up,
 * so that tests/test_harness.c can show `nlif verify` catching each defect on the right check with
 * the right figure (issue 7). The variants run the real dilated code path with one defect switched
 * on (solvers/dilated/dilated.h, DIL_DEFECT_*): they are not reachable from bin/nlif.
 */
#include "../harness/nlif_cli.h"
#include "../solvers/dilated/dilated.h"

static int alloc_with(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                      nlif_error *err, int defect)
{
    int rc = nlif_scheme_dilated.alloc(state, cs, opt, traj, err);
    if (rc == NLIF_OK)
        ((dil_solver *)*state)->defect = defect;
    return rc;
}

static int alloc_explicit(void **s, const nlif_case *cs, const nlif_optset *o, nlif_trajectory *t, nlif_error *e)
{
    return alloc_with(s, cs, o, t, e, DIL_DEFECT_EXPLICIT_REINJECTION);
}

static int alloc_half(void **s, const nlif_case *cs, const nlif_optset *o, nlif_trajectory *t, nlif_error *e)
{
    return alloc_with(s, cs, o, t, e, DIL_DEFECT_LOST_HALF_CELL);
}

static int alloc_jump(void **s, const nlif_case *cs, const nlif_optset *o, nlif_trajectory *t, nlif_error *e)
{
    return alloc_with(s, cs, o, t, e, DIL_DEFECT_WRONG_JUMP);
}

#define VARIANT(var, nm, ttl, fn)                                                                                     \
    static nlif_scheme_type var;                                                                                      \
    var = nlif_scheme_dilated;                                                                                        \
    var.name = nm;                                                                                                    \
    var.title = ttl;                                                                                                  \
    var.alloc = fn;                                                                                                   \
    nlif_scheme_register(&var)

int main(int argc, char **argv)
{
    VARIANT(explicit_reinjection, "broken_explicit_reinjection", "dilated with explicit re-injection (defect)", alloc_explicit);
    VARIANT(lost_half_cell, "broken_lost_half_cell", "dilated losing half the outflow cell (defect)", alloc_half);
    VARIANT(wrong_jump, "broken_wrong_jump", "dilated with a wrong MFE size (defect)", alloc_jump);
    return nlif_main(argc, argv);
}
