/*
 * keys/data.c — the scenario keys of the data tier: the database (RDS or Aurora), PgBouncer, Redis.
 * Tables only, one section per component.
 */
#include "io/keys/keys.h"

/* ---------------------------------------------------------------- database
 * The database tier (queueing stand-in, RDS,
 * Aurora Serverless v2).
 */

static const key queries_keys[] = {
    {KEY_COUNT("api_read", OFF(db.queries[MDL_API_READ]), "0", 0, 1000, "0..1000"),
     .doc = "Mean queries per read request; a fractional part is drawn per request.",
     .source = "your application's own measurements"},
    {KEY_COUNT("api_write", OFF(db.queries[MDL_API_WRITE]), "0", 0, 1000, "0..1000"),
     .doc = "Mean queries per write request.", .source = "your application's own measurements"},
};
static const section queries_section = {"database.queries",
                                        "How many queries each API request makes, one after "
                                        "another, while holding its worker.",
                                        queries_keys, NKEYS(queries_keys)};

static const char *const db_engines[] = {"queue", "rds", "aurora", NULL};
static const char *const credit_modes[] = {"unlimited", "standard", NULL};

static const char *const scaling_metrics[] = {"primary_cpu", "reader_cpu", NULL};
static const char *const read_routings[] = {"share", "even", NULL};

/* ---------------------------------------------------------------- replica scaling
 * Read replicas (RDS) and readers (Aurora) added under load: one table shape for both, each
 * with its engine's defaults.
 */

static const key rds_scaling_keys[] = {
    {KEY_BOOL("enabled", OFF(db.replica_scaling.enabled), "false"),
     .doc = "rds engine: read replicas added under load and removed after it, by the rule below "
            "(the seed's layer 5).",
     .source =
         "seed §11.1, layer 5: read replicas for read-heavy traffic, \"scales in ~10 minutes\""},
    {KEY_INT("min", OFF(db.replica_scaling.min), "0", 0, 15, "0..15"),
     .doc = "Fewest replicas the rule keeps (fixed ones count towards it); they serve from "
            "the start.",
     .source = "ASSUMPTION: none outside the peaks"},
    {KEY_INT("max", OFF(db.replica_scaling.max), "5", 1, 15, "1..15"),
     .doc = "Most replicas the rule adds up to (fixed ones count towards it).",
     .source = "ASSUMPTION; RDS for PostgreSQL allows up to 15 read replicas (seed §6.1)"},
    {KEY_ENUM("metric", OFF(db.replica_scaling.metric), "primary_cpu", scaling_metrics,
              "primary_cpu, reader_cpu"),
     .doc = "What the rule watches, one datapoint a minute: primary_cpu, the primary's (writer's) "
            "CPU — one replica more or fewer per firing; reader_cpu, the replicas' average "
            "CPU — target tracking, as many as bring it to the target (needs one in service: "
            "min >= 1).",
     .source = "RDS has no replica autoscaling: the rule is yours (a CloudWatch alarm on the "
               "primary's CPUUtilization calling CreateDBInstanceReadReplica)"},
    {KEY_PERCENT("target", OFF(db.replica_scaling.target), "70%", 0.05, 1, "5%..100%"),
     .doc = "CPU utilisation above which the rule adds replicas.",
     .source = "ASSUMPTION: below the seed's RDS CPU > 85% alarm (§10), with room for the ~10 "
               "minutes a replica takes"},
    {KEY_PERCENT("scale_in_below", OFF(db.replica_scaling.in_ratio), "50%", 0, 1, "0%..100%"),
     .doc = "The rule removes one while the metric is below this share of the target.",
     .source = "ASSUMPTION: removing one of a few replicas moves its reads back to the primary, so "
               "well below the target"},
    {KEY_INT("scale_out_periods", OFF(db.replica_scaling.out_periods), "3", 1, 1440, "1..1440"),
     .doc = "Consecutive one-minute datapoints above the target before it scales out.",
     .source = "EST: as Application Auto Scaling's target tracking alarms (3 one-minute datapoints "
               "to scale out); unverified here"},
    {KEY_INT("scale_in_periods", OFF(db.replica_scaling.in_periods), "15", 1, 1440, "1..1440"),
     .doc = "Consecutive one-minute datapoints below scale_in_below × target before it scales "
            "in.",
     .source = "EST: as Application Auto Scaling's target tracking alarms (15 one-minute "
               "datapoints to scale in); unverified here"},
    {KEY_DURATION("scale_out_cooldown", OFF(db.replica_scaling.out_cooldown), "15m", 0, 86400e9,
                  "0s..24h"),
     .doc = "After a scale-out, before the next.",
     .source = "ASSUMPTION: longer than a replica's creation time, so the next step sees the last "
               "one's effect"},
    {KEY_DURATION("scale_in_cooldown", OFF(db.replica_scaling.in_cooldown), "300s", 0, 86400e9,
                  "0s..24h"),
     .doc = "After any scaling, before a scale-in.",
     .source = "Application Auto Scaling's default cooldown, 300 s, taken for your own rule "
               "(ASSUMPTION)"},
    {KEY_DIST("create_time", OFF(db.replica_scaling.create_time),
              "{dist: triangular, min: 5m, mode: 10m, max: 20m}"),
     .doc = "From the rule firing until the new replica serves reads (billing starts then).",
     .source = "EST: seed §11.1 \"~10 minutes\" as the mode; RDS builds a replica from a snapshot "
               "of the primary and it catches up, so larger databases take longer (AWS RDS user "
               "guide, USER_ReadRepl): no AWS figure"},
};
static const section rds_scaling_section = {
    "database.replica_scaling",
    "RDS read replicas added under load (seed §11.1 layer 5; model/replicas.c).", rds_scaling_keys,
    NKEYS(rds_scaling_keys)};

static const key aurora_scaling_keys[] = {
    {KEY_BOOL("enabled", OFF(db.reader_scaling.enabled), "false"),
     .doc = "aurora engine: Aurora Auto Scaling adds Serverless v2 readers under load (the "
            "writer's class; they follow its capacity) and removes those it added.",
     .source = "AWS Aurora user guide, Amazon Aurora Auto Scaling with Aurora Replicas"},
    {KEY_INT("min", OFF(db.reader_scaling.min), "1", 0, 15, "0..15"),
     .doc = "Fewest readers the rule keeps (fixed ones count towards it); they serve from "
            "the start.",
     .source = "AWS Aurora user guide, Amazon Aurora Auto Scaling with Aurora Replicas: the "
               "policy's minimum; 1 so that reader_cpu has a reader to measure (ASSUMPTION)"},
    {KEY_INT("max", OFF(db.reader_scaling.max), "5", 1, 15, "1..15"),
     .doc = "Most readers the rule adds up to (fixed ones count towards it).",
     .source = "AWS Aurora user guide, Amazon Aurora Auto Scaling with Aurora Replicas: the "
               "policy's maximum (up to 15 Aurora Replicas); 5 ASSUMPTION"},
    {KEY_ENUM("metric", OFF(db.reader_scaling.metric), "reader_cpu", scaling_metrics,
              "primary_cpu, reader_cpu"),
     .doc = "What the rule watches, one datapoint a minute: primary_cpu, the primary's (writer's) "
            "CPU — one replica more or fewer per firing; reader_cpu, the readers' average "
            "CPU — target tracking, as many as bring it to the target (needs one in service: "
            "min >= 1).",
     .source = "AWS Aurora user guide, Amazon Aurora Auto Scaling with Aurora Replicas: predefined "
               "metric RDSReaderAverageCPUUtilization (connections, "
               "RDSReaderAverageDatabaseConnections, is not modelled)"},
    {KEY_PERCENT("target", OFF(db.reader_scaling.target), "70%", 0.05, 1, "5%..100%"),
     .doc = "CPU utilisation above which the rule adds readers.",
     .source = "ASSUMPTION: the policy's target value is yours; 70% is a common choice"},
    {KEY_PERCENT("scale_in_below", OFF(db.reader_scaling.in_ratio), "90%", 0, 1, "0%..100%"),
     .doc = "The rule removes one while the metric is below this share of the target.",
     .source = "EST: Application Auto Scaling's target tracking scale-in alarm sits at 90% of the "
               "target; unverified here"},
    {KEY_INT("scale_out_periods", OFF(db.reader_scaling.out_periods), "3", 1, 1440, "1..1440"),
     .doc = "Consecutive one-minute datapoints above the target before it scales out.",
     .source = "EST: Application Auto Scaling's target tracking scale-out alarm, 3 one-minute "
               "datapoints; unverified here"},
    {KEY_INT("scale_in_periods", OFF(db.reader_scaling.in_periods), "15", 1, 1440, "1..1440"),
     .doc = "Consecutive one-minute datapoints below scale_in_below × target before it scales "
            "in.",
     .source = "EST: Application Auto Scaling's target tracking scale-in alarm, 15 one-minute "
               "datapoints; unverified here"},
    {KEY_DURATION("scale_out_cooldown", OFF(db.reader_scaling.out_cooldown), "300s", 0, 86400e9,
                  "0s..24h"),
     .doc = "After a scale-out, before the next.",
     .source =
         "Application Auto Scaling API, TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown: "
         "default 300 s for Aurora DB clusters"},
    {KEY_DURATION("scale_in_cooldown", OFF(db.reader_scaling.in_cooldown), "300s", 0, 86400e9,
                  "0s..24h"),
     .doc = "After any scaling, before a scale-in.",
     .source =
         "Application Auto Scaling API, TargetTrackingScalingPolicyConfiguration.ScaleInCooldown: "
         "default 300 s for Aurora DB clusters"},
    {KEY_DIST("create_time", OFF(db.reader_scaling.create_time),
              "{dist: triangular, min: 5m, mode: 8m, max: 15m}"),
     .doc = "From the rule firing until the new reader serves reads (billing starts then).",
     .source =
         "EST: behaviour.md §5, a new Aurora instance takes minutes (~<= 10 min, FMU); a reader "
         "copies no data (the cluster volume is shared), so a little under RDS's: no AWS figure"},
};
static const section aurora_scaling_section = {
    "database.aurora.reader_scaling", "Aurora Auto Scaling of the readers (model/replicas.c).",
    aurora_scaling_keys, NKEYS(aurora_scaling_keys)};

static const key aurora_keys[] = {
    {KEY_NUMBER("acu_min", OFF(db.acu_min), "0.5", 0, 256, "0..256"),
     .doc = "Lowest capacity, in ACUs (0.5-ACU steps). At 0.5 or less, max_connections is "
            "capped at 2,000 whatever acu_max is.",
     .source = "seed §6.1: 0.5 → 128 ACUs; the cap: AWS Aurora user guide, \"Maximum "
               "connections for Aurora Serverless v2\" (and AWS re:Post: 0.5–16 ACUs gives 2000)"},
    {KEY_NUMBER("acu_max", OFF(db.acu_max), "128", 0.5, 256, "0.5..256"),
     .doc = "Highest capacity, in ACUs; also sets max_connections, by AWS's table: 189 at 1 "
            "ACU, 823 at 4, 1,669 at 8, 3,360 at 16, 5,000 from 32 (linear between rows, in "
            "proportion below 1), then capped at 2,000 if acu_min is 0.5 or less.",
     .source = "seed §6.1: 0.5 → 128 ACUs; AWS: up to 256; the table: AWS Aurora user guide, "
               "\"Maximum connections for Aurora Serverless v2\" (Aurora PostgreSQL column)"},
    {KEY_NUMBER("vcpu_per_acu", OFF(db.vcpu_per_acu), "0.25", 0.01, 4, "0.01..4"),
     .doc = "CPU of one ACU, in vCPUs.",
     .source = "EST: 1 ACU ≈ 2 GiB \"with corresponding CPU\" (AWS user guide); at the memory "
               "ratio of db.r7g (8 GiB per vCPU) that is 0.25 vCPU"},
    {KEY_MEMORY("memory_per_acu", OFF(db.memory_per_acu), "2Gi", 1, 1e12, "> 0"),
     .doc = "Memory of one ACU.", .source = "AWS Aurora user guide: ~2 GiB per ACU"},
    {KEY_PERCENT("target_utilisation", OFF(db.acu_target), "70%", 0.05, 1, "5%..100%"),
     .doc = "CPU utilisation the capacity is scaled to keep.",
     .source = "ASSUMPTION: AWS does not publish Serverless v2's scaling rule"},
    {KEY_PERCENT("scale_up_rate", OFF(db.acu_up_rate), "6%", 0.001, 10, "0.1%..1000%"),
     .doc = "Per second, capacity may grow by this share of itself (at least 0.5 ACU): faster "
            "from a higher capacity, as AWS describes.",
     .source = "EST: 0.5 → 16 ACU in about a minute; third-party reports of 15–90 s per large "
               "step (behaviour.md §5)"},
    {KEY_NUMBER("scale_down_step", OFF(db.acu_down_step), "0.5", 0.5, 256, "0.5..256"),
     .doc = "ACUs removed per scale_down_interval while more than needed.",
     .source = "EST behaviour.md §5: ~0.5 ACU per 10–30 s"},
    {KEY_DURATION("scale_down_interval", OFF(db.acu_down_interval), "15s", 1e9, 3600e9, "1s..1h"),
     .doc = "See scale_down_step.", .source = "EST behaviour.md §5"},
    {KEY_INT("readers", OFF(db.aurora_readers), "0", 0, 15, "0..15"),
     .doc = "Serverless v2 reader instances; reads go to them as read_replica_share says.",
     .source = "Aurora: up to 15 readers (seed §6.1)"},
    {KEY_SECTION("reader_scaling", &aurora_scaling_section),
     .doc = "Readers added under load (Aurora Auto Scaling)."},
    {KEY_DIST("failover_time", OFF(db.aurora_failover_time),
              "{dist: triangular, min: 15s, mode: 30s, max: 120s}"),
     .doc = "db_failover event: from the writer's loss until a reader serves as the writer.",
     .source = "AWS Aurora user guide: \"typically restored in less than 120 s, and often less "
               "than 60 s\"; behaviour.md §5 suggests triangular(15, 30, 120) s"},
    {KEY_DIST("global_promote", OFF(db.aurora_global_promote), "1m"),
     .doc = "region_failure with Aurora: the DR region is an Aurora Global Database secondary, "
            "and runbook step 3 promotes it (dr.promote is RDS's read replica).",
     .source = "behaviour.md §5: Aurora Global Database RTO \"< 1 min\" (aws.amazon.com/rds/"
               "aurora/global-database); the bound, conservatively"},
    {KEY_DIST("global_lag", OFF(db.aurora_global_lag), "{dist: uniform, min: 0s, max: 1s}"),
     .doc = "region_failure with Aurora: the secondary's replication lag at the failure, the RPO "
            "(dr.replica_lag is RDS's).",
     .source = "behaviour.md §5: Aurora Global Database replication \"typically < 1 s\", "
               "effective RPO 1 s"},
    {KEY_BOOL("io_optimized", OFF(db.io_optimized), "false"),
     .doc = "Aurora I/O-Optimized: no I/O charge, dearer ACUs and storage."},
};
static const section aurora_section = {"database.aurora", "Aurora PostgreSQL Serverless v2.",
                                       aurora_keys, NKEYS(aurora_keys)};

static const key io_keys[] = {
    {KEY_NUMBER("api_read", OFF(db.io_per_query[MDL_API_READ]), "0.1", 0, 1e6, ">= 0"),
     .doc = "Storage I/O requests per read query (most reads hit the buffer cache).",
     .source = "ASSUMPTION"},
    {KEY_NUMBER("api_write", OFF(db.io_per_query[MDL_API_WRITE]), "1", 0, 1e6, ">= 0"),
     .doc = "Storage I/O requests per write query (the commit's log write).",
     .source = "ASSUMPTION"},
};
static const section io_section = {"database.io_per_query",
                                   "Storage I/O per query, for Aurora's I/O charge.", io_keys,
                                   NKEYS(io_keys)};

static const key db_keys[] = {
    {KEY_BOOL("enabled", OFF(db.enabled), "true"), .doc = "false: API requests make no queries."},
    {KEY_ENUM("engine", OFF(db.engine), "queue", db_engines, "queue, rds, aurora"),
     .doc = "`queue`: an abstract c-server queue; `rds`: RDS for PostgreSQL of an instance "
            "class; `aurora`: Aurora PostgreSQL Serverless v2.",
     .source = "seed §6.1: RDS now, Aurora Serverless v2 later"},
    {KEY_INT("servers", OFF(db.servers), "2", 1, 100000, "1..100000"),
     .doc = "queue engine: queries served at once (c of the multi-server queue).",
     .source = "vCPUs of the seed's db.t3.medium (reference/aws-prices.md §3)"},
    {KEY_STRING("instance_class", OFF(db.instance_class), 24, "db.t3.medium"),
     .doc = "rds engine: the instance class (from the pricing file); its vCPUs serve queries "
            "and its memory sets max_connections.",
     .source = "seed §6.2: db.t3.medium"},
    {KEY_BOOL("multi_az", OFF(db.multi_az), "true"),
     .doc = "rds engine: a standby in another AZ (priced at the Multi-AZ rate; a db_failover "
            "event's target).",
     .source = "seed §6.2: multi_az = true"},
    {KEY_DIST("failover_time", OFF(db.failover_time), "{dist: uniform, min: 60s, max: 120s}"),
     .doc = "rds engine, db_failover event: from the primary's loss until the standby serves.",
     .source = "AWS RDS user guide (Multi-AZ failover): typically 60–120 s (behaviour.md §5)"},
    {KEY_DIST("restore_time", OFF(db.restore_time), "0s"),
     .doc = "rds engine: a point-in-time restore, from the start until the restored instance "
            "serves — for az_failure of AZ a with a Single-AZ instance, and data_corruption; "
            "required by those events (0s: not given).",
     .source = "none public: AWS gives no restore duration (it grows with the database's size); "
               "time a restore of yours"},
    {KEY_DIST("snapshot_restore_time", OFF(db.snapshot_restore_time), "0s"),
     .doc = "accidental_delete: from the deletion until an instance restored from the latest "
            "automated snapshot serves; required by that event (0s: not given).",
     .source = "none public: AWS gives no restore duration; time a restore of yours"},
    {KEY_ENUM("cpu_credits", OFF(db.credit_mode), "unlimited", credit_modes, "unlimited, standard"),
     .doc = "rds engine, burstable class (the catalog's `baseline`, db.t3/db.t4g): unlimited "
            "bills the CPU used beyond the baseline per vCPU-hour; standard throttles each "
            "instance to its baseline while its CPU credit balance is empty (slower queries).",
     .source = "RDS T3/T4g DB instances run in Unlimited mode (aws.amazon.com/rds/instance-types, "
               "as quoted on repost.aws); EC2 T3/T4g launch unlimited by default (EC2 API "
               "RunInstances CreditSpecification: \"unlimited (T3/T3a/T4g instances)\"). "
               "Standard: EC2 user guide, burstable-performance-instances-standard-mode.md"},
    {KEY_PERCENT("cpu_credits_at_start", OFF(db.credits_start), "100%", 0, 1, "0%..100%"),
     .doc = "standard mode: each instance's CPU credit balance at the start, as a share of the "
            "most it can hold (24 hours of its earnings).",
     .source = "ASSUMPTION: an instance that has run below its baseline before the window holds "
               "the cap (EC2 credit table: earned credits accrue up to 24 h's worth; T3/T4g get "
               "no launch credits)"},
    {KEY_INT("read_replicas", OFF(db.read_replicas), "0", 0, 15, "0..15"),
     .doc = "rds engine: read replicas of the same class.",
     .source = "the seed draws one, for analytics (§6.1); the base sets it"},
    {KEY_PERCENT("read_replica_share", OFF(db.replica_read_share), "0%", 0, 1, "0%..100%"),
     .doc = "Share of API read transactions sent to the replicas (RDS) or readers (Aurora).",
     .source = "seed §6.1: the replica serves analytics, not the API"},
    {KEY_ENUM("read_routing", OFF(db.read_routing), "share", read_routings, "share, even"),
     .doc = "share: read_replica_share of the API's read transactions go to the replicas "
            "(readers) in service, in turn; even: reads spread evenly over the primary (writer) "
            "and every replica in service. Writes go to the primary only; with no replica in "
            "service every read does too.",
     .source = "ASSUMPTION: the application splits reads from writes (seed §11.1: replicas for "
               "read-heavy traffic); Aurora's reader endpoint connects to the writer when there "
               "is no reader (AWS Aurora user guide, Aurora endpoints)"},
    {KEY_STRING("replica_class", OFF(db.replica_class_name), 24, ""),
     .doc = "rds engine: the read replicas' instance class (from the pricing file); empty: the "
            "primary's. Billed Single-AZ at its own rate.",
     .source = "AWS RDS API, CreateDBInstanceReadReplica.DBInstanceClass: default inherits from "
               "the source DB instance"},
    {KEY_SECTION("replica_scaling", &rds_scaling_section),
     .doc = "rds engine: read replicas added under load."},
    {KEY_NUMBER("storage_gb", OFF(db.storage_gb), "100", 0, 1e6, ">= 0"),
     .doc = "Allocated gp3 storage (RDS) or the cluster volume's size (Aurora), GB.",
     .source = "seed §6.2: allocated_storage = 100"},
    {KEY_SECTION("queries", &queries_section), .doc = "Queries per request, by class."},
    {KEY_DIST("read_time", OFF(db.read_time), "1ms"),
     .doc = "CPU time of one query of a read request, on one vCPU.",
     .source = "your application's own measurements"},
    {KEY_DIST("write_time", OFF(db.write_time), "2ms"),
     .doc = "CPU time of one query of a write request, on one vCPU.",
     .source = "your application's own measurements"},
    {KEY_SECTION("aurora", &aurora_section), .doc = "Aurora Serverless v2."},
    {KEY_SECTION("io_per_query", &io_section), .doc = "Storage I/O per query."},
};
const section scn__db_section = {"database", "The database.", db_keys, NKEYS(db_keys)};

/* ---------------------------------------------------------------- pgbouncer
 * PgBouncer between the pods and the database.
 */

static const char *const pgb_modes[] = {"none", "per_pod", "central", NULL};

static const key pgb_keys[] = {
    {KEY_ENUM("mode", OFF(pgbouncer.mode), "none", pgb_modes, "none, per_pod, central"),
     .doc = "none: every gunicorn worker holds its own database connection; per_pod: a PgBouncer "
            "beside each pod; central: one PgBouncer for all pods. Transaction pooling.",
     .source = "seed §6.5: PgBouncer in EKS, transaction mode (the base sets per_pod)"},
    {KEY_INT("default_pool_size", OFF(pgbouncer.default_pool_size), "20", 1, 100000, "1..100000"),
     .doc = "Server connections per pool (one pool per PgBouncer here: one user, one database).",
     .source = "PgBouncer config.md default 20"},
    {KEY_INT("max_client_conn", OFF(pgbouncer.max_client_conn), "100", 1, 1000000, "1..1000000"),
     .doc = "Client connections a PgBouncer accepts; more are refused.",
     .source = "PgBouncer config.md default 100 (seed §6.5: 100 per pod)"},
    {KEY_INT("reserve_pool_size", OFF(pgbouncer.reserve_pool_size), "0", 0, 100000, "0..100000"),
     .doc = "Extra server connections for clients that waited reserve_pool_timeout.",
     .source = "PgBouncer config.md default 0"},
    {KEY_DURATION("reserve_pool_timeout", OFF(pgbouncer.reserve_pool_timeout), "5s", 0, 3600e9,
                  "0s..1h"),
     .doc = "See reserve_pool_size.", .source = "PgBouncer config.md default 5 s"},
    {KEY_DURATION("query_wait_timeout", OFF(pgbouncer.query_wait_timeout), "120s", 0, 86400e9,
                  "0s..24h"),
     .doc = "A client waiting this long for a server connection is disconnected (an error); "
            "0s: wait forever.",
     .source = "PgBouncer config.md default 120 s"},
};
const section scn__pgb_section = {"pgbouncer", "PgBouncer between the pods and the database.",
                                  pgb_keys, NKEYS(pgb_keys)};

/* ---------------------------------------------------------------- redis
 * ElastiCache for Redis.
 */

static const key redis_lookup_keys[] = {
    {KEY_NUMBER("api_read", OFF(redis.lookups[MDL_API_READ]), "1", 0, 1000, "0..1000"),
     .doc = "Redis look-ups per API read (session token, cached objects).",
     .source = "ASSUMPTION: one session check per request"},
    {KEY_NUMBER("api_write", OFF(redis.lookups[MDL_API_WRITE]), "1", 0, 1000, "0..1000"),
     .doc = "Redis look-ups per API write.", .source = "ASSUMPTION"},
};
static const section redis_lookup_section = {"redis.lookups", "Look-ups per request.",
                                             redis_lookup_keys, NKEYS(redis_lookup_keys)};

static const key redis_keys[] = {
    {KEY_BOOL("enabled", OFF(redis.enabled), "false"),
     .doc = "ElastiCache for Redis in the request path.", .source = "seed §6.6 (the base sets it)"},
    {KEY_STRING("node_type", OFF(redis.node_type), 24, "cache.t4g.micro"),
     .doc = "Node type (from the pricing file).", .source = "seed §6.6: cache.t4g.micro"},
    {KEY_INT("nodes", OFF(redis.nodes), "2", 1, 6, "1..6"),
     .doc = "Primary plus replicas (priced; the primary serves).",
     .source = "seed §6.6: Multi-AZ with automatic failover needs a replica"},
    {KEY_SECTION("lookups", &redis_lookup_section), .doc = "Look-ups per request."},
    {KEY_PERCENT("hit_ratio", OFF(redis.hit_ratio), "95%", 0, 1, "0%..100%"),
     .doc = "Share of look-ups found.", .source = "ASSUMPTION: measure yours (keyspace_hits)"},
    {KEY_NUMBER("miss_queries", OFF(redis.miss_queries), "1", 0, 1000, "0..1000"),
     .doc = "Database queries a miss costs (then the value is cached).", .source = "ASSUMPTION"},
    {KEY_NUMBER("ops_per_s", OFF(redis.ops_per_s), "0", 0, 1e9, ">= 0"),
     .doc = "Operations per second a node serves; 0: the node type's figure in the pricing "
            "file."},
    {KEY_DIST("failover_time", OFF(redis.failover_time), "0s"),
     .doc = "cache_failover event: from the primary's loss until a promoted replica serves; "
            "required by that event (0s: not given).",
     .source = "none public: AWS documents the promotion but gives no duration; measure yours "
               "(test-failover)"},
};
const section scn__redis_section = {"redis", "ElastiCache for Redis.", redis_keys,
                                    NKEYS(redis_keys)};
