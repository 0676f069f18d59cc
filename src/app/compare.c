/*
 * compare.c — variants side by side, on the same random traffic (`simulate compare`).
 *
 * Every variant runs with the same seed and the same replications, so replication i of each
 * sees the same arrivals and the same per-request demands (common random numbers: Law 2015,
 * §11.2). A difference is then judged replication by replication: the interval is over the
 * paired differences, far tighter than the two variants' own intervals would suggest.
 *
 * With a sweep, every variant runs at each load point (its phases scaled so that their peak is
 * the point); app_crossover says where one variant becomes cheaper than another — linearly
 * interpolated between the two points that bracket the change.
 *
 * Each variant is run as a plain run prices and judges it (app_add_costs, app_judge): one
 * path from run to verdict, not a second copy of it.
 */
#include "app/app.h"
#include "app/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "store/store.h"
#include "task/task.h"

/* The figures of the side-by-side table, in order. */
const app_compare_row app_compare_rows[] = {
    {"requests", "requests"},
    {"throughput", "throughput (req/s)"},
    {"error_rate", "errors (%)"},
    {"api_latency_p50", "API latency p50 (ms)"},
    {"api_latency_p95", "API latency p95 (ms)"},
    {"api_latency_p99", "API latency p99 (ms)"},
    {"latency_p99", "latency p99, all (ms)"},
    {"api_latency_p99_us", "API p99, US users (ms)"}, /* regions: (regions.c) */
    {"api_latency_p99_emea", "API p99, EMEA users (ms)"},
    {"write_latency_p50_emea", "EMEA write p50 (ms)"},
    {"error_rate_emea", "errors, EMEA users (%)"},
    {"peak_pods_ready", "API pods (peak)"},
    {"peak_pods_eu_west_1", "  of them eu-west-1's"},
    {"peak_nodes", "nodes (peak)"},
    {"database_utilisation", "database CPU (%)"},
    {"aurora_acu_mean", "Aurora ACUs (writer, mean)"},
    {"rto", "RTO (s)"},
    {"rto_latency", "RTO, latency back (s)"},
    {"rpo", "RPO (s)"},
    {"replica_lag_eu_west_1", "eu-west-1's copy: lag (s)"},
    {"outage_failed", "requests failed meanwhile"},
    {"monthly_cost", "monthly cost ($)"},
    {"cost_nodes", "  EC2 nodes ($)"},
    {"cost_database", "  database ($)"},
    {"cost_dr", "  DR region ($)"},
    {"cost_eu_west_1", "  eu-west-1's lines ($)"},
    {"cost_inter_region", "  inter-region transfer ($)"},
    {"cost_per_million", "cost per 1M requests ($)"},
};
const size_t app_compare_nrows = sizeof app_compare_rows / sizeof app_compare_rows[0];

/* A month mix would run other scenarios per variant and per sweep point: the variants are
 * compared on their own windows; say so rather than price something else. */
static int no_mix(const mdl_scenario *s, base_err *err)
{
    if (s->month.nmix > 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "simulate compare does not run month mixes (month.mix): compare "
                            "the scenarios' windows, or run the mix with simulate");
    return BASE_OK;
}

/* Prices and judges one variant's run, as a plain run does. */
static int price_judge(app_variant_run *res, base_err *err)
{
    res->ran = 1;
    int st = app_add_costs(&res->sum, NULL, 0, NULL, err);
    if (st == BASE_OK)
        st = app_judge(&res->sum, res->v, &res->nv, err);
    return st;
}

int app_all_met(const app_variant_run *r)
{
    return app_failed(r->v, r->nv) == 0;
}

stat_ci app_paired(const eng_figure *a, const eng_figure *b, int n)
{
    double *d = base_malloc((size_t)(n > 0 ? n : 1) * sizeof *d);
    if (!d)
        return (stat_ci){NAN, NAN, NAN, n};
    for (int i = 0; i < n; i++)
        d[i] = b->values[i] - a->values[i];
    stat_ci c = stat_mean_ci(d, n, STAT_CONFIDENCE);
    free(d);
    return c;
}

static double mean_or_nan(const eng_figure *f)
{
    return f ? f->ci.mean : NAN;
}

/* A daily profile's month for variant i at point p: the same variant run at the off-peak load
 * (same seed: replication j of both saw the same random numbers), and each replication's
 * month taken as peak_hours/24 of the peak run's plus the rest of the off-peak run's — both
 * priced for the same month, so the mix is a month of such days. */
static int daily_mix(const app_compare_result *res, const app_variant_run *peak_run,
                     const app_variant_run *off, app_sweep_point *p, size_t i, base_err *err)
{
    p->cost_daily[i] = p->cost_daily_half[i] = NAN;
    const eng_figure *c = app_figure(&peak_run->sum, FIG_MONTHLY_COST);
    const eng_figure *o = app_figure(&off->sum, FIG_MONTHLY_COST);
    if (!c || !o)
        return BASE_OK; /* no pricing file: no cost to mix */
    int n = peak_run->sum.replications;
    double *d = base_malloc((size_t)(n > 0 ? n : 1) * sizeof *d);
    if (!d)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    double w = res->peak_hours / 24;
    for (int j = 0; j < n; j++)
        d[j] = w * c->values[j] + (1 - w) * o->values[j];
    stat_ci ci = stat_mean_ci(d, n, STAT_CONFIDENCE);
    p->cost_daily[i] = ci.mean;
    p->cost_daily_half[i] = ci.half;
    free(d);
    return BASE_OK;
}

/* Variant i's figures at sweep point p, from its run r. */
static void point_figures(app_sweep_point *p, size_t i, const app_variant_run *r)
{
    const eng_figure *c = app_figure(&r->sum, FIG_MONTHLY_COST);
    p->db_cost[i] = mean_or_nan(eng_summary_figure(&r->sum, cost_part_key(COST_PART_DATABASE)));
    p->db_util[i] = mean_or_nan(app_figure(&r->sum, FIG_DATABASE_UTILISATION));
    p->cost[i] = mean_or_nan(c);
    p->cost_half[i] = c ? c->ci.half : NAN;
    p->priced = p->priced && c;
    p->p99[i] = mean_or_nan(app_figure(&r->sum, FIG_API_LATENCY_P99));
    p->err[i] = mean_or_nan(app_figure(&r->sum, FIG_ERROR_RATE));
    p->met[i] = app_all_met(r);
}

/* Every variant, then every variant at each sweep point (and, for a daily profile, at the
 * point's off-peak load too), as one batch of replications (schedule.c); then each priced and
 * judged, and the points' figures kept (their runs freed: a sweep keeps numbers, not
 * summaries). */
static int run_all(app_compare_result *r, const scn_variant *v, size_t n, int npts, int jobs,
                   base_err *err)
{
    size_t np = (size_t)npts * n, noff = r->daily ? np : 0, nb = n + np + noff;
    mdl_scenario *ps = base_malloc((np + noff ? np + noff : 1) * sizeof *ps);
    app_variant_run *pr = base_calloc(np + noff ? np + noff : 1, sizeof *pr);
    app__batch_run *b = base_malloc(nb * sizeof *b);
    int st = ps && pr && b ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; st == BASE_OK && i < n; i++) {
        st = no_mix(&v[i].s, err);
        b[i] = (app__batch_run){&v[i].s, &r->runs[i].sum};
    }
    for (int k = 0; st == BASE_OK && k < npts; k++) {
        r->pts[k].load = r->sweep_from + (r->sweep_to - r->sweep_from) * k / (npts - 1);
        for (size_t i = 0; i < n; i++) {
            /* the point's run at its load, then (daily) its off-peak run, np places later */
            for (size_t off = 0; off <= (r->daily ? 1u : 0u); off++) {
                size_t at = off * np + (size_t)k * n + i;
                double load = r->pts[k].load * (off ? r->off_peak : 1);
                ps[at] = v[i].s;
                double peak = mdl_traffic_peak(&ps[at].traffic);
                if (peak > 0)
                    mdl_traffic_scale(&ps[at].traffic, load / peak);
                b[n + at] = (app__batch_run){&ps[at], &pr[at].sum};
            }
        }
    }
    if (st == BASE_OK)
        st = app__run_batch(b, nb, jobs, err);
    if (st == BASE_OK && !task_root()) { /* rank 0 has the results */
        r->remote = 1;
    } else if (st == BASE_OK) {
        for (size_t i = 0; i < n; i++) /* every run holds a summary from here on */
            r->runs[i].ran = 1;
        for (size_t i = 0; st == BASE_OK && i < n; i++)
            st = price_judge(&r->runs[i], err);
        for (int k = 0; k < npts; k++) {
            r->pts[k].priced = 1;
            for (size_t i = 0; i < n; i++) {
                app_variant_run *x = &pr[(size_t)k * n + i];
                app_variant_run *y = r->daily ? &pr[np + (size_t)k * n + i] : NULL;
                r->pts[k].cost_daily[i] = r->pts[k].cost_daily_half[i] = NAN;
                int s2 = st == BASE_OK ? price_judge(x, err) : st;
                if (s2 == BASE_OK && y)
                    s2 = price_judge(y, err);
                if (s2 == BASE_OK)
                    point_figures(&r->pts[k], i, x);
                if (s2 == BASE_OK && y)
                    s2 = daily_mix(r, x, y, &r->pts[k], i, err);
                st = s2;
                eng_summary_clear(&x->sum);
                if (y)
                    eng_summary_clear(&y->sum);
            }
        }
    }
    free(ps);
    free(pr);
    free(b);
    return st;
}

double app_crossover(const app_sweep_point *pts, int npts, size_t i, size_t j, int *at)
{
    for (int k = 1; k < npts; k++) {
        double d0 = pts[k - 1].cost[i] - pts[k - 1].cost[j], d1 = pts[k].cost[i] - pts[k].cost[j];
        if ((d0 < 0) != (d1 < 0) && d0 != d1) {
            *at = k;
            return pts[k - 1].load + (pts[k].load - pts[k - 1].load) * (0 - d0) / (d1 - d0);
        }
    }
    *at = -1;
    return NAN;
}

int app_cheapest_met(const app_sweep_point *p, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++)
        if (p->met[i] && (best < 0 || p->cost[i] < p->cost[best]))
            best = (int)i;
    return best;
}

/* The variants: one file's `variants:` (and sweep), or one variant per file. */
static int load_variants(const app_compare_opts *o, scn_variant **out, size_t *n, base_err *err)
{
    if (o->nfiles == 1) {
        int st = scn_load_variants(o->files[0], out, n, err);
        return st == BASE_EIO ? BASE_EINPUT : st; /* a missing file is the user's input */
    }
    scn_variant *v = base_calloc((size_t)o->nfiles, sizeof *v);
    int st = v ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (int i = 0; st == BASE_OK && i < o->nfiles; i++) {
        scn_variant *one = NULL;
        size_t k = 0;
        st = scn_load_variants(o->files[i], &one, &k, err);
        if (st == BASE_OK && k != 1)
            st = base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                              "has variants: compare it on its own");
        if (st == BASE_OK)
            v[i] = one[0];
        free(one);
    }
    if (st != BASE_OK) {
        free(v);
        return st == BASE_EIO ? BASE_EINPUT : st;
    }
    *out = v;
    *n = (size_t)o->nfiles;
    return BASE_OK;
}

/* Records the comparison in the results store, so `simulate history` lists it and `simulate
 * plot RUN` draws it again: a run named "compare: A vs B ...", whose report is compare.json
 * and whose figures are the first variant's (the baseline the differences are taken from). */
static int record(const app_compare_opts *o, app_compare_result *r, const scn_variant *v,
                  const char *text, double t0, base_err *err)
{
    char name[MDL_NAME_MAX], path[4096];
    scn_doc *doc = NULL; /* the first file's text, hashed as a run's scenario is */
    int rc = scn_doc_load(o->files[0], &doc, err);
    if (rc != BASE_OK)
        return rc;
    int at = snprintf(name, sizeof name, "compare: %s", r->runs[0].name);
    for (size_t i = 1; i < r->n && at > 0 && (size_t)at < sizeof name; i++)
        at += snprintf(name + at, sizeof name - (size_t)at, " vs %s", r->runs[i].name);
    app_store_path(o->db, o->output, path, sizeof path);
    store *st = NULL;
    rc = store_open(path, &st, err);
    if (rc != BASE_OK) {
        scn_doc_free(doc);
        return rc;
    }
    store_run run = {.scenario_name = name,
                     .scenario_file = o->files[0],
                     .scenario_text = scn_doc_sources(doc, NULL),
                     .version = SIMULATE_VERSION,
                     .seed = r->seed,
                     .replications = r->replications,
                     .fidelity = mdl_fidelity_name(v[0].s.fidelity),
                     .engine = "compare",
                     .output_dir = r->dir};
    rc = store_begin(st, &run, &r->run_id, err);
    for (int i = 0; rc == BASE_OK && i < r->runs[0].sum.replications; i++)
        rc = store_add_replication(st, r->run_id, &r->runs[0].sum.reps[i], err);
    if (rc == BASE_OK)
        rc = store_finish(st, r->run_id, &r->runs[0].sum, text, app__now_s() - t0, err);
    store_close(st);
    scn_doc_free(doc);
    return rc;
}

/* compare.json, its charts and pack into the output folder, and the store's record. */
static int write_outputs(const app_compare_opts *o, app_compare_result *r, const scn_variant *v,
                         double t0, base_err *err)
{
    if (o->output)
        snprintf(r->dir, sizeof r->dir, "%s", o->output);
    else
        snprintf(r->dir, sizeof r->dir, "out/compare-%s", v[0].s.name);
    snprintf(r->path, sizeof r->path, "%s/compare.json", r->dir);
    snprintf(r->pack, sizeof r->pack, "%s/review.pdf", r->dir);
    r->doc = app_compare_doc(r);
    char *text = r->doc ? json_dumps(r->doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
    int st = text ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == BASE_OK)
        st = base_mkdir_p(r->dir, err);
    if (st == BASE_OK)
        st = base_write_file_atomic(r->path, text, strlen(text), err);
    if (st == BASE_OK)
        st = app_write_charts(r->doc, r->dir, err);
    if (st == BASE_OK)
        st = record(o, r, v, text, t0, err);
    free(text);
    /* past the runs, a failure is an output's (or memory's), never the input's */
    return st == BASE_EINPUT ? BASE_EIO : st;
}

int app_compare(const app_compare_opts *o, app_compare_result *r, base_err *err)
{
    memset(r, 0, sizeof *r);
    double t0 = app__now_s();
    scn_variant *v = NULL;
    size_t n = 0;
    int st = load_variants(o, &v, &n, err);
    if (st != BASE_OK)
        return st;
    if (n < 2 && !v[0].s.sweep.set) {
        free(v);
        return base_err_set(err, BASE_EINPUT, o->files[0], 0, 0,
                            "needs two variants or more (files, or `variants:` in one file)");
    }
    /* one seed, one number of replications: the pairs must line up */
    for (size_t i = 0; i < n; i++) {
        v[i].s.seed = o->has_seed ? o->seed : v[0].s.seed;
        v[i].s.replications = o->replications ? o->replications : v[0].s.replications;
    }
    int jobs = o->jobs ? o->jobs : app_default_jobs();
    r->n = n;
    r->seed = v[0].s.seed;
    r->replications = v[0].s.replications;
    r->by_rate = v[0].s.traffic.by_rate;
    r->sweep_from = v[0].s.sweep.from;
    r->sweep_to = v[0].s.sweep.to;
    r->daily = (o->profile > 0 ? o->profile - 1 : v[0].s.sweep.profile) == MDL_SWEEP_DAILY;
    r->peak_hours = v[0].s.sweep.peak_hours;
    r->off_peak = v[0].s.sweep.off_peak;
    int npts = v[0].s.sweep.set ? v[0].s.sweep.steps : 0;
    r->runs = base_calloc(n, sizeof *r->runs);
    r->pts = npts > 0 ? base_calloc((size_t)npts, sizeof *r->pts) : NULL;
    r->npts = npts;
    if (!r->runs || (npts > 0 && !r->pts))
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n && st == BASE_OK; i++)
        snprintf(r->runs[i].name, sizeof r->runs[i].name, "%s", v[i].name);
    if (st == BASE_OK)
        st = run_all(r, v, n, npts, jobs, err);
    if (st == BASE_OK && r->remote) { /* an MPI rank other than 0: nothing to write */
        app_compare_clear(r);
        r->remote = 1;
        free(v);
        return BASE_OK;
    }
    r->variants = v;
    if (st == BASE_OK)
        st = write_outputs(o, r, v, t0, err);
    if (st != BASE_OK)
        app_compare_clear(r);
    return st;
}

void app_compare_clear(app_compare_result *r)
{
    for (size_t i = 0; r->runs && i < r->n; i++)
        if (r->runs[i].ran)
            eng_summary_clear(&r->runs[i].sum);
    free(r->runs);
    free(r->pts);
    free(r->variants);
    json_decref(r->doc);
    memset(r, 0, sizeof *r);
}
