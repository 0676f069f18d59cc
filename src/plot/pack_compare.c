/*
 * pack_compare.c — a comparison's design-review pack: the variants' figures and verdicts, the
 * paired differences from the first, the comparison charts, the cost per variant and the
 * sweep's points with where the costs cross.
 */
#include "plot/pack_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Columns: a first column of `first` share, then one per variant. */
static size_t variant_columns(const json_t *vars, const char *head0, double first, pk_column *cols)
{
    size_t nv = json_array_size(vars);
    if (nv > PK_MAX_VARIANTS)
        nv = PK_MAX_VARIANTS;
    cols[0].head = head0;
    cols[0].frac = first;
    cols[0].right = 0;
    for (size_t i = 0; i < nv; i++) {
        cols[i + 1].head = pl_str(json_object_get(json_array_get(vars, i), "name"), "?");
        cols[i + 1].frac = (1 - first) / (double)nv;
        cols[i + 1].right = 1;
    }
    return nv + 1;
}

/* The figure keys of all variants, first variant's order first, each once. */
static size_t figure_keys(const json_t *vars, const char **keys, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(vars); i++) {
        const char *key;
        const json_t *v;
        json_object_foreach(json_object_get(json_array_get(vars, i), "figures"), key, v)
        {
            (void)v;
            size_t j = 0;
            while (j < n && strcmp(keys[j], key) != 0)
                j++;
            if (j == n && n < max)
                keys[n++] = key;
        }
    }
    return n;
}

/* " at a peak of 10k users": the load of the variants' own runs (compare.json's peak_load),
 * which every table but the sweep's is at; "" when the document does not say. */
static void at_load(const json_t *doc, char *buf, size_t n)
{
    double peak = pl_num(json_object_get(doc, "peak_load"));
    char load[64];
    buf[0] = '\0';
    if (!isfinite(peak))
        return;
    pk_load_text(peak, pl_str(json_object_get(doc, "load_unit"), "users"), load, sizeof load);
    snprintf(buf, n, " at a peak of %s", load);
}

static void compare_summary(pk_pack *k)
{
    const json_t *doc = k->doc, *vars = json_object_get(doc, "variants");
    char buf[512];
    pk_title_page(k, "Design review: a comparison of variants");
    json_int_t reps = json_integer_value(json_object_get(doc, "replications"));
    snprintf(buf, sizeof buf, "%zu variants · %lld replications each · seed %s · %s · simulate %s",
             json_array_size(vars), (long long)reps, pl_str(json_object_get(doc, "seed"), "?"),
             json_is_true(json_object_get(doc, "common_random_numbers"))
                 ? "common random numbers (replication i of every variant saw the same traffic)"
                 : "independent random numbers",
             pl_str(json_object_get(doc, "simulate_version"), "?"));
    pk_paragraph(k, buf, BODY, 0, pl_grey(0.2));
    k->y += 8;
    pk_compare_answer(k);
    k->y += 8;

    char at[96], title[160], otitle[160];
    at_load(doc, at, sizeof at);
    snprintf(title, sizeof title, "Figures%s (mean ± 95%% CI)", at);
    snprintf(otitle, sizeof otitle, "Objectives%s", at);
    pk_column cols[PK_MAX_VARIANTS + 1];
    size_t nc = variant_columns(vars, "figure", 0.22, cols);
    pk_table t = {cols, nc, PM, PAGE_W - 2 * PM, title};
    pk_table_start(k, &t);
    const char *keys[64];
    size_t nk = figure_keys(vars, keys, 64);
    char cellbuf[PK_MAX_VARIANTS][256];
    const char *cells[PK_MAX_VARIANTS + 1];
    char label[128];
    for (size_t f = 0; f < nk; f++) {
        pl_figure_label(keys[f], label, sizeof label);
        cells[0] = label;
        for (size_t i = 0; i + 1 < nc; i++) {
            pl_fig g;
            pl_fig_get(json_object_get(json_array_get(vars, i), "figures"), keys[f], &g);
            pl_format_ci(g.mean, g.half, g.unit, cellbuf[i], sizeof cellbuf[i]);
            cells[i + 1] = cellbuf[i];
        }
        pk_table_row(k, &t, cells, 0, NULL);
    }
    k->y += 12;

    /* objectives: one row per objective of the first variant (all share the scenario's) */
    const json_t *objs0 = json_object_get(json_array_get(vars, 0), "objectives");
    if (json_array_size(objs0) == 0) {
        pk_paragraph(k, "The scenario sets no objectives.", BODY, 0, pl_grey(0.25));
        return;
    }
    pk_column ocols[PK_MAX_VARIANTS + 1];
    nc = variant_columns(vars, "objective", 0.22, ocols);
    for (size_t i = 1; i < nc; i++)
        ocols[i].right = 0;
    pk_table to = {ocols, nc, PM, PAGE_W - 2 * PM, otitle};
    pk_table_start(k, &to);
    pl_rgb colours[PK_MAX_VARIANTS + 1];
    for (size_t j = 0; j < json_array_size(objs0); j++) {
        cells[0] = pl_str(json_object_get(json_array_get(objs0, j), "objective"), "?");
        colours[0] = pl_grey(0.08);
        for (size_t i = 0; i + 1 < nc; i++) {
            const json_t *o =
                json_array_get(json_object_get(json_array_get(vars, i), "objectives"), j);
            const char *v = pk_verdict_text(o, &colours[i + 1]);
            char meas[64];
            pl_format_ci(pl_num(json_object_get(o, "measured")),
                         pl_num(json_object_get(o, "ci95_half_width")), pk_objective_unit(cells[0]),
                         meas, sizeof meas); /* "162 ms", not "162" */
            snprintf(cellbuf[i], sizeof cellbuf[i], "%s (%s)", v, meas);
            cells[i + 1] = cellbuf[i];
        }
        pk_table_row(k, &to, cells, 0, colours);
    }
}

static void compare_differences(pk_pack *k)
{
    const json_t *diffs = json_object_get(k->doc, "differences");
    if (json_array_size(diffs) == 0)
        return;
    pk_page_begin(k);
    char buf[400], at[96];
    at_load(k->doc, at, sizeof at);
    snprintf(buf, sizeof buf, "Paired differences from %s%s",
             pl_str(json_object_get(json_array_get(diffs, 0), "minus"), "the first variant"), at);
    pk_heading(k, buf, 16);
    pk_explain(k,
               "Each variant minus the first, replication by replication (the same random "
               "traffic), then the mean and the 95% confidence interval of those differences: an "
               "interval that excludes 0 is a difference the replications support.",
               4);
    size_t nd = json_array_size(diffs);
    if (nd > PK_MAX_VARIANTS)
        nd = PK_MAX_VARIANTS;
    pk_column cols[PK_MAX_VARIANTS + 1];
    cols[0] = (pk_column){"figure", 0.25, 0};
    for (size_t i = 0; i < nd; i++)
        cols[i + 1] = (pk_column){pl_str(json_object_get(json_array_get(diffs, i), "variant"), "?"),
                                  0.75 / (double)nd, 1};
    pk_table t = {cols, nd + 1, PM, PAGE_W - 2 * PM, buf};
    pk_table_head(k, &t);
    const char *key;
    const json_t *v;
    char cellbuf[PK_MAX_VARIANTS][256];
    const char *cells[PK_MAX_VARIANTS + 1];
    /* the units are the figures' (compare.json gives them with each variant's figures) */
    const json_t *figs0 =
        json_object_get(json_array_get(json_object_get(k->doc, "variants"), 0), "figures");
    json_object_foreach((json_t *)json_array_get(diffs, 0), key, v)
    {
        if (!json_is_object(v))
            continue;
        char label[128];
        pl_figure_label(key, label, sizeof label);
        cells[0] = label;
        pl_fig unit;
        pl_fig_get(figs0, key, &unit);
        for (size_t i = 0; i < nd; i++) {
            const json_t *d = json_object_get(json_array_get(diffs, i), key);
            pl_format_ci(pl_num(json_object_get(d, "mean")),
                         pl_num(json_object_get(d, "ci95_half_width")), unit.unit, cellbuf[i],
                         sizeof cellbuf[i]);
            cells[i + 1] = cellbuf[i];
        }
        pk_table_row(k, &t, cells, 0, NULL);
    }
}

static void compare_cost(pk_pack *k)
{
    const json_t *vars = json_object_get(k->doc, "variants");
    pk_page_begin(k);
    char title[200], at[96];
    at_load(k->doc, at, sizeof at);
    snprintf(title, sizeof title, "Monthly cost by component, per variant%s", at);
    pk_heading(k, title, 16);
    pk_explain(k,
               "A 730-hour month at each variant's usage (docs/cost-model.md); mean ± half-width "
               "of the 95% confidence interval. compare.json carries the components that differ "
               "between variants; the rest is under \"other components\".",
               4);
    const char *keys[64];
    size_t nk = figure_keys(vars, keys, 64);
    pk_column cols[PK_MAX_VARIANTS + 1];
    size_t nc = variant_columns(vars, "component", 0.24, cols);
    pk_table t = {cols, nc, PM, PAGE_W - 2 * PM, title};
    pk_table_head(k, &t);
    char cellbuf[PK_MAX_VARIANTS][256];
    const char *cells[PK_MAX_VARIANTS + 1];
    double listed[PK_MAX_VARIANTS] = {0};
    int any = 0;
    for (size_t f = 0; f < nk; f++) {
        if (strncmp(keys[f], "cost_", 5) != 0 || strcmp(keys[f], "cost_per_million") == 0)
            continue;
        cells[0] = pl_cost_label(keys[f]);
        for (size_t i = 0; i + 1 < nc; i++) {
            pl_fig g;
            pl_fig_get(json_object_get(json_array_get(vars, i), "figures"), keys[f], &g);
            char m[64], h[64];
            pl_format_usd(g.mean, m, sizeof m);
            pl_format_usd(g.half, h, sizeof h);
            snprintf(cellbuf[i], sizeof cellbuf[i], isfinite(g.half) ? "%s ± %s" : "%s", m, h);
            cells[i + 1] = cellbuf[i];
            if (isfinite(g.mean))
                listed[i] += g.mean;
        }
        pk_table_row(k, &t, cells, 0, NULL);
        any = 1;
    }
    cells[0] = "other components";
    for (size_t i = 0; i + 1 < nc; i++) {
        pl_fig g;
        pl_fig_get(json_object_get(json_array_get(vars, i), "figures"), "monthly_cost", &g);
        pl_format_usd(g.mean - listed[i], cellbuf[i], sizeof cellbuf[i]);
        cells[i + 1] = cellbuf[i];
    }
    if (any)
        pk_table_row(k, &t, cells, 0, NULL);
    cells[0] = "total";
    for (size_t i = 0; i + 1 < nc; i++) {
        pl_fig g;
        pl_fig_get(json_object_get(json_array_get(vars, i), "figures"), "monthly_cost", &g);
        char m[64], h[64];
        pl_format_usd(g.mean, m, sizeof m);
        pl_format_usd(g.half, h, sizeof h);
        snprintf(cellbuf[i], sizeof cellbuf[i], isfinite(g.half) ? "%s ± %s" : "%s", m, h);
        cells[i + 1] = cellbuf[i];
    }
    pk_table_row(k, &t, cells, 1, NULL);
}

/* The sweep's cost crossovers (compare.json's cost_crossovers, or its daily profile's). */
static void crossovers(pk_pack *k, const json_t *cx, const char *head)
{
    if (json_array_size(cx) == 0) {
        char line[200];
        snprintf(line, sizeof line, "%s: no two variants' costs cross inside the sweep.", head);
        pk_paragraph(k, line, BODY, 0, pl_grey(0.15));
        return;
    }
    pk_heading(k, head, 13);
    for (size_t j = 0; j < json_array_size(cx); j++) {
        const json_t *o = json_array_get(cx, j);
        const json_t *btw = json_object_get(o, "between");
        char x[64], a[64], b[64], line[400];
        pl_format(pl_num(json_object_get(o, "peak_load")), PL_COUNT, 0, x, sizeof x);
        pl_format(pl_num(json_array_get(btw, 0)), PL_COUNT, 0, a, sizeof a);
        pl_format(pl_num(json_array_get(btw, 1)), PL_COUNT, 0, b, sizeof b);
        snprintf(line, sizeof line,
                 "• At about %s (between the points %s and %s, interpolated): %s is cheaper "
                 "below, %s above.",
                 x, a, b, pl_str(json_object_get(o, "cheaper_below"), "?"),
                 pl_str(json_object_get(o, "cheaper_above"), "?"));
        pk_paragraph(k, line, BODY, 0, pl_grey(0.1));
    }
}

static void compare_sweep(pk_pack *k)
{
    const json_t *sweep = json_object_get(k->doc, "sweep");
    const json_t *pts = json_object_get(sweep, "points");
    const json_t *vars = json_object_get(k->doc, "variants");
    if (json_array_size(pts) == 0)
        return;
    pk_page_begin(k);
    pk_heading(k, "The sweep", 16);
    pk_explain(k,
               "Every variant at each point of the sweep: monthly cost (mean ± 95% CI), API p99, "
               "and whether the objectives were met; the last column is the cheapest variant that "
               "met them.",
               4);
    pk_column cols[PK_MAX_VARIANTS + 2];
    size_t nv = json_array_size(vars);
    if (nv > PK_MAX_VARIANTS)
        nv = PK_MAX_VARIANTS;
    char head0[64];
    snprintf(head0, sizeof head0, "peak %s", pl_str(json_object_get(k->doc, "load_unit"), "load"));
    cols[0] = (pk_column){head0, 0.12, 1};
    for (size_t i = 0; i < nv; i++)
        cols[i + 1] = (pk_column){pl_str(json_object_get(json_array_get(vars, i), "name"), "?"),
                                  0.72 / (double)nv, 1};
    cols[nv + 1] = (pk_column){"cheapest meeting the objectives", 0.16, 0};
    pk_table t = {cols, nv + 2, PM, PAGE_W - 2 * PM, "The sweep"};
    pk_table_head(k, &t);
    char load[64], cellbuf[PK_MAX_VARIANTS][256];
    const char *cells[PK_MAX_VARIANTS + 2];
    for (size_t p = 0; p < json_array_size(pts); p++) {
        const json_t *pt = json_array_get(pts, p);
        pl_format(pl_num(json_object_get(pt, "peak_load")), PL_COUNT, 0, load, sizeof load);
        cells[0] = load;
        for (size_t i = 0; i < nv; i++) {
            const char *vn = pl_str(json_object_get(json_array_get(vars, i), "name"), "");
            const json_t *e = json_object_get(json_object_get(pt, "variants"), vn);
            char m[64], h[64], p99[64];
            pl_format_usd(pl_num(json_object_get(e, "monthly_cost")), m, sizeof m);
            pl_format_usd(pl_num(json_object_get(e, "monthly_cost_ci95_half_width")), h, sizeof h);
            pl_format(pl_num(json_object_get(e, "api_latency_p99_ms")), PL_MS, 0, p99, sizeof p99);
            int at =
                snprintf(cellbuf[i], sizeof cellbuf[i], "%s ± %s\np99 %s · %s", m, h, p99,
                         json_is_true(json_object_get(e, "objectives_met")) ? "met" : "FAILED");
            double daily = pl_num(json_object_get(e, "monthly_cost_daily"));
            if (isfinite(daily) && at > 0 && (size_t)at < sizeof cellbuf[i]) {
                pl_format_usd(daily, m, sizeof m);
                snprintf(cellbuf[i] + at, sizeof cellbuf[i] - (size_t)at, "\ndaily profile %s", m);
            }
            cells[i + 1] = cellbuf[i];
        }
        char best[256];
        const json_t *bd = json_object_get(pt, "cheapest_meeting_objectives_daily");
        snprintf(best, sizeof best, json_is_string(bd) ? "%s\ndaily profile: %s" : "%s",
                 pl_str(json_object_get(pt, "cheapest_meeting_objectives"), "none"),
                 pl_str(bd, "none"));
        cells[nv + 1] = best;
        pk_table_row(k, &t, cells, 0, NULL);
    }
    k->y += 10;
    crossovers(k, json_object_get(sweep, "cost_crossovers"), "Where the costs cross");
    if (json_is_object(json_object_get(sweep, "daily")))
        crossovers(k, json_object_get(sweep, "cost_crossovers_daily"),
                   "Where the costs cross on the daily profile");
}

int pk_compare(pk_pack *k, base_err *err)
{
    if (json_array_size(json_object_get(k->doc, "variants")) == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "the comparison has no variants");
    compare_summary(k);
    compare_differences(k);
    int st = pk_chart_pages(k, err);
    if (st != BASE_OK)
        return st;
    compare_cost(k);
    compare_sweep(k);
    return BASE_OK;
}
