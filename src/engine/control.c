/*
 * control.c — the control plane, as discrete events reading the cluster's state: metrics-server
 * scrapes, HPA syncs, the ReplicaSet controller, Karpenter's provisioning batches and its
 * consolidation passes, Spot interruptions and shortages, and deploys. The decisions themselves
 * are the models' (model/hpa.c, model/karpenter.c). This file starts the loops and schedules the
 * scenario's events; each idea lives in its own file: hpa.c, karpenter.c, deploy.c (the
 * ReplicaSet controller and rollouts), spot.c, faults.c, region.c.
 *
 * Each loop starts at a random phase within its period (drawn from the replication's own
 * stream): the real controllers are not synchronised with each other or with the load.
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>

static sim_time phase(eng__run *r, sim_time period)
{
    return (sim_time)(sim_rng_uniform(r->r_phase) * (double)period);
}

void eng__control_start(eng__run *r)
{
    const mdl_scenario *s = r->s;
    if (s->hpa.enabled) {
        sim_schedule(r->k, phase(r, s->metrics_resolution), eng__on_scrape, r, NULL);
        sim_schedule(r->k, phase(r, s->hpa.sync_period), eng__on_hpa_sync, r, NULL);
    }
    if (s->cluster.enabled)
        sim_schedule(r->k, phase(r, s->cluster.disruption_period), eng__on_disruption, r, NULL);
    for (size_t i = 0; i < s->nevents; i++) {
        const mdl_event *e = &s->events[i];
        sim_fn fn = NULL;
        void *ctx = r; /* the run, but for a component's own events: its state */
        switch (e->type) {
        case MDL_EVENT_SPOT_STORM: fn = eng__on_spot_storm; break;
        case MDL_EVENT_SPOT_UNAVAILABLE: fn = eng__on_spot_gone; break;
        case MDL_EVENT_DEPLOY: fn = eng__on_deploy; break;
        case MDL_EVENT_DB_FAILOVER: fn = eng__on_db_failover; break;
        case MDL_EVENT_CACHE_FAILOVER: fn = eng__on_cache_failover; break;
        case MDL_EVENT_AZ_FAILURE: fn = eng__on_az_failure; break;
        case MDL_EVENT_REGION_FAILURE:
            fn = eng__on_region_failure;
            ctx = r->dr;
            break;
        case MDL_EVENT_DATA_CORRUPTION: fn = eng__on_data_corruption; break;
        case MDL_EVENT_ACCIDENTAL_DELETE: fn = eng__on_accidental_delete; break;
        case MDL_EVENT_NODE_LOSS: fn = eng__on_node_loss; break;
        }
        if (e->every > 0) { /* a random fault: Poisson occurrences from `at` to the end */
            sim_time t = e->at;
            for (;;) {
                t += (sim_time)(-log(1 - sim_rng_uniform(r->r_failover)) * (double)e->every);
                if (t >= r->end)
                    break;
                sim_schedule_at(r->k, t, fn, ctx, ENG__ARG(i));
            }
            continue;
        }
        sim_schedule_at(r->k, e->at, fn, ctx, ENG__ARG(i));
    }
}
