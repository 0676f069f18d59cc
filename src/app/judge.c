/*
 * judge.c — the verdict on each of a scenario's objectives (k6-style thresholds, metrics.h)
 * from a run's summary, judged on the mean across replications with its interval.
 */
#include "app/app.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const eng_figure *app_figure(const eng_summary *sum, fig_id id)
{
    return eng_summary_figure(sum, fig_key(id));
}

size_t app_failed(const app_verdict *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].known && !v[i].met;
    return k;
}

/* The objective's measure in each replication, in the objective's unit; 0 when unavailable:
 * also a latency objective of a replication that answered no request, and an error rate or a
 * throughput of one that had none (docs/ci.md: what a run cannot measure is SKIP, never met).
 * *beyond: a percentile lies beyond the histogram's range in some replication (x holds its
 * lower bound there). */
static int measure(const eng_summary *sum, const slo *o, double *x, int *beyond)
{
    int n = sum->replications;
    const eng_figure *f = NULL;
    *beyond = 0;
    switch (o->metric) {
    case SLO_P:
    case SLO_P_ALL:
        for (int i = 0; i < n; i++) {
            const hist *h = o->metric == SLO_P ? sum->reps[i].api_latency : sum->reps[i].latency;
            if (hist_count(h) <= 0)
                return 0;
            int over = hist_beyond(h, o->percentile);
            x[i] = (double)(over ? hist_highest(h) : hist_percentile(h, o->percentile)) / 1e6;
            *beyond |= over;
        }
        return 1;
    case SLO_ERROR_RATE: f = app_figure(sum, FIG_ERROR_RATE); break;
    case SLO_THROUGHPUT: f = app_figure(sum, FIG_THROUGHPUT); break;
    case SLO_MONTHLY_COST: f = app_figure(sum, FIG_MONTHLY_COST); break;
    case SLO_COST_PER_MILLION: f = app_figure(sum, FIG_COST_PER_MILLION); break;
    case SLO_RTO: f = app_figure(sum, FIG_RTO); break;
    case SLO_RPO: f = app_figure(sum, FIG_RPO); break;
    case SLO_RTO_LATENCY: f = app_figure(sum, FIG_RTO_LATENCY); break;
    default: return 0;
    }
    if (!f)
        return 0;
    for (int i = 0; i < n && (o->metric == SLO_ERROR_RATE || o->metric == SLO_THROUGHPUT); i++) {
        double arrivals = 0;
        for (int c = 0; c < MDL_NCLASS; c++)
            arrivals += sum->reps[i].arrivals[c];
        if (arrivals <= 0)
            return 0;
    }
    for (int i = 0; i < n; i++)
        x[i] = f->values[i];
    return 1;
}

int app_judge(const eng_summary *sum, app_verdict *out, size_t *n, base_err *err)
{
    const mdl_scenario *s = sum->scenario;
    *n = 0;
    double *x = base_malloc((size_t)sum->replications * sizeof *x);
    if (!x)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nobjectives; i++) {
        app_verdict *v = &out[(*n)++];
        memset(v, 0, sizeof *v);
        base_err e;
        if (slo_parse(s->objectives[i], &v->o, &e) != BASE_OK) {
            free(x);
            return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "%s", e.msg);
        }
        if (!measure(sum, &v->o, x, &v->beyond)) {
            v->known = 0;
            continue;
        }
        v->known = 1;
        v->ci = stat_mean_ci(x, sum->replications, STAT_CONFIDENCE);
        v->met = slo_met(&v->o, v->ci.mean);
        /* uncertain when the interval straddles the threshold */
        v->uncertain = isfinite(v->ci.half) && fabs(v->ci.mean - v->o.value) < v->ci.half;
        /* on a lower bound: `<` that the bound fails is failed for sure; one it meets, and a
         * `>` it meets, could go either way for `<` (the true value is somewhere above) */
        if (v->beyond)
            v->uncertain = v->met && (v->o.op == SLO_LT || v->o.op == SLO_LE);
    }
    free(x);
    return BASE_OK;
}
