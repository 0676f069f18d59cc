/*
 * parts.c — the names of the bill's components and of the parts the summary groups them into:
 * the one table each, so that a component is matched by its id everywhere and named in one
 * place (issue 14: judge.c and cost.c matched "RDS" with strcmp, and a rename zeroed a figure).
 */
#include "cost/cost.h"

static const struct {
    const char *name;
    cost_part part;
} components[COST_NCOMPONENTS] = {
    [COST_EKS] = {"EKS", COST_PART_EKS},
    [COST_EC2_NODES] = {"EC2 nodes", COST_PART_NODES},
    [COST_ALB] = {"ALB", COST_PART_ALB},
    [COST_CLOUDFRONT] = {"CloudFront", COST_PART_CLOUDFRONT},
    [COST_S3] = {"S3", COST_PART_S3},
    [COST_NAT_GATEWAY] = {"NAT gateway", COST_PART_NAT},
    [COST_RDS] = {"RDS", COST_PART_DATABASE},
    [COST_AURORA] = {"Aurora", COST_PART_DATABASE},
    [COST_ELASTICACHE] = {"ElastiCache", COST_PART_CACHE},
    [COST_DATA_TRANSFER] = {"Data transfer", COST_PART_TRANSFER},
    [COST_SECRETS] = {"Secrets", COST_PART_OTHER},
    [COST_ROUTE53] = {"Route 53", COST_PART_OTHER},
    [COST_CLOUDWATCH] = {"CloudWatch", COST_PART_OTHER},
    [COST_DR_REGION] = {"DR region", COST_PART_DR},
};

static const struct {
    const char *key, *label;
} parts[COST_NPARTS] = {
    [COST_PART_EKS] = {"cost_eks", "EKS control plane"},
    [COST_PART_NODES] = {"cost_nodes", "EC2 nodes"},
    [COST_PART_ALB] = {"cost_alb", "load balancer"},
    [COST_PART_CLOUDFRONT] = {"cost_cloudfront", "CloudFront"},
    [COST_PART_S3] = {"cost_s3", "S3"},
    [COST_PART_NAT] = {"cost_nat", "NAT gateways"},
    [COST_PART_DATABASE] = {"cost_database", "database"},
    [COST_PART_CACHE] = {"cost_cache", "ElastiCache"},
    [COST_PART_TRANSFER] = {"cost_transfer", "data transfer"},
    [COST_PART_OTHER] = {"cost_other", "Secrets, DNS, alarms"},
    [COST_PART_DR] = {"cost_dr", "DR region (standby)"},
};

const char *cost_component_name(cost_component c)
{
    return (unsigned)c < COST_NCOMPONENTS ? components[c].name : "?";
}

cost_part cost_component_part(cost_component c)
{
    return (unsigned)c < COST_NCOMPONENTS ? components[c].part : COST_PART_OTHER;
}

const char *cost_part_key(cost_part p)
{
    return (unsigned)p < COST_NPARTS ? parts[p].key : "?";
}

const char *cost_part_label(cost_part p)
{
    return (unsigned)p < COST_NPARTS ? parts[p].label : "?";
}

int64_t cost_part_total(const cost_month *m, cost_part p)
{
    int64_t micro = 0;
    for (size_t i = 0; i < m->n; i++)
        if (components[m->lines[i].comp].part == p)
            micro += m->lines[i].monthly;
    return micro;
}
