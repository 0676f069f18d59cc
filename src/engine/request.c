/*
 * request.c — the request path of the request engine: every request an entity, every state
 * change an event. The cluster (pods and nodes, cluster.c) and the control loops (control.c)
 * decide which pods exist; this file moves requests through them. Its parts: the arrivals and
 * the walk along the component chain (chain.c) here; a request's own draws, the ALB's choice of
 * target, gunicorn's workers and backlog and its worker timeout in the pods component (pods.c,
 * the chain's last); the app phase on the pod's CPU, the database, and the answers and
 * failures here again.
 *
 * Path of a request (docs/models.md):
 *   arrival (non-homogeneous Poisson, traffic.c)
 *   -> CloudFront: a static request is answered at the edge (hit) or after an S3 fetch (miss),
 *      and so is a cacheable API read that hits; no contention is modelled there, so its latency
 *      is known at once and costs no event;
 *   -> an API request spends the edge and ALB latencies, then the ALB picks a routable pod
 *      (none: 503);
 *   -> the pod (a station: gunicorn sync workers + listen backlog) serves it, or queues it, or
 *      refuses it when the backlog is full (502);
 *   -> the worker runs the application for the request's CPU time — at full speed, or sharing
 *      the pod's CPU limit with the other workers when they want more (CFS quota, below) — then
 *      makes its queries one after another, each a visit to the database (a c-server station);
 *   -> the response goes back; the latency is measured from the edge arrival.
 *
 * Timeouts. The ALB's idle timeout only changes what the client sees — the pod keeps working on
 * a request whose client got a 504 — so it needs no event: a request that finishes later than
 * idle_timeout after the ALB forwarded it counts as a 504. gunicorn's worker timeout frees the
 * worker, so it is an event, cancelled when the request finishes first. A request killed while
 * waiting for or inside the database is marked dead and dropped when the database reaches it.
 *
 * CPU limit. A sync worker busy in the application wants one core. When the busy workers of a
 * pod want more than its CPU limit, the CFS quota throttles them; over periods of 100 ms the
 * effect is that they share the limit, so the app phase is played as processor sharing at
 * min(1, limit / busy) core per request (a fluid view of CFS bandwidth control; Linux
 * Documentation/scheduler/sched-bwc). Pods whose workers cannot exceed the limit take the fast
 * path: one event per app phase.
 *
 * Common random numbers. Each request's own randomness (class, CPU time, number of queries) is
 * drawn at its arrival from per-purpose streams, in arrival order, so two variants of a scenario
 * that differ downstream see the same requests with the same demands.
 */
#include "engine/data.h"

#include <stdlib.h>
#include <string.h>

#define SLAB 4096

struct eng__slab {
    struct eng__slab *next;
    eng__req items[SLAB];
};

eng__req *eng__req_alloc(eng__run *r)
{
    if (!r->free) {
        struct eng__slab *s = malloc(sizeof *s);
        if (!s)
            return NULL;
        s->next = r->slabs;
        r->slabs = s;
        for (int i = SLAB - 1; i >= 0; i--) {
            s->items[i].next = r->free;
            r->free = &s->items[i];
        }
    }
    eng__req *q = r->free;
    r->free = q->next;
    r->in_flight++;
    return q;
}

void eng__req_release(eng__run *r, eng__req *q)
{
    q->next = r->free;
    r->free = q;
    r->in_flight--;
    BASE_ASSERT(r->in_flight >= 0);
    if (r->draining && r->in_flight == 0)
        sim_stop(r->k);
}

/* Integrates the window's time-averages up to now. */
void eng__account(eng__run *r)
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
    if (r->db) {
        r->iv_db_area += (double)(now - r->iv_db_last) * (double)mdl_station_busy(r->db);
        r->iv_db_last = now;
    }
    r->last = now;
}

void eng__fail(eng__run *r, eng__req *q, mdl_cause cause)
{
    r->iv_errors[cause] += 1;
    if (q->measured)
        r->out->errors[cause] += 1;
}

static inline __attribute__((always_inline)) void served(eng__run *r, eng__req *q, sim_time lat)
{
    r->iv_served += 1;
    if (q->cls == MDL_API_WRITE) {
        r->iv_writes += 1;
    }
    if (sim_now(r->k) >= r->s->warmup && sim_now(r->k) < r->end)
        r->out->served_in_window += 1;
    if (q->cls != MDL_STATIC) { /* the series' latency columns are the API's */
        hist_record(r->iv_latency, lat);
        if (r->fault_at >= 0)
            eng__note_recovery(r, q->t_arrive, sim_now(r->k));
    }
    if (q->measured) {
        r->out->served[q->cls] += 1;
        hist_record(r->out->latency_class[q->cls], lat);
    }
}

/* The client's outcome of a request its pod finished (or killed) at `now`: eng__req_finish,
 * inline in the completion of every request (complete). */
static inline __attribute__((always_inline)) void finish(eng__run *r, eng__req *q, int killed,
                                                         mdl_cause cause)
{
    sim_time now = sim_now(r->k);
    sim_time idle = r->s->alb.idle_timeout;
    if (idle > 0 && now - q->t_pod > idle) {
        eng__fail(r, q, MDL_ERR_ALB_TIMEOUT); /* the client got a 504 before the pod answered */
        return;
    }
    if (killed) {
        eng__fail(r, q, cause);
        return;
    }
    served(r, q, now - q->t_arrive);
}

void eng__req_finish(eng__run *r, eng__req *q, int killed, mdl_cause cause)
{
    finish(r, q, killed, cause);
}

/* ---------------------------------------------------------------- CPU */

static double cores_limit(const eng__run *r)
{
    return (double)r->s->api.cpu_limit / 1000.0;
}

/* Integrates the pod's CPU use (core·ns) up to now; throttled pods also advance their
 * processor-sharing clock. */
void eng__pod_cpu_account(eng__run *r, eng__pod *p)
{
    if (r->flow) {
        eng__flow_pod_sync(r, p); /* the flow engine keeps it as a shared integral */
        return;
    }
    if (!r->track_cpu)
        return; /* nobody reads pod CPU (no HPA, no nodes) and nothing is throttled */
    sim_time now = sim_now(r->k);
    double dt = (double)(now - p->cpu_last);
    if (dt > 0 && p->app_busy > 0) {
        double lim = cores_limit(r);
        double used = p->app_busy < lim ? (double)p->app_busy : lim;
        p->cpu_area += used * dt;
        if (r->throttled)
            p->ps_v += dt * (used / p->app_busy);
    }
    p->cpu_last = now;
}

static void on_ps_done(void *ctx, void *arg);
void eng__req_fail_now(eng__run *r, eng__req *q, mdl_cause cause, int keep)
{
    sim_cancel(r->k, q->kill);
    q->kill = SIM_NO_EVENT;
    eng__pod_leave(r, q);
    eng__req_finish(r, q, 1, cause);
    if (keep)
        q->state = R_DEAD;
    else
        eng__req_release(r, q);
}

static void on_db_done(void *ctx, void *arg);

/* Throttled pods: the next app-phase completion, from the request with the least CPU left. */
static void ps_reschedule(eng__run *r, eng__pod *p)
{
    sim_cancel(r->k, p->ps_ev);
    p->ps_ev = SIM_NO_EVENT;
    if (p->app_busy == 0)
        return;
    double v_min = -1;
    for (int i = 0; i < p->app_busy; i++)
        if (v_min < 0 || p->ps_reqs[i]->v_finish < v_min)
            v_min = p->ps_reqs[i]->v_finish;
    double lim = cores_limit(r);
    double rate = p->app_busy < lim ? 1.0 : lim / p->app_busy; /* core per request */
    double wait = (v_min - p->ps_v) / rate;
    p->ps_ev = sim_schedule(r->k, wait > 0 ? (sim_time)(wait + 0.5) : 0, on_ps_done, r, p);
}

static void ps_remove(eng__pod *p, eng__req *q)
{
    for (int i = 0; i < p->app_busy; i++) {
        if (p->ps_reqs[i] == q) {
            p->ps_reqs[i] = p->ps_reqs[p->app_busy - 1];
            break;
        }
    }
}

void eng__app_start(eng__run *r, eng__req *q)
{
    eng__pod *p = r->pods[q->pod];
    q->state = R_APP;
    eng__pod_cpu_account(r, p);
    p->app_busy++;
    if (r->throttled) {
        p->ps_reqs[p->app_busy - 1] = q;
        q->v_finish = p->ps_v + (double)q->app;
        q->ev = SIM_NO_EVENT;
        ps_reschedule(r, p);
    } else {
        q->ev = sim_schedule(r->k, q->app, eng__on_app_done, r, q);
    }
}

/* The app phase of q ends (or q leaves it): the pod's CPU accounting follows. */
static void app_phase_end(eng__run *r, eng__pod *p, eng__req *q)
{
    eng__pod_cpu_account(r, p);
    if (r->throttled) {
        ps_remove(p, q);
        p->app_busy--;
        ps_reschedule(r, p);
    } else {
        p->app_busy--;
    }
}

static void db_start(eng__run *r, eng__req *q)
{
    q->state = R_DB;
    r->out->usage.db_queries += 1;
    r->out->usage.db_write_queries += q->cls == MDL_API_WRITE;
    sim_time t = sim_dist_sample(
        q->cls == MDL_API_WRITE ? &r->s->db.write_time : &r->s->db.read_time, r->r_query_time);
    sim_schedule(r->k, t, on_db_done, r, q);
}

static void db_arrive(eng__run *r, eng__req *q)
{
    eng__account(r);
    if (mdl_station_arrive(r->db, q) == MDL_ADMIT_SERVE)
        db_start(r, q);
    else
        q->state = R_DB_QUEUE; /* the database's queue is unbounded: never refused */
}

static inline __attribute__((always_inline)) void complete(eng__run *r, eng__req *q)
{
    if (q->kill != SIM_NO_EVENT)
        sim_cancel(r->k, q->kill);
    eng__pod_leave(r, q);
    finish(r, q, 0, MDL_NCAUSE);
    eng__req_release(r, q);
}

static inline __attribute__((always_inline)) void app_done(eng__run *r, eng__req *q)
{
    if (q->queries > 0 && eng__data_needs_tx(r)) {
        eng__tx_begin(r, q); /* a connection, then the queries on an instance */
    } else if (q->queries > 0) {
        q->state = R_DB_QUEUE;
        db_arrive(r, q);
    } else {
        complete(r, q);
    }
}

void eng__tx_done(eng__run *r, eng__req *q)
{
    complete(r, q);
}

void eng__on_app_done(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__req *q = arg;
    q->ev = SIM_NO_EVENT;
    if (!r->track_cpu && !r->flow) /* no CPU read, none throttled: nothing to account */
        r->pods[q->pod]->app_busy--;
    else
        app_phase_end(r, r->pods[q->pod], q);
    app_done(r, q);
}

static void on_ps_done(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = arg;
    p->ps_ev = SIM_NO_EVENT;
    eng__pod_cpu_account(r, p);
    /* the request with the least CPU left is done (rounding: within a nanosecond) */
    int best = -1;
    for (int i = 0; i < p->app_busy; i++)
        if (best < 0 || p->ps_reqs[i]->v_finish < p->ps_reqs[best]->v_finish)
            best = i;
    if (best < 0)
        return;
    eng__req *q = p->ps_reqs[best];
    p->ps_reqs[best] = p->ps_reqs[p->app_busy - 1];
    p->app_busy--;
    ps_reschedule(r, p);
    app_done(r, q);
}

static void on_db_done(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__req *q = arg;
    eng__account(r);
    /* the freed database server takes the next live query; dead ones are dropped */
    eng__req *next;
    while ((next = mdl_station_depart(r->db)) && next->state == R_DEAD)
        eng__req_release(r, next); /* depart() again passes the server on, or idles it */
    if (next)
        db_start(r, next);
    if (q->state == R_DEAD) {
        eng__req_release(r, q);
        return;
    }
    if (--q->queries > 0)
        db_arrive(r, q);
    else
        complete(r, q);
}

/* Takes q out of whatever phase it is in at its pod and fails it with `cause`. The request
 * struct lives on while the database still holds it. */
void eng__req_kill(eng__run *r, eng__req *q, mdl_cause cause)
{
    eng__pod *p = r->pods[q->pod];
    int in_db = q->state == R_DB_QUEUE || q->state == R_DB;
    if (q->state == R_REDIS || q->state == R_POOL_WAIT || q->state == R_TX) {
        eng__data_kill(r, q); /* marked dead: its station, pool or instance releases it */
        in_db = 1;
    }
    if (q->state == R_APP) {
        if (r->throttled)
            app_phase_end(r, p, q);
        else {
            sim_cancel(r->k, q->ev);
            app_phase_end(r, p, q);
        }
    }
    sim_cancel(r->k, q->kill);
    q->kill = SIM_NO_EVENT;
    eng__pod_leave(r, q);
    eng__req_finish(r, q, 1, cause);
    if (in_db)
        q->state = R_DEAD; /* the database still holds it: released when reached */
    else
        eng__req_release(r, q);
}

/* ---------------------------------------------------------------- arrivals */

static void on_arrival(void *ctx, void *arg);

/* The next arrival, from mdl_traffic_next; within a hold (a phase of constant rate) drawn here
 * as it would draw it, with the phase looked up once for its whole length (mdl_traffic_hold)
 * instead of per arrival: the same draws and the same times. */
static inline __attribute__((always_inline)) void schedule_next_arrival(eng__run *r)
{
    const mdl_traffic_config *tr = &r->s->traffic;
    if (tr->max_requests > 0 && r->arrivals_total >= tr->max_requests)
        return;
    sim_time now = sim_now(r->k), t;
    if (!(now >= r->hold_start && now < r->hold_end))
        r->hold = mdl_traffic_hold(tr, now, &r->hold_start, &r->hold_end, &r->hold_mean);
    if (r->hold) {
        t = now + sim_from_sec(sim_rng_exponential(r->r_arrival, r->hold_mean));
        if (t <= now)
            t = now + 1;
        if (t >= r->hold_end) /* past the phase: the next one starts fresh at its edge */
            t = mdl_traffic_next(tr, r->hold_end, r->r_arrival);
    } else {
        t = mdl_traffic_next(tr, now, r->r_arrival);
    }
    if (t != SIM_NEVER)
        sim_schedule_arrival(r->k, t, on_arrival, r, NULL);
}

void eng__schedule_first_arrival(eng__run *r)
{
    schedule_next_arrival(r);
}

static void on_arrival(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    sim_time now = sim_now(r->k);
    r->arrivals_total += 1;
    r->iv_arrivals += 1;
    schedule_next_arrival(r);

    mdl_class cls =
        r->only_class >= 0 ? (mdl_class)r->only_class : mdl_traffic_class(&s->traffic, r->r_mix);
    int measured = now >= s->warmup && now < r->end;
    if (measured)
        r->out->arrivals[cls] += 1;
    /* the edge and the load balancer (chain.c) answer it there, or the pods take it on */
    eng__hop h = {.cls = cls, .delay = 0, .at = now, .measured = measured};
    enum eng__outcome o = eng__chain_request(r, &h);
    if (o == ENG__SERVED) {
        eng__req tmp;
        tmp.measured = (uint8_t)measured;
        tmp.cls = (uint8_t)cls;
        served(r, &tmp, h.delay);
        return;
    }
    /* the pods (pods.c), the chain's last component, took it on */
    BASE_ASSERT(o == ENG__TAKEN);
    (void)o;
}
