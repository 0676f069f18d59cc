/*
 * internal.h — what the files of src/ctl/ share and nothing outside sees (ctl__ names): the
 * control plane's state for one replication and the entry points between its files by idea
 * (ctl.c starts the loops and schedules the scenario's events; hpa.c, deploy.c, karpenter.c,
 * spot.c and faults.c are the callbacks).
 */
#ifndef SIMULATE_CTL_INTERNAL_H
#define SIMULATE_CTL_INTERNAL_H

#include "ctl/ctl.h"

/* An event's index in the scenario's list as a callback's argument, and back */
#define CTL__ARG(i) ((void *)(intptr_t)(i))
#define CTL__ID(a)  ((int)(intptr_t)(a))

/* metrics-server's latest sample of a pod (a pod without one is all zero) */
struct ctl__sample {
    bool has;            /* a CPU rate has been read */
    bool seen_running;   /* the container was up at the previous scrape */
    sim_time time;       /* when it was read, ns */
    int64_t cpu;         /* millicores */
    int64_t memory;      /* bytes */
    double cpu_scraped;  /* the pod's core·ns at the previous scrape */
    sim_time scraped_at; /* when the previous scrape read it (the window's start), ns */
};

struct ctl_plane {
    const mdl_scenario *s;
    sim_engine *k;
    sim_time end;
    sim_rng *r_phase, *r_spot, *r_failover;
    const ctl_ops *ops;
    void *cl;
    sim_fn region_failure;
    void *region;

    /* the Deployment */
    int desired; /* its replicas (the HPA's output) */
    int version; /* its current generation */
    /* a deploy in progress */
    const mdl_event *deploy;
    int deploy_phase;
    sim_handle deploy_ev;

    /* metrics-server and the HPA */
    struct ctl__sample *samples; /* by pod index; those past nsamples have none */
    size_t nsamples;
    mdl_hpa_state hpa;
    mdl_hpa_trace hpa_last;

    /* what the last read of the pods gave (ctl__read_pods, ctl__read_cpu): each caller reads
     * it through before it acts on the cluster, whose operations may call back and read again */
    ctl_pod *pods;
    size_t cap_pods;
    ctl_pod_cpu *cpu;
    size_t cap_cpu;

    /* Karpenter's provisioning batch */
    bool batch_open;
    sim_time batch_start, batch_last;
    sim_handle batch_ev;
    int spot_unavailable; /* open spot_unavailable windows */
};

/* ctl.c: the pods not gone into c->pods (c->cpu), their number in *n; false out of memory.
 * The nodes not gone into a new array the caller frees; NULL out of memory. */
bool ctl__read_pods(ctl_plane *c, size_t *n);
bool ctl__read_cpu(ctl_plane *c, size_t *n);
ctl_node *ctl__read_nodes(ctl_plane *c, size_t *n);
/* Selection sampling over the nodes not gone that `target` accepts: of their number n,
 * round(share × n) but at most `most`, chosen at random in one pass drawing from `rng` (each
 * target one draw until enough are chosen), get `act` (a cluster operation, by node index) in
 * index order. A node acted on is not read again: `act` changes that node alone. Out of memory
 * reading the nodes: the engine's out_of_memory, and nothing acts. */
void ctl__sample_nodes(ctl_plane *c, bool (*target)(const ctl_node *), double share, size_t most,
                       sim_rng *rng, void (*act)(void *cl, size_t node));

/* hpa.c */
void ctl__on_scrape(void *ctx, void *arg);
void ctl__on_hpa_sync(void *ctx, void *arg);
/* karpenter.c */
void ctl__on_disruption(void *ctx, void *arg);
/* deploy.c */
void ctl__on_deploy(void *ctx, void *arg);
/* spot.c */
void ctl__on_spot_storm(void *ctx, void *arg);
void ctl__on_spot_gone(void *ctx, void *arg);
/* faults.c */
void ctl__on_db_failover(void *ctx, void *arg);
void ctl__on_data_corruption(void *ctx, void *arg);
void ctl__on_accidental_delete(void *ctx, void *arg);
void ctl__on_cache_failover(void *ctx, void *arg);
void ctl__on_az_failure(void *ctx, void *arg);
void ctl__on_node_loss(void *ctx, void *arg);

#endif
