/*
 * data.c — reading what the charts need out of report.json and compare.json.
 *
 * The document may come from an older or newer simulate: a column or a figure that is absent
 * is simply not drawn, a null cell is a gap (NaN), and only a document that has nothing to
 * draw from is an error. The series is copied into column-major doubles once, so each chart
 * walks a contiguous array instead of 8,640 JSON rows per line.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number of the document as report.json holds it. The file's reals have 10 significant digits
 * (JSON_REAL_PRECISION(10), src/report/report.c), while a run draws its charts from the document
 * in memory, with every digit: a value rounded the way the file rounds it (printed with %.10g,
 * as jansson does, and read back with strtod, as jansson does) is the same in both, so the
 * run's latency.png and `simulate plot report.json`'s are the same bytes. A value read from the
 * file is unchanged by it. */
static double ten_digits(double v)
{
    /* The fast way, exact: n = v·10^k rounded to a whole number of 10 digits (k from v's
     * decade), in long double, whose 64-bit mantissa leaves an error far under 10^-6 of a unit
     * for |n| < 10^10; then n / 10^k (or n · 10^-k) in double, one IEEE operation on two exact
     * operands (10^k is exact in a double up to 10^22), correctly rounded as strtod rounds the
     * decimal n·10^-k. Near a tie, or outside those decades, the slow way: print and read
     * back. The fast way spares a day's series (8,640 rows × 40 columns) a second of printf. */
    double a = fabs(v);
    if (a > 0) {
        int e = (int)floor(log10(a));
        int k = 9 - e;
        if (k >= -22 && k <= 22) {
            long double p = 1;
            for (int i = 0; i < (k < 0 ? -k : k); i++)
                p *= 10;
            long double x = k >= 0 ? (long double)a * p : (long double)a / p;
            long double n = floorl(x + 0.5L);
            long double off = fabsl(x - floorl(x) - 0.5L);
            if (n >= 1e9L && n < 1e10L && off > 1e-6L) {
                double r = k >= 0 ? (double)n / (double)p : (double)n * (double)p;
                return v < 0 ? -r : r;
            }
        }
    }
    char s[40];
    snprintf(s, sizeof s, "%.10g", v);
    return strtod(s, NULL);
}

double pl_num(const json_t *j)
{
    if (json_is_integer(j))
        return (double)json_integer_value(j);
    if (!json_is_real(j))
        return NAN;
    double v = json_real_value(j);
    return isfinite(v) && v != 0 ? ten_digits(v) : v;
}

const char *pl_str(const json_t *j, const char *fallback)
{
    return json_is_string(j) ? json_string_value(j) : fallback;
}

const char *pl_assumption(const json_t *doc, const char *key)
{
    const json_t *as = json_object_get(doc, "assumptions");
    for (size_t i = 0; i < json_array_size(as); i++) {
        const json_t *a = json_array_get(as, i);
        if (strcmp(pl_str(json_object_get(a, "key"), ""), key) == 0)
            return pl_str(json_object_get(a, "value"), NULL);
    }
    return NULL;
}

plot_doc_kind plot_doc_kind_of(const json_t *doc)
{
    if (!json_is_object(doc))
        return PLOT_DOC_UNKNOWN;
    if (json_is_array(json_object_get(doc, "variants")))
        return PLOT_DOC_COMPARE;
    if (json_is_array(json_object_get(doc, "knobs")) &&
        json_is_object(json_object_get(doc, "search")))
        return PLOT_DOC_PLAN;
    if (json_is_object(json_object_get(doc, "figures")) ||
        json_is_object(json_object_get(doc, "series")))
        return PLOT_DOC_REPORT;
    return PLOT_DOC_UNKNOWN;
}

int pl_doc_kind(const json_t *doc, plot_doc_kind *kind, base_err *err)
{
    *kind = plot_doc_kind_of(doc);
    if (*kind == PLOT_DOC_UNKNOWN)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "not a report.json or compare.json (no `figures`, `series` or "
                            "`variants`)");
    return BASE_OK;
}

int pl_has_series(const json_t *doc)
{
    const json_t *s = json_object_get(doc, "series");
    const json_t *cols = json_object_get(s, "columns");
    const json_t *rows = json_object_get(s, "rows");
    return json_is_array(cols) && json_array_size(cols) > 0 && json_is_array(rows) &&
           json_array_size(rows) > 0;
}

void pl_series_free(pl_series *s)
{
    if (s->borrowed) { /* the set's: plot_set_bind frees it */
        memset(s, 0, sizeof *s);
        return;
    }
    free(s->names);
    free(s->v);
    free(s->x_rate);
    free(s->x_gauge);
    memset(s, 0, sizeof *s);
}

/* pl_series_load in three parts, so that the rows can be parsed on several threads
 * (plot_set_bind_rows): the checks and the memory, the rows, then the time axis. */
static int series_begin(const json_t *doc, const char *chart, pl_series *s, base_err *err)
{
    memset(s, 0, sizeof *s);
    const json_t *ser = json_object_get(doc, "series");
    if (!json_is_object(ser))
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the report has no time series (`series`), which chart '%s' draws "
                            "from",
                            chart);
    const json_t *cols = json_object_get(ser, "columns");
    const json_t *rows = json_object_get(ser, "rows");
    if (!json_is_array(cols) || !json_is_array(rows))
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the report's `series` lacks `columns` or `rows` (chart '%s')", chart);
    size_t nc = json_array_size(cols), nr = json_array_size(rows);
    if (nc == 0 || nr == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the report's time series is empty (chart '%s')", chart);
    s->ncols = nc;
    s->nrows = nr;
    s->names = calloc(nc, sizeof *s->names);
    s->v = malloc(nc * nr * sizeof *s->v);
    s->x_rate = malloc(nr * sizeof *s->x_rate);
    s->x_gauge = malloc(nr * sizeof *s->x_gauge);
    if (!s->names || !s->v || !s->x_rate || !s->x_gauge) {
        pl_series_free(s);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory reading the series");
    }
    for (size_t c = 0; c < nc; c++)
        s->names[c] = pl_str(json_array_get(cols, c), "");
    return BASE_OK;
}

/* Rows [from, to) of doc's series into s, which series_begin made for doc. Writes only those
 * rows' cells: disjoint ranges may be parsed at once. */
static void series_rows(const json_t *doc, pl_series *s, size_t from, size_t to)
{
    const json_t *rows = json_object_get(json_object_get(doc, "series"), "rows");
    size_t nc = s->ncols, nr = s->nrows;
    for (size_t r = from; r < to && r < nr; r++) {
        const json_t *row = json_array_get(rows, r);
        size_t have = json_is_array(row) ? json_array_size(row) : 0;
        for (size_t c = 0; c < nc; c++)
            s->v[c * nr + r] = c < have ? pl_num(json_array_get(row, c)) : NAN;
    }
}

static int series_end(const json_t *doc, const char *chart, pl_series *s, base_err *err)
{
    size_t nr = s->nrows;
    const json_t *ser = json_object_get(doc, "series");
    const double *t = pl_col(s, "time_s");
    if (!t) {
        pl_series_free(s);
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the report's time series has no `time_s` column (chart '%s')", chart);
    }
    s->dt = pl_num(json_object_get(ser, "interval_s"));
    if (!(s->dt > 0)) /* an older report: infer it from the first two rows */
        s->dt = nr > 1 && t[1] > t[0] ? t[1] - t[0] : 0;
    /* time_s is the start of each row's interval: a rate covers the whole interval (drawn at
     * its middle), a gauge was read at its end */
    double last = 0;
    for (size_t r = 0; r < nr; r++) {
        s->x_rate[r] = t[r] + s->dt / 2;
        s->x_gauge[r] = t[r] + s->dt;
        if (isfinite(t[r]) && t[r] + s->dt > last)
            last = t[r] + s->dt;
    }
    const json_t *scn = json_object_get(doc, "scenario");
    double dur = pl_num(json_object_get(scn, "duration_s"));
    s->t_end = dur > 0 && dur >= last * 0.5 ? fmax(dur, last) : last;
    double w = pl_num(json_object_get(scn, "warmup_s"));
    s->warmup = w > 0 ? w : 0;
    return BASE_OK;
}

int pl_series_load(const json_t *doc, const char *chart, pl_series *s, base_err *err)
{
    int st = series_begin(doc, chart, s, err);
    if (st != BASE_OK)
        return st;
    series_rows(doc, s, 0, s->nrows);
    return series_end(doc, chart, s, err);
}

void plot_set_bind(plot_set *set, const json_t *doc)
{
    size_t rows = plot_set_bind_begin(set, doc);
    plot_set_bind_rows(set, 0, rows);
    plot_set_bind_end(set);
}

size_t plot_set_bind_begin(plot_set *set, const json_t *doc)
{
    if (!set)
        return 0;
    pl_series_free(&set->series);
    set->bound = set->binding = NULL;
    base_err e;
    base_err_clear(&e);
    if (!doc || series_begin(doc, "", &set->series, &e) != BASE_OK)
        return 0;
    set->binding = doc;
    return set->series.nrows;
}

void plot_set_bind_rows(plot_set *set, size_t from, size_t to)
{
    if (set && set->binding)
        series_rows(set->binding, &set->series, from, to);
}

void plot_set_bind_end(plot_set *set)
{
    if (!set || !set->binding)
        return;
    base_err e;
    base_err_clear(&e);
    if (series_end(set->binding, "", &set->series, &e) == BASE_OK)
        set->bound = set->binding;
    set->binding = NULL;
}

int pl_series_get(const plot_set *set, const json_t *doc, const char *chart, pl_series *s,
                  base_err *err)
{
    if (set && doc && set->bound == doc) {
        *s = set->series;
        s->borrowed = 1;
        return BASE_OK;
    }
    return pl_series_load(doc, chart, s, err);
}

const double *pl_col(const pl_series *s, const char *name)
{
    for (size_t c = 0; c < s->ncols; c++)
        if (strcmp(s->names[c], name) == 0)
            return s->v + c * s->nrows;
    return NULL;
}

int pl_col_nonzero(const pl_series *s, const double *col)
{
    if (!col)
        return 0;
    for (size_t r = 0; r < s->nrows; r++)
        if (isfinite(col[r]) && col[r] != 0)
            return 1;
    return 0;
}

int pl_fig_get(const json_t *figures, const char *key, pl_fig *f)
{
    const json_t *o = json_object_get(figures, key);
    f->mean = pl_num(json_object_get(o, "mean"));
    f->half = pl_num(json_object_get(o, "ci95_half_width"));
    f->unit = pl_str(json_object_get(o, "unit"), "");
    return isfinite(f->mean);
}

void pl_doc_name(const json_t *doc, char *buf, size_t n)
{
    const json_t *scn = json_object_get(doc, "scenario");
    const char *name = pl_str(json_object_get(scn, "name"), NULL);
    if (!name)
        name = pl_str(scn, NULL); /* a comparison may name its scenario as a plain string */
    if (!name)
        name = pl_str(json_object_get(doc, "name"), NULL);
    if (name && *name) {
        snprintf(buf, n, "%s", name);
        return;
    }
    const json_t *vars = json_object_get(doc, "variants");
    if (json_is_array(vars) && json_array_size(vars) > 0) {
        size_t len = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < json_array_size(vars) && len < n; i++) {
            const char *v = pl_str(json_object_get(json_array_get(vars, i), "name"), "?");
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " vs " : "", v);
        }
        return;
    }
    snprintf(buf, n, "simulate");
}

const char *pl_label(const pl_word *words, size_t n, const char *key, const char *fallback)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(words[i].key, key) == 0)
            return words[i].label;
    return fallback;
}

const char *pl_cost_label(const char *key)
{
    /* labels for the components docs/cost-model.md prices, the words the run's summary uses
     * (cli_cost_parts in src/cli/judge.c), so text, charts and the pack name them alike; a
     * component added later still shows, under its key */
    static const pl_word known[] = {
        {"cost_eks", "EKS control plane"},
        {"cost_nodes", "EC2 nodes"},
        {"cost_alb", "load balancer"},
        {"cost_cloudfront", "CloudFront"},
        {"cost_s3", "S3"},
        {"cost_nat", "NAT gateways"},
        {"cost_database", "database"},
        {"cost_cache", "ElastiCache"},
        {"cost_transfer", "data transfer"},
        {"cost_other", "Secrets, DNS, alarms"},
        {"cost_dr", "DR region (standby)"},
    };
    return pl_label(known, sizeof known / sizeof known[0], key,
                    strncmp(key, "cost_", 5) == 0 ? key + 5 : key);
}

/* Largest first; ties by key, so the order is total (qsort is not stable). */
static int cmp_part_desc(const void *a, const void *b)
{
    const pl_cost_part *x = a, *y = b;
    if (x->fig.mean != y->fig.mean)
        return x->fig.mean < y->fig.mean ? 1 : -1;
    return strcmp(x->key, y->key);
}

size_t pl_cost_parts(const json_t *figures, pl_cost_part *parts, size_t max)
{
    size_t n = 0;
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)figures, key, val)
    {
        /* not components: the cost per million requests, and two regions' "of which" figures
         * (eu-west-1's lines, the inter-region transfer: already in the components' sum) */
        if (strncmp(key, "cost_", 5) != 0 || strcmp(key, "cost_per_million") == 0 ||
            strcmp(key, "cost_eu_west_1") == 0 || strcmp(key, "cost_inter_region") == 0)
            continue;
        if (n >= max)
            break;
        pl_cost_part *p = &parts[n];
        if (!pl_fig_get(figures, key, &p->fig))
            continue;
        p->key = key;
        p->label = pl_cost_label(key);
        n++;
    }
    if (n > 0)
        qsort(parts, n, sizeof parts[0], cmp_part_desc);
    return n;
}

pl_fig pl_cost_total(const json_t *figures, const pl_cost_part *parts, size_t n)
{
    pl_fig total;
    if (!pl_fig_get(figures, "monthly_cost", &total)) {
        total.mean = 0;
        total.half = NAN;
        for (size_t i = 0; i < n; i++)
            total.mean += parts[i].fig.mean;
    }
    return total;
}

void pl_figure_label(const char *key, char *buf, size_t n)
{
    static const pl_word known[] = {
        {"requests", "requests"},
        {"served", "served"},
        {"throughput", "throughput"},
        {"errors", "failed requests"},
        {"error_rate", "error rate"},
        {"pod_wait_mean", "wait for a worker (mean)"},
        {"pods_in_system", "requests at the pods"},
        {"database_utilisation", "database CPU utilisation"},
        {"aurora_acu_mean", "Aurora capacity (mean)"},
        {"peak_pods_ready", "peak pods Ready"},
        {"pods_created", "pods created"},
        {"peak_nodes", "peak nodes"},
        {"nodes_launched", "nodes launched"},
        {"spot_interruptions", "Spot interruptions"},
        {"monthly_cost", "monthly cost"},
        {"cost_per_million", "cost per million requests"},
    };
    const char *label = pl_label(known, sizeof known / sizeof known[0], key, NULL);
    if (label) {
        snprintf(buf, n, "%s", label);
        return;
    }
    if (strncmp(key, "api_latency_", 12) == 0)
        snprintf(buf, n, "API latency %s", key + 12);
    else if (strncmp(key, "latency_", 8) == 0)
        snprintf(buf, n, "latency %s (all requests)", key + 8);
    else if (strncmp(key, "cost_", 5) == 0)
        snprintf(buf, n, "cost: %s", pl_cost_label(key));
    else
        snprintf(buf, n, "%s", key);
    /* a key nobody labelled yet still reads as words */
    for (char *q = buf; *q; q++)
        if (*q == '_')
            *q = ' ';
}
