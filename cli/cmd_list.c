/* cmd_list.c — `nlif list`: the catalogue with tags and which schemes apply. */
#include "../core/nlif_scheme.h"
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../io/nlif_results.h"

#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif list [--json]\n\n"
               "List the cases of the catalogue (cases/*.ini): name, tags, which schemes apply (or why\n"
               "not), and the description, then every registered scheme with its declared capabilities\n"
               "(what nlif verify's n.a. cells name) and its epsilon = 0 limit mode. Every case is\n"
               "validated on the way: an invalid file is an error.\n");
}

int nlif_cmd_list(int argc, char **argv)
{
    static const struct option flags[] = {
        {"help", no_argument, NULL, NLIF_CLI_HELP}, {"json", no_argument, NULL, 'j'}, {0, 0, 0, 0}};
    int json = 0;
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        }
        if (c == 'j')
            json = 1;
        else {
            fprintf(stderr, "nlif list: unknown argument '%s'\n", p.flag);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    int n = 0;
    nlif_error err = {0};
    if (nlif_catalogue(names, NLIF_MAX_CASES, &n, &err))
        return nlif_cli_report("list", &err);
    json_t *arr = json_array();
    if (!json)
        printf("%-22s %-36s %-26s %s\n", "case", "tags", "schemes", "description");
    int bad = 0;
    for (int i = 0; i < n; i++) {
        nlif_case cs;
        if (nlif_checks_load_case(&cs, names[i], NULL, 0, &err)) {
            fprintf(stderr, "nlif list: %s\n", err.msg);
            bad = 1;
            continue;
        }
        char tags[256] = "", schemes[256] = "";
        for (int t = 0; t < cs.n_tags; t++)
            snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", t ? "," : "", cs.tags[t]);
        json_t *sj = json_object();
        for (int s = 0; nlif_schemes[s]; s++) {
            const char *why = nlif_scheme_not_applicable(nlif_schemes[s], &cs);
            if (!why)
                snprintf(schemes + strlen(schemes), sizeof schemes - strlen(schemes), "%s%s", schemes[0] ? "," : "",
                         nlif_schemes[s]->name);
            json_object_set_new(sj, nlif_schemes[s]->name, why ? json_string(why) : json_string("applies"));
        }
        if (!cs.manufactured.enabled) /* the particle reference has no source term (MATHEMATICS.md 6b) */
            snprintf(schemes + strlen(schemes), sizeof schemes - strlen(schemes), "%smc", schemes[0] ? "," : "");
        if (json)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}", "case", cs.name, "tags", tags, "description",
                                                 cs.description, "schemes", sj));
        else {
            json_decref(sj);
            printf("%-22s %-36s %-26s %s\n", cs.name, tags, schemes, cs.description);
        }
    }
    if (json) {
        json_t *out = json_pack("{s:o, s:o}", "provenance", nlif_provenance_json(), "cases", arr);
        json_dumpf(out, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(out);
    } else {
        json_decref(arr);
        printf("%d cases\n\n%-18s %s\n", n, "scheme", "capabilities; epsilon = 0 limit mode (check ap)");
        for (int s = 0; nlif_schemes[s]; s++) {
            char caps[256] = "";
            for (unsigned f = 1; f; f <<= 1)
                if ((nlif_schemes[s]->flags & f) && nlif_capability_name(f))
                    snprintf(caps + strlen(caps), sizeof caps - strlen(caps), "%s%s", caps[0] ? ", " : "",
                             nlif_capability_name(f));
            printf("%-18s %s; %s\n", nlif_schemes[s]->name, caps,
                   nlif_schemes[s]->limit_option ? nlif_schemes[s]->limit_option : "none declared");
        }
    }
    return bad ? NLIF_EXIT_USAGE : 0;
}
