/*
 * replicas.c — read replicas added under load (seed §11.1, layer 5; docs/models.md, "Read
 * replicas under load") as deployment config, terraform/replica-scaling.tf.json:
 *
 * - Aurora with `reader_scaling.metric: reader_cpu`: Aurora Auto Scaling, which is Application
 *   Auto Scaling's target tracking on the cluster's reader count — aws_appautoscaling_target
 *   (service_namespace "rds", scalable_dimension "rds:cluster:ReadReplicaCount", resource_id
 *   "cluster:<cluster identifier>", min_capacity, max_capacity) and aws_appautoscaling_policy
 *   (policy_type "TargetTrackingScaling", predefined metric "RDSReaderAverageCPUUtilization",
 *   target_value, scale_in_cooldown, scale_out_cooldown): the hashicorp/aws provider 5.x docs,
 *   aws_appautoscaling_policy's "Aurora Read Replica Autoscaling" example, and the Aurora user
 *   guide, "Amazon Aurora Auto Scaling with Aurora Replicas".
 * - RDS (which has no replica auto scaling) or a rule on the primary's CPU: nothing in AWS adds
 *   replicas by itself. What is emitted is the rule's trigger — two CloudWatch alarms on the
 *   primary's CPUUtilization at the scenario's target, datapoints and scale-in threshold,
 *   notifying var.alarm_sns_topic_arn — and README.md says plainly that a person (the runbook
 *   there) or a function you write must create and delete the replicas.
 */
#include "emit/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Application Auto Scaling's target tracking alarms for Aurora (the model's Aurora defaults,
 * src/io/keys/data.c): 3 one-minute datapoints out, 15 in, in below 90% of the target. */
#define AAS_OUT_PERIODS 3
#define AAS_IN_PERIODS  15
#define AAS_IN_RATIO    0.9

const mdl_replica_scaling *emit__replica_scaling(const mdl_scenario *s)
{
    if (!s->db.enabled)
        return NULL;
    return mdl_db_scaling(&s->db);
}

bool emit__replicas_tracked(const mdl_scenario *s)
{
    const mdl_replica_scaling *rs = emit__replica_scaling(s);
    return rs && s->db.engine == MDL_DB_AURORA && rs->metric == MDL_RS_READER_CPU;
}

bool emit__replicas_aas_differs(const mdl_replica_scaling *rs)
{
    return rs->out_periods != AAS_OUT_PERIODS || rs->in_periods != AAS_IN_PERIODS ||
           fabs(rs->in_ratio - AAS_IN_RATIO) > 1e-9;
}

static json_t *aurora(const mdl_replica_scaling *rs)
{
    json_t *res = json_object();
    /* fixed readers (aurora.readers) count towards the bounds, as Aurora counts every Aurora
     * Replica of the cluster; the target is registered once the writer exists */
    emit__tf_resource(res, "aws_appautoscaling_target", "aurora_readers",
                      json_pack("{s:s, s:s, s:s, s:i, s:i, s:[s]}", "service_namespace", "rds",
                                "scalable_dimension", "rds:cluster:ReadReplicaCount", "resource_id",
                                "cluster:${aws_rds_cluster.main.cluster_identifier}",
                                "min_capacity", rs->min, "max_capacity", rs->max, "depends_on",
                                "aws_rds_cluster_instance.writer"));
    emit__tf_resource(
        res, "aws_appautoscaling_policy", "aurora_readers",
        json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:[{s:f, s:I, s:I, s:[{s:s}]}]}", "name",
            EMIT_TF_DB "-readers-cpu", "policy_type", "TargetTrackingScaling", "service_namespace",
            "${aws_appautoscaling_target.aurora_readers.service_namespace}", "scalable_dimension",
            "${aws_appautoscaling_target.aurora_readers.scalable_dimension}", "resource_id",
            "${aws_appautoscaling_target.aurora_readers.resource_id}",
            "target_tracking_scaling_policy_configuration", "target_value",
            round(rs->target * 1000.0) / 10.0, "scale_in_cooldown",
            (json_int_t)emit__secs(rs->in_cooldown), "scale_out_cooldown",
            (json_int_t)emit__secs(rs->out_cooldown), "predefined_metric_specification",
            "predefined_metric_type", "RDSReaderAverageCPUUtilization"));
    return res;
}

/* One alarm of the rule on the primary's (the writer's) CPU. */
static json_t *rule_alarm(const mdl_scenario *s, bool out, double pct, int periods)
{
    const mdl_replica_scaling *rs = emit__replica_scaling(s);
    char desc[256];
    if (out)
        snprintf(desc, sizeof desc,
                 "simulate: read replicas rule: primary CPU > %g%% for %d x 60s: add one read "
                 "replica (at most %d; not within %llds of the last); nothing in AWS does it "
                 "for you, see README.md",
                 pct, periods, rs->max, emit__secs(rs->out_cooldown));
    else
        snprintf(desc, sizeof desc,
                 "simulate: read replicas rule: primary CPU < %g%% for %d x 60s: remove one "
                 "added replica (at least %d; not within %llds of any scaling); see README.md",
                 pct, periods, rs->min, emit__secs(rs->in_cooldown));
    json_t *al = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:f, s:i, s:i, s:o, s:s, s:[s]}", "alarm_name",
        out ? "db_replicas_scale_out" : "db_replicas_scale_in", "alarm_description", desc,
        "namespace", "AWS/RDS", "metric_name", "CPUUtilization", "statistic", "Average", "period",
        60, "comparison_operator", out ? "GreaterThanThreshold" : "LessThanThreshold", "threshold",
        pct, "evaluation_periods", periods, "datapoints_to_alarm", periods, "dimensions",
        s->db.engine == MDL_DB_AURORA
            ? json_pack("{s:s}", "DBInstanceIdentifier",
                        "${aws_rds_cluster_instance.writer.identifier}")
            : json_pack("{s:s}", "DBInstanceIdentifier", "${aws_db_instance.main.identifier}"),
        "treat_missing_data", "notBreaching", "alarm_actions", "${var.alarm_sns_topic_arn}");
    return al;
}

static json_t *rule(const mdl_scenario *s)
{
    const mdl_replica_scaling *rs = emit__replica_scaling(s);
    json_t *res = json_object();
    double target = round(rs->target * 1000.0) / 10.0;
    double in = round(rs->target * rs->in_ratio * 1000.0) / 10.0;
    emit__tf_resource(res, "aws_cloudwatch_metric_alarm", "db_replicas_scale_out",
                      rule_alarm(s, true, target, rs->out_periods));
    emit__tf_resource(res, "aws_cloudwatch_metric_alarm", "db_replicas_scale_in",
                      rule_alarm(s, false, in, rs->in_periods));
    return res;
}

int emit__replicas(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    const mdl_replica_scaling *rs = emit__replica_scaling(s);
    if (!rs)
        return BASE_OK;
    /* reader_cpu on RDS: the replicas' average CPU has no one metric in CloudWatch (each
     * replica reports its own) and the replicas are the rule's: README.md says what to build */
    if (s->db.engine == MDL_DB_RDS && rs->metric == MDL_RS_READER_CPU)
        return BASE_OK;
    json_t *res = emit__replicas_tracked(s) ? aurora(rs) : rule(s);
    return emit__add(set, "terraform/replica-scaling.tf.json", EMIT_TF_SCHEMA,
                     json_pack("{s:o}", "resource", res))
               ? BASE_ENOMEM
               : BASE_OK;
}
