/*
 * catalog.h — the pricing and instance catalog (the pricing file, models/pricing/REGION.yaml,
 * read by src/io/pricing.c) and how a window becomes a month of cost. Part of cost.h, the public
 * face of src/cost/; a header of its own, including nothing of ours, because the scenario holds
 * its catalog and month (model.h includes this header, and only this one, of src/cost/):
 * the model reads the catalog (Karpenter picks the cheapest type that fits) but calls nothing
 * of the cost room, so there is no cycle between headers (docs/architecture.md).
 */
#ifndef SIMULATE_COST_CATALOG_H
#define SIMULATE_COST_CATALOG_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- instances */

#define COST_MAX_TYPES 64

/* One EC2 instance type as a Kubernetes node (models/pricing/REGION.yaml). */
typedef struct cost_instance_type {
    char name[24];
    char family[12];
    int arch; /* MDL_ARCH_AMD64 or MDL_ARCH_ARM64 (model/cluster.h) */
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
} cost_instance_type;

#define COST_MAX_DB_CLASSES  32
#define COST_MAX_CACHE_TYPES 16

/* A list price and where it comes from: every price of the pricing file carries its source
 * ({price: $X, source: "..."}), and the cost model prints it beside the line it prices. */
typedef struct cost_list_price {
    int64_t micro;    /* micro-USD per the unit the field's name says; 0: not offered */
    char source[160]; /* "" only when not offered */
} cost_list_price;

/* A tiered price (CloudFront transfer, internet egress, S3 storage...): AWS prices a month's
 * total volume by a ladder of tiers, each tier's units at its own price ("first 10 TB $0.085,
 * next 40 TB $0.080, ..."), after an always-free allowance where the service has one. The
 * ladder is the pricing file's `tiers:` section; an item without one has a flat price. */
#define COST_MAX_TIERS 8
typedef struct cost_tier {
    double upto; /* the month's volume where the tier ends, in the price's unit (cumulative:
                  * 10 TB then 50 TB, not 40 TB); 0: no end (the last tier) */
    cost_list_price price; /* per unit within the tier */
} cost_tier;

typedef struct cost_tiers {
    double free;           /* always-free units a month, taken before the first tier; 0: none */
    char free_source[160]; /* of `free` */
    cost_tier tier[COST_MAX_TIERS];
    size_t n; /* 0: no ladder, the flat price for every unit */
} cost_tiers;

/* An RDS/Aurora DB instance class. */
typedef struct cost_db_class {
    char name[24]; /* "db.t3.medium" */
    int vcpu;
    int64_t memory;               /* bytes */
    cost_list_price price_single; /* RDS for PostgreSQL, Single-AZ, per hour */
    cost_list_price price_multi;  /* RDS for PostgreSQL, Multi-AZ (primary + standby), per hour */
    cost_list_price
        price_aurora; /* Aurora PostgreSQL provisioned (Standard), per hour; 0: unknown */
    double baseline;  /* burstable (db.t3, db.t4g): the CPU share per vCPU its credits
                       * pay for; 0: not burstable */
    char source[128]; /* of vcpu and memory */
} cost_db_class;

/* An ElastiCache node type. */
typedef struct cost_cache_type {
    char name[24]; /* "cache.t4g.micro" */
    int vcpu;
    int64_t memory;        /* bytes */
    cost_list_price price; /* Redis OSS, per node-hour */
    double ops_per_s;      /* capacity of one node (GET/SET of small values) */
    char source[160];      /* of vcpu, memory and ops_per_s */
} cost_cache_type;

/* Scalar list prices, each per the unit in its name, with its source. */
typedef struct cost_prices {
    cost_list_price eks_cluster_hour;
    cost_list_price alb_hour, alb_lcu_hour;
    cost_list_price nat_gateway_hour, nat_gb;
    cost_list_price public_ipv4_hour;
    cost_list_price cloudfront_gb;        /* to the internet, first 10 TB, US/Mexico/Canada */
    cost_list_price cloudfront_https_10k; /* per 10,000 HTTPS requests */
    cost_list_price s3_gb_month, s3_get_1k, s3_put_1k;
    cost_list_price rds_gp3_gb_month_single, rds_gp3_gb_month_multi;
    cost_list_price rds_backup_gb_month;
    cost_list_price aurora_acu_hour, aurora_acu_hour_io_optimized;
    cost_list_price aurora_storage_gb_month, aurora_storage_gb_month_io_optimized;
    cost_list_price aurora_io_million;
    cost_list_price interaz_gb, interregion_gb, internet_gb;
    cost_list_price route53_zone_month, route53_queries_million;
    cost_list_price route53_health_check_month, route53_health_check_option_month;
    cost_list_price secrets_month, secrets_calls_10k;
    cost_list_price cloudwatch_metric_month, cloudwatch_alarm_month;
    cost_list_price cloudwatch_logs_gb, cloudwatch_logs_gb_month; /* ingestion; archival storage */
    cost_list_price
        rds_cpu_credit_vcpu_hour; /* burstable RDS, unlimited: surplus CPU per vCPU-hour */
    /* the ladders of the tiered items (cost_tiers; n == 0: priced flat at the field above) */
    struct {
        cost_tiers cloudfront_gb, cloudfront_https_10k, s3_gb_month, internet_gb;
    } tiers;
} cost_prices;

typedef struct cost_catalog {
    char region[32];
    cost_instance_type types[COST_MAX_TYPES];
    size_t n;
    cost_db_class db[COST_MAX_DB_CLASSES];
    size_t ndb;
    cost_cache_type cache[COST_MAX_CACHE_TYPES];
    size_t ncache;
    cost_prices prices;
} cost_catalog;

/* How a run's simulated window makes a month of cost (docs/cost-model.md, "The month").
 * repeat 0: the window's usage scaled to 730 hours ("this load all month"). repeat N: the
 * window counts N times (a representative day × 30), and each `mix` part — another scenario's
 * window — its own number of times (29 ordinary days and one Black Friday). Resources billed
 * by the hour whatever the load are billed 730 hours either way. */
#define COST_MAX_MONTH_PARTS 8
typedef struct cost_month_part {
    char scenario[1024]; /* resolved against the file that names it */
    double repeat;
} cost_month_part;

typedef struct cost_month_spec {
    double repeat;
    cost_month_part mix[COST_MAX_MONTH_PARTS];
    size_t nmix;
} cost_month_spec;

#endif
