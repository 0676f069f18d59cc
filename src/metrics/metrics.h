/*
 * metrics.h — what simulate measures and how it summarises it: log-bucketed latency
 * histograms (hist_*) and statistics across replications (stat_*). The only header of
 * src/metrics/.
 *
 * Histograms. A value (a duration in ns, or any non-negative integer) falls in a bucket whose
 * width is at most 2^-p of its lower edge, p = precision bits (HdrHistogram's layout: Gil Tene,
 * HdrHistogram, http://hdrhistogram.org): values below 2^(p+1) have a bucket each; above, each
 * power of two is split into 2^p equal buckets. A percentile is reported as its bucket's
 * midpoint, so its relative error is at most 2^-(p+1): 0.39% at the default p = 7, within the
 * ≤ 1% the design asks for (tests/test_hist.c checks the bound). Counts are doubles so the flow
 * engine can record a value standing for many (or fractional) requests; sums of integer counts
 * stay exact to 2^53. Histograms with the same precision and range merge by adding counts, in
 * any order, with identical results — how replications and threads combine.
 *
 * Percentiles never sort samples; min, max, count and sum (hence the mean) are exact.
 */
#ifndef SIMULATE_METRICS_H
#define SIMULATE_METRICS_H

#include <stdint.h>

#include "base/base.h"

/* ---------------------------------------------------------------- histograms */

typedef struct hist hist;

#define HIST_DEFAULT_BITS    7
#define HIST_DEFAULT_HIGHEST ((int64_t)1 << 42) /* ns: ~73 minutes */

/* A new, empty histogram. precision_bits in 1..12; highest: the largest value recorded
 * exactly in its bucket (larger values count in the top bucket, and still set max).
 * NULL when out of memory or the arguments are out of range. Free with hist_free. */
hist *hist_new(unsigned precision_bits, int64_t highest);
void hist_free(hist *h);

/* A copy of h; NULL when out of memory. */
hist *hist_clone(const hist *h);

/* Empties h, keeping its layout. */
void hist_reset(hist *h);

/* Records one value (negative values count as 0). */
void hist_record(hist *h, int64_t value);

/* Records `weight` (> 0) occurrences of value. */
void hist_record_n(hist *h, int64_t value, double weight);

/* Adds src's counts into dst. BASE_EINTERNAL if their layouts differ. */
int hist_merge(hist *dst, const hist *src);

double hist_count(const hist *h);
double hist_mean(const hist *h); /* 0 when empty */
int64_t hist_min(const hist *h); /* 0 when empty */
int64_t hist_max(const hist *h); /* 0 when empty */

/* The q-th percentile (q in [0, 100]): the midpoint of the bucket where the cumulative count
 * first reaches q/100 of the total (with whole counts: the sample of rank ⌈q/100 · count⌉),
 * clamped to [min, max]; q = 0 gives min and q = 100 gives max. 0 when empty. */
int64_t hist_percentile(const hist *h, double q);

/* out[k] = hist_percentile(h, q[k]) for k < n, q in increasing order, in one walk over the
 * buckets (a series row's three percentiles). */
void hist_percentiles(const hist *h, const double *q, size_t n, int64_t *out);

/* 1 when the q-th percentile lies beyond the histogram's range: in its top bucket while values
 * above `highest` were recorded (they all count there) — the percentile is then known only to
 * be at least hist_highest(h), and hist_percentile's midpoint is not it. 0 for q >= 100 (the
 * max is exact) and for an empty histogram. */
int hist_beyond(const hist *h, double q);

/* The `highest` the histogram was made with, ns (the lower bound of a percentile beyond it). */
int64_t hist_highest(const hist *h);

/* The lower edge of the bucket that holds `value`: the nearest value at or below it at which
 * hist_count_at_or_above is exact. */
int64_t hist_bucket_floor(const hist *h, int64_t value);

/* The (weighted) count of recorded values >= floor, exact when floor is a bucket edge
 * (hist_bucket_floor); otherwise counts the whole bucket holding floor. */
double hist_count_at_or_above(const hist *h, int64_t floor);

/* Upper bound of the relative error of hist_percentile for values below `highest`. */
double hist_relative_error(const hist *h);

/* Visits the non-empty buckets in increasing order: lo..hi inclusive, and the count. */
typedef void (*hist_visit_fn)(void *ctx, int64_t lo, int64_t hi, double count);
void hist_foreach(const hist *h, hist_visit_fn fn, void *ctx);

/* The histogram as bytes appended to *out (its non-empty buckets only), for another process of
 * the same build (an MPI rank: same layout, same byte order); hist_unpack makes the identical
 * histogram from them, reading from *p and moving it past them. NULL: bytes that are not one. */
void hist_pack(const hist *h, base_buf *out);
hist *hist_unpack(const char **p, const char *end);

/* ---------------------------------------------------------------- time series */

/*
 * A table of figures sampled at a fixed resolution: one row per interval, a fixed set of named
 * columns (gauges read at the interval's end, or counts over the interval — the caller's
 * choice, documented by the caller). Rows grow by doubling; no allocation per sample otherwise.
 */
typedef struct ser_table ser_table;

/* columns: names (borrowed; must outlive the table). NULL when out of memory. */
ser_table *ser_new(int64_t resolution_ns, size_t ncols, const char *const *names);
void ser_free(ser_table *t);

/* How a column folds when rows are merged (ser_set_max_rows): the first row's value (a time,
 * a level read at the interval's start), the mean (a rate over the interval: intervals of
 * equal length), the last (a gauge read at the interval's end), the largest (a percentile of
 * the interval: an upper bound of the merged interval's). */
typedef enum ser_fold { SER_FIRST = 0, SER_MEAN, SER_LAST, SER_MAX } ser_fold;

/* Bounds the table to max_rows rows (even, >= 2): when an append would pass it, every two rows
 * fold into one by `how` and the resolution doubles; rows appended
 * after that, at the original resolution, fold as they come until one spans the new
 * resolution. Memory then stays under max_rows rows whatever the length of the run, and a table
 * that never reaches max_rows is exactly what it was without a bound. `how` (ncols entries) is
 * copied. Call before the first append. BASE_ENOMEM when out of memory. */
int ser_set_max_rows(ser_table *t, size_t max_rows, const ser_fold *how);

/* Appends one row of ncols values. BASE_ENOMEM when it cannot grow (the row is dropped). */
int ser_append(ser_table *t, const double *row);

/* A bounded table's partly folded last row, if any, as a row of its own (shorter than the
 * resolution: rates stay rates, gauges their last reading). Call once all rows are in. */
int ser_flush(ser_table *t);

/* How many original rows each row now stands for (1 until the table first folds). */
size_t ser_fold_factor(const ser_table *t);

size_t ser_rows(const ser_table *t);
size_t ser_cols(const ser_table *t);
int64_t ser_resolution(const ser_table *t);
const char *ser_name(const ser_table *t, size_t col);
double ser_get(const ser_table *t, size_t row, size_t col);

/* The same for a finished table (its rows, resolution and fold factor; not a bound table's
 * pending row: ser_flush first). names as for ser_new. */
void ser_pack(const ser_table *t, base_buf *out);
ser_table *ser_unpack(const char **p, const char *end, const char *const *names);

/* ---------------------------------------------------------------- objectives */

/*
 * Objectives written as k6 writes thresholds ("p(99) < 300ms", "error_rate < 0.1%"): a metric,
 * a comparison and a value with its unit. Metrics:
 *   p(N)              API latency percentile N (ms; a duration: 300ms, 1.5s)
 *   p_all(N)          latency percentile N of all requests, CloudFront hits included
 *   error_rate        failed requests, percent of requests (0.1%)
 *   throughput        served requests per second (100/s)
 *   monthly_cost      US dollars a month ($5000, 5000)
 *   cost_per_million  US dollars per million requests ($2.50)
 *   rto, rpo          recovery time and point (durations; evaluated when failures exist)
 *   rto_latency       recovery time until the API's p99 is back too (a duration)
 * An objective is met when the mean across replications satisfies it.
 */
typedef enum slo_metric {
    SLO_P = 0, SLO_P_ALL, SLO_ERROR_RATE, SLO_THROUGHPUT, SLO_MONTHLY_COST, SLO_COST_PER_MILLION,
    SLO_RTO, SLO_RPO, SLO_RTO_LATENCY, SLO_NMETRICS
} slo_metric;

typedef enum slo_op { SLO_LT = 0, SLO_LE, SLO_GT, SLO_GE } slo_op;

typedef struct slo {
    char text[64];     /* as written */
    slo_metric metric;
    double percentile; /* p(N), p_all(N) */
    slo_op op;
    double value;      /* in the metric's report unit: ms, %, req/s, USD, s */
} slo;

/* Parses one objective. BASE_EINPUT with a message naming what is wrong (no position). */
int slo_parse(const char *text, slo *out, base_err *err);

/* Whether `measured` (in the metric's report unit) meets the objective. */
int slo_met(const slo *o, double measured);

/* The metric's name as written ("p(99)", "error_rate") into buf. */
const char *slo_metric_name(const slo *o, char *buf, size_t len);

/* The unit of the metric's value: "ms", "%", "req/s", "USD" or "s". */
const char *slo_unit(const slo *o);

/* ---------------------------------------------------------------- across replications */

/* Mean and confidence interval of one figure over n independent replications:
 * x̄ ± t_{(1+level)/2, n−1} · s/√n (Law, Simulation Modeling and Analysis, 5th ed., ch. 9). */
typedef struct stat_ci {
    double mean;
    double half; /* half-width; NaN when n < 2 */
    double sd;   /* sample standard deviation; NaN when n < 2 */
    int n;
} stat_ci;

/* The confidence level of every interval simulate reports (figures, objectives, paired
 * differences, the gate): one place, so report.json's confidence_level cannot disagree with
 * the intervals it labels. 95%, as Law (5th ed., §9.4) uses throughout. */
#define STAT_CONFIDENCE 0.95

/* level: e.g. STAT_CONFIDENCE. x: n values (n >= 1). */
stat_ci stat_mean_ci(const double *x, int n, double level);

/* ---------------------------------------------------------------- figures by id */

/* The summary's figures that other modules name (judging, compare's table, the gate, the
 * terminal summary), by typed id: a misspelt id does not compile, where a misspelt string
 * silently found no figure. fig_key gives the figure's key in the summary and report.json
 * (docs/report.md). The engine adds many more figures than these; a figure nobody outside
 * the engine looks up needs no id. */
typedef enum fig_id {
    FIG_REQUESTS,
    FIG_THROUGHPUT,
    FIG_ERROR_RATE,
    FIG_LATENCY_P99,
    FIG_API_LATENCY_P50,
    FIG_API_LATENCY_P95,
    FIG_API_LATENCY_P99,
    FIG_PEAK_PODS_READY,
    FIG_PEAK_NODES,
    FIG_DATABASE_UTILISATION,
    FIG_AURORA_ACU_MEAN,
    FIG_RTO,
    FIG_RTO_LATENCY,
    FIG_RPO,
    FIG_OUTAGE_FAILED,
    FIG_MONTHLY_COST,
    FIG_COST_PER_MILLION,
    FIG_NIDS
} fig_id;

/* "requests", "monthly_cost", ...; "?" for an id out of range. */
const char *fig_key(fig_id id);

#endif
