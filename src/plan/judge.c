/*
 * judge.c — what a configuration's replications say: its figures and the minimised one with
 * their intervals, each objective met, missed or undecided at the stated confidence, clearly
 * infeasible at screening, and paired differences between two configurations.
 */
#include "plan/internal.h"

#include <math.h>
#include <string.h>

/* The minimised figure of replication i of c: the weighted sum of scn_plan.minimise_weight
 * (io.h), RTO from the first failure's run; PLAN_UNKNOWN when a weighed figure is unknown. */
double plan__minimised(const plan__search *S, const plan_config *c, int i)
{
    double v = 0;
    for (int f = 0; f < PLAN_NFIG; f++) {
        double w = S->p->minimise_weight[f];
        if (w == 0)
            continue;
        double x = plan__slot(S, c, f == PLAN_RTO && S->nruns > 1 ? 1 : 0, i)[f];
        if (x == PLAN_UNKNOWN)
            return PLAN_UNKNOWN;
        v += w * x;
    }
    return v;
}

/* 1 when the minimised figure weighs more than the cost: then more capacity may pay for
 * itself, and the search looks up a slice past its cheapest feasible position. */
int plan__trade_off(const plan__search *S)
{
    for (int f = 1; f < PLAN_NFIG; f++)
        if (S->p->minimise_weight[f] != 0)
            return 1;
    return 0;
}

/* Judges configuration c on its replications so far (plan.h, plan_verdict). */
void plan__judge(const plan__search *S, plan_config *c)
{
    double x[ENG_MAX_REPLICATIONS];
    int n = c->reps;
    for (int f = 0; f < PLAN_NFIG; f++) {
        int run = f == PLAN_RTO && S->nruns > 1 ? 1 : 0;
        int known = n > 0;
        for (int i = 0; i < n; i++) {
            x[i] = plan__slot(S, c, run, i)[f];
            known = known && x[i] != PLAN_UNKNOWN;
        }
        c->fig[f] = known ? stat_mean_ci(x, n, 0.95) : (stat_ci){NAN, NAN, NAN, 0};
    }
    int oknown = n > 0;
    for (int i = 0; i < n; i++) {
        x[i] = plan__minimised(S, c, i);
        oknown = oknown && x[i] != PLAN_UNKNOWN && isfinite(x[i]);
    }
    c->obj = oknown ? stat_mean_ci(x, n, 0.95) : (stat_ci){NAN, NAN, NAN, 0};
    c->nv = 0;
    int all_met = 1, missed = 0;
    for (int run = 0; run < S->nruns; run++) {
        /* the run's objectives: the scenario's, or what the failure's keys made them */
        for (size_t j = 0; j < MDL_MAX_OBJECTIVES; j++) {
            const char *text = S->tmp[run].objectives[j];
            if (j >= S->tmp[run].nobjectives)
                break;
            plan_verdict *v = &c->v[c->nv++];
            memset(v, 0, sizeof *v);
            base_err e;
            slo_parse(text, &v->o, &e);
            v->survive = run - 1;
            int known = n > 0, inf = 0;
            for (int i = 0; i < n; i++) {
                x[i] = plan__slot(S, c, run, i)[PLAN_NFIG + j];
                known = known && x[i] != PLAN_UNKNOWN;
                inf = inf || isinf(x[i]);
            }
            v->known = known;
            if (!known)
                continue;
            v->ci = stat_mean_ci(x, n, 0.95);
            v->margin = v->ci.mean - v->o.value;
            int lt = v->o.op == SLO_LT || v->o.op == SLO_LE;
            if (inf) {
                v->verdict = lt ? -1 : 1;
            } else {
                /* one-sided at alpha: the (1 − 2α) two-sided half-width is t(1 − α)·s/√n */
                stat_ci one = stat_mean_ci(x, n, 1 - 2 * S->alpha);
                double h = isfinite(one.half) ? one.half : INFINITY;
                double hi = v->ci.mean + h, lo = v->ci.mean - h;
                if (lt)
                    v->verdict = slo_met(&v->o, hi) && h < INFINITY ? 1
                                 : !slo_met(&v->o, lo)              ? -1
                                                                    : 0;
                else
                    v->verdict = slo_met(&v->o, lo) && h < INFINITY ? 1
                                 : !slo_met(&v->o, hi)              ? -1
                                                                    : 0;
            }
            all_met = all_met && v->verdict == 1;
            missed = missed || v->verdict == -1;
        }
    }
    if (c->status == PLAN_FEASIBLE || c->status == PLAN_INFEASIBLE || c->status == PLAN_UNDECIDED)
        c->status = missed ? PLAN_INFEASIBLE : all_met ? PLAN_FEASIBLE : PLAN_UNDECIDED;
}

/* Screening's test for the bisection: clearly infeasible when some objective's two-sided 95%
 * interval lies wholly on the wrong side of its threshold (or it never recovered). */
int plan__clearly_infeasible(const plan_config *c)
{
    for (size_t j = 0; j < c->nv; j++) {
        const plan_verdict *v = &c->v[j];
        if (!v->known)
            continue;
        double h = isfinite(v->ci.half) ? v->ci.half : 0;
        int lt = v->o.op == SLO_LT || v->o.op == SLO_LE;
        if (isinf(v->ci.mean) ||
            (lt ? !slo_met(&v->o, v->ci.mean - h) : !slo_met(&v->o, v->ci.mean + h)))
            return 1;
    }
    return 0;
}

/* The paired difference a − b of figure f (-1: the minimised one) over their common
 * replications. */
stat_ci plan__paired(const plan__search *S, const plan_config *a, const plan_config *b, int f)
{
    double d[ENG_MAX_REPLICATIONS];
    if (a->eng != b->eng) {
        /* one decided on the request engine, one not: compare their screening on the
         * scenario's engine, which both have */
        plan_config a0 = *a, b0 = *b;
        if (a0.eng)
            a0.reps = a0.reps0;
        if (b0.eng)
            b0.reps = b0.reps0;
        a0.eng = b0.eng = 0;
        return plan__paired(S, &a0, &b0, f);
    }
    int n = a->reps < b->reps ? a->reps : b->reps;
    for (int i = 0; i < n; i++)
        d[i] = f < 0 ? plan__minimised(S, a, i) - plan__minimised(S, b, i)
                     : plan__slot(S, a, 0, i)[f] - plan__slot(S, b, 0, i)[f];
    return stat_mean_ci(d, n, 0.95);
}
