/*
 * keys/edge.c — the scenario keys of the edge: CloudFront, the ALB, and Route 53 (hosted zones, the
 * primary region's health check). Tables only, one section per component.
 */
#include "io/keys/keys.h"

/* ---------------------------------------------------------------- cloudfront
 * CloudFront in front of S3 and the ALB.
 */

static const key cdn_keys[] = {
    {.name = "enabled",
     .bind = scn__bind_bool,
     .off = OFF(cdn.enabled),
     .def = "true",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "false: requests go straight to the ALB (and no static requests are allowed).",
     .source = "seed §3.3: all traffic enters through CloudFront"},
    {.name = "static_hit_ratio",
     .bind = scn__bind_percent,
     .off = OFF(cdn.static_hit_ratio),
     .def = "95%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Share of static requests answered from the edge cache.",
     .source =
         "reference/behaviour.md §8: hashed SPA assets 95–99% (EST), static sites \"easily 95%+\""},
    {.name = "static_objects",
     .bind = scn__bind_whole,
     .off = OFF(cdn.static_objects),
     .def = "0",
     .type = "count",
     .min = 0,
     .max = 1e7,
     .range = "0..10M",
     .doc = "Distinct static assets. Above 0, the static hit ratio is derived from their "
            "popularity (Zipf) and the cache (cache_objects or ttl) instead of static_hit_ratio."},
    {.name = "zipf_alpha",
     .bind = scn__bind_count,
     .off = OFF(cdn.zipf_alpha),
     .def = "0.8",
     .type = "number",
     .min = 0,
     .max = 3,
     .range = "0..3",
     .doc = "Zipf exponent of the assets' popularity.",
     .source = "Breslau et al., INFOCOM 1999: web objects 0.6–1.0 (reference/queueing.md)"},
    {.name = "cache_objects",
     .bind = scn__bind_count,
     .off = OFF(cdn.cache_objects),
     .def = "0",
     .type = "count",
     .min = 0,
     .max = 1e9,
     .range = ">= 0",
     .doc = "Assets an edge cache holds (LRU, Che's approximation); 0: use ttl instead."},
    {.name = "ttl",
     .bind = scn__bind_duration,
     .off = OFF(cdn.ttl),
     .def = "24h",
     .type = "duration",
     .min = 0,
     .max = 31536000e9,
     .range = "0s..365d",
     .doc = "How long an asset stays cached after a miss (TTL cache; Fofack et al. 2012).",
     .source = "CloudFront cache policy DefaultTTL 86,400 s (reference/behaviour.md §8)"},
    {.name = "api_cacheable",
     .bind = scn__bind_percent,
     .off = OFF(cdn.api_cacheable),
     .def = "0%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Share of API reads on paths CloudFront may cache.",
     .source = "the seed caches API responses \"where appropriate\" (§11.1); default none, as "
               "Managed-CachingDisabled for /api/ (behaviour.md §8)"},
    {.name = "api_hit_ratio",
     .bind = scn__bind_percent,
     .off = OFF(cdn.api_hit_ratio),
     .def = "0%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Of the cacheable API reads, the share served from the edge."},
    {.name = "edge_latency",
     .bind = scn__bind_dist,
     .off = OFF(cdn.edge_latency),
     .def = "0ms",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc =
         "Time at the edge for every request. Latency is measured from the edge: the viewer's own "
         "network round trip, DNS and TLS are outside the model unless given here.",
     .source = "no public figure for CloudFront's own processing time; 0 keeps the model honest"},
    {.name = "origin_latency",
     .bind = scn__bind_dist,
     .off = OFF(cdn.origin_latency),
     .def = "{dist: uniform, min: 100ms, max: 200ms}",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "S3 time to first byte when a static request misses the cache.",
     .source = "AWS, \"Best Practices Design Patterns: Optimizing Amazon S3 Performance\": first "
               "byte out "
               "of S3 within 100–200 ms"},
    {.name = "origin_keepalive",
     .bind = scn__bind_duration,
     .off = OFF(cdn.origin_keepalive),
     .def = "5s",
     .type = "duration",
     .min = 1e9,
     .max = 180e9,
     .range = "1s..180s",
     .doc = "How long CloudFront keeps an idle connection to the ALB open for the next request "
            "(the ALB's new and active connections, its LCUs).",
     .source = "CloudFront Developer Guide, DownloadDistValuesOrigin.html \"Origin keep-alive "
               "timeout\": default 5 s, 1-60 s (up to 180 s by quota increase)"},
    {.name = "origin_sources",
     .bind = scn__bind_count,
     .off = OFF(cdn.origin_sources),
     .def = "30",
     .type = "count",
     .min = 1,
     .max = 1e6,
     .range = "1..1M",
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
    {.name = "interval",
     .bind = scn__bind_duration,
     .off = OFF(alb.hc_interval),
     .def = "15s",
     .type = "duration",
     .min = 5e9,
     .max = 300e9,
     .range = "5s..300s",
     .doc = "Time between health checks of a target.",
     .source = "AWS Load Balancer Controller annotations.md: healthcheck-interval-seconds 15"},
    {.name = "healthy_threshold",
     .bind = scn__bind_int,
     .off = OFF(alb.hc_healthy),
     .def = "2",
     .type = "integer",
     .min = 2,
     .max = 10,
     .range = "2..10",
     .doc = "Consecutive passes that make an unhealthy target healthy again (a new target "
            "needs one).",
     .source = "AWS LB Controller default 2; ELB guide: a new target must pass one check"},
    {.name = "unhealthy_threshold",
     .bind = scn__bind_int,
     .off = OFF(alb.hc_unhealthy),
     .def = "2",
     .type = "integer",
     .min = 2,
     .max = 10,
     .range = "2..10",
     .doc = "Consecutive failures that make a target unhealthy.",
     .source = "AWS Load Balancer Controller default 2"},
};
static const section hc_section = {"alb.health_check", "Target health checks.", hc_keys,
                                   NKEYS(hc_keys)};

static const key alb_keys[] = {
    {.name = "algorithm",
     .bind = scn__bind_enum,
     .off = OFF(alb.algorithm),
     .def = "round_robin",
     .type = "choice",
     .min = 1,
     .max = 0,
     .choices = alb_algorithms,
     .doc = "How the ALB spreads requests over ready pods.",
     .source = "AWS ELB user guide, load-balancer-target-groups.md (routing algorithm; round robin "
               "is the "
               "default)"},
    {.name = "latency",
     .bind = scn__bind_dist,
     .off = OFF(alb.latency),
     .def = "2ms",
     .type = "distribution",
     .min = 1,
     .max = 0,
     .doc = "Request plus response processing the ALB adds.",
     .source =
         "reference/behaviour.md §7: request_processing_time ≈ response_processing_time ≈ 0.001 s "
         "(re:Post elb-fix-high-latency-on-alb)"},
    {.name = "idle_timeout",
     .bind = scn__bind_duration,
     .off = OFF(alb.idle_timeout),
     .def = "60s",
     .type = "duration",
     .min = 0,
     .max = 4000e9,
     .range = "0s..4000s",
     .doc = "A request the pod has not answered this long after the ALB forwarded it gets a 504; "
            "0s: no timeout (for queueing-theory checks).",
     .source =
         "AWS ELB user guide, application-load-balancers.md (idle_timeout.timeout_seconds, default "
         "60)"},
    {.name = "client_keepalive",
     .bind = scn__bind_duration,
     .off = OFF(alb.client_keepalive),
     .def = "60s",
     .type = "duration",
     .min = 1e9,
     .max = 4000e9,
     .range = "1s..4000s",
     .doc = "Without CloudFront: how long a user's client keeps an idle connection to the ALB "
            "open for its next request (the ALB's new and active connections, its LCUs); each "
            "concurrent user is one client.",
     .source = "HTTP/1.1 connections are persistent (RFC 9112 §9.3) until a side closes them; "
               "the ALB closes one idle for its idle timeout, default 60 s (ELB user guide, "
               "application-load-balancers.md)"},
    {.name = "health_check",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &hc_section,
     .doc = "Target health checks."},
    {.name = "deregistration_delay",
     .bind = scn__bind_duration,
     .off = OFF(alb.deregistration_delay),
     .def = "300s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..3600s",
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
    {.name = "hosted_zones",
     .bind = scn__bind_int,
     .off = OFF(extras.hosted_zones),
     .def = "1",
     .type = "integer",
     .min = 0,
     .max = 10000,
     .range = ">= 0",
     .doc = "Route 53 hosted zones (queries to alias records of CloudFront and the ALB are not "
            "priced: see docs/cost-model.md).",
     .source = "seed §3: one public zone for the application's domain"},
    {.name = "health_check",
     .bind = scn__bind_bool,
     .off = OFF(dr.health_check),
     .def = "false",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "A Route 53 health check on the primary region's public endpoint, and a CloudWatch "
            "alarm on its status (1 min, 1 datapoint) that pages on-call: a region failure is "
            "detected by whichever pages first, it or the error-rate alarm. Billed: the check, "
            "the fast interval's option, the alarm.",
     .source = "seed §13 names Route 53 health checks but no alarm on them, and its runbook's "
               "alert is CloudWatch's (§12.2 step 1): off, ASSUMPTION"},
    {.name = "health_check_interval",
     .bind = scn__bind_enum,
     .off = OFF(dr.health_check_fast),
     .def = "30s",
     .type = "choice",
     .min = 1,
     .max = 0,
     .choices = health_check_intervals,
     .range = "30s, 10s",
     .doc = "How often each Route 53 health checker checks: 30 s (standard) or 10 s (fast, an "
            "optional feature billed apart).",
     .source = "behaviour.md §10: 30 s default, 10 s fast"},
    {.name = "health_check_failure_threshold",
     .bind = scn__bind_int,
     .off = OFF(dr.health_check_failures),
     .def = "3",
     .type = "integer",
     .min = 1,
     .max = 10,
     .range = "1..10",
     .doc = "Consecutive failed checks before a checker calls the endpoint unhealthy; the "
            "endpoint is unhealthy when no more than 18% of the checkers call it healthy.",
     .source = "behaviour.md §10: 3 by default (1-10); > 18% healthy aggregation"},
};
const section scn__dns_section = {"dns", "Route 53.", dns_keys, NKEYS(dns_keys)};
