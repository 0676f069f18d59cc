/*
 * flow_loop.c — the flow engine's closed loop (flow.h): what a step's API requests ask of the
 * application, Redis and the database (demands), and, at a throughput X, how long a worker holds
 * a request when the database's instances, Redis and the connection pools queue as the formulas
 * of model/queueing.c say (loop_at); and the largest throughput the pods sustain (a bisection).
 */
#include "engine/flow.h"

/* ---------------------------------------------------------------- demands */

int eng__flow_db_tx(const eng__run *r)
{
    return r->s->db.enabled;
}

void eng__flow_demands(const eng__run *r, const double *api, demand *d)
{
    const mdl_scenario *s = r->s;
    memset(d, 0, sizeof *d);
    double total = 0;
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++)
        total += api[c];
    double m2 = 0, m1 = 0;
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++) {
        d->w[c] = total > 0 ? api[c] / total : (c == MDL_API_READ ? 1 : 0);
        d->app[c] = sim_dist_mean(&s->api.service[c]);
        double scv = sim_dist_scv(&s->api.service[c]);
        m1 += d->w[c] * d->app[c];
        m2 += d->w[c] * d->app[c] * d->app[c] * (1 + scv);
        if (!eng__flow_db_tx(r))
            continue;
        double q = s->db.queries[c];
        if (r->cache->st) {
            d->lookups[c] = s->redis.lookups[c];
            /* a miss costs its queries; while Redis fails over, every look-up is a miss */
            double miss = r->cache->down ? 1.0 : 1.0 - s->redis.hit_ratio;
            q += d->lookups[c] * miss * s->redis.miss_queries;
        }
        d->queries[c] = q;
        /* P(no query): the whole part of the mean is always made; a fractional part is one
         * more with that probability (mdl_db_queries), misses likewise */
        d->p_tx[c] = q >= 1 ? 1 : q;
        const sim_dist *qt = c == MDL_API_WRITE ? &s->db.write_time : &s->db.read_time;
        d->qtime[c] = sim_dist_mean(qt);
        d->qscv[c] = sim_dist_scv(qt);
    }
    d->app_scv = m1 > 0 ? m2 / (m1 * m1) - 1 : 0;
}

/* ---------------------------------------------------------------- the closed loop */

double eng__flow_cores(const eng__run *r, int i)
{
    return r->data->ndbis > i ? r->data->dbis[i].cores : 0;
}

/* The app phase's stretch when a CPU limit below the workers makes them share it (processor
 * sharing over min(c, limit) cores, as the request engine plays CFS quota): that of
 * M/M/1-PS on the pod's CPU. */
static void loop_throttle(const eng__run *r, double X, int n, double app, loop *L)
{
    const mdl_scenario *s = r->s;
    int c = s->api.workers;
    if (r->throttled && n > 0) {
        /* A pod's app phases share its CPU limit: processor sharing over `lim` cores with at
         * most c jobs (one per worker), i.e. M/M/lim/c-PS: p_k ∝ Π_{j<=k} a/min(j, lim) for
         * k = 0..c, a = λ_pod·E[app]; the stretch of an app phase is E[N] / (a·(1 − p_c))
         * (Little's law on the jobs admitted). */
        double lim = (double)s->api.cpu_limit / 1000.0;
        double a = X / n * app;
        if (a / lim >= 1)
            L->ok = false;
        double p = 1, sum = 1, en = 0;
        for (int k = 1; k <= c; k++) {
            p *= a / (k < lim ? k : lim);
            sum += p;
            en += k * p;
        }
        double pc = p / sum;
        en /= sum;
        L->throttle = a > 0 ? en / (a * (1 - pc)) : 1;
        if (!(L->throttle >= 1))
            L->throttle = 1;
    }
}

/* Redis: M/D/1 (Pollaczek–Khinchine: Wq = ρ·S / (2(1 − ρ))) */
static void loop_redis(const eng__run *r, double X, double lookups, loop *L)
{
    if (r->cache->st && lookups > 0 && !r->cache->down) {
        double S = sim_to_sec(r->cache->op);
        double rho = X * lookups * S;
        if (rho >= 1)
            L->ok = false;
        else
            L->redis_wait = rho * S / (2 * (1 - rho));
    }
}

/* The database: the queue engine's c servers (M/G/c), or each instance's processor sharing on
 * the CPU its admitted queries bring */
static void loop_db(const eng__run *r, const demand *d, double X, double admit, loop *L)
{
    const mdl_scenario *s = r->s;
    if (eng__flow_db_tx(r) && !r->data->down) {
        const mdl_db_config *db = &s->db;
        if (db->engine == MDL_DB_QUEUE) {
            double lq = 0, sq = 0, sq2 = 0;
            for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
                double rate = X * d->w[k] * d->queries[k];
                lq += rate;
                sq += rate * d->qtime[k];
                sq2 += rate * d->qtime[k] * d->qtime[k] * (1 + d->qscv[k]);
            }
            double mean = lq > 0 ? sq / lq : 0;
            double scv = lq > 0 && mean > 0 ? (sq2 / lq) / (mean * mean) - 1 : 0;
            mdl_mgc q = mdl_mgc_wait(db->servers, lq, mean, 1, scv);
            if (!isfinite(q.wq_mean))
                L->ok = false;
            else
                L->queue_wait = q.wq_mean;
            L->db_busy[0] = sq;
        } else {
            double share = eng__db_read_share(r), nrep = eng__db_readers(r);
            /* us-east-1's primary also runs EMEA's writes from eu-west-1; eu-west-1's own
             * writes run there, not here (geo.c) */
            double d0 = eng__geo_remote_cpu(r), d1 = 0;
            for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
                double cpu = X * admit * d->w[k] * d->queries[k] * d->qtime[k];
                if (k == MDL_API_WRITE && eng__geo_write_route(r) != ENG__GEO_LOCAL)
                    continue;
                if (k == MDL_API_READ && nrep > 0) {
                    d0 += cpu * (1 - share);
                    d1 += cpu * share / nrep;
                } else {
                    d0 += cpu;
                }
            }
            L->db_busy[0] = d0;
            L->db_busy[1] = d1;
            L->f[0] = mdl_ps_slowdown(eng__flow_cores(r, 0), d0);
            L->f[1] = nrep > 0 ? mdl_ps_slowdown(eng__flow_cores(r, 1), d1) : 1;
            if (!isfinite(L->f[0]) || !isfinite(L->f[1]))
                L->ok = false;
        }
    }
}

/* A request's transaction time (when it makes one): its mean (tx) and second moment (tx2),
 * and the primary's query CPU (prim) and the replicas' query time (rest) */
static void loop_tx(const eng__run *r, const demand *d, loop *L, double *tx, double *tx2,
                    double *prim, double *rest)
{
    const mdl_scenario *s = r->s;
    double share = eng__flow_db_tx(r) && s->db.engine != MDL_DB_QUEUE && eng__db_readers(r) > 0
                       ? eng__db_read_share(r)
                       : 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS && eng__flow_db_tx(r) && !r->data->down; k++) {
        int route = k == MDL_API_WRITE ? eng__geo_write_route(r) : ENG__GEO_LOCAL;
        if (route != ENG__GEO_LOCAL) {
            /* on the us-east-1 primary (its queueing is that run's), a crossing each; or
             * failed at once while there is none */
            double t = route == ENG__GEO_REMOTE
                           ? d->queries[k] *
                                 (d->qtime[k] * eng__geo_primary_slowdown(r) + eng__geo_rtt_s(r))
                           : 0;
            *rest += d->w[k] * t;
            *tx += d->w[k] * t;
            *tx2 += d->w[k] * t * t;
            continue;
        }
        double f = L->f[0];
        if (k == MDL_API_READ && share > 0)
            f = (1 - share) * L->f[0] + share * L->f[1];
        double t = d->queries[k] * (d->qtime[k] * (isfinite(f) ? f : 1e9) + L->queue_wait);
        double on_prim = k == MDL_API_READ ? 1 - share : 1;
        *prim += d->w[k] * d->queries[k] * d->qtime[k] * on_prim;
        *rest +=
            d->w[k] * d->queries[k] *
            (d->qtime[k] * (1 - on_prim) * (isfinite(L->f[1]) ? L->f[1] : 1e9) + L->queue_wait);
        *tx += d->w[k] * t;
        *tx2 += d->w[k] * t * t * (1 + d->qscv[k] / (d->queries[k] > 1 ? d->queries[k] : 1));
    }
}

/* PgBouncer: a pool smaller than the transactions in flight is an M/M/P queue */
static void loop_pool(const eng__run *r, double X, int n, double tx, double p_tx, loop *L)
{
    const mdl_scenario *s = r->s;
    int c = s->api.workers;
    if (eng__flow_db_tx(r) && s->db.engine != MDL_DB_QUEUE && !r->data->down && p_tx > 0 && n > 0) {
        const mdl_pgbouncer_config *b = &s->pgbouncer;
        double mean_tx = tx / p_tx, rate = -1;
        if (b->mode == MDL_PGB_CENTRAL)
            rate = X * p_tx;
        else if (b->mode == MDL_PGB_PER_POD && b->default_pool_size < c)
            rate = X / n * p_tx;
        if (rate >= 0 && b->query_wait_timeout > 0) {
            /* clients that give up after query_wait_timeout: M/M/P+D, a loss system when the
             * timeout is short (Erlang B at 0), stable at any load */
            L->timed = true;
            L->tmo = mdl_mmc_patience(b->default_pool_size, rate, mean_tx,
                                      sim_to_sec(b->query_wait_timeout));
            L->pool_wait = L->tmo.wait_mean;
        } else if (rate >= 0) {
            L->pool = mdl_mgc_wait(b->default_pool_size, rate, mean_tx, 1, 1);
            if (!isfinite(L->pool.wq_mean))
                L->ok = false;
            else
                L->pool_wait = L->pool.wq_mean;
        }
    }
}

/* The loop at throughput X with n pods serving, of whose transactions the share `admit`
 * reaches the database (the rest a timed pool turns away: loop_at). */
static void loop_admit(const eng__run *r, const demand *d, double X, int n, double admit, loop *L)
{
    const mdl_scenario *s = r->s;
    memset(L, 0, sizeof *L);
    L->ok = true;
    L->f[0] = L->f[1] = 1;
    L->throttle = 1;
    double app = 0, tx = 0, tx2 = 0, lookups = 0, p_tx = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        app += d->w[k] * d->app[k];
        lookups += d->w[k] * d->lookups[k];
        p_tx += d->w[k] * d->p_tx[k];
    }
    loop_throttle(r, X, n, app, L);
    loop_redis(r, X, lookups, L);
    loop_db(r, d, X, admit, L);
    double prim = 0, rest = 0; /* primary query CPU, and the replicas' query time */
    loop_tx(r, d, L, &tx, &tx2, &prim, &rest);
    loop_pool(r, X, n, tx, p_tx, L);
    double redis_t = lookups * (sim_to_sec(r->cache->op) + L->redis_wait);
    if (!r->cache->st || r->cache->down)
        redis_t = 0;
    L->hold = app * L->throttle + redis_t + tx + p_tx * L->pool_wait;
    L->prim_cpu = s->db.engine == MDL_DB_QUEUE ? 0 : prim;
    L->others = app * L->throttle + redis_t + p_tx * L->pool_wait +
                (s->db.engine == MDL_DB_QUEUE ? tx : rest);
    double m2 = app * app * (1 + d->app_scv) * L->throttle * L->throttle + tx2;
    L->hold_scv = L->hold > 0 ? (m2 + 2 * app * tx) / (L->hold * L->hold) - 1 : 0;
    if (L->hold_scv < 0)
        L->hold_scv = 0;
}

/* The loop at throughput X. A timed pool's clients that give up never reach the database, so
 * its load is that of those admitted, which depends on the pool's losses, which depend on the
 * transactions' time: a few rounds of that fixed point (each contracts it: more load, longer
 * transactions, more losses, less load). */
void eng__flow_loop_at(const eng__run *r, const demand *d, double X, int n, loop *L)
{
    loop_admit(r, d, X, n, 1, L);
    for (int i = 0; i < 8 && L->timed && L->tmo.p_abandon > 0; i++) {
        double admit = 1 - L->tmo.p_abandon, was = L->tmo.p_abandon;
        loop_admit(r, d, X, n, admit, L);
        if (fabs(L->tmo.p_abandon - was) < 1e-9)
            break;
    }
}

/* The most the pods and the data tier can serve, API requests/s, with every worker busy.
 * A saturated pod tier is a closed network: n·c workers cycle through their pod's CPU, Redis,
 * the primary and the replicas. Each resource bounds its throughput; the network carries the
 * smallest bound (the bottleneck), each computed exactly for that resource alone with the rest
 * of the cycle, unloaded, as its think time — the finite-source model, product form and
 * insensitive to the distributions (mdl_repairman_throughput; BCMP):
 *   - the pods: with no CPU limit below the workers, n·c / E[hold]; with one, each pod's c
 *     workers share `limit` cores for their app phases and spend the rest of the hold off it;
 *   - the primary (writer): its vCPUs, at most as many transactions at once as the pools let
 *     through;
 *   - each replica (reader) likewise;
 *   - Redis's single thread: 1 / (look-ups × its operation time).
 * With one bottleneck, as usual, that is its exact throughput; with two close ones it
 * overestimates a little (the other's queueing is left out of the think time). The queue
 * engine keeps the open fixed point X = n·c / E[hold(X)] (bisection). */
double eng__flow_sustainable(const eng__run *r, const demand *d, int n)
{
    if (n <= 0)
        return 0;
    const mdl_scenario *s = r->s;
    int c = s->api.workers;
    double nc = (double)n * c;
    loop L0;
    eng__flow_loop_at(r, d, 0, n, &L0);
    if (!(L0.hold > 0))
        return INFINITY; /* nothing takes time: no limit in the model */
    if (eng__flow_db_tx(r) && s->db.engine == MDL_DB_QUEUE && !r->data->down) {
        double lo = 0, hi = nc / L0.hold;
        for (int i = 0; i < BISECT; i++) {
            loop L;
            double mid = 0.5 * (lo + hi);
            eng__flow_loop_at(r, d, mid, n, &L);
            if (L.ok && nc / L.hold >= mid)
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }
    double app = 0, lookups = 0, rep = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        app += d->w[k] * d->app[k];
        lookups += d->w[k] * d->lookups[k];
    }
    int nrep = eng__db_readers(r); /* in service (replicas.c) */
    if (eng__flow_db_tx(r) && !r->data->down && nrep > 0)
        rep = d->w[MDL_API_READ] * d->queries[MDL_API_READ] * d->qtime[MDL_API_READ] *
              eng__db_read_share(r) / nrep; /* one replica's demand per request */
    double lim = (double)s->api.cpu_limit / 1000.0;
    /* a pool smaller than the transactions that may be in flight, whose clients give up */
    const mdl_pgbouncer_config *pgb = &s->pgbouncer;
    bool timed = pgb->query_wait_timeout > 0 &&
                 (pgb->mode == MDL_PGB_CENTRAL ||
                  (pgb->mode == MDL_PGB_PER_POD && pgb->default_pool_size < c));
    /* the pods */
    double x = r->throttled && lim < c ? n * mdl_repairman_throughput(c, L0.hold - app, app, lim)
                                       : nc / L0.hold;
    /* the primary; behind a pool whose clients give up (query_wait_timeout), a loss system
     * that turns the excess away instead of holding it, the bisection below instead */
    if (L0.prim_cpu > 0 && !timed) {
        const mdl_pgbouncer_config *b = &s->pgbouncer;
        double conns = b->mode == MDL_PGB_CENTRAL ? b->default_pool_size
                       : b->mode == MDL_PGB_PER_POD
                           ? (double)n * (b->default_pool_size < c ? b->default_pool_size : c)
                           : nc;
        /* less the vCPUs EMEA's writes from eu-west-1 keep busy (geo.c; 0 without) */
        double remote = eng__geo_remote_cpu(r), cores = eng__flow_cores(r, 0);
        if (remote > 0)
            cores = cores - remote > 1e-3 ? cores - remote : 1e-3;
        double servers = cores < conns ? cores : conns;
        double xp = mdl_repairman_throughput(nc, L0.hold - L0.prim_cpu, L0.prim_cpu, servers);
        x = xp < x ? xp : x;
    }
    /* each replica */
    if (rep > 0) {
        double xr = mdl_repairman_throughput(nc, L0.hold - rep, rep, eng__flow_cores(r, 1));
        x = xr < x ? xr : x;
    }
    /* Redis */
    if (r->cache->st && !r->cache->down && lookups > 0) {
        double xr = 1.0 / (lookups * sim_to_sec(r->cache->op));
        x = xr < x ? xr : x;
    }
    /* a pool whose clients give up: they hold their workers while they wait, up to the
     * timeout, so the workers bound the throughput where X·E[hold(X)] reaches n·c, and the
     * database where the transactions admitted saturate it (loop_at: not ok) */
    if (L0.prim_cpu > 0 && timed && isfinite(x)) {
        double lo = 0, hi = x;
        for (int i = 0; i < BISECT; i++) {
            loop L;
            double mid = 0.5 * (lo + hi);
            eng__flow_loop_at(r, d, mid, n, &L);
            if (L.ok && mid * L.hold <= nc)
                lo = mid;
            else
                hi = mid;
        }
        loop L;
        eng__flow_loop_at(r, d, x, n, &L);
        if (!(L.ok && x * L.hold <= nc))
            x = lo;
    }
    return x;
}
