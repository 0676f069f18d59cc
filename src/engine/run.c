/*
 * run.c — one replication of the request engine, from set-up to the last request: the random
 * streams, the cluster's starting state, the control loops, the arrivals; then the run to the
 * end of the last phase and the drain of the requests still in flight.
 */
#include "engine/component.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void run_free(eng__run *r)
{
    eng__cluster_free(r);
    mdl_station_free(r->db);
    while (r->slabs) {
        struct eng__slab *n = *(struct eng__slab **)r->slabs; /* first member: next */
        free(r->slabs);
        r->slabs = n;
    }
    eng__chain_free(r);
    sim_rng *rngs[] = {r->r_arrival, r->r_mix,   r->r_service, r->r_queries, r->r_query_time,
                       r->r_pods,    r->r_nodes, r->r_spot,    r->r_phase,   r->r_failover};
    for (size_t i = 0; i < sizeof rngs / sizeof rngs[0]; i++)
        sim_rng_free(rngs[i]);
    eng__flow_free(r);
    hist_free(r->iv_latency);
    ser_free(r->series);
    sim_free(r->k);
}

void eng_rep_clear(eng_rep *o)
{
    hist_free(o->latency);
    hist_free(o->api_latency);
    for (int c = 0; c < MDL_NCLASS; c++)
        hist_free(o->latency_class[c]);
    hist_free(o->pod_wait);
    ser_free(o->series);
    memset(o, 0, sizeof *o);
}

static int rep_init(eng_rep *o, uint32_t replication)
{
    memset(o, 0, sizeof *o);
    o->replication = replication;
    /* no failure: nothing to recover from */
    o->rto_s = o->rpo_s = o->lost_writes = o->first_served_s = o->outage_failed = NAN;
    o->rto_latency_s = NAN;
    for (int i = 0; i < ENG_DR_STEPS; i++)
        o->dr_step_s[i] = NAN;
    int ok = (o->latency = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST)) != NULL;
    ok = ok && (o->api_latency = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST));
    for (int c = 0; c < MDL_NCLASS; c++)
        ok = ok && (o->latency_class[c] = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST));
    ok = ok && (o->pod_wait = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST));
    return ok ? BASE_OK : BASE_ENOMEM;
}

/* How long the run may go on after the last phase to let requests in flight finish. Past it,
 * what is left is reported as unfinished: a day is far beyond any timeout in a scenario. */
#define DRAIN_LIMIT (24 * SIM_HOUR)

static int run(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err, bool flow,
               eng_live *live)
{
    eng__run *r = base_calloc(1, sizeof *r);
    if (!r)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    r->s = s;
    r->out = out;
    r->live = live;
    r->fault_at = -1;
    r->end = mdl_traffic_duration(&s->traffic);
    r->only_class = -1;
    for (int c = 0; c < MDL_NCLASS; c++)
        if (s->traffic.mix[c] >= 1.0)
            r->only_class = c;
    r->throttled = s->cluster.enabled && (int64_t)s->api.workers * 1000 > s->api.cpu_limit;
    r->track_cpu = r->throttled || s->hpa.enabled || s->cluster.enabled;
    int st = rep_init(out, replication);
    r->k = sim_new();
    uint64_t seed = s->seed;
    r->r_arrival = sim_rng_new(seed, replication, "traffic.arrivals");
    r->r_mix = sim_rng_new(seed, replication, "traffic.mix");
    r->r_service = sim_rng_new(seed, replication, "api.service");
    r->r_queries = sim_rng_new(seed, replication, "database.queries");
    r->r_query_time = sim_rng_new(seed, replication, "database.query_time");
    r->r_pods = sim_rng_new(seed, replication, "pods");
    r->r_nodes = sim_rng_new(seed, replication, "nodes");
    r->r_spot = sim_rng_new(seed, replication, "spot");
    r->r_phase = sim_rng_new(seed, replication, "control.phase");
    r->r_failover = sim_rng_new(seed, replication, "failover");
    int ok = st == BASE_OK && r->k && r->r_arrival && r->r_mix && r->r_service && r->r_queries &&
             r->r_query_time && r->r_pods && r->r_nodes && r->r_spot && r->r_phase && r->r_failover;
    if (ok && s->db.enabled && s->db.engine == MDL_DB_QUEUE) /* rds/aurora: database.c */
        ok = (r->db = mdl_station_new(s->db.servers, SIZE_MAX)) != NULL;
    if (!ok) {
        run_free(r);
        free(r);
        eng_rep_clear(out);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory setting up the run");
    }
    st = eng__chain_init(r, err);
    if (st == BASE_OK)
        st = eng__record_init(r, err);
    if (st == BASE_OK && flow)
        st = eng__flow_init(r, err);
    if (st == BASE_OK)
        st = eng__cluster_init(r, err);
    if (st == BASE_OK) {
        eng__control_start(r);
        eng__chain_start(r); /* the data tier's ticks and windows */
        eng__record_start(r);
        eng__credits_start(r);
        if (flow)
            eng__flow_start(r);
        else
            eng__schedule_first_arrival(r);
        st = sim_run(r->k, r->end, err);
    }
    if (st == BASE_OK && !r->oom && (r->in_flight > 0 || eng__flow_backlog(r) >= 0.5)) {
        r->draining = 1;
        st = sim_run(r->k, r->end + DRAIN_LIMIT, err);
    }
    if (st == BASE_OK && r->oom)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory during the run");
    if (st == BASE_OK) {
        eng__account(r);
        out->window = sim_to_sec(r->end - s->warmup);
        double win_ns = (double)(r->end - s->warmup);
        out->pods_in_system = r->area_pods / win_ns;
        if (r->db)
            out->db_utilisation = r->area_db / win_ns / s->db.servers;
        eng__credits_finish(r);
        out->unfinished = (double)r->in_flight + floor(eng__flow_backlog(r) + 0.5);
        out->requests_total = r->arrivals_total;
        out->events = sim_events_run(r->k);
        eng__record_finish(r);
        /* the overall and API histograms are the class histograms merged: one record per
         * request on the hot path instead of three */
        for (int c = 0; c < MDL_NCLASS; c++) {
            hist_merge(out->latency, out->latency_class[c]);
            if (c != MDL_STATIC)
                hist_merge(out->api_latency, out->latency_class[c]);
        }
    }
    run_free(r);
    free(r);
    if (st != BASE_OK)
        eng_rep_clear(out);
    return st;
}

int eng_run_request(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err)
{
    return run(s, replication, out, err, false, NULL);
}

int eng_run_flow(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err)
{
    return run(s, replication, out, err, true, NULL);
}

const char *eng_engine_name(const mdl_scenario *s)
{
    switch (s->fidelity) {
    case MDL_FIDELITY_REQUEST: return "request";
    case MDL_FIDELITY_FLOW: return "flow";
    case MDL_FIDELITY_AUTO: break;
    }
    return mdl_traffic_expected(&s->traffic) <= ENG_AUTO_REQUEST_LIMIT ? "request" : "flow";
}

int eng_run_replication(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err)
{
    if (s->regions.enabled) /* one run per region, coupled (geo.c) */
        return eng__run_regions(s, replication, out, NULL, err);
    return strcmp(eng_engine_name(s), "flow") == 0 ? eng_run_flow(s, replication, out, err)
                                                   : eng_run_request(s, replication, out, err);
}

int eng__run_live(const mdl_scenario *s, uint32_t replication, eng_rep *out, eng_live *live,
                  base_err *err)
{
    if (s->regions.enabled)
        return eng__run_regions(s, replication, out, live, err);
    return run(s, replication, out, err, strcmp(eng_engine_name(s), "flow") == 0, live);
}
