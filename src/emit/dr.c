/*
 * dr.c — the warm-standby DR region of the seed's §12 as Terraform JSON, when the scenario has
 * one (dr.enabled): the database's copy there — an RDS cross-region read replica (the runbook's
 * step 3 promotes it) or, with Aurora, a Global Database whose secondary cluster sits in the DR
 * region — and Route 53's failover between the two regions' load balancers, with the health
 * check the model played (dns.health_check) and the CloudWatch alarm on it that pages on-call.
 *
 * Arguments are the hashicorp/aws provider 5.x's (registry.terraform.io/providers/hashicorp/aws/
 * 5.x/docs: aws_db_instance "replicate_source_db" — an ARN for a replica in another region,
 * whose KMS key must be the destination region's (RDS API CreateDBInstanceReadReplica,
 * KmsKeyId); aws_rds_global_cluster and aws_rds_cluster "global_cluster_identifier";
 * aws_route53_health_check; aws_route53_record "failover_routing_policy", "set_identifier",
 * "health_check_id", "alias"), as schemas/terraform-aws-5.json holds them. Resources of the DR
 * region name the aliased provider `aws.dr`; Terraform JSON writes several configurations of
 * one provider as an array (developer.hashicorp.com/terraform/language/syntax/json).
 */
#include "emit/internal.h"

#include <stdio.h>
#include <string.h>

#define DR_PROVIDER "aws.dr"
/* Route 53's metrics are published in us-east-1 only (Route 53 developer guide, "Monitoring
 * health checks using CloudWatch"): the alarm on the health check is created there. */
#define R53_METRICS_REGION "us-east-1"
#define R53_PROVIDER       "aws.us_east_1"

static bool has_db(const mdl_scenario *s)
{
    return s->db.enabled && (s->db.engine == MDL_DB_RDS || s->db.engine == MDL_DB_AURORA);
}

/* Whether the health check's alarm needs the us-east-1 provider: the primary is elsewhere (or
 * named by a variable). */
static bool alarm_elsewhere(const mdl_scenario *s)
{
    return s->dr.health_check && strcmp(s->cluster.catalog.region, R53_METRICS_REGION) != 0;
}

json_t *emit__tf_dr_providers(const mdl_scenario *s)
{
    if (!s->dr.enabled)
        return NULL;
    json_t *a = json_array();
    json_array_append_new(a, json_pack("{s:s, s:s}", "alias", "dr", "region", "${var.dr_region}"));
    if (alarm_elsewhere(s))
        json_array_append_new(
            a, json_pack("{s:s, s:s}", "alias", "us_east_1", "region", R53_METRICS_REGION));
    return a;
}

static json_t *variables(const mdl_scenario *s)
{
    json_t *v = json_object();
    json_t *region = emit__tf_variable("string", "The DR region (seed section 12.3)", false);
    /* seed §12.3: "DISASTER RECOVERY REGION (us-west-2)" */
    json_object_set_new(region, "default", json_string("us-west-2"));
    json_object_set_new(v, "dr_region", region);
    static const emit_tf_var db[] = {
        {"dr_vpc_id", "string", "The DR region's VPC", false},
        {"dr_subnet_ids", "list(string)", "The DR region's private data subnets", false},
        {"dr_vpc_cidr", "string", "The DR region's VPC CIDR", false},
        {"dr_kms_key_id", "string",
         "ARN of a KMS key in the DR region (a key serves its own region only)", false},
    };
    static const emit_tf_var albs[] = {
        {"dr_alb_dns_name", "string", "DNS name of the DR region's ALB", false},
        {"dr_alb_zone_id", "string", "Hosted zone of the DR region's ALB", false},
    };
    if (has_db(s))
        emit__tf_variables(v, db, sizeof db / sizeof db[0]);
    emit__tf_variables(v, emit__tf_dns_vars, EMIT_TF_NDNS_VARS);
    emit__tf_variables(v, albs, sizeof albs / sizeof albs[0]);
    return v; /* alarm_sns_topic_arn: variables.tf.json declares it */
}

/* The DB's copy in the DR region (dbcopy.c): the RDS read replica the runbook promotes, or
 * the Aurora Global Database's secondary; the global cluster is declared here. */
static json_t *database(const mdl_scenario *s)
{
    json_t *res = json_object();
    const emit_tf_copy c = {.name = "dr",
                            .suffix = "dr",
                            .provider = DR_PROVIDER,
                            .aurora = s->db.engine == MDL_DB_AURORA,
                            .global_cluster = true};
    emit__tf_db_copy(s, &c, res);
    return res;
}

/* One failover record: the region's ALB as an alias. The primary carries the health check when
 * the model had one; without it Route 53 treats the primary as healthy and the switch is the
 * runbook's step 4, by hand (seed §12.2), as the model plays it. */
static json_t *record(const mdl_scenario *s, bool primary)
{
    json_t *r = json_pack(
        "{s:s, s:s, s:s, s:s, s:[{s:s}], s:[{s:s, s:s, s:b}]}", "zone_id", "${var.route53_zone_id}",
        "name", "${var.api_domain_name}", "type", "A", "set_identifier", primary ? "primary" : "dr",
        "failover_routing_policy", "type", primary ? "PRIMARY" : "SECONDARY", "alias", "name",
        primary ? "${var.primary_alb_dns_name}" : "${var.dr_alb_dns_name}", "zone_id",
        primary ? "${var.primary_alb_zone_id}" : "${var.dr_alb_zone_id}",
        /* the model checks the endpoint with the health check alone */
        "evaluate_target_health", 0);
    if (r && primary && s->dr.health_check)
        json_object_set_new(r, "health_check_id",
                            json_string("${aws_route53_health_check.primary.id}"));
    return r;
}

static json_t *route53(const mdl_scenario *s)
{
    const mdl_dr_config *dr = &s->dr;
    json_t *res = json_object();
    emit__tf_resource(res, "aws_route53_record", "primary", record(s, true));
    emit__tf_resource(res, "aws_route53_record", "dr", record(s, false));
    if (!dr->health_check)
        return res;
    /* dns.health_check_interval (30 s standard, 10 s fast) and
     * dns.health_check_failure_threshold, as the model's checkers used them (control.c) */
    emit__tf_resource(
        res, "aws_route53_health_check", "primary",
        json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:{s:s}}", "fqdn", "${var.primary_alb_dns_name}",
                  "port", 443, "type", "HTTPS", "resource_path",
                  "/health", /* the API's liveness path (seed §5.3) */
                  "failure_threshold", dr->health_check_failures, "request_interval",
                  dr->health_check_fast ? 10 : 30, "tags", "Name", "flask-api-primary-region"));
    /* the model's alarm on the check's status: 1 minute, 1 datapoint, pages on-call
     * (dns.health_check's doc); HealthCheckStatus is 1 healthy, 0 unhealthy */
    json_t *al = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:f, s:i, s:i, s:{s:s}, s:s, s:[s], s:[s]}",
        "alarm_name", "route53_primary_health_check", "alarm_description",
        "simulate: the primary region's Route 53 health check is unhealthy for 1 x 60s "
        "(critical: pages on-call)",
        "namespace", "AWS/Route53", "metric_name", "HealthCheckStatus", "statistic", "Minimum",
        "period", 60, "comparison_operator", "LessThanThreshold", "threshold", 1.0,
        "evaluation_periods", 1, "datapoints_to_alarm", 1, "dimensions", "HealthCheckId",
        "${aws_route53_health_check.primary.id}", "treat_missing_data", "breaching",
        "alarm_actions", "${var.alarm_sns_topic_arn}", "ok_actions", "${var.alarm_sns_topic_arn}");
    if (al && alarm_elsewhere(s))
        json_object_set_new(al, "provider", json_string(R53_PROVIDER));
    emit__tf_resource(res, "aws_cloudwatch_metric_alarm", "route53_primary_health_check", al);
    return res;
}

int emit__tf_dr(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (!s->dr.enabled)
        return BASE_OK;
    json_t *dr = json_pack("{s:o}", "variable", variables(s));
    if (dr && has_db(s))
        json_object_set_new(dr, "resource", database(s));
    if (emit__add(set, "terraform/dr.tf.json", EMIT_TF_SCHEMA, dr) ||
        emit__add(set, "terraform/route53.tf.json", EMIT_TF_SCHEMA,
                  json_pack("{s:o}", "resource", route53(s))))
        return BASE_ENOMEM;
    return BASE_OK;
}
