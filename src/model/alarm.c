/*
 * alarm.c — CloudWatch-style alarms evaluated on a run's time series (model.h, mdl_alarm), and
 * the seed's high-availability table the recovery from a failure is judged against.
 *
 * CloudWatch's rule (Amazon CloudWatch User Guide, "Evaluating an alarm"): a metric is reduced
 * to one datapoint per period (here the average over the period's series rows, or errors over
 * arrivals for the error rate), and an alarm with N evaluation periods goes to ALARM when the
 * last N datapoints all breach its threshold ("M out of N" with M = N, the console's default),
 * and back to OK when one does not. A period must hold whole series rows: the binder checks
 * that it is a multiple of series_interval.
 */
#include "model/model.h"

#include <math.h>
#include <string.h>

const char *const mdl_alarm_metric_names[MDL_ALARM_NMETRIC + 1] = {
    "error_rate", "database_cpu", "pod_memory", "pod_cpu", "api_p99", NULL};

void mdl_alarm_eval(const mdl_alarm *a, const double *value, const double *weight, size_t n,
                    double interval, double *first_s, double *alarm_s)
{
    *first_s = -1;
    *alarm_s = 0;
    double period = sim_to_sec(a->period);
    size_t per = interval > 0 ? (size_t)llround(period / interval) : 0;
    if (per == 0 || a->evaluation_periods < 1)
        return;
    int run = 0; /* breaching datapoints in a row */
    for (size_t start = 0; start + per <= n; start += per) {
        double sum = 0, w = 0;
        for (size_t i = start; i < start + per; i++) {
            double wi = weight ? weight[i] : 1.0;
            sum += value[i] * wi;
            w += wi;
        }
        double v = w > 0 ? sum / w : 0; /* no traffic: no errors (CloudWatch: missing data is
                                         * "not breaching" by default) */
        run = v > a->threshold ? run + 1 : 0;
        if (run >= a->evaluation_periods) {
            double end = (double)(start + per) * interval;
            if (*first_s < 0)
                *first_s = end;
            *alarm_s += period;
        }
    }
}

size_t mdl_alarm_defaults(mdl_alarm *out)
{
    /* seed §9.3 "Alerting (CloudWatch Alarms)": the ones the simulated metrics can evaluate
     * (pod crash loops, an unreachable node and Karpenter failing to provision are events the
     * model does not raise yet) */
    static const mdl_alarm seed[] = {
        {"api_errors_critical", MDL_ALARM_ERROR_RATE, 5, 60 * SIM_SEC, 5, 1},
        {"rds_cpu_critical", MDL_ALARM_DB_CPU, 85, 60 * SIM_SEC, 10, 1},
        {"api_errors_warning", MDL_ALARM_ERROR_RATE, 1, 60 * SIM_SEC, 5, 0},
        {"rds_cpu_warning", MDL_ALARM_DB_CPU, 60, 60 * SIM_SEC, 15, 0},
        /* "Memory utilization > 80%" has no duration in the seed: 5 minutes, ASSUMPTION */
        {"pod_memory_warning", MDL_ALARM_POD_MEMORY, 80, 60 * SIM_SEC, 5, 0},
    };
    size_t n = sizeof seed / sizeof seed[0];
    memcpy(out, seed, sizeof seed);
    return n;
}

const mdl_alarm *mdl_alarm_pager(const mdl_scenario *s)
{
    static const mdl_alarm seed = {"api_errors_critical",
                                   MDL_ALARM_ERROR_RATE,
                                   5,
                                   60 * SIM_SEC,
                                   5,
                                   1}; /* seed §9.3, as in mdl_alarm_defaults */
    for (size_t a = 0; a < s->nalarms; a++)
        if (s->alarms[a].metric == MDL_ALARM_ERROR_RATE && s->alarms[a].critical)
            return &s->alarms[a];
    return &seed;
}

double mdl_alarm_clear(const mdl_alarm *a, const double *value, const double *weight, size_t n,
                       double interval, double from_s)
{
    size_t per = interval > 0 ? (size_t)llround(sim_to_sec(a->period) / interval) : 0;
    if (per == 0 || !(from_s >= 0))
        return NAN;
    /* a running sum over the window: O(n) whatever the period */
    double sum = 0, w = 0;
    size_t first = (size_t)(from_s / interval);
    for (size_t i = first; i < n; i++) {
        double wi = weight ? weight[i] : 1.0;
        sum += value[i] * wi;
        w += wi;
        if (i + 1 < first + per)
            continue;
        size_t start = i + 1 - per;
        double v = w > 0 ? sum / w : 0; /* no traffic: nothing failed */
        if (v <= a->threshold)
            return (double)start * interval;
        double w0 = weight ? weight[start] : 1.0;
        sum -= value[start] * w0;
        w -= w0;
    }
    return NAN;
}

sim_time mdl_health_check_delay(sim_time interval, int failures,
                                const double phase[MDL_HEALTH_CHECKERS])
{
    /* healthy while more than 18% call it healthy: unhealthy from the moment the k-th checker
     * (k = n - floor(0.18 n), 13 of 15) has seen its last failure — the k-th smallest phase */
    int k = MDL_HEALTH_CHECKERS - (int)floor(0.18 * MDL_HEALTH_CHECKERS);
    double sorted[MDL_HEALTH_CHECKERS];
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++) { /* insertion: 15 values */
        int j = i;
        for (; j > 0 && sorted[j - 1] > phase[i]; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = phase[i];
    }
    return (sim_time)(sorted[k - 1] * (double)interval) + (sim_time)(failures - 1) * interval;
}

/* seed §6.3 "High Availability": RTO and RPO per failure ("~0" taken as 1 s, "~30 min" and
 * "~1 hour" as those figures) */
const mdl_ha_row *mdl_ha_row_of(mdl_event_type t)
{
    static const mdl_ha_row rows[] = {
        {"AZ failure", "Multi-AZ automatic failover", 120, 1},
        {"Instance failure", "RDS Multi-AZ standby", 120, 1},
        {"Region failure", "Cross-region read replica, promoted", 1800, 300},
        {"Data corruption", "Point-in-time recovery (PITR)", 3600, 300},
        {"Accidental delete", "Automated snapshots (35 days)", 3600, 86400},
    };
    switch (t) {
    case MDL_EVENT_AZ_FAILURE: return &rows[0];
    case MDL_EVENT_DB_FAILOVER: return &rows[1];
    case MDL_EVENT_REGION_FAILURE: return &rows[2];
    case MDL_EVENT_DATA_CORRUPTION: return &rows[3];
    case MDL_EVENT_ACCIDENTAL_DELETE: return &rows[4];
    default: return NULL;
    }
}

const mdl_event_type mdl_ha_events[MDL_HA_ROWS] = {
    MDL_EVENT_AZ_FAILURE, MDL_EVENT_DB_FAILOVER, MDL_EVENT_REGION_FAILURE,
    MDL_EVENT_DATA_CORRUPTION, MDL_EVENT_ACCIDENTAL_DELETE};

const mdl_event *mdl_first_failure(const mdl_scenario *s)
{
    const mdl_event *first = NULL;
    for (size_t i = 0; i < s->nevents; i++)
        if (mdl_ha_row_of(s->events[i].type) && (!first || s->events[i].at < first->at))
            first = &s->events[i];
    return first;
}
