/* cmd_run.c — `nlif run`: being built. */
#include "nlif_cli.h"

int nlif_cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif run: not available in this version\n");
    return NLIF_EXIT_USAGE;
}
