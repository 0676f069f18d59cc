/*
 * keys/failures.c — the scenario keys of failures and recovery: the events a run plays, the DR
 * region, the alarms. Tables only, one section per component.
 */
#include "io/keys/keys.h"

/* ---------------------------------------------------------------- events
 * Things that happen at a given time (Spot storms,
 * deploys, failovers, region failures).
 */

static const char *const event_names[] = {
    "spot_storm", "spot_unavailable", "deploy",          "db_failover",       "cache_failover",
    "az_failure", "region_failure",   "data_corruption", "accidental_delete", "node_loss",
    NULL};
static const char *const az_names[] = {"a", "b", "c", NULL};
static const char *const strategy_names[] = {"rolling", "canary", "blue_green", NULL};

static const key event_keys[] = {
    {.name = "type",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_event, type),
     .def = NULL,
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "spot_storm, spot_unavailable, deploy, db_failover, cache_failover, az_failure, "
              "region_failure, data_corruption, accidental_delete, node_loss",
     .choices = event_names,
     .doc = "What happens. db_failover: the database's primary (writer) is lost and the "
            "Multi-AZ standby (an Aurora reader) takes over after database.failover_time "
            "(database.aurora.failover_time); cache_failover: the Redis primary is lost and a "
            "replica is promoted after redis.failover_time."},
    {.name = "at",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, at),
     .def = NULL,
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "When, from the start of the scenario."},
    {.name = "duration",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, duration),
     .def = "10m",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "spot_unavailable: how long no Spot capacity is to be had."},
    {.name = "share",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, share),
     .def = "100%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "spot_storm: share of the Spot nodes that get the notice."},
    {.name = "strategy",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_event, strategy),
     .def = "rolling",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "rolling, canary, blue_green",
     .choices = strategy_names,
     .doc = "deploy: how the new version replaces the old.",
     .source = "seed §8.3"},
    {.name = "max_surge",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, max_surge),
     .def = "25%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "deploy rolling: extra pods above the replica count (rounded up).",
     .source = "Deployment default maxSurge 25%"},
    {.name = "max_unavailable",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, max_unavailable),
     .def = "25%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "deploy rolling: pods that may be unavailable (rounded down).",
     .source = "Deployment default maxUnavailable 25%"},
    {.name = "canary_weight",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, canary_weight),
     .def = "10%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "deploy canary: share of pods (and traffic) on the new version before 100%.",
     .source = "seed §8.3: canary 10% -> 100%"},
    {.name = "count",
     .bind = scn__bind_int,
     .off = offsetof(mdl_event, count),
     .def = "1",
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = ">= 1",
     .doc = "node_loss: how many Karpenter nodes are lost at once (chosen at random); their pods' "
            "requests fail and the Deployment replaces them."},
    {.name = "every",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, every),
     .def = "0s",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "A random fault: it recurs from `at` on as a Poisson process with this mean interval "
            "(node_loss, spot_storm, db_failover, cache_failover). 0s: once, at `at`. Every "
            "occurrence is drawn when the run starts: at most a million expected in a run, all "
            "random events together (MDL_MAX_RANDOM_FAULTS)."},
    {.name = "az",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_event, az),
     .def = "a",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "a, b, c",
     .choices = az_names,
     .doc = "az_failure: the AZ lost. Its nodes go at once (their pods' requests fail, the "
            "Deployment replaces them elsewhere, Karpenter launches only in the others); in AZ a "
            "the database primary (Multi-AZ: failover; Single-AZ: database.restore_time) and the "
            "Redis primary (cache failover) go too.",
     .source = "seed §4.1: three AZs; §6.2 primary with a standby in another AZ"},
    {.name = "canary_pause",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, canary_pause),
     .def = "5m",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "deploy canary: how long the canary runs before going to 100%.",
     .source = "ASSUMPTION: the seed gives no pause"},
};
const section scn__event_section = {"events[]", "One event.", event_keys, NKEYS(event_keys)};

/* ---------------------------------------------------------------- dr
 * The warm-standby DR region and its runbook.
 */

static const key dr_keys[] = {
    {.name = "enabled",
     .bind = scn__bind_bool,
     .off = OFF(dr.enabled),
     .def = "true",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "A warm-standby DR region: it stands by all month (on the bill as `DR region`: its "
            "EKS control plane, system and warm nodes, the promotable read replica, a warm "
            "Redis, an idle ALB, NAT gateways, and the replication traffic to it), and a "
            "region_failure fails over to it.",
     .source = "seed §12.1: \"DR Strategy: Warm Standby\" in us-west-2 (§12.3)"},
    {.name = "warm_replicas",
     .bind = scn__bind_int,
     .off = OFF(dr.warm_replicas),
     .def = "3",
     .type = "integer",
     .min = 0,
     .max = 100000,
     .range = ">= 0",
     .doc = "API pods already running in the DR region (a warm standby, scaled down); the rest "
            "come as the HPA and Karpenter scale it up.",
     .source = "seed §12.3: EKS cluster \"warm — scaled down\"; 3: the HPA's minimum (§5.3), "
               "ASSUMPTION"},
    {.name = "replica_lag",
     .bind = scn__bind_dist,
     .off = OFF(dr.replica_lag),
     .def = "{dist: uniform, min: 1s, max: 10s}",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Cross-region replication lag of the DR read replica at the failure: the RPO (with "
            "Aurora: database.aurora.global_lag).",
     .source = "behaviour.md: asynchronous, \"typically seconds, can grow to minutes\" (no AWS "
               "figure); 1-10 s ASSUMPTION"},
    {.name = "replica_replay_share",
     .bind = scn__bind_percent,
     .off = OFF(dr.replica_replay_share),
     .def = "5%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "RDS: the DR replica replays the primary's WAL in one process, which costs this share "
            "of a write transaction's CPU time (database.queries.api_write x write_time) on one "
            "vCPU. When the writes need more than that vCPU, a backlog builds and the replica "
            "falls behind: its lag (the series' replica_lag_s) and a region failure's RPO are "
            "replica_lag plus that backlog. 0%: replay never falls behind.",
     .source = "PostgreSQL wiki, Parallel Recovery: WAL is replayed \"in a single thread\"; "
               "Cybertec, End of the road for PostgreSQL streaming replication? (2025): replay "
               "applies physical page changes, no planning or index search, yet one process can "
               "be overwhelmed by many writers; 5% ASSUMPTION (a single-row write's WAL record "
               "against its 2 ms of query CPU)"},
    {.name = "dns_ttl",
     .bind = scn__bind_duration,
     .off = OFF(dr.dns_ttl),
     .def = "60s",
     .type = "duration",
     .min = 0,
     .max = 86400e9,
     .range = "0s..1d",
     .doc = "Clients keep the old DNS answer until their cache expires: after the Route 53 "
            "update they move to the DR region spread evenly over this time, and a request from "
            "one still holding the old answer fails.",
     .source = "behaviour.md: ELB / CloudFront alias records have a fixed 60 s TTL"},
    {.name = "confirm",
     .bind = scn__bind_dist,
     .off = OFF(dr.confirm),
     .def = "5m",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Runbook step 2: on-call confirms the region failure (after the alarm fires).",
     .source = "seed §12.2 step 2: ~5 min"},
    {.name = "promote",
     .bind = scn__bind_dist,
     .off = OFF(dr.promote),
     .def = "10m",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Runbook step 3: promote the RDS read replica in the DR region (with Aurora: "
            "database.aurora.global_promote).",
     .source = "seed §12.2 step 3: ~10 min"},
    {.name = "dns_update",
     .bind = scn__bind_dist,
     .off = OFF(dr.dns_update),
     .def = "2m",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Runbook step 4: update Route 53 to point to the DR region.",
     .source = "seed §12.2 step 4: ~2 min"},
    {.name = "smoke_tests",
     .bind = scn__bind_dist,
     .off = OFF(dr.smoke_tests),
     .def = "5m",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Runbook step 6: smoke tests confirm the DR region (users are already sent there).",
     .source = "seed §12.2 step 6: ~5 min"},
    {.name = "communicate",
     .bind = scn__bind_dist,
     .off = OFF(dr.communicate),
     .def = "2m",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Runbook step 7: tell users (status page).",
     .source = "seed §12.2 step 7: ~2 min"},
};
const section scn__dr_section = {"dr", "The warm-standby DR region and its runbook (seed §12).",
                                 dr_keys, NKEYS(dr_keys)};

/* ---------------------------------------------------------------- alarms
 * CloudWatch-style alarms on the simulated metrics.
 */

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
