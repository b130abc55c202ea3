/* nlif_error.c — error recording; see nlif_error.h. */
#include "nlif_error.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

int nlif_vfail(nlif_error *err, int code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

int nlif_fail(nlif_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nlif_vfail(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void nlif_error_clear(nlif_error *err)
{
    if (err) {
        err->code = NLIF_OK;
        err->msg[0] = '\0';
    }
}

void nlif_error_prefix(nlif_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char head[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", head, old);
}

const char *nlif_code_name(int code)
{
    switch (code) {
    case NLIF_OK: return "ok";
    case NLIF_EINVAL: return "invalid input";
    case NLIF_ENUMERIC: return "numerical failure";
    case NLIF_EIO: return "i/o error";
    case NLIF_ENOMEM: return "out of memory";
    case NLIF_EVERIFY: return "verification failed";
    default: return "unknown error";
    }
}

int nlif_exit_code(int code)
{
    switch (code) {
    case NLIF_OK: return NLIF_EXIT_OK;
    case NLIF_EVERIFY: return NLIF_EXIT_VERIFY;
    case NLIF_EINVAL:
    case NLIF_EIO: return NLIF_EXIT_USAGE;
    default: return NLIF_EXIT_NUMERIC;
    }
}

/* GSL reports through status codes which the callers check; the handler must only not abort. */
static void quiet_gsl_handler(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
}

void nlif_error_init_gsl(void)
{
    gsl_set_error_handler(quiet_gsl_handler);
}
