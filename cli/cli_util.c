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
