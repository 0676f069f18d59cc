/*
 * alarms.c — the CloudWatch alarms, as a component of the chain (component.h): the scenario's
 * alarms and the one that pages on-call (mdl_alarm_pager), with the Route 53 health check's
 * alarm on the primary region. The rules are the model's (model/alarm.c); this file knows when
 * they are asked: when a lost region is noticed (region.c, at the failure), when the service is
 * back after a failure (record.c's recovery figures), and at the end of the run, when every
 * alarm is judged on the run's time series (its `meter` slot: when each fired, and for how long).
 *
 * It has no events: an alarm is judged on the series' rows, which the run has only at its end
 * (a long run's series folds as it grows: ENG_SERIES_MAX_ROWS), and the DR runbook's detection
 * is computed when the region is lost, from the alarm's period and threshold. Its bill is a fixed
 * charge per alarm-month, priced from the scenario by cost.c (the planner prices scenarios
 * without running them), so its meter adds nothing to the usage.
 */
#include "engine/component.h"

#include <math.h>
#include <stdlib.h>

struct eng__alarms {
    sim_rng *rng; /* first (eng__state_new): none, it draws nothing */
    const mdl_scenario *s;
    const mdl_alarm *pager;         /* the alarm that pages on-call when requests fail */
    double api_share;               /* of the requests, the API's (the edge answers the rest) */
    const ser_table *const *series; /* the run's time series (record.c), judged at the end */
    eng_rep *out;                   /* when each alarm fired, and for how long */
    int *oom;                       /* the run's out-of-memory flag */
};

static int alarms_init(eng__run *r, void **state, base_err *err)
{
    int st = eng__state_new(r, sizeof(struct eng__alarms), NULL, "alarms", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__alarms *a = r->alarms = *state;
    a->s = r->s;
    a->pager = mdl_alarm_pager(r->s);
    a->api_share = 1 - r->s->traffic.mix[MDL_STATIC];
    a->series = (const ser_table *const *)&r->series;
    a->out = r->out;
    a->oom = &r->oom;
    return BASE_OK;
}

const mdl_alarm *eng__alarms_pager(const struct eng__alarms *a)
{
    return a->pager;
}

sim_time eng__alarms_page_at(const struct eng__alarms *a, sim_time t)
{
    const mdl_alarm *al = a->pager;
    double threshold = al->threshold, share = a->api_share;
    sim_time period = al->period;
    int n = al->evaluation_periods;
    if (!(share * 100 > threshold))
        return SIM_NEVER; /* the alarm cannot see it: nobody is paged */
    sim_time k = t / period, end = (k + 1) * period;
    double part = (double)(end - t) / (double)period; /* of the first period, after t */
    if (!(share * part * 100 > threshold))
        k++;
    return (k + n) * period;
}

sim_time eng__alarms_health_check_at(const struct eng__alarms *a, sim_time t, sim_rng *g)
{
    const mdl_dr_config *dr = &a->s->dr;
    double phase[MDL_HEALTH_CHECKERS];
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++)
        phase[i] = sim_rng_uniform(g);
    sim_time interval = (dr->health_check_fast ? 10 : 30) * SIM_SEC, minute = 60 * SIM_SEC;
    sim_time unhealthy = t + mdl_health_check_delay(interval, dr->health_check_failures, phase);
    return (unhealthy / minute + 1) * minute;
}

/* The end of the run: the scenario's alarms judged on the series (model/alarm.c): each row's
 * metric, and for the error rate the arrivals, so that a period's rate is its errors over its
 * arrivals. A long run's series has folded (ENG_SERIES_MAX_ROWS): its alarms are judged on the
 * coarser rows, and an alarm whose period is shorter than half a row is not evaluated
 * (docs/report.md). */
static void alarms_meter(void *state, sim_time end, cost_usage *u)
{
    (void)end, (void)u; /* billed per alarm-month from the scenario (cost.c) */
    struct eng__alarms *a = state;
    const ser_table *series = *a->series;
    if (a->s->nalarms == 0 || !series)
        return;
    size_t n = ser_rows(series);
    double *v = base_malloc((n ? n : 1) * sizeof *v), *w = base_malloc((n ? n : 1) * sizeof *w);
    double *rate = base_malloc((n ? n : 1) * sizeof *rate),
           *vw = base_malloc((n ? n : 1) * sizeof *vw);
    if (!v || !w || !rate || !vw) {
        *a->oom = 1;
        free(v), free(w), free(rate), free(vw);
        return;
    }
    eng__series_error_rate(series, rate, w);
    double dt = sim_to_sec(ser_resolution(series));
    for (size_t i = 0; i < a->s->nalarms; i++) {
        const mdl_alarm *al = &a->s->alarms[i];
        bool is_rate = al->metric == MDL_ALARM_ERROR_RATE;
        /* a row without a value (the p99 of an interval that answered nothing: NaN) is
         * CloudWatch's missing data, weight 0 */
        for (size_t j = 0; !is_rate && j < n; j++) {
            double x = ser_get(series, j, eng__series_column(al->metric));
            v[j] = isnan(x) ? 0 : x;
            vw[j] = isnan(x) ? 0 : 1;
        }
        mdl_alarm_eval(al, is_rate ? rate : v, is_rate ? w : vw, n, dt, &a->out->alarm_first_s[i],
                       &a->out->alarm_s[i]);
    }
    free(v), free(w), free(rate), free(vw);
}

const eng__component eng__alarms_component = {
    .name = "alarms",
    .init = alarms_init,
    .free = eng__state_free,
    .meter = alarms_meter,
};
