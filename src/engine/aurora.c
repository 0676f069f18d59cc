/*
 * aurora.c — Aurora Serverless v2's capacity, a component (data.h), ticked in both engines, and
 * its ACU-seconds metered. Capacity in ACUs, each worth vcpu_per_acu vCPUs, follows the load: every
 * second the writer's CPU utilisation over that second gives the capacity that would have held it
 * at target_utilisation (target tracking: need = busy vCPUs / target / vCPUs per ACU); capacity
 * grows towards it by at most scale_up_rate of itself per second (at least 0.5 ACU), and when it
 * has been above need for scale_down_interval it shrinks by scale_down_step. AWS publishes neither
 * rule: both are estimates from its descriptions and third-party measurements
 * (reference/behaviour.md §5). Readers follow the writer's capacity (promotion tiers 0–1 do).
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
    for (int i = 0; i < r->data->ndbis; i++) {
        eng__dbi *d = &r->data->dbis[i];
        eng__dbi_account(r, d);
        d->acu = acu;
        d->cores = acu * db->vcpu_per_acu;
        eng__dbi_reschedule(r, d, i);
    }
}

static void on_aurora_tick(void *ctx, void *arg)
{
    (void)arg;
    struct eng__aurora *a = ctx;
    eng__run *r = a->r;
    const mdl_db_config *db = &r->s->db;
    eng__dbi *w = &r->data->dbis[0];
    eng__dbi_account(r, w);
    if (r->data->down) { /* no writer to measure: the promoted reader keeps its capacity */
        w->tick_busy = 0;
        sim_schedule(r->k, SIM_SEC, on_aurora_tick, a, NULL);
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
    sim_schedule(r->k, SIM_SEC, on_aurora_tick, a, NULL);
}

/* The instances start at the minimum capacity. */
static int aurora_init(eng__run *r, void **state, base_err *err)
{
    struct eng__aurora *a = r->aurora = eng__data_state(r, sizeof *a, "Aurora", state, err);
    if (!a)
        return BASE_ENOMEM;
    const mdl_db_config *db = &r->s->db;
    a->on = eng__data_needs_tx(r) && db->engine == MDL_DB_AURORA;
    for (int i = 0; a->on && i < r->data->ndbis; i++) {
        r->data->dbis[i].acu = db->acu_min;
        r->data->dbis[i].cores = db->acu_min * db->vcpu_per_acu;
    }
    return BASE_OK;
}

/* The writer's capacity measured and adjusted each second from the start. */
static void aurora_start(void *state)
{
    struct eng__aurora *a = state;
    if (a->on)
        sim_schedule(a->r->k, SIM_SEC, on_aurora_tick, a, NULL);
}

/* ACU-seconds, each instance's capacity over the run (instance.c integrates it); with reader
 * scaling, a reader's only while it served (replicas.c), and the readers' instance-seconds. */
static void aurora_meter(void *state, sim_time end, cost_usage *u)
{
    struct eng__aurora *a = state;
    struct eng__database *data = a->r->data;
    if (a->on && data->rs) {
        u->acu_seconds += data->dbis[0].acu_area / 1e9 + eng__replica_acu_seconds(a->r);
        u->db_replica_seconds = eng__replica_seconds(a->r, end);
        return;
    }
    for (int i = 0; a->on && i < data->ndbis; i++)
        u->acu_seconds += data->dbis[i].acu_area / 1e9;
}

const eng__component eng__aurora_component = {.name = "aurora",
                                              .init = aurora_init,
                                              .free = eng__state_free,
                                              .start = aurora_start,
                                              .meter = aurora_meter};
