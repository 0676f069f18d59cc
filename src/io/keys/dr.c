/*
 * keys/dr.c — the scenario keys of dr: the warm-standby DR region and its runbook.
 */
#include "io/keys/keys.h"

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
