/*
 * select.c — the finalists decided, cheapest first: sequential feasibility in doubling stages
 * (plan.h, step 4), on the request engine where `auto` would pick it; a finalist that fails
 * hands over to the next position up in its slice, and one surely dearer than a feasible
 * configuration is dominated and not decided.
 */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_min(const plan__search *S, const plan_config *a, const plan_config *b)
{
    (void)S;
    double x = a->obj.mean, y = b->obj.mean;
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (x != y)
        return x < y ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Sequential feasibility of configuration i: doubling stages to maxrep (plan.h, step 4). */
static int decide(plan__search *S, int i, base_err *err)
{
    plan_config *c = &S->r->cfg[i];
    if (S->raise && c->eng == 0) {
        /* the request engine where `auto` would choose it for this configuration (issue 16:
         * "request fidelity where auto would choose it ... on the finalists"): the finalist
         * starts again there, its screening on the scenario's engine kept for comparisons */
        int st = plan__bind(S, c->choice, 0, &S->tmp[S->nruns], err);
        if (st != BASE_OK)
            return st;
        S->tmp[S->nruns].fidelity = MDL_FIDELITY_AUTO;
        if (!strcmp(eng_engine_name(&S->tmp[S->nruns]), "request")) {
            c->reps0 = c->reps;
            c->reps = 0;
            c->eng = 1;
            snprintf(S->r->finalist_engine, sizeof S->r->finalist_engine, "request");
            if ((st = plan__simulate(S, &i, 1, S->n0, err)) != BASE_OK)
                return st;
            c = &S->r->cfg[i];
        }
    }
    c->status = PLAN_UNDECIDED;
    plan__judge(S, c);
    int reps = c->reps;
    while (c->status == PLAN_UNDECIDED && reps < S->maxrep) {
        reps = reps * 2 > S->maxrep ? S->maxrep : reps * 2;
        int st = plan__simulate(S, &i, 1, reps, err);
        c = &S->r->cfg[i];
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

int plan__select(plan__search *S, plan__slice *sl, size_t nsl, base_err *err)
{
    plan_result *r = S->r;
    int f = -1; /* the minimised figure */
    r->winner = -1;
    /* the finalists: each slice's candidate; a slice whose candidate fails offers its next */
    size_t *pos = base_calloc(nsl ? nsl : 1, sizeof *pos);
    int *open = base_calloc(nsl ? nsl : 1, sizeof *open);
    if (!pos || !open) {
        free(pos);
        free(open);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < nsl; i++) {
        open[i] = sl[i].cand;
        pos[i] = sl[i].lo;
    }
    int st = BASE_OK;
    for (;;) {
        /* the cheapest open finalist */
        int best = -1;
        size_t bs = 0;
        for (size_t i = 0; i < nsl; i++)
            if (open[i] >= 0 && (best < 0 || by_min(S, &r->cfg[open[i]], &r->cfg[best]) < 0)) {
                best = open[i];
                bs = i;
            }
        if (best < 0)
            break;
        open[bs] = -1;
        plan_config *c = &r->cfg[best];
        if (r->winner >= 0) {
            stat_ci d = plan__paired(S, c, &r->cfg[r->winner], f);
            double h = isfinite(d.half) ? d.half : 0;
            if (d.mean - h > 0) {
                c->status = PLAN_DOMINATED; /* surely dearer than a feasible one */
                continue;
            }
        }
        if ((st = decide(S, best, err)) != BASE_OK)
            break;
        c = &r->cfg[best];
        int up = 0; /* offer the slice's next position up */
        if (c->status == PLAN_FEASIBLE) {
            if (r->winner < 0 || by_min(S, c, &r->cfg[r->winner]) < 0)
                r->winner = best;
            /* a trade-off may be cheaper a step up (more capacity, less latency): offered
             * when its screening says so, and walked while it keeps saying so (the minimised
             * figure taken as unimodal along a slice: cost grows, latency falls) */
            up = plan__trade_off(S);
        } else {
            up = 1;
        }
        if (up && S->bis >= 0 && pos[bs] + 1 < sl[bs].n) {
            /* its slice's next position up: more capacity, more cost */
            pos[bs]++;
            int nx = plan__config_at(S, &sl[bs], pos[bs]);
            if (nx < 0 || (st = plan__simulate(S, &nx, 1, S->n0, err)) != BASE_OK) {
                if (nx < 0)
                    st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            if (r->cfg[nx].status == PLAN_SCREENED &&
                (r->cfg[best].status != PLAN_FEASIBLE ||
                 (!plan__clearly_infeasible(&r->cfg[nx]) &&
                  r->cfg[nx].obj.mean < r->cfg[best].obj.mean)))
                open[bs] = nx;
        }
    }
    free(pos);
    free(open);
    if (st != BASE_OK || r->winner < 0)
        return st;
    /* feasible ones within the winner's interval, paired: indistinguishable from it */
    r->indistinguishable = 0;
    for (size_t i = 0; i < r->ncfg; i++) {
        if ((int)i == r->winner || r->cfg[i].status != PLAN_FEASIBLE)
            continue;
        stat_ci d = plan__paired(S, &r->cfg[i], &r->cfg[r->winner], f);
        double h = isfinite(d.half) ? d.half : 0;
        if (d.mean - h <= 0)
            r->indistinguishable++;
    }
    return BASE_OK;
}
