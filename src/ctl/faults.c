/*
 * faults.c — the failures of the seed's HA table inside one region, as events: a database
 * instance failover, data corruption, an accidental delete, a cache failover, an AZ lost, nodes
 * lost; each recorded with its RPO (ctl_ops.fault, the engine's record) and its RTO measured by
 * the engine at the end. The region's loss and the switch to the DR region are the engine's DR
 * component (src/engine/region.c). Random parts are drawn from the "failover" stream, in the
 * order they always were.
 */
#include "ctl/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* An instance failure (seed §6.3): the Multi-AZ standby is synchronous, nothing is lost. */
void ctl__on_db_failover(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    c->ops->fault(c->cl, MDL_EVENT_DB_FAILOVER, 0);
    c->ops->db_failover(c->cl);
}

/* Data corruption: the database restored by point-in-time recovery to just before it; RDS
 * keeps its latest restorable time within the last five minutes (transaction logs shipped
 * every five minutes: RDS user guide), so up to five minutes of writes go — uniform. */
void ctl__on_data_corruption(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    c->ops->fault(c->cl, MDL_EVENT_DATA_CORRUPTION, 300.0 * sim_rng_uniform(c->r_failover));
    c->ops->db_outage(c->cl, sim_dist_sample(&c->s->db.restore_time, c->r_failover));
}

/* Accidental deletion: restored from the latest automated snapshot, taken once a day in the
 * backup window (RDS user guide, "Backup window"): up to a day of writes go — uniform. */
void ctl__on_accidental_delete(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    c->ops->fault(c->cl, MDL_EVENT_ACCIDENTAL_DELETE, 86400.0 * sim_rng_uniform(c->r_failover));
    c->ops->db_outage(c->cl, sim_dist_sample(&c->s->db.snapshot_restore_time, c->r_failover));
}

void ctl__on_cache_failover(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    c->ops->cache_failover(c->cl);
}

/* An AZ is lost at once: its nodes and their pods (requests in them fail; the Deployment
 * replaces the pods and Karpenter launches in the other AZs), and in AZ a the primaries.
 * RPO: a synchronous standby (RDS Multi-AZ, Aurora's shared volume) loses nothing; a Single-AZ
 * instance comes back by point-in-time restore to its latest restorable time, which RDS keeps
 * within the last five minutes (it uploads transaction logs every five minutes: RDS user guide,
 * "Restoring a DB instance to a specified time") — uniform over those five minutes. */
void ctl__on_az_failure(void *ctx, void *arg)
{
    ctl_plane *c = ctx;
    const ctl_ops *o = c->ops;
    const mdl_scenario *s = c->s;
    const mdl_event *e = &s->events[CTL__ID(arg)];
    if (!o->az_fail(c->cl, e->az))
        return;
    int f = o->fault(c->cl, MDL_EVENT_AZ_FAILURE, 0);
    size_t nn;
    ctl_node *nodes = ctl__read_nodes(c, &nn);
    if (!nodes) {
        o->out_of_memory(c->cl);
        return;
    }
    for (size_t i = 0; i < nn; i++) /* a node lost takes its own pods alone */
        if (nodes[i].az == e->az)
            o->node_lost(c->cl, nodes[i].id);
    free(nodes);
    if (e->az != 0)
        return;
    if (s->db.enabled && s->db.engine != MDL_DB_QUEUE) {
        if (s->db.engine == MDL_DB_RDS && !s->db.multi_az) {
            o->db_outage(c->cl, sim_dist_sample(&s->db.restore_time, c->r_failover));
            double rpo = 300.0 * sim_rng_uniform(c->r_failover);
            if (f >= 0)
                o->fault_rpo(c->cl, f, rpo);
        } else {
            o->db_failover(c->cl);
        }
    }
    if (s->redis.enabled)
        o->cache_failover(c->cl);
    ctl_reconcile(c);
}

static bool loss_target(const ctl_node *n)
{
    return !n->system && n->phase == CTL_NODE_READY;
}

/* Karpenter nodes lost at once (a hardware fault, a kernel panic): `count` of them at random
 * (selection sampling, as for a Spot storm); the requests in their pods fail, the Deployment
 * replaces the pods and Karpenter the capacity. */
void ctl__on_node_loss(void *ctx, void *arg)
{
    ctl_plane *c = ctx;
    const mdl_event *e = &c->s->events[CTL__ID(arg)];
    ctl__sample_nodes(c, loss_target, 1.0, (size_t)e->count, c->r_failover, c->ops->node_lost);
}
