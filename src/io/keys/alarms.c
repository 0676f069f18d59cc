/*
 * keys/alarms.c — the scenario keys of alarms: CloudWatch-style alarms on the simulated metrics.
 */
#include "io/keys/keys.h"

static const char *const alarm_severities[] = {"warning", "critical", NULL};

/* alarms[].name: the figure alarm_fired_NAME, so snake_case */
static int bind_alarm_name(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_string(k, n, c);
    if (st)
        return st;
    for (const char *p = n->text; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return scn__at(c, n,
                           "an alarm's name is lowercase letters, digits and '_' (it "
                           "names the figure alarm_fired_NAME)");
    return BASE_OK;
}

static const key alarm_keys[] = {
    {.name = "name",
     .bind = bind_alarm_name,
     .off = offsetof(mdl_alarm, name),
     .size = sizeof(((mdl_alarm *)0)->name),
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "The alarm's name (snake_case): the report's figure alarm_fired_NAME."},
    {.name = "metric",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_alarm, metric),
     .type = "choice",
     .min = 1,
     .max = 0,
     .choices = mdl_alarm_metric_names,
     .range = "error_rate, database_cpu, pod_memory, pod_cpu, api_p99",
     .doc = "What it watches: error_rate (% of requests that failed), database_cpu (% of the "
            "primary's or writer's CPU), pod_memory and pod_cpu (% of the pods' requests, as the "
            "HPA reads them), api_p99 (ms)."},
    {.name = "threshold",
     .bind = scn__bind_count,
     .off = offsetof(mdl_alarm, threshold),
     .type = "number",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Breaching above this, in the metric's unit (percent, or ms for api_p99)."},
    {.name = "period",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_alarm, period),
     .def = "1m",
     .type = "duration",
     .min = 1e9,
     .max = 86400e9,
     .range = "a multiple of series_interval",
     .doc = "One datapoint per period (the metric averaged over it).",
     .source = "CloudWatch: 60 s is the standard resolution of a metric's datapoints"},
    {.name = "evaluation_periods",
     .bind = scn__bind_int,
     .off = offsetof(mdl_alarm, evaluation_periods),
     .def = "5",
     .type = "integer",
     .min = 1,
     .max = 10000,
     .range = "1..10000",
     .doc = "Breaching datapoints in a row that put it in ALARM (\"for 5 minutes\": 5 of 1 min).",
     .source = "seed §9.3: \"for 5 minutes\""},
    {.name = "severity",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_alarm, critical),
     .def = "warning",
     .type = "choice",
     .min = 1,
     .max = 0,
     .choices = alarm_severities,
     .range = "warning, critical",
     .doc = "critical pages on-call; warning notifies (seed §9.3).",
     .source = "seed §9.3"},
};
const section scn__alarm_section = {"alarms[]", "One alarm.", alarm_keys, NKEYS(alarm_keys)};
