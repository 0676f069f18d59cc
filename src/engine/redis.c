/*
 * redis.c — the cache, a component (data.h): in the request engine the primary node serves look-ups one at a time
 * (Redis runs commands on one thread) at ops_per_s; a look-up that misses costs database
 * queries (drawn for the request at arrival). While the primary is gone (a failover) the
 * application treats each look-up as a miss (cache-aside).
 */
#include "engine/data.h"

#include <stdint.h>

static void on_redis_done(void *ctx, void *arg);

static void redis_serve(struct eng__redis *c, eng__req *q)
{
    c->r->out->usage.cache_ops += 1;
    sim_schedule(c->r->k, c->op, on_redis_done, c, q);
}

static void redis_next(struct eng__redis *c, eng__req *q)
{
    q->state = R_REDIS;
    if (mdl_station_arrive(c->st, q) == MDL_ADMIT_SERVE)
        redis_serve(c, q);
}

void eng__redis_begin(eng__run *r, eng__req *q)
{
    struct eng__redis *c = r->cache;
    if (!c->st || q->lookups == 0) {
        eng__app_start(r, q);
        return;
    }
    if (c->down) {
        /* the primary is gone: the application treats the error as a miss (cache-aside), so
         * what Redis would have found costs its queries too */
        double m = r->s->redis.miss_queries;
        for (int i = 0; r->s->db.enabled && i < q->hits; i++)
            q->queries += (int)m + (sim_rng_uniform(r->r_failover) < m - (int)m);
        q->lookups = 0;
        eng__app_start(r, q);
        return;
    }
    redis_next(c, q);
}

static void on_redis_done(void *ctx, void *arg)
{
    struct eng__redis *c = ctx;
    eng__req *q = arg;
    eng__req *next;
    while ((next = mdl_station_depart(c->st)) && next->state == R_DEAD)
        eng__req_release(c->r, next);
    if (next)
        redis_serve(c, next);
    if (q->state == R_DEAD) {
        eng__req_release(c->r, q);
        return;
    }
    if (--q->lookups > 0)
        redis_next(c, q);
    else
        eng__app_start(c->r, q);
}

static void on_cache_back(void *ctx, void *arg)
{
    (void)arg;
    struct eng__redis *c = ctx;
    c->down = 0;
}

void eng__cache_failover(eng__run *r)
{
    if (!r->cache->st || r->cache->down)
        return;
    eng__cache_outage(r, sim_dist_sample(&r->s->redis.failover_time, r->r_failover));
}

void eng__cache_outage(eng__run *r, sim_time down)
{
    struct eng__redis *c = r->cache;
    if (!c->st || c->down)
        return;
    c->down = 1;
    r->out->cache_failover_s += sim_to_sec(down);
    sim_schedule(r->k, down, on_cache_back, c, NULL);
}

static int redis_init(eng__run *r, void **state, base_err *err)
{
    struct eng__redis *c = r->cache = eng__data_state(r, sizeof *c, "Redis", state, err);
    if (!c)
        return BASE_ENOMEM;
    const mdl_scenario *s = r->s;
    if (!s->redis.enabled)
        return BASE_OK;
    double ops = s->redis.ops_per_s > 0 ? s->redis.ops_per_s
                                        : s->cluster.catalog.cache[s->redis.cache_type].ops_per_s;
    c->st = mdl_station_new(1, SIZE_MAX);
    c->op = sim_from_sec(1.0 / ops);
    if (!c->st)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory setting up Redis");
    return BASE_OK;
}

static void redis_free(void *state)
{
    struct eng__redis *c = state;
    if (c)
        mdl_station_free(c->st);
    eng__state_free(state);
}

/* The cluster's nodes bill for the whole run (the look-ups were counted as they ran). */
static void redis_meter(void *state, sim_time end, cost_usage *u)
{
    struct eng__redis *c = state;
    if (c->st)
        u->cache_node_seconds = sim_to_sec(end) * c->r->s->redis.nodes;
}

const eng__component eng__redis_component = {
    .name = "redis", .init = redis_init, .free = redis_free, .meter = redis_meter};
