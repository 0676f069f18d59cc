/*
 * terraform.c — the AWS side of what the scenario simulated, as Terraform JSON syntax
 * (developer.hashicorp.com/terraform/language/syntax/json): the database (RDS for PostgreSQL
 * with the seed §6.2 settings, or Aurora PostgreSQL Serverless v2), its read replicas, the
 * ElastiCache replication group, one CloudWatch alarm per alarm of the scenario and an AWS
 * Budgets budget at the upper end of the run's monthly cost. Arguments are those of the
 * hashicorp/aws provider 5.x documentation (registry.terraform.io/providers/hashicorp/aws/5.x);
 * schemas/terraform-aws-5.json holds the subset used here. What a simulation cannot know
 * (network, keys, secrets, the SNS topic) are Terraform variables; secrets are read from
 * Secrets Manager by ARN, never written here.
 *
 * The DR region (its replica or Global Database secondary, Route 53's failover) is dr.c's.
 */
#include "emit/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TF_SCHEMA EMIT_TF_SCHEMA
#define TF_DB     EMIT_TF_DB
#define TF_CACHE  "flask-api-cache"

/* The provider version the schema was written from (its 5.x documentation). */
#define TF_AWS_VERSION "~> 5.0"

json_t *emit__tf_variable(const char *type, const char *description, bool sensitive)
{
    json_t *v = json_pack("{s:s, s:s}", "type", type, "description", description);
    if (v && sensitive)
        json_object_set_new(v, "sensitive", json_true());
    return v;
}

void emit__tf_variables(json_t *v, const emit_tf_var *vars, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_set_new(
            v, vars[i].name,
            emit__tf_variable(vars[i].type, vars[i].description, vars[i].sensitive));
}

const emit_tf_var emit__tf_dns_vars[EMIT_TF_NDNS_VARS] = {
    {"route53_zone_id", "string", "The application's public hosted zone", false},
    {"api_domain_name", "string", "The name clients resolve (the API's)", false},
    {"primary_alb_dns_name", "string", "DNS name of the primary region's ALB", false},
    {"primary_alb_zone_id", "string", "Hosted zone of the primary region's ALB", false},
};

static json_t *variables(const mdl_scenario *s)
{
    static const emit_tf_var always[] = {
        {"vpc_id", "string", "The VPC (seed section 4.1)", false},
        {"subnet_ids", "list(string)", "Private data subnets, one per Availability Zone (seed 4.1)",
         false},
        {"vpc_cidr", "string", "The VPC's CIDR: who may reach the database and cache", false},
        {"kms_key_id", "string", "ARN of the KMS key for encryption at rest", false},
        {"alarm_sns_topic_arn", "string", "SNS topic the alarms notify (on-call)", false},
        {"budget_notification_email", "string", "Who the budget notifies at 80% forecast", false},
    };
    json_t *v = json_object();
    emit__tf_variables(v, always, sizeof always / sizeof always[0]);
    if (!s->cluster.catalog.region[0])
        json_object_set_new(
            v, "region",
            emit__tf_variable("string", "The AWS region (the pricing catalog names none)", false));
    if (s->db.enabled)
        json_object_set_new(
            v, "db_password_secret_arn",
            emit__tf_variable("string",
                              "Secrets Manager secret holding the database master password (by "
                              "reference: the value is never in this configuration)",
                              true));
    if (s->redis.enabled)
        json_object_set_new(v, "redis_auth_secret_arn",
                            emit__tf_variable("string",
                                              "Secrets Manager secret holding the Redis AUTH token",
                                              true));
    if (s->nalarms > 0)
        json_object_set_new(
            v, "alb_arn_suffix",
            emit__tf_variable("string",
                              "The ALB's ARN suffix (the AWS Load Balancer Controller "
                              "creates it from the Ingress), for the API alarms",
                              false));
    if (s->nalarms > 0)
        json_object_set_new(
            v, "eks_cluster_name",
            emit__tf_variable("string", "The EKS cluster (Container Insights)", false));
    return json_pack("{s:o}", "variable", v);
}

static json_t *providers(const mdl_scenario *s)
{
    /* a catalog without a region (a test's): the region becomes a variable */
    const char *region = s->cluster.catalog.region[0] ? s->cluster.catalog.region : "${var.region}";
    json_t *aws = json_pack("{s:s}", "region", region);
    json_t *more = emit__tf_dr_providers(s);      /* the DR region's aliases (dr.c), or NULL */
    json_t *second = emit__tf_region_provider(s); /* eu-west-1's (region.c), or NULL */
    if (second && !more)
        more = json_array();
    if (second)
        json_array_append_new(more, second);
    if (more && aws) {
        /* same-named provider blocks are an array in JSON syntax (the JSON syntax page) */
        json_array_insert_new(more, 0, aws);
        aws = more;
    }
    return json_pack("{s:[{s:{s:{s:s, s:s}}, s:s}], s:{s:o}}", "terraform", "required_providers",
                     "aws", "source", "hashicorp/aws", "version", TF_AWS_VERSION,
                     "required_version", ">= 1.5.0", "provider", "aws", aws);
}

/* Secrets by ARN: the data source reads the value at apply time. */
static void secret(json_t *data, const char *name, const char *var)
{
    json_t *sv = json_object_get(data, "aws_secretsmanager_secret_version");
    if (!sv) {
        sv = json_object();
        json_object_set_new(data, "aws_secretsmanager_secret_version", sv);
    }
    char ref[96];
    snprintf(ref, sizeof ref, "${var.%s}", var);
    json_object_set_new(sv, name, json_pack("{s:s}", "secret_id", ref));
}

json_t *emit__tf_security_group(const char *name, int port, const char *vpc, const char *cidr)
{
    return json_pack("{s:s, s:s, s:s, s:[{s:s, s:i, s:i, s:s, s:[s]}]}", "name", name,
                     "description", "simulate: from inside the VPC only (seed 4.2)", "vpc_id", vpc,
                     "ingress", "description", "clients in the VPC", "from_port", port, "to_port",
                     port, "protocol", "tcp", "cidr_blocks", cidr);
}

void emit__tf_resource(json_t *res, const char *type, const char *name, json_t *body)
{
    json_t *t = json_object_get(res, type);
    if (!t) {
        t = json_object();
        json_object_set_new(res, type, t);
    }
    json_object_set_new(t, name, body);
}

static json_t *rds(const mdl_scenario *s, json_t *res)
{
    const mdl_db_config *d = &s->db;
    long long gb = (long long)ceil(d->storage_gb);
    /* seed §6.2: max_allocated_storage 1000 (storage autoscaling up to 1 TB) */
    long long max_gb = gb > 1000 ? gb : 1000;
    json_t *db = json_pack(
        "{s:s, s:s, s:s, s:b, s:I, s:I, s:s, s:b, s:s, s:b, s:i, s:s, s:b, s:b, s:s, s:s, s:s, "
        "s:[s], s:b}",
        "identifier", TF_DB, "engine", "postgres", "instance_class", d->instance_class, "multi_az",
        d->multi_az, "allocated_storage", gb, "max_allocated_storage", max_gb, "storage_type",
        "gp3", "storage_encrypted", 1, "kms_key_id", "${var.kms_key_id}", "deletion_protection", 1,
        /* seed §6.2: 35 days of backups in an off-peak window, Performance Insights on */
        "backup_retention_period", 35, "backup_window", "03:00-04:00",
        "performance_insights_enabled", 1, "publicly_accessible", 0, "username", "postgres",
        "password", "${data.aws_secretsmanager_secret_version.db_password.secret_string}",
        "db_subnet_group_name", "${aws_db_subnet_group.db.name}", "vpc_security_group_ids",
        "${aws_security_group.db.id}", "skip_final_snapshot", 0);
    if (db)
        json_object_set_new(db, "final_snapshot_identifier", json_string(TF_DB "-final"));
    emit__tf_resource(res, "aws_db_instance", "main", db);
    for (int r = 0; r < d->read_replicas; r++) {
        char name[32], id[48];
        snprintf(name, sizeof name, "replica_%d", r + 1);
        snprintf(id, sizeof id, TF_DB "-replica-%d", r + 1);
        emit__tf_resource(res, "aws_db_instance", name,
                          json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:[s], s:b}", "identifier",
                                    id, "replicate_source_db", "${aws_db_instance.main.identifier}",
                                    "instance_class", d->instance_class, "storage_type", "gp3",
                                    "storage_encrypted", 1, "kms_key_id", "${var.kms_key_id}",
                                    "publicly_accessible", 0, "vpc_security_group_ids",
                                    "${aws_security_group.db.id}", "skip_final_snapshot", 1));
    }
    return db;
}

static json_t *aurora(const mdl_scenario *s, json_t *res)
{
    const mdl_db_config *d = &s->db;
    json_t *c = json_pack(
        "{s:s, s:s, s:s, s:b, s:s, s:b, s:i, s:s, s:s, s:s, s:s, s:[s], s:{s:f, s:f}, "
        "s:b, s:s}",
        "cluster_identifier", TF_DB, "engine", "aurora-postgresql", "engine_mode", "provisioned",
        "storage_encrypted", 1, "kms_key_id", "${var.kms_key_id}", "deletion_protection", 1,
        /* seed §6.2's backup settings, which Aurora takes alike */
        "backup_retention_period", 35, "preferred_backup_window", "03:00-04:00", "master_username",
        "postgres", "master_password",
        "${data.aws_secretsmanager_secret_version.db_password.secret_string}",
        "db_subnet_group_name", "${aws_db_subnet_group.db.name}", "vpc_security_group_ids",
        "${aws_security_group.db.id}", "serverlessv2_scaling_configuration", "min_capacity",
        d->acu_min, "max_capacity", d->acu_max, "skip_final_snapshot", 0,
        "final_snapshot_identifier", TF_DB "-final");
    /* I/O-Optimized is "aurora-iopt1"; Standard is the provider's default "" (5.x docs) */
    if (c && d->io_optimized)
        json_object_set_new(c, "storage_type", json_string("aurora-iopt1"));
    /* the Global Database's primary (dr.c, region.c) */
    if (c && (s->dr.enabled || (emit__two_regions(s) && emit__region_global(s))))
        json_object_set_new(c, "global_cluster_identifier",
                            json_string("${aws_rds_global_cluster.main.id}"));
    emit__tf_resource(res, "aws_rds_cluster", "main", c);
    for (int r = 0; r <= d->aurora_readers; r++) {
        char name[32], id[48];
        if (r == 0) {
            snprintf(name, sizeof name, "writer");
            snprintf(id, sizeof id, TF_DB "-writer");
        } else {
            snprintf(name, sizeof name, "reader_%d", r);
            snprintf(id, sizeof id, TF_DB "-reader-%d", r);
        }
        emit__tf_resource(res, "aws_rds_cluster_instance", name,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:i}", "identifier", id,
                                    "cluster_identifier", "${aws_rds_cluster.main.id}",
                                    "instance_class", "db.serverless", "engine",
                                    "${aws_rds_cluster.main.engine}", "engine_version",
                                    "${aws_rds_cluster.main.engine_version}", "publicly_accessible",
                                    0, "performance_insights_enabled", 1, "promotion_tier", r));
    }
    return c;
}

static json_t *database(const mdl_scenario *s)
{
    json_t *res = json_object(), *data = json_object();
    emit__tf_resource(res, "aws_db_subnet_group", "db",
                      json_pack("{s:s, s:s}", "name", TF_DB, "subnet_ids", "${var.subnet_ids}"));
    /* PostgreSQL's port */
    json_t *sg = emit__tf_security_group(TF_DB, 5432, "${var.vpc_id}", "${var.vpc_cidr}");
    /* a second region writes to the primary across the Atlantic (region.c): its VPC too */
    json_t *from =
        json_object_get(json_array_get(json_object_get(sg, "ingress"), 0), "cidr_blocks");
    if (emit__two_regions(s) && json_is_array(from))
        json_array_append_new(from, json_string("${var.eu_west_1_vpc_cidr}"));
    emit__tf_resource(res, "aws_security_group", "db", sg);
    secret(data, "db_password", "db_password_secret_arn");
    if (s->db.engine == MDL_DB_AURORA)
        aurora(s, res);
    else
        rds(s, res);
    return json_pack("{s:o, s:o}", "data", data, "resource", res);
}

static json_t *cache(const mdl_scenario *s)
{
    const mdl_redis_config *r = &s->redis;
    json_t *res = json_object(), *data = json_object();
    bool ha = r->nodes > 1;
    emit__tf_resource(res, "aws_elasticache_subnet_group", "cache",
                      json_pack("{s:s, s:s}", "name", TF_CACHE, "subnet_ids", "${var.subnet_ids}"));
    /* Redis's port */
    emit__tf_resource(res, "aws_security_group", "cache",
                      emit__tf_security_group(TF_CACHE, 6379, "${var.vpc_id}", "${var.vpc_cidr}"));
    secret(data, "redis_auth", "redis_auth_secret_arn");
    emit__tf_resource(
        res, "aws_elasticache_replication_group", "main",
        json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:i, s:s, s:[s], s:b, s:b, s:s, s:s}",
                  "replication_group_id", TF_CACHE, "description",
                  "simulate: session and cache store", "engine", "redis", "node_type", r->node_type,
                  "num_cache_clusters", r->nodes, "automatic_failover_enabled", ha,
                  "multi_az_enabled", ha, "port", 6379, "subnet_group_name",
                  "${aws_elasticache_subnet_group.cache.name}", "security_group_ids",
                  "${aws_security_group.cache.id}", "at_rest_encryption_enabled", 1,
                  "transit_encryption_enabled", 1, "kms_key_id", "${var.kms_key_id}", "auth_token",
                  "${data.aws_secretsmanager_secret_version.redis_auth.secret_string}"));
    return json_pack("{s:o, s:o}", "data", data, "resource", res);
}

/* A metric of an alarm (metric_query entry). */
static json_t *metric(const char *id, const char *ns, const char *name, const char *stat,
                      long long period, json_t *dims)
{
    return json_pack("{s:s, s:b, s:{s:s, s:s, s:s, s:I, s:o}}", "id", id, "return_data", 0,
                     "metric", "namespace", ns, "metric_name", name, "stat", stat, "period", period,
                     "dimensions", dims);
}

static json_t *alarm(const mdl_scenario *s, const mdl_alarm *a)
{
    long long period = emit__secs(a->period);
    json_t *al =
        json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:[s], s:[s]}", "alarm_name", a->name,
                  "alarm_description", "", "comparison_operator", "GreaterThanThreshold",
                  "evaluation_periods", a->evaluation_periods, "datapoints_to_alarm",
                  a->evaluation_periods, "treat_missing_data", "notBreaching", "alarm_actions",
                  "${var.alarm_sns_topic_arn}", "ok_actions", "${var.alarm_sns_topic_arn}");
    if (!al)
        return NULL;
    char desc[160];
    double threshold = a->threshold;
    switch (a->metric) {
    case MDL_ALARM_ERROR_RATE: {
        /* % of requests the targets answered with 5xx: metric math over the ALB's counts
         * (AWS/ApplicationELB HTTPCode_Target_5XX_Count and RequestCount) */
        json_t *q = json_array();
        json_t *dims = json_pack("{s:s}", "LoadBalancer", "${var.alb_arn_suffix}");
        json_array_append_new(q, metric("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
                                        "Sum", period, json_deep_copy(dims)));
        json_array_append_new(
            q, metric("requests", "AWS/ApplicationELB", "RequestCount", "Sum", period, dims));
        json_array_append_new(q, json_pack("{s:s, s:s, s:s, s:b}", "id", "error_rate", "expression",
                                           "100 * errors / requests", "label", "error rate (%)",
                                           "return_data", 1));
        json_object_set_new(al, "metric_query", q);
        snprintf(desc, sizeof desc, "API error rate > %g%%", a->threshold);
        break;
    }
    case MDL_ALARM_DB_CPU:
        json_object_set_new(al, "namespace", json_string("AWS/RDS"));
        json_object_set_new(al, "metric_name", json_string("CPUUtilization"));
        json_object_set_new(al, "statistic", json_string("Average"));
        json_object_set_new(al, "period", json_integer(period));
        if (s->db.engine == MDL_DB_AURORA)
            /* the writer: the simulated metric is the writer's CPU */
            json_object_set_new(al, "dimensions",
                                json_pack("{s:s}", "DBInstanceIdentifier",
                                          "${aws_rds_cluster_instance.writer.identifier}"));
        else
            json_object_set_new(
                al, "dimensions",
                json_pack("{s:s}", "DBInstanceIdentifier", "${aws_db_instance.main.identifier}"));
        snprintf(desc, sizeof desc, "database primary CPU > %g%%", a->threshold);
        break;
    case MDL_ALARM_POD_MEMORY:
    case MDL_ALARM_POD_CPU: {
        /* Container Insights (namespace ContainerInsights) reports pods' use over their
         * limit; the simulated metric is over the request, so the threshold is scaled by
         * request / limit of the API's container. */
        bool cpu = a->metric == MDL_ALARM_POD_CPU;
        double req = cpu ? (double)s->api.cpu_request : (double)s->api.memory_request;
        double lim = cpu ? (double)s->api.cpu_limit : (double)s->api.memory_limit;
        if (lim > 0)
            threshold = a->threshold * req / lim;
        json_object_set_new(al, "namespace", json_string("ContainerInsights"));
        json_object_set_new(al, "metric_name",
                            json_string(cpu ? "pod_cpu_utilization_over_pod_limit"
                                            : "pod_memory_utilization_over_pod_limit"));
        json_object_set_new(al, "statistic", json_string("Average"));
        json_object_set_new(al, "period", json_integer(period));
        json_object_set_new(al, "dimensions",
                            json_pack("{s:s, s:s, s:s}", "ClusterName", "${var.eks_cluster_name}",
                                      "Namespace", "default", "Service", EMIT_APP));
        snprintf(desc, sizeof desc, "API pods' %s > %g%% of requests", cpu ? "CPU" : "memory",
                 a->threshold);
        break;
    }
    case MDL_ALARM_API_P99:
    default:
        /* the ALB's TargetResponseTime is in seconds */
        threshold = a->threshold / 1000.0;
        json_object_set_new(al, "namespace", json_string("AWS/ApplicationELB"));
        json_object_set_new(al, "metric_name", json_string("TargetResponseTime"));
        json_object_set_new(al, "extended_statistic", json_string("p99"));
        json_object_set_new(al, "period", json_integer(period));
        json_object_set_new(al, "dimensions",
                            json_pack("{s:s}", "LoadBalancer", "${var.alb_arn_suffix}"));
        snprintf(desc, sizeof desc, "API latency p99 > %g ms", a->threshold);
        break;
    }
    char full[224];
    snprintf(full, sizeof full, "simulate: %s for %d x %llds (%s)", desc, a->evaluation_periods,
             period, a->critical ? "critical: pages on-call" : "warning");
    json_object_set_new(al, "alarm_description", json_string(full));
    json_object_set_new(al, "threshold", json_real(threshold));
    return al;
}

static json_t *alarms(const mdl_scenario *s)
{
    json_t *res = json_object();
    for (size_t i = 0; i < s->nalarms; i++) {
        const mdl_alarm *a = &s->alarms[i];
        if (a->metric == MDL_ALARM_DB_CPU && !s->db.enabled)
            continue;
        emit__tf_resource(res, "aws_cloudwatch_metric_alarm", a->name, alarm(s, a));
    }
    return json_pack("{s:o}", "resource", res);
}

double emit_budget_limit(const eng_summary *sum)
{
    const eng_figure *c = sum ? eng_summary_figure(sum, "monthly_cost") : NULL;
    if (!c || isnan(c->ci.mean))
        return -1;
    double upper = c->ci.mean + (isnan(c->ci.half) ? 0 : c->ci.half);
    return ceil(upper); /* whole dollars, rounded up so the budget is at least the bill */
}

static json_t *budget(double limit)
{
    char amount[32];
    snprintf(amount, sizeof amount, "%.0f", limit);
    return json_pack("{s:{s:{s:{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:f, s:s, s:s, s:[s]}]}}}}",
                     "resource", "aws_budgets_budget", "monthly", "name", "flask-api-monthly",
                     "budget_type", "COST", "time_unit", "MONTHLY", "limit_amount", amount,
                     "limit_unit", "USD", "notification", "comparison_operator", "GREATER_THAN",
                     "threshold", 80.0, "threshold_type", "PERCENTAGE", "notification_type",
                     "FORECASTED", "subscriber_email_addresses",
                     "${var.budget_notification_email}");
}

int emit__terraform(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (emit__add(set, "terraform/providers.tf.json", TF_SCHEMA, providers(s)) ||
        emit__add(set, "terraform/variables.tf.json", TF_SCHEMA, variables(s)))
        return BASE_ENOMEM;
    if (s->db.enabled && (s->db.engine == MDL_DB_RDS || s->db.engine == MDL_DB_AURORA) &&
        emit__add(set, "terraform/database.tf.json", TF_SCHEMA, database(s)))
        return BASE_ENOMEM;
    if (s->redis.enabled && emit__add(set, "terraform/cache.tf.json", TF_SCHEMA, cache(s)))
        return BASE_ENOMEM;
    if (s->nalarms > 0 && emit__add(set, "terraform/alarms.tf.json", TF_SCHEMA, alarms(s)))
        return BASE_ENOMEM;
    if (emit__tf_dr(in, set) || emit__tf_region(in, set))
        return BASE_ENOMEM;
    double limit = emit_budget_limit(in->sum);
    if (limit > 0 && emit__add(set, "terraform/budget.tf.json", TF_SCHEMA, budget(limit)))
        return BASE_ENOMEM;
    return BASE_OK;
}
