/*
 * database.c — the data tier in the request path (docs/models.md, "Data tier"): its set-up
 * (instances, connections, the cache), its failovers, and its metering. The parts are in their
 * own files (data.h): connections and PgBouncer in pgbouncer.c, a database instance's queries in
 * instance.c, RDS's CPU credits in rds.c, Aurora Serverless v2's capacity in aurora.c, Redis in
 * redis.c.
 */
#include "engine/data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    eng__dbi_account(r, d);
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
    eng__dbi_reschedule(r, d, 0);
    /* first every waiter (so that no released connection is handed to one), then the runners */
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL)
        eng__pool_break(r, &r->central);
    for (size_t i = 0; i < r->npods; i++)
        eng__pool_break(r, &r->pods[i]->pool);
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
    if (r->s->pgbouncer.mode == MDL_PGB_CENTRAL)
        eng__pool_break(r, &r->central);
    for (size_t i = 0; i < r->npods; i++)
        eng__pool_break(r, &r->pods[i]->pool);
    sim_schedule(r->k, down, on_db_back, r, NULL);
}

int eng__data_init(eng__run *r, base_err *err)
{
    const mdl_scenario *s = r->s;
    int st = eng__redis_init(r, err);
    if (st != BASE_OK)
        return st;
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
    const mdl_db_class *bc = eng__rds_burstable(r);
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
    eng__dbi_account(r, d);
    d->win_busy = d->busy_area;
    d->win_cap = d->cap_area;
}

static void on_window_end(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    eng__dbi *d = &r->dbis[0];
    for (int i = 0; i < r->ndbis; i++)
        eng__dbi_account(r, &r->dbis[i]);
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
        eng__aurora_start(r);
    eng__rds_credits_start(r);
}

void eng__data_finish(eng__run *r)
{
    eng_usage *u = &r->out->usage;
    double secs = sim_to_sec(r->end);
    eng__redis_finish(r);
    if (!eng__data_needs_tx(r))
        return;
    if (r->s->db.engine == MDL_DB_RDS) {
        u->db_primary_seconds = secs;
        u->db_replica_seconds = secs * r->s->db.read_replicas;
        eng__rds_credits_finish(r);
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
