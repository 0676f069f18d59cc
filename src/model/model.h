/*
 * model.h — the components of the simulated architecture: their parameters (bound from the
 * scenario by src/io/) and their behaviour, which the engines in src/engine/ drive. The public
 * face of src/model/; every public name is mdl_*. The settings' types live in one header per
 * topic, included below: classes.h, traffic.h, edge.h (CloudFront, ALB), cluster.h (pods, HPA,
 * NodePools, nodes), data.h (database, PgBouncer, Redis), failures.h (events, alarms, health
 * checks, DR), schedule.h (a non-production environment's stop and start), regions.h (a second
 * active region). The pricing catalog and the month a scenario holds are the cost room's types
 * (cost/catalog.h, included by cluster.h).
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
 * Every default and its public source is in the key tables (src/io/keys/) and
 * docs/scenarios.md; docs/models.md says what each component does.
 */
#ifndef SIMULATE_MODEL_H
#define SIMULATE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

#include "model/classes.h"
#include "model/traffic.h"
#include "model/edge.h"
#include "model/cluster.h"
#include "model/data.h"
#include "model/failures.h"
#include "model/schedule.h"
#include "model/regions.h"

/* ---------------------------------------------------------------- the scenario */

typedef enum mdl_fidelity {
    MDL_FIDELITY_REQUEST = 0,
    MDL_FIDELITY_FLOW,
    MDL_FIDELITY_AUTO
} mdl_fidelity;

/* "request", "flow", "auto": the words of the scenario's `fidelity` and of --fidelity. */
const char *mdl_fidelity_name(mdl_fidelity f);
/* The fidelity named `text` into *out: 0, or -1 when it names none. */
int mdl_fidelity_parse(const char *text, mdl_fidelity *out);

/* What is billed besides the components' own hours and requests (docs/cost-model.md). */
typedef struct mdl_extras_config {
    int64_t query_bytes;      /* on the wire per database query and its result, both ways */
    int64_t cache_op_bytes;   /* per Redis operation, both ways */
    double cross_az_share;    /* of those bytes that cross an AZ boundary (billed each way) */
    int secrets;              /* Secrets Manager secrets */
    sim_time secrets_refresh; /* External Secrets Operator's sync of each: an API call */
    int hosted_zones;         /* Route 53 */
} mdl_extras_config;

/* Most replications a run may have (the scenario's, the planner's, the command line's). */
#define MDL_MAX_REPLICATIONS 1024

/* How a sweep point's month is costed: its load held all month, or a day of `peak_hours` at
 * it and the rest at `off_peak` of it, repeated (costs of both are reported). */
enum { MDL_SWEEP_STEADY = 0, MDL_SWEEP_DAILY = 1 };

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
    cost_month_spec month;
    mdl_extras_config extras;
    mdl_alarm alarms[MDL_MAX_ALARMS];
    size_t nalarms;
    mdl_dr_config dr;
    mdl_schedule_config schedule; /* a dev environment's stops and starts (seed §11.2) */
    mdl_regions_config regions;   /* a second active region (seed §11.3) */
    struct {
        bool set;
        double from, to; /* peak users (or requests/s) of the first and last points */
        int steps;
        int profile;       /* MDL_SWEEP_STEADY or MDL_SWEEP_DAILY (scenarios.md, sweep) */
        double peak_hours; /* daily: hours a day at the point's load */
        double off_peak;   /* daily: the rest of the day's load, a share of the point's */
    } sweep;               /* `simulate compare`: the load points to run every variant at */
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

/* The phase holding `now`, [*start, *end) ([duration, SIM_NEVER) past the last), and whether it
 * is a hold: a constant rate above 0, whose arrivals mdl_traffic_next draws as
 * now + sim_from_sec(sim_rng_exponential(r, *mean)) (at least now + 1) while that is before
 * *end, else from *end on. The request engine keeps the answer for the phase's length and draws
 * a hold's arrivals so, without walking the phases per arrival (the same draws, the same times). */
bool mdl_traffic_hold(const mdl_traffic_config *t, sim_time now, sim_time *start, sim_time *end,
                      double *mean);

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

/* A log of timed values the controller keeps for as long as a window reads them, oldest first. */
typedef struct mdl_hpa_log {
    struct mdl_hpa_mark {
        sim_time at;
        int value;
    } * mark;
    size_t n, cap;
} mdl_hpa_log;

/* The controller's memory between syncs: recent recommendations (value: the replicas, for the
 * stabilization windows) and recent scale events (value: the change, > 0 added, < 0 removed,
 * for the policies' periods). Owned by the caller; mdl_hpa_state_clear frees what it holds.
 * Zero-initialise before first use. */
typedef struct mdl_hpa_state {
    mdl_hpa_log recs, events;
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
int64_t mdl_instance_price(const cost_instance_type *t, int capacity);

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

/* Whether some NodePool has limits (spec.limits.cpu or .memory): with the cluster modelled. */
bool mdl_nodepools_limited(const mdl_cluster_config *c);
/* The NodePools' CPU limits added up, millicores: what caps the vCPUs of the nodes of the pools
 * that have one (the series' nodes_vcpu, the capacity chart's line); -1 when none has. */
int64_t mdl_nodepools_cpu_limit(const mdl_cluster_config *c);

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
 * ascending order. A pool with limits (NodePool spec.limits; kubernetes-sigs/karpenter
 * scheduler.go: remainingResources, filterByRemainingResources, subtractMax) opens a claim only
 * over the types whose vCPUs and memory fit what its limits leave after its nodes (pool_cpu,
 * pool_memory) and its claims already opened in the batch, each of which takes the most of its
 * candidate types' (the pessimistic bound Karpenter takes); the next pool by weight is tried,
 * and a pod no pool can take within its limits is left out of every launch (it stays Pending:
 * the launches' counts then add up to fewer than npods). Returns the number of launches; -1
 * when a pod fits no type of any pool on its own, limits aside (lowest such index in
 * *unplaceable), or -1 with *unplaceable = SIZE_MAX when more than
 * max_out launches are needed; MDL_KARPENTER_ENOMEM (-2, *unplaceable untouched) when memory ran
 * out, which is not the scenario's fault. out/pod_index are written only on success;
 * unplaceable may be NULL.
 */
typedef bool (*mdl_spot_available_fn)(void *ctx, int type);
/* One batch for Karpenter: what it may launch and what it must place. */
typedef struct mdl_provision_batch {
    const cost_catalog *catalog;
    const mdl_nodepool *pools; /* in the scenario's order */
    size_t npools;
    const mdl_pod_need *overhead; /* DaemonSets per node; NULL: none */
    const mdl_pod_need *pods;     /* the Pending pods */
    size_t npods;
    mdl_spot_available_fn spot_available; /* NULL: Spot is always available */
    void *spot_ctx;                       /* spot_available's first argument */
    /* per pool, what its nodes not yet gone (launching included) have, against its limits:
     * vCPUs in millicores and memory in bytes; NULL: none yet */
    const int64_t *pool_cpu, *pool_memory;
} mdl_provision_batch;
#define MDL_KARPENTER_ENOMEM (-2)
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
size_t mdl_karpenter_consolidate(const cost_catalog *cat, const mdl_nodepool *pools, size_t npools,
                                 const mdl_node_view *nodes, size_t nnodes,
                                 const mdl_pod_need *pods, const int *disrupting, sim_time now,
                                 size_t *out, size_t max_out);

/* ---------------------------------------------------------------- database */

/* How many queries one request of class c makes: the integer part of the mean, plus one more
 * with probability equal to the fractional part. */
int mdl_db_queries(const mdl_db_config *d, mdl_class c, sim_rng *r);

/* The database's default max_connections: RDS for PostgreSQL's LEAST(memory / 9531392, 5000)
 * of the class's memory (AWS RDS user guide, "Maximum number of database connections"), or
 * Aurora Serverless v2's (mdl_db_aurora_max_connections); 0 without a database (or with the
 * queue that stands for one). What the engine's database.c plays, the emitted config is checked
 * against and the charts draw. */
int mdl_db_max_connections(const mdl_scenario *s);

/* Aurora PostgreSQL Serverless v2's default max_connections for a capacity range: the AWS
 * table by the maximum ACUs (189 at 1, 823 at 4, 1,669 at 8, 3,360 at 16, 5,000 from 32),
 * linear between its rows and in proportion below 1 ACU, capped at 2,000 when the minimum is
 * 0.5 ACU or less (db.c cites the sources). */
int mdl_db_aurora_max_connections(double acu_min, double acu_max);

/* ---------------------------------------------------------------- the DR replica (replica.c) */

/* Seconds of the replica's one replay vCPU that one API write costs (dr.replica_replay_share of
 * the write's query CPU time). */
double mdl_replica_replay_cost(const mdl_scenario *s);

/* The replay backlog (seconds of replay waiting, which is also the lag it adds) after dt_s
 * seconds in which `writes` writes committed on the primary, from backlog_s before. */
double mdl_replica_backlog(const mdl_scenario *s, double backlog_s, double writes, double dt_s);

/* ---------------------------------------------------------------- replica scaling (replicas.c) */

/* A replica-scaling rule's memory between its one-minute evaluations. */
typedef struct mdl_replica_rule {
    int above, below;    /* consecutive datapoints above target, below target × in_ratio */
    sim_time last_out;   /* the last scale-out (SIM_NEVER: none yet) */
    sim_time last_scale; /* the last scaling of either kind (SIM_NEVER: none yet) */
} mdl_replica_rule;

/* The replica scaling of the scenario's database engine (RDS's replica_scaling, Aurora's
 * reader_scaling), or NULL when it has none switched on. */
const mdl_replica_scaling *mdl_db_scaling(const mdl_db_config *db);

/* The RDS read replicas' instance class: database.replica_class when named, else the
 * primary's (NULL when neither is in the catalog). */
const cost_db_class *mdl_db_replica_class(const mdl_scenario *s);

/* A rule with no history. */
void mdl_replica_rule_init(mdl_replica_rule *st);

/* One minute's datapoint `metric` (CPU utilisation, 0..1; negative: no datapoint, nothing to
 * measure) at `now`, with `current` replicas in service or being created, `serving` of them in
 * service, and `floor` the fewest the rule may keep (its min, or the fixed replicas). Returns
 * the replicas wanted: `current` for no change. */
int mdl_replica_rule_step(const mdl_replica_scaling *rs, mdl_replica_rule *st, double metric,
                          int current, int serving, int floor, sim_time now);

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
