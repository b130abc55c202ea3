/* nlif_error.h — the one error type of nlif.
 *
 * Every function that can fail takes an nlif_error* (which may be NULL) and returns an int code
 * (NLIF_OK on success). Library code never aborts: GSL's abort-on-error handler is switched off by
 * nlif_error_init_gsl(), and GSL status codes are turned into nlif_error values where they arise.
 * The codes map onto the exit codes of bin/nlif (see nlif_exit_code).
 */
#ifndef NLIF_ERROR_H
#define NLIF_ERROR_H

#include <stdarg.h>

enum nlif_code {
    NLIF_OK = 0,
    NLIF_EINVAL = 1,   /* bad input: case file, option, argument            -> exit 2 */
    NLIF_ENUMERIC = 2, /* numerical failure: NaN, no convergence, breakdown -> exit 3 */
    NLIF_EIO = 3,      /* a file could not be read or written                -> exit 2 */
    NLIF_ENOMEM = 4,   /* allocation failed                                  -> exit 3 */
    NLIF_EVERIFY = 5   /* a verification check failed                        -> exit 1 */
};

enum nlif_exit {
    NLIF_EXIT_OK = 0,
    NLIF_EXIT_VERIFY = 1,
    NLIF_EXIT_USAGE = 2,
    NLIF_EXIT_NUMERIC = 3
};

typedef struct nlif_error {
    int code;
    char msg[1024];
} nlif_error;

/* Record an error (printf-style message) and return its code. err may be NULL. */
int nlif_fail(nlif_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int nlif_vfail(nlif_error *err, int code, const char *fmt, va_list ap);
void nlif_error_clear(nlif_error *err);
/* Prefix an existing message with context ("while X: <old message>"). */
void nlif_error_prefix(nlif_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *nlif_code_name(int code);
int nlif_exit_code(int code);
/* Install a GSL error handler that does not abort (idempotent, thread-safe to call repeatedly). */
void nlif_error_init_gsl(void);

#endif
