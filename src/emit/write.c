/*
 * write.c — the emitted folder: kubernetes/ and karpenter/ (one YAML file per object),
 * pgbouncer.ini and README.md (what it is, the objectives the run met and by what margin, the
 * monthly bill, the parameters to fill).
 */
#include "emit/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ${PARAMETERS} the objects use, each with what to put there. */
static const char *const params[][2] = {
    {"API_IMAGE", "the API's image in ECR, by tag or digest (seed §5.4), never :latest"},
    {"PGBOUNCER_IMAGE", "a PgBouncer image that reads /etc/pgbouncer/pgbouncer.ini"},
    {"DB_ENDPOINT", "the RDS/Aurora writer endpoint (Terraform output)"},
    {"VPC_CIDR", "the VPC's CIDR (seed §4.1), for the NetworkPolicy"},
    {"ACM_CERTIFICATE_ARN", "the ALB listener's certificate"},
    {"API_ROLE_ARN", "the IAM role of the API's service account (IRSA)"},
    {"CLUSTER_NAME", "the EKS cluster: the karpenter.sh/discovery tag of its subnets and "
                     "security groups"},
    {"KARPENTER_NODE_ROLE", "the IAM role Karpenter's nodes get"},
};

static bool is_tf(const char *file)
{
    size_t n = strlen(file);
    return n >= 8 && !strcmp(file + n - 8, ".tf.json");
}

/* What a Terraform file declares: its resource types, else its top-level blocks. */
static void tf_contents(base_buf *b, const json_t *obj)
{
    const json_t *what = json_object_get(obj, "resource");
    if (!what)
        what = obj;
    const char *k;
    json_t *v;
    const char *sep = "";
    json_object_foreach((json_t *)what, k, v)
    {
        base_buf_addf(b, "%s%s", sep, k);
        sep = ", ";
    }
}

static int write_text(const char *dir, const char *rel, const char *text, base_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = '\0';
        int st = base_mkdir_p(path, err);
        *slash = '/';
        if (st != BASE_OK)
            return st;
    }
    return base_write_file_atomic(path, text, strlen(text), err);
}

/* The title, where it came from, and the checks' verdict. */
static void readme_head(base_buf *b, const emit_input *in, const emit_findings *f)
{
    base_buf_addf(b,
                  "# Deployment config of scenario `%s`\n\n"
                  "Emitted by simulate %s from %s (SHA-256 `%s`)",
                  in->s->name, SIMULATE_VERSION,
                  in->shown      ? in->shown
                  : in->scenario ? in->scenario
                                 : "the scenario",
                  in->sha256);
    if (in->run_id > 0)
        base_buf_addf(b, ", run %lld of the results store", (long long)in->run_id);
    base_buf_adds(b, ". Every object carries those in its annotations. The values are the ones the "
                     "simulation played; docs/emit.md in the simulate repository gives each "
                     "field's origin.\n\n");
    if (f && f->n > 0) {
        base_buf_adds(b, "**It FAILED its checks; do not apply it as is.** Findings:\n\n");
        for (size_t i = 0; i < f->n; i++)
            base_buf_addf(b, "- %s\n", f->line[i]);
        base_buf_adds(b, "\nThe checks: ");
    } else
        base_buf_adds(b, "It passed three checks when emitted: ");
    base_buf_adds(
        b, "each object against its JSON Schema "
           "(Kubernetes v1.30 standalone-strict, Karpenter v1 CRDs, simulate's schema of the "
           "Terraform aws provider 5.x arguments), a reviewer's policy "
           "(probes, requests and limits, a PodDisruptionBudget, spread over zones, the "
           "restricted security posture, secrets by reference), and consistency with "
           "the run (HPA maximum, database connections, NodePool limits, the PDB).\n\n"
           "## Files\n\n");
}

/* One line per written file: a Terraform file's resource types, a manifest's kind and name. */
static void readme_files(base_buf *b, const emit_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        if (is_tf(set->o[i].file)) {
            base_buf_addf(b, "- `%s`: Terraform, ", set->o[i].file);
            tf_contents(b, set->o[i].obj);
            base_buf_adds(b, "\n");
            continue;
        }
        base_buf_addf(
            b, "- `%s`: %s %s\n", set->o[i].file,
            json_string_value(json_object_get(set->o[i].obj, "kind")),
            json_string_value(json_object_get(json_object_get(set->o[i].obj, "metadata"), "name")));
    }
    if (set->pgbouncer_ini)
        base_buf_adds(b, "- `pgbouncer.ini`: PgBouncer's settings (also in the ConfigMap)\n");
}

/* The schedule (docs/dev-environment.md): what the CronJobs and Scheduler entries do. */
static void readme_schedule(base_buf *b, const emit_input *in)
{
    if (!in->s->schedule.enabled)
        return;
    char stop[64], start[64];
    emit__schedule_cron(&in->s->schedule, true, false, stop, sizeof stop);
    emit__schedule_cron(&in->s->schedule, false, false, start, sizeof start);
    base_buf_addf(b,
                  "\n## The schedule\n\n"
                  "The CronJobs `" EMIT_APP "-stop` (`%s`) and `" EMIT_APP "-start` (`%s`) "
                  "scale the Deployment to 0 and back to %d replicas with `kubectl scale`; "
                  "the HPA leaves a Deployment at 0 alone and resumes after the start. Their "
                  "times are the scenario's local times: without `timeZone` a CronJob "
                  "follows kube-controller-manager's time zone.\n",
                  stop, start, in->s->api.replicas);
    if (in->s->schedule.database == MDL_SCHEDULE_DB_STOP && in->s->db.enabled &&
        in->s->db.engine == MDL_DB_RDS)
        base_buf_adds(b, "EventBridge Scheduler stops and starts the RDS instance at the same "
                         "times (`terraform/schedule.tf.json`, time zone "
                         "`var.schedule_timezone`); its storage is billed while stopped.\n");
}

/* The objectives the run met and by what margin, the bill, the peak pods. */
static void readme_run(base_buf *b, const emit_input *in)
{
    base_buf_adds(b, "\n## What the run showed\n\n");
    if (!in->sum) {
        base_buf_adds(b, "No run: the objects are the scenario's settings alone.\n");
        return;
    }
    if (in->nobjectives == 0)
        base_buf_adds(b, "The scenario states no objectives.\n");
    else
        base_buf_adds(b, "| objective | measured (mean) | verdict | margin |\n"
                         "|---|---|---|---|\n");
    for (size_t i = 0; i < in->nobjectives; i++) {
        const emit_objective *o = &in->objectives[i];
        if (!o->known) {
            base_buf_addf(b, "| `%s` | not measured | - | - |\n", o->text);
            continue;
        }
        double margin = o->limit - o->measured;
        base_buf_addf(b, "| `%s` | %.4g | %s | %.4g (%+.0f%% of the threshold) |\n", o->text,
                      o->measured, o->met ? "met" : "FAILED", fabs(margin),
                      o->limit != 0 ? 100.0 * fabs(margin) / fabs(o->limit) : 0.0);
    }
    const eng_figure *c = eng_summary_figure(in->sum, "monthly_cost");
    if (c)
        base_buf_addf(b,
                      "\nMonthly bill: %.0f USD (95%% interval %.0f to %.0f USD across "
                      "replications).\n",
                      c->ci.mean, c->ci.mean - (isnan(c->ci.half) ? 0 : c->ci.half),
                      c->ci.mean + (isnan(c->ci.half) ? 0 : c->ci.half));
    int peak = 0;
    for (int r = 0; r < in->sum->replications; r++)
        peak = in->sum->reps[r].peak_pods > peak ? in->sum->reps[r].peak_pods : peak;
    base_buf_addf(b,
                  "Peak API pods: %d. NodePool CPU limits are the simulated peak's vCPUs "
                  "x %.1f.\n",
                  peak, EMIT_NODE_HEADROOM);
}

/* The ${PARAMETERS} and the secrets to create. */
static void readme_params(base_buf *b)
{
    base_buf_adds(b, "\n## Parameters to fill\n\n"
                     "The files name what a simulation cannot know as `${NAME}`; substitute "
                     "them before applying (e.g. `envsubst`):\n\n");
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        base_buf_addf(b, "- `${%s}`: %s\n", params[i][0], params[i][1]);
    base_buf_adds(b, "\nSecrets are referenced, never included: create `db-credentials` "
                     "(key `password`), `redis-credentials` (key `auth-token`) and "
                     "`pgbouncer-userlist` (key `userlist.txt`) from AWS Secrets Manager "
                     "(External Secrets Operator, seed §7.2).\n");
}

/* The Terraform: its variables, the DR region's files, the budget. */
static void readme_terraform(base_buf *b, const emit_input *in)
{
    const mdl_scenario *s = in->s;
    base_buf_adds(b, "\n## Terraform\n\n"
                     "`terraform/` is Terraform JSON syntax for the hashicorp/aws provider 5.x. "
                     "Give its variables (variables.tf.json: VPC, subnets, KMS key, the Secrets "
                     "Manager ARNs of the database password and the Redis AUTH token, the SNS "
                     "topic of the alarms) in a `*.tfvars` file; secrets are read by ARN at apply "
                     "time and never written here. It was checked against simulate's schema of "
                     "these resources' arguments, not by `terraform validate`.\n");
    if (s->dr.enabled)
        base_buf_adds(b, "\nThe DR region (seed §12): `dr.tf.json` holds the database's copy there "
                         "(under the provider alias `aws.dr`) and its variables (the DR region, "
                         "default us-west-2, its VPC, subnets, CIDR and KMS key, the hosted zone, "
                         "the API's name and both ALBs); `route53.tf.json` the failover records. ");
    if (s->dr.enabled && s->dr.health_check)
        base_buf_adds(b, "With the health check, Route 53 sends clients to the DR region when it "
                         "fails, which may be before the runbook promotes the database there (the "
                         "simulation moved them at the runbook's step 4).\n");
    else if (s->dr.enabled)
        base_buf_adds(
            b, "Without a health check (as simulated), the switch is the runbook's "
               "step 4, by hand (point the PRIMARY record's alias at the DR region's ALB).\n");
    if (emit_budget_limit(in->sum) < 0)
        base_buf_adds(b, "\nNo AWS Budgets budget: without a run there is no monthly cost to "
                         "set it from (run `simulate emit` on a run, not on the scenario "
                         "alone).\n");
}

/* The second active region (region.c): its folder, its parameters, its Terraform, and what
 * is not emitted (its EKS cluster and CloudFront, as for the primary). */
static void readme_region(base_buf *b, const emit_input *in)
{
    const mdl_scenario *s = in->s;
    if (!emit__two_regions(s))
        return;
    const char *r = emit__region2(s);
    base_buf_addf(
        b,
        "\n## The second region (%s)\n\n"
        "EMEA's users are served from %s (seed §11.3): `%s/kubernetes/` and `%s/karpenter/` are "
        "its manifests, made from the scenario as that region ran (its HPA bounds "
        "`regions.min_replicas`/`max_replicas`, its prices); apply them to %s's EKS cluster with "
        "the parameters above given %s's values (its VPC CIDR, cluster, certificate: an ACM "
        "certificate serves its own region only, roles), where `${DB_ENDPOINT}` is its local "
        "copy of the database (reads) and two more are asked: `${PRIMARY_DB_ENDPOINT}`, the "
        "primary's writer endpoint, where its pods write (env `DB_WRITE_HOST`: writes cross the "
        "Atlantic, as simulated), and `${PRIMARY_VPC_CIDR}`, the primary's VPC (the "
        "NetworkPolicy's egress to it, through the VPC peering below). Its NodePool CPU limits are "
        "set from the run's peak nodes, which "
        "are the two regions' peaks added (an upper bound for either).\n\n",
        r, r, r, r, r, r);
    base_buf_addf(
        b,
        "`terraform/region-%s.tf.json` holds, under the provider alias `aws.eu_west_1`, its "
        "database (%s), its Redis and their network (`eu_west_1_*` variables); the primary's "
        "database security group admits `var.eu_west_1_vpc_cidr` for the writes. "
        "`terraform/route53-latency.tf.json` holds Route 53's latency records for the API's "
        "name, one per region (`set_identifier` and `latency_routing_policy` the region), each "
        "with its health check at the simulated interval and failure threshold: a region whose "
        "check fails stops being answered and its users move to the other. "
        "CloudFront's distribution is not in this Terraform (nor is the primary's): give its API "
        "origin the latency-routed name (`var.api_domain_name`, output "
        "`cloudfront_api_origin_domain`), so that each edge's lookup answers the region nearer "
        "to it (AWS Networking & Content Delivery blog, \"Using latency-based routing with "
        "Amazon CloudFront for a multi-Region active-active architecture\"); each region's ALB "
        "certificate (`${ACM_CERTIFICATE_ARN}`, one per region) must cover that name.\n\n"
        "`terraform/eks-%s.tf.json` holds %s's EKS cluster (API server private only, seed "
        "§4.4; Kubernetes 1.30; secrets encrypted with `var.eu_west_1_kms_key_id`) in "
        "`var.eu_west_1_app_subnet_ids`, its system node group as simulated (`cluster.system`: "
        "type and count, On-Demand), and the role its Karpenter nodes take with the access "
        "entry that lets them join: outputs `eu_west_1_cluster_name` and "
        "`eu_west_1_karpenter_node_role` are `${CLUSTER_NAME}` and `${KARPENTER_NODE_ROLE}` in "
        "`%s/`; tag its subnets and node security group `karpenter.sh/discovery` with the "
        "cluster's name. Not emitted, as for us-east-1 (whose cluster is not in this Terraform "
        "either): Karpenter's controller (its IAM role, interruption queue and Helm release), the "
        "AWS Load Balancer Controller, metrics-server. `terraform/vpc-peering.tf.json` joins the "
        "two VPCs for eu-west-1's writes to the primary: an inter-Region VPC peering "
        "connection (requested from us-east-1, accepted in %s) and a route to the other VPC's "
        "CIDR in each of `var.route_table_ids` and `var.eu_west_1_route_table_ids`; the two "
        "CIDRs must not overlap. Peering rather than a Transit Gateway: no hourly charge, and "
        "its traffic is the inter-Region transfer the simulation billed. The database's own "
        "replication to %s needs no link (AWS carries it).\n",
        r,
        emit__region_global(s) ? "an Aurora Global Database secondary cluster"
                               : "an RDS cross-region read replica of the primary, by ARN",
        r, r, r, r, r);
    if (s->dr.enabled)
        base_buf_adds(b, "\n**Both a DR region and latency routing**: Route 53 refuses failover "
                         "and latency records of the same name and type; keep one of "
                         "`route53.tf.json` and `route53-latency.tf.json` (the simulation "
                         "played the latency records for EMEA's users and the DR runbook for "
                         "us-east-1's loss).\n");
}

/* Read replicas added under load (replicas.c): what runs the rule, plainly. */
static void readme_replicas(base_buf *b, const emit_input *in)
{
    const mdl_scenario *s = in->s;
    const mdl_replica_scaling *rs = emit__replica_scaling(s);
    if (!rs)
        return;
    base_buf_adds(b, "\n## Read replicas added under load\n\n");
    if (emit__replicas_tracked(s)) {
        base_buf_addf(b,
                      "Aurora Auto Scaling runs the rule: `terraform/replica-scaling.tf.json` "
                      "registers the cluster's reader count (`rds:cluster:ReadReplicaCount`) "
                      "between %d and %d readers (the fixed readers count towards both) and "
                      "tracks `RDSReaderAverageCPUUtilization` at %.4g%%, cooldowns %llds in "
                      "and %llds out. The readers it adds are not in Terraform's state.\n",
                      rs->min, rs->max, rs->target * 100, emit__secs(rs->in_cooldown),
                      emit__secs(rs->out_cooldown));
        if (emit__replicas_aas_differs(rs))
            base_buf_addf(b,
                          "The scenario's datapoints (%d out, %d in) or scale-in threshold "
                          "(%.4g%% of the target) differ from Application Auto Scaling's own "
                          "alarms (3 out, 15 in, 90%%), which are not settable: the policy "
                          "acts as AWS's, not as simulated.\n",
                          rs->out_periods, rs->in_periods, rs->in_ratio * 100);
        return;
    }
    if (s->db.engine == MDL_DB_RDS && rs->metric == MDL_RS_READER_CPU) {
        base_buf_adds(b, "**Nothing here adds or removes replicas.** RDS has no replica auto "
                         "scaling, and the rule the run played watches the replicas' average "
                         "CPU, which CloudWatch has no one metric for: build it yourself (a "
                         "metric math alarm over the replicas' CPUUtilization and a function "
                         "that calls CreateDBInstanceReadReplica and DeleteDBInstance).\n");
        return;
    }
    base_buf_addf(b,
                  "**Nothing in AWS adds or removes these replicas by itself** (%s). "
                  "`terraform/replica-scaling.tf.json` holds the rule's trigger: alarm "
                  "`db_replicas_scale_out` (primary CPU above %.4g%% for %d one-minute "
                  "datapoints) and `db_replicas_scale_in` (below %.4g%% for %d), notifying "
                  "`var.alarm_sns_topic_arn`. On scale-out, if fewer than %d replicas exist and "
                  "none was added in the last %lld s, create one "
                  "(%s; it serves minutes later, as `create_time` simulated); "
                  "on scale-in, if more than %d exist "
                  "and nothing scaled in the last %lld s, delete the newest one the rule added. "
                  "A person following this, or a Lambda function subscribed to the topic, runs "
                  "it; neither is emitted. Replicas so made are not in Terraform's state.\n",
                  s->db.engine == MDL_DB_AURORA
                      ? "Aurora Auto Scaling tracks the readers' CPU, not the writer's that the "
                        "run's rule watched: that rule is yours"
                      : "RDS has no replica auto scaling; the rule the run played is yours",
                  rs->target * 100, rs->out_periods, rs->target * rs->in_ratio * 100,
                  rs->in_periods, rs->max, emit__secs(rs->out_cooldown),
                  s->db.engine == MDL_DB_AURORA
                      ? "`aws rds create-db-instance` into the cluster, class db.serverless"
                      : "`aws rds create-db-instance-read-replica`, the primary's class",
                  rs->min, emit__secs(rs->in_cooldown));
}

static void readme(base_buf *b, const emit_input *in, const emit_set *set, const emit_findings *f)
{
    readme_head(b, in, f);
    readme_files(b, set);
    readme_schedule(b, in);
    readme_run(b, in);
    readme_params(b);
    readme_terraform(b, in);
    readme_region(b, in);
    readme_replicas(b, in);
}

int emit_write(const emit_input *in, const emit_set *set, const emit_findings *findings,
               const char *dir, base_err *err)
{
    int st = base_mkdir_p(dir, err);
    for (size_t i = 0; st == BASE_OK && i < set->n; i++) {
        /* Terraform JSON: sorted keys, so the same scenario gives the same bytes */
        char *y = is_tf(set->o[i].file) ? json_dumps(set->o[i].obj, JSON_INDENT(2) | JSON_SORT_KEYS)
                                        : emit_yaml(set->o[i].obj);
        st = y ? write_text(dir, set->o[i].file, y, err)
               : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        free(y);
    }
    if (st == BASE_OK && set->pgbouncer_ini)
        st = write_text(dir, "pgbouncer.ini", set->pgbouncer_ini, err);
    if (st == BASE_OK) {
        base_buf b = {0};
        readme(&b, in, set, findings);
        st = b.oom || !b.p ? base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory")
                           : write_text(dir, "README.md", b.p, err);
        base_buf_free(&b);
    }
    return st;
}
