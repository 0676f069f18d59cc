/*
 * test_replicas.c — read replicas (RDS) and readers (Aurora) added under load and removed after
 * it (seed §11.1 layer 5; model/replicas.c, engine/replicas.c), on the small scenarios of
 * tests/data/replicas/: the rule's arithmetic; a replica that serves about ten minutes after the
 * rule fires; reads spread and the primary's CPU falling after it; its hours on the bill;
 * scale-in after the load falls; Aurora's readers by target tracking; the flow engine telling
 * the same story; and the bad keys refused in one line.
 *
 * Why: "scales in ~10 minutes" is the seed's promise for its last scaling layer; what a run has
 * to show is when the replica helps (not at once: the primary carries the peak alone for that
 * long) and what it costs while it is there.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ; see test_cost.c).
 */
#define SUPPORT_NAME "replicas"
#define RUN_LIMIT_S  60
#include "support.h"

#include <math.h>

#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"
#include "series_col.h"
#include "support/b_load.h"

TestSuite(replicas, .fini = scratch_fini);

static mdl_scenario *load(const char *file)
{
    static mdl_scenario s[2]; /* large: not on the stack */
    static int next;
    mdl_scenario *sc = &s[next++ % 2];
    load_testdata(sc, "replicas", file);
    return sc;
}

static void play(const mdl_scenario *s, uint32_t rep, bool flow, eng_rep *out)
{
    base_err err;
    int st = flow ? eng_run_flow(s, rep, out, &err) : eng_run_request(s, rep, out, &err);
    cr_assert_eq(st, BASE_OK, "%s", err.msg);
}

static void fixed_create_time(mdl_replica_scaling *rs, double seconds)
{
    sim_dist_spec spec = {.kind = SIM_DIST_DETERMINISTIC, .mean = seconds};
    base_err err;
    cr_assert_eq(sim_dist_make(&rs->create_time, &spec, &err), BASE_OK, "%s", err.msg);
}

static bool has_col(const ser_table *t, const char *name)
{
    for (size_t c = 0; c < ser_cols(t); c++)
        if (!strcmp(ser_name(t, c), name))
            return true;
    return false;
}

/* The series' row at time `t` s (rows start at their time_s; 10 s rows). */
static size_t row_at(const ser_table *t, double at)
{
    size_t c = col(t, "time_s");
    for (size_t i = 0; i < ser_rows(t); i++)
        if (ser_get(t, i, c) >= at - 1e-9)
            return i;
    return ser_rows(t);
}

/* The mean of a column over [from, to) s. */
static double mean_over(const ser_table *t, const char *name, double from, double to)
{
    size_t c = col(t, name), a = row_at(t, from), b = row_at(t, to);
    cr_assert_lt(a, b, "no rows in [%g, %g) s", from, to);
    double sum = 0;
    for (size_t i = a; i < b; i++)
        sum += ser_get(t, i, c);
    return sum / (double)(b - a);
}

/* When the primary-CPU rule fires: the end of the third consecutive minute whose mean CPU (the
 * rule's one-minute datapoint, from the 10 s rows) is above `target` %; -1 if never. */
static double fire_time(const ser_table *t, double target)
{
    int above = 0;
    double end = ser_get(t, ser_rows(t) - 1, col(t, "time_s"));
    for (double m = 60; m <= end; m += 60) {
        above = mean_over(t, "database_utilisation_pct", m - 60, m) > target ? above + 1 : 0;
        if (above == 3)
            return m;
    }
    return -1;
}

/* The start of the first row from `after` s on whose replicas in service compare with n as
 * `sign` says (+1: at least n, -1: at most n); -1 if none. */
static double first_row(const ser_table *t, double after, double n, int sign)
{
    size_t c = col(t, "db_replicas"), tc = col(t, "time_s");
    for (size_t i = row_at(t, after); i < ser_rows(t); i++) {
        double v = ser_get(t, i, c);
        if (sign > 0 ? v >= n : v <= n)
            return ser_get(t, i, tc);
    }
    return -1;
}

/* ---------------------------------------------------------------- the rule */

/* Three datapoints above the target fire a step; the cooldown holds the next; fifteen below
 * the scale-in threshold remove one, never below the floor. Target tracking counts replicas
 * being created as there, and asks for ceil(serving × metric / target). */
Test(replicas, the_rule_counts_datapoints_and_respects_cooldowns, .timeout = 120)
{
    mdl_replica_scaling rs = {.enabled = true,
                              .min = 0,
                              .max = 3,
                              .metric = MDL_RS_PRIMARY_CPU,
                              .target = 0.7,
                              .in_ratio = 0.5,
                              .out_periods = 3,
                              .in_periods = 15,
                              .out_cooldown = 15 * SIM_MIN,
                              .in_cooldown = 5 * SIM_MIN};
    mdl_replica_rule st;
    mdl_replica_rule_init(&st);
    sim_time t = 0;
    cr_expect_eq(mdl_replica_rule_step(&rs, &st, 0.9, 0, 0, 0, t += SIM_MIN), 0);
    cr_expect_eq(mdl_replica_rule_step(&rs, &st, 0.9, 0, 0, 0, t += SIM_MIN), 0);
    cr_expect_eq(mdl_replica_rule_step(&rs, &st, 0.9, 0, 0, 0, t += SIM_MIN), 1, "fires at 3");
    for (int i = 0; i < 14; i++) /* within the 15-minute cooldown */
        cr_expect_eq(mdl_replica_rule_step(&rs, &st, 0.9, 1, 0, 0, t += SIM_MIN), 1);
    cr_expect_eq(mdl_replica_rule_step(&rs, &st, 0.9, 1, 0, 0, t += SIM_MIN), 2, "cooldown over");
    cr_expect_eq(mdl_replica_rule_step(&rs, &st, -1, 2, 2, 0, t += SIM_MIN), 2, "no datapoint");
    int n = 2;
    for (int i = 0; i < 14; i++)
        cr_expect_eq(n = mdl_replica_rule_step(&rs, &st, 0.2, n, n, 0, t += SIM_MIN), 2);
    cr_expect_eq(n = mdl_replica_rule_step(&rs, &st, 0.2, n, n, 0, t += SIM_MIN), 1, "15 below");
    cr_expect_eq(mdl_replica_rule_step(&rs, &st, 0.2, 1, 1, 1, t += 10 * SIM_MIN), 1, "floor");

    /* target tracking on the readers: 2 serving at 91% want ceil(2 × 0.91 / 0.7) = 3, but 3
     * are already there counting one being created */
    rs.metric = MDL_RS_READER_CPU;
    rs.out_cooldown = 5 * SIM_MIN;
    mdl_replica_rule_init(&st);
    t = 0;
    for (int i = 0; i < 3; i++)
        n = mdl_replica_rule_step(&rs, &st, 0.91, 3, 2, 1, t += SIM_MIN);
    cr_expect_eq(n, 3, "the one being created counts");
    mdl_replica_rule_init(&st);
    for (int i = 0; i < 3; i++)
        n = mdl_replica_rule_step(&rs, &st, 0.91, 2, 2, 1, t += SIM_MIN);
    cr_expect_eq(n, 3);
}

/* ---------------------------------------------------------------- RDS, request engine */

/* With a creation time of exactly 10 minutes the replica serves 10 minutes after the rule
 * fires (within the series' 10 s rows and the rule's minute); with the default distribution
 * (triangular 5, 10, 20 min) within its range, on three replications. */
Test(replicas, a_replica_serves_about_ten_minutes_after_the_rule_fires, .timeout = 120)
{
    mdl_scenario *s = load("rds.yaml");
    for (uint32_t rep = 0; rep < 3; rep++) {
        eng_rep r;
        play(s, rep, false, &r);
        double fire = fire_time(r.series, 70), arrive = first_row(r.series, 0, 1, +1);
        cr_assert_gt(fire, 0, "the rule never fired");
        cr_expect(arrive - fire >= 5 * 60 - 10 && arrive - fire <= 20 * 60 + 10,
                  "replication %u: fired at %.0f s, served from %.0f s", rep, fire, arrive);
        eng_rep_clear(&r);
    }
    fixed_create_time(&s->db.replica_scaling, 600);
    eng_rep r;
    play(s, 0, false, &r);
    double fire = fire_time(r.series, 70), arrive = first_row(r.series, 0, 1, +1);
    cr_expect(fabs(arrive - fire - 600) <= 10, "fired at %.0f s, served from %.0f s", fire, arrive);
    cr_expect(first_row(r.series, 0, 2, +1) < 0, "one replica was enough");
    eng_rep_clear(&r);
}

/* Before the replica the primary runs ~95% of its CPU; once reads spread evenly over it and the
 * replica (read_routing: even) it falls to about half: 80/s × (45% × 25 ms + 10% × 10 ms) =
 * 0.98 of its 2 vCPUs. The replica's hours are on the bill, from when it served (creation not
 * billed) to when it was removed, 15 datapoints after the load fell below 35%; priced at the
 * class's Single-AZ rate. */
Test(replicas, reads_spread_the_primary_cools_and_the_replica_is_billed_then_removed,
     .timeout = 120)
{
    mdl_scenario *s = load("rds.yaml");
    fixed_create_time(&s->db.replica_scaling, 600);
    eng_rep r;
    play(s, 0, false, &r);
    const ser_table *t = r.series;
    double arrive = first_row(t, 0, 1, +1);
    double before = mean_over(t, "database_utilisation_pct", arrive - 300, arrive - 10);
    double after = mean_over(t, "database_utilisation_pct", arrive + 120, arrive + 720);
    cr_expect_gt(before, 85, "primary CPU %.1f%% before the replica", before);
    cr_expect(after > 40 && after < 60, "primary CPU %.1f%% after it (half the reads)", after);

    /* the load falls at 50 min: removed 15 datapoints later (+ the minute it falls in) */
    double gone = first_row(t, arrive, 0, -1);
    cr_expect(gone >= 50 * 60 + 15 * 60 - 10 && gone <= 50 * 60 + 17 * 60, "removed at %.0f s",
              gone);

    /* billed from serving to removal */
    double billed = r.usage.db_replica_seconds;
    cr_expect(fabs(billed - (gone - arrive)) <= 20, "billed %.0f s, served %.0f s", billed,
              gone - arrive);
    cost_month m;
    base_err err;
    cr_assert_eq(cost_price(s, &r.usage, &m, &err), BASE_OK, "%s", err.msg);
    const cost_line *line = NULL;
    for (size_t i = 0; i < m.n; i++)
        if (strstr(m.lines[i].item, "read replicas (Single-AZ)"))
            line = &m.lines[i];
    cr_assert_not_null(line, "no read replica line in the bill");
    cr_expect_float_eq(line->quantity, billed / 3600.0 * m.scale, 1e-9 * billed);
    const cost_db_class *c = &s->cluster.catalog.db[s->db.db_class];
    cr_expect_eq(line->unit_price, c->price_single.micro, "the class's Single-AZ rate");
    eng_rep_clear(&r);
}

/* Without replica scaling nothing moves: no replicas, no series column, nothing billed. */
Test(replicas, switched_off_the_replicas_stay_as_they_were, .timeout = 120)
{
    mdl_scenario *s = load("rds.yaml");
    s->db.replica_scaling.enabled = false;
    eng_rep r;
    play(s, 0, false, &r);
    cr_expect(!has_col(r.series, "db_replicas"), "a column for replicas that never move");
    cr_expect_eq(r.usage.db_replica_seconds, 0);
    eng_rep_clear(&r);
}

/* ---------------------------------------------------------------- the flow engine */

/* The flow engine plays the same rule on the same minutes: a replica 10 minutes after it fires,
 * the primary cooler after, removed after the load falls. */
Test(replicas, the_flow_engine_tells_the_same_story, .timeout = 120)
{
    mdl_scenario *s = load("rds.yaml");
    fixed_create_time(&s->db.replica_scaling, 600);
    eng_rep r;
    play(s, 0, true, &r);
    const ser_table *t = r.series;
    double fire = fire_time(t, 70), arrive = first_row(t, 0, 1, +1);
    cr_assert_gt(fire, 0, "the rule never fired");
    cr_expect(fabs(arrive - fire - 600) <= 10, "fired at %.0f s, served from %.0f s", fire, arrive);
    double after = mean_over(t, "database_utilisation_pct", arrive + 120, arrive + 720);
    cr_expect(after > 40 && after < 60, "primary CPU %.1f%% after the replica", after);
    double gone = first_row(t, arrive, 0, -1);
    cr_expect(gone > 50 * 60 && gone <= 50 * 60 + 17 * 60, "removed at %.0f s", gone);
    cr_expect_gt(r.usage.db_replica_seconds, 0);
    eng_rep_clear(&r);
}

/* ---------------------------------------------------------------- Aurora */

/* Aurora Auto Scaling: one reader from the start; past 70% average reader CPU, target tracking
 * adds readers (each serving after its creation time, within triangular 5–15 min of the rule),
 * never more than max; after the load falls it goes back to its minimum. Their ACU-seconds
 * are billed only while they serve: 4 ACUs × (the writer's run + the readers' seconds). */
Test(replicas, aurora_readers_track_their_target_and_bill_their_acus, .timeout = 120)
{
    mdl_scenario *s = load("aurora.yaml");
    eng_rep r;
    play(s, 0, false, &r);
    const ser_table *t = r.series;
    cr_expect_eq(ser_get(t, 0, col(t, "db_replicas")), 1, "the minimum serves from the start");
    double two = first_row(t, 0, 2, +1);
    /* 20/s → 60/s from 5 to 10 min: one reader passes 70% at ~33/s, about 6.6 min in */
    cr_expect(two >= 6.6 * 60 + 3 * 60 + 5 * 60 - 60 && two <= 10 * 60 + 3 * 60 + 15 * 60 + 60,
              "a second reader from %.0f s", two);
    size_t c = col(t, "db_replicas");
    double most = 0;
    for (size_t i = 0; i < ser_rows(t); i++)
        most = fmax(most, ser_get(t, i, c));
    cr_expect(most >= 2 && most <= 4, "at most %.0f readers", most);
    double back = first_row(t, 45 * 60, 1, -1);
    cr_expect(back > 45 * 60 && back <= 45 * 60 + 17 * 60, "back to one reader at %.0f s", back);
    double acu = 4 * (r.usage.seconds + r.usage.db_replica_seconds);
    cr_expect(fabs(r.usage.acu_seconds - acu) <= 1e-6 * acu, "%.0f ACU-s metered, %.0f expected",
              r.usage.acu_seconds, acu);
    eng_rep_clear(&r);
}

/* ---------------------------------------------------------------- bad keys */

static void refused(const char *yaml, const char *msg)
{
    scratch sc;
    scratch_open(&sc);
    char path[256];
    snprintf(path, sizeof path, "%s/bad.yaml", sc.cwd);
    write_textf(path,
                "extends: %s/models/architecture/innovate.yaml\n"
                "traffic: {mix: {api_read: 100%%}, phases: [{duration: 1m, rate: 1/s}]}\n%s",
                SIMULATE_ROOT, yaml);
    run_result r;
    const char *args[] = {"--check", "bad.yaml", NULL};
    run(&sc, args, &r);
    assert_refused(&r, 2, msg, yaml);
    cr_expect(strstr(r.err, "bad.yaml:"), "no file:line:col: %s", r.err);
    run_free(&r);
    scratch_close(&sc);
}

Test(replicas, bad_keys_are_refused_in_one_line, .timeout = 120)
{
    refused("database: {engine: rds, replica_scaling: {enabled: true, min: 4, max: 2}}\n",
            "is above its max");
    refused("database: {engine: rds, read_replicas: 3, replica_scaling: {enabled: true, max: 2}}\n",
            "never removes fixed replicas");
    refused("database: {engine: aurora, aurora: {reader_scaling: {enabled: true, min: 0}}}\n",
            "needs a replica in service");
    refused("database: {engine: rds, replica_class: db.nope.large}\n", "not in the pricing file");
    refused("database: {engine: rds, replica_scaling: {metric: disk}}\n", "metric");
    refused("database: {engine: rds, replica_scaling: {max: 16}}\n", "max");
    refused("database: {engine: rds, read_routing: random}\n", "read_routing");
}
