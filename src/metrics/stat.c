/*
 * stat.c — confidence intervals across replications (Law, Simulation Modeling and Analysis,
 * 5th ed., 2015, ch. 9): the replications are independent, so the t interval on their means is
 * valid whatever the within-run correlation.
 */
#include "metrics/metrics.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

stat_ci stat_mean_ci(const double *x, int n, double level)
{
    stat_ci r = {0, NAN, NAN, n};
    if (n < 1)
        return r;
    /* two-pass mean and variance: exact enough and order-deterministic */
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    r.mean = s / n;
    if (n < 2)
        return r;
    double ss = 0;
    for (int i = 0; i < n; i++)
        ss += (x[i] - r.mean) * (x[i] - r.mean);
    r.sd = sqrt(ss / (n - 1));
    double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(n - 1));
    r.half = t * r.sd / sqrt((double)n);
    return r;
}
