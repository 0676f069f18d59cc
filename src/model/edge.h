/*
 * edge.h — the edge: CloudFront and the ALB's settings.
 * Part of model.h, the public face of src/model/ (include that); a header of its own so that
 * a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_EDGE_H
#define SIMULATE_MODEL_EDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

typedef struct mdl_cdn_config {
    bool enabled;            /* false: requests reach the ALB directly, statics are not served */
    double static_hit_ratio; /* share of static requests served from the edge cache */
    /* Popularity model of the static assets; when static_objects > 0 it replaces
     * static_hit_ratio by a derived value (Che's approximation or the TTL formula). */
    double static_objects;     /* distinct assets */
    double zipf_alpha;         /* Zipf exponent of their popularity */
    double cache_objects;      /* LRU capacity of an edge cache, in objects; 0: use ttl */
    sim_time ttl;              /* TTL cache: an asset stays this long after a miss */
    double api_cacheable;      /* share of api_read requests whose path is cacheable at the edge */
    double api_hit_ratio;      /* of those, share served from the edge */
    sim_dist edge_latency;     /* time spent at the edge for every request */
    sim_dist origin_latency;   /* S3 first byte on a static miss */
    sim_time origin_keepalive; /* an idle connection to the ALB closes after this (LCUs) */
    double origin_sources;     /* CloudFront servers each keeping its own connection to the ALB */
} mdl_cdn_config;

typedef enum mdl_alb_algorithm {
    MDL_ALB_ROUND_ROBIN = 0,
    MDL_ALB_LEAST_OUTSTANDING
} mdl_alb_algorithm;

typedef struct mdl_alb_config {
    mdl_alb_algorithm algorithm;
    sim_dist latency;              /* request + response processing added by the ALB */
    sim_time idle_timeout;         /* 504 when the target has not answered; 0: no timeout */
    sim_time hc_interval;          /* target health check interval */
    int hc_healthy;                /* consecutive passes before a failed target is healthy again */
    int hc_unhealthy;              /* consecutive failures before a target is unhealthy */
    sim_time deregistration_delay; /* a deregistered target keeps in-flight requests this long */
    sim_time client_keepalive;     /* without CloudFront: a client's idle connection closes after
                                    * this (LCUs) */
} mdl_alb_config;

#endif
