/*
 * test_alarms.c — CloudWatch-style alarms on the simulated metrics (model/alarm.c): the
 * evaluation rule on series built by hand, and the seed's alarms on runs that should and
 * should not fire them.
 *
 * Why: an alarm is how a failure is detected (seed §9.3), and detection starts the clock of
 * every recovery; an alarm that fires a period early or late moves every RTO with it.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "io/io.h"

static mdl_alarm five_minutes_over(double threshold)
{
    mdl_alarm a;
    memset(&a, 0, sizeof a);
    snprintf(a.name, sizeof a.name, "t");
    a.metric = MDL_ALARM_DB_CPU;
    a.threshold = threshold;
    a.period = 60 * SIM_SEC;
    a.evaluation_periods = 5;
    return a;
}

Test(alarms, fires_after_n_breaching_periods_in_a_row, .timeout = 60)
{
    /* 10 s rows: 6 per period. 90% from minute 2 to minute 7 (five whole periods), then 50% */
    double v[60];
    for (int i = 0; i < 60; i++)
        v[i] = i >= 12 && i < 42 ? 90 : 50;
    mdl_alarm a = five_minutes_over(85);
    double first, in;
    mdl_alarm_eval(&a, v, NULL, 60, 10, &first, &in);
    cr_expect_eq(first, 420.0, "fires at the end of the fifth breaching minute, not %g", first);
    cr_expect_float_eq(in, 60.0, 1e-9, "in ALARM for the one period the fifth datapoint ends: %g",
                       in);
    /* one minute fewer: never */
    for (int i = 36; i < 42; i++)
        v[i] = 50;
    mdl_alarm_eval(&a, v, NULL, 60, 10, &first, &in);
    cr_expect_eq(first, -1.0);
    cr_expect_eq(in, 0.0);
}

Test(alarms, a_good_period_resets_the_count, .timeout = 60)
{
    double v[12]; /* 1-minute rows */
    for (int i = 0; i < 12; i++)
        v[i] = i == 4 ? 10 : 90; /* 4 bad, 1 good, 7 bad */
    mdl_alarm a = five_minutes_over(85);
    double first, in;
    mdl_alarm_eval(&a, v, NULL, 12, 60, &first, &in);
    cr_expect_eq(first, 600.0, "5 in a row only from minute 5 to 10: fires at 600 s, not %g",
                 first);
    cr_expect_float_eq(in, 180.0, 1e-9, "ALARM at the ends of minutes 10, 11 and 12: %g", in);
}

Test(alarms, error_rate_is_errors_over_arrivals_in_the_period, .timeout = 60)
{
    /* two rows a period: 100% of 10 requests failed, 0% of 990: the period's rate is 1% */
    double rate[10], arrivals[10];
    for (int i = 0; i < 10; i++) {
        rate[i] = i % 2 ? 0 : 100;
        arrivals[i] = i % 2 ? 990 : 10;
    }
    mdl_alarm a = five_minutes_over(5);
    a.metric = MDL_ALARM_ERROR_RATE;
    a.period = 2 * SIM_SEC;
    double first, in;
    mdl_alarm_eval(&a, rate, arrivals, 10, 1, &first, &in);
    cr_expect_eq(first, -1.0, "1%% of the period's requests is not > 5%%");
    a.threshold = 0.5;
    mdl_alarm_eval(&a, rate, arrivals, 10, 1, &first, &in);
    cr_expect_eq(first, 10.0);
}

static void run(const char *file, eng_summary *sum, mdl_scenario *s)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SIMULATE_TESTDATA, file);
    base_err err;
    cr_assert_eq(scn_load(path, s, &err), BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
    s->fidelity = MDL_FIDELITY_FLOW;
    cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, sum, &err), BASE_OK, "%s", err.msg);
}

static mdl_scenario scn;

Test(alarms, the_service_is_back_when_a_window_is_under_the_threshold, .timeout = 60)
{
    /* 10 s rows, equal traffic: every request failing from 100 s to 400 s, then none */
    double v[90], w[90];
    for (int i = 0; i < 90; i++) {
        v[i] = i >= 10 && i < 40 ? 100 : 0;
        w[i] = 50;
    }
    mdl_alarm a = five_minutes_over(5);
    a.metric = MDL_ALARM_ERROR_RATE;
    /* a window of one period (6 rows) holding a failing row is at 16.7% or more: the first
     * clean one starts at 400 s */
    cr_expect_eq(mdl_alarm_clear(&a, v, w, 90, 10, 100), 400.0);
    /* starting mid-row counts from that row */
    cr_expect_eq(mdl_alarm_clear(&a, v, w, 90, 10, 105), 400.0);
    /* a failure that never breaks the threshold: back at once */
    cr_expect_eq(mdl_alarm_clear(&a, v, w, 90, 10, 600), 600.0);
    /* a failing row among five quiet ones is under 5% by weight: back from 390 s, when the
     * window holds the last failing row's little traffic */
    w[39] = 1;
    cr_expect_eq(mdl_alarm_clear(&a, v, w, 90, 10, 100), 390.0);
    /* never back within the rows */
    for (int i = 0; i < 90; i++)
        v[i] = i >= 10 ? 100 : 0;
    cr_expect(isnan(mdl_alarm_clear(&a, v, w, 90, 10, 100)));
    /* the pager: the scenario's first critical error-rate alarm, else the seed's */
    mdl_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    const mdl_alarm *p = mdl_alarm_pager(s);
    cr_expect_eq(p->threshold, 5.0);
    cr_expect_eq(p->evaluation_periods, 5);
    s->alarms[0] = a;
    s->alarms[0].critical = 0;
    s->alarms[1] = a;
    s->alarms[1].critical = 1;
    s->alarms[1].threshold = 2;
    s->nalarms = 2;
    cr_expect_eq(mdl_alarm_pager(s)->threshold, 2.0, "a warning does not page");
    free(s);
}

Test(alarms, the_seed_alarms_on_an_overloaded_and_a_calm_run, .timeout = 60)
{
    eng_summary sum;
    /* 60k users against at most 40 pods: ~10% of requests fail from the start */
    run("flow/saturated.yaml", &sum, &scn);
    cr_assert_eq(scn.nalarms, 5, "the seed's five alarms by default");
    const eng_figure *f = eng_summary_figure(&sum, "alarm_fired_api_errors_critical");
    cr_assert_not_null(f);
    cr_expect_eq(f->ci.mean, 100.0, "error rate > 5%% for 5 minutes: in every replication");
    for (int r = 0; r < sum.replications; r++)
        cr_expect(sum.reps[r].alarm_first_s[0] >= 300 && sum.reps[r].alarm_first_s[0] <= 600,
                  "fires after five breaching minutes: %g s", sum.reps[r].alarm_first_s[0]);
    eng_summary_clear(&sum);
    /* 20k users on enough pods: nothing pages */
    run("flow/steady.yaml", &sum, &scn);
    for (size_t a = 0; a < scn.nalarms; a++)
        for (int r = 0; r < sum.replications; r++)
            cr_expect_eq(sum.reps[r].alarm_first_s[a], -1.0, "%s fired on a calm run",
                         scn.alarms[a].name);
    eng_summary_clear(&sum);
}
