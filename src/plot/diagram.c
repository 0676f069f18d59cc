/*
 * diagram.c — the seed's architecture (../shared/seed/architecture.md §3: users, CloudFront
 * with S3 behind it for the SPA, an ALB, the Flask API on EKS with Karpenter's nodes, PgBouncer,
 * the database, Redis) drawn as boxes and arrows, each tier with what the run measured there:
 * request rates, CloudFront's hit ratio, the API's p99, pods, nodes, connections, the
 * database's CPU and ACUs, and each tier's dollars a month.
 *
 * Every figure comes from report.json (usage, figures, the series' peaks); a tier the run did
 * not have (no database, no Redis) is drawn grey with "not in this run".
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LINES 6

typedef struct tier {
    const char *name;
    char line[LINES][96];
    int n;
    int absent;
    double x, y, w, h;
} tier;

static void add(tier *t, const char *fmt, const char *a)
{
    if (t->n < LINES)
        snprintf(t->line[t->n++], sizeof t->line[0], fmt, a);
}

static void add_num(tier *t, const char *fmt, double v, pl_unit unit)
{
    if (!isfinite(v) || t->n >= LINES)
        return;
    char buf[64];
    if (unit == PL_USD)
        pl_format_usd(v, buf, sizeof buf);
    else
        pl_format(v, unit, 0, buf, sizeof buf);
    add(t, fmt, buf);
}

/* A count read off the mean series (a peak of connections): whole, as counted things are. */
static void add_count(tier *t, const char *fmt, double v)
{
    if (!isfinite(v) || t->n >= LINES)
        return;
    char buf[64];
    if (fabs(v) < 1000)
        snprintf(buf, sizeof buf, "%.0f", v);
    else
        pl_format(v, PL_COUNT, 0, buf, sizeof buf);
    add(t, fmt, buf);
}

static double fig(const json_t *doc, const char *key)
{
    pl_fig f;
    return pl_fig_get(json_object_get(doc, "figures"), key, &f) ? f.mean : NAN;
}

/* The largest finite value of a series column (NaN when the report has none). */
static double col_peak(const json_t *doc, const char *name)
{
    const json_t *s = json_object_get(doc, "series");
    const json_t *cols = json_object_get(s, "columns"), *rows = json_object_get(s, "rows");
    size_t c = 0;
    while (c < json_array_size(cols) && strcmp(pl_str(json_array_get(cols, c), ""), name) != 0)
        c++;
    if (c == json_array_size(cols))
        return NAN;
    double m = NAN;
    for (size_t r = 0; r < json_array_size(rows); r++) {
        double v = pl_num(json_array_get(json_array_get(rows, r), c));
        if (isfinite(v) && !(v <= m))
            m = v;
    }
    return m;
}

static void box(cairo_t *cr, tier *t, pl_rgb edge)
{
    cairo_rectangle(cr, t->x, t->y, t->w, t->h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    pl_set_rgb(cr, t->absent ? pl_grey(0.7) : edge);
    cairo_set_line_width(cr, 1.6);
    cairo_stroke(cr);
    /* the tier's name whole where a smaller size lets it fit (down to 8 pt), cut only after */
    double size = 11;
    for (;; size -= 0.5) {
        pl_font(cr, size, 1);
        cairo_text_extents_t ext;
        cairo_text_extents(cr, t->name, &ext);
        if (ext.x_advance <= t->w - 10 || size <= 8)
            break;
    }
    pl_set_rgb(cr, t->absent ? pl_grey(0.6) : pl_grey(0.05));
    char fit[128];
    pl_ellipsize(cr, t->name, t->w - 10, fit, sizeof fit);
    pl_text(cr, t->x + t->w / 2, t->y + 6, fit, 0.5, 0);
    double lh = pl_line_height(cr) + 3;
    pl_font(cr, 8, 0);
    double lh2 = pl_line_height(cr) + 2;
    for (int i = 0; i < t->n; i++) {
        pl_set_rgb(cr, t->absent ? pl_grey(0.6) : pl_grey(0.2));
        pl_ellipsize(cr, t->line[i], t->w - 8, fit, sizeof fit);
        pl_text(cr, t->x + t->w / 2, t->y + 6 + lh + lh2 * i, fit, 0.5, 0);
    }
}

/* An arrow from a to b (points), its label over its middle. */
static void arrow(cairo_t *cr, double x0, double y0, double x1, double y1, const char *label)
{
    pl_set_rgb(cr, pl_grey(0.35));
    cairo_set_line_width(cr, 1.3);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    double a = atan2(y1 - y0, x1 - x0), L = 7;
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x1 - L * cos(a - 0.4), y1 - L * sin(a - 0.4));
    cairo_line_to(cr, x1 - L * cos(a + 0.4), y1 - L * sin(a + 0.4));
    cairo_close_path(cr);
    cairo_fill(cr);
    if (label && *label) {
        pl_font(cr, 8.5, 0);
        pl_set_rgb(cr, pl_grey(0.25));
        double xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
        int vertical = fabs(x1 - x0) < fabs(y1 - y0);
        pl_text(cr, vertical ? xm + 4 : xm, vertical ? ym : ym - 3, label, vertical ? 0 : 0.5,
                vertical ? 0.5 : 1);
    }
}

void pl_diagram(cairo_t *cr, double x, double y, double w, double h, const json_t *doc)
{
    const json_t *usage = json_object_get(doc, "usage");
    double secs = pl_num(json_object_get(usage, "seconds"));
    double cf = pl_num(json_object_get(usage, "cloudfront_requests"));
    double alb = pl_num(json_object_get(usage, "alb_requests"));
    double s3 = pl_num(json_object_get(usage, "s3_get_requests"));
    tier users = {"Users"}, cdn = {"CloudFront"}, bucket = {"S3 (the SPA)"},
         lb = {"load balancer (ALB)"}, api = {"Flask API on EKS"},
         nodes = {"EC2 nodes (Karpenter)"}, pgb = {"PgBouncer"}, db = {"database"},
         cache = {"ElastiCache Redis"};
    /* users */
    add_num(&users, "%s req/s at the peak", col_peak(doc, "arrivals_per_s"), PL_COUNT);
    add_num(&users, "%s users at the peak", col_peak(doc, "users"), PL_COUNT);
    /* CloudFront: what it answers itself is what did not go on to the ALB or S3 */
    add_num(&cdn, "%s req/s (mean)", secs > 0 ? cf / secs : NAN, PL_COUNT);
    if (cf > 0 && isfinite(alb) && isfinite(s3))
        add_num(&cdn, "hit ratio %s", 100 * (1 - (alb + s3) / cf), PL_PCT);
    add_num(&cdn, "%s a month", fig(doc, "cost_cloudfront"), PL_USD);
    add_num(&bucket, "%s GET/s (mean)", secs > 0 ? s3 / secs : NAN, PL_COUNT);
    add_num(&bucket, "%s a month", fig(doc, "cost_s3"), PL_USD);
    add_num(&lb, "%s req/s (mean)", secs > 0 ? alb / secs : NAN, PL_COUNT);
    add_num(&lb, "%s req/s at the peak", pl_num(json_object_get(usage, "alb_peak_requests_per_s")),
            PL_COUNT);
    add_num(&lb, "%s a month", fig(doc, "cost_alb"), PL_USD);
    add_num(&api, "p99 %s", fig(doc, "api_latency_p99"), PL_MS);
    add_num(&api, "%s pods (peak)", fig(doc, "peak_pods_ready"), PL_COUNT);
    double er = fig(doc, "error_rate");
    if (er > 0 && er < 0.001) /* not "errors 0.000055%" */
        add(&api, "%s", "errors <0.001%");
    else
        add_num(&api, "errors %s", er, PL_PCT);
    add_num(&nodes, "%s nodes at the peak", fig(doc, "peak_nodes"), PL_COUNT);
    add_num(&nodes, "%s a month", fig(doc, "cost_nodes"), PL_USD);
    add_count(&pgb, "%s connections (peak)", col_peak(doc, "database_connections"));
    if (pgb.n)
        add(&pgb, "%s", "to the database");
    double dbu = fig(doc, "database_utilisation");
    db.absent = !isfinite(dbu);
    pgb.absent = db.absent;
    /* the engine in the name, its kind on the first line: "Aurora Serverless v2" whole did
     * not fit a sixth of the page */
    double acu = col_peak(doc, "aurora_acu");
    const char *eng = pl_assumption(doc, "database.engine"),
               *cls = pl_assumption(doc, "database.instance_class");
    char kind[96] = "";
    if (acu > 0 || (eng && strcmp(eng, "aurora") == 0)) {
        db.name = "Aurora";
        add(&db, "%s", "Serverless v2 writer");
    } else if (eng && strcmp(eng, "rds") == 0 && cls && *cls) {
        db.name = "RDS PostgreSQL";
        snprintf(kind, sizeof kind, "%s%s", cls,
                 pl_assumption(doc, "database.multi_az") &&
                         !strcmp(pl_assumption(doc, "database.multi_az"), "true")
                     ? " Multi-AZ"
                     : "");
        add(&db, "%s", kind);
    }
    add_num(&db, "CPU %s (mean)", dbu, PL_PCT);
    if (acu > 0)
        add_num(&db, "%s ACUs at the peak", acu, PL_COUNT);
    add_num(&db, "%s queries/s (mean)",
            secs > 0 ? pl_num(json_object_get(usage, "database_queries")) / secs : NAN, PL_COUNT);
    add_num(&db, "%s a month", fig(doc, "cost_database"), PL_USD);
    double ops = pl_num(json_object_get(usage, "elasticache_operations"));
    cache.absent = !(ops > 0);
    add_num(&cache, "%s ops/s (mean)", secs > 0 && ops > 0 ? ops / secs : NAN, PL_COUNT);
    add_num(&cache, "%s a month", fig(doc, "cost_cache"), PL_USD);
    if (db.absent)
        add(&db, "%s", "not in this run");
    if (cache.absent)
        add(&cache, "%s", "not in this run");

    /* layout: the request path left to right on one row, S3 under CloudFront, the nodes under
     * the API, Redis over PgBouncer */
    double bw = (w - 5 * 16) / 6, bh = 92;
    double row = y + h * 0.42 - bh / 2;
    tier *path[6] = {&users, &cdn, &lb, &api, &pgb, &db};
    for (int i = 0; i < 6; i++) {
        path[i]->x = x + (bw + 16) * i;
        path[i]->y = row;
        path[i]->w = bw;
        path[i]->h = bh;
    }
    bucket.x = cdn.x, bucket.y = row + bh + 60, bucket.w = bw, bucket.h = 62;
    nodes.x = api.x, nodes.y = row + bh + 60, nodes.w = bw, nodes.h = 62;
    cache.x = pgb.x + (bw + 16) / 2, cache.y = row - 60 - 70, cache.w = bw, cache.h = 70;

    pl_rgb edge = pl_palette(PL_BLUE);
    arrow(cr, users.x + bw, row + bh / 2, cdn.x, row + bh / 2, "");
    arrow(cr, cdn.x + bw, row + bh / 2, lb.x, row + bh / 2, "");
    arrow(cr, lb.x + bw, row + bh / 2, api.x, row + bh / 2, "");
    arrow(cr, api.x + bw, row + bh / 2, pgb.x, row + bh / 2, "");
    arrow(cr, pgb.x + bw, row + bh / 2, db.x, row + bh / 2, "");
    arrow(cr, cdn.x + bw / 2, row + bh, bucket.x + bw / 2, bucket.y, "static misses");
    arrow(cr, api.x + bw / 2, row + bh, nodes.x + bw / 2, nodes.y, "runs on");
    arrow(cr, api.x + bw * 0.8, row, cache.x + bw * 0.2, cache.y + cache.h, "sessions");
    tier *all[9] = {&users, &cdn, &lb, &api, &pgb, &db, &bucket, &nodes, &cache};
    for (int i = 0; i < 9; i++)
        box(cr, all[i], i == 0 ? pl_grey(0.4) : edge);
}
