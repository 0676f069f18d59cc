/*
 * rds.c — RDS for PostgreSQL as a component (data.h): its instances' vCPUs, what they bill
 * (instance-seconds), and what they have that Aurora's do not: the CPU credits of burstable
 * classes, ticked each minute in both engines.
 */
#include "engine/data.h"

#include <math.h>

/*
 * Burstable classes (the catalog's baseline > 0: db.t3, db.t4g) earn CPU credits at their
 * baseline — baseline × vCPUs × 60 credits an hour, a credit being one vCPU busy for one minute
 * — and spend them on the CPU their queries use (EC2 user guide,
 * burstable-credits-baseline-concepts.md; the db classes are those instances). Earned credits
 * accrue up to 24 hours' worth (the credit table's "maximum earned credits").
 *
 * Unlimited mode (RDS's only mode for T3/T4g): never throttled; CPU beyond the baseline,
 * averaged over 24 hours, is billed per vCPU-hour. Over a window that stands for its share of a
 * steady month the balance it carries in is the balance it carries out, so each instance's
 * surplus is what it spent beyond what it earned in the window (usage.db_surplus_credits).
 *
 * Standard mode: an instance whose balance is empty is held to its baseline — its vCPUs give
 * baseline × vCPUs of capacity, so its queries take longer — until it has earned back a
 * minute of every vCPU (a margin, so it does not flip every tick; AWS lowers the CPU
 * "gradually" to the baseline: burstable-performance-instances-standard-mode.md).
 */
#define CREDIT_TICK SIM_MIN /* credits are per vCPU-minute: metered each minute */

/* `secs` seconds of credits: each instance earns and spends, and in standard mode is held to
 * its baseline while its balance is empty. */
static void credit_step(struct eng__rds *rds, double secs)
{
    const cost_db_class *c = rds->burst;
    eng__run *r = rds->r;
    if (!c || !(secs > 0))
        return;
    double earn = c->baseline * c->vcpu * secs / 60.0; /* credits = vCPU-minutes */
    double cap = c->baseline * c->vcpu * 60.0 * 24;    /* 24 hours of earnings */
    bool standard = r->s->db.credit_mode == MDL_CREDITS_STANDARD;
    for (int i = 0; i < r->data->ndbis; i++) {
        eng__dbi *d = &r->data->dbis[i];
        eng__dbi_account(r, d);
        double spend = (d->busy_area - d->credit_busy) / 1e9 / 60.0; /* core·ns to vCPU-min */
        d->credit_busy = d->busy_area;
        d->spent += spend;
        d->earned += earn;
        if (!standard)
            continue;
        if (d->throttled)
            r->out->usage.db_throttled_seconds += secs;
        d->credits = fmin(cap, fmax(0, d->credits + earn - spend));
        bool hold = d->throttled ? d->credits < c->vcpu : d->credits <= 0;
        if (hold != d->throttled) {
            d->throttled = hold;
            d->cores = hold ? c->baseline * c->vcpu : c->vcpu;
            eng__dbi_reschedule(r, d, i);
        }
    }
}

static void on_credit_tick(void *ctx, void *arg)
{
    (void)arg;
    struct eng__rds *rds = ctx;
    credit_step(rds, sim_to_sec(CREDIT_TICK));
    if (sim_now(rds->r->k) + CREDIT_TICK <= rds->r->end)
        sim_schedule(rds->r->k, CREDIT_TICK, on_credit_tick, rds, NULL);
}

/* The instances' vCPUs, and a burstable class's starting balance (credits_start days). */
static int rds_init(eng__run *r, void **state, base_err *err)
{
    struct eng__rds *rds = r->rds = eng__data_state(r, sizeof *rds, "RDS", state, err);
    if (!rds)
        return BASE_ENOMEM;
    const mdl_db_config *db = &r->s->db;
    if (!eng__data_needs_tx(r) || db->engine != MDL_DB_RDS || db->db_class < 0)
        return BASE_OK;
    const cost_db_class *c = &r->s->cluster.catalog.db[db->db_class];
    /* the replicas' class (the primary's unless replica_class names another: never burstable
     * then, check.c) */
    const cost_db_class *rc = mdl_db_replica_class(r->s) ? mdl_db_replica_class(r->s) : c;
    rds->burst = c->baseline > 0 ? c : NULL;
    for (int i = 0; i < r->data->ndbis; i++) {
        r->data->dbis[i].cores = i == 0 ? c->vcpu : rc->vcpu;
        if (rds->burst)
            r->data->dbis[i].credits = db->credits_start * c->baseline * c->vcpu * 60.0 * 24;
    }
    return BASE_OK;
}

static void rds_start(void *state)
{
    struct eng__rds *rds = state;
    if (rds->burst && CREDIT_TICK <= rds->r->end)
        sim_schedule(rds->r->k, CREDIT_TICK, on_credit_tick, rds, NULL);
}

/* The instances bill for the whole run; then the minute the last credit tick did not reach,
 * and each instance's surplus. */
static void rds_meter(void *state, sim_time end, cost_usage *u)
{
    struct eng__rds *rds = state;
    eng__run *r = rds->r;
    if (!eng__data_needs_tx(r) || r->s->db.engine != MDL_DB_RDS)
        return;
    double secs = sim_to_sec(end);
    /* a dev environment's schedule stops the primary at night (schedule.c): its stopped seconds
     * are not billed as instance hours (storage still is, in cost.c) */
    double stopped = eng__schedule_db_stopped(r->sched, end);
    u->db_primary_seconds = secs > stopped ? secs - stopped : 0;
    /* the replicas from when each serves (replicas.c: RDS bills from "available") */
    u->db_replica_seconds =
        r->data->rs ? eng__replica_seconds(r, end) : secs * r->s->db.read_replicas;
    credit_step(rds, sim_to_sec(end % CREDIT_TICK));
    if (rds->burst && r->s->db.credit_mode == MDL_CREDITS_UNLIMITED)
        for (int i = 0; i < r->data->ndbis; i++)
            u->db_surplus_credits += fmax(0, r->data->dbis[i].spent - r->data->dbis[i].earned);
}

const eng__component eng__rds_component = {.name = "rds",
                                           .init = rds_init,
                                           .free = eng__state_free,
                                           .start = rds_start,
                                           .meter = rds_meter};
