/*
 * request.c — the request engine: every request an entity, every state change an event.
 *
 * Path of a request (docs/models.md):
 *   arrival (non-homogeneous Poisson, traffic.c)
 *   -> CloudFront: a static request is answered at the edge (hit) or after an S3 fetch (miss);
 *      no contention is modelled there, so its latency is known at once and costs no event;
 *   -> an API request spends the edge and ALB latencies, then the ALB picks a pod;
 *   -> the pod (a station: gunicorn sync workers + listen backlog) serves it, or queues it, or
 *      refuses it when the backlog is full (502);
 *   -> the worker runs the application for the request's service time, then makes its queries
 *      one after another, each a visit to the database (a c-server FIFO station);
 *   -> the response goes back; the latency is measured from the edge arrival.
 *
 * Timeouts. The ALB's idle timeout only changes what the client sees — the pod keeps working on
 * a request whose client got a 504 — so it needs no event: a request that finishes later than
 * idle_timeout after the ALB forwarded it counts as a 504 (at that earlier moment). gunicorn's
 * worker timeout does change the pod (the worker is killed and frees its slot), so it is an event,
 * cancelled when the request finishes first. A killed request waiting for or inside the database
 * is marked and dropped when the database reaches it (a disconnected client's query is not run;
 * one already running finishes on the database).
 *
 * Common random numbers. Each request's own randomness (class, service time, number of queries)
 * is drawn at its arrival from per-purpose streams, in arrival order, so two variants of a
 * scenario that differ downstream see the same requests with the same demands.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>

enum req_state { R_POD_QUEUE, R_APP, R_DB_QUEUE, R_DB, R_KILLED };

typedef struct req {
    sim_time t_arrive; /* at the edge */
    sim_time t_pod;    /* at the pod (the ALB forwarded it) */
    sim_time t_start;  /* a worker took it */
    sim_time app;      /* application service time */
    sim_handle ev;     /* pending app-done event, for the worker timeout to cancel */
    sim_handle kill;   /* pending worker timeout */
    struct req *next;  /* free list */
    int32_t pod;
    int32_t queries; /* left to make */
    uint8_t cls;
    uint8_t state;
    uint8_t measured;
} req;

#define SLAB 4096

typedef struct slab {
    struct slab *next;
    req items[SLAB];
} slab;

typedef struct run {
    const mdl_scenario *s;
    sim_engine *k;
    eng_rep *out;
    sim_rng *r_arrival, *r_mix, *r_cdn, *r_alb, *r_service, *r_queries, *r_query_time;
    sim_time end; /* end of the last phase: arrivals stop, the window closes */
    double arrivals_total;
    /* pods */
    int npods;
    mdl_station **pods;
    mdl_target *targets;
    mdl_alb alb;
    /* database */
    mdl_station *db;
    /* request pool */
    slab *slabs;
    req *free;
    long in_flight;
    /* time-averages over the window */
    sim_time last;    /* last accounting instant */
    long at_pods;     /* API requests at pods: waiting or being served */
    double area_pods; /* ns × requests */
    double area_db;   /* ns × busy servers */
    int draining;
    int oom;
    int only_class; /* the class every request has when the mix is 100% one class, else -1 */
} run;

static req *req_alloc(run *r)
{
    if (!r->free) {
        slab *s = malloc(sizeof *s);
        if (!s)
            return NULL;
        s->next = r->slabs;
        r->slabs = s;
        for (int i = SLAB - 1; i >= 0; i--) {
            s->items[i].next = r->free;
            r->free = &s->items[i];
        }
    }
    req *q = r->free;
    r->free = q->next;
    r->in_flight++;
    return q;
}

static void req_release(run *r, req *q)
{
    q->next = r->free;
    r->free = q;
    r->in_flight--;
    if (r->draining && r->in_flight == 0)
        sim_stop(r->k);
}

/* Integrates the time-averaged counts up to now, over the window [warmup, end]. */
static void account(run *r)
{
    sim_time now = sim_now(r->k);
    sim_time from = r->last > r->s->warmup ? r->last : r->s->warmup;
    sim_time to = now < r->end ? now : r->end;
    if (to > from) {
        double dt = (double)(to - from);
        r->area_pods += dt * (double)r->at_pods;
        if (r->db)
            r->area_db += dt * (double)mdl_station_busy(r->db);
    }
    r->last = now;
}

static void fail_req(run *r, req *q, mdl_cause cause)
{
    if (q->measured)
        r->out->errors[cause] += 1;
}

/* The client's outcome of a request the pod finished (or killed) at `now`. */
static void finish(run *r, req *q, int killed)
{
    sim_time now = sim_now(r->k);
    sim_time idle = r->s->alb.idle_timeout;
    if (idle > 0 && now - q->t_pod > idle) {
        fail_req(r, q, MDL_ERR_ALB_TIMEOUT); /* the client got a 504 before the pod answered */
        return;
    }
    if (killed) {
        fail_req(r, q, MDL_ERR_WORKER_TIMEOUT);
        return;
    }
    if (q->measured) {
        sim_time lat = now - q->t_arrive;
        r->out->served[q->cls] += 1;
        hist_record(r->out->latency_class[q->cls], lat);
    }
}

static void on_app_done(void *ctx, void *arg);
static void on_kill(void *ctx, void *arg);
static void on_db_done(void *ctx, void *arg);

static void start_service(run *r, req *q)
{
    sim_time now = sim_now(r->k);
    q->t_start = now;
    q->state = R_APP;
    if (q->measured)
        hist_record(r->out->pod_wait, now - q->t_pod);
    q->ev = sim_schedule(r->k, q->app, on_app_done, r, q);
    q->kill =
        r->s->api.timeout > 0 ? sim_schedule(r->k, r->s->api.timeout, on_kill, r, q) : SIM_NO_EVENT;
}

/* A worker of pod p is free: it takes the next waiting request, if any. */
static void worker_free(run *r, int p)
{
    req *next = mdl_station_depart(r->pods[p]);
    if (next)
        start_service(r, next);
}

/* The request leaves its pod (answered or killed). */
static void leave_pod(run *r, req *q)
{
    account(r);
    r->at_pods--;
    r->targets[q->pod].outstanding--;
    worker_free(r, q->pod);
}

static void db_start(run *r, req *q)
{
    q->state = R_DB;
    sim_time t = sim_dist_sample(
        q->cls == MDL_API_WRITE ? &r->s->db.write_time : &r->s->db.read_time, r->r_query_time);
    sim_schedule(r->k, t, on_db_done, r, q);
}

static void db_arrive(run *r, req *q)
{
    account(r);
    if (mdl_station_arrive(r->db, q) == MDL_ADMIT_SERVE)
        db_start(r, q);
    else
        q->state = R_DB_QUEUE; /* the database's queue is unbounded: never refused */
}

static void complete(run *r, req *q)
{
    sim_cancel(r->k, q->kill);
    leave_pod(r, q);
    finish(r, q, 0);
    req_release(r, q);
}

static void on_app_done(void *ctx, void *arg)
{
    run *r = ctx;
    req *q = arg;
    q->ev = SIM_NO_EVENT;
    if (q->queries > 0)
        db_arrive(r, q);
    else
        complete(r, q);
}

static void on_db_done(void *ctx, void *arg)
{
    run *r = ctx;
    req *q = arg;
    account(r);
    /* the freed database server takes the next live query; killed ones are dropped */
    req *next;
    while ((next = mdl_station_depart(r->db)) && next->state == R_KILLED)
        req_release(r, next); /* depart() again passes the server on, or idles it */
    if (next)
        db_start(r, next);
    if (q->state == R_KILLED) {
        req_release(r, q);
        return;
    }
    if (--q->queries > 0)
        db_arrive(r, q);
    else
        complete(r, q);
}

static void on_kill(void *ctx, void *arg)
{
    run *r = ctx;
    req *q = arg;
    q->kill = SIM_NO_EVENT;
    int in_db = q->state == R_DB_QUEUE || q->state == R_DB;
    if (q->state == R_APP)
        sim_cancel(r->k, q->ev);
    leave_pod(r, q);
    finish(r, q, 1);
    if (in_db)
        q->state = R_KILLED; /* the database still holds it: released when reached */
    else
        req_release(r, q);
}

static void on_pod_arrival(void *ctx, void *arg)
{
    run *r = ctx;
    req *q = arg;
    int p = mdl_alb_pick(&r->alb, r->targets, (size_t)r->npods);
    if (p < 0) {
        fail_req(r, q, MDL_ERR_NO_TARGET);
        req_release(r, q);
        return;
    }
    q->pod = p;
    q->t_pod = sim_now(r->k);
    switch (mdl_station_arrive(r->pods[p], q)) {
    case MDL_ADMIT_SERVE:
        account(r);
        r->at_pods++;
        r->targets[p].outstanding++;
        start_service(r, q);
        break;
    case MDL_ADMIT_QUEUED:
        account(r);
        r->at_pods++;
        r->targets[p].outstanding++;
        q->state = R_POD_QUEUE;
        break;
    case MDL_ADMIT_REJECTED:
        fail_req(r, q, MDL_ERR_BACKLOG_FULL);
        req_release(r, q);
        break;
    }
}

static void on_arrival(void *ctx, void *arg);

static void schedule_next_arrival(run *r)
{
    double max = r->s->traffic.max_requests;
    if (max > 0 && r->arrivals_total >= max)
        return;
    sim_time t = mdl_traffic_next(&r->s->traffic, sim_now(r->k), r->r_arrival);
    if (t != SIM_NEVER)
        sim_schedule_at(r->k, t, on_arrival, r, NULL);
}

static void on_arrival(void *ctx, void *arg)
{
    (void)arg;
    run *r = ctx;
    const mdl_scenario *s = r->s;
    sim_time now = sim_now(r->k);
    r->arrivals_total += 1;
    schedule_next_arrival(r);

    mdl_class cls =
        r->only_class >= 0 ? (mdl_class)r->only_class : mdl_traffic_class(&s->traffic, r->r_mix);
    int measured = now >= s->warmup && now < r->end;
    if (measured)
        r->out->arrivals[cls] += 1;
    sim_time edge = s->cdn.enabled ? sim_dist_sample(&s->cdn.edge_latency, r->r_cdn) : 0;

    if (cls == MDL_STATIC) {
        sim_time lat = edge;
        if (!mdl_cdn_hit(&s->cdn, r->r_cdn))
            lat += sim_dist_sample(&s->cdn.origin_latency, r->r_cdn);
        if (measured) {
            r->out->served[cls] += 1;
            hist_record(r->out->latency_class[cls], lat);
        }
        return;
    }

    req *q = req_alloc(r);
    if (!q) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    q->t_arrive = now;
    q->cls = (uint8_t)cls;
    q->measured = (uint8_t)measured;
    q->kill = q->ev = SIM_NO_EVENT;
    q->app = sim_dist_sample(&s->api.service[cls], r->r_service);
    q->queries = s->db.enabled ? mdl_db_queries(&s->db, cls, r->r_queries) : 0;
    sim_time delay = edge + sim_dist_sample(&s->alb.latency, r->r_alb);
    if (delay == 0)
        on_pod_arrival(r, q);
    else
        sim_schedule(r->k, delay, on_pod_arrival, r, q);
}

static void run_free(run *r)
{
    for (int i = 0; i < r->npods; i++)
        mdl_station_free(r->pods ? r->pods[i] : NULL);
    free(r->pods);
    free(r->targets);
    mdl_station_free(r->db);
    while (r->slabs) {
        slab *n = r->slabs->next;
        free(r->slabs);
        r->slabs = n;
    }
    sim_rng_free(r->r_arrival);
    sim_rng_free(r->r_mix);
    sim_rng_free(r->r_cdn);
    sim_rng_free(r->r_alb);
    sim_rng_free(r->r_service);
    sim_rng_free(r->r_queries);
    sim_rng_free(r->r_query_time);
    sim_free(r->k);
}

void eng_rep_clear(eng_rep *o)
{
    hist_free(o->latency);
    hist_free(o->api_latency);
    for (int c = 0; c < MDL_NCLASS; c++)
        hist_free(o->latency_class[c]);
    hist_free(o->pod_wait);
    memset(o, 0, sizeof *o);
}

static int rep_init(eng_rep *o, uint32_t replication)
{
    memset(o, 0, sizeof *o);
    o->replication = replication;
    int ok = (o->latency = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST)) != NULL;
    ok = ok && (o->api_latency = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST));
    for (int c = 0; c < MDL_NCLASS; c++)
        ok = ok && (o->latency_class[c] = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST));
    ok = ok && (o->pod_wait = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST));
    return ok ? BASE_OK : BASE_ENOMEM;
}

/* How long the run may go on after the last phase to let requests in flight finish. Past it,
 * what is left is reported as unfinished: a day is far beyond any timeout in a scenario. */
#define DRAIN_LIMIT (24 * SIM_HOUR)

int eng_run_request(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err)
{
    run r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.out = out;
    r.end = mdl_traffic_duration(&s->traffic);
    r.alb.algorithm = s->alb.algorithm;
    r.only_class = -1;
    for (int c = 0; c < MDL_NCLASS; c++)
        if (s->traffic.mix[c] >= 1.0)
            r.only_class = c;
    int st = rep_init(out, replication);
    r.k = sim_new();
    uint64_t seed = s->seed;
    r.r_arrival = sim_rng_new(seed, replication, "traffic.arrivals");
    r.r_mix = sim_rng_new(seed, replication, "traffic.mix");
    r.r_cdn = sim_rng_new(seed, replication, "cloudfront");
    r.r_alb = sim_rng_new(seed, replication, "alb");
    r.r_service = sim_rng_new(seed, replication, "api.service");
    r.r_queries = sim_rng_new(seed, replication, "database.queries");
    r.r_query_time = sim_rng_new(seed, replication, "database.query_time");
    r.npods = s->api.replicas;
    r.pods = calloc((size_t)r.npods, sizeof *r.pods);
    r.targets = calloc((size_t)r.npods, sizeof *r.targets);
    int ok = st == BASE_OK && r.k && r.r_arrival && r.r_mix && r.r_cdn && r.r_alb && r.r_service &&
             r.r_queries && r.r_query_time && r.pods && r.targets;
    for (int i = 0; ok && i < r.npods; i++) {
        r.pods[i] = mdl_station_new(s->api.workers, (size_t)s->api.backlog);
        r.targets[i].ready = true;
        ok = r.pods[i] != NULL;
    }
    if (ok && s->db.enabled)
        ok = (r.db = mdl_station_new(s->db.servers, SIZE_MAX)) != NULL;
    if (!ok) {
        run_free(&r);
        eng_rep_clear(out);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory setting up the run");
    }

    schedule_next_arrival(&r);
    st = sim_run(r.k, r.end, err);
    if (st == BASE_OK && !r.oom && r.in_flight > 0) {
        r.draining = 1;
        st = sim_run(r.k, r.end + DRAIN_LIMIT, err);
    }
    if (st == BASE_OK && r.oom)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory for requests");
    if (st == BASE_OK) {
        account(&r);
        out->window = sim_to_sec(r.end - s->warmup);
        double win_ns = (double)(r.end - s->warmup);
        out->pods_in_system = r.area_pods / win_ns;
        out->db_utilisation = r.db ? r.area_db / win_ns / s->db.servers : 0;
        out->unfinished = (double)r.in_flight;
        out->events = sim_events_run(r.k);
        /* the overall and API histograms are the class histograms merged: one record per
         * request on the hot path instead of three */
        for (int c = 0; c < MDL_NCLASS; c++) {
            hist_merge(out->latency, out->latency_class[c]);
            if (c != MDL_STATIC)
                hist_merge(out->api_latency, out->latency_class[c]);
        }
    }
    run_free(&r);
    if (st != BASE_OK)
        eng_rep_clear(out);
    return st;
}
