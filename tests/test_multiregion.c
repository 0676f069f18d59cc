/*
 * test_multiregion.c — two active regions (seed §11.3; model/regions.c, engine/geo.c,
 * app/regions.c): the load curves the split needs, EMEA's p99 with and without eu-west-1, the
 * round trips EMEA's writes pay to the us-east-1 primary, the bill's eu-west-1 lines and
 * inter-region transfer, eu-west-1 lost and its users moved by Route 53 after the health checks,
 * and the same seed giving the same figures. Bad `regions:` keys are in
 * tests/data/bad/regions-*.yaml.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when they differ; see test_schedule.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"

#define M(x) ((sim_time)((x) * (double)SIM_MIN))

static mdl_scenario *load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/regions/%s", SIMULATE_TESTDATA, name);
    mdl_scenario *s = calloc(1, sizeof *s);
    base_err err;
    cr_assert_eq(scn_load(path, s, &err), BASE_OK, "%s: %s", path, err.msg);
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
    eng_summary_clear(&a);
    eng_summary_clear(&b);
    free(one);
    free(two);
}

Test(multiregion, emea_writes_pay_the_round_trip, .timeout = 120)
{
    mdl_scenario *s = load("small.yaml");
    eng_summary sum;
    run(s, &sum, NULL);
    /* three statements (database.queries.api_write), each a round trip of at least 62 ms */
    double trips = mdl_regions_write_trips(s);
    cr_expect_float_eq(trips, 3, 1e-9);
    double floor_ms = trips * 62;
    cr_expect_geq(fig(&sum, "write_latency_min_emea"), floor_ms * 0.99,
                  "every EMEA write pays its crossings: min %.1f ms",
                  fig(&sum, "write_latency_min_emea"));
    cr_expect_geq(fig(&sum, "write_latency_p50_emea"),
                  fig(&sum, "write_latency_p50_us") + trips * 62 * 0.99);
    eng_summary_clear(&sum);
    free(s);
}

/* ---------------------------------------------------------------- the bill */

Test(multiregion, the_bill_has_eu_west_1_and_the_transfer, .timeout = 120)
{
    mdl_scenario *s = load("small.yaml");
    eng_summary sum;
    cost_month *bill = calloc(1, sizeof *bill);
    run(s, &sum, bill);
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
    eng_summary_clear(&sum);
    free(bill);
    free(s);
}

/* ---------------------------------------------------------------- eu-west-1 lost */

Test(multiregion, losing_eu_west_1_moves_its_users, .timeout = 120)
{
    mdl_scenario *s = load("lost.yaml");
    eng_summary sum;
    run(s, &sum, NULL);
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
    eng_summary_clear(&sum);
    free(s);
}

/* ---------------------------------------------------------------- the same seed */

Test(multiregion, same_seed_same_figures, .timeout = 120)
{
    mdl_scenario *s = load("lost.yaml");
    base_err err;
    eng_summary a, b;
    cr_assert_eq(eng_run(s, 1, NULL, NULL, NULL, &a, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, &b, &err), BASE_OK, "%s", err.msg);
    for (int i = 0; i < a.replications; i++)
        cr_expect_eq(memcmp(&a.reps[i].geo, &b.reps[i].geo, sizeof a.reps[i].geo), 0,
                     "replication %d: one job or two, the same bits", i);
    eng_summary_clear(&a);
    eng_summary_clear(&b);
    free(s);
}
