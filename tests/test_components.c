/*
 * test_components.c — the component chain the engines walk (src/engine/component.h, chain.c):
 * its order, and the components' steps called directly on a small scenario, without a run.
 * The request engine's path (one request at a time) and the flow engine's (a step's counts)
 * meter through the same code, so the same requests must give the same usage either way.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "engine/data.h"
#include "scenario.h"

/* CloudFront with an edge cache of 90% for statics and 40% × 50% of API reads at the edge; fixed
 * latencies so that a request's path time is known. */
static const char *edge_yaml =
    "traffic: {phases: [{duration: 100s, rate: 10/s}], mix: {static: 50%, api_read: 30%, "
    "api_write: 20%}, bytes: {static: 1000, api_read: 200, api_write: 100, request: 50}}\n"
    "cloudfront: {enabled: true, static_hit_ratio: 90%, api_cacheable: 40%, api_hit_ratio: 50%, "
    "edge_latency: 2ms, origin_latency: 30ms}\n"
    "alb: {latency: 1ms}\n"
    "api: {service: {api_read: 10ms, api_write: 10ms}}\n"
    "database: {enabled: false}\n";

/* A run with only what the chain needs: the scenario, the report its meters write, the end. */
static eng__run *chain_run(const mdl_scenario *s, eng_rep *out)
{
    eng__run *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    memset(out, 0, sizeof *out);
    r->s = s;
    r->out = out;
    r->end = mdl_traffic_duration(&s->traffic);
    base_err err;
    cr_assert_eq(eng__chain_init(r, &err), BASE_OK, "%s", err.msg);
    return r;
}

/* The chain on edge_yaml's scenario (one per test process: Criterion forks each test) */
static eng__run *edge_run(eng_rep *out)
{
    static mdl_scenario s;
    static bool bound;
    if (!bound)
        scenario(&s, edge_yaml);
    bound = true;
    return chain_run(&s, out);
}

/* One request along the chain up to the pods' side: the walk of eng__chain_request without its
 * last link, the pods (pods.c), which need a whole run to take a request on. */
static enum eng__outcome edge_request(eng__run *r, eng__hop *h)
{
    cr_assert_gt(r->npath, 0);
    cr_assert_eq(r->chain[r->on_path[r->npath - 1]].type, &eng__pods_component, "pods are last");
    for (int i = 0; i < r->npath - 1; i++) {
        const struct eng__link *l = &r->chain[r->on_path[i]];
        enum eng__outcome o = l->type->request(l->state, h);
        if (o != ENG__PASS)
            return o;
    }
    return ENG__PASS;
}

static void chain_done(eng__run *r)
{
    eng__chain_free(r);
    free(r);
}

/* The flow engine's recorders, counted */
struct tally {
    double served[MDL_NCLASS], failed[MDL_NCAUSE];
    int64_t min_lat, max_lat;
};

static void tally_served(void *eng, int cls, int64_t lat, double w, bool measured)
{
    (void)measured;
    struct tally *t = eng;
    t->served[cls] += w;
    if (lat < t->min_lat)
        t->min_lat = lat;
    if (lat > t->max_lat)
        t->max_lat = lat;
}

static void tally_failed(void *eng, mdl_cause cause, double n, bool measured)
{
    (void)measured;
    struct tally *t = eng;
    t->failed[cause] += n;
}

/* One flow step [now, now + 1 s) of n requests along the chain, its outcomes tallied. */
struct walk {
    struct tally t;
    eng__flow_hop h;
};

static void flow_walk(eng__run *r, struct walk *w, sim_time now, const double n[MDL_NCLASS])
{
    w->t = (struct tally){.min_lat = INT64_MAX, .max_lat = 0};
    sim_rng *g = sim_rng_new(1, 0, "test");
    cr_assert_not_null(g);
    w->h = (eng__flow_hop){.now = now,
                           .dt = SIM_SEC,
                           .measured = true,
                           .g = g,
                           .k_samples = 8,
                           .eng = &w->t,
                           .served = tally_served,
                           .failed = tally_failed};
    memcpy(w->h.n, n, sizeof w->h.n);
    memcpy(w->h.e, n, sizeof w->h.e);
    eng__chain_flow(r, &w->h);
    sim_rng_free(g);
    w->h.g = NULL;
}

Test(components, chain_is_in_path_order, .timeout = 30)
{
    eng_rep out;
    eng__run *r = edge_run(&out);
    static const char *const names[] = {"cloudfront", "route53", "alb",       "schedule",
                                        "api",        "redis",   "pgbouncer", "database",
                                        "aurora",     "rds",     "alarms",    "dr"};
    cr_assert_eq(r->nchain, 12);
    for (int i = 0; i < r->nchain; i++)
        cr_expect_str_eq(r->chain[i].type->name, names[i]);
    /* the request walk: CloudFront (on: statics), the ALB, the pods; Route 53 has no step, the
     * schedule is off the walk without a schedule, and the data tier is reached from the pods */
    cr_assert_eq(r->npath, 3);
    cr_expect_eq(r->on_path[0], 0);
    cr_expect_eq(r->on_path[1], 2);
    cr_expect_eq(r->on_path[2], 4);
    cr_expect_null(r->chain[4].type->flow, "the flow engine serves the pods in flow.c");
    for (int i = 0; i < r->nchain; i++) {
        cr_expect_not_null(r->chain[i].state);
        cr_expect_null(r->chain[i].type->emit, "no component emits through the chain yet");
    }
    /* the run's typed handles are the chain's states, in the chain's order */
    const void *const states[] = {r->cdn, r->dns,  r->alb,    r->sched, r->api,    r->cache,
                                  r->pgb, r->data, r->aurora, r->rds,   r->alarms, r->dr};
    for (int i = 0; i < 12; i++)
        cr_expect_eq(states[i], r->chain[i].state, "%s", names[i]);
    cr_expect_null(r->cache->st, "no Redis in the scenario: its component knows it is off");
    cr_expect_eq(r->data->ndbis, 0);
    cr_expect_float_eq(eng__cloudfront_api_hit(r->cdn), 0.2, 1e-12);
    chain_done(r);
}

Test(components, request_path_serves_statics_at_the_edge_and_passes_writes, .timeout = 30)
{
    eng_rep out;
    eng__run *r = edge_run(&out);
    int origin = 0;
    for (int i = 0; i < 200; i++) {
        eng__hop h = {.cls = MDL_STATIC, .delay = 0};
        cr_assert_eq(edge_request(r, &h), ENG__SERVED);
        /* 2 ms at the edge, plus 30 ms from S3 on a miss; never the ALB's 1 ms */
        cr_assert(h.delay == 2 * SIM_MS || h.delay == 32 * SIM_MS, "%lld", (long long)h.delay);
        origin += h.delay == 32 * SIM_MS;
    }
    eng__hop w = {.cls = MDL_API_WRITE, .delay = 0};
    cr_expect_eq(edge_request(r, &w), ENG__PASS);
    cr_expect_eq(w.delay, 3 * SIM_MS, "edge 2 ms + ALB 1 ms");
    eng__chain_meter(r);
    cr_expect_eq(out.usage.cdn_requests, 201);
    cr_expect_eq(out.usage.origin_requests, origin);
    cr_expect_gt(origin, 0);
    cr_expect_lt(origin, 60, "90%% hits: about 20 misses in 200");
    cr_expect_eq(out.usage.alb_requests, 1, "statics never reach the ALB");
    cr_expect_eq(out.usage.alb_bytes, 150, "request 50 + response 100 bytes");
    chain_done(r);
}

/* The same API requests metered one by one (request engine) and as one step (flow engine). */
Test(components, both_walks_meter_alike, .timeout = 30)
{
    eng_rep one, step;
    eng__run *a = edge_run(&one);
    for (int i = 0; i < 7; i++) {
        eng__hop h = {.cls = MDL_API_WRITE, .delay = 0};
        cr_assert_eq(edge_request(a, &h), ENG__PASS);
    }
    eng__chain_meter(a);
    eng__run *b = edge_run(&step);
    struct walk w;
    flow_walk(b, &w, 0, (double[MDL_NCLASS]){0, 0, 7});
    eng__chain_meter(b);
    cr_expect_eq(w.h.n[MDL_API_WRITE], 7, "writes pass the edge and the ALB");
    cr_expect_eq(one.usage.cdn_requests, step.usage.cdn_requests);
    cr_expect_eq(one.usage.cdn_bytes, step.usage.cdn_bytes);
    cr_expect_eq(one.usage.alb_requests, step.usage.alb_requests);
    cr_expect_eq(one.usage.alb_bytes, step.usage.alb_bytes);
    cr_expect_eq(step.usage.alb_bytes, 7 * 150);
    cr_expect_gt(step.usage.lcu_hours, 0, "the last partial hour is billed");
    cr_expect_eq(one.usage.lcu_hours, step.usage.lcu_hours);
    chain_done(a);
    chain_done(b);
}

/* CloudFront switched off (a scenario then has no static requests) changes nothing on a
 * request's path: the walk leaves it out (on_path). Switched on, it stays on the path
 * (chain_is_in_path_order). */
Test(components, a_component_with_nothing_to_do_is_off_the_path, .timeout = 30)
{
    static mdl_scenario off;
    scenario(&off, "traffic: {phases: [{duration: 10s, rate: 10/s}], mix: {api_read: 100%}}\n"
                   "cloudfront: {enabled: false}\n"
                   "api: {service: {api_read: 10ms, api_write: 10ms}}\n"
                   "database: {enabled: false}\n");
    eng_rep out;
    eng__run *r = chain_run(&off, &out);
    cr_assert_eq(r->npath, 2, "the ALB and the pods");
    cr_expect_str_eq(r->chain[r->on_path[0]].type->name, "alb");
    eng__hop h = {.cls = MDL_API_READ};
    cr_expect_eq(edge_request(r, &h), ENG__PASS);
    eng__chain_meter(r);
    cr_expect_eq(out.usage.cdn_requests, 0);
    cr_expect_eq(out.usage.alb_requests, 1);
    chain_done(r);
}

Test(components, flow_step_conserves_requests, .timeout = 30)
{
    eng_rep out;
    eng__run *r = edge_run(&out);
    double offered[MDL_NCLASS] = {1000, 600, 400};
    struct walk w;
    flow_walk(r, &w, 0, offered);
    const struct tally t = w.t;
    const eng__flow_hop h = w.h;
    /* every static at the edge; 20% of reads there; the rest on to the pods */
    cr_expect_float_eq(t.served[MDL_STATIC], 1000, 1e-9);
    cr_expect_float_eq(t.served[MDL_API_READ], 120, 1e-9);
    cr_expect_eq(h.n[MDL_STATIC], 0);
    cr_expect_float_eq(h.n[MDL_API_READ], 480, 1e-9);
    cr_expect_eq(h.n[MDL_API_WRITE], 400);
    cr_expect_float_eq(h.e[MDL_API_READ], 480, 1e-9);
    for (int k = 0; k < MDL_NCLASS; k++)
        cr_expect_float_eq(t.served[k] + h.n[k], offered[k], 1e-9, "class %d", k);
    cr_expect_geq(t.min_lat, 2 * SIM_MS);
    cr_expect_leq(t.max_lat, 32 * SIM_MS);
    eng__chain_meter(r);
    cr_expect_float_eq(out.usage.origin_requests, 100, 1e-9, "10%% of 1000 statics miss");
    cr_expect_float_eq(out.usage.alb_requests, 880, 1e-9);
    chain_done(r);
}

Test(components, stale_dns_fails_a_falling_share, .timeout = 30)
{
    static mdl_scenario s;
    char y[2048];
    snprintf(y, sizeof y, "%sdr: {dns_ttl: 60s}\n", edge_yaml);
    scenario(&s, y);
    eng_rep out;
    eng__run *r = chain_run(&s, &out);
    cr_expect_eq(eng__dns_switched_at(r->dns), -1);
    cr_expect_eq(eng__dns_stale(r->dns, 10 * SIM_SEC), 0, "no switch: nobody is stale");
    eng__dns_switch(r->dns, 100 * SIM_SEC);
    cr_expect_eq(eng__dns_switched_at(r->dns), 100 * SIM_SEC);
    cr_expect_float_eq(eng__dns_stale(r->dns, 100 * SIM_SEC), 1, 1e-12);
    cr_expect_float_eq(eng__dns_stale(r->dns, 130 * SIM_SEC), 0.5, 1e-12);
    cr_expect_eq(eng__dns_stale(r->dns, 160 * SIM_SEC), 0, "a TTL later");
    struct walk w; /* the step's middle at 130 s: half stale */
    flow_walk(r, &w, 130 * SIM_SEC - SIM_SEC / 2, (double[MDL_NCLASS]){0, 0, 100});
    cr_expect_float_eq(w.t.failed[MDL_ERR_NO_TARGET], 50, 1e-9);
    cr_expect_float_eq(w.h.n[MDL_API_WRITE], 50, 1e-9);
    eng__chain_meter(r);
    cr_expect_float_eq(out.usage.alb_requests, 50, 1e-9, "the stale half never reach the ALB");
    chain_done(r);
}

/* A component that loses half of what reaches it without a word: the walk's ledger must stop
 * the run (BASE_ASSERT: every build checks it unless configured with SIMULATE_ASSERT=OFF). */
static void leaky_flow(void *state, eng__flow_hop *h)
{
    (void)state;
    h->n[MDL_API_WRITE] /= 2;
}

static int leaky_init(eng__run *r, void **state, base_err *err)
{
    return eng__state_new(r, sizeof(sim_rng *), NULL, "leaky", state, err);
}

static const eng__component leaky = {
    .name = "leaky", .init = leaky_init, .free = eng__state_free, .flow = leaky_flow};

#ifndef SIMULATE_NO_ASSERT
Test(components, a_component_that_loses_requests_is_caught, .timeout = 30, .signal = SIGABRT)
{
    eng_rep out;
    eng__run *r = edge_run(&out);
    base_err err;
    r->chain[r->nchain].type = &leaky;
    cr_assert_eq(leaky.init(r, &r->chain[r->nchain].state, &err), BASE_OK);
    r->nchain++;
    struct walk w;
    flow_walk(r, &w, 0, (double[MDL_NCLASS]){0, 0, 10});
}
#endif

/* The data tier's components on their own: what each init sets up and what each meters, with
 * a kernel for the clock the instances read (no event runs). */
static eng__run *data_run(const char *data_yaml, mdl_scenario *s, eng_rep *out)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%s%s",
             "traffic: {phases: [{duration: 100s, rate: 10/s}], mix: {api_read: 100%}}\n"
             "api: {service: {api_read: 10ms, api_write: 10ms}}\n",
             data_yaml);
    scenario(s, yaml);
    eng__run *r = chain_run(s, out);
    r->k = sim_new();
    cr_assert_not_null(r->k);
    return r;
}

static void data_done(eng__run *r)
{
    sim_engine *k = r->k;
    chain_done(r);
    sim_free(k);
}

Test(components, rds_and_redis_set_up_and_meter_through_the_chain, .timeout = 30)
{
    static mdl_scenario s;
    eng_rep out;
    eng__run *r = data_run("pricing: " SIMULATE_ROOT "/models/pricing/us-east-1.yaml\n"
                           "database: {enabled: true, engine: rds, instance_class: db.t3.medium, "
                           "read_replicas: 1}\n"
                           "pgbouncer: {mode: central}\n"
                           "redis: {enabled: true, nodes: 2}\n",
                           &s, &out);
    cr_assert_eq(r->data->ndbis, 2, "the primary and its replica");
    const cost_db_class *c = &s.cluster.catalog.db[s.db.db_class];
    cr_expect_eq(r->rds->burst, c, "db.t3 is burstable");
    cr_expect_float_eq(r->data->dbis[1].cores, c->vcpu, 1e-12);
    cr_expect_gt(r->data->max_conns, 0);
    cr_expect_not_null(r->cache->st);
    cr_expect_not(r->aurora->on);
    eng__chain_meter(r);
    cr_expect_float_eq(out.usage.db_primary_seconds, 100, 1e-9);
    cr_expect_float_eq(out.usage.db_replica_seconds, 100, 1e-9);
    cr_expect_float_eq(out.usage.cache_node_seconds, 200, 1e-9, "two nodes for 100 s");
    cr_expect_eq(out.usage.acu_seconds, 0);
    data_done(r);
}

Test(components, aurora_starts_at_its_minimum_capacity, .timeout = 30)
{
    static mdl_scenario s;
    eng_rep out;
    eng__run *r = data_run("database: {enabled: true, engine: aurora, "
                           "aurora: {acu_min: 2, readers: 1}}\n",
                           &s, &out);
    cr_assert(r->aurora->on);
    cr_assert_eq(r->data->ndbis, 2, "the writer and its reader");
    for (int i = 0; i < 2; i++) {
        cr_expect_float_eq(r->data->dbis[i].acu, 2, 1e-12);
        cr_expect_float_eq(r->data->dbis[i].cores, 2 * s.db.vcpu_per_acu, 1e-12);
    }
    cr_expect_null(r->rds->burst);
    cr_expect_null(r->cache->st);
    eng__chain_meter(r);
    cr_expect_eq(out.usage.db_primary_seconds, 0, "Aurora bills ACU-seconds, not instances");
    cr_expect_eq(out.usage.cache_node_seconds, 0);
    data_done(r);
}

/* The paging alarm (the seed's: error rate > 5% for five 1-minute periods) after every API
 * request fails from t on, half the requests being API ones: from the first period in which
 * the failures are over 5% of the requests, five periods. */
Test(components, the_pager_fires_five_periods_after_the_first_breaching_one, .timeout = 30)
{
    eng_rep out;
    eng__run *r = edge_run(&out);
    const mdl_alarm *pager = eng__alarms_pager(r->alarms);
    cr_assert_eq(pager->metric, MDL_ALARM_ERROR_RATE);
    cr_assert_eq(pager->period, 60 * SIM_SEC);
    /* at 90 s: half of the period [60, 120) fails, 25% > 5%: that period breaches */
    cr_expect_eq(eng__alarms_page_at(r->alarms, 90 * SIM_SEC), 360 * SIM_SEC);
    /* at 119.5 s: 0.4% of that period, under 5%: the next one is the first */
    cr_expect_eq(eng__alarms_page_at(r->alarms, 119500 * SIM_MS), 420 * SIM_SEC);
    chain_done(r);
}

/* The alarms' meter judges the scenario's alarms on the series: ten 1-minute rows whose error
 * rate is 50% from the third on fire the 5-period critical alarm at the end of the seventh. */
Test(components, the_alarms_meter_judges_the_series, .timeout = 30)
{
    static mdl_scenario s;
    scenario(
        &s, "traffic: {phases: [{duration: 600s, rate: 10/s}], mix: {static: 50%, api_read: 50%}}\n"
            "series_interval: 60s\n"
            "api: {service: {api_read: 10ms, api_write: 10ms}}\n"
            "database: {enabled: false}\n"
            "alarms: [{name: errors, metric: error_rate, threshold: 5, period: 60s, "
            "evaluation_periods: 5}]\n");
    eng_rep out;
    eng__run *r = chain_run(&s, &out);
    base_err err;
    cr_assert_eq(eng__record_init(r, &err), BASE_OK);
    size_t arrivals = eng_series_count, errors = eng__series_column(MDL_ALARM_ERROR_RATE);
    for (size_t c = 0; c < eng_series_count; c++)
        if (!strcmp(eng_series_names[c], "arrivals_per_s"))
            arrivals = c;
    cr_assert_lt(arrivals, eng_series_count);
    double row[64] = {0};
    cr_assert_leq(eng_series_count, sizeof row / sizeof row[0]);
    for (int i = 0; i < 10; i++) {
        row[0] = 60.0 * i;
        row[arrivals] = 10;
        row[errors] = i >= 2 ? 5 : 0;
        cr_assert_eq(ser_append(r->series, row), BASE_OK);
    }
    cr_assert_eq(ser_flush(r->series), BASE_OK);
    cr_assert_eq(s.nalarms, 1);
    out.alarm_first_s[0] = -2;
    eng__chain_meter(r);
    cr_expect_float_eq(out.alarm_first_s[0], 420, 1e-9, "the end of the seventh minute");
    cr_expect_float_eq(out.alarm_s[0], 240, 1e-9, "in alarm from 7 to 10 min (4 periods)");
    hist_free(r->iv_latency);
    ser_free(r->series);
    chain_done(r);
}

/* The DR region starts up, its runbook not run: its meter leaves the steps unknown, and there is
 * no replica lag without a DR region. */
Test(components, the_dr_region_is_up_and_its_runbook_not_run, .timeout = 30)
{
    eng_rep out;
    eng__run *r = edge_run(&out);
    cr_expect_not(eng__dr_region_down(r->dr));
    cr_expect_eq(eng__dr_replica_lag(r->dr, 10 * SIM_SEC), 0);
    for (int i = 0; i < ENG_DR_STEPS; i++)
        out.dr_step_s[i] = 1;
    eng__chain_meter(r);
    for (int i = 0; i < ENG_DR_STEPS; i++)
        cr_expect(isnan(out.dr_step_s[i]), "step %d", i);
    cr_expect_not(out.detected_by_health_check);
    chain_done(r);
}
