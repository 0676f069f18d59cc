/*
 * karpenter.c — EC2 prices and Karpenter's two decisions, as pure functions: which instances to
 * launch for a batch of pending pods (provisioning, here) and which nodes to remove
 * (consolidation, consolidate.c).
 * No state is kept between calls and nothing is random: the same inputs give the same outputs,
 * every tie is broken by a stated rule, so tests/test_karpenter.c can check them by hand.
 *
 * Sources (reference/behaviour.md §3 Karpenter, §4 Spot; reference/aws-prices.md §1):
 *   - kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling: scheduler.go (add: pods
 *     go to an in-flight NodeClaim that takes them, else to a new NodeClaim from the NodePools
 *     in weight order), nodeclaim.go (Add: a NodeClaim keeps the instance types that still
 *     satisfy requirements, fit the summed requests of its DaemonSets and pods, and have an
 *     available offering; a pod is refused when none would remain), queue.go (pods by
 *     decreasing CPU, then memory);
 *   - kubernetes-sigs/karpenter pkg/utils/resources/resources.go (RequestsForPods: every pod,
 *     DaemonSet pods included, takes one of the node's `pods` slots);
 *   - aws/karpenter-provider-aws pkg/providers/instance: filter/filter.go (SpotInstanceFilter:
 *     Spot types dearer than the cheapest On-Demand option are dropped) and instance.go
 *     (getCapacityType: Spot when the NodeClaim allows it and some type has an available Spot
 *     offering, else On-Demand); website docs concepts/scheduling.md, faq.md (instance
 *     selection; price-capacity-optimized for Spot, lowest price for On-Demand);
 *   - aws/karpenter-provider-aws website docs concepts/disruption.md and kubernetes-sigs/karpenter
 *     pkg/apis/v1/nodepool.go (consolidationPolicy, consolidateAfter, budgets: allowed =
 *     ⌈share · nodes of the pool⌉ − nodes already disrupting);
 *   - awslabs/amazon-eks-ami eni-max-pods: max pods = ENIs · (IPs per ENI − 1) + 2, "+2 for the
 *     pods that use host-networking (AWS CNI and kube-proxy)".
 *
 * Simplified on purpose (docs/models.md should say so):
 *   - new pods try the open NodeClaims first-fit in creation order; Karpenter tries them in
 *     order of fewest pods (scheduler.go sorts them, newer versions keep a heap). For a batch of
 *     identical pods — one Deployment — both give the same claims;
 *   - price-capacity-optimized Spot allocation is taken as lowest price (interruption rates are
 *     not modelled per pool); EC2 Fleet's list of up to 60 types collapses to its cheapest;
 *   - the opt-in NodeClaimOptimization pass (feature gate, off by default) that splits claims
 *     pushed to a large type is not modelled: a claim packs while one type still fits;
 *   - one batch, no in-flight nodes: pods that could go on nodes already launching are the
 *     engine's business before it calls this;
 *   - consolidation deletes, it never replaces (no cheaper On-Demand replacement, no
 *     Spot-to-Spot replacement, which needs a feature gate); single-node deletions are applied
 *     greedily in one pass, each seeing the room left by the ones before (Karpenter runs one
 *     method per loop and simulates multi-node deletions together); one budget is shared by
 *     empty and underutilized nodes (Karpenter can budget per reason).
 */
#include "model/internal.h"
#include "model/model.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- prices */

int64_t mdl_instance_price(const cost_instance_type *t, int capacity)
{
    if (capacity != MDL_CAP_SPOT)
        return t->price;
    /* A discount outside [0, 1] (or NaN) is clamped: Spot never costs more than On-Demand nor
     * less than nothing. */
    double d = t->spot_discount;
    if (!(d > 0.0))
        d = 0.0;
    if (d > 1.0)
        d = 1.0;
    return (int64_t)llround((double)t->price * (1.0 - d));
}

/* ---------------------------------------------------------------- shared helpers */

typedef uint64_t tmask; /* a set of catalog types: bit t is type t (COST_MAX_TYPES == 64) */

/* DaemonSet pods per node behind `overhead`: aws-node (VPC CNI) and kube-proxy, which every EKS
 * node runs. Karpenter counts DaemonSet pods against the node's `pods` capacity
 * (RequestsForPods), and so does the kubelet; the ENI max-pods formula's "+2" exists precisely
 * because these two use host networking and take a pod slot without taking an IP. */
#define DAEMONSET_PODS 2

static tmask bit(size_t t)
{
    return (tmask)1 << t;
}

size_t mdl__ntypes(const cost_catalog *cat)
{
    return cat->n < COST_MAX_TYPES ? cat->n : COST_MAX_TYPES;
}

/* Decreasing CPU, then decreasing memory, then increasing index (so the order is total and a
 * pod list sorts the same on every platform). */
int mdl__by_size_desc(const void *a, const void *b)
{
    const mdl__sized *x = a, *y = b;
    if (x->cpu != y->cpu)
        return x->cpu > y->cpu ? -1 : 1;
    if (x->memory != y->memory)
        return x->memory > y->memory ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* ---------------------------------------------------------------- provisioning */

typedef struct claim {
    int pool;
    bool spot_ok;        /* every pod on it tolerates Spot */
    int64_t cpu, memory; /* DaemonSets' requests plus its pods' */
    int pods;            /* pod slots taken, DaemonSet pods included */
    size_t count;        /* pods of the batch on it */
    tmask types;         /* candidate types: every one still fits everything above */
} claim;

typedef struct prov {
    const cost_catalog *cat;
    const mdl_nodepool *pools;
    size_t ntypes;
    tmask all;           /* every catalog type */
    tmask arch_types[4]; /* types whose arch is in the mask (index: arch mask & 3) */
    tmask spot_types;    /* types whose Spot offering is available */
    tmask *pool_types;   /* per pool: its families ∩ its architectures */
    /* per pool, what its limits leave (millicores, bytes) as claims open; NULL: no pool has
     * limits */
    int64_t *rem_cpu, *rem_mem;
} prov;

/* Types of `mask` whose allocatable CPU, memory and pod count hold the given totals. */
static tmask fitting(const prov *p, tmask mask, int64_t cpu, int64_t memory, int pods)
{
    tmask out = 0;
    for (size_t t = 0; t < p->ntypes; t++) {
        const cost_instance_type *it = &p->cat->types[t];
        if ((mask & bit(t)) && cpu <= it->alloc_cpu && memory <= it->alloc_memory &&
            pods <= it->max_pods)
            out |= bit(t);
    }
    return out;
}

/* Types with an available offering the claim may use (nodeclaim.go hasOffering): On-Demand is
 * always available when the pool allows it; Spot when the pool allows it, every pod tolerates
 * it and the type's Spot pool has capacity. */
static tmask offered(const prov *p, const mdl_nodepool *pool, bool spot_ok)
{
    tmask m = 0;
    if (pool->capacity & MDL_CAP_ON_DEMAND)
        m = p->all;
    if ((pool->capacity & MDL_CAP_SPOT) && spot_ok)
        m |= p->spot_types;
    return m;
}

/* The candidate types left if `pod` joins claim c (0: it cannot join). */
static tmask with_pod(const prov *p, const claim *c, const mdl_pod_need *pod)
{
    tmask m = c->types & p->arch_types[pod->arch & 3] &
              offered(p, &p->pools[c->pool], c->spot_ok && pod->spot_ok);
    return fitting(p, m, c->cpu + pod->cpu, c->memory + pod->memory, c->pods + 1);
}

/* An empty claim of pool k: the DaemonSets only. */
static claim empty_claim(const prov *p, size_t k, const mdl_pod_need *overhead)
{
    claim c;
    c.pool = (int)k;
    c.spot_ok = true;
    c.cpu = overhead ? overhead->cpu : 0;
    c.memory = overhead ? overhead->memory : 0;
    c.pods = overhead ? DAEMONSET_PODS : 0;
    c.count = 0;
    c.types = p->pool_types[k];
    return c;
}

static void add_pod(claim *c, const mdl_pod_need *pod, tmask types)
{
    c->types = types;
    c->spot_ok = c->spot_ok && pod->spot_ok;
    c->cpu += pod->cpu;
    c->memory += pod->memory;
    c->pods++;
    c->count++;
}

/* The types of pool k its limits leave room for, their capacity against what is left
 * (scheduler.go filterByRemainingResources: an instance type whose capacity exceeds the remaining
 * quantity of a limited resource is dropped); every type when the pool has no limits. The
 * capacity is the type's vCPUs and its memory as the pricing file gives it (Karpenter's
 * capacity is its memory less VM_MEMORY_OVERHEAD_PERCENT, 7.5% by default: a memory limit binds
 * slightly sooner here). */
static tmask within_limits(const prov *p, size_t k)
{
    const mdl_nodepool *pool = &p->pools[k];
    if (!p->rem_cpu || !mdl__pool_limited(pool))
        return p->all;
    tmask out = 0;
    for (size_t t = 0; t < p->ntypes; t++) {
        const cost_instance_type *it = &p->cat->types[t];
        if ((!pool->limit_cpu_set || (int64_t)it->vcpu * 1000 <= p->rem_cpu[k]) &&
            (!pool->limit_memory_set || it->memory <= p->rem_mem[k]))
            out |= bit(t);
    }
    return out;
}

/* A claim of pool k opened over `types`: it may become the largest of them, so that much is
 * taken from what the limits leave (scheduler.go subtractMax, "pessimistically assume ... the
 * 8 CPU instance type is all that will be available"). */
static void take_limits(prov *p, size_t k, tmask types)
{
    if (!p->rem_cpu)
        return;
    int64_t cpu = 0, mem = 0;
    for (size_t t = 0; t < p->ntypes; t++)
        if (types & bit(t)) {
            const cost_instance_type *it = &p->cat->types[t];
            cpu = (int64_t)it->vcpu * 1000 > cpu ? (int64_t)it->vcpu * 1000 : cpu;
            mem = it->memory > mem ? it->memory : mem;
        }
    p->rem_cpu[k] -= cpu;
    p->rem_mem[k] -= mem;
}

/* The pool a new claim for `pod` goes to: the first in `order` (weight, then index) where some
 * type fits the pod alone (and, with `limited`, within the pool's limits); -1 if none. */
static int pool_for(const prov *p, const size_t *order, size_t npools, const mdl_pod_need *overhead,
                    const mdl_pod_need *pod, bool limited, tmask *types)
{
    for (size_t i = 0; i < npools; i++) {
        claim c = empty_claim(p, order[i], overhead);
        if (limited)
            c.types &= within_limits(p, order[i]);
        tmask m = with_pod(p, &c, pod);
        if (m) {
            *types = m;
            return (int)order[i];
        }
    }
    return -1;
}

/* One offering (type × capacity) against the best so far: lower price; at equal price Spot
 * (getCapacityType picks Spot whenever a Spot offering survives SpotInstanceFilter, which keeps
 * Spot prices <= the cheapest On-Demand); then fewer vCPUs (the smaller node); then lower
 * catalog index. */
static bool better(const cost_instance_type *types, int t, int cap, int64_t price, int bt, int bcap,
                   int64_t bprice)
{
    if (bt < 0 || price != bprice)
        return bt < 0 || price < bprice;
    if (cap != bcap)
        return cap == MDL_CAP_SPOT;
    if (types[t].vcpu != types[bt].vcpu)
        return types[t].vcpu < types[bt].vcpu;
    return t < bt;
}

/* The launch of claim c: its cheapest available offering. Taking the minimum over Spot and
 * On-Demand offerings together equals Karpenter's two steps (Spot if its cheapest Spot offering
 * costs no more than the cheapest On-Demand one, else the cheapest On-Demand) as long as Spot
 * never costs more than On-Demand for the same type, which mdl_instance_price guarantees. */
static void choose(const prov *p, const claim *c, mdl_launch *l)
{
    const mdl_nodepool *pool = &p->pools[c->pool];
    int bt = -1, bcap = 0;
    int64_t bprice = 0;
    for (size_t t = 0; t < p->ntypes; t++) {
        if (!(c->types & bit(t)))
            continue;
        const cost_instance_type *it = &p->cat->types[t];
        if ((pool->capacity & MDL_CAP_SPOT) && c->spot_ok && (p->spot_types & bit(t))) {
            int64_t price = mdl_instance_price(it, MDL_CAP_SPOT);
            if (better(p->cat->types, (int)t, MDL_CAP_SPOT, price, bt, bcap, bprice)) {
                bt = (int)t;
                bcap = MDL_CAP_SPOT;
                bprice = price;
            }
        }
        if (pool->capacity & MDL_CAP_ON_DEMAND) {
            int64_t price = mdl_instance_price(it, MDL_CAP_ON_DEMAND);
            if (better(p->cat->types, (int)t, MDL_CAP_ON_DEMAND, price, bt, bcap, bprice)) {
                bt = (int)t;
                bcap = MDL_CAP_ON_DEMAND;
                bprice = price;
            }
        }
    }
    l->type = bt; /* >= 0: a claim always keeps a type with an available offering */
    l->capacity = bcap;
    l->pool = c->pool;
}

/* Pools by decreasing weight, then increasing index (NodePool .spec.weight). */
static void order_pools(const mdl_nodepool *pools, size_t npools, size_t *order)
{
    for (size_t i = 0; i < npools; i++) {
        size_t j = i;
        while (j > 0 && pools[order[j - 1]].weight < pools[i].weight) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

/* The catalog's types as masks for one provisioning batch: every type, the types of each
 * architecture, and the types Spot can launch right now (asked of b->spot_available only when
 * some pool allows Spot, once per type in catalog order). */
static void prov_type_masks(prov *p, const mdl_provision_batch *b)
{
    const cost_catalog *cat = b->catalog;
    const mdl_nodepool *pools = b->pools;
    size_t npools = b->npools;
    mdl_spot_available_fn spot_available = b->spot_available;
    void *ctx = b->spot_ctx;
    memset(p, 0, sizeof *p);
    p->cat = cat;
    p->pools = pools;
    p->ntypes = mdl__ntypes(cat);
    for (size_t t = 0; t < p->ntypes; t++) {
        p->all |= bit(t);
        for (int a = 0; a < 4; a++)
            if (cat->types[t].arch & a)
                p->arch_types[a] |= bit(t);
    }
    bool any_spot = false;
    for (size_t k = 0; k < npools; k++)
        any_spot = any_spot || (pools[k].capacity & MDL_CAP_SPOT);
    if (any_spot)
        for (size_t t = 0; t < p->ntypes; t++)
            if (!spot_available || spot_available(ctx, (int)t))
                p->spot_types |= bit(t);
}

/* Which types each pool may launch: its families, of its architecture (p->pool_types[k]). */
static void pool_type_masks(prov *p, size_t npools)
{
    const cost_catalog *cat = p->cat;
    for (size_t k = 0; k < npools; k++) {
        const mdl_nodepool *pool = &p->pools[k];
        size_t nf = pool->nfamilies < MDL_MAX_FAMILIES ? pool->nfamilies : MDL_MAX_FAMILIES;
        tmask fam = 0;
        for (size_t t = 0; t < p->ntypes; t++)
            for (size_t f = 0; f < nf; f++)
                if (strncmp(cat->types[t].family, pool->families[f], sizeof cat->types[t].family) ==
                    0)
                    fam |= bit(t);
        p->pool_types[k] = fam & p->arch_types[pool->arch & 3];
    }
}

/* What each pool's limits leave before the batch: its limits less what its nodes have
 * (scheduler.go: remainingResources = limits − the capacity of the pool's nodes, in-flight ones
 * included). Nothing is allocated when no pool has limits. */
static int limits_left(prov *p, const mdl_provision_batch *b)
{
    bool any = false;
    for (size_t k = 0; k < b->npools; k++)
        any = any || mdl__pool_limited(&b->pools[k]);
    if (!any)
        return BASE_OK;
    p->rem_cpu = base_malloc(b->npools * sizeof *p->rem_cpu);
    p->rem_mem = base_malloc(b->npools * sizeof *p->rem_mem);
    if (!p->rem_cpu || !p->rem_mem)
        return BASE_ENOMEM;
    for (size_t k = 0; k < b->npools; k++) {
        p->rem_cpu[k] = b->pools[k].limit_cpu - (b->pool_cpu ? b->pool_cpu[k] : 0);
        p->rem_mem[k] = b->pools[k].limit_memory - (b->pool_memory ? b->pool_memory[k] : 0);
    }
    return BASE_OK;
}

/* The claims into launches, and pod_index grouped by launch (counting sort: ascending within a
 * launch). */
static void write_launches(const prov *p, const claim *claims, size_t nclaims,
                           const size_t *claim_of, size_t npods, mdl_launch *out, size_t *pod_index)
{
    size_t first = 0;
    for (size_t c = 0; c < nclaims; c++) {
        choose(p, &claims[c], &out[c]);
        out[c].first = first;
        out[c].count = 0;
        first += claims[c].count;
    }
    for (size_t i = 0; i < npods; i++) {
        if (claim_of[i] == SIZE_MAX)
            continue; /* no pool's limits left room for it */
        mdl_launch *l = &out[claim_of[i]];
        pod_index[l->first + l->count++] = i;
    }
}

/*
 * Contract (model.h), with the points it leaves open decided here:
 *   - `overhead` NULL: no DaemonSets; otherwise its requests plus DAEMONSET_PODS pod slots are
 *     taken on every node before any pod;
 *   - `spot_available` NULL: Spot always available; otherwise asked once per catalog type, in
 *     index order, before packing, and only when some pool allows Spot;
 *   - a type is a candidate only with an available offering, so a Spot-only pool whose Spot
 *     capacity is gone is passed over for the next pool, as Karpenter does;
 *   - -1 with *unplaceable = the lowest index of a pod that fits no type of any pool on its own
 *     (checked before packing, so it wins over the next case); -1 with *unplaceable = SIZE_MAX
 *     when more than max_out launches are needed or memory runs out; out[] and pod_index[] are
 *     written only on success; unplaceable may be NULL and is written only on -1;
 *   - launches in the order their claims were opened; within a launch, pod_index ascending.
 */
int mdl_karpenter_provision(const mdl_provision_batch *b, mdl_launch *out, size_t max_out,
                            size_t *pod_index, size_t *unplaceable)
{
    const mdl_nodepool *pools = b->pools;
    size_t npools = b->npools, npods = b->npods;
    const mdl_pod_need *overhead = b->overhead, *pods = b->pods;
    if (npods == 0)
        return 0;

    prov p;
    prov_type_masks(&p, b);

    int ret = -1;
    size_t fail = SIZE_MAX;
    size_t *order = base_malloc((npools ? npools : 1) * sizeof *order);
    p.pool_types = base_malloc((npools ? npools : 1) * sizeof *p.pool_types);
    mdl__sized *queue = base_malloc(npods * sizeof *queue);
    size_t *claim_of = base_malloc(npods * sizeof *claim_of);
    claim *claims = base_malloc(npods * sizeof *claims);
    if (!order || !p.pool_types || !queue || !claim_of || !claims) {
        ret = MDL_KARPENTER_ENOMEM;
        goto done;
    }

    pool_type_masks(&p, npools);
    order_pools(pools, npools, order);
    if (limits_left(&p, b) != BASE_OK) {
        ret = MDL_KARPENTER_ENOMEM;
        goto done;
    }

    /* A pod that fits no type of any pool even alone can never be placed: say which. */
    for (size_t i = 0; i < npods; i++) {
        tmask m;
        if (pool_for(&p, order, npools, overhead, &pods[i], false, &m) < 0) {
            fail = i;
            goto done;
        }
    }

    for (size_t i = 0; i < npods; i++)
        queue[i] = (mdl__sized){pods[i].cpu, pods[i].memory, i};
    qsort(queue, npods, sizeof *queue, mdl__by_size_desc);

    size_t nclaims = 0;
    for (size_t q = 0; q < npods; q++) {
        size_t i = queue[q].idx;
        const mdl_pod_need *pod = &pods[i];
        size_t c = 0;
        tmask m = 0;
        /* First fit: the first open claim where at least one type still fits after adding the
         * pod. That "at least one" is what bounds packing: a claim grows until only its largest
         * types remain, never past them. */
        for (; c < nclaims; c++)
            if ((m = with_pod(&p, &claims[c], pod)) != 0)
                break;
        if (c == nclaims) {
            int k = pool_for(&p, order, npools, overhead, pod, true, &m);
            if (k < 0) { /* the limits of every pool that could take it are reached */
                claim_of[i] = SIZE_MAX;
                continue;
            }
            if (nclaims == max_out)
                goto done; /* fail stays SIZE_MAX */
            claims[nclaims++] = empty_claim(&p, (size_t)k, overhead);
            take_limits(&p, (size_t)k, m);
        }
        add_pod(&claims[c], pod, m);
        claim_of[i] = c;
    }

    write_launches(&p, claims, nclaims, claim_of, npods, out, pod_index);
    ret = (int)nclaims;

done:
    if (ret == -1 && unplaceable)
        *unplaceable = fail;
    free(order);
    free(p.pool_types);
    free(p.rem_cpu);
    free(p.rem_mem);
    free(queue);
    free(claim_of);
    free(claims);
    return ret;
}

bool mdl_nodepools_limited(const mdl_cluster_config *c)
{
    bool any = false;
    for (size_t k = 0; c->enabled && k < c->npools && k < MDL_MAX_POOLS; k++)
        any = any || mdl__pool_limited(&c->pools[k]);
    return any;
}

int64_t mdl_nodepools_cpu_limit(const mdl_cluster_config *c)
{
    int64_t sum = -1;
    for (size_t k = 0; c->enabled && k < c->npools && k < MDL_MAX_POOLS; k++)
        if (c->pools[k].limit_cpu_set)
            sum = (sum < 0 ? 0 : sum) + c->pools[k].limit_cpu;
    return sum;
}

mdl_pod_need mdl_api_pod_need(const mdl_api_config *api)
{
    return (mdl_pod_need){api->cpu_request, api->memory_request, api->arch, api->spot_ok};
}

mdl_pod_need mdl_daemonset_need(const mdl_cluster_config *c)
{
    return (mdl_pod_need){c->daemonset_cpu, c->daemonset_memory, 0, true};
}
