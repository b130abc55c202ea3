/* nlif_fit.c — the least-squares slope of the points added to a nlif_fit (nlif_fit.h). */
#include "nlif_fit.h"

#include <math.h>

double nlif_fit_slope(const nlif_fit *f)
{
    if (f->m < 2)
        return NAN;
    double var = f->sxx - f->sx * f->sx / f->m;
    if (!(var > 0))
        return NAN;
    return (f->sxy - f->sx * f->sy / f->m) / var;
}
