/*
 * spot.c — Spot interruptions and shortages: a storm of two-minute notices over a share of the
 * Spot nodes, and a spell when no Spot capacity can be launched (Karpenter's provisioning asks
 * r->spot_unavailable).
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>

void eng__on_spot_storm(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_event *e = &r->s->events[ENG__ID(arg)];
    /* every Spot node draws; exactly round(share × count) get the notice, chosen at random */
    size_t n = 0;
    for (size_t i = 0; i < r->nnodes; i++) {
        eng__node *nd = r->nodes[i];
        n += nd->capacity == MDL_CAP_SPOT && (nd->state == N_READY || nd->state == N_LAUNCHING);
    }
    size_t want = (size_t)llround(e->share * (double)n);
    for (size_t i = 0; i < r->nnodes && want > 0; i++) {
        eng__node *nd = r->nodes[i];
        if (nd->capacity != MDL_CAP_SPOT || (nd->state != N_READY && nd->state != N_LAUNCHING))
            continue;
        /* selection sampling (Knuth, TAOCP vol. 2, Algorithm S) */
        if (sim_rng_uniform(r->r_spot) * (double)n < (double)want) {
            eng__spot_notice(r, nd);
            want--;
        }
        n--;
    }
}

static void on_spot_back(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    r->spot_unavailable--;
}

void eng__on_spot_gone(void *ctx, void *arg)
{
    eng__run *r = ctx;
    r->spot_unavailable++;
    sim_schedule(r->k, r->s->events[ENG__ID(arg)].duration, on_spot_back, r, NULL);
}
