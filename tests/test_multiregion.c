/*
 * test_multiregion.c — two active regions (seed §11.3; model/regions.c, engine/geo.c,
 * app/regions.c): the load curves the split needs, EMEA's p99 with and without eu-west-1, the
 * round trips EMEA's writes pay to the us-east-1 primary, the bill's eu-west-1 lines and
 * inter-region transfer, EMEA's writes on the us-east-1 primary and eu-west-1's workers waiting
 * through the crossings, eu-west-1's replica lag, either region lost (its users moved by Route 53
 * after the health checks; us-east-1's loss promoting eu-west-1's replica; the loss, the move
 * and the promotion as report.json's events, which the charts mark), and the same seed
 * giving the same figures. Bad `regions:` keys are in
 * tests/data/bad/regions-*.yaml.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when they differ; see test_schedule.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "app/app.h"
#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"
#include "metrics/metrics.h"
#include "files.h"
#include "report/report.h"
#include "support/b_load.h"
#include "support/c_run_dir.h"

#define M(x) ((sim_time)((x) * (double)SIM_MIN))

static mdl_scenario *load(const char *name)
{
    mdl_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    load_testdata(s, "regions", name);
    return s;
}

/* Runs s and prices it as a run does: its figures, the regions' among them. */
static void run(const mdl_scenario *s, eng_summary *sum, cost_month *bill)
{
    base_err err;
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, sum, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(app_add_costs(sum, NULL, 0, bill, &err), BASE_OK, "%s", err.msg);
}

static double fig(const eng_summary *sum, const char *key)
{
    const eng_figure *f = eng_summary_figure(sum, key);
    cr_assert(f, "no figure %s", key);
    return f->ci.mean;
}

/* Loads tests/data/regions/name and runs it (run); done frees it. */
static mdl_scenario *load_run(const char *name, eng_summary *sum, cost_month *bill)
{
    mdl_scenario *s = load(name);
    run(s, sum, bill);
    return s;
}

/* The end of a test: the figures of its run (a) or of its two runs (a and b) cleared, and its
 * scenario freed. */
static void done(mdl_scenario *s, eng_summary *a, eng_summary *b)
{
    eng_summary_clear(a);
    if (b)
        eng_summary_clear(b);
    free(s);
}

/* ---------------------------------------------------------------- the curves */

Test(multiregion, curves, .timeout = 120)
{
    mdl_traffic_config t;
    memset(&t, 0, sizeof t);
    t.requests_per_user_min = 6;
    t.nphases = 2;
    t.phases[0] = (mdl_phase){"night", M(60), 100, 100};
    t.phases[1] = (mdl_phase){"day", M(60), 100, 300};
    /* shifted by 30 minutes: at t it is the original at t + 30 min, the window a cycle */
    mdl_traffic_config sh;
    cr_assert_eq(mdl_traffic_shift(&t, M(30), &sh), BASE_OK);
    cr_expect_eq(mdl_traffic_duration(&sh), M(120));
    cr_expect_float_eq(mdl_traffic_users(&sh, M(0)), 100, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&sh, M(30)), 100, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&sh, M(60)), 200, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&sh, M(89)), 300 - 200.0 / 60, 1e-6);
    cr_expect_float_eq(mdl_traffic_users(&sh, M(90)), 100, 1e-9, "the seam: back to night");
    cr_expect_float_eq(mdl_traffic_expected(&sh), mdl_traffic_expected(&t), 1e-6,
                       "a shift moves the load, it does not change it");
    /* added: 70% of one and 30% of the other, the second counted from 60 min */
    mdl_traffic_config sum;
    cr_assert_eq(mdl_traffic_add(&t, 0.7, &sh, 0.3, M(60), 0, &sum), BASE_OK);
    cr_expect_float_eq(mdl_traffic_users(&sum, M(30)), 70, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&sum, M(60)), 0.7 * 100 + 0.3 * 200, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&sum, M(100)), 0.7 * (100 + 200 * 40.0 / 60) + 0.3 * 100,
                       1e-6);
}

/* ---------------------------------------------------------------- EMEA's latency */

Test(multiregion, emea_p99_falls_with_the_second_region, .timeout = 120)
{
    mdl_scenario *two = load("small.yaml");
    mdl_scenario *one = malloc(sizeof *one);
    *one = *two;
    one->regions.serve = MDL_REGIONS_ONE;
    eng_summary a, b;
    run(one, &a, NULL);
    run(two, &b, NULL);
    free(one);
    double rtt = sim_dist_mean(&two->regions.rtt) * 1e3; /* ms */
    double one_emea = fig(&a, "api_latency_p99_emea"), one_us = fig(&a, "api_latency_p99_us");
    double two_emea = fig(&b, "api_latency_p99_emea");
    /* one region: every EMEA API request crosses the Atlantic once */
    cr_expect_geq(one_emea, one_us + 0.8 * rtt, "one region: EMEA %.1f ms, US %.1f ms", one_emea,
                  one_us);
    /* two: EMEA's reads are local, and they are the p99 (writes are under 1% of the API's) */
    cr_expect_lt(two_emea, one_emea - 0.5 * rtt,
                 "EMEA p99: %.1f ms in eu-west-1, %.1f ms from "
                 "us-east-1",
                 two_emea, one_emea);
    done(two, &a, &b);
}

Test(multiregion, emea_writes_pay_the_round_trip, .timeout = 120)
{
    eng_summary sum;
    mdl_scenario *s = load_run("small.yaml", &sum, NULL);
    /* three statements (database.queries.api_write), each a round trip of at least 62 ms */
    double trips = mdl_regions_write_trips(s);
    cr_expect_float_eq(trips, 3, 1e-9);
    double floor_ms = trips * 62;
    cr_expect_geq(fig(&sum, "write_latency_min_emea"), floor_ms * 0.99,
                  "every EMEA write pays its crossings: min %.1f ms",
                  fig(&sum, "write_latency_min_emea"));
    cr_expect_geq(fig(&sum, "write_latency_p50_emea"),
                  fig(&sum, "write_latency_p50_us") + trips * 62 * 0.99);
    done(s, &sum, NULL);
}

/* ---------------------------------------------------------------- the regions coupled */

/* Runs one region's clone of s (the scenario as that region runs it) on its own. */
static void run_clone(const mdl_scenario *c, eng_summary *sum)
{
    base_err err;
    cr_assert_eq(eng_run(c, 2, NULL, NULL, NULL, sum, &err), BASE_OK, "%s", err.msg);
}

/* Runs two clones, x and y (the same but for what the test varies), each on its own into a and
 * b, and frees them. */
static void run_both(mdl_scenario *x, mdl_scenario *y, eng_summary *a, eng_summary *b)
{
    run_clone(x, a);
    run_clone(y, b);
    free(x);
    free(y);
}

/* EMEA's writes run on the us-east-1 primary: its CPU rises by their statements' CPU. The
 * us-east-1 clone run twice, with EMEA's writes reaching it and without, on both engines. */
static void emea_writes_load(int fidelity)
{
    mdl_scenario *s = load("writes.yaml");
    s->fidelity = fidelity;
    mdl_scenario *with = malloc(sizeof *with), *without = malloc(sizeof *without);
    cr_assert_eq(mdl_regions_clone(s, MDL_REGION_US, 0, with), BASE_OK);
    cr_assert(with->regions.has_remote, "us-east-1's clone receives EMEA's writes");
    *without = *with;
    without->regions.has_remote = false;
    eng_summary a, b;
    run_both(with, without, &a, &b);
    /* EMEA's write statements: users x requests a second x the write share x statements x
     * their mean CPU, over the primary's vCPUs */
    double users = s->regions.emea_share * mdl_traffic_users(&s->traffic, M(10));
    double tx = users * s->traffic.requests_per_user_min / 60 * s->traffic.mix[MDL_API_WRITE];
    double vcpu = tx * s->db.queries[MDL_API_WRITE] * sim_dist_mean(&s->db.write_time);
    double cores = s->cluster.catalog.db[s->db.db_class].vcpu;
    double rise = fig(&a, "database_utilisation") - fig(&b, "database_utilisation");
    cr_expect_gt(vcpu / cores * 100, 2, "the test's EMEA writes are worth seeing: %.2f%%",
                 vcpu / cores * 100);
    cr_expect_float_eq(rise, vcpu / cores * 100, 0.15 * vcpu / cores * 100 + 0.3,
                       "the primary's CPU rises by EMEA's writes: %.2f points, expected %.2f", rise,
                       vcpu / cores * 100);
    done(s, &a, &b);
}

Test(multiregion, emea_writes_raise_the_us_primary_load_flow, .timeout = 120)
{
    emea_writes_load(MDL_FIDELITY_FLOW);
}

Test(multiregion, emea_writes_raise_the_us_primary_load_request, .timeout = 120)
{
    emea_writes_load(MDL_FIDELITY_REQUEST);
}

/* The API writes' median latency, ms, averaged over the replications. */
static double write_p50(const eng_summary *sum)
{
    double m = 0;
    for (int i = 0; i < sum->replications; i++)
        m += (double)hist_percentile(sum->reps[i].latency_class[MDL_API_WRITE], 50) / 1e6;
    return m / sum->replications;
}

/* eu-west-1's workers wait through the crossings: its writes hold them a round trip a
 * statement longer than if they ran locally, and its own database serves only reads. */
Test(multiregion, eu_workers_wait_through_the_crossings, .timeout = 120)
{
    mdl_scenario *s = load("writes.yaml");
    s->fidelity = MDL_FIDELITY_FLOW;
    mdl_scenario *remote = malloc(sizeof *remote), *local = malloc(sizeof *local);
    cr_assert_eq(mdl_regions_clone(s, MDL_REGION_EU, 0, remote), BASE_OK);
    cr_assert(remote->regions.remote_writes);
    *local = *remote;
    local->regions.remote_writes = false;
    eng_summary a, b;
    run_both(remote, local, &a, &b);
    double trips = mdl_regions_write_trips(s), rtt = sim_dist_mean(&s->regions.rtt) * 1e3;
    cr_expect_geq(write_p50(&a) - write_p50(&b), 0.9 * trips * rtt,
                  "the crossings are in the run's write latency: %.1f ms against %.1f ms",
                  write_p50(&a), write_p50(&b));
    cr_expect_lt(fig(&a, "database_utilisation"), fig(&b, "database_utilisation"),
                 "eu-west-1's copy serves reads only");
    /* a worker held longer: more of them busy for the same requests (Little), so more
     * requests find their pod's worker taken (the HPA, on CPU, does not see a worker that
     * waits) */
    cr_expect_gt(fig(&a, "pod_wait_share"), 1.5 * fig(&b, "pod_wait_share"),
                 "requests that wait for a worker: %.2f%% against %.2f%%",
                 fig(&a, "pod_wait_share"), fig(&b, "pod_wait_share"));
    done(s, &a, &b);
}

/* EMEA's write statements run at the us-east-1 primary's loaded speed: eu-west-1's clone run
 * with the primary's slowdown (from us-east-1's run; here set to 4, a primary near saturation)
 * and without. Each write's statements then take 4x their CPU time there: 3 x 3 x the mean
 * longer. */
static void emea_writes_at_loaded_speed(int fidelity)
{
    mdl_scenario *s = load("writes.yaml");
    s->fidelity = fidelity;
    mdl_scenario *loaded = malloc(sizeof *loaded), *idle = malloc(sizeof *idle);
    cr_assert_eq(mdl_regions_clone(s, MDL_REGION_EU, 0, idle), BASE_OK);
    cr_assert(!idle->regions.primary_slowdown, "a clone alone: the primary unloaded");
    *loaded = *idle;
    static const double four[] = {4};
    loaded->regions.primary_slowdown = four;
    loaded->regions.primary_n = 1;
    loaded->regions.primary_step = SIM_HOUR;
    eng_summary a, b;
    run_both(loaded, idle, &a, &b);
    double q = s->db.queries[MDL_API_WRITE], wt = sim_dist_mean(&s->db.write_time) * 1e3;
    double rise = write_p50(&a) - write_p50(&b);
    cr_expect_float_eq(rise, 3 * q * wt, 0.35 * 3 * q * wt,
                       "the write p50 rises by 3 x %g statements x %.1f ms: %.2f ms", q, wt, rise);
    done(s, &a, &b);
}

Test(multiregion, emea_writes_run_at_the_loaded_primary_speed_flow, .timeout = 120)
{
    emea_writes_at_loaded_speed(MDL_FIDELITY_FLOW);
}

Test(multiregion, emea_writes_run_at_the_loaded_primary_speed_request, .timeout = 120)
{
    emea_writes_at_loaded_speed(MDL_FIDELITY_REQUEST);
}

/* EMEA's write statements hold some of the us-east-1 primary's max_connections (each from its
 * arrival there until its answer has crossed back: Little's law), in both engines. The
 * us-east-1 clone of a small day with 5% writes, its crossings set to 1,000 s so that EMEA's
 * statements (0.9 writes/s x 3 statements x 1,000 s: 2,700) hold every connection the
 * primary has: us-east-1's own transactions then find none to open ("too many connections");
 * without EMEA's writes, none fail so. */
static void emea_writes_hold_connections(int fidelity)
{
    mdl_scenario *s = load("small.yaml");
    s->fidelity = fidelity;
    s->traffic.mix[MDL_API_READ] = 0.35;
    s->traffic.mix[MDL_API_WRITE] = 0.05;
    base_err err;
    sim_dist_spec slow = {.kind = SIM_DIST_DETERMINISTIC, .mean = 1000};
    cr_assert_eq(sim_dist_make(&s->regions.rtt, &slow, &err), BASE_OK);
    mdl_scenario *with = malloc(sizeof *with), *without = malloc(sizeof *without);
    cr_assert_eq(mdl_regions_clone(s, MDL_REGION_US, 0, with), BASE_OK);
    *without = *with;
    without->regions.has_remote = false;
    eng_summary a, b;
    run_both(with, without, &a, &b);
    for (int i = 0; i < a.replications; i++) {
        cr_expect_gt(a.reps[i].errors[MDL_ERR_DB_CONNECTIONS], 0,
                     "EMEA's statements hold the connections");
        cr_expect_eq(b.reps[i].errors[MDL_ERR_DB_CONNECTIONS], 0);
    }
    done(s, &a, &b);
}

Test(multiregion, emea_writes_hold_us_connections_request, .timeout = 120)
{
    emea_writes_hold_connections(MDL_FIDELITY_REQUEST);
}

Test(multiregion, emea_writes_hold_us_connections_flow, .timeout = 120)
{
    emea_writes_hold_connections(MDL_FIDELITY_FLOW);
}

Test(multiregion, eu_replica_lag_is_reported, .timeout = 120)
{
    eng_summary sum;
    mdl_scenario *s = load_run("small.yaml", &sum, NULL);
    /* dr.replica_lag (1-10 s) with a replay far from busy: no backlog */
    for (int i = 0; i < sum.replications; i++) {
        cr_expect_geq(sum.reps[i].geo.replica_lag_s, 1);
        cr_expect_leq(sum.reps[i].geo.replica_lag_s, 10);
    }
    const eng_figure *f = eng_summary_figure(&sum, "replica_lag_eu_west_1");
    cr_assert(f);
    cr_expect(isfinite(f->ci.half), "with its 95%% interval");
    done(s, &sum, NULL);
}

/* eu-west-1's copy's lag is the replay backlog of the writes each replication committed (its
 * runs' series), not of the load curves' expected rate (tests/data/regions/lag.yaml: 60 writes
 * a second replayed at 24 ms each, the backlog growing by 0.44 s a second, ~396 s over the 15
 * minutes, the lag with nothing waiting fixed at 1 s): the replications differ only by the
 * writes they drew. */
Test(multiregion, eu_replica_lag_follows_the_replications_writes, .timeout = 120)
{
    eng_summary sum;
    mdl_scenario *s = load_run("lag.yaml", &sum, NULL);
    double expect = 1 + (60 * 3 * 0.008 - 1) * 900;
    for (int i = 0; i < sum.replications; i++)
        cr_expect_float_eq(sum.reps[i].geo.replica_lag_s, expect, 0.1 * expect,
                           "replication %d: lag %.1f s, expected about %.1f s", i,
                           sum.reps[i].geo.replica_lag_s, expect);
    cr_expect_neq(sum.reps[0].geo.replica_lag_s, sum.reps[1].geo.replica_lag_s,
                  "each replication's own writes: %.3f s and %.3f s", sum.reps[0].geo.replica_lag_s,
                  sum.reps[1].geo.replica_lag_s);
    done(s, &sum, NULL);
}

/* ---------------------------------------------------------------- the bill */

Test(multiregion, the_bill_has_eu_west_1_and_the_transfer, .timeout = 120)
{
    cost_month *bill = calloc(1, sizeof *bill);
    eng_summary sum;
    mdl_scenario *s = load_run("small.yaml", &sum, bill);
    int eu = 0, transfer = 0;
    int64_t total = 0;
    for (size_t i = 0; i < bill->n; i++) {
        const cost_line *l = &bill->lines[i];
        eu += strncmp(l->item, "eu-west-1: ", 11) == 0;
        if (strstr(l->item, "inter-region us-east-1 <-> eu-west-1")) {
            transfer++;
            cr_expect_eq(l->comp, COST_DATA_TRANSFER);
            cr_expect_eq(l->unit_price, 20000, "$0.02/GB");
        }
        total += l->monthly;
    }
    cr_expect_eq(total, bill->total);
    cr_expect_geq(eu, 5, "eu-west-1's EKS, nodes, ALB, NAT, RDS, Redis ...");
    cr_expect_eq(transfer, 1);
    double cost = fig(&sum, "monthly_cost"), eu_usd = fig(&sum, "cost_eu_west_1");
    cr_expect_gt(fig(&sum, "cost_inter_region"), 0);
    cr_expect_gt(eu_usd, 73, "at least its EKS control plane ($73)");
    cr_expect_lt(eu_usd, cost);
    free(bill);
    done(s, &sum, NULL);
}

/* ---------------------------------------------------------------- eu-west-1 lost */

Test(multiregion, losing_eu_west_1_moves_its_users, .timeout = 120)
{
    eng_summary sum;
    mdl_scenario *s = load_run("lost.yaml", &sum, NULL);
    /* standard checks every 30 s, 3 failures in a row: 15 checkers, the endpoint unhealthy when
     * no more than 18% call it healthy (Route 53 developer guide) */
    cr_expect_eq(s->dr.health_check_fast, 0);
    cr_expect_eq(s->dr.health_check_failures, 3);
    for (int i = 0; i < sum.replications; i++) {
        const eng_rep *r = &sum.reps[i];
        cr_expect_geq(r->geo.moved_s, 60, "at least two intervals: %g s", r->geo.moved_s);
        cr_expect_leq(r->geo.moved_s, 90, "at most three intervals: %g s", r->geo.moved_s);
        cr_expect_gt(r->geo.lost_failed, 0, "EMEA's requests failed meanwhile");
        cr_expect_float_eq(r->rto_s, r->geo.moved_s + 60, 1e-9, "moved, then the 60 s TTL");
        cr_expect_float_eq(r->rpo_s, 0, 1e-12, "EMEA's writes committed on the primary");
    }
    cr_expect_gt(fig(&sum, "error_rate_emea"), 0);
    cr_expect_float_eq(fig(&sum, "error_rate_us"), 0, 1e-12);
    done(s, &sum, NULL);
}

/* A lost region is in report.json's scenario.events (report.c), so every time chart marks and
 * zooms on it (plot/marks.c): issue 18's "a marker for every event", a region's loss included.
 * Checks the events of `name`'s run: the loss, Route 53's move (at the loss plus the
 * region_moved figure's mean) and, us-east-1 lost, the promotion (plus `promoted`'s). */
static void expect_region_events(const char *name, const char *lost, const char *to)
{
    eng_summary sum;
    mdl_scenario *s = load_run(name, &sum, NULL);
    json_t *doc = rep_doc(&sum, name, NULL, 0, NULL);
    cr_assert_not_null(doc);
    const json_t *ev = json_object_get(json_object_get(doc, "scenario"), "events");
    int us = strcmp(lost, "us-east-1") == 0;
    cr_assert_eq(json_array_size(ev), us ? 3u : 2u, "%zu events", json_array_size(ev));
    const json_t *e0 = json_array_get(ev, 0), *e1 = json_array_get(ev, 1);
    cr_expect_str_eq(json_string_value(json_object_get(e0, "type")), "region_failure");
    cr_expect_str_eq(json_string_value(json_object_get(e0, "region")), lost);
    cr_expect_float_eq(json_number_value(json_object_get(e0, "at_s")), 360, 1e-9, "lost at 6 min");
    cr_expect(json_is_null(json_object_get(e0, "every_s")), "a one-off");
    cr_expect_str_eq(json_string_value(json_object_get(e1, "type")), "region_moved");
    cr_expect_str_eq(json_string_value(json_object_get(e1, "to")), to);
    cr_expect_float_eq(json_number_value(json_object_get(e1, "at_s")),
                       360 + fig(&sum, "region_moved"), 1e-6);
    if (us) {
        const json_t *e2 = json_array_get(ev, 2);
        cr_expect_str_eq(json_string_value(json_object_get(e2, "type")), "replica_promoted");
        cr_expect_str_eq(json_string_value(json_object_get(e2, "region")), "eu-west-1");
        cr_expect_float_eq(json_number_value(json_object_get(e2, "at_s")),
                           360 + fig(&sum, "promoted"), 1e-6);
    }
    json_decref(doc);
    done(s, &sum, NULL);
}

Test(multiregion, losing_eu_west_1_is_an_event_of_the_report, .timeout = 120)
{
    expect_region_events("lost.yaml", "eu-west-1", "us-east-1");
}

Test(multiregion, losing_us_east_1_is_an_event_of_the_report, .timeout = 120)
{
    expect_region_events("us-lost.yaml", "us-east-1", "eu-west-1");
}

Test(multiregion, two_regions_without_a_loss_have_no_events, .timeout = 120)
{
    eng_summary sum;
    mdl_scenario *s = load_run("small.yaml", &sum, NULL);
    json_t *doc = rep_doc(&sum, "small.yaml", NULL, 0, NULL);
    cr_assert_not_null(doc);
    cr_expect_eq(json_array_size(json_object_get(json_object_get(doc, "scenario"), "events")), 0);
    json_decref(doc);
    done(s, &sum, NULL);
}

/* ---------------------------------------------------------------- us-east-1 lost */

Test(multiregion, losing_us_east_1_moves_its_users_and_promotes_the_replica, .timeout = 120)
{
    eng_summary sum;
    mdl_scenario *s = load_run("us-lost.yaml", &sum, NULL);
    for (int i = 0; i < sum.replications; i++) {
        const eng_rep *r = &sum.reps[i];
        /* Route 53: 30 s x 3 failures, 15 checkers (as eu-west-1's loss) */
        cr_expect_geq(r->geo.moved_s, 60, "moved after %g s", r->geo.moved_s);
        cr_expect_leq(r->geo.moved_s, 90, "moved after %g s", r->geo.moved_s);
        cr_expect_gt(r->geo.lost_failed_us, 0, "the Americas' requests failed meanwhile");
        /* the test's runbook: confirm 1 min, promote 1 min, after the health checks */
        cr_expect_float_eq(r->geo.promoted_s, r->geo.moved_s + 120, 1e-6);
        double moved = r->geo.moved_s + 60; /* and the 60 s TTL */
        cr_expect_float_eq(r->rto_s, moved > r->geo.promoted_s ? moved : r->geo.promoted_s, 1e-9,
                           "RTO: the later of the move and the promotion");
        /* RPO: the replica's lag at the loss, dr.replica_lag 1-10 s and no backlog here */
        cr_expect_geq(r->rpo_s, 1, "RPO %g s", r->rpo_s);
        cr_expect_leq(r->rpo_s, 10, "RPO %g s", r->rpo_s);
    }
    cr_expect_gt(fig(&sum, "error_rate_us"), 0, "US users failed until moved");
    cr_expect_gt(fig(&sum, "rto"), 0);
    done(s, &sum, NULL);
}

Test(multiregion, us_lost_writes_fail_until_the_promotion, .timeout = 120)
{
    mdl_scenario *s = load("us-lost.yaml");
    mdl_scenario *eu = malloc(sizeof *eu), *us = malloc(sizeof *us);
    cr_assert_eq(mdl_regions_clone_us_lost(s, MDL_REGION_EU, M(7.5), M(9.5), eu), BASE_OK);
    cr_assert_eq(mdl_regions_clone_us_lost(s, MDL_REGION_US, M(7.5), M(9.5), us), BASE_OK);
    /* us-east-1: no users after the loss; eu-west-1: EMEA's, and the Americas' from the move */
    cr_expect_float_eq(mdl_traffic_users(&us->traffic, M(6.5)), 0, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&us->regions.remote, M(6.5)), 0, 1e-9);
    cr_expect_float_eq(mdl_traffic_users(&eu->traffic, M(5)), 0.3 * 900, 1e-6);
    cr_expect_float_eq(mdl_traffic_users(&eu->traffic, M(10)), 900, 1e-6);
    cr_expect_eq(eu->regions.remote_until, M(6));
    cr_expect_eq(eu->regions.promoted_at, M(9.5));
    eng_summary sum;
    free(us);
    run_clone(eu, &sum);
    free(eu);
    cr_expect_gt(sum.reps[0].errors[MDL_ERR_DB_FAILOVER], 0,
                 "writes between the loss and the promotion fail");
    done(s, &sum, NULL);
}

/* Moved by Route 53, the Americas' users are still the Americas': their figures count the
 * requests eu-west-1 served them, each API request crossing the Atlantic once (their clients
 * did not move). With crossings of 500 ms, the US users' p99 is at least one: more than 1% of
 * their measured requests came after the move (lost at 6 min of 15, moved ~1.5 min later). */
Test(multiregion, moved_users_count_as_their_origins, .timeout = 120)
{
    mdl_scenario *s = load("us-lost.yaml");
    base_err err;
    sim_dist_spec far = {.kind = SIM_DIST_DETERMINISTIC, .mean = 0.5};
    cr_assert_eq(sim_dist_make(&s->regions.rtt, &far, &err), BASE_OK);
    eng_summary sum;
    run(s, &sum, NULL);
    for (int i = 0; i < sum.replications; i++) {
        const eng_rep *r = &sum.reps[i];
        cr_expect_geq(r->geo.api_p99_ms[MDL_REGION_US], 500,
                      "replication %d: US users' p99 %.1f ms, a crossing is 500 ms", i,
                      r->geo.api_p99_ms[MDL_REGION_US]);
        cr_expect_lt(r->geo.api_p99_ms[MDL_REGION_EU], 500, "EMEA's reads are local: p99 %.1f ms",
                     r->geo.api_p99_ms[MDL_REGION_EU]);
    }
    done(s, &sum, NULL);
}

/* ---------------------------------------------------------------- the same seed */

static void same_bits(const char *name)
{
    mdl_scenario *s = load(name);
    base_err err;
    eng_summary a, b;
    cr_assert_eq(eng_run(s, 1, NULL, NULL, NULL, &a, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, &b, &err), BASE_OK, "%s", err.msg);
    for (int i = 0; i < a.replications; i++)
        cr_expect_eq(memcmp(&a.reps[i].geo, &b.reps[i].geo, sizeof a.reps[i].geo), 0,
                     "replication %d: one job or two, the same bits", i);
    for (int i = 0; i < a.replications; i++)
        cr_expect(a.reps[i].rto_s == b.reps[i].rto_s && a.reps[i].rpo_s == b.reps[i].rpo_s);
    done(s, &a, &b);
}

Test(multiregion, same_seed_same_figures, .timeout = 120)
{
    same_bits("lost.yaml");
}

Test(multiregion, same_seed_same_figures_us_lost, .timeout = 120)
{
    same_bits("us-lost.yaml");
}

/* ---------------------------------------------------------------- a month mix */

/* Two regions in a month mix (tests/data/regions/mix.yaml: 29 windows of small.yaml's day and
 * one of mix-peak.yaml's, twice the users). eu-west-1's always-on lines last the windows' hours
 * together (its EKS control plane: the month's hours, once), its usage and the inter-region
 * transfer come from every window (29 × the day's GB + the peak's), and the figures are the
 * mixed bill's. Month mixes with two regions were refused. */
Test(multiregion, a_month_mix_prices_both_regions_of_every_window, .timeout = 120)
{
    mdl_scenario *s = load("mix.yaml"), *p = load("mix-peak.yaml");
    eng_summary sum, peak;
    base_err err;
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, &sum, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(eng_run(p, 2, NULL, NULL, NULL, &peak, &err), BASE_OK, "%s", err.msg);
    app_month_part part = {&peak, 1};
    cost_month *bill = calloc(1, sizeof *bill);
    cr_assert_eq(app_add_costs(&sum, &part, 1, bill, &err), BASE_OK, "%s", err.msg);
    /* the windows: 30 of 15 minutes */
    cr_expect_float_eq(bill->month_hours, 30 * 15 / 60.0, 1e-9, "%g h", bill->month_hours);
    double want_gb = 0;
    for (int i = 0; i < sum.replications; i++)
        want_gb +=
            (29 * sum.reps[i].geo.transfer_gb + peak.reps[i].geo.transfer_gb) / sum.replications;
    int64_t eu = 0, total = 0;
    int eks = 0, transfer = 0;
    for (size_t i = 0; i < bill->n; i++) {
        const cost_line *l = &bill->lines[i];
        total += l->monthly;
        if (strncmp(l->item, "eu-west-1: ", 11) == 0) {
            eu += l->monthly;
            if (!strcmp(l->component, "EKS")) {
                eks++;
                cr_expect_float_eq(l->quantity, bill->month_hours, 1e-9,
                                   "eu-west-1's control plane for %g h", l->quantity);
            }
        }
        if (strstr(l->item, "inter-region us-east-1 <-> eu-west-1")) {
            transfer++;
            cr_expect_float_eq(l->quantity, want_gb, 1e-9 * want_gb, "%g GB, want %g", l->quantity,
                               want_gb);
        }
    }
    cr_expect_eq(eks, 1, "eu-west-1's EKS line once");
    cr_expect_eq(transfer, 1);
    cr_expect_gt(want_gb, 0);
    cr_expect_eq(total, bill->total);
    cr_expect_float_eq(fig(&sum, "monthly_cost"), (double)bill->total / 1e6, 0.01);
    cr_expect_float_eq(fig(&sum, "cost_eu_west_1"), (double)eu / 1e6, 0.01, "$%.2f, lines $%.2f",
                       fig(&sum, "cost_eu_west_1"), (double)eu / 1e6);
    cr_expect_gt(fig(&sum, "cost_inter_region"), 0);
    eng_summary_clear(&sum);
    eng_summary_clear(&peak);
    free(bill);
    free(s);
    free(p);
}

/* A part with two regions in a one-region month is refused: eu-west-1's always-on lines would
 * be in no window's bill. */
Test(multiregion, a_two_region_part_needs_a_two_region_month, .timeout = 120)
{
    run_dir d;
    int rc = run_dir_simulate(&d, "geomix", SIMULATE_TESTDATA "/regions/mix-one-region.yaml", 120);
    cr_expect_eq(rc, 2, "exit %d", rc);
    cr_expect_not_null(strstr(d.err, "mix-peak.yaml"), "%s", d.err);
    cr_expect_not_null(strstr(d.err, "needs a month with two regions"), "%s", d.err);
    run_dir_remove(&d);
}
