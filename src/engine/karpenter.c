/*
 * karpenter.c — Karpenter as discrete events: pods that found no room gather into a
 * provisioning batch (BATCH_IDLE_DURATION, capped by BATCH_MAX_DURATION) whose launches become
 * nodes, and periodic consolidation passes disrupt nodes it can do without. The decisions are
 * the model's (model/karpenter.c); this file feeds it the cluster's state and carries them out.
 */
#include "engine/internal.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- Karpenter: provisioning */

static bool spot_available(void *ctx, int type)
{
    (void)type;
    const eng__run *r = ctx;
    return r->spot_unavailable == 0;
}

static void on_batch(void *ctx, void *arg);

/* A pod found no room: it joins (or opens) Karpenter's batch. */
void eng__pod_pending(eng__run *r, eng__pod *p)
{
    (void)p;
    sim_time now = sim_now(r->k);
    r->batch_last = now;
    if (r->batch_open)
        return;
    r->batch_open = true;
    r->batch_start = now;
    r->batch_ev = sim_schedule(r->k, r->s->cluster.batch_idle, on_batch, r, NULL);
}

int eng__provision(eng__run *r, bool immediate)
{
    if (eng__dr_region_down(r->dr))
        return BASE_OK; /* no region to launch in until the DR region takes over */
    const mdl_cluster_config *c = &r->s->cluster;
    size_t np = 0;
    for (size_t i = 0; i < r->npods; i++)
        np += r->pods[i]->state == P_PENDING;
    if (np == 0)
        return BASE_OK;
    mdl_pod_need *need = malloc(np * sizeof *need);
    int *ids = malloc(np * sizeof *ids);
    size_t *index = malloc(np * sizeof *index);
    mdl_launch *launch = malloc(np * sizeof *launch);
    if (!need || !ids || !index || !launch) {
        free(need), free(ids), free(index), free(launch);
        return BASE_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->npods; i++) {
        if (r->pods[i]->state != P_PENDING)
            continue;
        ids[k] = (int)i;
        need[k] = mdl_api_pod_need(&r->s->api);
        k++;
    }
    mdl_pod_need overhead = mdl_daemonset_need(c);
    size_t unplaceable = 0;
    mdl_provision_batch batch = {.catalog = &c->catalog,
                                 .pools = c->pools,
                                 .npools = c->npools,
                                 .overhead = &overhead,
                                 .pods = need,
                                 .npods = np,
                                 .spot_available = spot_available,
                                 .spot_ctx = r};
    int nl = mdl_karpenter_provision(&batch, launch, np, index, &unplaceable);
    int st = BASE_OK;
    if (nl < 0) {
        st = BASE_EINPUT; /* some pod fits nowhere: they stay Pending */
    } else {
        for (int l = 0; l < nl; l++) {
            int node = eng__node_new(r, launch[l].type, launch[l].capacity, launch[l].pool, false,
                                     immediate);
            if (node < 0) {
                st = BASE_ENOMEM;
                break;
            }
            for (size_t j = 0; j < launch[l].count; j++) {
                eng__pod *p = r->pods[ids[index[launch[l].first + j]]];
                eng__pod_nominate(r, p, r->nodes[node]);
            }
        }
    }
    free(need), free(ids), free(index), free(launch);
    return st;
}

static void on_batch(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    sim_time now = sim_now(r->k);
    const mdl_cluster_config *c = &r->s->cluster;
    sim_time idle_end = r->batch_last + c->batch_idle, max_end = r->batch_start + c->batch_max;
    if (now < idle_end && now < max_end) {
        /* more pods came: the window stays open (BATCH_IDLE_DURATION, capped by _MAX_) */
        r->batch_ev =
            sim_schedule_at(r->k, idle_end < max_end ? idle_end : max_end, on_batch, r, NULL);
        return;
    }
    r->batch_open = false;
    r->batch_ev = SIM_NO_EVENT;
    /* pods may have found room meanwhile (a node became Ready, pods left) */
    for (size_t i = 0; i < r->npods; i++)
        if (r->pods[i]->state == P_PENDING) {
            eng__pod *p = r->pods[i];
            eng__pod_schedule(r, p);
        }
    if (r->batch_open) {
        /* eng__pod_schedule re-opened a batch for pods that still fit nowhere: launch now */
        sim_cancel(r->k, r->batch_ev);
        r->batch_open = false;
        r->batch_ev = SIM_NO_EVENT;
    }
    int st = eng__provision(r, false);
    if (st == BASE_ENOMEM) {
        r->oom = 1;
        sim_stop(r->k);
    }
    /* pods that fit no launch (no capacity type allowed right now) are retried later */
    for (size_t i = 0; i < r->npods; i++)
        if (r->pods[i]->state == P_PENDING) {
            r->batch_open = true;
            r->batch_start = r->batch_last = now;
            r->batch_ev = sim_schedule(r->k, c->disruption_period, on_batch, r, NULL);
            break;
        }
}

/* ---------------------------------------------------------------- Karpenter: consolidation */

void eng__on_disruption(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_cluster_config *c = &r->s->cluster;
    size_t nn = r->nnodes, np = r->npods;
    mdl_node_view *view = calloc(nn ? nn : 1, sizeof *view);
    mdl_pod_need *pods = calloc(np ? np : 1, sizeof *pods);
    size_t *chosen = calloc(nn ? nn : 1, sizeof *chosen);
    int *which = calloc(nn ? nn : 1, sizeof *which);
    if (!view || !pods || !chosen || !which) {
        free(view), free(pods), free(chosen), free(which);
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    /* pods per node in one pass (the view needs them grouped by node; scanning every pod for
     * every node was quadratic, and days with a thousand pods on hundreds of nodes felt it) */
    size_t *per = calloc(nn ? nn : 1, sizeof *per);
    if (!per) {
        free(view), free(pods), free(chosen), free(which);
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    for (size_t j = 0; j < np; j++) {
        const eng__pod *p = r->pods[j];
        if (p->state != P_GONE && p->node >= 0 && (size_t)p->node < nn)
            per[p->node]++;
    }
    size_t v = 0, k = 0;
    for (size_t i = 0; i < nn; i++) {
        eng__node *n = r->nodes[i];
        if (n->state == N_GONE || n->system)
            continue;
        const cost_instance_type *t = &c->catalog.types[n->type];
        mdl_node_view *nv = &view[v];
        which[v++] = (int)i;
        nv->type = n->type;
        nv->capacity = n->capacity;
        nv->pool = n->pool;
        nv->ready = n->state == N_READY;
        nv->do_not_disrupt = false;
        nv->last_change = n->last_change;
        nv->free_cpu = t->alloc_cpu - c->daemonset_cpu - n->used_cpu;
        nv->free_memory = t->alloc_memory - c->daemonset_memory - n->used_memory;
        nv->free_pods = t->max_pods - 2 - n->npods;
        nv->first_pod = k;
        for (size_t j = 0; j < per[i]; j++) { /* the API's pods are all alike */
            pods[k].cpu = r->s->api.cpu_request;
            pods[k].memory = r->s->api.memory_request;
            pods[k].arch = r->s->api.arch;
            pods[k].spot_ok = r->s->api.spot_ok;
            k++;
        }
        nv->npods = k - nv->first_pod;
    }
    free(per);
    size_t m = mdl_karpenter_consolidate(&c->catalog, c->pools, c->npools, view, v, pods,
                                         r->disrupting, sim_now(r->k), chosen, v);
    for (size_t i = 0; i < m; i++)
        eng__node_disrupt(r, r->nodes[which[chosen[i]]], SIM_NEVER);
    free(view), free(pods), free(chosen), free(which);
    sim_schedule(r->k, c->disruption_period, eng__on_disruption, r, NULL);
}
