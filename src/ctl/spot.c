/*
 * spot.c — Spot interruptions and shortages: a storm of two-minute notices over a share of the
 * Spot nodes, and a spell when no Spot capacity can be launched (Karpenter's provisioning asks
 * spot_unavailable, karpenter.c). A Spot node's own interruption hazard is the node's, drawn when
 * the engine launches it (src/engine/cluster.c).
 */
#include "ctl/internal.h"

#include <math.h>
#include <stdint.h>

static bool storm_target(const ctl_node *n)
{
    return n->capacity == MDL_CAP_SPOT &&
           (n->phase == CTL_NODE_READY || n->phase == CTL_NODE_LAUNCHING);
}

void ctl__on_spot_storm(void *ctx, void *arg)
{
    ctl_plane *c = ctx;
    const ctl_ops *o = c->ops;
    const mdl_event *e = &c->s->events[CTL__ID(arg)];
    /* every Spot node draws; exactly round(share × count) get the notice, chosen at random */
    size_t n = 0;
    ctl_node nd;
    for (size_t i = 0; i < o->nnodes(c->cl); i++) {
        o->node(c->cl, i, &nd);
        n += storm_target(&nd);
    }
    size_t want = (size_t)llround(e->share * (double)n);
    for (size_t i = 0; i < o->nnodes(c->cl) && want > 0; i++) {
        o->node(c->cl, i, &nd);
        if (!storm_target(&nd))
            continue;
        /* selection sampling (Knuth, TAOCP vol. 2, Algorithm S) */
        if (sim_rng_uniform(c->r_spot) * (double)n < (double)want) {
            o->spot_notice(c->cl, i);
            want--;
        }
        n--;
    }
}

static void on_spot_back(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    c->spot_unavailable--;
}

void ctl__on_spot_gone(void *ctx, void *arg)
{
    ctl_plane *c = ctx;
    c->spot_unavailable++;
    sim_schedule(c->k, c->s->events[CTL__ID(arg)].duration, on_spot_back, c, NULL);
}
