/*
 * ctl.h — the control plane (ctl_ names): metrics-server and the HorizontalPodAutoscaler, the
 * Deployment's controllers (the ReplicaSet controller, rollouts), Karpenter's provisioning
 * batches and consolidation, Spot storms and shortages, and the failures of the seed's HA table
 * within the region, as discrete events on the engine's kernel. Decisions are the model's
 * (model/hpa.c, model/karpenter.c); this room feeds them what the real controllers would see and
 * carries them out.
 *
 * Its state is opaque (ctl_new/ctl_free). It never sees the engine's run: the engine hands it a
 * const table of cluster operations (ctl_ops) over an opaque context, through which it reads the
 * pods and nodes (ctl_pod, ctl_node: the views of all that are not gone, one call each read)
 * and acts on them (add a pod, terminate one, launch, drain or lose a node, fail the database
 * over ...). Every event callback of this room takes the ctl_plane as its context. The pods'
 * and nodes' life cycle itself (how a pod starts, becomes Ready, is routed to and goes) is the
 * engine's (src/engine/cluster.c): both engines walk those pods every request or step
 * (docs/architecture.md, "The control plane").
 *
 * Data flows engine -> ctl -> model -> kernel: this header includes the model and the kernel,
 * nothing of the engine.
 */
#ifndef SIMULATE_CTL_CTL_H
#define SIMULATE_CTL_CTL_H

#include "base/base.h"
#include "kernel/sim.h"
#include "model/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A pod's phase, in the order of its life (the engine's pods use these values; comparisons such
 * as "before Running" are by this order). */
enum ctl_pod_phase {
    CTL_POD_PENDING,     /* created, not placed on a node */
    CTL_POD_BOUND,       /* placed on a node that is still launching */
    CTL_POD_STARTING,    /* pulling the image, starting the container */
    CTL_POD_RUNNING,     /* container up, readiness probe not yet passed */
    CTL_POD_READY,       /* Ready: an endpoint */
    CTL_POD_TERMINATING, /* SIGTERM: in-flight requests finish until the grace ends */
    CTL_POD_CRASHED,     /* OOM-killed or its node unreachable, waiting */
    CTL_POD_GONE
};

enum ctl_node_phase { CTL_NODE_LAUNCHING, CTL_NODE_READY, CTL_NODE_DISRUPTING, CTL_NODE_GONE };

/* What the control plane sees of a pod. */
typedef struct ctl_pod {
    size_t id;                              /* its index among the engine's pods */
    int phase;                              /* enum ctl_pod_phase */
    int node;                               /* index of its node, -1 when none */
    int version;                            /* the Deployment's generation it belongs to */
    sim_time created, started, ready_since; /* ns; started 0: not yet */
} ctl_pod;

/* What metrics-server reads of a pod. */
typedef struct ctl_pod_cpu {
    size_t id;      /* its index among the engine's pods */
    int phase;      /* enum ctl_pod_phase */
    int in_service; /* requests holding a worker; 0 unless its container runs */
    double cpu;     /* core·ns used since it started, brought up to now; 0 unless its container
                     * runs (Running, Ready, Terminating) */
} ctl_pod_cpu;

/* What the control plane sees of a node. */
typedef struct ctl_node {
    size_t id;                     /* its index among the engine's nodes */
    int phase;                     /* enum ctl_node_phase */
    int type;                      /* index in the scenario's catalog */
    int capacity;                  /* MDL_CAP_* */
    int pool;                      /* NodePool index, -1: the system node group */
    int az;                        /* 0..MDL_AZS-1 */
    bool system;                   /* the system node group: never an API pod */
    int npods;                     /* API pods bound to it */
    int64_t used_cpu, used_memory; /* requests of its API pods, millicores and bytes */
    sim_time last_change;          /* a pod bound or left, ns */
} ctl_node;

/* The cluster operations the engine hands the control plane: each takes the engine's context
 * (`cl`, ctl_config.cluster) first. Pods and nodes are named by their index. The engine's
 * operations may call back into this room (a pod that finds no room joins Karpenter's batch,
 * ctl_pod_pending; a node that empties makes the ReplicaSet controller reconcile).
 *
 * The reads answer a whole question in one call: every pod (or node) that is not gone, by
 * increasing index, into the caller's `out` (room for npods, nnodes), their number returned. A
 * read per pod was an indirect call per pod, and most of a long day's pods are gone. */
typedef struct ctl_ops {
    /* what it reads */
    size_t (*npods)(const void *cl);                /* pods ever made: one past the largest index */
    size_t (*pods)(void *cl, ctl_pod *out);         /* the pods not gone */
    size_t (*pods_cpu)(void *cl, ctl_pod_cpu *out); /* ... their CPU brought up to now */
    int (*pods_existing)(const void *cl);           /* neither terminating nor gone */
    size_t (*nnodes)(const void *cl);               /* nodes ever made */
    size_t (*nodes)(const void *cl, ctl_node *out); /* the nodes not gone */
    bool (*schedule_stopped)(const void *cl);       /* a schedule: has scaled it to 0 */
    bool (*region_down)(const void *cl);            /* no region to launch in (the DR runbook) */
    /* the pods and nodes */
    int (*pod_add)(void *cl, int version);      /* a new pod, scheduled now; < 0: out of memory */
    void (*pod_schedule)(void *cl, size_t pod); /* a Pending pod: kube-scheduler, again */
    void (*pod_nominate)(void *cl, size_t pod, int node); /* Karpenter's placement */
    void (*pod_terminate)(void *cl, size_t pod);          /* SIGTERM, grace period */
    /* a Karpenter node of `type` launching now (`immediate`: Ready now); its index, < 0: out of
     * memory */
    int (*node_new)(void *cl, int type, int capacity, int pool, bool immediate);
    void (*node_disrupt)(void *cl, size_t node); /* cordon and drain, no deadline */
    void (*node_lost)(void *cl, size_t node);    /* gone without notice */
    void (*spot_notice)(void *cl, size_t node);  /* the two-minute interruption notice */
    bool (*az_fail)(void *cl, int az);           /* marks it down; false: it already was */
    /* the failures' record and the data tier */
    int (*fault)(void *cl, mdl_event_type type, double rpo_s); /* its index, < 0: list full */
    void (*fault_rpo)(void *cl, int fault, double rpo_s);
    void (*db_failover)(void *cl);
    void (*db_outage)(void *cl, sim_time down);
    void (*cache_failover)(void *cl);
    /* the HPA changed the replicas at `now` (the report's scale events) */
    void (*scale_event)(void *cl, sim_time now, int from, int to, int cpu_pct); /* percent */
    void (*out_of_memory)(void *cl); /* stops the run: it fails with BASE_ENOMEM */
} ctl_ops;

typedef struct ctl_config {
    const mdl_scenario *s;
    sim_engine *k;
    sim_time end; /* the run's end, ns: random failures are drawn up to it */
    /* the replication's streams (named by the engine: "control.phase", "spot", "failover");
     * each keeps its draws in the order they had */
    sim_rng *phase, *spot, *failover;
    const ctl_ops *ops;
    void *cluster; /* the ops' context */
    /* the DR region's event (a component of the engine), scheduled with the scenario's others
     * in their order, with its own context */
    sim_fn region_failure;
    void *region;
} ctl_config;

typedef struct ctl_plane ctl_plane;

/* The control plane for one replication; NULL when out of memory. It keeps the pointers of
 * `cfg` (the ops and streams must outlive it). Free with ctl_free. */
ctl_plane *ctl_new(const ctl_config *cfg);
void ctl_free(ctl_plane *c);
/* The run begins: the loops at random phases within their periods, the scenario's events. */
void ctl_start(ctl_plane *c);

/* The Deployment's replicas (the HPA's output, within its bounds from the start) */
int ctl_desired(const ctl_plane *c);
/* ... set without reconciling (the DR runbook's warm size) */
void ctl_set_desired(ctl_plane *c, int replicas);
/* The HPA's latest sync (the series' columns) */
const mdl_hpa_trace *ctl_hpa_trace(const ctl_plane *c);
/* A fresh HPA history (the DR region's own autoscaler) */
void ctl_hpa_reset(ctl_plane *c);
/* metrics-server can no longer reach pod `pod` (its node was lost): no sample until it runs. */
void ctl_pod_unreachable(ctl_plane *c, size_t pod);

/* The ReplicaSet controller: pods to match the replicas (through a deploy's rollout while one
 * runs); scale to `replicas` and reconcile. */
void ctl_reconcile(ctl_plane *c);
void ctl_scale_to(ctl_plane *c, int replicas);
/* A pod became Ready: a rollout in progress may take its next step. */
void ctl_deploy_reconcile(ctl_plane *c);

/* A pod found no room: it joins (or opens) Karpenter's provisioning batch. */
void ctl_pod_pending(ctl_plane *c);
/* Karpenter launches nodes for the Pending pods now (`immediate`: Ready now, the steady state
 * of a start). BASE_OK, BASE_EINPUT (some pod fits no instance type) or BASE_ENOMEM. */
int ctl_provision(ctl_plane *c, bool immediate);

#endif
