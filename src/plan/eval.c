/*
 * eval.c — the planner's replications: a batch of (scenario, replication) tasks run on up to
 * `jobs` threads, each replication reduced at once to the few numbers the search judges by (its
 * monthly cost, API p99, error rate, RTO and each objective's measure) and its histograms and
 * series freed, so that hundreds of configurations take no more memory than one run.
 *
 * Each task writes only its own slot and the error kept is the lowest-numbered task's: the
 * results are the same whatever the number of threads.
 */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost/cost.h"
#include "task/task.h"

const char *const plan_fig_keys[PLAN_NFIG] = {"monthly_cost", "api_latency_p99", "error_rate",
                                              "rto"};

static double total(const double *x, int n)
{
    double t = 0;
    for (int i = 0; i < n; i++)
        t += x[i];
    return t;
}

/* A latency percentile in ms, as the report gives it (summary.c): beyond the histogram's range,
 * its lower bound. Unknown without a request. */
static double percentile_ms(const hist *h, double q)
{
    if (!h || hist_count(h) <= 0)
        return PLAN_UNKNOWN;
    return (double)(hist_beyond(h, q) ? hist_highest(h) : hist_percentile(h, q)) / 1e6;
}

/* A recovery figure: unknown without a failure; a failure not recovered within the run is an
 * infinite RTO (it fails any `<` objective, as it should). */
static double recovery(const mdl_scenario *s, double v)
{
    if (!mdl_first_failure(s))
        return PLAN_UNKNOWN;
    return isnan(v) ? INFINITY : v;
}

/* The measure of objective o in one replication, in the objective's unit (judge.c's measure,
 * one replication at a time). */
static double measure(const mdl_scenario *s, const eng_rep *r, const slo *o, double cost,
                      double per_million)
{
    double arrivals = total(r->arrivals, MDL_NCLASS);
    switch (o->metric) {
    case SLO_P: return percentile_ms(r->api_latency, o->percentile);
    case SLO_P_ALL: return percentile_ms(r->latency, o->percentile);
    case SLO_ERROR_RATE:
        return arrivals > 0 ? 100.0 * total(r->errors, MDL_NCAUSE) / arrivals : PLAN_UNKNOWN;
    case SLO_THROUGHPUT:
        return arrivals > 0 && r->window > 0 ? r->served_in_window / r->window : PLAN_UNKNOWN;
    case SLO_MONTHLY_COST: return cost;
    case SLO_COST_PER_MILLION: return per_million;
    case SLO_RTO: return recovery(s, r->rto_s);
    case SLO_RPO: return recovery(s, r->rpo_s);
    case SLO_RTO_LATENCY: return recovery(s, r->rto_latency_s);
    default: return PLAN_UNKNOWN;
    }
}

static int reduce(const mdl_scenario *s, const eng_rep *r, double *out, base_err *err)
{
    double cost = PLAN_UNKNOWN, per_million = PLAN_UNKNOWN;
    if (s->cluster.catalog.region[0]) {
        cost_month *m = base_malloc(sizeof *m);
        if (!m)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        int st = cost_price(s, &r->usage, m, err);
        if (st == BASE_OK) {
            cost = (double)m->total / 1e6;
            double pm = cost_per_million(m, r->requests_total, m->scale);
            per_million = isfinite(pm) ? pm : PLAN_UNKNOWN;
        }
        free(m);
        if (st != BASE_OK)
            return st;
    }
    out[PLAN_COST] = cost;
    out[PLAN_P99] = percentile_ms(r->api_latency, 99);
    double arrivals = total(r->arrivals, MDL_NCLASS);
    out[PLAN_ERRORS] = arrivals > 0 ? 100.0 * total(r->errors, MDL_NCAUSE) / arrivals : 0;
    out[PLAN_RTO] = recovery(s, r->rto_s);
    for (size_t i = 0; i < s->nobjectives && i < MDL_MAX_OBJECTIVES; i++) {
        slo o;
        base_err e;
        if (slo_parse(s->objectives[i], &o, &e) != BASE_OK)
            return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "%s", e.msg);
        out[PLAN_NFIG + i] = measure(s, r, &o, cost, per_million);
    }
    return BASE_OK;
}

/* The batch as a task list (src/task/): each task's numbers are its slot, PLAN_NM doubles; under
 * MPI every rank gets them all (the search goes on in lockstep on every rank). */
static int run_task(void *ctx, size_t i, base_err *err)
{
    const plan_task *t = &((const plan_task *)ctx)[i];
    eng_rep r;
    memset(&r, 0, sizeof r);
    int st = eng_run_replication(t->s, t->replication, &r, err);
    if (st == BASE_OK)
        st = reduce(t->s, &r, t->out, err);
    eng_rep_clear(&r);
    return st;
}

static int pack_task(void *ctx, size_t i, base_buf *out, base_err *err)
{
    base_buf_add(out, (const char *)((const plan_task *)ctx)[i].out, PLAN_NM * sizeof(double));
    return out->oom ? base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory") : BASE_OK;
}

static int unpack_task(void *ctx, size_t i, const char *p, size_t n, base_err *err)
{
    if (n != PLAN_NM * sizeof(double))
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "a task's numbers are %zu bytes", n);
    memcpy(((const plan_task *)ctx)[i].out, p, n);
    return BASE_OK;
}

int plan__run_tasks(const plan_task *t, size_t n, int jobs, base_err *err)
{
    if (n == 0)
        return BASE_OK;
    double *cost = base_malloc(n * sizeof *cost);
    if (!cost)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) /* the candidates of a batch differ: the largest first */
        cost[i] = i > 0 && t[i].s == t[i - 1].s ? cost[i - 1] : eng_rep_cost(t[i].s);
    task_list l = {.n = n,
                   .cost = cost,
                   .run = run_task,
                   .pack = pack_task,
                   .unpack = unpack_task,
                   .ctx = (void *)t,
                   .everywhere = true};
    int st = task_run(&l, jobs, err);
    free(cost);
    return st;
}
