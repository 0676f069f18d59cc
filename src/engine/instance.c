/*
 * instance.c — a database instance in the request engine: RDS's primary (and read replicas) or
 * Aurora's writer (and readers). Each runs its queries as processor sharing over its vCPUs, a
 * query taking at most one vCPU (a PostgreSQL backend is a single process): n queries on c vCPUs
 * each progress at min(1, c/n) of a vCPU. The running queries are a min-heap on the virtual CPU
 * time at which each finishes; one event, the next completion, is pending per instance.
 */
#include "engine/data.h"

#include <stdint.h>
#include <stdlib.h>

#define ARG(i) ((void *)(intptr_t)(i))
#define ID(a)  ((int)(intptr_t)(a))

static void on_query_done(void *ctx, void *arg);

static void heap_push(eng__dbi *d, eng__req *q)
{
    size_t i = (size_t)d->n - 1;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (d->heap[p]->v_finish <= q->v_finish)
            break;
        d->heap[i] = d->heap[p];
        i = p;
    }
    d->heap[i] = q;
}

/* Removes the root; d->n already counts it out. */
static eng__req *heap_pop(eng__dbi *d)
{
    eng__req *top = d->heap[0];
    size_t n = (size_t)d->n;
    if (n == 0)
        return top;
    eng__req *last = d->heap[n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && d->heap[c + 1]->v_finish < d->heap[c]->v_finish)
            c++;
        if (last->v_finish <= d->heap[c]->v_finish)
            break;
        d->heap[i] = d->heap[c];
        i = c;
    }
    d->heap[i] = last;
    return top;
}

/* The vCPUs left to this run's queries: the primary's less those EMEA's writes from the other
 * region keep busy (geo.c; 0 without regions), a background load updated at each accounting. */
static double avail(const eng__dbi *d)
{
    return d->bg > 0 ? (d->cores - d->bg > 1e-3 ? d->cores - d->bg : 1e-3) : d->cores;
}

static double share(const eng__dbi *d)
{
    return d->n == 0 ? 0 : (d->n < avail(d) ? 1.0 : avail(d) / d->n);
}

void eng__dbi_account(eng__run *r, eng__dbi *d)
{
    sim_time now = sim_now(r->k);
    double dt = (double)(now - d->last);
    if (dt > 0) {
        double used = (d->n < avail(d) ? (double)d->n : avail(d)) + (d->cores - avail(d));
        d->busy_area += used * dt;
        d->iv_busy += used * dt;
        d->cap_area += d->cores * dt;
        d->iv_cap += d->cores * dt;
        d->tick_busy += used * dt;
        if (now <= r->end) /* capacity is metered over the scenario, not the drain after it */
            d->acu_area += d->acu * dt;
        d->v += dt * share(d);
    }
    d->last = now;
    if (r->s->regions.has_remote && !r->flow && d == &r->data->dbis[0]) /* (flow: flow_loop.c) */
        d->bg = eng__geo_remote_cpu(r);
}

void eng__dbi_reschedule(eng__run *r, eng__dbi *d, int index)
{
    sim_cancel(r->k, d->ev);
    d->ev = SIM_NO_EVENT;
    if (d->n == 0 || d->cores <= 0)
        return;
    double wait = (d->heap[0]->v_finish - d->v) / share(d);
    d->ev = sim_schedule(r->k, wait > 0 ? (sim_time)(wait + 0.5) : 0, on_query_done, r->data,
                         ARG(index));
}

int eng__dbi_add(eng__run *r, int index, eng__req *q, sim_time work)
{
    eng__dbi *d = &r->data->dbis[index];
    eng__dbi_account(r, d);
    eng__req **h = base_grow(d->heap, &d->hcap, (size_t)d->n + 1, sizeof *h, 64);
    if (!h)
        return -1;
    d->heap = h;
    q->v_finish = d->v + (double)work;
    d->n++;
    heap_push(d, q);
    eng__dbi_reschedule(r, d, index);
    return 0;
}

void eng__db_iv(eng__run *r, double *pct)
{
    eng__dbi *d = &r->data->dbis[0];
    eng__dbi_account(r, d);
    *pct = d->iv_cap > 0 ? 100.0 * d->iv_busy / d->iv_cap : 0;
    d->iv_busy = d->iv_cap = 0;
}

double eng__db_utilisation(const eng__run *r, int instance)
{
    const eng__dbi *d = &r->data->dbis[instance];
    return d->cap_area > 0 ? d->busy_area / d->cap_area : 0;
}

/* The next completion on instance `index` (arg): the query leaves it, and its transaction goes
 * on (pgbouncer.c). */
static void on_query_done(void *ctx, void *arg)
{
    eng__run *r = ((struct eng__database *)ctx)->r;
    int index = ID(arg);
    eng__dbi *d = &r->data->dbis[index];
    d->ev = SIM_NO_EVENT;
    eng__dbi_account(r, d);
    if (d->n == 0)
        return;
    d->n--;
    eng__req *q = heap_pop(d);
    eng__dbi_reschedule(r, d, index);
    eng__query_done(r, q);
}
