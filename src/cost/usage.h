/*
 * usage.h — what a simulated run used, in the units the cost model prices: node-seconds by
 * instance type, requests and bytes, database and cache time. Part of cost.h, the public face
 * of src/cost/; a header of its own, including nothing but the catalog, because the engine
 * fills it (engine.h includes it) while the cost model, which reads it, sits beside the engine,
 * not under it: the engine calls nothing of the cost room and the cost room nothing of the
 * engine (docs/architecture.md, "Rooms and arrows").
 */
#ifndef SIMULATE_COST_USAGE_H
#define SIMULATE_COST_USAGE_H

#include "cost/catalog.h"

/* What a replication used, over the whole run: the engines' components meter it (their `meter`
 * slot, src/engine/component.h), the cost model prices it (cost_price). */
typedef struct cost_usage {
    double seconds;                         /* simulated time metered */
    double node_seconds[COST_MAX_TYPES][2]; /* by catalog type; [0] Spot, [1] On-Demand */
    double cdn_requests, cdn_bytes;         /* requests and bytes CloudFront served to viewers */
    double origin_requests, origin_bytes;   /* S3 GETs on static misses */
    double alb_requests, alb_bytes;         /* through the ALB (requests + responses) */
    double alb_peak_rps;                    /* the busiest second's requests (an LCU dimension) */
    double image_pulls;                     /* pulls of the API image onto a node (NAT bytes) */
    double db_queries;
    double db_write_queries;     /* of them, the API writes' (replicated to the DR region) */
    double cache_ops;            /* Redis look-ups served (inter-AZ bytes) */
    double lcu_hours;            /* ALB LCU-hours: each hour, the largest of its dimensions */
    double db_primary_seconds;   /* RDS primary instance time (a Multi-AZ standby is priced
                                  * by the Multi-AZ rate, not metered apart) */
    double db_replica_seconds;   /* RDS read replicas, summed */
    double db_surplus_credits;   /* RDS burstable classes: CPU credits (vCPU-minutes) each
                                  * instance spent beyond those it earned, summed (unlimited
                                  * mode bills them; 0 in standard mode) */
    double db_throttled_seconds; /* standard mode: instance-seconds held to the baseline */
    double node_surplus_credits[COST_MAX_TYPES]; /* burstable node types: CPU credits their
                                                  * nodes spent beyond those earned, summed */
    double acu_seconds;        /* Aurora Serverless v2: ACUs × s, writer and readers */
    double aurora_io;          /* Aurora storage I/O requests */
    double cache_node_seconds; /* ElastiCache nodes × s */
    double nat_bytes;          /* through the NAT gateways (image pulls from ECR) */
} cost_usage;

#endif
