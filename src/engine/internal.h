/*
 * internal.h — what the files of src/engine/ share and nothing outside sees (eng__ names): one
 * replication's whole state (`eng__run`), the pods and nodes of the cluster, and the entry points
 * by which the request path (request.c), the pods' and nodes' life cycle (cluster.c), the
 * control plane's operations (control.c, over src/ctl/) and the recorder (record.c) call each
 * other. The request path owns requests; the cluster owns pods and nodes; they meet at a pod:
 * requests are routed to ready pods, and a pod going away fails the requests it still holds.
 * The control plane (ctl.h) decides how many pods there are and where, through control.c.
 */
#ifndef SIMULATE_ENGINE_INTERNAL_H
#define SIMULATE_ENGINE_INTERNAL_H

#include "ctl/ctl.h"
#include "engine/engine.h"
#include "kernel/sim.h"
#include "metrics/metrics.h"
#include "model/model.h"

#include <stdint.h>

/* ---------------------------------------------------------------- requests */

enum eng__req_state {
    R_POD_QUEUE, /* in the pod's backlog */
    R_REDIS,     /* waiting for or in a Redis look-up */
    R_APP,       /* in the application (CPU) */
    R_DB_QUEUE,  /* queue engine: waiting for a database server */
    R_DB,        /* queue engine: being served */
    R_POOL_WAIT, /* waiting for a server connection (PgBouncer) */
    R_TX,        /* holding a connection, a query running on a database instance */
    R_DEAD       /* killed while a station, pool or instance still holds it */
};

typedef struct eng__req {
    sim_time t_arrive; /* at the edge */
    sim_time t_pod;    /* at the pod (the ALB forwarded it) */
    sim_time t_start;  /* a worker took it */
    sim_time app;      /* CPU time of the application part (one core) */
    double v_finish;   /* throttled pods: the pod's virtual CPU time at which the app part ends */
    sim_handle ev;     /* pending app-done event (unthrottled pods) */
    sim_handle kill;   /* pending gunicorn worker timeout */
    struct eng__req *next;          /* free list */
    struct eng__req *pnext, *pprev; /* the pod's in-service list */
    sim_handle wait_ev;             /* pending query_wait_timeout */
    int32_t pod;
    int32_t queries; /* left to make */
    uint8_t cls;
    uint8_t state;
    uint8_t measured;
    uint8_t lookups;  /* Redis look-ups left */
    uint8_t has_conn; /* holds a server connection (which pool: its pod's, or the central one) */
    uint8_t dbi;      /* the database instance its current query runs on */
    uint8_t hits;     /* of its look-ups, those Redis would find (misses are in `queries`) */
} eng__req;

/* ---------------------------------------------------------------- the data tier */

/* A pool of server connections: a PgBouncer pool, or a pod's own direct connections. */
typedef struct eng__pool {
    int open;        /* server connections opened (counted against max_connections) */
    int busy;        /* held by transactions */
    int clients;     /* client connections accepted (max_client_conn) */
    int tx;          /* this pod's transactions in progress (holding or waiting) */
    eng__req **wait; /* FIFO of transactions waiting for a connection */
    size_t whead, wlen, wcap;
} eng__pool;

/* One database instance: a writer/primary, a reader/replica. Queries share its vCPUs as
 * processor sharing, at most one vCPU each (a PostgreSQL backend is one process). */
typedef struct eng__dbi {
    double cores; /* vCPUs serving queries (Aurora: ACUs × vcpu_per_acu) */
    double acu;   /* Aurora: current capacity */
    int n;        /* queries running */
    double v;     /* CPU ns each running query has received since the start */
    sim_time last;
    eng__req **heap; /* running queries, a min-heap on v_finish */
    size_t hcap;
    sim_handle ev;            /* the next completion */
    double busy_area;         /* core·ns used */
    double cap_area;          /* core·ns available */
    double acu_area;          /* ACU·ns (Aurora) */
    double tick_busy;         /* core·ns used since the last scaling tick (Aurora) */
    double iv_busy, iv_cap;   /* core·ns used and available since the last series row */
    double win_busy, win_cap; /* the same at the start of the measurement window */
    sim_time below_since;     /* Aurora: over capacity since (SIM_NEVER: not) */
    double credits;           /* burstable RDS: CPU credit balance, vCPU-minutes */
    double credit_busy;       /* busy_area at the last credit tick */
    double spent, earned;     /* CPU credits over the run */
    bool throttled;           /* standard mode: held to the baseline */
    double bg; /* vCPUs busy with statements from the other region (geo.c), the primary's */
} eng__dbi;

/* ---------------------------------------------------------------- pods and nodes */

/* The control plane's phases (ctl.h), which it reads through control.c without translation */
enum eng__pod_state {
    P_PENDING = CTL_POD_PENDING,         /* created, not placed on a node */
    P_BOUND = CTL_POD_BOUND,             /* placed on a node that is still launching */
    P_STARTING = CTL_POD_STARTING,       /* pulling the image, starting the container */
    P_RUNNING = CTL_POD_RUNNING,         /* container up, readiness probe not yet passed */
    P_READY = CTL_POD_READY,             /* Ready: an endpoint; routable once the ALB's health
                                          * check passes */
    P_TERMINATING = CTL_POD_TERMINATING, /* SIGTERM: no new requests, in-flight ones finish
                                          * until the grace ends */
    P_CRASHED = CTL_POD_CRASHED,         /* OOM-killed, waiting for the kubelet to restart it */
    P_GONE = CTL_POD_GONE
};

typedef struct eng__pod {
    int id;
    int state;
    int node;    /* index in the node array, -1 when none */
    int version; /* the Deployment's generation the pod belongs to */
    sim_time created, started, ready_since;
    mdl_station *st;   /* gunicorn workers and listen backlog */
    int route;         /* index in run->routes while the ALB routes to it, else -1 */
    int outstanding;   /* requests at the pod: waiting or being served */
    eng__pool pool;    /* its PgBouncer pool (per_pod), its workers' connections (none), or only
                        * its client count (central) */
    eng__req *serving; /* requests holding a worker (doubly linked through pnext/pprev) */
    int in_service;    /* requests holding a worker */
    sim_handle ev; /* the pending lifecycle event (start, probe, health check, grace, restart) */
    int probe_ok;  /* consecutive readiness successes */
    /* CPU: app-phase requests share min(workers, limit) cores (processor sharing) */
    int app_busy;
    double cpu_area;     /* core·ns of CPU used since the pod started */
    double cpu_credited; /* cpu_area already charged to its node's CPU credits (credits.c) */
    sim_time cpu_last;   /* last integration instant */
    double ps_v;         /* virtual CPU time per app-phase request, ns */
    sim_handle ps_ev;    /* throttled pods: the next app-phase completion */
    eng__req **ps_reqs;  /* throttled pods: the app-phase requests (at most `workers`) */
    /* metrics-server's samples of the pod are the control plane's (src/ctl/hpa.c) */
    bool oom_pending; /* an OOM kill is scheduled */
    /* flow engine: the per-serving-pod CPU integral (its mean and variance) when this pod's
     * cpu_area was last brought up to date (flow.c) */
    double flow_g, flow_gv;
} eng__pod;

enum eng__node_state {
    N_LAUNCHING = CTL_NODE_LAUNCHING,
    N_READY = CTL_NODE_READY,
    N_DISRUPTING = CTL_NODE_DISRUPTING,
    N_GONE = CTL_NODE_GONE
};

typedef struct eng__node {
    int type, capacity, pool;
    bool system;
    int az; /* 0..MDL_AZS-1, in turn over the AZs that are up */
    int id;
    int state;
    int64_t used_cpu, used_memory; /* requests of its API pods (DaemonSets counted apart) */
    int npods;
    sim_time image_at; /* when the API image is (or will be) on the node; SIM_NEVER: not yet */
    double credit_spent, credit_earned; /* burstable types: CPU credits (vCPU-minutes) */
    sim_time launched, ready_at, last_change, gone_at;
    sim_handle ev; /* launch completion, interruption notice, termination */
} eng__node;

/* ---------------------------------------------------------------- one replication */

#define ENG__NSERIES 32

#define ENG__CHAIN_MAX 16

typedef struct eng__run {
    const mdl_scenario *s;
    /* the components, in the order of a request's path (chain.c, component.h) */
    struct eng__link {
        const struct eng__component *type;
        void *state;
    } chain[ENG__CHAIN_MAX];
    int nchain;
    uint8_t on_path[ENG__CHAIN_MAX]; /* the links the request walk calls, in order (chain.c) */
    int npath;
    int walk; /* the request walk resolved at set-up (chain.c's enum walk) */
    /* the same components' states, for the engines' files that still call them by name */
    struct eng__cloudfront *cdn;
    struct eng__route53 *dns;
    struct eng__alb *alb;
    struct eng__pods *api;
    struct eng__schedule *sched;
    struct eng__redis *cache;   /* the data tier (data.h) */
    struct eng__pgbouncer *pgb; /* connections: the pools, the central PgBouncer */
    struct eng__database *data; /* the database's instances */
    struct eng__rds *rds;
    struct eng__aurora *aurora;
    struct eng__alarms *alarms; /* the CloudWatch alarms (alarms.c) */
    struct eng__dr *dr;         /* the DR region (region.c) */
    sim_engine *k;
    eng_rep *out;
    eng_live *live;    /* progress for another thread, or NULL (record.c publishes it) */
    sim_time fault_at; /* the first failure (out->faults[0]); -1: none yet */
    size_t first_open; /* the first failure no API request has been served after yet */
    bool az_down[MDL_AZS];
    int next_az;                    /* where the next node goes */
    unsigned long long live_events; /* events already added to live->events */
    sim_rng *r_arrival, *r_mix, *r_service, *r_queries, *r_query_time;
    sim_rng *r_pods, *r_nodes, *r_spot, *r_phase;
    sim_time end;
    double arrivals_total;
    /* the phase the next arrival is drawn in (request.c, mdl_traffic_hold): [start, end), and
     * a hold's mean gap */
    sim_time hold_start, hold_end;
    double hold_mean;
    bool hold;
    int only_class;
    bool throttled; /* workers can want more CPU than the limit */
    bool track_cpu; /* pods' CPU use is read (HPA) or limited */

    /* pods: allocated one by one so that pointers stay valid as the array grows */
    eng__pod **pods;
    size_t npods, cappods;
    mdl_target *routes; /* the ALB's routable targets (ready, healthy, not terminating) */
    size_t nroutes;
    /* the pods not gone, by increasing index (the control plane's reads visit these alone):
     * a pod joins when made; one that goes leaves at the next eng__pods_live (alive_stale) */
    size_t *alive;
    size_t nalive, capalive;
    bool alive_stale;

    /* nodes: likewise */
    eng__node **nodes;
    size_t nnodes, capnodes;

    /* the control plane (src/ctl/): the Deployment's replicas and rollouts, the HPA, Karpenter,
     * Spot, the failures within the region; made with the cluster (control.c) */
    ctl_plane *ctl;

    /* database */
    mdl_station *db;        /* queue engine */
    struct eng__flow *flow; /* the flow engine's state (flow.c); NULL in the request engine */
    sim_rng *r_failover;    /* failover durations */

    /* request pool */
    struct eng__slab *slabs;
    eng__req *free;
    long in_flight;
    int draining, oom;

    /* time-averages over the window */
    sim_time last;
    long at_pods;
    double area_pods, area_db;

    /* time series: counts over the current interval */
    double iv_arrivals, iv_served, iv_errors[MDL_NCAUSE];
    double iv_writes; /* API writes served in the interval */
    double iv_db_area;
    sim_time iv_db_last;
    hist *iv_latency;
    ser_table *series;
} eng__run;

/* The components the engines' own files call by name (their files; their states are theirs).
 * cloudfront.c: the share of all API reads answered at the edge. */
double eng__cloudfront_api_hit(const struct eng__cloudfront *c);
/* route53.c: the share of API requests arriving at t from clients whose cached answer still
 * points at the lost region (they fail): after the record changed (eng__dns_switch, at a region
 * failure's switch) their caches expire uniformly over the TTL. 0 outside a switch. */
double eng__dns_stale(const struct eng__route53 *d, sim_time t);
void eng__dns_switch(struct eng__route53 *d, sim_time now);
sim_time eng__dns_switched_at(const struct eng__route53 *d); /* -1: no switch yet */
/* alb.c: its random stream (request.c's stale-DNS draw) and its choice of target (-1: none) */
sim_rng *eng__alb_rng(struct eng__alb *a);
int eng__alb_pick(struct eng__alb *a, const mdl_target *targets, size_t n);
/* schedule.c: the environment is stopped by its schedule (the HPA leaves it at 0 replicas) */
bool eng__schedule_stopped(const struct eng__schedule *d);
/* RDS seconds the schedule stopped the primary by `end` (0 without a schedule that stops it) */
double eng__schedule_db_stopped(const struct eng__schedule *d, sim_time end);

/* alarms.c: the alarm that pages on-call; when it pages after every API request fails from t
 * on (SIM_NEVER: it cannot see it) — each period's error rate is the API's share of the
 * requests, times the share of the period after t for the first one; when the Route 53 health
 * check's alarm pages, the primary region lost at t: the endpoint unhealthy after
 * mdl_health_check_delay (its checkers' phases drawn from g), and the CloudWatch alarm on
 * HealthCheckStatus (1-min period, 1 datapoint: ASSUMPTION, the console's usual) fires at the end
 * of that minute. */
const mdl_alarm *eng__alarms_pager(const struct eng__alarms *a);
sim_time eng__alarms_page_at(const struct eng__alarms *a, sim_time t);
sim_time eng__alarms_health_check_at(const struct eng__alarms *a, sim_time t, sim_rng *g);

/* request.c */
eng__req *eng__req_alloc(eng__run *r);
void eng__req_release(eng__run *r, eng__req *q);
void eng__fail(eng__run *r, eng__req *q, mdl_cause cause);
void eng__schedule_first_arrival(eng__run *r);
/* The client's outcome of q, answered (killed 0) or failed with `cause` by its pod now. */
void eng__req_finish(eng__run *r, eng__req *q, int killed, mdl_cause cause);
/* Takes q out of whatever phase it is in at its pod and fails it with `cause`. */
void eng__req_kill(eng__run *r, eng__req *q, mdl_cause cause);
void eng__pod_cpu_account(eng__run *r, eng__pod *p);
/* pods.c, the pods and gunicorn (a component): q leaves its pod (answered or killed) and the
 * worker takes the next waiting request; a pod's backlog or its workers' requests all fail. */
void eng__pod_leave(eng__run *r, eng__req *q);
void eng__pod_drop_queued(eng__run *r, eng__pod *p, mdl_cause cause);
void eng__pod_drop_serving(eng__run *r, eng__pod *p, mdl_cause cause);
/* Burstable nodes' CPU credits (credits.c): metered each minute from the start; at the end each
 * node's surplus into usage.node_surplus_credits. */
void eng__credits_start(eng__run *r);
void eng__credits_finish(eng__run *r);
void eng__account(eng__run *r);

/* cluster.c: pods, nodes, routing */
int eng__cluster_init(eng__run *r, base_err *err);
void eng__cluster_free(eng__run *r);
void eng__route_add(eng__run *r, eng__pod *p);
void eng__route_remove(eng__run *r, eng__pod *p);
eng__pod *eng__pod_new(eng__run *r, int version);               /* Pending, not yet scheduled */
void eng__pod_schedule(eng__run *r, eng__pod *p);               /* kube-scheduler, else Karpenter */
void eng__pod_nominate(eng__run *r, eng__pod *p, eng__node *n); /* Karpenter's placement */
void eng__pod_terminate(eng__run *r, eng__pod *p);              /* SIGTERM, grace period */
void eng__pod_kill(eng__run *r, eng__pod *p);                   /* SIGKILL */
void eng__pod_idle(eng__run *r, eng__pod *p); /* a terminating pod with nothing left */
void eng__pod_oom(eng__run *r, eng__pod *p);
int eng__pods_ready(const eng__run *r);
int eng__pods_existing(const eng__run *r); /* not terminating or gone */
/* The pods not gone, by increasing index: their number, *ids valid until a pod is made */
size_t eng__pods_live(eng__run *r, const size_t **ids);
int eng__node_new(eng__run *r, int type, int capacity, int pool, bool system, bool ready_now);
void eng__node_gone(eng__run *r, eng__node *n);
/* A node lost without notice (its AZ, node_loss): its pods die at once, but the ALB finds out by
 * its health checks and Kubernetes deletes them only when the node controller has marked the
 * node unreachable and their toleration has run out (cluster.unreachable_grace, _toleration):
 * only then does the Deployment replace them. */
void eng__node_lost(eng__run *r, eng__node *n);
void eng__node_disrupt(eng__run *r, eng__node *n, sim_time deadline);
void eng__spot_notice(eng__run *r, eng__node *n);

/* The control plane (src/ctl/, ctl.h; control.c here hands it the cluster's operations): made
 * with the cluster (eng__cluster_init), its loops and the scenario's events started with the
 * run, freed with the cluster. The ReplicaSet controller, Karpenter's batch and the Deployment's
 * replicas are asked through r->ctl (ctl_reconcile, ctl_pod_pending, ctl_desired ...). */
int eng__control_init(eng__run *r, base_err *err);
void eng__control_start(eng__run *r);
void eng__control_free(eng__run *r);
/* The record of a failure of the seed's HA table, now (NULL: the list is full) */
eng_fault *eng__note_fault(eng__run *r, mdl_event_type type, double rpo_s);
/* region.c, the DR region (a component): the primary region lost (ctx its state, r->dr), the
 * DR runbook and the switch */
void eng__on_region_failure(void *ctx, void *arg);
bool eng__dr_region_down(const struct eng__dr *d); /* until the DR region takes the traffic */

/* the data tier (database.c; its parts in data.h): connections, instances, Redis */
bool eng__data_needs_tx(const eng__run *r);         /* rds/aurora: transactions with connections */
void eng__tx_begin(eng__run *r, eng__req *q);       /* after the app phase: get a connection */
void eng__redis_begin(eng__run *r, eng__req *q);    /* before the app phase: the look-ups */
void eng__db_failover(eng__run *r);                 /* a db_failover event */
void eng__cache_failover(eng__run *r);              /* a cache_failover event */
void eng__data_kill(eng__run *r, eng__req *q);      /* q dies in the data tier */
void eng__pod_pool_open(eng__run *r, eng__pod *p);  /* the pod started: its clients connect */
void eng__pod_pool_close(eng__run *r, eng__pod *p); /* the pod is gone: its connections close */
double eng__db_utilisation(const eng__run *r, int instance);
void eng__db_iv(eng__run *r, double *pct); /* the primary's CPU % over the series interval */

/* request.c, called back by database.c */
void eng__app_start(eng__run *r, eng__req *q); /* the app phase of q begins */
void eng__tx_done(eng__run *r, eng__req *q);   /* q's transaction committed: respond */
/* q fails now with `cause` (its worker is freed); with keep, the struct stays allocated for the
 * station, pool or instance that still holds it (marked R_DEAD, released by it). */
void eng__req_fail_now(eng__run *r, eng__req *q, mdl_cause cause, int keep);

/* flow.c: the flow engine's step */
int eng__flow_init(eng__run *r, base_err *err);
void eng__flow_start(eng__run *r);
double eng__flow_backlog(const eng__run *r);       /* API requests waiting at the pods */
void eng__flow_pod_join(eng__run *r, eng__pod *p); /* it starts serving (ALB route) */
void eng__flow_pod_sync(eng__run *r, eng__pod *p); /* bring its cpu_area up to date */
void eng__flow_pod_lost(eng__run *r, eng__pod *p); /* killed while serving: its requests fail */
void eng__flow_free(eng__run *r);

/* record.c: time series and metering */
int eng__record_init(eng__run *r, base_err *err);
/* The series' error rate per row (%, errors over arrivals; 0 without arrivals) and arrivals
 * per second, into arrays of ser_rows(series); the column an alarm's metric reads. */
void eng__series_error_rate(const ser_table *series, double *rate, double *arrivals);
size_t eng__series_column(int metric);
/* Two active regions: a replication's series, us-east-1's run's columns (db_replicas null when
 * it had none) then eu-west-1's as `NAME_eu_west_1` (record.c's eu_cols), row by row over the
 * fewer rows; `lost_us`, `lost_eu` (NULL: none) per row, the requests per second of a lost
 * region's users that failed before Route 53 moved them, added to its arrivals and its errors
 * (no target). A region lost at lose_us / lose_eu (ns; 0: not lost) has, in the rows from its
 * loss, no value (NaN) in its cluster's and database's gauges and its latency (record.c,
 * lost_column): nothing of it serves or can be seen. *out NULL when either series is missing. */
int eng__series_two_regions(const ser_table *us, const ser_table *eu, const double *lost_us,
                            const double *lost_eu, sim_time lose_us, sim_time lose_eu,
                            ser_table **out);

/* The database primary is unreachable for `down`: running and new transactions fail, pools
 * reconnect after (database.c; a failover is one, a restore another). */
void eng__db_outage(eng__run *r, sim_time down);

/* Redis unreachable for `down` (look-ups miss): a failover is one (database.c). */
void eng__cache_outage(eng__run *r, sim_time down);

/* The DR region's warm standby takes the traffic: its system nodes and the pods that exist
 * (the warm ones) Ready at once on nodes chosen as Karpenter would (cluster.c). */
int eng__cluster_dr_start(eng__run *r);

/* A served API request that arrived at `arrived` finished now: RTO's end when it is the first
 * after a failure (record.c). */
void eng__note_recovery(eng__run *r, sim_time arrived, sim_time done);
/* The DR replica's replay backlog at `now` (seconds; 0 without an RDS replica), and its lag as
 * the series shows it: the no-backlog lag's mean plus the backlog (region.c). Each series row
 * brings it up to date before its counts restart (it replays the interval's writes). */
double eng__dr_replica_backlog(struct eng__dr *d, sim_time now);
double eng__dr_replica_lag(struct eng__dr *d, sim_time now);

/* One replication on the engine the scenario's fidelity chooses, publishing progress to `live`
 * (may be NULL): what eng_run's workers run. */
int eng__run_live(const mdl_scenario *s, uint32_t replication, eng_rep *out, eng_live *live,
                  base_err *err);
/* A scenario with `regions:` (geo.c): one run per region, the regions' clones of s, coupled
 * into one replication with its per-region figures in out->geo. */
int eng__run_regions(const mdl_scenario *s, uint32_t replication, eng_rep *out, eng_live *live,
                     base_err *err);
void eng__record_start(eng__run *r);
void eng__record_finish(eng__run *r);
void eng__meter_node(eng__run *r, const eng__node *n, sim_time from, sim_time to);

#endif
