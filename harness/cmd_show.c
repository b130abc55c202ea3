/* cmd_show.c — `nlif show`: being built. */
#include "nlif_cli.h"

int nlif_cmd_show(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif show: not available in this version\n");
    return NLIF_EXIT_USAGE;
}
