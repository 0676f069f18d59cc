/*
 * regionlink.c — what a team needs, besides its database and Redis (region.c), to apply the
 * second active region of seed §11.3 ("us-east-1 (primary) / eu-west-1 (EMEA users) ... EKS
 * ... EKS"): eu-west-1's EKS cluster with the system node group the model bills and the node
 * role its Karpenter NodePools name (terraform/eks-eu-west-1.tf.json), and the link between the
 * two VPCs that eu-west-1's pods write to the primary across (terraform/vpc-peering.tf.json).
 *
 * The cluster is as the seed's §4.4 and §5.2 give it: the API server private only
 * (endpoint_private_access true, endpoint_public_access false), a system node group of
 * `cluster.system.type` × `cluster.system.count` On-Demand nodes (seed §5.2; the clone of the
 * scenario that eu-west-1 ran bills them, cost.c), Kubernetes 1.30 (the version whose schemas
 * the manifests are checked against), secrets encrypted with eu-west-1's KMS key. Karpenter's
 * nodes get their own role with the four managed policies of Karpenter's getting-started
 * template (AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryReadOnly,
 * AmazonSSMManagedInstanceCore: karpenter.sh, "Getting Started with Karpenter", its
 * CloudFormation) and an EKS access entry of type EC2_LINUX so that its nodes join (EKS user
 * guide, "Create access entries"; a managed node group's role gets its entry from EKS itself,
 * so the two roles are distinct). Karpenter's controller (its IAM role, interruption queue and
 * Helm release) is not emitted: README.md says so.
 *
 * The link is an inter-Region VPC peering connection (VPC Peering guide, "Inter-Region VPC
 * peering"), not a Transit Gateway: two VPCs need no hub, a peering connection has no hourly
 * charge and its traffic is billed as inter-Region transfer — the $0.02/GB the model bills
 * (docs/multi-region.md, "Transfer") — where a Transit Gateway adds attachment hours and a
 * per-GB processing charge the model does not play. The requester is the primary's VPC; an
 * inter-Region request is accepted in the accepter's region (EC2 API AcceptVpcPeeringConnection),
 * so its accepter resource names `aws.eu_west_1` and the requester sets `auto_accept` false
 * with `peer_region` (provider docs, aws_vpc_peering_connection: "peer_region ... auto_accept
 * must be false"). A route to the other VPC's CIDR in each of the given route tables. The
 * RDS/Aurora replication itself needs no link (AWS carries it); the writes of eu-west-1's
 * pods to `${PRIMARY_DB_ENDPOINT}` do (the primary is not publicly accessible, and its security
 * group admits `var.eu_west_1_vpc_cidr`: terraform.c).
 *
 * Arguments are the hashicorp/aws provider 5.x's (registry.terraform.io/providers/hashicorp/aws/
 * 5.x/docs: aws_eks_cluster, aws_eks_node_group, aws_eks_access_entry, aws_iam_role,
 * aws_iam_role_policy_attachment, aws_vpc_peering_connection,
 * aws_vpc_peering_connection_accepter, aws_route), as schemas/terraform-aws-5.json holds them.
 */
#include "emit/internal.h"

#include <stdio.h>

#define EU_PROVIDER "aws.eu_west_1"
#define EU_REGION   "eu-west-1"
#define K8S_VERSION "1.30" /* schemas/: the manifests are checked against Kubernetes v1.30 */

/* The managed policies an EKS node's role carries (Karpenter's getting-started template; the
 * first three are EKS's own node role's: EKS user guide, "Amazon EKS node IAM role"). */
static const char *const node_policies[][2] = {
    {"worker", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"},
    {"cni", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"},
    {"ecr", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"},
    {"ssm", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"},
};

static json_t *assume(const char *service)
{
    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
             "{\"Service\":\"%s\"},\"Action\":\"sts:AssumeRole\"}]}",
             service);
    return json_string(doc);
}

/* A role `name` trusted by service, with the managed policies attached (IAM is global: the
 * default provider). */
static void role(json_t *res, const char *name, const char *iam_name, const char *description,
                 const char *service, const char *const (*policies)[2], size_t npolicies)
{
    json_t *r = json_pack("{s:s, s:s}", "name", iam_name, "description", description);
    if (r)
        json_object_set_new(r, "assume_role_policy", assume(service));
    emit__tf_resource(res, "aws_iam_role", name, r);
    for (size_t i = 0; i < npolicies; i++) {
        char ref[96], key[96];
        snprintf(ref, sizeof ref, "${aws_iam_role.%s.name}", name);
        snprintf(key, sizeof key, "%s_%s", name, policies[i][0]);
        emit__tf_resource(res, "aws_iam_role_policy_attachment", key,
                          json_pack("{s:s, s:s}", "role", ref, "policy_arn", policies[i][1]));
    }
}

static json_t *eks_variables(void)
{
    json_t *v = json_object();
    json_t *name = emit__tf_variable("string",
                                     "eu-west-1's EKS cluster (the CLUSTER_NAME parameter of "
                                     "eu-west-1/: the karpenter.sh/discovery tag "
                                     "its Karpenter finds subnets and security groups by)",
                                     false);
    json_object_set_new(name, "default", json_string("flask-api-" EU_REGION));
    json_object_set_new(v, "eu_west_1_cluster_name", name);
    json_object_set_new(
        v, "eu_west_1_app_subnet_ids",
        emit__tf_variable("list(string)",
                          "eu-west-1's private application subnets, one per Availability Zone "
                          "(seed 4.1: EKS nodes), tagged karpenter.sh/discovery",
                          false));
    return v;
}

static json_t *eks_file(const mdl_scenario *s)
{
    json_t *res = json_object();
    static const char *const cluster_policy[][2] = {
        {"policy", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"}};
    role(res, "eu_west_1_eks_cluster", "flask-api-" EU_REGION "-eks-cluster",
         "simulate: eu-west-1's EKS control plane", "eks.amazonaws.com", cluster_policy, 1);
    size_t np = sizeof node_policies / sizeof node_policies[0];
    role(res, "eu_west_1_karpenter_node", "flask-api-" EU_REGION "-karpenter-node",
         "simulate: eu-west-1's Karpenter nodes (the KARPENTER_NODE_ROLE parameter of eu-west-1/)",
         "ec2.amazonaws.com", node_policies, np);
    /* seed §4.4: "EKS API server is private only"; the cluster role's policy before the
     * cluster (the provider docs' example: otherwise EKS cannot delete what it made) */
    json_t *c = json_pack(
        "{s:s, s:s, s:s, s:[{s:s, s:b, s:b}], s:[{s:s}], s:[{s:[s], s:[{s:s}]}], s:s, s:[s]}",
        "name", "${var.eu_west_1_cluster_name}", "role_arn",
        "${aws_iam_role.eu_west_1_eks_cluster.arn}", "version", K8S_VERSION, "vpc_config",
        "subnet_ids", "${var.eu_west_1_app_subnet_ids}", "endpoint_private_access", 1,
        "endpoint_public_access", 0, "access_config", "authentication_mode", "API",
        "encryption_config", "resources", "secrets", "provider", "key_arn",
        "${var.eu_west_1_kms_key_id}", "provider", EU_PROVIDER, "depends_on",
        "aws_iam_role_policy_attachment.eu_west_1_eks_cluster_policy");
    emit__tf_resource(res, "aws_eks_cluster", "eu_west_1", c);
    emit__tf_resource(res, "aws_eks_access_entry", "eu_west_1_karpenter_node",
                      json_pack("{s:s, s:s, s:s, s:s}", "cluster_name",
                                "${aws_eks_cluster.eu_west_1.name}", "principal_arn",
                                "${aws_iam_role.eu_west_1_karpenter_node.arn}", "type", "EC2_LINUX",
                                "provider", EU_PROVIDER));
    /* seed §5.2's system node group (Karpenter, CoreDNS, metrics-server, the ALB controller),
     * as the model bills it for eu-west-1: its type and count, On-Demand, fixed */
    if (s->cluster.system_nodes > 0) {
        /* EKS's own node role: the first three (EKS user guide, "Amazon EKS node IAM role") */
        role(res, "eu_west_1_system_node", "flask-api-" EU_REGION "-system-node",
             "simulate: eu-west-1's system node group", "ec2.amazonaws.com", node_policies, 3);
        json_t *ng =
            json_pack("{s:s, s:s, s:s, s:s, s:[s], s:s, s:[{s:i, s:i, s:i}], s:s, s:[s, s, s]}",
                      "cluster_name", "${aws_eks_cluster.eu_west_1.name}", "node_group_name",
                      "system", "node_role_arn", "${aws_iam_role.eu_west_1_system_node.arn}",
                      "subnet_ids", "${var.eu_west_1_app_subnet_ids}", "instance_types",
                      s->cluster.system_type, "capacity_type", "ON_DEMAND", "scaling_config",
                      "desired_size", s->cluster.system_nodes, "min_size", s->cluster.system_nodes,
                      "max_size", s->cluster.system_nodes, "provider", EU_PROVIDER, "depends_on",
                      "aws_iam_role_policy_attachment.eu_west_1_system_node_worker",
                      "aws_iam_role_policy_attachment.eu_west_1_system_node_cni",
                      "aws_iam_role_policy_attachment.eu_west_1_system_node_ecr");
        emit__tf_resource(res, "aws_eks_node_group", "eu_west_1_system", ng);
    }
    json_t *out = json_object();
    json_object_set_new(out, "eu_west_1_cluster_name",
                        json_pack("{s:s, s:s}", "value", "${aws_eks_cluster.eu_west_1.name}",
                                  "description", "the CLUSTER_NAME parameter of eu-west-1/"));
    json_object_set_new(out, "eu_west_1_karpenter_node_role",
                        json_pack("{s:s, s:s}", "value",
                                  "${aws_iam_role.eu_west_1_karpenter_node.name}", "description",
                                  "the KARPENTER_NODE_ROLE parameter of eu-west-1/karpenter/"));
    return json_pack("{s:o, s:o, s:o}", "variable", eks_variables(), "resource", res, "output",
                     out);
}

/* A route to cidr through the peering connection in each of the route tables var.<tables>. */
static json_t *routes(const char *tables, const char *cidr, bool eu)
{
    char count[96], table[128];
    snprintf(count, sizeof count, "${length(var.%s)}", tables);
    snprintf(table, sizeof table, "${var.%s[count.index]}", tables);
    json_t *r = json_pack("{s:s, s:s, s:s, s:s}", "count", count, "route_table_id", table,
                          "destination_cidr_block", cidr, "vpc_peering_connection_id",
                          "${aws_vpc_peering_connection.eu_west_1.id}");
    if (r && eu)
        json_object_set_new(r, "provider", json_string(EU_PROVIDER));
    /* a route through a connection still pending acceptance would be a blackhole */
    if (r)
        json_object_set_new(r, "depends_on",
                            json_pack("[s]", "aws_vpc_peering_connection_accepter.eu_west_1"));
    return r;
}

static json_t *peering_file(void)
{
    json_t *v = json_object();
    json_object_set_new(
        v, "route_table_ids",
        emit__tf_variable("list(string)",
                          "The primary VPC's private route tables (its pods' and data subnets')",
                          false));
    json_object_set_new(
        v, "eu_west_1_route_table_ids",
        emit__tf_variable("list(string)", "eu-west-1's private route tables", false));
    json_t *res = json_object();
    emit__tf_resource(res, "aws_vpc_peering_connection", "eu_west_1",
                      json_pack("{s:s, s:s, s:s, s:b, s:{s:s}}", "vpc_id", "${var.vpc_id}",
                                "peer_vpc_id", "${var.eu_west_1_vpc_id}", "peer_region", EU_REGION,
                                "auto_accept", 0, "tags", "Name", "flask-api-us-to-" EU_REGION));
    emit__tf_resource(res, "aws_vpc_peering_connection_accepter", "eu_west_1",
                      json_pack("{s:s, s:b, s:{s:s}, s:s}", "vpc_peering_connection_id",
                                "${aws_vpc_peering_connection.eu_west_1.id}", "auto_accept", 1,
                                "tags", "Name", "flask-api-us-to-" EU_REGION, "provider",
                                EU_PROVIDER));
    emit__tf_resource(res, "aws_route", "to_eu_west_1",
                      routes("route_table_ids", "${var.eu_west_1_vpc_cidr}", false));
    emit__tf_resource(res, "aws_route", "eu_west_1_to_primary",
                      routes("eu_west_1_route_table_ids", "${var.vpc_cidr}", true));
    return json_pack("{s:o, s:o}", "variable", v, "resource", res);
}

int emit__tf_region_link(const emit_input *in, emit_set *set)
{
    if (!emit__two_regions(in->s))
        return BASE_OK;
    if (emit__add(set, "terraform/eks-eu-west-1.tf.json", EMIT_TF_SCHEMA, eks_file(in->s)) ||
        emit__add(set, "terraform/vpc-peering.tf.json", EMIT_TF_SCHEMA, peering_file()))
        return BASE_ENOMEM;
    return BASE_OK;
}
