/*
 * pareto.c — the Pareto frontier of cost against a figure (p99, the first failure's RTO) over
 * the configurations simulated.
 */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>

static int by_cost_idx(const plan_result *r, int a, int b)
{
    double x = r->cfg[a].fig[PLAN_COST].mean, y = r->cfg[b].fig[PLAN_COST].mean;
    if (x != y)
        return x < y ? -1 : 1;
    return r->cfg[a].index < r->cfg[b].index ? -1 : 1;
}

/* The configurations no other beats on both cost and figure f (lower is better for both),
 * among those simulated that are not clearly infeasible: a trade-off between cost and latency
 * is a choice only among configurations that meet the rest. */
int plan__frontier(plan_result *r, int f, int **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int *idx = base_malloc((r->ncfg ? r->ncfg : 1) * sizeof *idx);
    if (!idx)
        return BASE_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < r->ncfg; i++)
        if (r->cfg[i].reps > 0 && isfinite(r->cfg[i].fig[PLAN_COST].mean) &&
            !isnan(r->cfg[i].fig[f].mean) && r->cfg[i].status != PLAN_INFEASIBLE &&
            !plan__clearly_infeasible(&r->cfg[i]))
            idx[m++] = (int)i;
    /* insertion sort by cost: hundreds of entries at most */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && by_cost_idx(r, idx[j], idx[j - 1]) < 0; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    size_t k = 0;
    double best = INFINITY;
    for (size_t i = 0; i < m; i++) {
        const plan_config *c = &r->cfg[idx[i]];
        if (c->fig[f].mean >= best)
            continue;
        /* at the same cost as the last one kept, and better: that one is beaten */
        if (k > 0 && r->cfg[idx[k - 1]].fig[PLAN_COST].mean == c->fig[PLAN_COST].mean)
            k--;
        best = c->fig[f].mean;
        idx[k++] = idx[i];
    }
    *out = idx;
    *n = k;
    return BASE_OK;
}
