/*
 * spot.c — Spot interruptions and shortages: a storm of two-minute notices over a share of the
 * Spot nodes, and a spell when no Spot capacity can be launched (Karpenter's provisioning asks
 * spot_unavailable, karpenter.c). A Spot node's own interruption hazard is the node's, drawn when
 * the engine launches it (src/engine/cluster.c).
 */
#include "ctl/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

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
    size_t nn;
    ctl_node *nodes = ctl__read_nodes(c, &nn);
    if (!nodes) {
        o->out_of_memory(c->cl);
        return;
    }
    /* every Spot node draws; exactly round(share × count) get the notice, chosen at random */
    size_t n = 0;
    for (size_t i = 0; i < nn; i++)
        n += storm_target(&nodes[i]);
    size_t want = (size_t)llround(e->share * (double)n);
    /* a notice drains that node alone: the others' phases stay as read */
    for (size_t i = 0; i < nn && want > 0; i++) {
        if (!storm_target(&nodes[i]))
            continue;
        /* selection sampling (Knuth, TAOCP vol. 2, Algorithm S) */
        if (sim_rng_uniform(c->r_spot) * (double)n < (double)want) {
            o->spot_notice(c->cl, nodes[i].id);
            want--;
        }
        n--;
    }
    free(nodes);
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
