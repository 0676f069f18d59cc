/*
 * pgbouncer.c — the connections between the API's workers and the database, a component
 * (data.h) whose request-engine path is below (docs/models.md, "Data tier"). With `pgbouncer.mode:
 * none` each gunicorn worker holds its own connection to the database, opened the first time the
 * worker needs it and kept while the pod lives. With a PgBouncer (beside each pod, or one central),
 * a request's queries form one transaction that takes a server connection from the pool only for as
 * long as it runs (transaction pooling): an idle connection if there is one; else a new one while
 * the pool is below default_pool_size (plus the reserve pool for a client that waited
 * reserve_pool_timeout); else the client waits, first come first served, up to
 * query_wait_timeout. Every server connection counts against the database's max_connections:
 * opening one beyond it fails ("too many connections", a 500). A PgBouncer accepts at most
 * max_client_conn clients (the gunicorn workers); the workers beyond it are refused. A read
 * transaction goes to a replica in service with probability eng__db_read_share (replicas.c:
 * read_replica_share, or an even spread), in turn.
 */
#include "engine/data.h"

#include <stdlib.h>
#include <string.h>

static eng__pool *pool_of(eng__run *r, const eng__req *q)
{
    return r->s->pgbouncer.mode == MDL_PGB_CENTRAL ? &r->pgb->central : &r->pods[q->pod]->pool;
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
        eng__req **w = base_malloc(cap * sizeof *w);
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
void eng__tx_release(eng__run *r, eng__req *q)
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
    BASE_ASSERT(p->busy >= 0 && p->wlen <= p->wcap);
}

static void tx_first_query(eng__run *r, eng__req *q)
{
    /* it holds a connection: no pool lends more than it has open, nor the database more than
     * max_connections */
    const eng__pool *p = pool_of(r, q);
    BASE_ASSERT(q->has_conn && p->busy <= p->open && r->pgb->conns <= r->data->max_conns);
    /* where the transaction runs: a replica for a share of the reads */
    q->dbi = 0;
    if (eng__db_readers(r) > 0 && q->cls == MDL_API_READ &&
        sim_rng_uniform(r->r_query_time) < eng__db_read_share(r)) {
        q->dbi = (uint8_t)eng__db_read_instance(r, r->pgb->replica_rr);
        r->pgb->replica_rr++;
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
    /* eu-west-1's writes run on the us-east-1 primary, across the Atlantic (geo.c) */
    int route = q->cls == MDL_API_WRITE ? eng__geo_write_route(r) : ENG__GEO_LOCAL;
    int st = route == ENG__GEO_LOCAL ? eng__dbi_add(r, q->dbi, q, work)
                                     : eng__geo_remote_query(r, q, work);
    if (st != 0) {
        r->oom = 1;
        sim_stop(r->k);
    }
}

void eng__query_done(eng__run *r, eng__req *q)
{
    if (q->state == R_DEAD) {
        eng__tx_release(r, q);
        eng__req_release(r, q);
        return;
    }
    if (--q->queries > 0) {
        tx_query(r, q);
        return;
    }
    eng__tx_release(r, q);
    eng__tx_done(r, q);
}

static void on_wait_timeout(void *ctx, void *arg)
{
    eng__run *r = ((struct eng__pgbouncer *)ctx)->r;
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

/* Opens a server connection if the database accepts one more. In us-east-1's run EMEA's write
 * statements from eu-west-1 hold some of the primary's max_connections: as many as they hold
 * on average now (Little's law, eng__geo_remote_conns; the flow engine counts the same). */
static int open_conn(eng__run *r, eng__pool *p)
{
    int remote = r->s->regions.has_remote ? (int)(eng__geo_remote_conns(r) + 0.5) : 0;
    if (r->pgb->conns + remote >= r->data->max_conns)
        return 0;
    r->pgb->conns++;
    p->open++;
    return 1;
}

static void on_reserve(void *ctx, void *arg)
{
    eng__run *r = ((struct eng__pgbouncer *)ctx)->r;
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
    if (r->data->down) {
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
                     ? sim_schedule(r->k, b->query_wait_timeout, on_wait_timeout, r->pgb, q)
                     : SIM_NO_EVENT;
    q->ev = b->reserve_pool_size > 0
                ? sim_schedule(r->k, b->reserve_pool_timeout, on_reserve, r->pgb, q)
                : SIM_NO_EVENT;
}

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
        int room = b->max_client_conn - r->pgb->clients;
        p->pool.clients = w < room ? w : (room > 0 ? room : 0);
        r->pgb->clients += p->pool.clients;
        break;
    }
    }
}

void eng__pod_pool_close(eng__run *r, eng__pod *p)
{
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL) {
        r->pgb->clients -= p->pool.clients;
    } else {
        r->pgb->conns -= p->pool.open;
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

/* A pool's connections are broken: those held by transactions still running on a replica are
 * kept (their transactions finish there), the rest are gone. */
void eng__pool_break(eng__run *r, eng__pool *p)
{
    /* its waiters cannot get a connection while the primary is down: they fail now */
    for (size_t i = 0; i < p->wlen; i++) {
        eng__req *q = p->wait[(p->whead + i) % p->wcap];
        if (q->state != R_POOL_WAIT)
            continue;
        eng__data_kill(r, q);                            /* cancels its timers */
        eng__req_fail_now(r, q, MDL_ERR_DB_FAILOVER, 1); /* released when popped */
    }
    r->pgb->conns -= p->open - p->busy;
    p->open = p->busy;
}

static int pgbouncer_init(eng__run *r, void **state, base_err *err)
{
    r->pgb = eng__data_state(r, sizeof *r->pgb, "PgBouncer", state, err);
    return r->pgb ? BASE_OK : BASE_ENOMEM;
}

static void pgbouncer_free(void *state)
{
    struct eng__pgbouncer *b = state;
    if (b)
        free(b->central.wait);
    eng__state_free(state);
}

/* Its transactions' queries are metered as they run (tx_query); PgBouncer itself bills
 * nothing (it runs beside the pods or on their nodes). */
const eng__component eng__pgbouncer_component = {
    .name = "pgbouncer", .init = pgbouncer_init, .free = pgbouncer_free};
