/*
 * judge.c — what the CLI adds to a run's summary before showing it: the monthly cost of each
 * replication (the cost room prices the engine's metered usage) and the verdict on each of the
 * scenario's objectives. Shared by a plain run and by `simulate compare`.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost/cost.h"

/* The bill's components as summary figures, each the sum of its lines (cost.c names them). */
const cli_cost_part cli_cost_parts[] = {
    {"cost_eks", "EKS control plane", {"EKS", NULL}},
    {"cost_nodes", "EC2 nodes", {"EC2 nodes", NULL}},
    {"cost_alb", "load balancer", {"ALB", NULL}},
    {"cost_cloudfront", "CloudFront", {"CloudFront", NULL}},
    {"cost_s3", "S3", {"S3", NULL}},
    {"cost_nat", "NAT gateways", {"NAT gateway", NULL}},
    {"cost_database", "database", {"RDS", "Aurora"}},
    {"cost_cache", "ElastiCache", {"ElastiCache", NULL}},
    {"cost_transfer", "data transfer", {"Data transfer", NULL}},
    {"cost_other", "Secrets, DNS, alarms", {"Secrets", "Route 53", "CloudWatch"}},
    {"cost_dr", "DR region (standby)", {"DR region", NULL}},
};
const size_t cli_cost_nparts = sizeof cli_cost_parts / sizeof cli_cost_parts[0];

static double part_of(const cost_month *m, const cli_cost_part *p)
{
    int64_t micro = 0;
    for (size_t i = 0; i < m->n; i++)
        for (size_t k = 0; k < 3 && p->components[k]; k++)
            if (!strcmp(m->lines[i].component, p->components[k]))
                micro += m->lines[i].monthly;
    return (double)micro / 1e6;
}

/* Adds replication bill m into the mean bill: each line's quantity and cost / n. */
static void add_to_mean(cost_month *mean, const cost_month *m, int n)
{
    mean->month_hours = m->month_hours;
    mean->scale = m->scale;
    for (size_t i = 0; i < m->n; i++) {
        const cost_line *l = &m->lines[i];
        size_t j = 0;
        while (j < mean->n && (strcmp(mean->lines[j].component, l->component) != 0 ||
                               strcmp(mean->lines[j].item, l->item) != 0))
            j++;
        if (j == mean->n) {
            if (mean->n == COST_MAX_LINES)
                continue; /* the same lines in every replication: cannot happen past the max */
            mean->lines[mean->n++] = *l;
            mean->lines[j].quantity = 0;
            mean->lines[j].monthly = 0;
        }
        /* micro-USD / n rounded: the mean's cents are exact to a micro-dollar per line */
        mean->lines[j].quantity += l->quantity / n;
        mean->lines[j].monthly += (int64_t)llround((double)l->monthly / n);
    }
    mean->total = 0;
    for (size_t j = 0; j < mean->n; j++)
        mean->total += mean->lines[j].monthly;
}

int cli_add_costs(eng_summary *sum, const cli_month_part *parts, size_t nparts, cost_month *mean,
                  base_err *err)
{
    if (mean)
        memset(mean, 0, sizeof *mean);
    const mdl_scenario *s = sum->scenario;
    if (!s->cluster.catalog.region[0])
        return BASE_OK; /* no pricing file: nothing to price */
    int n = sum->replications;
    for (size_t j = 0; j < nparts; j++)
        if (parts[j].sum->replications != n)
            return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                                "a month part ran %d replications, not %d",
                                parts[j].sum->replications, n);
    double *month = malloc((size_t)n * sizeof *month);
    double *per_m = malloc((size_t)n * sizeof *per_m);
    double *parts_usd = malloc(cli_cost_nparts * (size_t)n * sizeof *parts_usd);
    cost_month *m = malloc(sizeof *m);
    int st = month && per_m && parts_usd && m
                 ? BASE_OK
                 : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (int i = 0; st == BASE_OK && i < n; i++) {
        /* replication i of the month: this scenario's replication i counted as the scenario
         * says, plus each part's replication i counted its number of times */
        double requests = 0;
        if (nparts == 0) {
            st = cost_price(s, &sum->reps[i].usage, m, err);
            requests = sum->reps[i].requests_total * m->scale;
        } else {
            /* a mix: the month lasts its windows together, and the always-on resources with it */
            memset(m, 0, sizeof *m);
            m->month_hours = s->month.repeat * sum->reps[i].usage.seconds / 3600.0;
            for (size_t j = 0; j < nparts; j++)
                m->month_hours += parts[j].repeat * parts[j].sum->reps[i].usage.seconds / 3600.0;
            m->scale = s->month.repeat;
            st = cost_price_part(s, &sum->reps[i].usage, s->month.repeat, true, m, err);
            requests = sum->reps[i].requests_total * s->month.repeat;
        }
        for (size_t j = 0; st == BASE_OK && j < nparts; j++) {
            const eng_rep *r = &parts[j].sum->reps[i];
            st = cost_price_part(parts[j].sum->scenario, &r->usage, parts[j].repeat, false, m, err);
            requests += r->requests_total * parts[j].repeat;
        }
        if (st != BASE_OK)
            break;
        if (mean)
            add_to_mean(mean, m, n);
        month[i] = (double)m->total / 1e6;
        per_m[i] = requests > 0 ? (double)m->total / requests : NAN; /* micro-USD per request
                                                                      * = USD per million */
        for (size_t k = 0; k < cli_cost_nparts; k++)
            parts_usd[k * (size_t)n + (size_t)i] = part_of(m, &cli_cost_parts[k]);
    }
    if (st == BASE_OK)
        st = eng_summary_add_figure(sum, "monthly_cost", "USD", month);
    if (st == BASE_OK)
        st = eng_summary_add_figure(sum, "cost_per_million", "USD", per_m);
    for (size_t k = 0; st == BASE_OK && k < cli_cost_nparts; k++)
        st = eng_summary_add_figure(sum, cli_cost_parts[k].key, "USD", parts_usd + k * (size_t)n);
    free(parts_usd);
    free(month);
    free(per_m);
    free(m);
    return st;
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
    case SLO_ERROR_RATE: f = eng_summary_figure(sum, "error_rate"); break;
    case SLO_THROUGHPUT: f = eng_summary_figure(sum, "throughput"); break;
    case SLO_MONTHLY_COST: f = eng_summary_figure(sum, "monthly_cost"); break;
    case SLO_COST_PER_MILLION: f = eng_summary_figure(sum, "cost_per_million"); break;
    case SLO_RTO: f = eng_summary_figure(sum, "rto"); break;
    case SLO_RPO: f = eng_summary_figure(sum, "rpo"); break;
    case SLO_RTO_LATENCY: f = eng_summary_figure(sum, "rto_latency"); break;
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

int cli_judge(const eng_summary *sum, cli_verdict *out, size_t *n, base_err *err)
{
    const mdl_scenario *s = sum->scenario;
    *n = 0;
    double *x = malloc((size_t)sum->replications * sizeof *x);
    if (!x)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nobjectives; i++) {
        cli_verdict *v = &out[(*n)++];
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
        v->ci = stat_mean_ci(x, sum->replications, 0.95);
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
