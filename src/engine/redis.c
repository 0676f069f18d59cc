/*
 * redis.c — the cache in the request engine: the primary node serves look-ups one at a time
 * (Redis runs commands on one thread) at ops_per_s; a look-up that misses costs database
 * queries (drawn for the request at arrival). While the primary is gone (a failover) the
 * application treats each look-up as a miss (cache-aside).
 */
#include "engine/data.h"

#include <stdint.h>

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

int eng__redis_init(eng__run *r, base_err *err)
{
    const mdl_scenario *s = r->s;
    if (!s->redis.enabled)
        return BASE_OK;
    double ops = s->redis.ops_per_s > 0 ? s->redis.ops_per_s
                                        : s->cluster.catalog.cache[s->redis.cache_type].ops_per_s;
    r->redis = mdl_station_new(1, SIZE_MAX);
    r->redis_op = sim_from_sec(1.0 / ops);
    if (!r->redis)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    return BASE_OK;
}

void eng__redis_finish(eng__run *r)
{
    if (r->s->redis.enabled)
        r->out->usage.cache_node_seconds = sim_to_sec(r->end) * r->s->redis.nodes;
}
