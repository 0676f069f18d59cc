/*
 * schedule.c — a non-production environment's daily stop and start (seed §11.2: "EKS nodes:
 * Karpenter scales to 0 at night ... Schedule: Stop at 8pm, start at 8am"), as a component of
 * the chain (component.h), after the ALB.
 *
 * At each stop (model/schedule.c says when) the Deployment is scaled to 0, as kube-downscaler
 * or a CronJob running `kubectl scale --replicas=0` does: its pods terminate, and Karpenter's
 * consolidation removes the nodes they leave empty (src/ctl/, as for any empty node). The HPA
 * leaves a Deployment at 0 replicas alone ("scaling is disabled since the replica count of the
 * target is zero", Kubernetes pkg/controller/podautoscaler/horizontal.go), so it does not scale
 * it back up (src/ctl/hpa.c asks eng__schedule_stopped). At each start the Deployment gets back the
 * replicas it had when it stopped (kube-downscaler keeps them in its
 * downscaler/original-replicas annotation); Karpenter launches nodes for the Pending pods as
 * ever, so the first minutes after a start still fail while they come up.
 *
 * API requests that reach the ALB while the environment is stopped find no target and get its
 * 503 (MDL_ERR_NO_TARGET), counted apart as refused_while_stopped; CloudFront still serves the
 * SPA and cached reads. The system node group stays up (the seed stops Karpenter's nodes), as
 * do the EKS control plane, the ALB and the NAT gateways: they are billed whatever the load.
 *
 * The database (schedule.database: stop): RDS bills no instance hours while an instance is
 * stopped and still bills its storage (Amazon RDS User Guide, "Stopping an Amazon RDS DB
 * instance temporarily"), so the meter takes the stopped seconds off the primary's hours and
 * leaves the storage line alone. The scheduler starts it at `start` and it takes a draw of
 * schedule.database_start to come up ("can take from minutes to hours", the same guide; the
 * draw's figures are an estimate): until then the primary is unreachable as in a failover
 * (eng__db_outage), so the API's transactions fail with a 500 while the pods are back. Redis
 * keeps running and is billed: ElastiCache has no stop (its API has no Stop action).
 */
#include "engine/component.h"

struct eng__schedule {
    sim_rng *rng; /* first (eng__state_new): the database's start times */
    eng__run *r;
    bool stopped;   /* the environment is stopped now */
    int resume;     /* the Deployment's replicas when it stopped */
    double refused; /* measured API requests that arrived while stopped */
};

static void on_change(void *ctx, void *arg);

/* The schedule stops and starts the database (an RDS instance: Aurora's stop is not modelled) */
static bool db_stops(const mdl_scenario *s)
{
    return s->schedule.enabled && s->schedule.database == MDL_SCHEDULE_DB_STOP && s->db.enabled &&
           s->db.engine == MDL_DB_RDS;
}

/* The next stop or start within the window, if any. */
static void schedule_next(struct eng__schedule *d, sim_time now)
{
    eng__run *r = d->r;
    sim_time next = mdl_schedule_next_change(&r->s->schedule, now);
    if (next < r->end)
        sim_schedule_at(r->k, next, on_change, d, NULL);
}

static void on_change(void *ctx, void *arg)
{
    (void)arg;
    struct eng__schedule *d = ctx;
    eng__run *r = d->r;
    sim_time now = sim_now(r->k);
    bool run = mdl_schedule_running(&r->s->schedule, now);
    if (!run && !d->stopped) {
        d->stopped = true;
        d->resume = ctl_desired(r->ctl);
        ctl_scale_to(r->ctl, 0);
    } else if (run && d->stopped) {
        d->stopped = false;
        ctl_scale_to(r->ctl, d->resume);
        /* the stopped RDS instance starts now: unreachable until it is available */
        if (db_stops(r->s))
            eng__db_outage(r, sim_dist_sample(&r->s->schedule.database_start, d->rng));
    }
    schedule_next(d, now);
}

static int sched_init(eng__run *r, void **state, base_err *err)
{
    int st =
        eng__state_new(r, sizeof(struct eng__schedule), "schedule", "the schedule", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__schedule *d = r->sched = *state;
    d->r = r;
    const mdl_schedule_config *c = &r->s->schedule;
    if (!c->enabled)
        return BASE_OK;
    /* stopped at the window's start (its midnight, usually): stop at once */
    if (!mdl_schedule_running(c, 0))
        sim_schedule_at(r->k, 0, on_change, d, NULL);
    else
        schedule_next(d, 0);
    return BASE_OK;
}

static enum eng__outcome sched_request(void *state, eng__hop *h)
{
    struct eng__schedule *d = state;
    /* passed on: the ALB finds no target (the pods are gone) and answers 503 */
    if (d->stopped && h->cls != MDL_STATIC && sim_now(d->r->k) >= d->r->s->warmup)
        d->refused++;
    return ENG__PASS;
}

/* off the request walk unless the scenario has a schedule: every other run pays nothing for it */
static bool sched_on_path(const void *state)
{
    const struct eng__schedule *d = state;
    return d->r->s->schedule.enabled;
}

static void sched_flow(void *state, eng__flow_hop *h)
{
    struct eng__schedule *d = state;
    if (!d->stopped)
        return;
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++) {
        h->failed(h->eng, MDL_ERR_NO_TARGET, h->n[c], h->measured);
        if (h->measured)
            d->refused += h->n[c];
        h->n[c] = h->e[c] = 0;
    }
}

static void sched_meter(void *state, sim_time end, cost_usage *u)
{
    struct eng__schedule *d = state;
    (void)end;
    (void)u;
    if (d->r->s->schedule.enabled)
        d->r->out->refused_stopped = d->refused;
}

double eng__schedule_db_stopped(const struct eng__schedule *d, sim_time end)
{
    const mdl_scenario *s = d->r->s;
    const mdl_schedule_config *c = &s->schedule;
    if (!db_stops(s))
        return 0;
    /* RDS starts an instance stopped for 7 days by itself; a weekly schedule that runs on some
     * day (schedule.days is never empty) never stops it that long, so every stopped second is
     * one the instance does not bill */
    BASE_ASSERT(mdl_schedule_longest_stop(c) < MDL_RDS_MAX_STOP);
    return mdl_schedule_stopped_seconds(c, 0, end);
}

bool eng__schedule_stopped(const struct eng__schedule *d)
{
    return d && d->stopped;
}

const eng__component eng__schedule_component = {
    .name = "schedule",
    .init = sched_init,
    .free = eng__state_free,
    .request = sched_request,
    .on_path = sched_on_path,
    .flow = sched_flow,
    .meter = sched_meter,
};
