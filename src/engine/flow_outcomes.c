/*
 * flow_outcomes.c — a flow step's requests into outcomes (flow.h): answered with a latency, or
 * failed with a cause; latency samples weighted by the requests they stand for, drawn from the
 * same distributions as the request engine's, for the pods' backlog as FIFO, pooled (least
 * outstanding requests) or round-robin cohorts.
 */
#include "engine/flow.h"

/* ---------------------------------------------------------------- outcomes */

void eng__flow_fail_n(eng__run *r, mdl_cause cause, double n, bool measured)
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
void eng__flow_hop_served(void *eng, int cls, int64_t lat, double w, bool measured)
{
    served_n(eng, cls, lat, w, measured);
}

void eng__flow_hop_failed(void *eng, mdl_cause cause, double n, bool measured)
{
    eng__flow_fail_n(eng, cause, n, measured);
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
    if (r->cache->st && !r->cache->down && d->lookups[k] > 0)
        hold += draw_count(d->lookups[k], g) * (sim_to_sec(r->cache->op) + L->redis_wait);
    int nq = eng__flow_db_tx(r) ? draw_count(d->queries[k], g) : 0;
    if (nq > 0) {
        if (r->data->down || (k == MDL_API_WRITE && eng__geo_write_route(r) == ENG__GEO_DOWN)) {
            *cause = MDL_ERR_DB_FAILOVER; /* (or the other region's primary lost: geo.c) */
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
                s->db.engine != MDL_DB_QUEUE && eng__db_readers(r) > 0 ? eng__db_read_share(r) : 0;
            double f = L->f[0];
            if (k == MDL_API_READ && share > 0 && sim_rng_uniform(g) < share)
                f = L->f[1];
            const sim_dist *qt = k == MDL_API_WRITE ? &s->db.write_time : &s->db.read_time;
            if (k == MDL_API_WRITE && eng__geo_write_route(r) == ENG__GEO_REMOTE)
                for (int q = 0; q < nq; q++) /* at the us-east-1 primary's speed (geo.c) */
                    hold += sample_s(qt, g) * eng__geo_primary_slowdown(r) +
                            sim_to_sec(eng__geo_crossings(r, g));
            else
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
        eng__flow_fail_n(r, cause, w, measured);
        return;
    }
    double lat = front_s(r, r->flow->rng) + wait + hold;
    served_n(r, k, (int64_t)(lat * 1e9 + 0.5), w, measured);
}

/* Requests behind a fluid backlog: each waits for the B requests ahead of it at its pod to be
 * served by c workers, B·E[hold]/c on average (`wait`) and, as a sum of B holds, with standard
 * deviation √B·sd(hold)/c (central limit theorem; `sd`). K per class. */
void eng__flow_outcomes_fluid(eng__run *r, const double *count, const demand *d, const loop *L,
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
void eng__flow_outcomes_fifo(eng__run *r, int pods, const demand *d, const loop *L, const losses *x,
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
void eng__flow_outcomes_pooled(eng__run *r, const double *count, const demand *d, const loop *L,
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
void eng__flow_outcomes_rr(eng__run *r, const double *count, const demand *d, const loop *L,
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
