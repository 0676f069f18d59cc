/*
 * cluster.h — the API's pods, the HPA, NodePools and the cluster (nodes, Karpenter, Spot).
 * Part of model.h, the public face of src/model/ (include that); a header of its own so that
 * a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_CLUSTER_H
#define SIMULATE_MODEL_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"
#include "model/classes.h"
#include "cost/catalog.h"

/* Architectures and capacity types, as masks: a NodePool's requirements, a pod's nodeSelector,
 * a node's capacity and (arch) a catalog's instance type. */
enum { MDL_ARCH_AMD64 = 1, MDL_ARCH_ARM64 = 2 };  /* bit masks */
enum { MDL_CAP_SPOT = 1, MDL_CAP_ON_DEMAND = 2 }; /* bit masks */

#define MDL_MAX_POOLS    8
#define MDL_MAX_FAMILIES 16

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
    /* spec.limits: the most vCPUs (memory) of the nodes it has launched, launching ones
     * included; false: no limit (Karpenter's default when spec.limits is unset) */
    bool limit_cpu_set, limit_memory_set;
    int64_t limit_cpu;    /* millicores (limits.cpu: 1000 = 1 vCPU) */
    int64_t limit_memory; /* bytes */
} mdl_nodepool;

/* ---------------------------------------------------------------- the cluster and its events */

/* The nodes, Karpenter and Spot. */
typedef struct mdl_cluster_config {
    bool enabled;               /* false: pods need no node and start Ready (queueing checks) */
    cost_catalog catalog;       /* from the pricing file */
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

#endif
