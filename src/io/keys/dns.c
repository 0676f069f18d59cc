/*
 * keys/dns.c — the scenario keys of dns: Route 53 hosted zones and the primary region's health
 * check.
 */
#include "io/keys/keys.h"

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
