/*
 * cdn.c — CloudFront's hit ratios for a scenario, what the engines' CloudFront component
 * (engine/cloudfront.c) draws against. Static assets: the configured share served from the edge
 * cache (behaviour.md §8: hashed SPA assets 95–99%), or, when the scenario describes their
 * popularity (static_objects > 0), the ratio derived from it (cdn_popularity.c: Che's
 * approximation for an LRU cache, the TTL formula otherwise). /api/ paths use
 * Managed-CachingDisabled (TTL 0, behaviour.md §8) except the cacheable share the scenario names.
 */
#include "model/model.h"

double mdl_cdn_static_hit_ratio(const mdl_cdn_config *c, const mdl_traffic_config *t)
{
    if (!(c->static_objects > 0))
        return c->static_hit_ratio;
    size_t n = (size_t)c->static_objects;
    double hit;
    if (c->cache_objects > 0) {
        hit = mdl_cdn_zipf_lru_hit_ratio(c->zipf_alpha, n, c->cache_objects);
    } else {
        /* the TTL formula needs the request rate reaching the cache: the scenario's mean */
        double dur = sim_to_sec(mdl_traffic_duration(t));
        double rate = dur > 0 ? mdl_traffic_expected(t) / dur * t->mix[MDL_STATIC] : 0;
        hit = mdl_cdn_zipf_ttl_hit_ratio(c->zipf_alpha, n, rate, sim_to_sec(c->ttl));
    }
    return hit >= 0 ? hit : 0; /* NaN too */
}

double mdl_cdn_api_hit_ratio(const mdl_cdn_config *c)
{
    return c->enabled ? c->api_cacheable * c->api_hit_ratio : 0;
}
