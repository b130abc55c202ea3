/* cli_util.c — argument parsing helpers shared by the subcommands. */
#include "nlif_cli.h"
#include "../harness/case/nlif_case.h"
#include "../harness/host/nlif_extra.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void nlif_cli_flags_begin(nlif_cli_flags *p, int argc, char **argv, const struct option *table, int eq)
{
    *p = (nlif_cli_flags){argc, argv, table, eq, NULL, NULL, NULL};
    optind = 0; /* glibc starts afresh (and reads the optstring again): a command may parse after another */
    opterr = 0;
}

/* The table's entry whose whole name ARG spells ("--name" or "--name=..."), or NULL: getopt_long also
 * takes unambiguous abbreviations, which the commands never accepted. */
static const struct option *flag_named(const struct option *t, const char *arg, int *has_eq)
{
    if (arg[0] != '-' || arg[1] != '-')
        return NULL;
    size_t n = strcspn(arg + 2, "=");
    *has_eq = arg[2 + n] == '=';
    for (; t->name; t++)
        if (strlen(t->name) == n && !strncmp(t->name, arg + 2, n))
            return t;
    return NULL;
}

int nlif_cli_flags_next(nlif_cli_flags *p)
{
    int before = optind ? optind : 1; /* the argument getopt is about to read: in order, none permuted */
    p->flag = p->value = NULL;
    /* "-": positional arguments returned in place; ":": a missing value reported as such, not as '?' */
    char optstring[32];
    snprintf(optstring, sizeof optstring, "-:h%s", p->shorts ? p->shorts : "");
    int c = getopt_long(p->argc, p->argv, optstring, p->table, NULL);
    if (c == -1) {
        if (before < p->argc) { /* "--", which ends getopt's flags: the commands refused it */
            p->flag = p->argv[before];
            return NLIF_CLI_UNKNOWN;
        }
        return -1;
    }
    p->flag = p->argv[before];
    if (c == NLIF_CLI_POSITIONAL) {
        p->value = optarg;
        return c;
    }
    if (c == '?')
        return NLIF_CLI_UNKNOWN;
    if (c == ':') /* the value is missing: the flag refuses with its own words */
        c = optopt;
    else
        p->value = optarg;
    if (c == NLIF_CLI_HELP && !strcmp(p->flag, "-h"))
        return c;
    if (p->flag[0] == '-' && p->flag[1] == c && !p->flag[2] && p->shorts && strchr(p->shorts, c))
        return c; /* a one-letter flag, its value the next argument */
    int has_eq = 0;
    const struct option *o = flag_named(p->table, p->flag, &has_eq);
    if (!o || o->val != c || (has_eq && !(p->eq && o->has_arg != no_argument)))
        return NLIF_CLI_UNKNOWN; /* an abbreviation, -hx, or --flag=value where not accepted */
    return c;
}

int nlif_cli_is_help(const char *arg) { return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0; }

int nlif_cli_double(const char *cmd, const char *opt, const char *text, double *out)
{
    char *end;
    errno = 0;
    double x = text ? strtod(text, &end) : 0;
    if (!text || end == text || *end || errno == ERANGE || !isfinite(x)) {
        fprintf(stderr, "nlif %s: %s needs a finite number (got '%s')\n", cmd, opt, text ? text : "nothing");
        return NLIF_EXIT_USAGE;
    }
    *out = x;
    return 0;
}

int nlif_cli_long(const char *cmd, const char *opt, const char *text, long *out)
{
    char *end;
    errno = 0;
    long x = text ? strtol(text, &end, 10) : 0;
    if (!text || end == text || *end || errno == ERANGE) {
        /* Allow 1e5-style integers, common for particle counts. */
        double y;
        if (text && nlif_cli_double(cmd, opt, text, &y) == 0 && y == floor(y) && fabs(y) < 9e15) {
            *out = (long)y;
            return 0;
        }
        fprintf(stderr, "nlif %s: %s needs an integer (got '%s')\n", cmd, opt, text ? text : "nothing");
        return NLIF_EXIT_USAGE;
    }
    *out = x;
    return 0;
}

int nlif_cli_u64(const char *cmd, const char *opt, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = text ? strtoull(text, &end, 10) : 0;
    if (!text || end == text || *end || errno == ERANGE || text[0] == '-') {
        fprintf(stderr, "nlif %s: %s needs a non-negative integer (got '%s')\n", cmd, opt, text ? text : "nothing");
        return NLIF_EXIT_USAGE;
    }
    *out = (uint64_t)x;
    return 0;
}

int nlif_cli_report(const char *cmd, const nlif_error *err)
{
    fprintf(stderr, "nlif %s: %s\n", cmd, err->msg[0] ? err->msg : nlif_code_name(err->code));
    return nlif_exit_code(err->code);
}

const nlif_scheme_type *nlif_cli_scheme(const char *cmd, const char *name)
{
    const nlif_scheme_type *st = nlif_scheme_find(name);
    if (!st) {
        fprintf(stderr, "nlif %s: unknown scheme '%s' (allowed:", cmd, name);
        for (int i = 0; nlif_schemes[i]; i++)
            fprintf(stderr, " %s", nlif_schemes[i]->name);
        fprintf(stderr, ")\n");
    }
    return st;
}

int nlif_cli_scheme_options(const char *cmd, const nlif_scheme_type *st, const nlif_case *cs,
                            const char *const *opts, int n_opts, nlif_optset *o)
{
    nlif_error err = {0};
    if (nlif_optset_init(o, st->options, &err) || nlif_case_apply_options(cs, st->name, o, &err))
        return nlif_cli_report(cmd, &err);
    const char *const *assign;
    int n_assign;
    const nlif_scheme_type *base = nlif_variant_base(st, &assign, &n_assign);
    if (base) { /* a variant: the case's options for its base, then the assignments that define it */
        if (nlif_case_apply_options(cs, base->name, o, &err))
            return nlif_cli_report(cmd, &err);
        for (int i = 0; i < n_assign; i++)
            if (nlif_optset_assign(o, assign[i], &err))
                return nlif_cli_report(cmd, &err);
    }
    for (int i = 0; i < n_opts; i++)
        if (nlif_optset_assign(o, opts[i], &err)) {
            nlif_error_prefix(&err, "--opt %s (scheme %s)", opts[i], st->name);
            return nlif_cli_report(cmd, &err);
        }
    return 0;
}
