/*
 * regions.c — a two-region scenario's bill and figures (engine/geo.c ran it): us-east-1's lines
 * as any run's, eu-west-1's at its own pricing file's prices, the inter-region transfer as its
 * own line; and the per-region figures beside the run's own (docs/multi-region.md).
 */
#include "app/app.h"
#include "app/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool app__regions_two(const mdl_scenario *s)
{
    return s->regions.enabled && s->regions.serve == MDL_REGIONS_TWO;
}

int app__regions_price_part(const mdl_scenario *s, const eng_rep *rep, double scale, bool fixed,
                            cost_month *m_eu, double *gb, base_err *err)
{
    if (!app__regions_two(s))
        return BASE_OK;
    mdl_scenario *eu = base_malloc(sizeof *eu);
    if (!eu)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = BASE_OK;
    if (mdl_regions_clone(s, MDL_REGION_EU, 0, eu) != BASE_OK)
        st = base_err_set(err, BASE_ELIMIT, NULL, 0, 0,
                          "regions: eu-west-1's load curve needs more than %d phases",
                          MDL_MAX_PHASES);
    if (st == BASE_OK)
        st = cost_price_part(eu, &rep->geo.usage_eu, scale, fixed, m_eu, err);
    *gb += rep->geo.transfer_gb * scale;
    free(eu);
    return st;
}

/* eu-west-1's month m_eu's lines into m, their items named by their region. */
static int append_eu(const cost_month *m_eu, cost_month *m, int64_t *micro, base_err *err)
{
    *micro = 0;
    for (size_t i = 0; i < m_eu->n; i++) {
        if (m->n >= COST_MAX_LINES)
            return base_err_set(err, BASE_ELIMIT, NULL, 0, 0,
                                "the two regions' bill has more than %d lines", COST_MAX_LINES);
        cost_line *l = &m->lines[m->n++];
        *l = m_eu->lines[i];
        l->tier_group = 0; /* eu-west-1's tiers are its own, already applied */
        char item[sizeof l->item];
        int w = snprintf(item, sizeof item, "eu-west-1: %s", m_eu->lines[i].item);
        if (w < 0 || (size_t)w >= sizeof item)
            item[sizeof item - 1] = '\0'; /* a long item is cut, its line unchanged */
        memcpy(l->item, item, sizeof item);
        m->total += l->monthly;
        *micro += l->monthly;
    }
    return BASE_OK;
}

/* us-east-1 <-> eu-west-1: EMEA's statements and answers and the primary's WAL to the copy,
 * `gb` in the month, billed by the sending region at $0.02/GB (both pricing files'
 * interregion_gb). */
static int price_transfer(const mdl_scenario *s, double gb, cost_month *m, int64_t *micro,
                          base_err *err)
{
    const cost_list_price *p = &s->cluster.catalog.prices.interregion_gb;
    *micro = 0;
    if (gb <= 0)
        return BASE_OK;
    if (m->n >= COST_MAX_LINES)
        return base_err_set(err, BASE_ELIMIT, NULL, 0, 0,
                            "the two regions' bill has more than %d lines", COST_MAX_LINES);
    cost_line *l = &m->lines[m->n++];
    memset(l, 0, sizeof *l);
    l->comp = COST_DATA_TRANSFER;
    snprintf(l->component, sizeof l->component, "%s", cost_component_name(COST_DATA_TRANSFER));
    snprintf(l->item, sizeof l->item, "inter-region us-east-1 <-> eu-west-1");
    l->quantity = gb;
    snprintf(l->unit, sizeof l->unit, "GB");
    l->unit_price = p->micro;
    l->monthly = (int64_t)llround(gb * (double)p->micro);
    snprintf(l->source, sizeof l->source, "%s", p->source);
    m->total += l->monthly;
    *micro = l->monthly;
    return BASE_OK;
}

int app__regions_finish(const mdl_scenario *s, const cost_month *m_eu, double gb, cost_month *m,
                        double *eu_usd, double *transfer_usd, base_err *err)
{
    int64_t eu = 0, tr = 0;
    int st = BASE_OK;
    if (app__regions_two(s))
        st = append_eu(m_eu, m, &eu, err);
    if (st == BASE_OK && app__regions_two(s))
        st = price_transfer(s, gb, m, &tr, err);
    if (eu_usd)
        *eu_usd = (double)eu / 1e6;
    if (transfer_usd)
        *transfer_usd = (double)tr / 1e6;
    return st;
}

int app__regions_price(const mdl_scenario *s, const eng_rep *rep, cost_month *m, double *eu_usd,
                       double *transfer_usd, base_err *err)
{
    cost_month *m_eu = base_calloc(1, sizeof *m_eu);
    if (!m_eu)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    double gb = 0;
    int st = cost_price(s, &rep->usage, m, err);
    if (st == BASE_OK) {
        m_eu->month_hours = m->month_hours;
        st = app__regions_price_part(s, rep, m->scale, true, m_eu, &gb, err);
    }
    if (st == BASE_OK)
        st = app__regions_finish(s, m_eu, gb, m, eu_usd, transfer_usd, err);
    free(m_eu);
    return st;
}

/* One per-replication figure of out->geo: its key, unit and where it is. */
typedef struct geo_fig {
    const char *key, *unit;
    size_t off;
} geo_fig;

#define GEO(field) offsetof(eng_rep, geo.field)
static const geo_fig geo_figs[] = {
    {"api_latency_p99_us", "ms", GEO(api_p99_ms[0])},
    {"api_latency_p99_emea", "ms", GEO(api_p99_ms[1])},
    {"write_latency_p50_us", "ms", GEO(write_p50_ms[0])},
    {"write_latency_p50_emea", "ms", GEO(write_p50_ms[1])},
    {"write_latency_min_emea", "ms", GEO(write_min_ms[1])},
    {"error_rate_us", "%", GEO(error_rate[0])},
    {"error_rate_emea", "%", GEO(error_rate[1])},
    {"emea_failed_moving", "requests", GEO(lost_failed)},
    {"us_failed_moving", "requests", GEO(lost_failed_us)},
    {"region_moved", "s", GEO(moved_s)},
    {"inter_region_gb", "GB", GEO(transfer_gb)},
    {"replica_lag_eu_west_1", "s", GEO(replica_lag_s)},
    {"peak_pods_eu_west_1", "pods", GEO(peak_pods_eu)},
    {"promoted", "s", GEO(promoted_s)},
};

static int add(eng_summary *sum, const char *key, const char *unit, const double *v, base_err *err)
{
    int st = eng_summary_add_figure(sum, key, unit, v);
    if (st == BASE_ELIMIT)
        return base_err_set(err, st, NULL, 0, 0, "too many figures (%d)", ENG_MAX_FIGURES);
    return st == BASE_OK ? st : base_err_set(err, st, NULL, 0, 0, "out of memory");
}

int app__regions_figures(eng_summary *sum, base_err *err)
{
    const mdl_scenario *s = sum->scenario;
    int n = sum->replications;
    double *v = base_malloc((size_t)(n > 0 ? n : 1) * 3 * sizeof *v);
    if (!v)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = BASE_OK;
    size_t nf = sizeof geo_figs / sizeof geo_figs[0];
    for (size_t f = 0; st == BASE_OK && f < nf; f++) {
        for (int i = 0; i < n; i++)
            v[i] = *(const double *)((const char *)&sum->reps[i] + geo_figs[f].off);
        st = add(sum, geo_figs[f].key, geo_figs[f].unit, v, err);
    }
    /* a region lost (no failure event of the scenario's own measured them): its RTO and RPO */
    bool lost = s->regions.serve == MDL_REGIONS_TWO &&
                (s->regions.lose_at > 0 || s->regions.lose_us_at > 0);
    if (st == BASE_OK && lost && !eng_summary_figure(sum, "rto")) {
        for (int i = 0; i < n; i++)
            v[i] = sum->reps[i].rto_s;
        st = add(sum, "rto", "s", v, err);
        for (int i = 0; st == BASE_OK && i < n; i++)
            v[i] = sum->reps[i].rpo_s;
        if (st == BASE_OK)
            st = add(sum, "rpo", "s", v, err);
    }
    /* priced: the two new parts (a month mix's: app_add_costs, from the month's bill) */
    if (st == BASE_OK && s->cluster.catalog.region[0] && s->month.nmix == 0) {
        cost_month *m = base_malloc(sizeof *m);
        st = m ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        for (int i = 0; st == BASE_OK && i < n; i++)
            st = app__regions_price(s, &sum->reps[i], m, &v[n + i], &v[2 * n + i], err);
        free(m);
        if (st == BASE_OK)
            st = add(sum, "cost_eu_west_1", "USD", v + n, err);
        if (st == BASE_OK)
            st = add(sum, "cost_inter_region", "USD", v + 2 * n, err);
    }
    free(v);
    return st;
}
