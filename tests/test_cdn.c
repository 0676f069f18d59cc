/*
 * test_cdn.c — the popularity-derived CloudFront hit ratios (src/model/cdn_popularity.c) against
 * brute force: an actual LRU cache and an actual TTL cache, fed Zipf-distributed requests drawn
 * from GSL's MT19937 with fixed seeds, and against independent long-double evaluations of the
 * same formulas.
 *
 * Each simulated estimate is the mean hit indicator over the measured requests, after a warm-up
 * that fills the cache; its standard error comes from batch means (40 batches; Law, *Simulation
 * Modeling and Analysis*, 5th ed., 2015, ch. 9.5), which accounts for the correlation between
 * successive requests' outcomes (a miss changes the next requests' chances). Tolerances:
 *   - TTL cache: the formula is exact for Poisson requests (Fofack et al., VALUETOOLS 2012), so
 *     |formula − simulation| <= 3 standard errors;
 *   - LRU cache: Che's approximation is not exact, so the tolerance is 3 standard errors plus the
 *     approximation's own error for that case, measured once by long runs (10^8 requests, seed 7,
 *     standard error 2–6·10^−5; numbers beside each case below). Fricker, Robert, Roberts (ITC
 *     2012) explain why that error is small: the characteristic time concentrates as the cache
 *     grows. At C = 100 it was not resolved from noise (|error| < 1.5·10^−4); at C = 10 it is
 *     visible, 0.07–0.9 thousandths, Che's value being the lower.
 * The simulators themselves are checked first against King's exact LRU formula on a small case.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "model/model.h"

/* ---------------------------------------------------------------- Zipf requests */

/* Popularity of object i (0-based) in long double, independent of the code under test. */
static long double *zipf_pop(double alpha, size_t n)
{
    long double *p = malloc(n * sizeof *p);
    cr_assert_not_null(p);
    long double h = 0;
    for (size_t i = n; i-- > 0;) /* least popular first: small terms summed before large */
        h += powl((long double)(i + 1), -(long double)alpha);
    for (size_t i = 0; i < n; i++)
        p[i] = powl((long double)(i + 1), -(long double)alpha) / h;
    return p;
}

/* The cumulative popularity, for drawing by inverse CDF; the last entry is exactly 1. */
static double *zipf_cdf(double alpha, size_t n)
{
    long double *p = zipf_pop(alpha, n);
    double *c = malloc(n * sizeof *c);
    cr_assert_not_null(c);
    long double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += p[i];
        c[i] = (double)s;
    }
    c[n - 1] = 1;
    free(p);
    return c;
}

/* The first object whose cumulative popularity exceeds a uniform draw in [0, 1). */
static size_t zipf_draw(const double *cdf, size_t n, gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ---------------------------------------------------------------- batch means */

#define BATCHES 40

typedef struct estimate {
    double mean, se;
} estimate;

typedef struct batcher {
    long per, in_batch, hits;
    int nb;
    double means[BATCHES];
} batcher;

static void batch_add(batcher *b, int hit)
{
    b->hits += hit;
    if (++b->in_batch == b->per) {
        b->means[b->nb++] = (double)b->hits / (double)b->per;
        b->in_batch = b->hits = 0;
    }
}

static estimate batch_result(const batcher *b)
{
    cr_assert_eq(b->nb, BATCHES);
    estimate e = {0, 0};
    for (int k = 0; k < BATCHES; k++)
        e.mean += b->means[k];
    e.mean /= BATCHES;
    double v = 0;
    for (int k = 0; k < BATCHES; k++)
        v += (b->means[k] - e.mean) * (b->means[k] - e.mean);
    e.se = sqrt(v / (BATCHES - 1) / BATCHES);
    return e;
}

/* ---------------------------------------------------------------- the two caches, simulated */

/* An LRU cache of `cap` objects: a doubly linked recency list over object indices (n = none).
 * `requests` is a multiple of BATCHES. */
static estimate lru_sim(double alpha, size_t n, size_t cap, long warm, long requests,
                        unsigned long seed)
{
    double *cdf = zipf_cdf(alpha, n);
    size_t *prev = malloc(n * sizeof *prev), *next = malloc(n * sizeof *next);
    char *in = calloc(n, 1);
    cr_assert(prev && next && in);
    const size_t none = n;
    size_t head = none, tail = none, count = 0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    batcher b = {.per = requests / BATCHES};
    for (long k = -warm; k < requests; k++) {
        size_t i = zipf_draw(cdf, n, r);
        int hit = in[i];
        if (hit && head != i) { /* unlink, then to the front */
            next[prev[i]] = next[i];
            if (next[i] != none)
                prev[next[i]] = prev[i];
            else
                tail = prev[i];
        }
        if (!hit || head != i) {
            prev[i] = none;
            next[i] = head;
            if (head != none)
                prev[head] = i;
            else
                tail = i;
            head = i;
        }
        if (!hit) {
            in[i] = 1;
            if (++count > cap) { /* evict the least recently used */
                size_t t = tail;
                tail = prev[t];
                next[tail] = none;
                in[t] = 0;
                count--;
            }
        }
        if (k >= 0)
            batch_add(&b, hit);
    }
    gsl_rng_free(r);
    free(cdf);
    free(prev);
    free(next);
    free(in);
    return batch_result(&b);
}

/* A TTL cache: Poisson requests at `rate` per s; a miss stores the object until now + ttl (a hit
 * leaves its expiry alone). */
static estimate ttl_sim(double alpha, size_t n, double rate, double ttl, long warm, long requests,
                        unsigned long seed)
{
    double *cdf = zipf_cdf(alpha, n);
    double *expiry = calloc(n, sizeof *expiry);
    cr_assert_not_null(expiry);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    batcher b = {.per = requests / BATCHES};
    double t = 0;
    for (long k = -warm; k < requests; k++) {
        t += gsl_ran_exponential(r, 1 / rate);
        size_t i = zipf_draw(cdf, n, r);
        int hit = t < expiry[i];
        if (!hit)
            expiry[i] = t + ttl;
        if (k >= 0)
            batch_add(&b, hit);
    }
    gsl_rng_free(r);
    free(cdf);
    free(expiry);
    return batch_result(&b);
}

/* ---------------------------------------------------------------- the simulators themselves */

/* King's stationary distribution of LRU under independent requests (W. F. King, "Analysis of
 * paging algorithms", IFIP Congress 1971): the cache holding i1 (most recent) .. iC has
 * probability Π_k p_{ik} / (1 − Σ_{j<k} p_{ij}); the hit ratio sums Σ_k p_{ik} over it. Exact,
 * but n!/(n−C)! states: small cases only. */
static long double king_rec(const long double *p, size_t n, size_t left, char *used,
                            long double prob, long double mass)
{
    if (left == 0)
        return prob * mass;
    long double h = 0;
    for (size_t i = 0; i < n; i++) {
        if (used[i])
            continue;
        used[i] = 1;
        h += king_rec(p, n, left - 1, used, prob * p[i] / (1 - mass), mass + p[i]);
        used[i] = 0;
    }
    return h;
}

Test(cdn_sim, lru_simulator_matches_king_exact, .timeout = 60)
{
    const size_t n = 8, cap = 3;
    long double *p = zipf_pop(0.8, n);
    char used[8] = {0};
    double exact = (double)king_rec(p, n, cap, used, 1, 0);
    free(p);
    estimate e = lru_sim(0.8, n, cap, 10000, 2000000, 11);
    cr_log_info("King n=8 C=3 a=0.8: exact %.6f sim %.6f se %.6f", exact, e.mean, e.se);
    cr_expect_leq(fabs(e.mean - exact), 3 * e.se, "exact %.6f sim %.6f se %.6f", exact, e.mean,
                  e.se);
}

/* ---------------------------------------------------------------- Che's approximation vs LRU */

/* n = 1000 objects, 2·10^6 measured requests after 2·10^5 of warm-up (enough for the rarest
 * object, p ≈ 2.6·10^−4 at α = 0.8, to have been requested ~50 times). `bias` is Che's error
 * allowed for the case (see the top of the file). */
static void check_lru(double alpha, size_t cap, double bias, unsigned long seed)
{
    const size_t n = 1000;
    double che = mdl_cdn_zipf_lru_hit_ratio(alpha, n, (double)cap);
    estimate e = lru_sim(alpha, n, cap, 200000, 2000000, seed);
    double tol = 3 * e.se + bias;
    cr_log_info("LRU n=%zu C=%zu a=%.1f: Che %.6f sim %.6f se %.6f diff %+.6f tol %.6f", n, cap,
                alpha, che, e.mean, e.se, che - e.mean, tol);
    cr_expect_leq(fabs(che - e.mean), tol, "a=%.1f C=%zu: Che %.6f sim %.6f (se %.6f)", alpha, cap,
                  che, e.mean, e.se);
}

/* The cases: α, cache size, Che's error allowed (bias) and seed, each with its long-run error
 * (Che − simulation, 10^8 requests). */
typedef struct lru_case {
    double alpha;
    size_t cap;
    double bias;
    unsigned long seed;
} lru_case;

ParameterizedTestParameters(cdn_che, lru)
{
    static lru_case cases[] = {
        {0.6, 100, 2e-4, 1},  /* −2.7e−5 ± 5.5e−5 */
        {0.8, 100, 2e-4, 2},  /* +0.7e−5 ± 5.6e−5 */
        {1.0, 100, 2e-4, 3},  /* +1.1e−5 ± 5.1e−5 */
        {0.6, 10, 1.5e-4, 4}, /* −0.66e−4 ± 0.17e−4 (h ≈ 0.029: 0.2% relative) */
        {0.8, 10, 6e-4, 5},   /* −5.0e−4 ± 0.28e−4 (h ≈ 0.082: 0.6% relative) */
        {1.0, 10, 1.1e-3, 6}, /* −8.7e−4 ± 0.47e−4 (h ≈ 0.21: 0.4% relative) */
    };
    return cr_make_param_array(lru_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(lru_case *c, cdn_che, lru, .timeout = 60)
{
    check_lru(c->alpha, c->cap, c->bias, c->seed);
}

/* Criterion 2.4's ParameterizedTest is dropped by link-time optimisation without a reference
 * (see test_bad.c). */
__attribute__((used)) static struct criterion_test **const keep_cdn_che_lru = &cdn_che_lru_ptr;

/* ---------------------------------------------------------------- TTL formula vs TTL cache */

/* n = 1000, λ = 100/s; 2·10^6 measured requests after 2·10^5 (2000 s, hundreds of TTLs and
 * ~50 requests to the rarest object). Exact formula: the tolerance is noise only. */
static void check_ttl(double alpha, double ttl, unsigned long seed)
{
    const size_t n = 1000;
    const double rate = 100;
    double f = mdl_cdn_zipf_ttl_hit_ratio(alpha, n, rate, ttl);
    estimate e = ttl_sim(alpha, n, rate, ttl, 200000, 2000000, seed);
    cr_log_info("TTL n=%zu rate=%g T=%g a=%.1f: formula %.6f sim %.6f se %.6f diff %+.6f", n, rate,
                ttl, alpha, f, e.mean, e.se, f - e.mean);
    cr_expect_leq(fabs(f - e.mean), 3 * e.se, "a=%.1f T=%g: formula %.6f sim %.6f (se %.6f)", alpha,
                  ttl, f, e.mean, e.se);
}

/* The cases: α, TTL (s) and seed. */
typedef struct ttl_case {
    double alpha;
    double ttl;
    unsigned long seed;
} ttl_case;

ParameterizedTestParameters(cdn_ttl, ttl)
{
    static ttl_case cases[] = {
        {0.6, 1, 21}, {0.8, 1, 22}, {1.0, 1, 23}, {0.8, 0.1, 24}, {0.8, 10, 25},
    };
    return cr_make_param_array(ttl_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ttl_case *c, cdn_ttl, ttl, .timeout = 60)
{
    check_ttl(c->alpha, c->ttl, c->seed);
}

__attribute__((used)) static struct criterion_test **const keep_cdn_ttl_ttl = &cdn_ttl_ttl_ptr;

/* ---------------------------------------------------------------- the numerics */

/* Che's approximation in long double by plain bisection on log x (independent of the Newton
 * iteration and compensated sums under test). */
static double che_reference(double alpha, size_t n, double cap)
{
    long double *p = zipf_pop(alpha, n);
    long double lo = cap, hi = cap;
    for (;;) { /* f(hi) > 0 */
        long double s = 0;
        for (size_t i = 0; i < n; i++)
            s += -expm1l(-p[i] * hi);
        if (s > cap)
            break;
        hi *= 2;
    }
    for (int it = 0; it < 200; it++) {
        long double mid = sqrtl(lo * hi), s = 0;
        for (size_t i = 0; i < n; i++)
            s += -expm1l(-p[i] * mid);
        if (s > cap)
            hi = mid;
        else
            lo = mid;
    }
    long double h = 0;
    for (size_t i = 0; i < n; i++)
        h += p[i] * -expm1l(-p[i] * lo);
    free(p);
    return (double)h;
}

Test(cdn_numerics, che_matches_long_double_reference, .timeout = 60)
{
    const double alphas[] = {0.3, 0.6, 0.8, 1.0, 1.5, 2.5};
    const double caps[] = {0.5, 1, 10, 100, 500, 990, 999.9};
    for (size_t a = 0; a < sizeof alphas / sizeof *alphas; a++)
        for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
            double got = mdl_cdn_zipf_lru_hit_ratio(alphas[a], 1000, caps[c]);
            double want = che_reference(alphas[a], 1000, caps[c]);
            cr_expect_leq(fabs(got - want), 1e-12 * want + 1e-15, "a=%g C=%g: %.17g vs %.17g",
                          alphas[a], caps[c], got, want);
        }
}

Test(cdn_numerics, ttl_matches_long_double_reference, .timeout = 60)
{
    const double alphas[] = {0.3, 0.8, 1.0, 2.5};
    const double xs[] = {1e-6, 0.5, 10, 1e3, 1e9};
    for (size_t a = 0; a < sizeof alphas / sizeof *alphas; a++) {
        long double *p = zipf_pop(alphas[a], 1000);
        for (size_t k = 0; k < sizeof xs / sizeof *xs; k++) {
            long double want = 0;
            for (size_t i = 0; i < 1000; i++)
                want += p[i] * (p[i] * xs[k]) / (1 + p[i] * xs[k]);
            double got = mdl_cdn_zipf_ttl_hit_ratio(alphas[a], 1000, xs[k], 1);
            cr_expect_leq(fabs(got - (double)want), 1e-13 * (double)want,
                          "a=%g x=%g: %.17g vs %.17Lg", alphas[a], xs[k], got, want);
        }
        free(p);
    }
}

/* ---------------------------------------------------------------- edge cases */

Test(cdn_edges, lru_contract, .timeout = 60)
{
    /* Every object fits: 1. */
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, 1000), 1.0);
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, 1e6), 1.0);
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, INFINITY), 1.0);
    /* No room: 0. */
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, 0), 0.0);
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, -5), 0.0);
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, -INFINITY), 0.0);
    /* Uniform popularity: C/n, exactly (each object has probability C/n of being cached). */
    cr_expect_float_eq(mdl_cdn_zipf_lru_hit_ratio(0, 1000, 250), 0.25, 1e-15);
    cr_expect_float_eq(mdl_cdn_zipf_lru_hit_ratio(0, 1000, 999.9), 0.9999, 1e-15);
    /* A tiny α is close to uniform, through the general path. */
    cr_expect_float_eq(mdl_cdn_zipf_lru_hit_ratio(1e-9, 1000, 250), 0.25, 1e-8);
    /* One object and a fractional capacity: 1 − e^{−x} = C, so h = C. */
    cr_expect_float_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1, 0.5), 0.5, 1e-14);
    cr_expect_eq(mdl_cdn_zipf_lru_hit_ratio(0.8, 1, 1), 1.0);
    /* Extreme skew: popularities underflow to 0, still a ratio in [0, 1], not NaN. */
    double h = mdl_cdn_zipf_lru_hit_ratio(400, 1000, 999.5);
    cr_expect(h >= 0.999999 && h <= 1, "%.17g", h);
    h = mdl_cdn_zipf_lru_hit_ratio(50, 100000, 1);
    cr_expect(h >= 0.999999 && h <= 1, "%.17g", h);
    /* Capacity a hair under n: just under 1. */
    h = mdl_cdn_zipf_lru_hit_ratio(1.0, 1000, 999.999);
    cr_expect(h > 0.999999 && h < 1, "%.17g", h);
}

Test(cdn_edges, ttl_contract, .timeout = 60)
{
    cr_expect_eq(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 100, 0), 0.0);
    cr_expect_eq(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 100, -1), 0.0);
    cr_expect_eq(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 0, 60), 0.0);
    cr_expect_eq(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, -3, 60), 0.0);
    cr_expect_eq(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 100, INFINITY), 1.0);
    /* Uniform: every object has λT/n requests per TTL. */
    cr_expect_float_eq(mdl_cdn_zipf_ttl_hit_ratio(0, 1000, 10, 100), 0.5, 1e-15);
    /* One object: x / (1 + x). */
    cr_expect_float_eq(mdl_cdn_zipf_ttl_hit_ratio(1.2, 1, 3, 1), 0.75, 1e-15);
    /* Only the product λ·T matters. */
    cr_expect_float_eq(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 100, 1),
                       mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 1, 100), 1e-15);
}

Test(cdn_edges, nonsense_is_nan, .timeout = 60)
{
    cr_expect(isnan(mdl_cdn_zipf_lru_hit_ratio(-0.1, 1000, 10)));
    cr_expect(isnan(mdl_cdn_zipf_lru_hit_ratio(NAN, 1000, 10)));
    cr_expect(isnan(mdl_cdn_zipf_lru_hit_ratio(INFINITY, 1000, 10)));
    cr_expect(isnan(mdl_cdn_zipf_lru_hit_ratio(0.8, 0, 10)));
    cr_expect(isnan(mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, NAN)));
    cr_expect(isnan(mdl_cdn_zipf_ttl_hit_ratio(-0.1, 1000, 1, 1)));
    cr_expect(isnan(mdl_cdn_zipf_ttl_hit_ratio(NAN, 1000, 1, 1)));
    cr_expect(isnan(mdl_cdn_zipf_ttl_hit_ratio(0.8, 0, 1, 1)));
    cr_expect(isnan(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, NAN, 1)));
    cr_expect(isnan(mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 1, NAN)));
}

/* ---------------------------------------------------------------- monotonicity */

Test(cdn_monotone, lru_increases_with_capacity, .timeout = 60)
{
    double prev = 0;
    for (double c = 0.5; c < 1000; c += 7.25) {
        double h = mdl_cdn_zipf_lru_hit_ratio(0.8, 1000, c);
        cr_expect_gt(h, prev, "C=%g: %.17g after %.17g", c, h, prev);
        prev = h;
    }
    cr_expect_lt(prev, 1.0);
}

Test(cdn_monotone, lru_increases_with_alpha, .timeout = 60)
{
    const double caps[] = {1, 50, 900};
    for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
        double prev = mdl_cdn_zipf_lru_hit_ratio(0, 1000, caps[k]);
        for (double a = 0.1; a < 3; a += 0.1) {
            double h = mdl_cdn_zipf_lru_hit_ratio(a, 1000, caps[k]);
            cr_expect_gt(h, prev, "C=%g a=%g: %.17g after %.17g", caps[k], a, h, prev);
            prev = h;
        }
    }
}

Test(cdn_monotone, ttl_increases_with_ttl_rate_alpha, .timeout = 60)
{
    double prev = 0;
    for (double t = 0.01; t < 1e4; t *= 1.5) {
        double h = mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, 100, t);
        cr_expect_gt(h, prev, "T=%g: %.17g after %.17g", t, h, prev);
        prev = h;
    }
    prev = 0;
    for (double r = 0.01; r < 1e4; r *= 1.5) {
        double h = mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000, r, 1);
        cr_expect_gt(h, prev, "rate=%g: %.17g after %.17g", r, h, prev);
        prev = h;
    }
    prev = mdl_cdn_zipf_ttl_hit_ratio(0, 1000, 100, 1);
    for (double a = 0.1; a < 3; a += 0.1) {
        double h = mdl_cdn_zipf_ttl_hit_ratio(a, 1000, 100, 1);
        cr_expect_gt(h, prev, "a=%g: %.17g after %.17g", a, h, prev);
        prev = h;
    }
}

/* ---------------------------------------------------------------- size */

/* A million objects: one O(n) pass per Newton step, a few steps. No timing is asserted (timing
 * goals belong to tools/bench/); this only shows the sizes work. */
Test(cdn_size, million_objects, .timeout = 60)
{
    double h = mdl_cdn_zipf_lru_hit_ratio(0.8, 1000000, 10000);
    cr_expect(h > 0 && h < 1, "%.17g", h);
    h = mdl_cdn_zipf_lru_hit_ratio(0.8, 1000000, 999999);
    cr_expect(h > 0.999 && h < 1, "%.17g", h);
    h = mdl_cdn_zipf_ttl_hit_ratio(0.8, 1000000, 1000, 60);
    cr_expect(h > 0 && h < 1, "%.17g", h);
}
