/*
 * region.c — the primary region lost and the DR runbook (seed §12.2): detection by the paging
 * alarm or Route 53's health check, each step drawn from its distribution, the database back at
 * the replica's promotion, and the traffic moved to the DR region's warm cluster when Route 53
 * switches.
 */
#include "engine/internal.h"

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

/* Route 53 points at the DR region: clients come as their cached answers expire (spread over
 * the TTL: eng__dns_stale) and find its warm pods Ready at once, and from there the DR cluster
 * scales as runbook step 5 says, "auto- scaled": its own HPA (a fresh history — it has been idling
 * at the warm size) on the load that now arrives, and Karpenter for the nodes. Without an HPA the
 * operator sets the Deployment back to the replicas the primary had. */
static void on_dr_switch(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    r->region_down = false;
    for (int a = 0; a < MDL_AZS; a++)
        r->az_down[a] = false;
    eng__dns_switch(r->dns, sim_now(r->k));
    if (eng__cluster_dr_start(r) != BASE_OK) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    if (r->s->hpa.enabled) {
        mdl_hpa_state_clear(&r->hpa);
        memset(&r->hpa, 0, sizeof r->hpa);
    } else if (r->desired < r->dr_desired) {
        r->desired = r->dr_desired;
    }
    eng__reconcile(r);
}

/* When the paging alarm fires after the region is lost at `t`: from then on every API
 * request fails, so each period's error rate is the API's share of the requests (the edge
 * still answers static ones), times the share of the period after `t` for the first one. */
static sim_time detection(const eng__run *r, sim_time t)
{
    const mdl_scenario *s = r->s;
    const mdl_alarm *al = mdl_alarm_pager(s);
    double threshold = al->threshold, share = 1 - s->traffic.mix[MDL_STATIC];
    sim_time period = al->period;
    int n = al->evaluation_periods;
    if (!(share * 100 > threshold))
        return SIM_NEVER; /* the alarm cannot see it: nobody is paged */
    sim_time k = t / period, end = (k + 1) * period;
    double part = (double)(end - t) / (double)period; /* of the first period, after t */
    if (!(share * part * 100 > threshold))
        k++;
    return (k + n) * period;
}

/* When the Route 53 health check's alarm pages, the primary region lost at t: the endpoint
 * unhealthy after mdl_health_check_delay, and the CloudWatch alarm on HealthCheckStatus (1-min
 * period, 1 datapoint: ASSUMPTION, the console's usual) fires at the end of that minute. */
static sim_time health_check_detection(eng__run *r, sim_time t)
{
    const mdl_dr_config *dr = &r->s->dr;
    double phase[MDL_HEALTH_CHECKERS];
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++)
        phase[i] = sim_rng_uniform(r->r_failover);
    sim_time interval = (dr->health_check_fast ? 10 : 30) * SIM_SEC, minute = 60 * SIM_SEC;
    sim_time unhealthy = t + mdl_health_check_delay(interval, dr->health_check_failures, phase);
    return (unhealthy / minute + 1) * minute;
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
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    const mdl_dr_config *dr = &s->dr;
    sim_time now = sim_now(r->k);
    if (r->region_down)
        return;
    r->region_down = true;
    for (int a = 0; a < MDL_AZS; a++)
        r->az_down[a] = true;
    /* with Aurora the DR region holds a Global Database secondary, else RDS's read replica */
    bool aurora = s->db.enabled && s->db.engine == MDL_DB_AURORA;
    const sim_dist *lag = aurora ? &s->db.aurora_global_lag : &dr->replica_lag;
    const sim_dist *promotion = aurora ? &s->db.aurora_global_promote : &dr->promote;
    /* RDS's replica is behind by its lag with nothing waiting plus the WAL its one replay
     * process has not applied yet (model/replica.c) */
    double backlog = aurora ? 0 : eng__replica_backlog(r, now);
    r->repl_promoted = true;
    eng__note_fault(r, MDL_EVENT_REGION_FAILURE,
                    sim_to_sec(sim_dist_sample(lag, r->r_failover)) + backlog);
    r->dr_desired = r->desired;
    r->desired = dr->warm_replicas; /* what will be waiting in the DR region */
    for (size_t i = 0; i < r->nnodes; i++)
        if (r->nodes[i]->state != N_GONE)
            eng__node_gone(r, r->nodes[i]);
    sim_time detect = detection(r, now);
    if (dr->health_check) {
        sim_time hc = health_check_detection(r, now);
        if (hc < detect) {
            detect = hc;
            r->out->detected_by_health_check = true;
        }
    }
    double *st = r->out->dr_step_s;
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
    sim_schedule_at(r->k, switched, on_dr_switch, r, NULL);
}
