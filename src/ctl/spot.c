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

/* every Spot node draws; exactly round(share × count) get the notice, chosen at random; a
 * notice drains that node alone: the others' phases stay as read */
void ctl__on_spot_storm(void *ctx, void *arg)
{
    ctl_plane *c = ctx;
    const mdl_event *e = &c->s->events[CTL__ID(arg)];
    ctl__sample_nodes(c, storm_target, e->share, SIZE_MAX, c->r_spot, c->ops->spot_notice);
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
