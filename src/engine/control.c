/*
 * control.c — the control plane, as discrete events reading the cluster's state: metrics-server
 * scrapes, HPA syncs, the ReplicaSet controller, Karpenter's provisioning batches and its
 * consolidation passes, Spot interruptions and shortages, and deploys. The decisions themselves
 * are the models' (model/hpa.c, model/karpenter.c); this file feeds them what the real
 * controllers would see and carries out what they return.
 *
 * Each loop starts at a random phase within its period (drawn from the replication's own
 * stream): the real controllers are not synchronised with each other or with the load.
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARG(i) ((void *)(intptr_t)(i))
#define ID(a)  ((int)(intptr_t)(a))

static sim_time phase(eng__run *r, sim_time period)
{
    return (sim_time)(sim_rng_uniform(r->r_phase) * (double)period);
}

/* ---------------------------------------------------------------- metrics-server */

static void on_scrape(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    sim_time now = sim_now(r->k);
    const mdl_api_config *a = &r->s->api;
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        int running = p->state == P_RUNNING || p->state == P_READY || p->state == P_TERMINATING;
        if (!running) {
            p->has_sample = false;
            p->seen_running = false;
            continue;
        }
        eng__pod_cpu_account(r, p);
        /* a CPU rate needs two readings: the first scrape of a container only starts it */
        if (p->seen_running && now > p->scraped_at) {
            double cores = (p->cpu_area - p->cpu_area_scraped) / (double)(now - p->scraped_at);
            p->sample_cpu = (int64_t)(cores * 1000.0 + 0.5);
            p->sample_memory = a->memory_base + a->memory_per_request * p->in_service;
            p->sample_time = now;
            p->has_sample = true;
        }
        p->cpu_area_scraped = p->cpu_area;
        p->scraped_at = now;
        p->seen_running = true;
    }
    sim_schedule(r->k, r->s->metrics_resolution, on_scrape, r, NULL);
}

/* ---------------------------------------------------------------- the ReplicaSet controller */

/* Which pod goes first on a scale-down (kubernetes pkg/controller controller_utils.go,
 * ActivePods ordering): unassigned before assigned, not running before running, not Ready
 * before Ready, Ready for less time before longer, newer before older. Returns < 0 when a goes
 * before b. */
static int victim_order(const eng__pod *a, const eng__pod *b)
{
    int aa = a->state != P_PENDING, ba = b->state != P_PENDING;
    if (aa != ba)
        return aa - ba;
    int ar = a->state >= P_RUNNING, br = b->state >= P_RUNNING;
    if (ar != br)
        return ar - br;
    int ad = a->state == P_READY, bd = b->state == P_READY;
    if (ad != bd)
        return ad - bd;
    if (ad && a->ready_since != b->ready_since)
        return a->ready_since > b->ready_since ? -1 : 1;
    if (a->created != b->created)
        return a->created > b->created ? -1 : 1;
    return a->id > b->id ? -1 : 1;
}

static int alive(const eng__pod *p)
{
    return p->state < P_TERMINATING || p->state == P_CRASHED;
}

/* Terminates `n` pods of `version` (or of any version but it when `other` is set), in victim
 * order. */
static void remove_pods(eng__run *r, int n, int version, int other)
{
    while (n-- > 0) {
        eng__pod *v = NULL;
        for (size_t i = 0; i < r->npods; i++) {
            eng__pod *p = r->pods[i];
            if (!alive(p) || (other ? p->version == version : p->version != version))
                continue;
            if (!v || victim_order(p, v) < 0)
                v = p;
        }
        if (!v)
            return;
        eng__pod_terminate(r, v);
    }
}

static void add_pods(eng__run *r, int n)
{
    for (int i = 0; i < n; i++) {
        eng__pod *p = eng__pod_new(r);
        if (!p) {
            r->oom = 1;
            sim_stop(r->k);
            return;
        }
        eng__pod_schedule(r, p);
    }
}

void eng__reconcile(eng__run *r)
{
    if (r->deploy) {
        eng__deploy_reconcile(r);
        return;
    }
    int existing = eng__pods_existing(r);
    if (existing < r->desired)
        add_pods(r, r->desired - existing);
    else if (existing > r->desired)
        remove_pods(r, existing - r->desired, r->version, 0);
}

void eng__scale_to(eng__run *r, int replicas)
{
    r->desired = replicas;
    eng__reconcile(r);
}

/* ---------------------------------------------------------------- HPA */

static void on_hpa_sync(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    sim_time now = sim_now(r->k);
    if (eng__schedule_stopped(r->sched)) { /* scaled to 0 by the schedule: the HPA is idle */
        sim_schedule(r->k, s->hpa.sync_period, on_hpa_sync, r, NULL);
        return;
    }
    mdl_hpa_pod *view = malloc((r->npods ? r->npods : 1) * sizeof *view);
    if (!view) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->state == P_GONE)
            continue;
        mdl_hpa_pod *v = &view[n++];
        memset(v, 0, sizeof *v);
        v->pending = p->state < P_RUNNING;
        v->deleting = p->state == P_TERMINATING;
        v->ready = p->state == P_READY;
        v->start = p->started ? p->started : p->created;
        v->ready_change = v->ready ? p->ready_since : v->start;
        v->has_metrics = p->has_sample && !v->pending;
        v->sample_time = p->sample_time;
        v->sample_window = s->metrics_resolution;
        v->cpu_usage = p->sample_cpu;
        v->memory_usage = p->sample_memory;
        v->cpu_request = s->api.cpu_request;
        v->memory_request = s->api.memory_request;
    }
    int next = mdl_hpa_sync(&s->hpa, &r->hpa, now, r->desired, view, n, &r->hpa_last);
    free(view);
    if (next != r->desired) {
        eng_rep *o = r->out;
        if (o->nscale < ENG_MAX_SCALE_EVENTS) {
            eng_scale_event *e = &o->scale[o->nscale];
            e->t = sim_to_sec(now);
            e->from = r->desired;
            e->to = next;
            e->cpu_pct = r->hpa_last.cpu_utilisation;
            o->first_ready_after[o->nscale] = -1;
            o->nscale++;
        }
        eng__scale_to(r, next);
    }
    sim_schedule(r->k, s->hpa.sync_period, on_hpa_sync, r, NULL);
}

/* ---------------------------------------------------------------- Karpenter: provisioning */

static bool spot_available(void *ctx, int type)
{
    (void)type;
    const eng__run *r = ctx;
    return r->spot_unavailable == 0;
}

static void on_batch(void *ctx, void *arg);

/* A pod found no room: it joins (or opens) Karpenter's batch. */
void eng__pod_pending(eng__run *r, eng__pod *p)
{
    (void)p;
    sim_time now = sim_now(r->k);
    r->batch_last = now;
    if (r->batch_open)
        return;
    r->batch_open = true;
    r->batch_start = now;
    r->batch_ev = sim_schedule(r->k, r->s->cluster.batch_idle, on_batch, r, NULL);
}

int eng__provision(eng__run *r, bool immediate)
{
    if (r->region_down)
        return BASE_OK; /* no region to launch in until the DR region takes over */
    const mdl_cluster_config *c = &r->s->cluster;
    size_t np = 0;
    for (size_t i = 0; i < r->npods; i++)
        np += r->pods[i]->state == P_PENDING;
    if (np == 0)
        return BASE_OK;
    mdl_pod_need *need = malloc(np * sizeof *need);
    int *ids = malloc(np * sizeof *ids);
    size_t *index = malloc(np * sizeof *index);
    mdl_launch *launch = malloc(np * sizeof *launch);
    if (!need || !ids || !index || !launch) {
        free(need), free(ids), free(index), free(launch);
        return BASE_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->npods; i++) {
        if (r->pods[i]->state != P_PENDING)
            continue;
        ids[k] = (int)i;
        need[k] = mdl_api_pod_need(&r->s->api);
        k++;
    }
    mdl_pod_need overhead = mdl_daemonset_need(c);
    size_t unplaceable = 0;
    mdl_provision_batch batch = {.catalog = &c->catalog,
                                 .pools = c->pools,
                                 .npools = c->npools,
                                 .overhead = &overhead,
                                 .pods = need,
                                 .npods = np,
                                 .spot_available = spot_available,
                                 .spot_ctx = r};
    int nl = mdl_karpenter_provision(&batch, launch, np, index, &unplaceable);
    int st = BASE_OK;
    if (nl < 0) {
        st = BASE_EINPUT; /* some pod fits nowhere: they stay Pending */
    } else {
        for (int l = 0; l < nl; l++) {
            int node = eng__node_new(r, launch[l].type, launch[l].capacity, launch[l].pool, false,
                                     immediate);
            if (node < 0) {
                st = BASE_ENOMEM;
                break;
            }
            for (size_t j = 0; j < launch[l].count; j++) {
                eng__pod *p = r->pods[ids[index[launch[l].first + j]]];
                eng__pod_nominate(r, p, r->nodes[node]);
            }
        }
    }
    free(need), free(ids), free(index), free(launch);
    return st;
}

static void on_batch(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    sim_time now = sim_now(r->k);
    const mdl_cluster_config *c = &r->s->cluster;
    sim_time idle_end = r->batch_last + c->batch_idle, max_end = r->batch_start + c->batch_max;
    if (now < idle_end && now < max_end) {
        /* more pods came: the window stays open (BATCH_IDLE_DURATION, capped by _MAX_) */
        r->batch_ev =
            sim_schedule_at(r->k, idle_end < max_end ? idle_end : max_end, on_batch, r, NULL);
        return;
    }
    r->batch_open = false;
    r->batch_ev = SIM_NO_EVENT;
    /* pods may have found room meanwhile (a node became Ready, pods left) */
    for (size_t i = 0; i < r->npods; i++)
        if (r->pods[i]->state == P_PENDING) {
            eng__pod *p = r->pods[i];
            eng__pod_schedule(r, p);
        }
    if (r->batch_open) {
        /* eng__pod_schedule re-opened a batch for pods that still fit nowhere: launch now */
        sim_cancel(r->k, r->batch_ev);
        r->batch_open = false;
        r->batch_ev = SIM_NO_EVENT;
    }
    int st = eng__provision(r, false);
    if (st == BASE_ENOMEM) {
        r->oom = 1;
        sim_stop(r->k);
    }
    /* pods that fit no launch (no capacity type allowed right now) are retried later */
    for (size_t i = 0; i < r->npods; i++)
        if (r->pods[i]->state == P_PENDING) {
            r->batch_open = true;
            r->batch_start = r->batch_last = now;
            r->batch_ev = sim_schedule(r->k, c->disruption_period, on_batch, r, NULL);
            break;
        }
}

/* ---------------------------------------------------------------- Karpenter: consolidation */

static void on_disruption(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_cluster_config *c = &r->s->cluster;
    size_t nn = r->nnodes, np = r->npods;
    mdl_node_view *view = calloc(nn ? nn : 1, sizeof *view);
    mdl_pod_need *pods = calloc(np ? np : 1, sizeof *pods);
    size_t *chosen = calloc(nn ? nn : 1, sizeof *chosen);
    int *which = calloc(nn ? nn : 1, sizeof *which);
    if (!view || !pods || !chosen || !which) {
        free(view), free(pods), free(chosen), free(which);
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    /* pods per node in one pass (the view needs them grouped by node; scanning every pod for
     * every node was quadratic, and days with a thousand pods on hundreds of nodes felt it) */
    size_t *per = calloc(nn ? nn : 1, sizeof *per);
    if (!per) {
        free(view), free(pods), free(chosen), free(which);
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    for (size_t j = 0; j < np; j++) {
        const eng__pod *p = r->pods[j];
        if (p->state != P_GONE && p->node >= 0 && (size_t)p->node < nn)
            per[p->node]++;
    }
    size_t v = 0, k = 0;
    for (size_t i = 0; i < nn; i++) {
        eng__node *n = r->nodes[i];
        if (n->state == N_GONE || n->system)
            continue;
        const mdl_instance_type *t = &c->catalog.types[n->type];
        mdl_node_view *nv = &view[v];
        which[v++] = (int)i;
        nv->type = n->type;
        nv->capacity = n->capacity;
        nv->pool = n->pool;
        nv->ready = n->state == N_READY;
        nv->do_not_disrupt = false;
        nv->last_change = n->last_change;
        nv->free_cpu = t->alloc_cpu - c->daemonset_cpu - n->used_cpu;
        nv->free_memory = t->alloc_memory - c->daemonset_memory - n->used_memory;
        nv->free_pods = t->max_pods - 2 - n->npods;
        nv->first_pod = k;
        for (size_t j = 0; j < per[i]; j++) { /* the API's pods are all alike */
            pods[k].cpu = r->s->api.cpu_request;
            pods[k].memory = r->s->api.memory_request;
            pods[k].arch = r->s->api.arch;
            pods[k].spot_ok = r->s->api.spot_ok;
            k++;
        }
        nv->npods = k - nv->first_pod;
    }
    free(per);
    size_t m = mdl_karpenter_consolidate(&c->catalog, c->pools, c->npools, view, v, pods,
                                         r->disrupting, sim_now(r->k), chosen, v);
    for (size_t i = 0; i < m; i++)
        eng__node_disrupt(r, r->nodes[which[chosen[i]]], SIM_NEVER);
    free(view), free(pods), free(chosen), free(which);
    sim_schedule(r->k, c->disruption_period, on_disruption, r, NULL);
}

/* ---------------------------------------------------------------- events */

static void on_spot_storm(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_event *e = &r->s->events[ID(arg)];
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

static void on_spot_gone(void *ctx, void *arg)
{
    eng__run *r = ctx;
    r->spot_unavailable++;
    sim_schedule(r->k, r->s->events[ID(arg)].duration, on_spot_back, r, NULL);
}

static void on_deploy(void *ctx, void *arg);

/* A failure of the seed's HA table starts: recorded with its RPO, its RTO measured at the end
 * (record.c). NULL when the list is full (counted, not measured). */
static eng_fault *note_fault(eng__run *r, mdl_event_type type, double rpo_s)
{
    eng_rep *o = r->out;
    if (r->fault_at < 0)
        r->fault_at = sim_now(r->k);
    if (o->nfaults == ENG_MAX_FAULTS) {
        o->faults_dropped++;
        return NULL;
    }
    eng_fault *f = &o->faults[o->nfaults++];
    f->type = (int)type;
    f->at_s = sim_to_sec(sim_now(r->k));
    f->rpo_s = rpo_s;
    f->rto_s = f->lost_writes = f->first_served_s = f->failed = f->rto_latency_s = NAN;
    return f;
}

/* An instance failure (seed §6.3): the Multi-AZ standby is synchronous, nothing is lost. */
static void on_db_failover(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    note_fault(r, MDL_EVENT_DB_FAILOVER, 0);
    eng__db_failover(r);
}

/* Data corruption: the database restored by point-in-time recovery to just before it; RDS
 * keeps its latest restorable time within the last five minutes (transaction logs shipped
 * every five minutes: RDS user guide), so up to five minutes of writes go — uniform. */
static void on_data_corruption(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    note_fault(r, MDL_EVENT_DATA_CORRUPTION, 300.0 * sim_rng_uniform(r->r_failover));
    eng__db_outage(r, sim_dist_sample(&r->s->db.restore_time, r->r_failover));
}

/* Accidental deletion: restored from the latest automated snapshot, taken once a day in the
 * backup window (RDS user guide, "Backup window"): up to a day of writes go — uniform. */
static void on_accidental_delete(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    note_fault(r, MDL_EVENT_ACCIDENTAL_DELETE, 86400.0 * sim_rng_uniform(r->r_failover));
    eng__db_outage(r, sim_dist_sample(&r->s->db.snapshot_restore_time, r->r_failover));
}

static void on_cache_failover(void *ctx, void *arg)
{
    (void)arg;
    eng__cache_failover(ctx);
}

/* An AZ is lost at once: its nodes and their pods (requests in them fail; the Deployment
 * replaces the pods and Karpenter launches in the other AZs), and in AZ a the primaries.
 * RPO: a synchronous standby (RDS Multi-AZ, Aurora's shared volume) loses nothing; a Single-AZ
 * instance comes back by point-in-time restore to its latest restorable time, which RDS keeps
 * within the last five minutes (it uploads transaction logs every five minutes: RDS user guide,
 * "Restoring a DB instance to a specified time") — uniform over those five minutes. */
static void on_az_failure(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    const mdl_event *e = &s->events[ID(arg)];
    if (r->az_down[e->az])
        return;
    r->az_down[e->az] = true;
    eng_fault *f = note_fault(r, MDL_EVENT_AZ_FAILURE, 0);
    for (size_t i = 0; i < r->nnodes; i++)
        if (r->nodes[i]->az == e->az && r->nodes[i]->state != N_GONE)
            eng__node_lost(r, r->nodes[i]);
    if (e->az != 0)
        return;
    if (s->db.enabled && s->db.engine != MDL_DB_QUEUE) {
        if (s->db.engine == MDL_DB_RDS && !s->db.multi_az) {
            eng__db_outage(r, sim_dist_sample(&s->db.restore_time, r->r_failover));
            double rpo = 300.0 * sim_rng_uniform(r->r_failover);
            if (f)
                f->rpo_s = rpo;
        } else {
            eng__db_failover(r);
        }
    }
    if (s->redis.enabled)
        eng__cache_failover(r);
    eng__reconcile(r);
}

/* Karpenter nodes lost at once (a hardware fault, a kernel panic): `count` of them at random
 * (selection sampling, as for a Spot storm); the requests in their pods fail, the Deployment
 * replaces the pods and Karpenter the capacity. */
static void on_node_loss(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_event *e = &r->s->events[ID(arg)];
    size_t n = 0;
    for (size_t i = 0; i < r->nnodes; i++)
        n += !r->nodes[i]->system && r->nodes[i]->state == N_READY;
    size_t want = (size_t)e->count < n ? (size_t)e->count : n;
    for (size_t i = 0; i < r->nnodes && want > 0; i++) {
        eng__node *nd = r->nodes[i];
        if (nd->system || nd->state != N_READY)
            continue;
        if (sim_rng_uniform(r->r_failover) * (double)n < (double)want) {
            eng__node_lost(r, nd);
            want--;
        }
        n--;
    }
}

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
static void on_region_failure(void *ctx, void *arg)
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
    note_fault(r, MDL_EVENT_REGION_FAILURE,
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

void eng__control_start(eng__run *r)
{
    const mdl_scenario *s = r->s;
    if (s->hpa.enabled) {
        sim_schedule(r->k, phase(r, s->metrics_resolution), on_scrape, r, NULL);
        sim_schedule(r->k, phase(r, s->hpa.sync_period), on_hpa_sync, r, NULL);
    }
    if (s->cluster.enabled)
        sim_schedule(r->k, phase(r, s->cluster.disruption_period), on_disruption, r, NULL);
    for (size_t i = 0; i < s->nevents; i++) {
        const mdl_event *e = &s->events[i];
        sim_fn fn = NULL;
        switch (e->type) {
        case MDL_EVENT_SPOT_STORM: fn = on_spot_storm; break;
        case MDL_EVENT_SPOT_UNAVAILABLE: fn = on_spot_gone; break;
        case MDL_EVENT_DEPLOY: fn = on_deploy; break;
        case MDL_EVENT_DB_FAILOVER: fn = on_db_failover; break;
        case MDL_EVENT_CACHE_FAILOVER: fn = on_cache_failover; break;
        case MDL_EVENT_AZ_FAILURE: fn = on_az_failure; break;
        case MDL_EVENT_REGION_FAILURE: fn = on_region_failure; break;
        case MDL_EVENT_DATA_CORRUPTION: fn = on_data_corruption; break;
        case MDL_EVENT_ACCIDENTAL_DELETE: fn = on_accidental_delete; break;
        case MDL_EVENT_NODE_LOSS: fn = on_node_loss; break;
        }
        if (e->every > 0) { /* a random fault: Poisson occurrences from `at` to the end */
            sim_time t = e->at;
            for (;;) {
                t += (sim_time)(-log(1 - sim_rng_uniform(r->r_failover)) * (double)e->every);
                if (t >= r->end)
                    break;
                sim_schedule_at(r->k, t, fn, r, ARG(i));
            }
            continue;
        }
        sim_schedule_at(r->k, e->at, fn, r, ARG(i));
    }
}

/* ---------------------------------------------------------------- deploys */

static int count(const eng__run *r, int version, int same, int ready_only)
{
    int n = 0;
    for (size_t i = 0; i < r->npods; i++) {
        const eng__pod *p = r->pods[i];
        if (!alive(p) || (same ? p->version != version : p->version == version))
            continue;
        n += !ready_only || p->state == P_READY;
    }
    return n;
}

static void on_canary_pause_over(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    r->deploy_ev = SIM_NO_EVENT;
    r->deploy_phase = 2; /* on to 100%, as a rolling update */
    eng__deploy_reconcile(r);
}

void eng__deploy_reconcile(eng__run *r)
{
    const mdl_event *e = r->deploy;
    if (!e) {
        eng__reconcile(r);
        return;
    }
    int R = r->desired, v = r->version;
    int new_all = count(r, v, 1, 0), old_all = count(r, v, 0, 0);
    int new_ready = count(r, v, 1, 1), old_ready = count(r, v, 0, 1);
    if (e->strategy == MDL_DEPLOY_BLUE_GREEN) {
        /* green comes up beside blue; traffic switches when all of green is Ready */
        if (new_all < R)
            add_pods(r, R - new_all);
        if (new_ready >= R && old_all > 0)
            remove_pods(r, old_all, v, 1);
    } else if (e->strategy == MDL_DEPLOY_CANARY && r->deploy_phase < 2) {
        int c = (int)ceil(e->canary_weight * R);
        if (r->deploy_phase == 0) {
            if (new_all < c)
                add_pods(r, c - new_all);
            if (count(r, v, 1, 1) >= c) {
                /* the canary takes its share; the stable pods shrink by as many */
                remove_pods(r, old_all + new_all - R > 0 ? old_all + new_all - R : 0, v, 1);
                r->deploy_phase = 1;
                r->deploy_ev = sim_schedule(r->k, e->canary_pause, on_canary_pause_over, r, NULL);
            }
        }
        return;
    } else {
        /* rolling update (Deployment controller): at most R + surge pods, at least
         * R − unavailable of them Ready */
        double sf = e->strategy == MDL_DEPLOY_CANARY ? 0.25 : e->max_surge;
        double uf = e->strategy == MDL_DEPLOY_CANARY ? 0.25 : e->max_unavailable;
        int surge = (int)ceil(sf * R), unavail = (int)floor(uf * R);
        if (surge == 0 && unavail == 0)
            unavail = 1;
        int room = R + surge - (new_all + old_all);
        int want_new = R - new_all;
        if (room > 0 && want_new > 0)
            add_pods(r, room < want_new ? room : want_new);
        /* old pods that are not Ready go first: they serve nothing */
        int old_unready = old_all - old_ready;
        if (old_unready > 0)
            remove_pods(r, old_unready, v, 1);
        int can = (new_ready + old_ready) - (R - unavail);
        if (can > old_ready)
            can = old_ready;
        if (can > 0)
            remove_pods(r, can, v, 1);
    }
    if (count(r, v, 0, 0) == 0 && count(r, v, 1, 1) >= R) {
        r->deploy = NULL; /* done */
        eng__reconcile(r);
    }
}

static void on_deploy(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_event *e = &r->s->events[ID(arg)];
    if (r->deploy) {
        /* a deploy during a deploy: the newer one wins, as `kubectl apply` would */
        sim_cancel(r->k, r->deploy_ev);
        r->deploy_ev = SIM_NO_EVENT;
    }
    r->version++;
    r->deploy = e;
    r->deploy_phase = 0;
    eng__deploy_reconcile(r);
}
