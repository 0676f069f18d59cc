/*
 * cdn_popularity.c — the hit ratio of a CloudFront edge cache derived from how popular the
 * cached objects are, instead of a configured constant. Requests spread over n objects by a Zipf
 * law, p_i = i^−α / Σ_j j^−α (Breslau, Cao, Fan, Phillips, Shenker, "Web caching and Zipf-like
 * distributions", INFOCOM 1999), under the independent reference model (each request picks an
 * object independently of the past). Two cache policies:
 *   - LRU holding C objects, by Che's approximation (Che, Tung, Wang, "Hierarchical web caching
 *     systems: modeling, design and experimental results", IEEE JSAC 20(7), 2002): an object
 *     stays in the cache for a deterministic "characteristic time" T_C after its last request,
 *     fixed by Σ_i (1 − e^{−λ p_i T_C}) = C, so h_i = 1 − e^{−λ p_i T_C}. Fricker, Robert,
 *     Roberts ("A versatile and accurate approximation for LRU cache performance", ITC 24, 2012)
 *     show why it is accurate: T_C concentrates around its mean as C grows, and the error is
 *     already small for caches of a few tens of objects;
 *   - a TTL cache where a miss stores the object for T seconds (a hit does not extend it), with
 *     Poisson requests: per object a renewal cycle is one miss followed by a Poisson(λ p_i T)
 *     number of hits, so h_i = λ p_i T / (1 + λ p_i T) exactly (Fofack, Nain, Neglia, Towsley,
 *     "Analysis of TTL-based cache networks", VALUETOOLS 2012).
 * Both formulas are written in x = λ·T (the rate only ever appears multiplied by a time), and
 * the overall ratio is the request-weighted h = Σ_i p_i h_i.
 *
 * Numerics, for n up to 10^7: the popularities are computed once into an array (one pow per
 * object; if the array cannot be allocated they are recomputed on the fly, slower but the same
 * values), every sum of n terms is compensated (Neumaier), and 1 − e^{−y} is −expm1(−y), exact
 * to the last bits when y = p_i·x is tiny — the usual case for the long tail. Che's equation is
 * solved as g(x) = m, where g(x) = Σ_i e^{−p_i x} is the expected number of objects outside the
 * cache and m = n − C, by Newton's method on log g(x) = log m. g is a sum of decreasing
 * exponentials, so log g is decreasing and convex (log-sum-exp), and Newton's iterates on such a
 * function, started left of the root, stay left of it and increase monotonically to it (the
 * tangent lies below the curve): no overshoot, no bracketing needed in exact arithmetic. The start
 * x = C is left of the root because 1 − e^{−y} < y gives Σ_i (1 − e^{−p_i C}) < C. The step on
 * log g is never shorter than Newton's step on g itself (g·log(g/m) ≥ g − m) and is much longer
 * when nearly every object fits and g is the sum of a few tail terms; it takes ~3–30 O(n) passes.
 * g'(x) = −Σ_i p_i e^{−p_i x} (minus the miss ratio) comes from the same pass, and log(g/m) is
 * log1p(−f/m) with f = Σ_i (1 − e^{−p_i x}) − C from a compensated sum, accurate also when
 * g ≈ m (small caches). A bracket with bisection (doubling while no upper end is known) catches
 * what rounding breaks.
 *
 * Arguments that mean nothing (α negative, infinite or NaN; n = 0; a NaN capacity, rate or TTL)
 * give NAN so that a bad scenario value cannot pass for a plausible ratio.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "model/model.h"

/* Compensated sum (Neumaier's variant of Kahan's, which stays accurate when an addend is larger
 * than the running sum): n = 10^7 plain additions could lose ~n·ε ≈ 10^−9 of relative accuracy,
 * more than the root finder's 10^−12. */
typedef struct ksum {
    double s, c;
} ksum;

static inline void ksum_add(ksum *k, double v)
{
    double t = k->s + v;
    if (fabs(k->s) >= fabs(v))
        k->c += (k->s - t) + v;
    else
        k->c += (v - t) + k->s;
    k->s = t;
}

static inline double ksum_get(const ksum *k)
{
    return k->s + k->c;
}

/* The Zipf popularities p_0 .. p_{n−1} (object i + 1 has p = (i + 1)^−α / H). `p` is NULL when
 * the array could not be allocated: zipf_p then recomputes each value with pow. */
typedef struct zipf {
    double alpha, norm; /* norm: H = Σ_j j^−α */
    size_t n;
    double *p;
} zipf;

static inline double zipf_p(const zipf *z, size_t i)
{
    return z->p ? z->p[i] : pow((double)(i + 1), -z->alpha) / z->norm;
}

static void zipf_init(zipf *z, double alpha, size_t n)
{
    z->alpha = alpha;
    z->n = n;
    z->p = base_malloc(n * sizeof *z->p);
    /* Summed from the most popular down, compensated: the order does not matter then. */
    ksum h = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double w = pow((double)(i + 1), -alpha);
        if (z->p)
            z->p[i] = w;
        ksum_add(&h, w);
    }
    z->norm = ksum_get(&h);
    if (z->p)
        for (size_t i = 0; i < n; i++)
            z->p[i] /= z->norm;
}

static void zipf_free(zipf *z)
{
    free(z->p);
    z->p = NULL;
}

/* Che's function at x = λT: *f = Σ_i (1 − e^{−p_i x}) − C (expected objects in the cache, less
 * its capacity) and *df = f'(x) = Σ_i p_i e^{−p_i x} (which is also the miss ratio). */
static void che_eval(const zipf *z, double capacity, double x, double *f, double *df)
{
    ksum in = {0, 0}, d = {0, 0};
    for (size_t i = 0; i < z->n; i++) {
        double p = zipf_p(z, i);
        double e = expm1(-p * x); /* e^{−p x} − 1, in (−1, 0] */
        ksum_add(&in, -e);
        ksum_add(&d, p * (1 + e));
    }
    *f = ksum_get(&in) - capacity;
    *df = ksum_get(&d);
}

/* The root x* of Che's equation, to relative 1e−12 where rounding allows. Requires
 * 0 < capacity < n, so that f(C) < 0 and f(∞) = n − C > 0. */
static double che_root(const zipf *z, double capacity)
{
    double lo = capacity, hi = INFINITY; /* f(lo) <= 0 < f(hi) */
    double m = (double)z->n - capacity;
    double x = lo;
    /* 200 passes: never reached in practice (Newton needs ~3–30); bisection on a bracket of
     * ratio 2^k shrinks it to 1e−12 in ~40 + k. */
    for (int it = 0; it < 200; it++) {
        double f, df;
        che_eval(z, capacity, x, &f, &df);
        if (f == 0)
            return x;
        if (f < 0)
            lo = x;
        else
            hi = x;
        if (lo >= DBL_MAX / 2)
            return lo; /* only objects with p < 10^−306 are left out: h = 1 − n·10^−306 */
        /* The miss ratio df underflowed to 0: every object whose p did not underflow is in the
         * cache (p_i·x > 745), the hit ratio is 1 in double, and the "root" only exists because
         * more than n − C popularities rounded to 0 (α in the hundreds). */
        if (!(df > 0) && f < 0)
            return x;
        /* Newton on log g(x) = log m, with g(x) = Σ_i e^{−p_i x} = m − f(x) the expected number
         * of objects outside the cache and m = n − C (see the top of the file). */
        double next = f < m ? x + (m - f) * log1p(-f / m) / df : x - f / df;
        /* Newton's iterates stay left of the root, so one beyond DBL_MAX / 2 says the root is
         * too: evaluate there, and stop (above) if it is still left of the root. */
        if (next > DBL_MAX / 2)
            next = DBL_MAX / 2;
        /* Newton's step unless it leaves the bracket, which only rounding can cause. */
        if (!(next > lo && next < hi))
            next = isinf(hi) ? 2 * lo : lo + (hi - lo) / 2;
        double step = fabs(next - x);
        x = next;
        if (step <= 1e-12 * x || (hi - lo) <= 1e-12 * lo)
            return x;
    }
    return x;
}

/* NAN for arguments that describe no Zipf law. */
static bool zipf_valid(double alpha, size_t n)
{
    return n >= 1 && isfinite(alpha) && alpha >= 0;
}

double mdl_cdn_zipf_lru_hit_ratio(double alpha, size_t n, double capacity)
{
    if (!zipf_valid(alpha, n) || isnan(capacity))
        return NAN;
    if (capacity <= 0)
        return 0;
    if (capacity >= (double)n)
        return 1; /* every object fits: only cold misses, which vanish in steady state */
    if (alpha == 0)
        /* Uniform popularity: 1 − e^{−x/n} = C/n for every object, so h = C/n exactly (and
         * LRU itself gives C/n: each object is in the cache with probability C/n). */
        return capacity / (double)n;

    zipf z;
    zipf_init(&z, alpha, n);
    double x = che_root(&z, capacity);
    ksum h = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double p = zipf_p(&z, i);
        ksum_add(&h, -p * expm1(-p * x));
    }
    zipf_free(&z);
    double r = ksum_get(&h);
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

double mdl_cdn_zipf_ttl_hit_ratio(double alpha, size_t n, double rate_per_s, double ttl_s)
{
    if (!zipf_valid(alpha, n) || isnan(rate_per_s) || isnan(ttl_s))
        return NAN;
    if (rate_per_s <= 0 || ttl_s <= 0)
        return 0;
    double x = rate_per_s * ttl_s;
    if (isinf(x))
        return 1; /* an object, once fetched, never expires */
    if (alpha == 0) {
        double y = x / (double)n;
        return y / (1 + y);
    }

    zipf z;
    zipf_init(&z, alpha, n);
    ksum h = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double p = zipf_p(&z, i);
        double y = p * x; /* expected requests to object i in one TTL; finite as p <= 1 */
        ksum_add(&h, p * (y / (1 + y)));
    }
    zipf_free(&z);
    double r = ksum_get(&h);
    return r < 0 ? 0 : r > 1 ? 1 : r;
}
