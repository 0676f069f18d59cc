/*
 * record.c — what a replication leaves behind besides its histograms: the time series (one row
 * per `series_interval`) and the metered usage the cost model prices.
 *
 * Series columns are rates over the interval just ended (per second), the API latency
 * percentiles of the requests answered in it, and gauges read at its end (pods, nodes, the HPA's
 * last utilisation, the node fleet's On-Demand-equivalent cost rate). Peaks (pods, nodes) are
 * read at the same instants, so a peak shorter than an interval can be missed.
 */
#include "engine/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    C_TIME,
    C_USERS,
    C_ARRIVALS,
    C_SERVED,
    C_ERRORS,
    C_E0, /* C_E0 .. C_E0 + MDL_NCAUSE - 1 */
    C_P50 = C_E0 + MDL_NCAUSE,
    C_P95,
    C_P99,
    C_DESIRED,
    C_READY,
    C_STARTING,
    C_PENDING,
    C_TERMINATING,
    C_ROUTABLE,
    C_SPOT_ARM,
    C_SPOT_X86,
    C_OD_ARM,
    C_OD_X86,
    C_LAUNCHING,
    C_SYSTEM,
    C_HPA_CPU,
    C_HPA_MEM,
    C_DB,
    C_DB_CONNS,
    C_ACU,
    C_COST,
    C_WRITES,
    C_REPLICA_LAG,
    C_DB_REPLICAS, /* without replica scaling or a NodePool CPU limit a run leaves it out */
    C_NODES_VCPU,  /* the last of a run's: only with a NodePool CPU limit (record_init): the
                    * vCPUs of the nodes of the pools that have one, launching included */
    C_RUN,         /* a run's columns end here (record_init) */
    /* two active regions (geo.c): eu-west-1's run's columns of eu_cols below, beside
     * us-east-1's unsuffixed ones in the replication's series (eng__series_two_regions) */
    C_EU = C_RUN,
    C_COUNT = C_EU + 20
};

/* The columns of eu-west-1's run a two-region series keeps, as `NAME_eu_west_1` (in this order
 * in eng_series_names): the load, its answers and failures (no target: its users' requests
 * between its loss and Route 53's move), latency, pods and nodes, the HPA's and the
 * database's utilisation (its replica or Aurora secondary), connections, ACUs, the fleet's
 * cost rate and the writes it served. */
static const int eu_cols[] = {
    C_USERS,    C_ARRIVALS, C_SERVED, C_ERRORS,  C_E0 + MDL_ERR_NO_TARGET,
    C_P50,      C_P95,      C_P99,    C_DESIRED, C_READY,
    C_SPOT_ARM, C_SPOT_X86, C_OD_ARM, C_OD_X86,  C_HPA_CPU,
    C_DB,       C_DB_CONNS, C_ACU,    C_COST,    C_WRITES,
};
_Static_assert(sizeof eu_cols / sizeof eu_cols[0] == C_COUNT - C_EU, "eu-west-1's columns");

const char *const eng_series_names[] = {
    "time_s",
    "users",
    "arrivals_per_s",
    "served_per_s",
    "errors_per_s",
    "errors_backlog_full_per_s",
    "errors_worker_timeout_per_s",
    "errors_alb_timeout_per_s",
    "errors_no_target_per_s",
    "errors_pod_terminated_per_s",
    "errors_oom_killed_per_s",
    "errors_target_down_per_s",
    "errors_db_connections_per_s",
    "errors_pool_timeout_per_s",
    "errors_client_refused_per_s",
    "errors_db_failover_per_s",
    "api_latency_p50_ms",
    "api_latency_p95_ms",
    "api_latency_p99_ms",
    "pods_desired",
    "pods_ready",
    "pods_starting",
    "pods_pending",
    "pods_terminating",
    "pods_routable",
    "nodes_spot_arm64",
    "nodes_spot_amd64",
    "nodes_on_demand_arm64",
    "nodes_on_demand_amd64",
    "nodes_launching",
    "nodes_system",
    "hpa_cpu_utilisation_pct",
    "hpa_memory_utilisation_pct",
    "database_utilisation_pct",
    "database_connections",
    "aurora_acu",
    "nodes_cost_usd_per_hour",
    "api_writes_per_s",
    "replica_lag_s",
    "db_replicas",
    "nodes_vcpu",
    "users_eu_west_1",
    "arrivals_per_s_eu_west_1",
    "served_per_s_eu_west_1",
    "errors_per_s_eu_west_1",
    "errors_no_target_per_s_eu_west_1",
    "api_latency_p50_ms_eu_west_1",
    "api_latency_p95_ms_eu_west_1",
    "api_latency_p99_ms_eu_west_1",
    "pods_desired_eu_west_1",
    "pods_ready_eu_west_1",
    "nodes_spot_arm64_eu_west_1",
    "nodes_spot_amd64_eu_west_1",
    "nodes_on_demand_arm64_eu_west_1",
    "nodes_on_demand_amd64_eu_west_1",
    "hpa_cpu_utilisation_pct_eu_west_1",
    "database_utilisation_pct_eu_west_1",
    "database_connections_eu_west_1",
    "aurora_acu_eu_west_1",
    "nodes_cost_usd_per_hour_eu_west_1",
    "api_writes_per_s_eu_west_1",
};
const size_t eng_series_count = C_COUNT;

_Static_assert(sizeof eng_series_names / sizeof eng_series_names[0] == C_COUNT,
               "a name for every series column");

/* How each column folds when a long run's series is decimated (ser_set_max_rows): the time and
 * the users at the interval's start, rates (and the database's busy share) as means, the
 * latency percentiles as the worse interval's (an upper bound; an interval with none answered,
 * NaN, does not count), gauges as the later reading. */
static ser_fold column_fold(int c)
{
    if (c >= C_EU)
        c = eu_cols[c - C_EU];
    if (c == C_TIME || c == C_USERS)
        return SER_FIRST;
    if ((c >= C_ARRIVALS && c < C_P50) || c == C_DB)
        return SER_MEAN;
    if (c >= C_P50 && c <= C_P99)
        return SER_MAX;
    return SER_LAST;
}

int eng__record_init(eng__run *r, base_err *err)
{
    r->iv_latency = hist_new(5, HIST_DEFAULT_HIGHEST); /* 1.6%: enough for a chart */
    /* the replicas in service only when replica scaling moves them, Karpenter's vCPUs only when
     * a NodePool's limits cap them (the charts' vCPU panel): the series of every other run keep
     * their columns (and their reports their bytes) */
    size_t ncols = mdl_nodepools_cpu_limit(&r->s->cluster) >= 0 ? C_RUN
                   : mdl_db_scaling(&r->s->db)                  ? C_NODES_VCPU
                                                                : C_DB_REPLICAS;
    r->series = ser_new(r->s->series_resolution, ncols, eng_series_names);
    ser_fold how[C_COUNT];
    for (int c = 0; c < C_COUNT; c++)
        how[c] = column_fold(c);
    if (!r->iv_latency || !r->series ||
        ser_set_max_rows(r->series, ENG_SERIES_MAX_ROWS, how) != BASE_OK)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    return BASE_OK;
}

/* A lost region's columns that have no value from its loss (docs/multi-region.md, "Both
 * regions in the series"): the gauges of its cluster and database — pods, nodes, the HPA's and
 * the database's utilisation, connections, ACUs, the replicas' lag and count — and its latency.
 * Its run keeps them going, idle, because the bill keeps them (its nodes' cost rate stays, as
 * the bill's lines do), but nothing there serves or can be seen: Ready pods at the HPA's
 * minimum after the loss read as capacity that is not there, and a fall to 0 as a scale-in
 * the bill does not show. Its rates stay (what arrived and failed: its users until Route 53
 * moved them), and its users. */
static bool lost_column(int c)
{
    return (c >= C_P50 && c <= C_HPA_MEM) || c == C_DB || c == C_DB_CONNS || c == C_ACU ||
           c == C_REPLICA_LAG || c == C_DB_REPLICAS;
}

int eng__series_two_regions(const ser_table *us, const ser_table *eu, const double *lost_us,
                            const double *lost_eu, sim_time lose_us, sim_time lose_eu,
                            ser_table **out)
{
    *out = NULL;
    if (!us || !eu)
        return BASE_OK;
    size_t nrows = ser_rows(us) < ser_rows(eu) ? ser_rows(us) : ser_rows(eu);
    ser_table *t = ser_new(ser_resolution(us), C_COUNT, eng_series_names);
    if (!t)
        return BASE_ENOMEM;
    for (size_t i = 0; i < nrows; i++) {
        double row[C_COUNT];
        for (int c = 0; c < C_RUN; c++) /* db_replicas: no value unless its run had it */
            row[c] = (size_t)c < ser_cols(us) ? ser_get(us, i, (size_t)c) : NAN;
        for (int c = C_EU; c < C_COUNT; c++)
            row[c] = ser_get(eu, i, (size_t)eu_cols[c - C_EU]);
        /* a row is from the loss on when its interval starts at or after it (a gauge read at the
         * loss itself is the last of the region) */
        sim_time t0 = (sim_time)i * ser_resolution(us);
        for (int c = 0; c < C_RUN && lose_us > 0 && t0 >= lose_us; c++)
            if (lost_column(c))
                row[c] = NAN;
        for (int c = C_EU; c < C_COUNT && lose_eu > 0 && t0 >= lose_eu; c++)
            if (lost_column(eu_cols[c - C_EU]))
                row[c] = NAN;
        /* a region's users whose requests failed between its loss and Route 53's move: they
         * arrived there and failed (no target: nothing answers them) */
        double lu = lost_us ? lost_us[i] : 0, le = lost_eu ? lost_eu[i] : 0;
        row[C_ARRIVALS] += lu;
        row[C_ERRORS] += lu;
        row[C_E0 + MDL_ERR_NO_TARGET] += lu;
        row[C_EU + 1] += le; /* arrivals_per_s_eu_west_1, errors_.., errors_no_target_.. */
        row[C_EU + 3] += le;
        row[C_EU + 4] += le;
        if (ser_append(t, row) != BASE_OK) {
            ser_free(t);
            return BASE_ENOMEM;
        }
    }
    *out = t;
    return BASE_OK;
}

void eng__meter_node(eng__run *r, const eng__node *n, sim_time from, sim_time to)
{
    if (to > r->end)
        to = r->end;
    if (to <= from)
        return;
    r->out->usage.node_seconds[n->type][n->capacity == MDL_CAP_SPOT ? 0 : 1] +=
        sim_to_sec(to - from);
}

static void on_tick(void *ctx, void *arg);

void eng__record_start(eng__run *r)
{
    sim_schedule(r->k, r->s->series_resolution, on_tick, r, NULL);
}

/* The nodes at a tick: Karpenter's by capacity type and architecture, the vCPUs of each pool
 * (and of the pools with a CPU limit, the column the limit caps). */
typedef struct node_tally {
    int karp, by[2][2], vcpu_by_pool[MDL_MAX_POOLS];
} node_tally;

/* The row's node columns and the tally; returns the nodes' price an hour (USD). */
static double nodes_row(const eng__run *r, double *row, node_tally *nt)
{
    const mdl_scenario *s = r->s;
    double cost = 0;
    for (size_t i = 0; i < r->nnodes; i++) {
        const eng__node *n = r->nodes[i];
        if (n->state == N_GONE)
            continue;
        const cost_instance_type *t = &s->cluster.catalog.types[n->type];
        cost += (double)mdl_instance_price(t, n->capacity) / 1e6;
        if (n->system) {
            row[C_SYSTEM] += 1;
            continue;
        }
        nt->karp++;
        if (n->pool >= 0 && n->pool < MDL_MAX_POOLS) {
            nt->vcpu_by_pool[n->pool] += t->vcpu;
            if (s->cluster.pools[n->pool].limit_cpu_set) /* what the limits cap */
                row[C_NODES_VCPU] += t->vcpu;
        }
        int spot = n->capacity == MDL_CAP_SPOT, arm = t->arch == MDL_ARCH_ARM64;
        nt->by[spot ? 0 : 1][arm] += 1;
        if (n->state == N_LAUNCHING)
            row[C_LAUNCHING] += 1;
        row[spot ? (arm ? C_SPOT_ARM : C_SPOT_X86) : (arm ? C_OD_ARM : C_OD_X86)] += 1;
    }
    return cost;
}

/* The replication's peaks, read at the same instants as the series' rows. */
static void note_peaks(eng_rep *o, const double *row, const node_tally *nt)
{
    if ((int)row[C_READY] > o->peak_pods)
        o->peak_pods = (int)row[C_READY];
    if (nt->karp > o->peak_nodes)
        o->peak_nodes = nt->karp;
    for (int c = 0; c < 2; c++)
        for (int a = 0; a < 2; a++)
            if (nt->by[c][a] > o->peak_nodes_by[c][a])
                o->peak_nodes_by[c][a] = nt->by[c][a];
    for (int k = 0; k < MDL_MAX_POOLS; k++)
        if (nt->vcpu_by_pool[k] > o->peak_pool_vcpu[k])
            o->peak_pool_vcpu[k] = nt->vcpu_by_pool[k];
}

static void on_tick(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    sim_time now = sim_now(r->k);
    double dt = sim_to_sec(s->series_resolution);
    double row[C_COUNT];
    memset(row, 0, sizeof row);
    row[C_TIME] = sim_to_sec(now - s->series_resolution);
    row[C_USERS] = mdl_traffic_users(&s->traffic, now - s->series_resolution);
    row[C_ARRIVALS] = r->iv_arrivals / dt;
    row[C_SERVED] = r->iv_served / dt;
    double errs = 0;
    for (int c = 0; c < MDL_NCAUSE; c++) {
        row[C_E0 + c] = r->iv_errors[c] / dt;
        errs += r->iv_errors[c];
    }
    row[C_ERRORS] = errs / dt;
    /* a latency of no requests is undefined, not 0 ms: an interval in which no API request was
     * answered (an outage) writes NaN — null in report.json, a gap in the charts */
    static const double qs[] = {50, 95, 99};
    int64_t ps[3];
    bool answered = hist_count(r->iv_latency) > 0;
    hist_percentiles(r->iv_latency, qs, 3, ps);
    row[C_P50] = answered ? (double)ps[0] / 1e6 : NAN;
    row[C_P95] = answered ? (double)ps[1] / 1e6 : NAN;
    row[C_P99] = answered ? (double)ps[2] / 1e6 : NAN;
    row[C_DESIRED] = ctl_desired(r->ctl);
    for (size_t i = 0; i < r->npods; i++) {
        const eng__pod *p = r->pods[i];
        row[C_READY] += p->state == P_READY;
        row[C_STARTING] += p->state == P_STARTING || p->state == P_RUNNING || p->state == P_BOUND ||
                           p->state == P_CRASHED;
        row[C_PENDING] += p->state == P_PENDING;
        row[C_TERMINATING] += p->state == P_TERMINATING;
    }
    row[C_ROUTABLE] = (double)r->nroutes;
    node_tally nt = {0};
    double cost = nodes_row(r, row, &nt);
    row[C_HPA_CPU] = ctl_hpa_trace(r->ctl)->cpu_utilisation;
    row[C_HPA_MEM] = ctl_hpa_trace(r->ctl)->memory_utilisation;
    eng__account(r);
    row[C_DB] = r->db ? 100.0 * r->iv_db_area / ((double)s->series_resolution * s->db.servers) : 0;
    if (r->data->ndbis > 0) {
        eng__db_iv(r, &row[C_DB]);
        row[C_DB_CONNS] = r->pgb->conns;
        row[C_ACU] = r->data->dbis[0].acu;
    }
    row[C_COST] = cost;
    row[C_WRITES] = r->iv_writes / dt;
    row[C_REPLICA_LAG] = eng__dr_replica_lag(r->dr, now); /* before the counts restart */
    row[C_DB_REPLICAS] = r->data->ndbis > 0 ? eng__db_readers(r) : 0;
    if (ser_append(r->series, row) != BASE_OK) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    eng_rep *o = r->out;
    note_peaks(o, row, &nt);
    eng__chain_tick(r, now, dt); /* the ALB's LCU meter */
    /* the next interval */
    r->iv_arrivals = r->iv_served = r->iv_writes = 0;
    memset(r->iv_errors, 0, sizeof r->iv_errors);
    r->iv_db_area = 0;
    hist_reset(r->iv_latency);
    if (r->live) { /* for the progress line: relaxed, a reader only needs to see it soon */
        unsigned long long ev = sim_events_run(r->k);
        atomic_store_explicit(&r->live->now_ns[o->replication % ENG_MAX_REPLICATIONS],
                              (long long)now, memory_order_relaxed);
        atomic_fetch_add_explicit(&r->live->events, ev - r->live_events, memory_order_relaxed);
        r->live_events = ev;
    }
    if (now + s->series_resolution <= r->end)
        sim_schedule(r->k, s->series_resolution, on_tick, r, NULL);
}

void eng__note_recovery(eng__run *r, sim_time arrived, sim_time done)
{
    /* failures are in time order: a request that arrived after one arrived after those before */
    eng_rep *o = r->out;
    double t = sim_to_sec(arrived);
    while (r->first_open < o->nfaults && o->faults[r->first_open].at_s <= t) {
        eng_fault *f = &o->faults[r->first_open++];
        f->first_served_s = sim_to_sec(done) - f->at_s;
    }
}

/* The API writes committed in [at − rpo, at): the series' write rate over those rows. The row
 * that holds the failure mixes the writes before it with none after, so the row before stands
 * for it; before the run's start, the first row's rate (the load the scenario opens with, as if
 * it had held before). */
static double writes_before(const ser_table *series, double at, double rpo, double dt)
{
    size_t n = ser_rows(series);
    if (n == 0 || !(rpo > 0))
        return 0;
    double from = at - rpo, sum = 0;
    long last = (long)floor(at / dt);
    for (long i = (long)floor(from / dt); i <= last; i++) {
        double lo = fmax(from, (double)i * dt), hi = fmin(at, (double)(i + 1) * dt);
        if (hi <= lo)
            continue;
        long row = i == last ? i - 1 : i;
        row = row < 0 ? 0 : row;
        row = row >= (long)n ? (long)n - 1 : row;
        sum += ser_get(series, (size_t)row, C_WRITES) * (hi - lo);
    }
    return sum;
}

/* The p99 (ms) users had before a failure at `at`: the median of the series rows' p99 over the
 * ENG_LATENCY_BACK_BEFORE_S before it (rows that served API requests); NaN without any. */
static double p99_before(const ser_table *series, const double *arrivals, double at, double dt)
{
    double v[64];
    size_t k = 0, last = (size_t)(at / dt); /* the row holding the failure: not before it */
    size_t first =
        at > ENG_LATENCY_BACK_BEFORE_S ? (size_t)((at - ENG_LATENCY_BACK_BEFORE_S) / dt) : 0;
    for (size_t i = first; i < last && k < sizeof v / sizeof v[0]; i++) {
        double p = ser_get(series, i, C_P99);
        if (arrivals[i] > 0 && p > 0)
            v[k++] = p;
    }
    if (k == 0)
        return NAN;
    for (size_t i = 1; i < k; i++) /* insertion sort: a few dozen rows */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* The latency users feel, back: the start of the first window of `per` rows, from the row at
 * from_s on, in which every row that had arrivals served API requests with a p99 at or under
 * limit_ms. NaN when none within the run. */
static double latency_back(const ser_table *series, const double *arrivals, size_t n, double dt,
                           size_t per, double from_s, double limit_ms)
{
    size_t run = 0;
    for (size_t i = (size_t)(from_s / dt); i < n; i++) {
        double p = ser_get(series, i, C_P99);
        bool ok = arrivals[i] <= 0 || (p > 0 && p <= limit_ms);
        run = ok ? run + 1 : 0;
        if (run == per)
            return (double)(i + 1 - per) * dt;
    }
    return NAN;
}

/* The scenario's tightest API p(99) objective, ms; NaN without one. */
static double p99_objective(const mdl_scenario *s)
{
    double best = NAN;
    for (size_t i = 0; i < s->nobjectives; i++) {
        slo o;
        base_err err;
        if (slo_parse(s->objectives[i], &o, &err) != BASE_OK || o.metric != SLO_P ||
            o.percentile != 99 || (o.op != SLO_LT && o.op != SLO_LE))
            continue;
        if (isnan(best) || o.value < best)
            best = o.value;
    }
    return best;
}

/* Each failure's RTO: from it until the paging alarm's window of requests is back at or under
 * its threshold (mdl_alarm_clear) — users served again, not one lucky request among failing
 * ones; the writes lost in its RPO at the write rate of that moment (writes_before). For a region
 * failure, the part after the Route 53 update splits into the clients' caches expiring (at most the
 * TTL) and the DR cluster's scale-up (the rest). The first failure's figures are the replication's
 * rto_s etc. */
static void note_restored(eng__run *r, const double *rate, const double *arrivals, size_t n)
{
    eng_rep *o = r->out;
    const mdl_alarm *pager = eng__alarms_pager(r->alarms);
    double dt = sim_to_sec(ser_resolution(r->series)); /* doubled if the series folded */
    size_t per = (size_t)llround(sim_to_sec(pager->period) / dt);
    per = per ? per : 1;
    double objective = p99_objective(r->s);
    bool region = false;
    for (size_t k = 0; k < o->nfaults; k++) {
        eng_fault *f = &o->faults[k];
        double back = mdl_alarm_clear(pager, rate, arrivals, n, dt, f->at_s);
        /* not before the first request served: a window at the threshold may open with the
         * last few failures */
        f->rto_s = isnan(back) ? NAN : fmax(0, back - f->at_s);
        if (f->rto_s < f->first_served_s)
            f->rto_s = f->first_served_s;
        f->lost_writes = writes_before(r->series, f->at_s, f->rpo_s, dt);
        double limit = isnan(objective)
                           ? ENG_LATENCY_BACK_FACTOR * p99_before(r->series, arrivals, f->at_s, dt)
                           : objective;
        if (!isnan(f->rto_s) && !isnan(limit)) {
            double lat = latency_back(r->series, arrivals, n, dt, per, f->at_s + f->rto_s, limit);
            f->rto_latency_s = isnan(lat) ? NAN : fmax(f->rto_s, lat - f->at_s);
        }
        /* the requests that failed meanwhile, from the series (errors over arrivals per row) */
        size_t from = (size_t)(f->at_s / dt), to = n;
        if (!isnan(f->rto_s) && (size_t)ceil((f->at_s + f->rto_s) / dt) < n)
            to = (size_t)ceil((f->at_s + f->rto_s) / dt);
        f->failed = 0;
        for (size_t i = from; i < to; i++)
            f->failed += rate[i] / 100 * arrivals[i] * dt;
        sim_time switched = eng__dns_switched_at(r->dns);
        if (f->type == MDL_EVENT_REGION_FAILURE && !region && switched >= 0 && !isnan(back)) {
            region = true;
            double since = fmax(0, f->at_s + f->rto_s - sim_to_sec(switched));
            double ttl = fmin(since, sim_to_sec(r->s->dr.dns_ttl));
            o->dr_step_s[ENG_DR_TTL] = ttl;
            o->dr_step_s[ENG_DR_SCALE] = since - ttl;
        }
    }
    if (o->nfaults > 0) {
        o->rto_s = o->faults[0].rto_s;
        o->rpo_s = o->faults[0].rpo_s;
        o->lost_writes = o->faults[0].lost_writes;
        o->rto_latency_s = o->faults[0].rto_latency_s;
        o->first_served_s = o->faults[0].first_served_s;
        o->outage_failed = o->faults[0].failed;
    }
}

void eng__series_error_rate(const ser_table *series, double *rate, double *arrivals)
{
    for (size_t i = 0, n = ser_rows(series); i < n; i++) {
        arrivals[i] = ser_get(series, i, C_ARRIVALS);
        rate[i] = arrivals[i] > 0 ? 100.0 * ser_get(series, i, C_ERRORS) / arrivals[i] : 0;
    }
}

size_t eng__series_column(int metric)
{
    static const int col[MDL_ALARM_NMETRIC] = {C_ERRORS, C_DB, C_HPA_MEM, C_HPA_CPU, C_P99};
    return (size_t)col[metric];
}

void eng__record_finish(eng__run *r)
{
    /* the series' last rows folded first: the alarms judge them in their meter (alarms.c) */
    if (ser_flush(r->series) != BASE_OK) {
        r->oom = 1;
        return;
    }
    eng__chain_meter(r);
    r->out->usage.seconds = sim_to_sec(r->end);
    for (size_t i = 0; i < r->nnodes; i++) {
        const eng__node *n = r->nodes[i];
        if (n->state != N_GONE)
            eng__meter_node(r, n, n->launched, r->end);
    }
    size_t n = ser_rows(r->series);
    double *w = base_malloc((n ? n : 1) * sizeof *w),
           *rate = base_malloc((n ? n : 1) * sizeof *rate);
    if (r->oom || !w || !rate) {
        r->oom = 1;
        free(w);
        free(rate);
        return;
    }
    eng__series_error_rate(r->series, rate, w);
    note_restored(r, rate, w, n);
    free(w);
    free(rate);
    r->out->series = r->series;
    r->series = NULL;
}
