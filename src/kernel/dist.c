/*
 * dist.c — positive random durations given as users think of them (mean and p99, mean and
 * coefficient of variation), turned into the parameters GSL's samplers take.
 *
 * Lognormal from mean m and 99th percentile q (reference/queueing.md, "Lognormal from mean and
 * p99"): with z = Φ⁻¹(0.99) = 2.3263, σ = z − √(z² − 2·ln(q/m)) and μ = ln m − σ²/2. A solution
 * needs q > m and ln(q/m) ≤ z²/2 (q/m ≤ e^2.706 ≈ 14.97); the smaller root is taken, the one
 * whose median lies below the mean as in every right-skewed latency distribution.
 * Gamma from mean m and coefficient of variation cv: shape k = 1/cv², scale θ = m·cv².
 */
#include "kernel/sim.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

static const char *const kind_names[] = {
    [SIM_DIST_DETERMINISTIC] = "deterministic",
    [SIM_DIST_EXPONENTIAL] = "exponential",
    [SIM_DIST_LOGNORMAL] = "lognormal",
    [SIM_DIST_GAMMA] = "gamma",
    [SIM_DIST_UNIFORM] = "uniform",
    [SIM_DIST_TRIANGULAR] = "triangular",
};

const char *sim_dist_kind_name(sim_dist_kind k)
{
    if ((unsigned)k < sizeof kind_names / sizeof kind_names[0])
        return kind_names[k];
    return "?";
}

int sim_dist_kind_parse(const char *name)
{
    for (unsigned i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

int sim_dist_make(sim_dist *d, const sim_dist_spec *s, base_err *err)
{
    memset(d, 0, sizeof *d);
    d->kind = s->kind;
    switch (s->kind) {
    case SIM_DIST_DETERMINISTIC:
    case SIM_DIST_EXPONENTIAL:
        if (!(s->mean >= 0))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "mean must not be negative");
        d->mean = s->mean;
        return BASE_OK;
    case SIM_DIST_LOGNORMAL: {
        if (!(s->mean > 0))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "lognormal needs a mean above 0");
        if (!(s->p99 > s->mean))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "lognormal needs p99 above its mean (p99 %.6g s, mean %.6g s)",
                                s->p99, s->mean);
        double z = gsl_cdf_ugaussian_Pinv(0.99);
        double r = log(s->p99 / s->mean);
        if (r > z * z / 2)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "no lognormal has p99/mean = %.4g (at most %.4g)", s->p99 / s->mean,
                                exp(z * z / 2));
        double sigma = z - sqrt(z * z - 2 * r);
        d->mean = s->mean;
        d->b = sigma;
        d->a = log(s->mean) - sigma * sigma / 2;
        return BASE_OK;
    }
    case SIM_DIST_GAMMA:
        if (!(s->mean > 0) || !(s->cv > 0))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "gamma needs a mean and a cv above 0");
        d->mean = s->mean;
        d->a = 1.0 / (s->cv * s->cv);
        d->b = s->mean * s->cv * s->cv;
        return BASE_OK;
    case SIM_DIST_UNIFORM:
        if (!(s->min >= 0) || !(s->max >= s->min))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "uniform needs 0 <= min <= max");
        d->a = s->min;
        d->b = s->max;
        d->mean = (s->min + s->max) / 2;
        return BASE_OK;
    case SIM_DIST_TRIANGULAR:
        if (!(s->min >= 0) || !(s->mode >= s->min) || !(s->max >= s->mode) || !(s->max > s->min))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "triangular needs 0 <= min <= mode <= max and min < max");
        d->a = s->min;
        d->b = s->max;
        d->c = s->mode;
        d->mean = (s->min + s->mode + s->max) / 3;
        return BASE_OK;
    }
    return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "unknown distribution");
}

sim_time sim_dist_sample(const sim_dist *d, sim_rng *r)
{
    gsl_rng *g = sim_rng_gsl(r);
    double x;
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC: x = d->mean; break;
    case SIM_DIST_EXPONENTIAL: x = sim_rng_exponential(r, d->mean); break;
    case SIM_DIST_LOGNORMAL:
        /* exp(μ + σZ) with Z from GSL's ziggurat normal (Marsaglia and Tsang 2000), which is
         * several times cheaper than gsl_ran_lognormal's polar method */
        x = exp(d->a + d->b * gsl_ran_gaussian_ziggurat(g, 1.0));
        break;
    case SIM_DIST_GAMMA: x = gsl_ran_gamma(g, d->a, d->b); break;
    case SIM_DIST_UNIFORM: x = d->a + (d->b - d->a) * gsl_rng_uniform(g); break;
    case SIM_DIST_TRIANGULAR: {
        /* inverse CDF of the triangular distribution */
        double u = gsl_rng_uniform(g), lo = d->a, hi = d->b, mo = d->c;
        double f = (mo - lo) / (hi - lo);
        x = u < f ? lo + sqrt(u * (hi - lo) * (mo - lo))
                  : hi - sqrt((1 - u) * (hi - lo) * (hi - mo));
        break;
    }
    default: x = d->mean; break;
    }
    return sim_from_sec(x);
}

double sim_dist_mean(const sim_dist *d)
{
    return d->mean;
}

double sim_dist_scv(const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC: return 0;
    case SIM_DIST_EXPONENTIAL: return 1;
    case SIM_DIST_LOGNORMAL: return expm1(d->b * d->b);
    case SIM_DIST_GAMMA: return 1.0 / d->a;
    case SIM_DIST_UNIFORM: {
        double m = d->mean, w = d->b - d->a;
        return m > 0 ? (w * w / 12) / (m * m) : 0;
    }
    case SIM_DIST_TRIANGULAR: {
        double lo = d->a, hi = d->b, mo = d->c, m = d->mean;
        double var = (lo * lo + hi * hi + mo * mo - lo * hi - lo * mo - hi * mo) / 18;
        return m > 0 ? var / (m * m) : 0;
    }
    }
    return 0;
}
