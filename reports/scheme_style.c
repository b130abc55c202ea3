/* scheme_style.c — the one table of how each scheme looks and where it stands: its colour, dash type
 * and point type in every figure, and its rank (the column order of every table and the order of the
 * curves). Before this table the colours, the dashes and the order lived in three lists that did not
 * agree on which schemes they knew; the dashes and colours are those the figures drew, the ranks those
 * of the tables (the schemes, then Monte Carlo, then cvode and explicit, in the order verify
 * registers them), the point types those the work–precision diagram gave the schemes in that order.
 */
#include "report_internal.h"

#include <string.h>

/* Dash types: coinciding curves (dilated and multiscale between MFEs) both stay visible, dilated
 * solid (the captions say "solid dilated, dashed multiscale"). Point types: open square, circle,
 * triangles, diamond, pentagon (gnuplot's 4 to 14). */
static const rp_scheme_style TABLE[] = {
    {"spap", "#1f77b4", 4, 3, 0},     {"multiscale", "#2ca02c", 6, 2, 1}, {"dilated", "#d62728", 8, 1, 2},
    {"mc", "#555555", 14, 1, 3},      {"cvode", "#9467bd", 10, 4, 4},     {"explicit", "#ff7f0e", 12, 5, 5},
};

/* A scheme the table does not know (a plugin, an external solver): a colour from its name, solid,
 * open square, after every known scheme in the order the record names them. */
static const char *const OTHER_COLOURS[] = {"#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

rp_scheme_style rp_style_of(const char *scheme)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
        if (!strcmp(TABLE[i].name, scheme))
            return TABLE[i];
    unsigned h = 0;
    for (const char *s = scheme; *s; s++)
        h = h * 31 + (unsigned char)*s;
    rp_scheme_style o = {scheme, OTHER_COLOURS[h % 5], 4, 1, RP_RANK_OTHER};
    return o;
}
