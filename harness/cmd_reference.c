/* cmd_reference.c — `nlif reference`: being built. */
#include "nlif_cli.h"

int nlif_cmd_reference(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif reference: not available in this version\n");
    return NLIF_EXIT_USAGE;
}
