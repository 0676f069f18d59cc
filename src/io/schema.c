/*
 * schema.c — the scenario's keys, as one table: name, type, default (written as a user would
 * write it, and parsed by the same code), range, meaning and the public source of the default.
 * The same table binds a YAML tree into an mdl_scenario (with the binders of bind.c), rejects
 * unknown keys with the nearest known one, and writes docs/scenarios.md (scn_keys_markdown), so
 * the reference cannot drift from what the program accepts.
 *
 * Offsets are into mdl_scenario itself, so a section is only a list of keys; nested sections
 * (api.service, traffic.mix) are sections of the same scenario. Lists of sections (NodePools,
 * HPA policies, events) bind element by element; phases bind through their own function.
 */
#include "io/bind.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bind_phases(const key *k, const scn_node *n, bctx *c);

/* ---------------------------------------------------------------- the table */

#define NORANGE  1, 0, NULL
#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const fidelity_names[] = {"request", "flow", "auto", NULL};
static const char *const alb_algorithms[] = {"round_robin", "least_outstanding_requests", NULL};

static const key phase_keys[] = {
    {"name", NULL, 0, 0, "phase N", "string", NORANGE, NULL, NULL,
     "A label for the phase, shown in charts and the report.", NULL},
    {"duration", NULL, 0, 0, NULL, "duration", 1, 1e18, "> 0", NULL, NULL,
     "How long the phase lasts.", NULL},
    {"users", NULL, 0, 0, NULL, "count", 0, 1e12, ">= 0", NULL, NULL,
     "Concurrent users at the start of the phase (give `users` or `rate`, not both).", NULL},
    {"rate", NULL, 0, 0, NULL, "rate", 0, 1e12, ">= 0", NULL, NULL,
     "Requests per second at the start of the phase, instead of users (Artillery's "
     "`arrivalRate`).",
     NULL},
    {"ramp_to", NULL, 0, 0, "the start value", "count or rate", 0, 1e12, ">= 0", NULL, NULL,
     "Where the phase ends, moving linearly (Artillery's `rampTo`); in the unit of `users` or "
     "`rate`. Without it the phase holds its start value.",
     NULL},
};
static const section phase_section = {"traffic.phases[]", "Each phase of the load shape, in order.",
                                      phase_keys, NKEYS(phase_keys)};

static const key mix_keys[] = {
    {"static", scn__bind_percent, OFF(traffic.mix[MDL_STATIC]), 0, "0%", "percent", 0, 1,
     "0%..100%", NULL, NULL, "Share of requests for SPA assets (CloudFront, S3 on a miss).", NULL},
    {"api_read", scn__bind_percent, OFF(traffic.mix[MDL_API_READ]), 0, "0%", "percent", 0, 1,
     "0%..100%", NULL, NULL, "Share of /api/ paths reads (ALB -> pod -> database reads).", NULL},
    {"api_write", scn__bind_percent, OFF(traffic.mix[MDL_API_WRITE]), 0, "0%", "percent", 0, 1,
     "0%..100%", NULL, NULL, "Share of /api/ paths writes. The three shares must add up to 100%.",
     NULL},
};
static const section mix_section = {"traffic.mix", "Which kinds of request users send.", mix_keys,
                                    NKEYS(mix_keys)};

static const key bytes_keys[] = {
    {.name = "static",
     .bind = scn__bind_memory,
     .off = OFF(traffic.response_bytes[MDL_STATIC]),
     .def = "40k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Mean size of a static asset response (for CloudFront and S3 metering).",
     .source = "ASSUMPTION: a hashed JS/CSS chunk of a React SPA, compressed"},
    {.name = "api_read",
     .bind = scn__bind_memory,
     .off = OFF(traffic.response_bytes[MDL_API_READ]),
     .def = "4k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Mean size of an API read's response (ALB processed bytes, transfer).",
     .source = "ASSUMPTION: a JSON document"},
    {.name = "api_write",
     .bind = scn__bind_memory,
     .off = OFF(traffic.response_bytes[MDL_API_WRITE]),
     .def = "1k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Mean size of an API write's response.",
     .source = "ASSUMPTION"},
    {.name = "request",
     .bind = scn__bind_memory,
     .off = OFF(traffic.request_bytes),
     .def = "1k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Mean size of a request (headers and body).",
     .source = "ASSUMPTION"},
};
static const section bytes_section = {"traffic.bytes", "Sizes of requests and responses.",
                                      bytes_keys, NKEYS(bytes_keys)};

static const key traffic_keys[] = {
    {"phases", bind_phases, 0, 0, NULL, "list", NORANGE, NULL, &phase_section,
     "The load over time: phases with ramps and holds (at most 64).", NULL},
    {"requests_per_user_per_minute", scn__bind_count, OFF(traffic.requests_per_user_min), 0, "0",
     "count", 0, 1e6, "0..1000000", NULL, NULL,
     "Requests each concurrent user sends per minute; needed when phases give `users`. "
     "Arrivals are Poisson at users × this / 60 per second.",
     NULL},
    {"mix", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &mix_section,
     "Shares of static, API read and API write requests.", NULL},
    {.name = "bytes",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &bytes_section,
     .doc = "Request and response sizes."},
    {"max_requests", scn__bind_whole, OFF(traffic.max_requests), 0, "0", "count", 0, 1e15, ">= 0",
     NULL, NULL, "Stop sending after this many requests; 0: no limit.", NULL},
};
static const section traffic_section = {"traffic", "The load users put on the system.",
                                        traffic_keys, NKEYS(traffic_keys)};

static const key cdn_keys[] = {
    {"enabled", scn__bind_bool, OFF(cdn.enabled), 0, "true", "boolean", NORANGE, NULL, NULL,
     "false: requests go straight to the ALB (and no static requests are allowed).",
     "seed §3.3: all traffic enters through CloudFront"},
    {"static_hit_ratio", scn__bind_percent, OFF(cdn.static_hit_ratio), 0, "95%", "percent", 0, 1,
     "0%..100%", NULL, NULL, "Share of static requests answered from the edge cache.",
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
    {"edge_latency", scn__bind_dist, OFF(cdn.edge_latency), 0, "0ms", "distribution", NORANGE, NULL,
     NULL,
     "Time at the edge for every request. Latency is measured from the edge: the viewer's own "
     "network round trip, DNS and TLS are outside the model unless given here.",
     "no public figure for CloudFront's own processing time; 0 keeps the model honest"},
    {"origin_latency", scn__bind_dist, OFF(cdn.origin_latency), 0,
     "{dist: uniform, min: 100ms, max: 200ms}", "distribution", NORANGE, NULL, NULL,
     "S3 time to first byte when a static request misses the cache.",
     "AWS, \"Best Practices Design Patterns: Optimizing Amazon S3 Performance\": first byte out "
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
static const section cdn_section = {"cloudfront", "CloudFront in front of S3 and the ALB.",
                                    cdn_keys, NKEYS(cdn_keys)};

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
    {"algorithm", scn__bind_enum, OFF(alb.algorithm), 0, "round_robin", "choice", NORANGE,
     alb_algorithms, NULL, "How the ALB spreads requests over ready pods.",
     "AWS ELB user guide, load-balancer-target-groups.md (routing algorithm; round robin is the "
     "default)"},
    {"latency", scn__bind_dist, OFF(alb.latency), 0, "2ms", "distribution", NORANGE, NULL, NULL,
     "Request plus response processing the ALB adds.",
     "reference/behaviour.md §7: request_processing_time ≈ response_processing_time ≈ 0.001 s "
     "(re:Post elb-fix-high-latency-on-alb)"},
    {"idle_timeout", scn__bind_duration, OFF(alb.idle_timeout), 0, "60s", "duration", 0, 4000e9,
     "0s..4000s", NULL, NULL,
     "A request the pod has not answered this long after the ALB forwarded it gets a 504; "
     "0s: no timeout (for queueing-theory checks).",
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
static const section alb_section = {"alb", "The Application Load Balancer.", alb_keys,
                                    NKEYS(alb_keys)};

static const key service_keys[] = {
    {"api_read", scn__bind_dist, OFF(api.service[MDL_API_READ]), 0, NULL, "distribution", NORANGE,
     NULL, NULL, "Application time of a read, database time excluded.",
     "your application's own measurements (the seed gives none)"},
    {"api_write", scn__bind_dist, OFF(api.service[MDL_API_WRITE]), 0, NULL, "distribution", NORANGE,
     NULL, NULL, "Application time of a write, database time excluded.",
     "your application's own measurements (the seed gives none)"},
};
static const section service_section = {"api.service",
                                        "Service time of a request in a gunicorn worker.",
                                        service_keys, NKEYS(service_keys)};

static const key requests_keys[] = {
    {.name = "cpu",
     .bind = scn__bind_cpu,
     .off = OFF(api.cpu_request),
     .def = "250m",
     .type = "cpu",
     .min = 1,
     .max = 1e6,
     .range = "> 0",
     .doc = "CPU request of the API container.",
     .source = "seed §5.3 Deployment: requests.cpu 250m"},
    {.name = "memory",
     .bind = scn__bind_memory,
     .off = OFF(api.memory_request),
     .def = "256Mi",
     .type = "memory",
     .min = 1,
     .max = 1e15,
     .range = "> 0",
     .doc = "Memory request of the API container.",
     .source = "seed §5.3 Deployment: requests.memory 256Mi"},
};
static const section requests_section = {"api.resources.requests",
                                         "What the scheduler reserves for a pod; HPA "
                                         "utilisation is relative to it.",
                                         requests_keys, NKEYS(requests_keys)};
static const key limits_keys[] = {
    {.name = "cpu",
     .bind = scn__bind_cpu,
     .off = OFF(api.cpu_limit),
     .def = "1000m",
     .type = "cpu",
     .min = 1,
     .max = 1e6,
     .range = "> 0",
     .doc = "CPU limit: the CFS quota throttles the pod to it (workers share it).",
     .source = "seed §5.3 Deployment: limits.cpu 1000m"},
    {.name = "memory",
     .bind = scn__bind_memory,
     .off = OFF(api.memory_limit),
     .def = "512Mi",
     .type = "memory",
     .min = 1,
     .max = 1e15,
     .range = "> 0",
     .doc = "Memory limit: crossing it gets the container OOM-killed and restarted.",
     .source = "seed §5.3 Deployment: limits.memory 512Mi"},
};
static const section limits_section = {"api.resources.limits", "The container's limits.",
                                       limits_keys, NKEYS(limits_keys)};
static const key resources_keys[] = {
    {.name = "requests",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &requests_section,
     .doc = "Requests."},
    {.name = "limits",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &limits_section,
     .doc = "Limits."},
};
static const section resources_section = {"api.resources", "The container's resources.",
                                          resources_keys, NKEYS(resources_keys)};
static const key memory_keys[] = {
    {.name = "base",
     .bind = scn__bind_memory,
     .off = OFF(api.memory_base),
     .def = "200Mi",
     .type = "memory",
     .min = 0,
     .max = 1e15,
     .range = ">= 0",
     .doc = "Working set of a pod at rest: gunicorn's master and workers with Flask loaded.",
     .source = "ASSUMPTION: measure your image (kubectl top pod)"},
    {.name = "per_request",
     .bind = scn__bind_memory,
     .off = OFF(api.memory_per_request),
     .def = "4Mi",
     .type = "memory",
     .min = 0,
     .max = 1e15,
     .range = ">= 0",
     .doc = "Extra working set per request being served.",
     .source = "ASSUMPTION"},
};
static const section memory_section = {"api.memory", "What the pod's memory use is made of.",
                                       memory_keys, NKEYS(memory_keys)};
static const key startup_keys[] = {
    {.name = "image_pull",
     .bind = scn__bind_dist,
     .off = OFF(api.image_pull),
     .def = "{dist: uniform, min: 5s, max: 15s}",
     .type = "distribution",
     .doc = "Pulling the image onto a node that does not have it (0 when it does).",
     .source = "reference/behaviour.md §2: ~5–15 s for ~200 MB from same-region ECR (EST)"},
    {.name = "container_start",
     .bind = scn__bind_dist,
     .off = OFF(api.container_start),
     .def = "{dist: uniform, min: 1s, max: 5s}",
     .type = "distribution",
     .doc = "Process start to listening (Python imports, gunicorn forks its workers).",
     .source = "reference/behaviour.md §2: container start ~1–5 s"},
    {.name = "image_size",
     .bind = scn__bind_memory,
     .off = OFF(api.image_bytes),
     .def = "200M",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Compressed size of the API image: pulled through the NAT gateway onto each new "
            "node.",
     .source = "reference/behaviour.md §2: a ~200 MB Python image (EST)"},
};
static const section startup_section = {"api.startup", "How long a new pod takes to start.",
                                        startup_keys, NKEYS(startup_keys)};
static const key readiness_keys[] = {
    {.name = "initial_delay",
     .bind = scn__bind_duration,
     .off = OFF(api.readiness.initial_delay),
     .def = "0s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "initialDelaySeconds.",
     .source = "Kubernetes default 0 (behaviour.md §2)"},
    {.name = "period",
     .bind = scn__bind_duration,
     .off = OFF(api.readiness.period),
     .def = "10s",
     .type = "duration",
     .min = 1e9,
     .max = 3600e9,
     .range = "1s..1h",
     .doc = "periodSeconds.",
     .source = "Kubernetes default 10 s (behaviour.md §2)"},
    {.name = "success_threshold",
     .bind = scn__bind_int,
     .off = OFF(api.readiness.success_threshold),
     .def = "1",
     .type = "integer",
     .min = 1,
     .max = 100,
     .range = "1..100",
     .doc = "successThreshold.",
     .source = "Kubernetes default 1"},
    {.name = "failure_threshold",
     .bind = scn__bind_int,
     .off = OFF(api.readiness.failure_threshold),
     .def = "3",
     .type = "integer",
     .min = 1,
     .max = 100,
     .range = "1..100",
     .doc = "failureThreshold.",
     .source = "Kubernetes default 3"},
};
static const section readiness_section = {"api.readiness_probe", "The readinessProbe.",
                                          readiness_keys, NKEYS(readiness_keys)};

static const key api_keys[] = {
    {"replicas", scn__bind_int, OFF(api.replicas), 0, "3", "integer", 1, 100000, "1..100000", NULL,
     NULL, "Pods of the Flask API (fixed until autoscaling arrives).",
     "seed §5.3: `replicas: 3`, HPA `minReplicas: 3`"},
    {"workers", scn__bind_int, OFF(api.workers), 0, "1", "integer", 1, 1024, "1..1024", NULL, NULL,
     "gunicorn sync workers per pod; each serves one request at a time.",
     "gunicorn settings.rst: `workers` default 1 (the seed's Dockerfile CMD sets none)"},
    {"backlog", scn__bind_int, OFF(api.backlog), 0, "2048", "integer", 0, 1000000, "0..1000000",
     NULL, NULL, "Requests a pod holds waiting for a free worker; more are refused (502).",
     "gunicorn settings.rst: `backlog` default 2048"},
    {"timeout", scn__bind_duration, OFF(api.timeout), 0, "30s", "duration", 0, 86400e9, "0s..24h",
     NULL, NULL,
     "gunicorn kills a worker busy with one request this long (the client gets a 502); "
     "0s: never.",
     "gunicorn settings.rst: `timeout` default 30 s"},
    {"service", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &service_section,
     "Service time distributions by request class.", NULL},
    {.name = "resources",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &resources_section,
     .doc = "Requests and limits."},
    {.name = "memory",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &memory_section,
     .doc = "The memory model."},
    {.name = "node_selector",
     .bind = scn__bind_arch_selector,
     .off = OFF(api.arch),
     .def = "any",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "arm64, amd64, any",
     .doc = "nodeSelector kubernetes.io/arch.",
     .source = "seed §5.3: kubernetes.io/arch: arm64 (the base sets it)"},
    {.name = "tolerate_spot",
     .bind = scn__bind_bool,
     .off = OFF(api.spot_ok),
     .def = "true",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "Tolerates karpenter.sh/capacity-type=spot.",
     .source = "seed §5.3 tolerations"},
    {.name = "startup",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &startup_section,
     .doc = "Start-up times."},
    {.name = "readiness_probe",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &readiness_section,
     .doc = "The readinessProbe."},
    {.name = "termination_grace",
     .bind = scn__bind_duration,
     .off = OFF(api.termination_grace),
     .def = "30s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "terminationGracePeriodSeconds: in-flight requests get this long after SIGTERM.",
     .source = "Kubernetes default 30 s; gunicorn graceful_timeout 30 s (behaviour.md §2, §9)"},
    {.name = "restart_backoff",
     .bind = scn__bind_duration,
     .off = OFF(api.restart_backoff),
     .def = "10s",
     .type = "duration",
     .min = 0,
     .max = 300e9,
     .range = "0s..5m",
     .doc = "Delay before a crashed (OOM-killed) container restarts.",
     .source = "Kubernetes pod lifecycle docs: restart back-off starts at 10 s"},
};
static const section api_section = {"api", "The Flask API Deployment (gunicorn in pods).", api_keys,
                                    NKEYS(api_keys)};

static const key queries_keys[] = {
    {"api_read", scn__bind_count, OFF(db.queries[MDL_API_READ]), 0, "0", "count", 0, 1000,
     "0..1000", NULL, NULL,
     "Mean queries per read request; a fractional part is drawn per request.",
     "your application's own measurements"},
    {"api_write", scn__bind_count, OFF(db.queries[MDL_API_WRITE]), 0, "0", "count", 0, 1000,
     "0..1000", NULL, NULL, "Mean queries per write request.",
     "your application's own measurements"},
};
static const section queries_section = {"database.queries",
                                        "How many queries each API request makes, one after "
                                        "another, while holding its worker.",
                                        queries_keys, NKEYS(queries_keys)};

static const char *const db_engines[] = {"queue", "rds", "aurora", NULL};
static const char *const credit_modes[] = {"unlimited", "standard", NULL};

static const key aurora_keys[] = {
    {.name = "acu_min", .bind = scn__bind_count, .off = OFF(db.acu_min), .def = "0.5",
     .type = "number", .min = 0, .max = 256, .range = "0..256",
     .doc = "Lowest capacity, in ACUs (0.5-ACU steps).", .source = "seed §6.1: 0.5 → 128 ACUs"},
    {.name = "acu_max", .bind = scn__bind_count, .off = OFF(db.acu_max), .def = "128",
     .type = "number", .min = 0.5, .max = 256, .range = "0.5..256",
     .doc = "Highest capacity, in ACUs; also sets max_connections (its memory).",
     .source = "seed §6.1: 0.5 → 128 ACUs; AWS: up to 256"},
    {.name = "vcpu_per_acu", .bind = scn__bind_count, .off = OFF(db.vcpu_per_acu), .def = "0.25",
     .type = "number", .min = 0.01, .max = 4, .range = "0.01..4",
     .doc = "CPU of one ACU, in vCPUs.",
     .source = "EST: 1 ACU ≈ 2 GiB \"with corresponding CPU\" (AWS user guide); at the memory "
               "ratio of db.r7g (8 GiB per vCPU) that is 0.25 vCPU"},
    {.name = "memory_per_acu", .bind = scn__bind_memory, .off = OFF(db.memory_per_acu),
     .def = "2Gi", .type = "memory", .min = 1, .max = 1e12, .range = "> 0",
     .doc = "Memory of one ACU.", .source = "AWS Aurora user guide: ~2 GiB per ACU"},
    {.name = "target_utilisation", .bind = scn__bind_percent, .off = OFF(db.acu_target),
     .def = "70%", .type = "percent", .min = 0.05, .max = 1, .range = "5%..100%",
     .doc = "CPU utilisation the capacity is scaled to keep.",
     .source = "ASSUMPTION: AWS does not publish Serverless v2's scaling rule"},
    {.name = "scale_up_rate", .bind = scn__bind_percent, .off = OFF(db.acu_up_rate), .def = "6%",
     .type = "percent", .min = 0.001, .max = 10, .range = "0.1%..1000%",
     .doc = "Per second, capacity may grow by this share of itself (at least 0.5 ACU): faster "
            "from a higher capacity, as AWS describes.",
     .source = "EST: 0.5 → 16 ACU in about a minute; third-party reports of 15–90 s per large "
               "step (behaviour.md §5)"},
    {.name = "scale_down_step", .bind = scn__bind_count, .off = OFF(db.acu_down_step),
     .def = "0.5", .type = "number", .min = 0.5, .max = 256, .range = "0.5..256",
     .doc = "ACUs removed per scale_down_interval while more than needed.",
     .source = "EST behaviour.md §5: ~0.5 ACU per 10–30 s"},
    {.name = "scale_down_interval", .bind = scn__bind_duration, .off = OFF(db.acu_down_interval),
     .def = "15s", .type = "duration", .min = 1e9, .max = 3600e9, .range = "1s..1h",
     .doc = "See scale_down_step.", .source = "EST behaviour.md §5"},
    {.name = "readers", .bind = scn__bind_int, .off = OFF(db.aurora_readers), .def = "0",
     .type = "integer", .min = 0, .max = 15, .range = "0..15",
     .doc = "Serverless v2 reader instances; reads go to them as read_replica_share says.",
     .source = "Aurora: up to 15 readers (seed §6.1)"},
    {.name = "failover_time", .bind = scn__bind_dist, .off = OFF(db.aurora_failover_time),
     .def = "{dist: triangular, min: 15s, mode: 30s, max: 120s}", .type = "distribution",
     .min = 1, .max = 0,
     .doc = "db_failover event: from the writer's loss until a reader serves as the writer.",
     .source = "AWS Aurora user guide: \"typically restored in less than 120 s, and often less "
               "than 60 s\"; behaviour.md §5 suggests triangular(15, 30, 120) s"},
    {.name = "global_promote", .bind = scn__bind_dist, .off = OFF(db.aurora_global_promote),
     .def = "1m", .type = "distribution", .min = 1, .max = 0,
     .doc = "region_failure with Aurora: the DR region is an Aurora Global Database secondary, "
            "and runbook step 3 promotes it (dr.promote is RDS's read replica).",
     .source = "behaviour.md §5: Aurora Global Database RTO \"< 1 min\" (aws.amazon.com/rds/"
               "aurora/global-database); the bound, conservatively"},
    {.name = "global_lag", .bind = scn__bind_dist, .off = OFF(db.aurora_global_lag),
     .def = "{dist: uniform, min: 0s, max: 1s}", .type = "distribution", .min = 1, .max = 0,
     .doc = "region_failure with Aurora: the secondary's replication lag at the failure, the RPO "
            "(dr.replica_lag is RDS's).",
     .source = "behaviour.md §5: Aurora Global Database replication \"typically < 1 s\", "
               "effective RPO 1 s"},
    {.name = "io_optimized", .bind = scn__bind_bool, .off = OFF(db.io_optimized), .def = "false",
     .type = "boolean", .min = 1, .max = 0,
     .doc = "Aurora I/O-Optimized: no I/O charge, dearer ACUs and storage."},
};
static const section aurora_section = {"database.aurora", "Aurora PostgreSQL Serverless v2.",
                                       aurora_keys, NKEYS(aurora_keys)};

static const key io_keys[] = {
    {.name = "api_read", .bind = scn__bind_count, .off = OFF(db.io_per_query[MDL_API_READ]),
     .def = "0.1", .type = "number", .min = 0, .max = 1e6, .range = ">= 0",
     .doc = "Storage I/O requests per read query (most reads hit the buffer cache).",
     .source = "ASSUMPTION"},
    {.name = "api_write", .bind = scn__bind_count, .off = OFF(db.io_per_query[MDL_API_WRITE]),
     .def = "1", .type = "number", .min = 0, .max = 1e6, .range = ">= 0",
     .doc = "Storage I/O requests per write query (the commit's log write).",
     .source = "ASSUMPTION"},
};
static const section io_section = {"database.io_per_query",
                                   "Storage I/O per query, for Aurora's I/O charge.", io_keys,
                                   NKEYS(io_keys)};

static const key db_keys[] = {
    {"enabled", scn__bind_bool, OFF(db.enabled), 0, "true", "boolean", NORANGE, NULL, NULL,
     "false: API requests make no queries.", NULL},
    {.name = "engine", .bind = scn__bind_enum, .off = OFF(db.engine), .def = "queue",
     .type = "choice", .min = 1, .max = 0, .range = "queue, rds, aurora", .choices = db_engines,
     .doc = "`queue`: an abstract c-server queue; `rds`: RDS for PostgreSQL of an instance "
            "class; `aurora`: Aurora PostgreSQL Serverless v2.",
     .source = "seed §6.1: RDS now, Aurora Serverless v2 later"},
    {"servers", scn__bind_int, OFF(db.servers), 0, "2", "integer", 1, 100000, "1..100000", NULL,
     NULL, "queue engine: queries served at once (c of the multi-server queue).",
     "vCPUs of the seed's db.t3.medium (reference/aws-prices.md §3)"},
    {.name = "instance_class", .bind = scn__bind_string, .off = OFF(db.instance_class),
     .size = 24, .def = "db.t3.medium", .type = "string", .min = 1, .max = 0,
     .doc = "rds engine: the instance class (from the pricing file); its vCPUs serve queries "
            "and its memory sets max_connections.",
     .source = "seed §6.2: db.t3.medium"},
    {.name = "multi_az", .bind = scn__bind_bool, .off = OFF(db.multi_az), .def = "true",
     .type = "boolean", .min = 1, .max = 0,
     .doc = "rds engine: a standby in another AZ (priced at the Multi-AZ rate; a db_failover "
            "event's target).",
     .source = "seed §6.2: multi_az = true"},
    {.name = "failover_time", .bind = scn__bind_dist, .off = OFF(db.failover_time),
     .def = "{dist: uniform, min: 60s, max: 120s}", .type = "distribution", .min = 1, .max = 0,
     .doc = "rds engine, db_failover event: from the primary's loss until the standby serves.",
     .source = "AWS RDS user guide (Multi-AZ failover): typically 60–120 s (behaviour.md §5)"},
    {.name = "restore_time", .bind = scn__bind_dist, .off = OFF(db.restore_time), .def = "0s",
     .type = "distribution", .min = 1, .max = 0,
     .doc = "rds engine: a point-in-time restore, from the start until the restored instance "
            "serves — for az_failure of AZ a with a Single-AZ instance, and data_corruption; "
            "required by those events (0s: not given).",
     .source = "none public: AWS gives no restore duration (it grows with the database's size); "
               "time a restore of yours"},
    {.name = "snapshot_restore_time", .bind = scn__bind_dist, .off = OFF(db.snapshot_restore_time),
     .def = "0s", .type = "distribution", .min = 1, .max = 0,
     .doc = "accidental_delete: from the deletion until an instance restored from the latest "
            "automated snapshot serves; required by that event (0s: not given).",
     .source = "none public: AWS gives no restore duration; time a restore of yours"},
    {.name = "cpu_credits", .bind = scn__bind_enum, .off = OFF(db.credit_mode),
     .def = "unlimited", .type = "choice", .min = 1, .max = 0, .range = "unlimited, standard",
     .choices = credit_modes,
     .doc = "rds engine, burstable class (the catalog's `baseline`, db.t3/db.t4g): unlimited "
            "bills the CPU used beyond the baseline per vCPU-hour; standard throttles each "
            "instance to its baseline while its CPU credit balance is empty (slower queries).",
     .source = "RDS T3/T4g DB instances run in Unlimited mode (aws.amazon.com/rds/instance-types, "
               "as quoted on repost.aws); EC2 T3/T4g launch unlimited by default (EC2 API "
               "RunInstances CreditSpecification: \"unlimited (T3/T3a/T4g instances)\"). "
               "Standard: EC2 user guide, burstable-performance-instances-standard-mode.md"},
    {.name = "cpu_credits_at_start", .bind = scn__bind_percent, .off = OFF(db.credits_start),
     .def = "100%", .type = "percent", .min = 0, .max = 1, .range = "0%..100%",
     .doc = "standard mode: each instance's CPU credit balance at the start, as a share of the "
            "most it can hold (24 hours of its earnings).",
     .source = "ASSUMPTION: an instance that has run below its baseline before the window holds "
               "the cap (EC2 credit table: earned credits accrue up to 24 h's worth; T3/T4g get "
               "no launch credits)"},
    {.name = "read_replicas", .bind = scn__bind_int, .off = OFF(db.read_replicas), .def = "0",
     .type = "integer", .min = 0, .max = 15, .range = "0..15",
     .doc = "rds engine: read replicas of the same class.",
     .source = "the seed draws one, for analytics (§6.1); the base sets it"},
    {.name = "read_replica_share", .bind = scn__bind_percent, .off = OFF(db.replica_read_share),
     .def = "0%", .type = "percent", .min = 0, .max = 1, .range = "0%..100%",
     .doc = "Share of API read transactions sent to the replicas (RDS) or readers (Aurora).",
     .source = "seed §6.1: the replica serves analytics, not the API"},
    {.name = "storage_gb", .bind = scn__bind_count, .off = OFF(db.storage_gb), .def = "100",
     .type = "number", .min = 0, .max = 1e6, .range = ">= 0",
     .doc = "Allocated gp3 storage (RDS) or the cluster volume's size (Aurora), GB.",
     .source = "seed §6.2: allocated_storage = 100"},
    {"queries", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &queries_section,
     "Queries per request, by class.", NULL},
    {"read_time", scn__bind_dist, OFF(db.read_time), 0, "1ms", "distribution", NORANGE, NULL,
     NULL, "CPU time of one query of a read request, on one vCPU.",
     "your application's own measurements"},
    {"write_time", scn__bind_dist, OFF(db.write_time), 0, "2ms", "distribution", NORANGE, NULL,
     NULL, "CPU time of one query of a write request, on one vCPU.",
     "your application's own measurements"},
    {.name = "aurora", .bind = scn__bind_sub, .type = "section", .min = 1, .max = 0,
     .sub = &aurora_section, .doc = "Aurora Serverless v2."},
    {.name = "io_per_query", .bind = scn__bind_sub, .type = "section", .min = 1, .max = 0,
     .sub = &io_section, .doc = "Storage I/O per query."},
};
static const section db_section = {"database", "The database.", db_keys, NKEYS(db_keys)};

static const char *const pgb_modes[] = {"none", "per_pod", "central", NULL};

static const key pgb_keys[] = {
    {.name = "mode", .bind = scn__bind_enum, .off = OFF(pgbouncer.mode), .def = "none",
     .type = "choice", .min = 1, .max = 0, .range = "none, per_pod, central",
     .choices = pgb_modes,
     .doc = "none: every gunicorn worker holds its own database connection; per_pod: a PgBouncer "
            "beside each pod; central: one PgBouncer for all pods. Transaction pooling.",
     .source = "seed §6.5: PgBouncer in EKS, transaction mode (the base sets per_pod)"},
    {.name = "default_pool_size", .bind = scn__bind_int, .off = OFF(pgbouncer.default_pool_size),
     .def = "20", .type = "integer", .min = 1, .max = 100000, .range = "1..100000",
     .doc = "Server connections per pool (one pool per PgBouncer here: one user, one database).",
     .source = "PgBouncer config.md default 20"},
    {.name = "max_client_conn", .bind = scn__bind_int, .off = OFF(pgbouncer.max_client_conn),
     .def = "100", .type = "integer", .min = 1, .max = 1000000, .range = "1..1000000",
     .doc = "Client connections a PgBouncer accepts; more are refused.",
     .source = "PgBouncer config.md default 100 (seed §6.5: 100 per pod)"},
    {.name = "reserve_pool_size", .bind = scn__bind_int, .off = OFF(pgbouncer.reserve_pool_size),
     .def = "0", .type = "integer", .min = 0, .max = 100000, .range = "0..100000",
     .doc = "Extra server connections for clients that waited reserve_pool_timeout.",
     .source = "PgBouncer config.md default 0"},
    {.name = "reserve_pool_timeout", .bind = scn__bind_duration,
     .off = OFF(pgbouncer.reserve_pool_timeout), .def = "5s", .type = "duration", .min = 0,
     .max = 3600e9, .range = "0s..1h", .doc = "See reserve_pool_size.",
     .source = "PgBouncer config.md default 5 s"},
    {.name = "query_wait_timeout", .bind = scn__bind_duration,
     .off = OFF(pgbouncer.query_wait_timeout), .def = "120s", .type = "duration", .min = 0,
     .max = 86400e9, .range = "0s..24h",
     .doc = "A client waiting this long for a server connection is disconnected (an error); "
            "0s: wait forever.",
     .source = "PgBouncer config.md default 120 s"},
};
static const section pgb_section = {"pgbouncer", "PgBouncer between the pods and the database.",
                                    pgb_keys, NKEYS(pgb_keys)};

static const key redis_lookup_keys[] = {
    {.name = "api_read", .bind = scn__bind_count, .off = OFF(redis.lookups[MDL_API_READ]),
     .def = "1", .type = "number", .min = 0, .max = 1000, .range = "0..1000",
     .doc = "Redis look-ups per API read (session token, cached objects).",
     .source = "ASSUMPTION: one session check per request"},
    {.name = "api_write", .bind = scn__bind_count, .off = OFF(redis.lookups[MDL_API_WRITE]),
     .def = "1", .type = "number", .min = 0, .max = 1000, .range = "0..1000",
     .doc = "Redis look-ups per API write.", .source = "ASSUMPTION"},
};
static const section redis_lookup_section = {"redis.lookups", "Look-ups per request.",
                                             redis_lookup_keys, NKEYS(redis_lookup_keys)};

static const key redis_keys[] = {
    {.name = "enabled", .bind = scn__bind_bool, .off = OFF(redis.enabled), .def = "false",
     .type = "boolean", .min = 1, .max = 0,
     .doc = "ElastiCache for Redis in the request path.", .source = "seed §6.6 (the base sets it)"},
    {.name = "node_type", .bind = scn__bind_string, .off = OFF(redis.node_type), .size = 24,
     .def = "cache.t4g.micro", .type = "string", .min = 1, .max = 0,
     .doc = "Node type (from the pricing file).", .source = "seed §6.6: cache.t4g.micro"},
    {.name = "nodes", .bind = scn__bind_int, .off = OFF(redis.nodes), .def = "2",
     .type = "integer", .min = 1, .max = 6, .range = "1..6",
     .doc = "Primary plus replicas (priced; the primary serves).",
     .source = "seed §6.6: Multi-AZ with automatic failover needs a replica"},
    {.name = "lookups", .bind = scn__bind_sub, .type = "section", .min = 1, .max = 0,
     .sub = &redis_lookup_section, .doc = "Look-ups per request."},
    {.name = "hit_ratio", .bind = scn__bind_percent, .off = OFF(redis.hit_ratio), .def = "95%",
     .type = "percent", .min = 0, .max = 1, .range = "0%..100%",
     .doc = "Share of look-ups found.", .source = "ASSUMPTION: measure yours (keyspace_hits)"},
    {.name = "miss_queries", .bind = scn__bind_count, .off = OFF(redis.miss_queries),
     .def = "1", .type = "number", .min = 0, .max = 1000, .range = "0..1000",
     .doc = "Database queries a miss costs (then the value is cached).", .source = "ASSUMPTION"},
    {.name = "ops_per_s", .bind = scn__bind_count, .off = OFF(redis.ops_per_s), .def = "0",
     .type = "number", .min = 0, .max = 1e9, .range = ">= 0",
     .doc = "Operations per second a node serves; 0: the node type's figure in the pricing "
            "file."},
    {.name = "failover_time", .bind = scn__bind_dist, .off = OFF(redis.failover_time),
     .def = "0s", .type = "distribution", .min = 1, .max = 0,
     .doc = "cache_failover event: from the primary's loss until a promoted replica serves; "
            "required by that event (0s: not given).",
     .source = "none public: AWS documents the promotion but gives no duration; measure yours "
               "(test-failover)"},
};
static const section redis_section = {"redis", "ElastiCache for Redis.", redis_keys,
                                      NKEYS(redis_keys)};

/* ---------------------------------------------------------------- HPA */

static const char *const policy_types[] = {"pods", "percent", NULL};
static const char *const select_names[] = {"max", "min", "disabled", NULL};

static const key policy_keys[] = {
    {.name = "type",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_hpa_policy, type),
     .def = NULL,
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "pods, percent",
     .choices = policy_types,
     .doc = "Pods: add or remove up to `value` pods per period; Percent: up to `value`% of the "
            "replicas at the period's start."},
    {.name = "value",
     .bind = scn__bind_int,
     .off = offsetof(mdl_hpa_policy, value),
     .def = NULL,
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = "1..100000",
     .doc = "Pods or percent."},
    {.name = "period",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_hpa_policy, period),
     .def = NULL,
     .type = "duration",
     .min = 1e9,
     .max = 1800e9,
     .range = "1s..1800s",
     .doc = "periodSeconds.",
     .source = "autoscaling/v2: at most 1800 s"},
};
static const section policy_section = {"hpa.scale_up.policies[]",
                                       "One scaling policy (HPAScalingPolicy); the same for "
                                       "scale_down.",
                                       policy_keys, NKEYS(policy_keys)};

#define RULES(dir, stab, stabsrc, pol, polsrc)                                                     \
    {.name = "stabilization",                                                                      \
     .bind = scn__bind_duration,                                                                   \
     .off = OFF(hpa.dir.stabilization),                                                            \
     .def = stab,                                                                                  \
     .type = "duration",                                                                           \
     .min = 0,                                                                                     \
     .max = 3600e9,                                                                                \
     .range = "0s..1h",                                                                            \
     .doc = "stabilizationWindowSeconds.",                                                         \
     .source = stabsrc},                                                                           \
        {.name = "select",                                                                         \
         .bind = scn__bind_enum,                                                                   \
         .off = OFF(hpa.dir.select),                                                               \
         .def = "max",                                                                             \
         .type = "choice",                                                                         \
         .min = 1,                                                                                 \
         .max = 0,                                                                                 \
         .range = "max, min, disabled",                                                            \
         .choices = select_names,                                                                  \
         .doc = "selectPolicy: the policy allowing the largest (max) or smallest (min) change.",   \
         .source = "autoscaling/v2 default Max"},                                                  \
    {                                                                                              \
        .name = "policies", .bind = scn__bind_list, .off = OFF(hpa.dir.policies),                  \
        .size = sizeof(mdl_hpa_policy), .def = pol, .type = "list", .min = 1,                      \
        .max = MDL_HPA_MAX_POLICIES, .sub = &policy_section, .doc = "The scaling policies.",       \
        .source = polsrc, .count_off = OFF(hpa.dir.npolicies)                                      \
    }

static const key up_keys[] = {
    RULES(up, "0s", "Kubernetes default behaviour: scale-up window 0 s",
          "[{type: percent, value: 100, period: 15s}, {type: pods, value: 4, period: 15s}]",
          "Kubernetes default: 100% or 4 pods per 15 s, the larger (HPA docs, behaviour.md §1)"),
};
static const section up_section = {"hpa.scale_up", "spec.behavior.scaleUp.", up_keys,
                                   NKEYS(up_keys)};
static const key down_keys[] = {
    RULES(down, "300s", "Kubernetes default: scale-down window 300 s",
          "[{type: percent, value: 100, period: 15s}]",
          "Kubernetes default: 100% per 15 s (HPA docs, behaviour.md §1)"),
};
static const section down_section = {"hpa.scale_down", "spec.behavior.scaleDown.", down_keys,
                                     NKEYS(down_keys)};

static const key hpa_keys[] = {
    {.name = "enabled",
     .bind = scn__bind_bool,
     .off = OFF(hpa.enabled),
     .def = "false",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "Autoscale the API's pods; false: `api.replicas` stays fixed."},
    {.name = "min_replicas",
     .bind = scn__bind_int,
     .off = OFF(hpa.min_replicas),
     .def = "1",
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = "1..100000",
     .doc = "minReplicas.",
     .source = "autoscaling/v2 default 1 (the seed sets 3)"},
    {.name = "max_replicas",
     .bind = scn__bind_int,
     .off = OFF(hpa.max_replicas),
     .def = "10",
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = "1..100000",
     .doc = "maxReplicas.",
     .source = "required by the API; 10 here only so a bare `enabled: true` runs (the seed "
               "sets 50)"},
    {.name = "cpu_target",
     .bind = scn__bind_int_percent,
     .off = OFF(hpa.cpu_target),
     .def = "0%",
     .type = "percent",
     .min = 0,
     .max = 100,
     .range = "0% (none) or a whole percent",
     .doc = "averageUtilization of CPU relative to requests; 0%: no CPU metric.",
     .source = "seed §5.3: 70%"},
    {.name = "memory_target",
     .bind = scn__bind_int_percent,
     .off = OFF(hpa.memory_target),
     .def = "0%",
     .type = "percent",
     .min = 0,
     .max = 100,
     .range = "0% (none) or a whole percent",
     .doc = "averageUtilization of memory relative to requests; 0%: no memory metric.",
     .source = "seed §5.3: 80%"},
    {.name = "tolerance",
     .bind = scn__bind_percent,
     .off = OFF(hpa.tolerance),
     .def = "10%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "No change while |usage/target − 1| is within it.",
     .source = "--horizontal-pod-autoscaler-tolerance 0.1 (behaviour.md §1)"},
    {.name = "sync_period",
     .bind = scn__bind_duration,
     .off = OFF(hpa.sync_period),
     .def = "15s",
     .type = "duration",
     .min = 1e9,
     .max = 600e9,
     .range = "1s..10m",
     .doc = "How often the controller runs.",
     .source = "--horizontal-pod-autoscaler-sync-period 15 s"},
    {.name = "cpu_initialization_period",
     .bind = scn__bind_duration,
     .off = OFF(hpa.cpu_initialization_period),
     .def = "5m",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "After a pod starts, CPU samples count only once taken fully while it is Ready.",
     .source = "--horizontal-pod-autoscaler-cpu-initialization-period 5 min"},
    {.name = "initial_readiness_delay",
     .bind = scn__bind_duration,
     .off = OFF(hpa.initial_readiness_delay),
     .def = "30s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "Unready pods this young are 'not yet ready'.",
     .source = "--horizontal-pod-autoscaler-initial-readiness-delay 30 s"},
    {.name = "scale_up",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &up_section,
     .doc = "behavior.scaleUp."},
    {.name = "scale_down",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &down_section,
     .doc = "behavior.scaleDown."},
};
static const section hpa_section = {"hpa", "The API's HorizontalPodAutoscaler (autoscaling/v2).",
                                    hpa_keys, NKEYS(hpa_keys)};

static const key metrics_keys[] = {
    {.name = "resolution",
     .bind = scn__bind_duration,
     .off = OFF(metrics_resolution),
     .def = "15s",
     .type = "duration",
     .min = 10e9,
     .max = 600e9,
     .range = "10s..10m",
     .doc = "How often metrics-server scrapes pods; a CPU sample averages over this window.",
     .source = "metrics-server manifest --metric-resolution=15s (behaviour.md §1)"},
};
static const section metrics_section = {"metrics_server", "metrics-server, the HPA's source.",
                                        metrics_keys, NKEYS(metrics_keys)};

/* ---------------------------------------------------------------- nodes, Karpenter, Spot */

static const char *const capacity_names[] = {"spot", "on-demand", NULL};
static const char *const consolidation_names[] = {"when_empty", "when_empty_or_underutilized",
                                                  NULL};

/* consolidateAfter: a duration, or `never` */
static int bind_duration_or_never(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind == SCN_SCALAR && !strcmp(n->text, "never")) {
        *FIELD(c, k, sim_time) = SIM_NEVER;
        return BASE_OK;
    }
    return scn__bind_duration(k, n, c);
}

static const key nodepool_keys[] = {
    {.name = "name",
     .bind = scn__bind_string,
     .off = offsetof(mdl_nodepool, name),
     .size = 32,
     .def = NULL,
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "The NodePool's name."},
    {.name = "arch",
     .bind = scn__bind_mask,
     .off = offsetof(mdl_nodepool, arch),
     .def = "[arm64, amd64]",
     .type = "list",
     .min = 1,
     .max = 0,
     .range = "arm64, amd64",
     .choices = scn__arch_names,
     .doc = "kubernetes.io/arch values it may launch."},
    {.name = "families",
     .bind = scn__bind_families,
     .off = offsetof(mdl_nodepool, families),
     .def = NULL,
     .type = "list",
     .min = 1,
     .max = 0,
     .doc = "karpenter.k8s.aws/instance-family values it may launch (from the pricing file).",
     .count_off = offsetof(mdl_nodepool, nfamilies)},
    {.name = "capacity",
     .bind = scn__bind_mask,
     .off = offsetof(mdl_nodepool, capacity),
     .def = "[spot, on-demand]",
     .type = "list",
     .min = 1,
     .max = 0,
     .range = "spot, on-demand",
     .choices = capacity_names,
     .doc = "karpenter.sh/capacity-type values; with both, Spot first and On-Demand when "
            "Spot is unavailable.",
     .source = "seed §5.2: Spot -> On-Demand"},
    {.name = "weight",
     .bind = scn__bind_int,
     .off = offsetof(mdl_nodepool, weight),
     .def = "0",
     .type = "integer",
     .min = 0,
     .max = 100,
     .range = "0..100",
     .doc = "Higher-weight pools are tried first.",
     .source = "NodePool spec.weight"},
    {.name = "consolidation",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_nodepool, consolidation),
     .def = "when_empty_or_underutilized",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "when_empty, when_empty_or_underutilized",
     .choices = consolidation_names,
     .doc = "consolidationPolicy.",
     .source = "Karpenter v1 default WhenEmptyOrUnderutilized"},
    {.name = "consolidate_after",
     .bind = bind_duration_or_never,
     .off = offsetof(mdl_nodepool, consolidate_after),
     .def = "0s",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s, or never",
     .doc = "How long a node must go without pod changes before it may be consolidated.",
     .source = "Karpenter v1 default 0s (behaviour.md §3)"},
    {.name = "budget",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_nodepool, budget),
     .def = "10%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Disruption budget: share of the pool's nodes disrupted at once.",
     .source = "Karpenter v1 default nodes: 10%"},
};
static const section nodepool_section = {"karpenter.nodepools[]", "One Karpenter NodePool.",
                                         nodepool_keys, NKEYS(nodepool_keys)};

static const key karpenter_keys[] = {
    {.name = "batch_idle",
     .bind = scn__bind_duration,
     .off = OFF(cluster.batch_idle),
     .def = "1s",
     .type = "duration",
     .min = 0,
     .max = 600e9,
     .range = "0s..10m",
     .doc = "A batch of pending pods closes after this long without a new one.",
     .source = "Karpenter BATCH_IDLE_DURATION 1 s (behaviour.md §3)"},
    {.name = "batch_max",
     .bind = scn__bind_duration,
     .off = OFF(cluster.batch_max),
     .def = "10s",
     .type = "duration",
     .min = 0,
     .max = 600e9,
     .range = "0s..10m",
     .doc = "A batch closes at the latest this long after it opened.",
     .source = "Karpenter BATCH_MAX_DURATION 10 s"},
    {.name = "launch",
     .bind = scn__bind_dist,
     .off = OFF(cluster.launch),
     .def = "{dist: triangular, min: 35s, mode: 55s, max: 100s}",
     .type = "distribution",
     .doc = "From the NodeClaim to a Ready node.",
     .source = "behaviour.md §3: maintainers' 30–40 s, users' 80–100 s (EST)"},
    {.name = "disruption_period",
     .bind = scn__bind_duration,
     .off = OFF(cluster.disruption_period),
     .def = "10s",
     .type = "duration",
     .min = 1e9,
     .max = 600e9,
     .range = "1s..10m",
     .doc = "How often Karpenter looks for nodes to consolidate.",
     .source = "kubernetes-sigs/karpenter disruption controller polling period 10 s (from "
               "memory, unverified)"},
    {.name = "nodepools",
     .bind = scn__bind_list,
     .off = OFF(cluster.pools),
     .size = sizeof(mdl_nodepool),
     .def = "[{name: general-arm64, arch: [arm64], families: [t4g, m7g, c7g, r7g]}, "
            "{name: general-x86, arch: [amd64], families: [t3, m7i, c7i]}, "
            "{name: memory-optimized, arch: [arm64, amd64], families: [r7g]}]",
     .type = "list",
     .min = 1,
     .max = MDL_MAX_POOLS,
     .sub = &nodepool_section,
     .doc = "The NodePools.",
     .source = "seed §5.2 NodePool table",
     .count_off = OFF(cluster.npools)},
};
static const section karpenter_section = {"karpenter", "Karpenter (the node autoscaler).",
                                          karpenter_keys, NKEYS(karpenter_keys)};

static const key system_keys[] = {
    {.name = "instance",
     .bind = scn__bind_string,
     .off = OFF(cluster.system_type),
     .size = 24,
     .def = "t3.medium",
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "Instance type of the system node group.",
     .source = "seed §5.2: t3.medium"},
    {.name = "count",
     .bind = scn__bind_int,
     .off = OFF(cluster.system_nodes),
     .def = "2",
     .type = "integer",
     .min = 0,
     .max = 100,
     .range = "0..100",
     .doc = "Its nodes (On-Demand, fixed, never used by the API's pods).",
     .source = "seed §5.2: 2–3 nodes (§10.2 prices 2)"},
};
static const section system_section = {"nodes.system", "The system node group.", system_keys,
                                       NKEYS(system_keys)};
static const key daemonset_keys[] = {
    {.name = "cpu",
     .bind = scn__bind_cpu,
     .off = OFF(cluster.daemonset_cpu),
     .def = "125m",
     .type = "cpu",
     .min = 0,
     .max = 1e6,
     .range = ">= 0",
     .doc = "DaemonSet CPU requests on every node.",
     .source = "aws-node 25m (amazon-vpc-cni-k8s aws-k8s-cni.yaml) + kube-proxy 100m (EKS "
               "add-on, from memory)"},
    {.name = "memory",
     .bind = scn__bind_memory,
     .off = OFF(cluster.daemonset_memory),
     .def = "0",
     .type = "memory",
     .min = 0,
     .max = 1e15,
     .range = ">= 0",
     .doc = "DaemonSet memory requests on every node.",
     .source = "aws-node and kube-proxy request no memory"},
};
static const section daemonset_section = {"nodes.daemonset", "Per-node overhead.", daemonset_keys,
                                          NKEYS(daemonset_keys)};
static const key nodes_keys[] = {
    {.name = "enabled",
     .bind = scn__bind_bool,
     .off = OFF(cluster.enabled),
     .def = "false",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "Model nodes, scheduling and Karpenter; false: pods need no node and start Ready "
            "(the queueing-theory checks)."},
    {.name = "system",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &system_section,
     .doc = "The system node group."},
    {.name = "daemonset",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &daemonset_section,
     .doc = "DaemonSet overhead per node."},
    {.name = "unreachable_grace",
     .bind = scn__bind_duration,
     .off = OFF(cluster.unreachable_grace),
     .def = "50s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "A node lost without notice (its AZ, node_loss) is marked unreachable after this "
            "long without a status from its kubelet; its pods are still counted meanwhile.",
     .source = "kube-controller-manager --node-monitor-grace-period: 50 s since Kubernetes "
               "1.32 (kubernetes/kubernetes#127352), 40 s before"},
    {.name = "unreachable_toleration",
     .bind = scn__bind_duration,
     .off = OFF(cluster.unreachable_toleration),
     .def = "300s",
     .type = "duration",
     .min = 0,
     .max = 86400e9,
     .range = "0s..1d",
     .doc = "Then its pods tolerate the unreachable taint this long before they are deleted and "
            "the Deployment replaces them elsewhere.",
     .source = "kube-apiserver --default-unreachable-toleration-seconds 300 (DefaultToleration"
               "Seconds admission plugin); Karpenter's node repair, which would act sooner, is "
               "off by default"},
};
static const section nodes_section = {"nodes", "The cluster's nodes.", nodes_keys,
                                      NKEYS(nodes_keys)};

/* spot.discount overrides the pricing file's default for every type; bound into a scratch
 * field and applied in scn_bind once the pricing file is read. */
static const key spot_keys[] = {
    {.name = "discount",
     .bind = scn__bind_percent,
     .off = OFF(cluster.spot_discount_override),
     .def = "(the pricing file's default_discount)",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Spot price as a discount off On-Demand, for every type."},
    {.name = "interruption_rate",
     .bind = scn__bind_monthly_share,
     .off = OFF(cluster.spot_interruption_rate),
     .def = "5%",
     .type = "percent",
     .min = 0,
     .max = 0.999,
     .range = "0%..99.9%",
     .doc = "Share of Spot nodes interrupted within a month (the Spot Instance Advisor's "
            "frequency of interruption), as a constant hazard per node.",
     .source = "AWS Spot Instance Advisor: historically < 5% (behaviour.md §4)"},
    {.name = "notice",
     .bind = scn__bind_duration,
     .off = OFF(cluster.spot_notice),
     .def = "2m",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "Interruption warning before the instance stops.",
     .source = "EC2 user guide: 2-minute notice"},
};
static const section spot_section = {"spot", "EC2 Spot.", spot_keys, NKEYS(spot_keys)};

/* ---------------------------------------------------------------- events */

static const char *const event_names[] = {"spot_storm",     "spot_unavailable", "deploy",
                                          "db_failover",    "cache_failover",   "az_failure",
                                          "region_failure", "data_corruption",
                                          "accidental_delete", "node_loss", NULL};
static const char *const az_names[] = {"a", "b", "c", NULL};
static const char *const strategy_names[] = {"rolling", "canary", "blue_green", NULL};

static const key event_keys[] = {
    {.name = "type",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_event, type),
     .def = NULL,
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "spot_storm, spot_unavailable, deploy, db_failover, cache_failover, az_failure, "
              "region_failure, data_corruption, accidental_delete, node_loss",
     .choices = event_names,
     .doc = "What happens. db_failover: the database's primary (writer) is lost and the "
            "Multi-AZ standby (an Aurora reader) takes over after database.failover_time "
            "(database.aurora.failover_time); cache_failover: the Redis primary is lost and a "
            "replica is promoted after redis.failover_time."},
    {.name = "at",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, at),
     .def = NULL,
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "When, from the start of the scenario."},
    {.name = "duration",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, duration),
     .def = "10m",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "spot_unavailable: how long no Spot capacity is to be had."},
    {.name = "share",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, share),
     .def = "100%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "spot_storm: share of the Spot nodes that get the notice."},
    {.name = "strategy",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_event, strategy),
     .def = "rolling",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "rolling, canary, blue_green",
     .choices = strategy_names,
     .doc = "deploy: how the new version replaces the old.",
     .source = "seed §8.3"},
    {.name = "max_surge",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, max_surge),
     .def = "25%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "deploy rolling: extra pods above the replica count (rounded up).",
     .source = "Deployment default maxSurge 25%"},
    {.name = "max_unavailable",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, max_unavailable),
     .def = "25%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "deploy rolling: pods that may be unavailable (rounded down).",
     .source = "Deployment default maxUnavailable 25%"},
    {.name = "canary_weight",
     .bind = scn__bind_percent,
     .off = offsetof(mdl_event, canary_weight),
     .def = "10%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "deploy canary: share of pods (and traffic) on the new version before 100%.",
     .source = "seed §8.3: canary 10% -> 100%"},
    {.name = "count",
     .bind = scn__bind_int,
     .off = offsetof(mdl_event, count),
     .def = "1",
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = ">= 1",
     .doc = "node_loss: how many Karpenter nodes are lost at once (chosen at random); their pods' "
            "requests fail and the Deployment replaces them."},
    {.name = "every",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, every),
     .def = "0s",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "A random fault: it recurs from `at` on as a Poisson process with this mean interval "
            "(node_loss, spot_storm, db_failover, cache_failover). 0s: once, at `at`. Every "
            "occurrence is drawn when the run starts: at most a million expected in a run, all "
            "random events together (MDL_MAX_RANDOM_FAULTS)."},
    {.name = "az",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_event, az),
     .def = "a",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "a, b, c",
     .choices = az_names,
     .doc = "az_failure: the AZ lost. Its nodes go at once (their pods' requests fail, the "
            "Deployment replaces them elsewhere, Karpenter launches only in the others); in AZ a "
            "the database primary (Multi-AZ: failover; Single-AZ: database.restore_time) and the "
            "Redis primary (cache failover) go too.",
     .source = "seed §4.1: three AZs; §6.2 primary with a standby in another AZ"},
    {.name = "canary_pause",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_event, canary_pause),
     .def = "5m",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s",
     .doc = "deploy canary: how long the canary runs before going to 100%.",
     .source = "ASSUMPTION: the seed gives no pause"},
};
static const section event_section = {"events[]", "One event.", event_keys, NKEYS(event_keys)};

/* month.mix[].scenario: a path relative to the file that names it, which must exist (the parts
 * run when the month is priced: a typo should be found now, at its line). */
static int bind_month_scenario(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SCALAR || !n->text[0])
        return scn__at(c, n, "expected the path of a scenario file");
    mdl_month_part *p = (mdl_month_part *)(void *)c->base;
    const char *slash = strrchr(n->file, '/');
    int len;
    if (n->text[0] == '/' || !slash)
        len = snprintf(p->scenario, sizeof p->scenario, "%s", n->text);
    else
        len = snprintf(p->scenario, sizeof p->scenario, "%.*s/%s", (int)(slash - n->file),
                       n->file, n->text);
    if (len < 0 || (size_t)len >= sizeof p->scenario)
        return scn__at(c, n, "path is too long");
    FILE *f; /* a regular file: opening a FIFO here would block */
    base_err e;
    if (base_open_regular(p->scenario, 0, &f, &e) != BASE_OK)
        return scn__at(c, n, "cannot read scenario '%s': %s", p->scenario,
                       strncmp(e.msg, "cannot read: ", 13) ? e.msg : e.msg + 13);
    fclose(f);
    return BASE_OK;
}

static const key month_part_keys[] = {
    {.name = "scenario",
     .bind = bind_month_scenario,
     .type = "path",
     .min = 1,
     .max = 0,
     .doc = "Another scenario whose window is part of the month (relative to this file); it runs "
            "with this run's seed and replications, and its usage is priced with its own "
            "architecture."},
    {.name = "repeat",
     .bind = scn__bind_count,
     .off = offsetof(mdl_month_part, repeat),
     .type = "number",
     .min = 1e-9,
     .max = 1e6,
     .range = "> 0",
     .doc = "How many times that scenario's window counts in the month."},
};
static const section month_part_section = {"month.mix[]", "One part of a month mix.",
                                           month_part_keys, NKEYS(month_part_keys)};

static const key month_keys[] = {
    {.name = "repeat",
     .bind = scn__bind_count,
     .off = OFF(month.repeat),
     .def = "(none: the window scaled to 730 hours)",
     .type = "number",
     .min = 1e-9,
     .max = 1e6,
     .range = "> 0",
     .doc = "How many times this scenario's window counts in the month: 30 for a representative "
            "day. Without it the window's usage is scaled to a 730-hour month.",
     .source = "AWS prices a month as 730 hours (reference/aws-prices.md §2)"},
    {.name = "mix",
     .bind = scn__bind_list,
     .off = OFF(month.mix),
     .size = sizeof(mdl_month_part),
     .def = "[]",
     .type = "list",
     .min = 0,
     .max = MDL_MAX_MONTH_PARTS,
     .sub = &month_part_section,
     .doc = "Other scenarios' windows that make up the month with this one (needs `repeat`), "
            "e.g. 29 ordinary days here and `{scenario: black-friday.yaml, repeat: 1}`.",
     .count_off = OFF(month.nmix)},
};
static const key network_keys[] = {
    {.name = "query_bytes",
     .bind = scn__bind_memory,
     .off = OFF(extras.query_bytes),
     .def = "2k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Bytes on the wire per database query and its result, both ways (inter-AZ data "
            "transfer).",
     .source = "ASSUMPTION: a statement and a few rows of a web API's look-up"},
    {.name = "cache_op_bytes",
     .bind = scn__bind_memory,
     .off = OFF(extras.cache_op_bytes),
     .def = "1k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Bytes on the wire per Redis operation, both ways.",
     .source = "ASSUMPTION: a session key and its value"},
    {.name = "cross_az_share",
     .bind = scn__bind_percent,
     .off = OFF(extras.cross_az_share),
     .def = "67%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Share of the pods' database and Redis traffic that crosses an AZ boundary: with pods "
            "spread evenly over three AZs and the primary in one, two in three.",
     .source = "seed §4.1: three AZs; pods spread by topology (two of three cross)"},
};
static const section network_section = {"network", "Bytes the cost model prices as data transfer.",
                                        network_keys, NKEYS(network_keys)};

static const key secrets_keys[] = {
    {.name = "count",
     .bind = scn__bind_int,
     .off = OFF(extras.secrets),
     .def = "3",
     .type = "integer",
     .min = 0,
     .max = 100000,
     .range = ">= 0",
     .doc = "Secrets kept in AWS Secrets Manager.",
     .source = "seed §7: \"Database passwords, API keys, OAuth secrets\" (one each)"},
    {.name = "refresh",
     .bind = scn__bind_duration,
     .off = OFF(extras.secrets_refresh),
     .def = "1h",
     .type = "duration",
     .min = 1e9,
     .max = 1e18,
     .range = ">= 1s",
     .doc = "How often External Secrets Operator reads each secret (one API call).",
     .source = "External Secrets Operator ExternalSecret spec: refreshInterval defaults to 1h0m0s"},
};
static const section secrets_section = {"secrets", "AWS Secrets Manager, synced by External "
                                        "Secrets Operator (seed §7).", secrets_keys,
                                        NKEYS(secrets_keys)};

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
static const section dns_section = {"dns", "Route 53.", dns_keys, NKEYS(dns_keys)};

static const char *const alarm_severities[] = {"warning", "critical", NULL};

/* alarms[].name: the figure alarm_fired_NAME, so snake_case */
static int bind_alarm_name(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_string(k, n, c);
    if (st)
        return st;
    for (const char *p = n->text; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return scn__at(c, n, "an alarm's name is lowercase letters, digits and '_' (it "
                                 "names the figure alarm_fired_NAME)");
    return BASE_OK;
}

static const key alarm_keys[] = {
    {.name = "name",
     .bind = bind_alarm_name,
     .off = offsetof(mdl_alarm, name),
     .size = sizeof(((mdl_alarm *)0)->name),
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "The alarm's name (snake_case): the report's figure alarm_fired_NAME."},
    {.name = "metric",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_alarm, metric),
     .type = "choice",
     .min = 1,
     .max = 0,
     .choices = mdl_alarm_metric_names,
     .range = "error_rate, database_cpu, pod_memory, pod_cpu, api_p99",
     .doc = "What it watches: error_rate (% of requests that failed), database_cpu (% of the "
            "primary's or writer's CPU), pod_memory and pod_cpu (% of the pods' requests, as the "
            "HPA reads them), api_p99 (ms)."},
    {.name = "threshold",
     .bind = scn__bind_count,
     .off = offsetof(mdl_alarm, threshold),
     .type = "number",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Breaching above this, in the metric's unit (percent, or ms for api_p99)."},
    {.name = "period",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_alarm, period),
     .def = "1m",
     .type = "duration",
     .min = 1e9,
     .max = 86400e9,
     .range = "a multiple of series_interval",
     .doc = "One datapoint per period (the metric averaged over it).",
     .source = "CloudWatch: 60 s is the standard resolution of a metric's datapoints"},
    {.name = "evaluation_periods",
     .bind = scn__bind_int,
     .off = offsetof(mdl_alarm, evaluation_periods),
     .def = "5",
     .type = "integer",
     .min = 1,
     .max = 10000,
     .range = "1..10000",
     .doc = "Breaching datapoints in a row that put it in ALARM (\"for 5 minutes\": 5 of 1 min).",
     .source = "seed §9.3: \"for 5 minutes\""},
    {.name = "severity",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_alarm, critical),
     .def = "warning",
     .type = "choice",
     .min = 1,
     .max = 0,
     .choices = alarm_severities,
     .range = "warning, critical",
     .doc = "critical pages on-call; warning notifies (seed §9.3).",
     .source = "seed §9.3"},
};
static const section alarm_section = {"alarms[]", "One alarm.", alarm_keys, NKEYS(alarm_keys)};

static const key dr_keys[] = {
    {.name = "enabled", .bind = scn__bind_bool, .off = OFF(dr.enabled), .def = "true",
     .type = "boolean", .min = 1, .max = 0,
     .doc = "A warm-standby DR region: it stands by all month (on the bill as `DR region`: its "
            "EKS control plane, system and warm nodes, the promotable read replica, a warm "
            "Redis, an idle ALB, NAT gateways, and the replication traffic to it), and a "
            "region_failure fails over to it.",
     .source = "seed §12.1: \"DR Strategy: Warm Standby\" in us-west-2 (§12.3)"},
    {.name = "warm_replicas", .bind = scn__bind_int, .off = OFF(dr.warm_replicas), .def = "3",
     .type = "integer", .min = 0, .max = 100000, .range = ">= 0",
     .doc = "API pods already running in the DR region (a warm standby, scaled down); the rest "
            "come as the HPA and Karpenter scale it up.",
     .source = "seed §12.3: EKS cluster \"warm — scaled down\"; 3: the HPA's minimum (§5.3), "
               "ASSUMPTION"},
    {.name = "replica_lag", .bind = scn__bind_dist, .off = OFF(dr.replica_lag),
     .def = "{dist: uniform, min: 1s, max: 10s}", .type = "distribution", .min = 1, .max = 0,
     .doc = "Cross-region replication lag of the DR read replica at the failure: the RPO (with "
            "Aurora: database.aurora.global_lag).",
     .source = "behaviour.md: asynchronous, \"typically seconds, can grow to minutes\" (no AWS "
               "figure); 1-10 s ASSUMPTION"},
    {.name = "replica_replay_share", .bind = scn__bind_percent,
     .off = OFF(dr.replica_replay_share), .def = "5%", .type = "percent", .min = 0, .max = 1,
     .range = "0%..100%",
     .doc = "RDS: the DR replica replays the primary's WAL in one process, which costs this share "
            "of a write transaction's CPU time (database.queries.api_write x write_time) on one "
            "vCPU. When the writes need more than that vCPU, a backlog builds and the replica "
            "falls behind: its lag (the series' replica_lag_s) and a region failure's RPO are "
            "replica_lag plus that backlog. 0%: replay never falls behind.",
     .source = "PostgreSQL wiki, Parallel Recovery: WAL is replayed \"in a single thread\"; "
               "Cybertec, End of the road for PostgreSQL streaming replication? (2025): replay "
               "applies physical page changes, no planning or index search, yet one process can "
               "be overwhelmed by many writers; 5% ASSUMPTION (a single-row write's WAL record "
               "against its 2 ms of query CPU)"},
    {.name = "dns_ttl", .bind = scn__bind_duration, .off = OFF(dr.dns_ttl), .def = "60s",
     .type = "duration", .min = 0, .max = 86400e9, .range = "0s..1d",
     .doc = "Clients keep the old DNS answer until their cache expires: after the Route 53 "
            "update they move to the DR region spread evenly over this time, and a request from "
            "one still holding the old answer fails.",
     .source = "behaviour.md: ELB / CloudFront alias records have a fixed 60 s TTL"},
    {.name = "confirm", .bind = scn__bind_dist, .off = OFF(dr.confirm), .def = "5m",
     .type = "distribution", .min = 1, .max = 0,
     .doc = "Runbook step 2: on-call confirms the region failure (after the alarm fires).",
     .source = "seed §12.2 step 2: ~5 min"},
    {.name = "promote", .bind = scn__bind_dist, .off = OFF(dr.promote), .def = "10m",
     .type = "distribution", .min = 1, .max = 0,
     .doc = "Runbook step 3: promote the RDS read replica in the DR region (with Aurora: "
            "database.aurora.global_promote).",
     .source = "seed §12.2 step 3: ~10 min"},
    {.name = "dns_update", .bind = scn__bind_dist, .off = OFF(dr.dns_update), .def = "2m",
     .type = "distribution", .min = 1, .max = 0,
     .doc = "Runbook step 4: update Route 53 to point to the DR region.",
     .source = "seed §12.2 step 4: ~2 min"},
    {.name = "smoke_tests", .bind = scn__bind_dist, .off = OFF(dr.smoke_tests), .def = "5m",
     .type = "distribution", .min = 1, .max = 0,
     .doc = "Runbook step 6: smoke tests confirm the DR region (users are already sent there).",
     .source = "seed §12.2 step 6: ~5 min"},
    {.name = "communicate", .bind = scn__bind_dist, .off = OFF(dr.communicate), .def = "2m",
     .type = "distribution", .min = 1, .max = 0,
     .doc = "Runbook step 7: tell users (status page).",
     .source = "seed §12.2 step 7: ~2 min"},
};
static const section dr_section = {"dr", "The warm-standby DR region and its runbook (seed §12).",
                                   dr_keys, NKEYS(dr_keys)};

static const section month_section = {"month", "How the simulated window becomes a month of cost.",
                                      month_keys, NKEYS(month_keys)};

/* objectives: a list of k6-style strings, each checked by slo_parse now so that a typo is
 * reported at its line. */
static int bind_objectives(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list such as [\"p(99) < 300ms\", \"error_rate < 0.1%%\"]");
    if (n->n > MDL_MAX_OBJECTIVES)
        return scn__at(c, n, "too many objectives (at most %d)", MDL_MAX_OBJECTIVES);
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *v = n->vals[i];
        if (v->kind != SCN_SCALAR || strlen(v->text) >= 64)
            return scn__at(c, v, "expected an objective such as \"p(99) < 300ms\"");
        slo o;
        base_err e;
        if (slo_parse(v->text, &o, &e) != BASE_OK)
            return scn__at(c, v, "%s", e.msg);
        snprintf(c->s->objectives[i], sizeof c->s->objectives[i], "%s", v->text);
    }
    c->s->nobjectives = n->n;
    return BASE_OK;
}

static const key sweep_keys[] = {
    {.name = "from", .bind = scn__bind_count, .off = OFF(sweep.from), .def = NULL,
     .type = "count", .min = 0, .max = 1e12, .range = ">= 0",
     .doc = "Peak concurrent users (or requests/s, when phases give rates) at the first point."},
    {.name = "to", .bind = scn__bind_count, .off = OFF(sweep.to), .def = NULL, .type = "count",
     .min = 0, .max = 1e12, .range = ">= 0", .doc = "... at the last point."},
    {.name = "steps", .bind = scn__bind_int, .off = OFF(sweep.steps), .def = "6",
     .type = "integer", .min = 2, .max = 100, .range = "2..100",
     .doc = "Points, evenly spaced from `from` to `to`."},
};
static const section sweep_section = {"sweep",
                                      "`simulate compare` runs every variant at each load point "
                                      "(the phases scaled so that their peak is the point's "
                                      "value) and looks for the crossover.",
                                      sweep_keys, NKEYS(sweep_keys)};

static int bind_sweep(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_sub(k, n, c);
    if (st == BASE_OK) {
        c->s->sweep.set = true;
        if (c->s->sweep.to <= c->s->sweep.from)
            return scn__at(c, n, "`to` must be above `from`");
    }
    return st;
}

static const key top_keys[] = {
    {"name", scn__bind_string, OFF(name), MDL_NAME_MAX, "(the file name without .yaml)", "string",
     NORANGE, NULL, NULL, "The scenario's name: the report's title and `out/NAME/`.", NULL},
    {"description", scn__bind_string, OFF(description), 512, "\"\"", "string", NORANGE, NULL, NULL,
     "One line saying what the scenario is for.", NULL},
    {"extends", NULL, 0, 0, "none", "path", NORANGE, NULL, NULL,
     "A base scenario this one changes, relative to this file; merged key by key.", NULL},
    {"seed", scn__bind_seed, OFF(seed), 0, "1", "integer", NORANGE, NULL, NULL,
     "Seed of every random stream (`--seed` overrides it).", NULL},
    {"replications", scn__bind_int, OFF(replications), 0, "5", "integer", 1, 1024, "1..1024", NULL,
     NULL,
     "Independent runs; each figure is reported with a 95% confidence interval across "
     "them (`--replications` overrides it).",
     "Law, Simulation Modeling and Analysis (2015) ch. 9: independent replications"},
    {"warmup", scn__bind_duration, OFF(warmup), 0, "0s", "duration", 0, 1e18, ">= 0s", NULL, NULL,
     "Requests arriving before this are not measured (warm-up deletion).", "Law (2015) §9.5.1"},
    {"fidelity", scn__bind_enum, OFF(fidelity), 0, "auto", "choice", NORANGE, fidelity_names, NULL,
     "Which traffic engine plays the scenario: `request` (every request an entity), `flow` "
     "(rates per time step, queueing approximations), or `auto` (the request engine while the "
     "scenario expects at most 4M requests per replication, else the flow engine; `--fidelity` "
     "overrides it).",
     "docs/models.md, \"The flow engine\""},
    {"flow_step", scn__bind_duration, OFF(flow_step), 0, "1s", "duration", 1e6, 3600e9,
     "1ms..1h", NULL, NULL,
     "The flow engine's time step: rates are constant over a step, and the control loops "
     "(HPA, Karpenter) see its metrics.",
     "issue 5: default 1 s"},
    {"traffic", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &traffic_section, "The load.",
     NULL},
    {"cloudfront", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &cdn_section, "The CDN.",
     NULL},
    {"alb", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &alb_section, "The load balancer.",
     NULL},
    {"api", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &api_section, "The API pods.",
     NULL},
    {"database", scn__bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &db_section, "The database.",
     NULL},
    {.name = "pgbouncer", .bind = scn__bind_sub, .type = "section", .min = 1, .max = 0,
     .sub = &pgb_section, .doc = "PgBouncer."},
    {.name = "redis", .bind = scn__bind_sub, .type = "section", .min = 1, .max = 0,
     .sub = &redis_section, .doc = "ElastiCache for Redis."},
    {.name = "hpa",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &hpa_section,
     .doc = "The HorizontalPodAutoscaler."},
    {.name = "metrics_server",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &metrics_section,
     .doc = "metrics-server."},
    {.name = "pricing",
     .bind = scn__bind_pricing,
     .def = "(none: needed when nodes are enabled)",
     .type = "path",
     .min = 1,
     .max = 0,
     .doc = "The pricing and instance catalog, relative to the file that names it (the base "
            "names models/pricing/us-east-1.yaml)."},
    {.name = "nodes",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &nodes_section,
     .doc = "Nodes."},
    {.name = "karpenter",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &karpenter_section,
     .doc = "Karpenter."},
    {.name = "spot",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &spot_section,
     .doc = "Spot."},
    {.name = "events",
     .bind = scn__bind_list,
     .off = OFF(events),
     .size = sizeof(mdl_event),
     .def = "[]",
     .type = "list",
     .min = 0,
     .max = MDL_MAX_EVENTS,
     .sub = &event_section,
     .doc = "Things that happen at a given time: Spot storms and shortages, deploys, database "
            "and cache failovers.",
     .count_off = OFF(nevents)},
    {.name = "objectives", .bind = bind_objectives, .def = "[]", .type = "list", .min = 1,
     .max = 0,
     .doc = "Service objectives, k6-style: \"p(99) < 300ms\" (API latency), \"p_all(95) < 1s\", "
            "\"error_rate < 0.1%\", \"throughput > 100/s\", \"monthly_cost < $5000\", "
            "\"cost_per_million < $2\"; met when the mean across replications satisfies them."},
    {.name = "network",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &network_section,
     .doc = "Data transfer between the tiers."},
    {.name = "secrets",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &secrets_section,
     .doc = "Secrets Manager."},
    {.name = "dns",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &dns_section,
     .doc = "Route 53."},
    {.name = "dr",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &dr_section,
     .doc = "The DR region (region_failure events)."},
    {.name = "alarms",
     .bind = scn__bind_list,
     .off = OFF(alarms),
     .size = sizeof(mdl_alarm),
     .def = "(the seed's: see docs/models.md, \"Alarms\")",
     .type = "list",
     .min = 0,
     .max = MDL_MAX_ALARMS,
     .sub = &alarm_section,
     .doc = "CloudWatch-style alarms evaluated on the simulated metrics; a list here replaces "
            "the seed's (§9.3), `[]` turns them off.",
     .count_off = OFF(nalarms)},
    {.name = "month",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &month_section,
     .doc = "How the window becomes a month of cost (default: scaled to 730 hours)."},
    {.name = "variants", .def = "none", .type = "mapping", .min = 1, .max = 0,
     .doc = "Named variants of this scenario for `simulate compare`: each maps to keys merged "
            "over the rest of the file (as `extends` merges)."},
    {.name = "plan", .def = "none", .type = "mapping", .min = 1, .max = 0,
     .doc = "The search of `simulate plan`: knobs over scenario keys, failures to survive, what "
            "to minimise (docs/plan.md)."},
    {.name = "sweep", .bind = bind_sweep, .def = "(none)", .type = "section", .min = 1, .max = 0,
     .sub = &sweep_section, .doc = "A load sweep for `simulate compare`."},
    {.name = "series_interval",
     .bind = scn__bind_duration,
     .off = OFF(series_resolution),
     .def = "10s",
     .type = "duration",
     .min = 1e9,
     .max = 3600e9,
     .range = "1s..1h",
     .doc = "Resolution of the time series in the report."},
};
static const section top_section = {"", "The scenario file's top level.", top_keys,
                                    NKEYS(top_keys)};

static int bind_phases(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    mdl_traffic_config *t = &c->s->traffic;
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list of phases, found %s", scn__kind_word(n));
    if (n->n == 0)
        return scn__at(c, n, "needs at least one phase");
    if (n->n > MDL_MAX_PHASES)
        return scn__at(c, n, "too many phases (%zu; at most %d)", n->n, MDL_MAX_PHASES);
    t->nphases = n->n;
    int mode = -1; /* 0 users, 1 rate */
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *p = n->vals[i];
        mdl_phase *ph = &t->phases[i];
        size_t saved = strlen(c->path);
        snprintf(c->path + saved, sizeof c->path - saved, "[%zu]", i);
        int st = BASE_OK;
        if (p->kind != SCN_MAP) {
            st = scn__at(c, p,
                         "expected a phase (a mapping with duration and users or rate), found %s",
                         scn__kind_word(p));
            scn__path_pop(c, saved);
            return st;
        }
        if ((st = scn__check_known(&phase_section, p, c))) {
            scn__path_pop(c, saved);
            return st;
        }
        const scn_node *name = scn_map_get(p, "name"), *dur = scn_map_get(p, "duration"),
                       *users = scn_map_get(p, "users"), *rate = scn_map_get(p, "rate"),
                       *ramp = scn_map_get(p, "ramp_to");
        base_err e;
        int64_t d;
        double from = 0, to;
        if (name && (name->kind != SCN_SCALAR || strlen(name->text) >= MDL_NAME_MAX))
            st = scn__at(c, name, "name must be a string of at most %d characters",
                         MDL_NAME_MAX - 1);
        else if (!dur)
            st = scn__at(c, p, "missing key 'duration'");
        else if (dur->kind != SCN_SCALAR || scn_parse_duration(dur->text, &d, &e) != BASE_OK)
            st = dur->kind != SCN_SCALAR ? scn__at(c, dur, "duration: expected a duration")
                                         : scn__at(c, dur, "duration '%s': %s", dur->text, e.msg);
        else if (d <= 0)
            st = scn__at(c, dur, "duration must be above 0s");
        else if (!users && !rate)
            st = scn__at(c, p, "a phase needs 'users' (concurrent users) or 'rate' (requests/s)");
        else if (users && rate)
            st = scn__at(c, rate, "give 'users' or 'rate', not both");
        else if (mode >= 0 && mode != (rate != NULL))
            st = scn__at(c, rate ? rate : users,
                         "every phase must use the same measure: the first uses '%s'",
                         mode ? "rate" : "users");
        if (!st) {
            mode = rate != NULL;
            const scn_node *v = rate ? rate : users;
            int bad =
                v->kind != SCN_SCALAR || (mode ? scn_parse_rate(v->text, &from, &e)
                                               : scn_parse_count(v->text, &from, &e)) != BASE_OK;
            if (bad)
                st = v->kind != SCN_SCALAR
                         ? scn__at(c, v, "%s: expected a value", mode ? "rate" : "users")
                         : scn__at(c, v, "%s '%s': %s", mode ? "rate" : "users", v->text, e.msg);
        }
        to = from;
        if (!st && ramp) {
            int bad = ramp->kind != SCN_SCALAR ||
                      (mode ? scn_parse_rate(ramp->text, &to, &e)
                            : scn_parse_count(ramp->text, &to, &e)) != BASE_OK;
            if (bad)
                st = ramp->kind != SCN_SCALAR
                         ? scn__at(c, ramp, "ramp_to: expected a value")
                         : scn__at(c, ramp, "ramp_to '%s': %s%s", ramp->text, e.msg,
                                   mode ? " (this phase gives a rate, e.g. 50/s)" : "");
        }
        if (!st && (from > 1e12 || to > 1e12))
            st = scn__at(c, ramp ? ramp : (rate ? rate : users), "too large (at most 1e12)");
        scn__path_pop(c, saved);
        if (st)
            return st;
        if (name)
            snprintf(ph->name, sizeof ph->name, "%s", name->text);
        else
            snprintf(ph->name, sizeof ph->name, "phase %zu", i + 1);
        ph->duration = d;
        ph->from = from;
        ph->to = to;
    }
    t->by_rate = mode == 1;
    return BASE_OK;
}

/* The node at a dotted path ("traffic.mix"), or the nearest existing ancestor. */
static const scn_node *find_path(const scn_node *root, const char *path)
{
    const scn_node *n = root;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok;
         tok = strtok_r(NULL, ".", &save)) {
        const scn_node *next = NULL;
        char *end;
        unsigned long i = strtoul(tok, &end, 10);
        if (n->kind == SCN_SEQ && *end == '\0' && end != tok)
            next = i < n->n ? n->vals[i] : NULL; /* "events.2": the third item */
        else
            next = scn_map_get(n, tok);
        if (!next)
            break;
        n = next;
    }
    return n;
}

int scn_bind(const scn_doc *doc, mdl_scenario *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    bctx c;
    memset(&c, 0, sizeof c);
    c.s = out;
    c.base = (char *)out;
    out->cluster.spot_discount_override = -1; /* "(the pricing file's default_discount)" */
    out->nalarms = mdl_alarm_defaults(out->alarms); /* "(the seed's)"; a list replaces them */
    c.err = err;
    const scn_node *root = scn_doc_root(doc);
    int st = scn__bind_section_node(&top_section, root, root, &c);
    if (st)
        return st;
    mdl_catalog *cat = &out->cluster.catalog;
    for (size_t i = 0; i < cat->n; i++)
        cat->types[i].spot_discount = out->cluster.spot_discount_override >= 0
                                          ? out->cluster.spot_discount_override
                                          : out->cluster.spot_discount_default;
    /* names in the pricing file, resolved to indices */
    out->db.db_class = -1;
    for (size_t i = 0; i < cat->ndb; i++)
        if (!strcmp(cat->db[i].name, out->db.instance_class))
            out->db.db_class = (int)i;
    out->redis.cache_type = -1;
    for (size_t i = 0; i < cat->ncache; i++)
        if (!strcmp(cat->cache[i].name, out->redis.node_type))
            out->redis.cache_type = (int)i;
    char culprit[64] = "";
    if ((st = mdl_scenario_check(out, culprit, sizeof culprit, err)) != BASE_OK) {
        const scn_node *n = culprit[0] ? find_path(root, culprit) : root;
        err->line = n->line;
        err->col = n->col;
        snprintf(err->file, sizeof err->file, "%s", n->file);
    }
    return st;
}

int scn_load(const char *path, mdl_scenario *out, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    st = scn_bind(doc, out, err);
    if (st == BASE_OK && !out->name[0]) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(out->name, sizeof out->name, "%s", base);
        char *dot = strrchr(out->name, '.');
        if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
            *dot = '\0';
    }
    scn_doc_free(doc);
    return st;
}

/* ---------------------------------------------------------------- assumptions */

/* A value that is a sequence or a mapping as flow-style YAML text ("[a, b]", "{dist: uniform,
 * min: 60s}"), truncated to the buffer. */
static size_t node_text(const scn_node *n, char *out, size_t size)
{
    if (size == 0)
        return 0;
    if (n->kind == SCN_SCALAR)
        return (size_t)snprintf(out, size, "%s", n->text);
    size_t len = (size_t)snprintf(out, size, "%s", n->kind == SCN_SEQ ? "[" : "{");
    for (size_t i = 0; i < n->n && len < size; i++) {
        len += (size_t)snprintf(out + len, size - len, "%s", i ? ", " : "");
        if (len < size && n->kind == SCN_MAP)
            len += (size_t)snprintf(out + len, size - len, "%s: ", n->keys[i]->text);
        if (len < size)
            len += node_text(n->vals[i], out + len, size - len);
    }
    if (len < size)
        len += (size_t)snprintf(out + len, size - len, "%s", n->kind == SCN_SEQ ? "]" : "}");
    return len < size ? len : size - 1;
}

static int walk_assumptions(const section *sec, const scn_node *map, scn_assumption_fn fn,
                            void *ctx)
{
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        const scn_node *n = map && map->kind == SCN_MAP ? scn_map_get(map, k->name) : NULL;
        if (k->sub) {
            size_t len = strlen(k->sub->name);
            if (len >= 2 && strcmp(k->sub->name + len - 2, "[]") == 0)
                continue; /* lists (phases, events, node pools): the scenario's own content */
            int rc = walk_assumptions(k->sub, n, fn, ctx);
            if (rc)
                return rc;
            continue;
        }
        char path[256], seq[1024];
        snprintf(path, sizeof path, "%s%s%s", sec->name, sec->name[0] ? "." : "", k->name);
        scn_assumption a = {.key = path, .type = k->type, .source = k->source};
        if (n && n->kind == SCN_SCALAR) {
            a.value = n->text;
            a.file = n->file;
            a.line = n->line;
        } else if (n) {
            node_text(n, seq, sizeof seq);
            a.value = seq;
            a.file = n->file;
            a.line = n->line;
        } else if (k->def && strcmp(path, "plan") != 0) { /* plan: simulate plan's, not a run's */
            a.value = k->def;
        } else {
            continue; /* not set, no default: the model does without it */
        }
        int rc = fn(ctx, &a);
        if (rc)
            return rc;
    }
    return 0;
}

int scn_assumptions(const char *path, scn_assumption_fn fn, void *ctx, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    st = walk_assumptions(&top_section, scn_doc_root(doc), fn, ctx);
    scn_doc_free(doc);
    return st;
}

/* ---------------------------------------------------------------- documentation */

static void md_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s, f);
    }
}

static void md_section(FILE *f, const section *sec)
{
    fprintf(f, "\n### `%s`\n\n%s\n\n", sec->name[0] ? sec->name : "(top level)", sec->doc);
    fputs("| key | type | default | range | meaning | source of the default |\n", f);
    fputs("|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        fprintf(f, "| `%s%s%s` | %s | ", sec->name, sec->name[0] ? "." : "", k->name, k->type);
        if (k->sub)
            fputs("see below", f);
        else if (k->def)
            fprintf(f, "`%s`", k->def);
        else
            fputs("**required**", f);
        fputs(" | ", f);
        md_escape(f, k->range ? k->range : (k->choices ? "" : "–"));
        if (k->choices)
            for (size_t j = 0; k->choices[j]; j++)
                fprintf(f, "%s`%s`", j ? ", " : "", k->choices[j]);
        fputs(" | ", f);
        md_escape(f, k->doc);
        fputs(" | ", f);
        md_escape(f, k->source ? k->source : "–");
        fputs(" |\n", f);
    }
    for (size_t i = 0; i < sec->nkeys; i++)
        if (sec->keys[i].sub)
            md_section(f, sec->keys[i].sub);
}

void scn_keys_markdown(FILE *f)
{
    md_section(f, &top_section);
}
