/*
 * cdn.c — CloudFront in front of the S3 SPA bucket and the ALB. In this slice a configured share
 * of static requests is served from the edge cache (behaviour.md §8: hashed SPA assets 95–99%);
 * the rest are fetched from S3. /api/ paths uses Managed-CachingDisabled (TTL 0, behaviour.md §8),
 * so every API request passes through the edge to the ALB. Popularity-derived hit ratios (Zipf +
 * Che's approximation) arrive with issue 3.
 */
#include "model/model.h"

bool mdl_cdn_hit(const mdl_cdn_config *c, sim_rng *r)
{
    if (c->static_hit_ratio >= 1)
        return true;
    if (c->static_hit_ratio <= 0)
        return false;
    return sim_rng_uniform(r) < c->static_hit_ratio;
}
