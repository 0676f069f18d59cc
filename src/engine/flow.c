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
#include "engine/flow.h"

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
    if (!eng__flow_db_tx(r) || s->db.engine == MDL_DB_QUEUE || n <= 0)
        return;
    double p_tx = 0, tx = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
        p_tx += d->w[k] * d->p_tx[k];
    tx = L->hold - 0; /* upper bound of a transaction's span: within the worker's hold */
    (void)tx;
    double tx_mean = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
        tx_mean += d->w[k] * d->queries[k] *
                   (k == MDL_API_WRITE && eng__geo_write_route(r) == ENG__GEO_REMOTE
                        ? d->qtime[k] * eng__geo_primary_slowdown(r) +
                              eng__geo_rtt_s(r) /* across the Atlantic (geo.c) */
                        : d->qtime[k] * (isfinite(L->f[0]) ? L->f[0] : 1));
    /* EMEA's writes from eu-west-1 hold some of us-east-1's max_connections (geo.c) */
    double remote = eng__geo_remote_conns(r);
    double max_conns = r->data->max_conns - remote > 0 ? r->data->max_conns - remote : 0;
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
        double granted = f->open_central < max_conns ? f->open_central : max_conns;
        r->pgb->conns = (int)(granted + remote);
        if (f->open_central > max_conns)
            *conn_loss = mdl_erlang_b(max_conns, a_all);
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
    r->pgb->conns = (int)((want < max_conns ? want : max_conns) + remote);
    if (want > max_conns)
        *conn_loss = mdl_erlang_b((double)max_conns / n, a_pod);
    if (b->mode == MDL_PGB_PER_POD && b->max_client_conn < c)
        *client_loss = mdl_erlang_b(b->max_client_conn, a_pod);
}

/* ---------------------------------------------------------------- metering */

static void meter_db(eng__run *r, const loop *L, double dt_s)
{
    if (!eng__flow_db_tx(r) || r->data->down)
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
    for (int i = 0; i < r->data->ndbis; i++) {
        eng__dbi *d = &r->data->dbis[i];
        double b = eng__db_serving(r, i) ? L->db_busy[i == 0 ? 0 : 1] : 0; /* replicas.c */
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
    eng__flow_fail_n(r, MDL_ERR_POD_TERMINATED, f->busy, sim_now(r->k) >= r->s->warmup);
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
        eng__flow_fail_n(r, MDL_ERR_POD_TERMINATED, lost * d->w[k], measured);
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

/* One step's state as it passes from part to part (step) */
struct step {
    eng__run *r;
    struct eng__flow *f;
    sim_time now;
    double dt;       /* the step, s */
    bool measured;   /* outcomes count (the warm-up is over) */
    demand d;        /* the offered mix's demands (the queues' state follows these) */
    int n, c;        /* serving pods, workers per pod */
    double A, Ae;    /* API requests reaching the pods: drawn, expected */
    double lambda;   /* the offered rate, /s */
    double xmax, mu; /* the sustainable throughput, and one pod's share of it, /s */
    double per_pod;  /* arrivals per pod this step (round robin) */
    bool open_ok;    /* the pods keep up at the offered rate with no backlog */
    loop F;          /* the loop at full load */
    losses x;        /* connections' and clients' losses */
    double calm, calm_pods, done_all;
};

/* 1. arrivals: E the expected counts, N the drawn ones. Only counting follows the draw
 * (requests, bytes, errors, metering); the state of the queues follows the rate E/Δ, so that a
 * step's luck does not flip a pod between its stationary and its overloaded regimes, nor the
 * answer depend on the step */
static void arrive(eng__run *r, sim_time now, double N[MDL_NCLASS], double E[MDL_NCLASS])
{
    const mdl_scenario *s = r->s;
    struct eng__flow *f = r->flow;
    double total = 0;
    if (now < r->end) {
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
    /* arrivals count in the window [warm-up, end) */
    for (int c = 0; c < MDL_NCLASS && now >= s->warmup && now < r->end; c++)
        r->out->arrivals[c] += N[c];
}

/* 3. the ALB's targets: those that serve (n) and those down that the health checks have not
 * found yet (route_losses: with none, the API requests fail (503), else the down ones' share
 * (502)). */
static void route(struct step *st, int *down)
{
    eng__run *r = st->r;
    st->n = *down = 0;
    for (size_t i = 0; i < r->nroutes; i++) {
        const eng__pod *p = r->pods[r->routes[i].id];
        if (p->state == P_CRASHED || p->state == P_STARTING)
            (*down)++;
        else
            st->n++;
    }
}

static void route_losses(struct step *st, double *api, double *ea, int down)
{
    eng__run *r = st->r;
    if (r->nroutes == 0) {
        for (int c = MDL_API_READ; c < MDL_NCLASS; c++)
            eng__flow_fail_n(r, MDL_ERR_NO_TARGET, api[c], st->measured);
        st->A = 0;
        ea[MDL_API_READ] = ea[MDL_API_WRITE] = 0;
    } else if (down > 0) {
        double lost = (double)down / (double)r->nroutes;
        for (int c = MDL_API_READ; c < MDL_NCLASS; c++) {
            eng__flow_fail_n(r, MDL_ERR_TARGET_DOWN, api[c] * lost, st->measured);
            api[c] *= 1 - lost;
            ea[c] *= 1 - lost;
        }
        st->A *= 1 - lost;
    }
    st->Ae = ea[MDL_API_READ] + ea[MDL_API_WRITE];
}

/* The sustainable throughput for the scenario's mix (not this step's draw: it only changes
 * when the pods, the database's capacity or a failover do) */
static double sustainable(eng__run *r, int n)
{
    const mdl_scenario *s = r->s;
    struct eng__flow *f = r->flow;
    const double c0 = eng__flow_cores(r, 0), c1 = eng__flow_cores(r, 1);
    if (f->xmax_cache.valid && f->xmax_cache.n == n && f->xmax_cache.cores0 == c0 &&
        f->xmax_cache.cores1 == c1 && f->xmax_cache.redis_down == r->cache->down &&
        f->xmax_cache.db_down == r->data->down && f->xmax_cache.readers == eng__db_readers(r) &&
        f->xmax_cache.remote == eng__geo_remote_cpu(r))
        return f->xmax_cache.x;
    double mixed[MDL_NCLASS] = {
        0, s->traffic.mix[MDL_API_READ] * (1 - eng__cloudfront_api_hit(r->cdn)),
        s->traffic.mix[MDL_API_WRITE]};
    demand de;
    eng__flow_demands(r, mixed, &de);
    double xmax = eng__flow_sustainable(r, &de, n);
    f->xmax_cache.n = n;
    f->xmax_cache.cores0 = c0;
    f->xmax_cache.cores1 = c1;
    f->xmax_cache.redis_down = r->cache->down;
    f->xmax_cache.db_down = r->data->down;
    f->xmax_cache.readers = eng__db_readers(r);
    f->xmax_cache.remote = eng__geo_remote_cpu(r);
    f->xmax_cache.x = xmax;
    f->xmax_cache.valid = true;
    return xmax;
}

/* The loop at full load: what a request holds its worker when all are busy (Little:
 * n·c / X_max), the primary's share stretched to fit the closed model's */
static void full_load(struct step *st)
{
    eng__run *r = st->r;
    const mdl_scenario *s = r->s;
    loop *F = &st->F;
    const demand *d = &st->d;
    eng__flow_loop_at(r, d, st->xmax, st->n, F);
    if (!(st->xmax > 0 && (F->prim_cpu > 0 || r->throttled)))
        return;
    double target = (double)st->n * st->c / st->xmax;
    double app = 0;
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
        app += d->w[k] * d->app[k];
    double lim = (double)s->api.cpu_limit / 1000.0;
    if (r->throttled && st->xmax >= 0.999 * st->n * lim / app) {
        /* the pods' CPU is the bottleneck: the stretch is the app phase's */
        double off = F->hold - app * F->throttle;
        double t = app > 0 ? (target - off) / app : 1;
        F->throttle = t > 1 ? t : 1;
        F->hold = off + app * F->throttle;
    } else if (F->prim_cpu > 0) {
        double f0 = (target - F->others) / F->prim_cpu;
        F->f[0] = f0 > 1 ? f0 : 1;
        F->hold = F->others + F->prim_cpu * F->f[0];
        F->pool.p_wait = 0; /* waiting for a connection is part of that stretch */
    }
    F->ok = true;
}

/* A backlogged cohort, or one with more arrivals than its pods can serve: the fluid backlog
 * (Newell 1982) — Q ← max(0, Q + (a − μ)·Δ), served first in, first out */
static void backlogged(struct step *st, struct cohort *h)
{
    eng__run *r = st->r;
    struct eng__flow *f = st->f;
    const demand *d = &st->d;
    double kpod = r->s->api.backlog; /* one pod's listen backlog */
    double before = h->b, avail = before + st->per_pod, cap = st->mu * st->dt;
    double done = avail < cap ? avail : cap;
    double after = avail - done;
    if (before <= 0)
        h->head = f->acum; /* the queue starts with this step's first arrival */
    bool was_full = h->full;
    if (after > kpod) {
        double over = (after - kpod) * h->pods;
        for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
            eng__flow_fail_n(r, MDL_ERR_BACKLOG_FULL, over * d->w[k], st->measured);
        after = kpod;
        h->full = true;
    }
    connections(r, d, &st->F, st->xmax, st->n, &st->x.conn, &st->x.client);
    if (!was_full && !h->full) {
        /* the arrival count places every waiting request: exact FIFO waits */
        eng__flow_outcomes_fifo(r, h->pods, d, &st->F, &st->x, h->head, done, sim_to_sec(st->now),
                                st->dt, st->mu);
        h->head += done;
        h->early = h->early > done ? h->early - done : 0; /* FIFO: they went first */
    } else {
        /* a full listen backlog drops the newest arrivals, so places are no longer
         * contiguous: each request waits for the Q ahead of it, Q/μ on average and, as a sum of
         * Q holds, with standard deviation √Q·sd(hold)/c */
        double wait = st->mu > 0 ? 0.5 * (before + after) / st->mu : 0;
        double sd = sqrt(0.5 * (before + after) * st->F.hold * st->F.hold * st->F.hold_scv) / st->c;
        double early = done < h->early ? done : h->early;
        h->early -= early;
        double count[MDL_NCLASS] = {0, early * h->pods * d->w[MDL_API_READ],
                                    early * h->pods * d->w[MDL_API_WRITE]};
        eng__flow_outcomes_fluid(r, count, d, &st->F, &st->x, wait, sd, false);
        for (int k = MDL_API_READ; k < MDL_NCLASS; k++)
            count[k] = (done - early) * h->pods * d->w[k];
        eng__flow_outcomes_fluid(r, count, d, &st->F, &st->x, wait, sd, st->measured);
        /* once below the cap again, count places afresh from the newest */
        h->head = f->acum + st->per_pod - after;
        if (after < kpod)
            h->full = false;
    }
    h->b = after;
    st->done_all += done * h->pods;
}

/* The cohorts: the backlogged ones step by step (backlogged), the others' requests summed in
 * st->calm. The backlogged cohorts share the step's samples, so that their number does not
 * multiply the cost. */
static void cohorts_step(struct step *st)
{
    struct eng__flow *f = st->f;
    int nfluid = 0;
    for (int j = 0; j < f->ncohorts; j++)
        nfluid += f->cohorts[j].b > 0 || !st->open_ok;
    f->k_fluid = nfluid > 1 ? f->k_samples / nfluid : f->k_samples;
    if (f->k_fluid < 2)
        f->k_fluid = 2;
    for (int j = 0; j < f->ncohorts; j++) {
        struct cohort *h = &f->cohorts[j];
        if (h->b <= 0 && st->open_ok) {
            st->calm += st->per_pod * h->pods;
            st->calm_pods += h->pods;
            continue;
        }
        backlogged(st, h);
    }
}

/* The pods that keep up with no backlog: their requests' outcomes at the state of the offered
 * rate (calm_pods at λ/n each, and what the backlogged ones finish) into L; X, what they
 * finished by the draw, meters. Returns X. */
static double calm_step(struct step *st, loop *L)
{
    eng__run *r = st->r;
    const mdl_scenario *s = r->s;
    const demand *d = &st->d;
    int n = st->n, c = st->c;
    double lambda = st->lambda, dt = st->dt, calm = st->calm;
    double xc = lambda / n * st->calm_pods, Xe = xc + st->done_all / dt;
    double X = calm / dt + st->done_all / dt;
    eng__flow_loop_at(r, d, Xe, n, L);
    if (!(L->ok && isfinite(L->hold)))
        eng__flow_loop_at(r, d, xc, n, L);
    /* Poisson arrivals reach the queue when it is one pooled queue (least outstanding) or the
     * only pod; round robin over n > 1 pods sends each every n-th (Ca² = 1/n) */
    bool pooled = s->alb.algorithm == MDL_ALB_LEAST_OUTSTANDING;
    bool poisson_in = pooled || n == 1;
    mdl_mgc q = pooled ? mdl_mgc_wait((double)n * c, lambda, L->hold, 1, L->hold_scv)
                       : mdl_mgc_wait(c, lambda / n, L->hold, 1.0 / n, L->hold_scv);
    /* the listen backlog overflows: M/M/c/(c+K), Erlang B at K = 0 (pooled: n·c workers and
     * n·K places). It is below ρ^K: skip the recursion (n·c long, pooled) where that is already
     * below what a count can show */
    double reject = 0;
    if (pow(lambda / n * L->hold / c, s->api.backlog) >= 1e-12)
        reject = pooled
                     ? mdl_mmck_refused((double)n * c, lambda * L->hold, (double)n * s->api.backlog)
                     : mdl_mmck_refused(c, lambda / n * L->hold, s->api.backlog);
    if (reject < 1e-12)
        reject = 0; /* below what a count can show */
    connections(r, d, L, X, n, &st->x.conn, &st->x.client);
    double count[MDL_NCLASS] = {0, 0, 0};
    for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
        eng__flow_fail_n(r, MDL_ERR_BACKLOG_FULL, calm * d->w[k] * reject, st->measured);
        count[k] = calm * d->w[k] * (1 - reject);
    }
    if (poisson_in && L->timed && L->tmo.p_abandon > 0) {
        /* the share that gives up waiting for a pool connection, counted as its expectation,
         * and the samples drawn from those who stay (as P(wait > 0) in outcomes_pooled): the
         * loss is then exact at any rate, not a rare draw */
        loop Ls = *L;
        double stay = 1 - L->tmo.p_abandon;
        Ls.tmo.p_abandon = 0;
        Ls.tmo.p_wait = stay > 0 ? L->tmo.p_wait / stay : 0;
        for (int k = MDL_API_READ; k < MDL_NCLASS; k++) {
            double out =
                count[k] * d->p_tx[k] * (1 - st->x.conn) * (1 - st->x.client) * L->tmo.p_abandon;
            eng__flow_fail_n(r, MDL_ERR_POOL_TIMEOUT, out, st->measured);
            count[k] -= out;
        }
        eng__flow_outcomes_pooled(r, count, d, &Ls, &st->x, &q, st->measured);
    } else if (poisson_in)
        eng__flow_outcomes_pooled(r, count, d, L, &st->x, &q, st->measured);
    else
        eng__flow_outcomes_rr(r, count, d, L, &st->x, lambda / n, n, st->measured);
    return X;
}

/* The metering counts what was drawn and served (X): its mix, its database CPU; queries, I/O,
 * busy CPU */
static void meter_step(struct step *st, const demand *drawn, loop *L, double X)
{
    eng__run *r = st->r;
    const mdl_scenario *s = r->s;
    cost_usage *u = &r->out->usage;
    double dt = st->dt;
    loop M;
    eng__flow_loop_at(r, drawn, st->calm > 0 ? X : st->xmax, st->n, &M);
    L->db_busy[0] = M.db_busy[0];
    L->db_busy[1] = M.db_busy[1];
    for (int k = MDL_API_READ; k < MDL_NCLASS && eng__flow_db_tx(r) && !r->data->down; k++) {
        double qn = X * dt * drawn->w[k] * drawn->queries[k];
        u->db_queries += qn;
        if (k == MDL_API_WRITE)
            u->db_write_queries += qn;
        if (!r->cache->down)
            u->cache_ops += X * dt * drawn->w[k] * drawn->lookups[k];
        if (s->db.engine == MDL_DB_AURORA)
            u->aurora_io += qn * s->db.io_per_query[k];
    }
    meter_db(r, L, dt);
    meter_pods(r, drawn, L, X, dt, st->n);
}

/* 4. pods and the data tier, when there are pods and requests for them */
static void serve(struct step *st, const demand *drawn, bool measured_arrivals)
{
    eng__run *r = st->r;
    struct eng__flow *f = st->f;
    int n = st->n;
    st->c = r->s->api.workers;
    st->lambda = st->Ae / st->dt; /* the offered rate, not this step's draw */
    st->xmax = sustainable(r, n);
    st->mu = st->xmax / n;   /* one pod's capacity, all workers busy, /s */
    st->per_pod = st->A / n; /* arrivals per pod this step (round robin) */
    /* the pods without a backlog, if they keep up at the offered rate: below saturation */
    loop L;
    st->open_ok = false;
    if (st->lambda / n < st->mu) {
        eng__flow_loop_at(r, &st->d, st->lambda, n, &L);
        st->open_ok = L.ok && isfinite(L.hold) && st->lambda * L.hold < (double)n * st->c;
    }
    full_load(st);
    st->calm = st->calm_pods = st->done_all = 0;
    cohorts_step(st);
    double X;
    if (st->calm > 0) {
        X = calm_step(st, &L);
    } else {
        X = st->done_all / st->dt;
        L = st->F;
        /* the representative pod's queue restarts empty once the backlogs are gone */
        for (int w = 0; w < st->c; w++)
            f->work[w] = 0;
    }
    f->backlog = 0;
    f->backlog_early = 0;
    for (int j = 0; j < f->ncohorts; j++) {
        f->backlog += f->cohorts[j].b * f->cohorts[j].pods;
        f->backlog_early += f->cohorts[j].early * f->cohorts[j].pods;
    }
    meter_step(st, drawn, &L, X);
    if (measured_arrivals)
        r->area_pods += (f->backlog + X * L.hold) * st->dt * 1e9;
}

/* The arrival count: this step begins at (now, acum) */
static void count_arrivals(struct eng__flow *f, sim_time now, double per_pod)
{
    f->cur_per_pod = per_pod;
    f->ring_head = (f->ring_head + 1) % RING;
    f->ring_t[f->ring_head] = sim_to_sec(now);
    f->ring_a[f->ring_head] = f->acum;
    if (f->ring_len < RING)
        f->ring_len++;
}

static void step(eng__run *r)
{
    const mdl_scenario *s = r->s;
    struct eng__flow *f = r->flow;
    struct step st = {.r = r, .f = f, .now = sim_now(r->k), .dt = sim_to_sec(f->dt)};
    sim_time now = st.now;
    /* outcomes count from the warm-up on, the drain after the end included — those requests
     * arrived in the window, as the request engine follows its measured requests to the end */
    bool measured_arrivals = now >= s->warmup && now < r->end;
    st.measured = now >= s->warmup;
    double N[MDL_NCLASS] = {0, 0, 0}, E[MDL_NCLASS] = {0, 0, 0};
    arrive(r, now, N, E);

    /* 2. CloudFront, stale DNS answers, the ALB (chain.c): what reaches the pods' side, drawn
     * (api) and expected (ea) */
    eng__flow_hop hop = {.now = now,
                         .dt = f->dt,
                         .measured = st.measured,
                         .g = f->rng,
                         .k_samples = f->k_samples,
                         .eng = r,
                         .served = eng__flow_hop_served,
                         .failed = eng__flow_hop_failed};
    memcpy(hop.n, N, sizeof hop.n);
    memcpy(hop.e, E, sizeof hop.e);
    eng__chain_flow(r, &hop);
    double *api = hop.n, *ea = hop.e;
    /* statics no CloudFront answered (it is off): not served, and not counted (cloudfront.c) */
    api[MDL_STATIC] = ea[MDL_STATIC] = 0;
    st.A = api[MDL_API_READ] + api[MDL_API_WRITE];
    int down;
    route(&st, &down);
    demand drawn; /* the state's (st.d, the offered mix), and the metering's (the draw's) */
    eng__flow_demands(r, ea[MDL_API_READ] + ea[MDL_API_WRITE] > 0 ? ea : api, &st.d);
    eng__flow_demands(r, api, &drawn);
    route_losses(&st, api, ea, down);
    int n = st.n;
    cohorts_sync(r, n, s->alb.algorithm == MDL_ALB_LEAST_OUTSTANDING, &st.d, st.measured);
    f->backlog = 0;
    for (int j = 0; j < f->ncohorts; j++)
        f->backlog += f->cohorts[j].b * f->cohorts[j].pods;
    count_arrivals(f, now, n > 0 ? st.A / n : 0);
    if (n > 0 && (st.A > 0 || f->backlog > 0)) {
        serve(&st, &drawn, measured_arrivals);
    } else if (n > 0) {
        loop L;
        eng__flow_loop_at(r, &st.d, 0, n, &L);
        meter_pods(r, &st.d, &L, 0, st.dt, n);
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
    struct eng__flow *f = base_calloc(1, sizeof *f);
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
    f->work = base_calloc((size_t)r->s->api.workers, sizeof *f->work);
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
