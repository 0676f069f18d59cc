/*
 * costs.c — what a run's summary gains from the cost room: the monthly cost of each
 * replication (cost_price over the engine's metered usage, and a month mix's parts with it),
 * its cost per million requests, and each cost part (cost_part) as a figure of its own.
 */
#include "app/app.h"
#include "app/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adds replication bill m into the mean bill: each line's quantity and cost / n. */
static void add_to_mean(cost_month *mean, const cost_month *m, int n)
{
    mean->month_hours = m->month_hours;
    mean->scale = m->scale;
    for (size_t i = 0; i < m->n; i++) {
        const cost_line *l = &m->lines[i];
        size_t j = 0;
        while (j < mean->n &&
               (mean->lines[j].comp != l->comp || strcmp(mean->lines[j].item, l->item) != 0))
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

int app_add_costs(eng_summary *sum, const app_month_part *parts, size_t nparts, cost_month *mean,
                  base_err *err)
{
    if (mean)
        memset(mean, 0, sizeof *mean);
    const mdl_scenario *s = sum->scenario;
    if (s->regions.enabled) { /* its per-region figures, priced or not (regions.c) */
        int st = app__regions_figures(sum, err);
        if (st != BASE_OK)
            return st;
    }
    if (!s->cluster.catalog.region[0])
        return BASE_OK; /* no pricing file: nothing to price */
    int n = sum->replications;
    for (size_t j = 0; j < nparts; j++)
        if (parts[j].sum->replications != n)
            return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                                "a month part ran %d replications, not %d",
                                parts[j].sum->replications, n);
    double *month = base_malloc((size_t)n * sizeof *month);
    double *per_m = base_malloc((size_t)n * sizeof *per_m);
    double *parts_usd = base_malloc(COST_NPARTS * (size_t)n * sizeof *parts_usd);
    /* a two-region month mix: eu-west-1's month of the windows and its and the transfer's
     * share of each replication's bill (regions.c) */
    bool geo_mix = nparts > 0 && app__regions_two(s);
    double *geo_usd = geo_mix ? base_malloc(2 * (size_t)n * sizeof *geo_usd) : NULL;
    cost_month *m = base_malloc(sizeof *m), *m_eu = geo_mix ? base_malloc(sizeof *m_eu) : NULL;
    int st = month && per_m && parts_usd && m && (!geo_mix || (geo_usd && m_eu))
                 ? BASE_OK
                 : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (int i = 0; st == BASE_OK && i < n; i++) {
        /* replication i of the month: this scenario's replication i counted as the scenario
         * says, plus each part's replication i counted its number of times */
        double requests = 0;
        if (nparts == 0) {
            st = s->regions.enabled ? app__regions_price(s, &sum->reps[i], m, NULL, NULL, err)
                                    : cost_price(s, &sum->reps[i].usage, m, err);
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
        double gb = 0;
        if (geo_mix) {
            memset(m_eu, 0, sizeof *m_eu);
            m_eu->month_hours = m->month_hours;
            m_eu->scale = m->scale;
            if (st == BASE_OK)
                st = app__regions_price_part(s, &sum->reps[i], s->month.repeat, true, m_eu, &gb,
                                             err);
        }
        for (size_t j = 0; st == BASE_OK && j < nparts; j++) {
            const eng_rep *r = &parts[j].sum->reps[i];
            st = cost_price_part(parts[j].sum->scenario, &r->usage, parts[j].repeat, false, m, err);
            requests += r->requests_total * parts[j].repeat;
            if (st == BASE_OK && geo_mix)
                st = app__regions_price_part(parts[j].sum->scenario, r, parts[j].repeat, false,
                                             m_eu, &gb, err);
        }
        if (st == BASE_OK && geo_mix)
            st = app__regions_finish(s, m_eu, gb, m, &geo_usd[i], &geo_usd[n + i], err);
        if (st != BASE_OK)
            break;
        if (mean)
            add_to_mean(mean, m, n);
        month[i] = (double)m->total / 1e6;
        per_m[i] = requests > 0 ? (double)m->total / requests : NAN; /* micro-USD per request
                                                                      * = USD per million */
        for (size_t k = 0; k < COST_NPARTS; k++)
            parts_usd[k * (size_t)n + (size_t)i] = (double)cost_part_total(m, (cost_part)k) / 1e6;
    }
    if (st == BASE_OK)
        st = eng_summary_add_figure(sum, fig_key(FIG_MONTHLY_COST), "USD", month);
    if (st == BASE_OK)
        st = eng_summary_add_figure(sum, fig_key(FIG_COST_PER_MILLION), "USD", per_m);
    for (size_t k = 0; st == BASE_OK && k < COST_NPARTS; k++)
        st = eng_summary_add_figure(sum, cost_part_key((cost_part)k), "USD",
                                    parts_usd + k * (size_t)n);
    if (st == BASE_OK && geo_mix)
        st = eng_summary_add_figure(sum, "cost_eu_west_1", "USD", geo_usd);
    if (st == BASE_OK && geo_mix)
        st = eng_summary_add_figure(sum, "cost_inter_region", "USD", geo_usd + n);
    free(geo_usd);
    free(m_eu);
    free(parts_usd);
    free(month);
    free(per_m);
    free(m);
    return st;
}
