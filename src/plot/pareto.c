/*
 * pareto.c — `kind: pareto` (plots/pareto.yaml, docs/charts.md): a plan's Pareto frontier
 * (plan.json's `pareto`, docs/plan.md) — monthly cost against the API's p99 and, when the plan
 * has failures to survive, against the first failure's RTO: the configurations simulated that no
 * other beats on both, joined as the staircase a trade-off walks along, the winner ringed.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MARGIN 24.0

/* The frontier's points, in plan.json's order (by cost). */
#define PARETO_MAX 4096

/* 1 when the two configurations (objects of knob: value) are the same. */
static int same_configuration(const json_t *a, const json_t *b)
{
    return a && b && json_equal((json_t *)a, (json_t *)b);
}

/* Where frontier point e is drawn: 0 when it cannot be. */
static int place(const pl_panel *p, const json_t *e, const char *key, double scale, double *X,
                 double *Y)
{
    *X = pl_px(p, pl_num(json_object_get(e, key)) * scale);
    *Y = pl_py(p, 1, pl_num(json_object_get(e, "monthly_cost")));
    return isfinite(*X) && isfinite(*Y);
}

/* One frontier in the box [x0, x1] x [y0, y1]: cost up, the figure `key` (unit `unit`) across. */
static int frontier_panel(cairo_t *cr, const json_t *doc, const char *which, const char *key,
                          pl_unit unit, double scale, const char *xtitle, double x0, double y0,
                          double x1, double y1)
{
    const json_t *pts = json_object_get(json_object_get(doc, "pareto"), which);
    const json_t *win = json_object_get(json_object_get(doc, "winner"), "configuration");
    size_t n = json_array_size(pts);
    if (n > PARETO_MAX)
        n = PARETO_MAX;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(pts, i);
        double x = pl_num(json_object_get(e, key)) * scale,
               y = pl_num(json_object_get(e, "monthly_cost"));
        if (!isfinite(x) || !isfinite(y))
            continue;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        ylo = fmin(ylo, y);
        yhi = fmax(yhi, y);
    }
    /* the winner is drawn even when it is off the frontier: its figures are the finalists'
     * (more replications, perhaps the request engine), the frontier's the screening's */
    const json_t *wf = json_object_get(json_object_get(doc, "winner"), "figures");
    double wx = pl_num(json_object_get(json_object_get(wf, key), "mean")) * scale,
           wy = pl_num(json_object_get(json_object_get(wf, "monthly_cost"), "mean"));
    int win_on = 0;
    for (size_t i = 0; i < n && !win_on; i++)
        win_on = same_configuration(json_object_get(json_array_get(pts, i), "configuration"), win);
    int win_off = win && !win_on && isfinite(wx) && isfinite(wy);
    if (win_off) {
        xlo = fmin(xlo, wx);
        xhi = fmax(xhi, wx);
        ylo = fmin(ylo, wy);
        yhi = fmax(yhi, wy);
    }
    static const pl_legend_item items[] = {
        {"the frontier", {0.0, 0.447, 0.698}, PL_MARK_LINE},
        {"feasible at 95%", {0.0, 0.447, 0.698}, PL_MARK_DOT},
        /* screened out, dominated or undecided: the long form was cut at a half-page width */
        {"not decided feasible", {0.0, 0.447, 0.698}, PL_MARK_OPEN},
        {"the winner", {0.835, 0.369, 0.0}, PL_MARK_DOT},
    };
    pl_panel p;
    memset(&p, 0, sizeof p);
    if (!isfinite(xlo)) {
        xlo = 0;
        xhi = 1;
        ylo = 0;
        yhi = 1;
    }
    /* a margin of a tenth of the span each side (a single point: of its value), so no point
     * sits on a frame */
    double dx = xhi > xlo ? (xhi - xlo) / 10 : fmax(fabs(xhi) / 10, 1);
    double dy = yhi > ylo ? (yhi - ylo) / 10 : fmax(fabs(yhi) / 100, 1);
    pl_axis_linear(&p.xa, fmax(xlo - dx, 0), xhi + dx, 6, unit);
    pl_axis_linear(&p.ya, fmax(ylo - dy, 0), yhi + dy, 6, PL_USD);
    p.ytitle = "monthly cost (USD)";
    p.xtitle = xtitle;
    p.xlabels = 1;
    p.legend = items;
    p.nlegend = sizeof items / sizeof items[0];
    pl_panels_place(cr, &p, 1, x0, y0, x1, y1);
    pl_panel_frame(cr, &p);
    pl_rgb blue = pl_palette(PL_BLUE), red = pl_palette(PL_VERMILLION);
    if (win_off) {
        double X = pl_px(&p, wx), Y = pl_py(&p, 1, wy);
        pl_legend_item it = {NULL, red, PL_MARK_DOT};
        pl_swatch(cr, &it, X - 15, Y);
        pl_set_rgb(cr, red);
        cairo_set_line_width(cr, 2.0);
        cairo_arc(cr, X, Y, 10, 0, 2 * 3.14159265358979323846);
        cairo_stroke(cr);
        pl_font(cr, 13, 1);
        /* right-aligned to its left: the winner off the frontier is often the slowest point */
        pl_text(cr, X - 13, Y - 12, "winner (finalists' figures, not screened)", 1, 1);
    }
    if (n == 0) {
        pl_note(cr, &p, "no configuration on this frontier");
        return BASE_OK;
    }
    /* the staircase: from each point across to the next one's latency at its own cost, then up
     * to the next one's cost (cheaper is slower: what the next dollar buys) */
    pl_clip(cr, &p);
    pl_set_rgb(cr, blue);
    cairo_set_line_width(cr, 2.0);
    int started = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(pts, i);
        double X, Y;
        if (!place(&p, e, key, scale, &X, &Y))
            continue;
        if (!started) {
            cairo_move_to(cr, X, Y);
            started = 1;
        } else {
            double cx, cy;
            cairo_get_current_point(cr, &cx, &cy);
            cairo_line_to(cr, cx, Y);
            cairo_line_to(cr, X, Y);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(pts, i);
        double X, Y;
        if (!place(&p, e, key, scale, &X, &Y))
            continue;
        int is_win = same_configuration(json_object_get(e, "configuration"), win);
        int feasible = !strcmp(pl_str(json_object_get(e, "status"), ""), "feasible");
        pl_legend_item it = {NULL, is_win ? red : blue,
                             feasible || is_win ? PL_MARK_DOT : PL_MARK_OPEN};
        pl_swatch(cr, &it, X - 15, Y);
        if (is_win) {
            pl_set_rgb(cr, red);
            cairo_set_line_width(cr, 2.0);
            cairo_arc(cr, X, Y, 10, 0, 2 * 3.14159265358979323846);
            cairo_stroke(cr);
            pl_font(cr, 13, 1);
            pl_text(cr, X + 13, Y - 4, "winner", 0, 1);
        }
    }
    return BASE_OK;
}

int pl_has_rto_frontier(const json_t *doc)
{
    return json_array_size(json_object_get(json_object_get(doc, "pareto"), "cost_vs_rto")) > 0;
}

int pl_draw_pareto(pl_chart *c, base_err *err)
{
    const json_t *doc = c->doc;
    const json_t *s = json_object_get(doc, "search");
    char sub[512];
    snprintf(
        sub, sizeof sub,
        "%s engine, seed %s · the configurations simulated that no other beats on both "
        "cost and the figure (%lld of %lld simulated, %lld in the space)",
        pl_str(json_object_get(doc, "engine"), "?"), pl_str(json_object_get(doc, "seed"), "?"),
        (long long)json_array_size(json_object_get(json_object_get(doc, "pareto"), "cost_vs_p99")),
        (long long)json_integer_value(json_object_get(s, "simulated")),
        (long long)json_integer_value(json_object_get(s, "space")));
    pl_chart_begin(c, sub);
    double y0 = c->top, y1 = c->h - 12;
    int st;
    if (pl_has_rto_frontier(doc)) {
        double mid = c->w / 2;
        st = frontier_panel(c->cr, doc, "cost_vs_p99", "api_latency_p99", PL_MS, 1,
                            "API latency p99 (the scenario's run)", MARGIN, y0, mid - MARGIN, y1);
        if (st == BASE_OK)
            st = frontier_panel(c->cr, doc, "cost_vs_rto", "rto", PL_MS, 1000,
                                "RTO of the first failure to survive", mid + MARGIN, y0,
                                c->w - MARGIN, y1);
    } else {
        st = frontier_panel(c->cr, doc, "cost_vs_p99", "api_latency_p99", PL_MS, 1,
                            "API latency p99", MARGIN, y0, c->w - MARGIN, y1);
    }
    return pl_chart_done(c, st, err);
}
