/* cmd_list.c — `nlif list`: being built. */
#include "nlif_cli.h"

int nlif_cmd_list(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif list: not available in this version\n");
    return NLIF_EXIT_USAGE;
}
