/* cmd_converge.c — `nlif converge`: not built yet (issue 7); replaced by its implementation. */
#include "nlif_cli.h"

int nlif_cmd_converge(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif converge: not available in this version (issue 7)\n");
    return NLIF_EXIT_USAGE;
}
