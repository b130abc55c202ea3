/* cli.c — the command line of nlif: dispatch to the subcommands (cli/cmd_*.c). In the library so
 * that a test program can register extra schemes and then run the same command line. */
#include "../reference/montecarlo.h"
#include "nlif_cli.h"
#include "../harness/host/nlif_extra.h"
#include "../harness/host/nlif_plugin.h"
#include "../io/nlif_results.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    int writes; /* writes result files with provenance (the commit is read before the command runs) */
} command;

static const command commands[] = {
    {"list", nlif_cmd_list, "list the case catalogue (tags, which schemes apply)", 0},
    {"show", nlif_cmd_show, "print a validated case with every default filled in", 0},
    {"reference", nlif_cmd_reference, "exact references: stationary states, jump sizes, the catalogue's references", 1},
    {"run", nlif_cmd_run, "run one scheme on one case, write results (JSON + CSV)", 1},
    {"mc", nlif_cmd_mc, "Monte Carlo particle reference of a case", 1},
    {"verify", nlif_cmd_verify, "run the catalogue through every scheme and judge every check", 1},
    {"compare", nlif_cmd_compare, "compare two verifications cell by cell: flips, moved figures, CPU, case edits", 0},
    {"judge", nlif_cmd_judge, "judge result files already on disk (a verify folder, or any code's) like verify", 0},
    {"converge", nlif_cmd_converge, "convergence study of one scheme on one case", 1},
    {"report", nlif_cmd_report, "turn results into figures and tables (reports/out/)", 0},
    {"bench", nlif_cmd_bench, "benchmarks: costs measured as ratios in one run", 0},
    {"check", nlif_cmd_check, "check result files against the result format (RESULTS.md)", 0},
    {"problem", nlif_cmd_problem, "print the problem JSON an external solver receives (SOLVERS.md)", 0},
    {NULL, NULL, NULL, 0},
};

/* nlif --version: the program's version and commit, and whether this program runs `mc` and `verify` on MPI. */
static int version(void)
{
    json_t *p = nlif_provenance_json();
    printf("nlif %s (commit %s)\n", json_string_value(json_object_get(p, "version")),
           json_string_value(json_object_get(p, "commit")));
    json_decref(p);
    if (nlif_mc_world)
        printf("MPI: yes (%s; this run: %d process%s)\n", nlif_mc_world->name, nlif_mc_world->size,
               nlif_mc_world->size == 1 ? "" : "es");
    else
        printf("MPI: no (bin/nlif-mpi is the MPI build, made when mpicc is present)\n");
    return NLIF_EXIT_OK;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif COMMAND [ARGS...]   (nlif COMMAND --help for each)\n\n"
               "nlif verifies and benchmarks numerical solvers of the mean-field Fokker-Planck equation\n"
               "of noisy leaky integrate-and-fire networks.\n\ncommands:\n");
    for (const command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\nnlif --version: version, commit, whether this program runs mc and verify on MPI.\n");
    fprintf(f, "\nSchemes beyond the built-in ones, after any command (every command then knows them;\n"
               "verify runs each as its own column and hands them to its child processes):\n"
               "  --variant NAME:SCHEME:opt=value[,opt=value]...  SCHEME with these options fixed (an\n"
               "                 ablation: they win over the case's [options] for SCHEME; --opt wins over them)\n"
               "  --solver MANIFEST.ini  an external program as a scheme (SOLVERS.md); with one --solver,\n"
               "                 --scheme defaults to it. Its failures are numerical failures (exit 3).\n"
               "  --plugin LIB.so  the schemes of a C plugin built against the installed headers (make\n"
               "                 install; examples/plugin): refused with the reason when its plugin ABI is\n"
               "                 not this nlif's (%u) or a scheme type is malformed\n", NLIF_PLUGIN_ABI);
    fprintf(f, "\nexit codes: 0 ok, 1 a verification failed, 2 bad usage or input, 3 numerical failure\n");
}

int nlif_main(int argc, char **argv)
{
    nlif_error_init_gsl();
    if (argc < 2) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    /* Only argv[1] is nlif's own: a flag (--help, --version) or the command, whose arguments follow. */
    static const struct option flags[] = {
        {"help", no_argument, NULL, NLIF_CLI_HELP}, {"version", no_argument, NULL, 'V'}, {0, 0, 0, 0}};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, 2, argv, flags, 0);
    int c = nlif_cli_flags_next(&p);
    if (c == NLIF_CLI_HELP || (c == NLIF_CLI_POSITIONAL && strcmp(argv[1], "help") == 0)) {
        usage(stdout);
        return NLIF_EXIT_OK;
    }
    if (c == 'V')
        return version();
    for (const command *cmd = commands; cmd->name; cmd++)
        if (strcmp(argv[1], cmd->name) == 0) {
            nlif_error err = {0};
            if (nlif_extra_take(&argc, argv, 2, &err))
                return nlif_cli_report(cmd->name, &err);
            /* The provenance's commit is read now, before a run that may outlast a commit, so that the
             * results record the code the run started from (nlif_commit keeps the first reading). Under
             * MPI only the process that writes (rank 0) asks git. */
            if (cmd->writes && !(nlif_mc_world && nlif_mc_world->rank != 0))
                (void)nlif_commit();
            return cmd->fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "nlif: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return NLIF_EXIT_USAGE;
}
