/*
 * kinds.c — the charts that are not lines over time, each a `kind` a chart file can name
 * (docs/charts.md): the monthly cost by component of a run, and a comparison's variants side by
 * side and their cost across a sweep. The file gives the title and where the chart is drawn
 * from; the layout is here.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN 24.0

/* ---------------------------------------------------------------- shared */

static void report_subtitle(const json_t *doc, const char *extra, char *buf, size_t n)
{
    const char *engine = pl_str(json_object_get(doc, "engine"), "?");
    json_int_t reps = json_integer_value(json_object_get(doc, "replications"));
    const char *seed = pl_str(json_object_get(doc, "seed"), "?");
    snprintf(buf, n, "%s engine, mean of %lld replication%s, seed %s%s%s", engine, (long long)reps,
             reps == 1 ? "" : "s", seed, extra && *extra ? " · " : "", extra ? extra : "");
}

void pl_chart_begin(pl_chart *c, const char *subtitle)
{
    char name[256], title[512], sub[1024];
    pl_doc_name(c->doc, name, sizeof name);
    snprintf(title, sizeof title, "%s — %s%s", name, c->def->title,
             c->title_tail ? c->title_tail : "");
    /* a run's chart says what it averages; a comparison's subtitle says it itself */
    if (plot_doc_kind_of(c->doc) == PLOT_DOC_REPORT) {
        report_subtitle(c->doc, subtitle, sub, sizeof sub);
        subtitle = sub;
    }
    c->top = pl_chart_head(c->cr, c->w, c->h, title, subtitle);
}

int pl_chart_done(pl_chart *c, int st, base_err *err)
{
    if (st == BASE_ENOMEM)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory drawing '%s'",
                            c->def->name);
    if (st != BASE_OK || cairo_status(c->cr) != CAIRO_STATUS_SUCCESS)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "cairo failed drawing '%s': %s",
                            c->def->name, cairo_status_to_string(cairo_status(c->cr)));
    return BASE_OK;
}

static size_t add_item(pl_legend_item *it, size_t n, const char *label, pl_rgb c, pl_mark m)
{
    it[n].label = label;
    it[n].colour = c;
    it[n].mark = m;
    return n + 1;
}

/* ---------------------------------------------------------------- database */

int pl_has_database(const json_t *doc)
{
    if (!pl_has_series(doc))
        return 0;
    pl_fig f;
    if (pl_fig_get(json_object_get(doc, "figures"), "database_utilisation", &f))
        return 1;
    /* an older report without the figure: the columns say whether there was a database */
    const json_t *cols = json_object_get(json_object_get(doc, "series"), "columns");
    const json_t *rows = json_object_get(json_object_get(doc, "series"), "rows");
    for (size_t c = 0; c < json_array_size(cols); c++) {
        const char *n = pl_str(json_array_get(cols, c), "");
        if (strcmp(n, "database_utilisation_pct") != 0 && strcmp(n, "database_connections") != 0)
            continue;
        for (size_t r = 0; r < json_array_size(rows); r++) {
            double v = pl_num(json_array_get(json_array_get(rows, r), c));
            if (isfinite(v) && v != 0)
                return 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- cost */

#define MAX_PARTS 32

int pl_has_cost(const json_t *doc)
{
    pl_cost_part parts[MAX_PARTS];
    return pl_cost_parts(json_object_get(doc, "figures"), parts, MAX_PARTS) > 0;
}

/* What the month is: the run's load held all month, or its window repeated as the scenario's
 * month.repeat says (the assumption's value). */
static const char *month_basis(const json_t *doc)
{
    const json_t *as = json_object_get(doc, "assumptions");
    for (size_t i = 0; i < json_array_size(as); i++) {
        const json_t *a = json_array_get(as, i);
        if (strcmp(pl_str(json_object_get(a, "key"), ""), "month.repeat") == 0) {
            const char *v = pl_str(json_object_get(a, "value"), "");
            return *v && *v != '(' ? "the run's windows repeated as `month.repeat` says" : NULL;
        }
    }
    return NULL;
}

/* One bar per component, largest first, on a logarithmic axis (docs/charts.md: a 1% component
 * next to a 90% one is a bar a reader can still measure), each labelled with its dollars and its
 * share; the total and its interval in the subtitle. */
/* The cost chart's subtitle: what the month is, the total with its interval and the cost per
 * million requests. */
static void cost_subtitle(const pl_chart *c, const json_t *figs, pl_fig total, char *sub, size_t n)
{
    char name[256], tot[256];
    pl_doc_name(c->doc, name, sizeof name);
    pl_format_ci(total.mean, total.half, "USD", tot, sizeof tot);
    const char *basis = month_basis(c->doc);
    pl_fig per_m;
    if (pl_fig_get(figs, "cost_per_million", &per_m)) {
        char pm[96];
        pl_format_ci(per_m.mean, per_m.half, "USD", pm, sizeof pm);
        size_t len = strlen(tot);
        snprintf(tot + len, sizeof tot - len, " · %s per million requests", pm);
    }
    if (c->def->subtitle[0])
        snprintf(sub, n, "%s · total %s", c->def->subtitle, tot);
    else if (basis)
        snprintf(sub, n, "a 730-hour month: %s · total %s", basis, tot);
    else
        snprintf(sub, n, "%s's load all month · total %s", name, tot);
}

/* The dollars axis (log or linear, with room right of the largest bar for its label) and the
 * panel, right of the labels' column (as wide as the widest label). */
static void cost_panel(pl_chart *c, const pl_cost_part *parts, size_t n, pl_panel *p)
{
    cairo_t *cr = c->cr;
    pl_font(cr, PL_FONT_LEGEND, 0);
    double lw = pl_text_width(cr, "total");
    for (size_t i = 0; i < n; i++)
        lw = fmax(lw, pl_text_width(cr, parts[i].label));
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i].fig.mean > 0) {
            lo = fmin(lo, parts[i].fig.mean);
            hi = fmax(hi, parts[i].fig.mean);
        }
    if (!(hi > 0)) {
        lo = 1;
        hi = 10;
    }
    memset(p, 0, sizeof *p);
    /* a decade and more on the log axis */
    if (c->def->log)
        pl_axis_log(&p->xa, lo / 2, hi * 8, PL_USD);
    else
        pl_axis_linear(&p->xa, 0, hi * 1.35, 6, PL_USD);
    pl_axis_linear(&p->ya, 0, 1, 1, PL_COUNT);
    p->ya.nticks = 0;
    p->xlabels = 1;
    p->xtitle = c->def->log ? "dollars a month (log scale: each gridline is ten times the last)"
                            : "dollars a month";
    pl_panels_place(cr, p, 1, MARGIN + lw + 12, c->top + 4, c->w - MARGIN, c->h - 12);
}

/* One bar at height ym: its label left of the axis, the bar, and its dollars and share right
 * of it (inside it, in white, when there is no room). */
static void cost_bar(cairo_t *cr, const pl_panel *p, const char *label, double mean, double total,
                     double ym, double bh, int is_total)
{
    char v[64], lab[160];
    double x0 = p->x;
    pl_font(cr, PL_FONT_LEGEND, is_total);
    pl_set_rgb(cr, pl_grey(0.08));
    pl_text(cr, p->x - 10, ym, label, 1, 0.5);
    double xe = mean > 0 ? pl_px(p, fmax(mean, p->xa.lo)) : x0;
    if (!isfinite(xe))
        xe = x0;
    if (xe > x0) {
        cairo_rectangle(cr, x0, round(ym - bh / 2), round(xe - x0), round(bh));
        pl_set_rgb(cr, is_total ? pl_grey(0.35) : pl_palette(PL_BLUE));
        cairo_fill(cr);
    }
    pl_format_usd(mean, v, sizeof v);
    if (is_total || !(total > 0))
        snprintf(lab, sizeof lab, "%s", v);
    else if (mean > 0 && 100 * mean / total < 0.1)
        snprintf(lab, sizeof lab, "%s  (<0.1%%)", v);
    else
        snprintf(lab, sizeof lab, "%s  (%.1f%%)", v, 100 * mean / total);
    pl_font(cr, PL_FONT_TICK, 1);
    double tw = pl_text_width(cr, lab);
    if (xe + 8 + tw <= p->x + p->w) {
        pl_set_rgb(cr, pl_grey(0.08));
        pl_text(cr, xe + 8, ym, lab, 0, 0.5);
    } else {
        cairo_set_source_rgb(cr, 1, 1, 1);
        pl_text(cr, xe - 8, ym, lab, 1, 0.5);
    }
}

int pl_draw_cost(pl_chart *c, base_err *err)
{
    const json_t *figs = json_object_get(c->doc, "figures");
    pl_cost_part parts[MAX_PARTS];
    size_t n = pl_cost_parts(figs, parts, MAX_PARTS);
    if (n == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the report has no cost figures (a run without a pricing file), so "
                            "there is no '%s' chart",
                            c->def->name);
    pl_fig total = pl_cost_total(figs, parts, n);
    /* a component the run did not pay for (no DR region, no CloudFront traffic) is no bar: a
     * "$0 (0.0%)" row says nothing the cost table does not (it lists every component) */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i].fig.mean != 0)
            parts[kept++] = parts[i];
    n = kept ? kept : n;
    char sub[640];
    cost_subtitle(c, figs, total, sub, sizeof sub);
    /* the title says what the month is: this load held for 730 hours (Black Friday every day),
     * or the run's windows repeated as month.repeat says (a dev week) */
    c->title_tail =
        month_basis(c->doc) ? ", a month of the run's windows" : ", at this run's load for 730 h";
    pl_chart_begin(c, sub);
    pl_panel p;
    cost_panel(c, parts, n, &p);
    pl_panel_frame(c->cr, &p);
    double slot = p.h / (double)(n + 1), bh = fmin(slot * 0.62, 34);
    for (size_t i = 0; i <= n; i++) /* the components largest first, then the total */
        cost_bar(c->cr, &p, i == n ? "total" : parts[i].label,
                 i == n ? total.mean : parts[i].fig.mean, total.mean,
                 p.y + slot * ((double)i + 0.5), bh, i == n);
    return pl_chart_done(c, BASE_OK, err);
}

/* ---------------------------------------------------------------- variants (compare.json) */

/* 1: all of a variant's objectives met; 0: one failed; -1: none measured. */
static int objectives_verdict(const json_t *variant)
{
    const json_t *objs = json_object_get(variant, "objectives");
    int known = 0;
    for (size_t i = 0; i < json_array_size(objs); i++) {
        const char *st = pl_str(json_object_get(json_array_get(objs, i), "status"), "");
        if (strcmp(st, "failed") == 0)
            return 0;
        if (strcmp(st, "met") == 0)
            known = 1;
    }
    return known ? 1 : -1;
}

/* One panel of bars with error bars, one bar per variant. */
static void variant_bars(cairo_t *cr, const pl_panel *p, const json_t *vars, const char *fig,
                         const char *unit)
{
    size_t n = json_array_size(vars);
    double slot = p->w / (double)n;
    double bw = fmin(slot * 0.55, 140);
    char buf[128], fit[128];
    for (size_t i = 0; i < n; i++) {
        pl_fig f;
        if (!pl_fig_get(json_object_get(json_array_get(vars, i), "figures"), fig, &f))
            continue;
        double xm = p->x + slot * ((double)i + 0.5);
        double x0 = round(xm - bw / 2), x1 = round(xm + bw / 2);
        double yb = pl_py(p, 1, p->ya.log ? p->ya.lo : 0), yt = pl_py(p, 1, f.mean);
        if (!isfinite(yt))
            yt = yb;
        pl_set_rgb(cr, pl_series_colour(i));
        cairo_rectangle(cr, x0, round(yt), x1 - x0, round(yb) - round(yt));
        cairo_fill(cr);
        double hi = f.mean;
        if (isfinite(f.half) && f.half > 0) {
            pl_errorbar(cr, xm, pl_py(p, 1, fmax(f.mean - f.half, p->ya.log ? p->ya.lo : 0)),
                        pl_py(p, 1, f.mean + f.half), fmin(bw / 4, 12), pl_palette(PL_BLACK));
            hi = f.mean + f.half;
        }
        pl_format_ci(f.mean, f.half, unit, buf, sizeof buf);
        pl_font(cr, PL_FONT_TICK, 1);
        pl_set_rgb(cr, pl_grey(0.05));
        pl_ellipsize(cr, buf, slot - 6, fit, sizeof fit);
        pl_text(cr, xm, pl_py(p, 1, hi) - 6, fit, 0.5, 1);
    }
}

static void variant_names(cairo_t *cr, const pl_panel *p, const json_t *vars)
{
    size_t n = json_array_size(vars);
    double slot = p->w / (double)n;
    char fit[128];
    pl_font(cr, PL_FONT_AXIS, 1);
    double lh = pl_line_height(cr);
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(vars, i);
        double xm = p->x + slot * ((double)i + 0.5);
        pl_font(cr, PL_FONT_AXIS, 1);
        pl_set_rgb(cr, pl_grey(0.05));
        pl_ellipsize(cr, pl_str(json_object_get(v, "name"), "?"), slot - 6, fit, sizeof fit);
        pl_text(cr, xm, p->y + p->h + 8, fit, 0.5, 0);
        int verdict = objectives_verdict(v);
        if (verdict < 0)
            continue;
        pl_font(cr, PL_FONT_TICK, 0);
        /* vermillion and bluish green: distinct for colour-blind readers, and the words say it */
        pl_set_rgb(cr, pl_palette(verdict ? PL_BLUISH_GREEN : PL_VERMILLION));
        pl_ellipsize(cr, verdict ? "objectives met" : "fails an objective", slot - 6, fit,
                     sizeof fit);
        pl_text(cr, xm, p->y + p->h + 8 + lh + 2, fit, 0.5, 0);
    }
}

int pl_draw_variants(pl_chart *c, base_err *err)
{
    const json_t *vars = json_object_get(c->doc, "variants");
    size_t n = json_array_size(vars);
    if (n == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "the comparison has no variants");
    char sub[256];
    json_int_t reps = json_integer_value(json_object_get(c->doc, "replications"));
    snprintf(sub, sizeof sub,
             "%lld replications per variant%s · bars: mean · error bars: 95%% "
             "confidence interval",
             (long long)reps,
             json_is_true(json_object_get(c->doc, "common_random_numbers"))
                 ? ", the same random traffic"
                 : "");
    pl_chart_begin(c, sub);
    double cmax = 0, lmax = 0, lmin = INFINITY;
    for (size_t i = 0; i < n; i++) {
        const json_t *figs = json_object_get(json_array_get(vars, i), "figures");
        pl_fig f;
        if (pl_fig_get(figs, "monthly_cost", &f))
            cmax = fmax(cmax, f.mean + (isfinite(f.half) ? f.half : 0));
        if (pl_fig_get(figs, "api_latency_p99", &f)) {
            lmax = fmax(lmax, f.mean + (isfinite(f.half) ? f.half : 0));
            if (f.mean > 0)
                lmin = fmin(lmin, f.mean);
        }
    }
    pl_panel p[2];
    memset(p, 0, sizeof p);
    for (int k = 0; k < 2; k++) {
        pl_axis_linear(&p[k].xa, 0, 1, 1, PL_COUNT);
        p[k].xa.nticks = 0;
    }
    pl_axis_linear(&p[0].ya, 0, fmax(cmax * 1.15, 1), 6, PL_USD);
    p[0].ytitle = cmax > 0 ? "monthly cost (USD)" : "monthly cost (no pricing file)";
    /* a variant that collapsed (p99 in seconds) next to ones at 100 ms: decades */
    if (lmax > 0 && isfinite(lmin) && lmax / lmin > 30)
        pl_axis_log(&p[1].ya, lmin / 2, lmax * 1.5, PL_MS);
    else
        pl_axis_linear(&p[1].ya, 0, fmax(lmax * 1.15, 1), 6, PL_MS);
    p[1].ytitle = p[1].ya.log ? "API latency p99 (log scale)" : "API latency p99";
    pl_font(c->cr, PL_FONT_AXIS, 1);
    double names_h = 2 * pl_line_height(c->cr) + 20;
    double mid = c->w / 2;
    pl_panels_place(c->cr, &p[0], 1, MARGIN, c->top + 10, mid - 20, c->h - 12 - names_h);
    pl_panels_place(c->cr, &p[1], 1, mid + 20, c->top + 10, c->w - MARGIN, c->h - 12 - names_h);
    for (int k = 0; k < 2; k++) {
        pl_panel_frame(c->cr, &p[k]);
        variant_names(c->cr, &p[k], vars);
    }
    variant_bars(c->cr, &p[0], vars, "monthly_cost", "USD");
    variant_bars(c->cr, &p[1], vars, "api_latency_p99", "ms");
    if (cmax <= 0)
        pl_note(c->cr, &p[0], "no cost figures");
    if (lmax <= 0)
        pl_note(c->cr, &p[1], "no latency figures");
    return pl_chart_done(c, BASE_OK, err);
}

/* ---------------------------------------------------------------- crossover (compare.json) */

int pl_has_sweep(const json_t *doc)
{
    const json_t *pts = json_object_get(json_object_get(doc, "sweep"), "points");
    return json_is_array(pts) && json_array_size(pts) > 0;
}

/* The sweep's range of loads (x) and the highest cost with its interval (y) over every point
 * and variant. */
static void sweep_extent(const json_t *pts, double *xlo, double *xhi, double *ymax)
{
    *xlo = INFINITY;
    *xhi = -INFINITY;
    *ymax = 0;
    for (size_t k = 0; k < json_array_size(pts); k++) {
        const json_t *pt = json_array_get(pts, k);
        double x = pl_num(json_object_get(pt, "peak_load"));
        if (isfinite(x)) {
            *xlo = fmin(*xlo, x);
            *xhi = fmax(*xhi, x);
        }
        const char *vname;
        const json_t *e;
        json_object_foreach((json_t *)json_object_get(pt, "variants"), vname, e)
        {
            double y = pl_num(json_object_get(e, "monthly_cost"));
            double h = pl_num(json_object_get(e, "monthly_cost_ci95_half_width"));
            if (isfinite(y))
                *ymax = fmax(*ymax, y + (isfinite(h) ? h : 0));
        }
    }
    if (!isfinite(*xlo)) {
        *xlo = 0;
        *xhi = 1;
    }
}

/* The legend: each variant's line, the two point marks, and the crossover line when there is
 * one. How many items. */
static size_t crossover_legend(const json_t *vars, int crossings, pl_legend_item *items, size_t max)
{
    size_t ni = 0;
    for (size_t i = 0; i < json_array_size(vars) && ni + 3 < max; i++)
        ni = add_item(items, ni, pl_str(json_object_get(json_array_get(vars, i), "name"), "?"),
                      pl_series_colour(i), PL_MARK_LINE);
    ni = add_item(items, ni, "objectives met", pl_grey(0.15), PL_MARK_DOT);
    ni = add_item(items, ni, "objectives failed", pl_grey(0.15), PL_MARK_OPEN);
    if (crossings)
        ni = add_item(items, ni, "costs cross", pl_grey(0.45), PL_MARK_DASH);
    return ni;
}

/* A dashed vertical line at each cost crossover, labelled with which variant is cheaper below
 * and above; drawn first, under the lines. */
static void crossover_lines(cairo_t *cr, const pl_panel *p, const json_t *cx)
{
    char buf[256], num[64];
    pl_font(cr, 13, 0);
    double lh = pl_line_height(cr) + 4;
    for (size_t j = 0; j < json_array_size(cx); j++) {
        const json_t *o = json_array_get(cx, j);
        double x = pl_num(json_object_get(o, "peak_load"));
        if (!isfinite(pl_axis_frac(&p->xa, x)))
            continue;
        double X = round(pl_px(p, x)) + 0.5;
        double d[2] = {6, 4};
        cairo_set_dash(cr, d, 2, 0);
        cairo_set_line_width(cr, 1.5);
        pl_set_rgb(cr, pl_grey(0.45));
        cairo_move_to(cr, X, p->y);
        cairo_line_to(cr, X, p->y + p->h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        pl_format(x, PL_COUNT, 0, num, sizeof num);
        snprintf(buf, sizeof buf, "%s: %s cheaper below, %s above", num,
                 pl_str(json_object_get(o, "cheaper_below"), "?"),
                 pl_str(json_object_get(o, "cheaper_above"), "?"));
        pl_font(cr, 13, 0);
        double tw = pl_text_width(cr, buf);
        double ty = p->y + 6 + (double)(j % 4) * lh;
        int left = X + 6 + tw > p->x + p->w; /* near the right edge: the label goes left */
        double tx = left ? X - 6 - tw : X + 6;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, tx - 3, ty - 2, tw + 6, lh);
        cairo_fill(cr);
        pl_set_rgb(cr, pl_grey(0.25));
        pl_text(cr, tx, ty, buf, 0, 0);
    }
}

/* A sweep point's mark: a filled dot where the variant met the objectives, an open diamond
 * where it failed them. */
static void sweep_mark(cairo_t *cr, double X, double Y, int failed, pl_rgb col)
{
    if (failed) {
        cairo_move_to(cr, X, Y - 8);
        cairo_line_to(cr, X + 8, Y);
        cairo_line_to(cr, X, Y + 8);
        cairo_line_to(cr, X - 8, Y);
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        pl_set_rgb(cr, col);
        cairo_set_line_width(cr, 2.5);
        cairo_stroke(cr);
    } else {
        pl_set_rgb(cr, col);
        cairo_arc(cr, X, Y, 5.5, 0, 2 * 3.14159265358979323846);
        cairo_fill(cr);
    }
}

/* Variant i's line across the sweep, with its error bars and point marks; xs and ys are room
 * for the sweep's points. */
static int sweep_line(cairo_t *cr, const pl_panel *p, const json_t *pts, const json_t *vars,
                      size_t i, double *xs, double *ys)
{
    size_t np = json_array_size(pts);
    const char *vname = pl_str(json_object_get(json_array_get(vars, i), "name"), "");
    pl_rgb col = pl_series_colour(i);
    for (size_t k = 0; k < np; k++) {
        const json_t *pt = json_array_get(pts, k);
        const json_t *e = json_object_get(json_object_get(pt, "variants"), vname);
        xs[k] = pl_num(json_object_get(pt, "peak_load"));
        ys[k] = pl_num(json_object_get(e, "monthly_cost"));
    }
    int st = pl_line(cr, p, 1, xs, ys, np, col, 2.5, 0);
    for (size_t k = 0; k < np; k++) {
        const json_t *pt = json_array_get(pts, k);
        const json_t *e = json_object_get(json_object_get(pt, "variants"), vname);
        double X = pl_px(p, xs[k]), Y = pl_py(p, 1, ys[k]);
        if (!isfinite(X) || !isfinite(Y))
            continue;
        double h = pl_num(json_object_get(e, "monthly_cost_ci95_half_width"));
        if (isfinite(h) && h > 0)
            pl_errorbar(cr, X, pl_py(p, 1, ys[k] - h), pl_py(p, 1, ys[k] + h), 5, col);
        sweep_mark(cr, X, Y, json_is_false(json_object_get(e, "objectives_met")), col);
    }
    return st;
}

int pl_draw_crossover(pl_chart *c, base_err *err)
{
    const json_t *sweep = json_object_get(c->doc, "sweep");
    const json_t *pts = json_object_get(sweep, "points");
    const json_t *vars = json_object_get(c->doc, "variants");
    size_t np = json_array_size(pts), nv = json_array_size(vars);
    if (np == 0 || nv == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the comparison has no sweep (`sweep.points`), so there is no "
                            "'crossover' chart");
    double *xs = malloc(np * 2 * sizeof *xs);
    if (!xs)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    double xlo, xhi, ymax;
    sweep_extent(pts, &xlo, &xhi, &ymax);
    char sub[256];
    json_int_t reps = json_integer_value(json_object_get(c->doc, "replications"));
    snprintf(sub, sizeof sub,
             "every variant at each point of the sweep, %lld replications each · error bars: 95%% "
             "confidence interval",
             (long long)reps);
    pl_chart_begin(c, sub);
    const json_t *cx = json_object_get(sweep, "cost_crossovers");
    pl_legend_item items[PL_NPALETTE * 4 + 4];
    pl_panel p;
    memset(&p, 0, sizeof p);
    pl_axis_linear(&p.xa, xlo, xhi, 8, PL_COUNT);
    pl_axis_linear(&p.ya, 0, fmax(ymax * 1.08, 1), 6, PL_USD);
    p.ytitle = "monthly cost (USD)";
    p.xlabels = 1;
    /* the unit compare.json gives its sweep in; an older one without it: both, as before */
    const char *unit = pl_str(json_object_get(c->doc, "load_unit"), NULL);
    p.xtitle = !unit ? "peak load of the point (concurrent users; req/s when the phases give rates)"
               : strcmp(unit, "users") == 0 ? "peak concurrent users at the point of the sweep"
                                            : "peak requests per second at the point of the sweep";
    p.legend = items;
    p.nlegend = crossover_legend(vars, json_array_size(cx) > 0, items, PL_NPALETTE * 4 + 3);
    pl_panels_place(c->cr, &p, 1, MARGIN, c->top, c->w - MARGIN, c->h - 12);
    pl_panel_frame(c->cr, &p);
    crossover_lines(c->cr, &p, cx);
    int st = BASE_OK;
    for (size_t i = 0; i < nv && st == BASE_OK; i++)
        st = sweep_line(c->cr, &p, pts, vars, i, xs, xs + np);
    free(xs);
    return pl_chart_done(c, st, err);
}
