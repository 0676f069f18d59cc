/*
 * hist.c — HdrHistogram-style log-linear buckets. See metrics.h for the layout and its error
 * bound. Index of a value v with p precision bits and S = 2^p:
 *   v < 2S:  index v (one bucket per value);
 *   else:    e = msb(v) − p, mantissa m = v >> e in [S, 2S), index 2S + (e−1)·S + (m − S).
 * A bucket then spans [m << e, ((m+1) << e) − 1], width 2^e ≤ v / S. The two cases are one
 * formula: with e = max(0, msb(v) − p), the index is (e << p) + (v >> e) — for v ≥ 2S,
 * 2S + (e−1)·S + (m − S) = e·S + m — so a value's bucket costs a count of leading zeros, a
 * subtraction, a conditional move and two shifts: no division, no logarithm, no branch.
 *
 * Recording is the request engine's most frequent statistic (three histograms per request), so
 * it keeps only what it must: the bucket's count, min and max, count and sum. An empty
 * histogram's min and max are sentinels (INT64_MAX, -1: recorded values are >= 0) so that
 * recording needs no test for emptiness, and the range of non-empty buckets, which the
 * percentile walks, resets and the wire use, is the buckets of min and max (the index is
 * monotonic in the value).
 */
#include "metrics/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct hist {
    unsigned bits;
    int64_t highest;
    uint32_t nbuckets;
    double count;
    double sum;       /* of value × weight */
    int64_t min, max; /* INT64_MAX and -1 while empty (see above) */
    double *counts;
};

static inline unsigned msb64(uint64_t v)
{
    return 63u - (unsigned)__builtin_clzll(v);
}

/* The bucket of 0 <= value <= highest. */
static inline uint32_t index_of(const hist *h, int64_t value)
{
    uint64_t v = (uint64_t)value;
    int e = (int)msb64(v | 1) - (int)h->bits;
    e = e < 0 ? 0 : e;
    return (uint32_t)(((uint64_t)e << h->bits) + (v >> e));
}

/* The bucket of any value >= 0: past `highest`, the top one. */
static inline uint32_t bucket_of(const hist *h, int64_t value)
{
    return __builtin_expect(value > h->highest, 0) ? h->nbuckets - 1 : index_of(h, value);
}

/* The non-empty buckets lie within [ilo(h), ihi(h)] (when count > 0). */
static inline uint32_t ilo(const hist *h)
{
    return bucket_of(h, h->min);
}

static inline uint32_t ihi(const hist *h)
{
    return bucket_of(h, h->max);
}

static void set_empty(hist *h)
{
    h->count = h->sum = 0;
    h->min = INT64_MAX;
    h->max = -1;
}

static void bucket_range(const hist *h, uint32_t i, int64_t *lo, int64_t *hi)
{
    uint64_t two_s = (uint64_t)2 << h->bits, s = (uint64_t)1 << h->bits;
    if (i < two_s) {
        *lo = *hi = (int64_t)i;
        return;
    }
    uint64_t e = (i - two_s) / s + 1;
    uint64_t m = (i - two_s) % s + s;
    *lo = (int64_t)(m << e);
    *hi = (int64_t)(((m + 1) << e) - 1);
}

/* The bucket's midpoint clamped to [min, max] (hist_percentile's answer for bucket i). */
static int64_t bucket_mid(const hist *h, uint32_t i)
{
    int64_t lo, hi;
    bucket_range(h, i, &lo, &hi);
    int64_t mid = lo + (hi - lo) / 2;
    if (mid < h->min)
        mid = h->min;
    if (mid > h->max)
        mid = h->max;
    return mid;
}

hist *hist_new(unsigned precision_bits, int64_t highest)
{
    if (precision_bits < 1 || precision_bits > 12 || highest < 1)
        return NULL;
    hist *h = base_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->bits = precision_bits;
    h->highest = highest;
    h->nbuckets = index_of(h, highest) + 1;
    h->counts = base_calloc(h->nbuckets, sizeof *h->counts);
    if (!h->counts) {
        free(h);
        return NULL;
    }
    set_empty(h);
    return h;
}

void hist_free(hist *h)
{
    if (!h)
        return;
    free(h->counts);
    free(h);
}

hist *hist_clone(const hist *h)
{
    hist *c = hist_new(h->bits, h->highest);
    if (c)
        hist_merge(c, h);
    return c;
}

void hist_reset(hist *h)
{
    /* only the buckets ever touched: resetting a per-interval histogram stays cheap */
    if (h->count > 0)
        memset(h->counts + ilo(h), 0, (ihi(h) - ilo(h) + 1) * sizeof *h->counts);
    set_empty(h);
}

void hist_record_n(hist *h, int64_t value, double weight)
{
    if (!(weight > 0))
        return;
    if (value < 0)
        value = 0;
    h->counts[bucket_of(h, value)] += weight;
    if (value < h->min)
        h->min = value;
    if (value > h->max)
        h->max = value;
    h->count += weight;
    h->sum += (double)value * weight;
}

/* hist_record_n with weight 1, taken by the request engine three times per request. */
void hist_record(hist *h, int64_t value)
{
    if (value < 0)
        value = 0;
    h->counts[bucket_of(h, value)] += 1.0;
    if (value < h->min)
        h->min = value;
    if (value > h->max)
        h->max = value;
    h->count += 1.0;
    h->sum += (double)value;
}

int hist_merge(hist *dst, const hist *src)
{
    if (dst->bits != src->bits || dst->nbuckets != src->nbuckets)
        return BASE_EINTERNAL;
    if (src->count == 0)
        return BASE_OK;
    for (uint32_t i = ilo(src), hi = ihi(src); i <= hi; i++)
        dst->counts[i] += src->counts[i];
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
    dst->count += src->count;
    dst->sum += src->sum;
    return BASE_OK;
}

double hist_count(const hist *h)
{
    return h->count;
}

double hist_mean(const hist *h)
{
    return h->count > 0 ? h->sum / h->count : 0;
}

int64_t hist_min(const hist *h)
{
    return h->count > 0 ? h->min : 0;
}

int64_t hist_max(const hist *h)
{
    return h->count > 0 ? h->max : 0;
}

int64_t hist_percentile(const hist *h, double q)
{
    if (h->count <= 0)
        return 0;
    if (q <= 0)
        return h->min;
    if (q >= 100)
        return h->max;
    /* The bucket where the cumulative weight first reaches q% of the total. With whole counts
     * this is the sample of rank ⌈q/100 · count⌉; with fractional weights (the flow engine)
     * rounding the rank up to a whole count would be wrong, so the rank stays fractional,
     * nudged down by a relative 1e-12 so that a cumulative sum equal to it in exact arithmetic
     * is not missed by rounding. */
    double rank = q / 100.0 * h->count;
    rank -= rank * 1e-12;
    double cum = 0;
    for (uint32_t i = ilo(h), hi = ihi(h); i <= hi; i++) {
        cum += h->counts[i];
        if (cum > 0 && cum >= rank)
            return bucket_mid(h, i);
    }
    return h->max;
}

void hist_percentiles(const hist *h, const double *q, size_t n, int64_t *out)
{
    /* one walk up the buckets: the cumulative sums are hist_percentile's, added in its order */
    uint32_t i = h->count > 0 ? ilo(h) : 0, hi = h->count > 0 ? ihi(h) : 0;
    double cum = h->count > 0 ? h->counts[i] : 0;
    for (size_t k = 0; k < n; k++) {
        if (h->count <= 0 || q[k] <= 0 || q[k] >= 100) {
            out[k] = hist_percentile(h, q[k]);
            continue;
        }
        double rank = q[k] / 100.0 * h->count;
        rank -= rank * 1e-12;
        /* four buckets a step while the sum stays short: the counts are >= 0, so the sum only
         * grows, and if it is short after the fourth it was short after each; the additions
         * are the single walk's, in its order, so the sums are the same doubles (the interval
         * histogram's walk was most of a series row's cost) */
        while (i + 4 <= hi) {
            const double *c = h->counts + i;
            double t = cum + c[1] + c[2] + c[3] + c[4];
            if (t > 0 && t >= rank)
                break;
            cum = t;
            i += 4;
        }
        while (!(cum > 0 && cum >= rank) && i < hi)
            cum += h->counts[++i];
        out[k] = cum > 0 && cum >= rank ? bucket_mid(h, i) : h->max;
    }
}

int hist_beyond(const hist *h, double q)
{
    if (h->count <= 0 || q >= 100 || h->max <= h->highest)
        return 0;
    double rank = q / 100.0 * h->count; /* as hist_percentile ranks */
    rank -= rank * 1e-12;
    return h->count - h->counts[h->nbuckets - 1] < rank;
}

int64_t hist_highest(const hist *h)
{
    return h->highest;
}

int64_t hist_bucket_floor(const hist *h, int64_t value)
{
    if (value <= 0)
        return 0;
    if (value > h->highest)
        value = h->highest;
    int64_t lo, hi;
    bucket_range(h, index_of(h, value), &lo, &hi);
    return lo;
}

double hist_count_at_or_above(const hist *h, int64_t floor)
{
    if (floor < 0)
        floor = 0;
    uint32_t from = bucket_of(h, floor);
    double c = 0;
    for (uint32_t i = from; i < h->nbuckets; i++)
        c += h->counts[i];
    return c;
}

double hist_relative_error(const hist *h)
{
    return ldexp(1.0, -(int)h->bits - 1);
}

void hist_foreach(const hist *h, hist_visit_fn fn, void *ctx)
{
    for (uint32_t i = 0; i < h->nbuckets; i++) {
        if (h->counts[i] > 0) {
            int64_t lo, hi;
            bucket_range(h, i, &lo, &hi);
            fn(ctx, lo, hi, h->counts[i]);
        }
    }
}

/* On the wire: the fixed fields, then counts[ilo..ihi] when the histogram is not empty. */
typedef struct hist_wire {
    uint32_t bits, nbuckets, ilo, ihi;
    int64_t highest, min, max;
    double count, sum;
} hist_wire;

void hist_pack(const hist *h, base_buf *out)
{
    int full = h->count > 0; /* an empty one's fields are 0 on the wire */
    hist_wire w = {h->bits,           h->nbuckets, full ? ilo(h) : 0,
                   full ? ihi(h) : 0, h->highest,  hist_min(h),
                   hist_max(h),       h->count,    h->sum};
    base_buf_add(out, (const char *)&w, sizeof w);
    if (full)
        base_buf_add(out, (const char *)(h->counts + w.ilo),
                     (w.ihi - w.ilo + 1) * sizeof *h->counts);
}

hist *hist_unpack(const char **p, const char *end)
{
    hist_wire w;
    if ((size_t)(end - *p) < sizeof w)
        return NULL;
    memcpy(&w, *p, sizeof w);
    hist *h = hist_new(w.bits, w.highest);
    if (!h || h->nbuckets != w.nbuckets ||
        (w.count > 0 && (w.ilo > w.ihi || w.ihi >= w.nbuckets))) {
        hist_free(h);
        return NULL;
    }
    size_t n = w.count > 0 ? (size_t)(w.ihi - w.ilo + 1) * sizeof *h->counts : 0;
    if ((size_t)(end - *p) < sizeof w + n) {
        hist_free(h);
        return NULL;
    }
    if (n)
        memcpy(h->counts + w.ilo, *p + sizeof w, n);
    if (w.count > 0) {
        h->min = w.min;
        h->max = w.max;
        h->count = w.count;
        h->sum = w.sum;
        /* the bucket range is the buckets of min and max: a wire that says otherwise is bad */
        if (w.min < 0 || w.max < w.min || ilo(h) != w.ilo || ihi(h) != w.ihi) {
            hist_free(h);
            return NULL;
        }
    }
    *p += sizeof w + n;
    return h;
}
