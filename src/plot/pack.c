/*
 * pack.c — the design-review pack: one A4-landscape PDF that a reviewer reads without the
 * simulator at hand.
 *
 * For a run: a title page (what ran, how often, with which seed; the headline figures as mean
 * ± 95% CI; the objectives' verdicts), one page per chart, the cost table, and the assumptions
 * with their sources. For a comparison: the variants' figures and verdicts, the paired
 * differences, the comparison charts, the cost per variant and the sweep's points.
 *
 * Text is measured with cairo before it is placed: every cell wraps to its column (breaking a
 * long word such as a URL between characters when it must), and a table that runs off a page
 * continues on the next with its header repeated. The charts are drawn by charts.c into a box
 * larger than the page and scaled down, so they keep the proportions of the PNGs.
 */
#include "plot/internal.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A4 landscape in points (297 x 210 mm) */
#define PAGE_W   841.89
#define PAGE_H   595.28
#define PM       40.0 /* page margin */
#define BOTTOM   (PAGE_H - PM - 8)
#define BODY     10.0 /* body text size */
#define CELL_PAD 4.0

typedef struct pack {
    cairo_t *cr;
    const plot_set *set;
    const json_t *doc;
    char name[256];
    int page; /* pages begun */
    int open; /* a page is being drawn */
    double y; /* where the next thing goes */
} pack;

typedef struct column {
    const char *head;
    double frac; /* share of the table's width */
    int right;   /* 1: right-aligned (numbers) */
} column;

typedef struct table {
    const column *cols;
    size_t n;
    double x, w;
    const char *title; /* repeated, "(continued)", when the table runs onto a new page */
    double size;       /* text size; 0: BODY */
} table;

static double tsize(const table *t)
{
    return t->size > 0 ? t->size : BODY;
}

/* ---------------------------------------------------------------- pages */

static void page_end(pack *k)
{
    if (!k->open)
        return;
    cairo_t *cr = k->cr;
    char buf[400];
    pl_font(cr, 8.5, 0);
    pl_set_rgb(cr, pl_grey(0.45));
    snprintf(buf, sizeof buf, "simulate %s · %s · design review", SIMULATE_VERSION, k->name);
    char fit[400];
    pl_ellipsize(cr, buf, PAGE_W - 2 * PM - 80, fit, sizeof fit);
    pl_text(cr, PM, PAGE_H - 22, fit, 0, 1);
    snprintf(buf, sizeof buf, "page %d", k->page);
    pl_text(cr, PAGE_W - PM, PAGE_H - 22, buf, 1, 1);
    cairo_show_page(cr);
    k->open = 0;
}

static void page_begin(pack *k)
{
    page_end(k);
    k->page++;
    k->open = 1;
    k->y = PM;
    cairo_set_source_rgb(k->cr, 1, 1, 1);
    cairo_paint(k->cr);
}

/* Makes room for h more points on this page, or starts a new one. Returns 1 on a new page. */
static int need(pack *k, double h)
{
    if (k->open && k->y + h <= BOTTOM)
        return 0;
    page_begin(k);
    return 1;
}

/* ---------------------------------------------------------------- text */

/* Draws the first len bytes of s. */
static void text_n(cairo_t *cr, double x, double y, const char *s, size_t len, double ha)
{
    char buf[2048];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    pl_text(cr, x, y, buf, ha, 0);
}

/* Lines s takes in width w in the current font (at least 1); draws them when draw is set. */
static int wrapped(cairo_t *cr, const char *s, double x, double y, double w, double ha, int draw)
{
    double lh = pl_line_height(cr) * 1.1;
    int lines = 0;
    const char *p = s;
    if (!*p)
        return 1;
    while (*p) {
        size_t len = pl_wrap_next(cr, p, w);
        if (draw)
            text_n(cr, ha > 0 ? x + w : x, y + lines * lh, p, len, ha);
        lines++;
        p += len;
        if (*p == '\n')
            p++;
        else
            while (*p == ' ')
                p++;
    }
    return lines;
}

static void heading(pack *k, const char *text, double size)
{
    pl_font(k->cr, size, 1);
    double lh = pl_line_height(k->cr);
    need(k, lh + 40); /* a heading never ends a page alone */
    pl_set_rgb(k->cr, pl_grey(0.05));
    pl_text(k->cr, PM, k->y, text, 0, 0);
    k->y += lh + 8;
}

static void paragraph(pack *k, const char *text, double size, int bold, pl_rgb colour)
{
    cairo_t *cr = k->cr;
    pl_font(cr, size, bold);
    double lh = pl_line_height(cr) * 1.1;
    double w = PAGE_W - 2 * PM;
    const char *p = text;
    while (*p) {
        need(k, lh);
        size_t len = pl_wrap_next(cr, p, w);
        pl_font(cr, size, bold);
        pl_set_rgb(cr, colour);
        text_n(cr, PM, k->y, p, len, 0);
        k->y += lh;
        p += len;
        if (*p == '\n')
            p++;
        else
            while (*p == ' ')
                p++;
    }
    k->y += 4;
}

/* ---------------------------------------------------------------- tables */

static double col_x(const table *t, size_t c)
{
    double x = t->x;
    for (size_t i = 0; i < c; i++)
        x += t->cols[i].frac * t->w;
    return x;
}

static void rule(cairo_t *cr, double x, double y, double w, double grey)
{
    pl_set_rgb(cr, pl_grey(grey));
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w, y);
    cairo_stroke(cr);
}

static void table_head(pack *k, const table *t)
{
    cairo_t *cr = k->cr;
    pl_font(cr, tsize(t), 1);
    double h = 0;
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        int lines = wrapped(cr, t->cols[c].head, 0, 0, cw, 0, 0);
        h = fmax(h, lines * pl_line_height(cr) * 1.1);
    }
    h += 2 * CELL_PAD;
    need(k, h + 30);
    pl_set_rgb(cr, pl_grey(0.94));
    cairo_rectangle(cr, t->x, k->y, t->w, h);
    cairo_fill(cr);
    pl_font(cr, tsize(t), 1);
    pl_set_rgb(cr, pl_grey(0.05));
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        wrapped(cr, t->cols[c].head, col_x(t, c) + CELL_PAD, k->y + CELL_PAD, cw, t->cols[c].right,
                1);
    }
    k->y += h;
    rule(cr, t->x, k->y, t->w, 0.5);
}

/* One row; colours may be NULL (all dark) or give each cell's colour. */
static void table_row(pack *k, const table *t, const char *const *cells, int bold,
                      const pl_rgb *colours)
{
    cairo_t *cr = k->cr;
    pl_font(cr, tsize(t), bold);
    double lh = pl_line_height(cr) * 1.1;
    int lines = 1;
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        int l = wrapped(cr, cells[c] ? cells[c] : "", 0, 0, cw, 0, 0);
        lines = l > lines ? l : lines;
    }
    double h = lines * lh + 2 * CELL_PAD;
    if (h > BOTTOM - PM - 60) /* a cell longer than a page: it is cut, not lost in a loop */
        h = BOTTOM - PM - 60;
    if (!k->open || k->y + h > BOTTOM) {
        page_begin(k);
        if (t->title) {
            char buf[300];
            snprintf(buf, sizeof buf, "%s (continued)", t->title);
            heading(k, buf, 13);
        }
        table_head(k, t);
    }
    cairo_save(cr);
    cairo_rectangle(cr, t->x, k->y, t->w, h);
    cairo_clip(cr);
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        pl_font(cr, tsize(t), bold);
        pl_set_rgb(cr, colours ? colours[c] : pl_grey(0.08));
        wrapped(cr, cells[c] ? cells[c] : "", col_x(t, c) + CELL_PAD, k->y + CELL_PAD, cw,
                t->cols[c].right, 1);
    }
    cairo_restore(cr);
    k->y += h;
    rule(cr, t->x, k->y, t->w, 0.85);
}

static void table_start(pack *k, const table *t)
{
    need(k, 100); /* the title, the header and two rows stay together */
    if (t->title)
        heading(k, t->title, 13);
    table_head(k, t);
}

/* ---------------------------------------------------------------- shared content */

static int chart_page(pack *k, const char *name, base_err *err)
{
    page_begin(k);
    /* the chart is laid out in a box 1/0.72 the page's size and scaled down: its text then
     * prints at about 10 pt, its lines stay fine */
    const double sc = 0.72, x0 = 20, y0 = 16;
    double w = (PAGE_W - 2 * x0) / sc, h = (PAGE_H - y0 - 34) / sc;
    cairo_save(k->cr);
    cairo_translate(k->cr, x0, y0);
    cairo_scale(k->cr, sc, sc);
    int st = pl_chart_draw(k->cr, w, h, k->set, k->doc, name, err);
    cairo_restore(k->cr);
    return st;
}

static const char *verdict_text(const json_t *o, pl_rgb *colour)
{
    const char *st = pl_str(json_object_get(o, "status"), "");
    int unc = json_is_true(json_object_get(o, "uncertain"));
    *colour = pl_grey(0.08);
    if (unc) {
        *colour = pl_palette(PL_BLACK);
        return strcmp(st, "met") == 0 ? "uncertain (met at the mean)"
                                      : "uncertain (failed at the mean)";
    }
    if (strcmp(st, "met") == 0) {
        *colour = pl_palette(PL_BLUISH_GREEN);
        return "met";
    }
    if (strcmp(st, "failed") == 0) {
        *colour = pl_palette(PL_VERMILLION);
        return "failed";
    }
    return *st ? st : "?";
}

/* A page for each chart the document can draw, in plot_chart_names' order. */
static int chart_pages(pack *k, base_err *err)
{
    const char *names[64];
    size_t n = plot_chart_names(k->set, k->doc, names, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *line;
        if (pl_chart_empty(k->set, k->doc, names[i], &line))
            continue; /* said in one line on the first page, not a page of nothing */
        int st = chart_page(k, names[i], err);
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

/* A new page headed by the document's name and a subtitle: the first page of either pack. */
static void title_page(pack *k, const char *subtitle)
{
    cairo_t *cr = k->cr;
    page_begin(k);
    pl_font(cr, 24, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    char fit[512];
    pl_ellipsize(cr, k->name, PAGE_W - 2 * PM, fit, sizeof fit);
    pl_text(cr, PM, k->y, fit, 0, 0);
    k->y += pl_line_height(cr) + 2;
    paragraph(k, subtitle, 12, 0, pl_grey(0.35));
}

/* ---------------------------------------------------------------- report */

static void report_title(pack *k)
{
    const json_t *doc = k->doc;
    cairo_t *cr = k->cr;
    char buf[1024];
    page_begin(k);
    heading(k, "Headline figures and objectives", 16);
    (void)doc;

    /* headline figures (left) and the objectives (right), side by side */
    static const struct {
        const char *key, *label;
    } heads[] = {
        {"requests", "requests (in the window)"},
        {"throughput", "throughput"},
        {"error_rate", "error rate"},
        {"api_latency_p50", "API latency p50"},
        {"api_latency_p95", "API latency p95"},
        {"api_latency_p99", "API latency p99"},
        {"peak_pods_ready", "peak pods Ready"},
        {"peak_nodes", "peak nodes"},
        {"database_utilisation", "database CPU utilisation"},
        {"monthly_cost", "monthly cost"},
        {"cost_per_million", "cost per million requests"},
    };
    static const column fcols[] = {{"figure", 0.48, 0}, {"mean ± 95% CI", 0.52, 1}};
    double y0 = k->y;
    int page0 = k->page;
    table tf = {fcols, 2, PM, (PAGE_W - 2 * PM) * 0.46, "Headline figures"};
    table_start(k, &tf);
    const json_t *figs = json_object_get(doc, "figures");
    size_t shown = 0;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        pl_fig f;
        if (!pl_fig_get(figs, heads[i].key, &f))
            continue;
        pl_format_ci(f.mean, f.half, f.unit, buf, sizeof buf);
        const char *cells[2] = {heads[i].label, buf};
        table_row(k, &tf, cells, 0, NULL);
        shown++;
    }
    if (shown == 0) {
        const char *cells[2] = {"(the report has no figures)", ""};
        table_row(k, &tf, cells, 0, NULL);
    }
    double yl = k->y;
    int pl = k->page;
    if (k->page == page0)
        k->y = y0;
    static const column ocols[] = {
        {"objective", 0.42, 0}, {"measured ± 95% CI", 0.28, 1}, {"verdict", 0.30, 0}};
    double ox = PM + (PAGE_W - 2 * PM) * 0.52;
    table to = {ocols, 3, ox, PAGE_W - PM - ox, "Objectives"};
    const json_t *objs = json_object_get(doc, "objectives");
    pl_font(cr, 13, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    pl_text(cr, ox, k->y, "Objectives", 0, 0);
    k->y += pl_line_height(cr) + 8;
    to.title = NULL;
    if (json_array_size(objs) == 0) {
        pl_font(cr, BODY, 0);
        pl_set_rgb(cr, pl_grey(0.25));
        k->y += wrapped(cr, "The scenario sets no objectives.", ox, k->y, to.w, 0, 1) *
                pl_line_height(cr) * 1.1;
    } else {
        table_head(k, &to);
        to.title = "Objectives";
        for (size_t i = 0; i < json_array_size(objs); i++) {
            const json_t *o = json_array_get(objs, i);
            char meas[128];
            pl_format_ci(pl_num(json_object_get(o, "measured")),
                         pl_num(json_object_get(o, "ci95_half_width")), "", meas, sizeof meas);
            pl_rgb colours[3] = {pl_grey(0.08), pl_grey(0.08), pl_grey(0.08)};
            const char *cells[3] = {pl_str(json_object_get(o, "objective"), "?"), meas,
                                    verdict_text(o, &colours[2])};
            table_row(k, &to, cells, 0, colours);
        }
    }
    if (k->page == pl && k->y < yl)
        k->y = yl;
    k->y += 12;
    paragraph(k,
              "Figures are the mean over the replications and the half-width of its 95% "
              "confidence interval (Student's t); with one replication there is no interval. "
              "An objective is uncertain when its interval straddles the threshold: more "
              "replications would tell.",
              9, 0, pl_grey(0.35));
}

static int cmp_part_desc(const void *a, const void *b)
{
    const pl_cost_part *x = a, *y = b;
    if (x->fig.mean != y->fig.mean)
        return x->fig.mean < y->fig.mean ? 1 : -1;
    return strcmp(x->key, y->key);
}

static void report_cost(pack *k)
{
    page_begin(k);
    heading(k, "Monthly cost by component", 16);
    const json_t *figs = json_object_get(k->doc, "figures");
    pl_cost_part parts[32];
    size_t n = pl_cost_parts(figs, parts, 32);
    if (n == 0) {
        paragraph(k,
                  "The report has no cost figures: the run had no pricing file "
                  "(docs/cost-model.md).",
                  BODY, 0, pl_grey(0.2));
        return;
    }
    paragraph(k,
              "What the architecture costs for a 730-hour month at this run's usage (the "
              "measured window's usage scaled to the month, list prices; docs/cost-model.md). "
              "Mean over the replications ± half-width of the 95% confidence interval.",
              BODY, 0, pl_grey(0.25));
    k->y += 6;
    qsort(parts, n, sizeof parts[0], cmp_part_desc);
    pl_fig total;
    if (!pl_fig_get(figs, "monthly_cost", &total)) {
        total.mean = 0;
        total.half = NAN;
        for (size_t i = 0; i < n; i++)
            total.mean += parts[i].fig.mean;
    }
    static const column cols[] = {{"component", 0.40, 0},
                                  {"monthly (USD)", 0.20, 1},
                                  {"± 95% CI (USD)", 0.20, 1},
                                  {"share of the total", 0.20, 1}};
    table t = {cols, 4, PM, (PAGE_W - 2 * PM) * 0.75, "Monthly cost by component"};
    table_head(k, &t);
    char m[64], h[64], s[64];
    for (size_t i = 0; i < n; i++) {
        pl_format_usd(parts[i].fig.mean, m, sizeof m);
        if (isfinite(parts[i].fig.half))
            pl_format_usd(parts[i].fig.half, h, sizeof h);
        else
            snprintf(h, sizeof h, "–");
        if (total.mean > 0)
            snprintf(s, sizeof s, "%.1f%%", 100 * parts[i].fig.mean / total.mean);
        else
            snprintf(s, sizeof s, "–");
        const char *cells[4] = {parts[i].label, m, h, s};
        table_row(k, &t, cells, 0, NULL);
    }
    pl_format_usd(total.mean, m, sizeof m);
    if (isfinite(total.half))
        pl_format_usd(total.half, h, sizeof h);
    else
        snprintf(h, sizeof h, "–");
    const char *cells[4] = {"total", m, h, "100%"};
    table_row(k, &t, cells, 1, NULL);
    k->y += 10;
    pl_fig pm;
    if (pl_fig_get(figs, "cost_per_million", &pm)) {
        char buf[160], v[96];
        pl_format_ci(pm.mean, pm.half, "USD", v, sizeof v);
        snprintf(buf, sizeof buf, "Cost per million requests: %s.", v);
        paragraph(k, buf, BODY, 0, pl_grey(0.15));
    }
}

/* A duration for people: seconds below two minutes, minutes above; "–" for none. */
static void duration_text(double s, char *buf, size_t len)
{
    if (!isfinite(s))
        snprintf(buf, len, "–");
    else if (s < 120)
        snprintf(buf, len, "%.0f s", s);
    else
        snprintf(buf, len, "%.1f min", s / 60);
}

/* ---------------------------------------------------------------- the decision */

/* The value of assumption `key` (report.json's `assumptions`), or NULL. */
static const char *assumption(const json_t *doc, const char *key)
{
    const json_t *as = json_object_get(doc, "assumptions");
    for (size_t i = 0; i < json_array_size(as); i++) {
        const json_t *a = json_array_get(as, i);
        if (strcmp(pl_str(json_object_get(a, "key"), ""), key) == 0)
            return pl_str(json_object_get(a, "value"), NULL);
    }
    return NULL;
}

static int is_true(const char *v)
{
    return v && strcmp(v, "true") == 0;
}

/* What the run deployed, in a sentence: the database, the API and its autoscaling, the nodes,
 * Redis, CloudFront (from the assumptions it ran with and the peaks it reached). */
static void deploy_text(const json_t *doc, char *buf, size_t n)
{
    const json_t *figs = json_object_get(doc, "figures");
    size_t len = 0;
    const char *eng = assumption(doc, "database.engine");
    if (is_true(assumption(doc, "database.enabled")) && eng && strcmp(eng, "aurora") == 0)
        len += (size_t)snprintf(buf + len, n - len,
                                "Aurora Serverless v2 from %s to %s ACUs with %s reader(s); ",
                                assumption(doc, "database.aurora.acu_min"),
                                assumption(doc, "database.aurora.acu_max"),
                                assumption(doc, "database.aurora.readers"));
    else if (is_true(assumption(doc, "database.enabled")) && eng)
        len += (size_t)snprintf(buf + len, n - len, "RDS PostgreSQL %s%s with %s read replica(s); ",
                                assumption(doc, "database.instance_class"),
                                is_true(assumption(doc, "database.multi_az")) ? " Multi-AZ" : "",
                                assumption(doc, "database.read_replicas"));
    pl_fig pods, nodes;
    char pk[64] = "?", nk[64] = "?";
    if (pl_fig_get(figs, "peak_pods_ready", &pods))
        pl_format_ci(pods.mean, NAN, "", pk, sizeof pk);
    if (pl_fig_get(figs, "peak_nodes", &nodes))
        pl_format_ci(nodes.mean, NAN, "", nk, sizeof nk);
    if (is_true(assumption(doc, "hpa.enabled")))
        len += (size_t)snprintf(
            buf + len, n - len,
            "the API with %s gunicorn worker(s) a pod, %s CPU requested (limit %s), the HPA "
            "between %s and %s pods at %s CPU (%s pods Ready at the peak) on Karpenter's nodes "
            "(%s at the peak); ",
            assumption(doc, "api.workers"), assumption(doc, "api.resources.requests.cpu"),
            assumption(doc, "api.resources.limits.cpu"), assumption(doc, "hpa.min_replicas"),
            assumption(doc, "hpa.max_replicas"), assumption(doc, "hpa.cpu_target"), pk, nk);
    else
        len += (size_t)snprintf(buf + len, n - len, "the API at %s pods of %s worker(s); ",
                                assumption(doc, "api.replicas"), assumption(doc, "api.workers"));
    if (len < n && is_true(assumption(doc, "redis.enabled")))
        len += (size_t)snprintf(buf + len, n - len, "Redis %s x %s; ",
                                assumption(doc, "redis.node_type"), assumption(doc, "redis.nodes"));
    if (len < n && is_true(assumption(doc, "cloudfront.enabled")))
        len += (size_t)snprintf(buf + len, n - len, "CloudFront in front. ");
    if (len < n)
        snprintf(buf + len, n - len, "Scenario file: %s (every setting in the appendix).",
                 pl_str(json_object_get(json_object_get(doc, "scenario"), "file"), "?"));
    for (char *q = buf; *q; q++) /* an absent assumption printed as (null) reads as "?" */
        if (strncmp(q, "(null)", 6) == 0)
            memcpy(q, "  ?   ", 6);
}

/* An objective's threshold in the unit its measure is reported in (ms for a percentile, s for
 * RTO and RPO, % for a rate), and whether it is an upper bound ("<"). NaN when unparsed. */
static double objective_threshold(const char *o, int *upper)
{
    const char *op = strpbrk(o, "<>");
    if (!op)
        return NAN;
    *upper = *op == '<';
    const char *p = op + 1;
    if (*p == '=')
        p++;
    char *end;
    double v = strtod(p, &end);
    if (end == p)
        return NAN;
    while (*end == ' ')
        end++;
    double secs = strncmp(end, "ms", 2) == 0 ? v / 1000
                  : *end == 's'               ? v
                  : *end == 'm'               ? v * 60
                  : *end == 'h'               ? v * 3600
                                              : NAN;
    if (!isfinite(secs))
        return v; /* a percentage or a count: as written */
    return strncmp(o, "rto", 3) == 0 || strncmp(o, "rpo", 3) == 0 ? secs : secs * 1000;
}

static void objectives_text(pack *k)
{
    const json_t *objs = json_object_get(k->doc, "objectives");
    if (json_array_size(objs) == 0) {
        paragraph(k, "The scenario sets no objectives: nothing here says whether it is good enough.",
                  BODY + 1, 0, pl_grey(0.1));
        return;
    }
    for (size_t i = 0; i < json_array_size(objs); i++) {
        const json_t *o = json_array_get(objs, i);
        const char *name = pl_str(json_object_get(o, "objective"), "?");
        double m = pl_num(json_object_get(o, "measured")),
               h = pl_num(json_object_get(o, "ci95_half_width"));
        int upper = 1;
        double thr = objective_threshold(name, &upper);
        const char *unit = strncmp(name, "rto", 3) == 0 || strncmp(name, "rpo", 3) == 0 ? "s"
                           : strncmp(name, "p(", 2) == 0                            ? "ms"
                           : strchr(name, '%')                                      ? "%"
                                                                                    : "";
        char meas[96], margin[160] = "", line[512];
        pl_format_ci(m, h, unit, meas, sizeof meas);
        if (isfinite(thr) && isfinite(m) && thr != 0) {
            double d = upper ? thr - m : m - thr;
            char dv[64];
            pl_format_ci(fabs(d), NAN, unit, dv, sizeof dv);
            snprintf(margin, sizeof margin, d >= 0 ? ", a margin of %s (%.0f%% of the limit)"
                                                   : ", over the limit by %s (%.0f%%)",
                     dv, 100 * fabs(d) / fabs(thr));
        }
        pl_rgb colour;
        const char *v = verdict_text(o, &colour);
        snprintf(line, sizeof line, "• %s — %s: %s%s", name, v, meas, margin);
        paragraph(k, line, BODY + 1, 0, colour);
    }
}

static void bill_text(pack *k)
{
    const json_t *figs = json_object_get(k->doc, "figures");
    pl_fig total;
    if (!pl_fig_get(figs, "monthly_cost", &total)) {
        paragraph(k, "No bill: the run had no pricing file (docs/cost-model.md).", BODY + 1, 0,
                  pl_grey(0.1));
        return;
    }
    pl_cost_part parts[32];
    size_t n = pl_cost_parts(figs, parts, 32);
    qsort(parts, n, sizeof parts[0], cmp_part_desc);
    char t[96], line[1024], name[256];
    pl_format_ci(total.mean, total.half, "USD", t, sizeof t);
    pl_doc_name(k->doc, name, sizeof name);
    const char *rep = assumption(k->doc, "month.repeat");
    size_t len = (size_t)snprintf(
        line, sizeof line, "%s a month — %s, list prices (docs/cost-model.md). Largest: ", t,
        rep && *rep != '('
            ? "the run's windows repeated as month.repeat says"
            : "this run's load held for all 730 hours of a month (the measured window's usage "
              "scaled to 730 h)");
    (void)name;
    for (size_t i = 0; i < n && i < 3 && len < sizeof line; i++) {
        char v[64];
        pl_format_usd(parts[i].fig.mean, v, sizeof v);
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s (%.1f%%)", i ? ", " : "",
                                parts[i].label, v,
                                total.mean > 0 ? 100 * parts[i].fig.mean / total.mean : 0.0);
    }
    if (len < sizeof line)
        snprintf(line + len, sizeof line - len, ".");
    paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
}

static void risks_text(pack *k)
{
    const json_t *doc = k->doc, *rec = json_object_get(doc, "recovery");
    char line[1024];
    int said = 0;
    const json_t *rows = json_object_get(rec, "rows");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i), *rto = json_object_get(r, "rto"),
                     *rl = json_object_get(r, "rto_latency");
        char mean[32], max[32], tgt[32], lat[32], failed[64];
        duration_text(pl_num(json_object_get(rto, "mean_s")), mean, sizeof mean);
        duration_text(pl_num(json_object_get(rto, "max_s")), max, sizeof max);
        duration_text(pl_num(json_object_get(rto, "seed_target_s")), tgt, sizeof tgt);
        duration_text(pl_num(json_object_get(rl, "max_s")), lat, sizeof lat);
        pl_format_ci(pl_num(json_object_get(r, "failed_requests_mean")), NAN, "", failed,
                     sizeof failed);
        snprintf(line, sizeof line,
                 "• %s (%lld occurrence%s): users were served again after %s on average, %s at "
                 "worst, against the seed's %s (%s); latency was back to normal after %s at "
                 "worst (%s); %s requests failed each time.",
                 pl_str(json_object_get(r, "failure"), "?"),
                 (long long)json_integer_value(json_object_get(r, "occurrences")),
                 json_integer_value(json_object_get(r, "occurrences")) == 1 ? "" : "s", mean, max,
                 tgt, json_is_true(json_object_get(rto, "met")) ? "met" : "MISSED", lat,
                 json_is_true(json_object_get(rl, "met")) ? "within the target" : "over the target",
                 failed);
        paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
        said = 1;
    }
    const json_t *alarms = json_object_get(doc, "alarms");
    for (size_t i = 0; i < json_array_size(alarms); i++) {
        const json_t *a = json_array_get(alarms, i), *ff = json_object_get(a, "first_fired_s");
        size_t fired = 0;
        for (size_t r = 0; r < json_array_size(ff); r++)
            fired += json_is_number(json_array_get(ff, r));
        if (!fired)
            continue;
        snprintf(line, sizeof line, "• The alarm %s (%s) fired in %zu of %zu replications.",
                 pl_str(json_object_get(a, "name"), "?"),
                 pl_str(json_object_get(a, "severity"), "?"), fired, json_array_size(ff));
        paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
        said = 1;
    }
    const json_t *events = json_object_get(json_object_get(doc, "scenario"), "events");
    if (json_array_size(events) == 0) {
        paragraph(k,
                  "• The scenario injects no failure, so this run says nothing about recovery: "
                  "az-failure, region-failure and spot-storm (scenarios/) do.",
                  BODY + 1, 0, pl_grey(0.1));
        said = 1;
    }
    /* the worst moment of the load: the highest 10-s p99 after the warm-up, and its phase */
    pl_series s;
    base_err e;
    base_err_clear(&e);
    if (pl_series_load(doc, "pack", &s, &e) == BASE_OK) {
        const double *p99 = pl_col(&s, "api_latency_p99_ms");
        size_t at = s.nrows;
        for (size_t r = 0; p99 && r < s.nrows; r++)
            if (s.x_rate[r] >= s.warmup && isfinite(p99[r]) && (at == s.nrows || p99[r] > p99[at]))
                at = r;
        if (at < s.nrows) {
            const json_t *ph = json_object_get(json_object_get(doc, "scenario"), "phases");
            const char *phase = NULL;
            for (size_t i = 0; i < json_array_size(ph); i++) {
                const json_t *p = json_array_get(ph, i);
                if (pl_num(json_object_get(p, "start_s")) <= s.x_rate[at])
                    phase = pl_str(json_object_get(p, "name"), NULL);
            }
            char v[64], t[32];
            pl_format(p99[at], PL_MS, 0, v, sizeof v);
            long sec = lround(s.x_rate[at]);
            snprintf(t, sizeof t, "%ld:%02ld", sec / 3600, (sec % 3600) / 60);
            snprintf(line, sizeof line,
                     "• The worst 10 seconds for latency: the API's p99 reached %s at %s%s%s%s "
                     "(latency chart, with a zoom on each event).",
                     v, t, phase ? ", in the phase '" : "", phase ? phase : "", phase ? "'" : "");
            paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
            said = 1;
        }
        pl_series_free(&s);
    }
    const char *names[64], *empty;
    size_t n = plot_chart_names(k->set, doc, names, 64);
    for (size_t i = 0; i < n && i < 64; i++)
        if (pl_chart_empty(k->set, doc, names[i], &empty)) {
            snprintf(line, sizeof line, "• %s", empty);
            paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
            said = 1;
        }
    if (!said)
        paragraph(k, "• None seen in this run.", BODY + 1, 0, pl_grey(0.1));
}

/* Page 1: what to deploy, whether it meets its objectives and by how much, what it costs, and
 * what the failures showed; the figures behind each follow. */
static void report_decision(pack *k)
{
    const json_t *doc = k->doc, *scn = json_object_get(doc, "scenario");
    char buf[2048];
    title_page(k, "Design review: the decision first, then what the simulation found");
    const char *desc = pl_str(json_object_get(scn, "description"), "");
    if (*desc)
        paragraph(k, desc, 12, 0, pl_grey(0.1));
    json_int_t reps = json_integer_value(json_object_get(doc, "replications"));
    double dur = pl_num(json_object_get(scn, "duration_s"));
    double warm = pl_num(json_object_get(scn, "warmup_s"));
    snprintf(buf, sizeof buf,
             "Simulated: %.0f min (%.0f min warm-up not measured) on the %s engine, %lld "
             "replication%s, seed %s, simulate %s; every figure is a mean with its 95%% "
             "confidence interval.",
             dur / 60, warm / 60, pl_str(json_object_get(doc, "engine"), "?"), (long long)reps,
             reps == 1 ? "" : "s", pl_str(json_object_get(doc, "seed"), "?"),
             pl_str(json_object_get(doc, "simulate_version"), "?"));
    paragraph(k, buf, BODY, 0, pl_grey(0.3));
    k->y += 6;
    heading(k, "What to deploy", 14);
    deploy_text(doc, buf, sizeof buf);
    paragraph(k, buf, BODY + 1, 0, pl_grey(0.1));
    k->y += 4;
    heading(k, "Objectives", 14);
    objectives_text(k);
    k->y += 4;
    heading(k, "The bill", 14);
    bill_text(k);
    k->y += 4;
    heading(k, "Risks the run showed", 14);
    risks_text(k);
}

/* Page 2: the architecture with the figures on each tier. */
static void report_diagram(pack *k)
{
    page_begin(k);
    heading(k, "The architecture as simulated", 16);
    paragraph(k,
              "The seed's request path (seed §3) left to right, with what the run measured on "
              "each tier: mean rates over the measured window, peaks, the API's p99, and each "
              "tier's dollars a month (the cost table has every line).",
              BODY, 0, pl_grey(0.3));
    pl_diagram(k->cr, PM, k->y + 10, PAGE_W - 2 * PM, BOTTOM - k->y - 20, k->doc);
}

/* The failures of the seed's HA table that happened (every occurrence, all replications) against
 * their targets, and a region failure's runbook step by step beside the seed's figures. */
static void report_recovery(pack *k)
{
    const json_t *rec = json_object_get(k->doc, "recovery");
    if (!json_is_object(rec))
        return;
    page_begin(k);
    heading(k, "Recovery from failures", 16);
    paragraph(k,
              "RTO: from the failure until users are served again — the first minute-long window "
              "whose error rate is back under the paging alarm's threshold, not before the first "
              "request served. RPO: the data lost. Targets from the seed's high-availability "
              "table (§6.3); met when every occurrence is within them (docs/models.md, "
              "\"Failures\").",
              BODY, 0, pl_grey(0.25));
    k->y += 6;
    static const column cols[] = {{"failure", 0.22, 0}, {"times", 0.07, 1},  {"RTO mean", 0.11, 1},
                                  {"RTO max", 0.11, 1}, {"target", 0.10, 1}, {"RPO max", 0.11, 1},
                                  {"target", 0.10, 1},  {"verdict", 0.18, 0}};
    table t = {cols, 8, PM, PAGE_W - 2 * PM, "Recovery from failures"};
    table_head(k, &t);
    const json_t *rows = json_object_get(rec, "rows");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i), *rto = json_object_get(r, "rto"),
                     *rpo = json_object_get(r, "rpo");
        char n[32], rm[32], rx[32], rt[32], px[32], pt[32];
        snprintf(n, sizeof n, "%lld",
                 (long long)json_integer_value(json_object_get(r, "occurrences")));
        duration_text(pl_num(json_object_get(rto, "mean_s")), rm, sizeof rm);
        duration_text(pl_num(json_object_get(rto, "max_s")), rx, sizeof rx);
        duration_text(pl_num(json_object_get(rto, "seed_target_s")), rt, sizeof rt);
        duration_text(pl_num(json_object_get(rpo, "max_s")), px, sizeof px);
        duration_text(pl_num(json_object_get(rpo, "seed_target_s")), pt, sizeof pt);
        bool ok =
            json_is_true(json_object_get(rto, "met")) && json_is_true(json_object_get(rpo, "met"));
        long long open = json_integer_value(json_object_get(rto, "unrecovered"));
        char verdict[64];
        snprintf(verdict, sizeof verdict, "%s%s", ok ? "met" : "MISSED",
                 open ? " (some not recovered)" : "");
        pl_rgb colours[8];
        for (int c = 0; c < 8; c++)
            colours[c] = pl_grey(0.08);
        colours[7] = ok ? pl_palette(PL_BLUISH_GREEN) : pl_palette(PL_VERMILLION);
        const char *cells[8] = {
            pl_str(json_object_get(r, "failure"), "?"), n, rm, rx, rt, px, pt, verdict};
        table_row(k, &t, cells, 0, colours);
    }
    const json_t *steps = json_object_get(rec, "runbook");
    if (json_array_size(steps) == 0)
        return;
    k->y += 14;
    heading(k, "The DR runbook as it went (seed §12.2)", 13);
    static const column scols[] = {
        {"step", 0.40, 0}, {"measured, mean ± 95% CI", 0.35, 1}, {"the seed's figure", 0.25, 1}};
    table st = {scols, 3, PM, (PAGE_W - 2 * PM) * 0.7, "The DR runbook"};
    table_head(k, &st);
    double served = 0, done = 0, seed_served = 0, seed_done = 0;
    bool closed = false;
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const json_t *x = json_array_get(steps, i);
        bool before = json_is_true(json_object_get(x, "before_users_served"));
        char m[32], h[32], p[32], both[80];
        double mean = pl_num(json_object_get(x, "mean_s")),
               seed = pl_num(json_object_get(x, "seed_s"));
        if (!before && !closed) {
            closed = true;
            duration_text(served, m, sizeof m);
            duration_text(seed_served, p, sizeof p);
            const char *cells[3] = {"= users served again (RTO)", m, p};
            table_row(k, &st, cells, 1, NULL);
        }
        duration_text(mean, m, sizeof m);
        duration_text(pl_num(json_object_get(x, "ci95_half_width_s")), h, sizeof h);
        snprintf(both, sizeof both, "%s ± %s", m, h);
        duration_text(seed, p, sizeof p);
        const char *cells[3] = {pl_str(json_object_get(x, "step"), "?"), both, p};
        table_row(k, &st, cells, 0, NULL);
        if (isfinite(mean)) {
            done += mean;
            served += before ? mean : 0;
        }
        if (isfinite(seed)) {
            seed_done += seed;
            seed_served += before ? seed : 0;
        }
    }
    char m[32], p[32];
    duration_text(done, m, sizeof m);
    duration_text(seed_done, p, sizeof p);
    const char *cells[3] = {"runbook complete", m, p};
    table_row(k, &st, cells, 1, NULL);
}

/* A path as a reader writes it: "scenarios/../models/x.yaml" -> "models/x.yaml" (each "DIR/../"
 * after a plain folder name removed); anything else unchanged. */
static void tidy_path(const char *in, char *out, size_t n)
{
    snprintf(out, n, "%s", in);
    for (;;) {
        char *up = strstr(out, "/../");
        if (!up || up == out)
            return;
        char *start = up;
        while (start > out && start[-1] != '/' && start[-1] != ' ')
            start--;
        if (up - start == 2 && strncmp(start, "..", 2) == 0)
            return; /* "../../": nothing to fold */
        memmove(start, up + 4, strlen(up + 4) + 1);
    }
}

/* A source without the project's own issue numbers ("issue 5: default 1 s" -> "default 1 s"):
 * a reader of the pack has no access to them. */
static void tidy_source(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < n;) {
        if (strncmp(p, "issue ", 6) == 0 && p[6] >= '0' && p[6] <= '9') {
            p += 6;
            while (*p >= '0' && *p <= '9')
                p++;
            while (*p == ':' || *p == ' ' || *p == ',')
                p++;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    if (o == 0)
        snprintf(out, n, "–");
}

static void assumptions(pack *k)
{
    page_begin(k);
    heading(k, "Appendix: assumptions and sources", 16);
    const json_t *as = json_object_get(k->doc, "assumptions");
    if (!json_is_array(as) || json_array_size(as) == 0) {
        paragraph(k, "The report lists no assumptions.", BODY, 0, pl_grey(0.2));
        return;
    }
    paragraph(k,
              "Every scenario setting the run rested on: its value, where it was set (file:line "
              "when the scenario or a file it extends set it, \"default\" otherwise), and the "
              "source a default comes from. Review these before trusting the figures.",
              BODY, 0, pl_grey(0.25));
    k->y += 4;
    static const column cols[] = {
        {"setting", 0.24, 0}, {"value", 0.20, 0}, {"set in", 0.20, 0}, {"source", 0.36, 0}};
    /* a reference table, often a hundred rows or more: a size smaller than the body's */
    table t = {cols, 4, PM, PAGE_W - 2 * PM, "Assumptions and sources", 8.5};
    table_head(k, &t);
    /* the file the scenario extends: the first file other than its own that set something */
    const char *own = pl_str(json_object_get(json_object_get(k->doc, "scenario"), "file"), "");
    char base[512] = "";
    for (size_t i = 0; i < json_array_size(as) && !base[0]; i++) {
        char where[512];
        tidy_path(pl_str(json_object_get(json_array_get(as, i), "set_in"), ""), where,
                  sizeof where);
        char *colon = strrchr(where, ':');
        if (colon)
            *colon = '\0';
        if (strcmp(where, "default") != 0 && strcmp(where, own) != 0)
            snprintf(base, sizeof base, "%s", where);
    }
    for (size_t i = 0; i < json_array_size(as); i++) {
        const json_t *a = json_array_get(as, i);
        const char *key = pl_str(json_object_get(a, "key"), "?");
        char value[512], set_in[512], source[1024];
        tidy_path(pl_str(json_object_get(a, "value"), ""), value, sizeof value);
        tidy_path(pl_str(json_object_get(a, "set_in"), ""), set_in, sizeof set_in);
        tidy_source(pl_str(json_object_get(a, "source"), "–"), source, sizeof source);
        if (strcmp(key, "extends") == 0 && base[0]) { /* the report says none for the top file */
            snprintf(value, sizeof value, "%s", base);
            snprintf(set_in, sizeof set_in, "%s", own);
        }
        const char *cells[4] = {key, value, set_in, source};
        table_row(k, &t, cells, 0, NULL);
    }
}

static int report_pack(pack *k, base_err *err)
{
    report_decision(k);
    report_diagram(k);
    report_title(k);
    int st = chart_pages(k, err);
    if (st != BASE_OK)
        return st;
    report_recovery(k);
    report_cost(k);
    assumptions(k);
    return BASE_OK;
}

/* ---------------------------------------------------------------- comparison */

#define MAX_VARIANTS 12

/* Columns: a first column of `first` share, then one per variant. */
static size_t variant_columns(const json_t *vars, const char *head0, double first, column *cols)
{
    size_t nv = json_array_size(vars);
    if (nv > MAX_VARIANTS)
        nv = MAX_VARIANTS;
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

static void compare_summary(pack *k)
{
    const json_t *doc = k->doc, *vars = json_object_get(doc, "variants");
    char buf[512];
    title_page(k, "Design review: a comparison of variants");
    json_int_t reps = json_integer_value(json_object_get(doc, "replications"));
    snprintf(buf, sizeof buf, "%zu variants · %lld replications each · seed %s · %s · simulate %s",
             json_array_size(vars), (long long)reps, pl_str(json_object_get(doc, "seed"), "?"),
             json_is_true(json_object_get(doc, "common_random_numbers"))
                 ? "common random numbers (replication i of every variant saw the same traffic)"
                 : "independent random numbers",
             pl_str(json_object_get(doc, "simulate_version"), "?"));
    paragraph(k, buf, BODY, 0, pl_grey(0.2));
    k->y += 8;

    column cols[MAX_VARIANTS + 1];
    size_t nc = variant_columns(vars, "figure", 0.22, cols);
    table t = {cols, nc, PM, PAGE_W - 2 * PM, "Figures (mean ± 95% CI)"};
    table_start(k, &t);
    const char *keys[64];
    size_t nk = figure_keys(vars, keys, 64);
    char cellbuf[MAX_VARIANTS][256];
    const char *cells[MAX_VARIANTS + 1];
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
        table_row(k, &t, cells, 0, NULL);
    }
    k->y += 12;

    /* objectives: one row per objective of the first variant (all share the scenario's) */
    const json_t *objs0 = json_object_get(json_array_get(vars, 0), "objectives");
    if (json_array_size(objs0) == 0) {
        paragraph(k, "The scenario sets no objectives.", BODY, 0, pl_grey(0.25));
        return;
    }
    column ocols[MAX_VARIANTS + 1];
    nc = variant_columns(vars, "objective", 0.22, ocols);
    for (size_t i = 1; i < nc; i++)
        ocols[i].right = 0;
    table to = {ocols, nc, PM, PAGE_W - 2 * PM, "Objectives"};
    table_start(k, &to);
    pl_rgb colours[MAX_VARIANTS + 1];
    for (size_t j = 0; j < json_array_size(objs0); j++) {
        cells[0] = pl_str(json_object_get(json_array_get(objs0, j), "objective"), "?");
        colours[0] = pl_grey(0.08);
        for (size_t i = 0; i + 1 < nc; i++) {
            const json_t *o =
                json_array_get(json_object_get(json_array_get(vars, i), "objectives"), j);
            const char *v = verdict_text(o, &colours[i + 1]);
            char meas[64];
            pl_format_ci(pl_num(json_object_get(o, "measured")),
                         pl_num(json_object_get(o, "ci95_half_width")), "", meas, sizeof meas);
            snprintf(cellbuf[i], sizeof cellbuf[i], "%s (%s)", v, meas);
            cells[i + 1] = cellbuf[i];
        }
        table_row(k, &to, cells, 0, colours);
    }
}

static void compare_differences(pack *k)
{
    const json_t *diffs = json_object_get(k->doc, "differences");
    if (json_array_size(diffs) == 0)
        return;
    page_begin(k);
    char buf[300];
    snprintf(buf, sizeof buf, "Paired differences from %s",
             pl_str(json_object_get(json_array_get(diffs, 0), "minus"), "the first variant"));
    heading(k, buf, 16);
    paragraph(k,
              "Each variant minus the first, replication by replication (the same random "
              "traffic), then the mean and the 95% confidence interval of those differences: an "
              "interval that excludes 0 is a difference the replications support.",
              BODY, 0, pl_grey(0.25));
    k->y += 4;
    size_t nd = json_array_size(diffs);
    if (nd > MAX_VARIANTS)
        nd = MAX_VARIANTS;
    column cols[MAX_VARIANTS + 1];
    cols[0] = (column){"figure", 0.25, 0};
    for (size_t i = 0; i < nd; i++)
        cols[i + 1] = (column){pl_str(json_object_get(json_array_get(diffs, i), "variant"), "?"),
                               0.75 / (double)nd, 1};
    table t = {cols, nd + 1, PM, PAGE_W - 2 * PM, buf};
    table_head(k, &t);
    const char *key;
    const json_t *v;
    char cellbuf[MAX_VARIANTS][256];
    const char *cells[MAX_VARIANTS + 1];
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
        table_row(k, &t, cells, 0, NULL);
    }
}

static void compare_cost(pack *k)
{
    const json_t *vars = json_object_get(k->doc, "variants");
    page_begin(k);
    heading(k, "Monthly cost by component, per variant", 16);
    paragraph(k,
              "A 730-hour month at each variant's usage (docs/cost-model.md); mean ± half-width "
              "of the 95% confidence interval. compare.json carries the components that differ "
              "between variants; the rest is under \"other components\".",
              BODY, 0, pl_grey(0.25));
    k->y += 4;
    const char *keys[64];
    size_t nk = figure_keys(vars, keys, 64);
    column cols[MAX_VARIANTS + 1];
    size_t nc = variant_columns(vars, "component", 0.24, cols);
    table t = {cols, nc, PM, PAGE_W - 2 * PM, "Monthly cost by component, per variant"};
    table_head(k, &t);
    char cellbuf[MAX_VARIANTS][256];
    const char *cells[MAX_VARIANTS + 1];
    double listed[MAX_VARIANTS] = {0};
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
        table_row(k, &t, cells, 0, NULL);
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
        table_row(k, &t, cells, 0, NULL);
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
    table_row(k, &t, cells, 1, NULL);
}

static void compare_sweep(pack *k)
{
    const json_t *sweep = json_object_get(k->doc, "sweep");
    const json_t *pts = json_object_get(sweep, "points");
    const json_t *vars = json_object_get(k->doc, "variants");
    if (json_array_size(pts) == 0)
        return;
    page_begin(k);
    heading(k, "The sweep", 16);
    paragraph(k,
              "Every variant at each point of the sweep: monthly cost (mean ± 95% CI), API p99, "
              "and whether the objectives were met; the last column is the cheapest variant that "
              "met them.",
              BODY, 0, pl_grey(0.25));
    k->y += 4;
    column cols[MAX_VARIANTS + 2];
    size_t nv = json_array_size(vars);
    if (nv > MAX_VARIANTS)
        nv = MAX_VARIANTS;
    cols[0] = (column){"peak load", 0.12, 1};
    for (size_t i = 0; i < nv; i++)
        cols[i + 1] = (column){pl_str(json_object_get(json_array_get(vars, i), "name"), "?"),
                               0.72 / (double)nv, 1};
    cols[nv + 1] = (column){"cheapest meeting the objectives", 0.16, 0};
    table t = {cols, nv + 2, PM, PAGE_W - 2 * PM, "The sweep"};
    table_head(k, &t);
    char load[64], cellbuf[MAX_VARIANTS][256];
    const char *cells[MAX_VARIANTS + 2];
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
            snprintf(cellbuf[i], sizeof cellbuf[i], "%s ± %s\np99 %s · %s", m, h, p99,
                     json_is_true(json_object_get(e, "objectives_met")) ? "met" : "FAILED");
            cells[i + 1] = cellbuf[i];
        }
        cells[nv + 1] = pl_str(json_object_get(pt, "cheapest_meeting_objectives"), "none");
        table_row(k, &t, cells, 0, NULL);
    }
    k->y += 10;
    const json_t *cx = json_object_get(sweep, "cost_crossovers");
    if (json_array_size(cx) == 0) {
        paragraph(k, "No two variants' costs cross inside the sweep.", BODY, 0, pl_grey(0.15));
        return;
    }
    heading(k, "Where the costs cross", 13);
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
        paragraph(k, line, BODY, 0, pl_grey(0.1));
    }
}

static int compare_pack(pack *k, base_err *err)
{
    if (json_array_size(json_object_get(k->doc, "variants")) == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "the comparison has no variants");
    compare_summary(k);
    compare_differences(k);
    int st = chart_pages(k, err);
    if (st != BASE_OK)
        return st;
    compare_cost(k);
    compare_sweep(k);
    return BASE_OK;
}

/* ---------------------------------------------------------------- entry */

int plot_pack(const plot_set *set, const json_t *doc, const char *path, base_err *err)
{
    plot_doc_kind kind = plot_doc_kind_of(doc);
    if (kind == PLOT_DOC_UNKNOWN)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "not a report.json or compare.json (no `figures`, `series` or "
                            "`variants`)");
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "no output path for the pack");
    pl_buf buf = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pl_buf_write, &buf, PAGE_W, PAGE_H);
    pack k = {.set = set, .doc = doc};
    pl_doc_name(doc, k.name, sizeof k.name);
    char title[320];
    snprintf(title, sizeof title, "%s — design review", k.name);
    pl_pdf_metadata(s, title);
    k.cr = cairo_create(s);
    pl_font_options(k.cr);
    int st = kind == PLOT_DOC_PLAN     ? pl_pack_plan(k.cr, PAGE_W, PAGE_H, set, doc, err)
             : kind == PLOT_DOC_REPORT ? report_pack(&k, err)
                                       : compare_pack(&k, err);
    page_end(&k);
    if (st == BASE_OK)
        st = pl_cairo_check(k.cr, path, err);
    cairo_destroy(k.cr);
    cairo_surface_finish(s);
    if (st == BASE_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = base_err_set(err, buf.oom ? BASE_ENOMEM : BASE_EINTERNAL, path, 0, 0, "cairo: %s",
                          cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    if (st == BASE_OK)
        st = base_write_file_atomic(path, buf.data, buf.len, err);
    free(buf.data);
    return st;
}
