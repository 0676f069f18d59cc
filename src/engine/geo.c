/*
 * geo.c — two active regions (seed §11.3): a replication of a scenario with `regions:` runs the
 * scenario once per region (model/regions.c makes the clones: each region's users, its shifted
 * daily curve, its prices and bounds) and couples the runs where the regions really couple:
 *
 *   - EMEA users served by eu-west-1 read locally (its replica or Aurora secondary) and write to
 *     the us-east-1 primary: each write request pays `write_round_trips` crossings of the
 *     Atlantic (drawn from regions.rtt) on top of what eu-west-1's run measured for it;
 *   - with one region, every EMEA API request pays one crossing (static requests are served by
 *     CloudFront's edge near them either way);
 *   - eu-west-1 lost at lose_at: Route 53's health checkers call its endpoint unhealthy
 *     (mdl_health_check_delay: dns.health_check_interval × health_check_failure_threshold,
 *     15 uncoordinated checkers), the latency records answer us-east-1, and EMEA's clients
 *     arrive there as their cached answers expire (the clone's curve ramps in over dr.dns_ttl);
 *     us-east-1's HPA and Karpenter scale up for them in its run. EMEA's API requests between the
 *     loss and their move fail (503: nothing answers them).
 *
 * Coupled inside the runs (a replication runs us-east-1 first): EMEA's write statements load
 * the primary's CPU and hold its max_connections in us-east-1's run (both engines); in
 * eu-west-1's run they are sent to the primary and answered their crossings later, at the
 * primary's speed in us-east-1's run (its utilisation row by row: eng__geo_primary_slowdown), and
 * eu-west-1's workers wait through them. What is still approximate is in docs/multi-region.md
 * ("What is approximate or not modelled"); the faults are us-east-1's, and so are the time
 * series' unsuffixed columns: eu-west-1's run's are beside them as `*_eu_west_1`.
 */
#include "engine/data.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- inside a run */

/* EMEA's write transactions reaching us-east-1's primary at now, per second: the users the
 * eu-west-1 clone serves (the `remote` curve) at the scenario's write share. */
static double remote_tx(const eng__run *r)
{
    const mdl_scenario *s = r->s;
    if (!s->regions.has_remote)
        return 0;
    return mdl_traffic_rate(&s->regions.remote, sim_now(r->k)) * s->traffic.mix[MDL_API_WRITE];
}

double eng__geo_remote_cpu(const eng__run *r)
{
    const mdl_db_config *db = &r->s->db;
    double tx = remote_tx(r);
    return tx > 0 ? tx * db->queries[MDL_API_WRITE] * sim_dist_mean(&db->write_time) : 0;
}

/* A remote statement holds its backend from its arrival until the next one arrives (or the
 * commit's answer has left): its execution and one crossing (Little's law on the statements). */
double eng__geo_remote_conns(const eng__run *r)
{
    const mdl_scenario *s = r->s;
    double tx = remote_tx(r);
    return tx > 0 ? tx * s->db.queries[MDL_API_WRITE] *
                        (sim_dist_mean(&s->db.write_time) + eng__geo_rtt_s(r))
                  : 0;
}

/* Crossings per statement: regions.write_round_trips spread over the write's statements (one
 * each by default; a stored procedure's one over all). */
static double per_statement(const mdl_scenario *s)
{
    double q = s->db.queries[MDL_API_WRITE];
    return q > 0 ? mdl_regions_write_trips(s) / q : 0;
}

double eng__geo_rtt_s(const eng__run *r)
{
    const mdl_scenario *s = r->s;
    return s->regions.remote_writes || s->regions.has_remote
               ? per_statement(s) * sim_dist_mean(&s->regions.rtt)
               : 0;
}

sim_time eng__geo_crossings(const eng__run *r, sim_rng *g)
{
    const mdl_scenario *s = r->s;
    double k = per_statement(s), whole = floor(k);
    int n = (int)whole + (k > whole && sim_rng_uniform(g) < k - whole);
    sim_time t = 0;
    for (int i = 0; i < n; i++)
        t += sim_dist_sample(&s->regions.rtt, g);
    return t;
}

double eng__geo_primary_slowdown(const eng__run *r)
{
    const mdl_regions_config *g = &r->s->regions;
    if (!g->primary_slowdown || g->primary_n == 0 || g->primary_step <= 0)
        return 1;
    sim_time now = sim_now(r->k);
    size_t i = now > 0 ? (size_t)(now / g->primary_step) : 0;
    return g->primary_slowdown[i < g->primary_n ? i : g->primary_n - 1];
}

int eng__geo_write_route(const eng__run *r)
{
    const mdl_regions_config *g = &r->s->regions;
    if (!g->remote_writes)
        return ENG__GEO_LOCAL;
    sim_time now = sim_now(r->k);
    if (g->remote_until <= 0 || now < g->remote_until)
        return ENG__GEO_REMOTE;
    return now < g->promoted_at ? ENG__GEO_DOWN : ENG__GEO_LOCAL;
}

static void on_remote_done(void *ctx, void *arg)
{
    eng__query_done(ctx, arg);
}

/* The statement's execution on the primary, at its speed there (processor sharing with the
 * primary's load in us-east-1's run: eng__geo_primary_slowdown), and its crossing: the worker
 * and its connection wait through both. */
int eng__geo_remote_query(eng__run *r, eng__req *q, sim_time work)
{
    if (eng__geo_write_route(r) == ENG__GEO_DOWN) {
        /* the primary's region is lost: the statement fails; its connection is given back
         * when the event below finds it dead (pgbouncer.c) */
        eng__data_kill(r, q);
        eng__req_fail_now(r, q, MDL_ERR_DB_FAILOVER, 1);
        return sim_schedule(r->k, 0, on_remote_done, r, q) == SIM_NO_EVENT ? -1 : 0;
    }
    sim_time rtt = eng__geo_crossings(r, r->r_query_time);
    double slow = eng__geo_primary_slowdown(r);
    sim_time at = slow > 1 ? (sim_time)((double)work * slow + 0.5) : work;
    return sim_schedule(r->k, at + rtt, on_remote_done, r, q) == SIM_NO_EVENT ? -1 : 0;
}

/* ---------------------------------------------------------------- coupling the runs */

/* Draws per bucket when a histogram is shifted by a random delay: each bucket's count is spread
 * over this many draws of it. */
#define SHIFT_DRAWS 8

typedef struct shift_ctx {
    hist *dst;
    const sim_dist *rtt;
    double trips;
    double w; /* each count times this */
    sim_rng *r;
} shift_ctx;

static void shift_bucket(void *ctx, int64_t lo, int64_t hi, double count)
{
    shift_ctx *c = ctx;
    int64_t mid = lo + (hi - lo) / 2;
    double whole = floor(c->trips), part = c->trips - whole;
    for (int k = 0; k < SHIFT_DRAWS; k++) {
        int n = (int)whole + (sim_rng_uniform(c->r) < part);
        int64_t v = mid;
        for (int j = 0; j < n; j++)
            v += sim_dist_sample(c->rtt, c->r);
        hist_record_n(c->dst, v, count * c->w / SHIFT_DRAWS);
    }
}

/* src's latencies, each with `trips` crossings added and counted `w` times, into dst (merged
 * with what it holds). */
static void add_weighted(hist *dst, const hist *src, const sim_dist *rtt, double trips, double w,
                         sim_rng *r)
{
    if (!src || !(w > 0))
        return;
    if (trips <= 0 && w == 1) {
        hist_merge(dst, src);
        return;
    }
    shift_ctx c = {dst, rtt, trips, w, r};
    hist_foreach(src, shift_bucket, &c);
}

static void add_shifted(hist *dst, const hist *src, const sim_dist *rtt, double trips, sim_rng *r)
{
    add_weighted(dst, src, rtt, trips, 1, r);
}

static double ms(int64_t ns)
{
    return (double)ns / 1e6;
}

static double failed_share(const eng_rep *r)
{
    double arrived = 0, failed = 0;
    for (int c = 0; c < MDL_NCLASS; c++)
        arrived += r->arrivals[c];
    for (int e = 0; e < MDL_NCAUSE; e++)
        failed += r->errors[e];
    return arrived > 0 ? 100 * failed / arrived : 0;
}

/* Users' figures from run a's histograms (API requests shifted by `ta[c]` crossings, counted
 * `wa` times) and, when b is not NULL, b's likewise (tb, wb): the users served by both. */
static int users_mix(const eng_rep *a, double wa, const double ta[MDL_NCLASS], const eng_rep *b,
                     double wb, const double tb[MDL_NCLASS], const mdl_scenario *s, sim_rng *rng,
                     eng_geo *g, int who)
{
    hist *api = a->api_latency ? hist_clone(a->api_latency) : NULL;
    hist *wr = a->latency_class[MDL_API_WRITE] ? hist_clone(a->latency_class[MDL_API_WRITE]) : NULL;
    if ((a->api_latency && !api) || (a->latency_class[MDL_API_WRITE] && !wr)) {
        hist_free(api);
        hist_free(wr);
        return BASE_ENOMEM;
    }
    const sim_dist *rtt = &s->regions.rtt;
    if (api) {
        hist_reset(api);
        for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
            add_weighted(api, a->latency_class[k], rtt, ta[k], wa, rng);
            if (b)
                add_weighted(api, b->latency_class[k], rtt, tb[k], wb, rng);
        }
        g->api_p99_ms[who] = ms(hist_percentile(api, 99));
    }
    if (wr) {
        hist_reset(wr);
        add_weighted(wr, a->latency_class[MDL_API_WRITE], rtt, ta[MDL_API_WRITE], wa, rng);
        if (b)
            add_weighted(wr, b->latency_class[MDL_API_WRITE], rtt, tb[MDL_API_WRITE], wb, rng);
        g->write_p50_ms[who] = ms(hist_percentile(wr, 50));
        g->write_min_ms[who] = ms(hist_min(wr));
    }
    g->error_rate[who] = failed_share(a);
    hist_free(api);
    hist_free(wr);
    return BASE_OK;
}

/* Users' figures from one run's histograms, API requests shifted by `trips[c]` crossings. */
static int users_figures(const eng_rep *r, const mdl_scenario *s, const double trips[MDL_NCLASS],
                         sim_rng *rng, eng_geo *g, int who)
{
    return users_mix(r, 1, trips, NULL, 0, trips, s, rng, g, who);
}

/* b's counts and histograms into a (b's API writes shifted by `trips` crossings). */
static void merge_rep(eng_rep *a, const eng_rep *b, const mdl_scenario *s, double trips,
                      sim_rng *rng)
{
    a->requests_total += b->requests_total;
    for (int c = 0; c < MDL_NCLASS; c++) {
        a->arrivals[c] += b->arrivals[c];
        a->served[c] += b->served[c];
    }
    a->served_in_window += b->served_in_window;
    for (int e = 0; e < MDL_NCAUSE; e++)
        a->errors[e] += b->errors[e];
    a->unfinished += b->unfinished;
    a->events += b->events;
    for (int c = 0; c < MDL_NCLASS; c++) {
        double t = c == MDL_API_WRITE ? trips : 0;
        if (a->latency_class[c])
            add_shifted(a->latency_class[c], b->latency_class[c], &s->regions.rtt, t, rng);
        if (a->latency)
            add_shifted(a->latency, b->latency_class[c], &s->regions.rtt, t, rng);
        if (a->api_latency && c != MDL_STATIC)
            add_shifted(a->api_latency, b->latency_class[c], &s->regions.rtt, t, rng);
    }
    if (a->pod_wait && b->pod_wait)
        hist_merge(a->pod_wait, b->pod_wait);
    /* both regions' pods and nodes: an upper bound of the peak, the regions' peaks perhaps at
     * different hours */
    a->peak_pods += b->peak_pods;
    a->peak_nodes += b->peak_nodes;
    a->pods_created += b->pods_created;
    a->nodes_launched += b->nodes_launched;
}

/* A region lost at `lose`: its users' API requests (`share` of the `users` curve) from the loss
 * until Route 53 moved them (those the survivor's clone's ramp has not taken yet), counted
 * second by second. */
static double lost_requests(const mdl_scenario *s, const mdl_traffic_config *users, double share,
                            sim_time lose, sim_time moved_at)
{
    double api = 1 - s->traffic.mix[MDL_STATIC], n = 0;
    sim_time ttl = s->dr.dns_ttl, end = mdl_traffic_duration(&s->traffic);
    for (sim_time t = lose; t < moved_at + ttl && t < end; t += SIM_SEC) {
        double w = t < moved_at ? 0 : ttl > 0 ? (double)(t - moved_at) / (double)ttl : 1;
        if (t >= s->warmup)
            n += share * mdl_traffic_rate(users, t) * api * (1 - w);
    }
    return n;
}

/* lost_requests row by row of a series of `rows` rows of `res`: the requests per second of
 * each row (every second, the warm-up's too: the series shows it). NULL when out of memory. */
static double *lost_rates(const mdl_scenario *s, const mdl_traffic_config *users, double share,
                          sim_time lose, sim_time moved_at, sim_time res, size_t rows)
{
    double *v = base_calloc(rows ? rows : 1, sizeof *v);
    if (!v || res <= 0)
        return v;
    double api = 1 - s->traffic.mix[MDL_STATIC];
    sim_time ttl = s->dr.dns_ttl, end = mdl_traffic_duration(&s->traffic);
    for (sim_time t = lose; t < moved_at + ttl && t < end; t += SIM_SEC) {
        double w = t < moved_at ? 0 : ttl > 0 ? (double)(t - moved_at) / (double)ttl : 1;
        size_t i = (size_t)(t / res);
        if (i < rows)
            v[i] += share * mdl_traffic_rate(users, t) * api * (1 - w) / sim_to_sec(res);
    }
    return v;
}

/* The replication's series with both regions' columns (record.c: eu-west-1's as
 * `*_eu_west_1`), a lost region's failed requests before the move in its own columns and, from
 * its loss, no value in its gauges and latency. */
static int two_region_series(const mdl_scenario *s, eng_rep *out, const eng_rep *eu,
                             sim_time moved_at)
{
    const mdl_regions_config *g = &s->regions;
    if (!out->series || !eu->series)
        return BASE_OK;
    sim_time res = ser_resolution(out->series);
    size_t rows = ser_rows(out->series);
    double *lost_us = NULL, *lost_eu = NULL;
    mdl_traffic_config emea;
    int st = BASE_OK;
    if (g->lose_at > 0) {
        st = mdl_traffic_shift(&s->traffic, g->emea_offset, &emea);
        if (st == BASE_OK &&
            !(lost_eu = lost_rates(s, &emea, g->emea_share, g->lose_at, moved_at, res, rows)))
            st = BASE_ENOMEM;
    }
    if (st == BASE_OK && g->lose_us_at > 0 &&
        !(lost_us =
              lost_rates(s, &s->traffic, 1 - g->emea_share, g->lose_us_at, moved_at, res, rows)))
        st = BASE_ENOMEM;
    ser_table *both = NULL;
    if (st == BASE_OK)
        st = eng__series_two_regions(out->series, eu->series, lost_us, lost_eu, g->lose_us_at,
                                     g->lose_at, &both);
    if (st == BASE_OK && both) {
        ser_free(out->series);
        out->series = both;
    }
    free(lost_us);
    free(lost_eu);
    return st;
}

/* Route 53 calls the region lost at `lose` unhealthy: when. */
static sim_time moved_time(const mdl_scenario *s, sim_time lose, sim_rng *r)
{
    double phase[MDL_HEALTH_CHECKERS];
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++)
        phase[i] = sim_rng_uniform(r);
    sim_time interval = (s->dr.health_check_fast ? 10 : 30) * SIM_SEC;
    return lose + mdl_health_check_delay(interval, s->dr.health_check_failures, phase);
}

/* us-east-1 lost: eu-west-1's copy is promoted once Route 53's health checks have called the
 * primary's region unhealthy (the alarm on them pages on-call), on-call has confirmed
 * (dr.confirm: promotion is not automatic, and cannot be undone), and the promotion ran
 * (RDS: dr.promote; Aurora Global: database.aurora.global_promote). */
static sim_time promoted_time(const mdl_scenario *s, sim_time moved_at, sim_rng *r)
{
    bool aurora = s->db.engine == MDL_DB_AURORA;
    sim_time confirm = sim_dist_sample(&s->dr.confirm, r);
    return moved_at + confirm +
           sim_dist_sample(aurora ? &s->db.aurora_global_promote : &s->dr.promote, r);
}

/* A series' value at t from column c (its row holding t; 0 past its rows or without it). */
static double row_at(const ser_table *t, size_t c, sim_time at)
{
    if (!t || c == SIZE_MAX || ser_resolution(t) <= 0)
        return 0;
    size_t i = (size_t)(at / ser_resolution(t));
    return i < ser_rows(t) ? ser_get(t, i, c) : 0;
}

static size_t column(const ser_table *t, const char *name);

/* eu-west-1's copy behind the primary at the run's busiest write second, s: RDS's
 * cross-region replica by a draw of dr.replica_lag (the lag with nothing waiting) plus the
 * replay backlog the primary's writes build second by second (model/replica.c: one process
 * replays them all) — the writes the replication's runs committed (their series'
 * api_writes_per_s: us-east-1's, and eu-west-1's, which ran on the primary until a loss of
 * us-east-1); Aurora Global's secondary, replicated by its storage, by a draw of
 * database.aurora.global_lag. *at_s: the lag at `at` (NULL: not wanted). */
static double eu_replica_lag(const mdl_scenario *s, const ser_table *us, const ser_table *eu,
                             sim_time at, double *at_s, sim_rng *rng)
{
    bool aurora = s->db.engine == MDL_DB_AURORA;
    double base =
        sim_to_sec(sim_dist_sample(aurora ? &s->db.aurora_global_lag : &s->dr.replica_lag, rng));
    if (at_s)
        *at_s = base;
    if (aurora)
        return base;
    size_t wu = us ? column(us, "api_writes_per_s") : SIZE_MAX;
    size_t we = eu ? column(eu, "api_writes_per_s") : SIZE_MAX;
    sim_time lost = s->regions.lose_us_at;
    double backlog = 0, peak = 0;
    sim_time end = mdl_traffic_duration(&s->traffic);
    for (sim_time t = 0; t < end; t += SIM_SEC) {
        if (at_s && t == at - at % SIM_SEC)
            *at_s = base + backlog;
        double w = row_at(us, wu, t) + (lost <= 0 || t < lost ? row_at(eu, we, t) : 0);
        backlog = mdl_replica_backlog(s, backlog, w, 1);
        if (t >= s->warmup && backlog > peak)
            peak = backlog;
    }
    return base + peak;
}

/* The moved users' share of the survivor's requests at t: `share` of the `users` curve, moved
 * by Route 53 at moved_at and arriving over the TTL (as the survivor's clone ramps them in),
 * against the survivor's own users (`own_share` of `own`) and them. */
static double moved_frac(const mdl_scenario *s, const mdl_traffic_config *users, double share,
                         const mdl_traffic_config *own, double own_share, sim_time moved_at,
                         sim_time t)
{
    sim_time ttl = s->dr.dns_ttl;
    if (t < moved_at)
        return 0;
    double w = ttl > 0 && t < moved_at + ttl ? (double)(t - moved_at) / (double)ttl : 1;
    double m = share * mdl_traffic_rate(users, t) * w, o = own_share * mdl_traffic_rate(own, t);
    return m + o > 0 ? m / (m + o) : 0;
}

/* The moved users' requests in the survivor's run (measured rows: after the warm-up), from its
 * series row by row: arrived, failed, served; and all it served. */
typedef struct moved_counts {
    double arrivals, errors, served, all_served;
} moved_counts;

static void count_moved(const mdl_scenario *s, const ser_table *t, const mdl_traffic_config *users,
                        double share, const mdl_traffic_config *own, double own_share,
                        sim_time moved_at, moved_counts *m)
{
    memset(m, 0, sizeof *m);
    size_t ca = t ? column(t, "arrivals_per_s") : SIZE_MAX;
    size_t ce = t ? column(t, "errors_per_s") : SIZE_MAX;
    size_t cs = t ? column(t, "served_per_s") : SIZE_MAX;
    if (ca == SIZE_MAX || ce == SIZE_MAX || cs == SIZE_MAX || ser_resolution(t) <= 0)
        return;
    sim_time res = ser_resolution(t), end = mdl_traffic_duration(&s->traffic);
    double dt = sim_to_sec(res);
    for (size_t i = 0; i < ser_rows(t); i++) {
        sim_time t0 = (sim_time)i * res;
        if (t0 < s->warmup || t0 >= end)
            continue;
        double f = moved_frac(s, users, share, own, own_share, moved_at, t0 + res / 2);
        double served = ser_get(t, i, cs) * dt;
        m->all_served += served;
        m->served += served * f;
        m->arrivals += ser_get(t, i, ca) * dt * f;
        m->errors += ser_get(t, i, ce) * dt * f;
    }
}

/* A region lost and its users moved by Route 53 to the survivor: each users' figures by where
 * they come from. The survivor's run served both; its series says, row by row, which share of
 * its requests were the moved users' (count_moved), and their share of what it served weighs
 * its histograms: the moved users' part, each API request crossing the Atlantic once (their
 * clients are where they were), joins their own run's; the rest stays the survivor's users'.
 * Their error rate: their own run's errors, those that failed while they moved (no region
 * answered them), and their share of the survivor's, over their requests. */
static int moved_figures(const mdl_scenario *s, const eng_rep *us, const eng_rep *eu, bool us_lost,
                         sim_time moved_at, sim_rng *rng, eng_geo *g)
{
    const mdl_regions_config *rg = &s->regions;
    mdl_traffic_config emea;
    int st = mdl_traffic_shift(&s->traffic, rg->emea_offset, &emea);
    if (st != BASE_OK)
        return st;
    const eng_rep *from = us_lost ? us : eu, *to = us_lost ? eu : us;
    int o = us_lost ? MDL_REGION_US : MDL_REGION_EU, v = 1 - o;
    const mdl_traffic_config *users = us_lost ? &s->traffic : &emea;
    const mdl_traffic_config *own = us_lost ? &emea : &s->traffic;
    double share = us_lost ? 1 - rg->emea_share : rg->emea_share;
    double failed =
        lost_requests(s, users, share, us_lost ? rg->lose_us_at : rg->lose_at, moved_at);
    moved_counts m;
    count_moved(s, to->series, users, share, own, 1 - share, moved_at, &m);
    double k = m.all_served > 0 ? m.served / m.all_served : 0;
    static const double none[MDL_NCLASS] = {0}, once[MDL_NCLASS] = {0, 1, 1};
    st = users_mix(from, 1, none, to, k, once, s, rng, g, o);
    if (st == BASE_OK)
        st = users_mix(to, 1 - k, none, NULL, 0, none, s, rng, g, v);
    if (st != BASE_OK)
        return st;
    double fa = 0, fe = 0, ta = 0, te = 0;
    for (int c = 0; c < MDL_NCLASS; c++) {
        fa += from->arrivals[c];
        ta += to->arrivals[c];
    }
    for (int e = 0; e < MDL_NCAUSE; e++) {
        fe += from->errors[e];
        te += to->errors[e];
    }
    double oa = fa + failed + m.arrivals, va = ta - m.arrivals;
    g->error_rate[o] = oa > 0 ? 100 * (fe + failed + m.errors) / oa : 0;
    g->error_rate[v] = va > 0 && te > m.errors ? 100 * (te - m.errors) / va : 0;
    return BASE_OK;
}

/* The highest utilisation a slowdown is read at. A series interval's time average cannot tell
 * how long a saturated primary's queue grew, and M/M/c-PS's slowdown has no bound at 100%; at
 * 99% it is already about 100/c (ASSUMPTION, docs/multi-region.md "What is approximate"). */
#define PRIMARY_UTIL_CAP 0.99

static size_t column(const ser_table *t, const char *name)
{
    for (size_t c = 0; c < ser_cols(t); c++)
        if (strcmp(ser_name(t, c), name) == 0)
            return c;
    return SIZE_MAX;
}

/* The us-east-1 primary's slowdown of a statement in each row of its run's series: M/M/c
 * processor sharing (mdl_ps_slowdown, the flow engine's) at the row's utilisation — which
 * counts EMEA's writes, the run's background load — on the primary's vCPUs (RDS: its class's;
 * Aurora: the row's ACUs). *out NULL when the run has no database rows. */
static int primary_slowdowns(const mdl_scenario *s, const ser_table *t, double **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const mdl_db_config *db = &s->db;
    size_t cu = t ? column(t, "database_utilisation_pct") : SIZE_MAX;
    size_t ca = t ? column(t, "aurora_acu") : SIZE_MAX;
    if (!db->enabled || db->engine == MDL_DB_QUEUE || cu == SIZE_MAX || ser_rows(t) == 0)
        return BASE_OK;
    bool aurora = db->engine == MDL_DB_AURORA;
    if (!aurora && db->db_class < 0)
        return BASE_OK;
    double *v = base_malloc(ser_rows(t) * sizeof *v);
    if (!v)
        return BASE_ENOMEM;
    for (size_t i = 0; i < ser_rows(t); i++) {
        double cores = aurora ? (ca == SIZE_MAX ? 0 : ser_get(t, i, ca)) * db->vcpu_per_acu
                              : s->cluster.catalog.db[db->db_class].vcpu;
        double u = ser_get(t, i, cu) / 100;
        u = u < PRIMARY_UTIL_CAP ? (u > 0 ? u : 0) : PRIMARY_UTIL_CAP;
        v[i] = cores > 0 ? mdl_ps_slowdown(cores, u * cores) : 1;
    }
    *out = v;
    *n = ser_rows(t);
    return BASE_OK;
}

static int run_clone(const mdl_scenario *s, int which, sim_time moved_at, sim_time promoted_at,
                     const eng_rep *us, mdl_scenario *c, uint32_t replication, eng_rep *out,
                     eng_live *live, base_err *err)
{
    int st = mdl_regions_clone_us_lost(s, which, moved_at, promoted_at, c);
    if (st != BASE_OK)
        return base_err_set(err, st, NULL, 0, 0,
                            "regions: %s's load curve needs more than %d phases",
                            which == MDL_REGION_US ? "us-east-1" : "eu-west-1", MDL_MAX_PHASES);
    /* eu-west-1's statements on the primary run at its speed in us-east-1's run */
    double *slow = NULL;
    if (us && (st = primary_slowdowns(s, us->series, &slow, &c->regions.primary_n)) != BASE_OK)
        return base_err_set(err, st, NULL, 0, 0, "out of memory");
    c->regions.primary_slowdown = slow;
    c->regions.primary_step = slow ? ser_resolution(us->series) : 0;
    /* both on the engine the whole scenario's load chooses */
    c->fidelity =
        strcmp(eng_engine_name(s), "flow") == 0 ? MDL_FIDELITY_FLOW : MDL_FIDELITY_REQUEST;
    st = eng__run_live(c, replication, out, live, err);
    c->regions.primary_slowdown = NULL;
    free(slow);
    return st;
}

int eng__run_regions(const mdl_scenario *s, uint32_t replication, eng_rep *out, eng_live *live,
                     base_err *err)
{
    const mdl_regions_config *g = &s->regions;
    bool two = g->serve == MDL_REGIONS_TWO, lost = two && g->lose_at > 0;
    bool us_lost = two && g->lose_us_at > 0;
    memset(out, 0, sizeof *out);
    sim_rng *rng = sim_rng_new(s->seed, replication, "regions");
    mdl_scenario *c = base_malloc(sizeof *c);
    eng_rep eu;
    memset(&eu, 0, sizeof eu);
    if (!rng || !c) {
        sim_rng_free(rng);
        free(c);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    sim_time moved_at = lost      ? moved_time(s, g->lose_at, rng)
                        : us_lost ? moved_time(s, g->lose_us_at, rng)
                                  : 0;
    sim_time promoted_at = us_lost ? promoted_time(s, moved_at, rng) : 0;
    double rpo = 0;
    int st =
        run_clone(s, MDL_REGION_US, moved_at, promoted_at, NULL, c, replication, out, live, err);
    if (st == BASE_OK && two)
        st =
            run_clone(s, MDL_REGION_EU, moved_at, promoted_at, out, c, replication, &eu, live, err);
    if (st == BASE_OK && two && s->db.enabled && s->db.engine != MDL_DB_QUEUE)
        out->geo.replica_lag_s =
            eu_replica_lag(s, out->series, eu.series, g->lose_us_at, &rpo, rng);
    if (st == BASE_OK) {
        eng_geo *geo = &out->geo;
        /* eu-west-1's run already made its writes' crossings (geo's remote queries); from
         * us-east-1, each EMEA API request crosses once */
        double none[MDL_NCLASS] = {0}, once[MDL_NCLASS] = {0, 1, 1};
        st = users_figures(out, s, none, rng, geo, MDL_REGION_US);
        if (st == BASE_OK)
            st = users_figures(two ? &eu : out, s, two ? none : once, rng, geo, MDL_REGION_EU);
        /* a region lost: its users by where they come from, wherever they were served */
        if (st == BASE_OK && (lost || us_lost))
            st = moved_figures(s, out, &eu, us_lost, moved_at, rng, geo);
        if (st != BASE_OK)
            st = base_err_set(err, st, NULL, 0, 0, "out of memory");
    }
    if (st == BASE_OK && two) {
        eng_geo *geo = &out->geo;
        double q = (double)s->extras.query_bytes / 1e9;
        /* the primary's WAL to eu-west-1 (every write, us-east-1's and EMEA's, as a byte per
         * query byte: ASSUMPTION, as the DR region's replication, cost.c) and EMEA's statements
         * and answers to it (eu-west-1's run counts EMEA's write statements) */
        geo->transfer_gb = (out->usage.db_write_queries + 3 * eu.usage.db_write_queries) * q;
        geo->usage_eu = eu.usage;
        geo->peak_pods_eu = eu.peak_pods;
        merge_rep(out, &eu, s, 0, rng);
        if (two_region_series(s, out, &eu, moved_at) != BASE_OK)
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        if (lost) {
            mdl_traffic_config emea;
            double failed = 0;
            if (mdl_traffic_shift(&s->traffic, g->emea_offset, &emea) == BASE_OK)
                failed = lost_requests(s, &emea, g->emea_share, g->lose_at, moved_at);
            geo->lost_failed = failed;
            geo->moved_s = sim_to_sec(moved_at - g->lose_at);
            out->errors[MDL_ERR_NO_TARGET] += failed;
            out->arrivals[MDL_API_READ] += failed; /* they arrived, and failed */
            if (isnan(out->rto_s)) { /* the run's first failure: EMEA served again, no data
                                      * lost (its writes commit on the primary) */
                out->rto_s = geo->moved_s + sim_to_sec(s->dr.dns_ttl);
                out->rpo_s = 0;
            }
        }
        if (us_lost) {
            /* the Americas' users fail until they reach eu-west-1 (their figures by origin:
             * moved_figures) */
            double failed =
                lost_requests(s, &s->traffic, 1 - g->emea_share, g->lose_us_at, moved_at);
            geo->lost_failed_us = failed;
            geo->moved_s = sim_to_sec(moved_at - g->lose_us_at);
            geo->promoted_s = sim_to_sec(promoted_at - g->lose_us_at);
            out->errors[MDL_ERR_NO_TARGET] += failed;
            out->arrivals[MDL_API_READ] += failed;
            if (isnan(out->rto_s)) { /* served again from eu-west-1, writes too once promoted;
                                      * lost: what the copy had not replayed at the loss */
                double moved = geo->moved_s + sim_to_sec(s->dr.dns_ttl);
                out->rto_s = moved > geo->promoted_s ? moved : geo->promoted_s;
                out->rpo_s = rpo;
            }
        }
    }
    eng_rep_clear(&eu);
    if (st != BASE_OK)
        eng_rep_clear(out);
    free(c);
    sim_rng_free(rng);
    return st;
}
