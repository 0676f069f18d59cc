/*
 * keys/edge.c — the scenario keys of the edge: CloudFront, the ALB, and Route 53 (hosted zones, the
 * primary region's health check). Tables only, one section per component.
 */
#include "io/keys/keys.h"

/* ---------------------------------------------------------------- cloudfront
 * CloudFront in front of S3 and the ALB.
 */

static const key cdn_keys[] = {
    {KEY_BOOL("enabled", OFF(cdn.enabled), "true"),
     .doc = "false: requests go straight to the ALB (and no static requests are allowed).",
     .source = "seed §3.3: all traffic enters through CloudFront"},
    {KEY_PERCENT("static_hit_ratio", OFF(cdn.static_hit_ratio), "95%", 0, 1, "0%..100%"),
     .doc = "Share of static requests answered from the edge cache.",
     .source =
         "reference/behaviour.md §8: hashed SPA assets 95–99% (EST), static sites \"easily 95%+\""},
    {KEY_WHOLE("static_objects", OFF(cdn.static_objects), "0", 0, 1e7, "0..10M"),
     .doc = "Distinct static assets. Above 0, the static hit ratio is derived from their "
            "popularity (Zipf) and the cache (cache_objects or ttl) instead of static_hit_ratio."},
    {KEY_NUMBER("zipf_alpha", OFF(cdn.zipf_alpha), "0.8", 0, 3, "0..3"),
     .doc = "Zipf exponent of the assets' popularity.",
     .source = "Breslau et al., INFOCOM 1999: web objects 0.6–1.0 (reference/queueing.md)"},
    {KEY_COUNT("cache_objects", OFF(cdn.cache_objects), "0", 0, 1e9, ">= 0"),
     .doc = "Assets an edge cache holds (LRU, Che's approximation); 0: use ttl instead."},
    {KEY_DURATION("ttl", OFF(cdn.ttl), "24h", 0, 31536000e9, "0s..365d"),
     .doc = "How long an asset stays cached after a miss (TTL cache; Fofack et al. 2012).",
     .source = "CloudFront cache policy DefaultTTL 86,400 s (reference/behaviour.md §8)"},
    {KEY_PERCENT("api_cacheable", OFF(cdn.api_cacheable), "0%", 0, 1, "0%..100%"),
     .doc = "Share of API reads on paths CloudFront may cache.",
     .source = "the seed caches API responses \"where appropriate\" (§11.1); default none, as "
               "Managed-CachingDisabled for /api/ (behaviour.md §8)"},
    {KEY_PERCENT("api_hit_ratio", OFF(cdn.api_hit_ratio), "0%", 0, 1, "0%..100%"),
     .doc = "Of the cacheable API reads, the share served from the edge."},
    {KEY_DIST("edge_latency", OFF(cdn.edge_latency), "0ms"),
     .doc =
         "Time at the edge for every request. Latency is measured from the edge: the viewer's own "
         "network round trip, DNS and TLS are outside the model unless given here.",
     .source = "no public figure for CloudFront's own processing time; 0 keeps the model honest"},
    {KEY_DIST("origin_latency", OFF(cdn.origin_latency), "{dist: uniform, min: 100ms, max: 200ms}"),
     .doc = "S3 time to first byte when a static request misses the cache.",
     .source = "AWS, \"Best Practices Design Patterns: Optimizing Amazon S3 Performance\": first "
               "byte out of S3 within 100–200 ms"},
    {KEY_DURATION("origin_keepalive", OFF(cdn.origin_keepalive), "5s", 1e9, 180e9, "1s..180s"),
     .doc = "How long CloudFront keeps an idle connection to the ALB open for the next request "
            "(the ALB's new and active connections, its LCUs).",
     .source = "CloudFront Developer Guide, DownloadDistValuesOrigin.html \"Origin keep-alive "
               "timeout\": default 5 s, 1-60 s (up to 180 s by quota increase)"},
    {KEY_COUNT("origin_sources", OFF(cdn.origin_sources), "30", 1, 1e6, "1..1M"),
     .doc = "CloudFront servers sending the API's requests to the ALB, each reusing its own "
            "keep-alive connection: the ALB's clients when CloudFront is in front (LCUs).",
     .source = "ASSUMPTION: one per North American edge location serving the viewers (about 30 "
               "cities; from memory, unverified). Dynamic requests go from the edge straight "
               "to the origin, not through regional edge caches (CloudFront Developer Guide, "
               "HowCloudFrontWorks.html)"},
};
const section scn__cdn_section = {"cloudfront", "CloudFront in front of S3 and the ALB.", cdn_keys,
                                  NKEYS(cdn_keys)};

/* ---------------------------------------------------------------- alb
 * The Application Load Balancer and its target health
 * checks.
 */

static const char *const alb_algorithms[] = {"round_robin", "least_outstanding_requests", NULL};

static const key hc_keys[] = {
    {KEY_DURATION("interval", OFF(alb.hc_interval), "15s", 5e9, 300e9, "5s..300s"),
     .doc = "Time between health checks of a target.",
     .source = "AWS Load Balancer Controller annotations.md: healthcheck-interval-seconds 15"},
    {KEY_INT("healthy_threshold", OFF(alb.hc_healthy), "2", 2, 10, "2..10"),
     .doc = "Consecutive passes that make an unhealthy target healthy again (a new target "
            "needs one).",
     .source = "AWS LB Controller default 2; ELB guide: a new target must pass one check"},
    {KEY_INT("unhealthy_threshold", OFF(alb.hc_unhealthy), "2", 2, 10, "2..10"),
     .doc = "Consecutive failures that make a target unhealthy.",
     .source = "AWS Load Balancer Controller default 2"},
};
static const section hc_section = {"alb.health_check", "Target health checks.", hc_keys,
                                   NKEYS(hc_keys)};

static const key alb_keys[] = {
    {KEY_ENUM("algorithm", OFF(alb.algorithm), "round_robin", alb_algorithms, NULL),
     .doc = "How the ALB spreads requests over ready pods.",
     .source = "AWS ELB user guide, load-balancer-target-groups.md (routing algorithm; round robin "
               "is the "
               "default)"},
    {KEY_DIST("latency", OFF(alb.latency), "2ms"),
     .doc = "Request plus response processing the ALB adds.",
     .source =
         "reference/behaviour.md §7: request_processing_time ≈ response_processing_time ≈ 0.001 s "
         "(re:Post elb-fix-high-latency-on-alb)"},
    {KEY_DURATION("idle_timeout", OFF(alb.idle_timeout), "60s", 0, 4000e9, "0s..4000s"),
     .doc = "A request the pod has not answered this long after the ALB forwarded it gets a 504; "
            "0s: no timeout (for queueing-theory checks).",
     .source =
         "AWS ELB user guide, application-load-balancers.md (idle_timeout.timeout_seconds, default "
         "60)"},
    {KEY_DURATION("client_keepalive", OFF(alb.client_keepalive), "60s", 1e9, 4000e9, "1s..4000s"),
     .doc = "Without CloudFront: how long a user's client keeps an idle connection to the ALB "
            "open for its next request (the ALB's new and active connections, its LCUs); each "
            "concurrent user is one client.",
     .source = "HTTP/1.1 connections are persistent (RFC 9112 §9.3) until a side closes them; "
               "the ALB closes one idle for its idle timeout, default 60 s (ELB user guide, "
               "application-load-balancers.md)"},
    {KEY_SECTION("health_check", &hc_section), .doc = "Target health checks."},
    {KEY_DURATION("deregistration_delay", OFF(alb.deregistration_delay), "300s", 0, 3600e9,
                  "0s..3600s"),
     .doc = "A target being removed keeps its in-flight requests this long.",
     .source = "AWS ELB user guide, load-balancer-target-groups.md (default 300 s)"},
};
const section scn__alb_section = {"alb", "The Application Load Balancer.", alb_keys,
                                  NKEYS(alb_keys)};

/* ---------------------------------------------------------------- dns
 * Route 53 hosted zones and the primary region's health
 * check.
 */

static const char *const health_check_intervals[] = {"30s", "10s", NULL};

static const key dns_keys[] = {
    {KEY_INT("hosted_zones", OFF(extras.hosted_zones), "1", 0, 10000, ">= 0"),
     .doc = "Route 53 hosted zones (queries to alias records of CloudFront and the ALB are not "
            "priced: see docs/cost-model.md).",
     .source = "seed §3: one public zone for the application's domain"},
    {KEY_BOOL("health_check", OFF(dr.health_check), "false"),
     .doc = "A Route 53 health check on the primary region's public endpoint, and a CloudWatch "
            "alarm on its status (1 min, 1 datapoint) that pages on-call: a region failure is "
            "detected by whichever pages first, it or the error-rate alarm. Billed: the check, "
            "the fast interval's option, the alarm.",
     .source = "seed §13 names Route 53 health checks but no alarm on them, and its runbook's "
               "alert is CloudWatch's (§12.2 step 1): off, ASSUMPTION"},
    {KEY_ENUM("health_check_interval", OFF(dr.health_check_fast), "30s", health_check_intervals,
              "30s, 10s"),
     .doc = "How often each Route 53 health checker checks: 30 s (standard) or 10 s (fast, an "
            "optional feature billed apart).",
     .source = "behaviour.md §10: 30 s default, 10 s fast"},
    {KEY_INT("health_check_failure_threshold", OFF(dr.health_check_failures), "3", 1, 10, "1..10"),
     .doc = "Consecutive failed checks before a checker calls the endpoint unhealthy; the "
            "endpoint is unhealthy when no more than 18% of the checkers call it healthy.",
     .source = "behaviour.md §10: 3 by default (1-10); > 18% healthy aggregation"},
};
const section scn__dns_section = {"dns", "Route 53.", dns_keys, NKEYS(dns_keys)};
