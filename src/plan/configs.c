/*
 * configs.c — the configurations of a search: bound to a scenario (the knobs' values merged
 * over it), added once each, and run: their replications, with common random numbers, on the
 * threads of eval.c, then judged (judge.c).
 */
#include "plan/internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t index_of(const scn_plan *p, const size_t *choice)
{
    uint64_t idx = 0;
    for (size_t k = 0; k < p->nknobs; k++)
        idx = idx * p->knobs[k].n + choice[k];
    return idx;
}

int plan__bind(plan__search *S, const size_t *choice, int run, mdl_scenario *s, base_err *err)
{
    int st = scn_plan_bind(S->p, choice, run - 1, s, err);
    if (st != BASE_OK)
        return st;
    if (S->o->has_seed)
        s->seed = S->o->seed;
    if (S->o->fidelity) {
        if (!strcmp(S->o->fidelity, "request"))
            s->fidelity = MDL_FIDELITY_REQUEST;
        else if (!strcmp(S->o->fidelity, "flow"))
            s->fidelity = MDL_FIDELITY_FLOW;
        else
            s->fidelity = MDL_FIDELITY_AUTO;
    }
    if (s->month.nmix > 0)
        return base_err_set(err, BASE_EINPUT, S->p->path, 0, 0,
                            "simulate plan does not run month mixes (month.mix): plan on the "
                            "scenario's own window");
    return BASE_OK;
}

/* The configuration with this choice, added (not yet simulated) when new; -1 out of memory. */
int plan__find_or_add(plan__search *S, const size_t *choice)
{
    uint64_t idx = index_of(S->p, choice);
    plan_result *r = S->r;
    for (size_t i = 0; i < r->ncfg; i++)
        if (r->cfg[i].index == idx)
            return (int)i;
    plan_config *grown = base_grow(r->cfg, &S->cap, r->ncfg + 1, sizeof *grown, 64);
    if (!grown)
        return -1;
    r->cfg = grown;
    plan_config *c = &r->cfg[r->ncfg];
    memset(c, 0, sizeof *c);
    memcpy(c->choice, choice, sizeof c->choice);
    c->index = idx;
    c->status = PLAN_SCREENED;
    c->x = base_calloc(2 * (size_t)S->nruns * (size_t)S->maxrep * PLAN_NM, sizeof *c->x);
    if (!c->x)
        return -1;
    return (int)r->ncfg++;
}

/* Replication rep of run `run` on engine e (0 the scenario's, 1 request). */
static double *slot_e(const plan__search *S, const plan_config *c, int e, int run, int rep)
{
    return c->x + (((size_t)e * (size_t)S->nruns + (size_t)run) * (size_t)S->maxrep + (size_t)rep) *
                      PLAN_NM;
}

/* The same on the configuration's own engine. */
double *plan__slot(const plan__search *S, const plan_config *c, int run, int rep)
{
    return slot_e(S, c, c->eng, run, rep);
}

/* Brings each of configurations cs[0..n) to at least `reps` replications (with the seed moved
 * by seed_step), then judges them. */
int plan__simulate_cfgs(plan__search *S, plan_config **cs, size_t n, int reps, uint64_t seed_step,
                        base_err *err)
{
    size_t nscn = 0, ntask = 0;
    for (size_t i = 0; i < n; i++)
        if (cs[i]->reps < reps) {
            nscn += (size_t)S->nruns;
            ntask += (size_t)S->nruns * (size_t)(reps - cs[i]->reps);
        }
    if (ntask == 0)
        return BASE_OK;
    mdl_scenario *scn = base_malloc(nscn * sizeof *scn);
    plan_task *t = base_malloc(ntask * sizeof *t);
    int st = scn && t ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    size_t a = 0, b = 0;
    for (size_t i = 0; st == BASE_OK && i < n; i++) {
        plan_config *c = cs[i];
        if (c->reps >= reps)
            continue;
        for (int run = 0; st == BASE_OK && run < S->nruns; run++) {
            mdl_scenario *s = &scn[a++];
            st = plan__bind(S, c->choice, run, s, err);
            if (c->eng == 1)
                s->fidelity = MDL_FIDELITY_REQUEST;
            s->seed += seed_step;
            for (int k = c->reps; st == BASE_OK && k < reps; k++)
                t[b++] = (plan_task){s, (uint32_t)k, plan__slot(S, c, run, k)};
        }
    }
    if (st == BASE_OK)
        st = plan__run_tasks(t, ntask, S->o->jobs, err);
    if (st == BASE_OK) {
        S->r->replications += ntask;
        for (size_t i = 0; i < n; i++) {
            if (cs[i]->reps < reps)
                cs[i]->reps = reps;
            plan__judge(S, cs[i]);
        }
    }
    free(scn);
    free(t);
    return st;
}

/* The same for configurations cfg[idx[0..n)]. */
int plan__simulate(plan__search *S, const int *idx, size_t n, int reps, base_err *err)
{
    plan_config **cs = base_malloc((n ? n : 1) * sizeof *cs);
    if (!cs)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        cs[i] = &S->r->cfg[idx[i]];
    int st = plan__simulate_cfgs(S, cs, n, reps, 0, err);
    free(cs);
    return st;
}
