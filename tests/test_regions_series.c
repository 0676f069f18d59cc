/*
 * test_regions_series.c — two active regions' time series (engine/geo.c, record.c): eu-west-1's
 * run's columns beside us-east-1's unsuffixed ones as `*_eu_west_1`, and a lost region's users'
 * requests that failed before Route 53 moved them counted in its own columns, row by row.
 *
 * Why: the series were us-east-1's alone, so the charts and the CSV export of a two-region run
 * showed half the system, and the requests failing while a region's users were being moved were
 * in the figures but in no row: an errors chart of eu-west-1's loss showed nothing at the loss.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when they differ; see test_schedule.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "io/io.h"
#include "metrics/metrics.h"

static mdl_scenario *load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/regions/%s", SIMULATE_TESTDATA, name);
    mdl_scenario *s = calloc(1, sizeof *s);
    base_err err;
    cr_assert_eq(scn_load(path, s, &err), BASE_OK, "%s: %s", path, err.msg);
    return s;
}

static void run(const mdl_scenario *s, eng_summary *sum)
{
    base_err err;
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, sum, &err), BASE_OK, "%s", err.msg);
}

/* The column named so, or SIZE_MAX. */
static size_t col(const ser_table *t, const char *name)
{
    for (size_t c = 0; c < ser_cols(t); c++)
        if (!strcmp(ser_name(t, c), name))
            return c;
    return SIZE_MAX;
}

/* A rate column's requests over the run: each row's rate times its interval. */
static double total(const ser_table *t, const char *name)
{
    size_t c = col(t, name);
    cr_assert_neq(c, SIZE_MAX, "no column %s", name);
    double dt = (double)ser_resolution(t) / 1e9, n = 0;
    for (size_t i = 0; i < ser_rows(t); i++)
        n += ser_get(t, i, c) * dt;
    return n;
}

Test(regions_series, both_regions_have_their_columns, .timeout = 300)
{
    mdl_scenario *s = load("small.yaml");
    eng_summary sum;
    run(s, &sum);
    static const char *const pairs[] = {"users",        "arrivals_per_s",
                                        "served_per_s", "api_latency_p99_ms",
                                        "pods_ready",   "database_utilisation_pct"};
    for (int i = 0; i < sum.replications; i++) {
        const ser_table *t = sum.reps[i].series;
        cr_assert(t);
        for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
            char eu[64];
            snprintf(eu, sizeof eu, "%s_eu_west_1", pairs[p]);
            cr_expect_neq(col(t, pairs[p]), SIZE_MAX, "%s", pairs[p]);
            cr_expect_neq(col(t, eu), SIZE_MAX, "%s", eu);
        }
        /* each region's users: 70% and 30% of 900, all along */
        size_t cu = col(t, "users"), ce = col(t, "users_eu_west_1");
        for (size_t r = 0; r < ser_rows(t); r++) {
            cr_expect_float_eq(ser_get(t, r, cu), 630, 1e-6, "row %zu", r);
            cr_expect_float_eq(ser_get(t, r, ce), 270, 1e-6, "row %zu", r);
        }
        /* eu-west-1's pods serve (the HPA's minimum: 3), and its arrivals are its users' */
        cr_expect_geq(ser_get(t, ser_rows(t) - 1, col(t, "pods_ready_eu_west_1")), 3);
        double us = total(t, "arrivals_per_s"), emea = total(t, "arrivals_per_s_eu_west_1");
        cr_expect_float_eq(emea / (us + emea), 0.3, 0.02, "EMEA's share of arrivals %g",
                           emea / (us + emea));
        /* the run's arrivals are the two regions' (the warm-up's too: the series has it) */
        double arrived = 0;
        for (int c = 0; c < MDL_NCLASS; c++)
            arrived += sum.reps[i].arrivals[c];
        cr_expect_geq(us + emea, arrived, "%g in the rows, %g measured", us + emea, arrived);
    }
    /* and the mean across replications keeps them */
    cr_expect_neq(col(sum.series_mean, "api_latency_p99_ms_eu_west_1"), SIZE_MAX);
    eng_summary_clear(&sum);
    free(s);
}

/* Loads tests/data/regions/FILE, runs it, and checks each replication with check. */
static void each_rep(const char *file, void (*check)(const eng_rep *r))
{
    mdl_scenario *s = load(file);
    eng_summary sum;
    run(s, &sum);
    for (int i = 0; i < sum.replications; i++)
        check(&sum.reps[i]);
    eng_summary_clear(&sum);
    free(s);
}

static void eu_west_1_loss_rows(const eng_rep *r)
{
    const ser_table *t = r->series;
    /* the loss is after the warm-up: every failed request is in the figure and in a row */
    double rows = total(t, "errors_no_target_per_s_eu_west_1");
    cr_expect_gt(r->geo.lost_failed, 0);
    cr_expect_float_eq(rows, r->geo.lost_failed, 1e-6 * r->geo.lost_failed,
                       "%g in the rows, %g failed", rows, r->geo.lost_failed);
    cr_expect_geq(total(t, "errors_per_s_eu_west_1"), rows);
    /* none before the loss (6 min) */
    size_t c = col(t, "errors_no_target_per_s_eu_west_1");
    double res = (double)ser_resolution(t) / 1e9;
    for (size_t k = 0; k < ser_rows(t) && (double)(k + 1) * res <= 360; k++)
        cr_expect_eq(ser_get(t, k, c), 0, "row %zu", k);
    /* us-east-1's own no-target column is untouched by EMEA's failures */
    cr_expect_lt(total(t, "errors_no_target_per_s"), rows);
}

Test(regions_series, losing_eu_west_1_counts_its_users_failures_in_its_rows, .timeout = 300)
{
    each_rep("lost.yaml", eu_west_1_loss_rows);
}

static void us_east_1_loss_rows(const eng_rep *r)
{
    double rows = total(r->series, "errors_no_target_per_s");
    cr_expect_gt(r->geo.lost_failed_us, 0);
    cr_expect_geq(rows, r->geo.lost_failed_us * (1 - 1e-6), "%g in the rows, %g failed", rows,
                  r->geo.lost_failed_us);
    cr_expect_float_eq(total(r->series, "errors_no_target_per_s_eu_west_1"), 0, 1e-9);
}

Test(regions_series, losing_us_east_1_counts_its_users_failures_in_its_rows, .timeout = 300)
{
    each_rep("us-lost.yaml", us_east_1_loss_rows);
}

Test(regions_series, one_region_has_no_eu_west_1_columns, .timeout = 300)
{
    mdl_scenario *s = load("small.yaml");
    s->regions.serve = MDL_REGIONS_ONE;
    s->dr.enabled = false;
    eng_summary sum;
    run(s, &sum);
    const ser_table *t = sum.reps[0].series;
    for (size_t c = 0; c < ser_cols(t); c++)
        cr_expect_null(strstr(ser_name(t, c), "_eu_west_1"), "%s", ser_name(t, c));
    eng_summary_clear(&sum);
    free(s);
}

/* A lost region's series from its loss (6 min in lost.yaml and us-lost.yaml): its pods, nodes,
 * utilisation, connections and latency have no value (its run keeps the idle cluster for the
 * bill, but nothing there serves: Ready pods at the HPA's minimum read as capacity that is not
 * there), its nodes' cost rate stays (the bill keeps them), and the survivor's columns go on. */
static void expect_lost_from(const char *name, const char *suffix, const char *other)
{
    mdl_scenario *s = load(name);
    eng_summary sum;
    run(s, &sum);
    static const char *const gone[] = {"pods_ready",
                                       "pods_desired",
                                       "nodes_spot_arm64",
                                       "hpa_cpu_utilisation_pct",
                                       "database_utilisation_pct",
                                       "database_connections",
                                       "api_latency_p50_ms"};
    for (int i = 0; i <= sum.replications; i++) {
        /* each replication's series, then their mean (what report.json holds) */
        const ser_table *t = i < sum.replications ? sum.reps[i].series : sum.series_mean;
        double res = (double)ser_resolution(t) / 1e9;
        char lost[64], kept[64], cost[64];
        for (size_t g = 0; g < sizeof gone / sizeof gone[0]; g++) {
            snprintf(lost, sizeof lost, "%s%s", gone[g], suffix);
            snprintf(kept, sizeof kept, "%s%s", gone[g], other);
            size_t cl = col(t, lost), ck = col(t, kept);
            cr_assert_neq(cl, SIZE_MAX, "%s", lost);
            cr_assert_neq(ck, SIZE_MAX, "%s", kept);
            for (size_t r = 0; r < ser_rows(t); r++) {
                double at = (double)r * res;
                if (at >= 360)
                    cr_expect(isnan(ser_get(t, r, cl)), "%s row %zu: %g", lost, r,
                              ser_get(t, r, cl));
                else if (at >= 60 && strcmp(gone[g], "pods_ready") == 0)
                    cr_expect_geq(ser_get(t, r, cl), 3, "%s row %zu before the loss", lost, r);
            }
            /* the survivor serves on: its pods are read to the end */
            if (strcmp(gone[g], "pods_ready") == 0)
                cr_expect_geq(ser_get(t, ser_rows(t) - 1, ck), 3, "%s at the end", kept);
        }
        snprintf(cost, sizeof cost, "nodes_cost_usd_per_hour%s", suffix);
        cr_expect_gt(ser_get(t, ser_rows(t) - 1, col(t, cost)), 0, "%s: the bill keeps them", cost);
    }
    eng_summary_clear(&sum);
    free(s);
}

Test(regions_series, a_lost_eu_west_1_has_no_gauges_after_the_loss, .timeout = 300)
{
    expect_lost_from("lost.yaml", "_eu_west_1", "");
}

Test(regions_series, a_lost_us_east_1_has_no_gauges_after_the_loss, .timeout = 300)
{
    expect_lost_from("us-lost.yaml", "", "_eu_west_1");
}
