/*
 * cloudfront.c — CloudFront in front of the S3 SPA bucket and the ALB, as a component of the
 * chain (component.h). Every request passes its edge (edge_latency) and is metered there
 * (requests, bytes to viewers); static assets are answered at the edge, from the cache or after
 * an S3 fetch on a miss (origin_latency; S3 GETs metered), and so is the cacheable share of API
 * reads that hits; the rest go on to the ALB. The hit ratios are model/cdn.c's.
 *
 * With `cloudfront.enabled: false` nothing is metered here and the edge adds no time; the two
 * engines then differ on static requests, as they did before this file: the request engine still
 * answers them (S3 directly, origin_latency on a "miss"), the flow engine passes them on and
 * drops them uncounted after the chain (flow.c; model.h's "statics are not served"). Scenarios
 * with CloudFront off are API-only today.
 */
#include "engine/component.h"

struct eng__cloudfront {
    sim_rng *rng; /* first (eng__state_new): the "cloudfront" stream: edge and origin latency,
                   * hits (request engine) */
    const mdl_scenario *s;
    double static_hit; /* share of static requests served from the edge cache */
    double api_hit;    /* share of API reads served at the edge */
    /* metered since the start (cost_usage's cdn_* and origin_*) */
    double requests, bytes;               /* to viewers */
    double origin_requests, origin_bytes; /* S3 GETs on static misses */
};

static int cf_init(eng__run *r, void **state, base_err *err)
{
    int st =
        eng__state_new(r, sizeof(struct eng__cloudfront), "cloudfront", "CloudFront", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__cloudfront *c = r->cdn = *state;
    c->s = r->s;
    c->static_hit = mdl_cdn_static_hit_ratio(&r->s->cdn, &r->s->traffic);
    c->api_hit = mdl_cdn_api_hit_ratio(&r->s->cdn);
    return BASE_OK;
}

/* n[c] requests of each class through the edge, `misses` of them fetched from S3. Both engines
 * meter here: the request engine one request at a time (n is 1 for its class, 0 elsewhere). */
static void count(struct eng__cloudfront *c, const double n[MDL_NCLASS])
{
    const mdl_traffic_config *t = &c->s->traffic;
    double total = 0;
    for (int k = 0; k < MDL_NCLASS; k++)
        total += n[k];
    c->requests += total;
    for (int k = 0; k < MDL_NCLASS; k++)
        c->bytes += n[k] * (double)t->response_bytes[k];
}

static void count_origin(struct eng__cloudfront *c, double misses)
{
    c->origin_requests += misses;
    c->origin_bytes += misses * (double)c->s->traffic.response_bytes[MDL_STATIC];
}

static enum eng__outcome cf_request(void *state, eng__hop *h)
{
    struct eng__cloudfront *c = state;
    const mdl_cdn_config *cdn = &c->s->cdn;
    mdl_class cls = h->cls;
    sim_time edge = 0;
    if (cdn->enabled) {
        edge = sim_dist_sample(&cdn->edge_latency, c->rng);
        double n[MDL_NCLASS] = {0};
        n[cls] = 1;
        count(c, n);
    }
    if (cls == MDL_STATIC || (cls == MDL_API_READ && c->api_hit > 0)) {
        /* answered at the edge: a static asset (hit, or fetched from S3), or an API read on a
         * cacheable path that hits */
        int hit = sim_rng_uniform(c->rng) < (cls == MDL_STATIC ? c->static_hit : c->api_hit);
        if (cls == MDL_STATIC || hit) {
            sim_time lat = edge;
            if (cls == MDL_STATIC && !hit) {
                lat += sim_dist_sample(&cdn->origin_latency, c->rng);
                count_origin(c, 1);
            }
            h->delay += lat;
            return ENG__SERVED;
        }
    }
    h->delay += edge;
    return ENG__PASS;
}

/* Switched off, CloudFront still answers static requests (at once, from S3) but passes API
 * requests on untouched: without static requests it has nothing to do. */
static bool cf_on_path(const void *state)
{
    const struct eng__cloudfront *c = state;
    const mdl_traffic_config *t = &c->s->traffic;
    return c->s->cdn.enabled ||
           !(t->mix[MDL_STATIC] == 0 && t->mix[MDL_API_READ] + t->mix[MDL_API_WRITE] > 0);
}

/* A latency sample in seconds, as the flow engine's other samples go (flow.c) */
static double sample_s(const sim_dist *d, sim_rng *g)
{
    return sim_to_sec(sim_dist_sample(d, g));
}

static void cf_flow(void *state, eng__flow_hop *h)
{
    struct eng__cloudfront *c = state;
    const mdl_cdn_config *cdn = &c->s->cdn;
    double total = 0;
    for (int k = 0; k < MDL_NCLASS; k++)
        total += h->n[k];
    if (cdn->enabled && total > 0) {
        count(c, h->n);
        double statics = h->n[MDL_STATIC];
        count_origin(c, statics * (1 - c->static_hit));
        if (statics > 0) {
            /* the step's static requests as k weighted samples of their latency */
            double w = statics / h->k_samples;
            for (int i = 0; i < h->k_samples; i++) {
                double t = sample_s(&cdn->edge_latency, h->g);
                if (sim_rng_uniform(h->g) >= c->static_hit)
                    t += sample_s(&cdn->origin_latency, h->g);
                h->served(h->eng, MDL_STATIC, (int64_t)(t * 1e9 + 0.5), w, h->measured);
            }
        }
        double edge_reads = h->n[MDL_API_READ] * c->api_hit;
        if (edge_reads > 0) {
            double w = edge_reads / h->k_samples;
            for (int i = 0; i < h->k_samples; i++)
                h->served(h->eng, MDL_API_READ,
                          (int64_t)(sample_s(&cdn->edge_latency, h->g) * 1e9 + 0.5), w,
                          h->measured);
            h->n[MDL_API_READ] -= edge_reads;
        }
    }
    if (cdn->enabled) {
        h->e[MDL_API_READ] *= 1 - c->api_hit;
        h->n[MDL_STATIC] = h->e[MDL_STATIC] = 0; /* all answered above */
    }
}

static void cf_meter(void *state, sim_time end, cost_usage *u)
{
    (void)end;
    const struct eng__cloudfront *c = state;
    u->cdn_requests += c->requests;
    u->cdn_bytes += c->bytes;
    u->origin_requests += c->origin_requests;
    u->origin_bytes += c->origin_bytes;
}

double eng__cloudfront_api_hit(const struct eng__cloudfront *c)
{
    return c->api_hit;
}

const eng__component eng__cloudfront_component = {
    .name = "cloudfront",
    .init = cf_init,
    .free = eng__state_free,
    .request = cf_request,
    .on_path = cf_on_path,
    .flow = cf_flow,
    .meter = cf_meter,
};
