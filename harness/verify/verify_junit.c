/* verify_junit.c — JUnit XML of a verdict record (`nlif verify --junit`, `nlif judge --junit`): what
 * CI systems read. One <testcase> per cell, classname CASE.SCHEME and name CHECK, with its time (the
 * record's "cell_seconds" of the cell: the wall time spent judging it; the status cell adds the run's CPU seconds, the
 * run being what it tests). A FAIL is a <failure> whose message says, in this order, the check, the
 * measured figure, the bound, how far beyond it the figure is (a multiple of the bound and a relative
 * excess, when the bound text states a number the figure is beyond) and the reason (type known_failure, and the message
 * says so, for a failure listed in ci/known_failures: it stays visible, as in the table, and the exit
 * code decides the build); an n.a. is <skipped> with its reason. The counts are the table's. Also the
 * one parser of a bound text (nlif_bound_parse), which `nlif compare` uses too. */
#include "nlif_verify.h"

#include "../judge/verify_data.h"
#include "../../io/nlif_verdicts.h"

#include <errno.h>
#include <stdlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Text for XML content and attribute values: & < > " ' escaped; tab, newline and carriage return as
 * character references (an attribute keeps them); other control characters, which XML 1.0 does not
 * allow at all, and bytes that are not UTF-8 (a file name can hold any) become '?'. */
void nlif_xml_text(FILE *f, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        int n = nlif_utf8_len(s);
        if (n > 1) {
            fwrite(s, 1, (size_t)n, f);
            s += n;
            continue;
        }
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\t': fputs("&#9;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        default: fputc(n == 1 && *s >= 0x20 && *s != 0x7F ? *s : '?', f);
        }
        s++;
    }
}

int nlif_bound_parse(const char *text, double *value)
{
    /* the first comparison sign followed by a number: "|N - 0.12| <= 0.0024 (the case)" is 0.0024 */
    for (const char *s = text ? text : ""; *s; s++) {
        if (*s != '<' && *s != '>')
            continue;
        int dir = *s == '<' ? 1 : -1;
        const char *q = s + 1 + (s[1] == '=');
        char *end;
        double b = strtod(q, &end);
        if (end != q && isfinite(b)) {
            *value = b;
            return dir;
        }
    }
    return 0;
}

/* The failure message: check, measured, bound, how far beyond the bound, reason. */
static void failure_message(const json_t *c, char *msg, size_t len)
{
    double m = nlif_vd_num(c, "measured"), b;
    const char *bound = str(c, "bound"), *reason = str(c, "reason");
    char mtext[64] = "none", beyond[160] = "";
    if (isfinite(m))
        snprintf(mtext, sizeof mtext, "%.6g", m);
    int dir = nlif_bound_parse(bound, &b);
    /* only when the figure is beyond the bound it parses to: a bound of several parts ("... >= 0.95 of
     * bins ..., and L1 <= the spread") may have failed on another part */
    if (dir && isfinite(m) && b != 0 && (dir > 0 ? m > b : m < b))
        snprintf(beyond, sizeof beyond, " (%.4g x the bound, %+.3g%% relative to it)", m / b, 100 * (m - b) / fabs(b));
    int known = json_is_true(json_object_get(c, "known_failure"));
    snprintf(msg, len, "%s%s: measured %s, bound %s%s: %s",
             known ? "known failure (ci/known_failures; does not fail the run): " : "", str(c, "check"), mtext,
             bound[0] ? bound : "none", beyond, reason);
}

int nlif_verify_junit(const char *path, const char *suite, const char *mode, const json_t *cells, const json_t *seconds,
                      double wall, nlif_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return nlif_fail(err, NLIF_EIO, "cannot write %s: %s", tmp, strerror(errno));
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    size_t i, n = json_array_size(cells);
    const json_t *c;
    int fails = 0, skipped = 0;
    json_array_foreach(cells, i, c)
    {
        fails += !strcmp(str(c, "verdict"), "FAIL");
        skipped += !strcmp(str(c, "verdict"), "n.a.");
    }
    fprintf(f, "<testsuites name=\"");
    nlif_xml_text(f, suite);
    fprintf(f, "\" tests=\"%zu\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">\n", n, fails, skipped, wall);
    fprintf(f, "  <testsuite name=\"");
    nlif_xml_text(f, suite);
    fprintf(f, " (%s)\" tests=\"%zu\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">\n", mode, n, fails, skipped,
            wall);
    json_array_foreach(cells, i, c)
    {
        const char *verdict = str(c, "verdict"), *reason = str(c, "reason");
        char cls[300];
        snprintf(cls, sizeof cls, "%s.%s", str(c, "case"), str(c, "scheme"));
        fputs("    <testcase classname=\"", f);
        nlif_xml_text(f, cls);
        fputs("\" name=\"", f);
        nlif_xml_text(f, str(c, "check"));
        const json_t *sj = json_array_get(seconds, i);
        double secs = json_is_number(sj) ? json_number_value(sj) : 0;
        fprintf(f, "\" time=\"%.6f\"", isfinite(secs) && secs > 0 ? secs : 0.0);
        if (!strcmp(verdict, "pass")) {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n", f);
        if (!strcmp(verdict, "FAIL")) {
            char msg[2400];
            int known = json_is_true(json_object_get(c, "known_failure"));
            failure_message(c, msg, sizeof msg);
            fprintf(f, "      <failure type=\"%s\" message=\"", known ? "known_failure" : "FAIL");
            nlif_xml_text(f, msg);
            fputs("\">", f);
            nlif_xml_text(f, str(c, "source"));
            fputs("</failure>\n", f);
        } else {
            fputs("      <skipped message=\"", f);
            nlif_xml_text(f, reason);
            fputs("\"/>\n", f);
        }
        fputs("    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return nlif_fail(err, NLIF_EIO, "cannot write %s", path);
    }
    return NLIF_OK;
}
