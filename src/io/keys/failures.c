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
    {KEY_ENUM("type", offsetof(mdl_event, type), NULL, event_names,
              "spot_storm, spot_unavailable, deploy, db_failover, cache_failover, az_failure, "
              "region_failure, data_corruption, accidental_delete, node_loss"),
     .doc = "What happens. db_failover: the database's primary (writer) is lost and the "
            "Multi-AZ standby (an Aurora reader) takes over after database.failover_time "
            "(database.aurora.failover_time); cache_failover: the Redis primary is lost and a "
            "replica is promoted after redis.failover_time."},
    {KEY_DURATION("at", offsetof(mdl_event, at), NULL, 0, 1e18, ">= 0s"),
     .doc = "When, from the start of the scenario."},
    {KEY_DURATION("duration", offsetof(mdl_event, duration), "10m", 0, 1e18, ">= 0s"),
     .doc = "spot_unavailable: how long no Spot capacity is to be had."},
    {KEY_PERCENT("share", offsetof(mdl_event, share), "100%", 0, 1, "0%..100%"),
     .doc = "spot_storm: share of the Spot nodes that get the notice."},
    {KEY_ENUM("strategy", offsetof(mdl_event, strategy), "rolling", strategy_names,
              "rolling, canary, blue_green"),
     .doc = "deploy: how the new version replaces the old.", .source = "seed §8.3"},
    {KEY_PERCENT("max_surge", offsetof(mdl_event, max_surge), "25%", 0, 1, "0%..100%"),
     .doc = "deploy rolling: extra pods above the replica count (rounded up).",
     .source = "Deployment default maxSurge 25%"},
    {KEY_PERCENT("max_unavailable", offsetof(mdl_event, max_unavailable), "25%", 0, 1, "0%..100%"),
     .doc = "deploy rolling: pods that may be unavailable (rounded down).",
     .source = "Deployment default maxUnavailable 25%"},
    {KEY_PERCENT("canary_weight", offsetof(mdl_event, canary_weight), "10%", 0, 1, "0%..100%"),
     .doc = "deploy canary: share of pods (and traffic) on the new version before 100%.",
     .source = "seed §8.3: canary 10% -> 100%"},
    {KEY_INT("count", offsetof(mdl_event, count), "1", 1, 100000, ">= 1"),
     .doc = "node_loss: how many Karpenter nodes are lost at once (chosen at random); their pods' "
            "requests fail and the Deployment replaces them."},
    {KEY_DURATION("every", offsetof(mdl_event, every), "0s", 0, 1e18, ">= 0s"),
     .doc = "A random fault: it recurs from `at` on as a Poisson process with this mean interval "
            "(node_loss, spot_storm, db_failover, cache_failover). 0s: once, at `at`. Every "
            "occurrence is drawn when the run starts: at most a million expected in a run, all "
            "random events together (MDL_MAX_RANDOM_FAULTS)."},
    {KEY_ENUM("az", offsetof(mdl_event, az), "a", az_names, "a, b, c"),
     .doc = "az_failure: the AZ lost. Its nodes go at once (their pods' requests fail, the "
            "Deployment replaces them elsewhere, Karpenter launches only in the others); in AZ a "
            "the database primary (Multi-AZ: failover; Single-AZ: database.restore_time) and the "
            "Redis primary (cache failover) go too.",
     .source = "seed §4.1: three AZs; §6.2 primary with a standby in another AZ"},
    {KEY_DURATION("canary_pause", offsetof(mdl_event, canary_pause), "5m", 0, 1e18, ">= 0s"),
     .doc = "deploy canary: how long the canary runs before going to 100%.",
     .source = "ASSUMPTION: the seed gives no pause"},
};
const section scn__event_section = {"events[]", "One event.", event_keys, NKEYS(event_keys)};

/* ---------------------------------------------------------------- dr
 * The warm-standby DR region and its runbook.
 */

static const key dr_keys[] = {
    {KEY_BOOL("enabled", OFF(dr.enabled), "true"),
     .doc = "A warm-standby DR region: it stands by all month (on the bill as `DR region`: its "
            "EKS control plane, system and warm nodes, the promotable read replica, a warm "
            "Redis, an idle ALB, NAT gateways, and the replication traffic to it), and a "
            "region_failure fails over to it.",
     .source = "seed §12.1: \"DR Strategy: Warm Standby\" in us-west-2 (§12.3)"},
    {KEY_INT("warm_replicas", OFF(dr.warm_replicas), "3", 0, 100000, ">= 0"),
     .doc = "API pods already running in the DR region (a warm standby, scaled down); the rest "
            "come as the HPA and Karpenter scale it up.",
     .source = "seed §12.3: EKS cluster \"warm — scaled down\"; 3: the HPA's minimum (§5.3), "
               "ASSUMPTION"},
    {KEY_DIST("replica_lag", OFF(dr.replica_lag), "{dist: uniform, min: 1s, max: 10s}"),
     .doc = "Cross-region replication lag of the DR read replica at the failure: the RPO (with "
            "Aurora: database.aurora.global_lag).",
     .source = "behaviour.md: asynchronous, \"typically seconds, can grow to minutes\" (no AWS "
               "figure); 1-10 s ASSUMPTION"},
    {KEY_PERCENT("replica_replay_share", OFF(dr.replica_replay_share), "5%", 0, 1, "0%..100%"),
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
    {KEY_DURATION("dns_ttl", OFF(dr.dns_ttl), "60s", 0, 86400e9, "0s..1d"),
     .doc = "Clients keep the old DNS answer until their cache expires: after the Route 53 "
            "update they move to the DR region spread evenly over this time, and a request from "
            "one still holding the old answer fails.",
     .source = "behaviour.md: ELB / CloudFront alias records have a fixed 60 s TTL"},
    {KEY_DIST("confirm", OFF(dr.confirm), "5m"),
     .doc = "Runbook step 2: on-call confirms the region failure (after the alarm fires).",
     .source = "seed §12.2 step 2: ~5 min"},
    {KEY_DIST("promote", OFF(dr.promote), "10m"),
     .doc = "Runbook step 3: promote the RDS read replica in the DR region (with Aurora: "
            "database.aurora.global_promote).",
     .source = "seed §12.2 step 3: ~10 min"},
    {KEY_DIST("dns_update", OFF(dr.dns_update), "2m"),
     .doc = "Runbook step 4: update Route 53 to point to the DR region.",
     .source = "seed §12.2 step 4: ~2 min"},
    {KEY_DIST("smoke_tests", OFF(dr.smoke_tests), "5m"),
     .doc = "Runbook step 6: smoke tests confirm the DR region (users are already sent there).",
     .source = "seed §12.2 step 6: ~5 min"},
    {KEY_DIST("communicate", OFF(dr.communicate), "2m"),
     .doc = "Runbook step 7: tell users (status page).", .source = "seed §12.2 step 7: ~2 min"},
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
    {KEY_PLAIN(bind_alarm_name, "string", "name", offsetof(mdl_alarm, name), NULL),
     .size = sizeof(((mdl_alarm *)0)->name),
     .doc = "The alarm's name (snake_case): the report's figure alarm_fired_NAME."},
    {KEY_ENUM("metric", offsetof(mdl_alarm, metric), NULL, mdl_alarm_metric_names,
              "error_rate, database_cpu, pod_memory, pod_cpu, api_p99"),
     .doc = "What it watches: error_rate (% of requests that failed), database_cpu (% of the "
            "primary's or writer's CPU), pod_memory and pod_cpu (% of the pods' requests, as the "
            "HPA reads them), api_p99 (ms)."},
    {KEY_NUMBER("threshold", offsetof(mdl_alarm, threshold), NULL, 0, 1e12, ">= 0"),
     .doc = "Breaching above this, in the metric's unit (percent, or ms for api_p99)."},
    {KEY_DURATION("period", offsetof(mdl_alarm, period), "1m", 1e9, 86400e9,
                  "a multiple of series_interval"),
     .doc = "One datapoint per period (the metric averaged over it).",
     .source = "CloudWatch: 60 s is the standard resolution of a metric's datapoints"},
    {KEY_INT("evaluation_periods", offsetof(mdl_alarm, evaluation_periods), "5", 1, 10000,
             "1..10000"),
     .doc = "Breaching datapoints in a row that put it in ALARM (\"for 5 minutes\": 5 of 1 min).",
     .source = "seed §9.3: \"for 5 minutes\""},
    {KEY_ENUM("severity", offsetof(mdl_alarm, critical), "warning", alarm_severities,
              "warning, critical"),
     .doc = "critical pages on-call; warning notifies (seed §9.3).", .source = "seed §9.3"},
};
const section scn__alarm_section = {"alarms[]", "One alarm.", alarm_keys, NKEYS(alarm_keys)};
