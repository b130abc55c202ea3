/* cmd_show.c — `nlif show CASE`: the validated case, every default filled in. */
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../io/nlif_results.h"

#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif show CASE [--set section.key=value]... [--json] [--keys]\n\n"
               "Validate CASE (a catalogue name or a path to a .ini file), apply the overrides, and print\n"
               "it with every default filled in (INI, or JSON with --json). --keys prints every section\n"
               "and key the case format allows, with defaults (cases/README.md explains them).\n");
}

enum { SHOW_KEYS = 256, SHOW_JSON, SHOW_SET };

static const struct option show_flags[] = {
    {"help", no_argument, NULL, NLIF_CLI_HELP},
    {"keys", no_argument, NULL, SHOW_KEYS},
    {"json", no_argument, NULL, SHOW_JSON},
    {"set", required_argument, NULL, SHOW_SET}, /* also --set=section.key=value */
    {0, 0, 0, 0}};

int nlif_cmd_show(int argc, char **argv)
{
    const char *name = NULL;
    const char *sets[64];
    int n_sets = 0, json = 0;
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, show_flags, 1);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        } else if (c == SHOW_KEYS) {
            nlif_checks_print_case_keys(stdout);
            return 0;
        } else if (c == SHOW_JSON)
            json = 1;
        else if (c == SHOW_SET && p.value && n_sets < 64)
            sets[n_sets++] = p.value;
        else if (c == NLIF_CLI_POSITIONAL && p.value[0] != '-' && !name)
            name = p.value;
        else {
            fprintf(stderr, "nlif show: unexpected argument '%s'\n", p.flag);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    if (!name) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, sets, n_sets, &err))
        return nlif_cli_report("show", &err);
    if (json) {
        json_t *j = nlif_case_json(&cs);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        putchar('\n');
        json_decref(j);
    } else {
        nlif_checks_complete_expect(&cs); /* every check's [expect] key, defaults included */
        nlif_case_write_ini(stdout, &cs);
    }
    return 0;
}
