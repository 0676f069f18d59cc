/*
 * summary.c — runs the replications of a scenario and turns what each measured into figures
 * with 95% confidence intervals across replications (Law 2015, ch. 9). A percentile's interval is
 * over the replications' own percentiles, each read from that replication's histogram; the
 * pooled histogram (all replications merged) is kept for the report's distribution.
 *
 * Figure keys are the report's vocabulary (docs/report.md): stable, snake_case, units apart.
 */
#include "engine/internal.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task/task.h"

void eng_summary_clear(eng_summary *sum)
{
    if (sum->reps)
        for (int i = 0; i < sum->replications; i++)
            eng_rep_clear(&sum->reps[i]);
    free(sum->reps);
    hist_free(sum->latency_pooled);
    ser_free(sum->series_mean);
    for (size_t i = 0; i < sum->nfigures; i++)
        free(sum->figures[i].values);
    memset(sum, 0, sizeof *sum);
}

const eng_figure *eng_summary_figure(const eng_summary *sum, const char *key)
{
    for (size_t i = 0; i < sum->nfigures; i++)
        if (strcmp(sum->figures[i].key, key) == 0)
            return &sum->figures[i];
    return NULL;
}

static double total(const double *x, int n)
{
    double t = 0;
    for (int i = 0; i < n; i++)
        t += x[i];
    return t;
}

typedef double (*rep_value_fn)(const eng_rep *r, const void *arg);

static int add_figure(eng_summary *sum, const char *key, const char *unit, rep_value_fn fn,
                      const void *arg)
{
    if (sum->nfigures >= ENG_MAX_FIGURES)
        return BASE_EINTERNAL;
    int n = sum->replications;
    double *v = base_malloc((size_t)n * sizeof *v);
    if (!v)
        return BASE_ENOMEM;
    for (int i = 0; i < n; i++)
        v[i] = fn(&sum->reps[i], arg);
    eng_figure *f = &sum->figures[sum->nfigures++];
    snprintf(f->key, sizeof f->key, "%s", key);
    snprintf(f->unit, sizeof f->unit, "%s", unit);
    f->values = v;
    f->ci = stat_mean_ci(v, n, STAT_CONFIDENCE);
    return BASE_OK;
}

static double f_copy(const eng_rep *r, const void *a)
{
    const double *v = a;
    return v[r->replication];
}

int eng_summary_add_figure(eng_summary *sum, const char *key, const char *unit,
                           const double *values)
{
    /* replication numbers are 0..n-1 in order: index the caller's values by them */
    return add_figure(sum, key, unit, f_copy, values);
}

/* A figure that is one double of the replication's record as it stands: the argument points to
 * the field's offset in eng_rep (FIELD). One reader for a dozen figures that are a field each. */
static double f_field(const eng_rep *r, const void *a)
{
    return *(const double *)(const void *)((const char *)r + *(const size_t *)a);
}
/* The offset of eng_rep's double `m`, for f_field; _Generic refuses to compile a field of another
 * type, which f_field would read wrongly. */
#define FIELD(m)                                                                                   \
    (&(const size_t){offsetof(eng_rep, m) + 0 * _Generic(((eng_rep *)0)->m, double : 0)})

static double f_requests(const eng_rep *r, const void *a)
{
    (void)a;
    return total(r->arrivals, MDL_NCLASS);
}
static double f_served(const eng_rep *r, const void *a)
{
    (void)a;
    return total(r->served, MDL_NCLASS);
}
/* Requests answered within the window over its length: a backlog of arrivals answered after
 * the window ends (a queue draining for hours) is not throughput of the window (issue 13). */
static double f_throughput(const eng_rep *r, const void *a)
{
    (void)a;
    return r->window > 0 ? r->served_in_window / r->window : 0;
}
static double f_errors(const eng_rep *r, const void *a)
{
    (void)a;
    return total(r->errors, MDL_NCAUSE);
}
static double f_error_rate(const eng_rep *r, const void *a)
{
    (void)a;
    double n = total(r->arrivals, MDL_NCLASS);
    return n > 0 ? 100.0 * total(r->errors, MDL_NCAUSE) / n : 0;
}
static double f_cause(const eng_rep *r, const void *a)
{
    return r->errors[*(const int *)a];
}
/* A percentile in ms; beyond the histogram's range, its lower bound (eng_figure.beyond). */
static double percentile_ms(const hist *h, double q)
{
    return (double)(hist_beyond(h, q) ? hist_highest(h) : hist_percentile(h, q)) / 1e6;
}
static double f_latency(const eng_rep *r, const void *a)
{
    return percentile_ms(r->latency, *(const double *)a);
}
static double f_api_latency(const eng_rep *r, const void *a)
{
    return percentile_ms(r->api_latency, *(const double *)a);
}

/* Flags the figure just added when its percentile is beyond the range in any replication. */
static void flag_beyond(eng_summary *sum, int api, double q)
{
    eng_figure *f = &sum->figures[sum->nfigures - 1];
    for (int i = 0; i < sum->replications; i++)
        f->beyond |= hist_beyond(api ? sum->reps[i].api_latency : sum->reps[i].latency, q);
}
static double f_latency_mean(const eng_rep *r, const void *a)
{
    (void)a;
    return hist_mean(r->latency) / 1e6;
}
static double f_wait_mean(const eng_rep *r, const void *a)
{
    (void)a;
    return hist_mean(r->pod_wait) / 1e6;
}
/* P(wait > 0) at the pods, %: the share of API requests a worker did not take at once (Erlang
 * C for M/M/c; tests/test_queueing.c). A wait of 1 ns or more counts: the histogram keeps 0 and
 * 1 ns apart. */
static double f_wait_share(const eng_rep *r, const void *a)
{
    (void)a;
    double n = hist_count(r->pod_wait);
    return n > 0 ? 100.0 * hist_count_at_or_above(r->pod_wait, 1) / n : 0;
}
static double f_peak_pods(const eng_rep *r, const void *a)
{
    (void)a;
    return r->peak_pods;
}
static double f_peak_nodes(const eng_rep *r, const void *a)
{
    (void)a;
    return r->peak_nodes;
}
static double f_peak_pool_vcpu(const eng_rep *r, const void *a)
{
    return r->peak_pool_vcpu[*(const size_t *)a];
}
static double f_peak_nodes_by(const eng_rep *r, const void *a)
{
    int k = *(const int *)a;
    return r->peak_nodes_by[k / 2][k % 2];
}
/* The writer's mean capacity: readers follow it, so ACU-seconds split evenly among instances
 * (with reader scaling, the readers' mean count: their instance-seconds over the run's). */
static double f_acu(const eng_rep *r, const void *a)
{
    const mdl_scenario *s = a;
    double inst = 1.0 + s->db.aurora_readers;
    if (mdl_db_scaling(&s->db) && r->usage.seconds > 0)
        inst = 1.0 + r->usage.db_replica_seconds / r->usage.seconds;
    return r->usage.seconds > 0 ? r->usage.acu_seconds / r->usage.seconds / inst : 0;
}
static double f_dr_step(const eng_rep *r, const void *a)
{
    return r->dr_step_s[*(const int *)a];
}

/* 100 when alarm *a fired in the replication, else 0: the mean is the share of replications */
static double f_alarm(const eng_rep *r, const void *a)
{
    return r->alarm_first_s[*(const size_t *)a] >= 0 ? 100.0 : 0.0;
}
static double f_db_util(const eng_rep *r, const void *a)
{
    (void)a;
    return 100.0 * r->db_utilisation;
}

/* A latency percentile reported: its figure's key and q (100: the maximum). */
typedef struct latency_q {
    const char *key;
    double q;
} latency_q;

static const latency_q percentiles[] = {
    {"latency_p50", 50},    {"latency_p95", 95},  {"latency_p99", 99},
    {"latency_p999", 99.9}, {"latency_max", 100},
};

static const latency_q api_percentiles[] = {
    {"api_latency_p50", 50},    {"api_latency_p95", 95},  {"api_latency_p99", 99},
    {"api_latency_p999", 99.9}, {"api_latency_max", 100},
};

/* The n figures of table t, of all requests' latency (api 0) or the API's (api 1), each flagged
 * when beyond the histograms' range. */
static int add_percentiles(eng_summary *sum, const latency_q *t, size_t n, int api)
{
    int st = 0;
    for (size_t i = 0; i < n && !st; i++) {
        st = add_figure(sum, t[i].key, "ms", api ? f_api_latency : f_latency, &t[i].q);
        if (!st)
            flag_beyond(sum, api, t[i].q);
    }
    return st;
}

static const int cause_ids[MDL_NCAUSE] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

static int summarise(eng_summary *sum)
{
    int st = add_figure(sum, "requests", "requests", f_requests, NULL);
    st = st ? st : add_figure(sum, "served", "requests", f_served, NULL);
    st = st ? st : add_figure(sum, "throughput", "req/s", f_throughput, NULL);
    st = st ? st : add_figure(sum, "errors", "requests", f_errors, NULL);
    st = st ? st : add_figure(sum, "error_rate", "%", f_error_rate, NULL);
    for (int c = 0; c < MDL_NCAUSE && !st; c++) {
        char key[64];
        snprintf(key, sizeof key, "errors_%s", mdl_cause_name((mdl_cause)c));
        st = add_figure(sum, key, "requests", f_cause, &cause_ids[c]);
    }
    st = st ? st : add_percentiles(sum, percentiles, sizeof percentiles / sizeof percentiles[0], 0);
    st = st ? st : add_figure(sum, "latency_mean", "ms", f_latency_mean, NULL);
    st = st ? st
            : add_percentiles(sum, api_percentiles,
                              sizeof api_percentiles / sizeof api_percentiles[0], 1);
    st = st ? st : add_figure(sum, "pod_wait_mean", "ms", f_wait_mean, NULL);
    st = st ? st : add_figure(sum, "pod_wait_share", "%", f_wait_share, NULL);
    st = st ? st : add_figure(sum, "pods_in_system", "requests", f_field, FIELD(pods_in_system));
    if (!st && sum->scenario->db.enabled)
        st = add_figure(sum, "database_utilisation", "%", f_db_util, NULL);
    for (size_t i = 0; !st && i < sum->scenario->nevents; i++) {
        mdl_event_type t = sum->scenario->events[i].type;
        if (t == MDL_EVENT_DB_FAILOVER && !eng_summary_figure(sum, "database_failover"))
            st = add_figure(sum, "database_failover", "s", f_field, FIELD(db_failover_s));
        if (t == MDL_EVENT_CACHE_FAILOVER && !eng_summary_figure(sum, "cache_failover"))
            st = add_figure(sum, "cache_failover", "s", f_field, FIELD(cache_failover_s));
    }
    if (!st && sum->scenario->db.enabled && sum->scenario->db.engine == MDL_DB_AURORA)
        st = add_figure(sum, "aurora_acu_mean", "ACU", f_acu, sum->scenario);
    st = st ? st : add_figure(sum, "peak_pods_ready", "pods", f_peak_pods, NULL);
    st = st ? st : add_figure(sum, "pods_created", "pods", f_field, FIELD(pods_created));
    if (!st && sum->scenario->cluster.enabled) {
        static const int by[4] = {0, 1, 2, 3}; /* [capacity][arch]: spot/od × amd64/arm64 */
        static const char *const names[4] = {"peak_nodes_spot_amd64", "peak_nodes_spot_arm64",
                                             "peak_nodes_on_demand_amd64",
                                             "peak_nodes_on_demand_arm64"};
        st = add_figure(sum, "peak_nodes", "nodes", f_peak_nodes, NULL);
        for (int i = 0; i < 4 && !st; i++)
            st = add_figure(sum, names[i], "nodes", f_peak_nodes_by, &by[i]);
        /* a NodePool with a CPU limit: its nodes' most vCPUs, which the limit caps (emit's
         * check reads it, also from a stored run) */
        static const size_t pool_ids[MDL_MAX_POOLS] = {0, 1, 2, 3, 4, 5, 6, 7};
        const mdl_cluster_config *cc = &sum->scenario->cluster;
        for (size_t k = 0; k < cc->npools && k < MDL_MAX_POOLS && !st; k++) {
            char key[64];
            snprintf(key, sizeof key, "peak_vcpu_%s", cc->pools[k].name);
            if (cc->pools[k].limit_cpu_set)
                st = add_figure(sum, key, "vCPUs", f_peak_pool_vcpu, &pool_ids[k]);
        }
        st = st ? st : add_figure(sum, "nodes_launched", "nodes", f_field, FIELD(nodes_launched));
        st = st ? st
                : add_figure(sum, "spot_interruptions", "notices", f_field,
                             FIELD(spot_interruptions));
    }
    if (!st && sum->scenario->schedule.enabled)
        st = add_figure(sum, "refused_while_stopped", "requests", f_field, FIELD(refused_stopped));
    /* a failure the seed's HA table names: recovery measured (its first) */
    const mdl_event *fault = mdl_first_failure(sum->scenario);
    bool failure = fault != NULL, region = false;
    for (size_t i = 0; i < sum->scenario->nevents; i++)
        region |= sum->scenario->events[i].type == MDL_EVENT_REGION_FAILURE;
    if (!st && failure) {
        st = add_figure(sum, "rto", "s", f_field, FIELD(rto_s));
        st = st ? st : add_figure(sum, "rto_latency", "s", f_field, FIELD(rto_latency_s));
        st = st ? st : add_figure(sum, "rpo", "s", f_field, FIELD(rpo_s));
        st = st ? st : add_figure(sum, "lost_writes", "requests", f_field, FIELD(lost_writes));
        st = st ? st : add_figure(sum, "first_served", "s", f_field, FIELD(first_served_s));
        st = st ? st : add_figure(sum, "outage_failed", "requests", f_field, FIELD(outage_failed));
    }
    static const int dr_idx[ENG_DR_STEPS] = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int k = 0; region && !st && k < ENG_DR_STEPS; k++)
        st = add_figure(sum, eng_dr_step_keys[k], "s", f_dr_step, &dr_idx[k]);
    static const size_t idx[MDL_MAX_ALARMS] = {0, 1, 2,  3,  4,  5,  6,  7,
                                               8, 9, 10, 11, 12, 13, 14, 15};
    for (size_t a = 0; !st && a < sum->scenario->nalarms; a++) {
        char key[64];
        snprintf(key, sizeof key, "alarm_fired_%s", sum->scenario->alarms[a].name);
        st = add_figure(sum, key, "%", f_alarm, &idx[a]);
    }
    return st;
}

/* The replications' series averaged row by row (each has the same rows: the same scenario,
 * the same resolution; the shortest bounds them all), over the replications that have a value. */
static int mean_series(eng_summary *sum)
{
    const ser_table *t0 = sum->reps[0].series;
    if (!t0)
        return BASE_OK;
    size_t nrows = ser_rows(t0), ncols = ser_cols(t0);
    for (int r = 1; r < sum->replications; r++)
        if (sum->reps[r].series && ser_rows(sum->reps[r].series) < nrows)
            nrows = ser_rows(sum->reps[r].series);
    /* the columns are eng_series_names (static: ser_new keeps the pointer) */
    double *row = base_malloc(ncols * sizeof *row);
    ser_table *m = row ? ser_new(ser_resolution(t0), ncols, eng_series_names) : NULL;
    int st = m ? BASE_OK : BASE_ENOMEM;
    for (size_t i = 0; st == BASE_OK && i < nrows; i++) {
        for (size_t c = 0; c < ncols; c++) {
            /* a cell a replication has no value for (NaN: a latency in an interval in which it
             * answered no API request) is left out of the mean; NaN when no replication has one */
            double v = 0;
            int have = 0;
            for (int r = 0; r < sum->replications; r++) {
                double x = ser_get(sum->reps[r].series, i, c);
                if (!isnan(x))
                    v += x, have++;
            }
            row[c] = have ? v / have : NAN;
        }
        st = ser_append(m, row);
    }
    free(row);
    if (st != BASE_OK) {
        ser_free(m);
        return st;
    }
    sum->series_mean = m;
    return BASE_OK;
}

int eng_summary_start(const mdl_scenario *s, eng_summary *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    if (s->replications < 1 || s->replications > ENG_MAX_REPLICATIONS)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "replications must be 1 to %d",
                            ENG_MAX_REPLICATIONS);
    out->scenario = s;
    out->replications = s->replications;
    out->engine = eng_engine_name(s);
    out->reps = base_calloc((size_t)s->replications, sizeof *out->reps);
    out->latency_pooled = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST);
    if (!out->reps || !out->latency_pooled) {
        eng_summary_clear(out);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return BASE_OK;
}

int eng_summary_end(eng_summary *out, base_err *err)
{
    for (int i = 0; i < out->replications; i++) {
        hist_merge(out->latency_pooled, out->reps[i].latency);
        out->events += out->reps[i].events;
    }
    if (summarise(out) != BASE_OK || mean_series(out) != BASE_OK) {
        eng_summary_clear(out);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return BASE_OK;
}

double eng_rep_cost(const mdl_scenario *s)
{
    eng_projection p;
    base_err e;
    return eng_project(s, 1, &p, &e) == BASE_OK ? p.events : 1;
}

/* One run's replications as a task list (src/task/): each writes only its own slot reps[i],
 * so the results, merged in index order afterwards, are the same whatever ran them where. */
typedef struct work {
    const mdl_scenario *s;
    eng_summary *out;
    int done;
    eng_progress_fn progress;
    void *ctx;
    eng_live *live;
} work;

static int run_rep(void *ctx, size_t i, base_err *err)
{
    work *w = ctx;
    int st = eng__run_live(w->s, (uint32_t)i, &w->out->reps[i], w->live, err);
    if (st != BASE_OK && w->live)
        atomic_store(&w->live->failed, 1);
    return st;
}

/* Called one at a time as each replication's result is here (task_done_fn). */
static void rep_done(void *ctx, size_t i)
{
    work *w = ctx;
    w->done++;
    if (w->live) { /* counted whole from now on: no longer "running" */
        atomic_store(&w->live->now_ns[i % ENG_MAX_REPLICATIONS], 0);
        atomic_store(&w->live->done, w->done);
    }
    if (w->progress)
        w->progress(w->ctx, &w->out->reps[i], w->done, w->s->replications);
}

static int pack_rep(void *ctx, size_t i, base_buf *out, base_err *err)
{
    return eng_rep_pack(&((work *)ctx)->out->reps[i], out, err);
}

static int unpack_rep(void *ctx, size_t i, const char *p, size_t n, base_err *err)
{
    return eng_rep_unpack(p, n, &((work *)ctx)->out->reps[i], err);
}

static void drop_rep(void *ctx, size_t i)
{
    eng_rep_clear(&((work *)ctx)->out->reps[i]);
}

int eng_run(const mdl_scenario *s, int jobs, eng_progress_fn progress, void *ctx, eng_live *live,
            eng_summary *out, base_err *err)
{
    int st = eng_summary_start(s, out, err);
    if (st != BASE_OK)
        return st;
    work w = {.s = s, .out = out, .progress = progress, .ctx = ctx, .live = live};
    /* the replications of one scenario cost alike: no estimate, index order */
    task_list l = {.n = (size_t)s->replications,
                   .run = run_rep,
                   .pack = pack_rep,
                   .unpack = unpack_rep,
                   .drop = drop_rep,
                   .done = rep_done,
                   .ctx = &w};
    st = task_run(&l, jobs, err);
    if (st != BASE_OK || !task_root()) {
        eng_summary_clear(out);
        return st;
    }
    return eng_summary_end(out, err);
}
