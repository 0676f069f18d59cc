/*
 * prices.h — the pricing and instance catalog (the pricing file) and how a window becomes a month
 * of cost. Part of model.h, the public face of src/model/ (include that); a header of its own so
 * that a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_PRICES_H
#define SIMULATE_MODEL_PRICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

/* ---------------------------------------------------------------- instances and NodePools */

enum { MDL_ARCH_AMD64 = 1, MDL_ARCH_ARM64 = 2 };  /* bit masks */
enum { MDL_CAP_SPOT = 1, MDL_CAP_ON_DEMAND = 2 }; /* bit masks */

#define MDL_MAX_TYPES    64
#define MDL_MAX_POOLS    8
#define MDL_MAX_FAMILIES 16

/* One EC2 instance type as a Kubernetes node (models/pricing/REGION.yaml). */
typedef struct mdl_instance_type {
    char name[24];
    char family[12];
    int arch; /* MDL_ARCH_AMD64 or MDL_ARCH_ARM64 */
    int vcpu;
    int64_t memory;       /* bytes */
    int64_t alloc_cpu;    /* millicores a node of this type can give pods (kubelet reserve off) */
    int64_t alloc_memory; /* bytes */
    int max_pods;
    int64_t price;         /* On-Demand, micro-USD per hour */
    double spot_discount;  /* fraction off On-Demand for Spot */
    double baseline;       /* burstable (t3, t4g): CPU share per vCPU its credits pay for; 0: not */
    int64_t surplus_price; /* burstable, unlimited: micro-USD per vCPU-hour beyond the baseline */
    char source[160];
} mdl_instance_type;

#define MDL_MAX_DB_CLASSES  32
#define MDL_MAX_CACHE_TYPES 16

/* A list price and where it comes from: every price of the pricing file carries its source
 * ({price: $X, source: "..."}), and the cost model prints it beside the line it prices. */
typedef struct mdl_price {
    int64_t micro;    /* micro-USD per the unit the field's name says; 0: not offered */
    char source[160]; /* "" only when not offered */
} mdl_price;

/* A tiered price (CloudFront transfer, internet egress, S3 storage...): AWS prices a month's
 * total volume by a ladder of tiers, each tier's units at its own price ("first 10 TB $0.085,
 * next 40 TB $0.080, ..."), after an always-free allowance where the service has one. The
 * ladder is the pricing file's `tiers:` section; an item without one has a flat price. */
#define MDL_MAX_TIERS 8
typedef struct mdl_tier {
    double upto;     /* the month's volume where the tier ends, in the price's unit (cumulative:
                      * 10 TB then 50 TB, not 40 TB); 0: no end (the last tier) */
    mdl_price price; /* per unit within the tier */
} mdl_tier;

typedef struct mdl_tiers {
    double free;           /* always-free units a month, taken before the first tier; 0: none */
    char free_source[160]; /* of `free` */
    mdl_tier tier[MDL_MAX_TIERS];
    size_t n; /* 0: no ladder, the flat price for every unit */
} mdl_tiers;

/* An RDS/Aurora DB instance class. */
typedef struct mdl_db_class {
    char name[24]; /* "db.t3.medium" */
    int vcpu;
    int64_t memory;         /* bytes */
    mdl_price price_single; /* RDS for PostgreSQL, Single-AZ, per hour */
    mdl_price price_multi;  /* RDS for PostgreSQL, Multi-AZ (primary + standby), per hour */
    mdl_price price_aurora; /* Aurora PostgreSQL provisioned (Standard), per hour; 0: unknown */
    double baseline;        /* burstable (db.t3, db.t4g): the CPU share per vCPU its credits
                             * pay for; 0: not burstable */
    char source[128];       /* of vcpu and memory */
} mdl_db_class;

/* An ElastiCache node type. */
typedef struct mdl_cache_type {
    char name[24]; /* "cache.t4g.micro" */
    int vcpu;
    int64_t memory;   /* bytes */
    mdl_price price;  /* Redis OSS, per node-hour */
    double ops_per_s; /* capacity of one node (GET/SET of small values) */
    char source[160]; /* of vcpu, memory and ops_per_s */
} mdl_cache_type;

/* Scalar list prices, each per the unit in its name, with its source. */
typedef struct mdl_prices {
    mdl_price eks_cluster_hour;
    mdl_price alb_hour, alb_lcu_hour;
    mdl_price nat_gateway_hour, nat_gb;
    mdl_price public_ipv4_hour;
    mdl_price cloudfront_gb;        /* to the internet, first 10 TB, US/Mexico/Canada */
    mdl_price cloudfront_https_10k; /* per 10,000 HTTPS requests */
    mdl_price s3_gb_month, s3_get_1k, s3_put_1k;
    mdl_price rds_gp3_gb_month_single, rds_gp3_gb_month_multi;
    mdl_price rds_backup_gb_month;
    mdl_price aurora_acu_hour, aurora_acu_hour_io_optimized;
    mdl_price aurora_storage_gb_month, aurora_storage_gb_month_io_optimized;
    mdl_price aurora_io_million;
    mdl_price interaz_gb, interregion_gb, internet_gb;
    mdl_price route53_zone_month, route53_queries_million;
    mdl_price route53_health_check_month, route53_health_check_option_month;
    mdl_price secrets_month, secrets_calls_10k;
    mdl_price cloudwatch_metric_month, cloudwatch_alarm_month;
    mdl_price cloudwatch_logs_gb, cloudwatch_logs_gb_month; /* ingestion; archival storage */
    mdl_price rds_cpu_credit_vcpu_hour; /* burstable RDS, unlimited: surplus CPU per vCPU-hour */
    /* the ladders of the tiered items (mdl_tiers; n == 0: priced flat at the field above) */
    struct {
        mdl_tiers cloudfront_gb, cloudfront_https_10k, s3_gb_month, internet_gb;
    } tiers;
} mdl_prices;

typedef struct mdl_catalog {
    char region[32];
    mdl_instance_type types[MDL_MAX_TYPES];
    size_t n;
    mdl_db_class db[MDL_MAX_DB_CLASSES];
    size_t ndb;
    mdl_cache_type cache[MDL_MAX_CACHE_TYPES];
    size_t ncache;
    mdl_prices prices;
} mdl_catalog;

/* How a run's simulated window makes a month of cost (docs/cost-model.md, "The month").
 * repeat 0: the window's usage scaled to 730 hours ("this load all month"). repeat N: the
 * window counts N times (a representative day × 30), and each `mix` part — another scenario's
 * window — its own number of times (29 ordinary days and one Black Friday). Resources billed
 * by the hour whatever the load are billed 730 hours either way. */
#define MDL_MAX_MONTH_PARTS 8
typedef struct mdl_month_part {
    char scenario[1024]; /* resolved against the file that names it */
    double repeat;
} mdl_month_part;

typedef struct mdl_month {
    double repeat;
    mdl_month_part mix[MDL_MAX_MONTH_PARTS];
    size_t nmix;
} mdl_month;

#endif
