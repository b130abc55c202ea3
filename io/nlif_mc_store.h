/* nlif_mc_store.h — the one lookup of stored Monte Carlo data (`nlif mc` output, reference/data/CASE/):
 * where a case's data folder is, reading it through the one reader (nlif_resultfmt.h), and refusing
 * it, with the reason, when it was made for another case. Used by the checks (harness/judge/
 * verify_data.c) and by the report (reports/report_load.c), so that neither judges nor draws against
 * data the case does not describe.
 */
#ifndef NLIF_MC_STORE_H
#define NLIF_MC_STORE_H

#include "../core/nlif_model.h"
#include "nlif_resultfmt.h"

#include <jansson.h>
#include <stddef.h>

/* The folder holding NAME.json among the folders roots[0..n), searched in order. In each ROOT, with
 * where = NLIF_MC_STORE_CASE_FOLDER, ROOT/NAME/NAME.json alone: the stored reference of the catalogue
 * (reference/data/CASE/), all the checks judge against; with NLIF_MC_STORE_ANYWHERE (the report, which
 * also draws `nlif mc --out DIR` folders and study variants): ROOT/NAME.json, ROOT/NAME/NAME.json, then
 * one level of variants ROOT/NAME/VARIANT/NAME.json (the first VARIANT in name order, e.g.
 * reference/data/CASE/dt_1e-3/). Returns 1 with the folder in dir; 0 when none holds it, with dir =
 * roots[0]/NAME (the first place a case's data belongs), so that reading it names the file that is
 * missing. */
enum { NLIF_MC_STORE_CASE_FOLDER = 0, NLIF_MC_STORE_ANYWHERE = 1 };
int nlif_mc_store_find(const char *const *roots, int n, const char *name, int where, char *dir, size_t len);

/* Whether the stored Monte Carlo summary is the Monte Carlo of the case whose definition is def (as
 * nlif_case_json writes it: the run summaries' "case_spec"): the same [model], [initial] and [input],
 * the horizon run.t_final, and the resolution the case states (run.particles, run.realisations,
 * run.mc_dt). 1 if so; 0 with what differs in why (and how to regenerate it, for case NAME). */
int nlif_mc_store_matches(const json_t *def, const json_t *summary, const char *name, char *why, size_t len);

/* DIR/NAME.json and DIR/NAME_rate.csv read through the one reader (RESULTS.md) and checked against the
 * case definition def (nlif_mc_store_matches): NLIF_MC_STORE_OK with the summary in *summary
 * (json_decref) and the rate table in *rate (nlif_rf_table_free); else *summary = NULL and why says
 * why: NLIF_MC_STORE_UNREADABLE with the reader's FILE:LINE message (missing or malformed), or
 * NLIF_MC_STORE_NOT_THE_CASE with "DIR/NAME.json: made for another …" (the data are not the case's). */
enum { NLIF_MC_STORE_OK = 0, NLIF_MC_STORE_UNREADABLE = 1, NLIF_MC_STORE_NOT_THE_CASE = 2 };
int nlif_mc_store_read_def(const json_t *def, const char *dir, const char *name, json_t **summary, nlif_rf_table *rate,
                           char *why, size_t len);
/* The same for a case: its definition is nlif_case_json(cs), its name cs->name. */
int nlif_mc_store_read(const nlif_case *cs, const char *dir, json_t **summary, nlif_rf_table *rate, char *why,
                       size_t len);

#endif
