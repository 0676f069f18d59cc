/*
 * ctl.c — the control plane's life: made for a replication, its loops started at random phases,
 * the scenario's events scheduled; the Deployment's replicas and the HPA's trace for the
 * engine's record. The callbacks live in the files by idea: hpa.c, karpenter.c, deploy.c (the
 * ReplicaSet controller and rollouts), spot.c, faults.c; the DR region's is the engine's
 * (src/engine/region.c, a component), scheduled here among the others in their order.
 *
 * Each loop starts at a random phase within its period (drawn from the "control.phase" stream):
 * the real controllers are not synchronised with each other or with the load.
 */
#include "ctl/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

ctl_plane *ctl_new(const ctl_config *cfg)
{
    ctl_plane *c = base_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    const mdl_scenario *s = cfg->s;
    c->s = s;
    c->k = cfg->k;
    c->end = cfg->end;
    c->r_phase = cfg->phase;
    c->r_spot = cfg->spot;
    c->r_failover = cfg->failover;
    c->ops = cfg->ops;
    c->cl = cfg->cluster;
    c->region_failure = cfg->region_failure;
    c->region = cfg->region;
    c->deploy_ev = c->batch_ev = SIM_NO_EVENT;
    c->desired = s->api.replicas;
    if (s->hpa.enabled) {
        if (c->desired < s->hpa.min_replicas)
            c->desired = s->hpa.min_replicas;
        if (c->desired > s->hpa.max_replicas)
            c->desired = s->hpa.max_replicas;
    }
    return c;
}

void ctl_free(ctl_plane *c)
{
    if (!c)
        return;
    mdl_hpa_state_clear(&c->hpa);
    free(c->samples);
    free(c->pods);
    free(c->cpu);
    free(c);
}

bool ctl__read_pods(ctl_plane *c, size_t *n)
{
    size_t np = c->ops->npods(c->cl);
    ctl_pod *a = base_grow(c->pods, &c->cap_pods, np ? np : 1, sizeof *a, 64);
    if (!a)
        return false;
    c->pods = a;
    *n = c->ops->pods(c->cl, a);
    return true;
}

bool ctl__read_cpu(ctl_plane *c, size_t *n)
{
    size_t np = c->ops->npods(c->cl);
    ctl_pod_cpu *a = base_grow(c->cpu, &c->cap_cpu, np ? np : 1, sizeof *a, 64);
    if (!a)
        return false;
    c->cpu = a;
    *n = c->ops->pods_cpu(c->cl, a);
    return true;
}

ctl_node *ctl__read_nodes(ctl_plane *c, size_t *n)
{
    size_t nn = c->ops->nnodes(c->cl);
    ctl_node *a = base_malloc((nn ? nn : 1) * sizeof *a);
    if (!a)
        return NULL;
    *n = c->ops->nodes(c->cl, a);
    return a;
}

void ctl__sample_nodes(ctl_plane *c, bool (*target)(const ctl_node *), double share, size_t most,
                       sim_rng *rng, void (*act)(void *cl, size_t node))
{
    size_t nn, n = 0;
    ctl_node *nodes = ctl__read_nodes(c, &nn);
    if (!nodes) {
        c->ops->out_of_memory(c->cl);
        return;
    }
    for (size_t i = 0; i < nn; i++)
        n += target(&nodes[i]);
    size_t want = (size_t)llround(share * (double)n);
    if (want > most)
        want = most;
    for (size_t i = 0; i < nn && want > 0; i++) {
        if (!target(&nodes[i]))
            continue;
        /* selection sampling (Knuth, TAOCP vol. 2, Algorithm S) */
        if (sim_rng_uniform(rng) * (double)n < (double)want) {
            act(c->cl, nodes[i].id);
            want--;
        }
        n--;
    }
    free(nodes);
}

static sim_time phase(ctl_plane *c, sim_time period)
{
    return (sim_time)(sim_rng_uniform(c->r_phase) * (double)period);
}

void ctl_start(ctl_plane *c)
{
    const mdl_scenario *s = c->s;
    if (s->hpa.enabled) {
        sim_schedule(c->k, phase(c, s->metrics_resolution), ctl__on_scrape, c, NULL);
        sim_schedule(c->k, phase(c, s->hpa.sync_period), ctl__on_hpa_sync, c, NULL);
    }
    if (s->cluster.enabled)
        sim_schedule(c->k, phase(c, s->cluster.disruption_period), ctl__on_disruption, c, NULL);
    for (size_t i = 0; i < s->nevents; i++) {
        const mdl_event *e = &s->events[i];
        sim_fn fn = NULL;
        void *ctx = c; /* the control plane, but for the DR region's event: its own */
        switch (e->type) {
        case MDL_EVENT_SPOT_STORM: fn = ctl__on_spot_storm; break;
        case MDL_EVENT_SPOT_UNAVAILABLE: fn = ctl__on_spot_gone; break;
        case MDL_EVENT_DEPLOY: fn = ctl__on_deploy; break;
        case MDL_EVENT_DB_FAILOVER: fn = ctl__on_db_failover; break;
        case MDL_EVENT_CACHE_FAILOVER: fn = ctl__on_cache_failover; break;
        case MDL_EVENT_AZ_FAILURE: fn = ctl__on_az_failure; break;
        case MDL_EVENT_REGION_FAILURE:
            fn = c->region_failure;
            ctx = c->region;
            break;
        case MDL_EVENT_DATA_CORRUPTION: fn = ctl__on_data_corruption; break;
        case MDL_EVENT_ACCIDENTAL_DELETE: fn = ctl__on_accidental_delete; break;
        case MDL_EVENT_NODE_LOSS: fn = ctl__on_node_loss; break;
        }
        if (e->every > 0) { /* a random fault: Poisson occurrences from `at` to the end */
            sim_time t = e->at;
            for (;;) {
                t += (sim_time)(-log(1 - sim_rng_uniform(c->r_failover)) * (double)e->every);
                if (t >= c->end)
                    break;
                sim_schedule_at(c->k, t, fn, ctx, CTL__ARG(i));
            }
            continue;
        }
        sim_schedule_at(c->k, e->at, fn, ctx, CTL__ARG(i));
    }
}

int ctl_desired(const ctl_plane *c)
{
    return c->desired;
}

void ctl_set_desired(ctl_plane *c, int replicas)
{
    c->desired = replicas;
}

const mdl_hpa_trace *ctl_hpa_trace(const ctl_plane *c)
{
    return &c->hpa_last;
}

void ctl_hpa_reset(ctl_plane *c)
{
    mdl_hpa_state_clear(&c->hpa);
    memset(&c->hpa, 0, sizeof c->hpa);
}

void ctl_pod_unreachable(ctl_plane *c, size_t pod)
{
    if (pod < c->nsamples)
        c->samples[pod].has = false;
}
