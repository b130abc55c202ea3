/* case_keys.h — the key table of case files and its value conversions (harness/case/case_keys.c), shared
 * with the parser (harness/case/case.c). Internal to the harness: the public interface is nlif_case.h. */
#ifndef NLIF_CASE_KEYS_H
#define NLIF_CASE_KEYS_H

#include "nlif_case.h"
#include "nlif_limits.h"

#include <stddef.h>
#include <stdio.h>

#define VALUE_MAX (NLIF_MAX_VALUE_CHARS + 1) /* harness/case/nlif_limits.h */

typedef enum { K_DOUBLE, K_INT, K_LONG, K_U64, K_BOOL, K_ENUM, K_TEXT, K_TAGS, K_BLOCKS, K_POINTS, K_TIMES, K_CHECKS, K_CAPS } kind;

enum { OPTIONAL = 0, REQUIRED = 1, REQUIRED_WHEN = 2 };

typedef struct key_spec {
    const char *section, *name;
    kind k;
    size_t off;           /* offset of the field in nlif_case */
    const char *def;      /* default (NULL: none) */
    double min, max;      /* numeric range */
    int excl_min;         /* 1: min is excluded */
    const char *choices;  /* K_ENUM: "a|b|c" (index stored as int) */
    int required;
    const char *when;     /* "type=gaussian|table": the key applies only then (same section) */
    const char *doc;
} key_spec;

/* Every key (NULL-section terminated); the sections are nlif_case_sections (nlif_case.h). */
extern const key_spec nlif_case_keys[];

int case_section_index(const char *s);
const key_spec *case_find_key(const char *section, const char *name);
/* Convert and check V for key K into the case (LOC starts every message). */
int case_set_value(nlif_case *cs, const key_spec *k, const char *v, const char *loc, nlif_error *err);
/* Does the key's `when` condition hold ("type=a|b": the value of SECTION.type is a or b)? */
int case_condition_holds(const nlif_case *cs, const key_spec *k);
/* The rules of a refractory period (case_refractory.c): 0, or 1 with *KEY the keys at fault
 * ("section.key ...", the first given is blamed) and WHY what is allowed. */
int nlif_case_refractory_rules(const nlif_case *cs, const char **key, char *why, size_t len);
/* The rules of two populations (case_populations.c), as nlif_case_refractory_rules. */
int nlif_case_population_rules(const nlif_case *cs, const char **key, char *why, size_t len);
/* populations = 2, or 1 with every field of population I 0 (MATHEMATICS.md 1.6). */
void nlif_case_set_populations(nlif_case *cs, int populations);
/* A rule of the case refused: *key = keys (the keys at fault, for the FILE:LINE of the refusal), the
 * reason into why; returns 1 (the rules of case_refractory.c and case_populations.c). */
int case_refuse(const char **key, const char *keys, char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The key's value in the case as text (as a case file writes it). */
void case_value_text(const nlif_case *cs, const key_spec *k, char *buf, size_t len);

#endif
