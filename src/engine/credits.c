/*
 * credits.c — CPU credits of burstable nodes (the catalog's t3 and t4g types, `baseline` > 0).
 *
 * A node earns baseline × vCPUs × 60 credits an hour while it runs, a credit being one vCPU busy
 * for a minute, and spends them on the CPU its API pods use (EC2 user guide,
 * burstable-credits-baseline-concepts.md). Nodes run unlimited, T3's and T4g's default (EC2
 * RunInstances CreditSpecification): never throttled, the CPU beyond the baseline billed per
 * vCPU-hour. As for the database (database.c, "CPU credits"), a window standing for its share
 * of a steady month carries out the balance it carried in, so a node's surplus is what it spent
 * beyond what it earned while it ran. DaemonSet pods' CPU is not metered (their requests are
 * reserved, their use unknown): the surplus is a lower bound.
 */
#include "engine/internal.h"

#include <math.h>

#define CREDIT_TICK SIM_MIN /* credits are per vCPU-minute */

static bool any_burstable(const eng__run *r)
{
    const cost_catalog *cat = &r->s->cluster.catalog;
    for (size_t t = 0; t < cat->n; t++)
        if (cat->types[t].baseline > 0)
            return true;
    return false;
}

/* The pods' CPU since the last tick, each on its node; `secs` of earnings for each node that
 * runs. */
static void credit_step(eng__run *r, double secs)
{
    const cost_catalog *cat = &r->s->cluster.catalog;
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->node < 0 || (size_t)p->node >= r->nnodes)
            continue;
        eng__pod_cpu_account(r, p);
        double used = p->cpu_area - p->cpu_credited; /* core·ns */
        p->cpu_credited = p->cpu_area;
        eng__node *n = r->nodes[p->node];
        if (cat->types[n->type].baseline > 0 && used > 0)
            n->credit_spent += used / 1e9 / 60.0;
    }
    for (size_t i = 0; i < r->nnodes; i++) {
        eng__node *n = r->nodes[i];
        const cost_instance_type *t = &cat->types[n->type];
        if (t->baseline > 0 && n->state != N_GONE) /* a launching instance runs: it earns */
            n->credit_earned += t->baseline * t->vcpu * secs / 60.0;
    }
}

static void on_tick(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    credit_step(r, sim_to_sec(CREDIT_TICK));
    if (sim_now(r->k) + CREDIT_TICK <= r->end)
        sim_schedule(r->k, CREDIT_TICK, on_tick, r, NULL);
}

void eng__credits_start(eng__run *r)
{
    if (r->s->cluster.enabled && any_burstable(r) && CREDIT_TICK <= r->end)
        sim_schedule(r->k, CREDIT_TICK, on_tick, r, NULL);
}

void eng__credits_finish(eng__run *r)
{
    if (!r->s->cluster.enabled || !any_burstable(r))
        return;
    credit_step(r, sim_to_sec(r->end % CREDIT_TICK)); /* the minute the last tick did not end */
    for (size_t i = 0; i < r->nnodes; i++) {
        const eng__node *n = r->nodes[i];
        if (n->type >= 0 && n->type < COST_MAX_TYPES)
            r->out->usage.node_surplus_credits[n->type] +=
                fmax(0, n->credit_spent - n->credit_earned);
    }
}
