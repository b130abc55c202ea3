/* nlif_mutants.c — bin/nlif plus the mutant catalogue (tests/mutants.h), registered at start-up, so
 * that tests/test_mutants.c and tests/test_harness.c can show `nlif verify` catching every mutant on
 * the check meant for it. The mutants are not reachable from bin/nlif. */
#include "../cli/nlif_cli.h"
#include "mutants.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (nlif_mutants_register()) {
        fprintf(stderr, "nlif_mutants: the scheme registry cannot take the mutant catalogue\n");
        return 2;
    }
    return nlif_main(argc, argv);
}
