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

/* The data's extent: x (the figure `key` times `scale`) and y (the monthly cost). */
typedef struct extent {
    double xlo, xhi, ylo, yhi;
} extent;

static void extent_add(extent *e, double x, double y)
{
    e->xlo = fmin(e->xlo, x);
    e->xhi = fmax(e->xhi, x);
    e->ylo = fmin(e->ylo, y);
    e->yhi = fmax(e->yhi, y);
}

/* One frontier panel's points and the winner, as frontier_panel draws them. */
typedef struct frontier {
    const json_t *pts; /* the frontier's points, by cost */
    size_t n;
    const json_t *win; /* the winner's configuration, or NULL */
    const char *key;   /* the figure across */
    double scale;      /* its factor to the axis' unit */
    double wx, wy;     /* the winner's figures (the finalists') */
    int win_off;       /* 1: the winner is not one of the points, drawn on its own */
} frontier;

/* The points' extent, and the winner's when it is drawn off the frontier: its figures are the
 * finalists' (more replications, perhaps the request engine), the frontier's the screening's. */
static extent frontier_extent(frontier *f, const json_t *doc)
{
    extent e = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    for (size_t i = 0; i < f->n; i++) {
        const json_t *pt = json_array_get(f->pts, i);
        double x = pl_num(json_object_get(pt, f->key)) * f->scale,
               y = pl_num(json_object_get(pt, "monthly_cost"));
        if (isfinite(x) && isfinite(y))
            extent_add(&e, x, y);
    }
    const json_t *wf = json_object_get(json_object_get(doc, "winner"), "figures");
    f->wx = pl_num(json_object_get(json_object_get(wf, f->key), "mean")) * f->scale;
    f->wy = pl_num(json_object_get(json_object_get(wf, "monthly_cost"), "mean"));
    int win_on = 0;
    for (size_t i = 0; i < f->n && !win_on; i++)
        win_on =
            same_configuration(json_object_get(json_array_get(f->pts, i), "configuration"), f->win);
    f->win_off = f->win && !win_on && isfinite(f->wx) && isfinite(f->wy);
    if (f->win_off)
        extent_add(&e, f->wx, f->wy);
    if (!isfinite(e.xlo))
        e = (extent){0, 1, 0, 1};
    return e;
}

/* The panel's axes over the extent, placed in the box [x0, x1] x [y0, y1], its frame drawn. */
static void frontier_frame(cairo_t *cr, pl_panel *p, extent e, pl_unit unit, const char *xtitle,
                           double x0, double y0, double x1, double y1)
{
    static const pl_legend_item items[] = {
        {"the frontier", {0.0, 0.447, 0.698}, PL_MARK_LINE},
        {"feasible at 95%", {0.0, 0.447, 0.698}, PL_MARK_DOT},
        /* screened out, dominated or undecided: the long form was cut at a half-page width */
        {"not decided feasible", {0.0, 0.447, 0.698}, PL_MARK_OPEN},
        {"the winner", {0.835, 0.369, 0.0}, PL_MARK_DOT},
    };
    memset(p, 0, sizeof *p);
    /* a margin of a tenth of the span each side (a single point: of its value), so no point
     * sits on a frame */
    double dx = e.xhi > e.xlo ? (e.xhi - e.xlo) / 10 : fmax(fabs(e.xhi) / 10, 1);
    double dy = e.yhi > e.ylo ? (e.yhi - e.ylo) / 10 : fmax(fabs(e.yhi) / 100, 1);
    pl_axis_linear(&p->xa, fmax(e.xlo - dx, 0), e.xhi + dx, 6, unit);
    pl_axis_linear(&p->ya, fmax(e.ylo - dy, 0), e.yhi + dy, 6, PL_USD);
    p->ytitle = "monthly cost (USD)";
    p->xtitle = xtitle;
    p->xlabels = 1;
    p->legend = items;
    p->nlegend = sizeof items / sizeof items[0];
    pl_panels_place(cr, p, 1, x0, y0, x1, y1);
    pl_panel_frame(cr, p);
}

/* The winner's ring (vermillion, 10 units across) at (X, Y). */
static void winner_ring(cairo_t *cr, double X, double Y)
{
    pl_set_rgb(cr, pl_palette(PL_VERMILLION));
    cairo_set_line_width(cr, 2.0);
    cairo_arc(cr, X, Y, 10, 0, 2 * 3.14159265358979323846);
    cairo_stroke(cr);
    pl_font(cr, 13, 1);
}

/* The winner off the frontier: its dot, its ring and what its figures are. */
static void draw_winner_off(cairo_t *cr, const pl_panel *p, const frontier *f)
{
    double X = pl_px(p, f->wx), Y = pl_py(p, 1, f->wy);
    pl_legend_item it = {NULL, pl_palette(PL_VERMILLION), PL_MARK_DOT};
    pl_swatch(cr, &it, X - 15, Y);
    winner_ring(cr, X, Y);
    /* right-aligned to its left: the winner off the frontier is often the slowest point; to its
     * right when the left has no room (it would cover the cost axis' labels) */
    const char *label = "winner (finalists' figures, not screened)";
    double tw = pl_text_width(cr, label);
    if (X - 13 - tw < p->x && X + 13 + tw <= p->x + p->w)
        pl_text(cr, X + 13, Y - 12, label, 0, 1);
    else
        pl_text(cr, fmax(X - 13, p->x + tw), Y - 12, label, 1, 1);
}

/* The staircase: from each point across to the next one's figure at its own cost, then up to
 * the next one's cost (cheaper is slower: what the next dollar buys). */
static void draw_staircase(cairo_t *cr, const pl_panel *p, const frontier *f)
{
    pl_clip(cr, p);
    pl_set_rgb(cr, pl_palette(PL_BLUE));
    cairo_set_line_width(cr, 2.0);
    int started = 0;
    for (size_t i = 0; i < f->n; i++) {
        double X, Y;
        if (!place(p, json_array_get(f->pts, i), f->key, f->scale, &X, &Y))
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
}

/* Each point: filled when feasible, open otherwise; the winner vermillion, ringed, named. */
static void draw_points(cairo_t *cr, const pl_panel *p, const frontier *f)
{
    pl_rgb blue = pl_palette(PL_BLUE), red = pl_palette(PL_VERMILLION);
    for (size_t i = 0; i < f->n; i++) {
        const json_t *e = json_array_get(f->pts, i);
        double X, Y;
        if (!place(p, e, f->key, f->scale, &X, &Y))
            continue;
        int is_win = same_configuration(json_object_get(e, "configuration"), f->win);
        int feasible = !strcmp(pl_str(json_object_get(e, "status"), ""), "feasible");
        pl_legend_item it = {NULL, is_win ? red : blue,
                             feasible || is_win ? PL_MARK_DOT : PL_MARK_OPEN};
        pl_swatch(cr, &it, X - 15, Y);
        if (is_win) {
            winner_ring(cr, X, Y);
            pl_text(cr, X + 13, Y - 4, "winner", 0, 1);
        }
    }
}

/* One frontier in the box [x0, x1] x [y0, y1]: cost up, the figure `key` (unit `unit`) across. */
static int frontier_panel(cairo_t *cr, const json_t *doc, const char *which, const char *key,
                          pl_unit unit, double scale, const char *xtitle, double x0, double y0,
                          double x1, double y1)
{
    frontier f = {.pts = json_object_get(json_object_get(doc, "pareto"), which),
                  .win = json_object_get(json_object_get(doc, "winner"), "configuration"),
                  .key = key,
                  .scale = scale};
    f.n = json_array_size(f.pts);
    if (f.n > PARETO_MAX)
        f.n = PARETO_MAX;
    extent e = frontier_extent(&f, doc);
    pl_panel p;
    frontier_frame(cr, &p, e, unit, xtitle, x0, y0, x1, y1);
    if (f.win_off)
        draw_winner_off(cr, &p, &f);
    if (f.n == 0) {
        pl_note(cr, &p, "no configuration on this frontier");
        return BASE_OK;
    }
    draw_staircase(cr, &p, &f);
    draw_points(cr, &p, &f);
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
