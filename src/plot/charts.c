/*
 * charts.c — the charts themselves: which exist, which apply to a document, and how each is
 * laid out from the primitives of draw.c.
 *
 * A run's report.json gives five: latency, capacity, errors, database and cost; a comparison's
 * compare.json gives variants and, with a sweep, crossover. A chart that needs what the
 * document lacks (a time series, a database, cost figures, a sweep) is not offered, and asking
 * for it says why. What each chart shows and how to read it is in docs/charts.md.
 *
 * Every time chart shades the warm-up (not measured: its requests are in no figure) so a reader
 * does not take the start-up transient for the result.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a chart draws from: its document, the box, and the title block already drawn. */
typedef struct chart {
    cairo_t *cr;
    double w, h;
    const json_t *doc;
    const char *name;
    const char *what; /* the title's second half */
    double top;       /* y under the title block */
} chart;

typedef int (*draw_fn)(chart *c, base_err *err);
typedef int (*applies_fn)(const json_t *doc);

typedef struct chart_def {
    const char *name;
    plot_doc_kind kind;
    const char *what; /* the title's second half */
    const char *describe;
    applies_fn applies;
    draw_fn draw;
} chart_def;

#define MARGIN 24.0

/* ---------------------------------------------------------------- shared */

static void report_subtitle(const json_t *doc, const char *extra, char *buf, size_t n)
{
    const char *engine = pl_str(json_object_get(doc, "engine"), "?");
    json_int_t reps = json_integer_value(json_object_get(doc, "replications"));
    const char *seed = pl_str(json_object_get(doc, "seed"), "?");
    snprintf(buf, n, "%s engine, mean of %lld replication%s, seed %s%s%s", engine, (long long)reps,
             reps == 1 ? "" : "s", seed, extra ? " · " : "", extra ? extra : "");
}

static void begin(chart *c, const char *subtitle)
{
    char name[256], title[512], sub[768];
    pl_doc_name(c->doc, name, sizeof name);
    snprintf(title, sizeof title, "%s — %s", name, c->what);
    /* a run's chart says what it averages; a comparison's subtitle says it itself */
    if (plot_doc_kind_of(c->doc) == PLOT_DOC_REPORT) {
        report_subtitle(c->doc, subtitle, sub, sizeof sub);
        subtitle = sub;
    }
    c->top = pl_chart_head(c->cr, c->w, c->h, title, subtitle);
}

/* The largest finite value of a column (0 when it has none). */
static double col_max(const pl_series *s, const double *col)
{
    double m = 0;
    for (size_t r = 0; col && r < s->nrows; r++)
        if (isfinite(col[r]) && col[r] > m)
            m = col[r];
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of a column's positive values (NaN when none; -1 on out of memory). */
static double col_median_pos(const pl_series *s, const double *col)
{
    if (!col)
        return NAN;
    double *v = malloc(s->nrows * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t r = 0; r < s->nrows; r++)
        if (isfinite(col[r]) && col[r] > 0)
            v[k++] = col[r];
    double med = NAN;
    if (k > 0) {
        qsort(v, k, sizeof *v, cmp_double);
        med = v[k / 2];
    }
    free(v);
    return med;
}

static void time_panel(pl_panel *p, const pl_series *s)
{
    memset(p, 0, sizeof *p);
    pl_axis_time(&p->xa, s->t_end);
}

static void warmup_band(cairo_t *cr, const pl_panel *p, const pl_series *s)
{
    if (s->warmup > 0)
        pl_band(cr, p, 0, s->warmup, "warm-up");
}

static size_t add_item(pl_legend_item *it, size_t n, const char *label, pl_rgb c, pl_mark m)
{
    it[n].label = label;
    it[n].colour = c;
    it[n].mark = m;
    return n + 1;
}

static int done(chart *c, int st, base_err *err)
{
    if (st == BASE_ENOMEM)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory drawing '%s'", c->name);
    if (st != BASE_OK || cairo_status(c->cr) != CAIRO_STATUS_SUCCESS)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "cairo failed drawing '%s': %s",
                            c->name, cairo_status_to_string(cairo_status(c->cr)));
    return BASE_OK;
}

/* ---------------------------------------------------------------- latency */

static int draw_latency(chart *c, base_err *err)
{
    pl_series s;
    int st = pl_series_load(c->doc, c->name, &s, err);
    if (st != BASE_OK)
        return st;
    static const char *const cols[3] = {"api_latency_p50_ms", "api_latency_p95_ms",
                                        "api_latency_p99_ms"};
    static const char *const labels[3] = {"p50", "p95", "p99"};
    static const int colours[3] = {PL_BLUE, PL_ORANGE, PL_VERMILLION};
    const double *lat[3];
    double mx = 0, mnpos = INFINITY;
    int any = 0;
    for (int i = 0; i < 3; i++) {
        lat[i] = pl_col(&s, cols[i]);
        for (size_t r = 0; lat[i] && r < s.nrows; r++)
            if (isfinite(lat[i][r]) && lat[i][r] > 0) {
                mx = fmax(mx, lat[i][r]);
                mnpos = fmin(mnpos, lat[i][r]);
                any = 1;
            }
    }
    /* a linear axis unless a spike would flatten the rest: then decades, so both read */
    double med = col_median_pos(&s, lat[2] ? lat[2] : lat[1]);
    if (med < 0) {
        pl_series_free(&s);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int log_axis = any && isfinite(med) && mx > 20 * med;
    const double *load = pl_col(&s, "arrivals_per_s");

    begin(c, log_axis ? "API requests answered in each interval; latency on a log scale"
                      : "API requests answered in each interval");
    pl_legend_item items[8];
    size_t ni = 0;
    for (int i = 0; i < 3; i++)
        if (lat[i])
            ni = add_item(items, ni, labels[i], pl_palette(colours[i]), PL_MARK_LINE);
    if (load)
        ni = add_item(items, ni, "load (right axis)", pl_palette(PL_SKY_BLUE), PL_MARK_AREA_LINE);
    if (s.warmup > 0)
        ni = add_item(items, ni, "warm-up (not measured)", pl_grey(0.9), PL_MARK_BAND);

    pl_panel p;
    time_panel(&p, &s);
    if (log_axis)
        pl_axis_log(&p.ya, fmax(mnpos, mx / 1e6), mx, PL_MS);
    else
        pl_axis_linear(&p.ya, 0, any ? mx * 1.05 : 1, 6, PL_MS);
    p.ytitle = log_axis ? "API latency (log scale)" : "API latency";
    if (load) {
        p.has_ya2 = 1;
        pl_axis_linear(&p.ya2, 0, fmax(col_max(&s, load) * 1.05, 1), 6, PL_COUNT);
        p.ya2title = "load: requests arriving (req/s)";
    }
    p.xlabels = 1;
    p.xtitle = pl_time_title(&p.xa);
    p.legend = items;
    p.nlegend = ni;
    pl_panels_place(c->cr, &p, 1, MARGIN, c->top, c->w - MARGIN, c->h - 12);
    warmup_band(c->cr, &p, &s);
    pl_panel_frame(c->cr, &p);
    if (load)
        st = pl_area(c->cr, &p, 2, s.x_rate, load, s.nrows, pl_palette(PL_SKY_BLUE), 0.22);
    if (st == BASE_OK && load)
        st = pl_line(c->cr, &p, 2, s.x_rate, load, s.nrows, pl_palette(PL_SKY_BLUE), 1.5, 0);
    for (int i = 0; i < 3 && st == BASE_OK; i++)
        if (lat[i])
            st = pl_line(c->cr, &p, 1, s.x_rate, lat[i], s.nrows, pl_palette(colours[i]), 2.2, 0);
    if (!any && st == BASE_OK)
        pl_note(c->cr, &p, "no latency columns in this report");
    pl_series_free(&s);
    return done(c, st, err);
}

/* ---------------------------------------------------------------- capacity */

static int draw_capacity(chart *c, base_err *err)
{
    pl_series s;
    int st = pl_series_load(c->doc, c->name, &s, err);
    if (st != BASE_OK)
        return st;
    static const struct {
        const char *col, *label;
        int colour;
        double dash;
    } pods[] = {
        {"pods_ready", "Ready", PL_BLUE, 0},
        {"pods_desired", "desired by the HPA", PL_BLACK, 7},
        {"pods_starting", "starting", PL_ORANGE, 0},
        {"pods_pending", "pending (no node)", PL_VERMILLION, 0},
    };
    static const struct {
        const char *col, *label;
        int colour;
    } nodes[] = {
        {"nodes_spot_arm64", "Spot arm64", PL_BLUISH_GREEN},
        {"nodes_spot_amd64", "Spot amd64", PL_SKY_BLUE},
        {"nodes_on_demand_arm64", "On-Demand arm64", PL_ORANGE},
        {"nodes_on_demand_amd64", "On-Demand amd64", PL_REDDISH_PURPLE},
    };
    enum { NP = sizeof pods / sizeof pods[0], NN = sizeof nodes / sizeof nodes[0] };
    const double *pc[NP];
    pl_legend_item pod_items[NP + 1], node_items[NN + 1];
    size_t npi = 0, nni = 0;
    double pmax = 0;
    for (size_t i = 0; i < NP; i++) {
        pc[i] = pl_col(&s, pods[i].col);
        if (pc[i]) {
            pmax = fmax(pmax, col_max(&s, pc[i]));
            npi = add_item(pod_items, npi, pods[i].label, pl_palette(pods[i].colour),
                           pods[i].dash > 0 ? PL_MARK_DASH : PL_MARK_LINE);
        }
    }
    /* node layers: only the capacity types the run used (a zero layer is no information) */
    const double *layers[NN];
    pl_rgb lcol[NN];
    size_t nl = 0;
    for (size_t i = 0; i < NN; i++) {
        const double *col = pl_col(&s, nodes[i].col);
        if (!pl_col_nonzero(&s, col))
            continue;
        layers[nl] = col;
        lcol[nl] = pl_palette(nodes[i].colour);
        nni = add_item(node_items, nni, nodes[i].label, lcol[nl], PL_MARK_AREA);
        nl++;
    }
    double nmax = 0;
    for (size_t r = 0; r < s.nrows; r++) {
        double sum = 0;
        for (size_t j = 0; j < nl; j++)
            sum += isfinite(layers[j][r]) ? layers[j][r] : 0;
        nmax = fmax(nmax, sum);
    }
    if (s.warmup > 0) {
        npi = add_item(pod_items, npi, "warm-up (not measured)", pl_grey(0.9), PL_MARK_BAND);
    }

    begin(c, "Karpenter's nodes by capacity type and architecture");
    pl_panel p[2];
    time_panel(&p[0], &s);
    time_panel(&p[1], &s);
    pl_axis_linear(&p[0].ya, 0, fmax(pmax * 1.05, 1), 5, PL_COUNT);
    pl_axis_linear(&p[1].ya, 0, fmax(nmax * 1.05, 1), 5, PL_COUNT);
    p[0].ytitle = "API pods";
    p[1].ytitle = "nodes";
    p[0].legend = pod_items;
    p[0].nlegend = npi;
    p[1].legend = node_items;
    p[1].nlegend = nni;
    p[1].xlabels = 1;
    p[1].xtitle = pl_time_title(&p[1].xa);
    pl_panels_place(c->cr, p, 2, MARGIN, c->top, c->w - MARGIN, c->h - 12);
    for (int k = 0; k < 2; k++) {
        warmup_band(c->cr, &p[k], &s);
        pl_panel_frame(c->cr, &p[k]);
    }
    for (size_t i = 0; i < NP && st == BASE_OK; i++)
        if (pc[i])
            st = pl_line(c->cr, &p[0], 1, s.x_gauge, pc[i], s.nrows, pl_palette(pods[i].colour),
                         i == 0 ? 2.6 : 2, pods[i].dash);
    if (st == BASE_OK && nl > 0)
        st = pl_stack(c->cr, &p[1], s.x_gauge, layers, nl, s.nrows, lcol, NULL);
    if (st == BASE_OK && nl == 0)
        pl_note(c->cr, &p[1], "no Karpenter nodes in this run");
    if (st == BASE_OK && npi == 0)
        pl_note(c->cr, &p[0], "no pod columns in this report");
    pl_series_free(&s);
    return done(c, st, err);
}

/* ---------------------------------------------------------------- errors */

/* The label of an error cause's column: its cause and the status the client saw. */
static const char *cause_label(const char *col)
{
    static const struct {
        const char *col, *label;
    } causes[] = {
        {"errors_backlog_full_per_s", "backlog full (502)"},
        {"errors_worker_timeout_per_s", "worker timeout (502)"},
        {"errors_alb_timeout_per_s", "ALB idle timeout (504)"},
        {"errors_no_target_per_s", "no target (503)"},
        {"errors_pod_terminated_per_s", "pod terminated (502)"},
        {"errors_oom_killed_per_s", "OOM-killed (502)"},
        {"errors_target_down_per_s", "target down (502)"},
        {"errors_db_connections_per_s", "too many DB connections (500)"},
        {"errors_pool_timeout_per_s", "PgBouncer wait timeout (500)"},
        {"errors_client_refused_per_s", "PgBouncer refused client (500)"},
        {"errors_db_failover_per_s", "database failover (500)"},
    };
    for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++)
        if (strcmp(causes[i].col, col) == 0)
            return causes[i].label;
    return NULL;
}

#define MAX_CAUSES 32

static int draw_errors(chart *c, base_err *err)
{
    pl_series s;
    int st = pl_series_load(c->doc, c->name, &s, err);
    if (st != BASE_OK)
        return st;
    const double *layers[MAX_CAUSES];
    pl_rgb colours[MAX_CAUSES];
    int hatched[MAX_CAUSES];
    pl_legend_item items[MAX_CAUSES + 1];
    char unknown[MAX_CAUSES][64];
    size_t nl = 0, ncause_cols = 0;
    for (size_t ci = 0; ci < s.ncols && nl < MAX_CAUSES; ci++) {
        const char *name = s.names[ci];
        size_t len = strlen(name);
        if (strncmp(name, "errors_", 7) != 0 || len < 13 || strcmp(name + len - 6, "_per_s") != 0 ||
            strcmp(name, "errors_per_s") == 0)
            continue;
        ncause_cols++;
        const double *col = s.v + ci * s.nrows;
        if (!pl_col_nonzero(&s, col))
            continue; /* a cause that never happened: not in the legend */
        const char *label = cause_label(name);
        if (!label) { /* a cause added after this chart: its name, readable */
            snprintf(unknown[nl], sizeof unknown[nl], "%.*s", (int)(len - 13), name + 7);
            for (char *q = unknown[nl]; *q; q++)
                if (*q == '_')
                    *q = ' ';
            label = unknown[nl];
        }
        /* the series order with black last: a black area would hide everything drawn over it */
        static const int area_order[PL_NPALETTE] = {PL_BLUE,       PL_ORANGE,   PL_BLUISH_GREEN,
                                                    PL_VERMILLION, PL_SKY_BLUE, PL_REDDISH_PURPLE,
                                                    PL_YELLOW,     PL_BLACK};
        layers[nl] = col;
        colours[nl] = pl_palette(area_order[nl % PL_NPALETTE]);
        hatched[nl] = nl >= PL_NPALETTE;
        items[nl].label = label;
        items[nl].colour = colours[nl];
        items[nl].mark = hatched[nl] ? PL_MARK_AREA_HATCHED : PL_MARK_AREA;
        nl++;
    }
    /* an old report with only the total */
    const double *total = pl_col(&s, "errors_per_s");
    if (ncause_cols == 0 && pl_col_nonzero(&s, total)) {
        layers[0] = total;
        colours[0] = pl_palette(PL_VERMILLION);
        hatched[0] = 0;
        items[0].label = "all causes";
        items[0].colour = colours[0];
        items[0].mark = PL_MARK_AREA;
        nl = 1;
    }
    size_t ni = nl;
    if (s.warmup > 0) {
        items[ni].label = "warm-up (not measured)";
        items[ni].colour = pl_grey(0.9);
        items[ni].mark = PL_MARK_BAND;
        ni++;
    }
    double mx = 0;
    for (size_t r = 0; r < s.nrows; r++) {
        double sum = 0;
        for (size_t j = 0; j < nl; j++)
            sum += isfinite(layers[j][r]) && layers[j][r] > 0 ? layers[j][r] : 0;
        mx = fmax(mx, sum);
    }
    begin(c, "stacked by cause, the HTTP status the client saw in brackets");
    pl_panel p;
    time_panel(&p, &s);
    pl_axis_linear(&p.ya, 0, nl ? mx * 1.05 : 1, 6, PL_COUNT);
    p.ytitle = "failed requests (per s)";
    p.xlabels = 1;
    p.xtitle = pl_time_title(&p.xa);
    p.legend = items;
    p.nlegend = ni;
    pl_panels_place(c->cr, &p, 1, MARGIN, c->top, c->w - MARGIN, c->h - 12);
    warmup_band(c->cr, &p, &s);
    pl_panel_frame(c->cr, &p);
    if (nl > 0)
        st = pl_stack(c->cr, &p, s.x_rate, layers, nl, s.nrows, colours, hatched);
    else
        pl_note(c->cr, &p, "no errors");
    pl_series_free(&s);
    return done(c, st, err);
}

/* ---------------------------------------------------------------- database */

static int has_database(const json_t *doc)
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

static int draw_database(chart *c, base_err *err)
{
    pl_series s;
    int st = pl_series_load(c->doc, c->name, &s, err);
    if (st != BASE_OK)
        return st;
    const double *util = pl_col(&s, "database_utilisation_pct");
    const double *conns = pl_col(&s, "database_connections");
    const double *acu = pl_col(&s, "aurora_acu");
    if (!pl_col_nonzero(&s, acu))
        acu = NULL; /* RDS, or no Aurora in this run */
    pl_panel p[3];
    const double *data[3];
    pl_rgb colour[3];
    pl_legend_item items[3][2];
    size_t np = 0;
    struct {
        const double *col;
        const char *title, *label;
        int colour;
        pl_unit unit;
    } want[3] = {
        {util, "CPU busy", "CPU utilisation of the primary (or writer)", PL_BLUE, PL_PCT},
        {conns, "connections", "server connections open to the database", PL_ORANGE, PL_COUNT},
        {acu, "ACUs", "Aurora writer's capacity (ACUs)", PL_BLUISH_GREEN, PL_COUNT},
    };
    for (int i = 0; i < 3; i++) {
        if (!want[i].col)
            continue;
        time_panel(&p[np], &s);
        double mx = col_max(&s, want[i].col);
        if (want[i].unit == PL_PCT && mx <= 100)
            mx = 100; /* utilisation reads best against its whole range */
        else
            mx = fmax(mx * 1.05, 1);
        pl_axis_linear(&p[np].ya, 0, mx, np == 0 ? 5 : 4, want[i].unit);
        p[np].ytitle = want[i].title;
        data[np] = want[i].col;
        colour[np] = pl_palette(want[i].colour);
        size_t ni = add_item(items[np], 0, want[i].label, colour[np], PL_MARK_LINE);
        if (np == 0 && s.warmup > 0)
            ni = add_item(items[np], ni, "warm-up (not measured)", pl_grey(0.9), PL_MARK_BAND);
        p[np].legend = items[np];
        p[np].nlegend = ni;
        np++;
    }
    begin(c, acu ? "Aurora: the writer's CPU, the connections open to it, its capacity"
                 : "the primary's CPU and the server connections open to it");
    if (np == 0) {
        time_panel(&p[0], &s);
        pl_axis_linear(&p[0].ya, 0, 1, 4, PL_COUNT);
        np = 1;
    }
    p[np - 1].xlabels = 1;
    p[np - 1].xtitle = pl_time_title(&p[np - 1].xa);
    pl_panels_place(c->cr, p, np, MARGIN, c->top, c->w - MARGIN, c->h - 12);
    for (size_t i = 0; i < np; i++) {
        warmup_band(c->cr, &p[i], &s);
        pl_panel_frame(c->cr, &p[i]);
    }
    if (!util && !conns && !acu) {
        pl_note(c->cr, &p[0], "no database columns in this report");
    } else {
        for (size_t i = 0; i < np && st == BASE_OK; i++)
            st = pl_line(c->cr, &p[i], 1, i == 0 && util ? s.x_rate : s.x_gauge, data[i], s.nrows,
                         colour[i], 2.2, 0);
    }
    pl_series_free(&s);
    return done(c, st, err);
}

/* ---------------------------------------------------------------- cost */

#define MAX_PARTS 32

static int has_cost(const json_t *doc)
{
    pl_cost_part parts[MAX_PARTS];
    return pl_cost_parts(json_object_get(doc, "figures"), parts, MAX_PARTS) > 0;
}

static int cmp_part_desc(const void *a, const void *b)
{
    const pl_cost_part *x = a, *y = b;
    if (x->fig.mean != y->fig.mean)
        return x->fig.mean < y->fig.mean ? 1 : -1;
    return strcmp(x->key, y->key); /* a total order: qsort is not stable */
}

static int draw_cost(chart *c, base_err *err)
{
    const json_t *figs = json_object_get(c->doc, "figures");
    pl_cost_part parts[MAX_PARTS];
    size_t n = pl_cost_parts(figs, parts, MAX_PARTS);
    if (n == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the report has no cost figures (a run without a pricing file), so "
                            "there is no 'cost' chart");
    qsort(parts, n, sizeof parts[0], cmp_part_desc);
    pl_fig total;
    if (!pl_fig_get(figs, "monthly_cost", &total)) {
        total.mean = 0;
        total.half = NAN;
        for (size_t i = 0; i < n; i++)
            total.mean += parts[i].fig.mean;
    }
    begin(c, "a 730-hour month at this run's usage; mean ± 95% confidence interval");
    cairo_t *cr = c->cr;
    pl_panel p;
    memset(&p, 0, sizeof p);
    pl_axis_linear(&p.xa, 0, 1, 1, PL_COUNT);
    p.xa.nticks = 0; /* one bar: no x axis to read */
    double top = total.mean + (isfinite(total.half) ? total.half : 0);
    pl_axis_linear(&p.ya, 0, fmax(top * 1.12, 1), 6, PL_USD);
    p.ytitle = "monthly cost (USD)";
    double split = fmin(c->w * 0.36, 430);
    pl_panels_place(cr, &p, 1, MARGIN, c->top + 24, split, c->h - 24);
    pl_panel_frame(cr, &p);

    /* the stacked bar, largest component at the bottom */
    pl_rgb colours[MAX_PARTS];
    double bx0 = round(pl_px(&p, 0.22)), bx1 = round(pl_px(&p, 0.78));
    double cum = 0;
    for (size_t i = 0; i < n; i++) {
        colours[i] = pl_series_colour(i);
        double v = parts[i].fig.mean > 0 ? parts[i].fig.mean : 0;
        double y0 = pl_py(&p, 1, cum), y1 = pl_py(&p, 1, cum + v);
        cum += v;
        if (y0 - y1 <= 0)
            continue;
        cairo_rectangle(cr, bx0, y1, bx1 - bx0, y0 - y1);
        pl_set_rgb(cr, colours[i]);
        cairo_fill_preserve(cr);
        if (i >= PL_NPALETTE)
            pl_hatch(cr, bx0, y1, bx1 - bx0, y0 - y1);
        cairo_new_path(cr);
    }
    double xm = (bx0 + bx1) / 2;
    if (isfinite(total.half) && total.half > 0)
        pl_errorbar(cr, xm, pl_py(&p, 1, total.mean - total.half),
                    pl_py(&p, 1, total.mean + total.half), 10, pl_palette(PL_BLACK));
    char buf[128], lab[160];
    pl_format_ci(total.mean, total.half, "USD", buf, sizeof buf);
    snprintf(lab, sizeof lab, "total %s", buf);
    pl_font(cr, 16, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    char fit[160];
    pl_ellipsize(cr, lab, split - p.x + 40, fit, sizeof fit);
    pl_text(cr, xm, pl_py(&p, 1, top) - 8, fit, 0.5, 1);

    /* the components as a table to the right: the bar shows proportions, the table the figures
     * (a $2 component is invisible in a $12k bar but is still listed) */
    double tx = split + 50, tw = c->w - MARGIN - tx;
    double cx_name = tx + 42, cx_mean = tx + tw * 0.62, cx_ci = tx + tw * 0.80, cx_share = tx + tw;
    double y = c->top + 40;
    /* the table's text: 16 at the design size, smaller only when the chart is drawn small */
    const double fs = fmax(11, fmin(16, 16 * tw / 640));
    pl_font(cr, fs, 1);
    double lh = pl_line_height(cr) + 12;
    pl_set_rgb(cr, pl_grey(0.1));
    pl_text(cr, cx_name, y, "component", 0, 0);
    pl_text(cr, cx_mean, y, "per month", 1, 0);
    pl_text(cr, cx_ci, y, "95% CI ±", 1, 0);
    pl_text(cr, cx_share, y, "share", 1, 0);
    y += lh;
    pl_set_rgb(cr, pl_grey(0.6));
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, tx, round(y - 6) + 0.5);
    cairo_line_to(cr, tx + tw, round(y - 6) + 0.5);
    cairo_stroke(cr);
    double avail_rows = (c->h - 60 - y) / lh - 1;
    for (size_t i = 0; i < n; i++) {
        if ((double)i >= avail_rows - 1 && i + 1 < n) {
            pl_font(cr, fs - 1, 0);
            pl_set_rgb(cr, pl_grey(0.3));
            snprintf(buf, sizeof buf, "… and %zu more (see the pack's cost table)", n - i);
            pl_text(cr, cx_name, y, buf, 0, 0);
            y += lh;
            break;
        }
        pl_legend_item it = {parts[i].label, colours[i],
                             i >= PL_NPALETTE ? PL_MARK_AREA_HATCHED : PL_MARK_AREA};
        pl_font(cr, fs, 0);
        double ymid = y + pl_line_height(cr) / 2;
        pl_swatch(cr, &it, tx, ymid);
        pl_font(cr, fs, 0);
        pl_set_rgb(cr, pl_grey(0.1));
        pl_ellipsize(cr, parts[i].label, cx_mean - cx_name - pl_text_width(cr, "$000,000") - 8, fit,
                     sizeof fit);
        pl_text(cr, cx_name, y, fit, 0, 0);
        pl_format_usd(parts[i].fig.mean, buf, sizeof buf);
        pl_text(cr, cx_mean, y, buf, 1, 0);
        pl_format_usd(parts[i].fig.half, buf, sizeof buf);
        pl_text(cr, cx_ci, y, isfinite(parts[i].fig.half) ? buf : "–", 1, 0);
        double share = total.mean > 0 ? 100 * parts[i].fig.mean / total.mean : NAN;
        if (isfinite(share)) {
            if (share > 0 && share < 0.1)
                snprintf(buf, sizeof buf, "<0.1%%");
            else
                snprintf(buf, sizeof buf, "%.1f%%", share);
        } else {
            snprintf(buf, sizeof buf, "–");
        }
        pl_text(cr, cx_share, y, buf, 1, 0);
        y += lh;
    }
    pl_set_rgb(cr, pl_grey(0.6));
    cairo_move_to(cr, tx, round(y - 6) + 0.5);
    cairo_line_to(cr, tx + tw, round(y - 6) + 0.5);
    cairo_stroke(cr);
    pl_font(cr, fs, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    pl_text(cr, cx_name, y, "total", 0, 0);
    pl_format_usd(total.mean, buf, sizeof buf);
    pl_text(cr, cx_mean, y, buf, 1, 0);
    pl_format_usd(total.half, buf, sizeof buf);
    pl_text(cr, cx_ci, y, isfinite(total.half) ? buf : "–", 1, 0);
    pl_text(cr, cx_share, y, "100%", 1, 0);
    y += lh + 8;
    pl_fig per_m;
    if (pl_fig_get(figs, "cost_per_million", &per_m)) {
        pl_format_ci(per_m.mean, per_m.half, "USD", buf, sizeof buf);
        snprintf(lab, sizeof lab, "per million requests: %s", buf);
        pl_font(cr, fs - 1, 0);
        pl_set_rgb(cr, pl_grey(0.25));
        pl_text(cr, cx_name, y, lab, 0, 0);
    }
    return done(c, BASE_OK, err);
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

static int draw_variants(chart *c, base_err *err)
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
    begin(c, sub);
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
    return done(c, BASE_OK, err);
}

/* ---------------------------------------------------------------- crossover (compare.json) */

static int has_sweep(const json_t *doc)
{
    const json_t *pts = json_object_get(json_object_get(doc, "sweep"), "points");
    return json_is_array(pts) && json_array_size(pts) > 0;
}

static int draw_crossover(chart *c, base_err *err)
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
    double *ys = xs + np;
    double xlo = INFINITY, xhi = -INFINITY, ymax = 0;
    for (size_t k = 0; k < np; k++) {
        const json_t *pt = json_array_get(pts, k);
        double x = pl_num(json_object_get(pt, "peak_load"));
        if (isfinite(x)) {
            xlo = fmin(xlo, x);
            xhi = fmax(xhi, x);
        }
        const char *vname;
        const json_t *e;
        json_object_foreach((json_t *)json_object_get(pt, "variants"), vname, e)
        {
            double y = pl_num(json_object_get(e, "monthly_cost"));
            double h = pl_num(json_object_get(e, "monthly_cost_ci95_half_width"));
            if (isfinite(y))
                ymax = fmax(ymax, y + (isfinite(h) ? h : 0));
        }
    }
    char sub[256];
    json_int_t reps = json_integer_value(json_object_get(c->doc, "replications"));
    snprintf(sub, sizeof sub,
             "every variant at each point of the sweep, %lld replications each · error bars: 95%% "
             "confidence interval",
             (long long)reps);
    begin(c, sub);
    pl_legend_item items[PL_NPALETTE * 4 + 4];
    size_t ni = 0;
    for (size_t i = 0; i < nv && ni < PL_NPALETTE * 4; i++)
        ni = add_item(items, ni, pl_str(json_object_get(json_array_get(vars, i), "name"), "?"),
                      pl_series_colour(i), PL_MARK_LINE);
    ni = add_item(items, ni, "objectives met", pl_grey(0.15), PL_MARK_DOT);
    ni = add_item(items, ni, "objectives failed", pl_grey(0.15), PL_MARK_OPEN);
    const json_t *cx = json_object_get(sweep, "cost_crossovers");
    if (json_array_size(cx) > 0)
        ni = add_item(items, ni, "costs cross", pl_grey(0.45), PL_MARK_DASH);
    pl_panel p;
    memset(&p, 0, sizeof p);
    if (!isfinite(xlo)) {
        xlo = 0;
        xhi = 1;
    }
    pl_axis_linear(&p.xa, xlo, xhi, 8, PL_COUNT);
    pl_axis_linear(&p.ya, 0, fmax(ymax * 1.08, 1), 6, PL_USD);
    p.ytitle = "monthly cost (USD)";
    p.xlabels = 1;
    p.xtitle = "peak load of the point (concurrent users; req/s when the phases give rates)";
    p.legend = items;
    p.nlegend = ni;
    cairo_t *cr = c->cr;
    pl_panels_place(cr, &p, 1, MARGIN, c->top, c->w - MARGIN, c->h - 12);
    pl_panel_frame(cr, &p);

    /* crossovers first, under the lines */
    char buf[256], num[64];
    pl_font(cr, 13, 0);
    double lh = pl_line_height(cr) + 4;
    for (size_t j = 0; j < json_array_size(cx); j++) {
        const json_t *o = json_array_get(cx, j);
        double x = pl_num(json_object_get(o, "peak_load"));
        if (!isfinite(pl_axis_frac(&p.xa, x)))
            continue;
        double X = round(pl_px(&p, x)) + 0.5;
        double d[2] = {6, 4};
        cairo_set_dash(cr, d, 2, 0);
        cairo_set_line_width(cr, 1.5);
        pl_set_rgb(cr, pl_grey(0.45));
        cairo_move_to(cr, X, p.y);
        cairo_line_to(cr, X, p.y + p.h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        pl_format(x, PL_COUNT, 0, num, sizeof num);
        snprintf(buf, sizeof buf, "%s: %s cheaper below, %s above", num,
                 pl_str(json_object_get(o, "cheaper_below"), "?"),
                 pl_str(json_object_get(o, "cheaper_above"), "?"));
        pl_font(cr, 13, 0);
        double tw = pl_text_width(cr, buf);
        double ty = p.y + 6 + (double)(j % 4) * lh;
        int left = X + 6 + tw > p.x + p.w; /* near the right edge: the label goes left */
        double tx = left ? X - 6 - tw : X + 6;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, tx - 3, ty - 2, tw + 6, lh);
        cairo_fill(cr);
        pl_set_rgb(cr, pl_grey(0.25));
        pl_text(cr, tx, ty, buf, 0, 0);
    }

    int st = BASE_OK;
    for (size_t i = 0; i < nv && st == BASE_OK; i++) {
        const char *vname = pl_str(json_object_get(json_array_get(vars, i), "name"), "");
        pl_rgb col = pl_series_colour(i);
        for (size_t k = 0; k < np; k++) {
            const json_t *pt = json_array_get(pts, k);
            const json_t *e = json_object_get(json_object_get(pt, "variants"), vname);
            xs[k] = pl_num(json_object_get(pt, "peak_load"));
            ys[k] = pl_num(json_object_get(e, "monthly_cost"));
        }
        st = pl_line(cr, &p, 1, xs, ys, np, col, 2.5, 0);
        for (size_t k = 0; k < np; k++) {
            const json_t *pt = json_array_get(pts, k);
            const json_t *e = json_object_get(json_object_get(pt, "variants"), vname);
            double X = pl_px(&p, xs[k]), Y = pl_py(&p, 1, ys[k]);
            if (!isfinite(X) || !isfinite(Y))
                continue;
            double h = pl_num(json_object_get(e, "monthly_cost_ci95_half_width"));
            if (isfinite(h) && h > 0)
                pl_errorbar(cr, X, pl_py(&p, 1, ys[k] - h), pl_py(&p, 1, ys[k] + h), 5, col);
            if (json_is_false(json_object_get(e, "objectives_met"))) {
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
    }
    free(xs);
    return done(c, st, err);
}

/* ---------------------------------------------------------------- the registry */

static int applies_series(const json_t *doc)
{
    return pl_has_series(doc);
}

static int applies_always(const json_t *doc)
{
    (void)doc;
    return 1;
}

static const chart_def *defs(size_t *n)
{
    static const chart_def d[] = {
        {"latency", PLOT_DOC_REPORT, "API latency and load",
         "API latency p50/p95/p99 over time, with the load on a second axis", applies_series,
         draw_latency},
        {"capacity", PLOT_DOC_REPORT, "pods and nodes",
         "API pods by state, and Karpenter's nodes stacked by capacity type and architecture",
         applies_series, draw_capacity},
        {"errors", PLOT_DOC_REPORT, "errors by cause",
         "failed requests per second, stacked by cause", applies_series, draw_errors},
        {"database", PLOT_DOC_REPORT, "database",
         "database CPU utilisation, server connections, and Aurora's ACUs when present",
         has_database, draw_database},
        {"cost", PLOT_DOC_REPORT, "monthly cost by component",
         "monthly cost by component as a stacked bar, the total with its 95% CI", has_cost,
         draw_cost},
        {"variants", PLOT_DOC_COMPARE, "variants side by side",
         "each variant's monthly cost and API p99 with 95% CI error bars", applies_always,
         draw_variants},
        {"crossover", PLOT_DOC_COMPARE, "monthly cost across the sweep",
         "monthly cost against the sweep's load, one line per variant, failures marked", has_sweep,
         draw_crossover},
    };
    *n = sizeof d / sizeof d[0];
    return d;
}

const char *plot_chart_describe(const char *name)
{
    size_t n;
    const chart_def *d = defs(&n);
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(d[i].name, name) == 0)
            return d[i].describe;
    return NULL;
}

size_t plot_chart_names(const json_t *doc, const char **names, size_t max)
{
    plot_doc_kind kind = plot_doc_kind_of(doc);
    size_t n, k = 0;
    const chart_def *d = defs(&n);
    for (size_t i = 0; i < n; i++) {
        if (d[i].kind != kind || !d[i].applies(doc))
            continue;
        if (names && k < max)
            names[k] = d[i].name;
        k++;
    }
    return k;
}

/* "a, b, c" of the charts this document has (or "none"). */
static void valid_names(const json_t *doc, char *buf, size_t n)
{
    const char *names[16];
    size_t k = plot_chart_names(doc, names, 16), len = 0;
    buf[0] = '\0';
    if (k == 0)
        snprintf(buf, n, "none");
    for (size_t i = 0; i < k && i < 16 && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", names[i]);
}

int pl_chart_draw(cairo_t *cr, double w, double h, const json_t *doc, const char *name,
                  base_err *err)
{
    plot_doc_kind kind = plot_doc_kind_of(doc);
    if (kind == PLOT_DOC_UNKNOWN)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "not a report.json or compare.json (no `figures`, `series` or "
                            "`variants`)");
    const char *doc_word = kind == PLOT_DOC_REPORT ? "report" : "comparison";
    char valid[256];
    valid_names(doc, valid, sizeof valid);
    size_t n;
    const chart_def *d = defs(&n);
    const chart_def *def = NULL;
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(d[i].name, name) == 0)
            def = &d[i];
    if (!def)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "unknown chart '%s'; the charts of this %s are: %s", name ? name : "",
                            doc_word, valid);
    if (def->kind != kind)
        return base_err_set(
            err, BASE_EINPUT, NULL, 0, 0,
            "chart '%s' is drawn from a %s, and this is a %s; its charts are: %s", name,
            def->kind == PLOT_DOC_REPORT ? "run's report.json" : "compare.json", doc_word, valid);
    if (!def->applies(doc)) {
        const char *why = def->applies == applies_series
                              ? "the report has no time series (`series`)"
                          : def->applies == has_database
                              ? "the run had no database (no `database_utilisation` figure)"
                          : def->applies == has_cost
                              ? "the report has no cost figures (the run had no pricing file)"
                              : "the comparison has no sweep";
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "no chart '%s' for this %s: %s; its charts are: %s", name, doc_word,
                            why, valid);
    }
    chart c = {.cr = cr, .w = w, .h = h, .doc = doc, .name = def->name, .what = def->what};
    cairo_save(cr);
    int st = def->draw(&c, err);
    cairo_restore(cr);
    return st;
}
