/*
 * database.c — the data tier in the request path (docs/models.md, "Data tier"):
 *
 * Connections. With `pgbouncer.mode: none` each gunicorn worker holds its own connection to the
 * database, opened the first time the worker needs it and kept while the pod lives. With a
 * PgBouncer (beside each pod, or one central), a request's queries form one transaction that
 * takes a server connection from the pool only for as long as it runs (transaction pooling):
 * an idle connection if there is one; else a new one while the pool is below
 * default_pool_size (plus the reserve pool for a client that waited reserve_pool_timeout);
 * else the client waits, first come first served, up to query_wait_timeout. Every server
 * connection counts against the database's max_connections: opening one beyond it fails
 * ("too many connections", a 500). A PgBouncer accepts at most max_client_conn clients (the
 * gunicorn workers); the workers beyond it are refused.
 *
 * Instances. RDS's primary (and read replicas) or Aurora's writer (and readers): each runs its
 * queries as processor sharing over its vCPUs, a query taking at most one vCPU (a PostgreSQL
 * backend is a single process): n queries on c vCPUs each progress at min(1, c/n) of a vCPU.
 * A read transaction goes to a replica with probability read_replica_share.
 *
 * Aurora Serverless v2. Capacity in ACUs, each worth vcpu_per_acu vCPUs, follows the load: every
 * second the writer's CPU utilisation over that second gives the capacity that would have held
 * it at target_utilisation (target tracking: need = busy vCPUs / target / vCPUs per ACU);
 * capacity grows towards it by at most scale_up_rate of itself per second (at least 0.5 ACU),
 * and when it has been above need for scale_down_interval it shrinks by scale_down_step. AWS
 * publishes neither rule: both are estimates from its descriptions and third-party measurements
 * (reference/behaviour.md §5). Readers follow the writer's capacity (promotion tiers 0–1 do).
 *
 * Redis. The primary node serves look-ups one at a time (Redis runs commands on one thread) at
 * ops_per_s; a look-up that misses costs database queries (drawn for the request at arrival).
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARG(i) ((void *)(intptr_t)(i))
#define ID(a)  ((int)(intptr_t)(a))

/* RDS for PostgreSQL's default max_connections: LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (AWS RDS user guide, "Maximum number of database connections"; reference/aws-prices.md §3).
 * The nominal memory overstates DBInstanceClassMemory a little (the OS's share is excluded), so
 * this is an upper bound. Aurora Serverless v2 uses the memory of its maximum capacity. */
static int max_connections(double memory)
{
    double c = floor(memory / 9531392.0);
    return (int)(c < 5000 ? c : 5000);
}

bool eng__data_needs_tx(const eng__run *r)
{
    return r->s->db.enabled && r->s->db.engine != MDL_DB_QUEUE;
}

/* ---------------------------------------------------------------- instances */

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

static double share(const eng__dbi *d)
{
    return d->n == 0 ? 0 : (d->n < d->cores ? 1.0 : d->cores / d->n);
}

static void dbi_account(eng__run *r, eng__dbi *d)
{
    sim_time now = sim_now(r->k);
    double dt = (double)(now - d->last);
    if (dt > 0) {
        double used = d->n < d->cores ? (double)d->n : d->cores;
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
}

static void on_query_done(void *ctx, void *arg);

static void dbi_reschedule(eng__run *r, eng__dbi *d, int index)
{
    sim_cancel(r->k, d->ev);
    d->ev = SIM_NO_EVENT;
    if (d->n == 0 || d->cores <= 0)
        return;
    double wait = (d->heap[0]->v_finish - d->v) / share(d);
    d->ev = sim_schedule(r->k, wait > 0 ? (sim_time)(wait + 0.5) : 0, on_query_done, r, ARG(index));
}

static int dbi_add(eng__run *r, int index, eng__req *q, sim_time work)
{
    eng__dbi *d = &r->dbis[index];
    dbi_account(r, d);
    if ((size_t)d->n == d->hcap) {
        size_t cap = d->hcap ? d->hcap * 2 : 64;
        eng__req **h = realloc(d->heap, cap * sizeof *h);
        if (!h)
            return -1;
        d->heap = h;
        d->hcap = cap;
    }
    q->v_finish = d->v + (double)work;
    d->n++;
    heap_push(d, q);
    dbi_reschedule(r, d, index);
    return 0;
}

void eng__db_iv(eng__run *r, double *pct)
{
    eng__dbi *d = &r->dbis[0];
    dbi_account(r, d);
    *pct = d->iv_cap > 0 ? 100.0 * d->iv_busy / d->iv_cap : 0;
    d->iv_busy = d->iv_cap = 0;
}

double eng__db_utilisation(const eng__run *r, int instance)
{
    const eng__dbi *d = &r->dbis[instance];
    return d->cap_area > 0 ? d->busy_area / d->cap_area : 0;
}

/* ---------------------------------------------------------------- pools */

static eng__pool *pool_of(eng__run *r, const eng__req *q)
{
    return r->s->pgbouncer.mode == MDL_PGB_CENTRAL ? &r->central : &r->pods[q->pod]->pool;
}

static int pool_limit(const eng__run *r, int with_reserve)
{
    if (r->s->pgbouncer.mode == MDL_PGB_NONE)
        return r->s->api.workers; /* one connection per worker */
    return r->s->pgbouncer.default_pool_size +
           (with_reserve ? r->s->pgbouncer.reserve_pool_size : 0);
}

static int wait_push(eng__pool *p, eng__req *q)
{
    if (p->wlen == p->wcap) {
        size_t cap = p->wcap ? p->wcap * 2 : 16;
        eng__req **w = malloc(cap * sizeof *w);
        if (!w)
            return -1;
        for (size_t i = 0; i < p->wlen; i++)
            w[i] = p->wait[(p->whead + i) % p->wcap];
        free(p->wait);
        p->wait = w;
        p->wcap = cap;
        p->whead = 0;
    }
    p->wait[(p->whead + p->wlen) % p->wcap] = q;
    p->wlen++;
    return 0;
}

/* The next live waiter, dropping (and releasing) the dead ones on the way. */
static eng__req *wait_pop(eng__run *r, eng__pool *p)
{
    while (p->wlen > 0) {
        eng__req *q = p->wait[p->whead];
        p->whead = (p->whead + 1) % p->wcap;
        p->wlen--;
        if (q->state == R_POOL_WAIT)
            return q;
        if (q->state == R_DEAD && !q->has_conn)
            eng__req_release(r, q);
        /* otherwise it left the queue another way (the reserve pool) and lives on */
    }
    return NULL;
}

static void tx_query(eng__run *r, eng__req *q);
static void tx_first_query(eng__run *r, eng__req *q);

/* The transaction of q ends (committed, or q died): its connection serves the next waiter. */
static void tx_release(eng__run *r, eng__req *q)
{
    eng__pool *p = pool_of(r, q);
    eng__pool *mine = &r->pods[q->pod]->pool;
    if (mine->tx > 0)
        mine->tx--;
    q->has_conn = 0;
    eng__req *next = wait_pop(r, p);
    if (next) {
        sim_cancel(r->k, next->wait_ev);
        sim_cancel(r->k, next->ev);
        next->wait_ev = next->ev = SIM_NO_EVENT;
        next->has_conn = 1;
        tx_first_query(r, next); /* a waiter has run no query yet: choose its instance */
    } else if (p->busy > 0) {
        p->busy--;
    }
}

static void tx_first_query(eng__run *r, eng__req *q)
{
    /* where the transaction runs: a replica for a share of the reads */
    q->dbi = 0;
    if (r->ndbis > 1 && q->cls == MDL_API_READ &&
        sim_rng_uniform(r->r_query_time) < r->s->db.replica_read_share) {
        q->dbi = (uint8_t)(1 + r->replica_rr % (r->ndbis - 1));
        r->replica_rr++;
    }
    tx_query(r, q);
}

static void tx_query(eng__run *r, eng__req *q)
{
    q->state = R_TX;
    const mdl_db_config *db = &r->s->db;
    sim_time work = sim_dist_sample(q->cls == MDL_API_WRITE ? &db->write_time : &db->read_time,
                                    r->r_query_time);
    r->out->usage.db_queries += 1;
    r->out->usage.db_write_queries += q->cls == MDL_API_WRITE;
    if (db->engine == MDL_DB_AURORA)
        r->out->usage.aurora_io += db->io_per_query[q->cls];
    if (dbi_add(r, q->dbi, q, work) != 0) {
        r->oom = 1;
        sim_stop(r->k);
    }
}

static void on_query_done(void *ctx, void *arg)
{
    eng__run *r = ctx;
    int index = ID(arg);
    eng__dbi *d = &r->dbis[index];
    d->ev = SIM_NO_EVENT;
    dbi_account(r, d);
    if (d->n == 0)
        return;
    d->n--;
    eng__req *q = heap_pop(d);
    dbi_reschedule(r, d, index);
    if (q->state == R_DEAD) {
        tx_release(r, q);
        eng__req_release(r, q);
        return;
    }
    if (--q->queries > 0) {
        tx_query(r, q);
        return;
    }
    tx_release(r, q);
    eng__tx_done(r, q);
}

static void on_wait_timeout(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__req *q = arg;
    q->wait_ev = SIM_NO_EVENT;
    if (q->state != R_POOL_WAIT)
        return;
    sim_cancel(r->k, q->ev);
    q->ev = SIM_NO_EVENT;
    eng__pool *mine = &r->pods[q->pod]->pool;
    if (mine->tx > 0)
        mine->tx--;
    /* PgBouncer disconnects the client; it stays in the queue until reached (as dead) */
    eng__req_fail_now(r, q, MDL_ERR_POOL_TIMEOUT, 1);
}

/* Opens a server connection if the database accepts one more. */
static int open_conn(eng__run *r, eng__pool *p)
{
    if (r->db_conns >= r->max_conns)
        return 0;
    r->db_conns++;
    p->open++;
    return 1;
}

static void on_reserve(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__req *q = arg;
    q->ev = SIM_NO_EVENT;
    if (q->state != R_POOL_WAIT)
        return;
    eng__pool *p = pool_of(r, q);
    if (p->open >= pool_limit(r, 1) || !open_conn(r, p))
        return; /* no room: keep waiting */
    sim_cancel(r->k, q->wait_ev);
    q->wait_ev = SIM_NO_EVENT;
    p->busy++;
    q->has_conn = 1;
    tx_first_query(r, q); /* its queue slot is skipped when reached (state R_TX) */
}

void eng__tx_begin(eng__run *r, eng__req *q)
{
    eng__pod *pod = r->pods[q->pod];
    eng__pool *mine = &pod->pool, *p = pool_of(r, q);
    if (r->db_down) {
        /* the endpoint does not answer: PgBouncer fails new clients at once while its server
         * logins fail (server_login_retry, reference/behaviour.md §6) */
        eng__req_fail_now(r, q, MDL_ERR_DB_FAILOVER, 0);
        return;
    }
    if (mine->tx >= mine->clients) {
        eng__req_fail_now(r, q, MDL_ERR_CLIENT_REFUSED, 0);
        return;
    }
    mine->tx++;
    if (p->busy < p->open) {
        p->busy++;
        q->has_conn = 1;
        tx_first_query(r, q);
        return;
    }
    if (p->open < pool_limit(r, 0)) {
        if (!open_conn(r, p)) {
            mine->tx--;
            eng__req_fail_now(r, q, MDL_ERR_DB_CONNECTIONS, 0);
            return;
        }
        p->busy++;
        q->has_conn = 1;
        tx_first_query(r, q);
        return;
    }
    /* every connection of the pool is in a transaction: wait for one */
    if (wait_push(p, q) != 0) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    q->state = R_POOL_WAIT;
    const mdl_pgbouncer_config *b = &r->s->pgbouncer;
    q->wait_ev = b->query_wait_timeout > 0
                     ? sim_schedule(r->k, b->query_wait_timeout, on_wait_timeout, r, q)
                     : SIM_NO_EVENT;
    q->ev = b->reserve_pool_size > 0 ? sim_schedule(r->k, b->reserve_pool_timeout, on_reserve, r, q)
                                     : SIM_NO_EVENT;
}

/* ---------------------------------------------------------------- Redis */

static void on_redis_done(void *ctx, void *arg);

static void redis_serve(eng__run *r, eng__req *q)
{
    r->out->usage.cache_ops += 1;
    sim_schedule(r->k, r->redis_op, on_redis_done, r, q);
}

static void redis_next(eng__run *r, eng__req *q)
{
    q->state = R_REDIS;
    if (mdl_station_arrive(r->redis, q) == MDL_ADMIT_SERVE)
        redis_serve(r, q);
}

void eng__redis_begin(eng__run *r, eng__req *q)
{
    if (!r->redis || q->lookups == 0) {
        eng__app_start(r, q);
        return;
    }
    if (r->redis_down) {
        /* the primary is gone: the application treats the error as a miss (cache-aside), so
         * what Redis would have found costs its queries too */
        double m = r->s->redis.miss_queries;
        for (int i = 0; r->s->db.enabled && i < q->hits; i++)
            q->queries += (int)m + (sim_rng_uniform(r->r_failover) < m - (int)m);
        q->lookups = 0;
        eng__app_start(r, q);
        return;
    }
    redis_next(r, q);
}

static void on_redis_done(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__req *q = arg;
    eng__req *next;
    while ((next = mdl_station_depart(r->redis)) && next->state == R_DEAD)
        eng__req_release(r, next);
    if (next)
        redis_serve(r, next);
    if (q->state == R_DEAD) {
        eng__req_release(r, q);
        return;
    }
    if (--q->lookups > 0)
        redis_next(r, q);
    else
        eng__app_start(r, q);
}

/* ---------------------------------------------------------------- kills and pods */

void eng__data_kill(eng__run *r, eng__req *q)
{
    if (q->state == R_POOL_WAIT) {
        sim_cancel(r->k, q->wait_ev);
        sim_cancel(r->k, q->ev);
        q->wait_ev = q->ev = SIM_NO_EVENT;
        eng__pool *mine = &r->pods[q->pod]->pool;
        if (mine->tx > 0)
            mine->tx--;
    }
    q->state = R_DEAD; /* the station, queue or instance holding it releases it */
}

void eng__pod_pool_open(eng__run *r, eng__pod *p)
{
    const mdl_pgbouncer_config *b = &r->s->pgbouncer;
    int w = r->s->api.workers;
    memset(&p->pool, 0, sizeof p->pool);
    switch (b->mode) {
    case MDL_PGB_NONE: p->pool.clients = w; break;
    case MDL_PGB_PER_POD: p->pool.clients = w < b->max_client_conn ? w : b->max_client_conn; break;
    case MDL_PGB_CENTRAL: {
        int room = b->max_client_conn - r->central_clients;
        p->pool.clients = w < room ? w : (room > 0 ? room : 0);
        r->central_clients += p->pool.clients;
        break;
    }
    }
}

void eng__pod_pool_close(eng__run *r, eng__pod *p)
{
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL) {
        r->central_clients -= p->pool.clients;
    } else {
        r->db_conns -= p->pool.open;
        p->pool.open = 0;
        /* anyone still waiting died with the pod; the queue is dropped here */
        while (p->pool.wlen > 0) {
            eng__req *q = wait_pop(r, &p->pool);
            if (q) {
                q->state = R_DEAD;
                eng__req_release(r, q);
            }
        }
    }
    p->pool.clients = 0;
    free(p->pool.wait);
    p->pool.wait = NULL;
    p->pool.wcap = p->pool.wlen = p->pool.whead = 0;
}

/* ---------------------------------------------------------------- failovers */

/* A pool's connections are broken: those held by transactions still running on a replica are
 * kept (their transactions finish there), the rest are gone. */
static void pool_break(eng__run *r, eng__pool *p)
{
    /* its waiters cannot get a connection while the primary is down: they fail now */
    for (size_t i = 0; i < p->wlen; i++) {
        eng__req *q = p->wait[(p->whead + i) % p->wcap];
        if (q->state != R_POOL_WAIT)
            continue;
        eng__data_kill(r, q);                            /* cancels its timers */
        eng__req_fail_now(r, q, MDL_ERR_DB_FAILOVER, 1); /* released when popped */
    }
    r->db_conns -= p->open - p->busy;
    p->open = p->busy;
}

static void on_db_back(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    r->db_down = 0; /* pools reconnect as transactions need them */
}

void eng__db_failover(eng__run *r)
{
    if (!eng__data_needs_tx(r) || r->db_down)
        return;
    const mdl_db_config *db = &r->s->db;
    eng__db_outage(r, sim_dist_sample(db->engine == MDL_DB_AURORA ? &db->aurora_failover_time
                                                                  : &db->failover_time,
                                      r->r_failover));
}

void eng__db_outage(eng__run *r, sim_time down)
{
    if (!eng__data_needs_tx(r) || r->db_down)
        return;
    r->db_down = 1;
    r->out->db_failover_s += sim_to_sec(down);
    /* the queries running on the primary lose their connection: their requests fail */
    eng__dbi *d = &r->dbis[0];
    dbi_account(r, d);
    int n = d->n;
    eng__req **run = malloc((size_t)(n > 0 ? n : 1) * sizeof *run);
    if (!run) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    if (n > 0) /* an idle instance may not have allocated its heap yet */
        memcpy(run, d->heap, (size_t)n * sizeof *run);
    d->n = 0;
    dbi_reschedule(r, d, 0);
    /* first every waiter (so that no released connection is handed to one), then the runners */
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL)
        pool_break(r, &r->central);
    for (size_t i = 0; i < r->npods; i++)
        pool_break(r, &r->pods[i]->pool);
    for (int i = 0; i < n; i++) {
        eng__req *q = run[i];
        tx_release(r, q);
        if (q->state == R_DEAD)
            eng__req_release(r, q);
        else
            eng__req_fail_now(r, q, MDL_ERR_DB_FAILOVER, 0);
    }
    free(run);
    /* the connections the runners held are gone too */
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL)
        pool_break(r, &r->central);
    for (size_t i = 0; i < r->npods; i++)
        pool_break(r, &r->pods[i]->pool);
    sim_schedule(r->k, down, on_db_back, r, NULL);
}

static void on_cache_back(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    r->redis_down = 0;
}

void eng__cache_failover(eng__run *r)
{
    if (!r->redis || r->redis_down)
        return;
    eng__cache_outage(r, sim_dist_sample(&r->s->redis.failover_time, r->r_failover));
}

void eng__cache_outage(eng__run *r, sim_time down)
{
    if (!r->redis || r->redis_down)
        return;
    r->redis_down = 1;
    r->out->cache_failover_s += sim_to_sec(down);
    sim_schedule(r->k, down, on_cache_back, r, NULL);
}

/* ---------------------------------------------------------------- Aurora's capacity */

static double half_up(double acu)
{
    return ceil(acu * 2 - 1e-9) / 2;
}

static void set_acu(eng__run *r, double acu)
{
    const mdl_db_config *db = &r->s->db;
    for (int i = 0; i < r->ndbis; i++) {
        eng__dbi *d = &r->dbis[i];
        dbi_account(r, d);
        d->acu = acu;
        d->cores = acu * db->vcpu_per_acu;
        dbi_reschedule(r, d, i);
    }
}

static void on_aurora_tick(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_db_config *db = &r->s->db;
    eng__dbi *w = &r->dbis[0];
    dbi_account(r, w);
    if (r->db_down) { /* no writer to measure: the promoted reader keeps its capacity */
        w->tick_busy = 0;
        sim_schedule(r->k, SIM_SEC, on_aurora_tick, r, NULL);
        return;
    }
    double secs = 1.0;
    /* target tracking on CPU utilisation, as the HPA does: the capacity that would have run
     * the last second's CPU at the target (a saturated second asks for acu / target, and the
     * pace below limits the step) */
    double used = w->tick_busy / (secs * 1e9); /* vCPUs busy, averaged over the second */
    w->tick_busy = 0;
    double need = half_up(used / db->acu_target / db->vcpu_per_acu);
    if (need < db->acu_min)
        need = db->acu_min;
    if (need > db->acu_max)
        need = db->acu_max;
    double acu = w->acu;
    sim_time now = sim_now(r->k);
    if (need > acu) {
        double step = floor(acu * db->acu_up_rate * secs * 2) / 2;
        if (step < 0.5)
            step = 0.5;
        set_acu(r, acu + step < need ? acu + step : need);
        w->below_since = SIM_NEVER;
    } else if (need < acu) {
        if (w->below_since == SIM_NEVER)
            w->below_since = now;
        else if (now - w->below_since >= db->acu_down_interval) {
            double down = acu - db->acu_down_step;
            set_acu(r, down > need ? down : need);
            w->below_since = now;
        }
    } else {
        w->below_since = SIM_NEVER;
    }
    sim_schedule(r->k, SIM_SEC, on_aurora_tick, r, NULL);
}

/* ---------------------------------------------------------------- CPU credits */

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

static const mdl_db_class *burstable(const eng__run *r)
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
    const mdl_db_class *c = burstable(r);
    if (!c || !(secs > 0))
        return;
    double earn = c->baseline * c->vcpu * secs / 60.0; /* credits = vCPU-minutes */
    double cap = c->baseline * c->vcpu * 60.0 * 24;    /* 24 hours of earnings */
    bool standard = r->s->db.credit_mode == MDL_CREDITS_STANDARD;
    for (int i = 0; i < r->ndbis; i++) {
        eng__dbi *d = &r->dbis[i];
        dbi_account(r, d);
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
            dbi_reschedule(r, d, i);
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

/* ---------------------------------------------------------------- set-up and metering */

int eng__data_init(eng__run *r, base_err *err)
{
    const mdl_scenario *s = r->s;
    if (s->redis.enabled) {
        double ops = s->redis.ops_per_s > 0
                         ? s->redis.ops_per_s
                         : s->cluster.catalog.cache[s->redis.cache_type].ops_per_s;
        r->redis = mdl_station_new(1, SIZE_MAX);
        r->redis_op = sim_from_sec(1.0 / ops);
        if (!r->redis)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (!eng__data_needs_tx(r))
        return BASE_OK;
    const mdl_db_config *db = &s->db;
    if (db->engine == MDL_DB_RDS) {
        const mdl_db_class *c = &s->cluster.catalog.db[db->db_class];
        r->ndbis = 1 + db->read_replicas;
        r->max_conns = max_connections((double)c->memory);
        r->dbis = calloc((size_t)r->ndbis, sizeof *r->dbis);
        if (!r->dbis)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        for (int i = 0; i < r->ndbis; i++)
            r->dbis[i].cores = c->vcpu;
    } else {
        r->ndbis = 1 + db->aurora_readers;
        r->max_conns = max_connections(db->acu_max * (double)db->memory_per_acu);
        r->dbis = calloc((size_t)r->ndbis, sizeof *r->dbis);
        if (!r->dbis)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        for (int i = 0; i < r->ndbis; i++) {
            r->dbis[i].acu = db->acu_min;
            r->dbis[i].cores = db->acu_min * db->vcpu_per_acu;
        }
    }
    const mdl_db_class *bc = burstable(r);
    for (int i = 0; i < r->ndbis; i++) {
        r->dbis[i].below_since = SIM_NEVER;
        if (bc)
            r->dbis[i].credits = db->credits_start * bc->baseline * bc->vcpu * 60.0 * 24;
    }
    return BASE_OK;
}

static void on_window_start(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    eng__dbi *d = &r->dbis[0];
    dbi_account(r, d);
    d->win_busy = d->busy_area;
    d->win_cap = d->cap_area;
}

static void on_window_end(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    eng__dbi *d = &r->dbis[0];
    for (int i = 0; i < r->ndbis; i++)
        dbi_account(r, &r->dbis[i]);
    double cap = d->cap_area - d->win_cap;
    r->out->db_utilisation = cap > 0 ? (d->busy_area - d->win_busy) / cap : 0;
}

void eng__data_start(eng__run *r)
{
    if (!eng__data_needs_tx(r))
        return;
    sim_schedule_at(r->k, r->s->warmup, on_window_start, r, NULL);
    sim_schedule_at(r->k, r->end, on_window_end, r, NULL);
    if (r->s->db.engine == MDL_DB_AURORA)
        sim_schedule(r->k, SIM_SEC, on_aurora_tick, r, NULL);
    if (burstable(r) && CREDIT_TICK <= r->end)
        sim_schedule(r->k, CREDIT_TICK, on_credit_tick, r, NULL);
}

void eng__data_finish(eng__run *r)
{
    eng_usage *u = &r->out->usage;
    double secs = sim_to_sec(r->end);
    if (r->s->redis.enabled)
        u->cache_node_seconds = secs * r->s->redis.nodes;
    if (!eng__data_needs_tx(r))
        return;
    if (r->s->db.engine == MDL_DB_RDS) {
        u->db_primary_seconds = secs;
        u->db_replica_seconds = secs * r->s->db.read_replicas;
        /* the minute the last credit tick did not reach, then each instance's surplus */
        credit_step(r, sim_to_sec(r->end % CREDIT_TICK));
        if (burstable(r) && r->s->db.credit_mode == MDL_CREDITS_UNLIMITED)
            for (int i = 0; i < r->ndbis; i++)
                u->db_surplus_credits += fmax(0, r->dbis[i].spent - r->dbis[i].earned);
    } else {
        for (int i = 0; i < r->ndbis; i++)
            u->acu_seconds += r->dbis[i].acu_area / 1e9;
    }
}

void eng__data_free(eng__run *r)
{
    for (int i = 0; i < r->ndbis; i++)
        free(r->dbis[i].heap);
    free(r->dbis);
    free(r->central.wait);
    mdl_station_free(r->redis);
}
