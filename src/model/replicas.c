/*
 * replicas.c — the rule that adds and removes read replicas (RDS) or readers (Aurora) under
 * load, evaluated once a minute on one CloudWatch datapoint (RDS publishes CPUUtilization at
 * one-minute granularity with Enhanced Monitoring off; a rule cannot see finer).
 *
 * Aurora Auto Scaling is Application Auto Scaling's target tracking on the readers' average CPU
 * (AWS Aurora user guide, "Amazon Aurora Auto Scaling with Aurora Replicas"): the alarms it
 * manages fire after `out_periods` datapoints above the target (scale out) or `in_periods`
 * below it (scale in), and it asks for the readers that would bring the metric to the target —
 * ceil(in service × metric / target), out or in — counting readers still being created as already
 * there (Application Auto Scaling API, TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown:
 * "the capacity added by the initiating scale-out activity is calculated as part of the desired
 * capacity for the next scale-out activity"). RDS has no such service for DB-instance read
 * replicas: the rule is yours (a CloudWatch alarm and a function that calls
 * CreateDBInstanceReadReplica), so it is written as a step rule on the primary's CPU — one
 * replica more, or one fewer, each time its alarm fires past its cooldown — unless the scenario
 * asks for the readers' metric, which then tracks the target as Aurora's does.
 *
 * Scale-in waits `in_cooldown` after any scaling (the ScaleInCooldown blocks scale-in after a
 * scale-in; after a scale-out it is the scale-in alarm's own `in_periods` that usually holds it
 * back — taking both is the conservative reading).
 */
#include "model/model.h"

#include <math.h>

const mdl_replica_scaling *mdl_db_scaling(const mdl_db_config *db)
{
    if (!db->enabled)
        return NULL;
    if (db->engine == MDL_DB_RDS && db->replica_scaling.enabled)
        return &db->replica_scaling;
    if (db->engine == MDL_DB_AURORA && db->reader_scaling.enabled)
        return &db->reader_scaling;
    return NULL;
}

const cost_db_class *mdl_db_replica_class(const mdl_scenario *s)
{
    const mdl_db_config *db = &s->db;
    const cost_catalog *cat = &s->cluster.catalog;
    int i = db->replica_class_name[0] ? db->replica_class : db->db_class;
    return i >= 0 && (size_t)i < cat->ndb ? &cat->db[i] : NULL;
}

void mdl_replica_rule_init(mdl_replica_rule *st)
{
    st->above = st->below = 0;
    st->last_out = st->last_scale = SIM_NEVER;
}

static bool past(sim_time since, sim_time now, sim_time cooldown)
{
    return since == SIM_NEVER || now - since >= cooldown;
}

/* Target tracking: the replicas that would carry the readers' load at the target. */
static int tracked(const mdl_replica_scaling *rs, double metric, int serving)
{
    return (int)ceil(serving * metric / rs->target - 1e-9);
}

int mdl_replica_rule_step(const mdl_replica_scaling *rs, mdl_replica_rule *st, double metric,
                          int current, int serving, int floor, sim_time now)
{
    if (metric < 0) { /* missing data: neither alarm counts it as breaching */
        st->above = st->below = 0;
        return current;
    }
    if (metric > rs->target) {
        st->above++;
        st->below = 0;
    } else if (metric < rs->target * rs->in_ratio) {
        st->below++;
        st->above = 0;
    } else {
        st->above = st->below = 0;
    }
    bool readers = rs->metric == MDL_RS_READER_CPU;
    if (st->above >= rs->out_periods && current < rs->max &&
        past(st->last_out, now, rs->out_cooldown)) {
        int want = readers ? tracked(rs, metric, serving) : current + 1;
        if (want > rs->max)
            want = rs->max;
        if (want > current) {
            st->last_out = st->last_scale = now;
            return want;
        }
        return current;
    }
    if (st->below >= rs->in_periods && current > floor &&
        past(st->last_scale, now, rs->in_cooldown)) {
        /* target tracking removes only what the target leaves idle; the step rule one */
        int want = readers ? tracked(rs, metric, serving) : current - 1;
        if (want < floor)
            want = floor;
        if (want < current) {
            st->last_scale = now;
            return want;
        }
    }
    return current;
}
