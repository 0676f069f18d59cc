/*
 * internal.h — what the files of src/engine/ share and nothing outside sees (eng__ names): one
 * replication's whole state (`eng__run`), the pods and nodes of the cluster, and the entry points
 * by which the request path (request.c), the control plane (cluster.c, control.c) and the
 * recorder (record.c) call each other. The request path owns requests; the control plane owns
 * pods and nodes; they meet at a pod: requests are routed to ready pods, and a pod going away
 * fails the requests it still holds.
 */
#ifndef SIMULATE_ENGINE_INTERNAL_H
#define SIMULATE_ENGINE_INTERNAL_H

#include "engine/engine.h"
#include "kernel/sim.h"
#include "metrics/metrics.h"
#include "model/model.h"

/* ---------------------------------------------------------------- requests */

enum eng__req_state { R_POD_QUEUE, R_APP, R_DB_QUEUE, R_DB, R_DEAD };

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
    int32_t pod;
    int32_t queries; /* left to make */
    uint8_t cls;
    uint8_t state;
    uint8_t measured;
} eng__req;

/* ---------------------------------------------------------------- pods and nodes */

enum eng__pod_state {
    P_PENDING,     /* created, not placed on a node */
    P_BOUND,       /* placed on a node that is still launching */
    P_STARTING,    /* pulling the image, starting the container */
    P_RUNNING,     /* container up, readiness probe not yet passed */
    P_READY,       /* Ready: an endpoint; routable once the ALB's health check passes */
    P_TERMINATING, /* SIGTERM: no new requests, in-flight ones finish until the grace ends */
    P_CRASHED,     /* OOM-killed, waiting for the kubelet to restart it */
    P_GONE
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
    eng__req *serving; /* requests holding a worker (doubly linked through pnext/pprev) */
    int in_service;    /* requests holding a worker */
    sim_handle ev; /* the pending lifecycle event (start, probe, health check, grace, restart) */
    int probe_ok;  /* consecutive readiness successes */
    /* CPU: app-phase requests share min(workers, limit) cores (processor sharing) */
    int app_busy;
    double cpu_area;    /* core·ns of CPU used since the pod started */
    sim_time cpu_last;  /* last integration instant */
    double ps_v;        /* virtual CPU time per app-phase request, ns */
    sim_handle ps_ev;   /* throttled pods: the next app-phase completion */
    eng__req **ps_reqs; /* throttled pods: the app-phase requests (at most `workers`) */
    /* metrics-server's latest sample of the pod */
    bool has_sample;
    sim_time sample_time;
    int64_t sample_cpu, sample_memory;
    double cpu_area_scraped;
    sim_time scraped_at; /* when the previous scrape read cpu_area (the window's start) */
    bool seen_running;   /* the container was up at the previous scrape */
    bool oom_pending;    /* an OOM kill is scheduled */
} eng__pod;

enum eng__node_state { N_LAUNCHING, N_READY, N_DISRUPTING, N_GONE };

typedef struct eng__node {
    int type, capacity, pool;
    bool system;
    int id;
    int state;
    int64_t used_cpu, used_memory; /* requests of its API pods (DaemonSets counted apart) */
    int npods;
    sim_time image_at; /* when the API image is (or will be) on the node; SIM_NEVER: not yet */
    sim_time launched, ready_at, last_change, gone_at;
    sim_handle ev; /* launch completion, interruption notice, termination */
} eng__node;

/* ---------------------------------------------------------------- one replication */

#define ENG__NSERIES 32

typedef struct eng__run {
    const mdl_scenario *s;
    sim_engine *k;
    eng_rep *out;
    sim_rng *r_arrival, *r_mix, *r_cdn, *r_alb, *r_service, *r_queries, *r_query_time;
    sim_rng *r_pods, *r_nodes, *r_spot, *r_phase;
    sim_time end;
    double arrivals_total;
    int only_class;
    double static_hit, api_cacheable_hit; /* CloudFront's effective hit ratios */
    bool throttled;                       /* workers can want more CPU than the limit */
    bool track_cpu;                       /* pods' CPU use is read (HPA) or limited */

    /* pods: allocated one by one so that pointers stay valid as the array grows */
    eng__pod **pods;
    size_t npods, cappods;
    mdl_target *routes; /* the ALB's routable targets (ready, healthy, not terminating) */
    size_t nroutes;
    mdl_alb alb;
    int version; /* the Deployment's current generation */
    int desired; /* the Deployment's replicas (the HPA's output) */

    /* nodes: likewise */
    eng__node **nodes;
    size_t nnodes, capnodes;
    bool batch_open;
    sim_time batch_start, batch_last;
    sim_handle batch_ev;
    int spot_unavailable; /* open spot_unavailable windows */
    int disrupting[MDL_MAX_POOLS];

    /* HPA */
    mdl_hpa_state hpa;
    mdl_hpa_trace hpa_last;

    /* deploy in progress */
    const mdl_event *deploy;
    int deploy_phase;
    sim_handle deploy_ev;

    /* database */
    mdl_station *db;

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
    double iv_alb; /* requests through the ALB in the interval */
    double iv_db_area;
    sim_time iv_db_last;
    hist *iv_latency;
    ser_table *series;
} eng__run;

/* request.c */
eng__req *eng__req_alloc(eng__run *r);
void eng__req_release(eng__run *r, eng__req *q);
void eng__fail(eng__run *r, eng__req *q, mdl_cause cause);
void eng__schedule_first_arrival(eng__run *r);
void eng__pod_drop_queued(eng__run *r, eng__pod *p, mdl_cause cause);
void eng__pod_drop_serving(eng__run *r, eng__pod *p, mdl_cause cause);
void eng__pod_cpu_account(eng__run *r, eng__pod *p);
void eng__account(eng__run *r);

/* cluster.c: pods, nodes, routing */
int eng__cluster_init(eng__run *r, base_err *err);
void eng__cluster_free(eng__run *r);
void eng__route_add(eng__run *r, eng__pod *p);
void eng__route_remove(eng__run *r, eng__pod *p);
eng__pod *eng__pod_new(eng__run *r);                            /* Pending, not yet scheduled */
void eng__pod_schedule(eng__run *r, eng__pod *p);               /* kube-scheduler, else Karpenter */
void eng__pod_nominate(eng__run *r, eng__pod *p, eng__node *n); /* Karpenter's placement */
void eng__pod_terminate(eng__run *r, eng__pod *p);              /* SIGTERM, grace period */
void eng__pod_kill(eng__run *r, eng__pod *p);                   /* SIGKILL */
void eng__pod_idle(eng__run *r, eng__pod *p); /* a terminating pod with nothing left */
void eng__pod_oom(eng__run *r, eng__pod *p);
int eng__pods_ready(const eng__run *r);
int eng__pods_existing(const eng__run *r); /* not terminating or gone */
int eng__node_new(eng__run *r, int type, int capacity, int pool, bool system, bool ready_now);
void eng__node_gone(eng__run *r, eng__node *n);
void eng__node_disrupt(eng__run *r, eng__node *n, sim_time deadline);
void eng__spot_notice(eng__run *r, eng__node *n);

/* control.c: HPA, metrics-server, Karpenter batches, consolidation, Spot, deploys */
void eng__control_start(eng__run *r);
void eng__scale_to(eng__run *r, int replicas);
void eng__reconcile(eng__run *r); /* the ReplicaSet controller: pods to match `desired` */
void eng__pod_pending(eng__run *r, eng__pod *p);
int eng__provision(eng__run *r, bool immediate); /* Karpenter for the Pending pods */
void eng__deploy_reconcile(eng__run *r);

/* record.c: time series and metering */
int eng__record_init(eng__run *r, base_err *err);
void eng__record_start(eng__run *r);
void eng__record_finish(eng__run *r);
void eng__meter_node(eng__run *r, const eng__node *n, sim_time from, sim_time to);

#endif
