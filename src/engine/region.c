/*
 * region.c — the DR region, as a component of the chain (component.h): the primary region lost
 * and the DR runbook (seed §12.2): detection by the paging alarm or Route 53's health check
 * (alarms.c), each step drawn from its distribution, the database back at the replica's
 * promotion, and the traffic moved to the DR region's warm cluster when Route 53 switches. Its
 * state is the region's: whether it is down, the replicas the primary had, the cross-region
 * replica's replay backlog (model/replica.c) and the runbook's steps, which its meter writes into
 * the replication's record at the end. Its events (the failure, the switch) take that state as
 * their context; what they act on (the cluster, the database, Redis, the ReplicaSet
 * controller) they reach through the run it keeps, as the data tier's states do (data.h).
 *
 * It has no `start`: a region failure is one of the scenario's events, scheduled with the others
 * in their order by the control plane (src/ctl/ctl.c; the order in which the run's "failover"
 * stream draws the random ones), with this component's state as its context.
 */
#include "engine/component.h"

#include <math.h>
#include <string.h>

const char *const eng_dr_step_keys[ENG_DR_STEPS] = {
    "dr_detection", "dr_confirmation", "dr_promotion",   "dr_dns_update",
    "dr_dns_ttl",   "dr_scale_up",     "dr_smoke_tests", "dr_status_page"};
const char *const eng_dr_step_names[ENG_DR_STEPS] = {
    "detection",        "confirmation", "replica promotion", "DNS update",
    "clients' DNS TTL", "EKS scale-up", "smoke tests",       "status page"};
/* seed §12.2: "Alert fires ~0 min", confirms ~5, promote ~10, Route 53 ~2, EKS auto-scaled ~5,
 * smoke tests ~5, status page ~2 */
const double eng_dr_step_paper_s[ENG_DR_STEPS] = {0, 300, 600, 120, NAN, 300, 300, 120};

struct eng__dr {
    sim_rng *rng; /* first (eng__state_new): none of its own — it draws from the run's "failover"
                   * stream, in event order with the failures within the region (faults.c), as it
                   * did before it was a component */
    eng__run *r;  /* what its events act on */
    bool down;    /* the primary region is lost until the DR region takes the traffic */
    int desired;  /* the Deployment's replicas before the region failed (the operator restores
                   * them when there is no HPA) */
    /* the cross-region replica of an RDS primary: its replay backlog (model/replica.c), s,
     * brought up to date at backlog_at; promoted by a region failure (no replica any more) */
    double backlog_s;
    sim_time backlog_at;
    bool promoted;
    /* the runbook as it ran (the last region failure's), s; NaN: not run */
    double step_s[ENG_DR_STEPS];
    bool by_health_check; /* Route 53's health check noticed before the paging alarm */
};

static int dr_init(eng__run *r, void **state, base_err *err)
{
    int st = eng__state_new(r, sizeof(struct eng__dr), NULL, "the DR region", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__dr *d = r->dr = *state;
    d->r = r;
    for (int i = 0; i < ENG_DR_STEPS; i++)
        d->step_s[i] = NAN;
    return BASE_OK;
}

bool eng__dr_region_down(const struct eng__dr *d)
{
    return d->down;
}

/* Whether a DR region stands by with a replica of an RDS primary (Aurora's Global Database
 * secondary is replicated by its storage: its lag stays database.aurora.global_lag). */
static bool rds_replica(const struct eng__dr *d)
{
    const mdl_scenario *s = d->r->s;
    return s->dr.enabled && s->db.enabled && s->db.engine == MDL_DB_RDS && !d->promoted;
}

/* The writes it replays are the API writes the series counts over its current interval
 * (record.c's iv_writes): the backlog is brought up to date at every row, before the row's
 * counts restart, and at a region failure, after which there is no replica. */
double eng__dr_replica_backlog(struct eng__dr *d, sim_time now)
{
    if (!rds_replica(d))
        return 0;
    eng__run *r = d->r;
    d->backlog_s =
        mdl_replica_backlog(r->s, d->backlog_s, r->iv_writes, sim_to_sec(now - d->backlog_at));
    d->backlog_at = now;
    return d->backlog_s;
}

double eng__dr_replica_lag(struct eng__dr *d, sim_time now)
{
    const mdl_scenario *s = d->r->s;
    if (!s->dr.enabled || !s->db.enabled || d->promoted)
        return 0;
    if (s->db.engine == MDL_DB_AURORA)
        return sim_dist_mean(&s->db.aurora_global_lag);
    if (s->db.engine != MDL_DB_RDS)
        return 0;
    return sim_dist_mean(&s->dr.replica_lag) + eng__dr_replica_backlog(d, now);
}

/* The end of the run: the runbook's steps into the replication's record (record.c then splits
 * the part after the DNS update into the clients' caches and the scale-up). */
static void dr_meter(void *state, sim_time end, cost_usage *u)
{
    (void)end, (void)u; /* the DR region's standing costs are priced from the scenario (cost.c) */
    struct eng__dr *d = state;
    memcpy(d->r->out->dr_step_s, d->step_s, sizeof d->step_s);
    if (d->by_health_check)
        d->r->out->detected_by_health_check = true;
}

const eng__component eng__dr_component = {
    .name = "dr",
    .init = dr_init,
    .free = eng__state_free,
    .meter = dr_meter,
};

/* Route 53 points at the DR region: clients come as their cached answers expire (spread over
 * the TTL: eng__dns_stale) and find its warm pods Ready at once, and from there the DR cluster
 * scales as runbook step 5 says, "auto- scaled": its own HPA (a fresh history — it has been idling
 * at the warm size) on the load that now arrives, and Karpenter for the nodes. Without an HPA the
 * operator sets the Deployment back to the replicas the primary had. */
static void on_dr_switch(void *ctx, void *arg)
{
    (void)arg;
    struct eng__dr *d = ctx;
    eng__run *r = d->r;
    d->down = false;
    for (int a = 0; a < MDL_AZS; a++)
        r->az_down[a] = false;
    eng__dns_switch(r->dns, sim_now(r->k));
    if (eng__cluster_dr_start(r) != BASE_OK) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    if (r->s->hpa.enabled)
        ctl_hpa_reset(r->ctl);
    else if (ctl_desired(r->ctl) < d->desired)
        ctl_set_desired(r->ctl, d->desired);
    ctl_reconcile(r->ctl);
}

/* The primary region is lost: every node, pod, the database and Redis. The runbook (seed
 * §12.2) runs from the moment the alarm fires; each step is drawn now from its distribution.
 * The database is back when the DR replica is promoted; the traffic moves when Route 53 points
 * at the DR region, as the clients' cached answers expire. RPO: the replica's lag at the failure,
 * its replay backlog included.
 */
void eng__on_region_failure(void *ctx, void *arg)
{
    (void)arg;
    struct eng__dr *d = ctx;
    eng__run *r = d->r;
    const mdl_scenario *s = r->s;
    const mdl_dr_config *dr = &s->dr;
    sim_time now = sim_now(r->k);
    if (d->down)
        return;
    d->down = true;
    for (int a = 0; a < MDL_AZS; a++)
        r->az_down[a] = true;
    /* with Aurora the DR region holds a Global Database secondary, else RDS's read replica */
    bool aurora = s->db.enabled && s->db.engine == MDL_DB_AURORA;
    const sim_dist *lag = aurora ? &s->db.aurora_global_lag : &dr->replica_lag;
    const sim_dist *promotion = aurora ? &s->db.aurora_global_promote : &dr->promote;
    /* RDS's replica is behind by its lag with nothing waiting plus the WAL its one replay
     * process has not applied yet (model/replica.c) */
    double backlog = aurora ? 0 : eng__dr_replica_backlog(d, now);
    d->promoted = true;
    eng__note_fault(r, MDL_EVENT_REGION_FAILURE,
                    sim_to_sec(sim_dist_sample(lag, r->r_failover)) + backlog);
    d->desired = ctl_desired(r->ctl);
    ctl_set_desired(r->ctl, dr->warm_replicas); /* what will be waiting in the DR region */
    for (size_t i = 0; i < r->nnodes; i++)
        if (r->nodes[i]->state != N_GONE)
            eng__node_gone(r, r->nodes[i]);
    sim_time detect = eng__alarms_page_at(r->alarms, now);
    if (dr->health_check) {
        sim_time hc = eng__alarms_health_check_at(r->alarms, now, r->r_failover);
        if (hc < detect) {
            detect = hc;
            d->by_health_check = true;
        }
    }
    double *st = d->step_s;
    if (detect == SIM_NEVER) {
        eng__db_outage(r, SIM_NEVER / 2);
        return;
    }
    st[ENG_DR_DETECT] = sim_to_sec(detect - now);
    sim_time confirm = sim_dist_sample(&dr->confirm, r->r_failover);
    sim_time promote = sim_dist_sample(promotion, r->r_failover);
    sim_time dns = sim_dist_sample(&dr->dns_update, r->r_failover);
    st[ENG_DR_CONFIRM] = sim_to_sec(confirm);
    st[ENG_DR_PROMOTE] = sim_to_sec(promote);
    st[ENG_DR_DNS] = sim_to_sec(dns);
    st[ENG_DR_TTL] = sim_to_sec(dr->dns_ttl); /* at most; record.c keeps the part before the
                                               * users were served */
    st[ENG_DR_SMOKE] = sim_to_sec(sim_dist_sample(&dr->smoke_tests, r->r_failover));
    st[ENG_DR_COMMUNICATE] = sim_to_sec(sim_dist_sample(&dr->communicate, r->r_failover));
    sim_time promoted = detect + confirm + promote;
    sim_time switched = promoted + dns;
    if (s->db.enabled && s->db.engine != MDL_DB_QUEUE)
        eng__db_outage(r, promoted - now);
    if (s->redis.enabled)
        eng__cache_outage(r, switched - now); /* the DR region's Redis (warm) serves once the
                                               * traffic arrives there */
    sim_schedule_at(r->k, switched, on_dr_switch, d, NULL);
}
