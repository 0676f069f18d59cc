/*
 * test_data.c — the data tier played end to end on small scenarios (tests/data/data/):
 * PgBouncer pools running a database out of connections, and the PgBouncer setting that stops
 * it; Aurora Serverless v2 capacity following a ramp at the pace docs/models.md documents, and
 * its cost following the ACU-hours.
 *
 * Why: these are the two behaviours architects ask the data tier about. "Too many connections"
 * is the classic outage of a Kubernetes API scaled out in front of PostgreSQL, and Aurora's
 * price depends on how quickly its capacity follows the load, up and down.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ; see test_cost.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"
#include "series_col.h"
#include "support/a_engine.h"

static mdl_scenario *load(const char *file)
{
    static mdl_scenario s[2]; /* large: not on the stack; two loaded at once at most */
    static int next;
    mdl_scenario *sc = &s[next++ % 2];
    char path[1024];
    snprintf(path, sizeof path, "%s/data/%s", SIMULATE_TESTDATA, file);
    base_err err;
    cr_assert_eq(scn_load(path, sc, &err), BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
    return sc;
}

static double column_max(const ser_table *t, const char *name)
{
    size_t c = col(t, name);
    double m = -INFINITY;
    for (size_t i = 0; i < ser_rows(t); i++)
        if (ser_get(t, i, c) > m)
            m = ser_get(t, i, c);
    return m;
}

/*
 * 40 pods × 16 workers, a PgBouncer per pod with default_pool_size 20, a db.t3.medium: its
 * max_connections is LEAST(4 GiB / 9531392, 5000) = 450 (RDS user guide formula). The minute at
 * 600 req/s × 4 queries × 1 ms wants 2.4 vCPUs of the instance's 2, so transactions pile up,
 * every worker ends up in one, and each pool opens 16 connections: 640 wanted, 450 granted, the
 * rest fail. With default_pool_size 10 the pools need at most 400: nobody is refused a
 * connection and every request is served (later: it waits in PgBouncer instead).
 */
Test(data, pools_exhaust_max_connections_and_a_smaller_pool_fixes_it, .timeout = 120)
{
    eng_rep bad, good;
    run_request(load("conn-exhaust.yaml"), 0, &bad);
    cr_expect_gt(bad.errors[MDL_ERR_DB_CONNECTIONS], 100, "%.0f 'too many connections' errors",
                 bad.errors[MDL_ERR_DB_CONNECTIONS]);
    cr_expect_float_eq(column_max(bad.series, "database_connections"), 450.0, 1e-9,
                       "the database held %.0f connections at most (max_connections 450)",
                       column_max(bad.series, "database_connections"));

    run_request(load("conn-fixed.yaml"), 0, &good);
    cr_expect_eq(good.errors[MDL_ERR_DB_CONNECTIONS], 0.0);
    cr_expect_eq(errors_total(&good), 0.0, "%.0f errors of any kind", errors_total(&good));
    cr_expect_leq(column_max(good.series, "database_connections"), 400.0);
    double arrived = 0, served = 0;
    for (int c = 0; c < MDL_NCLASS; c++) {
        arrived += good.arrivals[c];
        served += good.served[c];
    }
    cr_expect_eq(served, arrived, "served %.0f of %.0f", served, arrived);
    /* the same traffic (common random numbers): the only difference is the pool */
    cr_expect_eq(good.arrivals[MDL_API_READ], bad.arrivals[MDL_API_READ]);
    eng_rep_clear(&bad);
    eng_rep_clear(&good);
}

/*
 * Aurora PostgreSQL Serverless v2's max_connections (model/db.c): AWS's table by the maximum
 * ACUs (Aurora user guide, "Maximum connections for Aurora Serverless v2"), and its 2,000 cap
 * when the minimum is 0.5 ACU or less. The model used the memory formula at every range (5,000
 * from 20 ACUs up), so a 0.5-ACU minimum let pools open 2.5 times what Aurora allows.
 */
Test(data, aurora_max_connections_follow_aws_table_and_the_low_minimum_cap, .timeout = 120)
{
    /* {minimum ACUs, maximum ACUs, max_connections}: the table's rows with a minimum of 1 ACU
     * (no cap); linear between rows (12) and in proportion to memory below the first (0.5); a
     * 0.5-ACU (or 0-ACU) minimum caps it at 2,000 (re:Post's 0.5-16 ACUs: 2000; 0.5-1: 189) */
    static const struct {
        double acu_min, acu_max;
        int want;
    } cases[] = {
        {1, 1, 189},     {1, 4, 823},    {1, 8, 1669},   {1, 16, 3360},
        {1, 32, 5000},   {1, 256, 5000}, {1, 12, 2514},  {0.5, 0.5, 94},
        {0.5, 16, 2000}, {0.5, 1, 189},  {0, 128, 2000}, {0.5, 8, 1669},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = mdl_db_aurora_max_connections(cases[i].acu_min, cases[i].acu_max);
        cr_expect_eq(got, cases[i].want, "%g-%g ACUs: %d connections, want %d", cases[i].acu_min,
                     cases[i].acu_max, got, cases[i].want);
    }

    /* the scenario's figure and the engine's: pools wanting 640 get 400 (the memory formula
     * gave 450) */
    const mdl_scenario *s = load("aurora-conn-exhaust.yaml");
    cr_expect_eq(mdl_db_max_connections(s), 400);
    eng_rep r;
    run_request(s, 0, &r);
    cr_expect_gt(r.errors[MDL_ERR_DB_CONNECTIONS], 100, "%.0f 'too many connections' errors",
                 r.errors[MDL_ERR_DB_CONNECTIONS]);
    cr_expect_float_eq(column_max(r.series, "database_connections"), 400.0, 1e-9,
                       "the database held %.0f connections at most (max_connections 400)",
                       column_max(r.series, "database_connections"));
    eng_rep_clear(&r);
}

/* The largest step Serverless v2 may take up in one second from `acu` (docs/models.md): 6% of
 * itself, rounded down to the 0.5-ACU grid, at least 0.5 ACU. */
static double max_step_up(double acu)
{
    double step = floor(acu * 0.06 * 2) / 2;
    return step < 0.5 ? 0.5 : step;
}

/*
 * Aurora under a ramp (tests/data/data/aurora-ramp.yaml): queries of 10 ms of CPU, 20/s for two
 * minutes, a ramp to 400/s over ten, five minutes at 400/s, then 20/s for ten.
 *   Demand at 400/s is 4 vCPUs; held at 70% of 0.25 vCPU per ACU that is 22.9 -> 23 ACU.
 *   At 20/s: 0.2 vCPU -> 1.14 -> 1.5 ACU.
 * Up: no second's step larger than the documented pace, and within a minute of the hold the
 * capacity is there. Down: 0.5 ACU at most every 15 s, so ten minutes after the load drops
 * capacity has shed at most 40 × 0.5 = 20 ACU, still above the 1.5 it is heading for.
 * Cost: the ACU-hours the engine metered equal the series' integral, and the bill's Aurora line
 * is those ACU-hours × $0.12 (aws-prices.md) scaled to the month.
 */
Test(data, aurora_follows_a_ramp_at_the_documented_pace, .timeout = 120)
{
    const mdl_scenario *s = load("aurora-ramp.yaml");
    eng_rep r;
    run_request(s, 0, &r);
    const ser_table *t = r.series;
    size_t acu = col(t, "aurora_acu");
    cr_assert_eq(ser_resolution(t), SIM_SEC);
    cr_assert_geq(ser_rows(t), 1620);
    /* from acu_min (0.5): the first row is sampled after the first second's step */
    cr_expect_leq(ser_get(t, 0, acu), 0.5 + max_step_up(0.5), "starts at acu_min");

    double area = 0;
    sim_time last_down = -1000 * SIM_SEC;
    for (size_t i = 1; i < ser_rows(t); i++) {
        double a0 = ser_get(t, i - 1, acu), a1 = ser_get(t, i, acu);
        area += a0;
        cr_expect_leq(a1 - a0, max_step_up(a0) + 1e-9, "%zu s: %.1f -> %.1f ACU in a second", i, a0,
                      a1);
        if (a1 < a0) {
            cr_expect_leq(a0 - a1, 0.5 + 1e-9, "%zu s: down %.1f ACU at once", i, a0 - a1);
            cr_expect_geq((sim_time)i * SIM_SEC - last_down, 15 * SIM_SEC,
                          "%zu s: down again %.0f s after the last step down", i,
                          sim_to_sec((sim_time)i * SIM_SEC - last_down));
            last_down = (sim_time)i * SIM_SEC;
        }
    }
    /* The hold, 12 to 17 min, less a minute to catch up with the last of the ramp: at least
     * the 23 ACU the mean demand needs. A little more is expected: the scaler follows each
     * second's utilisation, grows on a busy second at once but shrinks only after 15 s above
     * need, so it holds near the capacity of the busier seconds; still it must keep the writer
     * at or under its 70% target on average, with at most 40% more than the mean needs. */
    size_t util = col(t, "database_utilisation_pct");
    double busy = 0;
    for (size_t i = 13 * 60; i < 17 * 60; i++) {
        double a = ser_get(t, i, acu);
        cr_expect(a >= 23.0 && a <= 23.0 * 1.4, "%zu s: %.1f ACU during the hold (need 23)", i, a);
        busy += ser_get(t, i, util) / (4 * 60);
    }
    cr_expect_leq(busy, 70.0, "%.1f%% busy on average during the hold", busy);
    /* the ramp is followed, not led: capacity grows while the load does */
    cr_expect_lt(ser_get(t, 6 * 60, acu), ser_get(t, 10 * 60, acu));
    cr_expect_lt(ser_get(t, 10 * 60, acu), ser_get(t, 13 * 60, acu));
    /* down slower than up */
    double end = ser_get(t, 1619, acu);
    cr_expect(end >= 23.0 - 20.5 && end > 1.5, "%.1f ACU ten minutes after the load left", end);
    cr_expect_lt(end, 12.0, "%.1f ACU: capacity did come down", end);

    /* ACU-hours: the engine's meter against the series (1 s rows, so within a row's worth per
     * step), and the bill against the ACU-hours */
    double hours = r.usage.acu_seconds / 3600.0;
    cr_expect(fabs(hours - area / 3600.0) <= 0.02 * hours, "metered %.3f ACU-h, series %.3f", hours,
              area / 3600.0);
    cost_month m;
    base_err err;
    cr_assert_eq(cost_price(s, &r.usage, &m, &err), BASE_OK, "%s", err.msg);
    const cost_line *line = NULL;
    for (size_t i = 0; i < m.n; i++)
        if (!strcmp(m.lines[i].component, "Aurora") && strstr(m.lines[i].item, "ACU"))
            line = &m.lines[i];
    cr_assert_not_null(line, "no Aurora ACU line in the bill");
    cr_expect_float_eq(line->quantity, hours * m.scale, 1e-9 * hours * m.scale);
    cr_expect_eq(line->unit_price, 120000, "$0.12 per ACU-hour (micro-USD)");
    cr_expect(llabs(line->monthly - llround(hours * m.scale * 120000)) <= 1, "$%.2f",
              (double)line->monthly / 1e6);
    eng_rep_clear(&r);
}

static double column_mean(const ser_table *t, const char *name, size_t from, size_t to)
{
    size_t c = col(t, name);
    double sum = 0;
    for (size_t i = from; i < to; i++)
        sum += ser_get(t, i, c);
    return sum / (double)(to - from);
}

/*
 * Failovers (tests/data/data/failover.yaml, 200 req/s of reads, 1 s series rows).
 * Database at 60 s: unreachable for D drawn from 60–120 s (AWS RDS Multi-AZ); every API request
 * in that time fails with db_failover and none before or after; afterwards the pools reconnect
 * and the database serves as before.
 * Redis at 200 s for 20 s: no errors, but the 90% of look-ups Redis would have found cost a
 * query each, so the database runs 3 queries a request instead of 2.1: ~1.43× its CPU.
 */
Test(data, failovers_fail_what_they_must_and_recover, .timeout = 120)
{
    eng_rep r;
    run_request(load("failover.yaml"), 0, &r);
    const ser_table *t = r.series;
    double d = r.db_failover_s;
    cr_assert(d >= 60 && d <= 120, "database down %.1f s", d);
    cr_expect_float_eq(r.cache_failover_s, 20.0, 1e-9);
    size_t err = col(t, "errors_db_failover_per_s"), arr = col(t, "arrivals_per_s");
    size_t end = 60 + (size_t)ceil(d);
    for (size_t i = 0; i < ser_rows(t); i++) {
        double e = ser_get(t, i, err);
        if (i < 60 || i > end)
            cr_expect_eq(e, 0.0, "%zu s: %.0f failover errors outside the failover", i, e);
        else if (i > 60 && i < end - 1)
            cr_expect_geq(e, 0.95 * ser_get(t, i, arr), "%zu s: %.0f errors of %.0f arrivals", i, e,
                          ser_get(t, i, arr));
    }
    cr_expect_gt(r.errors[MDL_ERR_DB_FAILOVER], 50 * 200.0);
    cr_expect_gt(column_mean(t, "database_connections", end + 5, 195), 0.0, "reconnected");
    double before = column_mean(t, "database_utilisation_pct", 20, 58);
    double after = column_mean(t, "database_utilisation_pct", end + 5, 195);
    cr_expect(fabs(after - before) < 0.1 * before, "CPU %.1f%% before, %.1f%% after", before,
              after);

    double cache_ok = column_mean(t, "database_utilisation_pct", 150, 199);
    double cache_down = column_mean(t, "database_utilisation_pct", 201, 219);
    cr_expect(cache_down > 1.3 * cache_ok && cache_down < 1.6 * cache_ok,
              "database CPU %.1f%% with Redis, %.1f%% while it fails over", cache_ok, cache_down);
    double all_err = 0;
    for (int c = 0; c < MDL_NCAUSE; c++)
        all_err += c == MDL_ERR_DB_FAILOVER ? 0 : r.errors[c];
    cr_expect_eq(all_err, 0.0, "%.0f errors of other causes", all_err);
    eng_rep_clear(&r);
}
