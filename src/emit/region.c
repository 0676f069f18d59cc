/*
 * region.c — the second active region of seed §11.3 (`regions:` with EMEA users served in
 * eu-west-1; docs/multi-region.md) as deployment config: its own Kubernetes objects and Karpenter
 * NodePools in a folder named after the region (eu-west-1/kubernetes, eu-west-1/karpenter), built
 * from the scenario as that region ran it (mdl_regions_clone: its HPA bounds, its prices), and in
 * the one Terraform configuration, under the provider alias `aws.eu_west_1` as dr.c does for the
 * DR region: its copy of the database — an RDS cross-region read replica of the primary or an
 * Aurora Global Database secondary cluster (regions.database) — its Redis, and Route 53's
 * latency records for both regions with a health check each (dns.health_check_interval and
 * health_check_failure_threshold, as the model's checkers used them: docs/multi-region.md).
 *
 * Arguments are the hashicorp/aws provider 5.x's (registry.terraform.io/providers/hashicorp/aws/
 * 5.x/docs): aws_route53_record "latency_routing_policy" { region }, "set_identifier" (required
 * with a routing policy), "health_check_id", "alias"; aws_db_instance "replicate_source_db" (an
 * ARN for a source in another region, with a KMS key of the replica's region: RDS API
 * CreateDBInstanceReadReplica, KmsKeyId); aws_rds_global_cluster and aws_rds_cluster
 * "global_cluster_identifier"; aws_route53_health_check. Terraform JSON writes several
 * configurations of one provider as an array (developer.hashicorp.com/terraform/language/syntax/
 * json). The ALB of each region comes from its Ingress (the AWS Load Balancer Controller);
 * eu-west-1's EKS cluster and the VPC peering are regionlink.c's; CloudFront's distribution is
 * outside the emitted Terraform, as it is for us-east-1 (an output names its API origin).
 */
#include "emit/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EU_PROVIDER "aws.eu_west_1"
#define EU_ALIAS    "eu_west_1"
#define EU_REGION   "eu-west-1" /* regions.h: the second region is eu-west-1 */
#define US_REGION   "us-east-1" /* ... and the primary us-east-1, when the catalog names none */

bool emit__two_regions(const mdl_scenario *s)
{
    return s->regions.enabled && s->regions.serve == MDL_REGIONS_TWO;
}

const char *emit__region2(const mdl_scenario *s)
{
    (void)s; /* the second region's catalog may name it; the model knows only eu-west-1 */
    return EU_REGION;
}

static const char *region1(const mdl_scenario *s)
{
    return s->cluster.catalog.region[0] ? s->cluster.catalog.region : US_REGION;
}

/* The second region's database: an RDS replica or an Aurora Global Database secondary
 * (regions.database; auto: by the primary's engine, as mdl_regions_clone decides). */
bool emit__region_global(const mdl_scenario *s)
{
    int mode = s->regions.database;
    if (mode == MDL_REGIONS_DB_AUTO)
        return s->db.engine == MDL_DB_AURORA;
    return mode == MDL_REGIONS_DB_GLOBAL;
}

static bool has_db(const mdl_scenario *s)
{
    return s->db.enabled && (s->db.engine == MDL_DB_RDS || s->db.engine == MDL_DB_AURORA);
}

json_t *emit__tf_region_provider(const mdl_scenario *s)
{
    if (!emit__two_regions(s))
        return NULL;
    return json_pack("{s:s, s:s}", "alias", EU_ALIAS, "region", emit__region2(s));
}

/* ---------------------------------------------------------------- the region's manifests */

/* eu-west-1's API pods read from the local copy (${DB_ENDPOINT} in that folder, through
 * PgBouncer when there is one) and write to the primary across the Atlantic, as the model
 * plays it (regions.write_round_trips): the write endpoint and the egress to the primary's VPC
 * are what its manifests add to the primary's. */
static void writes_to_primary(const mdl_scenario *eu, emit_set *tmp)
{
    if (!eu->db.enabled)
        return;
    json_t *d = emit_find(tmp, "Deployment", EMIT_APP);
    json_t *c = json_array_get(
        json_object_get(
            json_object_get(json_object_get(json_object_get(d, "spec"), "template"), "spec"),
            "containers"),
        0);
    json_t *env = json_object_get(c, "env");
    if (json_is_array(env)) {
        json_array_append_new(env, json_pack("{s:s, s:s}", "name", "DB_WRITE_HOST", "value",
                                             "${PRIMARY_DB_ENDPOINT}"));
        json_array_append_new(env,
                              json_pack("{s:s, s:s}", "name", "DB_WRITE_PORT", "value", "5432"));
    }
    json_t *np = emit_find(tmp, "NetworkPolicy", EMIT_APP);
    json_t *egress = json_object_get(json_object_get(np, "spec"), "egress");
    if (json_is_array(egress))
        json_array_append_new(egress, json_pack("{s:[{s:{s:s}}], s:[{s:s, s:i}]}", "to", "ipBlock",
                                                "cidr", "${PRIMARY_VPC_CIDR}", "ports", "protocol",
                                                "TCP", "port", 5432));
}

/* Moves tmp's objects into set under the region's folder. */
static int move_into(emit_set *tmp, emit_set *set, const char *region)
{
    int st = BASE_OK;
    for (size_t i = 0; i < tmp->n; i++) {
        char file[64];
        snprintf(file, sizeof file, "%s/%s", region, tmp->o[i].file);
        json_t *o = tmp->o[i].obj;
        tmp->o[i].obj = NULL;
        if (!st && emit__add(set, file, tmp->o[i].schema, o))
            st = BASE_ENOMEM;
        else if (st)
            json_decref(o);
    }
    tmp->n = 0;
    return st;
}

int emit__region_manifests(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (!emit__two_regions(s))
        return BASE_OK;
    mdl_scenario *eu = malloc(sizeof *eu);
    emit_set *tmp = calloc(1, sizeof *tmp);
    int st = eu && tmp ? BASE_OK : BASE_ENOMEM;
    if (!st && mdl_regions_clone(s, MDL_REGION_EU, 0, eu) != BASE_OK)
        st = BASE_ENOMEM; /* the clone's curve past MDL_MAX_PHASES: the run refused it already */
    emit_input e = *in;
    e.s = eu;
    if (!st)
        st = emit__kubernetes(&e, tmp);
    if (!st)
        st = emit__pgbouncer(&e, tmp);
    if (!st)
        st = emit__karpenter(&e, tmp);
    if (!st)
        writes_to_primary(eu, tmp);
    if (!st)
        st = move_into(tmp, set, emit__region2(s));
    if (tmp)
        emit_set_clear(tmp);
    free(tmp);
    free(eu);
    return st;
}

/* ---------------------------------------------------------------- the region's Terraform */

static void in_eu(json_t *body)
{
    if (body)
        json_object_set_new(body, "provider", json_string(EU_PROVIDER));
}

static json_t *variables(const mdl_scenario *s)
{
    json_t *v = json_object();
    static const emit_tf_var net[] = {
        {"eu_west_1_vpc_id", "string", "eu-west-1's VPC", false},
        {"eu_west_1_subnet_ids", "list(string)", "eu-west-1's private data subnets", false},
        {"eu_west_1_vpc_cidr", "string",
         "eu-west-1's VPC CIDR (its clients of the database and cache; the primary's database "
         "admits it for eu-west-1's writes)",
         false},
        {"eu_west_1_kms_key_id", "string",
         "ARN of a KMS key in eu-west-1 (a key serves its own region only)", false},
    };
    emit__tf_variables(v, net, sizeof net / sizeof net[0]);
    if (s->redis.enabled)
        json_object_set_new(
            v, "eu_west_1_redis_auth_secret_arn",
            emit__tf_variable("string",
                              "Secrets Manager secret in eu-west-1 holding its Redis AUTH token "
                              "(a secret is read in its own region)",
                              true));
    return v;
}

/* eu-west-1's copy of the database (dbcopy.c): an RDS cross-region read replica of the
 * primary (seed §11.3, "RDS Read Replica (can promote if needed)") or an Aurora Global
 * Database secondary (seed §6.1), as mdl_regions_clone runs and bills it. The global cluster
 * is dr.c's when the scenario also has a DR region. */
static void database(const mdl_scenario *s, json_t *res)
{
    const emit_tf_copy c = {.name = EU_ALIAS,
                            .suffix = EU_REGION,
                            .provider = EU_PROVIDER,
                            .aurora = emit__region_global(s),
                            .global_cluster = !s->dr.enabled};
    emit__tf_db_copy(s, &c, res);
}

/* eu-west-1's own Redis (the model runs one per region: docs/multi-region.md), as the
 * primary's: encrypted, AUTH token read from Secrets Manager in eu-west-1. */
static void cache(const mdl_scenario *s, json_t *res, json_t *data)
{
    const mdl_redis_config *r = &s->redis;
    bool ha = r->nodes > 1;
    json_t *g = json_pack("{s:s, s:s}", "name", "flask-api-cache-eu-west-1", "subnet_ids",
                          "${var.eu_west_1_subnet_ids}");
    in_eu(g);
    emit__tf_resource(res, "aws_elasticache_subnet_group", "eu_west_1", g);
    json_t *sg = emit__tf_security_group("flask-api-cache-eu-west-1", 6379,
                                         "${var.eu_west_1_vpc_id}", "${var.eu_west_1_vpc_cidr}");
    in_eu(sg);
    emit__tf_resource(res, "aws_security_group", "eu_west_1_cache", sg);
    json_t *sv = json_pack("{s:s, s:s}", "secret_id", "${var.eu_west_1_redis_auth_secret_arn}",
                           "provider", EU_PROVIDER);
    json_object_set_new(data, "aws_secretsmanager_secret_version",
                        json_pack("{s:o}", "eu_west_1_redis_auth", sv));
    json_t *rg = json_pack(
        "{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:i, s:s, s:[s], s:b, s:b, s:s, s:s}",
        "replication_group_id", "flask-api-cache-eu-west-1", "description",
        "simulate: eu-west-1's session and cache store", "engine", "redis", "node_type",
        r->node_type, "num_cache_clusters", r->nodes, "automatic_failover_enabled", ha,
        "multi_az_enabled", ha, "port", 6379, "subnet_group_name",
        "${aws_elasticache_subnet_group.eu_west_1.name}", "security_group_ids",
        "${aws_security_group.eu_west_1_cache.id}", "at_rest_encryption_enabled", 1,
        "transit_encryption_enabled", 1, "kms_key_id", "${var.eu_west_1_kms_key_id}", "auth_token",
        "${data.aws_secretsmanager_secret_version.eu_west_1_redis_auth.secret_string}");
    in_eu(rg);
    emit__tf_resource(res, "aws_elasticache_replication_group", "eu_west_1", rg);
}

static json_t *region_file(const mdl_scenario *s)
{
    json_t *res = json_object(), *data = json_object();
    if (has_db(s))
        database(s, res);
    if (s->redis.enabled)
        cache(s, res, data);
    json_t *f = json_pack("{s:o}", "variable", variables(s));
    if (f && json_object_size(res))
        json_object_set(f, "resource", res);
    if (f && json_object_size(data))
        json_object_set(f, "data", data);
    json_decref(res);
    json_decref(data);
    return f;
}

/* ---------------------------------------------------------------- Route 53 latency records */

/* Each region's record answers for the API's name from where its latency is lowest (Route 53
 * developer guide, "Latency-based routing"), while its health check passes; a failing one
 * leaves the other region answering — the model's move of a lost region's users. */
static json_t *record(const char *region, const char *dns, const char *zone, const char *check)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:[{s:s}], s:s, s:[{s:s, s:s, s:b}]}", "zone_id",
                     "${var.route53_zone_id}", "name", "${var.api_domain_name}", "type", "A",
                     "set_identifier", region, "latency_routing_policy", "region", region,
                     "health_check_id", check, "alias", "name", dns, "zone_id", zone,
                     /* the health check alone judges the endpoint, as the model does */
                     "evaluate_target_health", 0);
}

static json_t *check(const mdl_scenario *s, const char *fqdn, const char *name)
{
    /* dns.health_check_interval (30 s standard, 10 s fast) and failure threshold, as the
     * model's checkers used them; HTTPS 443 on the API's liveness path (seed §5.3) */
    return json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:{s:s}}", "fqdn", fqdn, "port", 443, "type",
                     "HTTPS", "resource_path", "/health", "failure_threshold",
                     s->dr.health_check_failures, "request_interval",
                     s->dr.health_check_fast ? 10 : 30, "tags", "Name", name);
}

static json_t *latency_file(const mdl_scenario *s)
{
    json_t *v = json_object();
    /* dr.c declares the zone, the name and the primary's ALB when there is a DR region */
    static const emit_tf_var albs[] = {
        {"eu_west_1_alb_dns_name", "string", "DNS name of eu-west-1's ALB", false},
        {"eu_west_1_alb_zone_id", "string", "Hosted zone of eu-west-1's ALB", false},
    };
    if (!s->dr.enabled)
        emit__tf_variables(v, emit__tf_dns_vars, EMIT_TF_NDNS_VARS);
    emit__tf_variables(v, albs, sizeof albs / sizeof albs[0]);
    json_t *res = json_object();
    emit__tf_resource(res, "aws_route53_record", "primary_latency",
                      record(region1(s), "${var.primary_alb_dns_name}",
                             "${var.primary_alb_zone_id}",
                             "${aws_route53_health_check.primary_latency.id}"));
    emit__tf_resource(res, "aws_route53_record", "eu_west_1_latency",
                      record(emit__region2(s), "${var.eu_west_1_alb_dns_name}",
                             "${var.eu_west_1_alb_zone_id}",
                             "${aws_route53_health_check.eu_west_1_latency.id}"));
    emit__tf_resource(res, "aws_route53_health_check", "primary_latency",
                      check(s, "${var.primary_alb_dns_name}", "flask-api-primary-latency"));
    emit__tf_resource(res, "aws_route53_health_check", "eu_west_1_latency",
                      check(s, "${var.eu_west_1_alb_dns_name}", "flask-api-eu-west-1-latency"));
    /* CloudFront's API origin: the latency-routed name, which each edge location resolves to
     * the region nearer to it (AWS Networking & Content Delivery blog, "Using latency-based
     * routing with Amazon CloudFront for a multi-Region active-active architecture"); the
     * distribution itself is not emitted (README.md) */
    json_t *out = json_pack(
        "{s:{s:s, s:s}}", "cloudfront_api_origin_domain", "value", "${var.api_domain_name}",
        "description",
        "The domain_name of the CloudFront distribution's API origin (custom origin, HTTPS only; "
        "each region's ALB certificate must cover it)");
    return json_pack("{s:o, s:o, s:o}", "variable", v, "resource", res, "output", out);
}

int emit__tf_region(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (!emit__two_regions(s))
        return BASE_OK;
    if (emit__add(set, "terraform/region-eu-west-1.tf.json", EMIT_TF_SCHEMA, region_file(s)) ||
        emit__add(set, "terraform/route53-latency.tf.json", EMIT_TF_SCHEMA, latency_file(s)))
        return BASE_ENOMEM;
    return emit__tf_region_link(in, set);
}
