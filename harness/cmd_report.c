/* cmd_report.c — `nlif report`: not built yet (issue 7); replaced by its implementation. */
#include "nlif_cli.h"

int nlif_cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "nlif report: not available in this version (issue 7)\n");
    return NLIF_EXIT_USAGE;
}
