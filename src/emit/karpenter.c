/*
 * karpenter.c — the scenario's Karpenter v1 NodePools (seed §5.2) and the EC2NodeClass they
 * share (karpenter.sh/v1 and karpenter.k8s.aws/v1 CRDs, aws/karpenter-provider-aws docs,
 * "NodePools" and "NodeClasses").
 */
#include "emit/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NODECLASS "default"

/* Whether catalog type t may be launched by pool p (its families and architectures). */
static bool pool_allows(const mdl_nodepool *p, const cost_instance_type *t)
{
    if (!(p->arch & t->arch))
        return false;
    for (size_t i = 0; i < p->nfamilies; i++)
        if (!strcmp(p->families[i], t->family))
            return true;
    return false;
}

double emit__pool_peak_cpu(const emit_input *in, size_t pool)
{
    if (!in->sum || in->sum->replications < 1)
        return -1;
    const mdl_scenario *s = in->s;
    const mdl_nodepool *p = &s->cluster.pools[pool];
    const cost_catalog *cat = &s->cluster.catalog;
    double peak = 0;
    for (int a = 0; a < 2; a++) { /* [0 amd64, 1 arm64] */
        int mask = a == 0 ? MDL_ARCH_AMD64 : MDL_ARCH_ARM64;
        if (!(p->arch & mask))
            continue;
        int vcpu = 0;
        for (size_t t = 0; t < cat->n; t++)
            if (cat->types[t].arch == mask && pool_allows(p, &cat->types[t]) &&
                cat->types[t].vcpu > vcpu)
                vcpu = cat->types[t].vcpu;
        int nodes = 0; /* the busiest replication's peak, Spot and On-Demand together */
        for (int r = 0; r < in->sum->replications; r++) {
            const eng_rep *rep = &in->sum->reps[r];
            int n = rep->peak_nodes_by[0][a] + rep->peak_nodes_by[1][a];
            if (n > nodes)
                nodes = n;
        }
        peak += (double)nodes * vcpu;
    }
    return peak;
}

int emit__pool_peak_vcpu(const emit_input *in, size_t pool)
{
    int peak = 0;
    for (int r = 0; in->sum && pool < MDL_MAX_POOLS && r < in->sum->replications; r++)
        if (in->sum->reps[r].peak_pool_vcpu[pool] > peak)
            peak = in->sum->reps[r].peak_pool_vcpu[pool];
    return peak;
}

int emit__pool_least_vcpu(const emit_input *in, size_t pool)
{
    const mdl_nodepool *p = &in->s->cluster.pools[pool];
    const cost_catalog *cat = &in->s->cluster.catalog;
    int least = 0;
    for (size_t t = 0; t < cat->n; t++)
        if (pool_allows(p, &cat->types[t]) && (least == 0 || cat->types[t].vcpu < least))
            least = cat->types[t].vcpu;
    return least;
}

long long emit__pool_cpu_limit(const emit_input *in, size_t pool)
{
    double peak = emit__pool_peak_cpu(in, pool);
    if (peak < 0) { /* no run: the API's most pods' CPU requests */
        const mdl_scenario *s = in->s;
        int pods = s->hpa.enabled ? s->hpa.max_replicas : s->api.replicas;
        peak = pods * (double)s->api.cpu_request / 1000.0;
    }
    long long lim = (long long)ceil(peak * EMIT_NODE_HEADROOM);
    return lim < 1 ? 1 : lim;
}

/* A duration as Karpenter writes it: "30s", "5m", or "Never". */
static json_t *kduration(sim_time t)
{
    if (t == SIM_NEVER)
        return json_string("Never");
    char b[32];
    long long s = emit__secs(t);
    if (s % 3600 == 0 && s > 0)
        snprintf(b, sizeof b, "%lldh", s / 3600);
    else if (s % 60 == 0 && s > 0)
        snprintf(b, sizeof b, "%lldm", s / 60);
    else
        snprintf(b, sizeof b, "%llds", s);
    return json_string(b);
}

static json_t *nodepool(const emit_input *in, size_t i)
{
    const mdl_nodepool *p = &in->s->cluster.pools[i];
    json_t *caps = json_array();
    if (p->capacity & MDL_CAP_SPOT)
        json_array_append_new(caps, json_string("spot"));
    if (p->capacity & MDL_CAP_ON_DEMAND)
        json_array_append_new(caps, json_string("on-demand"));
    json_t *fam = json_array();
    for (size_t f = 0; f < p->nfamilies; f++)
        json_array_append_new(fam, json_string(p->families[f]));
    json_t *req =
        json_pack("[{s:s, s:s, s:o}, {s:s, s:s, s:o}, {s:s, s:s, s:o}]", "key",
                  "kubernetes.io/arch", "operator", "In", "values", emit__arch_list(p->arch), "key",
                  "karpenter.sh/capacity-type", "operator", "In", "values", caps, "key",
                  "karpenter.k8s.aws/instance-family", "operator", "In", "values", fam);
    char budget[16], lim[32];
    snprintf(budget, sizeof budget, "%d%%", (int)lround(p->budget * 100.0));
    /* the scenario's limits as set (what the run played); else a CPU limit from the run's peak,
     * a cost guard the run did not play, said in an annotation */
    json_t *limits = json_object();
    if (p->limit_cpu_set) {
        json_object_set_new(limits, "cpu", emit__cpu(p->limit_cpu));
    } else {
        snprintf(lim, sizeof lim, "%lld", emit__pool_cpu_limit(in, i));
        json_object_set_new(limits, "cpu", json_string(lim));
    }
    if (p->limit_memory_set)
        json_object_set_new(limits, "memory", emit__memory(p->limit_memory));
    json_t *spec = json_pack(
        "{s:{s:{s:o, s:{s:s, s:s, s:s}}}, s:o, s:{s:s, s:o, s:[{s:s}]}}", "template", "spec",
        "requirements", req, "nodeClassRef", "group", "karpenter.k8s.aws", "kind", "EC2NodeClass",
        "name", NODECLASS, "limits", limits, "disruption", "consolidationPolicy",
        p->consolidation == MDL_CONSOLIDATE_WHEN_EMPTY ? "WhenEmpty" : "WhenEmptyOrUnderutilized",
        "consolidateAfter", kduration(p->consolidate_after), "budgets", "nodes", budget);
    if (spec && p->weight > 0)
        json_object_set_new(spec, "weight", json_integer(p->weight));
    json_t *meta = emit__meta(in, p->name, "nodes");
    if (meta && !p->limit_cpu_set)
        json_object_set_new(json_object_get(meta, "annotations"), EMIT_ANN_DERIVED_CPU,
                            json_string(lim));
    json_t *o = json_pack("{s:s, s:s, s:o}", "apiVersion", "karpenter.sh/v1", "kind", "NodePool",
                          "metadata", meta);
    if (o)
        json_object_set_new(o, "spec", spec);
    return o;
}

/* The account's names are parameters: the node role and the discovery tag Karpenter's
 * getting-started guide puts on the cluster's subnets and security groups. */
static json_t *nodeclass(const emit_input *in)
{
    json_t *o = json_pack("{s:s, s:s, s:o}", "apiVersion", "karpenter.k8s.aws/v1", "kind",
                          "EC2NodeClass", "metadata", emit__meta(in, NODECLASS, "nodes"));
    if (o)
        json_object_set_new(
            o, "spec",
            json_pack("{s:[{s:s}], s:s, s:[{s:{s:s}}], s:[{s:{s:s}}], s:{s:s, s:i, s:s}}",
                      "amiSelectorTerms", "alias", "al2023@latest", "role",
                      "${KARPENTER_NODE_ROLE}", "subnetSelectorTerms", "tags",
                      "karpenter.sh/discovery", "${CLUSTER_NAME}", "securityGroupSelectorTerms",
                      "tags", "karpenter.sh/discovery", "${CLUSTER_NAME}", "metadataOptions",
                      "httpTokens", "required", "httpPutResponseHopLimit", 1, "httpEndpoint",
                      "enabled"));
    return o;
}

int emit__karpenter(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (!s->cluster.enabled || s->cluster.npools == 0)
        return BASE_OK;
    for (size_t i = 0; i < s->cluster.npools; i++) {
        char file[64];
        snprintf(file, sizeof file, "karpenter/nodepool-%s.yaml", s->cluster.pools[i].name);
        if (emit__add(set, file, "nodepool-karpenter.sh-v1.json", nodepool(in, i)))
            return BASE_ENOMEM;
    }
    return emit__add(set, "karpenter/ec2nodeclass.yaml", "ec2nodeclass-karpenter.k8s.aws-v1.json",
                     nodeclass(in))
               ? BASE_ENOMEM
               : BASE_OK;
}
