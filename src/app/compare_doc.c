/*
 * compare_doc.c — compare.json: each variant's figures and verdicts, each difference from the
 * first over paired replications, and the sweep's points and cost crossovers. Deterministic
 * like report.json (same comparison, same bytes); reals that are not finite are written null.
 */
#include "app/app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* The variant's database in the words a reader decides by ("RDS PostgreSQL db.t3.medium
 * Multi-AZ + 1 replica", "Aurora Serverless v2, 0.5 to 128 ACUs"): the pack's answer names
 * each variant by it, since a variant's label ("rds-xlarge") is the scenario author's shorthand.
 * NULL for the queueing checks' abstract database or none. */
static json_t *database_json(const mdl_scenario *s)
{
    char buf[160];
    const mdl_db_config *d = &s->db;
    if (!d->enabled)
        return NULL;
    if (d->engine == MDL_DB_RDS) {
        int n = snprintf(buf, sizeof buf, "RDS PostgreSQL %s%s", d->instance_class,
                         d->multi_az ? " Multi-AZ" : "");
        if (d->read_replicas > 0 && n > 0 && (size_t)n < sizeof buf)
            snprintf(buf + n, sizeof buf - (size_t)n, " + %d replica%s", d->read_replicas,
                     d->read_replicas == 1 ? "" : "s");
    } else if (d->engine == MDL_DB_AURORA) {
        snprintf(buf, sizeof buf, "Aurora Serverless v2, %g to %g ACUs", d->acu_min, d->acu_max);
    } else {
        return NULL;
    }
    return json_string(buf);
}

static json_t *variant_json(const app_variant_run *r, const mdl_scenario *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(r->name));
    json_t *db = s ? database_json(s) : NULL;
    if (db)
        json_object_set_new(o, "database", db);
    json_t *figs = json_object();
    for (size_t k = 0; k < app_compare_nrows; k++) {
        const eng_figure *f = eng_summary_figure(&r->sum, app_compare_rows[k].key);
        if (!f)
            continue;
        json_t *e = json_object();
        json_object_set_new(e, "unit", json_string(f->unit));
        json_object_set_new(e, "mean", num(f->ci.mean));
        json_object_set_new(e, "ci95_half_width", num(f->ci.half));
        json_object_set_new(figs, app_compare_rows[k].key, e);
    }
    json_object_set_new(o, "figures", figs);
    json_t *objs = json_array();
    for (size_t j = 0; j < r->nv; j++) {
        json_t *e = json_object();
        json_object_set_new(e, "objective", json_string(r->v[j].o.text));
        json_object_set_new(e, "status",
                            json_string(!r->v[j].known ? "not measured"
                                        : r->v[j].met  ? "met"
                                                       : "failed"));
        json_object_set_new(e, "measured", r->v[j].known ? num(r->v[j].ci.mean) : json_null());
        json_array_append_new(objs, e);
    }
    json_object_set_new(o, "objectives", objs);
    return o;
}

static json_t *differences_json(const app_compare_result *r)
{
    json_t *diffs = json_array();
    const app_variant_run *a = &r->runs[0];
    for (size_t i = 1; i < r->n; i++) {
        json_t *d = json_object();
        json_object_set_new(d, "variant", json_string(r->runs[i].name));
        json_object_set_new(d, "minus", json_string(a->name));
        for (size_t k = 0; k < app_compare_nrows; k++) {
            const eng_figure *fa = eng_summary_figure(&a->sum, app_compare_rows[k].key);
            const eng_figure *fb = eng_summary_figure(&r->runs[i].sum, app_compare_rows[k].key);
            if (!fa || !fb)
                continue;
            stat_ci c = app_paired(fa, fb, a->sum.replications);
            json_t *e = json_object();
            json_object_set_new(e, "mean", num(c.mean));
            json_object_set_new(e, "ci95_half_width", num(c.half));
            json_object_set_new(d, app_compare_rows[k].key, e);
        }
        json_array_append_new(diffs, d);
    }
    return diffs;
}

/* A point whose costs are its daily profile's, for app_cheapest_met and app_crossover. */
static app_sweep_point daily_point(const app_sweep_point *pt)
{
    app_sweep_point d = *pt;
    memcpy(d.cost, pt->cost_daily, sizeof d.cost);
    memcpy(d.cost_half, pt->cost_daily_half, sizeof d.cost_half);
    return d;
}

static json_t *point_json(const app_compare_result *r, const app_sweep_point *pt)
{
    json_t *p = json_object();
    json_object_set_new(p, "peak_load", json_real(pt->load));
    json_t *per = json_object();
    for (size_t i = 0; i < r->n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "monthly_cost", num(pt->cost[i]));
        json_object_set_new(e, "monthly_cost_ci95_half_width", num(pt->cost_half[i]));
        json_object_set_new(e, "api_latency_p99_ms", num(pt->p99[i]));
        json_object_set_new(e, "error_rate", num(pt->err[i]));
        json_object_set_new(e, "database_monthly_cost", num(pt->db_cost[i]));
        json_object_set_new(e, "database_utilisation", num(pt->db_util[i]));
        json_object_set_new(e, "objectives_met", json_boolean(pt->met[i]));
        if (r->daily) {
            json_object_set_new(e, "monthly_cost_daily", num(pt->cost_daily[i]));
            json_object_set_new(e, "monthly_cost_daily_ci95_half_width",
                                num(pt->cost_daily_half[i]));
        }
        json_object_set_new(per, r->runs[i].name, e);
    }
    json_object_set_new(p, "variants", per);
    int best = pt->priced ? app_cheapest_met(pt, r->n) : -1;
    json_object_set_new(p, "cheapest_meeting_objectives",
                        best >= 0 ? json_string(r->runs[best].name) : json_null());
    if (r->daily) {
        app_sweep_point d = daily_point(pt);
        best = pt->priced ? app_cheapest_met(&d, r->n) : -1;
        json_object_set_new(p, "cheapest_meeting_objectives_daily",
                            best >= 0 ? json_string(r->runs[best].name) : json_null());
    }
    return p;
}

/* Every pair of variants whose costs (pts') cross inside the sweep. */
static json_t *crossovers_json(const app_compare_result *r, const app_sweep_point *pts)
{
    json_t *cx = json_array();
    const app_sweep_point *last = &pts[r->npts - 1];
    for (size_t i = 0; pts[0].priced && i < r->n; i++)
        for (size_t j = i + 1; j < r->n; j++) {
            int at;
            double x = app_crossover(pts, r->npts, i, j, &at);
            if (!isfinite(x))
                continue;
            size_t hi = last->cost[i] < last->cost[j] ? i : j;
            json_t *e = json_object();
            json_object_set_new(e, "cheaper_below", json_string(r->runs[hi == i ? j : i].name));
            json_object_set_new(e, "cheaper_above", json_string(r->runs[hi].name));
            json_object_set_new(e, "peak_load", num(x));
            json_object_set_new(e, "between", json_pack("[f, f]", pts[at - 1].load, pts[at].load));
            json_array_append_new(cx, e);
        }
    return cx;
}

static json_t *sweep_json(const app_compare_result *r)
{
    json_t *sw = json_object();
    json_t *jp = json_array();
    for (int k = 0; k < r->npts; k++)
        json_array_append_new(jp, point_json(r, &r->pts[k]));
    json_object_set_new(sw, "points", jp);
    json_object_set_new(sw, "cost_crossovers", crossovers_json(r, r->pts));
    if (r->daily) {
        app_sweep_point *d = base_malloc((size_t)r->npts * sizeof *d);
        if (d) {
            for (int k = 0; k < r->npts; k++)
                d[k] = daily_point(&r->pts[k]);
            json_object_set_new(sw, "cost_crossovers_daily", crossovers_json(r, d));
        }
        free(d);
        /* the profile the daily costs are of (scenarios.md, sweep) */
        json_object_set_new(
            sw, "daily",
            json_pack("{s:f, s:f}", "peak_hours", r->peak_hours, "off_peak_share", r->off_peak));
    }
    return sw;
}

json_t *app_compare_doc(const app_compare_result *r)
{
    json_t *root = json_object();
    if (!root)
        return NULL;
    json_object_set_new(root, "schema_version", json_integer(1));
    json_object_set_new(root, "simulate_version", json_string(SIMULATE_VERSION));
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    json_object_set_new(root, "seed", json_string(seed));
    json_object_set_new(root, "replications", json_integer(r->replications));
    json_object_set_new(root, "common_random_numbers", json_true());
    /* the load the variants' figures are at, for the pack to state (docs/charts.md) */
    if (r->variants) {
        const mdl_scenario *s0 = &r->variants[0].s;
        json_object_set_new(root, "peak_load", json_real(mdl_traffic_peak(&s0->traffic)));
        json_object_set_new(root, "load_unit",
                            json_string(s0->traffic.by_rate ? "req/s" : "users"));
    }
    json_t *vars = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(vars,
                              variant_json(&r->runs[i], r->variants ? &r->variants[i].s : NULL));
    json_object_set_new(root, "variants", vars);
    json_object_set_new(root, "differences", differences_json(r));
    if (r->npts > 0)
        json_object_set_new(root, "sweep", sweep_json(r));
    return root;
}
