/*
 * alb.c — the Application Load Balancer in front of the API pods, as a component of the chain
 * (component.h): its latency (alb.latency), its routing state (model/alb.c picks the target; the
 * request engine routes in request.c's on_pod_arrival, the flow engine spreads a step over the
 * serving pods in flow.c), and its metering: requests and bytes, and the load balancer capacity
 * units (LCUs) of each clock hour (model/lcu.c), fed one series interval at a time.
 */
#include "engine/component.h"

#include <string.h>

/* Listener rules an API request is evaluated against: the one /api/ path rule (seed §3.3's
 * ingress), within the 10 free, so the rule dimension is 0 unless a scenario grows this. */
#define ALB_RULES 1

struct eng__alb {
    sim_rng *rng; /* first (eng__state_new): the "alb" stream: latency; the request engine's
                   * stale-DNS draw */
    const mdl_scenario *s;
    mdl_alb pick; /* routing: algorithm and round-robin cursor */
    /* metered since the start (cost_usage's alb_*) */
    double requests, bytes; /* requests and responses */
    double lcu_hours;
    double peak_rps;     /* the busiest series interval's mean, requests/s */
    double iv;           /* requests in the current series interval */
    double hr_requests;  /* in the current clock hour */
    double hr_bytes;     /* likewise */
    mdl_alb_meter meter; /* the hour's LCU dimensions, one series interval at a time */
    sim_time hr_start;   /* the current hour's start */
    /* request engine: requests of each class not yet counted, folded in before any sum above
     * is read (`settle`); whole numbers, so the sums are the same as counted one by one */
    double unsettled[MDL_NCLASS];
    bool fixed; /* its latency is deterministic: `fixed_ns`, no draw */
    sim_time fixed_ns;
};

static int alb_init(eng__run *r, void **state, base_err *err)
{
    int st = eng__state_new(r, sizeof(struct eng__alb), "alb", "the ALB", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__alb *a = r->alb = *state;
    a->s = r->s;
    a->pick.algorithm = r->s->alb.algorithm;
    a->fixed = r->s->alb.latency.kind == SIM_DIST_DETERMINISTIC;
    if (a->fixed)
        a->fixed_ns = sim_dist_sample(&r->s->alb.latency, a->rng); /* draws nothing */
    return BASE_OK;
}

/* n[c] API requests of each class through the ALB: both engines meter here (the request engine
 * an interval at a time, `settle`). Statics never reach it (CloudFront answers them). */
static void count(struct eng__alb *a, const double n[MDL_NCLASS])
{
    const mdl_traffic_config *t = &a->s->traffic;
    double k = n[MDL_API_READ] + n[MDL_API_WRITE];
    double bytes = 0;
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++)
        bytes += n[c] * (double)(t->request_bytes + t->response_bytes[c]);
    a->requests += k;
    a->bytes += bytes;
    a->iv += k;
    a->hr_requests += k;
    a->hr_bytes += bytes;
}

/* The request engine's requests counted so far into the sums. Every count and byte size is a
 * whole number far below 2^53, so the doubles add exactly, in any grouping. */
static void settle(struct eng__alb *a)
{
    double n = 0;
    for (int c = 0; c < MDL_NCLASS; c++)
        n += a->unsettled[c];
    if (n > 0)
        count(a, a->unsettled);
    memset(a->unsettled, 0, sizeof a->unsettled);
}

enum eng__outcome eng__alb_request(void *state, eng__hop *h)
{
    struct eng__alb *a = state;
    a->unsettled[h->cls] += 1;
    h->delay += a->fixed ? a->fixed_ns : sim_dist_sample(&a->s->alb.latency, a->rng);
    return ENG__PASS;
}

static void alb_flow(void *state, eng__flow_hop *h)
{
    if (h->n[MDL_API_READ] + h->n[MDL_API_WRITE] > 0)
        count(state, h->n);
}

/* LCUs for the hour [hr_start, now) (model/lcu.c: the four dimensions averaged over the hour,
 * the largest billed). The hour's requests and bytes are the engines' sums; its connections come
 * from the intervals metered. The LCU-hours of a partial hour are its share of the hour. */
static void close_hour(struct eng__alb *a, sim_time now)
{
    double secs = sim_to_sec(now - a->hr_start);
    if (secs <= 0)
        return;
    mdl_alb_meter *m = &a->meter;
    m->seconds = secs;
    m->requests = a->hr_requests;
    m->bytes = a->hr_bytes;
    a->lcu_hours += mdl_alb_lcus(m, ALB_RULES) * secs / 3600.0;
    memset(m, 0, sizeof *m);
    a->hr_requests = a->hr_bytes = 0;
    a->hr_start = now;
}

/* One series interval of the ALB's traffic into the hour's LCU meter, with the connections'
 * clients: CloudFront's servers (cloudfront.origin_sources, keep-alive
 * cloudfront.origin_keepalive), or without CloudFront each concurrent user
 * (alb.client_keepalive). */
static void alb_tick(void *state, sim_time now, double dt)
{
    struct eng__alb *a = state;
    const mdl_scenario *s = a->s;
    settle(a);
    double rps = a->iv / dt; /* the interval's mean: a peak shorter than it is smoothed */
    double sources, keepalive;
    if (s->cdn.enabled) {
        sources = s->cdn.origin_sources;
        keepalive = sim_to_sec(s->cdn.origin_keepalive);
    } else {
        sim_time mid = now - s->series_resolution / 2;
        double per_user = s->traffic.requests_per_user_min / 60.0;
        sources = !s->traffic.by_rate ? mdl_traffic_users(&s->traffic, mid)
                  : per_user > 0      ? mdl_traffic_rate(&s->traffic, mid) / per_user
                                      : 1;
        keepalive = sim_to_sec(s->alb.client_keepalive);
    }
    mdl_alb_meter_add(&a->meter, a->iv, a->hr_bytes - a->meter.bytes, dt, sources, keepalive);
    if (now - a->hr_start >= SIM_HOUR)
        close_hour(a, now);
    if (rps > a->peak_rps)
        a->peak_rps = rps;
    a->iv = 0;
}

static void alb_meter(void *state, sim_time end, cost_usage *u)
{
    struct eng__alb *a = state;
    settle(a);
    close_hour(a, end);
    u->alb_requests += a->requests;
    u->alb_bytes += a->bytes;
    u->lcu_hours += a->lcu_hours;
    if (a->peak_rps > u->alb_peak_rps)
        u->alb_peak_rps = a->peak_rps;
}

sim_rng *eng__alb_rng(struct eng__alb *a)
{
    return a->rng;
}

int eng__alb_pick(struct eng__alb *a, const mdl_target *targets, size_t n)
{
    if (n == 1 && targets[0].ready) { /* mdl_alb_pick's answer for one target, cursor and all */
        a->pick.next = 1;
        return 0;
    }
    return mdl_alb_pick(&a->pick, targets, n);
}

const eng__component eng__alb_component = {
    .name = "alb",
    .init = alb_init,
    .free = eng__state_free,
    .request = eng__alb_request,
    .flow = alb_flow,
    .tick = alb_tick,
    .meter = alb_meter,
};
