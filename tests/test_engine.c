/*
 * test_engine.c — the request engine's behaviour on small scenarios written inline: each error
 * cause where it must appear (and only there), warm-up and mix accounting, determinism, common
 * random numbers across variants, and two runs on two threads at once.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "io/io.h"
#include "scenario.h"
#include "support/a_engine.h"
#include "support/a_threads.h"

static const char *queue_base = "cloudfront: {enabled: false}\n"
                                "alb: {latency: 0s, idle_timeout: 0s}\n"
                                "database: {enabled: false}\n";

/* One replication of the request engine on the scenario base + yaml. */
static void run_yaml(const char *base, const char *yaml, eng_rep *r)
{
    static mdl_scenario s;
    char y[1024];
    cr_assert_lt(snprintf(y, sizeof y, "%s%s", base, yaml), (int)sizeof y);
    scenario(&s, y);
    run_request(&s, 0, r);
}

Test(engine, worker_timeout_kills_every_long_request, .timeout = 30)
{
    eng_rep r;
    run_yaml(queue_base,
             "replications: 1\ntraffic: {phases: [{duration: 100s, rate: 0.2/s}], mix: "
             "{api_read: 100%}}\napi: {replicas: 1, workers: 4, timeout: 1s, service: "
             "{api_read: 2s, api_write: 2s}}\n",
             &r);
    double n = r.arrivals[MDL_API_READ];
    cr_assert_gt(n, 0);
    cr_expect_eq(r.served[MDL_API_READ], 0, "a 2 s request cannot beat a 1 s worker timeout");
    cr_expect_eq(r.errors[MDL_ERR_WORKER_TIMEOUT], n);
    cr_expect_eq(errors_total(&r), n);
    eng_rep_clear(&r);
}

Test(engine, alb_idle_timeout_caps_latency, .timeout = 30)
{
    /* 2 requests/s against one 1-second worker: the backlog grows without bound, so every request
     * that waits more than the 10 s idle timeout is a 504 and no served request is slower. */
    eng_rep r;
    run_yaml("",
             "cloudfront: {enabled: false}\nalb: {latency: 0s, idle_timeout: 10s}\n"
             "database: {enabled: false}\nreplications: 1\n"
             "traffic: {phases: [{duration: 200s, rate: 2/s}], mix: {api_read: 100%}}\n"
             "api: {replicas: 1, workers: 1, timeout: 0s, service: {api_read: 1s, api_write: "
             "1s}}\n",
             &r);
    cr_expect_gt(r.errors[MDL_ERR_ALB_TIMEOUT], 0);
    cr_expect_gt(r.served[MDL_API_READ], 0);
    cr_expect_leq(hist_max(r.latency), 10 * SIM_SEC, "served latency %lld ns exceeds the timeout",
                  (long long)hist_max(r.latency));
    cr_expect_eq(r.served[MDL_API_READ] + errors_total(&r), r.arrivals[MDL_API_READ],
                 "every measured request is served or failed");
    eng_rep_clear(&r);
}

Test(engine, full_backlog_refuses, .timeout = 30)
{
    /* no backlog and one worker busy 10 s: while it is busy, every arrival is refused */
    eng_rep r;
    run_yaml(queue_base,
             "replications: 1\ntraffic: {phases: [{duration: 100s, rate: 1/s}], mix: "
             "{api_read: 100%}}\napi: {replicas: 1, workers: 1, backlog: 0, timeout: 0s, "
             "service: {api_read: 10s, api_write: 10s}}\n",
             &r);
    cr_expect_gt(r.errors[MDL_ERR_BACKLOG_FULL], r.served[MDL_API_READ] * 5);
    cr_expect_eq(hist_max(r.pod_wait), 0, "with no backlog nobody waits");
    cr_expect_eq(r.errors[MDL_ERR_BACKLOG_FULL] + r.served[MDL_API_READ], r.arrivals[MDL_API_READ]);
    eng_rep_clear(&r);
}

Test(engine, warmup_and_mix_accounting, .timeout = 30)
{
    eng_rep r;
    run_yaml("",
             "replications: 1\nwarmup: 50s\n"
             "traffic: {phases: [{duration: 150s, rate: 200/s}], mix: {static: 50%, "
             "api_read: 30%, api_write: 20%}}\n"
             "api: {replicas: 4, workers: 8, service: {api_read: 5ms, api_write: 5ms}}\n",
             &r);
    double n = r.arrivals[0] + r.arrivals[1] + r.arrivals[2];
    /* Poisson count over the 100 s window: mean 20000, sd 141; 5 sd either side */
    cr_expect(fabs(n - 20000) < 5 * sqrt(20000), "measured arrivals %.0f", n);
    cr_expect_float_eq(r.window, 100.0, 1e-9);
    double share[3] = {0.5, 0.3, 0.2};
    for (int c = 0; c < 3; c++) {
        double sd = sqrt(n * share[c] * (1 - share[c]));
        cr_expect(fabs(r.arrivals[c] - n * share[c]) < 5 * sd, "class %d: %.0f of %.0f", c,
                  r.arrivals[c], n);
    }
    eng_rep_clear(&r);
}

Test(engine, same_seed_same_result_and_crn_across_variants, .timeout = 60)
{
    static mdl_scenario a, b;
    const char *y = "replications: 1\nseed: 7\n"
                    "traffic: {phases: [{duration: 60s, users: 3k, ramp_to: 6k}], "
                    "requests_per_user_per_minute: 6, mix: {static: 50%, api_read: 40%, "
                    "api_write: 10%}}\n"
                    "api: {replicas: 6, workers: 2, service: {api_read: {dist: lognormal, mean: "
                    "20ms, p99: 100ms}, api_write: {dist: exponential, mean: 30ms}}}\n"
                    "database: {servers: 4, queries: {api_read: 2, api_write: 3}}\n";
    scenario(&a, y);
    scenario(&b, y);
    eng_rep r1, r2, r3;
    run_request(&a, 3, &r1);
    run_request(&b, 3, &r2);
    cr_expect_eq(r1.events, r2.events);
    cr_expect_eq(hist_mean(r1.latency), hist_mean(r2.latency));
    cr_expect_eq(memcmp(r1.served, r2.served, sizeof r1.served), 0);
    /* a variant with more pods sees exactly the same requests */
    b.api.replicas = 12;
    run_request(&b, 3, &r3);
    cr_expect_eq(memcmp(r1.arrivals, r3.arrivals, sizeof r1.arrivals), 0,
                 "arrivals must not depend on downstream components");
    cr_expect_neq(r1.events, 0);
    eng_rep_clear(&r1);
    eng_rep_clear(&r2);
    eng_rep_clear(&r3);
}

/* Replications 0 and 1 of one scenario, and the status each run returned. */
typedef struct two_reps {
    const mdl_scenario *s;
    eng_rep out[2];
    int status[2];
} two_reps;

static void run_rep(void *ctx, int i)
{
    two_reps *p = ctx;
    base_err err;
    p->status[i] = eng_run_request(p->s, (uint32_t)i, &p->out[i], &err);
}

Test(engine, two_replications_on_two_threads, .timeout = 60)
{
    static mdl_scenario s;
    scenario(&s, "replications: 2\n"
                 "traffic: {phases: [{duration: 120s, rate: 300/s}], mix: {static: 40%, "
                 "api_read: 50%, api_write: 10%}}\n"
                 "api: {replicas: 4, workers: 2, service: {api_read: {dist: exponential, mean: "
                 "10ms}, api_write: 20ms}}\n");
    two_reps seq = {&s, {{0}}, {-1, -1}}, par = seq;
    for (int i = 0; i < 2; i++) {
        run_rep(&seq, i);
        cr_assert_eq(seq.status[i], BASE_OK);
    }
    run_at_once(run_rep, &par, 2);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(par.status[i], BASE_OK);
        cr_expect_eq(par.out[i].events, seq.out[i].events);
        cr_expect_eq(hist_mean(par.out[i].latency), hist_mean(seq.out[i].latency));
        cr_expect_eq(hist_percentile(par.out[i].latency, 99),
                     hist_percentile(seq.out[i].latency, 99));
        cr_expect_gt(hist_count(par.out[i].latency), 0);
        eng_rep_clear(&par.out[i]);
        eng_rep_clear(&seq.out[i]);
    }
}
