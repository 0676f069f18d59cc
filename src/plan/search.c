/*
 * search.c — the planner's search (plan.h says the method and its sources), in order: the
 * slices bisected (bisect.c) on configurations bound, run and judged (configs.c, judge.c), the
 * finalists decided (select.c), the winner confirmed (confirm.c), its neighbours screened
 * (sensitivity.c) and the Pareto frontiers drawn (pareto.c).
 *
 * The space is the product of the knobs' values; a configuration's index is their mixed-radix
 * number (the first knob most significant). One knob may be bisected: the monotone knob with
 * the most values. A slice is the set of configurations that differ only in it; positions in a
 * slice run from the least capacity to the most (a knob whose larger value is less capacity,
 * monotone -1, is walked backwards), so cost and capacity both grow with the position.
 */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"pruned",    "screened", "infeasible",
                                           "undecided", "feasible", "dominated"};

const char *plan_status_name(plan_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

const char *plan_value(const scn_plan *p, const plan_config *c, size_t k)
{
    return p->knobs[k].label[c->choice[k]];
}

int plan_search(scn_plan *p, const plan_opts *o, plan_result *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    out->winner = -1;
    out->bisected = -1;
    plan__search S = {.p = p, .o = o, .r = out, .nruns = 1 + (int)p->nsurvive};
    S.n0 = p->screen_replications;
    S.maxrep = p->max_replications;
    S.tmp = base_malloc((size_t)(S.nruns + 1) * sizeof *S.tmp);
    if (!S.tmp)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    size_t choice0[SCN_PLAN_MAX_KNOBS] = {0};
    int st = BASE_OK;
    /* the objectives of each run (the knobs cannot change them: tmp[run] keeps them) */
    for (int run = 0; st == BASE_OK && run < S.nruns; run++)
        st = plan__bind(&S, choice0, run, &S.tmp[run], err);
    if (st != BASE_OK) {
        free(S.tmp);
        return st;
    }
    out->seed = S.tmp[0].seed;
    snprintf(out->name, sizeof out->name, "%s", S.tmp[0].name);
    snprintf(out->fidelity, sizeof out->fidelity, "%s", eng_engine_name(&S.tmp[0]));
    /* the finalists on the request engine where `auto` would choose it (decide), unless
     * --fidelity forced an engine or the scenario already runs request by request */
    S.raise = !o->fidelity && strcmp(out->fidelity, "request") != 0;
    snprintf(out->finalist_engine, sizeof out->finalist_engine, "%s", out->fidelity);
    /* Bonferroni: every objective at every stage (Law 2015, §9.7 on joint intervals) */
    size_t nobj = 0;
    for (int run = 0; run < S.nruns; run++)
        nobj += S.tmp[run].nobjectives;
    int looks = 1;
    for (int reps = S.n0; reps < S.maxrep; reps *= 2)
        looks++;
    S.alpha = (1 - PLAN_CONFIDENCE) / (double)((nobj ? nobj : 1) * (size_t)looks);
    out->alpha_test = S.alpha;

    out->space = 1;
    S.bis = -1;
    for (size_t k = 0; k < p->nknobs; k++) {
        out->space *= p->knobs[k].n;
        if (p->knobs[k].monotone && p->knobs[k].n >= 3 &&
            (S.bis < 0 || p->knobs[k].n > p->knobs[S.bis].n))
            S.bis = (int)k;
    }
    out->bisected = S.bis;
    size_t per = S.bis >= 0 ? p->knobs[S.bis].n : 1;
    size_t nsl = (size_t)(out->space / per);
    plan__slice *sl = base_calloc(nsl, sizeof *sl);
    if (!sl) {
        free(S.tmp);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* the slices in mixed-radix order of the other knobs */
    for (size_t i = 0; i < nsl; i++) {
        size_t rest = i;
        for (size_t k = p->nknobs; k-- > 0;) {
            if ((int)k == S.bis)
                continue;
            sl[i].choice[k] = rest % p->knobs[k].n;
            rest /= p->knobs[k].n;
        }
        sl[i].n = per;
    }
    st = plan__bisect(&S, sl, nsl, err);
    if (st == BASE_OK)
        st = plan__select(&S, sl, nsl, err);
    out->simulated = out->ncfg;
    if (st == BASE_OK && out->winner >= 0)
        st = plan__confirm(&S, err);
    if (st == BASE_OK && out->winner >= 0)
        st = plan__sensitivity(&S, err);
    out->simulated = out->ncfg;
    out->skipped = out->space - out->pruned;
    out->skipped = out->skipped > out->simulated ? out->skipped - out->simulated : 0;
    if (st == BASE_OK &&
        plan__frontier(out, PLAN_P99, &out->pareto_p99, &out->npareto_p99) != BASE_OK)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == BASE_OK && S.nruns > 1 &&
        plan__frontier(out, PLAN_RTO, &out->pareto_rto, &out->npareto_rto) != BASE_OK)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    free(sl);
    free(S.tmp);
    if (st != BASE_OK)
        plan_result_clear(out);
    return st;
}

void plan_result_clear(plan_result *r)
{
    for (size_t i = 0; i < r->ncfg; i++)
        free(r->cfg[i].x);
    free(r->cfg);
    free(r->confirm.x);
    free(r->pareto_p99);
    free(r->pareto_rto);
    memset(r, 0, sizeof *r);
    r->winner = -1;
}
