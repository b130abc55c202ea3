/* cmd_bench.c — `nlif bench`: not built yet (issue 3-6); replaced by its implementation. */
#include "nlif_cli.h"

int nlif_cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif bench: not available in this version (issue 3-6)\n");
    return NLIF_EXIT_USAGE;
}
