/*
 * confirm.c — the winner re-run with fresh random numbers (plan.h, step 5).
 */
#include "plan/internal.h"

#include <stdlib.h>
#include <string.h>

/* The confirmation's seed: the plan's plus the 64-bit golden ratio (SplitMix64's increment,
 * Steele, Lea and Flood, OOPSLA 2014): unrelated streams, the same for every run of the plan. */
#define PLAN_CONFIRM_SEED_STEP 0x9E3779B97F4A7C15ull

int plan__confirm(plan__search *S, base_err *err)
{
    plan_result *r = S->r;
    plan_config *w = &r->cfg[r->winner];
    plan_config *c = &r->confirm;
    memset(c, 0, sizeof *c);
    memcpy(c->choice, w->choice, sizeof c->choice);
    c->index = w->index;
    c->eng = w->eng; /* confirmed on the engine it was decided on */
    c->status = PLAN_UNDECIDED;
    c->x = base_calloc(2 * (size_t)S->nruns * (size_t)S->maxrep * PLAN_NM, sizeof *c->x);
    if (!c->x)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = plan__simulate_cfgs(S, &c, 1, w->reps, PLAN_CONFIRM_SEED_STEP, err);
    r->confirm_seed = S->tmp[0].seed + PLAN_CONFIRM_SEED_STEP;
    if (st != BASE_OK)
        return st;
    r->confirmed = 1;
    for (size_t j = 0; j < c->nv; j++)
        if (c->v[j].known && !slo_met(&c->v[j].o, c->v[j].ci.mean))
            r->confirmed = 0;
    return BASE_OK;
}
