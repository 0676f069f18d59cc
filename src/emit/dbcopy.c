/*
 * dbcopy.c — the database's copy in another region as Terraform JSON, one builder for the two
 * places that need one: the warm-standby DR region of seed §12.3 (dr.c: what the runbook's
 * step 3 promotes) and the second active region of seed §11.3 (region.c: what EMEA reads
 * from). Either an RDS cross-region read replica of the primary or, with Aurora, a Global
 * Database secondary cluster; with its subnet group and its security group (5432 from that
 * region's VPC only, seed §4.2, as the primary's). What differs between the two callers is a
 * name: the copy's Terraform name and variables' prefix, its identifiers' suffix, its provider
 * alias, and whether the global cluster is declared here (once, when both regions have one).
 *
 * Arguments are the hashicorp/aws provider 5.x's (registry.terraform.io/providers/hashicorp/aws/
 * 5.x/docs: aws_db_instance "replicate_source_db" — an ARN for a replica in another region,
 * whose KMS key must be the destination region's (RDS API CreateDBInstanceReadReplica,
 * KmsKeyId); aws_rds_global_cluster and aws_rds_cluster "global_cluster_identifier"), as
 * schemas/terraform-aws-5.json holds them.
 */
#include "emit/internal.h"

#include <stdio.h>

/* "${<kind>.<name><tail>}": a reference to the copy's own variable or resource. */
static const char *ref(char *buf, size_t len, const char *kind, const char *name, const char *tail)
{
    snprintf(buf, len, "${%s.%s%s}", kind, name, tail);
    return buf;
}

static void in_region(const emit_tf_copy *c, json_t *body)
{
    if (body)
        json_object_set_new(body, "provider", json_string(c->provider));
}

/* RDS: a read replica of the primary in the copy's region, Single-AZ at the primary's class
 * and storage, as cost.c bills it (and mdl_regions_clone runs it). */
static void rds_replica(const mdl_scenario *s, const emit_tf_copy *c, json_t *res)
{
    char id[64], kms[96], subnets[96], sg[96], name[64];
    snprintf(id, sizeof id, "%s-%s", EMIT_TF_DB, c->suffix);
    /* skip_final_snapshot: RDS takes no final snapshot of a read replica (DeleteDBInstance's
     * FinalDBSnapshotIdentifier "can't be specified when deleting a read replica": RDS API
     * Reference); the primary's own final snapshot is in database.tf.json. */
    json_t *r = json_pack(
        "{s:s, s:s, s:s, s:b, s:s, s:b, s:s, s:s, s:[s], s:b, s:b, s:b}", "identifier", id,
        "replicate_source_db", "${aws_db_instance.main.arn}", "instance_class",
        s->db.instance_class, "multi_az", 0, "storage_type", "gp3", "storage_encrypted", 1,
        "kms_key_id", ref(kms, sizeof kms, "var", c->name, "_kms_key_id"), "db_subnet_group_name",
        ref(subnets, sizeof subnets, "aws_db_subnet_group", c->name, ".name"),
        "vpc_security_group_ids", ref(sg, sizeof sg, "aws_security_group", c->name, "_db.id"),
        "publicly_accessible", 0, "performance_insights_enabled", 1, "skip_final_snapshot", 1);
    in_region(c, r);
    snprintf(name, sizeof name, "%s_replica", c->name);
    emit__tf_resource(res, "aws_db_instance", name, r);
}

/* Aurora: the primary cluster joins a Global Database (database.tf.json's aws_rds_cluster.main
 * gains global_cluster_identifier) and a secondary cluster in the copy's region follows it,
 * one Serverless v2 instance at the primary's ACU range (billed at its minimum: cost.c; the
 * second region's clone keeps no readers: its one instance serves EMEA's reads). */
static void aurora_secondary(const mdl_scenario *s, const emit_tf_copy *c, json_t *res)
{
    const mdl_db_config *d = &s->db;
    if (c->global_cluster)
        emit__tf_resource(res, "aws_rds_global_cluster", "main",
                          json_pack("{s:s, s:s, s:b, s:b}", "global_cluster_identifier",
                                    EMIT_TF_DB "-global", "engine", "aurora-postgresql",
                                    "storage_encrypted", 1, "deletion_protection", 1));
    char id[64], kms[96], subnets[96], sg[96], cluster[96], engine[96], name[64];
    snprintf(id, sizeof id, "%s-%s", EMIT_TF_DB, c->suffix);
    json_t *cl = json_pack(
        "{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:[s], s:{s:f, s:f}, s:b, s:[s]}",
        "cluster_identifier", id, "engine", "aurora-postgresql", "engine_mode", "provisioned",
        "global_cluster_identifier", "${aws_rds_global_cluster.main.id}", "storage_encrypted", 1,
        "kms_key_id", ref(kms, sizeof kms, "var", c->name, "_kms_key_id"), "db_subnet_group_name",
        ref(subnets, sizeof subnets, "aws_db_subnet_group", c->name, ".name"),
        "vpc_security_group_ids", ref(sg, sizeof sg, "aws_security_group", c->name, "_db.id"),
        "serverlessv2_scaling_configuration", "min_capacity", d->acu_min, "max_capacity",
        d->acu_max,
        /* the secondary holds a copy of the primary's storage, whose final snapshot
         * database.tf.json keeps; a secondary is deleted only after it leaves the global
         * cluster (Aurora User Guide, "Removing a cluster from an Amazon Aurora global
         * database"), when it is a stand-alone copy of data the primary still has */
        "skip_final_snapshot", 1,
        /* a secondary joins once the primary has its writer (provider docs' example) */
        "depends_on", "aws_rds_cluster_instance.writer");
    if (cl && d->io_optimized)
        json_object_set_new(cl, "storage_type", json_string("aurora-iopt1"));
    in_region(c, cl);
    emit__tf_resource(res, "aws_rds_cluster", c->name, cl);
    snprintf(id, sizeof id, "%s-%s-1", EMIT_TF_DB, c->suffix);
    json_t *i =
        json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:i}", "identifier", id, "cluster_identifier",
                  ref(cluster, sizeof cluster, "aws_rds_cluster", c->name, ".id"), "instance_class",
                  "db.serverless", "engine",
                  ref(engine, sizeof engine, "aws_rds_cluster", c->name, ".engine"),
                  "publicly_accessible", 0, "performance_insights_enabled", 1, "promotion_tier", 0);
    in_region(c, i);
    snprintf(name, sizeof name, "%s_1", c->name);
    emit__tf_resource(res, "aws_rds_cluster_instance", name, i);
}

void emit__tf_db_copy(const mdl_scenario *s, const emit_tf_copy *c, json_t *res)
{
    char id[64], subnets[96], vpc[96], cidr[96], sg[64];
    snprintf(id, sizeof id, "%s-%s", EMIT_TF_DB, c->suffix);
    json_t *g = json_pack("{s:s, s:s}", "name", id, "subnet_ids",
                          ref(subnets, sizeof subnets, "var", c->name, "_subnet_ids"));
    in_region(c, g);
    emit__tf_resource(res, "aws_db_subnet_group", c->name, g);
    /* PostgreSQL's port, from the copy's region's VPC only (seed §4.2, as the primary's) */
    json_t *sec = emit__tf_security_group(id, 5432, ref(vpc, sizeof vpc, "var", c->name, "_vpc_id"),
                                          ref(cidr, sizeof cidr, "var", c->name, "_vpc_cidr"));
    in_region(c, sec);
    snprintf(sg, sizeof sg, "%s_db", c->name);
    emit__tf_resource(res, "aws_security_group", sg, sec);
    if (c->aurora)
        aurora_secondary(s, c, res);
    else
        rds_replica(s, c, res);
}
