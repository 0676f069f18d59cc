/*
 * faults.c — the failures of the seed's HA table inside one region, as events: a database
 * instance failover, data corruption, an accidental delete, a cache failover, an AZ lost, nodes
 * lost; each recorded with its RPO (eng__note_fault) and its RTO measured at the end (record.c).
 * The region's loss and the switch to the DR region are region.c's.
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>

/* A failure of the seed's HA table starts: recorded with its RPO, its RTO measured at the end
 * (record.c). NULL when the list is full (counted, not measured). */
eng_fault *eng__note_fault(eng__run *r, mdl_event_type type, double rpo_s)
{
    eng_rep *o = r->out;
    if (r->fault_at < 0)
        r->fault_at = sim_now(r->k);
    if (o->nfaults == ENG_MAX_FAULTS) {
        o->faults_dropped++;
        return NULL;
    }
    eng_fault *f = &o->faults[o->nfaults++];
    f->type = (int)type;
    f->at_s = sim_to_sec(sim_now(r->k));
    f->rpo_s = rpo_s;
    f->rto_s = f->lost_writes = f->first_served_s = f->failed = f->rto_latency_s = NAN;
    return f;
}

/* An instance failure (seed §6.3): the Multi-AZ standby is synchronous, nothing is lost. */
void eng__on_db_failover(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    eng__note_fault(r, MDL_EVENT_DB_FAILOVER, 0);
    eng__db_failover(r);
}

/* Data corruption: the database restored by point-in-time recovery to just before it; RDS
 * keeps its latest restorable time within the last five minutes (transaction logs shipped
 * every five minutes: RDS user guide), so up to five minutes of writes go — uniform. */
void eng__on_data_corruption(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    eng__note_fault(r, MDL_EVENT_DATA_CORRUPTION, 300.0 * sim_rng_uniform(r->r_failover));
    eng__db_outage(r, sim_dist_sample(&r->s->db.restore_time, r->r_failover));
}

/* Accidental deletion: restored from the latest automated snapshot, taken once a day in the
 * backup window (RDS user guide, "Backup window"): up to a day of writes go — uniform. */
void eng__on_accidental_delete(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    eng__note_fault(r, MDL_EVENT_ACCIDENTAL_DELETE, 86400.0 * sim_rng_uniform(r->r_failover));
    eng__db_outage(r, sim_dist_sample(&r->s->db.snapshot_restore_time, r->r_failover));
}

void eng__on_cache_failover(void *ctx, void *arg)
{
    (void)arg;
    eng__cache_failover(ctx);
}

/* An AZ is lost at once: its nodes and their pods (requests in them fail; the Deployment
 * replaces the pods and Karpenter launches in the other AZs), and in AZ a the primaries.
 * RPO: a synchronous standby (RDS Multi-AZ, Aurora's shared volume) loses nothing; a Single-AZ
 * instance comes back by point-in-time restore to its latest restorable time, which RDS keeps
 * within the last five minutes (it uploads transaction logs every five minutes: RDS user guide,
 * "Restoring a DB instance to a specified time") — uniform over those five minutes. */
void eng__on_az_failure(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    const mdl_event *e = &s->events[ENG__ID(arg)];
    if (r->az_down[e->az])
        return;
    r->az_down[e->az] = true;
    eng_fault *f = eng__note_fault(r, MDL_EVENT_AZ_FAILURE, 0);
    for (size_t i = 0; i < r->nnodes; i++)
        if (r->nodes[i]->az == e->az && r->nodes[i]->state != N_GONE)
            eng__node_lost(r, r->nodes[i]);
    if (e->az != 0)
        return;
    if (s->db.enabled && s->db.engine != MDL_DB_QUEUE) {
        if (s->db.engine == MDL_DB_RDS && !s->db.multi_az) {
            eng__db_outage(r, sim_dist_sample(&s->db.restore_time, r->r_failover));
            double rpo = 300.0 * sim_rng_uniform(r->r_failover);
            if (f)
                f->rpo_s = rpo;
        } else {
            eng__db_failover(r);
        }
    }
    if (s->redis.enabled)
        eng__cache_failover(r);
    eng__reconcile(r);
}

/* Karpenter nodes lost at once (a hardware fault, a kernel panic): `count` of them at random
 * (selection sampling, as for a Spot storm); the requests in their pods fail, the Deployment
 * replaces the pods and Karpenter the capacity. */
void eng__on_node_loss(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_event *e = &r->s->events[ENG__ID(arg)];
    size_t n = 0;
    for (size_t i = 0; i < r->nnodes; i++)
        n += !r->nodes[i]->system && r->nodes[i]->state == N_READY;
    size_t want = (size_t)e->count < n ? (size_t)e->count : n;
    for (size_t i = 0; i < r->nnodes && want > 0; i++) {
        eng__node *nd = r->nodes[i];
        if (nd->system || nd->state != N_READY)
            continue;
        if (sim_rng_uniform(r->r_failover) * (double)n < (double)want) {
            eng__node_lost(r, nd);
            want--;
        }
        n--;
    }
}
