/*
 * karpenter.c — Karpenter as discrete events: pods that found no room gather into a
 * provisioning batch (BATCH_IDLE_DURATION, capped by BATCH_MAX_DURATION) whose launches become
 * nodes, and periodic consolidation passes disrupt nodes it can do without. The decisions are
 * the model's (model/karpenter.c); this file feeds it the cluster's state, read through the
 * engine's operations, and carries them out.
 */
#include "ctl/internal.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- Karpenter: provisioning */

static bool spot_available(void *ctx, int type)
{
    (void)type;
    const ctl_plane *c = ctx;
    return c->spot_unavailable == 0;
}

static void on_batch(void *ctx, void *arg);

/* What each NodePool's nodes not yet gone (launching and disrupting ones included) have, into
 * cpu (millicores) and memory (bytes), when some pool has limits (else nothing is read: false
 * with *limited false). Karpenter counts a pool's nodes' capacity against its limits
 * (kubernetes-sigs/karpenter scheduler.go calculateExistingNodeClaims: remainingResources less
 * each state node's Capacity(), in-flight NodeClaims included). False out of memory. */
static bool pool_usage(ctl_plane *c, int64_t *cpu, int64_t *memory, bool *limited)
{
    const mdl_cluster_config *cc = &c->s->cluster;
    *limited = mdl_nodepools_limited(cc);
    if (!*limited)
        return true;
    size_t nn = 0;
    ctl_node *nodes = ctl__read_nodes(c, &nn);
    if (!nodes)
        return false;
    for (size_t i = 0; i < nn; i++) {
        const ctl_node *n = &nodes[i];
        if (n->system || n->pool < 0 || (size_t)n->pool >= cc->npools)
            continue;
        cpu[n->pool] += (int64_t)cc->catalog.types[n->type].vcpu * 1000;
        memory[n->pool] += cc->catalog.types[n->type].memory;
    }
    free(nodes);
    return true;
}

void ctl_pod_pending(ctl_plane *c)
{
    sim_time now = sim_now(c->k);
    c->batch_last = now;
    if (c->batch_open)
        return;
    c->batch_open = true;
    c->batch_start = now;
    c->batch_ev = sim_schedule(c->k, c->s->cluster.batch_idle, on_batch, c, NULL);
}

int ctl_provision(ctl_plane *c, bool immediate)
{
    const ctl_ops *o = c->ops;
    if (o->region_down(c->cl))
        return BASE_OK; /* no region to launch in until the DR region takes over */
    const mdl_cluster_config *cc = &c->s->cluster;
    size_t np = 0, npods;
    if (!ctl__read_pods(c, &npods))
        return BASE_ENOMEM;
    for (size_t i = 0; i < npods; i++)
        np += c->pods[i].phase == CTL_POD_PENDING;
    if (np == 0)
        return BASE_OK;
    mdl_pod_need *need = base_malloc(np * sizeof *need);
    size_t *ids = base_malloc(np * sizeof *ids);
    size_t *index = base_malloc(np * sizeof *index);
    mdl_launch *launch = base_malloc(np * sizeof *launch);
    if (!need || !ids || !index || !launch) {
        free(need), free(ids), free(index), free(launch);
        return BASE_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < npods; i++) {
        if (c->pods[i].phase != CTL_POD_PENDING)
            continue;
        ids[k] = c->pods[i].id;
        need[k] = mdl_api_pod_need(&c->s->api);
        k++;
    }
    mdl_pod_need overhead = mdl_daemonset_need(cc);
    int64_t pool_cpu[MDL_MAX_POOLS] = {0}, pool_memory[MDL_MAX_POOLS] = {0};
    bool limited;
    if (!pool_usage(c, pool_cpu, pool_memory, &limited)) {
        free(need), free(ids), free(index), free(launch);
        return BASE_ENOMEM;
    }
    size_t unplaceable = 0;
    mdl_provision_batch batch = {.catalog = &cc->catalog,
                                 .pools = cc->pools,
                                 .npools = cc->npools,
                                 .overhead = &overhead,
                                 .pods = need,
                                 .npods = np,
                                 .spot_available = spot_available,
                                 .spot_ctx = c,
                                 .pool_cpu = limited ? pool_cpu : NULL,
                                 .pool_memory = limited ? pool_memory : NULL};
    int nl = mdl_karpenter_provision(&batch, launch, np, index, &unplaceable);
    int st = BASE_OK;
    if (nl == MDL_KARPENTER_ENOMEM) {
        st = BASE_ENOMEM;
    } else if (nl < 0) {
        st = BASE_EINPUT; /* some pod fits nowhere: they stay Pending */
    } else {
        for (int l = 0; l < nl; l++) {
            int node =
                o->node_new(c->cl, launch[l].type, launch[l].capacity, launch[l].pool, immediate);
            if (node < 0) {
                st = BASE_ENOMEM;
                break;
            }
            for (size_t j = 0; j < launch[l].count; j++)
                o->pod_nominate(c->cl, ids[index[launch[l].first + j]], node);
        }
    }
    free(need), free(ids), free(index), free(launch);
    return st;
}

/* The pods Pending now, by increasing index, into a new array the caller frees (*n of them);
 * NULL out of memory. */
static size_t *pending_pods(ctl_plane *c, size_t *n)
{
    size_t np;
    if (!ctl__read_pods(c, &np))
        return NULL;
    size_t *ids = base_malloc((np ? np : 1) * sizeof *ids);
    if (!ids)
        return NULL;
    *n = 0;
    for (size_t i = 0; i < np; i++)
        if (c->pods[i].phase == CTL_POD_PENDING)
            ids[(*n)++] = c->pods[i].id;
    return ids;
}

static void on_batch(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    const ctl_ops *o = c->ops;
    sim_time now = sim_now(c->k);
    const mdl_cluster_config *cc = &c->s->cluster;
    sim_time idle_end = c->batch_last + cc->batch_idle, max_end = c->batch_start + cc->batch_max;
    if (now < idle_end && now < max_end) {
        /* more pods came: the window stays open (BATCH_IDLE_DURATION, capped by _MAX_) */
        c->batch_ev =
            sim_schedule_at(c->k, idle_end < max_end ? idle_end : max_end, on_batch, c, NULL);
        return;
    }
    c->batch_open = false;
    c->batch_ev = SIM_NO_EVENT;
    /* pods may have found room meanwhile (a node became Ready, pods left); the scheduler
     * places one pod at a time and touches no other pod's phase, so the list is read first */
    size_t np;
    size_t *ids = pending_pods(c, &np);
    if (!ids) {
        o->out_of_memory(c->cl);
        return;
    }
    for (size_t i = 0; i < np; i++)
        o->pod_schedule(c->cl, ids[i]);
    free(ids);
    if (c->batch_open) {
        /* the scheduler re-opened a batch for pods that still fit nowhere: launch now */
        sim_cancel(c->k, c->batch_ev);
        c->batch_open = false;
        c->batch_ev = SIM_NO_EVENT;
    }
    int st = ctl_provision(c, false);
    if (st == BASE_ENOMEM)
        o->out_of_memory(c->cl);
    /* pods that fit no launch (no capacity type allowed right now) are retried later */
    if (!(ids = pending_pods(c, &np))) {
        o->out_of_memory(c->cl);
        return;
    }
    free(ids);
    if (np > 0) {
        c->batch_open = true;
        c->batch_start = c->batch_last = now;
        c->batch_ev = sim_schedule(c->k, cc->disruption_period, on_batch, c, NULL);
    }
}

/* ---------------------------------------------------------------- Karpenter: consolidation */

void ctl__on_disruption(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    const ctl_ops *o = c->ops;
    const mdl_cluster_config *cc = &c->s->cluster;
    size_t nn = 0, np = o->npods(c->cl);
    ctl_node *nodes = ctl__read_nodes(c, &nn);
    mdl_node_view *view = base_calloc(nn ? nn : 1, sizeof *view);
    mdl_pod_need *pods = base_calloc(np ? np : 1, sizeof *pods);
    size_t *chosen = base_calloc(nn ? nn : 1, sizeof *chosen);
    size_t *which = base_calloc(nn ? nn : 1, sizeof *which);
    if (!nodes || !view || !pods || !chosen || !which) {
        free(nodes), free(view), free(pods), free(chosen), free(which);
        o->out_of_memory(c->cl);
        return;
    }
    /* the nodes each NodePool is disrupting now (its budget counts them) */
    int disrupting[MDL_MAX_POOLS] = {0};
    size_t v = 0, k = 0;
    for (size_t i = 0; i < nn; i++) {
        const ctl_node *n = &nodes[i];
        if (n->phase == CTL_NODE_DISRUPTING && n->pool >= 0 && n->pool < MDL_MAX_POOLS)
            disrupting[n->pool]++;
        if (n->system)
            continue;
        const cost_instance_type *t = &cc->catalog.types[n->type];
        mdl_node_view *nv = &view[v];
        which[v++] = n->id;
        nv->type = n->type;
        nv->capacity = n->capacity;
        nv->pool = n->pool;
        nv->ready = n->phase == CTL_NODE_READY;
        nv->do_not_disrupt = false;
        nv->last_change = n->last_change;
        nv->free_cpu = t->alloc_cpu - cc->daemonset_cpu - n->used_cpu;
        nv->free_memory = t->alloc_memory - cc->daemonset_memory - n->used_memory;
        nv->free_pods = t->max_pods - 2 - n->npods;
        nv->first_pod = k;
        /* its API pods (every pod bound to it and not gone), all alike */
        for (int j = 0; j < n->npods; j++) {
            pods[k].cpu = c->s->api.cpu_request;
            pods[k].memory = c->s->api.memory_request;
            pods[k].arch = c->s->api.arch;
            pods[k].spot_ok = c->s->api.spot_ok;
            k++;
        }
        nv->npods = k - nv->first_pod;
    }
    size_t m = mdl_karpenter_consolidate(&cc->catalog, cc->pools, cc->npools, view, v, pods,
                                         disrupting, sim_now(c->k), chosen, v);
    for (size_t i = 0; i < m; i++)
        o->node_disrupt(c->cl, which[chosen[i]]);
    free(nodes), free(view), free(pods), free(chosen), free(which);
    sim_schedule(c->k, cc->disruption_period, ctl__on_disruption, c, NULL);
}
