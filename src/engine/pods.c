/*
 * pods.c — the API pods and their gunicorn servers as the last component of the chain
 * (component.h): a request that no earlier component answered is taken on here. Its own
 * randomness is drawn (class-dependent CPU time, queries, Redis look-ups: common random numbers,
 * in arrival order), the ALB's chosen target receives it after the edge and ALB latencies, and
 * the pod's gunicorn — `workers` sync workers and a listen backlog of `backlog` (a station,
 * model/station.c) — serves it, queues it, or refuses it when the backlog is full (502). A
 * worker that takes a request arms gunicorn's worker timeout and starts its session look-ups;
 * what follows (the app phase on the pod's CPU, the database) is request.c's, and the worker is
 * freed here (eng__pod_leave) when the request is answered or killed.
 *
 * Which pods exist is the cluster's (cluster.c) and the control plane's (control.c); this file
 * moves requests through the ones the ALB routes to. The flow engine serves a step's requests
 * at the pods in flow.c's closed loop, so this component has no `flow` slot yet; pods are billed
 * through their nodes (record.c), so it has no `meter`.
 */
#include "engine/component.h"
#include "engine/data.h"

struct eng__pods {
    sim_rng *rng; /* first (eng__state_new): none, the request's draws use the run's streams */
    eng__run *r;  /* the pods, routes and request pool are the run's (cluster.c, request.c) */
    /* a worker that takes a request goes straight to the application, one event: no worker
     * timeout, no memory limit (no cluster), no Redis, and the pod's CPU neither read (no HPA,
     * no nodes) nor throttled (pods_start) */
    bool plain;
};

static int pods_init(eng__run *r, void **state, base_err *err)
{
    int st = eng__state_new(r, sizeof(struct eng__pods), NULL, "the pods", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__pods *p = r->api = *state;
    p->r = r;
    return BASE_OK;
}

/* The run begins, every component made: what a worker does with a request is known. */
static void pods_start(void *state)
{
    struct eng__pods *pods = state;
    const eng__run *r = pods->r;
    const mdl_scenario *s = r->s;
    pods->plain = s->api.timeout <= 0 && !s->cluster.enabled && !r->cache->st && !r->flow &&
                  !r->track_cpu && !r->throttled;
}

/* ---------------------------------------------------------------- gunicorn's workers */

static void serving_add(eng__pod *p, eng__req *q)
{
    q->pprev = NULL;
    q->pnext = p->serving;
    if (p->serving)
        p->serving->pprev = q;
    p->serving = q;
}

static void serving_remove(eng__pod *p, eng__req *q)
{
    if (q->pprev)
        q->pprev->pnext = q->pnext;
    else
        p->serving = q->pnext;
    if (q->pnext)
        q->pnext->pprev = q->pprev;
    q->pnext = q->pprev = NULL;
}

static void on_kill(void *ctx, void *arg)
{
    struct eng__pods *pods = ctx;
    eng__req *q = arg;
    q->kill = SIM_NO_EVENT;
    eng__req_kill(pods->r, q, MDL_ERR_WORKER_TIMEOUT);
}

static void start_worker(struct eng__pods *pods, eng__pod *p, eng__req *q);

/* A worker takes q. Inline in both its callers (a request reaching a pod, a worker freed) with
 * the plain case (pods_start) whole: the hot path of every request. */
static inline __attribute__((always_inline)) void start_service(struct eng__pods *pods, eng__pod *p,
                                                                eng__req *q)
{
    eng__run *r = pods->r;
    sim_time now = sim_now(r->k);
    q->t_start = now;
    p->in_service++;
    serving_add(p, q);
    if (q->measured)
        hist_record(r->out->pod_wait, now - q->t_pod);
    if (pods->plain) { /* eng__app_start's unthrottled case, with no CPU to account */
        q->kill = SIM_NO_EVENT;
        q->state = R_APP;
        p->app_busy++;
        q->ev = sim_schedule(r->k, q->app, eng__on_app_done, r, q);
        return;
    }
    start_worker(pods, p, q);
}

/* The rest of start_service when the worker is not plain: the worker timeout, the memory limit,
 * the session look-ups, then the application. */
static void start_worker(struct eng__pods *pods, eng__pod *p, eng__req *q)
{
    eng__run *r = pods->r;
    q->kill = r->s->api.timeout > 0 ? sim_schedule(r->k, r->s->api.timeout, on_kill, pods, q)
                                    : SIM_NO_EVENT;
    /* memory: base + per request served; past the limit the container is OOM-killed */
    if (r->s->cluster.enabled &&
        r->s->api.memory_base + r->s->api.memory_per_request * p->in_service >
            r->s->api.memory_limit)
        eng__pod_oom(r, p);
    eng__redis_begin(r, q); /* the session look-ups, then the application */
}

void eng__pod_leave(eng__run *r, eng__req *q)
{
    eng__pod *p = r->pods[q->pod];
    eng__account(r);
    r->at_pods--;
    p->outstanding--;
    p->in_service--;
    /* what waits at a pod (outstanding) includes what its workers serve, never below 0 */
    BASE_ASSERT(r->at_pods >= 0 && p->in_service >= 0 && p->outstanding >= p->in_service);
    serving_remove(p, q);
    if (p->route >= 0)
        r->routes[p->route].outstanding--;
    eng__req *next = mdl_station_depart(p->st);
    if (next)
        start_service(r->api, p, next);
    if (p->state == P_TERMINATING && p->outstanding == 0)
        eng__pod_idle(r, p);
}

/* Fails every request waiting in the pod's backlog (gunicorn closed its listener). */
void eng__pod_drop_queued(eng__run *r, eng__pod *p, mdl_cause cause)
{
    /* the backlog's requests are behind the busy workers: take them out one by one */
    size_t n = mdl_station_queued(p->st);
    for (size_t i = 0; i < n; i++) {
        eng__req *q = mdl_station_take(p->st);
        if (!q)
            break;
        eng__account(r);
        r->at_pods--;
        p->outstanding--;
        if (p->route >= 0)
            r->routes[p->route].outstanding--;
        eng__req_finish(r, q, 1, cause);
        eng__req_release(r, q);
    }
}

/* Fails every request a worker of the pod holds (SIGKILL or OOM kill). */
void eng__pod_drop_serving(eng__run *r, eng__pod *p, mdl_cause cause)
{
    /* eng__pod_leave would hand each freed worker the next waiting request: empty the backlog
     * first */
    eng__pod_drop_queued(r, p, cause);
    while (p->serving)
        eng__req_kill(r, p->serving, cause);
}

/* ---------------------------------------------------------------- a request reaches a pod */

/* The request reaches the ALB's side: a target is picked and its pod admits it, or not. Inline
 * in eng__pods_request, which calls it at once when the ALB adds no latency. */
static inline __attribute__((always_inline)) void pod_arrival(struct eng__pods *pods, eng__req *q)
{
    eng__run *r = pods->r;
    double stale = eng__dns_stale(r->dns, sim_now(r->k));
    if (stale > 0 && sim_rng_uniform(eng__alb_rng(r->alb)) < stale) {
        eng__fail(r, q, MDL_ERR_NO_TARGET); /* sent to the lost region by a stale answer */
        eng__req_release(r, q);
        return;
    }
    int t = eng__alb_pick(r->alb, r->routes, r->nroutes);
    if (t < 0) {
        eng__fail(r, q, MDL_ERR_NO_TARGET);
        eng__req_release(r, q);
        return;
    }
    eng__pod *p = r->pods[r->routes[t].id];
    if (p->state == P_CRASHED || (p->state == P_STARTING && p->route >= 0)) {
        /* the container is down and the ALB's health checks have not noticed yet */
        eng__fail(r, q, MDL_ERR_TARGET_DOWN);
        eng__req_release(r, q);
        return;
    }
    q->pod = p->id;
    q->t_pod = sim_now(r->k);
    mdl_admit admit = mdl_station_arrive(p->st, q);
    if (admit == MDL_ADMIT_REJECTED) {
        eng__fail(r, q, MDL_ERR_BACKLOG_FULL);
        eng__req_release(r, q);
        return;
    }
    eng__account(r);
    r->at_pods++;
    p->outstanding++;
    r->routes[t].outstanding++;
    q->state = R_POD_QUEUE;
    if (admit == MDL_ADMIT_SERVE)
        start_service(pods, p, q);
}

static void on_pod_arrival(void *ctx, void *arg)
{
    pod_arrival(ctx, arg);
}

/* The request engine: a request the edge did not answer becomes an entity here, with its own
 * draws, and reaches the pods' side h->delay after the edge. */
enum eng__outcome eng__pods_request(void *state, eng__hop *h)
{
    struct eng__pods *pods = state;
    eng__run *r = pods->r;
    const mdl_scenario *s = r->s;
    mdl_class cls = h->cls;
    eng__req *q = eng__req_alloc(r);
    if (!q) {
        r->oom = 1;
        sim_stop(r->k);
        return ENG__TAKEN;
    }
    q->t_arrive = h->at;
    q->cls = (uint8_t)cls;
    q->measured = (uint8_t)h->measured;
    q->kill = q->ev = SIM_NO_EVENT;
    q->state = R_POD_QUEUE; /* pnext and pprev: set when a worker takes it (serving_add) */
    /* sim_dist_sample's own exponential case, without its call and switch: the same draw */
    const sim_dist *d = &s->api.service[cls];
    q->app = d->kind == SIM_DIST_EXPONENTIAL
                 ? sim_from_sec(sim_rng_exponential(r->r_service, d->mean))
                 : sim_dist_sample(d, r->r_service);
    q->queries = s->db.enabled ? mdl_db_queries(&s->db, cls, r->r_queries) : 0;
    q->lookups = 0;
    q->has_conn = 0;
    q->wait_ev = SIM_NO_EVENT;
    if (r->cache->st) {
        /* look-ups and their misses, drawn now (common random numbers) */
        double l = s->redis.lookups[cls];
        int n = (int)l + (sim_rng_uniform(r->r_queries) < l - (int)l);
        q->lookups = (uint8_t)(n < 255 ? n : 255);
        q->hits = 0;
        for (int i = 0; s->db.enabled && i < q->lookups; i++) {
            if (sim_rng_uniform(r->r_queries) < s->redis.hit_ratio) {
                q->hits++;
            } else {
                double m = s->redis.miss_queries;
                q->queries += (int)m + (sim_rng_uniform(r->r_queries) < m - (int)m);
            }
        }
    }
    if (h->delay == 0)
        pod_arrival(pods, q);
    else
        sim_schedule(r->k, h->delay, on_pod_arrival, pods, q);
    return ENG__TAKEN;
}

const eng__component eng__pods_component = {
    .name = "api",
    .init = pods_init,
    .free = eng__state_free,
    .start = pods_start,
    .request = eng__pods_request,
};
