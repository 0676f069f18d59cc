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
    bool by_rate;                 /* phases give requests/s instead of users */
    double requests_per_user_min; /* requests per user per minute (users mode) */
    double mix[MDL_NCLASS];       /* share of each class; sums to 1 */
    double max_requests;          /* stop arriving after this many; 0: no limit */
} mdl_traffic_config;

typedef struct mdl_cdn_config {
    bool enabled;            /* false: requests reach the ALB directly, statics are not served */
    double static_hit_ratio; /* share of static requests served from the edge cache */
    sim_dist edge_latency;   /* time spent at the edge for every request */
    sim_dist origin_latency; /* S3 first byte on a static miss */
} mdl_cdn_config;

typedef enum mdl_alb_algorithm {
    MDL_ALB_ROUND_ROBIN = 0,
    MDL_ALB_LEAST_OUTSTANDING
} mdl_alb_algorithm;

typedef struct mdl_alb_config {
    mdl_alb_algorithm algorithm;
    sim_dist latency;      /* request + response processing added by the ALB */
    sim_time idle_timeout; /* 504 when the target has not answered; 0: no timeout */
} mdl_alb_config;

/* The Flask API Deployment: pods running gunicorn with sync workers. */
typedef struct mdl_api_config {
    int replicas;                 /* fixed pod count (autoscaling arrives with issue 3) */
    int workers;                  /* gunicorn sync workers per pod: one request each */
    int backlog;                  /* requests a pod holds waiting for a worker */
    sim_time timeout;             /* gunicorn kills a worker busy this long; 0: never */
    sim_dist service[MDL_NCLASS]; /* application time per request, database time excluded */
} mdl_api_config;

typedef struct mdl_db_config {
    bool enabled;
    int servers;                /* queries served at once (the multi-server queue's c) */
    double queries[MDL_NCLASS]; /* mean queries per request; fractional part drawn per request */
    sim_dist read_time;         /* service time of a query made by an api_read request */
    sim_dist write_time;        /* ... by an api_write request */
} mdl_db_config;

typedef enum mdl_fidelity {
    MDL_FIDELITY_REQUEST = 0,
    MDL_FIDELITY_FLOW,
    MDL_FIDELITY_AUTO
} mdl_fidelity;

/* A whole scenario, typed. Plain struct: the caller owns it; no pointers inside. */
typedef struct mdl_scenario {
    char name[MDL_NAME_MAX];
    char description[512];
    uint64_t seed;
    int replications;
    sim_time warmup; /* requests arriving before this are not measured */
    mdl_fidelity fidelity;
    mdl_traffic_config traffic;
    mdl_cdn_config cdn;
    mdl_alb_config alb;
    mdl_api_config api;
    mdl_db_config db;
} mdl_scenario;

/* Checks what the key table cannot see alone (relations between keys). On failure returns
 * BASE_EINPUT with a message, and sets *key to the dotted path of the key to point at
 * ("traffic.mix"), so the caller can add its position. */
int mdl_scenario_check(const mdl_scenario *s, const char **key, base_err *err);

/* ---------------------------------------------------------------- traffic */

/* The scenario's end: the sum of its phases. */
sim_time mdl_traffic_duration(const mdl_traffic_config *t);

/* Concurrent users at time t (0 in rate mode). */
double mdl_traffic_users(const mdl_traffic_config *t, sim_time at);

/* The arrival rate λ(t), requests/s, of all classes together. */
double mdl_traffic_rate(const mdl_traffic_config *t, sim_time at);

/* Expected number of arrivals over the whole scenario (∫λ). */
double mdl_traffic_expected(const mdl_traffic_config *t);

/* The next arrival strictly after `now` of the non-homogeneous Poisson process with rate λ(t),
 * by thinning (Lewis and Shedler, Naval Research Logistics Quarterly 26(3), 1979) with the
 * phase's largest rate as the bound; SIM_NEVER after the last phase. */
sim_time mdl_traffic_next(const mdl_traffic_config *t, sim_time now, sim_rng *r);

/* The class of a new request, drawn from the mix. */
mdl_class mdl_traffic_class(const mdl_traffic_config *t, sim_rng *r);

/* ---------------------------------------------------------------- CloudFront */

/* Whether a static request is served from the edge cache. */
bool mdl_cdn_hit(const mdl_cdn_config *c, sim_rng *r);

/* ---------------------------------------------------------------- ALB */

/* The ALB's view of one target (a pod). */
typedef struct mdl_target {
    bool ready;      /* registered and healthy: receives traffic */
    int outstanding; /* requests sent and not yet answered */
} mdl_target;

/* Per-ALB routing state. */
typedef struct mdl_alb {
    mdl_alb_algorithm algorithm;
    size_t next; /* round robin cursor */
} mdl_alb;

/* Picks a ready target: round robin, or least outstanding requests (ties to the lowest index
 * after the round-robin cursor, so equal targets still take turns). -1 when none is ready. */
int mdl_alb_pick(mdl_alb *alb, const mdl_target *targets, size_t n);

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

int mdl_station_busy(const mdl_station *s);
size_t mdl_station_queued(const mdl_station *s);
int mdl_station_servers(const mdl_station *s);

/* ---------------------------------------------------------------- HPA (autoscaling/v2) */

typedef enum mdl_hpa_policy_type { MDL_HPA_PODS = 0, MDL_HPA_PERCENT } mdl_hpa_policy_type;
typedef enum mdl_hpa_select { MDL_HPA_SELECT_MAX = 0, MDL_HPA_SELECT_MIN, MDL_HPA_DISABLED } mdl_hpa_select;

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

/* What the HPA controller sees of one pod of its target at a sync. */
typedef struct mdl_hpa_pod {
    bool pending;        /* phase Pending: not yet running */
    bool deleting;       /* deletion timestamp set (terminating): ignored */
    bool ready;          /* Ready condition true */
    sim_time start;      /* status.startTime */
    sim_time ready_change; /* lastTransitionTime of the Ready condition */
    bool has_metrics;    /* metrics-server has a sample for it */
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
    } *recs;
    size_t nrecs, caprecs;
    struct mdl_hpa_event {
        sim_time at;
        int change; /* > 0 added, < 0 removed */
    } *events;
    size_t nevents, capevents;
} mdl_hpa_state;

void mdl_hpa_state_clear(mdl_hpa_state *st);

/* Why the last decision came out as it did, for the report and for tests. */
typedef struct mdl_hpa_trace {
    int proposal_cpu;        /* -1 when the metric gave none */
    int proposal_memory;
    int cpu_utilisation;     /* percent of requests over ready pods with metrics (HPA status) */
    int memory_utilisation;
    int metric_desired;     /* max over metrics, before behaviour */
    int stabilized;         /* after the stabilization windows */
    int desired;            /* after policies and min/max: the new replica count */
} mdl_hpa_trace;

/* One sync of the HPA controller at time `now` for a target with `current` replicas whose pods
 * are `pods[0..n)`. Returns the new replica count (== current: no change) and records the
 * recommendation and any scale event in *st. Follows kubernetes/kubernetes
 * pkg/controller/podautoscaler (replica_calculator.go GetResourceReplicas and groupPods;
 * horizontal.go normalizeDesiredReplicasWithBehaviors); see docs/models.md. trace may be NULL. */
int mdl_hpa_sync(const mdl_hpa_config *cfg, mdl_hpa_state *st, sim_time now, int current,
                 const mdl_hpa_pod *pods, size_t n, mdl_hpa_trace *trace);

/* ---------------------------------------------------------------- database */

/* How many queries one request of class c makes: the integer part of the mean, plus one more
 * with probability equal to the fractional part. */
int mdl_db_queries(const mdl_db_config *d, mdl_class c, sim_rng *r);

#endif
