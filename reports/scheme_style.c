/* scheme_style.c — the one table of how each scheme looks and where it stands: its colour, dash type
 * and point type in every figure, and its rank (the column order of every table and the order of the
 * curves: the schemes, then Monte Carlo, then cvode and explicit, in the order verify registers
 * them). Every figure takes a scheme's look from here, so a scheme looks the same everywhere.
 */
#include "report_internal.h"

#include <string.h>

/* The Okabe–Ito palette (distinguishable with every common colour-vision deficiency), a dash and
 * an open marker of each scheme's own, none shared: spap blue solid squares, multiscale bluish green
 * dashed circles, dilated vermillion dash-dotted triangles, Monte Carlo reddish purple pentagons,
 * cvode sky blue long-dashed inverted triangles, explicit orange dotted diamonds. Black is kept for
 * the reference lines (exact rate, bound, standard error), the grid is light grey solid (RP_GRID). */
static const rp_scheme_style TABLE[] = {
    {"spap", "#0072B2", 4, "1", 0},          {"multiscale", "#009E73", 6, "(8,4)", 1},
    {"dilated", "#D55E00", 8, "(10,3,2,3)", 2}, {"mc", "#CC79A7", 14, "(4,2,4,6)", 3},
    {"cvode", "#56B4E9", 10, "(14,5)", 4},  {"explicit", "#E69F00", 12, "(2,3)", 5},
};

/* A scheme the table does not know (a plugin, an external solver): a colour from its name (the
 * palette's remaining ones and greys), a dash of its own among four, open square, after every known
 * scheme in the order the record names them. */
static const char *const OTHER_COLOURS[] = {"#000000", "#F0E442", "#7F7F7F", "#8C6D31", "#5B3A8C"};
static const char *const OTHER_DASHES[] = {"(6,2,2,2,2,2)", "(3,3)", "(12,3,3,3)", "(1,2)"};

rp_scheme_style rp_style_of(const char *scheme)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
        if (!strcmp(TABLE[i].name, scheme))
            return TABLE[i];
    unsigned h = 0;
    for (const char *s = scheme; *s; s++)
        h = h * 31 + (unsigned char)*s;
    rp_scheme_style o = {scheme, OTHER_COLOURS[h % 5], 4, OTHER_DASHES[(h / 5) % 4], RP_RANK_OTHER};
    return o;
}
