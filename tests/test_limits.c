/*
 * test_limits.c — results that must not look valid when they are not, and runs that must not
 * grow without bound (issue 13, items 7 and 9; item 4's rates are in tests/data/bad/).
 *
 * Why: a queue draining for a day reported its backlog as throughput and the histogram's top
 * bucket as every percentile; a run with no requests "met" its latency objectives; a ten-year
 * scenario ran out of memory hours in. Each case here is one of those reproducers.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "engine/engine.h"
#include "io/io.h"
#include "metrics/metrics.h"
#include "report/report.h"

#define SUPPORT_NAME "limits"
#define RUN_LIMIT_S  120.0
#include "support.h"

#define LIMITS SIMULATE_TESTDATA "/limits/"

TestSuite(limits, .fini = scratch_fini, .timeout = 300);

/* Loads and runs a scenario of tests/data/limits/ on two threads, and judges its objectives. */
static void play(const char *file, mdl_scenario *s, eng_summary *sum, app_verdict *v, size_t *nv)
{
    base_err err;
    cr_assert_eq(scn_load(file, s, &err), BASE_OK, "%s: %s", file, err.msg);
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, sum, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(app_judge(sum, v, nv, &err), BASE_OK, "%s", err.msg);
}

/* ---------------------------------------------------------------- histograms */

Test(limits, percentile_beyond_the_top_is_flagged)
{
    hist *h = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST);
    cr_assert_not_null(h);
    for (int i = 0; i < 90; i++)
        hist_record(h, 1000000); /* 1 ms */
    cr_expect_not(hist_beyond(h, 99), "nothing above the top yet");
    for (int i = 0; i < 10; i++)
        hist_record(h, HIST_DEFAULT_HIGHEST * 20); /* a day */
    cr_expect_not(hist_beyond(h, 50), "the median is 1 ms");
    cr_expect(hist_beyond(h, 95), "p95 is above 73 minutes");
    cr_expect(hist_beyond(h, 99.9));
    cr_expect_not(hist_beyond(h, 100), "the max is exact");
    cr_expect_eq(hist_max(h), HIST_DEFAULT_HIGHEST * 20);
    cr_expect_eq(hist_highest(h), HIST_DEFAULT_HIGHEST);
    hist_free(h);
}

/* ---------------------------------------------------------------- series */

static const char *const names3[] = {"time", "rate", "gauge"};

Test(limits, series_folds_past_its_bound)
{
    ser_table *t = ser_new(10, 3, names3);
    cr_assert_not_null(t);
    static const ser_fold how[] = {SER_FIRST, SER_MEAN, SER_LAST};
    cr_assert_eq(ser_set_max_rows(t, 4, how), BASE_OK);
    for (int i = 0; i < 4; i++) { /* up to the bound: as without one */
        double row[3] = {10.0 * i, i, 100 + i};
        cr_assert_eq(ser_append(t, row), BASE_OK);
    }
    cr_expect_eq(ser_rows(t), 4);
    cr_expect_eq(ser_resolution(t), 10);
    for (int i = 4; i < 11; i++) {
        double row[3] = {10.0 * i, i, 100 + i};
        cr_assert_eq(ser_append(t, row), BASE_OK);
    }
    cr_assert_eq(ser_flush(t), BASE_OK);
    /* 11 rows of 10: folded twice to rows of 40 — [0..3], [4..7], then 8..10 partly */
    cr_expect_eq(ser_resolution(t), 40);
    cr_expect_eq(ser_fold_factor(t), 4);
    cr_assert_eq(ser_rows(t), 3);
    cr_expect_float_eq(ser_get(t, 0, 0), 0, 1e-12);
    cr_expect_float_eq(ser_get(t, 0, 1), 1.5, 1e-12); /* mean of 0..3 */
    cr_expect_float_eq(ser_get(t, 0, 2), 103, 1e-12); /* the last reading */
    cr_expect_float_eq(ser_get(t, 1, 0), 40, 1e-12);
    cr_expect_float_eq(ser_get(t, 1, 1), 5.5, 1e-12);
    cr_expect_float_eq(ser_get(t, 2, 0), 80, 1e-12);
    cr_expect_float_eq(ser_get(t, 2, 1), 9, 1e-12); /* the partial row: mean of 8..10 */
    cr_expect_float_eq(ser_get(t, 2, 2), 110, 1e-12);
    ser_free(t);
}

Test(limits, long_run_series_is_bounded)
{
    mdl_scenario s;
    eng_summary sum;
    app_verdict v[MDL_MAX_OBJECTIVES];
    size_t nv;
    play(LIMITS "fold.yaml", &s, &sum, v, &nv);
    const ser_table *t = sum.reps[0].series;
    cr_assert_not_null(t);
    cr_expect_eq(ser_resolution(t), 2000000000LL, "the 1 s interval doubled once");
    cr_expect_eq(ser_rows(t), 18000);
    cr_expect_leq(ser_rows(t), ENG_SERIES_MAX_ROWS);
    cr_expect_float_eq(ser_get(t, 17999, 0), 35998, 1e-9, "the last row starts 2 s before the end");
    double mean = 0;
    for (size_t i = 0; i < ser_rows(t); i++)
        mean += ser_get(t, i, 2) / (double)ser_rows(t);
    cr_expect_float_eq(mean, 10, 0.2, "arrivals/s stays a rate: %g, not about 10", mean);
    eng_summary_clear(&sum);
}

/* ---------------------------------------------------------------- results */

Test(limits, backlog_is_not_throughput_and_top_is_a_bound)
{
    mdl_scenario s;
    eng_summary sum;
    app_verdict v[MDL_MAX_OBJECTIVES];
    size_t nv;
    play(LIMITS "backlog-24h.yaml", &s, &sum, v, &nv);
    const eng_figure *tp = eng_summary_figure(&sum, "throughput");
    cr_assert_not_null(tp);
    /* one worker at 86 ms: 11.6 answered a second, not the 8,300 that arrived */
    cr_expect(tp->ci.mean > 11 && tp->ci.mean < 12.5, "throughput %g req/s", tp->ci.mean);
    const char *keys[] = {"api_latency_p50", "api_latency_p99", "latency_p999"};
    for (size_t i = 0; i < 3; i++) {
        const eng_figure *f = eng_summary_figure(&sum, keys[i]);
        cr_assert_not_null(f);
        cr_expect(f->beyond, "%s is beyond the histograms' range", keys[i]);
        cr_expect_float_eq(f->ci.mean, (double)HIST_DEFAULT_HIGHEST / 1e6, 1e-6,
                           "%s is the bound, not a clamped midpoint (%f)", keys[i], f->ci.mean);
    }
    const eng_figure *mx = eng_summary_figure(&sum, "api_latency_max");
    cr_expect_not(mx->beyond, "the max is exact");
    cr_expect_gt(mx->ci.mean, 20e6, "a day's backlog: the last waited about a day");
    cr_assert_eq(nv, 3);
    cr_expect(v[0].known && v[0].beyond && !v[0].met && !v[0].uncertain,
              "p(99) < 300ms fails on the bound alone");
    cr_expect(v[1].known && v[1].beyond && v[1].met && !v[1].uncertain,
              "p(99) > 1s is met by the bound");
    cr_expect(v[2].known && !v[2].met, "throughput > 5000/s fails");
    char *json = rep_json(&sum, "backlog-24h.yaml", NULL, 0, NULL);
    cr_assert_not_null(json);
    cr_expect_not_null(strstr(json, "\"beyond_range\": true"));
    free(json);
    eng_summary_clear(&sum);
}

Test(limits, no_requests_is_not_measured)
{
    mdl_scenario s;
    eng_summary sum;
    app_verdict v[MDL_MAX_OBJECTIVES];
    size_t nv;
    play(LIMITS "no-requests.yaml", &s, &sum, v, &nv);
    cr_assert_eq(nv, 3);
    for (size_t i = 0; i < nv; i++)
        cr_expect_not(v[i].known, "'%s' on a run with no requests must be SKIP", v[i].o.text);
    eng_summary_clear(&sum);
}

/* ---------------------------------------------------------------- projection */

Test(limits, projection_of_ten_years_is_bounded)
{
    mdl_scenario s;
    base_err err;
    cr_assert_eq(scn_load(LIMITS "years.yaml", &s, &err), BASE_OK, "%s", err.msg);
    eng_projection p;
    cr_assert_eq(eng_project(&s, 2, &p, &err), BASE_OK);
    cr_expect_str_eq(p.engine, "request");
    cr_expect_float_eq(p.requests, 3650 * 86400.0, 1);
    cr_expect_leq(p.series_rows, ENG_SERIES_MAX_ROWS);
    cr_expect_gt(p.events, p.requests, "at least one kernel event a request");
    cr_expect_lt(p.memory_bytes, 1e9, "folded series: %g bytes", p.memory_bytes);
    /* the same scenario over one day: less memory, never more */
    s.traffic.phases[0].duration = SIM_HOUR * 24;
    eng_projection day;
    cr_assert_eq(eng_project(&s, 2, &day, &err), BASE_OK);
    cr_expect_leq(day.memory_bytes, p.memory_bytes);
}

Test(limits, check_prints_projection_and_max_memory_refuses)
{
    scratch sc;
    scratch_open(&sc);
    run_result r;
    const char *check[] = {"--check", LIMITS "years.yaml", NULL};
    run(&sc, check, &r);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.out, "projected: request engine"), "stdout: %s", r.out);
    cr_expect_not_null(strstr(r.out, "MB of memory"), "stdout: %s", r.out);
    run_free(&r);
    const char *small[] = {"--max-memory", "50M", "-o", "out", LIMITS "years.yaml", NULL};
    run(&sc, small, &r);
    cr_expect_eq(r.status, 2, "refused as input");
    cr_expect_not_null(strstr(r.err, "--max-memory allows"), "stderr: %s", r.err);
    cr_expect_eq(strchr(r.err, '\n'), r.err + r.err_len - 1, "one line: %s", r.err);
    cr_expect_eq(r.out_len, 0);
    struct stat st;
    cr_expect_neq(stat("out", &st), 0, "nothing written");
    run_free(&r);
    const char *bad[] = {"--max-memory", "lots", LIMITS "years.yaml", NULL};
    run(&sc, bad, &r);
    cr_expect_eq(r.status, 2);
    run_free(&r);
    scratch_close(&sc);
}
