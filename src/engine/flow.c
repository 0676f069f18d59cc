/*
 * flow.c — the flow engine: the same architecture as the request engine, played one time step
 * (flow_step, 1 s by default) at a time with rates instead of requests. Its cost per step does
 * not depend on the load, so a day at millions of users costs what a day at a thousand does.
 *
 * What stays discrete. The control plane is the request engine's own code, unchanged: pods and
 * nodes (cluster.c), the HPA, metrics-server, Karpenter, Spot, deploys (control.c), Aurora's
 * scaling and failovers (database.c), the time series and metering (record.c). The flow step is
 * one more event in the same kernel; it feeds those loops the same figures the requests would —
 * each pod's CPU, the database's busy time, the counters of the series — so an HPA decision in a
 * flow run is taken by the same code on the same kind of evidence.
 *
 * One step, [t, t + Δ):
 *   1. Arrivals per class: Poisson counts with mean ∫λ over the step (λ at the step's middle,
 *      exact for the linear ramps phases are made of). The counts only count (requests, bytes,
 *      errors, metering); the queues' state follows the rate, the expected count, so that a
 *      step's luck does not flip a pod's regime and the answer does not depend on the step.
 *   2. CloudFront answers static requests (hit, or an S3 fetch) and cacheable API reads that hit,
 *      with no contention: their latency is the edge's (+ the origin's).
 *   3. The ALB spreads the rest evenly over the routable pods (round robin and least outstanding
 *      are the same in the mean); a share goes to crashed targets the health checks have not
 *      found yet (502), none anywhere when there is no target (503).
 *   4. Pods and the data tier as one closed loop: a gunicorn worker holds its request through
 *      Redis, the application and the transaction, so the pods' capacity n·c / E[hold] depends on
 *      how slow the database is, and the database's load on the throughput. Below saturation the
 *      loop is solved open, at the offered rate (loop_at):
 *        - each database instance is c-server processor sharing (as in the request engine):
 *          a query's time is its CPU time × 1 + C(c, a)/(c − a) (Erlang C; queueing.c);
 *        - Redis is M/D/1 at ops_per_s (Pollaczek–Khinchine);
 *        - a PgBouncer pool smaller than the concurrency is M/G/P on the transaction time
 *          (Erlang C with the Allen–Cunneen correction);
 *        - a CPU limit below the workers stretches the app phase by the busy workers sharing it.
 *      The sustainable throughput X_max (sustainable) is the smallest of the bottleneck bounds
 *      of the saturated tier as a closed network — pods, primary, each replica, Redis — each the
 *      exact finite-source (machine-repairman) throughput of that resource with the rest of the
 *      cycle as think time. Waits below X_max: round robin, a representative pod by the
 *      Kiefer–Wolfowitz recursion on Erlang-n gaps (outcomes_rr); least outstanding requests,
 *      or a single pod, one Erlang C queue fed by Poisson arrivals, sampled from its stationary
 *      wait (outcomes_pooled); a pool with query_wait_timeout is M/M/P+D. When the offered
 *      rate reaches X_max (or a backlog left by it drains) a fluid backlog carries
 *      from step to step per cohort of pods (Q ← max(0, Q + (λ − X_max)·Δ); Newell 1982), served
 *      first in, first out: each request's wait is its finish less its arrival, read from the
 *      arrival count (outcomes_fifo); the listen backlogs (n × backlog) overflow into 502s, and a
 *      pod that leaves takes its share of the backlog with it (502, as gunicorn drops its listen
 *      queue).
 *   5. Outcomes: K latency samples per class and step, each drawn from the same distributions
 *      the request engine draws from (edge, ALB, Redis, app CPU time, queries × their CPU time,
 *      waits from the formulas above), each standing for served/K requests in the histograms
 *      (weighted records). A sample whose worker time passes gunicorn's timeout is a 502, one
 *      whose total passes the ALB's idle timeout a 504, a transaction during a database failover
 *      a 500, a pool wait past query_wait_timeout a 500; "too many connections" follows Erlang B
 *      on the connections each pool may still open.
 *
 * The approximations are named where they are used and checked against the request engine in
 * tests/test_flow.c and docs/validation.md ("Flow against request").
 */
#include "engine/component.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Latency samples per class per step (each weighted by the requests it stands for): up to
 * K_MAX, fewer on long runs so that a run records about SAMPLES_PER_RUN in all — plenty for the
 * histograms' tails, and a cost per step that does not grow with the load. */
#define K_MAX           24
#define K_MIN           6
#define SAMPLES_PER_RUN 3e6

/* Bisection steps for the sustainable throughput: 2^-50 of the bracket. */
#define BISECT 50

/* Pods that joined together hold the same backlog under round robin (each gets every n-th
 * request and serves at the same pace), so the backlog is kept per cohort of pods: new pods
 * start a cohort with none, while the old ones still work through theirs — as in the request
 * engine, where a pod's listen queue is its own. MAX_COHORTS bounds the bookkeeping: beyond it
 * the two cohorts with the closest backlogs merge. */
#define MAX_COHORTS 32

struct cohort {
    int pods;
    double b;     /* requests waiting at each of its pods */
    double early; /* of those, arrived before the warm-up ended (while `full`) */
    double head;  /* the oldest waiting request's place in the arrival count (below) */
    bool full;    /* the listen backlog overflowed: arrival places are no longer contiguous */
};

/* The arrival count: requests each pod has been sent since the start (round robin sends every
 * pod the same), with the time each step began, so that a backlog served first in, first out
 * knows when its requests arrived. RING steps are kept: more than any wait. */
#define RING 8192

struct eng__flow {
    sim_time dt;
    struct cohort cohorts[MAX_COHORTS]; /* oldest first */
    int ncohorts;
    double acum;                       /* arrivals per pod before this step */
    double cur_per_pod;                /* this step's, per pod */
    double ring_t[RING], ring_a[RING]; /* at each recent step's start: time (s), acum */
    int ring_head, ring_len;
    double *work;         /* the representative pod's workers' remaining work, s */
    double backlog;       /* API requests waiting at the pods, all pods together */
    double backlog_early; /* of those, arrived before the warm-up ended (not measured) */
    double open_per_pod;  /* server connections a pod's pool holds (none, per_pod) */
    double open_central;  /* the central pool's */
    sim_rng *rng;         /* samples */
    sim_rng *r_arrivals;  /* arrival counts */
    sim_rng *r_pods;      /* the pods' CPU noise */
    /* sustainable() is costly (a bisection, then a sum over every worker) and its inputs
     * rarely change: the last answer and what it was for */
    struct {
        int n, redis_down, db_down;
        double cores0, cores1, x;
        bool valid;
    } xmax_cache;
    int k_samples;        /* latency samples per class and step */
    int k_fluid;          /* the same for each backlogged cohort this step (they share them) */
    double g, gv;         /* per serving pod: CPU used since the start (core·ns), variance */
    int in_service;       /* requests a serving pod holds, about */
    double busy;          /* the same as a mean: busy workers of a serving pod */
    bool stop_when_empty; /* draining after the last phase */
};

/* Per-class means the formulas need, for this step (Redis may be failing over). */
typedef struct demand {
    double w[MDL_NCLASS];       /* share of the API requests reaching pods */
    double app[MDL_NCLASS];     /* mean app CPU time, s */
    double lookups[MDL_NCLASS]; /* Redis look-ups per request */
    double queries[MDL_NCLASS]; /* queries per request (misses included) */
    double p_tx[MDL_NCLASS];    /* probability that a request makes a transaction */
    double qtime[MDL_NCLASS];   /* mean query CPU time, s */
    double qscv[MDL_NCLASS];
    double app_scv; /* of the app time, mixed over classes */
} demand;

/* The state of the loop at a throughput X (API requests/s reaching the pods). */
typedef struct loop {
    double hold;       /* mean time a worker holds a request, s */
    double hold_scv;   /* its squared coefficient of variation (approximate) */
    double f[2];       /* query slowdown: [0] primary/writer, [1] replicas/readers */
    double db_busy[2]; /* vCPUs busy on the primary, on each replica */
    double redis_wait; /* mean wait for Redis, s */
    double pool_wait;  /* mean wait for a PgBouncer connection, s */
    mdl_mgc pool;      /* the pool's queue */
    mdl_patience tmo;  /* the same with query_wait_timeout: M/M/P+D (used when timed) */
    bool timed;        /* the pool's clients give up after query_wait_timeout */
    double throttle;   /* app-time stretch from the CPU limit (1: none) */
    double queue_wait; /* queue engine: mean wait per query, s */
    double prim_cpu;   /* rds/aurora: a request's mean query CPU on the primary, s */
    double others;     /* hold less prim_cpu × f[0]: app, Redis, replicas, pool, s */
    bool ok;           /* below every saturation */
} loop;

/* ---------------------------------------------------------------- demands */

static int db_tx(const eng__run *r)
{
    return r->s->db.enabled;
}

static void demands(const eng__run *r, const double *api, demand *d)
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
        if (!db_tx(r))
            continue;
        double q = s->db.queries[c];
        if (r->redis) {
            d->lookups[c] = s->redis.lookups[c];
            /* a miss costs its queries; while Redis fails over, every look-up is a miss */
            double miss = r->redis_down ? 1.0 : 1.0 - s->redis.hit_ratio;
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

static double cores_of(const eng__run *r, int i)
{
    return r->ndbis > i ? r->dbis[i].cores : 0;
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
    int c = s->api.workers;
    double app = 0, tx = 0, tx2 = 0, lookups = 0, p_tx = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        app += d->w[k] * d->app[k];
        lookups += d->w[k] * d->lookups[k];
        p_tx += d->w[k] * d->p_tx[k];
    }
    /* CPU limit below the workers: the app phases share it (processor sharing over
     * min(c, limit) cores, as the request engine plays CFS quota); the stretch is that of
     * M/M/1-PS on the pod's CPU */
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
    /* Redis: M/D/1 (Pollaczek–Khinchine: Wq = ρ·S / (2(1 − ρ))) */
    if (r->redis && lookups > 0 && !r->redis_down) {
        double S = sim_to_sec(r->redis_op);
        double rho = X * lookups * S;
        if (rho >= 1)
            L->ok = false;
        else
            L->redis_wait = rho * S / (2 * (1 - rho));
    }
    /* the database */
    if (db_tx(r) && !r->db_down) {
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
            double share = db->replica_read_share, nrep = r->ndbis - 1;
            double d0 = 0, d1 = 0;
            for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
                double cpu = X * admit * d->w[k] * d->queries[k] * d->qtime[k];
                if (k == MDL_API_READ && nrep > 0) {
                    d0 += cpu * (1 - share);
                    d1 += cpu * share / nrep;
                } else {
                    d0 += cpu;
                }
            }
            L->db_busy[0] = d0;
            L->db_busy[1] = d1;
            L->f[0] = mdl_ps_slowdown(cores_of(r, 0), d0);
            L->f[1] = nrep > 0 ? mdl_ps_slowdown(cores_of(r, 1), d1) : 1;
            if (!isfinite(L->f[0]) || !isfinite(L->f[1]))
                L->ok = false;
        }
    }
    /* transaction time per request (when it makes one) */
    double share =
        db_tx(r) && s->db.engine != MDL_DB_QUEUE && r->ndbis > 1 ? s->db.replica_read_share : 0;
    double prim = 0, rest = 0; /* primary query CPU, and the replicas' query time */
    for (int k = MDL_API_READ; k < MDL_NCLASS && db_tx(r) && !r->db_down; k++) {
        double f = L->f[0];
        if (k == MDL_API_READ && share > 0)
            f = (1 - share) * L->f[0] + share * L->f[1];
        double t = d->queries[k] * (d->qtime[k] * (isfinite(f) ? f : 1e9) + L->queue_wait);
        double on_prim = k == MDL_API_READ ? 1 - share : 1;
        prim += d->w[k] * d->queries[k] * d->qtime[k] * on_prim;
        rest += d->w[k] * d->queries[k] *
                (d->qtime[k] * (1 - on_prim) * (isfinite(L->f[1]) ? L->f[1] : 1e9) + L->queue_wait);
        tx += d->w[k] * t;
        tx2 += d->w[k] * t * t * (1 + d->qscv[k] / (d->queries[k] > 1 ? d->queries[k] : 1));
    }
    /* PgBouncer: a pool smaller than the transactions in flight is an M/M/P queue */
    if (db_tx(r) && s->db.engine != MDL_DB_QUEUE && !r->db_down && p_tx > 0 && n > 0) {
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
    double redis_t = lookups * (sim_to_sec(r->redis_op) + L->redis_wait);
    if (!r->redis || r->redis_down)
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
static void loop_at(const eng__run *r, const demand *d, double X, int n, loop *L)
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
static double sustainable(const eng__run *r, const demand *d, int n)
{
    if (n <= 0)
        return 0;
    const mdl_scenario *s = r->s;
    int c = s->api.workers;
    double nc = (double)n * c;
    loop L0;
    loop_at(r, d, 0, n, &L0);
    if (!(L0.hold > 0))
        return INFINITY; /* nothing takes time: no limit in the model */
    if (db_tx(r) && s->db.engine == MDL_DB_QUEUE && !r->db_down) {
        double lo = 0, hi = nc / L0.hold;
        for (int i = 0; i < BISECT; i++) {
            loop L;
            double mid = 0.5 * (lo + hi);
            loop_at(r, d, mid, n, &L);
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
    int nrep = r->ndbis > 1 ? r->ndbis - 1 : 0;
    if (db_tx(r) && !r->db_down && nrep > 0)
        rep = d->w[MDL_API_READ] * d->queries[MDL_API_READ] * d->qtime[MDL_API_READ] *
              s->db.replica_read_share / nrep; /* one replica's demand per request */
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
        double servers = cores_of(r, 0) < conns ? cores_of(r, 0) : conns;
        double xp = mdl_repairman_throughput(nc, L0.hold - L0.prim_cpu, L0.prim_cpu, servers);
        x = xp < x ? xp : x;
    }
    /* each replica */
    if (rep > 0) {
        double xr = mdl_repairman_throughput(nc, L0.hold - rep, rep, cores_of(r, 1));
        x = xr < x ? xr : x;
    }
    /* Redis */
    if (r->redis && !r->redis_down && lookups > 0) {
        double xr = 1.0 / (lookups * sim_to_sec(r->redis_op));
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
            loop_at(r, d, mid, n, &L);
            if (L.ok && mid * L.hold <= nc)
                lo = mid;
            else
                hi = mid;
        }
        loop L;
        loop_at(r, d, x, n, &L);
        if (!(L.ok && x * L.hold <= nc))
            x = lo;
    }
    return x;
}

/* ---------------------------------------------------------------- outcomes */

static void fail_n(eng__run *r, mdl_cause cause, double n, bool measured)
{
    if (!(n > 0))
        return;
    r->iv_errors[cause] += n;
    if (measured)
        r->out->errors[cause] += n;
}

static void served_n(eng__run *r, int cls, int64_t lat, double w, bool measured)
{
    r->iv_served += w;
    if (cls == MDL_API_WRITE) {
        r->iv_writes += w;
        r->repl_writes += w;
    }
    if (sim_now(r->k) + lat >= r->s->warmup && sim_now(r->k) + lat < r->end) /* answered then */
        r->out->served_in_window += w;
    if (cls != MDL_STATIC) { /* the series' latency columns are the API's */
        hist_record_n(r->iv_latency, lat, w);
        /* the step's requests arrive in it: the first served after a failure ends the RTO,
         * at its arrival (the step's start, at the step's resolution) plus its latency */
        if (r->fault_at >= 0 && w > 0)
            eng__note_recovery(r, sim_now(r->k), sim_now(r->k) + lat);
    }
    if (measured) {
        r->out->served[cls] += w;
        hist_record_n(r->out->latency_class[cls], lat, w);
    }
}

/* The recorders as the chain's components call them (component.h's eng__flow_hop) */
static void hop_served(void *eng, int cls, int64_t lat, double w, bool measured)
{
    served_n(eng, cls, lat, w, measured);
}

static void hop_failed(void *eng, mdl_cause cause, double n, bool measured)
{
    fail_n(eng, cause, n, measured);
}

static double sample_s(const sim_dist *d, sim_rng *g)
{
    return sim_to_sec(sim_dist_sample(d, g));
}

/* Whole draws of a mean count: its whole part, plus one with the fractional probability. */
static int draw_count(double mean, sim_rng *g)
{
    int n = (int)mean;
    return n + (sim_rng_uniform(g) < mean - n);
}

/* Edge and ALB latency of an API request. */
static double front_s(const eng__run *r, sim_rng *g)
{
    double t = sample_s(&r->s->alb.latency, g);
    if (r->s->cdn.enabled)
        t += sample_s(&r->s->cdn.edge_latency, g);
    return t;
}

/* A wait for a pool connection under M/M/P+D (L->tmo): tau (it gives up) with P(abandon), else
 * with P(wait) a draw from the density ∝ e^{−θx} on (0, tau) (inverse CDF; θ may be negative,
 * above saturation), else none. */
static double pool_wait_timed(const mdl_patience *p, double tau, sim_rng *g)
{
    double u = sim_rng_uniform(g);
    if (u < p->p_abandon)
        return tau;
    if (u >= p->p_abandon + p->p_wait)
        return 0;
    double v = (u - p->p_abandon) / p->p_wait, th = p->theta;
    if (fabs(th * tau) < 1e-9)
        return v * tau;
    /* below saturation x = −ln(1 − v(1 − e^{−θ·tau}))/θ; above, the same written from tau
     * down, so that e^{|θ|·tau} cannot overflow */
    double x =
        th > 0 ? -log1p(-v * -expm1(-th * tau)) / th : tau + log(v + (1 - v) * exp(th * tau)) / -th;
    return x < tau ? x : tau * (1 - 1e-12);
}

/* What the worker does with one request of class k: how long it holds it, and why the request
 * fails (MDL_NCAUSE: it does not), drawn from the same distributions as the request engine's. */
typedef struct losses {
    double conn, client; /* probabilities: too many connections, max_client_conn */
} losses;

static double one_request(eng__run *r, int k, const demand *d, const loop *L, const losses *x,
                          mdl_cause *cause, double *app_out)
{
    const mdl_scenario *s = r->s;
    sim_rng *g = r->flow->rng;
    *cause = MDL_NCAUSE;
    double hold = sample_s(&s->api.service[k], g);
    if (app_out) {
        *app_out = hold; /* the caller plays the CPU's sharing itself */
    } else if (L->throttle > 1) {
        /* Sharing the CPU limit stretches an app phase by between 1 (alone) and c/lim (every
         * worker busy at once); the mean is L->throttle. Drawn as the two ends, in the share
         * that gives that mean: a request either had the CPU or shared it — whose spread, not
         * just the mean, is what lengthens the tail (a long request that shares is slowed
         * most) */
        double lim = (double)s->api.cpu_limit / 1000.0, most = s->api.workers / lim;
        if (most > 1 && sim_rng_uniform(g) < (L->throttle - 1) / (most - 1))
            hold *= most;
    }
    if (r->redis && !r->redis_down && d->lookups[k] > 0)
        hold += draw_count(d->lookups[k], g) * (sim_to_sec(r->redis_op) + L->redis_wait);
    int nq = db_tx(r) ? draw_count(d->queries[k], g) : 0;
    if (nq > 0) {
        if (r->db_down) {
            *cause = MDL_ERR_DB_FAILOVER;
        } else if (x->conn > 0 && sim_rng_uniform(g) < x->conn) {
            *cause = MDL_ERR_DB_CONNECTIONS;
        } else if (x->client > 0 && sim_rng_uniform(g) < x->client) {
            *cause = MDL_ERR_CLIENT_REFUSED;
        } else {
            double pw = 0;
            double qwait = s->pgbouncer.query_wait_timeout > 0
                               ? sim_to_sec(s->pgbouncer.query_wait_timeout)
                               : INFINITY;
            if (L->timed) {
                pw = pool_wait_timed(&L->tmo, qwait, g);
            } else if (L->pool.p_wait > 0 && sim_rng_uniform(g) < L->pool.p_wait) {
                pw = sim_rng_exponential(g, L->pool.wait_given_wait);
            }
            if (pw >= qwait) {
                *cause = MDL_ERR_POOL_TIMEOUT;
                return hold + qwait;
            }
            hold += pw;
            double share =
                s->db.engine != MDL_DB_QUEUE && r->ndbis > 1 ? s->db.replica_read_share : 0;
            double f = L->f[0];
            if (k == MDL_API_READ && share > 0 && sim_rng_uniform(g) < share)
                f = L->f[1];
            const sim_dist *qt = k == MDL_API_WRITE ? &s->db.write_time : &s->db.read_time;
            for (int q = 0; q < nq; q++)
                hold += sample_s(qt, g) * f + L->queue_wait;
        }
    }
    double timeout = s->api.timeout > 0 ? sim_to_sec(s->api.timeout) : INFINITY;
    if (*cause == MDL_NCAUSE && hold > timeout) {
        *cause = MDL_ERR_WORKER_TIMEOUT; /* gunicorn kills the worker: it is free again */
        hold = timeout;
    }
    return hold;
}

/* The client's outcome of a request that waited `wait` and was held `hold` (s): weight w. */
static void outcome(eng__run *r, int k, double wait, double hold, mdl_cause cause, double w,
                    bool measured)
{
    double idle = r->s->alb.idle_timeout > 0 ? sim_to_sec(r->s->alb.idle_timeout) : INFINITY;
    if (wait + hold > idle && cause != MDL_ERR_WORKER_TIMEOUT)
        cause = MDL_ERR_ALB_TIMEOUT; /* the client got its 504 before the pod answered */
    if (measured)
        hist_record_n(r->out->pod_wait, (int64_t)(wait * 1e9 + 0.5), w);
    if (cause != MDL_NCAUSE) {
        fail_n(r, cause, w, measured);
        return;
    }
    double lat = front_s(r, r->flow->rng) + wait + hold;
    served_n(r, k, (int64_t)(lat * 1e9 + 0.5), w, measured);
}

/* Requests behind a fluid backlog: each waits for the B requests ahead of it at its pod to be
 * served by c workers, B·E[hold]/c on average (`wait`) and, as a sum of B holds, with standard
 * deviation √B·sd(hold)/c (central limit theorem; `sd`). K per class. */
static void outcomes_fluid(eng__run *r, const double *count, const demand *d, const loop *L,
                           const losses *x, double wait, double sd, bool measured)
{
    gsl_rng *gg = (gsl_rng *)sim_rng_gsl(r->flow->rng);
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        if (!(count[k] > 0))
            continue;
        for (int i = 0; i < r->flow->k_fluid; i++) {
            mdl_cause cause;
            double hold = one_request(r, k, d, L, x, &cause, NULL);
            double w = wait + (sd > 0 ? sd * gsl_ran_gaussian_ziggurat(gg, 1.0) : 0);
            outcome(r, k, w > 0 ? w : 0, hold, cause, count[k] / r->flow->k_fluid, measured);
        }
    }
}

/* When the request with place `idx` in the arrival count arrived, s. */
static double arrived_at(const struct eng__flow *f, double idx)
{
    if (f->ring_len == 0)
        return 0;
    /* binary search over the ring, oldest to newest */
    int lo = 0, hi = f->ring_len - 1;
#define AT(i) ((f->ring_head - f->ring_len + 1 + (i) + RING) % RING)
    if (idx <= f->ring_a[AT(0)])
        return f->ring_t[AT(0)];
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (f->ring_a[AT(mid)] <= idx)
            lo = mid;
        else
            hi = mid - 1;
    }
    int i = AT(lo);
    double t0 = f->ring_t[i], a0 = f->ring_a[i];
    double t1, a1;
    if (lo + 1 < f->ring_len) {
        t1 = f->ring_t[AT(lo + 1)];
        a1 = f->ring_a[AT(lo + 1)];
    } else {
        t1 = t0 + sim_to_sec(f->dt);
        a1 = a0 + f->cur_per_pod;
    }
#undef AT
    return a1 > a0 ? t0 + (idx - a0) / (a1 - a0) * (t1 - t0) : t0;
}

/* A backlog served first in, first out: the `done` requests per pod from place `head` on finish
 * through the step [now, now + dt); each waited from its arrival until its worker took it:
 * (finish − arrival − hold). Whether it is measured follows its own arrival time. */
static void outcomes_fifo(eng__run *r, int pods, const demand *d, const loop *L, const losses *x,
                          double head, double done, double now, double dt, double mu)
{
    const mdl_scenario *s = r->s;
    double warm = sim_to_sec(s->warmup), end = sim_to_sec(r->end);
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        double count = done * pods * d->w[k];
        if (!(count > 0))
            continue;
        for (int i = 0; i < r->flow->k_fluid; i++) {
            double u = (i + 0.5) / r->flow->k_fluid;
            double t_arr = arrived_at(r->flow, head + u * done);
            mdl_cause cause;
            double hold = one_request(r, k, d, L, x, &cause, NULL);
            double wait = now + u * dt - t_arr - hold;
            /* that is the average pod's; each pod's own requests ahead took a sum of holds,
             * which spreads the waits: standard deviation √(ahead)·sd(hold)/c (central limit
             * theorem), ahead ≈ wait·μ requests */
            if (wait > 0 && mu > 0) {
                double sd = sqrt(wait * mu * L->hold_scv) * L->hold / r->s->api.workers;
                wait += sd * gsl_ran_gaussian_ziggurat((gsl_rng *)sim_rng_gsl(r->flow->rng), 1.0);
            }
            outcome(r, k, wait > 0 ? wait : 0, hold, cause, count / r->flow->k_fluid,
                    t_arr >= warm && t_arr < end);
        }
    }
}

/* Poisson arrivals at one queue — least outstanding requests (one pooled G/G/(n·c) queue), or
 * a single pod: Erlang C with Allen–Cunneen's mean (Pollaczek–Khinchine's, exact, for one
 * server), those who wait waiting exponentially (P(Wq > t) = C·e^{−(cμ−λ)t}, exact for M/M/c).
 * The draws are independent stationary ones, so the estimates do not slow down near
 * saturation as a simulated queue's do (relaxation time ∝ (1 − ρ)^−2). Each sample is taken
 * both ways, waiting and not, weighted C and 1 − C (stratified sampling): P(wait > 0) is
 * then exact and the waits of the few who wait at low load are still measured. */
static void outcomes_pooled(eng__run *r, const double *count, const demand *d, const loop *L,
                            const losses *x, const mdl_mgc *q, bool measured)
{
    sim_rng *g = r->flow->rng;
    double pw = q->p_wait > 0 ? (q->p_wait < 1 ? q->p_wait : 1) : 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        if (!(count[k] > 0))
            continue;
        double w = count[k] / r->flow->k_samples;
        for (int i = 0; i < r->flow->k_samples; i++) {
            mdl_cause cause;
            double hold = one_request(r, k, d, L, x, &cause, NULL);
            if (pw > 0)
                outcome(r, k, sim_rng_exponential(g, q->wait_given_wait), hold, cause, w * pw,
                        measured);
            if (pw < 1)
                outcome(r, k, 0, hold, cause, w * (1 - pw), measured);
        }
    }
}

/* Round robin: a representative pod. Each pod gets every n-th arrival (Erlang-n gaps) and
 * serves them FCFS on c workers; the waits follow the Kiefer–Wolfowitz recursion (Kiefer and
 * Wolfowitz, Trans. AMS 78, 1955; Lindley's for c = 1): on each arrival every worker's remaining
 * work falls by the gap, the request waits for the least of them, and adds its hold to it. It
 * is exact for G/G/c with renewal arrivals, and its cost is the samples taken, not the load:
 * 2K arrivals per step, whatever the rate (the recursion is indexed by arrivals, so taking
 * fewer of them per second samples the same stationary waits). Allen–Cunneen and
 * Krämer–Langenbach-Belz were tried first: with lognormal service at low load their mean wait
 * was several times off the request engine's, and neither gives the wait's heavy tail. */
static void outcomes_rr(eng__run *r, const double *count, const demand *d, const loop *L,
                        const losses *x, double lambda_pod, int n, bool measured)
{
    struct eng__flow *f = r->flow;
    sim_rng *g = f->rng;
    int c = r->s->api.workers;
    int taken[MDL_NCLASS] = {0, 0, 0};
    double waits[MDL_NCLASS][2 * K_MAX], holds[MDL_NCLASS][2 * K_MAX];
    mdl_cause causes[MDL_NCLASS][2 * K_MAX];
    double p_read = count[MDL_API_READ] / (count[MDL_API_READ] + count[MDL_API_WRITE]);
    double last_wait = 0;
    /* A CPU limit below the workers: the busy workers share it (processor sharing, as the
     * request engine plays CFS quota). A request's app phase is stretched by the workers busy
     * when it starts — an approximation of limited processor sharing that keeps the pod's
     * capacity near limit/E[app] and gives the long requests that share the longest stretches. */
    double lim = (double)r->s->api.cpu_limit / 1000.0;
    bool cpu_bound = r->throttled && lim < c;
    int m = c;
    double app_mean = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
        app_mean += d->w[k] * d->app[k];
    double unstretched = L->hold - app_mean * (L->throttle - 1);
    double app_frac = unstretched > 0 ? app_mean / unstretched : 1;
    for (int i = 0; i < 2 * r->flow->k_samples; i++) {
        int k = sim_rng_uniform(g) < p_read ? MDL_API_READ : MDL_API_WRITE;
        double gap = gsl_ran_gamma((const gsl_rng *)sim_rng_gsl(g), n, 1.0 / (lambda_pod * n));
        int j = 0;
        for (int w = 0; w < m; w++) {
            f->work[w] = f->work[w] > gap ? f->work[w] - gap : 0;
            if (f->work[w] < f->work[j])
                j = w;
        }
        mdl_cause cause;
        double app = 0;
        double hold = one_request(r, k, d, L, x, &cause, cpu_bound ? &app : NULL);
        last_wait = f->work[j];
        if (cpu_bound) {
            /* it shares the CPU with the other workers busy when it starts — in their app
             * phase for the share app_frac of their time (the rest they wait on Redis and
             * the database): its app phase runs at limit/(1 + busy·app_frac) of a core when
             * that is below one */
            int busy = 0;
            for (int w = 0; w < m; w++)
                busy += w != j && f->work[w] > last_wait;
            double share = (1 + busy * app_frac) / lim;
            if (share > 1)
                hold += app * (share - 1);
        }
        f->work[j] += hold;
        int t = taken[k]++;
        waits[k][t] = last_wait;
        holds[k][t] = hold;
        causes[k][t] = cause;
    }
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        if (!(count[k] > 0))
            continue;
        if (taken[k] == 0) {
            /* a rare class drew no arrival this step: it sees the pod as the last one did */
            for (int i = 0; i < r->flow->k_samples; i++) {
                mdl_cause cause;
                double hold = one_request(r, k, d, L, x, &cause, NULL);
                outcome(r, k, last_wait, hold, cause, count[k] / r->flow->k_samples, measured);
            }
            continue;
        }
        for (int i = 0; i < taken[k]; i++)
            outcome(r, k, waits[k][i], holds[k][i], causes[k][i], count[k] / taken[k], measured);
    }
}

/* ---------------------------------------------------------------- connections */

/* Server connections the pools would hold at this load, and the share of transactions that
 * find the database's max_connections in the way (Erlang B on what each pool may still open),
 * or PgBouncer's max_client_conn (Erlang B on the clients). */
static void connections(eng__run *r, const demand *d, const loop *L, double X, int n,
                        double *conn_loss, double *client_loss)
{
    const mdl_scenario *s = r->s;
    struct eng__flow *f = r->flow;
    *conn_loss = *client_loss = 0;
    if (!db_tx(r) || s->db.engine == MDL_DB_QUEUE || n <= 0)
        return;
    double p_tx = 0, tx = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
        p_tx += d->w[k] * d->p_tx[k];
    tx = L->hold - 0; /* upper bound of a transaction's span: within the worker's hold */
    (void)tx;
    double tx_mean = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
        tx_mean += d->w[k] * d->queries[k] * d->qtime[k] * (isfinite(L->f[0]) ? L->f[0] : 1);
    const mdl_pgbouncer_config *b = &s->pgbouncer;
    int c = s->api.workers;
    /* concurrent transactions (Little): per pod, or in all */
    double a_pod = X / n * tx_mean, a_all = X * tx_mean;
    if (b->mode == MDL_PGB_CENTRAL) {
        double need = mdl_poisson_quantile(a_all, 0.999);
        if (need > b->default_pool_size)
            need = b->default_pool_size;
        if (need > f->open_central)
            f->open_central = need;
        double granted = f->open_central < r->max_conns ? f->open_central : r->max_conns;
        r->db_conns = (int)granted;
        if (f->open_central > r->max_conns)
            *conn_loss = mdl_erlang_b(r->max_conns, a_all);
        int clients = n * c < b->max_client_conn ? n * c : b->max_client_conn;
        if (clients < n * c)
            *client_loss = mdl_erlang_b((double)clients / n, a_pod);
        return;
    }
    int pool = b->mode == MDL_PGB_NONE ? c : (b->default_pool_size < c ? b->default_pool_size : c);
    double need = mdl_poisson_quantile(a_pod, 0.999);
    if (need > pool)
        need = pool;
    if (need > f->open_per_pod)
        f->open_per_pod = need;
    double want = f->open_per_pod * n;
    r->db_conns = (int)(want < r->max_conns ? want : r->max_conns);
    if (want > r->max_conns)
        *conn_loss = mdl_erlang_b((double)r->max_conns / n, a_pod);
    if (b->mode == MDL_PGB_PER_POD && b->max_client_conn < c)
        *client_loss = mdl_erlang_b(b->max_client_conn, a_pod);
}

/* ---------------------------------------------------------------- metering */

static void meter_db(eng__run *r, const loop *L, double dt_s)
{
    if (!db_tx(r) || r->db_down)
        return;
    if (r->db) {
        /* queue engine: servers busy = offered CPU load (capped) */
        double busy = L->db_busy[0] < r->s->db.servers ? L->db_busy[0] : r->s->db.servers;
        r->iv_db_area += busy * dt_s * 1e9;
        sim_time now = sim_now(r->k);
        if (now >= r->s->warmup && now < r->end)
            r->area_db += busy * dt_s * 1e9;
        return;
    }
    for (int i = 0; i < r->ndbis; i++) {
        eng__dbi *d = &r->dbis[i];
        double b = L->db_busy[i == 0 ? 0 : 1];
        if (b > d->cores)
            b = d->cores;
        double ns = b * dt_s * 1e9;
        d->busy_area += ns;
        d->iv_busy += ns;
        d->tick_busy += ns;
    }
}

/* Each serving pod's CPU (for metrics-server and the HPA) and in-service count (memory).
 * Serving pods are alike, so one integral serves them all: g, the CPU a serving pod has used
 * since the start (core·ns), and gv, the variance of that sum — the CPU of a step is a sum of
 * its requests' CPU times, whose noise (√N_pod · sd(app), the central limit theorem) is what
 * makes the HPA's readings, and its decisions at the edge of its tolerance, wander as in the
 * request engine. A pod's cpu_area catches up when it is read or stops serving
 * (eng__flow_pod_sync): the mean difference of g since its last update plus an independent
 * normal draw with the variance's difference. The cost per step does not grow with pods. */
static void meter_pods(eng__run *r, const demand *d, const loop *L, double X, double dt_s, int n)
{
    struct eng__flow *f = r->flow;
    if (n <= 0)
        return;
    double app = 0, app2 = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        app += d->w[k] * d->app[k];
        app2 += d->w[k] * d->app[k] * d->app[k] * (1 + sim_dist_scv(&r->s->api.service[k]));
    }
    double per_pod = X * dt_s / (double)n; /* requests per pod this step */
    double used = per_pod * app;           /* core·s */
    double lim = (double)r->s->api.cpu_limit / 1000.0;
    if (r->s->cluster.enabled && lim > 0 && used > lim * dt_s)
        used = lim * dt_s;
    f->g += used * 1e9;
    double var = per_pod * (app2 - app * app > 0 ? app2 - app * app : 0);
    f->gv += var * 1e18;
    double busy = X / (double)n * L->hold;
    f->busy = busy > r->s->api.workers ? r->s->api.workers : busy;
    f->in_service = (int)ceil(busy > r->s->api.workers ? r->s->api.workers : busy);
}

void eng__flow_pod_join(eng__run *r, eng__pod *p)
{
    if (!r->flow)
        return;
    p->flow_g = r->flow->g;
    p->flow_gv = r->flow->gv;
}

void eng__flow_pod_sync(eng__run *r, eng__pod *p)
{
    struct eng__flow *f = r->flow;
    if (!f || p->route < 0)
        return;
    double mean = f->g - p->flow_g, var = f->gv - p->flow_gv;
    if (mean > 0 || var > 0) {
        double z = gsl_ran_gaussian_ziggurat((const gsl_rng *)sim_rng_gsl(f->r_pods), 1.0);
        double add = mean + (var > 0 ? sqrt(var) * z : 0);
        p->cpu_area += add > 0 ? add : 0;
    }
    p->flow_g = f->g;
    p->flow_gv = f->gv;
    p->in_service = f->in_service;
}

void eng__flow_pod_lost(eng__run *r, eng__pod *p)
{
    struct eng__flow *f = r->flow;
    if (!f || p->route < 0)
        return;
    /* the requests its workers held fail with it (the request engine kills each one) */
    fail_n(r, MDL_ERR_POD_TERMINATED, f->busy, sim_now(r->k) >= r->s->warmup);
}

/* ---------------------------------------------------------------- one step */

/* Above this mean a step's count is drawn from the normal approximation N(m, m), rounded:
 * gsl_ran_poisson returns an unsigned int, so it wraps at 2^32 arrivals per step (and slows
 * towards it), while any rate the scenario language accepts must count right. At 10^8 the
 * Poisson's skewness is 1/√m = 10^−4: no figure can tell the two apart. */
#define POISSON_NORMAL_ABOVE 1e8

static double poisson(sim_rng *g, double mean)
{
    if (!(mean > 0))
        return 0;
    const gsl_rng *gg = (const gsl_rng *)sim_rng_gsl(g);
    if (mean > POISSON_NORMAL_ABOVE) {
        double k = floor(mean + sqrt(mean) * gsl_ran_gaussian_ziggurat(gg, 1.0) + 0.5);
        return k > 0 ? k : 0;
    }
    return (double)gsl_ran_poisson(gg, mean);
}

static void on_step(void *ctx, void *arg);

/* The cohorts follow the serving pods: new pods join with an empty backlog (least outstanding
 * requests: into the one pooled cohort, whose backlog they share); pods that left — the newest
 * first, as the ReplicaSet picks them (Ready for less time goes first) — take their backlog
 * with them (502: gunicorn drops its listen queue). */
static void cohorts_sync(eng__run *r, int n, bool pooled, const demand *d, bool measured)
{
    struct eng__flow *f = r->flow;
    int total = 0;
    for (int j = 0; j < f->ncohorts; j++)
        total += f->cohorts[j].pods;
    double lost = 0;
    if (pooled) {
        if (f->ncohorts == 0 && n > 0)
            f->cohorts[f->ncohorts++] = (struct cohort){n, 0, 0};
        else if (f->ncohorts > 0) {
            struct cohort *h = &f->cohorts[0];
            if (n < total)
                lost = h->b * (total - n);
            else if (n > total && n > 0) {
                h->b *= (double)total / n;
                h->early *= (double)total / n;
            }
            h->pods = n;
            if (n == 0)
                f->ncohorts = 0;
        }
    } else if (n > total) {
        struct cohort *last = f->ncohorts ? &f->cohorts[f->ncohorts - 1] : NULL;
        if (last && last->b <= 0)
            last->pods += n - total;
        else if (f->ncohorts < MAX_COHORTS)
            f->cohorts[f->ncohorts++] = (struct cohort){n - total, 0, 0};
        else
            last->pods += n - total; /* full: the newest absorbs them (rare) */
    } else {
        int drop = total - n;
        while (drop > 0 && f->ncohorts > 0) {
            struct cohort *h = &f->cohorts[f->ncohorts - 1];
            int k = drop < h->pods ? drop : h->pods;
            lost += h->b * k;
            h->pods -= k;
            drop -= k;
            if (h->pods == 0)
                f->ncohorts--;
        }
    }
    for (int k = MDL_API_READ; k < MDL_NCLASS && lost > 0; k++)
        fail_n(r, MDL_ERR_POD_TERMINATED, lost * d->w[k], measured);
    /* cohorts whose backlog is gone are alike again: one */
    int out = 0;
    for (int j = 0; j < f->ncohorts; j++) {
        struct cohort h = f->cohorts[j];
        if (h.pods <= 0)
            continue;
        if (h.b <= 0 && out > 0 && f->cohorts[out - 1].b <= 0) {
            f->cohorts[out - 1].pods += h.pods;
            continue;
        }
        f->cohorts[out++] = h;
    }
    f->ncohorts = out;
    while (f->ncohorts >= MAX_COHORTS) {
        int best = 0;
        for (int j = 1; j + 1 < f->ncohorts; j++)
            if (fabs(f->cohorts[j].b - f->cohorts[j + 1].b) <
                fabs(f->cohorts[best].b - f->cohorts[best + 1].b))
                best = j;
        struct cohort *a = &f->cohorts[best], *b = &f->cohorts[best + 1];
        double p = a->pods + b->pods;
        a->b = (a->b * a->pods + b->b * b->pods) / p;
        a->early = (a->early * a->pods + b->early * b->pods) / p;
        a->pods = (int)p;
        memmove(b, b + 1, (size_t)(f->ncohorts - best - 2) * sizeof *b);
        f->ncohorts--;
    }
}

static void step(eng__run *r)
{
    const mdl_scenario *s = r->s;
    struct eng__flow *f = r->flow;
    sim_time now = sim_now(r->k);
    double dt = sim_to_sec(f->dt);
    bool arriving = now < r->end;
    /* arrivals count in the window [warm-up, end); outcomes from the warm-up on, the drain
     * after the end included — those requests arrived in the window, as the request engine
     * follows its measured requests to the end */
    bool measured_arrivals = now >= s->warmup && now < r->end;
    bool measured = now >= s->warmup;
    eng_usage *u = &r->out->usage;
    sim_rng *g = f->rng;

    /* 1. arrivals: E the expected counts, N the drawn ones. Only counting follows the draw
     * (requests, bytes, errors, metering); the state of the queues follows the rate E/Δ, so
     * that a step's luck does not flip a pod between its stationary and its overloaded
     * regimes, nor the answer depend on the step */
    double N[MDL_NCLASS] = {0, 0, 0}, E[MDL_NCLASS] = {0, 0, 0}, total = 0;
    if (arriving) {
        sim_time mid = now + f->dt / 2;
        if (mid > r->end)
            mid = now + (r->end - now) / 2;
        double span = sim_to_sec(now + f->dt <= r->end ? f->dt : r->end - now);
        double lambda = mdl_traffic_rate(&s->traffic, mid);
        for (int c = 0; c < MDL_NCLASS; c++) {
            E[c] = lambda * s->traffic.mix[c] * span;
            N[c] = poisson(f->r_arrivals, E[c]);
            total += N[c];
        }
    }
    r->arrivals_total += total;
    r->iv_arrivals += total;
    for (int c = 0; c < MDL_NCLASS && measured_arrivals; c++)
        r->out->arrivals[c] += N[c];

    /* 2. CloudFront, stale DNS answers, the ALB (chain.c): what reaches the pods' side, drawn
     * (api) and expected (ea) */
    eng__flow_hop hop = {.now = now,
                         .dt = f->dt,
                         .measured = measured,
                         .g = g,
                         .k_samples = f->k_samples,
                         .eng = r,
                         .served = hop_served,
                         .failed = hop_failed};
    memcpy(hop.n, N, sizeof hop.n);
    memcpy(hop.e, E, sizeof hop.e);
    eng__chain_flow(r, &hop);
    double *api = hop.n, *ea = hop.e;
    /* statics no CloudFront answered (it is off): not served, and not counted (cloudfront.c) */
    api[MDL_STATIC] = ea[MDL_STATIC] = 0;
    double A = api[MDL_API_READ] + api[MDL_API_WRITE];
    int n = 0, down = 0;
    for (size_t i = 0; i < r->nroutes; i++) {
        const eng__pod *p = r->pods[r->routes[i].id];
        if (p->state == P_CRASHED || p->state == P_STARTING)
            down++;
        else
            n++;
    }
    demand d, drawn; /* the state's (the offered mix), and the metering's (the draw's) */
    demands(r, ea[MDL_API_READ] + ea[MDL_API_WRITE] > 0 ? ea : api, &d);
    demands(r, api, &drawn);
    if (r->nroutes == 0) {
        for (int c = MDL_API_READ; c < MDL_NCLASS; c++)
            fail_n(r, MDL_ERR_NO_TARGET, api[c], measured);
        A = 0;
        ea[MDL_API_READ] = ea[MDL_API_WRITE] = 0;
    } else if (down > 0) {
        double lost = (double)down / (double)r->nroutes;
        for (int c = MDL_API_READ; c < MDL_NCLASS; c++) {
            fail_n(r, MDL_ERR_TARGET_DOWN, api[c] * lost, measured);
            api[c] *= 1 - lost;
            ea[c] *= 1 - lost;
        }
        A *= 1 - lost;
    }
    double Ae = ea[MDL_API_READ] + ea[MDL_API_WRITE]; /* A's expectation */
    /* 4. pods and the data tier */
    bool pooled = s->alb.algorithm == MDL_ALB_LEAST_OUTSTANDING;
    cohorts_sync(r, n, pooled, &d, measured);
    f->backlog = 0;
    for (int j = 0; j < f->ncohorts; j++)
        f->backlog += f->cohorts[j].b * f->cohorts[j].pods;
    /* the arrival count: this step begins at (now, acum) */
    f->cur_per_pod = n > 0 ? A / n : 0;
    f->ring_head = (f->ring_head + 1) % RING;
    f->ring_t[f->ring_head] = sim_to_sec(now);
    f->ring_a[f->ring_head] = f->acum;
    if (f->ring_len < RING)
        f->ring_len++;
    loop L;
    double X = 0; /* API requests/s the pods finish this step */
    if (n > 0 && (A > 0 || f->backlog > 0)) {
        int c = s->api.workers;
        double lambda = Ae / dt; /* the offered rate, not this step's draw */
        /* the sustainable throughput for the scenario's mix (not this step's draw: it only
         * changes when the pods, the database's capacity or a failover do) */
        double xmax;
        const double c0 = cores_of(r, 0), c1 = cores_of(r, 1);
        if (f->xmax_cache.valid && f->xmax_cache.n == n && f->xmax_cache.cores0 == c0 &&
            f->xmax_cache.cores1 == c1 && f->xmax_cache.redis_down == r->redis_down &&
            f->xmax_cache.db_down == r->db_down) {
            xmax = f->xmax_cache.x;
        } else {
            double mixed[MDL_NCLASS] = {
                0, s->traffic.mix[MDL_API_READ] * (1 - eng__cloudfront_api_hit(r->cdn)),
                s->traffic.mix[MDL_API_WRITE]};
            demand de;
            demands(r, mixed, &de);
            xmax = sustainable(r, &de, n);
            f->xmax_cache.n = n;
            f->xmax_cache.cores0 = c0;
            f->xmax_cache.cores1 = c1;
            f->xmax_cache.redis_down = r->redis_down;
            f->xmax_cache.db_down = r->db_down;
            f->xmax_cache.x = xmax;
            f->xmax_cache.valid = true;
        }
        double mu = xmax / n;         /* one pod's capacity, all workers busy, /s */
        double per_pod = A / n;       /* arrivals per pod this step (round robin) */
        double kpod = s->api.backlog; /* one pod's listen backlog */
        /* the pods without a backlog, if they keep up at the offered rate: below saturation */
        bool open_ok = false;
        if (lambda / n < mu) {
            loop_at(r, &d, lambda, n, &L);
            open_ok = L.ok && isfinite(L.hold) && lambda * L.hold < (double)n * c;
        }
        /* the loop at full load: what a request holds its worker when all are busy (Little:
         * n·c / X_max), the primary's share stretched to fit the closed model's */
        loop F;
        loop_at(r, &d, xmax, n, &F);
        if (xmax > 0 && (F.prim_cpu > 0 || r->throttled)) {
            double target = (double)n * c / xmax;
            double app = 0;
            for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
                app += d.w[k] * d.app[k];
            double lim = (double)s->api.cpu_limit / 1000.0;
            if (r->throttled && xmax >= 0.999 * n * lim / app) {
                /* the pods' CPU is the bottleneck: the stretch is the app phase's */
                double off = F.hold - app * F.throttle;
                double t = app > 0 ? (target - off) / app : 1;
                F.throttle = t > 1 ? t : 1;
                F.hold = off + app * F.throttle;
            } else if (F.prim_cpu > 0) {
                double f0 = (target - F.others) / F.prim_cpu;
                F.f[0] = f0 > 1 ? f0 : 1;
                F.hold = F.others + F.prim_cpu * F.f[0];
                F.pool.p_wait = 0; /* waiting for a connection is part of that stretch */
            }
            F.ok = true;
        }
        losses x;
        double calm = 0, calm_pods = 0; /* requests to pods that keep up with no backlog */
        double done_all = 0;
        /* the backlogged cohorts share the step's samples, so that their number does not
         * multiply the cost */
        int nfluid = 0;
        for (int j = 0; j < f->ncohorts; j++)
            nfluid += f->cohorts[j].b > 0 || !open_ok;
        f->k_fluid = nfluid > 1 ? f->k_samples / nfluid : f->k_samples;
        if (f->k_fluid < 2)
            f->k_fluid = 2;
        for (int j = 0; j < f->ncohorts; j++) {
            struct cohort *h = &f->cohorts[j];
            if (h->b <= 0 && open_ok) {
                calm += per_pod * h->pods;
                calm_pods += h->pods;
                continue;
            }
            /* a backlog, or more arrivals than the pod can serve: the fluid backlog (Newell
             * 1982) — Q ← max(0, Q + (a − μ)·Δ), served first in, first out */
            double before = h->b, avail = before + per_pod, cap = mu * dt;
            double done = avail < cap ? avail : cap;
            double after = avail - done;
            if (before <= 0)
                h->head = f->acum; /* the queue starts with this step's first arrival */
            bool was_full = h->full;
            if (after > kpod) {
                double over = (after - kpod) * h->pods;
                for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
                    fail_n(r, MDL_ERR_BACKLOG_FULL, over * d.w[k], measured);
                after = kpod;
                h->full = true;
            }
            connections(r, &d, &F, xmax, n, &x.conn, &x.client);
            if (!was_full && !h->full) {
                /* the arrival count places every waiting request: exact FIFO waits */
                outcomes_fifo(r, h->pods, &d, &F, &x, h->head, done, sim_to_sec(now), dt, mu);
                h->head += done;
                h->early = h->early > done ? h->early - done : 0; /* FIFO: they went first */
            } else {
                /* a full listen backlog drops the newest arrivals, so places are no longer
                 * contiguous: each request waits for the Q ahead of it, Q/μ on average and,
                 * as a sum of Q holds, with standard deviation √Q·sd(hold)/c */
                double wait = mu > 0 ? 0.5 * (before + after) / mu : 0;
                double sd = sqrt(0.5 * (before + after) * F.hold * F.hold * F.hold_scv) / c;
                double early = done < h->early ? done : h->early;
                h->early -= early;
                double count[MDL_NCLASS] = {0, early * h->pods * d.w[MDL_API_READ],
                                            early * h->pods * d.w[MDL_API_WRITE]};
                outcomes_fluid(r, count, &d, &F, &x, wait, sd, false);
                for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
                    count[k] = (done - early) * h->pods * d.w[k];
                outcomes_fluid(r, count, &d, &F, &x, wait, sd, measured);
                /* once below the cap again, count places afresh from the newest */
                h->head = f->acum + per_pod - after;
                if (after < kpod)
                    h->full = false;
            }
            h->b = after;
            done_all += done * h->pods;
        }
        if (calm > 0) {
            /* the state at the offered rate (calm_pods at λ/n each, and what the backlogged
             * ones finish); X, what they finished by the draw, meters */
            double xc = lambda / n * calm_pods, Xe = xc + done_all / dt;
            X = calm / dt + done_all / dt;
            loop_at(r, &d, Xe, n, &L);
            if (!(L.ok && isfinite(L.hold)))
                loop_at(r, &d, xc, n, &L);
            /* Poisson arrivals reach the queue when it is one pooled queue (least outstanding)
             * or the only pod; round robin over n > 1 pods sends each every n-th (Ca² = 1/n) */
            bool poisson_in = pooled || n == 1;
            mdl_mgc q = pooled ? mdl_mgc_wait((double)n * c, lambda, L.hold, 1, L.hold_scv)
                               : mdl_mgc_wait(c, lambda / n, L.hold, 1.0 / n, L.hold_scv);
            /* the listen backlog overflows: M/M/c/(c+K), Erlang B at K = 0 (pooled: n·c
             * workers and n·K places) */
            double reject = 0;
            /* it is below ρ^K: skip the recursion (n·c long, pooled) where that is already
             * below what a count can show */
            if (pow(lambda / n * L.hold / c, s->api.backlog) >= 1e-12)
                reject = pooled ? mdl_mmck_refused((double)n * c, lambda * L.hold,
                                                   (double)n * s->api.backlog)
                                : mdl_mmck_refused(c, lambda / n * L.hold, s->api.backlog);
            if (reject < 1e-12)
                reject = 0; /* below what a count can show */
            connections(r, &d, &L, X, n, &x.conn, &x.client);
            double count[MDL_NCLASS] = {0, 0, 0};
            for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
                fail_n(r, MDL_ERR_BACKLOG_FULL, calm * d.w[k] * reject, measured);
                count[k] = calm * d.w[k] * (1 - reject);
            }
            if (poisson_in && L.timed && L.tmo.p_abandon > 0) {
                /* the share that gives up waiting for a pool connection, counted as its
                 * expectation, and the samples drawn from those who stay (as P(wait > 0) in
                 * outcomes_pooled): the loss is then exact at any rate, not a rare draw */
                loop Ls = L;
                double stay = 1 - L.tmo.p_abandon;
                Ls.tmo.p_abandon = 0;
                Ls.tmo.p_wait = stay > 0 ? L.tmo.p_wait / stay : 0;
                for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
                    double out =
                        count[k] * d.p_tx[k] * (1 - x.conn) * (1 - x.client) * L.tmo.p_abandon;
                    fail_n(r, MDL_ERR_POOL_TIMEOUT, out, measured);
                    count[k] -= out;
                }
                outcomes_pooled(r, count, &d, &Ls, &x, &q, measured);
            } else if (poisson_in)
                outcomes_pooled(r, count, &d, &L, &x, &q, measured);
            else
                outcomes_rr(r, count, &d, &L, &x, lambda / n, n, measured);
        } else {
            X = done_all / dt;
            L = F;
            /* the representative pod's queue restarts empty once the backlogs are gone */
            for (int w = 0; w < c; w++)
                f->work[w] = 0;
        }
        f->backlog = 0;
        f->backlog_early = 0;
        for (int j = 0; j < f->ncohorts; j++) {
            f->backlog += f->cohorts[j].b * f->cohorts[j].pods;
            f->backlog_early += f->cohorts[j].early * f->cohorts[j].pods;
        }
        /* the metering counts what was drawn and served (X): its mix, its database CPU */
        d = drawn;
        loop M;
        loop_at(r, &d, calm > 0 ? X : xmax, n, &M);
        L.db_busy[0] = M.db_busy[0];
        L.db_busy[1] = M.db_busy[1];
        /* metering: queries, I/O, busy CPU */
        for (int k = MDL_API_READ; k < MDL_NCLASS && db_tx(r) && !r->db_down; k++) {
            double qn = X * dt * d.w[k] * d.queries[k];
            u->db_queries += qn;
            if (k == MDL_API_WRITE)
                u->db_write_queries += qn;
            if (!r->redis_down)
                u->cache_ops += X * dt * d.w[k] * d.lookups[k];
            if (s->db.engine == MDL_DB_AURORA)
                u->aurora_io += qn * s->db.io_per_query[k];
        }
        meter_db(r, &L, dt);
        meter_pods(r, &d, &L, X, dt, n);
        if (measured_arrivals)
            r->area_pods += (f->backlog + X * L.hold) * dt * 1e9;
    } else if (n > 0) {
        loop_at(r, &d, 0, n, &L);
        meter_pods(r, &d, &L, 0, dt, n);
    }
    f->acum += f->cur_per_pod;
    if (now < s->warmup) {
        /* everything queued so far arrived before the window */
        for (int j = 0; j < f->ncohorts; j++)
            f->cohorts[j].early = f->cohorts[j].b;
        f->backlog_early = f->backlog;
    }
    r->at_pods = (long)(f->backlog + 0.5);
}

static void on_step(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    struct eng__flow *f = r->flow;
    step(r);
    sim_time now = sim_now(r->k);
    if (now + f->dt >= r->end && r->draining && f->backlog < 0.5) {
        sim_stop(r->k);
        return;
    }
    sim_schedule(r->k, f->dt, on_step, r, NULL);
}

/* ---------------------------------------------------------------- life cycle */

int eng__flow_init(eng__run *r, base_err *err)
{
    struct eng__flow *f = calloc(1, sizeof *f);
    if (!f)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    f->dt = r->s->flow_step > 0 ? r->s->flow_step : SIM_SEC;
    double steps = (double)r->end / (double)f->dt + 1;
    double k = SAMPLES_PER_RUN / (3 * steps);
    f->k_samples = k > K_MAX ? K_MAX : k < K_MIN ? K_MIN : (int)k;
    uint32_t rep = r->out->replication;
    f->rng = sim_rng_new(r->s->seed, rep, "flow.samples");
    f->r_arrivals = sim_rng_new(r->s->seed, rep, "flow.arrivals");
    f->r_pods = sim_rng_new(r->s->seed, rep, "flow.pods");
    r->flow = f;
    if (!f->rng || !f->r_arrivals || !f->r_pods)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    f->work = calloc((size_t)r->s->api.workers, sizeof *f->work);
    if (!f->work)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    return BASE_OK;
}

void eng__flow_start(eng__run *r)
{
    sim_schedule_at(r->k, 0, on_step, r, NULL);
}

double eng__flow_backlog(const eng__run *r)
{
    return r->flow ? r->flow->backlog : 0;
}

void eng__flow_free(eng__run *r)
{
    if (!r->flow)
        return;
    sim_rng_free(r->flow->rng);
    sim_rng_free(r->flow->r_arrivals);
    sim_rng_free(r->flow->r_pods);
    free(r->flow->work);
    free(r->flow);
    r->flow = NULL;
}
