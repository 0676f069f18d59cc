/*
 * internal.h — what the files of src/emit/ share; not part of the room's public face.
 */
#ifndef SIMULATE_EMIT_INTERNAL_H
#define SIMULATE_EMIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "emit/emit.h"

#define EMIT_APP      "flask-api" /* the seed's §5.3 Deployment name */
#define EMIT_PGB_NAME "pgbouncer"

/* The annotations every object carries (a DNS-subdomain prefix, as Kubernetes asks). */
#define EMIT_ANN_SHA      "simulate.innovate.example/scenario-sha256"
#define EMIT_ANN_RUN      "simulate.innovate.example/run-id"
#define EMIT_ANN_VERSION  "simulate.innovate.example/version"
#define EMIT_ANN_SCENARIO "simulate.innovate.example/scenario"

long long emit__secs(sim_time t);
json_t *emit__cpu(int64_t millicores);
json_t *emit__memory(int64_t bytes);
json_t *emit__meta(const emit_input *in, const char *name, const char *component);
json_t *emit__arch_list(int mask);
json_t *emit__pod_spec(const emit_input *in, json_t *containers, bool api);
json_t *emit__pgbouncer_container(void);
void emit__rolling(const mdl_scenario *s, double *surge, double *unavailable);
int emit__min_pods(const mdl_scenario *s);
int emit__pdb_max_unavailable(const mdl_scenario *s);

/* Appends an object (taking its reference); non-zero when obj is NULL or the set is full. */
int emit__add(emit_set *set, const char *file, const char *schema, json_t *obj);

int emit__kubernetes(const emit_input *in, emit_set *set);
int emit__karpenter(const emit_input *in, emit_set *set);
int emit__pgbouncer(const emit_input *in, emit_set *set);
int emit__terraform(const emit_input *in, emit_set *set);
/* schedule.c: a `schedule:`'s CronJobs (and their RBAC) and, with `database: stop`, the
 * EventBridge Scheduler schedules of RDS; nothing without a schedule. */
int emit__schedule(const emit_input *in, emit_set *set);
/* The cron line of the schedule's stop (or start): Kubernetes' 5 fields, or EventBridge's
 * cron(...) expression. */
void emit__schedule_cron(const mdl_schedule_config *c, bool stop, bool eventbridge, char *out,
                         size_t len);
#define EMIT_TF_SCHEMA "terraform-aws-5.json" /* schemas/: the Terraform JSON's */
#define EMIT_TF_DB     "flask-api-db"         /* the database's identifier */

/* Terraform pieces terraform.c and dr.c share: a variable; a security group letting port in
 * from the cidr (a "${var...}") of the vpc; body as res[type][name]. */
json_t *emit__tf_variable(const char *type, const char *description, bool sensitive);
/* A row of a table of variables: emit__tf_variables declares each in a "variable" object v, in
 * the table's order. */
typedef struct emit_tf_var {
    const char *name, *type, *description;
    bool sensitive;
} emit_tf_var;
void emit__tf_variables(json_t *v, const emit_tf_var *vars, size_t n);
/* The public hosted zone, the name clients resolve and the primary region's ALB (its DNS name
 * and zone): what a DR region (dr.c) or, without one, a second active region (region.c)
 * declares for its Route 53 records. */
#define EMIT_TF_NDNS_VARS 4
extern const emit_tf_var emit__tf_dns_vars[EMIT_TF_NDNS_VARS];
json_t *emit__tf_security_group(const char *name, int port, const char *vpc, const char *cidr);
void emit__tf_resource(json_t *res, const char *type, const char *name, json_t *body);
/* dbcopy.c: the database's copy in another region (the DR region's, the second active
 * region's): its subnet group `name`, security group `name`_db and an RDS cross-region replica
 * `name`_replica or, with aurora, an Aurora Global Database secondary cluster `name` with its
 * instance `name`_1 (and aws_rds_global_cluster.main when global_cluster), identifiers
 * EMIT_TF_DB "-" suffix, variables var.`name`_subnet_ids, _vpc_id, _vpc_cidr, _kms_key_id,
 * every resource with provider `provider`; added to res. */
typedef struct emit_tf_copy {
    const char *name;     /* Terraform name and variables' prefix: "dr", "eu_west_1" */
    const char *suffix;   /* identifiers' suffix: "dr", "eu-west-1" */
    const char *provider; /* the region's aliased provider: "aws.dr", "aws.eu_west_1" */
    bool aurora;          /* a Global Database secondary, else an RDS read replica */
    bool global_cluster;  /* declare aws_rds_global_cluster.main here */
} emit_tf_copy;
void emit__tf_db_copy(const mdl_scenario *s, const emit_tf_copy *c, json_t *res);
/* dr.c: the aws provider's aliased configurations the DR region needs (a new array; NULL when
 * the scenario has no DR region), and terraform/dr.tf.json and route53.tf.json. */
json_t *emit__tf_dr_providers(const mdl_scenario *s);
int emit__tf_dr(const emit_input *in, emit_set *set);
int emit__carry(const emit_input *in, emit_set *set, base_err *err);

/* region.c: the second active region (regions: with EMEA users in eu-west-1). Whether the
 * scenario has one; its name (the folder of its manifests); whether its database is an Aurora
 * Global Database secondary (else an RDS cross-region replica); its provider alias (a new
 * object; NULL without the region); its manifests under "eu-west-1/"; its Terraform files. */
bool emit__two_regions(const mdl_scenario *s);
const char *emit__region2(const mdl_scenario *s);
bool emit__region_global(const mdl_scenario *s);
json_t *emit__tf_region_provider(const mdl_scenario *s);
int emit__region_manifests(const emit_input *in, emit_set *set);
int emit__tf_region(const emit_input *in, emit_set *set);
/* regionlink.c: eu-west-1's EKS cluster, its system node group and node roles, and the VPC
 * peering its writes to the primary cross (terraform/eks-eu-west-1.tf.json, vpc-peering). */
int emit__tf_region_link(const emit_input *in, emit_set *set);

/* replicas.c: read replicas added under load. The scenario's rule (NULL: none); whether it is
 * Aurora Auto Scaling's target tracking (else a rule of the user's, alarms only); whether the
 * rule's datapoints or scale-in ratio differ from what Application Auto Scaling uses;
 * terraform/replica-scaling.tf.json. */
const mdl_replica_scaling *emit__replica_scaling(const mdl_scenario *s);
bool emit__replicas_tracked(const mdl_scenario *s);
bool emit__replicas_aas_differs(const mdl_replica_scaling *rs);
int emit__replicas(const emit_input *in, emit_set *set);

/* A NodePool's simulated peak vCPUs (the run's peak nodes of its architectures, each at the
 * largest type it allows) and the CPU limit emitted for it; -1 without a run. */
double emit__pool_peak_cpu(const emit_input *in, size_t pool);
long long emit__pool_cpu_limit(const emit_input *in, size_t pool);
/* With a NodePool limit the run played: the most vCPUs its nodes had at once in the busiest
 * replication (0 without a run), and the fewest vCPUs of a type it may launch (0: none). */
int emit__pool_peak_vcpu(const emit_input *in, size_t pool);
int emit__pool_least_vcpu(const emit_input *in, size_t pool);

#endif
