/*
 * data.h — the data tier: the database (RDS, Aurora, the queueing stand-in), PgBouncer, Redis.
 * Part of model.h, the public face of src/model/ (include that); a header of its own so that
 * a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_DATA_H
#define SIMULATE_MODEL_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"
#include "model/classes.h"

typedef enum mdl_db_engine {
    MDL_DB_QUEUE = 0, /* an abstract c-server FIFO queue (queueing checks) */
    MDL_DB_RDS,       /* RDS for PostgreSQL: an instance class, Multi-AZ, read replicas */
    MDL_DB_AURORA     /* Aurora PostgreSQL Serverless v2: capacity in ACUs that follows load */
} mdl_db_engine;

enum { MDL_CREDITS_UNLIMITED = 0, MDL_CREDITS_STANDARD };

/* What a replica-scaling rule watches: the primary's (writer's) CPU, or the replicas' (readers')
 * average CPU (Aurora Auto Scaling's RDSReaderAverageCPUUtilization). */
enum { MDL_RS_PRIMARY_CPU = 0, MDL_RS_READER_CPU };

/* Where reads go when there are replicas: `share` sends replica_read_share of the API's read
 * transactions to them; `even` spreads reads over the primary and every replica in service. */
enum { MDL_READS_SHARE = 0, MDL_READS_EVEN };

/* Read replicas (RDS) or readers (Aurora) added and removed under load (model/replicas.c has
 * the rule; engine/replicas.c plays it). Counts are of replicas (readers), the primary left out;
 * fixed replicas (read_replicas, aurora.readers) count towards min and max and are never
 * removed. */
typedef struct mdl_replica_scaling {
    bool enabled;
    int min, max;          /* replicas the rule keeps between */
    int metric;            /* MDL_RS_PRIMARY_CPU or MDL_RS_READER_CPU */
    double target;         /* CPU utilisation the rule aims at */
    double in_ratio;       /* scale in while the metric is below target × in_ratio */
    int out_periods;       /* consecutive one-minute datapoints above target to scale out */
    int in_periods;        /* ... below target × in_ratio to scale in */
    sim_time out_cooldown; /* after a scale-out, before the next */
    sim_time in_cooldown;  /* after any scaling, before a scale-in */
    sim_dist create_time;  /* from the rule firing until the new replica serves */
} mdl_replica_scaling;

typedef struct mdl_db_config {
    bool enabled;
    mdl_db_engine engine;
    int servers;                /* queue engine: queries served at once (c) */
    double queries[MDL_NCLASS]; /* mean queries per request; fractional part drawn per request */
    sim_dist read_time;         /* CPU time of a query of an api_read request (one vCPU) */
    sim_dist write_time;        /* ... of an api_write request */
    /* RDS */
    char instance_class[24]; /* resolved against the catalog into class */
    int db_class;            /* index in catalog.db; -1: none */
    bool multi_az;           /* a standby in another AZ: priced, and a db_failover target */
    int credit_mode;         /* a burstable class: MDL_CREDITS_UNLIMITED (CPU beyond the
                              * baseline billed) or MDL_CREDITS_STANDARD (throttled to the
                              * baseline while its CPU credits are spent) */
    double credits_start;    /* its credit balance at the start, share of the 24 h cap */
    sim_dist failover_time;  /* RDS Multi-AZ: from the primary's loss to the standby serving */
    sim_dist restore_time;   /* Single-AZ instance lost with its AZ, or data corruption: until
                              * a point-in-time restore serves (scenario-given: no figure) */
    sim_dist snapshot_restore_time;      /* accidental_delete: until a snapshot restore serves */
    int read_replicas;                   /* fixed replicas, of replica_class */
    double replica_read_share;           /* share of read transactions sent to replicas */
    int read_routing;                    /* MDL_READS_SHARE or MDL_READS_EVEN */
    char replica_class_name[24];         /* RDS replicas' instance class; "": the primary's */
    int replica_class;                   /* index in catalog.db (the primary's when not given) */
    mdl_replica_scaling replica_scaling; /* RDS: read replicas added under load */
    double storage_gb;                   /* gp3 (RDS) or the cluster volume (Aurora) */
    /* Aurora Serverless v2 */
    double acu_min, acu_max;
    double vcpu_per_acu;    /* CPU of one ACU */
    int64_t memory_per_acu; /* bytes */
    double acu_target;      /* utilisation the scaling aims at */
    double acu_up_rate;     /* per second: capacity may grow by this share of itself */
    double acu_down_step;   /* ACUs removed per down interval while above need */
    sim_time acu_down_interval;
    int aurora_readers;                 /* reader instances (Serverless v2, same range) */
    mdl_replica_scaling reader_scaling; /* Aurora Auto Scaling of the readers */
    sim_dist aurora_failover_time;      /* Aurora: from the writer's loss to a reader serving */
    sim_dist aurora_global_promote;  /* region_failure: the Global Database's secondary promoted */
    sim_dist aurora_global_lag;      /* and its replication lag at the failure (the RPO) */
    bool io_optimized;               /* Aurora I/O-Optimized storage (no I/O charge, dearer ACU) */
    double io_per_query[MDL_NCLASS]; /* storage I/O requests per query, for metering */
} mdl_db_config;

typedef enum mdl_pgb_mode { MDL_PGB_NONE = 0, MDL_PGB_PER_POD, MDL_PGB_CENTRAL } mdl_pgb_mode;

/* PgBouncer in transaction pooling mode. */
typedef struct mdl_pgbouncer_config {
    mdl_pgb_mode mode;     /* none: each gunicorn worker holds its own connection */
    int default_pool_size; /* server connections per pool */
    int max_client_conn;   /* client connections accepted */
    int reserve_pool_size;
    sim_time reserve_pool_timeout;
    sim_time query_wait_timeout; /* a client waiting this long for a server connection fails */
} mdl_pgbouncer_config;

/* ElastiCache for Redis: session and cache look-ups of each API request. */
typedef struct mdl_redis_config {
    bool enabled;
    char node_type[24];
    int cache_type;             /* index in catalog.cache; -1: none */
    int nodes;                  /* primary + replicas (priced; only the primary serves) */
    double lookups[MDL_NCLASS]; /* look-ups per request */
    double hit_ratio;           /* share of look-ups found */
    double miss_queries;        /* database queries a miss costs */
    double ops_per_s;           /* capacity; 0: the node type's */
    sim_dist failover_time;     /* Multi-AZ promotion of a replica; no public figure: given by
                                 * the scenario (kind DETERMINISTIC with mean 0: not given) */
} mdl_redis_config;

#endif
