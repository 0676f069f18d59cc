/*
 * rds.c — what RDS for PostgreSQL's instances have that Aurora's do not, in the request engine:
 * the CPU credits of burstable classes.
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

const mdl_db_class *eng__rds_burstable(const eng__run *r)
{
    const mdl_db_config *db = &r->s->db;
    if (db->engine != MDL_DB_RDS || db->db_class < 0)
        return NULL;
    const mdl_db_class *c = &r->s->cluster.catalog.db[db->db_class];
    return c->baseline > 0 ? c : NULL;
}

/* `secs` seconds of credits: each instance earns and spends, and in standard mode is held to
 * its baseline while its balance is empty. */
static void credit_step(eng__run *r, double secs)
{
    const mdl_db_class *c = eng__rds_burstable(r);
    if (!c || !(secs > 0))
        return;
    double earn = c->baseline * c->vcpu * secs / 60.0; /* credits = vCPU-minutes */
    double cap = c->baseline * c->vcpu * 60.0 * 24;    /* 24 hours of earnings */
    bool standard = r->s->db.credit_mode == MDL_CREDITS_STANDARD;
    for (int i = 0; i < r->ndbis; i++) {
        eng__dbi *d = &r->dbis[i];
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
    eng__run *r = ctx;
    credit_step(r, sim_to_sec(CREDIT_TICK));
    if (sim_now(r->k) + CREDIT_TICK <= r->end)
        sim_schedule(r->k, CREDIT_TICK, on_credit_tick, r, NULL);
}

void eng__rds_credits_start(eng__run *r)
{
    if (eng__rds_burstable(r) && CREDIT_TICK <= r->end)
        sim_schedule(r->k, CREDIT_TICK, on_credit_tick, r, NULL);
}

void eng__rds_credits_finish(eng__run *r)
{
    eng_usage *u = &r->out->usage;
    /* the minute the last credit tick did not reach, then each instance's surplus */
    credit_step(r, sim_to_sec(r->end % CREDIT_TICK));
    if (eng__rds_burstable(r) && r->s->db.credit_mode == MDL_CREDITS_UNLIMITED)
        for (int i = 0; i < r->ndbis; i++)
            u->db_surplus_credits += fmax(0, r->dbis[i].spent - r->dbis[i].earned);
}
