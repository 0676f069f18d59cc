/*
 * database.c — the database's instances as a component (data.h; docs/models.md, "Data tier"):
 * how many (a primary or writer and its replicas or readers) and their max_connections, the
 * primary's utilisation over the measurement window, and its failovers, which break every
 * pool's connections (pgbouncer.c). The queries on an instance run in instance.c; the
 * instances' capacity is set by rds.c (vCPUs, CPU credits) or aurora.c (ACUs).
 */
#include "engine/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool eng__data_needs_tx(const eng__run *r)
{
    return r->s->db.enabled && r->s->db.engine != MDL_DB_QUEUE;
}

static void on_db_back(void *ctx, void *arg)
{
    (void)arg;
    struct eng__database *db = ctx;
    db->down = 0; /* pools reconnect as transactions need them */
}

void eng__db_failover(eng__run *r)
{
    if (!eng__data_needs_tx(r) || r->data->down)
        return;
    const mdl_db_config *db = &r->s->db;
    eng__db_outage(r, sim_dist_sample(db->engine == MDL_DB_AURORA ? &db->aurora_failover_time
                                                                  : &db->failover_time,
                                      r->r_failover));
}

/* Every pool's connections break: the central PgBouncer's and each pod's. */
static void break_pools(eng__run *r)
{
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL)
        eng__pool_break(r, &r->pgb->central);
    for (size_t i = 0; i < r->npods; i++)
        eng__pool_break(r, &r->pods[i]->pool);
}

void eng__db_outage(eng__run *r, sim_time down)
{
    if (!eng__data_needs_tx(r) || r->data->down)
        return;
    r->data->down = 1;
    r->out->db_failover_s += sim_to_sec(down);
    /* the queries running on the primary lose their connection: their requests fail */
    eng__dbi *d = &r->data->dbis[0];
    eng__dbi_account(r, d);
    int n = d->n;
    eng__req **run = base_malloc((size_t)(n > 0 ? n : 1) * sizeof *run);
    if (!run) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    if (n > 0) /* an idle instance may not have allocated its heap yet */
        memcpy(run, d->heap, (size_t)n * sizeof *run);
    d->n = 0;
    eng__dbi_reschedule(r, d, 0);
    /* first every waiter (so that no released connection is handed to one), then the runners */
    break_pools(r);
    for (int i = 0; i < n; i++) {
        eng__req *q = run[i];
        eng__tx_release(r, q);
        if (q->state == R_DEAD)
            eng__req_release(r, q);
        else
            eng__req_fail_now(r, q, MDL_ERR_DB_FAILOVER, 0);
    }
    free(run);
    /* the connections the runners held are gone too */
    break_pools(r);
    sim_schedule(r->k, down, on_db_back, r->data, NULL);
}

void *eng__data_state(eng__run *r, size_t size, const char *what, void **state, base_err *err)
{
    if (eng__state_new(r, size, NULL, what, state, err) != BASE_OK)
        return NULL;
    /* every data tier state begins {sim_rng *rng; eng__run *r;} (data.h) */
    ((struct eng__redis *)*state)->r = r;
    return *state;
}

/* The instances: RDS's primary and read replicas, or Aurora's writer and readers; their
 * capacity rds.c and aurora.c set (they come after this one in the chain). */
static int database_init(eng__run *r, void **state, base_err *err)
{
    struct eng__database *data = r->data =
        eng__data_state(r, sizeof *data, "the database", state, err);
    if (!data)
        return BASE_ENOMEM;
    if (!eng__data_needs_tx(r))
        return BASE_OK;
    const mdl_db_config *db = &r->s->db;
    if (db->engine == MDL_DB_RDS) {
        data->ndbis = 1 + db->read_replicas;
    } else {
        data->ndbis = 1 + db->aurora_readers;
    }
    /* RDS's memory formula, or Aurora Serverless v2's table by its capacity range (model/db.c) */
    data->max_conns = mdl_db_max_connections(r->s);
    /* replica scaling: a slot for every replica it may add (replicas.c) */
    const mdl_replica_scaling *rs = mdl_db_scaling(db);
    if (rs && 1 + rs->max > data->ndbis)
        data->ndbis = 1 + rs->max;
    data->dbis = base_calloc((size_t)data->ndbis, sizeof *data->dbis);
    if (!data->dbis) {
        data->ndbis = 0;
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (int i = 0; i < data->ndbis; i++)
        data->dbis[i].below_since = SIM_NEVER;
    return eng__replicas_init(data, err);
}

static void database_free(void *state)
{
    struct eng__database *data = state;
    for (int i = 0; data && i < data->ndbis; i++)
        free(data->dbis[i].heap);
    if (data) {
        free(data->dbis);
        eng__replicas_free(data);
    }
    eng__state_free(state);
}

static void on_window_start(void *ctx, void *arg)
{
    (void)arg;
    struct eng__database *data = ctx;
    eng__dbi *d = &data->dbis[0];
    eng__dbi_account(data->r, d);
    d->win_busy = d->busy_area;
    d->win_cap = d->cap_area;
}

static void on_window_end(void *ctx, void *arg)
{
    (void)arg;
    struct eng__database *data = ctx;
    eng__dbi *d = &data->dbis[0];
    for (int i = 0; i < data->ndbis; i++)
        eng__dbi_account(data->r, &data->dbis[i]);
    double cap = d->cap_area - d->win_cap;
    data->r->out->db_utilisation = cap > 0 ? (d->busy_area - d->win_busy) / cap : 0;
}

/* The primary's utilisation over the measurement window (the warm-up excluded); the replica
 * rule's minutes (replicas.c). */
static void database_start(void *state)
{
    struct eng__database *data = state;
    eng__run *r = data->r;
    if (data->ndbis == 0)
        return;
    sim_schedule_at(r->k, r->s->warmup, on_window_start, data, NULL);
    sim_schedule_at(r->k, r->end, on_window_end, data, NULL);
    eng__replicas_start(data);
}

const eng__component eng__database_component = {
    .name = "database", .init = database_init, .free = database_free, .start = database_start};
