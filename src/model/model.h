/*
 * model.h — the components of the simulated architecture: their parameters (bound from the
 * scenario by src/io/) and their behaviour, which the engines in src/engine/ drive. The only
 * header of src/model/; every public name is mdl_*.
 *
 * Each component offers its behaviour in two forms so that the request engine (one entity per
 * request) and the flow engine (one rate per time step, issue 5) can share it:
 *   - per request: small functions that take one request and a random stream and say what
 *     happens to it (where it goes, how long it takes); they never schedule events themselves —
 *     the engine owns the clock and the pending-event set;
 *   - per rate: the same parameters read as rates, means and squared coefficients of variation
 *     (mdl_traffic_rate, sim_dist_mean, sim_dist_scv) — what queueing approximations need.
 *
 * Units: time in ns (sim_time) unless a field says s; shares as fractions in [0, 1].
 * Every default and its public source is in the key table (src/io/schema.c) and
 * docs/scenarios.md; docs/models.md says what each component does.
 */
#ifndef SIMULATE_MODEL_H
#define SIMULATE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

/* ---------------------------------------------------------------- request classes */

typedef enum mdl_class {
    MDL_STATIC = 0, /* SPA assets: CloudFront, S3 on a miss */
    MDL_API_READ,   /* /api/ GET: ALB -> pod -> database reads */
    MDL_API_WRITE,  /* /api/ POST/PUT/DELETE: ALB -> pod -> database writes */
    MDL_NCLASS
} mdl_class;

const char *mdl_class_name(mdl_class c); /* "static", "api_read", "api_write" */

/* Why a request failed, as the user would see it. */
typedef enum mdl_cause {
    MDL_ERR_BACKLOG_FULL = 0, /* 502: the pod's listen backlog was full (connection refused) */
    MDL_ERR_WORKER_TIMEOUT,   /* 502: gunicorn killed the worker after `timeout` */
    MDL_ERR_ALB_TIMEOUT,      /* 504: no response within the ALB idle timeout */
    MDL_ERR_NO_TARGET,        /* 503: no pod to route to */
    MDL_ERR_POD_TERMINATED,   /* 502: the pod shut down with the request waiting or running */
    MDL_ERR_OOM_KILLED,       /* 502: the container crossed its memory limit and was killed */
    MDL_ERR_TARGET_DOWN,      /* 502: routed to a crashed pod the ALB has not yet found out */
    MDL_ERR_DB_CONNECTIONS,   /* 500: "too many connections": the database's max_connections */
    MDL_ERR_POOL_TIMEOUT,     /* 500: waited query_wait_timeout for a server connection */
    MDL_ERR_CLIENT_REFUSED,   /* 500: PgBouncer's max_client_conn was reached */
    MDL_ERR_DB_FAILOVER,      /* 500: the database was failing over (connection lost or refused) */
    MDL_NCAUSE
} mdl_cause;

const char *mdl_cause_name(mdl_cause c); /* "backlog_full", ... */
int mdl_cause_http_status(mdl_cause c);  /* 502, 502, 504, 503 */

/* ---------------------------------------------------------------- parameters */

#define MDL_MAX_PHASES 64
#define MDL_NAME_MAX   128

/* A stretch of the load shape (Artillery's phases): `duration` long, moving linearly from
 * `from` to `to` (equal for a hold). The quantity is concurrent users, or requests per second
 * when the traffic is given as a rate. */
typedef struct mdl_phase {
    char name[MDL_NAME_MAX];
    sim_time duration;
    double from; /* users, or requests/s */
    double to;
} mdl_phase;

typedef struct mdl_traffic_config {
    mdl_phase phases[MDL_MAX_PHASES];
    size_t nphases;
    bool by_rate;                       /* phases give requests/s instead of users */
    double requests_per_user_min;       /* requests per user per minute (users mode) */
    double mix[MDL_NCLASS];             /* share of each class; sums to 1 */
    double max_requests;                /* stop arriving after this many; 0: no limit */
    int64_t response_bytes[MDL_NCLASS]; /* mean response size, for metering (bytes) */
    int64_t request_bytes;              /* mean request size, for metering (bytes) */
} mdl_traffic_config;

typedef struct mdl_cdn_config {
    bool enabled;            /* false: requests reach the ALB directly, statics are not served */
    double static_hit_ratio; /* share of static requests served from the edge cache */
    /* Popularity model of the static assets; when static_objects > 0 it replaces
     * static_hit_ratio by a derived value (Che's approximation or the TTL formula). */
    double static_objects;     /* distinct assets */
    double zipf_alpha;         /* Zipf exponent of their popularity */
    double cache_objects;      /* LRU capacity of an edge cache, in objects; 0: use ttl */
    sim_time ttl;              /* TTL cache: an asset stays this long after a miss */
    double api_cacheable;      /* share of api_read requests whose path is cacheable at the edge */
    double api_hit_ratio;      /* of those, share served from the edge */
    sim_dist edge_latency;     /* time spent at the edge for every request */
    sim_dist origin_latency;   /* S3 first byte on a static miss */
    sim_time origin_keepalive; /* an idle connection to the ALB closes after this (LCUs) */
    double origin_sources;     /* CloudFront servers each keeping its own connection to the ALB */
} mdl_cdn_config;

typedef enum mdl_alb_algorithm {
    MDL_ALB_ROUND_ROBIN = 0,
    MDL_ALB_LEAST_OUTSTANDING
} mdl_alb_algorithm;

typedef struct mdl_alb_config {
    mdl_alb_algorithm algorithm;
    sim_dist latency;              /* request + response processing added by the ALB */
    sim_time idle_timeout;         /* 504 when the target has not answered; 0: no timeout */
    sim_time hc_interval;          /* target health check interval */
    int hc_healthy;                /* consecutive passes before a failed target is healthy again */
    int hc_unhealthy;              /* consecutive failures before a target is unhealthy */
    sim_time deregistration_delay; /* a deregistered target keeps in-flight requests this long */
    sim_time client_keepalive;     /* without CloudFront: a client's idle connection closes after
                                    * this (LCUs) */
} mdl_alb_config;

/* The Flask API Deployment: pods running gunicorn with sync workers. */
/* readinessProbe timing (Kubernetes core/v1 Probe). */
typedef struct mdl_probe {
    sim_time initial_delay;
    sim_time period;
    int success_threshold;
    int failure_threshold;
} mdl_probe;

typedef struct mdl_api_config {
    int replicas;                         /* pods at the start (the HPA moves it when enabled) */
    int workers;                          /* gunicorn sync workers per pod: one request each */
    int backlog;                          /* requests a pod holds waiting for a worker */
    sim_time timeout;                     /* gunicorn kills a worker busy this long; 0: never */
    sim_dist service[MDL_NCLASS];         /* CPU time of the application per request (one core),
                                           * database time excluded */
    int64_t cpu_request, cpu_limit;       /* millicores */
    int64_t memory_request, memory_limit; /* bytes */
    int64_t memory_base;        /* bytes the pod uses at rest (gunicorn master and workers) */
    int64_t memory_per_request; /* bytes more per request being served */
    int arch;                   /* nodeSelector kubernetes.io/arch, as a mask */
    bool spot_ok;               /* tolerates karpenter.sh/capacity-type=spot */
    sim_dist image_pull;        /* on a node that does not have the image yet */
    int64_t image_bytes;        /* compressed image size: through the NAT gateway per pull */
    sim_dist container_start;   /* process start to listening */
    mdl_probe readiness;
    sim_time termination_grace; /* terminationGracePeriodSeconds */
    sim_time restart_backoff;   /* kubelet's first restart delay after a crash (OOM kill) */
} mdl_api_config;

typedef enum mdl_db_engine {
    MDL_DB_QUEUE = 0, /* an abstract c-server FIFO queue (queueing checks) */
    MDL_DB_RDS,       /* RDS for PostgreSQL: an instance class, Multi-AZ, read replicas */
    MDL_DB_AURORA     /* Aurora PostgreSQL Serverless v2: capacity in ACUs that follows load */
} mdl_db_engine;

enum { MDL_CREDITS_UNLIMITED = 0, MDL_CREDITS_STANDARD };

typedef struct mdl_db_config {
    bool enabled;
    mdl_db_engine engine;
    int servers;                /* queue engine: queries served at once (c) */
    double queries[MDL_NCLASS]; /* mean queries per request; fractional part drawn per request */
    sim_dist read_time;         /* CPU time of a query of an api_read request (one vCPU) */
    sim_dist write_time;        /* ... of an api_write request */
    /* RDS */
    char instance_class[24]; /* resolved against the catalog into class */
    int db_class;            /* index in catalog.db; -1: none */
    bool multi_az;           /* a standby in another AZ: priced, and a db_failover target */
    int credit_mode;         /* a burstable class: MDL_CREDITS_UNLIMITED (CPU beyond the
                              * baseline billed) or MDL_CREDITS_STANDARD (throttled to the
                              * baseline while its CPU credits are spent) */
    double credits_start;    /* its credit balance at the start, share of the 24 h cap */
    sim_dist failover_time;  /* RDS Multi-AZ: from the primary's loss to the standby serving */
    sim_dist restore_time;   /* Single-AZ instance lost with its AZ, or data corruption: until
                              * a point-in-time restore serves (scenario-given: no figure) */
    sim_dist snapshot_restore_time; /* accidental_delete: until a snapshot restore serves */
    int read_replicas;              /* replicas of the primary's class */
    double replica_read_share;      /* share of read transactions sent to replicas */
    double storage_gb;              /* gp3 (RDS) or the cluster volume (Aurora) */
    /* Aurora Serverless v2 */
    double acu_min, acu_max;
    double vcpu_per_acu;    /* CPU of one ACU */
    int64_t memory_per_acu; /* bytes */
    double acu_target;      /* utilisation the scaling aims at */
    double acu_up_rate;     /* per second: capacity may grow by this share of itself */
    double acu_down_step;   /* ACUs removed per down interval while above need */
    sim_time acu_down_interval;
    int aurora_readers;              /* reader instances (Serverless v2, same range) */
    sim_dist aurora_failover_time;   /* Aurora: from the writer's loss to a reader serving */
    sim_dist aurora_global_promote;  /* region_failure: the Global Database's secondary promoted */
    sim_dist aurora_global_lag;      /* and its replication lag at the failure (the RPO) */
    bool io_optimized;               /* Aurora I/O-Optimized storage (no I/O charge, dearer ACU) */
    double io_per_query[MDL_NCLASS]; /* storage I/O requests per query, for metering */
} mdl_db_config;

typedef enum mdl_pgb_mode { MDL_PGB_NONE = 0, MDL_PGB_PER_POD, MDL_PGB_CENTRAL } mdl_pgb_mode;

/* PgBouncer in transaction pooling mode. */
typedef struct mdl_pgbouncer_config {
    mdl_pgb_mode mode;     /* none: each gunicorn worker holds its own connection */
    int default_pool_size; /* server connections per pool */
    int max_client_conn;   /* client connections accepted */
    int reserve_pool_size;
    sim_time reserve_pool_timeout;
    sim_time query_wait_timeout; /* a client waiting this long for a server connection fails */
} mdl_pgbouncer_config;

/* ElastiCache for Redis: session and cache look-ups of each API request. */
typedef struct mdl_redis_config {
    bool enabled;
    char node_type[24];
    int cache_type;             /* index in catalog.cache; -1: none */
    int nodes;                  /* primary + replicas (priced; only the primary serves) */
    double lookups[MDL_NCLASS]; /* look-ups per request */
    double hit_ratio;           /* share of look-ups found */
    double miss_queries;        /* database queries a miss costs */
    double ops_per_s;           /* capacity; 0: the node type's */
    sim_dist failover_time;     /* Multi-AZ promotion of a replica; no public figure: given by
                                 * the scenario (kind DETERMINISTIC with mean 0: not given) */
} mdl_redis_config;

/* ---------------------------------------------------------------- HPA (autoscaling/v2) */

typedef enum mdl_hpa_policy_type { MDL_HPA_PODS = 0, MDL_HPA_PERCENT } mdl_hpa_policy_type;
typedef enum mdl_hpa_select {
    MDL_HPA_SELECT_MAX = 0,
    MDL_HPA_SELECT_MIN,
    MDL_HPA_DISABLED
} mdl_hpa_select;

#define MDL_HPA_MAX_POLICIES 8

typedef struct mdl_hpa_policy {
    mdl_hpa_policy_type type;
    int value;       /* pods, or percent */
    sim_time period; /* ns */
} mdl_hpa_policy;

/* One direction of `spec.behavior` (scaleUp or scaleDown). */
typedef struct mdl_hpa_rules {
    sim_time stabilization; /* stabilizationWindowSeconds, ns */
    mdl_hpa_select select;
    mdl_hpa_policy policies[MDL_HPA_MAX_POLICIES];
    int npolicies;
} mdl_hpa_rules;

typedef struct mdl_hpa_config {
    bool enabled;
    int min_replicas, max_replicas;
    int cpu_target;       /* averageUtilization of CPU, percent of requests; 0: no CPU metric */
    int memory_target;    /* the same for memory; 0: no memory metric */
    double tolerance;     /* --horizontal-pod-autoscaler-tolerance */
    sim_time sync_period; /* --horizontal-pod-autoscaler-sync-period */
    sim_time cpu_initialization_period;
    sim_time initial_readiness_delay;
    mdl_hpa_rules up, down;
} mdl_hpa_config;

/* ---------------------------------------------------------------- instances and NodePools */

enum { MDL_ARCH_AMD64 = 1, MDL_ARCH_ARM64 = 2 };  /* bit masks */
enum { MDL_CAP_SPOT = 1, MDL_CAP_ON_DEMAND = 2 }; /* bit masks */

#define MDL_MAX_TYPES    64
#define MDL_MAX_POOLS    8
#define MDL_MAX_FAMILIES 16

/* One EC2 instance type as a Kubernetes node (models/pricing/REGION.yaml). */
typedef struct mdl_instance_type {
    char name[24];
    char family[12];
    int arch; /* MDL_ARCH_AMD64 or MDL_ARCH_ARM64 */
    int vcpu;
    int64_t memory;       /* bytes */
    int64_t alloc_cpu;    /* millicores a node of this type can give pods (kubelet reserve off) */
    int64_t alloc_memory; /* bytes */
    int max_pods;
    int64_t price;        /* On-Demand, micro-USD per hour */
    double spot_discount; /* fraction off On-Demand for Spot */
    double baseline;      /* burstable (t3, t4g): CPU share per vCPU its credits pay for; 0: not */
    int64_t surplus_price; /* burstable, unlimited: micro-USD per vCPU-hour beyond the baseline */
    char source[160];
} mdl_instance_type;

#define MDL_MAX_DB_CLASSES  32
#define MDL_MAX_CACHE_TYPES 16

/* A list price and where it comes from: every price of the pricing file carries its source
 * ({price: $X, source: "..."}), and the cost model prints it beside the line it prices. */
typedef struct mdl_price {
    int64_t micro;    /* micro-USD per the unit the field's name says; 0: not offered */
    char source[160]; /* "" only when not offered */
} mdl_price;

/* A tiered price (CloudFront transfer, internet egress, S3 storage...): AWS prices a month's
 * total volume by a ladder of tiers, each tier's units at its own price ("first 10 TB $0.085,
 * next 40 TB $0.080, ..."), after an always-free allowance where the service has one. The
 * ladder is the pricing file's `tiers:` section; an item without one has a flat price. */
#define MDL_MAX_TIERS 8
typedef struct mdl_tier {
    double upto;     /* the month's volume where the tier ends, in the price's unit (cumulative:
                      * 10 TB then 50 TB, not 40 TB); 0: no end (the last tier) */
    mdl_price price; /* per unit within the tier */
} mdl_tier;

typedef struct mdl_tiers {
    double free;           /* always-free units a month, taken before the first tier; 0: none */
    char free_source[160]; /* of `free` */
    mdl_tier tier[MDL_MAX_TIERS];
    size_t n; /* 0: no ladder, the flat price for every unit */
} mdl_tiers;

/* An RDS/Aurora DB instance class. */
typedef struct mdl_db_class {
    char name[24]; /* "db.t3.medium" */
    int vcpu;
    int64_t memory;         /* bytes */
    mdl_price price_single; /* RDS for PostgreSQL, Single-AZ, per hour */
    mdl_price price_multi;  /* RDS for PostgreSQL, Multi-AZ (primary + standby), per hour */
    mdl_price price_aurora; /* Aurora PostgreSQL provisioned (Standard), per hour; 0: unknown */
    double baseline;        /* burstable (db.t3, db.t4g): the CPU share per vCPU its credits
                             * pay for; 0: not burstable */
    char source[128];       /* of vcpu and memory */
} mdl_db_class;

/* An ElastiCache node type. */
typedef struct mdl_cache_type {
    char name[24]; /* "cache.t4g.micro" */
    int vcpu;
    int64_t memory;   /* bytes */
    mdl_price price;  /* Redis OSS, per node-hour */
    double ops_per_s; /* capacity of one node (GET/SET of small values) */
    char source[160]; /* of vcpu, memory and ops_per_s */
} mdl_cache_type;

/* Scalar list prices, each per the unit in its name, with its source. */
typedef struct mdl_prices {
    mdl_price eks_cluster_hour;
    mdl_price alb_hour, alb_lcu_hour;
    mdl_price nat_gateway_hour, nat_gb;
    mdl_price public_ipv4_hour;
    mdl_price cloudfront_gb;        /* to the internet, first 10 TB, US/Mexico/Canada */
    mdl_price cloudfront_https_10k; /* per 10,000 HTTPS requests */
    mdl_price s3_gb_month, s3_get_1k, s3_put_1k;
    mdl_price rds_gp3_gb_month_single, rds_gp3_gb_month_multi;
    mdl_price rds_backup_gb_month;
    mdl_price aurora_acu_hour, aurora_acu_hour_io_optimized;
    mdl_price aurora_storage_gb_month, aurora_storage_gb_month_io_optimized;
    mdl_price aurora_io_million;
    mdl_price interaz_gb, interregion_gb, internet_gb;
    mdl_price route53_zone_month, route53_queries_million;
    mdl_price route53_health_check_month, route53_health_check_option_month;
    mdl_price secrets_month, secrets_calls_10k;
    mdl_price cloudwatch_metric_month, cloudwatch_alarm_month;
    mdl_price cloudwatch_logs_gb, cloudwatch_logs_gb_month; /* ingestion; archival storage */
    mdl_price rds_cpu_credit_vcpu_hour; /* burstable RDS, unlimited: surplus CPU per vCPU-hour */
    /* the ladders of the tiered items (mdl_tiers; n == 0: priced flat at the field above) */
    struct {
        mdl_tiers cloudfront_gb, cloudfront_https_10k, s3_gb_month, internet_gb;
    } tiers;
} mdl_prices;

typedef struct mdl_catalog {
    char region[32];
    mdl_instance_type types[MDL_MAX_TYPES];
    size_t n;
    mdl_db_class db[MDL_MAX_DB_CLASSES];
    size_t ndb;
    mdl_cache_type cache[MDL_MAX_CACHE_TYPES];
    size_t ncache;
    mdl_prices prices;
} mdl_catalog;

typedef enum mdl_consolidation {
    MDL_CONSOLIDATE_WHEN_EMPTY = 0,
    MDL_CONSOLIDATE_WHEN_UNDERUTILIZED
} mdl_consolidation;

/* A Karpenter NodePool (karpenter.sh/v1), as much of it as the simulation uses. */
typedef struct mdl_nodepool {
    char name[32];
    int arch; /* mask of allowed architectures */
    char families[MDL_MAX_FAMILIES]
                 [12]; /* allowed instance families (karpenter.k8s.aws/instance-family) */
    size_t nfamilies;
    int capacity; /* mask of allowed capacity types */
    int weight;   /* higher is tried first (NodePool .spec.weight) */
    mdl_consolidation consolidation;
    sim_time consolidate_after; /* SIM_NEVER: Never */
    double budget;              /* disruption budget: share of the pool's nodes at once */
} mdl_nodepool;

/* ---------------------------------------------------------------- the cluster and its events */

/* The nodes, Karpenter and Spot. */
typedef struct mdl_cluster_config {
    bool enabled;               /* false: pods need no node and start Ready (queueing checks) */
    mdl_catalog catalog;        /* from the pricing file */
    char system_type[24];       /* the system node group's instance type */
    int system_nodes;           /* and how many: fixed, On-Demand, never consolidated */
    int64_t daemonset_cpu;      /* millicores of DaemonSet requests on every node */
    int64_t daemonset_memory;   /* bytes */
    sim_time batch_idle;        /* Karpenter BATCH_IDLE_DURATION */
    sim_time batch_max;         /* Karpenter BATCH_MAX_DURATION */
    sim_dist launch;            /* NodeClaim created -> node Ready */
    sim_time disruption_period; /* how often Karpenter looks for nodes to consolidate */
    sim_time unreachable_grace; /* a silent node marked unreachable after this long */
    sim_time unreachable_toleration; /* and its pods deleted this long after that */
    mdl_nodepool pools[MDL_MAX_POOLS];
    size_t npools;
    double spot_discount_default;  /* the pricing file's Spot discount */
    double spot_discount_override; /* spot.discount; < 0: use the pricing file's */
    char spot_source[256];
    double spot_interruption_rate; /* per node-hour */
    sim_time spot_notice;          /* interruption warning before the instance stops */
} mdl_cluster_config;

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

typedef enum mdl_fidelity {
    MDL_FIDELITY_REQUEST = 0,
    MDL_FIDELITY_FLOW,
    MDL_FIDELITY_AUTO
} mdl_fidelity;

/* How a run's simulated window makes a month of cost (docs/cost-model.md, "The month").
 * repeat 0: the window's usage scaled to 730 hours ("this load all month"). repeat N: the
 * window counts N times (a representative day × 30), and each `mix` part — another scenario's
 * window — its own number of times (29 ordinary days and one Black Friday). Resources billed
 * by the hour whatever the load are billed 730 hours either way. */
#define MDL_MAX_MONTH_PARTS 8
typedef struct mdl_month_part {
    char scenario[1024]; /* resolved against the file that names it */
    double repeat;
} mdl_month_part;

typedef struct mdl_month {
    double repeat;
    mdl_month_part mix[MDL_MAX_MONTH_PARTS];
    size_t nmix;
} mdl_month;

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
    bool enabled;         /* a DR region stands by (and is billed: cost.c) */
    int warm_replicas;    /* API pods already running in the DR region */
    sim_dist replica_lag; /* cross-region replication lag with no replay backlog */
    double replica_replay_share; /* RDS: replay's CPU per write, a share of the write's CPU */
    sim_time dns_ttl;     /* clients keep the old answer up to this long */
    sim_dist confirm;     /* step 2: on-call confirms the region failure */
    sim_dist promote;     /* step 3: promote the RDS read replica in the DR region */
    sim_dist dns_update;  /* step 4: update Route 53 to the DR region */
    sim_dist smoke_tests; /* step 6 */
    sim_dist communicate; /* step 7: the status page */
    /* A Route 53 health check on the primary region's public endpoint, with a CloudWatch alarm
     * on its status that pages on-call: detection is whichever pages first, it or the error-rate
     * alarm (dns.health_check). */
    bool health_check;
    int health_check_fast;     /* 0: a check every 30 s (standard); 1: every 10 s (fast) */
    int health_check_failures; /* consecutive failed checks before a checker says unhealthy */
} mdl_dr_config;

/* What is billed besides the components' own hours and requests (docs/cost-model.md). */
typedef struct mdl_extras_config {
    int64_t query_bytes;      /* on the wire per database query and its result, both ways */
    int64_t cache_op_bytes;   /* per Redis operation, both ways */
    double cross_az_share;    /* of those bytes that cross an AZ boundary (billed each way) */
    int secrets;              /* Secrets Manager secrets */
    sim_time secrets_refresh; /* External Secrets Operator's sync of each: an API call */
    int hosted_zones;         /* Route 53 */
} mdl_extras_config;

/* A whole scenario, typed. Plain struct: the caller owns it; no pointers inside. */
typedef struct mdl_scenario {
    char name[MDL_NAME_MAX];
    char description[512];
    uint64_t seed;
    int replications;
    sim_time warmup; /* requests arriving before this are not measured */
    mdl_fidelity fidelity;
    sim_time flow_step;         /* the flow engine's time step */
    sim_time series_resolution; /* time-series interval */
    mdl_traffic_config traffic;
    mdl_cdn_config cdn;
    mdl_alb_config alb;
    mdl_api_config api;
    mdl_hpa_config hpa;
    sim_time metrics_resolution; /* metrics-server --metric-resolution */
    mdl_cluster_config cluster;
    mdl_db_config db;
    mdl_pgbouncer_config pgbouncer;
    mdl_redis_config redis;
    mdl_event events[MDL_MAX_EVENTS];
    size_t nevents;
    char objectives[MDL_MAX_OBJECTIVES][64]; /* k6-style, parsed by slo_parse (metrics.h) */
    size_t nobjectives;
    mdl_month month;
    mdl_extras_config extras;
    mdl_alarm alarms[MDL_MAX_ALARMS];
    size_t nalarms;
    mdl_dr_config dr;
    struct {
        bool set;
        double from, to; /* peak users (or requests/s) of the first and last points */
        int steps;
    } sweep; /* `simulate compare`: the load points to run every variant at */
} mdl_scenario;

/* The run's first failure event (the one RTO and RPO measure), or NULL. */
const mdl_event *mdl_first_failure(const mdl_scenario *s);

/* Checks what the key table cannot see alone (relations between keys). On failure returns
 * BASE_EINPUT with a message, and writes into key (keylen bytes) the dotted path of the key to
 * point at ("traffic.mix", "events.2" for the third event), so the caller can add its
 * position; an empty key: the document. */
int mdl_scenario_check(const mdl_scenario *s, char *key, size_t keylen, base_err *err);

/* Most occurrences of random faults (events[].every) a replication may expect, all events
 * together. The engine draws every occurrence when the run starts and keeps each one pending
 * in the kernel until its time (control.c), so they must stay far below the kernel's
 * SIM_MAX_PENDING (2^24) and leave it to the requests: a million is 6% of it, and at a node
 * loss an hour still allows 114 years of simulated time. mdl_scenario_check refuses more. */
#define MDL_MAX_RANDOM_FAULTS 1e6

/* Expected occurrences of events[i] over the scenario: 1 for a one-off event (0 when it falls
 * after the end), (end - at) / every for a random fault. */
double mdl_event_expected(const mdl_scenario *s, size_t i);

/* ---------------------------------------------------------------- traffic */

/* The scenario's end: the sum of its phases. */
sim_time mdl_traffic_duration(const mdl_traffic_config *t);

/* Concurrent users at time t (0 in rate mode). */
double mdl_traffic_users(const mdl_traffic_config *t, sim_time at);

/* The arrival rate λ(t), requests/s, of all classes together. */
double mdl_traffic_rate(const mdl_traffic_config *t, sim_time at);

/* The largest level (users, or requests/s) any phase reaches. */
double mdl_traffic_peak(const mdl_traffic_config *t);

/* Multiplies every phase's levels by `factor` (a load sweep). */
void mdl_traffic_scale(mdl_traffic_config *t, double factor);

/* Expected number of arrivals over the whole scenario (∫λ). */
double mdl_traffic_expected(const mdl_traffic_config *t);

/* The next arrival strictly after `now` of the non-homogeneous Poisson process with rate λ(t),
 * by thinning (Lewis and Shedler, Naval Research Logistics Quarterly 26(3), 1979) with the
 * phase's largest rate as the bound; SIM_NEVER after the last phase. */
sim_time mdl_traffic_next(const mdl_traffic_config *t, sim_time now, sim_rng *r);

/* The class of a new request, drawn from the mix. */
mdl_class mdl_traffic_class(const mdl_traffic_config *t, sim_rng *r);

/* ---------------------------------------------------------------- CloudFront */

/* The share of static requests served from the edge cache: the configured static_hit_ratio,
 * or the one derived from the assets' popularity when static_objects > 0 (never negative). */
double mdl_cdn_static_hit_ratio(const mdl_cdn_config *c, const mdl_traffic_config *t);
/* The share of all API reads answered at the edge (api_cacheable × api_hit_ratio; 0 when
 * CloudFront is off). */
double mdl_cdn_api_hit_ratio(const mdl_cdn_config *c);

/* ---------------------------------------------------------------- ALB */

/* The ALB's view of one target (a pod). */
typedef struct mdl_target {
    bool ready;      /* registered and healthy: receives traffic */
    int outstanding; /* requests sent and not yet answered */
    int id;          /* the caller's: which pod this target is */
} mdl_target;

/* Per-ALB routing state. */
typedef struct mdl_alb {
    mdl_alb_algorithm algorithm;
    size_t next; /* round robin cursor */
} mdl_alb;

/* Picks a ready target: round robin, or least outstanding requests (ties to the lowest index
 * after the round-robin cursor, so equal targets still take turns). -1 when none is ready. */
int mdl_alb_pick(mdl_alb *alb, const mdl_target *targets, size_t n);

/* ---------------------------------------------------------------- ALB capacity units */

/*
 * ALB capacity units as AWS meters them (aws.amazon.com/elasticloadbalancing/pricing, via ELB
 * in reference/aws-prices.md §6): an LCU "measures the dimensions on which the Application Load
 * Balancer processes your traffic (averaged over an hour)" — new connections per second (25 an
 * LCU), active connections per minute (3,000), processed bytes (1 GB an hour, EC2/IP targets)
 * and rule evaluations per second (1,000; rules processed beyond the first 10 free, times the
 * request rate) — and the hour is billed at the largest of the four. src/model/lcu.c.
 *
 * Connections are reused: a client keeps its connection to the ALB open and sends its requests
 * on it until it has been idle for the keep-alive timeout (HTTP/1.1 persistent connections,
 * RFC 9112 §9.3; CloudFront keeps origin connections open for its origin keep-alive timeout).
 * With `sources` clients, each sending Poisson requests at rate/sources, a request opens a new
 * connection when its client sent none in the last `keepalive` seconds — probability
 * exp(-rate/sources × keepalive) — and a client's connection is open while its last request is
 * younger than that.
 */
typedef struct mdl_alb_meter {
    double seconds;      /* metered time of the hour so far */
    double new_conns;    /* connections opened */
    double conn_seconds; /* ∫ open connections dt */
    double bytes;        /* processed: requests and responses */
    double requests;
} mdl_alb_meter;

/* Adds `requests` over `dt` seconds (rate = requests / dt) carrying `bytes`, from `sources`
 * clients whose connections close after `keepalive` seconds idle, to hour *m. */
void mdl_alb_meter_add(mdl_alb_meter *m, double requests, double bytes, double dt, double sources,
                       double keepalive);

/* The LCUs of a metered hour: the largest of its four dimensions, each the hour's average
 * (new connections/s / 25, active connections / 3,000, GB per hour / 1, rule evaluations/s /
 * 1,000 with `rules` rules processed per request, 10 of them free). 0 for an empty meter. */
double mdl_alb_lcus(const mdl_alb_meter *m, int rules);

/* ---------------------------------------------------------------- multi-server FIFO station */

/*
 * A station of c identical servers and a FIFO queue holding at most `capacity` waiting items
 * (SIZE_MAX: unbounded). Both a pod (gunicorn workers + listen backlog) and the database
 * (c concurrent queries) are stations. The station keeps no clock: the engine tells it when
 * an item arrives and when a server is freed, and schedules the completions.
 */
typedef struct mdl_station mdl_station;

/* NULL when out of memory. */
mdl_station *mdl_station_new(int servers, size_t capacity);
void mdl_station_free(mdl_station *s);

typedef enum mdl_admit { MDL_ADMIT_SERVE, MDL_ADMIT_QUEUED, MDL_ADMIT_REJECTED } mdl_admit;

/* An item arrives: a free server takes it (SERVE), or it waits (QUEUED), or the queue is full
 * (REJECTED). `item` is the caller's; the station only stores the pointer. */
mdl_admit mdl_station_arrive(mdl_station *s, void *item);

/* A server finished: returns the next waiting item, which that server now serves, or NULL
 * (the server goes idle). */
void *mdl_station_depart(mdl_station *s);

/* Removes the first waiting item without a server taking it (it leaves the queue unserved);
 * NULL when none waits. */
void *mdl_station_take(mdl_station *s);

int mdl_station_busy(const mdl_station *s);
size_t mdl_station_queued(const mdl_station *s);
int mdl_station_servers(const mdl_station *s);

/* ---------------------------------------------------------------- CloudFront popularity */

/*
 * Hit ratio of an edge cache from object popularity (reference/queueing.md, "Caches"): requests
 * spread over n objects by a Zipf law, p_i = i^−α / Σ_j j^−α (Breslau et al., INFOCOM 1999).
 *  - an LRU cache holding `capacity` objects: Che's approximation (Che, Tung, Wang, IEEE JSAC
 *    20(7), 2002): the characteristic time T_C solves Σ_i (1 − e^{−λ p_i T_C}) = C, then
 *    h_i = 1 − e^{−λ p_i T_C} and h = Σ_i p_i h_i (the rate λ cancels: only λ·T_C matters);
 *  - a TTL cache where a miss sets an object's expiry `ttl` ahead, Poisson requests at total rate
 *    λ: h_i = λ p_i T / (1 + λ p_i T) (Fofack, Nain, Neglia, Towsley, VALUETOOLS 2012).
 * Both return the request-weighted hit ratio in [0, 1]. capacity may be fractional (Che's
 * equation is continuous in C); capacity >= n gives 1 (every object fits, the cold misses vanish
 * in steady state); capacity <= 0, ttl <= 0 or rate <= 0 give 0; rate × ttl = ∞ gives 1.
 * Invalid arguments (α negative or not finite, n = 0, a NaN capacity, rate or ttl) give NAN,
 * checked first. The rate is what reaches one cache (one edge location), not the total.
 * Cost: O(n) per Newton pass of Che's fixed point (typically 2–6 passes) plus n pow() calls;
 * 8n bytes of scratch memory.
 */
double mdl_cdn_zipf_lru_hit_ratio(double alpha, size_t n, double capacity);
double mdl_cdn_zipf_ttl_hit_ratio(double alpha, size_t n, double rate_per_s, double ttl_s);

/* ---------------------------------------------------------------- HPA controller */

/* What the HPA controller sees of one pod of its target at a sync. */
typedef struct mdl_hpa_pod {
    bool pending;          /* phase Pending: not yet running */
    bool deleting;         /* deletion timestamp set (terminating): ignored */
    bool ready;            /* Ready condition true */
    sim_time start;        /* status.startTime */
    sim_time ready_change; /* lastTransitionTime of the Ready condition */
    bool has_metrics;      /* metrics-server has a sample for it */
    sim_time sample_time;  /* the sample's timestamp (end of its window) */
    sim_time sample_window;
    int64_t cpu_usage;      /* millicores, averaged over the sample window */
    int64_t memory_usage;   /* bytes */
    int64_t cpu_request;    /* millicores */
    int64_t memory_request; /* bytes */
} mdl_hpa_pod;

/* The controller's memory between syncs: recent recommendations (for the stabilization
 * windows) and recent scale events (for the policies' periods). Owned by the caller;
 * mdl_hpa_state_clear frees what it holds. Zero-initialise before first use. */
typedef struct mdl_hpa_state {
    struct mdl_hpa_rec {
        sim_time at;
        int replicas;
    } * recs;
    size_t nrecs, caprecs;
    struct mdl_hpa_event {
        sim_time at;
        int change; /* > 0 added, < 0 removed */
    } * events;
    size_t nevents, capevents;
} mdl_hpa_state;

void mdl_hpa_state_clear(mdl_hpa_state *st);

/* Why the last decision came out as it did, for the report and for tests. */
typedef struct mdl_hpa_trace {
    int proposal_cpu; /* -1 when the metric gave none */
    int proposal_memory;
    int cpu_utilisation; /* percent of requests over ready pods with metrics (HPA status) */
    int memory_utilisation;
    int metric_desired; /* max over metrics, before behaviour */
    int stabilized;     /* after the stabilization windows */
    int desired;        /* after policies and min/max: the new replica count */
} mdl_hpa_trace;

/* One sync of the HPA controller at time `now` for a target with `current` replicas whose pods
 * are `pods[0..n)`. Returns the new replica count (== current: no change) and records the
 * recommendation and any scale event in *st. Follows kubernetes/kubernetes
 * pkg/controller/podautoscaler (replica_calculator.go GetResourceReplicas and groupPods;
 * horizontal.go normalizeDesiredReplicasWithBehaviors); see docs/models.md. trace may be NULL. */
int mdl_hpa_sync(const mdl_hpa_config *cfg, mdl_hpa_state *st, sim_time now, int current,
                 const mdl_hpa_pod *pods, size_t n, mdl_hpa_trace *trace);

/* The hourly price of a type under a capacity type, micro-USD. */
int64_t mdl_instance_price(const mdl_instance_type *t, int capacity);

/* ---------------------------------------------------------------- Karpenter decisions */

/* A pod as Karpenter and the scheduler see it. */
typedef struct mdl_pod_need {
    int64_t cpu;    /* millicores requested */
    int64_t memory; /* bytes requested */
    int arch;       /* mask of architectures its nodeSelector allows */
    bool spot_ok;   /* tolerates Spot capacity */
} mdl_pod_need;

/* An API pod's needs (its requests, nodeSelector and toleration), and the DaemonSets' on every
 * node (karpenter.c): what the engine's pending pods and the DR region's warm ones ask for. */
mdl_pod_need mdl_api_pod_need(const mdl_api_config *api);
mdl_pod_need mdl_daemonset_need(const mdl_cluster_config *c);

/* What Karpenter decides to launch for a batch of pending pods. */
typedef struct mdl_launch {
    int type;            /* index in the catalog */
    int capacity;        /* MDL_CAP_SPOT or MDL_CAP_ON_DEMAND */
    int pool;            /* index of the NodePool */
    size_t first, count; /* the pods it is for: pod_index[first .. first + count) */
} mdl_launch;

/*
 * Karpenter's provisioning decision for one batch (aws/karpenter-provider-aws docs, "Scheduling"
 * and faq.md "instance selection"; reference/behaviour.md §3): pods in decreasing order of
 * requests are packed first-fit into new NodeClaims; each NodeClaim keeps the instance types (of
 * its pool's families and architectures) that still fit every pod it holds, net of `overhead`
 * (DaemonSet requests per node; NULL: no DaemonSets, otherwise they also take 2 pod slots,
 * aws-node and kube-proxy) and of max pods; a pod that fits no open NodeClaim opens a new one in
 * the highest-weight pool that allows it. A type stays a candidate only with an available
 * offering. The launch is the cheapest offering: Spot (On-Demand price × (1 − discount)) when
 * some Spot offering costs no more than the cheapest On-Demand one; ties go to Spot, then fewer
 * vCPUs, then lower index. `spot_available` may be NULL (always available); it is called once
 * per type, in index order. pod_index gets, per launch, the indices of the pods it carries, in
 * ascending order. Returns the number of launches; -1 when a pod fits no type of any pool on its
 * own (lowest such index in *unplaceable), or -1 with *unplaceable = SIZE_MAX when more than
 * max_out launches are needed (or memory ran out). out/pod_index are written only on success;
 * unplaceable may be NULL.
 */
typedef bool (*mdl_spot_available_fn)(void *ctx, int type);
/* One batch for Karpenter: what it may launch and what it must place. */
typedef struct mdl_provision_batch {
    const mdl_catalog *catalog;
    const mdl_nodepool *pools; /* in the scenario's order */
    size_t npools;
    const mdl_pod_need *overhead; /* DaemonSets per node; NULL: none */
    const mdl_pod_need *pods;     /* the Pending pods */
    size_t npods;
    mdl_spot_available_fn spot_available; /* NULL: Spot is always available */
    void *spot_ctx;                       /* spot_available's first argument */
} mdl_provision_batch;
int mdl_karpenter_provision(const mdl_provision_batch *b, mdl_launch *out, size_t max_out,
                            size_t *pod_index, size_t *unplaceable);

/* A node as the consolidation logic sees it. */
typedef struct mdl_node_view {
    int type, capacity, pool;
    bool ready;                    /* Ready and not being disrupted already */
    bool do_not_disrupt;           /* e.g. the system node group: never consolidated */
    sim_time last_change;          /* when a pod last arrived on or left the node */
    int64_t free_cpu, free_memory; /* allocatable minus requests of everything on it */
    int free_pods;
    size_t first_pod, npods; /* its consolidatable pods: pods[first_pod .. +npods) */
} mdl_node_view;

/*
 * Karpenter's consolidation pass (aws/karpenter-provider-aws docs, concepts/disruption.md):
 * empty nodes past their pool's consolidateAfter first; then, for WhenEmptyOrUnderutilized pools,
 * single-node deletion — a node whose pods all fit, first-fit (largest first), into the free room
 * of the other ready nodes (the ones not chosen in this pass). A node that received pods in the
 * pass is not itself chosen. A receiver must match the pod's arch, and be On-Demand unless the
 * pod tolerates Spot. Candidates must be ready, not do_not_disrupt, and past consolidateAfter;
 * nodes of a pool index out of range are never chosen and not counted. Spot-to-Spot replacement
 * is off (it needs the SpotToSpotConsolidation feature gate), and On-Demand replacement by a
 * cheaper type is left out (said in docs/models.md). At most ⌈budget · nodes of the pool⌉ nodes
 * of a pool are chosen, minus those already disrupting (`disrupting[pool]`; may be NULL).
 * Candidates are taken in order of fewest pods, then highest price, then lower index; empty
 * nodes first, in the same order. Writes the chosen node indices to out; returns how many.
 */
size_t mdl_karpenter_consolidate(const mdl_catalog *cat, const mdl_nodepool *pools, size_t npools,
                                 const mdl_node_view *nodes, size_t nnodes,
                                 const mdl_pod_need *pods, const int *disrupting, sim_time now,
                                 size_t *out, size_t max_out);

/* ---------------------------------------------------------------- database */

/* How many queries one request of class c makes: the integer part of the mean, plus one more
 * with probability equal to the fractional part. */
int mdl_db_queries(const mdl_db_config *d, mdl_class c, sim_rng *r);

/* ---------------------------------------------------------------- the DR replica (replica.c) */

/* Seconds of the replica's one replay vCPU that one API write costs (dr.replica_replay_share of
 * the write's query CPU time). */
double mdl_replica_replay_cost(const mdl_scenario *s);

/* The replay backlog (seconds of replay waiting, which is also the lag it adds) after dt_s
 * seconds in which `writes` writes committed on the primary, from backlog_s before. */
double mdl_replica_backlog(const mdl_scenario *s, double backlog_s, double writes, double dt_s);

/* ---------------------------------------------------------------- queueing (flow engine) */

/* Erlang B, the blocking probability of M/M/c/c with offered load a (Erlangs). c may be
 * fractional (interpolated between ⌊c⌋ and ⌈c⌉; queueing.c says why). */
double mdl_erlang_b(double c, double a);

/* Erlang C, the probability of waiting in M/M/c (1 when a >= c). */
double mdl_erlang_c(double c, double a);

/* Waiting in a G/G/c queue below saturation: Erlang C, the Allen–Cunneen correction, and the
 * Krämer–Langenbach-Belz one for arrivals more regular than Poisson (queueing.c). */
typedef struct mdl_mgc {
    double rho;             /* utilisation a/c */
    double p_wait;          /* probability of waiting (Erlang C) */
    double wq_mean;         /* mean wait, s (INFINITY at and above saturation) */
    double wait_given_wait; /* mean wait of those who wait, s */
} mdl_mgc;

/* c servers, arrival rate lambda (/s), mean service mean_s (s), squared coefficients of
 * variation ca2 (arrivals) and cs2 (service). */
mdl_mgc mdl_mgc_wait(double c, double lambda, double mean_s, double ca2, double cs2);

/* Probability that an arrival finds c servers busy and a waiting room of k full, at offered
 * load a (M/M/c/(c+k); Erlang B when k = 0). */
double mdl_mmck_refused(double c, double a, double k);

/* c servers (a whole number, at least 1), Poisson arrivals at lambda (/s), exponential service
 * of mean mean_s (s), and each arrival waiting at most tau (s): M/M/c+D (queueing.c). */
typedef struct mdl_patience {
    double p_abandon; /* share of arrivals that reach tau without a server (PASTA) */
    double p_wait;    /* share that wait, then get a server before tau */
    double theta;     /* the wait of those has density ∝ e^{−theta·x} on (0, tau), /s */
    double wait_mean; /* mean time an arrival spends waiting, abandoning ones included, s */
} mdl_patience;
mdl_patience mdl_mmc_patience(double c, double lambda, double mean_s, double tau);

/* Mean sojourn over mean service of c-server processor sharing (each job at most one server)
 * at offered load a: 1 + C(c, a)/(c − a); INFINITY when a >= c. */
double mdl_ps_slowdown(double c, double a);

/* Throughput of the finite-source model: N customers (whole), each thinking Z (s) between
 * visits to C servers shared by processor sharing with demand D (s); C may be fractional. */
double mdl_repairman_throughput(double N, double Z, double D, double C);

/* The smallest k with P(K <= k) >= q, K ~ Poisson(mean). */
int mdl_poisson_quantile(double mean, double q);

#endif
