/* reference_cli.h — what the `nlif reference` subcommands share (cli/cmd_reference.c,
 * cli/cmd_reference_catalogue.c): number formatting and JSON pieces of the exact references. */
#ifndef NLIF_REFERENCE_CLI_H
#define NLIF_REFERENCE_CLI_H

#include "../core/nlif_model.h"

#include <jansson.h>
#include <stddef.h>

/* A rate with 6 decimals and at least 6 significant digits (0.134775, 2.289126, 0.0123456). */
const char *nlif_ref_fmt_rate(double x, char *buf, size_t len);
/* Print a JSON document on stdout and release it. */
void nlif_ref_dump_json(json_t *j);
json_t *nlif_ref_rates_json(const double *r, int n);
json_t *nlif_ref_model_json(const nlif_model *m, double input);
void nlif_ref_print_model(const nlif_model *m, double input);
/* Value of a table density just below x (its left limit; 0 beyond the table). */
double nlif_ref_left_value(const double *v, const double *p, int n, double x);
/* nlif reference catalogue (cli/cmd_reference_catalogue.c). */
int nlif_cmd_reference_catalogue(int argc, char **argv);
/* nlif reference delay (cli/cmd_reference_delay.c). */
int nlif_cmd_reference_delay(int argc, char **argv);

#endif
