/*
 * consolidate.c — Karpenter's second decision, as a pure function: which nodes to remove
 * (consolidation). Its sources and the simplifications it makes are karpenter.c's header's
 * (disruption.md, nodepool.go); provisioning, the first decision, is there.
 */
#include "model/internal.h"
#include "model/model.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- consolidation */

/* now >= since + after, without overflow; consolidateAfter: Never never elapses. Karpenter
 * marks a node Consolidatable once now is not before its last pod event + consolidateAfter. */
static bool elapsed(sim_time now, sim_time since, sim_time after)
{
    if (after == SIM_NEVER)
        return false;
    if (after >= 0 && since > INT64_MAX - after)
        return false;
    if (after < 0 && since < INT64_MIN - after)
        return true;
    return now >= since + after;
}

/* ⌈share · n⌉ nodes (nodepool.go: GetScaledValueFromIntOrPercent rounds up). Karpenter works in
 * integer percent, where 14% of 50 nodes is exactly 7; in binary 0.14 · 50 is 7.000000000000001,
 * so a hair is taken off before rounding up. */
static int64_t budget_nodes(double share, size_t n)
{
    if (!(share > 0.0))
        return 0;
    double x = share * (double)n;
    if (x >= (double)n)
        return (int64_t)n;
    return (int64_t)ceil(x - 1e-9);
}

typedef struct cand {
    size_t node, npods;
    int64_t price;
} cand;

/* Fewest pods first (cheapest to disrupt), then the dearest node (saves most), then index. */
static int by_disruption_order(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->npods != y->npods)
        return x->npods < y->npods ? -1 : 1;
    if (x->price != y->price)
        return x->price > y->price ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static bool managed(const mdl_node_view *n, size_t npools)
{
    return n->pool >= 0 && (size_t)n->pool < npools;
}

static bool valid_type(const cost_catalog *cat, int type)
{
    return type >= 0 && (size_t)type < mdl__ntypes(cat);
}

/* Whether node j may take pod `pod` (the scheduler's view: architecture label and the Spot
 * capacity type, which a pod avoids unless it tolerates Spot). */
static bool may_host(const cost_catalog *cat, const mdl_node_view *n, const mdl_pod_need *pod)
{
    if (!valid_type(cat, n->type) || !(pod->arch & cat->types[n->type].arch))
        return false;
    return pod->spot_ok || n->capacity != MDL_CAP_SPOT;
}

/*
 * Contract (model.h), with the points it leaves open decided here:
 *   - nodes of a pool out of 0..npools-1 are not Karpenter's (a managed node group): never
 *     chosen, not counted in any budget, but they may receive pods;
 *   - a pool's node count for its budget is every entry of nodes[] in that pool, ready or not;
 *     disrupting may be NULL (none);
 *   - candidates must be ready, not do_not_disrupt, and past consolidateAfter since
 *     last_change; empty ones are taken first (by the order below), then, for
 *     WhenEmptyOrUnderutilized pools, non-empty ones in order of fewest pods, highest price
 *     (mdl_instance_price of its type and capacity), lower index;
 *   - a candidate's pods, largest first (CPU, memory, index), go first-fit in node index order
 *     onto ready, not chosen nodes other than itself, that may host them, within their free
 *     CPU, memory and pod slots; the room they take is kept for later candidates, and a node
 *     that received pods in the pass is no longer a candidate (its pods changed, and moving
 *     them again would strand the ones just moved there);
 *   - out[] lists the chosen nodes in the order chosen (empty ones first); at most max_out;
 *     when memory runs out nothing is chosen.
 */
/* One consolidation pass: the nodes' room as the pass takes candidates and moves their pods,
 * each pool's budget left, and the nodes chosen so far. */
typedef struct pass {
    const cost_catalog *cat;
    const mdl_nodepool *pools;
    size_t npools;
    const mdl_node_view *nodes;
    size_t nnodes;
    const mdl_pod_need *pods;
    sim_time now;
    int64_t *allowed;             /* nodes each pool may still disrupt */
    bool *chosen, *pinned;        /* taken; received pods in this pass (no longer a candidate) */
    int64_t *free_cpu, *free_mem; /* each node's room, as pods move */
    int *free_pods;
    cand *cands;
    mdl__sized *moving; /* a candidate's pods, largest first */
    size_t *placed;     /* where each of them went */
    size_t *out, nout, max_out;
    /* the room of the ready nodes not chosen, in all; the smallest pod's needs */
    int64_t all_cpu, all_mem, all_pods, least_cpu, least_mem;
} pass;

static void pass_free(pass *p)
{
    free(p->allowed);
    free(p->chosen);
    free(p->pinned);
    free(p->free_cpu);
    free(p->free_mem);
    free(p->free_pods);
    free(p->cands);
    free(p->moving);
    free(p->placed);
}

/* The working arrays, each node's room from its view. False when memory runs out. */
static bool pass_alloc(pass *p)
{
    size_t nn = p->nnodes, maxpods = 0;
    for (size_t j = 0; j < nn; j++)
        if (p->nodes[j].npods > maxpods)
            maxpods = p->nodes[j].npods;
    p->allowed = base_calloc(p->npools ? p->npools : 1, sizeof *p->allowed);
    p->chosen = base_calloc(nn, sizeof *p->chosen);
    p->pinned = base_calloc(nn, sizeof *p->pinned);
    p->free_cpu = base_malloc(nn * sizeof *p->free_cpu);
    p->free_mem = base_malloc(nn * sizeof *p->free_mem);
    p->free_pods = base_malloc(nn * sizeof *p->free_pods);
    p->cands = base_malloc(nn * sizeof *p->cands);
    p->moving = base_malloc((maxpods ? maxpods : 1) * sizeof *p->moving);
    p->placed = base_malloc((maxpods ? maxpods : 1) * sizeof *p->placed);
    if (!p->allowed || !p->chosen || !p->pinned || !p->free_cpu || !p->free_mem || !p->free_pods ||
        !p->cands || !p->moving || !p->placed)
        return false;
    for (size_t j = 0; j < nn; j++) {
        p->free_cpu[j] = p->nodes[j].free_cpu;
        p->free_mem[j] = p->nodes[j].free_memory;
        p->free_pods[j] = p->nodes[j].free_pods;
    }
    return true;
}

/* Budgets: ⌈share · nodes of the pool⌉ − already disrupting, never negative. */
static bool set_budgets(pass *p, const int *disrupting)
{
    size_t *count = base_calloc(p->npools ? p->npools : 1, sizeof *count);
    if (!count)
        return false;
    for (size_t j = 0; j < p->nnodes; j++)
        if (managed(&p->nodes[j], p->npools))
            count[p->nodes[j].pool]++;
    for (size_t k = 0; k < p->npools; k++) {
        int64_t a = budget_nodes(p->pools[k].budget, count[k]) - (disrupting ? disrupting[k] : 0);
        p->allowed[k] = a > 0 ? a : 0;
    }
    free(count);
    return true;
}

/* The nodes that may be disrupted now, empty ones (`empty`) or, in WhenEmptyOrUnderutilized
 * pools, those with pods, into p->cands in disruption order; their count. */
static size_t candidates(pass *p, bool empty)
{
    size_t nc = 0;
    for (size_t j = 0; j < p->nnodes; j++) {
        const mdl_node_view *n = &p->nodes[j];
        if ((n->npods == 0) != empty || !managed(n, p->npools) || !n->ready || n->do_not_disrupt)
            continue;
        if (!empty && p->pools[n->pool].consolidation != MDL_CONSOLIDATE_WHEN_UNDERUTILIZED)
            continue;
        if (!elapsed(p->now, n->last_change, p->pools[n->pool].consolidate_after))
            continue;
        p->cands[nc++] = (cand){j, empty ? 0 : n->npods,
                                valid_type(p->cat, n->type)
                                    ? mdl_instance_price(&p->cat->types[n->type], n->capacity)
                                    : 0};
    }
    qsort(p->cands, nc, sizeof *p->cands, by_disruption_order);
    return nc;
}

static void take_node(pass *p, size_t j)
{
    p->allowed[p->nodes[j].pool]--;
    p->chosen[j] = true;
    p->out[p->nout++] = j;
}

/* Empty nodes first: removing them moves nothing (disruption.md, "Empty Node Consolidation");
 * either policy allows it. */
static void take_empty(pass *p)
{
    size_t nc = candidates(p, true);
    for (size_t c = 0; c < nc && p->nout < p->max_out; c++)
        if (p->allowed[p->nodes[p->cands[c].node].pool] > 0)
            take_node(p, p->cands[c].node);
}

/* What the other ready nodes have free in all: a candidate whose pods need more cannot be
 * emptied, whatever the placement, and is skipped before the first-fit search (which costs
 * pods × nodes); kept up to date as candidates are chosen. And the smallest pod's needs: first
 * fit only looks at the nodes that could take it. */
static void room_totals(pass *p)
{
    p->all_cpu = p->all_mem = p->all_pods = 0;
    for (size_t r = 0; r < p->nnodes; r++)
        if (p->nodes[r].ready && !p->chosen[r]) {
            p->all_cpu += p->free_cpu[r];
            p->all_mem += p->free_mem[r];
            p->all_pods += p->free_pods[r];
        }
    p->least_cpu = p->least_mem = INT64_MAX;
    for (size_t j = 0; j < p->nnodes; j++)
        for (size_t k = 0; k < p->nodes[j].npods; k++) {
            const mdl_pod_need *pod = &p->pods[p->nodes[j].first_pod + k];
            p->least_cpu = pod->cpu < p->least_cpu ? pod->cpu : p->least_cpu;
            p->least_mem = pod->memory < p->least_mem ? pod->memory : p->least_mem;
        }
}

/* The nodes that could take the smallest pod at all, into hosts (a full node stays full while
 * candidates are tried; the list is rebuilt after one is chosen); their count. */
static size_t hosts_of(const pass *p, size_t *hosts)
{
    size_t nhosts = 0;
    for (size_t h = 0; h < p->nnodes; h++)
        if (!p->chosen[h] && p->nodes[h].ready && p->free_cpu[h] >= p->least_cpu &&
            p->free_mem[h] >= p->least_mem && p->free_pods[h] >= 1)
            hosts[nhosts++] = h;
    return nhosts;
}

/* Candidate j's pods, largest first, first fit onto the hosts other than j: true when every pod
 * found room (taken from the hosts' room, p->placed saying where), else nothing moves. */
static bool move_pods(pass *p, size_t j, const size_t *hosts, size_t nhosts)
{
    const mdl_node_view *n = &p->nodes[j];
    for (size_t k = 0; k < n->npods; k++) {
        const mdl_pod_need *pod = &p->pods[n->first_pod + k];
        p->moving[k] = (mdl__sized){pod->cpu, pod->memory, n->first_pod + k};
    }
    qsort(p->moving, n->npods, sizeof *p->moving, mdl__by_size_desc);
    size_t k = 0;
    for (; k < n->npods; k++) {
        const mdl_pod_need *pod = &p->pods[p->moving[k].idx];
        size_t r = p->nnodes;
        for (size_t h = 0; h < nhosts; h++) {
            size_t q = hosts[h];
            if (q != j && !p->chosen[q] && p->nodes[q].ready &&
                may_host(p->cat, &p->nodes[q], pod) && p->free_cpu[q] >= pod->cpu &&
                p->free_mem[q] >= pod->memory && p->free_pods[q] >= 1) {
                r = q;
                break;
            }
        }
        if (r == p->nnodes)
            break;
        p->free_cpu[r] -= pod->cpu;
        p->free_mem[r] -= pod->memory;
        p->free_pods[r]--;
        p->placed[k] = r;
    }
    if (k == n->npods)
        return true;
    while (k-- > 0) { /* some pod has nowhere to go: undo this candidate's moves */
        const mdl_pod_need *pod = &p->pods[p->moving[k].idx];
        p->free_cpu[p->placed[k]] += pod->cpu;
        p->free_mem[p->placed[k]] += pod->memory;
        p->free_pods[p->placed[k]]++;
    }
    return false;
}

/* Underutilized nodes: single-node deletion when the other nodes can take every pod. */
static void take_underutilized(pass *p)
{
    size_t nc = candidates(p, false);
    room_totals(p);
    size_t *hosts = base_malloc(p->nnodes * sizeof *hosts), nhosts = 0;
    bool rebuild = true;
    for (size_t c = 0; hosts && c < nc && p->nout < p->max_out; c++) {
        size_t j = p->cands[c].node;
        const mdl_node_view *n = &p->nodes[j];
        if (p->allowed[n->pool] <= 0 || p->pinned[j])
            continue;
        if (rebuild) {
            nhosts = hosts_of(p, hosts);
            rebuild = false;
        }
        int64_t need_cpu = 0, need_mem = 0;
        for (size_t k = 0; k < n->npods; k++) {
            need_cpu += p->pods[n->first_pod + k].cpu;
            need_mem += p->pods[n->first_pod + k].memory;
        }
        if (need_cpu > p->all_cpu - p->free_cpu[j] || need_mem > p->all_mem - p->free_mem[j] ||
            (int64_t)n->npods > p->all_pods - p->free_pods[j])
            continue;
        if (!move_pods(p, j, hosts, nhosts))
            continue;
        for (size_t k = 0; k < n->npods; k++)
            p->pinned[p->placed[k]] = true;
        take_node(p, j);
        /* its pods now use others' room, and its own room is gone */
        p->all_cpu -= need_cpu + p->free_cpu[j];
        p->all_mem -= need_mem + p->free_mem[j];
        p->all_pods -= (int64_t)n->npods + p->free_pods[j];
        rebuild = true;
    }
    free(hosts);
}

size_t mdl_karpenter_consolidate(const cost_catalog *cat, const mdl_nodepool *pools, size_t npools,
                                 const mdl_node_view *nodes, size_t nnodes,
                                 const mdl_pod_need *pods, const int *disrupting, sim_time now,
                                 size_t *out, size_t max_out)
{
    if (nnodes == 0 || max_out == 0)
        return 0;
    pass p = {.cat = cat,
              .pools = pools,
              .npools = npools,
              .nodes = nodes,
              .nnodes = nnodes,
              .pods = pods,
              .now = now,
              .out = out,
              .max_out = max_out};
    if (pass_alloc(&p) && set_budgets(&p, disrupting)) {
        take_empty(&p);
        take_underutilized(&p);
    }
    pass_free(&p);
    return p.nout;
}
