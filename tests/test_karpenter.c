/*
 * test_karpenter.c — EC2 prices and Karpenter's provisioning and consolidation decisions
 * (src/model/karpenter.c) against hand computations on a small catalog with the real us-east-1
 * numbers of reference/aws-prices.md §1 (On-Demand price, Karpenter's allocatable CPU/memory
 * and max pods) and the 60% Spot discount of models/pricing/us-east-1.yaml.
 *
 * Hand figures used throughout (micro-USD per hour; Spot = On-Demand × 0.4):
 *   type         OD      Spot   alloc cpu  alloc mem  max pods
 *   t3.medium    41600   16640  1930m      3246Mi     17
 *   t3.large     83200   33280  1930m      6837Mi     35
 *   t4g.small    16800    6720  1930m      1359Mi     11
 *   t4g.medium   33600   13440  1930m      3187Mi     17
 *   m7g.large    81600   32640  1930m      6844Mi     29
 *   m7g.xlarge  163200   65280  3920m     14103Mi     58
 *   c7g.large    72500   29000  1930m      3055Mi     29
 *   c7g.xlarge  145000   58000  3920m      6525Mi     58
 *   r7g.large   107100   42840  1930m     14422Mi     29
 *   m7i.large   100800   40320  1930m      6903Mi     29
 *   c7i.large    89250   35700  1930m      3114Mi     29
 * DaemonSet overhead per node: 125m / 100Mi (aws-node 25m + kube-proxy 100m) and 2 pod slots.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"

#define MI ((int64_t)1 << 20)
#define GI ((int64_t)1 << 30)

enum {
    T3_MEDIUM,
    T3_LARGE,
    T4G_SMALL,
    T4G_MEDIUM,
    M7G_LARGE,
    M7G_XLARGE,
    C7G_LARGE,
    C7G_XLARGE,
    R7G_LARGE,
    M7I_LARGE,
    C7I_LARGE,
    NTYPES
};

static void put(cost_catalog *c, int i, const char *name, const char *family, int arch, int vcpu,
                int64_t mem_gi, int64_t acpu, int64_t amem_mi, int max_pods, int64_t price)
{
    cost_instance_type *t = &c->types[i];
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->family, sizeof t->family, "%s", family);
    t->arch = arch;
    t->vcpu = vcpu;
    t->memory = mem_gi * GI;
    t->alloc_cpu = acpu;
    t->alloc_memory = amem_mi * MI;
    t->max_pods = max_pods;
    t->price = price;
    t->spot_discount = 0.6;
    snprintf(t->source, sizeof t->source, "KP 2026-07-20; KS 2026-07-11");
}

static cost_catalog catalog(void)
{
    cost_catalog c;
    memset(&c, 0, sizeof c);
    snprintf(c.region, sizeof c.region, "us-east-1");
    const int A = MDL_ARCH_AMD64, R = MDL_ARCH_ARM64;
    put(&c, T3_MEDIUM, "t3.medium", "t3", A, 2, 4, 1930, 3246, 17, 41600);
    put(&c, T3_LARGE, "t3.large", "t3", A, 2, 8, 1930, 6837, 35, 83200);
    put(&c, T4G_SMALL, "t4g.small", "t4g", R, 2, 2, 1930, 1359, 11, 16800);
    put(&c, T4G_MEDIUM, "t4g.medium", "t4g", R, 2, 4, 1930, 3187, 17, 33600);
    put(&c, M7G_LARGE, "m7g.large", "m7g", R, 2, 8, 1930, 6844, 29, 81600);
    put(&c, M7G_XLARGE, "m7g.xlarge", "m7g", R, 4, 16, 3920, 14103, 58, 163200);
    put(&c, C7G_LARGE, "c7g.large", "c7g", R, 2, 4, 1930, 3055, 29, 72500);
    put(&c, C7G_XLARGE, "c7g.xlarge", "c7g", R, 4, 8, 3920, 6525, 58, 145000);
    put(&c, R7G_LARGE, "r7g.large", "r7g", R, 2, 16, 1930, 14422, 29, 107100);
    put(&c, M7I_LARGE, "m7i.large", "m7i", A, 2, 8, 1930, 6903, 29, 100800);
    put(&c, C7I_LARGE, "c7i.large", "c7i", A, 2, 4, 1930, 3114, 29, 89250);
    c.n = NTYPES;
    return c;
}

/* A NodePool over the given families (NULL-terminated). */
static mdl_nodepool pool(const char *name, int arch, int capacity, int weight,
                         const char *const *families)
{
    mdl_nodepool p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    p.arch = arch;
    p.capacity = capacity;
    p.weight = weight;
    for (; *families && p.nfamilies < MDL_MAX_FAMILIES; families++)
        snprintf(p.families[p.nfamilies++], sizeof p.families[0], "%s", *families);
    p.consolidation = MDL_CONSOLIDATE_WHEN_UNDERUTILIZED;
    p.consolidate_after = 0;
    p.budget = 1.0;
    return p;
}

static const char *const ARM_FAMILIES[] = {"t4g", "m7g", "c7g", "r7g", NULL};
#define BOTH_ARCH (MDL_ARCH_AMD64 | MDL_ARCH_ARM64)
#define BOTH_CAP  (MDL_CAP_SPOT | MDL_CAP_ON_DEMAND)

static mdl_nodepool general_arm64(void)
{
    return pool("general-arm64", MDL_ARCH_ARM64, BOTH_CAP, 0, ARM_FAMILIES);
}

static const mdl_pod_need OVERHEAD = {125, 100 * MI, BOTH_ARCH, true};

static mdl_pod_need pod(int64_t cpu, int64_t mem_mi, int arch, bool spot_ok)
{
    return (mdl_pod_need){cpu, mem_mi * MI, arch, spot_ok};
}

/* Spot availability: ctx is a spot_ctx; a type is unavailable when its bit is set. Records the
 * calls so tests can check they are made once per type, in index order. */
typedef struct spot_ctx {
    uint64_t unavailable;
    int calls[COST_MAX_TYPES];
    int ncalls;
} spot_ctx;

static bool spot_fn(void *ctx, int type)
{
    spot_ctx *s = ctx;
    if (s->ncalls < COST_MAX_TYPES)
        s->calls[s->ncalls] = type;
    s->ncalls++;
    return !(s->unavailable & ((uint64_t)1 << type));
}

#define MAXL 64
#define MAXP 64

typedef struct result {
    int n;
    mdl_launch out[MAXL];
    size_t idx[MAXP];
    size_t bad;
} result;

static result provision(const cost_catalog *c, const mdl_nodepool *pools, size_t npools,
                        const mdl_pod_need *overhead, const mdl_pod_need *pods, size_t npods,
                        spot_ctx *spot, size_t max_out)
{
    result r;
    memset(&r, 0xab, sizeof r);
    r.bad = 12345;
    mdl_provision_batch b = {c, pools, npools, overhead, pods, npods, spot ? spot_fn : NULL, spot};
    r.n = mdl_karpenter_provision(&b, r.out, max_out, r.idx, &r.bad);
    return r;
}

static void expect_launch(const result *r, int i, int type, int capacity, int pool_i, size_t first,
                          size_t count)
{
    cr_expect_eq(r->out[i].type, type, "launch %d: type %d, expected %d", i, r->out[i].type, type);
    cr_expect_eq(r->out[i].capacity, capacity, "launch %d: capacity %d, expected %d", i,
                 r->out[i].capacity, capacity);
    cr_expect_eq(r->out[i].pool, pool_i, "launch %d: pool", i);
    cr_expect_eq(r->out[i].first, first, "launch %d: first %zu, expected %zu", i, r->out[i].first,
                 first);
    cr_expect_eq(r->out[i].count, count, "launch %d: count %zu, expected %zu", i, r->out[i].count,
                 count);
}

/* Exactly one launch, of `type` at `capacity` from pool pool_i, holding the first `count` pods. */
static void expect_one(const result *r, int type, int capacity, int pool_i, size_t count)
{
    cr_assert_eq(r->n, 1, "%d launches, expected one", r->n);
    expect_launch(r, 0, type, capacity, pool_i, 0, count);
}

/* ---------------------------------------------------------------- prices */

Test(karpenter, instance_price_spot_and_on_demand, .timeout = 60)
{
    cost_catalog c = catalog();
    cr_expect_eq(mdl_instance_price(&c.types[T4G_SMALL], MDL_CAP_ON_DEMAND), 16800);
    cr_expect_eq(mdl_instance_price(&c.types[T4G_SMALL], MDL_CAP_SPOT), 6720);
    cr_expect_eq(mdl_instance_price(&c.types[C7I_LARGE], MDL_CAP_SPOT), 35700);
    cr_expect_eq(mdl_instance_price(&c.types[C7G_XLARGE], MDL_CAP_SPOT), 58000);
    cost_instance_type t = c.types[T4G_SMALL];
    t.price = 33;
    cr_expect_eq(mdl_instance_price(&t, MDL_CAP_SPOT), 13); /* 13.2 -> 13 */
    t.price = 1;
    t.spot_discount = 0.5;
    cr_expect_eq(mdl_instance_price(&t, MDL_CAP_SPOT), 1); /* 0.5 rounds away from zero */
    t.price = 1000;
    t.spot_discount = 1.5;
    cr_expect_eq(mdl_instance_price(&t, MDL_CAP_SPOT), 0); /* clamped to free, not negative */
    t.spot_discount = -0.2;
    cr_expect_eq(mdl_instance_price(&t, MDL_CAP_SPOT), 1000); /* never dearer than OD */
}

/* ---------------------------------------------------------------- provisioning */

/* (1) 250m/256Mi + overhead = 375m / 356Mi: every arm64 type fits; the cheapest Spot is
 * t4g.small at 16800 × 0.4 = 6720. */
Test(karpenter, one_small_pod_gets_cheapest_arm64_spot, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    spot_ctx s = {0};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 1, &s, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_SPOT, 0, 1);
    cr_expect_eq(r.idx[0], 0);
    cr_expect_eq(r.bad, 12345, "unplaceable is written only on failure");
    /* Spot availability asked once per type, in index order. */
    cr_expect_eq(s.ncalls, NTYPES);
    for (int t = 0; t < NTYPES; t++)
        cr_expect_eq(s.calls[t], t);
}

/* (2) Same shape (2 vCPU, 4 GiB): c7g.large Spot 29000 against c7i.large Spot 35700. */
Test(karpenter, graviton_wins_when_cheaper_for_same_shape, .timeout = 60)
{
    cost_catalog c = catalog();
    const char *const fam[] = {"c7g", "c7i", NULL};
    mdl_nodepool p = pool("compute", BOTH_ARCH, BOTH_CAP, 0, fam);
    mdl_pod_need pods[] = {pod(1000, 1024, BOTH_ARCH, true)};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, C7G_LARGE, MDL_CAP_SPOT, 0, 1);

    /* The pod's selector narrows to amd64: c7i.large. */
    pods[0].arch = MDL_ARCH_AMD64;
    r = provision(&c, &p, 1, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, C7I_LARGE, MDL_CAP_SPOT, 0, 1);

    /* The pool narrows to amd64: c7i.large too. */
    pods[0].arch = BOTH_ARCH;
    p.arch = MDL_ARCH_AMD64;
    r = provision(&c, &p, 1, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, C7I_LARGE, MDL_CAP_SPOT, 0, 1);
}

/* (3) Spot unavailable: On-Demand fallback, and Karpenter's "Spot if no dearer than the
 * cheapest On-Demand" rule. */
Test(karpenter, spot_unavailable_falls_back_to_on_demand, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};

    spot_ctx none = {.unavailable = ~(uint64_t)0};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 1, &none, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_ON_DEMAND, 0, 1); /* 16800 */

    /* Only t4g.small's Spot pool is dry: t4g.medium Spot 13440 < t4g.small OD 16800. */
    spot_ctx one = {.unavailable = (uint64_t)1 << T4G_SMALL};
    r = provision(&c, &p, 1, &OVERHEAD, pods, 1, &one, MAXL);
    expect_one(&r, T4G_MEDIUM, MDL_CAP_SPOT, 0, 1);

    /* Both t4g dry: cheapest Spot left is c7g.large 29000 > t4g.small OD 16800 -> OD. */
    spot_ctx two = {.unavailable = ((uint64_t)1 << T4G_SMALL) | ((uint64_t)1 << T4G_MEDIUM)};
    r = provision(&c, &p, 1, &OVERHEAD, pods, 1, &two, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_ON_DEMAND, 0, 1);

    /* A pod that does not tolerate Spot: On-Demand even with Spot available. */
    pods[0].spot_ok = false;
    r = provision(&c, &p, 1, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_ON_DEMAND, 0, 1);
}

Test(karpenter, spot_only_pool_without_spot, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    p.capacity = MDL_CAP_SPOT;
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    spot_ctx none = {.unavailable = ~(uint64_t)0};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 1, &none, MAXL);
    cr_expect_eq(r.n, -1);
    cr_expect_eq(r.bad, 0);

    /* A pod that does not tolerate Spot cannot use a Spot-only pool at all. */
    pods[0].spot_ok = false;
    r = provision(&c, &p, 1, &OVERHEAD, pods, 1, NULL, MAXL);
    cr_expect_eq(r.n, -1);
    cr_expect_eq(r.bad, 0);

    /* With a second, lower-weight On-Demand pool the pod goes there instead. */
    const char *const t4g[] = {"t4g", NULL};
    mdl_nodepool pools[2] = {p, pool("od", MDL_ARCH_ARM64, MDL_CAP_ON_DEMAND, 0, t4g)};
    pools[0].weight = 10;
    pods[0].spot_ok = true;
    r = provision(&c, pools, 2, &OVERHEAD, pods, 1, &none, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_ON_DEMAND, 1, 1);
}

/* (4) 20 × 250m/256Mi. Claim 1 packs while a type fits: 2-vCPU types hold 125 + 250k <= 1930,
 * k <= 7; t4g.small's memory 100 + 256k <= 1359, k <= 4; the xlarge types hold 125 + 250k <=
 * 3920, k <= 15 (memory 3940Mi < 6525Mi). So claim 1 takes 15 pods and keeps {m7g.xlarge,
 * c7g.xlarge}: c7g.xlarge Spot 58000. Claim 2 takes 5: 1375m, 1380Mi > t4g.small's 1359Mi, so
 * t4g.medium Spot 13440. */
Test(karpenter, twenty_pods_packed, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[20];
    for (int i = 0; i < 20; i++)
        pods[i] = pod(250, 256, MDL_ARCH_ARM64, true);
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 20, NULL, MAXL);
    cr_assert_eq(r.n, 2);
    expect_launch(&r, 0, C7G_XLARGE, MDL_CAP_SPOT, 0, 0, 15);
    expect_launch(&r, 1, T4G_MEDIUM, MDL_CAP_SPOT, 0, 15, 5);
    for (size_t i = 0; i < 20; i++)
        cr_expect_eq(r.idx[i], i);
}

/* DaemonSet pods take pod slots: 30 × 10m/16Mi on t4g only. CPU and memory allow dozens; max
 * pods binds: t4g.medium 17 − 2 DaemonSet pods = 15 per node (t4g.small: 9). */
Test(karpenter, daemonset_pods_take_pod_slots, .timeout = 60)
{
    cost_catalog c = catalog();
    const char *const t4g[] = {"t4g", NULL};
    mdl_nodepool p = pool("t4g", MDL_ARCH_ARM64, BOTH_CAP, 0, t4g);
    mdl_pod_need pods[30];
    for (int i = 0; i < 30; i++)
        pods[i] = pod(10, 16, MDL_ARCH_ARM64, true);
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 30, NULL, MAXL);
    cr_assert_eq(r.n, 2);
    expect_launch(&r, 0, T4G_MEDIUM, MDL_CAP_SPOT, 0, 0, 15);
    expect_launch(&r, 1, T4G_MEDIUM, MDL_CAP_SPOT, 0, 15, 15);

    /* No DaemonSets (overhead NULL): 17 then 13, both above t4g.small's 11. */
    r = provision(&c, &p, 1, NULL, pods, 30, NULL, MAXL);
    cr_assert_eq(r.n, 2);
    expect_launch(&r, 0, T4G_MEDIUM, MDL_CAP_SPOT, 0, 0, 17);
    expect_launch(&r, 1, T4G_MEDIUM, MDL_CAP_SPOT, 0, 17, 13);
}

/* Pods are packed largest first: 1700m opens claim 1 (1825m); 1000m does not fit beside it on
 * 2 vCPU (2825m) and opens claim 2 (1125m); 800m does not fit claim 1 (2625m) but fits claim 2
 * (1925m <= 1930m). In index order it would have been {0, 2} then {1}. */
Test(karpenter, largest_pods_first, .timeout = 60)
{
    cost_catalog c = catalog();
    const char *const t4g[] = {"t4g", NULL};
    mdl_nodepool p = pool("t4g", MDL_ARCH_ARM64, BOTH_CAP, 0, t4g);
    mdl_pod_need pods[] = {pod(1000, 256, MDL_ARCH_ARM64, true),
                           pod(1700, 256, MDL_ARCH_ARM64, true),
                           pod(800, 256, MDL_ARCH_ARM64, true)};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 3, NULL, MAXL);
    cr_assert_eq(r.n, 2);
    expect_launch(&r, 0, T4G_SMALL, MDL_CAP_SPOT, 0, 0, 1);
    expect_launch(&r, 1, T4G_SMALL, MDL_CAP_SPOT, 0, 1, 2);
    cr_expect_eq(r.idx[0], 1);
    cr_expect_eq(r.idx[1], 0); /* ascending within a launch */
    cr_expect_eq(r.idx[2], 2);
}

/* Equal pods: the tie in the size order goes to the lower index, so the grouping is stable. And
 * pods of different sizes that do share a claim come back in ascending index order. */
Test(karpenter, pod_index_is_a_grouped_permutation, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[12];
    for (int i = 0; i < 12; i++)
        pods[i] = pod(i % 3 == 0 ? 900 : 300, 200, MDL_ARCH_ARM64, true);
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 12, NULL, MAXL);
    cr_assert_gt(r.n, 0);
    bool seen[12] = {false};
    size_t next = 0;
    for (int l = 0; l < r.n; l++) {
        cr_expect_eq(r.out[l].first, next);
        for (size_t k = 0; k < r.out[l].count; k++) {
            size_t i = r.idx[r.out[l].first + k];
            cr_assert_lt(i, 12);
            cr_expect_not(seen[i]);
            seen[i] = true;
            if (k > 0)
                cr_expect_lt(r.idx[r.out[l].first + k - 1], i);
        }
        next += r.out[l].count;
    }
    cr_expect_eq(next, 12);
    /* Hand figure: 4 × 900m + 8 × 300m = 6000m + overhead. Claim 1: 900s first — 125 + 3600 =
     * 3725m (xlarge only); then a 300m would make 4025m > 3920m: claim 1 keeps 4 pods. Claim 2:
     * 300m pods, 125 + 300k <= 1930 -> k <= 6; memory 100 + 200k <= 1359 -> t4g.small up to 6;
     * 7 and 8 need an xlarge (2225m, 2525m), so claim 2 takes all 8 on an xlarge. */
    cr_assert_eq(r.n, 2);
    expect_launch(&r, 0, C7G_XLARGE, MDL_CAP_SPOT, 0, 0, 4);
    expect_launch(&r, 1, C7G_XLARGE, MDL_CAP_SPOT, 0, 4, 8);
    cr_expect_eq(r.idx[0], 0);
    cr_expect_eq(r.idx[1], 3);
    cr_expect_eq(r.idx[2], 6);
    cr_expect_eq(r.idx[3], 9);
}

/* A claim that holds a pod not tolerating Spot launches On-Demand; pods of different
 * architectures never share a claim. */
Test(karpenter, spot_tolerance_and_arch_per_claim, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true),
                           pod(250, 256, MDL_ARCH_ARM64, false)};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 2, NULL, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_ON_DEMAND, 0, 2); /* 625m, 612Mi: one t4g.small */

    const char *const fam[] = {"t3", "t4g", NULL};
    mdl_nodepool both = pool("both", BOTH_ARCH, BOTH_CAP, 0, fam);
    mdl_pod_need mixed[] = {pod(250, 256, MDL_ARCH_ARM64, true),
                            pod(250, 256, MDL_ARCH_AMD64, true)};
    r = provision(&c, &both, 1, &OVERHEAD, mixed, 2, NULL, MAXL);
    cr_assert_eq(r.n, 2);
    expect_launch(&r, 0, T4G_SMALL, MDL_CAP_SPOT, 0, 0, 1);
    expect_launch(&r, 1, T3_MEDIUM, MDL_CAP_SPOT, 0, 1, 1); /* 16640 */
    cr_expect_eq(r.idx[0], 0);
    cr_expect_eq(r.idx[1], 1);
}

/* New claims go to the highest-weight pool that can take the pod; equal weights: lower index. */
Test(karpenter, pool_weight_order, .timeout = 60)
{
    cost_catalog c = catalog();
    const char *const t3[] = {"t3", NULL};
    const char *const t4g[] = {"t4g", NULL};
    mdl_nodepool pools[2] = {pool("x86", BOTH_ARCH, BOTH_CAP, 0, t3),
                             pool("arm", BOTH_ARCH, BOTH_CAP, 50, t4g)};
    mdl_pod_need pods[] = {pod(250, 256, BOTH_ARCH, true)};
    result r = provision(&c, pools, 2, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, T4G_SMALL, MDL_CAP_SPOT, 1, 1);

    pools[1].weight = 0;
    r = provision(&c, pools, 2, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, T3_MEDIUM, MDL_CAP_SPOT, 0, 1);

    /* The heavier pool cannot run the pod (arm64 only, pod amd64): the next one does. */
    pools[1].weight = 50;
    pods[0].arch = MDL_ARCH_AMD64;
    r = provision(&c, pools, 2, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, T3_MEDIUM, MDL_CAP_SPOT, 0, 1);
}

/* NodePool limits (spec.limits): a claim opens only over the types the limit leaves room for,
 * after the pool's nodes (pool_cpu) and the claims before it (each taking its largest type's
 * vCPUs); pods no pool can take within its limits are left out, not an error. */
Test(karpenter, limits_cap_the_batch, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool pools[2] = {general_arm64(), general_arm64()};
    pools[0].limit_cpu_set = true;
    pools[0].limit_cpu = 4000; /* 4 vCPUs, 2 of them on a node already */
    int64_t used_cpu[2] = {2000, 0}, used_mem[2] = {0, 0};
    mdl_pod_need pods[20];
    for (int i = 0; i < 20; i++)
        pods[i] = pod(250, 256, MDL_ARCH_ARM64, true);
    result r;
    memset(&r, 0, sizeof r);
    mdl_provision_batch b = {&c, pools, 1, &OVERHEAD, pods, 20, NULL, NULL, used_cpu, used_mem};
    r.n = mdl_karpenter_provision(&b, r.out, MAXL, r.idx, &r.bad);
    /* 2 vCPUs left: one claim of the 2-vCPU types, 1805m free after the DaemonSets = 7 pods
     * (7 × 256Mi + 100Mi = 1892Mi: t4g.medium, the cheapest that holds them); 13 wait */
    expect_one(&r, T4G_MEDIUM, MDL_CAP_SPOT, 0, 7);

    /* no room at all (the 2-vCPU types exceed 1 vCPU): no launch, and no error */
    used_cpu[0] = 3000;
    r.n = mdl_karpenter_provision(&b, r.out, MAXL, r.idx, &r.bad);
    cr_expect_eq(r.n, 0, "%d launches past the limit", r.n);

    /* the limited pool first by weight, full: the next pool takes every pod */
    pools[0].weight = 50;
    b.npools = 2;
    r.n = mdl_karpenter_provision(&b, r.out, MAXL, r.idx, &r.bad);
    cr_assert_gt(r.n, 0);
    size_t placed = 0;
    for (int l = 0; l < r.n; l++) {
        cr_expect_eq(r.out[l].pool, 1, "launch %d in pool %d", l, r.out[l].pool);
        placed += r.out[l].count;
    }
    cr_expect_eq(placed, 20);

    /* each claim takes its largest candidate's vCPUs: 8 vCPUs and a batch whose first claim may
     * become a 4-vCPU type leave room for one more claim of 4 at most, never past 8 */
    used_cpu[0] = 0;
    pools[0].limit_cpu = 8000;
    b.npools = 1;
    r.n = mdl_karpenter_provision(&b, r.out, MAXL, r.idx, &r.bad);
    int vcpu = 0;
    for (int l = 0; l < r.n; l++)
        vcpu += c.types[r.out[l].type].vcpu;
    cr_expect_leq(vcpu, 8, "%d vCPUs launched under a limit of 8", vcpu);
    cr_expect_gt(vcpu, 0);

    /* a memory limit instead: 4Gi of nodes (t4g.medium, c7g.large), whatever their vCPUs */
    pools[0].limit_cpu_set = false;
    pools[0].limit_memory_set = true;
    pools[0].limit_memory = 4 * GI;
    r.n = mdl_karpenter_provision(&b, r.out, MAXL, r.idx, &r.bad);
    int64_t mem = 0;
    for (int l = 0; l < r.n; l++)
        mem += c.types[r.out[l].type].memory;
    cr_expect_leq(mem, 4 * GI, "%lld bytes launched under a limit of 4Gi", (long long)mem);
    cr_expect_gt(r.n, 0);
}

/* (5) Price ties: smaller vCPU, then lower catalog index; and Spot against On-Demand. */
Test(karpenter, price_ties, .timeout = 60)
{
    cost_catalog c;
    memset(&c, 0, sizeof c);
    put(&c, 0, "x.big", "x", MDL_ARCH_ARM64, 4, 8, 3920, 6000, 58, 50000);
    put(&c, 1, "x.small", "x", MDL_ARCH_ARM64, 2, 4, 1930, 3000, 29, 50000);
    put(&c, 2, "x.twin", "x", MDL_ARCH_ARM64, 2, 4, 1930, 3000, 29, 50000);
    c.n = 3;
    const char *const x[] = {"x", NULL};
    mdl_nodepool p = pool("x", MDL_ARCH_ARM64, BOTH_CAP, 0, x);
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 1, NULL, MAXL);
    expect_one(&r, 1, MDL_CAP_SPOT, 0, 1); /* smaller than 0, lower index than 2 */

    /* Spot and On-Demand at the same price: Spot. With a 50% discount t4g.medium Spot is 16800,
     * t4g.small On-Demand is 16800; t4g.small's Spot pool is dry. */
    cost_catalog real = catalog();
    for (size_t t = 0; t < real.n; t++)
        real.types[t].spot_discount = 0.5;
    mdl_nodepool arm = general_arm64();
    spot_ctx one = {.unavailable = (uint64_t)1 << T4G_SMALL};
    r = provision(&real, &arm, 1, &OVERHEAD, pods, 1, &one, MAXL);
    expect_one(&r, T4G_MEDIUM, MDL_CAP_SPOT, 0, 1);
}

/* (6) A pod no type can hold: -1 and the lowest such index; out[] untouched. */
Test(karpenter, unplaceable_pod, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true),
                           pod(8000, 256, MDL_ARCH_ARM64, true), /* > 3920m - 125m */
                           pod(4000, 256, MDL_ARCH_ARM64, true)};
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 3, NULL, MAXL);
    cr_expect_eq(r.n, -1);
    cr_expect_eq(r.bad, 1);
    cr_expect_eq(r.out[0].type, (int)0xabababab, "out[] is not written on failure");

    /* The edge: 3795m + 125m = 3920m fits an xlarge exactly; 3796m fits nothing. */
    mdl_pod_need edge[] = {pod(3795, 256, MDL_ARCH_ARM64, true)};
    r = provision(&c, &p, 1, &OVERHEAD, edge, 1, NULL, MAXL);
    expect_one(&r, C7G_XLARGE, MDL_CAP_SPOT, 0, 1);
    edge[0].cpu = 3796;
    r = provision(&c, &p, 1, &OVERHEAD, edge, 1, NULL, MAXL);
    cr_expect_eq(r.n, -1);
    cr_expect_eq(r.bad, 0);

    /* Architecture no pool offers. */
    mdl_pod_need amd[] = {pod(250, 256, MDL_ARCH_ARM64, true), pod(250, 256, MDL_ARCH_AMD64, true)};
    r = provision(&c, &p, 1, &OVERHEAD, amd, 2, NULL, MAXL);
    cr_expect_eq(r.n, -1);
    cr_expect_eq(r.bad, 1);
}

/* More launches needed than max_out: -1 with SIZE_MAX. Exactly enough is fine. */
Test(karpenter, max_out_exceeded, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[20];
    for (int i = 0; i < 20; i++)
        pods[i] = pod(250, 256, MDL_ARCH_ARM64, true);
    result r = provision(&c, &p, 1, &OVERHEAD, pods, 20, NULL, 1);
    cr_expect_eq(r.n, -1);
    cr_expect_eq(r.bad, SIZE_MAX);
    r = provision(&c, &p, 1, &OVERHEAD, pods, 20, NULL, 2);
    cr_expect_eq(r.n, 2);
    r = provision(&c, &p, 1, &OVERHEAD, pods, 0, NULL, 0);
    cr_expect_eq(r.n, 0);
}

/* Same inputs, same outputs, call after call. */
Test(karpenter, provision_is_deterministic, .timeout = 60)
{
    cost_catalog c = catalog();
    const char *const fam[] = {"t3", "t4g", "m7g", "c7g", "m7i", "c7i", NULL};
    mdl_nodepool pools[2] = {pool("a", BOTH_ARCH, BOTH_CAP, 5, fam),
                             pool("b", BOTH_ARCH, MDL_CAP_ON_DEMAND, 5, fam)};
    mdl_pod_need pods[40];
    for (int i = 0; i < 40; i++)
        pods[i] = pod(100 + 37 * (i % 7), 128 + 64 * (i % 5), i % 4 ? BOTH_ARCH : MDL_ARCH_AMD64,
                      i % 3 != 0);
    spot_ctx s1 = {.unavailable = (uint64_t)1 << C7G_LARGE};
    spot_ctx s2 = s1;
    result a = provision(&c, pools, 2, &OVERHEAD, pods, 40, &s1, MAXL);
    result b = provision(&c, pools, 2, &OVERHEAD, pods, 40, &s2, MAXL);
    cr_assert_gt(a.n, 0);
    cr_expect_eq(a.n, b.n);
    cr_expect_eq(memcmp(a.out, b.out, (size_t)a.n * sizeof a.out[0]), 0);
    cr_expect_eq(memcmp(a.idx, b.idx, 40 * sizeof a.idx[0]), 0);
}

/* ---------------------------------------------------------------- consolidation */

static mdl_node_view node(int type, int capacity, int pool_i, int64_t free_cpu, int64_t free_mem_mi,
                          int free_pods, size_t first, size_t npods)
{
    mdl_node_view n;
    memset(&n, 0, sizeof n);
    n.type = type;
    n.capacity = capacity;
    n.pool = pool_i;
    n.ready = true;
    n.last_change = 0;
    n.free_cpu = free_cpu;
    n.free_memory = free_mem_mi * MI;
    n.free_pods = free_pods;
    n.first_pod = first;
    n.npods = npods;
    return n;
}

#define NOW (1000 * SIM_SEC)
#define OD  MDL_CAP_ON_DEMAND
#define SP  MDL_CAP_SPOT

static size_t consolidate(const cost_catalog *c, const mdl_nodepool *pools, size_t npools,
                          const mdl_node_view *nodes, size_t n, const mdl_pod_need *pods,
                          const int *disrupting, size_t *out, size_t max_out)
{
    return mdl_karpenter_consolidate(c, pools, npools, nodes, n, pods, disrupting, NOW, out,
                                     max_out);
}

/* The n nodes a consolidation pass chose (out) are exactly want[0..nwant), in that order. */
static void chosen(size_t n, const size_t *out, size_t nwant, const size_t *want)
{
    cr_assert_eq(n, nwant, "%zu nodes chosen, expected %zu", n, nwant);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(out[i], want[i], "choice %zu: node %zu, expected %zu", i, out[i], want[i]);
}

/* Exactly one node chosen: node `which`. */
static void chosen_one(size_t n, const size_t *out, size_t which)
{
    chosen(n, out, 1, &which);
}

/* (7a) Empty nodes past consolidateAfter (60 s) are chosen, not before; the dearer first. */
Test(karpenter, empty_nodes_after_consolidate_after, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool pools[2] = {general_arm64(), general_arm64()};
    pools[0].consolidate_after = 60 * SIM_SEC;
    pools[1].consolidate_after = SIM_NEVER;
    mdl_node_view nodes[6];
    for (int i = 0; i < 6; i++) {
        nodes[i] = node(T4G_SMALL, SP, 0, 1800, 1200, 9, 0, 0);
        nodes[i].last_change = NOW - 100 * SIM_SEC;
    }
    nodes[0].last_change = NOW - 61 * SIM_SEC; /* elapsed */
    nodes[1].last_change = NOW - 30 * SIM_SEC; /* not yet */
    nodes[2].last_change = NOW - 60 * SIM_SEC; /* exactly: elapsed */
    nodes[2].type = M7G_LARGE;                 /* dearer: first in the output */
    nodes[3].do_not_disrupt = true;
    nodes[4].ready = false;
    nodes[5].pool = 1; /* consolidateAfter: Never */
    size_t out[6];
    chosen(consolidate(&c, pools, 2, nodes, 6, NULL, NULL, out, 6), out, 2, (size_t[]){2, 0});
}

/* (7b) An underutilized node whose 2 pods fit elsewhere is chosen; one whose pod does not fit is
 * not. Node 2's 3500m pod fits neither node 0 (1305m free) nor node 1 (3000m free). Node 0's
 * two 250m pods go to node 1 (first fit by index). Node 1's ten pods have nowhere to go. */
Test(karpenter, underutilized_node_chosen_when_pods_fit, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[13];
    for (int i = 0; i < 13; i++)
        pods[i] = pod(250, 256, MDL_ARCH_ARM64, true);
    pods[2] = pod(3500, 1024, MDL_ARCH_ARM64, true);
    mdl_node_view nodes[3] = {node(C7G_LARGE, SP, 0, 1305, 2443, 25, 0, 2),
                              node(M7G_XLARGE, OD, 0, 3000, 10240, 40, 3, 10),
                              node(M7G_XLARGE, OD, 0, 295, 12000, 50, 2, 1)};
    size_t out[3];
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 0);

    /* Room for the big pod on node 1 (3600m): node 2 goes first (1 pod), its pod takes node 1
     * down to 100m; node 0's pods then fit neither node 1 nor node 2 (chosen): node 0 stays. */
    nodes[1].free_cpu = 3600;
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 2);
}

/* Memory counts as much as CPU: a receiver with CPU room but no memory room is not used. */
Test(karpenter, receiver_needs_memory_room, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 512, MDL_ARCH_ARM64, true)};
    mdl_node_view nodes[2] = {node(T4G_SMALL, SP, 0, 1500, 800, 8, 0, 1),
                              node(M7G_XLARGE, OD, 0, 3000, 500, 40, 1, 0)};
    nodes[1].do_not_disrupt = true; /* empty, but stays: a receiver only */
    size_t out[2];
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), 0);
    nodes[1].free_memory = 512 * MI;
    chosen_one(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), out, 0);
}

/* (7c) The budget: 10% of 10 nodes = 1, the dearest; minus nodes already disrupting. */
Test(karpenter, budget_limits_choices, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    p.budget = 0.1;
    mdl_node_view nodes[50];
    for (int i = 0; i < 50; i++)
        nodes[i] = node(T4G_SMALL, SP, 0, 1800, 1200, 9, 0, 0);
    nodes[7].type = M7G_XLARGE;
    size_t out[50];
    chosen_one(consolidate(&c, &p, 1, nodes, 10, NULL, NULL, out, 50), out, 7);

    int disrupting[1] = {1};
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 10, NULL, disrupting, out, 50), 0);
    disrupting[0] = 5; /* more than the budget: none, not negative */
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 10, NULL, disrupting, out, 50), 0);

    /* 10% of 30 is 3; 14% of 50 is 7 (not 8: 0.14 × 50 is 7.000000000000001 in binary). */
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 30, NULL, NULL, out, 50), 3);
    p.budget = 0.14;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 50, NULL, NULL, out, 50), 7);
    /* 15% of 10 rounds up to 2. */
    p.budget = 0.15;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 10, NULL, NULL, out, 50), 2);
    /* 0%: nothing. */
    p.budget = 0.0;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 10, NULL, NULL, out, 50), 0);

    /* Budgets are per pool: two pools of 5 nodes at 10% give one each. */
    mdl_nodepool two[2] = {general_arm64(), general_arm64()};
    two[0].budget = two[1].budget = 0.1;
    for (int i = 5; i < 10; i++)
        nodes[i].pool = 1;
    /* pool 1's dearest, then pool 0's (all equal: the lowest index) */
    chosen(consolidate(&c, two, 2, nodes, 10, NULL, NULL, out, 50), out, 2, (size_t[]){7, 0});
}

/* (7d) do-not-disrupt nodes are never chosen, but may receive pods; unmanaged nodes (pool -1)
 * likewise. */
Test(karpenter, do_not_disrupt_never_chosen, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    mdl_node_view nodes[3] = {node(T4G_SMALL, SP, 0, 1500, 800, 8, 0, 1),
                              node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 1, 0),
                              node(T4G_SMALL, OD, -1, 1800, 1200, 9, 1, 0)};
    nodes[0].do_not_disrupt = true;
    nodes[1].do_not_disrupt = true;
    size_t out[3];
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), 0);

    /* Node 0 may go: its pod moves to the do-not-disrupt node 1. */
    nodes[0].do_not_disrupt = false;
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 0);

    /* Node 1 not ready: the pod goes to the unmanaged node 2, which is never chosen itself. */
    nodes[1].ready = false;
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 0);
}

/* (7e) A Spot node does not take a pod that does not tolerate Spot; nor a node of another
 * architecture. */
Test(karpenter, receivers_must_be_compatible, .timeout = 60)
{
    cost_catalog c = catalog();
    const char *const fam[] = {"t4g", "m7g", "m7i", NULL};
    mdl_nodepool p = pool("any", BOTH_ARCH, BOTH_CAP, 0, fam);
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, false)};
    mdl_node_view nodes[2] = {node(T4G_MEDIUM, OD, 0, 1500, 2800, 14, 0, 1),
                              node(M7G_XLARGE, SP, 0, 3000, 10000, 40, 1, 0)};
    nodes[1].do_not_disrupt = true;
    size_t out[2];
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), 0);
    pods[0].spot_ok = true;
    chosen_one(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), out, 0);

    /* An amd64 receiver for an arm64-only pod. */
    nodes[1].type = M7I_LARGE;
    nodes[1].capacity = OD;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), 0);
    pods[0].arch = BOTH_ARCH;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), 1);
}

/* (7f) The pass is consistent: two candidates cannot both move a pod into the receiver's last
 * free slot. Same pod counts: the dearer (t4g.medium, node 1) goes first. */
Test(karpenter, pass_is_consistent, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true),
                           pod(250, 256, MDL_ARCH_ARM64, true)};
    mdl_node_view nodes[3] = {node(T4G_SMALL, OD, 0, 0, 0, 0, 0, 1),
                              node(T4G_MEDIUM, OD, 0, 0, 0, 0, 1, 1),
                              node(M7G_XLARGE, OD, 0, 3000, 10000, 1, 2, 0)};
    nodes[2].do_not_disrupt = true;
    size_t out[3];
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 1);

    /* Two free slots: both go, dearer first. */
    nodes[2].free_pods = 2;
    chosen(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 2, (size_t[]){1, 0});

    /* Same with CPU as the scarce room: 400m left takes one 250m pod only. */
    nodes[2].free_pods = 10;
    nodes[2].free_cpu = 400;
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 1);
}

/* A node chosen in the pass (here: empty, so chosen first) takes no pods: node 1's pod could
 * only go to node 0. */
Test(karpenter, chosen_nodes_receive_nothing, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    mdl_node_view nodes[2] = {node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 0, 0),
                              node(T4G_SMALL, OD, 0, 1500, 800, 8, 0, 1)};
    size_t out[2];
    chosen_one(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), out, 0);
    /* Node 0 kept (do-not-disrupt): node 1 moves onto it. */
    nodes[0].do_not_disrupt = true;
    chosen_one(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), out, 1);
}

/* A node that received pods in the pass is not removed in the same pass (that would strand the
 * pods just moved onto it). Node 0's pod lands on node 1 (first fit); node 1 would otherwise
 * empty itself onto node 2. */
Test(karpenter, receiver_is_not_then_removed, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_pod_need pods[8];
    for (int i = 0; i < 8; i++)
        pods[i] = pod(250, 256, MDL_ARCH_ARM64, true);
    mdl_node_view nodes[3] = {node(T4G_SMALL, OD, 0, 0, 0, 0, 0, 1),
                              node(T4G_MEDIUM, OD, 0, 1000, 2000, 10, 1, 2),
                              node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 3, 5)};
    size_t out[3];
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 0);
}

/* WhenEmpty pools consolidate empty nodes only. */
Test(karpenter, when_empty_policy, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    p.consolidation = MDL_CONSOLIDATE_WHEN_EMPTY;
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    mdl_node_view nodes[3] = {node(T4G_SMALL, OD, 0, 1500, 800, 8, 0, 1),
                              node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 1, 0),
                              node(T4G_SMALL, OD, 0, 1800, 1200, 9, 1, 0)};
    nodes[1].do_not_disrupt = true;
    size_t out[3];
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 2);
    p.consolidation = MDL_CONSOLIDATE_WHEN_UNDERUTILIZED;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), 2);
}

/* consolidateAfter holds for underutilized nodes too. */
Test(karpenter, underutilized_waits_consolidate_after, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    p.consolidate_after = 60 * SIM_SEC;
    mdl_pod_need pods[] = {pod(250, 256, MDL_ARCH_ARM64, true)};
    mdl_node_view nodes[2] = {node(T4G_SMALL, OD, 0, 1500, 800, 8, 0, 1),
                              node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 1, 0)};
    nodes[1].do_not_disrupt = true;
    nodes[0].last_change = NOW - 10 * SIM_SEC;
    size_t out[2];
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), 0);
    nodes[0].last_change = NOW - 100 * SIM_SEC;
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 2, pods, NULL, out, 2), 1);
}

/* Candidate order under a budget of one (20% of 3 nodes): empty before underutilized; then
 * fewest pods before a dearer node. */
Test(karpenter, candidate_order, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    p.budget = 0.2;
    mdl_pod_need pods[13];
    for (int i = 0; i < 13; i++)
        pods[i] = pod(100, 100, MDL_ARCH_ARM64, true);
    mdl_node_view nodes[3] = {node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 0, 2),
                              node(T4G_SMALL, OD, 0, 1500, 800, 8, 2, 1),
                              node(M7G_XLARGE, OD, 0, 3000, 10000, 40, 3, 10)};
    size_t out[3];
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out,
               1); /* 1 pod, although node 0 costs more */

    nodes[1].npods = 0; /* now empty: still first, as an empty node */
    nodes[0].npods = 1;
    chosen_one(consolidate(&c, &p, 1, nodes, 3, pods, NULL, out, 3), out, 1);
}

Test(karpenter, consolidate_respects_max_out, .timeout = 60)
{
    cost_catalog c = catalog();
    mdl_nodepool p = general_arm64();
    mdl_node_view nodes[3];
    for (int i = 0; i < 3; i++)
        nodes[i] = node(T4G_SMALL, SP, 0, 1800, 1200, 9, 0, 0);
    size_t out[3] = {99, 99, 99};
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 3, NULL, NULL, out, 2), 2);
    cr_expect_eq(out[2], 99);
    cr_expect_eq(consolidate(&c, &p, 1, nodes, 0, NULL, NULL, out, 3), 0);
}
