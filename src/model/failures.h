/*
 * failures.h — events (Spot, deploys, failures), alarms, health checks, the HA table and the DR
 * region. Part of model.h, the public face of src/model/ (include that); a header of its own so
 * that a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_FAILURES_H
#define SIMULATE_MODEL_FAILURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

typedef enum mdl_event_type {
    MDL_EVENT_SPOT_STORM = 0,   /* a share of the Spot nodes get their interruption notice */
    MDL_EVENT_SPOT_UNAVAILABLE, /* no Spot capacity for a while: Karpenter falls back */
    MDL_EVENT_DEPLOY,           /* a new version of the API rolls out */
    MDL_EVENT_DB_FAILOVER,     /* the database's primary (writer) is lost; the standby takes over */
    MDL_EVENT_CACHE_FAILOVER,  /* the Redis primary is lost; a replica is promoted */
    MDL_EVENT_AZ_FAILURE,      /* an Availability Zone is lost: its nodes, and the database
                                * and Redis primaries when they live there (AZ a) */
    MDL_EVENT_REGION_FAILURE,  /* the primary region is lost; the DR runbook (seed §12.2) moves
                                * the service to the warm standby region */
    MDL_EVENT_DATA_CORRUPTION, /* bad data written: the database is restored to just before it
                                * by point-in-time recovery */
    MDL_EVENT_ACCIDENTAL_DELETE, /* the database deleted: restored from its latest automated
                                  * snapshot */
    MDL_EVENT_NODE_LOSS,         /* Karpenter nodes lost at once (hardware, kernel panic) */
} mdl_event_type;

/* The AZs the architecture spans (seed §4.1: three, a NAT gateway in each). Nodes are spread
 * over them in turn; the database primary and the Redis primary live in the first. */
#define MDL_AZS 3

typedef enum mdl_deploy_strategy {
    MDL_DEPLOY_ROLLING = 0,
    MDL_DEPLOY_CANARY,
    MDL_DEPLOY_BLUE_GREEN
} mdl_deploy_strategy;

#define MDL_MAX_EVENTS     64
#define MDL_MAX_OBJECTIVES 16

typedef struct mdl_event {
    mdl_event_type type;
    sim_time at;
    sim_time duration; /* spot_unavailable */
    double share;      /* spot_storm: share of Spot nodes */
    mdl_deploy_strategy strategy;
    double max_surge;       /* rolling: share of replicas (Deployment default 25%) */
    double max_unavailable; /* rolling: share of replicas (default 25%) */
    double canary_weight;   /* canary: share of traffic (and pods) on the new version */
    sim_time canary_pause;  /* canary: how long before going to 100% */
    int az;                 /* az_failure: which (0 = a, where the primaries live) */
    int count;              /* node_loss: nodes lost */
    sim_time every;         /* > 0: it recurs at random, a Poisson process of this mean
                             * interval from `at` on (node_loss, spot_storm, db_failover,
                             * cache_failover) */
} mdl_event;

/* A CloudWatch-style alarm on the simulated metrics (docs/models.md, "Alarms"): the metric's
 * value over each `period` (a datapoint), and the alarm fires when `evaluation_periods`
 * datapoints in a row breach the threshold ("error rate > 5% for 5 minutes": period 1 min,
 * 5 periods). The seed's alarms (§9.3) are the default. */
#define MDL_MAX_ALARMS 16
typedef enum mdl_alarm_metric {
    MDL_ALARM_ERROR_RATE = 0, /* % of arriving requests that failed, over the period */
    MDL_ALARM_DB_CPU,         /* % of the primary's (writer's) CPU busy */
    MDL_ALARM_POD_MEMORY,     /* pods' memory, % of requests (the HPA's reading) */
    MDL_ALARM_POD_CPU,        /* pods' CPU, % of requests (the HPA's reading) */
    MDL_ALARM_API_P99,        /* API latency p99 in the period, ms */
    MDL_ALARM_NMETRIC
} mdl_alarm_metric;

/* The metrics' names as scenarios and reports write them, NULL-terminated (alarm.c). */
extern const char *const mdl_alarm_metric_names[MDL_ALARM_NMETRIC + 1];

typedef struct mdl_alarm {
    char name[48];    /* [a-z0-9_]: the figure alarm_fired_NAME */
    int metric;       /* mdl_alarm_metric */
    double threshold; /* in the metric's unit: percent, or ms */
    sim_time period;
    int evaluation_periods;
    int critical; /* pages on-call (seed §9.3 "Critical"), else a warning */
} mdl_alarm;

/* When an alarm fired in a run: the first time its last breaching datapoint ended (s from the
 * start; -1: never) and how long it was in ALARM state in all (s). eval: the metric's value in
 * each series row (n rows of `interval` s); for the error rate, weights (arrivals per row) make
 * a period's value the errors over the arrivals. */
void mdl_alarm_eval(const mdl_alarm *a, const double *value, const double *weight, size_t n,
                    double interval, double *first_s, double *alarm_s);

/* The seed's alarms that the simulated metrics can evaluate, into out (MDL_MAX_ALARMS);
 * returns how many. */
size_t mdl_alarm_defaults(mdl_alarm *out);

/* The alarm that pages on-call when requests fail: the scenario's first critical error-rate
 * alarm, else the seed's ("error rate > 5% for 5 minutes", §9.3). Detection of a failure and
 * the end of its outage are both read against it. */
struct mdl_scenario; /* below */
const mdl_alarm *mdl_alarm_pager(const struct mdl_scenario *s);

/* When the service is back by that alarm's measure: the start of the first window of one
 * period, sliding row by row from the row that holds from_s, whose value (weighted as in
 * mdl_alarm_eval) is at or under the threshold — s from the start; NaN when none is within the
 * rows. The window begins in the row holding from_s so that a failure that never breaks the
 * threshold is back at once. */
double mdl_alarm_clear(const mdl_alarm *a, const double *value, const double *weight, size_t n,
                       double interval, double from_s);

/* Route 53's health checkers: about 15 around the world (behaviour.md §10, course notes). */
#define MDL_HEALTH_CHECKERS 15

/* From an endpoint's failure until Route 53 calls it unhealthy: each of the
 * MDL_HEALTH_CHECKERS checkers, uncoordinated, first checks at phase[i] (uniform on [0, 1)) of
 * its interval after the failure and calls the endpoint unhealthy after `failures` failed checks
 * in a row; the endpoint is unhealthy once no more than 18% of them call it healthy
 * (Route 53 developer guide, "How Amazon Route 53 determines whether a health check is
 * healthy"). */
sim_time mdl_health_check_delay(sim_time interval, int failures,
                                const double phase[MDL_HEALTH_CHECKERS]);

/* A row of the seed's high-availability table (§6.3): the failure, and its targets. */
typedef struct mdl_ha_row {
    const char *scenario; /* "AZ failure" */
    const char *solution;
    double rto_s, rpo_s; /* targets; "~0" is 1 s */
} mdl_ha_row;

/* The row for a failure event (NULL for an event that is no failure of the table). */
const mdl_ha_row *mdl_ha_row_of(mdl_event_type t);

/* The failures of the table, in its order. */
#define MDL_HA_ROWS 5
extern const mdl_event_type mdl_ha_events[MDL_HA_ROWS];

/* The warm-standby DR region and its runbook (seed §12.2), for region_failure. Each step's
 * duration is a distribution; the defaults are the seed's nominal times. */
typedef struct mdl_dr_config {
    bool enabled;                /* a DR region stands by (and is billed: cost.c) */
    int warm_replicas;           /* API pods already running in the DR region */
    sim_dist replica_lag;        /* cross-region replication lag with no replay backlog */
    double replica_replay_share; /* RDS: replay's CPU per write, a share of the write's CPU */
    sim_time dns_ttl;            /* clients keep the old answer up to this long */
    sim_dist confirm;            /* step 2: on-call confirms the region failure */
    sim_dist promote;            /* step 3: promote the RDS read replica in the DR region */
    sim_dist dns_update;         /* step 4: update Route 53 to the DR region */
    sim_dist smoke_tests;        /* step 6 */
    sim_dist communicate;        /* step 7: the status page */
    /* A Route 53 health check on the primary region's public endpoint, with a CloudWatch alarm
     * on its status that pages on-call: detection is whichever pages first, it or the error-rate
     * alarm (dns.health_check). */
    bool health_check;
    int health_check_fast;     /* 0: a check every 30 s (standard); 1: every 10 s (fast) */
    int health_check_failures; /* consecutive failed checks before a checker says unhealthy */
} mdl_dr_config;

#endif
