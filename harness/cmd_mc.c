/* cmd_mc.c — `nlif mc`: not built yet (issue 3); replaced by its implementation. */
#include "nlif_cli.h"

int nlif_cmd_mc(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif mc: not available in this version (issue 3)\n");
    return NLIF_EXIT_USAGE;
}
