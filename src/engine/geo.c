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
 * What is not coupled (docs/multi-region.md, "What is approximate"): eu-west-1's writes run on
 * its own database instance in its run (standing in for the replica's replay of them) and do not
 * load the primary in us-east-1's run; the crossings lengthen EMEA's latency but do not hold
 * eu-west-1's gunicorn workers longer; the time series and the faults are us-east-1's.
 */
#include "engine/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Draws per bucket when a histogram is shifted by a random delay: each bucket's count is spread
 * over this many draws of it. */
#define SHIFT_DRAWS 8

typedef struct shift_ctx {
    hist *dst;
    const sim_dist *rtt;
    double trips;
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
        hist_record_n(c->dst, v, count / SHIFT_DRAWS);
    }
}

/* src's latencies, each with `trips` crossings added, into dst (merged with what it holds). */
static void add_shifted(hist *dst, const hist *src, const sim_dist *rtt, double trips, sim_rng *r)
{
    if (!src)
        return;
    if (trips <= 0) {
        hist_merge(dst, src);
        return;
    }
    shift_ctx c = {dst, rtt, trips, r};
    hist_foreach(src, shift_bucket, &c);
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

/* Users' figures from one run's histograms, API requests shifted by `trips[c]` crossings. */
static int users_figures(const eng_rep *r, const mdl_scenario *s, const double trips[MDL_NCLASS],
                         sim_rng *rng, eng_geo *g, int who)
{
    hist *api = r->api_latency ? hist_clone(r->api_latency) : NULL;
    hist *wr = r->latency_class[MDL_API_WRITE] ? hist_clone(r->latency_class[MDL_API_WRITE]) : NULL;
    if ((r->api_latency && !api) || (r->latency_class[MDL_API_WRITE] && !wr)) {
        hist_free(api);
        hist_free(wr);
        return BASE_ENOMEM;
    }
    if (api) {
        hist_reset(api);
        add_shifted(api, r->latency_class[MDL_API_READ], &s->regions.rtt, trips[MDL_API_READ], rng);
        add_shifted(api, r->latency_class[MDL_API_WRITE], &s->regions.rtt, trips[MDL_API_WRITE],
                    rng);
        g->api_p99_ms[who] = ms(hist_percentile(api, 99));
    }
    if (wr) {
        hist_reset(wr);
        add_shifted(wr, r->latency_class[MDL_API_WRITE], &s->regions.rtt, trips[MDL_API_WRITE],
                    rng);
        g->write_p50_ms[who] = ms(hist_percentile(wr, 50));
        g->write_min_ms[who] = ms(hist_min(wr));
    }
    g->error_rate[who] = failed_share(r);
    hist_free(api);
    hist_free(wr);
    return BASE_OK;
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

/* eu-west-1 lost: EMEA's API requests from the loss until Route 53 moved them (those the
 * us-east-1 clone's ramp has not taken yet), counted second by second on EMEA's curve. */
static double lost_requests(const mdl_scenario *s, sim_time moved_at, sim_time warmup)
{
    const mdl_regions_config *g = &s->regions;
    mdl_traffic_config emea;
    if (mdl_traffic_shift(&s->traffic, g->emea_offset, &emea) != BASE_OK)
        return 0;
    double api = 1 - s->traffic.mix[MDL_STATIC], n = 0;
    sim_time ttl = s->dr.dns_ttl, end = mdl_traffic_duration(&s->traffic);
    for (sim_time t = g->lose_at; t < moved_at + ttl && t < end; t += SIM_SEC) {
        double w = t < moved_at ? 0 : ttl > 0 ? (double)(t - moved_at) / (double)ttl : 1;
        if (t >= warmup)
            n += g->emea_share * mdl_traffic_rate(&emea, t) * api * (1 - w);
    }
    return n;
}

/* Route 53 calls eu-west-1 unhealthy: when, after its loss. */
static sim_time moved_time(const mdl_scenario *s, sim_rng *r)
{
    double phase[MDL_HEALTH_CHECKERS];
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++)
        phase[i] = sim_rng_uniform(r);
    sim_time interval = (s->dr.health_check_fast ? 10 : 30) * SIM_SEC;
    return s->regions.lose_at +
           mdl_health_check_delay(interval, s->dr.health_check_failures, phase);
}

static int run_clone(const mdl_scenario *s, int which, sim_time moved_at, mdl_scenario *c,
                     uint32_t replication, eng_rep *out, eng_live *live, base_err *err)
{
    int st = mdl_regions_clone(s, which, moved_at, c);
    if (st != BASE_OK)
        return base_err_set(err, st, NULL, 0, 0,
                            "regions: %s's load curve needs more than %d phases",
                            which == MDL_REGION_US ? "us-east-1" : "eu-west-1", MDL_MAX_PHASES);
    /* both on the engine the whole scenario's load chooses */
    c->fidelity =
        strcmp(eng_engine_name(s), "flow") == 0 ? MDL_FIDELITY_FLOW : MDL_FIDELITY_REQUEST;
    return eng__run_live(c, replication, out, live, err);
}

int eng__run_regions(const mdl_scenario *s, uint32_t replication, eng_rep *out, eng_live *live,
                     base_err *err)
{
    const mdl_regions_config *g = &s->regions;
    bool two = g->serve == MDL_REGIONS_TWO, lost = two && g->lose_at > 0;
    memset(out, 0, sizeof *out);
    sim_rng *rng = sim_rng_new(s->seed, replication, "regions");
    mdl_scenario *c = malloc(sizeof *c);
    eng_rep eu;
    memset(&eu, 0, sizeof eu);
    if (!rng || !c) {
        sim_rng_free(rng);
        free(c);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    sim_time moved_at = lost ? moved_time(s, rng) : 0;
    int st = run_clone(s, MDL_REGION_US, moved_at, c, replication, out, live, err);
    if (st == BASE_OK && two)
        st = run_clone(s, MDL_REGION_EU, moved_at, c, replication, &eu, live, err);
    if (st == BASE_OK) {
        eng_geo *geo = &out->geo;
        double none[MDL_NCLASS] = {0}, once[MDL_NCLASS] = {0, 1, 1}, writes[MDL_NCLASS] = {0};
        writes[MDL_API_WRITE] = mdl_regions_write_trips(s);
        st = users_figures(out, s, none, rng, geo, MDL_REGION_US);
        if (st == BASE_OK)
            st = users_figures(two ? &eu : out, s, two ? writes : once, rng, geo, MDL_REGION_EU);
        if (st != BASE_OK)
            st = base_err_set(err, st, NULL, 0, 0, "out of memory");
    }
    if (st == BASE_OK && two) {
        eng_geo *geo = &out->geo;
        double q = (double)s->extras.query_bytes / 1e9;
        /* the primary's WAL to eu-west-1 (every write, as a byte per query byte: ASSUMPTION, as
         * the DR region's replication, cost.c) and EMEA's statements and answers to it */
        geo->transfer_gb = (out->usage.db_write_queries + 2 * eu.usage.db_write_queries) * q;
        geo->usage_eu = eu.usage;
        merge_rep(out, &eu, s, mdl_regions_write_trips(s), rng);
        if (lost) {
            double failed = lost_requests(s, moved_at, s->warmup);
            geo->lost_failed = failed;
            geo->moved_s = sim_to_sec(moved_at - g->lose_at);
            out->errors[MDL_ERR_NO_TARGET] += failed;
            out->arrivals[MDL_API_READ] += failed; /* they arrived, and failed */
            double er = eu.arrivals[0] + eu.arrivals[1] + eu.arrivals[2] + failed;
            geo->error_rate[MDL_REGION_EU] =
                er > 0 ? (geo->error_rate[MDL_REGION_EU] / 100 * (er - failed) + failed) / er * 100
                       : 0;
            if (isnan(out->rto_s)) { /* the run's first failure: EMEA served again, no data
                                      * lost (its writes commit on the primary) */
                out->rto_s = geo->moved_s + sim_to_sec(s->dr.dns_ttl);
                out->rpo_s = 0;
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
