/*
 * test_hist.c — the log-bucketed histograms (hist_*) and the confidence intervals across
 * replications (stat_mean_ci) of src/metrics/.
 *
 * Why: every latency figure simulate reports is a percentile read from these histograms, and
 * every ± is stat_mean_ci. metrics.h promises a relative error of at most 2^-(p+1) for any
 * percentile, merges that are exact and independent of order (how replications combine),
 * exact tail counts at bucket edges, weighted records for the flow engine, and a t interval.
 * Each promise is checked against a brute-force answer computed here (the test may sort; the
 * product must not).
 *
 * Every test has the same .timeout: Criterion 2.4's runner leaks an allocation when tests of one
 * executable have different timeouts and run in parallel, and ctest fails on the leak report.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "splitmix.h"

/* ---------------------------------------------------------------- helpers */

static double next_unit(uint64_t *s)
{
    return (double)(splitmix64(s) >> 11) * 0x1.0p-53;
}

/* A value log-uniform over [1, 2^top]. */
static int64_t log_uniform(uint64_t *s, int top)
{
    int64_t v = (int64_t)exp2(next_unit(s) * top);
    if (v < 1)
        v = 1;
    if (v > ((int64_t)1 << top))
        v = (int64_t)1 << top;
    return v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The percentiles every test reads: the tails densely, the body by whole percents. */
static size_t percentile_grid(double *q, size_t cap)
{
    static const double tails[] = {0,    0.001, 0.01,   0.1,     0.5, 99.5,
                                   99.9, 99.99, 99.999, 99.9999, 100};
    size_t n = 0;
    for (size_t i = 0; i < sizeof tails / sizeof tails[0] && n < cap; i++)
        q[n++] = tails[i];
    for (int p = 1; p <= 99 && n < cap; p++)
        q[n++] = p;
    return n;
}

/* The exact q-th percentile of sorted x[0..n): the sample of rank ceil(q/100 · n) (1-based),
 * the definition of metrics.h; q = 0 is the minimum. */
static int64_t exact_percentile(const int64_t *x, size_t n, double q)
{
    if (q <= 0)
        return x[0];
    double rank = ceil(q / 100.0 * (double)n - 1e-9);
    if (rank < 1)
        rank = 1;
    if (rank > (double)n)
        rank = (double)n;
    return x[(size_t)rank - 1];
}

typedef struct bucket {
    int64_t lo, hi;
    double count;
} bucket;

typedef struct buckets {
    bucket *b;
    size_t n, cap;
} buckets;

static void collect(void *ctx, int64_t lo, int64_t hi, double count)
{
    buckets *bs = ctx;
    if (bs->n == bs->cap) {
        bs->cap = bs->cap ? bs->cap * 2 : 256;
        bs->b = realloc(bs->b, bs->cap * sizeof *bs->b);
        cr_assert_not_null(bs->b);
    }
    bs->b[bs->n++] = (bucket){lo, hi, count};
}

/* Asserts that two histograms hold exactly the same data: every bucket, count, min, max,
 * mean and percentile. */
static void assert_same(const hist *a, const hist *b, const char *what)
{
    cr_assert(hist_count(a) == hist_count(b), "%s: count %.17g vs %.17g", what, hist_count(a),
              hist_count(b));
    cr_assert_eq(hist_min(a), hist_min(b), "%s: min", what);
    cr_assert_eq(hist_max(a), hist_max(b), "%s: max", what);
    cr_assert(hist_mean(a) == hist_mean(b), "%s: mean %.17g vs %.17g", what, hist_mean(a),
              hist_mean(b));
    buckets ba = {0}, bb = {0};
    hist_foreach(a, collect, &ba);
    hist_foreach(b, collect, &bb);
    cr_assert_eq(ba.n, bb.n, "%s: %zu vs %zu non-empty buckets", what, ba.n, bb.n);
    for (size_t i = 0; i < ba.n; i++) {
        cr_assert(ba.b[i].lo == bb.b[i].lo && ba.b[i].hi == bb.b[i].hi &&
                      ba.b[i].count == bb.b[i].count,
                  "%s: bucket %zu differs", what, i);
    }
    free(ba.b);
    free(bb.b);
    double q[128];
    size_t nq = percentile_grid(q, 128);
    for (size_t i = 0; i < nq; i++)
        cr_assert_eq(hist_percentile(a, q[i]), hist_percentile(b, q[i]), "%s: p%g differs", what,
                     q[i]);
}

/* ---------------------------------------------------------------- the error bound */

Test(hist, every_percentile_within_the_relative_error, .timeout = 60)
{
    enum { N = 100000 };
    int64_t *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    uint64_t seed = 42;
    size_t n = 0;
    /* the edges of the range and of the exact region, then log-uniform values */
    for (int k = 0; k <= 42; k++) {
        x[n++] = (int64_t)1 << k;
        if (k < 42)
            x[n++] = ((int64_t)1 << k) + ((int64_t)1 << k) / 2;
        if (k > 0)
            x[n++] = ((int64_t)1 << k) - 1;
    }
    while (n < N)
        x[n++] = log_uniform(&seed, 42);

    static const unsigned bits[] = {1, 2, 4, 7, 10, 12};
    double q[128];
    size_t nq = percentile_grid(q, 128);
    int64_t *sorted = malloc(N * sizeof *sorted);
    cr_assert_not_null(sorted);
    memcpy(sorted, x, N * sizeof *x);
    qsort(sorted, N, sizeof *sorted, cmp_i64);

    for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++) {
        hist *h = hist_new(bits[b], HIST_DEFAULT_HIGHEST);
        cr_assert_not_null(h);
        double bound = hist_relative_error(h);
        cr_assert(bound == ldexp(1.0, -(int)bits[b] - 1), "bound %g for %u bits", bound, bits[b]);
        for (size_t i = 0; i < N; i++)
            hist_record(h, x[i]);
        cr_assert(hist_count(h) == N);
        cr_assert_eq(hist_min(h), 1);
        cr_assert_eq(hist_max(h), HIST_DEFAULT_HIGHEST);
        double worst = 0;
        for (size_t i = 0; i < nq; i++) {
            int64_t want = exact_percentile(sorted, N, q[i]);
            int64_t got = hist_percentile(h, q[i]);
            double err = fabs((double)got - (double)want) / (double)want;
            if (err > worst)
                worst = err;
            cr_assert(err <= bound, "%u bits: p%g is %lld, exact %lld: error %.3g > %.3g", bits[b],
                      q[i], (long long)got, (long long)want, err, bound);
        }
        /* the bound is tight enough to mean something: coarse layouts do show error */
        if (bits[b] <= 4)
            cr_assert_gt(worst, 0, "%u bits: no error at all is not plausible", bits[b]);
        cr_assert_eq(hist_percentile(h, 0), 1, "p0 is the min");
        cr_assert_eq(hist_percentile(h, 100), HIST_DEFAULT_HIGHEST, "p100 is the max");
        hist_free(h);
    }
    free(sorted);
    free(x);
}

/* Values below 2^(p+1) have a bucket each, so their percentiles are exact. */
Test(hist, small_values_are_exact, .timeout = 60)
{
    hist *h = hist_new(7, HIST_DEFAULT_HIGHEST);
    cr_assert_not_null(h);
    int64_t x[255];
    for (int i = 0; i < 255; i++) {
        x[i] = 255 - i; /* recorded in descending order */
        hist_record(h, x[i]);
    }
    qsort(x, 255, sizeof x[0], cmp_i64);
    double q[128];
    size_t nq = percentile_grid(q, 128);
    for (size_t i = 0; i < nq; i++)
        cr_assert_eq(hist_percentile(h, q[i]), exact_percentile(x, 255, q[i]), "p%g", q[i]);
    cr_assert(hist_mean(h) == 128.0, "mean %.17g", hist_mean(h));
    hist_free(h);
}

/* ---------------------------------------------------------------- merging */

/* Fills three histograms with different data; values stay below 2^36 and counts below 2^15
 * per histogram, so every sum is an exact integer in a double and any merge order must give
 * bit-identical results. */
static void fill_three(hist *h[3], hist *all)
{
    uint64_t seed = 7;
    for (int k = 0; k < 3; k++) {
        int n = 10000 + 5000 * k;
        for (int i = 0; i < n; i++) {
            int64_t v = log_uniform(&seed, 12 + 12 * k); /* different ranges per part */
            hist_record(h[k], v);
            hist_record(all, v);
        }
    }
}

Test(hist, merge_equals_recording_everything_in_one, .timeout = 60)
{
    hist *h[3], *all = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (int k = 0; k < 3; k++)
        cr_assert_not_null(h[k] = hist_new(7, HIST_DEFAULT_HIGHEST));
    cr_assert_not_null(all);
    fill_three(h, all);

    hist *m = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (int k = 0; k < 3; k++)
        cr_assert_eq(hist_merge(m, h[k]), BASE_OK);
    assert_same(m, all, "merge of three vs one");
    cr_assert(hist_count(m) == 10000 + 15000 + 20000);

    /* merging an empty histogram changes nothing, in either direction */
    hist *empty = hist_new(7, HIST_DEFAULT_HIGHEST);
    cr_assert_eq(hist_merge(m, empty), BASE_OK);
    assert_same(m, all, "after merging an empty one");
    cr_assert_eq(hist_merge(empty, all), BASE_OK);
    assert_same(empty, all, "an empty one after merging");

    /* clones are equal, and independent */
    hist *c = hist_clone(all);
    cr_assert_not_null(c);
    assert_same(c, all, "clone");
    hist_record(c, 1);
    cr_assert(hist_count(c) == hist_count(all) + 1);

    /* layouts must match */
    hist *other = hist_new(6, HIST_DEFAULT_HIGHEST);
    hist *shorter = hist_new(7, (int64_t)1 << 20);
    cr_assert_eq(hist_merge(m, other), BASE_EINTERNAL);
    cr_assert_eq(hist_merge(m, shorter), BASE_EINTERNAL);
    assert_same(m, all, "after refused merges");

    hist *all_h[] = {m, empty, c, other, shorter, all, h[0], h[1], h[2]};
    for (size_t i = 0; i < sizeof all_h / sizeof all_h[0]; i++)
        hist_free(all_h[i]);
}

Test(hist, merge_order_does_not_matter, .timeout = 60)
{
    hist *h[3], *all = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (int k = 0; k < 3; k++)
        cr_assert_not_null(h[k] = hist_new(7, HIST_DEFAULT_HIGHEST));
    fill_three(h, all);
    static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                     {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    hist *first = NULL;
    for (int o = 0; o < 6; o++) {
        hist *m = hist_new(7, HIST_DEFAULT_HIGHEST);
        for (int k = 0; k < 3; k++)
            cr_assert_eq(hist_merge(m, h[orders[o][k]]), BASE_OK);
        if (!first)
            first = m;
        else {
            char what[64];
            snprintf(what, sizeof what, "order %d%d%d", orders[o][0], orders[o][1], orders[o][2]);
            assert_same(m, first, what);
            hist_free(m);
        }
    }
    /* a tree of merges (as threads would combine) equals the chain */
    hist *left = hist_clone(h[2]);
    cr_assert_eq(hist_merge(left, h[1]), BASE_OK);
    hist *tree = hist_clone(h[0]);
    cr_assert_eq(hist_merge(tree, left), BASE_OK);
    assert_same(tree, first, "tree of merges");
    assert_same(tree, all, "tree vs one");
    hist *to_free[] = {first, left, tree, all, h[0], h[1], h[2]};
    for (size_t i = 0; i < sizeof to_free / sizeof to_free[0]; i++)
        hist_free(to_free[i]);
}

/* ---------------------------------------------------------------- tail counts */

Test(hist, count_at_or_above_bucket_floors_is_exact, .timeout = 60)
{
    enum { N = 20000 };
    int64_t *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    uint64_t seed = 99;
    hist *h = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (size_t i = 0; i < N; i++) {
        x[i] = log_uniform(&seed, 40);
        hist_record(h, x[i]);
    }
    qsort(x, N, sizeof *x, cmp_i64);
    /* floors of recorded values, of values nearby, and of powers of two */
    uint64_t probe_seed = 5;
    for (int t = 0; t < 3000; t++) {
        int64_t v = t < 41 ? (int64_t)1 << t : log_uniform(&probe_seed, 41);
        int64_t f = hist_bucket_floor(h, v);
        cr_assert(f <= v, "floor %lld above %lld", (long long)f, (long long)v);
        cr_assert_eq(hist_bucket_floor(h, f), f, "floor of a floor moved");
        cr_assert(f == 0 || (double)(v - f) <= (double)v * 2 * hist_relative_error(h),
                  "floor %lld is further from %lld than a bucket", (long long)f, (long long)v);
        size_t lo = 0, hi = N; /* the first index with x >= f */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (x[mid] < f)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t above = N - lo;
        cr_assert(hist_count_at_or_above(h, f) == (double)above,
                  "at or above %lld: %.17g, exact %zu", (long long)f, hist_count_at_or_above(h, f),
                  above);
    }
    cr_assert(hist_count_at_or_above(h, 0) == N);
    cr_assert(hist_count_at_or_above(h, -5) == N);
    cr_assert(hist_count_at_or_above(h, HIST_DEFAULT_HIGHEST) == 0);
    free(x);
    hist_free(h);
}

/* ---------------------------------------------------------------- weights */

/* The weighted q-th percentile of (value, weight) pairs sorted by value: the smallest value
 * whose cumulative weight reaches q/100 of the total. */
static int64_t exact_weighted(const int64_t *v, const double *w, size_t n, double q)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    double need = q / 100.0 * total, cum = 0;
    for (size_t i = 0; i < n; i++) {
        cum += w[i];
        if (cum >= need * (1 - 1e-12))
            return v[i];
    }
    return v[n - 1];
}

Test(hist, fractional_weights_give_weighted_percentiles, .timeout = 60)
{
    /* A flow-engine time step: 0.3 of a request at 100 ns, 0.5 at 1000 ns, 0.2 at 10000 ns. */
    static const int64_t v[] = {100, 1000, 10000};
    static const double w[] = {0.3, 0.5, 0.2};
    hist *h = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (int i = 0; i < 3; i++)
        hist_record_n(h, v[i], w[i]);
    cr_assert_float_eq(hist_count(h), 1.0, 1e-12);
    cr_assert_float_eq(hist_mean(h), 100 * 0.3 + 1000 * 0.5 + 10000 * 0.2, 1e-9);
    cr_assert_eq(hist_min(h), 100);
    cr_assert_eq(hist_max(h), 10000);
    double bound = hist_relative_error(h);
    static const double qs[] = {1, 10, 25, 30, 31, 50, 79, 80, 81, 95, 99};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        int64_t want = exact_weighted(v, w, 3, qs[i]);
        int64_t got = hist_percentile(h, qs[i]);
        cr_assert(fabs((double)got - (double)want) <= bound * (double)want,
                  "weighted p%g is %lld, want %lld (weights 0.3, 0.5, 0.2)", qs[i], (long long)got,
                  (long long)want);
    }
    hist_free(h);
}

Test(hist, weights_scale_like_repeated_records, .timeout = 60)
{
    /* 2.5 of each of many values: the same percentiles as recording each value 2.5 times
     * would give, i.e. as recording it with weight 1 (the percentile is scale-free) */
    hist *a = hist_new(7, HIST_DEFAULT_HIGHEST), *b = hist_new(7, HIST_DEFAULT_HIGHEST);
    uint64_t seed = 3;
    for (int i = 0; i < 5000; i++) {
        int64_t v = log_uniform(&seed, 30);
        hist_record_n(a, v, 2.5);
        hist_record(b, v);
    }
    cr_assert(hist_count(a) == 12500.0);
    cr_assert_float_eq(hist_mean(a), hist_mean(b), 1e-9 * hist_mean(b));
    double q[128];
    size_t nq = percentile_grid(q, 128);
    for (size_t i = 0; i < nq; i++)
        cr_assert_eq(hist_percentile(a, q[i]), hist_percentile(b, q[i]), "p%g", q[i]);
    /* weights that are not positive record nothing */
    hist_record_n(a, 5, 0);
    hist_record_n(a, 5, -1);
    hist_record_n(a, 5, NAN);
    cr_assert(hist_count(a) == 12500.0);
    hist_free(a);
    hist_free(b);
}

/* ---------------------------------------------------------------- edges */

Test(hist, empty_histogram_reads_zero, .timeout = 60)
{
    hist *h = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (int pass = 0; pass < 2; pass++) {
        cr_assert(hist_count(h) == 0);
        cr_assert(hist_mean(h) == 0);
        cr_assert_eq(hist_min(h), 0);
        cr_assert_eq(hist_max(h), 0);
        cr_assert_eq(hist_percentile(h, 0), 0);
        cr_assert_eq(hist_percentile(h, 50), 0);
        cr_assert_eq(hist_percentile(h, 100), 0);
        cr_assert(hist_count_at_or_above(h, 0) == 0);
        buckets bs = {0};
        hist_foreach(h, collect, &bs);
        cr_assert_eq(bs.n, 0, "an empty histogram has %zu buckets", bs.n);
        free(bs.b);
        /* the second pass: after records and a reset */
        hist_record(h, 12345);
        hist_record(h, 7);
        cr_assert(hist_count(h) == 2);
        hist_reset(h);
    }
    hist_free(h);
}

Test(hist, values_above_highest_still_set_max, .timeout = 60)
{
    hist *h = hist_new(7, 1000);
    cr_assert_not_null(h);
    hist_record(h, 10);
    hist_record(h, 5000000);
    cr_assert_eq(hist_max(h), 5000000);
    cr_assert_eq(hist_min(h), 10);
    cr_assert(hist_mean(h) == (10.0 + 5000000.0) / 2);
    cr_assert_eq(hist_percentile(h, 100), 5000000);
    cr_assert_eq(hist_percentile(h, 1), 10);
    int64_t p99 = hist_percentile(h, 99);
    cr_assert(p99 >= 1000 && p99 <= 5000000, "p99 %lld is not in the top bucket or above",
              (long long)p99);
    cr_assert(hist_count_at_or_above(h, 1000) == 1);
    cr_assert(hist_count_at_or_above(h, 1 << 30) == 1, "a value over highest was lost");

    /* a single value over highest: every percentile is that value */
    hist *one = hist_new(7, 1000);
    hist_record(one, 123456);
    cr_assert_eq(hist_percentile(one, 50), 123456);
    cr_assert_eq(hist_min(one), 123456);
    /* negative values count as 0 */
    hist_record(one, -40);
    cr_assert_eq(hist_min(one), 0);
    cr_assert(hist_count(one) == 2);
    hist_free(one);
    hist_free(h);
}

Test(hist, bad_layouts_are_refused, .timeout = 60)
{
    cr_assert_null(hist_new(0, 1000));
    cr_assert_null(hist_new(13, 1000));
    cr_assert_null(hist_new(7, 0));
    hist *h = hist_new(12, HIST_DEFAULT_HIGHEST);
    cr_assert_not_null(h);
    hist_free(h);
    hist_free(NULL);
}

/* ---------------------------------------------------------------- confidence intervals */

Test(stat, mean_ci_by_hand, .timeout = 60)
{
    /* x = 10 12 9 11 13: mean 11, deviations -1 1 -2 0 2, s^2 = 10/4 = 2.5,
     * t(0.975, 4) = 2.776445105 (any t table), half = t · sqrt(2.5/5) = 1.9632432... */
    static const double x[] = {10, 12, 9, 11, 13};
    stat_ci ci = stat_mean_ci(x, 5, 0.95);
    cr_assert_eq(ci.n, 5);
    cr_assert_float_eq(ci.mean, 11.0, 1e-12);
    cr_assert_float_eq(ci.sd, sqrt(2.5), 1e-12);
    cr_assert_float_eq(ci.half, 2.776445105 * sqrt(0.5), 1e-8);
    cr_assert_float_eq(ci.half / (ci.sd / sqrt(5.0)), 2.776, 5e-4);

    /* n = 2: t(0.975, 1) = 12.7062047; x = 1, 3: sd = sqrt(2), half = t · sqrt(2)/sqrt(2) */
    static const double y[] = {1, 3};
    ci = stat_mean_ci(y, 2, 0.95);
    cr_assert_float_eq(ci.mean, 2.0, 1e-12);
    cr_assert_float_eq(ci.half, 12.7062047, 1e-6);

    /* a 90% interval is narrower: t(0.95, 4) = 2.131847 */
    ci = stat_mean_ci(x, 5, 0.90);
    cr_assert_float_eq(ci.half, 2.131847 * sqrt(0.5), 1e-6);

    /* identical values: zero width, not NaN */
    static const double same[] = {4, 4, 4};
    ci = stat_mean_ci(same, 3, 0.95);
    cr_assert(ci.mean == 4 && ci.half == 0 && ci.sd == 0);
}

Test(stat, one_replication_has_no_interval, .timeout = 60)
{
    static const double x[] = {42.5};
    stat_ci ci = stat_mean_ci(x, 1, 0.95);
    cr_assert_eq(ci.n, 1);
    cr_assert(ci.mean == 42.5);
    cr_assert(isnan(ci.half), "half-width %g for one replication", ci.half);
    cr_assert(isnan(ci.sd), "sd %g for one replication", ci.sd);
}

/* A series row's three percentiles in one walk: the same as three hist_percentile calls, for
 * whole and fractional weights, empty and one-value histograms, and q at 0 and 100. */
Test(hist, percentiles_in_one_walk_are_hist_percentile, .timeout = 60)
{
    uint64_t st = 11;
    static const double qs[] = {0, 1, 50, 50, 95, 99, 99.9, 100};
    const size_t nq = sizeof qs / sizeof qs[0];
    for (int round = 0; round < 40; round++) {
        hist *h = hist_new(5, HIST_DEFAULT_HIGHEST);
        cr_assert_not_null(h);
        int n = round == 0 ? 0 : round == 1 ? 1 : (int)(next_unit(&st) * 3000);
        for (int i = 0; i < n; i++) {
            int64_t v = log_uniform(&st, 40);
            if (round % 2)
                hist_record(h, v);
            else
                hist_record_n(h, v, 0.25 + next_unit(&st));
        }
        int64_t got[8];
        hist_percentiles(h, qs, nq, got);
        for (size_t k = 0; k < nq; k++)
            cr_assert_eq(got[k], hist_percentile(h, qs[k]), "round %d, q %g", round, qs[k]);
        hist_free(h);
    }
}

/* hist_record (weight 1) keeps the same summary as hist_record_n with weight 1. */
Test(hist, record_is_record_n_of_one, .timeout = 60)
{
    uint64_t st = 5;
    hist *a = hist_new(7, HIST_DEFAULT_HIGHEST), *b = hist_new(7, HIST_DEFAULT_HIGHEST);
    cr_assert(a && b);
    for (int i = 0; i < 20000; i++) {
        int64_t v = i % 97 == 0 ? -5 : log_uniform(&st, 44); /* negatives, beyond highest too */
        hist_record(a, v);
        hist_record_n(b, v, 1.0);
    }
    assert_same(a, b, "record vs record_n");
    cr_expect_eq(hist_min(a), hist_min(b));
    cr_expect_eq(hist_max(a), hist_max(b));
    cr_expect(hist_mean(a) == hist_mean(b));
    hist_free(a);
    hist_free(b);
}

/* The bucket of a value is one formula, (e << p) + (v >> e) with e = max(0, msb(v) − p)
 * (hist.c). Checked against the layout as metrics.h states it, two cases, at every precision:
 * below 2^(p+1) one bucket per value; above, a bucket [m << e, ((m+1) << e) − 1] with m in
 * [2^p, 2^(p+1)). */
Test(hist, bucket_floors_follow_the_stated_layout, .timeout = 60)
{
    uint64_t st = 11;
    for (unsigned p = 1; p <= 12; p++) {
        hist *h = hist_new(p, HIST_DEFAULT_HIGHEST);
        cr_assert(h);
        for (int i = 0; i < 20000; i++) {
            int64_t v = i < 5000 ? i : log_uniform(&st, 42);
            int64_t floor = v;
            if (v >= (int64_t)2 << p) {
                int e = 63 - __builtin_clzll((uint64_t)v) - (int)p;
                floor = (v >> e) << e;
            }
            cr_assert_eq(hist_bucket_floor(h, v), floor, "p %u, value %lld", p, (long long)v);
        }
        hist_free(h);
    }
}

/* What an MPI rank sends (hist_pack) comes back the same (hist_unpack), empty or not; a wire
 * whose bucket range disagrees with its min and max is refused. */
Test(hist, pack_unpack_round_trip, .timeout = 60)
{
    uint64_t st = 3;
    hist *a = hist_new(7, HIST_DEFAULT_HIGHEST);
    for (int round = 0; round < 2; round++) {
        base_buf b = {0};
        hist_pack(a, &b);
        const char *p = b.p;
        hist *c = hist_unpack(&p, b.p + b.len);
        cr_assert(c, "round %d", round);
        cr_assert_eq(p, b.p + b.len);
        assert_same(a, c, "unpacked");
        cr_expect_eq(hist_min(a), hist_min(c));
        cr_expect_eq(hist_max(a), hist_max(c));
        cr_expect(hist_mean(a) == hist_mean(c));
        hist_free(c);
        if (round == 1) {
            /* the wire (four uint32, then highest, min, max) says min = max: its min's bucket
             * is no longer its first one */
            int64_t max;
            memcpy(&max, b.p + 16 + 2 * sizeof max, sizeof max);
            memcpy(b.p + 16 + sizeof max, &max, sizeof max);
            p = b.p;
            cr_expect_null(hist_unpack(&p, b.p + b.len));
        }
        base_buf_free(&b);
        for (int i = 0; i < 5000; i++)
            hist_record(a, log_uniform(&st, 40));
    }
    hist_free(a);
}
