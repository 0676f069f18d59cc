/*
 * keys/alb.c — the scenario keys of alb: the Application Load Balancer and its target health
 * checks.
 */
#include "io/keys/keys.h"

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
