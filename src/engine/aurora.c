/*
 * aurora.c — Aurora Serverless v2's capacity in the request engine. Capacity in ACUs, each worth
 * vcpu_per_acu vCPUs, follows the load: every second the writer's CPU utilisation over that
 * second gives the capacity that would have held it at target_utilisation (target tracking:
 * need = busy vCPUs / target / vCPUs per ACU); capacity grows towards it by at most
 * scale_up_rate of itself per second (at least 0.5 ACU), and when it has been above need for
 * scale_down_interval it shrinks by scale_down_step. AWS publishes neither rule: both are
 * estimates from its descriptions and third-party measurements (reference/behaviour.md §5).
 * Readers follow the writer's capacity (promotion tiers 0–1 do).
 */
#include "engine/data.h"

#include <math.h>

static double half_up(double acu)
{
    return ceil(acu * 2 - 1e-9) / 2;
}

static void set_acu(eng__run *r, double acu)
{
    const mdl_db_config *db = &r->s->db;
    for (int i = 0; i < r->ndbis; i++) {
        eng__dbi *d = &r->dbis[i];
        eng__dbi_account(r, d);
        d->acu = acu;
        d->cores = acu * db->vcpu_per_acu;
        eng__dbi_reschedule(r, d, i);
    }
}

static void on_aurora_tick(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_db_config *db = &r->s->db;
    eng__dbi *w = &r->dbis[0];
    eng__dbi_account(r, w);
    if (r->db_down) { /* no writer to measure: the promoted reader keeps its capacity */
        w->tick_busy = 0;
        sim_schedule(r->k, SIM_SEC, on_aurora_tick, r, NULL);
        return;
    }
    double secs = 1.0;
    /* target tracking on CPU utilisation, as the HPA does: the capacity that would have run
     * the last second's CPU at the target (a saturated second asks for acu / target, and the
     * pace below limits the step) */
    double used = w->tick_busy / (secs * 1e9); /* vCPUs busy, averaged over the second */
    w->tick_busy = 0;
    double need = half_up(used / db->acu_target / db->vcpu_per_acu);
    if (need < db->acu_min)
        need = db->acu_min;
    if (need > db->acu_max)
        need = db->acu_max;
    double acu = w->acu;
    sim_time now = sim_now(r->k);
    if (need > acu) {
        double step = floor(acu * db->acu_up_rate * secs * 2) / 2;
        if (step < 0.5)
            step = 0.5;
        set_acu(r, acu + step < need ? acu + step : need);
        w->below_since = SIM_NEVER;
    } else if (need < acu) {
        if (w->below_since == SIM_NEVER)
            w->below_since = now;
        else if (now - w->below_since >= db->acu_down_interval) {
            double down = acu - db->acu_down_step;
            set_acu(r, down > need ? down : need);
            w->below_since = now;
        }
    } else {
        w->below_since = SIM_NEVER;
    }
    sim_schedule(r->k, SIM_SEC, on_aurora_tick, r, NULL);
}

void eng__aurora_start(eng__run *r)
{
    sim_schedule(r->k, SIM_SEC, on_aurora_tick, r, NULL);
}
